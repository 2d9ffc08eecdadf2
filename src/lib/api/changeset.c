/*
 * changeset.c - retort/changeset.h: the schema engine's diffs (schema/)
 * and autogenerate's comparisons (autogen/) behind one handle, their
 * operations copied out as public changes with their SQL rendered once.
 */
#include <stdlib.h>
#include <string.h>

#include "api/api_int.h"
#include "dialect/url.h"

struct retort_changeset {
	/* diff_urls: the two models and both diffs, owned; check and drift: the comparison, owned */
	retort_model *from, *to;
	retort_diff *diff, *revert;
	retort_autogen *ag;
	const char *dialect;
	retort_change *changes;
	size_t count;
	retort_strarray notes;
	retort_strarray heads;
	retort_revision_info *edited;
	size_t edited_count;
	retort_vec owned;           /* char *: the strings the public parts point at */
	/* The way back: made with this one and freed with it; its own reverse points here. */
	struct retort_changeset *reverse;
	bool is_reverse;
};

int retort_diff_options_init(retort_diff_options *opts, unsigned version)
{
	static const retort_diff_options defaults = RETORT_DIFF_OPTIONS_INIT;
	int error;

	if ((error = retort__options_check(version, RETORT_DIFF_OPTIONS_VERSION, "retort_diff_options")) < 0)
		return error;
	*opts = defaults;
	return 0;
}

int retort_check_options_init(retort_check_options *opts, unsigned version)
{
	static const retort_check_options defaults = RETORT_CHECK_OPTIONS_INIT;
	int error;

	if ((error = retort__options_check(version, RETORT_CHECK_OPTIONS_VERSION, "retort_check_options")) < 0)
		return error;
	*opts = defaults;
	return 0;
}

static char *keep(retort_changeset *cs, retort_buf *b)
{
	char *s = retort_buf_detach(b);

	retort_vec_push(&cs->owned, s);
	return s;
}

/* The public side of a changeset: its diff's operations, notes and dialect. */
static void fill(retort_changeset *cs, const retort_diff *d)
{
	cs->diff = (retort_diff *)d;
	cs->dialect = d->to->dialect == RETORT_DIALECT_SQLITE ? "sqlite" : "postgresql";
	cs->count = d->ops.len;
	cs->changes = cs->count ? retort__calloc(cs->count, sizeof(*cs->changes)) : NULL;
	for (size_t i = 0; i < d->ops.len; i++) {
		const retort_op *op = d->ops.items[i];
		retort_buf target = RETORT_BUF_INIT, sql = RETORT_BUF_INIT;

		retort_op_target(&target, op);
		retort_op_render(&sql, d, op);
		cs->changes[i].kind = retort_op_name(op);
		cs->changes[i].target = keep(cs, &target);
		cs->changes[i].destructive = op->destructive;
		cs->changes[i].sql = keep(cs, &sql);
	}
	retort__strarray_from(&cs->notes, &d->notes);
}

/* Both sides once the diffs exist: the changes, and the way back beside them. */
static void fill_both(retort_changeset *cs, retort_diff *up, retort_diff *down)
{
	retort_changeset *back = retort__calloc(1, sizeof(*back));

	fill(cs, up);
	fill(back, down);
	back->is_reverse = true;
	back->reverse = cs;
	back->heads = (retort_strarray)RETORT_STRARRAY_INIT;
	cs->reverse = back;
}

/* A renames array as the schema engine takes it (borrowed strings). */
static void renames_vec(retort_vec *out, const char *const *renames, size_t count)
{
	for (size_t i = 0; renames && i < count; i++)
		retort_vec_push(out, (void *)renames[i]);
}

static int reflect_url(retort_model **out, const retort_url *url, const retort_reflect_opts *opts)
{
	retort_db *db = NULL;
	int error;

	if ((error = retort_db_open(&db, url)) < 0)
		return error;
	error = retort_schema_reflect(out, db, opts);
	retort_db_free(db);
	return error;
}

