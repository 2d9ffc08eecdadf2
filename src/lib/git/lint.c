/*
 * lint.c - compare the migration history at a base commit with the
 * working tree (see lint.h).  What is checked inside each new revision is
 * rules/report.c's; this file knows what git adds: the base, what was
 * edited, deleted or pruned since, the heads on both sides and the rebase
 * that would join them, what came to the base after the branch forked,
 * and other branches a new squash would strand.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/common.h"
#include "git/gitsource.h"
#include "graph/graph.h"
#include "git/lint.h"
#include "git/rebase.h"
#include "graph/script.h"

/*
 * The statement rules over the working tree's revisions in upgrade order:
 * the new ones are reported, the others only teach the rules the schema
 * they build.
 */
static int check_revisions(retort_lint_report *r, const retort_vec *current, const retort_map *base_ids)
{
	retort_vec order = RETORT_VEC_INIT;
	int error = 0;

	retort_lint_order(&order, current);
	for (size_t i = 0; i < order.len && !error; i++) {
		const retort_script *s = order.items[i];
		error = retort_lint_revision(r, s, !retort_map_has(base_ids, s->revision));
	}
	retort_vec_dispose(&order, false);
	return error;
}

/* Ids the working tree's baselines replace: id -> the baseline's script. */
static void index_replaced(retort_map *out, const retort_vec *scripts)
{
	for (size_t i = 0; i < scripts->len; i++) {
		retort_script *s = scripts->items[i];
		for (size_t j = 0; j < s->replaces.len; j++)
			retort_map_set(out, s->replaces.items[j], s);
	}
}

/*
 * Base revisions gone from the working tree: an error, unless a baseline
 * replaces them (pruned), which is one warning per baseline.
 */
static void check_kept(retort_lint_report *r, const retort_vec *base, const retort_map *cur_ids,
	const retort_map *replaced, const retort_map *at_fork, retort_vec *later)
{
	retort_map pruned = RETORT_MAP_INIT; /* baseline id -> count */

	for (size_t i = 0; i < base->len; i++) {
		retort_script *b = base->items[i], *c = retort_map_get(cur_ids, b->revision), *by;
		if (!c && (by = retort_map_get(replaced, b->revision)) != NULL) {
			size_t n = (size_t)retort_map_get(&pruned, by->revision);
			retort_map_set(&pruned, by->revision, (void *)(n + 1));
		} else if (!c && at_fork && !retort_map_has(at_fork, b->revision)) {
			/* not deleted here: it came to the base after this branch forked */
			retort_vec_push(later, b->revision);
		} else if (!c) {
			retort__lint_add(r, "R002", b->path, 0, b->revision,
				"revision %s was deleted since the base: databases that applied it "
				"would be stranded", b->revision);
		} else if (!retort_script_checksum(c) /* unreadable now: cannot be the same */ ||
				strcmp(retort_script_checksum(b), retort_script_checksum(c)) != 0) {
			retort__lint_add(r, "R001", c->path, 0, c->revision,
				"revision %s was edited since the base: databases that applied it "
				"will not see the change (write a new revision instead)", c->revision);
		}
	}
	for (size_t i = 0; i < pruned.len; i++)
		retort__lint_add(r, "R011", "", 0, pruned.keys[i],
			"%zu revision(s) baseline %s replaces were pruned since the base: a database still "
			"inside that range can no longer be upgraded ('retort current -v' on a database says "
			"whether it is)", (size_t)pruned.vals[i], pruned.keys[i]);
	retort_map_dispose(&pruned, false);
}

/*
 * Revisions on other branches that revise an id inside a range the working
 * tree's baselines replace: once this squash is merged they have no parent.
 */
static void check_branches(retort_lint_report *r, const retort_vec *branches,
	const retort_graph *g, const retort_map *cur_ids)
{
	for (size_t i = 0; branches && g && i < branches->len; i++) {
		const retort_branch_script *b = branches->items[i];
		const retort_script *s = b->script;
		if (retort_map_has(cur_ids, s->revision) || retort_graph_replaced_by(g, s->revision))
			continue;
		for (size_t j = 0; j < s->revises.len; j++) {
			const char *p = s->revises.items[j];
			const retort_revision *by = retort_graph_replaced_by(g, p);
			if (!by || retort_graph_lookup(g, p))
				continue;
			retort__lint_add(r, "R012", s->path, s->header_line, s->revision,
				"revision %s on branch '%s' revises %s, which baseline %s replaces: the squash "
				"leaves it without a parent (only %s, the last revision replaced, stands for the "
				"baseline); squash a shorter range, or have that branch run 'retort rebase' "
				"once it has this squash", s->revision, b->branch, p, by->id,
				retort_revision_baseline_tip(by));
		}
	}
}

