/*
 * rules.h - what a migration statement locks and what it risks on a live
 * database: the statement rules behind `retort lint` and `upgrade
 * --dry-run -v`.
 *
 * Each rule has a stable code (R101), a name (index-not-concurrent), a
 * default level, the lock its statements take, why it hurts and what to
 * do instead.  A checker (retort_rules) reads a revision's SQL the way
 * the dialect does: PostgreSQL statements through libpg_query's parse
 * tree, SQLite statements through its lexer and sql.h's classifier.  It
 * remembers the schema the revisions it has read build (tables created,
 * column types, NOT NULL checks) so a later revision is judged against
 * it, and with a database connection it asks the catalog what the text
 * cannot say: how many rows a table has, a column's current type, whether
 * a default's function is volatile.  A table created earlier in the same
 * revision is never "existing": nothing can be waiting on it.
 *
 * Levels come from the rule, then a table estimated above
 * lint_large_table rows makes a rewrite or index build an error, then
 * retort.ini's lint_error and lint_ignore apply, and a `-- retort:nolint
 * CODE` comment in (or at the end of the line of) a statement drops that
 * statement's findings of CODE.
 *
 * This module never prints and never runs a migration's statements; the
 * only SQL it sends are catalog queries.
 */
#ifndef RETORT_RULES_H
#define RETORT_RULES_H

#include <stdbool.h>
#include <stddef.h>

#include "config/config.h"
#include "dialect/url.h"

/* Table-level lock modes, weakest first (PostgreSQL's names), and SQLite's two. */
typedef enum retort_lock {
	RETORT_LOCK_NONE = 0,
	RETORT_LOCK_ACCESS_SHARE,
	RETORT_LOCK_ROW_SHARE,
	RETORT_LOCK_ROW_EXCLUSIVE,
	RETORT_LOCK_SHARE_UPDATE_EXCLUSIVE,
	RETORT_LOCK_SHARE,
	RETORT_LOCK_SHARE_ROW_EXCLUSIVE,
	RETORT_LOCK_EXCLUSIVE,
	RETORT_LOCK_ACCESS_EXCLUSIVE,
	RETORT_LOCK_SQLITE_READ,    /* a SHARED lock on the database file */
	RETORT_LOCK_SQLITE_WRITE,   /* the database's write lock: one writer at a time */
} retort_lock;

/* "ACCESS EXCLUSIVE", "SHARE", "write" ...; "" for none. */
const char *retort_lock_name(retort_lock lock);
/* What others cannot do meanwhile: "blocks reads and writes", "blocks writes", ... */
const char *retort_lock_blocks(retort_lock lock);

typedef enum retort_lint_level {
	RETORT_LINT_ERROR = 1,
	RETORT_LINT_WARNING = 2,
	RETORT_LINT_ADVICE = 3,
} retort_lint_level;

/* "error", "warning", "advice" */
const char *retort_lint_level_name(retort_lint_level level);

/* Which dialects a rule is checked on. */
#define RETORT_RULE_PG 1u
#define RETORT_RULE_SQLITE 2u

typedef struct retort_rule {
	const char *code;           /* "R101": stable, never reused */
	const char *name;           /* "index-not-concurrent" */
	retort_lint_level level;    /* before overrides */
	unsigned dialects;          /* RETORT_RULE_PG | RETORT_RULE_SQLITE; 0: revision checks (lint.c) */
	retort_lock lock;           /* what the statement typically takes (the README's table) */
	bool size_matters;          /* a rewrite, scan or index build: an error on a large table */
	const char *why;            /* one line */
	const char *instead;        /* the safe alternative, one line */
} retort_rule;

/* Every rule, in code order; *n gets the count. */
const retort_rule *retort_rules_all(size_t *n);
/* A rule by code or name, compared without regard to case; NULL when none. */
const retort_rule *retort_rule_find(const char *code_or_name);

/* --- checking revisions ------------------------------------------------- */

typedef struct retort_rules_finding {
	const retort_rule *rule;
	retort_lint_level level;    /* after table size, lint_error / lint_ignore */
	unsigned line;              /* in the file (first_line of the section + offset) */
	retort_lock lock;
	char *table;                /* the table concerned, NULL when none */
	double rows;                /* its estimated rows, -1 when unknown */
	char *message;              /* one line: what the statement does, and why it hurts */
} retort_rules_finding;

/* One statement: where it is, what it is, what it locks. */
typedef struct retort_rules_stmt {
	unsigned line;
	char command[40];           /* sql.h's leading command words */
	retort_lock lock;           /* the strongest table lock it takes */
	char *table;                /* on which table, NULL when none or not known */
	double rows;                /* its estimated rows, -1 when unknown or no database */
	size_t first, nfindings;    /* its findings in the result's */
} retort_rules_stmt;

typedef struct retort_rules_result {
	retort_rules_stmt *stmts;
	size_t nstmts;
	retort_rules_finding *findings;
	size_t nfindings;
} retort_rules_result;

void retort_rules_result_free(retort_rules_result *result);

typedef struct retort_rules retort_rules;
struct retort_db;

/*
 * A checker for `dialect`.  `cfg` (may be NULL: defaults) gives
 * lint_error, lint_ignore and lint_large_table; an unknown code there is
 * a configuration error naming the file and line.  `db` (borrowed, may
 * be NULL) is a connection to the database the revisions will run on:
 * PostgreSQL's catalog is asked about table sizes, column types,
 * validated checks and function volatility.
 */
int retort_rules_new(retort_rules **out, retort_dialect_id dialect, const retort_config *cfg,
	struct retort_db *db);
void retort_rules_free(retort_rules *rules);

/*
 * Check one revision's section: `sql` starts on line `first_line` of its
 * file; `transactional` is the revision's Transactional header.  With
 * `out` NULL the revision is only learnt from (lint reads the revisions
 * before the new ones that way).  Fails only on a database error; SQL
 * the parser rejects is a finding (R008), not an error.
 */
int retort_rules_check(retort_rules_result **out, retort_rules *rules, const char *sql,
	unsigned first_line, bool transactional);

/*
 * The level retort.ini gives `rule` when the finding would otherwise be
 * `level`: lint_error makes it an error; 0 when lint_ignore drops it.
 */
retort_lint_level retort_rules_level(const retort_rules *rules, const retort_rule *rule,
	retort_lint_level level);

#endif
