/*
 * rebase.h - `retort rebase`: put the revisions a branch added since a base
 * commit on top of the base's head, so that the branch merges as a straight
 * line instead of leaving a second head.
 *
 * The new revisions are those of the working tree that the base commit
 * does not have (read from git as `lint` reads it).  When they form one
 * line of work (one revision that builds on the base's history, one
 * revision at the end, any shape in between), only the first is changed:
 * its `Revises:` header names the base's head instead of the older
 * revision it was written on.  Ids and every other byte stay.
 *
 * Refused, and why: the base has several heads (merge them there first);
 * the new revisions start from several revisions, or merge base
 * revisions, or end in several heads (join them with `retort merge`); a
 * new revision starts a new base, or is a baseline.  Whether a database
 * already ran one of them is the caller's question (retort_migrate_applied).
 * This module reads git and the version locations; it writes only through
 * retort_rebase_apply.
 */
#ifndef RETORT_REBASE_H
#define RETORT_REBASE_H

#include <stdbool.h>

#include "config/config.h"
#include "base/vec.h"
#include "graph/graph.h"

typedef struct retort_rebase_plan {
	char *base_name;          /* as lint names it: "main", "merge base with main" */
	char *base_id;            /* 40 hex */
	char *base_head;          /* the base's only head; NULL when the base has no revisions */
	retort_vec new_revisions; /* char *: ids the base does not have, in id order */
	/*
	 * What changes: `root` (its file at `root_path`) revises `new_revises`
	 * instead of `old_revises`.  NULL root: nothing to do (`why` says why).
	 */
	char *root;
	char *root_path;
	retort_vec old_revises;   /* char * */
	retort_vec new_revises;   /* char * */
	const char *why;          /* static text when there is nothing to do */
	/* The base's head is not in the working tree: the graph is whole once the base is merged. */
	bool head_missing;
} retort_rebase_plan;

/* Read the base from git and the working tree from disk, and plan (changes nothing). */
int retort_rebase_plan_make(retort_rebase_plan **out, const retort_config *cfg, const char *base_ref);

/*
 * The planning alone: the base's graph and the working tree's scripts
 * (retort_script *), both only read.  Fills `plan` except the base's
 * names.  Exposed for lint and tests.
 */
int retort_rebase_compare(retort_rebase_plan *plan, const retort_graph *base,
	const retort_vec *current);

/* Rewrite the root's Revises line (script_edit.c).  Nothing to do is success. */
int retort_rebase_apply(const retort_rebase_plan *plan);
void retort_rebase_plan_free(retort_rebase_plan *plan);

#endif
