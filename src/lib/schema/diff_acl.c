/*
 * diff_acl.c - the diff of privileges and default privileges, done only
 * when both models were reflected with them (roles differ between
 * environments, so this is asked for: `retort diff --with-privileges`,
 * `manage_privileges = true`).
 *
 * Privileges are kept as their difference from each object's built-in
 * default (model_pg.h), so the owner's own never show.  On an object both
 * sides keep, what is granted or revoked on one side only is granted or
 * revoked.  An object created, or dropped and created again, starts from
 * the built-in default as changed by the default privileges in force when
 * it is created - those of `from`, since default privileges change late
 * in a script - and gets what its target has beyond that.  Which role
 * creates it is not known here, so default privileges of every role are
 * taken to apply.  Default privileges compare entry by entry.
 */
#include <stdlib.h>
#include <string.h>

#include "base/common.h"
#include "schema/diff_int.h"

static bool has_grant(const retort_model *m, const retort_pg_grant *g)
{
	for (size_t i = 0; i < m->grants.len; i++)
		if (strcmp(((retort_pg_grant *)m->grants.items[i])->canon, g->canon) == 0)
			return true;
	return false;
}

/* An identity column's sequence is no object of the model: it is named table_column_seq. */
static bool identity_sequence_in(const retort_model *m, const char *schema, const char *name)
{
	for (size_t i = 0; i < m->tables.len; i++) {
		const retort_table *t = m->tables.items[i];
		if (!retort__streq(t->schema, schema))
			continue;
		for (size_t j = 0; j < t->columns.len; j++) {
			const retort_model_column *c = t->columns.items[j];
			char *seq = retort__sprintf("%s_%s_seq", t->name, c->name);
			bool hit = c->identity && strcmp(seq, name) == 0;
			free(seq);
			if (hit)
				return true;
		}
	}
	return false;
}

static bool object_in(const retort_model *m, const retort_pg_grant *g)
{
	switch (g->objtype) {
	case 'n':
		return retort__diff_has_str(&m->schemas, g->name);
	case 'f':
	case 'p':
		return retort_model_function(m, g->key) != NULL;
	case 'T':
		return retort_model_enum(m, g->schema, g->name) || retort_model_domain(m, g->schema, g->name) ||
			retort_model_composite(m, g->schema, g->name);
	case 's':
		return retort_model_sequence(m, g->schema, g->name) || identity_sequence_in(m, g->schema, g->name);
	case 'c': {
		const retort_table *t = retort_model_table(m, g->schema, g->name);
		return t ? retort_table_column(t, g->sub) != NULL : retort_model_view(m, g->schema, g->name) != NULL;
	}
	default:
		return retort__diff_relation_in(m, g->schema, g->name);
	}
}

static void emit(differ *df, const retort_pg_grant *g, bool grant)
{
	retort__diff_emit(df, P_LATE, grant ? RETORT_OP_GRANT : RETORT_OP_REVOKE)->grant = g;
}

/* --- objects that start anew ---------------------------------------------------- */

/* An object privileges are held on, as a grant without grantee. */
typedef struct object {
	char objtype;
	const char *schema, *name, *sub;
	char *key;
} object;

/* Does default privilege entry `d` apply to a new object of this kind and schema? */
static bool applies(const retort_pg_default_grant *d, const object *o)
{
	if (d->schema && !retort__streq(d->schema, o->objtype == 'n' ? NULL : o->schema))
		return false;
	switch (d->objtype) {
	case 'r': return o->objtype == 'r';
	case 'S': return o->objtype == 's';
	case 'f': return o->objtype == 'f' || o->objtype == 'p';
	case 'T': return o->objtype == 'T';
	case 'n': return o->objtype == 'n';
	default: return false;
	}
}

/* Make the privileges of a new object (`o`) those of its target. */
static void fresh_object(differ *df, const object *o)
{
	retort_model *start = retort_model_new(RETORT_DIALECT_POSTGRES);

	for (size_t i = 0; i < df->from->default_grants.len; i++) {
		const retort_pg_default_grant *d = df->from->default_grants.items[i];
		if (applies(d, o))
			retort_model_add_grant(start, o->objtype, o->schema, o->name, o->sub, o->key, d->grantee,
				d->privilege, d->grantable, d->revoked);
	}
	retort_model_sort(start);
	/* What creation gives and the target lacks is undone; the op points at a copy the diff owns. */
	for (size_t i = 0; i < start->grants.len; i++) {
		const retort_pg_grant *s = start->grants.items[i];
		if (!has_grant(df->to, s)) {
			if (!df->d->owned)
				df->d->owned = retort_model_new(RETORT_DIALECT_POSTGRES);
			emit(df, retort_model_add_grant(df->d->owned, s->objtype, s->schema, s->name, s->sub, s->key,
				s->grantee, s->privilege, s->grantable, s->revoked), s->revoked);
		}
	}
	for (size_t i = 0; i < df->to->grants.len; i++) {
		const retort_pg_grant *g = df->to->grants.items[i];
		if (strcmp(g->key, o->key) == 0 && !has_grant(start, g))
			emit(df, g, !g->revoked);
	}
	retort_model_free(start);
}

