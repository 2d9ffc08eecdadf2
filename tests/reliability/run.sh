#!/bin/bash
# run.sh - the reliability suite: retort is killed, cut off and raced, and
# after every trial the database's own client (sqlite3, psql; never
# retort) checks that the version table, the history table and the schema
# agree.
#
#   RETORT=$PWD/build/retort RETORT_SRCDIR=$PWD tests/reliability/run.sh [TRIALS [TERMINATIONS]]
#
# TRIALS (default 20; `make check` runs 20, the long form by hand 100) is
# per dialect and transaction mode.  Each trial starts `upgrade head` or
# `downgrade base` (at random where both are possible) and SIGKILLs it
# after a random delay within the run's length; on PostgreSQL,
# TERMINATIONS trials (default TRIALS; `make check` runs 10) end the run's
# connection with pg_terminate_backend instead.  Then 16 runners upgrade the same database at once: all must
# succeed and each revision must be applied exactly once.  Prints one
# summary line per part and the closing "N passed, N failed" line.
#
# The history: eight revisions in a line; r01 creates a ledger table, each
# rK (K > 1) creates tK, fills it with 500 rows and adds 'rK' to the
# ledger; each downgrade undoes its own.  So at version rH exactly
# t02..tH exist with 500 rows each, the ledger holds r01..rH, and the
# history's latest row says it moved the database to rH.
. "$RETORT_SRCDIR/tests/cli/lib.sh"

TRIALS=${1:-20}
TERMINATIONS=${2:-$TRIALS}
NREV=8
ROWS=500

mkdir -p m/versions
for k in $(seq 1 $NREV); do
	id=$(printf 'r%02d' "$k")
	prev=$( [ "$k" -gt 1 ] && printf 'r%02d' $((k - 1)) )
	if [ "$k" -eq 1 ]; then
		up="CREATE TABLE ledger (rev VARCHAR(8) PRIMARY KEY);
INSERT INTO ledger VALUES ('r01');"
		down="DROP TABLE ledger;"
	else
		t=$(printf 't%02d' "$k")
		up="CREATE TABLE $t (n INTEGER NOT NULL);
WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < $ROWS)
INSERT INTO $t SELECT n FROM s;
CREATE INDEX ix_$t ON $t (n);
INSERT INTO ledger VALUES ('$id');"
		down="DELETE FROM ledger WHERE rev = '$id';
DROP TABLE $t;"
	fi
	printf -- '-- %s\n--\n-- Revision ID: %s\n-- Revises: %s\n\n-- retort:upgrade\n%s\n\n-- retort:downgrade\n%s\n' \
		"$id" "$id" "$prev" "$up" "$down" >"m/versions/${id}_step.sql"
done

ini() {
	cat >retort.ini <<INI
[retort]
script_location = m
url = $URL
transaction_per_migration = $1
lock_timeout = 120
INI
}

# q SQL: one query with the database's own client, rows on lines, fields
# by '|'.  PostgreSQL's is one psql session kept open for the whole suite
# (a connection per query costs more than a trial), autocommitting each
# query; its errors are dropped, a failed query returns nothing.
q() {
	local line
	if [ "$DIALECT" = sqlite ]; then
		sqlite3 -bail app.db "$1"
		return
	fi
	printf '%s;\n\\echo __END__\n' "$1" >&7
	while IFS= read -r line <&8; do
		[ "$line" = __END__ ] && return 0
		printf '%s\n' "$line"
	done
	return 1
}

tables_sql() {
	if [ "$DIALECT" = sqlite ]; then
		echo "SELECT name FROM sqlite_master WHERE type = 'table' AND (name LIKE 't%' OR name IN ('ledger', 'retort_version', 'retort_history')) ORDER BY name"
	else
		echo "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND (tablename LIKE 't%' OR tablename IN ('ledger', 'retort_version', 'retort_history')) ORDER BY 1"
	fi
}

