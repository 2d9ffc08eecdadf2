#!/bin/sh
# t0205-sqlite-concurrent.sh - eight `retort upgrade head` processes on one
# SQLite file: each revision runs exactly once (a second run of any of
# them would fail: CREATE TABLE without IF NOT EXISTS), all exit 0, and a
# runner that has to wait says so.
. "$RETORT_SRCDIR/tests/cli/lib.sh"

mkdir -p m/versions
cat >retort.ini <<'INI'
[retort]
script_location = m
url = sqlite:///app.db
lock_timeout = 60
INI
rev() {
	printf -- '-- make %s\n--\n-- Revision ID: %s\n-- Revises: %s\n\n-- retort:upgrade\n%s\n\n-- retort:downgrade\nSELECT 1;\n' \
		"$1" "$1" "$2" "$3" >"m/versions/$1_make.sql"
}
# The first revision keeps the write lock for a while, so others must wait.
rev r00 "" "CREATE TABLE t00 (id INTEGER);
WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 2000000) SELECT count(*) FROM c;"
prev=r00
for i in 01 02 03 04 05 06 07 08 09 10 11 12 13 14 15; do
	rev "r$i" "$prev" "CREATE TABLE t$i (id INTEGER);"
	prev="r$i"
done

pids=""
for n in 1 2 3 4 5 6 7 8; do
	"$RETORT" upgrade head >"out$n" 2>"err$n" &
	pids="$pids $!"
done
fails=0
for p in $pids; do wait "$p" || fails=$((fails + 1)); done
RC=$fails OUT=$(cat out*) ERR=$(cat err*)
expect_rc 0 "eight concurrent runners all succeed"
expect_err "waiting for another retort on sqlite:///app.db" "a runner says it waits"
run sh -c 'cat out* | grep -c "^Running upgrade"'
expect_out '^16$' "sixteen progress lines in all: each revision ran once"

run sqlite3 app.db "SELECT version_num FROM retort_version; SELECT count(*) || '/' || count(DISTINCT revision) FROM retort_history"
expect_out '^r15$' "at head"
expect_out '^16/16$' "one history row per revision"

done_testing
