/*
 * guard.c - guarded runs on PostgreSQL: the server's lock_timeout and
 * statement_timeout around each revision's statements, and another try
 * for a revision whose lock wait timed out (see migrate_int.h).
 *
 * A blocked ALTER TABLE is worse than a failed one: while it waits for
 * its ACCESS EXCLUSIVE lock, every query on the table queues behind it.
 * With lock_timeout the wait is bounded, the revision rolls back, and the
 * run tries again after a pause (doubling each time), so a deploy that
 * meets a long transaction gives way instead of stopping the site.
 *
 * Transactional revisions get SET LOCAL inside their transaction: the
 * settings end with it, whatever happens.  A revision run outside a
 * transaction (Transactional: no) gets session SETs before its statements
 * and RESET after; it is never tried again, because the statements before
 * the one that timed out stay applied and CREATE INDEX CONCURRENTLY leaves
 * an INVALID index behind when it fails.  SQLite has no such settings (its
 * busy timeout is the run lock's); nothing here applies to it.  This file
 * does not run scripts or decide the order of steps (migrate.c does).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "base/buf.h"
#include "base/common.h"
#include "run/migrate_int.h"

/* The longest pause between two tries, however many there are. */
#define MAX_DELAY_MS 60000L

static bool applies(const retort_db *db)
{
	return db->dialect->id == RETORT_DIALECT_POSTGRES;
}

/* ms for one setting: the header's, else retort.ini's; -1 leaves the server's. */
static long effective(bool in_header, long header, long configured)
{
	return in_header ? header : configured;
}

static void put_setting(retort_buf *sql, const char *verb, const char *name, long ms)
{
	/* A number of ms, never text from a file: the header parser made it a long. */
	if (ms >= 0)
		retort_buf_printf(sql, "%s %s = %ld;\n", verb, name, ms);
	else
		retort_buf_printf(sql, "%s %s = DEFAULT;\n", verb, name);
}

int retort__guard_enter(retort__guard *g, retort_db *db, const retort_config *cfg, const retort_script *s)
{
	long lock = effective(s->has_lock_timeout, s->lock_timeout_ms, cfg->ddl_lock_timeout);
	long stmt = effective(s->has_statement_timeout, s->statement_timeout_ms, cfg->ddl_statement_timeout);
	retort_buf sql = RETORT_BUF_INIT;
	int error = 0;

	if (!applies(db))
		return 0;
	if (s->transactional) {
		/*
		 * A one-transaction run keeps SET LOCAL across revisions: a revision
		 * without settings must not inherit the previous one's, so after a
		 * revision set something the next one sets DEFAULT back.
		 */
		if (lock < 0 && stmt < 0 && !g->dirty)
			return 0;
		put_setting(&sql, "SET LOCAL", "lock_timeout", lock);
		put_setting(&sql, "SET LOCAL", "statement_timeout", stmt);
		g->dirty = lock >= 0 || stmt >= 0;
	} else {
		if (lock >= 0)
			put_setting(&sql, "SET", "lock_timeout", lock);
		if (stmt >= 0)
			put_setting(&sql, "SET", "statement_timeout", stmt);
		g->session = sql.size > 0;
	}
	if (sql.size)
		error = retort_db_exec(db, sql.ptr);
	retort_buf_dispose(&sql);
	return error;
}

int retort__guard_leave(retort__guard *g, retort_db *db, bool failed)
{
	char *saved = NULL;
	retort_error_class klass = RETORT_ERROR_NONE;
	int error;

	if (!g->session)
		return 0;
	g->session = false;
	/* Keep the error that ended the revision. */
	if (failed && retort_error_last()) {
		saved = retort__strdup(retort_error_last()->message);
		klass = retort_error_last()->klass;
	}
	error = retort_db_exec(db, "RESET lock_timeout;\nRESET statement_timeout;");
	if (saved && error == 0)
		retort__error_set(klass, "%s", saved);
	free(saved);
	return error;
}

static void pause_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

bool retort__guard_retry(retort__guard *g, const retort_config *cfg, const retort_migrate_opts *opts,
	const retort_db *db, const retort_revision *rev, retort_direction direction, int error)
{
	unsigned attempts = (unsigned)cfg->ddl_lock_retries + 1;
	long delay = cfg->ddl_lock_retry_delay;
	retort_step step = { 0 };
	char *from, *to, *reason;

	if (error != RETORT_ELOCKED || !applies(db))
		return false;
	if (!rev->script->transactional) {
		retort__error_prefix("not tried again (Transactional: no: what ran before stays applied)");
		return false;
	}
	if (++g->failures >= attempts) {
		retort__error_prefix("gave up after %u attempt%s (ddl_lock_retries = %d)", attempts,
			attempts == 1 ? "" : "s", cfg->ddl_lock_retries);
		g->failures = 0;
		return false;
	}
	for (unsigned i = 1; i < g->failures && delay < MAX_DELAY_MS; i++)
		delay *= 2;
	if (delay > MAX_DELAY_MS)
		delay = MAX_DELAY_MS;
	if (opts && opts->progress) {
		retort_migrate_event ev = { 0 };
		step.rev = (retort_revision *)rev;
		step.direction = direction;
		from = retort__migrate_step_side(&step, true);
		to = retort__migrate_step_side(&step, false);
		reason = retort__strdup(retort_error_last() ? retort_error_last()->message : "lock timeout");
		ev.verb = "retry";
		ev.rev = rev;
		ev.from = from;
		ev.to = to;
		ev.message = rev->script->message ? rev->script->message : "";
		ev.attempt = g->failures;
		ev.attempts = attempts;
		ev.delay_ms = (double)delay;
		ev.reason = reason;
		ev.direction = direction == RETORT_UPGRADE ? "upgrade" : "downgrade";
		opts->progress(&ev, opts->progress_payload);
		free(from);
		free(to);
		free(reason);
	}
	pause_ms(delay);
	return true;
}

void retort__guard_done(retort__guard *g)
{
	g->failures = 0;
}
