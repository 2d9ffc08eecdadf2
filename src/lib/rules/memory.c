/*
 * memory.c - the schema the checked revisions build, as far as the rules
 * need it: which tables exist, their columns' types, and which CHECK
 * (column IS NOT NULL) constraints they carry and whether those are
 * validated (see rules_int.h).
 *
 * This is not the schema engine (schema/ reflects and diffs whole
 * databases); it is a notebook the rules write in as statements go by,
 * so what it does not know it says it does not know.
 */
#include <stdlib.h>
#include <string.h>

#include "base/common.h"
#include "rules/rules_int.h"

typedef struct mcheck {
	char *column;
	bool validated;
	bool dropped;
} mcheck;

struct retort__mtable {
	retort_map columns;         /* name -> retort__rtype * (NULL: dropped) */
	retort_map checks;          /* constraint name -> mcheck * */
};

static void table_free(retort__mtable *t)
{
	if (!t)
		return;
	retort_map_dispose(&t->columns, true);
	for (size_t i = 0; i < t->checks.len; i++) {
		mcheck *c = t->checks.vals[i];
		if (c)
			free(c->column);
		free(c);
	}
	retort_map_dispose(&t->checks, false);
	free(t);
}

retort__mtable *retort__mem_table(retort_map *tables, const char *name)
{
	return name ? retort_map_get(tables, name) : NULL;
}

retort__mtable *retort__mem_create(retort_map *tables, const char *name)
{
	retort__mtable *t = retort__calloc(1, sizeof(*t));

	table_free(retort_map_set(tables, name, t));
	return t;
}

void retort__mem_drop(retort_map *tables, const char *name)
{
	/* The map cannot remove a key: a dropped table is a NULL value. */
	if (retort_map_has(tables, name))
		table_free(retort_map_set(tables, name, NULL));
}

void retort__mem_rename(retort_map *tables, const char *from, const char *to)
{
	retort__mtable *t = retort__mem_table(tables, from);

	if (!t) {
		retort__mem_drop(tables, to);
		return;
	}
	retort_map_set(tables, from, NULL);
	table_free(retort_map_set(tables, to, t));
}

void retort__mem_free_all(retort_map *tables)
{
	for (size_t i = 0; i < tables->len; i++)
		table_free(tables->vals[i]);
	retort_map_dispose(tables, false);
}

void retort__mem_column_set(retort__mtable *t, const char *column, const retort__rtype *type)
{
	retort__rtype *copy;

	if (!t)
		return;
	copy = retort__malloc(sizeof(*copy));
	*copy = *type;
	free(retort_map_set(&t->columns, column, copy));
}

const retort__rtype *retort__mem_column(const retort__mtable *t, const char *column)
{
	return t ? retort_map_get(&t->columns, column) : NULL;
}

void retort__mem_column_drop(retort__mtable *t, const char *column)
{
	if (t && retort_map_has(&t->columns, column))
		free(retort_map_set(&t->columns, column, NULL));
}

void retort__mem_column_rename(retort__mtable *t, const char *from, const char *to)
{
	retort__rtype *type;

	if (!t)
		return;
	type = retort_map_get(&t->columns, from);
	retort_map_set(&t->columns, from, NULL);
	free(retort_map_set(&t->columns, to, type));
	for (size_t i = 0; i < t->checks.len; i++) {
		mcheck *c = t->checks.vals[i];
		if (c && c->column && !strcmp(c->column, from)) {
			free(c->column);
			c->column = retort__strdup(to);
		}
	}
}

void retort__mem_check_add(retort__mtable *t, const char *name, const char *column, bool validated)
{
	mcheck *c, *prev;

	if (!t)
		return;
	c = retort__calloc(1, sizeof(*c));
	c->column = retort__strdup(column);
	c->validated = validated;
	if ((prev = retort_map_set(&t->checks, name, c))) {
		free(prev->column);
		free(prev);
	}
}

void retort__mem_check_validate(retort__mtable *t, const char *name)
{
	mcheck *c = t ? retort_map_get(&t->checks, name) : NULL;

	if (c)
		c->validated = true;
}

void retort__mem_constraint_drop(retort__mtable *t, const char *name)
{
	mcheck *c = t ? retort_map_get(&t->checks, name) : NULL;

	if (c)
		c->dropped = true;
}

bool retort__mem_notnull_proven(const retort__mtable *t, const char *column)
{
	if (!t)
		return false;
	for (size_t i = 0; i < t->checks.len; i++) {
		const mcheck *c = t->checks.vals[i];
		if (c && !c->dropped && c->validated && c->column && !strcmp(c->column, column))
			return true;
	}
	return false;
}
