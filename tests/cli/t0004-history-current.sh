#!/bin/sh
# t0004-history-current: `history --indicate-current` marks the database's
# heads, on a branched history, in text and JSON, and creates nothing.
. "$RETORT_SRCDIR/tests/cli/lib.sh"

retort init -q migrations >/dev/null
rev() {
	printf -- '-- %s\n--\n-- Revision ID: %s\n-- Revises: %s\n\n-- retort:upgrade\nCREATE TABLE t_%s (x int);\n\n-- retort:downgrade\nDROP TABLE t_%s;\n' \
		"$1" "$1" "$2" "$1" "$1" > "migrations/versions/$1.sql"
}
rev a1 ""
rev b2 a1
rev c3 a1
export RETORT_URL="sqlite:///$T_DIR/app.db"

run retort history --indicate-current
expect_rc 0 "history -i on a database without a version table"
expect_no_out "current" "nothing is current yet"
[ ! -e app.db ] && ok "history -i creates no database file" || fail "history -i created app.db"
run retort current
expect_rc 0 "current on a database file that does not exist"
[ ! -e app.db ] && ok "current creates no database file" || fail "current created app.db"
run retort drift
expect_rc 2 "drift refuses a database that does not exist (2: nothing to compare)"
expect_err "there is no database at" "drift says why"

run retort upgrade b2
run retort history --indicate-current
expect_out '^a1 -> b2 \(head\) \(current\), b2$' "b2 is marked current"
expect_out '^a1 -> c3 \(head\), c3$' "c3 is not"
expect_out '^<base> -> a1 \(branchpoint\), a1$' "a1 is not (only heads are rows)"

run retort upgrade heads
run retort --json history -i
if printf '%s' "$OUT" | python3 -c '
import json, sys
d = {r["revision"]: r["current"] for r in json.load(sys.stdin)}
assert d == {"a1": False, "b2": True, "c3": True}, d
'; then ok "--json history -i marks both heads"; else fail "--json history -i is wrong: $OUT"; fi

run retort history
expect_no_out "current" "plain history does not connect or mark anything"

done_testing
