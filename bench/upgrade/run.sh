#!/bin/sh
# run.sh - the upgrade benchmark: `retort upgrade head` and `retort
# downgrade base` over N generated revisions (a table and an index each),
# on SQLite and on a private PostgreSQL, beside the raw floor (the same SQL
# in one transaction through sqlite3 / psql -1) and beside Alembic running
# the same SQL; then `retort current` on a database at the head of a
# 10,000-revision graph.  Prints hyperfine's table, the medians and the
# ratios to the floor.
#
#   RETORT=path/to/retort bench/upgrade/run.sh [sqlite|postgres|current|all]
#
# Environment: N (default 1000), RUNS (default 5), CURRENT_N (default
# 10000), PYTHON (a python3 with alembic; default /usr/bin/python3).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
srcdir=$(cd "$here/../.." && pwd)
RETORT=${RETORT:-retort}
case $RETORT in /*) ;; *) RETORT=$(cd "$(dirname "$RETORT")" && pwd)/$(basename "$RETORT") ;; esac
N=${N:-1000}
RUNS=${RUNS:-5}
CURRENT_N=${CURRENT_N:-10000}
PYTHON=${PYTHON:-/usr/bin/python3}
what=${1:-all}

work=$(mktemp -d "${TMPDIR:-/tmp}/retort-bench.XXXXXX")
pgdir=""
cleanup() {
	[ -n "$pgdir" ] && sh "$srcdir/tests/harness/pgserver.sh" stop "$pgdir"
	rm -rf "$work"
}
trap cleanup EXIT INT TERM
# a private header cache (what the graph loader writes), gone with the rest
mkdir -m 700 "$work/cache"
export XDG_CACHE_HOME="$work/cache"

# medians FILE.json: "name<TAB>median seconds" per command.
medians() {
	"$PYTHON" - "$1" <<'EOF'
import json, sys
for r in json.load(open(sys.argv[1]))["results"]:
    print("%s\t%.4f" % (r["command"], r["median"]))
EOF
}

# ratios FILE.json: each median over the one-transaction floor, and the
# per-migration runs over the per-migration floor too.
ratios() {
	"$PYTHON" - "$1" <<'EOF'
import json, sys
res = {r["command"]: r["median"] for r in json.load(open(sys.argv[1]))["results"]}
one = res["raw (one transaction)"]
per = res["raw (per migration)"]
for name, median in res.items():
    line = "  %-28s median %8.1f ms  %6.2fx raw one-tx" % (name, median * 1000, median / one)
    if "per migration" in name:
        line += "  %6.2fx raw per-migration" % (median / per)
    print(line)
EOF
}

bench() { # bench LABEL JSON hyperfine-args...
	label=$1 json=$2
	shift 2
	echo "== $label"
	hyperfine --style basic --runs "$RUNS" --export-json "$json" "$@"
	ratios "$json"
}

run_sqlite() {
	d=$work/sqlite
	db=$d/bench.db
	"$PYTHON" "$here/gen.py" "$d" "$N" "sqlite:///$db"
	(printf 'BEGIN;\n'; cat "$d/up.sql"; printf 'COMMIT;\n') >"$d/up-tx.sql"
	(printf 'BEGIN;\n'; cat "$d/down.sql"; printf 'COMMIT;\n') >"$d/down-tx.sql"
	# Databases at head to restore before each downgrade run.
	rm -f "$db"; "$RETORT" -q -c "$d/retort/retort.ini" upgrade head; cp "$db" "$d/head-retort.db"
	rm -f "$db"; "$PYTHON" -m alembic -c "$d/alembic/alembic.ini" upgrade head 2>/dev/null
	cp "$db" "$d/head-alembic.db"

	bench "SQLite: upgrade head, $N revisions" "$work/sqlite-up.json" \
		--prepare "rm -f $db" \
		-n "raw (one transaction)" "sqlite3 $db < $d/up-tx.sql" \
		-n "raw (per migration)" "sqlite3 $db < $d/up-per.sql" \
		-n "retort (one transaction)" "$RETORT -q -c $d/retort/retort-one.ini upgrade head" \
		-n "retort (per migration)" "$RETORT -q -c $d/retort/retort.ini upgrade head" \
		-n "alembic (one transaction)" "$PYTHON -m alembic -c $d/alembic/alembic-one.ini upgrade head 2>/dev/null" \
		-n "alembic (per migration)" "$PYTHON -m alembic -c $d/alembic/alembic.ini upgrade head 2>/dev/null"
	bench "SQLite: downgrade base, $N revisions" "$work/sqlite-down.json" \
		-n "raw (one transaction)" --prepare "cp $d/head-retort.db $db" "sqlite3 $db < $d/down-tx.sql" \
		-n "raw (per migration)" --prepare "cp $d/head-retort.db $db" "sqlite3 $db < $d/down-per.sql" \
		-n "retort (one transaction)" --prepare "cp $d/head-retort.db $db" "$RETORT -q -c $d/retort/retort-one.ini downgrade base" \
		-n "retort (per migration)" --prepare "cp $d/head-retort.db $db" "$RETORT -q -c $d/retort/retort.ini downgrade base" \
		-n "alembic (one transaction)" --prepare "cp $d/head-alembic.db $db" "$PYTHON -m alembic -c $d/alembic/alembic-one.ini downgrade base 2>/dev/null" \
		-n "alembic (per migration)" --prepare "cp $d/head-alembic.db $db" "$PYTHON -m alembic -c $d/alembic/alembic.ini downgrade base 2>/dev/null"
}

run_postgres() {
	pg_server || { echo "no PostgreSQL server: skipped"; return 0; }
	url="postgresql:///bench?host=$pgdir&port=$port&user=postgres"
	d=$work/pg
	"$PYTHON" "$here/gen.py" "$d" "$N" "$url"
	# The URLs hold '&': quote them inside the strings hyperfine hands to sh.
	admin="psql -X -q -v ON_ERROR_STOP=1 -d '$maint'"
	fresh="$admin -c 'DROP DATABASE IF EXISTS bench' -c 'CREATE DATABASE bench'"
	from() { echo "$admin -c 'DROP DATABASE IF EXISTS bench' -c 'CREATE DATABASE bench TEMPLATE $1'"; }
	# Templates at head for the downgrade runs.
	sh -c "$fresh"; "$RETORT" -q -c "$d/retort/retort.ini" upgrade head
	sh -c "$admin -c 'CREATE DATABASE head_retort TEMPLATE bench'"
	sh -c "$fresh"; "$PYTHON" -m alembic -c "$d/alembic/alembic.ini" upgrade head 2>/dev/null
	sh -c "$admin -c 'CREATE DATABASE head_alembic TEMPLATE bench'"

	bench "PostgreSQL: upgrade head, $N revisions" "$work/pg-up.json" \
		--prepare "$fresh" \
		-n "raw (one transaction)" "psql -X -q -v ON_ERROR_STOP=1 -1 -d '$url' -f $d/up.sql" \
		-n "raw (per migration)" "psql -X -q -v ON_ERROR_STOP=1 -d '$url' -f $d/up-per.sql" \
		-n "retort (one transaction)" "$RETORT -q -c $d/retort/retort-one.ini upgrade head" \
		-n "retort (per migration)" "$RETORT -q -c $d/retort/retort.ini upgrade head" \
		-n "alembic (one transaction)" "$PYTHON -m alembic -c $d/alembic/alembic-one.ini upgrade head 2>/dev/null" \
		-n "alembic (per migration)" "$PYTHON -m alembic -c $d/alembic/alembic.ini upgrade head 2>/dev/null"
	bench "PostgreSQL: downgrade base, $N revisions" "$work/pg-down.json" \
		-n "raw (one transaction)" --prepare "$(from head_retort)" "psql -X -q -v ON_ERROR_STOP=1 -1 -d '$url' -f $d/down.sql" \
		-n "raw (per migration)" --prepare "$(from head_retort)" "psql -X -q -v ON_ERROR_STOP=1 -d '$url' -f $d/down-per.sql" \
		-n "retort (one transaction)" --prepare "$(from head_retort)" "$RETORT -q -c $d/retort/retort-one.ini downgrade base" \
		-n "retort (per migration)" --prepare "$(from head_retort)" "$RETORT -q -c $d/retort/retort.ini downgrade base" \
		-n "alembic (one transaction)" --prepare "$(from head_alembic)" "$PYTHON -m alembic -c $d/alembic/alembic-one.ini downgrade base 2>/dev/null" \
		-n "alembic (per migration)" --prepare "$(from head_alembic)" "$PYTHON -m alembic -c $d/alembic/alembic.ini downgrade base 2>/dev/null"
}

# pg_server: start the private server once; sets pgdir, maint, port.
pg_server() {
	[ -n "$pgdir" ] && return 0
	out=$(sh "$srcdir/tests/harness/pgserver.sh" start) || return 1
	pgdir=$(printf '%s\n' "$out" | sed -n 1p)
	maint=$(printf '%s\n' "$out" | sed -n 2p)
	port=${RETORT_PG_PORT:-54329}
}

# current_case LABEL DIR RAW-COMMAND: `retort current` at head of DIR's
# graph, with the header cache filled and without it, beside the raw query.
current_case() {
	label=$1 d=$2 raw=$3
	"$RETORT" -q -c "$d/retort/retort.ini" stamp head
	# the header cache records files once their times are a few seconds old
	sleep 3
	"$RETORT" -q -c "$d/retort/retort.ini" current >/dev/null
	echo "== $label: current at the head of $CURRENT_N revisions (goal < 50 ms)"
	hyperfine --style basic -N --warmup 3 --runs 30 --export-json "$work/current-$label.json" \
		-n "raw version query" "$raw" \
		-n "retort current" "$RETORT -c $d/retort/retort.ini current" \
		-n "retort current (no header cache)" "env RETORT_GRAPH_CACHE=0 $RETORT -c $d/retort/retort.ini current"
	medians "$work/current-$label.json"
}

run_current() {
	d=$work/current
	"$PYTHON" "$here/gen.py" "$d" "$CURRENT_N" "sqlite:///$d/bench.db"
	current_case sqlite "$d" "sqlite3 $d/bench.db 'SELECT version_num FROM retort_version'"
	if pg_server; then
		psql -X -q -d "$maint" -c "DROP DATABASE IF EXISTS bench_current" -c "CREATE DATABASE bench_current"
		url="postgresql:///bench_current?host=$pgdir&port=$port&user=postgres"
		d=$work/current-pg
		"$PYTHON" "$here/gen.py" "$d" "$CURRENT_N" "$url"
		current_case postgres "$d" "psql -X -q -At -d $url -c 'SELECT version_num FROM retort_version'"
	else
		echo "no PostgreSQL server: current on PostgreSQL skipped"
	fi
}

case $what in
sqlite) run_sqlite ;;
postgres) run_postgres ;;
current) run_current ;;
all) run_sqlite; run_postgres; run_current ;;
*) echo "usage: run.sh [sqlite|postgres|current|all]" >&2; exit 2 ;;
esac
