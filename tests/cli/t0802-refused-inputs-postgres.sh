#!/bin/sh
# t0802-refused-inputs-postgres.sh - the same refusals on PostgreSQL, and
# secrets: a password is never printed, however the URL spells it (the
# parameter name percent-encoded, sslpassword, a bad escape), in
# connection errors, current -v, --json and "waiting for another retort".
# Judged by pg_dump of the database, which must not change.
. "$RETORT_SRCDIR/tests/cli/lib.sh"
pg_start
DB_URL=$(pg_new_db app) || { echo "cannot create database"; exit 1; }
# trust authentication ignores passwords: they are here to be masked.
ENC_URL="postgresql://postgres@/app?host=$PG_HOST&port=$PG_PORT&pass%77ord=Hunter2xq"

mkdir -p m/versions
cat >retort.ini <<INI
[retort]
script_location = m
url = $ENC_URL
lock_timeout = 30
INI
rev() {
	printf -- '-- make %s\n--\n-- Revision ID: %s\n-- Revises: %s\n\n-- retort:upgrade\n%s\n\n-- retort:downgrade\n%s\n' \
		"$1" "$1" "$2" "$3" "$4" >"m/versions/$1.sql"
}
rev a1 "" "CREATE TABLE t1 (id INTEGER);" "DROP TABLE t1;"
rev a2 a1 "CREATE TABLE t2 (id INTEGER);" "DROP TABLE t2;"
rev a3 a2 "CREATE TABLE t3 (id INTEGER); SELECT pg_sleep(2);" "DROP TABLE t3;"
run retort upgrade a2
expect_rc 0 "setup: upgrade to a2"
expect_no_out "Hunter2xq" "setup: no password"
# without comments and the random \restrict key newer pg_dump writes
dump() { pg_dump --no-owner -d "$DB_URL" | grep -v -e '^--' -e '^\\restrict' -e '^\\unrestrict'; }
unchanged() {
	if [ "$(dump)" = "$BEFORE" ]; then ok "$1: pg_dump unchanged"; else fail "$1: the database changed"; fi
}

# --- secrets -------------------------------------------------------------------
run retort current -v
expect_rc 0 "current -v"
expect_out "postgresql://postgres:\*\*\*@/app\?" "current -v shows the URL with the password masked"
expect_no_out "Hunter2xq" "current -v: no password"
run retort current -v --json
expect_out '"url": "postgresql://postgres:\*\*\*@/app' "--json: masked url"
expect_no_out "Hunter2xq" "--json: no password"
# a second runner waits for the first (a3 sleeps) and says on which database
"$RETORT" upgrade head >o1 2>e1 &
p1=$!
sleep 0.5
"$RETORT" upgrade head >o2 2>e2
wait $p1
RC=$? OUT=$(cat o1 o2) ERR=$(cat e1 e2)
expect_rc 0 "two runners"
expect_err "waiting for another retort on postgresql://postgres:\*\*\*@" "waiting: the URL masked"
expect_no_out "Hunter2xq" "waiting: no password"
run retort downgrade a2
expect_rc 0 "back to a2"
BEFORE=$(dump)
for url in \
	"postgresql://postgres@/app?host=$PG_HOST&port=1&pass%77ord=Hunter2xq" \
	"postgresql://postgres@/app?host=/nonexistent&%70%61%73%73%77%6f%72%64=Hunter2xq" \
	"postgresql://postgres@/app?host=/nonexistent&sslpassword=Hunter2xq" \
	"postgresql://postgres:Hunter2xq@/app?host=/nonexistent" \
	"postgresql://postgres@/app?host=$PG_HOST&port=$PG_PORT&password=Hunter2%zzxq" \
	"postgresql://postgres:Hunter2%zzxq@/app?host=$PG_HOST" \
	"postgresql://postgres:Hunter2/xq@/app?host=$PG_HOST" \
	"postgresql://postgres@/app?host=$PG_HOST&pass%77ord=Hunter2xq&bogus=1"; do
	for cmd in "current -v" "current --json" "upgrade head" "check" "drift"; do
		run retort --url "$url" $cmd
		case $RC in 1|2) ok "$cmd on a bad URL fails ($RC)" ;; *) fail "$cmd on $url: exit $RC" ;; esac
		expect_no_out "Hunter2" "$cmd: no password in any output"
		expect_no_out "zzxq" "$cmd: no part of the token either"
	done
