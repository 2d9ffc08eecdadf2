/*
 * complete.c - `retort __complete WHAT [ARG]`: the lists shell completion
 * reads (bash and zsh, under completion/), and the manual's test reads to
 * know what retort(1) and retort.ini(5) must describe.  Each list comes
 * from the table the program itself uses (the command table, each
 * command's option table, retort.ini's key table, the templates, the
 * revision graph), so neither completion nor the manual can drift from
 * them.
 *
 * One item a line on stdout, nothing on stderr: a shell is completing.
 * Exit 0, or 1 when the list cannot be made (no retort.ini, a broken
 * graph), 2 for an unknown WHAT.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "graph/graph.h"

static int list_commands(void)
{
	for (size_t i = 0; i < cli_command_count(); i++) {
		char name[32];
		cli_command_spell(name, cli_command_at(i));
		printf("%s\n", name);
	}
	return 0;
}

/* The options of COMMAND (its own, from its table), or without one the global options. */
static int list_options(const char *command, cli_global *g)
{
	static const cli_option main_only[] = {
		{ CLI_OPT_FLAG, 0, "version", NULL, NULL, "print the version" },
		CLI_OPT_END_MARKER
	};
	const cli_command *cmd;
	char name[32], *argv[2];

	if (!command) {
		cli_print_option_names(stdout, NULL);
		cli_print_option_names(stdout, main_only);
		return 0;
	}
	if (!(cmd = cli_command_find(command)))
		return 1;
	/* the command parses its options first thing; told to, it lists them instead */
	cli_command_spell(name, cmd);
	argv[0] = name;
	argv[1] = NULL;
	g->list_options = true;
	return cmd->fn(1, argv, g);
}

/* What a TARGET or REV argument may be, from the configured scripts: read quietly, cached. */
static int list_revisions(const cli_global *g)
{
	static const char *const words[] = { "head", "heads", "base", "current" };
	retort_config_opts opts;
	retort_config *cfg = NULL;
	retort_graph *graph = NULL;
	retort_vec labels = RETORT_VEC_INIT;

	memset(&opts, 0, sizeof(opts));
	opts.path = g->config_path;
	opts.section = g->section;
	if (retort_config_load(&cfg, &opts) < 0 || retort_graph_load_cached(&graph, cfg) < 0) {
		retort_config_free(cfg);
		return 1;
	}
	for (size_t i = 0; i < RETORT_ARRAY_SIZE(words); i++)
		printf("%s\n", words[i]);
	for (size_t i = retort_graph_count(graph); i-- > 0;) {
		const retort_revision *rev = retort_graph_at(graph, i);
		printf("%s\n", rev->id);
		for (size_t k = 0; k < rev->script->branch_labels.len; k++)
			retort_vec_push(&labels, rev->script->branch_labels.items[k]);
	}
	for (size_t i = 0; i < labels.len; i++)
		printf("%s@head\n%s@base\n", (const char *)labels.items[i], (const char *)labels.items[i]);
	retort_vec_dispose(&labels, false);
	retort_graph_free(graph);
	retort_config_free(cfg);
	return 0;
}

static int list_keys(void)
{
	const char *key;

	for (size_t i = 0; (key = retort_config_key(i)) != NULL; i++)
		printf("%s\n", key);
	return 0;
}

static int list_templates(void)
{
	const char *last = "";

	/* Files of one template are adjacent in the generated table. */
	for (const cli_template_file *t = cli_template_files; t->template_name; t++) {
		if (strcmp(t->template_name, last) != 0)
			printf("%s\n", t->template_name);
		last = t->template_name;
	}
	return 0;
}

/* The [sections] of the configuration file, for -n. */
static int list_sections(const cli_global *g)
{
	const char *path = g->config_path ? g->config_path : getenv("RETORT_CONFIG");
	char line[512];
	FILE *f;

	if (!(f = fopen(path && *path ? path : "retort.ini", "r")))
		return 1;
	while (fgets(line, sizeof(line), f)) {
		char *p = line + strspn(line, " \t"), *end;
		if (*p == '[' && (end = strchr(p, ']')) != NULL)
			printf("%.*s\n", (int)(end - p - 1), p + 1);
	}
	fclose(f);
	return 0;
}

int cli_complete(int argc, char **argv, cli_global *g)
{
	const char *what = argc > 1 ? argv[1] : "";
	int rc;

	if (strcmp(what, "commands") == 0)
		rc = list_commands();
	else if (strcmp(what, "options") == 0)
		rc = list_options(argc > 2 ? argv[2] : NULL, g);
	else if (strcmp(what, "revisions") == 0)
		rc = list_revisions(g);
	else if (strcmp(what, "keys") == 0)
		rc = list_keys();
	else if (strcmp(what, "templates") == 0)
		rc = list_templates();
	else if (strcmp(what, "sections") == 0)
		rc = list_sections(g);
	else
		return CLI_EXIT_USAGE;
	retort_error_clear();
	fflush(stdout);
	return rc;
}
