/*
 * reflect_pg.h - what the PostgreSQL reflection files share (internal to
 * src/lib/schema/): the filters every catalog query applies, and one
 * entry per file.  reflect_pg.c drives the others.
 */
#ifndef RETORT_SCHEMA_REFLECT_PG_H
#define RETORT_SCHEMA_REFLECT_PG_H

#include "schema/reflect.h"

/* User schemas only. */
#define NS_FILTER "n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_'"
/* Objects an extension created come and go with the extension. */
#define NOT_EXT(oid, catalog) \
	" AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend x WHERE x.classid = '" catalog "'::regclass" \
	" AND x.objid = " oid " AND x.deptype = 'e')"
/* The comment on an object of `catalog` as column `alias`.description. */
#define COMMENT_JOIN(alias, oid, catalog) \
	" LEFT JOIN pg_catalog.pg_description " alias " ON " alias ".objoid = " oid \
	" AND " alias ".classoid = '" catalog "'::regclass AND " alias ".objsubid = 0"

#define CELL(r, i, j) retort_rows_get((r), (i), (j))

static inline bool retort__pg_truth(const char *v)
{
	return v && v[0] == 't';
}

/* reflect_pg_routines.c: functions and procedures, triggers, policies. */
int retort__reflect_pg_routines(retort_model *m, retort_db *db, const retort_reflect_opts *opts);
/* reflect_pg_types.c: domains, composite types, collations. */
int retort__reflect_pg_types(retort_model *m, retort_db *db, const retort_reflect_opts *opts);
/* reflect_pg_deps.c: dependencies between the objects, and privileges when asked. */
int retort__reflect_pg_deps(retort_model *m, retort_db *db, const retort_reflect_opts *opts);

#endif
