/*
 * test_sql_split.c - splitting scripts into statements and classifying
 * them (sql.h), for both dialects.
 *
 * Oracles from outside this module: SQLite's own statement ends
 * (sqlite3_prepare_v2's tail, running each statement on an in-memory
 * database), libpg_query's parser for PostgreSQL's statement starts, and
 * PostgreSQL's parse tree for what a statement is; hand-written
 * expectations where no such oracle exists.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <pg_query.h>
#include <sqlite3.h>

#include "base/common.h"
#include "harness/suites.h"
#include "sql/sql.h"

#define S RETORT_DIALECT_SQLITE
#define P RETORT_DIALECT_POSTGRES

static size_t first_offset(const retort_sql_script *s, const retort_sql_stmt *st)
{
	size_t i = st->token;

	while (retort_sql_blank(&s->tokens[i]))
		i++;
	return s->tokens[i].offset;
}

/* The statements' first lines must be `lines` (0-terminated). */
static retort_sql_script *expect_lines(retort_dialect_id d, const char *sql, const unsigned *lines)
{
	retort_sql_script *s = NULL;
	size_t n = 0;

	ck_assert_int_eq(retort_sql_script_read(&s, d, sql, strlen(sql)), 0);
	while (lines[n])
		n++;
	ck_assert_msg(s->nstmts == n, "%s: %zu statements, want %zu", sql, s->nstmts, n);
	for (size_t i = 0; i < n; i++)
		ck_assert_msg(s->stmts[i].line == lines[i], "%s: statement %zu on line %u, want %u",
			sql, i, s->stmts[i].line, lines[i]);
	return s;
}

/*
 * Run `sql` statement by statement through sqlite3_prepare_v2's tail on
 * a fresh in-memory database (every statement must succeed) and check that
 * the splitter ends each statement at the ';' SQLite ended it at.
 */
static void agree_with_sqlite(const char *sql)
{
	retort_sql_script *s = NULL;
	sqlite3 *db = NULL;
	const char *p = sql, *tail;
	size_t n = 0;

	ck_assert_int_eq(sqlite3_open(":memory:", &db), SQLITE_OK);
	ck_assert_int_eq(retort_sql_script_read(&s, S, sql, strlen(sql)), 0);
	while (*p) {
		sqlite3_stmt *stmt = NULL;
		int rc = sqlite3_prepare_v2(db, p, -1, &stmt, &tail);
		ck_assert_msg(rc == SQLITE_OK, "prepare '%s': %s", p, sqlite3_errmsg(db));
		if (!stmt)
			break; /* only blanks were left */
		while ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
			;
		ck_assert_msg(rc == SQLITE_DONE, "step '%s': %s", p, sqlite3_errmsg(db));
		sqlite3_finalize(stmt);
		ck_assert_msg(n < s->nstmts, "SQLite found more statements than the splitter's %zu", s->nstmts);
		if (tail[-1] == ';')
			ck_assert_msg(s->stmts[n].offset + s->stmts[n].len == (size_t)(tail - 1 - sql),
				"statement %zu ends at %zu, SQLite's at %zu", n,
				s->stmts[n].offset + s->stmts[n].len, (size_t)(tail - 1 - sql));
		n++;
		p = tail;
	}
	ck_assert_uint_eq(n, s->nstmts);
	retort_sql_script_free(s);
	sqlite3_close(db);
}

START_TEST(test_sql_split__sqlite_matches_prepare)
{
	agree_with_sqlite(
		"CREATE TABLE \"a;b\" ([c;d] TEXT, `e;f` BLOB DEFAULT x'3b', g INT CHECK (g <> 0x3B));\n"
		"/* ; */ CREATE TABLE log (m TEXT); -- ; \n"
		"CREATE TRIGGER tr AFTER INSERT ON \"a;b\" BEGIN\n"
		"  INSERT INTO log VALUES ('x;' || CASE WHEN NEW.g = 1 THEN 'one;' END);\n"
		"  UPDATE log SET m = (SELECT CASE m WHEN 'end' THEN 'END;' ELSE m END);\n"
		"END;\n"
		"CREATE TEMP TRIGGER t2 BEFORE DELETE ON log BEGIN SELECT RAISE(ABORT, 'no;'); END;\n"
		"EXPLAIN CREATE TRIGGER t3 AFTER DELETE ON log BEGIN SELECT 1; END;\n"
		"INSERT INTO \"a;b\" ([c;d], `e;f`, g) VALUES ('it''s;', x'00', 1);;;\n"
		"SELECT m, [c;d] FROM log, \"a;b\"\r\n;\r\nSELECT ?1, :x, @y, $z;\n"
		"SELECT 1 -- no final semicolon");
}
END_TEST

