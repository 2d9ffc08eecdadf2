/*
 * squash.c - write a baseline revision for a run of revisions, and prune
 * the files baselines replaced (see squash.h).
 *
 * What the range replaces, revises and may not strand is the graph's
 * business (retort_graph_baseline_spec); this file materializes the schema
 * before and after the range in one scratch database, renders the SQL
 * between them with the schema engine, lists the data migrations it cannot
 * carry over, and writes the file through the revision template.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "autogen/autogen.h"
#include "autogen/scratch.h"
#include "autogen/squash.h"
#include "base/buf.h"
#include "base/common.h"
#include "dialect/url.h"
#include "graph/revision_new.h"
#include "run/migrate.h"
#include "sql/sql.h"

void retort_squash_result_free(retort_squash_result *r)
{
	if (!r)
		return;
	free(r->path);
	free(r->revision);
	free(r->first);
	free(r->tip);
	free(r);
}

/* --- data migrations ---------------------------------------------------- */

/* Statements that move data rather than shape the schema, by their command's first word. */
static bool moves_data(const char *command)
{
	static const char *const dml[] = {
		"INSERT", "UPDATE", "DELETE", "MERGE", "COPY", "TRUNCATE", "REPLACE", "CALL", "DO",
	};
	size_t n = strcspn(command, " ");

	for (size_t i = 0; i < RETORT_ARRAY_SIZE(dml); i++)
		if (strlen(dml[i]) == n && !strncmp(command, dml[i], n))
			return true;
	return false;
}

/* One line per statement of `s`'s upgrade that moves data. */
static int scan_sql(retort_vec *out, const retort_script *s, const char *name, retort_dialect_id dialect)
{
	retort_sql_script *sql = NULL;
	int error;

	if ((error = retort_script_read_sql(s)) < 0 ||
	    (error = retort_sql_script_read(&sql, dialect, s->upgrade_sql, strlen(s->upgrade_sql))) < 0)
		return error;
	for (size_t i = 0; i < sql->nstmts; i++) {
		const retort_sql_stmt *st = &sql->stmts[i];
		if (moves_data(st->cls.command))
			retort_vec_push(out, retort__sprintf("%s (%s:%u): %s", s->revision, name,
				s->upgrade_line + st->line - 1, st->cls.command));
	}
	retort_sql_script_free(sql);
	return 0;
}

int retort_squash_data_migrations(retort_vec *out, const retort_vec *scripts,
	retort_dialect_id dialect)
{
	int error = 0;

	for (size_t i = 0; i < scripts->len && !error; i++) {
		const retort_script *s = scripts->items[i];
		const char *slash = strrchr(s->path, '/'), *name = slash ? slash + 1 : s->path;

		if (s->format == RETORT_SCRIPT_C)
			retort_vec_push(out, retort__sprintf("%s (%s): a C revision; review its upgrade()",
				s->revision, name));
		else
			error = scan_sql(out, s, name, dialect);
	}
	return error;
}

/* --- the baseline ---------------------------------------------------------- */

/* The schema before the range and at its end, from one scratch database. */
static int schemas(retort_model **before, retort_model **after, const retort_config *cfg,
	const retort_graph *graph, const retort_baseline_spec *spec)
{
	retort_scratch *scratch = NULL;
	retort_vec targets = RETORT_VEC_INIT;
	int error;

	if ((error = retort_scratch_create(&scratch, cfg)) < 0)
		return error;
	for (size_t i = 0; i < spec->parents.len; i++)
		retort_vec_push(&targets, (void *)((retort_revision *)spec->parents.items[i])->id);
	if ((error = retort__autogen_replay(cfg, graph, scratch, &targets)) < 0 ||
	    (error = retort__autogen_reflect(before, retort_scratch_db(scratch), cfg)) < 0)
		goto done;
	retort_vec_clear(&targets);
	retort_vec_push(&targets, (void *)spec->tip->id);
	if ((error = retort__autogen_replay(cfg, graph, scratch, &targets)) < 0)
		goto done;
	error = retort__autogen_reflect(after, retort_scratch_db(scratch), cfg);
done:
	retort_vec_dispose(&targets, false);
	retort_scratch_free(scratch);
	return error;
}

