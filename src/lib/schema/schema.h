/*
 * schema.h - the schema engine: reflect a live database into a model
 * (model.h), diff two models into an ordered list of operations, and render
 * those operations as SQL for the models' dialect.
 *
 * This is what autogenerate, `check`, `drift` and `diff` build on.  It talks
 * to databases only through db.h and never prints.  It does not parse a
 * user's SQL: the desired schema is loaded into a scratch database and
 * reflected, so both sides of a comparison are normalized by the database
 * itself.
 *
 * Reflection issues a fixed number of bulk catalog queries, however many
 * tables there are (retort_model.queries says how many it took).
 */
#ifndef RETORT_SCHEMA_H
#define RETORT_SCHEMA_H

#include "dialect/db.h"
#include "schema/model.h"

/* --- reflection -------------------------------------------------------- */

typedef struct retort_reflect_opts {
	const retort_vec *include_schemas; /* char * globs; NULL/empty = every user schema */
	const retort_vec *exclude_tables;  /* char * globs on "table" or "schema.table" */
	const char *version_table;         /* also skipped when set (retort's own tables) */
	const char *history_table;
} retort_reflect_opts;

/* Reflect everything `db` holds (filtered by opts, which may be NULL). */
int retort_schema_reflect(retort_model **out, retort_db *db, const retort_reflect_opts *opts);

/* --- diff ---------------------------------------------------------------- */

typedef enum retort_op_kind {
	RETORT_OP_CREATE_SCHEMA,
	RETORT_OP_DROP_SCHEMA,
	RETORT_OP_CREATE_ENUM,
	RETORT_OP_ADD_ENUM_VALUE,
	RETORT_OP_DROP_ENUM,
	RETORT_OP_REPLACE_ENUM,    /* labels removed or reordered: a new type, columns converted */
	RETORT_OP_CREATE_SEQUENCE,
	RETORT_OP_ALTER_SEQUENCE,
	RETORT_OP_DROP_SEQUENCE,
	RETORT_OP_CREATE_TABLE,
	RETORT_OP_DROP_TABLE,
	RETORT_OP_REBUILD_TABLE,   /* SQLite move-and-copy batch */
	RETORT_OP_ADD_COLUMN,
	RETORT_OP_DROP_COLUMN,
	RETORT_OP_ALTER_COLUMN,
	RETORT_OP_RENAME_COLUMN,
	RETORT_OP_ADD_CONSTRAINT,
	RETORT_OP_DROP_CONSTRAINT,
	RETORT_OP_CREATE_INDEX,
	RETORT_OP_DROP_INDEX,
	RETORT_OP_CREATE_VIEW,
	RETORT_OP_DROP_VIEW,
	RETORT_OP_CREATE_TRIGGER,
	RETORT_OP_DROP_TRIGGER,
	RETORT_OP_COMMENT_TABLE,
	RETORT_OP_COMMENT_COLUMN,
	RETORT_OP_CREATE_EXTENSION,
	RETORT_OP_DROP_EXTENSION,
	RETORT_OP_COMMENT_VIEW,
	RETORT_OP_COMMENT_TYPE,
	RETORT_OP_RENAME_TABLE,    /* old_table's name to table's (C revisions; the diff does not find renames) */
} retort_op_kind;

/*
 * One step.  Pointers are borrowed from the two models the diff was made
 * from (they must outlive the diff); which ones are set depends on kind:
 * `table` is the table acted on (the old one for drops, the new one
 * otherwise), `old_table`/`old_column` the previous state for alters,
 * renames and rebuilds.
 */
