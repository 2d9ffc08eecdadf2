/*
 * migrate.c - online upgrade, downgrade, stamp and ensure-version: the
 * lock, the transactions, and the order of statements within them.
 *
 * The shape of a run: connect, take the dialect's migration lock, create
 * the version table if missing, read the heads inside the lock, plan, then
 * for each step run the script and move the version table in the same
 * transaction.  PostgreSQL's advisory lock serializes whole runs.  SQLite
 * has no session lock: each step's BEGIN IMMEDIATE takes the write lock,
 * the heads are re-read under it, and when another process moved them the
 * rest of the run is re-planned from what is really there.  Either way no
 * revision runs twice.
 *
 * Offline rendering lives in migrate_offline.c, `current` in
 * migrate_status.c; connecting and heads no script defines in
 * migrate_common.c, C revisions in migrate_c.c (see migrate_int.h).
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "git/gitsource.h"
#include "run/fk_off.h"
#include "run/migrate.h"
#include "run/migrate_int.h"
#include "run/partial.h"
#include "run/version.h"

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}




/*
 * "-1", "+2", "REV+1", "LABEL@-1": targets that mean something only
 * against the heads they were resolved from.
 */
static bool is_relative(const char *target)
{
	const char *p = NULL;

	for (const char *s = target; *s; s++)
		if (*s == '+' || *s == '-')
			p = s;
	if (!p || !p[1])
		return false;
	for (p++; *p; p++)
		if (*p < '0' || *p > '9')
			return false;
	return true;
}


/* --- one run ----------------------------------------------------------- */

typedef struct run {
	const retort_config *cfg;
	const retort_graph *graph;
	const retort_migrate_opts *opts;
	retort_db *db;
	bool borrowed;            /* db is the caller's (opts->db) */
	bool locked;
	bool in_tx;
	bool per_migration;
	retort__guard guard;      /* timeouts and retries (guard.c) */
	bool fk_switched;         /* Foreign Keys: off is in force; fk_was_on is what to restore */
	bool fk_was_on;
	char *git_commit;
	unsigned fail_line;       /* line of the statement that failed, 0 if none */
	retort_vec heads;         /* char *, the version table as of the last step */
	/*
	 * One-transaction runs defer the version update and the history rows
	 * to the end of the transaction: nobody can see the intermediate
	 * states, and one UPDATE plus a few multi-row INSERTs replace two
	 * statements per revision.  db_heads is what the table really holds.
	 */
	bool defer;
	retort_vec db_heads;
	retort_history_entry *rows;
	char (*whens)[96];
	size_t nrows, caprows;
	/* Steps done in the open transaction: announced once it commits. */
	struct done_step { const retort_step *st; double ms; } *done;
	size_t ndone, capdone;
	size_t committed;         /* steps whose transaction committed in this run */
} run;

static void heads_release(retort_vec *heads)
{
	for (size_t i = 0; i < heads->len; i++)
		free(heads->items[i]);
	retort_vec_clear(heads);
}

/* Replace `heads` (owned strings) with copies of `ids`; ids may not alias heads. */
static void heads_set(retort_vec *heads, const retort_vec *ids)
{
	heads_release(heads);
	for (size_t i = 0; i < ids->len; i++)
		retort_vec_push(heads, retort__strdup(ids->items[i]));
}

static int tx_begin(run *r)
{
	int error = retort_db_begin(r->db);

	r->in_tx = error == 0;
	return error;
}

static int flush_deferred(run *r)
{
	int error;

	if (!r->defer)
		return 0;
	if (!retort__strvec_equal(&r->db_heads, &r->heads) &&
	    (error = retort_version_table_apply(r->db, r->cfg, &r->db_heads, &r->heads)) < 0)
		return error;
	/* whens may have moved with realloc: point at them only now */
	for (size_t i = 0; i < r->nrows; i++)
		r->rows[i].applied_at = r->whens[i];
	if ((error = retort_history_append(r->db, r->cfg, r->rows, r->nrows)) < 0)
		return error;
	heads_set(&r->db_heads, &r->heads);
	r->nrows = 0;
	return 0;
}

