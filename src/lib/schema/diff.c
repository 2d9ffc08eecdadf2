/*
 * diff.c - compare two schema models and order the operations that turn
 * one into the other: the entry points of the diff engine.
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
 * This file drives the family files (diff_tables.c, diff_objects.c, ...),
 * which compare one kind of object each, and names operations for
 * display.  It does not render SQL and has no dialect conditionals: what
 * a dialect cannot ALTER in place it says through
 * retort__sdialect.can_alter, and the table becomes one REBUILD operation.
 */
#include <stdlib.h>
#include <string.h>

#include "base/common.h"
#include "schema/diff_int.h"

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

/* Every --rename must name a column the target has. */
static int check_renames(differ *df)
{
	for (size_t i = 0; i < df->renames.len; i++) {
		rename *r = df->renames.items[i];
		retort_table *t = retort_model_table(df->to, r->schema ? r->schema : NULL, r->table);
		if (!t && !r->schema) {
			for (size_t j = 0; j < df->to->tables.len && !t; j++)
				if (strcmp(((retort_table *)df->to->tables.items[j])->name, r->table) == 0)
					t = df->to->tables.items[j];
		}
		if (!t || !retort_table_column(t, r->new))
			return retort__error_set(RETORT_ERROR_USAGE,
				"cannot rename '%s.%s' to '%s': no such column in the target", r->table, r->old, r->new);
	}
	return 0;
}

static int run_families(differ *df)
{
	int error;

	retort__diff_namespaces(df);
	retort__diff_enums(df);
	for (size_t i = 0; i < df->to->tables.len; i++) {
		retort_table *t = df->to->tables.items[i];
		retort_table *old = retort_model_table(df->from, t->schema, t->name);
		if (old && (error = retort__diff_table(df, old, t)) < 0)
			return error;
	}
	retort__diff_sequences(df); /* after the tables: see owned_sequences() */
	retort__diff_dependent_fks(df);
	if ((error = check_renames(df)) < 0)
		return error;
	retort__diff_tables(df);
	retort__diff_views(df);
	return 0;
}

int retort_schema_diff(retort_diff **out, const retort_model *from, const retort_model *to,
	const retort_diff_opts *opts)
{
	differ df;
	int error = 0;

	*out = NULL;
	memset(&df, 0, sizeof(df));
	if (from->dialect != to->dialect)
		return retort__error_set(RETORT_ERROR_USAGE, "cannot compare a %s schema with a %s schema",
			from->dialect == RETORT_DIALECT_SQLITE ? "SQLite" : "PostgreSQL",
			to->dialect == RETORT_DIALECT_SQLITE ? "SQLite" : "PostgreSQL");
	df.from = from;
	df.to = to;
	df.sd = retort__sdialect_for(to->dialect);
	df.d = retort__calloc(1, sizeof(*df.d));
	df.d->from = from;
	df.d->to = to;
	for (size_t i = 0; opts && opts->renames && i < opts->renames->len; i++) {
		rename *r = NULL;
		if ((error = retort__diff_rename_parse(&r, opts->renames->items[i])) < 0)
			goto done;
		retort_vec_push(&df.renames, r);
	}
	if ((error = run_families(&df)) < 0)
		goto done;
	for (int p = 0; p < P_COUNT; p++)
		for (size_t i = 0; i < df.phases[p].len; i++)
			retort_vec_push(&df.d->ops, df.phases[p].items[i]);
	*out = df.d;
	df.d = NULL;
done:
	for (int p = 0; p < P_COUNT; p++) {
		if (df.d)
			for (size_t i = 0; i < df.phases[p].len; i++)
				retort__op_free(df.phases[p].items[i]);
		retort_vec_dispose(&df.phases[p], false);
	}
	retort_diff_free(df.d);
	retort__diff_renames_free(&df.renames);
	retort_map_dispose(&df.touched, false);
	retort_map_dispose(&df.seq_done, false);
	return error;
}

void retort_diff_free(retort_diff *d)
{
	if (!d)
		return;
	for (size_t i = 0; i < d->ops.len; i++)
		retort__op_free(d->ops.items[i]);
	retort_vec_dispose(&d->ops, false);
	retort_vec_dispose(&d->notes, true);
	free(d);
}

/* --- names for display ------------------------------------------------------------ */

const char *retort_op_kind_name(retort_op_kind kind)
{
	static const char *const names[] = {
		"create_schema", "drop_schema", "create_enum", "add_enum_value", "drop_enum", "replace_enum",
		"create_sequence", "alter_sequence", "drop_sequence", "create_table", "drop_table",
		"rebuild_table", "add_column", "drop_column", "alter_column", "rename_column",
		"add_constraint", "drop_constraint", "create_index", "drop_index", "create_view",
		"drop_view", "create_trigger", "drop_trigger", "comment_table", "comment_column",
		"create_extension", "drop_extension", "comment_view", "comment_type",
	};
	return (size_t)kind < RETORT_ARRAY_SIZE(names) ? names[kind] : "unknown";
}

void retort_op_target(retort_buf *out, const retort_op *op)
{
	const char *schema = NULL, *name = NULL;

	if (op->schema) {
		retort_buf_puts(out, op->schema);
		return;
	}
	if (op->table) {
		schema = op->table->schema;
		name = op->table->name;
	} else if (op->view) {
		schema = op->view->schema;
		name = op->view->name;
	} else if (op->sequence) {
		schema = op->sequence->schema;
		name = op->sequence->name;
	} else if (op->enumtype) {
		schema = op->enumtype->schema;
		name = op->enumtype->name;
	}
	if (schema)
		retort_buf_printf(out, "%s.", schema);
	retort_buf_puts(out, name ? name : "");
	if (op->column)
		retort_buf_printf(out, ".%s", op->column->name);
	else if (op->index)
		retort_buf_printf(out, ".%s", op->index->name);
	else if (op->constraint && op->constraint->name)
		retort_buf_printf(out, ".%s", op->constraint->name);
}