typedef struct retort_op {
	retort_op_kind kind;
	const char *schema;                 /* CREATE/DROP SCHEMA; CREATE/DROP EXTENSION: its name */
	const retort_table *table, *old_table;
	const retort_model_column *column, *old_column;
	const retort_model_constraint *constraint;
	const retort_index *index;
	const retort_view *view;
	const retort_sequence *sequence;
	const retort_sequence *seq_drop;    /* ALTER_COLUMN: the old serial sequence, dropped after DROP DEFAULT */
	const retort_sequence *seq_create;  /* ALTER_COLUMN: the new one, created before SET DEFAULT */
	const retort_enum *enumtype;
	const char *label;                  /* ADD_ENUM_VALUE: the new label */
	const char *label_before;           /* ... placed before this one, NULL = at the end */
	const char *trigger;                /* CREATE/DROP TRIGGER: its SQL text */
	retort_vec omit_fks;                /* CREATE_TABLE: FKs added later (retort_model_constraint *) */
	retort_vec copy_to, copy_from;      /* REBUILD: column names (char *, owned) */
	retort_vec uses;                    /* REPLACE_ENUM: (table, column, its column in `to` or NULL) triples */
	bool destructive;
} retort_op;

typedef struct retort_diff {
	const retort_model *from, *to;
	retort_vec ops;    /* retort_op *, in execution order */
	retort_vec notes;  /* char *: possible renames and other advice */
} retort_diff;

typedef struct retort_diff_opts {
	const retort_vec *renames; /* char *: "TABLE.OLD=NEW" or "SCHEMA.TABLE.OLD=NEW" */
} retort_diff_opts;

/*
 * Compute the operations that turn `from` into `to` (same dialect, both
 * sorted).  RETORT_EUSAGE for a malformed or inapplicable rename.
 */
int retort_schema_diff(retort_diff **out, const retort_model *from, const retort_model *to,
	const retort_diff_opts *opts);
void retort_diff_free(retort_diff *d);

/*
 * The renames for the opposite direction ("t.old=new" becomes
 * "t.new=old"); strings in `out` are owned by it (dispose with free_items).
 */
void retort_schema_renames_invert(retort_vec *out, const retort_vec *renames);

/* "create_table", "add_column", ... */
const char *retort_op_kind_name(retort_op_kind kind);
/* The qualified name of the object an op acts on ("public.users.email"). */
void retort_op_target(retort_buf *out, const retort_op *op);

/* --- rendering ------------------------------------------------------------ */

/*
 * The whole script for a diff, in the `to` model's dialect: the notes first
 * as "-- note: ..." lines, statements ending with ";\n", destructive ones
 * preceded by a "-- destructive: ..." line, warnings as "-- warning: ...".
 * SQLite batches come with the guards and the foreign-key handling they
 * need: first a stop unless each rebuilt table has exactly the columns the
 * diff was made from, and at the end a check of the foreign keys the
 * script can have broken (those of rebuilt tables, and references to
 * rebuilt or dropped ones) that fails the script; violations elsewhere are
 * left alone.  Empty when the diff has no operations.
 */
void retort_diff_render(retort_buf *out, const retort_diff *d);
/*
 * Whether a script rendered by retort_diff_render() only runs with foreign
 * keys off: on SQLite, a table that another table references with an ON
 * DELETE action is rebuilt or dropped, and the script stops (rather than
 * let SQLite run that action and delete or null the referencing rows)
 * unless foreign keys are off.  SQLite ignores PRAGMA foreign_keys inside
 * a transaction: a revision holding such a script says `Foreign Keys: off`
 * and the runner switches them off around its transaction.  False for NULL
 * and for any script the renderer did not guard.
 */
bool retort_schema_sql_needs_fk_off(const char *sql);
/*
 * What SQLite says (in "CHECK constraint failed: ...") when a rendered
 * script's closing foreign key check finds a reference it broke; a caller
 * running the script may then look the violations up and name them.
 */
#define RETORT_SCHEMA_FK_CHECK_FAILED "foreign keys broken by this script (PRAGMA foreign_key_check lists them)"
/* The statements of one op alone (for --json, and C revisions' portable operations). */
void retort_op_render(retort_buf *out, const retort_diff *d, const retort_op *op);
/*
 * May the `to` model's dialect make this table-level op in place (else the
 * table is rebuilt: SQLite's move and copy)?  For an ADD_COLUMN, `constraint`
 * may be a foreign key on that column alone, written inline.
 */
bool retort_op_in_place(const retort_diff *d, const retort_op *op);

#endif
