/*
 * ctx.c - live and recording contexts for C revisions (see ctx.h).
 *
 * Every operation is rendered once, by the schema engine (ops_model.h),
 * and then either run on the connection or appended to the output, so
 * offline SQL is exactly what a live run would execute.  The exceptions
 * are queries, which need a database, and SQLite table rebuilds, which
 * read the live schema; both fail in a recording context with a message
 * naming the revision.
 */
#include <stdlib.h>
#include <string.h>

#include "base/common.h"
#include "run/ctx.h"
#include "run/ops_model.h"
#include "sql/sql.h"
#include "base/vec.h"

struct retort__ctx {
	retort_ctx pub;             /* first: the revision sees only this */
	const retort_dialect *d;
	retort_db *db;              /* live; NULL when recording */
	retort_buf *out;            /* recording; NULL when live */
	char *label;
	retort_vec strings;         /* char *: what quote_ident handed out */
	char *error;                /* first failure, NULL when none */
	char *last;                 /* last failure */
	int line;                   /* revision line of the call in progress, 0 = unknown */
	int error_line;             /* line of the first failure */
	bool refused;               /* the first failure was an offline refusal */
	const retort_map *xargs;    /* -x KEY=VALUE, borrowed; NULL: none */
};

static retort__ctx *priv(retort_ctx *pub)
{
	return (retort__ctx *)pub;
}

/* Record a failure whose message is already the thread's last error. */
static int fail(retort__ctx *c, int error)
{
	const retort_error *e = retort_error_last();
	const char *msg = e ? e->message : "unknown error";

	free(c->last);
	c->last = retort__strdup(msg);
	if (!c->error) {
		c->error = retort__strdup(msg);
		c->error_line = c->line;
	}
	return error < 0 ? error : RETORT_ERROR;
}

/*
 * The message stands on its own ("revision 'X': ... not available in
 * offline mode"), so the runner reports it as is, with the line.
 */
static int offline_refusal(retort__ctx *c, const char *what)
{
	int error = retort__error_set(RETORT_ERROR_SCRIPT,
		"revision '%s': %s not available in offline mode", c->label, what);

	if (!c->error)
		c->refused = true;
	return fail(c, error);
}

/* Is the last token of sql[0, len) a -- comment? */
static bool ends_in_line_comment(retort_dialect_id dialect, const char *sql, size_t len)
{
	retort_sql_token *t;
	size_t n;
	bool yes;

	retort_sql_lex(&t, &n, dialect, sql, len);
	yes = n > 0 && t[n - 1].kind == RETORT_SQL_COMMENT && sql[t[n - 1].offset] == '-';
	free(t);
	return yes;
}

/* Does `sql` hold a statement that would end the transaction it runs in? */
static int refuse_txn_control(retort_dialect_id dialect, const char *sql)
{
	retort_sql_script *script = NULL;
	int error;

	if ((error = retort_sql_script_read(&script, dialect, sql, strlen(sql))) < 0)
		return error;
	for (size_t i = 0; i < script->nstmts && !error; i++)
		if (retort_sql_txn_ends(script->stmts[i].cls.txn))
			error = retort__error_set(RETORT_ERROR_SCRIPT, "%s would end the transaction it runs in",
				script->stmts[i].cls.command);
	retort_sql_script_free(script);
	return error;
}

/* Run or record one rendered statement. */
static int emit(retort__ctx *c, const char *sql)
{
	int error;

	if (!sql)
		return fail(c, retort__error_set(RETORT_ERROR_SCRIPT, "revision '%s': NULL SQL", c->label));
	if (c->out) {
		size_t start = c->out->size;
		/* A live run's dialect refuses these (db.h); so does the offline SQL. */
		if ((error = refuse_txn_control(c->d->id, sql)) < 0)
			return fail(c, error);
		retort_buf_puts(c->out, sql);
		retort_buf_rtrim(c->out);
		if (c->out->size > start && c->out->ptr[c->out->size - 1] == ';') {
			retort_buf_putc(c->out, '\n');
			return 0;
		}
		/* A trailing -- comment would swallow the ';': end the line first. */
		if (ends_in_line_comment(c->d->id, c->out->ptr + start, c->out->size - start))
			retort_buf_putc(c->out, '\n');
		retort_buf_puts(c->out, ";\n");
		return 0;
	}
	if ((error = retort_db_exec(c->db, sql)) < 0)
		return fail(c, error);
	return 0;
}

