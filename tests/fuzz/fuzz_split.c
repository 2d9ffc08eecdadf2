/*
 * fuzz_split.c - both dialects' lexers, the statement splitter and the
 * classifier (sql.h), the dialects' split entry points, the reader of
 * SQLite's CREATE TABLE and CREATE INDEX texts that reflection and every
 * SQLite rebuild depend on, and offline parameter inlining on arbitrary
 * bytes.
 *
 * Beyond "never crash":
 * - the lexers read exactly the bytes given (the input is not
 *   NUL-terminated) and their tokens cover it in order, each with the line
 *   of its first byte, counted independently here;
 * - every statement lies inside the input, after the previous one, and
 *   its line is the line of its first token that is not blank;
 * - SQLite's statement ends are sqlite3_complete's: the text up to a
 *   statement's ';' is complete, and up to a ';' inside it is not;
 * - where libpg_query's parser accepts the input, PostgreSQL's statements
 *   start where the parser's do.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <pg_query.h>
#include <sqlite3.h>

#include "base/common.h"
#include "run/ctx.h"
#include "dialect/db.h"
#include "schema/sqlparse.h"
#include "sql/sql.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static unsigned lines_before(const char *s, size_t at)
{
	unsigned n = 1;

	for (size_t i = 0; i < at; i++)
		n += s[i] == '\n';
	return n;
}

static void check_tokens(const char *s, size_t len, const retort_sql_token *t, size_t n)
{
	size_t at = 0;

	for (size_t i = 0; i < n; i++) {
		if (t[i].offset != at || t[i].len == 0 || t[i].kind < RETORT_SQL_SPACE ||
		    t[i].kind > RETORT_SQL_ERROR || t[i].line != lines_before(s, at) ||
		    (t[i].unterminated && t[i].offset + t[i].len != len))
			abort();
		at += t[i].len;
	}
	if (at != len)
		abort();
}

static void check_script(const retort_sql_script *s)
{
	size_t end = 0;

	check_tokens(s->text, s->len, s->tokens, s->ntokens);
	for (size_t i = 0; i < s->nstmts; i++) {
		const retort_sql_stmt *st = &s->stmts[i];
		size_t first = st->token;
		if (st->offset < end || st->offset + st->len > s->len || st->ntokens == 0 ||
		    st->token + st->ntokens > s->ntokens || s->tokens[st->token].offset != st->offset)
			abort();
		while (retort_sql_blank(&s->tokens[first]))
			first++;
		if (first >= st->token + st->ntokens || s->tokens[first].line != st->line)
			abort();
		if (st->cls.command_token < st->token || st->cls.command_token > st->token + st->ntokens ||
		    strlen(st->cls.command) >= sizeof(st->cls.command))
			abort();
		end = st->offset + st->len;
	}
	if (s->error && (s->error_offset > s->len || s->error_line != lines_before(s->text, s->error_offset)))
		abort();
}

/*
 * sqlite3_complete on text[from, to], with '\v' read as a space:
 * sqlite3_complete alone takes it for a token, SQLite's tokenizer (and so
 * sqlite3_prepare_v2) for whitespace.
 */
static bool complete(const char *text, size_t from, size_t to)
{
	char *piece = retort__strndup(text + from, to - from + 1);
	bool ok;

	for (char *p = piece; *p; p++)
		if (*p == '\v')
			*p = ' ';
	ok = sqlite3_complete(piece) != 0;
	free(piece);
	return ok;
}

/*
 * sqlite3_complete reads ":end" or "@end" as punctuation and a keyword,
 * and "$a(x;y)" as a name and more, where SQLite's tokenizer sees one
 * parameter: text with such a token is no test of the splitter.
 */
static bool complete_differs(const retort_sql_script *s, size_t from, size_t to)
{
	for (size_t i = from; i < to; i++) {
		const retort_sql_token *t = &s->tokens[i];
		char c = s->text[t->offset];
		if ((t->kind == RETORT_SQL_PARAM || t->kind == RETORT_SQL_ERROR) && t->len > 1 &&
		    (strchr(":@#", c) || (c == '$' && memchr(s->text + t->offset, '(', t->len))))
			return true;
	}
	return false;
}

