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
	bool privileges;                   /* PostgreSQL: also reflect privileges (then they are compared) */
	const retort_vec *exclude_kinds;   /* char *: object kinds left out (retort_config_kind_valid) */
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
	/* PostgreSQL catalog objects (model_pg.h) */
	RETORT_OP_CREATE_FUNCTION,
	RETORT_OP_REPLACE_FUNCTION,  /* CREATE OR REPLACE */
	RETORT_OP_DROP_FUNCTION,
	RETORT_OP_CREATE_PG_TRIGGER,
	RETORT_OP_DROP_PG_TRIGGER,
	RETORT_OP_ENABLE_TRIGGER,    /* ENABLE / DISABLE [REPLICA | ALWAYS] TRIGGER */
	RETORT_OP_CREATE_POLICY,
	RETORT_OP_ALTER_POLICY,      /* roles, USING, WITH CHECK */
	RETORT_OP_RENAME_POLICY,
	RETORT_OP_DROP_POLICY,
	RETORT_OP_TABLE_RLS,         /* [NO] FORCE / ENABLE / DISABLE ROW LEVEL SECURITY */
	RETORT_OP_CREATE_DOMAIN,
	RETORT_OP_ALTER_DOMAIN,
	RETORT_OP_DROP_DOMAIN,
	RETORT_OP_CREATE_COMPOSITE,
	RETORT_OP_ALTER_COMPOSITE,
	RETORT_OP_DROP_COMPOSITE,
	RETORT_OP_CREATE_COLLATION,
	RETORT_OP_DROP_COLLATION,
	RETORT_OP_ALTER_EXTENSION,   /* UPDATE TO version, SET SCHEMA */
	RETORT_OP_ATTACH_PARTITION,
	RETORT_OP_DETACH_PARTITION,
	RETORT_OP_INHERIT,           /* INHERIT / NO INHERIT parent_schema.parent */
	RETORT_OP_NO_INHERIT,
	RETORT_OP_SET_LOGGED,        /* SET LOGGED / SET UNLOGGED */
	RETORT_OP_VALIDATE_CONSTRAINT,
	RETORT_OP_ALTER_IDENTITY,    /* the identity sequence's options */
	RETORT_OP_DROP_DEFAULT,      /* around a change to what the default calls */
	RETORT_OP_SET_DEFAULT,
	RETORT_OP_COMMENT,           /* COMMENT ON <what> for the other kinds */
	RETORT_OP_GRANT,
	RETORT_OP_REVOKE,
	RETORT_OP_DEFAULT_GRANT,     /* ALTER DEFAULT PRIVILEGES */
	RETORT_OP_DEFAULT_REVOKE,
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
	/* PostgreSQL catalog objects: the new state, and the old one for alters and renames */
	const retort_pg_function *function;
	const retort_pg_trigger *pg_trigger;
	const retort_pg_policy *policy, *old_policy;
	const retort_pg_domain *domain, *old_domain;
	const retort_pg_composite *composite, *old_composite;
	const retort_pg_collation *collation;
	const retort_pg_extension *extension, *old_extension;
	const retort_pg_grant *grant;
	const retort_pg_default_grant *default_grant;
	const char *parent_schema, *parent; /* INHERIT, NO_INHERIT */
	const char *what;                   /* COMMENT: the object kind as COMMENT ON spells it */
	const char *comment;                /* COMMENT: the new comment (NULL removes it) */
	bool default_apart;                 /* ALTER_COLUMN: its default is dropped and set by DROP_/SET_DEFAULT ops */
	unsigned seq;                       /* emission order (ordering tie-break) */
	int phase;
} retort_op;

typedef struct retort_diff {
	const retort_model *from, *to;
	retort_vec ops;    /* retort_op *, in execution order */
	retort_vec notes;  /* char *: possible renames and other advice */
	retort_model *owned; /* what ops point at that neither model holds (privileges a new object starts with) */
} retort_diff;

typedef struct retort_diff_opts {
	const retort_vec *renames; /* char *: "TABLE.OLD=NEW" or "SCHEMA.TABLE.OLD=NEW" */
} retort_diff_opts;
/* Privileges are compared when both models have them (retort_model.has_privileges). */

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
/* The same, naming the object kind for the generic ones ("comment_function"). */
const char *retort_op_name(const retort_op *op);
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
