/*
 * lex_pg.c - the PostgreSQL lexer: libpg_query's scanner (PostgreSQL's
 * own, so dollar quoting, E'' escapes, U&"" identifiers and nested
 * comments are right), and libpg_query's parser for parse trees.
 *
 * pg_query_scan answers in protobuf.  Its two messages are small and
 * stable (ScanResult: 1 version, 2 repeated ScanToken; ScanToken: 1 start,
 * 2 end, 4 token, 5 keyword_kind), so they are decoded here rather than
 * through protobuf-c's headers, which are not installed with libpg_query.
 * The token numbers below are libpg_query's Token enum; keywords are known
 * by their keyword_kind, so nothing depends on the keyword list.
 *
 * Two repairs make the scanner's answer cover the text: the scanner
 * reports no whitespace (the gaps are whitespace tokens here), and for
 * U&'' strings and U&"" identifiers it reports a wrong end (the token is
 * stretched over the text up to the next token).  When the scanner stops
 * at an error, the text before it is scanned alone and the text from it
 * becomes one token: an unterminated quote or comment to the end, other
 * junk ("1abc", "$1x") up to the next whitespace, after which scanning
 * goes on.  The first error is kept for the splitter to report.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <pg_query.h>

#include "base/common.h"
#include "sql/sql_int.h"

/* libpg_query's Token numbers (pg_query.proto), below its first keyword. */
enum {
	PGT_IDENT = 258, PGT_UIDENT = 259, PGT_FCONST = 260, PGT_SCONST = 261, PGT_USCONST = 262,
	PGT_BCONST = 263, PGT_XCONST = 264, PGT_OP = 265, PGT_ICONST = 266, PGT_PARAM = 267,
	PGT_SQL_COMMENT = 275, PGT_C_COMMENT = 276,
};

/* More scanner restarts than this (one per error) and the rest of the text is one error token. */
#define MAX_RESTARTS 256

typedef struct pbuf {
	const uint8_t *p, *end;
} pbuf;

static bool varint(pbuf *b, uint64_t *v)
{
	*v = 0;
	for (unsigned shift = 0; shift < 64 && b->p < b->end; shift += 7) {
		uint8_t byte = *b->p++;
		*v |= (uint64_t)(byte & 0x7f) << shift;
		if (!(byte & 0x80))
			return true;
	}
	return false;
}

/* Skip a field of wire type `wt` (its key already read). */
static bool skip_field(pbuf *b, unsigned wt)
{
	uint64_t v;

	switch (wt) {
	case 0:
		return varint(b, &v);
	case 1:
		if (b->end - b->p < 8)
			return false;
		b->p += 8;
		return true;
	case 2:
		if (!varint(b, &v) || v > (uint64_t)(b->end - b->p))
			return false;
		b->p += v;
		return true;
	case 5:
		if (b->end - b->p < 4)
			return false;
		b->p += 4;
		return true;
	default:
		return false;
	}
}

typedef struct scan_tok {
	uint64_t start, end, token, keyword;
} scan_tok;

static bool decode_token(scan_tok *t, pbuf b)
{
	memset(t, 0, sizeof(*t));
	while (b.p < b.end) {
		uint64_t key, v;
		if (!varint(&b, &key))
			return false;
		if ((key & 7) != 0) {
			if (!skip_field(&b, (unsigned)(key & 7)))
				return false;
			continue;
		}
		if (!varint(&b, &v))
			return false;
		switch (key >> 3) {
		case 1: t->start = v; break;
		case 2: t->end = v; break;
		case 4: t->token = v; break;
		case 5: t->keyword = v; break;
		default: break;
		}
	}
	return true;
}

static retort_sql_kind kind_of(const scan_tok *t, const char *s)
{
	if (t->keyword)
		return RETORT_SQL_WORD;
	switch (t->token) {
	case PGT_IDENT:
		/* "x" is an IDENT to the scanner, as a bare name is */
		return s[t->start] == '"' ? RETORT_SQL_QUOTED : RETORT_SQL_WORD;
	case PGT_UIDENT:
		return RETORT_SQL_QUOTED;
	case PGT_SCONST: case PGT_USCONST: case PGT_BCONST: case PGT_XCONST:
		return RETORT_SQL_STRING;
	case PGT_ICONST: case PGT_FCONST:
		return RETORT_SQL_NUMBER;
	case PGT_PARAM:
		return RETORT_SQL_PARAM;
	case PGT_SQL_COMMENT: case PGT_C_COMMENT:
		return RETORT_SQL_COMMENT;
	default:
		return RETORT_SQL_OP;
	}
}

