/*
 * fuzz_config.c - retort.ini parsing on arbitrary bytes: load either
 * succeeds with a script_location or fails with a message that names the
 * file; it never crashes.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/common.h"
#include "config/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char path[64];
	retort_config_opts opts = { 0 };
	retort_config *cfg = NULL;
	FILE *f;
	int rc;

	if (!path[0]) {
		int fd;
		strcpy(path, "/tmp/retort-fuzz-XXXXXX");
		if ((fd = mkstemp(path)) < 0)
			abort();
		close(fd);
	}
	if (!(f = fopen(path, "wb")))
		abort();
	fwrite(data, 1, size, f);
	fclose(f);
	opts.path = path;
	rc = retort_config_load(&cfg, &opts);
	if (rc == 0) {
		if (!cfg->script_location)
			abort();
		retort_config_free(cfg);
	} else if (!retort_error_last() || !*retort_error_last()->message) {
		abort();
	} else if (!strstr(retort_error_last()->message, path) &&
			!strstr(retort_error_last()->message, "***")) {
		/* Errors name the file; only a password registered by an earlier
		 * input (scrubbed everywhere, by design) may hide part of it. */
		abort();
	}
	{
		char *text = retort__strndup((const char *)data, size), *out = NULL;
		if (retort_config_interpolate(&out, text) == 0 && !out)
			abort();
		free(out);
		free(text);
	}
	return 0;
}
