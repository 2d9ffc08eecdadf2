/*
 * migrate_cli.h - what the commands that run migrations share (upgrade,
 * downgrade, stamp, ensure-version, current): opening the project through
 * the public API (retort/run.h), and printing its events and log the way
 * a user expects ("Running upgrade a -> b, create users (12 ms)").
 */
#ifndef RETORT_MIGRATE_CLI_H
#define RETORT_MIGRATE_CLI_H

#include "cli.h"

typedef struct cli_run {
	retort_project *project;
	retort_run_options opts;    /* events wired to the printers below */
	cli_global *g;
	size_t steps;               /* revisions applied (or planned, with --dry-run) */
	double total_ms;
} cli_run;

/*
 * Open the project of this invocation and wire the event printer to `g`.
 * On failure prints the error and returns the exit status; 0 on success.
 */
int cli_run_open(cli_run *r, cli_global *g);
void cli_run_close(cli_run *r);

/*
 * What upgrade, downgrade, stamp and ensure-version do once their options
 * are parsed: refuse --sql with --dry-run, then cli_run_open, and set
 * r->opts.dry_run.  0, or the exit status after printing why.
 */
int cli_run_start(cli_run *r, cli_global *g, bool sql, bool dry_run);

/*
 * And how they end: `rc` is what the library returned, for a run (`sql`
 * NULL) or for rendering into `sql` (--sql), which is then written to
 * stdout.  The exit status.
 */
int cli_run_finish(int rc, const retort_buffer *sql);

/*
 * After a run of upgrade or downgrade, with its exit status `rc`: with
 * --json the summary event; otherwise "Nothing to do: ..." when no
 * revision ran.  Returns rc.
 */
int cli_run_report(cli_run *r, int rc, const char *verb, const char *target);

#endif
