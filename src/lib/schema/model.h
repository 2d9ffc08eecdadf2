/*
 * model.h - a database schema as plain data, independent of any dialect.
 *
 * Reflection (reflect_pg.c, reflect_sqlite.c) fills a model from a live
 * database; diff.c compares two models; the renderers turn the difference
 * into SQL.  The model holds what a migration must reproduce: schemas,
 * tables with their columns and constraints, indexes, views, sequences and
 * enum types, and comments.  It is not a SQL parser's syntax tree: every
 * expression (defaults, CHECK bodies, index expressions, view bodies) is
 * kept as the text the database itself reports, so two models that the
 * database normalized the same way compare equal.
 *
 * Ordering is deterministic: retort_model_sort() orders every list by name
 * (columns keep their ordinal order, which rendering uses, but equality and
 * the canonical dump ignore it).  Everything a model points at is owned by
 * the model and released by retort_model_free().
 */
#ifndef RETORT_SCHEMA_MODEL_H
#define RETORT_SCHEMA_MODEL_H

#include <stdbool.h>

#include "base/buf.h"
#include "dialect/url.h"
#include "base/vec.h"
#include "schema/model_pg.h"

typedef struct retort_model_column {
	char *name;
	char *type;          /* as the database formats it (format_type / declared type) */
	bool notnull;
	char *default_expr;  /* NULL: no default */
	char identity;       /* PostgreSQL: 0 none, 'a' ALWAYS, 'd' BY DEFAULT */
	bool autoincrement;  /* SQLite: INTEGER PRIMARY KEY AUTOINCREMENT */
	char *generated;     /* generation expression, NULL when not generated */
	bool gen_stored;     /* STORED (PostgreSQL always) or VIRTUAL (SQLite) */
	char *collation;     /* NULL: the type's default */
	char *comment;
	int position;        /* ordinal; ignored by equality */
	/* PostgreSQL: the collation's schema when it is not pg_catalog's */
	char *collation_schema;
	/* PostgreSQL: the identity sequence's options ("START WITH 1 INCREMENT BY 1 ..."), NULL when not identity */
	char *identity_opts;
} retort_model_column;

typedef enum retort_con_kind {
	RETORT_CON_PRIMARY = 'p',
	RETORT_CON_UNIQUE = 'u',
	RETORT_CON_CHECK = 'c',
	RETORT_CON_FOREIGN = 'f',
} retort_con_kind;

/* Foreign-key actions use PostgreSQL's confdeltype letters. */
#define RETORT_FK_NO_ACTION 'a'
#define RETORT_FK_RESTRICT 'r'
#define RETORT_FK_CASCADE 'c'
#define RETORT_FK_SET_NULL 'n'
#define RETORT_FK_SET_DEFAULT 'd'

typedef struct retort_model_constraint {
	retort_con_kind kind;
	char *name;            /* NULL when the database keeps none (SQLite) */
	retort_vec columns;    /* char *: constrained columns, in key order */
	char *expr;            /* CHECK body without the CHECK keyword / parentheses */
	char *ref_schema;      /* FOREIGN: referenced table (schema NULL on SQLite) */
	char *ref_table;
	retort_vec ref_columns;/* char *; empty = the referenced primary key */
	char on_delete, on_update; /* RETORT_FK_* */
	bool deferrable, deferred;
	char *pg_def;          /* PostgreSQL: pg_get_constraintdef for PRIMARY/UNIQUE/CHECK */
	char *canon;           /* canonical text for comparison (retort_model_sort fills it) */
	/* PostgreSQL */
	bool not_valid;        /* added NOT VALID and not validated since (not part of canon) */
	bool match_full;       /* FOREIGN: MATCH FULL */
	char *comment;
} retort_model_constraint;

typedef struct retort_index {
	char *name;
	bool unique;
	retort_vec keys;       /* char *: rendered key items ("col" / (expr), DESC, COLLATE) */
	char *where;           /* partial index predicate, NULL when total */
	char *definition;      /* PostgreSQL: pg_get_indexdef; SQLite: NULL (rendered) */
	char *canon;
	char *comment;         /* PostgreSQL */
} retort_index;

typedef struct retort_table {
	char *schema;          /* PostgreSQL namespace; NULL on SQLite */
	char *name;
	retort_vec columns;    /* retort_model_column *, by position */
	retort_vec constraints;/* retort_model_constraint *: primary key first after sorting */
	retort_vec indexes;    /* retort_index * (those not backing a constraint) */
	retort_vec triggers;   /* char *: SQLite CREATE TRIGGER text, recreated by batches */
	char *comment;
	bool without_rowid;    /* SQLite */
	bool strict;           /* SQLite STRICT table */
	/* PostgreSQL */
	bool rls, rls_force;   /* ROW LEVEL SECURITY enabled / forced */
	bool unlogged;
	char *partition_key;   /* pg_get_partkeydef of a partitioned table ("RANGE (d)"), else NULL */
	char *parent_schema;   /* a partition: its partitioned table */
	char *parent;
	char *partition_bound; /* ... and its bound ("FOR VALUES FROM (1) TO (10)", "DEFAULT") */
	retort_vec inherits;   /* char *: INHERITS parents, schema and name alternating, in order */
} retort_table;

