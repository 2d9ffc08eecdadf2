/*
 * baseline.c - what a baseline does to the revision graph.
 *
 * A baseline is a revision whose `Replaces:` header lists a run of
 * revisions it stands in for (`retort squash` writes them): its upgrade
 * builds in one step the schema they built.  The graph every command uses
 * has the baseline in their place.  Their files, kept until `retort squash
 * --prune`, are not revisions of it: an id of the range names the baseline
 * when it is the last one listed (the tip: what later revisions revise and
 * what a database that ran the old history holds), and nothing otherwise.
 * So a fresh database runs the baseline, and one at the tip is at the
 * baseline while its version table still says the tip's id.
 *
 * A database inside a range (at a replaced id that is not the tip) goes on
 * in the literal graph: every file a node with its Revises as written, an
 * id whose file is gone standing for the baseline that lists it last.
 * There it runs the rest of the range up to the tip, then continues in the
 * main graph from the baseline.  A target inside a range is planned in the
 * literal graph alone.  Both graphs share the scripts, so the version
 * table only ever holds ids the main graph knows.
 *
 * This module neither reads nor writes files (squash lives in autogen/),
 * and it plans through plan.c.
 */
#include <stdlib.h>
#include <string.h>

#include "base/common.h"
#include "graph/graph_int.h"

bool retort_revision_is_baseline(const retort_revision *rev)
{
	return rev->script->replaces.len > 0;
}

/* The id a baseline's later revisions revise: the last it replaces. */
static const char *tip_of(const retort_revision *baseline)
{
	const retort_vec *ids = &baseline->script->replaces;

	return ids->items[ids->len - 1];
}

const char *retort_revision_baseline_tip(const retort_revision *rev)
{
	return retort_revision_is_baseline(rev) ? tip_of(rev) : NULL;
}

retort_revision *retort_graph_replaced_by(const retort_graph *g, const char *id)
{
	return retort_map_get(&g->replaced, id);
}

retort_revision *retort_graph_lookup(const retort_graph *g, const char *id)
{
	retort_revision *r = retort_graph_get(g, id);

	if (!r && (r = retort_map_get(&g->replaced, id)) != NULL && strcmp(tip_of(r), id) != 0)
		r = NULL;
	return r;
}

void retort_graph_replaced_scripts(retort_vec *out, const retort_graph *g,
	const retort_revision *baseline)
{
	for (size_t i = 0; i < g->replaced_scripts.len; i++) {
		retort_script *s = g->replaced_scripts.items[i];
		if (retort_map_get(&g->replaced, s->revision) == baseline)
			retort_vec_push(out, s);
	}
}

bool retort__baseline_skip_labels(const retort_graph *g, const retort_revision *r)
{
	/* A baseline carries the labels of what it replaced: in the literal graph, those still do. */
	return g->borrowed && retort_revision_is_baseline(r);
}

/* Which script lists each replaced id (ids listed twice are an error). */
static int index_listers(retort_map *lister, const retort_vec *scripts)
{
	for (size_t i = 0; i < scripts->len; i++) {
		retort_script *s = scripts->items[i];
		for (size_t j = 0; j < s->replaces.len; j++) {
			retort_script *prev = retort_map_set(lister, s->replaces.items[j], s);
			if (prev && prev != s)
				return retort__error_set(RETORT_ERROR_GRAPH,
					"revision '%s' is replaced by two baselines: '%s' (%s) and '%s' (%s)",
					(char *)s->replaces.items[j], prev->revision, prev->path, s->revision, s->path);
		}
	}
	return 0;
}

static int duplicate(const retort_script *a, const retort_script *b)
{
	return retort__error_code(RETORT_EEXISTS, RETORT_ERROR_GRAPH,
		"duplicate revision id '%s' in '%s' and '%s'", a->revision, a->path, b->path);
}

/*
 * The outermost baseline over `id`: a baseline may itself be replaced by a
 * later one, whose revision then stands for everything the inner one did.
 */
