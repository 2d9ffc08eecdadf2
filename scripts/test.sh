#!/bin/sh
# test.sh - install what is missing, build, and run every test.
#
#   scripts/test.sh              warnings as errors, build/ directory
#   scripts/test.sh --sanitize   the same tests under AddressSanitizer and
#                                UndefinedBehaviorSanitizer, build-san/
#   scripts/test.sh --valgrind   the C tests under valgrind, build-vg/
#
# `make check` runs the unit tests (Check), the integration tests against
# real SQLite files and a private PostgreSQL server it starts itself, and
# the CLI tests.  Ends with a line "N passed, N failed".
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

mode=${1:-}
case "$mode" in
"") builddir=build; flags="--enable-werror" ;;
--sanitize) builddir=build-san; flags="--enable-werror --enable-asan --enable-ubsan" ;;
--valgrind) builddir=build-vg; flags="--enable-werror --enable-valgrind" ;;
*) echo "usage: scripts/test.sh [--sanitize|--valgrind]" >&2; exit 2 ;;
esac
[ "$mode" = --valgrind ] && sh scripts/deps.sh --bench || sh scripts/deps.sh

# shellcheck disable=SC2086
sh scripts/build.sh "$builddir" $flags

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
cd "$builddir"
status=0
make -j"$(nproc 2>/dev/null || echo 2)" check >/dev/null 2>&1 || status=$?

# Show every test's verdict, and the logs of the ones that failed.
pass=0 fail=0
for trs in $(find tests -name '*.trs' | sort); do
	res=$(sed -n 's/^:test-result: //p' "$trs" | head -1)
	name=${trs%.trs}
	echo "$res: $name"
	case "$res" in
	PASS|SKIP) pass=$((pass + 1)) ;;
	*) fail=$((fail + 1)); echo "---- $name.log"; tail -n 60 "$name.log" ;;
	esac
done
[ "$status" -ne 0 ] && [ "$fail" -eq 0 ] && { fail=1; echo "make check failed before running the tests:"; make check 2>&1 | tail -n 40; }
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
