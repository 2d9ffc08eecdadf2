#!/bin/sh
# verdicts.sh - what `make check` decided, from its .trs files.
#
#   scripts/verdicts.sh BUILDDIR
#
# Names every skipped test with its reason and prints the logs of the
# failures, then "N passed, N failed, N skipped" (a skip is not a pass).
# Exit 0 when nothing failed.
set -eu
cd "$1"
pass=0 fail=0 skip=0
for trs in $(find tests -name '*.trs' | sort); do
	res=$(sed -n 's/^:test-result: //p' "$trs" | head -1)
	name=${trs%.trs}
	case "$res" in
	PASS|XFAIL) pass=$((pass + 1)) ;;
	SKIP)
		skip=$((skip + 1))
		why=$(grep -m1 -i '^skip' "$name.log" 2>/dev/null || true)
		echo "skipped: $name${why:+ ($why)}" ;;
	*) fail=$((fail + 1)); echo "---- $name.log"; tail -n 60 "$name.log" 2>/dev/null || true ;;
	esac
done
echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
