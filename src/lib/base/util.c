/*
 * util.c - allocation that cannot fail quietly, ASCII string helpers and
 * small file-system helpers shared by every module.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/common.h"

static void out_of_memory(size_t n)
{
	fprintf(stderr, "retort: fatal: out of memory allocating %zu bytes\n", n);
	abort();
}

void *retort__malloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p)
		out_of_memory(n);
	return p;
}

void *retort__calloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (!p)
		out_of_memory(n * size);
	return p;
}

void *retort__realloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);

	if (!q)
		out_of_memory(n);
	return q;
}

char *retort__strdup(const char *s)
{
	return s ? retort__strndup(s, strlen(s)) : NULL;
}

char *retort__strndup(const char *s, size_t n)
{
	char *p = retort__malloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *retort__sprintf(const char *fmt, ...)
{
	retort_buf buf = RETORT_BUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	retort_buf_vprintf(&buf, fmt, ap);
	va_end(ap);
	return retort_buf_detach(&buf);
}

static int lower(int c)
{
	return (c >= 'A' && c <= 'Z') ? c - 'A' + 'a' : c;
}

int retort__strcasecmp(const char *a, const char *b)
{
	while (*a && lower((unsigned char)*a) == lower((unsigned char)*b))
		a++, b++;
	return lower((unsigned char)*a) - lower((unsigned char)*b);
}

/* Damerau-Levenshtein (optimal string alignment), for short words only. */
static size_t edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), d[33][33];

	if (la > 32 || lb > 32)
		return (size_t)-1;
	for (size_t i = 0; i <= la; i++)
		d[i][0] = i;
	for (size_t j = 0; j <= lb; j++)
		d[0][j] = j;
	for (size_t i = 1; i <= la; i++) {
		for (size_t j = 1; j <= lb; j++) {
			size_t cost = lower((unsigned char)a[i - 1]) != lower((unsigned char)b[j - 1]);
			size_t best = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < best)
				best = d[i][j - 1] + 1;
			if (d[i - 1][j - 1] + cost < best)
				best = d[i - 1][j - 1] + cost;
			if (i > 1 && j > 1 && lower((unsigned char)a[i - 1]) == lower((unsigned char)b[j - 2]) &&
			    lower((unsigned char)a[i - 2]) == lower((unsigned char)b[j - 1]) && d[i - 2][j - 2] + 1 < best)
				best = d[i - 2][j - 2] + 1;
			d[i][j] = best;
		}
	}
	return d[la][lb];
}

const char *retort__suggest(const char *word, const char *const *cands, size_t n)
{
	const char *best = NULL;
	size_t best_d = (size_t)-1, len = strlen(word);
	/* a third of the word, at least 1 and at most 3 edits: closer is a typo, further a different word */
	size_t limit = len / 3 < 1 ? 1 : len / 3 > 3 ? 3 : len / 3;

	for (size_t i = 0; i < n; i++) {
		size_t d = edit_distance(word, cands[i]);
		if (d < best_d) {
			best_d = d;
			best = cands[i];
		}
	}
	return best_d <= limit ? best : NULL;
}

int retort__strncasecmp(const char *a, const char *b, size_t n)
{
	for (; n; a++, b++, n--) {
		int d = lower((unsigned char)*a) - lower((unsigned char)*b);
		if (d || !*a)
			return d;
	}
	return 0;
}

int retort__parse_bool(bool *out, const char *v)
{
	static const char *const yes[] = { "true", "yes", "on", "1" };
	static const char *const no[] = { "false", "no", "off", "0" };

	for (size_t i = 0; i < RETORT_ARRAY_SIZE(yes); i++) {
		if (retort__strcasecmp(v, yes[i]) == 0)
			return *out = true, 0;
		if (retort__strcasecmp(v, no[i]) == 0)
			return *out = false, 0;
	}
	return -1;
}

bool retort__streq(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	return strcmp(a, b) == 0;
}

bool retort__starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

bool retort__ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && memcmp(s + n - m, suffix, m) == 0;
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

char *retort__trim(char *s)
{
	char *start = s, *end;

	while (is_space(*start))
		start++;
	end = start + strlen(start);
	while (end > start && is_space(end[-1]))
		end--;
	memmove(s, start, (size_t)(end - start));
	s[end - start] = '\0';
	return s;
}

int retort__duration_parse(long *ms, const char *text)
{
	static const struct { const char *unit; long ms; } units[] = {
		{ "ms", 1 }, { "s", 1000 }, { "min", 60000 }, { "h", 3600000 },
	};
	const char *p = text;
	long n = 0;
	char *unit;

	*ms = -1;
	while (is_space(*p))
		p++;
	if (*p < '0' || *p > '9')
		return -1;
	for (; *p >= '0' && *p <= '9'; p++) {
		n = n * 10 + (*p - '0');
		if (n > INT_MAX)
			return -1;
	}
	while (is_space(*p))
		p++;
	unit = retort__strdup(p);
	retort__trim(unit);
	if (!*unit && n == 0) {
		free(unit);
		return *ms = 0, 0;
	}
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (retort__strcasecmp(unit, units[i].unit) == 0 && n <= INT_MAX / units[i].ms) {
			free(unit);
			return *ms = n * units[i].ms, 0;
		}
	}
	free(unit);
	return -1;
}

