/*
 * sqlite_batch.c - SQLite move-and-copy table rebuilds (see
 * sqlite_batch.h).  The CREATE TABLE text is edited with a small tokenizer
 * that knows SQLite's quoting, so names and strings containing commas,
 * parentheses or keywords survive; everything not being changed is kept
 * byte for byte.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/common.h"
#include "dialect/dialect.h"
#include "run/sqlite_batch.h"
#include "base/vec.h"

typedef enum { T_END, T_WORD, T_QUOTED, T_STRING, T_PUNCT } tok_kind;

typedef struct tok {
	tok_kind kind;
	const char *s;
	size_t len;
} tok;

static bool word_char(unsigned char c)
{
	return c == '_' || c == '$' || c >= 0x80 || (c >= '0' && c <= '9') ||
		(c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* The next token at or after *p (before end); comments and blanks are skipped. */
static tok next_tok(const char **p, const char *end)
{
	unsigned dummy = 0;
	const char *s = retort__sql_skip_blank(*p, end, false, &dummy);
	tok t = { T_END, s, 0 };

	if (s >= end) {
		*p = end;
		return t;
	}
	if (*s == '"' || *s == '`' || *s == '\'' || *s == '[') {
		char close = *s == '[' ? ']' : *s;
		const char *e = s + 1;
		for (; e < end; e++) {
			if (*e == close) {
				if (close != ']' && e + 1 < end && e[1] == close) {
					e++;
					continue;
				}
				break;
			}
		}
		t.kind = *s == '\'' ? T_STRING : T_QUOTED;
		t.len = (size_t)((e < end ? e + 1 : end) - s);
	} else if (word_char((unsigned char)*s)) {
		const char *e = s;
		while (e < end && word_char((unsigned char)*e))
			e++;
		t.kind = T_WORD;
		t.len = (size_t)(e - s);
	} else {
		t.kind = T_PUNCT;
		t.len = 1;
	}
	*p = s + t.len;
	return t;
}

static bool is_word(const tok *t, const char *w)
{
	return t->kind == T_WORD && strlen(w) == t->len && !strncasecmp(t->s, w, t->len);
}

/* A token's name with quotes removed (doubled quotes undone); caller frees. */
static char *tok_name(const tok *t)
{
	retort_buf b = RETORT_BUF_INIT;

	if (t->kind != T_QUOTED)
		return retort__strndup(t->s, t->len);
	{
		char close = t->s[0] == '[' ? ']' : t->s[0];
		for (size_t i = 1; i + 1 < t->len; i++) {
			retort_buf_putc(&b, t->s[i]);
			if (t->s[i] == close && close != ']' && i + 2 < t->len && t->s[i + 1] == close)
				i++;
		}
	}
	return retort_buf_detach(&b);
}

static bool tok_names(const tok *t, const char *name)
{
	char *n;
	bool same;

	if (t->kind != T_WORD && t->kind != T_QUOTED)
		return false;
	n = tok_name(t);
	same = !retort__strcasecmp(n, name); /* SQLite names are case-insensitive (ASCII) */
	free(n);
	return same;
}

static bool is_constraint_start(const tok *t)
{
	static const char *const words[] = { "CONSTRAINT", "PRIMARY", "UNIQUE", "CHECK", "FOREIGN" };

	for (size_t i = 0; i < RETORT_ARRAY_SIZE(words); i++)
		if (is_word(t, words[i]))
			return true;
	return false;
}

/* Words that end a column's type and start its constraints. */
static bool is_column_constraint_start(const tok *t)
{
	static const char *const words[] = { "CONSTRAINT", "PRIMARY", "NOT", "NULL", "UNIQUE", "CHECK",
		"DEFAULT", "COLLATE", "REFERENCES", "GENERATED", "AS" };

	for (size_t i = 0; i < RETORT_ARRAY_SIZE(words); i++)
		if (is_word(t, words[i]))
			return true;
	return false;
}

typedef struct span {
	const char *s, *e;
} span;

