/*
 * render_pg_catalog.c - PostgreSQL SQL for functions and procedures,
 * triggers, policies, domains, composite types, collations, extension
 * updates, and COMMENT ON for every kind that has no op of its own.
 *
 * Functions and triggers are created from the server's own text
 * (pg_get_functiondef, pg_get_triggerdef); policies, domains and types
 * are spelled from their parts.  Roles in policies are quoted as
 * identifiers, except PUBLIC.
 */
#include <stdlib.h>
#include <string.h>

#include "base/common.h"
#include "schema/render_pg.h"

/* The server's CREATE text without its trailing newline, as one statement. */
static void statement(retort_buf *out, const char *text)
{
	size_t n = strlen(text);

	while (n && (text[n - 1] == '\n' || text[n - 1] == ' ' || text[n - 1] == ';'))
		n--;
	retort_buf_put(out, text, n);
	retort_buf_puts(out, ";\n");
}

static void function_name(retort_buf *out, const retort_pg_function *f)
{
	retort__srender_qualified(out, PG, f->schema, f->name);
	retort_buf_printf(out, "(%s)", f->identity ? f->identity : f->argtypes);
}

static void on_table(retort_buf *out, const char *name, const char *schema, const char *table)
{
	retort__srender_ident(out, PG, name);
	retort_buf_puts(out, " ON ");
	retort__srender_qualified(out, PG, schema, table);
}

static const char *policy_command(char cmd)
{
	switch (cmd) {
	case 'r': return "SELECT";
	case 'a': return "INSERT";
	case 'w': return "UPDATE";
	case 'd': return "DELETE";
	default: return "ALL";
	}
}

static void policy_roles(retort_buf *out, const retort_pg_policy *p)
{
	retort_buf_puts(out, " TO ");
	if (!p->roles.len)
		retort_buf_puts(out, "PUBLIC");
	for (size_t i = 0; i < p->roles.len; i++) {
		const char *role = p->roles.items[i];
		if (i)
			retort_buf_puts(out, ", ");
		if (strcmp(role, "public") == 0)
			retort_buf_puts(out, "PUBLIC");
		else
			retort__srender_ident(out, PG, role);
	}
}

static void policy_exprs(retort_buf *out, const retort_pg_policy *p)
{
	if (p->using_expr)
		retort_buf_printf(out, " USING (%s)", p->using_expr);
	if (p->check_expr)
		retort_buf_printf(out, " WITH CHECK (%s)", p->check_expr);
}

static void create_policy(retort_buf *out, const retort_pg_policy *p)
{
	retort_buf_puts(out, "CREATE POLICY ");
	on_table(out, p->name, p->schema, p->table);
	retort_buf_printf(out, " AS %s FOR %s", p->permissive ? "PERMISSIVE" : "RESTRICTIVE", policy_command(p->cmd));
	policy_roles(out, p);
	policy_exprs(out, p);
	retort_buf_puts(out, ";\n");
}

static void trigger_state(retort_buf *out, const retort_pg_trigger *t)
{
	static const char *const states[] = { "ENABLE", "DISABLE", "ENABLE REPLICA", "ENABLE ALWAYS" };
	size_t which = t->enabled == 'D' ? 1 : t->enabled == 'R' ? 2 : t->enabled == 'A' ? 3 : 0;

	retort_buf_puts(out, "ALTER TABLE ");
	retort__srender_qualified(out, PG, t->schema, t->table);
	retort_buf_printf(out, " %s TRIGGER ", states[which]);
	retort__srender_ident(out, PG, t->name);
	retort_buf_puts(out, ";\n");
}

