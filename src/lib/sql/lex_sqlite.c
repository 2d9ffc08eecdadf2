/*
 * lex_sqlite.c - the SQLite lexer: one token at a time, by the rules of
 * SQLite's own tokenizer, so that every module reading SQLite text sees
 * the tokens SQLite will see.
 *
 * The rules, as SQLite applies them: identifiers are letters, digits, '_',
 * '$' and any byte >= 0x80, not starting with a digit or '$'; "x" and `x`
 * (doubled quote inside) and [x] (no escape) are quoted identifiers; 'x'
 * ('' inside) is a string and x'0a' a blob; "--" runs to the end of the
 * line, "/" "*" to the first "*" "/" (no nesting), and is a plain '/' when
 * nothing follows the '*'; numbers are decimal with optional fraction and
 * exponent, or 0x hex, and identifier bytes glued to one make it illegal;
 * parameters are ?, ?NNN, and :name @name #name $name (with Tcl's "::"
 * and "(...)" suffixes).  What SQLite calls illegal is RETORT_SQL_ERROR
 * here, except a quote the text ends inside, which keeps its kind and is
 * marked unterminated.
 *
 * This file knows nothing of statements: split.c and classify.c build on
 * it.
 */
#include <string.h>

#include "sql/sql_int.h"

static bool is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

