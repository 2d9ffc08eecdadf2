/*
 * cmd_init.c - `retort init DIR [-t TEMPLATE]`: write retort.ini and a
 * migrations directory from one of the templates built into retort.
 *
 * DIR must not exist or be empty: init never overwrites a history.  An
 * existing retort.ini is left alone (with a note), as Alembic does, so init
 * can add a second migrations directory beside an existing project.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <unistd.h>

#include "base/buf.h"
#include "cli.h"
#include "base/common.h"

static bool dir_is_empty(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *e;
	bool empty = true;

	if (!d)
		return false;
	while ((e = readdir(d)) != NULL)
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) {
			empty = false;
			break;
		}
	closedir(d);
	return empty;
}

static bool template_exists(const char *name)
{
	for (const cli_template_file *t = cli_template_files; t->template_name; t++)
		if (strcmp(t->template_name, name) == 0)
			return true;
	return false;
}

/* Whether a template's files live in subdirectories of DIR (one history per database). */
static bool nested(const char *name)
{
	for (const cli_template_file *t = cli_template_files; t->template_name; t++)
		if (strcmp(t->template_name, name) == 0 && strchr(t->file_name, '/'))
			return true;
	return false;
}

/* Replace `${script_location}` only: the rest of ${...} is for the config loader. */
static char *render_ini(const char *tmpl, const char *script_location)
{
	retort_buf out = RETORT_BUF_INIT;
	const char *key = "${script_location}", *p = tmpl, *hit;

	while ((hit = strstr(p, key)) != NULL) {
		retort_buf_put(&out, p, (size_t)(hit - p));
		retort_buf_puts(&out, script_location);
		p = hit + strlen(key);
	}
	retort_buf_puts(&out, p);
	return retort_buf_detach(&out);
}

static int write_file(const cli_global *g, const char *path, const char *content)
{
	int rc;

	cli_info(g, "  creating %s\n", path);
	if ((rc = retort__file_write(path, content, strlen(content))) < 0)
		return cli_fail(rc);
	return 0;
}

/* script_location as the ini file should say it: relative when the ini sits in the cwd. */
static char *script_location_for(const char *ini_path, const char *dir)
{
	char *ini_dir = retort__path_dirname(ini_path);
	char cwd[PATH_MAX], abs_dir[PATH_MAX];
	char *result;

	if (dir[0] == '/' || strcmp(ini_dir, ".") == 0) {
		free(ini_dir);
		return retort__strdup(dir);
	}
	free(ini_dir);
	if (!getcwd(cwd, sizeof(cwd)) || !realpath(dir, abs_dir))
		return retort__strdup(dir);
	result = retort__strdup(abs_dir);
	return result;
}

int cmd_init(int argc, char **argv, cli_global *g)
{
	const char *template_name = "generic";
	const cli_option opts[] = {
		{ CLI_OPT_STRING, 't', "template", &template_name, "TEMPLATE", "template to use (see list-templates; default generic)" },
		CLI_OPT_END_MARKER,
	};
	const cli_usage usage = { "init", "[-t TEMPLATE] DIR",
		"write retort.ini and a migrations directory",
		"DIR must not exist or must be empty.  retort.ini is written to the current\n"
		"directory (or to -c FILE) unless it already exists." };
	retort_vec args = RETORT_VEC_INIT;
	const char *dir, *ini_path;
	char *versions = NULL, *location = NULL, *ini = NULL;
	int rc;

	if ((rc = cli_begin(argc, argv, opts, &usage, g, &args, 1, 1)) != CLI_CONTINUE)
		goto done;
	dir = args.items[0];
	if (!template_exists(template_name)) {
		cli_error("no template '%s' (see 'retort list-templates')", template_name);
		rc = CLI_EXIT_USAGE;
		goto done;
	}
	if (retort__path_exists(dir) && !(retort__path_is_dir(dir) && dir_is_empty(dir))) {
		cli_error("directory '%s' already exists and is not empty", dir);
		rc = CLI_EXIT_FAIL;
		goto done;
	}
	ini_path = g->config_path ? g->config_path : "retort.ini";

	cli_info(g, "Creating directory %s\n", dir);
	/* one history: DIR/versions; a template with subdirectories (multidb) brings its own */
	versions = retort__path_join(dir, nested(template_name) ? "" : "versions");
	if ((rc = retort__mkdir_p(versions, 0777)) < 0) {
		rc = cli_fail(rc);
		goto done;
	}
	for (const cli_template_file *t = cli_template_files; t->template_name; t++) {
		char *path, *parent;
		if (strcmp(t->template_name, template_name) != 0 || strcmp(t->file_name, "retort.ini") == 0)
			continue;
		path = retort__path_join(dir, t->file_name);
		parent = retort__path_dirname(path);
		if ((rc = retort__mkdir_p(parent, 0777)) < 0)
			rc = cli_fail(rc);
		else
			rc = write_file(g, path, t->content);
		free(parent);
		free(path);
		if (rc)
			goto done;
	}
	if (retort__path_exists(ini_path)) {
		cli_info(g, "  %s already exists, left as it is: point its script_location at %s\n", ini_path, dir);
	} else {
		location = script_location_for(ini_path, dir);
		ini = render_ini(cli_template_get(template_name, "retort.ini"), location);
		if ((rc = write_file(g, ini_path, ini)) != 0)
			goto done;
	}
	cli_info(g, "Done: edit the url in %s, then 'retort revision -m \"first\"'.\n", ini_path);
	rc = 0;
done:
	free(versions);
	free(location);
	free(ini);
	retort_vec_dispose(&args, false);
	return rc;
}
