#!/bin/sh
# t0702-check-drift-postgres: `check` and `drift` on a private PostgreSQL.
. "$RETORT_SRCDIR/tests/cli/lib.sh"
pg_start
URL=$(pg_new_db app)
PK=serial
SQL() { psql -X -q -v ON_ERROR_STOP=1 -d "$URL" -c "$1"; }
. "$RETORT_SRCDIR/tests/cli/check_drift.sh"

# The target loads in one transaction; what PostgreSQL refuses inside one
# (CREATE INDEX CONCURRENTLY) loads statement by statement instead.
cp schema.sql schema.bak
sed -i 's/^CREATE INDEX posts_user/CREATE INDEX CONCURRENTLY posts_user/' schema.sql
grep -q CONCURRENTLY schema.sql || fail "the target was not changed"
run retort check
expect_rc 0 "a target with CREATE INDEX CONCURRENTLY still loads (and matches)"
mv schema.bak schema.sql
left=$(psql -X -At -d "$PG_URL" -c "select count(*) from pg_database where datname like 'retort_scratch_%'")
[ "$left" = 0 ] && ok "scratch databases are dropped" || fail "$left scratch database(s) left behind"
done_testing
