/*
 * lint.c - compare the migration history at a base commit with the
 * working tree (see lint.h).  What is checked inside each new revision is
 * rules/report.c's; this file knows what git adds: the base, what was
 * edited or deleted since, and the heads on both sides.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/common.h"
#include "git/gitsource.h"
#include "graph/graph.h"
#include "git/lint.h"
#include "graph/script.h"

static size_t count_heads(retort_vec *scripts, char **error_out)
{
	retort_graph *g = NULL;
	size_t heads = 0;

	if (retort_graph_build(&g, scripts) < 0) {
		if (error_out)
			*error_out = retort__strdup(retort_error_last()->message);
		return 0;
	}
	heads = retort_graph_heads(g)->len;
	retort_graph_free(g);
	return heads;
}

/*
 * The statement rules over the working tree's revisions in upgrade order:
 * the new ones are reported, the others only teach the rules the schema
 * they build.
 */
static int check_revisions(retort_lint_report *r, const retort_vec *current, const retort_map *base_ids)
{
	retort_vec order = RETORT_VEC_INIT;
	int error = 0;

	retort_lint_order(&order, current);
	for (size_t i = 0; i < order.len && !error; i++) {
		const retort_script *s = order.items[i];
		error = retort_lint_revision(r, s, !retort_map_has(base_ids, s->revision));
	}
	retort_vec_dispose(&order, false);
	return error;
}

int retort_lint_compare(retort_lint_report *r, retort_vec *base, retort_vec *current)
{
	retort_map base_ids = RETORT_MAP_INIT, cur_ids = RETORT_MAP_INIT;
	bool parents_missing = false;
	char *graph_error = NULL;
	int error;

	r->base_revisions = base->len;
	r->revisions = current->len;
	for (size_t i = 0; i < base->len; i++) {
		retort_script *s = base->items[i];
		retort_map_set(&base_ids, s->revision, s);
	}
	for (size_t i = 0; i < current->len; i++) {
		retort_script *s = current->items[i];
		retort_map_set(&cur_ids, s->revision, s);
	}
	/* What the base had must be there unchanged. */
	for (size_t i = 0; i < base->len; i++) {
		retort_script *b = base->items[i], *c = retort_map_get(&cur_ids, b->revision);
		if (!c)
			retort__lint_add(r, "R002", b->path, 0, b->revision,
				"revision %s was deleted since the base: databases that applied it "
				"would be stranded", b->revision);
		else if (!retort_script_checksum(c) /* unreadable now: cannot be the same */ ||
				strcmp(retort_script_checksum(b), retort_script_checksum(c)) != 0)
			retort__lint_add(r, "R001", c->path, 0, c->revision,
				"revision %s was edited since the base: databases that applied it "
				"will not see the change (write a new revision instead)", c->revision);
	}
	/* New revisions: parents must exist. */
	for (size_t i = 0; i < current->len; i++) {
		retort_script *s = current->items[i];
		if (retort_map_has(&base_ids, s->revision))
			continue;
		r->new_revisions++;
		for (size_t j = 0; j < s->revises.len; j++) {
			if (!retort_map_has(&cur_ids, s->revises.items[j])) {
				retort__lint_add(r, "R004", s->path, s->header_line, s->revision,
					"revision %s revises '%s', which no script defines",
					s->revision, (const char *)s->revises.items[j]);
				parents_missing = true;
			}
		}
	}
	error = check_revisions(r, current, &base_ids);
	retort_map_dispose(&base_ids, false);
	retort_map_dispose(&cur_ids, false);

	/* Heads: graphs take the scripts over from here. */
	r->base_heads = count_heads(base, NULL);
	r->heads = count_heads(current, &graph_error);
	if (graph_error && !parents_missing)
		retort__lint_add(r, "R005", "", 0, NULL, "%s", graph_error);
	free(graph_error);
	if (r->heads > 0 && r->base_heads > 0 && r->heads > r->base_heads)
		retort__lint_add(r, "R003", "", 0, NULL,
			"the history has %zu heads where the base had %zu: join them with "
			"'retort merge -m MSG heads'", r->heads, r->base_heads);
	else if (r->heads > 1 && r->base_heads == 0 && base->len == 0)
		retort__lint_add(r, "R003", "", 0, NULL,
			"the history has %zu heads: join them with 'retort merge -m MSG heads'", r->heads);
	retort_lint_report_finish(r);
	return error;
}

/* The dialect of the configured URL, 0 when there is none: lint needs no database. */
static retort_dialect_id configured_dialect(const retort_config *cfg)
{
	retort_url *url = NULL;
	retort_dialect_id dialect = 0;

	if (cfg->url && retort_url_parse(&url, cfg->url) == 0)
		dialect = url->dialect;
	retort_url_free(url);
	return dialect;
}

int retort_lint_run(retort_lint_report **out, const retort_config *cfg, const char *base_ref,
	struct retort_db *db)
{
	retort_gitsource *src = NULL;
	retort_vec base = RETORT_VEC_INIT, current = RETORT_VEC_INIT;
	retort_lint_report *r = NULL;
	int error;

	*out = NULL;
	if ((error = retort_gitsource_open(&src, cfg)) < 0 ||
	    (error = retort_gitsource_set_base(src, base_ref)) < 0 ||
	    (error = retort_gitsource_scripts(&base, src, cfg)) < 0 ||
	    (error = retort_graph_load_scripts(&current, cfg)) < 0)
		goto done;
	r = retort__calloc(1, sizeof(*r));
	r->dialect = configured_dialect(cfg);
	if ((error = retort_rules_new(&r->rules, r->dialect, cfg, db)) < 0)
		goto done;
	r->base_name = retort__strdup(retort_gitsource_base_name(src));
	r->base_id = retort__strdup(retort_gitsource_base_id(src));
	if ((error = retort_lint_compare(r, &base, &current)) < 0)
		goto done;
	/* Name working-tree files from the repository's root, as git does. */
	retort_lint_report_relativize(r, retort_gitsource_workdir(src));
	*out = r;
	r = NULL;
done:
	for (size_t i = 0; i < base.len; i++)
		retort_script_free(base.items[i]);
	for (size_t i = 0; i < current.len; i++)
		retort_script_free(current.items[i]);
	retort_vec_dispose(&base, false);
	retort_vec_dispose(&current, false);
	retort_gitsource_free(src);
	retort_lint_report_free(r);
	return error;
}
