#!/bin/sh
# t0209-integrity-postgres.sh - what retort reports is what happened, on
# PostgreSQL (the cases are in integrity.sh; psql is the oracle), and a
# connection the server ends mid-script is reported with the server's
# own message at file:line.
. "$RETORT_SRCDIR/tests/cli/lib.sh"
pg_start
URL=$(pg_new_db app) || { echo "cannot create database"; exit 1; }
DIALECT=postgresql
q() { psql -X -q -At -v ON_ERROR_STOP=1 -d "$URL" -c "$1"; }
. "$RETORT_SRCDIR/tests/cli/integrity.sh"

# --- the server ends the connection mid-script ----------------------------
for tx in yes no; do
	reset_db
	rev b2 a1 "CREATE TABLE t2 (id INTEGER);
SELECT pg_sleep(30);
CREATE TABLE t3 (id INTEGER);" "$tx"
	"$RETORT" upgrade head >out 2>err &
	pid=$!
	n=0
	until q "SELECT 1 FROM pg_stat_activity WHERE query LIKE '%pg_sleep(30)%' AND pid <> pg_backend_pid()" | grep -q 1; do
		n=$((n + 1)); [ $n -gt 200 ] && break; sleep 0.05
	done
	q "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE '%pg_sleep(30)%' AND pid <> pg_backend_pid()" >/dev/null
	wait $pid
	RC=$? OUT=$(cat out) ERR=$(cat err)
	expect_rc 1 "Transactional: $tx: a terminated connection fails the run"
	expect_err "b2_make\\.sql:9: terminating connection due to administrator command" "Transactional: $tx: the server's message at file:line"
	expect_no_out "no connection to the server" "Transactional: $tx: not the cleanup's message"
	case "$(heads)" in *b2*) fail "b2 recorded" ;; *) ok "Transactional: $tx: b2 not recorded" ;; esac
done
done_testing
