#!/bin/sh
# t0704-squash-sqlite.sh - a history of 50 revisions squashed at 40 on
# SQLite: databases at 0, 10, 39, 40 and 50, and a fresh one, all reach
# head with the schema the original history builds (judged by `retort
# diff` and by SQLite's own catalog), running exactly the scripts they
# should (judged by the history table); drift on databases at and inside
# the range; prune, and the same again for databases at 40 and 50 and a
# fresh one; then a range in the middle of a history (FROM:TO).
. "$RETORT_SRCDIR/tests/cli/lib.sh"
. "$RETORT_SRCDIR/tests/cli/squash_history.sh"

command -v sqlite3 >/dev/null 2>&1 || { echo "skip: no sqlite3"; exit 77; }
mkdir -p m/versions
cat >retort.ini <<'INI'
[retort]
script_location = m
url = sqlite:///ref.db
INI
gen_history 50

# The schema as SQLite describes it: columns (views too), indexes, foreign keys.
catalog() {
	sqlite3 "$1" "
SELECT 'col', m.name, p.cid, p.name, p.type, p.\"notnull\", quote(p.dflt_value), p.pk
  FROM sqlite_master m, pragma_table_info(m.name) p
 WHERE m.type IN ('table', 'view') AND m.name NOT LIKE 'retort_%'
UNION ALL
SELECT 'idx', m.name, il.name, il.\"unique\", il.partial, ii.seqno, ii.name, ''
  FROM sqlite_master m, pragma_index_list(m.name) il, pragma_index_info(il.name) ii
 WHERE m.type = 'table' AND m.name NOT LIKE 'retort_%'
UNION ALL
SELECT 'fk', m.name, f.id, f.seq, f.\"table\", f.\"from\", f.\"to\", f.on_delete
  FROM sqlite_master m, pragma_foreign_key_list(m.name) f
 WHERE m.type = 'table' AND m.name NOT LIKE 'retort_%'
ORDER BY 1, 2, 3, 4;"
}

# What ran on a database after history row N: revision ids, space-separated.
ran_after() {
	sqlite3 "$1" "SELECT revision FROM retort_history WHERE id > $2 AND direction = 'upgrade' ORDER BY id" | tr '\n' ' ' | sed 's/ $//'
}
last_row() {
	sqlite3 "$1" "SELECT coalesce(max(id), 0) FROM retort_history" 2>/dev/null || echo 0
}
# The DDL SQLite keeps, as .schema prints it, without retort's own tables.
schema_text() {
	sqlite3 "$1" "SELECT sql || ';' FROM sqlite_master WHERE sql IS NOT NULL
		AND tbl_name NOT LIKE 'retort_%' AND name NOT LIKE 'sqlite_%' ORDER BY type, name"
}

# Databases along the original history, and the reference at head.
run retort upgrade -q head
expect_rc 0 "the reference database runs the whole original history"
retort --url sqlite:///db00.db ensure-version
for at in 10 39 40 50; do
	retort -q --url sqlite:///db$at.db upgrade "r$at" || fail "upgrade to r$at"
done
cp db40.db db40-kept.db
cp db50.db db50-kept.db
cp db10.db db10-kept.db
REF_CATALOG=$(catalog ref.db)
REF_SCHEMA=$(schema_text ref.db)
[ -n "$REF_CATALOG" ] && ok "the reference catalog is read" || fail "empty reference catalog"

run retort squash r40 -m "baseline of forty" --rev-id b40
expect_rc 0 "squash r40"
BASELINE=m/versions/b40_baseline_of_forty.sql
expect_out "$BASELINE" "the baseline's path is printed"
expect_out "Baseline b40 replaces 40 revisions \(r01 \.\. r40\)" "what it replaces is said"
if grep -q "^-- Replaces: $(seq_ids 1 40 | sed 's/ /, /g')\$" "$BASELINE"; then
	ok "the header lists the 40 ids in order"
else
	fail "Replaces header: $(grep Replaces "$BASELINE")"
fi
grep -q '^-- Revises: *$' "$BASELINE" && ok "the baseline is a base" || fail "the baseline revises something"
grep -q '^--   r04 (r04_step.sql:7): INSERT$' "$BASELINE" && ok "an INSERT is listed for review" || fail "r04's INSERT not listed"
grep -q '^--   r04 (r04_step.sql:8): UPDATE$' "$BASELINE" && ok "an UPDATE is listed with its line" || fail "r04's UPDATE not listed"
grep -q '^--   r20 (r20_upper.c): a C revision' "$BASELINE" && ok "the C revision is listed" || fail "r20 not listed"
grep -q 'r44' "$BASELINE" && fail "a revision after the range is listed" || ok "nothing after the range is listed"

run retort heads
expect_out "^r50 \(head\)$" "one head"
run retort history
expect_out "^b40 -> r41, " "r41 follows the baseline"
expect_out "^<base> -> b40 \(baseline\), baseline of forty" "the baseline is the base"
expect_no_out "r39" "the replaced revisions are not in the history"

