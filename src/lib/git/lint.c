/*
 * lint.c - compare the migration history at a base commit with the
 * working tree (see lint.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/common.h"
#include "git/gitsource.h"
#include "graph/graph.h"
#include "git/lint.h"
#include "graph/script.h"
#include "sql/sql.h"

static void add(retort_lint_report *r, retort_lint_level level, const char *path, unsigned line,
	const char *revision, const char *fmt, ...) RETORT_PRINTF(6, 7);
static void add(retort_lint_report *r, retort_lint_level level, const char *path, unsigned line,
	const char *revision, const char *fmt, ...)
{
	retort_lint_finding *f = retort__calloc(1, sizeof(*f));
	retort_buf msg = RETORT_BUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	retort_buf_vprintf(&msg, fmt, ap);
	va_end(ap);
	f->level = level;
	f->path = retort__strdup(path ? path : "");
	f->line = line;
	f->revision = retort__strdup(revision);
	f->message = retort_buf_detach(&msg);
	retort_vec_push(&r->findings, f);
	if (level == RETORT_LINT_ERROR)
		r->errors++;
	else
		r->warnings++;
}

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

static void check_new_revision(retort_lint_report *r, const retort_script *s)
{
	const char *what = NULL;
	unsigned line;

	if (s->format == RETORT_SCRIPT_SQL) {
		if (retort_script_read_sql(s) < 0) {
			add(r, RETORT_LINT_ERROR, s->path, 0, s->revision, "%s", retort_error_last()->message);
			return;
		}
		if ((line = retort_lint_find_destructive_in(r->dialect, s->upgrade_sql ? s->upgrade_sql : "", &what)))
			add(r, RETORT_LINT_WARNING, s->path, s->upgrade_line + line - 1, s->revision,
				"destructive statement in upgrade: %s", what);
		if (!s->downgrade_sql)
			add(r, RETORT_LINT_WARNING, s->path, 0, s->revision,
				"no retort:downgrade section: the revision is irreversible");
	} else {
		char *text = NULL, *body;
		unsigned body_line = 0;
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
				add(r, RETORT_LINT_WARNING, s->path, at, s->revision,
					"destructive operation in upgrade: %.*s", (int)strcspn(call, " ("), call);
			} else {
				c_string_sql(&sql, body);
				if ((line = retort_lint_find_destructive_in(r->dialect, sql.ptr, &what)))
					add(r, RETORT_LINT_WARNING, s->path, body_line + line - 1, s->revision,
						"destructive statement in upgrade: %s", what);
			}
			retort_buf_dispose(&sql);
			free(body);
		}
		if (!(body = c_function_body(text, "downgrade", &body_line)))
			add(r, RETORT_LINT_WARNING, s->path, 0, s->revision,
				"no downgrade() function: the revision is irreversible");
		free(body);
		free(text);
	}
}

static size_t count_heads(retort_vec *scripts, char **error_out)
{
	retort_graph *g = NULL;
	size_t heads = 0;

	if (retort_graph_build(&g, scripts) < 0) {
		if (error_out)
			*error_out = retort__strdup(retort_error_last()->message);
		return 0;
	}
	heads = retort_graph_heads(g)->len;
	retort_graph_free(g);
	return heads;
}

static int cmp_finding(const void *a, const void *b)
{
	const retort_lint_finding *x = *(retort_lint_finding *const *)a;
	const retort_lint_finding *y = *(retort_lint_finding *const *)b;
	int c;

	if (x->level != y->level)
		return (int)x->level - (int)y->level;
	if ((c = strcmp(x->path, y->path)) != 0)
		return c;
	return (int)x->line - (int)y->line;
}

int retort_lint_compare(retort_lint_report *r, retort_vec *base, retort_vec *current)
{
	retort_map base_ids = RETORT_MAP_INIT, cur_ids = RETORT_MAP_INIT;
	bool parents_missing = false;
	char *graph_error = NULL;

	r->base_revisions = base->len;
	r->revisions = current->len;
	for (size_t i = 0; i < base->len; i++) {
		retort_script *s = base->items[i];
		retort_map_set(&base_ids, s->revision, s);
	}
	for (size_t i = 0; i < current->len; i++) {
		retort_script *s = current->items[i];
		retort_map_set(&cur_ids, s->revision, s);
	}
	/* What the base had must be there unchanged. */
	for (size_t i = 0; i < base->len; i++) {
		retort_script *b = base->items[i], *c = retort_map_get(&cur_ids, b->revision);
		if (!c)
			add(r, RETORT_LINT_ERROR, b->path, 0, b->revision,
				"revision %s was deleted since the base: databases that applied it "
				"would be stranded", b->revision);
		else if (!retort_script_checksum(c) /* unreadable now: cannot be the same */ ||
				strcmp(retort_script_checksum(b), retort_script_checksum(c)) != 0)
			add(r, RETORT_LINT_ERROR, c->path, 0, c->revision,
				"revision %s was edited since the base: databases that applied it "
				"will not see the change (write a new revision instead)", c->revision);
	}
	/* New revisions: parents must exist; warn on what is risky. */
	for (size_t i = 0; i < current->len; i++) {
		retort_script *s = current->items[i];
		if (retort_map_has(&base_ids, s->revision))
			continue;
		r->new_revisions++;
		for (size_t j = 0; j < s->revises.len; j++) {
			if (!retort_map_has(&cur_ids, s->revises.items[j])) {
				add(r, RETORT_LINT_ERROR, s->path, s->header_line, s->revision,
					"revision %s revises '%s', which no script defines",
					s->revision, (const char *)s->revises.items[j]);
				parents_missing = true;
			}
		}
		check_new_revision(r, s);
	}
	retort_map_dispose(&base_ids, false);
	retort_map_dispose(&cur_ids, false);

	/* Heads: graphs take the scripts over from here. */
	r->base_heads = count_heads(base, NULL);
	r->heads = count_heads(current, &graph_error);
	if (graph_error && !parents_missing)
		add(r, RETORT_LINT_ERROR, "", 0, NULL, "%s", graph_error);
	free(graph_error);
	if (r->heads > 0 && r->base_heads > 0 && r->heads > r->base_heads)
		add(r, RETORT_LINT_ERROR, "", 0, NULL,
			"the history has %zu heads where the base had %zu: join them with "
			"'retort merge -m MSG heads'", r->heads, r->base_heads);
	else if (r->heads > 1 && r->base_heads == 0 && base->len == 0)
		add(r, RETORT_LINT_ERROR, "", 0, NULL,
			"the history has %zu heads: join them with 'retort merge -m MSG heads'", r->heads);
	retort_vec_sort(&r->findings, cmp_finding);
	return 0;
}

