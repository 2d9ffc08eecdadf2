/*
 * reflect.c - the dialect-independent half of reflection: dispatch to the
 * connection's dialect, and the include/exclude filters both dialects
 * apply.
 *
 * The catalog queries themselves live in reflect_pg.c and
 * reflect_sqlite.c; each issues a fixed number of bulk queries and counts
 * them in retort_model.queries, so a test can prove the count does not grow
 * with the number of tables.
 */
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

#include "base/common.h"
#include "schema/reflect.h"
#include "schema/sdialect.h"

int retort_schema_reflect(retort_model **out, retort_db *db, const retort_reflect_opts *opts)
{
	static const retort_reflect_opts none;
	int error;

	*out = NULL;
	if ((error = retort__sdialect_for(db->dialect->id)->reflect(out, db, opts ? opts : &none)) < 0) {
		retort__error_prefix("cannot reflect the schema");
		return error;
	}
	retort_model_sort(*out);
	return 0;
}

static bool glob_any(const retort_vec *globs, const char *name)
{
	for (size_t i = 0; globs && i < globs->len; i++)
		if (fnmatch(globs->items[i], name, 0) == 0)
			return true;
	return false;
}

bool retort__reflect_kind_wanted(const retort_reflect_opts *opts, const char *kind)
{
	for (size_t i = 0; opts->exclude_kinds && i < opts->exclude_kinds->len; i++)
		if (strcmp(opts->exclude_kinds->items[i], kind) == 0)
			return false;
	return true;
}

bool retort__reflect_schema_wanted(const retort_reflect_opts *opts, const char *schema)
{
	if (!schema || !opts->include_schemas || !opts->include_schemas->len)
		return true;
	return glob_any(opts->include_schemas, schema);
}

bool retort__reflect_table_wanted(const retort_reflect_opts *opts, const char *schema, const char *name)
{
	char *q;
	bool skip;

	if (!retort__reflect_schema_wanted(opts, schema))
		return false;
	if ((opts->version_table && strcmp(name, opts->version_table) == 0) ||
		(opts->history_table && strcmp(name, opts->history_table) == 0))
		return false;
	q = retort__qualname(schema, name);
	skip = glob_any(opts->exclude_tables, name) || glob_any(opts->exclude_tables, q);
	free(q);
	return !skip;
}

int retort__reflect_query(retort_rows **out, retort_model *m, retort_db *db, const char *sql)
{
	m->queries++;
	return retort_db_query(out, db, sql, 0, NULL);
}

void retort__split_names(retort_vec *out, const char *joined)
{
	const char *p = joined;

	if (!p)
		return;
	for (;;) {
		const char *sep = strchr(p, '\x1f');
		retort_vec_push(out, sep ? retort__strndup(p, (size_t)(sep - p)) : retort__strdup(p));
		if (!sep)
			break;
		p = sep + 1;
	}
}
