/*
 * report.h - lint reports: findings with their file, line and revision,
 * and the checks made on each revision (the statement rules of rules.h
 * on its upgrade, a missing downgrade, a C revision's drops).
 *
 * A report is filled by the git comparison (git/lint.h: what changed
 * since a base commit), by retort_lint_all (every revision, no git) or
 * by retort_lint_files (given files).  Revisions are read in upgrade
 * order so the rules know the schema the earlier ones built; only the
 * revisions a caller asks about are reported.  Nothing here prints.
 */
#ifndef RETORT_LINT_REPORT_H
#define RETORT_LINT_REPORT_H

#include <stddef.h>

#include "base/common.h"
#include "base/vec.h"
#include "config/config.h"
#include "graph/script.h"
#include "rules/rules.h"

struct retort_db;

typedef struct retort_lint_finding {
	retort_lint_level level;
	const retort_rule *rule;    /* never NULL */
	char *path;                 /* the script; for a deletion, its place at the base */
	unsigned line;              /* 0 when the finding is about the whole file */
	char *revision;             /* may be NULL (head counts, plain SQL files) */
	char *message;
	retort_lock lock;           /* RETORT_LOCK_NONE when the finding is not about a lock */
	char *table;                /* may be NULL */
	double rows;                /* estimated rows of table, -1 when unknown */
} retort_lint_finding;

typedef struct retort_lint_report {
	char *base_ref;             /* --base as given: the commands lint advises repeat it; NULL for the default */
	char *base_name;            /* "main", "merge base with @{upstream}"; NULL without git */
	char *base_id;              /* 40 hex; NULL without git */
	size_t base_revisions, revisions, new_revisions;
	size_t base_heads, heads;   /* 0 when that side's graph is broken (or not read) */
	retort_vec findings;        /* retort_lint_finding *, errors first, then by path and line */
	size_t errors, warnings, advice;
	/* How SQL revisions are read: the configured URL's dialect; 0 (none) reads PostgreSQL. */
	retort_dialect_id dialect;
	/* The checker (retort.ini's levels, the remembered schema); made on first use when NULL. */
	retort_rules *rules;
} retort_lint_report;

/* A finding of `code` (a rule of rules.h), unless retort.ini's lint_ignore drops it. */
void retort__lint_add(retort_lint_report *r, const char *code, const char *path, unsigned line,
	const char *revision, const char *fmt, ...) RETORT_PRINTF(6, 7);

/*
 * Check one revision (its upgrade), reporting what it trips when
 * `report`, else only learning the schema it builds.  Fails only on a
 * database error (rules.h).
 */
int retort_lint_revision(retort_lint_report *r, const retort_script *script, bool report);

/*
 * `scripts` (retort_script *, borrowed) in upgrade order into `out`:
 * parents before children, ties by revision id; a parent no script
 * defines is ignored, and scripts caught in a cycle come last, in id
 * order.
 */
void retort_lint_order(retort_vec *out, const retort_vec *scripts);

/*
 * Every revision of the configured history (no git): rules, missing
 * downgrades, C revisions' drops.  `db` (borrowed, may be NULL) lets the
 * rules read the catalog.
 */
int retort_lint_all(retort_lint_report **out, const retort_config *cfg, struct retort_db *db);
/*
 * The given files, in order: revision scripts, or plain SQL files (no
 * `Revision ID:` header), read as one transactional upgrade.  `cfg` may
 * be NULL (defaults); `dialect` 0 reads PostgreSQL.
 */
int retort_lint_files(retort_lint_report **out, const retort_config *cfg, retort_dialect_id dialect,
	const char *const *paths, size_t npaths, struct retort_db *db);

/* Sort the findings (errors first, then path and line) and count them by level. */
void retort_lint_report_finish(retort_lint_report *r);
/* Name findings under `root` (a directory, with or without '/') relative to it. */
void retort_lint_report_relativize(retort_lint_report *r, const char *root);
void retort_lint_report_free(retort_lint_report *r);

/*
 * The first destructive statement in SQL text (DROP TABLE/SCHEMA/DATABASE,
 * ALTER ... DROP [COLUMN], TRUNCATE, DELETE, also after a WITH clause),
 * judged by the statements the dialect's lexer splits and classifies
 * (sql.h), so comments, strings, quoted names and function bodies never
 * count.  Returns the 1-based line of its command (of the dropped column)
 * within `sql` and sets *what to a static description, or returns 0 when
 * there is none.  The _in form reads `sql` as `dialect` (0: PostgreSQL);
 * the plain one reads PostgreSQL.  Used on the SQL inside C revisions,
 * which are not parsed as statements.
 */
unsigned retort_lint_find_destructive_in(retort_dialect_id dialect, const char *sql, const char **what);
unsigned retort_lint_find_destructive(const char *sql, const char **what);

#endif
