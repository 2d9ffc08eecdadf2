/*
 * test_url.c - URL forms, rejections and password masking.
 */
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/common.h"
#include "harness/suites.h"
#include "config/url.h"

START_TEST(test_url__sqlite_forms)
{
	retort_url *u;

	ck_assert_int_eq(retort_url_parse(&u, "sqlite:///rel/app.db"), 0);
	ck_assert_int_eq(u->dialect, RETORT_DIALECT_SQLITE);
	ck_assert_str_eq(u->path, "rel/app.db");
	ck_assert(!u->memory);
	retort_url_free(u);

	ck_assert_int_eq(retort_url_parse(&u, "sqlite:////var/lib/app.db"), 0);
	ck_assert_str_eq(u->path, "/var/lib/app.db");
	retort_url_free(u);

	ck_assert_int_eq(retort_url_parse(&u, "sqlite://"), 0);
	ck_assert(u->memory);
	ck_assert_ptr_null(u->path);
	retort_url_free(u);

	ck_assert_int_eq(retort_url_parse(&u, "sqlite:///:memory:"), 0);
	ck_assert(u->memory);
	retort_url_free(u);

	ck_assert_int_eq(retort_url_parse(&u, "sqlite:///with%20space.db"), 0);
	ck_assert_str_eq(u->path, "with space.db");
	retort_url_free(u);
}
END_TEST

START_TEST(test_url__postgres_forms)
{
	static const char *const ok[] = {
		"postgresql://app@db.example:5433/prod",
		"postgres://app@db.example/prod",
		"postgresql+psycopg2://app@db.example/prod",
		"postgresql:///prod?host=/run/postgresql",
		"postgresql://",
		"postgresql://[::1]:5432/prod",
		"postgresql://h1:5432,h2:5433/prod?target_session_attrs=read-write",
	};
	retort_url *u;

	for (size_t i = 0; i < RETORT_ARRAY_SIZE(ok); i++) {
		int rc = retort_url_parse(&u, ok[i]);
		ck_assert_msg(rc == 0, "'%s' should parse: %s", ok[i],
			rc ? retort_error_last()->message : "");
		ck_assert_int_eq(u->dialect, RETORT_DIALECT_POSTGRES);
		ck_assert_msg(retort__starts_with(u->conninfo, "postgresql://"),
			"conninfo of '%s' is '%s'", ok[i], u->conninfo);
		retort_url_free(u);
	}
	ck_assert_int_eq(retort_url_parse(&u, "postgresql+psycopg2://me:pw@host:6000/db"), 0);
	ck_assert_str_eq(u->conninfo, "postgresql://me:pw@host:6000/db");
	ck_assert_str_eq(u->user, "me");
	ck_assert_str_eq(u->password, "pw");
	ck_assert_str_eq(u->host, "host");
	ck_assert_str_eq(u->port, "6000");
	ck_assert_str_eq(u->dbname, "db");
	retort_url_free(u);
}
END_TEST

START_TEST(test_url__rejects_malformed)
{
	static const struct { const char *url, *why; } bad[] = {
		{ "mysql://root@localhost/db", "unsupported scheme 'mysql'" },
		{ "app.db", "expected scheme://" },
		{ "sqlite:/app.db", "a SQLite URL is" },
		{ "sqlite://host/app.db", "a SQLite URL is" },
		{ "postgresql://u@host:port/db", "port 'port' is not a number" },
		{ "postgresql://u@host:99999/db", "port '99999'" },
		{ "postgresql://u:p%zz@host/db", "bad %-escape in the password" },
		{ "", "no database URL" },
	};
	retort_url *u = (retort_url *)1;

	for (size_t i = 0; i < RETORT_ARRAY_SIZE(bad); i++) {
		int rc = retort_url_parse(&u, bad[i].url);
		ck_assert_msg(rc == RETORT_EUSAGE, "'%s' should be rejected (rc %d)", bad[i].url, rc);
		ck_assert_ptr_null(u);
		ck_assert_int_eq(retort_error_last()->klass, RETORT_ERROR_CONFIG);
		ck_assert_msg(strstr(retort_error_last()->message, bad[i].why) != NULL,
			"message for '%s' lacks '%s': %s", bad[i].url, bad[i].why, retort_error_last()->message);
	}
}
END_TEST

START_TEST(test_url__mask_hides_passwords)
{
	static const struct { const char *in, *out; } cases[] = {
		{ "postgresql://app:s3cret@db/prod", "postgresql://app:***@db/prod" },
		{ "postgres://app:p%40ss@db:5432/prod?sslmode=require", "postgres://app:***@db:5432/prod?sslmode=require" },
		{ "postgresql://app@db/prod?password=hunter2&sslmode=require", "postgresql://app@db/prod?password=***&sslmode=require" },
		{ "postgresql:///prod?sslmode=require&password=hunter2", "postgresql:///prod?sslmode=require&password=***" },
		{ "postgresql://app@db/prod", "postgresql://app@db/prod" },
		{ "postgresql://u:pa/ss@h/d", "postgresql://u:***@h/d" },
		{ "postgresql://u:pa?ss@h/d", "postgresql://u:***@h/d" },
		{ "postgresql://u:pa#ss@h/d", "postgresql://u:***@h/d" },
		{ "sqlite:///app.db", "sqlite:///app.db" },
		{ "not a url at all", "not a url at all" },
	};

	for (size_t i = 0; i < RETORT_ARRAY_SIZE(cases); i++) {
		char *m = retort_url_masked(cases[i].in);
		ck_assert_msg(strcmp(m, cases[i].out) == 0, "mask('%s') = '%s', want '%s'", cases[i].in, m, cases[i].out);
		free(m);
	}
}
END_TEST

START_TEST(test_url__errors_never_contain_the_password)
{
	retort_url *u;

	/* A parse error on a URL with a password must not echo it... */
	ck_assert_int_lt(retort_url_parse(&u, "postgresql://app:Zq9-secret@db:bad/prod"), 0);
	ck_assert_ptr_null(strstr(retort_error_last()->message, "Zq9-secret"));
	/* ...and once seen, no later error message can contain it either. */
	ck_assert_int_eq(retort_url_parse(&u, "postgresql://app:Xk7-secret@db/prod"), 0);
	retort_url_free(u);
	retort__error_set(RETORT_ERROR_DATABASE, "connection to 'app:Xk7-secret@db' failed");
	ck_assert_str_eq(retort_error_last()->message, "connection to 'app:***@db' failed");
}
END_TEST

RETORT_SUITE(url)

Suite *suite_url(void)
{
	Suite *s = suite_create("url");
	TCase *tp = tcase_create("retort_url_parse");
	TCase *tm = tcase_create("retort_url_mask");

	tcase_add_test(tp, test_url__sqlite_forms);
	tcase_add_test(tp, test_url__postgres_forms);
	tcase_add_test(tp, test_url__rejects_malformed);
	tcase_add_test(tm, test_url__mask_hides_passwords);
	tcase_add_test(tm, test_url__errors_never_contain_the_password);
	suite_add_tcase(s, tp);
	suite_add_tcase(s, tm);
	return s;
}
