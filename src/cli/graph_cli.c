/*
 * graph_cli.c - rendering revisions for the graph commands.
 *
 * The text forms match Alembic's so that habits and scripts carry over:
 * "<base> -> 1c9d (head), create users", "(branchpoint)", "(mergepoint)",
 * and the verbose "Rev: ..." block.  JSON carries the same facts as fields.
 * This file does not decide what to list; the commands do.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "graph_cli.h"
#include "graph/revision_new.h"
#include "run/migrate.h"

void graph_cli_done(retort_graph *graph)
{
#ifdef RETORT_FREE_AT_EXIT
	retort_graph_free(graph);
#else
	/* The last graph handed over: reachable until exit. */
	static retort_graph *finished_graph;

	retort_graph_free(finished_graph); /* a second graph in one process: rare, and small */
	finished_graph = graph;
#endif
}

int graph_cli_load(retort_graph **graph, const retort_config *cfg, graph_cli_mode mode)
{
	/*
	 * The header cache makes reading a big history cheap, but what a run
	 * plans from, or a new revision's parents, must come from the files.
	 */
	int rc = mode == GRAPH_CLI_REPORT ? retort_graph_load_cached(graph, cfg) : retort_graph_load(graph, cfg);
	const retort_vec *py;

	if (rc < 0)
		return rc;
	/* An Alembic project moved over: say its .py revisions are not read, not silently skip them */
	py = retort_graph_ignored(*graph);
	for (size_t i = 0; i < py->len && i < 3; i++)
		cli_warning("Alembic revision ignored: %s (retort reads .sql and .c revisions)",
			(const char *)py->items[i]);
	if (py->len > 3)
		cli_warning("... and %zu more Alembic revision(s) ignored", py->len - 3);
	return 0;
}

int graph_cli_open(cli_global *g, retort_config **cfg, retort_graph **graph, graph_cli_mode mode)
{
	int rc;

	*graph = NULL;
	if ((rc = cli_load_config(g, cfg)) != 0)
		return rc;
	if ((rc = graph_cli_load(graph, *cfg, mode)) < 0) {
		rc = cli_fail(rc);
		retort_config_free(*cfg);
		*cfg = NULL;
		return rc;
	}
	return 0;
}

static bool names_current(const char *ident)
{
	size_t len = strlen("current");

	for (const char *p = ident; (p = strstr(p, "current")) != NULL; p += len)
		if ((p == ident || p[-1] == ':') && (p[len] == '\0' || p[len] == ':'))
			return true;
	return false;
}

int graph_cli_current(retort_db_status **st, const retort_config *cfg,
	const retort_graph *graph, const char *ident)
{
	int rc;

	*st = NULL;
	if (!ident || !names_current(ident))
		return 0;
	if ((rc = retort_migrate_status(st, cfg, graph, false)) < 0)
		return cli_fail(rc);
	return 0;
}

const char *const *graph_cli_current_ids(const retort_db_status *st, size_t *n)
{
	static const char *const none[1] = { NULL };

	*n = st ? st->heads.len : 0;
	if (!st)
		return NULL;
	return st->heads.len ? (const char *const *)st->heads.items : none;
}

int graph_cli_open_revs(cli_global *g, retort_config **cfg, retort_graph **graph, retort_vec *revs,
	const char *ident)
{
	retort_db_status *st = NULL;
	const char *const *cur;
	size_t ncur;
	int rc;

	if ((rc = graph_cli_open(g, cfg, graph, GRAPH_CLI_REPORT)) != 0)
		return rc;
	/* `current` reads the database's heads (creating nothing) */
	if ((rc = graph_cli_current(&st, *cfg, *graph, ident)) != 0)
		return rc;
	cur = graph_cli_current_ids(st, &ncur);
	rc = retort_graph_resolve(revs, *graph, ident, cur, ncur);
	retort_db_status_free(st);
	if (rc < 0)
		return cli_fail(rc);
	return 0;
}

