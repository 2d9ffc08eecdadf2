/*
 * diff_routines.c - the diff of PostgreSQL functions and procedures,
 * triggers and row-level-security policies.
 *
 * A function is matched by name and input argument types.  A changed one
 * is replaced in place (CREATE OR REPLACE) when PostgreSQL allows it, and
 * dropped and created otherwise: when its kind, its result type (OUT
 * parameters included) or its arguments' names or modes change, or it
 * loses parameter defaults.  What stands on a dropped function is
 * recreated around it by diff_deps.c.  A changed trigger is dropped and
 * created; its enabled state alone is an ALTER TABLE.  A policy whose
 * command or permissiveness changes is dropped and created, one whose
 * roles or expressions change is altered, and one that differs only by
 * name is renamed.  Triggers and policies of a dropped table go with it.
 */
#include <stdlib.h>
#include <string.h>

#include "base/common.h"
#include "schema/diff_int.h"

/* --- functions ------------------------------------------------------------ */

static bool replaceable(const retort_pg_function *old, const retort_pg_function *f)
{
	return old->kind == f->kind && retort__streq(old->result, f->result) &&
		retort__streq(old->identity, f->identity) && f->ndefaults >= old->ndefaults;
}

void retort__diff_create_function(differ *df, const retort_pg_function *f)
{
	retort__diff_emit(df, P_CREATE_FUNCTION, RETORT_OP_CREATE_FUNCTION)->function = f;
	if (f->comment)
		retort__diff_comment(df, "FUNCTION", f->comment)->function = f;
}

void retort__diff_drop_function(differ *df, const retort_pg_function *old)
{
	retort__diff_emit(df, P_DROP_FUNCTION, RETORT_OP_DROP_FUNCTION)->function = old;
}

static void diff_functions(differ *df)
{
	for (size_t i = 0; i < df->to->functions.len; i++) {
		const retort_pg_function *f = df->to->functions.items[i];
		const retort_pg_function *old = retort_model_function(df->from, f->key);

		if (!old) {
			retort__diff_create_function(df, f);
			continue;
		}
		if (!retort__streq(old->definition, f->definition)) {
			if (replaceable(old, f)) {
				retort__diff_emit(df, P_CREATE_FUNCTION, RETORT_OP_REPLACE_FUNCTION)->function = f;
			} else {
				retort__diff_drop_function(df, old);
				retort__diff_create_function(df, f);
				continue;
			}
		}
		if (!retort__streq(old->comment, f->comment))
			retort__diff_comment(df, "FUNCTION", f->comment)->function = f;
	}
	for (size_t i = 0; i < df->from->functions.len; i++) {
		const retort_pg_function *old = df->from->functions.items[i];
		if (!retort_model_function(df->to, old->key))
			retort__diff_drop_function(df, old);
	}
}

/* --- triggers -------------------------------------------------------------- */

void retort__diff_create_trigger(differ *df, const retort_pg_trigger *t)
{
	retort__diff_emit(df, P_CREATE_TRIGGER, RETORT_OP_CREATE_PG_TRIGGER)->pg_trigger = t;
	if (t->enabled != 'O')
		retort__diff_emit(df, P_LATE, RETORT_OP_ENABLE_TRIGGER)->pg_trigger = t;
	if (t->comment)
		retort__diff_comment(df, "TRIGGER", t->comment)->pg_trigger = t;
}

void retort__diff_drop_trigger(differ *df, const retort_pg_trigger *old)
{
	retort__diff_emit(df, P_DROP_TRIGGER, RETORT_OP_DROP_PG_TRIGGER)->pg_trigger = old;
}

static void diff_triggers(differ *df)
{
	for (size_t i = 0; i < df->to->pg_triggers.len; i++) {
		const retort_pg_trigger *t = df->to->pg_triggers.items[i];
		const retort_pg_trigger *old = retort_model_pg_trigger(df->from, t->key);

		if (!old) {
			retort__diff_create_trigger(df, t);
			continue;
		}
		if (!retort__streq(old->definition, t->definition) || old->constraint != t->constraint) {
			retort__diff_drop_trigger(df, old);
			retort__diff_create_trigger(df, t);
			continue;
		}
		if (old->enabled != t->enabled)
			retort__diff_emit(df, P_LATE, RETORT_OP_ENABLE_TRIGGER)->pg_trigger = t;
		if (!retort__streq(old->comment, t->comment))
			retort__diff_comment(df, "TRIGGER", t->comment)->pg_trigger = t;
	}
	for (size_t i = 0; i < df->from->pg_triggers.len; i++) {
		const retort_pg_trigger *old = df->from->pg_triggers.items[i];
		if (!retort_model_pg_trigger(df->to, old->key) && retort__diff_relation_in(df->to, old->schema, old->table))
			retort__diff_drop_trigger(df, old);
	}
}

