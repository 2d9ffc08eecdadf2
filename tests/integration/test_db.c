/*
 * test_db.c - the dialect interface (db.h) against real databases: every
 * case runs on a fresh SQLite file and on a fresh PostgreSQL database (the
 * PostgreSQL half is skipped when no server runs; main() fails that under
 * CI).  Dialect-specific syntax (dollar quoting, triggers) gets its own
 * cases, still through the same interface.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "dialect/db.h"
#include "harness/pg.h"
#include "harness/suites.h"
#include "dialect/url.h"

typedef void (*db_case)(retort_db *db, const char *url);

/* Open `url` or fail the test with the library's message. */
static retort_db *open_url(const char *url)
{
	retort_url *u = NULL;
	retort_db *db = NULL;
	int rc;

	ck_assert_msg(retort_url_parse(&u, url) == 0, "parse %s: %s", url,
		retort_error_last() ? retort_error_last()->message : "?");
	rc = retort_db_open(&db, u);
	ck_assert_msg(rc == 0, "open %s: %s", url, retort_error_last() ? retort_error_last()->message : "?");
	retort_url_free(u);
	return db;
}

/* Run `fn` on a fresh database of each dialect; returns how many ran. */
static int for_each_dialect(db_case fn)
{
	char *urls[2] = { harness_sqlite_new_database(), harness_pg_new_database() };
	int ran = 0;

	for (int i = 0; i < 2; i++) {
		retort_db *db;
		if (!urls[i])
			continue; /* no PostgreSQL server: skipped (a failure under CI, see main.c) */
		db = open_url(urls[i]);
		fn(db, urls[i]);
		retort_db_free(db);
		free(urls[i]);
		ran++;
	}
	ck_assert_int_ge(ran, 1);
	return ran;
}

static bool is_pg(const retort_db *db)
{
	return db->dialect->id == RETORT_DIALECT_POSTGRES;
}

static const char *errmsg(void)
{
	return retort_error_last() ? retort_error_last()->message : "(no error)";
}

static void exec_ok(retort_db *db, const char *sql)
{
	unsigned line = 0;
	int rc = retort_db_exec_script(db, sql, &line);

	ck_assert_msg(rc == 0, "[%s] exec '%s' failed at line %u: %s", db->dialect->name, sql, line, errmsg());
}

/* The single cell of a one-row, one-column query, as a malloc'd string or NULL. */
static char *scalar(retort_db *db, const char *sql, size_t n, const char *const *params)
{
	retort_rows *rows = NULL;
	char *v;

	ck_assert_msg(retort_db_query(&rows, db, sql, n, params) == 0, "[%s] query '%s': %s",
		db->dialect->name, sql, errmsg());
	ck_assert_msg(rows->nrows == 1 && rows->ncols == 1, "[%s] '%s' gave %zu rows x %zu cols",
		db->dialect->name, sql, rows->nrows, rows->ncols);
	v = retort_rows_get(rows, 0, 0) ? strdup(retort_rows_get(rows, 0, 0)) : NULL;
	retort_rows_free(rows);
	return v;
}

static void expect_scalar(retort_db *db, const char *sql, const char *want)
{
	char *got = scalar(db, sql, 0, NULL);

	ck_assert_msg(got && strcmp(got, want) == 0, "[%s] '%s' = '%s', want '%s'",
		db->dialect->name, sql, got ? got : "NULL", want);
	free(got);
}

/* --- exec_script ------------------------------------------------------- */

static void multi_statement(retort_db *db, const char *url)
{
	exec_ok(db,
		"-- a leading comment; with a semicolon\n"
		"CREATE TABLE t (id INTEGER PRIMARY KEY, name VARCHAR(20));\n"
		"INSERT INTO t VALUES (1, 'a;b');  INSERT INTO t VALUES (2, 'it''s');\n"
		"/* block; comment */ INSERT INTO t VALUES (3, NULL)\n");
	expect_scalar(db, "SELECT count(*) FROM t", "3");
	expect_scalar(db, "SELECT name FROM t WHERE id = 1", "a;b");
	expect_scalar(db, "SELECT name FROM t WHERE id = 2", "it's");
	/* Empty and comment-only scripts are no-ops, not errors. */
	exec_ok(db, "");
	exec_ok(db, "  -- nothing here\n/* nor here */\n");
}

START_TEST(test_db__exec_multi_statement)
{
	for_each_dialect(multi_statement);
}
END_TEST

