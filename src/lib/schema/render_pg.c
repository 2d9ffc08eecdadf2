/*
 * render_pg.c - PostgreSQL SQL for each schema operation, and the
 * PostgreSQL entry of the schema-dialect table.
 *
 * PostgreSQL's ALTER TABLE expresses every table change in place, so no
 * operation is refused; a column change becomes the few ALTER COLUMN
 * statements it needs, in an order the server accepts (identity and
 * default out of the way before a type change, back after it).  Index
 * definitions are pg_get_indexdef's own text.  Nothing here connects.
 */
#include <stdlib.h>
#include <string.h>

#include "base/common.h"
#include "schema/reflect.h"
#include "schema/render_pg.h"

void retort__pgr_table_name(retort_buf *out, const retort_table *t)
{
	retort__srender_qualified(out, PG, t->schema, t->name);
}

void retort__pgr_alter_table(retort_buf *out, const retort_table *t)
{
	retort_buf_puts(out, "ALTER TABLE ");
	retort__pgr_table_name(out, t);
	retort_buf_putc(out, ' ');
}

void retort__pgr_alter_column(retort_buf *out, const retort_table *t, const retort_model_column *c)
{
	retort__pgr_alter_table(out, t);
	retort_buf_puts(out, "ALTER COLUMN ");
	retort__srender_ident(out, PG, c->name);
	retort_buf_putc(out, ' ');
}


static void render_sequence_options(retort_buf *out, const retort_sequence *s)
{
	if (s->type)
		retort_buf_printf(out, " AS %s", s->type);
	if (s->increment)
		retort_buf_printf(out, " INCREMENT BY %s", s->increment);
	if (s->min)
		retort_buf_printf(out, " MINVALUE %s", s->min);
	if (s->max)
		retort_buf_printf(out, " MAXVALUE %s", s->max);
	if (s->start)
		retort_buf_printf(out, " START WITH %s", s->start);
	if (s->cache)
		retort_buf_printf(out, " CACHE %s", s->cache);
	retort_buf_puts(out, s->cycle ? " CYCLE" : " NO CYCLE");
}

static void render_create_sequence(retort_buf *out, const retort_sequence *s)
{
	retort_buf_puts(out, "CREATE SEQUENCE ");
	retort__srender_qualified(out, PG, s->schema, s->name);
	render_sequence_options(out, s);
	retort_buf_puts(out, ";\n");
}

/* Is `type` (as format_type prints it) one of the model's enum types? */
static bool is_enum(const retort_model *m, const char *type)
{
	for (size_t i = 0; i < m->enums.len; i++) {
		const retort_enum *e = m->enums.items[i];
		if (retort_pg_type_is(type, e->schema, e->name))
			return true;
	}
	return false;
}

/*
 * A column that becomes NOT NULL with a default: its NULLs take the
 * default first, so SET NOT NULL does not fail on them.
 */
static void render_fill_nulls(retort_buf *out, const retort_table *t, const retort_model_column *c)
{
	retort__srender_comment(out, "column \"%s\" becomes NOT NULL: where it is NULL it takes its default", c->name);
	retort_buf_puts(out, "UPDATE ");
	retort__pgr_table_name(out, t);
	retort_buf_puts(out, " SET ");
	retort__srender_ident(out, PG, c->name);
	retort_buf_printf(out, " = DEFAULT WHERE ");
	retort__srender_ident(out, PG, c->name);
	retort_buf_puts(out, " IS NULL;\n");
}

