/*
 * sqlite.c - the SQLite rules, read off the tokens of sql.h's SQLite
 * lexer and its classifier (see rules.h).
 *
 * SQLite has one lock for writing the whole database, so what matters is
 * not which lock but for how long and what breaks: a table rebuilt by
 * create-copy-drop-rename copies every row under the write lock, a
 * dropped or renamed table or column breaks the running application, an
 * UPDATE or DELETE without WHERE in a schema revision writes every row,
 * and VACUUM or PRAGMA foreign_keys do not work inside the revision's
 * transaction.  Only the words a statement starts with and its top-level
 * words are read, so nothing inside strings, comments or parentheses
 * counts.  This file does not settle levels (check.c does).
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "base/common.h"
#include "rules/rules_int.h"

#define NOLOC ((size_t)-1)

typedef struct toks {
	const char *x;
	const retort_sql_token *t;
	size_t end;                 /* one past the statement's last token */
} toks;

static size_t sig(const toks *s, size_t i)
{
	while (i < s->end && retort_sql_blank(&s->t[i]))
		i++;
	return i;
}

static bool word(const toks *s, size_t i, const char *upper)
{
	return i < s->end && retort_sql_is_word(s->x, &s->t[i], upper);
}

static bool op(const toks *s, size_t i, char c)
{
	return i < s->end && s->t[i].kind == RETORT_SQL_OP && s->t[i].len == 1 && s->x[s->t[i].offset] == c;
}

static bool name_token(const toks *s, size_t i)
{
	return i < s->end && (s->t[i].kind == RETORT_SQL_WORD || s->t[i].kind == RETORT_SQL_QUOTED ||
		s->t[i].kind == RETORT_SQL_STRING);
}

/* An identifier as SQLite compares it: unquoted, lower-cased (ASCII). */
static void ident(char *out, size_t cap, const toks *s, size_t i)
{
	const char *p = s->x + s->t[i].offset;
	size_t n = s->t[i].len, k = 0;
	char close = 0;

	if (s->t[i].kind != RETORT_SQL_WORD && n >= 2) {
		close = p[0] == '[' ? ']' : p[0];
		p++;
		n -= 2;
	}
	for (size_t j = 0; j < n && k + 1 < cap; j++) {
		if (close && p[j] == close && j + 1 < n && p[j + 1] == close)
			j++;
		out[k++] = (char)tolower((unsigned char)p[j]);
	}
	out[k] = '\0';
}

/*
 * The (last part of a possibly schema-qualified) name starting at token i
 * into out ("" when there is none); returns the token after it.
 */
static size_t qualified(char *out, size_t cap, const toks *s, size_t i)
{
	out[0] = '\0';
	i = sig(s, i);
	if (!name_token(s, i))
		return s->end;
	ident(out, cap, s, i);
	i = sig(s, i + 1);
	if (op(s, i, '.') && name_token(s, sig(s, i + 1))) {
		i = sig(s, i + 1);
		ident(out, cap, s, i);
		i = sig(s, i + 1);
	}
	return i;
}

static size_t skip_if_not_exists(const toks *s, size_t i)
{
	i = sig(s, i);
	if (word(s, i, "IF") && word(s, sig(s, i + 1), "NOT") && word(s, sig(s, sig(s, i + 1) + 1), "EXISTS"))
		return sig(s, sig(s, sig(s, i + 1) + 1) + 1);
	if (word(s, i, "IF") && word(s, sig(s, i + 1), "EXISTS"))
		return sig(s, sig(s, i + 1) + 1);
	return i;
}

/* The token after the object-type words of CREATE/DROP/ALTER at `cmd` (TEMP, TABLE ...). */
static size_t after_type(const toks *s, size_t cmd, const char *type)
{
	size_t i = sig(s, cmd + 1);

	while (i < s->end && !word(s, i, type))
		i = sig(s, i + 1);
	return sig(s, i + 1);
}

static bool top_level_where(const toks *s, size_t from)
{
	int depth = 0;

	for (size_t i = from; i < s->end; i++) {
		if (op(s, i, '('))
			depth++;
		else if (op(s, i, ')'))
			depth--;
		else if (depth == 0 && word(s, i, "WHERE"))
			return true;
	}
	return false;
}

