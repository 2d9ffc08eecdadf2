/*
 * scratch.h - throwaway databases for autogenerate, check and drift: where
 * the target schema is loaded and the migrations are replayed, so both
 * sides of a comparison are normalized by the same kind of database.
 *
 * A scratch database is used through the one connection it comes with,
 * and nothing in it needs to survive a crash: SQLite's is in memory;
 * PostgreSQL's is a new database created on the server of `dev_url` when
 * configured, else on the server of `url`, with synchronous_commit off on
 * that connection (commits do not wait for the disk), and dropped again
 * (WITH FORCE) when freed.
 *
 * This module only creates and removes databases; it runs no migrations.
 */
#ifndef RETORT_SCRATCH_H
#define RETORT_SCRATCH_H

#include "config/config.h"
#include "dialect/db.h"

typedef struct retort_scratch retort_scratch;

/* A new, empty scratch database for the dialect of cfg's URL, and a connection to it. */
int retort_scratch_create(retort_scratch **out, const retort_config *cfg);
/* The connection (borrowed; lives as long as the scratch). */
retort_db *retort_scratch_db(const retort_scratch *s);
/* Its URL text, for messages (borrowed; never contains a password the config did not). */
const char *retort_scratch_url(const retort_scratch *s);
/* Close the connection, drop the database.  Accepts NULL. */
void retort_scratch_free(retort_scratch *s);

#endif
