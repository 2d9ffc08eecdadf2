/* test_plan.c - upgrade, downgrade and stamp plans and their version-table rows (plan.c). */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "graph_fixture.h"
#include "harness/suites.h"

typedef enum { UP, DOWN } kind;

static void expect_plan(const char *spec, kind k, const char *cur_spec, const char *target, const char *expect)
{
	retort_graph *g = fixture_must(spec);
	retort_vec cur = RETORT_VEC_INIT;
	char *copy = retort__strdup(cur_spec), *save = NULL, *got;
	retort_plan *p = NULL;
	int error;

	for (char *t = strtok_r(copy, " ", &save); t; t = strtok_r(NULL, " ", &save))
		retort_vec_push(&cur, t);
	error = k == UP
		? retort_plan_upgrade(&p, g, (const char *const *)cur.items, cur.len, target)
		: retort_plan_downgrade(&p, g, (const char *const *)cur.items, cur.len, target);
	ck_assert_msg(error == 0, "%s %s from '%s' on '%s': %s", k == UP ? "upgrade" : "downgrade",
		target ? target : "(heads)", cur_spec, spec, fixture_errmsg());
	got = fixture_plan_text(p);
	ck_assert_msg(!strcmp(got, expect), "%s %s from '%s' on '%s':\n got      '%s'\n expected '%s'",
		k == UP ? "upgrade" : "downgrade", target ? target : "(heads)", cur_spec, spec, got, expect);
	free(got);
	free(copy);
	retort_vec_dispose(&cur, false);
	retort_plan_free(p);
	retort_graph_free(g);
}

static void expect_plan_error(const char *spec, kind k, const char *const *cur, size_t ncur,
	const char *target, int code, const char *msg)
{
	retort_graph *g = fixture_must(spec);
	retort_plan *p = NULL;
	int error = k == UP ? retort_plan_upgrade(&p, g, cur, ncur, target)
		: retort_plan_downgrade(&p, g, cur, ncur, target);

	ck_assert_msg(error == code, "%s on '%s': expected %d got %d (%s)", target, spec, code, error, fixture_errmsg());
	ck_assert_ptr_null(p);
	ck_assert_msg(strstr(fixture_errmsg(), msg), "%s on '%s': '%s' lacks '%s'", target, spec, fixture_errmsg(), msg);
	retort_graph_free(g);
}

START_TEST(test_plan__upgrade_linear)
{
	expect_plan("a; b<a; c<b", UP, "", NULL, "a(:a) b(a:b) c(b:c) => c");
	expect_plan("a; b<a; c<b", UP, "", "b", "a(:a) b(a:b) => b");
	expect_plan("a; b<a; c<b", UP, "b", "head", "c(b:c) => c");
	expect_plan("a; b<a; c<b", UP, "c", "heads", "=> c");
	expect_plan("a; b<a; c<b", UP, "a", "+1", "b(a:b) => b");
	expect_plan("a; b<a; c<b", UP, "", "+2", "a(:a) b(a:b) => b");
	expect_plan("a; b<a; c<b", UP, "c", "a", "=> c");  /* already applied: nothing to do */
	expect_plan("a; b<a; c<b", UP, "a", "c-1", "b(a:b) => b");
}
END_TEST

START_TEST(test_plan__upgrade_branches_and_merge)
{
	/* a branch point adds a row, a merge point collapses them */
	expect_plan("a; b<a; c<a", UP, "", "heads", "a(:a) b(a:b) c(b:b c) => b c");
	expect_plan("a; b<a; c<a; d<b,c", UP, "b c", NULL, "d(b c:d) => d");
	expect_plan("a; b<a; c<a; d<b,c", UP, "b", NULL, "c(b:b c) d(b c:d) => d");
	/* two bases, two rows */
	expect_plan("a; x; b<a", UP, "", "heads", "a(:a) b(a:b) x(b:b x) => b x");
	expect_plan("a; x; b<a", UP, "b", "x", "x(b:b x) => b x");
}
END_TEST

