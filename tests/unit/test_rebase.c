/*
 * test_rebase.c - what `retort rebase` changes and refuses (rebase.c, on
 * graphs and scripts built in memory), and the in-place Revises rewrite
 * it relies on (script_edit.c, on real files).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/common.h"
#include "git/rebase.h"
#include "graph_fixture.h"
#include "harness/suites.h"

/*
 * Scripts from "id<parents =replaced; ..." without building a graph (a
 * branch alone need not form one), appended to `out`.
 */
static void raw_scripts(retort_vec *out, const char *spec)
{
	char *copy = retort__strdup(spec), *save = NULL;

	for (char *item = strtok_r(copy, ";", &save); item; item = strtok_r(NULL, ";", &save)) {
		char *save2 = NULL, *id = NULL, *parents = "", *replaces = "", *text, *path;
		retort_script *s = NULL;
		for (char *w = strtok_r(item, " ", &save2); w; w = strtok_r(NULL, " ", &save2)) {
			char *lt = strchr(w, '<');
			if (w[0] == '=') {
				replaces = w + 1;
				continue;
			}
			if (lt) {
				*lt = '\0';
				parents = lt + 1;
			}
			id = w;
		}
		if (!id)
			continue;
		text = retort__sprintf("-- m\n-- Revision ID: %s\n-- Revises: %s\n-- Replaces: %s\n"
			"-- retort:upgrade\n", id, parents, replaces);
		path = retort__sprintf("versions/%s.sql", id);
		ck_assert_int_eq(retort_script_parse(&s, path, text, strlen(text)), 0);
		retort_vec_push(out, s);
		free(text);
		free(path);
	}
	free(copy);
}

/* "root: old -> new" or "why: ..." or "error: ..." */
static char *rebase_text(const char *base_spec, const char *tree_spec, const char *branch_spec)
{
	retort_graph *bg = fixture_must(base_spec);
	retort_vec cur = RETORT_VEC_INIT;
	retort_rebase_plan plan;
	retort_buf b = RETORT_BUF_INIT;

	memset(&plan, 0, sizeof(plan));
	raw_scripts(&cur, tree_spec);
	raw_scripts(&cur, branch_spec);
	if (retort_rebase_compare(&plan, bg, &cur) < 0) {
		retort_buf_printf(&b, "error: %s", fixture_errmsg());
	} else if (plan.root) {
		char *old = fixture_strs(&plan.old_revises), *now = fixture_strs(&plan.new_revises);
		retort_buf_printf(&b, "%s: %s -> %s", plan.root, old, now);
		free(old);
		free(now);
	} else {
		retort_buf_printf(&b, "why: %s", plan.why);
	}
	free(plan.base_head);
	free(plan.root);
	free(plan.root_path);
	retort_vec_dispose(&plan.new_revisions, true);
	retort_vec_dispose(&plan.old_revises, true);
	retort_vec_dispose(&plan.new_revises, true);
	for (size_t i = 0; i < cur.len; i++)
		retort_script_free(cur.items[i]);
	retort_vec_dispose(&cur, false);
	retort_graph_free(bg);
	return retort_buf_detach(&b);
}

static void expect_rebase(const char *base, const char *tree, const char *branch, const char *expect)
{
	char *got = rebase_text(base, tree, branch);

	ck_assert_msg(strstr(got, expect) == got, "branch '%s' on '%s':\n got      '%s'\n expected '%s'",
		branch, base, got, expect);
	free(got);
}

#define BASE "a; b<a; m<b"

START_TEST(test_rebase__moves_the_first_of_a_line)
{
	/* three in a line: only the first moves */
	expect_rebase(BASE, BASE, "f1<b; f2<f1; f3<f2", "f1: b -> m");
	/* a branch and merge inside the new revisions: still one start, one end */
	expect_rebase(BASE, BASE, "f1<b; f2<f1; f3<f1; f4<f2,f3", "f1: b -> m");
	/* the base's head not merged in yet: the move is still the same */
	expect_rebase(BASE, "a; b<a", "f1<b", "f1: b -> m");
	/* an id inside a range the base squashed: onto the head */
	expect_rebase("B =a,b; m<b", "B =a,b; m<b", "f1<a", "f1: a -> m");
}
END_TEST

START_TEST(test_rebase__nothing_to_do)
{
	expect_rebase(BASE, BASE, "", "why: there are no new revisions");
	expect_rebase(BASE, BASE, "f1<m; f2<f1", "why: the new revisions already build on the base's head");
	/* joined by a merge already */
	expect_rebase(BASE, BASE, "f1<b; j<f1,m", "why: the new revisions already build on the base's head");
	/* a tip id counts as the baseline it stands for */
	expect_rebase("B =a,b", "B =a,b", "f1<b", "why: the new revisions already build");
}
END_TEST

