#!/bin/sh
# test.sh - install what is missing, build, and run every test.
#
#   scripts/test.sh              warnings as errors, build/ directory
#   scripts/test.sh --sanitize   the same tests under AddressSanitizer and
#                                UndefinedBehaviorSanitizer, build-san/
#   scripts/test.sh --valgrind   the C tests under valgrind, build-vg/
#   scripts/test.sh --dist       make distcheck-ci from build/: the release
#                                tarball built, tested, installed and
#                                uninstalled from a read-only copy
#
# `make check` runs the unit tests (Check), the integration tests against
# real SQLite files and a private PostgreSQL server it starts itself, and
# the CLI tests.  Each test's verdict is printed as it finishes; at the end
# the logs of the failures, and a line "N passed, N failed, N skipped".
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

mode=${1:-}
case "$mode" in
"") builddir=build; flags="--enable-werror" ;;
--sanitize) builddir=build-san; flags="--enable-werror --enable-asan --enable-ubsan" ;;
--valgrind) builddir=build-vg; flags="--enable-werror --enable-valgrind" ;;
--dist) builddir=build; flags="--enable-werror" ;;
*) echo "usage: scripts/test.sh [--sanitize|--valgrind|--dist]" >&2; exit 2 ;;
esac
echo "test: checking dependencies"
[ "$mode" = --valgrind ] && sh scripts/deps.sh --bench || sh scripts/deps.sh

# shellcheck disable=SC2086
sh scripts/build.sh "$builddir" $flags

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
cd "$builddir"
if [ "$mode" = --dist ]; then
	echo "test: make distcheck-ci in $builddir/ (the tarball's own build, tests, install)"
	log=$(mktemp)
	status_file=$(mktemp)
	{ make distcheck-ci >"$log" 2>&1; echo $? >"$status_file"; } &
	# the verdicts of the tarball's tests as they come
	tail -n +1 -f "$log" --pid=$! 2>/dev/null | grep --line-buffered -E '^(PASS|FAIL|SKIP|XFAIL|XPASS|ERROR): ' || true
	wait
	status=$(cat "$status_file")
	if [ "$status" -ne 0 ]; then
		echo "test: make distcheck-ci failed; the end of its output:"
		tail -n 60 "$log"
		# a failed distcheck leaves its tree: the failed tests' logs are there
		for d in retort-*/_build/sub; do
			[ -d "$d/tests" ] && sh "$top/scripts/verdicts.sh" "$d" | tail -n 80
		done
		rm -f "$log" "$status_file"
		exit 1
	fi
	grep -E 'archives ready for distribution|\.tar\.gz$' "$log" | tail -n 2
	rm -f "$log" "$status_file"
	exit 0
fi
echo "test: building and running the tests in $builddir/"
find tests -name '*.trs' -exec rm -f {} + 2>/dev/null || true
# automake prints "PASS: name" as each test ends: show those lines as they come
status_file=$(mktemp)
{ make -j"$(nproc 2>/dev/null || echo 2)" check 2>&1; echo $? >"$status_file"; } |
	grep --line-buffered -E '^(PASS|FAIL|SKIP|XFAIL|XPASS|ERROR): ' || true
status=$(cat "$status_file")
rm -f "$status_file"

# The verdicts again, with the reasons for skips and the logs of failures.
if [ "$status" -ne 0 ] && ! sh "$top/scripts/verdicts.sh" . >/dev/null; then
	sh "$top/scripts/verdicts.sh" .
	exit 1
fi
if [ "$status" -ne 0 ]; then
	echo "make check failed before running the tests:"
	make check 2>&1 | tail -n 40
	sh "$top/scripts/verdicts.sh" . | tail -n 1 | sed 's/ \([0-9]*\) failed/ 1 failed/'
	exit 1
fi
sh "$top/scripts/verdicts.sh" .
