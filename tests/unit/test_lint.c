/*
 * test_lint.c - lint's comparison of two histories, the rules it applies
 * to new revisions only, and the destructive statement scan of C
 * revisions' SQL, on scripts parsed in memory.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/common.h"
#include "harness/suites.h"
#include "git/lint.h"
#include "graph/script.h"

static retort_script *make(const char *id, const char *revises, const char *up, const char *down)
{
	retort_buf text = RETORT_BUF_INIT;
	retort_script *s = NULL;
	char path[64];
	int rc;

	retort_buf_printf(&text, "-- %s\n--\n-- Revision ID: %s\n-- Revises: %s\n\n-- retort:upgrade\n%s\n",
		id, id, revises, up);
	if (down)
		retort_buf_printf(&text, "\n-- retort:downgrade\n%s\n", down);
	snprintf(path, sizeof(path), "versions/%s.sql", id);
	rc = retort_script_parse(&s, path, text.ptr, text.size);
	ck_assert_msg(rc == 0, "script %s should parse: %s", id, rc ? retort_error_last()->message : "");
	retort_buf_dispose(&text);
	return s;
}

static bool has(const retort_lint_report *r, retort_lint_level level, const char *needle)
{
	for (size_t i = 0; i < r->findings.len; i++) {
		const retort_lint_finding *f = r->findings.items[i];
		if (f->level == level && strstr(f->message, needle))
			return true;
	}
	return false;
}

static retort_lint_report *compare(retort_vec *base, retort_vec *current)
{
	retort_lint_report *r = retort__calloc(1, sizeof(*r));

	ck_assert_int_eq(retort_lint_compare(r, base, current, NULL, NULL), 0);
	return r;
}

START_TEST(test_lint__clean_addition)
{
	retort_vec base = RETORT_VEC_INIT, cur = RETORT_VEC_INIT;
	retort_lint_report *r;

	retort_vec_push(&base, make("aaa", "", "CREATE TABLE t (x int);", "DROP TABLE t;"));
	retort_vec_push(&cur, make("aaa", "", "CREATE TABLE t (x int);", "DROP TABLE t;"));
	retort_vec_push(&cur, make("bbb", "aaa", "CREATE TABLE u (x int);\nCREATE INDEX i ON u (x);", "DROP TABLE u;"));
	r = compare(&base, &cur);
	ck_assert_uint_eq(r->errors, 0);
	ck_assert_uint_eq(r->warnings, 0);
	ck_assert_uint_eq(r->new_revisions, 1);
	ck_assert_uint_eq(r->base_heads, 1);
	ck_assert_uint_eq(r->heads, 1);
	retort_lint_report_free(r);
}
END_TEST

START_TEST(test_lint__edited_and_deleted)
{
	retort_vec base = RETORT_VEC_INIT, cur = RETORT_VEC_INIT;
	retort_lint_report *r;

	retort_vec_push(&base, make("aaa", "", "CREATE TABLE t (x int);", "DROP TABLE t;"));
	retort_vec_push(&base, make("bbb", "aaa", "CREATE TABLE u (x int);", "DROP TABLE u;"));
	retort_vec_push(&cur, make("aaa", "", "CREATE TABLE t (x bigint);", "DROP TABLE t;"));
	r = compare(&base, &cur);
	ck_assert(has(r, RETORT_LINT_ERROR, "revision aaa was edited since the base"));
	ck_assert(has(r, RETORT_LINT_ERROR, "revision bbb was deleted since the base"));
	ck_assert_uint_eq(r->errors, 2);
	retort_lint_report_free(r);
}
END_TEST

START_TEST(test_lint__more_heads_and_unknown_parent)
{
	retort_vec base = RETORT_VEC_INIT, cur = RETORT_VEC_INIT;
	retort_lint_report *r;

	retort_vec_push(&base, make("aaa", "", "SELECT 1;", "SELECT 1;"));
	retort_vec_push(&cur, make("aaa", "", "SELECT 1;", "SELECT 1;"));
	retort_vec_push(&cur, make("bbb", "aaa", "SELECT 2;", "SELECT 2;"));
	retort_vec_push(&cur, make("ccc", "aaa", "SELECT 3;", "SELECT 3;"));
	r = compare(&base, &cur);
	ck_assert_msg(has(r, RETORT_LINT_ERROR, "the history has 2 heads where the base had 1"),
		"two new children of one head must be reported");
	retort_lint_report_free(r);

	retort_vec_push(&base, make("aaa", "", "SELECT 1;", "SELECT 1;"));
	retort_vec_push(&cur, make("aaa", "", "SELECT 1;", "SELECT 1;"));
	retort_vec_push(&cur, make("ddd", "zzz", "SELECT 2;", "SELECT 2;"));
	r = compare(&base, &cur);
	ck_assert(has(r, RETORT_LINT_ERROR, "revision ddd revises 'zzz', which no script defines"));
	ck_assert_uint_eq(r->errors, 1);
	retort_lint_report_free(r);
}
END_TEST

START_TEST(test_lint__warnings_on_new_revisions_only)
{
	retort_vec base = RETORT_VEC_INIT, cur = RETORT_VEC_INIT;
	retort_lint_report *r;
	const retort_lint_finding *f;

	/* The base's own DROP is history: not reported again. */
	retort_vec_push(&base, make("aaa", "", "DROP TABLE legacy;", NULL));
	retort_vec_push(&cur, make("aaa", "", "DROP TABLE legacy;", NULL));
	retort_vec_push(&cur, make("bbb", "aaa", "ALTER TABLE t ADD COLUMN y int;\nALTER TABLE t DROP COLUMN x;", NULL));
	r = compare(&base, &cur);
	ck_assert_uint_eq(r->errors, 0);
	ck_assert_uint_eq(r->warnings, 2);
	ck_assert(has(r, RETORT_LINT_WARNING, "DROP COLUMN t.x"));
	ck_assert(has(r, RETORT_LINT_WARNING, "no retort:downgrade section"));
	f = r->findings.items[1]; /* same file: the whole-file finding (line 0) sorts first */
	ck_assert_str_eq(f->path, "versions/bbb.sql");
	ck_assert_str_eq(f->rule->code, "R110");
	ck_assert_uint_eq(f->lock, RETORT_LOCK_ACCESS_EXCLUSIVE);
	ck_assert_uint_eq(f->line, 8); /* the body starts on line 7; the DROP is its second line */
	retort_lint_report_free(r);
}
END_TEST

