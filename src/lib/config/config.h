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
	char *url;                     /* after --url / RETORT_URL; NULL when unset */
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
	int lock_timeout;              /* seconds, 60 */
	char *cc;                      /* $CC or "cc" */
	char *cflags;                  /* may be empty */
	char *post_write_hook;         /* NULL = none */

	retort_map xargs;              /* -x KEY=VALUE, char * values */
} retort_config;

typedef struct retort_config_opts {
	const char *path;      /* -c FILE; NULL: $RETORT_CONFIG, then ./retort.ini */
	const char *section;   /* -n NAME; NULL: "retort" */
	const char *url;       /* --url; NULL: $RETORT_URL, then the file */
	const char *const *xargs; /* -x KEY=VALUE strings */
	size_t nxargs;
} retort_config_opts;

/*
 * Load and validate the configuration.  Errors are class CONFIG
 * (RETORT_EUSAGE) and name the file and line: "retort.ini:7: unknown key
 * 'scirpt_location' in section [retort]".  A missing file is
 * RETORT_ENOTFOUND with the path it looked for.
 */
int retort_config_load(retort_config **out, const retort_config_opts *opts);
void retort_config_free(retort_config *cfg);

struct retort_url;
/*
 * Parse the configured URL.  A missing or malformed URL is a configuration
 * error naming where it came from: "retort.ini:4: malformed database URL
 * ..." or "--url: ..." / "RETORT_URL: ...".
 */
int retort_config_db_url(struct retort_url **out, const retort_config *cfg);

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
