/*
 * diff_tables.c - the diff of tables: one table present on both sides
 * (columns, constraints, indexes, SQLite triggers, the comment), the
 * primary and unique keys other tables' foreign keys lean on, and tables
 * created or dropped in foreign-key order.
 *
 * Columns are matched by name or through a --rename; constraints and
 * indexes by canonical text, so a changed one is a drop and an add.  What
 * a dialect cannot ALTER in place (retort__sdialect.can_alter) turns the
 * table's structural operations into one REBUILD.  This file only appends
 * operations to the differ's phases (diff_core.c); it neither orders
 * phases nor renders SQL.
 */
#include <stdlib.h>
#include <string.h>

#include "base/common.h"
#include "schema/diff_int.h"

static bool has_con(const retort_table *t, const retort_model_constraint *c)
{
	for (size_t i = 0; i < t->constraints.len; i++)
		if (strcmp(((retort_model_constraint *)t->constraints.items[i])->canon, c->canon) == 0)
			return true;
	return false;
}

static bool has_index(const retort_table *t, const retort_index *x)
{
	for (size_t i = 0; i < t->indexes.len; i++)
		if (strcmp(((retort_index *)t->indexes.items[i])->canon, x->canon) == 0)
			return true;
	return false;
}

/* Everything but the name and the comment, which have their own ops. */
static bool column_shape_equal(const retort_model_column *a, const retort_model_column *b)
{
	return retort__streq(a->type, b->type) && a->notnull == b->notnull &&
		retort__streq(a->default_expr, b->default_expr) && a->identity == b->identity &&
		a->autoincrement == b->autoincrement && retort__streq(a->generated, b->generated) &&
		a->gen_stored == b->gen_stored && retort__streq(a->collation, b->collation) &&
		retort__streq(a->collation_schema, b->collation_schema);
}

/* --- one table present on both sides ------------------------------------------- */

typedef struct pending {
	enum phase phase;
	retort_op *op;
} pending;

/* What one table's diff collects before deciding between ALTERs and a rebuild. */
typedef struct tdiff {
	differ *df;
	const retort_table *old, *t;
	retort_vec list;     /* pending * */
	retort_vec dropped;  /* retort_model_column * of old */
	retort_vec added;    /* retort_model_column * of t */
} tdiff;

static retort_op *pend(tdiff *td, enum phase p, retort_op_kind kind, const retort_table *t)
{
	pending *pe = retort__malloc(sizeof(*pe));

	pe->phase = p;
	pe->op = retort__op_new(kind);
	pe->op->table = t;
	pe->op->old_table = td->old;
	retort_vec_push(&td->list, pe);
	return pe->op;
}

static bool structural(retort_op_kind k)
{
	return k == RETORT_OP_ADD_COLUMN || k == RETORT_OP_DROP_COLUMN || k == RETORT_OP_ALTER_COLUMN ||
		k == RETORT_OP_RENAME_COLUMN || k == RETORT_OP_ADD_CONSTRAINT || k == RETORT_OP_DROP_CONSTRAINT;
}

/* The sequence `m` has owned by table.column (serial), if any. */
static const retort_sequence *owned_sequence(const retort_model *m, const retort_table *t, const char *column)
{
	char *key = retort__sprintf("%s.%s.%s", t->schema ? t->schema : "", t->name, column);
	const retort_sequence *found = NULL;

	for (size_t i = 0; i < m->sequences.len && !found; i++) {
		const retort_sequence *s = m->sequences.items[i];
		if (s->owned_by && strcmp(s->owned_by, key) == 0)
			found = s;
	}
	free(key);
	return found;
}

/*
 * A column switching between serial and identity: both want the sequence
 * name table_column_seq, so the old sequence must go right after its
 * default and before the identity is added, and the new one must come
 * right after the identity is dropped.  The ALTER_COLUMN op does it; the
 * sequence diff leaves those two alone.
 */
