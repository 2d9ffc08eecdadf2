/*
 * cmd_check.c - `retort check [--from-db] [--rename T.OLD=NEW]`: the CI
 * gate for autogenerate.  Exit 1 and print the SQL when the migrations
 * (replayed to head in a scratch database, or the live database with
 * --from-db) differ from target_schema; exit 0 when they match.
 */
#include <jansson.h>
#include <stdio.h>

#include "autogen_cli.h"
#include "graph.h"

int cmd_check(int argc, char **argv, cli_global *g)
{
	bool from_db = false;
	retort_vec renames = RETORT_VEC_INIT;
	const cli_option opts[] = {
		{ CLI_OPT_FLAG, 0, "from-db", &from_db, NULL, "compare the live database (at head) instead of replaying the migrations" },
		{ CLI_OPT_LIST, 0, "rename", &renames, "TABLE.OLD=NEW", "treat a dropped and an added column as a rename (repeatable)" },
		CLI_OPT_END_MARKER,
	};
	const cli_usage usage = { "check", "[--from-db] [--rename TABLE.OLD=NEW]...",
		"fail if autogenerate would produce a revision",
		"Loads target_schema into a scratch database, replays the migrations to head\n"
		"in another (or reads the live database with --from-db), and compares them.\n"
		"Exit 0 when they match, 1 when a revision is needed (its SQL is printed)." };
	retort_autogen_opts aopts = { .renames = &renames };
	retort_vec args = RETORT_VEC_INIT;
	retort_config *cfg = NULL;
	retort_graph *graph = NULL;
	retort_autogen *ag = NULL;
	int rc;

	if ((rc = cli_begin(argc, argv, opts, &usage, g, &args, 0, 0)) != CLI_CONTINUE)
		goto done;
	if ((rc = cli_load_config(g, &cfg)) != 0)
		goto done;
	aopts.from_db = from_db;
	if ((rc = retort_graph_load(&graph, cfg)) < 0 ||
	    (rc = retort_autogen_target(&ag, cfg, graph, &aopts)) < 0) {
		rc = cli_fail(rc);
		goto done;
	}
	if (g->json) {
		cli_json_print(autogen_cli_json(ag, ag->up));
	} else if (ag->up->ops.len == 0) {
		cli_info(g, "No changes detected: the migrations match target_schema.\n");
	} else {
		autogen_cli_print(ag->up, "the migrations at head differ from target_schema; a revision needs:");
	}
	rc = ag->up->ops.len ? CLI_EXIT_FAIL : CLI_EXIT_OK;
done:
	retort_autogen_free(ag);
	retort_graph_free(graph);
	retort_config_free(cfg);
	retort_vec_dispose(&renames, false);
	retort_vec_dispose(&args, false);
	return rc;
}
