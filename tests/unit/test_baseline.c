/*
 * test_baseline.c - baselines in the graph and in plans (baseline.c): the
 * replaced ids a database may hold, the literal graph a database inside a
 * range finishes it in, and the errors for what a squash cannot keep.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "graph_fixture.h"
#include "harness/suites.h"

/* Forty years of history in four revisions, squashed at r3; r5 and r6 came after. */
#define SQUASHED "r1; r2<r1; r3<r2; B =r1,r2,r3; r5<r3; r6<r5"
/* The same once the replaced files were pruned. */
#define PRUNED "B =r1,r2,r3; r5<r3; r6<r5"

typedef enum { UP, DOWN, STAMP } kind;

static retort_plan *plan(retort_graph *g, kind k, const char *cur_spec, const char *target, int *error)
{
	retort_vec cur = RETORT_VEC_INIT;
	char *copy = retort__strdup(cur_spec), *save = NULL;
	retort_plan *p = NULL;

	for (char *t = strtok_r(copy, " ", &save); t; t = strtok_r(NULL, " ", &save))
		retort_vec_push(&cur, t);
	if (k == UP)
		*error = retort_plan_upgrade(&p, g, (const char *const *)cur.items, cur.len, target);
	else if (k == DOWN)
		*error = retort_plan_downgrade(&p, g, (const char *const *)cur.items, cur.len, target);
	else
		*error = retort_plan_stamp(&p, g, (const char *const *)cur.items, cur.len, &target, 1, false);
	free(copy);
	retort_vec_dispose(&cur, false);
	return p;
}

static void expect_plan(const char *spec, kind k, const char *cur, const char *target, const char *expect)
{
	retort_graph *g = fixture_must(spec);
	int error = 0;
	retort_plan *p = plan(g, k, cur, target, &error);
	char *got;

	ck_assert_msg(error == 0, "%d %s from '%s' on '%s': %s", (int)k, target ? target : "(heads)",
		cur, spec, fixture_errmsg());
	got = fixture_plan_text(p);
	ck_assert_msg(!strcmp(got, expect), "%d %s from '%s' on '%s':\n got      '%s'\n expected '%s'",
		(int)k, target ? target : "(heads)", cur, spec, got, expect);
	free(got);
	retort_plan_free(p);
	retort_graph_free(g);
}

static void expect_plan_error(const char *spec, kind k, const char *cur, const char *target, const char *msg)
{
	retort_graph *g = fixture_must(spec);
	int error = 0;
	retort_plan *p = plan(g, k, cur, target, &error);

	ck_assert_msg(error < 0, "%s from '%s' on '%s' should fail", target, cur, spec);
	ck_assert_ptr_null(p);
	ck_assert_msg(strstr(fixture_errmsg(), msg), "%s from '%s' on '%s': '%s' lacks '%s'",
		target, cur, spec, fixture_errmsg(), msg);
	retort_graph_free(g);
}

static void expect_build_error(const char *spec, const char *msg)
{
	retort_graph *g = NULL;

	ck_assert_msg(fixture_graph(&g, spec) < 0, "'%s' should not build", spec);
	ck_assert_msg(strstr(fixture_errmsg(), msg), "'%s': '%s' lacks '%s'", spec, fixture_errmsg(), msg);
}

