/*
 * render_sqlite.c - SQLite SQL for each schema operation, and the SQLite
 * entry of the schema-dialect table.
 *
 * SQLite's ALTER TABLE can add a column (with a constant default, no key),
 * rename one, and little else; lite_can_alter says so, and the diff turns
 * anything more into one REBUILD operation, whose move-and-copy batch, and
 * the guards and foreign key checks around the batches of a script, are in
 * rebuild_sqlite.c.
 */
#include <stdlib.h>
#include <string.h>

#include "base/common.h"
#include "schema/reflect.h"
#include "schema/sdialect.h"
#include "schema/sqlparse.h"

#define LITE RETORT_DIALECT_SQLITE

static void ident(retort_buf *out, const char *name)
{
	retort__srender_ident(out, LITE, name);
}

/* " REFERENCES t (c) ON DELETE ...": a foreign key written on the column it is on. */
static void render_inline_reference(retort_buf *out, const retort_model_constraint *fk)
{
	const char *a;

	if (fk->name) {
		retort_buf_puts(out, " CONSTRAINT ");
		ident(out, fk->name);
	}
	retort_buf_puts(out, " REFERENCES ");
	ident(out, fk->ref_table);
	if (fk->ref_columns.len) {
		retort_buf_puts(out, " (");
		for (size_t i = 0; i < fk->ref_columns.len; i++) {
			if (i)
				retort_buf_puts(out, ", ");
			ident(out, fk->ref_columns.items[i]);
		}
		retort_buf_putc(out, ')');
	}
	if ((a = retort__srender_fk_action(fk->on_update)))
		retort_buf_printf(out, " ON UPDATE %s", a);
	if ((a = retort__srender_fk_action(fk->on_delete)))
		retort_buf_printf(out, " ON DELETE %s", a);
	if (fk->deferrable)
		retort_buf_puts(out, fk->deferred ? " DEFERRABLE INITIALLY DEFERRED" : " DEFERRABLE");
}

static void lite_render_op(retort_buf *out, const retort_diff *d, const retort_op *op)
{
	const retort_table *t = op->table;
	char *name;

	switch (op->kind) {
	case RETORT_OP_CREATE_TABLE:
		retort__srender_create_table(out, LITE, t, NULL, NULL);
		break;
	case RETORT_OP_DROP_TABLE:
		retort__srender_destructive(out, "drops table \"%s\" and its rows", t->name);
		retort_buf_puts(out, "DROP TABLE ");
		ident(out, t->name);
		retort_buf_puts(out, ";\n");
		break;
	case RETORT_OP_REBUILD_TABLE:
		retort__sqlite_render_rebuild(out, op);
		break;
	case RETORT_OP_ADD_COLUMN:
		retort__srender_add_column_warning(out, LITE, t, op->column);
		retort_buf_puts(out, "ALTER TABLE ");
		ident(out, t->name);
		retort_buf_puts(out, " ADD COLUMN ");
		retort__srender_column(out, LITE, op->column, false);
		if (op->constraint && op->constraint->kind == RETORT_CON_FOREIGN)
			render_inline_reference(out, op->constraint);
		retort_buf_puts(out, ";\n");
		break;
	case RETORT_OP_DROP_COLUMN:
		/*
		 * For callers that try SQLite's own ALTER first and rebuild when it
		 * refuses (C revisions); the diff always rebuilds, as lite_can_alter
		 * cannot know from the model whether SQLite would accept it.
		 */
		retort__srender_destructive(out, "drops column \"%s\" of \"%s\" and its values", op->column->name, t->name);
		retort_buf_puts(out, "ALTER TABLE ");
		ident(out, t->name);
		retort_buf_puts(out, " DROP COLUMN ");
		ident(out, op->column->name);
		retort_buf_puts(out, ";\n");
		break;
	case RETORT_OP_RENAME_TABLE:
		retort_buf_puts(out, "ALTER TABLE ");
		ident(out, op->old_table->name);
		retort_buf_puts(out, " RENAME TO ");
		ident(out, t->name);
		retort_buf_puts(out, ";\n");
		break;
	case RETORT_OP_RENAME_COLUMN:
		retort_buf_puts(out, "ALTER TABLE ");
		ident(out, op->old_table->name);
		retort_buf_puts(out, " RENAME COLUMN ");
		ident(out, op->old_column->name);
		retort_buf_puts(out, " TO ");
		ident(out, op->column->name);
		retort_buf_puts(out, ";\n");
		break;
	case RETORT_OP_CREATE_INDEX:
		retort__sqlite_render_create_index(out, t, op->index);
		break;
	case RETORT_OP_DROP_INDEX:
		retort_buf_puts(out, "DROP INDEX ");
		ident(out, op->index->name);
		retort_buf_puts(out, ";\n");
		break;
	case RETORT_OP_CREATE_VIEW:
		retort_buf_printf(out, "%s;\n", op->view->definition);
		break;
	case RETORT_OP_DROP_VIEW:
		retort_buf_puts(out, "DROP VIEW ");
		ident(out, op->view->name);
		retort_buf_puts(out, ";\n");
		break;
	case RETORT_OP_CREATE_TRIGGER:
		retort_buf_printf(out, "%s;\n", op->trigger);
		break;
	case RETORT_OP_DROP_TRIGGER:
		name = retort__sqlparse_trigger_name(op->trigger);
		retort_buf_puts(out, "DROP TRIGGER ");
		ident(out, name ? name : "");
		retort_buf_puts(out, ";\n");
		free(name);
		break;
	default:
		/*
		 * Schemas, types, sequences and comments do not exist in SQLite;
		 * column, constraint and key changes were folded into a rebuild.
		 */
		break;
	}
}

