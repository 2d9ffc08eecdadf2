/*
 * pg_url.c - the PostgreSQL dialect's URL: libpq parses it, and what may
 * be shown of it is built from that parse.
 *
 * libpq is the authority on what a URI means: it percent-decodes
 * parameter names as well as values (`?pass%77ord=x` sets the password),
 * takes the user information up to the first '@' before any '/', and
 * knows which of its options are secret (PQconninfoOption.dispchar "*":
 * password, sslpassword, and whatever a later libpq adds).  So nothing
 * here matches spellings: the URL goes through PQconninfoParse, every
 * secret option's value is registered as a secret, and the display form
 * is written from the parsed options, secrets as "***".  No byte of the
 * text as given reaches a message, so no spelling of a password can.
 *
 * libpq's own parse errors quote the text they stopped at (possibly a
 * password); only their wording is kept.
 *
 * This file does not connect (postgres.c does).
 */
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "base/common.h"
#include "base/secret.h"
#include "dialect/dialect.h"
#include "dialect/url.h"

/* libpq's message without the text it quotes at the end ("...: \"<text>\""), on one line. */
char *retort__pg_libpq_reason(const char *errmsg)
{
	retort_buf b = RETORT_BUF_INIT;

	retort_buf_puts(&b, errmsg ? errmsg : "out of memory");
	retort_buf_rtrim(&b);
	if (b.size && b.ptr[b.size - 1] == '"') {
		char *quote;
		for (quote = b.ptr + b.size - 1; quote > b.ptr; quote--)
			if (quote[-1] == ' ' && quote > b.ptr + 1 && quote[-2] == ':' && quote[0] == '"')
				break;
		if (quote > b.ptr)
			retort_buf_truncate(&b, (size_t)(quote - 2 - b.ptr));
	}
	for (size_t i = 0; i < b.size; i++)
		if (b.ptr[i] == '\n' || b.ptr[i] == '\t')
			b.ptr[i] = ' ';
	return retort_buf_detach(&b);
}

/* Append s percent-encoded, leaving unreserved characters and those in `keep` as they are. */
static void put_encoded(retort_buf *out, const char *s, const char *keep)
{
	static const char hex[] = "0123456789ABCDEF";

	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
				strchr("-._~", *p) || (keep && strchr(keep, *p))) {
			retort_buf_putc(out, (char)*p);
		} else {
			char esc[3] = { '%', hex[*p >> 4], hex[*p & 15] };
			retort_buf_put(out, esc, 3);
		}
	}
}

static const PQconninfoOption *option(const PQconninfoOption *opts, const char *name)
{
	for (const PQconninfoOption *o = opts; o->keyword; o++)
		if (strcmp(o->keyword, name) == 0)
			return o->val ? o : NULL;
	return NULL;
}

static bool is_secret(const PQconninfoOption *o)
{
	return o->dispchar && o->dispchar[0] == '*';
}

static size_t count_items(const char *list)
{
	size_t n = 1;

	for (const char *p = list; *p; p++)
		n += *p == ',';
	return n;
}

/* host[:port],... in the authority, as libpq's URI form writes a host list. */
static void put_hosts(retort_buf *out, const char *hosts, const char *ports)
{
	const char *h = hosts, *p = ports;

	for (;;) {
		size_t hl = strcspn(h, ","), pl = p ? strcspn(p, ",") : 0;
		char *host = retort__strndup(h, hl), *port = retort__strndup(p ? p : "", pl);
		if (strchr(host, ':')) {
			/* IPv6: libpq keeps the address without its brackets */
			retort_buf_putc(out, '[');
			put_encoded(out, host, ":");
			retort_buf_putc(out, ']');
		} else {
			put_encoded(out, host, NULL);
		}
		if (*port) {
			retort_buf_putc(out, ':');
			put_encoded(out, port, NULL);
		}
		free(host);
		free(port);
		if (!h[hl])
			break;
		retort_buf_putc(out, ',');
		h += hl + 1;
		if (p)
			p += pl + (p[pl] == ',');
	}
}

/*
 * The URL as it may be shown, written from libpq's parse: the scheme as
 * given, user, "***" for a password, hosts and ports, database, then every
 * other option set, secret ones as "***".
 */
