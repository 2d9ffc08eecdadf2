/*
 * cmd_heads.c - `retort heads [--resolve-dependencies]`: the revisions
 * nothing revises, one per line as Alembic prints them ("id (label)
 * (head)"), the verbose block with -v, or a JSON array.
 * --resolve-dependencies also hides heads that another revision depends
 * on, because upgrading to the others brings them along.
 */
#include <jansson.h>
#include <stdlib.h>

#include "graph_cli.h"

int cmd_heads(int argc, char **argv, cli_global *g)
{
	bool resolve = false;
	const cli_option opts[] = {
		{ CLI_OPT_FLAG, 0, "resolve-dependencies", &resolve, NULL,
		  "treat Depends On as a down revision (hide heads others depend on)" },
		CLI_OPT_END_MARKER
	};
	const cli_usage usage = { "heads", "[options]", "show the head revision(s)", NULL };
	retort_vec args = RETORT_VEC_INIT, heads = RETORT_VEC_INIT;
	retort_buf out = RETORT_BUF_INIT;
	retort_config *cfg = NULL;
	retort_graph *graph = NULL;
	int rc;

	if ((rc = cli_begin(argc, argv, opts, &usage, g, &args, 0, 0)) != CLI_CONTINUE)
		goto done;
	if ((rc = graph_cli_open(g, &cfg, &graph, GRAPH_CLI_REPORT)) != 0)
		goto done;
	if (resolve)
		retort_graph_heads_resolved(&heads, graph);
	else
		for (size_t i = 0; i < retort_graph_heads(graph)->len; i++)
			retort_vec_push(&heads, retort_graph_heads(graph)->items[i]);

	if (g->json) {
		json_t *a = json_array();
		for (size_t i = 0; i < heads.len; i++)
			json_array_append_new(a, graph_cli_json(heads.items[i]));
		rc = cli_json_print(a);
		goto done;
	}
	for (size_t i = 0; i < heads.len; i++) {
		if (g->verbosity > 0)
			graph_cli_entry(&out, heads.items[i], g->color);
		else
			graph_cli_line(&out, heads.items[i], g->color ? GRAPH_CLI_COLOR : 0);
	}
	rc = graph_cli_print(&out);
done:
	retort_buf_dispose(&out);
	retort_vec_dispose(&heads, false);
	retort_vec_dispose(&args, false);
	graph_cli_done(graph);
	retort_config_free(cfg);
	return rc;
}
