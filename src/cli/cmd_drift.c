/*
 * cmd_drift.c - `retort drift`: exit 1 when the live database's schema is
 * not what its applied migrations produce (someone changed it by hand, or
 * a script was edited after it ran), printing what changed; exit 0 when it
 * matches.  The expected schema comes from replaying the migrations to the
 * database's own heads in a scratch database.
 */
#include <jansson.h>
#include <stdio.h>

#include "autogen_cli.h"
#include "graph.h"

int cmd_drift(int argc, char **argv, cli_global *g)
{
	const cli_option opts[] = { CLI_OPT_END_MARKER };
	const cli_usage usage = { "drift", "",
		"fail if the live schema differs from its migrations",
		"Replays the migrations up to the database's current heads in a scratch\n"
		"database and compares that with the live schema.  Exit 0 when they match, 1\n"
		"when they differ: the SQL printed is what changed outside the migrations." };
	retort_vec args = RETORT_VEC_INIT;
	retort_config *cfg = NULL;
	retort_graph *graph = NULL;
	retort_autogen *ag = NULL;
	int rc;

	if ((rc = cli_begin(argc, argv, opts, &usage, g, &args, 0, 0)) != CLI_CONTINUE)
		goto done;
	if ((rc = cli_load_config(g, &cfg)) != 0)
		goto done;
	if ((rc = retort_graph_load(&graph, cfg)) < 0 ||
	    (rc = retort_autogen_drift(&ag, cfg, graph)) < 0) {
		rc = cli_fail(rc);
		goto done;
	}
	if (g->json) {
		cli_json_print(autogen_cli_json(ag, ag->up));
	} else if (ag->up->ops.len == 0) {
		cli_info(g, "No drift: the schema matches its migrations.\n");
	} else {
		autogen_cli_print(ag->up, "the live schema differs from its migrations; changes made outside them:");
		autogen_cli_print(ag->down, "to undo them:");
	}
	rc = ag->up->ops.len ? CLI_EXIT_FAIL : CLI_EXIT_OK;
done:
	retort_autogen_free(ag);
	retort_graph_free(graph);
	retort_config_free(cfg);
	retort_vec_dispose(&args, false);
	return rc;
}
