/*
 * revision_new.h - write a new revision file: pick its parents the way
 * Alembic's `revision --head/--splice` and `merge` do, name it from
 * file_template, render the template, check that the result parses, and
 * run post_write_hook on it.
 *
 * This module writes exactly one file and never overwrites one; it does not
 * compute schema differences (autogenerate hands in `upgrades` /
 * `downgrades`) and does not print.
 */
#ifndef RETORT_REVISION_NEW_H
#define RETORT_REVISION_NEW_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "config/config.h"
#include "graph/graph.h"
#include "graph/script.h"

typedef struct retort_revision_opts {
	const char *message;              /* NULL = "" */
	const char *rev_id;               /* NULL = 12 random hex digits */
	/*
	 * Parents, as identifiers.  NULL/0 means "head" (error when there are
	 * several heads); "base" starts a new base.  Each must be a head unless
	 * `splice`.  With `merge`, at least two distinct revisions are needed
	 * and "heads" names them all.
	 */
	const char *const *heads;
	size_t nheads;
	bool splice;
	bool merge;
	const char *const *branch_labels;
	size_t nbranch_labels;
	const char *const *depends_on;    /* ids, prefixes or branch labels */
	size_t ndepends_on;
	const char *version_path;         /* NULL: the only location, or the parent's */
	retort_script_format format;      /* RETORT_SCRIPT_SQL or RETORT_SCRIPT_C */
	const char *template_text;        /* the script template (placeholders ${...}) */
	/* SQL bodies, NULL = empty. */
	const char *upgrades;
	const char *downgrades;
	/*
	 * The bodies rebuild or drop SQLite tables with foreign keys off: a
	 * "Foreign Keys: off" header line is added after the Transactional
	 * (or Revision ID) line.
	 */
	bool foreign_keys_off;
	/*
	 * A baseline (`retort squash`): its Replaces ids, "a, b, c".  The
	 * template's ${replaces}, or a line added after its Revises line.  Its
	 * branch labels are those of what it replaces, so they are in use.
	 */
	const char *replaces;
	time_t now;                       /* 0 = time(NULL); for tests */
	bool no_hook;                     /* skip post_write_hook */
} retort_revision_opts;

/*
 * Create the file.  *out receives its path (caller frees).  Errors:
 * RETORT_EEXISTS when the file or the id exists, RETORT_EAMBIGUOUS for
 * several heads, RETORT_EUSAGE for a non-head without splice or a
 * --version-path outside the version locations.
 */
int retort_revision_create(char **out, const retort_config *cfg, const retort_graph *graph,
	const retort_revision_opts *opts);

/*
 * The file name (without directory) for `file_template`: %(rev)s
 * %(slug)s %(year)d %(month).2d %(day).2d %(hour).2d %(minute).2d
 * %(second).2d, plus ".sql" or ".c".  Exposed for tests.
 */
int retort_revision_filename(char **out, const char *file_template, int truncate_slug_length,
	const char *rev_id, const char *message, const struct tm *utc, retort_script_format format);

/*
 * Replace ${name} placeholders; `vars` is name, value pairs ending with
 * NULL, and ${x.KEY} takes -x KEY=VALUE from `x` (may be NULL).  An
 * unknown placeholder, or an ${x.KEY} without its -x, is an error naming
 * the template line; `$${` writes a literal `${`.
 */
int retort_revision_render(char **out, const char *template_text, const char *const *vars,
	const retort_map *x);

/*
 * Run post_write_hook: one or more commands separated by ';', in order,
 * each split into words as a shell splits them (base/os.h), "{file}" in
 * any word replaced by path, and spawned
 * without a shell.  A program that is not installed is "command not found:
 * NAME"; the first failing hook stops the rest.
 */
int retort_revision_run_hook(const char *hooks, const char *path);

#endif
