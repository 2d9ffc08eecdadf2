/*
 * render_sqlite.c - SQLite SQL for each schema operation, the move-and-copy
 * batch, and the SQLite entry of the schema-dialect table.
 *
 * SQLite's ALTER TABLE can add a column (with a constant default, no key),
 * rename one, and little else; for anything more a table is rebuilt by move
 * and copy: the rows are copied into a holding table of the new shape, the
 * old table is dropped and created again in the new shape, the rows are
 * copied back, and its indexes and triggers are recreated (render_rebuild
 * says why not SQLite's documented rename of the new table).  Rows survive.
 * Foreign keys are switched off around the script (effective only outside
 * a transaction, as SQLite ignores the pragma inside one) and deferred for
 * the rest, and the script ends by failing when a foreign key it can have
 * broken is broken: those of the rebuilt tables, and those of other tables
 * that point at a rebuilt or dropped one.  A violation elsewhere predates
 * the script and is left alone.
 */
#include <stdlib.h>
#include <string.h>

#include "base/common.h"
#include "schema/reflect.h"
#include "schema/sdialect.h"
#include "schema/sqlparse.h"

#define LITE RETORT_DIALECT_SQLITE
#define NEW_PREFIX "_retort_new_"

static void ident(retort_buf *out, const char *name)
{
	retort__srender_ident(out, LITE, name);
}

static void render_create_index(retort_buf *out, const retort_table *t, const retort_index *x)
{
	retort_buf_puts(out, x->unique ? "CREATE UNIQUE INDEX " : "CREATE INDEX ");
	ident(out, x->name);
	retort_buf_puts(out, " ON ");
	ident(out, t->name);
	retort_buf_puts(out, " (");
	for (size_t i = 0; i < x->keys.len; i++)
		retort_buf_printf(out, "%s%s", i ? ", " : "", (const char *)x->keys.items[i]);
	retort_buf_putc(out, ')');
	if (x->where)
		retort_buf_printf(out, " WHERE %s", x->where);
	retort_buf_puts(out, ";\n");
}

/* Does another table reference `t` with an ON DELETE action that dropping it would fire? */
static const char *referenced_with_action(const retort_diff *d, const retort_table *t)
{
	const retort_model *m = d->from;

	for (size_t i = 0; i < m->tables.len; i++) {
		const retort_table *other = m->tables.items[i];
		/* Tables dropped too are gone before any batch or drop of their parent. */
		if (other == t || retort__strcasecmp(other->name, t->name) == 0 ||
			!retort_model_table(d->to, NULL, other->name))
			continue;
		for (size_t j = 0; j < other->constraints.len; j++) {
			const retort_model_constraint *c = other->constraints.items[j];
			if (c->kind == RETORT_CON_FOREIGN && retort__strcasecmp(c->ref_table, t->name) == 0 &&
				c->on_delete != RETORT_FK_NO_ACTION)
				return other->name;
		}
	}
	return NULL;
}

/* The guard below; also what retort_schema_sql_needs_fk_off() looks for. */
static const char fk_guard_sql[] =
	"CREATE TEMP TABLE \"_retort_guard\" (fk_off INTEGER CONSTRAINT "
	"\"foreign keys are on: run this batch outside a transaction (Transactional: no)\" CHECK (fk_off));\n"
	"INSERT INTO \"_retort_guard\" SELECT foreign_keys = 0 FROM pragma_foreign_keys;\n"
	"DROP TABLE \"_retort_guard\";\n";

/*
 * Dropping a table makes SQLite delete its rows first, and with foreign
 * keys on that fires the referencing tables' ON DELETE CASCADE / SET NULL
 * (deferring does not defer actions): their rows would be lost.  PRAGMA
 * foreign_keys = OFF does nothing inside a transaction, so when the script
 * runs in one, stop here with a message instead of losing data.
 */
static void render_fk_guard(retort_buf *out, const char *table, const char *child)
{
	retort__srender_comment(out, "\"%s\" references \"%s\" with an ON DELETE action that dropping it would fire:",
		child, table);
	retort_buf_puts(out, "-- stop unless foreign keys are off (they cannot be switched off inside a transaction)\n");
	retort_buf_puts(out, fk_guard_sql);
}