static void failing_line(retort_db *db, const char *url)
{
	unsigned line = 0;
	int rc = retort_db_exec_script(db,
		"CREATE TABLE ok1 (a INTEGER);\n"          /* 1 */
		"-- comment\n"                              /* 2 */
		"\n"                                        /* 3 */
		"INSERT INTO ok1 VALUES (1);\n"            /* 4 */
		"/* a comment before\n"                    /* 5 */
		"   the bad one */\n"                      /* 6 */
		"INSERT INTO\n"                            /* 7 */
		"  no_such_table VALUES (1);\n"            /* 8 */
		"INSERT INTO ok1 VALUES (2);\n", &line);

	ck_assert_msg(rc < 0, "[%s] script with a bad statement succeeded", db->dialect->name);
	ck_assert_msg(line == 7, "[%s] failing statement reported at line %u, want 7", db->dialect->name, line);
	ck_assert_msg(strstr(errmsg(), "no_such_table") != NULL, "[%s] message '%s' does not name the table",
		db->dialect->name, errmsg());
	if (is_pg(db))
		ck_assert_msg(strstr(errmsg(), "at line 2 of the statement") != NULL,
			"[pg] message '%s' lacks the position", errmsg());
	/* Statements before the failure ran (no implicit transaction), later ones did not. */
	expect_scalar(db, "SELECT count(*) FROM ok1", "1");

	/* A syntax error in the first statement of a later chunk. */
	rc = retort_db_exec_script(db, "SELECT 1;\n\nSELEC 2;\n", &line);
	ck_assert_msg(rc < 0 && line == 3, "[%s] syntax error: rc %d line %u", db->dialect->name, rc, line);
	/* Keyword-less garbage must not be skipped silently (it is, by the bare libpg_query scanner). */
	rc = retort_db_exec_script(db, "SELECT 1;\n'just a string'; foo\n;SELECT 2;", &line);
	ck_assert_msg(rc < 0 && line == 2, "[%s] garbage: rc %d line %u", db->dialect->name, rc, line);
	/* An unterminated string is reported where it starts. */
	rc = retort_db_exec_script(db, "SELECT 1;\nSELECT\n  'abc;\nSELECT 2;\n", &line);
	ck_assert_msg(rc < 0 && (line == 2 || line == 3), "[%s] unterminated: rc %d line %u", db->dialect->name, rc, line);
}

START_TEST(test_db__exec_failing_line)
{
	for_each_dialect(failing_line);
}
END_TEST

/* --- query ----------------------------------------------------------------- */

static void params_and_nulls(retort_db *db, const char *url)
{
	const char *ins[] = { "7", NULL, "x'y\"z;" };
	const char *sel[] = { "7" };
	retort_rows *rows = NULL;

	exec_ok(db, "CREATE TABLE p (id INTEGER, a TEXT, b TEXT)");
	ck_assert_msg(retort_db_query(NULL, db, "INSERT INTO p (id, a, b) VALUES ($1, $2, $3)", 3, ins) == 0,
		"[%s] insert: %s", db->dialect->name, errmsg());
	/* Parameters may repeat and come out of order. */
	ck_assert_msg(retort_db_query(&rows, db,
		"SELECT a, b, id FROM p WHERE CAST(id AS TEXT) = $1 AND id = CAST($1 AS INTEGER)", 1, sel) == 0,
		"[%s] select: %s", db->dialect->name, errmsg());
	ck_assert_uint_eq(rows->nrows, 1);
	ck_assert_uint_eq(rows->ncols, 3);
	ck_assert_str_eq(rows->colnames[0], "a");
	ck_assert_str_eq(rows->colnames[2], "id");
	ck_assert_ptr_null(retort_rows_get(rows, 0, 0));
	ck_assert_str_eq(retort_rows_get(rows, 0, 1), "x'y\"z;");
	ck_assert_str_eq(retort_rows_get(rows, 0, 2), "7");
	retort_rows_free(rows);

	/* Many rows come back in order. */
	exec_ok(db, "CREATE TABLE many (n INTEGER)");
	for (int i = 0; i < 100; i++) {
		char v[16];
		const char *pv[] = { v };
		snprintf(v, sizeof(v), "%d", i);
		ck_assert_int_eq(retort_db_query(NULL, db, "INSERT INTO many VALUES ($1)", 1, pv), 0);
	}
	ck_assert_int_eq(retort_db_query(&rows, db, "SELECT n FROM many ORDER BY n", 0, NULL), 0);
	ck_assert_uint_eq(rows->nrows, 100);
	ck_assert_str_eq(retort_rows_get(rows, 99, 0), "99");
	retort_rows_free(rows);

	/* A statement without rows still returns an (empty) result. */
	ck_assert_int_eq(retort_db_query(&rows, db, "DELETE FROM many", 0, NULL), 0);
	ck_assert_uint_eq(rows->nrows, 0);
	retort_rows_free(rows);

	/* Too few parameters is an error, not a silent NULL. */
	ck_assert_int_lt(retort_db_query(NULL, db, "SELECT $1, $2", 1, sel), 0);
	/* One statement only: a second one is refused, not silently dropped. */
	ck_assert_msg(retort_db_query(NULL, db, "SELECT 1; DELETE FROM p", 0, NULL) < 0,
		"[%s] a two-statement query was accepted", db->dialect->name);
	expect_scalar(db, "SELECT count(*) FROM p", "1");
	/* A trailing semicolon and comment are fine. */
	expect_scalar(db, "SELECT count(*) FROM p; -- done", "1");
}

START_TEST(test_db__query_params_and_nulls)
{
	for_each_dialect(params_and_nulls);
}
END_TEST

/* --- transactions ------------------------------------------------------------ */

