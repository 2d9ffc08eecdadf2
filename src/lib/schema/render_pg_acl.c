/*
 * render_pg_acl.c - PostgreSQL GRANT, REVOKE and ALTER DEFAULT PRIVILEGES
 * for one privilege of one grantee each.
 */
#include <stdlib.h>
#include <string.h>

#include "base/common.h"
#include "schema/render_pg.h"

static void grantee(retort_buf *out, const char *role)
{
	if (strcmp(role, "PUBLIC") == 0)
		retort_buf_puts(out, "PUBLIC");
	else
		retort__srender_ident(out, PG, role);
}

static void target(retort_buf *out, const retort_pg_grant *g)
{
	switch (g->objtype) {
	case 'n':
		retort_buf_puts(out, "SCHEMA ");
		retort__srender_ident(out, PG, g->name);
		return;
	case 's':
		retort_buf_puts(out, "SEQUENCE ");
		break;
	case 'f':
		retort_buf_puts(out, "FUNCTION ");
		break;
	case 'p':
		retort_buf_puts(out, "PROCEDURE ");
		break;
	case 'T':
		retort_buf_puts(out, "TYPE ");
		break;
	default:
		retort_buf_puts(out, "TABLE ");
		break;
	}
	retort__srender_qualified(out, PG, g->schema, g->name);
	if (g->objtype == 'f' || g->objtype == 'p')
		retort_buf_printf(out, "(%s)", g->sub ? g->sub : "");
}

static void privilege(retort_buf *out, const retort_pg_grant *g)
{
	retort_buf_puts(out, g->privilege);
	if (g->objtype == 'c') {
		retort_buf_puts(out, " (");
		retort__srender_ident(out, PG, g->sub);
		retort_buf_putc(out, ')');
	}
	retort_buf_puts(out, " ON ");
	target(out, g);
}

static void grant(retort_buf *out, const retort_pg_grant *g, bool give)
{
	if (give) {
		retort_buf_puts(out, "GRANT ");
		privilege(out, g);
		retort_buf_puts(out, " TO ");
		grantee(out, g->grantee);
		retort_buf_puts(out, g->grantable ? " WITH GRANT OPTION;\n" : ";\n");
	} else {
		retort_buf_puts(out, "REVOKE ");
		privilege(out, g);
		retort_buf_puts(out, " FROM ");
		grantee(out, g->grantee);
		retort_buf_puts(out, ";\n");
	}
}

static const char *default_objects(char objtype)
{
	switch (objtype) {
	case 'S': return "SEQUENCES";
	case 'f': return "FUNCTIONS";
	case 'T': return "TYPES";
	case 'n': return "SCHEMAS";
	default: return "TABLES";
	}
}

static void default_grant(retort_buf *out, const retort_pg_default_grant *g, bool give)
{
	retort_buf_puts(out, "ALTER DEFAULT PRIVILEGES FOR ROLE ");
	retort__srender_ident(out, PG, g->role);
	if (g->schema) {
		retort_buf_puts(out, " IN SCHEMA ");
		retort__srender_ident(out, PG, g->schema);
	}
	retort_buf_printf(out, " %s %s ON %s %s ", give ? "GRANT" : "REVOKE", g->privilege,
		default_objects(g->objtype), give ? "TO" : "FROM");
	grantee(out, g->grantee);
	retort_buf_puts(out, give && g->grantable ? " WITH GRANT OPTION;\n" : ";\n");
}

bool retort__pgr_acl_op(retort_buf *out, const retort_op *op)
{
	switch (op->kind) {
	case RETORT_OP_GRANT:
	case RETORT_OP_REVOKE:
		grant(out, op->grant, op->kind == RETORT_OP_GRANT);
		return true;
	case RETORT_OP_DEFAULT_GRANT:
	case RETORT_OP_DEFAULT_REVOKE:
		default_grant(out, op->default_grant, op->kind == RETORT_OP_DEFAULT_GRANT);
		return true;
	default:
		return false;
	}
}
