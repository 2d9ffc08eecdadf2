/*
 * reflect_pg.c - read a PostgreSQL database's schema from pg_catalog: the
 * entry point, and the relations (tables with their columns, constraints,
 * indexes, partitioning, inheritance and row-level-security switches;
 * views and materialized views; sequences), enum types, schemas and
 * extensions.
 *
 * A fixed number of bulk queries, whatever the number of objects: eight
 * here, and those of reflect_pg_routines.c (functions, triggers,
 * policies), reflect_pg_types.c (domains, composite types, collations)
 * and reflect_pg_deps.c (dependencies, privileges).  The server formats
 * every expression itself (format_type, pg_get_expr, pg_get_constraintdef,
 * pg_get_indexdef, pg_get_viewdef, pg_get_functiondef, pg_get_triggerdef),
 * so two databases that hold the same schema reflect to the same text.
 * System schemas (pg_catalog, information_schema, pg_toast and the other
 * pg_*) are never read, nor what an extension created (it comes with the
 * extension); include_schemas / exclude_tables / exclude_kinds are applied
 * to the results.  Names that a query aggregates are joined with the unit
 * separator 0x1f.
 */
#include <stdlib.h>
#include <string.h>

#include "base/common.h"
#include "schema/reflect_pg.h"

static const char q_schemas[] =
	"SELECT n.nspname, d.description FROM pg_catalog.pg_namespace n"
	" LEFT JOIN pg_catalog.pg_description d ON d.objoid = n.oid"
	"  AND d.classoid = 'pg_catalog.pg_namespace'::regclass AND d.objsubid = 0"
	" WHERE " NS_FILTER NOT_EXT("n.oid", "pg_catalog.pg_namespace") " ORDER BY 1";

static const char q_extensions[] =
	"SELECT e.extname, n.nspname, e.extversion,"
	/* The comment its control file gives comes with CREATE EXTENSION. */
	" NULLIF(d.description, (SELECT a.comment FROM pg_catalog.pg_available_extensions a WHERE a.name = e.extname))"
	" FROM pg_catalog.pg_extension e"
	" JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace"
	" LEFT JOIN pg_catalog.pg_description d ON d.objoid = e.oid"
	"  AND d.classoid = 'pg_catalog.pg_extension'::regclass AND d.objsubid = 0"
	" WHERE e.extname <> 'plpgsql' ORDER BY 1";

/*
 * One row per column (a table without columns of its own gives one row of
 * NULL column cells), with the table's own properties repeated.  Columns a
 * partition or an inheritance child only inherits are left out: they come
 * with PARTITION OF / INHERITS.
 */
