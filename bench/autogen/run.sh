#!/bin/sh
# run.sh - the autogenerate benchmark: `retort revision --autogenerate
# --from-db` on N tables of 10 columns with an index and a foreign key
# each (the live database lacks one column in every 100th table), on
# SQLite and on a private PostgreSQL, beside the floor of the dev-database
# method (load the target into a fresh database in one transaction with
# sqlite3 / psql -1, dump the live schema with .schema / pg_dump -s; on
# SQLite also into an in-memory database, as retort's scratch is; on
# PostgreSQL also with the fresh database's CREATE and DROP, which retort's
# own run includes) and beside Alembic's autogenerate of the same schema
# declared as SQLAlchemy tables.  Also `revision --autogenerate` that
# replays the migrations instead of reading the live database.  Prints
# hyperfine's table, the medians and the ratios to the floor; with
# CALLGRIND=1 also the instructions of retort and of the floor (SQLite:
# steady however loaded the machine is).
#
#   RETORT=path/to/retort bench/autogen/run.sh [sqlite|postgres|all]
#
# Environment: N (default 1000), RUNS (default 5), PYTHON (a python3 with
# alembic; default /usr/bin/python3), ALEMBIC=0 to leave Alembic out.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
srcdir=$(cd "$here/../.." && pwd)
RETORT=${RETORT:-retort}
case $RETORT in /*) ;; *) RETORT=$(cd "$(dirname "$RETORT")" && pwd)/$(basename "$RETORT") ;; esac
N=${N:-1000}
RUNS=${RUNS:-5}
PYTHON=${PYTHON:-/usr/bin/python3}
ALEMBIC=${ALEMBIC:-1}
what=${1:-all}

work=$(mktemp -d "${TMPDIR:-/tmp}/retort-bench.XXXXXX")
pgdir=""
cleanup() {
	[ -n "$pgdir" ] && sh "$srcdir/tests/harness/pgserver.sh" stop "$pgdir"
	rm -rf "$work"
}
trap cleanup EXIT INT TERM
mkdir -m 700 "$work/cache"
export XDG_CACHE_HOME="$work/cache"

# ratios FILE.json: each median and its ratio to the floor, and the CPU
# time (user + system, mean) with its ratio: on a loaded machine the wall
# clock says more about the neighbours than about the command.
ratios() {
	"$PYTHON" - "$1" <<'EOF'
import json, sys
res = json.load(open(sys.argv[1]))["results"]
wall = {r["command"]: r["median"] for r in res}
cpu = {r["command"]: r["user"] + r["system"] for r in res}
for name in wall:
    print("  %-40s median %8.1f ms %6.2fx floor   CPU %8.1f ms %6.2fx floor" % (
        name, wall[name] * 1000, wall[name] / wall["floor"], cpu[name] * 1000, cpu[name] / cpu["floor"]))
EOF
}

# bench LABEL JSON hyperfine-args...
bench() {
	label=$1 json=$2
	shift 2
	echo "== $label"
	hyperfine --style basic --runs "$RUNS" --export-json "$json" "$@"
	ratios "$json"
}

# instructions LABEL COMMAND...: what callgrind counts for one run.
instructions() {
	label=$1
	shift
	n=$(valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 >/dev/null |
		sed -n 's/.*I *refs: *//p' | tr -d ,)
	echo "  $label: $n instructions"
}

