/*
 * sqlite.c - the SQLite dialect: a sqlite3 connection behind db.h.
 *
 * Scripts run statement by statement through sqlite3_prepare_v2's tail, so
 * the failing statement's line is known; queries bind text parameters by
 * name ($1..$n, the same spelling PostgreSQL uses).  The migration "lock"
 * is SQLite's own write lock: BEGIN IMMEDIATE, waiting through a busy
 * handler up to the lock timeout.  This file does not know about version
 * tables or revisions.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include "base/common.h"
#include "dialect/dialect.h"
#include "sql/sql.h"

/* Without an explicit lock timeout, waiting for another writer is bounded by this. */
#define DEFAULT_BUSY_MS 5000

typedef struct sqlite_db {
	retort_db base;
	sqlite3 *h;
	char *name;              /* for messages: the file path or ":memory:" */
	int busy_ms;
	retort_wait_cb wait_cb;
	void *wait_payload;
	bool waited;             /* wait_cb already called since lock() */
	struct timespec wait_start;
	int lock_fd;             /* the run lock's file, -1 when not held */
	bool owned_tx;           /* in a transaction begin() opened: db.h's guard is on */
} sqlite_db;

static int db_error(sqlite_db *db, const char *what)
{
	if (what)
		return retort__error_set(RETORT_ERROR_DATABASE, "%s: %s", what, sqlite3_errmsg(db->h));
	return retort__error_set(RETORT_ERROR_DATABASE, "%s", sqlite3_errmsg(db->h));
}

static double elapsed_ms(const struct timespec *since)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - since->tv_sec) * 1000.0 +
		(double)(now.tv_nsec - since->tv_nsec) / 1e6;
}

/*
 * Our own busy handler instead of sqlite3_busy_timeout: the same waiting,
 * plus telling the caller once that we are waiting for someone else.
 */
