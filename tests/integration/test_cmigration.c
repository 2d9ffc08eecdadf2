/*
 * test_cmigration.c - C revisions end to end: real .c files compiled with
 * the system compiler against <retort/migration.h>, loaded with dlopen,
 * and run against a fresh SQLite file and a fresh PostgreSQL database
 * (portable operations, a data migration, rollback on failure, SQLite
 * move-and-copy), plus offline recording and compiler errors.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "run/cmigration.h"
#include "dialect/db.h"
#include "harness/pg.h"
#include "harness/suites.h"
#include "dialect/url.h"

static char *workdir;

static const char *msg(void)
{
	return retort_error_last() ? retort_error_last()->message : "(no error)";
}

/* A fresh directory per test, holding revision files and the object cache. */
static void setup(void)
{
	const char *tmp = getenv("TMPDIR");
	char tmpl[512];

	snprintf(tmpl, sizeof(tmpl), "%s/retort-cmig.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	ck_assert_ptr_nonnull(mkdtemp(tmpl));
	workdir = strdup(tmpl);
}

static void teardown(void)
{
	char *argv[] = { "rm", "-rf", workdir, NULL };

	harness_run(argv, NULL, NULL);
	free(workdir);
}

static retort_cmigration_opts opts(void)
{
	static char cache[512];
	retort_cmigration_opts o = { NULL, "-Wall -Werror -O0", cache, NULL, NULL, 0 };

	snprintf(cache, sizeof(cache), "%s/cache", workdir);
	return o;
}

/*
 * Compile and load `path` as offline mode does: the same compiler, cache
 * and checks as a run, without a database.
 */
static int load_rev(const char *path, const retort_cmigration_opts *o)
{
	retort_buf out = RETORT_BUF_INIT;
	int rc = retort_cmigration_render(&out, retort_dialect_for(RETORT_DIALECT_SQLITE), path, true, o);

	retort_buf_dispose(&out);
	return rc;
}

/* How many compiled objects (*.so) the test's cache directory holds; *newest gets the latest's path. */
static size_t cached_objects(char **newest)
{
	retort_cmigration_opts o = opts();
	DIR *d = opendir(o.cache_dir);
	struct dirent *de;
	time_t best = 0;
	size_t n = 0;

	ck_assert_ptr_nonnull(d);
	if (newest)
		*newest = NULL;
	while ((de = readdir(d))) {
		size_t len = strlen(de->d_name);
		char path[1024];
		struct stat st;
		if (len < 4 || strcmp(de->d_name + len - 3, ".so") != 0)
			continue;
		n++;
		snprintf(path, sizeof(path), "%s/%s", o.cache_dir, de->d_name);
		ck_assert_int_eq(stat(path, &st), 0);
		if (newest && (!*newest || st.st_mtime >= best)) {
			free(*newest);
			*newest = strdup(path);
			best = st.st_mtime;
		}
	}
	closedir(d);
	return n;
}

/* Write `body` as <workdir>/<name>; returns the malloc'd path. */
static char *write_rev(const char *name, const char *body)
{
	char *path = malloc(strlen(workdir) + strlen(name) + 2);
	FILE *f;

	sprintf(path, "%s/%s", workdir, name);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs("/*\n * test revision\n *\n * Revision ID: abc\n * Revises:\n */\n#include <retort/migration.h>\n", f);
	fputs(body, f);
	fclose(f);
	return path;
}

static retort_db *open_url(const char *url)
{
	retort_url *u = NULL;
	retort_db *db = NULL;

	ck_assert_msg(retort_url_parse(&u, url) == 0, "parse %s: %s", url, msg());
	ck_assert_msg(retort_db_open(&db, u) == 0, "open %s: %s", url, msg());
	retort_url_free(u);
	return db;
}

typedef void (*db_case)(retort_db *db);

static void for_each_dialect(db_case fn)
{
	char *urls[2] = { harness_sqlite_new_database(), harness_pg_new_database() };

	for (int i = 0; i < 2; i++) {
		retort_db *db;
		if (!urls[i])
			continue; /* no PostgreSQL server: skipped (main.c fails that under CI) */
		db = open_url(urls[i]);
		fn(db);
		retort_db_free(db);
		free(urls[i]);
	}
}

static char *scalar(retort_db *db, const char *sql)
{
	retort_rows *rows = NULL;
	char *v;

	ck_assert_msg(retort_db_query(&rows, db, sql, 0, NULL) == 0, "[%s] %s: %s", db->dialect->name, sql, msg());
	ck_assert_msg(rows->nrows == 1, "[%s] %s: %zu rows", db->dialect->name, sql, rows->nrows);
	v = retort_rows_get(rows, 0, 0) ? strdup(retort_rows_get(rows, 0, 0)) : strdup("NULL");
	retort_rows_free(rows);
	return v;
}

#define EXPECT(db, sql, want) do {                                              \
	char *got_ = scalar((db), (sql));                                       \
	ck_assert_msg(strcmp(got_, (want)) == 0, "[%s] %s = '%s', want '%s'",   \
		(db)->dialect->name, (sql), got_, (want));                      \
	free(got_);                                                             \
} while (0)

