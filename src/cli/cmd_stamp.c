/*
 * cmd_stamp.c - `retort stamp TARGET... [--purge] [--sql]`: set the
 * version table to the given revisions without running any script (to
 * adopt an existing database, or to repair one).  --purge empties the
 * table first, which also clears heads no script defines.
 */
#include "migrate_cli.h"

int cmd_stamp(int argc, char **argv, cli_global *g)
{
	bool sql = false, purge = false;
	const cli_option opts[] = {
		{ CLI_OPT_FLAG, 0, "purge", &purge, NULL, "delete every row of the version table first" },
		{ CLI_OPT_FLAG, 0, "sql", &sql, NULL, "print the SQL instead of running it" },
		CLI_OPT_END_MARKER
	};
	const cli_usage usage = { "stamp", "[options] TARGET...",
		"set the version table without running scripts",
		"TARGET is a revision id or prefix, head, heads, LABEL@head or base." };
	retort_vec args = RETORT_VEC_INIT;
	retort_buf out = RETORT_BUF_INIT;
	const char *const *targets;
	cli_run r = { 0 };
	int rc;

	if ((rc = cli_begin(argc, argv, opts, &usage, g, &args, 1, (size_t)-1)) != CLI_CONTINUE ||
	    (rc = cli_run_start(&r, g, GRAPH_CLI_ACT, sql, false)) != 0)
		goto done;
	targets = (const char *const *)args.items;
	if (sql)
		rc = cli_run_finish(retort_migrate_render_stamp(&out, r.cfg, r.graph, targets, args.len, purge), &out);
	else
		rc = cli_run_finish(retort_migrate_stamp(r.cfg, r.graph, targets, args.len, purge, &r.opts), NULL);
done:
	cli_run_close(&r);
	retort_buf_dispose(&out);
	retort_vec_dispose(&args, false);
	return rc;
}
