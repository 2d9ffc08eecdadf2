/*
 * diff_objects.c - the diff of everything around tables: views (recreated
 * when they or anything they read changes, dependents dropped first and
 * created last), PostgreSQL schemas, enum types (labels added in place,
 * otherwise the type is replaced) and sequences.  Like every family file
 * it only appends operations through diff_core.c.
 */
#include <stdlib.h>
#include <string.h>

#include "base/common.h"
#include "schema/diff_int.h"

/* --- views: recreated when they or anything they read changes ----------------- */

static bool view_depends_on_touched(differ *df, const retort_view *v)
{
	char *key = retort_pg_key(NULL, v->schema, v->name);
	const retort_vec *deps = retort_map_get(&df->from_deps, key);
	bool hit = false;

	hit = retort__diff_is_reshaped(df, key);
	free(key);
	for (size_t i = 0; i < v->depends.len && !hit; i++)
		hit = retort__diff_is_reshaped(df, v->depends.items[i]);
	for (size_t i = 0; deps && i < deps->len && !hit; i++)
		hit = retort_map_has(&df->gone, deps->items[i]);
	return hit;
}

/*
 * SQLite's triggers on views (INSTEAD OF): a view made again gets all of
 * its own back after it (DROP VIEW took them); a view kept has those that
 * changed dropped and created.
 */
static void diff_view_triggers(differ *df, const retort_vec *created)
{
	for (size_t i = 0; i < df->to->views.len; i++) {
		retort_view *v = df->to->views.items[i];
		retort_view *old = retort_model_view(df->from, v->schema, v->name);
		bool made = retort_vec_contains(created, v);

		for (size_t j = 0; old && !made && j < old->triggers.len; j++)
			if (!retort__diff_has_str(&v->triggers, old->triggers.items[j])) {
				retort_op *op = retort__diff_emit(df, P_DROP_TRIGGER, RETORT_OP_DROP_TRIGGER);
				op->view = old;
				op->trigger = old->triggers.items[j];
			}
		for (size_t j = 0; j < v->triggers.len; j++)
			if (made || !old || !retort__diff_has_str(&old->triggers, v->triggers.items[j])) {
				retort_op *op = retort__diff_emit(df, P_CREATE_TRIGGER, RETORT_OP_CREATE_TRIGGER);
				op->view = v;
				op->trigger = v->triggers.items[j];
			}
	}
}

/* Anything but the comment and the indexes. */
static bool view_same(const retort_view *a, const retort_view *b)
{
	return retort__streq(a->definition, b->definition) && a->materialized == b->materialized &&
		(!a->materialized || a->with_data == b->with_data);
}

bool retort__diff_views_mark(differ *df)
{
	bool again = true, any = false;

	/* Fixed point: a view over a recreated view is recreated too. */
	while (again) {
		again = false;
		for (size_t i = 0; i < df->from->views.len; i++) {
			retort_view *v = df->from->views.items[i];
			retort_view *nv = retort_model_view(df->to, v->schema, v->name);
			char *q;

			if (retort_vec_contains(&df->view_drops, v))
				continue;
			if (nv && view_same(v, nv) && !view_depends_on_touched(df, v))
				continue;
			retort_vec_push(&df->view_drops, v);
			retort__diff_reshape(df, v->schema, v->name);
			q = retort__qualname(v->schema, v->name);
			retort_map_set(&df->gone, q, (void *)1);
			free(q);
			again = any = true;
		}
	}
	return any;
}

