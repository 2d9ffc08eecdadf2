/*
 * test_api.c - the public API (include/retort/retort.h) as a program uses
 * it, on a SQLite file and on a fresh PostgreSQL database (loop index 0
 * and 1).  Only <retort/retort.h> is called; what the database holds is
 * read by sqlite3 and psql themselves, never by retort.
 */
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <retort/retort.h>

#include "harness/pg.h"
#include "harness/suites.h"

typedef struct env {
	int dialect;          /* 0 SQLite, 1 PostgreSQL */
	char *url;
	char *sqlite_path;
	char *dir;            /* the project: retort.ini, migrations/versions/ */
	char *ini;
	char *scripts;        /* dir/migrations */
} env;

static char *fmt(const char *f, ...) __attribute__((format(printf, 1, 2)));
static char *fmt(const char *f, ...)
{
	va_list ap;
	char *s = NULL;

	va_start(ap, f);
	ck_assert_int_ge(vasprintf(&s, f, ap), 0);
	va_end(ap);
	return s;
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	ck_assert_msg(f != NULL, "cannot write %s", path);
	fputs(text, f);
	fclose(f);
}

/* A SQL revision with its upgrade and downgrade (`down` NULL: irreversible). */
static void rev(env *e, const char *id, const char *revises, bool transactional, const char *up, const char *down)
{
	char *path = fmt("%s/versions/%s_rev.sql", e->scripts, id);
	char *text = fmt("-- revision %s\n--\n-- Revision ID: %s\n-- Revises: %s\n-- Transactional: %s\n\n"
		"-- retort:upgrade\n%s\n%s%s\n", id, id, revises, transactional ? "yes" : "no", up,
		down ? "\n-- retort:downgrade\n" : "", down ? down : "");

	write_file(path, text);
	free(text);
	free(path);
}

static env *env_new(int dialect)
{
	env *e = calloc(1, sizeof(*e));
	char tmpl[] = "/tmp/retort-api.XXXXXX";
	char *versions, *text;

	e->dialect = dialect;
	if (dialect == 0) {
		e->sqlite_path = harness_sqlite_path();
		e->url = fmt("sqlite:///%s", e->sqlite_path);
	} else if (!(e->url = harness_pg_new_database())) {
		free(e);
		return NULL; /* no server: skipped (main fails under CI) */
	}
	ck_assert_ptr_nonnull(mkdtemp(tmpl));
	e->dir = strdup(tmpl);
	e->scripts = fmt("%s/migrations", e->dir);
	versions = fmt("%s/versions", e->scripts);
	ck_assert_int_eq(mkdir(e->scripts, 0755), 0);
	ck_assert_int_eq(mkdir(versions, 0755), 0);
	free(versions);
	e->ini = fmt("%s/retort.ini", e->dir);
	text = fmt("[retort]\nscript_location = migrations\nurl = %s\n", e->url);
	write_file(e->ini, text);
	free(text);
	rev(e, "a1", "", true, "CREATE TABLE users (id INTEGER PRIMARY KEY);", "DROP TABLE users;");
	rev(e, "b2", "a1", true, "CREATE TABLE posts (id INTEGER PRIMARY KEY);", "DROP TABLE posts;");
	rev(e, "c3", "b2", true, "CREATE TABLE tags (id INTEGER PRIMARY KEY);", "DROP TABLE tags;");
	return e;
}

static void env_free(env *e)
{
	char *argv[] = { "rm", "-rf", e->dir, NULL };

	harness_run(argv, NULL, NULL);
	free(e->dir);
	free(e->ini);
	free(e->scripts);
	free(e->url);
	free(e->sqlite_path);
	free(e);
}

/* What the database itself answers to `sql`, by sqlite3 or psql: rows on lines, trailing newline cut. */
static char *oracle(const env *e, const char *sql)
{
	char *out = NULL;
	int rc;

	if (e->dialect == 0) {
		char *argv[] = { "sqlite3", "-batch", e->sqlite_path, (char *)sql, NULL };
		rc = harness_run(argv, NULL, &out);
	} else {
		char *argv[] = { "psql", "-X", "-At", "-v", "ON_ERROR_STOP=1", "-d", e->url, "-c", (char *)sql, NULL };
		rc = harness_run(argv, NULL, &out);
	}
	ck_assert_msg(rc == 0, "oracle query failed: %s", sql);
	if (!out)
		out = strdup("");
	while (*out && out[strlen(out) - 1] == '\n')
		out[strlen(out) - 1] = '\0';
	return out;
}

