/*
 * plan.c - which revisions an upgrade, downgrade or stamp touches, in which
 * order, and what the version table holds before and after each step.
 *
 * The version table holds the maximal applied revisions: the applied set
 * is closed under ancestry (Revises and Depends On), and a row exists for
 * every applied revision that no other applied revision revises or depends
 * on.  This is exactly what Alembic's head maintenance produces step by
 * step (a merge deletes rows, a branch point adds one, a dependency's row
 * is absorbed by the revision that depends on it), so databases move
 * between the tools.  Each step updates the rows by looking only at the
 * revision's own edges, so a plan is linear in the size of the graph.
 * This module does not touch a database: the runtime turns heads_before /
 * heads_after into statements.
 */
#include <stdlib.h>
#include <string.h>

#include "base/common.h"
#include "graph/graph_int.h"

/*
 * The version table while a plan is built: rows in a vec, membership by
 * topo.  A row keeps the id the table holds for it, which differs from
 * the revision's when the database is at a baseline's tip (baseline.c).
 */
typedef struct rows {
	retort_vec revs;
	unsigned char *in;
	const char **name;  /* by topo: the row's id when not the revision's own */
} rows;

static void rows_add_named(rows *r, retort_revision *rev, const char *name)
{
	if (!r->in[rev->topo]) {
		r->in[rev->topo] = 1;
		r->name[rev->topo] = name;
		retort_vec_push(&r->revs, rev);
	}
}

static void rows_add(rows *r, retort_revision *rev)
{
	rows_add_named(r, rev, NULL);
}

