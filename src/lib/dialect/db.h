/*
 * db.h - a database connection behind one dialect interface.
 *
 * Everything outside src/lib/dialect/ talks to a database through this
 * header: open a connection from a parsed URL, run statements, read rows as
 * text, take the migration lock, quote identifiers.  The dialects
 * (dialect/sqlite.c, dialect/postgres.c) are the only files that include
 * sqlite3.h or libpq-fe.h.
 *
 * A dialect is a table of function pointers (like sqlite3_vfs, but
 * without its version number: both dialects are compiled into the library
 * with this header, so the table and its callers cannot disagree); a
 * connection is a struct whose first member is `retort_db`, so the
 * generic wrappers below can dispatch through db->dialect.
 *
 * Errors: every function returns 0 or a negative status and sets the
 * thread-local error (class DATABASE) to the database's own message with
 * trailing newlines stripped; a statement that could not get a lock in
 * time (PostgreSQL's lock_not_available, SQLSTATE 55P03: lock_timeout or
 * NOWAIT) returns RETORT_ELOCKED.  Line numbers in scripts are the caller's
 * business; exec_script reports where in its input the failing statement
 * starts.
 */
#ifndef RETORT_DB_H
#define RETORT_DB_H

#include <stdbool.h>
#include <stddef.h>

#include "base/buf.h"
#include "dialect/url.h"
#include "sql/sql.h"

typedef struct retort_db retort_db;
typedef struct retort_dialect retort_dialect;

/* A fully materialized result set; every cell is text or NULL (SQL NULL). */
typedef struct retort_rows {
	size_t nrows;
	size_t ncols;
	char **colnames; /* ncols entries */
	char **cells;    /* nrows * ncols entries, row-major */
	void *arena_;    /* private: the blocks the cell texts live in */
} retort_rows;

static inline const char *retort_rows_get(const retort_rows *rows, size_t row, size_t col)
{
	return rows->cells[row * rows->ncols + col];
}
void retort_rows_free(retort_rows *rows);

/*
 * Called for each statement a splitter finds: `sql`/`len` point into the
 * input (leading whitespace and comments may be included, the terminating
 * semicolon is not), `line` is the 1-based line of the input where the
 * statement's first token is.  Return non-zero to stop (that value is
 * returned by split).  The splitter is sql.h's, shared by both dialects.
 */
typedef retort_sql_stmt_cb retort_stmt_cb;

/* Called once when a lock is held by someone else and we start waiting. */
typedef void (*retort_wait_cb)(const char *what, void *payload);

struct retort_dialect {
	retort_dialect_id id;
	const char *name;            /* "sqlite", "postgresql" */

	int (*connect)(retort_db **out, const retort_url *url);
	void (*disconnect)(retort_db *db);

	/*
	 * Run every statement of `sql` in order.  On failure, *err_line (when
	 * not NULL) is the 1-based line of `sql` where the failing statement
	 * starts.  PostgreSQL splits with libpg_query's scanner; SQLite steps
	 * through sqlite3_prepare_v2's tail.
	 */
	int (*exec_script)(retort_db *db, const char *sql, unsigned *err_line);

	/*
	 * One statement with text parameters written $1..$n in both dialects;
	 * returns all rows as text.  `out` may be NULL to discard rows.
	 */
	int (*query)(retort_rows **out, retort_db *db, const char *sql,
		size_t nparams, const char *const *params);

	/* Split without executing (offline mode, Transactional: no): retort_sql_split. */
	int (*split)(const char *sql, retort_stmt_cb cb, void *payload);

	/*
	 * Transactions.  SQLite's begin is BEGIN IMMEDIATE (takes the write
	 * lock).  A transaction begun here ends only through commit or
	 * rollback: while it is open, exec_script and query refuse, before
	 * running it, a statement that would end or replace it (BEGIN,
	 * COMMIT, END, ROLLBACK, ABORT, PREPARE TRANSACTION; sql.h's
	 * retort_sql_txn_ends), and fail at the statement after which the
	 * connection is no longer in it (PQtransactionStatus,
	 * sqlite3_get_autocommit), so no caller mistakes a transaction that
	 * ended early for its own.  Outside one, anything goes (scripts that
	 * manage their own transactions).
	 */
	int (*begin)(retort_db *db);
	int (*commit)(retort_db *db);
	int (*rollback)(retort_db *db);

	/*
	 * The migration lock of version table `table` (in `schema`, or the
	 * connection's default schema when NULL), held for a whole run.
	 * PostgreSQL: a session advisory lock on the table's resolved name, so
	 * configs that name the same table differently still exclude each
	 * other; SQLite: an flock beside the database file, plus the busy
	 * timeout set here.  Waits up to timeout_s seconds, calling wait_cb
	 * once if it has to wait; RETORT_ELOCKED on timeout.  unlock releases
	 * what lock took; an error when nothing was held.
	 */
	int (*lock)(retort_db *db, const char *schema, const char *table, int timeout_s,
		retort_wait_cb wait_cb, void *payload);
	int (*unlock)(retort_db *db);

	/* Append `ident` quoted as needed (always safe to render). */
	void (*quote_ident)(retort_buf *out, const char *ident);
	/* Append a string literal; only for rendering offline SQL. */
	void (*quote_literal)(retort_buf *out, const char *value);

	/* Does table `name` exist (in `schema`, or the default schema when NULL)? */
	int (*table_exists)(bool *out, retort_db *db, const char *schema, const char *name);
};

/* The base of every connection struct. */
struct retort_db {
	const retort_dialect *dialect;
	retort_url *url; /* owned copy */
};

/* The dialect for a URL's scheme (never NULL for a parsed URL). */
const retort_dialect *retort_dialect_for(retort_dialect_id id);

/* Open a connection for `url` (copied).  Close with retort_db_free. */
int retort_db_open(retort_db **out, const retort_url *url);
/* The same from a URL's text, parsed (and refused) as retort_url_parse does. */
int retort_db_open_text(retort_db **out, const char *url);
void retort_db_free(retort_db *db);

/* Thin dispatch wrappers: see the struct fields above. */
int retort_db_exec_script(retort_db *db, const char *sql, unsigned *err_line);
int retort_db_exec(retort_db *db, const char *sql); /* exec_script, line discarded */
int retort_db_query(retort_rows **out, retort_db *db, const char *sql,
	size_t nparams, const char *const *params);
int retort_db_begin(retort_db *db);
int retort_db_commit(retort_db *db);
int retort_db_rollback(retort_db *db);
int retort_db_lock(retort_db *db, const char *schema, const char *table, int timeout_s,
	retort_wait_cb wait_cb, void *payload);
int retort_db_unlock(retort_db *db);
void retort_db_quote_ident(const retort_db *db, retort_buf *out, const char *ident);

#endif
