/*
 * diff_order.c - the final order of a diff's operations: the phases of
 * diff_int.h, bent where the dependencies between objects require it.
 *
 * Every operation says which object keys it creates, removes and
 * otherwise needs (retort__op_keys).  An operation creating something must
 * come after those creating what it depends on in `to` (a trigger after
 * its function, a SQL function after the table its body reads, a table
 * after the function its default calls); one removing something must come
 * before those removing what it depends on in `from`; a key is removed
 * before it is created again.  Within those constraints the earliest phase
 * goes first, then the order the diff emitted in, so a diff without such
 * dependencies comes out in plain phase order (Kahn's algorithm with a
 * priority queue).  Operations that both take something away and put it
 * back (an ALTER COLUMN that drops and sets a default, a type replaced in
 * place) can close a cycle; within such a cycle (a strongly connected
 * component, found with Tarjan's algorithm) the dependencies are dropped
 * and phase order alone decides.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/common.h"
#include "schema/diff_int.h"

typedef struct node {
	retort_op *op;
	retort_vec next;     /* node * that must come after this one */
	size_t waiting;      /* how many must come before */
	bool done;
	/* Tarjan */
	size_t index, low, component;
	bool indexed, on_stack;
} node;

typedef struct heap {
	node **items;
	size_t len;
} heap;

static bool before(const node *a, const node *b)
{
	if (a->op->phase != b->op->phase)
		return a->op->phase < b->op->phase;
	return a->op->seq < b->op->seq;
}

static void heap_push(heap *h, node *n)
{
	size_t i = h->len++;

	h->items[i] = n;
	while (i && before(h->items[i], h->items[(i - 1) / 2])) {
		node *t = h->items[i];
		h->items[i] = h->items[(i - 1) / 2];
		h->items[(i - 1) / 2] = t;
		i = (i - 1) / 2;
	}
}

static node *heap_pop(heap *h)
{
	node *top = h->items[0];
	size_t i = 0;

	h->items[0] = h->items[--h->len];
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i;
		node *t;
		if (l < h->len && before(h->items[l], h->items[m]))
			m = l;
		if (r < h->len && before(h->items[r], h->items[m]))
			m = r;
		if (m == i)
			break;
		t = h->items[i];
		h->items[i] = h->items[m];
		h->items[m] = t;
		i = m;
	}
	return top;
}

static void edge(node *from, node *to)
{
	if (from == to || retort_vec_contains(&from->next, to))
		return;
	retort_vec_push(&from->next, to);
	to->waiting++;
}

/* key -> retort_vec * of node * */
static void map_add(retort_map *m, const char *key, node *n)
{
	retort_vec *v = retort_map_get(m, key);

	if (!v) {
		v = retort__calloc(1, sizeof(*v));
		retort_map_set(m, key, v);
	}
	if (!retort_vec_contains(v, n))
		retort_vec_push(v, n);
}

static void map_free(retort_map *m)
{
	for (size_t i = 0; i < m->len; i++) {
		retort_vec_dispose(m->vals[i], false);
		free(m->vals[i]);
	}
	retort_map_dispose(m, false);
}

typedef struct keys {
	retort_vec creates, removes, requires;
} keys;

static void link(differ *df, node *nodes, keys *k, size_t n, retort_map *creators, retort_map *removers)
{
	for (size_t i = 0; i < n; i++) {
		node *x = &nodes[i];
		for (size_t j = 0; j < k[i].creates.len; j++) {
			const char *a = k[i].creates.items[j];
			const retort_vec *deps = retort_map_get(&df->to_deps, a);
			const retort_vec *rm = retort_map_get(removers, a);
			for (size_t d = 0; deps && d < deps->len; d++) {
				const retort_vec *ys = retort_map_get(creators, deps->items[d]);
				for (size_t y = 0; ys && y < ys->len; y++)
					edge(ys->items[y], x);
			}
			for (size_t y = 0; rm && y < rm->len; y++)
				edge(rm->items[y], x);
		}
		for (size_t j = 0; j < k[i].requires.len; j++) {
			const retort_vec *ys = retort_map_get(creators, k[i].requires.items[j]);
			for (size_t y = 0; ys && y < ys->len; y++)
				edge(ys->items[y], x);
		}
		for (size_t j = 0; j < k[i].removes.len; j++) {
			const retort_vec *deps = retort_map_get(&df->from_deps, k[i].removes.items[j]);
			for (size_t d = 0; deps && d < deps->len; d++) {
				const retort_vec *ys = retort_map_get(removers, deps->items[d]);
				for (size_t y = 0; ys && y < ys->len; y++)
					edge(x, ys->items[y]);
			}
		}
	}
}

