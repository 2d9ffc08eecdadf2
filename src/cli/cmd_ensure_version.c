/*
 * cmd_ensure_version.c - `retort ensure-version [--sql]`: create the
 * version table and the history table when they are missing (a DBA may
 * want them before handing the database to a deploy pipeline).
 */
#include "migrate_cli.h"

int cmd_ensure_version(int argc, char **argv, cli_global *g)
{
	bool sql = false;
	const cli_option opts[] = {
		{ CLI_OPT_FLAG, 0, "sql", &sql, NULL, "print the CREATE statements instead of running them" },
		CLI_OPT_END_MARKER
	};
	const cli_usage usage = { "ensure-version", "[options]",
		"create the version and history tables if missing", NULL };
	retort_vec args = RETORT_VEC_INIT;
	retort_buffer out = RETORT_BUFFER_INIT;
	cli_run r = { 0 };
	int rc;

	if ((rc = cli_begin(argc, argv, opts, &usage, g, &args, 0, 0)) != CLI_CONTINUE ||
	    (rc = cli_run_start(&r, g, sql, false)) != 0)
		goto done;
	if (sql)
		rc = cli_run_finish(retort_project_ensure_version_sql(&out, r.project), &out);
	else
		rc = cli_run_finish(retort_project_ensure_version(r.project), NULL);
done:
	cli_run_close(&r);
	retort_buffer_dispose(&out);
	retort_vec_dispose(&args, false);
	return rc;
}
