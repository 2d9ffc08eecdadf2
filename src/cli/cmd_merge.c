/*
 * cmd_merge.c - `retort merge -m MSG REV...`: a revision whose parents are
 * the given heads ("heads" names all of them), joining branches so that
 * `head` means one revision again.  The merge itself is empty; add SQL if
 * the branches need reconciling.
 */
#include <string.h>

#include "graph_cli.h"
#include "graph/revision_new.h"

int cmd_merge(int argc, char **argv, cli_global *g)
{
	const char *message = NULL, *rev_id = NULL;
	retort_vec labels = RETORT_VEC_INIT;
	const cli_option opts[] = {
		{ CLI_OPT_STRING, 'm', "message", &message, "MSG", "what the merge is for" },
		{ CLI_OPT_LIST, 0, "branch-label", &labels, "LABEL", "label the merged branch" },
		{ CLI_OPT_STRING, 0, "rev-id", &rev_id, "ID", "use this id instead of a random one" },
		CLI_OPT_END_MARKER
	};
	const cli_usage usage = { "merge", "[options] REV...", "create a revision that merges heads",
		"REV may be 'heads' for every head.  Prints the new file's path." };
	retort_revision_opts ro;
	retort_vec args = RETORT_VEC_INIT;
	retort_config *cfg = NULL;
	retort_graph *graph = NULL;
	int rc;

	if ((rc = cli_begin(argc, argv, opts, &usage, g, &args, 1, (size_t)-1)) != CLI_CONTINUE)
		goto done;
	if ((rc = graph_cli_open(g, &cfg, &graph, GRAPH_CLI_ACT)) != 0)
		goto done;
	memset(&ro, 0, sizeof(ro));
	/* a merge is plain SQL whatever default_format says: it usually has no body */
	ro.format = RETORT_SCRIPT_SQL;
	ro.message = message;
	ro.rev_id = rev_id;
	ro.heads = (const char *const *)args.items;
	ro.nheads = args.len;
	ro.merge = true;
	ro.branch_labels = (const char *const *)labels.items;
	ro.nbranch_labels = labels.len;
	rc = graph_cli_create(g, cfg, graph, &ro);
done:
	retort_vec_dispose(&labels, false);
	retort_vec_dispose(&args, false);
	retort_graph_free(graph);
	retort_config_free(cfg);
	return rc;
}
