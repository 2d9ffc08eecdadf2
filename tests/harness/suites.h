/*
 * suites.h - how a test file registers its Check suite.
 *
 * Each test file ends with RETORT_SUITE(module), which defines a
 * constructor that adds suite_<module>() to the binary's registry; the
 * binary's main runs every registered suite.  No shared list to edit.
 * Case names follow test_<module>__<case>.
 */
#ifndef RETORT_TEST_SUITES_H
#define RETORT_TEST_SUITES_H

#include <check.h>

typedef Suite *(*retort_suite_fn)(void);
void retort_test_register(const char *name, retort_suite_fn fn);
/*
 * Cases that run once per dialect: a Check loop test whose index is 0 for
 * SQLite and 1 for PostgreSQL, one TCase each, with the given timeout.
 */
typedef struct retort_test_case {
	const char *name;
	const TTest *fn;
} retort_test_case;
void retort_test_add_dialect_cases(Suite *s, const retort_test_case *cases, size_t n, double timeout);

/* Run every registered suite, or those $RETORT_SUITES selects ("a,b" or "!a,!b"). */
int retort_test_run_all(void);

#define RETORT_SUITE(module)                                             \
	Suite *suite_##module(void);                                     \
	__attribute__((constructor)) static void register_##module(void) \
	{                                                                \
		retort_test_register(#module, suite_##module);           \
	}

#endif
