/*
 * backfill post slugs
 *
 * Revision ID: e5f6a7b8c9d0
 * Revises: d4e5f6a7b8c9
 * Create Date: 2026-11-21 09:40:00+00:00
 * Branch Labels:
 * Depends On:
 * Transactional: yes
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <retort/migration.h>

/* A data migration: every post gets a URL slug made from its title. */

typedef struct post {
	char *id;
	char *title;
} post;

typedef struct posts {
	post *items;
	size_t len, cap;
} posts;

static char *dup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *d = malloc(n);

	return d ? memcpy(d, s, n) : NULL;
}

static int collect(void *payload, size_t ncols, const char *const *values, const char *const *names)
{
	posts *ps = payload;

	(void)names;
	if (ncols != 2 || !values[0] || !values[1])
		return 0;
	if (ps->len == ps->cap) {
		size_t cap = ps->cap ? ps->cap * 2 : 16;
		post *items = realloc(ps->items, cap * sizeof(*items));
		if (!items)
			return -1;
		ps->items = items;
		ps->cap = cap;
	}
	ps->items[ps->len].id = dup(values[0]);
	ps->items[ps->len].title = dup(values[1]);
	ps->len++;
	return 0;
}

/* "Hello, World!" -> "hello-world": lowercase words joined by single dashes. */
static char *slugify(const char *title)
{
	char *slug = malloc(strlen(title) + 1), *p = slug;
	int dash = 0;

	if (!slug)
		return NULL;
	for (const unsigned char *s = (const unsigned char *)title; *s; s++) {
		if (isalnum(*s)) {
			if (dash && p != slug)
				*p++ = '-';
			*p++ = (char)tolower(*s);
			dash = 0;
		} else {
			dash = 1;
		}
	}
	*p = '\0';
	return slug;
}

int upgrade(retort_ctx *ctx)
{
	posts ps = { 0 };
	int rc = 0;

	if (retort_is_offline(ctx)) {
		/*
		 * Rendered SQL cannot read rows; the nearest portable
		 * expression keeps offline output runnable (punctuation stays).
		 */
		return retort_exec(ctx, "UPDATE posts SET slug = lower(replace(title, ' ', '-'))");
	}
	if ((rc = retort_query(ctx, "SELECT id, title FROM posts ORDER BY id", 0, NULL, collect, &ps)) < 0)
		goto done;
	for (size_t i = 0; i < ps.len && rc == 0; i++) {
		char *slug = slugify(ps.items[i].title);
		const char *params[2] = { slug, ps.items[i].id };
		rc = slug ? retort_exec_params(ctx, "UPDATE posts SET slug = $1 WHERE id = $2", 2, params) : -1;
		free(slug);
	}
done:
	for (size_t i = 0; i < ps.len; i++) {
		free(ps.items[i].id);
		free(ps.items[i].title);
	}
	free(ps.items);
	return rc;
}

int downgrade(retort_ctx *ctx)
{
	return retort_exec(ctx, "UPDATE posts SET slug = NULL");
}
