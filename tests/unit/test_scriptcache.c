/*
 * test_scriptcache.c - the header cache as loads use it (open, keep,
 * close, get), its file as it lies in the cache directory (damaged,
 * foreign or another build's), and what a script built from it can and
 * cannot do (scriptcache.c, retort_script_read_sql).
 * The loader's use of it (hits, misses, rewrites) is tested end to end by
 * tests/cli/t0106-header-cache.sh.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/common.h"
#include "graph_fixture.h"
#include "harness/suites.h"
#include "graph/scriptcache.h"

static const char full_sql[] = FIXTURE_FULL_SQL;

static const char base_sql[] =
	"-- first\n"
	"-- Revision ID: 1c9d0e8a6f21\n"
	"-- Revises:\n"
	"-- retort:upgrade\n"
	"CREATE TABLE a (x INTEGER);\n";

static retort_script *parse(const char *path, const char *text)
{
	retort_script *s = NULL;

	ck_assert_msg(retort_script_parse(&s, path, text, strlen(text)) == 0, "%s", fixture_errmsg());
	return s;
}

static void assert_strs(const retort_vec *v, const char *want)
{
	char *got = fixture_strs(v);

	ck_assert_str_eq(got, want);
	free(got);
}

static struct stat fake_stat(unsigned n)
{
	struct stat st;

	memset(&st, 0, sizeof(st));
	st.st_dev = 8 + n;
	st.st_ino = 1000 + n;
	st.st_size = 300 + n;
	st.st_mtim.tv_sec = 1700000000 + n;
	st.st_mtim.tv_nsec = 123456789;
	st.st_ctim.tv_sec = 1700000000 + n;
	st.st_ctim.tv_nsec = 987654321;
	return st;
}

static const char *const two_paths[] = { "a/4f2a.sql", "1c9d.sql" };

/* A new, empty version location; the caller removes it with drop_location(). */
static char *new_location(void)
{
	char *dir = retort__strdup("/tmp/retort-scriptcache.XXXXXX");

	ck_assert_ptr_nonnull(mkdtemp(dir));
	return dir;
}

/*
 * Where the cache of `loc` lives: <cache dir>/graph/ and the 64-bit FNV-1a
 * of its real path in hex, as the README's cache section describes.
 */
static char *cache_file_of(const char *loc)
{
	char *real = realpath(loc, NULL), *root = retort__cache_dir(), *file, name[32];

	ck_assert_ptr_nonnull(real);
	ck_assert_ptr_nonnull(root);
	snprintf(name, sizeof(name), "graph/%016llx", (unsigned long long)retort__fnv1a(real));
	file = retort__path_join(root, name);
	free(real);
	free(root);
	return file;
}

static void drop_location(char *loc)
{
	char *file = cache_file_of(loc);

	unlink(file);
	free(file);
	ck_assert_int_eq(rmdir(loc), 0);
	free(loc);
}

/* The cache of `loc` as the next load opens it, told the two files' listing. */
static retort_scriptcache *open_two(const char *loc)
{
	retort_scriptcache *c = retort__scriptcache_open(loc);

	ck_assert_ptr_nonnull(c);
	retort__scriptcache_expect(c, two_paths, 2);
	return c;
}

/*
 * A load of `loc` that parsed full_sql as "a/4f2a.sql" (stat 1) and
 * base_sql as "1c9d.sql" (stat 2): what it writes is the cache file.
 */
static void write_two(const char *loc)
{
	retort_script *a = parse("v/a/4f2a.sql", full_sql), *b = parse("v/1c9d.sql", base_sql);
	struct stat sa = fake_stat(1), sb = fake_stat(2);
	retort_scriptcache *c = open_two(loc);

	retort__scriptcache_keep(c, 0, two_paths[0], &sa, a);
	retort__scriptcache_keep(c, 1, two_paths[1], &sb, b);
	retort__scriptcache_close(c, false);
	retort_script_free(a);
	retort_script_free(b);
}

