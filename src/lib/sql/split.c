/*
 * split.c - from text to tokens to statements, for both dialects (see
 * sql.h).
 *
 * A statement ends at a ';' token, except where the dialect says the ';'
 * is inside it:
 * - SQLite: in CREATE [TEMP] TRIGGER, a ';' ends the statement only after
 *   "END" that itself follows a ';' (the rule sqlite3_complete applies, so
 *   these boundaries are the ones sqlite3_prepare_v2 finds).
 * - PostgreSQL: inside parentheses (CREATE RULE ... (a; b)), and in
 *   CREATE [OR REPLACE] FUNCTION|PROCEDURE between BEGIN ATOMIC and its
 *   END, with CASE ... END counted inside (a SQL-standard body), the rule
 *   psql applies, except that psql counts any BEGIN.
 * Text between two ';' that is only blanks is no statement.  This file does
 * not lex (lex_sqlite.c, lex_pg.c) or classify (classify.c).
 */
#include <stdlib.h>
#include <string.h>

#include "base/common.h"
#include "sql/sql_int.h"

void retort__tokvec_push(retort__tokvec *tv, retort_sql_kind kind, size_t offset, size_t end,
	bool unterminated)
{
	if (tv->len == tv->cap) {
		tv->cap = tv->cap ? tv->cap * 2 : 64;
		tv->v = retort__realloc(tv->v, tv->cap * sizeof(*tv->v));
	}
	tv->v[tv->len++] = (retort_sql_token){ kind, unterminated, offset, end - offset, 0 };
}

unsigned retort_sql_newlines(const char *p, size_t len)
{
	unsigned n = 0;
	const char *end = p + len;

	while ((p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
		n++;
		p++;
	}
	return n;
}

static void set_lines(retort__tokvec *tv, const char *sql)
{
	unsigned line = 1;

	for (size_t i = 0; i < tv->len; i++) {
		tv->v[i].line = line;
		line += retort_sql_newlines(sql + tv->v[i].offset, tv->v[i].len);
	}
}

static void lex(retort__tokvec *tv, retort_dialect_id dialect, const char *sql, size_t len,
	char **error, size_t *error_offset)
{
	*error = NULL;
	*error_offset = 0;
	if (dialect == RETORT_DIALECT_POSTGRES) {
		retort__pg_lex(tv, sql, len, error, error_offset);
	} else {
		for (size_t i = 0, end; i < len; i = end) {
			retort_sql_kind kind;
			bool unterminated;
			end = retort__sqlite_token(sql, len, i, &kind, &unterminated);
			retort__tokvec_push(tv, kind, i, end, unterminated);
		}
	}
	set_lines(tv, sql);
}

void retort_sql_lex(retort_sql_token **out, size_t *n, retort_dialect_id dialect,
	const char *sql, size_t len)
{
	retort__tokvec tv = { 0 };
	char *error;
	size_t error_offset;

	lex(&tv, dialect, sql, len, &error, &error_offset);
	free(error);
	*out = tv.v;
	*n = tv.len;
}

size_t retort_sql_skip_blank(retort_dialect_id dialect, const char *sql, size_t len, unsigned *line)
{
	size_t at = len;

	if (dialect == RETORT_DIALECT_POSTGRES) {
		retort_sql_token *t;
		size_t n, i;
		retort_sql_lex(&t, &n, dialect, sql, len);
		for (i = 0; i < n && retort_sql_blank(&t[i]); i++)
			;
		if (i < n)
			at = t[i].offset;
		free(t);
	} else {
		for (size_t i = 0, end; i < len; i = end) {
			retort_sql_kind kind;
			bool unterminated;
			end = retort__sqlite_token(sql, len, i, &kind, &unterminated);
			if (kind != RETORT_SQL_SPACE && kind != RETORT_SQL_COMMENT) {
				at = i;
				break;
			}
		}
	}
	if (line)
		*line += retort_sql_newlines(sql, at);
	return at;
}

bool retort_sql_is_word(const char *text, const retort_sql_token *t, const char *upper)
{
	size_t n = strlen(upper);

	if (t->kind != RETORT_SQL_WORD || t->len != n)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = text[t->offset + i];
		if (c >= 'a' && c <= 'z')
			c = (char)(c - 'a' + 'A');
		if (c != upper[i])
			return false;
	}
	return true;
}

