/*
 * autogen_cli.h - what `check` and `drift` share: loading config and
 * graph for an autogenerate comparison, and printing a diff as SQL or JSON.
 */
#ifndef RETORT_AUTOGEN_CLI_H
#define RETORT_AUTOGEN_CLI_H

#include "autogen/autogen.h"
#include "cli.h"

struct json_t;
/* {"equal", "heads", "operations": [{kind, target, destructive, sql}], "notes"} */
struct json_t *autogen_cli_json(const retort_autogen *ag, const retort_diff *d);
/* The diff's SQL (its notes included) under a comment header. */
void autogen_cli_print(const retort_diff *d, const char *header);

/* What check and drift say; down_header NULL prints no way back. */
typedef struct autogen_cli_words {
	const char *same;        /* "No drift: ..." */
	const char *up_header;   /* above the SQL of ag->up */
	const char *down_header; /* above the SQL of ag->down, or NULL */
} autogen_cli_words;

typedef int (*autogen_cli_compare_fn)(retort_autogen **out, const retort_config *cfg,
	const retort_graph *graph, const void *payload);

/*
 * Load config and graph, run `compare`, report the result (JSON, or the
 * words above) and return the exit status: 0 same, 1 different, 2 when the
 * comparison could not be made (configuration, a target schema or a
 * migration that does not load, an unreachable database).
 */
int autogen_cli_run(cli_global *g, autogen_cli_compare_fn compare, const void *payload,
	const autogen_cli_words *words);

#endif
