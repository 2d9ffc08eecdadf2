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

/*
 * Execution order: every op goes to one phase; phases run in this order.
 * SQLite rebuilds come after the new tables: a rebuilt table's rows are
 * copied back with foreign keys on (inside a revision's transaction), and
 * SQLite refuses a row whose foreign key names a table that does not
 * exist yet.
 */
enum phase {
	P_CREATE_SCHEMA, P_CREATE_ENUM, P_CREATE_SEQ, P_DROP_VIEW, P_DROP_TRIGGER, P_DROP_POLICY,
	P_DROP_FK, P_DROP_TABLE, P_DROP_INDEX, P_DROP_CONSTRAINT, P_DROP_FUNCTION, P_CREATE_FUNCTION,
	P_ALTER_TABLE, P_CREATE_TABLE, P_REBUILD, P_ADD_CONSTRAINT, P_CREATE_INDEX, P_ADD_FK, P_CREATE_VIEW,
	P_CREATE_TRIGGER, P_CREATE_POLICY, P_LATE, P_DROP_SEQ, P_DROP_ENUM, P_DROP_SCHEMA, P_COUNT
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
	retort_map gone;       /* keys of objects dropped (for good or to be created again) or reshaped */
	retort_map from_deps;  /* key -> retort_vec * of the keys it depends on, in `from` */
	retort_map to_deps;    /* the same in `to` */
	retort_map from_users; /* key -> retort_vec * of the keys that depend on it, in `from` */
	retort_vec view_drops; /* retort_view * of `from` to drop (and create again when kept) */
} differ;

/* --- diff_core.c ----------------------------------------------------------- */

retort_op *retort__op_new(retort_op_kind kind);
void retort__op_free(retort_op *op);
/* A new op appended to phase p (owned by the differ until handed out). */
retort_op *retort__diff_emit(differ *df, enum phase p, retort_op_kind kind);
/* Remember that a table or view changes (tables created with a foreign key to it wait for it). */
void retort__diff_touch(differ *df, const char *schema, const char *name);
bool retort__diff_is_touched(differ *df, const char *qualname);
/* Remember that its columns change shape (views over it get recreated); also touches it. */
void retort__diff_reshape(differ *df, const char *schema, const char *name);
bool retort__diff_is_reshaped(differ *df, const char *qualname);
bool retort__diff_has_str(const retort_vec *v, const char *s);
int retort__diff_rename_parse(rename **out, const char *spec);
void retort__diff_renames_free(retort_vec *v);
/* The name from-column `name` of table t has after the --rename options. */
const char *retort__diff_renamed_to(differ *df, const retort_table *t, const char *name);
/* The old name of to-column `name` of table t, or NULL when it is not renamed. */
const char *retort__diff_renamed_from(differ *df, const retort_table *t, const char *name);

/* A COMMENT ON `what` op in the late phase; the caller points it at its object. */
retort_op *retort__diff_comment(differ *df, const char *what, const char *comment);
/* Does `m` hold a table or view of that name? */
bool retort__diff_relation_in(const retort_model *m, const char *schema, const char *name);

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
/* A label added and used in the same diff: the type is replaced instead (see diff_objects.c). */
void retort__diff_enum_values(differ *df);
void retort__diff_sequences(differ *df);
/* Mark the views to recreate (changed, or over something touched or gone); true when it marked any. */
bool retort__diff_views_mark(differ *df);
void retort__diff_views_emit(differ *df);

/* diff_routines.c: functions, triggers, policies. */
void retort__diff_routines(differ *df);
void retort__diff_create_function(differ *df, const retort_pg_function *f);
void retort__diff_drop_function(differ *df, const retort_pg_function *old);
void retort__diff_create_trigger(differ *df, const retort_pg_trigger *t);
void retort__diff_drop_trigger(differ *df, const retort_pg_trigger *old);
void retort__diff_create_policy(differ *df, const retort_pg_policy *p);
void retort__diff_drop_policy(differ *df, const retort_pg_policy *old);

/* diff_types.c: domains, composite types, collations, extensions. */
void retort__diff_types(differ *df);
void retort__diff_create_domain(differ *df, const retort_pg_domain *d);

/* diff_pgtables.c: PostgreSQL's table properties, for a table on both sides (old) or created (old NULL). */
void retort__diff_table_pg(differ *df, const retort_table *old, const retort_table *t);

/* diff_acl.c: privileges and default privileges, when both models have them. */
void retort__diff_privileges(differ *df);

/* --- above the families ------------------------------------------------------ */

/*
 * diff_deps.c: the keys each op creates and removes, and the objects that
 * stand on something dropped or reshaped, dropped and created again
 * around it (views are marked for retort__diff_views_mark).  Returns
 * whether it added anything.
 */
void retort__op_keys(const retort_op *op, retort_vec *creates, retort_vec *removes, retort_vec *requires);
void retort__diff_deps_index(differ *df);
void retort__diff_deps_dispose(differ *df);
bool retort__diff_closure(differ *df);
/* diff_order.c: every op of every phase, in an order the dependencies allow. */
void retort__diff_order(differ *df, retort_vec *out);

#endif