static void render_alter_column(retort_buf *out, const retort_diff *d, const retort_op *op)
{
	const retort_model_column *o = op->old_column, *c = op->column;
	const retort_table *t = op->table;
	bool retype = !retort__streq(o->type, c->type) || !retort__streq(o->collation, c->collation);
	bool redefault = (!retort__streq(o->default_expr, c->default_expr) || retype) && !op->default_apart;

	if (o->identity && !c->identity) {
		retort__pgr_alter_column(out, t, c);
		retort_buf_puts(out, "DROP IDENTITY;\n");
	}
	if (o->default_expr && redefault) {
		retort__pgr_alter_column(out, t, c);
		retort_buf_puts(out, "DROP DEFAULT;\n");
	}
	if (op->seq_drop) {
		retort__srender_destructive(out, "drops sequence \"%s\"", op->seq_drop->name);
		retort_buf_puts(out, "DROP SEQUENCE ");
		retort__srender_qualified(out, PG, op->seq_drop->schema, op->seq_drop->name);
		retort_buf_puts(out, ";\n");
	}
	if (op->seq_create)
		render_create_sequence(out, op->seq_create);
	if (retype && !o->type)
		retort__srender_destructive(out, "changes the type of column \"%s\" to %s (values are converted)",
			c->name, c->type);
	else if (retype && !retort__type_widens(PG, o->type, c->type))
		retort__srender_destructive(out, "changes the type of column \"%s\" from %s to %s (values are converted)",
			c->name, o->type, c->type);
	if (retype) {
		retort__pgr_alter_column(out, t, c);
		retort_buf_printf(out, "TYPE %s", c->type);
		if (c->collation) {
			retort_buf_puts(out, " COLLATE ");
			retort__srender_qualified(out, PG, c->collation_schema, c->collation);
		}
		retort_buf_puts(out, " USING ");
		retort__srender_ident(out, PG, c->name);
		/* Enum to enum has no cast: go through the label text. */
		retort_buf_printf(out, "%s::%s;\n", o->type && is_enum(d->from, o->type) && is_enum(d->to, c->type) ? "::text" : "",
			c->type);
	}
	if (c->default_expr && redefault) {
		retort__pgr_alter_column(out, t, c);
		retort_buf_printf(out, "SET DEFAULT %s;\n", c->default_expr);
	}
	if (!o->notnull && c->notnull && c->default_expr)
		render_fill_nulls(out, t, c);
	if (o->notnull != c->notnull) {
		retort__pgr_alter_column(out, t, c);
		retort_buf_puts(out, c->notnull ? "SET NOT NULL;\n" : "DROP NOT NULL;\n");
	}
	if (c->identity && !o->identity) {
		retort__pgr_alter_column(out, t, c);
		retort_buf_printf(out, "ADD GENERATED %s AS IDENTITY", c->identity == 'a' ? "ALWAYS" : "BY DEFAULT");
		if (c->identity_opts)
			retort_buf_printf(out, " (%s)", c->identity_opts);
		retort_buf_puts(out, ";\n");
	} else if (c->identity && o->identity != c->identity) {
		retort__pgr_alter_column(out, t, c);
		retort_buf_printf(out, "SET GENERATED %s;\n", c->identity == 'a' ? "ALWAYS" : "BY DEFAULT");
	}
}

/* owned_by is "schema.table.column" */
static void render_owned_by(retort_buf *out, const char *owned_by)
{
	const char *last = strrchr(owned_by, '.');
	const char *first = strchr(owned_by, '.');
	char *schema, *table;

	if (!last || last == first) {
		retort_buf_puts(out, "NONE");
		return;
	}
	schema = retort__strndup(owned_by, (size_t)(first - owned_by));
	table = retort__strndup(first + 1, (size_t)(last - first - 1));
	retort__srender_qualified(out, PG, schema, table);
	retort_buf_putc(out, '.');
	retort__srender_ident(out, PG, last + 1);
	free(schema);
	free(table);
}

void retort__pgr_comment_text(retort_buf *out, const char *comment)
{
	if (comment)
		retort__srender_literal(out, PG, comment);
	else
		retort_buf_puts(out, "NULL");
}

static void render_enum_type(retort_buf *out, const retort_enum *e, const char *name)
{
	retort_buf_puts(out, "CREATE TYPE ");
	retort__srender_qualified(out, PG, e->schema, name);
	retort_buf_puts(out, " AS ENUM (");
	for (size_t i = 0; i < e->labels.len; i++) {
		if (i)
			retort_buf_puts(out, ", ");
		retort__srender_literal(out, PG, e->labels.items[i]);
	}
	retort_buf_puts(out, ");\n");
}

/*
 * Labels cannot be dropped from an enum: rename the old type away, create
 * the new one, convert each column through text (a value whose label is
 * gone fails here, which is the point), and drop the old type.
 */
