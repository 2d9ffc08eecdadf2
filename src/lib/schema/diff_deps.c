/*
 * diff_deps.c - dependencies in the diff: the object keys each operation
 * creates and removes, the dependency indexes of both models, and the
 * closure that drops and creates again whatever stands on an object that
 * goes away or changes shape.
 *
 * PostgreSQL refuses to drop a function a trigger calls, or to change the
 * type of a column a view, a policy or a trigger reads.  So when an
 * operation removes an object (a function dropped to be created anew, a
 * view recreated, a column retyped), every object of `from` that depends on
 * it and is kept in `to` is dropped before and created after: views are
 * marked for retort__diff_views_mark(), triggers, policies and functions
 * get their own drop and create, defaults, constraints and indexes theirs
 * on the table.  The closure runs to a fixed point.  diff_order.c then
 * uses the same keys to order everything.  This file sits above the
 * family files and calls their create/drop helpers.
 */
#include <stdlib.h>
#include <string.h>

#include "base/common.h"
#include "schema/diff_int.h"

/* --- keys ---------------------------------------------------------------- */

static char *col_key(const char *kind, const retort_table *t, const char *column)
{
	return retort__sprintf("%s:%s.%s.%s", kind, t->schema ? t->schema : "", t->name, column);
}

static char *con_key(const retort_table *t, const retort_model_constraint *c)
{
	return col_key("constraint", t, c->name ? c->name : "");
}

static void table_keys(const retort_table *t, const retort_vec *omit, retort_vec *out)
{
	retort_vec_push(out, retort_pg_key(NULL, t->schema, t->name));
	for (size_t i = 0; i < t->columns.len; i++) {
		const retort_model_column *c = t->columns.items[i];
		retort_vec_push(out, col_key("column", t, c->name));
		if (c->default_expr)
			retort_vec_push(out, col_key("default", t, c->name));
	}
	for (size_t i = 0; i < t->constraints.len; i++)
		if (!omit || !retort_vec_contains(omit, t->constraints.items[i]))
			retort_vec_push(out, con_key(t, t->constraints.items[i]));
}

static char *index_key(const retort_op *op)
{
	const char *schema = op->table ? op->table->schema : op->view ? op->view->schema : NULL;

	return retort_pg_key("index", schema, op->index->name);
}

static void column_keys(const retort_op *op, retort_vec *creates, retort_vec *removes)
{
	const retort_model_column *o = op->old_column, *c = op->column;

	if (!retort__streq(o->type, c->type) || !retort__streq(o->collation, c->collation)) {
		retort_vec_push(removes, col_key("column", op->old_table, o->name));
		retort_vec_push(creates, col_key("column", op->table, c->name));
	}
	if ((!retort__streq(o->default_expr, c->default_expr) || !retort__streq(o->type, c->type)) && !op->default_apart) {
		if (o->default_expr)
			retort_vec_push(removes, col_key("default", op->old_table, o->name));
		if (c->default_expr)
			retort_vec_push(creates, col_key("default", op->table, c->name));
	}
}

/* Relations a new table needs besides what its columns use: its partition parent and inheritance parents. */
static void table_requires(const retort_table *t, retort_vec *requires)
{
	if (t->parent)
		retort_vec_push(requires, retort_pg_key(NULL, t->parent_schema, t->parent));
	for (size_t i = 0; i + 1 < t->inherits.len; i += 2)
		retort_vec_push(requires, retort_pg_key(NULL, t->inherits.items[i], t->inherits.items[i + 1]));
}

