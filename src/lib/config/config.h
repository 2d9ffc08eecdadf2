/*
 * config.h - retort.ini: finding it, parsing it with inih, interpolating
 * ${VAR} and ${VAR:-default}, applying defaults and overrides.
 *
 * The result is a plain struct of resolved values: paths are made absolute
 * against the ini file's directory, lists are split, booleans and numbers
 * are parsed.  This module does not open databases or read migration
 * scripts.
 */
#ifndef RETORT_CONFIG_H
#define RETORT_CONFIG_H

#include <stdbool.h>

#include "base/vec.h"

typedef struct retort_config {
	char *path;                    /* the ini file as found */
	char *dir;                     /* its directory, absolute */
	char *section;                 /* "retort" or -n NAME */

	char *script_location;         /* absolute */
	char *url;                     /* after --url / RETORT_URL, raw (may hold a password:
	                                  show it only through dialect/url.h); NULL when unset */
	const char *url_origin;        /* "--url", "RETORT_URL", or NULL: from the file */
	unsigned url_line;             /* line of `url` in the file, 0 if overridden */
	char *version_table;           /* "retort_version" */
	char *version_table_schema;    /* NULL = default schema */
	char *history_table;           /* "retort_history"; NULL when "none" */
	retort_vec version_locations;  /* char *, absolute */
	bool recursive_version_locations;
	char *file_template;           /* "%(rev)s_%(slug)s" */
	int truncate_slug_length;      /* 40 */
	char *default_format;          /* "sql" or "c" */
	bool transaction_per_migration;
	retort_vec target_schema;      /* char *, absolute paths */
	char *dev_url;                 /* NULL = dialect default */
	retort_vec include_schemas;    /* char * globs; empty = all */
	retort_vec exclude_tables;     /* char * globs */
	retort_vec exclude_kinds;      /* char *: object kinds left out (retort_config_kinds) */
	bool manage_privileges;        /* compare privileges in check, drift and autogenerate */
	int lock_timeout;              /* seconds, 60: waiting for another retort */
	int revision_timeout;          /* seconds a C revision's code may run, 0 = no limit */
	/*
	 * Guarded runs (PostgreSQL): the server's lock_timeout and
	 * statement_timeout for the revisions' statements, in ms; -1 leaves
	 * the server's own setting.  A revision whose lock wait times out is
	 * retried ddl_lock_retries times, waiting ddl_lock_retry_delay ms
	 * before the first retry and twice as long before each next one.
	 */
	long ddl_lock_timeout;
	long ddl_statement_timeout;
	int ddl_lock_retries;          /* 3 */
	long ddl_lock_retry_delay;     /* ms, 1000 */
	/*
	 * lint: rule codes (or names) whose findings become errors, and those
	 * never reported, with the line each list is set on (0 when it is
	 * not) so an unknown code can be named where it is written.
	 */
	retort_vec lint_error;         /* char * */
	retort_vec lint_ignore;        /* char * */
	unsigned lint_error_line, lint_ignore_line;
	/* A rewrite or index build on a table estimated above this many rows is an error. */
	int lint_large_table;          /* 1000000 */
	char *cc;                      /* $CC or "cc" */
	char *cflags;                  /* may be empty */
	char *post_write_hook;         /* NULL = none */
	/*
	 * multidb: the sections of the databases this section stands for, in
	 * order (`databases = users, orders`).  Such a section needs no
	 * script_location; a command that works on one database asks for -n.
	 */
	retort_vec databases;

	retort_map xargs;              /* -x KEY=VALUE, char * values */
} retort_config;

typedef struct retort_config_opts {
	/*
	 * -c FILE; NULL: $RETORT_CONFIG, then ./retort.ini.  --url; NULL:
	 * $RETORT_URL, then the file.  An empty option or a variable set but
	 * empty is an error, never "use the default".
	 */
	const char *path;
	const char *section;   /* -n NAME; NULL: "retort" */
	const char *url;
	const char *url_name;  /* what messages call `url`: "--url" when NULL */
	const char *const *xargs; /* -x KEY=VALUE strings */
	size_t nxargs;
	/* Read neither $RETORT_CONFIG nor $RETORT_URL (the library's default; the command reads them). */
	bool no_environment;
	/*
	 * "key=value" strings with the file's keys, over the file's values
	 * (not interpolated: they come from a program).  A problem with one
	 * is reported as "settings: ...".
	 */
	const char *const *settings;
	size_t nsettings;
	/*
	 * No file: the configuration is the settings alone, section
	 * [retort], relative paths against `dir` (NULL: the current
	 * directory); `path` names it "(settings)" in messages.
	 */
	bool no_file;
	const char *dir;
} retort_config_opts;

/*
 * Load and validate the configuration.  Errors are class CONFIG
 * (RETORT_EUSAGE) and name the file and line: "retort.ini:7: unknown key
 * 'scirpt_location' in section [retort]".  A missing file is
 * RETORT_ENOTFOUND with the path it looked for.
 */
int retort_config_load(retort_config **out, const retort_config_opts *opts);

/* The keys a section may hold, in the table's order: i from 0 until NULL. */
const char *retort_config_key(size_t i);
void retort_config_free(retort_config *cfg);

/*
 * The object kinds exclude_kinds accepts, as one ", "-separated string for
 * messages, and whether `kind` is one of them.
 */
extern const char retort_config_kinds[];
bool retort_config_kind_valid(const char *kind);

/*
 * Expand ${VAR} and ${VAR:-default} (and $$ for a literal $) from the
 * environment.  On an unterminated ${ or an empty name, returns
 * RETORT_EUSAGE with a message naming the problem (no file/line: the caller
 * adds them).  Exposed for tests.
 */
int retort_config_interpolate(char **out, const char *value);

#endif
