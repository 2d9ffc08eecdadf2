/*
 * retort/status.h - where a project's database is, compared with its
 * scripts: what `retort current -v` reports.  Read without creating
 * anything (no version table, no SQLite file).
 */
#ifndef RETORT_STATUS_H
#define RETORT_STATUS_H

#include <retort/project.h>

#ifdef __cplusplus
extern "C" {
#endif

/* A revision the database is at that no script defines, and what the history table knows of it. */
typedef struct retort_unknown_revision {
	const char *id;
	const char *applied_at;     /* NULL when the history has no record */
	const char *git_commit;     /* NULL when unknown */
	const char *os_user;        /* NULL when unknown */
	const char *host;           /* NULL when unknown */
	const char *explanation;    /* a sentence with the ways out, as `retort current -v` prints it */
} retort_unknown_revision;

typedef struct retort_status {
	const char *url;            /* masked */
	const char *database;       /* SQLite: the file's absolute path; PostgreSQL: host, port and name */
	int has_version_table;
	int missing;                /* a SQLite file that does not exist (read as empty, not created) */
	int at_head;                /* the database is at the scripts' heads */
	/* The version table is empty and the database has Alembic's alembic_version table. */
	int alembic_version_table;
	retort_strarray heads;      /* the revisions the database is at, sorted */
	/* With RETORT_STATUS_DETAILS: */
	const retort_revision_info *pending;   /* to apply to reach the heads, in order */
	size_t pending_count;
	const retort_revision_info *changed;   /* applied, and the file changed since */
	size_t changed_count;
	const retort_unknown_revision *unknown; /* heads no script defines */
	size_t unknown_count;
	/* With RETORT_STATUS_DETAILS: why pending is empty when it cannot be listed (inside a pruned baseline's range). */
	const char *pending_error;
	/*
	 * A `Transactional: no` step that stopped partway, which every upgrade
	 * and downgrade refuses to run past: what happened and the ways out, as
	 * `retort current` prints it; NULL when there is none.
	 */
	const char *unfinished;
} retort_status;

/* Flags of retort_project_status. */
enum {
	RETORT_STATUS_DETAILS = 1u << 0, /* fill pending, changed and unknown */
};

RETORT_EXTERN int retort_project_status(retort_status **out, retort_project *project, unsigned flags);
/* NULL is fine. */
RETORT_EXTERN void retort_status_free(retort_status *status);

#ifdef __cplusplus
}
#endif

#endif
