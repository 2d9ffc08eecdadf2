/*
 * resolve.c - the identifier grammar: what a user may type wherever a
 * revision is expected, resolved against the graph (SPEC section 4).
 *
 *   ID, PREFIX            one revision (a prefix must be unique)
 *   head, heads, base     the single head / every head / nothing
 *   LABEL                 the revision that declares the branch label
 *   LABEL@head, REV@head  the head of that branch (LABEL@heads: all of them)
 *   LABEL@base            below that branch: no revision (downgrade: all of it)
 *   current               the database's current revisions (when known)
 *   LABEL@REV             REV, checked to be on the branch
 *   +N, -N                N steps from the database's current revision
 *   REV+N, REV-N          N steps from REV
 *   LABEL@+N, LABEL@-N    N steps from the current revision on that branch
 *   A:B                   a range (retort_graph_range only)
 *
 * Semantics follow Alembic's so that muscle memory carries over; errors
 * say which identifier failed and list the candidates.  Every form costs at
 * most one marking walk over the graph.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "base/common.h"
#include "graph/graph_int.h"

static bool has_label(const retort_revision *r, const char *label)
{
	for (size_t i = 0; i < r->labels.len; i++)
		if (!strcmp(r->labels.items[i], label))
			return true;
	return false;
}

static int ambiguous(const char *ident, const char *what, const retort_vec *cands, const char *hint)
{
	char *list = retort__graph_id_list((retort_revision **)cands->items, cands->len);
	int error = retort__error_code(RETORT_EAMBIGUOUS, RETORT_ERROR_REVISION,
		"'%s' is ambiguous: %s %s%s", ident, what, list, hint ? hint : "");
	free(list);
	return error;
}

/* An id inside the range a baseline replaces: no revision here (baseline.c). */
static int replaced_inside(const char *ident, const retort_revision *baseline)
{
	return retort__error_code(RETORT_ENOTFOUND, RETORT_ERROR_REVISION,
		"'%s' is one of the revisions baseline '%s' replaces; name the baseline, or its last "
		"revision '%s'", ident, baseline->id, retort_revision_baseline_tip(baseline));
}

/*
 * An exact id, an exact label, a baseline's tip (the baseline), or a
 * unique prefix: exactly one revision.
 */
static int resolve_one(retort_revision **out, const retort_graph *g, const char *ident)
{
	retort_vec cands = RETORT_VEC_INIT;
	int error = 0;

	if ((*out = retort_graph_get(g, ident)) != NULL ||
		(*out = retort_map_get(&g->by_label, ident)) != NULL ||
		(*out = retort_graph_lookup(g, ident)) != NULL)
		return 0;
	if (retort_graph_replaced_by(g, ident))
		return replaced_inside(ident, retort_graph_replaced_by(g, ident));
	if (*ident && retort__graph_prefix(g, ident, &cands) == 1)
		*out = cands.items[0];
	else if (cands.len > 1)
		error = ambiguous(ident, "it is a prefix of", &cands, NULL);
	else
		error = retort__error_code(RETORT_ENOTFOUND, RETORT_ERROR_REVISION,
			"no revision matches '%s'", ident);
	retort_vec_dispose(&cands, false);
	return error;
}

/* Heads (or bases) reachable from `anchor`, appended to out. */
static void lineage_ends(retort_vec *out, const retort_graph *g, retort_revision *anchor, bool heads)
{
	unsigned char *mark = retort__calloc(g->revs.len, 1);
	const retort_vec *ends = heads ? &g->heads : &g->bases;

	if (heads)
		retort__graph_mark_descendants(g, mark, &anchor, 1, RETORT__WALK_PARENTS);
	else
		retort__graph_mark_ancestors(g, mark, &anchor, 1, RETORT__WALK_PARENTS);
	for (size_t i = 0; i < ends->len; i++) {
		retort_revision *r = ends->items[i];
		if (mark[r->topo])
			retort_vec_push(out, r);
	}
	free(mark);
}

