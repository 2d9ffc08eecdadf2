#!/bin/sh
# t0201-upgrade.sh - upgrade, downgrade and current on SQLite as a user runs
# them: progress lines, version rows, exit codes, errors with file:line.
. "$RETORT_SRCDIR/tests/cli/lib.sh"

mkdir -p m/versions
cat >retort.ini <<'INI'
[retort]
script_location = m
url = sqlite:///app.db
INI
# rev ID PARENT UP [DOWN]: a SQL revision whose upgrade starts on line 8.
rev() {
	{
		printf -- '-- make %s\n--\n-- Revision ID: %s\n-- Revises: %s\n-- Branch Labels: %s\n\n-- retort:upgrade\n%s\n' \
			"$1" "$1" "$2" "${5:-}" "$3"
		[ -n "${4:-}" ] && printf '\n-- retort:downgrade\n%s\n' "$4"
	} >"m/versions/$1_make.sql"
}
rev aaa1 "" "CREATE TABLE t1 (id INTEGER);" "DROP TABLE t1;"
rev bbb2 aaa1 "CREATE TABLE t2 (id INTEGER);" "DROP TABLE t2;"
rev ccc3 bbb2 "CREATE TABLE t3 (id INTEGER);" "DROP TABLE t3;"

run retort current
expect_rc 0 "current on an empty database"
run sqlite3 app.db "SELECT count(*) FROM sqlite_master"
expect_out '^0$' "current created nothing"

run retort current --check-heads
expect_rc 1 "--check-heads fails at base"

rm -f app.db app.db.retort-lock # the sqlite3 shell above created an empty file
run retort upgrade --dry-run
expect_rc 0 "dry run"
expect_out '^Would run upgrade  -> aaa1, make aaa1$' "dry run lists the first revision"
[ ! -e app.db ] && [ ! -e app.db.retort-lock ] && ok "a dry run creates no database and no lock file" \
	|| fail "a dry run created $(ls app.db*)"
run retort downgrade base --dry-run
expect_rc 0 "a dry-run downgrade of a missing database"
[ ! -e app.db ] && ok "it creates nothing either" || fail "created app.db"
for cmd in upgrade "downgrade base"; do
	run retort $cmd --sql --dry-run
	expect_rc 2 "$cmd: --sql with --dry-run is a usage error"
	expect_err "cannot be combined" "$cmd: and says so"
done

run retort upgrade
expect_rc 0 "upgrade (default head)"
expect_out '^Running upgrade  -> aaa1, make aaa1 \([0-9]+ ms\)$' "progress line for the base"
expect_out '^Running upgrade bbb2 -> ccc3, make ccc3 \([0-9]+ ms\)$' "progress line for the head"

run retort current
expect_out '^ccc3 \(head\)$' "current shows the head"
run retort current --check-heads
expect_rc 0 "--check-heads passes at head"

run retort --json current -v
expect_rc 0 "current --json"
expect_out '"at_head": true' "json says at head"
expect_out '"revision": "ccc3"' "json names the head"

run retort downgrade -1
expect_rc 0 "downgrade -1"
expect_out '^Running downgrade ccc3 -> bbb2, make ccc3' "downgrade progress"
run sqlite3 app.db "SELECT version_num FROM retort_version"
expect_out '^bbb2$' "version row after downgrade"

run retort downgrade
expect_rc 2 "downgrade needs a target"

run retort upgrade nosuch
expect_rc 1 "unknown target"
expect_err "nosuch" "the error names the identifier"

# A failing revision: the message has file:line and the database's words.
rev ddd4 ccc3 "CREATE TABLE t4 (id INTEGER);
INSERT INTO missing VALUES (1);" "DROP TABLE t4;"
run retort upgrade head
expect_rc 1 "a failing revision exits 1"
expect_err 'ddd4_make.sql:9: .*missing' "error has file:line and the database message"
run sqlite3 app.db "SELECT version_num FROM retort_version; SELECT count(*) FROM sqlite_master WHERE name = 't4'"
expect_out '^ccc3$' "the good revisions stayed"
expect_out '^0$' "the failed revision left nothing"

# --sql from base, fed to sqlite3, gives the same version row.
rm m/versions/ddd4_make.sql
run retort upgrade head --sql
expect_rc 0 "upgrade --sql"
printf '%s\n' "$OUT" >up.sql
expect_out 'CREATE TABLE IF NOT EXISTS "?retort_version"?' "offline creates the version table from base"
expect_out "INSERT INTO \"?retort_version\"? \\(version_num\\) VALUES \\('aaa1'\\)" "offline inserts the base"
run sqlite3 -bail offline.db ".read up.sql"
expect_rc 0 "the offline SQL runs"
run sqlite3 offline.db "SELECT version_num FROM retort_version; SELECT name FROM sqlite_master WHERE name LIKE 't_' ORDER BY 1"
expect_out '^ccc3$' "offline version row"
expect_out '^t3$' "offline schema"

run retort downgrade head:base --sql
expect_rc 0 "downgrade --sql with a range"
expect_out "DELETE FROM \"?retort_version\"? WHERE version_num = 'aaa1'" "offline downgrade deletes the base row"
run retort downgrade base --sql
expect_rc 2 "offline downgrade without a range is a usage error"

done_testing