static const char q_columns[] =
	"SELECT n.nspname, c.relname, td.description,"
	" a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod), a.attnotnull,"
	" pg_catalog.pg_get_expr(d.adbin, d.adrelid), a.attidentity, a.attgenerated,"
	" CASE WHEN a.attcollation <> t.typcollation THEN co.collname END,"
	" cd.description, a.attnum,"
	" CASE WHEN ids.seqrelid IS NOT NULL THEN 'START WITH ' || ids.seqstart || ' INCREMENT BY ' || ids.seqincrement"
	"  || ' MINVALUE ' || ids.seqmin || ' MAXVALUE ' || ids.seqmax || ' CACHE ' || ids.seqcache"
	"  || CASE WHEN ids.seqcycle THEN ' CYCLE' ELSE ' NO CYCLE' END END,"
	" c.relrowsecurity, c.relforcerowsecurity, c.relpersistence,"
	" CASE WHEN c.relkind = 'p' THEN pg_catalog.pg_get_partkeydef(c.oid) END,"
	" inh.parent_schema, inh.parent, pg_catalog.pg_get_expr(c.relpartbound, c.oid), inh.parents,"
	" CASE WHEN a.attcollation <> t.typcollation AND co.collnamespace <> 'pg_catalog'::regnamespace"
	"  THEN (SELECT cn.nspname FROM pg_catalog.pg_namespace cn WHERE cn.oid = co.collnamespace) END"
	" FROM pg_catalog.pg_class c"
	" JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
	" LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped"
	"  AND a.attislocal"
	" LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum"
	" LEFT JOIN pg_catalog.pg_type t ON t.oid = a.atttypid"
	" LEFT JOIN pg_catalog.pg_collation co ON co.oid = a.attcollation"
	/* Comments joined, not obj_description()/col_description(): one subquery per row was most of the time. */
	" LEFT JOIN pg_catalog.pg_description td ON td.objoid = c.oid"
	"  AND td.classoid = 'pg_catalog.pg_class'::regclass AND td.objsubid = 0"
	" LEFT JOIN pg_catalog.pg_description cd ON cd.objoid = c.oid"
	"  AND cd.classoid = 'pg_catalog.pg_class'::regclass AND cd.objsubid = a.attnum"
	" LEFT JOIN (SELECT dep.refobjid, dep.refobjsubid, s.* FROM pg_catalog.pg_depend dep"
	"  JOIN pg_catalog.pg_sequence s ON s.seqrelid = dep.objid"
	"  WHERE dep.classid = 'pg_catalog.pg_class'::regclass AND dep.refclassid = 'pg_catalog.pg_class'::regclass"
	"  AND dep.deptype = 'i') ids ON ids.refobjid = c.oid AND ids.refobjsubid = a.attnum"
	/* The partition's parent, or the inheritance parents in order. */
	" LEFT JOIN (SELECT i.inhrelid,"
	"  max(CASE WHEN ch.relispartition THEN pn.nspname END) AS parent_schema,"
	"  max(CASE WHEN ch.relispartition THEN p.relname END) AS parent,"
	"  string_agg(CASE WHEN NOT ch.relispartition THEN pn.nspname || E'\\x1f' || p.relname END, E'\\x1f'"
	"   ORDER BY i.inhseqno) AS parents"
	"  FROM pg_catalog.pg_inherits i JOIN pg_catalog.pg_class p ON p.oid = i.inhparent"
	"  JOIN pg_catalog.pg_class ch ON ch.oid = i.inhrelid"
	"  JOIN pg_catalog.pg_namespace pn ON pn.oid = p.relnamespace"
	"  WHERE ch.relkind IN ('r', 'p') GROUP BY i.inhrelid) inh ON inh.inhrelid = c.oid"
	" WHERE c.relkind IN ('r', 'p') AND " NS_FILTER
	NOT_EXT("c.oid", "pg_catalog.pg_class")
	" ORDER BY 1, 2, a.attnum";

#define ATTNAMES(keys, rel) \
	"(SELECT string_agg(a.attname, E'\\x1f' ORDER BY k.ord) FROM unnest(con." keys ") WITH ORDINALITY k(attnum, ord)" \
	" JOIN pg_catalog.pg_attribute a ON a.attrelid = con." rel " AND a.attnum = k.attnum)"

static const char q_constraints[] =
	"SELECT n.nspname, c.relname, con.conname, con.contype,"
	" CASE WHEN con.contype <> 'f' THEN pg_catalog.pg_get_constraintdef(con.oid) END,"
	" " ATTNAMES("conkey", "conrelid") ", fn.nspname, fc.relname, " ATTNAMES("confkey", "confrelid") ","
	" con.confupdtype, con.confdeltype, con.condeferrable, con.condeferred,"
	" NOT con.convalidated, con.confmatchtype = 'f', cd.description"
	" FROM pg_catalog.pg_constraint con"
	" JOIN pg_catalog.pg_class c ON c.oid = con.conrelid"
	" JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
	" LEFT JOIN pg_catalog.pg_class fc ON fc.oid = con.confrelid"
	" LEFT JOIN pg_catalog.pg_namespace fn ON fn.oid = fc.relnamespace"
	" LEFT JOIN pg_catalog.pg_description cd ON cd.objoid = con.oid"
	"  AND cd.classoid = 'pg_catalog.pg_constraint'::regclass AND cd.objsubid = 0"
	/* A constraint a partition or child only inherits comes with it. */
	" WHERE con.contype IN ('p', 'u', 'c', 'f', 'x') AND c.relkind IN ('r', 'p') AND con.conislocal"
	" AND con.conparentid = 0 AND " NS_FILTER " ORDER BY 1, 2, 3";