int retort_diff_urls(retort_changeset **out, const char *from_url, const char *to_url,
	const retort_diff_options *opts)
{
	retort_url *from = NULL, *to = NULL;
	retort_vec renames = RETORT_VEC_INIT, inverted = RETORT_VEC_INIT, kinds = RETORT_VEC_INIT;
	retort_diff_opts dopts = { &renames };
	retort_reflect_opts ropts = { .version_table = "retort_version", .history_table = "retort_history",
		.exclude_kinds = &kinds };
	retort_changeset *cs = NULL;
	int error;

	if (!out || !from_url || !to_url)
		return retort__error_set(RETORT_ERROR_USAGE, "retort_diff_urls: NULL argument");
	*out = NULL;
	if (opts && (error = retort__options_check(opts->version, RETORT_DIFF_OPTIONS_VERSION,
			"retort_diff_options")) < 0)
		return error;
	if (opts)
		renames_vec(&renames, opts->renames, opts->renames_count);
	if (opts && opts->version >= 2) {
		ropts.privileges = opts->with_privileges != 0;
		renames_vec(&kinds, opts->exclude_kinds, opts->exclude_kinds_count);
		for (size_t i = 0; i < kinds.len; i++)
			if (!retort_config_kind_valid(kinds.items[i])) {
				error = retort__error_set(RETORT_ERROR_USAGE, "unknown object kind '%s': one of %s",
					(const char *)kinds.items[i], retort_config_kinds);
				goto done;
			}
	}
	if ((error = retort_url_parse(&from, from_url)) < 0 || (error = retort_url_parse(&to, to_url)) < 0)
		goto done;
	/* a diff only reads: a SQLite file that is not there is an error, not an empty database made on the spot */
	from->must_exist = to->must_exist = true;
	if (from->dialect != to->dialect) {
		error = retort__error_set(RETORT_ERROR_USAGE, "cannot compare a %s database with a %s database",
			retort_dialect_for(from->dialect)->name, retort_dialect_for(to->dialect)->name);
		goto done;
	}
	cs = retort__calloc(1, sizeof(*cs));
	if ((error = reflect_url(&cs->from, from, &ropts)) < 0 || (error = reflect_url(&cs->to, to, &ropts)) < 0 ||
	    (error = retort_schema_diff(&cs->diff, cs->from, cs->to, &dopts)) < 0)
		goto done;
	retort_schema_renames_invert(&inverted, &renames);
	dopts.renames = &inverted;
	if ((error = retort_schema_diff(&cs->revert, cs->to, cs->from, &dopts)) < 0)
		goto done;
	fill_both(cs, cs->diff, cs->revert);
	*out = cs;
	cs = NULL;
done:
	retort_changeset_free(cs);
	retort_url_free(from);
	retort_url_free(to);
	retort_vec_dispose(&renames, false);
	retort_vec_dispose(&inverted, true);
	retort_vec_dispose(&kinds, false);
	return error;
}

/* check and drift: the comparison becomes the changeset. */
static retort_changeset *from_autogen(retort_autogen *ag)
{
	retort_changeset *cs = retort__calloc(1, sizeof(*cs));

	cs->ag = ag;
	cs->revert = ag->down;
	fill_both(cs, ag->up, ag->down);
	retort__strarray_from(&cs->heads, &ag->heads);
	if (ag->edited.len) {
		cs->edited = retort__calloc(ag->edited.len, sizeof(*cs->edited));
		cs->edited_count = ag->edited.len;
		for (size_t i = 0; i < ag->edited.len; i++) {
			const retort_revision *rev = ag->edited.items[i];
			retort_buf id = RETORT_BUF_INIT, message = RETORT_BUF_INIT, path = RETORT_BUF_INIT;
			retort_buf_puts(&id, rev->id);
			retort_buf_puts(&message, rev->script->message ? rev->script->message : "");
			retort_buf_puts(&path, rev->script->path);
			cs->edited[i].id = keep(cs, &id);
			cs->edited[i].message = keep(cs, &message);
			cs->edited[i].path = keep(cs, &path);
		}
	}
	return cs;
}

