#!/bin/sh
# t0601-lint: `retort lint` against a real git history: edited, deleted,
# extra heads, unknown parents, destructive statements, and the default base.
. "$RETORT_SRCDIR/tests/cli/lib.sh"

command -v git >/dev/null 2>&1 || { echo "skip: no git"; exit 77; }
export GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@example.com GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@example.com
export GIT_CONFIG_NOSYSTEM=1 HOME="$T_DIR"

# sql_revision ID PARENT UPGRADE [DOWNGRADE]: write a revision by hand.
sql_revision() {
	{
		printf -- '-- %s\n--\n-- Revision ID: %s\n-- Revises: %s\n\n-- retort:upgrade\n%s\n' "$1" "$1" "$2" "$3"
		[ $# -ge 4 ] && printf '\n-- retort:downgrade\n%s\n' "$4"
	} > "migrations/versions/$1.sql"
}

run retort lint
expect_rc 2 "lint without a config exits 2"

retort init -q migrations >/dev/null
run retort lint
expect_rc 2 "lint outside git is a configuration error"
expect_err "is not inside a git repository" "lint says why it needs git"

git init -q -b main . && git config commit.gpgsign false
sql_revision a1 "" "CREATE TABLE t (x int);" "DROP TABLE t;"
sql_revision b2 a1 "CREATE TABLE u (y int);" "DROP TABLE u;"
git add -A && git commit -q -m base
git checkout -q -b feature

run retort lint
expect_rc 0 "nothing new is clean"
expect_out "0 new revision\(s\) since merge base with main" "the default base is the merge base with main"

sql_revision c3 b2 "CREATE INDEX i ON u (y);" "DROP INDEX i;"
run retort lint
expect_rc 0 "a clean new revision passes"
expect_out "1 new revision\(s\).*0 error\(s\), 0 warning\(s\)" "the new revision is counted"

git add -A && git commit -q -m c3
run retort lint
expect_rc 0 "a committed new revision still passes"

sed -i 's/int/bigint/' migrations/versions/a1.sql
run retort lint
expect_rc 1 "an edited revision fails"
expect_out "error: migrations/versions/a1.sql: R001 edited-revision: revision a1 was edited since the base" "the edited revision is named"
git checkout -q -- migrations/versions/a1.sql

git rm -q migrations/versions/b2.sql
run retort lint
expect_rc 1 "a deleted revision fails"
expect_out "revision b2 was deleted since the base" "the deleted revision is named"
git checkout -q HEAD -- migrations/versions/b2.sql

sql_revision d4 b2 "SELECT 1;" "SELECT 1;"
run retort lint
expect_rc 1 "a second head fails"
expect_out "the history has 2 heads where the base had 1" "the extra head is explained"
rm migrations/versions/d4.sql

sql_revision e5 nope "SELECT 1;" "SELECT 1;"
run retort lint
expect_rc 1 "an unknown parent fails"
expect_out "migrations/versions/e5.sql:3: R004 unknown-parent: revision e5 revises 'nope', which no script defines" "the unknown parent is named with file:line"
rm migrations/versions/e5.sql

sql_revision f6 c3 "ALTER TABLE t ADD COLUMN z int;
DROP TABLE u;"
run retort lint
expect_rc 0 "warnings alone pass"
expect_out "warning: migrations/versions/f6.sql:8: R111 drop-table: DROP TABLE u \[write lock on u: blocks other writers\]" "the dropped table is shown with its line and lock"
expect_out "^    instead: deploy code that no longer uses the table first" "the finding says what to do instead"
expect_out "warning: migrations/versions/f6.sql: R006 irreversible: no retort:downgrade section" "the missing downgrade is shown"

rm migrations/versions/f6.sql

# the template's empty downgrade section, forgotten: a silent no-op without the warning
sql_revision f7 c3 "CREATE TABLE v (z int);" "
-- nothing here yet"
run retort lint
expect_rc 0 "an empty downgrade is a warning"
expect_out "warning: migrations/versions/f7.sql:9: R010 empty-downgrade: empty retort:downgrade section" "the empty downgrade is shown with its line"
sql_revision f7 c3 "CREATE TABLE v (z int);" "DROP TABLE v;"
run retort lint
expect_no_out "empty retort:downgrade" "a written downgrade is not"
rm migrations/versions/f7.sql
cat > migrations/versions/g7.c <<'C'
/*
 * drop the old table
 *
 * Revision ID: g7
 * Revises: c3
 */
#include <retort/migration.h>

int upgrade(retort_ctx *ctx)
{
	return retort_exec(ctx, "UPDATE t SET x = 0; "
		"DROP TABLE u");
}

int downgrade(retort_ctx *ctx)
{
	return retort_drop_table(ctx, "v");
}
C
run retort lint
expect_rc 0 "a C revision with a drop in upgrade only warns"
expect_out "warning: migrations/versions/g7.c:12: R007 destructive-c-revision: destructive statement in upgrade: DROP TABLE" "SQL in a C revision's upgrade is scanned"
expect_no_out "irreversible" "a C revision with downgrade() is reversible"
sed -i 's/retort_exec(ctx, "UPDATE t SET x = 0; "/retort_drop_column(ctx, "t", "x"); (void)("UPDATE t SET x = 0; "/' migrations/versions/g7.c
sed -i 's/^int downgrade/int not_a_downgrade/' migrations/versions/g7.c
run retort lint
expect_out "g7.c:11: R007 destructive-c-revision: destructive operation in upgrade: retort_drop_column" "portable drops in a C revision's upgrade are found"
expect_out "g7.c: R006 irreversible: no downgrade\(\) function" "a C revision without downgrade() is irreversible"
sed -i 's/retort_drop_column(/retort_column_drop(/' migrations/versions/g7.c
run retort lint
expect_out "g7.c:11: R007 destructive-c-revision: destructive operation in upgrade: retort_column_drop" "migration.h's noun-first names are found too"
rm migrations/versions/g7.c
sql_revision f6 c3 "ALTER TABLE t ADD COLUMN z int;
DROP TABLE u;"

run retort --json lint
expect_rc 0 "lint --json"
if printf '%s' "$OUT" | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["warnings"] == 2 and d["errors"] == 0, d
assert d["new_revisions"] == 2 and d["heads"] == 1 and d["base"]["heads"] == 1, d
assert {f["level"] for f in d["findings"]} == {"warning"}, d
'; then ok "--json reports the findings"; else fail "--json output is wrong"; fi

run retort lint --base main
expect_rc 0 "--base main"
expect_out "since main \(" "the named base is shown"

run retort lint --base no-such-ref
expect_rc 2 "an unknown --base exits 2"
expect_err "--base 'no-such-ref' is not a commit" "the unknown base is named"

done_testing