/* Dependents first (reversed for drops, which want them first). */
static void order_views(retort_vec *ordered, const retort_vec *set)
{
	while (ordered->len < set->len) {
		size_t before = ordered->len;
		for (size_t i = 0; i < set->len; i++) {
			retort_view *v = set->items[i];
			bool ready = true;
			if (retort_vec_contains(ordered, v))
				continue;
			for (size_t j = 0; j < set->len && ready; j++) {
				retort_view *w = set->items[j];
				char *q = retort__qualname(w->schema, w->name);
				if (w != v && !retort_vec_contains(ordered, w) && retort__diff_has_str(&v->depends, q))
					ready = false;
				free(q);
			}
			if (ready)
				retort_vec_push(ordered, v);
		}
		if (ordered->len == before) /* a cycle cannot happen; take the rest as is */
			for (size_t i = 0; i < set->len; i++)
				if (!retort_vec_contains(ordered, set->items[i]))
					retort_vec_push(ordered, set->items[i]);
	}
}

static void comment_index(differ *df, const retort_view *v, const retort_index *x)
{
	retort_op *op = retort__diff_comment(df, "INDEX", x->comment);

	op->view = v;
	op->index = x;
}

static void create_view(differ *df, const retort_view *v)
{
	retort__diff_emit(df, P_CREATE_VIEW, RETORT_OP_CREATE_VIEW)->view = v;
	for (size_t j = 0; j < v->indexes.len; j++) {
		const retort_index *x = v->indexes.items[j];
		retort_op *op = retort__diff_emit(df, P_CREATE_VIEW, RETORT_OP_CREATE_INDEX);
		op->view = v;
		op->index = x;
		if (x->comment)
			comment_index(df, v, x);
	}
	if (v->comment)
		retort__diff_emit(df, P_LATE, RETORT_OP_COMMENT_VIEW)->view = v;
}

static bool has_view_index(const retort_view *v, const retort_index *x)
{
	for (size_t i = 0; i < v->indexes.len; i++)
		if (strcmp(((retort_index *)v->indexes.items[i])->canon, x->canon) == 0)
			return true;
	return false;
}

/* A materialized view kept as it is: its indexes and comments. */
static void diff_kept_view(differ *df, const retort_view *old, const retort_view *v)
{
	for (size_t i = 0; i < old->indexes.len; i++) {
		const retort_index *x = old->indexes.items[i];
		if (!has_view_index(v, x)) {
			retort_op *op = retort__diff_emit(df, P_DROP_INDEX, RETORT_OP_DROP_INDEX);
			op->view = old;
			op->index = x;
		}
	}
	for (size_t i = 0; i < v->indexes.len; i++) {
		const retort_index *x = v->indexes.items[i];
		if (!has_view_index(old, x)) {
			retort_op *op = retort__diff_emit(df, P_CREATE_INDEX, RETORT_OP_CREATE_INDEX);
			op->view = v;
			op->index = x;
			if (x->comment)
				comment_index(df, v, x);
		} else {
			for (size_t j = 0; j < old->indexes.len; j++) {
				const retort_index *o = old->indexes.items[j];
				if (strcmp(o->canon, x->canon) == 0 && !retort__streq(o->comment, x->comment))
					comment_index(df, v, x);
			}
		}
	}
	if (!retort__streq(old->comment, v->comment))
		retort__diff_emit(df, P_LATE, RETORT_OP_COMMENT_VIEW)->view = v;
}

void retort__diff_views_emit(differ *df)
{
	retort_vec create = RETORT_VEC_INIT, ordered = RETORT_VEC_INIT;

	for (size_t i = 0; i < df->to->views.len; i++) {
		retort_view *v = df->to->views.items[i];
		char *q = retort__qualname(v->schema, v->name);
		if (!retort_model_view(df->from, v->schema, v->name) || retort__diff_is_reshaped(df, q))
			retort_vec_push(&create, v);
		free(q);
	}
	order_views(&ordered, &df->view_drops);
	for (size_t i = ordered.len; i-- > 0;)
		retort__diff_emit(df, P_DROP_VIEW, RETORT_OP_DROP_VIEW)->view = ordered.items[i];
	retort_vec_clear(&ordered);
	order_views(&ordered, &create);
	for (size_t i = 0; i < ordered.len; i++)
		create_view(df, ordered.items[i]);
	/* Views kept as they are. */
	for (size_t i = 0; i < df->to->views.len; i++) {
		retort_view *v = df->to->views.items[i];
		retort_view *old = retort_model_view(df->from, v->schema, v->name);
		if (old && !retort_vec_contains(&create, v))
			diff_kept_view(df, old, v);
	}
	diff_view_triggers(df, &create);
	retort_vec_dispose(&ordered, false);
	retort_vec_dispose(&create, false);
}

