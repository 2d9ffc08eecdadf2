/*
 * pg.h - a private PostgreSQL server for one test binary, and scratch
 * databases on it.
 *
 * harness_pg_start() runs tests/harness/pgserver.sh (initdb into a temp
 * dir, Unix socket only) before the suites run; each test then makes its
 * own database with harness_pg_new_database() so tests never share state.
 * When no server binaries are installed the PostgreSQL cases are skipped,
 * except under CI=true, where that is a failure.
 */
#ifndef RETORT_TEST_PG_H
#define RETORT_TEST_PG_H

#include <stdbool.h>

/* Start the server; 0 started, 77 unavailable (skip), other = failure. */
int harness_pg_start(void);
void harness_pg_stop(void);
/* The server's maintenance URL (database "postgres"), or NULL when not running. */
const char *harness_pg_url(void);
/*
 * Create a fresh, empty database and return its URL (malloc'd), or NULL
 * when the server is not running.  Names are unique per process.
 */
char *harness_pg_new_database(void);
/* A fresh SQLite file path in a per-process temp dir (malloc'd). */
char *harness_sqlite_path(void);
/* "sqlite:///<path>" for harness_sqlite_path() (malloc'd). */
char *harness_sqlite_new_database(void);

/*
 * Run argv (execvp, no shell), feeding `input` (may be NULL) on stdin and
 * capturing stdout into *out (malloc'd, may be NULL).  Returns the exit
 * status, or -1 when it could not be run.
 */
int harness_run(char *const argv[], const char *input, char **out);

#endif
