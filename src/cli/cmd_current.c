/*
 * cmd_current.c - `retort current [-v] [--check-heads]`: the database's
 * heads, read without creating anything.  With -v: the URL (masked),
 * revisions still to apply, applied scripts whose file changed since, and
 * for a head no script defines, when and from which commit it was applied
 * and how to get out.  --check-heads exits 1 unless the database is at the
 * graph's heads (a deploy gate).  --json prints the same as one object.
 */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "api/api_int.h"
#include "graph_cli.h"
#include "migrate_cli.h"

/*
 * "id (label, label) (head)", exactly as `heads` prints a revision; ", message"
 * with -v.  An id a baseline replaces says what it stands for: the baseline
 * ("r40 = b40 (head) (baseline)") or, inside the range, which baseline.
 */
static void print_rev(const cli_global *g, const retort_graph *graph, const char *id, bool verbose)
{
	const retort_revision *rev = retort_graph_lookup(graph, id);
	retort_buf line = RETORT_BUF_INIT;

	if (!rev) {
		const retort_revision *b = retort_graph_replaced_by(graph, id);
		printf("%s%s%s (%s%s%s)\n", cli_color_on(g, CLI_COLOR_REV), id, cli_color_off(g),
			b ? "inside the range baseline " : "unknown", b ? b->id : "",
			b ? " replaces" : "");
		return;
	}
	if (strcmp(rev->id, id) != 0)
		printf("%s%s%s = ", cli_color_on(g, CLI_COLOR_REV), id, cli_color_off(g));
	graph_cli_line(&line, rev, (verbose ? GRAPH_CLI_DOC : 0) | (g->color ? GRAPH_CLI_COLOR : 0));
	fputs(line.ptr, stdout);
	retort_buf_dispose(&line);
}

static json_t *baselines_json(const retort_db_status *st)
{
	json_t *a = json_array();

	for (size_t i = 0; i < st->baselines.len; i++) {
		const retort_baseline_need *n = st->baselines.items[i];
		json_array_append_new(a, json_pack("{s:s, s:I, s:I, s:b, s:s?}",
			"baseline", n->baseline->id,
			"replaces", (json_int_t)n->baseline->script->replaces.len,
			"files_present", (json_int_t)n->files,
			"needs_files", n->inside != NULL, "inside", n->inside));
	}
	return a;
}

/* Whether pruning a baseline's files would strand this database (`squash --prune`). */
static void print_baselines(const retort_db_status *st)
{
	for (size_t i = 0; i < st->baselines.len; i++) {
		const retort_baseline_need *n = st->baselines.items[i];
		printf("\nBaseline %s replaces %zu revision(s); %zu of their files are present.\n",
			n->baseline->id, n->baseline->script->replaces.len, n->files);
		if (n->inside)
			printf("  This database needs them: it is at %s, inside the range.  Upgrade it\n"
				"  before 'retort squash --prune'.\n", n->inside);
		else
			printf("  This database does not need them.\n");
	}
}

static json_t *rev_json(const retort_revision *rev)
{
	return json_pack("{s:s, s:s, s:s}", "revision", rev->id,
		"message", rev->script->message ? rev->script->message : "",
		"path", rev->script->path);
}

/* A Transactional: no step that stopped partway, or null. */
static json_t *unfinished_json(const retort_db_status *st, const retort_graph *graph)
{
	const retort_partial *p = st->unfinished;
	retort_buf msg = RETORT_BUF_INIT;
	json_t *o;

	if (!p)
		return json_null();
	retort_migrate_describe_unfinished(&msg, st, graph);
	o = json_pack("{s:s, s:s, s:I, s:s?, s:s?, s:s?, s:s, s:s, s:s}",
		"revision", p->revision, "direction", p->upgrade ? "upgrade" : "downgrade",
		"statement", (json_int_t)p->statement, "started_at", p->started_at,
		"os_user", p->os_user, "host", p->host,
		"heads_before", p->heads_before ? p->heads_before : "",
		"heads_after", p->heads_after ? p->heads_after : "", "message", msg.ptr);
	if (o && p->line)
		json_object_set_new(o, "line", json_integer(p->line));
	retort_buf_dispose(&msg);
	return o;
}

static json_t *status_json(const retort_db_status *st, const retort_graph *graph,
	const retort_config *cfg, bool verbose)
{
	json_t *o = json_object(), *heads = json_array();

	json_object_set_new(o, "url", json_string(st->url_masked));
	json_object_set_new(o, "version_table", json_boolean(st->has_version_table));
	for (size_t i = 0; i < st->heads.len; i++) {
		const retort_revision *rev = retort_graph_lookup(graph, st->heads.items[i]);
		const retort_revision *b = retort_graph_replaced_by(graph, st->heads.items[i]);
		json_array_append_new(heads, json_pack("{s:s, s:b, s:b, s:s?, s:s?}",
			"revision", (const char *)st->heads.items[i],
			"known", rev != NULL || b != NULL,
			"head", rev && rev->children.len == 0,
			"message", rev ? rev->script->message : NULL,
			"baseline", b ? b->id : NULL));
	}
	json_object_set_new(o, "heads", heads);
	json_object_set_new(o, "at_head", json_boolean(st->at_head));
	json_object_set_new(o, "alembic_version_table", json_boolean(st->alembic_table));
	if (verbose && st->database)
		json_object_set_new(o, "database", json_string(st->database));
	json_object_set_new(o, "unfinished", unfinished_json(st, graph));
	if (verbose) {
		json_t *pending = json_array(), *changed = json_array(), *unknown = json_array();
		for (size_t i = 0; i < st->pending.len; i++)
			json_array_append_new(pending, rev_json(st->pending.items[i]));
		for (size_t i = 0; i < st->changed.len; i++)
			json_array_append_new(changed, rev_json(st->changed.items[i]));
		for (size_t i = 0; i < st->unknown.len; i++) {
			const retort_unknown_head *u = st->unknown.items[i];
			json_array_append_new(unknown, json_pack("{s:s, s:s?, s:s?, s:s?, s:s?}",
				"revision", u->revision, "applied_at", u->applied_at,
				"git_commit", u->git_commit, "os_user", u->os_user, "host", u->host));
		}
		json_object_set_new(o, "pending", pending);
		json_object_set_new(o, "changed", changed);
		json_object_set_new(o, "unknown", unknown);
		if (st->pending_error)
			json_object_set_new(o, "pending_error", json_string(st->pending_error));
		{
			json_t *x = json_object();
			for (size_t i = 0; i < cfg->xargs.len; i++)
				json_object_set_new(x, cfg->xargs.keys[i], json_string(cfg->xargs.vals[i]));
			json_object_set_new(o, "x", x);
		}
	}
	json_object_set_new(o, "baselines", baselines_json(st));
	return o;
}

