/*
 * reflect_pg.c - read a PostgreSQL database's schema from pg_catalog.
 *
 * Eight bulk queries, whatever the number of tables: schemas, extensions,
 * columns (with their tables), constraints, indexes, views, sequences, enum types.  The
 * server formats every expression itself (format_type, pg_get_expr,
 * pg_get_constraintdef, pg_get_indexdef, pg_get_viewdef), so two databases
 * that hold the same schema reflect to the same text.  System schemas
 * (pg_catalog, information_schema, pg_toast and the other pg_*) are never
 * read; include_schemas / exclude_tables are applied to the results.
 * Names that a query aggregates are joined with the unit separator 0x1f.
 */
#include <stdlib.h>
#include <string.h>

#include "base/common.h"
#include "schema/reflect.h"

#define NS_FILTER "n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_'"
/* Objects an extension created come and go with the extension. */
#define NOT_EXT(oid, catalog) \
	" AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend x WHERE x.classid = '" catalog "'::regclass" \
	" AND x.objid = " oid " AND x.deptype = 'e')"

static const char q_schemas[] =
	"SELECT n.nspname FROM pg_catalog.pg_namespace n WHERE " NS_FILTER " ORDER BY 1";

static const char q_extensions[] =
	"SELECT e.extname FROM pg_catalog.pg_extension e WHERE e.extname <> 'plpgsql' ORDER BY 1";

static const char q_columns[] =
	"SELECT n.nspname, c.relname, td.description,"
	" a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod), a.attnotnull,"
	" pg_catalog.pg_get_expr(d.adbin, d.adrelid), a.attidentity, a.attgenerated,"
	" CASE WHEN a.attcollation <> t.typcollation THEN co.collname END,"
	" cd.description, a.attnum"
	" FROM pg_catalog.pg_class c"
	" JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
	" LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped"
	" LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum"
	" LEFT JOIN pg_catalog.pg_type t ON t.oid = a.atttypid"
	" LEFT JOIN pg_catalog.pg_collation co ON co.oid = a.attcollation"
	/* Comments joined, not obj_description()/col_description(): one subquery per row was most of the time. */
	" LEFT JOIN pg_catalog.pg_description td ON td.objoid = c.oid"
	"  AND td.classoid = 'pg_catalog.pg_class'::regclass AND td.objsubid = 0"
	" LEFT JOIN pg_catalog.pg_description cd ON cd.objoid = c.oid"
	"  AND cd.classoid = 'pg_catalog.pg_class'::regclass AND cd.objsubid = a.attnum"
	" WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition AND " NS_FILTER
	NOT_EXT("c.oid", "pg_catalog.pg_class")
	" ORDER BY 1, 2, a.attnum";

#define ATTNAMES(keys, rel) \
	"(SELECT string_agg(a.attname, E'\\x1f' ORDER BY k.ord) FROM unnest(con." keys ") WITH ORDINALITY k(attnum, ord)" \
	" JOIN pg_catalog.pg_attribute a ON a.attrelid = con." rel " AND a.attnum = k.attnum)"

static const char q_constraints[] =
	"SELECT n.nspname, c.relname, con.conname, con.contype,"
	" CASE WHEN con.contype <> 'f' THEN pg_catalog.pg_get_constraintdef(con.oid) END,"
	" " ATTNAMES("conkey", "conrelid") ", fn.nspname, fc.relname, " ATTNAMES("confkey", "confrelid") ","
	" con.confupdtype, con.confdeltype, con.condeferrable, con.condeferred"
	" FROM pg_catalog.pg_constraint con"
	" JOIN pg_catalog.pg_class c ON c.oid = con.conrelid"
	" JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
	" LEFT JOIN pg_catalog.pg_class fc ON fc.oid = con.confrelid"
	" LEFT JOIN pg_catalog.pg_namespace fn ON fn.oid = fc.relnamespace"
	" WHERE con.contype IN ('p', 'u', 'c', 'f', 'x') AND c.relkind IN ('r', 'p') AND NOT c.relispartition"
	" AND " NS_FILTER " ORDER BY 1, 2, 3";