/* Indexes of tables and materialized views; a partition's copy of its parent's index comes with it. */
static const char q_indexes[] =
	"SELECT n.nspname, c.relname, ic.relname, pg_catalog.pg_get_indexdef(i.indexrelid), i.indisunique,"
	" c.relkind = 'm', xd.description"
	" FROM pg_catalog.pg_index i"
	" JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid"
	" JOIN pg_catalog.pg_class c ON c.oid = i.indrelid"
	" JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
	" LEFT JOIN pg_catalog.pg_description xd ON xd.objoid = ic.oid"
	"  AND xd.classoid = 'pg_catalog.pg_class'::regclass AND xd.objsubid = 0"
	" WHERE c.relkind IN ('r', 'p', 'm') AND NOT ic.relispartition AND " NS_FILTER
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
	"  WHERE r.ev_class = c.oid AND dep.refobjid <> c.oid), vd.description, c.relkind = 'm', c.relispopulated"
	" FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
	" LEFT JOIN pg_catalog.pg_description vd ON vd.objoid = c.oid"
	"  AND vd.classoid = 'pg_catalog.pg_class'::regclass AND vd.objsubid = 0"
	" WHERE c.relkind IN ('v', 'm') AND " NS_FILTER NOT_EXT("c.oid", "pg_catalog.pg_class") " ORDER BY 1, 2";

static const char q_sequences[] =
	"SELECT n.nspname, c.relname, pg_catalog.format_type(s.seqtypid, NULL), s.seqstart, s.seqincrement,"
	" s.seqmin, s.seqmax, s.seqcache, s.seqcycle,"
	" (SELECT dn.nspname || '.' || dc.relname || '.' || da.attname FROM pg_catalog.pg_depend d"
	"  JOIN pg_catalog.pg_class dc ON dc.oid = d.refobjid"
	"  JOIN pg_catalog.pg_namespace dn ON dn.oid = dc.relnamespace"
	"  JOIN pg_catalog.pg_attribute da ON da.attrelid = d.refobjid AND da.attnum = d.refobjsubid"
	"  WHERE d.classid = 'pg_catalog.pg_class'::regclass AND d.objid = c.oid"
	"  AND d.refclassid = 'pg_catalog.pg_class'::regclass AND d.deptype = 'a' LIMIT 1), sd.description"
	" FROM pg_catalog.pg_sequence s"
	" JOIN pg_catalog.pg_class c ON c.oid = s.seqrelid"
	" JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
	" LEFT JOIN pg_catalog.pg_description sd ON sd.objoid = c.oid"
	"  AND sd.classoid = 'pg_catalog.pg_class'::regclass AND sd.objsubid = 0"
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

/* The table a columns row belongs to, made (with its own properties) at its first row. */
static retort_table *row_table(retort_model *m, retort_map *byname, const retort_rows *r, size_t i)
{
	const char *schema = CELL(r, i, 0), *name = CELL(r, i, 1);
	retort_table *t = find_table(byname, schema, name);
	char *q;

	if (t)
		return t;
	q = retort__qualname(schema, name);
	t = retort_model_add_table(m, schema, name);
	retort_map_set(byname, q, t);
	free(q);
	t->comment = retort__strdup(CELL(r, i, 2));
	t->rls = retort__pg_truth(CELL(r, i, 13));
	t->rls_force = retort__pg_truth(CELL(r, i, 14));
	t->unlogged = CELL(r, i, 15) && CELL(r, i, 15)[0] == 'u';
	t->partition_key = retort__strdup(CELL(r, i, 16));
	t->parent_schema = retort__strdup(CELL(r, i, 17));
	t->parent = retort__strdup(CELL(r, i, 18));
	if (t->parent)
		t->partition_bound = retort__strdup(CELL(r, i, 19));
	retort__split_names(&t->inherits, CELL(r, i, 20));
	return t;
}

