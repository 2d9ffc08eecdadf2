/*
 * lint_cli.h - printing a lint report: human (coloured like the rest of
 * the CLI), JSON, GitHub workflow annotations, SARIF 2.1.0.
 */
#ifndef RETORT_LINT_CLI_H
#define RETORT_LINT_CLI_H

#include "cli.h"
#include "rules/report.h"

struct json_t;

/* Findings, each with why and instead unless -q, then the summary; `scope` names what was read ("revision(s)"). */
void lint_cli_print(const cli_global *g, const retort_lint_report *r, const char *scope);
struct json_t *lint_cli_json(const retort_lint_report *r);
/* One `::error file=…,line=…,title=…::message` line per finding. */
void lint_cli_github(const retort_lint_report *r);
struct json_t *lint_cli_sarif(const retort_lint_report *r);

#endif