bool retort_schema_sql_needs_fk_off(const char *sql)
{
	/* The guard is emitted whole and only by render_fk_guard: its text is the flag. */
	return sql && strstr(sql, fk_guard_sql) != NULL;
}

static bool has_autoincrement(const retort_table *t)
{
	for (size_t i = 0; i < t->columns.len; i++)
		if (((retort_model_column *)t->columns.items[i])->autoincrement)
			return true;
	return false;
}

/*
 * AUTOINCREMENT promises never to reuse a rowid: carry the high-water mark
 * in sqlite_sequence from the table the rows are copied out of to the one
 * they are copied into (the copy alone would restart it at the largest
 * rowid still present).
 */
static void render_keep_sequence(retort_buf *out, const char *into, const char *from)
{
	retort_buf_puts(out, "DELETE FROM \"sqlite_sequence\" WHERE \"name\" = ");
	retort__srender_literal(out, LITE, into);
	retort_buf_puts(out, ";\nINSERT INTO \"sqlite_sequence\" (\"name\", \"seq\") SELECT ");
	retort__srender_literal(out, LITE, into);
	retort_buf_puts(out, ", \"seq\" FROM \"sqlite_sequence\" WHERE \"name\" = ");
	retort__srender_literal(out, LITE, from);
	retort_buf_puts(out, ";\n");
}

/* INSERT INTO into (to_cols) SELECT from_cols FROM from; */
static void render_copy(retort_buf *out, const char *into, const retort_vec *to_cols, const char *from,
	const retort_vec *from_cols)
{
	retort_buf_puts(out, "INSERT INTO ");
	ident(out, into);
	retort_buf_puts(out, " (");
	for (size_t i = 0; i < to_cols->len; i++) {
		if (i)
			retort_buf_puts(out, ", ");
		ident(out, to_cols->items[i]);
	}
	retort_buf_puts(out, ") SELECT ");
	for (size_t i = 0; i < from_cols->len; i++) {
		if (i)
			retort_buf_puts(out, ", ");
		ident(out, from_cols->items[i]);
	}
	retort_buf_puts(out, " FROM ");
	ident(out, from);
	retort_buf_puts(out, ";\n");
}

/*
 * The rows move in two hops.  First into a holding table of the new shape,
 * which converts and validates them (types, NOT NULL, CHECK, keys) while
 * the old table still stands; then, once the old table is dropped, into
 * the new table created under the old name.  Copying into that name rather
 * than renaming the holding table matters when foreign keys are on (a
 * revision inside a transaction): dropping the old table counts each row
 * that references it as a deferred violation, only rows inserted into a
 * table of that name count them back, and after a rename the commit would
 * fail.  The holding table has no foreign keys, so dropping the old table
 * can neither fire an ON DELETE action into it nor count its rows.
 */