/* --- policies -------------------------------------------------------------- */

static bool same_roles(const retort_pg_policy *a, const retort_pg_policy *b)
{
	if (a->roles.len != b->roles.len)
		return false;
	for (size_t i = 0; i < a->roles.len; i++)
		if (strcmp(a->roles.items[i], b->roles.items[i]) != 0)
			return false;
	return true;
}

/* Everything but the name and the comment. */
static bool policy_same(const retort_pg_policy *a, const retort_pg_policy *b)
{
	return a->cmd == b->cmd && a->permissive == b->permissive && same_roles(a, b) &&
		retort__streq(a->using_expr, b->using_expr) && retort__streq(a->check_expr, b->check_expr) &&
		retort__streq(a->schema, b->schema) && strcmp(a->table, b->table) == 0;
}

void retort__diff_create_policy(differ *df, const retort_pg_policy *p)
{
	retort__diff_emit(df, P_CREATE_POLICY, RETORT_OP_CREATE_POLICY)->policy = p;
	if (p->comment)
		retort__diff_comment(df, "POLICY", p->comment)->policy = p;
}

void retort__diff_drop_policy(differ *df, const retort_pg_policy *old)
{
	retort__diff_emit(df, P_DROP_POLICY, RETORT_OP_DROP_POLICY)->old_policy = old;
}

/* A policy only on one side, with a twin only on the other: a rename. */
static const retort_pg_policy *renamed_twin(differ *df, const retort_pg_policy *p, retort_vec *taken)
{
	for (size_t i = 0; i < df->from->policies.len; i++) {
		const retort_pg_policy *old = df->from->policies.items[i];
		if (!retort_vec_contains(taken, old) && !retort_model_policy(df->to, old->key) && policy_same(old, p)) {
			retort_vec_push(taken, (void *)old);
			return old;
		}
	}
	return NULL;
}

static void diff_policies(differ *df)
{
	retort_vec renamed = RETORT_VEC_INIT;

	for (size_t i = 0; i < df->to->policies.len; i++) {
		const retort_pg_policy *p = df->to->policies.items[i];
		const retort_pg_policy *old = retort_model_policy(df->from, p->key);
		retort_op *op;

		if (!old && (old = renamed_twin(df, p, &renamed))) {
			op = retort__diff_emit(df, P_ALTER_TABLE, RETORT_OP_RENAME_POLICY);
			op->policy = p;
			op->old_policy = old;
		} else if (!old) {
			retort__diff_create_policy(df, p);
			continue;
		} else if (old->cmd != p->cmd || old->permissive != p->permissive ||
			(old->using_expr && !p->using_expr) || (old->check_expr && !p->check_expr)) {
			/* ALTER POLICY cannot change these, nor take an expression away. */
			retort__diff_drop_policy(df, old);
			retort__diff_create_policy(df, p);
			continue;
		} else if (!policy_same(old, p)) {
			op = retort__diff_emit(df, P_CREATE_POLICY, RETORT_OP_ALTER_POLICY);
			op->policy = p;
			op->old_policy = old;
		}
		if (!retort__streq(old->comment, p->comment))
			retort__diff_comment(df, "POLICY", p->comment)->policy = p;
	}
	for (size_t i = 0; i < df->from->policies.len; i++) {
		const retort_pg_policy *old = df->from->policies.items[i];
		if (!retort_model_policy(df->to, old->key) && !retort_vec_contains(&renamed, old) &&
			retort_model_table(df->to, old->schema, old->table))
			retort__diff_drop_policy(df, old);
	}
	retort_vec_dispose(&renamed, false);
}

void retort__diff_routines(differ *df)
{
	diff_functions(df);
	diff_triggers(df);
	diff_policies(df);
}
