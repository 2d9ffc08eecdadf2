/*
 * model_pg.c - the PostgreSQL catalog objects of a model (see model_pg.h):
 * constructors, lookups, deterministic order, canonical dump and release.
 *
 * It uses only base/: model.c calls the three retort__model_pg_* halves
 * from its own sort, dump and free, never the other way round.  Every
 * element prints as one line whose content is what a migration must
 * reproduce; dependencies are not printed (they follow from the objects).
 */
#include <stdlib.h>
#include <string.h>

#include "base/common.h"
#include "schema/model.h"

static bool same(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	return strcmp(a, b) == 0;
}

static int cmp_str(const char *a, const char *b)
{
	if (!a || !b)
		return a ? 1 : b ? -1 : 0;
	return strcmp(a, b);
}

/* One identifier of a type name from `p`, unquoted into `out`; returns where it ends. */
static const char *type_ident(retort_buf *out, const char *p)
{
	if (*p != '"') {
		while (*p && *p != '.')
			retort_buf_putc(out, *p++);
		return p;
	}
	for (p++; *p; p++) {
		if (*p == '"' && p[1] == '"')
			retort_buf_putc(out, *p++);
		else if (*p == '"')
			return p + 1;
		else
			retort_buf_putc(out, *p);
	}
	return p;
}

bool retort_pg_type_is(const char *type, const char *schema, const char *name)
{
	retort_buf first = RETORT_BUF_INIT, second = RETORT_BUF_INIT;
	const char *p = type_ident(&first, type);
	bool hit;

	if (*p == '.') {
		p = type_ident(&second, p + 1);
		hit = !*p && same(first.ptr, schema) && strcmp(second.ptr, name) == 0;
	} else {
		hit = !*p && strcmp(first.ptr, name) == 0;
	}
	retort_buf_dispose(&first);
	retort_buf_dispose(&second);
	return hit;
}

char *retort_pg_key(const char *kind, const char *schema, const char *name)
{
	if (!kind)
		return schema ? retort__sprintf("%s.%s", schema, name) : retort__strdup(name);
	return retort__sprintf("%s:%s%s%s", kind, schema ? schema : "", schema ? "." : "", name);
}

/* --- constructors -------------------------------------------------------- */

retort_pg_function *retort_model_add_function(retort_model *m, const char *schema, const char *name,
	const char *argtypes)
{
	retort_pg_function *f = retort__calloc(1, sizeof(*f));
	char *n = retort__sprintf("%s(%s)", name, argtypes ? argtypes : "");

	f->schema = retort__strdup(schema);
	f->name = retort__strdup(name);
	f->argtypes = retort__strdup(argtypes ? argtypes : "");
	f->kind = 'f';
	f->key = retort_pg_key("function", schema, n);
	free(n);
	retort_vec_push(&m->functions, f);
	return f;
}

static char *sub_key(const char *kind, const char *schema, const char *table, const char *name)
{
	return retort__sprintf("%s:%s.%s.%s", kind, schema ? schema : "", table, name);
}

retort_pg_trigger *retort_model_add_pg_trigger(retort_model *m, const char *schema, const char *table,
	const char *name)
{
	retort_pg_trigger *t = retort__calloc(1, sizeof(*t));

	t->schema = retort__strdup(schema);
	t->table = retort__strdup(table);
	t->name = retort__strdup(name);
	t->enabled = 'O';
	t->key = sub_key("trigger", schema, table, name);
	retort_vec_push(&m->pg_triggers, t);
	return t;
}

retort_pg_policy *retort_model_add_policy(retort_model *m, const char *schema, const char *table,
	const char *name)
{
	retort_pg_policy *p = retort__calloc(1, sizeof(*p));

	p->schema = retort__strdup(schema);
	p->table = retort__strdup(table);
	p->name = retort__strdup(name);
	p->cmd = '*';
	p->permissive = true;
	p->key = sub_key("policy", schema, table, name);
	retort_vec_push(&m->policies, p);
	return p;
}

retort_pg_domain *retort_model_add_domain(retort_model *m, const char *schema, const char *name)
{
	retort_pg_domain *d = retort__calloc(1, sizeof(*d));

	d->schema = retort__strdup(schema);
	d->name = retort__strdup(name);
	d->key = retort_pg_key("type", schema, name);
	retort_vec_push(&m->domains, d);
	return d;
}

retort_pg_composite *retort_model_add_composite(retort_model *m, const char *schema, const char *name)
{
	retort_pg_composite *c = retort__calloc(1, sizeof(*c));

	c->schema = retort__strdup(schema);
	c->name = retort__strdup(name);
	c->key = retort_pg_key("type", schema, name);
	retort_vec_push(&m->composites, c);
	return c;
}

