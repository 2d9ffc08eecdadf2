/*
 * render_pg_table.c - PostgreSQL SQL for what tables have beyond columns,
 * keys and indexes: CREATE TABLE of partitioned tables, partitions,
 * inheriting and unlogged tables; attaching and detaching partitions,
 * INHERIT / NO INHERIT, SET LOGGED / UNLOGGED, row-level security
 * switches, VALIDATE CONSTRAINT, identity sequence options, and the
 * defaults dropped and set again around a change to what they call.
 */
#include <stdlib.h>
#include <string.h>

#include "base/common.h"
#include "schema/render_pg.h"

void retort__pgr_create_table(retort_buf *out, const retort_table *t, const retort_vec *omit)
{
	bool first = true;

	retort_buf_puts(out, t->unlogged ? "CREATE UNLOGGED TABLE " : "CREATE TABLE ");
	retort__pgr_table_name(out, t);
	if (t->parent) {
		retort_buf_puts(out, " PARTITION OF ");
		retort__srender_qualified(out, PG, t->parent_schema, t->parent);
	}
	/* A partition without columns or constraints of its own takes no list at all. */
	if (!t->parent || t->columns.len || t->constraints.len > (omit ? omit->len : 0))
		retort_buf_puts(out, " (");
	else
		first = false;
	for (size_t i = 0; i < t->columns.len; i++) {
		const retort_model_column *c = t->columns.items[i];
		retort_buf_puts(out, first ? "\n\t" : ",\n\t");
		first = false;
		retort__srender_column(out, PG, c, false);
	}
	for (size_t i = 0; i < t->constraints.len; i++) {
		const retort_model_constraint *c = t->constraints.items[i];
		if (omit && retort_vec_contains(omit, c))
			continue;
		retort_buf_puts(out, first ? "\n\t" : ",\n\t");
		first = false;
		retort__srender_constraint(out, PG, c);
	}
	if (first)
		retort_buf_putc(out, ')');
	else if (!t->parent || t->columns.len || t->constraints.len > (omit ? omit->len : 0))
		retort_buf_puts(out, "\n)");
	if (t->parent)
		retort_buf_printf(out, " %s", t->partition_bound ? t->partition_bound : "DEFAULT");
	for (size_t i = 0; i + 1 < t->inherits.len; i += 2) {
		retort_buf_puts(out, i ? ", " : " INHERITS (");
		retort__srender_qualified(out, PG, t->inherits.items[i], t->inherits.items[i + 1]);
		if (i + 2 >= t->inherits.len)
			retort_buf_putc(out, ')');
	}
	if (t->partition_key)
		retort_buf_printf(out, " PARTITION BY %s", t->partition_key);
	retort_buf_puts(out, ";\n");
}

static void rls(retort_buf *out, const retort_op *op)
{
	const retort_table *o = op->old_table, *t = op->table;

	if ((o ? o->rls : false) != t->rls) {
		retort__pgr_alter_table(out, t);
		retort_buf_puts(out, t->rls ? "ENABLE ROW LEVEL SECURITY;\n" : "DISABLE ROW LEVEL SECURITY;\n");
	}
	if ((o ? o->rls_force : false) != t->rls_force) {
		retort__pgr_alter_table(out, t);
		retort_buf_puts(out, t->rls_force ? "FORCE ROW LEVEL SECURITY;\n" : "NO FORCE ROW LEVEL SECURITY;\n");
	}
}

/*
 * The options as reflection spells them ("START WITH 1 INCREMENT BY 1
 * MINVALUE 1 MAXVALUE 10 CACHE 1 NO CYCLE", numbers between keywords) as
 * ALTER COLUMN takes them: each one preceded by SET.
 */