run retort --url sqlite:///db10.db current -v
expect_out "^r10 \(inside the range baseline b40 replaces\)" "a database inside the range is recognised"
expect_out "This database needs them: it is at r10" "current -v says it needs the replaced files"
expect_out "40 pending revision\(s\)" "it will run r11 .. r50"
run retort --url sqlite:///db40.db current -v
expect_out "^r40 = b40 \(baseline\)" "the tip stands for the baseline"
expect_out "This database does not need them" "current -v says a database at the tip does not"
run retort --url sqlite:///db10.db --json current -v
if printf '%s' "$OUT" | python3 -c '
import json, sys
d = json.load(sys.stdin)
b = d["baselines"][0]
assert b["baseline"] == "b40" and b["needs_files"] and b["inside"] == "r10" and b["files_present"] == 40, b
'; then ok "--json says the same"; else fail "current --json baselines"; fi

run retort --url sqlite:///db10.db squash --prune
expect_rc 1 "prune refuses while the configured database is inside the range"
expect_err "is at revision 'r10', inside the range baseline 'b40' replaces" "and says which database and where"
[ -f m/versions/r11_step.sql ] && ok "nothing was removed" || fail "files were removed"

# drift replays a database's own heads: at the tip that is the baseline,
# inside the range the old history; both match what the database has.
cp db40-kept.db db40d.db
run retort --url sqlite:///db40d.db drift
expect_rc 0 "drift: a database at the tip matches the baseline's schema"
cp db10-kept.db db10d.db
run retort --url sqlite:///db10d.db drift
expect_rc 0 "drift: a database inside the range matches the old history up to its id"

# upgrade DB EXPECTED_RAN SAME_STATEMENTS: reach head, compare, check what ran.
check_upgrade() {
	_db=$1
	_before=$(last_row "$_db")
	run retort -q --url "sqlite:///$_db" upgrade head
	expect_rc 0 "$_db: upgrade head"
	run retort --url "sqlite:///$_db" current
	expect_out "^r50 \(head\)$" "$_db: at r50"
	run retort diff sqlite:///ref.db "sqlite:///$_db"
	expect_rc 0 "$_db: retort diff finds no difference from the original history's schema"
	if [ "$(catalog "$_db")" = "$REF_CATALOG" ]; then ok "$_db: SQLite's catalog matches"; else
		fail "$_db: catalog differs"; catalog "$_db" | diff - "$(printf '%s' "$REF_CATALOG" >ref.cat; echo ref.cat)" | head; fi
	if [ "$3" = same ]; then
		[ "$(schema_text "$_db")" = "$REF_SCHEMA" ] && ok "$_db: .schema is the reference's, statement for statement" ||
			fail "$_db: .schema differs"
	fi
	_ran=$(ran_after "$_db" "$_before")
	[ "$_ran" = "$2" ] && ok "$_db: ran exactly ${2:-nothing}" || fail "$_db: ran '$_ran', expected '$2'"
}

AFTER=$(seq_ids 41 50)
check_upgrade fresh.db "b40 $AFTER" different
check_upgrade db00.db "b40 $AFTER" different
check_upgrade db10.db "$(seq_ids 11 50)" same
check_upgrade db39.db "$(seq_ids 40 50)" same
check_upgrade db40.db "$AFTER" same
check_upgrade db50.db "" same
# r04, r09, ... inserted users 4, 9, ... through the original history; the baseline does not.
[ "$(sqlite3 ref.db 'SELECT count(*) FROM users WHERE id <= 40')" = 8 ] && ok "the original history moved data" ||
	fail "the reference lacks the range's rows"
[ "$(sqlite3 fresh.db 'SELECT count(*) FROM users WHERE id <= 40')" = 0 ] && ok "the baseline ran no data migration" ||
	fail "the baseline moved data"

run retort squash --prune
expect_rc 0 "prune once the configured database is past the range"
expect_out "removed .*m/versions/r01_step.sql" "the removed files are named"
[ "$(ls m/versions | wc -l)" -eq 11 ] && ok "the baseline and r41 .. r50 are left" || fail "left: $(ls m/versions)"
run retort squash --prune
expect_out "No replaced files to remove" "a second prune has nothing to do"

cp db40-kept.db db40p.db
cp db50-kept.db db50p.db
check_upgrade db40p.db "$AFTER" same
check_upgrade db50p.db "" same
check_upgrade fresh2.db "b40 $AFTER" different
cp db10-kept.db db10p.db
run retort --url sqlite:///db10p.db upgrade head
expect_rc 1 "a database inside a pruned range cannot go on"
expect_err "inside the range baseline 'b40' replaces; the files that would take it to the end of that range are gone" "and says why"

# Down again through the baseline: back to nothing, as its downgrade says.
run retort --url sqlite:///fresh2.db downgrade base
expect_rc 0 "downgrade base through the baseline"
[ -z "$(schema_text fresh2.db)" ] && ok "the baseline's downgrade drops what it created" || fail "left: $(schema_text fresh2.db)"