static int busy_handler(void *arg, int count)
{
	sqlite_db *db = arg;

	if (count == 0) {
		clock_gettime(CLOCK_MONOTONIC, &db->wait_start);
		if (db->wait_cb && !db->waited && db->busy_ms > 0) {
			db->waited = true;
			db->wait_cb("another connection holds the SQLite write lock", db->wait_payload);
		}
	}
	if (elapsed_ms(&db->wait_start) >= db->busy_ms)
		return 0;
	sqlite3_sleep(count < 10 ? 5 : 20);
	return 1;
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

/*
 * A SQLite URL names a file by its path, as SQLAlchemy does: sqlite:///rel,
 * sqlite:////abs, sqlite:// or sqlite:///:memory: for memory.  Refused,
 * because the file opened would not be the one named: a %00 (the name
 * would end there), a query string, and a SQLite URI file name
 * ("file:..."), which SQLite would open as a URI while the lock file
 * beside it and every existence check took it for a plain name.  A file
 * really called "file:x.db" is sqlite:///./file:x.db.
 */
int retort__sqlite_url_parse(retort_url *url, const char *rest, char **why)
{
	retort_buf path = RETORT_BUF_INIT;

	if (strcmp(rest, "//") == 0 || strcmp(rest, "///:memory:") == 0) {
		url->memory = true;
		return 0;
	}
	if (!retort__starts_with(rest, "///")) {
		*why = retort__strdup("a SQLite URL is sqlite:///relative.db, sqlite:////absolute.db or sqlite:// (memory)");
		return -1;
	}
	rest += 3;
	if (!*rest) {
		*why = retort__strdup("the SQLite file path is empty");
		return -1;
	}
	if (strchr(rest, '?')) {
		*why = retort__strdup("query parameters are not supported for SQLite");
		return -1;
	}
	for (const char *p = rest; *p; p++) {
		int hi, lo;
		if (*p != '%') {
			retort_buf_putc(&path, *p);
			continue;
		}
		if ((hi = hexval(p[1])) < 0 || (lo = hexval(p[2])) < 0) {
			*why = retort__strdup("bad %-escape in the path");
			goto fail;
		}
		if (hi == 0 && lo == 0) {
			*why = retort__strdup("%00 in the path: a file name cannot hold a NUL byte");
			goto fail;
		}
		retort_buf_putc(&path, (char)(hi * 16 + lo));
		p += 2;
	}
	if (retort__starts_with(path.ptr, "file:")) {
		*why = retort__strdup("SQLite URI file names ('file:...') are not supported: name the file "
			"by its path (a file called 'file:x.db' is sqlite:///./file:x.db)");
		goto fail;
	}
	url->path = retort_buf_detach(&path);
	return 0;
fail:
	retort_buf_dispose(&path);
	return -1;
}

static int sqlite_connect(retort_db **out, const retort_url *url)
{
	sqlite_db *db;
	const char *name = url->memory || !url->path ? ":memory:" : url->path;
	int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
	char *errmsg = NULL;
	int rc;

	*out = NULL;
	/* a URL built by hand must not reach SQLite's URI parser either (see above) */
	if (retort__starts_with(name, "file:"))
		return retort__error_set(RETORT_ERROR_CONFIG,
			"SQLite URI file names ('file:...') are not supported: '%s'", name);
	if (url->must_exist && !url->memory) {
		if (!retort__path_exists(name))
			return retort__error_code(RETORT_ENOTFOUND, RETORT_ERROR_CONFIG,
				"there is no SQLite database at '%s'", name);
		flags = SQLITE_OPEN_READWRITE; /* and should it vanish meanwhile, still create nothing */
	}
	db = retort__calloc(1, sizeof(*db));
	db->name = retort__strdup(name);
	db->busy_ms = DEFAULT_BUSY_MS;
	db->lock_fd = -1;
	rc = sqlite3_open_v2(name, &db->h, flags, NULL);
	if (rc != SQLITE_OK) {
		retort__error_set(RETORT_ERROR_CONNECT, "cannot open SQLite database '%s': %s", name,
			db->h ? sqlite3_errmsg(db->h) : sqlite3_errstr(rc));
		goto fail;
	}
	sqlite3_extended_result_codes(db->h, 0);
	sqlite3_busy_handler(db->h, busy_handler, db);
	/* Off by default in SQLite; a migration tool must not silently break references. */
	if (sqlite3_exec(db->h, "PRAGMA foreign_keys = ON", NULL, NULL, &errmsg) != SQLITE_OK) {
		retort__error_set(RETORT_ERROR_DATABASE, "cannot open SQLite database '%s': %s", name,
			errmsg ? errmsg : "PRAGMA foreign_keys failed");
		sqlite3_free(errmsg);
		goto fail;
	}
	*out = &db->base;
	return 0;
fail:
	sqlite3_close(db->h);
	free(db->name);
	free(db);
	return RETORT_ERROR;
}

static void sqlite_disconnect(retort_db *base)
{
	sqlite_db *db = (sqlite_db *)base;

	if (!db)
		return;
	if (db->lock_fd >= 0)
		close(db->lock_fd); /* releases the run lock too */
	sqlite3_close_v2(db->h);
	free(db->name);
	free(db);
}

/* Step a prepared statement to completion, discarding rows. */
static int step_all(sqlite3_stmt *stmt)
{
	int rc;

	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
		;
	return rc;
}

/*
 * db.h's transaction guard.  The statement is classified from the text
 * SQLite prepared (from its first token to the prepare tail), so it is
 * exactly the statement about to run.
 */
static int guard_before(const char *p, const char *tail)
{
	retort_sql_class cls;

	retort_sql_classify_text(&cls, RETORT_DIALECT_SQLITE, p, (size_t)(tail - p));
	return retort_sql_txn_ends(cls.txn) ? retort__txn_refused(&cls) : 0;
}

/* Still in the transaction begin() opened?  (Autocommit means it ended.) */
static int guard_after(sqlite_db *db)
{
	if (!db->owned_tx || !sqlite3_get_autocommit(db->h))
		return 0;
	db->owned_tx = false;
	return retort__txn_ended();
}

static int sqlite_exec_script(retort_db *base, const char *sql, unsigned *err_line)
{
	sqlite_db *db = (sqlite_db *)base;
	const char *p = sql, *end = sql + strlen(sql), *tail;
	unsigned line = 1;

	for (;;) {
		sqlite3_stmt *stmt = NULL;
		int rc, error;

		/* Find the first token ourselves so the reported line is the statement's, not the preceding comment's. */
		p += retort_sql_skip_blank(RETORT_DIALECT_SQLITE, p, (size_t)(end - p), &line);
		if (p >= end)
			return 0;
		if ((rc = retort__cancel_check()) < 0) {
			if (err_line)
				*err_line = line;
			return rc;
		}
		/*
		 * The length includes the NUL: without it SQLite copies the whole
		 * remaining script on every call, which is quadratic in its size.
		 */
		rc = sqlite3_prepare_v2(db->h, p, (int)(end - p + 1), &stmt, &tail);
		if (rc != SQLITE_OK) {
			if (err_line)
				*err_line = line;
			sqlite3_finalize(stmt);
			return db_error(db, NULL);
		}
		if (stmt && db->owned_tx && (error = guard_before(p, tail)) < 0) {
			if (err_line)
				*err_line = line;
			sqlite3_finalize(stmt);
			return error;
		}
		if (stmt) {
			rc = step_all(stmt);
			if (rc != SQLITE_DONE) {
				if (err_line)
					*err_line = line;
				/* sqlite3_errmsg is only meaningful before finalize resets it. */
				db_error(db, NULL);
				sqlite3_finalize(stmt);
				return RETORT_ERROR;
			}
			sqlite3_finalize(stmt);
			if ((error = guard_after(db)) < 0) {
				if (err_line)
					*err_line = line;
				return error;
			}
		}
		if (tail <= p) /* cannot happen with a non-empty input; never loop forever */
			return 0;
		line += retort_sql_newlines(p, (size_t)(tail - p));
		p = tail;
	}
}

/* "$12" -> 12; anything else -> 0. */
static size_t param_number(const char *name)
{
	size_t n = 0;

	if (!name || name[0] != '$' || !name[1])
		return 0;
	for (name++; *name; name++) {
		if (*name < '0' || *name > '9' || n > 100000)
			return 0;
		n = n * 10 + (size_t)(*name - '0');
	}
	return n;
}

static int bind_params(sqlite_db *db, sqlite3_stmt *stmt, size_t nparams, const char *const *params)
{
	int i, count = sqlite3_bind_parameter_count(stmt);

	for (i = 1; i <= count; i++) {
		const char *name = sqlite3_bind_parameter_name(stmt, i);
		/* An anonymous "?" binds by position, a "$k" by its number. */
		size_t k = name ? param_number(name) : (size_t)i;
		int rc;

		if (k == 0)
			return retort__error_set(RETORT_ERROR_INTERNAL,
				"unsupported SQL parameter '%s': write $1..$n", name);
		if (k > nparams)
			return retort__error_set(RETORT_ERROR_INTERNAL,
				"SQL parameter '%s' has no value (%zu given)", name ? name : "?", nparams);
		if (params[k - 1])
			rc = sqlite3_bind_text(stmt, i, params[k - 1], -1, SQLITE_STATIC);
		else
			rc = sqlite3_bind_null(stmt, i);
		if (rc != SQLITE_OK)
			return db_error(db, "cannot bind parameter");
	}
	return 0;
}

static int sqlite_query(retort_rows **out, retort_db *base, const char *sql,
	size_t nparams, const char *const *params)
{
	sqlite_db *db = (sqlite_db *)base;
	sqlite3_stmt *stmt = NULL;
	retort_rows *rows = NULL;
	const char *tail = NULL;
	int rc, error = 0, ncols, i;

	if (out)
		*out = NULL;
	if (sqlite3_prepare_v2(db->h, sql, -1, &stmt, &tail) != SQLITE_OK) {
		error = db_error(db, NULL);
		goto done;
	}
	if (!stmt) {
		error = retort__error_set(RETORT_ERROR_INTERNAL, "empty query");
		goto done;
	}
	/* The tail starts after the statement's own ';': anything left is a second statement. */
	if (tail && tail[retort_sql_skip_blank(RETORT_DIALECT_SQLITE, tail, strlen(tail), NULL)]) {
		error = retort__error_set(RETORT_ERROR_INTERNAL, "query must be a single statement");
		goto done;
	}
	if (db->owned_tx && (error = guard_before(sql, tail ? tail : sql + strlen(sql))) < 0)
		goto done;
	if ((error = bind_params(db, stmt, nparams, params)) < 0)
		goto done;
	ncols = sqlite3_column_count(stmt);
	rows = retort__rows_new((size_t)ncols);
	for (i = 0; i < ncols; i++)
		rows->colnames[i] = retort__strdup(sqlite3_column_name(stmt, i));
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		char **cells = retort__rows_add(rows);
		for (i = 0; i < ncols; i++) {
			const unsigned char *t = sqlite3_column_text(stmt, i);
			if (t)
				cells[i] = retort__rows_text(rows, (const char *)t, (size_t)sqlite3_column_bytes(stmt, i));
		}
	}
	if (rc != SQLITE_DONE) {
		error = db_error(db, NULL);
		goto done;
	}
	if ((error = guard_after(db)) < 0)
		goto done;
	if (out) {
		*out = rows;
		rows = NULL;
	}
done:
	sqlite3_finalize(stmt);
	retort_rows_free(rows);
	return error;
}

