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
#include "schema/schema.h"

typedef struct retort_autogen {
	retort_model *from;   /* what the migrations produce (drift: expected) */
	retort_model *to;     /* the target (drift: the live database) */
	retort_diff *up;      /* from -> to */
	retort_diff *down;    /* to -> from */
	retort_vec heads;     /* char *: the revisions `from` is at */
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

#endif
