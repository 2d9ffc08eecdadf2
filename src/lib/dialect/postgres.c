/*
 * postgres.c - the PostgreSQL dialect: a libpq connection behind db.h.
 *
 * Scripts are split client-side by sql.h (libpg_query's scanner, that is
 * PostgreSQL's own lexer, so dollar quoting, E'' strings and nested
 * comments are right) and each statement runs on its own, which is how a failure is pinned to
 * the line where its statement starts (inside a transaction they are
 * pipelined, so "on its own" does not cost a round trip each).  The
 * migration lock is a session
 * advisory lock on hashtext(key), polled so that waiting can be reported
 * and bounded.  This file does not know about version tables or
 * revisions.
 *
 * Identifiers are always double-quoted: quoting is never wrong, and it
 * keeps mixed-case and keyword names exactly as written.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libpq-fe.h>

#include "base/common.h"
#include "dialect/dialect.h"
#include "sql/sql.h"

/* How often a contended advisory lock is retried. */
#define LOCK_POLL_MS 100

typedef struct pg_db {
	retort_db base;
	PGconn *conn;
	char *lock_key;  /* the advisory lock's resolved name while held */
	/*
	 * BEGIN was asked for and not sent yet: it goes out with the first
	 * statement of the transaction, in the same round trip (one fewer per
	 * revision in a per-migration run).  A transaction with no statement
	 * at all never reaches the server.
	 */
	bool begin_pending;
	bool owned_tx;   /* in a transaction begin() opened: db.h's guard is on */
} pg_db;

static int simple(pg_db *db, const char *sql);

/* Send a pending BEGIN on its own, before something that cannot carry it. */
static int flush_begin(pg_db *db)
{
	if (!db->begin_pending)
		return 0;
	db->begin_pending = false;
	return simple(db, "BEGIN");
}

/* libpq messages end with a newline (sometimes several lines); keep them on one line. */
static void put_clean(retort_buf *out, const char *msg)
{
	size_t start = out->size;

	retort_buf_puts(out, msg ? msg : "unknown error");
	retort_buf_rtrim(out);
	for (size_t i = start; i < out->size; i++)
		if (out->ptr[i] == '\n')
			out->ptr[i] = ' ';
}

/* Byte offset of the 1-based character position `pos` (the server counts characters). */
static size_t char_to_byte(const char *s, size_t len, long pos)
{
	size_t i = 0;
	long c = 1;

	while (i < len && c < pos) {
		i++;
		while (i < len && ((unsigned char)s[i] & 0xC0) == 0x80)
			i++;
		c++;
	}
	return i;
}

/*
 * A failed result as one message: the primary message, then where in the
 * statement (a line within it), detail, hint and PL/pgSQL context.
 */
static int result_error(PGresult *res, pg_db *db, const char *stmt, size_t stmt_len)
{
	const char *primary = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
	const char *detail = PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL);
	const char *hint = PQresultErrorField(res, PG_DIAG_MESSAGE_HINT);
	const char *position = PQresultErrorField(res, PG_DIAG_STATEMENT_POSITION);
	const char *context = PQresultErrorField(res, PG_DIAG_CONTEXT);
	const char *sqlstate;
	retort_buf msg = RETORT_BUF_INIT;
	int error;

	if (!primary) {
		put_clean(&msg, res ? PQresultErrorMessage(res) : NULL);
		if (!msg.size || !strcmp(msg.ptr, "unknown error")) {
			retort_buf_clear(&msg);
			put_clean(&msg, PQerrorMessage(db->conn));
		}
	} else {
		put_clean(&msg, primary);
	}
	if (position && stmt) {
		long pos = strtol(position, NULL, 10);
		size_t at = char_to_byte(stmt, stmt_len, pos);
		size_t first = retort_sql_skip_blank(RETORT_DIALECT_POSTGRES, stmt, at, NULL);
		/* Count from the statement's first token, as the reported statement line does. */
		retort_buf_printf(&msg, " (at line %u of the statement)",
			1 + retort_sql_newlines(stmt + first, at - first));
	}
	if (detail) {
		retort_buf_puts(&msg, "; detail: ");
		put_clean(&msg, detail);
	}
	if (hint) {
		retort_buf_puts(&msg, "; hint: ");
		put_clean(&msg, hint);
	}
	if (context) {
		retort_buf_puts(&msg, "; context: ");
		put_clean(&msg, context);
	}
	/*
	 * lock_not_available (lock_timeout, NOWAIT): someone else holds a lock
	 * the statement needs.  Callers may roll back and try again later.
	 */
	sqlstate = PQresultErrorField(res, PG_DIAG_SQLSTATE);
	error = retort__error_code(sqlstate && !strcmp(sqlstate, "55P03") ? RETORT_ELOCKED : RETORT_ERROR,
		RETORT_ERROR_DATABASE, "%s", msg.ptr);
	retort_buf_dispose(&msg);
	return error;
}

