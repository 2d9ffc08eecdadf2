/*
 * buf.c - the growable string buffer (see buf.h for the contract).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"

char retort__buf_empty[1];

void retort_buf_init(retort_buf *buf)
{
	buf->ptr = retort__buf_empty;
	buf->size = 0;
	buf->asize = 0;
}

void retort_buf_grow(retort_buf *buf, size_t extra)
{
	size_t need = buf->size + extra + 1;
	size_t cap;

	if (need <= buf->asize)
		return;
	cap = buf->asize ? buf->asize : 64;
	while (cap < need)
		cap = cap + cap / 2 + 16;
	if (buf->asize == 0) {
		char *p = retort__malloc(cap);
		memcpy(p, buf->ptr, buf->size + 1);
		buf->ptr = p;
	} else {
		buf->ptr = retort__realloc(buf->ptr, cap);
	}
	buf->asize = cap;
}

void retort_buf_put(retort_buf *buf, const void *data, size_t len)
{
	if (len == 0)
		return;
	retort_buf_grow(buf, len);
	memcpy(buf->ptr + buf->size, data, len);
	buf->size += len;
	buf->ptr[buf->size] = '\0';
}

void retort_buf_puts(retort_buf *buf, const char *s)
{
	retort_buf_put(buf, s, strlen(s));
}

void retort_buf_putc(retort_buf *buf, char c)
{
	retort_buf_put(buf, &c, 1);
}

void retort_buf_vprintf(retort_buf *buf, const char *fmt, va_list ap)
{
	va_list copy;
	int n;

	va_copy(copy, ap);
	n = vsnprintf(NULL, 0, fmt, copy);
	va_end(copy);
	if (n <= 0)
		return;
	retort_buf_grow(buf, (size_t)n);
	vsnprintf(buf->ptr + buf->size, (size_t)n + 1, fmt, ap);
	buf->size += (size_t)n;
}

void retort_buf_printf(retort_buf *buf, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	retort_buf_vprintf(buf, fmt, ap);
	va_end(ap);
}

void retort_buf_put_doubled(retort_buf *buf, const char *s, char q)
{
	for (; *s; s++) {
		if (*s == q)
			retort_buf_putc(buf, q);
		retort_buf_putc(buf, *s);
	}
}

void retort_buf_truncate(retort_buf *buf, size_t len)
{
	if (len >= buf->size)
		return;
	buf->size = len;
	buf->ptr[len] = '\0';
}

void retort_buf_clear(retort_buf *buf)
{
	retort_buf_truncate(buf, 0);
}

void retort_buf_rtrim(retort_buf *buf)
{
	size_t n = buf->size;

	while (n > 0 && (buf->ptr[n - 1] == ' ' || buf->ptr[n - 1] == '\n' ||
			buf->ptr[n - 1] == '\r' || buf->ptr[n - 1] == '\t'))
		n--;
	retort_buf_truncate(buf, n);
}

char *retort_buf_detach(retort_buf *buf)
{
	char *p = buf->asize ? buf->ptr : retort__strdup("");

	retort_buf_init(buf);
	return p;
}

void retort_buf_dispose(retort_buf *buf)
{
	if (buf->asize)
		free(buf->ptr);
	retort_buf_init(buf);
}