#define expect_oracle(e, sql, want) do {                                                  \
		char *got_ = oracle(e, sql);                                              \
		ck_assert_msg(strcmp(got_, want) == 0, "%s on %s: expected '%s', got '%s'", sql, \
			(e)->dialect ? "postgresql" : "sqlite", want, got_);              \
		free(got_);                                                               \
	} while (0)

#define VERSIONS "SELECT version_num FROM retort_version ORDER BY version_num"

static const char *tables_sql(const env *e)
{
	return e->dialect == 0
		? "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'retort_%' "
		  "AND name NOT LIKE 'sqlite_%' ORDER BY name"
		: "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename NOT LIKE 'retort_%' "
		  "ORDER BY tablename";
}

static retort_project *open_project(const env *e)
{
	retort_project *p = NULL;

	ck_assert_msg(retort_project_open(&p, e->ini, NULL) == 0, "open %s: %s", e->ini, retort_error_last()->message);
	return p;
}

static void expect_strings(const retort_strarray *a, const char *want)
{
	char got[256] = "";

	for (size_t i = 0; i < a->count; i++) {
		if (i)
			strncat(got, ",", sizeof(got) - strlen(got) - 1);
		strncat(got, a->strings[i], sizeof(got) - strlen(got) - 1);
	}
	ck_assert_msg(strcmp(got, want) == 0, "expected '%s', got '%s'", want, got);
}

/* Events as one line each: "started a1", "finished a1 <- " ... */
typedef struct recorder {
	char log[1024];
	retort_project *cancel_after;   /* cancel when this revision finishes ... */
	const char *cancel_rev;
	bool durations_ok;
} recorder;

static void record(const retort_event *ev, void *payload)
{
	recorder *r = payload;
	static const char *const names[] = { "", "started", "finished", "failed", "planned" };
	char line[128];

	snprintf(line, sizeof(line), "%s %s %s [%s->%s]%s;", names[ev->kind], ev->verb,
		ev->revision ? ev->revision : "-", ev->from, ev->to,
		ev->kind == RETORT_EVENT_FAILED && ev->file && strstr(ev->file, "_rev.sql") ? " file" : "");
	strncat(r->log, line, sizeof(r->log) - strlen(r->log) - 1);
	if (ev->kind == RETORT_EVENT_FINISHED && ev->duration_ms < 0)
		r->durations_ok = false;
	if (r->cancel_after && ev->kind == RETORT_EVENT_FINISHED && ev->revision &&
			strcmp(ev->revision, r->cancel_rev) == 0)
		retort_project_cancel(r->cancel_after);
}

START_TEST(test_api__open_upgrade_events_heads_pending)
{
	env *e = env_new(_i);
	retort_run_options ro = RETORT_RUN_OPTIONS_INIT;
	retort_strarray heads = RETORT_STRARRAY_INIT, pending = RETORT_STRARRAY_INIT;
	recorder r = { .durations_ok = true };
	retort_project *p;

	if (!e)
		return;
	p = open_project(e);
	ck_assert_int_eq(retort_project_pending(&pending, p, NULL), 0);
	expect_strings(&pending, "a1,b2,c3");
	retort_strarray_dispose(&pending);
	ck_assert_int_eq(retort_project_heads(&heads, p), 0);
	ck_assert_uint_eq(heads.count, 0);
	ro.event_cb = record;
	ro.event_payload = &r;
	ck_assert_msg(retort_project_upgrade(p, "b2", &ro) == 0, "%s", retort_error_last()->message);
	ck_assert_str_eq(r.log, "started upgrade a1 [->a1];finished upgrade a1 [->a1];"
		"started upgrade b2 [a1->b2];finished upgrade b2 [a1->b2];");
	ck_assert(r.durations_ok);
	expect_oracle(e, VERSIONS, "b2");
	expect_oracle(e, tables_sql(e), "posts\nusers");
	ck_assert_int_eq(retort_project_heads(&heads, p), 0);
	expect_strings(&heads, "b2");
	retort_strarray_dispose(&heads);
	ck_assert_int_eq(retort_project_pending(&pending, p, "head"), 0);
	expect_strings(&pending, "c3");
	retort_strarray_dispose(&pending);
	/* a dry run plans and changes nothing */
	r.log[0] = '\0';
	ro.dry_run = 1;
	ck_assert_int_eq(retort_project_upgrade(p, NULL, &ro), 0);
	ck_assert_str_eq(r.log, "planned upgrade c3 [b2->c3];");
	expect_oracle(e, VERSIONS, "b2");
	ro.dry_run = 0;
	ck_assert_int_eq(retort_project_downgrade(p, "base", &ro), 0);
	expect_oracle(e, VERSIONS, "");
	expect_oracle(e, tables_sql(e), "");
	retort_project_free(p);
	env_free(e);
}
END_TEST

