/*
 * scriptcache.h - the header cache of a version location: what parsing
 * each revision file's header found, keyed by the file's identity and
 * change times, so that reading a history of thousands of revisions costs
 * one stat per file instead of an open, a read and a parse.
 *
 * The cache is a single file per version location under
 * $XDG_CACHE_HOME/retort/graph (~/.cache/retort/graph), written whole and
 * renamed into place.  It is only ever an optimisation: a missing,
 * unreadable, corrupt or foreign cache is ignored, and nothing here
 * reports an error.  RETORT_GRAPH_CACHE=0 turns it off.
 *
 * An entry is used only when the file's device, inode, size, mtime and
 * ctime all match what was recorded, and an entry is recorded only for a
 * file whose ctime is a few seconds older than the load that read it: file
 * times have a coarse clock, so a file rewritten within the same tick as it
 * was read could otherwise look unchanged (the same precaution git takes
 * for its index).  Not used on network or FUSE filesystems, whose stat may
 * be served from a client cache.
 *
 * Only commands that report use it (retort_graph_load_cached); what runs
 * migrations or writes revisions reads every file.  Scripts built from the
 * cache have their header fields but not their SQL bodies;
 * retort_script_read_sql() reads those.
 */
#ifndef RETORT_SCRIPTCACHE_H
#define RETORT_SCRIPTCACHE_H

#include <stddef.h>
#include <sys/stat.h>

#include "graph/script.h"

typedef struct retort_scriptcache retort_scriptcache;

/*
 * The cache of version location `dir`, read if it exists.  NULL when the
 * cache is off or cannot be used at all (no HOME, a directory others can
 * write); callers treat NULL as "always miss".
 */
retort_scriptcache *retort__scriptcache_open(const char *dir);

/*
 * Say which files the location has, in listing order, before any get:
 * when they are the cache's entries in the same order (the usual case,
 * since the cache is written in listing order) lookups go by position.
 */
void retort__scriptcache_expect(retort_scriptcache *c, const char *const *relpaths, size_t n);

/*
 * The script of `relpath` (the `pos`-th file of the listing, relative to
 * the location) if the cache holds it for a file with exactly this `st`;
 * the script takes `path` (malloc'd) on a hit and leaves it to the caller
 * on a miss (NULL).  Safe to call from several threads at once: it does
 * not change the cache.
 */
retort_script *retort__scriptcache_get(const retort_scriptcache *c, size_t pos, const char *relpath,
	const struct stat *st, char *path);
/* Whether that get would hit; allocates nothing. */
bool retort__scriptcache_has(const retort_scriptcache *c, size_t pos, const char *relpath,
	const struct stat *st);

/*
 * Keep the `pos`-th file in the cache written by retort__scriptcache_close(),
 * called in listing order: `script` is what its file (with stat `st`)
 * parsed to, or NULL when it was a hit (the recorded entry is carried
 * over).  Not thread-safe.
 */
void retort__scriptcache_keep(retort_scriptcache *c, size_t pos, const char *relpath,
	const struct stat *st, const retort_script *script);

/*
 * Write the cache back if what was kept differs from what was read, and
 * free it; with `discard`, write nothing (a load that failed has not seen
 * every file).  NULL is fine.
 */
void retort__scriptcache_close(retort_scriptcache *c, bool discard);

/*
 * Remove every cache file: a header was found to disagree with its file,
 * so no entry can be trusted.  Best effort, silent.
 */
void retort__scriptcache_discard_all(void);

/*
 * How many entries the cache file held as read (0 for NULL).  A damaged
 * file, or one of another location or another build, counts what decoded
 * before the damage, or nothing.
 */
size_t retort__scriptcache_count(const retort_scriptcache *c);

#endif