static void print_verbose(const retort_config *cfg, const retort_db_status *st)
{
	if (!st->has_version_table)
		printf("No version table: the database is at base.\n");
	else if (!st->heads.len)
		printf("The version table is empty: the database is at base.\n");
	if (st->database)
		printf("Database: %s%s\n", st->database, st->missing ? " (does not exist yet)" : "");
	for (size_t i = 0; i < cfg->xargs.len; i++)
		printf("-x %s=%s\n", cfg->xargs.keys[i], (const char *)cfg->xargs.vals[i]);
	if (st->pending.len) {
		printf("\n%zu pending revision(s):\n", st->pending.len);
		for (size_t i = 0; i < st->pending.len; i++) {
			const retort_revision *rev = st->pending.items[i];
			printf("  %s, %s\n", rev->id, rev->script->message ? rev->script->message : "");
		}
	} else if (st->pending_error) {
		printf("\nPending revisions cannot be listed: %s\n", st->pending_error);
	} else if (st->unknown.len == 0) {
		printf("\nNo pending revisions.\n");
	}
	if (st->changed.len) {
		printf("\n%zu applied revision(s) changed since they were applied:\n", st->changed.len);
		for (size_t i = 0; i < st->changed.len; i++) {
			const retort_revision *rev = st->changed.items[i];
			printf("  %s (%s)\n", rev->id, rev->script->path);
		}
	}
	for (size_t i = 0; i < st->unknown.len; i++) {
		retort_buf msg = RETORT_BUF_INIT;
		retort__unknown_head_describe(&msg, st->unknown.items[i]);
		printf("\nwarning: %s\n", msg.ptr);
		retort_buf_dispose(&msg);
	}
	print_baselines(st);
}

typedef struct current_args {
	bool check;
} current_args;

static int current_one(cli_global *g, void *ctx)
{
	const current_args *a = ctx;
	bool verbose = g->verbosity > 0;
	retort_status *pst = NULL;
	const retort_db_status *st;
	const retort_config *cfg;
	const retort_graph *graph;
	cli_run r = { 0 };
	int rc;

	if ((rc = cli_run_open(&r, g)) != 0)
		goto done;
	if ((rc = retort_project_status(&pst, r.project, verbose ? RETORT_STATUS_DETAILS : 0)) < 0) {
		rc = cli_fail(rc);
		goto done;
	}
	/* what the API reports, printed the way heads prints revisions: through the graph it read */
	st = retort__status_view(pst);
	cfg = retort__project_config(r.project);
	graph = retort__project_graph(r.project);
	if (g->json) {
		rc = cli_json_print(status_json(st, graph, cfg, verbose));
	} else {
		if (verbose)
			printf("%sCurrent revision(s) for %s:%s\n", cli_color_on(g, CLI_COLOR_HEADING),
				st->url_masked, cli_color_off(g));
		for (size_t i = 0; i < st->heads.len; i++)
			print_rev(g, graph, st->heads.items[i], verbose);
		if (verbose)
			print_verbose(cfg, st);
		if (st->unfinished) {
			retort_buf msg = RETORT_BUF_INIT;
			retort_migrate_describe_unfinished(&msg, st, graph);
			if (verbose)
				printf("\nwarning: %s\n", msg.ptr);
			else
				fprintf(stderr, "retort: warning: %s\n", msg.ptr);
			retort_buf_dispose(&msg);
		}
		rc = 0;
	}
	if (st->alembic_table)
		cli_warning("the database has Alembic's alembic_version table and '%s' is empty: "
			"to take over an Alembic database, set 'version_table = alembic_version' in %s",
			cfg->version_table, cfg->path);
	if (a->check && !st->at_head) {
		if (!g->json)
			cli_error("the database is not at the head revision(s)");
		rc = CLI_EXIT_FAIL;
	}
done:
	retort_status_free(pst);
	cli_run_close(&r);
	return rc;
}

int cmd_current(int argc, char **argv, cli_global *g)
{
	current_args a = { false };
	const cli_option opts[] = {
		{ CLI_OPT_FLAG, 0, "check-heads", &a.check, NULL, "exit 1 unless the database is at the head revision(s)" },
		CLI_OPT_END_MARKER
	};
	const cli_usage usage = { "current", "[options]",
		"show the database's current revision(s)",
		"-v adds the database's location, the -x values, pending revisions, changed\n"
		"scripts and where unknown revisions came from." };
	retort_vec args = RETORT_VEC_INIT;
	int rc;

	if ((rc = cli_begin(argc, argv, opts, &usage, g, &args, 0, 0)) == CLI_CONTINUE)
		rc = cli_for_each_database(g, current_one, &a, false);
	retort_vec_dispose(&args, false);
	return rc;
}
