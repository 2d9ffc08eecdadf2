/*
 * bench_reflect.c - how long reflecting a large schema takes, and how many
 * catalog queries it needs.
 *
 *   bench_reflect URL [TABLES [RUNS]]
 *
 * Creates TABLES tables (default 1000) in the database at URL if it holds
 * none yet - ten columns, an index and a foreign key to the previous table
 * each - and on PostgreSQL as many functions, as many triggers (one per
 * table, each calling its own function) and a row-level-security policy on
 * every fifth table; then reflects it RUNS times (default 15) and prints
 * the median, the minimum and the query count.  It also reflects a
 * one-table database shape first (the first table alone, via
 * exclude_tables) to show that the query count does not depend on the
 * number of tables.
 *
 * A loaded machine stretches wall time, so it also prints the CPU time
 * one reflection costs: this process's, plus the PostgreSQL backend's
 * (read from /proc when the server runs on this host; otherwise "-").
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "schema/schema.h"

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static double cpu_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* utime + stime of a local process in ms, or -1 when /proc cannot tell. */
static double proc_cpu_ms(long pid)
{
	char path[64], buf[1024], *p;
	unsigned long ut, st;
	long hz = sysconf(_SC_CLK_TCK);
	FILE *f;
	size_t n;

	if (pid <= 0 || hz <= 0)
		return -1;
	snprintf(path, sizeof(path), "/proc/%ld/stat", pid);
	if (!(f = fopen(path, "r")))
		return -1;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	/* Fields after the command name, which may hold spaces: state is field 3, utime 14, stime 15. */
	if (!(p = strrchr(buf, ')')) || sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &ut, &st) != 2)
		return -1;
	return (double)(ut + st) * 1e3 / (double)hz;
}

