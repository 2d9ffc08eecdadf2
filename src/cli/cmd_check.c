/*
 * cmd_check.c - `retort check [--from-db] [--rename T.OLD=NEW]`: the CI
 * gate for autogenerate.  Exit 1 and print the SQL when the migrations
 * (replayed to head in a scratch database, or the live database with
 * --from-db) differ from target_schema; exit 0 when they match.
 */
#include "autogen_cli.h"

static int compare(retort_changeset **out, retort_project *project, const void *payload)
{
	return retort_project_check(out, project, payload);
}

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
		"Exit 0 when they match, 1 when a revision is needed (its SQL is printed), 2 when\n"
		"they cannot be compared (target_schema or a migration does not load)." };
	const autogen_cli_words words = {
		"No changes detected: the migrations match target_schema.",
		"the migrations at head differ from target_schema; a revision needs:", NULL,
	};
	retort_check_options copts = RETORT_CHECK_OPTIONS_INIT;
	retort_vec args = RETORT_VEC_INIT;
	int rc;

	if ((rc = cli_begin(argc, argv, opts, &usage, g, &args, 0, 0)) == CLI_CONTINUE) {
		copts.from_database = from_db;
		copts.renames = (const char *const *)renames.items;
		copts.renames_count = renames.len;
		rc = autogen_cli_run(g, compare, &copts, &words);
	}
	retort_vec_dispose(&renames, false);
	retort_vec_dispose(&args, false);
	return rc;
}
