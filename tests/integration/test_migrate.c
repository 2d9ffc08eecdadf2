/*
 * test_migrate.c - migration runs against real databases: every case runs
 * once on a SQLite file and once on a fresh PostgreSQL database (loop
 * index 0 and 1), with a scratch project (retort.ini + versions/) written
 * by the test.  State is checked from the database itself: the version
 * rows exactly, the tables that exist, the history rows.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "dialect/db.h"
#include "graph/graph.h"
#include "harness/pg.h"
#include "harness/suites.h"
#include "run/migrate.h"
#include "run/version.h"

typedef struct env {
	int dialect;          /* 0 SQLite, 1 PostgreSQL */
	char *url;
	char *sqlite_path;    /* SQLite only */
	char *dir;            /* project directory */
	char *ini;
	retort_config *cfg;
	retort_graph *graph;
	retort_db *db;        /* for inspection */
} env;

static env *env_new(int dialect, const char *ini_extra)
{
	env *e = calloc(1, sizeof(*e));
	char tmpl[] = "/tmp/retort-migrate.XXXXXX";
	char *versions_dir;
	FILE *f;

	e->dialect = dialect;
	if (dialect == 0) {
		e->sqlite_path = harness_sqlite_path();
		e->url = retort__sprintf("sqlite:///%s", e->sqlite_path);
	} else {
		e->url = harness_pg_new_database();
		if (!e->url) {
			free(e);
			return NULL; /* no server: skipped (main fails under CI) */
		}
	}
	ck_assert_ptr_nonnull(mkdtemp(tmpl));
	e->dir = strdup(tmpl);
	versions_dir = retort__sprintf("%s/migrations/versions", e->dir);
	ck_assert_int_eq(retort__mkdir_p(versions_dir, 0755), 0);
	free(versions_dir);
	e->ini = retort__sprintf("%s/retort.ini", e->dir);
	f = fopen(e->ini, "w");
	ck_assert_ptr_nonnull(f);
	fprintf(f, "[retort]\nscript_location = migrations\nurl = %s\n%s", e->url, ini_extra ? ini_extra : "");
	fclose(f);
	return e;
}

/*
 * Write a SQL revision.  Layout (so tests know line numbers): the upgrade
 * body starts on line 9, one statement per line.  down NULL = irreversible.
 */
static void rev(env *e, const char *id, const char *revises, const char *labels,
	bool transactional, const char *up, const char *down)
{
	char *path = retort__sprintf("%s/migrations/versions/%s_rev.sql", e->dir, id);
	FILE *f = fopen(path, "w");

	ck_assert_ptr_nonnull(f);
	fprintf(f, "-- revision %s\n--\n-- Revision ID: %s\n-- Revises: %s\n-- Branch Labels: %s\n"
		"-- Transactional: %s\n\n-- retort:upgrade\n%s\n", id, id, revises, labels ? labels : "",
		transactional ? "yes" : "no", up);
	if (down)
		fprintf(f, "\n-- retort:downgrade\n%s\n", down);
	fclose(f);
	free(path);
}

/* A revision that creates table t_<id> (fails if run twice). */
static void table_rev(env *e, const char *id, const char *revises, const char *labels)
{
	char *up = retort__sprintf("CREATE TABLE t_%s (id INTEGER PRIMARY KEY);", id);
	char *down = retort__sprintf("DROP TABLE t_%s;", id);

	rev(e, id, revises, labels, true, up, down);
	free(up);
	free(down);
}

static void load(env *e)
{
	retort_config_opts opts = { 0 };
	retort_url *url = NULL;

	retort_graph_free(e->graph);
	retort_config_free(e->cfg);
	e->graph = NULL;
	opts.path = e->ini;
	ck_assert_msg(retort_config_load(&e->cfg, &opts) == 0, "config %s: %s", e->ini,
		retort_error_last()->message);
	ck_assert_msg(retort_graph_load(&e->graph, e->cfg) == 0, "graph: %s", retort_error_last()->message);
	if (!e->db) {
		ck_assert_int_eq(retort_url_parse(&url, e->url), 0);
		ck_assert_msg(retort_db_open(&e->db, url) == 0, "open %s: %s", e->url, retort_error_last()->message);
		retort_url_free(url);
	}
}

