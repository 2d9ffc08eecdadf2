#!/bin/sh
# t0602-rebase.sh - diverged branches in a real git repository: lint names
# the rebase, rebase moves the first new revision onto the base's head (one
# line of one file changes), the branch merges as one line; what rebase
# refuses and why; and lint and rebase around a squash on the main branch.
. "$RETORT_SRCDIR/tests/cli/lib.sh"

command -v git >/dev/null 2>&1 || { echo "skip: no git"; exit 77; }
command -v sqlite3 >/dev/null 2>&1 || { echo "skip: no sqlite3"; exit 77; }
export GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@example.com GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@example.com
export GIT_CONFIG_NOSYSTEM=1 HOME="$T_DIR"

# the repository is a directory of its own: lib.sh keeps its files beside it
mkdir repo && cd repo || exit 1
mkdir -p m/versions
cat >retort.ini <<'INI'
[retort]
script_location = m
url = sqlite:///app.db
INI
printf '*.db\n*.db.*\n' >.gitignore
# rev ID PARENTS SQL: a revision that creates table t_ID.
rev() {
	printf -- '-- make %s\n--\n-- Revision ID: %s\n-- Revises: %s\n\n-- retort:upgrade\n%s\n\n-- retort:downgrade\nDROP TABLE t_%s;\n' \
		"$1" "$1" "$2" "${3:-CREATE TABLE t_$1 (id INTEGER);}" "$1" >"m/versions/$1.sql"
}
commit() { git add -A && git commit -q -m "$1"; }

git init -q -b main . && git config commit.gpgsign false
rev a1 ""
rev a2 a1
commit base
git checkout -q -b feature
rev f1 a2
rev f2 f1
cat >m/versions/f3.c <<'C'
/* make f3
 *
 * Revision ID: f3
 * Revises: f2
 */
#include <retort/migration.h>
int upgrade(retort_ctx *ctx) { return retort_exec(ctx, "CREATE TABLE t_f3 (id INTEGER)"); }
int downgrade(retort_ctx *ctx) { return retort_exec(ctx, "DROP TABLE t_f3"); }
C
commit feature
git checkout -q main
rev m1 a2
commit m1
git checkout -q feature

run retort lint
expect_rc 0 "before merging main, the branch is clean against its fork point"
run retort rebase
expect_rc 0 "nothing to rebase against the fork point"
expect_out "Nothing to rebase onto merge base with main .*: the new revisions already build on the base's head" "rebase says why"

run retort lint --base main
expect_rc 1 "against main's tip, the branch is behind"
expect_out "the base has revisions this branch forked before \(m1\): run 'retort rebase --base main' to put f1 on top of m1, then merge the base \('git merge main'\)" "lint says what came later and names the rebase"
expect_no_out "was deleted" "what came to main later is no deletion"
run retort rebase --base main --dry-run
expect_out "would change .*f1.sql: Revises: a2 -> m1" "rebase works before the merge too"
expect_out "m1 is not in this working tree yet: the history is whole once the base is merged \(git merge main\)" "and says the merge completes it"

git merge -q --no-edit main
run retort heads
expect_out "^m1 \(head\)" "after merging main: m1 is a head"
expect_out "^f3 \(head\)" "and so is f3"
run retort lint
expect_rc 1 "lint fails on the extra head"
expect_out "the history has 2 heads where the base had 1: run 'retort rebase' to put f1 on top of m1" "lint names the exact command"
run retort lint --base main
expect_out "run 'retort rebase --base main' to put f1 on top of m1" "with --base, the command carries it"

# A database that ran the branch's revisions refuses the rebase.
retort -q upgrade heads
cp m/versions/f1.sql ../f1.before
run retort rebase
expect_rc 1 "rebase refuses while the configured database has a new revision applied"
expect_err "revision f1 is applied to the database at sqlite:///app.db since .*, on top of a2: rebased, it would follow m1" "and says which and where"
expect_err "rebase with --force" "and the way past it"
cmp -s ../f1.before m/versions/f1.sql && ok "nothing changed" || fail "f1 changed"
run retort rebase --dry-run
expect_rc 0 "--dry-run does not ask the database"
expect_out "would change .*m/versions/f1.sql: Revises: a2 -> m1" "--dry-run says what would change"
cmp -s ../f1.before m/versions/f1.sql && ok "--dry-run changes nothing" || fail "f1 changed"

