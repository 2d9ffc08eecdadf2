#!/bin/sh
# t0705-squash-postgres.sh - the squash scenario on PostgreSQL: 20
# revisions squashed at 15; databases at 0, 5, 14, 15 and 20 and a fresh
# one reach head with the schema of the original history (judged by
# `retort diff` and by pg_dump), running the scripts they should (judged by
# the history table); prune, and the same for databases at 15 and 20 and a
# fresh one.
. "$RETORT_SRCDIR/tests/cli/lib.sh"
. "$RETORT_SRCDIR/tests/cli/squash_history.sh"

command -v pg_dump >/dev/null 2>&1 || { echo "skip: no pg_dump"; exit 77; }
pg_start
REF=$(pg_new_db ref) || { echo "cannot create database"; exit 1; }
db_url() {
	printf 'postgresql:///%s?host=%s&port=%s&user=postgres' "$1" "$PG_HOST" "$PG_PORT"
}
mkdir -p m/versions
cat >retort.ini <<INI
[retort]
script_location = m
url = $REF
INI
gen_history 20

# The schema as PostgreSQL dumps it, without retort's own tables.
dump() {
	# \restrict lines carry a random key per dump
	pg_dump -s --no-owner --no-privileges -T 'retort_*' -d "$(db_url "$1")" | grep -v -e '^--' -e '^$' -e '^\\'
}
ran_after() {
	psql -X -A -t -d "$(db_url "$1")" -c "SELECT revision FROM retort_history WHERE id > $2
		AND direction = 'upgrade' ORDER BY id" | tr '\n' ' ' | sed 's/ $//'
}
last_row() {
	psql -X -A -t -d "$(db_url "$1")" -c "SELECT coalesce(max(id), 0) FROM retort_history" 2>/dev/null || echo 0
}
copy_db() {
	psql -X -q -d "$PG_URL" -c "CREATE DATABASE \"$2\" TEMPLATE \"$1\"" >/dev/null
}

run retort upgrade -q head
expect_rc 0 "the reference database runs the whole original history"
pg_new_db db00 >/dev/null && retort --url "$(db_url db00)" ensure-version
for at in 05 14 15 20; do
	pg_new_db "db$at" >/dev/null && retort -q --url "$(db_url "db$at")" upgrade "r$at" || fail "upgrade to r$at"
done
copy_db db15 db15kept
copy_db db20 db20kept
pg_new_db fresh >/dev/null
REF_DUMP=$(dump ref)
printf '%s\n' "$REF_DUMP" | grep -q 'CREATE TABLE public.t16' && ok "the reference dump is read" ||
	fail "reference dump: $REF_DUMP"

run retort squash r15 -m "baseline of fifteen" --rev-id b15
expect_rc 0 "squash r15 on PostgreSQL"
BASELINE=m/versions/b15_baseline_of_fifteen.sql
grep -q "^-- Replaces: $(seq_ids 1 15 | sed 's/ /, /g')\$" "$BASELINE" && ok "the header lists r01 .. r15" ||
	fail "Replaces: $(grep Replaces "$BASELINE")"
grep -q '^--   r14 (r14_step.sql:7): INSERT$' "$BASELINE" && ok "data migrations are listed" || fail "r14 not listed"

run retort --url "$(db_url db05)" current -v
expect_out "This database needs them: it is at r05" "current -v: a database inside the range needs the files"

check_upgrade() {
	_before=$(last_row "$1")
	run retort -q --url "$(db_url "$1")" upgrade head
	expect_rc 0 "$1: upgrade head"
	run retort diff "$REF" "$(db_url "$1")"
	expect_rc 0 "$1: retort diff finds no difference from the original history's schema"
	if [ "$(dump "$1")" = "$REF_DUMP" ]; then ok "$1: pg_dump -s matches the reference"; else
		fail "$1: pg_dump differs"; dump "$1" | diff - "$(printf '%s\n' "$REF_DUMP" >ref.dump; echo ref.dump)" | head -20; fi
	_ran=$(ran_after "$1" "$_before")
	[ "$_ran" = "$2" ] && ok "$1: ran exactly ${2:-nothing}" || fail "$1: ran '$_ran', expected '$2'"
}

AFTER=$(seq_ids 16 20)
check_upgrade fresh "b15 $AFTER"
check_upgrade db00 "b15 $AFTER"
check_upgrade db05 "$(seq_ids 6 20)"
check_upgrade db14 "$(seq_ids 15 20)"
check_upgrade db15 "$AFTER"
check_upgrade db20 ""

run retort squash --prune
expect_rc 0 "prune"
[ "$(ls m/versions | wc -l)" -eq 6 ] && ok "the baseline and r16 .. r20 are left" || fail "left: $(ls m/versions)"
copy_db db15kept db15p
copy_db db20kept db20p
pg_new_db fresh2 >/dev/null
check_upgrade db15p "$AFTER"
check_upgrade db20p ""
check_upgrade fresh2 "b15 $AFTER"

done_testing
