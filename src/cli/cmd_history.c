/*
 * cmd_history.c - `retort history [-r A:B] [-v]`: the graph newest first,
 * one "down -> rev (labels) (head) (branchpoint), message" line per
 * revision, or the verbose block per revision with -v.  -r takes a range
 * (START:END, START:, :END) in the identifier grammar; relative forms that
 * need the database are not available here (`current` is the place for
 * them).  The graph is read from headers only, so this is fast on large
 * histories.
 */
#include <jansson.h>

#include "graph_cli.h"

int cmd_history(int argc, char **argv, cli_global *g)
{
	const char *range = NULL;
	const cli_option opts[] = {
		{ CLI_OPT_STRING, 'r', "rev-range", &range, "A:B", "only revisions between A and B (either may be empty)" },
		CLI_OPT_END_MARKER
	};
	const cli_usage usage = { "history", "[options]", "list revisions, newest first",
		"Revisions are listed from the heads down to the bases; each line shows\n"
		"the parents, the revision, its labels and markers, and its message." };
	retort_vec args = RETORT_VEC_INIT, revs = RETORT_VEC_INIT;
	retort_buf out = RETORT_BUF_INIT;
	retort_config *cfg = NULL;
	retort_graph *graph = NULL;
	int rc;

	if ((rc = cli_parse(argc, argv, opts, &usage, g, &args)) != 0 ||
	    (rc = cli_expect_args(&args, 0, 0, &usage)) != 0) {
		rc = rc == CLI_PARSED_HELP ? 0 : rc;
		goto done;
	}
	if ((rc = graph_cli_open(g, &cfg, &graph)) != 0)
		goto done;
	if (range) {
		if ((rc = retort_graph_range(&revs, graph, range, NULL, 0)) < 0) {
			rc = cli_fail(rc);
			goto done;
		}
	} else {
		for (size_t i = retort_graph_count(graph); i-- > 0;)
			retort_vec_push(&revs, retort_graph_at(graph, i));
	}
	if (g->json) {
		json_t *a = json_array();
		for (size_t i = 0; i < revs.len; i++)
			json_array_append_new(a, graph_cli_json(revs.items[i]));
		rc = cli_json_print(a);
		goto done;
	}
	retort_buf_grow(&out, revs.len * 64);
	for (size_t i = 0; i < revs.len; i++) {
		if (g->verbosity > 0)
			graph_cli_entry(&out, revs.items[i]);
		else
			graph_cli_line(&out, revs.items[i], GRAPH_CLI_PARENTS | GRAPH_CLI_TREE | GRAPH_CLI_DOC);
	}
	rc = graph_cli_print(&out);
done:
	retort_buf_dispose(&out);
	retort_vec_dispose(&revs, false);
	retort_vec_dispose(&args, false);
	retort_graph_free(graph);
	retort_config_free(cfg);
	return rc;
}
