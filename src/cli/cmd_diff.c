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

#include "cli.h"
#include "schema/schema.h"
#include "config/config.h"
#include "dialect/url.h"

static int reflect_url(retort_model **out, const retort_url *url, const retort_reflect_opts *opts)
{
	retort_db *db = NULL;
	int error;

	if ((error = retort_db_open(&db, url)) < 0)
		return error;
	error = retort_schema_reflect(out, db, opts);
	retort_db_free(db);
	return error;
}

static json_t *diff_json(const retort_diff *d, const char *from, const char *to)
{
	json_t *o = json_object(), *ops = json_array(), *notes = json_array();
	char *from_masked = retort_url_masked(from), *to_masked = retort_url_masked(to);

	for (size_t i = 0; i < d->ops.len; i++) {
		const retort_op *op = d->ops.items[i];
		retort_buf target = RETORT_BUF_INIT, sql = RETORT_BUF_INIT;

		retort_op_target(&target, op);
		retort_op_render(&sql, d, op);
		json_array_append_new(ops, json_pack("{s:s, s:s, s:b, s:s}", "kind", retort_op_name(op),
			"target", target.ptr, "destructive", op->destructive, "sql", sql.ptr));
		retort_buf_dispose(&target);
		retort_buf_dispose(&sql);
	}
	for (size_t i = 0; i < d->notes.len; i++)
		json_array_append_new(notes, json_string(d->notes.items[i]));
	json_object_set_new(o, "from", json_string(from_masked));
	json_object_set_new(o, "to", json_string(to_masked));
	json_object_set_new(o, "dialect", json_string(d->to->dialect == RETORT_DIALECT_SQLITE ? "sqlite" : "postgresql"));
	json_object_set_new(o, "equal", json_boolean(d->ops.len == 0));
	json_object_set_new(o, "operations", ops);
	{
		/* The whole script too: per-operation SQL lacks the SQLite batch framing. */
		retort_buf all = RETORT_BUF_INIT;
		retort_diff_render(&all, d);
		json_object_set_new(o, "sql", json_string(all.ptr));
		retort_buf_dispose(&all);
	}
	json_object_set_new(o, "notes", notes);
	free(from_masked);
	free(to_masked);
	return o;
}

int cmd_diff(int argc, char **argv, cli_global *g)
{
	bool downgrade = false, privileges = false;
	retort_vec renames = RETORT_VEC_INIT, inverted = RETORT_VEC_INIT, args = RETORT_VEC_INIT;
	retort_vec kinds = RETORT_VEC_INIT;
	const cli_option opts[] = {
		{ CLI_OPT_FLAG, 0, "downgrade", &downgrade, NULL, "print the SQL that turns TO_URL back into FROM_URL" },
		{ CLI_OPT_LIST, 0, "rename", &renames, "TABLE.OLD=NEW", "a column renamed rather than dropped and added (repeatable)" },
		{ CLI_OPT_FLAG, 0, "with-privileges", &privileges, NULL, "also compare privileges (PostgreSQL GRANT/REVOKE)" },
		{ CLI_OPT_LIST, 0, "exclude-kind", &kinds, "KIND", "leave out one kind of object, as exclude_kinds in retort.ini (repeatable)" },
		CLI_OPT_END_MARKER
	};
	retort_reflect_opts ropts = { .version_table = "retort_version", .history_table = "retort_history",
		.exclude_kinds = &kinds };
	const cli_usage usage = { "diff", "[options] FROM_URL TO_URL",
		"print the SQL that turns one database's schema into another's",
		"Both databases must be of the same dialect.  Exit status: 0 when the schemas are\n"
		"equal, 1 when they differ, 2 on error.  Possible renames (a column dropped and one\n"
		"of the same type added) are noted; --rename emits a rename instead." };
	retort_model *from = NULL, *to = NULL;
	retort_url *from_url = NULL, *to_url = NULL;
	retort_diff *d = NULL;
	retort_diff_opts dopts = { &renames };
	retort_buf sql = RETORT_BUF_INIT;
	int rc;

	if ((rc = cli_parse(argc, argv, opts, &usage, g, &args)) != 0 ||
	    (rc = cli_expect_args(&args, 2, 2, &usage)) != 0) {
		rc = rc == CLI_PARSED_HELP ? 0 : CLI_EXIT_USAGE;
		goto done;
	}
	for (size_t i = 0; i < kinds.len; i++)
		if (!retort_config_kind_valid(kinds.items[i])) {
			cli_error("unknown object kind '%s' for --exclude-kind: one of %s", (const char *)kinds.items[i],
				retort_config_kinds);
			rc = CLI_EXIT_USAGE;
			goto done;
		}
	ropts.privileges = privileges;
	if ((rc = retort_url_parse(&from_url, args.items[0])) < 0 ||
	    (rc = retort_url_parse(&to_url, args.items[1])) < 0)
		goto fail;
	/* diff only reads: a SQLite file that is not there is an error, not an empty database made on the spot */
	from_url->must_exist = to_url->must_exist = true;
	if (from_url->dialect != to_url->dialect) {
		cli_error("cannot compare a %s database with a %s database",
			retort_dialect_for(from_url->dialect)->name, retort_dialect_for(to_url->dialect)->name);
		rc = CLI_EXIT_USAGE;
		goto done;
	}
	if ((rc = reflect_url(&from, from_url, &ropts)) < 0 || (rc = reflect_url(&to, to_url, &ropts)) < 0)
		goto fail;
	if (downgrade) {
		retort_schema_renames_invert(&inverted, &renames);
		dopts.renames = &inverted;
		rc = retort_schema_diff(&d, to, from, &dopts);
	} else {
		rc = retort_schema_diff(&d, from, to, &dopts);
	}
	if (rc < 0)
		goto fail;

	if (g->json) {
		rc = cli_json_print(downgrade ? diff_json(d, args.items[1], args.items[0])
			: diff_json(d, args.items[0], args.items[1]));
		if (rc != 0)
			rc = CLI_EXIT_USAGE;
	} else {
		retort_diff_render(&sql, d);
		if (retort_schema_sql_needs_fk_off(sql.ptr))
			printf("-- a table others reference with an ON DELETE action is rebuilt or dropped:\n"
				"-- foreign keys off around one transaction (SQLite ignores the pragma inside one)\n"
				"PRAGMA foreign_keys = OFF;\nBEGIN;\n%sCOMMIT;\nPRAGMA foreign_keys = ON;\n", sql.ptr);
		else
			fputs(sql.ptr, stdout);
		/* stdout stays empty for scripts; a person still hears back */
		if (!d->ops.len && g->verbosity >= 0)
			fprintf(stderr, "retort: no differences\n");
		rc = 0;
	}
	if (rc == 0)
		rc = d->ops.len ? CLI_EXIT_FAIL : CLI_EXIT_OK;
	goto done;
fail:
	/* Any failure is 2: 1 means "the schemas differ". */
	cli_fail(rc);
	rc = CLI_EXIT_USAGE;
done:
	retort_diff_free(d);
	retort_model_free(from);
	retort_model_free(to);
	retort_url_free(from_url);
	retort_url_free(to_url);
	retort_buf_dispose(&sql);
	retort_vec_dispose(&renames, false);
	retort_vec_dispose(&kinds, false);
	retort_vec_dispose(&inverted, true);
	retort_vec_dispose(&args, false);
	return rc;
}
