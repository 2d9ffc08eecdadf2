#!/bin/sh
# t0302-diff-postgres.sh - `retort diff` between two PostgreSQL databases:
# schemas, enums, sequences, identity, foreign-key cycles and comments;
# applying the printed SQL makes them equal; the password is never printed.
. "$RETORT_SRCDIR/tests/cli/lib.sh"
pg_start
A=$(pg_new_db a) || exit 1
B=$(pg_new_db b) || exit 1
C=$(pg_new_db c) || exit 1
for db in "$A" "$C"; do
	psql -X -q -v ON_ERROR_STOP=1 -d "$db" -c "CREATE TABLE users (id int PRIMARY KEY, name text)" || exit 1
done
psql -X -q -v ON_ERROR_STOP=1 -d "$B" <<'SQL' || exit 1
CREATE SCHEMA app;
CREATE EXTENSION pg_trgm;
CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
CREATE SEQUENCE app.counter INCREMENT BY 5;
CREATE TABLE users (id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text NOT NULL DEFAULT 'x', feeling mood);
COMMENT ON TABLE users IS 'people';
CREATE TABLE app.a (id int PRIMARY KEY, b_id int);
CREATE TABLE app.b (id int PRIMARY KEY, a_id int REFERENCES app.a (id) DEFERRABLE INITIALLY DEFERRED);
ALTER TABLE app.a ADD CONSTRAINT a_b_fk FOREIGN KEY (b_id) REFERENCES app.b (id);
CREATE UNIQUE INDEX users_lower_name ON users (lower(name)) WHERE name <> '';
CREATE VIEW app.names AS SELECT name FROM users;
CREATE INDEX users_name_trgm ON users USING gin (name gin_trgm_ops);
SQL
MASKED_A=$(printf '%s' "$A" | sed 's|postgresql:///|postgresql://postgres:s3cretpw@/|')

run retort diff "$A" "$A"
expect_rc 0 "same database: exit 0"
run retort diff "$MASKED_A" "$B"
expect_rc 1 "different: exit 1"
expect_out '^CREATE SCHEMA "app";' "creates the schema"
expect_out '^CREATE EXTENSION IF NOT EXISTS "pg_trgm" WITH SCHEMA "public" VERSION '"'"'[0-9.]*'"'"';' "creates the extension before the index that needs it"
expect_out "^CREATE TYPE \"public\".\"mood\" AS ENUM \('sad', 'ok', 'happy'\);" "creates the enum"
expect_out 'ADD CONSTRAINT "(a_b_fk|b_a_id_fkey)" FOREIGN KEY' "breaks the foreign-key cycle with ALTER TABLE"
expect_out 'ADD GENERATED ALWAYS AS IDENTITY' "adds the identity"
expect_out "COMMENT ON TABLE \"public\".\"users\" IS 'people';" "sets the comment"
expect_no_out 's3cretpw' "the password is never printed"
printf '%s\n' "$OUT" >up.sql
run psql -X -q -v ON_ERROR_STOP=1 -d "$A" -f up.sql
expect_rc 0 "the upgrade SQL applies"
run retort diff "$A" "$B"
expect_rc 0 "after the upgrade the schemas are equal"
expect_out '^$' "and nothing is printed"

run retort diff --downgrade "$C" "$B"
expect_rc 1 "--downgrade: exit 1"
expect_out '^-- destructive: drops schema "app"' "--downgrade drops the schema, marked destructive"
# Kinds left out, and privileges compared only when asked.
D=$(pg_new_db d) || exit 1
E=$(pg_new_db e) || exit 1
for db in "$D" "$E"; do
	psql -X -q -v ON_ERROR_STOP=1 -d "$db" -c "CREATE TABLE items (id int PRIMARY KEY, n int)" || exit 1
done
psql -X -q -v ON_ERROR_STOP=1 -d "$E" <<'SQL' || exit 1
CREATE FUNCTION bump() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.n := NEW.n + 1; RETURN NEW; END $$;
CREATE TRIGGER items_bump BEFORE INSERT ON items FOR EACH ROW EXECUTE FUNCTION bump();
SQL
run retort diff "$D" "$E"
expect_rc 1 "a function and a trigger: exit 1"
expect_out '^CREATE TRIGGER items_bump BEFORE INSERT ON public.items' "creates the trigger"
run retort diff --exclude-kind triggers --exclude-kind functions "$D" "$E"
expect_rc 0 "--exclude-kind triggers and functions: equal"
run retort diff --exclude-kind gadgets "$D" "$E"
expect_rc 2 "an unknown kind: exit 2"
expect_err "unknown object kind 'gadgets'" "and says which"
psql -X -q -v ON_ERROR_STOP=1 -d "$E" -c "DROP TRIGGER items_bump ON items; DROP FUNCTION bump(); GRANT SELECT ON items TO PUBLIC" || exit 1
run retort diff "$D" "$E"
expect_rc 0 "a grant alone, not asked for: equal"
run retort diff --with-privileges "$D" "$E"
expect_rc 1 "--with-privileges: exit 1"
printf '%s\n' "$OUT" >grant.sql
run psql -X -q -v ON_ERROR_STOP=1 -d "$D" -f grant.sql
expect_rc 0 "the grant applies"
run psql -X -A -t -d "$D" -c "SELECT has_table_privilege('public', 'items', 'SELECT')"
expect_out '^t$' "PUBLIC may now read the table"

run retort diff "$A" postgresql:///nosuchdb?host=/nonexistent
expect_rc 2 "unreachable database: exit 2"
done_testing