static bool is_op(const char *text, const retort_sql_token *t, char op)
{
	return t->kind == RETORT_SQL_OP && t->len == 1 && text[t->offset] == op;
}

/* --- where statements end ------------------------------------------------ */

/* SQLite: sqlite3_complete's states, reset at each statement. */
enum lite_state { L_START, L_NORMAL, L_EXPLAIN, L_CREATE, L_TRIGGER, L_SEMI, L_END };

typedef struct ender {
	retort_dialect_id dialect;
	const char *text;
	enum lite_state lite;
	/* PostgreSQL */
	int parens, begins;
	bool after_begin;     /* the previous token was BEGIN, in a routine, outside parentheses */
	unsigned words;       /* words seen in this statement */
	char lead[4];         /* first letters of CREATE / OR / REPLACE / FUNCTION / PROCEDURE among the first four words */
} ender;

static void ender_reset(ender *e)
{
	e->lite = L_START;
	e->parens = e->begins = 0;
	e->after_begin = false;
	e->words = 0;
	memset(e->lead, 0, sizeof(e->lead));
}

/* Does this ';' end the statement (SQLite)?  Other tokens move the state. */
static bool lite_step(ender *e, const retort_sql_token *t)
{
	const char *x = e->text;
	bool trig = e->lite == L_TRIGGER || e->lite == L_SEMI || e->lite == L_END;

	if (is_op(x, t, ';')) {
		if (e->lite == L_TRIGGER || e->lite == L_SEMI) {
			e->lite = L_SEMI;
			return false;
		}
		return true;
	}
	if (trig) {
		e->lite = e->lite == L_SEMI && retort_sql_is_word(x, t, "END") ? L_END : L_TRIGGER;
	} else if (retort_sql_is_word(x, t, "EXPLAIN")) {
		e->lite = e->lite == L_START ? L_EXPLAIN : L_NORMAL;
	} else if (retort_sql_is_word(x, t, "CREATE")) {
		e->lite = e->lite == L_START || e->lite == L_EXPLAIN ? L_CREATE : L_NORMAL;
	} else if (retort_sql_is_word(x, t, "TEMP") || retort_sql_is_word(x, t, "TEMPORARY")) {
		e->lite = e->lite == L_CREATE ? L_CREATE : L_NORMAL;
	} else if (retort_sql_is_word(x, t, "TRIGGER")) {
		e->lite = e->lite == L_CREATE ? L_TRIGGER : L_NORMAL;
	} else {
		/* EXPLAIN QUERY PLAN CREATE TRIGGER ...: what follows EXPLAIN keeps it, END excepted */
		e->lite = e->lite == L_EXPLAIN && !retort_sql_is_word(x, t, "END") ? L_EXPLAIN : L_NORMAL;
	}
	return false;
}

static bool routine(const ender *e)
{
	return e->lead[0] == 'c' && (e->lead[1] == 'f' || e->lead[1] == 'p' ||
		(e->lead[1] == 'o' && e->lead[2] == 'r' && (e->lead[3] == 'f' || e->lead[3] == 'p')));
}

/* Does this ';' end the statement (PostgreSQL)? */
static bool pg_step(ender *e, const retort_sql_token *t)
{
	const char *x = e->text;
	bool after_begin = e->after_begin;

	e->after_begin = false;
	if (t->kind == RETORT_SQL_OP && t->len == 1) {
		char c = x[t->offset];
		if (c == '(')
			e->parens++;
		else if (c == ')' && e->parens > 0)
			e->parens--;
		return c == ';' && e->parens == 0 && e->begins == 0;
	}
	if (t->kind != RETORT_SQL_WORD)
		return false;
	if (e->words < sizeof(e->lead)) {
		static const char *const lead_words[] = { "CREATE", "OR", "REPLACE", "FUNCTION", "PROCEDURE" };
		for (size_t i = 0; i < RETORT_ARRAY_SIZE(lead_words); i++)
			if (retort_sql_is_word(x, t, lead_words[i]))
				e->lead[e->words] = (char)(lead_words[i][0] - 'A' + 'a');
	}
	e->words++;
	if (!routine(e) || e->parens > 0)
		return false;
	/* psql counts every BEGIN; only BEGIN ATOMIC opens a body (a function may be named "begin") */
	if (retort_sql_is_word(x, t, "BEGIN"))
		e->after_begin = true;
	else if (after_begin && retort_sql_is_word(x, t, "ATOMIC"))
		e->begins++;
	else if (retort_sql_is_word(x, t, "CASE") && e->begins > 0)
		e->begins++;
	else if (retort_sql_is_word(x, t, "END") && e->begins > 0)
		e->begins--;
	return false;
}