static void env_free(env *e)
{
	if (!e)
		return;
	retort_db_free(e->db);
	retort_graph_free(e->graph);
	retort_config_free(e->cfg);
	{
		char *argv[] = { "rm", "-rf", e->dir, NULL };
		harness_run(argv, NULL, NULL);
	}
	free(e->dir);
	free(e->ini);
	free(e->url);
	free(e->sqlite_path);
	free(e);
}

/* The first column of every row, joined by ','. */
static char *q(env *e, const char *sql)
{
	retort_rows *rows = NULL;
	retort_buf b = RETORT_BUF_INIT;

	ck_assert_msg(retort_db_query(&rows, e->db, sql, 0, NULL) == 0, "query %s: %s", sql,
		retort_error_last()->message);
	for (size_t i = 0; i < rows->nrows; i++) {
		if (i)
			retort_buf_putc(&b, ',');
		retort_buf_puts(&b, retort_rows_get(rows, i, 0) ? retort_rows_get(rows, i, 0) : "NULL");
	}
	retort_rows_free(rows);
	return b.asize ? retort_buf_detach(&b) : strdup("");
}

/* The version rows, sorted and joined; "" also when the table is missing. */
static char *versions(env *e)
{
	retort_vec heads = RETORT_VEC_INIT;
	char *joined;

	ck_assert_msg(retort_version_table_read(&heads, NULL, e->db, e->cfg) == 0, "read: %s",
		retort_error_last()->message);
	joined = retort__ids_join(&heads, ",");
	retort_vec_dispose(&heads, true);
	return joined;
}

/* User tables (not retort's), sorted. */
static char *tables(env *e)
{
	return q(e, e->dialect == 0
		? "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
		  " AND name NOT LIKE 'retort_%' ORDER BY name"
		: "SELECT tablename::text FROM pg_tables WHERE schemaname = 'public'"
		  " AND tablename NOT LIKE 'retort_%' ORDER BY tablename");
}

static void feed(env *e, const char *sql);

/*
 * The user schema in full (tables, columns with types, defaults and
 * nullability, indexes), retort's own tables left out: what "the same
 * schema" means when comparing an offline run with an online one.
 */
static char *schema(env *e)
{
	return q(e, e->dialect == 0
		? "SELECT type || ' ' || name || ': ' || coalesce(sql, '') FROM sqlite_master"
		  " WHERE name NOT LIKE 'retort_%' AND name NOT LIKE 'sqlite_%' ORDER BY type, name"
		: "SELECT x FROM (SELECT table_name || '.' || column_name || ' ' || data_type || ' '"
		  " || is_nullable || ' ' || coalesce(column_default, '') AS x FROM information_schema.columns"
		  " WHERE table_schema = 'public' AND table_name NOT LIKE 'retort_%'"
		  " UNION ALL SELECT indexdef FROM pg_indexes WHERE schemaname = 'public'"
		  " AND tablename NOT LIKE 'retort_%') s ORDER BY x");
}

static char *history_count(env *e)
{
	return q(e, "SELECT count(*) FROM retort_history");
}

#define expect_str(e, fn, want) do {                                              \
		char *got_ = fn(e);                                               \
		ck_assert_msg(strcmp(got_, want) == 0, "%s on %s: expected '%s', got '%s'", \
			#fn, (e)->dialect ? "postgresql" : "sqlite", want, got_); \
		free(got_);                                                       \
	} while (0)

static void up_ok(env *e, const char *target)
{
	int rc = retort_migrate_upgrade(e->cfg, e->graph, target, NULL);
	ck_assert_msg(rc == 0, "upgrade %s: %s", target, rc ? retort_error_last()->message : "");
}

static void down_ok(env *e, const char *target)
{
	int rc = retort_migrate_downgrade(e->cfg, e->graph, target, NULL);
	ck_assert_msg(rc == 0, "downgrade %s: %s", target, rc ? retort_error_last()->message : "");
}

/* --- cases --------------------------------------------------------------- */

