/*
 * migrate_common.c - what every migrate_*.c file shares: connecting to
 * the configured database (for a run, or for reading only), reading the
 * scripts a plan will run, naming a step's two sides, and the heads no
 * script defines (their record in the history table, the explanation
 * with the ways out, and the check that refuses to start a run from one).
 *
 * The dependency goes one way: migrate.c, migrate_offline.c and
 * migrate_status.c call into this file, and this file calls none of them.
 * It neither runs scripts nor writes the version table.
 */
#include <stdlib.h>
#include <string.h>

#include "run/migrate.h"
#include "run/migrate_int.h"
#include "run/version.h"

/* --- connecting ---------------------------------------------------------- */

/* Connect to the configured database; with `missing`, for reading only (see migrate_int.h). */
static int open_db(retort_db **out, bool *missing, const retort_config *cfg)
{
	retort_url *url = NULL;
	int error;

	*out = NULL;
	if ((error = retort_url_from_config(&url, cfg)) < 0)
		return error;
	if (missing && (*missing = url->dialect == RETORT_DIALECT_SQLITE && !url->memory &&
			!retort__path_exists(url->path))) {
		retort_url_free(url);
		if ((error = retort_url_parse(&url, "sqlite://")) < 0)
			return error;
	}
	error = retort_db_open(out, url);
	retort_url_free(url);
	return error;
}

int retort__migrate_connect(retort_db **out, const retort_config *cfg)
{
	return open_db(out, NULL, cfg);
}

int retort__migrate_connect_existing(retort_db **out, bool *missing, const retort_config *cfg)
{
	return open_db(out, missing, cfg);
}

/* --- plans and steps ---------------------------------------------------- */

/*
 * Read every script the plan will run before the first one runs: the
 * SQL that will execute and its checksum come from this one read, and a
 * file whose header is not what the graph was built from stops the run
 * while nothing has changed yet.
 */
int retort__migrate_read_scripts(const retort_plan *plan)
{
	for (size_t i = 0; i < plan->nsteps; i++) {
		int error = retort_script_read_sql(plan->steps[i].rev->script);
		if (error < 0)
			return error;
	}
	return 0;
}

char *retort__migrate_step_side(const retort_step *step, bool from)
{
	const retort_revision *rev = step->rev;
	bool up = step->direction == RETORT_UPGRADE;
	retort_buf b = RETORT_BUF_INIT;

	/* Upgrade: parents -> rev.  Downgrade: rev -> parents. */
	if (from == up) {
		for (size_t i = 0; i < rev->parents.len; i++) {
			if (i)
				retort_buf_puts(&b, ", ");
			retort_buf_puts(&b, ((retort_revision *)rev->parents.items[i])->id);
		}
	} else {
		retort_buf_puts(&b, rev->id);
	}
	return b.asize ? retort_buf_detach(&b) : retort__strdup("");
}

/* --- heads no script defines ---------------------------------------------- */

void retort__unknown_head_free(retort_unknown_head *u)
{
	if (!u)
		return;
	free(u->revision);
	free(u->applied_at);
	free(u->git_commit);
	free(u->os_user);
	free(u->host);
	free(u);
}

int retort__migrate_unknown(retort_unknown_head **out, retort_db *db,
	const retort_config *cfg, const char *revision)
{
	retort_history_row *row = NULL;
	retort_unknown_head *u = retort__calloc(1, sizeof(*u));
	int error;

	u->revision = retort__strdup(revision);
	if ((error = retort_history_find(&row, db, cfg, revision)) < 0) {
		retort__unknown_head_free(u);
		return error;
	}
	if (row) {
		u->applied_at = row->applied_at;
		u->git_commit = row->git_commit;
		u->os_user = row->os_user;
		u->host = row->host;
		row->applied_at = row->git_commit = row->os_user = row->host = NULL;
	}
	retort_history_row_free(row);
	*out = u;
	return 0;
}

void retort__unknown_head_describe(retort_buf *out, const retort_unknown_head *u)
{
	retort_buf_printf(out, "the database is at revision '%s', which no script defines", u->revision);
	if (u->applied_at) {
		retort_buf_printf(out, "; it was applied %s", u->applied_at);
		if (u->os_user || u->host)
			retort_buf_printf(out, " by %s@%s", u->os_user ? u->os_user : "?",
				u->host ? u->host : "?");
		if (u->git_commit)
			retort_buf_printf(out, " from commit %s", u->git_commit);
	} else {
		retort_buf_puts(out, "; the history table has no record of it");
	}
	retort_buf_puts(out, "; check out the branch that has this revision");
	if (u->git_commit)
		retort_buf_printf(out, " (git branch --contains %.12s)", u->git_commit);
	retort_buf_puts(out, ", or run 'retort stamp REV' to tell retort where the database really is");
}

int retort__migrate_check_known(retort_db *db, const retort_config *cfg,
	const retort_graph *graph, const retort_vec *heads)
{
	for (size_t i = 0; i < heads->len; i++) {
		retort_unknown_head *u = NULL;
		retort_buf msg = RETORT_BUF_INIT;
		int error;

		/* ids inside a replaced range are known: the plan says what they need */
		if (retort_graph_lookup(graph, heads->items[i]) ||
				retort_graph_replaced_by(graph, heads->items[i]))
			continue;
		if ((error = retort__migrate_unknown(&u, db, cfg, heads->items[i])) < 0)
			return error;
		retort__unknown_head_describe(&msg, u);
		error = retort__error_code(RETORT_ENOTFOUND, RETORT_ERROR_REVISION, "%s", msg.ptr);
		retort_buf_dispose(&msg);
		retort__unknown_head_free(u);
		return error;
	}
	return 0;
}

int retort__migrate_alembic_table(bool *out, retort_db *db, const retort_config *cfg,
	const retort_vec *heads)
{
	*out = false;
	if (heads->len || strcmp(cfg->version_table, "retort_version") != 0)
		return 0;
	return db->dialect->table_exists(out, db, cfg->version_table_schema, "alembic_version");
}
