/*
 * os.c - running a program, splitting a command line, random bytes (see
 * os.h for the rules).  Not a shell: nothing here ever runs /bin/sh, and
 * a word is never evaluated a second time.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/wait.h>
#include <unistd.h>
#include <wordexp.h>

#include "base/common.h"
#include "base/os.h"

extern char **environ;

static const char *wordexp_problem(int rc)
{
	switch (rc) {
	case WRDE_BADCHAR:
		return "an unquoted | & ; < > ( ) { } or newline (a command line is one program and its arguments)";
	case WRDE_CMDSUB:
		return "command substitution ($(...) or `...`) is not allowed";
	case WRDE_SYNTAX:
		return "unbalanced quotes or a syntax error";
	case WRDE_BADVAL:
		return "an undefined variable";
	default:
		return "cannot split it into words";
	}
}

int retort__words_split(retort_vec *out, const char *line, const char *what)
{
	wordexp_t we;
	int rc;

	memset(&we, 0, sizeof(we));
	if (!line || !line[strspn(line, " \t")])
		return 0;
	if ((rc = wordexp(line, &we, WRDE_NOCMD)) != 0) {
		/* WRDE_NOSPACE may leave a partial result to free; the others leave none */
		if (rc == WRDE_NOSPACE)
			wordfree(&we);
		return retort__error_set(RETORT_ERROR_CONFIG, "%s: %s", what, wordexp_problem(rc));
	}
	for (size_t i = 0; i < we.we_wordc; i++)
		retort_vec_push(out, retort__strdup(we.we_wordv[i]));
	wordfree(&we);
	return 0;
}

/* The child's file actions for `output`: stdin from /dev/null, stdout and stderr into the pipe. */
static int capture_actions(posix_spawn_file_actions_t *fa, int pipe_write)
{
	if (posix_spawn_file_actions_addopen(fa, 0, "/dev/null", O_RDONLY, 0) != 0 ||
		posix_spawn_file_actions_adddup2(fa, pipe_write, 1) != 0 ||
		posix_spawn_file_actions_adddup2(fa, pipe_write, 2) != 0)
		return retort__error_os("cannot prepare to run a program");
	return 0;
}

/* Read the child's output until it closes the pipe. */
static void drain(int fd, retort_buf *output)
{
	char chunk[4096];
	ssize_t n;

	while ((n = read(fd, chunk, sizeof(chunk))) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		retort_buf_put(output, chunk, (size_t)n);
	}
}

int retort__spawn(int *status, const retort_vec *argv, retort_buf *output)
{
	posix_spawn_file_actions_t fa;
	char **args = NULL;
	int fds[2] = { -1, -1 }, wstatus = 0, rc, error = 0;
	pid_t pid;

	*status = -1;
	if (!argv->len)
		return retort__error_set(RETORT_ERROR_INTERNAL, "no program to run");
	if (posix_spawn_file_actions_init(&fa) != 0)
		return retort__error_os("cannot prepare to run '%s'", (const char *)argv->items[0]);
	args = retort__calloc(argv->len + 1, sizeof(*args));
	for (size_t i = 0; i < argv->len; i++)
		args[i] = argv->items[i];
	/* O_CLOEXEC: the pipe reaches only this child, not others started meanwhile */
	if (output && pipe2(fds, O_CLOEXEC) < 0) {
		error = retort__error_os("cannot create a pipe");
		goto done;
	}
	if (output && (error = capture_actions(&fa, fds[1])) < 0)
		goto done;
	if ((rc = posix_spawnp(&pid, args[0], &fa, NULL, args, environ)) != 0) {
		errno = rc;
		if (rc == ENOENT)
			error = retort__error_code(RETORT_ENOTFOUND, RETORT_ERROR_OS, "%s: command not found", args[0]);
		else
			error = retort__error_os("cannot run '%s'", args[0]);
		goto done;
	}
	if (output) {
		close(fds[1]);
		fds[1] = -1;
		drain(fds[0], output);
	}
	while (waitpid(pid, &wstatus, 0) < 0) {
		if (errno != EINTR) {
			error = retort__error_os("cannot wait for '%s'", args[0]);
			goto done;
		}
	}
	*status = WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : 128 + WTERMSIG(wstatus);
done:
	for (int i = 0; i < 2; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	posix_spawn_file_actions_destroy(&fa);
	free(args);
	return error;
}

int retort__random_bytes(void *buf, size_t len)
{
	unsigned char *p = buf;

	while (len) {
		ssize_t n = getrandom(p, len, 0);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return retort__error_os("cannot get random bytes");
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}
