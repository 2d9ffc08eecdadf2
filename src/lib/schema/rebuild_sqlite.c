/*
 * rebuild_sqlite.c - SQLite's move-and-copy table rebuild: the one place
 * that changes a table SQLite's ALTER TABLE cannot, for generated scripts
 * and C revisions alike (see render_sqlite.c for the single operations).
 *
 * A rebuild copies the rows into a holding table of the new shape, drops
 * the old table, creates it again in the new shape under its own name,
 * copies the rows back and recreates its indexes and triggers
 * (render_rebuild says why not SQLite's documented rename of the new
 * table).  Rows survive: a column that becomes NOT NULL takes its default
 * where it was NULL, and one whose type affinity changes is copied with an
 * explicit CAST.
 *
 * Around the batches of a script: before anything changes, it stops
 * unless every rebuilt table has exactly the columns the script was made
 * from (a column added by hand would otherwise go with its data), and
 * unless foreign keys are off when dropping a table would run another
 * table's ON DELETE action (a revision asks for that with `Foreign Keys:
 * off`, see retort_schema_sql_needs_fk_off); foreign keys are deferred for
 * the rest; and the script ends by failing when a foreign key it can have
 * broken is broken: those of the rebuilt tables, and those of other tables
 * that point at a rebuilt or dropped one.  A violation elsewhere predates
 * the script and is left alone.  Everything here is plain SQL, so it runs
 * the same online and from `--sql` output.
 */
#include <stdlib.h>
#include <string.h>

#include "base/common.h"
#include "schema/sdialect.h"

#define LITE RETORT_DIALECT_SQLITE
#define NEW_PREFIX "_retort_new_"

static void ident(retort_buf *out, const char *name)
{
	retort__srender_ident(out, LITE, name);
}

static void literal(retort_buf *out, const char *value)
{
	retort__srender_literal(out, LITE, value);
}

/* `name` as a quoted identifier, for a comment (caller frees). */
static char *quoted(const char *name)
{
	retort_buf q = RETORT_BUF_INIT;

	ident(&q, name);
	return retort_buf_detach(&q);
}

void retort__sqlite_render_create_index(retort_buf *out, const retort_table *t, const retort_index *x)
{
	retort__srender_index_keys(out, LITE, NULL, t, x);
}

/* --- the batch ------------------------------------------------------------ */

static bool has_name(const retort_vec *names, const char *name)
{
	for (size_t i = 0; i < names->len; i++)
		if (strcmp(names->items[i], name) == 0)
			return true;
	return false;
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
	literal(out, into);
	retort_buf_puts(out, ";\nINSERT INTO \"sqlite_sequence\" (\"name\", \"seq\") SELECT ");
	literal(out, into);
	retort_buf_puts(out, ", \"seq\" FROM \"sqlite_sequence\" WHERE \"name\" = ");
	literal(out, from);
	retort_buf_puts(out, ";\n");
}

/* A default as an expression that may stand anywhere (literals bare, the rest parenthesized). */
static void render_default(retort_buf *out, const char *expr)
{
	retort_buf_printf(out, retort__sql_is_literal(expr) ? "%s" : "(%s)", expr);
}

/* Does the copy CAST `oc`'s values (the affinity changes to one that converts)? */
static bool copy_casts(const retort_model_column *oc, const retort_model_column *c)
{
	char to = retort__sqlite_affinity(c->type);

	return to != RETORT_AFFINITY_BLOB && to != retort__sqlite_affinity(oc->type);
}

/* Does the copy fill `c` from its default where `oc` was NULL (it becomes NOT NULL)? */
static bool copy_fills(const retort_model_column *oc, const retort_model_column *c)
{
	return c->notnull && c->default_expr && !oc->notnull && !c->generated;
}

/* Does a CAST to `c`'s type keep every value of `oc` (to text; integers to NUMERIC)? */
static bool cast_keeps(const retort_model_column *oc, const retort_model_column *c)
{
	char to = retort__sqlite_affinity(c->type), from = retort__sqlite_affinity(oc->type);

	return to == RETORT_AFFINITY_TEXT || (to == RETORT_AFFINITY_NUMERIC && from == RETORT_AFFINITY_INTEGER);
}

/*
 * What the first hop reads for new column `c` from old column `oc`: the
 * value, CAST where SQLite would otherwise coerce it by the new column's
 * affinity (explicit in the revision, and the same in a STRICT table),
 * and the default where it was NULL and the column becomes NOT NULL.
 */
