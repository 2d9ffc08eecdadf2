/*
 * test_buf.c - the string buffer and the pointer/hash containers.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "harness/suites.h"
#include "base/vec.h"

START_TEST(test_buf__starts_empty_and_never_null)
{
	retort_buf b = RETORT_BUF_INIT;

	ck_assert_ptr_nonnull(b.ptr);
	ck_assert_str_eq(b.ptr, "");
	retort_buf_dispose(&b);
	ck_assert_ptr_nonnull(b.ptr);
}
END_TEST

START_TEST(test_buf__appends_and_grows)
{
	retort_buf b = RETORT_BUF_INIT;

	for (int i = 0; i < 1000; i++)
		retort_buf_printf(&b, "%d,", i % 10);
	ck_assert_uint_eq(b.size, 2000);
	ck_assert_int_eq(b.ptr[b.size], '\0');
	ck_assert(strncmp(b.ptr, "0,1,2,", 6) == 0);
	retort_buf_dispose(&b);
}
END_TEST

START_TEST(test_buf__doubles_quotes)
{
	retort_buf b = RETORT_BUF_INIT;

	retort_buf_put_doubled(&b, "it's \"x\"", '\'');
	ck_assert_str_eq(b.ptr, "it''s \"x\"");
	retort_buf_dispose(&b);
}
END_TEST

START_TEST(test_buf__detach_hands_over_ownership)
{
	retort_buf b = RETORT_BUF_INIT;
	char *s, *empty;

	retort_buf_puts(&b, "abc  \n");
	retort_buf_rtrim(&b);
	s = retort_buf_detach(&b);
	ck_assert_str_eq(s, "abc");
	ck_assert_str_eq(b.ptr, "");
	empty = retort_buf_detach(&b);
	ck_assert_str_eq(empty, "");
	free(s);
	free(empty); /* must be a real allocation, not the shared empty string */
}
END_TEST

START_TEST(test_vec__map_keeps_insertion_order)
{
	retort_map m = RETORT_MAP_INIT;
	char key[16];

	for (int i = 0; i < 5000; i++) {
		snprintf(key, sizeof(key), "k%d", i);
		ck_assert_ptr_null(retort_map_set(&m, key, (void *)(intptr_t)(i + 1)));
	}
	ck_assert_uint_eq(m.len, 5000);
	ck_assert_str_eq(m.keys[0], "k0");
	ck_assert_str_eq(m.keys[4999], "k4999");
	ck_assert_int_eq((int)(intptr_t)retort_map_get(&m, "k1234"), 1235);
	ck_assert_ptr_null(retort_map_get(&m, "missing"));
	ck_assert_int_eq((int)(intptr_t)retort_map_set(&m, "k7", (void *)1), 8);
	ck_assert(retort_map_has(&m, "k7"));
	retort_map_dispose(&m, false);
}
END_TEST

/* A reserved map takes its entries without growing, and still finds them all. */
START_TEST(test_vec__map_reserve)
{
	retort_map m = RETORT_MAP_INIT;
	size_t *slots;
	char key[16];

	ck_assert_ptr_null(retort_map_set(&m, "early", (void *)1));
	retort_map_reserve(&m, 3000);
	slots = m.slots;
	ck_assert_int_eq((int)(intptr_t)retort_map_get(&m, "early"), 1);
	for (int i = 0; i < 2999; i++) {
		snprintf(key, sizeof(key), "r%d", i);
		retort_map_set(&m, key, (void *)(intptr_t)(i + 2));
	}
	ck_assert_ptr_eq(m.slots, slots);
	ck_assert_uint_eq(m.len, 3000);
	for (int i = 0; i < 2999; i++) {
		snprintf(key, sizeof(key), "r%d", i);
		ck_assert_int_eq((int)(intptr_t)retort_map_get(&m, key), i + 2);
	}
	retort_map_reserve(&m, 10); /* never shrinks */
	ck_assert_ptr_eq(m.slots, slots);
	retort_map_dispose(&m, false);
}
END_TEST

START_TEST(test_vec__insert_remove_reverse)
{
	retort_vec v = RETORT_VEC_INIT;
	char a, b, c;

	retort_vec_push(&v, &a);
	retort_vec_push(&v, &c);
	retort_vec_insert(&v, 1, &b);
	ck_assert_ptr_eq(v.items[1], &b);
	retort_vec_reverse(&v);
	ck_assert_ptr_eq(v.items[0], &c);
	retort_vec_remove(&v, 0);
	ck_assert_uint_eq(v.len, 2);
	ck_assert_ptr_eq(v.items[0], &b);
	ck_assert(retort_vec_contains(&v, &a));
	ck_assert(!retort_vec_contains(&v, &c));
	retort_vec_dispose(&v, false);
}
END_TEST

RETORT_SUITE(buf)

Suite *suite_buf(void)
{
	Suite *s = suite_create("buf");
	TCase *tc = tcase_create("buf");
	TCase *tv = tcase_create("vec");

	tcase_add_test(tc, test_buf__starts_empty_and_never_null);
	tcase_add_test(tc, test_buf__appends_and_grows);
	tcase_add_test(tc, test_buf__doubles_quotes);
	tcase_add_test(tc, test_buf__detach_hands_over_ownership);
	tcase_add_test(tv, test_vec__map_keeps_insertion_order);
	tcase_add_test(tv, test_vec__map_reserve);
	tcase_add_test(tv, test_vec__insert_remove_reverse);
	suite_add_tcase(s, tc);
	suite_add_tcase(s, tv);
	return s;
}