void retort__duration_format(char out[32], long ms)
{
	if (ms % 3600000 == 0 && ms > 0)
		snprintf(out, 32, "%ldh", ms / 3600000);
	else if (ms % 60000 == 0 && ms > 0)
		snprintf(out, 32, "%ldmin", ms / 60000);
	else if (ms % 1000 == 0)
		snprintf(out, 32, "%lds", ms / 1000);
	else
		snprintf(out, 32, "%ldms", ms);
}

size_t retort__utf8_seq_len(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t len;
	unsigned cp;

	if (n == 0)
		return 0;
	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xC2 && p[0] <= 0xDF)
		len = 2, cp = p[0] & 0x1Fu;
	else if (p[0] >= 0xE0 && p[0] <= 0xEF)
		len = 3, cp = p[0] & 0x0Fu;
	else if (p[0] >= 0xF0 && p[0] <= 0xF4)
		len = 4, cp = p[0] & 0x07u;
	else
		return 0; /* a continuation byte, an overlong lead (C0, C1) or beyond U+10FFFF */
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((p[i] & 0xC0) != 0x80)
			return 0;
		cp = (cp << 6) | (p[i] & 0x3Fu);
	}
	/* overlong forms, UTF-16 surrogates and code points past U+10FFFF are not UTF-8 */
	if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
			(cp >= 0xD800 && cp <= 0xDFFF))
		return 0;
	return len;
}

bool retort__utf8_valid(const char *s, size_t *nchars)
{
	size_t n = strlen(s), count = 0;

	for (size_t i = 0, len; i < n; i += len, count++)
		if ((len = retort__utf8_seq_len(s + i, n - i)) == 0)
			return false;
	if (nchars)
		*nchars = count;
	return true;
}

static const char *file_kind(mode_t mode)
{
	return S_ISFIFO(mode) ? "a FIFO" : S_ISCHR(mode) ? "a character device" :
		S_ISBLK(mode) ? "a block device" : S_ISDIR(mode) ? "a directory" :
		S_ISSOCK(mode) ? "a socket" : "not a regular file";
}

int retort__file_open(int *fd_out, int dirfd, const char *name, const char *shown, size_t max,
	retort_error_class klass)
{
	struct stat st;
	int fd;

	*fd_out = -1;
	/* O_NONBLOCK: opening a FIFO with no writer must not wait for one */
	if ((fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY)) < 0) {
		int code = retort__error_os("cannot open '%s'", shown);
		if (klass != RETORT_ERROR_OS)
			retort__error_code(code, klass, "%s", retort_error_last()->message);
		return code;
	}
	/* the descriptor decides, not the name: it may have been swapped since a stat */
	if (fstat(fd, &st) < 0) {
		int code = retort__error_os("cannot stat '%s'", shown);
		close(fd);
		return code;
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		return retort__error_code(RETORT_ERROR, klass, "'%s' is %s, not a regular file: not read",
			shown, file_kind(st.st_mode));
	}
	if ((uintmax_t)st.st_size > (uintmax_t)max) {
		close(fd);
		return retort__error_code(RETORT_ERROR, klass,
			"'%s' has %jd bytes, more than the %zu MiB retort reads: not read",
			shown, (intmax_t)st.st_size, max >> 20);
	}
	*fd_out = fd;
	return 0;
}

int retort__file_read_fd(char **buf, size_t *cap, size_t *len, int fd, const char *shown,
	size_t max, retort_error_class klass)
{
	size_t n = 0;

	for (;;) {
		size_t want;
		ssize_t r;
		if (n == *cap) {
			*cap = *cap ? *cap * 2 : 65536;
			*buf = retort__realloc(*buf, *cap);
		}
		/* one byte past the limit tells a file that grew since fstat from one that fits */
		want = (*cap - n < max + 1 - n) ? *cap - n : max + 1 - n;
		r = read(fd, *buf + n, want);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return retort__error_os("cannot read '%s'", shown);
		n += (size_t)r;
		if (n > max)
			return retort__error_code(RETORT_ERROR, klass,
				"'%s' grew past the %zu MiB retort reads: not read", shown, max >> 20);
		/*
		 * A short read of a regular file (retort__file_open made sure it
		 * is one) is its end: no second read() to hear 0, which counts
		 * when a history of 10,000 files is loaded.
		 */
		if (r == 0 || (size_t)r < want)
			break;
	}
	*len = n;
	return 0;
}

