#!/bin/sh
# scripts/cppcheck.sh [BUILD_DIR] - cppcheck's style checks over src/,
# with the generated headers of a configured build (default build/) and
# jansson's macros known, so json_array_foreach is read as a loop.  Prints
# the findings; exits 1 when there is any.  Not part of make check:
# cppcheck is an optional tool (apt-get install cppcheck).
set -eu
cd "$(dirname "$0")/.."
build=${1:-build}
command -v cppcheck >/dev/null || { echo "cppcheck is not installed" >&2; exit 2; }
out=$(cppcheck --enable=style --quiet --inline-suppr --suppress=missingIncludeSystem \
	--include=/usr/include/jansson.h -I include -I src/lib -I src/cli \
	-I "$build" -I "$build/src/lib" src 2>&1) || true
[ -z "$out" ] && { echo "cppcheck: no findings"; exit 0; }
printf '%s\n' "$out"
exit 1
