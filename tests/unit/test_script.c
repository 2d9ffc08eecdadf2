/* test_script.c - the revision header parser (script.c). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "graph_fixture.h"
#include "harness/suites.h"
#include "graph/script.h"

static const char full_sql[] = FIXTURE_FULL_SQL;

static retort_script *parse_ok(const char *path, const char *text)
{
	retort_script *s = NULL;
	int error = retort_script_parse(&s, path, text, strlen(text));
	ck_assert_msg(error == 0, "parse %s: %s\n%s", path, fixture_errmsg(), text);
	return s;
}

static void parse_fails(const char *path, const char *text, const char *expect)
{
	retort_script *s = NULL;
	int error = retort_script_parse(&s, path, text, strlen(text));
	ck_assert_msg(error < 0, "parse of\n%s\nshould fail", text);
	ck_assert_ptr_null(s);
	ck_assert_msg(strstr(fixture_errmsg(), expect) != NULL,
		"error for\n%s\nis '%s', expected it to contain '%s'", text, fixture_errmsg(), expect);
}

START_TEST(test_script__sql_header)
{
	retort_script *s = parse_ok("v/4f2a.sql", full_sql);
	char sum[65];

	ck_assert_int_eq(s->format, RETORT_SCRIPT_SQL);
	ck_assert_str_eq(s->revision, "4f2a9c1d7b3e");
	ck_assert_str_eq(s->message, "create users table");
	ck_assert_int_eq(s->revises.len, 2);
	ck_assert_str_eq(s->revises.items[0], "1c9d0e8a6f21");
	ck_assert_str_eq(s->revises.items[1], "99aa");
	ck_assert_str_eq(s->create_date, "2026-11-21 09:14:02+00:00");
	ck_assert_int_eq(s->branch_labels.len, 1);
	ck_assert_str_eq(s->branch_labels.items[0], "auth");
	ck_assert_int_eq(s->depends_on.len, 2);
	ck_assert_str_eq(s->depends_on.items[1], "net");
	ck_assert(!s->transactional);
	ck_assert(s->foreign_keys_off);
	ck_assert_uint_eq(s->header_line, 3);
	ck_assert_str_eq(s->upgrade_sql, "CREATE TABLE users (id INTEGER PRIMARY KEY);");
	ck_assert_uint_eq(s->upgrade_line, 12);
	ck_assert_str_eq(s->downgrade_sql, "DROP TABLE users;");
	ck_assert_uint_eq(s->downgrade_line, 15);
	ck_assert(s->has_downgrade);
	retort_script_sha256(sum, full_sql, strlen(full_sql));
	ck_assert_str_eq(retort_script_checksum(s), sum);
	retort_script_free(s);
}
END_TEST

START_TEST(test_script__checksum_is_lazy_for_loaded_files)
{
	static const char text[] = "-- lazy\n--\n-- Revision ID: abc\n-- Revises:\n\n-- retort:upgrade\nSELECT 1;\n";
	char path[] = "/tmp/retort-script-XXXXXX", sum[65];
	retort_script *s = NULL;
	int fd = mkstemp(path);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, text, strlen(text)), (int)strlen(text));
	close(fd);
	ck_assert_int_eq(retort__script_parse_take(&s, retort__strdup(path), text, strlen(text)), 0);
	ck_assert_str_eq(s->checksum_, ""); /* not hashed while loading */
	retort_script_sha256(sum, text, strlen(text));
	ck_assert_str_eq(retort_script_checksum(s), sum);
	ck_assert_str_eq(s->checksum_, sum); /* cached */
	retort_script_free(s);

	/* A file that vanished after loading has no checksum, and says so. */
	ck_assert_int_eq(retort__script_parse_take(&s, retort__strdup(path), text, strlen(text)), 0);
	unlink(path);
	ck_assert_ptr_null(retort_script_checksum(s));
	ck_assert_ptr_nonnull(strstr(retort_error_last()->message, "cannot checksum revision 'abc'"));
	retort_script_free(s);
}
END_TEST