static void owned_sequences(differ *df, retort_op *op, const retort_table *old, const retort_table *t)
{
	const retort_sequence *before = owned_sequence(df->from, old, op->old_column->name);
	const retort_sequence *after = owned_sequence(df->to, t, op->column->name);
	char *q;

	if (before && !retort_model_sequence(df->to, before->schema, before->name)) {
		op->seq_drop = before;
		q = retort__qualname(before->schema, before->name);
		retort_map_set(&df->seq_done, q, (void *)1);
		free(q);
	}
	if (after && !retort_model_sequence(df->from, after->schema, after->name)) {
		op->seq_create = after;
		q = retort__qualname(after->schema, after->name);
		retort_map_set(&df->seq_done, q, (void *)1);
		free(q);
	}
}

static void add_column(tdiff *td, const retort_model_column *c)
{
	retort_op *op = pend(td, P_ALTER_TABLE, RETORT_OP_ADD_COLUMN, td->t);

	op->column = c;
	if (c->comment)
		pend(td, P_LATE, RETORT_OP_COMMENT_COLUMN, td->t)->column = c;
}

static void drop_column(tdiff *td, const retort_model_column *oc)
{
	retort_op *op = pend(td, P_ALTER_TABLE, RETORT_OP_DROP_COLUMN, td->old);

	op->column = oc;
	op->destructive = true;
}

/* A column on both sides (oc renamed to c or not): alter what differs. */
static void diff_column(tdiff *td, const retort_model_column *oc, const retort_model_column *c)
{
	if (!column_shape_equal(oc, c)) {
		/* A generation expression cannot be altered in place anywhere. */
		if (!retort__streq(oc->generated, c->generated) || oc->gen_stored != c->gen_stored) {
			drop_column(td, oc);
			add_column(td, c);
			return;
		}
		retort_op *op = pend(td, P_ALTER_TABLE, RETORT_OP_ALTER_COLUMN, td->t);
		op->column = c;
		op->old_column = oc;
		/* A type change converts values, which may lose some; a widening loses none. */
		op->destructive = !retort__type_widens(td->df->to->dialect, oc->type, c->type);
		owned_sequences(td->df, op, td->old, td->t);
	}
	if (!retort__streq(oc->comment, c->comment))
		pend(td, P_LATE, RETORT_OP_COMMENT_COLUMN, td->t)->column = c;
}

/* Columns: matched by name, or through a rename; the rest dropped or added. */
static int diff_columns(tdiff *td)
{
	differ *df = td->df;
	const retort_table *old = td->old, *t = td->t;

	/*
	 * A PostgreSQL table that becomes a partition takes its parent's
	 * columns as they are (ATTACH refuses others), and one detached keeps
	 * them as its own: a partition's model lists only columns of its own.
	 */
	if (!old->parent != !t->parent)
		return 0;

	for (size_t i = 0; i < t->columns.len; i++) {
		retort_model_column *c = t->columns.items[i];
		const char *from_name = retort__diff_renamed_from(df, t, c->name);
		retort_model_column *oc;

		if (from_name) {
			retort_op *op;
			oc = retort_table_column(old, from_name);
			if (!oc || retort_table_column(old, c->name) || retort_table_column(t, from_name))
				return retort__error_set(RETORT_ERROR_USAGE,
					"cannot rename '%s.%s' to '%s': the old column must exist only before and the new one only after",
					t->name, from_name, c->name);
			op = pend(td, P_ALTER_TABLE, RETORT_OP_RENAME_COLUMN, t);
			op->column = c;
			op->old_column = oc;
		} else if (!(oc = retort_table_column(old, c->name))) {
			retort_vec_push(&td->added, c);
			continue;
		}
		diff_column(td, oc, c);
	}
	for (size_t i = 0; i < old->columns.len; i++) {
		retort_model_column *oc = old->columns.items[i];
		bool renamed_away = false;

		for (size_t j = 0; j < t->columns.len; j++) {
			const char *from = retort__diff_renamed_from(df, t, ((retort_model_column *)t->columns.items[j])->name);
			if (from && strcmp(from, oc->name) == 0)
				renamed_away = true;
		}
		if (!renamed_away && !retort_table_column(t, oc->name))
			retort_vec_push(&td->dropped, oc);
	}
	for (size_t i = 0; i < td->dropped.len; i++) {
		retort_model_column *oc = td->dropped.items[i];
		drop_column(td, oc);
		for (size_t j = 0; j < td->added.len; j++) {
			retort_model_column *c = td->added.items[j];
			if (strcmp(c->type, oc->type) == 0)
				retort_vec_push(&df->d->notes, retort__sprintf(
					"possible rename: column '%s' dropped and '%s' added in table '%s' (both %s); "
					"use --rename %s.%s=%s to rename instead", oc->name, c->name, t->name, c->type,
					t->name, oc->name, c->name));
		}
	}
	for (size_t i = 0; i < td->added.len; i++)
		add_column(td, td->added.items[i]);
	return 0;
}