START_TEST(test_migrate__linear)
{
	env *e = env_new(_i, NULL);

	if (!e)
		return;
	table_rev(e, "aaa1", "", NULL);
	table_rev(e, "bbb2", "aaa1", NULL);
	table_rev(e, "ccc3", "bbb2", NULL);
	load(e);
	up_ok(e, "head");
	expect_str(e, versions, "ccc3");
	expect_str(e, tables, "t_aaa1,t_bbb2,t_ccc3");
	expect_str(e, history_count, "3");
	down_ok(e, "-1");
	expect_str(e, versions, "bbb2");
	expect_str(e, tables, "t_aaa1,t_bbb2");
	down_ok(e, "base");
	expect_str(e, versions, "");
	expect_str(e, tables, "");
	up_ok(e, "+2");
	expect_str(e, versions, "bbb2");
	up_ok(e, "+1");
	expect_str(e, versions, "ccc3");
	env_free(e);
}
END_TEST

/*
 *        a
 *       / \
 *  (x) b1  b2 (y)
 *       \ /
 *        m
 */
static void branchy(env *e)
{
	table_rev(e, "aaa1", "", NULL);
	table_rev(e, "bb01", "aaa1", "x");
	table_rev(e, "bb02", "aaa1", "y");
	table_rev(e, "mmm1", "bb01, bb02", NULL);
	load(e);
}

START_TEST(test_migrate__branches_and_merge)
{
	env *e = env_new(_i, NULL);

	if (!e)
		return;
	branchy(e);
	/* x@head is the merge: a label covers its branch's descendants */
	up_ok(e, "bb01");
	expect_str(e, versions, "bb01");
	expect_str(e, tables, "t_aaa1,t_bb01");
	/* branch point: the second branch is an INSERT beside the first */
	up_ok(e, "bb02");
	expect_str(e, versions, "bb01,bb02");
	/* merge: one row updated, the other deleted */
	up_ok(e, "head");
	expect_str(e, versions, "mmm1");
	expect_str(e, tables, "t_aaa1,t_bb01,t_bb02,t_mmm1");
	/* un-merge: both parents come back ("-1" is ambiguous at a merge) */
	down_ok(e, "bb01");
	expect_str(e, versions, "bb01,bb02");
	expect_str(e, tables, "t_aaa1,t_bb01,t_bb02");
	/* downgrade one branch to its base: that row goes away */
	down_ok(e, "y@-1");
	expect_str(e, versions, "bb01");
	expect_str(e, tables, "t_aaa1,t_bb01");
	down_ok(e, "base");
	expect_str(e, versions, "");
	expect_str(e, tables, "");
	up_ok(e, "heads");
	expect_str(e, versions, "mmm1");
	/* 4 up, 4 down, 4 up */
	expect_str(e, history_count, "12");
	env_free(e);
}
END_TEST

/* Two labelled branches that never merge: LABEL@head and LABEL@-1. */
START_TEST(test_migrate__labels)
{
	env *e = env_new(_i, NULL);

	if (!e)
		return;
	table_rev(e, "aaa1", "", NULL);
	table_rev(e, "bb01", "aaa1", "x");
	table_rev(e, "cc01", "bb01", NULL);
	table_rev(e, "bb02", "aaa1", "y");
	load(e);
	up_ok(e, "x@head");
	expect_str(e, versions, "cc01");
	expect_str(e, tables, "t_aaa1,t_bb01,t_cc01");
	up_ok(e, "y@head");
	expect_str(e, versions, "bb02,cc01");
	down_ok(e, "x@-1");
	expect_str(e, versions, "bb01,bb02");
	expect_str(e, tables, "t_aaa1,t_bb01,t_bb02");
	up_ok(e, "heads");
	expect_str(e, versions, "bb02,cc01");
	env_free(e);
}
END_TEST

START_TEST(test_migrate__stamp)
{
	env *e = env_new(_i, NULL);
	const char *head[] = { "head" }, *two[] = { "bb01", "bb02" }, *base[] = { "base" };
	int rc;

	if (!e)
		return;
	branchy(e);
	ck_assert_int_eq(retort_migrate_stamp(e->cfg, e->graph, two, 2, false, NULL), 0);
	expect_str(e, versions, "bb01,bb02");
	expect_str(e, tables, "");
	ck_assert_int_eq(retort_migrate_stamp(e->cfg, e->graph, head, 1, false, NULL), 0);
	expect_str(e, versions, "mmm1");
	/* a head no script defines: upgrade refuses and says where it came from */
	ck_assert_int_eq(retort_db_exec(e->db, "INSERT INTO retort_version VALUES ('feedface')"), 0);
	rc = retort_migrate_upgrade(e->cfg, e->graph, "head", NULL);
	ck_assert_int_lt(rc, 0);
	ck_assert_msg(strstr(retort_error_last()->message, "'feedface'") &&
		strstr(retort_error_last()->message, "stamp"), "message: %s", retort_error_last()->message);
	/* --purge clears it */
	ck_assert_int_eq(retort_migrate_stamp(e->cfg, e->graph, base, 1, true, NULL), 0);
	expect_str(e, versions, "");
	ck_assert_int_eq(retort_migrate_stamp(e->cfg, e->graph, head, 1, true, NULL), 0);
	expect_str(e, versions, "mmm1");
	expect_str(e, tables, "");
	env_free(e);
}
END_TEST

