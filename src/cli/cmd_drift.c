/*
 * cmd_drift.c - `retort drift`: exit 1 when the live database's schema is
 * not what its applied migrations produce (someone changed it by hand, or
 * a script was edited after it ran), printing what changed; exit 0 when it
 * matches.  The expected schema comes from replaying the migrations to the
 * database's own heads in a scratch database.
 *
 * What it prints, in order: applied scripts edited since they ran (the
 * replay uses the edited files, so those come first: the difference may
 * be theirs), a one-line-per-change summary, then the SQL of the changes
 * and the SQL that undoes them.
 */
#include <jansson.h>
#include <stdio.h>

#include "autogen_cli.h"

static void print_summary(const cli_global *g, const retort_changeset *cs, bool edited)
{
	size_t n = retort_changeset_count(cs);

	printf("%s-- %zu change%s %s:%s\n", cli_color_on(g, CLI_COLOR_HEADING), n, n == 1 ? "" : "s",
		edited ? "between the (edited) migrations and the live schema" : "made outside the migrations",
		cli_color_off(g));
	for (size_t i = 0; i < n; i++) {
		const retort_change *c = retort_changeset_get(cs, i);
		printf("--   %s %s%s\n", c->kind, c->target, c->destructive ? " (destructive)" : "");
	}
}

int cmd_drift(int argc, char **argv, cli_global *g)
{
	const cli_option opts[] = { CLI_OPT_END_MARKER };
	const cli_usage usage = { "drift", "",
		"fail if the live schema differs from its migrations",
		"Replays the migrations up to the database's current heads in a scratch\n"
		"database and compares that with the live schema.  Exit 0 when they match, 1\n"
		"when they differ: first any applied script edited since it ran, then a summary,\n"
		"then the SQL of what changed outside the migrations and the SQL to undo it; 2\n"
		"when they cannot be compared." };
	retort_vec args = RETORT_VEC_INIT;
	retort_project *project = NULL;
	retort_changeset *cs = NULL;
	size_t nedited, nchanges;
	int rc;

	if ((rc = cli_begin(argc, argv, opts, &usage, g, &args, 0, 0)) != CLI_CONTINUE)
		goto done;
	if ((rc = cli_project_open(g, &project)) != 0)
		goto done;
	if ((rc = retort_project_drift(&cs, project)) < 0) {
		/* 1 means "they differ": whatever stopped the comparison is 2, so CI can tell. */
		cli_fail(rc);
		rc = CLI_EXIT_USAGE;
		goto done;
	}
	nedited = retort_changeset_edited_count(cs);
	nchanges = retort_changeset_count(cs);
	if (g->json) {
		json_t *o = autogen_cli_json(cs), *edited = json_array();
		for (size_t i = 0; i < nedited; i++) {
			const retort_revision_info *rev = retort_changeset_edited(cs, i);
			json_array_append_new(edited, json_pack("{s:s, s:s}", "revision", rev->id, "path", rev->path));
		}
		json_object_set_new(o, "edited", edited);
		cli_json_print(o);
	} else {
		/* an edited script explains a difference better than blaming the database */
		for (size_t i = 0; i < nedited; i++) {
			const retort_revision_info *rev = retort_changeset_edited(cs, i);
			cli_warning("applied revision %s (%s) was edited since it ran: the expected schema "
				"comes from the edited file, so a difference below may be the edit's",
				rev->id, rev->path);
		}
		if (nchanges == 0 && nedited) {
			cli_info(g, "The schema matches its migrations as they are now, but %zu applied "
				"revision(s) were edited since they ran.\n", nedited);
		} else if (nchanges == 0) {
			cli_info(g, "No drift: the schema matches its migrations.\n");
		} else {
			print_summary(g, cs, nedited > 0);
			autogen_cli_print(cs, "the SQL of those changes:");
			autogen_cli_print(retort_changeset_reverse(cs), "to undo them:");
		}
	}
	rc = nchanges || nedited ? CLI_EXIT_FAIL : CLI_EXIT_OK;
done:
	retort_changeset_free(cs);
	retort_project_free(project);
	retort_vec_dispose(&args, false);
	return rc;
}
