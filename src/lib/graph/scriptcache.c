/*
 * scriptcache.c - the header cache of a version location (see
 * scriptcache.h for what it promises).
 *
 * File image: a header (magic, a byte-order probe, the format version,
 * then as length-prefixed strings retort's version, when the header parser
 * was compiled, and the location's real path; then the entry count), then
 * one entry per file:
 *
 *   u32 length of the rest of the entry
 *   u64 dev, ino, size; i64 mtime s/ns, ctime s/ns
 *   u32 header_line, upgrade_line, downgrade_line
 *   u8 format, u8 flags (transactional, has_downgrade, has create_date, foreign keys off)
 *   u16 number of revises, branch labels, depends on, replaces
 *   u32 length of the strings, then the strings, each NUL-terminated:
 *       relpath, revision, message, [create_date], revises..., labels..., depends...,
 *       replaces...
 *
 * The strings are laid out exactly as a script's arena, so a hit is one
 * allocation and one copy.  Numbers are in this machine's byte order: the
 * cache never leaves the machine, and the probe rejects one that did.
 * Decoding checks every length against what is left, so a damaged file
 * cannot make it read out of bounds; an entry that does not decode ends
 * the image (what came before is still used).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/common.h"
#include "graph/scriptcache.h"

/*
 * Bump whenever the layout changes.  Besides the format, the header names
 * the parser that wrote the entries (retort__script_parser_key: retort's
 * version and a hash of the parser's source), so a changed parser never
 * trusts an older one's results even if nobody remembered to bump this.
 */
#define FORMAT_VERSION 4u
#define MAGIC "retort-header-cache\n"
#define BYTE_ORDER_PROBE 0x01020304u

/* An entry is recorded only once its file's ctime is this many seconds older than the load. */
#define SETTLE_SECONDS 2

enum { F_TRANSACTIONAL = 1, F_HAS_DOWNGRADE = 2, F_CREATE_DATE = 4, F_FK_OFF = 8 };

typedef struct centry {
	const char *raw;        /* the encoded entry in the image (after its length) */
	uint32_t raw_len;
	uint64_t dev, ino, size;
	int64_t mtime_s, mtime_ns, ctime_s, ctime_ns;
	uint32_t header_line, upgrade_line, downgrade_line;
	uint8_t format, flags;
	uint16_t nrevises, nlabels, ndepends, nreplaces;
	const char *strings;    /* relpath first */
	uint32_t strings_len;
} centry;

struct retort_scriptcache {
	char *file;             /* where it is written */
	time_t load_start;      /* before any file of this load was looked at */
	char *location;         /* the version location's real path */
	char *image;            /* the file as read */
	size_t image_len;
	centry *entries;        /* in the order they were kept: the listing's */
	size_t nentries;
	/*
	 * relpath -> centry *, built only when the listing is not the cache's
	 * order: a lookup by position touches memory in sequence, while a hash
	 * lookup costs cache misses that add up over 10,000 files.
	 */
	retort_map by_path;
	bool by_position;       /* the listing matches entries[] one to one */
	/*
	 * The next image's entries, in the order kept: an entry carried over
	 * (from entries[]) or one encoded afresh into `fresh`.  Only assembled
	 * when the image changes, which is rare: copying it every time would
	 * cost more than the lookups.
	 */
	struct kept {
		const centry *e;    /* carried over, or NULL */
		size_t off, len;    /* in fresh, when e is NULL */
	} *out;
	size_t nout, out_cap;
	retort_buf fresh;
	bool changed;           /* the next image differs from this one */
};

/* --- encoding --- */

static void put_u16(retort_buf *b, uint16_t v) { retort_buf_put(b, &v, sizeof(v)); }
static void put_u32(retort_buf *b, uint32_t v) { retort_buf_put(b, &v, sizeof(v)); }
static void put_u64(retort_buf *b, uint64_t v) { retort_buf_put(b, &v, sizeof(v)); }
static void put_i64(retort_buf *b, int64_t v) { retort_buf_put(b, &v, sizeof(v)); }

