/*
 * retort/changeset.h - the schema engine: the changes that turn one schema
 * into another, found by reflecting real databases (`retort diff`, `retort
 * check`, `retort drift`).
 *
 * A changeset holds the changes in dependency order, each with its SQL,
 * the notes the engine adds (possible renames), and the way back.  retort's own version and history tables are never part of it.
 */
#ifndef RETORT_CHANGESET_H
#define RETORT_CHANGESET_H

#include <retort/project.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct retort_changeset retort_changeset;

/* One change.  Borrowed from its changeset. */
typedef struct retort_change {
	const char *kind;           /* "create_table", "add_column", "drop_index" ... */
	const char *target;         /* what it changes: "users", "users.email" */
	int destructive;            /* it drops or narrows something: data can be lost */
	const char *sql;            /* its statement(s) */
} retort_change;

typedef struct retort_diff_options {
	unsigned version;           /* RETORT_DIFF_OPTIONS_VERSION */
	/* "TABLE.OLD=NEW": a column renamed rather than dropped and added. */
	const char *const *renames;
	size_t renames_count;
	/* Version 2: PostgreSQL privileges compared too (GRANT/REVOKE, default privileges). */
	int with_privileges;
	/* Version 2: object kinds left out, as exclude_kinds in retort.ini ("triggers", "comments" ...). */
	const char *const *exclude_kinds;
	size_t exclude_kinds_count;
} retort_diff_options;

#define RETORT_DIFF_OPTIONS_VERSION 2
#define RETORT_DIFF_OPTIONS_INIT { RETORT_DIFF_OPTIONS_VERSION, NULL, 0, 0, NULL, 0 }

RETORT_EXTERN int retort_diff_options_init(retort_diff_options *opts, unsigned version);

/*
 * The changes that turn the schema of the database at `from_url` into that
 * of the database at `to_url`; both of one dialect, both only read.
 * `opts` may be NULL.
 */
RETORT_EXTERN int retort_diff_urls(retort_changeset **out, const char *from_url, const char *to_url,
	const retort_diff_options *opts);

typedef struct retort_check_options {
	unsigned version;           /* RETORT_CHECK_OPTIONS_VERSION */
	/* Compare the live database (which must be at head) instead of replaying the migrations. */
	int from_database;
	const char *const *renames; /* as in retort_diff_options */
	size_t renames_count;
} retort_check_options;

#define RETORT_CHECK_OPTIONS_VERSION 1
#define RETORT_CHECK_OPTIONS_INIT { RETORT_CHECK_OPTIONS_VERSION, 0, NULL, 0 }

RETORT_EXTERN int retort_check_options_init(retort_check_options *opts, unsigned version);

/*
 * What a new revision needs: the changes from the migrations replayed to
 * head in a scratch database (or the live database) to target_schema.
 * No changes means the migrations are complete.  `opts` may be NULL.
 */
RETORT_EXTERN int retort_project_check(retort_changeset **out, retort_project *project,
	const retort_check_options *opts);

/*
 * Drift: the changes made to the live database outside its migrations
 * (from the migrations replayed to the database's own heads, to the
 * database); the way back undoes them.
 */
RETORT_EXTERN int retort_project_drift(retort_changeset **out, retort_project *project);

RETORT_EXTERN size_t retort_changeset_count(const retort_changeset *changeset);
/* The i-th change, NULL past the end. */
RETORT_EXTERN const retort_change *retort_changeset_get(const retort_changeset *changeset, size_t i);
/* Notes on the changes ("-- note: possible rename ..."); borrowed. */
RETORT_EXTERN const retort_strarray *retort_changeset_notes(const retort_changeset *changeset);
/* "sqlite" or "postgresql". */
RETORT_EXTERN const char *retort_changeset_dialect(const retort_changeset *changeset);
/* check, drift: the revisions the migrations' side was replayed to; borrowed. */
RETORT_EXTERN const retort_strarray *retort_changeset_heads(const retort_changeset *changeset);
/*
 * drift: how many applied revisions changed since they ran (the replay used
 * the edited files, so a change may be theirs), and the i-th of them
 * (NULL past the end).
 */
RETORT_EXTERN size_t retort_changeset_edited_count(const retort_changeset *changeset);
RETORT_EXTERN const retort_revision_info *retort_changeset_edited(const retort_changeset *changeset, size_t i);

/* Append the whole script of the changes, notes included, to `out`; nothing when there are none. */
RETORT_EXTERN int retort_changeset_sql(retort_buffer *out, const retort_changeset *changeset);
/*
 * Nonzero when the script must run with SQLite's foreign keys off: it
 * rebuilds or drops a table another references with an ON DELETE action.
 * SQLite ignores the pragma inside a transaction, so the caller runs
 * "PRAGMA foreign_keys = OFF", then the script in one transaction, then
 * "PRAGMA foreign_keys = ON" (as retort runs a `Foreign Keys: off`
 * revision).  Always 0 for PostgreSQL.
 */
RETORT_EXTERN int retort_changeset_needs_foreign_keys_off(const retort_changeset *changeset);
/*
 * The way back: the changes that undo these, with renames turned around.
 * Borrowed: it lives as long as `changeset`, and its own way back is
 * `changeset`.
 */
RETORT_EXTERN const retort_changeset *retort_changeset_reverse(const retort_changeset *changeset);

/* NULL is fine. */
RETORT_EXTERN void retort_changeset_free(retort_changeset *changeset);

#ifdef __cplusplus
}
#endif

#endif