static bool ends_statement(ender *e, const retort_sql_token *t)
{
	if (retort_sql_blank(t))
		return false;
	return e->dialect == RETORT_DIALECT_POSTGRES ? pg_step(e, t) : lite_step(e, t);
}

static void add_stmt(retort_sql_script *s, size_t *cap, size_t tok, size_t tok_end, size_t stop)
{
	retort_sql_stmt *st;
	size_t first = tok;

	while (first < tok_end && retort_sql_blank(&s->tokens[first]))
		first++;
	if (first == tok_end)
		return;
	if (s->nstmts == *cap) {
		*cap = *cap ? *cap * 2 : 16;
		s->stmts = retort__realloc(s->stmts, *cap * sizeof(*s->stmts));
	}
	st = &s->stmts[s->nstmts++];
	st->offset = tok < s->ntokens ? s->tokens[tok].offset : s->len;
	st->len = stop - st->offset;
	st->token = tok;
	st->ntokens = tok_end - tok;
	st->line = s->tokens[first].line;
	retort_sql_classify(&st->cls, s->dialect, s->text, s->tokens + tok, tok_end - tok);
	st->cls.command_token += tok;
}

int retort_sql_script_read(retort_sql_script **out, retort_dialect_id dialect,
	const char *sql, size_t len)
{
	retort_sql_script *s;
	retort__tokvec tv = { 0 };
	ender e = { .dialect = dialect, .text = sql };
	size_t cap = 0, start = 0;

	*out = NULL;
	if (dialect != RETORT_DIALECT_SQLITE && dialect != RETORT_DIALECT_POSTGRES)
		return retort__error_set(RETORT_ERROR_INTERNAL, "no SQL lexer for dialect %d", (int)dialect);
	s = retort__calloc(1, sizeof(*s));
	s->dialect = dialect;
	s->text = sql;
	s->len = len;
	lex(&tv, dialect, sql, len, &s->error, &s->error_offset);
	s->tokens = tv.v;
	s->ntokens = tv.len;
	if (s->error)
		s->error_line = 1 + retort_sql_newlines(sql, s->error_offset);
	for (size_t i = 0; i < s->ntokens; i++) {
		if (!ends_statement(&e, &s->tokens[i]))
			continue;
		add_stmt(s, &cap, start, i, s->tokens[i].offset);
		start = i + 1;
		ender_reset(&e);
	}
	add_stmt(s, &cap, start, s->ntokens, len);
	*out = s;
	return 0;
}

void retort_sql_script_free(retort_sql_script *s)
{
	if (!s)
		return;
	free(s->tokens);
	free(s->stmts);
	free(s->error);
	free(s);
}

int retort_sql_script_error(const retort_sql_script *s, unsigned *err_line)
{
	if (!s->error)
		return 0;
	if (err_line) {
		*err_line = s->error_line;
		return retort__error_set(RETORT_ERROR_SCRIPT, "%s", s->error);
	}
	return retort__error_set(RETORT_ERROR_SCRIPT, "line %u: %s", s->error_line, s->error);
}

int retort_sql_split(retort_dialect_id dialect, const char *sql, unsigned *err_line,
	retort_sql_stmt_cb cb, void *payload)
{
	retort_sql_script *s = NULL;
	int rc;

	if (err_line)
		*err_line = 0;
	if ((rc = retort_sql_script_read(&s, dialect, sql, strlen(sql))) < 0)
		return rc;
	if ((rc = retort_sql_script_error(s, err_line)) < 0)
		goto done;
	for (size_t i = 0; i < s->nstmts; i++) {
		const retort_sql_stmt *st = &s->stmts[i];
		if ((rc = cb(sql + st->offset, st->len, st->line, payload)) != 0) {
			if (err_line)
				*err_line = st->line;
			break;
		}
	}
done:
	retort_sql_script_free(s);
	return rc;
}
