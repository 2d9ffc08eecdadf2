-- Row-level security, after the examples of CREATE POLICY and "Row
-- Security Policies" in PostgreSQL's documentation.

-- case: the documentation's accounts and passwd policies
-- from:
CREATE TABLE accounts (manager text, company text, contact_email text);
CREATE TABLE passwd (user_name text UNIQUE NOT NULL, pwhash text, uid int PRIMARY KEY, shell text NOT NULL);
-- to:
CREATE TABLE accounts (manager text, company text, contact_email text);
ALTER TABLE accounts ENABLE ROW LEVEL SECURITY;
CREATE POLICY account_managers ON accounts TO retort_reader
    USING (manager = current_user);
CREATE TABLE passwd (user_name text UNIQUE NOT NULL, pwhash text, uid int PRIMARY KEY, shell text NOT NULL);
ALTER TABLE passwd ENABLE ROW LEVEL SECURITY;
ALTER TABLE passwd FORCE ROW LEVEL SECURITY;
CREATE POLICY all_view ON passwd FOR SELECT USING (true);
CREATE POLICY user_mod ON passwd FOR UPDATE
  USING (current_user = user_name)
  WITH CHECK (
    current_user = user_name AND
    shell IN ('/bin/bash','/bin/sh','/bin/dash','/bin/zsh','/bin/tcsh')
  );
CREATE POLICY admin_local_only ON passwd AS RESTRICTIVE TO "Retort ""Odd"" Role"
    USING (pg_catalog.inet_client_addr() IS NULL);
COMMENT ON POLICY user_mod ON passwd IS 'own row only';

-- case: roles and expressions altered, a policy renamed, one turned restrictive
-- from:
CREATE SCHEMA "Sales";
CREATE TABLE "Sales"."Deals" (owner text, amount numeric);
ALTER TABLE "Sales"."Deals" ENABLE ROW LEVEL SECURITY;
CREATE POLICY read_own ON "Sales"."Deals" FOR SELECT TO retort_reader USING (owner = current_user);
CREATE POLICY "Old Name" ON "Sales"."Deals" FOR INSERT WITH CHECK (amount > 0);
CREATE POLICY cap ON "Sales"."Deals" USING (amount < 1000);
-- to:
CREATE SCHEMA "Sales";
CREATE TABLE "Sales"."Deals" (owner text, amount numeric);
ALTER TABLE "Sales"."Deals" ENABLE ROW LEVEL SECURITY;
CREATE POLICY read_own ON "Sales"."Deals" FOR SELECT TO retort_reader, "Retort ""Odd"" Role"
    USING (owner = current_user OR owner IS NULL);
CREATE POLICY "New ""Name""" ON "Sales"."Deals" FOR INSERT WITH CHECK (amount > 0);
CREATE POLICY cap ON "Sales"."Deals" AS RESTRICTIVE USING (amount < 1000);

-- case: a policy over a column whose type changes, and over a function replaced
-- from:
CREATE FUNCTION allowed(n int) RETURNS boolean LANGUAGE sql STABLE RETURN n > 0;
CREATE TABLE docs (id int, level int);
ALTER TABLE docs ENABLE ROW LEVEL SECURITY;
CREATE POLICY by_level ON docs USING (level < 5 AND allowed(id));
-- to:
CREATE FUNCTION allowed(n int) RETURNS integer LANGUAGE sql STABLE RETURN 1;
CREATE TABLE docs (id int, level bigint);
ALTER TABLE docs ENABLE ROW LEVEL SECURITY;
CREATE POLICY by_level ON docs USING (level < 5 AND allowed(id) = 1);

-- case: row-level security switched off, policies dropped
-- from:
CREATE TABLE t (a int);
ALTER TABLE t ENABLE ROW LEVEL SECURITY;
ALTER TABLE t FORCE ROW LEVEL SECURITY;
CREATE POLICY p ON t USING (a > 0);
-- to:
CREATE TABLE t (a int);
