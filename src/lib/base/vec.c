/*
 * vec.c - pointer arrays and the string-keyed hash map (see vec.h).
 */
#include <stdlib.h>
#include <string.h>

#include "base/common.h"
#include "base/vec.h"

void retort_vec_push(retort_vec *v, void *item)
{
	if (v->len == v->cap) {
		v->cap = v->cap ? v->cap * 2 : 8;
		v->items = retort__realloc(v->items, v->cap * sizeof(void *));
	}
	v->items[v->len++] = item;
}

void *retort_vec_pop(retort_vec *v)
{
	return v->len ? v->items[--v->len] : NULL;
}

void retort_vec_insert(retort_vec *v, size_t at, void *item)
{
	if (at >= v->len) {
		retort_vec_push(v, item);
		return;
	}
	retort_vec_push(v, NULL);
	memmove(v->items + at + 1, v->items + at, (v->len - 1 - at) * sizeof(void *));
	v->items[at] = item;
}

void retort_vec_remove(retort_vec *v, size_t at)
{
	if (at >= v->len)
		return;
	memmove(v->items + at, v->items + at + 1, (v->len - at - 1) * sizeof(void *));
	v->len--;
}

bool retort_vec_contains(const retort_vec *v, const void *item)
{
	for (size_t i = 0; i < v->len; i++)
		if (v->items[i] == item)
			return true;
	return false;
}

bool retort__strvec_equal(const retort_vec *a, const retort_vec *b)
{
	if (a->len != b->len)
		return false;
	for (size_t i = 0; i < a->len; i++)
		if (strcmp(a->items[i], b->items[i]) != 0)
			return false;
	return true;
}

void retort_vec_sort(retort_vec *v, int (*cmp)(const void *a, const void *b))
{
	if (v->len > 1)
		qsort(v->items, v->len, sizeof(void *), cmp);
}

void retort_vec_reverse(retort_vec *v)
{
	for (size_t i = 0, j = v->len; i + 1 < j; i++, j--) {
		void *t = v->items[i];
		v->items[i] = v->items[j - 1];
		v->items[j - 1] = t;
	}
}

void retort_vec_clear(retort_vec *v)
{
	v->len = 0;
}

void retort_vec_dispose(retort_vec *v, bool free_items)
{
	if (free_items)
		for (size_t i = 0; i < v->len; i++)
			free(v->items[i]);
	free(v->items);
	v->items = NULL;
	v->len = v->cap = 0;
}

/*
 * FNV-1a (short keys, no adversary worth a keyed hash here), then a
 * finalizer: FNV's low bits, which pick the slot, are weak for keys that
 * share a suffix ("..._step_123.sql"), and linear probing punishes that.
 */
static size_t hash(const char *s)
{
	uint64_t h = retort__fnv1a(s);

	h ^= h >> 32;
	h *= 0xd6e8feb86659fd93ULL;
	h ^= h >> 32;
	return (size_t)h;
}

static size_t *find_slot(const retort_map *m, const char *key)
{
	size_t mask = m->nslots - 1;

	for (size_t i = hash(key) & mask; ; i = (i + 1) & mask) {
		size_t s = m->slots[i];
		if (s == 0 || strcmp(m->keys[s - 1], key) == 0)
			return &m->slots[i];
	}
}

static void rehash(retort_map *m)
{
	size_t n = m->nslots ? m->nslots * 2 : 16;

	free(m->slots);
	m->slots = retort__calloc(n, sizeof(size_t));
	m->nslots = n;
	for (size_t i = 0; i < m->len; i++)
		*find_slot(m, m->keys[i]) = i + 1;
}

void retort_map_reserve(retort_map *m, size_t n)
{
	size_t want = 16;

	while (want < n * 2 + 2)
		want *= 2;
	if (want > m->nslots) {
		m->nslots = want / 2; /* rehash() doubles it */
		rehash(m);
	}
	if (n > m->cap) {
		m->cap = n;
		m->keys = retort__realloc(m->keys, m->cap * sizeof(char *));
		m->vals = retort__realloc(m->vals, m->cap * sizeof(void *));
	}
}

void *retort_map_set(retort_map *m, const char *key, void *val)
{
	size_t *slot;

	if ((m->len + 1) * 2 > m->nslots)
		rehash(m);
	slot = find_slot(m, key);
	if (*slot) {
		void *old = m->vals[*slot - 1];
		m->vals[*slot - 1] = val;
		return old;
	}
	if (m->len == m->cap) {
		m->cap = m->cap ? m->cap * 2 : 16;
		m->keys = retort__realloc(m->keys, m->cap * sizeof(char *));
		m->vals = retort__realloc(m->vals, m->cap * sizeof(void *));
	}
	m->keys[m->len] = retort__strdup(key);
	m->vals[m->len] = val;
	*slot = ++m->len;
	return NULL;
}

void *retort_map_get(const retort_map *m, const char *key)
{
	size_t s;

	if (!m->nslots)
		return NULL;
	s = *find_slot(m, key);
	return s ? m->vals[s - 1] : NULL;
}

bool retort_map_has(const retort_map *m, const char *key)
{
	return m->nslots && *find_slot(m, key) != 0;
}

void retort_map_dispose(retort_map *m, bool free_vals)
{
	for (size_t i = 0; i < m->len; i++) {
		free(m->keys[i]);
		if (free_vals)
			free(m->vals[i]);
	}
	free(m->keys);
	free(m->vals);
	free(m->slots);
	memset(m, 0, sizeof(*m));
}
