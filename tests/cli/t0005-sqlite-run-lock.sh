#!/bin/sh
# t0005-sqlite-run-lock: a `Transactional: no` revision runs between
# transactions; two concurrent runners on one SQLite file must still run it
# exactly once (the run lock, not only BEGIN IMMEDIATE, guards the run).
. "$RETORT_SRCDIR/tests/cli/lib.sh"

retort init -q m >/dev/null
printf -- '-- a\n--\n-- Revision ID: a1\n-- Revises:\n\n-- retort:upgrade\nCREATE TABLE log (x int);\n\n-- retort:downgrade\nDROP TABLE log;\n' > m/versions/a1.sql
slow="WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM c WHERE i<1500000) SELECT count(*) FROM c;"
printf -- '-- b\n--\n-- Revision ID: b2\n-- Revises: a1\n-- Transactional: no\n\n-- retort:upgrade\n%s\nINSERT INTO log VALUES (1);\n%s\n\n-- retort:downgrade\nDELETE FROM log;\n' "$slow" "$slow" > m/versions/b2.sql

run retort upgrade a1
expect_rc 0 "upgrade a1"
retort upgrade head >o1 2>e1 & p1=$!
retort upgrade head >o2 2>e2 & p2=$!
wait $p1; r1=$?
wait $p2; r2=$?
[ $r1 -eq 0 ] && [ $r2 -eq 0 ] && ok "both runners exit 0" || fail "runners exited $r1 and $r2: $(cat e1 e2)"
[ "$(sqlite3 app.db 'select count(*) from log')" = 1 ] && ok "the non-transactional revision ran once" \
	|| fail "it ran $(sqlite3 app.db 'select count(*) from log') times"
[ "$(sqlite3 app.db 'select version_num from retort_version')" = b2 ] && ok "the version table is at b2" || fail "version table wrong"
cat e1 e2 | grep -q "waiting for another retort" && ok "the second runner said it was waiting" || fail "no waiting message: $(cat e1 e2)"

done_testing
