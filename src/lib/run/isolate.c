/*
 * isolate.c - a C revision's code in a child process, its context a proxy
 * that forwards every operation to the parent (see isolate.h).
 *
 * The messages are wire.h's.  The child sends a request ('R': the operation, the revision's line,
 * the arguments), the entry point's result ('D': the return value) or a
 * failure to load ('F': the message); the parent answers each request
 * with a status and, for a query, the rows, or a string.  The child is
 * not trusted to be well-formed: the parent checks every length and
 * stops the child at the first message it cannot read.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dlfcn.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include "base/common.h"
#include "base/vec.h"
#include "run/isolate.h"
#include "run/wire.h"

enum op {
	OP_EXEC = 1, OP_EXEC_PARAMS, OP_QUERY, OP_QUOTE_IDENT, OP_LAST_ERROR,
	OP_CREATE_TABLE, OP_DROP_TABLE, OP_RENAME_TABLE, OP_ADD_COLUMN, OP_DROP_COLUMN,
	OP_RENAME_COLUMN, OP_ALTER_COLUMN, OP_CREATE_INDEX, OP_DROP_INDEX,
	OP_ADD_CONSTRAINT, OP_DROP_CONSTRAINT, OP_XARG,
};

/* --- the child: a proxy context ------------------------------------------------- */

static volatile int in_child;

/*
 * LeakSanitizer calls this at exit, when it is there: a child whose
 * revision called exit() still holds the copy of retort's memory it was
 * forked with, which is no leak, and a report would change its exit status.
 * The sanitizer finds it only when it is exported, and libretort.so
 * exports nothing but the public API: so only in a sanitizer build.
 */
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_LEAK__)
#define LSAN_HOOK __attribute__((visibility("default")))
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(leak_sanitizer)
#define LSAN_HOOK __attribute__((visibility("default")))
#endif
#endif
#ifndef LSAN_HOOK
#define LSAN_HOOK
#endif
LSAN_HOOK int __lsan_is_turned_off(void);
int __lsan_is_turned_off(void)
{
	return in_child;
}

typedef struct proxy {
	retort_ctx pub;          /* first: the revision sees only this */
	int fd;
	const char *dialect;
	int offline;
	int line;
	retort_vec strings;      /* what quote_ident and last_error handed out (freed at exit) */
} proxy;

static proxy *px(retort_ctx *pub)
{
	return (proxy *)pub;
}

static void request_begin(retort_buf *b, proxy *p, enum op op)
{
	retort_buf_clear(b);
	retort__wire_put_u32(b, 'R');
	retort__wire_put_u32(b, (uint32_t)op);
	retort__wire_put_u32(b, (uint32_t)p->line);
}

/* Send the request, read the reply; the parent gone means there is no one to report to. */
static void round_trip(proxy *p, retort_buf *req, retort__wire_reader *reply)
{
	memset(reply, 0, sizeof(*reply));
	if (retort__wire_send_message(p->fd, req, 0) != 0 || retort__wire_recv_message(p->fd, &reply->p, &reply->len, 0) != 0)
		_exit(1);
	retort_buf_dispose(req);
}

static int status_call(proxy *p, retort_buf *req)
{
	retort__wire_reader r;
	int rc;

	round_trip(p, req, &r);
	rc = (int)retort__wire_get_u32(&r);
	free(r.p);
	return rc;
}

/* A string reply, kept until the child ends; NULL stays NULL when `nullable`. */
static const char *string_call(proxy *p, retort_buf *req, bool nullable)
{
	retort__wire_reader r;
	const char *s;
	char *kept;

	round_trip(p, req, &r);
	s = retort__wire_get_str(&r);
	if (!s && nullable) {
		free(r.p);
		return NULL;
	}
	kept = retort__strdup(s ? s : "");
	free(r.p);
	retort_vec_push(&p->strings, kept);
	return kept;
}

