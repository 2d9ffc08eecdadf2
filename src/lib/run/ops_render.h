/*
 * ops_render.h - the portable schema operations of <retort/migration.h>
 * rendered as SQL text for one dialect.
 *
 * Pure functions: they append one statement (no trailing semicolon) to
 * `out` and touch no database, so they are unit-tested on their own and
 * shared by the live and the recording context.  Operations SQLite cannot
 * express with ALTER (alter column, add/drop constraint) are not rendered
 * here for SQLite: sqlite_batch.c rebuilds the table instead.
 *
 * Invalid input (a column without a name or type, an unknown ON DELETE
 * action, an empty column list) fails with class SCRIPT.
 */
#ifndef RETORT_OPS_RENDER_H
#define RETORT_OPS_RENDER_H

#define RETORT_MIGRATION_HOST
#include "retort/migration.h"

#include "base/buf.h"
#include "dialect/db.h"

int retort__render_column(retort_buf *out, const retort_dialect *d, const retort_column *col);
int retort__render_create_table(retort_buf *out, const retort_dialect *d, const char *table,
	const retort_column *columns);
int retort__render_drop_table(retort_buf *out, const retort_dialect *d, const char *table);
int retort__render_rename_table(retort_buf *out, const retort_dialect *d, const char *table,
	const char *new_name);
int retort__render_add_column(retort_buf *out, const retort_dialect *d, const char *table,
	const retort_column *column);
int retort__render_drop_column(retort_buf *out, const retort_dialect *d, const char *table,
	const char *column);
int retort__render_rename_column(retort_buf *out, const retort_dialect *d, const char *table,
	const char *column, const char *new_name);
/* PostgreSQL only (SQLite: sqlite_batch.c). */
int retort__render_alter_column(retort_buf *out, const retort_dialect *d, const char *table,
	const char *column, const retort_alter *alter);
int retort__render_create_index(retort_buf *out, const retort_dialect *d, const char *name,
	const char *table, const char *const *columns, int unique, const char *where_sql);
int retort__render_drop_index(retort_buf *out, const retort_dialect *d, const char *name);
/* "CONSTRAINT "name" UNIQUE (...)": the part shared by ALTER TABLE and a SQLite rebuild. */
int retort__render_constraint(retort_buf *out, const retort_dialect *d, const retort_constraint *c);
/* PostgreSQL only (SQLite: sqlite_batch.c). */
int retort__render_add_constraint(retort_buf *out, const retort_dialect *d, const char *table,
	const retort_constraint *c);
int retort__render_drop_constraint(retort_buf *out, const retort_dialect *d, const char *table,
	const char *name);

#endif