START_TEST(test_api__new_from_settings_ignores_the_environment)
{
	env *e = env_new(_i);
	const char *settings[] = { "version_table = app_version", "transaction_per_migration=false" };
	const char *bad[] = { "version_tabel=x" };
	retort_project_options po = RETORT_PROJECT_OPTIONS_INIT;
	retort_strarray heads = RETORT_STRARRAY_INIT;
	retort_project *p = NULL;
	char *sql;

	if (!e)
		return;
	/* the command's variable must not steer a program */
	setenv("RETORT_URL", "sqlite:////nonexistent/dir/elsewhere.db", 1);
	po.settings = settings;
	po.settings_count = 2;
	ck_assert_msg(retort_project_new(&p, e->scripts, e->url, &po) == 0, "%s", retort_error_last()->message);
	ck_assert_msg(retort_project_upgrade(p, "head", NULL) == 0, "%s", retort_error_last()->message);
	expect_oracle(e, "SELECT version_num FROM app_version", "c3");
	retort_project_free(p);
	/* the same database through the ini file, whose version table is the default: at base */
	p = open_project(e);
	ck_assert_int_eq(retort_project_heads(&heads, p), 0);
	ck_assert_uint_eq(heads.count, 0);
	retort_strarray_dispose(&heads);
	retort_project_free(p);
	/* with RETORT_PROJECT_ENVIRONMENT the command's variables count */
	po.settings = NULL;
	po.settings_count = 0;
	po.flags = RETORT_PROJECT_ENVIRONMENT;
	ck_assert_int_eq(retort_project_open(&p, e->ini, &po), 0);
	ck_assert(retort_project_upgrade(p, "head", NULL) < 0);
	ck_assert_msg(strstr(retort_error_last()->message, "elsewhere.db") != NULL, "%s", retort_error_last()->message);
	retort_project_free(p);
	unsetenv("RETORT_URL");
	/* a setting is checked as the file's keys are */
	po.flags = 0;
	po.settings = bad;
	po.settings_count = 1;
	ck_assert_int_eq(retort_project_new(&p, e->scripts, e->url, &po), RETORT_EUSAGE);
	ck_assert_ptr_null(p);
	ck_assert_int_eq(retort_error_last()->klass, RETORT_ERROR_CONFIG);
	ck_assert_msg(strstr(retort_error_last()->message, "settings: unknown key 'version_tabel'") &&
		strstr(retort_error_last()->message, "did you mean 'version_table'"), "%s", retort_error_last()->message);
	/* options of a version this library does not know */
	po.version = 99;
	ck_assert_int_eq(retort_project_new(&p, e->scripts, e->url, &po), RETORT_EUSAGE);
	sql = fmt("%s", retort_error_last()->message);
	ck_assert_msg(strstr(sql, "retort_project_options version 99") != NULL, "%s", sql);
	free(sql);
	env_free(e);
}
END_TEST

START_TEST(test_api__failure_is_an_event_and_an_error)
{
	env *e = env_new(_i);
	retort_run_options ro = RETORT_RUN_OPTIONS_INIT;
	recorder r = { .durations_ok = true };
	retort_project *p;

	if (!e)
		return;
	rev(e, "c3", "b2", true, "CREATE TABLE tags (id INTEGER PRIMARY KEY);\nINSERT INTO missing_table VALUES (1);",
		"DROP TABLE tags;");
	p = open_project(e);
	ro.event_cb = record;
	ro.event_payload = &r;
	ck_assert_int_lt(retort_project_upgrade(p, "head", &ro), 0);
	ck_assert_msg(strstr(r.log, "finished upgrade b2 [a1->b2];started upgrade c3 [b2->c3];"
		"failed upgrade c3 [b2->c3] file;") != NULL, "%s", r.log);
	ck_assert_int_eq(retort_error_last()->klass, RETORT_ERROR_DATABASE);
	ck_assert_msg(strstr(retort_error_last()->message, "c3_rev.sql:9") != NULL, "%s", retort_error_last()->message);
	expect_oracle(e, VERSIONS, "b2");
	expect_oracle(e, tables_sql(e), "posts\nusers");
	retort_project_free(p);
	env_free(e);
}
END_TEST