START_TEST(test_plan__upgrade_dependencies)
{
	/* Depends On orders the run; like Alembic, the row of a dependency is absorbed */
	expect_plan("a; b<a; x ~b", UP, "", "x", "a(:a) b(a:b) x(b:x) => x");
	expect_plan("a; b<a; x; y<x ~b", UP, "y", "heads", "=> y");
	expect_plan("a; b<a; x; y<x ~b", UP, "x", "y", "a(x:a x) b(a x:b x) y(b x:y) => y");
	/* the dependency does not merge graph heads */
	expect_plan("a; b<a; x; y<x ~a", UP, "", "heads", "a(:a) b(a:b) x(b:b x) y(b x:b y) => b y");
}
END_TEST

START_TEST(test_plan__alembic_docs_example)
{
	/* "Working with Branches": shoppingcart branch, networking base, a cross-branch dependency */
	static const char docs[] =
		"1975ea83b712; ae1027a6acf<1975ea83b712; 27c6a30d7c24<ae1027a6acf @shoppingcart; "
		"55af2cb1c267<ae1027a6acf; 3cac04ae8714 @networking; 109ec7d132bf<3cac04ae8714; "
		"29f859a13ea<109ec7d132bf ~55af2cb1c267";

	expect_plan(docs, UP, "", "shoppingcart@head",
		"1975ea83b712(:1975ea83b712) ae1027a6acf(1975ea83b712:ae1027a6acf) "
		"27c6a30d7c24(ae1027a6acf:27c6a30d7c24) => 27c6a30d7c24");
	expect_plan(docs, UP, "27c6a30d7c24", "networking@head",
		"55af2cb1c267(27c6a30d7c24:27c6a30d7c24 55af2cb1c267) "
		"3cac04ae8714(27c6a30d7c24 55af2cb1c267:27c6a30d7c24 3cac04ae8714 55af2cb1c267) "
		"109ec7d132bf(27c6a30d7c24 3cac04ae8714 55af2cb1c267:109ec7d132bf 27c6a30d7c24 55af2cb1c267) "
		"29f859a13ea(109ec7d132bf 27c6a30d7c24 55af2cb1c267:27c6a30d7c24 29f859a13ea) "
		"=> 27c6a30d7c24 29f859a13ea");
	expect_plan(docs, DOWN, "27c6a30d7c24 29f859a13ea", "shoppingcart@-1",
		"-27c6a30d7c24(27c6a30d7c24 29f859a13ea:29f859a13ea) => 29f859a13ea");
	expect_plan(docs, DOWN, "27c6a30d7c24 29f859a13ea", "networking@base",
		"-29f859a13ea(27c6a30d7c24 29f859a13ea:109ec7d132bf 27c6a30d7c24 55af2cb1c267) "
		"-109ec7d132bf(109ec7d132bf 27c6a30d7c24 55af2cb1c267:27c6a30d7c24 3cac04ae8714 55af2cb1c267) "
		"-3cac04ae8714(27c6a30d7c24 3cac04ae8714 55af2cb1c267:27c6a30d7c24 55af2cb1c267) "
		"=> 27c6a30d7c24 55af2cb1c267");
}
END_TEST

START_TEST(test_plan__downgrade)
{
	expect_plan("a; b<a; c<b", DOWN, "c", "-1", "-c(c:b) => b");
	expect_plan("a; b<a; c<b", DOWN, "c", "a", "-c(c:b) -b(b:a) => a");
	expect_plan("a; b<a; c<b", DOWN, "c", "base", "-c(c:b) -b(b:a) -a(a:) => ");
	expect_plan("a; b<a; c<b", DOWN, "c", "c", "=> c");
	/* unmerge: a merge point gives its rows back */
	/* like Alembic, only what lies above the target goes: c stays */
	expect_plan("a; b<a; c<a; d<b,c", DOWN, "d", "b", "-d(d:b c) => b c");
	expect_plan("a; b<a; c<a; d<b,c", DOWN, "d", "a", "-d(d:b c) -c(b c:b) -b(b:a) => a");
	/* REV-1 is absolute: everything above a goes */
	expect_plan("a; b<a; c<a", DOWN, "b c", "c-1", "-c(b c:b) -b(b:a) => a");
	/* -1 walks down one branch and takes only that branch, not its sibling */
	expect_plan("a; b<a; c<a ~b", DOWN, "c", "-1", "-c(c:b) => b");
	expect_plan("a; b<a; c<a @x", DOWN, "b c", "x@-1", "-c(b c:b) => b");
	/* one branch only, the other stays */
	expect_plan("a; b<a; c<a @x", DOWN, "b c", "x@-1", "-c(b c:b) => b");
	expect_plan("a; b<a; x; y<x", DOWN, "b y", "x", "-y(b y:b x) => b x");
	/* a dependency comes back as a row when its dependent goes */
	expect_plan("a; b<a; x<a ~b", DOWN, "x", "a", "-x(x:b) -b(b:a) => a");
	expect_plan("a; b<a; c<b; x<a ~b", DOWN, "c x", "b", "-c(c x:x) => x");  /* x still implies b */
}
END_TEST

