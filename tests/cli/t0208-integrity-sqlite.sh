#!/bin/sh
# t0208-integrity-sqlite.sh - what retort reports is what happened, on
# SQLite (the cases are in integrity.sh; sqlite3 is the oracle).
. "$RETORT_SRCDIR/tests/cli/lib.sh"
DIALECT=sqlite
URL=sqlite:///app.db
q() { sqlite3 app.db "$1"; }
. "$RETORT_SRCDIR/tests/cli/integrity.sh"
done_testing