static void render_copy_value(retort_buf *out, const retort_model_column *oc, const retort_model_column *c)
{
	bool cast = copy_casts(oc, c), fill = copy_fills(oc, c);

	if (fill)
		retort_buf_puts(out, "coalesce(");
	if (cast)
		retort_buf_puts(out, "CAST(");
	ident(out, oc->name);
	if (cast)
		retort_buf_printf(out, " AS %s)", c->type);
	if (fill) {
		retort_buf_puts(out, ", ");
		render_default(out, c->default_expr);
		retort_buf_putc(out, ')');
	}
}

/* Comments saying what the first hop does to the values: conversions, fills. */
static void render_copy_notes(retort_buf *out, const retort_op *op)
{
	for (size_t i = 0; i < op->copy_to.len; i++) {
		const retort_model_column *c = retort_table_column(op->table, op->copy_to.items[i]);
		const retort_model_column *oc = retort_table_column(op->old_table, op->copy_from.items[i]);
		const char *from;

		if (!c || !oc)
			continue;
		from = oc->type[0] ? oc->type : "no type";
		if (copy_casts(oc, c) && !cast_keeps(oc, c))
			retort__srender_destructive(out, "converts column \"%s\" from %s to %s with CAST "
				"(a value that is no number becomes 0)", c->name, from, c->type);
		else if (copy_casts(oc, c))
			retort__srender_comment(out, "converts column \"%s\" from %s to %s with CAST", c->name, from, c->type);
		if (copy_fills(oc, c))
			retort__srender_comment(out, "column \"%s\" becomes NOT NULL: where it is NULL it takes its default",
				c->name);
	}
}

/* INSERT INTO tmp (to...) SELECT <values> FROM old; */
static void render_first_copy(retort_buf *out, const char *tmp, const retort_op *op)
{
	retort_buf_puts(out, "INSERT INTO ");
	ident(out, tmp);
	retort_buf_puts(out, " (");
	for (size_t i = 0; i < op->copy_to.len; i++) {
		if (i)
			retort_buf_puts(out, ", ");
		ident(out, op->copy_to.items[i]);
	}
	retort_buf_puts(out, ") SELECT ");
	for (size_t i = 0; i < op->copy_to.len; i++) {
		const retort_model_column *c = retort_table_column(op->table, op->copy_to.items[i]);
		const retort_model_column *oc = retort_table_column(op->old_table, op->copy_from.items[i]);
		if (i)
			retort_buf_puts(out, ", ");
		if (c && oc)
			render_copy_value(out, oc, c);
		else
			ident(out, op->copy_from.items[i]);
	}
	retort_buf_puts(out, " FROM ");
	ident(out, op->old_table->name);
	retort_buf_puts(out, ";\n");
}

/* INSERT INTO into (cols) SELECT cols FROM from; */
static void render_second_copy(retort_buf *out, const char *into, const retort_vec *cols, const char *from)
{
	retort_buf_puts(out, "INSERT INTO ");
	ident(out, into);
	retort_buf_puts(out, " (");
	for (size_t i = 0; i < cols->len; i++) {
		if (i)
			retort_buf_puts(out, ", ");
		ident(out, cols->items[i]);
	}
	retort_buf_puts(out, ") SELECT ");
	for (size_t i = 0; i < cols->len; i++) {
		if (i)
			retort_buf_puts(out, ", ");
		ident(out, cols->items[i]);
	}
	retort_buf_puts(out, " FROM ");
	ident(out, from);
	retort_buf_puts(out, ";\n");
}

