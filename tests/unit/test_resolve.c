/* test_resolve.c - the identifier grammar (resolve.c). */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "graph_fixture.h"
#include "harness/suites.h"

/*
 *  base1 - a1 - a2 - a3(@main) - a4         (a2 is a branch point)
 *                \- b1(@cart) - b2
 *  n1(@net) - n2 ~a3
 */
static const char spec[] =
	"base1; a1<base1; a2<a1; a3<a2 @main; a4<a3; b1<a2 @cart; b2<b1; n1 @net; n2<n1 ~a3; "
	"ff01; ff02<ff01";

static retort_graph *g;

static void setup(void)
{
	g = fixture_must(spec);
}

static void teardown(void)
{
	retort_graph_free(g);
	g = NULL;
}

static void expect(const char *ident, const char *const *cur, size_t ncur, const char *ids)
{
	retort_vec out = RETORT_VEC_INIT;
	int error = retort_graph_resolve(&out, g, ident, cur, ncur);
	char *got;

	ck_assert_msg(error == 0, "resolve '%s': %s", ident, fixture_errmsg());
	got = fixture_ids(&out, true);
	ck_assert_msg(!strcmp(got, ids), "resolve '%s': got '%s', expected '%s'", ident, got, ids);
	free(got);
	retort_vec_dispose(&out, false);
}

static void expect_error(const char *ident, const char *const *cur, size_t ncur, int code, const char *msg)
{
	retort_vec out = RETORT_VEC_INIT;
	int error = retort_graph_resolve(&out, g, ident, cur, ncur);

	ck_assert_msg(error == code, "resolve '%s': expected %d, got %d (%s)", ident, code, error, fixture_errmsg());
	ck_assert_msg(strstr(fixture_errmsg(), msg) != NULL, "resolve '%s': '%s' lacks '%s'",
		ident, fixture_errmsg(), msg);
	retort_vec_dispose(&out, false);
}

START_TEST(test_resolve__ids_and_prefixes)
{
	expect("a3", NULL, 0, "a3");
	expect("base1", NULL, 0, "base1");
	expect("bas", NULL, 0, "base1");
	expect("net", NULL, 0, "n1");
	expect("ff02", NULL, 0, "ff02");
}
END_TEST

START_TEST(test_resolve__symbols)
{
	expect("base", NULL, 0, "");
	expect("heads", NULL, 0, "a4 b2 ff02 n2");
	expect_error("head", NULL, 0, RETORT_EAMBIGUOUS,
		"'head' is ambiguous: the graph has several heads: ");
	expect_error("head", NULL, 0, RETORT_EAMBIGUOUS, "use 'heads' for all of them, LABEL@head for one branch, or 'retort merge'");
	expect("cart", NULL, 0, "b1");
	expect("cart@head", NULL, 0, "b2");
	expect("main@head", NULL, 0, "a4");
	expect("net@head", NULL, 0, "n2");
	expect("a1@heads", NULL, 0, "a4 b2");
	expect("b1@head", NULL, 0, "b2");
	expect("cart@base", NULL, 0, "");  /* below the branch, as in Alembic */
	expect("cart@b2", NULL, 0, "b2");
	expect_error("a1@head", NULL, 0, RETORT_EAMBIGUOUS, "several heads: a4, b2");
	expect_error("cart@a4", NULL, 0, RETORT_ENOTFOUND, "revision 'a4' is not on branch 'cart'");
}
END_TEST

START_TEST(test_resolve__relative)
{
	const char *at_a2[] = { "a2" };
	const char *two[] = { "a4", "b1" };

	expect("a1+1", NULL, 0, "a2");
	expect("a4-2", NULL, 0, "a2");
	expect("a1-1", NULL, 0, "base1");
	expect("base1-1", NULL, 0, "");
	expect("cart@head-1", NULL, 0, "b1");
	expect("-1", at_a2, 1, "a1");
	expect("-3", at_a2, 1, "");
	expect("b1-1", NULL, 0, "a2");
	expect("cart@+1", at_a2, 1, "b1");
	expect("main@+2", at_a2, 1, "a4");
	expect("cart@-1", two, 2, "a2");
	expect("main@-1", two, 2, "a3");
	expect_error("+1", at_a2, 1, RETORT_EAMBIGUOUS, "'a2' is a branch point (children: a3, b1)");
	expect_error("-5", at_a2, 1, RETORT_ENOTFOUND, "'-5' walks past base");
	expect_error("a4+1", NULL, 0, RETORT_ENOTFOUND, "'a4+1' walks past head 'a4'");
	expect_error("-1", two, 2, RETORT_EAMBIGUOUS, "the database has several heads: a4, b1");
	expect_error("-1", NULL, 0, RETORT_EUSAGE, "relative to the database's current revision");
	expect_error("-1", NULL, 0 + 0, RETORT_EUSAGE, "'-1'");
	expect_error("+1", NULL, 0, RETORT_EAMBIGUOUS, "several bases: base1, ff01, n1");
}
END_TEST

