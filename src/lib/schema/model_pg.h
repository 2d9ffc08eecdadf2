/*
 * model_pg.h - the PostgreSQL catalog objects of a schema model beyond
 * tables, views, sequences and enums: functions and procedures, triggers,
 * row-level-security policies, domains, composite types, collations,
 * extensions with their versions, schema comments, privileges and default
 * privileges, and the dependencies between objects.
 *
 * Like the rest of the model these are plain data, kept as the text the
 * server itself prints (pg_get_functiondef, pg_get_triggerdef, pg_get_expr,
 * pg_get_constraintdef, format_type), so two databases holding the same
 * objects reflect to the same text.  The lists hang off retort_model
 * (model.h); this file owns their constructors, order, canonical dump and
 * release, and uses nothing of model.c.
 *
 * Dependencies are kept as pairs of object keys: "schema.name" for a
 * relation (table, view, materialized view, sequence), "schema.table.column"
 * for a column, and "<kind>:<qualified name>" for everything else (see
 * retort_pg_key()).  They order operations and say what must be recreated
 * around a change; they take no part in equality.
 */
#ifndef RETORT_SCHEMA_MODEL_PG_H
#define RETORT_SCHEMA_MODEL_PG_H

#include <stdbool.h>

#include "base/buf.h"
#include "base/vec.h"

typedef struct retort_model retort_model;

/* A function or procedure (aggregates are not modelled). */
typedef struct retort_pg_function {
	char *schema, *name;
	char *argtypes;      /* input argument types: the identity ("integer, text") */
	char *identity;      /* pg_get_function_identity_arguments: names, modes, types */
	char kind;           /* 'f' function, 'p' procedure, 'w' window function */
	char *result;        /* pg_get_function_result; NULL for procedures */
	int ndefaults;       /* pronargdefaults */
	char *definition;    /* pg_get_functiondef: CREATE OR REPLACE ... */
	char *comment;
	char *key;           /* "function:schema.name(argtypes)" */
} retort_pg_function;

/* A trigger on a table, view or partitioned table (not internal, not cloned). */
typedef struct retort_pg_trigger {
	char *schema, *table, *name;
	char *definition;    /* pg_get_triggerdef */
	char enabled;        /* tgenabled: 'O' enabled, 'D' disabled, 'R' replica, 'A' always */
	bool constraint;     /* CREATE CONSTRAINT TRIGGER */
	char *comment;
	char *key;           /* "trigger:schema.table.name" */
} retort_pg_trigger;

/* A row-level-security policy. */
typedef struct retort_pg_policy {
	char *schema, *table, *name;
	char cmd;            /* '*' ALL, 'r' SELECT, 'a' INSERT, 'w' UPDATE, 'd' DELETE */
	bool permissive;
	retort_vec roles;    /* char *, sorted; empty = PUBLIC */
	char *using_expr;    /* NULL when absent */
	char *check_expr;
	char *comment;
	char *key;           /* "policy:schema.table.name" */
} retort_pg_policy;

/* A named CHECK of a domain. */
typedef struct retort_pg_check {
	char *name;
	char *definition;    /* pg_get_constraintdef: CHECK (...) [NOT VALID] */
} retort_pg_check;

typedef struct retort_pg_domain {
	char *schema, *name;
	char *type;          /* format_type of the base type */
	char *default_expr;
	bool notnull;
	char *collation;     /* NULL: the base type's */
	char *collation_schema; /* NULL: pg_catalog's */
	retort_vec checks;   /* retort_pg_check *, by name */
	char *comment;
	char *key;           /* "type:schema.name" */
} retort_pg_domain;

/* An attribute of a composite type. */
typedef struct retort_pg_attr {
	char *name, *type, *collation;
	char *collation_schema; /* NULL: pg_catalog's */
} retort_pg_attr;

typedef struct retort_pg_composite {
	char *schema, *name;
	retort_vec attrs;    /* retort_pg_attr *, in attribute order */
	char *comment;
	char *key;           /* "type:schema.name" */
} retort_pg_composite;

typedef struct retort_pg_collation {
	char *schema, *name;
	char *options;       /* as CREATE COLLATION takes them: "provider = icu, deterministic = false, locale = '...'" */
	char *comment;
	char *key;           /* "collation:schema.name" */
} retort_pg_collation;

typedef struct retort_pg_extension {
	char *name, *schema, *version, *comment;
} retort_pg_extension;

/* A comment on a schema (namespace); schemas themselves are retort_model.schemas. */
typedef struct retort_pg_schema {
	char *name, *comment;
} retort_pg_schema;

