/*
 * graph.h - the revision graph: every script of every version location,
 * linked into a DAG, the identifier grammar that names revisions in it, and
 * the plans that walk it (upgrade, downgrade, stamp).
 *
 * The graph is built from headers only.  It owns its scripts.  Walks are
 * linear in the size of the graph: revisions carry a topological index, so
 * "is an ancestor of" and "collect everything between" never rescan.
 *
 * Semantics follow Alembic's revision map, so a project and a database can
 * move between the two tools: the version table holds one row per current
 * head; `Depends On` adds an ordering edge but never merges branches.
 */
#ifndef RETORT_GRAPH_H
#define RETORT_GRAPH_H

#include <stdbool.h>
#include <stddef.h>

#include "config/config.h"
#include "graph/script.h"
#include "base/vec.h"

typedef struct retort_revision retort_revision;

struct retort_revision {
	retort_script *script;      /* owned by the graph */
	const char *id;             /* == script->revision */
	retort_vec parents;         /* retort_revision *: Revises */
	retort_vec children;        /* retort_revision * */
	retort_vec dependencies;    /* retort_revision *: resolved Depends On */
	retort_vec dependents;      /* retort_revision *: reverse of dependencies */
	size_t topo;                /* index in topological order, bases first */
	/*
	 * Branch labels in effect (borrowed strings): a label declared on a
	 * revision applies to it, every descendant, and the ancestors up to the
	 * nearest branch or merge point, as in Alembic.
	 */
	retort_vec labels;
};

/*
 * A baseline: a revision whose `Replaces:` header lists the run of
 * revisions it stands in for (baseline.c says what that means for the
 * graph and for plans).  The tip is the last id it lists: a database at
 * the tip is at the baseline, and later revisions may revise the tip.
 */
bool retort_revision_is_baseline(const retort_revision *rev);
const char *retort_revision_baseline_tip(const retort_revision *rev); /* NULL for others */

/* Branch point: several children.  Merge point: several parents. */
bool retort_revision_is_branch_point(const retort_revision *rev);
bool retort_revision_is_merge_point(const retort_revision *rev);
bool retort_revision_is_head(const retort_revision *rev);

typedef struct retort_graph retort_graph;

/*
 * Read every version location of `cfg` and build the graph.  Large
 * histories are read by one short-lived thread per usable CPU (joined
 * before this returns); the result and any error are the same as a
 * sequential read's: the first broken file in path order is reported.
 * Every file is read and parsed: what a run plans from never depends on
 * the header cache.
 */
int retort_graph_load(retort_graph **out, const retort_config *cfg);
/*
 * The same through the header cache (scriptcache.h): one stat per
 * unchanged file instead of a read and a parse.  For commands that only
 * report (heads, history, current, ...); SQL bodies are read on demand.
 */
int retort_graph_load_cached(retort_graph **out, const retort_config *cfg);
/*
 * The first half of that: every script of every version location, parsed
 * (checksums lazy) and appended to `out` (retort_script *, owned by the
 * caller), without linking them, for callers that judge a history that may
 * not form a valid graph (lint).
 */
int retort_graph_load_scripts(retort_vec *out, const retort_config *cfg);
/* Build from already-parsed scripts (takes ownership of them and the vec's items). */
int retort_graph_build(retort_graph **out, retort_vec *scripts);
void retort_graph_free(retort_graph *graph);

/*
 * Alembic revision files (*.py, not __init__.py) found in the version
 * locations, which retort does not read: paths, borrowed, for a warning.
 */
const retort_vec *retort_graph_ignored(const retort_graph *graph);
/* For the loader: hand those paths to the graph (it takes the vec's strings). */
void retort__graph_set_ignored(retort_graph *graph, retort_vec *paths);

/* All revisions in topological order (bases first); borrowed. */
size_t retort_graph_count(const retort_graph *graph);
retort_revision *retort_graph_at(const retort_graph *graph, size_t topo);
/* Exact id lookup; NULL when unknown. */
retort_revision *retort_graph_get(const retort_graph *graph, const char *id);
/*
 * What a version-table id stands for: the revision with that id, or the
 * baseline whose tip it is.  NULL for unknown ids and for ids inside a
 * replaced range.
 */
retort_revision *retort_graph_lookup(const retort_graph *graph, const char *id);
/* The baseline (of this graph) whose range holds `id`, tip or not; NULL when none. */
retort_revision *retort_graph_replaced_by(const retort_graph *graph, const char *id);
/*
 * The files of `baseline`'s range that are still present, in path order,
 * appended to `out` (borrowed scripts): what `squash --prune` removes.
 */
void retort_graph_replaced_scripts(retort_vec *out, const retort_graph *graph,
	const retort_revision *baseline);