void retort__sqlite_prescan(retort_rules *r, const retort_sql_script *sc)
{
	char name[128];

	for (size_t k = 0; k < sc->nstmts; k++) {
		const retort_sql_stmt *st = &sc->stmts[k];
		toks s = { sc->text, sc->tokens, st->token + st->ntokens };
		size_t i;
		if (strcmp(st->cls.command, "ALTER TABLE"))
			continue;
		i = qualified(name, sizeof(name), &s, after_type(&s, st->cls.command_token, "TABLE"));
		if (!word(&s, i, "RENAME") || !word(&s, sig(&s, i + 1), "TO"))
			continue;
		qualified(name, sizeof(name), &s, sig(&s, i + 1) + 1);
		if (*name)
			retort_map_set(&r->rebuilt, name, (void *)1);
	}
}

static void alter_table(retort_rules *r, const toks *s, size_t cmd)
{
	char table[128], a[128];
	size_t i = qualified(table, sizeof(table), s, after_type(s, cmd, "TABLE"));
	bool existing = !retort__rules_created_here(r, table);

	if (!*table)
		return;
	retort__rules_lock(r, RETORT_LOCK_SQLITE_WRITE, NULL, table);
	if (word(s, i, "RENAME")) {
		size_t j = sig(s, i + 1);
		if (word(s, j, "TO")) {
			qualified(a, sizeof(a), s, j + 1);
			if (!*a)
				return;
			if (existing)
				retort__rules_emit(r, "R113", NOLOC, RETORT_LOCK_SQLITE_WRITE, NULL, table,
					"RENAME TABLE %s TO %s", table, a);
			else if (retort_map_get(&r->rebuilt, a) == (void *)2)
				retort__rules_emit(r, "R201", NOLOC, RETORT_LOCK_SQLITE_WRITE, NULL, a,
					"table %s is rebuilt: copied into %s, dropped, and the copy renamed to %s", a, table, a);
			retort__mem_rename(&r->tables, table, a);
			if (!existing)
				retort_map_set(&r->created, a, (void *)1);
			return;
		}
		if (word(s, j, "COLUMN"))
			j = sig(s, j + 1);
		if (!name_token(s, j))
			return;
		ident(a, sizeof(a), s, j);
		j = sig(s, j + 1);
		if (!word(s, j, "TO") || !name_token(s, sig(s, j + 1)))
			return;
		char b[128];
		ident(b, sizeof(b), s, sig(s, j + 1));
		if (existing)
			retort__rules_emit(r, "R112", NOLOC, RETORT_LOCK_SQLITE_WRITE, NULL, table,
				"RENAME COLUMN %s.%s TO %s", table, a, b);
		retort__mem_column_rename(retort__mem_table(&r->tables, table), a, b);
	} else if (word(s, i, "DROP")) {
		size_t j = sig(s, i + 1);
		if (word(s, j, "COLUMN"))
			j = sig(s, j + 1);
		if (!name_token(s, j))
			return;
		ident(a, sizeof(a), s, j);
		if (existing)
			retort__rules_emit(r, "R110", NOLOC, RETORT_LOCK_SQLITE_WRITE, NULL, table,
				"DROP COLUMN %s.%s (SQLite rewrites every row of %s to drop it)", table, a, table);
		retort__mem_column_drop(retort__mem_table(&r->tables, table), a);
	}
}

