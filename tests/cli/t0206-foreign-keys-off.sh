#!/bin/sh
# t0206-foreign-keys-off: the `Foreign Keys: off` header on SQLite.  The
# runner switches foreign keys off before the revision's BEGIN (so ON
# DELETE actions do not fire), fails and rolls back when the revision broke
# a foreign key (a violation that was there before is left alone), and
# puts the setting back after, also after a failure; with
# transaction_per_migration = false such a revision runs in its own
# transaction; `--sql` prints the pragmas around BEGIN and COMMIT.
. "$RETORT_SRCDIR/tests/cli/lib.sh"

mkdir -p m/versions
cat >retort.ini <<'INI'
[retort]
script_location = m
url = sqlite:///app.db
INI
# rev ID PARENT FK UP: a SQL revision, with "Foreign Keys: FK" when FK is set.
rev() {
	{
		printf -- '-- %s\n--\n-- Revision ID: %s\n-- Revises: %s\n' "$1" "$1" "$2"
		[ -n "$3" ] && printf -- '-- Foreign Keys: %s\n' "$3"
		printf '\n-- retort:upgrade\n%s\n\n-- retort:downgrade\nSELECT 1;\n' "$4"
	} >"m/versions/$1.sql"
}
state() {
	sqlite3 app.db "SELECT (SELECT group_concat(id) FROM parent) || ' / ' || (SELECT group_concat(id) FROM child)
		|| ' / ' || (SELECT group_concat(version_num) FROM retort_version)"
}

rev a1 "" "" "CREATE TABLE parent (id INTEGER PRIMARY KEY, name TEXT);
CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES parent (id) ON DELETE CASCADE);
CREATE TABLE stray (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES parent (id));
INSERT INTO parent VALUES (1, 'a'), (2, 'b'), (3, 'c');
INSERT INTO child VALUES (10, 1), (20, 2), (30, 3);"
run retort upgrade a1
expect_rc 0 "the tables are created"
# A violation from before, made where foreign keys were off (sqlite3's default).
sqlite3 app.db "INSERT INTO stray VALUES (1, 999)" || exit 1

# Rebuilding the referenced table by hand, with foreign keys off: nothing cascades.
rev b2 a1 off "CREATE TABLE parent_new (id INTEGER PRIMARY KEY, name TEXT NOT NULL DEFAULT '');
INSERT INTO parent_new SELECT id, coalesce(name, '') FROM parent;
DROP TABLE parent;
ALTER TABLE parent_new RENAME TO parent;"
# A revision that breaks a reference: it fails and rolls back.
rev c3 b2 off "DELETE FROM parent WHERE id = 1;"
run retort upgrade head
expect_rc 1 "a revision that breaks a foreign key fails"
expect_err "c3.sql: the revision ran with foreign keys off .* the first in table 'child'" "naming the table"
[ "$(state)" = "1,2,3 / 10,20,30 / b2" ] && ok "b2 rebuilt parent without cascading; c3 rolled back" ||
	fail "state: $(state)"
run sqlite3 app.db "SELECT count(*) FROM stray"
[ "$OUT" = 1 ] && ok "the violation from before stopped nothing" || fail "stray: $OUT"

# After the Foreign Keys: off revision the setting is back on: a DELETE cascades.
rev c3 b2 "" "DELETE FROM parent WHERE id = 1;"
run retort upgrade head
expect_rc 0 "the next revision runs"
[ "$(state)" = "2,3 / 20,30 / c3" ] && ok "with foreign keys on again (the DELETE cascaded)" || fail "state: $(state)"

# One transaction for the whole run: the Foreign Keys: off revision gets its own.
rm -f app.db && rm -f m/versions/b2.sql m/versions/c3.sql
echo "transaction_per_migration = false" >>retort.ini
rev b2 a1 off "DELETE FROM parent WHERE id = 3; DELETE FROM child WHERE id = 30;"
rev c3 b2 "" "DELETE FROM parent WHERE id = 1;"
rev d4 c3 "" "INSERT INTO nosuch VALUES (1);"
run retort upgrade head
expect_rc 1 "a failure after the Foreign Keys: off revision"
expect_err "rolled back to b2" "rolls back to the end of its transaction"
[ "$(state)" = "1,2 / 10,20 / b2" ] && ok "a1 and b2 stay, c3 is undone" || fail "state: $(state)"
rev d4 c3 "" "SELECT 1;"
run retort upgrade head
expect_rc 0 "the rest runs"
[ "$(state)" = "2 / 20 / d4" ] && ok "c3 cascades: foreign keys are on again after b2" || fail "state: $(state)"

# Offline: the pragmas go around the revision's transaction.
run retort upgrade a1:c3 --sql
expect_rc 0 "offline SQL"
printf '%s\n' "$OUT" >offline.sql
awk '/^COMMIT;|^BEGIN;|^PRAGMA foreign_keys|^-- Running/ { print }' offline.sql >order.txt
cat >want.txt <<'TXT'
PRAGMA foreign_keys = OFF;
BEGIN;
-- Running upgrade a1 -> b2
COMMIT;
PRAGMA foreign_keys = ON;
BEGIN;
-- Running upgrade b2 -> c3
COMMIT;
TXT
cmp -s order.txt want.txt && ok "PRAGMA off, BEGIN, the revision, COMMIT, PRAGMA on" ||
	fail "offline order: $(cat order.txt)"
expect_out '_retort_fk_before' "the violations from before are kept"
expect_out 'pragma_foreign_key_check' "and compared at the end"
rm -f app.db
retort upgrade a1 >/dev/null || fail "a1 again"
run sqlite3 -bail app.db <offline.sql
expect_rc 0 "sqlite3 runs the offline SQL"
[ "$(state)" = "2 / 20 / c3" ] && ok "with the same result as online" || fail "state: $(state)"

done_testing
