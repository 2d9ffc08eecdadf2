/*
 * api_int.h - what the files of the public API share, and the few views
 * the retort command takes through it into what the API does not show
 * (the graph a status was read against, to print revisions as `heads`
 * does; the internal status and changeset, for the command's output).
 *
 * The API is the top layer: it turns the public handles and options into
 * the internals' and back, and adds nothing a command line could not do.
 * It never prints: what the command would print as it works goes to the
 * project's log callback.
 */
#ifndef RETORT_API_INT_H
#define RETORT_API_INT_H

#include <stdbool.h>

#include "retort/retort.h"
#include "autogen/autogen.h"
#include "base/buf.h"
#include "config/config.h"
#include "dialect/url.h"          /* masked URLs, for `diff` */
#include "graph/graph.h"
#include "run/migrate.h"
#include "run/partial.h"         /* a status's unfinished step, for `current` */
#include "schema/schema.h"

struct retort_project {
	retort_config *cfg;
	char *url_masked;           /* NULL without a url */
	/*
	 * The graph the last operation read, kept for the command's views;
	 * every operation reads the scripts afresh.
	 */
	retort_graph *graph;
	retort_log_cb log_cb;
	void *log_payload;
	volatile int cancel;        /* retort_project_cancel */
};

struct retort_status;

/* --- project.c ---------------------------------------------------------- */

/* A message for the log callback, formatted. */
void retort__project_log(const retort_project *project, retort_log_level level, const char *fmt, ...)
	RETORT_PRINTF(3, 4);
/*
 * The start of every operation on one database: refuse a section that
 * stands for several, then read the graph (every file when `full`, through
 * the header cache otherwise) into project->graph unless `graph` is false,
 * and watch the cancel flag.  Each begin has its end, which stops
 * watching and consumes a cancel request the operation stopped for;
 * end returns `error`.
 */
int retort__project_begin(retort_project *project, bool graph, bool full);
int retort__project_end(retort_project *project, int error);

/* Check an options struct's version: RETORT_EUSAGE naming `what` for one this library does not know. */
int retort__options_check(unsigned version, unsigned known, const char *what);

/* --- common.c ----------------------------------------------------------- */

/* Append to a public buffer. */
void retort__buffer_put(retort_buffer *out, const char *text, size_t len);
/* Copy a vec of strings into a public string array (appended). */
void retort__strarray_from(retort_strarray *out, const retort_vec *strings);

/* --- views for the retort command ------------------------------------------ */

const retort_config *retort__project_config(const retort_project *project);
/* The graph the last operation read (NULL before any); borrowed until the next operation. */
const retort_graph *retort__project_graph(const retort_project *project);
/*
 * Read the graph for a command that only reports on it (through the header
 * cache when `full` is false) and return it, borrowed as above.
 */
int retort__project_load_graph(const retort_graph **out, retort_project *project, bool full);
/* The internal status behind a public one (borrowed). */
const retort_db_status *retort__status_view(const struct retort_status *status);

#endif