/* A length-prefixed string (the header's). */
static void put_str(retort_buf *b, const char *s)
{
	put_u32(b, (uint32_t)strlen(s));
	retort_buf_put(b, s, strlen(s));
}

static void put_strings(retort_buf *b, const retort_vec *v)
{
	for (size_t i = 0; i < v->len; i++)
		retort_buf_put(b, v->items[i], strlen(v->items[i]) + 1);
}

/* The header that starts every image of `location`, before its encoded entries. */
static void encode_header(retort_buf *out, const char *location, size_t nentries)
{
	retort_buf_put(out, MAGIC, sizeof(MAGIC) - 1);
	put_u32(out, BYTE_ORDER_PROBE);
	put_u32(out, FORMAT_VERSION);
	put_str(out, PACKAGE_VERSION);
	put_str(out, retort__script_parser_key);
	put_str(out, location);
	put_u64(out, (uint64_t)nentries);
}

/* One entry, length first. */
static void encode(retort_buf *out, const char *relpath, const struct stat *st, const retort_script *s)
{
	size_t len_at = out->size, strings_at;
	uint8_t flags = (uint8_t)((s->transactional ? F_TRANSACTIONAL : 0) |
		(s->has_downgrade ? F_HAS_DOWNGRADE : 0) | (s->create_date ? F_CREATE_DATE : 0) |
		(s->foreign_keys_off ? F_FK_OFF : 0));
	uint32_t n;

	put_u32(out, 0); /* the entry's length, filled in below */
	put_u64(out, (uint64_t)st->st_dev);
	put_u64(out, (uint64_t)st->st_ino);
	put_u64(out, (uint64_t)st->st_size);
	put_i64(out, (int64_t)st->st_mtim.tv_sec);
	put_i64(out, (int64_t)st->st_mtim.tv_nsec);
	put_i64(out, (int64_t)st->st_ctim.tv_sec);
	put_i64(out, (int64_t)st->st_ctim.tv_nsec);
	put_u32(out, s->header_line);
	put_u32(out, s->upgrade_line);
	put_u32(out, s->downgrade_line);
	retort_buf_putc(out, (char)s->format);
	retort_buf_putc(out, (char)flags);
	put_u16(out, (uint16_t)s->revises.len);
	put_u16(out, (uint16_t)s->branch_labels.len);
	put_u16(out, (uint16_t)s->depends_on.len);
	put_u16(out, (uint16_t)s->replaces.len);
	strings_at = out->size;
	put_u32(out, 0);
	retort_buf_put(out, relpath, strlen(relpath) + 1);
	retort_buf_put(out, s->revision, strlen(s->revision) + 1);
	retort_buf_put(out, s->message ? s->message : "", strlen(s->message ? s->message : "") + 1);
	if (s->create_date)
		retort_buf_put(out, s->create_date, strlen(s->create_date) + 1);
	put_strings(out, &s->revises);
	put_strings(out, &s->branch_labels);
	put_strings(out, &s->depends_on);
	put_strings(out, &s->replaces);
	n = (uint32_t)(out->size - strings_at - sizeof(uint32_t));
	memcpy(out->ptr + strings_at, &n, sizeof(n));
	n = (uint32_t)(out->size - len_at - sizeof(uint32_t));
	memcpy(out->ptr + len_at, &n, sizeof(n));
}

/* --- decoding --- */

typedef struct reader {
	const char *p, *end;
	bool ok;
} reader;

static void get(reader *r, void *out, size_t n)
{
	if (!r->ok || (size_t)(r->end - r->p) < n) {
		r->ok = false;
		memset(out, 0, n);
		return;
	}
	memcpy(out, r->p, n);
	r->p += n;
}

static uint32_t get_u32(reader *r) { uint32_t v; get(r, &v, sizeof(v)); return v; }
static uint64_t get_u64(reader *r) { uint64_t v; get(r, &v, sizeof(v)); return v; }
static int64_t get_i64(reader *r) { int64_t v; get(r, &v, sizeof(v)); return v; }
static uint16_t get_u16(reader *r) { uint16_t v; get(r, &v, sizeof(v)); return v; }
static uint8_t get_u8(reader *r) { uint8_t v; get(r, &v, sizeof(v)); return v; }