/* Constraints, indexes and SQLite triggers: by canonical text, so a change is drop + add. */
static void diff_parts(tdiff *td)
{
	const retort_table *old = td->old, *t = td->t;

	for (size_t i = 0; i < old->constraints.len; i++) {
		retort_model_constraint *c = old->constraints.items[i];
		if (!has_con(t, c))
			pend(td, c->kind == RETORT_CON_FOREIGN ? P_DROP_FK : P_DROP_CONSTRAINT,
				RETORT_OP_DROP_CONSTRAINT, old)->constraint = c;
	}
	for (size_t i = 0; i < t->constraints.len; i++) {
		retort_model_constraint *c = t->constraints.items[i];
		if (!has_con(old, c))
			pend(td, c->kind == RETORT_CON_FOREIGN ? P_ADD_FK : P_ADD_CONSTRAINT,
				RETORT_OP_ADD_CONSTRAINT, t)->constraint = c;
	}
	for (size_t i = 0; i < old->indexes.len; i++) {
		retort_index *x = old->indexes.items[i];
		if (!has_index(t, x))
			pend(td, P_DROP_INDEX, RETORT_OP_DROP_INDEX, old)->index = x;
	}
	for (size_t i = 0; i < t->indexes.len; i++) {
		retort_index *x = t->indexes.items[i];
		if (!has_index(old, x))
			pend(td, P_CREATE_INDEX, RETORT_OP_CREATE_INDEX, t)->index = x;
	}
	for (size_t i = 0; i < old->triggers.len; i++)
		if (!retort__diff_has_str(&t->triggers, old->triggers.items[i]))
			pend(td, P_DROP_TRIGGER, RETORT_OP_DROP_TRIGGER, old)->trigger = old->triggers.items[i];
	for (size_t i = 0; i < t->triggers.len; i++)
		if (!retort__diff_has_str(&old->triggers, t->triggers.items[i]))
			pend(td, P_CREATE_TRIGGER, RETORT_OP_CREATE_TRIGGER, t)->trigger = t->triggers.items[i];
	if (!retort__streq(old->comment, t->comment))
		pend(td, P_LATE, RETORT_OP_COMMENT_TABLE, t);
}

/*
 * Hand the pending ops to their phases, or, when one of them cannot be done
 * in place (or the table's storage changes), replace every structural,
 * index and trigger op by one move-and-copy batch.
 */
