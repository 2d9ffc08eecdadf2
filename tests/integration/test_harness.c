/*
 * test_harness.c - proves the test harness itself: the private PostgreSQL
 * server answers queries, scratch databases are really separate, and
 * SQLite paths are fresh.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness/pg.h"
#include "harness/suites.h"

START_TEST(test_harness__postgres_answers)
{
	const char *url = harness_pg_url();
	char *out = NULL;
	int rc;

	if (!url)
		return; /* skipped: main() already failed the run under CI */
	{
		char *argv[] = { "psql", "-X", "-At", "-d", (char *)url, "-c",
			"select 6 * 7, current_setting('server_version_num')::int >= 100000", NULL };
		rc = harness_run(argv, NULL, &out);
	}
	ck_assert_int_eq(rc, 0);
	ck_assert_ptr_nonnull(out);
	ck_assert_str_eq(out, "42|t\n");
	free(out);
}
END_TEST

START_TEST(test_harness__databases_are_isolated)
{
	char *a = harness_pg_new_database(), *b, *out = NULL;
	int rc;

	if (!harness_pg_url())
		return;
	b = harness_pg_new_database();
	ck_assert_ptr_nonnull(a);
	ck_assert_ptr_nonnull(b);
	ck_assert_str_ne(a, b);
	{
		char *argv[] = { "psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", a, "-c", "create table only_in_a (x int)", NULL };
		ck_assert_int_eq(harness_run(argv, NULL, NULL), 0);
	}
	{
		char *argv[] = { "psql", "-X", "-At", "-d", b, "-c", "select count(*) from pg_tables where tablename = 'only_in_a'", NULL };
		rc = harness_run(argv, NULL, &out);
	}
	ck_assert_int_eq(rc, 0);
	ck_assert_str_eq(out, "0\n");
	free(out);
	free(a);
	free(b);
}
END_TEST

START_TEST(test_harness__sqlite_paths_are_fresh)
{
	char *a = harness_sqlite_path(), *b = harness_sqlite_path();

	ck_assert_ptr_nonnull(a);
	ck_assert_str_ne(a, b);
	ck_assert_int_ne(access(a, F_OK), 0);
	free(a);
	free(b);
}
END_TEST

RETORT_SUITE(harness)

Suite *suite_harness(void)
{
	Suite *s = suite_create("harness");
	TCase *tc = tcase_create("server");

	tcase_add_test(tc, test_harness__postgres_answers);
	tcase_add_test(tc, test_harness__databases_are_isolated);
	tcase_add_test(tc, test_harness__sqlite_paths_are_fresh);
	suite_add_tcase(s, tc);
	return s;
}