START_TEST(test_plan__downgrade_errors)
{
	const char *at_c[] = { "c" };
	const char *at_b[] = { "b" };
	const char *gone[] = { "nope" };

	expect_plan_error("a; b<a !; c<b", DOWN, at_c, 1, "base", RETORT_ERROR,
		"cannot downgrade through revision 'b' (versions/b.sql): it has no downgrade section");
	expect_plan_error("a; b<a; c<a", DOWN, at_b, 1, "c", RETORT_ENOTFOUND,
		"cannot downgrade to 'c': revision 'c' is not applied (the database is at b)");
	expect_plan_error("a; b<a", DOWN, gone, 1, "base", RETORT_ENOTFOUND,
		"the database is at revision 'nope', which no script defines");
	expect_plan_error("a; b<a", UP, gone, 1, NULL, RETORT_ENOTFOUND, "revision 'nope'");
	expect_plan_error("a; b<a; c<a", UP, NULL, 0, "head", RETORT_EAMBIGUOUS, "several heads: b, c");
	expect_plan_error("a; b<a", DOWN, at_b, 1, NULL, RETORT_EUSAGE, "downgrade needs a target");
	expect_plan_error("a; b<a", UP, at_b, 1, "-1", RETORT_EUSAGE, "'-1' goes down from the current revision; use downgrade");
	{
		const char *two[] = { "b", "c" };
		expect_plan_error("a; b<a; c<a", DOWN, two, 2, "heads", RETORT_EUSAGE,
			"downgrade needs a single target; 'heads' names 2 revisions (b, c)");
	}
	{
		/* x only depends on b: nothing lies above b, and b is no row */
		const char *at_x[] = { "x" };
		expect_plan_error("a; b<a; x ~b", DOWN, at_x, 1, "b", RETORT_ENOTFOUND,
			"cannot downgrade to 'b': nothing applied lies above it (the database is at x)");
	}
}
END_TEST

static void expect_stamp(const char *spec, const char *cur_spec, const char *targets_spec, bool purge,
	int code, const char *expect)
{
	retort_graph *g = fixture_must(spec);
	retort_vec cur = RETORT_VEC_INIT, tg = RETORT_VEC_INIT;
	char *c1 = retort__strdup(cur_spec), *c2 = retort__strdup(targets_spec), *save = NULL;
	retort_plan *p = NULL;
	int error;

	for (char *t = strtok_r(c1, " ", &save); t; t = strtok_r(NULL, " ", &save))
		retort_vec_push(&cur, t);
	for (char *t = strtok_r(c2, " ", &save); t; t = strtok_r(NULL, " ", &save))
		retort_vec_push(&tg, t);
	error = retort_plan_stamp(&p, g, (const char *const *)cur.items, cur.len,
		(const char *const *)tg.items, tg.len, purge);
	ck_assert_msg(error == code, "stamp %s from '%s': %d (%s)", targets_spec, cur_spec, error, fixture_errmsg());
	if (code == 0) {
		char *got = fixture_strs(&p->final_heads);
		ck_assert_int_eq(p->nsteps, 0);
		ck_assert_msg(!strcmp(got, expect), "stamp %s from '%s'%s: got '%s', expected '%s'",
			targets_spec, cur_spec, purge ? " --purge" : "", got, expect);
		free(got);
	} else {
		ck_assert_msg(strstr(fixture_errmsg(), expect), "'%s' lacks '%s'", fixture_errmsg(), expect);
	}
	retort_plan_free(p);
	retort_vec_dispose(&cur, false);
	retort_vec_dispose(&tg, false);
	free(c1);
	free(c2);
	retort_graph_free(g);
}

