/*
 * cmd_squash.c - `retort squash [FROM:]TO -m MSG`: one baseline revision in
 * place of a run of revisions, its upgrade the schema they build; and
 * `retort squash --prune`: remove the files baselines replaced, once no
 * database is inside one of their ranges.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>

#include "autogen/squash.h"
#include "graph_cli.h"

static int prune(cli_global *g, const retort_config *cfg, const retort_graph *graph, bool force)
{
	retort_vec removed = RETORT_VEC_INIT;
	int rc;

	if ((rc = retort_squash_prune(&removed, cfg, graph, force)) < 0) {
		rc = cli_fail(rc);
		goto done;
	}
	if (g->json) {
		json_t *a = json_array();
		for (size_t i = 0; i < removed.len; i++)
			json_array_append_new(a, json_string(removed.items[i]));
		rc = cli_json_print(json_pack("{s:o}", "removed", a));
		goto done;
	}
	for (size_t i = 0; i < removed.len; i++)
		printf("removed %s\n", (const char *)removed.items[i]);
	if (!removed.len)
		cli_info(g, "No replaced files to remove.\n");
	else if (!cfg->url && !force)
		cli_warning("no database is configured, so none was checked: make sure 'retort current -v' "
			"says no database needs the removed files");
	rc = 0;
done:
	retort_vec_dispose(&removed, true);
	return rc;
}

static int squash(cli_global *g, const retort_config *cfg, const retort_graph *graph,
	const retort_squash_opts *so)
{
	retort_squash_result *r = NULL;
	int rc;

	if ((rc = retort_squash(&r, cfg, graph, so)) < 0)
		return cli_fail(rc);
	if (g->json) {
		rc = cli_json_print(json_pack("{s:s, s:s, s:I, s:s, s:s, s:I, s:b}", "path", r->path,
			"revision", r->revision, "replaces", (json_int_t)r->replaced, "first", r->first,
			"tip", r->tip, "data_migrations", (json_int_t)r->data_migrations,
			"foreign_keys_off", r->foreign_keys_off));
	} else {
		printf("%s\n", r->path);
		cli_info(g, "Baseline %s replaces %zu revisions (%s .. %s).\n", r->revision, r->replaced,
			r->first, r->tip);
		if (r->data_migrations)
			cli_info(g, "%zu data migration(s) among them are listed in the file: review them; "
				"the baseline does not run them.\n", r->data_migrations);
		cli_info(g, "Their files stay until 'retort squash --prune', for databases inside the range.\n");
	}
	retort_squash_result_free(r);
	return rc;
}

int cmd_squash(int argc, char **argv, cli_global *g)
{
	const char *message = NULL, *rev_id = NULL;
	bool do_prune = false, force = false;
	const cli_option opts[] = {
		{ CLI_OPT_STRING, 'm', "message", &message, "MSG", "the baseline's message" },
		{ CLI_OPT_STRING, 0, "rev-id", &rev_id, "ID", "use this id instead of a random one" },
		{ CLI_OPT_FLAG, 0, "prune", &do_prune, NULL, "remove the files baselines replaced" },
		{ CLI_OPT_FLAG, 0, "force", &force, NULL, "with --prune: do not check the configured database" },
		CLI_OPT_END_MARKER
	};
	const cli_usage usage = { "squash", "[FROM:]TO -m MSG | --prune [--force]",
		"replace a run of revisions with one baseline",
		"Writes a baseline revision whose upgrade creates the schema as of TO, from the\n"
		"schema before FROM (from nothing when FROM is left out), and whose header\n"
		"lists the revisions it replaces.  A fresh database runs the baseline; one at\n"
		"TO is at the baseline; one inside the range runs the rest of it first.  Data\n"
		"migrations in the range are listed in the file for review.  --prune removes\n"
		"the replaced files, after checking that the configured database does not\n"
		"need them (retort current -v tells for any database)." };
	retort_vec args = RETORT_VEC_INIT;
	retort_config *cfg = NULL;
	retort_graph *graph = NULL;
	retort_squash_opts so = { 0 };
	char *tmpl = NULL;
	int rc;

	if ((rc = cli_begin(argc, argv, opts, &usage, g, &args, 0, 1)) != CLI_CONTINUE)
		goto done;
	if (do_prune == (args.len == 1) || (!do_prune && !message) || (do_prune && (message || rev_id))) {
		cli_error(do_prune ? "--prune takes no range, -m or --rev-id" :
			!args.len ? "name the range to squash ([FROM:]TO), or --prune" :
			"a squash needs -m MSG");
		cli_print_usage(stderr, opts, &usage);
		rc = CLI_EXIT_USAGE;
		goto done;
	}
	if ((rc = graph_cli_open(g, &cfg, &graph, GRAPH_CLI_ACT)) != 0)
		goto done;
	if (do_prune) {
		rc = prune(g, cfg, graph, force);
		goto done;
	}
	if (!(tmpl = graph_cli_template(cfg, RETORT_SCRIPT_SQL))) {
		rc = CLI_EXIT_FAIL;
		goto done;
	}
	so.range = args.items[0];
	so.message = message;
	so.rev_id = rev_id;
	so.template_text = tmpl;
	rc = squash(g, cfg, graph, &so);
done:
	free(tmpl);
	retort_vec_dispose(&args, false);
	retort_graph_free(graph);
	retort_config_free(cfg);
	return rc;
}
