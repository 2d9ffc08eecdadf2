/*
 * facts.c - what the rules ask a PostgreSQL catalog (see rules_int.h):
 * a table's estimated rows, a column's current type, whether a validated
 * CHECK or a NOT NULL already proves a column is never null, and whether
 * a function is volatile.
 *
 * Every answer is cached for the checker's life: the same table comes up
 * in many statements, and the database is not changing under a lint.
 * Names are resolved as the revision would resolve them: through the
 * connection's search_path unless the statement named a schema.  A query
 * that fails is remembered (r->db_error, reported after the revision) and answered "unknown", so one
 * catalog hiccup does not hide every other finding.  Only catalog reads
 * are sent; nothing here writes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/common.h"
#include "dialect/db.h"
#include "rules/rules_int.h"

static bool usable(const retort_rules *r)
{
	return r->db && r->db->dialect->id == RETORT_DIALECT_POSTGRES;
}

/* "schema"."table" (or "table"), as to_regclass reads it. */
static char *regclass(const retort_rules *r, const char *schema, const char *table)
{
	retort_buf b = RETORT_BUF_INIT;

	if (schema) {
		retort_db_quote_ident(r->db, &b, schema);
		retort_buf_putc(&b, '.');
	}
	retort_db_quote_ident(r->db, &b, table);
	return retort_buf_detach(&b);
}

/*
 * The rows of `sql` (cached under `key`): NULL when the query failed.
 * The cache holds the rows; the caller borrows them.
 */
static const retort_rows *ask(retort_rules *r, const char *key, const char *sql,
	size_t nparams, const char *const *params)
{
	retort_rows *rows;

	if (retort_map_has(&r->facts, key))
		return retort_map_get(&r->facts, key);
	if (retort_db_query(&rows, r->db, sql, nparams, params) < 0) {
		if (!r->db_error)
			r->db_error = retort__strdup(retort_error_last()->message);
		rows = NULL;
	}
	retort_map_set(&r->facts, key, rows);
	return rows;
}

double retort__facts_rows(retort_rules *r, const char *schema, const char *table)
{
	const retort_rows *rows;
	const char *cell;
	char *name, *key;
	double n = -1;

	if (!usable(r) || !table)
		return -1;
	name = regclass(r, schema, table);
	key = retort__sprintf("rows %s", name);
	/* reltuples is -1 for a table never vacuumed or analyzed: unknown, not empty. */
	rows = ask(r, key, "SELECT c.reltuples::float8 FROM pg_catalog.pg_class c "
		"WHERE c.oid = pg_catalog.to_regclass($1)", 1, (const char *const *)&name);
	if (rows && rows->nrows == 1 && (cell = retort_rows_get(rows, 0, 0)))
		n = strtod(cell, NULL);
	free(key);
	free(name);
	return n < 0 ? -1 : n;
}

void retort__facts_column_type(retort_rules *r, const char *schema, const char *table,
	const char *column, retort__rtype *type)
{
	const retort_rows *rows;
	const char *params[2];
	char *name, *key;

	memset(type, 0, sizeof(*type));
	type->mods[0] = type->mods[1] = -1;
	if (!usable(r) || !table || !column)
		return;
	name = regclass(r, schema, table);
	key = retort__sprintf("type %s %s", name, column);
	params[0] = name;
	params[1] = column;
	rows = ask(r, key, "SELECT t.typname, a.atttypmod, t.typelem <> 0 AND t.typlen = -1 "
		"FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_type t ON t.oid = a.atttypid "
		"WHERE a.attrelid = pg_catalog.to_regclass($1) AND a.attname = $2 AND NOT a.attisdropped",
		2, params);
	if (rows && rows->nrows == 1 && retort_rows_get(rows, 0, 0)) {
		const char *typname = retort_rows_get(rows, 0, 0);
		long mod = strtol(retort_rows_get(rows, 0, 1), NULL, 10);
		type->known = true;
		type->array = typname[0] == '_' && !strcmp(retort_rows_get(rows, 0, 2), "t");
		snprintf(type->name, sizeof(type->name), "%s", type->array ? typname + 1 : typname);
		/* atttypmod, decoded as format_type does: length + 4, or (precision << 16 | scale) + 4 */
		if (!strcmp(type->name, "varchar") || !strcmp(type->name, "bpchar")) {
			type->mods[0] = mod >= 4 ? (int)(mod - 4) : -1;
		} else if (!strcmp(type->name, "numeric") && mod >= 4) {
			type->mods[0] = (int)(((mod - 4) >> 16) & 0xffff);
			type->mods[1] = (int)((mod - 4) & 0xffff);
		} else if (mod >= 0) {
			type->mods[0] = (int)mod;
		}
	}
	free(key);
	free(name);
}

bool retort__facts_notnull_check(retort_rules *r, const char *schema, const char *table,
	const char *column)
{
	const retort_rows *rows;
	const char *params[2];
	char *name, *key, found[128];
	bool proven = false;

	if (!usable(r) || !table || !column)
		return false;
	name = regclass(r, schema, table);
	params[0] = name;
	params[1] = column;
	/* Already NOT NULL: SET NOT NULL is a no-op. */
	key = retort__sprintf("notnull %s %s", name, column);
	rows = ask(r, key, "SELECT 1 FROM pg_catalog.pg_attribute WHERE attrelid = pg_catalog.to_regclass($1) "
		"AND attname = $2 AND attnotnull AND NOT attisdropped", 2, params);
	proven = rows && rows->nrows > 0;
	free(key);
	key = retort__sprintf("checks %s", name);
	rows = proven ? NULL : ask(r, key, "SELECT pg_catalog.pg_get_constraintdef(oid) FROM pg_catalog.pg_constraint "
		"WHERE conrelid = pg_catalog.to_regclass($1) AND contype = 'c' AND convalidated", 1, params);
	for (size_t i = 0; rows && i < rows->nrows && !proven; i++) {
		const char *def = retort_rows_get(rows, i, 0);
		proven = def && retort__pg_check_is_not_null(def, found, sizeof(found)) && !strcmp(found, column);
	}
	free(key);
	free(name);
	return proven;
}

char retort__facts_volatility(retort_rules *r, const char *fn)
{
	const retort_rows *rows;
	const char *cell;
	char *key;
	char v = 0;

	if (!usable(r) || !fn)
		return 0;
	key = retort__sprintf("volatile %s", fn);
	/* 'i' < 's' < 'v': the most volatile of the overloads decides. */
	rows = ask(r, key, "SELECT max(provolatile::text) FROM pg_catalog.pg_proc WHERE proname = $1",
		1, (const char *const *)&fn);
	if (rows && rows->nrows == 1 && (cell = retort_rows_get(rows, 0, 0)))
		v = cell[0];
	free(key);
	return v;
}
