/*
 * revision_new.c - create a revision file (`retort revision`, `retort
 * merge`).
 *
 * Parent rules follow Alembic: with no --head the single head is the
 * parent (several heads are an error that suggests merge); a parent that
 * is not a head needs --splice, so a branch is never started by accident;
 * "base" starts a new root.  The rendered file is parsed back before we
 * report success, so a broken template can never leave a revision the
 * graph would reject.  Each hook is split into words and run without a
 * shell (base/os.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/common.h"
#include "base/os.h"
#include "graph/graph.h"
#include "graph/revision_new.h"

static int random_id(char out[13])
{
	static const char hex[] = "0123456789abcdef";
	unsigned char bytes[6];
	int error;

	if ((error = retort__random_bytes(bytes, sizeof(bytes))) < 0)
		return error;
	for (size_t i = 0; i < sizeof(bytes); i++) {
		out[2 * i] = hex[bytes[i] >> 4];
		out[2 * i + 1] = hex[bytes[i] & 15];
	}
	out[12] = '\0';
	return 0;
}

static bool is_word(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

/*
 * ASCII for the Latin letters of U+00C0..U+017F (Latin-1 Supplement and
 * Latin Extended-A), indexed from U+00C0: "Ünïcode" gives "unicode".  A
 * letter outside the table is not a word character.
 */
static const char *const latin[] = {
	/* C0 */ "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
	/* D0 */ "d", "n", "o", "o", "o", "o", "o", NULL, "o", "u", "u", "u", "u", "y", "th", "ss",
	/* E0 */ "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
	/* F0 */ "d", "n", "o", "o", "o", "o", "o", NULL, "o", "u", "u", "u", "u", "y", "th", "y",
	/* 100 */ "a", "a", "a", "a", "a", "a", "c", "c", "c", "c", "c", "c", "c", "c", "d", "d",
	/* 110 */ "d", "d", "e", "e", "e", "e", "e", "e", "e", "e", "e", "e", "g", "g", "g", "g",
	/* 120 */ "g", "g", "g", "g", "h", "h", "h", "h", "i", "i", "i", "i", "i", "i", "i", "i",
	/* 130 */ "i", "i", "ij", "ij", "j", "j", "k", "k", "k", "l", "l", "l", "l", "l", "l", "l",
	/* 140 */ "l", "l", "l", "n", "n", "n", "n", "n", "n", "n", "n", "n", "o", "o", "o", "o",
	/* 150 */ "o", "o", "oe", "oe", "r", "r", "r", "r", "r", "r", "s", "s", "s", "s", "s", "s",
	/* 160 */ "s", "s", "t", "t", "t", "t", "t", "t", "u", "u", "u", "u", "u", "u", "u", "u",
	/* 170 */ "u", "u", "u", "u", "w", "w", "y", "y", "y", "z", "z", "z", "z", "z", "z", "s",
};