START_TEST(test_baseline__graph)
{
	retort_graph *g = fixture_must(SQUASHED);
	retort_revision *b = retort_graph_get(g, "B");
	retort_vec files = RETORT_VEC_INIT, got = RETORT_VEC_INIT;
	char *ids;

	/* the replaced files are no revisions: B stands where they were */
	ck_assert_uint_eq(retort_graph_count(g), 3);
	ck_assert_ptr_null(retort_graph_get(g, "r2"));
	ck_assert(retort_revision_is_baseline(b));
	ck_assert_str_eq(retort_revision_baseline_tip(b), "r3");
	ck_assert_str_eq((ids = fixture_ids(retort_graph_heads(g), true)), "r6");
	free(ids);
	ck_assert_uint_eq(b->parents.len, 0);
	ck_assert_str_eq((ids = fixture_ids(&retort_graph_get(g, "r5")->parents, true)), "B");
	free(ids);
	/* the tip names the baseline; the rest of the range names nothing, but is known */
	ck_assert_ptr_eq(retort_graph_lookup(g, "r3"), b);
	ck_assert_ptr_null(retort_graph_lookup(g, "r2"));
	ck_assert_ptr_eq(retort_graph_replaced_by(g, "r1"), b);
	ck_assert_ptr_null(retort_graph_replaced_by(g, "r5"));
	retort_graph_replaced_scripts(&files, g, b);
	ck_assert_uint_eq(files.len, 3);
	/* identifiers: the tip resolves to the baseline, an id inside the range is explained */
	ck_assert_int_eq(retort_graph_resolve(&got, g, "r3", NULL, 0), 0);
	ck_assert_ptr_eq(got.items[0], b);
	ck_assert_int_eq(retort_graph_resolve(&got, g, "r2", NULL, 0), RETORT_ENOTFOUND);
	ck_assert_msg(strstr(fixture_errmsg(), "one of the revisions baseline 'B' replaces"), "%s",
		fixture_errmsg());
	retort_vec_dispose(&files, false);
	retort_vec_dispose(&got, false);
	retort_graph_free(g);
}
END_TEST

START_TEST(test_baseline__upgrade)
{
	/* fresh: the baseline instead of the range */
	expect_plan(SQUASHED, UP, "", NULL, "B(:B) r5(B:r5) r6(r5:r6) => r6");
	/* at the tip: at the baseline, and the row keeps the tip's id until it moves */
	expect_plan(SQUASHED, UP, "r3", NULL, "r5(r3:r5) r6(r5:r6) => r6");
	expect_plan(SQUASHED, UP, "r3", "B", "=> r3");
	/* inside: the rest of the range, then on after the baseline */
	expect_plan(SQUASHED, UP, "r1", NULL, "r2(r1:r2) r3(r2:r3) r5(r3:r5) r6(r5:r6) => r6");
	expect_plan(SQUASHED, UP, "r1", "B", "r2(r1:r2) r3(r2:r3) => r3");
	/* a target inside the range: the old history */
	expect_plan(SQUASHED, UP, "", "r2", "r1(:r1) r2(r1:r2) => r2");
	expect_plan(SQUASHED, UP, "r1", "r2", "r2(r1:r2) => r2");
	expect_plan(SQUASHED, UP, "r5", "r2", "=> r5");
	/* ... but never on a database that has the baseline */
	expect_plan_error(SQUASHED, UP, "B", "r2", "the database has the baseline instead");
	/* pruned: the same without the range's files */
	expect_plan(PRUNED, UP, "", NULL, "B(:B) r5(B:r5) r6(r5:r6) => r6");
	expect_plan(PRUNED, UP, "r3", NULL, "r5(r3:r5) r6(r5:r6) => r6");
	expect_plan_error(PRUNED, UP, "r2", NULL, "are gone (pruned)");
	expect_plan_error(PRUNED, UP, "", "r2", "one of the revisions baseline 'B' replaces");
	/* two rows that mean the same revision */
	expect_plan_error(SQUASHED, UP, "B r3", NULL, "which name the same revision");
}
END_TEST

START_TEST(test_baseline__range_with_a_parent)
{
	/* squashed from r1: the baseline revises r1's parent */
	const char *spec = "a; r1<a; r2<r1; B<a =r1,r2; r3<r2";

	expect_plan(spec, UP, "", NULL, "a(:a) B(a:B) r3(B:r3) => r3");
	expect_plan(spec, UP, "a", NULL, "B(a:B) r3(B:r3) => r3");
	expect_plan(spec, UP, "r1", NULL, "r2(r1:r2) r3(r2:r3) => r3");
	expect_plan(spec, DOWN, "r2", "a", "-B(r2:a) => a");
	expect_plan(spec, DOWN, "r3", "base", "-r3(r3:B) -B(B:a) -a(a:) => ");
	/* a branch that merges into the range comes along when the range is finished */
	expect_plan("a; x; r1<a; r2<r1,x; B<a,x =r1,r2; r3<r2", UP, "r1", NULL,
		"x(r1:r1 x) r2(r1 x:r2) r3(r2:r3) => r3");
}
END_TEST