static int px_exec(retort_ctx *pub, const char *sql)
{
	retort_buf b = RETORT_BUF_INIT;

	request_begin(&b, px(pub), OP_EXEC);
	retort__wire_put_str(&b, sql);
	return status_call(px(pub), &b);
}

static int px_exec_params(retort_ctx *pub, const char *sql, size_t n, const char *const *params)
{
	retort_buf b = RETORT_BUF_INIT;

	request_begin(&b, px(pub), OP_EXEC_PARAMS);
	retort__wire_put_str(&b, sql);
	retort__wire_put_u32(&b, params ? 1 : 0);
	retort__wire_put_params(&b, params ? n : 0, params);
	retort__wire_put_u32(&b, (uint32_t)n);
	return status_call(px(pub), &b);
}

/* The rows come back in one reply; the callback runs here and may make calls of its own. */
static int px_query(retort_ctx *pub, const char *sql, size_t n, const char *const *params,
	retort_row_fn fn, void *payload)
{
	retort_buf b = RETORT_BUF_INIT;
	retort__wire_reader r;
	const char **names = NULL, **values = NULL;
	uint32_t ncols, nrows;
	int rc;

	request_begin(&b, px(pub), OP_QUERY);
	retort__wire_put_str(&b, sql);
	retort__wire_put_u32(&b, params ? 1 : 0);
	retort__wire_put_params(&b, params ? n : 0, params);
	retort__wire_put_u32(&b, (uint32_t)n);
	round_trip(px(pub), &b, &r);
	if ((rc = (int)retort__wire_get_u32(&r)) != 0)
		goto done;
	ncols = retort__wire_get_u32(&r);
	nrows = retort__wire_get_u32(&r);
	if (r.bad || ncols > r.len || nrows > r.len)
		_exit(1);
	names = retort__calloc((size_t)ncols + 1, sizeof(*names));
	values = retort__calloc((size_t)ncols + 1, sizeof(*values));
	for (uint32_t c = 0; c < ncols; c++)
		names[c] = retort__wire_get_str(&r);
	for (uint32_t row = 0; row < nrows && rc == 0; row++) {
		for (uint32_t c = 0; c < ncols; c++)
			values[c] = retort__wire_get_str(&r);
		if (r.bad)
			_exit(1);
		if (fn)
			rc = fn(payload, ncols, values, names);
	}
done:
	free(names);
	free(values);
	free(r.p);
	return rc;
}

static const char *px_dialect_name(retort_ctx *pub)
{
	return px(pub)->dialect;
}

static int px_is_offline(retort_ctx *pub)
{
	return px(pub)->offline;
}

static const char *px_quote_ident(retort_ctx *pub, const char *ident)
{
	retort_buf b = RETORT_BUF_INIT;

	request_begin(&b, px(pub), OP_QUOTE_IDENT);
	retort__wire_put_str(&b, ident);
	return string_call(px(pub), &b, false);
}

static const char *px_xarg(retort_ctx *pub, const char *key)
{
	retort_buf b = RETORT_BUF_INIT;

	request_begin(&b, px(pub), OP_XARG);
	retort__wire_put_str(&b, key);
	return string_call(px(pub), &b, true);
}

static const char *px_last_error(retort_ctx *pub)
{
	retort_buf b = RETORT_BUF_INIT;

	request_begin(&b, px(pub), OP_LAST_ERROR);
	return string_call(px(pub), &b, false);
}

/* The portable operations: their arguments, then the status. */
static int px_strings(retort_ctx *pub, enum op op, const char *a, const char *b2, const char *c)
{
	retort_buf b = RETORT_BUF_INIT;

	request_begin(&b, px(pub), op);
	retort__wire_put_str(&b, a);
	retort__wire_put_str(&b, b2);
	retort__wire_put_str(&b, c);
	return status_call(px(pub), &b);
}

