/*
 * diff.c - compare two schema models and order the operations that turn
 * one into the other.
 *
 * Matching is by name (tables, columns, views, sequences, types) and by
 * canonical text (constraints, indexes), so a changed constraint is a drop
 * and an add.  Ordering is by phase, in the order a database accepts:
 * create what others need first (schemas, types, sequences), take away
 * what blocks a change (views over changed tables, foreign keys, tables -
 * whose keys may lean on a key that goes next -, indexes, constraints),
 * change and create tables, then add constraints,
 * indexes, foreign keys and views back, and drop the leftovers (sequences,
 * types, schemas) last.  Within a phase the models' sorted order makes the
 * output deterministic; new tables are ordered so referenced tables come
 * first, and a foreign key that closes a cycle is added afterwards with
 * ALTER TABLE ... ADD CONSTRAINT (dropped tables: the reverse).
 *
 * This file matches tables and runs the whole diff; views, schemas, enum
 * types and sequences are in diff_objects.c.  It does not render SQL and
 * has no dialect conditionals: what a
 * dialect cannot ALTER in place it says through retort__sdialect.can_alter,
 * and the table becomes one REBUILD operation.
 */
#include <stdlib.h>
#include <string.h>

#include "base/common.h"
#include "schema/diff_int.h"

static retort_op *op_new(retort_op_kind kind)
{
	retort_op *op = retort__calloc(1, sizeof(*op));

	op->kind = kind;
	return op;
}

static void op_free(retort_op *op)
{
	retort_vec_dispose(&op->omit_fks, false);
	retort_vec_dispose(&op->copy_to, true);
	retort_vec_dispose(&op->copy_from, true);
	retort_vec_dispose(&op->uses, false);
	free(op);
}

retort_op *retort__diff_emit(differ *df, enum phase p, retort_op_kind kind)
{
	retort_op *op = op_new(kind);

	retort_vec_push(&df->phases[p], op);
	return op;
}

void retort__diff_touch(differ *df, const char *schema, const char *name)
{
	char *q = retort__qualname(schema, name);

	retort_map_set(&df->touched, q, (void *)1);
	free(q);
}

bool retort__diff_is_touched(differ *df, const char *qualname)
{
	return retort_map_has(&df->touched, qualname);
}

void retort__diff_reshape(differ *df, const char *schema, const char *name)
{
	char *q = retort__qualname(schema, name);

	retort_map_set(&df->touched, q, (void *)1);
	retort_map_set(&df->reshaped, q, (void *)1);
	free(q);
}

bool retort__diff_is_reshaped(differ *df, const char *qualname)
{
	return retort_map_has(&df->reshaped, qualname);
}

/* --- renames --------------------------------------------------------------- */

static void renames_free(retort_vec *v)
{
	for (size_t i = 0; i < v->len; i++) {
		rename *r = v->items[i];
		free(r->schema);
		free(r->table);
		free(r->old);
		free(r->new);
		free(r);
	}
	retort_vec_dispose(v, false);
}

static int rename_parse(rename **out, const char *spec)
{
	const char *eq = strchr(spec, '=');
	const char *dot;
	rename *r;
	char *lhs;

	if (!eq || !eq[1] || eq == spec)
		goto bad;
	lhs = retort__strndup(spec, (size_t)(eq - spec));
	dot = strrchr(lhs, '.');
	if (!dot || dot == lhs || !dot[1]) {
		free(lhs);
		goto bad;
	}
	r = retort__calloc(1, sizeof(*r));
	r->old = retort__strdup(dot + 1);
	r->new = retort__strdup(eq + 1);
	lhs[dot - lhs] = '\0';
	if ((dot = strchr(lhs, '.'))) {
		r->schema = retort__strndup(lhs, (size_t)(dot - lhs));
		r->table = retort__strdup(dot + 1);
	} else {
		r->table = retort__strdup(lhs);
	}
	free(lhs);
	*out = r;
	return 0;
bad:
	return retort__error_set(RETORT_ERROR_USAGE, "malformed rename '%s': expected TABLE.OLD=NEW", spec);
}

