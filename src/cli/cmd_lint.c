/*
 * cmd_lint.c - `retort lint [--base REF]`: review the revisions added since
 * a base commit, the way CI should before a merge.  Errors exit 1;
 * warnings alone exit 0.
 */
#include <jansson.h>
#include <stdlib.h>

#include "cli.h"
#include "git/lint.h"

static json_t *report_json(const retort_lint_report *r)
{
	json_t *findings = json_array();

	for (size_t i = 0; i < r->findings.len; i++) {
		const retort_lint_finding *f = r->findings.items[i];
		json_t *o = json_pack("{s:s, s:s, s:s}",
			"level", f->level == RETORT_LINT_ERROR ? "error" : "warning",
			"path", f->path, "message", f->message);
		json_object_set_new(o, "line", f->line ? json_integer(f->line) : json_null());
		json_object_set_new(o, "revision", f->revision ? json_string(f->revision) : json_null());
		json_array_append_new(findings, o);
	}
	return json_pack("{s:{s:s, s:s, s:I, s:I}, s:I, s:I, s:I, s:I, s:I, s:o}",
		"base", "name", r->base_name, "commit", r->base_id,
		"revisions", (json_int_t)r->base_revisions, "heads", (json_int_t)r->base_heads,
		"revisions", (json_int_t)r->revisions, "new_revisions", (json_int_t)r->new_revisions,
		"heads", (json_int_t)r->heads, "errors", (json_int_t)r->errors,
		"warnings", (json_int_t)r->warnings, "findings", findings);
}

static void print_report(const cli_global *g, const retort_lint_report *r)
{
	for (size_t i = 0; i < r->findings.len; i++) {
		const retort_lint_finding *f = r->findings.items[i];
		const bool err = f->level == RETORT_LINT_ERROR;

		printf("%s%s%s: ", cli_color_on(g, err ? "\033[31m" : "\033[33m"),
			err ? "error" : "warning", cli_color_off(g));
		if (*f->path && f->line)
			printf("%s:%u: ", f->path, f->line);
		else if (*f->path)
			printf("%s: ", f->path);
		printf("%s\n", f->message);
	}
	if (g->verbosity >= 0)
		printf("lint: %zu new revision(s) since %s (%.12s): %zu error(s), %zu warning(s)\n",
			r->new_revisions, r->base_name, r->base_id, r->errors, r->warnings);
}

int cmd_lint(int argc, char **argv, cli_global *g)
{
	const char *base = NULL;
	const cli_option opts[] = {
		{ CLI_OPT_STRING, 0, "base", &base, "GITREF", "compare with this commit (default: the merge base with the upstream branch, main or master)" },
		CLI_OPT_END_MARKER,
	};
	const cli_usage usage = { "lint", "[--base GITREF]",
		"review new revisions against a git base",
		"Reads the scripts at the base straight from git and compares them with the\n"
		"working tree.  Errors (exit 1): a revision of the base was edited or deleted,\n"
		"the new revisions leave more heads than the base had (with the 'retort rebase'\n"
		"that fixes it), a new revision's parent is unknown or inside a squashed range,\n"
		"another branch builds inside a range this squash replaces.  Warnings:\n"
		"destructive statements and missing downgrades in new revisions, pruned\n"
		"revisions." };
	retort_vec args = RETORT_VEC_INIT;
	retort_config *cfg = NULL;
	retort_lint_report *report = NULL;
	int rc;

	if ((rc = cli_begin(argc, argv, opts, &usage, g, &args, 0, 0)) != CLI_CONTINUE)
		goto done;
	if ((rc = cli_load_config(g, &cfg)) != 0)
		goto done;
	if ((rc = retort_lint_run(&report, cfg, base)) < 0) {
		rc = cli_fail(rc);
		goto done;
	}
	if (g->json)
		cli_json_print(report_json(report));
	else
		print_report(g, report);
	rc = report->errors ? CLI_EXIT_FAIL : CLI_EXIT_OK;
done:
	retort_lint_report_free(report);
	retort_config_free(cfg);
	retort_vec_dispose(&args, false);
	return rc;
}