/* Split "CREATE TABLE x ( item, item ) suffix" into head, items and tail. */
static int split_create(const char *sql, span *head, retort_vec *items, span *tail)
{
	const char *p = sql, *end = sql + strlen(sql), *item = NULL;
	int depth = 0;

	for (;;) {
		tok t = next_tok(&p, end);
		if (t.kind == T_END)
			break;
		if (t.kind != T_PUNCT)
			continue;
		if (*t.s == '(') {
			if (depth++ == 0) {
				head->s = sql;
				head->e = p;
				item = p;
			}
		} else if (*t.s == ')' && depth > 0) {
			if (--depth == 0) {
				span *sp = retort__malloc(sizeof(*sp));
				sp->s = item;
				sp->e = t.s;
				retort_vec_push(items, sp);
				tail->s = t.s;
				tail->e = end;
				return 0;
			}
		} else if (*t.s == ',' && depth == 1) {
			span *sp = retort__malloc(sizeof(*sp));
			sp->s = item;
			sp->e = t.s;
			retort_vec_push(items, sp);
			item = p;
		}
	}
	return retort__error_set(RETORT_ERROR_DATABASE, "cannot parse the table definition '%s'", sql);
}

/* Skip a DEFAULT's expression starting at *p: a parenthesized expression or a signed literal. */
static void skip_default_expr(const char **p, const char *end)
{
	tok t = next_tok(p, end);

	if (t.kind == T_PUNCT && (*t.s == '+' || *t.s == '-'))
		t = next_tok(p, end);
	if (t.kind == T_PUNCT && *t.s == '(') {
		for (int depth = 1; depth > 0;) {
			t = next_tok(p, end);
			if (t.kind == T_END)
				break;
			if (t.kind == T_PUNCT && *t.s == '(')
				depth++;
			else if (t.kind == T_PUNCT && *t.s == ')')
				depth--;
		}
	}
}

/* Rewrite one column definition per `alter`. */
static void alter_item(retort_buf *out, const char *s, const char *end, const retort_alter *alter)
{
	const char *p = s, *type_s, *type_e, *rest, *q;
	tok t = next_tok(&p, end); /* the column name */
	int depth = 0;

	retort_buf_put(out, t.s, t.len);
	type_s = type_e = p;
	for (;;) {
		const char *before = p;
		t = next_tok(&p, end);
		if (t.kind == T_END || (depth == 0 && is_column_constraint_start(&t))) {
			p = before;
			break;
		}
		if (type_e == type_s)
			type_s = t.s; /* no leading blanks: a single space is written before the type */
		if (t.kind == T_PUNCT && *t.s == '(')
			depth++;
		else if (t.kind == T_PUNCT && *t.s == ')')
			depth--;
		type_e = p;
	}
	retort_buf_putc(out, ' ');
	if (alter->type)
		retort_buf_puts(out, alter->type);
	else
		retort_buf_put(out, type_s, (size_t)(type_e - type_s));
	rest = p;
	/* Copy the constraints, leaving out what this change replaces. */
	for (q = rest;;) {
		const char *before = q, *drop_to = NULL;
		tok a = next_tok(&q, end);
		if (a.kind == T_END)
			break;
		if (alter->nullable != RETORT_KEEP && is_word(&a, "NOT")) {
			const char *r = q;
			tok b = next_tok(&r, end);
			if (is_word(&b, "NULL"))
				drop_to = r;
		} else if (alter->nullable != RETORT_KEEP && is_word(&a, "NULL")) {
			drop_to = q;
		} else if ((alter->drop_default || alter->default_sql) && is_word(&a, "DEFAULT")) {
			skip_default_expr(&q, end);
			drop_to = q;
		} else if (is_word(&a, "DEFAULT")) {
			/* keep a DEFAULT NULL as a whole, so NULL is not taken for a constraint */
			skip_default_expr(&q, end);
		}
		if (drop_to) {
			if (is_word(&a, "NOT") || is_word(&a, "NULL")) {
				/* ...and its ON CONFLICT clause */
				const char *r = drop_to;
				tok on = next_tok(&r, end);
				if (is_word(&on, "ON")) {
					next_tok(&r, end);
					next_tok(&r, end);
					drop_to = r;
				}
			}
			q = drop_to;
			continue;
		}
		retort_buf_put(out, before, (size_t)(q - before));
	}
	if (alter->nullable == RETORT_SET_NOT_NULL)
		retort_buf_puts(out, " NOT NULL");
	if (!alter->drop_default && alter->default_sql)
		retort_buf_printf(out, " DEFAULT (%s)", alter->default_sql);
}