static void settle(tdiff *td)
{
	differ *df = td->df;
	const retort_table *old = td->old, *t = td->t;
	bool rebuild = old->without_rowid != t->without_rowid || old->strict != t->strict;

	for (size_t i = 0; i < td->list.len && !rebuild; i++) {
		pending *pe = td->list.items[i];
		if (structural(pe->op->kind) && !df->sd->can_alter(pe->op))
			rebuild = true;
	}
	if (rebuild) {
		retort_op *op = retort__diff_emit(df, P_REBUILD, RETORT_OP_REBUILD_TABLE);
		op->table = t;
		op->old_table = old;
		for (size_t i = 0; i < t->columns.len; i++) {
			retort_model_column *c = t->columns.items[i];
			const char *from = retort__diff_renamed_from(df, t, c->name);
			if (c->generated)
				continue;
			if (!from && retort_table_column(old, c->name))
				from = c->name;
			if (from && !retort_table_column(old, from)->generated) {
				retort__strvec_add(&op->copy_to, c->name);
				retort__strvec_add(&op->copy_from, from);
			}
		}
		op->destructive = td->dropped.len > 0;
	}
	for (size_t i = 0; i < td->list.len; i++) {
		pending *pe = td->list.items[i];
		retort_op_kind k = pe->op->kind;
		if (rebuild || k == RETORT_OP_DROP_COLUMN || k == RETORT_OP_ALTER_COLUMN || k == RETORT_OP_RENAME_COLUMN)
			retort__diff_reshape(df, t->schema, t->name);
		if (rebuild && (structural(k) || k == RETORT_OP_CREATE_INDEX || k == RETORT_OP_DROP_INDEX ||
			k == RETORT_OP_CREATE_TRIGGER || k == RETORT_OP_DROP_TRIGGER))
			retort__op_free(pe->op);
		else
			retort_vec_push(&df->phases[pe->phase], pe->op);
		free(pe);
	}
	if (td->list.len || rebuild)
		retort__diff_touch(df, t->schema, t->name);
	retort_vec_clear(&td->list);
}

int retort__diff_table(differ *df, const retort_table *old, const retort_table *t)
{
	tdiff td = { .df = df, .old = old, .t = t };
	int error;

	if ((error = diff_columns(&td)) == 0) {
		diff_parts(&td);
		settle(&td);
	}
	for (size_t i = 0; i < td.list.len; i++) {
		retort__op_free(((pending *)td.list.items[i])->op);
		free(td.list.items[i]);
	}
	retort_vec_dispose(&td.list, false);
	retort_vec_dispose(&td.dropped, false);
	retort_vec_dispose(&td.added, false);
	return error;
}

/*
 * A primary or unique key that is dropped (or changed, which is a drop and
 * an add) cannot go while a foreign key of another surviving table leans
 * on it, even when that foreign key itself does not change: drop such keys
 * first and add them back after.
 */
void retort__diff_dependent_fks(differ *df)
{
	const retort_vec *drops = &df->phases[P_DROP_CONSTRAINT];
	size_t ndrops = drops->len;

	if (!df->sd->named_constraints)
		return;
	for (size_t i = 0; i < ndrops; i++) {
		const retort_op *drop = drops->items[i];
		const retort_model_constraint *key = drop->constraint;
		if (!key || (key->kind != RETORT_CON_PRIMARY && key->kind != RETORT_CON_UNIQUE))
			continue;
		for (size_t j = 0; j < df->from->tables.len; j++) {
			const retort_table *ft = df->from->tables.items[j];
			const retort_table *tt = retort_model_table(df->to, ft->schema, ft->name);
			if (!tt)
				continue; /* dropped before the key goes */
			for (size_t k = 0; k < ft->constraints.len; k++) {
				const retort_model_constraint *fk = ft->constraints.items[k];
				bool same_cols = fk->ref_columns.len == key->columns.len;
				retort_op *op;
				for (size_t c = 0; same_cols && c < key->columns.len; c++)
					same_cols = strcmp(fk->ref_columns.items[c], key->columns.items[c]) == 0;
				if (fk->kind != RETORT_CON_FOREIGN || !retort__streq(fk->ref_schema, drop->table->schema) ||
					strcmp(fk->ref_table, drop->table->name) != 0 ||
					!(same_cols || (!fk->ref_columns.len && key->kind == RETORT_CON_PRIMARY)) ||
					!has_con(tt, fk))
					continue; /* not leaning on it, or dropped anyway */
				op = retort__diff_emit(df, P_DROP_FK, RETORT_OP_DROP_CONSTRAINT);
				op->table = op->old_table = ft;
				op->constraint = fk;
				for (size_t c = 0; c < tt->constraints.len; c++)
					if (strcmp(((retort_model_constraint *)tt->constraints.items[c])->canon, fk->canon) == 0) {
						op = retort__diff_emit(df, P_ADD_FK, RETORT_OP_ADD_CONSTRAINT);
						op->table = tt;
						op->old_table = ft;
						op->constraint = tt->constraints.items[c];
					}
			}
		}
	}
}

