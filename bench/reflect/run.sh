#!/bin/sh
# run.sh - reflection of 1,000 tables (ten columns, an index and a foreign
# key each) on PostgreSQL and SQLite: medians from bench_reflect, and the
# end-to-end `retort diff DB DB` (two reflections plus process start) under
# hyperfine when it is installed.  Starts and stops its own PostgreSQL.
#
# Usage: bench/reflect/run.sh BENCH_REFLECT_BINARY RETORT_BINARY [TABLES]
set -eu

here=$(cd "$(dirname "$0")" && pwd)
srcdir=$(cd "$here/../.." && pwd)
bench=$1
retort=$2
tables=${3:-1000}
work=$(mktemp -d "${TMPDIR:-/tmp}/retort-bench-reflect.XXXXXX")
pgdir=""
cleanup() {
	[ -n "$pgdir" ] && sh "$srcdir/tests/harness/pgserver.sh" stop "$pgdir"
	rm -rf "$work"
}
trap cleanup EXIT

lite="sqlite:///$work/bench.db"
"$bench" "$lite" "$tables"
if command -v hyperfine >/dev/null; then
	hyperfine -N --warmup 2 --runs 15 -i "$retort diff $lite $lite"
fi

if out=$(sh "$srcdir/tests/harness/pgserver.sh" start); then
	pgdir=$(printf '%s\n' "$out" | sed -n 1p)
	maint=$(printf '%s\n' "$out" | sed -n 2p)
	psql -X -q -d "$maint" -c "CREATE DATABASE bench_reflect" >/dev/null
	pg=$(printf '%s' "$maint" | sed 's|postgresql:///postgres|postgresql:///bench_reflect|')
	"$bench" "$pg" "$tables"
	if command -v hyperfine >/dev/null; then
		hyperfine -N --warmup 2 --runs 15 -i "$retort diff $pg $pg"
	fi
else
	echo "no PostgreSQL server: PostgreSQL part skipped"
fi