static void render_replace_enum(retort_buf *out, const retort_op *op)
{
	const retort_enum *e = op->enumtype;
	char *old = retort__sprintf("%s__retort_old", e->name);

	retort__srender_destructive(out, "replaces type \"%s\": values whose label is removed make this fail", e->name);
	retort_buf_puts(out, "ALTER TYPE ");
	retort__srender_qualified(out, PG, e->schema, e->name);
	retort_buf_puts(out, " RENAME TO ");
	retort__srender_ident(out, PG, old);
	retort_buf_puts(out, ";\n");
	render_enum_type(out, e, e->name);
	for (size_t i = 0; i + 2 < op->uses.len; i += 3) {
		const retort_table *t = op->uses.items[i];
		const retort_model_column *c = op->uses.items[i + 1];
		if (c->default_expr) {
			retort__pgr_alter_column(out, t, c);
			retort_buf_puts(out, "DROP DEFAULT;\n");
		}
		retort__pgr_alter_column(out, t, c);
		retort_buf_puts(out, "TYPE ");
		retort__srender_qualified(out, PG, e->schema, e->name);
		retort_buf_puts(out, " USING ");
		retort__srender_ident(out, PG, c->name);
		retort_buf_puts(out, "::text::");
		retort__srender_qualified(out, PG, e->schema, e->name);
		retort_buf_puts(out, ";\n");
		/* The old default named the old type: put back the target's. */
		const retort_model_column *nc = op->uses.items[i + 2];
		if (c->default_expr && nc && nc->default_expr) {
			retort__pgr_alter_column(out, t, c);
			retort_buf_printf(out, "SET DEFAULT %s;\n", nc->default_expr);
		}
	}
	retort_buf_puts(out, "DROP TYPE ");
	retort__srender_qualified(out, PG, e->schema, old);
	retort_buf_puts(out, ";\n");
	free(old);
}


/* C revisions: ALTER TABLE old RENAME TO new (the diff finds no table renames). */
static void render_rename_table(retort_buf *out, const retort_op *op)
{
	retort__pgr_alter_table(out, op->old_table);
	retort_buf_puts(out, "RENAME TO ");
	retort__srender_ident(out, PG, op->table->name);
	retort_buf_puts(out, ";\n");
}

/* Schemas, extensions, enum types and sequences: what tables need first. */
static bool render_namespace_op(retort_buf *out, const retort_op *op)
{
	switch (op->kind) {
	case RETORT_OP_CREATE_SCHEMA:
		retort_buf_puts(out, "CREATE SCHEMA ");
		retort__srender_ident(out, PG, op->schema);
		retort_buf_puts(out, ";\n");
		return true;
	case RETORT_OP_CREATE_EXTENSION:
		retort_buf_puts(out, "CREATE EXTENSION IF NOT EXISTS ");
		retort__srender_ident(out, PG, op->extension->name);
		if (op->extension->schema) {
			retort_buf_puts(out, " WITH SCHEMA ");
			retort__srender_ident(out, PG, op->extension->schema);
		}
		if (op->extension->version) {
			retort_buf_puts(out, " VERSION ");
			retort__srender_literal(out, PG, op->extension->version);
		}
		retort_buf_puts(out, ";\n");
		return true;
	case RETORT_OP_DROP_EXTENSION:
		retort__srender_destructive(out, "drops extension \"%s\" and what it provides", op->old_extension->name);
		retort_buf_puts(out, "DROP EXTENSION ");
		retort__srender_ident(out, PG, op->old_extension->name);
		retort_buf_puts(out, ";\n");
		return true;
	case RETORT_OP_DROP_SCHEMA:
		retort__srender_destructive(out, "drops schema \"%s\"", op->schema);
		retort_buf_puts(out, "DROP SCHEMA ");
		retort__srender_ident(out, PG, op->schema);
		retort_buf_puts(out, ";\n");
		return true;
	case RETORT_OP_CREATE_ENUM:
		render_enum_type(out, op->enumtype, op->enumtype->name);
		return true;
	case RETORT_OP_ADD_ENUM_VALUE:
		retort_buf_puts(out, "ALTER TYPE ");
		retort__srender_qualified(out, PG, op->enumtype->schema, op->enumtype->name);
		retort_buf_puts(out, " ADD VALUE ");
		retort__srender_literal(out, PG, op->label);
		if (op->label_before) {
			retort_buf_puts(out, " BEFORE ");
			retort__srender_literal(out, PG, op->label_before);
		}
		retort_buf_puts(out, ";\n");
		return true;
	case RETORT_OP_DROP_ENUM:
		retort__srender_destructive(out, "drops type \"%s\"", op->enumtype->name);
		retort_buf_puts(out, "DROP TYPE ");
		retort__srender_qualified(out, PG, op->enumtype->schema, op->enumtype->name);
		retort_buf_puts(out, ";\n");
		return true;
	case RETORT_OP_REPLACE_ENUM:
		render_replace_enum(out, op);
		return true;
	case RETORT_OP_CREATE_SEQUENCE:
		render_create_sequence(out, op->sequence);
		return true;
	case RETORT_OP_ALTER_SEQUENCE:
		retort_buf_puts(out, "ALTER SEQUENCE ");
		retort__srender_qualified(out, PG, op->sequence->schema, op->sequence->name);
		render_sequence_options(out, op->sequence);
		retort_buf_puts(out, " OWNED BY ");
		if (op->sequence->owned_by)
			render_owned_by(out, op->sequence->owned_by);
		else
			retort_buf_puts(out, "NONE");
		retort_buf_puts(out, ";\n");
		return true;
	case RETORT_OP_DROP_SEQUENCE:
		retort__srender_destructive(out, "drops sequence \"%s\"", op->sequence->name);
		/* A sequence owned by a dropped column is gone already. */
		retort_buf_puts(out, op->sequence->owned_by ? "DROP SEQUENCE IF EXISTS " : "DROP SEQUENCE ");
		retort__srender_qualified(out, PG, op->sequence->schema, op->sequence->name);
		retort_buf_puts(out, ";\n");
		return true;
	default:
		return false;
	}
}