static void defer_row(run *r, const retort_history_entry *e)
{
	if (r->nrows == r->caprows) {
		r->caprows = r->caprows ? r->caprows * 2 : 64;
		r->rows = retort__realloc(r->rows, r->caprows * sizeof(*r->rows));
		r->whens = retort__realloc(r->whens, r->caprows * sizeof(*r->whens));
	}
	r->rows[r->nrows] = *e;
	retort__history_now(r->whens[r->nrows]);
	r->nrows++;
}

static void report(run *r, const retort_step *st, double ms, retort_migrate_phase phase);

/* Append to the current error's message, keeping its class. */
static void error_suffix(const char *text)
{
	const retort_error *e = retort_error_last();
	char *msg;

	if (!e)
		return;
	msg = retort__strdup(e->message);
	retort__error_set(e->klass, "%s%s", msg, text);
	free(msg);
}

/* Its first statement failed: nothing ran, so the trace goes (keeping the error). */
static void discard_trace(run *r, int64_t trace)
{
	const retort_error *e = retort_error_last();
	char *saved = e ? retort__strdup(e->message) : NULL;
	int klass = e ? (int)e->klass : RETORT_ERROR_INTERNAL;

	retort_partial_discard(r->db, r->cfg, trace);
	if (saved)
		retort__error_set((retort_error_class)klass, "%s", saved);
	free(saved);
}

/* --- progress: a step is announced only once its transaction committed ---- */

static void queue_done(run *r, const retort_step *st, double ms)
{
	if (r->ndone == r->capdone) {
		r->capdone = r->capdone ? r->capdone * 2 : 16;
		r->done = retort__realloc(r->done, r->capdone * sizeof(*r->done));
	}
	r->done[r->ndone].st = st;
	r->done[r->ndone].ms = ms;
	r->ndone++;
}

static void announce_done(run *r)
{
	for (size_t i = 0; i < r->ndone; i++)
		report(r, r->done[i].st, r->done[i].ms, RETORT_PHASE_DONE);
	r->committed += r->ndone;
	r->ndone = 0;
}

/* A COMMIT that fails (a deferred constraint) fails the revisions it would have committed. */
static void name_commit_failure(run *r)
{
	if (r->ndone == 1)
		retort__error_prefix("%s: revision '%s' was not applied", r->done[0].st->rev->script->path,
			r->done[0].st->rev->id);
	else if (r->ndone > 1)
		retort__error_prefix("revisions '%s' to '%s' were not applied", r->done[0].st->rev->id,
			r->done[r->ndone - 1].st->rev->id);
	r->fail_line = 0;
	for (size_t i = 0; i < r->ndone; i++)
		report(r, r->done[i].st, r->done[i].ms, RETORT_PHASE_FAIL);
	r->ndone = 0;
}

static int tx_commit(run *r)
{
	int error;

	if (r->in_tx && (error = flush_deferred(r)) < 0)
		return error;
	r->in_tx = false;
	if ((error = retort_db_commit(r->db)) < 0) {
		name_commit_failure(r);
		r->in_tx = true; /* whatever is left of it is rolled back, keeping this error */
		return error;
	}
	announce_done(r);
	return 0;
}

static void tx_rollback(run *r)
{
	r->ndone = 0;
	if (r->in_tx) {
		/* Keep the error that made us roll back, not the rollback's own. */
		char *saved = retort_error_last() ? retort__strdup(retort_error_last()->message) : NULL;
		int klass = retort_error_last() ? (int)retort_error_last()->klass : RETORT_ERROR_INTERNAL;

		r->in_tx = false;
		retort_db_rollback(r->db);
		if (saved)
			retort__error_set((retort_error_class)klass, "%s", saved);
		free(saved);
	}
}

