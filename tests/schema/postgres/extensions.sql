-- Extensions with their schema and version (CREATE EXTENSION and ALTER
-- EXTENSION in PostgreSQL's documentation).

-- case: created in a schema at a version, then updated
-- upgrade-only: extension scripts only go forward (retort notes it and keeps the version)
-- from:
CREATE SCHEMA ext;
CREATE EXTENSION citext SCHEMA ext VERSION '1.4';
-- to:
CREATE SCHEMA ext;
CREATE EXTENSION citext SCHEMA ext VERSION '1.6';
CREATE EXTENSION pg_trgm;
COMMENT ON EXTENSION pg_trgm IS 'trigram search';

-- case: an extension used by a column, dropped with it
-- from:
CREATE EXTENSION hstore;
CREATE TABLE kv (h hstore);
-- to:
CREATE TABLE kv (h text);
