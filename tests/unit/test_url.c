/*
 * test_url.c - URL forms, rejections and password masking.
 */
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/common.h"
#include "harness/suites.h"
#include "dialect/url.h"

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

	/* a file really called "file:x.db" is reachable as a path */
	ck_assert_int_eq(retort_url_parse(&u, "sqlite:///./file:x.db"), 0);
	ck_assert_str_eq(u->path, "./file:x.db");
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
		{ "postgresql://u:p%zz@host/db", "invalid percent-encoded token" },
		{ "postgresql://u:pa/ss@h/d", "percent-encode '@', '/' and '?' in a password" },
		{ "postgresql://u@h/d?sslmode", "libpq cannot parse it" },
		{ "postgres ql://u@h/d", "holds characters no scheme has" },
		{ "sqlite:///app%00.db", "%00 in the path" },
		{ "sqlite:///a%zz.db", "bad %-escape in the path" },
		{ "sqlite:///file:app.db", "SQLite URI file names" },
		{ "sqlite:///file%3Aapp.db", "SQLite URI file names" },
		{ "sqlite:///app.db?mode=ro", "query parameters are not supported" },
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
		{ "postgresql+psycopg2://me:pw@host:6000/db", "postgresql+psycopg2://me:***@host:6000/db" },
		/* a password given as a parameter is shown where libpq's URI form puts it */
		{ "postgresql://app@db/prod?password=hunter2&sslmode=require", "postgresql://app:***@db/prod?sslmode=require" },
		{ "postgresql:///prod?sslmode=require&password=hunter2", "postgresql://:***@/prod?sslmode=require" },
		/* libpq decodes parameter names: every spelling of "password" is one */
		{ "postgresql://u@h/d?pass%77ord=hunter2", "postgresql://u:***@h/d" },
		{ "postgresql://u@h/d?%70%61%73%73%77%6f%72%64=hunter2", "postgresql://u:***@h/d" },
		/* whatever libpq marks as secret, not only "password" */
		{ "postgresql://u@h/d?sslpassword=k3y", "postgresql://u@h/d?sslpassword=***" },
		{ "postgresql://app@db/prod", "postgresql://app@db/prod" },
		{ "postgresql://h1:5432,h2:5433/prod?target_session_attrs=read-write",
		  "postgresql://h1:5432,h2:5433/prod?target_session_attrs=read-write" },
		{ "postgresql:///prod?host=/run/postgresql", "postgresql:///prod?host=/run/postgresql" },
		{ "postgresql://[::1]:5432/prod", "postgresql://[::1]:5432/prod" },
		/* what libpq cannot parse is masked blindly: userinfo and every query value */
		{ "postgresql://u:pa/ss@h/d", "postgresql://u:***@h/d" },
		{ "postgresql://u:pa?ss@h/d", "postgresql://u:***@h/d" },
		{ "postgresql://u:pa#ss@h/d", "postgresql://u:***@h/d" },
		{ "postgresql://u:hun%zzter@h/d", "postgresql://u:***@h/d" },
		{ "postgresql://u@h/d?password=hun%zzter", "postgresql://u@h/d?password=***" },
		{ "postgresql://u@h/d?pass%7word=hunter2&x", "postgresql://u@h/d?pass%7word=***&***" },
		{ "mysql://root:pw@x/y?k=v", "mysql://root:***@x/y?k=***" },
		{ "sqlite:///app.db", "sqlite:///app.db" },
		{ "not a url at all", "***" },
	};

	for (size_t i = 0; i < RETORT_ARRAY_SIZE(cases); i++) {
		char *m = retort_url_masked(cases[i].in);
		ck_assert_msg(strcmp(m, cases[i].out) == 0, "mask('%s') = '%s', want '%s'", cases[i].in, m, cases[i].out);
		free(m);
	}
}
END_TEST

START_TEST(test_url__mask_keeps_the_current_error)
{
	char *m;

	retort__error_set(RETORT_ERROR_DATABASE, "the error before");
	m = retort_url_masked("postgresql://u@h:notaport/d");
	free(m);
	ck_assert_str_eq(retort_error_last()->message, "the error before");
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

	/* a password under an encoded name is registered too (libpq decoded it) */
	ck_assert_int_eq(retort_url_parse(&u, "postgresql://app@db/prod?pass%77ord=Qm4-secret"), 0);
	retort_url_free(u);
	retort__error_set(RETORT_ERROR_DATABASE, "server said Qm4-secret");
	ck_assert_str_eq(retort_error_last()->message, "server said ***");

	/* libpq's parse error quotes the token it stopped at: not repeated */
	ck_assert_int_lt(retort_url_parse(&u, "postgresql://app@db/prod?password=Vb2-se%zzcret"), 0);
	ck_assert_ptr_null(strstr(retort_error_last()->message, "Vb2"));
	ck_assert_ptr_null(strstr(retort_error_last()->message, "cret"));
	ck_assert_ptr_nonnull(strstr(retort_error_last()->message, "invalid percent-encoded token"));
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
	tcase_add_test(tm, test_url__mask_keeps_the_current_error);
	tcase_add_test(tm, test_url__errors_never_contain_the_password);
	suite_add_tcase(s, tp);
	suite_add_tcase(s, tm);
	return s;
}