static char *display(const char *scheme, const PQconninfoOption *opts)
{
	retort_buf b = RETORT_BUF_INIT;
	const PQconninfoOption *user = option(opts, "user"), *pw = option(opts, "password");
	const PQconninfoOption *host = option(opts, "host"), *port = option(opts, "port");
	const PQconninfoOption *db = option(opts, "dbname");
	bool inline_hosts = host && !strchr(host->val, '/') &&
		(!port || count_items(port->val) == count_items(host->val));
	char sep = '?';

	retort_buf_printf(&b, "%s://", scheme);
	if (user || pw) {
		if (user)
			put_encoded(&b, user->val, NULL);
		if (pw)
			retort_buf_puts(&b, ":***");
		retort_buf_putc(&b, '@');
	}
	if (inline_hosts)
		put_hosts(&b, host->val, port ? port->val : NULL);
	if (db) {
		retort_buf_putc(&b, '/');
		put_encoded(&b, db->val, NULL);
	}
	for (const PQconninfoOption *o = opts; o->keyword; o++) {
		if (!o->val || o == user || o == pw || o == db || (inline_hosts && (o == host || o == port)))
			continue;
		retort_buf_printf(&b, "%c%s=", sep, o->keyword);
		if (is_secret(o))
			retort_buf_puts(&b, "***");
		else
			put_encoded(&b, o->val, "/:,@");
		sep = '&';
	}
	return retort_buf_detach(&b);
}

/* Each port of a list is empty (the default) or a number from 1 to 65535. */
static int check_ports(const char *ports, char **why)
{
	for (const char *p = ports; ; ) {
		size_t n = strcspn(p, ",");
		bool digits = n > 0 && n <= 5 && strspn(p, "0123456789") >= n;
		long v = digits ? strtol(p, NULL, 10) : 0;
		if (n && (!digits || v < 1 || v > 65535)) {
			*why = retort__sprintf("port '%.*s' is not a number from 1 to 65535", (int)n, p);
			return -1;
		}
		if (!p[n])
			return 0;
		p += n + 1;
	}
}

int retort__pg_url_parse(retort_url *url, const char *scheme, const char *rest, char **why)
{
	PQconninfoOption *opts;
	char *errmsg = NULL, *conninfo;
	size_t userinfo = strcspn(rest, "@/");
	const char *after = rest[userinfo] == '@' ? rest + userinfo + 1 : rest;

	/*
	 * libpq ends the user information at the first '@' before any '/': an
	 * '@' after it, before the query, is a password holding '/' or '@'
	 * unescaped, which libpq would read as host, port and database (and a
	 * message would then show).  Refuse it unread.
	 */
	if (memchr(after, '@', strcspn(after, "?"))) {
		*why = retort__strdup("an '@' after the user information: percent-encode '@', '/' and '?' "
			"in a password (%40, %2F, %3F)");
		return -1;
	}
	conninfo = retort__sprintf("postgresql://%s", rest);
	if (!(opts = PQconninfoParse(conninfo, &errmsg))) {
		char *reason = retort__pg_libpq_reason(errmsg);
		*why = retort__sprintf("libpq cannot parse it: %s", reason);
		free(reason);
		PQfreemem(errmsg);
		free(conninfo);
		return -1;
	}
	for (const PQconninfoOption *o = opts; o->keyword; o++)
		if (o->val && is_secret(o))
			retort__secret_register(o->val);
	if (option(opts, "port") && check_ports(option(opts, "port")->val, why) < 0) {
		PQconninfoFree(opts);
		free(conninfo);
		return -1;
	}
	url->conninfo = conninfo;
	url->display = display(scheme, opts);
	url->user = option(opts, "user") ? retort__strdup(option(opts, "user")->val) : NULL;
	url->host = option(opts, "host") ? retort__strdup(option(opts, "host")->val) : NULL;
	url->port = option(opts, "port") ? retort__strdup(option(opts, "port")->val) : NULL;
	url->dbname = option(opts, "dbname") ? retort__strdup(option(opts, "dbname")->val) : NULL;
	PQconninfoFree(opts);
	return 0;
}
