/*
 * error.c - the thread-local "last error" behind retort_error_last().
 *
 * Messages are formatted where a problem is found and passed up unchanged;
 * every message is scrubbed of registered secrets (database passwords)
 * before it is stored, so no caller can leak one by accident.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/common.h"
#include "base/secret.h"

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

static void store(retort_error_class klass, retort_buf *msg)
{
	retort__secret_scrub(msg);
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

const char *retort_version(void)
{
	return RETORT_VERSION_STRING;
}