static bool blank(char c)
{
	return c == ' ' || c == '\n' || c == '\t' || c == '\r';
}

/* Does [s, e) end in a -- comment, which would swallow a "," written after it? */
static bool ends_in_line_comment(const char *s, const char *e)
{
	const char *p = s, *last = s;

	for (;;) {
		tok t = next_tok(&p, e);
		if (t.kind == T_END)
			break;
		last = p;
	}
	for (; last + 1 < e; last++)
		if (last[0] == '-' && last[1] == '-')
			return true;
	return false;
}

/*
 * An item's text without its trailing blanks (kept once, before the ")"),
 * but with a newline after a trailing -- comment so the next "," is code.
 */
static char *item_text(const char *s, const char *e)
{
	const char *end = e;

	while (end > s && blank(end[-1]))
		end--;
	if (ends_in_line_comment(s, e))
		return retort__sprintf("%.*s\n", (int)(end - s), s);
	return retort__strndup(s, (size_t)(end - s));
}

/* Does any token of [s, e) name `column`?  (Used to refuse orphaning a table constraint.) */
static bool mentions(const char *s, const char *e, const char *column)
{
	for (const char *p = s;;) {
		tok t = next_tok(&p, e);
		if (t.kind == T_END)
			return false;
		if (tok_names(&t, column))
			return true;
	}
}

