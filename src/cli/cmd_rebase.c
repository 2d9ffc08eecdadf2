/*
 * cmd_rebase.c - `retort rebase [--base GITREF] [--force] [--dry-run]`:
 * put the revisions this branch added since the base commit on top of the
 * base's head, by changing the Revises line of the first of them, so the
 * branch merges as a straight line.  Refuses while the configured database
 * has one of them applied (it would then claim a parent it never ran).
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "git/rebase.h"
#include "graph/graph.h"
#include "run/migrate.h"

static char *joined(const retort_vec *ids)
{
	retort_buf b = RETORT_BUF_INIT;

	for (size_t i = 0; i < ids->len; i++)
		retort_buf_printf(&b, "%s%s", i ? ", " : "", (const char *)ids->items[i]);
	retort_buf_grow(&b, 1);
	return retort_buf_detach(&b);
}

/* 0 when no new revision is applied to the configured database, else the exit status. */
static int check_database(const retort_config *cfg, const retort_rebase_plan *plan)
{
	retort_graph *graph = NULL;
	retort_vec applied = RETORT_VEC_INIT;
	char *url = NULL, *old = NULL;
	int rc = 0;

	if (!cfg->url)
		return 0;
	/* a history that does not form a graph yet still has a version table to read */
	if (retort_graph_load(&graph, cfg) < 0)
		graph = NULL;
	if ((rc = retort_migrate_applied(&applied, &url, cfg, graph,
			(const char *const *)plan->new_revisions.items, plan->new_revisions.len)) < 0) {
		rc = cli_fail(rc);
		cli_error("cannot tell whether the database has the new revisions applied; "
			"rebase with --force if it does not");
		goto done;
	}
	old = joined(&plan->old_revises);
	for (size_t i = 0; i < applied.len; i++) {
		const retort_applied *a = applied.items[i];
		cli_error("revision %s is applied to the database at %s%s%s, on top of %s: rebased, "
			"it would follow %s instead, and that database's history would no longer be the "
			"graph's; downgrade the database below it first, or rebase with --force",
			a->revision, url, a->applied_at ? " since " : "", a->applied_at ? a->applied_at : "",
			old, plan->base_head);
		rc = CLI_EXIT_FAIL;
	}
done:
	for (size_t i = 0; i < applied.len; i++)
		retort_applied_free(applied.items[i]);
	retort_vec_dispose(&applied, false);
	retort_graph_free(graph);
	free(url);
	free(old);
	return rc;
}

static void report(const cli_global *g, const retort_rebase_plan *p, bool dry_run)
{
	char *old = joined(&p->old_revises), *now = joined(&p->new_revises);

	if (g->json) {
		cli_json_print(json_pack("{s:s, s:s, s:s?, s:s?, s:s?, s:s?, s:s?, s:b, s:b}",
			"base", p->base_name, "commit", p->base_id, "base_head", p->base_head,
			"revision", p->root, "path", p->root_path, "revises_before", p->root ? old : NULL,
			"revises", p->root ? now : NULL, "changed", p->root && !dry_run,
			"base_head_missing", p->head_missing));
	} else if (!p->root) {
		cli_info(g, "Nothing to rebase onto %s (%.12s): %s.\n", p->base_name, p->base_id, p->why);
	} else {
		printf("%s%s: Revises: %s -> %s\n", dry_run ? "would change " : "", p->root_path, old, now);
		cli_info(g, "%zu new revision(s) now follow %s, the head of %s (%.12s).\n",
			p->new_revisions.len, p->base_head, p->base_name, p->base_id);
		if (p->head_missing)
			cli_info(g, "%s is not in this working tree yet: the history is whole once the base "
				"is merged (git merge %s).\n", p->base_head, p->base_name);
	}
	free(old);
	free(now);
}

int cmd_rebase(int argc, char **argv, cli_global *g)
{
	const char *base = NULL;
	bool force = false, dry_run = false;
	const cli_option opts[] = {
		{ CLI_OPT_STRING, 0, "base", &base, "GITREF", "rebase onto this commit's head revision (default: as lint picks its base)" },
		{ CLI_OPT_FLAG, 0, "force", &force, NULL, "do not check whether the configured database has the new revisions applied" },
		{ CLI_OPT_FLAG, 0, "dry-run", &dry_run, NULL, "say what would change, change nothing" },
		CLI_OPT_END_MARKER,
	};
	const cli_usage usage = { "rebase", "[--base GITREF] [--force] [--dry-run]",
		"put the branch's new revisions on top of the base's head",
		"The new revisions are those the base commit does not have (read from git, as\n"
		"lint does).  The first of them gets the base's head as its parent, in its\n"
		"Revises line; ids and every other byte stay.  Refused when the base has several\n"
		"heads, when the new revisions do not form one line (several starts, several\n"
		"ends, a new base), or when the configured database has one of them applied\n"
		"(unless --force)." };
	retort_vec args = RETORT_VEC_INIT;
	retort_config *cfg = NULL;
	retort_rebase_plan *plan = NULL;
	int rc;

	if ((rc = cli_begin(argc, argv, opts, &usage, g, &args, 0, 0)) != CLI_CONTINUE)
		goto done;
	if ((rc = cli_load_config(g, &cfg)) != 0)
		goto done;
	if ((rc = retort_rebase_plan_make(&plan, cfg, base)) < 0) {
		rc = cli_fail(rc);
		goto done;
	}
	if (plan->root && !force && !dry_run && (rc = check_database(cfg, plan)) != 0)
		goto done;
	if (!dry_run && (rc = retort_rebase_apply(plan)) < 0) {
		rc = cli_fail(rc);
		goto done;
	}
	report(g, plan, dry_run);
	rc = 0;
done:
	retort_rebase_plan_free(plan);
	retort_config_free(cfg);
	retort_vec_dispose(&args, false);
	return rc;
}
