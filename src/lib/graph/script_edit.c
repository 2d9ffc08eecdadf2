/*
 * script_edit.c - change what a revision file revises, in place: the value
 * of its `Revises:` header line and not one other byte, written to a
 * temporary file beside it and renamed over it, so a reader sees the old
 * file or the new one and never half of either.  `retort rebase` uses it.
 *
 * The new text is parsed back before it is written: the same id, the same
 * header apart from Revises, the parents asked for.  This module does not
 * decide what a file should revise (git/rebase.c does).
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/buf.h"
#include "base/common.h"
#include "graph/script.h"

/* Lines [start, end) of `text`, without the newline; false at the end. */
static bool line_at(const char *text, size_t len, size_t *pos, size_t *start, size_t *end)
{
	const char *nl;

	if (*pos >= len)
		return false;
	*start = *pos;
	nl = memchr(text + *pos, '\n', len - *pos);
	*end = nl ? (size_t)(nl - text) : len;
	*pos = nl ? *end + 1 : len;
	return true;
}

/*
 * If line [a, b) is a header line "KEY: value" for `key` once its comment
 * decoration (a leading "--", slash-star or star) is skipped, set [*va, *vb) to the value
 * (blanks and a closing comment trimmed) and return true.
 */
static bool key_value(const char *t, size_t a, size_t b, const char *key, size_t *va, size_t *vb)
{
	size_t p = a, n = strlen(key);

	while (p < b && (t[p] == ' ' || t[p] == '\t'))
		p++;
	if (p + 1 < b && ((t[p] == '-' && t[p + 1] == '-') || (t[p] == '/' && t[p + 1] == '*')))
		p += 2;
	else if (p < b && t[p] == '*')
		p++;
	while (p < b && (t[p] == ' ' || t[p] == '\t'))
		p++;
	if (b - p < n || retort__strncasecmp(t + p, key, n) != 0)
		return false;
	for (p += n; p < b && (t[p] == ' ' || t[p] == '\t'); p++)
		;
	if (p >= b || t[p] != ':')
		return false;
	for (p++; p < b && (t[p] == ' ' || t[p] == '\t'); p++)
		;
	for (size_t q = p; q + 1 < b; q++)
		if (t[q] == '*' && t[q + 1] == '/') {
			b = q;
			break;
		}
	while (b > p && (t[b - 1] == ' ' || t[b - 1] == '\t' || t[b - 1] == '\r'))
		b--;
	*va = p;
	*vb = b;
	return true;
}

/* Find the Revises value in the header of `text` (a C file's first comment, a SQL file's "--" lines). */
static bool find_revises(const char *t, size_t len, bool c_file, size_t *va, size_t *vb)
{
	size_t pos = 0, a, b;
	bool started = false;

	while (line_at(t, len, &pos, &a, &b)) {
		size_t p = a;
		while (p < b && (t[p] == ' ' || t[p] == '\t' || t[p] == '\r'))
			p++;
		if (!started && p == b)
			continue; /* blank lines before the header */
		if (!c_file && !(b - a >= 2 && t[a] == '-' && t[a + 1] == '-'))
			return false;
		if (!c_file && (retort__starts_with(t + a, "-- retort:upgrade") ||
				retort__starts_with(t + a, "-- retort:downgrade")))
			return false;
		started = true;
		if (key_value(t, a, b, "revises", va, vb))
			return true;
		if (c_file && memmem(t + a, b - a, "*/", 2))
			return false;
	}
	return false;
}

static bool same_list(const retort_vec *v, const char *const *ids, size_t n)
{
	const retort_vec want = { (void **)ids, n, n };

	return retort__strvec_equal(v, &want);
}

int retort_script_set_revises(const char *path, const char *const *ids, size_t n)
{
	retort_buf out = RETORT_BUF_INIT;
	retort_script *before = NULL, *after = NULL;
	char *text = NULL;
	size_t len = 0, va, vb;
	struct stat st;
	int error;

	for (size_t i = 0; i < n; i++)
		if (!retort_script_id_valid(ids[i]))
			return retort__error_set(RETORT_ERROR_USAGE, "invalid revision id '%s'", ids[i]);
	if ((error = retort__file_read(&text, &len, path)) < 0 ||
	    (error = retort_script_parse(&before, path, text, len)) < 0)
		goto done;
	if (stat(path, &st) < 0) {
		error = retort__error_os("cannot stat '%s'", path);
		goto done;
	}
	if (!find_revises(text, len, before->format == RETORT_SCRIPT_C, &va, &vb)) {
		error = retort__error_set(RETORT_ERROR_SCRIPT,
			"%s: no 'Revises:' header line to change", path);
		goto done;
	}
	retort_buf_put(&out, text, va);
	for (size_t i = 0; i < n; i++)
		retort_buf_printf(&out, "%s%s", i ? ", " : "", ids[i]);
	retort_buf_put(&out, text + vb, len - vb);
	if ((error = retort_script_parse(&after, path, out.ptr, out.size)) < 0) {
		retort__error_prefix("changing Revises would break the file");
		goto done;
	}
	if (!same_list(&after->revises, ids, n) || strcmp(before->revision, after->revision) != 0 ||
		!retort__strvec_equal(&before->branch_labels, &after->branch_labels) ||
		!retort__strvec_equal(&before->depends_on, &after->depends_on) ||
		!retort__strvec_equal(&before->replaces, &after->replaces) ||
		!retort__streq(before->message, after->message) ||
		!retort__streq(before->create_date, after->create_date) ||
		before->transactional != after->transactional) {
		error = retort__error_set(RETORT_ERROR_SCRIPT,
			"%s: cannot change its Revises line alone", path);
		goto done;
	}
	error = retort__file_write_mode(path, out.ptr, out.size, (unsigned)(st.st_mode & 07777));
done:
	retort_script_free(before);
	retort_script_free(after);
	retort_buf_dispose(&out);
	free(text);
	return error;
}
