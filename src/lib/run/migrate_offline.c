/*
 * migrate_offline.c - `upgrade --sql`, `downgrade --sql`, `stamp --sql` and
 * `ensure-version --sql`: the statements an online run would execute,
 * rendered as one SQL text for a DBA to review and run.
 *
 * Nothing here connects.  The starting heads come from the range
 * ("FROM:TO"; upgrade without one starts from base), the dialect from the
 * URL's scheme.  Values in version-table statements go through the
 * dialect's quote_literal.  The history table is an online-only audit log
 * and is not written by rendered SQL.
 */
#include <stdlib.h>
#include <string.h>

#include "run/fk_off.h"
#include "run/migrate.h"
#include "run/migrate_int.h"
#include "sql/sql.h"
#include "run/version.h"

static int dialect_of(const retort_dialect **out, const retort_config *cfg)
{
	retort_url *url = NULL;
	int error;

	if ((error = retort_url_from_config(&url, cfg)) < 0)
		return error;
	*out = retort_dialect_for(url->dialect);
	retort_url_free(url);
	return 0;
}

/* Split "FROM:TO" into malloc'd parts; without ':' from is NULL. */
static void split_range(char **from, char **to, const char *range)
{
	const char *colon = strchr(range, ':');

	if (colon) {
		*from = retort__strndup(range, (size_t)(colon - range));
		*to = retort__strdup(colon + 1);
	} else {
		*from = NULL;
		*to = retort__strdup(range);
	}
}

/* The heads an identifier names ("base" = none), as malloc'd ids. */
static int start_heads(retort_vec *out, const retort_graph *graph, const char *ident)
{
	retort_vec revs = RETORT_VEC_INIT;
	int error;

	if (!ident || !*ident || strcmp(ident, "base") == 0)
		return 0;
	if ((error = retort_graph_resolve(&revs, graph, ident, NULL, 0)) < 0)
		goto done;
	for (size_t i = 0; i < revs.len; i++)
		retort_vec_push(out, retort__strdup(((retort_revision *)revs.items[i])->id));
done:
	retort_vec_dispose(&revs, false);
	return error;
}

static void put_script(retort_buf *out, const char *sql)
{
	size_t start = out->size;

	retort_buf_puts(out, sql);
	retort_buf_rtrim(out);
	/* Terminate the last statement so the next one cannot run into it. */
	if (out->size > start && out->ptr[out->size - 1] != ';')
		retort_buf_puts(out, "\n;");
	retort_buf_puts(out, "\n\n");
}

/*
 * The same refusal a live run makes (db.h's transaction guard): inside the
 * BEGIN ... COMMIT around it, a script's own COMMIT or ROLLBACK would
 * leave the rest and the version update outside any transaction.
 */
static int refuse_txn_control(const retort_dialect *d, const retort_script *s, const char *sql,
	unsigned first_line)
{
	retort_sql_script *script = NULL;
	int error;

	if ((error = retort_sql_script_read(&script, d->id, sql, strlen(sql))) < 0)
		return error;
	for (size_t i = 0; i < script->nstmts; i++) {
		const retort_sql_stmt *st = &script->stmts[i];
		if (retort_sql_txn_ends(st->cls.txn)) {
			error = retort__error_set(RETORT_ERROR_SCRIPT, "%s:%u: %s would end the transaction it runs in; "
				"a script that manages its own transactions must say 'Transactional: no'",
				s->path, first_line + st->line - 1, st->cls.command);
			break;
		}
	}
	retort_sql_script_free(script);
	return error;
}

typedef int (*plan_fn)(retort_plan **out, const retort_graph *graph,
	const char *const *current, size_t ncurrent, const char *target);