START_TEST(test_migrate__failure_rolls_back_that_revision)
{
	env *e = env_new(_i, NULL);
	char *want_loc;
	int rc;

	if (!e)
		return;
	table_rev(e, "aaa1", "", NULL);
	rev(e, "bbb2", "aaa1", NULL, true,
		"CREATE TABLE t_bbb2 (id INTEGER);\nINSERT INTO no_such_table VALUES (1);",
		"DROP TABLE t_bbb2;");
	table_rev(e, "ccc3", "bbb2", NULL);
	load(e);
	rc = retort_migrate_upgrade(e->cfg, e->graph, "head", NULL);
	ck_assert_int_lt(rc, 0);
	/* the body starts on line 9; the failing INSERT is its second line */
	want_loc = retort__sprintf("bbb2_rev.sql:10: ");
	ck_assert_msg(strstr(retort_error_last()->message, want_loc) &&
		strstr(retort_error_last()->message, "no_such_table"),
		"expected '%s' and the database's message in: %s", want_loc, retort_error_last()->message);
	free(want_loc);
	expect_str(e, versions, "aaa1");
	expect_str(e, tables, "t_aaa1");
	expect_str(e, history_count, "1");
	env_free(e);
}
END_TEST

START_TEST(test_migrate__irreversible_stops_before_anything)
{
	env *e = env_new(_i, NULL);
	int rc;

	if (!e)
		return;
	table_rev(e, "aaa1", "", NULL);
	rev(e, "bbb2", "aaa1", NULL, true, "CREATE TABLE t_bbb2 (id INTEGER);", NULL);
	table_rev(e, "ccc3", "bbb2", NULL);
	load(e);
	up_ok(e, "head");
	rc = retort_migrate_downgrade(e->cfg, e->graph, "base", NULL);
	ck_assert_int_lt(rc, 0);
	ck_assert_msg(strstr(retort_error_last()->message, "bbb2") != NULL, "message: %s",
		retort_error_last()->message);
	expect_str(e, versions, "ccc3");
	expect_str(e, tables, "t_aaa1,t_bbb2,t_ccc3");
	env_free(e);
}
END_TEST

START_TEST(test_migrate__one_transaction_rolls_back_the_run)
{
	env *e = env_new(_i, "transaction_per_migration = false\n");
	int rc;

	if (!e)
		return;
	table_rev(e, "aaa1", "", NULL);
	table_rev(e, "bbb2", "aaa1", NULL);
	rev(e, "ccc3", "bbb2", NULL, true, "CREATE TABLE t_ccc3 (id INTEGER);\nSELECT * FROM missing_table;", NULL);
	load(e);
	rc = retort_migrate_upgrade(e->cfg, e->graph, "head", NULL);
	ck_assert_int_lt(rc, 0);
	ck_assert_msg(strstr(retort_error_last()->message, "ccc3_rev.sql:10: ") != NULL,
		"message: %s", retort_error_last()->message);
	expect_str(e, versions, "");
	expect_str(e, tables, "");
	/* and without the bad revision the whole run commits */
	up_ok(e, "bbb2");
	expect_str(e, versions, "bbb2");
	expect_str(e, tables, "t_aaa1,t_bbb2");
	/* the version update and history rows are written once, at the end */
	expect_str(e, history_count, "2");
	env_free(e);
}
END_TEST

/*
 * One transaction for the run, with a non-transactional revision in the
 * middle: what came before commits, the revision runs outside, the rest
 * runs in a new transaction, and the version rows and history agree.
 */