static bool table_exists(retort_db *db, const char *name)
{
	bool exists = false;

	ck_assert_int_eq(db->dialect->table_exists(&exists, db, NULL, name), 0);
	return exists;
}

/* Run one direction inside a transaction, committing on success and rolling back on failure. */
static int run_tx(retort_db *db, const char *path, bool up)
{
	retort_cmigration_opts o = opts();
	int rc;

	ck_assert_int_eq(retort_db_begin(db), 0);
	rc = retort_cmigration_run(db, path, up, &o);
	if (rc == 0)
		ck_assert_msg(retort_db_commit(db) == 0, "[%s] commit: %s", db->dialect->name, msg());
	else
		retort_db_rollback(db);
	return rc;
}

/* --- portable operations ----------------------------------------------------- */

static const char ops_rev[] =
	"int upgrade(retort_ctx *ctx)\n"
	"{\n"
	"	const retort_column orgs[] = {\n"
	"		{ .name = \"id\", .type = \"INTEGER\", .flags = RETORT_AUTOINCREMENT },\n"
	"		{ .name = \"name\", .type = \"VARCHAR(40)\", .flags = RETORT_NOT_NULL },\n"
	"		{ 0 } };\n"
	"	const retort_column users[] = {\n"
	"		{ .name = \"id\", .type = \"INTEGER\", .flags = RETORT_PRIMARY_KEY },\n"
	"		{ .name = \"user name\", .type = \"VARCHAR(50)\", .flags = RETORT_NOT_NULL },\n"
	"		{ .name = \"org\", .type = \"INTEGER\", .ref_table = \"orgs\", .ref_column = \"id\" },\n"
	"		{ 0 } };\n"
	"	const retort_column state = { .name = \"state\", .type = \"VARCHAR(10)\", .default_sql = \"'new'\" };\n"
	"	const char *idx[] = { \"state\", NULL };\n"
	"	const char *vals[] = { \"1\", \"o'ne\", NULL };\n"
	"	retort_constraint ck = { .kind = RETORT_CONSTRAINT_CHECK, .name = \"id_positive\", .check_sql = \"id > 0\" };\n"
	"	if (retort_table_create(ctx, \"orgs\", orgs) < 0) return -1;\n"
	"	if (retort_table_create(ctx, \"users\", users) < 0) return -1;\n"
	"	if (retort_column_add(ctx, \"users\", &state) < 0) return -1;\n"
	"	if (retort_index_create(ctx, \"users_state\", \"users\", idx, 0, NULL) < 0) return -1;\n"
	"	if (retort_column_rename(ctx, \"users\", \"user name\", \"name\") < 0) return -1;\n"
	"	if (retort_ctx_exec_params(ctx, \"INSERT INTO users (id, name, org) VALUES ($1, $2, $3)\", 3, vals) < 0) return -1;\n"
	"	if (retort_constraint_add(ctx, \"users\", &ck) < 0) return -1;\n"
	"	return retort_table_rename(ctx, \"orgs\", \"organizations\");\n"
	"}\n"
	"int downgrade(retort_ctx *ctx)\n"
	"{\n"
	"	if (retort_constraint_drop(ctx, \"users\", \"id_positive\") < 0) return -1;\n"
	"	if (retort_index_drop(ctx, \"users_state\") < 0) return -1;\n"
	"	if (retort_column_drop(ctx, \"users\", \"state\") < 0) return -1;\n"
	"	if (retort_table_drop(ctx, \"users\") < 0) return -1;\n"
	"	return retort_table_drop(ctx, \"organizations\");\n"
	"}\n";

static void ops_case(retort_db *db)
{
	char *path = write_rev("ops.c", ops_rev);
	int rc = run_tx(db, path, true);

	ck_assert_msg(rc == 0, "[%s] upgrade: %s", db->dialect->name, msg());
	EXPECT(db, "SELECT name || '/' || state || '/' || COALESCE(CAST(org AS TEXT), '-') FROM users", "o'ne/new/-");
	ck_assert(table_exists(db, "organizations"));
	ck_assert(!table_exists(db, "orgs"));
	/* The CHECK constraint added afterwards is enforced. */
	ck_assert_msg(retort_db_exec(db, "INSERT INTO users (id, name) VALUES (-1, 'neg')") < 0,
		"[%s] check constraint not enforced", db->dialect->name);
	retort_db_rollback(db);
	/* The foreign key survived the rename of its target (and, on SQLite, the rebuild). */
	ck_assert_msg(retort_db_exec(db, "INSERT INTO users (id, name, org) VALUES (5, 'x', 99)") < 0,
		"[%s] foreign key not enforced", db->dialect->name);
	retort_db_rollback(db);
	EXPECT(db, "SELECT count(*) FROM users", "1");

	rc = run_tx(db, path, false);
	ck_assert_msg(rc == 0, "[%s] downgrade: %s", db->dialect->name, msg());
	ck_assert(!table_exists(db, "users"));
	ck_assert(!table_exists(db, "organizations"));
	free(path);
}

