/*
 * main.c - the retort command: global options, then dispatch through the
 * command table in cli.h.  Each command lives in its own cmd_<name>.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define CLI_ENTRY(id, text) { #id, cmd_##id, text },
static const cli_command commands[] = {
	CLI_COMMANDS(CLI_ENTRY)
};
#undef CLI_ENTRY

static const cli_usage main_usage = {
	"", "[global options] COMMAND [options] [ARGS]",
	"retort: schema migrations for SQLite and PostgreSQL", NULL,
};

/* What only `retort` itself takes, before the command; the globals are in opt.c's table. */
static const cli_option main_only[] = {
	{ CLI_OPT_FLAG, 0, "version", NULL, NULL, "print the version" },
	CLI_OPT_END_MARKER
};

size_t cli_command_count(void)
{
	return RETORT_ARRAY_SIZE(commands);
}

const cli_command *cli_command_at(size_t i)
{
	return i < RETORT_ARRAY_SIZE(commands) ? &commands[i] : NULL;
}

void cli_command_spell(char out[32], const cli_command *cmd)
{
	size_t i;

	for (i = 0; cmd->name[i] && i + 1 < 32; i++)
		out[i] = cmd->name[i] == '_' ? '-' : cmd->name[i];
	out[i] = '\0';
}

void cli_print_main_help(FILE *f)
{
	fprintf(f, "usage: retort [global options] COMMAND [options] [ARGS]\n\n");
	fprintf(f, "Schema migrations for SQLite and PostgreSQL.\n\ncommands:\n");
	for (size_t i = 0; i < RETORT_ARRAY_SIZE(commands); i++) {
		char name[32];
		cli_command_spell(name, &commands[i]);
		fprintf(f, "  %-16s %s\n", name, commands[i].summary);
	}
	fprintf(f, "\nglobal options (before or after the command):\n");
	cli_print_global_options(f);
	cli_print_options(f, main_only);
	fprintf(f, "\nExit status: 0 success, 1 failure (or findings for check, drift, lint),\n"
		"2 usage or configuration error.  'retort help COMMAND' for details; the manual\n"
		"is retort(1), retort.ini(5) and, for the C library, libretort(3).\n");
}

/* Command names use hyphens on the command line, underscores in C. */
const cli_command *cli_command_find(const char *name)
{
	for (size_t i = 0; i < RETORT_ARRAY_SIZE(commands); i++) {
		const char *a = commands[i].name, *b = name;
		while (*a && (*a == *b || (*a == '_' && *b == '-')))
			a++, b++;
		if (!*a && !*b)
			return &commands[i];
	}
	return NULL;
}

int main(int argc, char **argv)
{
	cli_global g;
	retort_vec ignored = RETORT_VEC_INIT;
	const cli_command *cmd;
	int next = 1, rc;

	memset(&g, 0, sizeof(g));
	/* --version is global: before or after the command, as the other global options */
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--version") == 0) {
			printf("retort %s\nCopyright (c) 2026 the retort authors\n"
				"License: MIT (the LICENSE file of the source); there is NO WARRANTY.\n",
				retort_version());
			return 0;
		}
		if (strcmp(argv[i], "--") == 0)
			break;
	}
	rc = cli__parse_args(argc, argv, 1, NULL, &main_usage, &g, &ignored, true, &next);
	retort_vec_dispose(&ignored, false);
	if (rc == CLI_PARSED_HELP || (rc == 0 && next >= argc)) {
		/* `retort --help` and bare `retort` both show the command list. */
		if (rc == 0 && next >= argc) {
			cli_print_main_help(stderr);
			retort_vec_dispose(&g.xargs, false);
			return CLI_EXIT_USAGE;
		}
		cli_print_main_help(stdout);
		retort_vec_dispose(&g.xargs, false);
		return 0;
	}
	if (rc != 0)
		return rc;
	/* shell completion's helper, which --help does not list */
	if (strcmp(argv[next], "__complete") == 0) {
		rc = cli_complete(argc - next, argv + next, &g);
		retort_vec_dispose(&g.xargs, false);
		return rc;
	}
	if (!(cmd = cli_command_find(argv[next]))) {
		if (cli_color_setup(&g) != 0) {
			retort_vec_dispose(&g.xargs, false);
			return CLI_EXIT_USAGE;
		}
		const char *names[RETORT_ARRAY_SIZE(commands)], *hint;
		char spelled[RETORT_ARRAY_SIZE(commands)][32];
		for (size_t i = 0; i < RETORT_ARRAY_SIZE(commands); i++) {
			cli_command_spell(spelled[i], &commands[i]);
			names[i] = spelled[i];
		}
		if ((hint = retort__suggest(argv[next], names, RETORT_ARRAY_SIZE(commands))) != NULL)
			cli_error("unknown command '%s'; did you mean '%s'? (see 'retort --help')", argv[next], hint);
		else
			cli_error("unknown command '%s' (see 'retort --help')", argv[next]);
		retort_vec_dispose(&g.xargs, false);
		return CLI_EXIT_USAGE;
	}
	{
		char name[32];
		cli_command_spell(name, cmd);
		argv[next] = name;
		rc = cmd->fn(argc - next, argv + next, &g);
	}
	retort_vec_dispose(&g.xargs, false);
	fflush(stdout);
	return rc;
}