static void load_columns(retort_model *m, retort_map *byname, const retort_rows *r,
	const retort_reflect_opts *opts)
{
	for (size_t i = 0; i < r->nrows; i++) {
		retort_table *t;
		retort_model_column *c;
		const char *ident, *gen;

		if (!retort__reflect_table_wanted(opts, CELL(r, i, 0), CELL(r, i, 1)))
			continue;
		t = row_table(m, byname, r, i);
		if (!CELL(r, i, 3))
			continue; /* a table without columns of its own */
		c = retort_table_add_column(t, CELL(r, i, 3), CELL(r, i, 4));
		c->position = atoi(CELL(r, i, 11));
		c->notnull = retort__pg_truth(CELL(r, i, 5));
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
		c->collation_schema = retort__strdup(CELL(r, i, 21));
		c->comment = retort__strdup(CELL(r, i, 10));
		if (c->identity)
			c->identity_opts = retort__strdup(CELL(r, i, 12));
	}
}

/* pg_get_constraintdef ends a constraint not validated yet with " NOT VALID": kept as a flag. */
static char *strip_not_valid(const char *def, bool *not_valid)
{
	size_t n = def ? strlen(def) : 0;

	if (n > 10 && strcmp(def + n - 10, " NOT VALID") == 0) {
		*not_valid = true;
		return retort__strndup(def, n - 10);
	}
	return retort__strdup(def);
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
		c->not_valid = retort__pg_truth(CELL(r, i, 13));
		c->comment = retort__strdup(CELL(r, i, 15));
		if (kind == RETORT_CON_FOREIGN) {
			c->ref_schema = retort__strdup(CELL(r, i, 6));
			c->ref_table = retort__strdup(CELL(r, i, 7));
			retort__split_names(&c->ref_columns, CELL(r, i, 8));
			c->on_update = CELL(r, i, 9)[0];
			c->on_delete = CELL(r, i, 10)[0];
			c->deferrable = retort__pg_truth(CELL(r, i, 11));
			c->deferred = retort__pg_truth(CELL(r, i, 12));
			c->match_full = retort__pg_truth(CELL(r, i, 14));
		} else {
			bool nv = false;
			c->pg_def = strip_not_valid(CELL(r, i, 4), &nv);
		}
	}
}

/*
 * An index of a partitioned table prints as CREATE INDEX ... ON ONLY
 * parent, which would leave the partitions without theirs: created on the
 * parent it is made on every partition too, as it was.
 */
static char *only_to_all(const char *def)
{
	const char *on = def ? strstr(def, " ON ONLY ") : NULL;

	if (!on)
		return retort__strdup(def);
	return retort__sprintf("%.*s ON %s", (int)(on - def), def, on + strlen(" ON ONLY "));
}

static void load_indexes(retort_model *m, retort_map *byname, const retort_rows *r)
{
	for (size_t i = 0; i < r->nrows; i++) {
		retort_index *x;

		if (retort__pg_truth(CELL(r, i, 5))) {
			retort_view *v = retort_model_view(m, CELL(r, i, 0), CELL(r, i, 1));
			if (!v)
				continue;
			x = retort__calloc(1, sizeof(*x));
			x->name = retort__strdup(CELL(r, i, 2));
			retort_vec_push(&v->indexes, x);
		} else {
			retort_table *t = find_table(byname, CELL(r, i, 0), CELL(r, i, 1));
			if (!t)
				continue;
			x = retort_table_add_index(t, CELL(r, i, 2));
		}
		x->definition = only_to_all(CELL(r, i, 3));
		x->unique = retort__pg_truth(CELL(r, i, 4));
		x->comment = retort__strdup(CELL(r, i, 6));
	}
}