static void wait_forward(const char *what, void *payload)
{
	run *r = payload;
	char *masked = retort_url_masked(r->cfg->url);

	(void)what;
	if (r->opts && r->opts->on_wait)
		r->opts->on_wait(masked, r->opts->wait_payload);
	free(masked);
}

static int run_open(run *r, const retort_config *cfg, const retort_graph *graph,
	const retort_migrate_opts *opts)
{
	int error;

	memset(r, 0, sizeof(*r));
	r->cfg = cfg;
	r->graph = graph;
	r->opts = opts;
	r->per_migration = cfg->transaction_per_migration;
	if (opts && opts->dry_run) {
		/* A dry run only reads: it creates no database file and takes no lock. */
		bool missing;
		return retort__migrate_connect_existing(&r->db, &missing, cfg);
	}
	if (opts && opts->db) {
		r->db = opts->db;
		r->borrowed = true;
		return 0;
	}
	if ((error = retort__migrate_connect(&r->db, cfg)) < 0)
		return error;
	/* The lock is the version table's: one run per table at a time. */
	if ((error = retort_db_lock(r->db, cfg->version_table_schema, cfg->version_table,
			cfg->lock_timeout, wait_forward, r)) < 0)
		return error;
	r->locked = true;
	r->git_commit = retort__git_head_commit(cfg->script_location);
	return 0;
}

/* Does this step run with foreign keys off around its transaction (fk_off.h)? */
static bool fk_off_step(const run *r, const retort_step *st)
{
	return retort__fk_off_applies(r->db->dialect, st->rev->script);
}

/* Before the step's BEGIN: SQLite ignores the pragma inside a transaction. */
static int fk_switch_off(run *r)
{
	int error;

	if (r->fk_switched)
		return 0;
	if ((error = retort__fk_off_switch(r->db, &r->fk_was_on)) < 0)
		return error;
	r->fk_switched = true;
	return 0;
}

/* After the step's COMMIT or ROLLBACK (never inside its transaction). */
static void fk_restore(run *r)
{
	if (!r->fk_switched)
		return;
	r->fk_switched = false;
	retort__fk_off_restore(r->db, r->fk_was_on);
}

/*
 * Roll back, unlock, disconnect.  Keeps the error that ended the run: after
 * a lost connection the cleanup's own failures ("no connection to the
 * server") say nothing the user needs.
 */
static void run_close(run *r)
{
	const retort_error *last = retort_error_last();
	char *saved = last && last->message ? retort__strdup(last->message) : NULL;
	int klass = last ? (int)last->klass : RETORT_ERROR_INTERNAL;

	tx_rollback(r);
	fk_restore(r);
	if (r->locked)
		retort_db_unlock(r->db);
	if (!r->borrowed)
		retort_db_free(r->db);
	if (saved)
		retort__error_set((retort_error_class)klass, "%s", saved);
	free(saved);
	free(r->done);
	free(r->git_commit);
	heads_release(&r->heads);
	retort_vec_dispose(&r->heads, false);
	heads_release(&r->db_heads);
	retort_vec_dispose(&r->db_heads, false);
	free(r->rows);
	free(r->whens);
}

/*
 * Re-read the version table into r->heads (inside the current transaction;
 * the table exists: every run creates it first).
 */
static int read_heads(run *r)
{
	int error;

	heads_release(&r->heads);
	if ((error = retort__version_table_read_existing(&r->heads, r->db, r->cfg)) < 0)
		return error;
	heads_set(&r->db_heads, &r->heads);
	return 0;
}

/* Prefix the current error with file:line of the failing statement; returns the line. */
static unsigned locate_error(const retort_script *s, unsigned section_line, unsigned err_line)
{
	if (err_line > 0) {
		retort__error_prefix("%s:%u", s->path, section_line + err_line - 1);
		return section_line + err_line - 1;
	}
	retort__error_prefix("%s", s->path);
	return 0;
}

