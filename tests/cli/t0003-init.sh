#!/bin/sh
# t0003-init: `retort init` writes a working project and never overwrites one.
. "$RETORT_SRCDIR/tests/cli/lib.sh"

run retort init migrations
expect_rc 0 "init migrations"
[ -d migrations/versions ] && ok "versions/ created" || fail "versions/ missing"
for f in README script.sql.tmpl script.c.tmpl; do
	[ -s "migrations/$f" ] && ok "migrations/$f written" || fail "migrations/$f missing"
done
[ -s retort.ini ] && ok "retort.ini written" || fail "retort.ini missing"
grep -q '^script_location = migrations$' retort.ini && ok "script_location points at DIR" || fail "script_location wrong: $(grep script_location retort.ini)"
grep -q '^url = \${RETORT_URL:-sqlite:///app.db}$' retort.ini && ok "url keeps its \${VAR:-default}" || fail "url line wrong"
grep -q 'Revision ID: \${rev_id}' migrations/script.sql.tmpl && ok "script template has placeholders" || fail "script template wrong"

cp retort.ini retort.ini.before
run retort init migrations
expect_rc 1 "init refuses a non-empty directory"
expect_err "directory 'migrations' already exists and is not empty" "the refusal names the directory"
cmp -s retort.ini retort.ini.before && ok "retort.ini untouched" || fail "retort.ini changed"

mkdir empty
run retort init empty
expect_rc 0 "init accepts an existing empty directory"
expect_out "retort.ini already exists, left as it is" "an existing retort.ini is left alone"
cmp -s retort.ini retort.ini.before && ok "retort.ini still untouched" || fail "retort.ini overwritten"

run retort init -t nosuch other
expect_rc 2 "an unknown template exits 2"
expect_err "no template 'nosuch'" "the unknown template is named"
[ ! -e other ] && ok "nothing created for an unknown template" || fail "'other' was created"

mkdir sub
run retort -c sub/app.ini init -t generic sub/m
expect_rc 0 "init with -c writes the config there"
[ -s sub/app.ini ] && ok "sub/app.ini written" || fail "sub/app.ini missing"

done_testing
