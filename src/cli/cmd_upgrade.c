/*
 * cmd_upgrade.c - `retort upgrade [TARGET] [--sql] [--dry-run]`: apply
 * revisions up to TARGET (default head), one progress line per revision
 * with its time; --sql prints the SQL instead (TARGET or FROM:TO, from base
 * when no FROM is given); --dry-run lists what would run without changing
 * anything.
 */
#include "migrate_cli.h"

int cmd_upgrade(int argc, char **argv, cli_global *g)
{
	bool sql = false, dry = false;
	const cli_option opts[] = {
		{ CLI_OPT_FLAG, 0, "sql", &sql, NULL, "print the SQL instead of running it (TARGET may be FROM:TO)" },
		{ CLI_OPT_FLAG, 0, "dry-run", &dry, NULL, "list the revisions that would run, change nothing" },
		CLI_OPT_END_MARKER
	};
	const cli_usage usage = { "upgrade", "[options] [TARGET]",
		"apply revisions up to a target (default head)",
		"TARGET is a revision id or prefix, head, heads, LABEL@head, +N or REV+N." };
	retort_vec args = RETORT_VEC_INIT;
	retort_buf out = RETORT_BUF_INIT;
	const char *target;
	cli_run r = { 0 };
	int rc;

	if ((rc = cli_begin(argc, argv, opts, &usage, g, &args, 0, 1)) != CLI_CONTINUE ||
	    (rc = cli_run_start(&r, g, GRAPH_CLI_ACT, sql, dry)) != 0)
		goto done;
	target = args.len ? args.items[0] : "head";
	if (sql)
		rc = cli_run_finish(retort_migrate_render_upgrade(&out, r.cfg, r.graph, target), &out);
	else
		rc = cli_run_finish(retort_migrate_upgrade(r.cfg, r.graph, target, &r.opts), NULL);
done:
	cli_run_close(&r);
	retort_buf_dispose(&out);
	retort_vec_dispose(&args, false);
	return rc;
}
