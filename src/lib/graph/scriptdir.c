#define _GNU_SOURCE 1 /* sched_getaffinity, CPU_COUNT */
/*
 * scriptdir.c - find the revision files of every version location and
 * build the graph from them.
 *
 * A revision file is any "*.sql" or "*.c" file in a version location (and,
 * with recursive_version_locations, in its subdirectories); hidden files and
 * everything else (README, editor backups, templates) are ignored.  This
 * module only lists and reads; the graph checks consistency.
 *
 * Loading is two phases: list every file (sorted, so errors never depend on
 * readdir order), then read and parse them.  Reading thousands of small
 * files is dominated by system calls, so the parse phase uses one thread
 * per CPU when the history is large; results land in per-file slots and
 * the first error in file order wins, so the outcome is the same as a
 * sequential load.
 *
 * With the header cache (retort_graph_load_cached, for commands that only
 * report), a file's stat is looked up in the location's cache first
 * (scriptcache.h): a hit costs one system call and no parsing.  What was
 * parsed is written back to the cache at the end.  Commands that change a
 * database, or write revisions, read every file (retort_graph_load).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/common.h"
#include "graph/graph.h"
#include "graph/scriptcache.h"

/* Below this many files, threads cost more than they save. */
#define PARALLEL_MIN_FILES 512
#define MAX_THREADS 8
#define CHUNK 32

typedef struct entry {
	char *path;
	bool owned;         /* false once a script took the path */
	const char *name;   /* inside path */
	const char *rel;    /* inside path: relative to the version location */
	size_t pos;         /* in the location's listing */
	int dirfd;
	retort_scriptcache *cache; /* the location's, or NULL */
} entry;

typedef struct slot {
	retort_script *script;
	int error;
	retort_error_class klass;
	char *message;
	struct stat st;     /* valid when stat_ok */
	bool stat_ok;
	bool hit;           /* the script came from the cache */
} slot;

typedef struct loader {
	retort_vec entries;  /* entry * */
	retort_vec dirs;     /* DIR * kept open while parsing */
	retort_vec caches;   /* retort_scriptcache *, one per location that has one */
	retort_vec ignored;  /* char *: Alembic revisions seen while listing */
	retort_scriptcache *cache; /* the location being listed */
	bool use_cache;      /* read and write the header cache */
	size_t base_len;     /* of that location's path, trailing slashes trimmed */
	slot *slots;
	atomic_size_t next;
} loader;

/* Entries are sorted per directory, so the name decides. */
static int cmp_entry(const void *a, const void *b)
{
	return strcmp((*(entry *const *)a)->name, (*(entry *const *)b)->name);
}

