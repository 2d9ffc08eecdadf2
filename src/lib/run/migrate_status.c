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
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dialect/url.h"
#include "run/migrate.h"
#include "run/migrate_int.h"
#include "run/partial.h"
#include "run/version.h"




/* Where the data lives, for `current -v`: a SQLite file's absolute path, a server's database. */
static char *database_location(const retort_config *cfg)
{
	retort_url *url = NULL;
	char *out = NULL;

	if (retort_url_from_config(&url, cfg) < 0) {
		retort_error_clear();
		return NULL;
	}
	if (url->dialect == RETORT_DIALECT_SQLITE) {
		char *abs = url->memory ? NULL : realpath(url->path, NULL);
		if (url->memory)
			out = retort__strdup(":memory:");
		else if (abs)
			out = retort__strdup(abs);
		else if (url->path[0] == '/')
			out = retort__strdup(url->path);
		else {
			char *cwd = getcwd(NULL, 0);
			out = cwd ? retort__path_join(cwd, url->path) : retort__strdup(url->path);
			free(cwd);
		}
		free(abs);
	} else {
		out = retort__sprintf("database '%s' on %s%s%s", url->dbname ? url->dbname : "(default)",
			url->host ? url->host : "(default host)", url->port ? ":" : "", url->port ? url->port : "");
	}
	retort_url_free(url);
	return out;
}

/* --- status ------------------------------------------------------------- */