/* The strongly connected components, iteratively (a long chain must not exhaust the stack). */
static void components(node *nodes, size_t n)
{
	retort_vec stack = RETORT_VEC_INIT, work = RETORT_VEC_INIT; /* work: node *, next-edge position */
	size_t counter = 0, comp = 0;

	for (size_t s = 0; s < n; s++) {
		if (nodes[s].indexed)
			continue;
		retort_vec_push(&work, &nodes[s]);
		retort_vec_push(&work, (void *)(uintptr_t)0);
		while (work.len) {
			size_t pos = (size_t)(uintptr_t)work.items[work.len - 1];
			node *v = work.items[work.len - 2];
			if (!pos && !v->indexed) {
				v->indexed = v->on_stack = true;
				v->index = v->low = counter++;
				retort_vec_push(&stack, v);
			}
			if (pos < v->next.len) {
				node *w = v->next.items[pos];
				work.items[work.len - 1] = (void *)(uintptr_t)(pos + 1);
				if (!w->indexed) {
					retort_vec_push(&work, w);
					retort_vec_push(&work, (void *)(uintptr_t)0);
				} else if (w->on_stack && w->index < v->low) {
					v->low = w->index;
				}
				continue;
			}
			work.len -= 2;
			if (work.len) {
				node *parent = work.items[work.len - 2];
				if (v->low < parent->low)
					parent->low = v->low;
			}
			if (v->low == v->index) {
				node *w;
				comp++;
				do {
					w = retort_vec_pop(&stack);
					w->on_stack = false;
					w->component = comp;
				} while (w != v);
			}
		}
	}
	retort_vec_dispose(&stack, false);
	retort_vec_dispose(&work, false);
}

/* Edges inside a component cannot all hold: drop them. */
static void break_cycles(node *nodes, size_t n)
{
	components(nodes, n);
	for (size_t i = 0; i < n; i++) {
		node *x = &nodes[i];
		size_t k = 0;
		for (size_t j = 0; j < x->next.len; j++) {
			node *y = x->next.items[j];
			if (y->component == x->component)
				y->waiting--;
			else
				x->next.items[k++] = y;
		}
		x->next.len = k;
	}
}

void retort__diff_order(differ *df, retort_vec *out)
{
	size_t n = 0, at = 0;
	node *nodes;
	keys *k;
	heap h;
	retort_map creators = RETORT_MAP_INIT, removers = RETORT_MAP_INIT;

	for (int p = 0; p < P_COUNT; p++)
		n += df->phases[p].len;
	nodes = retort__calloc(n ? n : 1, sizeof(*nodes));
	k = retort__calloc(n ? n : 1, sizeof(*k));
	h.items = retort__calloc(n ? n : 1, sizeof(*h.items));
	h.len = 0;
	for (int p = 0; p < P_COUNT; p++)
		for (size_t i = 0; i < df->phases[p].len; i++, at++) {
			retort_op *op = df->phases[p].items[i];
			op->phase = p;
			op->seq = (unsigned)at;
			nodes[at].op = op;
			retort__op_keys(op, &k[at].creates, &k[at].removes, &k[at].requires);
			for (size_t j = 0; j < k[at].creates.len; j++)
				map_add(&creators, k[at].creates.items[j], &nodes[at]);
			for (size_t j = 0; j < k[at].removes.len; j++)
				map_add(&removers, k[at].removes.items[j], &nodes[at]);
		}
	link(df, nodes, k, n, &creators, &removers);
	break_cycles(nodes, n);
	for (size_t i = 0; i < n; i++)
		if (!nodes[i].waiting)
			heap_push(&h, &nodes[i]);
	for (size_t emitted = 0; emitted < n && h.len; emitted++) {
		node *x = heap_pop(&h);
		x->done = true;
		retort_vec_push(out, x->op);
		for (size_t j = 0; j < x->next.len; j++) {
			node *y = x->next.items[j];
			if (!y->done && y->waiting && --y->waiting == 0)
				heap_push(&h, y);
		}
	}
	for (size_t i = 0; i < n; i++) {
		retort_vec_dispose(&nodes[i].next, false);
		retort_vec_dispose(&k[i].creates, true);
		retort_vec_dispose(&k[i].removes, true);
		retort_vec_dispose(&k[i].requires, true);
	}
	map_free(&creators);
	map_free(&removers);
	free(nodes);
	free(k);
	free(h.items);
}
