/*
 * sql.h - SQL text as each dialect reads it: one lexer per dialect behind
 * one interface, the statements of a script, and what a statement is.
 *
 * Callers name the dialect (retort_dialect_id) and never tokenize SQL
 * themselves.  PostgreSQL text goes through libpg_query: PostgreSQL's own
 * scanner for tokens, its parser for parse trees.  SQLite text goes through
 * lex_sqlite.c, written to SQLite's tokenizer rules ("x", [x] and `x`
 * identifiers, 'x' strings, x'..' blobs, non-nesting block comments, ?NNN
 * :name @name $name parameters).  On top of the tokens, one splitter knows
 * where each dialect ends a statement (quotes, comments, dollar quoting,
 * SQLite's CREATE TRIGGER ... BEGIN ... END, PostgreSQL's BEGIN ATOMIC
 * bodies) and one classifier says what a statement does: transaction
 * control, COPY to or from the client, its leading command words.
 *
 * This module does not connect to a database or run anything, and it is
 * not a SQL parser: beyond tokens it knows only what splitting and
 * classifying need (PostgreSQL's parse tree is libpg_query's, as JSON).
 *
 * Offsets and lengths are in bytes.  Lines are 1-based and count '\n'
 * only, so a CRLF ends one line.  The tokens of a text cover it exactly:
 * every byte is in one token, in order.  Lexing never fails: a quote or
 * comment the text ends inside is one token to the end, marked
 * `unterminated`, and bytes the dialect rejects become RETORT_SQL_ERROR
 * tokens; PostgreSQL's scanner also says why (retort_sql_script::error).
 */
#ifndef RETORT_SQL_H
#define RETORT_SQL_H

#include <stdbool.h>
#include <stddef.h>

/* The dialects retort speaks (a URL's scheme picks one: dialect/url.h). */
typedef enum retort_dialect_id {
	RETORT_DIALECT_SQLITE = 1,
	RETORT_DIALECT_POSTGRES = 2,
} retort_dialect_id;

typedef enum retort_sql_kind {
	RETORT_SQL_SPACE = 1, /* whitespace */
	RETORT_SQL_COMMENT,   /* -- to the end of the line, or a block comment */
	RETORT_SQL_WORD,      /* a keyword or a bare identifier */
	RETORT_SQL_QUOTED,    /* a quoted identifier: "x", U&"x"; SQLite also [x], `x` */
	RETORT_SQL_STRING,    /* 'x', E'x', U&'x', $tag$x$tag$, B'01', X'ff'; SQLite 'x', x'ff' */
	RETORT_SQL_NUMBER,    /* 1, 1.5e3, .5, 0x1F (SQLite) */
	RETORT_SQL_PARAM,     /* $1; SQLite also ?, ?NNN, :name, @name, #name, $name */
	RETORT_SQL_OP,        /* an operator or punctuation, ';' '(' ')' included */
	RETORT_SQL_ERROR,     /* bytes the dialect's lexer rejects */
} retort_sql_kind;

typedef struct retort_sql_token {
	retort_sql_kind kind;
	bool unterminated;    /* a string, quoted identifier or comment the text ends inside */
	size_t offset, len;
	unsigned line;        /* of its first byte */
} retort_sql_token;

/* Whitespace or a comment: what separates tokens and is never a statement. */
static inline bool retort_sql_blank(const retort_sql_token *t)
{
	return t->kind == RETORT_SQL_SPACE || t->kind == RETORT_SQL_COMMENT;
}

/* --- what a statement is --------------------------------------------- */

typedef enum retort_sql_txn {
	RETORT_SQL_TXN_NONE = 0,
	RETORT_SQL_TXN_BEGIN,             /* BEGIN, START TRANSACTION (not BEGIN ATOMIC) */
	RETORT_SQL_TXN_COMMIT,            /* COMMIT, END */
	RETORT_SQL_TXN_ROLLBACK,          /* ROLLBACK, ABORT (PostgreSQL) */
	RETORT_SQL_TXN_ROLLBACK_TO,       /* ROLLBACK [WORK|TRANSACTION] TO [SAVEPOINT] x: the transaction goes on */
	RETORT_SQL_TXN_SAVEPOINT,         /* SAVEPOINT x */
	RETORT_SQL_TXN_RELEASE,           /* RELEASE [SAVEPOINT] x */
	RETORT_SQL_TXN_PREPARE,           /* PREPARE TRANSACTION 'x' (not PREPARE name AS ...) */
	RETORT_SQL_TXN_COMMIT_PREPARED,   /* COMMIT PREPARED 'x' */
	RETORT_SQL_TXN_ROLLBACK_PREPARED, /* ROLLBACK PREPARED 'x' */
} retort_sql_txn;

typedef enum retort_sql_copy {
	RETORT_SQL_COPY_NONE = 0,
	RETORT_SQL_COPY_IN,   /* COPY ... FROM STDIN (or STDOUT): rows come from the client */
	RETORT_SQL_COPY_OUT,  /* COPY ... TO STDOUT (or STDIN): rows go to the client */
} retort_sql_copy;

