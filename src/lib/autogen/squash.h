/*
 * squash.h - `retort squash`: replace a run of revisions with one baseline
 * revision that builds their schema in one step, and, once no database
 * needs them any more, remove the files it replaced (`squash --prune`).
 *
 * The baseline's upgrade is the schema engine's SQL from the schema before
 * the range (the migrations replayed to the range's parents in a scratch
 * database, reflected) to the schema at its end (replayed on to TO,
 * reflected); its downgrade is the way back, so it drops what it created.
 * Its header lists what it replaces (`Replaces:`); graph/baseline.c says
 * how databases at any point of the old history go on from there.  Data
 * migrations in the range (C revisions, DML in SQL revisions) cannot be
 * derived from a schema: the baseline lists them for the author to
 * review, and does not run them.
 */
#ifndef RETORT_SQUASH_H
#define RETORT_SQUASH_H

#include <stdbool.h>
#include <time.h>

#include "config/config.h"
#include "dialect/url.h"
#include "graph/graph.h"

typedef struct retort_squash_opts {
	const char *range;          /* "TO" or "FROM:TO" (graph.h: retort_graph_baseline_spec) */
	const char *message;        /* the baseline's message */
	const char *rev_id;         /* NULL: a random id */
	const char *template_text;  /* the project's SQL revision template */
	time_t now;                 /* 0: time(NULL) */
} retort_squash_opts;

typedef struct retort_squash_result {
	char *path;                 /* the new baseline's file */
	char *revision;             /* its id */
	size_t replaced;            /* how many revisions it replaces */
	char *first, *tip;          /* the first and last of them */
	size_t data_migrations;     /* listed in the file for review */
	bool foreign_keys_off;      /* it rebuilds SQLite tables with foreign keys off (Foreign Keys: off) */
} retort_squash_result;

/*
 * Write the baseline next to TO's file and check that the history still
 * forms a graph with it (else the file is removed again).  Needs a scratch
 * database like `check` does.
 */
int retort_squash(retort_squash_result **out, const retort_config *cfg, const retort_graph *graph,
	const retort_squash_opts *opts);
void retort_squash_result_free(retort_squash_result *result);

/*
 * Remove the replaced files of every baseline (paths appended to
 * `removed`, malloc'd).  Unless `force`, the configured database is read
 * first (creating nothing) and a database inside a replaced range stops
 * everything: it still needs those files.  With no `url` configured there
 * is nothing to check; other databases are the caller's to check
 * (`retort current -v` says whether one needs the files).
 */
int retort_squash_prune(retort_vec *removed, const retort_config *cfg, const retort_graph *graph,
	bool force);

/*
 * The data migrations among `scripts` (retort_script *): one line per C
 * revision and per statement of a SQL revision's upgrade that moves data
 * ("r12 (r12_backfill.sql:14): UPDATE"), appended to `out` (malloc'd
 * strings).  Statements are read and classified by `dialect`'s lexer
 * (sql/), so words in comments, strings and bodies do not count.  Exposed
 * for tests.
 */
int retort_squash_data_migrations(retort_vec *out, const retort_vec *scripts,
	retort_dialect_id dialect);

#endif
