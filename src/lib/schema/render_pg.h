/*
 * render_pg.h - what the PostgreSQL renderer files share (internal to
 * src/lib/schema/): render_pg.c dispatches each operation to the file of
 * its family and holds the pieces below.
 */
#ifndef RETORT_SCHEMA_RENDER_PG_H
#define RETORT_SCHEMA_RENDER_PG_H

#include "schema/sdialect.h"

#define PG RETORT_DIALECT_POSTGRES

/* "schema"."table" */
void retort__pgr_table_name(retort_buf *out, const retort_table *t);
/* "ALTER TABLE name " */
void retort__pgr_alter_table(retort_buf *out, const retort_table *t);
/* "ALTER TABLE name ALTER COLUMN col " */
void retort__pgr_alter_column(retort_buf *out, const retort_table *t, const retort_model_column *c);
/* A comment as a literal, or NULL. */
void retort__pgr_comment_text(retort_buf *out, const char *comment);

/* Each returns false when the op is not of its family. */
bool retort__pgr_table_op(retort_buf *out, const retort_diff *d, const retort_op *op);
bool retort__pgr_routine_op(retort_buf *out, const retort_op *op);
bool retort__pgr_type_op(retort_buf *out, const retort_op *op);
bool retort__pgr_acl_op(retort_buf *out, const retort_op *op);
/* CREATE TABLE for PostgreSQL: partitions, partitioned and inheriting tables, UNLOGGED. */
void retort__pgr_create_table(retort_buf *out, const retort_table *t, const retort_vec *omit);

#endif