/* The cache file of `loc` replaced by `len` bytes of `image`: how many entries a load then finds. */
static size_t count_with_image(const char *loc, const char *image, size_t len)
{
	char *file = cache_file_of(loc);
	retort_scriptcache *c;
	size_t n;

	ck_assert_int_eq(retort__file_write_mode(file, image, len, 0600), 0);
	c = open_two(loc);
	n = retort__scriptcache_count(c);
	retort__scriptcache_close(c, true);
	free(file);
	return n;
}

START_TEST(test_scriptcache__round_trip)
{
	char *loc = new_location();
	retort_scriptcache *c;
	struct stat st = fake_stat(1);
	retort_script *s;

	write_two(loc);
	c = open_two(loc);
	ck_assert_uint_eq(retort__scriptcache_count(c), 2);

	s = retort__scriptcache_get(c, 0, "a/4f2a.sql", &st, retort__strdup("v/a/4f2a.sql"));
	ck_assert_ptr_nonnull(s);
	ck_assert_str_eq(s->path, "v/a/4f2a.sql");
	ck_assert_int_eq(s->format, RETORT_SCRIPT_SQL);
	ck_assert_str_eq(s->revision, "4f2a9c1d7b3e");
	ck_assert_str_eq(s->message, "create users table");
	assert_strs(&s->revises, "1c9d0e8a6f21 99aa");
	assert_strs(&s->branch_labels, "auth");
	assert_strs(&s->depends_on, "77ff net");
	ck_assert_str_eq(s->create_date, "2026-11-21 09:14:02+00:00");
	ck_assert(!s->transactional);
	ck_assert(s->foreign_keys_off);
	ck_assert(s->has_downgrade);
	ck_assert_uint_eq(s->header_line, 3);
	/* the bodies are not in the cache: a run reads them */
	ck_assert_ptr_null(s->upgrade_sql);
	ck_assert_ptr_null(s->downgrade_sql);
	retort_script_free(s);

	st = fake_stat(2);
	s = retort__scriptcache_get(c, 1, "1c9d.sql", &st, retort__strdup("v/1c9d.sql"));
	ck_assert_ptr_nonnull(s);
	ck_assert_uint_eq(s->revises.len, 0);
	ck_assert_ptr_null(s->create_date);
	ck_assert(s->transactional);
	ck_assert(!s->foreign_keys_off);
	ck_assert(!s->has_downgrade);
	retort_script_free(s);

	retort__scriptcache_close(c, true);
	drop_location(loc);
}
END_TEST

/* A baseline's Replaces list survives the cache, in order. */
START_TEST(test_scriptcache__replaces)
{
	static const char baseline_sql[] =
		"-- squash\n-- Revision ID: b1\n-- Replaces: r1, r2, r3\n-- retort:upgrade\nSELECT 1;\n";
	static const char *const one[] = { "b1.sql" };
	char *loc = new_location();
	retort_script *b = parse("v/b1.sql", baseline_sql), *s;
	struct stat st = fake_stat(3);
	retort_scriptcache *c = retort__scriptcache_open(loc);

	ck_assert_ptr_nonnull(c);
	retort__scriptcache_expect(c, one, 1);
	retort__scriptcache_keep(c, 0, one[0], &st, b);
	retort__scriptcache_close(c, false);
	c = retort__scriptcache_open(loc);
	retort__scriptcache_expect(c, one, 1);
	s = retort__scriptcache_get(c, 0, one[0], &st, retort__strdup("v/b1.sql"));
	ck_assert_ptr_nonnull(s);
	assert_strs(&s->replaces, "r1 r2 r3");
	ck_assert_uint_eq(s->revises.len, 0);
	retort_script_free(s);
	retort_script_free(b);
	retort__scriptcache_close(c, true);
	drop_location(loc);
}
END_TEST

