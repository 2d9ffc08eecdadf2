/*
 * fuzz_rules.c - the lint rules (rules.h) on arbitrary text, in both
 * dialects, in and out of a transaction, reported and only learnt from.
 *
 * Beyond "never crash": one statement per statement sql.h splits, each
 * statement's findings a contiguous run after the previous one's, every
 * finding on a line of the text with a rule, a level and a message, and
 * checking the same text twice in a row, from the same remembered
 * schema, finds the same rules.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/common.h"
#include "rules/rules.h"
#include "sql/sql.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(const retort_rules_result *res, const char *text, retort_dialect_id d)
{
	retort_sql_script *s = NULL;
	unsigned lines = 1 + retort_sql_newlines(text, strlen(text));
	size_t next = 0;

	if (retort_sql_script_read(&s, d, text, strlen(text)) < 0 || res->nstmts != s->nstmts)
		abort();
	retort_sql_script_free(s);
	for (size_t i = 0; i < res->nstmts; i++) {
		const retort_rules_stmt *st = &res->stmts[i];
		if (st->first != next || st->first + st->nfindings > res->nfindings || st->line < 1 || st->line > lines)
			abort();
		next = st->first + st->nfindings;
	}
	if (next != res->nfindings)
		abort();
	for (size_t i = 0; i < res->nfindings; i++) {
		const retort_rules_finding *f = &res->findings[i];
		if (!f->rule || f->level < RETORT_LINT_ERROR || f->level > RETORT_LINT_ADVICE ||
		    f->line < 1 || f->line > lines || !f->message || !*f->message)
			abort();
	}
}

static void run(retort_dialect_id d, const char *text, bool tx)
{
	retort_rules *r = NULL;
	retort_rules_result *a = NULL, *b = NULL;

	if (retort_rules_new(&r, d, NULL, NULL) < 0)
		abort();
	if (retort_rules_check(NULL, r, text, 1, tx) < 0 || retort_rules_check(&a, r, text, 1, tx) < 0)
		abort();
	check(a, text, d);
	retort_rules_free(r);
	/* a fresh checker that learnt the same text first says the same */
	if (retort_rules_new(&r, d, NULL, NULL) < 0 || retort_rules_check(NULL, r, text, 1, tx) < 0 ||
	    retort_rules_check(&b, r, text, 1, tx) < 0)
		abort();
	if (a->nfindings != b->nfindings)
		abort();
	for (size_t i = 0; i < a->nfindings; i++)
		if (a->findings[i].rule != b->findings[i].rule || a->findings[i].line != b->findings[i].line)
			abort();
	retort_rules_result_free(a);
	retort_rules_result_free(b);
	retort_rules_free(r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = retort__strndup((const char *)data, size);

	run(RETORT_DIALECT_POSTGRES, text, true);
	run(RETORT_DIALECT_POSTGRES, text, false);
	run(RETORT_DIALECT_SQLITE, text, true);
	free(text);
	retort_error_clear();
	return 0;
}
