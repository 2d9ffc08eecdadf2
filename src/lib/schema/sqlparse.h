/*
 * sqlparse.h - the little of SQLite's stored CREATE statements that its
 * pragmas do not report (internal to src/lib/schema/).
 *
 * SQLite keeps each object's CREATE text in sqlite_schema; the pragma
 * functions give columns, keys and indexes, but not CHECK constraints,
 * AUTOINCREMENT, collations, generation expressions, foreign-key
 * deferrability, the names of constraints (CONSTRAINT uq UNIQUE (...)),
 * index expressions or partial-index predicates.  These
 * functions read that text with SQLite's lexer (sql.h) and pick those
 * pieces out.  They are not a SQL parser: anything they do not
 * recognize is skipped, and they never fail.
 */
#ifndef RETORT_SCHEMA_SQLPARSE_H
#define RETORT_SCHEMA_SQLPARSE_H

#include <stdbool.h>

#include "base/vec.h"

typedef struct retort__lite_coldef {
	char *name;
	char *collation;    /* NULL when none */
	bool autoincrement;
	char *generated;    /* expression text, NULL when not generated */
	bool stored;
} retort__lite_coldef;

typedef struct retort__lite_check {
	char *name;         /* CONSTRAINT name, NULL when none */
	char *expr;         /* squeezed text between the parentheses */
} retort__lite_check;

typedef struct retort__lite_fkdef {
	char *name;         /* CONSTRAINT name, NULL when none */
	retort_vec columns; /* char *: the referencing columns */
	bool deferrable, deferred;
} retort__lite_fkdef;

/* A UNIQUE constraint, table- or column-level. */
typedef struct retort__lite_keydef {
	char *name;         /* CONSTRAINT name, NULL when none */
	retort_vec columns; /* char *: its columns, in key order */
} retort__lite_keydef;

typedef struct retort__lite_tabledef {
	retort_vec columns; /* retort__lite_coldef * in declaration order */
	retort_vec checks;  /* retort__lite_check *, column-level ones included */
	retort_vec fks;     /* retort__lite_fkdef * */
	retort_vec uniques; /* retort__lite_keydef * */
	char *pk_name;      /* the primary key's CONSTRAINT name, NULL when none */
	bool without_rowid, strict;
} retort__lite_tabledef;

void retort__sqlparse_parse_table(retort__lite_tabledef *out, const char *sql);
void retort__sqlparse_tabledef_dispose(retort__lite_tabledef *def);
retort__lite_coldef *retort__sqlparse_tabledef_column(const retort__lite_tabledef *def, const char *name);

/*
 * CREATE INDEX text: the key items as written (squeezed, one string each)
 * and the WHERE predicate (NULL when none).
 */
void retort__sqlparse_parse_index(retort_vec *keys, char **where, const char *sql);

/* The trigger's name from its CREATE TRIGGER text (caller frees), or NULL. */
char *retort__sqlparse_trigger_name(const char *sql);

/* Every identifier-like token of `sql`, unquoted (char *, caller owns). */
void retort__sqlparse_identifiers(retort_vec *out, const char *sql);

/* Unquote one identifier token ("a""b" -> a"b, [x] -> x, `y` -> y). */
char *retort__sqlparse_unquote(const char *tok, size_t len);

#endif
