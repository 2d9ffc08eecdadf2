/*
 * retort/run.h - moving a project's database: upgrade, downgrade, stamp and
 * ensure-version (what `retort upgrade` and friends do), the SQL they would
 * run (offline mode, `--sql`), and what the database is at.
 *
 * A run connects, takes the migration lock (waiting up to lock_timeout
 * seconds; RETORT_LOG_INFO says so), reads the database's heads inside it
 * and runs each revision in a transaction with its version-table update
 * and history row (or the whole run in one, transaction_per_migration =
 * false).  The first failure rolls its revision back and ends the run.
 * Targets and ranges are the identifiers of retort(1): an id or prefix,
 * head, heads, base, LABEL@head, +N, -N, REV+N, REV-N, LABEL@base ...
 */
#ifndef RETORT_RUN_H
#define RETORT_RUN_H

#include <retort/project.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum retort_event_kind {
	RETORT_EVENT_STARTED = 1, /* a revision's script is about to run */
	RETORT_EVENT_FINISHED,    /* it ran and the version table moved (or a stamp moved it) */
	RETORT_EVENT_FAILED,      /* it failed and was rolled back; the run stops */
	RETORT_EVENT_PLANNED,     /* dry_run: it would run */
	/*
	 * PostgreSQL, ddl_lock_retries: the step waited past lock_timeout for
	 * a lock and was rolled back (in a one-transaction run, with the whole
	 * run); it starts again after delay_ms.
	 */
	RETORT_EVENT_RETRY,
} retort_event_kind;

/* One step of a run.  Every string lives for the callback only. */
typedef struct retort_event {
	retort_event_kind kind;
	const char *verb;         /* "upgrade", "downgrade" or "stamp" */
	const char *revision;     /* the revision's id; NULL for a stamp */
	const char *from;         /* the ids before the step, ", "-separated; "" is base */
	const char *to;           /* the ids after it */
	const char *message;      /* the revision's message; "" for a stamp */
	double duration_ms;       /* FINISHED and FAILED */
	/* FAILED only: */
	const char *error;        /* what retort_error_last() will say */
	const char *file;         /* the revision's file */
	unsigned line;            /* of the failing statement; 0 when not known */
	/* RETRY only: the attempt that follows, of how many, after how long, and why. */
	unsigned attempt;
	unsigned attempts;
	double delay_ms;
	const char *reason;       /* the server's message, with file:line */
} retort_event;

typedef void (*retort_event_cb)(const retort_event *event, void *payload);

typedef struct retort_run_options {
	unsigned version;         /* RETORT_RUN_OPTIONS_VERSION */
	/* Report each step as it happens; may be NULL. */
	retort_event_cb event_cb;
	void *event_payload;
	/* upgrade, downgrade: plan and report (RETORT_EVENT_PLANNED), change nothing, take no lock. */
	int dry_run;
	/* stamp: empty the version table first (also clears revisions no script defines). */
	int purge;
	/* Stored with each history row of the run; may be NULL. */
	const char *tag;
} retort_run_options;

#define RETORT_RUN_OPTIONS_VERSION 1
#define RETORT_RUN_OPTIONS_INIT { RETORT_RUN_OPTIONS_VERSION, NULL, NULL, 0, 0, NULL }

/* Set `opts` to the defaults of `version` (RETORT_RUN_OPTIONS_VERSION); RETORT_EUSAGE for another. */
RETORT_EXTERN int retort_run_options_init(retort_run_options *opts, unsigned version);

/* Apply revisions up to `target` (NULL: "heads", every head).  `opts` may be NULL. */
RETORT_EXTERN int retort_project_upgrade(retort_project *project, const char *target,
	const retort_run_options *opts);
/* Revert revisions down to `target` ("-1", "base", an id, "LABEL@base" ...). */
RETORT_EXTERN int retort_project_downgrade(retort_project *project, const char *target,
	const retort_run_options *opts);
/* Set the version table to `targets` without running any script. */
RETORT_EXTERN int retort_project_stamp(retort_project *project, const char *const *targets, size_t count,
	const retort_run_options *opts);
/* Create the version and history tables when they are missing. */
RETORT_EXTERN int retort_project_ensure_version(retort_project *project);

/*
 * Offline mode: append to `out` the SQL a DBA can run instead, connecting
 * to nothing (the dialect comes from the URL).  `range` is "TO" (upgrade
 * from base) or "FROM:TO"; a downgrade needs "FROM:TO".
 */
RETORT_EXTERN int retort_project_upgrade_sql(retort_buffer *out, retort_project *project, const char *range);
RETORT_EXTERN int retort_project_downgrade_sql(retort_buffer *out, retort_project *project, const char *range);
/* `opts` may be NULL; only purge is read. */
RETORT_EXTERN int retort_project_stamp_sql(retort_buffer *out, retort_project *project,
	const char *const *targets, size_t count, const retort_run_options *opts);
RETORT_EXTERN int retort_project_ensure_version_sql(retort_buffer *out, retort_project *project);

/*
 * The revisions the database is at (its version table's rows), sorted;
 * none at base.  Reads without creating anything: a SQLite file that does
 * not exist is an empty database and stays absent.
 */
RETORT_EXTERN int retort_project_heads(retort_strarray *out, retort_project *project);

/*
 * The revisions an upgrade to `target` (NULL: heads) would apply, in the
 * order it would apply them; none when the database is there.  Reads
 * like retort_project_heads().
 */
RETORT_EXTERN int retort_project_pending(retort_strarray *out, retort_project *project, const char *target);

#ifdef __cplusplus
}
#endif

#endif
