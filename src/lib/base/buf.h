/*
 * buf.h - a growable, always NUL-terminated byte buffer.
 *
 * `ptr` is never NULL: an initialized buffer points at a shared empty string
 * until something is appended.  Lifecycle: RETORT_BUF_INIT (or
 * retort_buf_init), appends, then retort_buf_dispose() to release the memory
 * or retort_buf_detach() to take ownership of the string.
 */
#ifndef RETORT_BUF_H
#define RETORT_BUF_H

#include <stdarg.h>
#include <stddef.h>

#include "base/common.h"

typedef struct retort_buf {
	char *ptr;
	size_t size;  /* bytes used, not counting the NUL */
	size_t asize; /* bytes allocated; 0 while ptr is the shared empty string */
} retort_buf;

extern char retort__buf_empty[];
#define RETORT_BUF_INIT { retort__buf_empty, 0, 0 }

void retort_buf_init(retort_buf *buf);
void retort_buf_grow(retort_buf *buf, size_t extra);
void retort_buf_put(retort_buf *buf, const void *data, size_t len);
void retort_buf_puts(retort_buf *buf, const char *s);
void retort_buf_putc(retort_buf *buf, char c);
void retort_buf_printf(retort_buf *buf, const char *fmt, ...) RETORT_PRINTF(2, 3);
void retort_buf_vprintf(retort_buf *buf, const char *fmt, va_list ap);
/* Append `s` with every occurrence of `q` doubled (SQL quoting helper). */
void retort_buf_put_doubled(retort_buf *buf, const char *s, char q);
void retort_buf_truncate(retort_buf *buf, size_t len);
void retort_buf_clear(retort_buf *buf);
/* Strip trailing ASCII whitespace. */
void retort_buf_rtrim(retort_buf *buf);
/* Hand the string to the caller (free() it); the buffer is reset. */
char *retort_buf_detach(retort_buf *buf);
void retort_buf_dispose(retort_buf *buf);

#endif
