#!/bin/sh
# t0105-revision-autogenerate: `retort revision --autogenerate` writes the
# SQL between the migrations at head and target_schema, with a downgrade,
# and the result applies cleanly (SQLite).
. "$RETORT_SRCDIR/tests/cli/lib.sh"

retort init migrations >/dev/null
echo "target_schema = schema.sql" >> retort.ini
printf 'CREATE TABLE users (id INTEGER PRIMARY KEY, name VARCHAR(50) NOT NULL);\n' > schema.sql

run retort revision --autogenerate -m "create users" --rev-id a1
expect_rc 0 "revision --autogenerate"
F=migrations/versions/a1_create_users.sql
grep -q 'CREATE TABLE "users"' $F && ok "the upgrade creates the table" || fail "no CREATE TABLE in $(cat $F)"
sed -n '/^-- retort:downgrade$/,$p' $F | grep -q 'DROP TABLE "users"' && ok "the downgrade drops it" || fail "no DROP TABLE in the downgrade"

run retort upgrade heads
expect_rc 0 "the generated revision applies"
run retort check
expect_rc 0 "check is clean after applying it"

printf 'CREATE TABLE users (id INTEGER PRIMARY KEY, name VARCHAR(50) NOT NULL, email TEXT);\n' > schema.sql
run retort revision --autogenerate -m "add email" --rev-id a2
expect_rc 0 "a second autogenerate"
grep -q '^-- Revises: a1$' migrations/versions/a2_add_email.sql && ok "it follows the head" || fail "parent of a2"
grep -qi 'email' migrations/versions/a2_add_email.sql && ok "it adds the column" || fail "no email column"
run retort upgrade heads
expect_rc 0 "the second revision applies"
run retort downgrade -1
expect_rc 0 "and reverts"

run retort revision --autogenerate -m "nothing new" --rev-id a3
expect_rc 0 "no changes: exit 0"
expect_out "No changes detected" "and says so"
ls migrations/versions | grep -q a3 && fail "an empty revision was written" || ok "no file is written"

run retort revision --autogenerate --format c -m x
expect_rc 2 "--autogenerate with --format c is refused"
run retort revision --from-db -m x
expect_rc 2 "--from-db without --autogenerate is refused"

done_testing
