/*
 * isolate.h - running a C revision's code in a child process, so that
 * nothing it does can make a failed revision look applied.
 *
 * Revision code is arbitrary C loaded into retort.  Run in retort's own
 * process, an exit(0) in upgrade() would end retort with status 0 and the
 * revision's transaction silently rolled back; a crash would take the
 * run's error reporting with it; an endless loop would hold the migration
 * lock forever.  So the compiled object is loaded (dlopen, constructors
 * included) and called in a forked child that holds no database
 * connection at all: its retort_ctx is a proxy whose every operation is
 * sent over a socketpair to the parent, which performs it with the real
 * context (live: on the run's connection, inside the revision's
 * transaction; recording: into the offline SQL) and sends back the status,
 * the rows of a query, or the string asked for.  The revision sees the
 * same API with the same results; only the address space differs.
 *
 * The parent knows the revision finished when, and only when, the child
 * sends the entry point's return value.  End of file before that (exit,
 * _exit, abort, a signal), a malformed message, or the time limit is a
 * failure of the revision, reported with its file: the caller rolls back.
 *
 * This module neither compiles revisions (cmigration.c does) nor knows
 * about transactions or the version table.
 */
#ifndef RETORT_ISOLATE_H
#define RETORT_ISOLATE_H

#include <stdbool.h>

#include "run/ctx.h"

/*
 * In a child: dlopen `object` (compiled from `path`, named in messages),
 * call its upgrade() (up) or downgrade() with a proxy of `ctx`, and serve
 * its calls here until it returns.  `timeout_s` > 0 bounds the child's
 * whole run (the database's time for the statements it asks for
 * included): then it is killed.  On 0, *rc is what the entry point
 * returned and the caller judges it together with the context's record
 * of failures.  Negative, with the error set (class SCRIPT, naming
 * `path`), when the code did not return: it exited, was killed, crashed,
 * timed out, or the object could not be loaded or lacks the entry point.
 */
int retort__isolate_run(int *rc, retort__ctx *ctx, const char *object, const char *path,
	bool up, int timeout_s);

#endif