/* The common shape of every portable operation: render, then emit. */
static int emit_rendered(retort__ctx *c, retort_buf *sql, int error)
{
	if (error >= 0)
		error = emit(c, sql->ptr);
	else
		fail(c, error);
	retort_buf_dispose(sql);
	return error;
}

static int op_exec(retort_ctx *pub, const char *sql)
{
	return emit(priv(pub), sql);
}

/* A $k parameter token: '$' and digits only ("$1a" and SQLite's "$name" are left alone). */
static bool numbered_param(const char *text, const retort_sql_token *t)
{
	if (t->kind != RETORT_SQL_PARAM || t->len < 2 || text[t->offset] != '$')
		return false;
	for (size_t i = 1; i < t->len; i++)
		if (text[t->offset + i] < '0' || text[t->offset + i] > '9')
			return false;
	return true;
}

/*
 * $k becomes params[k-1] as a literal wherever the dialect's lexer sees a
 * parameter, so a "$1" inside a string, comment, quoted name or
 * PostgreSQL dollar-quoted body is left alone.
 */
void retort__ctx_inline_params(retort_buf *out, const retort_dialect *d, const char *sql,
	size_t nparams, const char *const *params)
{
	retort_sql_token *t;
	size_t n;

	retort_sql_lex(&t, &n, d->id, sql, strlen(sql));
	for (size_t i = 0; i < n; i++) {
		const char *text = sql + t[i].offset;
		unsigned long k = numbered_param(sql, &t[i]) && t[i].len <= 7 ? strtoul(text + 1, NULL, 10) : 0;
		if (k >= 1 && k <= nparams)
			d->quote_literal(out, params[k - 1]);
		else
			retort_buf_put(out, text, t[i].len); /* left for the database to reject */
	}
	free(t);
}

static int op_exec_params(retort_ctx *pub, const char *sql, size_t nparams, const char *const *params)
{
	retort__ctx *c = priv(pub);
	int error;

	if (!sql || (nparams && !params))
		return fail(c, retort__error_set(RETORT_ERROR_SCRIPT, "revision '%s': NULL SQL or parameters", c->label));
	if (c->out) {
		retort_buf text = RETORT_BUF_INIT;
		retort__ctx_inline_params(&text, c->d, sql, nparams, params);
		error = emit(c, text.ptr);
		retort_buf_dispose(&text);
		return error;
	}
	if ((error = retort_db_query(NULL, c->db, sql, nparams, params)) < 0)
		return fail(c, error);
	return 0;
}

static int op_query(retort_ctx *pub, const char *sql, size_t nparams, const char *const *params,
	retort_row_fn fn, void *payload)
{
	retort__ctx *c = priv(pub);
	retort_rows *rows = NULL;
	int error, rc = 0;

	if (c->out)
		return offline_refusal(c, "queries are");
	if (!sql || (nparams && !params))
		return fail(c, retort__error_set(RETORT_ERROR_SCRIPT, "revision '%s': NULL SQL or parameters", c->label));
	if ((error = retort_db_query(&rows, c->db, sql, nparams, params)) < 0)
		return fail(c, error);
	for (size_t r = 0; r < rows->nrows && fn; r++) {
		const char *const *values = (const char *const *)&rows->cells[r * rows->ncols];
		if ((rc = fn(payload, rows->ncols, values, (const char *const *)rows->colnames)) != 0)
			break;
	}
	retort_rows_free(rows);
	return rc;
}

static const char *op_dialect_name(retort_ctx *pub)
{
	return priv(pub)->d->name;
}

static int op_is_offline(retort_ctx *pub)
{
	return priv(pub)->out != NULL;
}

