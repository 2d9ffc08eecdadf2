/*
 * lint.h - git-aware review of revisions (`retort lint`): what changed in
 * the migration history since a base commit, and whether it is safe to
 * merge.
 *
 * Errors: a revision that exists at the base was edited (R001) or deleted
 * (R002; unless a baseline replaces it: pruned, a warning, R011); the new
 * revisions leave more heads than the base had (R003, naming the `retort
 * rebase` that joins them when one does); a new revision revises an
 * unknown id (R004); the new graph is inconsistent (R005: a revision
 * revising one inside a baseline's range among them); after a squash or
 * prune, another branch's revision revises an id inside the range (R012);
 * the base has revisions this branch forked before (R013: merge, and the
 * rebase).  The new revisions then get the checks of
 * rules/report.h: the statement rules, missing downgrades, drops in C
 * revisions.  The comparison itself never touches git; lint.c gets both
 * sides as parsed scripts.
 */
#ifndef RETORT_LINT_H
#define RETORT_LINT_H

#include <stddef.h>

#include "base/vec.h"
#include "config/config.h"
#include "dialect/url.h"
#include "rules/report.h"

/*
 * Read the base from git and the working tree from disk, and compare.
 * `db` (borrowed, may be NULL) lets the rules read the catalog.
 */
int retort_lint_run(retort_lint_report **out, const retort_config *cfg, const char *base_ref,
	struct retort_db *db);

/*
 * The comparison alone: consumes the scripts in both vecs (they are freed
 * or handed to graphs) and fills `report` (its dialect and rules as the
 * caller set them; rules made with defaults when NULL).  `branches`
 * (retort_branch_script *, may be NULL) are other branches' scripts,
 * judged against the working tree's baselines.  `fork` (retort_script *,
 * borrowed) is the history at the fork point when HEAD does not contain
 * the base, NULL otherwise: a base revision missing here that the fork
 * did not have came to the base later, and is no deletion.  Fails only
 * when the rules' catalog reads fail.  Exposed for tests.
 */
int retort_lint_compare(retort_lint_report *report, retort_vec *base, retort_vec *current,
	const retort_vec *branches, const retort_vec *fork);

#endif
