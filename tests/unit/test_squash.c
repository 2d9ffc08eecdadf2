/*
 * test_squash.c - which statements a baseline lists as data migrations
 * (retort_squash_data_migrations): by what each statement does, in the
 * dialect's own reading, never by words inside comments, strings or
 * bodies.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "autogen/squash.h"
#include "base/buf.h"
#include "graph_fixture.h"
#include "harness/suites.h"

static char *listed(retort_dialect_id dialect, const char *path, const char *upgrade)
{
	retort_vec scripts = RETORT_VEC_INIT, out = RETORT_VEC_INIT;
	retort_script *s = NULL;
	char *text = retort__sprintf("-- m\n-- Revision ID: r7\n\n-- retort:upgrade\n%s\n", upgrade), *got;
	retort_buf b = RETORT_BUF_INIT;

	ck_assert_int_eq(retort_script_parse(&s, path, text, strlen(text)), 0);
	retort_vec_push(&scripts, s);
	ck_assert_int_eq(retort_squash_data_migrations(&out, &scripts, dialect), 0);
	for (size_t i = 0; i < out.len; i++)
		retort_buf_printf(&b, "%s%s", i ? " | " : "", (char *)out.items[i]);
	retort_buf_grow(&b, 1);
	got = retort_buf_detach(&b);
	retort_vec_dispose(&out, true);
	retort_script_free(s);
	retort_vec_dispose(&scripts, false);
	free(text);
	return got;
}

static void expect_listed(retort_dialect_id dialect, const char *upgrade, const char *expect)
{
	char *got = listed(dialect, "v/r7_x.sql", upgrade);

	ck_assert_msg(!strcmp(got, expect), "%s:\n got      '%s'\n expected '%s'", upgrade, got, expect);
	free(got);
}

START_TEST(test_squash__data_statements)
{
	expect_listed(RETORT_DIALECT_SQLITE, "CREATE TABLE t (x int);\nINSERT INTO t VALUES (1);",
		"r7 (r7_x.sql:6): INSERT");
	expect_listed(RETORT_DIALECT_SQLITE,
		"-- UPDATE t SET x = 1;\nCREATE VIEW v AS SELECT 'DELETE FROM t' AS s;\n/* TRUNCATE */ SELECT 1;", "");
	expect_listed(RETORT_DIALECT_SQLITE, "CREATE TRIGGER tr AFTER INSERT ON t BEGIN\n"
		"  DELETE FROM u;\nEND;\nREPLACE INTO t VALUES (2);", "r7 (r7_x.sql:8): REPLACE");
	expect_listed(RETORT_DIALECT_POSTGRES,
		"WITH gone AS (SELECT 1) DELETE FROM t;\nDO $$ BEGIN UPDATE t SET x = 2; END $$;\n"
		"CREATE FUNCTION f() RETURNS void AS $$ DELETE FROM t $$ LANGUAGE sql;\nCOPY t FROM STDIN;",
		"r7 (r7_x.sql:5): DELETE | r7 (r7_x.sql:6): DO | r7 (r7_x.sql:8): COPY");
}
END_TEST

START_TEST(test_squash__c_revisions)
{
	/* whatever it does: C can move data in ways no scan can rule out */
	retort_vec scripts = RETORT_VEC_INIT, out = RETORT_VEC_INIT;
	retort_script *s = NULL;
	static const char c[] = "/* fill\n * Revision ID: r8\n */\nint upgrade(void *c) { return 0; }\n";

	ck_assert_int_eq(retort_script_parse(&s, "v/r8_fill.c", c, strlen(c)), 0);
	retort_vec_push(&scripts, s);
	ck_assert_int_eq(retort_squash_data_migrations(&out, &scripts, RETORT_DIALECT_SQLITE), 0);
	ck_assert_uint_eq(out.len, 1);
	ck_assert_str_eq(out.items[0], "r8 (r8_fill.c): a C revision; review its upgrade()");
	retort_vec_dispose(&out, true);
	retort_script_free(s);
	retort_vec_dispose(&scripts, false);
}
END_TEST

Suite *suite_squash(void);
Suite *suite_squash(void)
{
	Suite *s = suite_create("squash");
	TCase *tc = tcase_create("retort_squash_data_migrations");

	tcase_add_test(tc, test_squash__data_statements);
	tcase_add_test(tc, test_squash__c_revisions);
	suite_add_tcase(s, tc);
	return s;
}

RETORT_SUITE(squash)
