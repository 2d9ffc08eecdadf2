#!/bin/sh
# t0701-check-drift-sqlite: `check` and `drift` on SQLite files.
. "$RETORT_SRCDIR/tests/cli/lib.sh"
URL="sqlite:///$T_DIR/app.db"
# Scratch databases go to TMPDIR: a private one shows what is left behind.
mkdir -p "$T_DIR/tmp" && export TMPDIR="$T_DIR/tmp"
PK=INTEGER
SQL() { sqlite3 "$T_DIR/app.db" "$1"; }
. "$RETORT_SRCDIR/tests/cli/check_drift.sh"
[ -z "$(ls "$T_DIR/tmp")" ] && ok "scratch files are removed" || fail "scratch files were left behind: $(ls "$T_DIR/tmp")"
done_testing