typedef struct split_exec {
	retort_db *db;
	const retort_config *cfg;
	int64_t trace;            /* partial.h's row, 0 for none */
	unsigned done;            /* statements completed */
	unsigned line;            /* of the failing statement */
} split_exec;

static int exec_one(const char *sql, size_t len, unsigned line, void *payload)
{
	split_exec *se = payload;
	char *stmt;
	int error;

	/* The trace says which statement runs next; the first is already in it. */
	if (se->done > 0 && (error = retort_partial_progress(se->db, se->cfg, se->trace, se->done + 1)) < 0) {
		se->line = line;
		return error;
	}
	stmt = retort__strndup(sql, len);
	error = retort_db_exec(se->db, stmt);
	free(stmt);
	if (error < 0) {
		se->line = line;
		return error;
	}
	se->done++;
	return 0;
}

/*
 * Run the step's script (not the version update); `trace`: partial.h's
 * row.  *done: the statements that completed, for a Transactional: no SQL
 * script (-1 when not counted).
 */
static int run_script(run *r, const retort_step *st, int64_t trace, long *done)
{
	const retort_script *s = st->rev->script;
	bool up = st->direction == RETORT_UPGRADE;
	const char *sql;
	unsigned line, err_line = 0;
	int error;

	*done = -1;
	if (s->format == RETORT_SCRIPT_C)
		return retort__migrate_run_c(r->db, r->cfg, s, up);
	/* read when the run was planned; the history's checksum comes from the same bytes */
	if ((error = retort_script_read_sql(s)) < 0)
		return error;
	sql = up ? s->upgrade_sql : s->downgrade_sql;
	line = up ? s->upgrade_line : s->downgrade_line;
	if (!sql)
		return retort__error_set(RETORT_ERROR_SCRIPT,
			"%s: revision '%s' has no downgrade section", s->path, s->revision);
	if (s->transactional) {
		if ((error = retort_db_exec_script(r->db, sql, &err_line)) < 0)
			r->fail_line = locate_error(s, line, err_line);
		return error;
	}
	{
		split_exec se = { r->db, r->cfg, trace, 0, 0 };
		if ((error = r->db->dialect->split(sql, exec_one, &se)) < 0)
			r->fail_line = locate_error(s, line, se.line);
		*done = se.done;
	}
	return error;
}

static void step_entry(retort_history_entry *e, const run *r, const retort_step *st, double ms)
{
	memset(e, 0, sizeof(*e));
	e->revision = st->rev->id;
	e->direction = st->direction == RETORT_UPGRADE ? "upgrade" : "downgrade";
	e->heads_before = &st->heads_before;
	e->heads_after = &st->heads_after;
	e->checksum = retort_script_checksum(st->rev->script); /* NULL if the file vanished */
	e->duration_ms = (int64_t)(ms + 0.5);
	e->git_commit = r->git_commit;
	e->tag = r->opts ? r->opts->tag : NULL;
}

/* Version update and history row; a traced step's row is its trace, finished. */
static int record_step(run *r, const retort_step *st, double ms, int64_t trace)
{
	retort_history_entry e;
	int error;

	step_entry(&e, r, st, ms);
	if (trace) {
		if ((error = retort_partial_finish(r->db, r->cfg, trace, e.direction, e.duration_ms)) < 0)
			return error;
		if (!r->defer && (error = retort_version_table_apply(r->db, r->cfg, &st->heads_before,
				&st->heads_after)) < 0)
			return error;
	} else if (r->defer)
		defer_row(r, &e);
	else if ((error = retort_version_table_apply_logged(r->db, r->cfg, &st->heads_before,
			&st->heads_after, &e)) < 0)
		return error;
	heads_set(&r->heads, &st->heads_after);
	return 0;
}

