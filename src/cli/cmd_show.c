/*
 * cmd_show.c - `retort show REV`: the verbose block of each revision REV
 * names (an id, prefix, label, LABEL@head, heads...), or a JSON array.
 */
#include <jansson.h>

#include "graph_cli.h"

int cmd_show(int argc, char **argv, cli_global *g)
{
	const cli_option opts[] = { CLI_OPT_END_MARKER };
	const cli_usage usage = { "show", "[options] REV", "show one revision",
		"REV is an id, a unique prefix, head, heads, LABEL@head, REV-N, or current\n"
		"(the database's revisions).  base and LABEL@base name no revision." };
	retort_vec args = RETORT_VEC_INIT, revs = RETORT_VEC_INIT;
	retort_buf out = RETORT_BUF_INIT;
	retort_config *cfg = NULL;
	retort_graph *graph = NULL;
	int rc;

	if ((rc = cli_begin(argc, argv, opts, &usage, g, &args, 1, 1)) != CLI_CONTINUE)
		goto done;
	if ((rc = graph_cli_open_revs(g, &cfg, &graph, &revs, args.items[0])) != 0)
		goto done;
	if (!revs.len && !g->json) {
		/* base, LABEL@base, current at base: nothing to show, as in Alembic */
		if (g->verbosity >= 0)
			fprintf(stderr, "retort: '%s' names no revision (base)\n", (const char *)args.items[0]);
		rc = 0;
		goto done;
	}
	if (g->json) {
		json_t *a = json_array();
		for (size_t i = 0; i < revs.len; i++)
			json_array_append_new(a, graph_cli_json(revs.items[i]));
		rc = cli_json_print(a);
		goto done;
	}
	for (size_t i = 0; i < revs.len; i++)
		graph_cli_entry(&out, revs.items[i], g->color);
	rc = graph_cli_print(&out);
done:
	retort_buf_dispose(&out);
	retort_vec_dispose(&revs, false);
	retort_vec_dispose(&args, false);
	graph_cli_done(graph);
	retort_config_free(cfg);
	return rc;
}