# FROM:TO: a range in the middle of a history; the baseline revises FROM's parent.
mkdir -p "$T_DIR/mid/m/versions" && cd "$T_DIR/mid" || exit 1
cat >retort.ini <<'INI'
[retort]
script_location = m
url = sqlite:///ref.db
INI
gen_history 12
retort -q upgrade head
for at in 03 05 08; do retort -q --url sqlite:///db$at.db upgrade "r$at"; done
run retort squash r04:r08 -m "middle" --rev-id mid8
expect_rc 0 "squash r04:r08"
grep -q '^-- Revises: r03$' m/versions/mid8_middle.sql && ok "the baseline revises r03" || fail "Revises: $(grep Revises m/versions/mid8_middle.sql)"
run retort history
expect_out "^r03 -> mid8 \(baseline\), middle" "the baseline sits on r03"
expect_out "^mid8 -> r09, " "r09 follows it"
REF_CATALOG=$(catalog ref.db)
for db in db03 db05 db08 fresh; do
	_before=$(last_row $db.db)
	run retort -q --url sqlite:///$db.db upgrade head
	expect_rc 0 "$db: upgrade head"
	run retort diff sqlite:///ref.db sqlite:///$db.db
	expect_rc 0 "$db: the same schema as the original history"
	[ "$(catalog $db.db)" = "$REF_CATALOG" ] && ok "$db: SQLite's catalog matches" || fail "$db: catalog differs"
	eval "ran_$db=\"\$(ran_after $db.db $_before)\""
done
[ "$ran_db03" = "mid8 r09 r10 r11 r12" ] && ok "before the range: the baseline" || fail "db03 ran $ran_db03"
[ "$ran_db05" = "r06 r07 r08 r09 r10 r11 r12" ] && ok "inside: the rest of the range" || fail "db05 ran $ran_db05"
[ "$ran_db08" = "r09 r10 r11 r12" ] && ok "at the tip: what follows" || fail "db08 ran $ran_db08"
[ "$ran_fresh" = "r01 r02 r03 mid8 r09 r10 r11 r12" ] && ok "fresh: up to r03, then the baseline" || fail "fresh ran $ran_fresh"
cd "$T_DIR" || exit 1

# A range whose net change rebuilds a table another one references ON
# DELETE CASCADE: the baseline says Foreign Keys: off and stays
# transactional, and a database before the range keeps every child row.
mkdir -p "$T_DIR/fk/m/versions" && cd "$T_DIR/fk" || exit 1
cat >retort.ini <<'INI'
[retort]
script_location = m
url = sqlite:///ref.db
INI
rev() { sql_rev "$1" "$2" "$3" "SELECT 1;"; }
rev f1 "" "CREATE TABLE parent (id INTEGER PRIMARY KEY, name TEXT);
CREATE TABLE child (id INTEGER PRIMARY KEY, pid INTEGER REFERENCES parent (id) ON DELETE CASCADE);"
rev f2 f1 "CREATE TABLE note (id INTEGER PRIMARY KEY);"
rev f3 f2 "DROP TABLE note;
CREATE TABLE parent2 (id INTEGER PRIMARY KEY, name TEXT NOT NULL DEFAULT '' CHECK (length(name) < 50));
INSERT INTO parent2 SELECT id, coalesce(name, '') FROM parent;
DROP TABLE parent;
ALTER TABLE parent2 RENAME TO parent;"
retort -q upgrade head || fail "the reference runs f1 .. f3"
retort -q --url sqlite:///at1.db upgrade f1 || fail "upgrade to f1"
sqlite3 at1.db "PRAGMA foreign_keys = ON; INSERT INTO parent VALUES (1, NULL), (2, 'b');
	INSERT INTO child VALUES (10, 1), (11, 2), (12, 2);"
run retort squash f2:f3 -m "fk baseline" --rev-id fkb
expect_rc 0 "squash f2:f3"
grep -q '^-- Foreign Keys: off$' m/versions/fkb_fk_baseline.sql && ok "the baseline's header says Foreign Keys: off" ||
	fail "header: $(sed -n '1,10p' m/versions/fkb_fk_baseline.sql)"
[ -f m/versions/fkb_fk_baseline.sql ] && ! grep -qi '^-- Transactional: *no' m/versions/fkb_fk_baseline.sql &&
	ok "the baseline stays transactional" || fail "the baseline is missing or written Transactional: no"
run retort -q --url sqlite:///at1.db upgrade head
expect_rc 0 "a database at f1 runs the baseline"
[ "$(sqlite3 at1.db 'SELECT group_concat(id || ":" || pid) FROM (SELECT * FROM child ORDER BY id)')" = "10:1,11:2,12:2" ] &&
	ok "every child row survives the rebuild of its parent" || fail "children: $(sqlite3 at1.db 'SELECT * FROM child')"
[ "$(sqlite3 at1.db "SELECT quote(name) FROM parent WHERE id = 1")" = "''" ] &&
	ok "the NULL name took the default" || fail "parent 1: $(sqlite3 at1.db 'SELECT * FROM parent WHERE id = 1')"
[ "$(sqlite3 at1.db 'PRAGMA foreign_keys')" = 0 ] && ok "a new connection's default is untouched" || fail "foreign_keys"
cd "$T_DIR" || exit 1

done_testing