/* Any difference in the file's identity or times is a miss. */
START_TEST(test_scriptcache__stat_must_match)
{
	char *loc = new_location();
	retort_scriptcache *c;
	struct stat st;

	write_two(loc);
	c = open_two(loc);
	for (int field = 0; field < 7; field++) {
		char *path = retort__strdup("v/a/4f2a.sql");
		st = fake_stat(1);
		switch (field) {
		case 0: st.st_dev++; break;
		case 1: st.st_ino++; break;
		case 2: st.st_size++; break;
		case 3: st.st_mtim.tv_sec++; break;
		case 4: st.st_mtim.tv_nsec++; break;
		case 5: st.st_ctim.tv_sec++; break;
		default: st.st_ctim.tv_nsec++; break;
		}
		ck_assert_msg(retort__scriptcache_get(c, 0, "a/4f2a.sql", &st, path) == NULL,
			"field %d changed, yet a hit", field);
		free(path); /* a miss leaves the path to the caller */
	}
	retort__scriptcache_close(c, true);
	/* a listing with a path it does not hold, in the first file's place */
	{
		static const char *const other[] = { "b/4f2a.sql", "1c9d.sql" };
		c = retort__scriptcache_open(loc);
		retort__scriptcache_expect(c, other, 2);
		st = fake_stat(1);
		ck_assert_ptr_null(retort__scriptcache_get(c, 0, "b/4f2a.sql", &st, NULL));
		st = fake_stat(2);
		ck_assert(retort__scriptcache_has(c, 1, "1c9d.sql", &st));
		retort__scriptcache_close(c, true);
	}
	drop_location(loc);
}
END_TEST

/*
 * A damaged cache file is never trusted beyond what decodes: cut at every
 * length, and with every byte flipped, reading it must stay in bounds (the
 * sanitizer build checks that) and yield no more entries than were written.
 */
START_TEST(test_scriptcache__damaged_images)
{
	char *loc = new_location(), *file = cache_file_of(loc), *img = NULL;
	size_t size = 0;

	write_two(loc);
	ck_assert_int_eq(retort__file_read(&img, &size, file), 0);
	for (size_t len = 0; len < size; len++)
		ck_assert_msg(count_with_image(loc, img, len) < 2, "cut at %zu still has both entries", len);
	for (size_t i = 0; i < size; i++) {
		struct stat st = fake_stat(1);
		char *path = retort__strdup("v/a/4f2a.sql");
		retort_scriptcache *c;
		retort_script *s;

		img[i] ^= 0x5a;
		ck_assert_int_eq(retort__file_write_mode(file, img, size, 0600), 0);
		c = open_two(loc);
		ck_assert_uint_le(retort__scriptcache_count(c), 2);
		/* whatever still decodes is whole: every string is there */
		if ((s = retort__scriptcache_get(c, 0, "a/4f2a.sql", &st, path))) {
			ck_assert_ptr_nonnull(s->revision);
			ck_assert_ptr_nonnull(s->message);
			for (size_t k = 0; k < s->revises.len; k++)
				ck_assert_ptr_nonnull(s->revises.items[k]);
			retort_script_free(s);
		} else {
			free(path);
		}
		retort__scriptcache_close(c, true);
		img[i] ^= 0x5a;
	}
	free(img);
	free(file);
	drop_location(loc);
}
END_TEST

/* The cache file with the first occurrence of `what` altered: its count of entries. */
static size_t count_with_altered(const char *loc, const char *image, size_t len, const char *what)
{
	char *copy = retort__malloc(len), *v;
	size_t n;

	memcpy(copy, image, len);
	v = memmem(copy, len, what, strlen(what));
	ck_assert_ptr_nonnull(v);
	v[0] ^= 1;
	n = count_with_image(loc, copy, len);
	free(copy);
	return n;
}

/*
 * A cache made by another version of retort, by another build of the
 * header parser, or for another location, is not read.
 */
START_TEST(test_scriptcache__other_version_ignored)
{
	char *loc = new_location(), *other = new_location();
	char *file = cache_file_of(loc), *img = NULL;
	size_t size = 0;

	write_two(loc);
	ck_assert_int_eq(retort__file_read(&img, &size, file), 0);
	ck_assert_uint_eq(count_with_image(other, img, size), 0);
	ck_assert_uint_eq(count_with_altered(loc, img, size, "retort-header-cache"), 0);
	ck_assert_uint_eq(count_with_altered(loc, img, size, PACKAGE_VERSION), 0);
	ck_assert_uint_eq(count_with_altered(loc, img, size, retort__script_parser_key), 0);
	/* and the image as written is read back whole */
	ck_assert_uint_eq(count_with_image(loc, img, size), 2);
	free(img);
	free(file);
	drop_location(other);
	drop_location(loc);
}
END_TEST

