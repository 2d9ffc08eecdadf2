/*
 * sqlparse.c - pick the pieces SQLite's pragmas leave out from stored
 * CREATE statements (see sqlparse.h).
 *
 * The text is read by SQLite's lexer (sql.h), then walked over the
 * top-level items of a CREATE TABLE body or an index key list.  Unknown
 * syntax is skipped, never an error: the pragmas remain the source of
 * truth for everything they report.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "base/common.h"
#include "schema/model.h"
#include "schema/sqlparse.h"
#include "sql/sql.h"

typedef struct tok {
	const char *p;
	size_t n;
	char kind; /* 'w' word, 'q' quoted identifier, 's' string, 'n' number, 'o' other, or a one-character operator */
} tok;

typedef struct toks {
	tok *v;
	size_t len;
} toks;

/* The tokens of `sql` that are not blank, in the shape the walk below reads. */
static void tokenize(toks *t, const char *sql)
{
	retort_sql_token *lexed;
	size_t n;

	retort_sql_lex(&lexed, &n, RETORT_DIALECT_SQLITE, sql, strlen(sql));
	t->v = retort__calloc(n ? n : 1, sizeof(tok));
	t->len = 0;
	for (size_t i = 0; i < n; i++) {
		const retort_sql_token *l = &lexed[i];
		tok *k = &t->v[t->len];
		if (retort_sql_blank(l))
			continue;
		k->p = sql + l->offset;
		k->n = l->len;
		switch (l->kind) {
		case RETORT_SQL_WORD: case RETORT_SQL_PARAM: k->kind = 'w'; break;
		case RETORT_SQL_QUOTED: k->kind = 'q'; break;
		case RETORT_SQL_STRING: k->kind = 's'; break;
		case RETORT_SQL_NUMBER: k->kind = 'n'; break;
		case RETORT_SQL_OP: k->kind = l->len == 1 ? sql[l->offset] : 'o'; break;
		default: k->kind = 'o'; break;
		}
		t->len++;
	}
	free(lexed);
}

