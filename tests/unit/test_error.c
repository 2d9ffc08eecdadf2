/*
 * test_error.c - the thread-local error as stored: bounded, long quoted
 * values shortened around an ellipsis, control characters and stray
 * bytes escaped, secrets scrubbed first.  The expectations are written out
 * by hand, not computed with the code under test.
 */
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/common.h"
#include "base/secret.h"
#include "harness/suites.h"

#define ELLIPSIS "\xe2\x80\xa6"

static const char *msg(void)
{
	return retort_error_last()->message;
}

START_TEST(test_error__long_quoted_values_keep_head_and_tail)
{
	char *value = retort__malloc(1048577);
	retort_buf want = RETORT_BUF_INIT;

	memset(value, 'x', 1048576);
	value[0] = 'A';
	value[1048575] = 'Z';
	value[1048576] = '\0';
	retort__error_set(RETORT_ERROR_SCRIPT, "f.sql:3: invalid revision id '%s': too long", value);
	/* 120 bytes of head, the ellipsis, 40 of tail */
	retort_buf_puts(&want, "f.sql:3: invalid revision id 'A");
	for (int i = 0; i < 119; i++)
		retort_buf_putc(&want, 'x');
	retort_buf_puts(&want, ELLIPSIS);
	for (int i = 0; i < 39; i++)
		retort_buf_putc(&want, 'x');
	retort_buf_puts(&want, "Z': too long");
	ck_assert_str_eq(msg(), want.ptr);
	/* 200 bytes are kept whole */
	value[200] = '\0';
	retort__error_set(RETORT_ERROR_SCRIPT, "'%s'", value);
	ck_assert_uint_eq(strlen(msg()), 202);
	retort_buf_dispose(&want);
	free(value);
}
END_TEST

START_TEST(test_error__whole_message_is_bounded)
{
	char *value = retort__malloc(100001);

	/* unquoted text, e.g. a database's message: cut at 8 KiB */
	memset(value, 'y', 100000);
	value[100000] = '\0';
	retort__error_set(RETORT_ERROR_DATABASE, "%s", value);
	ck_assert_uint_le(strlen(msg()), 8192);
	ck_assert(retort__ends_with(msg(), "y" ELLIPSIS));
	/* a cut never splits a UTF-8 sequence: 2-byte characters, odd limit */
	for (size_t i = 0; i + 1 < 100000; i += 2) {
		value[i] = '\xc3';
		value[i + 1] = '\xa9';
	}
	retort__error_set(RETORT_ERROR_DATABASE, "%s", value);
	ck_assert(retort__utf8_valid(msg(), NULL));
	/* a prefix of a bounded message stays bounded */
	retort__error_prefix("%s", "context");
	ck_assert_uint_le(strlen(msg()), 8192);
	free(value);
}
END_TEST

START_TEST(test_error__control_characters_and_stray_bytes_are_escaped)
{
	retort__error_set(RETORT_ERROR_USAGE, "id 'a\033[2Jb\rc\x7f' and '\xff\xc3(' kept\tand\nnewline");
	ck_assert_str_eq(msg(), "id 'a\\x1b[2Jb\\x0dc\\x7f' and '\\xff\\xc3(' kept\tand\nnewline");
	/* valid UTF-8 passes through */
	retort__error_set(RETORT_ERROR_USAGE, "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80");
	ck_assert_str_eq(msg(), "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80");
	/* overlong and surrogate encodings are not UTF-8 */
	retort__error_set(RETORT_ERROR_USAGE, "\xc0\xaf \xed\xa0\x80");
	ck_assert_str_eq(msg(), "\\xc0\\xaf \\xed\\xa0\\x80");
}
END_TEST

START_TEST(test_error__secrets_go_before_shortening)
{
	char value[400];

	/* a secret straddling where the value is cut must not survive in pieces */
	memset(value, 'k', sizeof(value));
	memcpy(value + 110, "Sq7-secret-Sq7", 14);
	value[sizeof(value) - 1] = '\0';
	retort__secret_register("Sq7-secret-Sq7");
	retort__error_set(RETORT_ERROR_DATABASE, "'%s'", value);
	ck_assert_ptr_null(strstr(msg(), "Sq7"));
	ck_assert_ptr_null(strstr(msg(), "secret"));
}
END_TEST

RETORT_SUITE(error)

Suite *suite_error(void)
{
	Suite *s = suite_create("error");
	TCase *tc = tcase_create("retort__error_set");

	tcase_add_test(tc, test_error__long_quoted_values_keep_head_and_tail);
	tcase_add_test(tc, test_error__whole_message_is_bounded);
	tcase_add_test(tc, test_error__control_characters_and_stray_bytes_are_escaped);
	tcase_add_test(tc, test_error__secrets_go_before_shortening);
	suite_add_tcase(s, tc);
	return s;
}
