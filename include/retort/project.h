/*
 * retort/project.h - a project: one database and the migration scripts that
 * manage it, as a section of retort.ini or explicit settings describe them.
 *
 * Every other call of the API works on a project.  A project reads no
 * file and opens no connection until an operation needs one, and it keeps
 * no connection between operations: each operation reads the scripts as
 * they are then, connects, and disconnects.  A project may be used by one
 * thread at a time; two projects are independent.  The exception is
 * retort_project_cancel(), which any thread or a signal handler may call.
 */
#ifndef RETORT_PROJECT_H
#define RETORT_PROJECT_H

#include <retort/common.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct retort_project retort_project;

/* What a log message is about. */
typedef enum retort_log_level {
	RETORT_LOG_INFO = 1,    /* "waiting for another retort on <url>" */
	RETORT_LOG_WARNING = 2, /* "Alembic revision ignored: ..." */
} retort_log_level;

/*
 * Called with what the retort command would print on stderr as it happens
 * (without the "retort: " prefix).  The message lives for the call only.
 */
typedef void (*retort_log_cb)(retort_log_level level, const char *message, void *payload);

/* Flags of retort_project_options. */
enum {
	/*
	 * Read the environment the way the retort command does: $RETORT_CONFIG
	 * names the ini file when `ini_path` is NULL, and $RETORT_URL
	 * overrides the configured url (the `url` option still wins).
	 * Without it a program is not steered by variables meant for the
	 * command.  ${VAR} inside retort.ini is expanded either way.
	 */
	RETORT_PROJECT_ENVIRONMENT = 1u << 0,
};

typedef struct retort_project_options {
	unsigned version;            /* RETORT_PROJECT_OPTIONS_VERSION */
	unsigned flags;              /* RETORT_PROJECT_* */
	/* retort_project_open: the section to read, "retort" when NULL. */
	const char *section;
	/* The database URL, over the configuration's url. */
	const char *url;
	/*
	 * "key=value" settings with retort.ini's keys and meanings (see
	 * retort.ini(5)), over what the file says; relative paths are
	 * relative to the ini file's directory, or for retort_project_new to
	 * the current directory.  No ${VAR} expansion: the values are yours.
	 */
	const char *const *settings;
	size_t settings_count;
	/* "KEY=VALUE" values for C revisions (retort_ctx_xarg) and templates, as -x gives them. */
	const char *const *xargs;
	size_t xargs_count;
	/* Where log messages go; NULL drops them. */
	retort_log_cb log_cb;
	void *log_payload;
} retort_project_options;

#define RETORT_PROJECT_OPTIONS_VERSION 1
#define RETORT_PROJECT_OPTIONS_INIT { RETORT_PROJECT_OPTIONS_VERSION, 0, NULL, NULL, NULL, 0, NULL, 0, NULL, NULL }

/* Set `opts` to the defaults of `version` (RETORT_PROJECT_OPTIONS_VERSION); RETORT_EUSAGE for another. */
RETORT_EXTERN int retort_project_options_init(retort_project_options *opts, unsigned version);

/*
 * Open the project retort.ini at `ini_path` describes (NULL: ./retort.ini,
 * or $RETORT_CONFIG with RETORT_PROJECT_ENVIRONMENT).  The file is read and
 * checked now: every key of every section, the URL's form.  `opts` may be
 * NULL.  A section that lists `databases` opens, but only
 * retort_project_databases() works on it: open each listed section.
 */
RETORT_EXTERN int retort_project_open(retort_project **out, const char *ini_path,
	const retort_project_options *opts);

/*
 * A project without a file: the scripts in `script_location` (revisions
 * in its versions/ unless the version_locations setting says otherwise)
 * and the database at `url` (NULL: opts->url).  opts->settings give any
 * other retort.ini key; opts->section is not used.
 */
RETORT_EXTERN int retort_project_new(retort_project **out, const char *script_location, const char *url,
	const retort_project_options *opts);

/* Close the project.  NULL is fine. */
RETORT_EXTERN void retort_project_free(retort_project *project);

/* The database URL with its password masked, or NULL when none is configured.  Borrowed. */
RETORT_EXTERN const char *retort_project_url(const retort_project *project);

/* The sections a multi-database section lists (`databases = main, audit`); none for one database. */
RETORT_EXTERN int retort_project_databases(retort_strarray *out, const retort_project *project);

/*
 * Ask the operation running on `project` (or the next one to start) to
 * stop.  It stops before its next statement: the revision in progress
 * rolls back as after a failure, the version table keeps naming the last
 * revision that completed, and the operation returns RETORT_ECANCELLED.
 * The request is consumed by the operation it stops.  Safe to call from
 * another thread or a signal handler.
 */
RETORT_EXTERN void retort_project_cancel(retort_project *project);

#ifdef __cplusplus
}
#endif

#endif
