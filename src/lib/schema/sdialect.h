/*
 * sdialect.h - what the schema engine needs to know per dialect, behind one
 * small table of functions (internal to src/lib/schema/).
 *
 * Reflection, the question "can this dialect's ALTER TABLE express this
 * operation" (SQLite answers no for most; those tables become move-and-copy
 * batches) and the rendering of single operations differ per dialect;
 * everything else (matching, ordering, cycle breaking) is shared in diff.c
 * and render.c.  This is not the connection interface: that is db.h.
 */
#ifndef RETORT_SCHEMA_SDIALECT_H
#define RETORT_SCHEMA_SDIALECT_H

#include "schema/schema.h"

typedef struct retort__sdialect {
	retort_dialect_id id;
	/* Reflect one database; the model comes back sorted. */
	int (*reflect)(retort_model **out, retort_db *db, const retort_reflect_opts *opts);
	/* May this table-level op be done in place (else the table is rebuilt)? */
	bool (*can_alter)(const retort_op *op);
	/* Can a CREATE TABLE reference a table that does not exist yet? */
	bool fk_forward_refs;
	/* Can constraints be added and dropped by name after creation? */
	bool named_constraints;
	/* Statements for one op; each ends with ";\n". */
	void (*render_op)(retort_buf *out, const retort_diff *d, const retort_op *op);
	/* Around the whole script (may append nothing). */
	void (*render_begin)(retort_buf *out, const retort_diff *d);
	void (*render_end)(retort_buf *out, const retort_diff *d);
} retort__sdialect;

extern const retort__sdialect retort__sdialect_sqlite;
extern const retort__sdialect retort__sdialect_postgres;
const retort__sdialect *retort__sdialect_for(retort_dialect_id id);

/* Shared rendering helpers (render.c). */
void retort__srender_ident(retort_buf *out, retort_dialect_id id, const char *ident);
void retort__srender_qualified(retort_buf *out, retort_dialect_id id, const char *schema, const char *name);
void retort__srender_literal(retort_buf *out, retort_dialect_id id, const char *value);
const char *retort__srender_fk_action(char action);
/* "FOREIGN KEY (...) REFERENCES ... ON ..." without the CONSTRAINT name. */
void retort__srender_fk(retort_buf *out, retort_dialect_id id, const retort_model_constraint *c);
/*
 * CREATE [UNIQUE] INDEX from the index's key list (C revisions and
 * rebuilds; reflected PostgreSQL indexes carry the server's own text).
 * `schema` qualifies the table, or NULL.
 */
void retort__srender_index_keys(retort_buf *out, retort_dialect_id id, const char *schema,
	const retort_table *t, const retort_index *x);
/* Column definition as in CREATE TABLE / ADD COLUMN. */
void retort__srender_column(retort_buf *out, retort_dialect_id id, const retort_model_column *c, bool inline_pk);
/* One constraint clause as in CREATE TABLE (with CONSTRAINT name when known). */
void retort__srender_constraint(retort_buf *out, retort_dialect_id id, const retort_model_constraint *c);
/* CREATE TABLE with every column and constraint except those in `omit` (may be NULL). */
void retort__srender_create_table(retort_buf *out, retort_dialect_id id, const retort_table *t,
	const char *as_name, const retort_vec *omit);
/* A literal that may follow DEFAULT without parentheses. */
bool retort__sql_is_literal(const char *expr);
/* "-- destructive: <why>\n" */
void retort__srender_destructive(retort_buf *out, const char *fmt, ...) RETORT_PRINTF(2, 3);
/*
 * "-- <text>\n" with every line break in the formatted text turned into a
 * space: names are spliced into comments, and a name holding a newline
 * must not end the comment and become SQL that runs.
 */
void retort__srender_comment(retort_buf *out, const char *fmt, ...) RETORT_PRINTF(2, 3);

/*
 * A warning comment when `c`, added to `t` (a table that may hold rows), is
 * NOT NULL without a default or anything else to fill it: the change fails
 * on the first row.  Nothing otherwise.
 */
void retort__srender_add_column_warning(retort_buf *out, retort_dialect_id id, const retort_table *t,
	const retort_model_column *c);

/* rebuild_sqlite.c: SQLite's move-and-copy rebuild and what goes around it in a script. */
void retort__sqlite_render_create_index(retort_buf *out, const retort_table *t, const retort_index *x);
/* One REBUILD_TABLE op (op->old_table to op->table, rows copied by op->copy_from/copy_to). */
void retort__sqlite_render_rebuild(retort_buf *out, const retort_op *op);
/* Does the diff rebuild or drop a table (the script then gets the guards and checks below)? */
bool retort__sqlite_rebuilds_or_drops(const retort_diff *d);
/* At the start: the column guards of rebuilt tables, the foreign-keys-off guard where needed. */
void retort__sqlite_render_guards(retort_buf *out, const retort_diff *d);
/* At the end: fail on foreign key violations the script can have caused. */
void retort__sqlite_render_fk_checks(retort_buf *out, const retort_diff *d);

/* types.c: SQLite's type affinity of a declared type (datatype3.html, 3.1). */
#define RETORT_AFFINITY_INTEGER 'i'
#define RETORT_AFFINITY_TEXT 't'
#define RETORT_AFFINITY_BLOB 'b'
#define RETORT_AFFINITY_REAL 'r'
#define RETORT_AFFINITY_NUMERIC 'n'
char retort__sqlite_affinity(const char *type);
/*
 * Does changing a column from type `from` to `to` keep every value as it
 * is (varchar(50) to varchar(100), integer to bigint; on SQLite, the same
 * affinity)?  Equal types widen trivially; NULL or an unknown pair: false.
 */
bool retort__type_widens(retort_dialect_id dialect, const char *from, const char *to);

#endif
