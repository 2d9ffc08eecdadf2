/*
 * diff_pgtables.c - what PostgreSQL tables have beyond columns, keys and
 * indexes: row-level security switches, logged or not, partitions of a
 * partitioned table (attached and detached), inheritance parents, NOT
 * VALID constraints and their validation, identity sequence options, and
 * comments on constraints and indexes.
 *
 * diff_tables.c has already matched the table's columns, constraints and
 * indexes; this file only adds the operations for these properties, for a
 * table on both sides or a new one.  A constraint that is to stay NOT
 * VALID cannot be written into CREATE TABLE: it is added after.
 */
#include <stdlib.h>
#include <string.h>

#include "base/common.h"
#include "schema/diff_int.h"

static const retort_model_constraint *same_con(const retort_table *t, const retort_model_constraint *c)
{
	for (size_t i = 0; t && i < t->constraints.len; i++) {
		const retort_model_constraint *o = t->constraints.items[i];
		if (strcmp(o->canon, c->canon) == 0)
			return o;
	}
	return NULL;
}

static const retort_index *same_index(const retort_table *t, const retort_index *x)
{
	for (size_t i = 0; t && i < t->indexes.len; i++) {
		const retort_index *o = t->indexes.items[i];
		if (strcmp(o->canon, x->canon) == 0)
			return o;
	}
	return NULL;
}

static retort_op *table_op(differ *df, enum phase p, retort_op_kind kind, const retort_table *old,
	const retort_table *t)
{
	retort_op *op = retort__diff_emit(df, p, kind);

	op->table = t;
	op->old_table = old;
	return op;
}

/* The CREATE TABLE op of a new table. */
static retort_op *create_op(differ *df, const retort_table *t)
{
	const retort_vec *v = &df->phases[P_CREATE_TABLE];

	for (size_t i = 0; i < v->len; i++) {
		retort_op *op = v->items[i];
		if (op->kind == RETORT_OP_CREATE_TABLE && op->table == t)
			return op;
	}
	return NULL;
}

static void comment_con(differ *df, const retort_table *t, const retort_model_constraint *c)
{
	retort_op *op = retort__diff_comment(df, "CONSTRAINT", c->comment);

	op->constraint = c;
	op->table = t;
}

static void constraints(differ *df, const retort_table *old, const retort_table *t)
{
	for (size_t i = 0; i < t->constraints.len; i++) {
		const retort_model_constraint *c = t->constraints.items[i];
		const retort_model_constraint *o = same_con(old, c);

		if (!o) {
			/* A new table gets a NOT VALID constraint after its CREATE. */
			retort_op *create = old ? NULL : create_op(df, t);
			if (c->not_valid && create && !retort_vec_contains(&create->omit_fks, c)) {
				retort_vec_push(&create->omit_fks, (void *)c);
				table_op(df, c->kind == RETORT_CON_FOREIGN ? P_ADD_FK : P_ADD_CONSTRAINT,
					RETORT_OP_ADD_CONSTRAINT, NULL, t)->constraint = c;
			}
			if (c->comment)
				comment_con(df, t, c);
			continue;
		}
		if (o->not_valid && !c->not_valid) {
			table_op(df, P_LATE, RETORT_OP_VALIDATE_CONSTRAINT, old, t)->constraint = c;
		} else if (!o->not_valid && c->not_valid) {
			table_op(df, c->kind == RETORT_CON_FOREIGN ? P_DROP_FK : P_DROP_CONSTRAINT,
				RETORT_OP_DROP_CONSTRAINT, old, old)->constraint = o;
			table_op(df, c->kind == RETORT_CON_FOREIGN ? P_ADD_FK : P_ADD_CONSTRAINT,
				RETORT_OP_ADD_CONSTRAINT, old, t)->constraint = c;
			if (c->comment)
				comment_con(df, t, c);
			continue;
		}
		if (!retort__streq(o->comment, c->comment))
			comment_con(df, t, c);
	}
}

static void indexes(differ *df, const retort_table *old, const retort_table *t)
{
	for (size_t i = 0; i < t->indexes.len; i++) {
		const retort_index *x = t->indexes.items[i];
		const retort_index *o = same_index(old, x);
		if (o ? !retort__streq(o->comment, x->comment) : x->comment != NULL) {
			retort_op *op = retort__diff_comment(df, "INDEX", x->comment);
			op->index = x;
			op->table = t;
		}
	}
}

static bool same_parents(const retort_table *a, const retort_table *b)
{
	if (!retort__streq(a->parent_schema, b->parent_schema) || !retort__streq(a->parent, b->parent) ||
		!retort__streq(a->partition_bound, b->partition_bound))
		return false;
	return true;
}

static bool inherits_from(const retort_table *t, const char *schema, const char *name)
{
	for (size_t i = 0; i + 1 < t->inherits.len; i += 2)
		if (strcmp(t->inherits.items[i], schema) == 0 && strcmp(t->inherits.items[i + 1], name) == 0)
			return true;
	return false;
}

static void inheritance(differ *df, const retort_table *old, const retort_table *t)
{
	if (!same_parents(old, t)) {
		if (old->parent)
			table_op(df, P_DROP_FK, RETORT_OP_DETACH_PARTITION, old, old);
		if (t->parent)
			table_op(df, P_ADD_CONSTRAINT, RETORT_OP_ATTACH_PARTITION, old, t);
	}
	for (size_t i = 0; i + 1 < old->inherits.len; i += 2)
		if (!inherits_from(t, old->inherits.items[i], old->inherits.items[i + 1])) {
			retort_op *op = table_op(df, P_DROP_FK, RETORT_OP_NO_INHERIT, old, old);
			op->parent_schema = old->inherits.items[i];
			op->parent = old->inherits.items[i + 1];
		}
	for (size_t i = 0; i + 1 < t->inherits.len; i += 2)
		if (!inherits_from(old, t->inherits.items[i], t->inherits.items[i + 1])) {
			retort_op *op = table_op(df, P_ADD_CONSTRAINT, RETORT_OP_INHERIT, old, t);
			op->parent_schema = t->inherits.items[i];
			op->parent = t->inherits.items[i + 1];
		}
}

static void identities(differ *df, const retort_table *old, const retort_table *t)
{
	for (size_t i = 0; i < t->columns.len; i++) {
		const retort_model_column *c = t->columns.items[i];
		const retort_model_column *o = retort_table_column(old, retort__diff_renamed_from(df, t, c->name) ?
			retort__diff_renamed_from(df, t, c->name) : c->name);
		retort_op *op;

		if (!o || !o->identity || !c->identity || retort__streq(o->identity_opts, c->identity_opts))
			continue;
		op = table_op(df, P_LATE, RETORT_OP_ALTER_IDENTITY, old, t);
		op->column = c;
		op->old_column = o;
	}
}

void retort__diff_table_pg(differ *df, const retort_table *old, const retort_table *t)
{
	constraints(df, old, t);
	indexes(df, old, t);
	if (!old) {
		if (t->rls || t->rls_force)
			table_op(df, P_LATE, RETORT_OP_TABLE_RLS, NULL, t);
		return;
	}
	if (old->rls != t->rls || old->rls_force != t->rls_force)
		table_op(df, P_LATE, RETORT_OP_TABLE_RLS, old, t);
	if (old->unlogged != t->unlogged)
		table_op(df, P_ALTER_TABLE, RETORT_OP_SET_LOGGED, old, t);
	inheritance(df, old, t);
	identities(df, old, t);
}