static const char q_indexes[] =
	"SELECT n.nspname, c.relname, ic.relname, pg_catalog.pg_get_indexdef(i.indexrelid), i.indisunique"
	" FROM pg_catalog.pg_index i"
	" JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid"
	" JOIN pg_catalog.pg_class c ON c.oid = i.indrelid"
	" JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
	" WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition AND " NS_FILTER
	" AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint con"
	"  WHERE con.conindid = i.indexrelid AND con.contype IN ('p', 'u', 'x'))"
	" ORDER BY 1, 2, 3";

static const char q_views[] =
	"SELECT n.nspname, c.relname, pg_catalog.pg_get_viewdef(c.oid, true),"
	" (SELECT string_agg(DISTINCT rn.nspname || '.' || rc.relname, E'\\x1f')"
	"  FROM pg_catalog.pg_rewrite r"
	"  JOIN pg_catalog.pg_depend dep ON dep.classid = 'pg_catalog.pg_rewrite'::regclass AND dep.objid = r.oid"
	"  JOIN pg_catalog.pg_class rc ON rc.oid = dep.refobjid"
	"  JOIN pg_catalog.pg_namespace rn ON rn.oid = rc.relnamespace"
	"  WHERE r.ev_class = c.oid AND dep.refobjid <> c.oid), vd.description"
	" FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
	" LEFT JOIN pg_catalog.pg_description vd ON vd.objoid = c.oid"
	"  AND vd.classoid = 'pg_catalog.pg_class'::regclass AND vd.objsubid = 0"
	" WHERE c.relkind = 'v' AND " NS_FILTER NOT_EXT("c.oid", "pg_catalog.pg_class") " ORDER BY 1, 2";

static const char q_sequences[] =
	"SELECT n.nspname, c.relname, pg_catalog.format_type(s.seqtypid, NULL), s.seqstart, s.seqincrement,"
	" s.seqmin, s.seqmax, s.seqcache, s.seqcycle,"
	" (SELECT dn.nspname || '.' || dc.relname || '.' || da.attname FROM pg_catalog.pg_depend d"
	"  JOIN pg_catalog.pg_class dc ON dc.oid = d.refobjid"
	"  JOIN pg_catalog.pg_namespace dn ON dn.oid = dc.relnamespace"
	"  JOIN pg_catalog.pg_attribute da ON da.attrelid = d.refobjid AND da.attnum = d.refobjsubid"
	"  WHERE d.classid = 'pg_catalog.pg_class'::regclass AND d.objid = c.oid"
	"  AND d.refclassid = 'pg_catalog.pg_class'::regclass AND d.deptype = 'a' LIMIT 1)"
	" FROM pg_catalog.pg_sequence s"
	" JOIN pg_catalog.pg_class c ON c.oid = s.seqrelid"
	" JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
	" WHERE " NS_FILTER NOT_EXT("c.oid", "pg_catalog.pg_class")
	" AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d WHERE d.classid = 'pg_catalog.pg_class'::regclass"
	"  AND d.objid = c.oid AND d.deptype = 'i')"
	" ORDER BY 1, 2";

static const char q_enums[] =
	"SELECT n.nspname, t.typname,"
	" (SELECT string_agg(e.enumlabel, E'\\x1f' ORDER BY e.enumsortorder) FROM pg_catalog.pg_enum e"
	"  WHERE e.enumtypid = t.oid), td.description"
	" FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace"
	" LEFT JOIN pg_catalog.pg_description td ON td.objoid = t.oid"
	"  AND td.classoid = 'pg_catalog.pg_type'::regclass AND td.objsubid = 0"
	" WHERE t.typtype = 'e' AND " NS_FILTER NOT_EXT("t.oid", "pg_catalog.pg_type") " ORDER BY 1, 2";

#define CELL(r, i, j) retort_rows_get((r), (i), (j))

static bool truth(const char *v)
{
	return v && v[0] == 't';
}

