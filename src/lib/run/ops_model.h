/*
 * ops_model.h - the portable schema operations of <retort/migration.h> as
 * edits of the schema model (schema/model.h), turned into SQL by the
 * schema engine's own per-dialect renderers: there is one DDL renderer
 * per dialect and one SQLite rebuild, for generated revisions and C
 * revisions alike.
 *
 * An operation is rendered in place (CREATE TABLE, ALTER TABLE ... ADD
 * COLUMN, ...) where its dialect can say it in place; SQLite changes that
 * ALTER TABLE cannot make are rebuilds of the table: its live definition
 * reflected, the edit applied to that model, and the diff's move-and-copy
 * script run inside a savepoint.  This module touches a database only for
 * rebuilds; it keeps no state between operations.
 *
 * Invalid input (a column without a name or type, an unknown ON DELETE
 * action, an empty column list, a constraint without a name) fails with
 * class SCRIPT.
 */
#ifndef RETORT_OPS_MODEL_H
#define RETORT_OPS_MODEL_H

#include <stdbool.h>

#define RETORT_MIGRATION_HOST
#include "retort/migration.h"

#include "base/buf.h"
#include "dialect/db.h"

/* One portable operation (the arguments of the call a revision made). */
typedef enum retort__op_what {
	RETORT__OP_CREATE_TABLE = 1, /* table, columns */
	RETORT__OP_DROP_TABLE,       /* table */
	RETORT__OP_RENAME_TABLE,     /* table, name (the new one) */
	RETORT__OP_ADD_COLUMN,       /* table, column */
	RETORT__OP_DROP_COLUMN,      /* table, name */
	RETORT__OP_RENAME_COLUMN,    /* table, name, new_name */
	RETORT__OP_ALTER_COLUMN,     /* table, name, alter */
	RETORT__OP_CREATE_INDEX,     /* table, name, index_columns, unique, where */
	RETORT__OP_DROP_INDEX,       /* name */
	RETORT__OP_ADD_CONSTRAINT,   /* table, constraint */
	RETORT__OP_DROP_CONSTRAINT,  /* table, name */
} retort__op_what;

typedef struct retort__op_call {
	retort__op_what what;
	const char *table;
	const char *name;
	const char *new_name;
	const retort_column *columns;       /* CREATE_TABLE: ends with { 0 } */
	const retort_column *column;
	const retort_alter *alter;
	const char *const *index_columns;   /* NULL-terminated */
	bool unique;
	const char *where;
	const retort_constraint *constraint;
} retort__op_call;

/*
 * The SQL that makes `call` in place on dialect `d` (statements ending in
 * ";\n", comments such as "-- destructive:" included), into `out`.
 * *rebuild (never NULL) is set instead, with nothing rendered, when only
 * a rebuild of the table can make it (SQLite: altering a column, adding or
 * dropping a constraint, adding a column with a key or a default ALTER
 * TABLE refuses).
 */
int retort__op_render(retort_buf *out, bool *rebuild, retort_dialect_id d, const retort__op_call *call);

/*
 * SQLite: make `call` by rebuilding its table on `db`, inside a savepoint
 * of whatever transaction the caller holds (all or nothing either way).
 * The foreign keys the rebuild can break are checked before it is kept.
 */
int retort__op_rebuild(retort_db *db, const retort__op_call *call);

#endif
