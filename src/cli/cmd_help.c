/*
 * cmd_help.c - `retort help [COMMAND]`: the command list, or one command's
 * usage, options and arguments (what `retort COMMAND --help` prints, from
 * the same tables), followed by where the manual says more.
 */
#include <stdio.h>

#include "cli.h"

int cmd_help(int argc, char **argv, cli_global *g)
{
	const cli_option opts[] = { CLI_OPT_END_MARKER };
	const cli_usage usage = { "help", "[COMMAND]", "show a command's options and arguments, or this list",
		"The manual has more: retort(1) for the commands, retort.ini(5) for the\n"
		"configuration and revision files, libretort(3) for the C library." };
	retort_vec args = RETORT_VEC_INIT;
	const cli_command *cmd;
	int rc;

	if ((rc = cli_begin(argc, argv, opts, &usage, g, &args, 0, 1)) != CLI_CONTINUE)
		goto done;
	if (!args.len) {
		cli_print_main_help(stdout);
		rc = CLI_EXIT_OK;
		goto done;
	}
	if (!(cmd = cli_command_find(args.items[0]))) {
		cli_error("no command '%s' (see 'retort --help')", (const char *)args.items[0]);
		rc = CLI_EXIT_USAGE;
		goto done;
	}
	{
		char name[32], help[] = "--help";
		char *cargv[3] = { name, help, NULL };
		cli_command_spell(name, cmd);
		rc = cmd->fn(2, cargv, g);
		printf("\nSee retort(1), section COMMANDS, '%s', for more.\n", name);
	}
done:
	retort_vec_dispose(&args, false);
	return rc;
}
