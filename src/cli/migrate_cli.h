/*
 * migrate_cli.h - what the commands that run migrations share (upgrade,
 * downgrade, stamp, ensure-version, current): loading the configuration
 * and the graph, and printing progress and lock waits the way a user
 * expects ("Running upgrade a -> b, create users (12 ms)").
 */
#ifndef RETORT_MIGRATE_CLI_H
#define RETORT_MIGRATE_CLI_H

#include "cli.h"
#include "graph/graph.h"
#include "graph_cli.h"
#include "run/migrate.h"

typedef struct cli_run {
	retort_config *cfg;
	retort_graph *graph;
	retort_migrate_opts opts;
	cli_global *g;
	size_t steps;        /* revisions applied (or planned, with --dry-run) */
	double total_ms;
} cli_run;

/*
 * Load the configuration and the revision graph as `mode` says; wire the
 * progress and wait printers to `g`.  On failure prints the error and
 * returns the exit status; 0 on success.
 */
int cli_run_open(cli_run *r, cli_global *g, graph_cli_mode mode);
void cli_run_close(cli_run *r);

/*
 * What upgrade, downgrade, stamp and ensure-version do once their options
 * are parsed: refuse --sql with --dry-run, then cli_run_open, and set
 * r->opts.dry_run.  0, or the exit status after printing why.
 */
int cli_run_start(cli_run *r, cli_global *g, graph_cli_mode mode, bool sql, bool dry_run);

/*
 * And how they end: `rc` is what the library returned, for a run (`sql`
 * NULL) or for rendering into `sql` (--sql), which is then written to
 * stdout.  The exit status.
 */
int cli_run_finish(int rc, const retort_buf *sql);

/*
 * After a run of upgrade or downgrade, with its exit status `rc`: with
 * --json the summary event; otherwise "Nothing to do: ..." when no
 * revision ran.  Returns rc.
 */
int cli_run_report(cli_run *r, int rc, const char *verb, const char *target);

#endif
