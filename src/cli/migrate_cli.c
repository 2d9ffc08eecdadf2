/*
 * migrate_cli.c - shared plumbing of the migration commands (see
 * migrate_cli.h).  Progress goes to stdout (silenced by -q), or with --json
 * one event object per line (started, finished, failed, then a summary);
 * waiting for another runner goes to stderr so it shows even when stdout is
 * captured.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "graph_cli.h"
#include "migrate_cli.h"

/* --json: one compact object per line, flushed, so a pipe reads events as they happen. */
static void print_event_json(json_t *o)
{
	char *line = json_dumps(o, JSON_COMPACT | JSON_ENSURE_ASCII | JSON_REAL_PRECISION(12));

	if (line)
		printf("%s\n", line);
	free(line);
	json_decref(o);
	fflush(stdout);
}

/* Milliseconds to the microsecond: what a clock here can tell apart. */
static double round3(double ms)
{
	return (double)(long long)(ms * 1000.0 + 0.5) / 1000.0;
}

/* The line of a failure from "path:LINE: message" when the library gave none (C revisions). */
static unsigned line_from_message(const char *msg, const char *file)
{
	size_t n = file ? strlen(file) : 0;

	if (!msg || !n || strncmp(msg, file, n) != 0 || msg[n] != ':')
		return 0;
	return (unsigned)strtoul(msg + n + 1, NULL, 10);
}

/*
 * A lock wait that timed out goes to stderr, like waiting for the run lock,
 * even with -q; with --json it is an event of its own ("retry") on stdout.
 */
static void print_retry(const cli_run *r, const retort_migrate_event *ev)
{
	char delay[32];

	if (r->g->json) {
		json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:i, s:i, s:f, s:s}", "event", "retry",
			"verb", ev->direction, "from", ev->from, "to", ev->to, "attempt", (int)ev->attempt,
			"attempts", (int)ev->attempts, "delay_ms", round3(ev->delay_ms), "reason", ev->reason);
		json_object_set_new(o, "database", json_string(r->cfg->section));
		print_event_json(o);
		return;
	}
	retort__duration_format(delay, (long)ev->delay_ms);
	fprintf(stderr, "retort: %s %s -> %s waited too long for a lock (attempt %u of %u): %s; "
		"rolled back, trying again in %s\n", ev->direction, ev->from, ev->to, ev->attempt,
		ev->attempts, ev->reason, delay);
	fflush(stderr);
}

static void on_progress(const retort_migrate_event *ev, void *payload)
{
	cli_run *r = payload;
	const cli_global *g = r->g;

	if (!strcmp(ev->verb, "retry")) {
		print_retry(r, ev);
		return;
	}
	if (ev->phase == RETORT_PHASE_DONE) {
		r->steps++;
		r->total_ms += ev->ms;
	}
	if (g->json) {
		const char *name = ev->phase == RETORT_PHASE_START ? "started"
			: ev->phase == RETORT_PHASE_FAIL ? "failed" : ev->dry_run ? "planned" : "finished";
		json_t *o = json_pack("{s:s, s:s, s:s?, s:s, s:s, s:s}", "event", name, "verb", ev->verb,
			"revision", ev->rev ? ev->rev->id : NULL, "from", ev->from, "to", ev->to,
			"message", ev->message);
		json_object_set_new(o, "database", json_string(r->cfg->section));
		if (ev->phase == RETORT_PHASE_DONE && !ev->dry_run)
			json_object_set_new(o, "duration_ms", json_real(round3(ev->ms)));
		if (ev->phase == RETORT_PHASE_FAIL) {
			unsigned line = ev->line ? ev->line : line_from_message(ev->error, ev->file);
			json_object_set_new(o, "file", json_string(ev->file));
			json_object_set_new(o, "line", line ? json_integer(line) : json_null());
			json_object_set_new(o, "error", json_string(ev->error));
			json_object_set_new(o, "duration_ms", json_real(round3(ev->ms)));
		}
		print_event_json(o);
		return;
	}
	if (g->verbosity < 0 || ev->phase != RETORT_PHASE_DONE)
		return;
	if (ev->dry_run)
		printf("Would run %s %s -> %s, %s\n", ev->verb, ev->from, ev->to, ev->message);
	else if (!ev->rev)
		printf("Running stamp %s -> %s (%.0f ms)\n", ev->from, ev->to, ev->ms);
	else
		printf("Running %s %s%s%s -> %s%s%s, %s (%.0f ms)\n", ev->verb,
			cli_color_on(g, CLI_COLOR_REV), ev->from, cli_color_off(g),
			cli_color_on(g, CLI_COLOR_REV), ev->to, cli_color_off(g), ev->message, ev->ms);
	fflush(stdout);
}

int cli_run_report(cli_run *r, int rc, const char *verb, const char *target)
{
	const cli_global *g = r->g;

	if (g->json) {
		const retort_error *e = rc ? retort_error_last() : NULL;
		json_t *o = json_pack("{s:s, s:s, s:s, s:b, s:I, s:f}", "event", "summary", "verb", verb,
			"target", target ? target : "", "ok", rc == 0, "revisions", (json_int_t)r->steps,
			"duration_ms", round3(r->total_ms));
		if (rc)
			json_object_set_new(o, "error", json_string(e ? e->message : ""));
		json_object_set_new(o, "database", json_string(r->cfg->section));
		json_object_set_new(o, "dry_run", json_boolean(r->opts.dry_run));
		json_object_set_new(o, "exit_status", json_integer(rc));
		print_event_json(o);
		return rc;
	}
	if (rc == 0 && r->steps == 0 && g->verbosity >= 0)
		printf("Nothing to %s: the database is already at %s%s\n", r->opts.dry_run ? "run" : "do",
			target ? target : "head", r->opts.dry_run ? " (dry run)" : "");
	return rc;
}

static void on_wait(const char *what, void *payload)
{
	(void)payload;
	fprintf(stderr, "retort: waiting for another retort on %s\n", what);
}

int cli_run_open(cli_run *r, cli_global *g, graph_cli_mode mode)
{
	int rc;

	memset(r, 0, sizeof(*r));
	if ((rc = cli_load_config(g, &r->cfg)) != 0)
		return rc;
	if (mode != GRAPH_CLI_NONE && (rc = graph_cli_load(&r->graph, r->cfg, mode)) < 0)
		return cli_fail(rc);
	r->g = g;
	r->opts.progress = on_progress;
	r->opts.progress_payload = r;
	r->opts.on_wait = on_wait;
	return 0;
}

void cli_run_close(cli_run *r)
{
	graph_cli_done(r->graph);
	retort_config_free(r->cfg);
}

int cli_run_start(cli_run *r, cli_global *g, graph_cli_mode mode, bool sql, bool dry_run)
{
	int rc;

	memset(r, 0, sizeof(*r));
	if (sql && dry_run) {
		cli_error("--sql and --dry-run cannot be combined");
		return CLI_EXIT_USAGE;
	}
	if ((rc = cli_run_open(r, g, mode)) != 0)
		return rc;
	r->opts.dry_run = dry_run;
	return 0;
}

int cli_run_finish(int rc, const retort_buf *sql)
{
	if (rc < 0)
		return cli_fail(rc);
	if (sql && (fwrite(sql->ptr, 1, sql->size, stdout) != sql->size || fflush(stdout) != 0)) {
		cli_error("cannot write the SQL to stdout");
		return CLI_EXIT_FAIL;
	}
	return 0;
}