START_TEST(test_baseline__downgrade_and_stamp)
{
	expect_plan(SQUASHED, DOWN, "r3", "base", "-B(r3:) => ");
	expect_plan(SQUASHED, DOWN, "r6", "B", "-r6(r6:r5) -r5(r5:B) => B");
	expect_plan(SQUASHED, DOWN, "r6", "-2", "-r6(r6:r5) -r5(r5:B) => B");
	expect_plan(SQUASHED, DOWN, "r3", "-1", "-B(r3:) => ");
	/* inside the range, or down into it: the old history's own downgrades */
	expect_plan(SQUASHED, DOWN, "r2", "-1", "-r2(r2:r1) => r1");
	expect_plan(SQUASHED, DOWN, "r5", "r1", "-r5(r5:r3) -r3(r3:r2) -r2(r2:r1) => r1");
	expect_plan_error(PRUNED, DOWN, "r5", "r1", "one of the revisions baseline 'B' replaces");
	/* stamp keeps an alias row it does not move, and a target gets its own id */
	expect_plan("a; r1; r2<r1; B =r1,r2", STAMP, "r2", "a", "=> a r2");
	expect_plan(SQUASHED, STAMP, "r3", "B", "=> B");
	expect_plan(SQUASHED, STAMP, "r3", "r2", "=> r2");
}
END_TEST

START_TEST(test_baseline__nested)
{
	/* B1 replaced r1, r2 (pruned); B2 replaced B1 and what came after it */
	const char *spec = "B1 =r1,r2; r3<r2; r4<r3; B2 =B1,r3,r4; r5<r4";
	retort_graph *g = fixture_must(spec);

	ck_assert_uint_eq(retort_graph_count(g), 2);
	ck_assert_ptr_eq(retort_graph_replaced_by(g, "r1"), retort_graph_get(g, "B2"));
	ck_assert_ptr_eq(retort_graph_lookup(g, "r4"), retort_graph_get(g, "B2"));
	retort_graph_free(g);
	expect_plan(spec, UP, "", NULL, "B2(:B2) r5(B2:r5) => r5");
	/* a database at B1, or at the id B1 stood for: the rest of B2's range */
	expect_plan(spec, UP, "B1", NULL, "r3(B1:r3) r4(r3:r4) r5(r4:r5) => r5");
	expect_plan(spec, UP, "r2", NULL, "r3(r2:r3) r4(r3:r4) r5(r4:r5) => r5");
	expect_plan_error(spec, UP, "r1", NULL, "are gone (pruned)");
}
END_TEST

START_TEST(test_baseline__labels)
{
	/* the baseline carries the label; the literal graph keeps it where it was */
	const char *spec = "r1 @core; r2<r1; B =r1,r2 @core; r3<r2";
	retort_graph *g = fixture_must(spec);
	retort_vec got = RETORT_VEC_INIT;

	ck_assert_int_eq(retort_graph_resolve(&got, g, "core@head", NULL, 0), 0);
	ck_assert_str_eq(((retort_revision *)got.items[0])->id, "r3");
	retort_vec_dispose(&got, false);
	retort_graph_free(g);
	expect_plan(spec, UP, "r1", "core@head", "r2(r1:r2) r3(r2:r3) => r3");
}
END_TEST

START_TEST(test_baseline__errors)
{
	expect_build_error("r1; r2<r1; r3<r2; B =r1,r2,r3; x<r2",
		"revision 'x' revises 'r2', which baseline 'B' (versions/B.sql) replaces; only the last "
		"revision it replaces ('r3') can be revised");
	expect_build_error("r1; B<r1 =r1", "baseline 'B' revises 'r1', which it replaces");
	expect_build_error("r1; B =r1; C =r1", "revision 'r1' is replaced by two baselines");
	expect_build_error("B =C; C =B", "baselines replace each other in a circle");
	expect_build_error("r1; r1<r1; B =r1", "duplicate revision id 'r1'");
	expect_build_error("B =B", "revision 'B' replaces itself");
	/* a range whose files do not form a history: the main graph still works */
	{
		retort_graph *g = fixture_must("r2<gone; B =r1,r2; r3<r2");
		int error = 0;
		retort_plan *p = plan(g, UP, "r1", NULL, &error);
		ck_assert_int_lt(error, 0);
		ck_assert_ptr_null(p);
		ck_assert_msg(strstr(fixture_errmsg(), "do not form a history"), "%s", fixture_errmsg());
		p = plan(g, UP, "", NULL, &error);
		ck_assert_int_eq(error, 0);
		ck_assert_uint_eq(p->nsteps, 2);
		retort_plan_free(p);
		retort_graph_free(g);
	}
}
END_TEST

