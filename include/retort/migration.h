/*
 * migration.h - the API a C revision is written against.
 *
 * A C revision is a .c file with the usual header comment that defines
 *
 *     int upgrade(retort_ctx *ctx);
 *     int downgrade(retort_ctx *ctx);
 *
 * returning 0 on success; any other value is failure (which rolls the
 * revision back).  retort compiles the file into a shared object and calls
 * these functions inside the revision's transaction, in a child process
 * whose context forwards each call to retort: exit(), a crash, an abort
 * or running past revision_timeout fails the revision.
 *
 * Everything here reaches retort through a table of function pointers in
 * the context (ctx->ops), so a revision needs no symbols from the retort
 * executable, and the same code runs against a live database or, in
 * offline mode (`upgrade --sql`), against a recording context that writes
 * the SQL out instead.  In offline mode queries fail with a clear error;
 * write revisions that only query in data-migration steps.
 *
 * Every function returns 0 or a negative status.  After a failure,
 * retort_ctx_error(ctx) says what went wrong, and retort's own message
 * names the revision's file and the line of the failing call; if a
 * revision ignores a failure and returns 0 anyway, retort still fails the
 * revision.
 *
 * For example:
 *
 *     int upgrade(retort_ctx *ctx)
 *     {
 *         const retort_column cols[] = {
 *             { .name = "id", .type = "INTEGER", .flags = RETORT_AUTOINCREMENT },
 *             { .name = "email", .type = "VARCHAR(200)", .flags = RETORT_NOT_NULL | RETORT_UNIQUE },
 *             { 0 },
 *         };
 *         const char *row[] = { "admin@example.com" };
 *
 *         if (retort_table_create(ctx, "accounts", cols) < 0)
 *             return -1;
 *         return retort_ctx_exec_params(ctx, "INSERT INTO accounts (email) VALUES ($1)", 1, row);
 *     }
 *
 *     int downgrade(retort_ctx *ctx)
 *     {
 *         return retort_table_drop(ctx, "accounts");
 *     }
 *
 * Names are retort_<noun>_<verb>, as in the rest of retort's API: the noun
 * is what the call acts on (retort_table_create, retort_column_add,
 * retort_index_drop), or the context itself for running SQL and asking
 * about the run (retort_ctx_exec, retort_ctx_is_offline).  The verb-first
 * names of earlier releases (retort_create_table, retort_exec, ...) remain
 * as aliases at the end of this file, so existing revisions compile
 * unchanged; they call the same operations.
 *
 * Revisions are compiled as C99 or later (the wrappers are static inline)
 * with the configured `cc` and `cflags`.  A revision must not keep
 * pointers the context handed out after it returns, nor end or replace
 * the transaction it runs in (COMMIT, ROLLBACK and BEGIN are refused).
 *
 * Identifiers passed to the portable operations are quoted by retort;
 * SQL fragments (types, defaults, CHECK expressions, WHERE clauses) are
 * inserted as written.  Strings returned by the context are owned by it
 * and live until upgrade()/downgrade() returns.
 */
#ifndef RETORT_MIGRATION_H
#define RETORT_MIGRATION_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Bumped whenever retort_ctx_ops or the structs below change layout. */
#define RETORT_MIGRATION_ABI 2

typedef struct retort_ctx retort_ctx;

/* Column flags for retort_column.flags. */
#define RETORT_NOT_NULL      0x01u
#define RETORT_PRIMARY_KEY   0x02u /* single-column primary key */
#define RETORT_UNIQUE        0x04u
#define RETORT_AUTOINCREMENT 0x08u /* SQLite INTEGER PRIMARY KEY AUTOINCREMENT; PostgreSQL identity */

/*
 * A column definition.  Arrays of columns end with an entry whose name is
 * NULL ({0}).  Designated initializers read best:
 *     { .name = "id", .type = "INTEGER", .flags = RETORT_PRIMARY_KEY }
 */
typedef struct retort_column {
	const char *name;
	const char *type;        /* SQL type as written: "INTEGER", "VARCHAR(50)", "TEXT" */
	unsigned flags;          /* RETORT_NOT_NULL | RETORT_PRIMARY_KEY | ... */
	const char *default_sql; /* SQL expression, e.g. "0", "'draft'", "CURRENT_TIMESTAMP"; NULL = none */
	const char *ref_table;   /* foreign key: referenced table, NULL = none */
	const char *ref_column;  /* referenced column; NULL = the referenced table's primary key */
	const char *on_delete;   /* "CASCADE", "SET NULL", "SET DEFAULT", "RESTRICT", "NO ACTION"; NULL = default */
} retort_column;