static void rollback_case(retort_db *db, const char *url)
{
	bool exists = true;

	ck_assert_int_eq(retort_db_begin(db), 0);
	exec_ok(db, "CREATE TABLE gone (a INTEGER); INSERT INTO gone VALUES (1)");
	ck_assert_int_eq(db->dialect->table_exists(&exists, db, NULL, "gone"), 0);
	ck_assert(exists);
	ck_assert_int_eq(retort_db_rollback(db), 0);
	ck_assert_int_eq(db->dialect->table_exists(&exists, db, NULL, "gone"), 0);
	ck_assert_msg(!exists, "[%s] DDL survived a rollback", db->dialect->name);

	ck_assert_int_eq(retort_db_begin(db), 0);
	exec_ok(db, "CREATE TABLE kept (a INTEGER)");
	ck_assert_int_eq(retort_db_commit(db), 0);
	ck_assert_int_eq(db->dialect->table_exists(&exists, db, NULL, "kept"), 0);
	ck_assert(exists);

	/* A failure inside a transaction, then rollback: the connection stays usable. */
	ck_assert_int_eq(retort_db_begin(db), 0);
	exec_ok(db, "INSERT INTO kept VALUES (1)");
	ck_assert_int_lt(retort_db_exec(db, "INSERT INTO nope VALUES (1)"), 0);
	ck_assert_int_eq(retort_db_rollback(db), 0);
	expect_scalar(db, "SELECT count(*) FROM kept", "0");
	/* Rollback without a transaction is harmless. */
	ck_assert_int_eq(retort_db_rollback(db), 0);

	/*
	 * PostgreSQL sends BEGIN with the transaction's first statement: an
	 * empty transaction, one that starts with a query, one whose first
	 * statement fails, and a nested BEGIN must all behave as if it had
	 * been sent at once.
	 */
	ck_assert_int_eq(retort_db_begin(db), 0);
	ck_assert_int_eq(retort_db_commit(db), 0);
	ck_assert_int_eq(retort_db_begin(db), 0);
	expect_scalar(db, "SELECT count(*) FROM kept", "0");
	exec_ok(db, "INSERT INTO kept VALUES (2)");
	ck_assert_int_eq(retort_db_rollback(db), 0);
	expect_scalar(db, "SELECT count(*) FROM kept", "0");
	ck_assert_int_eq(retort_db_begin(db), 0);
	ck_assert_int_lt(retort_db_exec(db, "INSERT INTO nope VALUES (1); INSERT INTO kept VALUES (3)"), 0);
	ck_assert_int_eq(retort_db_rollback(db), 0);
	expect_scalar(db, "SELECT count(*) FROM kept", "0");
	ck_assert_int_eq(retort_db_begin(db), 0);
	ck_assert_msg(retort_db_begin(db) < 0, "[%s] BEGIN inside a transaction was accepted", db->dialect->name);
	exec_ok(db, "INSERT INTO kept VALUES (4)");
	ck_assert_int_eq(retort_db_commit(db), 0);
	expect_scalar(db, "SELECT count(*) FROM kept", "1");
}

START_TEST(test_db__transaction_rollback)
{
	for_each_dialect(rollback_case);
}
END_TEST

/* --- splitting ------------------------------------------------------------- */

typedef struct split_seen {
	int n;
	unsigned lines[16];
	char *text[16];
} split_seen;

static int collect(const char *sql, size_t len, unsigned line, void *payload)
{
	split_seen *s = payload;

	if (s->n < 16) {
		s->lines[s->n] = line;
		s->text[s->n] = strndup(sql, len);
	}
	s->n++;
	return 0;
}

static void seen_free(split_seen *s)
{
	for (int i = 0; i < s->n && i < 16; i++)
		free(s->text[i]);
}

static const char pg_script[] =
	"/* outer /* nested; */ still; comment */\n"                       /* 1 */
	"CREATE FUNCTION f1() RETURNS int LANGUAGE plpgsql AS $$\n"        /* 2 */
	"BEGIN\n"
	"  RAISE NOTICE 'x;y';\n"
	"  RETURN 1;\n"
	"END;\n"
	"$$;\n"
	"-- a comment; with a semicolon\n"                                 /* 8 */
	"CREATE FUNCTION f2(a text) RETURNS text LANGUAGE plpgsql AS $body$\n" /* 9 */
	"DECLARE s text := $$inner; dollar$$;\n"
	"BEGIN\n"
	"  RETURN a || s || ';';\n"
	"END;\n"
	"$body$;\n"
	"CREATE TABLE e (v text);\n"                                       /* 15 */
	"INSERT INTO e VALUES (E'it\\'s; a \\\\ backslash'), ('two''s;');\n" /* 16 */
	"SELECT 1 /* trailing */\n";                                       /* 17 */