/* "replaces | parents | depends | labels" of a spec, or the error. */
static char *spec_text(const char *graph_spec, const char *range)
{
	retort_graph *g = fixture_must(graph_spec);
	retort_baseline_spec spec;
	retort_buf b = RETORT_BUF_INIT;
	char *ids;

	if (retort_graph_baseline_spec(&spec, g, range) < 0) {
		retort_buf_printf(&b, "error: %s", fixture_errmsg());
	} else {
		retort_buf_printf(&b, "%s | ", (ids = fixture_ids(&spec.replaces, false)));
		free(ids);
		retort_buf_printf(&b, "%s | ", (ids = fixture_ids(&spec.parents, true)));
		free(ids);
		retort_buf_printf(&b, "%s | ", (ids = fixture_ids(&spec.depends, true)));
		free(ids);
		retort_buf_printf(&b, "%s", (ids = fixture_strs(&spec.labels)));
		free(ids);
		ck_assert_ptr_eq(spec.tip, spec.replaces.items[spec.replaces.len - 1]);
		retort_baseline_spec_dispose(&spec);
	}
	retort_graph_free(g);
	return retort_buf_detach(&b);
}

static void expect_spec(const char *graph_spec, const char *range, const char *expect)
{
	char *got = spec_text(graph_spec, range);

	ck_assert_msg(strstr(got, expect) == got, "%s on '%s':\n got      '%s'\n expected '%s'",
		range, graph_spec, got, expect);
	free(got);
}

START_TEST(test_baseline__spec)
{
	const char *line = "a; r1<a @core; r2<r1 ~d; d; r3<r2; r4<r3";

	expect_spec(line, "r1:r3", "r1 r2 r3 | a | d | core");
	expect_spec(line, "r3", "a r1 r2 r3 | ");
	expect_spec(line, "r2:r2", "error: the range 'r2:r2' holds 1 revision");
	expect_spec(line, "r3:r1", "error: 'r3' is not an ancestor of 'r1'");
	expect_spec("a; r1<a; r2<r1; r3<r2; x<r2", "r3",
		"error: revision 'x' (versions/x.sql) revises 'r2', inside the range");
	/* the tip may have children: they will revise the baseline */
	expect_spec("a; r1<a; r2<r1; r3<r2; x<r2", "r1:r2", "r1 r2 | a |  | ");
	/* a merge inside the range brings its other parent along as a parent of the baseline */
	expect_spec("a; x; r1<a; r2<r1,x; r3<r2", "r1:r3", "r1 r2 r3 | a x |  | ");
	expect_spec(SQUASHED, "r6", "error: the range holds baseline 'B'");
	expect_spec(PRUNED, "r6", "B r5 r6 |  |  | ");
}
END_TEST

Suite *suite_baseline(void);
Suite *suite_baseline(void)
{
	Suite *s = suite_create("baseline");
	TCase *graph = tcase_create("graph");
	TCase *plans = tcase_create("plans");

	tcase_add_test(graph, test_baseline__graph);
	tcase_add_test(graph, test_baseline__labels);
	tcase_add_test(graph, test_baseline__errors);
	tcase_add_test(graph, test_baseline__spec);
	tcase_add_test(plans, test_baseline__upgrade);
	tcase_add_test(plans, test_baseline__range_with_a_parent);
	tcase_add_test(plans, test_baseline__downgrade_and_stamp);
	tcase_add_test(plans, test_baseline__nested);
	suite_add_tcase(s, graph);
	suite_add_tcase(s, plans);
	return s;
}

RETORT_SUITE(baseline)
