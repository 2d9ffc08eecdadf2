/*
 * url.c - database URLs (see url.h).
 *
 * Accepted forms: sqlite:// and sqlite:///:memory: (memory), sqlite:///rel.db,
 * sqlite:////abs/path.db; postgresql://, postgres:// and postgresql+DRIVER://
 * (SQLAlchemy spellings), handed to libpq as a postgresql:// URI so PG*
 * variables, .pgpass and every libpq parameter keep working.
 */
#include <stdlib.h>
#include <string.h>

#include "base/common.h"
#include "config/url.h"
#include "base/secret.h"
#include "base/vec.h"

/* Where the authority (user:pass@host:port) of a scheme://... URL ends. */
static size_t authority_end(const char *auth)
{
	return strcspn(auth, "/?#");
}

void retort_url_mask(retort_buf *out, const char *text)
{
	const char *sep = strstr(text, "://");
	const char *auth, *at = NULL, *colon = NULL, *q;
	size_t alen;

	if (!sep) {
		retort_buf_puts(out, text);
		return;
	}
	auth = sep + 3;
	alen = authority_end(auth);
	for (size_t i = 0; i < alen; i++)
		if (auth[i] == '@')
			at = auth + i;
	if (!at) {
		/*
		 * A password holding an unescaped '/', '?' or '#' ends the
		 * authority early; mask from the first ':' to the last '@'
		 * anyway: showing too little beats showing a password.
		 */
		at = strrchr(auth, '@');
	}
	if (at) {
		colon = memchr(auth, ':', (size_t)(at - auth));
	}
	if (colon) {
		retort_buf_put(out, text, (size_t)(colon + 1 - text));
		retort_buf_puts(out, "***");
		retort_buf_puts(out, at);
	} else {
		retort_buf_puts(out, text);
	}
	/* password=... in the query string */
	q = strchr(out->ptr, '?');
	while (q) {
		const char *key = q + 1;
		if (retort__starts_with(key, "password=")) {
			size_t start = (size_t)(key - out->ptr) + 9;
			size_t end = start + strcspn(out->ptr + start, "&#");
			retort_buf rest = RETORT_BUF_INIT;
			retort_buf_puts(&rest, out->ptr + end);
			retort_buf_truncate(out, start);
			retort_buf_puts(out, "***");
			retort_buf_puts(out, rest.ptr);
			retort_buf_dispose(&rest);
			q = strchr(out->ptr + start, '&');
		} else {
			q = strchr(key, '&');
		}
	}
}