bool retort__pgr_routine_op(retort_buf *out, const retort_op *op)
{
	switch (op->kind) {
	case RETORT_OP_CREATE_FUNCTION:
	case RETORT_OP_REPLACE_FUNCTION:
		statement(out, op->function->definition);
		return true;
	case RETORT_OP_DROP_FUNCTION:
		retort_buf_puts(out, op->function->kind == 'p' ? "DROP PROCEDURE " : "DROP FUNCTION ");
		function_name(out, op->function);
		retort_buf_puts(out, ";\n");
		return true;
	case RETORT_OP_CREATE_PG_TRIGGER:
		statement(out, op->pg_trigger->definition);
		return true;
	case RETORT_OP_DROP_PG_TRIGGER:
		retort_buf_puts(out, "DROP TRIGGER ");
		on_table(out, op->pg_trigger->name, op->pg_trigger->schema, op->pg_trigger->table);
		retort_buf_puts(out, ";\n");
		return true;
	case RETORT_OP_ENABLE_TRIGGER:
		trigger_state(out, op->pg_trigger);
		return true;
	case RETORT_OP_CREATE_POLICY:
		create_policy(out, op->policy);
		return true;
	case RETORT_OP_ALTER_POLICY:
		retort_buf_puts(out, "ALTER POLICY ");
		on_table(out, op->policy->name, op->policy->schema, op->policy->table);
		policy_roles(out, op->policy);
		policy_exprs(out, op->policy);
		retort_buf_puts(out, ";\n");
		return true;
	case RETORT_OP_RENAME_POLICY:
		retort_buf_puts(out, "ALTER POLICY ");
		on_table(out, op->old_policy->name, op->old_policy->schema, op->old_policy->table);
		retort_buf_puts(out, " RENAME TO ");
		retort__srender_ident(out, PG, op->policy->name);
		retort_buf_puts(out, ";\n");
		return true;
	case RETORT_OP_DROP_POLICY:
		retort_buf_puts(out, "DROP POLICY ");
		on_table(out, op->old_policy->name, op->old_policy->schema, op->old_policy->table);
		retort_buf_puts(out, ";\n");
		return true;
	default:
		return false;
	}
}

/* --- types ---------------------------------------------------------------------- */

static bool not_valid(const char *def, size_t *len)
{
	size_t n = strlen(def);

	*len = n;
	if (n > 10 && strcmp(def + n - 10, " NOT VALID") == 0) {
		*len = n - 10;
		return true;
	}
	return false;
}

static void alter_domain(retort_buf *out, const retort_pg_domain *d)
{
	retort_buf_puts(out, "ALTER DOMAIN ");
	retort__srender_qualified(out, PG, d->schema, d->name);
	retort_buf_putc(out, ' ');
}

static void add_check(retort_buf *out, const retort_pg_domain *d, const retort_pg_check *c)
{
	alter_domain(out, d);
	retort_buf_puts(out, "ADD CONSTRAINT ");
	retort__srender_ident(out, PG, c->name);
	retort_buf_printf(out, " %s;\n", c->definition);
}

/* CREATE DOMAIN cannot take a NOT VALID check: those are added right after. */
static void create_domain(retort_buf *out, const retort_pg_domain *d)
{
	retort_buf_puts(out, "CREATE DOMAIN ");
	retort__srender_qualified(out, PG, d->schema, d->name);
	retort_buf_printf(out, " AS %s", d->type);
	if (d->collation) {
		retort_buf_puts(out, " COLLATE ");
		retort__srender_qualified(out, PG, d->collation_schema, d->collation);
	}
	if (d->default_expr)
		retort_buf_printf(out, " DEFAULT %s", d->default_expr);
	if (d->notnull)
		retort_buf_puts(out, " NOT NULL");
	for (size_t i = 0; i < d->checks.len; i++) {
		const retort_pg_check *c = d->checks.items[i];
		size_t n;
		if (not_valid(c->definition, &n))
			continue;
		retort_buf_puts(out, "\n\tCONSTRAINT ");
		retort__srender_ident(out, PG, c->name);
		retort_buf_printf(out, " %s", c->definition);
	}
	retort_buf_puts(out, ";\n");
	for (size_t i = 0; i < d->checks.len; i++) {
		size_t n;
		if (not_valid(((retort_pg_check *)d->checks.items[i])->definition, &n))
			add_check(out, d, d->checks.items[i]);
	}
}

static const retort_pg_check *check_named(const retort_pg_domain *d, const char *name)
{
	for (size_t i = 0; i < d->checks.len; i++)
		if (strcmp(((retort_pg_check *)d->checks.items[i])->name, name) == 0)
			return d->checks.items[i];
	return NULL;
}