/* Whether the next length-prefixed string is `want`; consumes it either way. */
static bool get_str_is(reader *r, const char *want)
{
	size_t n = strlen(want);

	if (get_u32(r) != n || !r->ok || (size_t)(r->end - r->p) < n || memcmp(r->p, want, n) != 0) {
		r->ok = false;
		return false;
	}
	r->p += n;
	return true;
}

/* How many NUL-terminated strings the entry must hold. */
static size_t strings_wanted(const centry *e)
{
	return 3u + ((e->flags & F_CREATE_DATE) ? 1u : 0u) + e->nrevises + e->nlabels + e->ndepends +
		e->nreplaces;
}

/* Whether `s` (`len` bytes) is exactly `n` non-empty-where-needed NUL-terminated strings. */
static bool strings_valid(const centry *e)
{
	const char *p = e->strings, *end = e->strings + e->strings_len;
	size_t count = 0;

	if (e->strings_len == 0 || end[-1] != '\0')
		return false;
	/* memchr, not a byte loop: this runs over every string of the cache */
	for (; p < end; p++, count++)
		p = memchr(p, '\0', (size_t)(end - p));
	/* relpath and revision may not be empty */
	return count == strings_wanted(e) && e->strings[0] != '\0' &&
		e->strings[strlen(e->strings) + 1] != '\0';
}

static bool decode_entry(reader *r, centry *e)
{
	uint32_t len = get_u32(r);
	reader in;

	if (!r->ok || (size_t)(r->end - r->p) < len)
		return false;
	in.p = r->p;
	in.end = r->p + len;
	in.ok = true;
	e->raw = r->p;
	e->raw_len = len;
	r->p += len;

	e->dev = get_u64(&in);
	e->ino = get_u64(&in);
	e->size = get_u64(&in);
	e->mtime_s = get_i64(&in);
	e->mtime_ns = get_i64(&in);
	e->ctime_s = get_i64(&in);
	e->ctime_ns = get_i64(&in);
	e->header_line = get_u32(&in);
	e->upgrade_line = get_u32(&in);
	e->downgrade_line = get_u32(&in);
	e->format = get_u8(&in);
	e->flags = get_u8(&in);
	e->nrevises = get_u16(&in);
	e->nlabels = get_u16(&in);
	e->ndepends = get_u16(&in);
	e->nreplaces = get_u16(&in);
	e->strings_len = get_u32(&in);
	if (!in.ok || (size_t)(in.end - in.p) != e->strings_len)
		return false;
	e->strings = in.p;
	return (e->format == RETORT_SCRIPT_SQL || e->format == RETORT_SCRIPT_C) && strings_valid(e);
}

static retort_scriptcache *cache_new(void)
{
	retort_scriptcache *c = retort__calloc(1, sizeof(*c));

	retort_buf_init(&c->fresh);
	return c;
}

/* Index the image's entries; stops at the first that does not decode. */
static void decode_image(retort_scriptcache *c)
{
	reader r = { c->image, c->image + c->image_len, true };
	char magic[sizeof(MAGIC) - 1];
	uint64_t n;

	get(&r, magic, sizeof(magic));
	if (!r.ok || memcmp(magic, MAGIC, sizeof(magic)) != 0 || get_u32(&r) != BYTE_ORDER_PROBE ||
		get_u32(&r) != FORMAT_VERSION || !get_str_is(&r, PACKAGE_VERSION) ||
		!get_str_is(&r, retort__script_parser_key) ||
		/* the file is named by a hash of the location: the path itself must match */
		!get_str_is(&r, c->location))
		return;
	n = get_u64(&r);
	/* each entry takes more than 64 bytes: a larger count is damage */
	if (!r.ok || n > (uint64_t)(r.end - r.p) / 64)
		return;
	c->entries = retort__calloc((size_t)n + 1, sizeof(*c->entries));
	for (size_t i = 0; i < (size_t)n; i++) {
		if (!decode_entry(&r, &c->entries[c->nentries]))
			break;
		c->nentries++;
	}
}