/* No printf per item: history prints tens of thousands of these. */
static void put_ids(retort_buf *out, const retort_vec *revs)
{
	for (size_t i = 0; i < revs->len; i++) {
		if (i)
			retort_buf_put(out, ", ", 2);
		retort_buf_puts(out, ((retort_revision *)revs->items[i])->id);
	}
}

static void put_strs(retort_buf *out, const retort_vec *strs)
{
	for (size_t i = 0; i < strs->len; i++) {
		if (i)
			retort_buf_put(out, ", ", 2);
		retort_buf_puts(out, strs->items[i]);
	}
}

void graph_cli_line(retort_buf *out, const retort_revision *rev, int parts)
{
	if (parts & GRAPH_CLI_PARENTS) {
		if (rev->parents.len)
			put_ids(out, &rev->parents);
		else
			retort_buf_puts(out, "<base>");
		if (rev->dependencies.len) {
			retort_buf_puts(out, " (");
			put_ids(out, &rev->dependencies);
			retort_buf_putc(out, ')');
		}
		retort_buf_puts(out, " -> ");
	}
	if (parts & GRAPH_CLI_COLOR)
		retort_buf_printf(out, "%s%s\033[0m", CLI_COLOR_REV, rev->id);
	else
		retort_buf_puts(out, rev->id);
	/* the labels in effect, not only those declared here, as Alembic shows them */
	if (rev->labels.len) {
		retort_buf_puts(out, " (");
		put_strs(out, &rev->labels);
		retort_buf_putc(out, ')');
	}
	/* Alembic's words: a head others depend on is only an "effective" head */
	if (retort_revision_is_head(rev))
		retort_buf_puts(out, rev->dependents.len ? " (effective head)" : " (head)");
	if (retort_revision_is_baseline(rev))
		retort_buf_puts(out, " (baseline)");
	if (parts & GRAPH_CLI_TREE) {
		if (retort_revision_is_branch_point(rev))
			retort_buf_puts(out, " (branchpoint)");
		if (retort_revision_is_merge_point(rev))
			retort_buf_puts(out, " (mergepoint)");
	}
	if (parts & GRAPH_CLI_CURRENT)
		retort_buf_puts(out, " (current)");
	if (parts & GRAPH_CLI_DOC) {
		retort_buf_put(out, ", ", 2);
		retort_buf_puts(out, rev->script->message);
	}
	retort_buf_putc(out, '\n');
}

void graph_cli_entry(retort_buf *out, const retort_revision *rev, bool color)
{
	retort_buf_printf(out, "Rev: %s%s%s%s%s%s\n", color ? CLI_COLOR_REV : "", rev->id, color ? "\033[0m" : "",
		retort_revision_is_head(rev) ? " (head)" : "",
		retort_revision_is_branch_point(rev) ? " (branchpoint)" : "",
		retort_revision_is_merge_point(rev) ? " (mergepoint)" : "");
	retort_buf_puts(out, retort_revision_is_merge_point(rev) ? "Merges: " : "Parent: ");
	if (rev->parents.len)
		put_ids(out, &rev->parents);
	else
		retort_buf_puts(out, "<base>");
	retort_buf_putc(out, '\n');
	if (rev->dependencies.len) {
		retort_buf_puts(out, "Also depends on: ");
		put_ids(out, &rev->dependencies);
		retort_buf_putc(out, '\n');
	}
	if (retort_revision_is_branch_point(rev)) {
		retort_buf_puts(out, "Branches into: ");
		put_ids(out, &rev->children);
		retort_buf_putc(out, '\n');
	}
	if (rev->labels.len) {
		retort_buf_puts(out, "Branch names: ");
		put_strs(out, &rev->labels);
		retort_buf_putc(out, '\n');
	}
	if (retort_revision_is_baseline(rev)) {
		retort_buf_printf(out, "Replaces: %zu revisions, ", rev->script->replaces.len);
		put_strs(out, &rev->script->replaces);
		retort_buf_putc(out, '\n');
	}
	retort_buf_printf(out, "Path: %s\n", rev->script->path);
	if (rev->script->create_date)
		retort_buf_printf(out, "Create Date: %s\n", rev->script->create_date);
	if (!rev->script->has_downgrade)
		retort_buf_puts(out, "Irreversible: no downgrade\n");
	retort_buf_printf(out, "\n    %s\n\n", rev->script->message);
}