static int several_heads(const char *ident, const retort_vec *heads, const char *scope)
{
	char *list = retort__graph_id_list((retort_revision **)heads->items, heads->len);
	int error = retort__error_code(RETORT_EAMBIGUOUS, RETORT_ERROR_REVISION,
		"'%s' is ambiguous: %s has several heads: %s; use 'heads' for all of them, "
		"LABEL@head for one branch, or 'retort merge' to join them",
		ident, scope, list);
	free(list);
	return error;
}

/*
 * The lineage of a branch: every revision that is an ancestor or a
 * descendant of the revision declaring the label (over Revises), which is
 * how Alembic decides whether a revision is "on" a branch.
 */
static unsigned char *lineage_of(const retort_graph *g, retort_revision *anchor)
{
	unsigned char *up = retort__calloc(g->revs.len + 1, 1);
	unsigned char *down = retort__calloc(g->revs.len + 1, 1);

	retort__graph_mark_ancestors(g, up, &anchor, 1, RETORT__WALK_PARENTS);
	retort__graph_mark_descendants(g, down, &anchor, 1, RETORT__WALK_PARENTS);
	for (size_t i = 0; i < g->revs.len; i++)
		up[i] |= down[i];
	free(down);
	return up;
}

/*
 * One step of a relative walk.  Going up, `lineage` (may be NULL) picks
 * among the children of a branch point; going down there is no choice but
 * at a merge point, which is ambiguous.
 */
static int step(retort_revision **at, const char *ident, int dir, const unsigned char *lineage)
{
	retort_revision *r = *at;
	const retort_vec *next = dir > 0 ? &r->children : &r->parents;
	retort_vec pick = RETORT_VEC_INIT;
	int error = 0;

	for (size_t i = 0; i < next->len; i++)
		if (!lineage || dir < 0 || lineage[((retort_revision *)next->items[i])->topo])
			retort_vec_push(&pick, next->items[i]);
	if (pick.len == 1) {
		*at = pick.items[0];
	} else if (pick.len == 0 && dir < 0) {
		*at = NULL; /* below a base: "base" */
	} else if (pick.len == 0) {
		error = retort__error_code(RETORT_ENOTFOUND, RETORT_ERROR_REVISION,
			"'%s' walks past head '%s'", ident, r->id);
	} else {
		char *list = retort__graph_id_list((retort_revision **)pick.items, pick.len);
		error = retort__error_code(RETORT_EAMBIGUOUS, RETORT_ERROR_REVISION,
			"'%s' is ambiguous: '%s' is a %s (%s: %s); name the branch (LABEL@%c%s) or a revision",
			ident, r->id, dir > 0 ? "branch point" : "merge point",
			dir > 0 ? "children" : "parents", list, dir > 0 ? '+' : '-', "N");
		free(list);
	}
	retort_vec_dispose(&pick, false);
	return error;
}

/* Walk |n| steps from `start` (NULL = base); the result NULL means base. */
static int walk(retort_revision **out, const retort_graph *g, const char *ident,
	retort_revision *start, long n, const unsigned char *lineage)
{
	retort_revision *at = start;
	int error = 0;

	if (n > 0 && !at) {
		retort_vec cands = RETORT_VEC_INIT;
		for (size_t i = 0; i < g->bases.len; i++)
			if (!lineage || lineage[((retort_revision *)g->bases.items[i])->topo])
				retort_vec_push(&cands, g->bases.items[i]);
		if (cands.len == 1)
			at = cands.items[0];
		else if (cands.len == 0)
			error = retort__error_code(RETORT_ENOTFOUND, RETORT_ERROR_REVISION,
				"'%s': there are no revisions", ident);
		else
			error = ambiguous(ident, "there are several bases:", &cands,
				"; use LABEL@+N or REV+N");
		retort_vec_dispose(&cands, false);
		n--;
	}
	for (long i = 0; i < (n < 0 ? -n : n) && !error; i++) {
		if (!at)
			return retort__error_code(RETORT_ENOTFOUND, RETORT_ERROR_REVISION,
				"'%s' walks past base", ident);
		error = step(&at, ident, n > 0 ? 1 : -1, lineage);
	}
	*out = at;
	return error;
}

/*
 * The most steps a relative identifier may walk.  Far more than any graph
 * has revisions, and far from where negating the count could overflow
 * (-9223372036854775808 was undefined behaviour, and walked nowhere).
 */