/* The dialect of the configured URL, 0 when there is none: lint needs no database. */
static retort_dialect_id configured_dialect(const retort_config *cfg)
{
	retort_url *url = NULL;
	retort_dialect_id dialect = 0;

	if (cfg->url && retort_url_parse(&url, cfg->url) == 0)
		dialect = url->dialect;
	retort_url_free(url);
	return dialect;
}

int retort_lint_run(retort_lint_report **out, const retort_config *cfg, const char *base_ref)
{
	retort_gitsource *src = NULL;
	retort_vec base = RETORT_VEC_INIT, current = RETORT_VEC_INIT;
	retort_lint_report *r = NULL;
	int error;

	*out = NULL;
	if ((error = retort_gitsource_open(&src, cfg)) < 0 ||
	    (error = retort_gitsource_set_base(src, base_ref)) < 0 ||
	    (error = retort_gitsource_scripts(&base, src, cfg)) < 0 ||
	    (error = retort_graph_load_scripts(&current, cfg)) < 0)
		goto done;
	r = retort__calloc(1, sizeof(*r));
	r->dialect = configured_dialect(cfg);
	r->base_name = retort__strdup(retort_gitsource_base_name(src));
	r->base_id = retort__strdup(retort_gitsource_base_id(src));
	error = retort_lint_compare(r, &base, &current);
	/* Name working-tree files from the repository's root, as git does. */
	for (size_t i = 0; i < r->findings.len; i++) {
		retort_lint_finding *f = r->findings.items[i];
		const char *root = retort_gitsource_workdir(src);
		if (retort__starts_with(f->path, root))
			memmove(f->path, f->path + strlen(root), strlen(f->path) - strlen(root) + 1);
	}
	*out = r;
	r = NULL;
done:
	for (size_t i = 0; i < base.len; i++)
		retort_script_free(base.items[i]);
	for (size_t i = 0; i < current.len; i++)
		retort_script_free(current.items[i]);
	retort_vec_dispose(&base, false);
	retort_vec_dispose(&current, false);
	retort_gitsource_free(src);
	retort_lint_report_free(r);
	return error;
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
		free(f);
	}
	retort_vec_dispose(&r->findings, false);
	free(r->base_name);
	free(r->base_id);
	free(r);
}