/* --- tables created or dropped: dependency order ------------------------------ */

typedef struct topo {
	const retort_model *m;
	retort_map state;       /* qualname -> 1 visiting, 2 done */
	const retort_vec *set;  /* tables in play */
	retort_vec order;
	retort_vec back_edges;  /* retort_model_constraint * closing a cycle */
} topo;

static void topo_visit(topo *tp, const retort_table *t)
{
	char *q = retort__qualname(t->schema, t->name);
	void *st = retort_map_get(&tp->state, q);

	if (st) {
		free(q);
		return;
	}
	retort_map_set(&tp->state, q, (void *)1);
	for (size_t i = 0; i < t->constraints.len; i++) {
		retort_model_constraint *c = t->constraints.items[i];
		retort_table *ref;
		char *rq;

		if (c->kind != RETORT_CON_FOREIGN)
			continue;
		ref = retort_model_table(tp->m, c->ref_schema, c->ref_table);
		if (!ref || ref == t || !retort_vec_contains(tp->set, ref))
			continue;
		rq = retort__qualname(ref->schema, ref->name);
		if (retort_map_get(&tp->state, rq) == (void *)1)
			retort_vec_push(&tp->back_edges, c);
		else
			topo_visit(tp, ref);
		free(rq);
	}
	retort_map_set(&tp->state, q, (void *)2);
	retort_vec_push(&tp->order, (void *)t);
	free(q);
}

static void topo_sort(topo *tp, const retort_model *m, const retort_vec *set)
{
	memset(tp, 0, sizeof(*tp));
	tp->m = m;
	tp->set = set;
	for (size_t i = 0; i < set->len; i++)
		topo_visit(tp, set->items[i]);
}

static void topo_dispose(topo *tp)
{
	retort_map_dispose(&tp->state, false);
	retort_vec_dispose(&tp->order, false);
	retort_vec_dispose(&tp->back_edges, false);
}

/* Drops: referencing tables before the tables they reference. */
static void drop_tables(differ *df, const retort_vec *removed)
{
	topo tp;

	topo_sort(&tp, df->from, removed);
	if (df->sd->named_constraints) {
		for (size_t i = 0; i < tp.back_edges.len; i++) {
			retort_model_constraint *c = tp.back_edges.items[i];
			for (size_t j = 0; j < removed->len; j++) {
				retort_table *t = removed->items[j];
				if (retort_vec_contains(&t->constraints, c)) {
					retort_op *op = retort__diff_emit(df, P_DROP_FK, RETORT_OP_DROP_CONSTRAINT);
					op->table = op->old_table = t;
					op->constraint = c;
				}
			}
		}
	}
	for (size_t i = tp.order.len; i-- > 0;) {
		retort_op *op = retort__diff_emit(df, P_DROP_TABLE, RETORT_OP_DROP_TABLE);
		op->table = tp.order.items[i];
		op->destructive = true;
	}
	topo_dispose(&tp);
}

/*
 * Is the key a foreign key references held by a primary key or a unique
 * constraint of `to`'s table?  When only a unique index holds it, the
 * index comes later than CREATE TABLE, and so must the foreign key.
 */