START_TEST(test_cmigration__portable_ops)
{
	for_each_dialect(ops_case);
}
END_TEST

/* --- data migration -------------------------------------------------------- */

static const char data_rev[] =
	"#include <ctype.h>\n#include <stdio.h>\n#include <stdlib.h>\n#include <string.h>\n"
	"struct row { char id[16]; char name[64]; };\n"
	"struct rows { struct row r[100]; size_t n; };\n"
	"static int collect(void *p, size_t ncols, const char *const *v, const char *const *names)\n"
	"{\n"
	"	struct rows *rs = p;\n"
	"	if (ncols != 2 || strcmp(names[1], \"name\") != 0 || rs->n == 100) return -1;\n"
	"	strncpy(rs->r[rs->n].id, v[0], 15);\n"
	"	strncpy(rs->r[rs->n].name, v[1] ? v[1] : \"(none)\", 63);\n"
	"	rs->n++;\n"
	"	return 0;\n"
	"}\n"
	"int upgrade(retort_ctx *ctx)\n"
	"{\n"
	"	static struct rows rs;\n"
	"	const char *min[] = { \"2\" };\n"
	"	char sql[200];\n"
	"	rs.n = 0;\n"
	"	if (retort_ctx_query(ctx, \"SELECT id, name FROM people WHERE id >= CAST($1 AS INTEGER) ORDER BY id\", 1, min, collect, &rs) != 0) return -1;\n"
	"	for (size_t i = 0; i < rs.n; i++) {\n"
	"		const char *p[2];\n"
	"		for (char *c = rs.r[i].name; *c; c++) *c = (char)toupper((unsigned char)*c);\n"
	"		p[0] = rs.r[i].name; p[1] = rs.r[i].id;\n"
	"		if (retort_ctx_exec_params(ctx, \"UPDATE people SET name = $1 WHERE id = CAST($2 AS INTEGER)\", 2, p) < 0) return -1;\n"
	"	}\n"
	"	snprintf(sql, sizeof(sql), \"UPDATE %s SET name = name || '!' WHERE name IS NULL OR id = 1\", retort_ctx_quote_ident(ctx, \"people\"));\n"
	"	return retort_ctx_exec(ctx, sql);\n"
	"}\n"
	"int downgrade(retort_ctx *ctx) { return 0; }\n";

static void data_case(retort_db *db)
{
	char *path = write_rev("data.c", data_rev);

	ck_assert_int_eq(retort_db_exec(db,
		"CREATE TABLE people (id INTEGER PRIMARY KEY, name TEXT);"
		"INSERT INTO people VALUES (1, 'ann'), (2, 'bob'), (3, 'o''hara'), (4, NULL)"), 0);
	ck_assert_msg(run_tx(db, path, true) == 0, "[%s] upgrade: %s", db->dialect->name, msg());
	EXPECT(db, "SELECT name FROM people WHERE id = 1", "ann!");
	EXPECT(db, "SELECT name FROM people WHERE id = 2", "BOB");
	EXPECT(db, "SELECT name FROM people WHERE id = 3", "O'HARA");
	EXPECT(db, "SELECT name FROM people WHERE id = 4", "(NONE)");
	free(path);
}

START_TEST(test_cmigration__data_migration)
{
	for_each_dialect(data_case);
}
END_TEST

/* --- failures -------------------------------------------------------------- */

static const char failing_rev[] =
	"#include <string.h>\n"
	"int upgrade(retort_ctx *ctx)\n"
	"{\n"
	"	const retort_column c[] = { { .name = \"a\", .type = \"INTEGER\" }, { 0 } };\n"
	"	if (retort_table_create(ctx, \"half_done\", c) < 0) return -1;\n"
	"	if (retort_ctx_exec(ctx, \"INSERT INTO no_such_table VALUES (1)\") < 0)\n"
	"		return strlen(retort_ctx_error(ctx)) > 0 ? -2 : -3;\n"
	"	return 0;\n"
	"}\n"
	"int downgrade(retort_ctx *ctx) { return -7; }\n";

static const char ignoring_rev[] =
	"int upgrade(retort_ctx *ctx)\n"
	"{\n"
	"	retort_ctx_exec(ctx, \"CREATE TABLE half_done (a INTEGER)\");\n"
	"	retort_ctx_exec(ctx, \"INSERT INTO no_such_table VALUES (1)\");\n"
	"	return 0; /* ignores the failure */\n"
	"}\n"
	"int downgrade(retort_ctx *ctx) { return 0; }\n";

