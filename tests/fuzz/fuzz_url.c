/*
 * fuzz_url.c - URL parsing and masking on arbitrary bytes: never crash,
 * and a parsed URL's password never survives masking.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/common.h"
#include "config/url.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = retort__strndup((const char *)data, size);
	retort_url *url = NULL;
	char *masked;

	text[strcspn(text, "\0")] = '\0';
	masked = retort_url_masked(text);
	if (retort_url_parse(&url, text) == 0) {
		/* Where the URL has user:password@, the masked form has
		 * user:***@ in the same place. */
		if (url->password && *url->password) {
			const char *auth = strstr(text, "://") + 3;
			size_t userlen = strcspn(auth, ":");
			size_t prefix = (size_t)(auth - text) + userlen + 1;
			if (strncmp(masked, text, prefix) != 0 || strncmp(masked + prefix, "***@", 4) != 0)
				abort();
		}
		retort_url_free(url);
	}
	free(masked);
	free(text);
	return 0;
}
