/*
 * pending.c - placeholders for commands this build does not implement yet.
 *
 * Every command of the specification is in the command table so that
 * `retort --help` shows the whole tool; a command whose module has not
 * landed answers with a clear error and exit 1 instead of pretending.
 * Each definition is weak: a real cmd_<name>.c replaces it at link time,
 * and the entry here is then deleted.
 */
#include "cli.h"

#define PENDING(name)                                                          \
	__attribute__((weak)) int cmd_##name(int argc, char **argv, cli_global *g) \
	{                                                                      \
		(void)argc; (void)g;                                           \
		cli_error("'%s' is not implemented in this version of retort", argv[0]); \
		return CLI_EXIT_FAIL;                                          \
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
PENDING(check)
PENDING(drift)
PENDING(lint)