START_TEST(test_sql_split__sqlite_lines_and_text)
{
	static const unsigned lines[] = { 2, 4, 8, 9, 0 };
	retort_sql_script *s = expect_lines(S,
		"-- header; comment\n"
		"CREATE TABLE t (a);\n"              /* 2 */
		"/* ; */\n"
		"CREATE TRIGGER tr AFTER INSERT ON t\n" /* 4 */
		"BEGIN\n"
		"  SELECT CASE WHEN 1 THEN 'end' END; SELECT 'x';\n"
		"END;\r\n"
		"\"quoted;ident\";\r\n"             /* 8 */
		"[bracket;ident] ; ; -- trailing\n"  /* 9 */
		"/* only a comment after the last ; */", lines);

	ck_assert_msg(strstr(s->text + s->stmts[1].offset, "SELECT 'x';\nEND") != NULL, "trigger body cut");
	ck_assert_uint_eq(s->stmts[1].offset + s->stmts[1].len, (size_t)(strstr(s->text, "\nEND;") + 4 - s->text));
	ck_assert_str_eq(s->stmts[1].cls.command, "CREATE TRIGGER");
	/* statements start right after the previous ';': leading blanks are theirs */
	ck_assert_uint_eq(s->stmts[0].offset, 0);
	ck_assert_int_eq(s->text[s->stmts[2].offset], '\r');
	retort_sql_script_free(s);
}
END_TEST

/* Where libpg_query's parser starts statements, the splitter must too. */
static void agree_with_pg_parser(const char *sql, size_t want)
{
	PgQuerySplitResult r = pg_query_split_with_parser(sql);
	retort_sql_script *s = NULL;

	ck_assert_msg(!r.error, "parser: %s", r.error ? r.error->message : "");
	ck_assert_int_eq(retort_sql_script_read(&s, P, sql, strlen(sql)), 0);
	ck_assert_ptr_null(s->error);
	ck_assert_msg(s->nstmts == want && (size_t)r.n_stmts == want, "%zu statements, parser %d, want %zu",
		s->nstmts, r.n_stmts, want);
	for (size_t i = 0; i < want; i++) {
		size_t at = (size_t)r.stmts[i]->stmt_location;
		size_t first = at + retort_sql_skip_blank(P, sql + at, strlen(sql) - at, NULL);
		ck_assert_msg(first_offset(s, &s->stmts[i]) == first, "statement %zu starts at %zu, parser's at %zu",
			i, first_offset(s, &s->stmts[i]), first);
	}
	retort_sql_script_free(s);
	pg_query_free_split_result(r);
}

START_TEST(test_sql_split__pg_matches_parser)
{
	agree_with_pg_parser(
		"/* outer /* nested; */ still; */ CREATE TABLE t (a int);\n"
		"CREATE FUNCTION add(a int, b int) RETURNS int LANGUAGE sql\n"
		"BEGIN ATOMIC\n"
		"  SELECT CASE WHEN a > b THEN a ELSE b END;\n"
		"  SELECT a + b;\n"
		"END;\n"
		"CREATE OR REPLACE PROCEDURE p() LANGUAGE sql BEGIN ATOMIC INSERT INTO t VALUES (1); END;\n"
		"CREATE RULE r AS ON INSERT TO t DO ALSO (NOTIFY a; NOTIFY b);\n"
		"CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $body$\n"
		"DECLARE s text := $$in; side$$; BEGIN RETURN 1; END;\n"
		"$body$;\n"
		"SELECT E'it\\'s;', 'a''b;', U&\"x;y\", \"q;\"\"r\", $q$;$q$;;;\r\n"
		"BEGIN; COMMIT", 8);
	/* a function may be named "begin": only BEGIN ATOMIC opens a body */
	agree_with_pg_parser("CREATE FUNCTION begin() RETURNS int LANGUAGE sql RETURN 1; SELECT begin();", 2);
	agree_with_pg_parser("CREATE FUNCTION g() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; END; SELECT 2", 2);
}
END_TEST