/* dir + "/" + name without a printf per file. */
static char *join(const char *dir, size_t dlen, const char *name)
{
	size_t nlen = strlen(name);
	char *p = retort__malloc(dlen + nlen + 2);

	memcpy(p, dir, dlen);
	p[dlen] = '/';
	memcpy(p + dlen + 1, name, nlen + 1);
	return p;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int list_dir(loader *ld, const char *dir, bool recursive)
{
	retort_vec subdirs = RETORT_VEC_INIT;
	size_t first = ld->entries.len;
	struct dirent *de;
	DIR *d;
	int error = 0;

	size_t dlen = strlen(dir);

	while (dlen > 1 && dir[dlen - 1] == '/')
		dlen--;
	if (!(d = opendir(dir)))
		return retort__error_os("cannot open version location '%s'", dir);
	retort_vec_push(&ld->dirs, d);
	while ((de = readdir(d)) != NULL) {
		bool is_dir = de->d_type == DT_DIR;
		if (de->d_name[0] == '.')
			continue;
		if (de->d_type == DT_UNKNOWN || de->d_type == DT_LNK) {
			struct stat st;
			is_dir = fstatat(dirfd(d), de->d_name, &st, 0) == 0 && S_ISDIR(st.st_mode);
		}
		if (is_dir && recursive) {
			retort_vec_push(&subdirs, retort__path_join(dir, de->d_name));
		} else if (!is_dir && retort__ends_with(de->d_name, ".py") &&
			   strcmp(de->d_name, "__init__.py") != 0) {
			retort_vec_push(&ld->ignored, join(dir, dlen, de->d_name));
		} else if (!is_dir && retort_script_is_revision_file(de->d_name)) {
			entry *e = retort__malloc(sizeof(*e));
			e->path = join(dir, dlen, de->d_name);
			e->name = e->path + dlen + 1;
			e->rel = e->path + ld->base_len + 1;
			e->dirfd = dirfd(d);
			e->cache = ld->cache;
			e->owned = true;
			retort_vec_push(&ld->entries, e);
		}
	}
	/* sort this directory's files; subdirectories follow, in name order */
	if (ld->entries.len > first)
		qsort(ld->entries.items + first, ld->entries.len - first, sizeof(void *), cmp_entry);
	retort_vec_sort(&subdirs, cmp_str);
	for (size_t i = 0; i < subdirs.len && !error; i++)
		error = list_dir(ld, subdirs.items[i], true);
	retort_vec_dispose(&subdirs, true);
	return error;
}

/* List one version location and tell its header cache what is there. */
static int list_location(loader *ld, const char *dir, bool recursive)
{
	size_t first = ld->entries.len, n;
	const char **rels;
	int error;

	ld->base_len = strlen(dir);
	while (ld->base_len > 1 && dir[ld->base_len - 1] == '/')
		ld->base_len--;
	ld->cache = ld->use_cache ? retort__scriptcache_open(dir) : NULL;
	if (ld->cache)
		retort_vec_push(&ld->caches, ld->cache);
	if ((error = list_dir(ld, dir, recursive)) < 0 || !ld->cache)
		return error;
	n = ld->entries.len - first;
	rels = retort__calloc(n + 1, sizeof(*rels));
	for (size_t i = 0; i < n; i++) {
		entry *e = ld->entries.items[first + i];
		e->pos = i;
		rels[i] = e->rel;
	}
	retort__scriptcache_expect(ld->cache, rels, n);
	free(rels);
	return 0;
}

/*
 * Read one file into `buf` (grown as needed): one openat, one fstat, one
 * read, one close; with `s`, the fstat goes into s->st for the header
 * cache.  What is not a regular file (a FIFO would block, /dev/zero never
 * ends) or is larger than RETORT_SCRIPT_MAX is refused before reading.
 */
static int read_at(char **buf, size_t *cap, const entry *e, size_t *len, slot *s)
{
	int fd, error;

	if ((error = retort__file_open(&fd, e->dirfd, e->name, e->path, RETORT_SCRIPT_MAX,
			RETORT_ERROR_SCRIPT)) < 0)
		return error;
	if (s)
		s->stat_ok = fstat(fd, &s->st) == 0;
	error = retort__file_read_fd(buf, cap, len, fd, e->path, RETORT_SCRIPT_MAX, RETORT_ERROR_SCRIPT);
	close(fd);
	return error;
}

static void *parse_worker(void *arg)
{
	loader *ld = arg;
	char *buf = NULL;
	size_t cap = 0;

	for (;;) {
		size_t start = atomic_fetch_add(&ld->next, CHUNK);
		if (start >= ld->entries.len)
			break;
		for (size_t i = start; i < start + CHUNK && i < ld->entries.len; i++) {
			entry *e = ld->entries.items[i];
			slot *s = &ld->slots[i];
			size_t len = 0;
			/*
			 * A hit is only noted here; the main thread builds its
			 * script, because allocating in a second thread grows a
			 * second malloc arena a page at a time, which costs more
			 * than the copying it would share.
			 */
			bool warm = e->cache && retort__scriptcache_count(e->cache) > 0;
			if (warm && (s->stat_ok = fstatat(e->dirfd, e->name, &s->st, 0) == 0) &&
				S_ISREG(s->st.st_mode) && (s->hit = retort__scriptcache_has(e->cache, e->pos, e->rel, &s->st)))
				continue;
			/*
			 * A miss records the stat of the descriptor it read, never
			 * the one looked up by name above: the name may point at
			 * another file by now (a symlink retargeted).
			 */
			if ((s->error = read_at(&buf, &cap, e, &len, e->cache ? s : NULL)) == 0) {
				/* the script takes the path; the entry keeps a borrowed view */
				s->error = retort__script_parse_take(&s->script, e->path, buf, len);
				e->owned = false;
			}
			if (s->error < 0) {
				/* the error is thread-local: carry it to the loading thread */
				const retort_error *err = retort_error_last();
				s->klass = err ? err->klass : RETORT_ERROR_INTERNAL;
				s->message = retort__strdup(err ? err->message : "cannot read a revision");
				s->script = NULL;
			}
		}
	}
	free(buf);
	return NULL;
}

static void parse_all(loader *ld)
{
	pthread_t threads[MAX_THREADS];
	size_t nthreads = 0;
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	cpu_set_t set;

	/* the CPUs we may run on (taskset, containers), not the machine's */
	if (sched_getaffinity(0, sizeof(set), &set) == 0)
		cpus = CPU_COUNT(&set);

	if (ld->entries.len >= PARALLEL_MIN_FILES && cpus > 1) {
		long helpers = (cpus < MAX_THREADS ? cpus : MAX_THREADS) - 1; /* this thread is the other */
		while ((long)nthreads < helpers && pthread_create(&threads[nthreads], NULL, parse_worker, ld) == 0)
			nthreads++;
	}
	parse_worker(ld); /* this thread works too */
	for (size_t i = 0; i < nthreads; i++)
		pthread_join(threads[i], NULL);
}

static int load_scripts(retort_vec *out, retort_vec *ignored, const retort_config *cfg, bool use_cache)
{
	loader ld;
	retort_vec scripts = RETORT_VEC_INIT;
	int error = 0;

	memset(&ld, 0, sizeof(ld));
	ld.use_cache = use_cache;
	for (size_t i = 0; i < cfg->version_locations.len && !error; i++) {
		const char *dir = cfg->version_locations.items[i];
		if (!retort__path_is_dir(dir)) {
			error = retort__error_code(RETORT_ENOTFOUND, RETORT_ERROR_CONFIG,
				"version location '%s' is not a directory", dir);
			break;
		}
		error = list_location(&ld, dir, cfg->recursive_version_locations);
	}
	if (!error) {
		ld.slots = retort__calloc(ld.entries.len + 1, sizeof(*ld.slots));
		atomic_init(&ld.next, 0);
		parse_all(&ld);
		for (size_t i = 0; i < ld.entries.len; i++) {
			slot *s = &ld.slots[i];
			entry *e = ld.entries.items[i];
			if (s->hit) {
				s->script = retort__scriptcache_get(e->cache, e->pos, e->rel, &s->st, e->path);
				e->owned = false;
			}
			if (s->error < 0 && !error)
				error = retort__error_code(s->error, s->klass, "%s", s->message);
			if (s->error == 0 && s->stat_ok)
				retort__scriptcache_keep(e->cache, e->pos, e->rel, &s->st, s->hit ? NULL : s->script);
			if (s->error < 0 || error)
				retort_script_free(s->script);
			else
				retort_vec_push(&scripts, s->script);
			free(s->message);
		}
	}
	/* a failed load has not seen every file: leave the caches as they were */
	for (size_t i = 0; i < ld.caches.len; i++)
		retort__scriptcache_close(ld.caches.items[i], error < 0);
	retort_vec_dispose(&ld.caches, false);
	for (size_t i = 0; i < ld.dirs.len; i++)
		closedir(ld.dirs.items[i]);
	for (size_t i = 0; i < ld.entries.len; i++)
		if (((entry *)ld.entries.items[i])->owned)
			free(((entry *)ld.entries.items[i])->path);
	retort_vec_dispose(&ld.entries, true);
	retort_vec_dispose(&ld.dirs, false);
	free(ld.slots);
	if (error < 0) {
		retort_vec_dispose(&ld.ignored, true);
		for (size_t i = 0; i < scripts.len; i++)
			retort_script_free(scripts.items[i]);
		retort_vec_dispose(&scripts, false);
		return error;
	}
	for (size_t i = 0; i < scripts.len; i++)
		retort_vec_push(out, scripts.items[i]);
	retort_vec_dispose(&scripts, false);
	retort_vec_sort(&ld.ignored, cmp_str);
	for (size_t i = 0; ignored && i < ld.ignored.len; i++)
		retort_vec_push(ignored, ld.ignored.items[i]);
	retort_vec_dispose(&ld.ignored, !ignored);
	return 0;
}

int retort_graph_load_scripts(retort_vec *out, const retort_config *cfg)
{
	return load_scripts(out, NULL, cfg, false);
}

static int load(retort_graph **out, const retort_config *cfg, bool use_cache)
{
	retort_vec scripts = RETORT_VEC_INIT, ignored = RETORT_VEC_INIT;
	int error;

	*out = NULL;
	if ((error = load_scripts(&scripts, &ignored, cfg, use_cache)) < 0 ||
	    (error = retort_graph_build(out, &scripts)) < 0) {
		retort_vec_dispose(&ignored, true);
		return error;
	}
	retort__graph_set_ignored(*out, &ignored);
	return 0;
}

int retort_graph_load(retort_graph **out, const retort_config *cfg)
{
	return load(out, cfg, false);
}

int retort_graph_load_cached(retort_graph **out, const retort_config *cfg)
{
	return load(out, cfg, true);
}