retort_pg_collation *retort_model_add_collation(retort_model *m, const char *schema, const char *name)
{
	retort_pg_collation *c = retort__calloc(1, sizeof(*c));

	c->schema = retort__strdup(schema);
	c->name = retort__strdup(name);
	c->key = retort_pg_key("collation", schema, name);
	retort_vec_push(&m->collations, c);
	return c;
}

retort_pg_extension *retort_model_add_extension(retort_model *m, const char *name)
{
	retort_pg_extension *e = retort__calloc(1, sizeof(*e));

	e->name = retort__strdup(name);
	retort_vec_push(&m->extensions, e);
	return e;
}

static void grant_canon(retort_pg_grant *g)
{
	free(g->canon);
	g->canon = retort__sprintf("%c %s.%s%s%s %s %s%s%s", g->objtype, g->schema ? g->schema : "", g->name,
		g->sub ? "/" : "", g->sub ? g->sub : "", g->grantee, g->privilege, g->grantable ? " WITH GRANT OPTION" : "",
		g->revoked ? " REVOKED" : "");
}

retort_pg_grant *retort_model_add_grant(retort_model *m, char objtype, const char *schema, const char *name,
	const char *sub, const char *key, const char *grantee, const char *privilege, bool grantable, bool revoked)
{
	retort_pg_grant *g = retort__calloc(1, sizeof(*g));

	g->objtype = objtype;
	g->schema = retort__strdup(schema);
	g->name = retort__strdup(name);
	g->sub = retort__strdup(sub);
	g->key = retort__strdup(key);
	g->revoked = revoked;
	g->grantee = retort__strdup(grantee);
	g->privilege = retort__strdup(privilege);
	g->grantable = grantable;
	grant_canon(g);
	retort_vec_push(&m->grants, g);
	return g;
}

retort_pg_default_grant *retort_model_add_default_grant(retort_model *m, const char *role, const char *schema,
	char objtype, const char *grantee, const char *privilege, bool grantable, bool revoked)
{
	retort_pg_default_grant *g = retort__calloc(1, sizeof(*g));

	g->role = retort__strdup(role);
	g->schema = retort__strdup(schema);
	g->objtype = objtype;
	g->grantee = retort__strdup(grantee);
	g->privilege = retort__strdup(privilege);
	g->grantable = grantable;
	g->revoked = revoked;
	g->canon = retort__sprintf("%s %s %c %s %s%s%s", role, schema ? schema : "-", objtype, grantee, privilege,
		grantable ? " WITH GRANT OPTION" : "", revoked ? " REVOKED" : "");
	retort_vec_push(&m->default_grants, g);
	return g;
}

void retort_model_add_dep(retort_model *m, const char *from, const char *to)
{
	retort_pg_dep *d = retort__malloc(sizeof(*d));

	d->from = retort__strdup(from);
	d->to = retort__strdup(to);
	retort_vec_push(&m->deps, d);
}

void retort_pg_domain_add_check(retort_pg_domain *d, const char *name, const char *definition)
{
	retort_pg_check *c = retort__calloc(1, sizeof(*c));

	c->name = retort__strdup(name);
	c->definition = retort__strdup(definition);
	retort_vec_push(&d->checks, c);
}

void retort_pg_composite_add_attr(retort_pg_composite *c, const char *name, const char *type, const char *collation)
{
	retort_pg_attr *a = retort__calloc(1, sizeof(*a));

	a->name = retort__strdup(name);
	a->type = retort__strdup(type);
	a->collation = retort__strdup(collation);
	retort_vec_push(&c->attrs, a);
}

/* --- lookups ------------------------------------------------------------ */

#define FIND_KEY(vec, type, k)                                   \
	for (size_t i = 0; i < (vec).len; i++) {                 \
		type *x = (vec).items[i];                        \
		if (strcmp(x->key, k) == 0)                      \
			return x;                                \
	}                                                        \
	return NULL

#define FIND_NAME(vec, type, s, n)                                             \
	for (size_t i = 0; i < (vec).len; i++) {                               \
		type *x = (vec).items[i];                                      \
		if (same(x->schema, s) && strcmp(x->name, n) == 0)             \
			return x;                                              \
	}                                                                      \
	return NULL

retort_pg_function *retort_model_function(const retort_model *m, const char *key)
{
	FIND_KEY(m->functions, retort_pg_function, key);
}