/* The library never prints: drop server notices and warnings. */
static void discard_notice(void *arg, const char *message)
{
	(void)arg;
	(void)message;
}

static int pg_connect(retort_db **out, const retort_url *url)
{
	/*
	 * Settings before "dbname" are defaults the URL overrides (libpq reads
	 * the array in order).  Without a connect timeout libpq waits for the
	 * network as long as TCP does; a deploy should hear about a dead host.
	 */
	const char *timeout = getenv("PGCONNECT_TIMEOUT") ? NULL : "30";
	const char *keys[] = { "connect_timeout", "dbname", "fallback_application_name", NULL };
	const char *vals[] = { timeout, url->conninfo, "retort", NULL };
	PQconninfoOption *opts;
	char *errmsg = NULL;
	pg_db *db = NULL;
	PGresult *res;

	*out = NULL;
	if (!url->conninfo)
		return retort__error_set(RETORT_ERROR_CONFIG, "PostgreSQL URL without connection info");
	/* Catch malformed URIs before connecting so the message is about the URL, not the network. */
	if (!(opts = PQconninfoParse(url->conninfo, &errmsg))) {
		/* libpq's message quotes the text it stopped at: keep only its wording */
		char *reason = retort__pg_libpq_reason(errmsg), *shown = retort_url_masked(url->raw);
		int rc = retort__error_set(RETORT_ERROR_CONFIG, "invalid PostgreSQL URL '%s': %s", shown, reason);
		free(reason);
		free(shown);
		PQfreemem(errmsg);
		return rc;
	}
	PQconninfoFree(opts);

	db = retort__calloc(1, sizeof(*db));
	db->conn = PQconnectdbParams(keys, vals, 1);
	if (!db->conn || PQstatus(db->conn) != CONNECTION_OK) {
		retort_buf msg = RETORT_BUF_INIT;
		retort_buf_puts(&msg, "cannot connect to '");
		if (url->display)
			retort_buf_puts(&msg, url->display);
		else
			retort_url_mask(&msg, url->raw);
		retort_buf_puts(&msg, "': ");
		put_clean(&msg, db->conn ? PQerrorMessage(db->conn) : "out of memory");
		retort__error_set(RETORT_ERROR_CONNECT, "%s", msg.ptr);
		retort_buf_dispose(&msg);
		goto fail;
	}
	PQsetNoticeProcessor(db->conn, discard_notice, NULL);
	res = PQexec(db->conn, "SET client_min_messages = warning");
	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		result_error(res, db, NULL, 0);
		PQclear(res);
		goto fail;
	}
	PQclear(res);
	*out = &db->base;
	return 0;
fail:
	PQfinish(db->conn);
	free(db);
	return RETORT_ERROR;
}

static void pg_disconnect(retort_db *base)
{
	pg_db *db = (pg_db *)base;

	if (!db)
		return;
	PQfinish(db->conn);
	free(db);
}

static bool result_ok(PGresult *res)
{
	switch (PQresultStatus(res)) {
	case PGRES_COMMAND_OK:
	case PGRES_TUPLES_OK:
	case PGRES_EMPTY_QUERY:
		return true;
	default:
		return false;
	}
}

/*
 * db.h's transaction guard: refuse, before it is sent, a statement that
 * would end the transaction begin() opened ...
 */
static int guard_before(pg_db *db, const retort_sql_class *cls)
{
	return db->owned_tx && retort_sql_txn_ends(cls->txn) ? retort__txn_refused(cls) : 0;
}

/* ... and notice one that did anyway (PQTRANS_IDLE: no transaction any more). */
static int guard_after(pg_db *db)
{
	if (!db->owned_tx || db->begin_pending || PQtransactionStatus(db->conn) != PQTRANS_IDLE)
		return 0;
	db->owned_tx = false;
	return retort__txn_ended();
}

