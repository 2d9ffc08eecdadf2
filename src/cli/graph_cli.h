/*
 * graph_cli.h - what the graph commands (revision, merge, heads, branches,
 * history, show, edit) share: loading the graph, and rendering a revision
 * the way Alembic users read it ("a -> b (head), message", the verbose
 * "Rev:" block) or as JSON.
 */
#ifndef RETORT_GRAPH_CLI_H
#define RETORT_GRAPH_CLI_H

#include "base/buf.h"
#include "cli.h"
#include "graph/graph.h"

/* How a command reads the graph. */
typedef enum graph_cli_mode {
	GRAPH_CLI_NONE,     /* no graph */
	GRAPH_CLI_REPORT,   /* only reports on it: through the header cache */
	GRAPH_CLI_ACT,      /* changes a database or writes revisions: every file read */
} graph_cli_mode;

/* Load config and graph; prints the error and returns the exit status on failure. */
int graph_cli_open(cli_global *g, retort_config **cfg, retort_graph **graph, graph_cli_mode mode);
/*
 * For the commands that take one REV (show, edit): load config and graph
 * through the header cache, and append the revisions `ident` names to
 * `revs` (`current`: the database's revisions, read creating nothing).
 * 0, or the exit status after printing the error.
 */
int graph_cli_open_revs(cli_global *g, retort_config **cfg, retort_graph **graph, retort_vec *revs,
	const char *ident);
/* Load the graph of `cfg` the way `mode` says (not GRAPH_CLI_NONE). */
int graph_cli_load(retort_graph **graph, const retort_config *cfg, graph_cli_mode mode);
/*
 * A command is done with its graph (NULL is fine).  The process ends next,
 * so the graph is left to the kernel: freeing a 10,000-revision graph
 * block by block takes ~6 ms, a sixth of `retort heads`.  It stays
 * reachable, so no leak is reported; builds for leak checkers
 * (RETORT_FREE_AT_EXIT) free it, and the library's tests free graphs.
 */
void graph_cli_done(retort_graph *graph);

struct retort_db_status;
/*
 * `current` as an identifier (show current, edit current, history -r
 * -2:current): when `ident` names it on either side of a range, read the
 * database's heads (creating nothing) into *st; otherwise *st stays NULL.
 * Prints the error and returns the exit status on failure, else 0.
 */
int graph_cli_current(struct retort_db_status **st, const retort_config *cfg,
	const retort_graph *graph, const char *ident);
/* The heads of `st` as resolve wants them: NULL without a status, never NULL with one. */
const char *const *graph_cli_current_ids(const struct retort_db_status *st, size_t *n);

/* Which parts of the one-line form to show. */
#define GRAPH_CLI_PARENTS 1   /* "down -> " prefix */
#define GRAPH_CLI_TREE 2      /* (branchpoint) (mergepoint) */
#define GRAPH_CLI_DOC 4       /* ", message" */
#define GRAPH_CLI_CURRENT 8   /* " (current)": the database is at this revision */
#define GRAPH_CLI_COLOR 16    /* the id in color (--color) */

void graph_cli_line(retort_buf *out, const retort_revision *rev, int parts);
/* The verbose block: Rev, Parent/Merges, Also depends on, Branches into, Branch names, Path, message. */
void graph_cli_entry(retort_buf *out, const retort_revision *rev, bool color);

struct json_t;
struct json_t *graph_cli_json(const retort_revision *rev);

/*
 * The template for new revisions of `format` (see graph_cli_create), for
 * commands that render one themselves (squash).  Caller frees; NULL after
 * printing an error.
 */
char *graph_cli_template(const retort_config *cfg, retort_script_format format);

struct retort_revision_opts;
/*
 * Write a new revision (revision, merge) and print its path, or
 * {"path": ...} with --json; returns the exit status.  The file is
 * rendered from the template for ro->format: the migrations directory's
 * own script.sql.tmpl / script.c.tmpl when present (init copies them
 * there so a project can edit them), else the built-in generic one.
 */
int graph_cli_create(cli_global *g, const retort_config *cfg, const retort_graph *graph,
	struct retort_revision_opts *ro);

/* Print the buffer to stdout; returns 0 or 1 on a write error. */
int graph_cli_print(const retort_buf *buf);

#endif
