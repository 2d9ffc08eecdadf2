/*
 * pgparse.h - the relations and functions a piece of PostgreSQL SQL
 * names, read with PostgreSQL's own parser (libpg_query).
 *
 * The schema engine uses it for the bodies of SQL-language functions,
 * which the server checks against the catalog when they are created but
 * records no dependencies for: a function reading a table must be created
 * after it.  This is not a resolver: names come back as written
 * ("schema.name" or "name"), and a CTE's name looks like a relation.
 */
#ifndef RETORT_DIALECT_PGPARSE_H
#define RETORT_DIALECT_PGPARSE_H

#include "base/vec.h"

/*
 * Append to `relations` and `functions` (char *, owned by the caller) the
 * names the statements in `sql` refer to, each once.  A negative return
 * when `sql` does not parse (nothing is appended then); no error is set,
 * since callers treat an unreadable body as one without references.
 */
int retort_pgsql_references(retort_vec *relations, retort_vec *functions, const char *sql);

#endif