done
run retort --url "postgresql://postgres@/app?host=$PG_HOST&port=$PG_PORT&password=Hunter2%zzxq" current
expect_rc 2 "a bad escape is a configuration error"
expect_err "--url: malformed database URL 'postgresql://postgres@/app\?host=\*\*\*&port=\*\*\*&password=\*\*\*': libpq cannot parse it: invalid percent-encoded token$" \
	"a bad escape: libpq's wording, not its quoted token"
unchanged "secrets"

# --- empty URL --------------------------------------------------------------------
run retort --url "" upgrade head
expect_rc 2 "--url '' is refused (the config's url would have been used)"
run env RETORT_URL= "$RETORT" upgrade head
expect_rc 2 "RETORT_URL='' is refused"
unchanged "empty URL"

# --- ids and counts -------------------------------------------------------------------
rev head a2 "CREATE TABLE t9 (id INTEGER);" "DROP TABLE t9;"
run retort upgrade head
expect_rc 1 "a header id 'head' is refused"
expect_err "m/versions/head.sql:3: invalid revision id 'head'" "header id: file:line"
rm m/versions/head.sql
for t in -9223372036854775808 a2-9223372036854775808; do
	run retort downgrade -- "$t"
	expect_rc 2 "downgrade $t is refused"
done
run retort upgrade +9223372036854775808
expect_rc 2 "upgrade +9223372036854775808 is refused"
unchanged "ids and counts"

# --- version tables that cannot be a database's state --------------------------------
state_case() { # what sql pattern
	run psql -X -q -v ON_ERROR_STOP=1 -d "$DB_URL" -c "$2"
	[ "$RC" -eq 0 ] || fail "$1: setup: $ERR"
	S_BEFORE=$(dump)
	for cmd in "current" "upgrade head" "downgrade base" "stamp head" "upgrade head --dry-run"; do
		run retort $cmd
		expect_rc 1 "$1: $cmd"
		expect_err "$3" "$1: $cmd says why"
	done
	if [ "$(dump)" = "$S_BEFORE" ]; then ok "$1: pg_dump unchanged"; else fail "$1: the database changed"; fi
	# put the table back as retort made it (one statement per -c: either DROP may fail)
	psql -X -q -d "$DB_URL" -c "DROP VIEW IF EXISTS retort_version" -c "DROP TABLE IF EXISTS retort_version" \
		-c "DROP TABLE IF EXISTS v_rows" \
		-c "CREATE TABLE retort_version (version_num VARCHAR(32) NOT NULL, CONSTRAINT retort_version_pkc PRIMARY KEY (version_num))" \
		-c "INSERT INTO retort_version VALUES ('a2')" >/dev/null 2>&1
}
# an updatable view: PostgreSQL would have written through it
state_case "a view" "ALTER TABLE retort_version RENAME TO v_rows; CREATE VIEW retort_version AS SELECT version_num FROM v_rows;" \
	"the version table 'retort_version' is a view, not a table"
state_case "NULL" "ALTER TABLE retort_version DROP CONSTRAINT retort_version_pkc; ALTER TABLE retort_version ALTER version_num DROP NOT NULL; INSERT INTO retort_version VALUES (NULL);" \
	"holds a NULL version_num"
state_case "an ancestor" "INSERT INTO retort_version VALUES ('a1');" \
	"holds 'a1' together with 'a2', which comes after it"
unchanged "version tables"

done_testing