static void pg_split_case(retort_db *db, const char *url)
{
	split_seen s = { 0 };

	if (!is_pg(db))
		return;
	ck_assert_int_eq(db->dialect->split(pg_script, collect, &s), 0);
	ck_assert_msg(s.n == 5, "[pg] split into %d statements, want 5", s.n);
	ck_assert_uint_eq(s.lines[0], 2);
	ck_assert_uint_eq(s.lines[1], 9);
	ck_assert_uint_eq(s.lines[2], 15);
	ck_assert_uint_eq(s.lines[3], 16);
	ck_assert_uint_eq(s.lines[4], 17);
	ck_assert_msg(strstr(s.text[1], "$body$") && strstr(s.text[1], "END;"), "f2 body: %s", s.text[1]);
	seen_free(&s);

	exec_ok(db, pg_script);
	expect_scalar(db, "SELECT f1()", "1");
	expect_scalar(db, "SELECT f2('z')", "zinner; dollar;");
	expect_scalar(db, "SELECT v FROM e WHERE v LIKE 'it%'", "it's; a \\ backslash");
	expect_scalar(db, "SELECT count(*) FROM e", "2");
}

static const char sqlite_script[] =
	"CREATE TABLE log (msg TEXT);\n"                              /* 1 */
	"CREATE TABLE item (id INTEGER PRIMARY KEY, name TEXT);\n"    /* 2 */
	"/* a comment; with semicolons; */\n"                         /* 3 */
	"CREATE TRIGGER item_ins AFTER INSERT ON item\n"              /* 4 */
	"BEGIN\n"
	"  INSERT INTO log VALUES ('added; ' || NEW.name);\n"
	"  INSERT INTO log VALUES ('end');\n"
	"END;\n"
	"-- 'unbalanced quote in a comment; still fine\n"            /* 9 */
	"INSERT INTO item (name) VALUES ('semi;colon');\n"            /* 10 */
	"INSERT INTO item (name) VALUES (\"x\")\n";                   /* 11: no final ; */

static void sqlite_split_case(retort_db *db, const char *url)
{
	split_seen s = { 0 };

	if (is_pg(db))
		return;
	ck_assert_int_eq(db->dialect->split(sqlite_script, collect, &s), 0);
	ck_assert_msg(s.n == 5, "[sqlite] split into %d statements, want 5", s.n);
	ck_assert_uint_eq(s.lines[0], 1);
	ck_assert_uint_eq(s.lines[1], 2);
	ck_assert_uint_eq(s.lines[2], 4);
	ck_assert_uint_eq(s.lines[3], 10);
	ck_assert_uint_eq(s.lines[4], 11);
	ck_assert_msg(strstr(s.text[2], "('end');") != NULL, "trigger body cut: %s", s.text[2]);
	seen_free(&s);

	/* A double-quoted "x" that names no column is a string literal in SQLite. */
	exec_ok(db, sqlite_script);
	expect_scalar(db, "SELECT count(*) FROM log", "4");
	expect_scalar(db, "SELECT msg FROM log WHERE rowid = 1", "added; semi;colon");
}

/*
 * Bodies with ';' inside (a SQL-standard function body, a trigger with
 * CASE ... END), run by exec_script and by the split a `Transactional: no`
 * revision runs: the same statements, the failing one at the line split
 * reports.  PostgreSQL also runs it pipelined, inside a transaction, where
 * only a real COPY ... STDIN/STDOUT is refused.
 */
static const char pg_body_script[] =
	"CREATE TABLE c (a int);\n"                                      /* 1 */
	"CREATE FUNCTION pick(a int, b int) RETURNS int LANGUAGE sql\n"  /* 2 */
	"BEGIN ATOMIC\n"
	"  SELECT CASE WHEN a > b THEN a ELSE b END;\n"
	"END;\n"
	"INSERT INTO c VALUES (pick(2, 7)); COPY (SELECT 1 AS stdout) TO '/dev/null';\n" /* 6 */
	"SELECT no_such_function();\n";                                 /* 7 */

static const char sqlite_body_script[] =
	"CREATE TABLE c (a INTEGER);\n"                                  /* 1 */
	"CREATE TABLE log (m TEXT);\n"                                   /* 2 */
	"CREATE TRIGGER c_ins AFTER INSERT ON c BEGIN\n"                 /* 3 */
	"  INSERT INTO log VALUES (CASE WHEN NEW.a > 5 THEN 'big;' ELSE 'small' END);\n"
	"END;\n"
	"INSERT INTO c VALUES (7); SELECT 'stdout';\n"                   /* 6 */
	"SELECT no_such_function();\n";                                 /* 7 */

