/*
 * fuzz_split.c - the statement splitters of both dialects, the SQLite
 * CREATE TABLE editor and offline parameter inlining on arbitrary bytes.
 *
 * Beyond "never crash": every statement a splitter reports lies inside
 * the input, after the previous one, and its line is the line of its
 * first token, counted independently here.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/common.h"
#include "run/ctx.h"
#include "dialect/db.h"
#include "dialect/dialect.h"
#include "run/sqlite_batch.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct seen {
	const char *input;
	size_t len;
	const char *last_end;
	bool nested;
} seen;

static int check_stmt(const char *sql, size_t len, unsigned line, void *payload)
{
	seen *s = payload;
	unsigned want = 1;
	const char *first;

	if (sql < s->last_end || sql + len > s->input + s->len || len == 0)
		abort();
	want += retort__count_newlines(s->input, sql);
	first = retort__sql_skip_blank(sql, sql + len, s->nested, &want);
	if (first >= sql + len || line != want)
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
	retort_alter alter = { .type = "TEXT", .nullable = RETORT_SET_NOT_NULL, .default_sql = "1" };
	retort_buf out = RETORT_BUF_INIT;
	char *edited = NULL;
	seen s;

	s = (seen){ text, strlen(text), text, false };
	sq->split(text, check_stmt, &s);
	s = (seen){ text, strlen(text), text, true };
	pg->split(text, check_stmt, &s);

	retort__ctx_inline_params(&out, sq, text, 3, params);
	retort_buf_clear(&out);
	retort__ctx_inline_params(&out, pg, text, 3, params);
	retort_buf_dispose(&out);

	{
		const retort__sqlite_edit edits[] = {
			{ RETORT_EDIT_ALTER_COLUMN, "a", &alter, NULL },
			{ RETORT_EDIT_ADD_COLUMN, "z", NULL, "z TEXT" },
			{ RETORT_EDIT_DROP_COLUMN, "a", NULL, NULL },
			{ RETORT_EDIT_ADD_CONSTRAINT, "c", NULL, "CONSTRAINT c CHECK (1)" },
			{ RETORT_EDIT_DROP_CONSTRAINT, "c", NULL, NULL },
		};
		for (size_t i = 0; i < sizeof(edits) / sizeof(edits[0]); i++)
			if (retort__sqlite_edit_create(&edited, text, &edits[i]) == 0)
				free(edited);
	}
	free(text);
	return 0;
}
