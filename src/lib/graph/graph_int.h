/*
 * graph_int.h - what the graph's own files (graph.c, resolve.c, plan.c)
 * share: the graph's layout and the linear-time walks over it.  Nothing
 * outside those three files includes this; the rest of the library, the
 * graph folder's other files included, goes through graph.h.
 */
#ifndef RETORT_GRAPH_INT_H
#define RETORT_GRAPH_INT_H

#include "graph/graph.h"

struct retort_graph {
	retort_vec revs;      /* retort_revision *, owned, topological order */
	retort_map by_id;     /* id -> retort_revision * */
	retort_map by_label;  /* label -> the revision that declares it */
	retort_revision **sorted; /* by id, for prefix lookup */
	retort_vec heads;     /* no children */
	retort_vec bases;     /* no parents */
};

/* Walk flags: which edges count. */
#define RETORT__WALK_PARENTS 1  /* Revises */
#define RETORT__WALK_DEPS 2     /* Depends On */

/*
 * Mark (set mark[topo] = 1) the seeds and every ancestor reachable over
 * the chosen edges; O(marked part of the graph).  `mark` has
 * retort_graph_count() entries.
 */
void retort__graph_mark_ancestors(const retort_graph *g, unsigned char *mark,
	retort_revision *const *seeds, size_t nseeds, int edges);
/* The same, towards children (and dependents). */
void retort__graph_mark_descendants(const retort_graph *g, unsigned char *mark,
	retort_revision *const *seeds, size_t nseeds, int edges);

/* Revisions whose id starts with `prefix`, appended to out; returns the count. */
size_t retort__graph_prefix(const retort_graph *g, const char *prefix, retort_vec *out);

/* "a, b, c" of revision ids, for messages; caller frees. */
char *retort__graph_id_list(retort_revision *const *revs, size_t n);

/*
 * retort_graph_resolve, also reporting the branch a relative form walked
 * on (*branch: the current revision it started from, NULL when none), so a
 * downgrade can stay on that branch as Alembic's does.
 */
int retort__graph_resolve_branch(retort_vec *out, retort_revision **branch, const retort_graph *g,
	const char *ident, const char *const *current, size_t ncurrent);

/* Resolve the database's current ids to revisions; unknown ids are errors. */
int retort__graph_current(retort_vec *out, const retort_graph *g,
	const char *const *current, size_t ncurrent);

#endif