/* pg_get_viewdef ends with ';' and may start with a space. */
static char *view_body(const char *def)
{
	char *s = retort__strdup(def ? def : "");
	size_t n;

	retort__trim(s);
	n = strlen(s);
	while (n && (s[n - 1] == ';' || s[n - 1] == ' ' || s[n - 1] == '\n'))
		s[--n] = '\0';
	return s;
}

/* Tables by "schema.name", so loading stays linear in the number of rows. */
static retort_table *find_table(retort_map *byname, const char *schema, const char *name)
{
	char *q = retort__qualname(schema, name);
	retort_table *t = retort_map_get(byname, q);

	free(q);
	return t;
}

static void load_columns(retort_model *m, retort_map *byname, const retort_rows *r,
	const retort_reflect_opts *opts)
{
	for (size_t i = 0; i < r->nrows; i++) {
		const char *schema = CELL(r, i, 0), *name = CELL(r, i, 1);
		retort_table *t;
		retort_model_column *c;
		const char *ident, *gen;

		if (!retort__reflect_table_wanted(opts, schema, name))
			continue;
		if (!(t = find_table(byname, schema, name))) {
			char *q = retort__qualname(schema, name);
			t = retort_model_add_table(m, schema, name);
			retort_map_set(byname, q, t);
			free(q);
			t->comment = retort__strdup(CELL(r, i, 2));
		}
		if (!CELL(r, i, 3))
			continue; /* a table without columns */
		c = retort_table_add_column(t, CELL(r, i, 3), CELL(r, i, 4));
		c->position = atoi(CELL(r, i, 11));
		c->notnull = truth(CELL(r, i, 5));
		ident = CELL(r, i, 7);
		gen = CELL(r, i, 8);
		c->identity = ident && (ident[0] == 'a' || ident[0] == 'd') ? ident[0] : 0;
		if (gen && gen[0] == 's') {
			c->generated = retort__strdup(CELL(r, i, 6));
			c->gen_stored = true;
		} else {
			c->default_expr = retort__strdup(CELL(r, i, 6));
		}
		c->collation = retort__strdup(CELL(r, i, 9));
		c->comment = retort__strdup(CELL(r, i, 10));
	}
}

static void load_constraints(retort_map *byname, const retort_rows *r)
{
	for (size_t i = 0; i < r->nrows; i++) {
		retort_table *t = find_table(byname, CELL(r, i, 0), CELL(r, i, 1));
		const char *type = CELL(r, i, 3);
		retort_model_constraint *c;
		retort_con_kind kind;

		if (!t)
			continue;
		switch (type[0]) {
		case 'p': kind = RETORT_CON_PRIMARY; break;
		case 'u': kind = RETORT_CON_UNIQUE; break;
		case 'f': kind = RETORT_CON_FOREIGN; break;
		default: kind = RETORT_CON_CHECK; break; /* 'c', and 'x' exclusion, kept as its definition */
		}
		c = retort_table_add_constraint(t, kind, CELL(r, i, 2));
		retort__split_names(&c->columns, CELL(r, i, 5));
		if (kind == RETORT_CON_FOREIGN) {
			c->ref_schema = retort__strdup(CELL(r, i, 6));
			c->ref_table = retort__strdup(CELL(r, i, 7));
			retort__split_names(&c->ref_columns, CELL(r, i, 8));
			c->on_update = CELL(r, i, 9)[0];
			c->on_delete = CELL(r, i, 10)[0];
			c->deferrable = truth(CELL(r, i, 11));
			c->deferred = truth(CELL(r, i, 12));
		} else {
			c->pg_def = retort__strdup(CELL(r, i, 4));
		}
	}
}

static void load_indexes(retort_map *byname, const retort_rows *r)
{
	for (size_t i = 0; i < r->nrows; i++) {
		retort_table *t = find_table(byname, CELL(r, i, 0), CELL(r, i, 1));
		retort_index *x;

		if (!t)
			continue;
		x = retort_table_add_index(t, CELL(r, i, 2));
		x->definition = retort__strdup(CELL(r, i, 3));
		x->unique = truth(CELL(r, i, 4));
	}
}

