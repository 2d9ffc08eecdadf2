/*
 * version.h - the database side of a migration run: the version table
 * (which revisions a database is at) and the history table (what was done
 * to it, when, by whom, from which commit).
 *
 * The version table has Alembic's alembic_version shape: one column,
 * `version_num VARCHAR(32) NOT NULL PRIMARY KEY`, one row per current head,
 * so a database moves between the two tools.  The history table is
 * retort's own append-only audit log; `history_table = none` disables it.
 *
 * This module turns a step's heads_before -> heads_after into the same
 * DELETE / UPDATE / INSERT statements Alembic issues, both against a live
 * connection (bind parameters) and as literal SQL text for offline mode.
 * It does not plan (graph.h) and does not run scripts (migrate.h).
 * Reading never creates anything: a missing version table means "no heads".
 */
#ifndef RETORT_VERSION_H
#define RETORT_VERSION_H

#include <stdbool.h>
#include <stdint.h>

#include "base/buf.h"
#include "config/config.h"
#include "dialect/db.h"
#include "base/vec.h"

/* Append the version table's name, schema-qualified and quoted for `d`. */
void retort__version_table_name(retort_buf *out, const retort_dialect *d, const retort_config *cfg);
/* The same for the history table; nothing is appended when it is disabled. */
void retort__history_table_name(retort_buf *out, const retort_dialect *d, const retort_config *cfg);

/*
 * The database's current heads (char *, malloc'd, sorted) appended to `out`.
 * A missing version table is not an error: `out` stays empty and *exists
 * (when not NULL) is false.  Nothing is created.
 */
int retort_version_table_read(retort_vec *out, bool *exists, retort_db *db, const retort_config *cfg);

/* Create the version table and (unless disabled) the history table when missing. */
int retort_version_table_ensure(retort_db *db, const retort_config *cfg);

/* The CREATE TABLE statements of retort_version_table_ensure, as text (offline). */
void retort_version_table_render_create(retort_buf *out, const retort_dialect *d,
	const retort_config *cfg, bool with_history);

/*
 * Move the version table from `before` to `after` (char * ids): removed ids
 * are paired with added ids as UPDATEs (a merge updates one row and deletes
 * the others; an un-merge updates one and inserts the rest), the rest are
 * DELETEs and INSERTs.  An UPDATE or DELETE that does not match exactly one
 * row is an error: the table is not what the plan assumed.
 */
int retort_version_table_apply(retort_db *db, const retort_config *cfg,
	const retort_vec *before, const retort_vec *after);
void retort_version_table_render_apply(retort_buf *out, const retort_dialect *d,
	const retort_config *cfg, const retort_vec *before, const retort_vec *after);
/* DELETE every row (stamp --purge). */
int retort_version_table_purge(retort_db *db, const retort_config *cfg);
void retort_version_table_render_purge(retort_buf *out, const retort_dialect *d, const retort_config *cfg);

/* One row of the history table. */
typedef struct retort_history_entry {
	const char *revision;      /* for stamp: the targets, comma-separated */
	const char *direction;     /* "upgrade", "downgrade", "stamp" */
	const retort_vec *heads_before;
	const retort_vec *heads_after;
	const char *checksum;      /* hex SHA-256 of the script, NULL for stamp */
	int64_t duration_ms;
	const char *git_commit;    /* NULL outside git */
	const char *tag;           /* --tag, NULL without */
	const char *applied_at;    /* NULL: now; else from retort__history_now() */
} retort_history_entry;

/*
 * Append rows (no-op when the history table is disabled), up to 10 per
 * INSERT statement so a long one-transaction run does not pay a round trip
 * per revision.  The OS user and host are filled in here.
 */
int retort_history_append(retort_db *db, const retort_config *cfg,
	const retort_history_entry *entries, size_t n);
/* The OS user and host the history records (NULL when unknown); static strings. */
void retort__history_whoami(const char **user, const char **host);
/* The current UTC time as the history table stores it. */
void retort__history_now(char out[96]);

/* retort_version_table_read for a table known to exist (skips the catalog lookup). */
int retort__version_table_read_existing(retort_vec *out, retort_db *db, const retort_config *cfg);

/*
 * retort_version_table_apply followed by retort_history_append of `e`, in as few
 * round trips as the dialect allows (PostgreSQL: one statement).
 */
int retort_version_table_apply_logged(retort_db *db, const retort_config *cfg,
	const retort_vec *before, const retort_vec *after, const retort_history_entry *e);

/* What the history table says about one revision (its latest upgrade). */
typedef struct retort_history_row {
	char *revision;
	char *direction;
	char *checksum;            /* may be NULL */
	char *applied_at;          /* UTC, text as stored */
	char *git_commit;          /* may be NULL */
	char *os_user, *host;      /* may be NULL */
} retort_history_row;

/*
 * The latest row that put `revision` into the version table (an upgrade or
 * stamp whose heads_after holds it).  *out is NULL when the history table
 * is missing or disabled, or has no such row.
 */
int retort_history_find(retort_history_row **out, retort_db *db,
	const retort_config *cfg, const char *revision);
/*
 * Latest upgrade checksum per revision: a map from revision id to a
 * malloc'd hex string.  Empty when there is no history table.
 */
int retort_history_checksums(retort_map *out, retort_db *db, const retort_config *cfg);
void retort_history_row_free(retort_history_row *row);

/* Join ids with `sep` into a malloc'd string ("" for none). */
char *retort__ids_join(const retort_vec *ids, const char *sep);

#endif
