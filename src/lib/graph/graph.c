/*
 * graph.c - link parsed scripts into the revision DAG and check it.
 *
 * Building is linear: one hash map from id to revision, one sort by id
 * (for prefix lookup), one topological sort (Kahn's algorithm) that also
 * finds cycles, and one pass in topological order that spreads branch
 * labels.  Every later question ("is X an ancestor of Y", "what lies
 * between") is a marking walk over a flat array indexed by topological
 * position, never a rescan per revision.  This file does not read
 * directories (scriptdir.c), parse identifiers (resolve.c) or plan runs
 * (plan.c).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/common.h"
#include "graph/graph_int.h"

bool retort_revision_is_branch_point(const retort_revision *rev)
{
	return rev->children.len > 1;
}

bool retort_revision_is_merge_point(const retort_revision *rev)
{
	return rev->parents.len > 1;
}

bool retort_revision_is_head(const retort_revision *rev)
{
	return rev->children.len == 0;
}

size_t retort_graph_count(const retort_graph *g)
{
	return g->revs.len;
}

retort_revision *retort_graph_at(const retort_graph *g, size_t topo)
{
	return topo < g->revs.len ? g->revs.items[topo] : NULL;
}

retort_revision *retort_graph_get(const retort_graph *g, const char *id)
{
	return retort_map_get(&g->by_id, id);
}

retort_revision *retort_graph_label(const retort_graph *g, const char *label)
{
	return retort_map_get(&g->by_label, label);
}

const retort_vec *retort_graph_heads(const retort_graph *g)
{
	return &g->heads;
}

void retort_graph_heads_resolved(retort_vec *out, const retort_graph *g)
{
	for (size_t i = 0; i < g->heads.len; i++) {
		retort_revision *r = g->heads.items[i];
		if (r->dependents.len == 0)
			retort_vec_push(out, r);
	}
}

static void revision_free(retort_revision *r, bool borrowed)
{
	if (!borrowed)
		retort_script_free(r->script);
	retort_vec_dispose(&r->parents, false);
	retort_vec_dispose(&r->children, false);
	retort_vec_dispose(&r->dependencies, false);
	retort_vec_dispose(&r->dependents, false);
	retort_vec_dispose(&r->labels, false);
	free(r);
}

const retort_vec *retort_graph_ignored(const retort_graph *graph)
{
	return &graph->ignored;
}

void retort__graph_set_ignored(retort_graph *graph, retort_vec *paths)
{
	retort_vec_dispose(&graph->ignored, true);
	graph->ignored = *paths;
	memset(paths, 0, sizeof(*paths));
}

void retort_graph_free(retort_graph *g)
{
	if (!g)
		return;
	for (size_t i = 0; i < g->revs.len; i++)
		revision_free(g->revs.items[i], g->borrowed);
	retort_vec_dispose(&g->revs, false);
	retort_map_dispose(&g->by_id, false);
	retort_map_dispose(&g->by_label, false);
	retort_vec_dispose(&g->heads, false);
	retort_vec_dispose(&g->bases, false);
	retort_map_dispose(&g->replaced, false);
	for (size_t i = 0; i < g->replaced_scripts.len; i++)
		retort_script_free(g->replaced_scripts.items[i]);
	retort_vec_dispose(&g->replaced_scripts, false);
	retort_graph_free(g->literal);
	free(g->literal_error);
	retort_vec_dispose(&g->ignored, true);
	free(g->sorted);
	free(g);
}

char *retort__graph_id_list(retort_revision *const *revs, size_t n)
{
	retort_buf b = RETORT_BUF_INIT;

	for (size_t i = 0; i < n; i++) {
		if (i)
			retort_buf_puts(&b, ", ");
		retort_buf_puts(&b, revs[i]->id);
	}
	if (b.asize == 0)
		retort_buf_grow(&b, 1);
	return retort_buf_detach(&b);
}

static void mark_walk(const retort_graph *g, unsigned char *mark,
	retort_revision *const *seeds, size_t nseeds, int edges, bool up)
{
	retort_vec stack = RETORT_VEC_INIT;

	(void)g;
	for (size_t i = 0; i < nseeds; i++) {
		if (!mark[seeds[i]->topo]) {
			mark[seeds[i]->topo] = 1;
			retort_vec_push(&stack, seeds[i]);
		}
	}
	while (stack.len) {
		retort_revision *r = retort_vec_pop(&stack);
		const retort_vec *lists[2] = {
			(edges & RETORT__WALK_PARENTS) ? (up ? &r->parents : &r->children) : NULL,
			(edges & RETORT__WALK_DEPS) ? (up ? &r->dependencies : &r->dependents) : NULL,
		};
		for (int l = 0; l < 2; l++) {
			if (!lists[l])
				continue;
			for (size_t i = 0; i < lists[l]->len; i++) {
				retort_revision *n = lists[l]->items[i];
				if (!mark[n->topo]) {
					mark[n->topo] = 1;
					retort_vec_push(&stack, n);
				}
			}
		}
	}
	retort_vec_dispose(&stack, false);
}

void retort__graph_mark_ancestors(const retort_graph *g, unsigned char *mark,
	retort_revision *const *seeds, size_t nseeds, int edges)
{
	mark_walk(g, mark, seeds, nseeds, edges, true);
}

void retort__graph_mark_descendants(const retort_graph *g, unsigned char *mark,
	retort_revision *const *seeds, size_t nseeds, int edges)
{
	mark_walk(g, mark, seeds, nseeds, edges, false);
}

/* First index in g->sorted whose id is >= key. */
static size_t lower_bound(const retort_graph *g, const char *key)
{
	size_t lo = 0, hi = g->revs.len;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(g->sorted[mid]->id, key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

size_t retort__graph_prefix(const retort_graph *g, const char *prefix, retort_vec *out)
{
	size_t n = 0;

	for (size_t i = lower_bound(g, prefix); i < g->revs.len; i++) {
		if (!retort__starts_with(g->sorted[i]->id, prefix))
			break;
		retort_vec_push(out, g->sorted[i]);
		n++;
	}
	return n;
}

int retort__graph_current(retort_vec *out, const retort_graph *g,
	const char *const *current, size_t ncurrent)
{
	int error;

	for (size_t i = 0; i < ncurrent; i++) {
		retort_revision *r = retort_graph_lookup(g, current[i]), *b;
		if (!r && (b = retort_graph_replaced_by(g, current[i])) != NULL)
			return retort__error_code(RETORT_ENOTFOUND, RETORT_ERROR_REVISION,
				"the database is at revision '%s', inside the range baseline '%s' replaces; "
				"%s", current[i], b->id, g->literal ? "it must run the rest of that range first"
				: "the files that would take it to the end of that range are gone "
				"(pruned): restore them from git to upgrade it");
		if (!r)
			return retort__error_code(RETORT_ENOTFOUND, RETORT_ERROR_REVISION,
				"the database is at revision '%s', which no script defines", current[i]);
		if (!retort_vec_contains(out, r))
			retort_vec_push(out, r);
	}
	if ((error = retort_graph_current_check(g, current, ncurrent)) < 0)
		retort_vec_clear(out);
	return error;
}

int retort_graph_current_check(const retort_graph *g, const char *const *current, size_t ncurrent)
{
	unsigned char *below;
	retort_vec revs = RETORT_VEC_INIT;
	int error = 0;

	for (size_t i = 0; i < ncurrent; i++) {
		retort_revision *r = retort_graph_get(g, current[i]);
		if (r && !retort_vec_contains(&revs, r))
			retort_vec_push(&revs, r);
	}
	if (revs.len < 2) {
		retort_vec_dispose(&revs, false);
		return 0;
	}
	/* one walk marks everything strictly below some current revision, over Revises only */
	below = retort__calloc(g->revs.len + 1, 1);
	for (size_t i = 0; i < revs.len; i++) {
		retort_revision *r = revs.items[i];
		retort__graph_mark_ancestors(g, below, (retort_revision *const *)r->parents.items,
			r->parents.len, RETORT__WALK_PARENTS);
	}
	for (size_t i = 0; i < revs.len && !error; i++) {
		retort_revision *low = revs.items[i];
		if (!below[low->topo])
			continue;
		/* name one revision above it, for the message (a second, rare walk) */
		for (size_t j = 0; j < revs.len && !error; j++) {
			retort_revision *high = revs.items[j];
			unsigned char *up;
			if (high == low)
				continue;
			up = retort__calloc(g->revs.len + 1, 1);
			retort__graph_mark_ancestors(g, up, (retort_revision *const *)high->parents.items,
				high->parents.len, RETORT__WALK_PARENTS);
			if (up[low->topo])
				error = retort__error_set(RETORT_ERROR_DATABASE,
					"the version table holds '%s' together with '%s', which comes after it: "
					"a database is at one revision per branch, never at a revision and its "
					"ancestor (set the table right with 'retort stamp')", low->id, high->id);
			free(up);
		}
	}
	free(below);
	retort_vec_dispose(&revs, false);
	return error;
}

static int cmp_id(const void *a, const void *b)
{
	const retort_revision *x = *(retort_revision *const *)a, *y = *(retort_revision *const *)b;
	return strcmp(x->id, y->id);
}

/* Depends On accepts an id, a branch label or a unique prefix, like Alembic. */
static int link_dependency(retort_graph *g, retort_revision *r, const char *name)
{
	retort_revision *d = retort_graph_get(g, name);
	retort_vec cands = RETORT_VEC_INIT;
	int error = 0;

	if (!d)
		d = retort_map_get(&g->by_label, name);
	if (!d)
		d = retort_map_get(&g->replaced, name); /* ordering only: the whole baseline will do */
	if (!d) {
		size_t n = retort__graph_prefix(g, name, &cands);
		if (n == 1) {
			d = cands.items[0];
		} else if (n > 1) {
			char *list = retort__graph_id_list((retort_revision **)cands.items, cands.len);
			error = retort__error_code(RETORT_EAMBIGUOUS, RETORT_ERROR_GRAPH,
				"%s:%u: Depends On '%s' is ambiguous: %s", r->script->path,
				r->script->header_line, name, list);
			free(list);
			goto done;
		}
	}
	if (!d) {
		error = retort__error_code(RETORT_ENOTFOUND, RETORT_ERROR_GRAPH,
			"%s:%u: revision '%s' depends on '%s', which is no revision id or branch label",
			r->script->path, r->script->header_line, r->id, name);
		goto done;
	}
	if (d == r) {
		error = retort__error_set(RETORT_ERROR_GRAPH, "%s:%u: revision '%s' depends on itself",
			r->script->path, r->script->header_line, r->id);
		goto done;
	}
	if (!retort_vec_contains(&r->dependencies, d) && !retort_vec_contains(&r->parents, d)) {
		retort_vec_push(&r->dependencies, d);
		retort_vec_push(&d->dependents, r);
	}
done:
	retort_vec_dispose(&cands, false);
	return error;
}

/* Size a vec exactly once: a graph has tens of thousands of tiny lists. */
static void vec_reserve(retort_vec *v, size_t n)
{
	if (n > v->cap) {
		v->items = retort__realloc(v->items, n * sizeof(void *));
		v->cap = n;
	}
}

static int link(retort_graph *g)
{
	int error = 0;

	/* count children first so every list is allocated at its final size */
	for (size_t i = 0; i < g->revs.len; i++) {
		retort_revision *r = g->revs.items[i];
		vec_reserve(&r->parents, r->script->revises.len);
		for (size_t j = 0; j < r->script->revises.len; j++) {
			const char *id = r->script->revises.items[j];
			retort_revision *p = retort_graph_get(g, id);
			if (!p)
				p = retort_map_get(&g->replaced, id);
			if (p)
				p->topo++; /* child count, until toposort sets topo */
		}
	}
	for (size_t i = 0; i < g->revs.len; i++) {
		retort_revision *r = g->revs.items[i];
		vec_reserve(&r->children, r->topo);
		r->topo = 0;
	}

	for (size_t i = 0; i < g->revs.len; i++) {
		retort_revision *r = g->revs.items[i];
		retort_script *s = r->script;

		for (size_t j = 0; j < s->revises.len; j++) {
			retort_revision *p = retort__baseline_link_target(g, r, s->revises.items[j]);
			if (!p)
				return RETORT_ENOTFOUND;
			if (retort_vec_contains(&r->parents, p))
				continue;
			retort_vec_push(&r->parents, p);
			retort_vec_push(&p->children, r);
		}
	}
	for (size_t i = 0; i < g->revs.len && !error; i++) {
		retort_revision *r = g->revs.items[i];
		for (size_t j = 0; j < r->script->depends_on.len && !error; j++)
			error = link_dependency(g, r, r->script->depends_on.items[j]);
	}
	return error;
}

/*
 * Some revisions were never freed by Kahn's algorithm, so each of them has
 * an unprocessed parent or dependency: follow those until a revision
 * repeats, which yields one cycle to print.
 */
static int report_cycle(retort_graph *g, const size_t *indeg)
{
	size_t n = g->revs.len, start = 0;
	size_t *seen = retort__calloc(n, sizeof(*seen)); /* step+1 at which we were here */
	retort_vec path = RETORT_VEC_INIT;
	retort_buf msg = RETORT_BUF_INIT;
	retort_revision *r = NULL;
	int error;

	for (size_t i = 0; i < n; i++) {
		retort_revision *c = g->sorted[i];
		if (indeg[c->topo]) {
			r = c;
			break;
		}
	}
	while (r && !seen[r->topo]) {
		retort_revision *next = NULL;
		seen[r->topo] = path.len + 1;
		retort_vec_push(&path, r);
		for (size_t j = 0; j < r->parents.len && !next; j++)
			if (indeg[((retort_revision *)r->parents.items[j])->topo])
				next = r->parents.items[j];
		for (size_t j = 0; j < r->dependencies.len && !next; j++)
			if (indeg[((retort_revision *)r->dependencies.items[j])->topo])
				next = r->dependencies.items[j];
		r = next;
	}
	start = r ? seen[r->topo] - 1 : 0;
	for (size_t i = start; i < path.len; i++)
		retort_buf_printf(&msg, "%s -> ", ((retort_revision *)path.items[i])->id);
	if (r)
		retort_buf_puts(&msg, r->id);
	error = retort__error_set(RETORT_ERROR_GRAPH,
		"revision graph has a cycle: %s (each revises or depends on the next; first in '%s')",
		msg.ptr, r ? r->script->path : "?");
	retort_buf_dispose(&msg);
	retort_vec_dispose(&path, false);
	free(seen);
	return error;
}

/*
 * Kahn's algorithm with a stack: when a revision is placed, its children
 * that became ready are placed next, so a branch stays together in the
 * order and `history` reads naturally.  Before sorting, `topo` holds the
 * index in g->revs (id order), used to index indeg.
 */
static int toposort(retort_graph *g)
{
	size_t n = g->revs.len, placed = 0;
	size_t *indeg = retort__calloc(n ? n : 1, sizeof(*indeg));
	retort_vec stack = RETORT_VEC_INIT, order = RETORT_VEC_INIT;
	int error = 0;

	for (size_t i = 0; i < n; i++) {
		retort_revision *r = g->revs.items[i];
		r->topo = i;
		indeg[i] = r->parents.len + r->dependencies.len;
	}
	for (size_t i = n; i-- > 0;)
		if (!indeg[i])
			retort_vec_push(&stack, g->revs.items[i]);
	while (stack.len) {
		retort_revision *r = retort_vec_pop(&stack);
		const retort_vec *lists[2] = { &r->dependents, &r->children };
		retort_vec_push(&order, r);
		placed++;
		for (int l = 0; l < 2; l++)
			for (size_t j = lists[l]->len; j-- > 0;) {
				retort_revision *c = lists[l]->items[j];
				if (--indeg[c->topo] == 0)
					retort_vec_push(&stack, c);
			}
	}
	if (placed < n) {
		error = report_cycle(g, indeg);
		goto done;
	}
	retort_vec_dispose(&g->revs, false);
	g->revs = order;
	order = (retort_vec)RETORT_VEC_INIT;
	for (size_t i = 0; i < n; i++)
		((retort_revision *)g->revs.items[i])->topo = i;
done:
	retort_vec_dispose(&stack, false);
	retort_vec_dispose(&order, false);
	free(indeg);
	return error;
}

/* Neither a merge point nor a branch point, counting dependents as Alembic's "real" branch point does. */
static bool plain(const retort_revision *r)
{
	return r->parents.len <= 1 && r->children.len + r->dependents.len <= 1;
}

/*
 * Labels flow down to every descendant (one pass in topological order) and,
 * when the labelled line below is plain, up the chain of single parents
 * until a branch or merge point.  A label
 * set is deduplicated with a stamp per label, so the pass costs the size
 * of the sets it writes (revisions x labels on their path), never more.
 */
static void spread_labels(retort_graph *g)
{
	retort_map index = RETORT_MAP_INIT;
	size_t *stamp = retort__calloc(g->by_label.len + 1, sizeof(*stamp));

	for (size_t i = 0; i < g->by_label.len; i++)
		retort_map_set(&index, g->by_label.keys[i], (void *)(uintptr_t)(i + 1));
	for (size_t i = 0; i < g->revs.len; i++) {
		retort_revision *r = g->revs.items[i];
		const retort_vec *own = &r->script->branch_labels;
		const retort_vec *from[8];
		size_t nfrom = 0;

		if (r->parents.len == 1 && !own->len) {
			/* the common case: exactly the parent's set */
			const retort_vec *pl = &((retort_revision *)r->parents.items[0])->labels;
			if (pl->len) {
				r->labels.items = retort__malloc(pl->len * sizeof(void *));
				memcpy(r->labels.items, pl->items, pl->len * sizeof(void *));
				r->labels.len = r->labels.cap = pl->len;
			}
			continue;
		}
		from[nfrom++] = own;
		for (size_t p = 0; p < r->parents.len; p++) {
			const retort_vec *pl = &((retort_revision *)r->parents.items[p])->labels;
			if (nfrom < RETORT_ARRAY_SIZE(from)) {
				from[nfrom++] = pl;
				continue;
			}
			for (size_t j = 0; j < pl->len; j++) { /* many parents: rare, no stamp needed */
				size_t k = (uintptr_t)retort_map_get(&index, pl->items[j]);
				if (stamp[k] != i + 1) {
					stamp[k] = i + 1;
					retort_vec_push(&r->labels, pl->items[j]);
				}
			}
		}
		for (size_t f = 0; f < nfrom; f++)
			for (size_t j = 0; j < from[f]->len; j++) {
				size_t k = (uintptr_t)retort_map_get(&index, from[f]->items[j]);
				if (stamp[k] != i + 1) {
					stamp[k] = i + 1;
					retort_vec_push(&r->labels, from[f]->items[j]);
				}
			}
	}
	for (size_t i = 0; i < g->revs.len; i++) {
		retort_revision *r = g->revs.items[i], *p = r, *q = r;
		bool simple = plain(r);
		if (!r->script->branch_labels.len)
			continue;
		/*
		 * Alembic walks up from the last of the label's descendants and
		 * stops at the first branch or merge point, so the label reaches
		 * ancestors only when everything from the label down is one plain
		 * line.  Same rule here, deterministically.
		 */
		while (simple && q->children.len == 1) {
			q = q->children.items[0];
			simple = plain(q);
		}
		while (simple && p->parents.len == 1) {
			retort_revision *up = p->parents.items[0];
			if (!plain(up))
				break;
			for (size_t j = 0; j < r->script->branch_labels.len; j++) {
				const char *label = r->script->branch_labels.items[j];
				bool have = false;
				for (size_t k = 0; k < up->labels.len && !have; k++)
					have = !strcmp(up->labels.items[k], label);
				if (!have)
					retort_vec_push(&up->labels, (void *)label);
			}
			p = up;
		}
	}
	retort_map_dispose(&index, false);
	free(stamp);
}

static int index_labels(retort_graph *g)
{
	for (size_t i = 0; i < g->revs.len; i++) {
		retort_revision *r = g->revs.items[i];
		if (retort__baseline_skip_labels(g, r))
			continue;
		for (size_t j = 0; j < r->script->branch_labels.len; j++) {
			const char *label = r->script->branch_labels.items[j];
			retort_revision *other = retort_map_get(&g->by_label, label);
			if (other)
				return retort__error_set(RETORT_ERROR_GRAPH,
					"%s:%u: branch label '%s' is already used by revision '%s' (%s)",
					r->script->path, r->script->header_line, label, other->id, other->script->path);
			if ((other = retort_graph_get(g, label)) != NULL)
				return retort__error_set(RETORT_ERROR_GRAPH,
					"%s:%u: branch label '%s' is also the id of revision '%s' (%s)",
					r->script->path, r->script->header_line, label, other->id, other->script->path);
			if (strchr(label, '@') || strchr(label, ':') || strchr(label, '+') || !*label)
				return retort__error_set(RETORT_ERROR_GRAPH,
					"%s:%u: invalid branch label '%s'", r->script->path, r->script->header_line, label);
			retort_map_set(&g->by_label, label, r);
		}
	}
	return 0;
}

/* Build from `scripts` (taken over); `literal`: the graph of a history as written (baseline.c). */
static int build(retort_graph **out, retort_vec *scripts, bool literal)
{
	retort_graph *g = retort__calloc(1, sizeof(*g));
	size_t n;
	int error = 0;

	*out = NULL;
	g->borrowed = literal;
	if ((error = retort__baseline_partition(g, scripts, literal)) < 0)
		goto done;
	n = g->revs.len;

	/* Id order makes every later tie-break deterministic, whatever readdir said. */
	retort_vec_sort(&g->revs, cmp_id);
	g->sorted = retort__malloc((n ? n : 1) * sizeof(*g->sorted));
	if (n)
		memcpy(g->sorted, g->revs.items, n * sizeof(*g->sorted));

	if ((error = index_labels(g)) < 0 || (error = link(g)) < 0 || (error = toposort(g)) < 0)
		goto done;
	spread_labels(g);
	for (size_t i = 0; i < n; i++) {
		retort_revision *r = g->revs.items[i];
		if (!r->children.len)
			retort_vec_push(&g->heads, r);
		if (!r->parents.len)
			retort_vec_push(&g->bases, r);
	}
	if (!literal)
		retort__baseline_literal(g);
done:
	if (error < 0)
		retort_graph_free(g);
	else
		*out = g;
	return error;
}

int retort_graph_build(retort_graph **out, retort_vec *scripts)
{
	return build(out, scripts, false);
}

int retort__graph_build_literal(retort_graph **out, retort_vec *scripts)
{
	return build(out, scripts, true);
}