/* The old table's columns the copy leaves behind, as "\"a\", \"b\"" (empty when none). */
static void dropped_columns(retort_buf *out, const retort_op *op)
{
	const retort_table *old = op->old_table;

	for (size_t i = 0; i < old->columns.len; i++) {
		retort_model_column *c = old->columns.items[i];
		if (!c->generated && !has_name(&op->copy_from, c->name))
			retort_buf_printf(out, "%s\"%s\"", out->size ? ", " : "", c->name);
	}
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
void retort__sqlite_render_rebuild(retort_buf *out, const retort_op *op)
{
	const retort_table *t = op->table, *old = op->old_table;
	bool keep_sequence = has_autoincrement(t) && has_autoincrement(old);
	char *tmp = retort__sprintf(NEW_PREFIX "%s", t->name), *q = quoted(t->name);
	retort_buf dropped = RETORT_BUF_INIT;
	retort_vec fks = RETORT_VEC_INIT, held = RETORT_VEC_INIT;

	dropped_columns(&dropped, op);
	for (size_t i = 0; i < t->constraints.len; i++)
		if (((retort_model_constraint *)t->constraints.items[i])->kind == RETORT_CON_FOREIGN)
			retort_vec_push(&fks, t->constraints.items[i]);
	retort__srender_comment(out, "batch: rebuild %s by move and copy (SQLite cannot ALTER this in place)", q);
	/* The second hop takes added columns too, with the defaults the first one computed. */
	for (size_t i = 0; i < t->columns.len; i++) {
		retort_model_column *c = t->columns.items[i];
		if (c->generated)
			continue;
		retort_vec_push(&held, c->name);
		if (!has_name(&op->copy_to, c->name))
			retort__srender_add_column_warning(out, LITE, t, c);
	}
	retort__srender_create_table(out, LITE, t, tmp, &fks);
	render_copy_notes(out, op);
	render_first_copy(out, tmp, op);
	if (keep_sequence)
		render_keep_sequence(out, tmp, old->name);
	if (dropped.size)
		retort__srender_destructive(out, "drops column(s) %s of \"%s\" and their values", dropped.ptr, t->name);
	retort_buf_puts(out, "DROP TABLE ");
	ident(out, old->name);
	retort_buf_puts(out, ";\n");
	retort__srender_create_table(out, LITE, t, NULL, NULL);
	render_second_copy(out, t->name, &held, tmp);
	if (keep_sequence)
		render_keep_sequence(out, t->name, tmp);
	retort_buf_puts(out, "DROP TABLE ");
	ident(out, tmp);
	retort_buf_puts(out, ";\n");
	for (size_t i = 0; i < t->indexes.len; i++)
		retort__sqlite_render_create_index(out, t, t->indexes.items[i]);
	for (size_t i = 0; i < t->triggers.len; i++)
		retort_buf_printf(out, "%s;\n", (const char *)t->triggers.items[i]);
	retort_vec_dispose(&fks, false);
	retort_vec_dispose(&held, false);
	retort_buf_dispose(&dropped);
	free(tmp);
	free(q);
}

/* --- the guards at the start ------------------------------------------------ */

/* Does another table reference `t` with an ON DELETE action that dropping it would fire?  That key, or NULL. */
static const retort_model_constraint *referenced_with_action(const retort_diff *d, const retort_table *t,
	const char **child)
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
				c->on_delete != RETORT_FK_NO_ACTION) {
				*child = other->name;
				return c;
			}
		}
	}
	return NULL;
}

/* How the guard below starts; also what retort_schema_sql_needs_fk_off() looks for. */
static const char fk_guard_start[] =
	"CREATE TEMP TABLE \"_retort_guard\" (fk_off INTEGER CONSTRAINT \"foreign keys are on: ";

bool retort_schema_sql_needs_fk_off(const char *sql)
{
	/* Only render_fk_guard writes that text. */
	return sql && strstr(sql, fk_guard_start) != NULL;
}

/*
 * Dropping a table makes SQLite delete its rows first, and with foreign
 * keys on that fires the referencing tables' ON DELETE CASCADE / SET NULL
 * (deferring does not defer actions): their rows would be lost.  PRAGMA
 * foreign_keys = OFF does nothing inside a transaction; the runner sets it
 * before the revision's BEGIN when its header asks (Foreign Keys: off).
 * Run any other way, the script stops here instead of losing data, with a
 * message (the CHECK's name) that says which reference is in the way.
 */
static void render_fk_guard(retort_buf *out, const char *table, const char *child,
	const retort_model_constraint *fk)
{
	retort_buf why = RETORT_BUF_INIT;

	retort_buf_printf(&why, "foreign keys are on: \"%s\" references \"%s\" ON DELETE %s, which rebuilding or "
		"dropping \"%s\" would run; this revision needs 'Foreign Keys: off' in its header", child, table,
		retort__srender_fk_action(fk->on_delete), table);
	retort__srender_comment(out, "\"%s\" references \"%s\" with an ON DELETE action that dropping it would fire:",
		child, table);
	retort_buf_puts(out, "-- stop unless foreign keys are off (Foreign Keys: off in the revision header)\n");
	retort_buf_puts(out, "CREATE TEMP TABLE \"_retort_guard\" (fk_off INTEGER CONSTRAINT ");
	ident(out, why.ptr);
	retort_buf_puts(out, " CHECK (fk_off));\n"
		"INSERT INTO \"_retort_guard\" SELECT foreign_keys = 0 FROM pragma_foreign_keys;\n"
		"DROP TABLE \"_retort_guard\";\n");
	retort_buf_dispose(&why);
}

/*
 * Stop before anything changes unless `old` (a table about to be rebuilt)
 * has exactly the columns the script was made from: the copy takes those
 * and no others, so a column added by hand would go with its data, and
 * one dropped by hand would fail the copy half way.  RAISE() takes only a
 * fixed text; the message that names the columns travels through the
 * SQLite error that quotes a computed string, json_extract's path error.
 */
