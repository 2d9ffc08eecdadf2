/*
 * pgparse.c - names referred to by PostgreSQL SQL (see pgparse.h), from
 * libpg_query's JSON parse tree: every RangeVar is a relation, every
 * FuncCall a function.
 */
#include <jansson.h>
#include <pg_query.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/common.h"
#include "dialect/pgparse.h"

static void add_once(retort_vec *v, char *name)
{
	for (size_t i = 0; i < v->len; i++)
		if (strcmp(v->items[i], name) == 0) {
			free(name);
			return;
		}
	retort_vec_push(v, name);
}

/* ["schema", "name"] or ["name"] as String nodes. */
static char *dotted(json_t *list)
{
	retort_buf b = RETORT_BUF_INIT;
	size_t i;
	json_t *item;

	json_array_foreach(list, i, item) {
		const char *s = json_string_value(json_object_get(json_object_get(item, "String"), "sval"));
		if (!s)
			continue;
		retort_buf_printf(&b, "%s%s", b.size ? "." : "", s);
	}
	return retort_buf_detach(&b);
}

static void walk(json_t *node, retort_vec *relations, retort_vec *functions)
{
	const char *key;
	json_t *val;
	size_t i;

	if (json_is_array(node)) {
		json_array_foreach(node, i, val)
			walk(val, relations, functions);
		return;
	}
	if (!json_is_object(node))
		return;
	json_object_foreach(node, key, val) {
		if (strcmp(key, "RangeVar") == 0 && json_is_object(val)) {
			const char *schema = json_string_value(json_object_get(val, "schemaname"));
			const char *rel = json_string_value(json_object_get(val, "relname"));
			if (rel)
				add_once(relations, schema ? retort__sprintf("%s.%s", schema, rel) : retort__strdup(rel));
		} else if (strcmp(key, "FuncCall") == 0 && json_is_object(val)) {
			char *name = dotted(json_object_get(val, "funcname"));
			if (*name)
				add_once(functions, name);
			else
				free(name);
		}
		walk(val, relations, functions);
	}
}

int retort_pgsql_references(retort_vec *relations, retort_vec *functions, const char *sql)
{
	PgQueryParseResult r = pg_query_parse(sql);
	json_t *tree = NULL;
	int error = -1;

	if (!r.error && r.parse_tree && (tree = json_loads(r.parse_tree, 0, NULL))) {
		walk(tree, relations, functions);
		error = 0;
	}
	json_decref(tree);
	pg_query_free_parse_result(r);
	return error;
}