static void write_stmt(retort_rules *r, const toks *s, const retort_sql_stmt *st)
{
	const char *cmd = st->cls.command;
	size_t c = st->cls.command_token, i;
	char table[128] = "";

	if (!strcmp(cmd, "CREATE TABLE") || !strcmp(cmd, "CREATE VIRTUAL TABLE")) {
		qualified(table, sizeof(table), s, skip_if_not_exists(s, after_type(s, c, "TABLE")));
		if (*table) {
			retort__mem_create(&r->tables, table);
			retort_map_set(&r->created, table, (void *)1);
		}
	} else if (!strcmp(cmd, "DROP TABLE")) {
		qualified(table, sizeof(table), s, skip_if_not_exists(s, after_type(s, c, "TABLE")));
		/* A table some later ALTER TABLE ... RENAME TO gives back is rebuilt, not dropped: the rename says so. */
		if (*table && retort_map_has(&r->rebuilt, table) && !retort__rules_created_here(r, table))
			retort_map_set(&r->rebuilt, table, (void *)2);
		else if (*table && !retort__rules_created_here(r, table))
			retort__rules_emit(r, "R111", NOLOC, RETORT_LOCK_SQLITE_WRITE, NULL, table,
				"DROP TABLE %s", table);
		retort__mem_drop(&r->tables, table);
	} else if (!strcmp(cmd, "ALTER TABLE")) {
		alter_table(r, s, c);
		return;
	} else if (!strcmp(cmd, "UPDATE") || !strcmp(cmd, "DELETE")) {
		i = sig(s, c + 1);
		if (!strcmp(cmd, "UPDATE") && word(s, i, "OR"))
			i = sig(s, sig(s, i + 1) + 1);
		if (!strcmp(cmd, "DELETE") && word(s, i, "FROM"))
			i = sig(s, i + 1);
		qualified(table, sizeof(table), s, i);
		if (*table && r->has_ddl && !retort__rules_created_here(r, table) && !top_level_where(s, i))
			retort__rules_emit(r, "R119", NOLOC, RETORT_LOCK_SQLITE_WRITE, NULL, table,
				"%s without WHERE writes every row of %s in a revision that also changes the schema",
				cmd, table);
	} else if (!strcmp(cmd, "INSERT") || !strcmp(cmd, "REPLACE")) {
		i = sig(s, c + 1);
		while (i < s->end && !word(s, i, "INTO"))
			i = sig(s, i + 1);
		qualified(table, sizeof(table), s, sig(s, i + 1));
	} else if (!strcmp(cmd, "CREATE INDEX")) {
		i = after_type(s, c, "INDEX");
		while (i < s->end && !word(s, i, "ON"))
			i = sig(s, i + 1);
		qualified(table, sizeof(table), s, sig(s, i + 1));
	}
	retort__rules_lock(r, RETORT_LOCK_SQLITE_WRITE, NULL, *table ? table : NULL);
}

void retort__sqlite_statement(retort_rules *r, const retort_sql_script *sc, const retort_sql_stmt *st)
{
	toks s = { sc->text, sc->tokens, st->token + st->ntokens };
	const char *cmd = st->cls.command;
	size_t c = st->cls.command_token;

	if (!*cmd || st->cls.txn)
		return;
	if (!strcmp(cmd, "SELECT") || !strcmp(cmd, "VALUES")) {
		retort__rules_lock(r, RETORT_LOCK_SQLITE_READ, NULL, NULL);
	} else if (!strcmp(cmd, "EXPLAIN") || !strcmp(cmd, "ANALYZE")) {
		/* reads only (ANALYZE writes sqlite_stat1, briefly) */
		retort__rules_lock(r, RETORT_LOCK_SQLITE_READ, NULL, NULL);
	} else if (!strcmp(cmd, "PRAGMA")) {
		size_t i = sig(&s, c + 1);
		if (name_token(&s, i) && op(&s, sig(&s, i + 1), '.'))
			i = sig(&s, sig(&s, i + 1) + 1);
		if (r->transactional && (word(&s, i, "FOREIGN_KEYS") || word(&s, i, "JOURNAL_MODE")))
			retort__rules_emit(r, "R103", NOLOC, RETORT_LOCK_NONE, NULL, NULL,
				"PRAGMA %.*s has no effect inside a transaction", (int)s.t[i].len, s.x + s.t[i].offset);
	} else if (!strcmp(cmd, "VACUUM")) {
		retort__rules_lock(r, RETORT_LOCK_SQLITE_WRITE, NULL, NULL);
		if (r->transactional)
			retort__rules_emit(r, "R103", NOLOC, RETORT_LOCK_SQLITE_WRITE, NULL, NULL,
				"VACUUM cannot run inside a transaction");
	} else {
		write_stmt(r, &s, st);
	}
}