START_TEST(test_api__cancel_between_revisions)
{
	env *e = env_new(_i);
	retort_run_options ro = RETORT_RUN_OPTIONS_INIT;
	recorder r = { .durations_ok = true };
	retort_project *p;
	int rc;

	if (!e)
		return;
	p = open_project(e);
	r.cancel_after = p;
	r.cancel_rev = "a1";
	ro.event_cb = record;
	ro.event_payload = &r;
	rc = retort_project_upgrade(p, "head", &ro);
	ck_assert_msg(rc == RETORT_ECANCELLED, "%d: %s", rc, retort_error_last()->message);
	ck_assert_int_eq(retort_error_last()->klass, RETORT_ERROR_CANCELLED);
	/* b2 never finished (SQLite stops already at re-reading the heads before it) */
	ck_assert_msg(strstr(r.log, "finished upgrade a1") && !strstr(r.log, "finished upgrade b2"), "%s", r.log);
	expect_oracle(e, VERSIONS, "a1");
	expect_oracle(e, tables_sql(e), "users");
	/* the request was consumed: the next run goes through */
	r.cancel_after = NULL;
	ck_assert_msg(retort_project_upgrade(p, "head", &ro) == 0, "%s", retort_error_last()->message);
	expect_oracle(e, VERSIONS, "c3");
	/* a request made while nothing runs stops the next operation before its first statement */
	retort_project_cancel(p);
	ck_assert_int_eq(retort_project_downgrade(p, "base", NULL), RETORT_ECANCELLED);
	expect_oracle(e, VERSIONS, "c3");
	retort_project_free(p);
	env_free(e);
}
END_TEST

typedef struct canceller {
	retort_project *p;
	volatile int started;
} canceller;

static void on_start(const retort_event *ev, void *payload)
{
	canceller *c = payload;

	if (ev->kind == RETORT_EVENT_STARTED && strcmp(ev->revision, "b2") == 0)
		__atomic_store_n(&c->started, 1, __ATOMIC_SEQ_CST);
}

static void *cancel_soon(void *arg)
{
	canceller *c = arg;
	struct timespec nap = { 0, 10 * 1000 * 1000 };
	struct timespec later = { 0, 300 * 1000 * 1000 };

	while (!__atomic_load_n(&c->started, __ATOMIC_SEQ_CST))
		nanosleep(&nap, NULL);
	nanosleep(&later, NULL);
	retort_project_cancel(c->p);
	return NULL;
}

/*
 * From another thread, while a statement runs: the statements before it
 * stay (Transactional: no), none after it starts.  PostgreSQL's pg_sleep
 * gives a statement that lasts without using the CPU.
 */
START_TEST(test_api__cancel_between_statements)
{
	env *e;
	retort_run_options ro = RETORT_RUN_OPTIONS_INIT;
	canceller c = { NULL, 0 };
	pthread_t t;

	if (_i == 0 || !(e = env_new(_i)))
		return;
	rev(e, "b2", "a1", false, "CREATE TABLE early (id INTEGER);\nSELECT pg_sleep(2);\nCREATE TABLE late (id INTEGER);",
		NULL);
	c.p = open_project(e);
	ro.event_cb = on_start;
	ro.event_payload = &c;
	ck_assert_int_eq(pthread_create(&t, NULL, cancel_soon, &c), 0);
	ck_assert_int_eq(retort_project_upgrade(c.p, "head", &ro), RETORT_ECANCELLED);
	pthread_join(t, NULL);
	expect_oracle(e, tables_sql(e), "early\nusers");
	expect_oracle(e, VERSIONS, "a1");
	retort_project_free(c.p);
	env_free(e);
}
END_TEST