static int simple(sqlite_db *db, const char *sql)
{
	char *errmsg = NULL;

	if (sqlite3_exec(db->h, sql, NULL, NULL, &errmsg) != SQLITE_OK) {
		retort__error_set(RETORT_ERROR_DATABASE, "%s: %s", sql, errmsg ? errmsg : sqlite3_errmsg(db->h));
		sqlite3_free(errmsg);
		return RETORT_ERROR;
	}
	return 0;
}

static int sqlite_begin(retort_db *base)
{
	sqlite_db *db = (sqlite_db *)base;
	char *errmsg = NULL;
	int rc;

	rc = sqlite3_exec(db->h, "BEGIN IMMEDIATE", NULL, NULL, &errmsg);
	if (rc == SQLITE_OK) {
		db->owned_tx = true;
		return 0;
	}
	if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) {
		retort__error_code(RETORT_ELOCKED, RETORT_ERROR_DATABASE,
			"SQLite database '%s' is locked by another writer (gave up after %d s)",
			db->name, db->busy_ms / 1000);
	} else {
		retort__error_set(RETORT_ERROR_DATABASE, "BEGIN IMMEDIATE: %s", errmsg ? errmsg : sqlite3_errmsg(db->h));
	}
	sqlite3_free(errmsg);
	return rc == SQLITE_BUSY || rc == SQLITE_LOCKED ? RETORT_ELOCKED : RETORT_ERROR;
}

