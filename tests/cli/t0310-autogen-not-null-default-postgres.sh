#!/bin/sh
# t0310-autogen-not-null-default-postgres: not_null_default.sh on PostgreSQL.
. "$RETORT_SRCDIR/tests/cli/lib.sh"
pg_start
URL=$(pg_new_db app)
Q() { psql -X -q -At -v ON_ERROR_STOP=1 -d "$URL" -c "$1"; }
. "$RETORT_SRCDIR/tests/cli/not_null_default.sh"
done_testing