retort_pg_trigger *retort_model_pg_trigger(const retort_model *m, const char *key)
{
	FIND_KEY(m->pg_triggers, retort_pg_trigger, key);
}

retort_pg_policy *retort_model_policy(const retort_model *m, const char *key)
{
	FIND_KEY(m->policies, retort_pg_policy, key);
}

retort_pg_domain *retort_model_domain(const retort_model *m, const char *schema, const char *name)
{
	FIND_NAME(m->domains, retort_pg_domain, schema, name);
}

retort_pg_composite *retort_model_composite(const retort_model *m, const char *schema, const char *name)
{
	FIND_NAME(m->composites, retort_pg_composite, schema, name);
}

retort_pg_collation *retort_model_collation(const retort_model *m, const char *schema, const char *name)
{
	FIND_NAME(m->collations, retort_pg_collation, schema, name);
}

retort_pg_extension *retort_model_extension(const retort_model *m, const char *name)
{
	for (size_t i = 0; i < m->extensions.len; i++) {
		retort_pg_extension *e = m->extensions.items[i];
		if (strcmp(e->name, name) == 0)
			return e;
	}
	return NULL;
}

const char *retort_model_schema_comment(const retort_model *m, const char *schema)
{
	for (size_t i = 0; i < m->schema_comments.len; i++) {
		retort_pg_schema *s = m->schema_comments.items[i];
		if (strcmp(s->name, schema) == 0)
			return s->comment;
	}
	return NULL;
}

/* --- order ------------------------------------------------------------- */

#define KEY_CMP(fn, type)                                                \
	static int fn(const void *a, const void *b)                      \
	{                                                                \
		return strcmp((*(type *const *)a)->key, (*(type *const *)b)->key); \
	}
KEY_CMP(cmp_function, retort_pg_function)
KEY_CMP(cmp_trigger, retort_pg_trigger)
KEY_CMP(cmp_policy, retort_pg_policy)
KEY_CMP(cmp_domain, retort_pg_domain)
KEY_CMP(cmp_composite, retort_pg_composite)
KEY_CMP(cmp_collation, retort_pg_collation)

#define CANON_CMP(fn, type)                                                  \
	static int fn(const void *a, const void *b)                          \
	{                                                                    \
		return strcmp((*(type *const *)a)->canon, (*(type *const *)b)->canon); \
	}
CANON_CMP(cmp_grant, retort_pg_grant)
CANON_CMP(cmp_default_grant, retort_pg_default_grant)

static int cmp_extension(const void *a, const void *b)
{
	return strcmp((*(retort_pg_extension *const *)a)->name, (*(retort_pg_extension *const *)b)->name);
}

static int cmp_schema(const void *a, const void *b)
{
	return strcmp((*(retort_pg_schema *const *)a)->name, (*(retort_pg_schema *const *)b)->name);
}

static int cmp_check(const void *a, const void *b)
{
	return strcmp((*(retort_pg_check *const *)a)->name, (*(retort_pg_check *const *)b)->name);
}

static int cmp_dep(const void *a, const void *b)
{
	const retort_pg_dep *x = *(retort_pg_dep *const *)a, *y = *(retort_pg_dep *const *)b;
	int r = strcmp(x->from, y->from);

	return r ? r : strcmp(x->to, y->to);
}

static int cmp_strp(const void *a, const void *b)
{
	return cmp_str(*(char *const *)a, *(char *const *)b);
}

void retort__model_pg_sort(retort_model *m)
{
	retort_vec_sort(&m->functions, cmp_function);
	retort_vec_sort(&m->pg_triggers, cmp_trigger);
	retort_vec_sort(&m->policies, cmp_policy);
	retort_vec_sort(&m->domains, cmp_domain);
	retort_vec_sort(&m->composites, cmp_composite);
	retort_vec_sort(&m->collations, cmp_collation);
	retort_vec_sort(&m->extensions, cmp_extension);
	retort_vec_sort(&m->schema_comments, cmp_schema);
	for (size_t i = 0; i < m->grants.len; i++)
		grant_canon(m->grants.items[i]);
	retort_vec_sort(&m->grants, cmp_grant);
	retort_vec_sort(&m->default_grants, cmp_default_grant);
	retort_vec_sort(&m->deps, cmp_dep);
	for (size_t i = 0; i < m->policies.len; i++)
		retort_vec_sort(&((retort_pg_policy *)m->policies.items[i])->roles, cmp_strp);
	for (size_t i = 0; i < m->domains.len; i++)
		retort_vec_sort(&((retort_pg_domain *)m->domains.items[i])->checks, cmp_check);
}