/* The ASCII of the word character at *p and its length in bytes; NULL when *p is none. */
static const char *word_char(const char *p, size_t *len, char ascii[2])
{
	unsigned char c = (unsigned char)p[0];

	if (is_word((char)c)) {
		ascii[0] = (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : (char)c;
		ascii[1] = '\0';
		*len = 1;
		return ascii;
	}
	/* two-byte UTF-8 sequences cover U+0080..U+07FF */
	if ((c & 0xE0) == 0xC0 && ((unsigned char)p[1] & 0xC0) == 0x80) {
		unsigned cp = ((c & 0x1Fu) << 6) | ((unsigned char)p[1] & 0x3Fu);
		*len = 2;
		if (cp >= 0xC0 && cp < 0xC0 + RETORT_ARRAY_SIZE(latin))
			return latin[cp - 0xC0];
	}
	return NULL;
}

/*
 * Words of the message joined by '_', lowercased, Latin letters with
 * diacritics transliterated, cut at a word boundary.
 */
static char *slugify(const char *message, int limit)
{
	retort_buf b = RETORT_BUF_INIT;
	const char *p = message ? message : "";
	char ascii[2];
	size_t len;

	while (*p) {
		if (!word_char(p, &len, ascii)) {
			p++;
			continue;
		}
		if (b.size)
			retort_buf_putc(&b, '_');
		for (const char *w; (w = word_char(p, &len, ascii)) != NULL; p += len)
			retort_buf_puts(&b, w);
	}
	if (limit > 0 && b.size > (size_t)limit) {
		char *cut;
		retort_buf_truncate(&b, (size_t)limit);
		if ((cut = strrchr(b.ptr, '_')) != NULL)
			retort_buf_truncate(&b, (size_t)(cut - b.ptr));
		retort_buf_putc(&b, '_');
	}
	retort_buf_grow(&b, 1);
	return retort_buf_detach(&b);
}

int retort_revision_filename(char **out, const char *tmpl, int truncate_slug_length,
	const char *rev_id, const char *message, const struct tm *utc, retort_script_format format)
{
	static const struct { const char *token; int field; } nums[] = {
		{ "%(year)d", 0 }, { "%(month).2d", 1 }, { "%(day).2d", 2 },
		{ "%(hour).2d", 3 }, { "%(minute).2d", 4 }, { "%(second).2d", 5 },
	};
	retort_buf b = RETORT_BUF_INIT;
	char *slug = slugify(message, truncate_slug_length);
	int values[6] = { utc->tm_year + 1900, utc->tm_mon + 1, utc->tm_mday,
		utc->tm_hour, utc->tm_min, utc->tm_sec };
	const char *p = tmpl ? tmpl : "%(rev)s_%(slug)s";
	int error = 0;

	*out = NULL;
	while (*p && !error) {
		size_t i;
		if (p[0] != '%') {
			retort_buf_putc(&b, *p++);
			continue;
		}
		if (retort__starts_with(p, "%%")) {
			retort_buf_putc(&b, '%');
			p += 2;
			continue;
		}
		if (retort__starts_with(p, "%(rev)s")) {
			retort_buf_puts(&b, rev_id);
			p += 7;
			continue;
		}
		if (retort__starts_with(p, "%(slug)s")) {
			retort_buf_puts(&b, slug);
			p += 8;
			continue;
		}
		for (i = 0; i < RETORT_ARRAY_SIZE(nums); i++)
			if (retort__starts_with(p, nums[i].token))
				break;
		if (i == RETORT_ARRAY_SIZE(nums)) {
			error = retort__error_set(RETORT_ERROR_CONFIG,
				"file_template '%s': unknown token at '%s'", tmpl, p);
			break;
		}
		retort_buf_printf(&b, i ? "%02d" : "%d", values[nums[i].field]);
		p += strlen(nums[i].token);
	}
	if (!error && (strchr(b.ptr, '/') || !b.size))
		error = retort__error_set(RETORT_ERROR_CONFIG,
			"file_template '%s' gives the file name '%s'", tmpl, b.ptr);
	retort_buf_puts(&b, format == RETORT_SCRIPT_C ? ".c" : ".sql");
	free(slug);
	if (error)
		retort_buf_dispose(&b);
	else
		*out = retort_buf_detach(&b);
	return error;
}

int retort_revision_render(char **out, const char *tmpl, const char *const *vars, const retort_map *x)
{
	retort_buf b = RETORT_BUF_INIT;
	const char *p = tmpl;
	unsigned line = 1;

	*out = NULL;
	while (*p) {
		const char *end, *name, *value = NULL;
		size_t i, len;
		if (p[0] == '$' && p[1] == '$' && p[2] == '{') { /* $${ is a literal ${ */
			retort_buf_puts(&b, "${");
			p += 3;
			continue;
		}
		if (p[0] != '$' || p[1] != '{' || !(end = strchr(p + 2, '}')) || memchr(p, '\n', (size_t)(end - p))) {
			line += *p == '\n';
			retort_buf_putc(&b, *p++);
			continue;
		}
		name = p + 2;
		len = (size_t)(end - name);
		for (i = 0; vars[i]; i += 2)
			if (strlen(vars[i]) == len && !memcmp(vars[i], name, len))
				value = vars[i + 1];
		if (!value && len > 2 && !memcmp(name, "x.", 2)) {
			char *key = retort__strndup(name + 2, len - 2);
			value = x ? retort_map_get(x, key) : NULL;
			free(key);
			if (!value) {
				retort_buf_dispose(&b);
				return retort__error_set(RETORT_ERROR_USAGE,
					"script template line %u: '${%.*s}' needs -x %.*s=VALUE", line,
					(int)len, name, (int)len - 2, name + 2);
			}
		}
		if (!value) {
			retort_buf_dispose(&b);
			return retort__error_set(RETORT_ERROR_CONFIG,
				"script template line %u: unknown placeholder '${%.*s}' (known: message, rev_id, "
				"down_revision, create_date, branch_labels, depends_on, transactional, upgrades, "
				"downgrades, x.KEY; $${ writes a literal ${)", line, (int)len, name);
		}
		retort_buf_puts(&b, value);
		p = end + 1;
	}
	retort_buf_grow(&b, 1);
	*out = retort_buf_detach(&b);
	return 0;
}

/*
 * `{file}` stands for the path in any word, quoted or not; wordexp would
 * refuse its braces, so it becomes a marker no command line contains
 * (a control character around a name) while the line is split.
 */
#define FILE_MARK "\001retort-file\001"

/* One hook: split into words (base/os.h), {file} replaced, run without a shell. */
static int run_one_hook(const char *hook, const char *path)
{
	retort_vec argv = RETORT_VEC_INIT;
	retort_buf line = RETORT_BUF_INIT;
	char *what = NULL;
	int status = 0, error;

	for (const char *q = hook; *q;) {
		if (retort__starts_with(q, "{file}")) {
			retort_buf_puts(&line, FILE_MARK);
			q += 6;
		} else {
			retort_buf_putc(&line, *q++);
		}
	}
	retort_buf_grow(&line, 1);
	what = retort__sprintf("post_write_hook '%s'", hook);
	if ((error = retort__words_split(&argv, line.ptr, what)) < 0)
		goto done;
	for (size_t i = 0; i < argv.len; i++) {
		retort_buf arg = RETORT_BUF_INIT;
		for (const char *q = argv.items[i]; *q;) {
			if (retort__starts_with(q, FILE_MARK)) {
				retort_buf_puts(&arg, path);
				q += sizeof(FILE_MARK) - 1;
			} else {
				retort_buf_putc(&arg, *q++);
			}
		}
		retort_buf_grow(&arg, 1);
		free(argv.items[i]);
		argv.items[i] = retort_buf_detach(&arg);
	}
	if (!argv.len)
		goto done;
	if ((error = retort__spawn(&status, &argv, NULL)) < 0) {
		if (error == RETORT_ENOTFOUND)
			error = retort__error_set(RETORT_ERROR_CONFIG,
				"post_write_hook: command not found: %s (for '%s')", (const char *)argv.items[0], path);
		else
			retort__error_prefix("post_write_hook");
		goto done;
	}
	/* 127: a shell's "not found", from a program that ran one */
	if (status == 127)
		error = retort__error_set(RETORT_ERROR_CONFIG,
			"post_write_hook: command not found: %s (for '%s')", (const char *)argv.items[0], path);
	else if (status != 0)
		error = retort__error_set(RETORT_ERROR_OS, "post_write_hook '%s' failed (%s %d) on '%s'",
			hook, status > 128 ? "signal" : "exit status", status > 128 ? status - 128 : status, path);
done:
	retort_vec_dispose(&argv, true);
	retort_buf_dispose(&line);
	free(what);
	return error;
}

int retort_revision_run_hook(const char *hooks, const char *path)
{
	char *copy = retort__strdup(hooks), *save = NULL;
	int error = 0;

	/* several hooks, separated by ';', run in order; the first failure stops the rest */
	for (char *h = strtok_r(copy, ";", &save); h && !error; h = strtok_r(NULL, ";", &save))
		if (*retort__trim(h))
			error = run_one_hook(h, path);
	free(copy);
	return error;
}

/* Resolve the parents (heads/merge rules); appends borrowed revisions. */
static int pick_parents(retort_vec *out, const retort_graph *graph, const retort_revision_opts *o)
{
	static const char *const dflt[] = { "head" };
	const char *const *heads = o->nheads ? o->heads : dflt;
	size_t n = o->nheads ? o->nheads : 1;
	retort_vec got = RETORT_VEC_INIT;
	int error = 0;

	for (size_t i = 0; i < n && !error; i++) {
		got.len = 0;
		error = retort_graph_resolve(&got, graph, heads[i], NULL, 0);
		if (error == RETORT_EAMBIGUOUS && !strcmp(heads[i], "head") && !o->merge)
			retort__error_prefix("cannot choose a parent for the new revision; "
				"use --head (e.g. LABEL@head or base) or 'retort merge'");
		for (size_t j = 0; j < got.len && !error; j++) {
			retort_revision *r = got.items[j];
			if (!o->splice && !retort_revision_is_head(r)) {
				error = retort__error_code(RETORT_EUSAGE, RETORT_ERROR_USAGE,
					"revision '%s' is not a head (it has %zu child revision%s); use --splice "
					"to start a branch from it", r->id, r->children.len,
					r->children.len == 1 ? "" : "s");
			} else if (!retort_vec_contains(out, r)) {
				retort_vec_push(out, r);
			}
		}
	}
	if (!error && o->merge && out->len < 2)
		error = retort__error_code(RETORT_EUSAGE, RETORT_ERROR_USAGE,
			"a merge needs at least two revisions, got %zu", out->len);
	retort_vec_dispose(&got, false);
	return error;
}

/* Depends On as written in the file: labels stay labels, the rest become full ids. */
static int dependencies(retort_buf *out, const retort_graph *graph, const retort_revision_opts *o)
{
	retort_vec got = RETORT_VEC_INIT;
	int error = 0;

	for (size_t i = 0; i < o->ndepends_on && !error; i++) {
		const char *d = o->depends_on[i];
		got.len = 0;
		if ((error = retort_graph_resolve(&got, graph, d, NULL, 0)) < 0)
			break;
		if (out->size)
			retort_buf_puts(out, ", ");
		if (retort_graph_label(graph, d))
			retort_buf_puts(out, d); /* a label follows the branch as it grows */
		else
			for (size_t j = 0; j < got.len; j++)
				retort_buf_printf(out, "%s%s", j ? ", " : "", ((retort_revision *)got.items[j])->id);
	}
	retort_vec_dispose(&got, false);
	return error;
}

/* --version-path must be one of the configured locations; else the parent's, or the first. */
static int pick_dir(char **out, const retort_config *cfg, const retort_vec *parents, const char *want)
{
	*out = NULL;
	if (want) {
		char *abs_want = realpath(want, NULL);
		for (size_t i = 0; abs_want && i < cfg->version_locations.len; i++) {
			char *loc = realpath(cfg->version_locations.items[i], NULL);
			bool same = loc && !strcmp(loc, abs_want);
			free(loc);
			if (same) {
				*out = abs_want;
				return 0;
			}
		}
		free(abs_want);
		return retort__error_set(RETORT_ERROR_USAGE,
			"--version-path '%s' is not one of the version locations", want);
	}
	if (!cfg->version_locations.len)
		return retort__error_set(RETORT_ERROR_CONFIG, "no version locations are configured");
	if (cfg->version_locations.len > 1 && parents->len) {
		*out = retort__path_dirname(((retort_revision *)parents->items[0])->script->path);
		return 0;
	}
	if (cfg->version_locations.len > 1)
		return retort__error_set(RETORT_ERROR_USAGE,
			"several version locations are configured; choose one with --version-path");
	*out = retort__strdup(cfg->version_locations.items[0]);
	return 0;
}

static int write_new(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);

	if (fd < 0 && errno == EEXIST)
		return retort__error_code(RETORT_EEXISTS, RETORT_ERROR_OS, "refusing to overwrite '%s'", path);
	if (fd < 0)
		return retort__error_os("cannot create '%s'", path);
	if (!retort__write_all(fd, text, strlen(text))) {
		int error = retort__error_os("cannot write '%s'", path);
		close(fd);
		unlink(path);
		return error;
	}
	if (close(fd) < 0) {
		unlink(path);
		return retort__error_os("cannot write '%s'", path);
	}
	return 0;
}

