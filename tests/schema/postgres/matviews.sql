-- Materialized views, after CREATE MATERIALIZED VIEW in PostgreSQL's
-- documentation: WITH [NO] DATA, indexes, definitions that change, and a
-- column retyped under them.

-- case: created with and without data, with indexes and comments
-- from:
CREATE TABLE invoice (invoice_no integer PRIMARY KEY, seller_no integer, invoice_date date, invoice_amt numeric(13,2));
-- to:
CREATE TABLE invoice (invoice_no integer PRIMARY KEY, seller_no integer, invoice_date date, invoice_amt numeric(13,2));
CREATE MATERIALIZED VIEW sales_summary AS
  SELECT
      seller_no,
      invoice_date,
      sum(invoice_amt)::numeric(13,2) as sales_amt
    FROM invoice
    WHERE invoice_date < CURRENT_DATE
    GROUP BY
      seller_no,
      invoice_date;
CREATE UNIQUE INDEX sales_summary_seller
  ON sales_summary (seller_no, invoice_date);
CREATE MATERIALIZED VIEW "Empty Yet" AS SELECT invoice_no FROM invoice WITH NO DATA;
COMMENT ON MATERIALIZED VIEW sales_summary IS 'per seller and day';
COMMENT ON INDEX sales_summary_seller IS 'one row per seller and day';

-- case: a changed definition recreates it with its indexes; an index alone changes
-- from:
CREATE TABLE t (a int, b int);
CREATE MATERIALIZED VIEW m1 AS SELECT a FROM t;
CREATE INDEX m1_a ON m1 (a);
CREATE MATERIALIZED VIEW m2 AS SELECT a, b FROM t;
CREATE INDEX m2_a ON m2 (a);
CREATE VIEW over_m1 AS SELECT a FROM m1;
-- to:
CREATE TABLE t (a int, b int);
CREATE MATERIALIZED VIEW m1 AS SELECT a, a + 1 AS next FROM t;
CREATE INDEX m1_a ON m1 (a);
CREATE VIEW over_m1 AS SELECT a FROM m1;
CREATE MATERIALIZED VIEW m2 AS SELECT a, b FROM t;
CREATE INDEX m2_b ON m2 (b);

-- case: a column retyped under a materialized view and a view over it
-- from:
CREATE SCHEMA rep;
CREATE TABLE rep.events (id int, kind text);
CREATE MATERIALIZED VIEW rep.kinds AS SELECT kind, count(*) AS n FROM rep.events GROUP BY kind;
CREATE VIEW rep.top AS SELECT kind FROM rep.kinds WHERE n > 10;
-- to:
CREATE SCHEMA rep;
CREATE TABLE rep.events (id int, kind varchar(20));
CREATE MATERIALIZED VIEW rep.kinds AS SELECT kind, count(*) AS n FROM rep.events GROUP BY kind;
CREATE VIEW rep.top AS SELECT kind FROM rep.kinds WHERE n > 10;
