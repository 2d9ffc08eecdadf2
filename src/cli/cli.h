/*
 * cli.h - what every command file shares: the global options, table-driven
 * option parsing, and the few ways a command talks to the user.
 *
 * The CLI is the only code that prints or exits.  A command is
 * `int cmd_<name>(int argc, char **argv, cli_global *g)` returning the exit
 * status: 0 success, 1 failure or findings, 2 usage/configuration error.
 * argv[0] is the command name; global options may appear before the command
 * or among its own options.
 */
#ifndef RETORT_CLI_H
#define RETORT_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "base/common.h"
#include "config/config.h"
#include "base/vec.h"

#define CLI_EXIT_OK 0
#define CLI_EXIT_FAIL 1
#define CLI_EXIT_USAGE 2

typedef enum cli_color { CLI_COLOR_AUTO, CLI_COLOR_ALWAYS, CLI_COLOR_NEVER } cli_color;

typedef struct cli_global {
	const char *config_path;  /* -c */
	const char *section;      /* -n */
	const char *url;          /* --url */
	retort_vec xargs;         /* -x KEY=VALUE (borrowed argv strings) */
	int verbosity;            /* -q: -1, default 0, -v: 1 (repeatable) */
	bool json;                /* --json */
	const char *color_arg;    /* --color WHEN */
	bool color;               /* resolved: emit ANSI colors on stdout */
	/* `retort __complete options CMD`: cli_parse lists the command's options and stops */
	bool list_options;
} cli_global;

/* --- option tables ---------------------------------------------------- */

typedef enum cli_opt_type {
	CLI_OPT_END = 0,
	CLI_OPT_FLAG,     /* bool *: set to true */
	CLI_OPT_COUNT,    /* int *: incremented */
	CLI_OPT_STRING,   /* const char **: last one wins */
	CLI_OPT_LIST,     /* retort_vec * of const char *: repeatable */
	CLI_OPT_INT,      /* int *: decimal */
} cli_opt_type;

typedef struct cli_option {
	cli_opt_type type;
	char short_name;          /* 0 for none */
	const char *long_name;    /* NULL for none */
	void *value;
	const char *argh;         /* argument placeholder for help, e.g. "MSG" */
	const char *help;
} cli_option;

#define CLI_OPT_END_MARKER { CLI_OPT_END, 0, NULL, NULL, NULL, NULL }

typedef struct cli_usage {
	const char *name;         /* "upgrade" */
	const char *synopsis;     /* "[options] [TARGET]" */
	const char *summary;      /* one line */
	const char *description;  /* optional paragraph(s) for --help */
} cli_usage;

/* Returned by cli_parse when --help was printed: the command returns 0. */
#define CLI_PARSED_HELP 100

/*
 * Parse argv[1..] (argv[0] is the command name) against `opts` plus the
 * global options.  Non-option arguments are appended to `positional`
 * (borrowed).  "--" ends options.  Returns 0, CLI_PARSED_HELP after printing
 * help to stdout, or CLI_EXIT_USAGE after printing the error and usage to
 * stderr; so callers write:
 *     if ((rc = cli_parse(...)) != 0) return rc == CLI_PARSED_HELP ? 0 : rc;
 */
int cli_parse(int argc, char **argv, const cli_option *opts, const cli_usage *usage,
	cli_global *g, retort_vec *positional);

/*
 * The start of every command: cli_parse, then cli_expect_args(min, max).
 * Returns CLI_CONTINUE when the command should go on; otherwise the exit
 * status to return at once (0 after --help, 2 after a usage error), so:
 *     if ((rc = cli_begin(...)) != CLI_CONTINUE) goto done;
 */
#define CLI_CONTINUE (-1)
int cli_begin(int argc, char **argv, const cli_option *opts, const cli_usage *usage,
	cli_global *g, retort_vec *positional, size_t min, size_t max);

/* The loop behind cli_parse; main() uses it to read options before the command. */
int cli__parse_args(int argc, char **argv, int start, const cli_option *opts, const cli_usage *usage,
	cli_global *g, retort_vec *positional, bool stop_at_positional, int *next);

/*
 * One line per option of `opts` for programs (shell completion, the
 * manual's test): "-c", "--config FILE", "--sql", the placeholder after
 * an option that takes a value.  With opts NULL, the global options.
 */
void cli_print_option_names(FILE *f, const cli_option *opts);

/* Print "usage: retort NAME SYNOPSIS" and the option table to `f`. */
void cli_print_usage(FILE *f, const cli_option *opts, const cli_usage *usage);
/* One line per option of `opts`, aligned ("  -c, --config FILE   help"). */
void cli_print_options(FILE *f, const cli_option *opts);
/* The global options, from the same table the parser reads. */
void cli_print_global_options(FILE *f);

/* Check the positional count; prints a usage error and returns 2 when off. */
int cli_expect_args(const retort_vec *positional, size_t min, size_t max, const cli_usage *usage);

/* --- talking to the user ---------------------------------------------- */

