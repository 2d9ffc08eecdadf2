/*
 * migrate.h - running migrations: upgrade, downgrade, stamp and
 * ensure-version against a live database, the same rendered as SQL text
 * (offline mode), and the status `retort current -v` reports.
 *
 * A run opens the configured database, takes the migration lock, reads the
 * current heads inside it, plans with graph.h, and runs each step in a
 * transaction together with its version-table update and history row (or
 * the whole run in one transaction when transaction_per_migration is
 * false).  This module does not parse scripts or walk the graph (graph.h),
 * and it never prints: the caller gets a progress event per revision.
 */
#ifndef RETORT_MIGRATE_H
#define RETORT_MIGRATE_H

#include <stdbool.h>

#include "base/buf.h"
#include "config/config.h"
#include "dialect/db.h"
#include "graph/graph.h"
#include "base/vec.h"

/* Where in a step an event is. */
typedef enum retort_migrate_phase {
	RETORT_PHASE_DONE = 0,      /* applied (or, with dry_run, planned) */
	RETORT_PHASE_START,         /* about to run its script */
	RETORT_PHASE_FAIL,          /* its script or version update failed; rolled back */
} retort_migrate_phase;

/* One revision applied (or, with dry_run, about to be; or starting; or failed). */
typedef struct retort_migrate_event {
	retort_migrate_phase phase;
	const char *verb;           /* "upgrade", "downgrade", "stamp" */
	const retort_revision *rev; /* NULL for stamp */
	const char *from;           /* ids joined by ", " ("" for base) */
	const char *to;
	const char *message;        /* the script's message, "" for stamp */
	double ms;                  /* time taken, 0 for dry runs */
	bool dry_run;               /* not run: --dry-run reports the plan */
	/* RETORT_PHASE_FAIL only: */
	const char *error;          /* the message, as retort_error_last() has it */
	const char *file;           /* the script */
	unsigned line;              /* of the failing statement, 0 when not known */
	/*
	 * verb "retry" (PostgreSQL): attempt `attempt` of `attempts` at the
	 * step in `direction` ("upgrade", "downgrade") waited past
	 * lock_timeout for a lock (`reason`, the server's message, with
	 * file:line) and was rolled back (in a one-transaction run, with the
	 * whole run); the next attempt starts after delay_ms.
	 */
	const char *direction;
	unsigned attempt, attempts;
	double delay_ms;
	const char *reason;
} retort_migrate_event;

typedef void (*retort_migrate_progress_cb)(const retort_migrate_event *ev, void *payload);

typedef struct retort_migrate_opts {
	retort_migrate_progress_cb progress; /* may be NULL */
	void *progress_payload;
	/* Called once if the lock is held by another retort; `what` is the masked URL. */
	void (*on_wait)(const char *what, void *payload);
	void *wait_payload;
	bool dry_run;               /* upgrade/downgrade: plan and report, change nothing */
	const char *tag;            /* --tag: stored with each history row of the run; may be NULL */
	/*
	 * upgrade/downgrade: run on this open connection instead of connecting
	 * to cfg's URL, without the migration lock, and leave it open (a
	 * scratch database nobody else uses).  NULL: connect.
	 */
	retort_db *db;
} retort_migrate_opts;

/* target NULL = "heads" for upgrade; downgrade requires one. */
int retort_migrate_upgrade(const retort_config *cfg, const retort_graph *graph,
	const char *target, const retort_migrate_opts *opts);
int retort_migrate_downgrade(const retort_config *cfg, const retort_graph *graph,
	const char *target, const retort_migrate_opts *opts);
int retort_migrate_stamp(const retort_config *cfg, const retort_graph *graph,
	const char *const *targets, size_t ntargets, bool purge, const retort_migrate_opts *opts);
int retort_migrate_ensure_version(const retort_config *cfg, const retort_migrate_opts *opts);

/*
 * Offline mode: append the SQL a DBA can run instead.  `range` is "TARGET"
 * (upgrade from base) or "FROM:TO"; downgrade requires "FROM:TO".  Nothing
 * connects to a database; the dialect comes from the URL's scheme.
 */