#define STEPS_MAX 1000000000L

/* "+3" / "-2": sign and count; false when `s` is not of that form or the count is out of range. */
static bool parse_relative(const char *s, long *n)
{
	char *end;

	if ((s[0] != '+' && s[0] != '-') || !isdigit((unsigned char)s[1]))
		return false;
	errno = 0;
	*n = strtol(s, &end, 10);
	return *end == '\0' && errno == 0 && *n >= -STEPS_MAX && *n <= STEPS_MAX;
}

/*
 * A count that ends the identifier ("+N", "REV-N", "LABEL@+N") and is out
 * of range is a usage error, said before anything walks.
 */
static int check_steps(const char *ident)
{
	const char *digits = ident + strlen(ident);
	char *end;
	long n;

	while (digits > ident && isdigit((unsigned char)digits[-1]))
		digits--;
	if (digits == ident || !*digits || (digits[-1] != '+' && digits[-1] != '-'))
		return 0;
	errno = 0;
	n = strtol(digits, &end, 10);
	if (errno == ERANGE || n > STEPS_MAX)
		return retort__error_code(RETORT_EUSAGE, RETORT_ERROR_USAGE,
			"'%s': %c%s steps is more than retort walks (at most %ld)", ident, digits[-1],
			digits, STEPS_MAX);
	return 0;
}

/*
 * The current revision to walk from.  With a branch (`lineage`), the
 * database's row on that branch; when none is, the applied revision on the
 * branch that no applied revision revises (the rows may have moved past
 * the branch through a dependency).  *out NULL means "from base", allowed
 * only when !need.
 */
static int current_start(retort_revision **out, const retort_graph *g, const char *ident,
	const unsigned char *lineage, const char *const *current, size_t ncurrent, bool need, bool up)
{
	retort_vec cur = RETORT_VEC_INIT, pick = RETORT_VEC_INIT;
	unsigned char *applied = NULL;
	int error;

	*out = NULL;
	if (!current && need)
		return retort__error_code(RETORT_EUSAGE, RETORT_ERROR_USAGE,
			"'%s' is relative to the database's current revision, which is not known here", ident);
	if ((error = retort__graph_current(&cur, g, current, ncurrent)) < 0)
		goto done;
	for (size_t i = 0; i < cur.len; i++)
		if (!lineage || lineage[((retort_revision *)cur.items[i])->topo])
			retort_vec_push(&pick, cur.items[i]);
	if (!pick.len && lineage && cur.len) {
		applied = retort__calloc(g->revs.len + 1, 1);
		retort__graph_mark_ancestors(g, applied, (retort_revision **)cur.items, cur.len,
			RETORT__WALK_PARENTS | RETORT__WALK_DEPS);
		for (size_t i = 0; i < g->revs.len; i++) {
			retort_revision *r = g->revs.items[i];
			bool tip = applied[i] && lineage[i];
			/*
			 * Alembic's rule, asymmetric on purpose: walking up, the tip of
			 * what is applied on the branch; walking down, an applied
			 * revision nothing applied revises, if it is on the branch.
			 */
			for (size_t j = 0; tip && j < r->children.len; j++) {
				size_t c = ((retort_revision *)r->children.items[j])->topo;
				tip = !(applied[c] && (!up || lineage[c]));
			}
			for (size_t j = 0; tip && up && j < r->dependents.len; j++) {
				size_t c = ((retort_revision *)r->dependents.items[j])->topo;
				tip = !(applied[c] && lineage[c]);
			}
			if (tip)
				retort_vec_push(&pick, r);
		}
	}
	if (pick.len == 1)
		*out = pick.items[0];
	else if (pick.len > 1)
		error = ambiguous(ident, "the database has several heads:", &pick,
			"; use LABEL@+N / LABEL@-N or REV+N / REV-N");
	else if (need)
		error = retort__error_code(RETORT_ENOTFOUND, RETORT_ERROR_REVISION,
			"'%s' walks past base: nothing is applied%s", ident, lineage ? " on that branch" : "");
done:
	free(applied);
	retort_vec_dispose(&cur, false);
	retort_vec_dispose(&pick, false);
	return error;
}

