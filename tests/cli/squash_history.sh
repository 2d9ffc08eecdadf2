# squash_history.sh - sourced by the squash tests: a history of N revisions
# r01 .. rN in m/versions that both dialects run, with what a real one has:
# tables with foreign keys, added columns, indexes, views, and data
# migrations (INSERT/UPDATE in SQL revisions, and a C revision at r20).
#
#   gen_history N

# sql_rev ID PARENT UPGRADE DOWNGRADE
sql_rev() {
	printf -- '-- step %s\n--\n-- Revision ID: %s\n-- Revises: %s\n\n-- retort:upgrade\n%s\n\n-- retort:downgrade\n%s\n' \
		"$1" "$1" "$2" "$3" "$4" >"m/versions/$1_step.sql"
}

c_rev() {
	cat >"m/versions/$1_upper.c" <<C
/*
 * upper-case every user name
 *
 * Revision ID: $1
 * Revises: $2
 */
#include <retort/migration.h>

int upgrade(retort_ctx *ctx)
{
	return retort_exec(ctx, "UPDATE users SET name = upper(name)");
}

int downgrade(retort_ctx *ctx)
{
	return retort_exec(ctx, "UPDATE users SET name = lower(name)");
}
C
}

gen_history() {
	_n=$1
	_prev=""
	_i=1
	while [ "$_i" -le "$_n" ]; do
		_id=$(printf 'r%02d' "$_i")
		if [ "$_i" -eq 1 ]; then
			sql_rev "$_id" "" "CREATE TABLE users (id INTEGER PRIMARY KEY, name VARCHAR(40) NOT NULL);
CREATE TABLE t1 (id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users (id), v VARCHAR(20) NOT NULL DEFAULT 'x');" \
				"DROP TABLE t1;
DROP TABLE users;"
		elif [ "$_i" -eq 20 ]; then
			c_rev "$_id" "$_prev"
		else
			case $((_i % 5)) in
			1) sql_rev "$_id" "$_prev" "CREATE TABLE t$_i (id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users (id), v VARCHAR(20) NOT NULL DEFAULT 'x');" \
				"DROP TABLE t$_i;" ;;
			2) sql_rev "$_id" "$_prev" "ALTER TABLE t$((_i - 1)) ADD COLUMN n$_i INTEGER DEFAULT 0;" \
				"ALTER TABLE t$((_i - 1)) DROP COLUMN n$_i;" ;;
			3) sql_rev "$_id" "$_prev" "CREATE INDEX ix$_i ON t$((_i - 2)) (v);" "DROP INDEX ix$_i;" ;;
			4) sql_rev "$_id" "$_prev" "INSERT INTO users (id, name) VALUES ($_i, 'user$_i');
UPDATE t$((_i - 3)) SET v = 'y';" "DELETE FROM users WHERE id = $_i;" ;;
			0) sql_rev "$_id" "$_prev" "CREATE VIEW w$_i AS SELECT id, v FROM t$((_i - 4));" "DROP VIEW w$_i;" ;;
			esac
		fi
		_prev=$_id
		_i=$((_i + 1))
	done
}

# seq_ids FROM TO: "rFROM ... rTO", space-separated.
seq_ids() {
	_out=""
	_i=$1
	while [ "$_i" -le "$2" ]; do
		_out="$_out${_out:+ }$(printf 'r%02d' "$_i")"
		_i=$((_i + 1))
	done
	printf '%s' "$_out"
}
