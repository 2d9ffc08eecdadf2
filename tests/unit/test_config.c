/*
 * test_config.c - retort.ini: defaults, every key, interpolation, sections,
 * overrides, and errors that name the file and line.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/common.h"
#include "config/config.h"
#include "dialect/url.h"
#include "harness/suites.h"

static char dir[PATH_MAX];
static char ini[PATH_MAX + 16];

static void setup(void)
{
	strcpy(dir, "/tmp/retort-config.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(ini, sizeof(ini), "%s/retort.ini", dir);
	unsetenv("RETORT_URL");
	unsetenv("RETORT_CONFIG");
	unsetenv("CC");
}

static void teardown(void)
{
	unlink(ini);
	rmdir(dir);
}

static void write_ini(const char *text)
{
	FILE *f = fopen(ini, "w");

	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
}

static retort_config *load_ok(const char *text)
{
	retort_config_opts opts = { .path = ini };
	retort_config *cfg = NULL;
	int rc;

	write_ini(text);
	rc = retort_config_load(&cfg, &opts);
	ck_assert_msg(rc == 0, "config should load: %s\n%s", rc ? retort_error_last()->message : "", text);
	return cfg;
}

/* Load `text` expecting a configuration error whose message contains `want`. */
static void load_fails(const char *text, const char *want)
{
	retort_config_opts opts = { .path = ini };
	retort_config *cfg = NULL;
	int rc;

	write_ini(text);
	rc = retort_config_load(&cfg, &opts);
	ck_assert_msg(rc == RETORT_EUSAGE, "config should fail with '%s' (rc %d):\n%s", want, rc, text);
	ck_assert_ptr_null(cfg);
	ck_assert_int_eq(retort_error_last()->klass, RETORT_ERROR_CONFIG);
	ck_assert_msg(strstr(retort_error_last()->message, want) != NULL,
		"error '%s' lacks '%s'", retort_error_last()->message, want);
}

/* Load `text`, which is fine as a config, expecting its URL to be refused with `want`. */
static void url_fails(const char *text, const char *want)
{
	retort_config *cfg = load_ok(text);
	retort_url *url = (retort_url *)1;

	ck_assert_int_eq(retort_url_from_config(&url, cfg), RETORT_EUSAGE);
	ck_assert_ptr_null(url);
	ck_assert_int_eq(retort_error_last()->klass, RETORT_ERROR_CONFIG);
	ck_assert_msg(strstr(retort_error_last()->message, want) != NULL,
		"error '%s' lacks '%s'", retort_error_last()->message, want);
	retort_config_free(cfg);
}

static char *in_dir(const char *name)
{
	return retort__path_join(dir, name);
}

START_TEST(test_config__defaults)
{
	retort_config *cfg = load_ok("[retort]\nscript_location = migrations\nurl = sqlite:///app.db\n");
	char *loc = in_dir("migrations"), *versions = in_dir("migrations/versions");

	ck_assert_str_eq(cfg->script_location, loc);
	ck_assert_str_eq(cfg->url, "sqlite:///app.db");
	ck_assert_str_eq(cfg->version_table, "retort_version");
	ck_assert_ptr_null(cfg->version_table_schema);
	ck_assert_str_eq(cfg->history_table, "retort_history");
	ck_assert_uint_eq(cfg->version_locations.len, 1);
	ck_assert_str_eq(cfg->version_locations.items[0], versions);
	ck_assert(!cfg->recursive_version_locations);
	ck_assert_str_eq(cfg->file_template, "%(rev)s_%(slug)s");
	ck_assert_int_eq(cfg->truncate_slug_length, 40);
	ck_assert_str_eq(cfg->default_format, "sql");
	ck_assert(cfg->transaction_per_migration);
	ck_assert_uint_eq(cfg->target_schema.len, 0);
	ck_assert_ptr_null(cfg->dev_url);
	ck_assert_int_eq(cfg->lock_timeout, 60);
	ck_assert_int_eq(cfg->ddl_lock_timeout, -1);
	ck_assert_int_eq(cfg->ddl_statement_timeout, -1);
	ck_assert_int_eq(cfg->ddl_lock_retries, 3);
	ck_assert_int_eq(cfg->ddl_lock_retry_delay, 1000);
	ck_assert_uint_eq(cfg->lint_error.len, 0);
	ck_assert_uint_eq(cfg->lint_ignore.len, 0);
	ck_assert_int_eq(cfg->lint_large_table, 1000000);
	ck_assert_str_eq(cfg->cc, "cc");
	ck_assert_str_eq(cfg->cflags, "");
	ck_assert_ptr_null(cfg->post_write_hook);
	ck_assert_str_eq(cfg->section, "retort");
	free(loc);
	free(versions);
	retort_config_free(cfg);
}
END_TEST

