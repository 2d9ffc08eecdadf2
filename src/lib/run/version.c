/*
 * version.c - the version table and the history table (see version.h).
 *
 * Every statement here names its table through the dialect's quote_ident
 * and passes values as bind parameters; the render_* functions produce the
 * same statements as text for offline mode, with values through
 * quote_literal.  Callers own transactions: nothing here begins or commits.
 */
#include <pthread.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>


#include "run/version.h"

static void qualified(retort_buf *out, const retort_dialect *d, const char *schema, const char *name)
{
	if (schema && *schema) {
		d->quote_ident(out, schema);
		retort_buf_putc(out, '.');
	}
	d->quote_ident(out, name);
}

void retort__version_table_name(retort_buf *out, const retort_dialect *d, const retort_config *cfg)
{
	qualified(out, d, cfg->version_table_schema, cfg->version_table);
}

void retort__history_table_name(retort_buf *out, const retort_dialect *d, const retort_config *cfg)
{
	if (cfg->history_table)
		qualified(out, d, cfg->version_table_schema, cfg->history_table);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

char *retort__ids_join(const retort_vec *ids, const char *sep)
{
	retort_buf b = RETORT_BUF_INIT;

	for (size_t i = 0; ids && i < ids->len; i++) {
		if (i)
			retort_buf_puts(&b, sep);
		retort_buf_puts(&b, ids->items[i]);
	}
	return b.asize ? retort_buf_detach(&b) : retort__strdup("");
}

/*
 * What the version table holds must be a database's state before anything
 * relies on it: a NULL row (a table made by hand, without the primary key)
 * was silently skipped, a duplicate would be undone once and stay.  Both
 * are runtime findings about the database (class DATABASE, exit 1), like
 * a revision no script defines.
 */
static int check_rows(const retort_rows *rows, const retort_config *cfg)
{
	for (size_t i = 0; i < rows->nrows; i++) {
		const char *v = retort_rows_get(rows, i, 0);
		if (!v)
			return retort__error_set(RETORT_ERROR_DATABASE,
				"the version table '%s' holds a NULL version_num: every row names a revision "
				"(delete that row, then set the table right with 'retort stamp')", cfg->version_table);
		for (size_t j = 0; j < i; j++)
			if (retort_rows_get(rows, j, 0) && !strcmp(retort_rows_get(rows, j, 0), v))
				return retort__error_set(RETORT_ERROR_DATABASE,
					"the version table '%s' holds '%s' twice: every row names a different revision "
					"(it has lost its primary key; set it right with 'retort stamp --purge')",
					cfg->version_table, v);
	}
	return 0;
}

int retort__version_table_read_existing(retort_vec *out, retort_db *db, const retort_config *cfg)
{
	retort_buf sql = RETORT_BUF_INIT;
	retort_rows *rows = NULL;
	int error;

	retort_buf_puts(&sql, "SELECT version_num FROM ");
	retort__version_table_name(&sql, db->dialect, cfg);
	if ((error = retort_db_query(&rows, db, sql.ptr, 0, NULL)) < 0) {
		/* a table of that name but another shape: say which table the database means */
		retort__error_prefix("cannot read the version table '%s'", cfg->version_table);
		goto done;
	}
	if ((error = check_rows(rows, cfg)) < 0)
		goto done;
	for (size_t i = 0; i < rows->nrows; i++)
		retort_vec_push(out, retort__strdup(retort_rows_get(rows, i, 0)));
	retort_vec_sort(out, cmp_str);
done:
	retort_rows_free(rows);
	retort_buf_dispose(&sql);
	return error;
}

/*
 * When no table has the version table's name, something else may: a view
 * (PostgreSQL would write through an updatable one into whatever it
 * selects from, SQLite would fail half-way), a sequence, an index.  That
 * is refused rather than read as "no version table".
 */
static int check_not_other_relation(retort_db *db, const retort_config *cfg)
{
	const char *params[] = { cfg->version_table, cfg->version_table_schema };
	retort_buf sql = RETORT_BUF_INIT;
	retort_rows *rows = NULL;
	int error;

	if (db->dialect->id == RETORT_DIALECT_SQLITE) {
		retort_buf_puts(&sql, "SELECT type FROM ");
		if (cfg->version_table_schema) {
			db->dialect->quote_ident(&sql, cfg->version_table_schema);
			retort_buf_putc(&sql, '.');
		}
		retort_buf_puts(&sql, "sqlite_master WHERE name = $1 COLLATE NOCASE AND type IN ('view', 'index')");
	} else {
		retort_buf_puts(&sql,
			"SELECT CASE c.relkind WHEN 'v' THEN 'view' WHEN 'm' THEN 'materialized view' "
			"WHEN 'f' THEN 'foreign table' WHEN 'S' THEN 'sequence' WHEN 'i' THEN 'index' "
			"WHEN 'I' THEN 'index' WHEN 'c' THEN 'composite type' ELSE c.relkind::text END "
			"FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
			"WHERE c.relname = $1 AND c.relkind NOT IN ('r', 'p') AND CASE WHEN $2::text IS NULL "
			"THEN pg_catalog.pg_table_is_visible(c.oid) ELSE n.nspname = $2::text END");
	}
	if ((error = retort_db_query(&rows, db, sql.ptr, db->dialect->id == RETORT_DIALECT_SQLITE ? 1 : 2,
			params)) < 0)
		goto done;
	if (rows->nrows > 0)
		error = retort__error_set(RETORT_ERROR_DATABASE,
			"the version table '%s' is a %s, not a table: retort keeps versions only in a table "
			"it can lock and write (drop or rename the %s, or set version_table)",
			cfg->version_table, retort_rows_get(rows, 0, 0), retort_rows_get(rows, 0, 0));
done:
	retort_rows_free(rows);
	retort_buf_dispose(&sql);
	return error;
}

int retort_version_table_read(retort_vec *out, bool *exists, retort_db *db, const retort_config *cfg)
{
	bool found = false;
	int error;

	if ((error = db->dialect->table_exists(&found, db, cfg->version_table_schema,
			cfg->version_table)) < 0)
		return error;
	if (exists)
		*exists = found;
	if (!found)
		return check_not_other_relation(db, cfg);
	return retort__version_table_read_existing(out, db, cfg);
}

static void render_version_create(retort_buf *out, const retort_dialect *d, const retort_config *cfg)
{
	char *pk = retort__sprintf("%s_pkc", cfg->version_table);

	retort_buf_puts(out, "CREATE TABLE IF NOT EXISTS ");
	retort__version_table_name(out, d, cfg);
	retort_buf_puts(out, " (\n    version_num VARCHAR(32) NOT NULL,\n    CONSTRAINT ");
	d->quote_ident(out, pk);
	retort_buf_puts(out, " PRIMARY KEY (version_num)\n)");
	free(pk);
}

static void render_history_create(retort_buf *out, const retort_dialect *d, const retort_config *cfg)
{
	retort_buf_puts(out, "CREATE TABLE IF NOT EXISTS ");
	retort__history_table_name(out, d, cfg);
	/* An id keeps the append order exact when two rows share a millisecond. */
	retort_buf_puts(out, d->id == RETORT_DIALECT_SQLITE
		? " (\n    id INTEGER PRIMARY KEY AUTOINCREMENT,\n"
		: " (\n    id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,\n");
	retort_buf_puts(out,
		"    revision TEXT NOT NULL,\n"
		"    direction VARCHAR(16) NOT NULL,\n"
		"    heads_before TEXT NOT NULL,\n"
		"    heads_after TEXT NOT NULL,\n"
		"    checksum VARCHAR(64),\n"
		"    applied_at VARCHAR(32) NOT NULL,\n"
		"    duration_ms BIGINT NOT NULL,\n"
		"    os_user TEXT,\n"
		"    host TEXT,\n"
		"    git_commit VARCHAR(64),\n"
		"    tag TEXT,\n"
		"    unfinished_statement INTEGER\n" /* partial.h: a Transactional: no step in progress */
		")");
}

void retort_version_table_render_create(retort_buf *out, const retort_dialect *d,
	const retort_config *cfg, bool with_history)
{
	render_version_create(out, d, cfg);
	retort_buf_puts(out, ";\n\n");
	if (with_history && cfg->history_table) {
		render_history_create(out, d, cfg);
		retort_buf_puts(out, ";\n\n");
	}
}

/*
 * History tables made before `--tag` existed gain its column, rows kept.
 * One catalog query per run; the ALTER runs once per table.
 */
static int history_add_tag(retort_db *db, const retort_config *cfg)
{
	retort_buf sql = RETORT_BUF_INIT;
	retort_rows *rows = NULL;
	const char *params[2] = { cfg->history_table, cfg->version_table_schema };
	int error;

	if (db->dialect->id == RETORT_DIALECT_SQLITE)
		retort_buf_puts(&sql, cfg->version_table_schema
			? "SELECT count(*) FROM pragma_table_info($1, $2) WHERE name = 'tag'"
			: "SELECT count(*) FROM pragma_table_info($1) WHERE name = 'tag'");
	else
		retort_buf_puts(&sql, cfg->version_table_schema
			? "SELECT count(*) FROM information_schema.columns WHERE table_name = $1"
			  " AND table_schema = $2 AND column_name = 'tag'"
			: "SELECT count(*) FROM information_schema.columns WHERE table_name = $1"
			  " AND table_schema = current_schema() AND column_name = 'tag'");
	if ((error = retort_db_query(&rows, db, sql.ptr, cfg->version_table_schema ? 2 : 1, params)) < 0)
		goto done;
	if (rows->nrows == 1 && strcmp(retort_rows_get(rows, 0, 0), "0") == 0) {
		retort_buf_clear(&sql);
		retort_buf_puts(&sql, "ALTER TABLE ");
		retort__history_table_name(&sql, db->dialect, cfg);
		retort_buf_puts(&sql, " ADD COLUMN tag TEXT");
		error = retort_db_query(NULL, db, sql.ptr, 0, NULL);
	}
done:
	retort_rows_free(rows);
	retort_buf_dispose(&sql);
	return error;
}

int retort_version_table_ensure(retort_db *db, const retort_config *cfg)
{
	retort_buf sql = RETORT_BUF_INIT;
	bool found = false;
	int error;

	if ((error = db->dialect->table_exists(&found, db, cfg->version_table_schema,
			cfg->version_table)) < 0)
		goto done;
	if (!found && (error = check_not_other_relation(db, cfg)) < 0)
		goto done;
	if (!found) {
		render_version_create(&sql, db->dialect, cfg);
		if ((error = retort_db_query(NULL, db, sql.ptr, 0, NULL)) < 0)
			goto done;
	}
	if (!cfg->history_table)
		goto done;
	if ((error = db->dialect->table_exists(&found, db, cfg->version_table_schema,
			cfg->history_table)) < 0)
		goto done;
	if (!found) {
		retort_buf_clear(&sql);
		render_history_create(&sql, db->dialect, cfg);
		error = retort_db_query(NULL, db, sql.ptr, 0, NULL);
	} else {
		error = history_add_tag(db, cfg);
	}
done:
	retort_buf_dispose(&sql);
	return error;
}

/* Ids in `a` that are not in `b`, in a's (sorted) order. */
static void difference(retort_vec *out, const retort_vec *a, const retort_vec *b)
{
	for (size_t i = 0; a && i < a->len; i++) {
		bool in_b = false;
		for (size_t j = 0; b && j < b->len && !in_b; j++)
			in_b = strcmp(a->items[i], b->items[j]) == 0;
		if (!in_b)
			retort_vec_push(out, a->items[i]);
	}
}

typedef enum { OP_UPDATE, OP_DELETE, OP_INSERT } op_kind;
typedef struct {
	op_kind kind;
	const char *from, *to;
} version_op;

/*
 * Alembic's head maintenance: pair removed ids with added ones as UPDATEs
 * (merge: one update, the other parents deleted; un-merge: one update, the
 * other parents inserted), then DELETE what is left of the removed ids and
 * INSERT what is left of the added ones.  Returns the number of ops.
 */
static size_t diff_ops(version_op **out, const retort_vec *before, const retort_vec *after)
{
	retort_vec removed = RETORT_VEC_INIT, added = RETORT_VEC_INIT;
	version_op *ops;
	size_t n = 0, i;

	difference(&removed, before, after);
	difference(&added, after, before);
	ops = retort__calloc(removed.len + added.len + 1, sizeof(*ops));
	for (i = 0; i < removed.len && i < added.len; i++)
		ops[n++] = (version_op){ OP_UPDATE, removed.items[i], added.items[i] };
	for (size_t j = i; j < removed.len; j++)
		ops[n++] = (version_op){ OP_DELETE, removed.items[j], NULL };
	for (size_t j = i; j < added.len; j++)
		ops[n++] = (version_op){ OP_INSERT, NULL, added.items[j] };
	retort_vec_dispose(&removed, false);
	retort_vec_dispose(&added, false);
	*out = ops;
	return n;
}

/*
 * Like Alembic, an UPDATE or DELETE of the version table must touch
 * exactly one row: anything else means the table is not what the plan
 * was made from.
 */
static int not_one_row(const char *table, const version_op *op, const char *found)
{
	return retort__error_set(RETORT_ERROR_DATABASE, "version table %s: expected one row '%s' to %s, found %s",
		table, op->from, op->kind == OP_UPDATE ? "update" : "delete", found);
}

int retort_version_table_apply(retort_db *db, const retort_config *cfg,
	const retort_vec *before, const retort_vec *after)
{
	retort_buf table = RETORT_BUF_INIT, sql = RETORT_BUF_INIT;
	retort_rows *rows = NULL;
	version_op *ops = NULL;
	size_t n = diff_ops(&ops, before, after);
	int error = 0;

	retort__version_table_name(&table, db->dialect, cfg);
	for (size_t i = 0; i < n && error == 0; i++) {
		const char *params[2];
		size_t np;

		retort_buf_clear(&sql);
		switch (ops[i].kind) {
		case OP_UPDATE:
			retort_buf_printf(&sql, "UPDATE %s SET version_num = $1 WHERE version_num = $2 RETURNING version_num", table.ptr);
			params[0] = ops[i].to;
			params[1] = ops[i].from;
			np = 2;
			break;
		case OP_DELETE:
			retort_buf_printf(&sql, "DELETE FROM %s WHERE version_num = $1 RETURNING version_num", table.ptr);
			params[0] = ops[i].from;
			np = 1;
			break;
		default:
			retort_buf_printf(&sql, "INSERT INTO %s (version_num) VALUES ($1)", table.ptr);
			params[0] = ops[i].to;
			np = 1;
			break;
		}
		retort_rows_free(rows);
		rows = NULL;
		if ((error = retort_db_query(&rows, db, sql.ptr, np, params)) < 0)
			break;
		if (ops[i].kind != OP_INSERT && rows->nrows != 1) {
			char found[32];
			snprintf(found, sizeof(found), "%zu", rows->nrows);
			error = not_one_row(table.ptr, &ops[i], found);
		}
	}
	retort_rows_free(rows);
	free(ops);
	retort_buf_dispose(&sql);
	retort_buf_dispose(&table);
	return error;
}

void retort_version_table_render_apply(retort_buf *out, const retort_dialect *d,
	const retort_config *cfg, const retort_vec *before, const retort_vec *after)
{
	retort_buf table = RETORT_BUF_INIT;
	version_op *ops = NULL;
	size_t n = diff_ops(&ops, before, after);

	retort__version_table_name(&table, d, cfg);
	for (size_t i = 0; i < n; i++) {
		switch (ops[i].kind) {
		case OP_UPDATE:
			retort_buf_printf(out, "UPDATE %s SET version_num = ", table.ptr);
			d->quote_literal(out, ops[i].to);
			retort_buf_puts(out, " WHERE version_num = ");
			d->quote_literal(out, ops[i].from);
			break;
		case OP_DELETE:
			retort_buf_printf(out, "DELETE FROM %s WHERE version_num = ", table.ptr);
			d->quote_literal(out, ops[i].from);
			break;
		default:
			retort_buf_printf(out, "INSERT INTO %s (version_num) VALUES (", table.ptr);
			d->quote_literal(out, ops[i].to);
			retort_buf_putc(out, ')');
			break;
		}
		retort_buf_puts(out, ";\n\n");
	}
	free(ops);
	retort_buf_dispose(&table);
}

int retort_version_table_purge(retort_db *db, const retort_config *cfg)
{
	retort_buf sql = RETORT_BUF_INIT;
	int error;

	retort_buf_puts(&sql, "DELETE FROM ");
	retort__version_table_name(&sql, db->dialect, cfg);
	error = retort_db_query(NULL, db, sql.ptr, 0, NULL);
	retort_buf_dispose(&sql);
	return error;
}

void retort_version_table_render_purge(retort_buf *out, const retort_dialect *d, const retort_config *cfg)
{
	retort_buf_puts(out, "DELETE FROM ");
	retort__version_table_name(out, d, cfg);
	retort_buf_puts(out, ";\n\n");
}

/* --- history ----------------------------------------------------------- */

void retort__history_now(char out[96])
{
	struct timespec ts;
	struct tm tm;

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	snprintf(out, 96, "%04d-%02d-%02d %02d:%02d:%02d.%03d+00:00",
		tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
		(int)(ts.tv_nsec / 1000000) % 1000);
}

/*
 * Who and where, looked up once per process: getpwuid_r may go through
 * NSS, and a per-migration run would otherwise ask once per revision.
 */
static pthread_once_t whoami_once = PTHREAD_ONCE_INIT;
static char whoami_user[256], whoami_host[256];

static void whoami_init(void)
{
	struct passwd pw, *res = NULL;
	char buf[1024];
	const char *env;

	if (getpwuid_r(geteuid(), &pw, buf, sizeof(buf), &res) == 0 && res)
		snprintf(whoami_user, sizeof(whoami_user), "%s", res->pw_name);
	else if ((env = getenv("USER")) != NULL)
		snprintf(whoami_user, sizeof(whoami_user), "%s", env);
	if (gethostname(whoami_host, sizeof(whoami_host) - 1) != 0)
		whoami_host[0] = '\0';
}

static const char *os_user(void)
{
	pthread_once(&whoami_once, whoami_init);
	return whoami_user[0] ? whoami_user : NULL;
}

static const char *os_host(void)
{
	pthread_once(&whoami_once, whoami_init);
	return whoami_host[0] ? whoami_host : NULL;
}

void retort__history_whoami(const char **user, const char **host)
{
	*user = os_user();
	*host = os_host();
}

#define HISTORY_ROWS_PER_INSERT 10
#define HISTORY_ROW_PARAMS 7

int retort_history_append(retort_db *db, const retort_config *cfg,
	const retort_history_entry *entries, size_t n)
{
	retort_buf head = RETORT_BUF_INIT, sql = RETORT_BUF_INIT;
	const char **params = NULL;
	char **owned = NULL;    /* joined heads and durations: 3 per row */
	char now[96];
	int error = 0;

	if (!cfg->history_table || n == 0)
		return 0;
	retort__history_now(now);
	retort_buf_puts(&head, "INSERT INTO ");
	retort__history_table_name(&head, db->dialect, cfg);
	retort_buf_puts(&head, " (os_user, host, git_commit, tag, revision, direction, heads_before,"
		" heads_after, checksum, applied_at, duration_ms) VALUES ");
	/* $1..$4 are the same for every row of a run: user, host, commit, tag. */
	params = retort__calloc(4 + HISTORY_ROWS_PER_INSERT * HISTORY_ROW_PARAMS, sizeof(*params));
	owned = retort__calloc(HISTORY_ROWS_PER_INSERT * 3, sizeof(*owned));
	params[0] = os_user();
	params[1] = os_host();
	for (size_t start = 0, rows = 0; start < n && error == 0; start += rows) {
		rows = n - start < HISTORY_ROWS_PER_INSERT ? n - start : HISTORY_ROWS_PER_INSERT;
		/* A new statement whenever the commit or tag differs (never, in one run). */
		for (size_t i = 1; i < rows; i++)
			if (!retort__streq(entries[start + i].git_commit, entries[start].git_commit) ||
			    !retort__streq(entries[start + i].tag, entries[start].tag)) {
				rows = i;
				break;
			}
		params[2] = entries[start].git_commit;
		params[3] = entries[start].tag;
		retort_buf_clear(&sql);
		retort_buf_put(&sql, head.ptr, head.size);
		for (size_t i = 0; i < rows; i++) {
			const retort_history_entry *e = &entries[start + i];
			const char **p = params + 4 + i * HISTORY_ROW_PARAMS;
			size_t b = 4 + i * HISTORY_ROW_PARAMS;

			owned[i * 3] = retort__ids_join(e->heads_before, ",");
			owned[i * 3 + 1] = retort__ids_join(e->heads_after, ",");
			owned[i * 3 + 2] = retort__sprintf("%lld", (long long)e->duration_ms);
			p[0] = e->revision;
			p[1] = e->direction;
			p[2] = owned[i * 3];
			p[3] = owned[i * 3 + 1];
			p[4] = e->checksum;
			p[5] = e->applied_at ? e->applied_at : now;
			p[6] = owned[i * 3 + 2];
			retort_buf_printf(&sql, "%s($1, $2, $3, $4, $%zu, $%zu, $%zu, $%zu, $%zu, $%zu, $%zu)",
				i ? ", " : "", b + 1, b + 2, b + 3, b + 4, b + 5, b + 6, b + 7);
		}
		error = retort_db_query(NULL, db, sql.ptr, 4 + rows * HISTORY_ROW_PARAMS, params);
		for (size_t i = 0; i < rows * 3; i++) {
			free(owned[i]);
			owned[i] = NULL;
		}
	}
	free(owned);
	free(params);
	retort_buf_dispose(&sql);
	retort_buf_dispose(&head);
	return error;
}

/*
 * PostgreSQL: every version statement and the history row as one
 * statement of data-modifying CTEs, so a per-migration run pays one round
 * trip for its bookkeeping instead of two or more.  The CTEs touch
 * disjoint rows (removed and added ids never overlap), so their shared
 * snapshot cannot hide one change from another.
 */
static int apply_logged_pg(retort_db *db, const retort_config *cfg,
	const version_op *ops, size_t n, const retort_history_entry *e)
{
	retort_buf table = RETORT_BUF_INIT, sql = RETORT_BUF_INIT;
	const char **params = retort__calloc(2 * n + 11, sizeof(*params));
	char *before = retort__ids_join(e->heads_before, ","), *after = retort__ids_join(e->heads_after, ",");
	char *duration = retort__sprintf("%lld", (long long)e->duration_ms), now[96];
	retort_rows *rows = NULL;
	size_t np = 0;
	int error;

	retort__history_now(now);
	retort__version_table_name(&table, db->dialect, cfg);
	retort_buf_puts(&sql, "WITH ");
	for (size_t i = 0; i < n; i++) {
		switch (ops[i].kind) {
		case OP_UPDATE:
			retort_buf_printf(&sql, "o%zu AS (UPDATE %s SET version_num = $%zu WHERE version_num = $%zu RETURNING 1), ",
				i, table.ptr, np + 1, np + 2);
			params[np++] = ops[i].to;
			params[np++] = ops[i].from;
			break;
		case OP_DELETE:
			retort_buf_printf(&sql, "o%zu AS (DELETE FROM %s WHERE version_num = $%zu RETURNING 1), ",
				i, table.ptr, np + 1);
			params[np++] = ops[i].from;
			break;
		default:
			retort_buf_printf(&sql, "o%zu AS (INSERT INTO %s (version_num) VALUES ($%zu) RETURNING 1), ",
				i, table.ptr, np + 1);
			params[np++] = ops[i].to;
			break;
		}
	}
	retort_buf_puts(&sql, "h AS (INSERT INTO ");
	retort__history_table_name(&sql, db->dialect, cfg);
	retort_buf_printf(&sql, " (os_user, host, git_commit, tag, revision, direction, heads_before,"
		" heads_after, checksum, applied_at, duration_ms) VALUES ($%zu, $%zu, $%zu, $%zu, $%zu,"
		" $%zu, $%zu, $%zu, $%zu, $%zu, $%zu) RETURNING 1) SELECT (SELECT count(*) FROM h)",
		np + 1, np + 2, np + 3, np + 4, np + 5, np + 6, np + 7, np + 8, np + 9, np + 10, np + 11);
	for (size_t i = 0; i < n; i++)
		retort_buf_printf(&sql, ", (SELECT count(*) FROM o%zu)", i);
	params[np++] = os_user();
	params[np++] = os_host();
	params[np++] = e->git_commit;
	params[np++] = e->tag;
	params[np++] = e->revision;
	params[np++] = e->direction;
	params[np++] = before;
	params[np++] = after;
	params[np++] = e->checksum;
	params[np++] = e->applied_at ? e->applied_at : now;
	params[np++] = duration;
	if ((error = retort_db_query(&rows, db, sql.ptr, np, params)) < 0)
		goto done;
	for (size_t i = 0; i < n; i++) {
		const char *count = rows->nrows == 1 ? retort_rows_get(rows, 0, i + 1) : NULL;
		if (!count || strcmp(count, "1") != 0) {
			error = not_one_row(table.ptr, &ops[i], count ? count : "none");
			break;
		}
	}
done:
	retort_rows_free(rows);
	free(params);
	free(before);
	free(after);
	free(duration);
	retort_buf_dispose(&sql);
	retort_buf_dispose(&table);
	return error;
}

int retort_version_table_apply_logged(retort_db *db, const retort_config *cfg,
	const retort_vec *before, const retort_vec *after, const retort_history_entry *e)
{
	version_op *ops = NULL;
	size_t n;
	int error;

	if (db->dialect->id != RETORT_DIALECT_POSTGRES || !cfg->history_table) {
		if ((error = retort_version_table_apply(db, cfg, before, after)) < 0)
			return error;
		return retort_history_append(db, cfg, e, 1);
	}
	n = diff_ops(&ops, before, after);
	error = apply_logged_pg(db, cfg, ops, n, e);
	free(ops);
	return error;
}

static int history_exists(bool *out, retort_db *db, const retort_config *cfg)
{
	*out = false;
	if (!cfg->history_table)
		return 0;
	return db->dialect->table_exists(out, db, cfg->version_table_schema, cfg->history_table);
}

static bool list_has(const char *list, const char *id)
{
	size_t n = strlen(id);

	for (const char *p = list; p && *p;) {
		const char *end = strchr(p, ',');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		if (len == n && strncmp(p, id, n) == 0)
			return true;
		p = end ? end + 1 : NULL;
	}
	return false;
}

int retort_history_find(retort_history_row **out, retort_db *db,
	const retort_config *cfg, const char *revision)
{
	retort_buf sql = RETORT_BUF_INIT;
	retort_rows *rows = NULL;
	bool found;
	int error;

	*out = NULL;
	if ((error = history_exists(&found, db, cfg)) < 0 || !found)
		goto done;
	/* Filter exactly in C: LIKE would treat '_' in an id as a wildcard. */
	retort_buf_puts(&sql, "SELECT revision, direction, checksum, applied_at, git_commit,"
		" os_user, host, heads_after FROM ");
	retort__history_table_name(&sql, db->dialect, cfg);
	/* 'unfinished' rows (partial.h) never put a revision in the version table */
	retort_buf_puts(&sql, " WHERE direction IN ('upgrade', 'stamp') ORDER BY id DESC");
	if ((error = retort_db_query(&rows, db, sql.ptr, 0, NULL)) < 0)
		goto done;
	for (size_t i = 0; i < rows->nrows; i++) {
		if (!list_has(retort_rows_get(rows, i, 7), revision))
			continue;
		retort_history_row *r = retort__calloc(1, sizeof(*r));
		r->revision = retort__strdup(revision);
		r->direction = retort__strdup(retort_rows_get(rows, i, 1));
		r->checksum = retort__strdup(retort_rows_get(rows, i, 2));
		r->applied_at = retort__strdup(retort_rows_get(rows, i, 3));
		r->git_commit = retort__strdup(retort_rows_get(rows, i, 4));
		r->os_user = retort__strdup(retort_rows_get(rows, i, 5));
		r->host = retort__strdup(retort_rows_get(rows, i, 6));
		*out = r;
		break;
	}
done:
	retort_rows_free(rows);
	retort_buf_dispose(&sql);
	return error;
}

int retort_history_checksums(retort_map *out, retort_db *db, const retort_config *cfg)
{
	retort_buf sql = RETORT_BUF_INIT;
	retort_rows *rows = NULL;
	bool found;
	int error;

	if ((error = history_exists(&found, db, cfg)) < 0 || !found)
		goto done;
	retort_buf_puts(&sql, "SELECT revision, checksum FROM ");
	retort__history_table_name(&sql, db->dialect, cfg);
	retort_buf_puts(&sql, " WHERE direction = 'upgrade' AND checksum IS NOT NULL ORDER BY id");
	if ((error = retort_db_query(&rows, db, sql.ptr, 0, NULL)) < 0)
		goto done;
	for (size_t i = 0; i < rows->nrows; i++)
		free(retort_map_set(out, retort_rows_get(rows, i, 0),
			retort__strdup(retort_rows_get(rows, i, 1))));
done:
	retort_rows_free(rows);
	retort_buf_dispose(&sql);
	return error;
}

void retort_history_row_free(retort_history_row *row)
{
	if (!row)
		return;
	free(row->revision);
	free(row->direction);
	free(row->checksum);
	free(row->applied_at);
	free(row->git_commit);
	free(row->os_user);
	free(row->host);
	free(row);
}