int retort__reflect_pg(retort_model **out, retort_db *db, const retort_reflect_opts *opts)
{
	retort_model *m = retort_model_new(RETORT_DIALECT_POSTGRES);
	retort_rows *r = NULL;
	retort_map byname = RETORT_MAP_INIT;
	int error;

	if ((error = retort__reflect_query(&r, m, db, q_schemas)) < 0)
		goto done;
	for (size_t i = 0; i < r->nrows; i++)
		if (retort__reflect_schema_wanted(opts, CELL(r, i, 0)))
			retort__strvec_add(&m->schemas, CELL(r, i, 0));
	retort_rows_free(r);
	r = NULL;

	if ((error = retort__reflect_query(&r, m, db, q_extensions)) < 0)
		goto done;
	for (size_t i = 0; i < r->nrows; i++)
		retort__strvec_add(&m->extensions, CELL(r, i, 0));
	retort_rows_free(r);
	r = NULL;

	if ((error = retort__reflect_query(&r, m, db, q_columns)) < 0)
		goto done;
	load_columns(m, &byname, r, opts);
	retort_rows_free(r);
	r = NULL;

	if ((error = retort__reflect_query(&r, m, db, q_constraints)) < 0)
		goto done;
	load_constraints(&byname, r);
	retort_rows_free(r);
	r = NULL;

	if ((error = retort__reflect_query(&r, m, db, q_indexes)) < 0)
		goto done;
	load_indexes(&byname, r);
	retort_rows_free(r);
	r = NULL;

	if ((error = retort__reflect_query(&r, m, db, q_views)) < 0)
		goto done;
	for (size_t i = 0; i < r->nrows; i++) {
		retort_view *v;
		char *body;

		if (!retort__reflect_table_wanted(opts, CELL(r, i, 0), CELL(r, i, 1)))
			continue;
		body = view_body(CELL(r, i, 2));
		v = retort_model_add_view(m, CELL(r, i, 0), CELL(r, i, 1), body);
		v->comment = retort__strdup(CELL(r, i, 4));
		free(body);
		retort__split_names(&v->depends, CELL(r, i, 3));
	}
	retort_rows_free(r);
	r = NULL;

	if ((error = retort__reflect_query(&r, m, db, q_sequences)) < 0)
		goto done;
	for (size_t i = 0; i < r->nrows; i++) {
		retort_sequence *s;

		if (!retort__reflect_table_wanted(opts, CELL(r, i, 0), CELL(r, i, 1)))
			continue;
		s = retort_model_add_sequence(m, CELL(r, i, 0), CELL(r, i, 1));
		s->type = retort__strdup(CELL(r, i, 2));
		s->start = retort__strdup(CELL(r, i, 3));
		s->increment = retort__strdup(CELL(r, i, 4));
		s->min = retort__strdup(CELL(r, i, 5));
		s->max = retort__strdup(CELL(r, i, 6));
		s->cache = retort__strdup(CELL(r, i, 7));
		s->cycle = truth(CELL(r, i, 8));
		s->owned_by = retort__strdup(CELL(r, i, 9));
	}
	retort_rows_free(r);
	r = NULL;

	if ((error = retort__reflect_query(&r, m, db, q_enums)) < 0)
		goto done;
	for (size_t i = 0; i < r->nrows; i++) {
		retort_enum *e;

		if (!retort__reflect_schema_wanted(opts, CELL(r, i, 0)))
			continue;
		e = retort_model_add_enum(m, CELL(r, i, 0), CELL(r, i, 1));
		e->comment = retort__strdup(CELL(r, i, 3));
		retort__split_names(&e->labels, CELL(r, i, 2));
	}
done:
	retort_rows_free(r);
	retort_map_dispose(&byname, false);
	if (error < 0) {
		retort_model_free(m);
		return error;
	}
	*out = m;
	return 0;
}
