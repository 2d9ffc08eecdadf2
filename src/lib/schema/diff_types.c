/*
 * diff_types.c - the diff of PostgreSQL domains, composite types,
 * collations and extensions.
 *
 * A domain's default, NOT NULL and named checks are altered in place (a
 * check validated since is VALIDATE CONSTRAINT); a new base type or
 * collation means dropping and creating it.  A composite type gains,
 * loses and retypes attributes in place as long as the attributes it
 * keeps stay in order and new ones come last; otherwise it is dropped and
 * created.  A changed collation is dropped and created.  An extension
 * moves to another version with ALTER EXTENSION ... UPDATE and to another
 * schema with SET SCHEMA.
 */
#include <stdlib.h>
#include <string.h>

#include "base/common.h"
#include "schema/diff_int.h"

/* --- domains ---------------------------------------------------------------- */

static const retort_pg_check *domain_check(const retort_pg_domain *d, const char *name)
{
	for (size_t i = 0; i < d->checks.len; i++) {
		const retort_pg_check *c = d->checks.items[i];
		if (strcmp(c->name, name) == 0)
			return c;
	}
	return NULL;
}

static bool domain_same(const retort_pg_domain *a, const retort_pg_domain *b)
{
	if (a->notnull != b->notnull || !retort__streq(a->default_expr, b->default_expr) ||
		a->checks.len != b->checks.len)
		return false;
	for (size_t i = 0; i < a->checks.len; i++) {
		const retort_pg_check *c = a->checks.items[i], *o = domain_check(b, c->name);
		if (!o || strcmp(o->definition, c->definition) != 0)
			return false;
	}
	return true;
}

void retort__diff_create_domain(differ *df, const retort_pg_domain *d)
{
	retort__diff_emit(df, P_CREATE_ENUM, RETORT_OP_CREATE_DOMAIN)->domain = d;
	if (d->comment)
		retort__diff_comment(df, "DOMAIN", d->comment)->domain = d;
}

static void diff_domains(differ *df)
{
	for (size_t i = 0; i < df->to->domains.len; i++) {
		const retort_pg_domain *d = df->to->domains.items[i];
		const retort_pg_domain *old = retort_model_domain(df->from, d->schema, d->name);
		retort_op *op;

		if (!old) {
			retort__diff_create_domain(df, d);
			continue;
		}
		if (!retort__streq(old->type, d->type) || !retort__streq(old->collation, d->collation) ||
			!retort__streq(old->collation_schema, d->collation_schema)) {
			op = retort__diff_emit(df, P_DROP_ENUM, RETORT_OP_DROP_DOMAIN);
			op->old_domain = old;
			op->destructive = true;
			retort__diff_create_domain(df, d);
			continue;
		}
		if (!domain_same(old, d)) {
			op = retort__diff_emit(df, P_ALTER_TABLE, RETORT_OP_ALTER_DOMAIN);
			op->domain = d;
			op->old_domain = old;
		}
		if (!retort__streq(old->comment, d->comment))
			retort__diff_comment(df, "DOMAIN", d->comment)->domain = d;
	}
	for (size_t i = 0; i < df->from->domains.len; i++) {
		const retort_pg_domain *old = df->from->domains.items[i];
		if (!retort_model_domain(df->to, old->schema, old->name)) {
			retort_op *op = retort__diff_emit(df, P_DROP_ENUM, RETORT_OP_DROP_DOMAIN);
			op->old_domain = old;
			op->destructive = true;
		}
	}
}

/* --- composite types ---------------------------------------------------------- */

static const retort_pg_attr *attr_of(const retort_pg_composite *c, const char *name, size_t *pos)
{
	for (size_t i = 0; i < c->attrs.len; i++) {
		const retort_pg_attr *a = c->attrs.items[i];
		if (strcmp(a->name, name) == 0) {
			if (pos)
				*pos = i;
			return a;
		}
	}
	return NULL;
}

/* Kept attributes in the same order and new ones last: ALTER TYPE can do it. */
static bool composite_alterable(const retort_pg_composite *old, const retort_pg_composite *c)
{
	size_t last = 0;
	bool added = false;

	for (size_t i = 0; i < c->attrs.len; i++) {
		const retort_pg_attr *a = c->attrs.items[i];
		size_t pos;
		if (!attr_of(old, a->name, &pos)) {
			added = true;
			continue;
		}
		if (added || (i && pos < last))
			return false;
		last = pos;
	}
	return true;
}

static bool composite_same(const retort_pg_composite *a, const retort_pg_composite *b)
{
	if (a->attrs.len != b->attrs.len)
		return false;
	for (size_t i = 0; i < a->attrs.len; i++) {
		const retort_pg_attr *x = a->attrs.items[i], *y = b->attrs.items[i];
		if (strcmp(x->name, y->name) != 0 || strcmp(x->type, y->type) != 0 || !retort__streq(x->collation, y->collation) ||
			!retort__streq(x->collation_schema, y->collation_schema))
			return false;
	}
	return true;
}

