/*
 * fuzz_url.c - URL parsing and masking on arbitrary bytes: never crash,
 * and the display form of a PostgreSQL URL is the same connection with
 * every secret hidden, as libpq itself reads both: each option libpq
 * marks as secret is absent or "***" in it, every other option has the
 * value it had.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "base/common.h"
#include "dialect/url.h"

static void check_display(const retort_url *url)
{
	const char *rest = strstr(url->display, "://");
	char *shown = retort__sprintf("postgresql%s", rest ? rest : "");
	PQconninfoOption *a = PQconninfoParse(url->conninfo, NULL), *b = PQconninfoParse(shown, NULL);

	if (!rest || !a || !b)
		abort();
	for (size_t i = 0; a[i].keyword; i++) {
		if (strcmp(a[i].keyword, b[i].keyword) != 0)
			abort();
		if (a[i].dispchar[0] == '*') {
			if (b[i].val && strcmp(b[i].val, "***") != 0)
				abort();
		} else if (!retort__streq(a[i].val, b[i].val)) {
			abort();
		}
	}
	PQconninfoFree(a);
	PQconninfoFree(b);
	free(shown);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = retort__strndup((const char *)data, size);
	retort_url *url = NULL;
	char *masked;

	text[strcspn(text, "\0")] = '\0';
	masked = retort_url_masked(text);
	if (retort_url_parse(&url, text) == 0) {
		if (url->dialect == RETORT_DIALECT_POSTGRES)
			check_display(url);
		retort_url_free(url);
	}
	free(masked);
	free(text);
	return 0;
}