static void render_alter_domain(retort_buf *out, const retort_pg_domain *o, const retort_pg_domain *d)
{
	if (!retort__streq(o->default_expr, d->default_expr)) {
		alter_domain(out, d);
		if (d->default_expr)
			retort_buf_printf(out, "SET DEFAULT %s;\n", d->default_expr);
		else
			retort_buf_puts(out, "DROP DEFAULT;\n");
	}
	if (o->notnull != d->notnull) {
		alter_domain(out, d);
		retort_buf_puts(out, d->notnull ? "SET NOT NULL;\n" : "DROP NOT NULL;\n");
	}
	for (size_t i = 0; i < o->checks.len; i++) {
		const retort_pg_check *c = o->checks.items[i], *n = check_named(d, c->name);
		size_t lc, ln;
		/* Validated since: the same check without NOT VALID. */
		if (n && not_valid(c->definition, &lc) && !not_valid(n->definition, &ln) && lc == ln &&
			strncmp(c->definition, n->definition, lc) == 0) {
			alter_domain(out, d);
			retort_buf_puts(out, "VALIDATE CONSTRAINT ");
			retort__srender_ident(out, PG, c->name);
			retort_buf_puts(out, ";\n");
		} else if (!n || strcmp(n->definition, c->definition) != 0) {
			alter_domain(out, d);
			retort_buf_puts(out, "DROP CONSTRAINT ");
			retort__srender_ident(out, PG, c->name);
			retort_buf_puts(out, ";\n");
			if (n)
				add_check(out, d, n);
		}
	}
	for (size_t i = 0; i < d->checks.len; i++) {
		const retort_pg_check *c = d->checks.items[i];
		if (!check_named(o, c->name))
			add_check(out, d, c);
	}
}

static void attr_type(retort_buf *out, const retort_pg_attr *a)
{
	retort_buf_printf(out, " %s", a->type);
	if (a->collation) {
		retort_buf_puts(out, " COLLATE ");
		retort__srender_qualified(out, PG, a->collation_schema, a->collation);
	}
}

static const retort_pg_attr *attr_named(const retort_pg_composite *c, const char *name)
{
	for (size_t i = 0; i < c->attrs.len; i++)
		if (strcmp(((retort_pg_attr *)c->attrs.items[i])->name, name) == 0)
			return c->attrs.items[i];
	return NULL;
}

static void alter_type(retort_buf *out, const retort_pg_composite *c, const char *action, const char *attr)
{
	retort_buf_puts(out, "ALTER TYPE ");
	retort__srender_qualified(out, PG, c->schema, c->name);
	retort_buf_printf(out, " %s ATTRIBUTE ", action);
	retort__srender_ident(out, PG, attr);
}

static void render_alter_composite(retort_buf *out, const retort_pg_composite *o, const retort_pg_composite *c)
{
	for (size_t i = 0; i < o->attrs.len; i++) {
		const retort_pg_attr *a = o->attrs.items[i], *n = attr_named(c, a->name);
		if (!n) {
			alter_type(out, c, "DROP", a->name);
			retort_buf_puts(out, ";\n");
		} else if (strcmp(a->type, n->type) != 0 || !retort__streq(a->collation, n->collation)) {
			alter_type(out, c, "ALTER", a->name);
			retort_buf_puts(out, " TYPE");
			attr_type(out, n);
			retort_buf_puts(out, ";\n");
		}
	}
	for (size_t i = 0; i < c->attrs.len; i++) {
		const retort_pg_attr *a = c->attrs.items[i];
		if (attr_named(o, a->name))
			continue;
		alter_type(out, c, "ADD", a->name);
		attr_type(out, a);
		retort_buf_puts(out, ";\n");
	}
}

static void create_composite(retort_buf *out, const retort_pg_composite *c)
{
	retort_buf_puts(out, "CREATE TYPE ");
	retort__srender_qualified(out, PG, c->schema, c->name);
	retort_buf_puts(out, " AS (");
	for (size_t i = 0; i < c->attrs.len; i++) {
		const retort_pg_attr *a = c->attrs.items[i];
		retort_buf_puts(out, i ? ", " : "");
		retort__srender_ident(out, PG, a->name);
		attr_type(out, a);
	}
	retort_buf_puts(out, ");\n");
}

