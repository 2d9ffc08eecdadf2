/*
 * vec.h - a growable array of pointers, and a string-keyed hash map.
 *
 * Neither owns what it points at unless a function says so; both own their
 * own storage.  The map keeps insertion order for iteration (an index into
 * `keys`/`vals`), which keeps output deterministic.
 */
#ifndef RETORT_VEC_H
#define RETORT_VEC_H

#include <stdbool.h>
#include <stddef.h>

typedef struct retort_vec {
	void **items;
	size_t len;
	size_t cap;
} retort_vec;

#define RETORT_VEC_INIT { NULL, 0, 0 }

void retort_vec_push(retort_vec *v, void *item);
void *retort_vec_pop(retort_vec *v);
void retort_vec_insert(retort_vec *v, size_t at, void *item);
void retort_vec_remove(retort_vec *v, size_t at);
bool retort_vec_contains(const retort_vec *v, const void *item);
/* Two vectors of strings hold the same strings in the same order (byte for byte). */
bool retort__strvec_equal(const retort_vec *a, const retort_vec *b);
void retort_vec_sort(retort_vec *v, int (*cmp)(const void *a, const void *b));
void retort_vec_reverse(retort_vec *v);
void retort_vec_clear(retort_vec *v);
/* Release the array; with free_items, free() each item first. */
void retort_vec_dispose(retort_vec *v, bool free_items);

/* Open-addressing hash map from NUL-terminated string to pointer. */
typedef struct retort_map {
	size_t *slots;     /* index+1 into keys/vals, 0 = empty */
	size_t nslots;     /* power of two */
	char **keys;       /* owned copies, insertion order */
	void **vals;
	size_t len;
	size_t cap;
} retort_map;

#define RETORT_MAP_INIT { NULL, 0, NULL, NULL, 0, 0 }

/* Make room for `n` entries in all, so that filling it never rehashes. */
void retort_map_reserve(retort_map *m, size_t n);
/* Insert or replace; returns the previous value or NULL. */
void *retort_map_set(retort_map *m, const char *key, void *val);
void *retort_map_get(const retort_map *m, const char *key);
bool retort_map_has(const retort_map *m, const char *key);
/* Release the map; with free_vals, free() each value first. */
void retort_map_dispose(retort_map *m, bool free_vals);

#endif