static int outermost(retort_script **out, const retort_map *lister, const char *id)
{
	retort_script *p = retort_map_get(lister, id);
	size_t steps = 0;

	while (retort_map_has(lister, p->revision)) {
		p = retort_map_get(lister, p->revision);
		if (++steps > lister->len)
			return retort__error_set(RETORT_ERROR_GRAPH,
				"baselines replace each other in a circle (through '%s')", p->revision);
	}
	*out = p;
	return 0;
}

int retort__baseline_partition(retort_graph *g, retort_vec *scripts, bool literal)
{
	retort_map lister = RETORT_MAP_INIT, seen = RETORT_MAP_INIT;
	int error = index_listers(&lister, scripts);

	/* Hand every script over first, so the graph frees them whatever happens next. */
	for (size_t i = 0; i < scripts->len; i++) {
		retort_script *s = scripts->items[i];
		if (!literal && retort_map_has(&lister, s->revision)) {
			retort_vec_push(&g->replaced_scripts, s);
		} else {
			retort_revision *r = retort__calloc(1, sizeof(*r));
			r->script = s;
			r->id = s->revision;
			retort_vec_push(&g->revs, r);
		}
	}
	retort_vec_dispose(scripts, false);
	if (error < 0)
		goto done;

	retort_map_reserve(&g->by_id, g->revs.len);
	for (size_t i = 0; i < g->revs.len && !error; i++) {
		retort_revision *r = g->revs.items[i];
		retort_revision *prev = retort_map_set(&g->by_id, r->id, r);
		if (prev) {
			retort_map_set(&g->by_id, r->id, prev);
			error = duplicate(prev->script, r->script);
		}
	}
	for (size_t i = 0; i < g->replaced_scripts.len && !error; i++) {
		retort_script *s = g->replaced_scripts.items[i], *prev = retort_map_set(&seen, s->revision, s);
		if (prev)
			error = duplicate(prev, s);
	}
	for (size_t i = 0; i < lister.len && !error; i++) {
		const char *id = lister.keys[i];
		retort_script *p = lister.vals[i];
		if (literal) {
			/* only ids without a file of their own: the baseline that lists them */
			if (!retort_map_has(&g->by_id, id))
				retort_map_set(&g->replaced, id, retort_map_get(&g->by_id, p->revision));
		} else if ((error = outermost(&p, &lister, id)) == 0) {
			retort_map_set(&g->replaced, id, retort_map_get(&g->by_id, p->revision));
		}
	}
done:
	retort_map_dispose(&lister, false);
	retort_map_dispose(&seen, false);
	return error;
}

retort_revision *retort__baseline_link_target(const retort_graph *g, const retort_revision *child,
	const char *id)
{
	const retort_script *s = child->script;
	retort_revision *r = retort_graph_get(g, id), *b;

	if (r)
		return r;
	if (!(b = retort_map_get(&g->replaced, id))) {
		retort__error_code(RETORT_ENOTFOUND, RETORT_ERROR_GRAPH,
			"%s:%u: revision '%s' revises '%s', which no script defines",
			s->path, s->header_line, child->id, id);
		return NULL;
	}
	if (b == child) {
		retort__error_set(RETORT_ERROR_GRAPH, "%s:%u: baseline '%s' revises '%s', which it replaces",
			s->path, s->header_line, child->id, id);
		return NULL;
	}
	if (!strcmp(tip_of(b), id))
		return b;
	if (g->borrowed)
		retort__error_code(RETORT_ENOTFOUND, RETORT_ERROR_GRAPH,
			"%s:%u: revision '%s' revises '%s', whose file is gone (baseline '%s' replaced it "
			"and it was pruned)", s->path, s->header_line, child->id, id, b->id);
	else
		retort__error_code(RETORT_ENOTFOUND, RETORT_ERROR_GRAPH,
			"%s:%u: revision '%s' revises '%s', which baseline '%s' (%s) replaces; only the "
			"last revision it replaces ('%s') can be revised: put '%s' on '%s' or a later revision",
			s->path, s->header_line, child->id, id, b->id, b->script->path, tip_of(b),
			child->id, tip_of(b));
	return NULL;
}