static void report(run *r, const retort_step *st, double ms, retort_migrate_phase phase)
{
	retort_migrate_event ev = { 0 };
	char *from, *to;

	if (!r->opts || !r->opts->progress)
		return;
	memset(&ev, 0, sizeof(ev));
	from = retort__migrate_step_side(st, true);
	to = retort__migrate_step_side(st, false);
	ev.phase = phase;
	if (phase == RETORT_PHASE_FAIL) {
		ev.error = retort_error_last() ? retort_error_last()->message : "";
		ev.file = st->rev->script->path;
		ev.line = r->fail_line;
	}
	ev.verb = st->direction == RETORT_UPGRADE ? "upgrade" : "downgrade";
	ev.rev = st->rev;
	ev.from = from;
	ev.to = to;
	ev.message = st->rev->script->message ? st->rev->script->message : "";
	ev.ms = ms;
	ev.dry_run = r->opts->dry_run;
	r->opts->progress(&ev, r->opts->progress_payload);
	free(from);
	free(to);
}

/*
 * One step: script + version update, in a transaction unless
 * non-transactional.  A non-transactional step leaves its trace
 * (partial.h) before its first statement, and its version update commits
 * at once whatever transaction_per_migration says: its statements cannot
 * be rolled back, so neither may the record that they ran.
 */
static int run_step(run *r, const retort_step *st)
{
	bool tx = st->rev->script->transactional;
	double t0 = now_ms(), ms;
	int64_t trace = 0;
	long done = -1;
	int error;

	if (!tx && r->in_tx && (error = tx_commit(r)) < 0)
		return error;
	report(r, st, 0, RETORT_PHASE_START);
	r->fail_line = 0;
	if ((error = retort__guard_enter(&r->guard, r->db, r->cfg, st->rev->script)) < 0)
		goto fail;
	if (fk_off_step(r, st) && (error = retort__fk_off_snapshot(r->db)) < 0)
		goto fail;
	if (!tx) {
		retort_history_entry e;
		step_entry(&e, r, st, 0);
		if ((error = retort_partial_start(&trace, r->db, r->cfg, &e,
				st->rev->script->format == RETORT_SCRIPT_SQL)) < 0) {
			retort__guard_leave(&r->guard, r->db, true);
			goto fail;
		}
	}
	error = run_script(r, st, trace, &done);
	if (error >= 0 && fk_off_step(r, st) && (error = retort__fk_off_check(r->db)) < 0)
		retort__error_prefix("%s", st->rev->script->path);
	if (!tx) {
		int reset = retort__guard_leave(&r->guard, r->db, error < 0);
		error = error < 0 ? error : reset;
	}
	if (error < 0) {
		if (trace && done == 0)
			discard_trace(r, trace);
		else if (trace)
			error_suffix("; this revision is 'Transactional: no': the statements before "
				"the failing one stay applied and the version table does not record them "
				"('retort current -v' says how to go on)");
		goto fail;
	}
	if (!tx) {
		/* The statements are in; the version update gets its own transaction. */
		if ((error = tx_begin(r)) < 0)
			goto fail;
	}
	ms = now_ms() - t0;
	if ((error = record_step(r, st, ms, trace)) < 0)
		goto fail;
	/* Announced as done when its transaction commits (tx_commit); a failing COMMIT fails it there. */
	queue_done(r, st, ms);
	if (!tx && (error = tx_commit(r)) < 0)
		return error;
	return 0;
fail:
	report(r, st, now_ms() - t0, RETORT_PHASE_FAIL);
	return error;
}

typedef int (*plan_fn)(retort_plan **out, const retort_graph *graph,
	const char *const *current, size_t ncurrent, const char *target);


/* A step that stopped partway (partial.h) must be dealt with before anything else runs. */
static int check_unfinished(run *r)
{
	retort_partial *p = NULL;
	retort_buf msg = RETORT_BUF_INIT;
	int error;

	if ((error = retort_partial_find(&p, r->db, r->cfg)) < 0 || !p)
		return error;
	retort_partial_locate(p, r->graph, r->db->dialect->id);
	retort_partial_describe(&msg, p, r->graph);
	error = retort__error_set(RETORT_ERROR_DATABASE, "%s", msg.ptr);
	retort_buf_dispose(&msg);
	retort_partial_free(p);
	return error;
}

