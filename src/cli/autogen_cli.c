/*
 * autogen_cli.c - printing autogenerate comparisons (see autogen_cli.h).
 */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "autogen_cli.h"
#include "base/buf.h"
#include "graph/graph.h"

json_t *autogen_cli_json(const retort_autogen *ag, const retort_diff *d)
{
	json_t *ops = json_array(), *notes = json_array(), *heads = json_array();

	for (size_t i = 0; i < d->ops.len; i++) {
		const retort_op *op = d->ops.items[i];
		retort_buf target = RETORT_BUF_INIT, sql = RETORT_BUF_INIT;

		retort_op_target(&target, op);
		retort_op_render(&sql, d, op);
		json_array_append_new(ops, json_pack("{s:s, s:s, s:b, s:s}",
			"kind", retort_op_kind_name(op->kind), "target", target.ptr,
			"destructive", op->destructive, "sql", sql.ptr));
		retort_buf_dispose(&target);
		retort_buf_dispose(&sql);
	}
	for (size_t i = 0; i < d->notes.len; i++)
		json_array_append_new(notes, json_string(d->notes.items[i]));
	for (size_t i = 0; i < ag->heads.len; i++)
		json_array_append_new(heads, json_string(ag->heads.items[i]));
	return json_pack("{s:b, s:o, s:o, s:o}", "equal", d->ops.len == 0,
		"heads", heads, "operations", ops, "notes", notes);
}

int autogen_cli_run(cli_global *g, autogen_cli_compare_fn compare, const void *payload,
	const autogen_cli_words *words)
{
	retort_config *cfg = NULL;
	retort_graph *graph = NULL;
	retort_autogen *ag = NULL;
	int rc;

	if ((rc = cli_load_config(g, &cfg)) != 0)
		goto done;
	if ((rc = retort_graph_load(&graph, cfg)) < 0 || (rc = compare(&ag, cfg, graph, payload)) < 0) {
		/* 1 means "they differ": whatever stopped the comparison is 2, so CI can tell. */
		cli_fail(rc);
		rc = CLI_EXIT_USAGE;
		goto done;
	}
	if (g->json) {
		cli_json_print(autogen_cli_json(ag, ag->up));
	} else if (ag->up->ops.len == 0) {
		cli_info(g, "%s\n", words->same);
	} else {
		autogen_cli_print(ag->up, words->up_header);
		if (words->down_header)
			autogen_cli_print(ag->down, words->down_header);
	}
	rc = ag->up->ops.len ? CLI_EXIT_FAIL : CLI_EXIT_OK;
done:
	retort_autogen_free(ag);
	retort_graph_free(graph);
	retort_config_free(cfg);
	return rc;
}

void autogen_cli_print(const retort_diff *d, const char *header)
{
	retort_buf sql = RETORT_BUF_INIT;

	retort_diff_render(&sql, d);
	if (header && *header)
		printf("-- %s\n", header);
	fputs(sql.ptr, stdout);
	if (sql.size && sql.ptr[sql.size - 1] != '\n')
		putchar('\n');
	retort_buf_dispose(&sql);
}