static int check_labels(const retort_graph *graph, const retort_revision_opts *o)
{
	for (size_t i = 0; i < o->nbranch_labels; i++) {
		const char *l = o->branch_labels[i];
		if (retort_script_label_problem(l))
			return retort__error_set(RETORT_ERROR_USAGE, "invalid branch label '%s': %s",
				l, retort_script_label_problem(l));
		if (retort_graph_get(graph, l) || retort_graph_label(graph, l))
			return retort__error_code(RETORT_EEXISTS, RETORT_ERROR_USAGE,
				"branch label '%s' is already a revision id or label", l);
	}
	return 0;
}

/* Where a header line's text starts, past its comment decoration (a leading "--", slash-star or star). */
static const char *undecorated(const char *line)
{
	const char *p = line;

	while (*p == ' ' || *p == '\t')
		p++;
	if (retort__starts_with(p, "--") || retort__starts_with(p, "/*"))
		p += 2;
	else if (*p == '*')
		p++;
	while (*p == ' ' || *p == '\t')
		p++;
	return p;
}

/*
 * Does `line` (up to its end) read "KEY:" once comment decoration is
 * skipped?  Returns where the value starts (after the colon); *key_at, when
 * given, is where the key starts.
 */
static const char *header_value(const char *line, const char *key, const char **key_at)
{
	const char *p = undecorated(line);
	size_t n = strlen(key);

	if (retort__strncasecmp(p, key, n) != 0)
		return NULL;
	if (key_at)
		*key_at = p;
	for (p += n; *p == ' ' || *p == '\t'; p++)
		;
	return *p == ':' ? p + 1 : NULL;
}

