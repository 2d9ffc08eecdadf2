/*
 * graph_int.h - what the graph's own files (graph.c, resolve.c, plan.c,
 * baseline.c) share: the graph's layout and the linear-time walks over it.
 * Nothing outside those four files includes this; the rest of the library,
 * the graph folder's other files included, goes through graph.h.
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

	/*
	 * Baselines (baseline.c).  `replaced` maps every id a baseline of this
	 * graph replaces to that baseline's revision; for the graph everyone
	 * uses, the outermost baseline, whose revision stands in for the ids
	 * it lists.  An id that is its baseline's last (its tip) names the
	 * baseline; the others name no revision of this graph.
	 */
	retort_map replaced;
	retort_vec replaced_scripts; /* retort_script *, owned: the files of replaced revisions */
	/*
	 * The history as its files wrote it, every script a node with its
	 * literal Revises (an id whose file is gone stands for the baseline
	 * that lists it last): how a database inside a replaced range gets to
	 * the end of it.  NULL when no replaced file is present, or when those
	 * files do not form a graph (literal_error says why).
	 */
	retort_graph *literal;
	char *literal_error;
	bool borrowed;        /* the literal graph: scripts belong to the main one */
	retort_vec ignored;   /* char *, owned: Alembic .py revisions found beside ours */
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

/*
 * When `ident` is LABEL@base (or REV@base): append the bases a downgrade
 * to it starts removing from, as Alembic picks them (all bases when there
 * is only one, else those below the label's revision) and return 1; 0 when
 * `ident` is of another form; negative on error.
 */
int retort__graph_branch_bases(retort_vec *out, const retort_graph *g, const char *ident);

/*
 * Resolve the database's current ids to revisions (a baseline's last
 * replaced id to the baseline); unknown ids, and ids inside a replaced
 * range, are errors.
 */
int retort__graph_current(retort_vec *out, const retort_graph *g,
	const char *const *current, size_t ncurrent);

/* --- baselines (baseline.c) --- */

/*
 * Split `scripts` (taken over) for building: the revisions of the graph
 * into g->revs and g->by_id, the files some baseline replaces into
 * g->replaced_scripts; fill g->replaced.  With `literal`, every script is
 * a revision and g->replaced holds only ids no script defines.
 */
int retort__baseline_partition(retort_graph *g, retort_vec *scripts, bool literal);
/*
 * The revision a Revises id of `child` names: a revision, or the baseline
 * whose tip it is.  NULL with the error set when there is none (an id
 * inside a replaced range, or no script at all).
 */
retort_revision *retort__baseline_link_target(const retort_graph *g, const retort_revision *child,
	const char *id);
/* retort_graph_build for the literal graph: the scripts stay the caller's. */
int retort__graph_build_literal(retort_graph **out, retort_vec *scripts);
/* Build g->literal when replaced files are present (never fails: see literal_error). */
void retort__baseline_literal(retort_graph *g);
/* Whether `r` is a baseline whose labels are copies (skipped in the literal graph). */
bool retort__baseline_skip_labels(const retort_graph *g, const retort_revision *r);

/*
 * The plans of plan.c on one graph, without routing through baseline.c
 * (retort_plan_* do that first).  The version table's rows keep the ids
 * `current` gives them, also where an id stands for a baseline.
 */
int retort__plan_upgrade_in(retort_plan **out, const retort_graph *g,
	const char *const *current, size_t ncurrent, const char *target);
int retort__plan_downgrade_in(retort_plan **out, const retort_graph *g,
	const char *const *current, size_t ncurrent, const char *target);
int retort__plan_stamp_in(retort_plan **out, const retort_graph *g,
	const char *const *current, size_t ncurrent,
	const char *const *targets, size_t ntargets, bool purge);
/* Which plan retort__baseline_plan makes. */
typedef enum retort__plan_kind { RETORT__PLAN_UP, RETORT__PLAN_DOWN, RETORT__PLAN_STAMP } retort__plan_kind;
/*
 * A plan that may start inside a replaced range or aim at a revision in
 * one: in the literal graph, or finishing the range there and going on
 * in the main graph.  `targets`: one for upgrade and downgrade.
 */
int retort__baseline_plan(retort_plan **out, const retort_graph *g, retort__plan_kind kind,
	const char *const *current, size_t ncurrent, const char *const *targets, size_t ntargets,
	bool purge);

#endif
