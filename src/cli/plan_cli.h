/*
 * plan_cli.h - the statements of a dry run (`--dry-run -v`): each with the
 * lock it takes and the lint rules it trips, under its revision's "Would
 * run" line.
 */
#ifndef RETORT_PLAN_CLI_H
#define RETORT_PLAN_CLI_H

#include "migrate_cli.h"
#include "rules/rules.h"

typedef struct plan_cli {
	cli_global *g;
	const retort_config *cfg;
	retort_project *project;    /* its graph has the scripts the events name */
	retort_dialect_id dialect;
	struct retort_db *db;       /* PostgreSQL's catalog, NULL when none */
	retort_rules *rules;
	retort_event_cb next;
	void *next_payload;
} plan_cli;

/*
 * When `r` is a dry run and -v was given, print each revision's
 * statements after its progress line.  Returns 0, or the exit status
 * after printing a configuration error (an unknown rule in lint_error).
 */
int plan_cli_attach(plan_cli *p, cli_run *r, cli_global *g);
void plan_cli_detach(plan_cli *p);

#endif
