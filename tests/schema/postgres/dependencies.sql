-- Dependency order: what stands on a column whose type changes, or on a
-- function that must be dropped and created again, is dropped before
-- and created after; objects in several schemas refer to each other.

-- case: a column retyped under views over views, a function body and a policy
-- from:
CREATE SCHEMA a;
CREATE SCHEMA b;
CREATE TABLE a.users (id int PRIMARY KEY, name varchar(20), age int);
CREATE VIEW b.names AS SELECT id, name FROM a.users;
CREATE VIEW b."Name Lengths" AS SELECT id, length(name) AS len FROM b.names;
CREATE FUNCTION b.count_named(n varchar) RETURNS bigint LANGUAGE sql STABLE
    BEGIN ATOMIC SELECT count(*) FROM a.users WHERE name = n; END;
ALTER TABLE a.users ENABLE ROW LEVEL SECURITY;
CREATE POLICY adults ON a.users USING (age >= 18);
-- to:
CREATE SCHEMA a;
CREATE SCHEMA b;
CREATE TABLE a.users (id int PRIMARY KEY, name text, age bigint);
CREATE VIEW b.names AS SELECT id, name FROM a.users;
CREATE VIEW b."Name Lengths" AS SELECT id, length(name) AS len FROM b.names;
CREATE FUNCTION b.count_named(n varchar) RETURNS bigint LANGUAGE sql STABLE
    BEGIN ATOMIC SELECT count(*) FROM a.users WHERE name = n; END;
ALTER TABLE a.users ENABLE ROW LEVEL SECURITY;
CREATE POLICY adults ON a.users USING (age >= 18);

-- case: everything created in one go, across schemas, in an order the server accepts
-- from:
-- to:
CREATE SCHEMA core;
CREATE SCHEMA "Reporting";
CREATE EXTENSION citext SCHEMA core;
CREATE DOMAIN core.email AS core.citext CHECK (VALUE ~ '@');
CREATE TYPE core.status AS ENUM ('active', 'gone');
CREATE FUNCTION core.norm(e core.email) RETURNS text LANGUAGE sql IMMUTABLE RETURN lower(e::text);
CREATE TABLE core.accounts (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email core.email NOT NULL,
    status core.status DEFAULT 'active',
    key text GENERATED ALWAYS AS (core.norm(email)) STORED
);
CREATE INDEX accounts_norm ON core.accounts (core.norm(email));
CREATE FUNCTION "Reporting".active() RETURNS SETOF core.accounts LANGUAGE sql STABLE
    AS 'SELECT * FROM core.accounts WHERE status = ''active''';
CREATE VIEW "Reporting"."Active" AS SELECT id, email FROM "Reporting".active();
CREATE MATERIALIZED VIEW "Reporting".counts AS SELECT status, count(*) FROM core.accounts GROUP BY status;
CREATE FUNCTION core.audit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE TRIGGER audit AFTER INSERT ON core.accounts FOR EACH ROW EXECUTE FUNCTION core.audit();
ALTER TABLE core.accounts ENABLE ROW LEVEL SECURITY;
CREATE POLICY own ON core.accounts USING (core.norm(email) = current_user);

-- case: a function used by a default, a check, an index and a view changes its result type
-- from:
CREATE FUNCTION score(x int) RETURNS int LANGUAGE sql IMMUTABLE RETURN x * 10;
CREATE TABLE s (x int, y int DEFAULT score(1) CHECK (score(y) >= 0));
CREATE INDEX s_score ON s (score(x));
CREATE VIEW sv AS SELECT score(x) AS sx FROM s;
-- to:
CREATE FUNCTION score(x int) RETURNS numeric LANGUAGE sql IMMUTABLE RETURN x * 10.5;
CREATE TABLE s (x int, y int DEFAULT score(1) CHECK (score(y) >= 0));
CREATE INDEX s_score ON s (score(x));
CREATE VIEW sv AS SELECT score(x) AS sx FROM s;