/* Kinds of named table constraints. */
typedef enum retort_constraint_kind {
	RETORT_CONSTRAINT_UNIQUE = 1,
	RETORT_CONSTRAINT_CHECK = 2,
	RETORT_CONSTRAINT_FOREIGN_KEY = 3,
	RETORT_CONSTRAINT_PRIMARY_KEY = 4,
} retort_constraint_kind;

typedef struct retort_constraint {
	retort_constraint_kind kind;
	const char *name;                 /* required: constraints are dropped by name */
	const char *const *columns;       /* NULL-terminated; UNIQUE, PRIMARY KEY, FOREIGN KEY */
	const char *check_sql;            /* CHECK: the expression */
	const char *ref_table;            /* FOREIGN KEY */
	const char *const *ref_columns;   /* FOREIGN KEY: NULL-terminated; NULL = primary key */
	const char *on_delete;            /* FOREIGN KEY action, as for retort_column */
} retort_constraint;

/* retort_alter.nullable */
#define RETORT_KEEP          0
#define RETORT_SET_NOT_NULL  1
#define RETORT_DROP_NOT_NULL 2

/* What to change in an existing column; zero fields keep what is there. */
typedef struct retort_alter {
	const char *type;         /* new type, NULL = keep */
	int nullable;             /* RETORT_KEEP, RETORT_SET_NOT_NULL, RETORT_DROP_NOT_NULL */
	const char *default_sql;  /* new default expression, NULL = keep */
	int drop_default;         /* non-zero: remove the default */
} retort_alter;

/*
 * Called once per row by retort_query: values[i] is the text of column i
 * (NULL for SQL NULL), names[i] its name.  Return non-zero to stop early
 * (retort_query then returns that value).
 */
typedef int (*retort_row_fn)(void *payload, size_t ncols, const char *const *values,
	const char *const *names);

/*
 * The operations a context provides; revisions call the wrappers below.
 * The fields keep their first names (verb first): code that calls through
 * ctx->ops directly keeps compiling, and the layout is unchanged.
 */
typedef struct retort_ctx_ops {
	unsigned abi; /* RETORT_MIGRATION_ABI */

	int (*exec)(retort_ctx *ctx, const char *sql);
	int (*exec_params)(retort_ctx *ctx, const char *sql, size_t nparams, const char *const *params);
	int (*query)(retort_ctx *ctx, const char *sql, size_t nparams, const char *const *params,
		retort_row_fn fn, void *payload);
	const char *(*dialect_name)(retort_ctx *ctx);
	int (*is_offline)(retort_ctx *ctx);
	const char *(*quote_ident)(retort_ctx *ctx, const char *ident);
	const char *(*last_error)(retort_ctx *ctx);

	int (*create_table)(retort_ctx *ctx, const char *table, const retort_column *columns);
	int (*drop_table)(retort_ctx *ctx, const char *table);
	int (*rename_table)(retort_ctx *ctx, const char *table, const char *new_name);
	int (*add_column)(retort_ctx *ctx, const char *table, const retort_column *column);
	int (*drop_column)(retort_ctx *ctx, const char *table, const char *column);
	int (*rename_column)(retort_ctx *ctx, const char *table, const char *column, const char *new_name);
	int (*alter_column)(retort_ctx *ctx, const char *table, const char *column, const retort_alter *alter);
	int (*create_index)(retort_ctx *ctx, const char *name, const char *table,
		const char *const *columns, int unique, const char *where_sql);
	int (*drop_index)(retort_ctx *ctx, const char *name);
	int (*add_constraint)(retort_ctx *ctx, const char *table, const retort_constraint *constraint);
	int (*drop_constraint)(retort_ctx *ctx, const char *table, const char *name);

	/* Which line of the revision the next call comes from (for messages); may be NULL. */
	void (*at_line)(retort_ctx *ctx, int line);

	/* ABI 2: the value of -x KEY=VALUE, NULL when not given. */
	const char *(*xarg)(retort_ctx *ctx, const char *key);
} retort_ctx_ops;

/* The public part of every context; retort's own state follows it. */
struct retort_ctx {
	const retort_ctx_ops *ops;
};

/* Declarations that keep the entry points visible even under -fvisibility=hidden. */
#if defined(__GNUC__)
#define RETORT_MIGRATION_EXPORT __attribute__((visibility("default")))
#else
#define RETORT_MIGRATION_EXPORT
#endif
#ifndef RETORT_MIGRATION_HOST /* defined by retort itself, which provides the context */
RETORT_MIGRATION_EXPORT int upgrade(retort_ctx *ctx);
RETORT_MIGRATION_EXPORT int downgrade(retort_ctx *ctx);
/* Lets retort refuse an object built against another version of this header. */
#if defined(__GNUC__) && !defined(__cplusplus)
RETORT_MIGRATION_EXPORT __attribute__((weak)) const unsigned retort_migration_abi = RETORT_MIGRATION_ABI;
#endif
#endif

