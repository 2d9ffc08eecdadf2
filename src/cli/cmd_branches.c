/*
 * cmd_branches.c - `retort branches`: every branch point, newest first,
 * with the revisions it branches into, laid out as Alembic does:
 *
 *     a2 (branchpoint)
 *        -> a3 (main)
 *        -> b1 (cart) (head)
 */
#include <jansson.h>
#include <string.h>

#include "graph_cli.h"

int cmd_branches(int argc, char **argv, cli_global *g)
{
	const cli_option opts[] = { CLI_OPT_END_MARKER };
	const cli_usage usage = { "branches", "[options]", "show branch points", NULL };
	retort_vec args = RETORT_VEC_INIT;
	retort_buf out = RETORT_BUF_INIT;
	retort_config *cfg = NULL;
	retort_graph *graph = NULL;
	json_t *a = NULL;
	int rc;

	if ((rc = cli_begin(argc, argv, opts, &usage, g, &args, 0, 0)) != CLI_CONTINUE)
		goto done;
	if ((rc = graph_cli_open(g, &cfg, &graph, GRAPH_CLI_REPORT)) != 0)
		goto done;
	if (g->json)
		a = json_array();
	for (size_t i = retort_graph_count(graph); i-- > 0;) {
		retort_revision *r = retort_graph_at(graph, i);
		if (!retort_revision_is_branch_point(r))
			continue;
		if (a) {
			json_array_append_new(a, graph_cli_json(r));
			continue;
		}
		if (g->verbosity > 0)
			graph_cli_entry(&out, r, g->color);
		else
			graph_cli_line(&out, r, GRAPH_CLI_TREE | (g->color ? GRAPH_CLI_COLOR : 0));
		for (size_t j = 0; j < r->children.len; j++) {
			retort_buf_printf(&out, "%*s -> ", (int)strlen(r->id), "");
			graph_cli_line(&out, r->children.items[j], GRAPH_CLI_TREE | (g->color ? GRAPH_CLI_COLOR : 0) |
				(g->verbosity > 0 ? GRAPH_CLI_DOC : 0));
		}
		retort_buf_putc(&out, '\n');
	}
	rc = a ? cli_json_print(a) : graph_cli_print(&out);
done:
	retort_buf_dispose(&out);
	retort_vec_dispose(&args, false);
	graph_cli_done(graph);
	retort_config_free(cfg);
	return rc;
}
