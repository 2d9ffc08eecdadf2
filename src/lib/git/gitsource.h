/*
 * gitsource.h - revision scripts as they are at a git commit, read straight
 * from git objects (libgit2), without a checkout; and the commit `lint`
 * compares against when none is named; the HEAD commit a run records.
 *
 * This module reads git; it does not compare anything (lint.c) and never
 * writes to the repository.
 */
#ifndef RETORT_GITSOURCE_H
#define RETORT_GITSOURCE_H

#include <stdbool.h>

#include "config/config.h"
#include "base/vec.h"
#include "graph/script.h"

typedef struct retort_gitsource retort_gitsource;

/*
 * The HEAD commit id (hex) of the git repository that contains `path`, or
 * NULL when it is not inside one (or HEAD is unborn).  Caller frees.  The
 * history table records it for every step.
 */
char *retort__git_head_commit(const char *path);

/* Open the repository that contains cfg->script_location. */
int retort_gitsource_open(retort_gitsource **out, const retort_config *cfg);
void retort_gitsource_free(retort_gitsource *src);

/*
 * Pick the base commit: `ref` when given (any revspec git understands),
 * else the merge base of HEAD with its upstream branch, else with main,
 * master, origin/main or origin/master, the first that exists.  The
 * description ("main", "@{upstream}") and the 40-hex id are kept for
 * messages; both are borrowed from the source.
 */
int retort_gitsource_set_base(retort_gitsource *src, const char *ref);
const char *retort_gitsource_base_name(const retort_gitsource *src);
const char *retort_gitsource_base_id(const retort_gitsource *src);
/* The working tree's root, absolute, ending in '/'; borrowed. */
const char *retort_gitsource_workdir(const retort_gitsource *src);

/*
 * Parse every revision script (.sql, .c) of every version location as it
 * is at the base commit, appending retort_script * to `out` (owned by the
 * caller).  A location that did not exist at the base yields nothing.
 * Script paths read "<base>:<path in the repository>".
 */
int retort_gitsource_scripts(retort_vec *out, retort_gitsource *src, const retort_config *cfg);

/*
 * When HEAD does not contain the base commit (the base moved on since this
 * branch forked from it), the scripts at the fork point, their merge base,
 * appended to `out` and *forked true; else nothing.  Owned by the caller.
 */
int retort_gitsource_fork_scripts(retort_vec *out, bool *forked, retort_gitsource *src,
	const retort_config *cfg);

/* A revision script as a branch of the repository has it. */
typedef struct retort_branch_script {
	char *branch;             /* "feature", "origin/feature" */
	retort_script *script;    /* path "<branch>:<path in the repository>" */
} retort_branch_script;

/*
 * The revision scripts at the tip of every local and remote-tracking
 * branch but the one checked out, appended to `out` (retort_branch_script
 * *, owned by the caller: free with retort_gitsource_branch_scripts_free).
 * A file git stores once is parsed once, for the first branch that has
 * it: what the branches share is not repeated.
 */
int retort_gitsource_branch_scripts(retort_vec *out, retort_gitsource *src, const retort_config *cfg);
void retort_gitsource_branch_scripts_free(retort_vec *scripts);

#endif