/*
 * The calls below are macros over static inline functions so that each
 * call passes its own __LINE__: when one fails, retort's message names the
 * revision's file and the line of the failing call.
 */
#define RETORT__AT(ctx, line) ((ctx)->ops->at_line ? (ctx)->ops->at_line((ctx), (line)) : (void)0)

/* --- running SQL and asking about the run ------------------------------ */

/* Run one or more statements (no parameters). */
#define retort_ctx_exec(ctx, sql) retort__ctx_exec((ctx), (sql), __LINE__)
static inline int retort__ctx_exec(retort_ctx *ctx, const char *sql, int line)
{
	RETORT__AT(ctx, line);
	return ctx->ops->exec(ctx, sql);
}

/* One statement with text parameters $1..$n (NULL entries are SQL NULL). */
#define retort_ctx_exec_params(ctx, sql, nparams, params) \
	retort__ctx_exec_params((ctx), (sql), (nparams), (params), __LINE__)
static inline int retort__ctx_exec_params(retort_ctx *ctx, const char *sql, size_t nparams,
	const char *const *params, int line)
{
	RETORT__AT(ctx, line);
	return ctx->ops->exec_params(ctx, sql, nparams, params);
}

/* One query; `fn` sees each row.  Not available in offline mode. */
#define retort_ctx_query(ctx, sql, nparams, params, fn, payload) \
	retort__ctx_query((ctx), (sql), (nparams), (params), (fn), (payload), __LINE__)
static inline int retort__ctx_query(retort_ctx *ctx, const char *sql, size_t nparams,
	const char *const *params, retort_row_fn fn, void *payload, int line)
{
	RETORT__AT(ctx, line);
	return ctx->ops->query(ctx, sql, nparams, params, fn, payload);
}

/*
 * The value given with `-x KEY=VALUE` on the command line for this run
 * (the last one for a repeated KEY), or NULL when KEY was not given.  The
 * string belongs to retort and lives until upgrade()/downgrade() returns.
 */
static inline const char *retort_ctx_xarg(retort_ctx *ctx, const char *key)
{
	return ctx->ops->xarg ? ctx->ops->xarg(ctx, key) : NULL;
}

/* "sqlite" or "postgresql". */
static inline const char *retort_ctx_dialect_name(retort_ctx *ctx)
{
	return ctx->ops->dialect_name(ctx);
}

/* Non-zero when recording SQL for `--sql` instead of running it. */
static inline int retort_ctx_is_offline(retort_ctx *ctx)
{
	return ctx->ops->is_offline(ctx);
}

/* `ident` quoted for this dialect; owned by ctx. */
static inline const char *retort_ctx_quote_ident(retort_ctx *ctx, const char *ident)
{
	return ctx->ops->quote_ident(ctx, ident);
}

/*
 * The message of the last failure in this context, or "" (owned by ctx).
 * Not retort_error_last() of <retort/retort.h>: a revision sees only its
 * context.
 */
static inline const char *retort_ctx_error(retort_ctx *ctx)
{
	return ctx->ops->last_error(ctx);
}

/* --- portable schema operations; see the struct comments above ---------- */

#define retort_table_create(ctx, table, columns) retort__table_create((ctx), (table), (columns), __LINE__)
static inline int retort__table_create(retort_ctx *ctx, const char *table, const retort_column *columns,
	int line)
{
	RETORT__AT(ctx, line);
	return ctx->ops->create_table(ctx, table, columns);
}

#define retort_table_drop(ctx, table) retort__table_drop((ctx), (table), __LINE__)
static inline int retort__table_drop(retort_ctx *ctx, const char *table, int line)
{
	RETORT__AT(ctx, line);
	return ctx->ops->drop_table(ctx, table);
}

#define retort_table_rename(ctx, table, new_name) retort__table_rename((ctx), (table), (new_name), __LINE__)
static inline int retort__table_rename(retort_ctx *ctx, const char *table, const char *new_name, int line)
{
	RETORT__AT(ctx, line);
	return ctx->ops->rename_table(ctx, table, new_name);
}

/* SQLite: rebuilt (move and copy) when its ALTER TABLE refuses the column. */
#define retort_column_add(ctx, table, column) retort__column_add((ctx), (table), (column), __LINE__)
static inline int retort__column_add(retort_ctx *ctx, const char *table, const retort_column *column, int line)
{
	RETORT__AT(ctx, line);
	return ctx->ops->add_column(ctx, table, column);
}

/* Indexes on the column go with it; SQLite rebuilds when its ALTER TABLE refuses. */
#define retort_column_drop(ctx, table, column) retort__column_drop((ctx), (table), (column), __LINE__)
static inline int retort__column_drop(retort_ctx *ctx, const char *table, const char *column, int line)
{
	RETORT__AT(ctx, line);
	return ctx->ops->drop_column(ctx, table, column);
}