/* ADD COLUMN takes only a constant default: a literal, not CURRENT_* or an expression. */
static bool constant_default(const char *expr)
{
	if (!expr)
		return true;
	return retort__sql_is_literal(expr) && retort__strcasecmp(expr, "CURRENT_TIME") != 0 &&
		retort__strcasecmp(expr, "CURRENT_DATE") != 0 && retort__strcasecmp(expr, "CURRENT_TIMESTAMP") != 0;
}

static bool lite_can_alter(const retort_op *op)
{
	const retort_model_column *c = op->column;

	switch (op->kind) {
	case RETORT_OP_RENAME_COLUMN:
		return true;
	case RETORT_OP_ADD_COLUMN:
		if (c->autoincrement || (c->generated && c->gen_stored))
			return false;
		/* SQLite adds a column with a REFERENCES clause only when its default is NULL. */
		if (op->constraint && (op->constraint->kind != RETORT_CON_FOREIGN || c->default_expr))
			return false;
		if (c->notnull && !c->default_expr && !c->generated)
			return false;
		return constant_default(c->default_expr);
	default:
		return false;
	}
}

static void lite_render_begin(retort_buf *out, const retort_diff *d)
{
	if (!retort__sqlite_rebuilds_or_drops(d))
		return;
	retort__sqlite_render_guards(out, d);
	retort_buf_puts(out,
		"-- tables are rebuilt or dropped: foreign keys deferred until the check at the end\n"
		"PRAGMA defer_foreign_keys = ON;\n");
}

/*
 * Fail when the script broke a foreign key, and only then: a violation the
 * database already had elsewhere predates it and is left alone.
 */
static void lite_render_end(retort_buf *out, const retort_diff *d)
{
	if (retort__sqlite_rebuilds_or_drops(d))
		retort__sqlite_render_fk_checks(out, d);
}

const retort__sdialect retort__sdialect_sqlite = {
	.id = RETORT_DIALECT_SQLITE,
	.reflect = retort__reflect_sqlite,
	.can_alter = lite_can_alter,
	.fk_forward_refs = true,
	.named_constraints = false,
	.render_op = lite_render_op,
	.render_begin = lite_render_begin,
	.render_end = lite_render_end,
};
