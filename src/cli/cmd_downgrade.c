/*
 * cmd_downgrade.c - `retort downgrade TARGET [--sql]`: revert revisions
 * down to TARGET (-1, base, an id, LABEL@-1 ...); --sql prints the SQL for
 * a range FROM:TO instead (offline there is no database to start from).
 * A revision without a downgrade stops the run before anything changes.
 */
#include "migrate_cli.h"

int cmd_downgrade(int argc, char **argv, cli_global *g)
{
	bool sql = false, dry = false;
	const cli_option opts[] = {
		{ CLI_OPT_FLAG, 0, "sql", &sql, NULL, "print the SQL for a range FROM:TO instead of running it" },
		{ CLI_OPT_FLAG, 0, "dry-run", &dry, NULL, "list the revisions that would be reverted, change nothing" },
		CLI_OPT_END_MARKER
	};
	const cli_usage usage = { "downgrade", "[options] TARGET",
		"revert revisions down to a target",
		"TARGET is a revision id or prefix, base, -N, REV-N or LABEL@-N;\n"
		"with --sql, a range such as head:base." };
	retort_vec args = RETORT_VEC_INIT;
	retort_buf out = RETORT_BUF_INIT;
	cli_run r = { 0 };
	int rc;

	if ((rc = cli_begin(argc, argv, opts, &usage, g, &args, 1, 1)) != CLI_CONTINUE ||
	    (rc = cli_run_start(&r, g, GRAPH_CLI_ACT, sql, dry)) != 0)
		goto done;
	if (sql)
		rc = cli_run_finish(retort_migrate_render_downgrade(&out, r.cfg, r.graph, args.items[0]), &out);
	else
		rc = cli_run_finish(retort_migrate_downgrade(r.cfg, r.graph, args.items[0], &r.opts), NULL);
done:
	cli_run_close(&r);
	retort_buf_dispose(&out);
	retort_vec_dispose(&args, false);
	return rc;
}
