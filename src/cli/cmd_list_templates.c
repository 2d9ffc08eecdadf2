/*
 * cmd_list_templates.c - `retort list-templates`: the templates built into
 * this retort and what each is for (the first line of its README).
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

int cmd_list_templates(int argc, char **argv, cli_global *g)
{
	const cli_option opts[] = { CLI_OPT_END_MARKER };
	const cli_usage usage = { "list-templates", "", "list the templates init can use", NULL };
	retort_vec args = RETORT_VEC_INIT;
	json_t *list = NULL;
	const char *last = "";
	int rc;

	if ((rc = cli_begin(argc, argv, opts, &usage, g, &args, 0, 0)) != CLI_CONTINUE) {
		retort_vec_dispose(&args, false);
		return rc;
	}
	if (g->json)
		list = json_array();
	else
		printf("Available templates:\n\n");
	/* Files of one template are adjacent in the generated table. */
	for (const cli_template_file *t = cli_template_files; t->template_name; t++) {
		char *desc;
		if (strcmp(t->template_name, last) == 0)
			continue;
		last = t->template_name;
		desc = cli_template_description(t->template_name);
		if (list)
			json_array_append_new(list, json_pack("{s:s, s:s}", "name", t->template_name, "description", desc));
		else
			printf("  %s - %s\n", t->template_name, desc);
		free(desc);
	}
	retort_vec_dispose(&args, false);
	if (list)
		return cli_json_print(list);
	printf("\nTemplates are used with init, e.g.:\n\n  retort init -t generic ./migrations\n");
	return 0;
}