static bool is_kw(const tok *k, const char *kw)
{
	size_t n = strlen(kw);

	if (k->kind != 'w' || k->n != n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (toupper((unsigned char)k->p[i]) != kw[i])
			return false;
	return true;
}

char *retort__sqlparse_unquote(const char *p, size_t n)
{
	retort_buf b = RETORT_BUF_INIT;
	char q = n ? p[0] : 0;

	if (n >= 2 && (q == '"' || q == '`' || q == '[' || q == '\'')) {
		char close = q == '[' ? ']' : q;
		for (size_t i = 1; i + 1 < n; i++) {
			retort_buf_putc(&b, p[i]);
			if (p[i] == close && close != ']' && i + 2 < n && p[i + 1] == close)
				i++;
		}
		return retort_buf_detach(&b);
	}
	return retort__strndup(p, n);
}

static char *tok_name(const tok *k)
{
	return retort__sqlparse_unquote(k->p, k->n);
}

/* Index of the token closing the parenthesis opened at `open`. */
static size_t match_paren(const toks *t, size_t open)
{
	int depth = 0;

	for (size_t i = open; i < t->len; i++) {
		if (t->v[i].kind == '(')
			depth++;
		else if (t->v[i].kind == ')' && --depth == 0)
			return i;
	}
	return t->len;
}

/* Squeezed source text from token a to token b inclusive. */
static char *span(const toks *t, size_t a, size_t b)
{
	char *raw, *sq;

	if (a > b || b >= t->len)
		return retort__strdup("");
	raw = retort__strndup(t->v[a].p, (size_t)(t->v[b].p + t->v[b].n - t->v[a].p));
	sq = retort__sql_squeeze(raw);
	free(raw);
	return sq;
}

static void add_check(retort__lite_tabledef *def, char *name, const toks *t, size_t open, size_t close)
{
	retort__lite_check *ck = retort__calloc(1, sizeof(*ck));

	ck->name = name;
	ck->expr = span(t, open + 1, close - 1);
	retort_vec_push(&def->checks, ck);
}

/* DEFERRABLE / INITIALLY DEFERRED anywhere in [a, b). */
static void fk_flags(retort__lite_fkdef *fk, const toks *t, size_t a, size_t b)
{
	for (size_t i = a; i < b; i++) {
		if (is_kw(&t->v[i], "DEFERRABLE"))
			fk->deferrable = !(i > a && is_kw(&t->v[i - 1], "NOT"));
		if (is_kw(&t->v[i], "INITIALLY") && i + 1 < b && is_kw(&t->v[i + 1], "DEFERRED"))
			fk->deferred = true;
	}
}

/* The first name of each comma-separated item in the parentheses opened at `open` ("a COLLATE x DESC, b"). */
static void key_columns(retort_vec *out, const toks *t, size_t open)
{
	size_t close = match_paren(t, open);
	bool first = true;

	for (size_t i = open + 1; i < close; i++) {
		if (t->v[i].kind == '(') {
			i = match_paren(t, i);
		} else if (t->v[i].kind == ',') {
			first = true;
		} else if (first && (t->v[i].kind == 'w' || t->v[i].kind == 'q')) {
			retort_vec_push(out, tok_name(&t->v[i]));
			first = false;
		}
	}
}

static void add_unique(retort__lite_tabledef *def, char *name, const char *column)
{
	retort__lite_keydef *k = retort__calloc(1, sizeof(*k));

	k->name = name;
	if (column)
		retort__strvec_add(&k->columns, column);
	retort_vec_push(&def->uniques, k);
}

/* A table constraint starting at token a (after any CONSTRAINT name, which it takes). */
static void parse_table_constraint(retort__lite_tabledef *def, char *cname, const toks *t, size_t a, size_t b)
{
	if (is_kw(&t->v[a], "CHECK") && a + 1 < b && t->v[a + 1].kind == '(') {
		add_check(def, cname, t, a + 1, match_paren(t, a + 1));
		return;
	}
	if (is_kw(&t->v[a], "FOREIGN") && a + 2 < b && t->v[a + 2].kind == '(') {
		retort__lite_fkdef *fk = retort__calloc(1, sizeof(*fk));
		size_t close = match_paren(t, a + 2);
		for (size_t i = a + 3; i < close; i++)
			if (t->v[i].kind == 'w' || t->v[i].kind == 'q')
				retort_vec_push(&fk->columns, tok_name(&t->v[i]));
		fk_flags(fk, t, close, b);
		fk->name = cname;
		retort_vec_push(&def->fks, fk);
		return;
	}
	if (is_kw(&t->v[a], "UNIQUE") && a + 1 < b && t->v[a + 1].kind == '(') {
		add_unique(def, cname, NULL);
		key_columns(&((retort__lite_keydef *)def->uniques.items[def->uniques.len - 1])->columns, t, a + 1);
		return;
	}
	if (is_kw(&t->v[a], "PRIMARY") && !def->pk_name) {
		def->pk_name = cname;
		return;
	}
	free(cname);
}

static void parse_item(retort__lite_tabledef *def, const toks *t, size_t a, size_t b)
{
	char *cname = NULL;
	retort__lite_coldef *col;

	if (a >= b)
		return;
	if (is_kw(&t->v[a], "CONSTRAINT") && a + 1 < b) {
		cname = tok_name(&t->v[a + 1]);
		a += 2;
	}
	if (a < b && (is_kw(&t->v[a], "PRIMARY") || is_kw(&t->v[a], "UNIQUE") ||
		is_kw(&t->v[a], "CHECK") || is_kw(&t->v[a], "FOREIGN"))) {
		parse_table_constraint(def, cname, t, a, b);
		return;
	}
	free(cname);
	if (a >= b)
		return;
	col = retort__calloc(1, sizeof(*col));
	col->name = tok_name(&t->v[a]);
	retort_vec_push(&def->columns, col);
	cname = NULL;
	for (size_t i = a + 1; i < b; i++) {
		const tok *k = &t->v[i];
		if (is_kw(k, "CONSTRAINT") && i + 1 < b) {
			free(cname);
			cname = tok_name(&t->v[++i]);
		} else if (is_kw(k, "COLLATE") && i + 1 < b) {
			free(cname);
			cname = NULL;
			free(col->collation);
			col->collation = tok_name(&t->v[++i]);
		} else if (is_kw(k, "AUTOINCREMENT")) {
			col->autoincrement = true;
		} else if (is_kw(k, "CHECK") && i + 1 < b && t->v[i + 1].kind == '(') {
			size_t close = match_paren(t, i + 1);
			add_check(def, cname, t, i + 1, close);
			cname = NULL;
			i = close;
		} else if (is_kw(k, "AS") && i + 1 < b && t->v[i + 1].kind == '(') {
			size_t close = match_paren(t, i + 1);
			col->generated = span(t, i + 2, close - 1);
			col->stored = close + 1 < b && is_kw(&t->v[close + 1], "STORED");
			i = close;
		} else if (is_kw(k, "REFERENCES")) {
			retort__lite_fkdef *fk = retort__calloc(1, sizeof(*fk));
			retort__strvec_add(&fk->columns, col->name);
			fk_flags(fk, t, i, b);
			fk->name = cname;
			cname = NULL;
			retort_vec_push(&def->fks, fk);
		} else if (is_kw(k, "UNIQUE")) {
			add_unique(def, cname, col->name);
			cname = NULL;
		} else if (is_kw(k, "PRIMARY")) {
			if (!def->pk_name)
				def->pk_name = cname;
			else
				free(cname);
			cname = NULL;
		} else if (is_kw(k, "NOT") || is_kw(k, "NULL") || is_kw(k, "DEFAULT") || is_kw(k, "GENERATED")) {
			/* a name given to one of these names nothing the model keeps */
			free(cname);
			cname = NULL;
		} else if (k->kind == '(') {
			i = match_paren(t, i);
		}
	}
	free(cname);
}

void retort__sqlparse_parse_table(retort__lite_tabledef *out, const char *sql)
{
	toks t;
	size_t open = 0, close, item;

	memset(out, 0, sizeof(*out));
	tokenize(&t, sql ? sql : "");
	while (open < t.len && t.v[open].kind != '(')
		open++;
	if (open >= t.len)
		goto done;
	close = match_paren(&t, open);
	item = open + 1;
	for (size_t i = open + 1; i <= close && i < t.len; i++) {
		if (t.v[i].kind == '(') {
			i = match_paren(&t, i);
			continue;
		}
		if (t.v[i].kind == ',' || i == close) {
			parse_item(out, &t, item, i);
			item = i + 1;
		}
	}
	for (size_t i = close; i < t.len; i++) {
		if (i + 1 < t.len && is_kw(&t.v[i], "WITHOUT") && is_kw(&t.v[i + 1], "ROWID"))
			out->without_rowid = true;
		if (is_kw(&t.v[i], "STRICT"))
			out->strict = true;
	}
done:
	free(t.v);
}

void retort__sqlparse_tabledef_dispose(retort__lite_tabledef *def)
{
	for (size_t i = 0; i < def->columns.len; i++) {
		retort__lite_coldef *c = def->columns.items[i];
		free(c->name);
		free(c->collation);
		free(c->generated);
		free(c);
	}
	for (size_t i = 0; i < def->checks.len; i++) {
		retort__lite_check *c = def->checks.items[i];
		free(c->name);
		free(c->expr);
		free(c);
	}
	for (size_t i = 0; i < def->fks.len; i++) {
		retort__lite_fkdef *f = def->fks.items[i];
		free(f->name);
		retort_vec_dispose(&f->columns, true);
		free(f);
	}
	for (size_t i = 0; i < def->uniques.len; i++) {
		retort__lite_keydef *k = def->uniques.items[i];
		free(k->name);
		retort_vec_dispose(&k->columns, true);
		free(k);
	}
	retort_vec_dispose(&def->uniques, false);
	free(def->pk_name);
	retort_vec_dispose(&def->columns, false);
	retort_vec_dispose(&def->checks, false);
	retort_vec_dispose(&def->fks, false);
}

retort__lite_coldef *retort__sqlparse_tabledef_column(const retort__lite_tabledef *def, const char *name)
{
	for (size_t i = 0; i < def->columns.len; i++) {
		retort__lite_coldef *c = def->columns.items[i];
		if (retort__strcasecmp(c->name, name) == 0)
			return c;
	}
	return NULL;
}

void retort__sqlparse_parse_index(retort_vec *keys, char **where, const char *sql)
{
	toks t;
	size_t i = 0, open, close, item;

	*where = NULL;
	tokenize(&t, sql ? sql : "");
	while (i < t.len && !is_kw(&t.v[i], "ON"))
		i++;
	for (open = i; open < t.len && t.v[open].kind != '('; open++)
		;
	if (open >= t.len)
		goto done;
	close = match_paren(&t, open);
	item = open + 1;
	for (i = open + 1; i <= close && i < t.len; i++) {
		if (t.v[i].kind == '(') {
			i = match_paren(&t, i);
			continue;
		}
		if (t.v[i].kind == ',' || i == close) {
			retort_vec_push(keys, span(&t, item, i - 1));
			item = i + 1;
		}
	}
	if (close + 1 < t.len && is_kw(&t.v[close + 1], "WHERE")) {
		size_t end = t.len - 1;
		if (t.v[end].kind == ';' && end > close + 2)
			end--;
		*where = span(&t, close + 2, end);
	}
done:
	free(t.v);
}

char *retort__sqlparse_trigger_name(const char *sql)
{
	toks t;
	char *name = NULL;
	size_t i = 0;

	tokenize(&t, sql ? sql : "");
	while (i < t.len && !is_kw(&t.v[i], "TRIGGER"))
		i++;
	i++;
	if (i + 2 < t.len && is_kw(&t.v[i], "IF"))
		i += 3;
	if (i + 2 < t.len && t.v[i + 1].kind == '.')
		i += 2;
	if (i < t.len)
		name = tok_name(&t.v[i]);
	free(t.v);
	return name;
}

void retort__sqlparse_identifiers(retort_vec *out, const char *sql)
{
	toks t;

	tokenize(&t, sql ? sql : "");
	for (size_t i = 0; i < t.len; i++)
		if (t.v[i].kind == 'w' || t.v[i].kind == 'q')
			retort_vec_push(out, tok_name(&t.v[i]));
	free(t.v);
}
