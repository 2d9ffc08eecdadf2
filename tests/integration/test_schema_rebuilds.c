/*
 * test_schema_rebuilds.c - the property SQLite's move-and-copy rebuilds
 * owe their users, run the way a user runs them.
 *
 * For each generated schema pair (A, B), revision a1 creates A and puts
 * three rows in every table, each foreign key on "r" pointing at a real
 * row (cascading or not, as the generator chose), and revision b2 holds
 * the diff's upgrade and downgrade, with `Foreign Keys: off` when the SQL
 * asks for it.  Online (retort's runner) and offline (`upgrade --sql`
 * and `downgrade --sql` piped into sqlite3 -bail), a1 then b2 then back
 * to a1 must keep every row of every table both sides have, and leave
 * the schema sqlite3's own `.schema` shows for A or B loaded directly.
 * The oracle is sqlite3, never retort's reflection.
 *
 * Seeded like the round trip: RETORT_SEED=<n> replays a run,
 * RETORT_REBUILD_CASES=<n> changes the number of pairs (default 24).
 * Every other pair has all its foreign keys cascade and, where A has a
 * foreign key between tables B keeps, the referenced table gains a CHECK
 * in B: a rebuild under a cascading reference, which needs `Foreign Keys:
 * off`, in about half the pairs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config/config.h"
#include "graph/graph.h"
#include "harness/pg.h"
#include "harness/suites.h"
#include "integration/schema_gen.h"
#include "run/migrate.h"
#include "schema/schema.h"

static uint64_t base_seed(void)
{
	static uint64_t seed;
	const char *env = getenv("RETORT_SEED");

	if (!seed)
		seed = env && *env ? strtoull(env, NULL, 10) : (uint64_t)time(NULL);
	return seed;
}

static int cases(void)
{
	const char *env = getenv("RETORT_REBUILD_CASES");

	return env && *env ? atoi(env) : 24;
}

static const char *msg(void)
{
	return retort_error_last() ? retort_error_last()->message : "(no error)";
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	ck_assert_msg(f != NULL, "cannot write %s", path);
	fputs(text, f);
	fclose(f);
}

/* sqlite3 -bail DB, fed `input`; its output (malloc'd), failing the test on a non-zero status. */
static char *sqlite3_run(const char *db, const char *input, const char *arg, uint64_t seed, const char *what)
{
	char *argv[] = { "sqlite3", "-bail", (char *)db, (char *)arg, NULL };
	char *out = NULL;
	int rc = harness_run(argv, input, &out);

	if (rc != 0)
		fprintf(stderr, "seed %llu: %s: sqlite3 exited %d\n--- input:\n%s\n", (unsigned long long)seed, what, rc,
			input ? input : arg);
	ck_assert_msg(rc == 0, "seed %llu: %s: sqlite3 exited %d", (unsigned long long)seed, what, rc);
	return out;
}