void retort__op_keys(const retort_op *op, retort_vec *creates, retort_vec *removes, retort_vec *requires)
{
	switch (op->kind) {
	case RETORT_OP_CREATE_SCHEMA:
		retort_vec_push(creates, retort_pg_key("schema", NULL, op->schema));
		break;
	case RETORT_OP_DROP_SCHEMA:
		retort_vec_push(removes, retort_pg_key("schema", NULL, op->schema));
		break;
	case RETORT_OP_CREATE_EXTENSION:
		retort_vec_push(creates, retort_pg_key("extension", NULL, op->extension->name));
		break;
	case RETORT_OP_DROP_EXTENSION:
		retort_vec_push(removes, retort_pg_key("extension", NULL, op->old_extension->name));
		break;
	case RETORT_OP_CREATE_ENUM:
		retort_vec_push(creates, retort_pg_key("type", op->enumtype->schema, op->enumtype->name));
		break;
	case RETORT_OP_REPLACE_ENUM:
		/* The type goes and comes back, and so does every column of it, retyped. */
		retort_vec_push(creates, retort_pg_key("type", op->enumtype->schema, op->enumtype->name));
		retort_vec_push(removes, retort_pg_key("type", op->enumtype->schema, op->enumtype->name));
		for (size_t i = 0; i + 2 < op->uses.len; i += 3) {
			const retort_model_column *c = op->uses.items[i + 1];
			retort_vec_push(removes, col_key("column", op->uses.items[i], c->name));
			retort_vec_push(creates, col_key("column", op->uses.items[i], c->name));
		}
		break;
	case RETORT_OP_DROP_ENUM:
		retort_vec_push(removes, retort_pg_key("type", op->enumtype->schema, op->enumtype->name));
		break;
	case RETORT_OP_CREATE_SEQUENCE:
		retort_vec_push(creates, retort_pg_key(NULL, op->sequence->schema, op->sequence->name));
		break;
	case RETORT_OP_DROP_SEQUENCE:
		retort_vec_push(removes, retort_pg_key(NULL, op->sequence->schema, op->sequence->name));
		break;
	case RETORT_OP_CREATE_TABLE:
		table_keys(op->table, &op->omit_fks, creates);
		table_requires(op->table, requires);
		break;
	case RETORT_OP_DROP_TABLE:
		table_keys(op->table, NULL, removes);
		break;
	case RETORT_OP_ADD_COLUMN:
	case RETORT_OP_DROP_COLUMN:
		retort_vec_push(op->kind == RETORT_OP_ADD_COLUMN ? creates : removes, col_key("column", op->table, op->column->name));
		if (op->column->default_expr)
			retort_vec_push(op->kind == RETORT_OP_ADD_COLUMN ? creates : removes,
				col_key("default", op->table, op->column->name));
		break;
	case RETORT_OP_ALTER_COLUMN:
		column_keys(op, creates, removes);
		break;
	case RETORT_OP_ADD_CONSTRAINT:
		retort_vec_push(creates, con_key(op->table, op->constraint));
		break;
	case RETORT_OP_DROP_CONSTRAINT:
		retort_vec_push(removes, con_key(op->table, op->constraint));
		break;
	case RETORT_OP_CREATE_INDEX:
		retort_vec_push(creates, index_key(op));
		retort_vec_push(requires, op->table ? retort_pg_key(NULL, op->table->schema, op->table->name)
			: retort_pg_key(NULL, op->view->schema, op->view->name));
		break;
	case RETORT_OP_DROP_INDEX:
		retort_vec_push(removes, index_key(op));
		break;
	case RETORT_OP_CREATE_VIEW:
		retort_vec_push(creates, retort_pg_key(NULL, op->view->schema, op->view->name));
		break;
	case RETORT_OP_DROP_VIEW:
		retort_vec_push(removes, retort_pg_key(NULL, op->view->schema, op->view->name));
		break;
	case RETORT_OP_CREATE_FUNCTION:
	case RETORT_OP_REPLACE_FUNCTION:
		retort_vec_push(creates, retort__strdup(op->function->key));
		break;
	case RETORT_OP_DROP_FUNCTION:
		retort_vec_push(removes, retort__strdup(op->function->key));
		break;
	case RETORT_OP_CREATE_PG_TRIGGER:
		retort_vec_push(creates, retort__strdup(op->pg_trigger->key));
		break;
	case RETORT_OP_DROP_PG_TRIGGER:
		retort_vec_push(removes, retort__strdup(op->pg_trigger->key));
		break;
	case RETORT_OP_CREATE_POLICY:
	case RETORT_OP_ALTER_POLICY:
		retort_vec_push(creates, retort__strdup(op->policy->key));
		break;
	case RETORT_OP_DROP_POLICY:
		retort_vec_push(removes, retort__strdup(op->old_policy->key));
		break;
	case RETORT_OP_CREATE_DOMAIN:
	case RETORT_OP_ALTER_DOMAIN:
		retort_vec_push(creates, retort__strdup(op->domain->key));
		break;
	case RETORT_OP_DROP_DOMAIN:
		retort_vec_push(removes, retort__strdup(op->old_domain->key));
		break;
	case RETORT_OP_CREATE_COMPOSITE:
	case RETORT_OP_ALTER_COMPOSITE:
		retort_vec_push(creates, retort__strdup(op->composite->key));
		break;
	case RETORT_OP_DROP_COMPOSITE:
		retort_vec_push(removes, retort__strdup(op->old_composite->key));
		break;
	case RETORT_OP_CREATE_COLLATION:
		retort_vec_push(creates, retort__strdup(op->collation->key));
		break;
	case RETORT_OP_DROP_COLLATION:
		retort_vec_push(removes, retort__strdup(op->collation->key));
		break;
	case RETORT_OP_SET_DEFAULT:
		retort_vec_push(creates, col_key("default", op->table, op->column->name));
		break;
	case RETORT_OP_DROP_DEFAULT:
		retort_vec_push(removes, col_key("default", op->table, op->column->name));
		break;
	case RETORT_OP_ATTACH_PARTITION:
		table_requires(op->table, requires);
		break;
	default:
		break;
	}
}

