/*
 * rules_int.h - what the files of rules/ share and nobody else needs: the
 * checker's state, the schema it remembers from the revisions it read,
 * the database's answers, and how a dialect's rules report a finding.
 *
 * check.c walks a revision's statements and turns raw findings into
 * leveled ones; pg.c and sqlite.c decide which rules a statement trips
 * and what it locks; memory.c is the remembered schema; facts.c asks a
 * PostgreSQL catalog.
 */
#ifndef RETORT_RULES_INT_H
#define RETORT_RULES_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "base/common.h"
#include "base/vec.h"
#include "rules/rules.h"
#include "sql/sql.h"

struct json_t;
struct retort_db;

/* A column type as the rules compare them: "varchar" (20), "numeric" (10, 2), "int4". */
typedef struct retort__rtype {
	char name[64];              /* lower case, without schema: int4, varchar, bpchar, text ... */
	int mods[2];                /* typmods as written; -1 when absent */
	bool array;
	bool known;                 /* false: nothing is known about the column's type */
} retort__rtype;

/* --- the remembered schema (memory.c) ---------------------------------- */

typedef struct retort__mtable retort__mtable;

/* Names are keys as the dialect folds them: PostgreSQL's parse tree, SQLite lower-cased. */
retort__mtable *retort__mem_table(retort_map *tables, const char *name);
retort__mtable *retort__mem_create(retort_map *tables, const char *name);
void retort__mem_drop(retort_map *tables, const char *name);
void retort__mem_rename(retort_map *tables, const char *from, const char *to);
void retort__mem_free_all(retort_map *tables);

void retort__mem_column_set(retort__mtable *t, const char *column, const retort__rtype *type);
const retort__rtype *retort__mem_column(const retort__mtable *t, const char *column);
void retort__mem_column_drop(retort__mtable *t, const char *column);
void retort__mem_column_rename(retort__mtable *t, const char *from, const char *to);
/* A CHECK (column IS NOT NULL) named `name`, validated or NOT VALID. */
void retort__mem_check_add(retort__mtable *t, const char *name, const char *column, bool validated);
void retort__mem_check_validate(retort__mtable *t, const char *name);
void retort__mem_constraint_drop(retort__mtable *t, const char *name);
bool retort__mem_notnull_proven(const retort__mtable *t, const char *column);

/* --- the checker ------------------------------------------------------- */

struct retort_rules {
	retort_dialect_id dialect;
	const retort_config *cfg;   /* may be NULL */
	struct retort_db *db;       /* borrowed, may be NULL; PostgreSQL only */
	double large_table;         /* lint_large_table */
	retort_vec promote, ignore; /* const retort_rule * */

	retort_map tables;          /* retort__mtable *: the schema the revisions read so far build */
	retort_map indexes;         /* index name -> table name (char *) */
	retort_map facts;           /* facts.c's cache: key -> char * answer */
	char *db_error;             /* the first catalog query's failure, NULL when none */

	/* The revision being checked. */
	retort_map created;         /* tables created earlier in it (values unused) */
	retort_map created_indexes;
	retort_map rebuilt;         /* SQLite: names an ALTER TABLE ... RENAME TO gives back (2: dropped so far) */
	bool has_ddl;               /* it changes the schema (R119 judges DML by that) */
	bool transactional;

	/* The statement being checked. */
	const char *text;           /* its text, from after the previous ';' */
	size_t len;
	unsigned line;              /* file line of text[0] */
	unsigned first_token_line;  /* file line of its first token */
	retort_rules_result *out;   /* NULL while only learning */
	retort_rules_stmt *st;
	const char *st_schema;      /* of st->table, borrowed from the parse tree */
	size_t cap_stmts, cap_findings;
};

/*
 * A raw finding on the current statement: `location` is a byte offset in
 * its text (the line is computed from it; (size_t)-1: the statement's
 * line); `table` may be NULL.  The level is settled by check.c.
 */
void retort__rules_emit(retort_rules *r, const char *code, size_t location, retort_lock lock,
	const char *schema, const char *table, const char *fmt, ...) RETORT_PRINTF(7, 8);
/* The current statement takes `lock` on `table` (the strongest lock wins). */
void retort__rules_lock(retort_rules *r, retort_lock lock, const char *schema, const char *table);
/* Whether `table` was created earlier in the revision being checked. */
bool retort__rules_created_here(const retort_rules *r, const char *table);

/* A dialect's statement: rules, lock, and what the memory learns. */
void retort__pg_statement(retort_rules *r, struct json_t *stmt, const retort_sql_class *cls);
void retort__sqlite_statement(retort_rules *r, const retort_sql_script *s, const retort_sql_stmt *st);
/* Before a revision's statements: what the whole revision says (SQLite rebuilds). */
void retort__sqlite_prescan(retort_rules *r, const retort_sql_script *s);

/* --- the database's answers (facts.c), PostgreSQL ---------------------- */

/* Estimated rows of a table (pg_class.reltuples), -1 when unknown or no database. */
double retort__facts_rows(retort_rules *r, const char *schema, const char *table);
/* The column's current type; type->known false when unknown. */
void retort__facts_column_type(retort_rules *r, const char *schema, const char *table,
	const char *column, retort__rtype *type);
/* Whether a validated CHECK (column IS NOT NULL) exists on the table. */
bool retort__facts_notnull_check(retort_rules *r, const char *schema, const char *table,
	const char *column);
/* pg_proc.provolatile of every function named `name`: 'v' if any is volatile, 's'/'i', 0 unknown. */
char retort__facts_volatility(retort_rules *r, const char *name);
/* Whether a CHECK constraint's definition proves `column IS NOT NULL` (pg.c). */
bool retort__pg_check_is_not_null(const char *definition, char *column, size_t cap);

#endif