/*
 * Send `sql` and read every result, keeping the first that failed (else
 * the last).  Not PQexec: when the server ends the connection (an
 * administrator's pg_terminate_backend, a shutdown) its FATAL message
 * arrives as one result and libpq's "server closed the connection
 * unexpectedly" as the next, and PQexec keeps the last; the user needs
 * the server's reason.  A COPY that slipped through is ended so the
 * connection stays usable; *copy tells.
 */
static PGresult *exec_collect(pg_db *db, const char *sql, int nparams, const char *const *params, bool *copy)
{
	PGresult *res, *kept = NULL;

	*copy = false;
	if (!PQsendQueryParams(db->conn, sql, nparams, NULL, params, NULL, NULL, 0))
		return NULL;
	while ((res = PQgetResult(db->conn))) {
		ExecStatusType st = PQresultStatus(res);
		if (st == PGRES_COPY_IN || st == PGRES_COPY_OUT) {
			char *buf = NULL;
			*copy = true;
			PQclear(res);
			if (st == PGRES_COPY_IN)
				PQputCopyEnd(db->conn, "COPY is not supported in retort scripts");
			else
				while (PQgetCopyData(db->conn, &buf, 0) > 0)
					PQfreemem(buf);
			continue;
		}
		if (kept && !result_ok(kept)) {
			PQclear(res);
			continue;
		}
		PQclear(kept);
		kept = res;
		if (PQstatus(db->conn) == CONNECTION_BAD)
			break;
	}
	return kept;
}

/* One statement (not NUL-terminated in the script, so copied). */
static int exec_one(pg_db *db, const char *stmt, size_t len)
{
	char *text;
	PGresult *res;
	bool copy;
	int error;

	if ((error = flush_begin(db)) < 0)
		return error;
	text = retort__strndup(stmt, len);
	res = exec_collect(db, text, 0, NULL, &copy);
	if (copy) {
		error = retort__error_set(RETORT_ERROR_DATABASE,
			"COPY ... FROM STDIN / TO STDOUT is not supported in migration scripts");
	} else if (!result_ok(res)) {
		error = result_error(res, db, text, len);
	} else {
		error = guard_after(db);
	}
	PQclear(res);
	free(text);
	return error;
}

/* Called for each statement of a script, with what it is. */
typedef int (*stmt_fn)(const char *stmt, size_t len, unsigned line, const retort_sql_class *cls,
	void *payload);

/*
 * Walk the statements of `sql`, calling `fn` with each one's text and the
 * line of its first token.  Nothing runs when the scanner rejects the
 * script.  When `fn` fails, *err_line is its statement's line.
 */
static int each_statement(const char *sql, unsigned *err_line, stmt_fn fn, void *payload)
{
	retort_sql_script *script = NULL;
	int rc;

	if ((rc = retort_sql_script_read(&script, RETORT_DIALECT_POSTGRES, sql, strlen(sql))) < 0)
		return rc;
	if ((rc = retort_sql_script_error(script, err_line)) < 0)
		goto done;
	for (size_t i = 0; i < script->nstmts; i++) {
		const retort_sql_stmt *st = &script->stmts[i];
		/* a cancelled run sends nothing more (pipelined: nothing after what was sent) */
		if ((rc = retort__cancel_check()) < 0 ||
				(rc = fn(sql + st->offset, st->len, st->line, &st->cls, payload)) != 0) {
			if (err_line)
				*err_line = st->line;
			break;
		}
	}
done:
	retort_sql_script_free(script);
	return rc;
}

static int exec_cb(const char *stmt, size_t len, unsigned line, const retort_sql_class *cls, void *payload)
{
	int error;

	(void)line;
	if ((error = guard_before(payload, cls)) < 0)
		return error;
	if (cls->copy != RETORT_SQL_COPY_NONE)
		return retort__error_set(RETORT_ERROR_DATABASE,
			"COPY ... FROM STDIN / TO STDOUT is not supported in migration scripts");
	return exec_one(payload, stmt, len);
}