/* --- schemas, types, sequences ------------------------------------------------- */

void retort__diff_namespaces(differ *df)
{
	for (size_t i = 0; i < df->to->schemas.len; i++)
		if (!retort__diff_has_str(&df->from->schemas, df->to->schemas.items[i]))
			retort__diff_emit(df, P_CREATE_SCHEMA, RETORT_OP_CREATE_SCHEMA)->schema = df->to->schemas.items[i];
	for (size_t i = df->from->schemas.len; i-- > 0;)
		if (!retort__diff_has_str(&df->to->schemas, df->from->schemas.items[i])) {
			retort_op *op = retort__diff_emit(df, P_DROP_SCHEMA, RETORT_OP_DROP_SCHEMA);
			op->schema = df->from->schemas.items[i];
			op->destructive = true;
		}
	for (size_t i = 0; i < df->to->schemas.len; i++) {
		const char *name = df->to->schemas.items[i];
		const char *comment = retort_model_schema_comment(df->to, name);
		if (!retort__streq(comment, retort_model_schema_comment(df->from, name)))
			retort__diff_comment(df, "SCHEMA", comment)->schema = name;
	}
}

/* Is `a` a subsequence of `b`? */
static bool labels_extend(const retort_vec *a, const retort_vec *b)
{
	size_t j = 0;

	for (size_t i = 0; i < b->len && j < a->len; i++)
		if (strcmp(a->items[j], b->items[i]) == 0)
			j++;
	return j == a->len;
}

/*
 * Labels cannot be removed in place: a new type replaces the old one and
 * every column of the old type is converted.
 */
static void replace_enum(differ *df, const retort_enum *e)
{
	retort_op *op = retort__diff_emit(df, P_DROP_VIEW, RETORT_OP_REPLACE_ENUM);

	op->enumtype = e;
	op->destructive = true;
	for (size_t j = 0; j < df->from->tables.len; j++) {
		retort_table *t = df->from->tables.items[j];
		for (size_t k = 0; k < t->columns.len; k++) {
			retort_model_column *c = t->columns.items[k];
			retort_table *nt = retort_model_table(df->to, t->schema, t->name);
			retort_model_column *nc;
			/*
			 * Only a column that stays of this type is converted.  One that
			 * goes, with its table or alone, or takes another type has its
			 * own operation, which diff_order.c puts before this one (it
			 * removes what depends on the old type).
			 */
			if (!nt || !retort_pg_type_is(c->type, e->schema, e->name))
				continue;
			nc = retort_table_column(nt, retort__diff_renamed_to(df, t, c->name));
			if (nc && retort_pg_type_is(nc->type, e->schema, e->name)) {
				retort_vec_push(&op->uses, t);
				retort_vec_push(&op->uses, c);
				retort_vec_push(&op->uses, nc);
			}
		}
	}
}

