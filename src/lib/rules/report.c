/*
 * report.c - lint reports and the checks made on each revision (see
 * report.h): the statement rules on SQL upgrades, a missing downgrade,
 * drops in a C revision's upgrade(); and the two ways to lint without
 * git, every revision or given files.
 *
 * A C revision is not parsed as statements: its upgrade() is found by
 * matching braces, searched for the portable drops, and the SQL in its
 * string literals is scanned for
 * destructive commands with sql.h's classifier.  The git comparison
 * itself is git/lint.c's.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/common.h"
#include "graph/graph.h"
#include "rules/report.h"
#include "sql/sql.h"

static retort_rules *checker(retort_lint_report *r)
{
	/* Defaults (no retort.ini) cannot fail to resolve. */
	if (!r->rules && retort_rules_new(&r->rules, r->dialect, NULL, NULL) < 0)
		abort();
	return r->rules;
}

static retort_lint_finding *push(retort_lint_report *r, const retort_rule *rule, retort_lint_level level,
	const char *path, unsigned line, const char *revision, char *message)
{
	retort_lint_finding *f = retort__calloc(1, sizeof(*f));

	f->level = level;
	f->rule = rule;
	f->path = retort__strdup(path ? path : "");
	f->line = line;
	f->revision = revision ? retort__strdup(revision) : NULL;
	f->message = message;
	f->rows = -1;
	retort_vec_push(&r->findings, f);
	return f;
}

void retort__lint_add(retort_lint_report *r, const char *code, const char *path, unsigned line,
	const char *revision, const char *fmt, ...)
{
	const retort_rule *rule = retort_rule_find(code);
	retort_lint_level level = retort_rules_level(checker(r), rule, rule->level);
	retort_buf msg = RETORT_BUF_INIT;
	va_list ap;

	if (!level)
		return;
	va_start(ap, fmt);
	retort_buf_vprintf(&msg, fmt, ap);
	va_end(ap);
	push(r, rule, level, path, line, revision, retort_buf_detach(&msg));
}

/* --- destructive SQL in C revisions --- */

