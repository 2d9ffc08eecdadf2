/*
 * render.c - turn a diff into a SQL script, and the pieces of SQL both
 * dialects spell the same way (column definitions, constraint clauses,
 * CREATE TABLE).
 *
 * The per-dialect parts are in render_pg.c and render_sqlite.c behind
 * retort__sdialect; identifiers are always quoted by the connection
 * dialect's own quote_ident (db.h), literals by its quote_literal.  This
 * file does not decide what to do (diff.c does) and never touches a
 * database.
 */
#include <stdlib.h>
#include <string.h>

#include "base/common.h"
#include "schema/sdialect.h"

const retort__sdialect *retort__sdialect_for(retort_dialect_id id)
{
	return id == RETORT_DIALECT_SQLITE ? &retort__sdialect_sqlite : &retort__sdialect_postgres;
}

void retort__srender_ident(retort_buf *out, retort_dialect_id id, const char *ident)
{
	retort_dialect_for(id)->quote_ident(out, ident);
}

void retort__srender_qualified(retort_buf *out, retort_dialect_id id, const char *schema, const char *name)
{
	if (schema) {
		retort__srender_ident(out, id, schema);
		retort_buf_putc(out, '.');
	}
	retort__srender_ident(out, id, name);
}

void retort__srender_literal(retort_buf *out, retort_dialect_id id, const char *value)
{
	retort_dialect_for(id)->quote_literal(out, value);
}

static void comment_v(retort_buf *out, const char *prefix, const char *fmt, va_list ap)
{
	size_t from;

	retort_buf_puts(out, "-- ");
	retort_buf_puts(out, prefix);
	from = out->size;
	retort_buf_vprintf(out, fmt, ap);
	for (size_t i = from; i < out->size; i++)
		if (out->ptr[i] == '\n' || out->ptr[i] == '\r')
			out->ptr[i] = ' ';
	retort_buf_putc(out, '\n');
}

void retort__srender_comment(retort_buf *out, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	comment_v(out, "", fmt, ap);
	va_end(ap);
}

void retort__srender_destructive(retort_buf *out, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	comment_v(out, "destructive: ", fmt, ap);
	va_end(ap);
}

const char *retort__srender_fk_action(char action)
{
	switch (action) {
	case RETORT_FK_RESTRICT: return "RESTRICT";
	case RETORT_FK_CASCADE: return "CASCADE";
	case RETORT_FK_SET_NULL: return "SET NULL";
	case RETORT_FK_SET_DEFAULT: return "SET DEFAULT";
	default: return NULL; /* NO ACTION is the default: not spelled out */
	}
}

bool retort__sql_is_literal(const char *expr)
{
	static const char *const words[] = { "NULL", "TRUE", "FALSE", "CURRENT_TIME", "CURRENT_DATE", "CURRENT_TIMESTAMP" };
	const char *p = expr;

	for (size_t i = 0; i < RETORT_ARRAY_SIZE(words); i++)
		if (retort__strcasecmp(expr, words[i]) == 0)
			return true;
	if (*p == '\'') {
		/* One string literal and nothing after it. */
		for (p++; *p; p++)
			if (*p == '\'' && *++p != '\'')
				break;
		return *p == '\0' && p[-1] == '\'';
	}
	if (*p == '-' || *p == '+')
		p++;
	if (!*p)
		return false;
	for (; *p; p++)
		if (!((*p >= '0' && *p <= '9') || *p == '.'))
			return false;
	return true;
}

static void render_ident_list(retort_buf *out, retort_dialect_id id, const retort_vec *names)
{
	retort_buf_putc(out, '(');
	for (size_t i = 0; i < names->len; i++) {
		if (i)
			retort_buf_puts(out, ", ");
		retort__srender_ident(out, id, names->items[i]);
	}
	retort_buf_putc(out, ')');
}