static int px_create_table(retort_ctx *pub, const char *table, const retort_column *columns)
{
	retort_buf b = RETORT_BUF_INIT;

	request_begin(&b, px(pub), OP_CREATE_TABLE);
	retort__wire_put_str(&b, table);
	retort__wire_put_columns(&b, columns);
	return status_call(px(pub), &b);
}

static int px_drop_table(retort_ctx *pub, const char *table)
{
	return px_strings(pub, OP_DROP_TABLE, table, NULL, NULL);
}

static int px_rename_table(retort_ctx *pub, const char *table, const char *new_name)
{
	return px_strings(pub, OP_RENAME_TABLE, table, new_name, NULL);
}

static int px_add_column(retort_ctx *pub, const char *table, const retort_column *column)
{
	retort_buf b = RETORT_BUF_INIT;

	request_begin(&b, px(pub), OP_ADD_COLUMN);
	retort__wire_put_str(&b, table);
	retort__wire_put_u32(&b, column ? 1 : 0);
	if (column)
		retort__wire_put_column(&b, column);
	return status_call(px(pub), &b);
}

static int px_drop_column(retort_ctx *pub, const char *table, const char *column)
{
	return px_strings(pub, OP_DROP_COLUMN, table, column, NULL);
}

static int px_rename_column(retort_ctx *pub, const char *table, const char *column, const char *new_name)
{
	return px_strings(pub, OP_RENAME_COLUMN, table, column, new_name);
}

static int px_alter_column(retort_ctx *pub, const char *table, const char *column, const retort_alter *alter)
{
	retort_buf b = RETORT_BUF_INIT;

	request_begin(&b, px(pub), OP_ALTER_COLUMN);
	retort__wire_put_str(&b, table);
	retort__wire_put_str(&b, column);
	retort__wire_put_u32(&b, alter ? 1 : 0);
	if (alter) {
		retort__wire_put_str(&b, alter->type);
		retort__wire_put_u32(&b, (uint32_t)alter->nullable);
		retort__wire_put_str(&b, alter->default_sql);
		retort__wire_put_u32(&b, (uint32_t)alter->drop_default);
	}
	return status_call(px(pub), &b);
}

static int px_create_index(retort_ctx *pub, const char *name, const char *table,
	const char *const *columns, int unique, const char *where_sql)
{
	retort_buf b = RETORT_BUF_INIT;

	request_begin(&b, px(pub), OP_CREATE_INDEX);
	retort__wire_put_str(&b, name);
	retort__wire_put_str(&b, table);
	retort__wire_put_strv(&b, columns);
	retort__wire_put_u32(&b, (uint32_t)unique);
	retort__wire_put_str(&b, where_sql);
	return status_call(px(pub), &b);
}

static int px_drop_index(retort_ctx *pub, const char *name)
{
	return px_strings(pub, OP_DROP_INDEX, name, NULL, NULL);
}

static int px_add_constraint(retort_ctx *pub, const char *table, const retort_constraint *c)
{
	retort_buf b = RETORT_BUF_INIT;

	request_begin(&b, px(pub), OP_ADD_CONSTRAINT);
	retort__wire_put_str(&b, table);
	retort__wire_put_u32(&b, c ? 1 : 0);
	if (c) {
		retort__wire_put_u32(&b, (uint32_t)c->kind);
		retort__wire_put_str(&b, c->name);
		retort__wire_put_strv(&b, c->columns);
		retort__wire_put_str(&b, c->check_sql);
		retort__wire_put_str(&b, c->ref_table);
		retort__wire_put_strv(&b, c->ref_columns);
		retort__wire_put_str(&b, c->on_delete);
	}
	return status_call(px(pub), &b);
}

static int px_drop_constraint(retort_ctx *pub, const char *table, const char *name)
{
	return px_strings(pub, OP_DROP_CONSTRAINT, table, name, NULL);
}

static void px_at_line(retort_ctx *pub, int line)
{
	px(pub)->line = line;
}