static void create_composite(differ *df, const retort_pg_composite *c)
{
	retort__diff_emit(df, P_CREATE_ENUM, RETORT_OP_CREATE_COMPOSITE)->composite = c;
	if (c->comment)
		retort__diff_comment(df, "TYPE", c->comment)->composite = c;
}

static void drop_composite(differ *df, const retort_pg_composite *old, enum phase p)
{
	retort_op *op = retort__diff_emit(df, p, RETORT_OP_DROP_COMPOSITE);

	op->old_composite = old;
	op->destructive = true;
}

static void diff_composites(differ *df)
{
	for (size_t i = 0; i < df->to->composites.len; i++) {
		const retort_pg_composite *c = df->to->composites.items[i];
		const retort_pg_composite *old = retort_model_composite(df->from, c->schema, c->name);

		if (!old) {
			create_composite(df, c);
			continue;
		}
		if (!composite_same(old, c)) {
			if (composite_alterable(old, c)) {
				retort_op *op = retort__diff_emit(df, P_CREATE_ENUM, RETORT_OP_ALTER_COMPOSITE);
				op->composite = c;
				op->old_composite = old;
			} else {
				drop_composite(df, old, P_DROP_VIEW);
				create_composite(df, c);
				continue;
			}
		}
		if (!retort__streq(old->comment, c->comment))
			retort__diff_comment(df, "TYPE", c->comment)->composite = c;
	}
	for (size_t i = 0; i < df->from->composites.len; i++) {
		const retort_pg_composite *old = df->from->composites.items[i];
		if (!retort_model_composite(df->to, old->schema, old->name))
			drop_composite(df, old, P_DROP_ENUM);
	}
}

/* --- collations and extensions ------------------------------------------------------ */

static void diff_collations(differ *df)
{
	for (size_t i = 0; i < df->to->collations.len; i++) {
		const retort_pg_collation *c = df->to->collations.items[i];
		const retort_pg_collation *old = retort_model_collation(df->from, c->schema, c->name);

		if (old && retort__streq(old->options, c->options)) {
			if (!retort__streq(old->comment, c->comment))
				retort__diff_comment(df, "COLLATION", c->comment)->collation = c;
			continue;
		}
		if (old)
			retort__diff_emit(df, P_DROP_ENUM, RETORT_OP_DROP_COLLATION)->collation = old;
		retort__diff_emit(df, P_CREATE_SCHEMA, RETORT_OP_CREATE_COLLATION)->collation = c;
		if (c->comment)
			retort__diff_comment(df, "COLLATION", c->comment)->collation = c;
	}
	for (size_t i = 0; i < df->from->collations.len; i++) {
		const retort_pg_collation *old = df->from->collations.items[i];
		if (!retort_model_collation(df->to, old->schema, old->name))
			retort__diff_emit(df, P_DROP_ENUM, RETORT_OP_DROP_COLLATION)->collation = old;
	}
}

static void diff_extensions(differ *df)
{
	/* After the schemas they may live in, before what may use them. */
	for (size_t i = 0; i < df->to->extensions.len; i++) {
		const retort_pg_extension *e = df->to->extensions.items[i];
		const retort_pg_extension *old = retort_model_extension(df->from, e->name);

		if (!old) {
			retort__diff_emit(df, P_CREATE_SCHEMA, RETORT_OP_CREATE_EXTENSION)->extension = e;
			if (e->comment)
				retort__diff_comment(df, "EXTENSION", e->comment)->extension = e;
			continue;
		}
		if (old->version && e->version && strverscmp(e->version, old->version) < 0) {
			/* Extension scripts only go forward; going back is dropping it with what uses it. */
			retort_vec_push(&df->d->notes, retort__sprintf("extension '%s' stays at version %s: "
				"PostgreSQL updates extensions forward only (to %s it must be dropped and created again)",
				e->name, old->version, e->version));
			if (retort__streq(old->schema, e->schema))
				continue;
		}
		if (!retort__streq(old->version, e->version) || !retort__streq(old->schema, e->schema)) {
			retort_op *op = retort__diff_emit(df, P_CREATE_SCHEMA, RETORT_OP_ALTER_EXTENSION);
			op->extension = e;
			op->old_extension = old;
		}
		if (!retort__streq(old->comment, e->comment))
			retort__diff_comment(df, "EXTENSION", e->comment)->extension = e;
	}
	for (size_t i = 0; i < df->from->extensions.len; i++) {
		const retort_pg_extension *old = df->from->extensions.items[i];
		if (!retort_model_extension(df->to, old->name)) {
			retort_op *op = retort__diff_emit(df, P_DROP_ENUM, RETORT_OP_DROP_EXTENSION);
			op->old_extension = old;
			op->destructive = true;
		}
	}
}

void retort__diff_types(differ *df)
{
	diff_extensions(df);
	diff_collations(df);
	diff_domains(df);
	diff_composites(df);
}