START_TEST(test_migrate__one_transaction_around_non_transactional)
{
	env *e = env_new(_i, "transaction_per_migration = false\n");
	retort_buf sql = RETORT_BUF_INIT;
	char *out;

	if (!e)
		return;
	table_rev(e, "aaa1", "", NULL);
	rev(e, "bbb2", "aaa1", NULL, false, e->dialect == 1
		? "CREATE INDEX CONCURRENTLY ix_t_aaa1_id ON t_aaa1 (id);"
		: "CREATE INDEX ix_t_aaa1_id ON t_aaa1 (id);",
		"DROP INDEX ix_t_aaa1_id;");
	table_rev(e, "ccc3", "bbb2", NULL);
	load(e);
	up_ok(e, "head");
	expect_str(e, versions, "ccc3");
	expect_str(e, tables, "t_aaa1,t_ccc3");
	expect_str(e, history_count, "3");
	out = q(e, "SELECT revision FROM retort_history ORDER BY id");
	ck_assert_str_eq(out, "aaa1,bbb2,ccc3");
	free(out);
	down_ok(e, "base");
	expect_str(e, versions, "");
	/* offline: COMMIT before the non-transactional script, BEGIN after */
	ck_assert_int_eq(retort_migrate_render_upgrade(&sql, e->cfg, e->graph, "head"), 0);
	ck_assert_msg(strstr(sql.ptr, "COMMIT;\n\n-- Running upgrade aaa1 -> bbb2") != NULL, "sql:\n%s", sql.ptr);
	feed(e, sql.ptr);
	expect_str(e, versions, "ccc3");
	retort_buf_dispose(&sql);
	env_free(e);
}
END_TEST

/*
 * Transactional: no splits the script client-side; the bodies below have
 * semicolons inside dollar quotes (PostgreSQL) and a trigger body (SQLite),
 * which a naive split would break.
 */
START_TEST(test_migrate__non_transactional)
{
	env *e = env_new(_i, NULL);
	char *out;

	if (!e)
		return;
	table_rev(e, "aaa1", "", NULL);
	if (e->dialect == 1)
		rev(e, "bbb2", "aaa1", NULL, false,
			"CREATE FUNCTION add_one(i integer) RETURNS integer AS $body$\n"
			"BEGIN\n  RETURN i + 1; -- a ';' inside\nEND;\n$body$ LANGUAGE plpgsql;\n"
			"CREATE INDEX CONCURRENTLY ix_t_aaa1_id ON t_aaa1 (id);\n"
			"INSERT INTO t_aaa1 VALUES (add_one(41));",
			"DROP INDEX CONCURRENTLY ix_t_aaa1_id;\nDROP FUNCTION add_one(integer);\nDELETE FROM t_aaa1;");
	else
		rev(e, "bbb2", "aaa1", NULL, false,
			"CREATE TABLE log (x INTEGER);\n"
			"CREATE TRIGGER t_aaa1_log AFTER INSERT ON t_aaa1 BEGIN\n"
			"  INSERT INTO log VALUES (new.id + 1); INSERT INTO log VALUES (';');\nEND;\n"
			"INSERT INTO t_aaa1 VALUES (41);",
			"DROP TRIGGER t_aaa1_log;\nDROP TABLE log;\nDELETE FROM t_aaa1;");
	load(e);
	up_ok(e, "head");
	expect_str(e, versions, "bbb2");
	out = q(e, e->dialect == 1 ? "SELECT id FROM t_aaa1" : "SELECT min(x) FROM log");
	ck_assert_str_eq(out, "42");
	free(out);
	down_ok(e, "aaa1");
	expect_str(e, versions, "aaa1");
	expect_str(e, tables, "t_aaa1");
	env_free(e);
}
END_TEST

