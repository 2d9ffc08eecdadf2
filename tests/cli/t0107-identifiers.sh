#!/bin/sh
# t0107-identifiers: the identifiers Alembic users type, on SQLite and
# PostgreSQL, judged by the database's own catalog: `downgrade LABEL@base`
# removes the whole labelled branch and `show LABEL@base` names nothing;
# `current` in show, edit and history ranges; `-1` at base and `-3` past
# base fail alike.
. "$RETORT_SRCDIR/tests/cli/lib.sh"

rev() { # id parents label table
	cat >"m/versions/$1.sql" <<SQL
-- $1
--
-- Revision ID: $1
-- Revises: $2
-- Branch Labels: $3

-- retort:upgrade
CREATE TABLE $4 (id INTEGER PRIMARY KEY);

-- retort:downgrade
DROP TABLE $4;
SQL
}
mkdir -p m/versions
rev m0 "" "" t_m0
rev m1 m0 "" t_m1
rev m2 m1 "" t_m2
rev n0 "" net t_n0
rev n1 n0 "" t_n1
rev f0 m1 feat t_f0
rev f1 f0 "" t_f1

tables_sqlite() { sqlite3 app.db "SELECT name FROM sqlite_master WHERE type='table' AND name LIKE 't\_%' ESCAPE '\\' ORDER BY name" | tr '\n' ' '; }
tables_pg() { psql -X -At -d "$PG_APP" -c "SELECT tablename FROM pg_tables WHERE schemaname='public' AND tablename LIKE 't\_%' ORDER BY 1" | tr '\n' ' '; }

check_dialect() { # name tables-function
	d=$1 tables=$2
	run retort downgrade -1
	expect_rc 1 "$d: downgrade -1 at base fails as a runtime error"
	expect_err "'-1' walks past base" "$d: -1 at base says it walks past base"
	run retort upgrade m2
	run retort downgrade -9
	expect_rc 1 "$d: downgrade -9 past base fails with the same status"
	expect_err "'-9' walks past base" "$d: -9 past base, the same message family"

	run retort upgrade heads
	expect_rc 0 "$d: upgrade heads"
	run retort show net@base
	expect_rc 0 "$d: show net@base"
	[ -z "$OUT" ] && ok "$d: show net@base names no revision" || fail "$d: show net@base printed $OUT"
	run retort downgrade net@base
	expect_rc 0 "$d: downgrade net@base"
	expect_out "Running downgrade n0 -> , n0" "$d: the branch's first revision goes too"
	[ "$($tables)" = "t_f0 t_f1 t_m0 t_m1 t_m2 " ] && ok "$d: the whole net branch is gone, the rest stays" \
		|| fail "$d: tables after net@base: $($tables)"

	# one base left: like Alembic, LABEL@base then takes everything from it
	run retort downgrade feat@base
	expect_rc 0 "$d: downgrade feat@base"
	[ -z "$($tables)" ] && ok "$d: feat@base with one base goes to base" || fail "$d: tables left: $($tables)"

	run retort upgrade m2
	run retort show current
	expect_rc 0 "$d: show current"
	expect_out "^Rev: m2 \(head\)" "$d: show current shows the database's revision"
	# as in Alembic, -N counts down from every head: on this graph the
	# starts overlap; on a single line it is the last N below current
	run retort history -r -1:current
	expect_rc 1 "$d: history -r -1:current with overlapping starts"
	expect_err "names revisions on one lineage" "$d: says the starts overlap"
	run retort -c line.ini upgrade l3
	run retort -c line.ini history -r -2:current
	expect_rc 0 "$d: history -r -2:current"
	[ "$(printf '%s\n' "$OUT" | cut -d, -f1 | tr '\n' ' ')" = "l2 -> l3 l1 -> l2 " ] \
		&& ok "$d: -2:current on a line below head l4 is l2..l3" || fail "$d: -2:current gave $OUT"
	run retort -c line.ini history -r current:
	expect_rc 0 "$d: history -r current:"
	[ "$(printf '%s\n' "$OUT" | cut -d, -f1 | tr '\n' ' ')" = "l3 -> l4 (head) l2 -> l3 " ] \
		&& ok "$d: current: is l3..head" || fail "$d: current: gave $OUT"
	: >edited.txt
	EDITOR="$T_DIR/ed.sh" run retort edit current
	expect_rc 0 "$d: edit current"
	grep -q "/m2.sql" edited.txt && ok "$d: edit current opens m2" || fail "$d: editor got $(cat edited.txt)"
	run retort downgrade base
	EDITOR="$T_DIR/ed.sh" run retort edit current
	expect_rc 1 "$d: edit current at base fails"
	expect_err "the database is at base" "$d: and says why"
}

mkdir -p l/versions
for i in 1 2 3 4; do
	prev=""; [ $i -gt 1 ] && prev=l$((i - 1))
	sed "s/^-- Revision ID: m0/-- Revision ID: l$i/; s/^-- Revises: *$/-- Revises: $prev/; s/t_m0/t_l$i/" \
		m/versions/m0.sql >l/versions/l$i.sql
done
printf '#!/bin/sh\necho "$1" >> "%s/edited.txt"\n' "$T_DIR" >ed.sh
chmod +x ed.sh
printf '[retort]\nscript_location = m\nurl = sqlite:///app.db\n' >retort.ini
printf '[retort]\nscript_location = l\nurl = sqlite:///line.db\n' >line.ini
check_dialect sqlite tables_sqlite

pg_start
PG_APP=$(pg_new_db app) || { echo "cannot create database"; exit 1; }
printf '[retort]\nscript_location = m\nurl = %s\n' "$PG_APP" >retort.ini
printf '[retort]\nscript_location = l\nurl = %s\nversion_table = line_version\n' "$PG_APP" >line.ini
check_dialect postgresql tables_pg

run retort show current
expect_rc 0 "show current at base"
run retort --url sqlite:///other.db show current
expect_rc 0 "show current reads a missing database as base"
[ ! -e other.db ] && ok "and creates nothing" || fail "show current created other.db"

done_testing
