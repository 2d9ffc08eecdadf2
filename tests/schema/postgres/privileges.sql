-- Privileges, compared with --with-privileges: GRANT and REVOKE on
-- tables, columns, sequences, functions, types and schemas, and default
-- privileges (GRANT, REVOKE and ALTER DEFAULT PRIVILEGES in PostgreSQL's
-- documentation).  The roles come from the test server.

-- case: grants on every kind of object
-- options: --with-privileges
-- from:
CREATE SCHEMA "Shop";
CREATE TABLE "Shop".films (code char(5), title text, kind varchar(10));
CREATE SEQUENCE "Shop".film_ids;
CREATE FUNCTION "Shop".rating(code char) RETURNS int LANGUAGE sql RETURN 5;
CREATE TYPE "Shop".genre AS ENUM ('drama', 'comedy');
CREATE VIEW "Shop".titles AS SELECT title FROM "Shop".films;
-- to:
CREATE SCHEMA "Shop";
CREATE TABLE "Shop".films (code char(5), title text, kind varchar(10));
CREATE SEQUENCE "Shop".film_ids;
CREATE FUNCTION "Shop".rating(code char) RETURNS int LANGUAGE sql RETURN 5;
CREATE TYPE "Shop".genre AS ENUM ('drama', 'comedy');
CREATE VIEW "Shop".titles AS SELECT title FROM "Shop".films;
GRANT USAGE ON SCHEMA "Shop" TO retort_reader;
GRANT INSERT ON "Shop".films TO PUBLIC;
GRANT SELECT, UPDATE (title) ON "Shop".films TO "Retort ""Odd"" Role" WITH GRANT OPTION;
GRANT USAGE, SELECT ON SEQUENCE "Shop".film_ids TO retort_reader;
REVOKE ALL ON FUNCTION "Shop".rating(char) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION "Shop".rating(char) TO retort_reader;
REVOKE USAGE ON TYPE "Shop".genre FROM PUBLIC;
GRANT SELECT ON "Shop".titles TO retort_reader;

-- case: default privileges, and objects created under them
-- options: --with-privileges
-- from:
CREATE SCHEMA app;
-- to:
CREATE SCHEMA app;
ALTER DEFAULT PRIVILEGES IN SCHEMA app GRANT SELECT ON TABLES TO retort_reader;
ALTER DEFAULT PRIVILEGES REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;
ALTER DEFAULT PRIVILEGES GRANT USAGE ON SEQUENCES TO "Retort ""Odd"" Role";
CREATE TABLE app.t (a int);
CREATE FUNCTION app.f() RETURNS int LANGUAGE sql RETURN 1;

-- case: a grant kept on a view recreated over a retyped column
-- options: --with-privileges
-- from:
CREATE TABLE t (a int);
CREATE VIEW v AS SELECT a FROM t;
GRANT SELECT ON v TO retort_reader;
-- to:
CREATE TABLE t (a bigint);
CREATE VIEW v AS SELECT a FROM t;
GRANT SELECT ON v TO retort_reader;