START_TEST(test_config__every_key)
{
	retort_config *cfg = load_ok(
		"[retort]\n"
		"script_location = /abs/migrations\n"
		"url = postgresql://app@db/prod\n"
		"version_table = alembic_version\n"
		"version_table_schema = meta\n"
		"history_table = none\n"
		"version_locations = a b\n"
		"  c\n"
		"recursive_version_locations = yes\n"
		"file_template = %(year)d_%(rev)s\n"
		"truncate_slug_length = 12\n"
		"default_format = c\n"
		"transaction_per_migration = off\n"
		"target_schema = schema.sql /abs/extra.sql\n"
		"dev_url = sqlite://\n"
		"include_schemas = public, app_*\n"
		"exclude_tables = tmp_* audit\n"
		"exclude_kinds = privileges, comments materialized-views\n"
		"manage_privileges = on\n"
		"lock_timeout = 5\n"
		"ddl_lock_timeout = 2s\n"
		"ddl_statement_timeout = 5 min\n"
		"ddl_lock_retries = 0\n"
		"ddl_lock_retry_delay = 250MS\n"
		"lint_error = R101, drop-table\n"
		"lint_ignore = R116 R117\n"
		"lint_large_table = 5000\n"
		"cc = clang\n"
		"cflags = -O2 -g\n"
		"post_write_hook = sqlfmt {file}\n");
	char *a = in_dir("a"), *schema = in_dir("schema.sql");

	ck_assert_str_eq(cfg->script_location, "/abs/migrations");
	ck_assert_str_eq(cfg->version_table, "alembic_version");
	ck_assert_str_eq(cfg->version_table_schema, "meta");
	ck_assert_ptr_null(cfg->history_table);
	ck_assert_uint_eq(cfg->version_locations.len, 3);
	ck_assert_str_eq(cfg->version_locations.items[0], a);
	ck_assert(cfg->recursive_version_locations);
	ck_assert_str_eq(cfg->file_template, "%(year)d_%(rev)s");
	ck_assert_int_eq(cfg->truncate_slug_length, 12);
	ck_assert_str_eq(cfg->default_format, "c");
	ck_assert(!cfg->transaction_per_migration);
	ck_assert_uint_eq(cfg->target_schema.len, 2);
	ck_assert_str_eq(cfg->target_schema.items[0], schema);
	ck_assert_str_eq(cfg->target_schema.items[1], "/abs/extra.sql");
	ck_assert_str_eq(cfg->dev_url, "sqlite://");
	ck_assert_uint_eq(cfg->include_schemas.len, 2);
	ck_assert_str_eq(cfg->include_schemas.items[1], "app_*");
	ck_assert_uint_eq(cfg->exclude_tables.len, 2);
	ck_assert_uint_eq(cfg->exclude_kinds.len, 3);
	ck_assert_str_eq(cfg->exclude_kinds.items[2], "materialized-views");
	ck_assert(cfg->manage_privileges);
	ck_assert_int_eq(cfg->lock_timeout, 5);
	ck_assert_int_eq(cfg->ddl_lock_timeout, 2000);
	ck_assert_int_eq(cfg->ddl_statement_timeout, 300000);
	ck_assert_int_eq(cfg->ddl_lock_retries, 0);
	ck_assert_int_eq(cfg->ddl_lock_retry_delay, 250);
	ck_assert_uint_eq(cfg->lint_error.len, 2);
	ck_assert_str_eq(cfg->lint_error.items[1], "drop-table");
	ck_assert_uint_eq(cfg->lint_error_line, 25);
	ck_assert_uint_eq(cfg->lint_ignore.len, 2);
	ck_assert_str_eq(cfg->lint_ignore.items[0], "R116");
	ck_assert_int_eq(cfg->lint_large_table, 5000);
	ck_assert_str_eq(cfg->cc, "clang");
	ck_assert_str_eq(cfg->cflags, "-O2 -g");
	ck_assert_str_eq(cfg->post_write_hook, "sqlfmt {file}");
	free(a);
	free(schema);
	retort_config_free(cfg);
}
END_TEST

