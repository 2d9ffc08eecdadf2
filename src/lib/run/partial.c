/*
 * partial.c - the trace of a `Transactional: no` step (see partial.h):
 * its history row, kept current statement by statement, and the message
 * that says what a stopped step left behind and how to go on.
 *
 * Every statement names the history table through the dialect and binds
 * its values.  The rows are read with SELECT *, by column name, so a
 * history table an older retort created (without unfinished_statement)
 * reads as one without a trace.
 */
#include <stdlib.h>
#include <string.h>

#include "run/partial.h"
#include "sql/sql.h"

#define COLUMN "unfinished_statement"

void retort_partial_free(retort_partial *p)
{
	if (!p)
		return;
	free(p->revision);
	free(p->heads_before);
	free(p->heads_after);
	free(p->started_at);
	free(p->os_user);
	free(p->host);
	free(p);
}

static long column_of(const retort_rows *rows, const char *name)
{
	for (size_t c = 0; c < rows->ncols; c++)
		if (!strcmp(rows->colnames[c], name))
			return (long)c;
	return -1;
}

static char *cell(const retort_rows *rows, const char *name)
{
	long c = column_of(rows, name);
	const char *v = c >= 0 && rows->nrows ? retort_rows_get(rows, 0, (size_t)c) : NULL;

	return v ? retort__strdup(v) : NULL;
}

/* Is `id` one of the comma-separated ids of `list`? */
static bool listed(const char *list, const char *id)
{
	size_t n = strlen(id);

	for (const char *p = list; p && *p;) {
		const char *end = strchr(p, ',');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		if (len == n && !strncmp(p, id, n))
			return true;
		p = end ? end + 1 : NULL;
	}
	return false;
}

int retort_partial_find(retort_partial **out, retort_db *db, const retort_config *cfg)
{
	retort_buf sql = RETORT_BUF_INIT;
	retort_rows *rows = NULL;
	retort_partial *p;
	char *direction = NULL, *n = NULL;
	bool found = false;
	int error;

	*out = NULL;
	if (!cfg->history_table)
		return 0;
	if ((error = db->dialect->table_exists(&found, db, cfg->version_table_schema,
			cfg->history_table)) < 0 || !found)
		return error;
	retort_buf_puts(&sql, "SELECT * FROM ");
	retort__history_table_name(&sql, db->dialect, cfg);
	retort_buf_puts(&sql, " ORDER BY id DESC LIMIT 1");
	if ((error = retort_db_query(&rows, db, sql.ptr, 0, NULL)) < 0)
		goto done;
	direction = cell(rows, "direction");
	if (!direction || strcmp(direction, "unfinished") != 0)
		goto done;
	p = retort__calloc(1, sizeof(*p));
	p->revision = cell(rows, "revision");
	p->heads_before = cell(rows, "heads_before");
	p->heads_after = cell(rows, "heads_after");
	p->started_at = cell(rows, "applied_at");
	p->os_user = cell(rows, "os_user");
	p->host = cell(rows, "host");
	if (!p->revision)
		p->revision = retort__strdup("?");
	p->upgrade = listed(p->heads_after, p->revision);
	n = cell(rows, COLUMN);
	p->statement = n ? strtol(n, NULL, 10) : 0;
	*out = p;
done:
	free(direction);
	free(n);
	retort_rows_free(rows);
	retort_buf_dispose(&sql);
	return error;
}

/* Add the column to a history table an older retort created. */
static int ensure_column(retort_db *db, const retort_config *cfg)
{
	retort_buf sql = RETORT_BUF_INIT;
	retort_rows *rows = NULL;
	int error;

	retort_buf_puts(&sql, "SELECT * FROM ");
	retort__history_table_name(&sql, db->dialect, cfg);
	retort_buf_puts(&sql, " WHERE 1 = 0");
	if ((error = retort_db_query(&rows, db, sql.ptr, 0, NULL)) < 0 || column_of(rows, COLUMN) >= 0)
		goto done;
	retort_buf_clear(&sql);
	retort_buf_puts(&sql, "ALTER TABLE ");
	retort__history_table_name(&sql, db->dialect, cfg);
	retort_buf_puts(&sql, " ADD COLUMN " COLUMN " INTEGER");
	error = retort_db_query(NULL, db, sql.ptr, 0, NULL);
done:
	retort_rows_free(rows);
	retort_buf_dispose(&sql);
	return error;
}

