/*
 * reflect_pg_routines.c - PostgreSQL functions and procedures, triggers
 * and row-level-security policies: three bulk queries.
 *
 * A function is kept as pg_get_functiondef's text, which holds everything
 * CREATE OR REPLACE can set (language, volatility, strictness, security,
 * SET options, the body as the server stores it); its identity is its name
 * and input argument types.  Aggregates are not modelled.  The bodies of
 * SQL-language functions written as strings are parsed (libpg_query's
 * tree, sql/sql.h) for the relations and functions they name, since the
 * server checks them at creation but records no dependency: those become
 * dependencies here (a CTE's name looks like a relation and matches none).
 * Triggers are pg_get_triggerdef's text plus their enabled state; internal
 * triggers (foreign keys) and a partition's clones of its parent's
 * triggers are left out.  Policies are taken apart (command, permissive,
 * roles, USING, WITH CHECK) so a change can be an ALTER POLICY or a
 * rename.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "base/common.h"
#include "schema/reflect_pg.h"
#include "sql/sql.h"

static const char q_functions[] =
	"SELECT n.nspname, p.proname, pg_catalog.oidvectortypes(p.proargtypes),"
	" pg_catalog.pg_get_function_identity_arguments(p.oid), p.prokind,"
	" CASE WHEN p.prokind <> 'p' THEN pg_catalog.pg_get_function_result(p.oid) END, p.pronargdefaults,"
	" pg_catalog.pg_get_functiondef(p.oid), d.description,"
	" CASE WHEN l.lanname = 'sql' AND p.prosqlbody IS NULL THEN p.prosrc END"
	" FROM pg_catalog.pg_proc p"
	" JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace"
	" JOIN pg_catalog.pg_language l ON l.oid = p.prolang"
	COMMENT_JOIN("d", "p.oid", "pg_catalog.pg_proc")
	" WHERE p.prokind IN ('f', 'p', 'w') AND " NS_FILTER NOT_EXT("p.oid", "pg_catalog.pg_proc")
	" ORDER BY 1, 2, 3";

static const char q_triggers[] =
	"SELECT n.nspname, c.relname, t.tgname, pg_catalog.pg_get_triggerdef(t.oid), t.tgenabled,"
	" t.tgconstraint <> 0, d.description"
	" FROM pg_catalog.pg_trigger t"
	" JOIN pg_catalog.pg_class c ON c.oid = t.tgrelid"
	" JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
	COMMENT_JOIN("d", "t.oid", "pg_catalog.pg_trigger")
	" WHERE NOT t.tgisinternal AND t.tgparentid = 0 AND " NS_FILTER NOT_EXT("c.oid", "pg_catalog.pg_class")
	" ORDER BY 1, 2, 3";

static const char q_policies[] =
	"SELECT n.nspname, c.relname, p.polname, p.polcmd, p.polpermissive,"
	" (SELECT string_agg(CASE WHEN r.oid = 0 THEN 'public' ELSE pg_catalog.pg_get_userbyid(r.oid) END,"
	"  E'\\x1f') FROM unnest(p.polroles) r(oid)),"
	" pg_catalog.pg_get_expr(p.polqual, p.polrelid), pg_catalog.pg_get_expr(p.polwithcheck, p.polrelid),"
	" d.description"
	" FROM pg_catalog.pg_policy p"
	" JOIN pg_catalog.pg_class c ON c.oid = p.polrelid"
	" JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
	COMMENT_JOIN("d", "p.oid", "pg_catalog.pg_policy")
	" WHERE " NS_FILTER " ORDER BY 1, 2, 3";

/* --- what a SQL body names ---------------------------------------------------- */

static void add_once(retort_vec *v, char *name)
{
	for (size_t i = 0; i < v->len; i++)
		if (strcmp(v->items[i], name) == 0) {
			free(name);
			return;
		}
	retort_vec_push(v, name);
}

