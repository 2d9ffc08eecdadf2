/*
 * check.c - the checker (see rules.h): walk a revision's statements, let
 * the dialect's rules judge each one, and settle what they found: the
 * table's size, retort.ini's lint_error and lint_ignore, and the
 * statement's `-- retort:nolint` comments.
 *
 * Statements are sql.h's, so a finding's line is its statement's (or,
 * on PostgreSQL, the line of the subcommand the parse tree points at).
 * Transaction control is sql.h's classifier's verdict for both dialects.
 * Each PostgreSQL statement is parsed on its own: a statement the parser
 * rejects is one finding, and the others are still checked.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/common.h"
#include "dialect/db.h"
#include "rules/rules_int.h"

/* --- the checker --- */

static int resolve_codes(retort_vec *out, const retort_vec *codes, const retort_config *cfg,
	const char *key, unsigned line)
{
	for (size_t i = 0; i < codes->len; i++) {
		const retort_rule *rule = retort_rule_find(codes->items[i]);
		if (!rule)
			return retort__error_set(RETORT_ERROR_CONFIG,
				"%s:%u: unknown lint rule '%s' in %s (rules are listed in the README)",
				cfg->path, line, (const char *)codes->items[i], key);
		retort_vec_push(out, (void *)rule);
	}
	return 0;
}

int retort_rules_new(retort_rules **out, retort_dialect_id dialect, const retort_config *cfg,
	struct retort_db *db)
{
	retort_rules *r = retort__calloc(1, sizeof(*r));
	int error = 0;

	*out = NULL;
	r->dialect = dialect ? dialect : RETORT_DIALECT_POSTGRES;
	r->cfg = cfg;
	r->db = db;
	r->large_table = cfg ? cfg->lint_large_table : 1000000;
	if (cfg && ((error = resolve_codes(&r->promote, &cfg->lint_error, cfg, "lint_error", cfg->lint_error_line)) < 0 ||
	    (error = resolve_codes(&r->ignore, &cfg->lint_ignore, cfg, "lint_ignore", cfg->lint_ignore_line)) < 0))
		goto done;
	for (size_t i = 0; i < r->promote.len; i++)
		if (retort_vec_contains(&r->ignore, r->promote.items[i])) {
			error = retort__error_set(RETORT_ERROR_CONFIG, "%s:%u: lint rule %s is in both lint_error and lint_ignore",
				cfg->path, cfg->lint_ignore_line, ((const retort_rule *)r->promote.items[i])->code);
			goto done;
		}
done:
	if (error < 0)
		retort_rules_free(r);
	else
		*out = r;
	return error;
}

static void revision_reset(retort_rules *r)
{
	retort_map_dispose(&r->created, false);
	retort_map_dispose(&r->created_indexes, false);
	retort_map_dispose(&r->rebuilt, false);
	r->has_ddl = false;
}

void retort_rules_free(retort_rules *r)
{
	if (!r)
		return;
	revision_reset(r);
	retort__mem_free_all(&r->tables);
	retort_map_dispose(&r->indexes, true);
	for (size_t i = 0; i < r->facts.len; i++)
		retort_rows_free(r->facts.vals[i]);
	retort_map_dispose(&r->facts, false);
	retort_vec_dispose(&r->promote, false);
	retort_vec_dispose(&r->ignore, false);
	free(r->db_error);
	free(r);
}

retort_lint_level retort_rules_level(const retort_rules *r, const retort_rule *rule, retort_lint_level level)
{
	if (retort_vec_contains(&r->ignore, rule))
		return 0;
	if (retort_vec_contains(&r->promote, rule))
		return RETORT_LINT_ERROR;
	return level;
}

void retort_rules_result_free(retort_rules_result *res)
{
	if (!res)
		return;
	for (size_t i = 0; i < res->nstmts; i++)
		free(res->stmts[i].table);
	for (size_t i = 0; i < res->nfindings; i++) {
		free(res->findings[i].table);
		free(res->findings[i].message);
	}
	free(res->stmts);
	free(res->findings);
	free(res);
}

/* --- what the dialects call --- */

bool retort__rules_created_here(const retort_rules *r, const char *table)
{
	return table && retort_map_has(&r->created, table);
}

void retort__rules_lock(retort_rules *r, retort_lock lock, const char *schema, const char *table)
{
	if (!r->st || lock < r->st->lock || (lock == r->st->lock && r->st->table))
		return;
	r->st->lock = lock;
	free(r->st->table);
	r->st->table = table ? retort__strdup(table) : NULL;
	r->st_schema = schema;
}

