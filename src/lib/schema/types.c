/*
 * types.c - what a change of a column's declared type does to the values
 * already stored: SQLite's type affinity (the only thing a SQLite type name
 * decides), and whether a PostgreSQL type change only widens (every value
 * of the old type is a value of the new one, unchanged).
 *
 * The renderers use this to mark only the type changes that can lose or
 * alter data as destructive, and to copy a SQLite column with an explicit
 * CAST where its affinity changes.  Type names are compared as the
 * databases report them (format_type on PostgreSQL, the declared text on
 * SQLite); an unknown pair is never called a widening.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "base/common.h"
#include "schema/sdialect.h"

static bool contains_ci(const char *s, const char *word)
{
	size_t n = strlen(word);

	for (; *s; s++) {
		size_t i = 0;
		while (i < n && s[i] && toupper((unsigned char)s[i]) == word[i])
			i++;
		if (i == n)
			return true;
	}
	return false;
}

char retort__sqlite_affinity(const char *type)
{
	/* SQLite's rules, in SQLite's order (datatype3.html, 3.1). */
	if (!type)
		return RETORT_AFFINITY_BLOB;
	if (contains_ci(type, "INT"))
		return RETORT_AFFINITY_INTEGER;
	if (contains_ci(type, "CHAR") || contains_ci(type, "CLOB") || contains_ci(type, "TEXT"))
		return RETORT_AFFINITY_TEXT;
	if (contains_ci(type, "BLOB") || !*type)
		return RETORT_AFFINITY_BLOB;
	if (contains_ci(type, "REAL") || contains_ci(type, "FLOA") || contains_ci(type, "DOUB"))
		return RETORT_AFFINITY_REAL;
	return RETORT_AFFINITY_NUMERIC;
}

/* "name(a,b)" -> name and up to two numbers (-1 when absent); false when malformed. */
static bool split_type(const char *type, char *name, size_t cap, long *a, long *b)
{
	const char *open = strchr(type, '(');
	size_t n = open ? (size_t)(open - type) : strlen(type);
	char *end;

	*a = *b = -1;
	while (n > 0 && type[n - 1] == ' ')
		n--;
	if (n >= cap)
		return false;
	memcpy(name, type, n);
	name[n] = '\0';
	if (!open)
		return true;
	*a = strtol(open + 1, &end, 10);
	if (*end == ',')
		*b = strtol(end + 1, &end, 10);
	return *end == ')' && end[1] == '\0';
}

/* Decimal digits every value of an integer type fits in, 0 when not one. */
static int integer_digits(const char *name)
{
	if (strcmp(name, "smallint") == 0)
		return 5;
	if (strcmp(name, "integer") == 0)
		return 10;
	if (strcmp(name, "bigint") == 0)
		return 19;
	return 0;
}

static int integer_rank(const char *name)
{
	return strcmp(name, "smallint") == 0 ? 1 : strcmp(name, "integer") == 0 ? 2 : strcmp(name, "bigint") == 0 ? 3 : 0;
}

static bool pg_widens(const char *from, const char *to)
{
	char f[64], t[64];
	long fa, fb, ta, tb;

	if (!split_type(from, f, sizeof(f), &fa, &fb) || !split_type(to, t, sizeof(t), &ta, &tb))
		return false;
	if (strcmp(f, "character varying") == 0)
		return (strcmp(t, "character varying") == 0 && (ta < 0 || (fa >= 0 && ta >= fa))) || strcmp(t, "text") == 0;
	if (integer_rank(f) && integer_rank(t))
		return integer_rank(t) >= integer_rank(f);
	if (integer_rank(f) && strcmp(t, "numeric") == 0)
		return ta < 0 || ta - (tb < 0 ? 0 : tb) >= integer_digits(f);
	if (strcmp(f, "numeric") == 0 && strcmp(t, "numeric") == 0) {
		if (ta < 0)
			return true;   /* unconstrained holds everything */
		if (fa < 0)
			return false;
		fb = fb < 0 ? 0 : fb;
		tb = tb < 0 ? 0 : tb;
		return tb >= fb && ta - tb >= fa - fb;
	}
	if (strcmp(f, "real") == 0)
		return strcmp(t, "double precision") == 0;
	return false;
}

bool retort__type_widens(retort_dialect_id dialect, const char *from, const char *to)
{
	if (!from || !to)
		return false;
	if (retort__streq(from, to))
		return true;
	/* SQLite converts nothing unless the affinity changes; lengths are not enforced. */
	if (dialect == RETORT_DIALECT_SQLITE)
		return retort__sqlite_affinity(from) == retort__sqlite_affinity(to);
	return pg_widens(from, to);
}