/* --- the dependency indexes ------------------------------------------------- */

static void index_add(retort_map *map, const char *key, const char *value)
{
	retort_vec *v = retort_map_get(map, key);

	if (!v) {
		v = retort__calloc(1, sizeof(*v));
		retort_map_set(map, key, v);
	}
	retort_vec_push(v, (void *)value);
}

/*
 * A dependency on a column is also one on its relation: dropping a view
 * drops what reads any of its columns.
 */
static void index_deps(retort_map *deps, retort_map *users, const retort_model *m)
{
	for (size_t i = 0; i < m->deps.len; i++) {
		const retort_pg_dep *d = m->deps.items[i];
		index_add(deps, d->from, d->to);
		if (users)
			index_add(users, d->to, d->from);
	}
}

void retort__diff_deps_index(differ *df)
{
	index_deps(&df->from_deps, &df->from_users, df->from);
	index_deps(&df->to_deps, NULL, df->to);
}

void retort__diff_deps_dispose(differ *df)
{
	retort_map *maps[] = { &df->from_deps, &df->to_deps, &df->from_users };

	for (size_t m = 0; m < RETORT_ARRAY_SIZE(maps); m++) {
		for (size_t i = 0; i < maps[m]->len; i++) {
			retort_vec_dispose(maps[m]->vals[i], false);
			free(maps[m]->vals[i]);
		}
		retort_map_dispose(maps[m], false);
	}
}

/* --- the closure ---------------------------------------------------------------- */

/* Every key the ops remove, into df->gone; true when one is new. */
static bool collect_gone(differ *df)
{
	retort_vec creates = RETORT_VEC_INIT, removes = RETORT_VEC_INIT, requires = RETORT_VEC_INIT;
	bool added = false;

	for (int p = 0; p < P_COUNT; p++)
		for (size_t i = 0; i < df->phases[p].len; i++)
			retort__op_keys(df->phases[p].items[i], &creates, &removes, &requires);
	for (size_t i = 0; i < removes.len; i++)
		if (!retort_map_has(&df->gone, removes.items[i])) {
			retort_map_set(&df->gone, removes.items[i], (void *)1);
			added = true;
		}
	retort_vec_dispose(&creates, true);
	retort_vec_dispose(&removes, true);
	retort_vec_dispose(&requires, true);
	return added;
}