/* .schema of `db` normalized, retort's own tables left out. */
static char *schema_of(const char *db, uint64_t seed)
{
	char *dump = sqlite3_run(db, NULL, ".schema", seed, ".schema");
	retort_buf kept = RETORT_BUF_INIT;
	char *norm, *line, *save = NULL;

	norm = schema_gen_normalize_dump(dump);
	for (line = strtok_r(norm, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		if (!strstr(line, "retort_version") && !strstr(line, "retort_history") && !strstr(line, "sqlite_sequence"))
			retort_buf_printf(&kept, "%s\n", line);
	free(dump);
	free(norm);
	return retort_buf_detach(&kept);
}

/* "t0:1,2,3 t1:1,2,3 ..." for the tables of `a` that `b` has too, read by sqlite3. */
static char *rows_of(const char *db, const retort_model *a, const retort_model *b, uint64_t seed)
{
	retort_buf sql = RETORT_BUF_INIT;
	char *out;

	retort_buf_puts(&sql, "SELECT ''");
	for (size_t i = 0; i < a->tables.len; i++) {
		const retort_table *t = a->tables.items[i];
		if (retort_model_table(b, NULL, t->name))
			retort_buf_printf(&sql, " || '%s:' || (SELECT coalesce(group_concat(\"id\", ','), '') FROM "
				"(SELECT \"id\" FROM \"%s\" ORDER BY \"id\")) || ' '", t->name, t->name);
	}
	retort_buf_puts(&sql, ";\n");
	out = sqlite3_run(db, sql.ptr, NULL, seed, "counting rows");
	retort_buf_dispose(&sql);
	return out;
}

typedef struct pair {
	uint64_t seed;
	retort_model *a, *b;
	char *dir, *ini, *db;
	char *schema_a, *schema_b, *rows;
	bool fk_off;
} pair;

/* Revisions a1 (A and its rows) and b2 (the diff), a retort.ini, and A's and B's reference schemas. */
static void pair_write(pair *p, const retort_vec *renames)
{
	retort_vec back = RETORT_VEC_INIT;
	retort_diff_opts up_opts = { renames }, down_opts = { &back };
	retort_diff *up = NULL, *down = NULL;
	retort_buf up_sql = RETORT_BUF_INIT, down_sql = RETORT_BUF_INIT, text = RETORT_BUF_INIT;
	char *sql_a = schema_gen_create_sql(p->a), *sql_b = schema_gen_create_sql(p->b);
	char *rows = schema_gen_rows_sql(p->a), *refs = schema_gen_references_sql(p->a, p->b);
	char *path, *ref;

	retort_schema_renames_invert(&back, renames);
	ck_assert_int_eq(retort_schema_diff(&up, p->a, p->b, &up_opts), 0);
	ck_assert_int_eq(retort_schema_diff(&down, p->b, p->a, &down_opts), 0);
	retort_diff_render(&up_sql, up);
	retort_diff_render(&down_sql, down);
	p->fk_off = retort_schema_sql_needs_fk_off(up_sql.ptr) || retort_schema_sql_needs_fk_off(down_sql.ptr);

	path = retort__sprintf("%s/versions/a1_a.sql", p->dir);
	retort_buf_printf(&text, "-- A\n--\n-- Revision ID: a1\n-- Revises:\n\n-- retort:upgrade\n%s%s%s\n"
		"-- retort:downgrade\nSELECT 1;\n", sql_a, rows, refs);
	write_file(path, text.ptr);
	free(path);
	retort_buf_clear(&text);
	path = retort__sprintf("%s/versions/b2_b.sql", p->dir);
	retort_buf_printf(&text, "-- B\n--\n-- Revision ID: b2\n-- Revises: a1\n%s\n-- retort:upgrade\n%s\nSELECT 1;\n\n"
		"-- retort:downgrade\n%s\nSELECT 1;\n", p->fk_off ? "-- Foreign Keys: off\n" : "", up_sql.ptr, down_sql.ptr);
	write_file(path, text.ptr);
	free(path);
	retort_buf_clear(&text);
	retort_buf_printf(&text, "[retort]\nscript_location = %s\nurl = sqlite:///%s\n", p->dir, p->db);
	write_file(p->ini, text.ptr);

	ref = retort__sprintf("%s/ref_a.db", p->dir);
	free(sqlite3_run(ref, sql_a, NULL, p->seed, "loading A"));
	p->schema_a = schema_of(ref, p->seed);
	free(ref);
	ref = retort__sprintf("%s/ref_b.db", p->dir);
	free(sqlite3_run(ref, sql_b, NULL, p->seed, "loading B"));
	p->schema_b = schema_of(ref, p->seed);
	free(ref);

	retort_diff_free(up);
	retort_diff_free(down);
	retort_vec_dispose(&back, true);
	retort_buf_dispose(&up_sql);
	retort_buf_dispose(&down_sql);
	retort_buf_dispose(&text);
	free(sql_a);
	free(sql_b);
	free(rows);
	free(refs);
}

/* After `what`, the database holds `want_schema` and every row. */
static void expect_state(pair *p, const char *want_schema, const char *what)
{
	char *schema = schema_of(p->db, p->seed), *rows = rows_of(p->db, p->a, p->b, p->seed);

	if (strcmp(schema, want_schema) != 0)
		fprintf(stderr, "seed %llu: %s\n--- schema:\n%s--- want:\n%s", (unsigned long long)p->seed, what, schema,
			want_schema);
	ck_assert_msg(strcmp(schema, want_schema) == 0, "seed %llu: %s: the schema differs (see stderr)",
		(unsigned long long)p->seed, what);
	ck_assert_msg(strcmp(rows, p->rows) == 0, "seed %llu: %s: rows %s, want %s", (unsigned long long)p->seed,
		what, rows, p->rows);
	free(schema);
	free(rows);
}

static void run_online(pair *p, const retort_config *cfg, const retort_graph *graph)
{
	ck_assert_msg(retort_migrate_upgrade(cfg, graph, "a1", NULL) == 0, "seed %llu: a1: %s",
		(unsigned long long)p->seed, msg());
	p->rows = rows_of(p->db, p->a, p->b, p->seed);
	ck_assert_msg(retort_migrate_upgrade(cfg, graph, "b2", NULL) == 0, "seed %llu: online upgrade: %s",
		(unsigned long long)p->seed, msg());
	expect_state(p, p->schema_b, "online upgrade");
	ck_assert_msg(retort_migrate_downgrade(cfg, graph, "a1", NULL) == 0, "seed %llu: online downgrade: %s",
		(unsigned long long)p->seed, msg());
	expect_state(p, p->schema_a, "online downgrade");
}

static void run_offline(pair *p, const retort_config *cfg, const retort_graph *graph)
{
	const char *const ranges[] = { "a1", "a1:b2", "b2:a1" };
	char *const *want[] = { NULL, &p->schema_b, &p->schema_a };

	unlink(p->db);
	for (int i = 0; i < 3; i++) {
		retort_buf sql = RETORT_BUF_INIT;
		int rc = i < 2 ? retort_migrate_render_upgrade(&sql, cfg, graph, ranges[i])
			: retort_migrate_render_downgrade(&sql, cfg, graph, ranges[i]);
		ck_assert_msg(rc == 0, "seed %llu: --sql %s: %s", (unsigned long long)p->seed, ranges[i], msg());
		free(sqlite3_run(p->db, sql.ptr, NULL, p->seed, ranges[i]));
		retort_buf_dispose(&sql);
		if (want[i])
			expect_state(p, *want[i], i == 1 ? "offline upgrade" : "offline downgrade");
	}
}

/* Every foreign key of `m` ON DELETE CASCADE. */
static void cascade_all(retort_model *m)
{
	for (size_t i = 0; i < m->tables.len; i++) {
		retort_table *t = m->tables.items[i];
		for (size_t j = 0; j < t->constraints.len; j++) {
			retort_model_constraint *c = t->constraints.items[j];
			if (c->kind == RETORT_CON_FOREIGN)
				c->on_delete = RETORT_FK_CASCADE;
		}
	}
	retort_model_sort(m); /* the canonical texts hold the action */
}

/* `child`.r REFERENCES `parent` (id) ON DELETE CASCADE, in model m. */
static void add_reference(retort_model *m, const char *child, const char *parent)
{
	retort_table *t = retort_model_table(m, NULL, child);
	retort_model_constraint *c;

	retort_table_add_column(t, "r", "INTEGER");
	c = retort_table_add_constraint(t, RETORT_CON_FOREIGN, NULL);
	retort__strvec_add(&c->columns, "r");
	c->ref_table = retort__strdup(parent);
	retort__strvec_add(&c->ref_columns, "id");
	c->on_delete = RETORT_FK_CASCADE;
}

/*
 * A table both sides have references another both sides have (made so
 * when none does), and B's copy of the referenced one gains a CHECK: it is
 * rebuilt under a cascading reference.
 */
static void rebuild_a_parent(retort_model *a, retort_model *b)
{
	const char *child = NULL, *parent = NULL;

	for (size_t i = 0; i < a->tables.len && !parent; i++) {
		const retort_table *t = a->tables.items[i];
		for (size_t j = 0; j < t->constraints.len && !parent; j++) {
			const retort_model_constraint *c = t->constraints.items[j];
			if (c->kind == RETORT_CON_FOREIGN && strcmp(c->ref_table, t->name) != 0 &&
				retort_model_table(b, NULL, t->name) && retort_model_table(b, NULL, c->ref_table))
				parent = c->ref_table;
		}
	}
	for (size_t i = 0; i < a->tables.len && !parent; i++) {
		const retort_table *t = a->tables.items[i];
		if (!retort_model_table(b, NULL, t->name))
			continue;
		if (!child && !retort_table_column(t, "r") && !retort_table_column(retort_model_table(b, NULL, t->name), "r"))
			child = t->name;
		else if (child && strcmp(child, t->name) != 0)
			parent = t->name;
	}
	if (!parent)
		return; /* fewer than two tables on both sides */
	if (child) {
		char *c = retort__strdup(child), *p = retort__strdup(parent);
		add_reference(a, c, p);
		add_reference(b, c, p);
		parent = p;
		free(c);
		retort_table_add_constraint(retort_model_table(b, NULL, parent), RETORT_CON_CHECK, NULL)->expr =
			retort__strdup("\"id\" > 0");
		free(p);
	} else {
		retort_table_add_constraint(retort_model_table(b, NULL, parent), RETORT_CON_CHECK, NULL)->expr =
			retort__strdup("\"id\" > 0");
	}
	retort_model_sort(a);
	retort_model_sort(b);
}

static void run_case(uint64_t seed, bool cascading, int *with_fk_off)
{
	pair p = { .seed = seed };
	retort_config_opts co = { 0 };
	retort_vec renames = RETORT_VEC_INIT;
	retort_config *cfg = NULL;
	retort_graph *graph = NULL;
	char *versions, *argv[4];

	p.dir = harness_sqlite_path(); /* a fresh name in the harness's directory */
	versions = retort__sprintf("%s/versions", p.dir);
	ck_assert_int_eq(mkdir(p.dir, 0700), 0);
	ck_assert_int_eq(mkdir(versions, 0700), 0);
	p.ini = retort__sprintf("%s/retort.ini", p.dir);
	p.db = retort__sprintf("%s/app.db", p.dir);
	schema_gen_pair(&p.a, &p.b, &renames, RETORT_DIALECT_SQLITE, seed);
	if (cascading) {
		cascade_all(p.a);
		cascade_all(p.b);
		rebuild_a_parent(p.a, p.b);
	}
	pair_write(&p, &renames);
	*with_fk_off += p.fk_off;

	co.path = p.ini;
	ck_assert_msg(retort_config_load(&cfg, &co) == 0, "config: %s", msg());
	ck_assert_msg(retort_graph_load(&graph, cfg) == 0, "graph: %s", msg());
	run_online(&p, cfg, graph);
	run_offline(&p, cfg, graph);

	retort_graph_free(graph);
	retort_config_free(cfg);
	argv[0] = "rm";
	argv[1] = "-rf";
	argv[2] = p.dir;
	argv[3] = NULL;
	harness_run(argv, NULL, NULL);
	free(versions);
	free(p.dir);
	free(p.ini);
	free(p.db);
	free(p.schema_a);
	free(p.schema_b);
	free(p.rows);
	retort_model_free(p.a);
	retort_model_free(p.b);
	retort_vec_dispose(&renames, true);
}

START_TEST(test_schema_rebuilds__rows_survive)
{
	uint64_t seed = base_seed() + 1000003;
	int n = cases(), with_fk_off = 0;

	fprintf(stderr, "SQLite rebuilds through the runner, %d cases: seed %llu (replay with RETORT_SEED=%llu)\n",
		n, (unsigned long long)base_seed(), (unsigned long long)base_seed());
	for (int i = 0; i < n; i++)
		run_case(seed + (uint64_t)i, i % 2 == 1, &with_fk_off);
	fprintf(stderr, "  %d of them with Foreign Keys: off\n", with_fk_off);
	/* The property is about both kinds: a run of this size has met each. */
	if (n >= 20)
		ck_assert_msg(with_fk_off > 0 && with_fk_off < n, "%d of %d cases with Foreign Keys: off", with_fk_off, n);
}
END_TEST

RETORT_SUITE(schema_rebuilds)

Suite *suite_schema_rebuilds(void)
{
	Suite *s = suite_create("schema_rebuilds");
	TCase *tc = tcase_create("sqlite");

	base_seed();
	tcase_set_timeout(tc, 600);
	tcase_add_test(tc, test_schema_rebuilds__rows_survive);
	suite_add_tcase(s, tc);
	return s;
}