typedef struct seen {
	int n;
	unsigned lines[8];
	char *text[8];
} seen;

static int collect(const char *sql, size_t len, unsigned line, void *payload)
{
	seen *s = payload;

	if (s->n < 8) {
		s->lines[s->n] = line;
		s->text[s->n] = retort__strndup(sql, len);
	}
	return ++s->n == 3 ? 7 : 0;
}

START_TEST(test_sql_split__callback_and_errors)
{
	seen s = { 0 };
	unsigned line = 99;

	/* the callback's non-zero stops the split and is its result; err_line names its statement */
	ck_assert_int_eq(retort_sql_split(S, "SELECT 1;\n-- x\nSELECT 2; SELECT 3; SELECT 4", &line, collect, &s), 7);
	ck_assert_int_eq(s.n, 3);
	ck_assert_uint_eq(s.lines[1], 3);
	ck_assert_str_eq(s.text[1], "\n-- x\nSELECT 2");
	ck_assert_uint_eq(line, 3);
	for (int i = 0; i < 3; i++)
		free(s.text[i]);

	/* PostgreSQL's scanner rejects the script: nothing is called, the line is where it stopped */
	memset(&s, 0, sizeof(s));
	ck_assert_int_lt(retort_sql_split(P, "SELECT 1;\nSELECT 2;\nSELECT 'open", NULL, collect, &s), 0);
	ck_assert_int_eq(s.n, 0);
	ck_assert_str_eq(retort_error_last()->message, "line 3: unterminated quoted string at or near \"'open\"");
	ck_assert_int_lt(retort_sql_split(P, "SELECT 1;\n\nSELECT 2abc", &line, collect, &s), 0);
	ck_assert_uint_eq(line, 3);
	ck_assert_ptr_nonnull(strstr(retort_error_last()->message, "trailing junk"));
	ck_assert_int_eq(s.n, 0);
	/* SQLite's lexer rejects nothing: an open quote runs to the end of its statement */
	ck_assert_int_eq(retort_sql_split(S, "SELECT 1; SELECT 'open; x", NULL, collect, &s), 0);
	ck_assert_int_eq(s.n, 2);
	ck_assert_str_eq(s.text[1], " SELECT 'open; x");
	for (int i = 0; i < 2; i++)
		free(s.text[i]);
}
END_TEST

typedef struct cls_case {
	retort_dialect_id d;
	const char *sql;
	retort_sql_txn txn;
	retort_sql_copy copy;
	const char *command;
} cls_case;