/* Index by path; a repeated path is damage, and the first one stands. */
static void index_by_path(retort_scriptcache *c)
{
	for (size_t i = 0; i < c->nentries; i++)
		if (!retort_map_has(&c->by_path, c->entries[i].strings))
			retort_map_set(&c->by_path, c->entries[i].strings, &c->entries[i]);
}

void retort__scriptcache_expect(retort_scriptcache *c, const char *const *relpaths, size_t n)
{
	if (!c)
		return;
	c->by_position = n == c->nentries;
	for (size_t i = 0; i < n && c->by_position; i++)
		c->by_position = strcmp(relpaths[i], c->entries[i].strings) == 0;
	if (!c->by_position)
		index_by_path(c);
}

size_t retort__scriptcache_count(const retort_scriptcache *c)
{
	return c ? c->nentries : 0;
}

/* --- lookups --- */

static bool same_file(const centry *e, const struct stat *st)
{
	return e->dev == (uint64_t)st->st_dev && e->ino == (uint64_t)st->st_ino &&
		e->size == (uint64_t)st->st_size &&
		e->mtime_s == (int64_t)st->st_mtim.tv_sec && e->mtime_ns == (int64_t)st->st_mtim.tv_nsec &&
		e->ctime_s == (int64_t)st->st_ctim.tv_sec && e->ctime_ns == (int64_t)st->st_ctim.tv_nsec;
}

static void push_n(retort_vec *v, char **p, uint16_t n)
{
	for (uint16_t i = 0; i < n; i++) {
		retort_vec_push(v, *p);
		*p += strlen(*p) + 1;
	}
}

static centry *find(const retort_scriptcache *c, size_t pos, const char *relpath)
{
	if (!c)
		return NULL;
	if (c->by_position)
		return pos < c->nentries ? &c->entries[pos] : NULL;
	return retort_map_get(&c->by_path, relpath);
}

bool retort__scriptcache_has(const retort_scriptcache *c, size_t pos, const char *relpath,
	const struct stat *st)
{
	const centry *e = find(c, pos, relpath);

	return e && same_file(e, st);
}

retort_script *retort__scriptcache_get(const retort_scriptcache *c, size_t pos, const char *relpath,
	const struct stat *st, char *path)
{
	const centry *e = find(c, pos, relpath);
	retort_script *s;
	char *p;

	if (!e || !same_file(e, st))
		return NULL;
	s = retort__calloc(1, sizeof(*s));
	s->path = path;
	s->format = (retort_script_format)e->format;
	s->transactional = (e->flags & F_TRANSACTIONAL) != 0;
	s->has_downgrade = (e->flags & F_HAS_DOWNGRADE) != 0;
	s->foreign_keys_off = (e->flags & F_FK_OFF) != 0;
	s->header_line = e->header_line;
	s->upgrade_line = e->upgrade_line;
	s->downgrade_line = e->downgrade_line;
	s->cached_ = true;
	s->arena_ = retort__malloc(e->strings_len);
	memcpy(s->arena_, e->strings, e->strings_len);
	p = s->arena_;
	p += strlen(p) + 1; /* relpath: the script's path is the caller's */
	s->revision = p;
	p += strlen(p) + 1;
	s->message = p;
	p += strlen(p) + 1;
	if (e->flags & F_CREATE_DATE) {
		s->create_date = p;
		p += strlen(p) + 1;
	}
	push_n(&s->revises, &p, e->nrevises);
	push_n(&s->branch_labels, &p, e->nlabels);
	push_n(&s->depends_on, &p, e->ndepends);
	push_n(&s->replaces, &p, e->nreplaces);
	return s;
}

/*
 * Whether the file's last change is old enough that a change after this
 * load looked at it must move its ctime.  Measured against the start of
 * the load, not now: a slow load must not make a file read in the tick of
 * its last write look settled.  ctime only: every write moves it and no
 * one can set it back (mtime can be, and a tarball's may lie in the future).
 */
static bool settled(const retort_scriptcache *c, const struct stat *st)
{
	return c->load_start > 0 && st->st_ctim.tv_sec + SETTLE_SECONDS < c->load_start;
}

