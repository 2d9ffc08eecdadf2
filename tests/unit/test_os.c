/*
 * test_os.c - splitting a command line into words, running a program from
 * an argument vector, random bytes.  The programs run are the system's own
 * (printf, sh for an exit status or a signal), so what they print is the
 * oracle, not retort.
 */
#include <stdlib.h>
#include <string.h>

#include "base/common.h"
#include "base/os.h"
#include "harness/suites.h"

static void split_ok(const char *line, const char *const *want, size_t n)
{
	retort_vec v = RETORT_VEC_INIT;
	int rc = retort__words_split(&v, line, "test");

	ck_assert_msg(rc == 0, "split '%s' failed: %s", line, retort_error_last()->message);
	ck_assert_msg(v.len == n, "split '%s': %zu words, want %zu", line, v.len, n);
	for (size_t i = 0; i < n; i++)
		ck_assert_msg(strcmp(v.items[i], want[i]) == 0, "split '%s': word %zu is '%s', want '%s'",
			line, i, (char *)v.items[i], want[i]);
	retort_vec_dispose(&v, true);
}

START_TEST(test_os__words_split_quotes)
{
	static const char *const plain[] = { "code", "--wait" };
	static const char *const spaced[] = { "/opt/my editor/ed", "-n", "a b", "it's", "x\\" };
	static const char *const home[] = { "ed", "/home/someone/f" };

	split_ok("code --wait", plain, 2);
	split_ok("  code\t--wait  ", plain, 2);
	split_ok("'/opt/my editor/ed' -n \"a b\" it\\'s 'x\\'", spaced, 5);
	setenv("RETORT_TEST_HOME", "/home/someone", 1);
	split_ok("ed $RETORT_TEST_HOME/f", home, 2);
	unsetenv("RETORT_TEST_HOME");
	split_ok("   ", NULL, 0);
	split_ok(NULL, NULL, 0);
}
END_TEST

START_TEST(test_os__words_split_refuses_a_shell_line)
{
	static const char *const bad[] = {
		"fmt $(whoami)", "fmt `whoami`", "fmt a | tee b", "fmt a; rm b", "fmt > out", "fmt 'open",
	};

	for (size_t i = 0; i < RETORT_ARRAY_SIZE(bad); i++) {
		retort_vec v = RETORT_VEC_INIT;
		int rc = retort__words_split(&v, bad[i], "hook 'x'");
		ck_assert_msg(rc < 0, "'%s' was split", bad[i]);
		ck_assert_int_eq(retort_error_last()->klass, RETORT_ERROR_CONFIG);
		ck_assert_msg(strncmp(retort_error_last()->message, "hook 'x': ", 10) == 0,
			"'%s': %s", bad[i], retort_error_last()->message);
		ck_assert_uint_eq(v.len, 0);
		retort_vec_dispose(&v, true);
	}
}
END_TEST

static int spawn_words(int *status, retort_buf *out, const char *line)
{
	retort_vec v = RETORT_VEC_INIT;
	int rc;

	ck_assert_int_eq(retort__words_split(&v, line, "test"), 0);
	rc = retort__spawn(status, &v, out);
	retort_vec_dispose(&v, true);
	return rc;
}

START_TEST(test_os__spawn_captures_output_and_status)
{
	retort_buf out = RETORT_BUF_INIT;
	int status = -1;

	ck_assert_int_eq(spawn_words(&status, &out, "printf '%s|%s\\n' 'a b' c"), 0);
	ck_assert_int_eq(status, 0);
	ck_assert_str_eq(out.ptr, "a b|c\n");
	retort_buf_clear(&out);
	/* stderr is captured too, stdin is empty */
	ck_assert_int_eq(spawn_words(&status, &out, "sh -c 'cat; echo oops >&2; exit 3'"), 0);
	ck_assert_int_eq(status, 3);
	ck_assert_str_eq(out.ptr, "oops\n");
	retort_buf_clear(&out);
	ck_assert_int_eq(spawn_words(&status, &out, "sh -c 'kill -TERM $$'"), 0);
	ck_assert_int_eq(status, 128 + 15);
	retort_buf_dispose(&out);
}
END_TEST

START_TEST(test_os__spawn_names_a_missing_program)
{
	retort_buf out = RETORT_BUF_INIT;
	int status = 0;

	ck_assert_int_eq(spawn_words(&status, &out, "retort-no-such-program --x"), RETORT_ENOTFOUND);
	ck_assert_str_eq(retort_error_last()->message, "retort-no-such-program: command not found");
	ck_assert_int_eq(spawn_words(&status, NULL, "/nonexistent/dir/prog"), RETORT_ENOTFOUND);
	retort_buf_dispose(&out);
}
END_TEST

START_TEST(test_os__random_bytes_differ)
{
	unsigned char a[32], b[32], zero[32] = { 0 };

	ck_assert_int_eq(retort__random_bytes(a, sizeof(a)), 0);
	ck_assert_int_eq(retort__random_bytes(b, sizeof(b)), 0);
	/* 2^-256 chances each of a false failure */
	ck_assert(memcmp(a, b, sizeof(a)) != 0);
	ck_assert(memcmp(a, zero, sizeof(a)) != 0);
}
END_TEST

RETORT_SUITE(os)

Suite *suite_os(void)
{
	Suite *s = suite_create("os");
	TCase *tc = tcase_create("os");

	tcase_add_test(tc, test_os__words_split_quotes);
	tcase_add_test(tc, test_os__words_split_refuses_a_shell_line);
	tcase_add_test(tc, test_os__spawn_captures_output_and_status);
	tcase_add_test(tc, test_os__spawn_names_a_missing_program);
	tcase_add_test(tc, test_os__random_bytes_differ);
	suite_add_tcase(s, tc);
	return s;
}
