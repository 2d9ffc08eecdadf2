/*
 * error.c - the thread-local "last error" behind retort_error_last().
 *
 * Messages are formatted where a problem is found and passed up unchanged;
 * every message is scrubbed of registered secrets (database passwords)
 * before it is stored, so no caller can leak one by accident.
 *
 * Storing is also where a message is made safe to print, in one place
 * rather than at every call site that quotes a value: a quoted value
 * longer than QUOTED_MAX bytes keeps its head and tail around an ellipsis
 * (a 1 MB revision id is still recognizable), the whole message stays
 * under MESSAGE_MAX bytes, and control characters (but newline and tab)
 * and bytes that are not UTF-8 are written as \xNN, so a hostile file
 * name or id can neither move the terminal's cursor nor break JSON.
 *
 * The cancellation flag an operation watches lives here too: a cancelled
 * operation is one more error, raised where the next statement would run.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/common.h"
#include "base/secret.h"

/* Bytes of a quoted value kept whole; a longer one keeps QUOTED_HEAD + "…" + QUOTED_TAIL. */
#define QUOTED_MAX 200
#define QUOTED_HEAD 120
#define QUOTED_TAIL 40
/* A whole message, ellipsis included (a compiler's output fits). */
#define MESSAGE_MAX 8192
#define ELLIPSIS "\xe2\x80\xa6" /* U+2026 in UTF-8 */

static _Thread_local retort_error last_error;
static _Thread_local retort_buf last_message = RETORT_BUF_INIT;
static _Thread_local bool has_error;

const retort_error *retort_error_last(void)
{
	return has_error ? &last_error : NULL;
}

void retort_error_clear(void)
{
	retort_buf_dispose(&last_message);
	has_error = false;
	last_error.klass = RETORT_ERROR_NONE;
	last_error.message = "";
}

static int default_code(retort_error_class klass)
{
	return (klass == RETORT_ERROR_CONFIG || klass == RETORT_ERROR_USAGE)
		? RETORT_EUSAGE : RETORT_ERROR;
}

/* Append s[0..n) with control characters and stray bytes escaped. */
static void put_printable(retort_buf *out, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	while (i < n) {
		size_t len = p[i] < 0x80 ? 1 : retort__utf8_seq_len((const char *)p + i, n - i);
		if (len == 0 || (p[i] < 0x20 && p[i] != '\n' && p[i] != '\t') || p[i] == 0x7f) {
			char esc[4] = { '\\', 'x', hex[p[i] >> 4], hex[p[i] & 15] };
			retort_buf_put(out, esc, 4);
			i++;
			continue;
		}
		retort_buf_put(out, p + i, len);
		i += len;
	}
}

/* Where to cut s[0..n) at or before `at` without splitting a UTF-8 sequence. */
static size_t char_boundary(const char *s, size_t at)
{
	while (at > 0 && ((unsigned char)s[at] & 0xC0) == 0x80)
		at--;
	return at;
}

/* Where a message's text may be shortened: every quoted value longer than QUOTED_MAX. */
static void shorten_quoted(retort_buf *out, const char *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		const char *open = memchr(s + i, '\'', n - i), *close;
		size_t inner;
		if (!open || !(close = memchr(open + 1, '\'', n - (size_t)(open + 1 - s)))) {
			put_printable(out, s + i, n - i);
			return;
		}
		put_printable(out, s + i, (size_t)(open + 1 - (s + i)));
		inner = (size_t)(close - open - 1);
		if (inner > QUOTED_MAX) {
			size_t head = char_boundary(open + 1, QUOTED_HEAD);
			size_t tail = inner - char_boundary(open + 1, inner - QUOTED_TAIL);
			put_printable(out, open + 1, head);
			retort_buf_puts(out, ELLIPSIS);
			put_printable(out, close - tail, tail);
		} else {
			put_printable(out, open + 1, inner);
		}
		retort_buf_putc(out, '\'');
		i = (size_t)(close + 1 - s);
	}
}

/* The message as stored: secrets out, long values shortened, bounded, printable. */
static void make_safe(retort_buf *msg)
{
	retort_buf out = RETORT_BUF_INIT;

	retort__secret_scrub(msg);
	shorten_quoted(&out, msg->ptr, msg->size);
	if (out.size > MESSAGE_MAX) {
		retort_buf_truncate(&out, char_boundary(out.ptr, MESSAGE_MAX - 3));
		retort_buf_puts(&out, ELLIPSIS);
	}
	retort_buf_dispose(msg);
	*msg = out;
}

static void store(retort_error_class klass, retort_buf *msg)
{
	make_safe(msg);
	retort_buf_dispose(&last_message);
	last_message = *msg;
	retort_buf_init(msg);
	last_error.klass = klass;
	last_error.message = last_message.ptr;
	has_error = true;
}

static int error_setv(retort_error_class klass, const char *fmt, va_list ap)
{
	retort_buf msg = RETORT_BUF_INIT;

	retort_buf_vprintf(&msg, fmt, ap);
	retort_buf_rtrim(&msg);
	store(klass, &msg);
	return default_code(klass);
}

int retort__error_set(retort_error_class klass, const char *fmt, ...)
{
	va_list ap;
	int code;

	va_start(ap, fmt);
	code = error_setv(klass, fmt, ap);
	va_end(ap);
	return code;
}

int retort__error_code(int code, retort_error_class klass, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	error_setv(klass, fmt, ap);
	va_end(ap);
	return code;
}

int retort__error_os(const char *fmt, ...)
{
	int saved = errno;
	retort_buf msg = RETORT_BUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	retort_buf_vprintf(&msg, fmt, ap);
	va_end(ap);
	retort_buf_printf(&msg, ": %s", strerror(saved));
	store(RETORT_ERROR_OS, &msg);
	errno = saved;
	return saved == ENOENT ? RETORT_ENOTFOUND : RETORT_ERROR;
}

void retort__error_prefix(const char *fmt, ...)
{
	retort_buf msg = RETORT_BUF_INIT;
	retort_error_class klass = has_error ? last_error.klass : RETORT_ERROR_INTERNAL;
	va_list ap;

	va_start(ap, fmt);
	retort_buf_vprintf(&msg, fmt, ap);
	va_end(ap);
	retort_buf_puts(&msg, ": ");
	retort_buf_puts(&msg, has_error ? last_message.ptr : "unknown error");
	store(klass, &msg);
}

/* The flag of the operation running on this thread, if it can be cancelled. */
static _Thread_local volatile int *cancel_flag;

volatile int *retort__cancel_watch(volatile int *flag)
{
	volatile int *before = cancel_flag;

	cancel_flag = flag;
	return before;
}

int retort__cancel_check(void)
{
	if (!cancel_flag || !__atomic_load_n(cancel_flag, __ATOMIC_RELAXED))
		return 0;
	return retort__error_code(RETORT_ECANCELLED, RETORT_ERROR_CANCELLED,
		"cancelled before the next statement");
}

const char *retort_version(void)
{
	return RETORT_VERSION_STRING;
}
