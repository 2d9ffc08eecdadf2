#!/bin/sh
# t0202-postgres.sh - upgrade on PostgreSQL from the command line: a
# second runner waits for the first and says so (password masked), eight
# concurrent runners apply each revision once, stamp and --sql via psql.
. "$RETORT_SRCDIR/tests/cli/lib.sh"
pg_start
DB_URL=$(pg_new_db app) || { echo "cannot create database"; exit 1; }
# trust authentication ignores the password; it is here to be masked.
URL=$(printf '%s' "$DB_URL" | sed 's|postgresql:///|postgresql://postgres:s3cretpw@/|')

mkdir -p m/versions
cat >retort.ini <<INI
[retort]
script_location = m
url = $URL
lock_timeout = 30
INI
rev() {
	{
		printf -- '-- make %s\n--\n-- Revision ID: %s\n-- Revises: %s\n-- Transactional: %s\n\n-- retort:upgrade\n%s\n' \
			"$1" "$1" "$2" "${5:-yes}" "$3"
		printf '\n-- retort:downgrade\n%s\n' "$4"
	} >"m/versions/$1_make.sql"
}
prev=""
for i in 01 02 03 04 05 06 07 08 09 10; do
	rev "r$i" "$prev" "CREATE TABLE t$i (id INTEGER PRIMARY KEY);" "DROP TABLE t$i;"
	prev="r$i"
done
# A slow revision so a second runner has to wait for the lock.
rev r11 r10 "SELECT pg_sleep(2);" "SELECT 1;"
# Not transactional: a PL/pgSQL body with semicolons, CREATE INDEX CONCURRENTLY.
rev r12 r11 'CREATE FUNCTION add_one(i integer) RETURNS integer AS $$
BEGIN
  RETURN i + 1;
END;
$$ LANGUAGE plpgsql;
CREATE INDEX CONCURRENTLY ix_t01_id ON t01 (id);' "DROP FUNCTION add_one(integer);
DROP INDEX ix_t01_id;" no

pids=""
for n in 1 2 3 4 5 6 7 8; do
	"$RETORT" -q upgrade head >"out$n" 2>"err$n" &
	pids="$pids $!"
done
fails=0
for p in $pids; do wait "$p" || fails=$((fails + 1)); done
RC=$fails OUT="" ERR=$(cat err*)
expect_rc 0 "eight concurrent runners all succeed"
expect_err "waiting for another retort on postgresql://postgres:\*\*\*@" "a runner says it waits, URL masked"
expect_no_out "s3cretpw" "the password is never printed"

run psql -X -At -d "$DB_URL" -c "SELECT version_num FROM retort_version" -c "SELECT count(*) FROM retort_history" -c "SELECT add_one(41)"
expect_out '^r12$' "version row at head"
expect_out '^12$' "each revision applied exactly once"
expect_out '^42$' "the non-transactional function works"

run retort current -v
expect_rc 0 "current -v"
expect_out 'postgresql://postgres:\*\*\*@' "current -v shows the masked URL"
expect_no_out "s3cretpw" "current -v hides the password"

run retort downgrade r10
expect_rc 0 "downgrade through the non-transactional revision"
run psql -X -At -d "$DB_URL" -c "SELECT count(*) FROM pg_proc WHERE proname = 'add_one'"
expect_out '^0$' "its downgrade ran"

run retort stamp r05
expect_rc 0 "stamp"
run psql -X -At -d "$DB_URL" -c "SELECT version_num FROM retort_version" -c "SELECT count(*) FROM t10"
expect_out '^r05$' "stamp moved the version row only"

run retort stamp --purge r10 --sql
expect_rc 0 "stamp --sql"
expect_out 'DELETE FROM "?retort_version"?' "stamp --purge --sql empties the table"

# Offline SQL into a second database gives the same version row.
OFF_URL=$(pg_new_db offline)
run retort upgrade r10 --sql
expect_rc 0 "upgrade --sql"
printf '%s\n' "$OUT" >up.sql
run psql -X -q -v ON_ERROR_STOP=1 -d "$OFF_URL" -f up.sql
expect_rc 0 "psql runs the offline SQL"
run psql -X -At -d "$OFF_URL" -c "SELECT version_num FROM retort_version" -c "SELECT count(*) FROM pg_tables WHERE tablename LIKE 't__'"
expect_out '^r10$' "offline version row"
expect_out '^10$' "offline schema"

run retort --url "postgresql://postgres:s3cretpw@/nosuchdb?host=$PG_HOST&port=$PG_PORT" current
expect_rc 2 "a database that does not exist (cannot connect: 2, like a bad URL)"
expect_no_out "s3cretpw" "the connection error hides the password"

done_testing
