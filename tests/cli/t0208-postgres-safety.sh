#!/bin/sh
# t0208-postgres-safety.sh - guarded runs on PostgreSQL: another session holds
# ACCESS EXCLUSIVE on a table; the revision waits ddl_lock_timeout, is
# rolled back and tried again, and succeeds once the lock is released; when
# the lock is never released the run fails after the last attempt with the
# database unchanged (pg_dump -s and the version table).  Also: a header
# overrides retort.ini, statement_timeout cancels a slow statement, a
# non-transactional revision is not retried, a one-transaction run starts
# over, and `upgrade --dry-run -v` shows the timeouts and locks.  Then
# lint with the catalog: table sizes make an index build an error, and
# the database's column types, checks and function volatility decide what
# the text alone cannot.
. "$RETORT_SRCDIR/tests/cli/lib.sh"
pg_start
DB_URL=$(pg_new_db app) || { echo "cannot create database"; exit 1; }

mkdir -p m/versions
cat >retort.ini <<INI
[retort]
script_location = m
url = $DB_URL
ddl_lock_timeout = 200ms
ddl_lock_retries = 3
ddl_lock_retry_delay = 300ms

[single]
script_location = m
url = $DB_URL
transaction_per_migration = false
ddl_lock_timeout = 200ms
ddl_lock_retries = 5
ddl_lock_retry_delay = 300ms
INI
# rev ID PARENT SQL [HEADER-LINES]
rev() {
	{
		printf -- '-- %s\n--\n-- Revision ID: %s\n-- Revises: %s\n' "$1" "$1" "$2"
		[ -n "${4:-}" ] && printf -- '%s\n' "$4"
		printf '\n-- retort:upgrade\n%s\n\n-- retort:downgrade\nSELECT 1;\n' "$3"
	} >"m/versions/$1.sql"
}
q() { psql -X -At -v ON_ERROR_STOP=1 -d "$DB_URL" -c "$1"; }

rev r1 "" "CREATE TABLE t (id int PRIMARY KEY);
INSERT INTO t SELECT g FROM generate_series(1, 500) g;
ANALYZE t;"
run retort -q upgrade head
expect_rc 0 "the first revision applies"

# hold_lock: a second session takes ACCESS EXCLUSIVE on t and keeps its
# transaction open until release_lock.
hold_lock() {
	rm -f hold holder.out
	mkfifo hold
	psql -X -q -At -d "$DB_URL" <hold >holder.out 2>&1 &
	HOLDER=$!
	exec 3>hold
	echo "BEGIN; LOCK TABLE t IN ACCESS EXCLUSIVE MODE; SELECT 'locked';" >&3
	i=0
	until grep -q locked holder.out 2>/dev/null; do
		i=$((i + 1)); [ $i -gt 100 ] && { echo "the holder never got its lock"; exit 1; }
		sleep 0.1
	done
}
release_lock() {
	echo "ROLLBACK;" >&3
	exec 3>&-
	wait "$HOLDER"
}
# wait_for FILE PATTERN: until FILE holds PATTERN (10 s at most).
wait_for() {
	i=0
	until grep -Eq -- "$2" "$1" 2>/dev/null; do
		i=$((i + 1)); [ $i -gt 100 ] && return 1
		sleep 0.1
	done
}

# 1. Released after the first retry is logged: the run succeeds.
rev r2 r1 "ALTER TABLE t ADD COLUMN note text;"
hold_lock
"$RETORT" upgrade head >out2 2>err2 &
RUNNER=$!
if wait_for err2 "attempt 1 of 4"; then ok "the timed-out attempt is logged"; else fail "no retry was logged"; fi
release_lock
wait "$RUNNER"
RC=$? OUT=$(cat out2) ERR=$(cat err2)
expect_rc 0 "the run succeeds once the lock is released"
expect_err "upgrade r1 -> r2 waited too long for a lock \(attempt 1 of 4\): .*r2.sql:7: canceling statement due to lock timeout; rolled back, trying again in 300ms" \
	"the retry names the revision, file:line, the server's message and the pause"