/*
 * `command` is the statement's leading command words in upper case,
 * joined by one space: "CREATE TABLE", "DROP MATERIALIZED VIEW",
 * "ALTER TABLE", "TRUNCATE", "DELETE", "SELECT".  CREATE's modifiers are
 * left out (OR REPLACE, TEMP, TEMPORARY, GLOBAL, LOCAL, UNLOGGED, UNIQUE,
 * TRUSTED, PROCEDURAL, RECURSIVE), object types of several words are kept
 * whole, and a leading WITH clause is skipped to the command it
 * qualifies.  Empty when the statement does not start with a word.
 */
typedef struct retort_sql_class {
	retort_sql_txn txn;
	retort_sql_copy copy;     /* PostgreSQL only */
	char command[40];
	size_t command_token;     /* the command's first word, an index into the tokens classified */
} retort_sql_class;

/*
 * Does a statement of this kind end or replace the transaction it runs
 * in (BEGIN, START TRANSACTION, COMMIT, END, ROLLBACK, ABORT, PREPARE
 * TRANSACTION, COMMIT/ROLLBACK PREPARED)?  Savepoints, RELEASE and
 * ROLLBACK TO keep it open.
 */
bool retort_sql_txn_ends(retort_sql_txn txn);

/* --- a script: tokens and statements ------------------------------------ */

typedef struct retort_sql_stmt {
	size_t offset, len;       /* from after the previous statement's ';' to its own ';' (excluded) */
	size_t token, ntokens;    /* its tokens in the script's, blanks included */
	unsigned line;            /* line of its first token that is not blank */
	retort_sql_class cls;
} retort_sql_stmt;

typedef struct retort_sql_script {
	retort_dialect_id dialect;
	const char *text;         /* borrowed from the caller: must outlive the script */
	size_t len;
	retort_sql_token *tokens;
	size_t ntokens;
	retort_sql_stmt *stmts;   /* statements with at least one token that is not blank */
	size_t nstmts;
	/* The first thing the lexer rejected (PostgreSQL's scanner), NULL when nothing. */
	char *error;
	size_t error_offset;
	unsigned error_line;
} retort_sql_script;

/*
 * Lex and split `len` bytes of `sql` (need not be NUL-terminated) and
 * classify each statement.  Never fails for a known dialect: text the
 * lexer rejects is still covered by tokens, and `error` says why.
 * RETORT_ERROR (class INTERNAL) only for an unknown dialect.  Free with
 * retort_sql_script_free.
 */
int retort_sql_script_read(retort_sql_script **out, retort_dialect_id dialect,
	const char *sql, size_t len);
void retort_sql_script_free(retort_sql_script *script);

/*
 * What the lexer rejected, as the thread-local error (class SCRIPT):
 * RETORT_ERROR, or 0 when the script has no error.  With `err_line`, the
 * line goes there and the message is the scanner's; without, the message
 * starts "line N: ".
 */
int retort_sql_script_error(const retort_sql_script *script, unsigned *err_line);

/* Lex only (no statements): into *out, *n tokens (caller frees *out). */
void retort_sql_lex(retort_sql_token **out, size_t *n, retort_dialect_id dialect,
	const char *sql, size_t len);

/*
 * Called for each statement: `sql`/`len` as in retort_sql_stmt (leading
 * blanks included, the ';' not), `line` the line of its first token.
 * Non-zero stops the split and is returned by it.
 */
typedef int (*retort_sql_stmt_cb)(const char *sql, size_t len, unsigned line, void *payload);

/*
 * Split the NUL-terminated `sql` and call `cb` for each statement.  When
 * the lexer rejects the text (PostgreSQL: an unterminated quote, junk
 * after a number), nothing is called and the error is
 * retort_sql_script_error's.  When `cb` stops the split, *err_line (if
 * given) is its statement's line.
 */
int retort_sql_split(retort_dialect_id dialect, const char *sql, unsigned *err_line,
	retort_sql_stmt_cb cb, void *payload);

/*
 * Offset of the first token of sql[0, len) that is neither whitespace nor
 * a comment (`len` when there is none).  When `line` is given, the
 * newlines before it are added to *line.  SQLite lexes only that far.
 */
size_t retort_sql_skip_blank(retort_dialect_id dialect, const char *sql, size_t len, unsigned *line);

/* The number of '\n' in p[0, len). */
unsigned retort_sql_newlines(const char *p, size_t len);

/*
 * Classify the statement made of tokens[0, n) over `text` (the text the
 * token offsets point into).  Blank tokens are skipped.
 */
void retort_sql_classify(retort_sql_class *out, retort_dialect_id dialect, const char *text,
	const retort_sql_token *tokens, size_t n);
/* The same for one statement's text: lexes it first. */
void retort_sql_classify_text(retort_sql_class *out, retort_dialect_id dialect,
	const char *sql, size_t len);

/*
 * Is token `t` of `text` the word `upper` (an upper-case keyword), compared
 * without regard to case?  Quoted identifiers are never keywords.
 */
bool retort_sql_is_word(const char *text, const retort_sql_token *t, const char *upper);

/* --- PostgreSQL's parse tree --------------------------------------------- */

struct json_t;
/*
 * libpg_query's parse tree of `len` bytes of PostgreSQL text, as a jansson
 * value the caller releases with json_decref:
 * {"version": N, "stmts": [{"stmt": {"CreateStmt": {...}}, "stmt_len": N}, ...]}.
 * Text the parser rejects is RETORT_ERROR, class SCRIPT: "line N: syntax
 * error at or near ...".
 */
int retort_sql_pg_parse(struct json_t **out, const char *sql, size_t len);

#endif
