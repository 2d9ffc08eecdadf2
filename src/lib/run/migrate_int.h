/*
 * migrate_int.h - what the migrate_*.c files share and nobody else needs:
 * connecting, reading a plan's scripts, naming a step's sides and heads
 * no script defines (migrate_common.c), and running or rendering a C
 * revision (migrate_c.c).  Those two files call no other migrate_*.c file,
 * so the arrows between them point one way: migrate.c, migrate_offline.c
 * and migrate_status.c down to migrate_common.c and migrate_c.c.
 */
#ifndef RETORT_MIGRATE_INT_H
#define RETORT_MIGRATE_INT_H

#include <stdbool.h>

#include "base/buf.h"
#include "config/config.h"
#include "dialect/db.h"
#include "run/migrate.h"
#include "graph/script.h"

/* --- migrate_common.c ----------------------------------------------------- */

/* Parse the configured URL and connect. */
int retort__migrate_connect(retort_db **out, const retort_config *cfg);

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

/* --- guarded runs (guard.c) --- */

typedef struct retort__guard {
	bool dirty;                 /* SET LOCAL left values in the current transaction */
	bool session;               /* session SETs to undo after a non-transactional revision */
	unsigned failures;          /* lock timeouts of the current step (or one-transaction run) */
} retort__guard;

/*
 * Before a revision's statements (PostgreSQL): lock_timeout and
 * statement_timeout from its Lock Timeout / Statement Timeout headers,
 * else retort.ini's ddl_lock_timeout / ddl_statement_timeout.  SET LOCAL
 * inside the revision's transaction; session SETs for a non-transactional
 * revision, undone by retort__guard_leave (which keeps the revision's
 * error when `failed`).  Nothing is sent when nothing is configured.
 */
int retort__guard_enter(retort__guard *g, retort_db *db, const retort_config *cfg, const retort_script *s);
int retort__guard_leave(retort__guard *g, retort_db *db, bool failed);
/*
 * After a step failed with `error` and its transaction was rolled back:
 * whether to run it again.  Yes when its lock wait timed out
 * (RETORT_ELOCKED on PostgreSQL), it is transactional and fewer than
 * ddl_lock_retries retries were made: the pause is reported as a "retry"
 * event and slept.  No otherwise; after the last attempt the error says
 * how many there were.
 */
bool retort__guard_retry(retort__guard *g, const retort_config *cfg, const retort_migrate_opts *opts,
	const retort_db *db, const retort_revision *rev, retort_direction direction, int error);
/* The step succeeded: the next one starts with no failures counted. */
void retort__guard_done(retort__guard *g);

/* "a, b" for a step's from/to side. */
char *retort__migrate_step_side(const retort_step *step, bool from);

/* Look `revision` up in the history table (provenance of an unknown head). */
int retort__migrate_unknown(retort_unknown_head **out, retort_db *db,
	const retort_config *cfg, const char *revision);
void retort__unknown_head_free(retort_unknown_head *u);
/*
 * Whether an empty or missing default version table sits beside Alembic's
 * alembic_version (see alembic_table above).
 */
int retort__migrate_alembic_table(bool *out, retort_db *db, const retort_config *cfg,
	const retort_vec *heads);

/*
 * Fail (RETORT_ENOTFOUND, with the explanation) when one of `heads` is a
 * revision the graph does not define.
 */
int retort__migrate_check_known(retort_db *db, const retort_config *cfg,
	const retort_graph *graph, const retort_vec *heads);

/* --- migrate_c.c ----------------------------------------------------------- */

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

#endif
