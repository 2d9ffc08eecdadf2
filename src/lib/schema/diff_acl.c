/*
 * diff_acl.c - the diff of privileges and default privileges, done only
 * when both models were reflected with them (roles differ between
 * environments, so this is asked for: `retort diff --with-privileges`,
 * `manage_privileges = true`).
 *
 * Privileges are kept as their difference from each object's built-in
 * default (model_pg.h), so the owner's own never show.  On an object both
 * sides keep, what is granted or revoked on one side only is granted or
 * revoked; an object created, or dropped and created again, starts from
 * the default, so all of its target's grants and revokes are made.
 * Default privileges compare the same way, entry by entry.
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
		return retort_model_sequence(m, g->schema, g->name) != NULL;
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
		bool fresh = !object_in(df->from, g) || retort_map_has(&df->gone, g->key);
		if (fresh || !has_grant(df->from, g))
			emit(df, g, !g->revoked);
	}
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
