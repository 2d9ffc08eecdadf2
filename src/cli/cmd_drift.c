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
#include "base/buf.h"
#include "graph/graph.h"

static void print_summary(const cli_global *g, const retort_diff *d, bool edited)
{
	printf("%s-- %zu change%s %s:%s\n", cli_color_on(g, CLI_COLOR_HEADING),
		d->ops.len, d->ops.len == 1 ? "" : "s",
		edited ? "between the (edited) migrations and the live schema" : "made outside the migrations",
		cli_color_off(g));
	for (size_t i = 0; i < d->ops.len; i++) {
		const retort_op *op = d->ops.items[i];
		retort_buf target = RETORT_BUF_INIT;
		retort_op_target(&target, op);
		printf("--   %s %s%s\n", retort_op_kind_name(op->kind), target.ptr,
			op->destructive ? " (destructive)" : "");
		retort_buf_dispose(&target);
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
	retort_config *cfg = NULL;
	retort_graph *graph = NULL;
	retort_autogen *ag = NULL;
	int rc;

	if ((rc = cli_begin(argc, argv, opts, &usage, g, &args, 0, 0)) != CLI_CONTINUE)
		goto done;
	if ((rc = cli_load_config(g, &cfg)) != 0)
		goto done;
	if ((rc = retort_graph_load(&graph, cfg)) < 0 || (rc = retort_autogen_drift(&ag, cfg, graph)) < 0) {
		/* 1 means "they differ": whatever stopped the comparison is 2, so CI can tell. */
		cli_fail(rc);
		rc = CLI_EXIT_USAGE;
		goto done;
	}
	if (g->json) {
		json_t *o = autogen_cli_json(ag, ag->up), *edited = json_array();
		for (size_t i = 0; i < ag->edited.len; i++) {
			const retort_revision *rev = ag->edited.items[i];
			json_array_append_new(edited, json_pack("{s:s, s:s}", "revision", rev->id,
				"path", rev->script->path));
		}
		json_object_set_new(o, "edited", edited);
		cli_json_print(o);
	} else {
		/* an edited script explains a difference better than blaming the database */
		for (size_t i = 0; i < ag->edited.len; i++) {
			const retort_revision *rev = ag->edited.items[i];
			cli_warning("applied revision %s (%s) was edited since it ran: the expected schema "
				"comes from the edited file, so a difference below may be the edit's",
				rev->id, rev->script->path);
		}
		if (ag->up->ops.len == 0 && ag->edited.len) {
			cli_info(g, "The schema matches its migrations as they are now, but %zu applied "
				"revision(s) were edited since they ran.\n", ag->edited.len);
		} else if (ag->up->ops.len == 0) {
			cli_info(g, "No drift: the schema matches its migrations.\n");
		} else {
			print_summary(g, ag->up, ag->edited.len > 0);
			autogen_cli_print(ag->up, "the SQL of those changes:");
			autogen_cli_print(ag->down, "to undo them:");
		}
	}
	rc = ag->up->ops.len || ag->edited.len ? CLI_EXIT_FAIL : CLI_EXIT_OK;
done:
	retort_autogen_free(ag);
	retort_graph_free(graph);
	retort_config_free(cfg);
	retort_vec_dispose(&args, false);
	return rc;
}
