/*
 * dialect.h - what the two dialect implementations share with db.c, and
 * nothing more: the dialect tables themselves and the row-building helpers.
 * SQL text is read by src/lib/sql/ (sql.h), not here.
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
 * Skip whitespace and comments from `p`, without passing `end`, as
 * retort_sql_skip_blank does for SQLite (`nested_comments` false) or
 * PostgreSQL (true), adding the newlines skipped to *line.  Kept with this
 * signature for run/sqlite_batch.c; new code calls sql.h.
 */
const char *retort__sql_skip_blank(const char *p, const char *end,
	bool nested_comments, unsigned *line);

/* A result to fill (takes ownership of colnames, ncols malloc'd strings). */
retort_rows *retort__rows_new(size_t ncols, char **colnames);
/*
 * Append one row: ncols texts of lens[i] bytes (NULL = SQL NULL), copied
 * into the result's own blocks (one allocation per many cells, not one per
 * cell: a reflection reads tens of thousands of them).
 */
void retort__rows_add(retort_rows *rows, const char *const *texts, const size_t *lens);

#endif
