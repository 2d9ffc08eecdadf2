/*
 * migrate_cli.c - shared plumbing of the migration commands (see
 * migrate_cli.h).  Progress goes to stdout (silenced by -q), or with --json
 * one event object per line (started, finished, failed, then a summary);
 * the library's log (waiting for another runner) goes to stderr so it
 * shows even when stdout is captured.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* The section the run is on, as --json events name it. */
static const char *database_name(const cli_run *r)
{
	return r->g->section && *r->g->section ? r->g->section : "retort";
}

/*
 * A lock wait that timed out goes to stderr, like waiting for the run lock,
 * even with -q; with --json it is an event of its own ("retry") on stdout.
 */
static void print_retry(const cli_run *r, const retort_event *ev)
{
	char delay[32];

	if (r->g->json) {
		json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:i, s:i, s:f, s:s}", "event", "retry",
			"verb", ev->verb, "from", ev->from, "to", ev->to, "attempt", (int)ev->attempt,
			"attempts", (int)ev->attempts, "delay_ms", round3(ev->delay_ms), "reason", ev->reason);
		json_object_set_new(o, "database", json_string(database_name(r)));
		print_event_json(o);
		return;
	}
	retort__duration_format(delay, (long)ev->delay_ms);
	fprintf(stderr, "retort: %s %s -> %s waited too long for a lock (attempt %u of %u): %s; "
		"rolled back, trying again in %s\n", ev->verb, ev->from, ev->to, ev->attempt,
		ev->attempts, ev->reason, delay);
	fflush(stderr);
}

static void on_event(const retort_event *ev, void *payload)
{
	cli_run *r = payload;
	const cli_global *g = r->g;
	bool done = ev->kind == RETORT_EVENT_FINISHED || ev->kind == RETORT_EVENT_PLANNED;

	if (ev->kind == RETORT_EVENT_RETRY) {
		print_retry(r, ev);
		return;
	}
	if (done) {
		r->steps++;
		r->total_ms += ev->duration_ms;
	}
	if (g->json) {
		const char *name = ev->kind == RETORT_EVENT_STARTED ? "started"
			: ev->kind == RETORT_EVENT_FAILED ? "failed"
			: ev->kind == RETORT_EVENT_PLANNED ? "planned" : "finished";
		json_t *o = json_pack("{s:s, s:s, s:s?, s:s, s:s, s:s}", "event", name, "verb", ev->verb,
			"revision", ev->revision, "from", ev->from, "to", ev->to, "message", ev->message);
		json_object_set_new(o, "database", json_string(database_name(r)));
		if (ev->kind == RETORT_EVENT_FINISHED)
			json_object_set_new(o, "duration_ms", json_real(round3(ev->duration_ms)));
		if (ev->kind == RETORT_EVENT_FAILED) {
			unsigned line = ev->line ? ev->line : line_from_message(ev->error, ev->file);
			json_object_set_new(o, "file", json_string(ev->file));
			json_object_set_new(o, "line", line ? json_integer(line) : json_null());
			json_object_set_new(o, "error", json_string(ev->error));
			json_object_set_new(o, "duration_ms", json_real(round3(ev->duration_ms)));
		}
		print_event_json(o);
		return;
	}
	if (g->verbosity < 0 || !done)
		return;
	if (ev->kind == RETORT_EVENT_PLANNED)
		printf("Would run %s %s -> %s, %s\n", ev->verb, ev->from, ev->to, ev->message);
	else if (!ev->revision)
		printf("Running stamp %s -> %s (%.0f ms)\n", ev->from, ev->to, ev->duration_ms);
	else
		printf("Running %s %s%s%s -> %s%s%s, %s (%.0f ms)\n", ev->verb,
			cli_color_on(g, CLI_COLOR_REV), ev->from, cli_color_off(g),
			cli_color_on(g, CLI_COLOR_REV), ev->to, cli_color_off(g), ev->message, ev->duration_ms);
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
		json_object_set_new(o, "database", json_string(database_name(r)));
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

int cli_run_open(cli_run *r, cli_global *g)
{
	int rc;

	memset(r, 0, sizeof(*r));
	if ((rc = cli_project_open(g, &r->project)) != 0)
		return rc;
	r->g = g;
	retort_run_options_init(&r->opts, RETORT_RUN_OPTIONS_VERSION);
	r->opts.event_cb = on_event;
	r->opts.event_payload = r;
	return 0;
}

void cli_run_close(cli_run *r)
{
	/* the graph an operation read stays with the project, so a view of it lives until here */
	retort_project_free(r->project);
	r->project = NULL;
}

int cli_run_start(cli_run *r, cli_global *g, bool sql, bool dry_run)
{
	int rc;

	memset(r, 0, sizeof(*r));
	if (sql && dry_run) {
		cli_error("--sql and --dry-run cannot be combined");
		return CLI_EXIT_USAGE;
	}
	if ((rc = cli_run_open(r, g)) != 0)
		return rc;
	r->opts.dry_run = dry_run;
	return 0;
}

int cli_run_finish(int rc, const retort_buffer *sql)
{
	if (rc < 0)
		return cli_fail(rc);
	if (sql && sql->size && (fwrite(sql->ptr, 1, sql->size, stdout) != sql->size || fflush(stdout) != 0)) {
		cli_error("cannot write the SQL to stdout");
		return CLI_EXIT_FAIL;
	}
	return 0;
}
