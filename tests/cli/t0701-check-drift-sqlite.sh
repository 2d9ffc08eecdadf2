#!/bin/sh
# t0701-check-drift-sqlite: `check` and `drift` on SQLite files.
. "$RETORT_SRCDIR/tests/cli/lib.sh"
URL="sqlite:///$T_DIR/app.db"
PK=INTEGER
SQL() { sqlite3 "$T_DIR/app.db" "$1"; }
. "$RETORT_SRCDIR/tests/cli/check_drift.sh"
ls /tmp/retort-scratch-* >/dev/null 2>&1 && fail "scratch files were left behind" || ok "scratch files are removed"
done_testing