/* Whether the cache can hold the script: its list counts are 16-bit. */
static bool fits(const retort_script *s)
{
	return s->revises.len <= UINT16_MAX && s->branch_labels.len <= UINT16_MAX &&
		s->depends_on.len <= UINT16_MAX && s->replaces.len <= UINT16_MAX;
}

static void push_kept(retort_scriptcache *c, const centry *e, size_t off, size_t len)
{
	if (c->nout == c->out_cap) {
		c->out_cap = c->out_cap ? c->out_cap * 2 : (c->nentries ? c->nentries : 64);
		c->out = retort__realloc(c->out, c->out_cap * sizeof(*c->out));
	}
	c->out[c->nout].e = e;
	c->out[c->nout].off = off;
	c->out[c->nout].len = len;
	c->nout++;
}

void retort__scriptcache_keep(retort_scriptcache *c, size_t pos, const char *relpath,
	const struct stat *st, const retort_script *script)
{
	size_t off;

	if (!c)
		return;
	if (!script) {
		/* a hit: carry its entry over as it is */
		const centry *e = find(c, pos, relpath);
		if (!e)
			return;
		c->changed |= c->nout >= c->nentries || e != &c->entries[c->nout];
		push_kept(c, e, 0, 0);
		return;
	}
	if (!settled(c, st) || !fits(script))
		return;
	off = c->fresh.size;
	encode(&c->fresh, relpath, st, script);
	push_kept(c, NULL, off, c->fresh.size - off);
	c->changed = true;
}

/* --- the file --- */

/*
 * The cache file of a location, named by a 64-bit FNV-1a hash of its real
 * path (a cryptographic hash would cost more than the rest of a cached
 * load: OpenSSL's first use is slow).  A collision only means two
 * locations take turns; the header holds the path, so neither misreads.
 */
static char *cache_file(const char *real, const char *graph_dir)
{
	char name[17];

	snprintf(name, sizeof(name), "%016llx", (unsigned long long)retort__fnv1a(real));
	return retort__path_join(graph_dir, name);
}

static bool cache_enabled(void)
{
	const char *v = getenv("RETORT_GRAPH_CACHE");

	return !v || strcmp(v, "0") != 0;
}

/* Read `path` if it is a regular file of ours that no one else can write. */
static char *read_private(const char *path, size_t *len)
{
	char *text = NULL;
	struct stat st;
	/* O_NONBLOCK: a FIFO put in its place must not hang us (it is then refused) */
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);

	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_uid == geteuid() &&
		!(st.st_mode & (S_IWGRP | S_IWOTH)) && st.st_size > 0 && st.st_size < (1 << 30)) {
		size_t want = (size_t)st.st_size, got = 0;
		text = retort__malloc(want + 1);
		while (got < want) {
			ssize_t n = read(fd, text + got, want - got);
			if (n <= 0)
				break;
			got += (size_t)n;
		}
		*len = got;
	}
	close(fd);
	return text;
}

/*
 * Network and user-space filesystems may answer stat from a client-side
 * cache for a while after another machine changed the file (NFS: up to
 * acregmax, 60 s), and their times come from another clock: a stat alone
 * cannot vouch for such a file, so no cache there.
 */
static bool local_fs(const char *dir)
{
	static const unsigned long remote[] = {
		0x6969,     /* NFS */
		0x517B,     /* SMB */
		0xFF534D42, /* CIFS */
		0xFE534D42, /* SMB2 */
		0x65735546, /* FUSE */
		0x01021997, /* 9P */
		0x00C36400, /* Ceph */
		0x5346414F, /* AFS */
		0x47504653, /* GPFS */
		0x0BD00BD0, /* Lustre */
	};
	struct statfs fs;

	if (statfs(dir, &fs) < 0)
		return false;
	for (size_t i = 0; i < sizeof(remote) / sizeof(remote[0]); i++)
		if ((unsigned long)fs.f_type == remote[i])
			return false;
	return true;
}