static void load_views(retort_model *m, const retort_rows *r, const retort_reflect_opts *opts)
{
	for (size_t i = 0; i < r->nrows; i++) {
		bool mat = retort__pg_truth(CELL(r, i, 5));
		retort_view *v;
		char *body;

		if (!retort__reflect_table_wanted(opts, CELL(r, i, 0), CELL(r, i, 1)) ||
			!retort__reflect_kind_wanted(opts, mat ? "materialized-views" : "views"))
			continue;
		body = view_body(CELL(r, i, 2));
		v = retort_model_add_view(m, CELL(r, i, 0), CELL(r, i, 1), body);
		v->comment = retort__strdup(CELL(r, i, 4));
		v->materialized = mat;
		v->with_data = retort__pg_truth(CELL(r, i, 6));
		free(body);
		retort__split_names(&v->depends, CELL(r, i, 3));
	}
}

static void load_sequences(retort_model *m, const retort_rows *r, const retort_reflect_opts *opts)
{
	for (size_t i = 0; i < r->nrows; i++) {
		retort_sequence *s;

		if (!retort__reflect_table_wanted(opts, CELL(r, i, 0), CELL(r, i, 1)) ||
			!retort__reflect_kind_wanted(opts, "sequences"))
			continue;
		s = retort_model_add_sequence(m, CELL(r, i, 0), CELL(r, i, 1));
		s->type = retort__strdup(CELL(r, i, 2));
		s->start = retort__strdup(CELL(r, i, 3));
		s->increment = retort__strdup(CELL(r, i, 4));
		s->min = retort__strdup(CELL(r, i, 5));
		s->max = retort__strdup(CELL(r, i, 6));
		s->cache = retort__strdup(CELL(r, i, 7));
		s->cycle = retort__pg_truth(CELL(r, i, 8));
		s->owned_by = retort__strdup(CELL(r, i, 9));
		s->comment = retort__strdup(CELL(r, i, 10));
	}
}

static void load_enums(retort_model *m, const retort_rows *r, const retort_reflect_opts *opts)
{
	for (size_t i = 0; i < r->nrows; i++) {
		retort_enum *e;

		if (!retort__reflect_schema_wanted(opts, CELL(r, i, 0)) || !retort__reflect_kind_wanted(opts, "types"))
			continue;
		e = retort_model_add_enum(m, CELL(r, i, 0), CELL(r, i, 1));
		e->comment = retort__strdup(CELL(r, i, 3));
		retort__split_names(&e->labels, CELL(r, i, 2));
	}
}

static void load_namespaces(retort_model *m, const retort_rows *r, const retort_reflect_opts *opts)
{
	for (size_t i = 0; i < r->nrows; i++) {
		if (!retort__reflect_schema_wanted(opts, CELL(r, i, 0)))
			continue;
		retort__strvec_add(&m->schemas, CELL(r, i, 0));
		if (CELL(r, i, 1)) {
			retort_pg_schema *s = retort__calloc(1, sizeof(*s));
			s->name = retort__strdup(CELL(r, i, 0));
			s->comment = retort__strdup(CELL(r, i, 1));
			retort_vec_push(&m->schema_comments, s);
		}
	}
}

static void load_extensions(retort_model *m, const retort_rows *r, const retort_reflect_opts *opts)
{
	for (size_t i = 0; i < r->nrows; i++) {
		retort_pg_extension *e;

		if (!retort__reflect_kind_wanted(opts, "extensions"))
			continue;
		e = retort_model_add_extension(m, CELL(r, i, 0));
		e->schema = retort__strdup(CELL(r, i, 1));
		e->version = retort__strdup(CELL(r, i, 2));
		e->comment = retort__strdup(CELL(r, i, 3));
	}
}

static void drop_comment(char **c)
{
	free(*c);
	*c = NULL;
}