retort -q downgrade a2
chmod 640 m/versions/f1.sql
run retort rebase
expect_rc 0 "rebase once the database is below the branch"
expect_out "m/versions/f1.sql: Revises: a2 -> m1" "the change is printed"
expect_out "3 new revision\(s\) now follow m1" "all three new revisions follow"
sed 's/^-- Revises: a2$/-- Revises: m1/' ../f1.before >../f1.expected
cmp -s ../f1.expected m/versions/f1.sql && ok "f1 differs only in its Revises value" || fail "f1: $(diff ../f1.expected m/versions/f1.sql)"
[ "$(git diff --name-only | tr '\n' ' ')" = "m/versions/f1.sql " ] && ok "only the first of the line is rewritten" ||
	fail "changed: $(git diff --name-only)"
[ "$(stat -c %a m/versions/f1.sql)" = 640 ] && ok "the file keeps its mode" || fail "mode $(stat -c %a m/versions/f1.sql)"
ls -a m/versions | grep -q '^\.retort-tmp' && fail "a temporary file is left" || ok "no temporary file is left"
run retort heads
expect_out "^f3 \(head\)$" "one head"
run retort lint
expect_rc 0 "lint is clean after the rebase"
run retort rebase
expect_out "already build on the base's head" "a second rebase has nothing to do"
commit rebase

git checkout -q main
git merge -q --no-edit feature
run retort heads
expect_out "^f3 \(head\)$" "main has one head after the merge"
run retort -q --url sqlite:///line.db upgrade head
expect_rc 0 "a new database on main"
order=$(sqlite3 line.db "SELECT revision FROM retort_history ORDER BY id" | tr '\n' ' ')
[ "$order" = "a1 a2 m1 f1 f2 f3 " ] && ok "main runs one straight line: $order" || fail "order: $order"
[ "$(sqlite3 line.db 'SELECT count(*) FROM retort_history WHERE heads_before LIKE "%,%" OR heads_after LIKE "%,%"')" = 0 ] &&
	ok "the version table never held two heads" || fail "two heads on the way"

# --force: the database's rows are the user's business then.
git checkout -q -b forced main
rev g1 f3
commit g1
git checkout -q main
rev m2 f3
commit m2
git checkout -q forced
git merge -q --no-edit main
retort -q upgrade heads
run retort rebase --force
expect_rc 0 "--force rebases although the database has g1"
expect_out "g1.sql: Revises: f3 -> m2" "g1 moves onto m2"
commit forced

# What rebase refuses.
git checkout -q -b twoheads main
rev h1 m2
rev h2 m2
commit twoheads
git checkout -q -b onbranch main
rev k1 m2
commit k1
run retort rebase --base twoheads
expect_rc 1 "a base with several heads is refused"
expect_err "the base itself has several heads \(h1, h2\)" "and named"
git checkout -q -b forked main
rev n1 m2
rev n2 m2
commit forked
git checkout -q main
rev m3 m2
commit m3
git checkout -q forked
git merge -q --no-edit main
run retort rebase
expect_rc 1 "new revisions that end in several heads are refused"
expect_err "the new revisions end in several heads \(n1, n2\)" "and named"
git rm -q m/versions/n2.sql
rev n0 ""
run retort rebase
expect_rc 1 "a new base is refused"
expect_err "new revision 'n0' starts a new base" "and named"
rm m/versions/n0.sql
rev n3 m1
rev n4 n1,n3
run retort rebase
expect_rc 1 "new revisions that start from several revisions are refused"
expect_err "start from several revisions of the base \(n1, n3" "and named"
rm m/versions/n3.sql m/versions/n4.sql
git checkout -q -- . && git clean -qfd m

# Lint and rebase around a squash on main.
git checkout -q main
git checkout -q -b late main
git reset -q --hard HEAD~1   # forked before m3
rev p1 a2 "CREATE TABLE t_p1 (id INTEGER);"
commit p1
git checkout -q main
run retort squash m2 -m "baseline" --rev-id b1
expect_rc 0 "main squashes up to m2"
run retort lint --base HEAD
expect_rc 1 "lint fails: branch late builds inside the range"
expect_out "revision p1 on branch 'late' revises a2, which baseline b1 replaces" "and names the branch and the revision"
commit squash
run retort --url sqlite:///sq.db squash --prune
expect_rc 0 "prune"
commit prune
run retort lint --base HEAD~1
expect_out "warning: .*revision\(s\) baseline b1 replaces were pruned since the base" "a prune is a warning, not a deletion error"
git checkout -q late
git merge -q --no-edit main
run retort heads
expect_rc 1 "after merging main, the branch's history is broken"
expect_err "revision 'p1' revises 'a2', which baseline 'b1' .* replaces; only the last revision it replaces \('m2'\) can be revised" "and the graph says why"
run retort rebase
expect_rc 0 "rebase repairs it"
expect_out "p1.sql: Revises: a2 -> m3" "p1 moves onto main's head"
run retort lint
expect_rc 0 "lint is clean"

done_testing