/* ["schema", "name"] or ["name"] as String nodes, dotted. */
static char *dotted(json_t *list)
{
	retort_buf b = RETORT_BUF_INIT;
	size_t i;
	json_t *item;

	json_array_foreach(list, i, item) {
		const char *s = json_string_value(json_object_get(json_object_get(item, "String"), "sval"));
		if (s)
			retort_buf_printf(&b, "%s%s", b.size ? "." : "", s);
	}
	return retort_buf_detach(&b);
}

/*
 * Every RangeVar is a relation (a field typed RangeVar, such as an INSERT's
 * target, comes without the node's name: it is told by its relname), every
 * FuncCall a function.
 */
static void walk(json_t *node, retort_vec *relations, retort_vec *functions)
{
	const char *key, *rel;
	json_t *val;

	if (json_is_array(node)) {
		size_t i;
		json_array_foreach(node, i, val)
			walk(val, relations, functions);
		return;
	}
	if ((rel = json_string_value(json_object_get(node, "relname")))) {
		const char *schema = json_string_value(json_object_get(node, "schemaname"));
		add_once(relations, schema ? retort__sprintf("%s.%s", schema, rel) : retort__strdup(rel));
	}
	json_object_foreach(node, key, val) {
		if (strcmp(key, "FuncCall") == 0 && json_is_object(val)) {
			char *name = dotted(json_object_get(val, "funcname"));
			if (*name)
				add_once(functions, name);
			else
				free(name);
		}
		if (json_is_object(val) || json_is_array(val))
			walk(val, relations, functions);
	}
}

/* A relation name as the body wrote it, made a key: the function's schema, then public, then any. */
static char *relation_key(const retort_model *m, const char *fschema, const char *written)
{
	const char *dot = strchr(written, '.');
	const char *try[] = { fschema, "public" };

	if (dot)
		return retort__strdup(written);
	for (size_t k = 0; k < RETORT_ARRAY_SIZE(try); k++)
		if (retort_model_table(m, try[k], written) || retort_model_view(m, try[k], written))
			return retort__qualname(try[k], written);
	for (size_t i = 0; i < m->tables.len; i++) {
		retort_table *t = m->tables.items[i];
		if (strcmp(t->name, written) == 0)
			return retort__qualname(t->schema, t->name);
	}
	return NULL;
}

/* The functions of that name (any argument types), as dependencies of `f`. */
static void function_deps(retort_model *m, const retort_pg_function *f, const char *written)
{
	const char *dot = strchr(written, '.');

	for (size_t i = 0; i < m->functions.len; i++) {
		retort_pg_function *g = m->functions.items[i];
		bool hit;
		if (g == f)
			continue;
		if (dot)
			hit = (size_t)(dot - written) == strlen(g->schema) && strncmp(written, g->schema, (size_t)(dot - written)) == 0 &&
				strcmp(dot + 1, g->name) == 0;
		else
			hit = strcmp(written, g->name) == 0 && (strcmp(g->schema, f->schema) == 0 || strcmp(g->schema, "public") == 0);
		if (hit)
			retort_model_add_dep(m, f->key, g->key);
	}
}

/* SQL bodies written as strings: their references become dependencies. */
static void body_deps(retort_model *m, const retort_pg_function *f, const char *body)
{
	retort_vec rels = RETORT_VEC_INIT, funcs = RETORT_VEC_INIT;
	json_t *tree = NULL;

	/* A body the parser rejects has no references we can know of. */
	if (retort_sql_pg_parse(&tree, body, strlen(body)) == 0) {
		walk(tree, &rels, &funcs);
		for (size_t i = 0; i < rels.len; i++) {
			char *key = relation_key(m, f->schema, rels.items[i]);
			if (key)
				retort_model_add_dep(m, f->key, key);
			free(key);
		}
		for (size_t i = 0; i < funcs.len; i++)
			function_deps(m, f, funcs.items[i]);
	}
	json_decref(tree);
	retort_vec_dispose(&rels, true);
	retort_vec_dispose(&funcs, true);
}

