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

#endif