/* The comment that opens the upgrade: what the baseline is, and the data it does not move. */
static void describe(retort_buf *out, const retort_baseline_spec *spec, const retort_vec *data)
{
	const retort_revision *first = spec->replaces.items[0];

	retort_buf_printf(out, "-- Baseline: the schema of %zu revisions (%s .. %s) in one step.\n",
		spec->replaces.len, first->id, spec->tip->id);
	if (!data->len) {
		retort_buf_puts(out, "-- No data migrations among them.\n");
		return;
	}
	retort_buf_puts(out, "-- Data migrations among them, which this baseline does not run (review;\n"
		"-- a database that runs the baseline gets the schema, not their data):\n");
	for (size_t i = 0; i < data->len; i++)
		retort_buf_printf(out, "--   %s\n", (const char *)data->items[i]);
}

static char *ids_joined(const retort_vec *revs)
{
	retort_buf b = RETORT_BUF_INIT;

	for (size_t i = 0; i < revs->len; i++)
		retort_buf_printf(&b, "%s%s", i ? ", " : "", ((retort_revision *)revs->items[i])->id);
	retort_buf_grow(&b, 1);
	return retort_buf_detach(&b);
}

/* Write the file; `up` and `down` are the bodies. */
static int write_baseline(char **path, const retort_config *cfg, const retort_graph *graph,
	const retort_squash_opts *opts, const retort_baseline_spec *spec, const char *up,
	const char *down, bool foreign_keys_off)
{
	retort_revision_opts ro;
	retort_vec heads = RETORT_VEC_INIT, deps = RETORT_VEC_INIT;
	static const char *const base[] = { "base" };
	char *replaces = ids_joined(&spec->replaces), *dir = NULL;
	int error;

	for (size_t i = 0; i < spec->parents.len; i++)
		retort_vec_push(&heads, (void *)((retort_revision *)spec->parents.items[i])->id);
	for (size_t i = 0; i < spec->depends.len; i++)
		retort_vec_push(&deps, (void *)((retort_revision *)spec->depends.items[i])->id);
	memset(&ro, 0, sizeof(ro));
	ro.message = opts->message;
	ro.rev_id = opts->rev_id;
	ro.heads = heads.len ? (const char *const *)heads.items : base;
	ro.nheads = heads.len ? heads.len : 1;
	ro.splice = true; /* the range's parents have children: the range itself */
	ro.depends_on = (const char *const *)deps.items;
	ro.ndepends_on = deps.len;
	ro.branch_labels = (const char *const *)spec->labels.items;
	ro.nbranch_labels = spec->labels.len;
	/* beside the range's last file when there are several locations */
	if (cfg->version_locations.len > 1)
		ro.version_path = dir = retort__path_dirname(spec->tip->script->path);
	ro.format = RETORT_SCRIPT_SQL;
	ro.template_text = opts->template_text;
	ro.upgrades = up;
	ro.downgrades = down;
	ro.foreign_keys_off = foreign_keys_off;
	ro.replaces = replaces;
	ro.now = opts->now;
	error = retort_revision_create(path, cfg, graph, &ro);
	free(replaces);
	free(dir);
	retort_vec_dispose(&heads, false);
	retort_vec_dispose(&deps, false);
	return error;
}

/* The history must still be a graph with the new file in it; else the file goes again. */
static int check_written(const char *path, const retort_config *cfg)
{
	retort_graph *g = NULL;
	int error = retort_graph_load(&g, cfg);

	retort_graph_free(g);
	if (error < 0) {
		unlink(path);
		retort__error_prefix("the baseline does not fit the history, so it was not kept");
	}
	return error;
}

