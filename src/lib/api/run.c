/*
 * run.c - retort/run.h: upgrade, downgrade, stamp and ensure-version, their
 * offline SQL, and what the database is at, as calls on a project.  Each
 * call reads the scripts afresh (every file: a run never plans from the
 * header cache), then hands over to run/ (migrate.h), translating its
 * progress into public events and its lock waits into log messages.
 */
#include <stdlib.h>
#include <string.h>

#include "api/api_int.h"

int retort_run_options_init(retort_run_options *opts, unsigned version)
{
	static const retort_run_options defaults = RETORT_RUN_OPTIONS_INIT;
	int error;

	if ((error = retort__options_check(version, RETORT_RUN_OPTIONS_VERSION, "retort_run_options")) < 0)
		return error;
	*opts = defaults;
	return 0;
}

typedef struct bridge {
	retort_project *project;
	const retort_run_options *opts;
	retort_strarray *planned;   /* retort_project_pending: collect, do not report */
} bridge;

static void on_progress(const retort_migrate_event *ev, void *payload)
{
	bridge *b = payload;
	retort_event e;

	if (b->planned) {
		if (ev->phase == RETORT_PHASE_DONE && ev->rev) {
			retort_vec one = RETORT_VEC_INIT;
			retort_vec_push(&one, (void *)ev->rev->id);
			retort__strarray_from(b->planned, &one);
			retort_vec_dispose(&one, false);
		}
		return;
	}
	if (!b->opts || !b->opts->event_cb)
		return;
	memset(&e, 0, sizeof(e));
	if (ev->verb && strcmp(ev->verb, "retry") == 0) {
		/* run/ says "retry" in the verb; here it is a kind, and the verb is the step's */
		e.kind = RETORT_EVENT_RETRY;
		e.verb = ev->direction;
		e.revision = ev->rev ? ev->rev->id : NULL;
		e.from = ev->from ? ev->from : "";
		e.to = ev->to ? ev->to : "";
		e.message = ev->message ? ev->message : "";
		e.attempt = ev->attempt;
		e.attempts = ev->attempts;
		e.delay_ms = ev->delay_ms;
		e.reason = ev->reason ? ev->reason : "";
		b->opts->event_cb(&e, b->opts->event_payload);
		return;
	}
	e.kind = ev->phase == RETORT_PHASE_START ? RETORT_EVENT_STARTED
		: ev->phase == RETORT_PHASE_FAIL ? RETORT_EVENT_FAILED
		: ev->dry_run ? RETORT_EVENT_PLANNED : RETORT_EVENT_FINISHED;
	e.verb = ev->verb;
	e.revision = ev->rev ? ev->rev->id : NULL;
	e.from = ev->from ? ev->from : "";
	e.to = ev->to ? ev->to : "";
	e.message = ev->message ? ev->message : "";
	e.duration_ms = ev->ms;
	if (ev->phase == RETORT_PHASE_FAIL) {
		e.error = ev->error ? ev->error : "";
		e.file = ev->file;
		e.line = ev->line;
	}
	b->opts->event_cb(&e, b->opts->event_payload);
}

static void on_wait(const char *what, void *payload)
{
	retort__project_log(payload, RETORT_LOG_INFO, "waiting for another retort on %s", what);
}

/* The run's options in run/'s terms; `b` must outlive the run. */
static int migrate_opts(retort_migrate_opts *mo, bridge *b, retort_project *project,
	const retort_run_options *opts)
{
	int error;

	if (opts && (error = retort__options_check(opts->version, RETORT_RUN_OPTIONS_VERSION,
			"retort_run_options")) < 0)
		return error;
	memset(b, 0, sizeof(*b));
	memset(mo, 0, sizeof(*mo));
	b->project = project;
	b->opts = opts;
	mo->progress = on_progress;
	mo->progress_payload = b;
	mo->on_wait = on_wait;
	mo->wait_payload = project;
	mo->dry_run = opts && opts->dry_run;
	mo->tag = opts ? opts->tag : NULL;
	return 0;
}

typedef enum verb { UPGRADE, DOWNGRADE } verb;

static int move(retort_project *project, verb v, const char *target, const retort_run_options *opts)
{
	retort_migrate_opts mo;
	bridge b;
	int error;

	if ((error = migrate_opts(&mo, &b, project, opts)) < 0 ||
	    (error = retort__project_begin(project, true, true)) < 0)
		return error;
	error = v == UPGRADE
		? retort_migrate_upgrade(project->cfg, project->graph, target, &mo)
		: retort_migrate_downgrade(project->cfg, project->graph, target, &mo);
	return retort__project_end(project, error);
}

int retort_project_upgrade(retort_project *project, const char *target, const retort_run_options *opts)
{
	return move(project, UPGRADE, target, opts);
}

int retort_project_downgrade(retort_project *project, const char *target, const retort_run_options *opts)
{
	if (!target || !*target)
		return retort__error_set(RETORT_ERROR_USAGE, "a downgrade needs a target (\"-1\", \"base\", an id ...)");
	return move(project, DOWNGRADE, target, opts);
}

