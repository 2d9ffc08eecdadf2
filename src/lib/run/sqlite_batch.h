/*
 * sqlite_batch.h - SQLite "move and copy": changing a table that SQLite's
 * ALTER TABLE cannot change (a column's type, nullability or default; table
 * constraints) by rebuilding it inside the caller's transaction.
 *
 * The table's CREATE TABLE text is read from sqlite_master, edited, and the
 * table rebuilt: rows saved to a holding table, the table dropped and
 * created again from the edited text, rows copied back, its indexes and
 * triggers recreated, and the foreign keys the rebuild can break checked:
 * the table's own and those of the tables that reference it (a violation
 * elsewhere in the database is not this operation's to report).  Foreign
 * keys are deferred for the transaction (PRAGMA defer_foreign_keys) so
 * references into the table survive the rebuild.
 *
 * The same rebuild serves add/drop column where native ALTER TABLE
 * refuses (see below).
 *
 * Not handled, and refused with a message: tables that another table
 * references with an ON DELETE action other than NO ACTION (dropping the
 * table inside a transaction would run that action), and dropping
 * constraints that are not named table constraints (column constraints
 * and unnamed ones have nothing to drop them by).  This needs a live
 * database; offline SQL for these operations is refused by the caller.
 */
#ifndef RETORT_SQLITE_BATCH_H
#define RETORT_SQLITE_BATCH_H

#include "dialect/db.h"
#include "run/ops_render.h"

int retort__sqlite_alter_column(retort_db *db, const char *table, const char *column,
	const retort_alter *alter);
int retort__sqlite_add_constraint(retort_db *db, const char *table, const retort_constraint *c);
int retort__sqlite_drop_constraint(retort_db *db, const char *table, const char *name);
/*
 * For what native ALTER TABLE refuses: adding a UNIQUE/PRIMARY KEY column
 * or one with a non-constant default, dropping an indexed column (its
 * indexes are dropped with it; a table constraint using it is an error).
 */
int retort__sqlite_add_column(retort_db *db, const char *table, const retort_column *column);
int retort__sqlite_drop_column(retort_db *db, const char *table, const char *column);

typedef enum retort__sqlite_edit_kind {
	RETORT_EDIT_ALTER_COLUMN = 1,  /* name = column, alter */
	RETORT_EDIT_ADD_COLUMN,        /* name = column, item_sql = its definition */
	RETORT_EDIT_DROP_COLUMN,       /* name = column */
	RETORT_EDIT_ADD_CONSTRAINT,    /* name = constraint, item_sql = "CONSTRAINT ..." */
	RETORT_EDIT_DROP_CONSTRAINT,   /* name = constraint */
} retort__sqlite_edit_kind;

typedef struct retort__sqlite_edit {
	retort__sqlite_edit_kind kind;
	const char *name;
	const retort_alter *alter;
	const char *item_sql;
} retort__sqlite_edit;

/* Edit a CREATE TABLE statement's text (exposed for unit tests and fuzzing). */
int retort__sqlite_edit_create(char **out, const char *create_sql, const retort__sqlite_edit *edit);

#endif