START_TEST(test_api__offline_sql_stamp_status)
{
	env *e = env_new(_i);
	retort_buffer sql = RETORT_BUFFER_INIT;
	retort_run_options ro = RETORT_RUN_OPTIONS_INIT;
	const char *b2[] = { "b2" };
	retort_status *st = NULL;
	retort_project *p;

	if (!e)
		return;
	p = open_project(e);
	ck_assert_int_eq(retort_project_upgrade_sql(&sql, p, "b2"), 0);
	ck_assert_msg(strstr(sql.ptr, "CREATE TABLE posts") && !strstr(sql.ptr, "CREATE TABLE tags"), "%s", sql.ptr);
	ck_assert_uint_eq(sql.size, strlen(sql.ptr));
	retort_buffer_dispose(&sql);
	ck_assert_ptr_null(sql.ptr);
	/* nothing connected: a SQLite file is not even created */
	if (_i == 0)
		ck_assert(access(e->sqlite_path, F_OK) != 0);
	ck_assert_int_eq(retort_project_stamp(p, b2, 1, &ro), 0);
	expect_oracle(e, VERSIONS, "b2");
	expect_oracle(e, tables_sql(e), "");
	ck_assert_int_eq(retort_project_status(&st, p, RETORT_STATUS_DETAILS), 0);
	ck_assert(st->has_version_table && !st->at_head && !st->missing);
	expect_strings(&st->heads, "b2");
	ck_assert_uint_eq(st->pending_count, 1);
	ck_assert_str_eq(st->pending[0].id, "c3");
	ck_assert_str_eq(st->pending[0].message, "revision c3");
	ck_assert(strstr(st->pending[0].path, "/versions/c3_rev.sql") != NULL);
	ck_assert_uint_eq(st->unknown_count, 0);
	retort_status_free(st);
	ro.purge = 1;
	ck_assert_int_eq(retort_project_stamp_sql(&sql, p, b2, 1, &ro), 0);
	ck_assert_msg(strstr(sql.ptr, "DELETE FROM") && strstr(sql.ptr, "retort_version"), "%s", sql.ptr);
	retort_buffer_dispose(&sql);
	retort_project_free(p);
	env_free(e);
}
END_TEST

/* diff and check: the changes, applied by the database's own client, make the two converge. */
START_TEST(test_api__diff_urls_converges)
{
	env *a = env_new(_i), *b;
	retort_changeset *cs = NULL, *again = NULL;
	retort_buffer sql = RETORT_BUFFER_INIT;
	const retort_change *c;

	if (!a)
		return;
	b = env_new(_i);
	free(oracle(a, "CREATE TABLE t (id INTEGER PRIMARY KEY, name VARCHAR(20))"));
	free(oracle(b, "CREATE TABLE t (id INTEGER PRIMARY KEY, name VARCHAR(20), email VARCHAR(80))"));
	ck_assert_msg(retort_diff_urls(&cs, a->url, b->url, NULL) == 0, "%s", retort_error_last()->message);
	ck_assert_uint_eq(retort_changeset_count(cs), 1);
	c = retort_changeset_get(cs, 0);
	ck_assert_str_eq(c->kind, "add_column");
	ck_assert(!c->destructive);
	ck_assert_ptr_null(retort_changeset_get(cs, 1));
	ck_assert_str_eq(retort_changeset_dialect(cs), _i ? "postgresql" : "sqlite");
	ck_assert_uint_eq(retort_changeset_count(retort_changeset_reverse(cs)), 1);
	/* SQLite drops the column by rebuilding the table */
	ck_assert_str_eq(retort_changeset_get(retort_changeset_reverse(cs), 0)->kind, _i ? "drop_column" : "rebuild_table");
	ck_assert(retort_changeset_reverse(retort_changeset_reverse(cs)) == cs);
	ck_assert_int_eq(retort_changeset_sql(&sql, cs), 0);
	free(oracle(a, sql.ptr));
	ck_assert_int_eq(retort_diff_urls(&again, a->url, b->url, NULL), 0);
	ck_assert_uint_eq(retort_changeset_count(again), 0);
	retort_changeset_free(again);
	retort_changeset_free(cs);
	retort_buffer_dispose(&sql);
	/* two dialects cannot be compared */
	if (_i == 1) {
		char *lite = harness_sqlite_new_database();
		ck_assert_int_eq(retort_diff_urls(&cs, lite, a->url, NULL), RETORT_EUSAGE);
		ck_assert_ptr_null(cs);
		free(lite);
	}
	env_free(a);
	env_free(b);
}
END_TEST

