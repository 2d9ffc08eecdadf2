/*
 * common.c - the containers results come back in: retort_buffer and
 * retort_strarray (retort/common.h).  They are the API's, not base/'s
 * retort_buf and retort_vec, so that their layout can stay fixed for
 * programs while the internals change.
 */
#include <stdlib.h>
#include <string.h>

#include "api/api_int.h"

void retort__buffer_put(retort_buffer *out, const char *text, size_t len)
{
	size_t need = out->size + len + 1;

	if (need > out->reserved) {
		size_t n = out->reserved ? out->reserved : 64;
		while (n < need)
			n *= 2;
		out->ptr = retort__realloc(out->ptr, n);
		out->reserved = n;
	}
	memcpy(out->ptr + out->size, text, len);
	out->size += len;
	out->ptr[out->size] = '\0';
}

void retort_buffer_dispose(retort_buffer *buffer)
{
	if (!buffer)
		return;
	free(buffer->ptr);
	buffer->ptr = NULL;
	buffer->size = buffer->reserved = 0;
}

void retort__strarray_from(retort_strarray *out, const retort_vec *strings)
{
	if (!strings->len)
		return;
	out->strings = retort__realloc(out->strings, (out->count + strings->len) * sizeof(char *));
	for (size_t i = 0; i < strings->len; i++)
		out->strings[out->count++] = retort__strdup(strings->items[i]);
}

void retort_strarray_dispose(retort_strarray *array)
{
	if (!array)
		return;
	for (size_t i = 0; i < array->count; i++)
		free(array->strings[i]);
	free(array->strings);
	array->strings = NULL;
	array->count = 0;
}
