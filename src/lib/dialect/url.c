/*
 * url.c - database URLs (see url.h): the scheme picks the dialect, the
 * dialect parses the rest (sqlite.c, pg_url.c), and text that does not
 * parse is shown only through a conservative mask.
 *
 * Accepted schemes: sqlite:; postgresql://, postgres:// and
 * postgresql+DRIVER:// (SQLAlchemy spellings), handed to libpq as a
 * postgresql:// URI so PG* variables, .pgpass and every libpq parameter
 * keep working.  This file does not include a database library.
 */
#include <stdlib.h>
#include <string.h>

#include "base/common.h"
#include "dialect/dialect.h"
#include "dialect/url.h"

#define SCHEME_CHARS "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+.-"

/*
 * The mask for text that did not parse, so nothing knows where its
 * password is: everything from the first ':' of the authority to its last
 * '@' (a password holding an unescaped '/', '?' or '@' still ends there),
 * and every value of the query, whatever its key is called (keys may be
 * percent-encoded), become "***".  Showing too little beats showing a
 * password.
 */
static void mask_unparsed(retort_buf *out, const char *text)
{
	const char *sep = strstr(text, "://"), *auth, *at, *colon, *rest, *q;

	if (!sep) {
		/* not a URL: show at most what could be a scheme */
		size_t n = strspn(text, SCHEME_CHARS);
		if (text[n] == '\0' || text[n] == ':')
			retort_buf_put(out, text, n + (text[n] == ':'));
		retort_buf_puts(out, text[n] ? "***" : "");
		return;
	}
	auth = sep + 3;
	at = strrchr(auth, '@');
	colon = at ? memchr(auth, ':', (size_t)(at - auth)) : NULL;
	if (colon) {
		retort_buf_put(out, text, (size_t)(colon + 1 - text));
		retort_buf_puts(out, "***");
		rest = at;
	} else {
		rest = text;
	}
	q = strchr(at ? at : auth, '?');
	if (!q) {
		retort_buf_puts(out, rest);
		return;
	}
	retort_buf_put(out, rest, (size_t)(q + 1 - rest));
	for (const char *p = q + 1; *p;) {
		size_t len = strcspn(p, "&"), key = strcspn(p, "=&");
		if (key < len)
			retort_buf_put(out, p, key + 1);
		retort_buf_puts(out, "***");
		p += len;
		if (*p == '&')
			retort_buf_putc(out, *p++);
	}
}

/*
 * Parse into `url` (url->raw set); on failure, *why (malloc'd) says why
 * and nothing else is touched: masking must not disturb the current error.
 */
static int parse(retort_url *url, const char *text, char **why)
{
	const char *sep = strstr(text, "://");

	if (retort__starts_with(text, "sqlite:")) {
		url->dialect = RETORT_DIALECT_SQLITE;
		return retort__sqlite_url_parse(url, text + 7, why);
	}
	if (!sep) {
		*why = retort__strdup("expected scheme://..., e.g. sqlite:///app.db or postgresql://user@host/db");
		return -1;
	}
	{
		size_t slen = (size_t)(sep - text);
		char *scheme, *base;
		int rc = -1;

		if (strspn(text, SCHEME_CHARS) < slen) {
			*why = retort__strdup("the scheme holds characters no scheme has");
			return -1;
		}
		scheme = retort__strndup(text, slen);
		base = retort__strndup(scheme, strcspn(scheme, "+"));
		if (strcmp(base, "postgresql") == 0 || strcmp(base, "postgres") == 0) {
			url->dialect = RETORT_DIALECT_POSTGRES;
			rc = retort__pg_url_parse(url, scheme, sep + 3, why);
		} else {
			*why = retort__sprintf("unsupported scheme '%s' (retort speaks sqlite and postgresql)", base);
		}
		free(base);
		free(scheme);
		return rc;
	}
}

int retort_url_parse(retort_url **out, const char *text)
{
	retort_url *url;
	char *why = NULL;

	*out = NULL;
	if (!text || !*text)
		return retort__error_set(RETORT_ERROR_CONFIG, "no database URL: set 'url' in the config, --url or RETORT_URL");
	url = retort__calloc(1, sizeof(*url));
	url->raw = retort__strdup(text);
	if (parse(url, text, &why) < 0) {
		retort_buf masked = RETORT_BUF_INIT;
		int rc;
		mask_unparsed(&masked, text);
		rc = retort__error_set(RETORT_ERROR_CONFIG, "malformed database URL '%s': %s",
			masked.ptr, why ? why : "cannot parse it");
		retort_buf_dispose(&masked);
		free(why);
		retort_url_free(url);
		return rc;
	}
	if (!url->display)
		url->display = retort__strdup(text);
	*out = url;
	return 0;
}

retort_url *retort_url_copy(const retort_url *src)
{
	retort_url *u = retort__calloc(1, sizeof(*u));

	u->dialect = src->dialect;
	u->raw = retort__strdup(src->raw);
	u->display = retort__strdup(src->display);
	u->memory = src->memory;
	u->path = retort__strdup(src->path);
	u->must_exist = src->must_exist;
	u->conninfo = retort__strdup(src->conninfo);
	u->user = retort__strdup(src->user);
	u->host = retort__strdup(src->host);
	u->port = retort__strdup(src->port);
	u->dbname = retort__strdup(src->dbname);
	return u;
}

void retort_url_mask(retort_buf *out, const char *text)
{
	retort_url *url = retort__calloc(1, sizeof(*url));
	char *why = NULL;

	if (!text)
		text = "";
	url->raw = retort__strdup(text);
	if (parse(url, text, &why) == 0)
		retort_buf_puts(out, url->display ? url->display : text);
	else
		mask_unparsed(out, text);
	free(why);
	retort_url_free(url);
}

char *retort_url_masked(const char *text)
{
	retort_buf buf = RETORT_BUF_INIT;

	retort_url_mask(&buf, text);
	return retort_buf_detach(&buf);
}

int retort_url_from_config(retort_url **out, const retort_config *cfg)
{
	int error;

	*out = NULL;
	if (!cfg->url)
		return retort__error_set(RETORT_ERROR_CONFIG,
			"%s: section [%s] has no 'url' (set it, pass --url or set RETORT_URL)",
			cfg->path, cfg->section);
	if ((error = retort_url_parse(out, cfg->url)) < 0) {
		if (cfg->url_origin)
			retort__error_prefix("%s", cfg->url_origin);
		else if (!cfg->url_line)   /* a program's settings (libretort) */
			retort__error_prefix("settings: url");
		else
			retort__error_prefix("%s:%u", cfg->path, cfg->url_line);
	}
	return error;
}

void retort_url_free(retort_url *url)
{
	if (!url)
		return;
	free(url->raw);
	free(url->display);
	free(url->path);
	free(url->conninfo);
	free(url->user);
	free(url->host);
	free(url->port);
	free(url->dbname);
	free(url);
}