START_TEST(test_script__keys_case_insensitive_and_defaults)
{
	retort_script *s = parse_ok("x.sql",
		"-- msg: with a colon\n-- REVISION ID: abc\n-- revises:\n-- branch labels:\n"
		"-- retort:upgrade\nSELECT 1;\n");

	ck_assert_str_eq(s->message, "msg: with a colon");
	ck_assert_str_eq(s->revision, "abc");
	ck_assert_int_eq(s->revises.len, 0);
	ck_assert(s->transactional);
	ck_assert(!s->foreign_keys_off);
	ck_assert_ptr_null(s->create_date);
	ck_assert_ptr_null(s->downgrade_sql);
	ck_assert(!s->has_downgrade);
	ck_assert_uint_eq(s->upgrade_line, 6);
	ck_assert(!s->has_lock_timeout && !s->has_statement_timeout);
	retort_script_free(s);
}
END_TEST

/* Lock Timeout and Statement Timeout: durations, in SQL and C headers. */
START_TEST(test_script__timeouts)
{
	retort_script *s = parse_ok("x.sql", "-- m\n-- Revision ID: a\n-- Lock Timeout: 5s\n"
		"-- statement timeout: 0\n-- retort:upgrade\nSELECT 1;\n");

	ck_assert(s->has_lock_timeout);
	ck_assert_int_eq(s->lock_timeout_ms, 5000);
	ck_assert(s->has_statement_timeout);
	ck_assert_int_eq(s->statement_timeout_ms, 0);
	retort_script_free(s);
	s = parse_ok("x.c", "/* m\n * Revision ID: a\n * Statement Timeout: 1500 ms\n */\nint upgrade(void);\n");
	ck_assert(!s->has_lock_timeout);
	ck_assert_int_eq(s->statement_timeout_ms, 1500);
	retort_script_free(s);
	parse_fails("v/a.sql", "-- m\n-- Revision ID: a\n-- Lock Timeout: 5\n-- retort:upgrade\n",
		"v/a.sql:3: Lock Timeout must be a duration such as 500ms, 5s or 1min (0: no limit), not '5'");
	parse_fails("v/a.sql", "-- m\n-- Revision ID: a\n-- Lock Timeout: 1s\n-- Lock Timeout: 2s\n-- retort:upgrade\n",
		"v/a.sql:4: duplicate header key 'Lock Timeout'");
}
END_TEST

START_TEST(test_script__no_message)
{
	retort_script *s = parse_ok("x.sql", "-- Revision ID: abc\n-- retort:upgrade\n-- retort:downgrade\n");

	ck_assert_str_eq(s->message, "");
	ck_assert_str_eq(s->upgrade_sql, "");
	ck_assert_str_eq(s->downgrade_sql, "");
	ck_assert(s->has_downgrade);
	retort_script_free(s);
}
END_TEST

START_TEST(test_script__errors)
{
	parse_fails("v/a.sql", "-- m\n--\n-- Revision ID: a\n-- Revizes: b\n-- retort:upgrade\n",
		"v/a.sql:4: unknown header key 'Revizes'");
	parse_fails("v/a.sql", "-- m\n--\n-- Revision ID: a\n-- just words\n-- retort:upgrade\n",
		"v/a.sql:4: malformed header line 'just words'");
	parse_fails("v/a.sql", "-- m\n--\n-- Revises: b\n-- retort:upgrade\n",
		"v/a.sql:1: header has no 'Revision ID:' line");
	parse_fails("v/a.sql", "-- m\n-- Revision ID: a\n-- Revision ID: b\n-- retort:upgrade\n",
		"v/a.sql:3: duplicate header key 'Revision ID'");
	parse_fails("v/a.sql", "-- m\n-- Revision ID: a-b\n-- retort:upgrade\n",
		"v/a.sql:2: invalid revision id 'a-b'");
	parse_fails("v/a.sql", "-- m\n-- Revision ID: a\n-- Transactional: maybe\n-- retort:upgrade\n",
		"v/a.sql:3: Transactional must be yes or no, not 'maybe'");
	parse_fails("v/a.sql", "-- m\n-- Revision ID: a\n-- Foreign Keys: sometimes\n-- retort:upgrade\n",
		"v/a.sql:3: Foreign Keys must be on or off, not 'sometimes'");
	parse_fails("v/a.sql", "-- m\n-- Revision ID: a\n\nSELECT 1;\n",
		"v/a.sql:4: SQL before the '-- retort:upgrade' line");
	parse_fails("v/a.sql", "-- m\n-- Revision ID: a\n", "no '-- retort:upgrade' section");
	parse_fails("v/a.sql", "SELECT 1;\n", "v/a.sql:1: no '-- ' header comment");
	parse_fails("v/a.sql", "-- m\n-- Revision ID: a\n-- retort:upgrade\n-- retort:upgrade\n",
		"v/a.sql:4: second '-- retort:upgrade' section");
	parse_fails("v/a.c", "int x;\n", "v/a.c:1: a C revision must start with a /* header comment */");
	parse_fails("v/a.c", "/* m\n * Revision ID: a\n", "unterminated header comment");
}
END_TEST