static void render_rebuild(retort_buf *out, const retort_diff *d, const retort_op *op)
{
	const char *child = referenced_with_action(d, op->old_table);
	const retort_table *t = op->table, *old = op->old_table;
	bool keep_sequence = has_autoincrement(t) && has_autoincrement(old);
	char *tmp = retort__sprintf(NEW_PREFIX "%s", t->name);
	retort_buf dropped = RETORT_BUF_INIT;
	retort_vec fks = RETORT_VEC_INIT, held = RETORT_VEC_INIT;

	for (size_t i = 0; i < old->columns.len; i++) {
		retort_model_column *c = old->columns.items[i];
		if (!c->generated) {
			bool kept = false;
			for (size_t j = 0; j < op->copy_from.len; j++)
				if (strcmp(op->copy_from.items[j], c->name) == 0)
					kept = true;
			if (!kept)
				retort_buf_printf(&dropped, "%s\"%s\"", dropped.size ? ", " : "", c->name);
		}
	}
	for (size_t i = 0; i < t->constraints.len; i++)
		if (((retort_model_constraint *)t->constraints.items[i])->kind == RETORT_CON_FOREIGN)
			retort_vec_push(&fks, t->constraints.items[i]);
	/* The second hop takes added columns too, with the defaults the first one computed. */
	for (size_t i = 0; i < t->columns.len; i++)
		if (!((retort_model_column *)t->columns.items[i])->generated)
			retort_vec_push(&held, ((retort_model_column *)t->columns.items[i])->name);
	{
		retort_buf name = RETORT_BUF_INIT;
		ident(&name, t->name);
		retort__srender_comment(out, "batch: rebuild %s by move and copy (SQLite cannot ALTER this in place)", name.ptr);
		retort_buf_dispose(&name);
	}
	if (dropped.size)
		retort__srender_destructive(out, "drops column(s) %s of \"%s\" and their values", dropped.ptr, t->name);
	if (child)
		render_fk_guard(out, old->name, child);
	retort__srender_create_table(out, LITE, t, tmp, &fks);
	render_copy(out, tmp, &op->copy_to, old->name, &op->copy_from);
	if (keep_sequence)
		render_keep_sequence(out, tmp, old->name);
	retort_buf_puts(out, "DROP TABLE ");
	ident(out, old->name);
	retort_buf_puts(out, ";\n");
	retort__srender_create_table(out, LITE, t, NULL, NULL);
	render_copy(out, t->name, &held, tmp, &held);
	if (keep_sequence)
		render_keep_sequence(out, t->name, tmp);
	retort_buf_puts(out, "DROP TABLE ");
	ident(out, tmp);
	retort_buf_puts(out, ";\n");
	for (size_t i = 0; i < t->indexes.len; i++)
		render_create_index(out, t, t->indexes.items[i]);
	for (size_t i = 0; i < t->triggers.len; i++)
		retort_buf_printf(out, "%s;\n", (const char *)t->triggers.items[i]);
	retort_vec_dispose(&fks, false);
	retort_vec_dispose(&held, false);
	retort_buf_dispose(&dropped);
	free(tmp);
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
		if ((name = (char *)referenced_with_action(d, t)))
			render_fk_guard(out, t->name, name);
		retort__srender_destructive(out, "drops table \"%s\" and its rows", t->name);
		retort_buf_puts(out, "DROP TABLE ");
		ident(out, t->name);
		retort_buf_puts(out, ";\n");
		break;
	case RETORT_OP_REBUILD_TABLE:
		render_rebuild(out, d, op);
		break;
	case RETORT_OP_ADD_COLUMN:
		retort_buf_puts(out, "ALTER TABLE ");
		ident(out, t->name);
		retort_buf_puts(out, " ADD COLUMN ");
		retort__srender_column(out, LITE, op->column, false);
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
		render_create_index(out, t, op->index);
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
		if (c->notnull && !c->default_expr && !c->generated)
			return false;
		return constant_default(c->default_expr);
	default:
		return false;
	}
}

static bool needs_fk_guard(const retort_diff *d)
{
	for (size_t i = 0; i < d->ops.len; i++) {
		retort_op_kind k = ((retort_op *)d->ops.items[i])->kind;
		if (k == RETORT_OP_REBUILD_TABLE || k == RETORT_OP_DROP_TABLE)
			return true;
	}
	return false;
}

static void lite_render_begin(retort_buf *out, const retort_diff *d)
{
	if (!needs_fk_guard(d))
		return;
	retort_buf_puts(out,
		"-- tables are rebuilt or dropped: foreign keys off (takes effect outside a\n"
		"-- transaction) and deferred (inside one) until the check at the end\n"
		"PRAGMA foreign_keys = OFF;\n"
		"PRAGMA defer_foreign_keys = ON;\n");
}

/* `name` as a quoted identifier, for a comment (caller frees). */
static char *quoted(const char *name)
{
	retort_buf q = RETORT_BUF_INIT;

	ident(&q, name);
	return retort_buf_detach(&q);
}

/* Is the table named `name` rebuilt by one of the diff's batches? */
static bool rebuilt(const retort_diff *d, const char *name)
{
	for (size_t i = 0; i < d->ops.len; i++) {
		const retort_op *op = d->ops.items[i];
		if (op->kind == RETORT_OP_REBUILD_TABLE && retort__strcasecmp(op->table->name, name) == 0)
			return true;
	}
	return false;
}

