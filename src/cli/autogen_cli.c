/*
 * autogen_cli.c - printing changesets (see autogen_cli.h).
 */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "autogen_cli.h"

json_t *autogen_cli_changes_json(const retort_changeset *cs)
{
	json_t *ops = json_array();

	for (size_t i = 0; i < retort_changeset_count(cs); i++) {
		const retort_change *c = retort_changeset_get(cs, i);
		json_array_append_new(ops, json_pack("{s:s, s:s, s:b, s:s}", "kind", c->kind,
			"target", c->target, "destructive", c->destructive, "sql", c->sql));
	}
	return ops;
}

/* A string array as JSON. */
static json_t *strings_json(const retort_strarray *a)
{
	json_t *o = json_array();

	for (size_t i = 0; i < a->count; i++)
		json_array_append_new(o, json_string(a->strings[i]));
	return o;
}

json_t *autogen_cli_json(const retort_changeset *cs)
{
	return json_pack("{s:b, s:o, s:o, s:o}", "equal", retort_changeset_count(cs) == 0,
		"heads", strings_json(retort_changeset_heads(cs)), "operations", autogen_cli_changes_json(cs),
		"notes", strings_json(retort_changeset_notes(cs)));
}

int autogen_cli_run(cli_global *g, autogen_cli_compare_fn compare, const void *payload,
	const autogen_cli_words *words)
{
	retort_project *project = NULL;
	retort_changeset *cs = NULL;
	int rc;

	if ((rc = cli_project_open(g, &project)) != 0)
		goto done;
	if ((rc = compare(&cs, project, payload)) < 0) {
		/* 1 means "they differ": whatever stopped the comparison is 2, so CI can tell. */
		cli_fail(rc);
		rc = CLI_EXIT_USAGE;
		goto done;
	}
	if (g->json) {
		cli_json_print(autogen_cli_json(cs));
	} else if (retort_changeset_count(cs) == 0) {
		cli_info(g, "%s\n", words->same);
	} else {
		autogen_cli_print(cs, words->up_header);
		if (words->down_header)
			autogen_cli_print(retort_changeset_reverse(cs), words->down_header);
	}
	rc = retort_changeset_count(cs) ? CLI_EXIT_FAIL : CLI_EXIT_OK;
done:
	retort_changeset_free(cs);
	retort_project_free(project);
	return rc;
}

void autogen_cli_print(const retort_changeset *cs, const char *header)
{
	retort_buffer sql = RETORT_BUFFER_INIT;

	retort_changeset_sql(&sql, cs);
	if (header && *header)
		printf("-- %s\n", header);
	if (sql.size) {
		fputs(sql.ptr, stdout);
		if (sql.ptr[sql.size - 1] != '\n')
			putchar('\n');
	}
	retort_buffer_dispose(&sql);
}
