/*
 * cmd_downgrade.c - `retort downgrade TARGET [--sql] [--dry-run] [--tag
 * TAG]`: revert revisions down to TARGET (-1, base, an id, LABEL@-1,
 * LABEL@base ...); --sql prints the SQL for a range FROM:TO instead
 * (offline there is no database to start from).  A revision without a
 * downgrade stops the run before anything changes.  A multidb
 * configuration downgrades each of its databases in turn.
 */
#include "migrate_cmd.h"

int cmd_downgrade(int argc, char **argv, cli_global *g)
{
	cli_migrate a = { "downgrade", NULL, NULL, false, false, retort_project_downgrade, retort_project_downgrade_sql };
	const cli_option opts[] = {
		{ CLI_OPT_STRING, 0, "tag", &a.tag, "TAG", "a tag stored with this run's rows in the history table" },
		{ CLI_OPT_FLAG, 0, "sql", &a.sql, NULL, "print the SQL for a range FROM:TO instead of running it" },
		{ CLI_OPT_FLAG, 0, "dry-run", &a.dry, NULL, "list the revisions that would be reverted, change nothing (-v: each statement, its lock and lint findings)" },
		CLI_OPT_END_MARKER
	};
	const cli_usage usage = { "downgrade", "[options] TARGET",
		"revert revisions down to a target",
		"TARGET is a revision id or prefix, base, -N, REV-N, LABEL@-N or LABEL@base\n"
		"(the whole branch); with --sql, a range such as head:base.  --json prints one\n"
		"event per line, as upgrade does." };
	retort_vec args = RETORT_VEC_INIT;
	int rc;

	if ((rc = cli_begin(argc, argv, opts, &usage, g, &args, 1, 1)) != CLI_CONTINUE)
		goto done;
	a.target = args.items[0];
	rc = cli_migrate_run(g, &a);
done:
	retort_vec_dispose(&args, false);
	return rc;
}