/* --- canonical texts ----------------------------------------------------- */

static void put_comment(retort_buf *out, const char *comment)
{
	if (comment)
		retort_buf_printf(out, " COMMENT '%s'", comment);
}

void retort__pg_function_canon(retort_buf *out, const retort_pg_function *f)
{
	retort_buf_puts(out, f->definition ? f->definition : "");
	put_comment(out, f->comment);
}

static const char *policy_cmd(char cmd)
{
	switch (cmd) {
	case 'r': return "SELECT";
	case 'a': return "INSERT";
	case 'w': return "UPDATE";
	case 'd': return "DELETE";
	default: return "ALL";
	}
}

void retort__pg_policy_canon(retort_buf *out, const retort_pg_policy *p)
{
	retort_buf_printf(out, "%s FOR %s TO", p->permissive ? "PERMISSIVE" : "RESTRICTIVE", policy_cmd(p->cmd));
	for (size_t i = 0; i < p->roles.len; i++)
		retort_buf_printf(out, "%s %s", i ? "," : "", (const char *)p->roles.items[i]);
	if (!p->roles.len)
		retort_buf_puts(out, " PUBLIC");
	if (p->using_expr)
		retort_buf_printf(out, " USING (%s)", p->using_expr);
	if (p->check_expr)
		retort_buf_printf(out, " WITH CHECK (%s)", p->check_expr);
}

void retort__model_pg_dump(retort_buf *out, const retort_model *m)
{
	for (size_t i = 0; i < m->schema_comments.len; i++) {
		retort_pg_schema *s = m->schema_comments.items[i];
		retort_buf_printf(out, "schema-comment %s '%s'\n", s->name, s->comment);
	}
	for (size_t i = 0; i < m->extensions.len; i++) {
		retort_pg_extension *e = m->extensions.items[i];
		retort_buf_printf(out, "extension %s schema %s version %s", e->name, e->schema ? e->schema : "-",
			e->version ? e->version : "-");
		put_comment(out, e->comment);
		retort_buf_putc(out, '\n');
	}
	for (size_t i = 0; i < m->collations.len; i++) {
		retort_pg_collation *c = m->collations.items[i];
		retort_buf_printf(out, "collation %s (%s)", c->key, c->options ? c->options : "");
		put_comment(out, c->comment);
		retort_buf_putc(out, '\n');
	}
	for (size_t i = 0; i < m->domains.len; i++) {
		retort_pg_domain *d = m->domains.items[i];
		retort_buf_printf(out, "domain %s %s", d->key, d->type);
		if (d->collation)
			retort_buf_printf(out, " COLLATE %s%s%s", d->collation_schema ? d->collation_schema : "",
				d->collation_schema ? "." : "", d->collation);
		if (d->notnull)
			retort_buf_puts(out, " NOT NULL");
		if (d->default_expr)
			retort_buf_printf(out, " DEFAULT %s", d->default_expr);
		for (size_t j = 0; j < d->checks.len; j++) {
			retort_pg_check *c = d->checks.items[j];
			retort_buf_printf(out, " CONSTRAINT %s %s", c->name, c->definition);
		}
		put_comment(out, d->comment);
		retort_buf_putc(out, '\n');
	}
	for (size_t i = 0; i < m->composites.len; i++) {
		retort_pg_composite *c = m->composites.items[i];
		retort_buf_printf(out, "composite %s (", c->key);
		for (size_t j = 0; j < c->attrs.len; j++) {
			retort_pg_attr *a = c->attrs.items[j];
			retort_buf_printf(out, "%s%s %s%s%s%s%s", j ? ", " : "", a->name, a->type,
				a->collation ? " COLLATE " : "", a->collation_schema ? a->collation_schema : "",
				a->collation_schema ? "." : "", a->collation ? a->collation : "");
		}
		retort_buf_putc(out, ')');
		put_comment(out, c->comment);
		retort_buf_putc(out, '\n');
	}
	for (size_t i = 0; i < m->functions.len; i++) {
		retort_pg_function *f = m->functions.items[i];
		retort_buf_printf(out, "%s ", f->key);
		retort__pg_function_canon(out, f);
		retort_buf_putc(out, '\n');
	}
	for (size_t i = 0; i < m->pg_triggers.len; i++) {
		retort_pg_trigger *t = m->pg_triggers.items[i];
		retort_buf_printf(out, "%s %s ENABLED %c", t->key, t->definition, t->enabled);
		put_comment(out, t->comment);
		retort_buf_putc(out, '\n');
	}
	for (size_t i = 0; i < m->policies.len; i++) {
		retort_pg_policy *p = m->policies.items[i];
		retort_buf_printf(out, "%s ", p->key);
		retort__pg_policy_canon(out, p);
		put_comment(out, p->comment);
		retort_buf_putc(out, '\n');
	}
	for (size_t i = 0; i < m->grants.len; i++)
		retort_buf_printf(out, "grant %s\n", ((retort_pg_grant *)m->grants.items[i])->canon);
	for (size_t i = 0; i < m->default_grants.len; i++)
		retort_buf_printf(out, "default-grant %s\n", ((retort_pg_default_grant *)m->default_grants.items[i])->canon);
}