char *retort_url_masked(const char *text)
{
	retort_buf buf = RETORT_BUF_INIT;

	retort_url_mask(&buf, text ? text : "");
	return retort_buf_detach(&buf);
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Percent-decode s[0..n); NULL when an escape is malformed. */
static char *decode(const char *s, size_t n)
{
	retort_buf out = RETORT_BUF_INIT;

	for (size_t i = 0; i < n; i++) {
		if (s[i] == '%') {
			int hi, lo;
			if (i + 2 >= n || (hi = hexval(s[i + 1])) < 0 || (lo = hexval(s[i + 2])) < 0)
				goto bad;
			retort_buf_putc(&out, (char)(hi * 16 + lo));
			i += 2;
		} else {
			retort_buf_putc(&out, s[i]);
		}
	}
	return retort_buf_detach(&out);
bad:
	retort_buf_dispose(&out);
	return NULL;
}

static int malformed(const char *text, const char *why)
{
	char *masked = retort_url_masked(text);
	int rc = retort__error_set(RETORT_ERROR_CONFIG, "malformed database URL '%s': %s", masked, why);

	free(masked);
	return rc;
}

static bool all_digits(const char *s, size_t n)
{
	if (n == 0)
		return false;
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

static int parse_sqlite(retort_url *url, const char *rest)
{
	/* rest is what follows "sqlite:" */
	if (strcmp(rest, "//") == 0 || strcmp(rest, "///:memory:") == 0) {
		url->memory = true;
		return 0;
	}
	if (!retort__starts_with(rest, "///"))
		return malformed(url->raw, "a SQLite URL is sqlite:///relative.db, sqlite:////absolute.db or sqlite:// (memory)");
	rest += 3;
	if (!*rest)
		return malformed(url->raw, "the SQLite file path is empty");
	if (strchr(rest, '?'))
		return malformed(url->raw, "query parameters are not supported for SQLite");
	url->path = decode(rest, strlen(rest));
	if (!url->path)
		return malformed(url->raw, "bad %-escape in the path");
	return 0;
}

static int parse_hosts(retort_url *url, const char *hp, size_t n)
{
	/* host[:port][,host[:port]...]; IPv6 in brackets */
	size_t i = 0;
	retort_buf hosts = RETORT_BUF_INIT, ports = RETORT_BUF_INIT;

	while (i < n) {
		size_t end = i;
		const char *host_start = hp + i;
		size_t host_len;
		if (hp[i] == '[') {
			const char *close = memchr(hp + i, ']', n - i);
			if (!close)
				goto bad_ipv6;
			end = (size_t)(close - hp) + 1;
		} else {
			while (end < n && hp[end] != ':' && hp[end] != ',')
				end++;
		}
		host_len = end - i;
		if (hosts.size)
			retort_buf_putc(&hosts, ',');
		retort_buf_put(&hosts, host_start, host_len);
		i = end;
		if (i < n && hp[i] == ':') {
			size_t pstart = ++i;
			while (i < n && hp[i] != ',')
				i++;
			if (!all_digits(hp + pstart, i - pstart) || i - pstart > 5 ||
					atoi(hp + pstart) > 65535 || atoi(hp + pstart) == 0) {
				char *port = retort__strndup(hp + pstart, i - pstart);
				char *why = retort__sprintf("port '%s' is not a number from 1 to 65535", port);
				int rc = malformed(url->raw, why);
				free(port);
				free(why);
				retort_buf_dispose(&hosts);
				retort_buf_dispose(&ports);
				return rc;
			}
			if (ports.size)
				retort_buf_putc(&ports, ',');
			retort_buf_put(&ports, hp + pstart, i - pstart);
		}
		if (i < n && hp[i] == ',')
			i++;
	}
	if (hosts.size)
		url->host = retort_buf_detach(&hosts);
	if (ports.size)
		url->port = retort_buf_detach(&ports);
	retort_buf_dispose(&hosts);
	retort_buf_dispose(&ports);
	return 0;
bad_ipv6:
	retort_buf_dispose(&hosts);
	retort_buf_dispose(&ports);
	return malformed(url->raw, "unterminated [ in an IPv6 host");
}

static int parse_postgres(retort_url *url, const char *rest)
{
	/* rest is what follows "://" */
	size_t alen = authority_end(rest);
	const char *at = NULL, *hp = rest, *path, *query;
	size_t hplen;
	int error;

	for (size_t i = 0; i < alen; i++)
		if (rest[i] == '@')
			at = rest + i;
	if (at) {
		const char *colon = memchr(rest, ':', (size_t)(at - rest));
		size_t ulen = (size_t)((colon ? colon : at) - rest);
		if (ulen && !(url->user = decode(rest, ulen)))
			return malformed(url->raw, "bad %-escape in the user name");
		if (colon) {
			if (!(url->password = decode(colon + 1, (size_t)(at - colon - 1))))
				return malformed(url->raw, "bad %-escape in the password");
			/* Both spellings: decoded, and as written in the URL. */
			char *raw = retort__strndup(colon + 1, (size_t)(at - colon - 1));
			retort__secret_register(url->password);
			retort__secret_register(raw);
			free(raw);
		}
		hp = at + 1;
	}
	hplen = (size_t)(rest + alen - hp);
	if ((error = parse_hosts(url, hp, hplen)) < 0)
		return error;
	path = rest + alen;
	if (*path == '/') {
		size_t dlen = strcspn(path + 1, "?#");
		if (dlen && !(url->dbname = decode(path + 1, dlen)))
			return malformed(url->raw, "bad %-escape in the database name");
	}
	query = strchr(path, '?');
	if (query) {
		/* Register any password given as a parameter so it is never printed. */
		const char *p = query + 1;
		while (*p) {
			size_t len = strcspn(p, "&#");
			if (len > 9 && retort__starts_with(p, "password=")) {
				char *pw = decode(p + 9, len - 9);
				if (pw) {
					retort__secret_register(pw);
					free(pw);
				}
			}
			if (len == 0 || strchr(p, '=') == NULL || (size_t)(strchr(p, '=') - p) > len)
				return malformed(url->raw, "query parameters must be key=value");
			p += len;
			if (*p == '&')
				p++;
			else
				break;
		}
	}
	url->conninfo = retort__sprintf("postgresql://%s", rest);
	return 0;
}

int retort_url_parse(retort_url **out, const char *text)
{
	retort_url *url;
	const char *sep;
	int error = 0;

	*out = NULL;
	if (!text || !*text)
		return retort__error_set(RETORT_ERROR_CONFIG, "no database URL: set 'url' in the config, --url or RETORT_URL");
	url = retort__calloc(1, sizeof(*url));
	url->raw = retort__strdup(text);
	sep = strstr(text, "://");
	if (retort__starts_with(text, "sqlite:")) {
		url->dialect = RETORT_DIALECT_SQLITE;
		error = parse_sqlite(url, text + 7);
	} else if (!sep) {
		error = malformed(text, "expected scheme://..., e.g. sqlite:///app.db or postgresql://user@host/db");
	} else {
		size_t slen = (size_t)(sep - text);
		char *scheme = retort__strndup(text, slen);
		char *plus = strchr(scheme, '+');
		if (plus)
			*plus = '\0';
		if (strcmp(scheme, "postgresql") == 0 || strcmp(scheme, "postgres") == 0) {
			url->dialect = RETORT_DIALECT_POSTGRES;
			error = parse_postgres(url, sep + 3);
		} else {
			char *why = retort__sprintf("unsupported scheme '%s' (retort speaks sqlite and postgresql)", scheme);
			error = malformed(text, why);
			free(why);
		}
		free(scheme);
	}
	if (error < 0) {
		retort_url_free(url);
		return error;
	}
	*out = url;
	return 0;
}

void retort_url_free(retort_url *url)
{
	if (!url)
		return;
	free(url->raw);
	free(url->path);
	free(url->conninfo);
	free(url->user);
	free(url->password);
	free(url->host);
	free(url->port);
	free(url->dbname);
	free(url);
}
