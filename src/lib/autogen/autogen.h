/*
 * autogen.h - the difference between two states of a schema, each
 * materialized in a real database and reflected by the schema engine:
 *
 *   check / revision --autogenerate: the migrations replayed to head in a
 *     scratch database (or, with from_db, the live database, which must be
 *     at head) against target_schema loaded into another scratch database;
 *   drift: the migrations replayed to the live database's own heads
 *     against the live database.
 *
 * This module orchestrates scratch.h, migrate.h and schema.h; it renders
 * nothing and prints nothing.
 */
#ifndef RETORT_AUTOGEN_H
#define RETORT_AUTOGEN_H

#include <stdbool.h>

#include "config/config.h"
#include "graph/graph.h"
#include "autogen/scratch.h"
#include "schema/schema.h"

typedef struct retort_autogen {
	retort_model *from;   /* what the migrations produce (drift: expected) */
	retort_model *to;     /* the target (drift: the live database) */
	retort_diff *up;      /* from -> to */
	retort_diff *down;    /* to -> from */
	retort_vec heads;     /* char *: the revisions `from` is at */
	/*
	 * drift: applied revisions whose file changed since they ran (history
	 * checksums), borrowed from the graph.  The replay runs the edited
	 * files, so a difference may be the edit's, not the database's.
	 */
	retort_vec edited;
} retort_autogen;

typedef struct retort_autogen_opts {
	bool from_db;             /* current state from the live database, not a replay */
	const retort_vec *renames; /* char * "TABLE.OLD=NEW" */
} retort_autogen_opts;

/* Migrations at head (or the live db) -> target_schema. */
int retort_autogen_target(retort_autogen **out, const retort_config *cfg,
	const retort_graph *graph, const retort_autogen_opts *opts);
/* Migrations at the live database's heads -> the live database. */
int retort_autogen_drift(retort_autogen **out, const retort_config *cfg,
	const retort_graph *graph);
void retort_autogen_free(retort_autogen *ag);

/* --- shared with squash.c ------------------------------------------------ */

/*
 * Replay the migrations into the scratch database, on its own connection,
 * up to each of `targets` (char * identifiers) in turn, keeping no history
 * there.
 */
int retort__autogen_replay(const retort_config *cfg, const retort_graph *graph,
	const retort_scratch *scratch, const retort_vec *targets);
/* Reflect `db` through cfg's filters (retort's own tables left out). */
int retort__autogen_reflect(retort_model **out, retort_db *db, const retort_config *cfg);

#endif