int retort__sqlite_edit_create(char **out, const char *create_sql, const retort__sqlite_edit *edit)
{
	retort_vec items = RETORT_VEC_INIT, result = RETORT_VEC_INIT;
	retort_buf b = RETORT_BUF_INIT;
	span head = { NULL, NULL }, tail = { NULL, NULL };
	const char *trail_s = NULL, *trail_e = NULL;
	size_t last_column = 0;
	bool found = false;
	int error;

	*out = NULL;
	if ((error = split_create(create_sql, &head, &items, &tail)) < 0)
		goto done;
	for (size_t i = 0; i < items.len; i++) {
		span *sp = items.items[i];
		const char *p = sp->s;
		tok first = next_tok(&p, sp->e);
		bool constraint = is_constraint_start(&first);

		if (i + 1 == items.len) {
			trail_e = sp->e;
			for (trail_s = trail_e; trail_s > sp->s && blank(trail_s[-1]); trail_s--)
				;
		}
		if (edit->kind == RETORT_EDIT_DROP_CONSTRAINT && is_word(&first, "CONSTRAINT")) {
			tok name = next_tok(&p, sp->e);
			if (tok_names(&name, edit->name)) {
				found = true;
				continue;
			}
		}
		if (!constraint && tok_names(&first, edit->name ? edit->name : "")) {
			if (edit->kind == RETORT_EDIT_DROP_COLUMN) {
				found = true;
				continue;
			}
			if (edit->kind == RETORT_EDIT_ALTER_COLUMN) {
				found = true;
				/* Keep the item's leading layout (newline and indentation). */
				retort_buf_put(&b, sp->s, (size_t)(first.s - sp->s));
				alter_item(&b, first.s, sp->e, edit->alter);
				{
					char *altered = retort_buf_detach(&b);
					retort_vec_push(&result, item_text(altered, altered + strlen(altered)));
					free(altered);
				}
				last_column = result.len;
				continue;
			}
		}
		if (edit->kind == RETORT_EDIT_DROP_COLUMN && constraint && mentions(sp->s, sp->e, edit->name)) {
			char *text = item_text(sp->s, sp->e);
			error = retort__error_set(RETORT_ERROR_DATABASE,
				"cannot drop column '%s': table constraint '%s' uses it; drop the constraint first",
				edit->name, retort__trim(text));
			free(text);
			goto done;
		}
		retort_vec_push(&result, item_text(sp->s, sp->e));
		if (!constraint)
			last_column = result.len;
	}
	if (edit->kind == RETORT_EDIT_ADD_COLUMN || edit->kind == RETORT_EDIT_ADD_CONSTRAINT) {
		/* Columns must precede table constraints; constraints go last. */
		size_t at = edit->kind == RETORT_EDIT_ADD_COLUMN ? last_column : result.len;
		retort_vec_insert(&result, at, retort__sprintf("\n    %s", edit->item_sql));
		found = true;
	}
	if (!found) {
		error = edit->kind == RETORT_EDIT_DROP_CONSTRAINT
			? retort__error_set(RETORT_ERROR_DATABASE,
				"no named table constraint '%s' in the table definition "
				"(SQLite can only drop constraints declared as CONSTRAINT <name> at table level)",
				edit->name)
			: retort__error_set(RETORT_ERROR_DATABASE, "no column '%s' in the table definition", edit->name);
		goto done;
	}
	if (!result.len) {
		error = retort__error_set(RETORT_ERROR_DATABASE, "cannot drop the only column '%s' of a table", edit->name);
		goto done;
	}
	retort_buf_put(&b, head.s, (size_t)(head.e - head.s));
	for (size_t i = 0; i < result.len; i++) {
		if (i)
			retort_buf_putc(&b, ',');
		retort_buf_puts(&b, result.items[i]);
	}
	if (trail_s)
		retort_buf_put(&b, trail_s, (size_t)(trail_e - trail_s));
	retort_buf_put(&b, tail.s, (size_t)(tail.e - tail.s));
	*out = retort_buf_detach(&b);
done:
	retort_buf_dispose(&b);
	retort_vec_dispose(&items, true);
	retort_vec_dispose(&result, true);
	return error;
}

/* --- the rebuild ---------------------------------------------------------- */

static char *ident(retort_db *db, const char *name)
{
	retort_buf b = RETORT_BUF_INIT;

	retort_db_quote_ident(db, &b, name);
	return retort_buf_detach(&b);
}

/*
 * AUTOINCREMENT promises never to reuse an id, even of a deleted row; the
 * promise lives in sqlite_sequence, whose row goes with the dropped table.
 * Save it before the drop and put it back after the copy.
 */
static int save_sequence(char **out, retort_db *db, const char *table)
{
	retort_rows *rows = NULL;
	int error;

	*out = NULL;
	if ((error = retort_db_query(&rows, db,
		"SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_sequence'", 0, NULL)) < 0)
		return error;
	if (rows->nrows) {
		const char *params[] = { table };
		retort_rows_free(rows);
		rows = NULL;
		if ((error = retort_db_query(&rows, db,
			"SELECT CAST(seq AS TEXT) FROM sqlite_sequence WHERE name = $1 COLLATE NOCASE", 1, params)) < 0)
			return error;
		if (rows->nrows && retort_rows_get(rows, 0, 0))
			*out = retort__strdup(retort_rows_get(rows, 0, 0));
	}
	retort_rows_free(rows);
	return 0;
}

static int restore_sequence(retort_db *db, const char *table, const char *seq)
{
	const char *params[] = { table, seq };
	int error;

	if (!seq)
		return 0;
	/* The copy may have created the row already (with the largest copied id), or not (no rows). */
	if ((error = retort_db_query(NULL, db,
		"UPDATE sqlite_sequence SET seq = CAST($2 AS INTEGER) "
		"WHERE name = $1 COLLATE NOCASE AND seq < CAST($2 AS INTEGER)", 2, params)) < 0)
		return error;
	return retort_db_query(NULL, db,
		"INSERT INTO sqlite_sequence (name, seq) SELECT $1, CAST($2 AS INTEGER) "
		"WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = $1 COLLATE NOCASE)", 2, params);
}

