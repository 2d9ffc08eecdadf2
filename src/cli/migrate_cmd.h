/*
 * migrate_cmd.h - the body `retort upgrade` and `retort downgrade` share
 * once their options are parsed: refuse --sql with --dry-run, then for
 * each database of the configuration open the project, attach the
 * --dry-run plan printer, and run or render one direction.  The two
 * command files keep only what differs: their option texts and usage.
 */
#ifndef RETORT_MIGRATE_CMD_H
#define RETORT_MIGRATE_CMD_H

#include "cli.h"

typedef struct cli_migrate {
	const char *verb;    /* "upgrade" or "downgrade": the summary names it */
	const char *target;
	const char *tag;
	bool sql, dry;
	int (*run)(retort_project *project, const char *target, const retort_run_options *opts);
	int (*render)(retort_buffer *out, retort_project *project, const char *range);
} cli_migrate;

/* The exit status. */
int cli_migrate_run(cli_global *g, const cli_migrate *m);

#endif