START_TEST(test_rebase__refusals)
{
	expect_rebase("a; b<a; c<a", "a; b<a; c<a", "f1<b",
		"error: the base itself has several heads (b, c)");
	expect_rebase(BASE, BASE, "f1<b; f2<f1; f3<f1", "error: the new revisions end in several heads (f2, f3)");
	expect_rebase(BASE, BASE, "f1<a; f2<b; f3<f1,f2",
		"error: the new revisions start from several revisions of the base (f1, f2");
	expect_rebase(BASE, BASE, "f1<a,b", "error: new revision 'f1' merges revisions of the base (a, b)");
	expect_rebase(BASE, BASE, "f1", "error: new revision 'f1' starts a new base");
	expect_rebase(BASE, BASE, "f1<nowhere", "error: new revision 'f1' revises 'nowhere', which the base does not have");
}
END_TEST

/* --- retort_script_set_revises -------------------------------------------- */

static char *write_tmp(const char *name, const char *text)
{
	char *dir = retort__strdup("/tmp/retort-rebase-XXXXXX"), *path;
	const char *tmp = getenv("TMPDIR");

	if (tmp && *tmp) {
		free(dir);
		dir = retort__sprintf("%s/retort-rebase-XXXXXX", tmp);
	}
	ck_assert_ptr_nonnull(mkdtemp(dir));
	path = retort__path_join(dir, name);
	ck_assert_int_eq(retort__file_write_mode(path, text, strlen(text), 0640), 0);
	free(dir);
	return path;
}

static void remove_tmp(char *path)
{
	char *dir = retort__path_dirname(path);

	unlink(path);
	rmdir(dir);
	free(dir);
	free(path);
}

static void expect_rewrite(const char *name, const char *before, const char *const *ids, size_t n,
	const char *after)
{
	char *path = write_tmp(name, before), *text = NULL;
	struct stat st;

	ck_assert_msg(retort_script_set_revises(path, ids, n) == 0, "%s: %s", name, fixture_errmsg());
	ck_assert_int_eq(retort__file_read(&text, NULL, path), 0);
	ck_assert_msg(!strcmp(text, after), "%s:\n got      '%s'\n expected '%s'", name, text, after);
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_uint_eq(st.st_mode & 0777, 0640);
	free(text);
	remove_tmp(path);
}

START_TEST(test_rebase__rewrite_only_revises)
{
	static const char *const m[] = { "m1" };
	static const char *const two[] = { "m1", "f0" };

	expect_rewrite("f1.sql",
		"-- f1\r\n--\r\n-- Revision ID: f1\r\n-- revises :  a2  \r\n\r\n-- retort:upgrade\r\nSELECT 'Revises: a2';\r\n",
		m, 1,
		"-- f1\r\n--\r\n-- Revision ID: f1\r\n-- revises :  m1  \r\n\r\n-- retort:upgrade\r\nSELECT 'Revises: a2';\r\n");
	expect_rewrite("f2.sql",
		"\n-- f2: Revises: a2 is in the message\n-- Revision ID: f2\n-- Revises: a2, f0\n-- retort:upgrade\n",
		two, 2,
		"\n-- f2: Revises: a2 is in the message\n-- Revision ID: f2\n-- Revises: m1, f0\n-- retort:upgrade\n");
	expect_rewrite("f3.c",
		"/* f3\n *\n * Revision ID: f3\n * Revises: a2 */\nint upgrade(void *c) { return 0; } /* Revises: a2 */\n",
		m, 1,
		"/* f3\n *\n * Revision ID: f3\n * Revises: m1 */\nint upgrade(void *c) { return 0; } /* Revises: a2 */\n");
}
END_TEST

START_TEST(test_rebase__rewrite_refusals)
{
	static const char *const m[] = { "m1" };
	static const char *const bad[] = { "m-1" };
	char *path = write_tmp("f1.sql", "-- f1\n-- Revision ID: f1\n-- retort:upgrade\n");

	ck_assert_int_lt(retort_script_set_revises(path, m, 1), 0);
	ck_assert_msg(strstr(fixture_errmsg(), "no 'Revises:' header line to change"), "%s", fixture_errmsg());
	ck_assert_int_lt(retort_script_set_revises(path, bad, 1), 0);
	ck_assert_msg(strstr(fixture_errmsg(), "invalid revision id 'm-1'"), "%s", fixture_errmsg());
	remove_tmp(path);
}
END_TEST

Suite *suite_rebase(void);
Suite *suite_rebase(void)
{
	Suite *s = suite_create("rebase");
	TCase *plan = tcase_create("retort_rebase_compare");
	TCase *edit = tcase_create("retort_script_set_revises");

	tcase_add_test(plan, test_rebase__moves_the_first_of_a_line);
	tcase_add_test(plan, test_rebase__nothing_to_do);
	tcase_add_test(plan, test_rebase__refusals);
	tcase_add_test(edit, test_rebase__rewrite_only_revises);
	tcase_add_test(edit, test_rebase__rewrite_refusals);
	suite_add_tcase(s, plan);
	suite_add_tcase(s, edit);
	return s;
}

RETORT_SUITE(rebase)
