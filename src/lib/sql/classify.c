/*
 * classify.c - what one statement is, from its tokens (see sql.h):
 * transaction control, COPY to or from the client, and its leading command
 * words.
 *
 * Only the words at the start of the statement count (and, for COPY, the
 * FROM/TO at the top level), so text inside strings, comments, quoted
 * names or function bodies never makes a statement look like something it
 * is not.  Both dialects share the rules; where their grammars differ
 * (ABORT, START TRANSACTION, PREPARE TRANSACTION and COPY exist only in
 * PostgreSQL) the dialect decides.  This is not a parser: a statement the
 * database would reject may still get a class.
 */
#include <stdlib.h>
#include <string.h>

#include "base/common.h"
#include "sql/sql_int.h"

typedef struct stmt {
	retort_dialect_id dialect;
	const char *x;
	const retort_sql_token *t;
	size_t n;
} stmt;

/* The first token at or after i that is not blank; n when none. */
static size_t sig(const stmt *s, size_t i)
{
	while (i < s->n && retort_sql_blank(&s->t[i]))
		i++;
	return i;
}

static bool word_at(const stmt *s, size_t i, const char *upper)
{
	return i < s->n && retort_sql_is_word(s->x, &s->t[i], upper);
}

static bool op_at(const stmt *s, size_t i, char op)
{
	return i < s->n && s->t[i].kind == RETORT_SQL_OP && s->t[i].len == 1 && s->x[s->t[i].offset] == op;
}

/* The token after the parenthesis group opened at i (which must be '('). */
static size_t after_parens(const stmt *s, size_t i)
{
	int depth = 0;

	for (; i < s->n; i++) {
		if (op_at(s, i, '('))
			depth++;
		else if (op_at(s, i, ')') && --depth == 0)
			return i + 1;
	}
	return s->n;
}

/*
 * WITH [RECURSIVE] name [(cols)] AS [[NOT] MATERIALIZED] (query) [, ...]:
 * the index of the command the clause qualifies, or `i` (the WITH) when
 * the clause is not one of that shape.
 */
static size_t skip_with(const stmt *s, size_t i)
{
	size_t j = sig(s, i + 1);

	if (word_at(s, j, "RECURSIVE"))
		j = sig(s, j + 1);
	for (;;) {
		if (j >= s->n || (s->t[j].kind != RETORT_SQL_WORD && s->t[j].kind != RETORT_SQL_QUOTED))
			return i;
		j = sig(s, j + 1);
		if (op_at(s, j, '('))
			j = sig(s, after_parens(s, j));
		if (!word_at(s, j, "AS"))
			return i;
		j = sig(s, j + 1);
		if (word_at(s, j, "NOT"))
			j = sig(s, j + 1);
		if (word_at(s, j, "MATERIALIZED"))
			j = sig(s, j + 1);
		if (!op_at(s, j, '('))
			return i;
		j = sig(s, after_parens(s, j));
		if (!op_at(s, j, ','))
			return j;
		j = sig(s, j + 1);
	}
}

/* Append the word at token i to out (upper case, space-separated) if it fits. */
static bool put_word(char *out, size_t cap, const stmt *s, size_t i)
{
	size_t at = strlen(out), len = s->t[i].len;

	if (at + (at > 0) + len + 1 > cap)
		return false;
	if (at > 0)
		out[at++] = ' ';
	for (size_t k = 0; k < len; k++) {
		char c = s->x[s->t[i].offset + k];
		out[at++] = c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : c;
	}
	out[at] = '\0';
	return true;
}

/* CREATE's words that say how, not what. */
static const char *const create_modifiers[] = {
	"OR", "REPLACE", "GLOBAL", "LOCAL", "TEMP", "TEMPORARY", "UNLOGGED", "UNIQUE",
	"TRUSTED", "PROCEDURAL", "RECURSIVE",
};

/* Object types of more than one word, each followed by the words that complete it. */
static const char *const object_types[][4] = {
	{ "MATERIALIZED", "VIEW" }, { "FOREIGN", "TABLE" }, { "FOREIGN", "DATA", "WRAPPER" },
	{ "VIRTUAL", "TABLE" }, { "EVENT", "TRIGGER" }, { "CONSTRAINT", "TRIGGER" },
	{ "USER", "MAPPING" }, { "ACCESS", "METHOD" }, { "OPERATOR", "CLASS" },
	{ "OPERATOR", "FAMILY" }, { "DEFAULT", "PRIVILEGES" }, { "LARGE", "OBJECT" },
	{ "TEXT", "SEARCH", "CONFIGURATION" }, { "TEXT", "SEARCH", "DICTIONARY" },
	{ "TEXT", "SEARCH", "PARSER" }, { "TEXT", "SEARCH", "TEMPLATE" },
};

static bool is_modifier(const stmt *s, size_t i)
{
	for (size_t k = 0; k < RETORT_ARRAY_SIZE(create_modifiers); k++)
		if (word_at(s, i, create_modifiers[k]))
			return true;
	return false;
}