START_TEST(test_script__replaces)
{
	retort_script *s = parse_ok("x.sql",
		"-- baseline\n-- Replaces: r1, r2,r3\n-- Revision ID: b\n-- Revises:\n-- retort:upgrade\n");

	ck_assert_uint_eq(s->replaces.len, 3);
	ck_assert_str_eq(s->replaces.items[0], "r1");
	ck_assert_str_eq(s->replaces.items[2], "r3");
	retort_script_free(s);
	s = parse_ok("x.sql", "-- m\n-- Revision ID: b\n-- retort:upgrade\n");
	ck_assert_uint_eq(s->replaces.len, 0);
	retort_script_free(s);
	parse_fails("v/b.sql", "-- m\n-- Replaces: r1, b\n-- Revision ID: b\n-- retort:upgrade\n",
		"v/b.sql:2: revision 'b' replaces itself");
	parse_fails("v/b.sql", "-- m\n-- Revision ID: b\n-- Replaces: r1, r1\n-- retort:upgrade\n",
		"v/b.sql:3: 'r1' is listed twice in Replaces");
	parse_fails("v/b.sql", "-- m\n-- Revision ID: b\n-- Replaces: r-1\n-- retort:upgrade\n",
		"v/b.sql:3: invalid revision id 'r-1' in Replaces");
}
END_TEST

START_TEST(test_script__c_header)
{
	static const char text[] =
		"/*\n * add flags\n *\n * Revision ID: c0ffee\n * Revises: abc\n * Depends On:\n"
		" * Transactional: yes\n */\n#include <retort/migration.h>\n"
		"int upgrade(retort_ctx *ctx) { return 0; }\nint downgrade (retort_ctx *ctx) { return 0; }\n";
	retort_script *s = parse_ok("v/c0ffee.c", text);

	ck_assert_int_eq(s->format, RETORT_SCRIPT_C);
	ck_assert_str_eq(s->message, "add flags");
	ck_assert_str_eq(s->revision, "c0ffee");
	ck_assert_str_eq(s->revises.items[0], "abc");
	ck_assert_uint_eq(s->header_line, 4);
	ck_assert(s->has_downgrade);
	ck_assert_ptr_null(s->upgrade_sql);
	retort_script_free(s);

	s = parse_ok("v/x.c", "/* one line\n   Revision ID: x1 */\nint upgrade(retort_ctx *ctx) { return 0; }\n");
	ck_assert_str_eq(s->message, "one line");
	ck_assert_str_eq(s->revision, "x1");
	ck_assert(!s->has_downgrade);
	retort_script_free(s);
}
END_TEST