#ifdef LIBPQ_HAS_PIPELINING
/*
 * Inside a transaction, statements are pipelined: sent in chunks and
 * their results read after each chunk's sync, one network round trip per
 * chunk instead of per statement.  Nothing changes for the script: the
 * transaction aborts at the first error either way, later statements
 * are skipped, and the failing one is reported with its line.  (libpq
 * reads while it writes, so big results cannot deadlock the pipeline.)
 */
#define PIPELINE_CHUNK 64

typedef struct pending_stmt {
	char *text;
	size_t len;
	unsigned line;
} pending_stmt;

typedef struct pipeline {
	pg_db *db;
	pending_stmt items[PIPELINE_CHUNK];
	size_t n;
	int error;           /* first failure */
	unsigned error_line;
} pipeline;

static int conn_lost(pg_db *db)
{
	retort_buf msg = RETORT_BUF_INIT;
	int error;

	put_clean(&msg, PQerrorMessage(db->conn));
	error = retort__error_set(RETORT_ERROR_DATABASE, "lost the connection during a pipelined script: %s",
		msg.size ? msg.ptr : "no result");
	retort_buf_dispose(&msg);
	return error;
}

/* The server's command tag of a statement that ended the transaction. */
static bool ends_transaction(PGresult *res)
{
	static const char *const tags[] = { "COMMIT", "ROLLBACK", "PREPARE TRANSACTION", "BEGIN",
		"COMMIT PREPARED", "ROLLBACK PREPARED" };
	const char *tag = PQcmdStatus(res);

	for (size_t i = 0; tag && i < RETORT_ARRAY_SIZE(tags); i++)
		if (!strcmp(tag, tags[i]))
			return true;
	return false;
}

/* Send the queued statements, sync, and read every result. */
static int pipeline_flush(pipeline *pl)
{
	PGconn *conn = pl->db->conn;
	PGresult *res;
	size_t sent = 0;
	bool broken = false;

	for (; sent < pl->n; sent++)
		if (!PQsendQueryParams(conn, pl->items[sent].text, 0, NULL, NULL, NULL, NULL, 0))
			break;
	if (!PQpipelineSync(conn))
		broken = true;
	for (size_t i = 0; i < sent && !broken; i++) {
		bool got = false;
		while ((res = PQgetResult(conn))) {
			ExecStatusType st = PQresultStatus(res);
			got = true;
			if (st != PGRES_PIPELINE_ABORTED && !result_ok(res) && !pl->error) {
				pl->error = result_error(res, pl->db, pl->items[i].text, pl->items[i].len);
				pl->error_line = pl->items[i].line;
			} else if (st == PGRES_COMMAND_OK && pl->db->owned_tx && ends_transaction(res) &&
				   pl->items[i].line > 0 && !pl->error) {
				/* guard_before keeps these out; the server's own tag is the last word */
				pl->error = retort__txn_ended();
				pl->error_line = pl->items[i].line;
			}
			PQclear(res);
		}
		/* No result at all: the connection is gone; never report success for an unrun statement. */
		if (!got && !pl->error) {
			pl->error = conn_lost(pl->db);
			pl->error_line = pl->items[i].line;
		}
	}
	/* The sync point ends the chunk. */
	{
		bool synced = false;
		while (!broken && (res = PQgetResult(conn))) {
			ExecStatusType st = PQresultStatus(res);
			PQclear(res);
			if (st == PGRES_PIPELINE_SYNC) {
				synced = true;
				break;
			}
		}
		if (!synced)
			broken = true;
	}
	if ((sent < pl->n || broken) && !pl->error) {
		pl->error = conn_lost(pl->db);
		pl->error_line = pl->items[sent < pl->n ? sent : 0].line;
	}
	for (size_t i = 0; i < pl->n; i++)
		free(pl->items[i].text);
	pl->n = 0;
	return pl->error;
}

