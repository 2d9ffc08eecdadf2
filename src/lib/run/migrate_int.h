/*
 * migrate_int.h - what the migrate_*.c files share and nobody else needs:
 * running a C revision and describing heads no script defines.
 */
#ifndef RETORT_MIGRATE_INT_H
#define RETORT_MIGRATE_INT_H

#include <stdbool.h>

#include "base/buf.h"
#include "config/config.h"
#include "dialect/db.h"
#include "run/migrate.h"
#include "graph/script.h"

/*
 * Compile (cached), load and run a C revision's upgrade() or downgrade()
 * against `db`, inside whatever transaction the caller holds.  Errors name
 * the script.
 */
int retort__migrate_run_c(retort_db *db, const retort_config *cfg,
	const retort_script *script, bool upgrade);
/* The same through the recording context: append the SQL it would run. */
int retort__migrate_render_c(retort_buf *out, const retort_dialect *d,
	const retort_config *cfg, const retort_script *script, bool upgrade);

/*
 * Connect for reading only.  Opening a SQLite file that does not exist
 * creates it, and reading must create nothing: a missing file is read as
 * the empty database it would be, through a private in-memory one
 * (*missing tells).
 */
int retort__migrate_connect_existing(retort_db **out, bool *missing, const retort_config *cfg);

/*
 * Read every script of `plan` for running (retort_script_read_sql): what
 * runs, and the checksum recorded, come from that read; a changed header
 * fails here, before anything runs.
 */
struct retort_plan;
int retort__migrate_read_scripts(const struct retort_plan *plan);

/* Look `revision` up in the history table (provenance of an unknown head). */
int retort__migrate_unknown(retort_unknown_head **out, retort_db *db,
	const retort_config *cfg, const char *revision);

#endif
