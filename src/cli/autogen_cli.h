/*
 * autogen_cli.h - what `check`, `drift` and `diff` share: printing a
 * changeset (retort/changeset.h) as SQL or JSON, and for check and drift,
 * opening the project and reporting the comparison.
 */
#ifndef RETORT_AUTOGEN_CLI_H
#define RETORT_AUTOGEN_CLI_H

#include "cli.h"

struct json_t;
/* [{kind, target, destructive, sql}] */
struct json_t *autogen_cli_changes_json(const retort_changeset *cs);
/* {"equal", "heads", "operations": [...], "notes"} */
struct json_t *autogen_cli_json(const retort_changeset *cs);
/* The changeset's SQL (its notes included) under a comment header. */
void autogen_cli_print(const retort_changeset *cs, const char *header);

/* What check and drift say; down_header NULL prints no way back. */
typedef struct autogen_cli_words {
	const char *same;        /* "No drift: ..." */
	const char *up_header;   /* above the SQL of the changes */
	const char *down_header; /* above the SQL of the way back, or NULL */
} autogen_cli_words;

typedef int (*autogen_cli_compare_fn)(retort_changeset **out, retort_project *project, const void *payload);

/*
 * Open the project, run `compare`, report the result (JSON, or the words
 * above) and return the exit status: 0 same, 1 different, 2 when the
 * comparison could not be made (configuration, a target schema or a
 * migration that does not load, an unreachable database).
 */
int autogen_cli_run(cli_global *g, autogen_cli_compare_fn compare, const void *payload,
	const autogen_cli_words *words);

#endif
