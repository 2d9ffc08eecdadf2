/*
 * rebase.c - plan and apply `retort rebase` (see rebase.h).
 */
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/common.h"
#include "git/gitsource.h"
#include "git/rebase.h"
#include "graph/graph.h"
#include "graph/script.h"

void retort_rebase_plan_free(retort_rebase_plan *p)
{
	if (!p)
		return;
	free(p->base_name);
	free(p->base_id);
	free(p->base_head);
	free(p->root);
	free(p->root_path);
	retort_vec_dispose(&p->new_revisions, true);
	retort_vec_dispose(&p->old_revises, true);
	retort_vec_dispose(&p->new_revises, true);
	free(p);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static char *list(const retort_vec *ids)
{
	retort_buf b = RETORT_BUF_INIT;

	for (size_t i = 0; i < ids->len; i++)
		retort_buf_printf(&b, "%s%s", i ? ", " : "", (const char *)ids->items[i]);
	retort_buf_grow(&b, 1);
	return retort_buf_detach(&b);
}

/* A refusal: `before`, the ids, `after`. */
static int refuse(const char *before, const retort_vec *ids, const char *after)
{
	char *l = list(ids);
	int error = retort__error_code(RETORT_EUSAGE, RETORT_ERROR_REVISION, "%s%s%s", before, l, after);

	free(l);
	return error;
}

/* The base's only head; NULL with plan->why when it has none. */
static int base_head(retort_revision **out, retort_rebase_plan *plan, const retort_graph *bg)
{
	const retort_vec *heads = retort_graph_heads(bg);
	retort_vec ids = RETORT_VEC_INIT;

	*out = NULL;
	if (heads->len == 0) {
		plan->why = "the base has no revisions to build on";
		return 0;
	}
	if (heads->len > 1) {
		int error;
		for (size_t i = 0; i < heads->len; i++)
			retort_vec_push(&ids, (void *)((retort_revision *)heads->items[i])->id);
		error = refuse("the base itself has several heads (", &ids, "): join them there first "
			"('retort merge -m MSG heads'), then rebase onto the result");
		retort_vec_dispose(&ids, false);
		return error;
	}
	*out = heads->items[0];
	plan->base_head = retort__strdup((*out)->id);
	return 0;
}

/* Does a new revision revise `id`? */
static bool revised_by_new(const retort_vec *fresh, const char *id)
{
	for (size_t i = 0; i < fresh->len; i++) {
		const retort_script *s = fresh->items[i];
		for (size_t j = 0; j < s->revises.len; j++)
			if (!strcmp(s->revises.items[j], id))
				return true;
	}
	return false;
}

/*
 * The shape of the new revisions: the one that builds on the base's
 * history (*root), or a refusal; *on_head when some already builds on H.
 */
static int shape(const retort_script **root, bool *on_head, const retort_vec *fresh,
	const retort_map *fresh_ids, const retort_graph *bg, const retort_revision *head)
{
	retort_vec roots = RETORT_VEC_INIT, tips = RETORT_VEC_INIT;
	int error = 0;

	*root = NULL;
	*on_head = false;
	for (size_t i = 0; i < fresh->len; i++) {
		const retort_script *s = fresh->items[i];
		bool external = false;
		if (s->replaces.len) {
			error = retort__error_code(RETORT_EUSAGE, RETORT_ERROR_REVISION,
				"new revision '%s' is a baseline: rebase first, then squash", s->revision);
			break;
		}
		if (!s->revises.len) {
			error = retort__error_code(RETORT_EUSAGE, RETORT_ERROR_REVISION,
				"new revision '%s' starts a new base (it revises nothing): there is no line "
				"of revisions to put on top of '%s'", s->revision, head->id);
			break;
		}
		for (size_t j = 0; j < s->revises.len; j++) {
			const char *p = s->revises.items[j];
			if (retort_map_has(fresh_ids, p))
				continue;
			external = true;
			*on_head = *on_head || retort_graph_lookup(bg, p) == head;
		}
		if (external)
			retort_vec_push(&roots, (void *)s->revision);
		if (!revised_by_new(fresh, s->revision))
			retort_vec_push(&tips, (void *)s->revision);
	}
	if (!error && tips.len > 1)
		error = refuse("the new revisions end in several heads (", &tips, "): join them with "
			"'retort merge -m MSG heads' first");
	else if (!error && !*on_head && roots.len > 1)
		error = refuse("the new revisions start from several revisions of the base (", &roots,
			", each revising an older one): rebase moves one line of revisions; join the heads "
			"with 'retort merge -m MSG heads' instead");
	for (size_t i = 0; !error && !*on_head && i < fresh->len; i++)
		if (!strcmp(((retort_script *)fresh->items[i])->revision, roots.items[0]))
			*root = fresh->items[i];
	retort_vec_dispose(&roots, false);
	retort_vec_dispose(&tips, false);
	return error;
}

int retort_rebase_compare(retort_rebase_plan *plan, const retort_graph *bg, const retort_vec *current)
{
	retort_map fresh_ids = RETORT_MAP_INIT;
	retort_vec fresh = RETORT_VEC_INIT, external = RETORT_VEC_INIT;
	retort_revision *head = NULL;
	const retort_script *root = NULL;
	bool on_head = false;
	int error;

	/* New: what the base has neither as a file nor as an id one of its baselines replaced. */
	for (size_t i = 0; i < current->len; i++) {
		retort_script *s = current->items[i];
		if (retort_graph_get(bg, s->revision) || retort_graph_replaced_by(bg, s->revision))
			continue;
		retort_vec_push(&fresh, s);
		retort_map_set(&fresh_ids, s->revision, s);
		retort_vec_push(&plan->new_revisions, retort__strdup(s->revision));
	}
	retort_vec_sort(&plan->new_revisions, cmp_str);
	if ((error = base_head(&head, plan, bg)) < 0 || !head)
		goto done;
	if (!fresh.len) {
		plan->why = "there are no new revisions since the base";
		goto done;
	}
	plan->head_missing = true;
	for (size_t i = 0; i < current->len && plan->head_missing; i++)
		plan->head_missing = strcmp(((retort_script *)current->items[i])->revision, head->id) != 0;
	if ((error = shape(&root, &on_head, &fresh, &fresh_ids, bg, head)) < 0)
		goto done;
	if (on_head) {
		plan->why = "the new revisions already build on the base's head";
		goto done;
	}
	for (size_t j = 0; j < root->revises.len; j++)
		if (!retort_map_has(&fresh_ids, root->revises.items[j]))
			retort_vec_push(&external, root->revises.items[j]);
	if (external.len > 1) {
		char *l = list(&external);
		error = retort__error_code(RETORT_EUSAGE, RETORT_ERROR_REVISION,
			"new revision '%s' merges revisions of the base (%s): it joins them already; "
			"there is no single parent to move", root->revision, l);
		free(l);
		goto done;
	}
	if (!retort_graph_lookup(bg, external.items[0]) && !retort_graph_replaced_by(bg, external.items[0])) {
		error = retort__error_code(RETORT_ENOTFOUND, RETORT_ERROR_REVISION,
			"new revision '%s' revises '%s', which the base does not have", root->revision,
			(const char *)external.items[0]);
		goto done;
	}
	plan->root = retort__strdup(root->revision);
	plan->root_path = retort__strdup(root->path);
	for (size_t j = 0; j < root->revises.len; j++) {
		const char *p = root->revises.items[j];
		retort_vec_push(&plan->old_revises, retort__strdup(p));
		retort_vec_push(&plan->new_revises, retort__strdup(retort_map_has(&fresh_ids, p) ? p : head->id));
	}
done:
	retort_map_dispose(&fresh_ids, false);
	retort_vec_dispose(&fresh, false);
	retort_vec_dispose(&external, false);
	return error;
}

int retort_rebase_plan_make(retort_rebase_plan **out, const retort_config *cfg, const char *base_ref)
{
	retort_gitsource *src = NULL;
	retort_vec base = RETORT_VEC_INIT, current = RETORT_VEC_INIT;
	retort_rebase_plan *plan = retort__calloc(1, sizeof(*plan));
	retort_graph *bg = NULL;
	int error;

	*out = NULL;
	if ((error = retort_gitsource_open(&src, cfg)) < 0 ||
	    (error = retort_gitsource_set_base(src, base_ref)) < 0 ||
	    (error = retort_gitsource_scripts(&base, src, cfg)) < 0 ||
	    (error = retort_graph_load_scripts(&current, cfg)) < 0)
		goto done;
	plan->base_name = retort__strdup(retort_gitsource_base_name(src));
	plan->base_id = retort__strdup(retort_gitsource_base_id(src));
	if ((error = retort_graph_build(&bg, &base)) < 0) {
		retort__error_prefix("the history at the base does not form a graph");
		goto done;
	}
	error = retort_rebase_compare(plan, bg, &current);
done:
	retort_graph_free(bg);
	for (size_t i = 0; i < base.len; i++)
		retort_script_free(base.items[i]);
	retort_vec_dispose(&base, false);
	for (size_t i = 0; i < current.len; i++)
		retort_script_free(current.items[i]);
	retort_vec_dispose(&current, false);
	retort_gitsource_free(src);
	if (error < 0)
		retort_rebase_plan_free(plan);
	else
		*out = plan;
	return error;
}

int retort_rebase_apply(const retort_rebase_plan *plan)
{
	if (!plan->root)
		return 0;
	return retort_script_set_revises(plan->root_path, (const char *const *)plan->new_revises.items,
		plan->new_revises.len);
}