static int resolve_at(retort_vec *out, const retort_graph *g, const char *ident,
	const char *left, const char *right, const char *const *current, size_t ncurrent,
	retort_revision **branch)
{
	retort_revision *anchor = NULL, *r = NULL;
	bool is_label = retort_map_get(&g->by_label, left) != NULL;
	long n;
	int error;

	if (parse_relative(right, &n)) {
		unsigned char *lineage;
		if (!is_label)
			return retort__error_code(RETORT_ENOTFOUND, RETORT_ERROR_REVISION,
				"'%s': no branch label '%s'", ident, left);
		lineage = lineage_of(g, retort_map_get(&g->by_label, left));
		if ((error = current_start(&r, g, ident, lineage, current, ncurrent, n < 0, n > 0)) == 0) {
			if (branch)
				*branch = r;
			error = walk(&r, g, ident, r, n, lineage);
		}
		free(lineage);
		if (error < 0)
			return error;
		if (r)
			retort_vec_push(out, r);
		return 0;
	}
	if ((error = resolve_one(&anchor, g, left)) < 0)
		return error;
	/*
	 * LABEL@base is "below the branch", as in Alembic: no revision (show
	 * prints nothing, upgrade has nothing to do); a downgrade to it takes
	 * the whole branch away (retort__graph_branch_bases).
	 */
	if (!strcmp(right, "base"))
		return 0;
	if (!strcmp(right, "head") || !strcmp(right, "heads")) {
		retort_vec ends = RETORT_VEC_INIT;
		lineage_ends(&ends, g, anchor, right[0] == 'h');
		if (!strcmp(right, "head") && ends.len > 1) {
			error = several_heads(ident, &ends, is_label ? "the branch" : "the revision's lineage");
		} else {
			for (size_t i = 0; i < ends.len; i++)
				retort_vec_push(out, ends.items[i]);
		}
		retort_vec_dispose(&ends, false);
		return error;
	}
	if ((error = resolve_one(&r, g, right)) < 0)
		return error;
	if (is_label && !has_label(r, left))
		return retort__error_code(RETORT_ENOTFOUND, RETORT_ERROR_REVISION,
			"'%s': revision '%s' is not on branch '%s'", ident, r->id, left);
	retort_vec_push(out, r);
	return 0;
}

int retort__graph_branch_bases(retort_vec *out, const retort_graph *g, const char *ident)
{
	const char *at = strrchr(ident, '@');
	retort_revision *anchor = NULL;
	unsigned char *up;
	char *left;
	int error;

	if (!at || strcmp(at + 1, "base") != 0 || at == ident)
		return 0;
	left = retort__strndup(ident, (size_t)(at - ident));
	error = resolve_one(&anchor, g, left);
	free(left);
	if (error < 0)
		return error;
	/* Alembic narrows the bases to the branch's only when there are several. */
	if (g->bases.len < 2) {
		for (size_t i = 0; i < g->bases.len; i++)
			retort_vec_push(out, g->bases.items[i]);
		return 1;
	}
	up = retort__calloc(g->revs.len + 1, 1);
	retort__graph_mark_ancestors(g, up, &anchor, 1, RETORT__WALK_PARENTS);
	for (size_t i = 0; i < g->bases.len; i++)
		if (up[((retort_revision *)g->bases.items[i])->topo])
			retort_vec_push(out, g->bases.items[i]);
	free(up);
	return 1;
}

int retort_graph_resolve(retort_vec *out, const retort_graph *g,
	const char *ident, const char *const *current, size_t ncurrent)
{
	return retort__graph_resolve_branch(out, NULL, g, ident, current, ncurrent);
}

