/*
 * cmigration.h - C revisions: compiling a revision's .c file into a shared
 * object (cached by content), loading it, and calling its upgrade() or
 * downgrade() against a live connection or a recording context.
 *
 * This is the contract the migration runner uses.  It does not parse the
 * revision header (script.h does), decide what to run (graph.h), open or
 * commit transactions, or touch the version table: the caller opens the
 * transaction, calls retort_cmigration_run(), and commits or rolls back
 * depending on the result.
 *
 * The object is loaded (dlopen) and its entry point called in a child
 * process whose context forwards every call to this one (isolate.h): an
 * exit(), a crash, an abort or an endless loop in revision code fails the
 * revision instead of ending or hanging retort.
 *
 * Compilation: `<cc> -shared -fPIC -I<include dir> -o <tmp> <file.c>
 * <cflags...>` (flags last, so -l options link; `cc` and `cflags` split
 * into words as base/os.h says, run without a shell), into <cache dir>/<key>.so, where key is the SHA-256 of the
 * source, the compiler, the flags and the migration ABI version, so an
 * edited file or a changed compiler recompiles and an unchanged one never
 * does.  The object is written to a mkstemp() name, made mode 0700 and
 * renamed into place, so concurrent retorts never load a half-written
 * file; an object not owned by the user or writable by others is never
 * loaded.  The include dir holding <retort/migration.h> is, in order:
 * $RETORT_INCLUDE_DIR, the installed include dir, the source tree's
 * include/ (for an uninstalled build).
 *
 * Errors (the usual thread-local error, then a negative status):
 *   - compiler failure: class SCRIPT, "cannot compile '<file>' with
 *     '<cc>' (exit status N):\n<compiler output>"
 *   - missing upgrade() (at load) or downgrade() (when called): class
 *     SCRIPT, naming the file
 *   - one of the revision's ctx calls failed (whatever it returned): class
 *     DATABASE, "<file>:<line of that call>: upgrade() failed: <database
 *     message>"; the first failure is reported.  The caller rolls back.
 *   - it returned anything but 0 without a failed call: class SCRIPT,
 *     "<file>: upgrade() returned N (0 means success)"
 *   - it did not return (exit, _exit, abort, a signal, the time limit):
 *     class SCRIPT, "<file>: upgrade() exited with status N instead of
 *     returning" / "was killed by signal N (...)" / "did not finish
 *     within N s (revision_timeout)"
 *   - offline: "revision '<file>': queries are not available in offline
 *     mode (line N)"; likewise for SQLite operations that need the live
 *     schema (alter_column, add/drop_constraint).
 */
#ifndef RETORT_CMIGRATION_H
#define RETORT_CMIGRATION_H

#include <stdbool.h>

#include "base/buf.h"
#include "base/vec.h"
#include "dialect/db.h"

typedef struct retort_cmigration_opts {
	const char *cc;        /* compiler; NULL: $CC, then "cc" (retort_config.cc is ready to use) */
	const char *cflags;    /* extra flags, split as a shell splits words (base/os.h); NULL = none */
	const char *cache_dir; /* where .so files live; NULL: $XDG_CACHE_HOME/retort, else ~/.cache/retort */
	/*
	 * The hex SHA-256 the source must have (what the run recorded when it
	 * read the script), or NULL.  The object is compiled from the bytes
	 * checked, never from a second read of the file.
	 */
	const char *expect_sha256;
	/* -x KEY=VALUE of the run, for retort_ctx_xarg(); borrowed, may be NULL */
	const retort_map *xargs;
	/* Seconds the revision's code may run (revision_timeout); 0 = no limit. */
	int timeout_s;
} retort_cmigration_opts;

/*
 * Compile `path` if its cached object is missing, dlopen it, and call its
 * upgrade() (upgrade = true) or downgrade() with a live context on `db`.
 * Runs inside whatever transaction the caller holds; never begins,
 * commits or rolls back itself (a SQLite batch operation may set PRAGMA
 * defer_foreign_keys, which ends with the transaction).  `opts` may be
 * NULL (all defaults).
 */
int retort_cmigration_run(retort_db *db, const char *path, bool upgrade, const retort_cmigration_opts *opts);

/*
 * The same with a recording context for dialect `d`: appends each
 * statement the revision would run to `out`, each ending with ";\n".
 * exec_params values are rendered with the dialect's quote_literal.
 * Queries, and SQLite operations that must read the live schema (batch
 * mode), fail with a message naming the revision.
 */
int retort_cmigration_render(retort_buf *out, const retort_dialect *d, const char *path,
	bool upgrade, const retort_cmigration_opts *opts);

#endif
