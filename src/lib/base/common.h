/*
 * common.h - internal helpers every libretort module uses: setting the
 * thread-local error, allocation, and small string utilities.
 *
 * Allocation failure is treated as fatal (the process aborts with a
 * message): a migration tool cannot do anything sensible once malloc fails,
 * and threading ENOMEM through every call would hide the real error paths.
 * Nothing else in the library aborts or prints.
 */
#ifndef RETORT_COMMON_H
#define RETORT_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "retort/retort.h"

#if defined(__GNUC__)
#define RETORT_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))
#else
#define RETORT_PRINTF(fmt, args)
#endif

#define RETORT_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/*
 * Record an error for retort_error_last() and return the status code that
 * matches the class (RETORT_EUSAGE for config/usage, RETORT_ERROR
 * otherwise), so a caller can write `return retort__error_set(...)`.
 */
int retort__error_set(retort_error_class klass, const char *fmt, ...) RETORT_PRINTF(2, 3);
/* Like retort__error_set but returns `code` instead of the class default. */
int retort__error_code(int code, retort_error_class klass, const char *fmt, ...) RETORT_PRINTF(3, 4);
/* errno-based: "<what>: <strerror(errno)>", class OS. */
int retort__error_os(const char *fmt, ...) RETORT_PRINTF(1, 2);
/* Prefix the current error message with "<prefix>: " (keeps class). */
void retort__error_prefix(const char *fmt, ...) RETORT_PRINTF(1, 2);

void *retort__malloc(size_t n);
void *retort__calloc(size_t n, size_t size);
void *retort__realloc(void *p, size_t n);
/* NULL for NULL, so an optional string copies without a test. */
char *retort__strdup(const char *s);
char *retort__strndup(const char *s, size_t n);
char *retort__sprintf(const char *fmt, ...) RETORT_PRINTF(1, 2);

/*
 * ASCII case-insensitive comparisons.  Not libc's strcasecmp: that folds
 * case by the current locale, and under a Turkish one "ID" and "id" differ
 * (I folds to dotless i).  The retort command never calls setlocale, but a
 * program that links libretort may, and SQL keywords and SQLite names fold
 * ASCII only, whatever the locale.
 */
int retort__strcasecmp(const char *a, const char *b);
/* The same for at most the first `n` bytes of each. */
int retort__strncasecmp(const char *a, const char *b, size_t n);
/*
 * A boolean as retort.ini and script headers write it: true/false,
 * yes/no, on/off, 1/0 in any case.  0, or -1 (nothing set) for anything
 * else; the caller words the error, since only it knows where `v` came from.
 */
int retort__parse_bool(bool *out, const char *v);
/* Equal strings, or both NULL. */
bool retort__streq(const char *a, const char *b);
bool retort__starts_with(const char *s, const char *prefix);
bool retort__ends_with(const char *s, const char *suffix);
/* Trim ASCII whitespace in place; returns s. */
char *retort__trim(char *s);

/*
 * The candidate closest to `word` by edit distance (case-insensitive), or
 * NULL when none is close enough to be a typo of it: for "did you mean".
 */
const char *retort__suggest(const char *word, const char *const *cands, size_t n);
/*
 * A duration as written in retort.ini and revision headers: a whole number
 * and a unit, "500ms", "2s", "5min", "1h" (case-insensitive, blanks
 * allowed between), or a bare "0".  *ms gets milliseconds; -1 when the
 * text is not a duration or exceeds INT_MAX ms (what PostgreSQL's
 * lock_timeout and statement_timeout accept).
 */
int retort__duration_parse(long *ms, const char *text);
/* The same duration for messages: "500ms", "2s", "5min", "90s". */
void retort__duration_format(char out[32], long ms);

/*
 * UTF-8: the length in bytes (1-4) of the well-formed sequence at s, with n
 * bytes available, or 0 when there is none (a stray continuation byte, an
 * overlong form, a surrogate, beyond U+10FFFF, cut short).
 */