/* exclude_kinds that cut across the lists: comments, and the row-level-security switches with policies. */
static void filter_kinds(retort_model *m, const retort_reflect_opts *opts)
{
	bool comments = retort__reflect_kind_wanted(opts, "comments");
	bool policies = retort__reflect_kind_wanted(opts, "policies");

	for (size_t i = 0; i < m->tables.len; i++) {
		retort_table *t = m->tables.items[i];
		if (!policies)
			t->rls = t->rls_force = false;
		if (comments)
			continue;
		drop_comment(&t->comment);
		for (size_t j = 0; j < t->columns.len; j++)
			drop_comment(&((retort_model_column *)t->columns.items[j])->comment);
		for (size_t j = 0; j < t->constraints.len; j++)
			drop_comment(&((retort_model_constraint *)t->constraints.items[j])->comment);
		for (size_t j = 0; j < t->indexes.len; j++)
			drop_comment(&((retort_index *)t->indexes.items[j])->comment);
	}
	if (comments)
		return;
	for (size_t i = 0; i < m->views.len; i++) {
		retort_view *v = m->views.items[i];
		drop_comment(&v->comment);
		for (size_t j = 0; j < v->indexes.len; j++)
			drop_comment(&((retort_index *)v->indexes.items[j])->comment);
	}
	for (size_t i = 0; i < m->sequences.len; i++)
		drop_comment(&((retort_sequence *)m->sequences.items[i])->comment);
	for (size_t i = 0; i < m->enums.len; i++)
		drop_comment(&((retort_enum *)m->enums.items[i])->comment);
	for (size_t i = 0; i < m->functions.len; i++)
		drop_comment(&((retort_pg_function *)m->functions.items[i])->comment);
	for (size_t i = 0; i < m->pg_triggers.len; i++)
		drop_comment(&((retort_pg_trigger *)m->pg_triggers.items[i])->comment);
	for (size_t i = 0; i < m->policies.len; i++)
		drop_comment(&((retort_pg_policy *)m->policies.items[i])->comment);
	for (size_t i = 0; i < m->domains.len; i++)
		drop_comment(&((retort_pg_domain *)m->domains.items[i])->comment);
	for (size_t i = 0; i < m->composites.len; i++)
		drop_comment(&((retort_pg_composite *)m->composites.items[i])->comment);
	for (size_t i = 0; i < m->collations.len; i++)
		drop_comment(&((retort_pg_collation *)m->collations.items[i])->comment);
	for (size_t i = 0; i < m->extensions.len; i++)
		drop_comment(&((retort_pg_extension *)m->extensions.items[i])->comment);
	for (size_t i = 0; i < m->schema_comments.len; i++) {
		retort_pg_schema *s = m->schema_comments.items[i];
		free(s->name);
		free(s->comment);
		free(s);
	}
	m->schema_comments.len = 0;
}

/* Run one query and hand its rows to `load`. */
#define STEP(sql, load)                                                          \
	do {                                                                     \
		if ((error = retort__reflect_query(&r, m, db, (sql))) < 0)      \
			goto done;                                               \
		load;                                                            \
		retort_rows_free(r);                                             \
		r = NULL;                                                        \
	} while (0)

int retort__reflect_pg(retort_model **out, retort_db *db, const retort_reflect_opts *opts)
{
	retort_model *m = retort_model_new(RETORT_DIALECT_POSTGRES);
	retort_rows *r = NULL;
	retort_map byname = RETORT_MAP_INIT;
	int error;

	STEP(q_schemas, load_namespaces(m, r, opts));
	STEP(q_extensions, load_extensions(m, r, opts));
	STEP(q_columns, load_columns(m, &byname, r, opts));
	STEP(q_constraints, load_constraints(&byname, r));
	STEP(q_views, load_views(m, r, opts));
	STEP(q_indexes, load_indexes(m, &byname, r));
	STEP(q_sequences, load_sequences(m, r, opts));
	STEP(q_enums, load_enums(m, r, opts));
	if ((error = retort__reflect_pg_routines(m, db, opts)) < 0 ||
	    (error = retort__reflect_pg_types(m, db, opts)) < 0 ||
	    (error = retort__reflect_pg_deps(m, db, opts)) < 0)
		goto done;
	filter_kinds(m, opts);
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