int retort_squash(retort_squash_result **out, const retort_config *cfg, const retort_graph *graph,
	const retort_squash_opts *opts)
{
	retort_baseline_spec spec;
	retort_model *before = NULL, *after = NULL;
	retort_diff *up = NULL, *down = NULL;
	retort_buf up_sql = RETORT_BUF_INIT, down_sql = RETORT_BUF_INIT, body = RETORT_BUF_INIT;
	retort_vec scripts = RETORT_VEC_INIT, data = RETORT_VEC_INIT;
	retort_squash_result *r = retort__calloc(1, sizeof(*r));
	retort_url *url = NULL;
	int error;

	*out = NULL;
	memset(&spec, 0, sizeof(spec));
	if ((error = retort_graph_baseline_spec(&spec, graph, opts->range)) < 0 ||
	    (error = retort_url_from_config(&url, cfg)) < 0)
		goto done;
	for (size_t i = 0; i < spec.replaces.len; i++)
		retort_vec_push(&scripts, ((retort_revision *)spec.replaces.items[i])->script);
	if ((error = retort_squash_data_migrations(&data, &scripts, url->dialect)) < 0 ||
	    (error = schemas(&before, &after, cfg, graph, &spec)) < 0 ||
	    (error = retort_schema_diff(&up, before, after, NULL)) < 0 ||
	    (error = retort_schema_diff(&down, after, before, NULL)) < 0)
		goto done;
	retort_diff_render(&up_sql, up);
	retort_diff_render(&down_sql, down);
	describe(&body, &spec, &data);
	retort_buf_puts(&body, up_sql.ptr);
	r->foreign_keys_off = retort_schema_sql_needs_fk_off(up_sql.ptr) ||
		retort_schema_sql_needs_fk_off(down_sql.ptr);
	/* the template adds its own line ends around the bodies */
	while (body.size && body.ptr[body.size - 1] == '\n')
		retort_buf_truncate(&body, body.size - 1);
	while (down_sql.size && down_sql.ptr[down_sql.size - 1] == '\n')
		retort_buf_truncate(&down_sql, down_sql.size - 1);
	if ((error = write_baseline(&r->path, cfg, graph, opts, &spec, body.ptr, down_sql.ptr,
			r->foreign_keys_off)) < 0 ||
	    (error = check_written(r->path, cfg)) < 0)
		goto done;
	{
		retort_script *s = NULL;
		char *text = NULL;
		size_t len = 0;
		if ((error = retort__file_read(&text, &len, r->path)) == 0 &&
		    (error = retort_script_parse(&s, r->path, text, len)) == 0)
			r->revision = retort__strdup(s->revision);
		retort_script_free(s);
		free(text);
		if (error < 0)
			goto done;
	}
	r->replaced = spec.replaces.len;
	r->first = retort__strdup(((retort_revision *)spec.replaces.items[0])->id);
	r->tip = retort__strdup(spec.tip->id);
	r->data_migrations = data.len;
done:
	retort_baseline_spec_dispose(&spec);
	retort_url_free(url);
	retort_diff_free(up);
	retort_diff_free(down);
	retort_model_free(before);
	retort_model_free(after);
	retort_buf_dispose(&up_sql);
	retort_buf_dispose(&down_sql);
	retort_buf_dispose(&body);
	retort_vec_dispose(&scripts, false);
	retort_vec_dispose(&data, true);
	if (error < 0)
		retort_squash_result_free(r);
	else
		*out = r;
	return error;
}

/* --- prune ----------------------------------------------------------------- */

/* Refuse when the configured database is inside a range: it still needs the files. */
static int check_database(const retort_config *cfg, const retort_graph *graph)
{
	retort_db_status *st = NULL;
	int error;

	if (!cfg->url)
		return 0;
	if ((error = retort_migrate_status(&st, cfg, graph, false)) < 0) {
		retort__error_prefix("cannot tell whether the database still needs the replaced files "
			"(once 'retort current -v' shows that no database does, use --force)");
		return error;
	}
	for (size_t i = 0; i < st->baselines.len && !error; i++) {
		const retort_baseline_need *n = st->baselines.items[i];
		if (n->inside)
			error = retort__error_code(RETORT_EUSAGE, RETORT_ERROR_DATABASE,
				"the database at '%s' is at revision '%s', inside the range baseline '%s' "
				"replaces, and still needs those files: upgrade it first ('retort upgrade %s')",
				st->url_masked, n->inside, n->baseline->id, n->baseline->id);
	}
	retort_db_status_free(st);
	return error;
}

int retort_squash_prune(retort_vec *removed, const retort_config *cfg, const retort_graph *graph,
	bool force)
{
	retort_vec files = RETORT_VEC_INIT;
	int error = 0;

	for (size_t i = 0; i < retort_graph_count(graph); i++) {
		const retort_revision *rev = retort_graph_at(graph, i);
		if (retort_revision_is_baseline(rev))
			retort_graph_replaced_scripts(&files, graph, rev);
	}
	if (!files.len || (!force && (error = check_database(cfg, graph)) < 0))
		goto done;
	for (size_t i = 0; i < files.len && !error; i++) {
		const retort_script *s = files.items[i];
		if (unlink(s->path) < 0)
			error = retort__error_os("cannot remove '%s'", s->path);
		else
			retort_vec_push(removed, retort__strdup(s->path));
	}
done:
	retort_vec_dispose(&files, false);
	return error;
}