void retort__rules_emit(retort_rules *r, const char *code, size_t location, retort_lock lock,
	const char *schema, const char *table, const char *fmt, ...)
{
	const retort_rule *rule = retort_rule_find(code);
	retort_rules_finding *f;
	retort_buf msg = RETORT_BUF_INIT;
	va_list ap;

	if (!r->out || !rule)
		return;
	if (r->out->nfindings == r->cap_findings) {
		r->cap_findings = r->cap_findings ? 2 * r->cap_findings : 16;
		r->out->findings = retort__realloc(r->out->findings, r->cap_findings * sizeof(*f));
	}
	f = &r->out->findings[r->out->nfindings++];
	memset(f, 0, sizeof(*f));
	va_start(ap, fmt);
	retort_buf_vprintf(&msg, fmt, ap);
	va_end(ap);
	f->rule = rule;
	f->level = rule->level;
	f->line = location != (size_t)-1 && location <= r->len
		? r->line + retort_sql_newlines(r->text, location) : r->first_token_line;
	f->lock = lock;
	f->table = table ? retort__strdup(table) : NULL;
	f->rows = rule->size_matters && table ? retort__facts_rows(r, schema, table) : -1;
	f->message = retort_buf_detach(&msg);
	r->st->nfindings++;
}

/* --- nolint comments --- */

static bool code_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

/*
 * The rules one comment names: "retort:nolint R101, drop-column" (then,
 * optionally, ':' or '--' and a reason).  Unknown names are findings.
 */
