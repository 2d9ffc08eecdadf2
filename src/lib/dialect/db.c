/*
 * db.c - the dialect-independent half of db.h: choosing the dialect for a
 * URL, owning the connection's copy of its URL, and the thin wrappers that
 * dispatch through the dialect table.
 *
 * No SQL is written here and no database library is included: anything
 * that depends on the database lives in dialect/sqlite.c or
 * dialect/postgres.c.
 */
#include <stdlib.h>
#include <string.h>

#include "base/common.h"
#include "dialect/db.h"
#include "dialect/dialect.h"
#include "sql/sql.h"

const retort_dialect *retort_dialect_for(retort_dialect_id id)
{
	switch (id) {
	case RETORT_DIALECT_SQLITE:
		return &retort__dialect_sqlite;
	case RETORT_DIALECT_POSTGRES:
		return &retort__dialect_postgres;
	}
	return NULL;
}

int retort_db_open(retort_db **out, const retort_url *url)
{
	const retort_dialect *dialect;
	retort_db *db = NULL;
	int error;

	*out = NULL;
	if (!url || !(dialect = retort_dialect_for(url->dialect)))
		return retort__error_set(RETORT_ERROR_INTERNAL, "no dialect for this database URL");
	if ((error = dialect->connect(&db, url)) < 0)
		return error;
	db->dialect = dialect;
	db->url = retort_url_copy(url);
	*out = db;
	return 0;
}

int retort_db_open_text(retort_db **out, const char *text)
{
	retort_url *url = NULL;
	int error;

	*out = NULL;
	if ((error = retort_url_parse(&url, text)) < 0)
		return error;
	error = retort_db_open(out, url);
	retort_url_free(url);
	return error;
}

void retort_db_free(retort_db *db)
{
	retort_url *url;

	if (!db)
		return;
	url = db->url;
	db->dialect->disconnect(db);
	retort_url_free(url);
}

/* A block of cell texts; blocks never move, so cells may point into them. */
typedef struct rows_block {
	struct rows_block *next;
	size_t used, cap;
	char data[];
} rows_block;

#define ROWS_BLOCK_MIN 16384

void retort_rows_free(retort_rows *rows)
{
	size_t i;

	if (!rows)
		return;
	for (i = 0; i < rows->ncols; i++)
		free(rows->colnames[i]);
	for (rows_block *b = rows->arena_, *next; b; b = next) {
		next = b->next;
		free(b);
	}
	free(rows->colnames);
	free(rows->cells);
	free(rows);
}

char *retort__rows_text(retort_rows *rows, const char *text, size_t len)
{
	rows_block *b = rows->arena_;
	char *cell;

	if (!b || b->cap - b->used < len + 1) {
		size_t cap = len + 1 > ROWS_BLOCK_MIN ? len + 1 : ROWS_BLOCK_MIN;
		rows_block *nb = retort__malloc(sizeof(*nb) + cap);
		nb->next = b;
		nb->used = 0;
		nb->cap = cap;
		rows->arena_ = b = nb;
	}
	cell = b->data + b->used;
	b->used += len + 1;
	memcpy(cell, text, len);
	cell[len] = '\0';
	return cell;
}

retort_rows *retort__rows_new(size_t ncols)
{
	retort_rows *rows = retort__calloc(1, sizeof(*rows));

	rows->ncols = ncols;
	rows->colnames = retort__calloc(ncols + 1, sizeof(char *));
	return rows;
}

char **retort__rows_add(retort_rows *rows)
{
	size_t row = rows->nrows++;
	char **cells;

	if (!rows->ncols)
		return NULL;
	/* The capacity doubles whenever the row count reaches a power of two: 1, 2, 4, ... */
	if ((row & (row - 1)) == 0)
		rows->cells = retort__realloc(rows->cells, (row ? row * 2 : 1) * rows->ncols * sizeof(char *));
	cells = rows->cells + row * rows->ncols;
	memset(cells, 0, rows->ncols * sizeof(char *));
	return cells;
}

int retort__txn_refused(const retort_sql_class *cls)
{
	return retort__error_set(RETORT_ERROR_DATABASE,
		"%s would end the transaction it runs in; a script that manages its own "
		"transactions must say 'Transactional: no'", cls->command[0] ? cls->command : "this statement");
}

int retort__txn_ended(void)
{
	return retort__error_set(RETORT_ERROR_DATABASE,
		"this statement ended the transaction it ran in; a script that manages its own "
		"transactions must say 'Transactional: no'");
}

int retort_db_exec_script(retort_db *db, const char *sql, unsigned *err_line)
{
	if (err_line)
		*err_line = 0;
	return db->dialect->exec_script(db, sql, err_line);
}

int retort_db_exec(retort_db *db, const char *sql)
{
	return db->dialect->exec_script(db, sql, NULL);
}

int retort_db_query(retort_rows **out, retort_db *db, const char *sql,
	size_t nparams, const char *const *params)
{
	int error;

	if (out)
		*out = NULL;
	/* exec_script asks before each of its statements; a query is one */
	if ((error = retort__cancel_check()) < 0)
		return error;
	return db->dialect->query(out, db, sql, nparams, params);
}

int retort_db_begin(retort_db *db)
{
	return db->dialect->begin(db);
}

int retort_db_commit(retort_db *db)
{
	return db->dialect->commit(db);
}

int retort_db_rollback(retort_db *db)
{
	return db->dialect->rollback(db);
}

int retort_db_lock(retort_db *db, const char *schema, const char *table, int timeout_s,
	retort_wait_cb wait_cb, void *payload)
{
	return db->dialect->lock(db, schema, table, timeout_s, wait_cb, payload);
}

int retort_db_unlock(retort_db *db)
{
	return db->dialect->unlock(db);
}

void retort_db_quote_ident(const retort_db *db, retort_buf *out, const char *ident)
{
	db->dialect->quote_ident(out, ident);
}