static void failure_case(retort_db *db)
{
	char *failing, *ignoring;
	int rc;

	failing = write_rev("failing.c", failing_rev);
	ignoring = write_rev("ignoring.c", ignoring_rev);

	rc = run_tx(db, failing, true);
	ck_assert_int_lt(rc, 0);
	/* file:line of the failing call (7 header lines, the include, then the body). */
	ck_assert_msg(strstr(msg(), "failing.c:13: upgrade() failed") && strstr(msg(), "no_such_table"),
		"[%s] message: %s", db->dialect->name, msg());
	ck_assert_msg(!table_exists(db, "half_done"), "[%s] failed revision was not rolled back", db->dialect->name);

	rc = run_tx(db, ignoring, true);
	ck_assert_msg(rc < 0, "[%s] an ignored failure let the revision succeed", db->dialect->name);
	ck_assert_msg(strstr(msg(), "ignoring.c") && strstr(msg(), "no_such_table"), "message: %s", msg());
	ck_assert(!table_exists(db, "half_done"));

	/* A plain negative return with no failed call. */
	rc = run_tx(db, failing, false);
	ck_assert_int_lt(rc, 0);
	ck_assert_msg(strstr(msg(), "failing.c: downgrade() returned -7"), "message: %s", msg());
	free(failing);
	free(ignoring);
}

START_TEST(test_cmigration__failure_rolls_back)
{
	for_each_dialect(failure_case);
}
END_TEST

/* --- SQLite move and copy (and the same revision on PostgreSQL) ------------- */

static const char alter_rev[] =
	"int upgrade(retort_ctx *ctx)\n"
	"{\n"
	"	retort_alter a = { .type = \"VARCHAR(80)\", .nullable = RETORT_SET_NOT_NULL, .default_sql = \"'anon'\" };\n"
	"	const char *cols[] = { \"email\", NULL };\n"
	"	retort_constraint u = { .kind = RETORT_CONSTRAINT_UNIQUE, .name = \"email_unique\", .columns = cols };\n"
	"	if (retort_column_alter(ctx, \"acct\", \"email\", &a) < 0) return -1;\n"
	"	if (retort_constraint_add(ctx, \"acct\", &u) < 0) return -1;\n"
	"	return retort_constraint_drop(ctx, \"acct\", \"positive\");\n"
	"}\n"
	"int downgrade(retort_ctx *ctx)\n"
	"{\n"
	"	retort_alter a = { .nullable = RETORT_DROP_NOT_NULL, .drop_default = 1 };\n"
	"	if (retort_constraint_drop(ctx, \"acct\", \"email_unique\") < 0) return -1;\n"
	"	return retort_column_alter(ctx, \"acct\", \"email\", &a);\n"
	"}\n";

static void alter_case(retort_db *db)
{
	char *path = write_rev("alter.c", alter_rev);

	ck_assert_int_eq(retort_db_exec(db,
		"CREATE TABLE acct (id INTEGER PRIMARY KEY, email VARCHAR(40), n INTEGER,"
		" CONSTRAINT positive CHECK (n > 0));"
		"CREATE INDEX acct_n ON acct (n);"
		"CREATE TABLE login (id INTEGER PRIMARY KEY, acct_id INTEGER REFERENCES acct (id));"
		"INSERT INTO acct VALUES (1, 'a@x', 1), (2, 'b@x', 2);"
		"INSERT INTO login VALUES (10, 1), (11, 2)"), 0);
	ck_assert_msg(run_tx(db, path, true) == 0, "[%s] upgrade: %s", db->dialect->name, msg());
	/* Rows, the referencing table and the index all survived. */
	EXPECT(db, "SELECT count(*) FROM acct", "2");
	EXPECT(db, "SELECT count(*) FROM login JOIN acct ON acct.id = login.acct_id", "2");
	if (db->dialect->id == RETORT_DIALECT_SQLITE)
		EXPECT(db, "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = 'acct_n'", "1");
	/* The new rules hold, the dropped one does not. */
	ck_assert_int_eq(retort_db_exec(db, "INSERT INTO acct (id, n) VALUES (3, -5)"), 0);
	EXPECT(db, "SELECT email FROM acct WHERE id = 3", "anon");
	ck_assert_msg(retort_db_exec(db, "INSERT INTO acct (id, email) VALUES (4, NULL)") < 0,
		"[%s] NOT NULL not applied", db->dialect->name);
	ck_assert_msg(retort_db_exec(db, "INSERT INTO acct (id, email) VALUES (5, 'a@x')") < 0,
		"[%s] UNIQUE not applied", db->dialect->name);
	/* The foreign key into the rebuilt table still holds. */
	ck_assert_msg(retort_db_exec(db, "INSERT INTO login VALUES (12, 99)") < 0,
		"[%s] foreign key lost", db->dialect->name);

	ck_assert_msg(run_tx(db, path, false) == 0, "[%s] downgrade: %s", db->dialect->name, msg());
	ck_assert_int_eq(retort_db_exec(db, "INSERT INTO acct (id, email) VALUES (6, NULL)"), 0);
	ck_assert_int_eq(retort_db_exec(db, "INSERT INTO acct (id, email) VALUES (7, 'a@x')"), 0);
	free(path);
}

