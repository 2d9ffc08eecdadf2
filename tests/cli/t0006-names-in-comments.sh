#!/bin/sh
# t0006-names-in-comments: generated SQL splices table and column names
# into "--" comments; a name holding a line break must not end the comment
# and turn the rest of the name into a statement that runs.
. "$RETORT_SRCDIR/tests/cli/lib.sh"

sqlite3 from.db 'CREATE TABLE users (id INTEGER PRIMARY KEY); INSERT INTO users VALUES (1);
CREATE TABLE "a
DELETE FROM users;
--" (x, "y
DELETE FROM users;
--" int);'
sqlite3 to.db 'CREATE TABLE users (id INTEGER PRIMARY KEY); CREATE TABLE "a
DELETE FROM users;
--" (x);'

run retort diff sqlite:///from.db sqlite:///to.db
expect_rc 1 "the schemas differ"
expect_out '^-- destructive: ' "the drop is flagged destructive"
if printf '%s\n' "$OUT" | grep -q '^-- batch: rebuild "a DELETE FROM users; --" by move and copy'; then
	ok "the name stays inside its comment line"
else
	fail "no comment line carries the whole name"
fi
printf '%s\n' "$OUT" > up.sql
sqlite3 from.db < up.sql
[ "$(sqlite3 from.db 'select count(*) from users')" = 1 ] && ok "applying the script deletes no rows" \
	|| fail "rows were deleted by a name that escaped its comment"

done_testing