static void bodies_case(retort_db *db, const char *url)
{
	const char *script = is_pg(db) ? pg_body_script : sqlite_body_script;
	static const unsigned pg_lines[] = { 1, 2, 6, 6, 7 }, sqlite_lines[] = { 1, 2, 3, 6, 6, 7 };
	const unsigned *want = is_pg(db) ? pg_lines : sqlite_lines;
	int nwant = is_pg(db) ? 5 : 6;
	split_seen s = { 0 };
	unsigned line = 0;

	ck_assert_int_eq(db->dialect->split(script, collect, &s), 0);
	ck_assert_msg(s.n == nwant, "[%s] split into %d statements, want %d", db->dialect->name, s.n, nwant);
	for (int i = 0; i < nwant; i++)
		ck_assert_msg(s.lines[i] == want[i], "[%s] statement %d on line %u, want %u", db->dialect->name,
			i, s.lines[i], want[i]);
	seen_free(&s);

	ck_assert_int_lt(retort_db_exec_script(db, script, &line), 0);
	ck_assert_msg(line == 7 && strstr(errmsg(), "no_such_function"), "[%s] failed at line %u: %s",
		db->dialect->name, line, errmsg());
	expect_scalar(db, is_pg(db) ? "SELECT a FROM c" : "SELECT m FROM log", is_pg(db) ? "7" : "big;");

	/* Statement by statement, as a `Transactional: no` revision runs, on a fresh start. */
	exec_ok(db, is_pg(db) ? "DROP FUNCTION pick(int, int); DROP TABLE c" : "DROP TABLE c; DROP TABLE log");
	memset(&s, 0, sizeof(s));
	ck_assert_int_eq(db->dialect->split(script, collect, &s), 0);
	for (int i = 0; i < nwant - 1; i++)
		exec_ok(db, s.text[i]);
	ck_assert_int_lt(retort_db_exec_script(db, s.text[nwant - 1], &line), 0);
	seen_free(&s);
	expect_scalar(db, is_pg(db) ? "SELECT pick(9, 4)" : "SELECT m FROM log", is_pg(db) ? "9" : "big;");

	if (is_pg(db)) {
		ck_assert_int_eq(retort_db_begin(db), 0);
		exec_ok(db, "DROP FUNCTION pick(int, int); DROP TABLE c");
		ck_assert_int_lt(retort_db_exec_script(db, script, &line), 0);
		ck_assert_msg(line == 7 && strstr(errmsg(), "no_such_function"), "[pg] in a transaction: line %u: %s",
			line, errmsg());
		ck_assert_int_eq(retort_db_rollback(db), 0);
		expect_scalar(db, "SELECT count(*) FROM c", "1");
	}
}

START_TEST(test_db__split_bodies_agree_with_exec)
{
	for_each_dialect(bodies_case);
}
END_TEST

START_TEST(test_db__split_dialect_syntax)
{
	for_each_dialect(pg_split_case);
	for_each_dialect(sqlite_split_case);
}
END_TEST

static int stop_at_second(const char *sql, size_t len, unsigned line, void *payload)
{
	return ++*(int *)payload == 2 ? 42 : 0;
}

static void split_stop_case(retort_db *db, const char *url)
{
	int n = 0;

	ck_assert_int_eq(db->dialect->split("SELECT 1; SELECT 2; SELECT 3;", stop_at_second, &n), 42);
	ck_assert_int_eq(n, 2);
}

static void copy_case(retort_db *db, const char *url)
{
	unsigned line = 0;

	if (!is_pg(db))
		return;
	ck_assert_int_lt(retort_db_exec_script(db, "CREATE TABLE c (a int);\nCOPY c FROM STDIN;\n", &line), 0);
	ck_assert_uint_eq(line, 2);
	ck_assert_msg(strstr(errmsg(), "COPY") != NULL, "message: %s", errmsg());
	/* The connection left the COPY state and still works. */
	expect_scalar(db, "SELECT count(*) FROM c", "0");
}

/* Inside a transaction PostgreSQL pipelines statements; lines and errors must not change. */
static void in_tx_case(retort_db *db, const char *url)
{
	retort_buf sql = RETORT_BUF_INIT;
	unsigned line = 0;
	int rc;

	exec_ok(db, "CREATE TABLE n (i INTEGER PRIMARY KEY)");
	/* 150 statements (several pipeline chunks), the 101st fails on line 101. */
	for (int i = 1; i <= 150; i++)
		retort_buf_printf(&sql, "INSERT INTO n VALUES (%d);\n", i == 101 ? 100 : i);
	ck_assert_int_eq(retort_db_begin(db), 0);
	rc = retort_db_exec_script(db, sql.ptr, &line);
	ck_assert_msg(rc < 0 && line == 101, "[%s] duplicate at 101: rc %d line %u", db->dialect->name, rc, line);
	ck_assert_msg(strstr(errmsg(), "UNIQUE") || strstr(errmsg(), "duplicate"), "[%s] message: %s",
		db->dialect->name, errmsg());
	ck_assert_int_eq(retort_db_rollback(db), 0);
	expect_scalar(db, "SELECT count(*) FROM n", "0");

	/* The same script without the duplicate runs whole and commits. */
	retort_buf_clear(&sql);
	for (int i = 1; i <= 150; i++)
		retort_buf_printf(&sql, "INSERT INTO n VALUES (%d);\n", i);
	retort_buf_puts(&sql, "SELECT count(*) FROM n");
	ck_assert_int_eq(retort_db_begin(db), 0);
	exec_ok(db, sql.ptr);
	ck_assert_int_eq(retort_db_commit(db), 0);
	expect_scalar(db, "SELECT count(*) FROM n", "150");

	/* A syntax error and COPY FROM STDIN inside a transaction. */
	ck_assert_int_eq(retort_db_begin(db), 0);
	rc = retort_db_exec_script(db, "SELECT 1;\nSELECT 2;\nSELEC 3;\n", &line);
	ck_assert_msg(rc < 0 && line == 3, "[%s] syntax error in tx: rc %d line %u", db->dialect->name, rc, line);
	ck_assert_int_eq(retort_db_rollback(db), 0);
	if (is_pg(db)) {
		ck_assert_int_eq(retort_db_begin(db), 0);
		rc = retort_db_exec_script(db, "DELETE FROM n;\n\nCOPY n FROM stdin", &line);
		ck_assert_msg(rc < 0 && line == 3 && strstr(errmsg(), "COPY"), "[pg] COPY in tx: rc %d line %u %s",
			rc, line, errmsg());
		ck_assert_int_eq(retort_db_rollback(db), 0);
		expect_scalar(db, "SELECT count(*) FROM n", "150");

		/* The server going away mid-transaction is an error, never a silent success
		 * (pg_terminate_backend waits for the backend to exit: PostgreSQL 14+). */
		{
			retort_db *killer = open_url(url);
			char *pid = scalar(db, "SELECT pg_backend_pid()", 0, NULL);
			const char *params[] = { pid };
			ck_assert_int_eq(retort_db_begin(db), 0);
			ck_assert_int_eq(retort_db_query(NULL, killer,
				"SELECT pg_terminate_backend(CAST($1 AS integer), 5000)", 1, params), 0);
			rc = retort_db_exec_script(db, "INSERT INTO n VALUES (1000);\nINSERT INTO n VALUES (1001);", &line);
			ck_assert_msg(rc < 0, "[pg] exec on a terminated connection succeeded");
			free(pid);
			retort_db_free(killer);
		}
	}
	retort_buf_dispose(&sql);
}