static void nolint_comment(retort_rules *r, retort_vec *codes, const char *p, size_t len)
{
	const char *end = p + len, *at;
	static const char marker[] = "retort:nolint";

	for (at = p; at + sizeof(marker) - 1 <= end; at++)
		if (!memcmp(at, marker, sizeof(marker) - 1))
			break;
	if (at + sizeof(marker) - 1 > end)
		return;
	for (p = at + sizeof(marker) - 1; p < end; ) {
		const char *w;
		char name[64];
		const retort_rule *rule;
		while (p < end && (*p == ' ' || *p == '\t' || *p == ','))
			p++;
		if (p >= end || !((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')))
			break;
		for (w = p; p < end && code_char(*p); p++)
			;
		snprintf(name, sizeof(name), "%.*s", (int)(p - w), w);
		if ((rule = retort_rule_find(name)))
			retort_vec_push(codes, (void *)rule);
		else
			retort__rules_emit(r, "R009", (size_t)-1, RETORT_LOCK_NONE, NULL, NULL,
				"retort:nolint names '%s', which is no rule", name);
	}
}

/*
 * A statement's nolint rules: its comments, except one at the end of the
 * previous statement's line, plus one at the end of its own ';' line.
 */
static void nolint_codes(retort_rules *r, retort_vec *codes, const retort_sql_script *s,
	const retort_sql_stmt *st)
{
	size_t i = st->token, end = st->token + st->ntokens;

	if (i > 0) {
		/* skip what trails the previous ';' on its line */
		while (i < end && s->tokens[i].kind == RETORT_SQL_SPACE &&
				!memchr(s->text + s->tokens[i].offset, '\n', s->tokens[i].len))
			i++;
		if (i < end && s->tokens[i].kind == RETORT_SQL_COMMENT)
			i++;
	}
	for (; i < end; i++)
		if (s->tokens[i].kind == RETORT_SQL_COMMENT)
			nolint_comment(r, codes, s->text + s->tokens[i].offset, s->tokens[i].len);
	/* after its ';': blanks on the same line, then a comment */
	for (i = end + 1; end < s->ntokens && i < s->ntokens; i++) {
		const retort_sql_token *t = &s->tokens[i];
		if (t->kind == RETORT_SQL_COMMENT) {
			nolint_comment(r, codes, s->text + t->offset, t->len);
			break;
		}
		if (t->kind != RETORT_SQL_SPACE || memchr(s->text + t->offset, '\n', t->len))
			break;
	}
}

/* --- settling --- */

static void settle(retort_rules *r, const retort_vec *nolint)
{
	retort_rules_stmt *st = r->st;
	size_t keep = st->first;

	for (size_t i = st->first; i < st->first + st->nfindings; i++) {
		retort_rules_finding *f = &r->out->findings[i];
		retort_lint_level level = f->level;
		if (f->rule->size_matters && level != RETORT_LINT_ADVICE && r->large_table > 0 &&
				f->rows >= r->large_table) {
			char *longer = retort__sprintf("%s (~%.0f rows estimated, lint_large_table = %.0f)",
				f->message, f->rows, r->large_table);
			free(f->message);
			f->message = longer;
			level = RETORT_LINT_ERROR;
		}
		level = retort_rules_level(r, f->rule, level);
		if (!level || retort_vec_contains(nolint, f->rule)) {
			free(f->table);
			free(f->message);
			continue;
		}
		f->level = level;
		r->out->findings[keep++] = *f;
	}
	st->nfindings = keep - st->first;
	r->out->nfindings = keep;
}

static bool is_ddl(const char *command)
{
	return retort__starts_with(command, "CREATE ") || retort__starts_with(command, "ALTER ") ||
		retort__starts_with(command, "DROP ");
}

/* Statements that teach the remembered schema something (what learning parses). */
static bool teaches(const char *command)
{
	return !strcmp(command, "CREATE TABLE") || !strcmp(command, "ALTER TABLE") ||
		!strcmp(command, "CREATE INDEX") || retort__starts_with(command, "DROP ");
}

static void pg_statement(retort_rules *r, const retort_sql_stmt *st)
{
	json_t *tree = NULL;

	if (!r->out && !teaches(st->cls.command))
		return;
	if (retort_sql_pg_parse(&tree, r->text, r->len) < 0) {
		const char *msg = retort_error_last()->message;
		unsigned at = 0;
		if (sscanf(msg, "line %u: ", &at) == 1 && strchr(msg, ':'))
			msg = strchr(msg, ':') + 2;
		retort__rules_emit(r, "R008", (size_t)-1, RETORT_LOCK_NONE, NULL, NULL,
			"%s does not parse: %s", *st->cls.command ? st->cls.command : "the statement", msg);
		retort_error_clear();
		return;
	}
	retort__pg_statement(r, json_object_get(json_array_get(json_object_get(tree, "stmts"), 0), "stmt"),
		&st->cls);
	if (r->st && r->st->table && r->db)
		r->st->rows = retort__facts_rows(r, r->st_schema, r->st->table);
	json_decref(tree);
}

static void txn_control(retort_rules *r, const retort_sql_stmt *st)
{
	if (r->transactional && retort_sql_txn_ends(st->cls.txn))
		retort__rules_emit(r, "R118", (size_t)-1, RETORT_LOCK_NONE, NULL, NULL,
			"%s in a transactional revision", st->cls.command);
}

static void begin_stmt(retort_rules *r, const retort_sql_script *s, const retort_sql_stmt *st,
	unsigned first_line)
{
	r->text = s->text + st->offset;
	r->len = st->len;
	r->line = first_line + retort_sql_newlines(s->text, st->offset);
	r->first_token_line = first_line + st->line - 1;
	r->st = NULL;
	r->st_schema = NULL;
	if (!r->out)
		return;
	if (r->out->nstmts == r->cap_stmts) {
		r->cap_stmts = r->cap_stmts ? 2 * r->cap_stmts : 16;
		r->out->stmts = retort__realloc(r->out->stmts, r->cap_stmts * sizeof(*r->st));
	}
	r->st = &r->out->stmts[r->out->nstmts++];
	memset(r->st, 0, sizeof(*r->st));
	r->st->line = r->first_token_line;
	snprintf(r->st->command, sizeof(r->st->command), "%s", st->cls.command);
	r->st->rows = -1;
	r->st->first = r->out->nfindings;
}

int retort_rules_check(retort_rules_result **out, retort_rules *r, const char *sql,
	unsigned first_line, bool transactional)
{
	retort_sql_script *s = NULL;
	retort_rules_result *res = out ? retort__calloc(1, sizeof(*res)) : NULL;
	retort_vec nolint = RETORT_VEC_INIT;
	int error;

	if (out)
		*out = NULL;
	if ((error = retort_sql_script_read(&s, r->dialect, sql, strlen(sql))) < 0)
		goto done;
	revision_reset(r);
	r->transactional = transactional;
	r->out = res;
	r->cap_stmts = r->cap_findings = 0;
	for (size_t i = 0; i < s->nstmts; i++)
		r->has_ddl = r->has_ddl || is_ddl(s->stmts[i].cls.command);
	if (r->dialect == RETORT_DIALECT_SQLITE)
		retort__sqlite_prescan(r, s);
	for (size_t i = 0; i < s->nstmts; i++) {
		const retort_sql_stmt *st = &s->stmts[i];
		begin_stmt(r, s, st, first_line);
		txn_control(r, st);
		if (r->dialect == RETORT_DIALECT_POSTGRES)
			pg_statement(r, st);
		else
			retort__sqlite_statement(r, s, st);
		if (!r->out)
			continue;
		retort_vec_clear(&nolint);
		nolint_codes(r, &nolint, s, st);
		settle(r, &nolint);
	}
	if (r->db_error) {
		error = retort__error_set(RETORT_ERROR_DATABASE, "reading the database's catalog: %s", r->db_error);
		free(r->db_error);
		r->db_error = NULL;
	}
done:
	r->out = NULL;
	r->st = NULL;
	retort_vec_dispose(&nolint, false);
	retort_sql_script_free(s);
	if (error < 0 || !out)
		retort_rules_result_free(res);
	else
		*out = res;
	return error;
}