static int pipeline_cb(const char *stmt, size_t len, unsigned line, const retort_sql_class *cls, void *payload)
{
	pipeline *pl = payload;
	int error;

	if (guard_before(pl->db, cls) < 0) {
		/* What was queued runs first; the refusal is then set again, after the flush's own messages. */
		if (pl->n && (error = pipeline_flush(pl)) != 0)
			return error;
		pl->error = guard_before(pl->db, cls);
		pl->error_line = line;
		return pl->error;
	}
	/* COPY ... FROM STDIN / TO STDOUT would switch the pipeline into copy mode: refuse it as exec_one does. */
	if (cls->copy != RETORT_SQL_COPY_NONE) {
		if (pl->n && (error = pipeline_flush(pl)) != 0)
			return error;
		pl->error = retort__error_set(RETORT_ERROR_DATABASE,
			"COPY ... FROM STDIN / TO STDOUT is not supported in migration scripts");
		pl->error_line = line;
		return pl->error;
	}

	pl->items[pl->n].text = retort__strndup(stmt, len);
	pl->items[pl->n].len = len;
	pl->items[pl->n].line = line;
	if (++pl->n == PIPELINE_CHUNK)
		return pipeline_flush(pl);
	return 0;
}

static int exec_pipelined(pg_db *db, const char *sql, unsigned *err_line)
{
	pipeline *pl = retort__calloc(1, sizeof(*pl));
	int error;

	pl->db = db;
	if (!PQenterPipelineMode(db->conn)) {
		free(pl);
		return each_statement(sql, err_line, exec_cb, db);
	}
	if (db->begin_pending) {
		/* the transaction's BEGIN leads the first chunk */
		db->begin_pending = false;
		pl->items[0].text = retort__strdup("BEGIN");
		pl->items[0].len = 5;
		pl->items[0].line = 0;
		pl->n = 1;
	}
	/* A failing chunk stops the walk; its failing statement, not the last one queued, has the line. */
	error = each_statement(sql, err_line, pipeline_cb, pl);
	if (!error && pl->n)
		error = pipeline_flush(pl);
	/*
	 * Stopped before the first chunk was sent (a cancelled run): the BEGIN
	 * is still only queued, so the transaction is still only pending.
	 */
	if (error && pl->n && pl->items[0].line == 0)
		db->begin_pending = true;
	for (size_t i = 0; i < pl->n; i++)
		free(pl->items[i].text);
	PQexitPipelineMode(db->conn);
	if (!error && !pl->error && guard_after(db) < 0)
		pl->error = RETORT_ERROR; /* the line: the script's last statement is as good as any */
	if (pl->error) {
		if (err_line)
			*err_line = pl->error_line;
		error = pl->error;
	}
	free(pl);
	return error;
}
#endif

static int pg_exec_script(retort_db *base, const char *sql, unsigned *err_line)
{
#ifdef LIBPQ_HAS_PIPELINING
	pg_db *db = (pg_db *)base;

	if (db->begin_pending || PQtransactionStatus(db->conn) == PQTRANS_INTRANS)
		return exec_pipelined(db, sql, err_line);
#endif
	return each_statement(sql, err_line, exec_cb, base);
}

static int pg_split(const char *sql, retort_stmt_cb cb, void *payload)
{
	return retort_sql_split(RETORT_DIALECT_POSTGRES, sql, NULL, cb, payload);
}

static int pg_query(retort_rows **out, retort_db *base, const char *sql,
	size_t nparams, const char *const *params)
{
	pg_db *db = (pg_db *)base;
	PGresult *res;
	retort_rows *rows;
	int ncols, nrows, r, c, error;

	if (out)
		*out = NULL;
	if (db->owned_tx) {
		retort_sql_class cls;
		retort_sql_classify_text(&cls, RETORT_DIALECT_POSTGRES, sql, strlen(sql));
		if ((error = guard_before(db, &cls)) < 0)
			return error;
	}
	if ((error = flush_begin(db)) < 0)
		return error;
	{
		bool copy;
		res = exec_collect(db, sql, (int)nparams, params, &copy);
		if (copy) {
			PQclear(res);
			return retort__error_set(RETORT_ERROR_DATABASE,
				"COPY ... FROM STDIN / TO STDOUT is not supported in migration scripts");
		}
	}
	if (!result_ok(res)) {
		error = result_error(res, db, sql, strlen(sql));
		PQclear(res);
		return error;
	}
	if ((error = guard_after(db)) < 0) {
		PQclear(res);
		return error;
	}
	if (!out) {
		PQclear(res);
		return 0;
	}
	ncols = PQnfields(res);
	nrows = PQntuples(res);
	rows = retort__rows_new((size_t)ncols);
	for (c = 0; c < ncols; c++)
		rows->colnames[c] = retort__strdup(PQfname(res, c));
	for (r = 0; r < nrows; r++) {
		char **cells = retort__rows_add(rows);
		for (c = 0; c < ncols; c++)
			if (!PQgetisnull(res, r, c))
				cells[c] = retort__rows_text(rows, PQgetvalue(res, r, c), (size_t)PQgetlength(res, r, c));
	}
	PQclear(res);
	*out = rows;
	return 0;
}

