#!/bin/sh
# t0101-revision: `retort revision` writes files Alembic users expect:
# parents from --head/--splice, labels, dependencies, file_template,
# version paths, the project's own template, no overwriting, post_write_hook.
. "$RETORT_SRCDIR/tests/cli/lib.sh"

retort init migrations >/dev/null
V=migrations/versions

run retort revision -m "Create users table!" --rev-id aaa111
expect_rc 0 "first revision"
expect_out "^$PWD/$V/aaa111_create_users_table\.sql$" "prints the path, named %(rev)s_%(slug)s"
F=$V/aaa111_create_users_table.sql
grep -q '^-- Create users table!$' "$F" && ok "message is the first header line" || fail "message line"
grep -q '^-- Revision ID: aaa111$' "$F" && ok "Revision ID written" || fail "Revision ID"
grep -q '^-- Revises: *$' "$F" && ok "a first revision is a base" || fail "Revises of a base"
grep -Eq '^-- Create Date: [0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}\+00:00$' "$F" && ok "Create Date in UTC" || fail "Create Date"

run retort revision -m second --rev-id bbb222
expect_rc 0 "second revision"
grep -q '^-- Revises: aaa111$' $V/bbb222_second.sql && ok "the head is the parent" || fail "parent of second"

run retort revision -m again --rev-id bbb222
expect_rc 2 "an existing id is refused"
expect_err "revision id 'bbb222' already exists" "names the id"

run retort revision -m bad --rev-id "a-b"
expect_rc 2 "an invalid id is a usage error"
expect_err "invalid revision id 'a-b'" "names the bad id"

run retort revision -m branch --head aaa111 --rev-id ccc333
expect_rc 2 "a non-head parent needs --splice"
expect_err "revision 'aaa111' is not a head .*use --splice" "explains --splice"
run retort revision -m branch --head aaa111 --splice --rev-id ccc333 --branch-label cart
expect_rc 0 "--splice starts a branch"
grep -q '^-- Revises: aaa111$' $V/ccc333_branch.sql && ok "spliced parent" || fail "spliced parent"
grep -q '^-- Branch Labels: cart$' $V/ccc333_branch.sql && ok "branch label written" || fail "branch label"

run retort revision -m more
expect_rc 1 "no --head with two heads fails"
expect_err "several heads: bbb222, ccc333" "lists the heads"
expect_err "retort merge" "suggests merge"

run retort revision -m "cart two" --head cart@head --rev-id ddd444 --depends-on bbb
expect_rc 0 "--head LABEL@head and --depends-on a prefix"
grep -q '^-- Revises: ccc333$' $V/ddd444_cart_two.sql && ok "LABEL@head resolved" || fail "LABEL@head parent"
grep -q '^-- Depends On: bbb222$' $V/ddd444_cart_two.sql && ok "the dependency is written as a full id" || fail "depends on"

run retort revision -m "new root" --head base --rev-id eee555 --branch-label cart
expect_rc 2 "a label already in use is refused"
expect_err "branch label 'cart' is already" "names the label"
run retort revision -m "new root" --head base --rev-id eee555 --branch-label net
expect_rc 0 "--head base starts a new root"
grep -q '^-- Revises: *$' $V/eee555_new_root.sql && ok "new root has no parent" || fail "new root parent"

run retort revision -m "c rev" --format c --head net@head --rev-id fff666
expect_rc 0 "--format c"
grep -q '^ \* Revision ID: fff666$' $V/fff666_c_rev.c && ok "C header written" || fail "C header"
grep -q 'int downgrade' $V/fff666_c_rev.c && ok "C body from the template" || fail "C body"

run retort revision -m "x" --format cobol
expect_rc 2 "an unknown format is a usage error"