START_TEST(test_migrate__status)
{
	env *e = env_new(_i, NULL);
	retort_db_status *st = NULL;
	bool exists = true;
	char *path;
	FILE *f;

	if (!e)
		return;
	branchy(e);
	/* reading a fresh database creates nothing */
	ck_assert_int_eq(retort_migrate_status(&st, e->cfg, e->graph, true), 0);
	ck_assert(!st->has_version_table);
	ck_assert_int_eq(st->heads.len, 0);
	ck_assert_int_eq(st->pending.len, 4);
	ck_assert(!st->at_head);
	retort_db_status_free(st);
	ck_assert_int_eq(e->db->dialect->table_exists(&exists, e->db, NULL, "retort_version"), 0);
	ck_assert(!exists);

	up_ok(e, "bb01");
	ck_assert_int_eq(retort_migrate_status(&st, e->cfg, e->graph, true), 0);
	ck_assert_int_eq(st->heads.len, 1);
	ck_assert_str_eq(st->heads.items[0], "bb01");
	ck_assert_int_eq(st->pending.len, 2);
	ck_assert_int_eq(st->changed.len, 0);
	retort_db_status_free(st);

	/* an applied file edited afterwards is reported */
	path = retort__sprintf("%s/migrations/versions/aaa1_rev.sql", e->dir);
	f = fopen(path, "a");
	fputs("-- edited after it was applied\n", f);
	fclose(f);
	free(path);
	load(e);
	ck_assert_int_eq(retort_migrate_status(&st, e->cfg, e->graph, true), 0);
	ck_assert_int_eq(st->changed.len, 1);
	ck_assert_str_eq(((retort_revision *)st->changed.items[0])->id, "aaa1");
	retort_db_status_free(st);

	/* a head whose file is gone: provenance from the history table */
	up_ok(e, "head");
	path = retort__sprintf("%s/migrations/versions/mmm1_rev.sql", e->dir);
	ck_assert_int_eq(unlink(path), 0);
	free(path);
	load(e);
	ck_assert_int_eq(retort_migrate_status(&st, e->cfg, e->graph, true), 0);
	ck_assert_int_eq(st->unknown.len, 1);
	{
		retort_unknown_head *u = st->unknown.items[0];
		retort_buf msg = RETORT_BUF_INIT;
		ck_assert_str_eq(u->revision, "mmm1");
		ck_assert_ptr_nonnull(u->applied_at);
		retort__unknown_head_describe(&msg, u);
		ck_assert_msg(strstr(msg.ptr, "mmm1") && strstr(msg.ptr, "applied") &&
			strstr(msg.ptr, "stamp"), "message: %s", msg.ptr);
		retort_buf_dispose(&msg);
	}
	ck_assert(!st->at_head);
	retort_db_status_free(st);
	env_free(e);
}
END_TEST

/*
 * Adopting an Alembic database: version_table = alembic_version, no
 * history table; on PostgreSQL also a version table in its own schema.
 */
START_TEST(test_migrate__configured_tables)
{
	env *e = env_new(_i, _i == 0
		? "version_table = alembic_version\nhistory_table = none\n"
		: "version_table = alembic_version\nversion_table_schema = Ops\nhistory_table = none\n");
	bool exists = true;
	char *out;

	if (!e)
		return;
	table_rev(e, "aaa1", "", NULL);
	table_rev(e, "bbb2", "aaa1", NULL);
	load(e);
	if (e->dialect == 1)
		ck_assert_int_eq(retort_db_exec(e->db, "CREATE SCHEMA \"Ops\""), 0);
	up_ok(e, "head");
	out = q(e, e->dialect == 0 ? "SELECT version_num FROM alembic_version"
		: "SELECT version_num FROM \"Ops\".alembic_version");
	ck_assert_str_eq(out, "bbb2");
	free(out);
	ck_assert_int_eq(e->db->dialect->table_exists(&exists, e->db, NULL, "retort_history"), 0);
	ck_assert(!exists);
	ck_assert_int_eq(e->db->dialect->table_exists(&exists, e->db, NULL, "retort_version"), 0);
	ck_assert(!exists);
	down_ok(e, "-1");
	expect_str(e, versions, "aaa1");
	env_free(e);
}
END_TEST

/* The history row names the commit the scripts were applied from. */
START_TEST(test_migrate__history_records_git_commit)
{
	env *e = env_new(_i, NULL);
	char *head = NULL, *got;

	if (!e)
		return;
	table_rev(e, "aaa1", "", NULL);
	{
		char *init[] = { "git", "-C", e->dir, "init", "-q", NULL };
		char *add[] = { "git", "-C", e->dir, "add", "migrations", NULL };
		char *commit[] = { "git", "-C", e->dir, "-c", "user.name=t", "-c", "user.email=t@example.org",
			"commit", "-q", "-m", "scripts", NULL };
		char *rev_parse[] = { "git", "-C", e->dir, "rev-parse", "HEAD", NULL };
		ck_assert_int_eq(harness_run(init, NULL, NULL), 0);
		ck_assert_int_eq(harness_run(add, NULL, NULL), 0);
		ck_assert_int_eq(harness_run(commit, NULL, NULL), 0);
		ck_assert_int_eq(harness_run(rev_parse, NULL, &head), 0);
	}
	head[strcspn(head, "\n")] = '\0';
	load(e);
	up_ok(e, "head");
	got = q(e, "SELECT git_commit FROM retort_history");
	ck_assert_str_eq(got, head);
	free(got);
	free(head);
	env_free(e);
}
END_TEST

