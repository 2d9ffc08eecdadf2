#!/bin/sh
# t0311-autogen-sqlite-constraint-names: declared constraint names
# (CONSTRAINT uq_users_email UNIQUE (email), named keys, checks and foreign
# keys, at table or column level) survive reflection, autogenerate and the
# rebuilds SQLite needs; a renamed constraint is a change.  Judged by
# sqlite3's own .schema.
. "$RETORT_SRCDIR/tests/cli/lib.sh"

retort init migrations >/dev/null
echo "target_schema = schema.sql" >> retort.ini

cat >schema.sql <<'SQL'
CREATE TABLE users (
	id INTEGER CONSTRAINT users_pk PRIMARY KEY,
	email TEXT NOT NULL,
	nick TEXT CONSTRAINT uq_users_nick UNIQUE,
	age INTEGER,
	CONSTRAINT uq_users_email UNIQUE (email),
	CONSTRAINT ck_users_age CHECK (age >= 0)
);
CREATE TABLE posts (id INTEGER PRIMARY KEY, user_id INTEGER, CONSTRAINT fk_posts_user FOREIGN KEY (user_id) REFERENCES users (id));
SQL
names() {
	sqlite3 app.db .schema | grep -o 'CONSTRAINT "*[a-z_]*"*' | tr -d '"' | grep -v retort_version | sort | tr '\n' ' '
}
WANT="CONSTRAINT ck_users_age CONSTRAINT fk_posts_user CONSTRAINT uq_users_email CONSTRAINT uq_users_nick CONSTRAINT users_pk "

run retort revision --autogenerate -m "tables" --rev-id a1
expect_rc 0 "autogenerate"
run retort upgrade head
expect_rc 0 "upgrade"
[ "$(names)" = "$WANT" ] && ok "every declared name is in the database" || fail "names: $(names)"
run retort check
expect_rc 0 "and check finds nothing to do (the names compare equal)"

# A change only a rebuild makes: the names come through it.
sed -i 's/age INTEGER,/age BIGINT NOT NULL DEFAULT 0,/' schema.sql
run retort revision --autogenerate -m "age" --rev-id a2
expect_rc 0 "autogenerate a rebuild"
grep -q 'batch: rebuild "users"' migrations/versions/a2_age.sql && ok "users is rebuilt" || fail "no rebuild"
run retort upgrade head
expect_rc 0 "the rebuild applies"
[ "$(names)" = "$WANT" ] && ok "the names survive the rebuild" || fail "names after the rebuild: $(names)"
run retort check
expect_rc 0 "nothing left to do"

# A renamed constraint is a difference.
sed -i 's/uq_users_email/uq_email/' schema.sql
run retort check
expect_rc 1 "a renamed constraint is found"
expect_out 'CONSTRAINT "uq_email" UNIQUE' "and written under its new name"
run retort revision --autogenerate -m "rename" --rev-id a3
run retort upgrade head
expect_rc 0 "the rename applies"
sqlite3 app.db .schema | grep -q 'CONSTRAINT "uq_email" UNIQUE ("email")' && ok "sqlite3 shows the new name" ||
	fail "schema: $(sqlite3 app.db .schema)"
run retort downgrade a1
expect_rc 0 "and back"
[ "$(names)" = "$WANT" ] && ok "with the first names" || fail "names after the downgrade: $(names)"

done_testing