# check WHAT: the version table, the history and the schema agree.  Sets
# HEAD.  Two queries: which tables exist, then every fact about them as
# tagged rows (V version, H the history's latest heads_after, X history
# rows of another kind, L ledger, C row counts).
check() {
	local all tables sql facts want ledger hist k h got
	HEAD=""
	all=" $(q "$(tables_sql)" | tr '\n' ' ')"
	tables=$(printf '%s' "$all" | tr ' ' '\n' | grep -E '^(t0|ledger)' | tr '\n' ' ')
	sql="SELECT 'S', 'x'"
	case "$all" in *" retort_version "*)
		sql="$sql UNION ALL SELECT 'V', version_num FROM retort_version" ;; esac
	case "$all" in *" retort_history "*)
		sql="$sql UNION ALL SELECT 'H', (SELECT heads_after FROM retort_history WHERE direction IN ('upgrade', 'downgrade', 'stamp') ORDER BY id DESC LIMIT 1)"
		sql="$sql UNION ALL SELECT 'X', CAST(count(*) AS TEXT) FROM retort_history WHERE direction NOT IN ('upgrade', 'downgrade', 'stamp')" ;; esac
	case "$all" in *" ledger "*) sql="$sql UNION ALL SELECT 'L', rev FROM ledger" ;; esac
	for k in $tables; do
		case "$k" in t0*) sql="$sql UNION ALL SELECT 'C', CAST(count(*) AS TEXT) FROM $k" ;; esac
	done
	facts=$(q "$sql")
	case "$facts" in "S|x"*) ;; *) fail "$1: cannot read the database"; return ;; esac
	HEAD=$(printf '%s\n' "$facts" | sed -n 's/^V|//p' | sort | tr '\n' ' ' | sed 's/ $//')
	case "$all" in *" retort_history "*)
		hist=$(printf '%s\n' "$facts" | sed -n 's/^H|//p')
		if [ "$hist" != "$HEAD" ]; then
			fail "$1: version table says '$HEAD', the history's latest row '$hist'"
			return
		fi
		if [ "$(printf '%s\n' "$facts" | sed -n 's/^X|//p')" != 0 ]; then
			fail "$1: the history has a row of another kind"
			return
		fi ;;
	esac
	case "$HEAD" in ""|r0[1-8]) ;; *) fail "$1: version table holds '$HEAD'"; return ;; esac
	want=""
	ledger=""
	h=${HEAD#r0}
	[ -z "$HEAD" ] && h=0
	[ "$h" -ge 1 ] && { want="ledger "; ledger="r01"; }
	for k in $(seq 2 "$h"); do want="${want}t0$k "; ledger="$ledger r0$k"; done
	if [ "$tables" != "$want" ]; then
		fail "$1: at '$HEAD' the tables are '$tables', expected '$want'"
		return
	fi
	got=$(printf '%s\n' "$facts" | sed -n 's/^L|//p' | sort | tr '\n' ' ' | sed 's/ $//')
	[ "$got" = "$ledger" ] || { fail "$1: at '$HEAD' the ledger holds '$got'"; return; }
	got=$(printf '%s\n' "$facts" | sed -n 's/^C|//p' | sort -u | tr '\n' ' ')
	if [ "$h" -ge 2 ] && [ "$got" != "$ROWS " ]; then
		fail "$1: at '$HEAD' row counts are '$got'"
		return
	fi
	ok "$1: consistent at '${HEAD:-base}'"
}

rand_ms() { echo $(( (RANDOM * 32768 + RANDOM) % ($1 + 1) )); }

# One trial: run toward the far end, disrupt it after a random delay, check.
trial() {
	local label=$1 how=$2 span=$3 verb target delay pid rc

	if [ "$HEAD" = r08 ]; then verb=downgrade target=base
	elif [ -z "$HEAD" ]; then verb=upgrade target=head
	elif [ $((RANDOM % 2)) = 0 ]; then verb=upgrade target=head
	else verb=downgrade target=base; fi
	delay=$(rand_ms "$span")
	"$RETORT" -q "$verb" "$target" >out 2>err &
	pid=$!
	sleep "$(printf '%d.%03d' $((delay / 1000)) $((delay % 1000)))"
	if [ "$how" = kill ]; then
		kill -9 "$pid" 2>/dev/null
	else
		q "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'" >/dev/null
	fi
	{ wait "$pid"; } 2>/dev/null
	rc=$?
	case "$how:$rc" in
	kill:0|kill:137|terminate:0|terminate:1) ;;
	*) OUT=$(cat out) ERR=$(cat err); fail "$label: $verb exited $rc"; return ;;
	esac
	if grep -q "no connection to the server" err; then
		OUT="" ERR=$(cat err); fail "$label: the cleanup's message hides the cause"
	fi
	check "$label ($verb, $how after ${delay} ms, exit $rc)"
	if [ "$rc" = 0 ]; then
		case "$verb:$HEAD" in upgrade:r08|downgrade:) ;; *) fail "$label: exit 0 but the database is at '${HEAD:-base}'" ;; esac
	fi
	[ "$rc" = 0 ] && COMPLETED=$((COMPLETED + 1)) || STOPPED=$((STOPPED + 1))
}