START_TEST(test_config__interpolation)
{
	char *out;

	setenv("RETORT_T_HOST", "db.internal", 1);
	setenv("RETORT_T_EMPTY", "", 1);
	unsetenv("RETORT_T_UNSET");
	ck_assert_int_eq(retort_config_interpolate(&out, "postgresql://${RETORT_T_HOST}/x"), 0);
	ck_assert_str_eq(out, "postgresql://db.internal/x");
	free(out);
	ck_assert_int_eq(retort_config_interpolate(&out, "${RETORT_T_UNSET:-sqlite:///d.db}"), 0);
	ck_assert_str_eq(out, "sqlite:///d.db");
	free(out);
	ck_assert_int_eq(retort_config_interpolate(&out, "${RETORT_T_EMPTY:-fallback}"), 0);
	ck_assert_str_eq(out, "fallback");
	free(out);
	ck_assert_int_eq(retort_config_interpolate(&out, "${RETORT_T_HOST:-unused}"), 0);
	ck_assert_str_eq(out, "db.internal");
	free(out);
	ck_assert_int_eq(retort_config_interpolate(&out, "a${RETORT_T_UNSET}b $$HOME $x"), 0);
	ck_assert_str_eq(out, "ab $HOME $x");
	free(out);
	ck_assert_int_eq(retort_config_interpolate(&out, "x ${RETORT_T_HOST"), RETORT_EUSAGE);
	ck_assert_ptr_null(out);
	ck_assert_ptr_nonnull(strstr(retort_error_last()->message, "unterminated '${'"));
	/* The value is not shown: it may be a URL holding a password (the caller names the key). */
	ck_assert_int_eq(retort_config_interpolate(&out, "postgresql://u:Pw9secret@h/${DB"), RETORT_EUSAGE);
	ck_assert_str_eq(retort_error_last()->message, "unterminated '${'");
	ck_assert_int_eq(retort_config_interpolate(&out, "postgresql://u:Pw9secret@h/${D-B}"), RETORT_EUSAGE);
	ck_assert_str_eq(retort_error_last()->message, "bad variable name in '${...}' (letters, digits and '_')");
	ck_assert_int_eq(retort_config_interpolate(&out, "${}"), RETORT_EUSAGE);
	ck_assert_int_eq(retort_config_interpolate(&out, "${A B}"), RETORT_EUSAGE);
}
END_TEST

START_TEST(test_config__interpolated_in_file)
{
	retort_config *cfg;

	setenv("RETORT_T_DB", "from_env.db", 1);
	cfg = load_ok("[retort]\nscript_location = m\nurl = sqlite:///${RETORT_T_DB}\nlock_timeout = ${RETORT_T_NOPE:-7}\n");
	ck_assert_str_eq(cfg->url, "sqlite:///from_env.db");
	ck_assert_int_eq(cfg->lock_timeout, 7);
	retort_config_free(cfg);
}
END_TEST

