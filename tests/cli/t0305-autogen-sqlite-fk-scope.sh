#!/bin/sh
# t0305-autogen-sqlite-fk-scope: the foreign-key check that ends generated
# SQLite SQL (autogenerate and `retort diff`) looks only at what the script
# can break: each rebuilt table's own foreign keys, and the rows of other
# tables that point at a rebuilt or dropped table.  A violation already in
# an unrelated table does not stop the script and is left as it was; a
# reference the script does break still fails it, and the revision rolls
# back.  The rebuilt table's name holds a quote and a line break, so both
# the check's literals and its comments must quote it.
. "$RETORT_SRCDIR/tests/cli/lib.sh"

retort init migrations >/dev/null
echo "target_schema = schema.sql" >> retort.ini
V=migrations/versions
NL='
'
OWNER="own'er${NL}x"      # the table's name
QOWNER="\"own'er${NL}x\"" # ... as an identifier in SQL

# schema OWNER_NAME_TYPE [NOTE_REFERENCES]: write target_schema.  The tag
# tables are there only while TAGS=1.
schema() {
	{
		echo "CREATE TABLE u (id INTEGER PRIMARY KEY);"
		echo "CREATE TABLE bad (id INTEGER PRIMARY KEY, u_id INTEGER REFERENCES u (id));"
		echo "CREATE TABLE $QOWNER (id INTEGER PRIMARY KEY, name $1);"
		echo "CREATE TABLE kid (id INTEGER PRIMARY KEY, o_id INTEGER REFERENCES $QOWNER (id), u_id INTEGER REFERENCES u (id));"
		echo "CREATE TABLE note (id INTEGER PRIMARY KEY, u_id INTEGER ${2:-});"
		if [ "$TAGS" = 1 ]; then
			echo "CREATE TABLE tag (id INTEGER PRIMARY KEY);"
			echo "CREATE TABLE tag_link (id INTEGER PRIMARY KEY, tag_id INTEGER REFERENCES tag (id));"
		fi
	} >schema.sql
}

# violations: every foreign key violation in app.db, one "table|rowid|parent" a line, sorted
violations() {
	sqlite3 app.db "SELECT \"table\" || '|' || rowid || '|' || parent FROM pragma_foreign_key_check ORDER BY 1"
}

# owner_sql: the CREATE TABLE text of the table whose name needs quoting
owner_sql() {
	sqlite3 app.db "SELECT sql FROM sqlite_master WHERE name = '$(printf '%s' "$OWNER" | sed "s/'/''/g")'"
}

# check_line FILE: the text of the line the last error named in FILE
check_line() {
	_line=$(printf '%s\n' "$ERR" | sed -n "s|.*$(basename "$1"):\([0-9][0-9]*\):.*|\1|p" | head -1)
	[ -n "$_line" ] && sed -n "${_line}p" "$1"
}

TAGS=1
schema TEXT
run retort revision --autogenerate -m "tables" --rev-id a1
expect_rc 0 "autogenerate the tables"
run retort upgrade head
expect_rc 0 "the tables are created"
# Violations from before, in tables the next revision does not rebuild:
# bad -> u, kid -> u (kid also references the rebuilt table), tag_link -> tag.
sqlite3 app.db "PRAGMA foreign_keys = OFF;
INSERT INTO u VALUES (1);
INSERT INTO bad VALUES (1, 99);
INSERT INTO $QOWNER VALUES (1, 'a'), (2, 'b');
INSERT INTO kid VALUES (10, 1, 77), (11, 2, NULL);
INSERT INTO note VALUES (1, 5);
INSERT INTO tag VALUES (1);
INSERT INTO tag_link VALUES (1, 1), (2, 55);" || exit 1
BEFORE="bad|1|u
kid|10|u
tag_link|2|tag"
[ "$(violations)" = "$BEFORE" ] && ok "the database starts with three unrelated violations" ||
	fail "violations before: $(violations)"

# Rebuild the referenced table and drop the tag tables (tag_link goes too).
TAGS=0
schema "VARCHAR(20)"
run retort revision --autogenerate -m "retype name" --rev-id a2
expect_rc 0 "autogenerate a rebuild and two drops"
F=$V/a2_retype_name.sql
up=$(sed -n '/^-- retort:upgrade$/,/^-- retort:downgrade$/p' $F)
printf '%s\n' "$up" | grep -q "^-- batch: rebuild \"own'er x\"" && ok "the table is rebuilt" || fail "no batch: $up"
printf '%s\n' "$up" | grep -q "pragma_foreign_key_check('own''er$" &&
	ok "its own foreign keys are checked, its name a quoted literal" || fail "no check of the rebuilt table: $up"