void retort_schema_renames_invert(retort_vec *out, const retort_vec *renames)
{
	for (size_t i = 0; renames && i < renames->len; i++) {
		const char *spec = renames->items[i];
		const char *eq = strchr(spec, '=');
		const char *dot;
		char *lhs;

		if (!eq) {
			retort__strvec_add(out, spec);
			continue;
		}
		lhs = retort__strndup(spec, (size_t)(eq - spec));
		dot = strrchr(lhs, '.');
		if (!dot) {
			retort__strvec_add(out, spec);
		} else {
			retort_vec_push(out, retort__sprintf("%.*s.%s=%s", (int)(dot - lhs), lhs, eq + 1, dot + 1));
		}
		free(lhs);
	}
}

/* The old name of to-column `name` in table t, or NULL when not renamed. */
/* The new name of from-column `name` of table t after the renames (itself when not renamed). */
const char *retort__diff_renamed_to(differ *df, const retort_table *t, const char *name)
{
	for (size_t i = 0; i < df->renames.len; i++) {
		rename *r = df->renames.items[i];
		if (strcmp(r->table, t->name) == 0 && (!r->schema || retort__streq(r->schema, t->schema)) &&
			strcmp(r->old, name) == 0)
			return r->new;
	}
	return name;
}

static const char *renamed_from(differ *df, const retort_table *t, const char *name)
{
	for (size_t i = 0; i < df->renames.len; i++) {
		rename *r = df->renames.items[i];
		if (strcmp(r->table, t->name) == 0 && (!r->schema || retort__streq(r->schema, t->schema)) &&
			strcmp(r->new, name) == 0)
			return r->old;
	}
	return NULL;
}

/* --- helpers ----------------------------------------------------------------- */

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

bool retort__diff_has_str(const retort_vec *v, const char *s)
{
	for (size_t i = 0; i < v->len; i++)
		if (strcmp(v->items[i], s) == 0)
			return true;
	return false;
}

/* Everything but the name and the comment, which have their own ops. */
static bool column_shape_equal(const retort_model_column *a, const retort_model_column *b)
{
	return retort__streq(a->type, b->type) && a->notnull == b->notnull &&
		retort__streq(a->default_expr, b->default_expr) && a->identity == b->identity &&
		a->autoincrement == b->autoincrement && retort__streq(a->generated, b->generated) &&
		a->gen_stored == b->gen_stored && retort__streq(a->collation, b->collation);
}

/* --- one table present on both sides ------------------------------------------- */

typedef struct pending {
	enum phase phase;
	retort_op *op;
} pending;

