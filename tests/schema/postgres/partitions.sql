-- Partitioned tables and inheritance, after "Table Partitioning" and
-- "Inheritance" in PostgreSQL's documentation.

-- case: the documentation's measurement table, partitioned by range
-- from:
-- to:
CREATE TABLE measurement (
    city_id         int not null,
    logdate         date not null,
    peaktemp        int,
    unitsales       int
) PARTITION BY RANGE (logdate);
CREATE TABLE measurement_y2006m02 PARTITION OF measurement
    FOR VALUES FROM ('2006-02-01') TO ('2006-03-01');
CREATE TABLE measurement_y2006m03 PARTITION OF measurement
    FOR VALUES FROM ('2006-03-01') TO ('2006-04-01');
CREATE TABLE "measurement default" PARTITION OF measurement DEFAULT;
CREATE INDEX ON measurement (logdate);
ALTER TABLE measurement ADD PRIMARY KEY (city_id, logdate);

-- case: list and hash partitions, one attached and one detached, a bound moved
-- from:
CREATE TABLE orders (id int NOT NULL, region text NOT NULL) PARTITION BY LIST (region);
CREATE TABLE orders_eu PARTITION OF orders FOR VALUES IN ('de', 'fr');
CREATE TABLE orders_us PARTITION OF orders FOR VALUES IN ('us');
CREATE TABLE orders_asia (id int NOT NULL, region text NOT NULL);
CREATE TABLE hashed (k int) PARTITION BY HASH (k);
CREATE TABLE hashed_0 PARTITION OF hashed FOR VALUES WITH (MODULUS 2, REMAINDER 0);
CREATE TABLE hashed_1 PARTITION OF hashed FOR VALUES WITH (MODULUS 2, REMAINDER 1);
-- to:
CREATE TABLE orders (id int NOT NULL, region text NOT NULL) PARTITION BY LIST (region);
CREATE TABLE orders_eu PARTITION OF orders FOR VALUES IN ('de', 'fr', 'it');
CREATE TABLE orders_us (id int NOT NULL, region text NOT NULL);
CREATE TABLE orders_asia PARTITION OF orders FOR VALUES IN ('jp');
CREATE TABLE hashed (k int) PARTITION BY HASH (k);
CREATE TABLE hashed_0 PARTITION OF hashed FOR VALUES WITH (MODULUS 2, REMAINDER 0);
CREATE TABLE hashed_1 PARTITION OF hashed FOR VALUES WITH (MODULUS 2, REMAINDER 1);

-- case: the documentation's cities and capitals, inheritance added and removed
-- from:
CREATE TABLE cities (name text, population float, elevation int);
CREATE TABLE capitals (name text, population float, elevation int, state char(2));
CREATE TABLE towns (name text, population float, elevation int) INHERITS (cities);
-- to:
CREATE TABLE cities (name text, population float, elevation int);
CREATE TABLE capitals (name text, population float, elevation int, state char(2)) INHERITS (cities);
CREATE TABLE towns (name text, population float, elevation int);
