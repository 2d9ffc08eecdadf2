/*
 * autogen_cli.h - what `check` and `drift` share: loading config and
 * graph for an autogenerate comparison, and printing a diff as SQL or JSON.
 */
#ifndef RETORT_AUTOGEN_CLI_H
#define RETORT_AUTOGEN_CLI_H

#include "autogen.h"
#include "cli.h"

struct json_t;
/* {"equal", "heads", "operations": [{kind, target, destructive, sql}], "notes"} */
struct json_t *autogen_cli_json(const retort_autogen *ag, const retort_diff *d);
/* The diff's SQL under a comment header, then its notes as comments. */
void autogen_cli_print(const retort_diff *d, const char *header);

#endif