void retort__baseline_literal(retort_graph *g)
{
	retort_vec all = RETORT_VEC_INIT;

	if (!g->replaced_scripts.len)
		return;
	for (size_t i = 0; i < g->revs.len; i++)
		retort_vec_push(&all, ((retort_revision *)g->revs.items[i])->script);
	for (size_t i = 0; i < g->replaced_scripts.len; i++)
		retort_vec_push(&all, g->replaced_scripts.items[i]);
	if (retort__graph_build_literal(&g->literal, &all) < 0) {
		const retort_error *e = retort_error_last();
		g->literal = NULL;
		g->literal_error = retort__strdup(e ? e->message : "unknown error");
	}
}

/* --- plans --------------------------------------------------------------- */

/* An id of a range that is not its tip: a database there is inside the range. */
static bool inside_range(const retort_graph *g, const char *id)
{
	return id && !retort_graph_lookup(g, id) && retort_map_has(&g->replaced, id);
}

static int plan_in(retort_plan **out, const retort_graph *g, retort__plan_kind kind,
	const char *const *current, size_t ncurrent, const char *const *targets, size_t ntargets,
	bool purge)
{
	switch (kind) {
	case RETORT__PLAN_UP:
		return retort__plan_upgrade_in(out, g, current, ncurrent, ntargets ? targets[0] : NULL);
	case RETORT__PLAN_DOWN:
		return retort__plan_downgrade_in(out, g, current, ncurrent, ntargets ? targets[0] : NULL);
	case RETORT__PLAN_STAMP:
		break;
	}
	return retort__plan_stamp_in(out, g, current, ncurrent, targets, ntargets, purge);
}

/* Move the steps of `p` to the end of `acc`; `acc` ends where `p` does. */
static void plan_take(retort_plan *acc, retort_plan *p)
{
	acc->steps = retort__realloc(acc->steps, (acc->nsteps + p->nsteps + 1) * sizeof(*acc->steps));
	if (p->nsteps)
		memcpy(acc->steps + acc->nsteps, p->steps, p->nsteps * sizeof(*p->steps));
	acc->nsteps += p->nsteps;
	p->nsteps = 0;
	retort_vec_dispose(&acc->final_heads, true);
	acc->final_heads = p->final_heads;
	p->final_heads = (retort_vec)RETORT_VEC_INIT;
	retort_plan_free(p);
}

/*
 * Upgrade from inside one or more ranges: in the literal graph up to each
 * range's tip, then on in the main graph from the baselines they stand for.
 */
static int finish_ranges(retort_plan **out, const retort_graph *g,
	const char *const *current, size_t ncurrent, const char *target)
{
	retort_plan *acc = retort__calloc(1, sizeof(*acc)), *p = NULL;
	size_t rounds = 0;
	int error = 0;

	for (size_t i = 0; i < ncurrent; i++)
		retort_vec_push(&acc->final_heads, retort__strdup(current[i]));
	for (;;) {
		const char *const *heads = (const char *const *)acc->final_heads.items;
		const char *inside = NULL;
		for (size_t i = 0; i < acc->final_heads.len && !inside; i++)
			if (inside_range(g, heads[i]))
				inside = heads[i];
		if (!inside)
			break;
		if (++rounds > ncurrent + g->replaced.len) {
			error = retort__error_set(RETORT_ERROR_INTERNAL,
				"cannot finish the range around '%s'", inside);
			goto done;
		}
		if ((error = retort__plan_upgrade_in(&p, g->literal, heads, acc->final_heads.len,
				tip_of(retort_map_get(&g->replaced, inside)))) < 0)
			goto done;
		plan_take(acc, p);
	}
	if ((error = retort__plan_upgrade_in(&p, g, (const char *const *)acc->final_heads.items,
			acc->final_heads.len, target)) < 0)
		goto done;
	plan_take(acc, p);
done:
	if (error < 0)
		retort_plan_free(acc);
	else
		*out = acc;
	return error;
}

