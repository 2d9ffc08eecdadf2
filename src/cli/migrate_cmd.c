/*
 * migrate_cmd.c - one direction of a migration run, for every database of
 * the configuration (see migrate_cmd.h).
 */
#include "migrate_cmd.h"
#include "migrate_cli.h"
#include "plan_cli.h"

static int migrate_one(cli_global *g, void *ctx)
{
	const cli_migrate *m = ctx;
	retort_buffer out = RETORT_BUFFER_INIT;
	cli_run r = { 0 };
	plan_cli plan = { 0 };
	int rc;

	if ((rc = cli_run_start(&r, g, m->sql, m->dry)) != 0 ||
	    (rc = plan_cli_attach(&plan, &r, g)) != 0)
		goto done;
	r.opts.tag = m->tag;
	if (m->sql)
		rc = cli_run_finish(m->render(&out, r.project, m->target), &out);
	else
		rc = cli_run_report(&r, cli_run_finish(m->run(r.project, m->target, &r.opts), NULL),
			m->verb, m->target);
done:
	plan_cli_detach(&plan);
	cli_run_close(&r);
	retort_buffer_dispose(&out);
	return rc;
}

int cli_migrate_run(cli_global *g, const cli_migrate *m)
{
	if (m->sql && m->dry) {
		cli_error("--sql and --dry-run cannot be combined");
		return CLI_EXIT_USAGE;
	}
	return cli_for_each_database(g, migrate_one, (void *)m, true);
}