/* "retort: error: <fmt>" on stderr. */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void cli_warning(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/*
 * Print the library's last error as "retort: error: <message>" and return
 * the exit status for it (2 for config/usage classes, 1 otherwise).  `rc`
 * is the status code the library returned.
 */
int cli_fail(int rc);
/* The exit status cli_fail returns, without printing. */
int cli_exit_status(int rc);

/* Informational output on stdout unless -q. */
void cli_info(const cli_global *g, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The palette, as `lint` uses it: errors red, warnings yellow, headings bold, ids yellow. */
#define CLI_COLOR_ERROR "\033[31m"
#define CLI_COLOR_WARNING "\033[33m"
#define CLI_COLOR_HEADING "\033[1m"
#define CLI_COLOR_REV "\033[33m"
#define CLI_COLOR_OK "\033[32m"

/* Resolve --color / NO_COLOR / terminals into g->color and stderr's colors; 2 on a bad WHEN. */
int cli_color_setup(cli_global *g);
/* Whether diagnostics on stderr are colored (decided with g->color, for stderr). */
void cli_color_resolved(bool on_stderr);

/* ANSI color wrappers honoring g->color ("" when colors are off). */
const char *cli_color_on(const cli_global *g, const char *ansi);
const char *cli_color_off(const cli_global *g);

/* The options retort_config_load takes, from the global options (-c, -n, --url, -x). */
void cli_config_opts(retort_config_opts *opts, const cli_global *g);

/*
 * Load the configuration for this invocation (applies -c, -n, --url, -x and
 * the environment).  On failure prints the error and returns its exit
 * status (2 for configuration errors); 0 on success.
 */
int cli_load_config(cli_global *g, retort_config **out);

/*
 * The same through the public API: the project of this invocation (-c,
 * -n, --url, -x and the environment, as the command reads them), its log
 * messages printed as the command prints them ("retort: waiting for ...",
 * warnings).  A section that stands for several databases is refused the
 * way cli_load_config refuses it.  0, or the exit status after printing
 * why.
 */
int cli_project_open(cli_global *g, retort_project **out);

/*
 * multidb: when the configuration's section lists `databases` (and no -n
 * names one), run `fn` once per listed section, in order, with g->section
 * set to it and a "[name]" heading before each; otherwise run it once.
 * Returns the worst exit status; with stop_on_failure the first failure
 * ends the loop (an upgrade does not go on to the next database).
 */
typedef int (*cli_database_fn)(cli_global *g, void *ctx);
int cli_for_each_database(cli_global *g, cli_database_fn fn, void *ctx, bool stop_on_failure);

/* --- JSON (jansson) ---------------------------------------------------- */
struct json_t;
/* Print `value` (stolen) to stdout with a trailing newline; returns 0 or 1. */
int cli_json_print(struct json_t *value);

/* --- embedded templates (generated src/cli/templates.c) ---------------- */
typedef struct cli_template_file {
	const char *template_name;  /* "generic" */
	const char *file_name;      /* "retort.ini" */
	const char *content;
} cli_template_file;
extern const cli_template_file cli_template_files[];

/* The template's description: the first line of its README. */
char *cli_template_description(const char *template_name);
/* One file of a template, or NULL. */
const char *cli_template_get(const char *template_name, const char *file_name);

/* --- the command table ------------------------------------------------- */
typedef int (*cli_command_fn)(int argc, char **argv, cli_global *g);

#define CLI_COMMANDS(X) \
	X(init, "write retort.ini and a migrations directory") \
	X(list_templates, "list the templates init can use") \
	X(revision, "create a new revision file") \
	X(upgrade, "apply revisions up to a target (default head)") \
	X(downgrade, "revert revisions down to a target") \
	X(current, "show the database's current revision(s)") \
	X(history, "list revisions, newest first") \
	X(heads, "show the head revision(s)") \
	X(branches, "show branch points") \
	X(show, "show one revision") \
	X(merge, "create a revision that merges heads") \
	X(stamp, "set the version table without running scripts") \
	X(ensure_version, "create the version and history tables if missing") \
	X(edit, "open a revision in $EDITOR") \
	X(diff, "print the SQL that turns one database's schema into another's") \
	X(check, "fail if autogenerate would produce a revision") \
	X(drift, "fail if the live schema differs from its migrations") \
	X(help, "show a command's options and arguments, or this list") \
	X(lint, "review revisions: git history checks and lock-aware statement rules") \
	X(rebase, "put the branch's new revisions on top of the base's head") \
	X(squash, "replace a run of revisions with one baseline")

#define CLI_DECLARE(name, summary) int cmd_##name(int argc, char **argv, cli_global *g);
CLI_COMMANDS(CLI_DECLARE)
#undef CLI_DECLARE

/* The table main.c builds from CLI_COMMANDS. */
typedef struct cli_command {
	const char *name;         /* "ensure_version": the C spelling */
	cli_command_fn fn;
	const char *summary;
} cli_command;

/* The commands in the order --help lists them: i from 0 to cli_command_count() - 1. */
size_t cli_command_count(void);
const cli_command *cli_command_at(size_t i);
/* The command a command-line word names ("ensure-version"), or NULL. */
const cli_command *cli_command_find(const char *word);
/* How the command line spells a command: "ensure-version". */
void cli_command_spell(char out[32], const cli_command *cmd);
/* The command list (`retort --help`). */
void cli_print_main_help(FILE *f);

/*
 * `retort __complete WHAT [ARG]`: what shell completion and the manual's
 * test need, one item a line, nothing else: commands, options [COMMAND],
 * revisions (ids, LABEL@head, head, heads, base, current; read quietly
 * through the header cache), keys (of retort.ini), templates, sections
 * (of retort.ini).  Not a command: --help does not list it.
 */
int cli_complete(int argc, char **argv, cli_global *g);

#endif
