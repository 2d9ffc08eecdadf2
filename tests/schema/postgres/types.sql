-- Domains, composite types, enum types and collations, after the
-- examples of CREATE DOMAIN, CREATE TYPE, ALTER TYPE and CREATE COLLATION
-- in PostgreSQL's documentation.

-- case: the documentation's domain, used by a table
-- from:
-- to:
CREATE DOMAIN us_postal_code AS TEXT
CHECK(
   VALUE ~ '^\d{5}$'
OR VALUE ~ '^\d{5}-\d{4}$'
);
CREATE TABLE us_snail_addy (
  address_id SERIAL PRIMARY KEY,
  street1 TEXT NOT NULL,
  city TEXT NOT NULL,
  postal us_postal_code NOT NULL
);
COMMENT ON DOMAIN us_postal_code IS 'five digits, or nine';

-- case: a domain's default, NOT NULL and checks altered, one validated
-- from:
CREATE SCHEMA "Inv";
CREATE DOMAIN "Inv"."Qty" AS integer DEFAULT 1;
ALTER DOMAIN "Inv"."Qty" ADD CONSTRAINT positive CHECK (VALUE > 0) NOT VALID;
CREATE DOMAIN "Inv".code AS varchar(8) COLLATE "C" CONSTRAINT "not empty" CHECK (VALUE <> '');
CREATE TABLE "Inv".stock (qty "Inv"."Qty", code "Inv".code);
-- to:
CREATE SCHEMA "Inv";
CREATE DOMAIN "Inv"."Qty" AS integer DEFAULT 10 NOT NULL CONSTRAINT positive CHECK (VALUE > 0)
    CONSTRAINT "below ""max""" CHECK (VALUE < 1000);
CREATE DOMAIN "Inv".code AS varchar(8) COLLATE "C";
CREATE TABLE "Inv".stock (qty "Inv"."Qty", code "Inv".code);

-- case: a domain over a domain, and a base type change of an unused one
-- from:
CREATE DOMAIN base_text AS text;
CREATE DOMAIN spare AS integer;
-- to:
CREATE DOMAIN base_text AS text;
CREATE DOMAIN derived_text AS base_text CHECK (length(VALUE) > 0);
CREATE DOMAIN spare AS bigint;

-- case: the documentation's composite types, altered in place and replaced
-- from:
CREATE TYPE complex AS (
    r       double precision,
    i       double precision
);
CREATE TYPE inventory_item AS (
    name            text,
    supplier_id     integer,
    price           numeric
);
CREATE TYPE compfoo AS (f1 int, f2 text);
-- to:
CREATE TYPE complex AS (
    r       double precision,
    i       double precision,
    "Mod"   double precision
);
CREATE TYPE inventory_item AS (
    name            text COLLATE "C",
    price           numeric(10,2)
);
CREATE TYPE compfoo AS (f2 text, f1 int);
COMMENT ON TYPE complex IS 'a + bi';

-- case: an enum label added, and one added and used at once
-- from:
CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
CREATE TYPE "Order Status" AS ENUM ('new', 'done');
CREATE TABLE orders (id int, status "Order Status" DEFAULT 'new', feeling mood);
-- to:
CREATE TYPE mood AS ENUM ('sad', 'meh', 'ok', 'happy', 'ecstatic');
CREATE TYPE "Order Status" AS ENUM ('new', 'paid', 'done');
CREATE TABLE orders (id int, status "Order Status" DEFAULT 'paid', feeling mood,
    CHECK (status <> 'paid' OR id > 0));

-- case: the documentation's ICU collations, one used by a column
-- from:
CREATE SCHEMA coll;
-- to:
CREATE SCHEMA coll;
CREATE COLLATION coll.german_phonebook (provider = icu, locale = 'de-u-co-phonebk');
CREATE COLLATION coll."case insensitive" (provider = icu, locale = 'und-u-ks-level2', deterministic = false);
CREATE COLLATION french FROM "C";
CREATE TABLE people (name text COLLATE coll.german_phonebook, nick text COLLATE coll."case insensitive");
COMMENT ON COLLATION coll.german_phonebook IS 'phone book order';

-- case: an enum loses a label while one column of it goes, one takes another type and one stays
-- from:
CREATE TYPE mood AS ENUM ('a', 'b', 'c');
CREATE TABLE t (id int PRIMARY KEY, gone mood, retyped mood DEFAULT 'a', kept mood DEFAULT 'b');
-- to:
CREATE TYPE mood AS ENUM ('a', 'b');
CREATE TABLE t (id int PRIMARY KEY, retyped text DEFAULT 'a', kept mood DEFAULT 'b');
