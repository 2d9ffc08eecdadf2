/*
 * cmd_diff.c - `retort diff FROM_URL TO_URL [--downgrade] [--rename
 * TABLE.OLD=NEW]... [--with-privileges] [--exclude-kind KIND]... [--json]`:
 * reflect two live databases of the same dialect and print the SQL that
 * turns the first one's schema into the second's (with --downgrade, the
 * second's back into the first's).  Privileges are compared only with
 * --with-privileges: roles differ between environments.
 *
 * Exit 0 when the schemas are equal, 1 when they differ, 2 on any error,
 * so a script can tell "different" from "could not compare".  retort's own
 * version and history tables are left out of the comparison.  --json lists
 * the operations with their SQL instead.  This command neither changes a
 * database nor reads retort.ini.
 *
 * A SQLite script that must run with foreign keys off (it rebuilds or drops
 * a table another references with an ON DELETE action) is printed framed
 * as the runner runs a `Foreign Keys: off` revision: the pragma before
 * BEGIN, COMMIT, the pragma after.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>

#include "api/api_int.h"     /* retort_url_masked */
#include "autogen_cli.h"

static json_t *diff_json(const retort_changeset *cs, const char *from, const char *to)
{
	json_t *o = json_object(), *notes = json_array();
	const retort_strarray *n = retort_changeset_notes(cs);
	char *from_masked = retort_url_masked(from), *to_masked = retort_url_masked(to);
	retort_buffer all = RETORT_BUFFER_INIT;

	for (size_t i = 0; i < n->count; i++)
		json_array_append_new(notes, json_string(n->strings[i]));
	json_object_set_new(o, "from", json_string(from_masked));
	json_object_set_new(o, "to", json_string(to_masked));
	json_object_set_new(o, "dialect", json_string(retort_changeset_dialect(cs)));
	json_object_set_new(o, "equal", json_boolean(retort_changeset_count(cs) == 0));
	json_object_set_new(o, "operations", autogen_cli_changes_json(cs));
	/* The whole script too: per-operation SQL lacks the SQLite batch framing. */
	retort_changeset_sql(&all, cs);
	json_object_set_new(o, "sql", json_string(all.ptr ? all.ptr : ""));
	retort_buffer_dispose(&all);
	json_object_set_new(o, "notes", notes);
	free(from_masked);
	free(to_masked);
	return o;
}

int cmd_diff(int argc, char **argv, cli_global *g)
{
	bool downgrade = false, privileges = false;
	retort_vec renames = RETORT_VEC_INIT, kinds = RETORT_VEC_INIT, args = RETORT_VEC_INIT;
	const cli_option opts[] = {
		{ CLI_OPT_FLAG, 0, "downgrade", &downgrade, NULL, "print the SQL that turns TO_URL back into FROM_URL" },
		{ CLI_OPT_LIST, 0, "rename", &renames, "TABLE.OLD=NEW", "a column renamed rather than dropped and added (repeatable)" },
		{ CLI_OPT_FLAG, 0, "with-privileges", &privileges, NULL, "also compare privileges (PostgreSQL GRANT/REVOKE)" },
		{ CLI_OPT_LIST, 0, "exclude-kind", &kinds, "KIND", "leave out one kind of object, as exclude_kinds in retort.ini (repeatable)" },
		CLI_OPT_END_MARKER
	};
	const cli_usage usage = { "diff", "[options] FROM_URL TO_URL",
		"print the SQL that turns one database's schema into another's",
		"Both databases must be of the same dialect.  Exit status: 0 when the schemas are\n"
		"equal, 1 when they differ, 2 on error.  Possible renames (a column dropped and one\n"
		"of the same type added) are noted; --rename emits a rename instead." };
	retort_diff_options dopts = RETORT_DIFF_OPTIONS_INIT;
	retort_changeset *cs = NULL;
	const retort_changeset *shown;
	retort_buffer sql = RETORT_BUFFER_INIT;
	int rc;

	if ((rc = cli_parse(argc, argv, opts, &usage, g, &args)) != 0 ||
	    (rc = cli_expect_args(&args, 2, 2, &usage)) != 0) {
		rc = rc == CLI_PARSED_HELP ? 0 : CLI_EXIT_USAGE;
		goto done;
	}
	dopts.renames = (const char *const *)renames.items;
	dopts.renames_count = renames.len;
	for (size_t i = 0; i < kinds.len; i++)
		if (!retort_config_kind_valid(kinds.items[i])) {
			cli_error("unknown object kind '%s' for --exclude-kind: one of %s", (const char *)kinds.items[i],
				retort_config_kinds);
			rc = CLI_EXIT_USAGE;
			goto done;
		}
	dopts.with_privileges = privileges;
	dopts.exclude_kinds = (const char *const *)kinds.items;
	dopts.exclude_kinds_count = kinds.len;
	if ((rc = retort_diff_urls(&cs, args.items[0], args.items[1], &dopts)) < 0) {
		/* Any failure is 2: 1 means "the schemas differ". */
		cli_fail(rc);
		rc = CLI_EXIT_USAGE;
		goto done;
	}
	/* --downgrade: the way back, renames turned around */
	shown = downgrade ? retort_changeset_reverse(cs) : cs;
	if (g->json) {
		rc = cli_json_print(downgrade ? diff_json(shown, args.items[1], args.items[0])
			: diff_json(shown, args.items[0], args.items[1]));
		if (rc != 0)
			rc = CLI_EXIT_USAGE;
	} else {
		retort_changeset_sql(&sql, shown);
		if (sql.size && retort_changeset_needs_foreign_keys_off(shown))
			printf("-- a table others reference with an ON DELETE action is rebuilt or dropped:\n"
				"-- foreign keys off around one transaction (SQLite ignores the pragma inside one)\n"
				"PRAGMA foreign_keys = OFF;\nBEGIN;\n%sCOMMIT;\nPRAGMA foreign_keys = ON;\n", sql.ptr);
		else if (sql.size)
			fputs(sql.ptr, stdout);
		/* stdout stays empty for scripts; a person still hears back */
		if (!retort_changeset_count(shown) && g->verbosity >= 0)
			fprintf(stderr, "retort: no differences\n");
		rc = 0;
	}
	if (rc == 0)
		rc = retort_changeset_count(shown) ? CLI_EXIT_FAIL : CLI_EXIT_OK;
done:
	retort_changeset_free(cs);
	retort_buffer_dispose(&sql);
	retort_vec_dispose(&renames, false);
	retort_vec_dispose(&kinds, false);
	retort_vec_dispose(&args, false);
	return rc;
}