int retort_project_check(retort_changeset **out, retort_project *project, const retort_check_options *opts)
{
	retort_vec renames = RETORT_VEC_INIT;
	retort_autogen_opts aopts = { .renames = &renames };
	retort_autogen *ag = NULL;
	int error;

	if (!out)
		return retort__error_set(RETORT_ERROR_USAGE, "retort_project_check: out is NULL");
	*out = NULL;
	if (opts && (error = retort__options_check(opts->version, RETORT_CHECK_OPTIONS_VERSION,
			"retort_check_options")) < 0)
		return error;
	if (opts) {
		aopts.from_db = opts->from_database != 0;
		renames_vec(&renames, opts->renames, opts->renames_count);
	}
	if ((error = retort__project_begin(project, true, true)) < 0)
		goto done;
	if ((error = retort_autogen_target(&ag, project->cfg, project->graph, &aopts)) == 0)
		*out = from_autogen(ag);
	error = retort__project_end(project, error);
done:
	retort_vec_dispose(&renames, false);
	return error;
}

int retort_project_drift(retort_changeset **out, retort_project *project)
{
	retort_autogen *ag = NULL;
	int error;

	if (!out)
		return retort__error_set(RETORT_ERROR_USAGE, "retort_project_drift: out is NULL");
	*out = NULL;
	if ((error = retort__project_begin(project, true, true)) < 0)
		return error;
	if ((error = retort_autogen_drift(&ag, project->cfg, project->graph)) == 0)
		*out = from_autogen(ag);
	return retort__project_end(project, error);
}

size_t retort_changeset_count(const retort_changeset *changeset)
{
	return changeset ? changeset->count : 0;
}

const retort_change *retort_changeset_get(const retort_changeset *changeset, size_t i)
{
	return changeset && i < changeset->count ? &changeset->changes[i] : NULL;
}

const retort_strarray *retort_changeset_notes(const retort_changeset *changeset)
{
	return &changeset->notes;
}

const char *retort_changeset_dialect(const retort_changeset *changeset)
{
	return changeset->dialect;
}

const retort_strarray *retort_changeset_heads(const retort_changeset *changeset)
{
	return &changeset->heads;
}

size_t retort_changeset_edited_count(const retort_changeset *changeset)
{
	return changeset ? changeset->edited_count : 0;
}

const retort_revision_info *retort_changeset_edited(const retort_changeset *changeset, size_t i)
{
	return changeset && i < changeset->edited_count ? &changeset->edited[i] : NULL;
}

static int render(retort_buffer *out, const retort_diff *d)
{
	retort_buf sql = RETORT_BUF_INIT;

	if (!out || !d)
		return retort__error_set(RETORT_ERROR_USAGE, "no buffer or no changeset");
	retort_diff_render(&sql, d);
	retort__buffer_put(out, sql.ptr, sql.size);
	retort_buf_dispose(&sql);
	return 0;
}

int retort_changeset_sql(retort_buffer *out, const retort_changeset *changeset)
{
	return render(out, changeset ? changeset->diff : NULL);
}

int retort_changeset_needs_foreign_keys_off(const retort_changeset *changeset)
{
	retort_buffer sql = RETORT_BUFFER_INIT;
	int needs;

	if (!changeset || render(&sql, changeset->diff) < 0)
		return 0;
	needs = sql.ptr && retort_schema_sql_needs_fk_off(sql.ptr);
	retort_buffer_dispose(&sql);
	return needs;
}

const retort_changeset *retort_changeset_reverse(const retort_changeset *changeset)
{
	return changeset ? changeset->reverse : NULL;
}

/* The public parts, which both directions have. */
static void free_public(retort_changeset *changeset)
{
	free(changeset->changes);
	free(changeset->edited);
	retort_strarray_dispose(&changeset->notes);
	retort_strarray_dispose(&changeset->heads);
	retort_vec_dispose(&changeset->owned, true);
	free(changeset);
}

void retort_changeset_free(retort_changeset *changeset)
{
	if (!changeset)
		return;
	/* the way back belongs to its changeset: freed with it, never alone */
	if (changeset->is_reverse)
		return;
	if (changeset->reverse)
		free_public(changeset->reverse);
	if (changeset->ag) {
		retort_autogen_free(changeset->ag);
	} else {
		retort_diff_free(changeset->diff);
		retort_diff_free(changeset->revert);
		retort_model_free(changeset->from);
		retort_model_free(changeset->to);
	}
	free_public(changeset);
}