/* Does the line at `line` hold header key `key` ("revision id") followed by ':'? */
static bool is_key_line(const char *line, const char *key)
{
	return header_value(line, key, NULL) != NULL;
}

/*
 * The template with a "Replaces: ${replaces}" line after its Revises line,
 * decorated the same way: a baseline's header, from a template written
 * for ordinary revisions.  Without a Revises line the copy is unchanged,
 * and the parse-back check reports it.
 */
static char *template_with_replaces(const char *tmpl)
{
	retort_buf b = RETORT_BUF_INIT;
	bool done = false;

	for (const char *line = tmpl; *line;) {
		const char *end = strchr(line, '\n'), *key_at = NULL;
		size_t len = end ? (size_t)(end - line) : strlen(line);

		retort_buf_put(&b, line, len);
		if (end)
			retort_buf_putc(&b, '\n');
		if (!done && header_value(line, "revises", &key_at) && (size_t)(key_at - line) < len) {
			retort_buf_put(&b, line, (size_t)(key_at - line));
			retort_buf_puts(&b, "Replaces: ${replaces}\n");
			done = true;
		}
		if (!end)
			break;
		line = end + 1;
	}
	retort_buf_grow(&b, 1);
	return retort_buf_detach(&b);
}

/*
 * The revision text with a "Foreign Keys: off" header line, decorated as
 * its neighbour, after the Transactional line of the header (or, without
 * one, after the Revision ID line).  Templates have no placeholder for
 * it: only a revision that needs it carries it.  NULL when the text has no
 * Revision ID line (the parse-back check reports that).
 */