/* CREATE / DROP / ALTER at token i: the verb and its object type. */
static void ddl_command(char *out, size_t cap, const stmt *s, size_t i)
{
	bool create = word_at(s, i, "CREATE");
	size_t j = sig(s, i + 1);

	put_word(out, cap, s, i);
	while (create && is_modifier(s, j))
		j = sig(s, j + 1);
	if (j >= s->n || s->t[j].kind != RETORT_SQL_WORD)
		return;
	for (size_t k = 0; k < RETORT_ARRAY_SIZE(object_types); k++) {
		const char *const *words = object_types[k];
		size_t w = 0, at = j, ends[4];
		for (; w < 4 && words[w] && word_at(s, at, words[w]); w++) {
			ends[w] = at;
			at = sig(s, at + 1);
		}
		if (w >= 2 && (w == 4 || !words[w])) {
			for (size_t m = 0; m < w; m++)
				put_word(out, cap, s, ends[m]);
			return;
		}
	}
	put_word(out, cap, s, j);
}

static retort_sql_txn transaction(const stmt *s, size_t i)
{
	bool pg = s->dialect == RETORT_DIALECT_POSTGRES;
	size_t j = sig(s, i + 1);

	if (word_at(s, i, "BEGIN"))
		return RETORT_SQL_TXN_BEGIN;
	if (pg && word_at(s, i, "START") && word_at(s, j, "TRANSACTION"))
		return RETORT_SQL_TXN_BEGIN;
	if (word_at(s, i, "COMMIT"))
		return pg && word_at(s, j, "PREPARED") ? RETORT_SQL_TXN_COMMIT_PREPARED : RETORT_SQL_TXN_COMMIT;
	if (word_at(s, i, "END"))
		return RETORT_SQL_TXN_COMMIT;
	if (pg && word_at(s, i, "ABORT"))
		return RETORT_SQL_TXN_ROLLBACK;
	if (word_at(s, i, "ROLLBACK")) {
		if (pg && word_at(s, j, "PREPARED"))
			return RETORT_SQL_TXN_ROLLBACK_PREPARED;
		if (word_at(s, j, "WORK") || word_at(s, j, "TRANSACTION"))
			j = sig(s, j + 1);
		return word_at(s, j, "TO") ? RETORT_SQL_TXN_ROLLBACK_TO : RETORT_SQL_TXN_ROLLBACK;
	}
	if (word_at(s, i, "SAVEPOINT"))
		return RETORT_SQL_TXN_SAVEPOINT;
	if (word_at(s, i, "RELEASE"))
		return RETORT_SQL_TXN_RELEASE;
	if (pg && word_at(s, i, "PREPARE") && word_at(s, j, "TRANSACTION"))
		return RETORT_SQL_TXN_PREPARE;
	return RETORT_SQL_TXN_NONE;
}

/*
 * COPY ... FROM STDIN / TO STDOUT at the top level (not inside COPY
 * (query) TO ...).  The server takes either name either way: the keyword
 * before it gives the direction.
 */
static retort_sql_copy copy_direction(const stmt *s, size_t i)
{
	int depth = 0;

	for (i = sig(s, i + 1); i < s->n; i = sig(s, i + 1)) {
		size_t j;
		if (op_at(s, i, '('))
			depth++;
		else if (op_at(s, i, ')') && depth > 0)
			depth--;
		if (depth > 0 || !(word_at(s, i, "FROM") || word_at(s, i, "TO")))
			continue;
		j = sig(s, i + 1);
		if (word_at(s, j, "STDIN") || word_at(s, j, "STDOUT"))
			return word_at(s, i, "FROM") ? RETORT_SQL_COPY_IN : RETORT_SQL_COPY_OUT;
	}
	return RETORT_SQL_COPY_NONE;
}

void retort_sql_classify(retort_sql_class *out, retort_dialect_id dialect, const char *text,
	const retort_sql_token *tokens, size_t n)
{
	stmt s = { dialect, text, tokens, n };
	size_t i = sig(&s, 0);

	memset(out, 0, sizeof(*out));
	if (word_at(&s, i, "WITH"))
		i = skip_with(&s, i);
	out->command_token = i;
	if (i >= n || tokens[i].kind != RETORT_SQL_WORD)
		return;
	if (word_at(&s, i, "CREATE") || word_at(&s, i, "DROP") || word_at(&s, i, "ALTER"))
		ddl_command(out->command, sizeof(out->command), &s, i);
	else
		put_word(out->command, sizeof(out->command), &s, i);
	if (i == sig(&s, 0))
		out->txn = transaction(&s, i);
	if (dialect == RETORT_DIALECT_POSTGRES && word_at(&s, i, "COPY"))
		out->copy = copy_direction(&s, i);
}

void retort_sql_classify_text(retort_sql_class *out, retort_dialect_id dialect,
	const char *sql, size_t len)
{
	retort_sql_token *t;
	size_t n;

	retort_sql_lex(&t, &n, dialect, sql, len);
	retort_sql_classify(out, dialect, sql, t, n);
	free(t);
}

bool retort_sql_txn_ends(retort_sql_txn txn)
{
	switch (txn) {
	case RETORT_SQL_TXN_BEGIN:
	case RETORT_SQL_TXN_COMMIT:
	case RETORT_SQL_TXN_ROLLBACK:
	case RETORT_SQL_TXN_PREPARE:
	case RETORT_SQL_TXN_COMMIT_PREPARED:
	case RETORT_SQL_TXN_ROLLBACK_PREPARED:
		return true;
	default:
		return false;
	}
}
