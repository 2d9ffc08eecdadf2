#!/bin/sh
# demo.sh - install what is missing, build retort, and walk the demo
# project (migrations/, configured by the top-level retort.ini) through a
# full cycle on a fresh SQLite file: build/demo.db.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

echo "demo: checking dependencies"
sh scripts/deps.sh
# the same options as scripts/test.sh, so the two share one configured build/
sh scripts/build.sh build --enable-werror

retort="$top/build/retort"
export RETORT_URL="sqlite:///build/demo.db"
rm -f build/demo.db

step() {
	printf '\n$ retort %s\n' "$*"
	"$retort" "$@"
}

step upgrade head
step current
step history
step downgrade -1
step current
step upgrade head
step current -v
printf '\nThe demo database is build/demo.db: sqlite3 build/demo.db .schema\n'
