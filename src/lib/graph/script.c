/*
 * script.c - parse one revision file: the header comment that links it into
 * the graph, the SQL sections, and the file's checksum.
 *
 * The header is the leading comment block: "-- " lines for SQL, the first
 * slash-star comment for C.  Its first line is the message; then "Key: value"
 * lines.  Being strict here (unknown keys and stray lines are errors) is what
 * lets the graph trust the header: a misspelt "Depends on" must not silently
 * drop an ordering edge.  This module does not resolve ids against other
 * scripts (graph.c does) and does not split SQL into statements.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "base/buf.h"
#include "base/common.h"
#include "graph/parser_key.h" /* generated: RETORT_SCRIPT_PARSER_KEY */
#include "graph/script.h"
#include "graph/scriptcache.h"

/* A line of the header with the comment decoration removed. */
typedef struct hline {
	char *text;     /* in the parse's arena, trimmed */
	unsigned line;  /* 1-based line in the file */
} hline;

/* The header keys (key_names below spells them). */
enum { K_REVISION, K_REVISES, K_DATE, K_LABELS, K_DEPENDS, K_TRANSACTIONAL, K_LOCK_TIMEOUT,
	K_STATEMENT_TIMEOUT, K_FOREIGN_KEYS, K_REPLACES, K_COUNT };

typedef struct parser {
	const char *path;
	retort_script *s;
	bool seen[K_COUNT];
	unsigned replaces_line;
	size_t used, cap;  /* of s->arena_ */
} parser;

/*
 * Every string of a script is a piece of the file, so one block of the
 * file's size (plus a NUL per piece, which the separators between pieces
 * pay for) holds them all: one allocation per script instead of a dozen,
 * which matters when a history has 10,000 of them.
 */
static char *keep(parser *p, const char *str, size_t n)
{
	char *out;

	if (p->used + n + 1 > p->cap) /* cannot happen (see above); stay safe anyway */
		abort();
	out = p->s->arena_ + p->used;
	memcpy(out, str, n);
	out[n] = '\0';
	p->used += n + 1;
	return out;
}

const char retort__script_parser_key[] = RETORT_SCRIPT_PARSER_KEY;

static const char *const key_names[] = {
	"revision id", "revises", "create date", "branch labels", "depends on", "transactional",
	"lock timeout", "statement timeout", "foreign keys", "replaces",
};

static pthread_once_t sha256_once = PTHREAD_ONCE_INIT;
static EVP_MD *sha256_md;

static void sha256_fetch(void)
{
	sha256_md = EVP_MD_fetch(NULL, "SHA256", NULL);
}

void retort_script_sha256(char out[65], const void *data, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	unsigned int i;

	/*
	 * Fetch the implementation once: an implicit fetch per call costs more
	 * than hashing a small script, and a graph hashes thousands of them.
	 * EVP_Digest cannot fail for SHA-256 short of OOM; zeros keep it defined.
	 */
	pthread_once(&sha256_once, sha256_fetch);
	if (!EVP_Digest(data, len, md, &mdlen, sha256_md ? sha256_md : EVP_sha256(), NULL))
		mdlen = 0;
	for (i = 0; i < mdlen && i < 32; i++) {
		out[2 * i] = hex[md[i] >> 4];
		out[2 * i + 1] = hex[md[i] & 15];
	}
	out[2 * i] = '\0';
}

/* Code points that would make a name print as something else: C1 controls, zero-width and bidi marks. */
static bool invisible(const char *p, size_t len)
{
	unsigned cp;

	if (len == 2)
		cp = (((unsigned char)p[0] & 0x1Fu) << 6) | ((unsigned char)p[1] & 0x3Fu);
	else if (len == 3)
		cp = (((unsigned char)p[0] & 0x0Fu) << 12) | (((unsigned char)p[1] & 0x3Fu) << 6) |
			((unsigned char)p[2] & 0x3Fu);
	else
		return false;
	return (cp >= 0x80 && cp <= 0x9F) || (cp >= 0x200B && cp <= 0x200F) ||
		(cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2060 && cp <= 0x2069) || cp == 0xFEFF;
}