static bool is_space(unsigned char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}

/* Fill s[from, to) with whitespace tokens, and error tokens for anything else there. */
static void gap(retort__tokvec *tv, const char *s, size_t base, size_t from, size_t to)
{
	for (size_t i = from, j; i < to; i = j) {
		bool space = is_space((unsigned char)s[i]);
		for (j = i; j < to && is_space((unsigned char)s[j]) == space; j++)
			;
		retort__tokvec_push(tv, space ? RETORT_SQL_SPACE : RETORT_SQL_ERROR, base + i, base + j, false);
	}
}

/* Decode a ScanResult into *out (caller frees); false when it is not one. */
static bool decode_scan(scan_tok **out, size_t *nout, const PgQueryProtobuf *pb)
{
	pbuf b = { (const uint8_t *)pb->data, (const uint8_t *)pb->data + pb->len };
	scan_tok *v = NULL;
	size_t n = 0, cap = 0;

	while (b.p < b.end) {
		uint64_t key, len;
		if (!varint(&b, &key))
			goto bad;
		if ((key >> 3) != 2 || (key & 7) != 2) {
			if (!skip_field(&b, (unsigned)(key & 7)))
				goto bad;
			continue;
		}
		if (!varint(&b, &len) || len > (uint64_t)(b.end - b.p))
			goto bad;
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			v = retort__realloc(v, cap * sizeof(*v));
		}
		if (!decode_token(&v[n++], (pbuf){ b.p, b.p + len }))
			goto bad;
		b.p += len;
	}
	*out = v;
	*nout = n;
	return true;
bad:
	free(v);
	return false;
}

/*
 * Append the tokens of one clean scan of s[0, n), offsets moved by
 * `base`.  False (nothing appended) when the answer does not fit the text.
 */
static bool append_scan(retort__tokvec *tv, const PgQueryProtobuf *pb, const char *s, size_t n, size_t base)
{
	scan_tok *t = NULL;
	size_t nt = 0, mark = tv->len, at = 0;

	if (!decode_scan(&t, &nt, pb))
		return false;
	for (size_t i = 0; i < nt; i++) {
		size_t start = (size_t)t[i].start, end = (size_t)t[i].end;
		size_t next = i + 1 < nt ? (size_t)t[i + 1].start : n, last;
		if (t[i].start >= n || start < at || next < start) {
			tv->len = mark;
			free(t);
			return false;
		}
		if (t[i].end > next || end < start)
			end = start;
		/* The scanner's end is short for U&'' and U&"": stretch over the non-blank text that follows. */
		for (last = next; last > end && is_space((unsigned char)s[last - 1]); last--)
			;
		if (last > end)
			end = last;
		gap(tv, s, base, at, start);
		retort__tokvec_push(tv, kind_of(&t[i], s), base + start, base + end, false);
		at = end;
	}
	gap(tv, s, base, at, n);
	free(t);
	return true;
}

/*
 * Byte offset of libpg_query's 1-based character position `pos`.  It
 * counts characters by their UTF-8 lead bytes without checking what
 * follows (pg_mbstrlen_with_len), and so does this.  When the last
 * character counted is a lead byte followed by bytes that do not continue
 * it, the scanner, which reads bytes, started its token at the first of
 * those.
 */
static size_t char_to_byte(const char *s, size_t len, long pos)
{
	size_t i = 0, last = 0;

	for (long c = 1; i < len && c < pos; c++) {
		unsigned char b = (unsigned char)s[i];
		last = i;
		i += b < 0x80 ? 1 : (b & 0xe0) == 0xc0 ? 2 : (b & 0xf0) == 0xe0 ? 3 : (b & 0xf8) == 0xf0 ? 4 : 1;
	}
	for (size_t k = last + 1; k < i && k < len; k++)
		if (((unsigned char)s[k] & 0xC0) != 0x80)
			return k;
	return i < len ? i : len;
}

