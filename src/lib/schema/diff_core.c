/*
 * diff_core.c - the differ's shared state and helpers (see diff_int.h):
 * allocating and emitting operations into phases, the set of tables and
 * views that change, and the --rename options.
 *
 * This is the bottom of the diff engine: the per-family files
 * (diff_tables.c, diff_objects.c, ...) call it, and it calls none of them;
 * diff.c drives them all.  It decides nothing about what changed.
 */
#include <stdlib.h>
#include <string.h>

#include "base/common.h"
#include "schema/diff_int.h"

retort_op *retort__op_new(retort_op_kind kind)
{
	retort_op *op = retort__calloc(1, sizeof(*op));

	op->kind = kind;
	return op;
}

void retort__op_free(retort_op *op)
{
	retort_vec_dispose(&op->omit_fks, false);
	retort_vec_dispose(&op->copy_to, true);
	retort_vec_dispose(&op->copy_from, true);
	retort_vec_dispose(&op->uses, false);
	free(op);
}

retort_op *retort__diff_emit(differ *df, enum phase p, retort_op_kind kind)
{
	retort_op *op = retort__op_new(kind);

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

bool retort__diff_has_str(const retort_vec *v, const char *s)
{
	for (size_t i = 0; i < v->len; i++)
		if (strcmp(v->items[i], s) == 0)
			return true;
	return false;
}

/* --- renames --------------------------------------------------------------- */

void retort__diff_renames_free(retort_vec *v)
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

int retort__diff_rename_parse(rename **out, const char *spec)
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

const char *retort__diff_renamed_from(differ *df, const retort_table *t, const char *name)
{
	for (size_t i = 0; i < df->renames.len; i++) {
		rename *r = df->renames.items[i];
		if (strcmp(r->table, t->name) == 0 && (!r->schema || retort__streq(r->schema, t->schema)) &&
			strcmp(r->new, name) == 0)
			return r->old;
	}
	return NULL;
}

retort_op *retort__diff_comment(differ *df, const char *what, const char *comment)
{
	retort_op *op = retort__diff_emit(df, P_LATE, RETORT_OP_COMMENT);

	op->what = what;
	op->comment = comment;
	return op;
}

bool retort__diff_relation_in(const retort_model *m, const char *schema, const char *name)
{
	return retort_model_table(m, schema, name) || retort_model_view(m, schema, name);
}