/* Refuse when dropping the table would run another table's ON DELETE action. */
static int check_referencing_actions(retort_db *db, const char *table)
{
	static const char sql[] =
		"SELECT m.name, f.on_delete FROM sqlite_master AS m, pragma_foreign_key_list(m.name) AS f "
		"WHERE m.type = 'table' AND f.\"table\" = $1 COLLATE NOCASE AND m.name <> $1 COLLATE NOCASE "
		"AND f.on_delete <> 'NO ACTION'";
	const char *params[] = { table };
	retort_rows *rows = NULL;
	int error;

	if ((error = retort_db_query(&rows, db, sql, 1, params)) < 0)
		return error;
	if (rows->nrows > 0)
		error = retort__error_set(RETORT_ERROR_DATABASE,
			"cannot rebuild table '%s': table '%s' references it with ON DELETE %s, which SQLite "
			"would apply while the table is dropped and recreated; change that foreign key first",
			table, retort_rows_get(rows, 0, 0), retort_rows_get(rows, 0, 1));
	retort_rows_free(rows);
	return error;
}

/*
 * Check what the rebuild can have broken, and nothing else: the rebuilt
 * table's own foreign keys, and the foreign keys of other tables that point
 * at it.  A violation elsewhere in the database predates this revision and
 * is not its business.  The names go in as bound values of the table-valued
 * pragmas, so none is spliced into SQL.
 */
static int foreign_key_check(retort_db *db, const char *table)
{
	static const char sql[] =
		"WITH checked (name) AS ("
		"SELECT name FROM sqlite_master WHERE type = 'table' AND name = $1 COLLATE NOCASE "
		"UNION SELECT m.name FROM sqlite_master AS m, pragma_foreign_key_list(m.name) AS f "
		"WHERE m.type = 'table' AND f.\"table\" = $1 COLLATE NOCASE) "
		"SELECT c.\"table\", c.rowid, c.parent FROM checked AS k, pragma_foreign_key_check(k.name) AS c "
		"WHERE k.name = $1 COLLATE NOCASE OR c.parent = $1 COLLATE NOCASE";
	const char *params[] = { table };
	retort_rows *rows = NULL;
	int error;

	if ((error = retort_db_query(&rows, db, sql, 1, params)) < 0)
		return error;
	if (rows->nrows > 0)
		error = retort__error_set(RETORT_ERROR_DATABASE,
			"rebuilding table '%s' left %zu foreign key violation(s), the first in table '%s' "
			"(row %s) referencing '%s'", table, rows->nrows, retort_rows_get(rows, 0, 0),
			retort_rows_get(rows, 0, 1) ? retort_rows_get(rows, 0, 1) : "?", retort_rows_get(rows, 0, 2));
	retort_rows_free(rows);
	return error;
}

static int exec_step(retort_db *db, const char *table, const char *sql)
{
	int error = retort_db_exec(db, sql);

	if (error < 0)
		retort__error_prefix("rebuilding table '%s' (%s)", table, sql);
	return error;
}

