/*
 * retort/common.h - what every part of the retort API shares: the export
 * macro, return codes, the thread-local error, the version, and the two
 * containers results come back in (a text buffer and an array of strings).
 * Include <retort/retort.h> rather than this header.
 */
#ifndef RETORT_COMMON_PUBLIC_H
#define RETORT_COMMON_PUBLIC_H

#include <stddef.h>

#include <retort/version.h>

#if defined(__GNUC__)
#define RETORT_EXTERN __attribute__((visibility("default")))
#else
#define RETORT_EXTERN
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* Return codes.  Anything below zero is an error; retort_error_last() explains it. */
typedef enum retort_error_code {
	RETORT_OK = 0,
	RETORT_ERROR = -1,      /* runtime failure: database, I/O, script */
	RETORT_EUSAGE = -2,     /* bad invocation or configuration */
	RETORT_ENOTFOUND = -3,  /* an identifier, file or object does not exist */
	RETORT_EAMBIGUOUS = -4, /* an identifier matches more than one thing */
	RETORT_EEXISTS = -5,    /* refusing to overwrite something */
	RETORT_ELOCKED = -6,    /* another process holds a lock: the migration lock, or (PostgreSQL,
	                           SQLSTATE 55P03) one a statement waited for past lock_timeout */
	RETORT_ECANCELLED = -7, /* retort_project_cancel() stopped the run */
} retort_error_code;

/* What kind of problem the last error was; the retort command maps it to its exit status. */
typedef enum retort_error_class {
	RETORT_ERROR_NONE = 0,
	RETORT_ERROR_OS,       /* errno-level failures: files, processes */
	RETORT_ERROR_CONFIG,   /* retort.ini, settings, URLs, -x values */
	RETORT_ERROR_USAGE,    /* misuse: a bad argument or option */
	RETORT_ERROR_SCRIPT,   /* a revision file is malformed */
	RETORT_ERROR_GRAPH,    /* the revision graph is inconsistent */
	RETORT_ERROR_REVISION, /* an identifier cannot be resolved */
	RETORT_ERROR_DATABASE, /* the database said no */
	RETORT_ERROR_GIT,      /* libgit2 said no */
	RETORT_ERROR_INTERNAL, /* a bug in retort */
	RETORT_ERROR_CONNECT,  /* the database cannot be reached: nothing was read or changed */
	RETORT_ERROR_CANCELLED, /* a run was cancelled: the revision in progress rolled back */
} retort_error_class;

typedef struct retort_error {
	retort_error_class klass;
	const char *message; /* never NULL; lives until the next error on this thread */
} retort_error;

/*
 * The last error set on the calling thread, or NULL when none was.  The
 * pointer is borrowed and stays valid until the next retort call that fails
 * on this thread, or retort_error_clear().  Messages never contain a
 * database password.
 */
RETORT_EXTERN const retort_error *retort_error_last(void);
RETORT_EXTERN void retort_error_clear(void);

/* The version of the library itself ("0.1.0"), which may differ from RETORT_VERSION_STRING. */
RETORT_EXTERN const char *retort_version(void);

/*
 * A text the library hands over: `ptr` is NUL-terminated (NULL while
 * nothing was written), `size` its length.  Start from RETORT_BUFFER_INIT;
 * a function that fills it appends; retort_buffer_dispose() frees it and
 * makes it empty again.
 */
typedef struct retort_buffer {
	char *ptr;
	size_t size;
	size_t reserved; /* the library's: bytes allocated */
} retort_buffer;

#define RETORT_BUFFER_INIT { NULL, 0, 0 }

RETORT_EXTERN void retort_buffer_dispose(retort_buffer *buffer);

/* An array of strings the library hands over; free with retort_strarray_dispose(). */
typedef struct retort_strarray {
	char **strings;
	size_t count;
} retort_strarray;

#define RETORT_STRARRAY_INIT { NULL, 0 }

RETORT_EXTERN void retort_strarray_dispose(retort_strarray *array);

/* A revision as a report names it. */
typedef struct retort_revision_info {
	const char *id;
	const char *message;        /* "" when the script has none */
	const char *path;           /* the script's file */
} retort_revision_info;

#ifdef __cplusplus
}
#endif

#endif