START_TEST(test_api__check_and_drift)
{
	env *e = env_new(_i);
	retort_changeset *cs = NULL;
	retort_project_options po = RETORT_PROJECT_OPTIONS_INIT;
	const char *settings[1];
	char *target, *setting;
	retort_project *p = NULL;

	if (!e)
		return;
	target = fmt("%s/target.sql", e->dir);
	write_file(target, "CREATE TABLE users (id INTEGER PRIMARY KEY);\nCREATE TABLE posts (id INTEGER PRIMARY KEY);\n"
		"CREATE TABLE tags (id INTEGER PRIMARY KEY);\nCREATE TABLE likes (id INTEGER PRIMARY KEY);\n");
	setting = fmt("target_schema=%s", target);
	settings[0] = setting;
	po.settings = settings;
	po.settings_count = 1;
	ck_assert_int_eq(retort_project_open(&p, e->ini, &po), 0);
	ck_assert_msg(retort_project_check(&cs, p, NULL) == 0, "%s", retort_error_last()->message);
	ck_assert_uint_eq(retort_changeset_count(cs), 1);
	ck_assert_str_eq(retort_changeset_get(cs, 0)->kind, "create_table");
	ck_assert_str_eq(retort_changeset_get(cs, 0)->target, _i ? "public.likes" : "likes");
	expect_strings(retort_changeset_heads(cs), "c3");
	retort_changeset_free(cs);
	/* drift: a table made by hand */
	ck_assert_int_eq(retort_project_upgrade(p, "head", NULL), 0);
	free(oracle(e, "CREATE TABLE by_hand (id INTEGER)"));
	ck_assert_msg(retort_project_drift(&cs, p) == 0, "%s", retort_error_last()->message);
	ck_assert_uint_eq(retort_changeset_count(cs), 1);
	ck_assert_str_eq(retort_changeset_get(cs, 0)->kind, "create_table");
	ck_assert_str_eq(retort_changeset_get(retort_changeset_reverse(cs), 0)->kind, "drop_table");
	ck_assert_uint_eq(retort_changeset_edited_count(cs), 0);
	retort_changeset_free(cs);
	retort_project_free(p);
	free(setting);
	free(target);
	env_free(e);
}
END_TEST

/*
 * A `Transactional: no` step that stops after its first statement: the
 * status says so (the history table's own row is the oracle that it
 * stopped), and the next upgrade refuses to run past it.
 */
START_TEST(test_api__status_reports_an_unfinished_step)
{
	env *e = env_new(_i);
	retort_status *st = NULL;
	retort_project *p;

	if (!e)
		return;
	rev(e, "c3", "b2", false, "CREATE TABLE tags (id INTEGER PRIMARY KEY);\nINSERT INTO missing_table VALUES (1);",
		"DROP TABLE tags;");
	p = open_project(e);
	ck_assert_int_lt(retort_project_upgrade(p, "head", NULL), 0);
	expect_oracle(e, VERSIONS, "b2");
	expect_oracle(e, tables_sql(e), "posts\ntags\nusers");
	expect_oracle(e, "SELECT revision FROM retort_history WHERE direction = 'unfinished'", "c3");
	ck_assert_int_eq(retort_project_status(&st, p, 0), 0);
	ck_assert_ptr_nonnull(st->unfinished);
	ck_assert_msg(strstr(st->unfinished, "c3") != NULL, "%s", st->unfinished);
	ck_assert_ptr_null(st->pending_error);
	retort_status_free(st);
	ck_assert_int_lt(retort_project_upgrade(p, "head", NULL), 0);
	expect_oracle(e, VERSIONS, "b2");
	retort_project_free(p);
	env_free(e);
}
END_TEST

/*
 * Inputs retort will not work from are refused with their own class, which
 * the retort command maps to exit 2: a version table that cannot be a
 * database's state, a header id breaking the naming rules.  Nothing changes.
 */
