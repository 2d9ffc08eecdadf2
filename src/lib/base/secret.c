/*
 * secret.c - the registry of strings no message may contain (see secret.h).
 */
#include <string.h>

#include "base/common.h"
#include "base/secret.h"
#include "base/vec.h"

static retort_vec secrets = RETORT_VEC_INIT;

void retort__secret_register(const char *secret)
{
	if (!secret || strlen(secret) < 1)
		return;
	for (size_t i = 0; i < secrets.len; i++)
		if (strcmp(secrets.items[i], secret) == 0)
			return;
	retort_vec_push(&secrets, retort__strdup(secret));
}

void retort__secret_scrub(retort_buf *buf)
{
	for (size_t i = 0; i < secrets.len; i++) {
		const char *secret = secrets.items[i];
		size_t n = strlen(secret);
		char *hit;

		while ((hit = strstr(buf->ptr, secret)) != NULL) {
			retort_buf out = RETORT_BUF_INIT;
			retort_buf_put(&out, buf->ptr, (size_t)(hit - buf->ptr));
			retort_buf_puts(&out, "***");
			retort_buf_puts(&out, hit + n);
			retort_buf_dispose(buf);
			*buf = out;
		}
	}
}
