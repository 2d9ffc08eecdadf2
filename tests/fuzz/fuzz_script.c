/*
 * fuzz_script.c - libFuzzer target for the revision header parser.
 *
 * Build and run (clang):
 *   clang -g -fsanitize=fuzzer,address,undefined -Iinclude -Isrc/lib \
 *     tests/fuzz/fuzz_script.c src/lib/graph/script.c src/lib/base/util.c src/lib/base/buf.c \
 *     src/lib/base/vec.c src/lib/base/error.c src/lib/config/url.c -lcrypto -o fuzz_script
 *   ./fuzz_script tests/fuzz/script-corpus
 * The first input byte picks the format (odd: C, even: SQL).  The unit
 * suite runs a deterministic mutation loop over the same parser on every
 * `make check`; this target is for longer runs.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "graph/script.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	retort_script *s = NULL;

	if (size < 1)
		return 0;
	if (retort_script_parse(&s, (data[0] & 1) ? "fuzz.c" : "fuzz.sql",
			(const char *)data + 1, size - 1) == 0 && !s->revision)
		abort(); /* success always yields an id */
	retort_script_free(s);
	return 0;
}
