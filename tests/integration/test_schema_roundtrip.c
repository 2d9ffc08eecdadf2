/*
 * test_schema_roundtrip.c - the round-trip property of the schema engine,
 * on real SQLite files and a real PostgreSQL server.
 *
 * For each generated pair (A, B): load A into one database and B into
 * another, reflect both, diff A to B, apply the upgrade to A's database
 * and reflect: it must equal B, and re-diffing must give nothing; then
 * apply the downgrade: it must equal A again.  Independently of our own
 * reflection, after the upgrade `pg_dump --schema-only` / `sqlite3 .schema`
 * of the migrated database must match that of the database loaded with B
 * (column order aside).  On SQLite, rows inserted into A survive every
 * move-and-copy batch in both directions.
 *
 * Seeded and reproducible: the seed is printed; RETORT_SEED=<n> replays a
 * run, RETORT_ROUNDTRIP_CASES=<n> changes the number of pairs (default 200
 * per dialect, in four chunks to stay within the per-test timeout).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "harness/pg.h"
#include "harness/suites.h"
#include "integration/schema_gen.h"
#include "schema/schema.h"

#define CHUNKS 4

static uint64_t base_seed(void)
{
	static uint64_t seed;
	const char *env = getenv("RETORT_SEED");

	if (!seed)
		seed = env && *env ? strtoull(env, NULL, 10) : (uint64_t)time(NULL);
	return seed;
}

static int cases_per_chunk(void)
{
	const char *env = getenv("RETORT_ROUNDTRIP_CASES");
	int n = env && *env ? atoi(env) : 200;

	return (n + CHUNKS - 1) / CHUNKS;
}

/* --- one dialect's fixture ------------------------------------------------------ */

typedef struct fixture {
	retort_dialect_id dialect;
	char *url[2];     /* A's and B's databases */
	char *path[2];    /* SQLite files */
	retort_db *db[2];
} fixture;

static int open_db(retort_db **out, const char *text)
{
	retort_url *url = NULL;
	int error;

	if ((error = retort_url_parse(&url, text)) < 0)
		return error;
	error = retort_db_open(out, url);
	retort_url_free(url);
	return error;
}

static char *external_dump(fixture *f, int which)
{
	char *out = NULL;
	int rc;

	if (f->dialect == RETORT_DIALECT_POSTGRES) {
		char *argv[] = { "pg_dump", "--schema-only", "--no-owner", "-d", f->url[which], NULL };
		rc = harness_run(argv, NULL, &out);
	} else {
		char *argv[] = { "sqlite3", f->path[which], ".schema", NULL };
		rc = harness_run(argv, NULL, &out);
	}
	ck_assert_msg(rc == 0, "external schema dump failed (status %d)", rc);
	return out;
}

/* Fresh, empty databases for the next case. */
static void reset(fixture *f)
{
	for (int i = 0; i < 2; i++) {
		if (f->dialect == RETORT_DIALECT_POSTGRES) {
			if (!f->db[i]) {
				f->url[i] = harness_pg_new_database();
				ck_assert_ptr_nonnull(f->url[i]);
				ck_assert_int_eq(open_db(&f->db[i], f->url[i]), 0);
			}
			ck_assert_msg(retort_db_exec(f->db[i], "DROP SCHEMA IF EXISTS aux CASCADE; "
				"DROP SCHEMA IF EXISTS \"Odd.Schema\" CASCADE; "
				"DROP SCHEMA public CASCADE; CREATE SCHEMA public; "
				"DROP OWNED BY " SCHEMA_GEN_ROLE_READER ", \"Retort \"\"Odd\"\" Role\"; "
				"ALTER DEFAULT PRIVILEGES FOR ROLE postgres GRANT EXECUTE ON FUNCTIONS TO PUBLIC") == 0,
				"reset: %s", retort_error_last()->message);
		} else {
			if (f->db[i]) {
				retort_db_free(f->db[i]);
				unlink(f->path[i]);
				free(f->path[i]);
				free(f->url[i]);
			}
			f->path[i] = harness_sqlite_path();
			f->url[i] = retort__sprintf("sqlite:///%s", f->path[i]);
			ck_assert_int_eq(open_db(&f->db[i], f->url[i]), 0);
		}
	}
}

static void fixture_dispose(fixture *f)
{
	for (int i = 0; i < 2; i++) {
		retort_db_free(f->db[i]);
		if (f->path[i])
			unlink(f->path[i]);
		free(f->path[i]);
		free(f->url[i]);
	}
}

static void exec_or_fail(retort_db *db, const char *sql, uint64_t seed, const char *what)
{
	unsigned line = 0;

	if (retort_db_exec_script(db, sql, &line) < 0) {
		fprintf(stderr, "seed %llu: %s failed at line %u: %s\n--- script:\n%s\n",
			(unsigned long long)seed, what, line, retort_error_last()->message, sql);
		ck_abort_msg("seed %llu: %s failed: %s", (unsigned long long)seed, what, retort_error_last()->message);
	}
}

