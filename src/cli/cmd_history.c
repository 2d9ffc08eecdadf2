/*
 * cmd_history.c - `retort history [-r A:B] [-v] [--indicate-current]`: the
 * graph newest first, one "down -> rev (labels) (head) (branchpoint),
 * message" line per revision, or the verbose block per revision with -v.
 * -r takes a range (START:END, START:, :END) in the identifier grammar.
 * --indicate-current reads the database's heads (creating nothing) and
 * marks them "(current)"; relative range ends such as -1 need those heads,
 * so they work only with it, or with `current` in the range (-2:current,
 * current:), which reads the database too.  Without it the graph is read from headers
 * alone, so this is fast on large histories.
 */
#include <jansson.h>
#include <string.h>

#include "graph_cli.h"
#include "run/migrate.h"

static bool is_current(const retort_db_status *st, const retort_revision *rev)
{
	const char *tip = retort_revision_baseline_tip(rev); /* a database there is at the baseline */

	for (size_t i = 0; st && i < st->heads.len; i++)
		if (strcmp(st->heads.items[i], rev->id) == 0 || (tip && strcmp(st->heads.items[i], tip) == 0))
			return true;
	return false;
}

int cmd_history(int argc, char **argv, cli_global *g)
{
	const char *range = NULL;
	bool indicate_current = false;
	const cli_option opts[] = {
		{ CLI_OPT_STRING, 'r', "rev-range", &range, "A:B", "only revisions between A and B (either may be empty)" },
		{ CLI_OPT_FLAG, 'i', "indicate-current", &indicate_current, NULL, "mark the database's current revisions (connects to it)" },
		CLI_OPT_END_MARKER
	};
	const cli_usage usage = { "history", "[options]", "list revisions, newest first",
		"Revisions are listed from the heads down to the bases; each line shows\n"
		"the parents, the revision, its labels and markers, and its message." };
	retort_vec args = RETORT_VEC_INIT, revs = RETORT_VEC_INIT;
	retort_buf out = RETORT_BUF_INIT;
	retort_config *cfg = NULL;
	retort_graph *graph = NULL;
	retort_db_status *st = NULL;
	const retort_db_status *mark;
	int rc;

	if ((rc = cli_begin(argc, argv, opts, &usage, g, &args, 0, 0)) != CLI_CONTINUE)
		goto done;
	if ((rc = graph_cli_open(g, &cfg, &graph, GRAPH_CLI_REPORT)) != 0)
		goto done;
	if (indicate_current && (rc = retort_migrate_status(&st, cfg, graph, false)) < 0) {
		rc = cli_fail(rc);
		goto done;
	}
	/* `current` in the range reads the database even without --indicate-current */
	if (!st && range && (rc = graph_cli_current(&st, cfg, graph, range)) != 0)
		goto done;
	if (!indicate_current)
		mark = NULL;
	else
		mark = st;
	if (range) {
		/* With the database at hand, relative forms (-1:, current:) work too. */
		size_t ncur;
		const char *const *cur = graph_cli_current_ids(st, &ncur);
		if ((rc = retort_graph_range(&revs, graph, range, cur, ncur)) < 0) {
			rc = cli_fail(rc);
			goto done;
		}
	} else {
		for (size_t i = retort_graph_count(graph); i-- > 0;)
			retort_vec_push(&revs, retort_graph_at(graph, i));
	}
	if (g->json) {
		json_t *a = json_array();
		for (size_t i = 0; i < revs.len; i++) {
			json_t *o = graph_cli_json(revs.items[i]);
			if (mark)
				json_object_set_new(o, "current", json_boolean(is_current(mark, revs.items[i])));
			json_array_append_new(a, o);
		}
		rc = cli_json_print(a);
		goto done;
	}
	retort_buf_grow(&out, revs.len * 64);
	for (size_t i = 0; i < revs.len; i++) {
		if (g->verbosity > 0)
			graph_cli_entry(&out, revs.items[i], g->color);
		else
			graph_cli_line(&out, revs.items[i], GRAPH_CLI_PARENTS | GRAPH_CLI_TREE | GRAPH_CLI_DOC |
				(g->color ? GRAPH_CLI_COLOR : 0) |
				(is_current(mark, revs.items[i]) ? GRAPH_CLI_CURRENT : 0));
	}
	rc = graph_cli_print(&out);
done:
	retort_buf_dispose(&out);
	retort_vec_dispose(&revs, false);
	retort_vec_dispose(&args, false);
	retort_db_status_free(st);
	graph_cli_done(graph);
	retort_config_free(cfg);
	return rc;
}
