#!/bin/sh
# t0204-stamp.sh - stamp, stamp --purge and ensure-version on SQLite, and
# how current -v explains a head no script defines.
. "$RETORT_SRCDIR/tests/cli/lib.sh"

mkdir -p m/versions
cat >retort.ini <<'INI'
[retort]
script_location = m
url = sqlite:///app.db
INI
rev() {
	printf -- '-- make %s\n--\n-- Revision ID: %s\n-- Revises: %s\n\n-- retort:upgrade\nCREATE TABLE t_%s (id INTEGER);\n\n-- retort:downgrade\nDROP TABLE t_%s;\n' \
		"$1" "$1" "$2" "$1" "$1" >"m/versions/$1_make.sql"
}
rev aaa1 ""
rev bb01 aaa1
rev bb02 aaa1

run retort ensure-version --sql
expect_rc 0 "ensure-version --sql"
expect_out 'CREATE TABLE IF NOT EXISTS "?retort_history"?' "it creates the history table too"
run retort ensure-version
expect_rc 0 "ensure-version"
run sqlite3 app.db "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY 1"
expect_out '^retort_history$' "history table created"
expect_out '^retort_version$' "version table created"

run retort stamp bb01 bb02
expect_rc 0 "stamp two heads"
expect_out '^Running stamp  -> bb01, bb02' "stamp reports what it did"
run sqlite3 app.db "SELECT version_num FROM retort_version ORDER BY 1; SELECT count(*) FROM sqlite_master WHERE name LIKE 't_%'"
expect_out '^bb01$' "first head"
expect_out '^bb02$' "second head"
expect_out '^0$' "no script ran"

run retort stamp
expect_rc 2 "stamp needs a target"

# The revision file disappears (say, another branch is checked out).
rm m/versions/bb02_make.sql
run retort current -v
expect_rc 0 "current -v with an unknown head"
expect_out "bb02 \\(unknown\\)" "the unknown head is marked"
expect_out "'bb02', which no script defines; it was applied .* by " "provenance from the history table"
expect_out "retort stamp" "the way out is named"
run retort upgrade head
expect_rc 1 "upgrade refuses an unknown head"
expect_err "'bb02', which no script defines" "and explains it"
run retort stamp aaa1
expect_rc 1 "stamp without --purge refuses too"
run retort stamp --purge bb01
expect_rc 0 "stamp --purge fixes it"
run sqlite3 app.db "SELECT version_num FROM retort_version"
expect_out '^bb01$' "only the purged-to head is left"
run retort current --check-heads
expect_rc 0 "and that is the head now"

done_testing