static void rows_del(rows *r, retort_revision *rev)
{
	if (!r->in[rev->topo])
		return;
	r->in[rev->topo] = 0;
	for (size_t i = 0; i < r->revs.len; i++)
		if (r->revs.items[i] == rev) {
			retort_vec_remove(&r->revs, i);
			break;
		}
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void rows_snapshot(retort_vec *out, const rows *r)
{
	for (size_t i = 0; i < r->revs.len; i++) {
		const retort_revision *rev = r->revs.items[i];
		retort_vec_push(out, retort__strdup(r->name[rev->topo] ? r->name[rev->topo] : rev->id));
	}
	retort_vec_sort(out, cmp_str);
}

void retort_plan_free(retort_plan *plan)
{
	if (!plan)
		return;
	for (size_t i = 0; i < plan->nsteps; i++) {
		retort_vec_dispose(&plan->steps[i].heads_before, true);
		retort_vec_dispose(&plan->steps[i].heads_after, true);
	}
	free(plan->steps);
	retort_vec_dispose(&plan->final_heads, true);
	free(plan);
}

/* Shared set-up: current revisions, the applied set and the rows. */
typedef struct ctx {
	const retort_graph *g;
	retort_vec cur;
	unsigned char *applied;
	rows rows;
	retort_plan *plan;
	size_t cap;
} ctx;

static int ctx_init(ctx *c, const retort_graph *g, const char *const *current, size_t ncurrent)
{
	size_t n = retort_graph_count(g) + 1;
	int error;

	memset(c, 0, sizeof(*c));
	c->g = g;
	c->applied = retort__calloc(n, 1);
	c->rows.in = retort__calloc(n, 1);
	c->rows.name = retort__calloc(n, sizeof(*c->rows.name));
	c->plan = retort__calloc(1, sizeof(*c->plan));
	if ((error = retort__graph_current(&c->cur, g, current, ncurrent)) < 0)
		return error;
	retort__graph_mark_ancestors(g, c->applied, (retort_revision **)c->cur.items, c->cur.len,
		RETORT__WALK_PARENTS | RETORT__WALK_DEPS);
	for (size_t i = 0; i < ncurrent; i++) {
		retort_revision *r = retort_graph_lookup(g, current[i]);
		if (c->rows.in[r->topo])
			return retort__error_code(RETORT_EUSAGE, RETORT_ERROR_REVISION,
				"the database holds both '%s' and '%s', which name the same revision; "
				"run 'retort stamp %s' to keep one", c->rows.name[r->topo] ? c->rows.name[r->topo]
				: r->id, current[i], r->id);
		rows_add_named(&c->rows, r, strcmp(current[i], r->id) ? current[i] : NULL);
	}
	return 0;
}

static int ctx_finish(retort_plan **out, ctx *c, int error)
{
	if (error >= 0) {
		rows_snapshot(&c->plan->final_heads, &c->rows);
		*out = c->plan;
	} else {
		retort_plan_free(c->plan);
	}
	retort_vec_dispose(&c->cur, false);
	retort_vec_dispose(&c->rows.revs, false);
	free(c->rows.in);
	free(c->rows.name);
	free(c->applied);
	return error;
}

static retort_step *add_step(ctx *c, retort_revision *rev, retort_direction dir)
{
	retort_plan *p = c->plan;
	retort_step *s;

	if (p->nsteps == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 16;
		p->steps = retort__realloc(p->steps, c->cap * sizeof(*p->steps));
	}
	s = &p->steps[p->nsteps++];
	memset(s, 0, sizeof(*s));
	s->rev = rev;
	s->direction = dir;
	rows_snapshot(&s->heads_before, &c->rows);
	return s;
}

int retort__plan_upgrade_in(retort_plan **out, const retort_graph *g,
	const char *const *current, size_t ncurrent, const char *target)
{
	retort_vec targets = RETORT_VEC_INIT;
	unsigned char *need = NULL;
	ctx c;
	int error;

	*out = NULL;
	if ((error = ctx_init(&c, g, current, ncurrent)) < 0)
		goto done;
	/* "-1" walks down from the database: an upgrade there is a mistake, as in Alembic */
	if (target && (target[0] == '-' || ((strchr(target, '@') && strstr(target, "@-"))))) {
		error = retort__error_set(RETORT_ERROR_USAGE,
			"'%s' goes down from the current revision; use downgrade", target);
		goto done;
	}
	if ((error = retort_graph_resolve(&targets, g, target ? target : "heads", current, ncurrent)) < 0)
		goto done;
	need = retort__calloc(retort_graph_count(g) + 1, 1);
	retort__graph_mark_ancestors(g, need, (retort_revision **)targets.items, targets.len,
		RETORT__WALK_PARENTS | RETORT__WALK_DEPS);
	for (size_t i = 0; i < retort_graph_count(g); i++) {
		retort_revision *r = retort_graph_at(g, i);
		retort_step *s;
		if (!need[i] || c.applied[i])
			continue;
		s = add_step(&c, r, RETORT_UPGRADE);
		for (size_t j = 0; j < r->parents.len; j++)
			rows_del(&c.rows, r->parents.items[j]);
		for (size_t j = 0; j < r->dependencies.len; j++)
			rows_del(&c.rows, r->dependencies.items[j]);
		rows_add(&c.rows, r);
		c.applied[i] = 1;
		rows_snapshot(&s->heads_after, &c.rows);
	}
done:
	free(need);
	retort_vec_dispose(&targets, false);
	return ctx_finish(out, &c, error);
}

static bool has_applied_successor(const unsigned char *applied, const retort_revision *d)
{
	for (size_t i = 0; i < d->children.len; i++)
		if (applied[((retort_revision *)d->children.items[i])->topo])
			return true;
	for (size_t i = 0; i < d->dependents.len; i++)
		if (applied[((retort_revision *)d->dependents.items[i])->topo])
			return true;
	return false;
}

int retort__plan_downgrade_in(retort_plan **out, const retort_graph *g,
	const char *const *current, size_t ncurrent, const char *target)
{
	retort_vec targets = RETORT_VEC_INIT, roots = RETORT_VEC_INIT;
	unsigned char *drop = NULL, *keep_branch = NULL;
	retort_revision *branch = NULL;
	size_t n = retort_graph_count(g);
	bool whole_branch = false;
	ctx c;
	int error;

	*out = NULL;
	if ((error = ctx_init(&c, g, current, ncurrent)) < 0)
		goto done;
	if (!target) {
		error = retort__error_set(RETORT_ERROR_USAGE, "downgrade needs a target (base, -1, an id...)");
		goto done;
	}
	/* LABEL@base: the branch's bases and everything above them go (Alembic). */
	if ((error = retort__graph_branch_bases(&roots, g, target)) < 0)
		goto done;
	whole_branch = error == 1;
	error = 0;
	if (whole_branch && !roots.len) {
		error = retort__error_code(RETORT_ENOTFOUND, RETORT_ERROR_REVISION,
			"cannot downgrade to '%s': no base lies below that branch", target);
		goto done;
	}
	if (!whole_branch &&
	    (error = retort__graph_resolve_branch(&targets, &branch, g, target, current, ncurrent)) < 0)
		goto done;
	if (targets.len > 1) {
		char *list = retort__graph_id_list((retort_revision **)targets.items, targets.len);
		error = retort__error_code(RETORT_EUSAGE, RETORT_ERROR_USAGE,
			"downgrade needs a single target; '%s' names %zu revisions (%s)", target, targets.len, list);
		free(list);
		goto done;
	}
	/*
	 * A relative target ("-1", "LABEL@-2") walked down one branch; when
	 * the target is a branch point, only that branch goes, not its siblings.
	 */
	if (branch) {
		keep_branch = retort__calloc(n + 1, 1);
		retort__graph_mark_ancestors(g, keep_branch, &branch, 1, RETORT__WALK_PARENTS);
	}

	/* What goes: everything applied above the target (all of it for base). */
	if (targets.len == 0 && !whole_branch) {
		for (size_t i = 0; i < g->bases.len; i++)
			retort_vec_push(&roots, g->bases.items[i]);
	}
	for (size_t t = 0; t < targets.len; t++) {
		retort_revision *tr = targets.items[t];
		if (!c.applied[tr->topo]) {
			char *list = retort__graph_id_list((retort_revision **)c.cur.items, c.cur.len);
			error = retort__error_code(RETORT_ENOTFOUND, RETORT_ERROR_REVISION,
				"cannot downgrade to '%s': revision '%s' is not applied (the database is at %s)",
				target, tr->id, c.cur.len ? list : "base");
			free(list);
			goto done;
		}
		/*
		 * Like Alembic, what goes is everything above the target's
		 * children (over both kinds of edges); a revision that merely
		 * depends on the target is not "above" it and stays.
		 */
		for (size_t i = 0; i < tr->children.len; i++) {
			retort_revision *child = tr->children.items[i];
			if (!keep_branch || tr->children.len == 1 || keep_branch[child->topo])
				retort_vec_push(&roots, child);
		}
	}
	drop = retort__calloc(n + 1, 1);
	retort__graph_mark_descendants(g, drop, (retort_revision **)roots.items, roots.len,
		RETORT__WALK_PARENTS | RETORT__WALK_DEPS);
	/* Keep the targets themselves (a target reached by a dependency edge must stay). */
	for (size_t t = 0; t < targets.len; t++)
		drop[((retort_revision *)targets.items[t])->topo] = 0;

	/* Nothing above the target while it is not a row: not a downgrade target (Alembic agrees). */
	if (targets.len) {
		bool any = false, at_row = false;
		for (size_t i = 0; i < n && !any; i++)
			any = drop[i] && c.applied[i];
		for (size_t t = 0; t < targets.len; t++)
			at_row = at_row || c.rows.in[((retort_revision *)targets.items[t])->topo];
		if (!any && !at_row) {
			char *list = retort__graph_id_list((retort_revision **)c.cur.items, c.cur.len);
			error = retort__error_code(RETORT_ENOTFOUND, RETORT_ERROR_REVISION,
				"cannot downgrade to '%s': nothing applied lies above it (the database is at %s)",
				target, list);
			free(list);
			goto done;
		}
	}

	/* Refuse before anything runs when a revision cannot be reverted. */
	for (size_t i = n; i-- > 0;) {
		retort_revision *r = retort_graph_at(g, i);
		if (drop[i] && c.applied[i] && !r->script->has_downgrade) {
			error = retort__error_set(RETORT_ERROR_REVISION,
				"cannot downgrade through revision '%s' (%s): it has no downgrade%s",
				r->id, r->script->path,
				r->script->format == RETORT_SCRIPT_SQL ? " section" : "() function");
			goto done;
		}
	}
	for (size_t i = n; i-- > 0;) {
		retort_revision *r = retort_graph_at(g, i);
		retort_step *s;
		if (!drop[i] || !c.applied[i])
			continue;
		s = add_step(&c, r, RETORT_DOWNGRADE);
		c.applied[i] = 0;
		rows_del(&c.rows, r);
		for (int l = 0; l < 2; l++) {
			const retort_vec *ups = l ? &r->dependencies : &r->parents;
			for (size_t j = 0; j < ups->len; j++) {
				retort_revision *d = ups->items[j];
				if (c.applied[d->topo] && !has_applied_successor(c.applied, d))
					rows_add(&c.rows, d);
			}
		}
		rows_snapshot(&s->heads_after, &c.rows);
	}
done:
	free(drop);
	free(keep_branch);
	retort_vec_dispose(&targets, false);
	retort_vec_dispose(&roots, false);
	return ctx_finish(out, &c, error);
}

int retort__plan_stamp_in(retort_plan **out, const retort_graph *g,
	const char *const *current, size_t ncurrent,
	const char *const *targets, size_t ntargets, bool purge)
{
	retort_vec want = RETORT_VEC_INIT, keep = RETORT_VEC_INIT;
	unsigned char *lineage = NULL, *after = NULL, *below = NULL;
	size_t n = retort_graph_count(g);
	ctx c;
	int error;

	*out = NULL;
	if ((error = ctx_init(&c, g, purge ? NULL : current, purge ? 0 : ncurrent)) < 0)
		goto done;
	for (size_t i = 0; i < ntargets; i++)
		if ((error = retort_graph_resolve(&want, g, targets[i], current, ncurrent)) < 0)
			goto done;

	/*
	 * A target replaces the current rows on its own lineage (ancestors or
	 * descendants: a stamp can move a branch either way) and leaves other
	 * branches alone; "base" alone clears the table.
	 */
	lineage = retort__calloc(n + 1, 1);
	retort__graph_mark_ancestors(g, lineage, (retort_revision **)want.items, want.len,
		RETORT__WALK_PARENTS | RETORT__WALK_DEPS);
	/* a separate array: a walk does not expand seeds that are already marked */
	after = retort__calloc(n + 1, 1);
	retort__graph_mark_descendants(g, after, (retort_revision **)want.items, want.len,
		RETORT__WALK_PARENTS | RETORT__WALK_DEPS);
	if (want.len) {
		for (size_t i = 0; i < c.rows.revs.len; i++) {
			retort_revision *r = c.rows.revs.items[i];
			if (!lineage[r->topo] && !after[r->topo])
				retort_vec_push(&keep, r);
		}
	}
	for (size_t i = 0; i < want.len; i++) {
		retort_vec_push(&keep, want.items[i]);
		c.rows.name[((retort_revision *)want.items[i])->topo] = NULL; /* a target gets its own id */
	}

	/* Rows are the maximal ones: drop any that another row revises or depends on. */
	below = retort__calloc(n + 1, 1);
	for (size_t i = 0; i < keep.len; i++) {
		retort_revision *r = keep.items[i];
		retort__graph_mark_ancestors(g, below, (retort_revision **)r->parents.items, r->parents.len,
			RETORT__WALK_PARENTS | RETORT__WALK_DEPS);
		retort__graph_mark_ancestors(g, below, (retort_revision **)r->dependencies.items,
			r->dependencies.len, RETORT__WALK_PARENTS | RETORT__WALK_DEPS);
	}
	for (size_t i = 0; i < c.rows.revs.len; i++)
		c.rows.in[((retort_revision *)c.rows.revs.items[i])->topo] = 0;
	retort_vec_clear(&c.rows.revs);
	/* kept rows keep their ids (rows.name survives the clearing above) */
	for (size_t i = 0; i < keep.len; i++) {
		retort_revision *r = keep.items[i];
		if (!below[r->topo])
			rows_add_named(&c.rows, r, c.rows.name[r->topo]);
	}
done:
	free(lineage);
	free(after);
	free(below);
	retort_vec_dispose(&want, false);
	retort_vec_dispose(&keep, false);
	return ctx_finish(out, &c, error);
}

/* --- the public entry points: through baseline.c when baselines are around --- */

int retort_plan_upgrade(retort_plan **out, const retort_graph *g,
	const char *const *current, size_t ncurrent, const char *target)
{
	if (!g->replaced.len)
		return retort__plan_upgrade_in(out, g, current, ncurrent, target);
	return retort__baseline_plan(out, g, RETORT__PLAN_UP, current, ncurrent, &target, 1, false);
}

int retort_plan_downgrade(retort_plan **out, const retort_graph *g,
	const char *const *current, size_t ncurrent, const char *target)
{
	if (!g->replaced.len)
		return retort__plan_downgrade_in(out, g, current, ncurrent, target);
	return retort__baseline_plan(out, g, RETORT__PLAN_DOWN, current, ncurrent, &target, 1, false);
}

int retort_plan_stamp(retort_plan **out, const retort_graph *g,
	const char *const *current, size_t ncurrent,
	const char *const *targets, size_t ntargets, bool purge)
{
	if (!g->replaced.len)
		return retort__plan_stamp_in(out, g, current, ncurrent, targets, ntargets, purge);
	return retort__baseline_plan(out, g, RETORT__PLAN_STAMP, current, ncurrent, targets, ntargets,
		purge);
}
