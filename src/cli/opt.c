/*
 * opt.c - table-driven option parsing for every command (see cli.h).
 *
 * Global options are accepted before the command and among its own
 * options.  An argument that looks like a negative number ("-1", "-12") is
 * a positional argument, because relative revision identifiers are written
 * that way (`retort downgrade -1`).
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

typedef struct opt_set {
	const cli_option *own;
	cli_option globals[10];
} opt_set;

static void fill_globals(opt_set *set, cli_global *g)
{
	const cli_option globals[] = {
		{ CLI_OPT_STRING, 'c', "config", &g->config_path, "FILE", "configuration file (default: $RETORT_CONFIG or ./retort.ini)" },
		{ CLI_OPT_STRING, 'n', "name", &g->section, "NAME", "use section [NAME] of the configuration" },
		{ CLI_OPT_STRING, 0, "url", &g->url, "URL", "database URL (overrides the configuration and $RETORT_URL)" },
		{ CLI_OPT_LIST, 'x', NULL, &g->xargs, "KEY=VALUE", "extra argument for scripts and templates (repeatable)" },
		{ CLI_OPT_COUNT, 'v', "verbose", &g->verbosity, NULL, "say more" },
		{ CLI_OPT_FLAG, 'q', "quiet", NULL, NULL, "say only what was asked for" },
		{ CLI_OPT_FLAG, 0, "json", &g->json, NULL, "machine-readable output (read-only commands)" },
		{ CLI_OPT_STRING, 0, "color", &g->color_arg, "WHEN", "auto, always or never (NO_COLOR is respected)" },
		{ CLI_OPT_FLAG, 'h', "help", NULL, NULL, "show this help" },
		CLI_OPT_END_MARKER,
	};
	memcpy(set->globals, globals, sizeof(globals));
}

static const cli_option *find_long(const opt_set *set, const char *name, size_t len)
{
	for (const cli_option *o = set->own; o && o->type; o++)
		if (o->long_name && strlen(o->long_name) == len && strncmp(o->long_name, name, len) == 0)
			return o;
	for (const cli_option *o = set->globals; o->type; o++)
		if (o->long_name && strlen(o->long_name) == len && strncmp(o->long_name, name, len) == 0)
			return o;
	return NULL;
}

static const cli_option *find_short(const opt_set *set, char c)
{
	for (const cli_option *o = set->own; o && o->type; o++)
		if (o->short_name == c)
			return o;
	for (const cli_option *o = set->globals; o->type; o++)
		if (o->short_name == c)
			return o;
	return NULL;
}

static bool is_negative_number(const char *s)
{
	if (s[0] != '-' || !s[1])
		return false;
	for (s++; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

static bool takes_value(const cli_option *o)
{
	return o->type == CLI_OPT_STRING || o->type == CLI_OPT_LIST || o->type == CLI_OPT_INT;
}

void cli_print_options(FILE *f, const cli_option *opts)
{
	for (const cli_option *o = opts; o && o->type; o++) {
		char left[64];
		int n = 0;

		if (o->short_name && o->long_name)
			n = snprintf(left, sizeof(left), "-%c, --%s", o->short_name, o->long_name);
		else if (o->short_name)
			n = snprintf(left, sizeof(left), "-%c", o->short_name);
		else
			n = snprintf(left, sizeof(left), "    --%s", o->long_name);
		if (o->argh && n > 0 && (size_t)n < sizeof(left))
			snprintf(left + n, sizeof(left) - (size_t)n, " %s", o->argh);
		fprintf(f, "  %-26s %s\n", left, o->help);
	}
}

void cli_print_option_names(FILE *f, const cli_option *opts)
{
	opt_set set;
	cli_global dummy;

	if (!opts) {
		memset(&dummy, 0, sizeof(dummy));
		fill_globals(&set, &dummy);
		opts = set.globals;
	}
	for (const cli_option *o = opts; o->type; o++) {
		if (o->short_name)
			fprintf(f, "-%c%s%s\n", o->short_name, o->argh ? " " : "", o->argh ? o->argh : "");
		if (o->long_name)
			fprintf(f, "--%s%s%s\n", o->long_name, o->argh ? " " : "", o->argh ? o->argh : "");
	}
}

void cli_print_global_options(FILE *f)
{
	opt_set set;
	cli_global dummy;

	memset(&dummy, 0, sizeof(dummy));
	fill_globals(&set, &dummy);
	cli_print_options(f, set.globals);
}

void cli_print_usage(FILE *f, const cli_option *opts, const cli_usage *usage)
{
	fprintf(f, "usage: retort %s %s\n", usage->name, usage->synopsis ? usage->synopsis : "");
	if (usage->summary)
		fprintf(f, "\n%s\n", usage->summary);
	if (usage->description)
		fprintf(f, "\n%s\n", usage->description);
	if (opts && opts->type) {
		fprintf(f, "\noptions:\n");
		cli_print_options(f, opts);
	}
	fprintf(f, "\nglobal options:\n");
	cli_print_global_options(f);
}

static int usage_error(const cli_usage *usage, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/*
 * "retort: error: <message>" and the command's usage line, on stderr; the
 * exit status for it.  Before any command (usage->name is "") the message
 * names the option alone: its " for ''" / " (in '')" tail is cut.
 */