static bool is_word(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

/*
 * ALTER ... DROP x where x is not CONSTRAINT, DEFAULT, NOT, IDENTITY or
 * EXPRESSION (PostgreSQL lets COLUMN be left out): the token x, or 0.
 */
static size_t alter_drop_column(const retort_sql_script *s, const retort_sql_stmt *st)
{
	static const char *const not_columns[] = { "CONSTRAINT", "DEFAULT", "NOT", "IDENTITY", "EXPRESSION" };
	const retort_sql_token *t = s->tokens;
	size_t end = st->token + st->ntokens;
	bool after_drop = false;

	for (size_t i = st->cls.command_token; i < end; i++) {
		bool column = after_drop;
		if (t[i].kind != RETORT_SQL_WORD && t[i].kind != RETORT_SQL_QUOTED)
			continue;
		after_drop = retort_sql_is_word(s->text, &t[i], "DROP");
		for (size_t k = 0; column && k < RETORT_ARRAY_SIZE(not_columns); k++)
			column = !retort_sql_is_word(s->text, &t[i], not_columns[k]);
		if (column)
			return i;
	}
	return 0;
}

unsigned retort_lint_find_destructive_in(retort_dialect_id dialect, const char *sql, const char **what)
{
	static const char *const commands[] = { "TRUNCATE", "DELETE", "DROP TABLE", "DROP SCHEMA", "DROP DATABASE" };
	retort_sql_script *s = NULL;
	unsigned line = 0;

	if (retort_sql_script_read(&s, dialect ? dialect : RETORT_DIALECT_POSTGRES, sql, strlen(sql)) < 0)
		return 0;
	for (size_t i = 0; i < s->nstmts && !line; i++) {
		const retort_sql_stmt *st = &s->stmts[i];
		size_t col;
		for (size_t k = 0; k < RETORT_ARRAY_SIZE(commands) && !line; k++) {
			if (strcmp(st->cls.command, commands[k]) == 0) {
				*what = commands[k];
				line = s->tokens[st->cls.command_token].line;
			}
		}
		if (!line && retort__starts_with(st->cls.command, "ALTER ") && (col = alter_drop_column(s, st))) {
			*what = "ALTER TABLE ... DROP COLUMN";
			line = s->tokens[col].line;
		}
	}
	retort_sql_script_free(s);
	return line;
}

unsigned retort_lint_find_destructive(const char *sql, const char **what)
{
	return retort_lint_find_destructive_in(RETORT_DIALECT_POSTGRES, sql, what);
}

/*
 * The body of `int upgrade(...)` in a C revision, with its first line;
 * NULL when there is none.  Comments and strings are respected while
 * matching braces.
 */
static char *c_function_body(const char *text, const char *name, unsigned *line_out)
{
	size_t nlen = strlen(name);
	unsigned line = 1;

	for (const char *p = text; *p; p++) {
		if (*p == '\n')
			line++;
		if (strncmp(p, name, nlen) == 0 && (p == text || !is_word(p[-1])) && !is_word(p[nlen])) {
			const char *q = p + nlen;
			int depth = 0;
			while (*q == ' ' || *q == '\t')
				q++;
			if (*q != '(')
				continue;
			while (*q && *q != ')' )
				q++;
			while (*q && *q != '{' && *q != ';')
				q++;
			if (*q != '{')
				continue;
			for (const char *c = p; c < q; c++)
				if (*c == '\n')
					line++;
			for (const char *b = q; *b; b++) {
				if (*b == '"' || *b == '\'') {
					char quote = *b;
					for (b++; *b && *b != quote; b++)
						if (*b == '\\' && b[1])
							b++;
				} else if (*b == '{') {
					depth++;
				} else if (*b == '}' && --depth == 0) {
					*line_out = line;
					return retort__strndup(q, (size_t)(b - q + 1));
				}
			}
			return NULL;
		}
	}
	return NULL;
}

/* SQL inside the C string literals of `code`, one statement per literal run. */
static void c_string_sql(retort_buf *out, const char *code)
{
	for (const char *p = code; *p; p++) {
		if (*p == '\n')
			retort_buf_putc(out, '\n');
		if (*p != '"')
			continue;
		for (p++; *p && *p != '"'; p++) {
			if (*p == '\\' && p[1]) {
				p++;
				retort_buf_putc(out, *p == 'n' ? ' ' : *p);
			} else {
				retort_buf_putc(out, *p);
			}
		}
		if (!*p)
			break;
		retort_buf_putc(out, ' ');
	}
}

static void check_c_revision(retort_lint_report *r, const retort_script *s)
{
	char *text = NULL, *body;
	unsigned body_line = 0;
	const char *what = NULL;

	if (retort__file_read(&text, NULL, s->path) < 0)
		return;
	if ((body = c_function_body(text, "upgrade", &body_line))) {
		retort_buf sql = RETORT_BUF_INIT;
		/* migration.h's names for the portable drops, and their earlier aliases */
		static const char *const drops[] = {
			"retort_table_drop", "retort_drop_table", "retort_column_drop", "retort_drop_column",
		};
		const char *call = NULL;
		for (size_t i = 0; i < RETORT_ARRAY_SIZE(drops) && !call; i++)
			call = strstr(body, drops[i]);
		if (call) {
			unsigned at = body_line;
			for (const char *c = body; c < call; c++)
				at += *c == '\n';
			retort__lint_add(r, "R007", s->path, at, s->revision,
				"destructive operation in upgrade: %.*s", (int)strcspn(call, " ("), call);
		} else {
			c_string_sql(&sql, body);
			unsigned line;
			if ((line = retort_lint_find_destructive_in(r->dialect, sql.ptr, &what)))
				retort__lint_add(r, "R007", s->path, body_line + line - 1, s->revision,
					"destructive statement in upgrade: %s", what);
		}
		retort_buf_dispose(&sql);
		free(body);
	}
	if (!(body = c_function_body(text, "downgrade", &body_line)))
		retort__lint_add(r, "R006", s->path, 0, s->revision,
			"no downgrade() function: the revision is irreversible");
	free(body);
	free(text);
}

/* --- one revision --- */

static void take_rules(retort_lint_report *r, const retort_script *s, const retort_rules_result *res)
{
	for (size_t i = 0; i < res->nfindings; i++) {
		const retort_rules_finding *rf = &res->findings[i];
		retort_lint_finding *f = push(r, rf->rule, rf->level, s->path, rf->line, s->revision,
			retort__strdup(rf->message));
		f->lock = rf->lock;
		f->table = rf->table ? retort__strdup(rf->table) : NULL;
		f->rows = rf->rows;
	}
}

/*
 * Nothing but whitespace and comments, as the dialect reads them: what the
 * template leaves when the downgrade is forgotten.
 */
static bool sql_is_blank(retort_dialect_id dialect, const char *sql)
{
	size_t len = sql ? strlen(sql) : 0;

	return !len || retort_sql_skip_blank(dialect ? dialect : RETORT_DIALECT_POSTGRES, sql, len, NULL) == len;
}

int retort_lint_revision(retort_lint_report *r, const retort_script *s, bool report)
{
	retort_rules_result *res = NULL;
	int error;

	if (s->format == RETORT_SCRIPT_C) {
		if (report)
			check_c_revision(r, s);
		return 0;
	}
	if (retort_script_read_sql(s) < 0) {
		if (report)
			retort__lint_add(r, "R005", s->path, 0, s->revision, "%s", retort_error_last()->message);
		return 0;
	}
	if ((error = retort_rules_check(report ? &res : NULL, checker(r), s->upgrade_sql ? s->upgrade_sql : "",
			s->upgrade_line, s->transactional)) < 0)
		return error;
	if (report) {
		take_rules(r, s, res);
		if (!s->downgrade_sql && s->revision)
			retort__lint_add(r, "R006", s->path, 0, s->revision,
				"no retort:downgrade section: the revision is irreversible");
		else if (s->revision && sql_is_blank(r->dialect, s->downgrade_sql) &&
			 !sql_is_blank(r->dialect, s->upgrade_sql))
			retort__lint_add(r, "R010", s->path, s->downgrade_line ? s->downgrade_line - 1 : 0,
				s->revision, "empty retort:downgrade section: a downgrade through this revision "
				"does nothing");
	}
	retort_rules_result_free(res);
	return 0;
}

/* --- order --- */

static int cmp_script_id(const void *a, const void *b)
{
	const retort_script *x = *(const retort_script *const *)a, *y = *(const retort_script *const *)b;

	return strcmp(x->revision ? x->revision : "", y->revision ? y->revision : "");
}

void retort_lint_order(retort_vec *out, const retort_vec *scripts)
{
	retort_vec sorted = RETORT_VEC_INIT, queue = RETORT_VEC_INIT;
	retort_map index = RETORT_MAP_INIT;
	size_t n = scripts->len, head = 0;
	size_t *waiting = retort__calloc(n ? n : 1, sizeof(*waiting));
	retort_vec *children = retort__calloc(n ? n : 1, sizeof(*children));
	bool *placed = retort__calloc(n ? n : 1, sizeof(*placed));

	/* Kahn's algorithm over Revises, ties in id order: linear in the history. */
	for (size_t i = 0; i < n; i++)
		retort_vec_push(&sorted, scripts->items[i]);
	retort_vec_sort(&sorted, cmp_script_id);
	for (size_t i = 0; i < n; i++) {
		const retort_script *s = sorted.items[i];
		if (!retort_map_has(&index, s->revision))
			retort_map_set(&index, s->revision, (void *)(uintptr_t)(i + 1));
	}
	for (size_t i = 0; i < n; i++) {
		const retort_script *s = sorted.items[i];
		for (size_t j = 0; j < s->revises.len; j++) {
			size_t p = (size_t)(uintptr_t)retort_map_get(&index, s->revises.items[j]);
			if (p && p - 1 != i) {
				retort_vec_push(&children[p - 1], (void *)(uintptr_t)i);
				waiting[i]++;
			}
		}
	}
	for (size_t i = 0; i < n; i++)
		if (!waiting[i])
			retort_vec_push(&queue, (void *)(uintptr_t)i);
	while (head < queue.len) {
		size_t i = (size_t)(uintptr_t)queue.items[head++];
		placed[i] = true;
		retort_vec_push(out, sorted.items[i]);
		for (size_t k = 0; k < children[i].len; k++) {
			size_t c = (size_t)(uintptr_t)children[i].items[k];
			if (--waiting[c] == 0)
				retort_vec_push(&queue, (void *)(uintptr_t)c);
		}
	}
	/* a cycle: what is left, in id order */
	for (size_t i = 0; i < n; i++)
		if (!placed[i])
			retort_vec_push(out, sorted.items[i]);
	for (size_t i = 0; i < n; i++)
		retort_vec_dispose(&children[i], false);
	free(children);
	free(waiting);
	free(placed);
	retort_vec_dispose(&queue, false);
	retort_vec_dispose(&sorted, false);
	retort_map_dispose(&index, false);
}

/* --- without git --- */

static retort_dialect_id configured_dialect(const retort_config *cfg)
{
	retort_url *url = NULL;
	retort_dialect_id dialect = 0;

	if (cfg && cfg->url && retort_url_parse(&url, cfg->url) == 0)
		dialect = url->dialect;
	retort_url_free(url);
	return dialect;
}

static int report_new(retort_lint_report **out, const retort_config *cfg, retort_dialect_id dialect,
	struct retort_db *db)
{
	retort_lint_report *r = retort__calloc(1, sizeof(*r));
	int error;

	r->dialect = dialect ? dialect : configured_dialect(cfg);
	if ((error = retort_rules_new(&r->rules, r->dialect, cfg, db)) < 0) {
		retort_lint_report_free(r);
		r = NULL;
	}
	*out = r;
	return error;
}

int retort_lint_all(retort_lint_report **out, const retort_config *cfg, struct retort_db *db)
{
	retort_lint_report *r = NULL;
	retort_graph *g = NULL;
	int error;

	*out = NULL;
	if ((error = report_new(&r, cfg, 0, db)) < 0 || (error = retort_graph_load(&g, cfg)) < 0)
		goto done;
	r->revisions = r->new_revisions = retort_graph_count(g);
	r->heads = retort_graph_heads(g)->len;
	for (size_t i = 0; i < retort_graph_count(g); i++)
		if ((error = retort_lint_revision(r, retort_graph_at(g, i)->script, true)) < 0)
			goto done;
	if (r->heads > 1)
		retort__lint_add(r, "R003", "", 0, NULL,
			"the history has %zu heads: join them with 'retort merge -m MSG heads'", r->heads);
	retort_lint_report_finish(r);
	*out = r;
	r = NULL;
done:
	retort_graph_free(g);
	retort_lint_report_free(r);
	return error;
}

/* A file with a `Revision ID:` header is a revision; anything else is plain SQL. */
static bool has_revision_header(const char *text)
{
	static const char key[] = "revision id:";

	for (const char *p = text; *p; p++) {
		size_t k = 0;
		while (k < sizeof(key) - 1 && p[k] && (p[k] | 0x20) == key[k])
			k++;
		if (k == sizeof(key) - 1)
			return true;
	}
	return false;
}

static int lint_file(retort_lint_report *r, const char *path)
{
	retort_script *s = NULL;
	retort_rules_result *res = NULL;
	char *text = NULL;
	size_t len = 0;
	int error;

	if ((error = retort__file_read(&text, &len, path)) < 0)
		return error;
	if (has_revision_header(text)) {
		if (retort_script_parse(&s, path, text, len) < 0)
			retort__lint_add(r, "R005", path, 0, NULL, "%s", retort_error_last()->message);
		else
			error = retort_lint_revision(r, s, true);
	} else if ((error = retort_rules_check(&res, checker(r), text, 1, true)) == 0) {
		retort_script plain = { 0 };
		plain.path = (char *)path;
		take_rules(r, &plain, res);
	}
	r->new_revisions = ++r->revisions;
	retort_rules_result_free(res);
	retort_script_free(s);
	free(text);
	return error;
}

int retort_lint_files(retort_lint_report **out, const retort_config *cfg, retort_dialect_id dialect,
	const char *const *paths, size_t npaths, struct retort_db *db)
{
	retort_lint_report *r = NULL;
	int error;

	*out = NULL;
	if ((error = report_new(&r, cfg, dialect, db)) < 0)
		return error;
	for (size_t i = 0; i < npaths; i++)
		if ((error = lint_file(r, paths[i])) < 0) {
			retort_lint_report_free(r);
			return error;
		}
	retort_lint_report_finish(r);
	*out = r;
	return 0;
}

/* --- the report --- */

static int cmp_finding(const void *a, const void *b)
{
	const retort_lint_finding *x = *(retort_lint_finding *const *)a;
	const retort_lint_finding *y = *(retort_lint_finding *const *)b;
	int c;

	if (x->level != y->level)
		return (int)x->level - (int)y->level;
	if ((c = strcmp(x->path, y->path)) != 0)
		return c;
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	return strcmp(x->rule->code, y->rule->code);
}

void retort_lint_report_finish(retort_lint_report *r)
{
	retort_vec_sort(&r->findings, cmp_finding);
	r->errors = r->warnings = r->advice = 0;
	for (size_t i = 0; i < r->findings.len; i++) {
		const retort_lint_finding *f = r->findings.items[i];
		if (f->level == RETORT_LINT_ERROR)
			r->errors++;
		else if (f->level == RETORT_LINT_WARNING)
			r->warnings++;
		else
			r->advice++;
	}
}

void retort_lint_report_relativize(retort_lint_report *r, const char *root)
{
	size_t n = strlen(root);

	for (size_t i = 0; n && i < r->findings.len; i++) {
		retort_lint_finding *f = r->findings.items[i];
		if (strncmp(f->path, root, n) != 0)
			continue;
		if (root[n - 1] == '/')
			memmove(f->path, f->path + n, strlen(f->path) - n + 1);
		else if (f->path[n] == '/')
			memmove(f->path, f->path + n + 1, strlen(f->path) - n);
	}
}

void retort_lint_report_free(retort_lint_report *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->findings.len; i++) {
		retort_lint_finding *f = r->findings.items[i];
		free(f->path);
		free(f->revision);
		free(f->message);
		free(f->table);
		free(f);
	}
	retort_vec_dispose(&r->findings, false);
	retort_rules_free(r->rules);
	free(r->base_ref);
	free(r->base_name);
	free(r->base_id);
	free(r);
}