int retort_partial_start(int64_t *id, retort_db *db, const retort_config *cfg,
	const retort_history_entry *e, bool counted)
{
	retort_buf sql = RETORT_BUF_INIT;
	retort_rows *rows = NULL;
	char *before = NULL, *after = NULL, now[96];
	const char *params[11];
	int error;

	*id = 0;
	if (!cfg->history_table)
		return 0;
	if ((error = ensure_column(db, cfg)) < 0)
		return error;
	before = retort__ids_join(e->heads_before, ",");
	after = retort__ids_join(e->heads_after, ",");
	retort__history_now(now);
	retort__history_whoami(&params[0], &params[1]);
	params[2] = e->git_commit;
	params[3] = e->revision;
	params[4] = "unfinished";
	params[5] = before;
	params[6] = after;
	params[7] = e->checksum;
	params[8] = now;
	params[9] = counted ? "1" : "0";
	params[10] = e->tag;
	retort_buf_puts(&sql, "INSERT INTO ");
	retort__history_table_name(&sql, db->dialect, cfg);
	retort_buf_puts(&sql, " (os_user, host, git_commit, revision, direction, heads_before, heads_after,"
		" checksum, applied_at, duration_ms, " COLUMN ", tag) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 0, "
		"CAST($10 AS INTEGER), $11) RETURNING id");
	if ((error = retort_db_query(&rows, db, sql.ptr, 11, params)) < 0)
		goto done;
	if (rows->nrows != 1 || !retort_rows_get(rows, 0, 0))
		error = retort__error_set(RETORT_ERROR_DATABASE, "the history row of '%s' has no id", e->revision);
	else
		*id = strtoll(retort_rows_get(rows, 0, 0), NULL, 10);
done:
	retort_rows_free(rows);
	free(before);
	free(after);
	retort_buf_dispose(&sql);
	return error;
}

int retort_partial_progress(retort_db *db, const retort_config *cfg, int64_t id, unsigned next)
{
	retort_buf sql = RETORT_BUF_INIT;
	char *n, *row;
	const char *params[2];
	int error;

	if (!id)
		return 0;
	n = retort__sprintf("%u", next);
	row = retort__sprintf("%lld", (long long)id);
	params[0] = n;
	params[1] = row;
	retort_buf_puts(&sql, "UPDATE ");
	retort__history_table_name(&sql, db->dialect, cfg);
	retort_buf_puts(&sql, " SET " COLUMN " = CAST($1 AS INTEGER) WHERE id = CAST($2 AS BIGINT)");
	error = retort_db_query(NULL, db, sql.ptr, 2, params);
	free(n);
	free(row);
	retort_buf_dispose(&sql);
	return error;
}

int retort_partial_finish(retort_db *db, const retort_config *cfg, int64_t id,
	const char *direction, int64_t duration_ms)
{
	retort_buf sql = RETORT_BUF_INIT;
	char *ms, *row;
	const char *params[3];
	int error;

	if (!id)
		return 0;
	ms = retort__sprintf("%lld", (long long)duration_ms);
	row = retort__sprintf("%lld", (long long)id);
	params[0] = direction;
	params[1] = ms;
	params[2] = row;
	retort_buf_puts(&sql, "UPDATE ");
	retort__history_table_name(&sql, db->dialect, cfg);
	retort_buf_puts(&sql, " SET direction = $1, duration_ms = CAST($2 AS BIGINT), " COLUMN " = NULL"
		" WHERE id = CAST($3 AS BIGINT)");
	error = retort_db_query(NULL, db, sql.ptr, 3, params);
	free(ms);
	free(row);
	retort_buf_dispose(&sql);
	return error;
}