/* Tables, their columns, constraints and indexes. */
static bool render_table_op(retort_buf *out, const retort_diff *d, const retort_op *op)
{
	const retort_table *t = op->table;

	switch (op->kind) {
	case RETORT_OP_CREATE_TABLE:
		retort__pgr_create_table(out, t, &op->omit_fks);
		return true;
	case RETORT_OP_DROP_TABLE:
		retort__srender_destructive(out, "drops table \"%s\" and its rows", t->name);
		retort_buf_puts(out, "DROP TABLE ");
		retort__pgr_table_name(out, t);
		retort_buf_puts(out, ";\n");
		return true;
	case RETORT_OP_ADD_COLUMN:
		retort__srender_add_column_warning(out, PG, t, op->column);
		retort__pgr_alter_table(out, t);
		retort_buf_puts(out, "ADD COLUMN ");
		retort__srender_column(out, PG, op->column, false);
		retort_buf_puts(out, ";\n");
		return true;
	case RETORT_OP_DROP_COLUMN:
		retort__srender_destructive(out, "drops column \"%s\" of \"%s\" and its values", op->column->name, t->name);
		retort__pgr_alter_table(out, t);
		retort_buf_puts(out, "DROP COLUMN ");
		retort__srender_ident(out, PG, op->column->name);
		retort_buf_puts(out, ";\n");
		return true;
	case RETORT_OP_ALTER_COLUMN:
		render_alter_column(out, d, op);
		return true;
	case RETORT_OP_RENAME_COLUMN:
		retort__pgr_alter_table(out, op->old_table);
		retort_buf_puts(out, "RENAME COLUMN ");
		retort__srender_ident(out, PG, op->old_column->name);
		retort_buf_puts(out, " TO ");
		retort__srender_ident(out, PG, op->column->name);
		retort_buf_puts(out, ";\n");
		return true;
	case RETORT_OP_ADD_CONSTRAINT:
		retort__pgr_alter_table(out, t);
		retort_buf_puts(out, "ADD ");
		retort__srender_constraint(out, PG, op->constraint);
		retort_buf_puts(out, op->constraint->not_valid ? " NOT VALID;\n" : ";\n");
		return true;
	case RETORT_OP_DROP_CONSTRAINT:
		retort__pgr_alter_table(out, t);
		retort_buf_puts(out, "DROP CONSTRAINT ");
		retort__srender_ident(out, PG, op->constraint->name ? op->constraint->name : "");
		retort_buf_puts(out, ";\n");
		return true;
	case RETORT_OP_CREATE_INDEX:
		if (op->index->definition)
			retort_buf_printf(out, "%s;\n", op->index->definition);
		else
			retort__srender_index_keys(out, PG, t->schema, t, op->index);
		return true;
	case RETORT_OP_RENAME_TABLE:
		render_rename_table(out, op);
		return true;
	case RETORT_OP_DROP_INDEX:
		retort_buf_puts(out, "DROP INDEX ");
		retort__srender_qualified(out, PG, t ? t->schema : op->view->schema, op->index->name);
		retort_buf_puts(out, ";\n");
		return true;
	default:
		return false;
	}
}

