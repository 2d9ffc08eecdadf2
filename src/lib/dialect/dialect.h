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

/*
 * Build a retort_rows in place: rows_new gives `ncols` column names, all
 * NULL, and rows_add one more row of `ncols` cells, all NULL (SQL NULL),
 * for the dialect to fill with malloc'd text that the rows then own.
 * rows_add returns NULL for a result without columns.
 */
retort_rows *retort__rows_new(size_t ncols);
char **retort__rows_add(retort_rows *rows);

/*
 * The errors of db.h's transaction guard, the same in both dialects:
 * txn_refused for a statement of class `cls` refused before it ran (its
 * command named), txn_ended for one after which the transaction was gone.
 */
int retort__txn_refused(const retort_sql_class *cls);
int retort__txn_ended(void);

#endif