static char *add_foreign_keys_off(const char *text)
{
	const char *after = NULL, *line;
	retort_buf b = RETORT_BUF_INIT;

	for (line = text; *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : line + strlen(line))
		if (is_key_line(line, "revision id"))
			break;
	if (!*line)
		return NULL;
	/* The key lines that follow it, up to the first line that is none. */
	for (after = line; *line;) {
		const char *end = strchr(line, '\n'), *p = undecorated(line);
		if (line != after && (!*p || *p == '\n' || !strchr(p, ':') || retort__starts_with(p, "retort:")))
			break;
		if (is_key_line(line, "transactional"))
			after = line;
		if (!end)
			break;
		line = end + 1;
	}
	line = strchr(after, '\n');
	line = line ? line + 1 : after + strlen(after);
	retort_buf_put(&b, text, (size_t)(line - text));
	if (line == after + strlen(after))
		retort_buf_putc(&b, '\n');
	retort_buf_put(&b, after, (size_t)(undecorated(after) - after));
	retort_buf_puts(&b, "Foreign Keys: off\n");
	retort_buf_puts(&b, line);
	return retort_buf_detach(&b);
}

int retort_revision_create(char **out, const retort_config *cfg, const retort_graph *graph,
	const retort_revision_opts *o)
{
	retort_vec parents = RETORT_VEC_INIT;
	retort_buf down = RETORT_BUF_INIT, deps = RETORT_BUF_INIT, labels = RETORT_BUF_INIT;
	char id[4 * RETORT_REVISION_ID_MAX + 1], date[40], *dir = NULL, *name = NULL, *path = NULL, *text = NULL, *message = NULL;
	char *own_template = NULL;
	time_t now = o->now ? o->now : time(NULL);
	retort_script *check = NULL;
	struct tm utc;
	int error;

	*out = NULL;
	if (o->rev_id) {
		if (retort_script_id_problem(o->rev_id)) {
			error = retort__error_set(RETORT_ERROR_USAGE, "invalid revision id '%s': %s",
				o->rev_id, retort_script_id_problem(o->rev_id));
			goto done;
		}
		snprintf(id, sizeof(id), "%s", o->rev_id);
	} else {
		do {
			if ((error = random_id(id)) < 0)
				goto done;
		} while (retort_graph_get(graph, id) || retort_graph_replaced_by(graph, id));
	}
	if (retort_graph_replaced_by(graph, id)) {
		error = retort__error_code(RETORT_EEXISTS, RETORT_ERROR_USAGE,
			"revision id '%s' is one that baseline '%s' replaces", id,
			retort_graph_replaced_by(graph, id)->id);
		goto done;
	}
	if (retort_graph_get(graph, id)) {
		error = retort__error_code(RETORT_EEXISTS, RETORT_ERROR_USAGE,
			"revision id '%s' already exists (%s)", id, retort_graph_get(graph, id)->script->path);
		goto done;
	}
	/* a baseline carries the labels of what it replaces: they are taken, by design */
	if ((!o->replaces && (error = check_labels(graph, o)) < 0) ||
		(error = pick_parents(&parents, graph, o)) < 0 ||
		(error = dependencies(&deps, graph, o)) < 0 ||
		(error = pick_dir(&dir, cfg, &parents, o->version_path)) < 0)
		goto done;

	for (size_t i = 0; i < parents.len; i++)
		retort_buf_printf(&down, "%s%s", i ? ", " : "", ((retort_revision *)parents.items[i])->id);
	for (size_t i = 0; i < o->nbranch_labels; i++)
		retort_buf_printf(&labels, "%s%s", i ? ", " : "", o->branch_labels[i]);
	gmtime_r(&now, &utc);
	strftime(date, sizeof(date), "%Y-%m-%d %H:%M:%S+00:00", &utc);
	/* one line: the message is a header comment line */
	message = retort__strdup(o->message ? o->message : "");
	for (char *c = message; *c; c++)
		if (*c == '\n' || *c == '\r')
			*c = ' ';
	if (o->replaces && !strstr(o->template_text, "${replaces}"))
		own_template = template_with_replaces(o->template_text);
	{
		const char *vars[] = {
			"message", message, "rev_id", id, "down_revision", down.ptr,
			"create_date", date, "branch_labels", labels.ptr, "depends_on", deps.ptr,
			"transactional", "yes",
			"upgrades", o->upgrades ? o->upgrades : "",
			"downgrades", o->downgrades ? o->downgrades : "",
			"replaces", o->replaces ? o->replaces : "", NULL,
		};
		if ((error = retort_revision_render(&text, own_template ? own_template : o->template_text,
				vars, &cfg->xargs)) < 0)
			goto done;
	}
	if (o->foreign_keys_off) {
		char *with = add_foreign_keys_off(text);
		if (with) {
			free(text);
			text = with;
		}
	}
	if ((error = retort_revision_filename(&name, cfg->file_template, cfg->truncate_slug_length,
			id, message, &utc, o->format)) < 0)
		goto done;
	path = retort__path_join(dir, name);
	if ((error = retort_script_parse(&check, path, text, strlen(text))) < 0) {
		retort__error_prefix("the script template does not give a valid revision");
		goto done;
	}
	if (strcmp(check->revision, id)) {
		error = retort__error_set(RETORT_ERROR_CONFIG,
			"the script template does not use ${rev_id} as its Revision ID");
		goto done;
	}
	if (o->replaces && !check->replaces.len) {
		error = retort__error_set(RETORT_ERROR_CONFIG,
			"the script template has no 'Revises:' header line to put the baseline's "
			"'Replaces:' after; add 'Replaces: ${replaces}' to it");
		goto done;
	}
	if (o->foreign_keys_off && !check->foreign_keys_off) {
		error = retort__error_set(RETORT_ERROR_CONFIG,
			"this revision rebuilds or drops a SQLite table with foreign keys off, but its header "
			"cannot say 'Foreign Keys: off': the script template gives no usable 'Revision ID:' line");
		goto done;
	}
	if ((error = write_new(path, text)) < 0)
		goto done;
	if (cfg->post_write_hook && !o->no_hook &&
		(error = retort_revision_run_hook(cfg->post_write_hook, path)) < 0)
		goto done; /* the file stays: the user may want to look at what the hook disliked */
	*out = path;
	path = NULL;
done:
	retort_script_free(check);
	retort_vec_dispose(&parents, false);
	retort_buf_dispose(&down);
	retort_buf_dispose(&deps);
	retort_buf_dispose(&labels);
	free(dir);
	free(name);
	free(path);
	free(text);
	free(message);
	free(own_template);
	return error;
}