/*
 * One privilege of one grantee on one object that differs from the
 * object's built-in default (its owner's privileges, and PUBLIC's EXECUTE
 * on routines and USAGE on types): granted beyond it, or `revoked` from
 * it.  objtype: 'r' table, view or materialized view, 'c' column, 's'
 * sequence, 'f' function, 'p' procedure, 'T' type or domain, 'n' schema.
 */
typedef struct retort_pg_grant {
	char objtype;
	char *schema, *name;
	char *sub;           /* column name, or a routine's identity arguments */
	char *key;           /* the object's key ("schema.table", "function:...", "schema:name") */
	char *grantee;       /* role name; "PUBLIC" */
	char *privilege;     /* SELECT, INSERT, ..., EXECUTE, USAGE, CREATE */
	bool grantable, revoked;
	char *canon;
} retort_pg_grant;

/*
 * One entry of ALTER DEFAULT PRIVILEGES: for objects `role` creates (in
 * `schema`, NULL = everywhere) of objtype 'r' tables, 'S' sequences, 'f'
 * functions, 'T' types, 'n' schemas.  `revoked` marks a privilege taken
 * away from the built-in defaults rather than granted.
 */
typedef struct retort_pg_default_grant {
	char *role, *schema;
	char objtype;
	char *grantee, *privilege;
	bool grantable, revoked;
	char *canon;
} retort_pg_default_grant;

/* `from` depends on `to` (object keys). */
typedef struct retort_pg_dep {
	char *from, *to;
} retort_pg_dep;

/*
 * Does a type as format_type prints it ("mood", "app.mood", "\"Odd\".\"Mood\"",
 * an array of it aside) name type `schema`.`name`?
 */
bool retort_pg_type_is(const char *type, const char *schema, const char *name);

/* "kind:schema.name" (caller frees); kind NULL gives the bare "schema.name" of a relation. */
char *retort_pg_key(const char *kind, const char *schema, const char *name);

retort_pg_function *retort_model_add_function(retort_model *m, const char *schema, const char *name,
	const char *argtypes);
retort_pg_trigger *retort_model_add_pg_trigger(retort_model *m, const char *schema, const char *table,
	const char *name);
retort_pg_policy *retort_model_add_policy(retort_model *m, const char *schema, const char *table,
	const char *name);
retort_pg_domain *retort_model_add_domain(retort_model *m, const char *schema, const char *name);
retort_pg_composite *retort_model_add_composite(retort_model *m, const char *schema, const char *name);
retort_pg_collation *retort_model_add_collation(retort_model *m, const char *schema, const char *name);
retort_pg_extension *retort_model_add_extension(retort_model *m, const char *name);
retort_pg_grant *retort_model_add_grant(retort_model *m, char objtype, const char *schema, const char *name,
	const char *sub, const char *key, const char *grantee, const char *privilege, bool grantable, bool revoked);
retort_pg_default_grant *retort_model_add_default_grant(retort_model *m, const char *role, const char *schema,
	char objtype, const char *grantee, const char *privilege, bool grantable, bool revoked);
void retort_model_add_dep(retort_model *m, const char *from, const char *to);
void retort_pg_domain_add_check(retort_pg_domain *d, const char *name, const char *definition);
void retort_pg_composite_add_attr(retort_pg_composite *c, const char *name, const char *type, const char *collation);

/* Lookups by identity (borrowed, NULL when absent). */
retort_pg_function *retort_model_function(const retort_model *m, const char *key);
retort_pg_trigger *retort_model_pg_trigger(const retort_model *m, const char *key);
retort_pg_policy *retort_model_policy(const retort_model *m, const char *key);
retort_pg_domain *retort_model_domain(const retort_model *m, const char *schema, const char *name);
retort_pg_composite *retort_model_composite(const retort_model *m, const char *schema, const char *name);
retort_pg_collation *retort_model_collation(const retort_model *m, const char *schema, const char *name);
retort_pg_extension *retort_model_extension(const retort_model *m, const char *name);
const char *retort_model_schema_comment(const retort_model *m, const char *schema);

/* model.c's halves of sort, dump and free for these lists. */
void retort__model_pg_sort(retort_model *m);
void retort__model_pg_dump(retort_buf *out, const retort_model *m);
void retort__model_pg_free(retort_model *m);

/* Canonical texts compared by the diff (equal texts: nothing to do). */
void retort__pg_function_canon(retort_buf *out, const retort_pg_function *f);
void retort__pg_policy_canon(retort_buf *out, const retort_pg_policy *p);

#endif
