/*
 * reflect.h - helpers the per-dialect reflection files share (internal to
 * src/lib/schema/).  Not the public entry point: that is
 * retort_schema_reflect() in schema.h.
 */
#ifndef RETORT_SCHEMA_REFLECT_H
#define RETORT_SCHEMA_REFLECT_H

#include "schema/schema.h"

/* include_schemas (NULL schema: always wanted). */
bool retort__reflect_schema_wanted(const retort_reflect_opts *opts, const char *schema);
/* include_schemas, exclude_tables, and retort's own version/history tables. */
bool retort__reflect_table_wanted(const retort_reflect_opts *opts, const char *schema, const char *name);
/* Not left out by exclude_kinds (kind as retort_config_kinds spells it). */
bool retort__reflect_kind_wanted(const retort_reflect_opts *opts, const char *kind);
/* One counted catalog query without parameters. */
int retort__reflect_query(retort_rows **out, retort_model *m, retort_db *db, const char *sql);
/* Split a string joined with '\x1f' (as the catalog queries aggregate names). */
void retort__split_names(retort_vec *out, const char *joined);

int retort__reflect_pg(retort_model **out, retort_db *db, const retort_reflect_opts *opts);
int retort__reflect_sqlite(retort_model **out, retort_db *db, const retort_reflect_opts *opts);

#endif