START_TEST(test_plan__stamp)
{
	static const char g3[] = "a; b<a; c<a; d<b,c; x";

	expect_stamp(g3, "", "heads", false, 0, "d x");
	expect_stamp(g3, "b c", "d", false, 0, "d");
	expect_stamp(g3, "d", "b", false, 0, "b");          /* backwards along the lineage */
	expect_stamp(g3, "b x", "c", false, 0, "b c x");      /* c is not on b's lineage: both rows */
	expect_stamp(g3, "b x", "a", false, 0, "a x");
	expect_stamp(g3, "d x", "base", false, 0, "");
	expect_stamp(g3, "b", "a d", false, 0, "d");        /* maximal rows only */
	expect_stamp(g3, "nope", "a", true, 0, "a");        /* --purge ignores the table */
	expect_stamp(g3, "nope", "a", false, RETORT_ENOTFOUND, "revision 'nope'");
	expect_stamp(g3, "", "zz", false, RETORT_ENOTFOUND, "no revision matches 'zz'");
}
END_TEST

START_TEST(test_plan__large_is_linear)
{
	/* 20,000 revisions in one line, upgraded from base and downgraded to base */
	retort_vec scripts = RETORT_VEC_INIT;
	retort_graph *g = NULL;
	retort_plan *p = NULL;
	const char *top[] = { "r19999" };

	for (int i = 0; i < 20000; i++) {
		char *text = i ? retort__sprintf("-- r\n-- Revision ID: r%d\n-- Revises: r%d\n-- retort:upgrade\n-- retort:downgrade\n", i, i - 1)
			: retort__sprintf("-- r\n-- Revision ID: r0\n-- retort:upgrade\n-- retort:downgrade\n");
		retort_script *s = NULL;
		ck_assert_int_eq(retort_script_parse(&s, "mem.sql", text, strlen(text)), 0);
		retort_vec_push(&scripts, s);
		free(text);
	}
	ck_assert_int_eq(retort_graph_build(&g, &scripts), 0);
	ck_assert_int_eq(retort_plan_upgrade(&p, g, NULL, 0, "heads"), 0);
	ck_assert_uint_eq(p->nsteps, 20000);
	ck_assert_str_eq(p->final_heads.items[0], "r19999");
	retort_plan_free(p);
	ck_assert_int_eq(retort_plan_downgrade(&p, g, top, 1, "base"), 0);
	ck_assert_uint_eq(p->nsteps, 20000);
	ck_assert_int_eq(p->final_heads.len, 0);
	retort_plan_free(p);
	retort_graph_free(g);
}
END_TEST

Suite *suite_plan(void);
Suite *suite_plan(void)
{
	Suite *s = suite_create("plan");
	TCase *up = tcase_create("retort_plan_upgrade");
	TCase *down = tcase_create("retort_plan_downgrade");
	TCase *stamp = tcase_create("retort_plan_stamp");

	tcase_add_test(up, test_plan__upgrade_linear);
	tcase_add_test(up, test_plan__upgrade_branches_and_merge);
	tcase_add_test(up, test_plan__upgrade_dependencies);
	tcase_add_test(up, test_plan__alembic_docs_example);
	tcase_add_test(up, test_plan__large_is_linear);
	tcase_add_test(down, test_plan__downgrade);
	tcase_add_test(down, test_plan__downgrade_errors);
	tcase_add_test(stamp, test_plan__stamp);
	suite_add_tcase(s, up);
	suite_add_tcase(s, down);
	suite_add_tcase(s, stamp);
	return s;
}

RETORT_SUITE(plan)
