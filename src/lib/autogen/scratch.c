/*
 * scratch.c - throwaway databases (see scratch.h).  Durability is what a
 * scratch database does not need and what made loading one slow: a
 * SQLite file commits with an fsync, a PostgreSQL commit waits for its
 * WAL flush.  Memory and synchronous_commit = off remove both.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/common.h"
#include "base/os.h"
#include "autogen/scratch.h"
#include "dialect/url.h"

struct retort_scratch {
	char *url;          /* the scratch database */
	retort_db *db;      /* the connection to it */
	char *dbname;       /* PostgreSQL: the database */
	retort_db *admin;   /* PostgreSQL: the connection that created it */
};

/* The same URL with its database name replaced (PostgreSQL URIs).  Caller frees. */
static char *url_with_dbname(const char *url, const char *dbname)
{
	const char *auth = strstr(url, "://"), *path, *query;
	retort_buf out = RETORT_BUF_INIT;

	if (!auth)
		return retort__strdup(url);
	auth += 3;
	path = auth + strcspn(auth, "/?#");
	query = path + strcspn(path, "?#");
	retort_buf_put(&out, url, (size_t)(path - url));
	retort_buf_putc(&out, '/');
	/* Our names are [a-z0-9_]; nothing to percent-encode. */
	retort_buf_puts(&out, dbname);
	retort_buf_puts(&out, query);
	return retort_buf_detach(&out);
}

/* In memory: nothing on disk, no journal file, nothing to sync or to remove. */
static int create_sqlite(retort_scratch *s)
{
	s->url = retort__strdup("sqlite://");
	return retort_db_open_text(&s->db, s->url);
}

static int create_postgres(retort_scratch *s, const retort_config *cfg)
{
	const char *server = cfg->dev_url ? cfg->dev_url : cfg->url;
	retort_url *url = NULL;
	retort_buf sql = RETORT_BUF_INIT;
	unsigned char rnd[4] = { 0 };
	int error;

	if ((error = retort_url_parse(&url, server)) < 0) {
		retort__error_prefix("%s", cfg->dev_url ? "dev_url" : "url");
		return error;
	}
	if (url->dialect != RETORT_DIALECT_POSTGRES) {
		retort_url_free(url);
		return retort__error_set(RETORT_ERROR_CONFIG,
			"dev_url must be a PostgreSQL URL when url is one");
	}
	error = retort_db_open(&s->admin, url);
	retort_url_free(url);
	if (error < 0) {
		retort__error_prefix("cannot reach a server for the scratch database");
		return error;
	}
	/* the pid alone would repeat across containers sharing a server */
	if ((error = retort__random_bytes(rnd, sizeof(rnd))) < 0)
		return error;
	s->dbname = retort__sprintf("retort_scratch_%ld_%02x%02x%02x%02x", (long)getpid(),
		rnd[0], rnd[1], rnd[2], rnd[3]);
	retort_buf_puts(&sql, "CREATE DATABASE ");
	retort_db_quote_ident(s->admin, &sql, s->dbname);
	if ((error = retort_db_exec(s->admin, sql.ptr)) < 0) {
		retort__error_prefix("cannot create a scratch database (set dev_url to a server where retort may)");
		free(s->dbname);
		s->dbname = NULL;
	} else {
		s->url = url_with_dbname(server, s->dbname);
		/* Its commits need not wait for the WAL to reach the disk: nobody keeps this database. */
		if ((error = retort_db_open_text(&s->db, s->url)) == 0)
			error = retort_db_exec(s->db, "SET synchronous_commit = off");
	}
	retort_buf_dispose(&sql);
	return error;
}

int retort_scratch_create(retort_scratch **out, const retort_config *cfg)
{
	retort_scratch *s = retort__calloc(1, sizeof(*s));
	retort_url *url = NULL;
	int error;

	*out = NULL;
	if ((error = retort_url_from_config(&url, cfg)) < 0) {
		free(s);
		return error;
	}
	error = url->dialect == RETORT_DIALECT_SQLITE ? create_sqlite(s) : create_postgres(s, cfg);
	retort_url_free(url);
	if (error < 0) {
		retort_scratch_free(s);
		return error;
	}
	*out = s;
	return 0;
}

retort_db *retort_scratch_db(const retort_scratch *s)
{
	return s->db;
}

const char *retort_scratch_url(const retort_scratch *s)
{
	return s->url;
}

void retort_scratch_free(retort_scratch *s)
{
	if (!s)
		return;
	retort_db_free(s->db);
	if (s->admin && s->dbname) {
		/* Keep the caller's error: dropping is cleanup, not the story; a cancelled run drops it too. */
		retort_buf sql = RETORT_BUF_INIT, saved = RETORT_BUF_INIT;
		const retort_error *e = retort_error_last();
		volatile int *watched = retort__cancel_watch(NULL);
		retort_error_class klass = e ? e->klass : RETORT_ERROR_NONE;
		if (e)
			retort_buf_puts(&saved, e->message);
		retort_buf_puts(&sql, "DROP DATABASE IF EXISTS ");
		retort_db_quote_ident(s->admin, &sql, s->dbname);
		retort_buf_puts(&sql, " WITH (FORCE)");
		retort_db_exec(s->admin, sql.ptr);
		retort__cancel_watch(watched);
		if (e)
			retort__error_set(klass, "%s", saved.ptr);
		retort_buf_dispose(&sql);
		retort_buf_dispose(&saved);
	}
	retort_db_free(s->admin);
	free(s->url);
	free(s->dbname);
	free(s);
}