# The time a whole upgrade takes: the span the random delays cover.
measure() {
	local t0 t1
	t0=$(date +%s%N)
	"$RETORT" -q upgrade head >/dev/null 2>&1
	t1=$(date +%s%N)
	"$RETORT" -q downgrade base >/dev/null 2>&1 || fail "$DIALECT: cannot downgrade to base"
	echo $(( (t1 - t0) / 1000000 * 8 / 10 + 10 ))
}

concurrent() {
	local before pids fails p n
	"$RETORT" -q downgrade base >/dev/null 2>&1
	before=$(q "SELECT coalesce(max(id), 0) FROM retort_history")
	pids="" fails=0
	for n in $(seq 1 16); do
		"$RETORT" -q upgrade head >"c$n.out" 2>"c$n.err" &
		pids="$pids $!"
	done
	for p in $pids; do wait "$p" || fails=$((fails + 1)); done
	OUT="" ERR=$(cat c*.err)
	RC=$fails
	expect_rc 0 "$DIALECT $1: 16 concurrent runners all succeed"
	n=$(q "SELECT count(*) FROM retort_history WHERE id > $before AND direction = 'upgrade'")
	[ "$n" = $NREV ] && ok "$DIALECT $1: each revision applied once ($n history rows)" \
		|| fail "$DIALECT $1: $n upgrade rows for $NREV revisions"
	check "$DIALECT $1: after 16 concurrent runners"
	echo "summary: $DIALECT $1: 16 concurrent runners done at ${SECONDS} s"
}

run_dialect() {
	local mode span
	for mode in true false; do
		ini "$mode"
		q "SELECT 1" >/dev/null 2>&1
		span=$(measure)
		HEAD=""
		COMPLETED=0 STOPPED=0
		for i in $(seq 1 "$TRIALS"); do trial "$DIALECT per_migration=$mode kill #$i" kill "$span"; done
		echo "summary: $DIALECT transaction_per_migration=$mode SIGKILL: $TRIALS trials, $STOPPED stopped mid-run, $COMPLETED completed, span ${span} ms, failures so far $T_FAILS, at ${SECONDS} s"
		if [ "$DIALECT" = postgresql ]; then
			COMPLETED=0 STOPPED=0
			for i in $(seq 1 "$TERMINATIONS"); do trial "$DIALECT per_migration=$mode terminate #$i" terminate "$span"; done
			echo "summary: $DIALECT transaction_per_migration=$mode pg_terminate_backend: $TERMINATIONS trials, $STOPPED stopped mid-run, $COMPLETED completed, failures so far $T_FAILS, at ${SECONDS} s"
		fi
		concurrent "per_migration=$mode"
	done
}

DIALECT=sqlite
URL=sqlite:///app.db
run_dialect

pg_start
URL=$(pg_new_db app) || { echo "cannot create database"; exit 1; }
coproc PSQL { psql -X -q -At -d "$URL" 2>/dev/null; }
# as plain descriptors: bash keeps a coprocess's own from subshells ($(q ...))
exec 7>&"${PSQL[1]}" 8<&"${PSQL[0]}"
DIALECT=postgresql
run_dialect
[ "$DIALECT" = postgresql ] && { echo '\q' >&7; exec 7>&- 8<&-; wait "$PSQL_PID" 2>/dev/null; }
done_testing