size_t retort__utf8_seq_len(const char *s, size_t n);
/* Whether s is well-formed UTF-8; *nchars (may be NULL) gets its length in characters. */
bool retort__utf8_valid(const char *s, size_t *nchars);

/*
 * The most retort reads of one file (README, "Limits"): a revision script,
 * a target schema or a C source; retort.ini.
 */
#define RETORT_SCRIPT_MAX ((size_t)64 << 20)
#define RETORT_CONFIG_MAX ((size_t)1 << 20)

/*
 * Open `name` (relative to `dirfd`, or AT_FDCWD) for reading, shown in
 * messages as `shown`.  What the descriptor turns out to be decides: a
 * FIFO, device, socket or directory, or a file larger than `max` bytes, is
 * refused before a byte is read (errors of class `klass`).  A symlink is
 * followed: pointing at a regular file is fine.  Opening does not block
 * (O_NONBLOCK), so a FIFO cannot hang it.
 */
int retort__file_open(int *fd_out, int dirfd, const char *name, const char *shown, size_t max,
	retort_error_class klass);
/*
 * Read all of `fd` into *buf (grown as needed, capacity *cap), *len bytes;
 * more than `max` bytes is an error (the file grew after it was opened).
 * *buf is not NUL-terminated.
 */
int retort__file_read_fd(char **buf, size_t *cap, size_t *len, int fd, const char *shown,
	size_t max, retort_error_class klass);
/* A whole file through retort__file_open; *out is NUL-terminated and owned by the caller. */
int retort__file_read_max(char **out, size_t *len_out, const char *path, size_t max,
	retort_error_class klass);
/* The same with RETORT_SCRIPT_MAX, errors of class OS. */
int retort__file_read(char **out, size_t *len_out, const char *path);
/* Write a file atomically enough for our needs (temp + rename), mode as the umask says. */
int retort__file_write(const char *path, const char *data, size_t len);
/* The same with the file's mode given (0600 for a private file); the temp file is ".retort-tmp-*". */
int retort__file_write_mode(const char *path, const char *data, size_t len, unsigned mode);
/* write() all of `data`, through EINTR and short writes; false (errno set) on failure. */
bool retort__write_all(int fd, const void *data, size_t len);
bool retort__path_exists(const char *path);
bool retort__path_is_dir(const char *path);
/* "dir/name", or name alone when it is absolute.  Caller frees. */
char *retort__path_join(const char *dir, const char *name);
/* The directory part of a path ("." when there is none).  Caller frees. */
char *retort__path_dirname(const char *path);
/* mkdir -p */
int retort__mkdir_p(const char *path, unsigned mode);

/*
 * Cancellation (retort_project_cancel): the operation runs on one thread,
 * which watches the project's flag through retort__cancel_watch(flag) for
 * the operation's length (NULL ends it).  The database layer calls
 * retort__cancel_check() before each statement: 0, or RETORT_ECANCELLED
 * with the error set (class CANCELLED) once the flag is set, so a run
 * stops between statements and between revisions and rolls back as after
 * any failure; cleanup that must run anyway (dropping a scratch database)
 * stops watching around itself.  The flag is an int that a signal handler
 * may set.
 */
volatile int *retort__cancel_watch(volatile int *flag); /* returns the flag watched before */
int retort__cancel_check(void);

/* 64-bit FNV-1a of a string: cheap, stable, not for adversarial input. */
static inline uint64_t retort__fnv1a(const char *s)
{
	uint64_t h = 1469598103934665603ULL;

	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ULL;
	}
	return h;
}
/*
 * mkdir -p, but only below a directory that is ours or sticky (like /tmp):
 * `sudo retort` must not leave root-owned directories in a user's home.
 */
int retort__mkdir_p_own(const char *path, unsigned mode);
/* $XDG_CACHE_HOME/retort (when absolute), else ~/.cache/retort; NULL when neither is known. */
char *retort__cache_dir(void);
/*
 * Whether `dir` is a directory itself (not a symlink), owned by this user
 * and writable by no one else: what a cache must be before we trust what
 * we read from it.
 */
bool retort__dir_is_private(const char *dir);

#endif