/*
 * An upgrade planned in the literal graph must not run a replaced revision
 * on a database that has its baseline: that database never ran the range.
 */
static int check_literal_upgrade(const retort_graph *g, const retort_plan *plan,
	const char *const *current, size_t ncurrent)
{
	const retort_graph *lit = g->literal;
	retort_vec cur = RETORT_VEC_INIT;
	unsigned char *applied = retort__calloc(retort_graph_count(lit) + 1, 1);
	int error;

	if ((error = retort__graph_current(&cur, lit, current, ncurrent)) < 0)
		goto done;
	retort__graph_mark_ancestors(lit, applied, (retort_revision **)cur.items, cur.len,
		RETORT__WALK_PARENTS | RETORT__WALK_DEPS);
	for (size_t i = 0; i < plan->nsteps && !error; i++) {
		retort_revision *b = retort_map_get(&g->replaced, plan->steps[i].rev->id), *lb;
		if (b && (lb = retort_graph_get(lit, b->id)) != NULL && applied[lb->topo])
			error = retort__error_code(RETORT_EUSAGE, RETORT_ERROR_REVISION,
				"revision '%s' is one of those baseline '%s' replaces, and the database "
				"has the baseline instead: it cannot run them", plan->steps[i].rev->id, b->id);
	}
done:
	free(applied);
	retort_vec_dispose(&cur, false);
	return error;
}

int retort__baseline_plan(retort_plan **out, const retort_graph *g, retort__plan_kind kind,
	const char *const *current, size_t ncurrent, const char *const *targets, size_t ntargets,
	bool purge)
{
	bool from_inside = false, to_inside = false;
	int error;

	*out = NULL;
	for (size_t i = 0; i < ncurrent && !(kind == RETORT__PLAN_STAMP && purge); i++)
		from_inside = from_inside || inside_range(g, current[i]);
	for (size_t i = 0; i < ntargets; i++)
		to_inside = to_inside || inside_range(g, targets[i]);
	/* Without the literal graph, the main graph's errors say what is missing. */
	if ((!from_inside && !to_inside) || (!g->literal && !g->literal_error))
		return plan_in(out, g, kind, current, ncurrent, targets, ntargets, purge);
	if (!g->literal)
		return retort__error_set(RETORT_ERROR_GRAPH,
			"the database or the target is inside a range a baseline replaces, and the "
			"files of that range do not form a history: %s", g->literal_error);
	if (kind == RETORT__PLAN_UP && !to_inside)
		return finish_ranges(out, g, current, ncurrent, ntargets ? targets[0] : NULL);
	if ((error = plan_in(out, g->literal, kind, current, ncurrent, targets, ntargets, purge)) < 0)
		return error;
	if (kind == RETORT__PLAN_UP && (error = check_literal_upgrade(g, *out, current, ncurrent)) < 0) {
		retort_plan_free(*out);
		*out = NULL;
	}
	return error;
}

/* --- what a new baseline replaces (squash) ------------------------------- */

void retort_baseline_spec_dispose(retort_baseline_spec *spec)
{
	retort_vec_dispose(&spec->replaces, false);
	retort_vec_dispose(&spec->parents, false);
	retort_vec_dispose(&spec->depends, false);
	retort_vec_dispose(&spec->labels, false);
	memset(spec, 0, sizeof(*spec));
}

/* Exactly one revision for one side of the range. */
static int one_revision(retort_revision **out, const retort_graph *g, const char *ident)
{
	retort_vec got = RETORT_VEC_INIT;
	int error;

	if ((error = retort_graph_resolve(&got, g, ident, NULL, 0)) == 0 && got.len != 1)
		error = retort__error_code(RETORT_EUSAGE, RETORT_ERROR_USAGE,
			"'%s' names %zu revisions; a squash needs one at each end", ident, got.len);
	*out = error ? NULL : got.items[0];
	retort_vec_dispose(&got, false);
	return error;
}