START_TEST(test_script__sha256)
{
	char sum[65];

	retort_script_sha256(sum, "abc", 3);
	ck_assert_str_eq(sum, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	retort_script_sha256(sum, "", 0);
	ck_assert_str_eq(sum, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}
END_TEST

START_TEST(test_script__id_valid)
{
	ck_assert(retort_script_id_valid("4f2a9c1d7b3e"));
	ck_assert(retort_script_id_valid("rev_one"));
	ck_assert(!retort_script_id_valid(""));
	ck_assert(!retort_script_id_valid("a b"));
	ck_assert(!retort_script_id_valid("a@b"));
	ck_assert(!retort_script_id_valid("a+1"));
	ck_assert(!retort_script_id_valid("a-1"));
	ck_assert(!retort_script_id_valid("a:b"));
	ck_assert(!retort_script_id_valid("012345678901234567890123456789012"));
	/* what an identifier, a file name or a screen would misread */
	ck_assert(!retort_script_id_valid("../../x"));
	ck_assert(!retort_script_id_valid("a/b"));
	ck_assert(!retort_script_id_valid("a'b"));
	ck_assert(!retort_script_id_valid("a;b"));
	ck_assert(!retort_script_id_valid("a\x1b[2Jb"));
	ck_assert(!retort_script_id_valid("a\xe2\x80\xae" "b")); /* U+202E, right-to-left override */
	ck_assert(!retort_script_id_valid("a\xc2\x85" "b"));     /* U+0085, a C1 control */
}
END_TEST

/* Reserved words, UTF-8 and the version table's width: each refusal says which rule. */
START_TEST(test_script__id_problems)
{
	static const struct { const char *id, *why; } bad[] = {
		{ "head", "reserved word" }, { "heads", "reserved word" }, { "base", "reserved word" },
		{ "current", "reserved word" }, { "HEAD", "reserved word" }, { "Base", "reserved word" },
		{ "a\xff", "not valid UTF-8" }, { "\xc0\xaf", "not valid UTF-8" }, /* overlong '/' */
		{ "\xed\xa0\x80", "not valid UTF-8" },                          /* a surrogate */
		{ "ab\xe2\x82", "not valid UTF-8" },                             /* cut short */
		{ "012345678901234567890123456789012", "longer than 32 characters" },
		{ "", "empty" },
	};
	/* 32 characters of two bytes each fit: the column counts characters */
	static const char wide[] =
		"\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
		"\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
		"\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
		"\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9";
	char wider[sizeof(wide) + 2];

	for (size_t i = 0; i < RETORT_ARRAY_SIZE(bad); i++) {
		const char *why = retort_script_id_problem(bad[i].id);
		ck_assert_msg(why && strstr(why, bad[i].why), "id #%zu: '%s', want '%s'", i,
			why ? why : "(accepted)", bad[i].why);
	}
	ck_assert_ptr_null(retort_script_id_problem(wide));
	snprintf(wider, sizeof(wider), "%s%s", wide, "x");
	ck_assert_ptr_nonnull(strstr(retort_script_id_problem(wider), "longer than 32"));
	ck_assert_ptr_null(retort_script_id_problem("headline"));
	ck_assert_ptr_null(retort_script_id_problem("v1.2_base"));

	/* labels: '-' inside is fine, the rest as for ids */
	ck_assert_ptr_null(retort_script_label_problem("feature-x"));
	ck_assert_ptr_nonnull(retort_script_label_problem("-x"));
	ck_assert_ptr_nonnull(retort_script_label_problem("heads"));
	ck_assert_ptr_nonnull(retort_script_label_problem("a@b"));
	ck_assert_ptr_nonnull(retort_script_label_problem("a\xff"));

	/* in a header, with file and line */
	parse_fails("v/a.sql", "-- m\n-- Revision ID: head\n-- retort:upgrade\n",
		"v/a.sql:2: invalid revision id 'head': it is a reserved word");
	parse_fails("v/a.sql", "-- m\n-- Revision ID: a\n-- Revises: base\n-- retort:upgrade\n",
		"v/a.sql:3: invalid revision id 'base' in Revises: it is a reserved word");
	parse_fails("v/a.sql", "-- m\n-- Revision ID: a\n-- Branch Labels: ok, x@y\n-- retort:upgrade\n",
		"v/a.sql:3: invalid branch label 'x@y' in Branch Labels");
	parse_fails("v/a.sql", "-- m\n-- Revision ID: a\xfe\n-- retort:upgrade\n",
		"v/a.sql:2: invalid revision id 'a\\xfe': it is not valid UTF-8");
}
END_TEST

/*
 * Deterministic mutation fuzzing of the parser: thousands of edited copies
 * of valid headers, each in an exactly-sized buffer so the sanitizer build
 * sees any read past the end.  Parsing must fail cleanly or succeed with a
 * consistent script, never crash.
 */
START_TEST(test_script__mutations)
{
	static const char *const seeds[] = {
		"-- m\n--\n-- Revision ID: a1\n-- Revises: b, c\n-- Branch Labels: x\n-- Depends On: y\n"
		"-- Transactional: no\n\n-- retort:upgrade\nSELECT 1;\n-- retort:downgrade\nSELECT 2;\n",
		"/*\n * m\n *\n * Revision ID: c1\n * Revises: a\n */\nint upgrade(retort_ctx *c) { return 0; }\n"
		"int downgrade(retort_ctx *c) { return 0; }\n",
	};
	static const char alphabet[] = "-*/:, \n\tRrevisionID@+abc0123retort:upgradedowngrade\r";
	unsigned seed = 12345;

	for (int it = 0; it < 20000; it++) {
		int which = it % 2;
		size_t n = strlen(seeds[which]);
		char *buf = retort__malloc(n + 16), *copy;
		retort_script *s = NULL;

		memcpy(buf, seeds[which], n);
		for (int m = 0, muts = 1 + (int)((seed = seed * 1103515245u + 12345u) >> 16) % 6; m < muts; m++) {
			size_t pos = ((seed = seed * 1103515245u + 12345u) >> 16) % n;
			char c = alphabet[((seed = seed * 1103515245u + 12345u) >> 16) % (sizeof(alphabet) - 1)];
			switch ((seed >> 8) % 3) {
			case 0: buf[pos] = c; break;
			case 1: if (n < strlen(seeds[which]) + 15) { memmove(buf + pos + 1, buf + pos, n - pos); buf[pos] = c; n++; } break;
			default: if (n > 1) { memmove(buf + pos, buf + pos + 1, n - pos - 1); n--; } break;
			}
		}
		copy = retort__malloc(n);
		memcpy(copy, buf, n);
		if (retort_script_parse(&s, which ? "f.c" : "f.sql", copy, n) == 0) {
			ck_assert_ptr_nonnull(s);
			ck_assert(retort_script_id_valid(s->revision));
			ck_assert_ptr_nonnull(s->message);
			ck_assert(which || s->upgrade_sql != NULL);
		} else {
			ck_assert_ptr_null(s);
			ck_assert_msg(strncmp(fixture_errmsg(), which ? "f.c:" : "f.sql:", which ? 4 : 6) == 0,
				"error without file:line: %s", fixture_errmsg());
		}
		retort_script_free(s);
		free(copy);
		free(buf);
	}
}
END_TEST

Suite *suite_script(void);
Suite *suite_script(void)
{
	Suite *s = suite_create("script");
	TCase *parse = tcase_create("retort_script_parse");
	TCase *sha = tcase_create("retort_script_sha256");
	TCase *valid = tcase_create("retort_script_id_valid");

	tcase_add_test(parse, test_script__sql_header);
	tcase_add_test(parse, test_script__keys_case_insensitive_and_defaults);
	tcase_add_test(parse, test_script__timeouts);
	tcase_add_test(parse, test_script__checksum_is_lazy_for_loaded_files);
	tcase_add_test(parse, test_script__no_message);
	tcase_add_test(parse, test_script__errors);
	tcase_add_test(parse, test_script__c_header);
	tcase_add_test(parse, test_script__replaces);
	tcase_add_test(parse, test_script__mutations);
	tcase_add_test(sha, test_script__sha256);
	tcase_add_test(valid, test_script__id_valid);
	tcase_add_test(valid, test_script__id_problems);
	suite_add_tcase(s, parse);
	suite_add_tcase(s, sha);
	suite_add_tcase(s, valid);
	return s;
}

RETORT_SUITE(script)