START_TEST(test_api__refused_inputs_have_their_class)
{
	static const struct { const char *what, *setup, *restore, *expect; } cases[] = {
		{ "a view", "ALTER TABLE retort_version RENAME TO v_rows; "
			"CREATE VIEW retort_version AS SELECT version_num FROM v_rows",
			"DROP VIEW retort_version; ALTER TABLE v_rows RENAME TO retort_version",
			"the version table 'retort_version' is a view, not a table" },
		{ "NULL", "DROP TABLE retort_version; CREATE TABLE retort_version (version_num VARCHAR(32)); "
			"INSERT INTO retort_version VALUES ('b2'); INSERT INTO retort_version VALUES (NULL)",
			"DELETE FROM retort_version WHERE version_num IS NULL",
			"holds a NULL version_num" },
		{ "a duplicate", "INSERT INTO retort_version VALUES ('b2')",
			"DELETE FROM retort_version; INSERT INTO retort_version VALUES ('b2')",
			"holds 'b2' twice" },
		{ "an ancestor", "INSERT INTO retort_version VALUES ('a1')",
			"DELETE FROM retort_version WHERE version_num = 'a1'",
			"holds 'a1' together with 'b2', which comes after it" },
	};
	env *e = env_new(_i);
	retort_strarray current = RETORT_STRARRAY_INIT;
	retort_project *p;
	char *path;

	if (!e)
		return;
	p = open_project(e);
	ck_assert_msg(retort_project_upgrade(p, "b2", NULL) == 0, "%s", retort_error_last()->message);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *before, *tables;
		free(oracle(e, cases[i].setup));
		before = oracle(e, VERSIONS);
		tables = oracle(e, tables_sql(e));
		ck_assert_int_eq(retort_project_upgrade(p, "head", NULL), RETORT_ERROR);
		ck_assert_msg(retort_error_last()->klass == RETORT_ERROR_REFUSED && strstr(retort_error_last()->message,
			cases[i].expect), "%s: class %d: %s", cases[i].what, (int)retort_error_last()->klass,
			retort_error_last()->message);
		ck_assert_int_eq(retort_project_pending(&current, p, NULL), RETORT_ERROR);
		ck_assert_int_eq(retort_error_last()->klass, RETORT_ERROR_REFUSED);
		expect_oracle(e, VERSIONS, before);
		expect_oracle(e, tables_sql(e), tables);
		free(before);
		free(tables);
		free(oracle(e, cases[i].restore));
	}
	/* a header id that is a reserved word */
	path = fmt("%s/versions/head.sql", e->scripts);
	write_file(path, "-- x\n--\n-- Revision ID: head\n-- Revises: b2\n\n-- retort:upgrade\nCREATE TABLE t9 (id INTEGER);\n");
	ck_assert_int_eq(retort_project_upgrade(p, "head", NULL), RETORT_ERROR);
	ck_assert_msg(retort_error_last()->klass == RETORT_ERROR_REFUSED &&
		strstr(retort_error_last()->message, "head.sql:3: invalid revision id 'head': it is a reserved word"),
		"class %d: %s", (int)retort_error_last()->klass, retort_error_last()->message);
	unlink(path);
	free(path);
	expect_oracle(e, VERSIONS, "b2");
	/* set right, the same project goes on */
	ck_assert_msg(retort_project_upgrade(p, "head", NULL) == 0, "%s", retort_error_last()->message);
	expect_oracle(e, VERSIONS, "c3");
	retort_project_free(p);
	env_free(e);
}
END_TEST

RETORT_SUITE(api)

Suite *suite_api(void)
{
	Suite *s = suite_create("api");
	const retort_test_case cases[] = {
		{ "upgrade", test_api__open_upgrade_events_heads_pending },
		{ "settings", test_api__new_from_settings_ignores_the_environment },
		{ "failure", test_api__failure_is_an_event_and_an_error },
		{ "cancel_revisions", test_api__cancel_between_revisions },
		{ "cancel_statements", test_api__cancel_between_statements },
		{ "offline_stamp_status", test_api__offline_sql_stamp_status },
		{ "diff", test_api__diff_urls_converges },
		{ "check_drift", test_api__check_and_drift },
		{ "unfinished", test_api__status_reports_an_unfinished_step },
		{ "refused", test_api__refused_inputs_have_their_class },
	};

	retort_test_add_dialect_cases(s, cases, sizeof(cases) / sizeof(cases[0]), 120);
	return s;
}