START_TEST(test_db__exec_in_transaction)
{
	for_each_dialect(in_tx_case);
}
END_TEST

START_TEST(test_db__copy_is_refused)
{
	for_each_dialect(copy_case);
}
END_TEST

START_TEST(test_db__split_callback_stops)
{
	for_each_dialect(split_stop_case);
}
END_TEST

/* --- locks ----------------------------------------------------------------- */

static int waits;
static void on_wait(const char *what, void *payload)
{
	(void)payload;
	ck_assert_ptr_nonnull(what);
	waits++;
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void lock_case(retort_db *db, const char *url)
{
	retort_db *other = open_url(url);
	double t0;
	int rc;

	waits = 0;
	ck_assert_int_eq(retort_db_lock(db, NULL, "retort_version", 5, on_wait, NULL), 0);
	ck_assert_int_eq(waits, 0);
	if (is_pg(db)) {
		/* The advisory lock itself is contended... */
		t0 = now_s();
		rc = retort_db_lock(other, NULL, "retort_version", 1, on_wait, NULL);
		ck_assert_msg(rc == RETORT_ELOCKED, "[pg] second lock: rc %d (%s)", rc, errmsg());
		ck_assert_msg(now_s() - t0 >= 0.9, "[pg] gave up after %.2fs, want ~1s", now_s() - t0);
		ck_assert_int_eq(waits, 1);
		ck_assert_msg(strstr(errmsg(), "public.retort_version") != NULL, "message: %s", errmsg());
		/* ...also when the same table is named with its schema... */
		rc = retort_db_lock(other, "public", "retort_version", 0, NULL, NULL);
		ck_assert_msg(rc == RETORT_ELOCKED, "[pg] lock by qualified name: rc %d (%s)", rc, errmsg());
		/*
		 * The same name in another schema is another table; and the held
		 * lock was resolved when taken, so db's search path changing now
		 * does not stop the unlock below from releasing it.
		 */
		ck_assert_int_eq(retort_db_exec_script(db, "CREATE SCHEMA lk; SET search_path = lk", NULL), 0);
		ck_assert_int_eq(retort_db_lock(other, "lk", "retort_version", 0, NULL, NULL), 0);
		ck_assert_int_eq(retort_db_unlock(other), 0);
		/* Another table is independent. */
		ck_assert_int_eq(retort_db_lock(other, NULL, "other_table", 0, NULL, NULL), 0);
		ck_assert_int_eq(retort_db_unlock(other), 0);
		ck_assert_int_eq(retort_db_unlock(db), 0);
		ck_assert_int_eq(retort_db_lock(other, NULL, "retort_version", 1, on_wait, NULL), 0);
		ck_assert_int_eq(retort_db_unlock(other), 0);
		ck_assert_int_lt(retort_db_unlock(other), 0);
	} else {
		/*
		 * SQLite: the run lock (an flock beside the database file) is
		 * contended like PostgreSQL's advisory lock: it must cover a
		 * Transactional: no script that runs between transactions...
		 */
		t0 = now_s();
		rc = retort_db_lock(other, NULL, "retort_version", 1, on_wait, NULL);
		ck_assert_msg(rc == RETORT_ELOCKED, "[sqlite] second lock: rc %d (%s)", rc, errmsg());
		ck_assert_msg(now_s() - t0 >= 0.9, "[sqlite] gave up after %.2fs, want ~1s", now_s() - t0);
		ck_assert_int_eq(waits, 1);
		/* ...and the write lock of BEGIN IMMEDIATE still guards each transaction. */
		ck_assert_int_eq(retort_db_begin(db), 0);
		t0 = now_s();
		rc = retort_db_begin(other);
		ck_assert_msg(rc == RETORT_ELOCKED, "[sqlite] second BEGIN IMMEDIATE: rc %d (%s)", rc, errmsg());
		ck_assert_msg(now_s() - t0 >= 0.9, "[sqlite] gave up after %.2fs, want ~1s", now_s() - t0);
		ck_assert_int_eq(retort_db_commit(db), 0);
		ck_assert_int_eq(retort_db_unlock(db), 0);
		/* Released: the other connection gets both now. */
		ck_assert_int_eq(retort_db_lock(other, NULL, "retort_version", 1, NULL, NULL), 0);
		ck_assert_int_eq(retort_db_begin(other), 0);
		ck_assert_int_eq(retort_db_commit(other), 0);
		ck_assert_int_eq(retort_db_unlock(other), 0);
	}
	retort_db_free(other);
}

START_TEST(test_db__lock_contention)
{
	for_each_dialect(lock_case);
}
END_TEST

/* --- quoting --------------------------------------------------------------- */

static void hostile_names(retort_db *db, const char *url)
{
	static const char *names[] = {
		"with space", "quo\"te", "select", "Mixed Case", "na\xc3\xafve_\xe8\xa1\xa8", "semi;colon --",
		"it's",
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		retort_buf sql = RETORT_BUF_INIT;
		const char *params[] = { "v" };
		bool exists = false;
		char *got;

		retort_buf_puts(&sql, "CREATE TABLE ");
		retort_db_quote_ident(db, &sql, names[i]);
		retort_buf_puts(&sql, " (");
		retort_db_quote_ident(db, &sql, names[i]);
		retort_buf_puts(&sql, " TEXT)");
		exec_ok(db, sql.ptr);

		retort_buf_clear(&sql);
		retort_buf_puts(&sql, "INSERT INTO ");
		retort_db_quote_ident(db, &sql, names[i]);
		retort_buf_puts(&sql, " VALUES ($1)");
		ck_assert_msg(retort_db_query(NULL, db, sql.ptr, 1, params) == 0, "[%s] %s: %s",
			db->dialect->name, sql.ptr, errmsg());

		retort_buf_clear(&sql);
		retort_buf_puts(&sql, "SELECT ");
		retort_db_quote_ident(db, &sql, names[i]);
		retort_buf_puts(&sql, " FROM ");
		retort_db_quote_ident(db, &sql, names[i]);
		got = scalar(db, sql.ptr, 0, NULL);
		ck_assert_str_eq(got, "v");
		free(got);

		ck_assert_int_eq(db->dialect->table_exists(&exists, db, NULL, names[i]), 0);
		ck_assert_msg(exists, "[%s] table_exists('%s') false", db->dialect->name, names[i]);
		retort_buf_dispose(&sql);
	}
}

START_TEST(test_db__quote_ident_round_trip)
{
	for_each_dialect(hostile_names);
}
END_TEST

static void literal_case(retort_db *db, const char *url)
{
	static const char *values[] = { "plain", "it's", "back\\slash", "both\\'\\\\", "" };

	for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
		retort_buf sql = RETORT_BUF_INIT;
		char *got;

		retort_buf_puts(&sql, "SELECT ");
		db->dialect->quote_literal(&sql, values[i]);
		got = scalar(db, sql.ptr, 0, NULL);
		ck_assert_msg(got && strcmp(got, values[i]) == 0, "[%s] %s gave '%s'", db->dialect->name, sql.ptr, got);
		free(got);
		retort_buf_dispose(&sql);
	}
}