int retort__file_read_max(char **out, size_t *len_out, const char *path, size_t max,
	retort_error_class klass)
{
	char *buf = NULL;
	size_t cap = 0, len = 0;
	int fd, error;

	*out = NULL;
	if ((error = retort__file_open(&fd, AT_FDCWD, path, path, max, klass)) < 0)
		return error;
	error = retort__file_read_fd(&buf, &cap, &len, fd, path, max, klass);
	close(fd);
	if (error < 0) {
		free(buf);
		return error;
	}
	if (len == cap)
		buf = retort__realloc(buf, len + 1);
	buf[len] = '\0';
	if (len_out)
		*len_out = len;
	*out = buf;
	return 0;
}

int retort__file_read(char **out, size_t *len_out, const char *path)
{
	return retort__file_read_max(out, len_out, path, RETORT_SCRIPT_MAX, RETORT_ERROR_OS);
}

bool retort__write_all(int fd, const void *data, size_t len)
{
	const char *p = data;

	while (len > 0) {
		ssize_t n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (n == 0)
				errno = EIO;
			return false;
		}
		p += n;
		len -= (size_t)n;
	}
	return true;
}

int retort__file_write(const char *path, const char *data, size_t len)
{
	/* mkstemp creates 0600; a revision file should get the usual umask mode. */
	mode_t mask = umask(0);

	umask(mask);
	return retort__file_write_mode(path, data, len, 0666 & ~mask);
}

int retort__file_write_mode(const char *path, const char *data, size_t len, unsigned mode)
{
	char *dir = retort__path_dirname(path);
	char *tmp = retort__sprintf("%s/.retort-tmp-XXXXXX", dir);
	int fd, error = 0;

	if ((fd = mkstemp(tmp)) < 0) {
		error = retort__error_os("cannot create a file in '%s'", dir);
		goto done;
	}
	if (!retort__write_all(fd, data, len)) {
		error = retort__error_os("cannot write '%s'", path);
		close(fd);
		unlink(tmp);
		goto done;
	}
	fchmod(fd, (mode_t)mode);
	if (close(fd) < 0 || rename(tmp, path) < 0) {
		error = retort__error_os("cannot write '%s'", path);
		unlink(tmp);
	}
done:
	free(tmp);
	free(dir);
	return error;
}

bool retort__path_exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

bool retort__path_is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

char *retort__path_join(const char *dir, const char *name)
{
	size_t n;

	if (name[0] == '/' || !dir || !dir[0])
		return retort__strdup(name);
	n = strlen(dir);
	while (n > 1 && dir[n - 1] == '/')
		n--;
	if (strcmp(name, ".") == 0)
		return retort__strndup(dir, n);
	return retort__sprintf("%.*s/%s", (int)n, dir, name);
}

char *retort__path_dirname(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (!slash)
		return retort__strdup(".");
	if (slash == path)
		return retort__strdup("/");
	return retort__strndup(path, (size_t)(slash - path));
}

int retort__mkdir_p(const char *path, unsigned mode)
{
	char *copy = retort__strdup(path);
	int error = 0;

	for (char *p = copy + 1; ; p++) {
		if (*p == '/' || *p == '\0') {
			char saved = *p;
			*p = '\0';
			if (mkdir(copy, (mode_t)mode) < 0 && errno != EEXIST) {
				error = retort__error_os("cannot create directory '%s'", copy);
				break;
			}
			*p = saved;
			if (!saved)
				break;
		}
	}
	free(copy);
	return error;
}

char *retort__cache_dir(void)
{
	const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");

	if (xdg && *xdg == '/')
		return retort__path_join(xdg, "retort");
	if (home && *home)
		return retort__sprintf("%s/.cache/retort", home);
	return NULL;
}

bool retort__dir_is_private(const char *dir)
{
	struct stat st;

	return lstat(dir, &st) == 0 && S_ISDIR(st.st_mode) && st.st_uid == geteuid() &&
		!(st.st_mode & (S_IWGRP | S_IWOTH));
}

int retort__mkdir_p_own(const char *path, unsigned mode)
{
	char *base = retort__malloc(strlen(path) + 2); /* room for "." */
	struct stat st;
	int error;

	strcpy(base, path);

	/* The nearest directory that exists decides ("/" or "." at the latest). */
	while (stat(base, &st) < 0) {
		char *slash = strrchr(base, '/');
		if (strcmp(base, ".") == 0 || strcmp(base, "/") == 0) {
			error = retort__error_os("cannot stat '%s'", base);
			free(base);
			return error;
		}
		if (!slash)
			strcpy(base, ".");
		else if (slash == base)
			base[1] = '\0';
		else
			*slash = '\0';
	}
	if (st.st_uid != geteuid() && !(st.st_mode & S_ISVTX)) {
		error = retort__error_set(RETORT_ERROR_CONFIG,
			"not creating '%s': '%s' belongs to another user (set XDG_CACHE_HOME)", path, base);
		free(base);
		return error;
	}
	free(base);
	return retort__mkdir_p(path, mode);
}
