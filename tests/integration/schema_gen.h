/*
 * schema_gen.h - seeded random schema pairs for the round-trip property
 * test (test_schema_roundtrip.c).
 *
 * A pair is a random schema A and a mutation B of it, both valid in the
 * chosen dialect: tables with typed columns, defaults, NOT NULL,
 * collations, identity/AUTOINCREMENT and generated columns, primary,
 * unique, check and foreign keys (cycles included; on SQLite with and
 * without CONSTRAINT names), on SQLite STRICT and WITHOUT ROWID tables, a
 * view over a view and an INSTEAD OF trigger, plain, unique, partial
 * and expression indexes, views, and on PostgreSQL an extra schema, enum
 * types, sequences and comments.  The same seed always gives the same pair.
 */
#ifndef RETORT_TEST_SCHEMA_GEN_H
#define RETORT_TEST_SCHEMA_GEN_H

#include <stdint.h>

#include "schema/schema.h"

/*
 * Build the pair for `seed`; both models are sorted (free with
 * retort_model_free).  Columns B renames are appended to `renames` as
 * "TABLE.OLD=NEW" (malloc'd strings), for the diff's rename option.
 */
void schema_gen_pair(retort_model **a, retort_model **b, retort_vec *renames, retort_dialect_id dialect,
	uint64_t seed);

/*
 * The PostgreSQL catalog objects beyond the tables (schema_gen_pg.c),
 * added to A and B (and both sorted again) from the pair's seed.  They
 * name these roles, which must exist on the server (the test harness's
 * pgserver.sh creates them).
 */
#define SCHEMA_GEN_ROLE_READER "retort_reader"
#define SCHEMA_GEN_ROLE_ODD "Retort \"Odd\" Role"
void schema_gen_pg_pair(retort_model *a, retort_model *b, uint64_t seed);

/* The SQL that creates `m` in an empty database (caller frees). */
char *schema_gen_create_sql(const retort_model *m);

/*
 * INSERT statements that put three rows in every table of `m` that can
 * take them (values valid for its columns and constraints; NULL keys).
 */
char *schema_gen_rows_sql(const retort_model *m);

/*
 * UPDATEs that point each row of A's foreign keys on "r" at the row of the
 * same id (rows from schema_gen_rows_sql: ids 1..3 everywhere), so that
 * rebuilds and drops meet real references; left out where B points that
 * key at a table A does not have (its rows could not follow).
 */
char *schema_gen_references_sql(const retort_model *a, const retort_model *b);

/*
 * A `pg_dump --schema-only` or `sqlite3 .schema` text in a canonical form:
 * settings and comments dropped, identifiers that need no quotes unquoted,
 * whitespace squeezed, a CREATE TABLE's items sorted (column order does not
 * count), statements sorted.  Two databases with the same schema give the
 * same text.  Caller frees.
 */
char *schema_gen_normalize_dump(const char *dump);

#endif