static bool graph_at_heads(const retort_graph *graph, const retort_vec *heads)
{
	const retort_vec *gh = retort_graph_heads(graph);

	if (gh->len != heads->len)
		return false;
	for (size_t i = 0; i < gh->len; i++) {
		bool found = false;
		/* a baseline's tip counts as the baseline */
		for (size_t j = 0; j < heads->len && !found; j++)
			found = retort_graph_lookup(graph, heads->items[j]) == gh->items[i];
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
		retort_revision *rev = retort_graph_lookup(graph, heads->items[i]);
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
		/* ids inside a replaced range are known: the plan says what they need */
		if (retort_graph_lookup(graph, st->heads.items[i]) ||
				retort_graph_replaced_by(graph, st->heads.items[i]))
			continue;
		all_known = false;
		if ((error = retort__migrate_unknown(&u, db, cfg, st->heads.items[i])) < 0)
			goto done;
		retort_vec_push(&st->unknown, u);
	}
	if (all_known) {
		if ((error = retort_plan_upgrade(&plan, graph, (const char *const *)st->heads.items,
				st->heads.len, "heads")) < 0) {
			/* inside a range whose files are gone: say so instead of failing */
			if (!st->baselines.len)
				goto done;
			st->pending_error = retort__strdup(retort_error_last()->message);
			error = 0;
		}
		for (size_t i = 0; plan && i < plan->nsteps; i++)
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

/*
 * The baselines whose replaced files are still present, or whose range the
 * database is inside: whether this database needs those files.
 */
static void baseline_needs(retort_db_status *st, const retort_graph *graph)
{
	for (size_t i = 0; i < retort_graph_count(graph); i++) {
		const retort_revision *rev = retort_graph_at(graph, i);
		retort_vec files = RETORT_VEC_INIT;
		const char *inside = NULL;

		if (!retort_revision_is_baseline(rev))
			continue;
		for (size_t j = 0; j < st->heads.len && !inside; j++)
			if (!retort_graph_lookup(graph, st->heads.items[j]) &&
					retort_graph_replaced_by(graph, st->heads.items[j]) == rev)
				inside = st->heads.items[j];
		retort_graph_replaced_scripts(&files, graph, rev);
		if (files.len || inside) {
			retort_baseline_need *need = retort__calloc(1, sizeof(*need));
			need->baseline = rev;
			need->files = files.len;
			need->inside = inside;
			retort_vec_push(&st->baselines, need);
		}
		retort_vec_dispose(&files, false);
	}
}

static int status(retort_db_status **out, retort_db **keep, const retort_config *cfg,
	const retort_graph *graph, bool verbose)
{
	retort_db_status *st = retort__calloc(1, sizeof(*st));
	retort_db *db = NULL;
	int error;

	*out = NULL;
	st->url_masked = retort_url_masked(cfg->url ? cfg->url : "");
	if ((error = retort__migrate_connect_existing(&db, &st->missing, cfg)) < 0)
		goto done;
	if ((error = retort_version_table_read(&st->heads, &st->has_version_table, db, cfg)) < 0 ||
	    (error = retort_graph_current_check(graph, (const char *const *)st->heads.items, st->heads.len)) < 0)
		goto done;
	st->at_head = graph_at_heads(graph, &st->heads);
	st->database = database_location(cfg);
	baseline_needs(st, graph);
	if ((error = retort__migrate_alembic_table(&st->alembic_table, db, cfg, &st->heads)) < 0)
		goto done;
	if ((error = retort_partial_find(&st->unfinished, db, cfg)) < 0)
		goto done;
	if (st->unfinished)
		retort_partial_locate(st->unfinished, graph, db->dialect->id);
	if (verbose)
		error = verbose_status(st, db, cfg, graph);
done:
	if (error >= 0 && keep)
		*keep = db;
	else
		retort_db_free(db);
	if (error < 0) {
		retort_db_status_free(st);
		return error;
	}
	*out = st;
	return 0;
}

int retort_migrate_status(retort_db_status **out, const retort_config *cfg,
	const retort_graph *graph, bool verbose)
{
	return status(out, NULL, cfg, graph, verbose);
}

int retort_migrate_status_open(retort_db_status **out, retort_db **db, const retort_config *cfg,
	const retort_graph *graph)
{
	*db = NULL;
	return status(out, db, cfg, graph, false);
}

void retort_db_status_free(retort_db_status *st)
{
	if (!st)
		return;
	free(st->url_masked);
	free(st->database);
	retort_vec_dispose(&st->heads, true);
	retort_vec_dispose(&st->pending, false);
	retort_vec_dispose(&st->changed, false);
	for (size_t i = 0; i < st->unknown.len; i++)
		retort__unknown_head_free(st->unknown.items[i]);
	retort_vec_dispose(&st->unknown, false);
	retort_partial_free(st->unfinished);
	retort_vec_dispose(&st->baselines, true);
	free(st->pending_error);
	free(st);
}

void retort_migrate_describe_unfinished(retort_buf *out, const retort_db_status *st,
	const retort_graph *graph)
{
	if (st->unfinished)
		retort_partial_describe(out, st->unfinished, graph);
}

/* --- which revisions a database has applied (rebase) ---------------------- */

void retort_applied_free(retort_applied *a)
{
	if (!a)
		return;
	free(a->revision);
	free(a->applied_at);
	free(a);
}

int retort_migrate_applied(retort_vec *out, char **url_masked, const retort_config *cfg,
	const retort_graph *graph, const char *const *ids, size_t n)
{
	retort_vec heads = RETORT_VEC_INIT;
	retort_db *db = NULL;
	bool missing = false, *applied = NULL;
	int error;

	*url_masked = retort_url_masked(cfg->url ? cfg->url : "");
	if ((error = retort__migrate_connect_existing(&db, &missing, cfg)) < 0 ||
	    (error = retort_version_table_read(&heads, NULL, db, cfg)) < 0)
		goto done;
	if (graph) {
		applied = retort__calloc(retort_graph_count(graph) + 1, sizeof(bool));
		mark_applied(applied, graph, &heads);
	}
	for (size_t i = 0; i < n; i++) {
		const retort_revision *rev = graph ? retort_graph_get(graph, ids[i]) : NULL;
		retort_history_row *row = NULL;
		bool is = false;
		for (size_t j = 0; j < heads.len && !is; j++)
			is = strcmp(heads.items[j], ids[i]) == 0;
		if (rev)
			is = is || applied[rev->topo];
		if ((error = retort_history_find(&row, db, cfg, ids[i])) < 0)
			goto done;
		/* without a graph to place it, a recorded upgrade is enough to be careful */
		if (is || (!graph && row)) {
			retort_applied *a = retort__calloc(1, sizeof(*a));
			a->revision = retort__strdup(ids[i]);
			a->applied_at = row && row->applied_at ? retort__strdup(row->applied_at) : NULL;
			retort_vec_push(out, a);
		}
		retort_history_row_free(row);
	}
done:
	free(applied);
	retort_vec_dispose(&heads, true);
	retort_db_free(db);
	return error;
}