START_TEST(test_cmigration__alter_and_constraints)
{
	for_each_dialect(alter_case);
}
END_TEST

static void cascade_refused_case(retort_db *db)
{
	char *path;

	if (db->dialect->id != RETORT_DIALECT_SQLITE)
		return;
	path = write_rev("alter.c", alter_rev);
	ck_assert_int_eq(retort_db_exec(db,
		"CREATE TABLE acct (id INTEGER PRIMARY KEY, email TEXT, n INTEGER, CONSTRAINT positive CHECK (n > 0));"
		"CREATE TABLE login (id INTEGER PRIMARY KEY, acct_id INTEGER REFERENCES acct (id) ON DELETE CASCADE);"
		"INSERT INTO acct VALUES (1, 'a', 1); INSERT INTO login VALUES (1, 1)"), 0);
	ck_assert_int_lt(run_tx(db, path, true), 0);
	ck_assert_msg(strstr(msg(), "ON DELETE CASCADE") && strstr(msg(), "login"), "message: %s", msg());
	EXPECT(db, "SELECT count(*) FROM login", "1");
	free(path);
}

static const char notnull_rev[] =
	"int upgrade(retort_ctx *ctx)\n"
	"{\n"
	"	retort_alter a = { .nullable = RETORT_SET_NOT_NULL };\n"
	"	return retort_column_alter(ctx, \"acct\", \"email\", &a);\n"
	"}\n"
	"int downgrade(retort_ctx *ctx) { return 0; }\n";

/* A rebuild that fails half way leaves the table as it was; outside a transaction it is one of its own. */
static void atomic_case(retort_db *db)
{
	char *path = write_rev("notnull.c", notnull_rev);
	retort_cmigration_opts o = opts();

	ck_assert_int_eq(retort_db_exec(db,
		"CREATE TABLE acct (id INTEGER PRIMARY KEY, email TEXT);"
		"CREATE INDEX acct_email ON acct (email);"
		"INSERT INTO acct VALUES (1, 'a'), (2, NULL)"), 0);
	ck_assert_int_eq(retort_db_begin(db), 0);
	ck_assert_int_lt(retort_cmigration_run(db, path, true, &o), 0);
	ck_assert_msg(strstr(msg(), "notnull.c") != NULL, "message: %s", msg());
	if (db->dialect->id == RETORT_DIALECT_POSTGRES) {
		/* PostgreSQL aborts the whole transaction; the caller rolls back. */
		ck_assert_int_eq(retort_db_rollback(db), 0);
		ck_assert_int_eq(retort_db_exec(db, "INSERT INTO acct VALUES (3, NULL)"), 0);
	} else {
		/* Still inside the caller's transaction, the table is intact and usable. */
		EXPECT(db, "SELECT count(*) FROM acct", "2");
		ck_assert_int_eq(retort_db_exec(db, "INSERT INTO acct VALUES (3, NULL)"), 0);
		ck_assert_int_eq(retort_db_commit(db), 0);
		EXPECT(db, "SELECT count(*) FROM sqlite_master WHERE name LIKE '_retort_batch_%'", "0");
		EXPECT(db, "SELECT count(*) FROM sqlite_master WHERE name = 'acct_email'", "1");
	}

	/* Without a transaction (Transactional: no) the rebuild still completes as a unit. */
	ck_assert_int_eq(retort_db_exec(db, "UPDATE acct SET email = 'x' WHERE email IS NULL"), 0);
	ck_assert_msg(retort_cmigration_run(db, path, true, &o) == 0, "[%s] outside a transaction: %s",
		db->dialect->name, msg());
	ck_assert_msg(retort_db_exec(db, "INSERT INTO acct VALUES (4, NULL)") < 0, "[%s] NOT NULL missing",
		db->dialect->name);
	EXPECT(db, "SELECT count(*) FROM acct", "3");
	free(path);
}

START_TEST(test_cmigration__rebuild_is_atomic)
{
	for_each_dialect(atomic_case);
}
END_TEST

