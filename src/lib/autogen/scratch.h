/*
 * scratch.h - throwaway databases for autogenerate, check and drift: where
 * the target schema is loaded and the migrations are replayed, so both
 * sides of a comparison are normalized by the same kind of database.
 *
 * SQLite: a new file from mkstemp in $TMPDIR (a memory database would not
 * survive the separate connections a migration run opens).  PostgreSQL: a
 * new database created on the server of `dev_url` when configured, else on
 * the server of `url`, and dropped again (WITH FORCE) when freed.
 *
 * This module only creates and removes databases; it runs no migrations.
 */
#ifndef RETORT_SCRATCH_H
#define RETORT_SCRATCH_H

#include "config/config.h"
#include "dialect/db.h"

typedef struct retort_scratch retort_scratch;

/* A new, empty scratch database for the dialect of cfg's URL. */
int retort_scratch_create(retort_scratch **out, const retort_config *cfg);
/* Its URL text (borrowed; never contains a password the config did not). */
const char *retort_scratch_url(const retort_scratch *s);
/* Drop the database or remove the file.  Accepts NULL. */
void retort_scratch_free(retort_scratch *s);

#endif