/* COMMENT ON <what> <target> IS '...'; */
static void comment_on(retort_buf *out, const char *what, const char *schema, const char *name,
	const char *sub, const char *comment)
{
	retort_buf_printf(out, "COMMENT ON %s ", what);
	retort__srender_qualified(out, PG, schema, name);
	if (sub) {
		retort_buf_putc(out, '.');
		retort__srender_ident(out, PG, sub);
	}
	retort_buf_puts(out, " IS ");
	retort__pgr_comment_text(out, comment);
	retort_buf_puts(out, ";\n");
}

/* Views and comments. */
static bool render_view_op(retort_buf *out, const retort_op *op)
{
	const retort_table *t = op->table;

	switch (op->kind) {
	case RETORT_OP_CREATE_VIEW:
		retort_buf_puts(out, op->view->materialized ? "CREATE MATERIALIZED VIEW " : "CREATE VIEW ");
		retort__srender_qualified(out, PG, op->view->schema, op->view->name);
		retort_buf_printf(out, " AS\n%s", op->view->definition);
		if (op->view->materialized)
			retort_buf_puts(out, op->view->with_data ? "\nWITH DATA" : "\nWITH NO DATA");
		retort_buf_puts(out, ";\n");
		return true;
	case RETORT_OP_DROP_VIEW:
		retort_buf_puts(out, op->view->materialized ? "DROP MATERIALIZED VIEW " : "DROP VIEW ");
		retort__srender_qualified(out, PG, op->view->schema, op->view->name);
		retort_buf_puts(out, ";\n");
		return true;
	case RETORT_OP_COMMENT_TABLE:
		comment_on(out, "TABLE", t->schema, t->name, NULL, t->comment);
		return true;
	case RETORT_OP_COMMENT_VIEW:
		comment_on(out, op->view->materialized ? "MATERIALIZED VIEW" : "VIEW", op->view->schema, op->view->name,
			NULL, op->view->comment);
		return true;
	case RETORT_OP_COMMENT_TYPE:
		comment_on(out, "TYPE", op->enumtype->schema, op->enumtype->name, NULL, op->enumtype->comment);
		return true;
	case RETORT_OP_COMMENT_COLUMN:
		comment_on(out, "COLUMN", t->schema, t->name, op->column->name, op->column->comment);
		return true;
	default:
		return false;
	}
}

static void pg_render_op(retort_buf *out, const retort_diff *d, const retort_op *op)
{
	/*
	 * REBUILD_TABLE and the SQLite trigger ops are never produced for
	 * PostgreSQL: can_alter accepts everything.
	 */
	if (!render_namespace_op(out, op) && !render_table_op(out, d, op) && !render_view_op(out, op) &&
		!retort__pgr_table_op(out, d, op) && !retort__pgr_routine_op(out, op) && !retort__pgr_type_op(out, op))
		retort__pgr_acl_op(out, op);
}

static bool pg_can_alter(const retort_op *op)
{
	(void)op;
	return true;
}

static void pg_render_nothing(retort_buf *out, const retort_diff *d)
{
	(void)out;
	(void)d;
}

const retort__sdialect retort__sdialect_postgres = {
	.id = RETORT_DIALECT_POSTGRES,
	.reflect = retort__reflect_pg,
	.can_alter = pg_can_alter,
	.fk_forward_refs = false,
	.named_constraints = true,
	.render_op = pg_render_op,
	.render_begin = pg_render_nothing,
	.render_end = pg_render_nothing,
};
