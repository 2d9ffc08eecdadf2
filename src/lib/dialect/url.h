/*
 * url.h - database URLs: parsing the forms retort accepts, and the form
 * in which a URL may be shown.
 *
 * Each dialect parses its own form (dialect/sqlite.c, dialect/pg_url.c);
 * this module picks the dialect by the scheme.  A URL lives in dialect/,
 * not in config/, because only libpq knows what a PostgreSQL URL means:
 * which of its parts is a password is decided by libpq's own parse of it
 * (every option libpq marks as one), not by matching spellings, since
 * libpq accepts a password under names percent-encoded any way
 * (`?pass%77ord=`).  config/ keeps the URL as the raw string it was given.
 *
 * A URL is never printed as given.  `display` is built from the parse with
 * every password replaced by "***"; text that does not parse is shown
 * through a conservative mask (the userinfo after its first ':' and every
 * query value hidden).  Every password found is also registered as a
 * secret (base/secret.h), so no error message can contain it afterwards.
 *
 * This module does not connect; it rejects what can never work: an
 * unknown scheme, a port that is no number, a SQLite URL with a host or a
 * query, a NUL in a file name.
 */
#ifndef RETORT_URL_H
#define RETORT_URL_H

#include <stdbool.h>

#include "base/buf.h"
#include "config/config.h"
#include "sql/sql.h"

typedef struct retort_url {
	retort_dialect_id dialect;
	char *raw;          /* as given: may hold a password, never print it */
	char *display;      /* what messages show: passwords as "***" */
	/* SQLite */
	bool memory;        /* sqlite:// or sqlite:///:memory: */
	char *path;         /* file path (relative paths are relative to the cwd); NULL for memory */
	/*
	 * Set by a caller that only reads (retort diff): a SQLite file that
	 * does not exist is an error rather than created empty.
	 */
	bool must_exist;
	/* PostgreSQL: a libpq URI with the driver suffix removed ("postgresql://...") */
	char *conninfo;
	char *user, *host, *port, *dbname; /* as libpq parsed them, NULL when absent */
} retort_url;

/*
 * Parse `text`.  On failure returns RETORT_EUSAGE with a message of the form
 * "malformed database URL '<masked>': <why>" (class CONFIG), which callers
 * prefix with file:line when the URL came from a file.
 */
int retort_url_parse(retort_url **out, const char *text);
retort_url *retort_url_copy(const retort_url *url);
void retort_url_free(retort_url *url);

/*
 * The configured URL (after --url / RETORT_URL), parsed.  A missing or
 * malformed URL is a configuration error naming where it came from:
 * "retort.ini:4: malformed database URL ..." or "--url: ...".
 */
int retort_url_from_config(retort_url **out, const retort_config *cfg);

/*
 * Append the form of `text` that may be shown: the display form when it
 * parses, else the conservative mask.  Never touches the current error.
 */
void retort_url_mask(retort_buf *out, const char *text);
/* Convenience: a malloc'd masked copy. */
char *retort_url_masked(const char *text);

#endif