static int rebuild_steps(retort_db *db, const char *table, const retort__sqlite_edit *edit)
{
	const char *params[] = { table, edit->kind == RETORT_EDIT_DROP_COLUMN ? edit->name : NULL };
	retort_rows *def = NULL, *deps = NULL, *cols = NULL, *newcols = NULL;
	retort_buf sql = RETORT_BUF_INIT, list = RETORT_BUF_INIT;
	char *create = NULL, *qt = NULL, *qhold = NULL, *hold = NULL, *seq = NULL;
	int error;

	if (db->dialect->id != RETORT_DIALECT_SQLITE)
		return retort__error_set(RETORT_ERROR_INTERNAL, "table rebuild is for SQLite only");
	if ((error = retort_db_query(&def, db,
		"SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name = $1 COLLATE NOCASE", 1, params)) < 0)
		goto done;
	if (def->nrows == 0) {
		error = retort__error_code(RETORT_ENOTFOUND, RETORT_ERROR_DATABASE, "no table '%s'", table);
		goto done;
	}
	table = retort_rows_get(def, 0, 0); /* the stored spelling */
	params[0] = table;
	if ((error = retort__sqlite_edit_create(&create, retort_rows_get(def, 0, 1), edit)) < 0) {
		retort__error_prefix("table '%s'", table);
		goto done;
	}
	if ((error = check_referencing_actions(db, table)) < 0)
		goto done;
	/* Indexes on a dropped column go with it, as DROP COLUMN does in PostgreSQL. */
	if ((error = retort_db_query(&deps, db,
		"SELECT m.sql FROM sqlite_master AS m WHERE m.tbl_name = $1 COLLATE NOCASE "
		"AND m.type IN ('index', 'trigger') AND m.sql IS NOT NULL "
		"AND NOT (m.type = 'index' AND EXISTS (SELECT 1 FROM pragma_index_info(m.name) AS i "
		"WHERE i.name = $2 COLLATE NOCASE)) ORDER BY m.type, m.rowid", 2, params)) < 0)
		goto done;
	/* Generated columns (hidden 2 and 3) cannot be inserted into; they recompute. */
	if ((error = retort_db_query(&cols, db,
		"SELECT name FROM pragma_table_xinfo($1) WHERE hidden = 0 ORDER BY cid", 1, params)) < 0)
		goto done;
	qt = ident(db, table);
	hold = retort__sprintf("_retort_batch_%s", table);
	qhold = ident(db, hold);

	/*
	 * Deferred foreign keys: dropping the table orphans the rows that
	 * reference it until the copy puts its rows back; SQLite counts and
	 * uncounts those, and the transaction's commit checks the result.
	 */
	if ((error = exec_step(db, table, "PRAGMA defer_foreign_keys = ON")) < 0)
		goto done;
	retort_buf_printf(&sql, "CREATE TABLE %s AS SELECT * FROM %s", qhold, qt);
	if ((error = exec_step(db, table, sql.ptr)) < 0)
		goto done;
	if ((error = save_sequence(&seq, db, table)) < 0)
		goto done;
	retort_buf_clear(&sql);
	retort_buf_printf(&sql, "DROP TABLE %s", qt);
	if ((error = exec_step(db, table, sql.ptr)) < 0)
		goto done;
	if ((error = exec_step(db, table, create)) < 0)
		goto done;
	/* Copy the columns both tables have: an added column takes its default, a dropped one stays behind. */
	if ((error = retort_db_query(&newcols, db,
		"SELECT name FROM pragma_table_xinfo($1) WHERE hidden = 0 ORDER BY cid", 1, params)) < 0)
		goto done;
	for (size_t i = 0; i < newcols->nrows; i++) {
		const char *name = retort_rows_get(newcols, i, 0);
		bool old = false;
		for (size_t j = 0; j < cols->nrows && !old; j++)
			old = !retort__strcasecmp(name, retort_rows_get(cols, j, 0));
		if (!old)
			continue;
		if (list.size)
			retort_buf_puts(&list, ", ");
		retort_db_quote_ident(db, &list, name);
	}
	retort_buf_clear(&sql);
	retort_buf_printf(&sql, "INSERT INTO %s (%s) SELECT %s FROM %s", qt, list.ptr, list.ptr, qhold);
	if ((error = exec_step(db, table, sql.ptr)) < 0)
		goto done;
	if ((error = restore_sequence(db, table, seq)) < 0)
		goto done;
	retort_buf_clear(&sql);
	retort_buf_printf(&sql, "DROP TABLE %s", qhold);
	if ((error = exec_step(db, table, sql.ptr)) < 0)
		goto done;
	for (size_t i = 0; i < deps->nrows; i++)
		if ((error = exec_step(db, table, retort_rows_get(deps, i, 0))) < 0)
			goto done;
	error = foreign_key_check(db, table);
done:
	retort_rows_free(def);
	retort_rows_free(deps);
	retort_rows_free(cols);
	retort_rows_free(newcols);
	retort_buf_dispose(&sql);
	retort_buf_dispose(&list);
	free(create);
	free(qt);
	free(qhold);
	free(hold);
	free(seq);
	return error;
}