run_sqlite() {
	d=$work/sqlite
	"$PYTHON" "$here/gen.py" "$d" "$N" "sqlite:///$d/live.db" "sqlite:///$d/live-alembic.db"
	"$RETORT" -q -c "$d/retort/retort.ini" upgrade head
	sqlite3 "$d/live-alembic.db" <"$d/live.sql"
	"$PYTHON" -m alembic -c "$d/alembic/alembic.ini" stamp a1 2>/dev/null
	rev="$RETORT -q -c $d/retort/retort.ini revision --autogenerate -m bench --rev-id b2"
	clean="rm -f $d/fresh.db $d/retort/migrations/versions/b2_* $d/alembic/versions/b2_*"
	set -- --prepare "$clean" -n "floor" "sh -c 'sqlite3 $d/fresh.db < $d/target-tx.sql && sqlite3 $d/live.db .schema >/dev/null'" \
		--prepare "$clean" -n "floor in memory" "sh -c 'sqlite3 :memory: < $d/target-tx.sql && sqlite3 $d/live.db .schema >/dev/null'" \
		--prepare "$clean" -n "retort --from-db" "$rev --from-db" \
		--prepare "$clean" -n "retort (replaying the migrations)" "$rev"
	[ "$ALEMBIC" = 1 ] && set -- "$@" --prepare "$clean" \
		-n "alembic" "$PYTHON -m alembic -c $d/alembic/alembic.ini revision --autogenerate -m bench --rev-id b2 2>/dev/null"
	bench "SQLite: revision --autogenerate, $N tables" "$work/sqlite.json" "$@"
	if [ "${CALLGRIND:-0}" = 1 ]; then
		echo "== SQLite, instructions (valgrind --tool=callgrind)"
		rm -f "$d/fresh.db"
		instructions "floor: load the target" sqlite3 "$d/fresh.db" ".read $d/target-tx.sql"
		instructions "floor: .schema of the live database" sqlite3 "$d/live.db" .schema
		rm -f "$d/retort/migrations/versions/b2_"*
		instructions "retort --from-db" $rev --from-db
	fi
}

run_postgres() {
	out=$(sh "$srcdir/tests/harness/pgserver.sh" start) || { echo "no PostgreSQL server: skipped"; return 0; }
	pgdir=$(printf '%s\n' "$out" | sed -n 1p)
	maint=$(printf '%s\n' "$out" | sed -n 2p)
	port=${RETORT_PG_PORT:-54329}
	url() { echo "postgresql:///$1?host=$pgdir&port=$port&user=postgres"; }
	d=$work/pg
	"$PYTHON" "$here/gen.py" "$d" "$N" "$(url live)" "$(url live_alembic)"
	# The URLs hold '&': quote them inside the strings hyperfine (and sh) run.
	admin="psql -X -q -v ON_ERROR_STOP=1 -d '$maint'"
	sh -c "$admin -c 'CREATE DATABASE live' -c 'CREATE DATABASE live_alembic'"
	"$RETORT" -q -c "$d/retort/retort.ini" upgrade head
	psql -X -q -v ON_ERROR_STOP=1 -1 -d "$(url live_alembic)" -f "$d/live.sql"
	"$PYTHON" -m alembic -c "$d/alembic/alembic.ini" stamp a1 2>/dev/null
	rev="$RETORT -q -c $d/retort/retort.ini revision --autogenerate -m bench --rev-id b2"
	clean="$admin -c 'DROP DATABASE IF EXISTS fresh' -c 'CREATE DATABASE fresh'; rm -f $d/retort/migrations/versions/b2_* $d/alembic/versions/b2_*"
	# retort makes and drops its scratch database inside the run: the second floor does too.
	set -- --prepare "$clean" \
		-n "floor" "psql -X -q -v ON_ERROR_STOP=1 -1 -d '$(url fresh)' -f $d/target.sql && pg_dump -s -d '$(url live)' >/dev/null" \
		--prepare "$admin -c 'DROP DATABASE IF EXISTS fresh'; rm -f $d/retort/migrations/versions/b2_*" \
		-n "floor with CREATE and DROP DATABASE" "$admin -c 'CREATE DATABASE fresh' && psql -X -q -v ON_ERROR_STOP=1 -1 -d '$(url fresh)' -f $d/target.sql && pg_dump -s -d '$(url live)' >/dev/null && $admin -c 'DROP DATABASE fresh'" \
		--prepare "$clean" -n "retort --from-db" "$rev --from-db" \
		--prepare "$clean" -n "retort (replaying the migrations)" "$rev"
	[ "$ALEMBIC" = 1 ] && set -- "$@" --prepare "$clean" \
		-n "alembic" "$PYTHON -m alembic -c $d/alembic/alembic.ini revision --autogenerate -m bench --rev-id b2 2>/dev/null"
	bench "PostgreSQL: revision --autogenerate, $N tables" "$work/pg.json" "$@"
}

case $what in
sqlite) run_sqlite ;;
postgres) run_postgres ;;
all) run_sqlite; run_postgres ;;
*) echo "usage: run.sh [sqlite|postgres|all]" >&2; exit 2 ;;
esac
