# check_drift.sh - the check/drift scenario, sourced by t0701 (SQLite) and
# t0702 (PostgreSQL) after they set URL, PK (a primary-key column type) and a
# function SQL that runs a statement on the live database.

retort init -q migrations >/dev/null
cat > schema.sql <<SQL
CREATE TABLE users (id $PK PRIMARY KEY, name TEXT NOT NULL, email TEXT);
CREATE TABLE posts (id $PK PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users (id), title TEXT);
CREATE INDEX posts_user ON posts (user_id);
SQL
cat > migrations/versions/a1.sql <<SQL
-- users
--
-- Revision ID: a1
-- Revises:

-- retort:upgrade
CREATE TABLE users (id $PK PRIMARY KEY, name TEXT NOT NULL);

-- retort:downgrade
DROP TABLE users;
SQL
export RETORT_URL="$URL"

run retort check
expect_rc 2 "check without target_schema exits 2"
expect_err "has no 'target_schema'" "the missing key is named"
echo "target_schema = schema.sql" >> retort.ini

run retort check
expect_rc 1 "check finds what the migrations lack"
expect_out 'ADD COLUMN "email"' "the missing column is printed"
expect_out 'CREATE TABLE "(public"\.")?posts"' "the missing table is printed"
expect_out 'CREATE INDEX "?posts_user' "the missing index is printed"

run retort --json check
expect_rc 1 "check --json exits 1 too"
if printf '%s' "$OUT" | python3 -c '
import json, sys
d = json.load(sys.stdin)
kinds = [o["kind"] for o in d["operations"]]
assert not d["equal"] and d["heads"] == ["a1"], d
assert "add_column" in kinds and "create_table" in kinds and "create_index" in kinds, kinds
'; then ok "check --json lists the operations"; else fail "check --json is wrong"; fi

# Write the revision check asked for; then nothing is left to do.
cat > migrations/versions/b2.sql <<SQL
-- posts
--
-- Revision ID: b2
-- Revises: a1

-- retort:upgrade
ALTER TABLE users ADD COLUMN email TEXT;
CREATE TABLE posts (id $PK PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users (id), title TEXT);
CREATE INDEX posts_user ON posts (user_id);

-- retort:downgrade
DROP TABLE posts;
ALTER TABLE users DROP COLUMN email;
SQL
run retort check
expect_rc 0 "check passes once a revision covers the target"
expect_out "No changes detected" "check says so"

run retort check --from-db
expect_rc 2 "check --from-db refuses a database that is not at head (exit 2: no comparison)"
expect_err "is not at head" "the reason is given"

run retort upgrade head
expect_rc 0 "upgrade head"
run retort check --from-db
expect_rc 0 "check --from-db passes at head"

run retort drift
expect_rc 0 "no drift right after upgrading"
expect_out "No drift" "drift says so"

SQL "ALTER TABLE users ADD COLUMN nick TEXT"
run retort drift
expect_rc 1 "a hand-made column is drift"
expect_out 'ADD COLUMN "nick"' "the drift is printed"
expect_out 'to undo them' "the way back is printed"

run retort downgrade a1
expect_rc 0 "downgrade to a1 (drift stays: the hand-made column is still there)"
run retort drift
expect_rc 1 "drift is judged against the database's own heads"
expect_no_out 'posts' "revisions that are not applied are not drift"

printf 'CREATE TABLE fine (id int);\n\nSELECT * FROM nowhere;\n' > bad.sql
sed -i 's/^target_schema = schema.sql$/target_schema = bad.sql/' retort.ini
run retort check
expect_rc 2 "a broken target_schema exits 2, not 1 (a revision is needed)"
expect_err "bad.sql:3: .*nowhere" "the broken file is named with the failing line"

# A migration that does not replay: 2 as well, naming it.
sed -i 's/^target_schema = bad.sql$/target_schema = schema.sql/' retort.ini
cat > migrations/versions/c3.sql <<SQL
-- broken
--
-- Revision ID: c3
-- Revises: b2

-- retort:upgrade
ALTER TABLE nosuch ADD COLUMN x INTEGER;

-- retort:downgrade
SELECT 1;
SQL
run retort check
expect_rc 2 "a migration that does not replay exits 2"
expect_err "c3.sql" "the migration is named"
run retort drift
expect_rc 1 "drift replays only what the database has applied: it still compares (the nick column)"
rm migrations/versions/c3.sql