static int sqlite_commit(retort_db *base)
{
	sqlite_db *db = (sqlite_db *)base;
	int error = simple(db, "COMMIT");

	/* A failed COMMIT (a deferred foreign key) leaves the transaction open for rollback. */
	if (error == 0 || sqlite3_get_autocommit(db->h))
		db->owned_tx = false;
	return error;
}

static int sqlite_rollback(retort_db *base)
{
	sqlite_db *db = (sqlite_db *)base;

	db->owned_tx = false;
	/* A failed statement may already have rolled the transaction back. */
	if (sqlite3_get_autocommit(db->h))
		return 0;
	return simple(db, "ROLLBACK");
}

static int sqlite_lock(retort_db *base, const char *schema, const char *table, int timeout_s,
	retort_wait_cb wait_cb, void *payload)
{
	sqlite_db *db = (sqlite_db *)base;
	struct timespec start;
	char *path;
	int fd;

	/* one database file, one run lock, whichever table keeps the versions */
	(void)schema;
	(void)table;
	db->busy_ms = timeout_s > 0 ? timeout_s * 1000 : 0;
	db->wait_cb = wait_cb;
	db->wait_payload = payload;
	db->waited = false;
	if (base->url->memory || !base->url->path || db->lock_fd >= 0)
		return 0; /* a memory database is private to this connection */

	/*
	 * BEGIN IMMEDIATE guards each transaction, but a `Transactional: no`
	 * script runs between transactions, where a second runner could read
	 * the same heads and run it again.  An flock on a file beside the
	 * database holds the whole run, as PostgreSQL's advisory lock does.
	 * It is a separate file because closing any descriptor of the database
	 * file itself would drop SQLite's own POSIX locks.
	 */
	path = retort__sprintf("%s.retort-lock", base->url->path);
	/*
	 * Never through a symlink (O_CREAT would create or truncate nothing,
	 * but open whatever it points at) and never a FIFO or device: the lock
	 * is a plain file of our own.
	 */
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY, 0666);
	if (fd < 0) {
		int rc = retort__error_os("cannot open the lock file '%s'", path);
		free(path);
		return rc;
	}
	{
		struct stat st;
		if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
			int rc = retort__error_set(RETORT_ERROR_DATABASE,
				"the lock file '%s' is not a regular file", path);
			close(fd);
			free(path);
			return rc;
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &start);
	while (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		if (errno != EWOULDBLOCK && errno != EINTR) {
			int rc = retort__error_os("cannot lock '%s'", path);
			close(fd);
			free(path);
			return rc;
		}
		if (wait_cb && !db->waited) {
			db->waited = true;
			wait_cb("another retort holds the run lock", payload);
		}
		if (elapsed_ms(&start) >= db->busy_ms) {
			close(fd);
			free(path);
			return retort__error_code(RETORT_ELOCKED, RETORT_ERROR_DATABASE,
				"timed out after %d s waiting for another retort on '%s'", timeout_s, db->name);
		}
		if (retort__cancel_check() < 0) {
			close(fd);
			free(path);
			return RETORT_ECANCELLED;
		}
		sqlite3_sleep(20);
	}
	free(path);
	db->lock_fd = fd;
	return 0;
}

