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
#include "dialect/url.h"

extern const retort_dialect retort__dialect_sqlite;
extern const retort_dialect retort__dialect_postgres;

/*
 * Each dialect parses its own URL form into `url` (url->raw is set): SQLite
 * what follows "sqlite:", PostgreSQL what follows "<scheme>://" (`scheme`
 * as written, for the display form).  0, or -1 with *why (malloc'd) saying
 * what is wrong; neither touches the current error (url.c words it, and
 * masking a URL must leave it alone).
 */
int retort__sqlite_url_parse(retort_url *url, const char *rest, char **why);
int retort__pg_url_parse(retort_url *url, const char *scheme, const char *rest, char **why);
/*
 * A libpq error message (malloc'd, one line) without the text libpq quotes
 * at its end ("invalid percent-encoded token: \"...\""), which may be a
 * password.
 */
char *retort__pg_libpq_reason(const char *errmsg);

/*
 * Build a retort_rows in place: rows_new gives `ncols` column names, all
 * NULL, for the dialect to fill with malloc'd text, and rows_add one more
 * row of `ncols` cells, all NULL (SQL NULL), for it to fill with texts
 * from rows_text.  rows_add returns NULL for a result without columns.
 */
retort_rows *retort__rows_new(size_t ncols);
char **retort__rows_add(retort_rows *rows);
/*
 * A copy of `len` bytes of `text`, NUL-terminated, kept in the result's
 * own blocks (one allocation for many cells, not one per cell: a
 * reflection reads tens of thousands of them).
 */
char *retort__rows_text(retort_rows *rows, const char *text, size_t len);

/*
 * The errors of db.h's transaction guard, the same in both dialects:
 * txn_refused for a statement of class `cls` refused before it ran (its
 * command named), txn_ended for one after which the transaction was gone.
 */
int retort__txn_refused(const retort_sql_class *cls);
int retort__txn_ended(void);

#endif
