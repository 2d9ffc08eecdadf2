/* test_revision_new.c - naming, rendering and hooks of new revisions (revision_new.c). */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "graph_fixture.h"
#include "harness/suites.h"
#include "graph/revision_new.h"

static void expect_name(const char *tmpl, int trunc, const char *msg, retort_script_format f, const char *want)
{
	struct tm t = { .tm_year = 126, .tm_mon = 10, .tm_mday = 1, .tm_hour = 9, .tm_min = 5, .tm_sec = 7 };
	char *name = NULL;
	int error = retort_revision_filename(&name, tmpl, trunc, "4f2a9c1d7b3e", msg, &t, f);

	ck_assert_msg(error == 0, "template '%s': %s", tmpl, fixture_errmsg());
	ck_assert_msg(!strcmp(name, want), "template '%s' message '%s': got '%s', expected '%s'",
		tmpl, msg, name, want);
	free(name);
}

START_TEST(test_revision_new__filename)
{
	expect_name("%(rev)s_%(slug)s", 40, "Create users table", RETORT_SCRIPT_SQL,
		"4f2a9c1d7b3e_create_users_table.sql");
	expect_name(NULL, 40, "add: posts, (v2)!", RETORT_SCRIPT_C, "4f2a9c1d7b3e_add_posts_v2.c");
	expect_name("%(year)d%(month).2d%(day).2d_%(hour).2d%(minute).2d%(second).2d_%(rev)s", 40, "x",
		RETORT_SCRIPT_SQL, "20261101_090507_4f2a9c1d7b3e.sql");
	expect_name("%(slug)s", 12, "a rather long message", RETORT_SCRIPT_SQL, "a_rather_.sql");
	expect_name("%(rev)s_%(slug)s", 40, "", RETORT_SCRIPT_SQL, "4f2a9c1d7b3e_.sql");
	/* Latin letters with diacritics become their ASCII letters; other scripts separate words */
	expect_name("%(slug)s", 40, "\xc3\x9c" "n\xc3\xaf" "code", RETORT_SCRIPT_SQL, "unicode.sql");
	expect_name("%(slug)s", 40, "Stra\xc3\x9f" "e \xc5\x81\xc3\xb3" "d\xc5\xba \xc3\x86" "sir", RETORT_SCRIPT_SQL, "strasse_lodz_aesir.sql");
	expect_name("%(slug)s", 40, "users \xe7\x94\xa8\xe6\x88\xb7 table", RETORT_SCRIPT_SQL, "users_table.sql");
	expect_name("%(rev)s%%", 40, "", RETORT_SCRIPT_SQL, "4f2a9c1d7b3e%.sql");
}
END_TEST

START_TEST(test_revision_new__filename_errors)
{
	struct tm t = { 0 };
	char *name = NULL;

	ck_assert_int_eq(retort_revision_filename(&name, "%(nope)s", 40, "r", "m", &t, RETORT_SCRIPT_SQL), RETORT_EUSAGE);
	ck_assert_msg(strstr(fixture_errmsg(), "file_template '%(nope)s': unknown token"), "%s", fixture_errmsg());
	ck_assert_int_eq(retort_revision_filename(&name, "a/%(rev)s", 40, "r", "m", &t, RETORT_SCRIPT_SQL), RETORT_EUSAGE);
	ck_assert_ptr_null(name);
}
END_TEST

START_TEST(test_revision_new__render)
{
	const char *vars[] = { "message", "hello", "rev_id", "abc", NULL };
	retort_map x = RETORT_MAP_INIT;
	char *out = NULL;

	retort_map_set(&x, "tenant", "acme");
	ck_assert_int_eq(retort_revision_render(&out, "-- ${message}\n-- ${rev_id} ${x.tenant} $${literal} ${message", vars, &x), 0);
	ck_assert_str_eq(out, "-- hello\n-- abc acme ${literal} ${message");
	free(out);
	out = NULL;
	ck_assert_int_eq(retort_revision_render(&out, "-- ${message}\n-- ${unknown}\n", vars, &x), RETORT_EUSAGE);
	ck_assert_ptr_null(out);
	ck_assert_msg(strstr(fixture_errmsg(), "line 2: unknown placeholder '${unknown}'"), "%s", fixture_errmsg());
	ck_assert_int_eq(retort_revision_render(&out, "${x.region}", vars, &x), RETORT_EUSAGE);
	ck_assert_msg(strstr(fixture_errmsg(), "'${x.region}' needs -x region=VALUE"), "%s", fixture_errmsg());
	retort_map_dispose(&x, false);
}
END_TEST

START_TEST(test_revision_new__hook)
{
	char dir[] = "/tmp/retort-hook-XXXXXX";
	char *file, *copy;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	file = retort__sprintf("%s/r.sql", dir);
	copy = retort__sprintf("cp {file} %s/copied.sql", dir);
	ck_assert_int_eq(retort__file_write(file, "x\n", 2), 0);
	ck_assert_int_eq(retort_revision_run_hook(copy, file), 0);
	free(copy);
	copy = retort__sprintf("%s/copied.sql", dir);
	ck_assert_msg(retort__path_exists(copy), "hook did not run");
	ck_assert_int_lt(retort_revision_run_hook("false {file}", file), 0);
	ck_assert_msg(strstr(fixture_errmsg(), "post_write_hook 'false {file}' failed (exit status 1)"), "%s", fixture_errmsg());
	ck_assert_int_lt(retort_revision_run_hook("/nonexistent/tool {file}", file), 0);
	ck_assert_msg(strstr(fixture_errmsg(), "command not found: /nonexistent/tool"), "%s", fixture_errmsg());
	/* several hooks, in order; a missing one stops the rest and is named */
	unlink(copy);
	free(copy);
	copy = retort__sprintf("true {file}; retort-no-such-formatter {file}; cp {file} %s/copied.sql", dir);
	ck_assert_int_lt(retort_revision_run_hook(copy, file), 0);
	ck_assert_msg(strstr(fixture_errmsg(), "command not found: retort-no-such-formatter"), "%s", fixture_errmsg());
	free(copy);
	copy = retort__sprintf("%s/copied.sql", dir);
	ck_assert_msg(!retort__path_exists(copy), "a hook after the missing one ran");
	unlink(copy);
	unlink(file);
	rmdir(dir);
	free(copy);
	free(file);
}
END_TEST

Suite *suite_revision_new(void);
Suite *suite_revision_new(void)
{
	Suite *s = suite_create("revision_new");
	TCase *name = tcase_create("retort_revision_filename");
	TCase *render = tcase_create("retort_revision_render");
	TCase *hook = tcase_create("retort_revision_run_hook");

	tcase_add_test(name, test_revision_new__filename);
	tcase_add_test(name, test_revision_new__filename_errors);
	tcase_add_test(render, test_revision_new__render);
	tcase_add_test(hook, test_revision_new__hook);
	suite_add_tcase(s, name);
	suite_add_tcase(s, render);
	suite_add_tcase(s, hook);
	return s;
}

RETORT_SUITE(revision_new)
