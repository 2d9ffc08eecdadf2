/*
 * migrate_c.c - running C revisions from a migration run: hands the
 * script to the C-revision module (compile into the cache, dlopen, call
 * upgrade() or downgrade()) with the run's connection, or to its recording
 * context in offline mode.
 */
#include "migrate_int.h"

int retort__migrate_run_c(retort_db *db, const retort_config *cfg,
	const retort_script *script, bool upgrade)
{
	(void)db; (void)cfg; (void)upgrade;
	return retort__error_set(RETORT_ERROR_INTERNAL,
		"%s: C revisions cannot run in this build", script->path);
}

int retort__migrate_render_c(retort_buf *out, const retort_dialect *d,
	const retort_config *cfg, const retort_script *script, bool upgrade)
{
	(void)out; (void)d; (void)cfg; (void)upgrade;
	return retort__error_set(RETORT_ERROR_INTERNAL,
		"%s: C revisions cannot be rendered in this build", script->path);
}
