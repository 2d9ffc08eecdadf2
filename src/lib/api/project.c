/*
 * project.c - retort_project: a configuration (config/) behind a handle,
 * what every operation does first and last (the graph it reads, the
 * cancel flag it watches), and the log callback.  Opening reads and checks
 * retort.ini or the settings, nothing else: no script, no database.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api_int.h"
#include "dialect/url.h"

int retort__options_check(unsigned version, unsigned known, const char *what)
{
	if (version >= 1 && version <= known)
		return 0;
	return retort__error_set(RETORT_ERROR_USAGE,
		"%s version %u is not one this library knows (it knows 1 to %u): "
		"declare options with their _INIT macro", what, version, known);
}

int retort_project_options_init(retort_project_options *opts, unsigned version)
{
	static const retort_project_options defaults = RETORT_PROJECT_OPTIONS_INIT;
	int error;

	if ((error = retort__options_check(version, RETORT_PROJECT_OPTIONS_VERSION, "retort_project_options")) < 0)
		return error;
	*opts = defaults;
	return 0;
}

void retort__project_log(const retort_project *project, retort_log_level level, const char *fmt, ...)
{
	retort_buf msg = RETORT_BUF_INIT;
	va_list ap;

	if (!project->log_cb)
		return;
	va_start(ap, fmt);
	retort_buf_vprintf(&msg, fmt, ap);
	va_end(ap);
	project->log_cb(level, msg.ptr, project->log_payload);
	retort_buf_dispose(&msg);
}

/* Both ways of opening: the configuration from `copts`, the rest from `opts`. */
static int project_create(retort_project **out, retort_config_opts *copts, const retort_project_options *opts)
{
	static const retort_project_options no_opts = RETORT_PROJECT_OPTIONS_INIT;
	retort_project *p;
	retort_config *cfg = NULL;
	int error;

	if (!opts)
		opts = &no_opts;
	if ((error = retort__options_check(opts->version, RETORT_PROJECT_OPTIONS_VERSION,
			"retort_project_options")) < 0)
		return error;
	copts->url = opts->url;
	/* the command's own words for its --url; a program's option is its url */
	copts->url_name = opts->flags & RETORT_PROJECT_ENVIRONMENT ? "--url" : "url";
	copts->xargs = opts->xargs;
	copts->nxargs = opts->xargs_count;
	copts->settings = opts->settings;
	copts->nsettings = opts->settings_count;
	copts->no_environment = !(opts->flags & RETORT_PROJECT_ENVIRONMENT);
	if ((error = retort_config_load(&cfg, copts)) < 0)
		return error;
	p = retort__calloc(1, sizeof(*p));
	p->cfg = cfg;
	p->url_masked = cfg->url ? retort_url_masked(cfg->url) : NULL;
	p->log_cb = opts->log_cb;
	p->log_payload = opts->log_payload;
	*out = p;
	return 0;
}

int retort_project_open(retort_project **out, const char *ini_path, const retort_project_options *opts)
{
	retort_config_opts copts;

	if (!out)
		return retort__error_set(RETORT_ERROR_USAGE, "retort_project_open: out is NULL");
	*out = NULL;
	memset(&copts, 0, sizeof(copts));
	copts.path = ini_path;
	copts.section = opts ? opts->section : NULL;
	return project_create(out, &copts, opts);
}