START_TEST(test_config__errors_name_file_and_line)
{
	char want[2 * PATH_MAX + 256];

	snprintf(want, sizeof(want), "%s:3: unknown key 'scirpt_location' in section [retort]", ini);
	load_fails("# comment\n[retort]\nscirpt_location = m\n", want);

	snprintf(want, sizeof(want), "%s:2: section [retort] has no 'script_location'", ini);
	load_fails("\n[retort]\nurl = sqlite:///a.db\n", want);

	snprintf(want, sizeof(want), "%s:3: unterminated '${' (in the value of 'url')", ini);
	load_fails("[retort]\nscript_location = m\nurl = ${RETORT_URL\n", want);

	/* the URL is the dialect's to parse; it still names the file and line */
	snprintf(want, sizeof(want), "%s:3: malformed database URL 'mysql://x/y'", ini);
	url_fails("[retort]\nscript_location = m\nurl = mysql://x/y\n", want);

	/* An object kind is checked like every other value, with its line. */
	snprintf(want, sizeof(want), "%s:3: unknown object kind 'trigers' in 'exclude_kinds': one of collations,", ini);
	load_fails("[retort]\nscript_location = m\nexclude_kinds = functions, trigers\n", want);

	snprintf(want, sizeof(want), "%s:3: 'manage_privileges' must be true or false, not 'maybe'", ini);
	load_fails("[retort]\nscript_location = m\nmanage_privileges = maybe\n", want);

	snprintf(want, sizeof(want), "%s:3: malformed database URL 'postgresql://u:***@h:x/d'", ini);
	url_fails("[retort]\nscript_location = m\nurl = postgresql://u:pw@h:x/d\n", want);

	snprintf(want, sizeof(want), "%s:3: the line holds a NUL byte", ini);
	{
		FILE *f = fopen(ini, "w");
		ck_assert_ptr_nonnull(f);
		fwrite("[retort]\nscript_location = m\nurl = sqlite:///a\0b.db\n", 1, 51, f);
		fclose(f);
		retort_config *cfg = NULL;
		retort_config_opts opts = { .path = ini };
		ck_assert_int_eq(retort_config_load(&cfg, &opts), RETORT_EUSAGE);
		ck_assert_str_eq(retort_error_last()->message, want);
	}

	snprintf(want, sizeof(want), "%s:2: malformed line", ini);
	load_fails("[retort]\nthis is not a key\nscript_location = m\n", want);

	snprintf(want, sizeof(want), "%s:4: 'transaction_per_migration' must be true or false, not 'maybe'", ini);
	load_fails("[retort]\nscript_location = m\n\ntransaction_per_migration = maybe\n", want);

	snprintf(want, sizeof(want), "%s:2: 'lock_timeout' must be a whole number", ini);
	load_fails("[retort]\nlock_timeout = soon\nscript_location = m\n", want);

	snprintf(want, sizeof(want), "%s:3: 'ddl_lock_timeout' must be a duration such as 500ms, 2s or 1min (0: no limit), not '2'", ini);
	load_fails("[retort]\nscript_location = m\nddl_lock_timeout = 2\n", want);

	snprintf(want, sizeof(want), "%s:2: 'ddl_statement_timeout' must be a duration", ini);
	load_fails("[retort]\nddl_statement_timeout = 3 days\nscript_location = m\n", want);

	snprintf(want, sizeof(want), "%s:2: 'ddl_lock_timeout' must be a duration", ini);
	load_fails("[retort]\nddl_lock_timeout = 99999999999s\nscript_location = m\n", want);

	snprintf(want, sizeof(want), "%s:3: 'lint_ignore' must list rule codes such as R101", ini);
	load_fails("[retort]\nscript_location = m\nlint_ignore = R101; R102\n", want);

	snprintf(want, sizeof(want), "%s:3: key 'url' is set twice", ini);
	load_fails("[retort]\nurl = sqlite://\nurl = sqlite://\nscript_location = m\n", want);

	snprintf(want, sizeof(want), "%s:3: 'version_table' is empty", ini);
	load_fails("[retort]\nscript_location = m\nversion_table =\n", want);

	snprintf(want, sizeof(want), "%s:5: unknown key 'bogus' in section [other]", ini);
	load_fails("[retort]\nscript_location = m\n\n[other]\nbogus = 1\n", want);

	snprintf(want, sizeof(want), "%s:2: line longer than", ini);
	{
		char text[600];
		snprintf(text, sizeof(text), "[retort]\nurl = sqlite:///%0300d.db\nscript_location = m\n", 0);
		load_fails(text, want);
	}
}
END_TEST