static const char *op_quote_ident(retort_ctx *pub, const char *ident)
{
	retort__ctx *c = priv(pub);
	retort_buf b = RETORT_BUF_INIT;
	char *s;

	c->d->quote_ident(&b, ident ? ident : "");
	s = retort_buf_detach(&b);
	retort_vec_push(&c->strings, s);
	return s;
}

static const char *op_last_error(retort_ctx *pub)
{
	retort__ctx *c = priv(pub);

	return c->last ? c->last : "";
}

/* For messages: the name a revision calls the operation by (retort_<noun>_<verb>). */
static const char *op_name(retort__op_what what)
{
	static const char *const names[] = {
		[RETORT__OP_CREATE_TABLE] = "table_create", [RETORT__OP_DROP_TABLE] = "table_drop",
		[RETORT__OP_RENAME_TABLE] = "table_rename", [RETORT__OP_ADD_COLUMN] = "column_add",
		[RETORT__OP_DROP_COLUMN] = "column_drop", [RETORT__OP_RENAME_COLUMN] = "column_rename",
		[RETORT__OP_ALTER_COLUMN] = "column_alter", [RETORT__OP_CREATE_INDEX] = "index_create",
		[RETORT__OP_DROP_INDEX] = "index_drop", [RETORT__OP_ADD_CONSTRAINT] = "constraint_add",
		[RETORT__OP_DROP_CONSTRAINT] = "constraint_drop",
	};
	return names[what];
}

/*
 * Every portable operation: rendered by the schema engine (ops_model.h),
 * then run or recorded.  What SQLite's ALTER TABLE cannot do is a rebuild
 * of the table from its live definition, which offline mode cannot read.
 * Adding and dropping a column on SQLite try the ALTER first: when SQLite
 * refuses (an indexed column, a key...), the table is rebuilt, and the
 * refused statement left the transaction as it was.
 */
static int run_op(retort__ctx *c, const retort__op_call *call)
{
	bool rebuild = false, fallback = call->what == RETORT__OP_ADD_COLUMN || call->what == RETORT__OP_DROP_COLUMN;
	retort_buf sql = RETORT_BUF_INIT;
	int error = retort__op_render(&sql, &rebuild, c->d->id, call);

	if (error < 0 || !rebuild) {
		if (error >= 0 && !c->out && c->d->id == RETORT_DIALECT_SQLITE && fallback) {
			if (retort_db_exec(c->db, sql.ptr) == 0) {
				retort_buf_dispose(&sql);
				return 0;
			}
			rebuild = true;
		} else {
			return emit_rendered(c, &sql, error);
		}
	}
	retort_buf_dispose(&sql);
	if (c->out) {
		char *what = retort__sprintf("%s on SQLite rebuilds the table from the live schema and is", op_name(call->what));
		error = offline_refusal(c, what);
		free(what);
		return error;
	}
	if ((error = retort__op_rebuild(c->db, call)) < 0)
		return fail(c, error);
	return 0;
}

static int op_create_table(retort_ctx *pub, const char *table, const retort_column *columns)
{
	retort__op_call call = { .what = RETORT__OP_CREATE_TABLE, .table = table, .columns = columns };

	return run_op(priv(pub), &call);
}

static int op_drop_table(retort_ctx *pub, const char *table)
{
	retort__op_call call = { .what = RETORT__OP_DROP_TABLE, .table = table };

	return run_op(priv(pub), &call);
}

static int op_rename_table(retort_ctx *pub, const char *table, const char *new_name)
{
	retort__op_call call = { .what = RETORT__OP_RENAME_TABLE, .table = table, .new_name = new_name };

	return run_op(priv(pub), &call);
}

static int op_add_column(retort_ctx *pub, const char *table, const retort_column *column)
{
	retort__op_call call = { .what = RETORT__OP_ADD_COLUMN, .table = table, .column = column };

	return run_op(priv(pub), &call);
}

static int op_drop_column(retort_ctx *pub, const char *table, const char *column)
{
	retort__op_call call = { .what = RETORT__OP_DROP_COLUMN, .table = table, .name = column };

	return run_op(priv(pub), &call);
}

