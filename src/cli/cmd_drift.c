/*
 * cmd_drift.c - `retort drift`: exit 1 when the live database's schema is
 * not what its applied migrations produce (someone changed it by hand, or
 * a script was edited after it ran), printing what changed; exit 0 when it
 * matches.  The expected schema comes from replaying the migrations to the
 * database's own heads in a scratch database.
 */
#include "autogen_cli.h"

static int compare(retort_autogen **out, const retort_config *cfg, const retort_graph *graph,
	const void *payload)
{
	(void)payload;
	return retort_autogen_drift(out, cfg, graph);
}

int cmd_drift(int argc, char **argv, cli_global *g)
{
	const cli_option opts[] = { CLI_OPT_END_MARKER };
	const cli_usage usage = { "drift", "",
		"fail if the live schema differs from its migrations",
		"Replays the migrations up to the database's current heads in a scratch\n"
		"database and compares that with the live schema.  Exit 0 when they match, 1\n"
		"when they differ: the SQL printed is what changed outside the migrations; 2 when\n"
		"they cannot be compared." };
	const autogen_cli_words words = {
		"No drift: the schema matches its migrations.",
		"the live schema differs from its migrations; changes made outside them:",
		"to undo them:",
	};
	retort_vec args = RETORT_VEC_INIT;
	int rc;

	if ((rc = cli_begin(argc, argv, opts, &usage, g, &args, 0, 0)) == CLI_CONTINUE)
		rc = autogen_cli_run(g, compare, NULL, &words);
	retort_vec_dispose(&args, false);
	return rc;
}