START_TEST(test_lint__destructive_scan)
{
	static const struct { const char *sql; unsigned line; const char *what; } cases[] = {
		{ "CREATE TABLE t (x int);", 0, NULL },
		{ "drop table t;", 1, "DROP TABLE" },
		{ "SELECT 1;\n\nTRUNCATE t;", 3, "TRUNCATE" },
		{ "delete from t where x = 1;", 1, "DELETE" },
		{ "ALTER TABLE t DROP CONSTRAINT c;", 0, NULL },
		{ "ALTER TABLE t ALTER COLUMN x DROP NOT NULL;", 0, NULL },
		{ "ALTER TABLE t ALTER COLUMN x DROP DEFAULT;", 0, NULL },
		{ "ALTER TABLE t DROP x;", 1, "ALTER TABLE ... DROP COLUMN" },
		{ "DROP INDEX i; DROP VIEW v;", 0, NULL },
		{ "-- DROP TABLE t;\nSELECT 'DROP TABLE t';", 0, NULL },
		{ "/* DROP TABLE t; /* nested */ */ SELECT 1;", 0, NULL },
		{ "CREATE FUNCTION f() RETURNS void AS $$ BEGIN DELETE FROM t; END $$ LANGUAGE plpgsql;", 0, NULL },
		{ "CREATE FUNCTION f() RETURNS void AS $body$ DROP TABLE t; $body$ LANGUAGE sql;\nDROP SCHEMA s;", 2, "DROP SCHEMA" },
		{ "SELECT \"DROP\" FROM t; DROP DATABASE d;", 1, "DROP DATABASE" },
	};

	for (size_t i = 0; i < RETORT_ARRAY_SIZE(cases); i++) {
		const char *what = NULL;
		unsigned line = retort_lint_find_destructive(cases[i].sql, &what);
		ck_assert_msg(line == cases[i].line, "scan('%s') = line %u, want %u", cases[i].sql, line, cases[i].line);
		if (cases[i].what)
			ck_assert_msg(what && strcmp(what, cases[i].what) == 0, "scan('%s') = '%s', want '%s'",
				cases[i].sql, what ? what : "(none)", cases[i].what);
	}
}
END_TEST