/*
 * What is wrong with `name` as an id (labels: also '-' inside), or NULL.
 * Letters, digits, '_' and '.', and any printing character beyond ASCII:
 * everything else either means something in an identifier ("a@head",
 * "a+1", "a:b", "a,b"), in a file name made from the id ('/', '\'), or
 * cannot be told apart on a screen (spaces, controls, bidi marks).
 */
static const char *name_problem(const char *name, bool label)
{
	static const char *const reserved[] = { "head", "heads", "base", "current" };
	size_t n = strlen(name), chars;

	if (n == 0)
		return "it is empty";
	if (!retort__utf8_valid(name, &chars))
		return "it is not valid UTF-8";
	if (!label && chars > RETORT_REVISION_ID_MAX)
		return "it is longer than 32 characters, the width of the version table's column";
	for (size_t i = 0, len; i < n; i += len) {
		unsigned char c = (unsigned char)name[i];
		len = retort__utf8_seq_len(name + i, n - i);
		if (c >= 0x80) {
			if (invisible(name + i, len))
				return "it holds an invisible or direction-changing character";
			continue;
		}
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
				c == '_' || c == '.' || (label && c == '-' && i > 0)))
			return label ? "only letters, digits, '_', '.' and '-' (not first) may make it up"
				: "only letters, digits, '_' and '.' may make it up";
	}
	for (size_t i = 0; i < RETORT_ARRAY_SIZE(reserved); i++)
		if (retort__strcasecmp(name, reserved[i]) == 0)
			return "it is a reserved word (head, heads, base and current name revisions already)";
	return NULL;
}

const char *retort_script_id_problem(const char *id)
{
	return name_problem(id, false);
}

const char *retort_script_label_problem(const char *label)
{
	return name_problem(label, true);
}

bool retort_script_id_valid(const char *id)
{
	return name_problem(id, false) == NULL;
}

void retort_script_free(retort_script *s)
{
	if (!s)
		return;
	free(s->path);
	/* every other string lives in the script's arena */
	retort_vec_dispose(&s->revises, false);
	retort_vec_dispose(&s->branch_labels, false);
	retort_vec_dispose(&s->depends_on, false);
	retort_vec_dispose(&s->replaces, false);
	free(s->arena_);
	free(s->sql_arena_);
	free(s);
}

enum list_kind { LIST_IDS, LIST_LABELS, LIST_ANY };

/* Split "a, b,c" into trimmed, non-empty items; `key` names the header key, for messages. */
static int split_list(parser *p, retort_vec *out, const char *value, unsigned line, enum list_kind kind,
	const char *key)
{
	const char *q = value;
	size_t n = 1;

	/* size the list once: most have one item, and there are thousands of lists */
	for (const char *c = value; *c; c++)
		n += *c == ',';
	if (*value && !out->cap) {
		out->items = retort__malloc(n * sizeof(void *));
		out->cap = n;
	}
	while (*q) {
		const char *start = q, *end;
		while (*q && *q != ',')
			q++;
		end = q;
		if (*q)
			q++;
		while (start < end && (*start == ' ' || *start == '\t'))
			start++;
		while (end > start && (end[-1] == ' ' || end[-1] == '\t'))
			end--;
		if (start == end)
			continue;
		/*
		 * Revises and Replaces hold ids, Branch Labels labels; Depends On
		 * may name either, or a prefix, so only the graph can judge it.
		 */
		if (kind != LIST_ANY) {
			char *tok = keep(p, start, (size_t)(end - start));
			const char *why = kind == LIST_IDS ? retort_script_id_problem(tok)
				: retort_script_label_problem(tok);
			if (why)
				return retort__error_set(RETORT_ERROR_SCRIPT, "%s:%u: invalid %s '%s' in %s: %s",
					p->path, line, kind == LIST_IDS ? "revision id" : "branch label", tok, key, why);
			retort_vec_push(out, tok);
		} else {
			retort_vec_push(out, keep(p, start, (size_t)(end - start)));
		}
	}
	return 0;
}