static long backend_pid(retort_db *db)
{
	retort_rows *rows = NULL;
	long pid = 0;

	if (db->dialect->id != RETORT_DIALECT_POSTGRES)
		return 0;
	if (retort_db_query(&rows, db, "SELECT pg_backend_pid()", 0, NULL) == 0 && rows->nrows == 1)
		pid = atol(retort_rows_get(rows, 0, 0));
	retort_rows_free(rows);
	return pid;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static int create_schema(retort_db *db, int tables)
{
	retort_buf sql = RETORT_BUF_INIT;
	int error;

	retort_buf_puts(&sql, "BEGIN;\n");
	for (int i = 0; i < tables; i++) {
		retort_buf_printf(&sql, "CREATE TABLE bench_%04d (id INTEGER PRIMARY KEY, parent_id INTEGER", i);
		if (i)
			retort_buf_printf(&sql, " REFERENCES bench_%04d (id) ON DELETE CASCADE", i - 1);
		for (int c = 0; c < 8; c++)
			retort_buf_printf(&sql, ", c%d %s%s", c, c % 2 ? "TEXT" : "INTEGER", c == 3 ? " NOT NULL DEFAULT 'x'" : "");
		retort_buf_printf(&sql, ");\nCREATE INDEX bench_%04d_c0 ON bench_%04d (c0);\n", i, i);
		if (db->dialect->id != RETORT_DIALECT_POSTGRES)
			continue;
		retort_buf_printf(&sql, "CREATE FUNCTION bench_%04d_stamp() RETURNS trigger LANGUAGE plpgsql AS "
			"$$ BEGIN NEW.c1 := coalesce(NEW.c1, '%d'); RETURN NEW; END $$;\n", i, i);
		retort_buf_printf(&sql, "CREATE TRIGGER bench_%04d_stamp BEFORE INSERT OR UPDATE ON bench_%04d "
			"FOR EACH ROW EXECUTE FUNCTION bench_%04d_stamp();\n", i, i, i);
		if (i % 5 == 0)
			retort_buf_printf(&sql, "ALTER TABLE bench_%04d ENABLE ROW LEVEL SECURITY;\n"
				"CREATE POLICY bench_%04d_own ON bench_%04d USING (c3 = current_user);\n", i, i, i);
	}
	retort_buf_puts(&sql, "COMMIT;\n");
	error = retort_db_exec(db, sql.ptr);
	retort_buf_dispose(&sql);
	return error;
}

int main(int argc, char **argv)
{
	const char *text = argc > 1 ? argv[1] : NULL;
	int tables = argc > 2 ? atoi(argv[2]) : 1000, runs = argc > 3 ? atoi(argv[3]) : 15;
	retort_vec exclude = RETORT_VEC_INIT;
	retort_reflect_opts one = { .exclude_tables = &exclude };
	retort_url *url = NULL;
	retort_db *db = NULL;
	retort_model *m = NULL;
	double *ms, *cpu, server0 = 0;
	long pid;
	bool server_cpu;
	unsigned queries = 0, queries_one = 0;
	size_t ntables = 0, nfunctions = 0, ntriggers = 0, npolicies = 0;

	if (!text || tables < 1 || runs < 1) {
		fprintf(stderr, "usage: bench_reflect URL [TABLES [RUNS]]\n");
		return 2;
	}
	if (retort_url_parse(&url, text) < 0 || retort_db_open(&db, url) < 0)
		goto fail;
	if (retort_schema_reflect(&m, db, NULL) < 0)
		goto fail;
	if (m->tables.len == 0 && create_schema(db, tables) < 0)
		goto fail;
	retort_model_free(m);
	m = NULL;

	retort_vec_push(&exclude, "bench_0[0-9][0-9][1-9]");
	retort_vec_push(&exclude, "bench_0[0-9][1-9]?");
	retort_vec_push(&exclude, "bench_0[1-9]??");
	retort_vec_push(&exclude, "bench_[1-9]???");
	if (retort_schema_reflect(&m, db, &one) < 0)
		goto fail;
	queries_one = m->queries;
	retort_model_free(m);
	m = NULL;

	ms = calloc((size_t)runs, sizeof(double));
	cpu = calloc((size_t)runs, sizeof(double));
	pid = backend_pid(db);
	server_cpu = proc_cpu_ms(pid) >= 0;
	for (int i = 0; i < runs; i++) {
		double t0 = now_ms(), c0 = cpu_ms(), s1;
		if (server_cpu)
			server0 = proc_cpu_ms(pid);
		if (retort_schema_reflect(&m, db, NULL) < 0)
			goto fail;
		ms[i] = now_ms() - t0;
		cpu[i] = cpu_ms() - c0;
		if (server_cpu && (s1 = proc_cpu_ms(pid)) >= 0)
			cpu[i] += s1 - server0;
		queries = m->queries;
		ntables = m->tables.len;
		nfunctions = m->functions.len;
		ntriggers = m->pg_triggers.len;
		npolicies = m->policies.len;
		retort_model_free(m);
		m = NULL;
	}
	qsort(ms, (size_t)runs, sizeof(double), cmp_double);
	qsort(cpu, (size_t)runs, sizeof(double), cmp_double);
	printf("%-10s tables %5zu  functions %5zu  triggers %5zu  policies %4zu  runs %3d  median %8.1f ms  "
		"min %8.1f ms  cpu%s %8.1f ms  queries %u (one table: %u)\n", db->dialect->name, ntables, nfunctions,
		ntriggers, npolicies, runs, ms[runs / 2], ms[0], pid ? (server_cpu ? "+server" : "") : "",
		cpu[runs / 2], queries, queries_one);
	free(ms);
	free(cpu);
	retort_vec_dispose(&exclude, false);
	retort_db_free(db);
	retort_url_free(url);
	return 0;
fail:
	fprintf(stderr, "bench_reflect: %s\n", retort_error_last() ? retort_error_last()->message : "failed");
	retort_model_free(m);
	retort_db_free(db);
	retort_url_free(url);
	return 1;
}
