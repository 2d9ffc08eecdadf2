/*
 * pending.c - placeholders for commands this build does not implement yet.
 *
 * Every command of the specification is in the command table so that
 * `retort --help` shows the whole tool; a command whose module has not
 * landed answers --help, and otherwise fails with a clear error and exit 1
 * instead of pretending.  Each definition is weak: a real cmd_<name>.c
 * replaces it at link time, and its entry here is then deleted.
 */
#include <stdint.h>

#include "cli.h"

static int pending(int argc, char **argv, cli_global *g)
{
	const cli_option opts[] = { CLI_OPT_END_MARKER };
	const cli_usage usage = { argv[0], "[options] [ARGS]",
		"not implemented in this version of retort", NULL };
	retort_vec args = RETORT_VEC_INIT;
	int rc = cli_begin(argc, argv, opts, &usage, g, &args, 0, SIZE_MAX);

	retort_vec_dispose(&args, false);
	if (rc != CLI_CONTINUE)
		return rc;
	cli_error("'%s' is not implemented in this version of retort", argv[0]);
	return CLI_EXIT_FAIL;
}

#define PENDING(name)                                                          \
	__attribute__((weak)) int cmd_##name(int argc, char **argv, cli_global *g) \
	{                                                                      \
		return pending(argc, argv, g);                                 \
	}

PENDING(revision)
PENDING(upgrade)
PENDING(downgrade)
PENDING(current)
PENDING(history)
PENDING(heads)
PENDING(branches)
PENDING(show)
PENDING(merge)
PENDING(stamp)
PENDING(ensure_version)
PENDING(edit)
PENDING(diff)