void retort__scriptcache_discard_all(void)
{
	char *root = retort__cache_dir(), *graph_dir;
	DIR *d;

	if (!root)
		return;
	graph_dir = retort__path_join(root, "graph");
	if (retort__dir_is_private(graph_dir) && (d = opendir(graph_dir))) {
		for (struct dirent *de; (de = readdir(d)); )
			if (de->d_name[0] != '.')
				unlinkat(dirfd(d), de->d_name, 0);
		closedir(d);
	}
	free(graph_dir);
	free(root);
}

retort_scriptcache *retort__scriptcache_open(const char *dir)
{
	retort_scriptcache *c;
	char *root, *graph_dir, *file, *real;
	bool usable;

	if (!cache_enabled() || !(root = retort__cache_dir()))
		return NULL;
	graph_dir = retort__path_join(root, "graph");
	/*
	 * Both directories must be ours alone, or what we read could be
	 * planted; and nothing is created inside a directory that is not.
	 */
	if (!retort__dir_is_private(graph_dir) && (!retort__path_exists(root) || retort__dir_is_private(root)) &&
		retort__mkdir_p_own(graph_dir, 0700) < 0)
		retort_error_clear(); /* no cache, then */
	usable = retort__dir_is_private(root) && retort__dir_is_private(graph_dir) && local_fs(dir);
	real = usable ? realpath(dir, NULL) : NULL;
	file = real ? cache_file(real, graph_dir) : NULL;
	free(root);
	free(graph_dir);
	if (!file) {
		free(real);
		return NULL;
	}
	c = cache_new();
	c->file = file;
	c->location = real;
	c->load_start = time(NULL);
	if ((c->image = read_private(file, &c->image_len)))
		decode_image(c);
	/* indexed by retort__scriptcache_expect(), once the listing is known */
	return c;
}

/* Unused for this long, a location's cache goes (a deploy layout of releases/N makes many). */
#define PRUNE_DAYS 30
/* A temporary file this old was left by a run that died while writing. */
#define PRUNE_TMP_SECONDS 3600

/*
 * Remove what no run will read again from the directory `file` is in:
 * caches of locations not used for PRUNE_DAYS (by access or change time),
 * and temporary files of writes that never finished.  Only when a cache
 * is written anyway, which is rare.
 */
static void prune(const char *file)
{
	char *dir = retort__path_dirname(file);
	time_t now = time(NULL);
	struct stat st;
	DIR *d;

	if ((d = opendir(dir))) {
		for (struct dirent *de; (de = readdir(d)); ) {
			bool tmp = retort__starts_with(de->d_name, ".retort-tmp-");
			time_t used;
			if ((de->d_name[0] == '.' && !tmp) ||
				fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0 || !S_ISREG(st.st_mode))
				continue;
			used = st.st_atime > st.st_mtime ? st.st_atime : st.st_mtime;
			if (now - used > (tmp ? PRUNE_TMP_SECONDS : (time_t)PRUNE_DAYS * 86400))
				unlinkat(dirfd(d), de->d_name, 0);
		}
		closedir(d);
	}
	free(dir);
}

void retort__scriptcache_close(retort_scriptcache *c, bool discard)
{
	if (!c)
		return;
	/* Rewrite only when an entry was parsed afresh, dropped or moved. */
	if (!discard && (c->changed || c->nout != c->nentries)) {
		retort_buf img = RETORT_BUF_INIT;
		encode_header(&img, c->location, c->nout);
		for (size_t i = 0; i < c->nout; i++) {
			const struct kept *k = &c->out[i];
			if (k->e) {
				put_u32(&img, k->e->raw_len);
				retort_buf_put(&img, k->e->raw, k->e->raw_len);
			} else {
				retort_buf_put(&img, c->fresh.ptr + k->off, k->len);
			}
		}
		/* a cache that cannot be written is simply not there next time */
		if (retort__file_write_mode(c->file, img.ptr, img.size, 0600) < 0)
			retort_error_clear();
		prune(c->file);
		retort_buf_dispose(&img);
	}
	retort_map_dispose(&c->by_path, false);
	retort_buf_dispose(&c->fresh);
	free(c->out);
	free(c->entries);
	free(c->image);
	free(c->file);
	free(c->location);
	free(c);
}
