-- Triggers, after the examples of CREATE TRIGGER in PostgreSQL's
-- documentation: row and statement triggers, UPDATE OF, WHEN, transition
-- tables, INSTEAD OF on a view, constraint triggers, enabled states.

-- case: the documentation's triggers on accounts
-- from:
CREATE TABLE accounts (id int PRIMARY KEY, balance numeric, owner text);
CREATE FUNCTION check_account_update() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE FUNCTION log_account_update() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$;
-- to:
CREATE TABLE accounts (id int PRIMARY KEY, balance numeric, owner text);
CREATE FUNCTION check_account_update() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE FUNCTION log_account_update() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$;
CREATE TRIGGER check_update
    BEFORE UPDATE OF balance ON accounts
    FOR EACH ROW
    WHEN (OLD.balance IS DISTINCT FROM NEW.balance)
    EXECUTE FUNCTION check_account_update();
CREATE TRIGGER log_update
    AFTER UPDATE ON accounts
    FOR EACH ROW
    WHEN (OLD.* IS DISTINCT FROM NEW.*)
    EXECUTE FUNCTION log_account_update();
CREATE TRIGGER transfer_insert
    AFTER INSERT ON accounts
    REFERENCING NEW TABLE AS inserted
    FOR EACH STATEMENT
    EXECUTE FUNCTION log_account_update();
COMMENT ON TRIGGER log_update ON accounts IS 'audit';

-- case: a changed trigger is dropped and created; enabled states
-- from:
CREATE TABLE "Order Lines" (qty int, "Price" numeric);
CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE TRIGGER "Touch!" BEFORE INSERT ON "Order Lines" FOR EACH ROW EXECUTE FUNCTION touch();
CREATE TRIGGER quiet AFTER DELETE ON "Order Lines" FOR EACH STATEMENT EXECUTE FUNCTION touch();
CREATE TRIGGER replica AFTER DELETE ON "Order Lines" FOR EACH STATEMENT EXECUTE FUNCTION touch();
-- to:
CREATE TABLE "Order Lines" (qty int, "Price" numeric);
CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE TRIGGER "Touch!" BEFORE INSERT OR UPDATE OF qty, "Price" ON "Order Lines" FOR EACH ROW EXECUTE FUNCTION touch();
CREATE TRIGGER quiet AFTER DELETE ON "Order Lines" FOR EACH STATEMENT EXECUTE FUNCTION touch();
ALTER TABLE "Order Lines" DISABLE TRIGGER quiet;
CREATE TRIGGER replica AFTER DELETE ON "Order Lines" FOR EACH STATEMENT EXECUTE FUNCTION touch();
ALTER TABLE "Order Lines" ENABLE REPLICA TRIGGER replica;

-- case: INSTEAD OF on a view, and a constraint trigger
-- from:
CREATE SCHEMA app;
CREATE TABLE app.items (id int PRIMARY KEY, name text);
CREATE FUNCTION app.view_insert_row() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN INSERT INTO app.items VALUES (NEW.id, NEW.name); RETURN NEW; END $$;
-- to:
CREATE SCHEMA app;
CREATE TABLE app.items (id int PRIMARY KEY, name text);
CREATE FUNCTION app.view_insert_row() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN INSERT INTO app.items VALUES (NEW.id, NEW.name); RETURN NEW; END $$;
CREATE VIEW app.my_view AS SELECT id, name FROM app.items;
CREATE TRIGGER view_insert
    INSTEAD OF INSERT ON app.my_view
    FOR EACH ROW
    EXECUTE FUNCTION app.view_insert_row();
CREATE CONSTRAINT TRIGGER items_check
    AFTER INSERT OR UPDATE ON app.items
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION app.view_insert_row();

-- case: a retyped column under a trigger's WHEN and a view with an INSTEAD OF trigger
-- from:
CREATE TABLE m (id int, v int);
CREATE FUNCTION noop() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE TRIGGER on_v BEFORE UPDATE OF v ON m FOR EACH ROW WHEN (OLD.v <> NEW.v) EXECUTE FUNCTION noop();
CREATE VIEW mv AS SELECT id, v FROM m;
CREATE TRIGGER mv_ins INSTEAD OF INSERT ON mv FOR EACH ROW EXECUTE FUNCTION noop();
-- to:
CREATE TABLE m (id int, v bigint);
CREATE FUNCTION noop() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE TRIGGER on_v BEFORE UPDATE OF v ON m FOR EACH ROW WHEN (OLD.v <> NEW.v) EXECUTE FUNCTION noop();
CREATE VIEW mv AS SELECT id, v FROM m;
CREATE TRIGGER mv_ins INSTEAD OF INSERT ON mv FOR EACH ROW EXECUTE FUNCTION noop();

-- case: triggers on a partitioned table
-- from:
CREATE TABLE log (at date NOT NULL, msg text) PARTITION BY RANGE (at);
CREATE TABLE log_2024 PARTITION OF log FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE FUNCTION noop() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
-- to:
CREATE TABLE log (at date NOT NULL, msg text) PARTITION BY RANGE (at);
CREATE TABLE log_2024 PARTITION OF log FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE FUNCTION noop() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE TRIGGER log_row AFTER INSERT ON log FOR EACH ROW EXECUTE FUNCTION noop();
