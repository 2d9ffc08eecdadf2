#!/bin/sh
# t0308-autogen-sqlite-hand-added-column: a generated SQLite rebuild copies
# the columns the revision was generated from.  When the live table has a
# column added by hand (or lacks one), the rebuild stops before changing
# anything, names the unexpected and missing columns and points at
# `retort drift`, online and in `upgrade --sql` run through sqlite3; the
# hand-made column keeps its values.
. "$RETORT_SRCDIR/tests/cli/lib.sh"

retort init migrations >/dev/null
echo "target_schema = schema.sql" >> retort.ini
V=migrations/versions

cat >schema.sql <<'SQL'
CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT, email TEXT);
SQL
run retort revision --autogenerate -m "users" --rev-id a1
expect_rc 0 "autogenerate users"
run retort upgrade head
expect_rc 0 "users is created"
sqlite3 app.db "INSERT INTO users VALUES (1, 'ann', 'a@x'), (2, 'bob', NULL);
ALTER TABLE users ADD COLUMN nickname TEXT; UPDATE users SET nickname = 'annie' WHERE id = 1;" || exit 1
sqlite3 app.db .schema >before.txt

# A change only a rebuild can make, generated from the migrations (which know no nickname).
sed -i 's/name TEXT,/name TEXT NOT NULL,/' schema.sql
run retort revision --autogenerate -m "name not null" --rev-id a2
expect_rc 0 "autogenerate the rebuild"
run retort upgrade head
expect_rc 1 "the rebuild stops"
expect_err 'nickname' "the message names the unexpected column"
expect_err 'retort drift' "and points at retort drift"
run sqlite3 app.db "SELECT group_concat(coalesce(nickname, '-')) FROM users"
[ "$OUT" = "annie,-" ] && ok "the hand-added column keeps its values" || fail "nickname values: $OUT"
sqlite3 app.db .schema >after.txt
cmp -s before.txt after.txt && ok "the schema is unchanged" || fail "schema changed: $(diff before.txt after.txt)"
run sqlite3 app.db "SELECT group_concat(version_num) FROM retort_version"
[ "$OUT" = a1 ] && ok "the version table still says a1" || fail "version: $OUT"

retort upgrade a1:a2 --sql >offline.sql || fail "no offline SQL"
run sqlite3 -bail app.db <offline.sql
[ "$RC" -ne 0 ] && ok "the offline SQL stops in sqlite3" || fail "the offline SQL ran through"
printf '%s\n' "$ERR" | grep -q nickname && ok "naming the unexpected column there too" || fail "offline message: $ERR"
run sqlite3 app.db "SELECT group_concat(coalesce(nickname, '-')) FROM users"
[ "$OUT" = "annie,-" ] && ok "offline, the hand-added column keeps its values" || fail "nickname values: $OUT"

run retort drift
expect_rc 1 "drift reports the hand-made column"
expect_out 'nickname' "by name"

# A column dropped by hand is named as missing.
sqlite3 app.db "ALTER TABLE users DROP COLUMN nickname; ALTER TABLE users DROP COLUMN email" || exit 1
run retort upgrade head
expect_rc 1 "a rebuild of a table that lost a column stops too"
expect_err 'missing.*email' "naming the missing column"
run sqlite3 app.db "SELECT count(*) FROM users"
[ "$OUT" = 2 ] && ok "and the rows are still there" || fail "rows: $OUT"

# Put the column back as the migrations expect: the rebuild applies.
sqlite3 app.db "ALTER TABLE users ADD COLUMN email TEXT" || exit 1
run retort upgrade head
expect_rc 0 "the table as generated from rebuilds"
run sqlite3 app.db "SELECT group_concat(name) FROM users"
[ "$OUT" = "ann,bob" ] && ok "with its rows" || fail "rows: $OUT"

done_testing
