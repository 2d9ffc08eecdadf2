/*
 * driver.c - runs a fuzz target without libFuzzer.
 *
 * Each target defines LLVMFuzzerTestOneInput.  Built with clang and
 * -fsanitize=fuzzer (configure --enable-fuzz) it is a real coverage-guided
 * fuzzer; built by `make check` it links this driver instead, which feeds
 * every file of the target's seed corpus, then a fixed number of
 * deterministic mutations of each (bit flips, truncation, duplicated and
 * spliced spans, interesting bytes), so every CI run, and especially the
 * sanitizer run, re-checks the parsers on hostile input.
 *
 *   fuzz_x [FILE|DIR ...]   default: $RETORT_SRCDIR/tests/fuzz/corpus/<name>
 *   RETORT_FUZZ_ROUNDS=N    mutations per seed (default 300)
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

static uint64_t rng(void)
{
	/* xorshift64*: reproducible across runs and machines */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 2685821657736338717ULL;
}

static const char interesting[] = "\0\n\r\t '\"$;:/@?%{}[]-=#\\*";

static size_t mutate(uint8_t *buf, size_t len, size_t cap)
{
	int ops = 1 + (int)(rng() % 4);

	for (int i = 0; i < ops; i++) {
		size_t pos = len ? rng() % len : 0;
		switch (rng() % 5) {
		case 0: /* flip a bit */
			if (len)
				buf[pos] ^= (uint8_t)(1u << (rng() % 8));
			break;
		case 1: /* truncate */
			len = pos;
			break;
		case 2: /* an interesting byte */
			if (len < cap) {
				memmove(buf + pos + 1, buf + pos, len - pos);
				buf[pos] = (uint8_t)interesting[rng() % (sizeof(interesting) - 1)];
				len++;
			}
			break;
		case 3: { /* duplicate a span */
			size_t n = len ? 1 + rng() % (len - pos) : 0;
			if (n && len + n <= cap) {
				memmove(buf + pos + n, buf + pos, len - pos);
				len += n;
			}
			break;
		}
		default: /* overwrite with a random byte */
			if (len)
				buf[pos] = (uint8_t)rng();
		}
	}
	return len;
}

static int run_file(const char *path, long rounds)
{
	FILE *f = fopen(path, "rb");
	uint8_t *seed, *buf;
	size_t len, cap;
	long n;

	if (!f)
		return -1;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	len = n > 0 ? (size_t)n : 0;
	cap = len * 2 + 64;
	seed = malloc(cap);
	buf = malloc(cap);
	len = fread(seed, 1, len, f);
	fclose(f);
	/* Exact-size copies so ASan sees any read past the end. */
	{
		uint8_t *exact = malloc(len ? len : 1);
		memcpy(exact, seed, len);
		LLVMFuzzerTestOneInput(exact, len);
		free(exact);
	}
	for (long r = 0; r < rounds; r++) {
		size_t m;
		uint8_t *exact;
		memcpy(buf, seed, len);
		m = mutate(buf, len, cap);
		exact = malloc(m ? m : 1);
		memcpy(exact, buf, m);
		LLVMFuzzerTestOneInput(exact, m);
		free(exact);
	}
	free(seed);
	free(buf);
	return 0;
}

static int run_path(const char *path, long rounds, int *count)
{
	struct stat st;
	DIR *d;
	struct dirent *e;

	if (stat(path, &st) < 0) {
		fprintf(stderr, "fuzz: cannot read '%s'\n", path);
		return 1;
	}
	if (!S_ISDIR(st.st_mode)) {
		(*count)++;
		return run_file(path, rounds) < 0;
	}
	if (!(d = opendir(path)))
		return 1;
	while ((e = readdir(d)) != NULL) {
		char child[4096];
		if (e->d_name[0] == '.')
			continue;
		snprintf(child, sizeof(child), "%s/%s", path, e->d_name);
		if (run_path(child, rounds, count))
			return 1;
	}
	closedir(d);
	return 0;
}

int main(int argc, char **argv)
{
	const char *env = getenv("RETORT_FUZZ_ROUNDS");
	long rounds = env ? atol(env) : 300;
	int count = 0;

	if (argc > 1) {
		for (int i = 1; i < argc; i++)
			if (run_path(argv[i], rounds, &count))
				return 1;
	} else {
		const char *src = getenv("RETORT_SRCDIR");
		char dir[4096];
		snprintf(dir, sizeof(dir), "%s/tests/fuzz/corpus/%s", src ? src : ".", RETORT_FUZZ_NAME);
		if (run_path(dir, rounds, &count))
			return 1;
	}
	if (count == 0) {
		fprintf(stderr, "fuzz: no seeds found\n");
		return 1;
	}
	printf("fuzz %s: %d seeds, %ld mutations each, no crash\n", RETORT_FUZZ_NAME, count, rounds);
	return 0;
}
