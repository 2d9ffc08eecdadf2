/*
 * diff_int.h - what the files of the diff engine share (internal to
 * src/lib/schema/).
 *
 * The engine is layered: diff_core.c holds the differ's state and helpers
 * (emitting operations into phases, the set of changed tables and views,
 * the --rename options); the family files (diff_tables.c, diff_objects.c
 * and the PostgreSQL catalog families) compare one kind of object each and
 * call only diff_core.c; diff.c drives them and puts the phases in order.
 * Calls go downwards only.
 */
#ifndef RETORT_SCHEMA_DIFF_INT_H
#define RETORT_SCHEMA_DIFF_INT_H

#include "schema/sdialect.h"

/* Execution order: every op goes to one phase; phases run in this order. */
enum phase {
	P_CREATE_SCHEMA, P_CREATE_ENUM, P_CREATE_SEQ, P_DROP_VIEW, P_DROP_TRIGGER,
	P_DROP_FK, P_DROP_TABLE, P_DROP_INDEX, P_DROP_CONSTRAINT, P_ALTER_TABLE,
	P_CREATE_TABLE, P_ADD_CONSTRAINT, P_CREATE_INDEX, P_ADD_FK, P_CREATE_VIEW,
	P_CREATE_TRIGGER, P_LATE, P_DROP_SEQ, P_DROP_ENUM, P_DROP_SCHEMA, P_COUNT
};

/* One --rename TABLE.OLD=NEW, parsed (schema NULL: any schema). */
typedef struct rename {
	char *schema, *table, *old, *new;
} rename;

typedef struct differ {
	const retort_model *from, *to;
	const retort__sdialect *sd;
	retort_diff *d;
	retort_vec phases[P_COUNT];
	retort_vec renames;    /* rename * */
	retort_map touched;    /* qualified table/view names that change */
	retort_map seq_done;   /* sequences an ALTER_COLUMN creates or drops itself */
} differ;

/* --- diff_core.c ----------------------------------------------------------- */

retort_op *retort__op_new(retort_op_kind kind);
void retort__op_free(retort_op *op);
/* A new op appended to phase p (owned by the differ until handed out). */
retort_op *retort__diff_emit(differ *df, enum phase p, retort_op_kind kind);
/* Remember that a table or view changes (views over it get recreated). */
void retort__diff_touch(differ *df, const char *schema, const char *name);
bool retort__diff_is_touched(differ *df, const char *qualname);
bool retort__diff_has_str(const retort_vec *v, const char *s);
int retort__diff_rename_parse(rename **out, const char *spec);
void retort__diff_renames_free(retort_vec *v);
/* The name from-column `name` of table t has after the --rename options. */
const char *retort__diff_renamed_to(differ *df, const retort_table *t, const char *name);
/* The old name of to-column `name` of table t, or NULL when it is not renamed. */
const char *retort__diff_renamed_from(differ *df, const retort_table *t, const char *name);

/* --- the families ------------------------------------------------------------ */

/* diff_tables.c: one table on both sides; RETORT_EUSAGE for an impossible rename. */
int retort__diff_table(differ *df, const retort_table *old, const retort_table *t);
/* diff_tables.c: foreign keys leaning on a key that is dropped go and come back. */
void retort__diff_dependent_fks(differ *df);
/* diff_tables.c: tables created and dropped, in foreign-key order. */
void retort__diff_tables(differ *df);

/* diff_objects.c */
void retort__diff_namespaces(differ *df);
void retort__diff_enums(differ *df);
void retort__diff_sequences(differ *df);
void retort__diff_views(differ *df);

#endif