expect_out "Running upgrade r1 -> r2" "the revision is reported once it ran"
run q "SELECT version_num FROM retort_version"
expect_out '^r2$' "the version table moved to r2"
run q "SELECT count(*) FROM information_schema.columns WHERE table_name = 't' AND column_name = 'note'"
expect_out '^1$' "the column was added"

# 2. Never released: every attempt times out, the run fails cleanly.
rev r3 r2 "ALTER TABLE t ADD COLUMN other int;
CREATE INDEX t_other ON t (other);"
# pg_dump 15.14 and later fence the dump with a random \restrict key
schema() { pg_dump -s -d "$DB_URL" | grep -v '^\\\(un\)\{0,1\}restrict '; }
schema >before.sql
HIST_BEFORE=$(q "SELECT count(*) FROM retort_history")
hold_lock
run retort upgrade head
release_lock
expect_rc 1 "the run fails when the lock never comes"
expect_err "attempt 3 of 4" "every retry is logged"
expect_err "retort: error: gave up after 4 attempts \(ddl_lock_retries = 3\): .*r3.sql:7: canceling statement due to lock timeout" \
	"the error says how many attempts were made and where"
schema >after.sql
if cmp -s before.sql after.sql; then ok "the schema is unchanged (pg_dump -s)"; else fail "the schema changed: $(diff before.sql after.sql | head -5)"; fi
run q "SELECT version_num FROM retort_version"
expect_out '^r2$' "the version table still says r2"
run q "SELECT count(*) FROM retort_history"
expect_out "^$HIST_BEFORE\$" "no history row was written"

# 3. A header overrides retort.ini: a 5 s lock_timeout outwaits a 1 s lock.
rm m/versions/r3.sql
rev r3 r2 "ALTER TABLE t ADD COLUMN other int;" "-- Lock Timeout: 5s"
run retort upgrade head --dry-run -v
expect_out "lock_timeout 5s \(header\), statement_timeout \(server's\)" "the dry run shows the header's timeout"
expect_out "^    m/versions/r3.sql:8: ALTER TABLE: ACCESS EXCLUSIVE lock on t \(~500 rows\), blocks reads and writes" \
	"the dry run shows each statement's lock and the table's estimated rows"
hold_lock
"$RETORT" upgrade head >out3 2>err3 &
RUNNER=$!
sleep 1
release_lock
wait "$RUNNER"
RC=$? OUT=$(cat out3) ERR=$(cat err3)
expect_rc 0 "the revision waits as long as its header says"
expect_no_out "attempt" "no retry was needed"

# 4. Statement Timeout cancels a slow statement; it is not a lock wait, so no retry.
rev r4 r3 "SELECT pg_sleep(3);" "-- Statement Timeout: 200ms"
run retort upgrade head
expect_rc 1 "a statement past its statement_timeout fails"
expect_err "r4.sql:8: canceling statement due to statement timeout" "the server's message names the statement"
expect_no_out "attempt" "a statement timeout is not retried"
rm m/versions/r4.sql

# 5. Transactional: no: timeouts apply per statement, no retry, settings reset after.
rev r4 r3 "ALTER TABLE t ADD COLUMN z int;" "-- Transactional: no"
hold_lock
run retort upgrade head
release_lock
expect_rc 1 "a non-transactional revision fails on its lock timeout"
expect_err "not tried again \(Transactional: no: what ran before stays applied\): .*r4.sql:8: canceling statement due to lock timeout" \
	"the error says why it was not retried"
expect_no_out "attempt" "it was not retried"
run retort upgrade head
expect_rc 0 "with the lock gone it applies"