static const retort_ctx_ops proxy_ops = {
	.abi = RETORT_MIGRATION_ABI,
	.exec = px_exec,
	.exec_params = px_exec_params,
	.query = px_query,
	.dialect_name = px_dialect_name,
	.is_offline = px_is_offline,
	.quote_ident = px_quote_ident,
	.last_error = px_last_error,
	.create_table = px_create_table,
	.drop_table = px_drop_table,
	.rename_table = px_rename_table,
	.add_column = px_add_column,
	.drop_column = px_drop_column,
	.rename_column = px_rename_column,
	.alter_column = px_alter_column,
	.create_index = px_create_index,
	.drop_index = px_drop_index,
	.add_constraint = px_add_constraint,
	.drop_constraint = px_drop_constraint,
	.at_line = px_at_line,
	.xarg = px_xarg,
};

/* Everything but stdio and the channel: the revision gets no database connection to touch. */
static void close_inherited(int keep)
{
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 34))
	if (keep > 3)
		close_range(3, (unsigned)keep - 1, 0);
	close_range((unsigned)keep + 1, ~0u, 0);
#else
	for (int fd = 3; fd < 1024; fd++)
		if (fd != keep)
			close(fd);
#endif
}

_Noreturn static void child_fail(int fd, const char *msg)
{
	retort_buf b = RETORT_BUF_INIT;

	retort__wire_put_u32(&b, 'F');
	retort__wire_put_str(&b, msg);
	retort__wire_send_message(fd, &b, 0);
	_exit(0);
}

typedef int (*entry_fn)(retort_ctx *ctx);

static void child_main(int fd, const char *object, const char *path, bool up,
	const char *dialect, int offline)
{
	proxy p;
	retort_buf b = RETORT_BUF_INIT;
	void *handle;
	const unsigned *abi;
	entry_fn fn;
	int rc;

	in_child = 1;
#ifdef __linux__
	/* retort killed (SIGKILL cannot be caught): the revision must not run on, orphaned */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() == 1)
		_exit(1);
#endif
	close_inherited(fd);
	signal(SIGPIPE, SIG_DFL);
	/* RTLD_LOCAL: two revisions both defining upgrade() must not see each other's. */
	if (!(handle = dlopen(object, RTLD_NOW | RTLD_LOCAL)))
		child_fail(fd, retort__sprintf("cannot load '%s' (compiled from '%s'): %s", object, path, dlerror()));
	abi = dlsym(handle, "retort_migration_abi");
	if (abi && *abi != RETORT_MIGRATION_ABI)
		child_fail(fd, retort__sprintf("'%s' was built against migration ABI %u, this retort provides %d",
			path, *abi, RETORT_MIGRATION_ABI));
	*(void **)&fn = dlsym(handle, up ? "upgrade" : "downgrade");
	if (!fn) {
		child_fail(fd, retort__sprintf("'%s' does not define int %s(retort_ctx *ctx)", path,
			up ? "upgrade" : "downgrade"));
		return; /* not reached: child_fail exits (said again for analysers that miss _Noreturn) */
	}
	memset(&p, 0, sizeof(p));
	p.pub.ops = &proxy_ops;
	p.fd = fd;
	p.dialect = dialect;
	p.offline = offline;
	rc = fn(&p.pub);
	fflush(NULL); /* what the revision printed, before the parent hears it is done */
	retort__wire_put_u32(&b, 'D');
	retort__wire_put_u32(&b, (uint32_t)rc);
	retort__wire_send_message(fd, &b, 0);
	_exit(0);
}

/* --- the parent: serving the proxy's calls ------------------------------------- */

/* What the query asked for, collected row by row from the real context. */
typedef struct collected {
	retort_buf rows;
	uint32_t ncols, nrows;
	retort_buf names;
} collected;

