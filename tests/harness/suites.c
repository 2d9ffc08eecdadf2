/*
 * suites.c - the registry behind RETORT_SUITE and a runner for it.
 */
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness/suites.h"

#define MAX_SUITES 128

static struct { const char *name; retort_suite_fn fn; } suites[MAX_SUITES];
static int nsuites;

void retort_test_register(const char *name, retort_suite_fn fn)
{
	if (nsuites < MAX_SUITES) {
		suites[nsuites].name = name;
		suites[nsuites].fn = fn;
		nsuites++;
	}
}

void retort_test_add_dialect_cases(Suite *s, const retort_test_case *cases, size_t n, double timeout)
{
	for (size_t i = 0; i < n; i++) {
		TCase *tc = tcase_create(cases[i].name);
		tcase_add_loop_test(tc, cases[i].fn, 0, 2);
		tcase_set_timeout(tc, timeout);
		suite_add_tcase(s, tc);
	}
}

/*
 * $RETORT_SUITES: a comma-separated list of suites to run, or of suites
 * to leave out when each is written "!name".  Unset or empty: all.
 */
static int wanted(const char *name)
{
	const char *filter = getenv("RETORT_SUITES");
	size_t n = strlen(name);
	int excluding = filter && filter[0] == '!';

	if (!filter || !*filter)
		return 1;
	for (const char *p = filter; *p; ) {
		const char *end = strchr(p, ',');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		const char *item = p;
		if (*item == '!') {
			item++;
			len--;
		}
		if (len == n && strncmp(item, name, n) == 0)
			return !excluding;
		p += (size_t)(item - p) + len + (end ? 1 : 0);
	}
	return excluding;
}

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	remove(path); /* best effort: a leftover temp dir is no failure */
	return 0;
}

/*
 * Tests load graphs and compile C revisions, which write caches under
 * $XDG_CACHE_HOME: give them a private one, gone when the run ends, so a
 * test run never reads or fills the caches of whoever runs it.
 */
static char *private_cache(void)
{
	char *dir = strdup("/tmp/retort-test-cache.XXXXXX");

	if (!dir || !mkdtemp(dir)) {
		free(dir);
		return NULL;
	}
	setenv("XDG_CACHE_HOME", dir, 1);
	unsetenv("RETORT_GRAPH_CACHE");
	return dir;
}

int retort_test_run_all(void)
{
	SRunner *runner = NULL;
	char *cache;
	int failed;

	for (int i = 0; i < nsuites; i++) {
		if (!wanted(suites[i].name))
			continue;
		if (!runner)
			runner = srunner_create(suites[i].fn());
		else
			srunner_add_suite(runner, suites[i].fn());
	}
	if (!runner)
		return 0;
	cache = private_cache();
	srunner_run_all(runner, CK_NORMAL);
	failed = srunner_ntests_failed(runner);
	srunner_free(runner);
	if (cache)
		nftw(cache, remove_one, 16, FTW_DEPTH | FTW_PHYS);
	free(cache);
	return failed == 0 ? 0 : 1;
}
