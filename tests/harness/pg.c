/*
 * pg.c - the C side of the PostgreSQL test server (see pg.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness/pg.h"

static char *server_dir;
static char *server_url;
static char *sqlite_dir;
static int counter;
static pid_t owner_pid;

int harness_run(char *const argv[], const char *input, char **out)
{
	int in[2], outp[2], status;
	pid_t pid;
	char *buf = NULL;
	size_t len = 0, cap = 0;

	if (out)
		*out = NULL;
	if (pipe(in) < 0 || pipe(outp) < 0)
		return -1;
	if ((pid = fork()) < 0)
		return -1;
	if (pid == 0) {
		dup2(in[0], 0);
		dup2(outp[1], 1);
		close(in[0]); close(in[1]); close(outp[0]); close(outp[1]);
		execvp(argv[0], argv);
		_exit(127);
	}
	close(in[0]);
	close(outp[1]);
	if (input) {
		size_t off = 0, n = strlen(input);
		signal(SIGPIPE, SIG_IGN);
		while (off < n) {
			ssize_t w = write(in[1], input + off, n - off);
			if (w < 0 && errno == EINTR)
				continue;
			if (w <= 0)
				break;
			off += (size_t)w;
		}
	}
	close(in[1]);
	for (;;) {
		ssize_t r;
		if (len + 4096 + 1 > cap) {
			char *grown;
			cap = cap ? cap * 2 : 8192;
			if (!(grown = realloc(buf, cap)))
				abort();
			buf = grown;
		}
		r = read(outp[0], buf + len, cap - len - 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		len += (size_t)r;
	}
	close(outp[0]);
	if (buf)
		buf[len] = '\0';
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (out)
		*out = buf;
	else
		free(buf);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static const char *srcdir(void)
{
	const char *d = getenv("RETORT_SRCDIR");
	return d ? d : ".";
}

int harness_pg_start(void)
{
	char script[4096];
	char *out = NULL, *nl;
	int rc;

	snprintf(script, sizeof(script), "%s/tests/harness/pgserver.sh", srcdir());
	{
		char *argv[] = { "sh", script, "start", NULL };
		rc = harness_run(argv, NULL, &out);
	}
	if (rc != 0) {
		free(out);
		return rc; /* 77: no server binaries, a skip */
	}
	nl = out ? strchr(out, '\n') : NULL;
	if (!nl) {
		free(out);
		return 1;
	}
	*nl = '\0';
	server_dir = strdup(out);
	server_url = strdup(nl + 1);
	if ((nl = strchr(server_url, '\n')))
		*nl = '\0';
	free(out);
	owner_pid = getpid();
	setenv("RETORT_TEST_PG_URL", server_url, 1);
	return 0;
}

void harness_pg_stop(void)
{
	char script[4096];

	/* Check forks a child per test; only the process that started it stops it. */
	if (!server_dir || getpid() != owner_pid)
		return;
	snprintf(script, sizeof(script), "%s/tests/harness/pgserver.sh", srcdir());
	{
		char *argv[] = { "sh", script, "stop", server_dir, NULL };
		harness_run(argv, NULL, NULL);
	}
	free(server_dir);
	free(server_url);
	server_dir = server_url = NULL;
}

const char *harness_pg_url(void)
{
	return server_url ? server_url : getenv("RETORT_TEST_PG_URL");
}

char *harness_pg_new_database(void)
{
	const char *url = harness_pg_url();
	char name[64], sql[128], *result;
	const char *q;
	int rc;

	if (!url)
		return NULL;
	snprintf(name, sizeof(name), "t_%ld_%d", (long)getpid(), ++counter);
	snprintf(sql, sizeof(sql), "CREATE DATABASE %s", name);
	{
		char *argv[] = { "psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", (char *)url, "-c", sql, NULL };
		rc = harness_run(argv, NULL, NULL);
	}
	if (rc != 0)
		return NULL;
	/* The maintenance URL is postgresql:///postgres?...: swap the database name. */
	q = strchr(url, '?');
	result = malloc(strlen(url) + strlen(name) + 32);
	sprintf(result, "postgresql:///%s%s", name, q ? q : "");
	return result;
}

char *harness_sqlite_path(void)
{
	char *path;

	if (!sqlite_dir) {
		char tmpl[] = "/tmp/retort-sqlite.XXXXXX";
		if (!mkdtemp(tmpl))
			return NULL;
		sqlite_dir = strdup(tmpl);
	}
	path = malloc(strlen(sqlite_dir) + 64);
	sprintf(path, "%s/t_%ld_%d.db", sqlite_dir, (long)getpid(), ++counter);
	return path;
}

char *harness_sqlite_new_database(void)
{
	char *path = harness_sqlite_path(), *url;

	if (!path)
		return NULL;
	url = malloc(strlen(path) + 16);
	sprintf(url, "sqlite:///%s", path);
	free(path);
	return url;
}