/* What a quote or comment the text ends inside is, from how it opens. */
static retort_sql_kind opener_kind(const char *s, size_t n)
{
	if (n >= 2 && s[0] == '/' && s[1] == '*')
		return RETORT_SQL_COMMENT;
	if (s[0] == '"' || (n >= 3 && (s[0] == 'U' || s[0] == 'u') && s[1] == '&' && s[2] == '"'))
		return RETORT_SQL_QUOTED;
	return RETORT_SQL_STRING;
}

typedef struct lexer {
	retort__tokvec *tv;
	const char *s;
	size_t len;
	char **error;
	size_t *error_offset;
	int restarts;
} lexer;

static void lex_range(lexer *lx, size_t from, size_t to);

/*
 * The scanner, given s[from, to), stopped at s[at] with `message`: what it
 * scanned before is lexed alone, and s[at] starts one token.  A quote or
 * comment left open runs to `end`, the end of the range being lexed: to
 * the end of the text it is unterminated; when only a prefix is being
 * lexed again (the error's place was approximate), it is an error token.
 * Returns where lexing goes on.
 */
static size_t after_error(lexer *lx, size_t from, size_t at, size_t to, size_t end, const char *message)
{
	size_t j;

	/* An error placed at the very end can only be a misplaced one: never rescan the same text. */
	if (at >= to)
		at = from;
	if (at > from)
		lex_range(lx, from, at);
	if (!*lx->error) {
		*lx->error = retort__strdup(message);
		*lx->error_offset = at;
	}
	if (retort__starts_with(message, "unterminated")) {
		if (end == lx->len)
			retort__tokvec_push(lx->tv, opener_kind(lx->s + at, to - at), at, end, true);
		else
			retort__tokvec_push(lx->tv, RETORT_SQL_ERROR, at, end, false);
		return end;
	}
	/* "1abc", "$1x", a bad escape: up to a blank or a character that separates statements */
	for (j = at; j < to && !is_space((unsigned char)lx->s[j]) && !strchr("(),;", lx->s[j]); j++)
		;
	if (j == at)
		j = at + 1;
	retort__tokvec_push(lx->tv, RETORT_SQL_ERROR, at, j, false);
	return j;
}

static void lex_range(lexer *lx, size_t from, size_t to)
{
	while (from < to) {
		size_t n = strnlen(lx->s + from, to - from);
		char *copy;
		PgQueryScanResult r;

		if (n == 0) { /* a NUL byte ends C strings, not our text */
			retort__tokvec_push(lx->tv, RETORT_SQL_ERROR, from, from + 1, false);
			from++;
			continue;
		}
		if (++lx->restarts > MAX_RESTARTS) {
			retort__tokvec_push(lx->tv, RETORT_SQL_ERROR, from, to, false);
			return;
		}
		copy = retort__strndup(lx->s + from, n);
		r = pg_query_scan(copy);
		if (r.error) {
			size_t at = from + char_to_byte(copy, n, r.error->cursorpos);
			char *message = retort__strdup(r.error->message ? r.error->message : "syntax error");
			pg_query_free_scan_result(r);
			free(copy);
			from = after_error(lx, from, at, from + n, to, message);
			free(message);
			continue;
		}
		if (!append_scan(lx->tv, &r.pbuf, lx->s + from, n, from))
			retort__tokvec_push(lx->tv, RETORT_SQL_ERROR, from, from + n, false);
		pg_query_free_scan_result(r);
		free(copy);
		from += n;
	}
}

void retort__pg_lex(retort__tokvec *tv, const char *s, size_t n, char **error, size_t *error_offset)
{
	lexer lx = { tv, s, n, error, error_offset, 0 };

	*error = NULL;
	*error_offset = 0;
	lex_range(&lx, 0, n);
}

int retort_sql_pg_parse(json_t **out, const char *sql, size_t len)
{
	char *copy = retort__strndup(sql, len);
	PgQueryParseResult r = pg_query_parse(copy);
	json_error_t jerr;
	int error = 0;

	*out = NULL;
	if (r.error) {
		size_t at = char_to_byte(copy, strlen(copy), r.error->cursorpos);
		error = retort__error_set(RETORT_ERROR_SCRIPT, "line %u: %s",
			1 + retort_sql_newlines(copy, at), r.error->message);
	} else if (!(*out = json_loads(r.parse_tree, 0, &jerr))) {
		error = retort__error_set(RETORT_ERROR_INTERNAL, "cannot read libpg_query's parse tree: %s", jerr.text);
	}
	pg_query_free_parse_result(r);
	free(copy);
	return error;
}