static void drop(retort_buf *out, const char *what, const char *schema, const char *name)
{
	retort_buf_printf(out, "DROP %s ", what);
	retort__srender_qualified(out, PG, schema, name);
	retort_buf_puts(out, ";\n");
}

static void comment(retort_buf *out, const retort_op *op)
{
	const char *what = op->what;

	if (op->function)
		what = op->function->kind == 'p' ? "PROCEDURE" : "FUNCTION";
	retort_buf_printf(out, "COMMENT ON %s ", what);
	if (op->function)
		function_name(out, op->function);
	else if (op->pg_trigger)
		on_table(out, op->pg_trigger->name, op->pg_trigger->schema, op->pg_trigger->table);
	else if (op->policy)
		on_table(out, op->policy->name, op->policy->schema, op->policy->table);
	else if (op->constraint)
		on_table(out, op->constraint->name, op->table->schema, op->table->name);
	else if (op->index)
		retort__srender_qualified(out, PG, op->table ? op->table->schema : op->view->schema, op->index->name);
	else if (op->domain)
		retort__srender_qualified(out, PG, op->domain->schema, op->domain->name);
	else if (op->composite)
		retort__srender_qualified(out, PG, op->composite->schema, op->composite->name);
	else if (op->collation)
		retort__srender_qualified(out, PG, op->collation->schema, op->collation->name);
	else if (op->sequence)
		retort__srender_qualified(out, PG, op->sequence->schema, op->sequence->name);
	else if (op->extension)
		retort__srender_ident(out, PG, op->extension->name);
	else
		retort__srender_ident(out, PG, op->schema);
	retort_buf_puts(out, " IS ");
	retort__pgr_comment_text(out, op->comment);
	retort_buf_puts(out, ";\n");
}

bool retort__pgr_type_op(retort_buf *out, const retort_op *op)
{
	switch (op->kind) {
	case RETORT_OP_CREATE_DOMAIN:
		create_domain(out, op->domain);
		return true;
	case RETORT_OP_ALTER_DOMAIN:
		render_alter_domain(out, op->old_domain, op->domain);
		return true;
	case RETORT_OP_DROP_DOMAIN:
		retort__srender_destructive(out, "drops domain \"%s\"", op->old_domain->name);
		drop(out, "DOMAIN", op->old_domain->schema, op->old_domain->name);
		return true;
	case RETORT_OP_CREATE_COMPOSITE:
		create_composite(out, op->composite);
		return true;
	case RETORT_OP_ALTER_COMPOSITE:
		render_alter_composite(out, op->old_composite, op->composite);
		return true;
	case RETORT_OP_DROP_COMPOSITE:
		retort__srender_destructive(out, "drops type \"%s\"", op->old_composite->name);
		drop(out, "TYPE", op->old_composite->schema, op->old_composite->name);
		return true;
	case RETORT_OP_CREATE_COLLATION:
		retort_buf_puts(out, "CREATE COLLATION ");
		retort__srender_qualified(out, PG, op->collation->schema, op->collation->name);
		retort_buf_printf(out, " (%s);\n", op->collation->options);
		return true;
	case RETORT_OP_DROP_COLLATION:
		drop(out, "COLLATION", op->collation->schema, op->collation->name);
		return true;
	case RETORT_OP_ALTER_EXTENSION:
		if (!retort__streq(op->old_extension->schema, op->extension->schema) && op->extension->schema) {
			retort_buf_puts(out, "ALTER EXTENSION ");
			retort__srender_ident(out, PG, op->extension->name);
			retort_buf_puts(out, " SET SCHEMA ");
			retort__srender_ident(out, PG, op->extension->schema);
			retort_buf_puts(out, ";\n");
		}
		if (!retort__streq(op->old_extension->version, op->extension->version) && op->extension->version &&
			(!op->old_extension->version || strverscmp(op->extension->version, op->old_extension->version) > 0)) {
			retort_buf_puts(out, "ALTER EXTENSION ");
			retort__srender_ident(out, PG, op->extension->name);
			retort_buf_puts(out, " UPDATE TO ");
			retort__srender_literal(out, PG, op->extension->version);
			retort_buf_puts(out, ";\n");
		}
		return true;
	case RETORT_OP_COMMENT:
		comment(out, op);
		return true;
	default:
		return false;
	}
}