/* Write `text` to dir/name; return the path (caller frees). */
static char *write_file(const char *dir, const char *name, const char *text)
{
	char *path = retort__path_join(dir, name);

	ck_assert_int_eq(retort__file_write(path, text, strlen(text)), 0);
	return path;
}

/*
 * The script a load of `dir` takes from its cache, after a load that
 * parsed dir/x.sql as it is now recorded it there.
 */
static retort_script *cached_copy(const char *dir, const char *path)
{
	static const char *const rel[] = { "x.sql" };
	retort_script *parsed = NULL, *s;
	retort_scriptcache *c;
	struct stat st;
	char *text = NULL;
	size_t len = 0;

	ck_assert_int_eq(retort__file_read(&text, &len, path), 0);
	ck_assert_int_eq(retort_script_parse(&parsed, path, text, len), 0);
	ck_assert_int_eq(stat(path, &st), 0);
	/* a load records a file only once its ctime is some seconds old: this one is, as far as both loads know */
	st.st_ctim.tv_sec -= 60;
	c = retort__scriptcache_open(dir);
	ck_assert_ptr_nonnull(c);
	retort__scriptcache_expect(c, rel, 1);
	retort__scriptcache_keep(c, 0, rel[0], &st, parsed);
	retort__scriptcache_close(c, false);

	c = retort__scriptcache_open(dir);
	ck_assert_ptr_nonnull(c);
	retort__scriptcache_expect(c, rel, 1);
	s = retort__scriptcache_get(c, 0, rel[0], &st, retort__strdup(path));
	ck_assert_ptr_nonnull(s);
	retort__scriptcache_close(c, true);
	retort_script_free(parsed);
	free(text);
	return s;
}

START_TEST(test_scriptcache__read_sql_from_the_file)
{
	char dir[] = "/tmp/retort-scriptcache.XXXXXX", sum[65];
	char *path;
	retort_script *s;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	path = write_file(dir, "x.sql", full_sql);
	s = cached_copy(dir, path);
	ck_assert_int_eq(retort_script_read_sql(s), 0);
	ck_assert_str_eq(s->upgrade_sql, "CREATE TABLE users (id INTEGER PRIMARY KEY);");
	ck_assert_uint_eq(s->upgrade_line, 12);
	ck_assert_str_eq(s->downgrade_sql, "DROP TABLE users;");
	ck_assert_uint_eq(s->downgrade_line, 15);
	/* the checksum is that of the bytes the bodies came from */
	retort_script_sha256(sum, full_sql, strlen(full_sql));
	ck_assert_str_eq(retort_script_checksum(s), sum);
	ck_assert_int_eq(retort_script_read_sql(s), 0); /* a second call keeps them */
	retort_script_free(s);

	unlink(path);
	free(path);
	rmdir(dir);
}
END_TEST

/* A cache file in the (test-private) cache directory, to see it dropped. */
static char *plant_cache_file(void)
{
	char *root = retort__cache_dir(), *graph = retort__path_join(root, "graph");
	char *file = retort__path_join(graph, "0123456789abcdef");

	ck_assert_int_eq(retort__mkdir_p(graph, 0700), 0);
	ck_assert_int_eq(retort__file_write(file, "x", 1), 0);
	free(root);
	free(graph);
	return file;
}

/*
 * A header the cache vouched for that the file does not have: refused,
 * and the whole cache dropped, since nothing it says can be trusted.
 */