static int op_rename_column(retort_ctx *pub, const char *table, const char *column, const char *new_name)
{
	retort__op_call call = { .what = RETORT__OP_RENAME_COLUMN, .table = table, .name = column, .new_name = new_name };

	return run_op(priv(pub), &call);
}

static int op_alter_column(retort_ctx *pub, const char *table, const char *column, const retort_alter *alter)
{
	retort__op_call call = { .what = RETORT__OP_ALTER_COLUMN, .table = table, .name = column, .alter = alter };

	return run_op(priv(pub), &call);
}

static int op_create_index(retort_ctx *pub, const char *name, const char *table,
	const char *const *columns, int unique, const char *where_sql)
{
	retort__op_call call = { .what = RETORT__OP_CREATE_INDEX, .table = table, .name = name,
		.index_columns = columns, .unique = unique != 0, .where = where_sql };

	return run_op(priv(pub), &call);
}

static int op_drop_index(retort_ctx *pub, const char *name)
{
	retort__op_call call = { .what = RETORT__OP_DROP_INDEX, .name = name };

	return run_op(priv(pub), &call);
}

static int op_add_constraint(retort_ctx *pub, const char *table, const retort_constraint *constraint)
{
	retort__op_call call = { .what = RETORT__OP_ADD_CONSTRAINT, .table = table, .constraint = constraint };

	return run_op(priv(pub), &call);
}

static int op_drop_constraint(retort_ctx *pub, const char *table, const char *name)
{
	retort__op_call call = { .what = RETORT__OP_DROP_CONSTRAINT, .table = table, .name = name };

	return run_op(priv(pub), &call);
}

static void op_at_line(retort_ctx *pub, int line)
{
	priv(pub)->line = line;
}

static const char *op_xarg(retort_ctx *pub, const char *key)
{
	retort__ctx *c = priv(pub);

	return c->xargs && key ? retort_map_get(c->xargs, key) : NULL;
}

static const retort_ctx_ops ops = {
	.abi = RETORT_MIGRATION_ABI,
	.exec = op_exec,
	.exec_params = op_exec_params,
	.query = op_query,
	.dialect_name = op_dialect_name,
	.is_offline = op_is_offline,
	.quote_ident = op_quote_ident,
	.last_error = op_last_error,
	.create_table = op_create_table,
	.drop_table = op_drop_table,
	.rename_table = op_rename_table,
	.add_column = op_add_column,
	.drop_column = op_drop_column,
	.rename_column = op_rename_column,
	.alter_column = op_alter_column,
	.create_index = op_create_index,
	.drop_index = op_drop_index,
	.add_constraint = op_add_constraint,
	.drop_constraint = op_drop_constraint,
	.at_line = op_at_line,
	.xarg = op_xarg,
};

static retort__ctx *ctx_new(const retort_dialect *d, const char *label)
{
	retort__ctx *c = retort__calloc(1, sizeof(*c));

	c->pub.ops = &ops;
	c->d = d;
	c->label = retort__strdup(label ? label : "(unnamed)");
	return c;
}

retort__ctx *retort__ctx_live(retort_db *db, const char *label)
{
	retort__ctx *c = ctx_new(db->dialect, label);

	c->db = db;
	return c;
}

retort__ctx *retort__ctx_recording(const retort_dialect *d, retort_buf *out, const char *label)
{
	retort__ctx *c = ctx_new(d, label);

	c->out = out;
	return c;
}

void retort__ctx_free(retort__ctx *c)
{
	if (!c)
		return;
	retort_vec_dispose(&c->strings, true);
	free(c->label);
	free(c->error);
	free(c->last);
	free(c);
}

void retort__ctx_set_xargs(retort__ctx *c, const retort_map *xargs)
{
	c->xargs = xargs;
}

retort_ctx *retort__ctx_public(retort__ctx *c)
{
	return &c->pub;
}

bool retort__ctx_failed(const retort__ctx *c)
{
	return c->error != NULL;
}

const char *retort__ctx_error(const retort__ctx *c)
{
	return c->error;
}

int retort__ctx_error_line(const retort__ctx *c)
{
	return c->error_line;
}

bool retort__ctx_refused(const retort__ctx *c)
{
	return c->refused;
}
