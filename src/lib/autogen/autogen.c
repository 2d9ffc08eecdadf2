/*
 * autogen.c - materialize, reflect and diff two states of a schema (see
 * autogen.h).
 *
 * Speed is the scratch databases': the target is loaded in one
 * transaction (statement by statement only when that fails, as it must
 * for statements PostgreSQL refuses inside one), the migrations are
 * replayed on the scratch's own connection, and neither waits for a disk
 * (scratch.h).
 */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include "autogen/autogen.h"
#include "base/buf.h"
#include "base/common.h"
#include "run/migrate.h"
#include "autogen/scratch.h"
#include "dialect/url.h"

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int run_sql_file(retort_db *db, const char *path)
{
	char *text = NULL;
	unsigned line = 0;
	int error;

	if ((error = retort__file_read(&text, NULL, path)) < 0) {
		retort__error_prefix("target_schema");
		return error;
	}
	if ((error = retort_db_exec_script(db, text, &line)) < 0)
		retort__error_prefix("%s:%u", path, line ? line : 1);
	free(text);
	return error;
}

/* Run the SQL files of target_schema (files, or directories of *.sql) against db. */
static int load_files(retort_db *db, const retort_config *cfg)
{
	int error = 0;

	if (cfg->target_schema.len == 0)
		return retort__error_set(RETORT_ERROR_CONFIG,
			"%s: section [%s] has no 'target_schema': name the SQL file(s) that declare "
			"the schema you want", cfg->path, cfg->section);
	for (size_t i = 0; i < cfg->target_schema.len && !error; i++) {
		const char *path = cfg->target_schema.items[i];
		if (retort__path_is_dir(path)) {
			retort_vec files = RETORT_VEC_INIT;
			DIR *d = opendir(path);
			struct dirent *e;
			if (!d)
				return retort__error_os("cannot read target_schema directory '%s'", path);
			while ((e = readdir(d)) != NULL)
				if (e->d_name[0] != '.' && retort__ends_with(e->d_name, ".sql"))
					retort_vec_push(&files, retort__path_join(path, e->d_name));
			closedir(d);
			retort_vec_sort(&files, cmp_str);
			for (size_t j = 0; j < files.len && !error; j++)
				error = run_sql_file(db, files.items[j]);
			retort_vec_dispose(&files, true);
		} else if (!retort__path_exists(path)) {
			error = retort__error_set(RETORT_ERROR_CONFIG, "target_schema '%s' does not exist", path);
		} else {
			error = run_sql_file(db, path);
		}
	}
	return error;
}

/*
 * One transaction for the whole target: one commit instead of one per
 * statement.  A target the database will not take inside a transaction
 * (PostgreSQL's CREATE INDEX CONCURRENTLY, an enum value used where it is
 * added) is loaded again statement by statement; when that fails too, its
 * error (file and line) is the one reported.
 */
static int load_target(retort_db *db, const retort_config *cfg)
{
	int error;

	if (cfg->target_schema.len == 0)
		return load_files(db, cfg);
	if ((error = retort_db_begin(db)) < 0)
		return error;
	if ((error = load_files(db, cfg)) == 0)
		return retort_db_commit(db);
	if (retort_error_last() && retort_error_last()->klass == RETORT_ERROR_CONFIG) {
		retort_db_rollback(db);
		return error;
	}
	retort_db_rollback(db);
	return load_files(db, cfg);
}

int retort__autogen_reflect(retort_model **out, retort_db *db, const retort_config *cfg)
{
	retort_reflect_opts opts = {
		.include_schemas = &cfg->include_schemas,
		.exclude_tables = &cfg->exclude_tables,
		.version_table = cfg->version_table,
		.history_table = cfg->history_table ? cfg->history_table : "retort_history",
		.privileges = cfg->manage_privileges,
		.exclude_kinds = &cfg->exclude_kinds,
	};
	return retort_schema_reflect(out, db, &opts);
}

static int reflect_url(retort_model **out, const char *url, const retort_config *cfg)
{
	retort_db *db = NULL;
	int error;

	if ((error = retort_db_open_text(&db, url)) < 0)
		return error;
	error = retort__autogen_reflect(out, db, cfg);
	retort_db_free(db);
	return error;
}

int retort__autogen_replay(const retort_config *cfg, const retort_graph *graph,
	const retort_scratch *scratch, const retort_vec *targets)
{
	retort_migrate_opts opts = { .db = retort_scratch_db(scratch) };
	retort_config copy = *cfg;
	int error = 0;

	/* A shallow copy pointed elsewhere: the replay keeps no history. */
	copy.url = (char *)retort_scratch_url(scratch);
	copy.url_origin = "the scratch database";
	copy.history_table = NULL;
	for (size_t i = 0; i < targets->len && !error; i++)
		error = retort_migrate_upgrade(&copy, graph, targets->items[i], &opts);
	if (error < 0)
		retort__error_prefix("replaying the migrations in a scratch database");
	return error;
}

