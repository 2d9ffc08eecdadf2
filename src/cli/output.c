/*
 * output.c - how commands talk to the user: diagnostics on stderr, the
 * exit status for a library error, colors, JSON, configuration loading,
 * and lookups into the templates compiled into the binary.
 */
#include <jansson.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "api/api_int.h"
#include "base/buf.h"
#include "base/common.h"
#include "dialect/url.h"

/* Colors on stderr: set once the options are read (cli_color_resolved). */
static bool stderr_color;

void cli_color_resolved(bool on_stderr)
{
	stderr_color = on_stderr;
}

void cli_error(const char *fmt, ...)
{
	va_list ap;

	fputs(stderr_color ? "retort: " CLI_COLOR_ERROR "error:\033[0m " : "retort: error: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void cli_warning(const char *fmt, ...)
{
	va_list ap;

	fputs(stderr_color ? "retort: " CLI_COLOR_WARNING "warning:\033[0m " : "retort: warning: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/*
 * The one mapping from what went wrong to the exit status, so the same
 * failure exits the same way from every command: 2 when nothing could
 * start (usage, configuration, a database that cannot be reached, an
 * input retort refuses to work from), 1 for a failure while working.
 */
int cli_exit_status(int rc)
{
	const retort_error *e = retort_error_last();

	if (!e)
		return rc == RETORT_EUSAGE ? CLI_EXIT_USAGE : CLI_EXIT_FAIL;
	switch (e->klass) {
	case RETORT_ERROR_CONFIG:
	case RETORT_ERROR_USAGE:
	case RETORT_ERROR_CONNECT:
	case RETORT_ERROR_REFUSED:
		return CLI_EXIT_USAGE;
	default:
		return CLI_EXIT_FAIL;
	}
}

int cli_fail(int rc)
{
	const retort_error *e = retort_error_last();

	cli_error("%s", e ? e->message : "unknown error");
	return cli_exit_status(rc);
}

void cli_info(const cli_global *g, const char *fmt, ...)
{
	va_list ap;

	if (g->verbosity < 0)
		return;
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
}

const char *cli_color_on(const cli_global *g, const char *ansi)
{
	return g->color ? ansi : "";
}

const char *cli_color_off(const cli_global *g)
{
	return g->color ? "\033[0m" : "";
}

void cli_config_opts(retort_config_opts *opts, const cli_global *g)
{
	memset(opts, 0, sizeof(*opts));
	opts->path = g->config_path;
	opts->section = g->section;
	opts->url = g->url;
	opts->xargs = (const char *const *)g->xargs.items;
	opts->nxargs = g->xargs.len;
}

int cli_load_config(cli_global *g, retort_config **out)
{
	retort_config_opts opts;
	int rc;

	cli_config_opts(&opts, g);
	if ((rc = retort_config_load(out, &opts)) < 0)
		return cli_fail(rc);
	if ((*out)->databases.len && !(*out)->script_location) {
		retort_buf names = RETORT_BUF_INIT;
		for (size_t i = 0; i < (*out)->databases.len; i++)
			retort_buf_printf(&names, "%s%s", i ? ", " : "", (const char *)(*out)->databases.items[i]);
		cli_error("%s: section [%s] stands for several databases (%s): name one with -n NAME "
			"(upgrade, downgrade, stamp and current go through all of them)",
			(*out)->path, (*out)->section, names.ptr);
		retort_buf_dispose(&names);
		retort_config_free(*out);
		*out = NULL;
		return CLI_EXIT_USAGE;
	}
	if ((*out)->url) {
		/* Refuse a malformed URL now, naming where it came from, not at first use. */
		retort_url *url = NULL;
		if ((rc = retort_url_from_config(&url, *out)) < 0) {
			retort_config_free(*out);
			*out = NULL;
			return cli_fail(rc);
		}
		retort_url_free(url);
	}
	return 0;
}

/* The library's log, as the command's stderr. */
static void cli_log(retort_log_level level, const char *message, void *payload)
{
	(void)payload;
	if (level == RETORT_LOG_WARNING)
		cli_warning("%s", message);
	else
		fprintf(stderr, "retort: %s\n", message);
}

/* The project options this invocation's global options say. */
static void project_options(retort_project_options *o, const cli_global *g)
{
	retort_project_options_init(o, RETORT_PROJECT_OPTIONS_VERSION);
	o->flags = RETORT_PROJECT_ENVIRONMENT;
	o->section = g->section;
	o->url = g->url;
	o->xargs = (const char *const *)g->xargs.items;
	o->xargs_count = g->xargs.len;
	o->log_cb = cli_log;
}

int cli_project_open(cli_global *g, retort_project **out)
{
	retort_project_options o;
	retort_strarray dbs = RETORT_STRARRAY_INIT;
	int rc;

	project_options(&o, g);
	if ((rc = retort_project_open(out, g->config_path, &o)) < 0)
		return cli_fail(rc);
	retort_project_databases(&dbs, *out);
	if (dbs.count) {
		const retort_config *cfg = retort__project_config(*out);
		/* a section that only lists databases has no scripts of its own */
		if (!cfg->script_location) {
			retort_buf names = RETORT_BUF_INIT;
			for (size_t i = 0; i < dbs.count; i++)
				retort_buf_printf(&names, "%s%s", i ? ", " : "", dbs.strings[i]);
			cli_error("%s: section [%s] stands for several databases (%s): name one with -n NAME "
				"(upgrade, downgrade, stamp and current go through all of them)",
				cfg->path, cfg->section, names.ptr);
			retort_buf_dispose(&names);
			retort_project_free(*out);
			*out = NULL;
			rc = CLI_EXIT_USAGE;
		}
	}
	retort_strarray_dispose(&dbs);
	return rc;
}

int cli_for_each_database(cli_global *g, cli_database_fn fn, void *ctx, bool stop_on_failure)
{
	retort_project_options o;
	retort_project *project = NULL;
	retort_strarray dbs = RETORT_STRARRAY_INIT;
	const retort_config *cfg;
	const char *saved = g->section;
	int worst = 0;

	project_options(&o, g);
	o.url = NULL;
	o.xargs = NULL;
	o.xargs_count = 0;
	/* a broken or missing config: the command says so itself, the usual way */
	if (retort_project_open(&project, g->config_path, &o) < 0 ||
	    retort_project_databases(&dbs, project) < 0 || !dbs.count ||
	    ((cfg = retort__project_config(project)) && cfg->script_location)) {
		retort_error_clear();
		retort_strarray_dispose(&dbs);
		retort_project_free(project);
		return fn(g, ctx);
	}
	for (size_t i = 0; i < dbs.count; i++) {
		g->section = dbs.strings[i];
		if (!g->json && g->verbosity >= 0)
			printf("%s%s[%s]%s\n", i ? "\n" : "", cli_color_on(g, CLI_COLOR_HEADING),
				g->section, cli_color_off(g));
		fflush(stdout);
		int rc = fn(g, ctx);
		if (rc > worst)
			worst = rc;
		if (rc && stop_on_failure)
			break;
	}
	g->section = saved;
	retort_strarray_dispose(&dbs);
	retort_project_free(project);
	return worst;
}

int cli_json_print(json_t *value)
{
	int rc;

	if (!value)
		return CLI_EXIT_FAIL;
	rc = json_dumpf(value, stdout, JSON_INDENT(2) | JSON_ENSURE_ASCII);
	json_decref(value);
	fputc('\n', stdout);
	return rc == 0 ? 0 : CLI_EXIT_FAIL;
}

const char *cli_template_get(const char *template_name, const char *file_name)
{
	for (const cli_template_file *t = cli_template_files; t->template_name; t++)
		if (strcmp(t->template_name, template_name) == 0 && strcmp(t->file_name, file_name) == 0)
			return t->content;
	return NULL;
}

char *cli_template_description(const char *template_name)
{
	const char *readme = cli_template_get(template_name, "README");

	if (!readme)
		return retort__strdup("");
	return retort__strndup(readme, strcspn(readme, "\n"));
}