/* Each statement ends where sqlite3_complete first says the text since the last end is complete. */
static void check_sqlite_ends(const retort_sql_script *s)
{
	size_t start = 0, start_tok = 0, next = 0;

	for (size_t i = 0; i < s->ntokens; i++) {
		const retort_sql_token *t = &s->tokens[i];
		bool ends, blank = true;
		if (t->kind != RETORT_SQL_OP || s->text[t->offset] != ';')
			continue;
		/* is this ';' the end of the next statement the splitter reported? */
		while (next < s->nstmts && s->stmts[next].offset + s->stmts[next].len < t->offset)
			next++;
		ends = next < s->nstmts && s->stmts[next].offset + s->stmts[next].len == t->offset;
		for (size_t k = start_tok; k < i; k++)
			blank = blank && retort_sql_blank(&s->tokens[k]);
		/* a ';' after blanks only ends no statement the splitter reports, and completes for SQLite */
		if (!complete_differs(s, start_tok, i) && complete(s->text, start, t->offset) != (ends || blank))
			abort();
		if (ends || blank) {
			start = t->offset + 1;
			start_tok = i + 1;
		}
	}
}

static size_t first_token(const retort_sql_script *s, const retort_sql_stmt *st)
{
	size_t i = st->token;

	while (retort_sql_blank(&s->tokens[i]))
		i++;
	return s->tokens[i].offset;
}

static void check_pg_starts(const retort_sql_script *s, const char *text)
{
	PgQuerySplitResult r = pg_query_split_with_parser(text);
	size_t n = 0;

	if (r.error || s->error) {
		pg_query_free_split_result(r);
		return;
	}
	for (int i = 0; i < r.n_stmts; i++) {
		size_t at = (size_t)r.stmts[i]->stmt_location, len = (size_t)r.stmts[i]->stmt_len;
		size_t first;
		if (at > s->len || len > s->len - at)
			abort();
		first = at + retort_sql_skip_blank(RETORT_DIALECT_POSTGRES, text + at, len ? len : s->len - at, NULL);
		if (first >= (len ? at + len : s->len))
			continue; /* nothing but blanks */
		if (n >= s->nstmts || first_token(s, &s->stmts[n]) != first)
			abort();
		n++;
	}
	if (n != s->nstmts)
		abort();
	pg_query_free_split_result(r);
}

static void check_dialect(retort_dialect_id d, const uint8_t *data, size_t size, const char *text)
{
	retort_sql_script *s = NULL;

	/* the raw bytes, NULs and all, with nothing readable past them */
	if (retort_sql_script_read(&s, d, (const char *)data, size) < 0)
		abort();
	check_script(s);
	retort_sql_script_free(s);

	if (retort_sql_script_read(&s, d, text, strlen(text)) < 0)
		abort();
	check_script(s);
	if (d == RETORT_DIALECT_SQLITE)
		check_sqlite_ends(s);
	else
		check_pg_starts(s, text);
	retort_sql_script_free(s);
}

typedef struct seen {
	retort_dialect_id dialect;
	const char *input;
	size_t len;
	const char *last_end;
} seen;

static int check_stmt(const char *sql, size_t len, unsigned line, void *payload)
{
	seen *s = payload;
	size_t first;

	if (sql < s->last_end || sql + len > s->input + s->len || len == 0)
		abort();
	first = retort_sql_skip_blank(s->dialect, sql, len, NULL);
	if (first >= len || line != lines_before(s->input, (size_t)(sql - s->input) + first))
		abort();
	s->last_end = sql + len;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = retort__strndup((const char *)data, size);
	const retort_dialect *sq = retort_dialect_for(RETORT_DIALECT_SQLITE);
	const retort_dialect *pg = retort_dialect_for(RETORT_DIALECT_POSTGRES);
	const char *params[] = { "x'y", NULL, "\\" };
	retort_buf out = RETORT_BUF_INIT;
	retort__lite_tabledef def;
	retort_vec keys = RETORT_VEC_INIT;
	char *where = NULL;
	seen s;

	check_dialect(RETORT_DIALECT_SQLITE, data, size, text);
	check_dialect(RETORT_DIALECT_POSTGRES, data, size, text);

	s = (seen){ RETORT_DIALECT_SQLITE, text, strlen(text), text };
	sq->split(text, check_stmt, &s);
	s = (seen){ RETORT_DIALECT_POSTGRES, text, strlen(text), text };
	pg->split(text, check_stmt, &s);

	retort__ctx_inline_params(&out, sq, text, 3, params);
	retort_buf_clear(&out);
	retort__ctx_inline_params(&out, pg, text, 3, params);
	retort_buf_dispose(&out);

	/* Whatever the text, the reader skips what it does not know and never fails. */
	retort__sqlparse_parse_table(&def, text);
	retort__sqlparse_tabledef_dispose(&def);
	retort__sqlparse_parse_index(&keys, &where, text);
	retort_vec_dispose(&keys, true);
	free(where);
	free(text);
	return 0;
}
