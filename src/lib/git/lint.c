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
#include "git/rebase.h"
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

/*
 * Nothing but whitespace and comments, as the dialect reads them: what
 * the template leaves when the downgrade is forgotten.
 */
static bool sql_is_blank(retort_dialect_id dialect, const char *sql)
{
	size_t len = sql ? strlen(sql) : 0;

	return !len || retort_sql_skip_blank(dialect ? dialect : RETORT_DIALECT_POSTGRES, sql, len, NULL) == len;
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
		else if (sql_is_blank(r->dialect, s->downgrade_sql) && !sql_is_blank(r->dialect, s->upgrade_sql))
			add(r, RETORT_LINT_WARNING, s->path, s->downgrade_line ? s->downgrade_line - 1 : 0,
				s->revision, "empty retort:downgrade section: a downgrade through this revision "
				"does nothing (write it, or remove the section to mark the revision irreversible)");
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

/* Ids the working tree's baselines replace: id -> the baseline's script. */
static void index_replaced(retort_map *out, const retort_vec *scripts)
{
	for (size_t i = 0; i < scripts->len; i++) {
		retort_script *s = scripts->items[i];
		for (size_t j = 0; j < s->replaces.len; j++)
			retort_map_set(out, s->replaces.items[j], s);
	}
}

/*
 * Base revisions gone from the working tree: an error, unless a baseline
 * replaces them (pruned), which is one warning per baseline.
 */
static void check_kept(retort_lint_report *r, const retort_vec *base, const retort_map *cur_ids,
	const retort_map *replaced, const retort_map *at_fork, retort_vec *later)
{
	retort_map pruned = RETORT_MAP_INIT; /* baseline id -> count */

	for (size_t i = 0; i < base->len; i++) {
		retort_script *b = base->items[i], *c = retort_map_get(cur_ids, b->revision), *by;
		if (!c && (by = retort_map_get(replaced, b->revision)) != NULL) {
			size_t n = (size_t)retort_map_get(&pruned, by->revision);
			retort_map_set(&pruned, by->revision, (void *)(n + 1));
		} else if (!c && at_fork && !retort_map_has(at_fork, b->revision)) {
			/* not deleted here: it came to the base after this branch forked */
			retort_vec_push(later, b->revision);
		} else if (!c) {
			add(r, RETORT_LINT_ERROR, b->path, 0, b->revision,
				"revision %s was deleted since the base: databases that applied it "
				"would be stranded", b->revision);
		} else if (!retort_script_checksum(c) /* unreadable now: cannot be the same */ ||
				strcmp(retort_script_checksum(b), retort_script_checksum(c)) != 0) {
			add(r, RETORT_LINT_ERROR, c->path, 0, c->revision,
				"revision %s was edited since the base: databases that applied it "
				"will not see the change (write a new revision instead)", c->revision);
		}
	}
	for (size_t i = 0; i < pruned.len; i++)
		add(r, RETORT_LINT_WARNING, "", 0, pruned.keys[i],
			"%zu revision(s) baseline %s replaces were pruned since the base: a database still "
			"inside that range can no longer be upgraded ('retort current -v' on a database says "
			"whether it is)", (size_t)pruned.vals[i], pruned.keys[i]);
	retort_map_dispose(&pruned, false);
}

/*
 * Revisions on other branches that revise an id inside a range the working
 * tree's baselines replace: once this squash is merged they have no parent.
 */
static void check_branches(retort_lint_report *r, const retort_vec *branches,
	const retort_graph *g, const retort_map *cur_ids)
{
	for (size_t i = 0; branches && g && i < branches->len; i++) {
		const retort_branch_script *b = branches->items[i];
		const retort_script *s = b->script;
		if (retort_map_has(cur_ids, s->revision) || retort_graph_replaced_by(g, s->revision))
			continue;
		for (size_t j = 0; j < s->revises.len; j++) {
			const char *p = s->revises.items[j];
			const retort_revision *by = retort_graph_replaced_by(g, p);
			if (!by || retort_graph_lookup(g, p))
				continue;
			add(r, RETORT_LINT_ERROR, s->path, s->header_line, s->revision,
				"revision %s on branch '%s' revises %s, which baseline %s replaces: the squash "
				"leaves it without a parent (only %s, the last revision replaced, stands for the "
				"baseline); squash a shorter range, or have that branch run 'retort rebase' "
				"once it has this squash", s->revision, b->branch, p, by->id,
				retort_revision_baseline_tip(by));
		}
	}
}

/* The command that puts the new revisions on the base's head, when it can; NULL otherwise. */
static char *rebase_advice(const retort_lint_report *r, const retort_graph *bg, const retort_vec *current)
{
	retort_rebase_plan plan;
	char *advice = NULL;

	memset(&plan, 0, sizeof(plan));
	if (retort_rebase_compare(&plan, bg, current) == 0 && plan.root)
		advice = retort__sprintf("run 'retort rebase%s%s' to put %s on top of %s",
			r->base_ref ? " --base " : "", r->base_ref ? r->base_ref : "", plan.root,
			plan.base_head);
	free(plan.base_head);
	free(plan.root);
	free(plan.root_path);
	retort_vec_dispose(&plan.new_revisions, true);
	retort_vec_dispose(&plan.old_revises, true);
	retort_vec_dispose(&plan.new_revises, true);
	return advice;
}

/* Base revisions this branch forked before: the merge to make, and the rebase that goes with it. */
static void report_later(retort_lint_report *r, const retort_vec *later, const char *advice)
{
	retort_buf ids = RETORT_BUF_INIT;
	const char *ref = r->base_ref ? r->base_ref : r->base_name;

	for (size_t i = 0; i < later->len; i++)
		retort_buf_printf(&ids, "%s%s", i ? ", " : "", (const char *)later->items[i]);
	if (advice)
		add(r, RETORT_LINT_ERROR, "", 0, NULL, "the base has revisions this branch forked before "
			"(%s): %s, then merge the base ('git merge %s'); or merge it first and join the "
			"heads with 'retort merge -m MSG heads'", ids.ptr, advice, ref);
	else
		add(r, RETORT_LINT_ERROR, "", 0, NULL, "the base has revisions this branch forked before "
			"(%s): merge the base ('git merge %s') and lint again", ids.ptr, ref);
	retort_buf_dispose(&ids);
}

int retort_lint_compare(retort_lint_report *r, retort_vec *base, retort_vec *current,
	const retort_vec *branches, const retort_vec *fork)
{
	retort_map base_ids = RETORT_MAP_INIT, cur_ids = RETORT_MAP_INIT, replaced = RETORT_MAP_INIT;
	retort_map at_fork = RETORT_MAP_INIT;
	retort_vec later = RETORT_VEC_INIT;
	retort_graph *bg = NULL, *g = NULL;
	bool parents_missing = false;
	char *graph_error = NULL, *advice = NULL;

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
	index_replaced(&replaced, current);
	for (size_t i = 0; fork && i < fork->len; i++)
		retort_map_set(&at_fork, ((retort_script *)fork->items[i])->revision, (void *)1);
	/* What the base had must be there unchanged, or replaced by a baseline. */
	check_kept(r, base, &cur_ids, &replaced, fork ? &at_fork : NULL, &later);
	/* New revisions: parents must exist; warn on what is risky. */
	for (size_t i = 0; i < current->len; i++) {
		retort_script *s = current->items[i];
		if (retort_map_has(&base_ids, s->revision))
			continue;
		r->new_revisions++;
		for (size_t j = 0; j < s->revises.len; j++) {
			/* an id a baseline replaces is the graph's to judge */
			if (!retort_map_has(&cur_ids, s->revises.items[j]) &&
					!retort_map_has(&replaced, s->revises.items[j])) {
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
	retort_map_dispose(&replaced, false);

	/* Heads: graphs take the scripts over from here. */
	if (retort_graph_build(&bg, base) == 0) {
		r->base_heads = retort_graph_heads(bg)->len;
		advice = rebase_advice(r, bg, current);
	}
	{
		retort_map ids = RETORT_MAP_INIT;
		for (size_t i = 0; i < current->len; i++)
			retort_map_set(&ids, ((retort_script *)current->items[i])->revision, (void *)1);
		if (retort_graph_build(&g, current) == 0)
			r->heads = retort_graph_heads(g)->len;
		else
			graph_error = retort__strdup(retort_error_last()->message);
		check_branches(r, branches, g, &ids);
		retort_map_dispose(&ids, false);
	}
	if (graph_error && !parents_missing)
		add(r, RETORT_LINT_ERROR, "", 0, NULL, "%s", graph_error);
	if (later.len)
		report_later(r, &later, advice);
	if (r->heads > 0 && r->base_heads > 0 && r->heads > r->base_heads)
		add(r, RETORT_LINT_ERROR, "", 0, NULL,
			"the history has %zu heads where the base had %zu: %s%s", r->heads, r->base_heads,
			advice ? advice : "join them with 'retort merge -m MSG heads'",
			advice ? ", or join them with 'retort merge -m MSG heads'" : "");
	else if (r->heads > 1 && r->base_heads == 0 && base->len == 0)
		add(r, RETORT_LINT_ERROR, "", 0, NULL,
			"the history has %zu heads: join them with 'retort merge -m MSG heads'", r->heads);
	free(graph_error);
	free(advice);
	retort_map_dispose(&at_fork, false);
	retort_vec_dispose(&later, false);
	retort_graph_free(bg);
	retort_graph_free(g);
	retort_vec_sort(&r->findings, cmp_finding);
	return 0;
}

/*
 * Whether the working tree squashed or pruned since the base: a baseline
 * the base does not have, or a base revision a baseline replaces whose
 * file is gone.  Only then are other branches worth reading.
 */
static bool squashed_since(const retort_vec *base, const retort_vec *current)
{
	retort_map base_ids = RETORT_MAP_INIT, cur_ids = RETORT_MAP_INIT, replaced = RETORT_MAP_INIT;
	bool found = false;

	for (size_t i = 0; i < base->len; i++)
		retort_map_set(&base_ids, ((retort_script *)base->items[i])->revision, (void *)1);
	for (size_t i = 0; i < current->len; i++)
		retort_map_set(&cur_ids, ((retort_script *)current->items[i])->revision, (void *)1);
	index_replaced(&replaced, current);
	for (size_t i = 0; i < current->len && !found; i++) {
		const retort_script *s = current->items[i];
		found = s->replaces.len && !retort_map_has(&base_ids, s->revision);
	}
	for (size_t i = 0; i < base->len && !found; i++) {
		const char *id = ((retort_script *)base->items[i])->revision;
		found = !retort_map_has(&cur_ids, id) && retort_map_has(&replaced, id);
	}
	retort_map_dispose(&base_ids, false);
	retort_map_dispose(&cur_ids, false);
	retort_map_dispose(&replaced, false);
	return found;
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
	retort_vec base = RETORT_VEC_INIT, current = RETORT_VEC_INIT, branches = RETORT_VEC_INIT;
	retort_vec fork = RETORT_VEC_INIT;
	retort_lint_report *r = NULL;
	bool forked = false;
	int error;

	*out = NULL;
	if ((error = retort_gitsource_open(&src, cfg)) < 0 ||
	    (error = retort_gitsource_set_base(src, base_ref)) < 0 ||
	    (error = retort_gitsource_scripts(&base, src, cfg)) < 0 ||
	    (error = retort_graph_load_scripts(&current, cfg)) < 0)
		goto done;
	if (squashed_since(&base, &current) &&
	    (error = retort_gitsource_branch_scripts(&branches, src, cfg)) < 0)
		goto done;
	if ((error = retort_gitsource_fork_scripts(&fork, &forked, src, cfg)) < 0)
		goto done;
	r = retort__calloc(1, sizeof(*r));
	r->dialect = configured_dialect(cfg);
	r->base_name = retort__strdup(retort_gitsource_base_name(src));
	r->base_id = retort__strdup(retort_gitsource_base_id(src));
	r->base_ref = base_ref ? retort__strdup(base_ref) : NULL;
	error = retort_lint_compare(r, &base, &current, &branches, forked ? &fork : NULL);
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
	retort_gitsource_branch_scripts_free(&branches);
	for (size_t i = 0; i < fork.len; i++)
		retort_script_free(fork.items[i]);
	retort_vec_dispose(&fork, false);
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
	free(r->base_ref);
	free(r->base_name);
	free(r->base_id);
	free(r);
}
