/*
 * lint.h - git-aware review of revisions (`retort lint`): what changed in
 * the migration history since a base commit, and whether it is safe to
 * merge.
 *
 * Errors (exit 1): a revision that exists at the base was edited or
 * deleted; the new revisions leave more heads than the base had; a new
 * revision revises an unknown id; the new graph is inconsistent.
 * Warnings: destructive statements in a new revision's upgrade, and new
 * revisions without a downgrade.  The comparison itself never touches git
 * or a database; lint.c gets both sides as parsed scripts.
 */
#ifndef RETORT_LINT_H
#define RETORT_LINT_H

#include <stddef.h>

#include "config/config.h"
#include "config/url.h"
#include "base/vec.h"

typedef enum retort_lint_level {
	RETORT_LINT_ERROR = 1,
	RETORT_LINT_WARNING = 2,
} retort_lint_level;

typedef struct retort_lint_finding {
	retort_lint_level level;
	char *path;       /* the script; for a deletion, its place at the base */
	unsigned line;    /* 0 when the finding is about the whole file */
	char *revision;   /* may be NULL (head counts) */
	char *message;
} retort_lint_finding;

typedef struct retort_lint_report {
	char *base_name;          /* "main", "merge base with @{upstream}" */
	char *base_id;            /* 40 hex */
	size_t base_revisions, revisions, new_revisions;
	size_t base_heads, heads; /* 0 when that side's graph is broken */
	retort_vec findings;      /* retort_lint_finding *, errors first, then by path */
	size_t errors, warnings;
	/* How SQL revisions are read: the configured URL's dialect; 0 (none) reads PostgreSQL. */
	retort_dialect_id dialect;
} retort_lint_report;

/* Read the base from git and the working tree from disk, and compare. */
int retort_lint_run(retort_lint_report **out, const retort_config *cfg, const char *base_ref);

/*
 * The comparison alone: consumes the scripts in both vecs (they are freed
 * or handed to graphs) and fills `report`.  Exposed for tests.
 */
int retort_lint_compare(retort_lint_report *report, retort_vec *base, retort_vec *current);
void retort_lint_report_free(retort_lint_report *report);

/*
 * The first destructive statement in SQL text (DROP TABLE/SCHEMA/DATABASE,
 * ALTER ... DROP [COLUMN], TRUNCATE, DELETE, also after a WITH clause),
 * judged by the statements the dialect's lexer splits and classifies
 * (sql.h), so comments, strings, quoted names and function bodies never
 * count.  Returns the 1-based line of its command (of the dropped column)
 * within `sql` and sets *what to a static description, or returns 0 when
 * there is none.  The _in form reads `sql` as `dialect` (0: PostgreSQL);
 * the plain one reads PostgreSQL.
 */
unsigned retort_lint_find_destructive_in(retort_dialect_id dialect, const char *sql, const char **what);
unsigned retort_lint_find_destructive(const char *sql, const char **what);

#endif