START_TEST(test_sql_split__classify)
{
	static const cls_case cases[] = {
		{ S, "begin immediate transaction", RETORT_SQL_TXN_BEGIN, 0, "BEGIN" },
		{ S, "END", RETORT_SQL_TXN_COMMIT, 0, "END" },
		{ S, "ROLLBACK TRANSACTION TO SAVEPOINT s", RETORT_SQL_TXN_ROLLBACK_TO, 0, "ROLLBACK" },
		{ S, "rollback to s", RETORT_SQL_TXN_ROLLBACK_TO, 0, "ROLLBACK" },
		{ S, "ROLLBACK", RETORT_SQL_TXN_ROLLBACK, 0, "ROLLBACK" },
		{ S, "RELEASE SAVEPOINT s", RETORT_SQL_TXN_RELEASE, 0, "RELEASE" },
		/* no ABORT statement or COPY in SQLite */
		{ S, "ABORT", RETORT_SQL_TXN_NONE, 0, "ABORT" },
		{ S, "COPY t FROM STDIN", RETORT_SQL_TXN_NONE, 0, "COPY" },
		{ S, "-- BEGIN;\n/* COMMIT */ CREATE TEMP TRIGGER IF NOT EXISTS t", 0, 0, "CREATE TRIGGER" },
		{ S, "CREATE UNIQUE INDEX i ON t (a)", 0, 0, "CREATE INDEX" },
		{ S, "CREATE VIRTUAL TABLE v USING fts5(x)", 0, 0, "CREATE VIRTUAL TABLE" },
		{ S, "\"BEGIN\"", 0, 0, "" },
		{ S, "WITH RECURSIVE c(x) AS (SELECT 1 UNION SELECT x + 1 FROM c) DELETE FROM t", 0, 0, "DELETE" },
		{ S, "", 0, 0, "" },
		{ P, "START TRANSACTION READ ONLY", RETORT_SQL_TXN_BEGIN, 0, "START" },
		{ P, "ABORT WORK", RETORT_SQL_TXN_ROLLBACK, 0, "ABORT" },
		{ P, "ROLLBACK PREPARED 'x'", RETORT_SQL_TXN_ROLLBACK_PREPARED, 0, "ROLLBACK" },
		{ P, "PREPARE q AS SELECT 1", RETORT_SQL_TXN_NONE, 0, "PREPARE" },
		{ P, "copy t (a, b) from stdin with (format csv)", 0, RETORT_SQL_COPY_IN, "COPY" },
		{ P, "COPY (SELECT 'stdin' FROM t) TO STDOUT", 0, RETORT_SQL_COPY_OUT, "COPY" },
		{ P, "COPY (SELECT 1 FROM stdin) TO '/tmp/x'", 0, 0, "COPY" },
		{ P, "COPY t TO '/tmp/stdout.csv'", 0, 0, "COPY" },
		{ P, "CREATE OR REPLACE TEMP VIEW v AS SELECT 1", 0, 0, "CREATE VIEW" },
		{ P, "create unlogged table t (a int)", 0, 0, "CREATE TABLE" },
		{ P, "DROP MATERIALIZED VIEW IF EXISTS m", 0, 0, "DROP MATERIALIZED VIEW" },
		{ P, "ALTER FOREIGN DATA WRAPPER w OPTIONS (a 'b')", 0, 0, "ALTER FOREIGN DATA WRAPPER" },
		{ P, "CREATE TEXT SEARCH CONFIGURATION c (COPY = english)", 0, 0, "CREATE TEXT SEARCH CONFIGURATION" },
		{ P, "ALTER TABLE ONLY t DROP COLUMN a", 0, 0, "ALTER TABLE" },
		{ P, "TRUNCATE TABLE t", 0, 0, "TRUNCATE" },
		{ P, "WITH d AS MATERIALIZED (DELETE FROM t RETURNING *), e AS (SELECT 1) INSERT INTO u SELECT * FROM d",
			0, 0, "INSERT" },
		{ P, "CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; END", 0, 0, "CREATE FUNCTION" },
		{ P, "$$BEGIN$$", 0, 0, "" },
	};

	for (size_t i = 0; i < RETORT_ARRAY_SIZE(cases); i++) {
		const cls_case *c = &cases[i];
		retort_sql_class cls;
		retort_sql_classify_text(&cls, c->d, c->sql, strlen(c->sql));
		ck_assert_msg(cls.txn == c->txn && cls.copy == c->copy && strcmp(cls.command, c->command) == 0,
			"[%s] %s: txn %d copy %d command '%s', want %d %d '%s'", c->d == S ? "sqlite" : "pg",
			c->sql, cls.txn, cls.copy, cls.command, c->txn, c->copy, c->command);
	}
}
END_TEST