static int render(retort_buf *out, const retort_config *cfg, const retort_graph *graph,
	const char *range, plan_fn plan_with, bool upgrade)
{
	const retort_dialect *d = NULL;
	retort_vec heads = RETORT_VEC_INIT;
	retort_plan *plan = NULL;
	char *from = NULL, *to = NULL;
	bool per = cfg->transaction_per_migration, in_tx = false;
	int error;

	if ((error = dialect_of(&d, cfg)) < 0)
		goto done;
	split_range(&from, &to, range);
	if (!upgrade && !from) {
		error = retort__error_set(RETORT_ERROR_USAGE,
			"offline downgrade needs a range FROM:TO, e.g. 'head:base'");
		goto done;
	}
	if ((error = start_heads(&heads, graph, from)) < 0)
		goto done;
	if ((error = plan_with(&plan, graph, (const char *const *)heads.items, heads.len, to)) < 0 ||
	    (error = retort__migrate_read_scripts(plan)) < 0)
		goto done;
	if (upgrade && heads.len == 0)
		retort_version_table_render_create(out, d, cfg, false);
	for (size_t i = 0; i < plan->nsteps; i++) {
		const retort_step *st = &plan->steps[i];
		const retort_script *s = st->rev->script;
		char *a = retort__migrate_step_side(st, true);
		char *b = retort__migrate_step_side(st, false);
		bool fk_off = retort__fk_off_applies(d, s);

		/* Foreign Keys: off goes around the revision's own transaction (fk_off.h). */
		if ((!s->transactional || fk_off) && in_tx) {
			retort_buf_puts(out, "COMMIT;\n\n");
			in_tx = false;
		}
		if (fk_off) {
			retort__fk_off_render_switch(out, false);
			retort_buf_putc(out, '\n');
		}
		if (s->transactional && !in_tx) {
			retort_buf_puts(out, "BEGIN;\n\n");
			in_tx = true;
		}
		retort_buf_printf(out, "-- Running %s %s -> %s\n\n", upgrade ? "upgrade" : "downgrade", a, b);
		free(a);
		free(b);
		if (fk_off) {
			retort__fk_off_render_snapshot(out);
			retort_buf_putc(out, '\n');
		}
		if (s->format == RETORT_SCRIPT_C) {
			if ((error = retort__migrate_render_c(out, d, cfg, s, upgrade)) < 0)
				goto done;
		} else {
			const char *sql = upgrade ? s->upgrade_sql : s->downgrade_sql;
			if (s->transactional && (error = refuse_txn_control(d, s, sql,
					upgrade ? s->upgrade_line : s->downgrade_line)) < 0)
				goto done;
			put_script(out, sql);
		}
		if (fk_off) {
			retort__fk_off_render_check(out);
			retort_buf_putc(out, '\n');
		}
		if (!s->transactional) {
			retort_buf_puts(out, "BEGIN;\n\n");
			in_tx = true;
		}
		retort_version_table_render_apply(out, d, cfg, &st->heads_before, &st->heads_after);
		if (per || fk_off) {
			retort_buf_puts(out, "COMMIT;\n\n");
			in_tx = false;
		}
		/* Offline the previous setting is unknown: back to the one retort runs with. */
		if (fk_off) {
			retort__fk_off_render_switch(out, true);
			retort_buf_putc(out, '\n');
		}
	}
	if (in_tx)
		retort_buf_puts(out, "COMMIT;\n\n");
done:
	for (size_t i = 0; i < heads.len; i++)
		free(heads.items[i]);
	retort_vec_dispose(&heads, false);
	retort_plan_free(plan);
	free(from);
	free(to);
	return error;
}

int retort_migrate_render_upgrade(retort_buf *out, const retort_config *cfg,
	const retort_graph *graph, const char *range)
{
	return render(out, cfg, graph, range ? range : "heads", retort_plan_upgrade, true);
}

int retort_migrate_render_downgrade(retort_buf *out, const retort_config *cfg,
	const retort_graph *graph, const char *range)
{
	if (!range)
		return retort__error_set(RETORT_ERROR_USAGE, "downgrade needs a target revision");
	return render(out, cfg, graph, range, retort_plan_downgrade, false);
}

int retort_migrate_render_stamp(retort_buf *out, const retort_config *cfg,
	const retort_graph *graph, const char *const *targets, size_t ntargets, bool purge)
{
	const retort_dialect *d = NULL;
	retort_vec none = RETORT_VEC_INIT;
	retort_plan *plan = NULL;
	int error;

	if ((error = dialect_of(&d, cfg)) < 0)
		return error;
	/* Offline there is no current state: stamp from base. */
	if ((error = retort_plan_stamp(&plan, graph, NULL, 0, targets, ntargets, purge)) < 0)
		return error;
	retort_version_table_render_create(out, d, cfg, false);
	retort_buf_puts(out, "BEGIN;\n\n");
	if (purge)
		retort_version_table_render_purge(out, d, cfg);
	retort_version_table_render_apply(out, d, cfg, &none, &plan->final_heads);
	retort_buf_puts(out, "COMMIT;\n\n");
	retort_plan_free(plan);
	return 0;
}

int retort_migrate_render_ensure_version(retort_buf *out, const retort_config *cfg)
{
	const retort_dialect *d = NULL;
	int error;

	if ((error = dialect_of(&d, cfg)) < 0)
		return error;
	retort_version_table_render_create(out, d, cfg, true);
	return 0;
}