static int collect_row(void *payload, size_t ncols, const char *const *values, const char *const *names)
{
	collected *c = payload;

	if (c->nrows == 0) {
		c->ncols = (uint32_t)ncols;
		for (size_t i = 0; i < ncols; i++)
			retort__wire_put_str(&c->names, names[i]);
	}
	for (size_t i = 0; i < ncols; i++)
		retort__wire_put_str(&c->rows, values[i]);
	c->nrows++;
	return 0;
}

static void serve_query(retort_ctx *ctx, retort__wire_reader *r, retort_buf *reply)
{
	const char *sql = retort__wire_get_str(r);
	uint32_t has = retort__wire_get_u32(r);
	size_t n, declared;
	const char **params = retort__wire_get_params(r, &n);
	collected c = { RETORT_BUF_INIT, 0, 0, RETORT_BUF_INIT };
	int rc;

	declared = retort__wire_get_u32(r);
	if (r->bad)
		return;
	rc = ctx->ops->query(ctx, sql, declared, has ? params : NULL, collect_row, &c);
	if (declared != n && has)
		r->bad = true;
	retort__wire_put_u32(reply, (uint32_t)rc);
	if (rc == 0) {
		retort__wire_put_u32(reply, c.ncols);
		retort__wire_put_u32(reply, c.nrows);
		retort_buf_put(reply, c.names.ptr, c.names.size);
		retort_buf_put(reply, c.rows.ptr, c.rows.size);
	}
	retort_buf_dispose(&c.rows);
	retort_buf_dispose(&c.names);
}

static void serve_constraint(retort_ctx *ctx, retort__wire_reader *r, retort_buf *reply)
{
	const char *table = retort__wire_get_str(r);
	retort_constraint c = { 0 };
	bool has = retort__wire_get_u32(r) != 0;

	if (has) {
		c.kind = (retort_constraint_kind)retort__wire_get_u32(r);
		c.name = retort__wire_get_str(r);
		c.columns = retort__wire_get_strv(r);
		c.check_sql = retort__wire_get_str(r);
		c.ref_table = retort__wire_get_str(r);
		c.ref_columns = retort__wire_get_strv(r);
		c.on_delete = retort__wire_get_str(r);
	}
	if (!r->bad)
		retort__wire_put_u32(reply, (uint32_t)ctx->ops->add_constraint(ctx, table, has ? &c : NULL));
}

