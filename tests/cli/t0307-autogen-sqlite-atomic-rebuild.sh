#!/bin/sh
# t0307-autogen-sqlite-atomic-rebuild: a SQLite revision that rebuilds a
# table another table references ON DELETE CASCADE stays transactional
# (its header asks for foreign keys off around the transaction instead of
# `Transactional: no`), and a rebuild that fails half way - on a NOT NULL
# row, a CHECK, a foreign key - leaves the schema, the rows and the version
# table exactly as they were, online and through `upgrade --sql` piped into
# sqlite3 -bail.  What is compared is sqlite3's own `.schema` and counts.
. "$RETORT_SRCDIR/tests/cli/lib.sh"

retort init migrations >/dev/null
echo "target_schema = schema.sql" >> retort.ini
V=migrations/versions

# snapshot: the schema as sqlite3 dumps it, every table's rows, the version table
snapshot() {
	sqlite3 app.db .schema
	for t in parent child other retort_version; do
		echo "$t:"
		sqlite3 app.db "SELECT * FROM $t ORDER BY 1" 2>&1
	done
}
rows() {
	sqlite3 app.db "SELECT (SELECT group_concat(id || ':' || coalesce(name, '-'), ',') FROM parent)
		|| ' / ' || (SELECT group_concat(id || '>' || parent_id, ',') FROM child)
		|| ' / ' || (SELECT group_concat(id || '>' || coalesce(ref, '-'), ',') FROM other)
		|| ' / ' || (SELECT group_concat(version_num) FROM retort_version)"
}

cat >schema.sql <<'SQL'
CREATE TABLE parent (id INTEGER PRIMARY KEY, name TEXT);
CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES parent (id) ON DELETE CASCADE);
CREATE TABLE other (id INTEGER PRIMARY KEY, ref INTEGER);
CREATE VIEW parent_names AS SELECT name FROM parent;
CREATE INDEX child_parent ON child (parent_id);
SQL
run retort revision --autogenerate -m "tables" --rev-id a1
expect_rc 0 "autogenerate the tables"
run retort upgrade head
expect_rc 0 "the tables are created"
sqlite3 app.db "INSERT INTO parent VALUES (1, 'a'), (2, NULL), (3, 'bad');
INSERT INTO child VALUES (10, 1), (11, 2), (12, 3);
INSERT INTO other VALUES (20, 1), (21, 99);" || exit 1
BEFORE_ROWS="1:a,2:-,3:bad / 10>1,11>2,12>3 / 20>1,21>99 / a1"
[ "$(rows)" = "$BEFORE_ROWS" ] && ok "rows in place" || fail "rows: $(rows)"
snapshot >before.txt

# try NAME DESCRIPTION: autogenerate revision a2 from schema.sql, fail to
# apply it online and offline, and find the database untouched each time.
try() {
	run retort revision --autogenerate -m "$1" --rev-id a2
	expect_rc 0 "$2: autogenerate"
	F=$(ls $V/a2_*.sql)
	grep -q '^-- Transactional: yes' "$F" && ok "$2: the revision is transactional" ||
		fail "$2: header: $(sed -n 1,12p "$F")"
	run retort upgrade head
	expect_rc 1 "$2: the upgrade fails"
	snapshot >after.txt
	if cmp -s before.txt after.txt; then ok "$2: schema, rows and version table unchanged"
	else fail "$2: the database changed: $(diff before.txt after.txt)"; fi
	run retort upgrade head
	expect_rc 1 "$2: a retry fails the same way"
	expect_no_out "no such view" "$2: and not because the first attempt left something behind"
	retort upgrade a1:a2 --sql >offline.sql 2>offline.err || fail "$2: no offline SQL: $(cat offline.err)"
	run sqlite3 -bail app.db <offline.sql
	[ "$RC" -ne 0 ] && ok "$2: the offline SQL fails in sqlite3" || fail "$2: the offline SQL ran through"
	snapshot >after.txt
	if cmp -s before.txt after.txt; then ok "$2: offline, schema, rows and version table unchanged"
	else fail "$2: offline, the database changed: $(diff before.txt after.txt)"; fi
	rm -f "$F"
}

# NOT NULL on the referenced table (rebuilt with foreign keys off), with a NULL row.
sed -i 's/name TEXT)/name TEXT NOT NULL)/' schema.sql
try "name not null" "NOT NULL"
# A CHECK that one row breaks.
sed -i "s/name TEXT NOT NULL)/name TEXT CHECK (name <> 'bad'))/" schema.sql
try "name check" "CHECK"
sed -i "s/name TEXT CHECK (name <> 'bad'))/name TEXT)/" schema.sql
# A foreign key that one row breaks.
sed -i 's/ref INTEGER)/ref INTEGER REFERENCES parent (id))/' schema.sql
try "other ref" "foreign key"
sed -i 's/ref INTEGER REFERENCES parent (id))/ref INTEGER)/' schema.sql

# Fixed data: the cascading rebuild applies in its transaction and keeps every row.
sed -i 's/name TEXT)/name TEXT NOT NULL)/' schema.sql
run retort revision --autogenerate -m "name not null" --rev-id a2
expect_rc 0 "autogenerate the rebuild again"
sqlite3 app.db "UPDATE parent SET name = 'b' WHERE id = 2" || exit 1
run retort upgrade head
expect_rc 0 "with the row fixed the rebuild applies"
[ "$(rows)" = "1:a,2:b,3:bad / 10>1,11>2,12>3 / 20>1,21>99 / a2" ] && ok "no child row cascaded away" ||
	fail "rows after: $(rows)"
run sqlite3 app.db "SELECT count(*) FROM sqlite_master WHERE name GLOB '_retort_*'"
[ "$OUT" = 0 ] && ok "nothing left behind" || fail "left behind: $OUT"
run sqlite3 app.db "PRAGMA foreign_keys"
[ "$OUT" = 0 ] && ok "a new sqlite3 session starts with its own default" || fail "foreign_keys: $OUT"
run retort check
expect_rc 0 "the schema matches target_schema"
run retort downgrade a1
expect_rc 0 "the rebuilding downgrade applies"
[ "$(rows)" = "1:a,2:b,3:bad / 10>1,11>2,12>3 / 20>1,21>99 / a1" ] && ok "and keeps every row" ||
	fail "rows after the downgrade: $(rows)"

done_testing