static int finish(retort_autogen *ag, const retort_autogen_opts *opts)
{
	retort_diff_opts up = { opts ? opts->renames : NULL }, down = { NULL };
	retort_vec inverted = RETORT_VEC_INIT;
	int error;

	if ((error = retort_schema_diff(&ag->up, ag->from, ag->to, &up)) < 0)
		return error;
	if (up.renames) {
		retort_schema_renames_invert(&inverted, up.renames);
		down.renames = &inverted;
	}
	error = retort_schema_diff(&ag->down, ag->to, ag->from, &down);
	retort_vec_dispose(&inverted, true);
	return error;
}

static void push_heads(retort_vec *out, const retort_vec *revs)
{
	for (size_t i = 0; i < revs->len; i++)
		retort_vec_push(out, retort__strdup(((retort_revision *)revs->items[i])->id));
}

int retort_autogen_target(retort_autogen **out, const retort_config *cfg,
	const retort_graph *graph, const retort_autogen_opts *opts)
{
	retort_autogen *ag = retort__calloc(1, sizeof(*ag));
	retort_scratch *target = NULL, *current = NULL;
	int error;

	*out = NULL;
	if ((error = retort_scratch_create(&target, cfg)) < 0 ||
	    (error = load_target(retort_scratch_db(target), cfg)) < 0 ||
	    (error = retort__autogen_reflect(&ag->to, retort_scratch_db(target), cfg)) < 0)
		goto done;
	/* One scratch at a time: on PostgreSQL each is a database on the server. */
	retort_scratch_free(target);
	target = NULL;

	if (opts && opts->from_db) {
		/* One connection for the heads and the schema: opening a database reads its whole schema. */
		retort_db_status *st = NULL;
		retort_db *live = NULL;
		if ((error = retort_migrate_status_open(&st, &live, cfg, graph)) < 0)
			goto done;
		if (!st->at_head) {
			error = retort__error_set(RETORT_ERROR_DATABASE,
				"the database at '%s' is not at head: run 'retort upgrade head' first, "
				"or compare against the migrations without --from-db", st->url_masked);
			retort_db_status_free(st);
			retort_db_free(live);
			goto done;
		}
		for (size_t i = 0; i < st->heads.len; i++)
			retort_vec_push(&ag->heads, retort__strdup(st->heads.items[i]));
		retort_db_status_free(st);
		error = retort__autogen_reflect(&ag->from, live, cfg);
		retort_db_free(live);
	} else {
		retort_vec head_ids = RETORT_VEC_INIT;
		push_heads(&ag->heads, retort_graph_heads(graph));
		for (size_t i = 0; i < ag->heads.len; i++)
			retort_vec_push(&head_ids, ag->heads.items[i]);
		if ((error = retort_scratch_create(&current, cfg)) == 0 &&
		    (error = retort__autogen_replay(cfg, graph, current, &head_ids)) == 0)
			error = retort__autogen_reflect(&ag->from, retort_scratch_db(current), cfg);
		retort_vec_dispose(&head_ids, false);
	}
	if (error == 0)
		error = finish(ag, opts);
done:
	retort_scratch_free(target);
	retort_scratch_free(current);
	if (error < 0)
		retort_autogen_free(ag);
	else
		*out = ag;
	return error;
}

int retort_autogen_drift(retort_autogen **out, const retort_config *cfg, const retort_graph *graph)
{
	retort_autogen *ag = retort__calloc(1, sizeof(*ag));
	retort_db_status *st = NULL;
	retort_scratch *expected = NULL;
	int error;

	*out = NULL;
	if ((error = retort_migrate_status(&st, cfg, graph, true)) < 0)
		goto done;
	for (size_t i = 0; i < st->changed.len; i++)
		retort_vec_push(&ag->edited, st->changed.items[i]);
	if (st->missing) {
		error = retort__error_set(RETORT_ERROR_DATABASE,
			"there is no database at '%s' to compare", st->url_masked);
		goto done;
	}
	for (size_t i = 0; i < st->heads.len; i++)
		retort_vec_push(&ag->heads, retort__strdup(st->heads.items[i]));
	if ((error = retort_scratch_create(&expected, cfg)) < 0 ||
	    (error = retort__autogen_replay(cfg, graph, expected, &ag->heads)) < 0 ||
	    (error = retort__autogen_reflect(&ag->from, retort_scratch_db(expected), cfg)) < 0 ||
	    (error = reflect_url(&ag->to, cfg->url, cfg)) < 0)
		goto done;
	error = finish(ag, NULL);
done:
	retort_db_status_free(st);
	retort_scratch_free(expected);
	if (error < 0)
		retort_autogen_free(ag);
	else
		*out = ag;
	return error;
}

void retort_autogen_free(retort_autogen *ag)
{
	if (!ag)
		return;
	retort_diff_free(ag->up);
	retort_diff_free(ag->down);
	retort_model_free(ag->from);
	retort_model_free(ag->to);
	retort_vec_dispose(&ag->edited, false);
	retort_vec_dispose(&ag->heads, true);
	free(ag);
}