/* One request: run it on the real context, write the reply. */
static void serve(retort_ctx *ctx, uint32_t op, retort__wire_reader *r, retort_buf *reply)
{
	const char *a, *b, *c;
	size_t n;
	const char **v;

	switch (op) {
	case OP_EXEC:
		a = retort__wire_get_str(r);
		if (!r->bad)
			retort__wire_put_u32(reply, (uint32_t)ctx->ops->exec(ctx, a));
		return;
	case OP_EXEC_PARAMS: {
		uint32_t has;
		size_t declared;
		a = retort__wire_get_str(r);
		has = retort__wire_get_u32(r);
		v = retort__wire_get_params(r, &n);
		declared = retort__wire_get_u32(r);
		if (has && declared != n)
			r->bad = true;
		if (!r->bad)
			retort__wire_put_u32(reply, (uint32_t)ctx->ops->exec_params(ctx, a, declared, has ? v : NULL));
		return;
	}
	case OP_QUERY:
		serve_query(ctx, r, reply);
		return;
	case OP_QUOTE_IDENT:
		a = retort__wire_get_str(r);
		if (!r->bad)
			retort__wire_put_str(reply, ctx->ops->quote_ident(ctx, a));
		return;
	case OP_LAST_ERROR:
		retort__wire_put_str(reply, ctx->ops->last_error(ctx));
		return;
	case OP_XARG:
		a = retort__wire_get_str(r);
		if (!r->bad)
			retort__wire_put_str(reply, ctx->ops->xarg ? ctx->ops->xarg(ctx, a) : NULL);
		return;
	case OP_CREATE_TABLE: {
		retort_column *cols;
		a = retort__wire_get_str(r);
		cols = retort__wire_get_columns(r);
		if (!r->bad)
			retort__wire_put_u32(reply, (uint32_t)ctx->ops->create_table(ctx, a, cols));
		return;
	}
	case OP_ADD_COLUMN: {
		retort_column col = { 0 };
		bool has;
		a = retort__wire_get_str(r);
		if ((has = (retort__wire_get_u32(r) != 0)))
			retort__wire_get_column(r, &col);
		if (!r->bad)
			retort__wire_put_u32(reply, (uint32_t)ctx->ops->add_column(ctx, a, has ? &col : NULL));
		return;
	}
	case OP_ALTER_COLUMN: {
		retort_alter alt = { 0 };
		bool has;
		a = retort__wire_get_str(r);
		b = retort__wire_get_str(r);
		if ((has = (retort__wire_get_u32(r) != 0))) {
			alt.type = retort__wire_get_str(r);
			alt.nullable = (int)retort__wire_get_u32(r);
			alt.default_sql = retort__wire_get_str(r);
			alt.drop_default = (int)retort__wire_get_u32(r);
		}
		if (!r->bad)
			retort__wire_put_u32(reply, (uint32_t)ctx->ops->alter_column(ctx, a, b, has ? &alt : NULL));
		return;
	}
	case OP_CREATE_INDEX: {
		uint32_t unique;
		a = retort__wire_get_str(r);
		b = retort__wire_get_str(r);
		v = retort__wire_get_strv(r);
		unique = retort__wire_get_u32(r);
		c = retort__wire_get_str(r);
		if (!r->bad)
			retort__wire_put_u32(reply, (uint32_t)ctx->ops->create_index(ctx, a, b, v, (int)unique, c));
		return;
	}
	case OP_ADD_CONSTRAINT:
		serve_constraint(ctx, r, reply);
		return;
	default:
		break;
	}
	/* The rest take three strings. */
	a = retort__wire_get_str(r);
	b = retort__wire_get_str(r);
	c = retort__wire_get_str(r);
	if (r->bad)
		return;
	switch (op) {
	case OP_DROP_TABLE:
		retort__wire_put_u32(reply, (uint32_t)ctx->ops->drop_table(ctx, a));
		break;
	case OP_RENAME_TABLE:
		retort__wire_put_u32(reply, (uint32_t)ctx->ops->rename_table(ctx, a, b));
		break;
	case OP_DROP_COLUMN:
		retort__wire_put_u32(reply, (uint32_t)ctx->ops->drop_column(ctx, a, b));
		break;
	case OP_RENAME_COLUMN:
		retort__wire_put_u32(reply, (uint32_t)ctx->ops->rename_column(ctx, a, b, c));
		break;
	case OP_DROP_INDEX:
		retort__wire_put_u32(reply, (uint32_t)ctx->ops->drop_index(ctx, a));
		break;
	case OP_DROP_CONSTRAINT:
		retort__wire_put_u32(reply, (uint32_t)ctx->ops->drop_constraint(ctx, a, b));
		break;
	default:
		r->bad = true;
	}
}

/* How the child ended, as the revision's failure. */
static int child_gone(pid_t pid, const char *path, bool up, const char *undone)
{
	const char *fn = up ? "upgrade" : "downgrade";
	int status = 0;

	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (WIFSIGNALED(status))
		return retort__error_set(RETORT_ERROR_SCRIPT, "%s: %s() was killed by signal %d (%s); "
			"%s", path, fn, WTERMSIG(status), strsignal(WTERMSIG(status)), undone);
	return retort__error_set(RETORT_ERROR_SCRIPT, "%s: %s() exited with status %d instead of "
		"returning%s", path, fn, WIFEXITED(status) ? WEXITSTATUS(status) : -1, undone);
}