/* --- release ------------------------------------------------------------- */

void retort__model_pg_free(retort_model *m)
{
	for (size_t i = 0; i < m->functions.len; i++) {
		retort_pg_function *f = m->functions.items[i];
		free(f->schema); free(f->name); free(f->argtypes); free(f->identity); free(f->result);
		free(f->definition); free(f->comment); free(f->key); free(f);
	}
	for (size_t i = 0; i < m->pg_triggers.len; i++) {
		retort_pg_trigger *t = m->pg_triggers.items[i];
		free(t->schema); free(t->table); free(t->name); free(t->definition); free(t->comment); free(t->key); free(t);
	}
	for (size_t i = 0; i < m->policies.len; i++) {
		retort_pg_policy *p = m->policies.items[i];
		free(p->schema); free(p->table); free(p->name); free(p->using_expr); free(p->check_expr);
		free(p->comment); free(p->key);
		retort_vec_dispose(&p->roles, true);
		free(p);
	}
	for (size_t i = 0; i < m->domains.len; i++) {
		retort_pg_domain *d = m->domains.items[i];
		for (size_t j = 0; j < d->checks.len; j++) {
			retort_pg_check *c = d->checks.items[j];
			free(c->name); free(c->definition); free(c);
		}
		retort_vec_dispose(&d->checks, false);
		free(d->schema); free(d->name); free(d->type); free(d->default_expr); free(d->collation); free(d->collation_schema);
		free(d->comment); free(d->key); free(d);
	}
	for (size_t i = 0; i < m->composites.len; i++) {
		retort_pg_composite *c = m->composites.items[i];
		for (size_t j = 0; j < c->attrs.len; j++) {
			retort_pg_attr *a = c->attrs.items[j];
			free(a->name); free(a->type); free(a->collation); free(a->collation_schema); free(a);
		}
		retort_vec_dispose(&c->attrs, false);
		free(c->schema); free(c->name); free(c->comment); free(c->key); free(c);
	}
	for (size_t i = 0; i < m->collations.len; i++) {
		retort_pg_collation *c = m->collations.items[i];
		free(c->schema); free(c->name); free(c->options); free(c->comment); free(c->key); free(c);
	}
	for (size_t i = 0; i < m->extensions.len; i++) {
		retort_pg_extension *e = m->extensions.items[i];
		free(e->name); free(e->schema); free(e->version); free(e->comment); free(e);
	}
	for (size_t i = 0; i < m->schema_comments.len; i++) {
		retort_pg_schema *s = m->schema_comments.items[i];
		free(s->name); free(s->comment); free(s);
	}
	for (size_t i = 0; i < m->grants.len; i++) {
		retort_pg_grant *g = m->grants.items[i];
		free(g->schema); free(g->name); free(g->sub); free(g->key); free(g->grantee); free(g->privilege); free(g->canon); free(g);
	}
	for (size_t i = 0; i < m->default_grants.len; i++) {
		retort_pg_default_grant *g = m->default_grants.items[i];
		free(g->role); free(g->schema); free(g->grantee); free(g->privilege); free(g->canon); free(g);
	}
	for (size_t i = 0; i < m->deps.len; i++) {
		retort_pg_dep *d = m->deps.items[i];
		free(d->from); free(d->to); free(d);
	}
	retort_vec_dispose(&m->functions, false);
	retort_vec_dispose(&m->pg_triggers, false);
	retort_vec_dispose(&m->policies, false);
	retort_vec_dispose(&m->domains, false);
	retort_vec_dispose(&m->composites, false);
	retort_vec_dispose(&m->collations, false);
	retort_vec_dispose(&m->extensions, false);
	retort_vec_dispose(&m->schema_comments, false);
	retort_vec_dispose(&m->grants, false);
	retort_vec_dispose(&m->default_grants, false);
	retort_vec_dispose(&m->deps, false);
}
