#!/bin/sh
# t0312-autogen-sqlite-objects: SQLite's own kinds through autogenerate:
# STRICT and WITHOUT ROWID tables, generated columns (virtual and stored),
# views over views and INSTEAD OF triggers on views, triggers that name
# other tables.  After each upgrade sqlite3's own .schema matches the
# target loaded directly (order aside), `check` finds nothing left, and
# the downgrade gives the previous schema back, rows kept.
. "$RETORT_SRCDIR/tests/cli/lib.sh"

retort init migrations >/dev/null
echo "target_schema = schema.sql" >> retort.ini

# same WHAT: the migrated schema equals schema.sql loaded directly
same() {
	rm -f ref.db
	sqlite3 ref.db <schema.sql || exit 1
	names_got=$(sqlite3 app.db "SELECT group_concat(type || ' ' || name, ', ') FROM (SELECT type, name FROM sqlite_schema WHERE name NOT LIKE 'retort%' AND name NOT LIKE 'sqlite%' ORDER BY 1, 2)")
	names_want=$(sqlite3 ref.db "SELECT group_concat(type || ' ' || name, ', ') FROM (SELECT type, name FROM sqlite_schema WHERE name NOT LIKE 'sqlite%' ORDER BY 1, 2)")
	[ "$names_got" = "$names_want" ] && ok "$1: the same objects" || fail "$1: objects $names_got, want $names_want"
	run retort check
	expect_rc 0 "$1: check finds nothing left"
	# Each object's definition, normalized by sqlite3 itself: pragma_table_xinfo and the tables' options.
	for t in $(sqlite3 ref.db "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite%'"); do
		q="SELECT group_concat(name || ' ' || type || ' ' || \"notnull\" || ' ' || coalesce(dflt_value, '-') || ' ' || pk || ' ' || hidden, '; ') FROM pragma_table_xinfo('$t')"
		[ "$(sqlite3 app.db "$q")" = "$(sqlite3 ref.db "$q")" ] && ok "$1: $t has the same columns" ||
			fail "$1: $t columns $(sqlite3 app.db "$q") want $(sqlite3 ref.db "$q")"
		q="SELECT sql LIKE '%WITHOUT ROWID%', sql LIKE '%STRICT%' FROM sqlite_schema WHERE name = '$t'"
		[ "$(sqlite3 app.db "$q")" = "$(sqlite3 ref.db "$q")" ] && ok "$1: $t has the same options" ||
			fail "$1: $t options $(sqlite3 app.db "$q") want $(sqlite3 ref.db "$q")"
	done
}

cat >schema.sql <<'SQL'
CREATE TABLE item (id INTEGER PRIMARY KEY, name TEXT NOT NULL, qty INTEGER NOT NULL DEFAULT 0,
	total INTEGER GENERATED ALWAYS AS (qty * 2) VIRTUAL, code TEXT GENERATED ALWAYS AS (upper(name)) STORED) STRICT;
CREATE TABLE tag (item_id INTEGER NOT NULL REFERENCES item (id), tag TEXT NOT NULL, PRIMARY KEY (item_id, tag)) WITHOUT ROWID;
CREATE TABLE audit (at TEXT, what TEXT);
CREATE VIEW item_names AS SELECT id, name FROM item;
CREATE VIEW short_names AS SELECT id FROM item_names WHERE length(name) < 5;
CREATE TRIGGER item_names_ins INSTEAD OF INSERT ON item_names BEGIN INSERT INTO item (id, name) VALUES (NEW.id, NEW.name); END;
CREATE TRIGGER item_audit AFTER INSERT ON item BEGIN INSERT INTO audit VALUES (datetime('now'), NEW.name); END;
SQL
run retort revision --autogenerate -m "objects" --rev-id a1
expect_rc 0 "autogenerate the objects"
run retort upgrade head
expect_rc 0 "upgrade"
same "created"
sqlite3 app.db "INSERT INTO item_names VALUES (1, 'bolt'); INSERT INTO tag VALUES (1, 'small');" || exit 1
[ "$(sqlite3 app.db "SELECT count(*) FROM audit")" = 1 ] && ok "the view's trigger and the table's trigger work" ||
	fail "audit rows: $(sqlite3 app.db "SELECT count(*) FROM audit")"

# Change what needs a rebuild and the view chain made again in order: item loses STRICT,
# tag stays WITHOUT ROWID with a new column, the inner view changes, the view trigger changes.
sed -i -e 's/) STRICT;/);/' \
	-e 's/tag TEXT NOT NULL, PRIMARY KEY/tag TEXT NOT NULL, note TEXT, PRIMARY KEY/' \
	-e 's/SELECT id, name FROM item;/SELECT id, name, qty FROM item;/' \
	-e 's/VALUES (NEW.id, NEW.name); END;/VALUES (NEW.id, upper(NEW.name)); END;/' schema.sql
run retort revision --autogenerate -m "change" --rev-id a2
expect_rc 0 "autogenerate the changes"
F=migrations/versions/a2_change.sql
up=$(sed -n '/^-- retort:upgrade/,/^-- retort:downgrade/p' $F)
first_drop_short=$(printf '%s\n' "$up" | grep -n 'DROP VIEW "short_names"' | cut -d: -f1)
first_drop_names=$(printf '%s\n' "$up" | grep -n 'DROP VIEW "item_names"' | cut -d: -f1)
create_names=$(printf '%s\n' "$up" | grep -n 'CREATE VIEW item_names' | cut -d: -f1)
create_short=$(printf '%s\n' "$up" | grep -n 'CREATE VIEW short_names' | cut -d: -f1)
create_trigger=$(printf '%s\n' "$up" | grep -n 'CREATE TRIGGER item_names_ins' | cut -d: -f1)
[ -n "$first_drop_short" ] && [ -n "$create_trigger" ] && [ "$first_drop_short" -lt "$first_drop_names" ] &&
	[ "$create_names" -lt "$create_short" ] && [ "$create_names" -lt "$create_trigger" ] &&
	ok "views dropped dependents first, created in dependency order, the view's trigger after it" ||
	fail "order: $up"
run retort upgrade head
expect_rc 0 "upgrade"
same "changed"
[ "$(sqlite3 app.db "SELECT group_concat(id || name) FROM item")" = "1bolt" ] && ok "the item row is kept" || fail "items"
[ "$(sqlite3 app.db "SELECT group_concat(item_id || tag) FROM tag")" = "1small" ] && ok "the tag row is kept" || fail "tags"
[ "$(sqlite3 app.db "SELECT code FROM item")" = "BOLT" ] && ok "the stored generated column is computed" || fail "code"

run retort downgrade a1
expect_rc 0 "downgrade"
item_sql=$(sqlite3 app.db "SELECT sql FROM sqlite_schema WHERE name = 'item'")
printf '%s' "$item_sql" | grep -q 'STRICT' && ok "item is STRICT again" || fail "item: $item_sql"
sqlite3 app.db "SELECT sql FROM sqlite_schema WHERE name = 'item_names_ins'" | grep -q 'NEW.name)' &&
	ok "the view's first trigger is back" || fail "trigger: $(sqlite3 app.db "SELECT sql FROM sqlite_schema WHERE type = 'trigger'")"
[ "$(sqlite3 app.db "SELECT count(*) FROM item") $(sqlite3 app.db "SELECT count(*) FROM tag")" = "1 1" ] &&
	ok "and the rows stay" || fail "rows after the downgrade"

done_testing