static int stop_child(pid_t pid)
{
	int status;

	kill(pid, SIGKILL);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	return status;
}

/* Serve the child until it reports; 0 with *rc, or the failure. */
static int parent_loop(int *rc, retort_ctx *ctx, int fd, pid_t pid, const char *path, bool up, int timeout_s)
{
	const char *fn = up ? "upgrade" : "downgrade";
	const char *undone = ctx->ops->is_offline(ctx) ? "" : "; the revision was rolled back";
	double deadline = timeout_s > 0 ? retort__wire_now_s() + timeout_s : 0;
	retort_buf reply = RETORT_BUF_INIT;
	int error = 0;

	for (;;) {
		retort__wire_reader r = { 0 };
		uint32_t kind;
		int got = retort__wire_recv_message(fd, &r.p, &r.len, deadline), sent;

		if (got == 1)
			goto timed_out;
		if (got == -1)
			return child_gone(pid, path, up, undone);
		if (got < 0)
			goto garbled;
		kind = retort__wire_get_u32(&r);
		if (kind == 'D') {
			*rc = (int)retort__wire_get_u32(&r);
			free(r.p);
			if (r.bad)
				goto garbled;
			stop_child(pid); /* it is on its way out; do not wait on its atexit code */
			break;
		}
		if (kind == 'F') {
			const char *msg = retort__wire_get_str(&r);
			error = retort__error_set(RETORT_ERROR_SCRIPT, "%s", msg ? msg : "cannot load the revision");
			free(r.p);
			stop_child(pid);
			break;
		}
		if (kind != 'R') {
			free(r.p);
			goto garbled;
		}
		{
			uint32_t op = retort__wire_get_u32(&r), line = retort__wire_get_u32(&r);
			if (ctx->ops->at_line)
				ctx->ops->at_line(ctx, (int)line);
			retort_buf_clear(&reply);
			if (!r.bad)
				serve(ctx, op, &r, &reply);
		}
		free(r.p);
		retort_vec_dispose(&r.allocs, true);
		if (r.bad)
			goto garbled;
		if ((sent = retort__wire_send_message(fd, &reply, deadline)) == 1)
			goto timed_out;
		if (sent < 0)
			return child_gone(pid, path, up, undone);
	}
	retort_buf_dispose(&reply);
	return error;
garbled:
	retort_buf_dispose(&reply);
	stop_child(pid);
	return retort__error_set(RETORT_ERROR_SCRIPT, "%s: %s() sent retort a message it cannot read "
		"(memory corrupted?)%s", path, fn, undone);
timed_out:
	retort_buf_dispose(&reply);
	stop_child(pid);
	return retort__error_set(RETORT_ERROR_SCRIPT, "%s: %s() did not finish within %d s "
		"(revision_timeout) and was stopped%s", path, fn, timeout_s, undone);
}

int retort__isolate_run(int *rc, retort__ctx *ctx, const char *object, const char *path,
	bool up, int timeout_s)
{
	retort_ctx *pub = retort__ctx_public(ctx);
	const char *dialect = pub->ops->dialect_name(pub);
	int offline = pub->ops->is_offline(pub);
	int fds[2], error;
	pid_t pid;

	*rc = 0;
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) < 0)
		return retort__error_os("cannot create a socket pair for '%s'", path);
	/* The child inherits stdio buffers: flush, or what is pending would be written twice. */
	fflush(NULL);
	if ((pid = fork()) < 0) {
		error = retort__error_os("cannot fork to run '%s'", path);
		close(fds[0]);
		close(fds[1]);
		return error;
	}
	if (pid == 0) {
		close(fds[0]);
		child_main(fds[1], object, path, up, dialect, offline);
		_exit(1);
	}
	close(fds[1]);
	error = parent_loop(rc, pub, fds[0], pid, path, up, timeout_s);
	close(fds[0]);
	return error;
}