typedef struct retort_view {
	char *schema;
	char *name;
	char *definition;      /* the SELECT (PostgreSQL) or whole CREATE VIEW text (SQLite) */
	retort_vec depends;    /* char *: "schema.table" / "table" names it reads */
	char *comment;
	/* PostgreSQL materialized views */
	bool materialized;
	bool with_data;        /* populated (WITH DATA) */
	retort_vec indexes;    /* retort_index * */
	retort_vec triggers;   /* char *: SQLite CREATE TRIGGER text on the view (INSTEAD OF), made again with it */
} retort_view;

typedef struct retort_sequence {
	char *schema;
	char *name;
	char *type;
	char *start, *increment, *min, *max, *cache; /* decimal text */
	bool cycle;
	char *owned_by;        /* "table.column" for serial columns, else NULL */
	char *comment;         /* PostgreSQL */
} retort_sequence;

typedef struct retort_enum {
	char *schema;
	char *name;
	retort_vec labels;     /* char *, in sort order */
	char *comment;
} retort_enum;

typedef struct retort_model {
	retort_dialect_id dialect;
	retort_vec schemas;    /* char *: PostgreSQL namespaces (user-defined and public) */
	retort_vec extensions; /* retort_pg_extension *: PostgreSQL extensions (plpgsql aside); their objects are not reflected */
	retort_vec tables;
	retort_vec views;
	retort_vec sequences;
	retort_vec enums;
	unsigned queries;      /* catalog queries reflection issued to build it */
	/* PostgreSQL catalog objects (model_pg.h) */
	retort_vec functions;  /* retort_pg_function * */
	retort_vec pg_triggers;/* retort_pg_trigger * */
	retort_vec policies;   /* retort_pg_policy * */
	retort_vec domains;    /* retort_pg_domain * */
	retort_vec composites; /* retort_pg_composite * */
	retort_vec collations; /* retort_pg_collation * */
	retort_vec schema_comments; /* retort_pg_schema * */
	retort_vec grants;     /* retort_pg_grant *, when has_privileges */
	retort_vec default_grants; /* retort_pg_default_grant *, when has_privileges */
	bool has_privileges;   /* privileges were reflected (only then are they compared) */
	retort_vec deps;       /* retort_pg_dep * */
	/*
	 * Set by retort_model_sort(), cleared by every retort_model_add_*():
	 * while set, lookups by name search the sorted lists (a model of
	 * 10,000 tables is looked up in for every one of them).
	 */
	bool sorted;
} retort_model;

retort_model *retort_model_new(retort_dialect_id dialect);
void retort_model_free(retort_model *m);

/* Constructors: each returns the new element, already appended and owned. */
retort_table *retort_model_add_table(retort_model *m, const char *schema, const char *name);
retort_model_column *retort_table_add_column(retort_table *t, const char *name, const char *type);
retort_model_constraint *retort_table_add_constraint(retort_table *t, retort_con_kind kind, const char *name);
retort_index *retort_table_add_index(retort_table *t, const char *name);
retort_view *retort_model_add_view(retort_model *m, const char *schema, const char *name, const char *definition);
retort_sequence *retort_model_add_sequence(retort_model *m, const char *schema, const char *name);
retort_enum *retort_model_add_enum(retort_model *m, const char *schema, const char *name);
/* Append a copy of each NULL-terminated string. */
void retort__strvec_add(retort_vec *v, const char *s);
/* Remove element i of a table's list and free it (an edit of a model, as C revisions make). */
void retort_table_remove_column(retort_table *t, size_t i);
void retort_table_remove_constraint(retort_table *t, size_t i);
void retort_table_remove_index(retort_table *t, size_t i);

/*
 * Put every list in its deterministic order and fill the canonical texts
 * (constraint and index `canon`) that equality and diff compare.  Call once
 * after building or reflecting a model and before diffing it.
 */
void retort_model_sort(retort_model *m);

/* Lookups by name (schema NULL matches NULL); borrowed, NULL when absent. */
retort_table *retort_model_table(const retort_model *m, const char *schema, const char *name);
retort_model_column *retort_table_column(const retort_table *t, const char *name);
retort_model_constraint *retort_table_primary_key(const retort_table *t);
retort_view *retort_model_view(const retort_model *m, const char *schema, const char *name);
retort_sequence *retort_model_sequence(const retort_model *m, const char *schema, const char *name);
retort_enum *retort_model_enum(const retort_model *m, const char *schema, const char *name);

/*
 * A canonical text of the whole model, column order ignored; two models are
 * equal when their dumps are.  Useful in test failure messages too.
 */
void retort_model_dump(retort_buf *out, const retort_model *m);
bool retort_model_equal(const retort_model *a, const retort_model *b);

/* Canonical one-line texts of single elements (used by diff and dump). */
void retort__column_canon(retort_buf *out, const retort_model_column *c);
/* "schema.name" or "name" (caller frees). */
char *retort__qualname(const char *schema, const char *name);
/* Collapse whitespace runs outside quotes to one space, trim the ends. */
char *retort__sql_squeeze(const char *sql);

#endif