static bool is_xdigit(unsigned char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static bool is_alpha(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool id_char(unsigned char c)
{
	return is_alpha(c) || is_digit(c) || c == '_' || c == '$' || c >= 0x80;
}

/* SQLite's whitespace: the C locale's, vertical tab included. */
static bool is_space(unsigned char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}

/* The byte at s[i], or 0 past the end (the end reads as a NUL, as in SQLite). */
#define AT(i) ((i) < n ? (unsigned char)s[i] : 0)

/* 'x', "x", `x`: a doubled delimiter stays inside. */
static size_t quoted(const char *s, size_t n, size_t i, retort_sql_kind *kind, bool *unterminated)
{
	char delim = s[i];

	*kind = delim == '\'' ? RETORT_SQL_STRING : RETORT_SQL_QUOTED;
	for (i++; i < n; i++) {
		if (s[i] != delim)
			continue;
		if (AT(i + 1) == (unsigned char)delim) {
			i++;
			continue;
		}
		return i + 1;
	}
	*unterminated = true;
	return n;
}

static size_t number(const char *s, size_t n, size_t i, retort_sql_kind *kind)
{
	*kind = RETORT_SQL_NUMBER;
	if (AT(i) == '0' && (AT(i + 1) == 'x' || AT(i + 1) == 'X') && is_xdigit(AT(i + 2))) {
		for (i += 3; is_xdigit(AT(i)); i++)
			;
		return i;
	}
	while (is_digit(AT(i)))
		i++;
	if (AT(i) == '.')
		for (i++; is_digit(AT(i)); i++)
			;
	if ((AT(i) == 'e' || AT(i) == 'E') &&
	    (is_digit(AT(i + 1)) || ((AT(i + 1) == '+' || AT(i + 1) == '-') && is_digit(AT(i + 2)))))
		for (i += 2; is_digit(AT(i)); i++)
			;
	/* "12abc" is one illegal token to SQLite, not a number and a name. */
	while (id_char(AT(i))) {
		*kind = RETORT_SQL_ERROR;
		i++;
	}
	return i;
}

/* :name @name #name $name, with Tcl's "a::b" and "a(x)" forms; illegal without a name. */
static size_t named_param(const char *s, size_t n, size_t i, retort_sql_kind *kind)
{
	size_t start = i, names = 0;

	*kind = RETORT_SQL_PARAM;
	for (i = start + 1; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (id_char(c)) {
			names++;
		} else if (c == '(' && names > 0) {
			for (i++; i < n && !is_space((unsigned char)s[i]) && s[i] != ')'; i++)
				;
			if (i < n && s[i] == ')')
				i++;
			else
				*kind = RETORT_SQL_ERROR;
			break;
		} else if (c == ':' && AT(i + 1) == ':') {
			i++;
		} else {
			break;
		}
	}
	if (names == 0)
		*kind = RETORT_SQL_ERROR;
	return i;
}

/* x'0a1b': an even number of hex digits; anything else is illegal up to the next quote. */
static size_t blob(const char *s, size_t n, size_t i, retort_sql_kind *kind, bool *unterminated)
{
	size_t j = i + 2;

	*kind = RETORT_SQL_STRING;
	while (is_xdigit(AT(j)))
		j++;
	if (AT(j) != '\'' || (j - i - 2) % 2) {
		*kind = RETORT_SQL_ERROR;
		while (j < n && s[j] != '\'')
			j++;
	}
	if (j < n)
		return j + 1;
	*unterminated = true;
	return n;
}

/* Operators and punctuation; 0 when s[i] is none. */
static size_t operator(const char *s, size_t n, size_t i)
{
	unsigned char c = AT(i), d = AT(i + 1);

	switch (c) {
	case '(': case ')': case ';': case '+': case '*': case '%': case ',': case '&': case '~': case '/':
		return 1;
	case '-': /* "->" and "->>" are JSON operators */
		return d == '>' ? (AT(i + 2) == '>' ? 3 : 2) : 1;
	case '=':
		return d == '=' ? 2 : 1;
	case '<':
		return d == '=' || d == '>' || d == '<' ? 2 : 1;
	case '>':
		return d == '=' || d == '>' ? 2 : 1;
	case '!':
		return d == '=' ? 2 : 0;
	case '|':
		return d == '|' ? 2 : 1;
	case '.':
		return 1;
	default:
		return 0;
	}
}

size_t retort__sqlite_token(const char *s, size_t n, size_t i, retort_sql_kind *kind, bool *unterminated)
{
	unsigned char c = (unsigned char)s[i];
	size_t len;

	*unterminated = false;
	if (is_space(c)) {
		*kind = RETORT_SQL_SPACE;
		while (is_space(AT(i)))
			i++;
		return i;
	}
	if (c == '-' && AT(i + 1) == '-') {
		const char *nl = memchr(s + i, '\n', n - i);
		*kind = RETORT_SQL_COMMENT;
		return nl ? (size_t)(nl - s) : n;
	}
	/* "/" "*" with nothing after the '*' is a slash and a star to SQLite. */
	if (c == '/' && AT(i + 1) == '*' && i + 2 < n) {
		*kind = RETORT_SQL_COMMENT;
		for (i += 3; i < n; i++)
			if (s[i] == '/' && s[i - 1] == '*')
				return i + 1;
		*unterminated = true;
		return n;
	}
	if (c == '\'' || c == '"' || c == '`')
		return quoted(s, n, i, kind, unterminated);
	if (c == '[') {
		const char *close = memchr(s + i, ']', n - i);
		*kind = RETORT_SQL_QUOTED;
		if (close)
			return (size_t)(close - s) + 1;
		*unterminated = true;
		return n;
	}
	if (is_digit(c) || (c == '.' && is_digit(AT(i + 1))))
		return number(s, n, i, kind);
	if (c == '?') {
		*kind = RETORT_SQL_PARAM;
		for (i++; is_digit(AT(i)); i++)
			;
		return i;
	}
	if (c == '$' || c == '@' || c == ':' || c == '#')
		return named_param(s, n, i, kind);
	if ((c == 'x' || c == 'X') && AT(i + 1) == '\'')
		return blob(s, n, i, kind, unterminated);
	if (is_alpha(c) || c == '_' || c >= 0x80) {
		*kind = RETORT_SQL_WORD;
		while (id_char(AT(i)))
			i++;
		return i;
	}
	if ((len = operator(s, n, i)) > 0) {
		*kind = RETORT_SQL_OP;
		return i + len;
	}
	*kind = RETORT_SQL_ERROR;
	return i + 1;
}