static void render_columns_guard(retort_buf *out, const retort_table *old)
{
	retort_buf msg = RETORT_BUF_INIT;

	retort__srender_comment(out, "stop unless \"%s\" has exactly the columns this script was made from", old->name);
	retort_buf_puts(out, "WITH \"expected\" (\"name\") AS (VALUES ");
	for (size_t i = 0; i < old->columns.len; i++) {
		retort_buf_puts(out, i ? ", (" : "(");
		literal(out, ((retort_model_column *)old->columns.items[i])->name);
		retort_buf_putc(out, ')');
	}
	retort_buf_puts(out, "),\n\"live\" AS (SELECT \"name\" FROM pragma_table_xinfo(");
	literal(out, old->name);
	retort_buf_puts(out, ") WHERE \"hidden\" <> 1)\nSELECT json_extract('{}', '$ ' || ");
	retort_buf_printf(&msg, "stop: table \"%s\" is not what this script was made from "
		"(changed outside the migrations?): ", old->name);
	literal(out, msg.ptr);
	/* SQLite matches names without ASCII case, as lower() folds them. */
	retort_buf_puts(out, " || coalesce('unexpected column(s) ' || \"u\" || '; ', '')\n"
		"\t|| coalesce('missing column(s) ' || \"m\" || '; ', '') || 'rebuilding it would lose data: see ''retort drift''')\n"
		"FROM (SELECT (SELECT group_concat('\"' || \"name\" || '\"', ', ') FROM \"live\" "
		"WHERE lower(\"name\") NOT IN (SELECT lower(\"name\") FROM \"expected\")) AS \"u\",\n"
		"\t(SELECT group_concat('\"' || \"name\" || '\"', ', ') FROM \"expected\" "
		"WHERE lower(\"name\") NOT IN (SELECT lower(\"name\") FROM \"live\")) AS \"m\")\n"
		"WHERE \"u\" IS NOT NULL OR \"m\" IS NOT NULL;\n");
	retort_buf_dispose(&msg);
}

bool retort__sqlite_rebuilds_or_drops(const retort_diff *d)
{
	for (size_t i = 0; i < d->ops.len; i++) {
		retort_op_kind k = ((retort_op *)d->ops.items[i])->kind;
		if (k == RETORT_OP_REBUILD_TABLE || k == RETORT_OP_DROP_TABLE)
			return true;
	}
	return false;
}

void retort__sqlite_render_guards(retort_buf *out, const retort_diff *d)
{
	const char *child = NULL, *table = NULL;
	const retort_model_constraint *fk = NULL;

	for (size_t i = 0; i < d->ops.len; i++) {
		const retort_op *op = d->ops.items[i];
		const retort_table *t = op->kind == RETORT_OP_REBUILD_TABLE ? op->old_table :
			op->kind == RETORT_OP_DROP_TABLE ? op->table : NULL;
		if (op->kind == RETORT_OP_REBUILD_TABLE)
			render_columns_guard(out, op->old_table);
		if (t && !fk && (fk = referenced_with_action(d, t, &child)))
			table = t->name;
	}
	if (fk)
		render_fk_guard(out, table, child, fk);
}

/* --- the foreign key check at the end --------------------------------------- */

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
	literal(out, table);
	retort_buf_putc(out, ')');
	if (parent) {
		retort_buf_puts(out, " WHERE \"parent\" = ");
		literal(out, parent);
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

void retort__sqlite_render_fk_checks(retort_buf *out, const retort_diff *d)
{
	retort_buf checks = RETORT_BUF_INIT;

	/* In the diff's order: each rebuilt table, then who references it; who referenced a dropped one. */
	for (size_t i = 0; i < d->ops.len; i++) {
		const retort_op *op = d->ops.items[i];
		if (op->kind == RETORT_OP_REBUILD_TABLE)
			render_own_check(&checks, op->table->name);
		if (op->kind == RETORT_OP_REBUILD_TABLE || op->kind == RETORT_OP_DROP_TABLE)
			render_child_checks(&checks, d, op->table->name);
	}
	if (checks.size) {
		retort_buf_puts(out,
			"-- foreign key check: fail if these changes broke a reference (violations elsewhere predate them)\n"
			"CREATE TEMP TABLE \"_retort_fk_check\" (violations INTEGER CONSTRAINT "
			"\"" RETORT_SCHEMA_FK_CHECK_FAILED "\" CHECK (violations = 0));\n");
		retort_buf_put(out, checks.ptr, checks.size);
		retort_buf_puts(out, "DROP TABLE \"_retort_fk_check\";\n");
	} else {
		retort_buf_puts(out, "-- no table left references a dropped one: no foreign key to check\n");
	}
	retort_buf_dispose(&checks);
}
