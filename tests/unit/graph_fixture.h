/*
 * graph_fixture.h - build revision graphs for the graph, resolve and plan
 * suites from a one-line description, through the real parser.
 *
 *   "a; b<a; c<b @net; d<b,c ~a !"
 *
 * Each ';'-separated item is an id, optionally "<" and comma-separated
 * parents, "@label" for a branch label, "~dep" for Depends On, and "!" for
 * a revision without a downgrade section, "=a,b" for a baseline's Replaces.
 * Every item becomes the text of a real SQL revision file, parsed by
 * retort_script_parse.
 */
#ifndef RETORT_TEST_GRAPH_FIXTURE_H
#define RETORT_TEST_GRAPH_FIXTURE_H

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "graph/graph.h"
#include "graph/script.h"

/*
 * A SQL revision that uses every header key (the parser's and the header
 * cache's tests share it): the header is on lines 1-8, the upgrade body on
 * line 11, the downgrade body on line 14.
 */
#define FIXTURE_FULL_SQL \
	"-- create users table\n" \
	"--\n" \
	"-- Revision ID: 4f2a9c1d7b3e\n" \
	"-- Revises: 1c9d0e8a6f21, 99aa\n" \
	"-- Create Date: 2026-11-21 09:14:02+00:00\n" \
	"-- Branch Labels: auth\n" \
	"-- Depends On: 77ff, net\n" \
	"-- Transactional: no\n" \
	"-- Foreign Keys: off\n" \
	"\n" \
	"-- retort:upgrade\n" \
	"CREATE TABLE users (id INTEGER PRIMARY KEY);\n" \
	"\n" \
	"-- retort:downgrade\n" \
	"DROP TABLE users;\n"

static inline int fixture_graph(retort_graph **out, const char *spec)
{
	char *copy = retort__strdup(spec), *save = NULL;
	retort_vec scripts = RETORT_VEC_INIT;
	int error = 0;

	for (char *item = strtok_r(copy, ";", &save); item; item = strtok_r(NULL, ";", &save)) {
		retort_buf text = RETORT_BUF_INIT, revises = RETORT_BUF_INIT;
		retort_buf labels = RETORT_BUF_INIT, deps = RETORT_BUF_INIT, replaces = RETORT_BUF_INIT;
		char *save2 = NULL, *id = NULL, *path;
		bool irreversible = false;
		retort_script *s = NULL;

		for (char *w = strtok_r(item, " ", &save2); w; w = strtok_r(NULL, " ", &save2)) {
			if (w[0] == '@')
				retort_buf_printf(&labels, "%s%s", labels.size ? ", " : "", w + 1);
			else if (w[0] == '~')
				retort_buf_printf(&deps, "%s%s", deps.size ? ", " : "", w + 1);
			else if (w[0] == '=')
				retort_buf_puts(&replaces, w + 1);
			else if (!strcmp(w, "!"))
				irreversible = true;
			else {
				char *lt = strchr(w, '<');
				if (lt) {
					*lt = '\0';
					retort_buf_puts(&revises, lt + 1);
				}
				id = w;
			}
		}
		if (!id)
			id = "missing_id";
		retort_buf_printf(&text,
			"-- revision %s\n--\n-- Revision ID: %s\n-- Revises: %s\n"
			"-- Branch Labels: %s\n-- Depends On: %s\n-- Replaces: %s\n\n-- retort:upgrade\nSELECT 1;\n",
			id, id, revises.ptr, labels.ptr, deps.ptr, replaces.ptr);
		if (!irreversible)
			retort_buf_puts(&text, "\n-- retort:downgrade\nSELECT 2;\n");
		if (!id)
			id = "missing_id";
		path = retort__sprintf("versions/%s.sql", id);
		error = retort_script_parse(&s, path, text.ptr, text.size);
		free(path);
		retort_buf_dispose(&text);
		retort_buf_dispose(&revises);
		retort_buf_dispose(&labels);
		retort_buf_dispose(&deps);
		retort_buf_dispose(&replaces);
		if (error < 0)
			break;
		retort_vec_push(&scripts, s);
	}
	free(copy);
	if (error < 0) {
		for (size_t i = 0; i < scripts.len; i++)
			retort_script_free(scripts.items[i]);
		retort_vec_dispose(&scripts, false);
		*out = NULL;
		return error;
	}
	return retort_graph_build(out, &scripts);
}

/* Build or fail the test, naming the spec and the error. */
static inline retort_graph *fixture_must(const char *spec)
{
	retort_graph *graph = NULL;
	int error = fixture_graph(&graph, spec);
	const retort_error *e = retort_error_last();

	ck_assert_msg(error == 0, "graph '%s': %s", spec, e ? e->message : "?");
	return graph;
}

/* Ids of a vec of revisions, sorted, space-separated ("" when empty); caller frees. */
static inline int fixture_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static inline char *fixture_ids(const retort_vec *revs, bool sort)
{
	retort_vec ids = RETORT_VEC_INIT;
	retort_buf b = RETORT_BUF_INIT;

	for (size_t i = 0; i < revs->len; i++)
		retort_vec_push(&ids, (void *)((retort_revision *)revs->items[i])->id);
	if (sort)
		retort_vec_sort(&ids, fixture_cmp);
	for (size_t i = 0; i < ids.len; i++)
		retort_buf_printf(&b, "%s%s", i ? " " : "", (char *)ids.items[i]);
	retort_vec_dispose(&ids, false);
	retort_buf_grow(&b, 1);
	return retort_buf_detach(&b);
}

/* Space-separated strings of a vec of char * (already sorted by the plan). */
static inline char *fixture_strs(const retort_vec *v)
{
	retort_buf b = RETORT_BUF_INIT;

	for (size_t i = 0; i < v->len; i++)
		retort_buf_printf(&b, "%s%s", i ? " " : "", (char *)v->items[i]);
	retort_buf_grow(&b, 1);
	return retort_buf_detach(&b);
}

/*
 * A plan as text: "a(:a) b(a:b) ... => final" - each step's revision, with
 * the version table before and after; downgrade steps are prefixed with
 * '-'.  Caller frees.
 */
static inline char *fixture_plan_text(const retort_plan *p)
{
	retort_buf b = RETORT_BUF_INIT;

	for (size_t i = 0; i < p->nsteps; i++) {
		char *before = fixture_strs(&p->steps[i].heads_before);
		char *after = fixture_strs(&p->steps[i].heads_after);
		retort_buf_printf(&b, "%s%s(%s:%s) ", p->steps[i].direction == RETORT_DOWNGRADE ? "-" : "",
			p->steps[i].rev->id, before, after);
		free(before);
		free(after);
	}
	{
		char *fin = fixture_strs(&p->final_heads);
		retort_buf_printf(&b, "=> %s", fin);
		free(fin);
	}
	return retort_buf_detach(&b);
}

static inline const char *fixture_errmsg(void)
{
	const retort_error *e = retort_error_last();
	return e ? e->message : "";
}

#endif