void retort__srender_fk(retort_buf *out, retort_dialect_id id, const retort_model_constraint *c)
{
	const char *a;

	retort_buf_puts(out, "FOREIGN KEY ");
	render_ident_list(out, id, &c->columns);
	retort_buf_puts(out, " REFERENCES ");
	retort__srender_qualified(out, id, c->ref_schema, c->ref_table);
	if (c->ref_columns.len) {
		retort_buf_putc(out, ' ');
		render_ident_list(out, id, &c->ref_columns);
	}
	if (c->match_full)
		retort_buf_puts(out, " MATCH FULL");
	if ((a = retort__srender_fk_action(c->on_update)))
		retort_buf_printf(out, " ON UPDATE %s", a);
	if ((a = retort__srender_fk_action(c->on_delete)))
		retort_buf_printf(out, " ON DELETE %s", a);
	if (c->deferrable)
		retort_buf_puts(out, " DEFERRABLE");
	if (c->deferred)
		retort_buf_puts(out, " INITIALLY DEFERRED");
}

void retort__srender_constraint(retort_buf *out, retort_dialect_id id, const retort_model_constraint *c)
{
	if (c->name) {
		retort_buf_puts(out, "CONSTRAINT ");
		retort__srender_ident(out, id, c->name);
		retort_buf_putc(out, ' ');
	}
	if (c->kind == RETORT_CON_FOREIGN) {
		retort__srender_fk(out, id, c);
	} else if (c->pg_def) {
		retort_buf_puts(out, c->pg_def);
	} else if (c->kind == RETORT_CON_CHECK) {
		retort_buf_printf(out, "CHECK (%s)", c->expr);
	} else {
		retort_buf_puts(out, c->kind == RETORT_CON_PRIMARY ? "PRIMARY KEY " : "UNIQUE ");
		render_ident_list(out, id, &c->columns);
	}
}

/*
 * A column definition; with `pk`, that key written inline (SQLite
 * AUTOINCREMENT), under its name; with `implied_notnull`, no NOT NULL
 * where the table makes the column so anyway.
 */
static void render_column(retort_buf *out, retort_dialect_id id, const retort_model_column *c, bool inline_pk,
	const retort_model_constraint *pk, bool implied_notnull)
{
	retort__srender_ident(out, id, c->name);
	if (c->type[0])
		retort_buf_printf(out, " %s", c->type);
	if (c->collation) {
		retort_buf_puts(out, " COLLATE ");
		retort__srender_qualified(out, id, c->collation_schema, c->collation);
	}
	if (inline_pk && pk && pk->name) {
		retort_buf_puts(out, " CONSTRAINT ");
		retort__srender_ident(out, id, pk->name);
	}
	if (inline_pk)
		retort_buf_puts(out, c->autoincrement ? " PRIMARY KEY AUTOINCREMENT" : " PRIMARY KEY");
	if (c->generated)
		retort_buf_printf(out, " GENERATED ALWAYS AS (%s) %s", c->generated, c->gen_stored ? "STORED" : "VIRTUAL");
	if (c->identity)
		retort_buf_printf(out, " GENERATED %s AS IDENTITY", c->identity == 'a' ? "ALWAYS" : "BY DEFAULT");
	if (c->identity && c->identity_opts)
		retort_buf_printf(out, " (%s)", c->identity_opts);
	if (c->notnull && !implied_notnull)
		retort_buf_puts(out, " NOT NULL");
	if (c->default_expr)
		retort_buf_printf(out, retort__sql_is_literal(c->default_expr) ? " DEFAULT %s" : " DEFAULT (%s)",
			c->default_expr);
}

void retort__srender_column(retort_buf *out, retort_dialect_id id, const retort_model_column *c, bool inline_pk)
{
	render_column(out, id, c, inline_pk, NULL, false);
}

/* SQLite makes a WITHOUT ROWID table's key columns NOT NULL (and reports them so): not written. */
static bool key_of_without_rowid(const retort_table *t, const retort_model_column *c)
{
	const retort_model_constraint *pk = t->without_rowid ? retort_table_primary_key(t) : NULL;

	for (size_t i = 0; pk && i < pk->columns.len; i++)
		if (!retort__strcasecmp(pk->columns.items[i], c->name))
			return true;
	return false;
}

