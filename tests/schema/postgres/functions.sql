-- Functions and procedures, after the examples of CREATE FUNCTION and
-- CREATE PROCEDURE in PostgreSQL's documentation.

-- case: a new function, a procedure and overloads in two schemas
-- from:
CREATE SCHEMA "Billing.Dept";
-- to:
CREATE SCHEMA "Billing.Dept";
CREATE FUNCTION add(integer, integer) RETURNS integer
    AS 'select $1 + $2;'
    LANGUAGE SQL
    IMMUTABLE
    RETURNS NULL ON NULL INPUT;
CREATE FUNCTION "Billing.Dept".add(numeric, numeric) RETURNS numeric
    LANGUAGE SQL IMMUTABLE RETURN $1 + $2;
CREATE FUNCTION "Billing.Dept"."Select ""Fee"""(amount numeric DEFAULT 0) RETURNS numeric
    LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog
    AS $$ BEGIN RETURN amount * 0.1; END $$;
CREATE TABLE tbl (a integer);
CREATE PROCEDURE insert_data(a integer, b integer)
LANGUAGE SQL
AS $$
INSERT INTO tbl VALUES (a);
INSERT INTO tbl VALUES (b);
$$;
COMMENT ON FUNCTION "Billing.Dept"."Select ""Fee"""(numeric) IS 'ten per cent';

-- case: body, volatility, strictness and SET options replaced in place
-- from:
CREATE FUNCTION increment(i integer) RETURNS integer AS $$
        BEGIN
                RETURN i + 1;
        END;
$$ LANGUAGE plpgsql;
CREATE VIEW v AS SELECT increment(1) AS two;
-- to:
CREATE FUNCTION increment(i integer) RETURNS integer AS $$
        BEGIN
                RETURN i + 2;
        END;
$$ LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE SET work_mem = '8MB';
CREATE VIEW v AS SELECT increment(1) AS two;

-- case: a return type that changes drops and recreates what uses it
-- from:
CREATE FUNCTION dup(int) RETURNS TABLE(f1 int, f2 text)
    AS $$ SELECT $1, CAST($1 AS text) || ' is text' $$
    LANGUAGE SQL;
CREATE FUNCTION twice(x integer) RETURNS integer LANGUAGE sql IMMUTABLE RETURN x * 2;
CREATE TABLE t (a integer DEFAULT twice(21), b integer CHECK (twice(b) < 100));
CREATE INDEX t_twice ON t (twice(a));
CREATE VIEW tv AS SELECT twice(a) AS a2, (dup(a)).f2 FROM t;
-- to:
CREATE FUNCTION dup(int) RETURNS TABLE(f1 int, f2 text, f3 int)
    AS $$ SELECT $1, CAST($1 AS text) || ' is text', $1 $$
    LANGUAGE SQL;
CREATE FUNCTION twice(x integer) RETURNS bigint LANGUAGE sql IMMUTABLE RETURN x * 2;
CREATE TABLE t (a integer DEFAULT twice(21), b integer CHECK (twice(b) < 100));
CREATE INDEX t_twice ON t (twice(a));
CREATE VIEW tv AS SELECT twice(a) AS a2, (dup(a)).f2 FROM t;

-- case: a renamed argument and a removed default cannot be replaced in place
-- from:
CREATE FUNCTION greet(who text DEFAULT 'world') RETURNS text LANGUAGE sql RETURN 'hello ' || who;
CREATE FUNCTION stamp() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE TABLE people (name text);
CREATE TRIGGER stamp BEFORE INSERT ON people FOR EACH ROW EXECUTE FUNCTION stamp();
-- to:
CREATE FUNCTION greet(whom text) RETURNS text LANGUAGE sql RETURN 'hello ' || whom;
CREATE FUNCTION stamp() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.name := upper(NEW.name); RETURN NEW; END $$;
CREATE TABLE people (name text);
CREATE TRIGGER stamp BEFORE INSERT ON people FOR EACH ROW EXECUTE FUNCTION stamp();

-- case: a SQL function reads a table created in the same migration
-- from:
-- to:
CREATE TABLE "Orders" (id serial PRIMARY KEY, amount bigint);
CREATE FUNCTION order_total() RETURNS bigint LANGUAGE sql AS 'SELECT sum(amount) FROM "Orders"';
CREATE VIEW totals AS SELECT order_total() AS total;

-- case: a function over a domain and a composite type, in another schema
-- from:
CREATE SCHEMA geo;
-- to:
CREATE SCHEMA geo;
CREATE DOMAIN geo.lat AS double precision CHECK (VALUE BETWEEN -90 AND 90);
CREATE TYPE geo.point2 AS (lat geo.lat, lon double precision);
CREATE FUNCTION geo.north(p geo.point2) RETURNS boolean LANGUAGE sql IMMUTABLE RETURN (p).lat > 0;
CREATE TABLE geo.places (name text, at geo.point2, CHECK (geo.north(at)));

-- case: functions and procedures dropped with what uses them
-- from:
CREATE FUNCTION f(i integer) RETURNS integer LANGUAGE sql RETURN i;
CREATE TABLE t (x integer CHECK (f(x) > 0));
CREATE PROCEDURE p() LANGUAGE sql AS 'SELECT 1';
-- to:
CREATE TABLE t (x integer);