/* SQLite: a rebuild keeps AUTOINCREMENT's promise never to reuse a deleted row's id. */
static void sequence_case(retort_db *db)
{
	char *path;
	retort_cmigration_opts o = opts();

	if (db->dialect->id != RETORT_DIALECT_SQLITE)
		return;
	path = write_rev("notnull.c", notnull_rev);
	ck_assert_int_eq(retort_db_exec(db,
		"CREATE TABLE acct (id INTEGER PRIMARY KEY AUTOINCREMENT, email TEXT);"
		"INSERT INTO acct (email) VALUES ('a'), ('b'), ('c'), ('d');"
		"DELETE FROM acct WHERE id >= 3"), 0);
	ck_assert_msg(retort_cmigration_run(db, path, true, &o) == 0, "rebuild: %s", msg());
	ck_assert_int_eq(retort_db_exec(db, "INSERT INTO acct (email) VALUES ('e')"), 0);
	EXPECT(db, "SELECT max(id) FROM acct", "5");
	/* An emptied table keeps it too. */
	ck_assert_int_eq(retort_db_exec(db, "DELETE FROM acct"), 0);
	ck_assert_msg(retort_cmigration_run(db, path, true, &o) == 0, "rebuild: %s", msg());
	ck_assert_int_eq(retort_db_exec(db, "INSERT INTO acct (email) VALUES ('f')"), 0);
	EXPECT(db, "SELECT max(id) FROM acct", "6");
	free(path);
}

START_TEST(test_cmigration__sqlite_rebuild_keeps_sequence)
{
	for_each_dialect(sequence_case);
}
END_TEST

START_TEST(test_cmigration__sqlite_rebuild_refuses_cascades)
{
	for_each_dialect(cascade_refused_case);
}
END_TEST

/* --- add/drop column where SQLite's ALTER refuses ---------------------------- */

static const char columns_rev[] =
	"int upgrade(retort_ctx *ctx)\n"
	"{\n"
	"	const retort_column code = { .name = \"code\", .type = \"VARCHAR(20)\", .flags = RETORT_UNIQUE };\n"
	"	if (retort_column_add(ctx, \"item\", &code) < 0) return -1;\n"
	"	return retort_column_drop(ctx, \"item\", \"qty\");\n"
	"}\n"
	"int downgrade(retort_ctx *ctx)\n"
	"{\n"
	"	const retort_column qty = { .name = \"qty\", .type = \"INTEGER\", .flags = RETORT_NOT_NULL, .default_sql = \"0\" };\n"
	"	if (retort_column_drop(ctx, \"item\", \"code\") < 0) return -1;\n"
	"	return retort_column_add(ctx, \"item\", &qty);\n"
	"}\n";

static const char *index_count_sql(retort_db *db)
{
	return db->dialect->id == RETORT_DIALECT_SQLITE
		? "SELECT group_concat(name, ',') FROM (SELECT name FROM sqlite_master WHERE type = 'index' "
		  "AND name IN ('item_qty', 'item_sku') ORDER BY name)"
		: "SELECT string_agg(indexname, ',' ORDER BY indexname) FROM pg_indexes "
		  "WHERE indexname IN ('item_qty', 'item_sku')";
}

static void columns_case(retort_db *db)
{
	char *path = write_rev("columns.c", columns_rev);

	ck_assert_int_eq(retort_db_exec(db,
		"CREATE TABLE item (id INTEGER PRIMARY KEY, sku TEXT, qty INTEGER);"
		"CREATE INDEX item_qty ON item (qty); CREATE INDEX item_sku ON item (sku);"
		"INSERT INTO item VALUES (1, 'a', 5), (2, 'b', 6)"), 0);
	ck_assert_msg(run_tx(db, path, true) == 0, "[%s] upgrade: %s", db->dialect->name, msg());
	EXPECT(db, "SELECT count(*) FROM item WHERE code IS NULL", "2");
	ck_assert_msg(retort_db_exec(db, "SELECT qty FROM item") < 0, "[%s] qty still there", db->dialect->name);
	EXPECT(db, index_count_sql(db), "item_sku");
	ck_assert_int_eq(retort_db_exec(db, "UPDATE item SET code = 'x' WHERE id = 1"), 0);
	ck_assert_msg(retort_db_exec(db, "UPDATE item SET code = 'x' WHERE id = 2") < 0,
		"[%s] UNIQUE on the added column not enforced", db->dialect->name);

	ck_assert_msg(run_tx(db, path, false) == 0, "[%s] downgrade: %s", db->dialect->name, msg());
	EXPECT(db, "SELECT sum(qty) FROM item", "0");
	EXPECT(db, "SELECT count(*) FROM item", "2");
	free(path);
}

START_TEST(test_cmigration__column_fallbacks)
{
	for_each_dialect(columns_case);
}
END_TEST

/* --- offline --------------------------------------------------------------- */

