/*
 * fuzz_script.c - the revision header parser on arbitrary bytes: never
 * crash, and a parse either succeeds with a consistent script or fails
 * with a message that names the file and line.
 *
 * The first input byte picks the format (odd: C, even: SQL); the rest is
 * the file.  The seeds are in tests/fuzz/corpus/script.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "retort/retort.h"
#include "graph/script.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *path;
	retort_script *s = NULL;

	if (size < 1)
		return 0;
	path = (data[0] & 1) ? "fuzz.c" : "fuzz.sql";
	if (retort_script_parse(&s, path, (const char *)data + 1, size - 1) == 0) {
		/* success always yields a valid id and a message; a SQL revision has an upgrade */
		if (!s || !s->revision || !retort_script_id_valid(s->revision) || !s->message ||
		    (!(data[0] & 1) && !s->upgrade_sql))
			abort();
	} else {
		const retort_error *e = retort_error_last();
		/* nothing half-built is handed out, and the message says where */
		if (s || !e || strncmp(e->message, path, strlen(path)) != 0 || e->message[strlen(path)] != ':')
			abort();
	}
	retort_script_free(s);
	return 0;
}
