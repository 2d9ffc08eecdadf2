/*
 * dialect.h - what the two dialect implementations share with db.c, and
 * nothing more: the dialect tables themselves and the small lexical helper
 * both splitters use to find where a statement's first token is.
 *
 * This is not a public interface; everything else goes through db.h.
 */
#ifndef RETORT_DIALECT_H
#define RETORT_DIALECT_H

#include <stdbool.h>
#include <stddef.h>

#include "dialect/db.h"

extern const retort_dialect retort__dialect_sqlite;
extern const retort_dialect retort__dialect_postgres;

/*
 * Skip whitespace, `-- line` comments and block comments starting at `p`
 * (with nesting when `nested_comments`, as PostgreSQL allows), without
 * passing `end`.  Adds the newlines skipped to *line.  Returns the position
 * of the first token, or `end`.  An unterminated block comment runs to end.
 */
const char *retort__sql_skip_blank(const char *p, const char *end,
	bool nested_comments, unsigned *line);

/* Number of '\n' in [p, end). */
unsigned retort__count_newlines(const char *p, const char *end);

/* A result to fill (takes ownership of colnames, ncols malloc'd strings). */
retort_rows *retort__rows_new(size_t ncols, char **colnames);
/*
 * Append one row: ncols texts of lens[i] bytes (NULL = SQL NULL), copied
 * into the result's own blocks (one allocation per many cells, not one per
 * cell: a reflection reads tens of thousands of them).
 */
void retort__rows_add(retort_rows *rows, const char *const *texts, const size_t *lens);

#endif