START_TEST(test_cmigration__offline_recording)
{
	char *path = write_rev("ops.c", ops_rev);
	retort_cmigration_opts o = opts();
	retort_buf out = RETORT_BUF_INIT;
	const retort_dialect *pg = retort_dialect_for(RETORT_DIALECT_POSTGRES);
	const retort_dialect *sq = retort_dialect_for(RETORT_DIALECT_SQLITE);

	ck_assert_msg(retort_cmigration_render(&out, pg, path, true, &o) == 0, "render: %s", msg());
	/* The schema engine's PostgreSQL renderer writes it, as it writes generated revisions. */
	ck_assert_str_eq(out.ptr,
		"CREATE TABLE \"orgs\" (\n"
		"\t\"id\" INTEGER GENERATED BY DEFAULT AS IDENTITY,\n"
		"\t\"name\" VARCHAR(40) NOT NULL,\n"
		"\tPRIMARY KEY (\"id\")\n"
		");\n"
		"CREATE TABLE \"users\" (\n"
		"\t\"id\" INTEGER,\n"
		"\t\"user name\" VARCHAR(50) NOT NULL,\n"
		"\t\"org\" INTEGER,\n"
		"\tPRIMARY KEY (\"id\"),\n"
		"\tFOREIGN KEY (\"org\") REFERENCES \"orgs\" (\"id\")\n"
		");\n"
		"ALTER TABLE \"users\" ADD COLUMN \"state\" VARCHAR(10) DEFAULT 'new';\n"
		"CREATE INDEX \"users_state\" ON \"users\" (\"state\");\n"
		"ALTER TABLE \"users\" RENAME COLUMN \"user name\" TO \"name\";\n"
		"INSERT INTO users (id, name, org) VALUES ('1', 'o''ne', NULL);\n"
		"ALTER TABLE \"users\" ADD CONSTRAINT \"id_positive\" CHECK (id > 0);\n"
		"ALTER TABLE \"orgs\" RENAME TO \"organizations\";\n");

	/* A trailing -- comment does not swallow the terminating ';'. */
	{
		char *cpath = write_rev("comment.c",
			"int upgrade(retort_ctx *ctx) { retort_ctx_exec(ctx, \"SELECT 1 -- one\"); return retort_ctx_exec(ctx, \"SELECT 2;\"); }\n"
			"int downgrade(retort_ctx *ctx) { return retort_ctx_exec(ctx, (const char *)0); }\n");
		retort_buf_clear(&out);
		ck_assert_msg(retort_cmigration_render(&out, pg, cpath, true, &o) == 0, "render: %s", msg());
		ck_assert_str_eq(out.ptr, "SELECT 1 -- one\n;\nSELECT 2;\n");
		ck_assert_int_lt(retort_cmigration_render(&out, pg, cpath, false, &o), 0);
		ck_assert_msg(strstr(msg(), "NULL SQL"), "message: %s", msg());
		free(cpath);
	}

	/* SQLite cannot render the constraint offline: it needs the live table. */
	retort_buf_clear(&out);
	ck_assert_int_lt(retort_cmigration_render(&out, sq, path, true, &o), 0);
	ck_assert_msg(strstr(msg(), "ops.c") && strstr(msg(), "offline mode"), "message: %s", msg());
	free(path);

	/* Queries are refused offline, naming the revision. */
	path = write_rev("data.c", data_rev);
	retort_buf_clear(&out);
	ck_assert_int_lt(retort_cmigration_render(&out, pg, path, true, &o), 0);
	ck_assert_msg(strstr(msg(), "revision '") && strstr(msg(), "data.c': queries are not available in offline mode"),
		"message: %s", msg());
	retort_buf_dispose(&out);
	free(path);
}
END_TEST

/* --- compiling and the cache --------------------------------------------------- */

START_TEST(test_cmigration__compiler_error)
{
	char *path = write_rev("broken.c", "int upgrade(retort_ctx *ctx) { return undeclared_thing; }\n");
	retort_cmigration_opts o = opts();
	struct stat st;
	char cache[600];

	ck_assert_int_lt(load_rev(path, &o), 0);
	ck_assert_msg(strstr(msg(), "cannot compile") && strstr(msg(), "broken.c") && strstr(msg(), "undeclared_thing"),
		"message: %s", msg());
	/* Nothing half-written is left in the cache. */
	snprintf(cache, sizeof(cache), "%s/cache", workdir);
	ck_assert_int_eq(stat(cache, &st), 0);
	{
		char *argv[] = { "find", cache, "-type", "f", NULL };
		char *listing = NULL;
		harness_run(argv, NULL, &listing);
		ck_assert_msg(!listing || !*listing, "cache not empty: %s", listing);
		free(listing);
	}
	free(path);

	/* A missing compiler is a clear error too. */
	path = write_rev("fine.c", "int upgrade(retort_ctx *ctx) { return 0; }\n");
	o.cc = "no-such-compiler-retort";
	ck_assert_int_lt(load_rev(path, &o), 0);
	ck_assert_msg(strstr(msg(), "no-such-compiler-retort"), "message: %s", msg());

	/* RETORT_INCLUDE_DIR overrides where <retort/migration.h> comes from. */
	o = opts();
	setenv("RETORT_INCLUDE_DIR", workdir, 1);
	ck_assert_int_lt(load_rev(path, &o), 0);
	ck_assert_msg(strstr(msg(), "retort/migration.h"), "message: %s", msg());
	unsetenv("RETORT_INCLUDE_DIR");
	free(path);
	path = NULL;

	/* No upgrade() at all. */
	path = write_rev("empty.c", "int helper(void) { return 1; }\n");
	o = opts();
	ck_assert_int_lt(load_rev(path, &o), 0);
	ck_assert_msg(strstr(msg(), "empty.c") && strstr(msg(), "upgrade"), "message: %s", msg());
	free(path);
}
END_TEST