static int usage_error(const cli_usage *usage, const char *fmt, ...)
{
	const char *name = usage->name ? usage->name : "";
	const char *synopsis = usage->synopsis ? usage->synopsis : "";
	char msg[512], *cut;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (!*name && ((cut = strstr(msg, " for ''")) != NULL || (cut = strstr(msg, " (in '')")) != NULL))
		*cut = '\0';
	fprintf(stderr, "retort: error: %s\n", msg);
	if (*name)
		fprintf(stderr, "usage: retort %s %s\n(see 'retort %s --help')\n", name, synopsis, name);
	else
		fprintf(stderr, "usage: retort %s\n(see 'retort --help')\n", synopsis);
	return CLI_EXIT_USAGE;
}

static int store(const cli_option *o, const char *value, cli_global *g, const cli_usage *usage, bool *help)
{
	if (o->short_name == 'h' && o->long_name && strcmp(o->long_name, "help") == 0 && !o->value) {
		*help = true;
		return 0;
	}
	if (o->short_name == 'q' && !o->value) {
		g->verbosity = -1;
		return 0;
	}
	switch (o->type) {
	case CLI_OPT_FLAG:
		*(bool *)o->value = true;
		break;
	case CLI_OPT_COUNT:
		(*(int *)o->value)++;
		break;
	case CLI_OPT_STRING:
		*(const char **)o->value = value;
		break;
	case CLI_OPT_LIST:
		retort_vec_push((retort_vec *)o->value, (void *)value);
		break;
	case CLI_OPT_INT: {
		char *end;
		long l = strtol(value, &end, 10);
		if (!*value || *end)
			return usage_error(usage, "option value '%s' is not a whole number (in '%s')", value, usage->name);
		*(int *)o->value = (int)l;
		break;
	}
	case CLI_OPT_END:
		break;
	}
	return 0;
}