void retort__diff_enums(differ *df)
{
	for (size_t i = 0; i < df->to->enums.len; i++) {
		retort_enum *e = df->to->enums.items[i];
		retort_enum *old = retort_model_enum(df->from, e->schema, e->name);
		bool fresh = !old || !labels_extend(&old->labels, &e->labels); /* created or replaced */

		if ((fresh && e->comment) || (!fresh && !retort__streq(old->comment, e->comment)))
			retort__diff_emit(df, P_LATE, RETORT_OP_COMMENT_TYPE)->enumtype = e;
		if (!old) {
			retort__diff_emit(df, P_CREATE_ENUM, RETORT_OP_CREATE_ENUM)->enumtype = e;
			continue;
		}
		if (labels_extend(&old->labels, &e->labels)) {
			for (size_t j = 0; j < e->labels.len; j++) {
				retort_op *op;
				if (retort__diff_has_str(&old->labels, e->labels.items[j]))
					continue;
				op = retort__diff_emit(df, P_CREATE_ENUM, RETORT_OP_ADD_ENUM_VALUE);
				op->enumtype = e;
				op->label = e->labels.items[j];
				/* Before the next label that already exists. */
				for (size_t k = j + 1; k < e->labels.len && !op->label_before; k++)
					if (retort__diff_has_str(&old->labels, e->labels.items[k]))
						op->label_before = e->labels.items[k];
			}
		} else {
			replace_enum(df, e);
		}
	}
	for (size_t i = 0; i < df->from->enums.len; i++) {
		retort_enum *e = df->from->enums.items[i];
		if (!retort_model_enum(df->to, e->schema, e->name)) {
			retort_op *op = retort__diff_emit(df, P_DROP_ENUM, RETORT_OP_DROP_ENUM);
			op->enumtype = e;
			op->destructive = true;
		}
	}
}

/* --- enum labels used where they are added -------------------------------------- */

/* Does `text` hold the label as the server prints a constant of the type ('x'::mood)? */
static bool mentions(const char *text, const char *literal, const retort_enum *e)
{
	for (const char *p = text ? strstr(text, literal) : NULL; p; p = strstr(p + 1, literal)) {
		const char *t = p + strlen(literal);
		if (*t == '"')
			t++;
		if (e->schema && strncmp(t, e->schema, strlen(e->schema)) == 0) {
			t += strlen(e->schema);
			t += *t == '"';
			t += *t == '.';
			t += *t == '"';
		}
		if (strncmp(t, e->name, strlen(e->name)) == 0)
			return true;
	}
	return false;
}

static bool table_mentions(const retort_table *t, const char *literal, const retort_enum *e)
{
	for (size_t i = 0; i < t->columns.len; i++) {
		const retort_model_column *c = t->columns.items[i];
		if (mentions(c->default_expr, literal, e) || mentions(c->generated, literal, e))
			return true;
	}
	for (size_t i = 0; i < t->constraints.len; i++)
		if (mentions(((retort_model_constraint *)t->constraints.items[i])->pg_def, literal, e))
			return true;
	for (size_t i = 0; i < t->indexes.len; i++)
		if (mentions(((retort_index *)t->indexes.items[i])->definition, literal, e))
			return true;
	return false;
}

/* Does what `op` creates or changes use the label? */
static bool op_mentions(const retort_op *op, const char *literal, const retort_enum *e)
{
	if (op->kind == RETORT_OP_ADD_ENUM_VALUE || op->kind == RETORT_OP_COMMENT)
		return false;
	if (op->kind == RETORT_OP_CREATE_TABLE)
		return table_mentions(op->table, literal, e);
	return (op->column && (mentions(op->column->default_expr, literal, e) || mentions(op->column->generated, literal, e))) ||
		(op->constraint && mentions(op->constraint->pg_def, literal, e)) ||
		(op->index && mentions(op->index->definition, literal, e)) ||
		(op->view && mentions(op->view->definition, literal, e)) ||
		(op->function && mentions(op->function->definition, literal, e)) ||
		(op->pg_trigger && mentions(op->pg_trigger->definition, literal, e)) ||
		(op->policy && (mentions(op->policy->using_expr, literal, e) || mentions(op->policy->check_expr, literal, e))) ||
		(op->domain && mentions(op->domain->default_expr, literal, e));
}

/*
 * A label added with ALTER TYPE ... ADD VALUE cannot be used before the
 * transaction that added it commits (and before PostgreSQL 12 it cannot be
 * added inside one at all).  When the same diff uses a new label - a
 * default, a check, an index, a view or a function that names it - the
 * type is replaced instead, which works inside the revision's transaction.
 */