static retort_op *pend(retort_vec *list, enum phase p, retort_op_kind kind, const retort_table *t,
	const retort_table *old)
{
	pending *pe = retort__malloc(sizeof(*pe));

	pe->phase = p;
	pe->op = op_new(kind);
	pe->op->table = t;
	pe->op->old_table = old;
	retort_vec_push(list, pe);
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

static int diff_table(differ *df, const retort_table *old, const retort_table *t)
{
	retort_vec list = RETORT_VEC_INIT, dropped = RETORT_VEC_INIT, added = RETORT_VEC_INIT;
	bool rebuild = false;
	int error = 0;

	/* Columns: matched by name, or through a rename. */
	for (size_t i = 0; i < t->columns.len; i++) {
		retort_model_column *c = t->columns.items[i];
		const char *from_name = renamed_from(df, t, c->name);
		retort_model_column *oc;
		retort_op *op;

		if (from_name) {
			oc = retort_table_column(old, from_name);
			if (!oc || retort_table_column(old, c->name) || retort_table_column(t, from_name)) {
				error = retort__error_set(RETORT_ERROR_USAGE,
					"cannot rename '%s.%s' to '%s': the old column must exist only before and the new one only after",
					t->name, from_name, c->name);
				goto done;
			}
			op = pend(&list, P_ALTER_TABLE, RETORT_OP_RENAME_COLUMN, t, old);
			op->column = c;
			op->old_column = oc;
		} else if (!(oc = retort_table_column(old, c->name))) {
			retort_vec_push(&added, c);
			continue;
		}
		if (!column_shape_equal(oc, c)) {
			/* A generation expression cannot be altered in place anywhere. */
			if (!retort__streq(oc->generated, c->generated) || oc->gen_stored != c->gen_stored) {
				op = pend(&list, P_ALTER_TABLE, RETORT_OP_DROP_COLUMN, old, old);
				op->column = oc;
				op->destructive = true;
				op = pend(&list, P_ALTER_TABLE, RETORT_OP_ADD_COLUMN, t, old);
				op->column = c;
				if (c->comment) {
					op = pend(&list, P_LATE, RETORT_OP_COMMENT_COLUMN, t, old);
					op->column = c;
				}
				continue;
			} else {
				op = pend(&list, P_ALTER_TABLE, RETORT_OP_ALTER_COLUMN, t, old);
				op->column = c;
				op->old_column = oc;
				/* A type change converts values, which may lose some; a widening loses none. */
				op->destructive = !retort__type_widens(df->to->dialect, oc->type, c->type);
				owned_sequences(df, op, old, t);
			}
		}
		if (!retort__streq(oc->comment, c->comment)) {
			op = pend(&list, P_LATE, RETORT_OP_COMMENT_COLUMN, t, old);
			op->column = c;
		}
	}
	for (size_t i = 0; i < old->columns.len; i++) {
		retort_model_column *oc = old->columns.items[i];
		bool renamed_away = false;

		for (size_t j = 0; j < t->columns.len; j++) {
			const char *from = renamed_from(df, t, ((retort_model_column *)t->columns.items[j])->name);
			if (from && strcmp(from, oc->name) == 0)
				renamed_away = true;
		}
		if (!renamed_away && !retort_table_column(t, oc->name))
			retort_vec_push(&dropped, oc);
	}
	for (size_t i = 0; i < dropped.len; i++) {
		retort_model_column *oc = dropped.items[i];
		retort_op *op = pend(&list, P_ALTER_TABLE, RETORT_OP_DROP_COLUMN, old, old);
		op->column = oc;
		op->destructive = true;
		for (size_t j = 0; j < added.len; j++) {
			retort_model_column *c = added.items[j];
			if (strcmp(c->type, oc->type) == 0)
				retort_vec_push(&df->d->notes, retort__sprintf(
					"possible rename: column '%s' dropped and '%s' added in table '%s' (both %s); "
					"use --rename %s.%s=%s to rename instead", oc->name, c->name, t->name, c->type,
					t->name, oc->name, c->name));
		}
	}
	for (size_t i = 0; i < added.len; i++) {
		retort_model_column *c = added.items[i];
		retort_op *op = pend(&list, P_ALTER_TABLE, RETORT_OP_ADD_COLUMN, t, old);
		op->column = c;
		if (c->comment) {
			op = pend(&list, P_LATE, RETORT_OP_COMMENT_COLUMN, t, old);
			op->column = c;
		}
	}

	/* Constraints and indexes: by canonical text, so a change is drop + add. */
	for (size_t i = 0; i < old->constraints.len; i++) {
		retort_model_constraint *c = old->constraints.items[i];
		if (!has_con(t, c)) {
			retort_op *op = pend(&list, c->kind == RETORT_CON_FOREIGN ? P_DROP_FK : P_DROP_CONSTRAINT,
				RETORT_OP_DROP_CONSTRAINT, old, old);
			op->constraint = c;
		}
	}
	for (size_t i = 0; i < t->constraints.len; i++) {
		retort_model_constraint *c = t->constraints.items[i];
		if (!has_con(old, c)) {
			retort_op *op = pend(&list, c->kind == RETORT_CON_FOREIGN ? P_ADD_FK : P_ADD_CONSTRAINT,
				RETORT_OP_ADD_CONSTRAINT, t, old);
			op->constraint = c;
		}
	}
	for (size_t i = 0; i < old->indexes.len; i++) {
		retort_index *x = old->indexes.items[i];
		if (!has_index(t, x))
			pend(&list, P_DROP_INDEX, RETORT_OP_DROP_INDEX, old, old)->index = x;
	}
	for (size_t i = 0; i < t->indexes.len; i++) {
		retort_index *x = t->indexes.items[i];
		if (!has_index(old, x))
			pend(&list, P_CREATE_INDEX, RETORT_OP_CREATE_INDEX, t, old)->index = x;
	}
	for (size_t i = 0; i < old->triggers.len; i++)
		if (!retort__diff_has_str(&t->triggers, old->triggers.items[i]))
			pend(&list, P_DROP_TRIGGER, RETORT_OP_DROP_TRIGGER, old, old)->trigger = old->triggers.items[i];
	for (size_t i = 0; i < t->triggers.len; i++)
		if (!retort__diff_has_str(&old->triggers, t->triggers.items[i]))
			pend(&list, P_CREATE_TRIGGER, RETORT_OP_CREATE_TRIGGER, t, old)->trigger = t->triggers.items[i];
	if (!retort__streq(old->comment, t->comment))
		pend(&list, P_LATE, RETORT_OP_COMMENT_TABLE, t, old);
	if (old->without_rowid != t->without_rowid || old->strict != t->strict)
		rebuild = true;

	for (size_t i = 0; i < list.len && !rebuild; i++) {
		pending *pe = list.items[i];
		if (structural(pe->op->kind) && !df->sd->can_alter(pe->op))
			rebuild = true;
	}
	if (rebuild) {
		/* One move-and-copy batch replaces every structural, index and trigger op. */
		retort_op *op = retort__diff_emit(df, P_REBUILD, RETORT_OP_REBUILD_TABLE);
		op->table = t;
		op->old_table = old;
		for (size_t i = 0; i < t->columns.len; i++) {
			retort_model_column *c = t->columns.items[i];
			const char *from = renamed_from(df, t, c->name);
			if (c->generated)
				continue;
			if (!from && retort_table_column(old, c->name))
				from = c->name;
			if (from && !retort_table_column(old, from)->generated) {
				retort__strvec_add(&op->copy_to, c->name);
				retort__strvec_add(&op->copy_from, from);
			}
		}
		op->destructive = dropped.len > 0;
	}
	for (size_t i = 0; i < list.len; i++) {
		pending *pe = list.items[i];
		retort_op_kind k = pe->op->kind;
		if (rebuild || k == RETORT_OP_DROP_COLUMN || k == RETORT_OP_ALTER_COLUMN || k == RETORT_OP_RENAME_COLUMN)
			retort__diff_reshape(df, t->schema, t->name);
		if (rebuild && (structural(k) || k == RETORT_OP_CREATE_INDEX || k == RETORT_OP_DROP_INDEX ||
			k == RETORT_OP_CREATE_TRIGGER || k == RETORT_OP_DROP_TRIGGER))
			op_free(pe->op);
		else
			retort_vec_push(&df->phases[pe->phase], pe->op);
		free(pe);
	}
	if (list.len || rebuild)
		retort__diff_touch(df, t->schema, t->name);
done:
	if (error) {
		for (size_t i = 0; i < list.len; i++) {
			op_free(((pending *)list.items[i])->op);
			free(list.items[i]);
		}
	}
	retort_vec_dispose(&list, false);
	retort_vec_dispose(&dropped, false);
	retort_vec_dispose(&added, false);
	return error;
}

/*
 * A primary or unique key that is dropped (or changed, which is a drop and
 * an add) cannot go while a foreign key of another surviving table leans
 * on it, even when that foreign key itself does not change: drop such keys
 * first and add them back after.
 */
static void rebuild_dependent_fks(differ *df)
{
	const retort_vec *drops = &df->phases[P_DROP_CONSTRAINT];
	size_t ndrops = drops->len;

	if (!df->sd->named_constraints)
		return;
	for (size_t i = 0; i < ndrops; i++) {
		const retort_op *drop = drops->items[i];
		const retort_model_constraint *key = drop->constraint;
		if (key->kind != RETORT_CON_PRIMARY && key->kind != RETORT_CON_UNIQUE)
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

static bool in_set(const retort_vec *set, const retort_table *t)
{
	return retort_vec_contains(set, t);
}

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
		if (!ref || ref == t || !in_set(tp->set, ref))
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

static void diff_tables(differ *df)
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

	/* Drops: referencing tables before the tables they reference. */
	topo_sort(&tp, df->from, &removed);
	if (df->sd->named_constraints) {
		for (size_t i = 0; i < tp.back_edges.len; i++) {
			retort_model_constraint *c = tp.back_edges.items[i];
			for (size_t j = 0; j < removed.len; j++) {
				retort_table *t = removed.items[j];
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

	/* Creates: referenced tables first; a key closing a cycle comes later. */
	topo_sort(&tp, df->to, &created);
	for (size_t i = 0; i < tp.order.len; i++) {
		retort_table *t = tp.order.items[i];
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
			later = retort_vec_contains(&tp.back_edges, c) ||
				(retort_model_table(df->from, c->ref_schema, c->ref_table) && retort__diff_is_touched(df, rq));
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
	topo_dispose(&tp);
	retort_vec_dispose(&created, false);
	retort_vec_dispose(&removed, false);
}

/* --- entry points ------------------------------------------------------------------ */

int retort_schema_diff(retort_diff **out, const retort_model *from, const retort_model *to,
	const retort_diff_opts *opts)
{
	differ df;
	int error = 0;

	*out = NULL;
	memset(&df, 0, sizeof(df));
	if (from->dialect != to->dialect)
		return retort__error_set(RETORT_ERROR_USAGE, "cannot compare a %s schema with a %s schema",
			retort__sdialect_for(from->dialect) == &retort__sdialect_sqlite ? "SQLite" : "PostgreSQL",
			retort__sdialect_for(to->dialect) == &retort__sdialect_sqlite ? "SQLite" : "PostgreSQL");
	df.from = from;
	df.to = to;
	df.sd = retort__sdialect_for(to->dialect);
	df.d = retort__calloc(1, sizeof(*df.d));
	df.d->from = from;
	df.d->to = to;
	for (size_t i = 0; opts && opts->renames && i < opts->renames->len; i++) {
		rename *r = NULL;
		if ((error = rename_parse(&r, opts->renames->items[i])) < 0)
			goto done;
		retort_vec_push(&df.renames, r);
	}

	retort__diff_namespaces(&df);
	retort__diff_enums(&df);
	for (size_t i = 0; i < to->tables.len; i++) {
		retort_table *t = to->tables.items[i];
		retort_table *old = retort_model_table(from, t->schema, t->name);
		if (old && (error = diff_table(&df, old, t)) < 0)
			goto done;
	}
	retort__diff_sequences(&df); /* after the tables: see owned_sequences() */
	rebuild_dependent_fks(&df);
	for (size_t i = 0; i < df.renames.len; i++) {
		rename *r = df.renames.items[i];
		retort_table *t = retort_model_table(to, r->schema ? r->schema : NULL, r->table);
		if (!t && !r->schema) {
			for (size_t j = 0; j < to->tables.len && !t; j++)
				if (strcmp(((retort_table *)to->tables.items[j])->name, r->table) == 0)
					t = to->tables.items[j];
		}
		if (!t || !retort_table_column(t, r->new)) {
			error = retort__error_set(RETORT_ERROR_USAGE, "cannot rename '%s.%s' to '%s': no such column in the target",
				r->table, r->old, r->new);
			goto done;
		}
	}
	diff_tables(&df);
	retort__diff_views(&df);

	for (int p = 0; p < P_COUNT; p++)
		for (size_t i = 0; i < df.phases[p].len; i++)
			retort_vec_push(&df.d->ops, df.phases[p].items[i]);
	*out = df.d;
	df.d = NULL;
done:
	for (int p = 0; p < P_COUNT; p++) {
		if (df.d)
			for (size_t i = 0; i < df.phases[p].len; i++)
				op_free(df.phases[p].items[i]);
		retort_vec_dispose(&df.phases[p], false);
	}
	retort_diff_free(df.d);
	renames_free(&df.renames);
	retort_map_dispose(&df.touched, false);
	retort_map_dispose(&df.reshaped, false);
	retort_map_dispose(&df.seq_done, false);
	return error;
}

void retort_diff_free(retort_diff *d)
{
	if (!d)
		return;
	for (size_t i = 0; i < d->ops.len; i++)
		op_free(d->ops.items[i]);
	retort_vec_dispose(&d->ops, false);
	retort_vec_dispose(&d->notes, true);
	free(d);
}
