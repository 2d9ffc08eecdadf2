#!/bin/sh
# pgserver.sh - a private, throwaway PostgreSQL server for tests and benchmarks.
#
#   pgserver.sh start      initdb into a new temp dir, start a postmaster that
#                          listens only on a Unix socket in that dir; prints
#                          two lines: the directory, then a libpq URL.
#   pgserver.sh stop DIR   stop that server and remove DIR.
#
# Exit 77 (automake's "skipped") when no PostgreSQL server binaries are
# installed.  initdb refuses to run as root, so as root the server runs as
# the `postgres` user (runuser).  fsync is off: test data is disposable.
set -eu

find_bindir() {
	if [ -n "${RETORT_PG_BINDIR:-}" ] && [ -x "$RETORT_PG_BINDIR/initdb" ]; then
		echo "$RETORT_PG_BINDIR"; return 0
	fi
	for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k5 -n -r); do
		[ -x "$d/initdb" ] && { echo "$d"; return 0; }
	done
	if command -v initdb >/dev/null 2>&1; then
		dirname "$(command -v initdb)"; return 0
	fi
	return 1
}

as_owner() {
	if [ "$(id -u)" = 0 ]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

start() {
	bindir=$(find_bindir) || { echo "pgserver: no PostgreSQL server binaries (initdb) found" >&2; exit 77; }
	dir=$(mktemp -d "${TMPDIR:-/tmp}/retort-pg.XXXXXX")
	chmod 755 "$dir"
	if [ "$(id -u)" = 0 ]; then
		id postgres >/dev/null 2>&1 || { echo "pgserver: running as root but there is no 'postgres' user" >&2; rm -rf "$dir"; exit 1; }
		chown postgres "$dir"
	fi
	port=${RETORT_PG_PORT:-54329}
	if ! as_owner "$bindir/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 \
		--locale=C -N >"$dir/initdb.log" 2>&1; then
		cat "$dir/initdb.log" >&2; rm -rf "$dir"; exit 1
	fi
	if ! as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
		-o "-k $dir -p $port -c listen_addresses= -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=100" \
		start >/dev/null 2>&1; then
		cat "$dir/server.log" >&2; rm -rf "$dir"; exit 1
	fi
	# Roles the tests grant privileges to and name in policies (one with an awkward name).
	"$bindir/psql" -X -q -d "postgresql:///postgres?host=$dir&port=$port&user=postgres" \
		-c 'CREATE ROLE retort_reader' -c 'CREATE ROLE "Retort ""Odd"" Role"' >/dev/null 2>&1 || true
	echo "$dir"
	echo "postgresql:///postgres?host=$dir&port=$port&user=postgres"
}

stop() {
	dir=$1
	bindir=$(find_bindir) || exit 0
	[ -d "$dir/data" ] && as_owner "$bindir/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
	rm -rf "$dir"
}

case "${1:-}" in
start) start ;;
stop) [ $# -eq 2 ] || { echo "usage: pgserver.sh stop DIR" >&2; exit 2; }; stop "$2" ;;
*) echo "usage: pgserver.sh start | stop DIR" >&2; exit 2 ;;
esac
