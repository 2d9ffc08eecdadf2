/*
 * status.c - retort/status.h: run/'s status of a database (migrate.h)
 * copied into the public struct, whose strings the caller holds however
 * long it likes: nothing in it borrows from the project's graph.
 */
#include <stdlib.h>
#include <string.h>

#include "api/api_int.h"

/* The public status first, so a retort_status * is a box *. */
typedef struct box {
	retort_status pub;
	retort_db_status *st;         /* what it was made from, for the command's views */
	retort_vec owned;             /* char *: every string the public part points at */
} box;

static const char *keep(box *b, const char *s)
{
	char *copy;

	if (!s)
		return NULL;
	copy = retort__strdup(s);
	retort_vec_push(&b->owned, copy);
	return copy;
}

static const retort_revision_info *revisions(box *b, const retort_vec *revs)
{
	retort_revision_info *out;

	if (!revs->len)
		return NULL;
	out = retort__calloc(revs->len, sizeof(*out));
	retort_vec_push(&b->owned, out);
	for (size_t i = 0; i < revs->len; i++) {
		const retort_revision *rev = revs->items[i];
		out[i].id = keep(b, rev->id);
		out[i].message = keep(b, rev->script->message ? rev->script->message : "");
		out[i].path = keep(b, rev->script->path);
	}
	return out;
}

static const retort_unknown_revision *unknowns(box *b, const retort_vec *heads)
{
	retort_unknown_revision *out;

	if (!heads->len)
		return NULL;
	out = retort__calloc(heads->len, sizeof(*out));
	retort_vec_push(&b->owned, out);
	for (size_t i = 0; i < heads->len; i++) {
		const retort_unknown_head *u = heads->items[i];
		retort_buf why = RETORT_BUF_INIT;

		retort__unknown_head_describe(&why, u);
		out[i].id = keep(b, u->revision);
		out[i].applied_at = keep(b, u->applied_at);
		out[i].git_commit = keep(b, u->git_commit);
		out[i].os_user = keep(b, u->os_user);
		out[i].host = keep(b, u->host);
		out[i].explanation = keep(b, why.ptr);
		retort_buf_dispose(&why);
	}
	return out;
}

int retort_project_status(retort_status **out, retort_project *project, unsigned flags)
{
	retort_db_status *st = NULL;
	box *b;
	int error;

	if (!out)
		return retort__error_set(RETORT_ERROR_USAGE, "retort_project_status: out is NULL");
	*out = NULL;
	/* a report: the header cache serves */
	if ((error = retort__project_begin(project, true, false)) < 0)
		return error;
	if ((error = retort_migrate_status(&st, project->cfg, project->graph,
			(flags & RETORT_STATUS_DETAILS) != 0)) < 0)
		return retort__project_end(project, error);
	b = retort__calloc(1, sizeof(*b));
	b->st = st;
	b->pub.url = keep(b, st->url_masked);
	b->pub.database = keep(b, st->database);
	b->pub.has_version_table = st->has_version_table;
	b->pub.missing = st->missing;
	b->pub.at_head = st->at_head;
	b->pub.alembic_version_table = st->alembic_table;
	retort__strarray_from(&b->pub.heads, &st->heads);
	b->pub.pending = revisions(b, &st->pending);
	b->pub.pending_count = st->pending.len;
	b->pub.changed = revisions(b, &st->changed);
	b->pub.changed_count = st->changed.len;
	b->pub.unknown = unknowns(b, &st->unknown);
	b->pub.unknown_count = st->unknown.len;
	b->pub.pending_error = keep(b, st->pending_error);
	if (st->unfinished) {
		retort_buf why = RETORT_BUF_INIT;
		retort_migrate_describe_unfinished(&why, st, project->graph);
		b->pub.unfinished = keep(b, why.ptr);
		retort_buf_dispose(&why);
	}
	*out = &b->pub;
	return retort__project_end(project, 0);
}

void retort_status_free(retort_status *status)
{
	box *b = (box *)status;

	if (!b)
		return;
	retort_db_status_free(b->st);
	retort_strarray_dispose(&b->pub.heads);
	retort_vec_dispose(&b->owned, true);
	free(b);
}

const retort_db_status *retort__status_view(const retort_status *status)
{
	return ((const box *)status)->st;
}
