/*
 * retort.h - the public face of libretort.
 *
 * This umbrella header declares what every caller of the library needs:
 * the export macro, the return-code convention and the thread-local error
 * that explains a failure.  It does not declare the migration-script API;
 * C revisions include <retort/migration.h> instead.
 *
 * Conventions (shared by every retort_* function):
 *   - 0 (RETORT_OK) is success; a negative value is failure, and
 *     retort_error_last() then describes it.
 *   - An out-parameter comes first and is named `out`; whatever it returns is
 *     owned by the caller and released with the matching _free(), which
 *     accepts NULL.
 */
#ifndef RETORT_RETORT_H
#define RETORT_RETORT_H

#include <stddef.h>

#if defined(__GNUC__)
#define RETORT_EXTERN __attribute__((visibility("default")))
#else
#define RETORT_EXTERN
#endif

#define RETORT_VERSION_STRING "0.1.0"

/* Return codes.  Anything below zero is an error. */
enum retort_status {
	RETORT_OK = 0,
	RETORT_ERROR = -1,      /* runtime failure: database, I/O, script */
	RETORT_EUSAGE = -2,     /* bad invocation or configuration */
	RETORT_ENOTFOUND = -3,  /* an identifier, file or object does not exist */
	RETORT_EAMBIGUOUS = -4, /* an identifier matches more than one thing */
	RETORT_EEXISTS = -5,    /* refusing to overwrite something */
	RETORT_ELOCKED = -6,    /* another process holds a lock: the migration lock, or (PostgreSQL,
	                           SQLSTATE 55P03) one a statement waited for past lock_timeout */
};

/* What kind of problem the last error was; the CLI maps it to exit status. */
typedef enum retort_error_class {
	RETORT_ERROR_NONE = 0,
	RETORT_ERROR_OS,       /* errno-level failures: files, processes */
	RETORT_ERROR_CONFIG,   /* retort.ini, URLs, -x values: exit 2 */
	RETORT_ERROR_USAGE,    /* command-line misuse: exit 2 */
	RETORT_ERROR_SCRIPT,   /* a revision file is malformed */
	RETORT_ERROR_GRAPH,    /* the revision graph is inconsistent */
	RETORT_ERROR_REVISION, /* an identifier cannot be resolved */
	RETORT_ERROR_DATABASE, /* the database said no */
	RETORT_ERROR_GIT,      /* libgit2 said no */
	RETORT_ERROR_INTERNAL, /* a bug in retort */
	RETORT_ERROR_CONNECT,  /* the database cannot be reached: nothing was read or changed; exit 2 */
} retort_error_class;

typedef struct retort_error {
	retort_error_class klass;
	const char *message; /* never NULL; lives until the next error on this thread */
} retort_error;

/*
 * The last error set on the calling thread, or NULL when none was.  The
 * pointer is borrowed and stays valid until the next retort call that fails
 * on this thread, or retort_error_clear().
 */
RETORT_EXTERN const retort_error *retort_error_last(void);
RETORT_EXTERN void retort_error_clear(void);

RETORT_EXTERN const char *retort_version(void);

#endif
