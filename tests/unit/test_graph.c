/* test_graph.c - building and checking the revision DAG (graph.c, scriptdir.c). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "graph_fixture.h"
#include "harness/suites.h"

static void build_fails(const char *spec, int code, const char *expect)
{
	retort_graph *g = NULL;
	int error = fixture_graph(&g, spec);

	ck_assert_msg(error == code, "graph '%s': expected %d, got %d (%s)", spec, code, error, fixture_errmsg());
	ck_assert_ptr_null(g);
	ck_assert_msg(strstr(fixture_errmsg(), expect) != NULL,
		"graph '%s': error '%s' lacks '%s'", spec, fixture_errmsg(), expect);
}

static void check_ids(const char *what, const retort_vec *v, bool sort, const char *expect)
{
	char *ids = fixture_ids(v, sort);
	ck_assert_msg(!strcmp(ids, expect), "%s: got '%s', expected '%s'", what, ids, expect);
	free(ids);
}

/*
 * The graph's bases (revisions without parents) as `+1` from an empty
 * database sees them: the one base, or an ambiguity that names them all.
 */
static void check_bases(const retort_graph *g, const char *expect)
{
	retort_vec got = RETORT_VEC_INIT;
	int error = retort_graph_resolve(&got, g, "+1", NULL, 0);

	if (!strchr(expect, ',')) {
		ck_assert_msg(error == 0, "+1: %s", fixture_errmsg());
		check_ids("bases", &got, false, expect);
	} else {
		ck_assert_int_eq(error, RETORT_EAMBIGUOUS);
		ck_assert_msg(strstr(fixture_errmsg(), expect), "'%s' lacks '%s'", fixture_errmsg(), expect);
	}
	retort_vec_dispose(&got, false);
}

START_TEST(test_graph__linear)
{
	retort_graph *g = fixture_must("c<b; a; b<a");
	retort_vec order = RETORT_VEC_INIT;

	ck_assert_int_eq(retort_graph_count(g), 3);
	for (size_t i = 0; i < retort_graph_count(g); i++) {
		ck_assert_uint_eq(retort_graph_at(g, i)->topo, i);
		retort_vec_push(&order, retort_graph_at(g, i));
	}
	check_ids("topological order", &order, false, "a b c");
	check_ids("heads", retort_graph_heads(g), false, "c");
	check_bases(g, "a");
	ck_assert_ptr_eq(retort_graph_get(g, "b")->parents.items[0], retort_graph_get(g, "a"));
	ck_assert_ptr_null(retort_graph_get(g, "zz"));
	ck_assert_ptr_null(retort_graph_at(g, 3));
	retort_vec_dispose(&order, false);
	retort_graph_free(g);
}
END_TEST

START_TEST(test_graph__branches_and_merges)
{
	retort_graph *g = fixture_must("a; b<a; c<a; d<b,c; e; f<e");
	retort_revision *a = retort_graph_get(g, "a"), *d = retort_graph_get(g, "d");

	check_ids("heads", retort_graph_heads(g), true, "d f");
	check_bases(g, "several bases: a, e");
	ck_assert(retort_revision_is_branch_point(a));
	ck_assert(!retort_revision_is_merge_point(a));
	ck_assert(retort_revision_is_merge_point(d));
	ck_assert(retort_revision_is_head(d));
	/* every edge goes forward in the topological order */
	for (size_t i = 0; i < retort_graph_count(g); i++) {
		retort_revision *r = retort_graph_at(g, i);
		for (size_t j = 0; j < r->parents.len; j++)
			ck_assert_msg(((retort_revision *)r->parents.items[j])->topo < r->topo, "edge into %s", r->id);
	}
	/* a branch stays together: b's line is not interleaved with c's */
	ck_assert_uint_eq(retort_graph_get(g, "d")->topo, retort_graph_get(g, "c")->topo + 1);
	retort_graph_free(g);
}
END_TEST