int retort_migrate_render_upgrade(retort_buf *out, const retort_config *cfg,
	const retort_graph *graph, const char *range);
int retort_migrate_render_downgrade(retort_buf *out, const retort_config *cfg,
	const retort_graph *graph, const char *range);
int retort_migrate_render_stamp(retort_buf *out, const retort_config *cfg,
	const retort_graph *graph, const char *const *targets, size_t ntargets, bool purge);
int retort_migrate_render_ensure_version(retort_buf *out, const retort_config *cfg);

/* What a database's heads are, and (verbose) how it relates to the scripts. */
typedef struct retort_unknown_head {
	char *revision;
	char *applied_at;           /* NULL when the history has no record */
	char *git_commit;           /* NULL when unknown or not from git */
	char *os_user, *host;
} retort_unknown_head;

/*
 * A baseline whose replaced files are still present, or whose range the
 * database is inside.  A database needs those files only while it is
 * inside the range: once no database does, `squash --prune` may go.
 */
typedef struct retort_baseline_need {
	const retort_revision *baseline;
	size_t files;               /* replaced files still present */
	const char *inside;         /* the database's id inside the range (borrowed), NULL when not */
} retort_baseline_need;

typedef struct retort_db_status {
	char *url_masked;
	bool has_version_table;
	bool missing;               /* a SQLite file that does not exist (read as empty, not created) */
	retort_vec heads;           /* char *, sorted */
	bool at_head;               /* heads == the graph's heads */
	/*
	 * The version table is empty or missing, version_table is the default,
	 * and the database has Alembic's alembic_version table: most likely an
	 * Alembic database that wants `version_table = alembic_version`.
	 */
	bool alembic_table;
	char *database;             /* SQLite: the file's absolute path; PostgreSQL: host/port/dbname */
	/* Filled by retort_migrate_status with verbose: */
	retort_vec pending;         /* const retort_revision *, in upgrade order */
	retort_vec changed;         /* const retort_revision *: applied, file changed since */
	retort_vec unknown;         /* retort_unknown_head *: heads no script defines */
	char *pending_error;        /* why pending could not be listed (inside a pruned range) */
	/* Always filled: */
	retort_vec baselines;       /* retort_baseline_need *, in topological order */
	struct retort_partial *unfinished; /* a Transactional: no step that stopped partway (partial.h), or NULL */
} retort_db_status;

/* Read the database's state without creating anything. */
int retort_migrate_status(retort_db_status **out, const retort_config *cfg,
	const retort_graph *graph, bool verbose);
/*
 * The same without the verbose part, leaving the connection it read
 * through open in *db (the caller frees it): autogenerate's --from-db
 * reads the schema through it next, instead of opening the database again.
 */
int retort_migrate_status_open(retort_db_status **out, retort_db **db, const retort_config *cfg,
	const retort_graph *graph);
void retort_db_status_free(retort_db_status *status);

/* The message that explains an unfinished step (status->unfinished) and the ways out. */
void retort_migrate_describe_unfinished(retort_buf *out, const retort_db_status *status,
	const retort_graph *graph);

/* One revision a database has applied. */
typedef struct retort_applied {
	char *revision;
	char *applied_at;           /* from the history table; NULL when it has no record */
} retort_applied;

/*
 * Which of `ids` the configured database has applied, appended to `out`
 * (retort_applied *): those at or below its version table's heads in
 * `graph`.  With no graph (the history does not form one), those its
 * version table or history table names.  Reads without creating anything;
 * *url_masked (malloc'd) names the database for messages.
 */
int retort_migrate_applied(retort_vec *out, char **url_masked, const retort_config *cfg,
	const retort_graph *graph, const char *const *ids, size_t n);
void retort_applied_free(retort_applied *a);

/* The message that explains an unknown head and the ways out. */
void retort__unknown_head_describe(retort_buf *out, const retort_unknown_head *u);

#endif