/* What PostgreSQL's own parse tree says a statement is, in the classifier's terms. */
static void class_from_tree(retort_sql_txn *txn, retort_sql_copy *copy, const char *sql)
{
	static const struct { const char *kind; retort_sql_txn txn; } kinds[] = {
		{ "TRANS_STMT_BEGIN", RETORT_SQL_TXN_BEGIN }, { "TRANS_STMT_START", RETORT_SQL_TXN_BEGIN },
		{ "TRANS_STMT_COMMIT", RETORT_SQL_TXN_COMMIT }, { "TRANS_STMT_ROLLBACK", RETORT_SQL_TXN_ROLLBACK },
		{ "TRANS_STMT_SAVEPOINT", RETORT_SQL_TXN_SAVEPOINT }, { "TRANS_STMT_RELEASE", RETORT_SQL_TXN_RELEASE },
		{ "TRANS_STMT_ROLLBACK_TO", RETORT_SQL_TXN_ROLLBACK_TO }, { "TRANS_STMT_PREPARE", RETORT_SQL_TXN_PREPARE },
		{ "TRANS_STMT_COMMIT_PREPARED", RETORT_SQL_TXN_COMMIT_PREPARED },
		{ "TRANS_STMT_ROLLBACK_PREPARED", RETORT_SQL_TXN_ROLLBACK_PREPARED },
	};
	json_t *tree = NULL, *stmt, *node;

	*txn = RETORT_SQL_TXN_NONE;
	*copy = RETORT_SQL_COPY_NONE;
	ck_assert_msg(retort_sql_pg_parse(&tree, sql, strlen(sql)) == 0, "%s: %s", sql, retort_error_last()->message);
	stmt = json_object_get(json_array_get(json_object_get(tree, "stmts"), 0), "stmt");
	if ((node = json_object_get(stmt, "TransactionStmt"))) {
		const char *kind = json_string_value(json_object_get(node, "kind"));
		for (size_t i = 0; kind && i < RETORT_ARRAY_SIZE(kinds); i++)
			if (!strcmp(kind, kinds[i].kind))
				*txn = kinds[i].txn;
		ck_assert_msg(*txn != RETORT_SQL_TXN_NONE, "%s: unknown kind %s", sql, kind ? kind : "(none)");
	} else if ((node = json_object_get(stmt, "CopyStmt")) && !json_object_get(node, "filename") &&
			!json_is_true(json_object_get(node, "is_program"))) {
		*copy = json_is_true(json_object_get(node, "is_from")) ? RETORT_SQL_COPY_IN : RETORT_SQL_COPY_OUT;
	}
	json_decref(tree);
}

START_TEST(test_sql_split__classify_agrees_with_pg_parser)
{
	static const char *const sqls[] = {
		"BEGIN", "begin work", "BEGIN TRANSACTION ISOLATION LEVEL SERIALIZABLE, READ ONLY",
		"START TRANSACTION", "COMMIT", "COMMIT AND CHAIN", "END", "END TRANSACTION", "ROLLBACK",
		"ROLLBACK AND NO CHAIN", "ABORT", "ABORT TRANSACTION", "SAVEPOINT s", "RELEASE s",
		"RELEASE SAVEPOINT s", "ROLLBACK TO s", "ROLLBACK TO SAVEPOINT s", "ROLLBACK WORK TO SAVEPOINT s",
		"ROLLBACK TRANSACTION TO s", "PREPARE TRANSACTION 'g'", "COMMIT PREPARED 'g'",
		"ROLLBACK PREPARED 'g'", "PREPARE p AS SELECT 1", "EXECUTE p", "DEALLOCATE p",
		"COPY t FROM STDIN", "COPY t TO STDOUT", "COPY t (a) FROM stdin WITH (FORMAT csv)",
		"COPY (SELECT * FROM t) TO STDOUT", "COPY (SELECT 'stdin') TO '/tmp/f'", "COPY t FROM '/tmp/f'",
		"COPY t TO PROGRAM 'cat'", "COPY t TO STDIN", "COPY t FROM STDOUT", "COPY BINARY t FROM STDIN",
		"/* BEGIN; */ SELECT 'COMMIT'", "SELECT 1", "DO $$BEGIN COMMIT; END$$",
		"CREATE TABLE stdin (a int)", "CREATE PROCEDURE p() LANGUAGE sql BEGIN ATOMIC SELECT 1; END",
		"LOCK TABLE t", "DECLARE c CURSOR FOR SELECT 1",
	};

	for (size_t i = 0; i < RETORT_ARRAY_SIZE(sqls); i++) {
		retort_sql_txn txn;
		retort_sql_copy copy;
		retort_sql_class cls;
		class_from_tree(&txn, &copy, sqls[i]);
		retort_sql_classify_text(&cls, P, sqls[i], strlen(sqls[i]));
		ck_assert_msg(cls.txn == txn && cls.copy == copy, "%s: txn %d copy %d, the parse tree says %d %d",
			sqls[i], cls.txn, cls.copy, txn, copy);
	}
}
END_TEST