printf '%s\n' "$up" | grep -q "pragma_foreign_key_check('kid') WHERE \"parent\" = 'own''er$" &&
	ok "kid's references to it are checked" || fail "no check of kid: $up"
printf '%s\n' "$up" | grep -q "^-- \"kid\" references \"own'er x\": only its rows" &&
	ok "a comment on one line says what is checked" || fail "no comment for kid's check: $up"
printf '%s\n' "$up" | grep -Eq "pragma_foreign_key_check(;|\(('bad'|'u'|'tag_link'|'note')\))" &&
	fail "unrelated tables are checked: $up" || ok "no unrelated table is checked"
grep -q '^-- Transactional: yes' $F && ok "the revision runs in a transaction" || fail "header: $(sed -n 1,10p $F)"
run retort upgrade head
expect_rc 0 "the rebuild applies despite violations elsewhere"
run owner_sql
expect_out 'VARCHAR\(20\)' "the rebuild applied the new type"
run sqlite3 app.db "SELECT group_concat(id) FROM kid"
[ "$OUT" = "10,11" ] && ok "the referencing rows are still there" || fail "kid rows: $OUT"
[ "$(violations)" = "bad|1|u
kid|10|u" ] && ok "the unrelated violations are left as they were" || fail "violations after: $(violations)"
run retort check
expect_rc 0 "the schema matches target_schema"
run retort downgrade -1
expect_rc 0 "the downgrade (a rebuild back, the tag tables recreated) applies too"
run retort upgrade head
expect_rc 0 "and upgrades again"

# The same through `retort diff`, applied by sqlite3 inside a transaction with foreign keys on.
cp app.db from.db
schema "VARCHAR(20) COLLATE NOCASE"
sqlite3 to.db ".read schema.sql" || exit 1
run retort diff sqlite:///from.db sqlite:///to.db
expect_rc 1 "diff: the schemas differ"
printf '%s\n' "$OUT" >up.sql
grep -q "pragma_foreign_key_check('kid') WHERE \"parent\" = 'own''er$" up.sql && ok "diff: kid's references are checked" ||
	fail "diff: no check of kid: $(cat up.sql)"
run sqlite3 -bail -cmd "PRAGMA foreign_keys = ON" -cmd "BEGIN" from.db ".read up.sql" "COMMIT"
expect_rc 0 "diff: the SQL applies in a transaction despite violations elsewhere"
run retort diff sqlite:///from.db sqlite:///to.db
expect_rc 0 "diff: the schemas are then equal"

# A hand-written statement removes a parent row kid references before the batch.
schema "TEXT NOT NULL DEFAULT ''"
run retort revision --autogenerate -m "name not null" --rev-id a3
expect_rc 0 "autogenerate another rebuild"
F=$V/a3_name_not_null.sql
awk -v stmt="DELETE FROM \"own'er\nx\" WHERE id = 2;" '!done && /^-- batch: rebuild/ { print stmt; done = 1 } { print }' \
	$F >a3.tmp && mv a3.tmp $F
run retort upgrade head
expect_rc 1 "a rebuild that leaves a reference to the table broken fails"
expect_err 'CHECK constraint failed' "the foreign-key check stops it"
check_line $F | grep -q "pragma_foreign_key_check('kid') WHERE \"parent\" = 'own''er" &&
	ok "the failing line is the check of kid's references" || fail "failing line: $(check_line $F)"
run retort current
expect_out '^a2' "the failed revision is not recorded"
run sqlite3 app.db "SELECT count(*) FROM $QOWNER"
[ "$OUT" = 2 ] && ok "the deleted row is back" || fail "rows after the failure: $OUT"
run owner_sql
expect_out 'VARCHAR\(20\),' "the table keeps its old shape"
rm $F

# The target adds a foreign key that note's rows break.
schema "VARCHAR(20)" "REFERENCES u (id)"
run retort revision --autogenerate -m "note references u" --rev-id a4
expect_rc 0 "autogenerate a new foreign key"
F=$V/a4_note_references_u.sql
run retort upgrade head
expect_rc 1 "a rebuild whose own rows break a new foreign key fails"
check_line $F | grep -q "pragma_foreign_key_check('note');" &&
	ok "the failing line is note's own check" || fail "failing line: $(check_line $F)"
run retort current
expect_out '^a2' "the failed revision is not recorded"
run sqlite3 app.db "SELECT sql FROM sqlite_master WHERE name = 'note'"
expect_no_out 'REFERENCES' "note is left without the foreign key"
[ "$(violations)" = "bad|1|u
kid|10|u" ] && ok "and the violations are those from before" || fail "violations at the end: $(violations)"

done_testing