/* The command that puts the new revisions on the base's head, when it can; NULL otherwise. */
static char *rebase_advice(const retort_lint_report *r, const retort_graph *bg, const retort_vec *current)
{
	retort_rebase_plan plan;
	char *advice = NULL;

	memset(&plan, 0, sizeof(plan));
	if (retort_rebase_compare(&plan, bg, current) == 0 && plan.root)
		advice = retort__sprintf("run 'retort rebase%s%s' to put %s on top of %s",
			r->base_ref ? " --base " : "", r->base_ref ? r->base_ref : "", plan.root,
			plan.base_head);
	free(plan.base_head);
	free(plan.root);
	free(plan.root_path);
	retort_vec_dispose(&plan.new_revisions, true);
	retort_vec_dispose(&plan.old_revises, true);
	retort_vec_dispose(&plan.new_revises, true);
	return advice;
}

/* Base revisions this branch forked before: the merge to make, and the rebase that goes with it. */
static void report_later(retort_lint_report *r, const retort_vec *later, const char *advice)
{
	retort_buf ids = RETORT_BUF_INIT;
	const char *ref = r->base_ref ? r->base_ref : r->base_name;

	for (size_t i = 0; i < later->len; i++)
		retort_buf_printf(&ids, "%s%s", i ? ", " : "", (const char *)later->items[i]);
	if (advice)
		retort__lint_add(r, "R013", "", 0, NULL, "the base has revisions this branch forked before "
			"(%s): %s, then merge the base ('git merge %s'); or merge it first and join the "
			"heads with 'retort merge -m MSG heads'", ids.ptr, advice, ref);
	else
		retort__lint_add(r, "R013", "", 0, NULL, "the base has revisions this branch forked before "
			"(%s): merge the base ('git merge %s') and lint again", ids.ptr, ref);
	retort_buf_dispose(&ids);
}

int retort_lint_compare(retort_lint_report *r, retort_vec *base, retort_vec *current,
	const retort_vec *branches, const retort_vec *fork)
{
	retort_map base_ids = RETORT_MAP_INIT, cur_ids = RETORT_MAP_INIT, replaced = RETORT_MAP_INIT;
	retort_map at_fork = RETORT_MAP_INIT, ids = RETORT_MAP_INIT;
	retort_vec later = RETORT_VEC_INIT;
	retort_graph *bg = NULL, *g = NULL;
	bool parents_missing = false;
	char *graph_error = NULL, *advice = NULL;
	int error;

	r->base_revisions = base->len;
	r->revisions = current->len;
	for (size_t i = 0; i < base->len; i++) {
		retort_script *s = base->items[i];
		retort_map_set(&base_ids, s->revision, s);
	}
	for (size_t i = 0; i < current->len; i++) {
		retort_script *s = current->items[i];
		retort_map_set(&cur_ids, s->revision, s);
	}
	index_replaced(&replaced, current);
	for (size_t i = 0; fork && i < fork->len; i++)
		retort_map_set(&at_fork, ((retort_script *)fork->items[i])->revision, (void *)1);
	/* What the base had must be there unchanged, or replaced by a baseline. */
	check_kept(r, base, &cur_ids, &replaced, fork ? &at_fork : NULL, &later);
	/* New revisions: parents must exist. */
	for (size_t i = 0; i < current->len; i++) {
		retort_script *s = current->items[i];
		if (retort_map_has(&base_ids, s->revision))
			continue;
		r->new_revisions++;
		for (size_t j = 0; j < s->revises.len; j++) {
			/* an id a baseline replaces is the graph's to judge */
			if (!retort_map_has(&cur_ids, s->revises.items[j]) &&
					!retort_map_has(&replaced, s->revises.items[j])) {
				retort__lint_add(r, "R004", s->path, s->header_line, s->revision,
					"revision %s revises '%s', which no script defines",
					s->revision, (const char *)s->revises.items[j]);
				parents_missing = true;
			}
		}
	}
	error = check_revisions(r, current, &base_ids);
	retort_map_dispose(&base_ids, false);
	retort_map_dispose(&cur_ids, false);
	retort_map_dispose(&replaced, false);

	/* Heads: graphs take the scripts over from here. */
	if (retort_graph_build(&bg, base) == 0) {
		r->base_heads = retort_graph_heads(bg)->len;
		advice = rebase_advice(r, bg, current);
	}
	for (size_t i = 0; i < current->len; i++)
		retort_map_set(&ids, ((retort_script *)current->items[i])->revision, (void *)1);
	if (retort_graph_build(&g, current) == 0)
		r->heads = retort_graph_heads(g)->len;
	else
		graph_error = retort__strdup(retort_error_last()->message);
	check_branches(r, branches, g, &ids);
	if (graph_error && !parents_missing)
		retort__lint_add(r, "R005", "", 0, NULL, "%s", graph_error);
	if (later.len)
		report_later(r, &later, advice);
	if (r->heads > 0 && r->base_heads > 0 && r->heads > r->base_heads)
		retort__lint_add(r, "R003", "", 0, NULL,
			"the history has %zu heads where the base had %zu: %s%s", r->heads, r->base_heads,
			advice ? advice : "join them with 'retort merge -m MSG heads'",
			advice ? ", or join them with 'retort merge -m MSG heads'" : "");
	else if (r->heads > 1 && r->base_heads == 0 && base->len == 0)
		retort__lint_add(r, "R003", "", 0, NULL,
			"the history has %zu heads: join them with 'retort merge -m MSG heads'", r->heads);
	free(graph_error);
	free(advice);
	retort_map_dispose(&at_fork, false);
	retort_map_dispose(&ids, false);
	retort_vec_dispose(&later, false);
	retort_graph_free(bg);
	retort_graph_free(g);
	retort_lint_report_finish(r);
	return error;
}