int retort_project_new(retort_project **out, const char *script_location, const char *url,
	const retort_project_options *opts)
{
	retort_project_options o = RETORT_PROJECT_OPTIONS_INIT;
	retort_config_opts copts;
	retort_vec settings = RETORT_VEC_INIT;
	int error;

	if (!out)
		return retort__error_set(RETORT_ERROR_USAGE, "retort_project_new: out is NULL");
	*out = NULL;
	if (!script_location || !*script_location)
		return retort__error_set(RETORT_ERROR_USAGE, "retort_project_new: no script location");
	if (opts && (error = retort__options_check(opts->version, RETORT_PROJECT_OPTIONS_VERSION,
			"retort_project_options")) < 0)
		return error;
	if (opts)
		o = *opts;
	/* script_location first, so a setting can still name the version locations */
	retort_vec_push(&settings, retort__sprintf("script_location=%s", script_location));
	for (size_t i = 0; i < o.settings_count; i++)
		retort_vec_push(&settings, retort__strdup(o.settings[i]));
	o.settings = (const char *const *)settings.items;
	o.settings_count = settings.len;
	if (url)
		o.url = url;
	memset(&copts, 0, sizeof(copts));
	copts.no_file = true;
	error = project_create(out, &copts, &o);
	retort_vec_dispose(&settings, true);
	return error;
}

void retort_project_free(retort_project *project)
{
	if (!project)
		return;
	retort_graph_free(project->graph);
	retort_config_free(project->cfg);
	free(project->url_masked);
	free(project);
}

const char *retort_project_url(const retort_project *project)
{
	return project ? project->url_masked : NULL;
}

int retort_project_databases(retort_strarray *out, const retort_project *project)
{
	if (!out || !project)
		return retort__error_set(RETORT_ERROR_USAGE, "retort_project_databases: NULL argument");
	retort__strarray_from(out, &project->cfg->databases);
	return 0;
}

void retort_project_cancel(retort_project *project)
{
	if (project)
		__atomic_store_n(&project->cancel, 1, __ATOMIC_RELAXED);
}

/* Warn about what the graph leaves out: an Alembic project moved over keeps its .py revisions. */
static void log_ignored(const retort_project *project)
{
	const retort_vec *py = retort_graph_ignored(project->graph);

	for (size_t i = 0; i < py->len && i < 3; i++)
		retort__project_log(project, RETORT_LOG_WARNING,
			"Alembic revision ignored: %s (retort reads .sql and .c revisions)", (const char *)py->items[i]);
	if (py->len > 3)
		retort__project_log(project, RETORT_LOG_WARNING,
			"... and %zu more Alembic revision(s) ignored", py->len - 3);
}

int retort__project_load_graph(const retort_graph **out, retort_project *project, bool full)
{
	retort_graph *graph = NULL;
	int error;

	/*
	 * The header cache makes reading a big history cheap, but what a run
	 * plans from must come from the files themselves.
	 */
	if ((error = full ? retort_graph_load(&graph, project->cfg)
			: retort_graph_load_cached(&graph, project->cfg)) < 0)
		return error;
	retort_graph_free(project->graph);
	project->graph = graph;
	log_ignored(project);
	if (out)
		*out = graph;
	return 0;
}

int retort__project_begin(retort_project *project, bool graph, bool full)
{
	const retort_config *cfg;
	int error;

	if (!project)
		return retort__error_set(RETORT_ERROR_USAGE, "no project (NULL)");
	cfg = project->cfg;
	if (cfg->databases.len && !cfg->script_location) {
		retort_buf names = RETORT_BUF_INIT;
		for (size_t i = 0; i < cfg->databases.len; i++)
			retort_buf_printf(&names, "%s%s", i ? ", " : "", (const char *)cfg->databases.items[i]);
		error = retort__error_set(RETORT_ERROR_CONFIG,
			"%s: section [%s] stands for several databases (%s): open the project of one of them",
			cfg->path, cfg->section, names.ptr);
		retort_buf_dispose(&names);
		return error;
	}
	if (graph && (error = retort__project_load_graph(NULL, project, full)) < 0)
		return error;
	retort__cancel_watch(&project->cancel);
	return 0;
}

int retort__project_end(retort_project *project, int error)
{
	retort__cancel_watch(NULL);
	if (error == RETORT_ECANCELLED)
		__atomic_store_n(&project->cancel, 0, __ATOMIC_RELAXED);
	return error;
}

const retort_config *retort__project_config(const retort_project *project)
{
	return project->cfg;
}

const retort_graph *retort__project_graph(const retort_project *project)
{
	return project->graph;
}