static bool key_is_constraint(differ *df, const retort_model_constraint *fk)
{
	const retort_table *rt = retort_model_table(df->to, fk->ref_schema, fk->ref_table);

	if (!fk->ref_columns.len || !rt)
		return true;
	for (size_t i = 0; i < rt->constraints.len; i++) {
		const retort_model_constraint *c = rt->constraints.items[i];
		bool same = (c->kind == RETORT_CON_PRIMARY || c->kind == RETORT_CON_UNIQUE) &&
			c->columns.len == fk->ref_columns.len;
		for (size_t j = 0; same && j < fk->ref_columns.len; j++)
			same = retort__diff_has_str(&c->columns, fk->ref_columns.items[j]);
		if (same)
			return true;
	}
	return false;
}

/* What a new table brings along: keys added later, indexes, triggers, comments. */
static void create_table(differ *df, const retort_table *t, const topo *tp)
{
	retort_op *op = retort__diff_emit(df, P_CREATE_TABLE, RETORT_OP_CREATE_TABLE);

	op->table = t;
	for (size_t j = 0; j < t->constraints.len && !df->sd->fk_forward_refs; j++) {
		retort_model_constraint *c = t->constraints.items[j];
		char *rq;
		bool later;

		if (c->kind != RETORT_CON_FOREIGN)
			continue;
		rq = retort__qualname(c->ref_schema, c->ref_table);
		/* An existing table that changes may gain the key only later. */
		later = retort_vec_contains(&tp->back_edges, c) ||
			(retort_model_table(df->from, c->ref_schema, c->ref_table) && retort__diff_is_touched(df, rq)) ||
			!key_is_constraint(df, c);
		free(rq);
		if (later) {
			retort_op *add = retort__diff_emit(df, P_ADD_FK, RETORT_OP_ADD_CONSTRAINT);
			retort_vec_push(&op->omit_fks, c);
			add->table = t;
			add->constraint = c;
		}
	}
	for (size_t j = 0; j < t->indexes.len; j++) {
		retort_op *ix = retort__diff_emit(df, P_CREATE_INDEX, RETORT_OP_CREATE_INDEX);
		ix->table = t;
		ix->index = t->indexes.items[j];
	}
	for (size_t j = 0; j < t->triggers.len; j++) {
		retort_op *tr = retort__diff_emit(df, P_CREATE_TRIGGER, RETORT_OP_CREATE_TRIGGER);
		tr->table = t;
		tr->trigger = t->triggers.items[j];
	}
	if (t->comment)
		retort__diff_emit(df, P_LATE, RETORT_OP_COMMENT_TABLE)->table = t;
	for (size_t j = 0; j < t->columns.len; j++) {
		retort_model_column *c = t->columns.items[j];
		if (c->comment) {
			retort_op *cm = retort__diff_emit(df, P_LATE, RETORT_OP_COMMENT_COLUMN);
			cm->table = t;
			cm->column = c;
		}
	}
}

void retort__diff_tables(differ *df)
{
	retort_vec created = RETORT_VEC_INIT, removed = RETORT_VEC_INIT;
	topo tp;

	for (size_t i = 0; i < df->from->tables.len; i++) {
		retort_table *t = df->from->tables.items[i];
		if (!retort_model_table(df->to, t->schema, t->name)) {
			retort_vec_push(&removed, t);
			retort__diff_reshape(df, t->schema, t->name);
		}
	}
	for (size_t i = 0; i < df->to->tables.len; i++) {
		retort_table *t = df->to->tables.items[i];
		if (!retort_model_table(df->from, t->schema, t->name))
			retort_vec_push(&created, t);
	}
	drop_tables(df, &removed);
	/* Creates: referenced tables first; a key closing a cycle comes later. */
	topo_sort(&tp, df->to, &created);
	for (size_t i = 0; i < tp.order.len; i++)
		create_table(df, tp.order.items[i], &tp);
	topo_dispose(&tp);
	retort_vec_dispose(&created, false);
	retort_vec_dispose(&removed, false);
}