START_TEST(test_graph__dependencies)
{
	retort_graph *g = fixture_must("a; b<a @net; x; y<x ~b");
	retort_revision *y = retort_graph_get(g, "y"), *b = retort_graph_get(g, "b");
	retort_vec resolved = RETORT_VEC_INIT;

	ck_assert_int_eq(y->dependencies.len, 1);
	ck_assert_ptr_eq(y->dependencies.items[0], b);
	ck_assert_ptr_eq(b->dependents.items[0], y);
	ck_assert_uint_lt(b->topo, y->topo);
	/* a dependency never merges: b stays a head */
	check_ids("heads", retort_graph_heads(g), true, "b y");
	retort_graph_heads_resolved(&resolved, g);
	check_ids("heads --resolve-dependencies", &resolved, true, "y");
	retort_vec_dispose(&resolved, false);
	retort_graph_free(g);

	/* by label and by prefix */
	g = fixture_must("abc1; b<abc1 @net; y ~net; z ~abc");
	ck_assert_ptr_eq(retort_graph_get(g, "y")->dependencies.items[0], retort_graph_get(g, "b"));
	ck_assert_ptr_eq(retort_graph_get(g, "z")->dependencies.items[0], retort_graph_get(g, "abc1"));
	retort_graph_free(g);
}
END_TEST

START_TEST(test_graph__labels_spread)
{
	/* a -> b -> c(label) -> d; b is a branch point (b -> e) */
	retort_graph *g = fixture_must("a; b<a; c<b @cart; d<c; e<b; m<d,e");
	retort_revision *r;

	r = retort_graph_get(g, "d");
	ck_assert_int_eq(r->labels.len, 1);
	ck_assert_str_eq(r->labels.items[0], "cart");
	ck_assert_int_eq(retort_graph_get(g, "c")->labels.len, 1);
	ck_assert_int_eq(retort_graph_get(g, "m")->labels.len, 1);   /* descendants keep it */
	ck_assert_int_eq(retort_graph_get(g, "b")->labels.len, 0);   /* not past a branch point */
	ck_assert_int_eq(retort_graph_get(g, "e")->labels.len, 0);
	retort_graph_free(g);

	/* through a merge, once */
	g = fixture_must("a @x; b<a @y; c<a; d<b,c");
	r = retort_graph_get(g, "d");
	ck_assert_int_eq(r->labels.len, 2);
	ck_assert(!strcmp(r->labels.items[0], "x") || !strcmp(r->labels.items[1], "x"));
	ck_assert(!strcmp(r->labels.items[0], "y") || !strcmp(r->labels.items[1], "y"));
	ck_assert_int_eq(retort_graph_get(g, "c")->labels.len, 1);
	retort_graph_free(g);

	/* up the single-parent chain until the base */
	g = fixture_must("a; b<a; c<b @solo");
	ck_assert_int_eq(retort_graph_get(g, "a")->labels.len, 1);
	retort_graph_free(g);
}
END_TEST

START_TEST(test_graph__errors)
{
	build_fails("a; b<a; b<a", RETORT_EEXISTS,
		"duplicate revision id 'b' in 'versions/b.sql' and 'versions/b.sql'");
	build_fails("a; b<zz", RETORT_ENOTFOUND,
		"versions/b.sql:3: revision 'b' revises 'zz', which no script defines");
	build_fails("a<b; b<a", RETORT_ERROR, "revision graph has a cycle: a -> b -> a");
	build_fails("r; a<r,c; b<a; c<b", RETORT_ERROR, "cycle: a -> c -> b -> a");
	build_fails("a<a", RETORT_ERROR, "cycle: a -> a");
}
END_TEST

START_TEST(test_graph__dependency_errors)
{
	build_fails("a; b ~nope", RETORT_ENOTFOUND,
		"versions/b.sql:3: revision 'b' depends on 'nope', which is no revision id or branch label");
	build_fails("abc1; abc2; b ~abc", RETORT_EAMBIGUOUS, "Depends On 'abc' is ambiguous: abc1, abc2");
	build_fails("a ~b; b ~a", RETORT_ERROR, "cycle:");
	build_fails("a @x; b @x", RETORT_ERROR, "branch label 'x' is already used by revision 'a'");
	build_fails("a; b @a", RETORT_ERROR, "branch label 'a' is also the id of revision 'a'");
}
END_TEST