static void identity_options(retort_buf *out, const char *opts)
{
	static const char *const words[] = { "START ", "INCREMENT ", "MINVALUE ", "MAXVALUE ", "CACHE ", "NO ", "CYCLE" };
	bool after_no = false;

	for (const char *p = opts; *p;) {
		const char *end = strchr(p, ' ');
		size_t n = end ? (size_t)(end - p + 1) : strlen(p);
		for (size_t i = 0; i < RETORT_ARRAY_SIZE(words); i++)
			if (strncmp(p, words[i], strlen(words[i])) == 0 && !after_no) {
				retort_buf_puts(out, "SET ");
				break;
			}
		after_no = strncmp(p, "NO ", 3) == 0;
		retort_buf_put(out, p, n);
		p += n;
	}
}

/* The number after `word` in identity options ("MINVALUE -100"). */
static long long option(const char *opts, const char *word)
{
	const char *p = opts ? strstr(opts, word) : NULL;

	return p ? strtoll(p + strlen(word), NULL, 10) : 0;
}

/*
 * A narrower range may exclude where the sequence stands, which ALTER
 * refuses: it then restarts at its start (new rows may then collide with
 * old ones, hence the note).
 */
static void alter_identity(retort_buf *out, const retort_op *op)
{
	const char *o = op->old_column->identity_opts, *n = op->column->identity_opts;
	bool narrower = option(n, "MINVALUE ") > option(o, "MINVALUE ") || option(n, "MAXVALUE ") < option(o, "MAXVALUE ");

	if (narrower)
		retort__srender_comment(out, "note: the identity of \"%s\" restarts at its start: its range narrows",
			op->column->name);
	retort__pgr_alter_column(out, op->table, op->column);
	identity_options(out, n);
	retort_buf_puts(out, narrower ? " RESTART;\n" : ";\n");
}

static void partition_of(retort_buf *out, const retort_table *t)
{
	retort_buf_puts(out, "ALTER TABLE ");
	retort__srender_qualified(out, PG, t->parent_schema, t->parent);
	retort_buf_putc(out, ' ');
}

bool retort__pgr_table_op(retort_buf *out, const retort_diff *d, const retort_op *op)
{
	const retort_table *t = op->table;

	(void)d;
	switch (op->kind) {
	case RETORT_OP_TABLE_RLS:
		rls(out, op);
		return true;
	case RETORT_OP_SET_LOGGED:
		retort__pgr_alter_table(out, t);
		retort_buf_puts(out, t->unlogged ? "SET UNLOGGED;\n" : "SET LOGGED;\n");
		return true;
	case RETORT_OP_ATTACH_PARTITION:
		partition_of(out, t);
		retort_buf_puts(out, "ATTACH PARTITION ");
		retort__pgr_table_name(out, t);
		retort_buf_printf(out, " %s;\n", t->partition_bound ? t->partition_bound : "DEFAULT");
		return true;
	case RETORT_OP_DETACH_PARTITION:
		partition_of(out, op->old_table);
		retort_buf_puts(out, "DETACH PARTITION ");
		retort__pgr_table_name(out, op->old_table);
		retort_buf_puts(out, ";\n");
		return true;
	case RETORT_OP_INHERIT:
	case RETORT_OP_NO_INHERIT:
		retort__pgr_alter_table(out, t);
		retort_buf_puts(out, op->kind == RETORT_OP_INHERIT ? "INHERIT " : "NO INHERIT ");
		retort__srender_qualified(out, PG, op->parent_schema, op->parent);
		retort_buf_puts(out, ";\n");
		return true;
	case RETORT_OP_VALIDATE_CONSTRAINT:
		retort__pgr_alter_table(out, t);
		retort_buf_puts(out, "VALIDATE CONSTRAINT ");
		retort__srender_ident(out, PG, op->constraint->name);
		retort_buf_puts(out, ";\n");
		return true;
	case RETORT_OP_ALTER_IDENTITY:
		alter_identity(out, op);
		return true;
	case RETORT_OP_DROP_DEFAULT:
		retort__pgr_alter_column(out, t, op->column);
		retort_buf_puts(out, "DROP DEFAULT;\n");
		return true;
	case RETORT_OP_SET_DEFAULT:
		retort__pgr_alter_column(out, t, op->column);
		retort_buf_printf(out, "SET DEFAULT %s;\n", op->column->default_expr);
		return true;
	default:
		return false;
	}
}