START_TEST(test_scriptcache__read_sql_refuses_a_changed_header)
{
	char dir[] = "/tmp/retort-scriptcache.XXXXXX";
	char *path, *edited = retort__strdup(full_sql), *planted;
	retort_script *s;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	path = write_file(dir, "x.sql", full_sql);
	s = cached_copy(dir, path);
	memcpy(strstr(edited, "99aa"), "88bb", 4);
	free(write_file(dir, "x.sql", edited));
	planted = plant_cache_file();
	ck_assert_int_lt(retort_script_read_sql(s), 0);
	ck_assert_msg(strstr(fixture_errmsg(), "header cache was out of date") &&
		strstr(fixture_errmsg(), "x.sql:3:"), "%s", fixture_errmsg());
	ck_assert_ptr_null(s->upgrade_sql);
	ck_assert_msg(!retort__path_exists(planted), "the cache was not dropped");
	free(planted);
	retort_script_free(s);

	/* a changed body with the same header is fine, but not after a checksum was handed out */
	s = cached_copy(dir, path);
	ck_assert_ptr_nonnull(retort_script_checksum(s));
	{
		char *body = retort__strdup(edited);
		memcpy(strstr(body, "DROP"), "drop", 4);
		free(write_file(dir, "x.sql", body));
		free(body);
	}
	ck_assert_int_lt(retort_script_read_sql(s), 0);
	retort_script_free(s);

	unlink(path);
	free(path);
	free(edited);
	rmdir(dir);
}
END_TEST

/* The loader's own parse, not the cache's. */
static retort_script *loaded(const char *path)
{
	retort_script *s = NULL;
	char *text = NULL;
	size_t len = 0;

	ck_assert_int_eq(retort__file_read(&text, &len, path), 0);
	ck_assert_int_eq(retort__script_parse_take(&s, retort__strdup(path), text, len), 0);
	free(text);
	return s;
}

/*
 * A script parsed when the graph was loaded runs what the file holds when
 * the run reads it, and the checksum is of those bytes: never the SQL of
 * one version with the checksum of another.
 */
START_TEST(test_scriptcache__read_sql_rereads_a_loaded_script)
{
	char dir[] = "/tmp/retort-scriptcache.XXXXXX", sum[65];
	char *path, *body = retort__strdup(full_sql), *header = retort__strdup(full_sql);
	retort_script *s;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	path = write_file(dir, "x.sql", full_sql);
	s = loaded(path);
	memcpy(strstr(body, "DROP TABLE users"), "DROP TABLE other", 16);
	free(write_file(dir, "x.sql", body));
	ck_assert_int_eq(retort_script_read_sql(s), 0);
	ck_assert_str_eq(s->downgrade_sql, "DROP TABLE other;");
	retort_script_sha256(sum, body, strlen(body));
	ck_assert_str_eq(retort_script_checksum(s), sum);
	retort_script_free(s);

	/* its header changed: refused with the plain message (no cache involved) */
	free(write_file(dir, "x.sql", full_sql));
	s = loaded(path);
	memcpy(strstr(header, "99aa"), "88bb", 4);
	free(write_file(dir, "x.sql", header));
	ck_assert_int_lt(retort_script_read_sql(s), 0);
	ck_assert_msg(strstr(fixture_errmsg(), "changed while retort was running"), "%s", fixture_errmsg());
	retort_script_free(s);

	unlink(path);
	free(path);
	free(body);
	free(header);
	rmdir(dir);
}
END_TEST

RETORT_SUITE(scriptcache)
Suite *suite_scriptcache(void)
{
	Suite *s = suite_create("scriptcache");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_scriptcache__round_trip);
	tcase_add_test(tc, test_scriptcache__replaces);
	tcase_add_test(tc, test_scriptcache__stat_must_match);
	tcase_add_test(tc, test_scriptcache__damaged_images);
	tcase_add_test(tc, test_scriptcache__other_version_ignored);
	tcase_add_test(tc, test_scriptcache__read_sql_from_the_file);
	tcase_add_test(tc, test_scriptcache__read_sql_refuses_a_changed_header);
	tcase_add_test(tc, test_scriptcache__read_sql_rereads_a_loaded_script);
	suite_add_tcase(s, tc);
	return s;
}

