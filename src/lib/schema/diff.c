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
	retort__diff_types(df);
	retort__diff_enums(df);
	for (size_t i = 0; i < df->to->tables.len; i++) {
		retort_table *t = df->to->tables.items[i];
		retort_table *old = retort_model_table(df->from, t->schema, t->name);
		if (!old)
			continue;
		if ((error = retort__diff_table(df, old, t)) < 0)
			return error;
		retort__diff_table_pg(df, old, t);
	}
	retort__diff_sequences(df); /* after the tables: see owned_sequences() */
	retort__diff_dependent_fks(df);
	if ((error = check_renames(df)) < 0)
		return error;
	retort__diff_tables(df);
	for (size_t i = 0; i < df->to->tables.len; i++) {
		retort_table *t = df->to->tables.items[i];
		if (!retort_model_table(df->from, t->schema, t->name))
			retort__diff_table_pg(df, NULL, t);
	}
	retort__diff_routines(df);
	retort__diff_enum_values(df);
	/* What stands on something dropped or reshaped goes and comes back, views included. */
	retort__diff_deps_index(df);
	while (retort__diff_views_mark(df) | retort__diff_closure(df))
		;
	retort__diff_views_emit(df);
	retort__diff_privileges(df);
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
	retort__diff_order(&df, &df.d->ops);
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
	retort_map_dispose(&df.reshaped, false);
	retort_map_dispose(&df.seq_done, false);
	retort_map_dispose(&df.gone, false);
	retort_vec_dispose(&df.view_drops, false);
	retort__diff_deps_dispose(&df);
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
	retort_model_free(d->owned);
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
		"rename_table", "create_function", "replace_function", "drop_function", "create_trigger", "drop_trigger",
		"enable_trigger", "create_policy", "alter_policy", "rename_policy", "drop_policy",
		"row_level_security", "create_domain", "alter_domain", "drop_domain", "create_type",
		"alter_type", "drop_type", "create_collation", "drop_collation", "alter_extension",
		"attach_partition", "detach_partition", "inherit", "no_inherit", "set_logged",
		"validate_constraint", "alter_identity", "drop_default", "set_default", "comment",
		"grant", "revoke", "grant_default", "revoke_default",
	};
	return (size_t)kind < RETORT_ARRAY_SIZE(names) ? names[kind] : "unknown";
}

const char *retort_op_name(const retort_op *op)
{
	static const char *const comments[][2] = {
		{ "SCHEMA", "comment_schema" }, { "EXTENSION", "comment_extension" }, { "SEQUENCE", "comment_sequence" },
		{ "CONSTRAINT", "comment_constraint" }, { "INDEX", "comment_index" }, { "FUNCTION", "comment_function" },
		{ "TRIGGER", "comment_trigger" }, { "POLICY", "comment_policy" }, { "DOMAIN", "comment_domain" },
		{ "TYPE", "comment_type" }, { "COLLATION", "comment_collation" },
	};

	if (op->kind == RETORT_OP_COMMENT && op->what)
		for (size_t i = 0; i < RETORT_ARRAY_SIZE(comments); i++)
			if (strcmp(op->what, comments[i][0]) == 0)
				return comments[i][1];
	if ((op->kind == RETORT_OP_CREATE_VIEW || op->kind == RETORT_OP_DROP_VIEW) && op->view->materialized)
		return op->kind == RETORT_OP_CREATE_VIEW ? "create_materialized_view" : "drop_materialized_view";
	return retort_op_kind_name(op->kind);
}

/* Schema, name and sub-name of what an op acts on. */
static void target_of(const retort_op *op, const char **schema, const char **name, const char **sub)
{
	const retort_pg_policy *pol = op->policy ? op->policy : op->old_policy;
	const retort_pg_domain *dom = op->domain ? op->domain : op->old_domain;
	const retort_pg_composite *comp = op->composite ? op->composite : op->old_composite;
	const retort_pg_extension *ext = op->extension ? op->extension : op->old_extension;

	*schema = *name = *sub = NULL;
	if (op->function) {
		*schema = op->function->schema;
		*name = op->function->name;
	} else if (op->pg_trigger) {
		*schema = op->pg_trigger->schema;
		*name = op->pg_trigger->table;
		*sub = op->pg_trigger->name;
	} else if (pol) {
		*schema = pol->schema;
		*name = pol->table;
		*sub = pol->name;
	} else if (dom || comp) {
		*schema = dom ? dom->schema : comp->schema;
		*name = dom ? dom->name : comp->name;
	} else if (op->collation) {
		*schema = op->collation->schema;
		*name = op->collation->name;
	} else if (ext) {
		*name = ext->name;
	} else if (op->grant) {
		*schema = op->grant->schema;
		*name = op->grant->name;
	} else if (op->default_grant) {
		*schema = op->default_grant->schema;
		*name = op->default_grant->role;
	} else if (op->table) {
		*schema = op->table->schema;
		*name = op->table->name;
	} else if (op->view) {
		*schema = op->view->schema;
		*name = op->view->name;
	} else if (op->sequence) {
		*schema = op->sequence->schema;
		*name = op->sequence->name;
	} else if (op->enumtype) {
		*schema = op->enumtype->schema;
		*name = op->enumtype->name;
	}
	if (op->column)
		*sub = op->column->name;
	else if (op->index)
		*sub = op->index->name;
	else if (op->constraint && op->constraint->name)
		*sub = op->constraint->name;
}

void retort_op_target(retort_buf *out, const retort_op *op)
{
	const char *schema, *name, *sub;

	if (op->schema) {
		retort_buf_puts(out, op->schema);
		return;
	}
	target_of(op, &schema, &name, &sub);
	if (schema)
		retort_buf_printf(out, "%s.", schema);
	retort_buf_puts(out, name ? name : "");
	if (op->function)
		retort_buf_printf(out, "(%s)", op->function->argtypes);
	if (sub)
		retort_buf_printf(out, ".%s", sub);
}
