#!/bin/sh
# t0703-drift-report: what drift blames.  An index added by hand on a table
# a view reads is reported alone: the untouched view is not (SQLite and
# PostgreSQL); a dropped column still recreates the view over it.  An
# applied script edited since it ran is named first; a summary of the
# changes comes before their SQL.
. "$RETORT_SRCDIR/tests/cli/lib.sh"

mkdir -p m/versions
cat >m/versions/a1.sql <<'SQL'
-- users and a view
--
-- Revision ID: a1
-- Revises:

-- retort:upgrade
CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT, email TEXT);
CREATE VIEW v_users AS SELECT id, name FROM users WHERE id > 0;
CREATE VIEW v_all AS SELECT * FROM v_users;

-- retort:downgrade
DROP VIEW v_all;
DROP VIEW v_users;
DROP TABLE users;
SQL

check_dialect() { # name exec-sql-function
	d=$1 x=$2
	run retort upgrade head
	expect_rc 0 "$d: upgrade"
	run retort drift
	expect_rc 0 "$d: no drift right after upgrade"
	$x "CREATE INDEX ix_users_name ON users (name)"
	run retort drift
	expect_rc 1 "$d: an index added by hand is drift"
	expect_out 'CREATE INDEX "?ix_users_name"?' "$d: the index is reported"
	expect_no_out "VIEW" "$d: the untouched views are not"
	[ "$(printf '%s\n' "$OUT" | sed -n 1p)" = "-- 1 change made outside the migrations:" ] \
		&& ok "$d: a summary comes first" || fail "$d: first line: $(printf '%s\n' "$OUT" | sed -n 1p)"
	expect_out "^--   create_index (public\.)?users\.ix_users_name$" "$d: the summary names the change"
	$x "DROP INDEX ix_users_name"

	# a column dropped under a view: that view is recreated, as it must be
	$x "DROP VIEW v_all; DROP VIEW v_users; ALTER TABLE users DROP COLUMN email; CREATE VIEW v_users AS SELECT id, name FROM users WHERE id > 0; CREATE VIEW v_all AS SELECT * FROM v_users"
	run retort drift
	expect_rc 1 "$d: a dropped column is drift"
	expect_out "^--   (drop_column (public\.)?users\.email|rebuild_table users) \(destructive\)$" "$d: summarized"
	expect_out "^--   drop_view (public\.)?v_users$" "$d: the view over the column is recreated"
	$x "DROP VIEW v_all; DROP VIEW v_users; ALTER TABLE users ADD COLUMN email TEXT; CREATE VIEW v_users AS SELECT id, name FROM users WHERE id > 0; CREATE VIEW v_all AS SELECT * FROM v_users"
	run retort drift
	expect_rc 0 "$d: put back, no drift"

	# an applied script edited since it ran is named first
	cp m/versions/a1.sql a1.orig
	sed -i 's/name TEXT, email TEXT/name TEXT, email TEXT, age INTEGER/' m/versions/a1.sql
	run retort drift
	expect_rc 1 "$d: an edited applied script"
	expect_err "warning: applied revision a1 .*a1.sql\) was edited since it ran" "$d: the edit is named"
	expect_out "between the \(edited\) migrations and the live schema" "$d: the summary does not blame the database"
	cp a1.orig m/versions/a1.sql
	run retort downgrade base -q
}

printf '[retort]\nscript_location = m\nurl = sqlite:///app.db\n' >retort.ini
x_sqlite() { sqlite3 app.db "$1"; }
check_dialect sqlite x_sqlite

pg_start
PG_APP=$(pg_new_db app) || { echo "cannot create database"; exit 1; }
printf '[retort]\nscript_location = m\nurl = %s\n' "$PG_APP" >retort.ini
x_pg() { psql -X -q -v ON_ERROR_STOP=1 -d "$PG_APP" -c "$1"; }
check_dialect postgresql x_pg

done_testing