#define retort_column_rename(ctx, table, column, new_name) \
	retort__column_rename((ctx), (table), (column), (new_name), __LINE__)
static inline int retort__column_rename(retort_ctx *ctx, const char *table, const char *column,
	const char *new_name, int line)
{
	RETORT__AT(ctx, line);
	return ctx->ops->rename_column(ctx, table, column, new_name);
}

/* SQLite cannot ALTER a column: the table is rebuilt (move and copy). */
#define retort_column_alter(ctx, table, column, alter) \
	retort__column_alter((ctx), (table), (column), (alter), __LINE__)
static inline int retort__column_alter(retort_ctx *ctx, const char *table, const char *column,
	const retort_alter *alter, int line)
{
	RETORT__AT(ctx, line);
	return ctx->ops->alter_column(ctx, table, column, alter);
}

/* `columns` is NULL-terminated; `where_sql` (may be NULL) makes a partial index. */
#define retort_index_create(ctx, name, table, columns, unique, where_sql) \
	retort__index_create((ctx), (name), (table), (columns), (unique), (where_sql), __LINE__)
static inline int retort__index_create(retort_ctx *ctx, const char *name, const char *table,
	const char *const *columns, int unique, const char *where_sql, int line)
{
	RETORT__AT(ctx, line);
	return ctx->ops->create_index(ctx, name, table, columns, unique, where_sql);
}

#define retort_index_drop(ctx, name) retort__index_drop((ctx), (name), __LINE__)
static inline int retort__index_drop(retort_ctx *ctx, const char *name, int line)
{
	RETORT__AT(ctx, line);
	return ctx->ops->drop_index(ctx, name);
}

/* SQLite cannot ALTER constraints: the table is rebuilt (move and copy). */
#define retort_constraint_add(ctx, table, constraint) \
	retort__constraint_add((ctx), (table), (constraint), __LINE__)
static inline int retort__constraint_add(retort_ctx *ctx, const char *table,
	const retort_constraint *constraint, int line)
{
	RETORT__AT(ctx, line);
	return ctx->ops->add_constraint(ctx, table, constraint);
}

#define retort_constraint_drop(ctx, table, name) retort__constraint_drop((ctx), (table), (name), __LINE__)
static inline int retort__constraint_drop(retort_ctx *ctx, const char *table, const char *name, int line)
{
	RETORT__AT(ctx, line);
	return ctx->ops->drop_constraint(ctx, table, name);
}

/*
 * --- the names of earlier releases ---------------------------------------
 *
 * Verb first, as they were: each is exactly the call above it names, so a
 * revision written against them compiles and runs unchanged (the macros
 * still pass the caller's __LINE__).  New revisions use the names above.
 */
#define retort_exec(ctx, sql) retort_ctx_exec(ctx, sql)
#define retort_exec_params(ctx, sql, nparams, params) retort_ctx_exec_params(ctx, sql, nparams, params)
#define retort_query(ctx, sql, nparams, params, fn, payload) \
	retort_ctx_query(ctx, sql, nparams, params, fn, payload)
static inline const char *retort_dialect_name(retort_ctx *ctx) { return retort_ctx_dialect_name(ctx); }
static inline int retort_is_offline(retort_ctx *ctx) { return retort_ctx_is_offline(ctx); }
static inline const char *retort_quote_ident(retort_ctx *ctx, const char *ident)
{
	return retort_ctx_quote_ident(ctx, ident);
}
static inline const char *retort_last_error(retort_ctx *ctx) { return retort_ctx_error(ctx); }
#define retort_create_table(ctx, table, columns) retort_table_create(ctx, table, columns)
#define retort_drop_table(ctx, table) retort_table_drop(ctx, table)
#define retort_rename_table(ctx, table, new_name) retort_table_rename(ctx, table, new_name)
#define retort_add_column(ctx, table, column) retort_column_add(ctx, table, column)
#define retort_drop_column(ctx, table, column) retort_column_drop(ctx, table, column)
#define retort_rename_column(ctx, table, column, new_name) retort_column_rename(ctx, table, column, new_name)
#define retort_alter_column(ctx, table, column, alter) retort_column_alter(ctx, table, column, alter)
#define retort_create_index(ctx, name, table, columns, unique, where_sql) \
	retort_index_create(ctx, name, table, columns, unique, where_sql)
#define retort_drop_index(ctx, name) retort_index_drop(ctx, name)
#define retort_add_constraint(ctx, table, constraint) retort_constraint_add(ctx, table, constraint)
#define retort_drop_constraint(ctx, table, name) retort_constraint_drop(ctx, table, name)

#ifdef __cplusplus
}
#endif

#endif
