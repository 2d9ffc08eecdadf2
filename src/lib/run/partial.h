/*
 * partial.h - the trace a `Transactional: no` step leaves while it runs,
 * so that one which stops partway (a failing statement, a kill, a lost
 * connection) is known to have stopped, where, and what to do about it.
 *
 * Such a step runs its statements outside any transaction: the ones that
 * completed stay applied whatever happens next, and the version table,
 * written only after the last one, still names the step's parents.  So
 * before its first statement the step appends a history-table row with
 * direction 'unfinished' and unfinished_statement = 1, committed on its
 * own; after each statement completes, the row's unfinished_statement
 * becomes the number of the next one.  When the last statement is done,
 * the row becomes an ordinary 'upgrade' or 'downgrade' row (statement
 * NULL) in the same transaction as the version-table update.
 *
 * When the first statement fails with the database's error, nothing ran
 * and the row is deleted again (CREATE INDEX CONCURRENTLY is the
 * exception PostgreSQL makes: a failed one may leave an INVALID index).
 *
 * The trace is open while the history's latest row is such a row: every
 * upgrade and downgrade then refuses to start, `current -v` and `--json`
 * report it, and it closes when a later row is appended (`retort stamp`,
 * after finishing or undoing the statements by hand).  The row itself
 * stays as the record that the step once stopped.
 *
 * With history_table = none there is no trace.  This module does not run
 * statements (migrate.c does); it owns the trace's rows and message.
 */
#ifndef RETORT_PARTIAL_H
#define RETORT_PARTIAL_H

#include <stdbool.h>
#include <stdint.h>

#include "base/buf.h"
#include "config/config.h"
#include "dialect/db.h"
#include "graph/graph.h"
#include "run/version.h"

typedef struct retort_partial {
	char *revision;
	bool upgrade;           /* the step was an upgrade (its heads_after hold the revision) */
	char *heads_before;     /* as stored: ids joined by ',', "" for base */
	char *heads_after;
	long statement;         /* 1-based: statements before it completed; 0 when not counted (C) */
	char *started_at;
	char *os_user, *host;   /* may be NULL */
	unsigned line;          /* of that statement in the script, 0 when unknown (filled by describe's caller) */
} retort_partial;

/* The open trace, or *out = NULL.  Reads only; a missing history table has none. */
int retort_partial_find(retort_partial **out, retort_db *db, const retort_config *cfg);
void retort_partial_free(retort_partial *p);

/*
 * Append the trace row of step `e` (its direction is replaced) outside any
 * transaction, adding the history table's unfinished_statement column when
 * an older retort created the table without it.  `counted`: statements are
 * numbered (SQL); a C revision's are not.  *id is the row's id, 0 when the
 * history table is disabled (every other call is then a no-op).
 */
int retort_partial_start(int64_t *id, retort_db *db, const retort_config *cfg,
	const retort_history_entry *e, bool counted);
/* Statement `next` is about to run: the ones before it completed. */
int retort_partial_progress(retort_db *db, const retort_config *cfg, int64_t id, unsigned next);
/*
 * The step finished: the row becomes an ordinary `direction` row with its
 * duration, inside the caller's transaction (with the version update).
 */
int retort_partial_finish(retort_db *db, const retort_config *cfg, int64_t id,
	const char *direction, int64_t duration_ms);

/*
 * The step's first statement failed with the database's error: nothing
 * ran, so nothing needs a trace; the row goes.  (Called only then: after
 * a kill or a lost connection nobody is left to call it, and the trace
 * stays.)
 */
int retort_partial_discard(retort_db *db, const retort_config *cfg, int64_t id);

/*
 * Fill p->line from the revision's script when the graph has it (reads
 * the script's SQL); quietly leaves 0 otherwise.
 */
void retort_partial_locate(retort_partial *p, const retort_graph *graph, retort_dialect_id dialect);

/* What happened and the two ways out, as one message. */
void retort_partial_describe(retort_buf *out, const retort_partial *p, const retort_graph *graph);

#endif
