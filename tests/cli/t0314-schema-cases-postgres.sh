#!/bin/sh
# t0314-schema-cases-postgres.sh - the PostgreSQL schema cases of
# tests/schema/postgres/ (functions, triggers, policies, types,
# materialized views, partitions, dependencies, privileges, extensions),
# each migrated both ways with `retort diff` and judged by pg_dump of the
# migrated database against the target loaded directly.
. "$RETORT_SRCDIR/tests/cli/lib.sh"
pg_start
run python3 "$RETORT_SRCDIR/tests/schema/run_cases.py" "$RETORT" "$RETORT_SRCDIR/tests/schema/postgres" "$PG_URL" -v
printf '%s\n' "$OUT" | grep -E '^(ok|FAIL) ' | while IFS= read -r line; do printf '  %s\n' "$line"; done
expect_rc 0 "every case converges both ways, judged by pg_dump"
expect_no_out '^FAIL ' "no case fails"
done_testing