/*
 * A savepoint makes the rebuild all-or-nothing: inside the revision's
 * transaction a failure leaves the table as it was, and outside one
 * (Transactional: no) it opens and commits its own transaction, which is
 * also where the deferred foreign keys are checked.
 */
static int rebuild(retort_db *db, const char *table, const retort__sqlite_edit *edit)
{
	int error;

	if (!table || !*table || !edit->name || !*edit->name)
		return retort__error_set(RETORT_ERROR_SCRIPT, "a table and a column or constraint name are required");

	if ((error = exec_step(db, table, "SAVEPOINT retort_rebuild")) < 0)
		return error;
	if ((error = rebuild_steps(db, table, edit)) < 0) {
		/* Keep the real error: the cleanup cannot fail in a useful way here. */
		retort_rows *none = NULL;
		retort_db_query(&none, db, "ROLLBACK TO retort_rebuild", 0, NULL);
		retort_rows_free(none);
		none = NULL;
		retort_db_query(&none, db, "RELEASE retort_rebuild", 0, NULL);
		retort_rows_free(none);
		return error;
	}
	return exec_step(db, table, "RELEASE retort_rebuild");
}

int retort__sqlite_alter_column(retort_db *db, const char *table, const char *column,
	const retort_alter *alter)
{
	retort__sqlite_edit edit = { RETORT_EDIT_ALTER_COLUMN, column, alter, NULL };

	if (!table || !column)
		return retort__error_set(RETORT_ERROR_SCRIPT, "alter_column: a table and a column name are required");
	if (!alter || (!alter->type && alter->nullable == RETORT_KEEP && !alter->default_sql && !alter->drop_default))
		return retort__error_set(RETORT_ERROR_SCRIPT, "alter_column '%s.%s': nothing to change", table, column);
	if (alter->nullable != RETORT_KEEP && alter->nullable != RETORT_SET_NOT_NULL &&
	    alter->nullable != RETORT_DROP_NOT_NULL)
		return retort__error_set(RETORT_ERROR_SCRIPT, "alter_column '%s.%s': invalid nullable value %d",
			table, column, alter->nullable);
	return rebuild(db, table, &edit);
}

int retort__sqlite_add_constraint(retort_db *db, const char *table, const retort_constraint *c)
{
	retort_buf sql = RETORT_BUF_INIT;
	int error;

	if ((error = retort__render_constraint(&sql, db->dialect, c)) >= 0) {
		retort__sqlite_edit edit = { RETORT_EDIT_ADD_CONSTRAINT, c->name, NULL, sql.ptr };
		error = rebuild(db, table, &edit);
	}
	retort_buf_dispose(&sql);
	return error;
}

int retort__sqlite_drop_constraint(retort_db *db, const char *table, const char *name)
{
	retort__sqlite_edit edit = { RETORT_EDIT_DROP_CONSTRAINT, name, NULL, NULL };

	return rebuild(db, table, &edit);
}

int retort__sqlite_add_column(retort_db *db, const char *table, const retort_column *column)
{
	retort_buf sql = RETORT_BUF_INIT;
	int error;

	if ((error = retort__render_column(&sql, db->dialect, column)) >= 0) {
		retort__sqlite_edit edit = { RETORT_EDIT_ADD_COLUMN, column->name, NULL, sql.ptr };
		error = rebuild(db, table, &edit);
	}
	retort_buf_dispose(&sql);
	return error;
}

int retort__sqlite_drop_column(retort_db *db, const char *table, const char *column)
{
	retort__sqlite_edit edit = { RETORT_EDIT_DROP_COLUMN, column, NULL, NULL };

	return rebuild(db, table, &edit);
}