static bool starts(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

static retort_op *find_op(differ *df, retort_op_kind kind, const void *object)
{
	for (int p = 0; p < P_COUNT; p++)
		for (size_t i = 0; i < df->phases[p].len; i++) {
			retort_op *op = df->phases[p].items[i];
			if (op->kind == kind && (op->function == object || op->pg_trigger == object))
				return op;
		}
	return NULL;
}

static bool force_function(differ *df, const char *key)
{
	const retort_pg_function *old = retort_model_function(df->from, key), *f = retort_model_function(df->to, key);
	retort_op *replace;

	if (!old || !f)
		return false;
	retort__diff_drop_function(df, old);
	if ((replace = find_op(df, RETORT_OP_REPLACE_FUNCTION, f))) {
		replace->kind = RETORT_OP_CREATE_FUNCTION;
		if (f->comment)
			retort__diff_comment(df, "FUNCTION", f->comment)->function = f;
	} else {
		retort__diff_create_function(df, f);
	}
	return true;
}

/* Take ops that would alter `object` in place out: it is created anew. */
static void drop_alters(differ *df, retort_op_kind kind, const void *object)
{
	for (int p = 0; p < P_COUNT; p++) {
		size_t k = 0;
		for (size_t i = 0; i < df->phases[p].len; i++) {
			retort_op *op = df->phases[p].items[i];
			if (op->kind == kind && (op->policy == object || op->pg_trigger == object))
				retort__op_free(op);
			else
				df->phases[p].items[k++] = op;
		}
		df->phases[p].len = k;
	}
}

static bool force_trigger(differ *df, const char *key)
{
	const retort_pg_trigger *old = retort_model_pg_trigger(df->from, key), *t = retort_model_pg_trigger(df->to, key);

	if (!old || !t)
		return false;
	drop_alters(df, RETORT_OP_ENABLE_TRIGGER, t);
	retort__diff_drop_trigger(df, old);
	retort__diff_create_trigger(df, t);
	return true;
}

static bool force_policy(differ *df, const char *key)
{
	const retort_pg_policy *old = retort_model_policy(df->from, key), *p = retort_model_policy(df->to, key);

	/* Renamed as well: the rename gives way to the drop and create. */
	for (int ph = 0; ph < P_COUNT && old && !p; ph++)
		for (size_t i = 0; i < df->phases[ph].len && !p; i++) {
			retort_op *op = df->phases[ph].items[i];
			if (op->kind == RETORT_OP_RENAME_POLICY && op->old_policy == old)
				p = op->policy;
		}
	if (!old || !p)
		return false;
	drop_alters(df, RETORT_OP_RENAME_POLICY, p);
	drop_alters(df, RETORT_OP_ALTER_POLICY, p);
	retort__diff_drop_policy(df, old);
	retort__diff_create_policy(df, p);
	return true;
}

/* The table and the column, constraint or index of `from`/`to` a sub-object key names. */
typedef struct part {
	const retort_table *table;
	const retort_model_column *column;
	const retort_model_constraint *constraint;
	const retort_index *index;
} part;

static bool find_part(const retort_model *m, const char *key, part *out)
{
	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < m->tables.len; i++) {
		const retort_table *t = m->tables.items[i];
		char *prefix = retort__sprintf("%s.%s.", t->schema ? t->schema : "", t->name);
		const char *rest = strchr(key, ':') + 1;
		size_t n = strlen(prefix);
		bool mine = strncmp(rest, prefix, n) == 0;

		if (starts(key, "index:")) {
			for (size_t j = 0; j < t->indexes.len && !out->index; j++) {
				const retort_index *x = t->indexes.items[j];
				char *k = retort_pg_key("index", t->schema, x->name);
				if (strcmp(k, key) == 0) {
					out->table = t;
					out->index = x;
				}
				free(k);
			}
		} else if (mine && starts(key, "default:")) {
			out->column = retort_table_column(t, rest + n);
			out->table = out->column && out->column->default_expr ? t : NULL;
		} else if (mine && starts(key, "constraint:")) {
			for (size_t j = 0; j < t->constraints.len && !out->constraint; j++) {
				const retort_model_constraint *c = t->constraints.items[j];
				if (c->name && strcmp(c->name, rest + n) == 0) {
					out->table = t;
					out->constraint = c;
				}
			}
		}
		free(prefix);
		if (out->table)
			return true;
	}
	return false;
}

static bool force_part(differ *df, const char *key)
{
	part a, b;
	retort_op *op;

	if (!find_part(df->from, key, &a) || !find_part(df->to, key, &b))
		return false;
	if (a.column) {
		op = retort__diff_emit(df, P_DROP_CONSTRAINT, RETORT_OP_DROP_DEFAULT);
		op->table = a.table;
		op->column = a.column;
		op = retort__diff_emit(df, P_ADD_CONSTRAINT, RETORT_OP_SET_DEFAULT);
		op->table = b.table;
		op->column = b.column;
	} else if (a.constraint && b.constraint) {
		op = retort__diff_emit(df, P_DROP_CONSTRAINT, RETORT_OP_DROP_CONSTRAINT);
		op->table = op->old_table = a.table;
		op->constraint = a.constraint;
		op = retort__diff_emit(df, P_ADD_CONSTRAINT, RETORT_OP_ADD_CONSTRAINT);
		op->table = b.table;
		op->old_table = a.table;
		op->constraint = b.constraint;
	} else if (a.index && b.index) {
		op = retort__diff_emit(df, P_DROP_INDEX, RETORT_OP_DROP_INDEX);
		op->table = op->old_table = a.table;
		op->index = a.index;
		op = retort__diff_emit(df, P_CREATE_INDEX, RETORT_OP_CREATE_INDEX);
		op->table = b.table;
		op->index = b.index;
	} else {
		return false;
	}
	return true;
}

