/*
 * fk_off.c - SQLite's procedure for schema changes with foreign keys off,
 * around one revision (see fk_off.h).
 *
 * The snapshot keeps the violations present when the revision starts in a
 * TEMP table; the check counts those present at its end that were not,
 * into a TEMP table whose CHECK fails on anything but zero.  Violations are
 * (table, rowid, parent, fkid) rows of pragma_foreign_key_check, compared
 * with EXCEPT (NULL rowids of WITHOUT ROWID tables compare equal there).
 * TEMP objects live in the connection's own schema, are undone with the
 * transaction, and are dropped on success.
 */
#include <stdlib.h>
#include <string.h>

#include "base/common.h"
#include "run/fk_off.h"

static const char snapshot_sql[] =
	"CREATE TEMP TABLE \"_retort_fk_before\" AS\n"
	"\tSELECT \"table\", \"rowid\", \"parent\", \"fkid\" FROM pragma_foreign_key_check;\n";

#define NEW_VIOLATIONS \
	"SELECT \"table\", \"rowid\", \"parent\", \"fkid\" FROM pragma_foreign_key_check\n" \
	"\tEXCEPT SELECT \"table\", \"rowid\", \"parent\", \"fkid\" FROM \"_retort_fk_before\""

static const char check_sql[] =
	"CREATE TEMP TABLE \"_retort_fk_after\" (\"violations\" INTEGER CONSTRAINT "
	"\"this revision broke a foreign key (Foreign Keys: off; see PRAGMA foreign_key_check)\" "
	"CHECK (\"violations\" = 0));\n"
	"INSERT INTO \"_retort_fk_after\" SELECT count(*) FROM (" NEW_VIOLATIONS ");\n"
	"DROP TABLE \"_retort_fk_after\";\n"
	"DROP TABLE \"_retort_fk_before\";\n";

bool retort__fk_off_applies(const retort_dialect *d, const retort_script *script)
{
	return d->id == RETORT_DIALECT_SQLITE && script->foreign_keys_off;
}

void retort__fk_off_render_switch(retort_buf *out, bool on)
{
	retort_buf_puts(out, on ? "PRAGMA foreign_keys = ON;\n" : "PRAGMA foreign_keys = OFF;\n");
}

void retort__fk_off_render_snapshot(retort_buf *out)
{
	retort_buf_puts(out, "-- Foreign Keys: off: the foreign key violations already there\n");
	retort_buf_puts(out, snapshot_sql);
}

void retort__fk_off_render_check(retort_buf *out)
{
	retort_buf_puts(out, "-- Foreign Keys: off: fail if the revision broke a foreign key\n");
	retort_buf_puts(out, check_sql);
}

int retort__fk_off_switch(retort_db *db, bool *was_on)
{
	retort_rows *rows = NULL;
	int error;

	if ((error = retort_db_query(&rows, db, "PRAGMA foreign_keys", 0, NULL)) < 0)
		return error;
	*was_on = rows->nrows == 1 && retort_rows_get(rows, 0, 0) && strcmp(retort_rows_get(rows, 0, 0), "0") != 0;
	retort_rows_free(rows);
	return retort_db_exec(db, "PRAGMA foreign_keys = OFF");
}

void retort__fk_off_restore(retort_db *db, bool was_on)
{
	const retort_error *e = retort_error_last();
	char *saved = e ? retort__strdup(e->message) : NULL;
	retort_error_class klass = e ? e->klass : RETORT_ERROR_NONE;

	retort_db_exec(db, was_on ? "PRAGMA foreign_keys = ON" : "PRAGMA foreign_keys = OFF");
	if (saved)
		retort__error_set(klass, "%s", saved);
	free(saved);
}

int retort__fk_off_snapshot(retort_db *db)
{
	return retort_db_exec(db, snapshot_sql);
}

int retort__fk_off_check(retort_db *db)
{
	retort_rows *rows = NULL;
	int error;

	if ((error = retort_db_exec(db, check_sql)) >= 0)
		return 0;
	/* Name the first new violation; the snapshot is still there (the failing statement came before its DROP). */
	if (retort_db_query(&rows, db, "SELECT \"table\", \"rowid\", \"parent\", count(*) OVER () FROM ("
			NEW_VIOLATIONS ") LIMIT 1", 0, NULL) == 0 && rows->nrows == 1)
		error = retort__error_set(RETORT_ERROR_DATABASE,
			"the revision ran with foreign keys off (Foreign Keys: off) and left %s new foreign key "
			"violation(s), the first in table '%s' (row %s) referencing '%s'",
			retort_rows_get(rows, 0, 3), retort_rows_get(rows, 0, 0),
			retort_rows_get(rows, 0, 1) ? retort_rows_get(rows, 0, 1) : "?", retort_rows_get(rows, 0, 2));
	retort_rows_free(rows);
	return error;
}