static void load_functions(retort_model *m, const retort_rows *r, const retort_reflect_opts *opts)
{
	retort_vec bodies = RETORT_VEC_INIT; /* (function, body) pairs, parsed once every function is known */

	for (size_t i = 0; i < r->nrows; i++) {
		retort_pg_function *f;

		if (!retort__reflect_schema_wanted(opts, CELL(r, i, 0)))
			continue;
		f = retort_model_add_function(m, CELL(r, i, 0), CELL(r, i, 1), CELL(r, i, 2));
		f->identity = retort__strdup(CELL(r, i, 3));
		f->kind = CELL(r, i, 4)[0];
		f->result = retort__strdup(CELL(r, i, 5));
		f->ndefaults = atoi(CELL(r, i, 6));
		f->definition = retort__strdup(CELL(r, i, 7));
		f->comment = retort__strdup(CELL(r, i, 8));
		if (CELL(r, i, 9)) {
			retort_vec_push(&bodies, f);
			retort_vec_push(&bodies, (void *)CELL(r, i, 9));
		}
	}
	for (size_t i = 0; i + 1 < bodies.len; i += 2)
		body_deps(m, bodies.items[i], bodies.items[i + 1]);
	retort_vec_dispose(&bodies, false);
}

static void load_triggers(retort_model *m, const retort_rows *r, const retort_reflect_opts *opts)
{
	for (size_t i = 0; i < r->nrows; i++) {
		retort_pg_trigger *t;
		char *owner;

		if (!retort__reflect_table_wanted(opts, CELL(r, i, 0), CELL(r, i, 1)))
			continue;
		t = retort_model_add_pg_trigger(m, CELL(r, i, 0), CELL(r, i, 1), CELL(r, i, 2));
		t->definition = retort__strdup(CELL(r, i, 3));
		t->enabled = CELL(r, i, 4)[0];
		t->constraint = retort__pg_truth(CELL(r, i, 5));
		t->comment = retort__strdup(CELL(r, i, 6));
		/* It goes with its relation: recreated when the relation is. */
		owner = retort__qualname(t->schema, t->table);
		retort_model_add_dep(m, t->key, owner);
		free(owner);
	}
}

static void load_policies(retort_model *m, const retort_rows *r, const retort_reflect_opts *opts)
{
	for (size_t i = 0; i < r->nrows; i++) {
		retort_pg_policy *p;
		char *owner;

		if (!retort__reflect_table_wanted(opts, CELL(r, i, 0), CELL(r, i, 1)))
			continue;
		p = retort_model_add_policy(m, CELL(r, i, 0), CELL(r, i, 1), CELL(r, i, 2));
		p->cmd = CELL(r, i, 3)[0];
		p->permissive = retort__pg_truth(CELL(r, i, 4));
		retort__split_names(&p->roles, CELL(r, i, 5));
		p->using_expr = retort__strdup(CELL(r, i, 6));
		p->check_expr = retort__strdup(CELL(r, i, 7));
		p->comment = retort__strdup(CELL(r, i, 8));
		owner = retort__qualname(p->schema, p->table);
		retort_model_add_dep(m, p->key, owner);
		free(owner);
	}
}

int retort__reflect_pg_routines(retort_model *m, retort_db *db, const retort_reflect_opts *opts)
{
	retort_rows *r = NULL;
	int error = 0;

	if (retort__reflect_kind_wanted(opts, "functions")) {
		if ((error = retort__reflect_query(&r, m, db, q_functions)) < 0)
			goto done;
		load_functions(m, r, opts);
		retort_rows_free(r);
		r = NULL;
	}
	if (retort__reflect_kind_wanted(opts, "triggers")) {
		if ((error = retort__reflect_query(&r, m, db, q_triggers)) < 0)
			goto done;
		load_triggers(m, r, opts);
		retort_rows_free(r);
		r = NULL;
	}
	if (retort__reflect_kind_wanted(opts, "policies")) {
		if ((error = retort__reflect_query(&r, m, db, q_policies)) < 0)
			goto done;
		load_policies(m, r, opts);
	}
done:
	retort_rows_free(r);
	return error;
}