START_TEST(test_config__sections_and_overrides)
{
	retort_config_opts opts = { .path = ini, .section = "reports" };
	const char *xargs[] = { "tenant=acme", "dry=1" };
	retort_config *cfg = NULL;
	char want[2 * PATH_MAX + 256];

	write_ini("[retort]\nscript_location = main\nurl = sqlite:///main.db\n"
		"[reports]\nscript_location = reports\nurl = sqlite:///reports.db\n");
	ck_assert_int_eq(retort_config_load(&cfg, &opts), 0);
	ck_assert_str_eq(cfg->section, "reports");
	ck_assert_str_eq(cfg->url, "sqlite:///reports.db");
	retort_config_free(cfg);

	opts.section = "missing";
	ck_assert_int_eq(retort_config_load(&cfg, &opts), RETORT_EUSAGE);
	snprintf(want, sizeof(want), "%s: no section [missing]", ini);
	ck_assert_str_eq(retort_error_last()->message, want);

	/* RETORT_URL beats the file, --url beats RETORT_URL. */
	opts.section = NULL;
	setenv("RETORT_URL", "sqlite:///env.db", 1);
	ck_assert_int_eq(retort_config_load(&cfg, &opts), 0);
	ck_assert_str_eq(cfg->url, "sqlite:///env.db");
	retort_config_free(cfg);
	opts.url = "sqlite:///flag.db";
	opts.xargs = xargs;
	opts.nxargs = 2;
	ck_assert_int_eq(retort_config_load(&cfg, &opts), 0);
	ck_assert_str_eq(cfg->url, "sqlite:///flag.db");
	ck_assert_str_eq(retort_map_get(&cfg->xargs, "tenant"), "acme");
	ck_assert_str_eq(retort_map_get(&cfg->xargs, "dry"), "1");
	retort_config_free(cfg);

	/* A bad override names where it came from. */
	opts.url = "oracle://x";
	ck_assert_int_eq(retort_config_load(&cfg, &opts), 0);
	{
		retort_url *url = NULL;
		ck_assert_int_eq(retort_url_from_config(&url, cfg), RETORT_EUSAGE);
		ck_assert(retort__starts_with(retort_error_last()->message, "--url: malformed database URL"));
		retort_config_free(cfg);
		opts.url = NULL;
		setenv("RETORT_URL", "nope", 1);
		ck_assert_int_eq(retort_config_load(&cfg, &opts), 0);
		ck_assert_int_eq(retort_url_from_config(&url, cfg), RETORT_EUSAGE);
		ck_assert(retort__starts_with(retort_error_last()->message, "RETORT_URL: malformed database URL"));
		retort_config_free(cfg);
	}
	unsetenv("RETORT_URL");

	/* Empty is refused, never replaced by the file's url: `--url "$UNSET"` must not migrate another database. */
	opts.url = "";
	cfg = (retort_config *)1;
	ck_assert_int_eq(retort_config_load(&cfg, &opts), RETORT_EUSAGE);
	ck_assert_ptr_null(cfg);
	ck_assert_int_eq(retort_error_last()->klass, RETORT_ERROR_USAGE);
	ck_assert_ptr_nonnull(strstr(retort_error_last()->message, "--url is empty"));
	opts.url = NULL;
	setenv("RETORT_URL", "", 1);
	ck_assert_int_eq(retort_config_load(&cfg, &opts), RETORT_EUSAGE);
	ck_assert_int_eq(retort_error_last()->klass, RETORT_ERROR_CONFIG);
	ck_assert_ptr_nonnull(strstr(retort_error_last()->message, "RETORT_URL is set but empty"));
	unsetenv("RETORT_URL");

	{
		const char *bad[] = { "novalue" };
		opts.xargs = bad;
		opts.nxargs = 1;
		ck_assert_int_eq(retort_config_load(&cfg, &opts), RETORT_EUSAGE);
		ck_assert_str_eq(retort_error_last()->message, "malformed -x 'novalue': expected KEY=VALUE");
	}
}
END_TEST

START_TEST(test_config__finding_the_file)
{
	retort_config_opts opts = { 0 };
	retort_config *cfg = NULL;
	char cwd[PATH_MAX];

	write_ini("[retort]\nscript_location = m\n");
	setenv("RETORT_CONFIG", ini, 1);
	ck_assert_int_eq(retort_config_load(&cfg, &opts), 0);
	ck_assert_str_eq(cfg->path, ini);
	ck_assert_ptr_null(cfg->url); /* url is only required by commands that connect */
	retort_config_free(cfg);
	unsetenv("RETORT_CONFIG");

	ck_assert_ptr_nonnull(getcwd(cwd, sizeof(cwd)));
	ck_assert_int_eq(chdir(dir), 0);
	ck_assert_int_eq(retort_config_load(&cfg, &opts), 0);
	ck_assert_str_eq(cfg->path, "retort.ini");
	retort_config_free(cfg);
	ck_assert_int_eq(chdir("/"), 0);
	ck_assert_int_eq(retort_config_load(&cfg, &opts), RETORT_ENOTFOUND);
	ck_assert_int_eq(retort_error_last()->klass, RETORT_ERROR_CONFIG);
	ck_assert_ptr_nonnull(strstr(retort_error_last()->message, "cannot find config 'retort.ini'"));
	ck_assert_int_eq(chdir(cwd), 0);

	/* an empty -c or RETORT_CONFIG is refused rather than read as ./retort.ini */
	opts.path = "";
	ck_assert_int_eq(retort_config_load(&cfg, &opts), RETORT_EUSAGE);
	ck_assert_ptr_nonnull(strstr(retort_error_last()->message, "-c is empty"));
	opts.path = NULL;
	setenv("RETORT_CONFIG", "", 1);
	ck_assert_int_eq(retort_config_load(&cfg, &opts), RETORT_EUSAGE);
	ck_assert_ptr_nonnull(strstr(retort_error_last()->message, "RETORT_CONFIG is set but empty"));
	unsetenv("RETORT_CONFIG");
}
END_TEST

