/*
 * reflect_pg_types.c - PostgreSQL domains, composite types and collations:
 * three bulk queries.  (Enum types are read with the relations in
 * reflect_pg.c.)
 *
 * A domain is its base type, collation, NOT NULL, default and named
 * CHECK constraints, each as the server prints it; a composite type its
 * attributes in order.  A collation is kept as the option list CREATE
 * COLLATION takes, built the way pg_dump spells it.  The row types that
 * every table, view and sequence has are not composite types here.
 */
#include <stdlib.h>
#include <string.h>

#include "base/common.h"
#include "schema/reflect_pg.h"

static const char q_domains[] =
	"SELECT n.nspname, t.typname, pg_catalog.format_type(t.typbasetype, t.typtypmod), t.typnotnull,"
	" pg_catalog.pg_get_expr(t.typdefaultbin, 0),"
	" CASE WHEN t.typcollation <> bt.typcollation THEN co.collname END,"
	" CASE WHEN t.typcollation <> bt.typcollation AND co.collnamespace <> 'pg_catalog'::regnamespace"
	"  THEN (SELECT cn.nspname FROM pg_catalog.pg_namespace cn WHERE cn.oid = co.collnamespace) END,"
	" (SELECT string_agg(c.conname || E'\\x1f' || pg_catalog.pg_get_constraintdef(c.oid), E'\\x1f'"
	"  ORDER BY c.conname) FROM pg_catalog.pg_constraint c WHERE c.contypid = t.oid AND c.contype = 'c'),"
	" d.description"
	" FROM pg_catalog.pg_type t"
	" JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace"
	" JOIN pg_catalog.pg_type bt ON bt.oid = t.typbasetype"
	" LEFT JOIN pg_catalog.pg_collation co ON co.oid = t.typcollation"
	COMMENT_JOIN("d", "t.oid", "pg_catalog.pg_type")
	" WHERE t.typtype = 'd' AND " NS_FILTER NOT_EXT("t.oid", "pg_catalog.pg_type")
	" ORDER BY 1, 2";

static const char q_composites[] =
	"SELECT n.nspname, t.typname, a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod),"
	" CASE WHEN a.attcollation <> at.typcollation THEN co.collname END, d.description,"
	" CASE WHEN a.attcollation <> at.typcollation AND co.collnamespace <> 'pg_catalog'::regnamespace"
	"  THEN (SELECT cn.nspname FROM pg_catalog.pg_namespace cn WHERE cn.oid = co.collnamespace) END"
	" FROM pg_catalog.pg_type t"
	" JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace"
	" JOIN pg_catalog.pg_class c ON c.oid = t.typrelid AND c.relkind = 'c'"
	" LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped"
	" LEFT JOIN pg_catalog.pg_type at ON at.oid = a.atttypid"
	" LEFT JOIN pg_catalog.pg_collation co ON co.oid = a.attcollation"
	COMMENT_JOIN("d", "t.oid", "pg_catalog.pg_type")
	" WHERE t.typtype = 'c' AND " NS_FILTER NOT_EXT("t.oid", "pg_catalog.pg_type")
	" ORDER BY 1, 2, a.attnum";

/* The ICU locale column changed its name across versions: read it through jsonb. */
static const char q_collations[] =
	"SELECT n.nspname, c.collname,"
	" CASE c.collprovider WHEN 'i' THEN 'provider = icu' WHEN 'c' THEN 'provider = libc'"
	"  ELSE 'provider = default' END"
	" || CASE WHEN NOT c.collisdeterministic THEN ', deterministic = false' ELSE '' END"
	" || CASE WHEN c.collprovider = 'i' THEN ', locale = ' || pg_catalog.quote_literal("
	"   coalesce(to_jsonb(c) ->> 'colllocale', to_jsonb(c) ->> 'colliculocale', c.collcollate))"
	"  WHEN c.collcollate = c.collctype THEN ', locale = ' || pg_catalog.quote_literal(c.collcollate)"
	"  ELSE ', lc_collate = ' || pg_catalog.quote_literal(c.collcollate)"
	"   || ', lc_ctype = ' || pg_catalog.quote_literal(c.collctype) END,"
	" d.description"
	" FROM pg_catalog.pg_collation c"
	" JOIN pg_catalog.pg_namespace n ON n.oid = c.collnamespace"
	COMMENT_JOIN("d", "c.oid", "pg_catalog.pg_collation")
	" WHERE " NS_FILTER NOT_EXT("c.oid", "pg_catalog.pg_collation")
	" ORDER BY 1, 2";