/* Returns the key index, -1 when `name` (len bytes) is no key. */
static int key_index(const char *name, size_t len)
{
	for (size_t i = 0; i < RETORT_ARRAY_SIZE(key_names); i++) {
		size_t j = 0;
		if (strlen(key_names[i]) != len)
			continue;
		while (j < len && (name[j] | 0x20) == key_names[i][j])
			j++;
		if (j == len)
			return (int)i;
	}
	return -1;
}

/*
 * Split "Key: value" when the part before the colon looks like a key (words
 * of letters and spaces): *key and *klen delimit the trimmed key inside `text`,
 * *value points after the colon and its blanks.
 */
static bool split_key(const char *text, const char **key, size_t *klen, const char **value)
{
	const char *colon = strchr(text, ':'), *end;

	if (!colon || colon == text)
		return false;
	for (const char *q = text; q < colon; q++)
		if (!((*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z') || *q == ' ' || *q == '_'))
			return false;
	end = colon;
	while (end > text && end[-1] == ' ')
		end--;
	*key = text;
	*klen = (size_t)(end - text);
	*value = colon + 1;
	while (**value == ' ' || **value == '\t')
		(*value)++;
	return true;
}

static int apply_key(parser *p, int k, const char *key, size_t klen, const char *value, unsigned line)
{
	retort_script *s = p->s;

	if (p->seen[k])
		return retort__error_set(RETORT_ERROR_SCRIPT,
			"%s:%u: duplicate header key '%.*s'", p->path, line, (int)klen, key);
	p->seen[k] = true;
	switch (k) {
	case K_REVISION:
		if (retort_script_id_problem(value))
			return retort__error_set(RETORT_ERROR_SCRIPT, "%s:%u: invalid revision id '%s': %s",
				p->path, line, value, retort_script_id_problem(value));
		s->revision = keep(p, value, strlen(value));
		s->header_line = line;
		return 0;
	case K_REVISES:
		return split_list(p, &s->revises, value, line, LIST_IDS, "Revises");
	case K_DATE:
		s->create_date = *value ? keep(p, value, strlen(value)) : NULL;
		return 0;
	case K_LABELS:
		return split_list(p, &s->branch_labels, value, line, LIST_LABELS, "Branch Labels");
	case K_DEPENDS:
		return split_list(p, &s->depends_on, value, line, LIST_ANY, "Depends On");
	case K_REPLACES: {
		int error = split_list(p, &s->replaces, value, line, LIST_IDS, "Replaces");
		p->replaces_line = line;
		for (size_t i = 0; i < s->replaces.len && !error; i++)
			for (size_t j = 0; j < i; j++)
				if (!strcmp(s->replaces.items[i], s->replaces.items[j]))
					return retort__error_set(RETORT_ERROR_SCRIPT,
						"%s:%u: '%s' is listed twice in Replaces", p->path, line,
						(char *)s->replaces.items[i]);
		return error;
	}
	case K_TRANSACTIONAL:
		if (retort__parse_bool(&s->transactional, value) < 0)
			return retort__error_set(RETORT_ERROR_SCRIPT,
				"%s:%u: Transactional must be yes or no, not '%s'", p->path, line, value);
		return 0;
	case K_LOCK_TIMEOUT:
	case K_STATEMENT_TIMEOUT: {
		bool lock = k == K_LOCK_TIMEOUT;
		long ms;
		if (retort__duration_parse(&ms, value) < 0)
			return retort__error_set(RETORT_ERROR_SCRIPT,
				"%s:%u: %s must be a duration such as 500ms, 5s or 1min (0: no limit), not '%s'",
				p->path, line, lock ? "Lock Timeout" : "Statement Timeout", value);
		*(lock ? &s->lock_timeout_ms : &s->statement_timeout_ms) = ms;
		*(lock ? &s->has_lock_timeout : &s->has_statement_timeout) = true;
		return 0;
	}
	case K_FOREIGN_KEYS: {
		bool on;
		if (retort__parse_bool(&on, value) < 0)
			return retort__error_set(RETORT_ERROR_SCRIPT,
				"%s:%u: Foreign Keys must be on or off, not '%s'", p->path, line, value);
		s->foreign_keys_off = !on;
		return 0;
	}
	}
	return 0;
}

/*
 * The header lines, decoration removed.  The first non-empty line is the
 * message unless it is already a key; lines up to the first empty one
 * continue the message; after that, every non-empty line is a key.
 */
static int parse_header(parser *p, hline *lines, size_t n)
{
	bool in_message = true, have_message = false;
	int error = 0;

	for (size_t i = 0; i < n && !error; i++) {
		const char *text = lines[i].text, *value, *key;
		size_t klen;

		if (!*text) {
			if (have_message)
				in_message = false;
			continue;
		}
		if (split_key(text, &key, &klen, &value)) {
			int k = key_index(key, klen);
			if (k >= 0) {
				in_message = false;
				error = apply_key(p, k, key, klen, value, lines[i].line);
				continue;
			}
			if (!in_message) {
				error = retort__error_set(RETORT_ERROR_SCRIPT,
					"%s:%u: unknown header key '%.*s' (expected Revision ID, Revises, "
					"Create Date, Branch Labels, Depends On, Transactional, Lock Timeout, "
					"Statement Timeout, Foreign Keys or Replaces)",
					p->path, lines[i].line, (int)klen, key);
				continue;
			}
			/* otherwise: a message line that happens to hold a colon */
		}
		if (in_message) {
			if (!have_message)
				p->s->message = keep(p, lines[i].text, strlen(lines[i].text));
			have_message = true;
			continue;
		}
		error = retort__error_set(RETORT_ERROR_SCRIPT,
			"%s:%u: malformed header line '%s' (expected 'Key: value')",
			p->path, lines[i].line, lines[i].text);
	}
	if (!error && !p->s->revision)
		error = retort__error_set(RETORT_ERROR_SCRIPT,
			"%s:1: header has no 'Revision ID:' line", p->path);
	for (size_t i = 0; !error && i < p->s->replaces.len; i++)
		if (!strcmp(p->s->replaces.items[i], p->s->revision))
			error = retort__error_set(RETORT_ERROR_SCRIPT,
				"%s:%u: revision '%s' replaces itself", p->path, p->replaces_line, p->s->revision);
	return error;
}

/* Next line of text: [*pos, *end) without the newline; false at the end. */
static bool next_line(const char *text, size_t len, size_t *pos, size_t *start, size_t *end)
{
	const char *nl;

	if (*pos >= len)
		return false;
	*start = *pos;
	nl = memchr(text + *pos, '\n', len - *pos);
	*end = nl ? (size_t)(nl - text) : len;
	*pos = nl ? *end + 1 : len;
	if (*end > *start && text[*end - 1] == '\r')
		(*end)--;
	return true;
}

/*
 * Header lines are copied into one arena per parse (the header is never
 * longer than the file), trimmed by moving pointers: no allocation per
 * line, which matters when a graph of 10,000 files is read.
 */
typedef struct lines {
	hline *v;
	size_t n, cap;
	char *arena;
	size_t used;
} lines;

static void push_line(lines *ls, const char *s, size_t len, unsigned line)
{
	char *t = ls->arena + ls->used;

	while (len && (*s == ' ' || *s == '\t' || *s == '\r')) {
		s++;
		len--;
	}
	while (len && (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\r'))
		len--;
	memcpy(t, s, len);
	t[len] = '\0';
	ls->used += len + 1;
	if (ls->n == ls->cap) {
		ls->cap = ls->cap ? ls->cap * 2 : 16;
		ls->v = retort__realloc(ls->v, ls->cap * sizeof(*ls->v));
	}
	ls->v[ls->n].text = t;
	ls->v[ls->n].line = line;
	ls->n++;
}

static bool is_marker(const char *s, size_t len, const char *marker)
{
	size_t m = strlen(marker);

	while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	return len == m && !memcmp(s, marker, m);
}

/* Collect the "--" header of a SQL file; *body_pos is where it stops. */
static void sql_header(const char *text, size_t len, lines *ls, size_t *body_pos, unsigned *body_line)
{
	size_t pos = 0, a, b, before = 0;
	unsigned line = 0;

	while ((before = pos, next_line(text, len, &pos, &a, &b))) {
		line++;
		if (b - a >= 2 && text[a] == '-' && text[a + 1] == '-' &&
			!is_marker(text + a, b - a, "-- retort:upgrade") &&
			!is_marker(text + a, b - a, "-- retort:downgrade")) {
			push_line(ls, text + a + 2, b - a - 2, line);
			continue;
		}
		if (ls->n == 0 && a == b)
			continue; /* blank lines before the header */
		pos = before;
		line--;
		break;
	}
	*body_pos = pos;
	*body_line = line;
}

/* Collect the lines of the first comment of a C file. */
static int c_header(parser *p, const char *text, size_t len, lines *ls)
{
	size_t pos = 0, a, b;
	unsigned line = 0;
	bool open = false;

	while (next_line(text, len, &pos, &a, &b)) {
		const char *s = text + a, *e = text + b, *close;

		line++;
		if (!open) {
			while (s < e && (*s == ' ' || *s == '\t'))
				s++;
			if (s == e)
				continue;
			if (e - s < 2 || s[0] != '/' || s[1] != '*')
				return retort__error_set(RETORT_ERROR_SCRIPT,
					"%s:%u: a C revision must start with a /* header comment */", p->path, line);
			open = true;
			s += 2;
		} else {
			while (s < e && (*s == ' ' || *s == '\t'))
				s++;
			if (s < e && *s == '*' && !(e - s >= 2 && s[1] == '/'))
				s++;
		}
		close = NULL;
		for (const char *q = s; q + 1 < e; q++)
			if (q[0] == '*' && q[1] == '/') {
				close = q;
				break;
			}
		push_line(ls, s, (size_t)((close ? close : e) - s), line);
		if (close)
			return 0;
	}
	return retort__error_set(RETORT_ERROR_SCRIPT, "%s:%u: unterminated header comment", p->path, line);
}

/* Split the SQL after the header into its upgrade and downgrade sections. */
static int sql_sections(parser *p, const char *text, size_t len, size_t pos, unsigned line)
{
	retort_script *s = p->s;
	char **cur = NULL;
	size_t a, b, body_start = 0;
	unsigned up_marker = 0;

	for (;;) {
		size_t before = pos;
		bool more = next_line(text, len, &pos, &a, &b);
		bool up = more && is_marker(text + a, b - a, "-- retort:upgrade");
		bool down = more && is_marker(text + a, b - a, "-- retort:downgrade");

		if (more)
			line++;
		if (!more || up || down) {
			if (cur) {
				size_t end = before;
				while (end > body_start && (text[end - 1] == ' ' || text[end - 1] == '\t' ||
					text[end - 1] == '\n' || text[end - 1] == '\r'))
					end--;
				*cur = keep(p, text + body_start, end - body_start);
			}
			if (!more)
				break;
			if ((up && s->upgrade_sql) || (down && s->downgrade_sql))
				return retort__error_set(RETORT_ERROR_SCRIPT,
					"%s:%u: second '%s' section", p->path, line, up ? "-- retort:upgrade" : "-- retort:downgrade");
			cur = up ? &s->upgrade_sql : &s->downgrade_sql;
			*cur = (char *)""; /* marks the section as seen; replaced at its end */
			if (up) {
				s->upgrade_line = line + 1;
				up_marker = line;
			} else {
				s->downgrade_line = line + 1;
			}
			body_start = pos;
			continue;
		}
		if (!cur && a != b) {
			/* Text between the header and the first section would silently not run. */
			size_t i = a;
			while (i < b && (text[i] == ' ' || text[i] == '\t'))
				i++;
			if (i < b && !(b - i >= 2 && text[i] == '-' && text[i + 1] == '-'))
				return retort__error_set(RETORT_ERROR_SCRIPT,
					"%s:%u: SQL before the '-- retort:upgrade' line", p->path, line);
		}
	}
	(void)up_marker;
	if (!s->upgrade_sql)
		return retort__error_set(RETORT_ERROR_SCRIPT,
			"%s:%u: no '-- retort:upgrade' section", p->path, line ? line : 1);
	s->has_downgrade = s->downgrade_sql != NULL;
	return 0;
}

/* A C revision is reversible when it defines downgrade(...) (a heuristic the compiler confirms). */
static bool c_defines_downgrade(const char *text, size_t len)
{
	const char *end = text + len, *q = text;

	for (; q + 9 <= end; q++) {
		if (memcmp(q, "downgrade", 9))
			continue;
		const char *r = q + 9;
		bool word_start = q == text || !(q[-1] == '_' || (q[-1] >= 'a' && q[-1] <= 'z') ||
			(q[-1] >= 'A' && q[-1] <= 'Z') || (q[-1] >= '0' && q[-1] <= '9'));
		while (r < end && (*r == ' ' || *r == '\t'))
			r++;
		if (word_start && r < end && *r == '(' && q >= text + 4 && !memcmp(q - 4, "int", 3))
			return true;
	}
	return false;
}

int retort_script_parse(retort_script **out, const char *path, const char *text, size_t len)
{
	int error = retort__script_parse_take(out, retort__strdup(path), text, len);

	/* The path may not be a file (lint names git blobs "commit:path"): these bytes are the script. */
	if (error == 0) {
		retort_script_sha256((*out)->checksum_, text, len);
		(*out)->sql_read_ = true;
	}
	return error;
}

const char *retort_script_checksum(const retort_script *script)
{
	/* A cache filled on first use: the script is logically unchanged. */
	retort_script *s = (retort_script *)script;
	char *text = NULL;
	size_t len = 0;

	if (s->checksum_[0])
		return s->checksum_;
	if (retort__file_read(&text, &len, s->path) < 0) {
		retort__error_prefix("cannot checksum revision '%s'", s->revision);
		return NULL;
	}
	retort_script_sha256(s->checksum_, text, len);
	free(text);
	return s->checksum_;
}

int retort__script_parse_take(retort_script **out, char *path, const char *text, size_t len)
{
	retort_script *s = retort__calloc(1, sizeof(*s));
	parser p = { path, s, { false }, 0, 0, len + 64 };
	lines ls = { NULL, 0, 0, NULL, 0 };
	size_t body_pos = 0;
	unsigned body_line = 0;
	int error;

	*out = NULL;
	s->path = path; /* freed with the script, also on error */
	s->format = retort__ends_with(path, ".c") ? RETORT_SCRIPT_C : RETORT_SCRIPT_SQL;
	s->transactional = true;

	ls.arena = retort__malloc(len + 16);
	s->arena_ = retort__malloc(p.cap); /* never reallocated: strings point into it */
	if (memchr(text, '\0', len)) {
		error = retort__error_set(RETORT_ERROR_SCRIPT, "%s:1: file contains a NUL byte", path);
		goto done;
	}
	if (s->format == RETORT_SCRIPT_C) {
		if ((error = c_header(&p, text, len, &ls)) < 0)
			goto done;
	} else {
		sql_header(text, len, &ls, &body_pos, &body_line);
		if (ls.n == 0) {
			error = retort__error_set(RETORT_ERROR_SCRIPT,
				"%s:1: no '-- ' header comment with a 'Revision ID:' line", path);
			goto done;
		}
	}
	if ((error = parse_header(&p, ls.v, ls.n)) < 0)
		goto done;
	if (!s->message)
		s->message = keep(&p, "", 0);
	if (s->format == RETORT_SCRIPT_SQL)
		error = sql_sections(&p, text, len, body_pos, body_line);
	else
		s->has_downgrade = c_defines_downgrade(text, len);

done:
	free(ls.v);
	free(ls.arena);
	if (error < 0)
		retort_script_free(s);
	else
		*out = s;
	return error;
}

/* Whether every header field, and so everything the graph used, is the same. */
static bool same_header(const retort_script *a, const retort_script *b)
{
	return a->format == b->format && strcmp(a->revision, b->revision) == 0 &&
		retort__strvec_equal(&a->revises, &b->revises) &&
		retort__strvec_equal(&a->branch_labels, &b->branch_labels) &&
		retort__strvec_equal(&a->depends_on, &b->depends_on) &&
		retort__strvec_equal(&a->replaces, &b->replaces) &&
		retort__streq(a->message, b->message) && retort__streq(a->create_date, b->create_date) &&
		a->transactional == b->transactional &&
		a->foreign_keys_off == b->foreign_keys_off && a->has_downgrade == b->has_downgrade &&
		a->header_line == b->header_line;
}

int retort_script_read_sql(const retort_script *script)
{
	/* Filled on first use, like the checksum: the script is logically unchanged. */
	retort_script *s = (retort_script *)script, *now = NULL;
	char *text = NULL, sum[65];
	size_t len = 0;
	bool same;
	int error;

	if (s->sql_read_)
		return 0;
	if ((error = retort__file_read(&text, &len, s->path)) < 0) {
		retort__error_prefix("cannot read revision '%s'", s->revision);
		return error;
	}
	retort_script_sha256(sum, text, len);
	error = retort__script_parse_take(&now, retort__strdup(s->path), text, len);
	free(text);
	if (error < 0)
		return error;
	same = same_header(s, now);
	if (s->cached_ && !same) {
		/*
		 * The cache vouched for a header the file does not have: nothing
		 * it says can be trusted now.  Drop all of it; the next load
		 * parses every file.
		 */
		retort_script_free(now);
		retort__scriptcache_discard_all();
		return retort__error_set(RETORT_ERROR_SCRIPT,
			"%s:%u: the header differs from the one the revision graph was built from "
			"(the header cache was out of date, and has been removed); run the command again",
			s->path, s->header_line ? s->header_line : 1);
	}
	if (!same || (s->checksum_[0] && strcmp(s->checksum_, sum) != 0)) {
		retort_script_free(now);
		return retort__error_set(RETORT_ERROR_SCRIPT,
			"%s:%u: the file changed while retort was running; run the command again",
			s->path, s->header_line ? s->header_line : 1);
	}
	/* The bodies point into the fresh parse's arena: keep that arena. */
	s->upgrade_sql = now->upgrade_sql;
	s->upgrade_line = now->upgrade_line;
	s->downgrade_sql = now->downgrade_sql;
	s->downgrade_line = now->downgrade_line;
	/* What runs: the timeouts come with the bodies (the header cache does not keep them). */
	s->has_lock_timeout = now->has_lock_timeout;
	s->lock_timeout_ms = now->lock_timeout_ms;
	s->has_statement_timeout = now->has_statement_timeout;
	s->statement_timeout_ms = now->statement_timeout_ms;
	s->sql_arena_ = now->arena_;
	now->arena_ = NULL;
	memcpy(s->checksum_, sum, sizeof(sum));
	s->sql_read_ = true;
	retort_script_free(now);
	return 0;
}

bool retort_script_is_revision_file(const char *name)
{
	return name[0] != '.' && (retort__ends_with(name, ".sql") || retort__ends_with(name, ".c"));
}
