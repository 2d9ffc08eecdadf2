/*
 * main.c - the integration-test binary: starts a private PostgreSQL, runs
 * every registered suite against real databases, stops the server.
 *
 * Without PostgreSQL server binaries the PostgreSQL cases are skipped (each
 * test asks harness_pg_url()), except under CI=true, where a skipped
 * PostgreSQL run is a failure: CI must prove both dialects.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/pg.h"
#include "harness/suites.h"

int main(void)
{
	const char *ci = getenv("CI");
	int rc = harness_pg_start();

	if (rc == 77) {
		if (ci && strcmp(ci, "true") == 0) {
			fprintf(stderr, "integration: PostgreSQL server binaries are missing and CI=true: failing\n");
			return 1;
		}
		fprintf(stderr, "integration: no PostgreSQL server found, PostgreSQL cases are skipped\n");
	} else if (rc != 0) {
		fprintf(stderr, "integration: could not start PostgreSQL (status %d)\n", rc);
		return 1;
	}
	rc = retort_test_run_all();
	harness_pg_stop();
	return rc;
}