/*
 * Apply a generated script as a revision runs: in one transaction, and on
 * SQLite with foreign keys switched off before it when the script asks for
 * that (a revision's `Foreign Keys: off`), back on after.
 */
static void apply_or_fail(fixture *f, const char *sql, uint64_t seed, const char *what)
{
	bool fk_off = f->dialect == RETORT_DIALECT_SQLITE && retort_schema_sql_needs_fk_off(sql);

	if (fk_off)
		ck_assert_int_eq(retort_db_exec(f->db[0], "PRAGMA foreign_keys = OFF"), 0);
	ck_assert_int_eq(retort_db_begin(f->db[0]), 0);
	exec_or_fail(f->db[0], sql, seed, what);
	ck_assert_msg(retort_db_commit(f->db[0]) == 0, "seed %llu: %s: commit: %s", (unsigned long long)seed, what,
		retort_error_last()->message);
	if (fk_off)
		ck_assert_int_eq(retort_db_exec(f->db[0], "PRAGMA foreign_keys = ON"), 0);
}

static retort_model *reflect_or_fail(retort_db *db, uint64_t seed)
{
	retort_model *m = NULL;

	retort_reflect_opts opts = { .privileges = true };

	ck_assert_msg(retort_schema_reflect(&m, db, &opts) == 0, "seed %llu: reflect: %s",
		(unsigned long long)seed, retort_error_last()->message);
	ck_assert_uint_eq(m->queries, db->dialect->id == RETORT_DIALECT_POSTGRES ? 17 : 4);
	return m;
}

static char *render(const retort_model *from, const retort_model *to, const retort_vec *renames, size_t *nops)
{
	retort_diff *d = NULL;
	retort_buf out = RETORT_BUF_INIT;
	retort_diff_opts opts = { renames };

	ck_assert_msg(retort_schema_diff(&d, from, to, &opts) == 0, "diff: %s", retort_error_last()->message);
	retort_diff_render(&out, d);
	if (nops)
		*nops = d->ops.len;
	retort_diff_free(d);
	return retort_buf_detach(&out);
}

static void expect_equal(const retort_model *got, const retort_model *want, uint64_t seed, const char *what,
	const char *script)
{
	retort_buf a = RETORT_BUF_INIT, b = RETORT_BUF_INIT;

	if (retort_model_equal(got, want))
		return;
	retort_model_dump(&a, got);
	retort_model_dump(&b, want);
	fprintf(stderr, "seed %llu: %s\n--- got:\n%s--- want:\n%s--- script:\n%s\n",
		(unsigned long long)seed, what, a.ptr, b.ptr, script);
	ck_abort_msg("seed %llu: %s (see stderr)", (unsigned long long)seed, what);
}

/* "count:ids" for a table, e.g. "3:1,2,3". */
static char *rows_of(retort_db *db, const char *table)
{
	retort_rows *r = NULL;
	char *sql = retort__sprintf("SELECT count(*) || ':' || coalesce(group_concat(\"id\", ','), '') "
		"FROM (SELECT \"id\" FROM \"%s\" ORDER BY \"id\")", table);
	char *res;

	ck_assert_int_eq(retort_db_query(&r, db, sql, 0, NULL), 0);
	res = retort__strdup(retort_rows_get(r, 0, 0));
	retort_rows_free(r);
	free(sql);
	return res;
}

static void expect_rows(fixture *f, const retort_model *a, const retort_model *b, uint64_t seed, const char *when)
{
	for (size_t i = 0; i < a->tables.len; i++) {
		retort_table *t = a->tables.items[i];
		char *got;
		if (!retort_model_table(b, NULL, t->name))
			continue;
		got = rows_of(f->db[0], t->name);
		ck_assert_msg(strcmp(got, "3:1,2,3") == 0, "seed %llu: rows of '%s' %s: %s",
			(unsigned long long)seed, t->name, when, got);
		free(got);
	}
}