static int simple(pg_db *db, const char *sql)
{
	bool copy;
	PGresult *res = exec_collect(db, sql, 0, NULL, &copy);
	int error = 0;

	if (!result_ok(res)) {
		error = result_error(res, db, NULL, 0);
		retort__error_prefix("%s", sql);
	}
	PQclear(res);
	return error;
}

static int pg_begin(retort_db *base)
{
	pg_db *db = (pg_db *)base;

	if (db->begin_pending || PQtransactionStatus(db->conn) != PQTRANS_IDLE)
		return retort__error_set(RETORT_ERROR_INTERNAL, "BEGIN inside a transaction");
	db->begin_pending = true;
	db->owned_tx = true;
	return 0;
}

static int pg_commit(retort_db *base)
{
	pg_db *db = (pg_db *)base;
	PGresult *res;
	bool copy;
	int error = 0;

	if (db->begin_pending) { /* nothing ran: nothing to commit */
		db->begin_pending = false;
		db->owned_tx = false;
		return 0;
	}
	db->owned_tx = false;
	res = exec_collect(db, "COMMIT", 0, NULL, &copy);
	/* COMMIT of an aborted transaction "succeeds" as a ROLLBACK: that is a failure for us. */
	if (!result_ok(res)) {
		error = result_error(res, db, NULL, 0);
		retort__error_prefix("COMMIT");
	} else if (!strcmp(PQcmdStatus(res), "ROLLBACK")) {
		error = retort__error_set(RETORT_ERROR_DATABASE, "COMMIT: the transaction had failed and was rolled back");
	}
	PQclear(res);
	return error;
}

static int pg_rollback(retort_db *base)
{
	pg_db *db = (pg_db *)base;

	db->begin_pending = false;
	db->owned_tx = false;
	if (PQtransactionStatus(db->conn) == PQTRANS_IDLE)
		return 0;
	return simple(db, "ROLLBACK");
}

static int try_lock(bool *got, pg_db *db, const char *key)
{
	retort_rows *rows = NULL;
	const char *params[] = { key };
	int error;

	*got = false;
	error = pg_query(&rows, &db->base, "SELECT pg_catalog.pg_try_advisory_lock(pg_catalog.hashtext($1))", 1, params);
	if (error < 0)
		return error;
	*got = rows->nrows == 1 && retort_rows_get(rows, 0, 0) && !strcmp(retort_rows_get(rows, 0, 0), "t");
	retort_rows_free(rows);
	return 0;
}

/*
 * The lock is keyed on the table's name as the server resolves it, so a
 * config that says version_table_schema = public and one that leaves it
 * to the search path lock the same key for the same table.  Resolved once,
 * at lock time: a migration may change search_path before unlock.
 */
static int lock_name(char **out, pg_db *db, const char *schema, const char *table)
{
	retort_rows *rows = NULL;
	const char *params[] = { schema, table };
	int error;

	*out = NULL;
	error = pg_query(&rows, &db->base,
		"SELECT pg_catalog.quote_ident(coalesce($1, pg_catalog.current_schema(), '')) || '.' || "
		"pg_catalog.quote_ident($2)", 2, params);
	if (error < 0)
		return error;
	if (rows->nrows == 1 && retort_rows_get(rows, 0, 0))
		*out = retort__strdup(retort_rows_get(rows, 0, 0));
	else
		error = retort__error_set(RETORT_ERROR_DATABASE, "cannot name the migration lock of '%s'", table);
	retort_rows_free(rows);
	return error;
}