/*
 * The heads as the planner wants them: never NULL, because NULL there
 * means "no database" and an empty version table is a database at base
 * ("-1" then walks past base instead of being unanswerable).
 */
static const char *const *current_ids(const retort_vec *heads)
{
	static const char *const none[1] = { NULL };

	return heads->len ? (const char *const *)heads->items : none;
}

static int make_plan(retort_plan **out, run *r, plan_fn plan, const char *target)
{
	bool alembic = false;
	int error;

	*out = NULL;
	if ((error = check_unfinished(r)) < 0)
		return error;
	/* Running every script again over an Alembic database would fail at best */
	if ((error = retort__migrate_alembic_table(&alembic, r->db, r->cfg, &r->heads)) < 0)
		return error;
	if (alembic && plan == retort_plan_upgrade)
		return retort__error_set(RETORT_ERROR_CONFIG,
			"retort's version table '%s' is empty but the database has Alembic's "
			"'alembic_version': set 'version_table = alembic_version' in %s to take it over "
			"(or drop alembic_version to start from base)", r->cfg->version_table, r->cfg->path);
	if ((error = retort__migrate_check_known(r->db, r->cfg, r->graph, &r->heads)) < 0 ||
	    (error = plan(out, r->graph, current_ids(&r->heads), r->heads.len, target)) < 0)
		return error;
	return retort__migrate_read_scripts(*out);
}

static void report_dry(run *r, const retort_plan *plan)
{
	for (size_t i = 0; i < plan->nsteps; i++)
		report(r, &plan->steps[i], 0, RETORT_PHASE_DONE);
}

/*
 * Whole run in one transaction (transaction_per_migration = false), once;
 * *failed is the step that failed, if one did.
 */
static int run_single_once(run *r, plan_fn plan_with, const char *target, retort_step *failed)
{
	retort_plan *plan = NULL;
	size_t i = 0;
	int error;

	r->defer = true;
	r->nrows = 0;
	r->committed = 0;
	if ((error = tx_begin(r)) < 0 ||
	    (error = retort_version_table_ensure(r->db, r->cfg)) < 0 ||
	    (error = read_heads(r)) < 0 ||
	    (error = make_plan(&plan, r, plan_with, target)) < 0)
		goto done;
	for (i = 0; i < plan->nsteps; i++) {
		const retort_step *st = &plan->steps[i];
		bool fk_off = fk_off_step(r, st);

		/*
		 * Foreign keys cannot be switched off inside the run's one
		 * transaction: such a revision ends it (what came before is
		 * committed, as before a Transactional: no one), runs in its own,
		 * and the run goes on in a new one.
		 */
		if (fk_off) {
			if (r->in_tx && (error = tx_commit(r)) < 0)
				goto done;
			if ((error = fk_switch_off(r)) < 0)
				goto done;
		}
		if (!r->in_tx && (error = tx_begin(r)) < 0)
			goto done;
		if ((error = run_step(r, st)) < 0) {
			failed->rev = st->rev;
			failed->direction = st->direction;
			goto done;
		}
		if (fk_off) {
			if (r->in_tx && (error = tx_commit(r)) < 0)
				goto done;
			fk_restore(r);
		}
	}
	if (r->in_tx)
		error = tx_commit(r);
done:
	if (error < 0) {
		tx_rollback(r);
		fk_restore(r);
		/* Say what the rollback undid: everything since the last commit (a non-transactional step commits). */
		if (plan && r->committed == 0)
			retort__error_prefix("the whole run was rolled back, no revision was applied "
				"(transaction_per_migration = false)");
		else if (plan && r->committed < plan->nsteps)
			retort__error_prefix("rolled back to %s: the revisions after it were not applied "
				"(transaction_per_migration = false)", plan->steps[r->committed - 1].rev->id);
	}
	retort_plan_free(plan);
	return error;
}

