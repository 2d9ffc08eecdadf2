/*
 * sql_int.h - what the files of src/lib/sql/ share and nothing else sees:
 * a growing token array and the two dialects' lexers.
 */
#ifndef RETORT_SQL_INT_H
#define RETORT_SQL_INT_H

#include "sql/sql.h"

typedef struct retort__tokvec {
	retort_sql_token *v;
	size_t len, cap;
} retort__tokvec;

/* Append a token of `kind` over [offset, end); its line is computed by the caller. */
void retort__tokvec_push(retort__tokvec *tv, retort_sql_kind kind, size_t offset, size_t end,
	bool unterminated);

/*
 * SQLite: the token starting at s[i] (i < n); returns where it ends
 * (always > i).  Bytes at and past s[n] are never read.
 */
size_t retort__sqlite_token(const char *s, size_t n, size_t i, retort_sql_kind *kind, bool *unterminated);

/*
 * PostgreSQL: append the tokens of s[0, n) to `tv` (lines not set).  The
 * first error libpg_query's scanner reports goes to *error (malloc'd) and
 * *error_offset; *error stays NULL when there is none.
 */
void retort__pg_lex(retort__tokvec *tv, const char *s, size_t n, char **error, size_t *error_offset);

#endif
