/*
 * migrate_status.c - what `retort current` reports: the database's heads,
 * read without creating anything, and with verbose the revisions still to
 * apply, the applied scripts whose file changed since (checksum in the
 * history table), and the provenance of heads no script defines (looked
 * up and explained by migrate_common.c, which a run also uses to refuse to
 * start from such a head).
 *
 * Read-only: no lock, no transaction, no CREATE.
 */
#include <stdlib.h>
#include <string.h>

#include "run/migrate.h"
#include "run/migrate_int.h"
#include "run/version.h"





static bool graph_at_heads(const retort_graph *graph, const retort_vec *heads)
{
	const retort_vec *gh = retort_graph_heads(graph);

	if (gh->len != heads->len)
		return false;
	for (size_t i = 0; i < gh->len; i++) {
		const char *id = ((retort_revision *)gh->items[i])->id;
		bool found = false;
		for (size_t j = 0; j < heads->len && !found; j++)
			found = strcmp(heads->items[j], id) == 0;
		if (!found)
			return false;
	}
	return true;
}

/* Mark every revision at or below the heads (parents and dependencies). */
static void mark_applied(bool *applied, const retort_graph *graph, const retort_vec *heads)
{
	retort_vec stack = RETORT_VEC_INIT;

	for (size_t i = 0; i < heads->len; i++) {
		retort_revision *rev = retort_graph_get(graph, heads->items[i]);
		if (rev)
			retort_vec_push(&stack, rev);
	}
	while (stack.len) {
		retort_revision *rev = retort_vec_pop(&stack);
		if (applied[rev->topo])
			continue;
		applied[rev->topo] = true;
		for (size_t i = 0; i < rev->parents.len; i++)
			retort_vec_push(&stack, rev->parents.items[i]);
		for (size_t i = 0; i < rev->dependencies.len; i++)
			retort_vec_push(&stack, rev->dependencies.items[i]);
	}
	retort_vec_dispose(&stack, false);
}

static int verbose_status(retort_db_status *st, retort_db *db, const retort_config *cfg,
	const retort_graph *graph)
{
	retort_map sums = RETORT_MAP_INIT;
	retort_plan *plan = NULL;
	size_t n = retort_graph_count(graph);
	bool *applied = retort__calloc(n + 1, sizeof(bool));
	bool all_known = true;
	int error = 0;

	for (size_t i = 0; i < st->heads.len; i++) {
		retort_unknown_head *u = NULL;
		if (retort_graph_get(graph, st->heads.items[i]))
			continue;
		all_known = false;
		if ((error = retort__migrate_unknown(&u, db, cfg, st->heads.items[i])) < 0)
			goto done;
		retort_vec_push(&st->unknown, u);
	}
	if (all_known) {
		if ((error = retort_plan_upgrade(&plan, graph, (const char *const *)st->heads.items,
				st->heads.len, "heads")) < 0)
			goto done;
		for (size_t i = 0; i < plan->nsteps; i++)
			retort_vec_push(&st->pending, plan->steps[i].rev);
	}
	if ((error = retort_history_checksums(&sums, db, cfg)) < 0)
		goto done;
	mark_applied(applied, graph, &st->heads);
	for (size_t i = 0; i < n; i++) {
		retort_revision *rev = retort_graph_at(graph, i);
		const char *sum = retort_map_get(&sums, rev->id);
		const char *now;
		if (!applied[rev->topo] || !sum)
			continue;
		/* A file that can no longer be read has changed as far as we can tell. */
		now = retort_script_checksum(rev->script);
		if (!now || strcmp(sum, now) != 0)
			retort_vec_push(&st->changed, rev);
	}
done:
	free(applied);
	retort_plan_free(plan);
	retort_map_dispose(&sums, true);
	return error;
}

int retort_migrate_status(retort_db_status **out, const retort_config *cfg,
	const retort_graph *graph, bool verbose)
{
	retort_db_status *st = retort__calloc(1, sizeof(*st));
	retort_db *db = NULL;
	int error;

	*out = NULL;
	st->url_masked = retort_url_masked(cfg->url ? cfg->url : "");
	if ((error = retort__migrate_connect_existing(&db, &st->missing, cfg)) < 0)
		goto done;
	if ((error = retort_version_table_read(&st->heads, &st->has_version_table, db, cfg)) < 0)
		goto done;
	st->at_head = graph_at_heads(graph, &st->heads);
	if (verbose)
		error = verbose_status(st, db, cfg, graph);
done:
	retort_db_free(db);
	if (error < 0) {
		retort_db_status_free(st);
		return error;
	}
	*out = st;
	return 0;
}

void retort_db_status_free(retort_db_status *st)
{
	if (!st)
		return;
	free(st->url_masked);
	retort_vec_dispose(&st->heads, true);
	retort_vec_dispose(&st->pending, false);
	retort_vec_dispose(&st->changed, false);
	for (size_t i = 0; i < st->unknown.len; i++)
		retort__unknown_head_free(st->unknown.items[i]);
	retort_vec_dispose(&st->unknown, false);
	free(st);
}