/* The revision that declares branch label `label`; NULL when no revision does. */
retort_revision *retort_graph_label(const retort_graph *graph, const char *label);
/* Heads (no children), in topological order; borrowed items. */
const retort_vec *retort_graph_heads(const retort_graph *graph);
/*
 * Heads when dependencies count as down revisions (`heads
 * --resolve-dependencies`): no children and no dependents.  Appended to
 * `out` in topological order.
 */
void retort_graph_heads_resolved(retort_vec *out, const retort_graph *graph);

/*
 * Whether the database's current ids (as the version table holds them) can
 * be a database's state: never a revision together with one of its
 * ancestors over Revises (Depends On does not consume a head).  Ids no
 * script defines are left to the caller.  An error of class DATABASE
 * naming both revisions.
 */
int retort_graph_current_check(const retort_graph *graph, const char *const *current, size_t ncurrent);

/*
 * Resolve one identifier (SPEC section 4) to a set of revisions, appended
 * to `out` (borrowed pointers).  `current` is the database's heads (ids) for
 * relative forms like "-1", NULL when there is no database; "base" yields
 * an empty set.  Errors name the identifier and, for ambiguity or several
 * heads, list the candidates.
 */
int retort_graph_resolve(retort_vec *out, const retort_graph *graph,
	const char *ident, const char *const *current, size_t ncurrent);

/*
 * Resolve a range "A:B" (either side may be empty: base / heads) to the
 * revisions that are descendants-or-self of A and ancestors-or-self of B,
 * newest first (reverse topological order).  A plain identifier X means
 * "X alone" except "heads"/"base" style sets, which are taken whole.
 * Errors when A is not an ancestor of B.
 */
int retort_graph_range(retort_vec *out, const retort_graph *graph, const char *range,
	const char *const *current, size_t ncurrent);

/*
 * What a new baseline over `range` ("TO" or "FROM:TO": FROM's descendants
 * that are ancestors of TO, over Revises; everything up to TO when FROM is
 * left out) would replace and revise.  Refused: fewer than two revisions;
 * a revision outside the range revising one inside it other than TO (it
 * would lose its parent); a baseline in the range whose replaced files are
 * still present.  Vectors hold borrowed pointers.
 */
typedef struct retort_baseline_spec {
	retort_vec replaces;      /* retort_revision *, topological order: TO is last */
	retort_vec parents;       /* retort_revision *: what the range's revisions revise outside it */
	retort_vec depends;       /* retort_revision *: what they depend on outside it */
	retort_vec labels;        /* char *: the branch labels declared in the range */
	retort_revision *tip;     /* TO */
} retort_baseline_spec;

int retort_graph_baseline_spec(retort_baseline_spec *out, const retort_graph *graph, const char *range);
void retort_baseline_spec_dispose(retort_baseline_spec *spec);

/* One step of a plan. */
typedef enum retort_direction {
	RETORT_UPGRADE = 1,
	RETORT_DOWNGRADE = 2,
} retort_direction;

typedef struct retort_step {
	retort_revision *rev;       /* borrowed from the graph */
	retort_direction direction;
	/*
	 * The version table before and after this step (ids, sorted), as
	 * Alembic's head maintenance leaves it.  The runtime turns the
	 * difference into DELETE/UPDATE/INSERT statements.
	 */
	retort_vec heads_before;    /* char *, owned */
	retort_vec heads_after;     /* char *, owned */
} retort_step;

typedef struct retort_plan {
	retort_step *steps;
	size_t nsteps;
	retort_vec final_heads;     /* char *, owned: the version table at the end */
} retort_plan;

/*
 * Steps that take a database at `current` to `target` (an identifier; NULL
 * means "heads" for upgrade).  Upgrade: every missing ancestor (and
 * dependency) of the target, parents first.  Downgrade: every applied
 * revision that is not an ancestor of the target, children first; stops
 * with an error naming the revision when one of them has no downgrade
 * (for SQL scripts: downgrade_sql == NULL) before anything runs.
 *
 * A current id that is a baseline's tip counts as the baseline (its row
 * keeps the id until a step moves it).  From inside a replaced range, an
 * upgrade first runs the rest of the range in the literal graph, then goes
 * on from the baseline; a downgrade, or a target inside a range, is
 * planned in the literal graph (step revisions then belong to it).
 */
int retort_plan_upgrade(retort_plan **out, const retort_graph *graph,
	const char *const *current, size_t ncurrent, const char *target);
int retort_plan_downgrade(retort_plan **out, const retort_graph *graph,
	const char *const *current, size_t ncurrent, const char *target);
/* The version table after `stamp TARGET...` (no steps); with purge, current is ignored. */
int retort_plan_stamp(retort_plan **out, const retort_graph *graph,
	const char *const *current, size_t ncurrent,
	const char *const *targets, size_t ntargets, bool purge);
void retort_plan_free(retort_plan *plan);

#endif