/* What the run's transaction guard refuses (db.h): whatever ends or replaces the transaction. */
START_TEST(test_sql_split__txn_ends)
{
	static const struct { retort_dialect_id d; const char *sql; bool ends; } cases[] = {
		{ P, "COMMIT", true }, { P, "end transaction", true }, { P, "ABORT", true },
		{ P, "BEGIN", true }, { P, "START TRANSACTION READ ONLY", true }, { P, "ROLLBACK AND CHAIN", true },
		{ P, "PREPARE TRANSACTION 'g'", true }, { P, "COMMIT PREPARED 'g'", true },
		{ P, "SAVEPOINT s", false }, { P, "RELEASE s", false }, { P, "ROLLBACK TO SAVEPOINT s", false },
		{ P, "PREPARE p AS SELECT 1", false }, { P, "DO $$BEGIN COMMIT; END$$", false },
		{ P, "CREATE PROCEDURE p() LANGUAGE sql BEGIN ATOMIC SELECT 1; END", false },
		{ P, "SELECT 'COMMIT'", false }, { P, "/* ROLLBACK */ SELECT 1", false },
		{ S, "COMMIT TRANSACTION", true }, { S, "END", true }, { S, "ROLLBACK", true },
		{ S, "BEGIN IMMEDIATE", true }, { S, "ROLLBACK TO s", false }, { S, "RELEASE SAVEPOINT s", false },
		{ S, "CREATE TRIGGER tr AFTER INSERT ON t BEGIN SELECT 1; END", false },
		{ S, "SELECT 'ROLLBACK'", false },
	};

	for (size_t i = 0; i < RETORT_ARRAY_SIZE(cases); i++) {
		retort_sql_class cls;
		retort_sql_classify_text(&cls, cases[i].d, cases[i].sql, strlen(cases[i].sql));
		ck_assert_msg(retort_sql_txn_ends(cls.txn) == cases[i].ends, "%s: ends %d, expected %d",
			cases[i].sql, retort_sql_txn_ends(cls.txn), cases[i].ends);
	}
}
END_TEST

START_TEST(test_sql_split__pg_parse_tree)
{
	json_t *tree = NULL;
	const char *sql = "CREATE TABLE t (a int);\nALTER TABLE t ADD COLUMN b text";

	ck_assert_int_eq(retort_sql_pg_parse(&tree, sql, strlen(sql)), 0);
	ck_assert_uint_eq(json_array_size(json_object_get(tree, "stmts")), 2);
	ck_assert_ptr_nonnull(json_object_get(json_object_get(json_array_get(json_object_get(tree, "stmts"), 1),
		"stmt"), "AlterTableStmt"));
	json_decref(tree);
	/* only `len` bytes count */
	ck_assert_int_eq(retort_sql_pg_parse(&tree, sql, 22), 0);
	ck_assert_uint_eq(json_array_size(json_object_get(tree, "stmts")), 1);
	json_decref(tree);
	ck_assert_int_lt(retort_sql_pg_parse(&tree, "SELECT 1;\nSELEC 2", 17), 0);
	ck_assert_ptr_null(tree);
	ck_assert_int_eq(retort_error_last()->klass, RETORT_ERROR_SCRIPT);
	ck_assert_str_eq(retort_error_last()->message, "line 2: syntax error at or near \"SELEC\"");
}
END_TEST

RETORT_SUITE(sql_split)

Suite *suite_sql_split(void)
{
	Suite *s = suite_create("sql_split");
	TCase *split = tcase_create("retort_sql_script_read");
	TCase *cls = tcase_create("retort_sql_classify");

	tcase_add_test(split, test_sql_split__sqlite_matches_prepare);
	tcase_add_test(split, test_sql_split__sqlite_lines_and_text);
	tcase_add_test(split, test_sql_split__pg_matches_parser);
	tcase_add_test(split, test_sql_split__callback_and_errors);
	tcase_add_test(cls, test_sql_split__classify);
	tcase_add_test(cls, test_sql_split__classify_agrees_with_pg_parser);
	tcase_add_test(cls, test_sql_split__pg_parse_tree);
	tcase_add_test(cls, test_sql_split__txn_ends);
	suite_add_tcase(s, split);
	suite_add_tcase(s, cls);
	return s;
}
