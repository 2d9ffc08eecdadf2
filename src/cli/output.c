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
#include "base/common.h"
#include "dialect/url.h"

void cli_error(const char *fmt, ...)
{
	va_list ap;

	fputs("retort: error: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void cli_warning(const char *fmt, ...)
{
	va_list ap;

	fputs("retort: warning: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int cli_fail(int rc)
{
	const retort_error *e = retort_error_last();

	cli_error("%s", e ? e->message : "unknown error");
	if (e && (e->klass == RETORT_ERROR_CONFIG || e->klass == RETORT_ERROR_USAGE))
		return CLI_EXIT_USAGE;
	if (!e && rc == RETORT_EUSAGE)
		return CLI_EXIT_USAGE;
	return CLI_EXIT_FAIL;
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

int cli_load_config(cli_global *g, retort_config **out)
{
	retort_config_opts opts;
	int rc;

	memset(&opts, 0, sizeof(opts));
	opts.path = g->config_path;
	opts.section = g->section;
	opts.url = g->url;
	opts.xargs = (const char *const *)g->xargs.items;
	opts.nxargs = g->xargs.len;
	if ((rc = retort_config_load(out, &opts)) < 0)
		return cli_fail(rc);
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