START_TEST(test_resolve__errors)
{
	const char *gone[] = { "deadbeef" };

	expect_error("zzz", NULL, 0, RETORT_ENOTFOUND, "no revision matches 'zzz'");
	expect_error("ff", NULL, 0, RETORT_EAMBIGUOUS, "'ff' is ambiguous: it is a prefix of ff01, ff02");
	expect_error("a", NULL, 0, RETORT_EAMBIGUOUS, "a1, a2, a3, a4");
	expect_error("a1:a2", NULL, 0, RETORT_EUSAGE, "a range is not accepted here");
	expect_error("nolabel@+1", NULL, 0, RETORT_ENOTFOUND, "no branch label 'nolabel'");
	expect_error("-1", gone, 1, RETORT_ENOTFOUND, "the database is at revision 'deadbeef', which no script defines");
}
END_TEST

/* Counts that overflow, or come near it, are refused before anything walks: every relative form. */
START_TEST(test_resolve__huge_counts)
{
	const char *cur[] = { "a3" };
	static const char *const idents[] = {
		"-9223372036854775808", "+9223372036854775807", "-99999999999999999999999",
		"+1000000001", "a3+9223372036854775808", "a3-9223372036854775808",
		"main@+9223372036854775808", "main@-99999999999999999999", "head-18446744073709551616",
	};
	retort_vec out = RETORT_VEC_INIT;

	for (size_t i = 0; i < RETORT_ARRAY_SIZE(idents); i++)
		expect_error(idents[i], cur, 1, RETORT_EUSAGE, "steps is more than retort walks");
	/* the most that is accepted walks, and says where it stopped */
	expect_error("+1000000000", cur, 1, RETORT_ENOTFOUND, "walks past head");
	expect_error("-1000000000", cur, 1, RETORT_ENOTFOUND, "walks past base");
	/* ranges: either side */
	ck_assert_int_eq(retort_graph_range(&out, g, "-9223372036854775808:a4", cur, 1), RETORT_EUSAGE);
	ck_assert_int_eq(retort_graph_range(&out, g, "a1:+9223372036854775808", cur, 1), RETORT_EUSAGE);
	ck_assert_msg(strstr(fixture_errmsg(), "steps is more than retort walks"), "%s", fixture_errmsg());
	retort_vec_dispose(&out, false);
}
END_TEST

static void expect_range(const char *range, const char *ids)
{
	retort_vec out = RETORT_VEC_INIT;
	int error = retort_graph_range(&out, g, range, NULL, 0);
	char *got;

	ck_assert_msg(error == 0, "range '%s': %s", range, fixture_errmsg());
	got = fixture_ids(&out, false);
	ck_assert_msg(!strcmp(got, ids), "range '%s': got '%s', expected '%s'", range, got, ids);
	free(got);
	retort_vec_dispose(&out, false);
}

START_TEST(test_resolve__ranges)
{
	retort_vec out = RETORT_VEC_INIT;

	expect_range("a2:a4", "a4 a3 a2");
	expect_range("base1:a2", "a2 a1 base1");
	expect_range(":a1", "a1 base1");
	expect_range("b1:", "b2 b1");
	expect_range("n1:n2", "n2 n1");
	/* the upper side brings its dependencies along */
	expect_range(":n2", "n2 n1 a3 a2 a1 base1");
	ck_assert_int_eq(retort_graph_range(&out, g, "b1:a4", NULL, 0), RETORT_EUSAGE);
	ck_assert_msg(strstr(fixture_errmsg(), "revision 'b1' is not an ancestor of 'a4'"), "%s", fixture_errmsg());
	ck_assert_int_eq(retort_graph_range(&out, g, "a4", NULL, 0), RETORT_EUSAGE);
	ck_assert_msg(strstr(fixture_errmsg(), "must look like START:END"), "%s", fixture_errmsg());
	retort_vec_dispose(&out, false);
}
END_TEST

Suite *suite_resolve(void);
Suite *suite_resolve(void)
{
	Suite *s = suite_create("resolve");
	TCase *resolve = tcase_create("retort_graph_resolve");
	TCase *range = tcase_create("retort_graph_range");

	tcase_add_checked_fixture(resolve, setup, teardown);
	tcase_add_checked_fixture(range, setup, teardown);
	tcase_add_test(resolve, test_resolve__ids_and_prefixes);
	tcase_add_test(resolve, test_resolve__symbols);
	tcase_add_test(resolve, test_resolve__relative);
	tcase_add_test(resolve, test_resolve__errors);
	tcase_add_test(resolve, test_resolve__huge_counts);
	tcase_add_test(range, test_resolve__ranges);
	suite_add_tcase(s, resolve);
	suite_add_tcase(s, range);
	return s;
}

RETORT_SUITE(resolve)
