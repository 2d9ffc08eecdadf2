/*
 * migrate_c.c - running C revisions from a migration run: hands the
 * script to the C-revision module (cmigration.h: compile into the cache,
 * dlopen, call upgrade() or downgrade()) with the run's connection and the
 * configured compiler, or to its recording context in offline mode.  The
 * caller owns the transaction, exactly as for a SQL script.
 */
#include "run/cmigration.h"
#include "run/migrate_int.h"

/*
 * The script was read when the run was planned (its header checked, its
 * checksum taken): the code compiled and run must be those same bytes.
 */
static int c_opts(retort_cmigration_opts *o, const retort_config *cfg, const retort_script *script)
{
	o->cc = cfg->cc;
	o->cflags = cfg->cflags;
	o->cache_dir = NULL;
	o->xargs = &cfg->xargs;
	o->timeout_s = cfg->revision_timeout;
	o->expect_sha256 = retort_script_checksum(script); /* NULL, error set: unreadable */
	return o->expect_sha256 ? 0 : RETORT_ERROR;
}

int retort__migrate_run_c(retort_db *db, const retort_config *cfg,
	const retort_script *script, bool upgrade)
{
	retort_cmigration_opts o;
	int error;

	if ((error = c_opts(&o, cfg, script)) < 0)
		return error;
	return retort_cmigration_run(db, script->path, upgrade, &o);
}

int retort__migrate_render_c(retort_buf *out, const retort_dialect *d,
	const retort_config *cfg, const retort_script *script, bool upgrade)
{
	retort_cmigration_opts o;
	int error;

	if ((error = c_opts(&o, cfg, script)) < 0)
		return error;
	return retort_cmigration_render(out, d, script->path, upgrade, &o);
}