/* A lock timeout rolls the whole transaction back: the run starts over from the heads it finds. */
static int run_single(run *r, plan_fn plan_with, const char *target)
{
	for (;;) {
		retort_step failed = { 0 };
		int error = run_single_once(r, plan_with, target, &failed);
		if (error >= 0 || !failed.rev ||
		    !retort__guard_retry(&r->guard, r->cfg, r->opts, r->db, failed.rev, failed.direction, error))
			return error;
	}
}

/*
 * One transaction per step.  When the dialect has no session lock (SQLite),
 * each BEGIN IMMEDIATE re-reads the heads and re-plans if they moved.
 */
static int run_per_migration(run *r, plan_fn plan_with, const char *target)
{
	bool recheck = r->db->dialect->id == RETORT_DIALECT_SQLITE;
	retort_plan *plan = NULL;
	size_t i = 0;
	int error;

	if ((error = tx_begin(r)) < 0 ||
	    (error = retort_version_table_ensure(r->db, r->cfg)) < 0 ||
	    (error = read_heads(r)) < 0 ||
	    (error = make_plan(&plan, r, plan_with, target)) < 0 ||
	    (error = tx_commit(r)) < 0)
		goto done;
	while (i < plan->nsteps) {
		const retort_step *st = &plan->steps[i];
		bool tx = st->rev->script->transactional;

		if (fk_off_step(r, st) && (error = fk_switch_off(r)) < 0)
			goto done;
		if (tx || recheck) {
			if ((error = tx_begin(r)) < 0)
				goto done;
		}
		if (recheck) {
			if ((error = read_heads(r)) < 0)
				goto done;
			if (!retort__strvec_equal(&r->heads, &st->heads_before)) {
				/*
				 * Someone else moved the database: plan again from
				 * where it is.  A relative target would now name
				 * something else, so that run stops instead.
				 */
				if (is_relative(target)) {
					error = retort__error_code(RETORT_ELOCKED, RETORT_ERROR_DATABASE,
						"another retort changed the database while this one waited; "
						"'%s' is relative, so nothing more was run: check 'retort current' and run again",
						target);
					goto done;
				}
				retort_plan_free(plan);
				plan = NULL;
				if ((error = make_plan(&plan, r, plan_with, target)) < 0)
					goto done;
				i = 0;
				if ((error = tx_commit(r)) < 0)
					goto done;
				fk_restore(r);
				continue;
			}
			if (!tx && (error = tx_commit(r)) < 0)
				goto done;
		}
		if ((error = run_step(r, st)) < 0) {
			tx_rollback(r);
			if (retort__guard_retry(&r->guard, r->cfg, r->opts, r->db, st->rev, st->direction, error))
				continue;
			goto done;
		}
		if (r->in_tx && (error = tx_commit(r)) < 0)
			goto done;
		fk_restore(r);
		retort__guard_done(&r->guard);
		i++;
	}
done:
	if (error < 0) {
		tx_rollback(r);
		fk_restore(r);
	}
	retort_plan_free(plan);
	return error;
}

static int dry_run(run *r, plan_fn plan_with, const char *target)
{
	retort_plan *plan = NULL;
	int error;

	/* Read only: a missing version table is simply "no heads". */
	if ((error = retort_version_table_read(&r->heads, NULL, r->db, r->cfg)) < 0 ||
	    (error = make_plan(&plan, r, plan_with, target)) < 0)
		goto done;
	report_dry(r, plan);
done:
	retort_plan_free(plan);
	return error;
}