void retort__srender_create_table(retort_buf *out, retort_dialect_id id, const retort_table *t,
	const char *as_name, const retort_vec *omit)
{
	const retort_model_column *autoinc = NULL;
	bool first = true;

	for (size_t i = 0; i < t->columns.len; i++)
		if (((retort_model_column *)t->columns.items[i])->autoincrement)
			autoinc = t->columns.items[i];
	retort_buf_puts(out, "CREATE TABLE ");
	retort__srender_qualified(out, id, t->schema, as_name ? as_name : t->name);
	retort_buf_puts(out, " (");
	for (size_t i = 0; i < t->columns.len; i++) {
		retort_model_column *c = t->columns.items[i];
		retort_buf_puts(out, first ? "\n\t" : ",\n\t");
		first = false;
		render_column(out, id, c, c == autoinc, c == autoinc ? retort_table_primary_key(t) : NULL,
			key_of_without_rowid(t, c));
	}
	for (size_t i = 0; i < t->constraints.len; i++) {
		retort_model_constraint *c = t->constraints.items[i];
		if (omit && retort_vec_contains(omit, c))
			continue;
		if (autoinc && c->kind == RETORT_CON_PRIMARY)
			continue;
		retort_buf_puts(out, first ? "\n\t" : ",\n\t");
		first = false;
		retort__srender_constraint(out, id, c);
	}
	retort_buf_puts(out, "\n)");
	if (t->without_rowid)
		retort_buf_puts(out, t->strict ? " WITHOUT ROWID, STRICT" : " WITHOUT ROWID");
	else if (t->strict)
		retort_buf_puts(out, " STRICT");
	retort_buf_puts(out, ";\n");
}

/* Does SQLite fill `c` itself (the rowid: a lone INTEGER PRIMARY KEY)? */
static bool sqlite_rowid(const retort_table *t, const retort_model_column *c)
{
	const retort_model_constraint *pk = retort_table_primary_key(t);

	return !t->without_rowid && pk && pk->columns.len == 1 &&
		retort__strcasecmp(pk->columns.items[0], c->name) == 0 && retort__strcasecmp(c->type, "INTEGER") == 0;
}

void retort__srender_add_column_warning(retort_buf *out, retort_dialect_id id, const retort_table *t,
	const retort_model_column *c)
{
	if (!c->notnull || c->default_expr || c->generated || c->autoincrement || c->identity ||
		(id == RETORT_DIALECT_SQLITE && sqlite_rowid(t, c)))
		return;
	retort__srender_comment(out, "warning: column \"%s\" is added NOT NULL without a default: this fails "
		"if \"%s\" has rows (give it a default, or add it nullable and fill it first)", c->name, t->name);
}

bool retort_op_in_place(const retort_diff *d, const retort_op *op)
{
	return retort__sdialect_for(d->to->dialect)->can_alter(op);
}

void retort_op_render(retort_buf *out, const retort_diff *d, const retort_op *op)
{
	retort__sdialect_for(d->to->dialect)->render_op(out, d, op);
}

void retort_diff_render(retort_buf *out, const retort_diff *d)
{
	const retort__sdialect *sd = retort__sdialect_for(d->to->dialect);

	if (!d->ops.len)
		return;
	/* Advice (possible renames) travels with the script, so a revision shows it too. */
	for (size_t i = 0; i < d->notes.len; i++)
		retort__srender_comment(out, "note: %s", (const char *)d->notes.items[i]);
	sd->render_begin(out, d);
	for (size_t i = 0; i < d->ops.len; i++)
		sd->render_op(out, d, d->ops.items[i]);
	sd->render_end(out, d);
}

void retort__srender_index_keys(retort_buf *out, retort_dialect_id id, const char *schema,
	const retort_table *t, const retort_index *x)
{
	retort_buf_puts(out, x->unique ? "CREATE UNIQUE INDEX " : "CREATE INDEX ");
	retort__srender_ident(out, id, x->name);
	retort_buf_puts(out, " ON ");
	retort__srender_qualified(out, id, schema, t->name);
	retort_buf_puts(out, " (");
	for (size_t i = 0; i < x->keys.len; i++)
		retort_buf_printf(out, "%s%s", i ? ", " : "", (const char *)x->keys.items[i]);
	retort_buf_putc(out, ')');
	if (x->where)
		retort_buf_printf(out, " WHERE %s", x->where);
	retort_buf_puts(out, ";\n");
}