START_TEST(test_cmigration__cache_by_content)
{
	char *path = write_rev("c.c", "int upgrade(retort_ctx *ctx) { return 0; }\nint downgrade(retort_ctx *ctx) { return 0; }\n");
	retort_cmigration_opts o = opts();
	struct stat st1, st2;
	char *first = NULL, *again = NULL;

	ck_assert_int_eq(load_rev(path, &o), 0);
	ck_assert_uint_eq(cached_objects(&first), 1);
	ck_assert_int_eq(stat(first, &st1), 0);
	sleep(1);
	/* Same content: the object is reused, not rebuilt. */
	ck_assert_int_eq(load_rev(path, &o), 0);
	ck_assert_uint_eq(cached_objects(&again), 1);
	ck_assert_str_eq(again, first);
	ck_assert_int_eq(stat(first, &st2), 0);
	ck_assert_int_eq((long)st1.st_mtime, (long)st2.st_mtime);
	/* A cached object others could have written is never loaded. */
	ck_assert_int_eq(chmod(first, 0666), 0);
	ck_assert_int_lt(load_rev(path, &o), 0);
	ck_assert_msg(strstr(msg(), "refusing to load"), "message: %s", msg());
	ck_assert_int_eq(chmod(first, 0644), 0);
	/* Edited content or other flags: another object each. */
	free(path);
	path = write_rev("c.c", "int upgrade(retort_ctx *ctx) { return ctx ? 0 : 1; }\n");
	ck_assert_int_eq(load_rev(path, &o), 0);
	ck_assert_uint_eq(cached_objects(NULL), 2);
	o.cflags = "-O1";
	ck_assert_int_eq(load_rev(path, &o), 0);
	ck_assert_uint_eq(cached_objects(NULL), 3);
	free(again);
	free(first);
	free(path);
}
END_TEST

/* Several retorts compiling the same revision at once all load a complete object. */
START_TEST(test_cmigration__concurrent_compiles)
{
	char *path = write_rev("race.c",
		"#include <math.h>\n"
		"int upgrade(retort_ctx *ctx) { volatile double x = 2.0; return sqrt(x) > 1.4 ? 0 : -1; }\n"
		"int downgrade(retort_ctx *ctx) { return 0; }\n");
	pid_t pids[4];

	for (int i = 0; i < 4; i++) {
		pids[i] = fork();
		ck_assert_int_ge(pids[i], 0);
		if (pids[i] == 0) {
			retort_cmigration_opts o = opts();
			o.cflags = "-O0 -lm"; /* a library among the flags is fine: they follow the source */
			_exit(load_rev(path, &o) == 0 ? 0 : 1);
		}
	}
	for (int i = 0; i < 4; i++) {
		int status = -1;
		ck_assert_int_eq(waitpid(pids[i], &status, 0), pids[i]);
		ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "child %d failed", i);
	}
	free(path);
}
END_TEST

RETORT_SUITE(cmigration)

Suite *suite_cmigration(void)
{
	Suite *s = suite_create("cmigration");
	TCase *tc;

	tc = tcase_create("run");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_cmigration__portable_ops);
	tcase_add_test(tc, test_cmigration__data_migration);
	tcase_add_test(tc, test_cmigration__failure_rolls_back);
	tcase_add_test(tc, test_cmigration__alter_and_constraints);
	tcase_add_test(tc, test_cmigration__sqlite_rebuild_refuses_cascades);
	tcase_add_test(tc, test_cmigration__rebuild_is_atomic);
	tcase_add_test(tc, test_cmigration__sqlite_rebuild_keeps_sequence);
	tcase_add_test(tc, test_cmigration__column_fallbacks);
	suite_add_tcase(s, tc);

	tc = tcase_create("record");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_cmigration__offline_recording);
	suite_add_tcase(s, tc);

	tc = tcase_create("load");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_cmigration__compiler_error);
	tcase_add_test(tc, test_cmigration__cache_by_content);
	tcase_add_test(tc, test_cmigration__concurrent_compiles);
	suite_add_tcase(s, tc);
	return s;
}