static void run_case(fixture *f, uint64_t seed)
{
	retort_model *ga, *gb, *ma, *mb, *m;
	char *sql_a, *sql_b, *up, *down, *again, *dump_a, *dump_b, *norm_a, *norm_b;
	retort_vec renames = RETORT_VEC_INIT, back = RETORT_VEC_INIT;
	size_t nops;

	schema_gen_pair(&ga, &gb, &renames, f->dialect, seed);
	retort_schema_renames_invert(&back, &renames);
	reset(f);
	sql_a = schema_gen_create_sql(ga);
	sql_b = schema_gen_create_sql(gb);
	exec_or_fail(f->db[0], sql_a, seed, "loading A");
	exec_or_fail(f->db[1], sql_b, seed, "loading B");
	if (f->dialect == RETORT_DIALECT_SQLITE) {
		char *rows = schema_gen_rows_sql(ga);
		exec_or_fail(f->db[0], rows, seed, "inserting rows into A");
		free(rows);
	}
	ma = reflect_or_fail(f->db[0], seed);
	mb = reflect_or_fail(f->db[1], seed);

	/* Upgrade: A becomes B, by our reflection and by the database's own dump. */
	up = render(ma, mb, &renames, NULL);
	if (getenv("RETORT_ROUNDTRIP_SHOW"))
		fprintf(stderr, "=== seed %llu\n--- A:\n%s--- B:\n%s--- upgrade:\n%s", (unsigned long long)seed,
			sql_a, sql_b, up);
	apply_or_fail(f, up, seed, "upgrade");
	m = reflect_or_fail(f->db[0], seed);
	expect_equal(m, mb, seed, "after the upgrade the schema differs from B", up);
	again = render(m, mb, NULL, &nops);
	ck_assert_msg(nops == 0, "seed %llu: re-diff after the upgrade is not empty:\n%s", (unsigned long long)seed, again);
	retort_model_free(m);
	dump_a = external_dump(f, 0);
	dump_b = external_dump(f, 1);
	norm_a = schema_gen_normalize_dump(dump_a);
	norm_b = schema_gen_normalize_dump(dump_b);
	if (strcmp(norm_a, norm_b) != 0) {
		fprintf(stderr, "seed %llu: external dumps differ\n--- migrated:\n%s--- loaded:\n%s--- upgrade:\n%s\n",
			(unsigned long long)seed, norm_a, norm_b, up);
		ck_abort_msg("seed %llu: external schema dump after the upgrade differs from B's (see stderr)",
			(unsigned long long)seed);
	}
	if (f->dialect == RETORT_DIALECT_SQLITE)
		expect_rows(f, ma, mb, seed, "after the upgrade");

	/* Downgrade: back to A. */
	down = render(mb, ma, &back, NULL);
	apply_or_fail(f, down, seed, "downgrade");
	m = reflect_or_fail(f->db[0], seed);
	expect_equal(m, ma, seed, "after the downgrade the schema differs from A", down);
	retort_model_free(m);
	if (f->dialect == RETORT_DIALECT_SQLITE)
		expect_rows(f, ma, mb, seed, "after the downgrade");

	free(dump_a);
	free(dump_b);
	free(norm_a);
	free(norm_b);
	free(again);
	free(up);
	free(down);
	free(sql_a);
	free(sql_b);
	retort_model_free(ma);
	retort_model_free(mb);
	retort_model_free(ga);
	retort_model_free(gb);
	retort_vec_dispose(&renames, true);
	retort_vec_dispose(&back, true);
}

static void run_chunk(retort_dialect_id dialect, int chunk)
{
	fixture f = { .dialect = dialect };
	int n = cases_per_chunk();
	uint64_t seed = base_seed();

	if (dialect == RETORT_DIALECT_POSTGRES && !harness_pg_url())
		return;
	fprintf(stderr, "schema round trip (%s) cases %d-%d: seed %llu (replay with RETORT_SEED=%llu)\n",
		dialect == RETORT_DIALECT_POSTGRES ? "postgresql" : "sqlite", chunk * n, chunk * n + n - 1,
		(unsigned long long)seed, (unsigned long long)seed);
	for (int i = 0; i < n; i++)
		run_case(&f, seed + (uint64_t)(chunk * n + i));
	fixture_dispose(&f);
}

START_TEST(test_schema_roundtrip__sqlite)
{
	run_chunk(RETORT_DIALECT_SQLITE, _i);
}
END_TEST

START_TEST(test_schema_roundtrip__postgres)
{
	run_chunk(RETORT_DIALECT_POSTGRES, _i);
}
END_TEST

START_TEST(test_schema_roundtrip__normalize)
{
	char *a = schema_gen_normalize_dump("-- x\nSET a = 1;\nCREATE TABLE \"t\" (\n\t\"b\" INT,\n\tc TEXT DEFAULT 'A,\"b\"'\n);\n");
	char *b = schema_gen_normalize_dump("CREATE TABLE t (c TEXT DEFAULT 'A,\"b\"', b INT);\n");

	ck_assert_str_eq(a, b);
	free(a);
	free(b);
}
END_TEST

RETORT_SUITE(schema_roundtrip)

Suite *suite_schema_roundtrip(void)
{
	Suite *s = suite_create("schema_roundtrip");

	base_seed(); /* once, before Check forks: every chunk shares it */
	TCase *lite = tcase_create("sqlite");
	TCase *pg = tcase_create("postgres");

	tcase_set_timeout(lite, 600);
	tcase_set_timeout(pg, 600);
	tcase_add_test(lite, test_schema_roundtrip__normalize);
	tcase_add_loop_test(lite, test_schema_roundtrip__sqlite, 0, CHUNKS);
	tcase_add_loop_test(pg, test_schema_roundtrip__postgres, 0, CHUNKS);
	suite_add_tcase(s, lite);
	suite_add_tcase(s, pg);
	return s;
}
