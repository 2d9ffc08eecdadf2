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

/*
 * Build a retort_rows in place: rows_new gives `ncols` column names, all
 * NULL, and rows_add one more row of `ncols` cells, all NULL (SQL NULL),
 * for the dialect to fill with malloc'd text that the rows then own.
 * rows_add returns NULL for a result without columns.
 */
retort_rows *retort__rows_new(size_t ncols);
char **retort__rows_add(retort_rows *rows);

#endif