int retort_project_stamp(retort_project *project, const char *const *targets, size_t count,
	const retort_run_options *opts)
{
	retort_migrate_opts mo;
	bridge b;
	int error;

	if (!targets || !count)
		return retort__error_set(RETORT_ERROR_USAGE, "a stamp needs at least one target");
	if ((error = migrate_opts(&mo, &b, project, opts)) < 0 ||
	    (error = retort__project_begin(project, true, true)) < 0)
		return error;
	error = retort_migrate_stamp(project->cfg, project->graph, targets, count, opts && opts->purge, &mo);
	return retort__project_end(project, error);
}

int retort_project_ensure_version(retort_project *project)
{
	retort_migrate_opts mo;
	bridge b;
	int error;

	if ((error = migrate_opts(&mo, &b, project, NULL)) < 0 ||
	    (error = retort__project_begin(project, false, false)) < 0)
		return error;
	return retort__project_end(project, retort_migrate_ensure_version(project->cfg, &mo));
}

/* --- offline ------------------------------------------------------------ */

/* Render into a private buffer, then hand the text over: `out` only ever gets whole scripts. */
static int hand_over(retort_buffer *out, retort_buf *sql, int error)
{
	if (error >= 0)
		retort__buffer_put(out, sql->ptr, sql->size);
	retort_buf_dispose(sql);
	return error;
}

static int render(retort_buffer *out, retort_project *project, verb v, const char *range)
{
	retort_buf sql = RETORT_BUF_INIT;
	int error;

	if (!out || !range || !*range)
		return retort__error_set(RETORT_ERROR_USAGE, "offline SQL needs a buffer and a range");
	if ((error = retort__project_begin(project, true, true)) < 0)
		return error;
	error = v == UPGRADE ? retort_migrate_render_upgrade(&sql, project->cfg, project->graph, range)
		: retort_migrate_render_downgrade(&sql, project->cfg, project->graph, range);
	return retort__project_end(project, hand_over(out, &sql, error));
}

int retort_project_upgrade_sql(retort_buffer *out, retort_project *project, const char *range)
{
	return render(out, project, UPGRADE, range);
}

int retort_project_downgrade_sql(retort_buffer *out, retort_project *project, const char *range)
{
	return render(out, project, DOWNGRADE, range);
}

int retort_project_stamp_sql(retort_buffer *out, retort_project *project,
	const char *const *targets, size_t count, const retort_run_options *opts)
{
	retort_buf sql = RETORT_BUF_INIT;
	int error;

	if (!out || !targets || !count)
		return retort__error_set(RETORT_ERROR_USAGE, "a stamp needs a buffer and at least one target");
	if (opts && (error = retort__options_check(opts->version, RETORT_RUN_OPTIONS_VERSION,
			"retort_run_options")) < 0)
		return error;
	if ((error = retort__project_begin(project, true, true)) < 0)
		return error;
	error = retort_migrate_render_stamp(&sql, project->cfg, project->graph, targets, count,
		opts && opts->purge);
	return retort__project_end(project, hand_over(out, &sql, error));
}

int retort_project_ensure_version_sql(retort_buffer *out, retort_project *project)
{
	retort_buf sql = RETORT_BUF_INIT;
	int error;

	if (!out)
		return retort__error_set(RETORT_ERROR_USAGE, "offline SQL needs a buffer");
	if ((error = retort__project_begin(project, false, false)) < 0)
		return error;
	error = retort_migrate_render_ensure_version(&sql, project->cfg);
	return retort__project_end(project, hand_over(out, &sql, error));
}

/* --- where the database is ----------------------------------------------- */

int retort_project_heads(retort_strarray *out, retort_project *project)
{
	retort_db_status *st = NULL;
	int error;

	if (!out)
		return retort__error_set(RETORT_ERROR_USAGE, "retort_project_heads: out is NULL");
	if ((error = retort__project_begin(project, true, false)) < 0)
		return error;
	if ((error = retort_migrate_status(&st, project->cfg, project->graph, false)) == 0)
		retort__strarray_from(out, &st->heads);
	retort_db_status_free(st);
	return retort__project_end(project, error);
}

int retort_project_pending(retort_strarray *out, retort_project *project, const char *target)
{
	retort_migrate_opts mo;
	retort_strarray planned = RETORT_STRARRAY_INIT;
	bridge b;
	int error;

	if (!out)
		return retort__error_set(RETORT_ERROR_USAGE, "retort_project_pending: out is NULL");
	if ((error = migrate_opts(&mo, &b, project, NULL)) < 0 ||
	    (error = retort__project_begin(project, true, true)) < 0)
		return error;
	/* a dry run's plan: what an upgrade would apply, read creating nothing */
	b.planned = &planned;
	mo.dry_run = true;
	error = retort_migrate_upgrade(project->cfg, project->graph, target, &mo);
	if (error == 0) {
		out->strings = retort__realloc(out->strings, (out->count + planned.count + 1) * sizeof(char *));
		for (size_t i = 0; i < planned.count; i++)
			out->strings[out->count++] = planned.strings[i];
		planned.count = 0;
	}
	retort_strarray_dispose(&planned);
	return retort__project_end(project, error);
}