/* Revisions outside the range that build on a revision inside it other than the tip. */
static int check_children(const retort_graph *g, const unsigned char *in, const retort_revision *tip)
{
	for (size_t i = 0; i < g->revs.len; i++) {
		retort_revision *r = g->revs.items[i];
		if (!in[i] || r == tip)
			continue;
		for (size_t j = 0; j < r->children.len; j++) {
			retort_revision *c = r->children.items[j];
			if (!in[c->topo])
				return retort__error_code(RETORT_EUSAGE, RETORT_ERROR_REVISION,
					"revision '%s' (%s) revises '%s', inside the range, so it would lose its "
					"parent: squash up to '%s' or a revision after it, or put '%s' on top of "
					"'%s' first", c->id, c->script->path, r->id, r->id, c->id, tip->id);
		}
	}
	return 0;
}

int retort_graph_baseline_spec(retort_baseline_spec *out, const retort_graph *g, const char *range)
{
	const char *colon = strchr(range, ':');
	retort_revision *from = NULL, *to = NULL;
	unsigned char *in = retort__calloc(g->revs.len + 1, 1), *below = NULL;
	char *left = colon ? retort__strndup(range, (size_t)(colon - range)) : NULL;
	int error;

	memset(out, 0, sizeof(*out));
	if ((error = one_revision(&to, g, colon ? colon + 1 : range)) < 0 ||
	    (left && *left && (error = one_revision(&from, g, left)) < 0))
		goto done;
	/* The range: ancestors of TO over Revises, down to FROM when there is one. */
	retort__graph_mark_ancestors(g, in, &to, 1, RETORT__WALK_PARENTS);
	if (from) {
		below = retort__calloc(g->revs.len + 1, 1);
		retort__graph_mark_descendants(g, below, &from, 1, RETORT__WALK_PARENTS);
		if (!in[from->topo]) {
			error = retort__error_code(RETORT_EUSAGE, RETORT_ERROR_REVISION,
				"'%s' is not an ancestor of '%s'", from->id, to->id);
			goto done;
		}
		for (size_t i = 0; i < g->revs.len; i++)
			in[i] = in[i] && below[i];
	}
	for (size_t i = 0; i < g->revs.len; i++)
		if (in[i])
			retort_vec_push(&out->replaces, g->revs.items[i]);
	if (out->replaces.len < 2) {
		error = retort__error_code(RETORT_EUSAGE, RETORT_ERROR_USAGE,
			"the range '%s' holds %zu revision; a squash needs at least two", range,
			out->replaces.len);
		goto done;
	}
	for (size_t i = 0; i < out->replaces.len && !error; i++) {
		retort_revision *r = out->replaces.items[i];
		retort_vec files = RETORT_VEC_INIT;
		if (retort_revision_is_baseline(r))
			retort_graph_replaced_scripts(&files, g, r);
		if (files.len)
			error = retort__error_code(RETORT_EUSAGE, RETORT_ERROR_USAGE,
				"the range holds baseline '%s', whose replaced files are still present: "
				"run 'retort squash --prune' first (once no database needs them)", r->id);
		retort_vec_dispose(&files, false);
	}
	if (error || (error = check_children(g, in, to)) < 0)
		goto done;
	out->tip = to;
	for (size_t i = 0; i < out->replaces.len; i++) {
		retort_revision *r = out->replaces.items[i];
		for (size_t j = 0; j < r->parents.len; j++) {
			retort_revision *p = r->parents.items[j];
			if (!in[p->topo] && !retort_vec_contains(&out->parents, p))
				retort_vec_push(&out->parents, p);
		}
		for (size_t j = 0; j < r->dependencies.len; j++) {
			retort_revision *d = r->dependencies.items[j];
			if (!in[d->topo] && !retort_vec_contains(&out->depends, d))
				retort_vec_push(&out->depends, d);
		}
		for (size_t j = 0; j < r->script->branch_labels.len; j++)
			retort_vec_push(&out->labels, r->script->branch_labels.items[j]);
	}
done:
	if (error < 0)
		retort_baseline_spec_dispose(out);
	free(in);
	free(below);
	free(left);
	return error;
}
