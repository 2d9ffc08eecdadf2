/*
 * url.h - database URLs: parsing the forms retort.ini accepts, and masking
 * passwords for display.
 *
 * This module only understands the text of a URL.  It does not connect,
 * and it does not validate what libpq will validate at connect time (the
 * PostgreSQL dialect does that); it rejects what can never work: an unknown
 * scheme, a non-numeric port, a SQLite URL with a host.
 *
 * Every password found while parsing is registered as a secret, so that
 * no error message the library produces afterwards can contain it
 * (see base/secret.h).
 */
#ifndef RETORT_URL_H
#define RETORT_URL_H

#include <stdbool.h>

#include "base/buf.h"

typedef enum retort_dialect_id {
	RETORT_DIALECT_SQLITE = 1,
	RETORT_DIALECT_POSTGRES = 2,
} retort_dialect_id;

typedef struct retort_url {
	retort_dialect_id dialect;
	char *raw;          /* as given */
	/* SQLite */
	bool memory;        /* sqlite:// or sqlite:///:memory: */
	char *path;         /* file path (relative paths are relative to the cwd); NULL for memory */
	/* PostgreSQL: a libpq URI with the driver suffix removed ("postgresql://...") */
	char *conninfo;
	char *user, *password, *host, *port, *dbname; /* decoded parts, NULL when absent */
} retort_url;

/*
 * Parse `text`.  On failure returns RETORT_EUSAGE with a message of the form
 * "malformed database URL '<masked>': <why>" (class CONFIG), which callers
 * prefix with file:line when the URL came from a file.
 */
int retort_url_parse(retort_url **out, const char *text);
void retort_url_free(retort_url *url);

/* Append `text` to `out` with any password replaced by "***". */
void retort_url_mask(retort_buf *out, const char *text);
/* Convenience: a malloc'd masked copy. */
char *retort_url_masked(const char *text);

#endif
