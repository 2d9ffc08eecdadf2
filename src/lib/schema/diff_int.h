/*
 * diff_int.h - what the two halves of the diff engine share (internal to
 * src/lib/schema/): diff.c matches tables and orders their operations,
 * diff_objects.c handles views, schemas, enum types and sequences.  Both
 * append operations to per-phase lists; the phases are the execution
 * order.
 */
#ifndef RETORT_SCHEMA_DIFF_INT_H
#define RETORT_SCHEMA_DIFF_INT_H

#include "schema/sdialect.h"

/*
 * Execution order: every op goes to one phase; phases run in this order.
 * SQLite rebuilds come after the new tables: a rebuilt table's rows are
 * copied back with foreign keys on (inside a revision's transaction), and
 * SQLite refuses a row whose foreign key names a table that does not
 * exist yet.
 */
enum phase {
	P_CREATE_SCHEMA, P_CREATE_ENUM, P_CREATE_SEQ, P_DROP_VIEW, P_DROP_TRIGGER,
	P_DROP_FK, P_DROP_TABLE, P_DROP_INDEX, P_DROP_CONSTRAINT, P_ALTER_TABLE,
	P_CREATE_TABLE, P_REBUILD, P_ADD_CONSTRAINT, P_CREATE_INDEX, P_ADD_FK, P_CREATE_VIEW,
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
	/*
	 * The subset whose columns change shape (dropped, altered, renamed,
	 * rebuilt, or the table gone): what a view over them must be recreated
	 * for.  An index, trigger, constraint or comment leaves views alone.
	 */
	retort_map reshaped;
	retort_map seq_done;   /* sequences an ALTER_COLUMN creates or drops itself */
} differ;

/* A new op appended to phase p (owned by the differ until handed out). */
retort_op *retort__diff_emit(differ *df, enum phase p, retort_op_kind kind);
/* Remember that a table or view changes (tables created with a foreign key to it wait for it). */
void retort__diff_touch(differ *df, const char *schema, const char *name);
bool retort__diff_is_touched(differ *df, const char *qualname);
/* Remember that its columns change shape (views over it get recreated); also touches it. */
void retort__diff_reshape(differ *df, const char *schema, const char *name);
bool retort__diff_is_reshaped(differ *df, const char *qualname);
bool retort__diff_has_str(const retort_vec *v, const char *s);
/* The name from-column `name` of table t has after the --rename options. */
const char *retort__diff_renamed_to(differ *df, const retort_table *t, const char *name);

void retort__diff_namespaces(differ *df);
void retort__diff_enums(differ *df);
void retort__diff_sequences(differ *df);
void retort__diff_views(differ *df);

#endif
