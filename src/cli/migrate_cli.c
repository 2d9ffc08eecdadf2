/*
 * migrate_cli.c - shared plumbing of the migration commands (see
 * migrate_cli.h).  Progress goes to stdout (silenced by -q); waiting for
 * another runner goes to stderr so it shows even when stdout is captured.
 */
#include <stdio.h>
#include <string.h>

#include "graph_cli.h"
#include "migrate_cli.h"

static void on_progress(const retort_migrate_event *ev, void *payload)
{
	const cli_global *g = payload;

	if (g->verbosity < 0)
		return;
	if (ev->dry_run)
		printf("Would run %s %s -> %s, %s\n", ev->verb, ev->from, ev->to, ev->message);
	else if (!ev->rev)
		printf("Running stamp %s -> %s (%.0f ms)\n", ev->from, ev->to, ev->ms);
	else
		printf("Running %s %s -> %s, %s (%.0f ms)\n", ev->verb, ev->from, ev->to,
			ev->message, ev->ms);
	fflush(stdout);
}

static void on_wait(const char *what, void *payload)
{
	(void)payload;
	fprintf(stderr, "retort: waiting for another retort on %s\n", what);
}

int cli_run_open(cli_run *r, cli_global *g, graph_cli_mode mode)
{
	int rc;

	memset(r, 0, sizeof(*r));
	if ((rc = cli_load_config(g, &r->cfg)) != 0)
		return rc;
	if (mode != GRAPH_CLI_NONE && (rc = graph_cli_load(&r->graph, r->cfg, mode)) < 0)
		return cli_fail(rc);
	r->opts.progress = on_progress;
	r->opts.progress_payload = g;
	r->opts.on_wait = on_wait;
	return 0;
}

void cli_run_close(cli_run *r)
{
	graph_cli_done(r->graph);
	retort_config_free(r->cfg);
}

int cli_run_start(cli_run *r, cli_global *g, graph_cli_mode mode, bool sql, bool dry_run)
{
	int rc;

	memset(r, 0, sizeof(*r));
	if (sql && dry_run) {
		cli_error("--sql and --dry-run cannot be combined");
		return CLI_EXIT_USAGE;
	}
	if ((rc = cli_run_open(r, g, mode)) != 0)
		return rc;
	r->opts.dry_run = dry_run;
	return 0;
}

int cli_run_finish(int rc, const retort_buf *sql)
{
	if (rc < 0)
		return cli_fail(rc);
	if (sql && (fwrite(sql->ptr, 1, sql->size, stdout) != sql->size || fflush(stdout) != 0)) {
		cli_error("cannot write the SQL to stdout");
		return CLI_EXIT_FAIL;
	}
	return 0;
}
