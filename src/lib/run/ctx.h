/*
 * ctx.h - the contexts a C revision's upgrade()/downgrade() receives: a
 * live one that runs everything on a connection, and a recording one that
 * appends the SQL to a buffer for offline mode.  Both implement the
 * retort_ctx_ops table of <retort/migration.h>.
 *
 * A context remembers the first failure of any call, so a revision that
 * ignores an error still fails (retort__ctx_failed).  This module does not
 * compile or load revisions (cmigration.c does).
 */
#ifndef RETORT_CTX_H
#define RETORT_CTX_H

#include <stdbool.h>

#include "base/buf.h"
#include "base/vec.h"
#include "dialect/db.h"
#define RETORT_MIGRATION_HOST
#include "retort/migration.h"

typedef struct retort__ctx retort__ctx;

/* `label` names the revision in messages (its file); copied. */
retort__ctx *retort__ctx_live(retort_db *db, const char *label);
retort__ctx *retort__ctx_recording(const retort_dialect *d, retort_buf *out, const char *label);
void retort__ctx_free(retort__ctx *ctx);

/* The -x values retort_ctx_xarg() answers from (borrowed; NULL: none). */
void retort__ctx_set_xargs(retort__ctx *ctx, const retort_map *xargs);

/* The public view handed to the revision. */
retort_ctx *retort__ctx_public(retort__ctx *ctx);

/* Did any call fail?  Its message is then retort_ctx_error(). */
bool retort__ctx_failed(const retort__ctx *ctx);
const char *retort__ctx_error(const retort__ctx *ctx);
/* The revision's source line of the first failing call (0 when unknown). */
int retort__ctx_error_line(const retort__ctx *ctx);
/* Was the first failure something offline mode cannot do (its message is complete)? */
bool retort__ctx_refused(const retort__ctx *ctx);

/* Exposed for tests: $1..$n in `sql` replaced by quoted literals (outside quotes and comments). */
void retort__ctx_inline_params(retort_buf *out, const retort_dialect *d, const char *sql,
	size_t nparams, const char *const *params);

#endif