static int pg_lock(retort_db *base, const char *schema, const char *table, int timeout_s,
	retort_wait_cb wait_cb, void *payload)
{
	pg_db *db = (pg_db *)base;
	struct timespec start, now, nap = { 0, LOCK_POLL_MS * 1000000L };
	char *key = NULL;
	bool got;
	int error;

	if (db->lock_key)
		return retort__error_set(RETORT_ERROR_INTERNAL, "the migration lock '%s' is already held", db->lock_key);
	if ((error = lock_name(&key, db, schema, table)) < 0)
		return error;
	clock_gettime(CLOCK_MONOTONIC, &start);
	for (bool waited = false;; ) {
		if ((error = try_lock(&got, db, key)) < 0) {
			free(key);
			return error;
		}
		if (got) {
			db->lock_key = key;
			return 0;
		}
		clock_gettime(CLOCK_MONOTONIC, &now);
		if ((double)(now.tv_sec - start.tv_sec) + (double)(now.tv_nsec - start.tv_nsec) / 1e9 >= timeout_s)
			break;
		if (!waited && wait_cb) {
			waited = true;
			wait_cb("another retort holds the migration lock", payload);
		}
		if ((error = retort__cancel_check()) < 0) {
			free(key);
			return error;
		}
		nanosleep(&nap, NULL);
	}
	error = retort__error_code(RETORT_ELOCKED, RETORT_ERROR_DATABASE,
		"timed out after %d s waiting for the migration lock on %s (another retort is migrating this database)",
		timeout_s, key);
	free(key);
	return error;
}

static int pg_unlock(retort_db *base)
{
	pg_db *db = (pg_db *)base;
	retort_rows *rows = NULL;
	const char *params[] = { db->lock_key };
	int error;

	if (!db->lock_key)
		return retort__error_set(RETORT_ERROR_DATABASE, "no migration lock is held");
	error = pg_query(&rows, base, "SELECT pg_catalog.pg_advisory_unlock(pg_catalog.hashtext($1))", 1, params);
	if (error == 0 && (rows->nrows != 1 || !retort_rows_get(rows, 0, 0) || strcmp(retort_rows_get(rows, 0, 0), "t")))
		error = retort__error_set(RETORT_ERROR_DATABASE, "migration lock on %s was not held", db->lock_key);
	retort_rows_free(rows);
	free(db->lock_key);
	db->lock_key = NULL;
	return error;
}

static void pg_quote_ident(retort_buf *out, const char *ident)
{
	retort_buf_putc(out, '"');
	retort_buf_put_doubled(out, ident, '"');
	retort_buf_putc(out, '"');
}

/* E'' only when needed: a backslash in a plain literal depends on standard_conforming_strings. */
static void pg_quote_literal(retort_buf *out, const char *value)
{
	if (!value) {
		retort_buf_puts(out, "NULL");
		return;
	}
	if (strchr(value, '\\')) {
		retort_buf_puts(out, "E'");
		for (const char *p = value; *p; p++) {
			if (*p == '\\' || *p == '\'')
				retort_buf_putc(out, *p);
			retort_buf_putc(out, *p);
		}
		retort_buf_putc(out, '\'');
		return;
	}
	retort_buf_putc(out, '\'');
	retort_buf_put_doubled(out, value, '\'');
	retort_buf_putc(out, '\'');
}

static int pg_table_exists(bool *out, retort_db *base, const char *schema, const char *name)
{
	/* Without a schema: what an unqualified name would resolve to (the search_path). */
	static const char sql[] =
		"SELECT 1 FROM pg_catalog.pg_class c "
		"JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
		"WHERE c.relname = $1 AND c.relkind IN ('r', 'p') "
		"AND CASE WHEN $2::text IS NULL THEN pg_catalog.pg_table_is_visible(c.oid) "
		"ELSE n.nspname = $2::text END";
	const char *params[] = { name, schema };
	retort_rows *rows = NULL;
	int error;

	*out = false;
	if ((error = pg_query(&rows, base, sql, 2, params)) < 0)
		return error;
	*out = rows->nrows > 0;
	retort_rows_free(rows);
	return 0;
}

const retort_dialect retort__dialect_postgres = {
	.id = RETORT_DIALECT_POSTGRES,
	.name = "postgresql",
	.connect = pg_connect,
	.disconnect = pg_disconnect,
	.exec_script = pg_exec_script,
	.query = pg_query,
	.split = pg_split,
	.begin = pg_begin,
	.commit = pg_commit,
	.rollback = pg_rollback,
	.lock = pg_lock,
	.unlock = pg_unlock,
	.quote_ident = pg_quote_ident,
	.quote_literal = pg_quote_literal,
	.table_exists = pg_table_exists,
};