int retort__graph_resolve_branch(retort_vec *out, retort_revision **branch, const retort_graph *g,
	const char *ident, const char *const *current, size_t ncurrent)
{
	retort_revision *r = NULL;
	const char *at, *sign;
	long n;
	int error;

	if (branch)
		*branch = NULL;
	if (!strcmp(ident, "base"))
		return 0;
	if (!strcmp(ident, "current")) {
		retort_vec cur = RETORT_VEC_INIT;
		if (!current)
			return retort__error_code(RETORT_EUSAGE, RETORT_ERROR_USAGE,
				"'current' names the database's revisions, which are not read here");
		if ((error = retort__graph_current(&cur, g, current, ncurrent)) == 0)
			for (size_t i = 0; i < cur.len; i++)
				retort_vec_push(out, cur.items[i]);
		retort_vec_dispose(&cur, false);
		return error;
	}
	if (!strcmp(ident, "heads") || !strcmp(ident, "head")) {
		if (ident[4] == '\0' && g->heads.len > 1)
			return several_heads(ident, &g->heads, "the graph");
		for (size_t i = 0; i < g->heads.len; i++)
			retort_vec_push(out, g->heads.items[i]);
		return 0;
	}
	if ((r = retort_graph_get(g, ident)) || (r = retort_map_get(&g->by_label, ident))) {
		retort_vec_push(out, r);
		return 0;
	}
	if (strchr(ident, ':'))
		return retort__error_code(RETORT_EUSAGE, RETORT_ERROR_USAGE,
			"'%s': a range is not accepted here", ident);
	if ((error = check_steps(ident)) < 0)
		return error;
	if (parse_relative(ident, &n)) {
		if ((error = current_start(&r, g, ident, NULL, current, ncurrent, n < 0, n > 0)) < 0)
			return error;
		if (branch)
			*branch = r;
		if ((error = walk(&r, g, ident, r, n, NULL)) < 0)
			return error;
		if (r)
			retort_vec_push(out, r);
		return 0;
	}
	/* REV+N / REV-N (also LABEL@head-1): the last sign followed only by digits */
	sign = ident + strlen(ident);
	while (sign > ident && isdigit((unsigned char)sign[-1]))
		sign--;
	if (sign > ident + 1 && sign[0] && (sign[-1] == '+' || sign[-1] == '-') && sign[-2] != '@') {
		char *left = retort__strndup(ident, (size_t)(sign - 1 - ident));
		retort_vec base = RETORT_VEC_INIT;
		n = strtol(sign - 1, NULL, 10);
		if ((error = retort_graph_resolve(&base, g, left, current, ncurrent)) == 0) {
			if (base.len != 1)
				error = retort__error_code(RETORT_EUSAGE, RETORT_ERROR_REVISION,
					"'%s': '%s' is not a single revision", ident, left);
			else if ((error = walk(&r, g, ident, base.items[0], n, NULL)) == 0 && r)
				retort_vec_push(out, r);
		}
		retort_vec_dispose(&base, false);
		free(left);
		return error;
	}
	if ((at = strchr(ident, '@')) != NULL) {
		char *left = retort__strndup(ident, (size_t)(at - ident));
		error = resolve_at(out, g, ident, left, at + 1, current, ncurrent, branch);
		free(left);
		return error;
	}
	if ((error = resolve_one(&r, g, ident)) < 0)
		return error;
	retort_vec_push(out, r);
	return 0;
}

/*
 * The start of a range.  A relative start ("-2:", "LABEL@-1:X") counts
 * down from the graph's heads (those on the branch), as Alembic's history
 * does; when the first of those walks goes past base it counts down from
 * the range's end instead, stopping at base.  Other forms resolve as usual.
 */
