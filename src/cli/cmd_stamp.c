/*
 * cmd_stamp.c - `retort stamp TARGET... [--purge] [--sql]`: set the
 * version table to the given revisions without running any script (to
 * adopt an existing database, or to repair one).  --purge empties the
 * table first, which also clears heads no script defines.
 */
#include "migrate_cli.h"

typedef struct stamp_args {
	const retort_vec *targets;
	const char *tag;
	bool sql, purge;
} stamp_args;

static int stamp_one(cli_global *g, void *ctx)
{
	const stamp_args *a = ctx;
	retort_buffer out = RETORT_BUFFER_INIT;
	const char *const *targets;
	cli_run r = { 0 };
	int rc;

	if ((rc = cli_run_start(&r, g, a->sql, false)) != 0)
		goto done;
	r.opts.tag = a->tag;
	r.opts.purge = a->purge;
	targets = (const char *const *)a->targets->items;
	if (a->sql)
		rc = cli_run_finish(retort_project_stamp_sql(&out, r.project, targets, a->targets->len, &r.opts),
			&out);
	else
		rc = cli_run_finish(retort_project_stamp(r.project, targets, a->targets->len, &r.opts), NULL);
done:
	cli_run_close(&r);
	retort_buffer_dispose(&out);
	return rc;
}

int cmd_stamp(int argc, char **argv, cli_global *g)
{
	retort_vec args = RETORT_VEC_INIT;
	stamp_args a = { &args, NULL, false, false };
	const cli_option opts[] = {
		{ CLI_OPT_STRING, 0, "tag", &a.tag, "TAG", "a tag stored with the stamp's row in the history table" },
		{ CLI_OPT_FLAG, 0, "purge", &a.purge, NULL, "delete every row of the version table first" },
		{ CLI_OPT_FLAG, 0, "sql", &a.sql, NULL, "print the SQL instead of running it" },
		CLI_OPT_END_MARKER
	};
	const cli_usage usage = { "stamp", "[options] TARGET...",
		"set the version table without running scripts",
		"TARGET is a revision id or prefix, head, heads, LABEL@head or base." };
	int rc;

	if ((rc = cli_begin(argc, argv, opts, &usage, g, &args, 1, (size_t)-1)) == CLI_CONTINUE)
		rc = cli_for_each_database(g, stamp_one, &a, true);
	retort_vec_dispose(&args, false);
	return rc;
}