/*
 * Whether the working tree squashed or pruned since the base: a baseline
 * the base does not have, or a base revision a baseline replaces whose
 * file is gone.  Only then are other branches worth reading.
 */
static bool squashed_since(const retort_vec *base, const retort_vec *current)
{
	retort_map base_ids = RETORT_MAP_INIT, cur_ids = RETORT_MAP_INIT, replaced = RETORT_MAP_INIT;
	bool found = false;

	for (size_t i = 0; i < base->len; i++)
		retort_map_set(&base_ids, ((retort_script *)base->items[i])->revision, (void *)1);
	for (size_t i = 0; i < current->len; i++)
		retort_map_set(&cur_ids, ((retort_script *)current->items[i])->revision, (void *)1);
	index_replaced(&replaced, current);
	for (size_t i = 0; i < current->len && !found; i++) {
		const retort_script *s = current->items[i];
		found = s->replaces.len && !retort_map_has(&base_ids, s->revision);
	}
	for (size_t i = 0; i < base->len && !found; i++) {
		const char *id = ((retort_script *)base->items[i])->revision;
		found = !retort_map_has(&cur_ids, id) && retort_map_has(&replaced, id);
	}
	retort_map_dispose(&base_ids, false);
	retort_map_dispose(&cur_ids, false);
	retort_map_dispose(&replaced, false);
	return found;
}

/* The dialect of the configured URL, 0 when there is none: lint needs no database. */
static retort_dialect_id configured_dialect(const retort_config *cfg)
{
	retort_url *url = NULL;
	retort_dialect_id dialect = 0;

	if (cfg->url && retort_url_parse(&url, cfg->url) == 0)
		dialect = url->dialect;
	retort_url_free(url);
	return dialect;
}

int retort_lint_run(retort_lint_report **out, const retort_config *cfg, const char *base_ref,
	struct retort_db *db)
{
	retort_gitsource *src = NULL;
	retort_vec base = RETORT_VEC_INIT, current = RETORT_VEC_INIT, branches = RETORT_VEC_INIT;
	retort_vec fork = RETORT_VEC_INIT;
	retort_lint_report *r = NULL;
	bool forked = false;
	int error;

	*out = NULL;
	if ((error = retort_gitsource_open(&src, cfg)) < 0 ||
	    (error = retort_gitsource_set_base(src, base_ref)) < 0 ||
	    (error = retort_gitsource_scripts(&base, src, cfg)) < 0 ||
	    (error = retort_graph_load_scripts(&current, cfg)) < 0)
		goto done;
	if (squashed_since(&base, &current) &&
	    (error = retort_gitsource_branch_scripts(&branches, src, cfg)) < 0)
		goto done;
	if ((error = retort_gitsource_fork_scripts(&fork, &forked, src, cfg)) < 0)
		goto done;
	r = retort__calloc(1, sizeof(*r));
	r->dialect = configured_dialect(cfg);
	if ((error = retort_rules_new(&r->rules, r->dialect, cfg, db)) < 0)
		goto done;
	r->base_name = retort__strdup(retort_gitsource_base_name(src));
	r->base_id = retort__strdup(retort_gitsource_base_id(src));
	r->base_ref = base_ref ? retort__strdup(base_ref) : NULL;
	if ((error = retort_lint_compare(r, &base, &current, &branches, forked ? &fork : NULL)) < 0)
		goto done;
	/* Name working-tree files from the repository's root, as git does. */
	retort_lint_report_relativize(r, retort_gitsource_workdir(src));
	*out = r;
	r = NULL;
done:
	for (size_t i = 0; i < base.len; i++)
		retort_script_free(base.items[i]);
	for (size_t i = 0; i < current.len; i++)
		retort_script_free(current.items[i]);
	retort_vec_dispose(&base, false);
	retort_vec_dispose(&current, false);
	retort_gitsource_branch_scripts_free(&branches);
	for (size_t i = 0; i < fork.len; i++)
		retort_script_free(fork.items[i]);
	retort_vec_dispose(&fork, false);
	retort_gitsource_free(src);
	retort_lint_report_free(r);
	return error;
}