static int sqlite_unlock(retort_db *base)
{
	sqlite_db *db = (sqlite_db *)base;

	db->wait_cb = NULL;
	db->wait_payload = NULL;
	db->busy_ms = DEFAULT_BUSY_MS;
	if (db->lock_fd >= 0) {
		/* The file stays: removing it would race with a runner that just opened it. */
		flock(db->lock_fd, LOCK_UN);
		close(db->lock_fd);
		db->lock_fd = -1;
	}
	return 0;
}

/* Always quoted: SQLite has many keywords and quoting is never wrong. */
static void sqlite_quote_ident(retort_buf *out, const char *ident)
{
	retort_buf_putc(out, '"');
	retort_buf_put_doubled(out, ident, '"');
	retort_buf_putc(out, '"');
}

static void sqlite_quote_literal(retort_buf *out, const char *value)
{
	if (!value) {
		retort_buf_puts(out, "NULL");
		return;
	}
	retort_buf_putc(out, '\'');
	retort_buf_put_doubled(out, value, '\'');
	retort_buf_putc(out, '\'');
}

static int sqlite_table_exists(bool *out, retort_db *base, const char *schema, const char *name)
{
	retort_buf sql = RETORT_BUF_INIT;
	retort_rows *rows = NULL;
	const char *params[] = { name };
	int error;

	*out = false;
	retort_buf_puts(&sql, "SELECT 1 FROM ");
	if (schema) {
		sqlite_quote_ident(&sql, schema);
		retort_buf_putc(&sql, '.');
	}
	/* Table names are case-insensitive in SQLite, hence NOCASE. */
	retort_buf_puts(&sql, "sqlite_master WHERE type = 'table' AND name = $1 COLLATE NOCASE");
	if ((error = sqlite_query(&rows, base, sql.ptr, 1, params)) < 0)
		goto done;
	*out = rows->nrows > 0;
done:
	retort_rows_free(rows);
	retort_buf_dispose(&sql);
	return error;
}

/*
 * Offline splitting with sql.h's splitter, whose statement ends are the
 * ones sqlite3_complete (and so sqlite3_prepare_v2's tail) finds: quotes,
 * comments and CREATE TRIGGER ... BEGIN ... END.
 */
static int sqlite_split(const char *sql, retort_stmt_cb cb, void *payload)
{
	return retort_sql_split(RETORT_DIALECT_SQLITE, sql, NULL, cb, payload);
}

const retort_dialect retort__dialect_sqlite = {
	.id = RETORT_DIALECT_SQLITE,
	.name = "sqlite",
	.connect = sqlite_connect,
	.disconnect = sqlite_disconnect,
	.exec_script = sqlite_exec_script,
	.query = sqlite_query,
	.split = sqlite_split,
	.begin = sqlite_begin,
	.commit = sqlite_commit,
	.rollback = sqlite_rollback,
	.lock = sqlite_lock,
	.unlock = sqlite_unlock,
	.quote_ident = sqlite_quote_ident,
	.quote_literal = sqlite_quote_literal,
	.table_exists = sqlite_table_exists,
};