START_TEST(test_db__quote_literal_round_trip)
{
	for_each_dialect(literal_case);
}
END_TEST

/* --- connection ------------------------------------------------------------ */

static void info_case(retort_db *db, const char *url)
{
	bool exists = true;

	ck_assert_int_eq(db->dialect->table_exists(&exists, db, NULL, "nothing_here"), 0);
	ck_assert(!exists);
	/* With a schema: the default one finds the table, another does not. */
	exec_ok(db, "CREATE TABLE here (a INTEGER)");
	ck_assert_int_eq(db->dialect->table_exists(&exists, db, is_pg(db) ? "public" : "main", "here"), 0);
	ck_assert_msg(exists, "[%s] table_exists with the default schema", db->dialect->name);
	if (is_pg(db)) {
		exec_ok(db, "CREATE SCHEMA other");
		ck_assert_int_eq(db->dialect->table_exists(&exists, db, "other", "here"), 0);
		ck_assert(!exists);
	} else {
		ck_assert_int_lt(db->dialect->table_exists(&exists, db, "no_such_schema", "here"), 0);
	}
	ck_assert_ptr_nonnull(db->url);
	ck_assert_int_eq(db->url->dialect, db->dialect->id);
	ck_assert_ptr_eq(retort_dialect_for(db->dialect->id), db->dialect);
	if (!is_pg(db))
		expect_scalar(db, "PRAGMA foreign_keys", "1");
}

START_TEST(test_db__connection_info)
{
	for_each_dialect(info_case);
}
END_TEST