static bool is_fresh(differ *df, const char *key, bool in_from)
{
	return !in_from || retort_map_has(&df->gone, key);
}

/* Every object of `to` that is created or created again. */
static void fresh_objects(differ *df)
{
	const retort_model *to = df->to, *from = df->from;
	object o;

	for (size_t i = 0; i < to->schemas.len; i++) {
		o = (object){ 'n', NULL, to->schemas.items[i], NULL, retort_pg_key("schema", NULL, to->schemas.items[i]) };
		if (is_fresh(df, o.key, retort__diff_has_str(&from->schemas, o.name)))
			fresh_object(df, &o);
		free(o.key);
	}
	for (size_t i = 0; i < to->tables.len + to->views.len; i++) {
		const char *schema, *name;
		if (i < to->tables.len) {
			schema = ((retort_table *)to->tables.items[i])->schema;
			name = ((retort_table *)to->tables.items[i])->name;
		} else {
			schema = ((retort_view *)to->views.items[i - to->tables.len])->schema;
			name = ((retort_view *)to->views.items[i - to->tables.len])->name;
		}
		o = (object){ 'r', schema, name, NULL, retort_pg_key(NULL, schema, name) };
		if (is_fresh(df, o.key, retort__diff_relation_in(from, schema, name)))
			fresh_object(df, &o);
		free(o.key);
	}
	for (size_t i = 0; i < to->sequences.len; i++) {
		const retort_sequence *s = to->sequences.items[i];
		o = (object){ 's', s->schema, s->name, NULL, retort_pg_key(NULL, s->schema, s->name) };
		if (is_fresh(df, o.key, retort_model_sequence(from, s->schema, s->name) != NULL))
			fresh_object(df, &o);
		free(o.key);
	}
	for (size_t i = 0; i < to->functions.len; i++) {
		const retort_pg_function *f = to->functions.items[i];
		o = (object){ f->kind == 'p' ? 'p' : 'f', f->schema, f->name, f->identity, retort__strdup(f->key) };
		if (is_fresh(df, o.key, retort_model_function(from, f->key) != NULL))
			fresh_object(df, &o);
		free(o.key);
	}
	for (size_t i = 0; i < to->enums.len + to->domains.len + to->composites.len; i++) {
		const char *schema, *name;
		bool in_from;
		if (i < to->enums.len) {
			const retort_enum *e = to->enums.items[i];
			schema = e->schema, name = e->name;
			in_from = retort_model_enum(from, schema, name) != NULL;
		} else if (i < to->enums.len + to->domains.len) {
			const retort_pg_domain *d = to->domains.items[i - to->enums.len];
			schema = d->schema, name = d->name;
			in_from = retort_model_domain(from, schema, name) != NULL;
		} else {
			const retort_pg_composite *c = to->composites.items[i - to->enums.len - to->domains.len];
			schema = c->schema, name = c->name;
			in_from = retort_model_composite(from, schema, name) != NULL;
		}
		o = (object){ 'T', schema, name, NULL, retort_pg_key("type", schema, name) };
		if (is_fresh(df, o.key, in_from))
			fresh_object(df, &o);
		free(o.key);
	}
}

/* --- objects on both sides ------------------------------------------------------ */

static void diff_grants(differ *df)
{
	/* Revokes first: a grantable privilege becoming plain is a revoke and a grant. */
	for (size_t i = 0; i < df->from->grants.len; i++) {
		const retort_pg_grant *g = df->from->grants.items[i];
		if (object_in(df->to, g) && !retort_map_has(&df->gone, g->key) && !has_grant(df->to, g))
			emit(df, g, g->revoked);
	}
	for (size_t i = 0; i < df->to->grants.len; i++) {
		const retort_pg_grant *g = df->to->grants.items[i];
		if (object_in(df->from, g) && !retort_map_has(&df->gone, g->key) && !has_grant(df->from, g))
			emit(df, g, !g->revoked);
	}
	fresh_objects(df);
}

static bool has_default_grant(const retort_model *m, const retort_pg_default_grant *g)
{
	for (size_t i = 0; i < m->default_grants.len; i++)
		if (strcmp(((retort_pg_default_grant *)m->default_grants.items[i])->canon, g->canon) == 0)
			return true;
	return false;
}

static void diff_default_grants(differ *df)
{
	for (size_t i = 0; i < df->from->default_grants.len; i++) {
		const retort_pg_default_grant *g = df->from->default_grants.items[i];
		if (!has_default_grant(df->to, g))
			retort__diff_emit(df, P_LATE, g->revoked ? RETORT_OP_DEFAULT_GRANT : RETORT_OP_DEFAULT_REVOKE)
				->default_grant = g;
	}
	for (size_t i = 0; i < df->to->default_grants.len; i++) {
		const retort_pg_default_grant *g = df->to->default_grants.items[i];
		if (!has_default_grant(df->from, g))
			retort__diff_emit(df, P_LATE, g->revoked ? RETORT_OP_DEFAULT_REVOKE : RETORT_OP_DEFAULT_GRANT)
				->default_grant = g;
	}
}

void retort__diff_privileges(differ *df)
{
	if (!df->from->has_privileges || !df->to->has_privileges)
		return;
	diff_grants(df);
	diff_default_grants(df);
}