/* The shared loop; stop_at_positional is for the arguments before a command. */
int cli__parse_args(int argc, char **argv, int start, const cli_option *opts, const cli_usage *usage,
	cli_global *g, retort_vec *positional, bool stop_at_positional, int *next)
{
	opt_set set;
	bool help = false;
	int i, rc;

	set.own = opts;
	fill_globals(&set, g);
	for (i = start; i < argc; i++) {
		const char *arg = argv[i];
		const cli_option *o;

		if (strcmp(arg, "--") == 0) {
			for (i++; i < argc; i++)
				retort_vec_push(positional, argv[i]);
			break;
		}
		if (arg[0] != '-' || !arg[1] || is_negative_number(arg)) {
			if (stop_at_positional)
				break;
			retort_vec_push(positional, argv[i]);
			continue;
		}
		if (arg[1] == '-') {
			const char *name = arg + 2, *eq = strchr(name, '=');
			size_t len = eq ? (size_t)(eq - name) : strlen(name);
			const char *value = NULL;

			if (!(o = find_long(&set, name, len)))
				return usage_error(usage, "unknown option '%s' for '%s'", arg, usage->name);
			if (takes_value(o)) {
				if (eq)
					value = eq + 1;
				else if (i + 1 < argc)
					value = argv[++i];
				else
					return usage_error(usage, "option '%s' needs a value (in '%s')", arg, usage->name);
			} else if (eq) {
				return usage_error(usage, "option '%s' takes no value (in '%s')", arg, usage->name);
			}
			if ((rc = store(o, value, g, usage, &help)) != 0)
				return rc;
			continue;
		}
		/* Short options, possibly bundled: -qv, -mMSG, -m MSG. */
		for (const char *c = arg + 1; *c; c++) {
			char flag[3] = { '-', *c, 0 };
			const char *value = NULL;

			if (!(o = find_short(&set, *c)))
				return usage_error(usage, "unknown option '%s' for '%s'", flag, usage->name);
			if (takes_value(o)) {
				if (c[1])
					value = c + 1;
				else if (i + 1 < argc)
					value = argv[++i];
				else
					return usage_error(usage, "option '%s' needs a value (in '%s')", flag, usage->name);
				if ((rc = store(o, value, g, usage, &help)) != 0)
					return rc;
				break;
			}
			if ((rc = store(o, NULL, g, usage, &help)) != 0)
				return rc;
		}
	}
	if (next)
		*next = i;
	return help ? CLI_PARSED_HELP : 0;
}

int cli_color_setup(cli_global *g)
{
	const char *when = g->color_arg ? g->color_arg : "auto";
	const char *no_color = getenv("NO_COLOR");

	bool err;

	if (strcmp(when, "always") == 0)
		g->color = err = true;
	else if (strcmp(when, "never") == 0)
		g->color = err = false;
	else if (strcmp(when, "auto") == 0) {
		/* each stream on its own: `retort current 2>log` keeps colors on the terminal */
		g->color = isatty(STDOUT_FILENO) && !(no_color && *no_color);
		err = isatty(STDERR_FILENO) && !(no_color && *no_color);
	} else {
		fprintf(stderr, "retort: error: --color must be auto, always or never, not '%s'\n", when);
		return CLI_EXIT_USAGE;
	}
	cli_color_resolved(err);
	return 0;
}

int cli_parse(int argc, char **argv, const cli_option *opts, const cli_usage *usage,
	cli_global *g, retort_vec *positional)
{
	int rc;

	/* `retort __complete options CMD`: the table itself is the answer */
	if (g->list_options) {
		if (opts)
			cli_print_option_names(stdout, opts);
		return CLI_PARSED_HELP;
	}
	rc = cli__parse_args(argc, argv, 1, opts, usage, g, positional, false, NULL);

	if (rc == CLI_PARSED_HELP)
		cli_print_usage(stdout, opts, usage);
	else if (rc == 0)
		rc = cli_color_setup(g);
	return rc;
}

int cli_expect_args(const retort_vec *positional, size_t min, size_t max, const cli_usage *usage)
{
	if (positional->len >= min && positional->len <= max)
		return 0;
	if (positional->len < min)
		fprintf(stderr, "retort: error: '%s' needs %s argument%s\n", usage->name,
			min == 1 ? "an" : "more", min == 1 ? "" : "s");
	else
		fprintf(stderr, "retort: error: too many arguments for '%s' (unexpected '%s')\n",
			usage->name, (const char *)positional->items[max]);
	fprintf(stderr, "usage: retort %s %s\n(see 'retort %s --help')\n",
		usage->name, usage->synopsis ? usage->synopsis : "", usage->name);
	return CLI_EXIT_USAGE;
}

int cli_begin(int argc, char **argv, const cli_option *opts, const cli_usage *usage,
	cli_global *g, retort_vec *positional, size_t min, size_t max)
{
	int rc = cli_parse(argc, argv, opts, usage, g, positional);

	if (rc == CLI_PARSED_HELP)
		return CLI_EXIT_OK;
	if (rc == 0)
		rc = cli_expect_args(positional, min, max, usage);
	return rc == 0 ? CLI_CONTINUE : rc;
}