START_TEST(test_db__bad_postgres_url_is_masked)
{
	retort_url *u = NULL;
	retort_db *db = NULL;
	int rc;

	/* libpq refuses an unknown option when the URL is parsed, before any connection */
	rc = retort_url_parse(&u, "postgresql://bob:s3cretpw@localhost/db?no_such_option=1");
	ck_assert_int_eq(rc, RETORT_EUSAGE);
	ck_assert_ptr_null(u);
	ck_assert_msg(strstr(errmsg(), "invalid URI query parameter") != NULL, "message: %s", errmsg());
	ck_assert_msg(strstr(errmsg(), "s3cretpw") == NULL, "password leaked: %s", errmsg());

	/* A refused connection names the URL without the password, however it is spelt. */
	static const char *const urls[] = {
		"postgresql://bob:s3cretpw@127.0.0.1:1/db?connect_timeout=2",
		"postgresql://bob@127.0.0.1:1/db?connect_timeout=2&pass%77ord=s3cretpw",
		"postgresql://bob@127.0.0.1:1/db?connect_timeout=2&%70assword=s3cretpw",
	};
	for (size_t i = 0; i < sizeof(urls) / sizeof(urls[0]); i++) {
		ck_assert_int_eq(retort_url_parse(&u, urls[i]), 0);
		ck_assert_int_lt(retort_db_open(&db, u), 0);
		ck_assert_msg(strstr(errmsg(), "cannot connect to 'postgresql://bob:***@127.0.0.1:1/db?connect_timeout=2'")
			!= NULL, "message: %s", errmsg());
		ck_assert_msg(strstr(errmsg(), "s3cretpw") == NULL, "password leaked: %s", errmsg());
		retort_url_free(u);
	}
	(void)db;
}
END_TEST

START_TEST(test_db__sqlite_bad_path)
{
	retort_url *u = NULL;
	retort_db *db = NULL;

	ck_assert_int_eq(retort_url_parse(&u, "sqlite:////nonexistent-dir/for/sure/x.db"), 0);
	ck_assert_int_lt(retort_db_open(&db, u), 0);
	ck_assert_msg(strstr(errmsg(), "/nonexistent-dir/for/sure/x.db") != NULL, "message: %s", errmsg());
	retort_url_free(u);
}
END_TEST

/* A reader's URL (retort diff): a missing file is an error, and stays missing. */
START_TEST(test_db__sqlite_must_exist)
{
	char dir[] = "/tmp/retort-mustexist.XXXXXX", *path, *text;
	retort_url *u = NULL;
	retort_db *db = NULL;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	path = retort__sprintf("%s/absent.db", dir);
	text = retort__sprintf("sqlite:///%s", path);
	ck_assert_int_eq(retort_url_parse(&u, text), 0);
	u->must_exist = true;
	ck_assert_int_eq(retort_db_open(&db, u), RETORT_ENOTFOUND);
	ck_assert_int_eq(retort_error_last()->klass, RETORT_ERROR_CONFIG);
	ck_assert_msg(strstr(errmsg(), "there is no SQLite database at") != NULL, "message: %s", errmsg());
	ck_assert(!retort__path_exists(path));
	/* a URL built by hand cannot reach SQLite's URI parser either */
	free(u->path);
	u->path = retort__strdup("file:absent.db?mode=memory");
	u->must_exist = false;
	ck_assert_int_eq(retort_db_open(&db, u), RETORT_EUSAGE);
	ck_assert_msg(strstr(errmsg(), "SQLite URI file names") != NULL, "message: %s", errmsg());
	retort_url_free(u);
	rmdir(dir);
	free(path);
	free(text);
}
END_TEST

RETORT_SUITE(db)

Suite *suite_db(void)
{
	Suite *s = suite_create("db");
	TCase *tc;

	tc = tcase_create("exec_script");
	tcase_add_test(tc, test_db__exec_multi_statement);
	tcase_add_test(tc, test_db__exec_failing_line);
	tcase_add_test(tc, test_db__copy_is_refused);
	tcase_add_test(tc, test_db__exec_in_transaction);
	suite_add_tcase(s, tc);

	tc = tcase_create("query");
	tcase_add_test(tc, test_db__query_params_and_nulls);
	suite_add_tcase(s, tc);

	tc = tcase_create("transactions");
	tcase_add_test(tc, test_db__transaction_rollback);
	suite_add_tcase(s, tc);

	tc = tcase_create("split");
	tcase_add_test(tc, test_db__split_dialect_syntax);
	tcase_add_test(tc, test_db__split_callback_stops);
	tcase_add_test(tc, test_db__split_bodies_agree_with_exec);
	suite_add_tcase(s, tc);

	tc = tcase_create("lock");
	tcase_add_test(tc, test_db__lock_contention);
	tcase_set_timeout(tc, 30);
	suite_add_tcase(s, tc);

	tc = tcase_create("quote");
	tcase_add_test(tc, test_db__quote_ident_round_trip);
	tcase_add_test(tc, test_db__quote_literal_round_trip);
	suite_add_tcase(s, tc);

	tc = tcase_create("connect");
	tcase_add_test(tc, test_db__connection_info);
	tcase_add_test(tc, test_db__bad_postgres_url_is_masked);
	tcase_add_test(tc, test_db__sqlite_bad_path);
	tcase_add_test(tc, test_db__sqlite_must_exist);
	suite_add_tcase(s, tc);
	return s;
}