/* --- offline mode -------------------------------------------------------- */

static void feed(env *e, const char *sql)
{
	char *out = NULL;
	int rc;

	if (e->dialect == 0) {
		char *argv[] = { "sqlite3", "-bail", e->sqlite_path, NULL };
		rc = harness_run(argv, sql, &out);
	} else {
		/* quiet the NOTICE of CREATE TABLE IF NOT EXISTS on an existing table */
		char *quiet = retort__sprintf("SET client_min_messages = warning;\n%s", sql);
		char *argv[] = { "psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", e->url, NULL };
		rc = harness_run(argv, quiet, &out);
		free(quiet);
	}
	ck_assert_msg(rc == 0, "feeding the offline SQL failed (%d):\n%s", rc, sql);
	free(out);
}

static void offline_history(env *e)
{
	table_rev(e, "aaa1", "", NULL);
	rev(e, "bb01", "aaa1", "x", true,
		"CREATE TABLE t_bb01 (id INTEGER PRIMARY KEY, note VARCHAR(20) DEFAULT 'it''s');\n"
		"INSERT INTO t_bb01 (id) VALUES (1);\nCREATE INDEX ix_bb01_note ON t_bb01 (note);",
		"DROP TABLE t_bb01;");
	table_rev(e, "bb02", "aaa1", "y");
	table_rev(e, "mmm1", "bb01, bb02", NULL);
	table_rev(e, "ccc1", "mmm1", NULL);
	load(e);
}

START_TEST(test_migrate__offline_matches_online)
{
	env *on = env_new(_i, NULL), *off = env_new(_i, NULL);
	retort_buf sql = RETORT_BUF_INIT;

	if (!on || !off) {
		env_free(on);
		env_free(off);
		return;
	}
	offline_history(on);
	offline_history(off);
	up_ok(on, "head");
	ck_assert_int_eq(retort_migrate_render_upgrade(&sql, off->cfg, off->graph, "head"), 0);
	feed(off, sql.ptr);
	{
		char *a = versions(on), *b = versions(off), *ta = schema(on), *tb = schema(off);
		ck_assert_msg(strcmp(a, b) == 0, "versions online '%s' offline '%s'", a, b);
		ck_assert_msg(strcmp(ta, tb) == 0, "schema online:\n%s\noffline:\n%s", ta, tb);
		ck_assert_msg(strstr(ta, "t_bb01") && strstr(ta, "ix_bb01_note"),
			"schema has the tables and indexes: %s", ta);
		free(a); free(b); free(ta); free(tb);
	}
	expect_str(off, versions, "ccc1");

	/* downgrade through the merge, offline and online */
	retort_buf_clear(&sql);
	ck_assert_int_eq(retort_migrate_render_downgrade(&sql, off->cfg, off->graph, "head:aaa1"), 0);
	feed(off, sql.ptr);
	down_ok(on, "aaa1");
	expect_str(off, versions, "aaa1");
	expect_str(off, tables, "t_aaa1");
	expect_str(on, tables, "t_aaa1");
	{
		char *ta = schema(on), *tb = schema(off);
		ck_assert_msg(strcmp(ta, tb) == 0, "schema online:\n%s\noffline:\n%s", ta, tb);
		free(ta); free(tb);
	}

	/* from a revision, not base: no CREATE TABLE for the version table */
	retort_buf_clear(&sql);
	ck_assert_int_eq(retort_migrate_render_upgrade(&sql, off->cfg, off->graph, "aaa1:bb01"), 0);
	ck_assert_msg(strstr(sql.ptr, "CREATE TABLE IF NOT EXISTS") == NULL, "sql: %s", sql.ptr);
	feed(off, sql.ptr);
	expect_str(off, versions, "bb01");
	retort_buf_dispose(&sql);
	env_free(on);
	env_free(off);
}
END_TEST