static json_t *id_array(const retort_vec *revs)
{
	json_t *a = json_array();
	for (size_t i = 0; i < revs->len; i++)
		json_array_append_new(a, json_string(((retort_revision *)revs->items[i])->id));
	return a;
}

static json_t *str_array(const retort_vec *strs)
{
	json_t *a = json_array();
	for (size_t i = 0; i < strs->len; i++)
		json_array_append_new(a, json_string(strs->items[i]));
	return a;
}

json_t *graph_cli_json(const retort_revision *rev)
{
	const retort_script *s = rev->script;
	json_t *o = json_object();

	json_object_set_new(o, "revision", json_string(rev->id));
	json_object_set_new(o, "down_revisions", id_array(&rev->parents));
	json_object_set_new(o, "depends_on", id_array(&rev->dependencies));
	json_object_set_new(o, "children", id_array(&rev->children));
	json_object_set_new(o, "branch_labels", str_array(&s->branch_labels));
	json_object_set_new(o, "branches", str_array(&rev->labels));
	json_object_set_new(o, "replaces", str_array(&s->replaces));
	json_object_set_new(o, "message", json_string(s->message));
	json_object_set_new(o, "path", json_string(s->path));
	json_object_set_new(o, "format", json_string(s->format == RETORT_SCRIPT_C ? "c" : "sql"));
	json_object_set_new(o, "create_date", s->create_date ? json_string(s->create_date) : json_null());
	json_object_set_new(o, "is_head", json_boolean(retort_revision_is_head(rev)));
	json_object_set_new(o, "is_base", json_boolean(rev->parents.len == 0));
	json_object_set_new(o, "is_branch_point", json_boolean(retort_revision_is_branch_point(rev)));
	json_object_set_new(o, "is_merge_point", json_boolean(retort_revision_is_merge_point(rev)));
	json_object_set_new(o, "transactional", json_boolean(s->transactional));
	json_object_set_new(o, "has_downgrade", json_boolean(s->has_downgrade));
	{
		const char *sum = retort_script_checksum(s);
		json_object_set_new(o, "checksum", sum ? json_string(sum) : json_null());
	}
	return o;
}

char *graph_cli_template(const retort_config *cfg, retort_script_format format)
{
	const char *name = format == RETORT_SCRIPT_C ? "script.c.tmpl" : "script.sql.tmpl";
	char *path = retort__path_join(cfg->script_location, name);
	char *text = NULL;
	const char *builtin;

	if (retort__path_exists(path)) {
		if (retort__file_read(&text, NULL, path) < 0) {
			cli_fail(RETORT_ERROR);
			text = NULL;
		}
	} else if ((builtin = cli_template_get("generic", name)) != NULL) {
		text = retort__strdup(builtin);
	} else {
		cli_error("no template '%s'", name);
	}
	free(path);
	return text;
}

int graph_cli_print(const retort_buf *buf)
{
	if (fwrite(buf->ptr, 1, buf->size, stdout) != buf->size || fflush(stdout) != 0) {
		cli_error("cannot write to stdout");
		return CLI_EXIT_FAIL;
	}
	return 0;
}

int graph_cli_create(cli_global *g, const retort_config *cfg, const retort_graph *graph,
	retort_revision_opts *ro)
{
	char *path = NULL, *tmpl;
	int rc;

	if (!(tmpl = graph_cli_template(cfg, ro->format)))
		return CLI_EXIT_FAIL;
	ro->template_text = tmpl;
	rc = retort_revision_create(&path, cfg, graph, ro);
	ro->template_text = NULL;
	free(tmpl);
	if (rc < 0)
		return cli_fail(rc);
	if (g->json) {
		json_t *o = json_object();
		json_object_set_new(o, "path", json_string(path));
		rc = cli_json_print(o);
	} else {
		printf("%s\n", path);
	}
	free(path);
	return rc;
}
