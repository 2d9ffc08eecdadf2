# lib.sh - sourced by every tests/cli/tNNNN-*.sh: runs the built retort the
# way a user would, in a scratch directory, with small assertion helpers.
#
# Each test script is a list of `step "what" command...` blocks; a failed
# assertion prints what was expected and what happened, and the script
# exits 1 at the end (automake reads 0 pass, 1 fail, 77 skip).

set -u

: "${RETORT:?RETORT must point at the built retort binary}"
: "${RETORT_SRCDIR:?RETORT_SRCDIR must point at the source tree}"

T_NAME=$(basename "$0" .sh)
T_DIR=$(mktemp -d "${TMPDIR:-/tmp}/retort-cli.XXXXXX")
T_FAILS=0
T_COUNT=0
T_PG_DIR=""
cd "$T_DIR" || exit 1

t_cleanup() {
	if [ -n "$T_PG_DIR" ]; then
		sh "$RETORT_SRCDIR/tests/harness/pgserver.sh" stop "$T_PG_DIR"
	fi
	cd / && rm -rf "$T_DIR" "$T_DIR.cache"
}
trap t_cleanup EXIT

# Never pick up a developer's environment, nor write into their caches
# (compiled C revisions, the header cache): a private one beside T_DIR,
# so that T_DIR itself stays as the test made it.
unset RETORT_CONFIG RETORT_URL NO_COLOR RETORT_GRAPH_CACHE
mkdir -m 700 "$T_DIR.cache" || exit 1
export XDG_CACHE_HOME="$T_DIR.cache"

# run CMD...: run and capture stdout in $OUT, stderr in $ERR, status in $RC.
run() {
	"$@" >"$T_DIR/.out" 2>"$T_DIR/.err"
	RC=$?
	OUT=$(cat "$T_DIR/.out")
	ERR=$(cat "$T_DIR/.err")
}

retort() {
	"$RETORT" "$@"
}

fail() {
	T_FAILS=$((T_FAILS + 1))
	printf 'FAIL %s: %s\n' "$T_NAME" "$*"
	printf '  stdout: %s\n' "$OUT" | head -20
	printf '  stderr: %s\n' "$ERR" | head -20
}

ok() {
	T_COUNT=$((T_COUNT + 1))
	printf 'ok %d - %s\n' "$T_COUNT" "$*"
}

# expect_rc N DESCRIPTION
expect_rc() {
	if [ "$RC" -eq "$1" ]; then ok "$2"; else fail "$2: expected exit $1, got $RC"; fi
}

# expect_out PATTERN DESCRIPTION (grep -E on stdout)
expect_out() {
	if printf '%s\n' "$OUT" | grep -Eq -- "$1"; then ok "$2"; else fail "$2: stdout lacks /$1/"; fi
}

expect_err() {
	if printf '%s\n' "$ERR" | grep -Eq -- "$1"; then ok "$2"; else fail "$2: stderr lacks /$1/"; fi
}

expect_no_out() {
	if printf '%s\n%s\n' "$OUT" "$ERR" | grep -Eq -- "$1"; then fail "$2: output contains /$1/"; else ok "$2"; fi
}

# pg_start: start a private server for this script; sets PG_URL (maintenance db).
# Skips the whole script (77) when no server exists, unless CI=true.
pg_start() {
	_out=$(sh "$RETORT_SRCDIR/tests/harness/pgserver.sh" start)
	_rc=$?
	if [ $_rc -eq 77 ]; then
		if [ "${CI:-}" = true ]; then echo "PostgreSQL missing under CI=true"; exit 1; fi
		echo "skip: no PostgreSQL server"; exit 77
	fi
	[ $_rc -eq 0 ] || { echo "cannot start PostgreSQL"; exit 1; }
	T_PG_DIR=$(printf '%s\n' "$_out" | sed -n 1p)
	PG_URL=$(printf '%s\n' "$_out" | sed -n 2p)
	PG_HOST=$T_PG_DIR
	PG_PORT=${RETORT_PG_PORT:-54329}
}

# pg_new_db NAME: create database NAME; prints its URL.
pg_new_db() {
	psql -X -q -v ON_ERROR_STOP=1 -d "$PG_URL" -c "CREATE DATABASE \"$1\"" >/dev/null || return 1
	printf 'postgresql:///%s?host=%s&port=%s&user=postgres\n' "$1" "$PG_HOST" "$PG_PORT"
}

# done_testing: the closing line automake and CI read.
done_testing() {
	printf '%d passed, %d failed\n' "$((T_COUNT))" "$T_FAILS"
	[ "$T_FAILS" -eq 0 ]
	exit $?
}
