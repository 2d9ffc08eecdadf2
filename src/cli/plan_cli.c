/*
 * plan_cli.c - `upgrade --dry-run -v` and `downgrade --dry-run -v`: under
 * each "Would run" line, every statement of the revision with the table
 * lock it takes and the lint rules it trips, and the timeouts it would run
 * under (see plan_cli.h).
 *
 * The statements are judged by the same checker `retort lint` uses, fed
 * the revisions in the order the run would apply them.  On PostgreSQL it
 * reads the catalog through a connection of its own (table sizes, column
 * types); when that connection cannot be made the plan is still printed,
 * from the text alone.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "api/api_int.h"
#include "dialect/db.h"
#include "plan_cli.h"

static void print_timeouts(const plan_cli *p, const retort_script *s)
{
	char a[32], b[32];
	long lock = s->has_lock_timeout ? s->lock_timeout_ms : p->cfg->ddl_lock_timeout;
	long stmt = s->has_statement_timeout ? s->statement_timeout_ms : p->cfg->ddl_statement_timeout;

	if (p->dialect != RETORT_DIALECT_POSTGRES || (lock < 0 && stmt < 0))
		return;
	retort__duration_format(a, lock);
	retort__duration_format(b, stmt);
	printf("    lock_timeout %s%s, statement_timeout %s%s%s\n",
		lock < 0 ? "(server's)" : a, s->has_lock_timeout ? " (header)" : "",
		stmt < 0 ? "(server's)" : b, s->has_statement_timeout ? " (header)" : "",
		s->transactional ? "" : "; not retried (Transactional: no)");
}

/* The script's path from the current directory when it is below it, as lint names files. */
static const char *shown_path(const char *path)
{
	char cwd[4096];
	size_t n;

	if (!getcwd(cwd, sizeof(cwd)))
		return path;
	n = strlen(cwd);
	return !strncmp(path, cwd, n) && path[n] == '/' ? path + n + 1 : path;
}

static void print_statements(plan_cli *p, const retort_script *s, const retort_rules_result *res)
{
	const cli_global *g = p->g;
	const char *path = shown_path(s->path);

	for (size_t i = 0; i < res->nstmts; i++) {
		const retort_rules_stmt *st = &res->stmts[i];
		printf("    %s:%u: %s", path, st->line, *st->command ? st->command : "(statement)");
		if (st->lock != RETORT_LOCK_NONE) {
			printf(": %s lock", retort_lock_name(st->lock));
			if (st->table)
				printf(" on %s", st->table);
			if (st->rows >= 0)
				printf(" (~%.0f rows)", st->rows);
			printf(", %s", retort_lock_blocks(st->lock));
		}
		putchar('\n');
		for (size_t k = st->first; k < st->first + st->nfindings; k++) {
			const retort_rules_finding *f = &res->findings[k];
			const char *color = f->level == RETORT_LINT_ERROR ? "\033[31m"
				: f->level == RETORT_LINT_WARNING ? "\033[33m" : "\033[36m";
			printf("      %s%s%s %s %s: %s\n", cli_color_on(g, color), retort_lint_level_name(f->level),
				cli_color_off(g), f->rule->code, f->rule->name, f->message);
		}
	}
}

static void on_event(const retort_event *ev, void *payload)
{
	plan_cli *p = payload;
	const retort_revision *rev;
	const retort_script *s;
	retort_rules_result *res = NULL;
	bool up;

	p->next(ev, p->next_payload);
	if (ev->kind != RETORT_EVENT_PLANNED || !ev->revision || p->g->verbosity < 1)
		return;
	/* the revision in the graph the run planned from, which the project keeps */
	if (!(rev = retort_graph_get(retort__project_graph(p->project), ev->revision)))
		return;
	s = rev->script;
	up = !strcmp(ev->verb, "upgrade");
	print_timeouts(p, s);
	if (s->format == RETORT_SCRIPT_C) {
		printf("    %s: a C revision: its statements are known only when it runs\n", shown_path(s->path));
		return;
	}
	if (retort_rules_check(&res, p->rules, (up ? s->upgrade_sql : s->downgrade_sql) ? (up ? s->upgrade_sql
			: s->downgrade_sql) : "", up ? s->upgrade_line : s->downgrade_line, s->transactional) < 0) {
		cli_warning("%s", retort_error_last()->message);
		return;
	}
	print_statements(p, s, res);
	retort_rules_result_free(res);
}

int plan_cli_attach(plan_cli *p, cli_run *r, cli_global *g)
{
	retort_url *url = NULL;
	int rc;

	memset(p, 0, sizeof(*p));
	if (!r->opts.dry_run || g->verbosity < 1 || g->json)
		return 0;
	p->g = g;
	p->project = r->project;
	p->cfg = retort__project_config(r->project);
	if (retort_url_from_config(&url, p->cfg) < 0)
		return cli_fail(RETORT_EUSAGE);
	p->dialect = url->dialect;
	/* Only PostgreSQL has a catalog worth asking; a dry run must not create a SQLite file. */
	if (url->dialect == RETORT_DIALECT_POSTGRES && retort_db_open(&p->db, url) < 0)
		p->db = NULL;
	retort_url_free(url);
	if ((rc = retort_rules_new(&p->rules, p->dialect, p->cfg, p->db)) < 0)
		return cli_fail(rc);
	p->next = r->opts.event_cb;
	p->next_payload = r->opts.event_payload;
	r->opts.event_cb = on_event;
	r->opts.event_payload = p;
	return 0;
}

void plan_cli_detach(plan_cli *p)
{
	retort_rules_free(p->rules);
	retort_db_free(p->db);
	memset(p, 0, sizeof(*p));
}