/* What is not a regular file is refused unread; a symlink to one is fine. */
START_TEST(test_config__only_regular_files)
{
	retort_config_opts opts = { .path = ini };
	retort_config *cfg = NULL;
	char *link = in_dir("link.ini"), *big = in_dir("big.ini");
	FILE *f;

	/* a FIFO with no writer: opening it must not wait for one */
	ck_assert_int_eq(mkfifo(ini, 0600), 0);
	ck_assert_int_eq(retort_config_load(&cfg, &opts), RETORT_ERROR);
	ck_assert_int_eq(retort_error_last()->klass, RETORT_ERROR_CONFIG);
	ck_assert_msg(strstr(retort_error_last()->message, "is a FIFO, not a regular file") != NULL,
		"%s", retort_error_last()->message);
	unlink(ini);

	opts.path = "/dev/zero";
	ck_assert_int_eq(retort_config_load(&cfg, &opts), RETORT_ERROR);
	ck_assert_ptr_nonnull(strstr(retort_error_last()->message, "is a character device"));

	/* larger than the limit: refused by its size, before a byte is read (sparse, so cheap) */
	ck_assert_ptr_nonnull(f = fopen(big, "w"));
	ck_assert_int_eq(ftruncate(fileno(f), (off_t)RETORT_CONFIG_MAX + 1), 0);
	fclose(f);
	opts.path = big;
	ck_assert_int_eq(retort_config_load(&cfg, &opts), RETORT_ERROR);
	ck_assert_ptr_nonnull(strstr(retort_error_last()->message, "more than the 1 MiB retort reads"));
	unlink(big);

	write_ini("[retort]\nscript_location = m\n");
	ck_assert_int_eq(symlink(ini, link), 0);
	opts.path = link;
	ck_assert_int_eq(retort_config_load(&cfg, &opts), 0);
	retort_config_free(cfg);
	unlink(link);
	free(link);
	free(big);
}
END_TEST

/* Continuation lines are appended, not joined again per line: linear in the value's length. */
START_TEST(test_config__long_continuation)
{
	retort_buf text = RETORT_BUF_INIT;
	retort_config *cfg;
	struct timespec t0, t1;
	double secs;

	retort_buf_puts(&text, "[retort]\nscript_location = m\nexclude_tables = t0\n");
	for (int i = 1; i < 40000; i++)
		retort_buf_printf(&text, "    t%d\n", i);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	cfg = load_ok(text.ptr);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	ck_assert_int_eq(cfg->exclude_tables.len, 40000);
	ck_assert_str_eq(cfg->exclude_tables.items[39999], "t39999");
	/* quadratic joining took 25 s here; linear takes milliseconds, even under sanitizers */
	ck_assert_msg(secs < 3.0, "40,000 continuation lines took %.2f s", secs);
	retort_config_free(cfg);
	retort_buf_dispose(&text);
}
END_TEST

RETORT_SUITE(config)

Suite *suite_config(void)
{
	Suite *s = suite_create("config");
	TCase *tl = tcase_create("retort_config_load");
	TCase *ti = tcase_create("retort_config_interpolate");

	tcase_add_checked_fixture(tl, setup, teardown);
	tcase_add_checked_fixture(ti, setup, teardown);
	tcase_add_test(tl, test_config__defaults);
	tcase_add_test(tl, test_config__every_key);
	tcase_add_test(tl, test_config__interpolated_in_file);
	tcase_add_test(tl, test_config__errors_name_file_and_line);
	tcase_add_test(tl, test_config__sections_and_overrides);
	tcase_add_test(tl, test_config__finding_the_file);
	tcase_add_test(tl, test_config__only_regular_files);
	tcase_add_test(tl, test_config__long_continuation);
	tcase_add_test(ti, test_config__interpolation);
	suite_add_tcase(s, tl);
	suite_add_tcase(s, ti);
	return s;
}