/* Has `t` a foreign key to the table named `parent` (SQLite names match without case)? */
static bool references(const retort_table *t, const char *parent)
{
	for (size_t i = 0; i < t->constraints.len; i++) {
		const retort_model_constraint *c = t->constraints.items[i];
		if (c->kind == RETORT_CON_FOREIGN && retort__strcasecmp(c->ref_table, parent) == 0)
			return true;
	}
	return false;
}

/*
 * One count into the check table, whose CHECK fails the statement (and so
 * names its line) when it is not zero: the violations in `table`, or only
 * those against `parent` when it is given.  The names are values of the
 * table-valued pragma, hence literals; "parent" is spelled as the foreign
 * key wrote it, so it is compared without case, as SQLite matches names.
 */
static void render_count(retort_buf *out, const char *table, const char *parent)
{
	retort_buf_puts(out, "INSERT INTO \"_retort_fk_check\" SELECT count(*) FROM pragma_foreign_key_check(");
	retort__srender_literal(out, LITE, table);
	retort_buf_putc(out, ')');
	if (parent) {
		retort_buf_puts(out, " WHERE \"parent\" = ");
		retort__srender_literal(out, LITE, parent);
		retort_buf_puts(out, " COLLATE NOCASE");
	}
	retort_buf_puts(out, ";\n");
}

/* A rebuilt table was created anew: every one of its foreign keys is checked. */
static void render_own_check(retort_buf *out, const char *table)
{
	char *q = quoted(table);

	retort__srender_comment(out, "%s was rebuilt: all its foreign keys", q);
	render_count(out, table, NULL);
	free(q);
}

/*
 * The tables left at the end whose foreign keys point at `parent` (rebuilt
 * or dropped): their rows that reference it must still find it.  Their
 * other references are not this script's business.  A table dropped too is
 * not in `to`; one rebuilt too has its own check of every key.
 */
static void render_child_checks(retort_buf *out, const retort_diff *d, const char *parent)
{
	for (size_t i = 0; i < d->to->tables.len; i++) {
		const retort_table *t = d->to->tables.items[i];
		char *qt, *qp;

		if (!references(t, parent) || retort__strcasecmp(t->name, parent) == 0 || rebuilt(d, t->name))
			continue;
		qt = quoted(t->name);
		qp = quoted(parent);
		retort__srender_comment(out, "%s references %s: only its rows that point there", qt, qp);
		render_count(out, t->name, parent);
		free(qt);
		free(qp);
	}
}

/* The checks, in the diff's order: each rebuilt table, then who references it; who referenced a dropped one. */
static void render_fk_checks(retort_buf *out, const retort_diff *d)
{
	for (size_t i = 0; i < d->ops.len; i++) {
		const retort_op *op = d->ops.items[i];
		if (op->kind == RETORT_OP_REBUILD_TABLE)
			render_own_check(out, op->table->name);
		if (op->kind == RETORT_OP_REBUILD_TABLE || op->kind == RETORT_OP_DROP_TABLE)
			render_child_checks(out, d, op->table->name);
	}
}

/*
 * Fail when the script broke a foreign key, and only then: a violation the
 * database already had elsewhere predates it and is left alone (the same
 * scope as the C revisions' batch, sqlite_batch.c).
 */
static void lite_render_end(retort_buf *out, const retort_diff *d)
{
	retort_buf checks = RETORT_BUF_INIT;

	if (!needs_fk_guard(d))
		return;
	render_fk_checks(&checks, d);
	if (checks.size) {
		retort_buf_puts(out,
			"-- foreign key check: fail if these changes broke a reference (violations elsewhere predate them)\n"
			"CREATE TEMP TABLE \"_retort_fk_check\" (violations INTEGER CHECK (violations = 0));\n");
		retort_buf_put(out, checks.ptr, checks.size);
		retort_buf_puts(out, "DROP TABLE \"_retort_fk_check\";\n");
	} else {
		retort_buf_puts(out, "-- no table left references a dropped one: no foreign key to check\n");
	}
	retort_buf_puts(out, "PRAGMA foreign_keys = ON;\n");
	retort_buf_dispose(&checks);
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
