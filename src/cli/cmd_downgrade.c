/*
 * cmd_downgrade.c - `retort downgrade TARGET [--sql] [--dry-run] [--tag
 * TAG]`: revert revisions down to TARGET (-1, base, an id, LABEL@-1,
 * LABEL@base ...); --sql prints the SQL for a range FROM:TO instead
 * (offline there is no database to start from).  A revision without a
 * downgrade stops the run before anything changes.  A multidb
 * configuration downgrades each of its databases in turn.
 */
#include "migrate_cli.h"
#include "plan_cli.h"

typedef struct downgrade_args {
	const char *target;
	const char *tag;
	bool sql, dry;
} downgrade_args;

static int downgrade_one(cli_global *g, void *ctx)
{
	const downgrade_args *a = ctx;
	retort_buffer out = RETORT_BUFFER_INIT;
	cli_run r = { 0 };
	plan_cli plan = { 0 };
	int rc;

	if ((rc = cli_run_start(&r, g, a->sql, a->dry)) != 0 ||
	    (rc = plan_cli_attach(&plan, &r, g)) != 0)
		goto done;
	r.opts.tag = a->tag;
	if (a->sql)
		rc = cli_run_finish(retort_project_downgrade_sql(&out, r.project, a->target), &out);
	else
		rc = cli_run_report(&r, cli_run_finish(retort_project_downgrade(r.project, a->target, &r.opts),
			NULL), "downgrade", a->target);
done:
	plan_cli_detach(&plan);
	cli_run_close(&r);
	retort_buffer_dispose(&out);
	return rc;
}

int cmd_downgrade(int argc, char **argv, cli_global *g)
{
	downgrade_args a = { NULL, NULL, false, false };
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
	if (a.sql && a.dry) {
		cli_error("--sql and --dry-run cannot be combined");
		rc = CLI_EXIT_USAGE;
		goto done;
	}
	rc = cli_for_each_database(g, downgrade_one, &a, true);
done:
	retort_vec_dispose(&args, false);
	return rc;
}