static void load_domains(retort_model *m, const retort_rows *r, const retort_reflect_opts *opts)
{
	for (size_t i = 0; i < r->nrows; i++) {
		retort_pg_domain *d;
		retort_vec parts = RETORT_VEC_INIT;

		if (!retort__reflect_schema_wanted(opts, CELL(r, i, 0)))
			continue;
		d = retort_model_add_domain(m, CELL(r, i, 0), CELL(r, i, 1));
		d->type = retort__strdup(CELL(r, i, 2));
		d->notnull = retort__pg_truth(CELL(r, i, 3));
		d->default_expr = retort__strdup(CELL(r, i, 4));
		d->collation = retort__strdup(CELL(r, i, 5));
		d->collation_schema = retort__strdup(CELL(r, i, 6));
		d->comment = retort__strdup(CELL(r, i, 8));
		retort__split_names(&parts, CELL(r, i, 7));
		for (size_t j = 0; j + 1 < parts.len; j += 2)
			retort_pg_domain_add_check(d, parts.items[j], parts.items[j + 1]);
		retort_vec_dispose(&parts, true);
	}
}

static void load_composites(retort_model *m, const retort_rows *r, const retort_reflect_opts *opts)
{
	retort_pg_composite *c = NULL;

	for (size_t i = 0; i < r->nrows; i++) {
		if (!retort__reflect_schema_wanted(opts, CELL(r, i, 0)))
			continue;
		if (!c || strcmp(c->schema, CELL(r, i, 0)) != 0 || strcmp(c->name, CELL(r, i, 1)) != 0) {
			c = retort_model_add_composite(m, CELL(r, i, 0), CELL(r, i, 1));
			c->comment = retort__strdup(CELL(r, i, 5));
		}
		if (CELL(r, i, 2)) {
			retort_pg_composite_add_attr(c, CELL(r, i, 2), CELL(r, i, 3), CELL(r, i, 4));
			((retort_pg_attr *)c->attrs.items[c->attrs.len - 1])->collation_schema = retort__strdup(CELL(r, i, 6));
		}
	}
}

static void load_collations(retort_model *m, const retort_rows *r, const retort_reflect_opts *opts)
{
	for (size_t i = 0; i < r->nrows; i++) {
		retort_pg_collation *c;

		if (!retort__reflect_schema_wanted(opts, CELL(r, i, 0)))
			continue;
		c = retort_model_add_collation(m, CELL(r, i, 0), CELL(r, i, 1));
		c->options = retort__strdup(CELL(r, i, 2));
		c->comment = retort__strdup(CELL(r, i, 3));
	}
}

int retort__reflect_pg_types(retort_model *m, retort_db *db, const retort_reflect_opts *opts)
{
	retort_rows *r = NULL;
	int error = 0;

	if (retort__reflect_kind_wanted(opts, "domains")) {
		if ((error = retort__reflect_query(&r, m, db, q_domains)) < 0)
			goto done;
		load_domains(m, r, opts);
		retort_rows_free(r);
		r = NULL;
	}
	if (retort__reflect_kind_wanted(opts, "types")) {
		if ((error = retort__reflect_query(&r, m, db, q_composites)) < 0)
			goto done;
		load_composites(m, r, opts);
		retort_rows_free(r);
		r = NULL;
	}
	if (retort__reflect_kind_wanted(opts, "collations")) {
		if ((error = retort__reflect_query(&r, m, db, q_collations)) < 0)
			goto done;
		load_collations(m, r, opts);
	}
done:
	retort_rows_free(r);
	return error;
}