static int range_lower(retort_vec *out, const retort_graph *g, const char *range, const char *a,
	const retort_vec *upper, const char *const *current, size_t ncurrent)
{
	const char *at = strrchr(a, '@');
	const char *rel = at ? at + 1 : a;
	char *label = NULL;
	bool first = true;
	long n;
	int error = 0;

	if (!parse_relative(rel, &n) || n >= 0)
		return retort_graph_resolve(out, g, a, current, ncurrent);
	if (at) {
		label = retort__strndup(a, (size_t)(at - a));
		if (!retort_map_get(&g->by_label, label)) {
			free(label);
			return retort_graph_resolve(out, g, a, current, ncurrent);
		}
	}
	for (size_t i = 0; i < g->heads.len && !error; i++) {
		retort_revision *h = g->heads.items[i], *r = NULL;
		if (label && !has_label(h, label))
			continue;
		if ((error = walk(&r, g, range, h, n, NULL)) == RETORT_ENOTFOUND) {
			/* past base: Alembic then counts from the end of the range, stopping at base */
			retort_error_clear();
			error = 0;
			if (first && upper->len) {
				retort_revision *from = upper->items[0];
				for (long k = 0; k < -n && from && !error; k++)
					if ((error = step(&from, range, -1, NULL)) == 0 && !from)
						break;
				if (!error && from)
					retort_vec_push(out, from);
				goto done;
			}
		} else if (error == 0 && !r) {
			/* landed exactly on "base", which is no revision of the range */
			error = retort__error_code(RETORT_EUSAGE, RETORT_ERROR_REVISION,
				"range '%s': '%s' from head '%s' is base, not a revision below the end",
				range, a, h->id);
		} else if (r) {
			retort_vec_push(out, r);
		}
		first = false;
	}
	/* Alembic refuses a start whose revisions lie on one another's lineage */
	if (!error && out->len > 1) {
		unsigned char *below = retort__calloc(g->revs.len + 1, 1);
		for (size_t i = 0; i < out->len; i++) {
			retort_revision *r = out->items[i];
			retort__graph_mark_ancestors(g, below, (retort_revision **)r->parents.items,
				r->parents.len, RETORT__WALK_PARENTS | RETORT__WALK_DEPS);
			retort__graph_mark_ancestors(g, below, (retort_revision **)r->dependencies.items,
				r->dependencies.len, RETORT__WALK_PARENTS | RETORT__WALK_DEPS);
		}
		for (size_t i = 0; i < out->len && !error; i++)
			if (below[((retort_revision *)out->items[i])->topo])
				error = retort__error_code(RETORT_EUSAGE, RETORT_ERROR_REVISION,
					"range '%s': '%s' names revisions on one lineage ('%s' is below another)",
					range, a, ((retort_revision *)out->items[i])->id);
		free(below);
	}
done:
	free(label);
	return error;
}

int retort_graph_range(retort_vec *out, const retort_graph *g, const char *range,
	const char *const *current, size_t ncurrent)
{
	const char *colon = strchr(range, ':');
	retort_vec lower = RETORT_VEC_INIT, upper = RETORT_VEC_INIT;
	unsigned char *up = NULL, *down = NULL;
	char *a = NULL;
	int error = 0;

	if (!colon)
		return retort__error_code(RETORT_EUSAGE, RETORT_ERROR_USAGE,
			"range '%s' must look like START:END, START: or :END", range);
	a = retort__strndup(range, (size_t)(colon - range));
	if (colon[1] && (error = retort_graph_resolve(&upper, g, colon + 1, current, ncurrent)) < 0)
		goto done;
	if (!colon[1])
		for (size_t i = 0; i < g->heads.len; i++)
			retort_vec_push(&upper, g->heads.items[i]);
	if (*a && (error = range_lower(&lower, g, range, a, &upper, current, ncurrent)) < 0)
		goto done;

	up = retort__calloc(g->revs.len + 1, 1);
	retort__graph_mark_ancestors(g, up, (retort_revision **)upper.items, upper.len,
		RETORT__WALK_PARENTS | RETORT__WALK_DEPS);
	if (lower.len) {
		down = retort__calloc(g->revs.len + 1, 1);
		/* above the start over Revises only: a dependent alone is not "after" it (Alembic) */
		retort__graph_mark_descendants(g, down, (retort_revision **)lower.items, lower.len,
			RETORT__WALK_PARENTS);
		for (size_t i = 0; i < lower.len; i++) {
			retort_revision *r = lower.items[i];
			if (!up[r->topo]) {
				error = retort__error_code(RETORT_EUSAGE, RETORT_ERROR_REVISION,
					"range '%s': revision '%s' is not an ancestor of '%s'", range, r->id,
					colon[1] ? colon + 1 : "heads");
				goto done;
			}
		}
	}
	for (size_t i = g->revs.len; i-- > 0;)
		if (up[i] && (!down || down[i]))
			retort_vec_push(out, g->revs.items[i]);
done:
	free(up);
	free(down);
	free(a);
	retort_vec_dispose(&lower, false);
	retort_vec_dispose(&upper, false);
	return error;
}