# 6. A one-transaction run starts over after a lock timeout.
rev r5 r4 "CREATE TABLE u (id int);"
rev r6 r5 "ALTER TABLE t ADD COLUMN w int;"
hold_lock
"$RETORT" -n single upgrade head >out6 2>err6 &
RUNNER=$!
if wait_for err6 "attempt 1 of 6"; then ok "the one-transaction run logs its retry"; else fail "no retry in the one-transaction run"; fi
run q "SELECT count(*) FROM pg_tables WHERE tablename = 'u'"
expect_out '^0$' "the whole run was rolled back meanwhile"
release_lock
wait "$RUNNER"
RC=$? OUT=$(cat out6) ERR=$(cat err6)
expect_rc 0 "the one-transaction run succeeds after the release"
run q "SELECT version_num FROM retort_version"
expect_out '^r6$' "it reached head"

# 7. Values are checked where they are written.
rev r7 r6 "SELECT 1;" "-- Lock Timeout: soon"
run retort upgrade head
expect_rc 1 "a malformed header stops the run"
expect_err "r7.sql:5: Lock Timeout must be a duration such as 500ms, 5s or 1min \(0: no limit\), not 'soon'" \
	"the header's line is named"
rm m/versions/r7.sql
printf '[retort]\nscript_location = m\nddl_lock_timeout = 5\n' >bad.ini
run retort -c bad.ini current
expect_rc 2 "a duration without a unit is a configuration error"
expect_err "bad.ini:3: 'ddl_lock_timeout' must be a duration" "the ini line is named"

# 8. lint --db: what the catalog knows.
printf '[small]\nscript_location = m\nurl = %s\nlint_large_table = 100\n' "$DB_URL" >>retort.ini
rev r7 r6 "CREATE INDEX t_w ON t (w);"
run retort lint --all --db
expect_rc 0 "an index build on a 500-row table is a warning under the default threshold"
expect_out "warning: m/versions/r7.sql:7: R101 index-not-concurrent: .* \[SHARE lock on t: blocks writes\]" \
	"the finding names the lock"
run retort -n small lint --all --db --format json
expect_rc 1 "above lint_large_table it is an error"
if printf '%s' "$OUT" | python3 -c '
import json, sys
d = json.load(sys.stdin)
f = [f for f in d["findings"] if f["code"] == "R101"]
assert len(f) == 1 and f[0]["level"] == "error", f
assert f[0]["estimated_rows"] == 500 and f[0]["table"] == "t" and f[0]["lock"] == "SHARE", f
assert "lint_large_table = 100" in f[0]["message"], f
'; then ok "the estimate and the threshold are in the finding"; else fail "the size escalation is wrong"; fi
run retort -n small lint --all
expect_rc 0 "without --db nothing is known about sizes"
rm m/versions/r7.sql

q "UPDATE t SET note = 'x'; ALTER TABLE t ADD CONSTRAINT note_nn CHECK (note IS NOT NULL);
CREATE FUNCTION stable_now() RETURNS timestamptz STABLE LANGUAGE sql AS 'SELECT now()';" >/dev/null
cat >change.sql <<'SQL'
ALTER TABLE t ALTER COLUMN note SET NOT NULL;
ALTER TABLE t ADD COLUMN at timestamptz DEFAULT stable_now();
ALTER TABLE t ALTER COLUMN note TYPE text;
ALTER TABLE t ALTER COLUMN id TYPE bigint;
SQL
run retort lint change.sql
expect_out "change.sql:1: R106" "offline, SET NOT NULL has no proof"
expect_out "change.sql:2: R104 .*stable_now\(\) \(not known to be stable" "offline, an unknown function may be volatile"
expect_out "change.sql:3: R109 .*current type is unknown" "offline, a column's type is unknown"
run retort lint --db change.sql
expect_no_out "R106" "the validated CHECK in the database proves NOT NULL"
expect_no_out "R104" "pg_proc says the function is stable"
expect_no_out "change.sql:3" "text to text is no change"
expect_out "change.sql:4: R109 alter-column-type: ALTER COLUMN id TYPE int8 rewrites t \(from int4\)" \
	"the current type comes from the catalog"

done_testing