static int migrate(const retort_config *cfg, const retort_graph *graph, plan_fn plan_with,
	const char *target, const retort_migrate_opts *opts)
{
	run r;
	int error;

	if ((error = run_open(&r, cfg, graph, opts)) < 0)
		goto done;
	if (opts && opts->dry_run)
		error = dry_run(&r, plan_with, target);
	else if (r.per_migration)
		error = run_per_migration(&r, plan_with, target);
	else
		error = run_single(&r, plan_with, target);
done:
	run_close(&r);
	return error;
}

int retort_migrate_upgrade(const retort_config *cfg, const retort_graph *graph,
	const char *target, const retort_migrate_opts *opts)
{
	return migrate(cfg, graph, retort_plan_upgrade, target ? target : "heads", opts);
}

int retort_migrate_downgrade(const retort_config *cfg, const retort_graph *graph,
	const char *target, const retort_migrate_opts *opts)
{
	if (!target)
		return retort__error_set(RETORT_ERROR_USAGE, "downgrade needs a target revision");
	return migrate(cfg, graph, retort_plan_downgrade, target, opts);
}

int retort_migrate_stamp(const retort_config *cfg, const retort_graph *graph,
	const char *const *targets, size_t ntargets, bool purge, const retort_migrate_opts *opts)
{
	retort_plan *plan = NULL;
	retort_vec before = RETORT_VEC_INIT;
	retort_history_entry e = { 0 };
	char *joined = NULL;
	double t0 = now_ms();
	run r;
	int error;

	if ((error = run_open(&r, cfg, graph, opts)) < 0 ||
	    (error = tx_begin(&r)) < 0 ||
	    (error = retort_version_table_ensure(r.db, cfg)) < 0 ||
	    (error = read_heads(&r)) < 0)
		goto done;
	/* Unknown heads are what --purge is for. */
	if (!purge && (error = retort__migrate_check_known(r.db, cfg, graph, &r.heads)) < 0)
		goto done;
	if ((error = retort_plan_stamp(&plan, graph, current_ids(&r.heads),
			r.heads.len, targets, ntargets, purge)) < 0)
		goto done;
	if (purge) {
		if ((error = retort_version_table_purge(r.db, cfg)) < 0)
			goto done;
	} else {
		heads_set(&before, &r.heads);
	}
	if ((error = retort_version_table_apply(r.db, cfg, &before, &plan->final_heads)) < 0)
		goto done;
	{
		retort_vec tv = { (void **)targets, ntargets, ntargets };
		joined = retort__ids_join(&tv, ",");
	}
	e.revision = joined;
	e.direction = "stamp";
	e.heads_before = &r.heads;
	e.heads_after = &plan->final_heads;
	e.duration_ms = (int64_t)(now_ms() - t0 + 0.5);
	e.git_commit = r.git_commit;
	e.tag = opts ? opts->tag : NULL;
	if ((error = retort_history_append(r.db, cfg, &e, 1)) < 0 || (error = tx_commit(&r)) < 0)
		goto done;
	if (opts && opts->progress) {
		char *from = retort__ids_join(&r.heads, ", ");
		char *to = retort__ids_join(&plan->final_heads, ", ");
		retort_migrate_event ev = { .phase = RETORT_PHASE_DONE, .verb = "stamp", .from = from, .to = to,
			.message = "", .ms = now_ms() - t0 };
		opts->progress(&ev, opts->progress_payload);
		free(from);
		free(to);
	}
done:
	heads_release(&before);
	retort_vec_dispose(&before, false);
	free(joined);
	retort_plan_free(plan);
	run_close(&r);
	return error;
}

int retort_migrate_ensure_version(const retort_config *cfg, const retort_migrate_opts *opts)
{
	run r;
	int error;

	if ((error = run_open(&r, cfg, NULL, opts)) < 0 ||
	    (error = tx_begin(&r)) < 0 ||
	    (error = retort_version_table_ensure(r.db, cfg)) < 0)
		goto done;
	error = tx_commit(&r);
done:
	run_close(&r);
	return error;
}