int retort_partial_discard(retort_db *db, const retort_config *cfg, int64_t id)
{
	retort_buf sql = RETORT_BUF_INIT;
	char *row;
	const char *params[1];
	int error;

	if (!id)
		return 0;
	row = retort__sprintf("%lld", (long long)id);
	params[0] = row;
	retort_buf_puts(&sql, "DELETE FROM ");
	retort__history_table_name(&sql, db->dialect, cfg);
	retort_buf_puts(&sql, " WHERE id = CAST($1 AS BIGINT) AND direction = 'unfinished'");
	error = retort_db_query(NULL, db, sql.ptr, 1, params);
	free(row);
	retort_buf_dispose(&sql);
	return error;
}

typedef struct counter {
	long want, seen;
	unsigned line;
} counter;

static int count_stmt(const char *sql, size_t len, unsigned line, void *payload)
{
	counter *c = payload;

	(void)sql;
	(void)len;
	if (++c->seen == c->want) {
		c->line = line;
		return 1;
	}
	return 0;
}

void retort_partial_locate(retort_partial *p, const retort_graph *graph, retort_dialect_id dialect)
{
	const retort_revision *rev = graph ? retort_graph_get(graph, p->revision) : NULL;
	const retort_script *s = rev ? rev->script : NULL;
	counter c = { p->statement, 0, 0 };
	const char *sql;

	if (!s || s->format != RETORT_SCRIPT_SQL || p->statement <= 0)
		return;
	if (!(p->upgrade ? s->upgrade_sql : s->downgrade_sql) && retort_script_read_sql(s) < 0) {
		retort_error_clear();
		return;
	}
	sql = p->upgrade ? s->upgrade_sql : s->downgrade_sql;
	if (!sql)
		return;
	retort_sql_split(dialect, sql, NULL, count_stmt, &c);
	if (c.line)
		p->line = (p->upgrade ? s->upgrade_line : s->downgrade_line) + c.line - 1;
}

static void put_heads(retort_buf *out, const char *heads)
{
	if (!heads || !*heads) {
		retort_buf_puts(out, "base");
		return;
	}
	for (const char *p = heads; *p; p++)
		retort_buf_putc(out, *p == ',' ? ' ' : *p);
}

void retort_partial_describe(retort_buf *out, const retort_partial *p, const retort_graph *graph)
{
	const retort_revision *rev = graph ? retort_graph_get(graph, p->revision) : NULL;
	const char *verb = p->upgrade ? "upgrade" : "downgrade";

	retort_buf_printf(out, "the %s of revision '%s'", verb, p->revision);
	if (rev)
		retort_buf_printf(out, " (%s)", rev->script->path);
	retort_buf_printf(out, " was started at %s", p->started_at ? p->started_at : "?");
	if (p->os_user || p->host)
		retort_buf_printf(out, " by %s@%s", p->os_user ? p->os_user : "?", p->host ? p->host : "?");
	if (p->statement > 0) {
		retort_buf_printf(out, " and did not finish: it stopped at statement %ld", p->statement);
		if (p->line)
			retort_buf_printf(out, " (line %u)", p->line);
		if (p->statement > 1)
			retort_buf_printf(out, "; statements 1 to %ld completed and stay applied", p->statement - 1);
		retort_buf_puts(out, "; that statement may or may not have taken effect");
	} else {
		retort_buf_puts(out, " and did not finish (it runs outside a transaction, so what it did stays)");
	}
	retort_buf_puts(out, "; the version table does not record it.  Either finish it by hand and run 'retort stamp ");
	put_heads(out, p->heads_after);
	retort_buf_puts(out, "', or undo what it did by hand and run 'retort stamp ");
	put_heads(out, p->heads_before);
	retort_buf_puts(out, p->upgrade ? "' to run it again with the next upgrade" : "' to run it again with the next downgrade");
}