/* Drop and create again one object of `from` kept in `to` that stands on something gone. */
static bool force(differ *df, const char *key)
{
	if (starts(key, "function:"))
		return force_function(df, key);
	if (starts(key, "trigger:"))
		return force_trigger(df, key);
	if (starts(key, "policy:"))
		return force_policy(df, key);
	if (starts(key, "default:") || starts(key, "constraint:") || starts(key, "index:"))
		return force_part(df, key);
	if (!strchr(key, ':')) {
		/* A relation: only views can be made again without their rows. */
		for (size_t i = 0; i < df->from->views.len; i++) {
			const retort_view *v = df->from->views.items[i];
			char *k = retort_pg_key(NULL, v->schema, v->name);
			bool hit = strcmp(k, key) == 0 && retort_model_view(df->to, v->schema, v->name);
			free(k);
			if (hit) {
				retort__diff_reshape(df, v->schema, v->name);
				return true;
			}
		}
	}
	return false;
}

/*
 * An ALTER COLUMN drops and sets its default in one place; when the old
 * default calls something that goes away (a function dropped to be made
 * again), the DROP DEFAULT must come before that and the SET DEFAULT after
 * its replacement: the default becomes two ops of its own.
 */
static bool split_defaults(differ *df)
{
	bool any = false;

	for (size_t i = 0; i < df->phases[P_ALTER_TABLE].len; i++) {
		retort_op *op = df->phases[P_ALTER_TABLE].items[i], *d;
		char *key;
		const retort_vec *deps;
		bool hit = false;

		if (op->kind != RETORT_OP_ALTER_COLUMN || op->default_apart || !op->old_column->default_expr)
			continue;
		key = col_key("default", op->old_table, op->old_column->name);
		deps = retort_map_get(&df->from_deps, key);
		for (size_t j = 0; deps && j < deps->len && !hit; j++)
			hit = retort_map_has(&df->gone, deps->items[j]);
		free(key);
		if (!hit)
			continue;
		op->default_apart = any = true;
		d = retort__diff_emit(df, P_DROP_CONSTRAINT, RETORT_OP_DROP_DEFAULT);
		d->table = op->old_table;
		d->column = op->old_column;
		if (op->column->default_expr) {
			d = retort__diff_emit(df, P_ADD_CONSTRAINT, RETORT_OP_SET_DEFAULT);
			d->table = op->table;
			d->column = op->column;
		}
	}
	return any;
}

bool retort__diff_closure(differ *df)
{
	bool any = false, again = true;

	while (again) {
		retort_vec todo = RETORT_VEC_INIT;

		again = false;
		collect_gone(df);
		for (size_t i = 0; i < df->gone.len; i++) {
			const char *key = df->gone.keys[i];
			const retort_vec *users = retort_map_get(&df->from_users, key);
			for (size_t j = 0; users && j < users->len; j++) {
				const char *u = users->items[j];
				/* A retyped column: PostgreSQL rebuilds its defaults, constraints and indexes itself. */
				if (starts(key, "column:") && (starts(u, "default:") || starts(u, "constraint:") || starts(u, "index:")))
					continue;
				if (!retort_map_has(&df->gone, u) && !retort__diff_has_str(&todo, u))
					retort_vec_push(&todo, (void *)u);
			}
		}
		for (size_t i = 0; i < todo.len; i++) {
			/* Whether or not it can be made again, it is not looked at twice. */
			retort_map_set(&df->gone, todo.items[i], (void *)1);
			if (force(df, todo.items[i]))
				again = any = true;
		}
		retort_vec_dispose(&todo, false);
		if (split_defaults(df))
			again = any = true;
	}
	return any;
}