/* Statements are what the project's dialect says they are. */
START_TEST(test_lint__destructive_by_dialect)
{
	static const char trigger[] =
		"CREATE TRIGGER tr AFTER INSERT ON t BEGIN\n"
		"  UPDATE t SET a = 1;\n"
		"  DELETE FROM log;\n"
		"END;\n"
		"SELECT [a;DROP TABLE t];";
	retort_vec base = RETORT_VEC_INIT, cur = RETORT_VEC_INIT;
	retort_lint_report *r = retort__calloc(1, sizeof(*r));
	const char *what = NULL;

	/* SQLite keeps a trigger body and a [quoted;name] whole; PostgreSQL knows neither */
	ck_assert_uint_eq(retort_lint_find_destructive_in(RETORT_DIALECT_SQLITE, trigger, &what), 0);
	ck_assert_uint_eq(retort_lint_find_destructive_in(RETORT_DIALECT_POSTGRES, trigger, &what), 3);
	ck_assert_str_eq(what, "DELETE");
	/* a body of BEGIN ATOMIC is the function's, a WITH clause qualifies the DELETE after it */
	ck_assert_uint_eq(retort_lint_find_destructive("CREATE FUNCTION f() RETURNS void LANGUAGE sql\n"
		"BEGIN ATOMIC DELETE FROM t; TRUNCATE u; END;\n"
		"WITH old AS (SELECT 1)\nDELETE FROM t;", &what), 4);
	ck_assert_str_eq(what, "DELETE");
	ck_assert_uint_eq(retort_lint_find_destructive("ALTER TABLE t\n  DROP \"Mixed Case\";", &what), 2);
	ck_assert_str_eq(what, "ALTER TABLE ... DROP COLUMN");
	ck_assert_uint_eq(retort_lint_find_destructive("SELECT 'x'\r\n;\r\ntruncate t;", &what), 3);

	/* the comparison reads new revisions in the report's dialect */
	r->dialect = RETORT_DIALECT_SQLITE;
	retort_vec_push(&cur, make("aaa", "", trigger, "DROP TRIGGER tr;"));
	ck_assert_int_eq(retort_lint_compare(r, &base, &cur, NULL, NULL), 0);
	ck_assert_msg(r->findings.len == 0, "nothing inside a trigger body or a quoted name counts: %s",
		r->findings.len ? ((retort_lint_finding *)r->findings.items[0])->message : "");
	retort_lint_report_free(r);
}
END_TEST

/* Revisions of the base teach the rules; only new ones are reported, in upgrade order. */
START_TEST(test_lint__base_teaches_the_rules)
{
	retort_vec base = RETORT_VEC_INIT, cur = RETORT_VEC_INIT;
	retort_lint_report *r;
	const retort_lint_finding *f;

	retort_vec_push(&base, make("aaa", "", "CREATE TABLE t (x varchar(10), y int);", "DROP TABLE t;"));
	retort_vec_push(&base, make("bbb", "aaa", "ALTER TABLE t ADD CONSTRAINT y_nn CHECK (y IS NOT NULL) NOT VALID;",
		"SELECT 1;"));
	retort_vec_push(&cur, make("aaa", "", "CREATE TABLE t (x varchar(10), y int);", "DROP TABLE t;"));
	retort_vec_push(&cur, make("bbb", "aaa", "ALTER TABLE t ADD CONSTRAINT y_nn CHECK (y IS NOT NULL) NOT VALID;",
		"SELECT 1;"));
	/* listed before its parent: the order comes from Revises, not from the vec */
	retort_vec_insert(&cur, 0, make("ddd", "ccc", "ALTER TABLE t ALTER COLUMN y SET NOT NULL;\n"
		"ALTER TABLE t ALTER COLUMN x TYPE varchar(20);", "SELECT 1;"));
	retort_vec_push(&cur, make("ccc", "bbb", "ALTER TABLE t VALIDATE CONSTRAINT y_nn;", "SELECT 1;"));
	r = compare(&base, &cur);
	ck_assert_msg(r->findings.len == 0, "a validated CHECK and a widened varchar need nothing: %s",
		r->findings.len ? ((retort_lint_finding *)r->findings.items[0])->message : "");
	retort_lint_report_free(r);

	/* without the VALIDATE the SET NOT NULL scans; the base's own CREATE is not reported */
	retort_vec_push(&base, make("aaa", "", "CREATE TABLE t (x varchar(10), y int);", "DROP TABLE t;"));
	retort_vec_push(&cur, make("aaa", "", "CREATE TABLE t (x varchar(10), y int);", "DROP TABLE t;"));
	retort_vec_push(&cur, make("bbb", "aaa", "ALTER TABLE t ALTER COLUMN y SET NOT NULL;", "SELECT 1;"));
	r = compare(&base, &cur);
	ck_assert_uint_eq(r->findings.len, 1);
	f = r->findings.items[0];
	ck_assert_str_eq(f->rule->code, "R106");
	ck_assert_str_eq(f->revision, "bbb");
	ck_assert_str_eq(f->table, "t");
	retort_lint_report_free(r);
}
END_TEST

RETORT_SUITE(lint)

Suite *suite_lint(void)
{
	Suite *s = suite_create("lint");
	TCase *tc = tcase_create("retort_lint_compare");
	TCase *td = tcase_create("retort_lint_find_destructive");

	tcase_add_test(tc, test_lint__clean_addition);
	tcase_add_test(tc, test_lint__edited_and_deleted);
	tcase_add_test(tc, test_lint__more_heads_and_unknown_parent);
	tcase_add_test(tc, test_lint__warnings_on_new_revisions_only);
	tcase_add_test(tc, test_lint__base_teaches_the_rules);
	tcase_add_test(td, test_lint__destructive_scan);
	tcase_add_test(td, test_lint__destructive_by_dialect);
	suite_add_tcase(s, tc);
	suite_add_tcase(s, td);
	return s;
}