START_TEST(test_migrate__offline_one_transaction)
{
	env *e = env_new(_i, "transaction_per_migration = false\n");
	retort_buf sql = RETORT_BUF_INIT;
	const char *p;
	int begins = 0;

	if (!e)
		return;
	offline_history(e);
	ck_assert_int_eq(retort_migrate_render_upgrade(&sql, e->cfg, e->graph, "head"), 0);
	for (p = sql.ptr; (p = strstr(p, "BEGIN;")) != NULL; p++)
		begins++;
	ck_assert_msg(begins == 1, "expected one BEGIN, got %d in:\n%s", begins, sql.ptr);
	feed(e, sql.ptr);
	expect_str(e, versions, "ccc1");
	/* and online, through the branch point and the merge in one transaction */
	down_ok(e, "base");
	up_ok(e, "bb02");
	expect_str(e, versions, "bb02");
	up_ok(e, "heads");
	expect_str(e, versions, "ccc1");
	down_ok(e, "bb01");
	expect_str(e, versions, "bb01,bb02");
	expect_str(e, tables, "t_aaa1,t_bb01,t_bb02");
	retort_buf_dispose(&sql);
	env_free(e);
}
END_TEST

/* --- concurrency --------------------------------------------------------- */

#define NREVS 12
#define NRUNNERS 8

static void concurrent_runners(int dialect, const char *ini_extra)
{
	env *e = env_new(dialect, ini_extra);
	char *retort = retort__sprintf("%s/retort", RETORT_BUILDDIR);
	pid_t pids[NRUNNERS];
	char id[16], parent[16] = "", count[16];

	if (!e) {
		free(retort);
		return;
	}
	for (int i = 0; i < NREVS; i++) {
		snprintf(id, sizeof(id), "r%03d", i);
		table_rev(e, id, parent, NULL);
		memcpy(parent, id, sizeof(id));
	}
	load(e);
	for (int i = 0; i < NRUNNERS; i++) {
		pids[i] = fork();
		ck_assert_int_ge(pids[i], 0);
		if (pids[i] == 0) {
			char *argv[] = { retort, "-q", "-c", e->ini, "upgrade", "head", NULL };
			execv(retort, argv);
			_exit(127);
		}
	}
	for (int i = 0; i < NRUNNERS; i++) {
		int status = 0;
		ck_assert_int_eq(waitpid(pids[i], &status, 0), pids[i]);
		ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0,
			"runner %d of %d on %s exited with %d", i, NRUNNERS, e->url, WEXITSTATUS(status));
	}
	snprintf(id, sizeof(id), "r%03d", NREVS - 1);
	expect_str(e, versions, id);
	snprintf(count, sizeof(count), "%d", NREVS);
	expect_str(e, history_count, count);
	free(retort);
	env_free(e);
}

START_TEST(test_migrate__concurrent_runners)
{
	concurrent_runners(_i, NULL);
}
END_TEST

START_TEST(test_migrate__concurrent_runners_one_transaction)
{
	concurrent_runners(_i, "transaction_per_migration = false\n");
}
END_TEST

RETORT_SUITE(migrate)

Suite *suite_migrate(void)
{
	Suite *s = suite_create("migrate");
	const retort_test_case cases[] = {
		{ "linear", test_migrate__linear },
		{ "branches", test_migrate__branches_and_merge },
		{ "labels", test_migrate__labels },
		{ "stamp", test_migrate__stamp },
		{ "failure", test_migrate__failure_rolls_back_that_revision },
		{ "irreversible", test_migrate__irreversible_stops_before_anything },
		{ "one_transaction", test_migrate__one_transaction_rolls_back_the_run },
		{ "non_transactional", test_migrate__non_transactional },
		{ "one_transaction_non_transactional", test_migrate__one_transaction_around_non_transactional },
		{ "status", test_migrate__status },
		{ "configured_tables", test_migrate__configured_tables },
		{ "git_commit", test_migrate__history_records_git_commit },
		{ "offline", test_migrate__offline_matches_online },
		{ "offline_one_transaction", test_migrate__offline_one_transaction },
		{ "concurrent", test_migrate__concurrent_runners },
		{ "concurrent_one_transaction", test_migrate__concurrent_runners_one_transaction },
	};

	retort_test_add_dialect_cases(s, cases, sizeof(cases) / sizeof(cases[0]), 120);
	return s;
}
