/*
 * cmd_upgrade.c - `retort upgrade [TARGET] [--sql] [--dry-run] [--tag TAG]`:
 * apply revisions up to TARGET (default head), one progress line per
 * revision with its time (--json: one event per line); --sql prints the
 * SQL instead (TARGET or FROM:TO, from base when no FROM is given);
 * --dry-run lists what would run without changing anything.  A multidb
 * configuration upgrades each of its databases in turn.
 */
#include "migrate_cmd.h"

int cmd_upgrade(int argc, char **argv, cli_global *g)
{
	cli_migrate a = { "upgrade", NULL, NULL, false, false, retort_project_upgrade, retort_project_upgrade_sql };
	const cli_option opts[] = {
		{ CLI_OPT_STRING, 0, "tag", &a.tag, "TAG", "a tag stored with this run's rows in the history table" },
		{ CLI_OPT_FLAG, 0, "sql", &a.sql, NULL, "print the SQL instead of running it (TARGET may be FROM:TO)" },
		{ CLI_OPT_FLAG, 0, "dry-run", &a.dry, NULL, "list the revisions that would run, change nothing (-v: each statement, its lock and lint findings)" },
		CLI_OPT_END_MARKER
	};
	const cli_usage usage = { "upgrade", "[options] [TARGET]",
		"apply revisions up to a target (default head)",
		"TARGET is a revision id or prefix, head, heads, LABEL@head, +N or REV+N.\n"
		"--json prints one event per line: started, finished (duration_ms), failed\n"
		"(file, line, error), then a summary." };
	retort_vec args = RETORT_VEC_INIT;
	int rc;

	if ((rc = cli_begin(argc, argv, opts, &usage, g, &args, 0, 1)) != CLI_CONTINUE)
		goto done;
	a.target = args.len ? args.items[0] : "head";
	rc = cli_migrate_run(g, &a);
done:
	retort_vec_dispose(&args, false);
	return rc;
}