START_TEST(test_graph__load_dirs)
{
	char dir[] = "/tmp/retort-graph-XXXXXX";
	retort_config cfg;
	retort_graph *g = NULL;
	char *p;
	int error;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	memset(&cfg, 0, sizeof(cfg));
	p = retort__sprintf("%s/v1/sub", dir);
	ck_assert_int_eq(retort__mkdir_p(p, 0755), 0);
	free(p);
	p = retort__sprintf("%s/v2", dir);
	ck_assert_int_eq(retort__mkdir_p(p, 0755), 0);
	free(p);
#define WRITE(name, text) do { char *f = retort__sprintf("%s/%s", dir, name); \
	ck_assert_int_eq(retort__file_write(f, text, strlen(text)), 0); free(f); } while (0)
	WRITE("v1/a_first.sql", "-- first\n-- Revision ID: a\n-- retort:upgrade\n");
	WRITE("v1/README", "not a revision\n");
	WRITE("v1/sub/c_third.sql", "-- third\n-- Revision ID: c\n-- Revises: b\n-- retort:upgrade\n");
	WRITE("v2/b_second.c", "/* second\n * Revision ID: b\n * Revises: a\n */\n");
	retort_vec_push(&cfg.version_locations, retort__sprintf("%s/v1", dir));
	retort_vec_push(&cfg.version_locations, retort__sprintf("%s/v2", dir));

	/* without recursion, c is not seen */
	ck_assert_int_eq(retort_graph_load(&g, &cfg), 0);
	ck_assert_int_eq(retort_graph_count(g), 2);
	ck_assert_str_eq(((retort_revision *)retort_graph_heads(g)->items[0])->id, "b");
	retort_graph_free(g);

	cfg.recursive_version_locations = true;
	ck_assert_int_eq(retort_graph_load(&g, &cfg), 0);
	ck_assert_int_eq(retort_graph_count(g), 3);
	ck_assert_str_eq(((retort_revision *)retort_graph_heads(g)->items[0])->id, "c");
	retort_graph_free(g);

	/* a broken file names itself */
	WRITE("v2/d.sql", "-- d\n-- Revision ID: d\n-- Rev: a\n-- retort:upgrade\n");
	error = retort_graph_load(&g, &cfg);
	ck_assert_int_lt(error, 0);
	ck_assert_msg(strstr(fixture_errmsg(), "/v2/d.sql:3: unknown header key 'Rev'"), "%s", fixture_errmsg());

	retort_vec_push(&cfg.version_locations, retort__sprintf("%s/missing", dir));
	error = retort_graph_load(&g, &cfg);
	ck_assert_int_lt(error, 0);
	retort_vec_dispose(&cfg.version_locations, true);
	{
		pid_t pid = fork();
		if (pid == 0) {
			char *cmd[] = { "rm", "-rf", dir, NULL };
			execvp(cmd[0], cmd);
			_exit(127);
		}
		waitpid(pid, NULL, 0);
	}
#undef WRITE
}
END_TEST

START_TEST(test_graph__large_linear)
{
	/* 20,000 revisions: building must stay linear (this runs in milliseconds) */
	retort_vec scripts = RETORT_VEC_INIT;
	retort_graph *g = NULL;

	for (int i = 0; i < 20000; i++) {
		char *text = i ? retort__sprintf("-- r\n-- Revision ID: r%d\n-- Revises: r%d\n-- retort:upgrade\n", i, i - 1)
			: retort__sprintf("-- r\n-- Revision ID: r0\n-- retort:upgrade\n");
		retort_script *s = NULL;
		ck_assert_int_eq(retort_script_parse(&s, "mem.sql", text, strlen(text)), 0);
		retort_vec_push(&scripts, s);
		free(text);
	}
	ck_assert_int_eq(retort_graph_build(&g, &scripts), 0);
	ck_assert_str_eq(((retort_revision *)retort_graph_heads(g)->items[0])->id, "r19999");
	ck_assert_str_eq(retort_graph_at(g, 19999)->id, "r19999");
	retort_graph_free(g);
}
END_TEST

Suite *suite_graph(void);
Suite *suite_graph(void)
{
	Suite *s = suite_create("graph");
	TCase *build = tcase_create("retort_graph_build");
	TCase *load = tcase_create("retort_graph_load");

	tcase_add_test(build, test_graph__linear);
	tcase_add_test(build, test_graph__branches_and_merges);
	tcase_add_test(build, test_graph__dependencies);
	tcase_add_test(build, test_graph__labels_spread);
	tcase_add_test(build, test_graph__errors);
	tcase_add_test(build, test_graph__dependency_errors);
	tcase_add_test(build, test_graph__large_linear);
	tcase_add_test(load, test_graph__load_dirs);
	suite_add_tcase(s, build);
	suite_add_tcase(s, load);
	return s;
}

RETORT_SUITE(graph)