void retort__diff_enum_values(differ *df)
{
	retort_vec *adds = &df->phases[P_CREATE_ENUM];
	retort_vec replaced = RETORT_VEC_INIT;

	for (size_t i = 0; i < adds->len; i++) {
		const retort_op *add = adds->items[i];
		char *literal;
		bool used = false;

		if (add->kind != RETORT_OP_ADD_ENUM_VALUE || retort_vec_contains(&replaced, add->enumtype))
			continue;
		{
			retort_buf b = RETORT_BUF_INIT;
			retort_buf_putc(&b, '\'');
			for (const char *c = add->label; *c; c++) {
				if (*c == '\'')
					retort_buf_putc(&b, '\'');
				retort_buf_putc(&b, *c);
			}
			retort_buf_puts(&b, "'::");
			literal = retort_buf_detach(&b);
		}
		for (int p = 0; p < P_COUNT && !used; p++)
			for (size_t j = 0; j < df->phases[p].len && !used; j++)
				used = op_mentions(df->phases[p].items[j], literal, add->enumtype);
		free(literal);
		if (used)
			retort_vec_push(&replaced, (void *)add->enumtype);
	}
	for (size_t i = 0; i < replaced.len; i++) {
		size_t k = 0;
		for (size_t j = 0; j < adds->len; j++) {
			retort_op *op = adds->items[j];
			if (op->kind == RETORT_OP_ADD_ENUM_VALUE && op->enumtype == replaced.items[i])
				retort__op_free(op);
			else
				adds->items[k++] = op;
		}
		adds->len = k;
		replace_enum(df, replaced.items[i]);
		/* The new type starts without the old one's comment. */
		if (((const retort_enum *)replaced.items[i])->comment)
			retort__diff_emit(df, P_LATE, RETORT_OP_COMMENT_TYPE)->enumtype = replaced.items[i];
	}
	retort_vec_dispose(&replaced, false);
}

static bool sequence_same(const retort_sequence *a, const retort_sequence *b)
{
	return retort__streq(a->type, b->type) && retort__streq(a->start, b->start) &&
		retort__streq(a->increment, b->increment) && retort__streq(a->min, b->min) &&
		retort__streq(a->max, b->max) && retort__streq(a->cache, b->cache) && a->cycle == b->cycle &&
		retort__streq(a->owned_by, b->owned_by);
}

void retort__diff_sequences(differ *df)
{
	for (size_t i = 0; i < df->to->sequences.len; i++) {
		retort_sequence *s = df->to->sequences.items[i];
		retort_sequence *old = retort_model_sequence(df->from, s->schema, s->name);
		char *q = retort__qualname(s->schema, s->name);
		bool done = retort_map_has(&df->seq_done, q);

		free(q);
		if (!old) {
			if (!done)
				retort__diff_emit(df, P_CREATE_SEQ, RETORT_OP_CREATE_SEQUENCE)->sequence = s;
			if (s->owned_by)
				retort__diff_emit(df, P_LATE, RETORT_OP_ALTER_SEQUENCE)->sequence = s;
		} else if (!sequence_same(old, s)) {
			retort__diff_emit(df, P_LATE, RETORT_OP_ALTER_SEQUENCE)->sequence = s;
		}
		if ((!old && s->comment) || (old && !retort__streq(old->comment, s->comment)))
			retort__diff_comment(df, "SEQUENCE", s->comment)->sequence = s;
	}
	for (size_t i = 0; i < df->from->sequences.len; i++) {
		retort_sequence *s = df->from->sequences.items[i];
		char *q = retort__qualname(s->schema, s->name);
		bool done = retort_map_has(&df->seq_done, q);

		free(q);
		if (!done && !retort_model_sequence(df->to, s->schema, s->name)) {
			retort_op *op = retort__diff_emit(df, P_DROP_SEQ, RETORT_OP_DROP_SEQUENCE);
			op->sequence = s;
			op->destructive = true;
		}
	}
}
