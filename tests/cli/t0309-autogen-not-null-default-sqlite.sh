#!/bin/sh
# t0309-autogen-not-null-default-sqlite: not_null_default.sh on SQLite.
. "$RETORT_SRCDIR/tests/cli/lib.sh"
URL=sqlite:///app.db
# SQLite has no string_agg before 3.44: group_concat takes its place.
Q() { sqlite3 app.db "$(printf '%s' "$1" | sed 's/string_agg(\(.*\), \(.*\) ORDER BY id)/group_concat(\1, \2)/')"; }
. "$RETORT_SRCDIR/tests/cli/not_null_default.sh"
done_testing