# the project's own template wins over the built-in one
sed 's/^-- retort:upgrade$/-- retort:upgrade\n-- custom template/' migrations/script.sql.tmpl > t && mv t migrations/script.sql.tmpl
run retort revision -m custom --head net@head --rev-id aab777
expect_rc 0 "revision from the project template"
grep -q '^-- custom template$' $V/aab777_custom.sql && ok "the directory's script.sql.tmpl is used" || fail "project template ignored"

# a broken template never leaves a file behind
cp migrations/script.sql.tmpl good.tmpl
sed 's/Revision ID/Revision Id Typo/' good.tmpl > migrations/script.sql.tmpl
run retort revision -m broken --head net@head --rev-id aac888
expect_rc 1 "a template that does not parse is an error"
expect_err "the script template does not give a valid revision" "says the template is wrong"
ls $V | grep -q aac888 && fail "file left behind" || ok "no file written"
cp good.tmpl migrations/script.sql.tmpl

# file_template, slug truncation, refusal to overwrite
cat >> retort.ini <<'INI'
file_template = %(year)d_%(month).2d_%(rev)s_%(slug)s
truncate_slug_length = 12
INI
run retort revision -m "a rather long message for the slug" --head net@head --rev-id abc999
expect_rc 0 "file_template with a date"
expect_out "/[0-9]{4}_[0-9]{2}_abc999_a_rather_\.sql$" "date tokens and slug cut at a word"
# a squatter: a valid revision whose file name is the one abd000 would get
SQ="$V/$(date -u +%Y_%m)_abd000_x.sql"
printf -- '-- squatter\n-- Revision ID: zzz000\n-- Revises: abc999\n-- retort:upgrade\n' > "$SQ"
cp "$SQ" squatter.before
run retort revision -m x --head abc999 --splice --rev-id abd000
expect_rc 1 "an existing file is never overwritten"
expect_err "refusing to overwrite '.*_abd000_x\.sql'" "says it refuses, naming the file"
cmp -s "$SQ" squatter.before && ok "the existing file is unchanged" || fail "the existing file changed"
rm -f "$SQ"

# version locations and post_write_hook
mkdir -p other
cat > retort.ini <<'INI'
[retort]
script_location = migrations
url = sqlite:///app.db
version_locations = migrations/versions other
post_write_hook = cp {file} hooked.sql
INI
run retort revision -m "in other" --head base --rev-id bcd123 --version-path other
expect_rc 0 "--version-path picks a location"
[ -f other/bcd123_in_other.sql ] && ok "written to other/" || fail "not in other/"
cmp -s other/bcd123_in_other.sql hooked.sql && ok "post_write_hook ran with {file}" || fail "hook did not run"
run retort revision -m nowhere --head bcd123 --version-path elsewhere
expect_rc 2 "--version-path outside the locations"
expect_err "'elsewhere' is not one of the version locations" "names the path"
run retort revision -m "follow parent" --head bcd123 --rev-id bce124
expect_rc 0 "several locations: the parent's is used"
[ -f other/bce124_follow_parent.sql ] && ok "written next to its parent" || fail "not next to its parent"
sed -i 's/^post_write_hook = .*/post_write_hook = false {file}/' retort.ini
run retort revision -m "hook fails" --head bce124 --rev-id bcf125
expect_rc 1 "a failing hook is an error"
expect_err "post_write_hook 'false \{file\}' failed" "names the hook"
[ -f other/bcf125_hook_fails.sql ] && ok "the file stays for inspection" || fail "file removed after a failing hook"

sed -i '/^post_write_hook/d' retort.ini
run retort revision --json -m "as json" --head bcf125 --rev-id bd0126
expect_rc 0 "--json"
expect_out '"path": ".*bd0126_as_json\.sql"' "path in JSON"

# slugs transliterate Latin letters with diacritics
run retort revision -m "Ünïcode Straße" --head bd0126 --rev-id be0127
expect_rc 0 "a non-ASCII message"
expect_out "be0127_unicode_strasse\.sql$" "Ünïcode Straße gives unicode_strasse"

done_testing
