/*
 * scriptdir.c - find the revision files of every version location and
 * build the graph from them.
 *
 * A revision file is any "*.sql" or "*.c" file in a version location (and,
 * with recursive_version_locations, in its subdirectories); hidden files and
 * everything else (README, editor backups, templates) are ignored.  This
 * module only lists and reads; the graph checks consistency.
 */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "common.h"
#include "graph_int.h"

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool is_revision_file(const char *name)
{
	return name[0] != '.' && (retort__ends_with(name, ".sql") || retort__ends_with(name, ".c"));
}

static int scan_dir(retort_vec *scripts, const char *dir, bool recursive)
{
	retort_vec names = RETORT_VEC_INIT;
	struct dirent *de;
	DIR *d;
	int error = 0;

	if (!(d = opendir(dir)))
		return retort__error_os("cannot open version location '%s'", dir);
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		retort_vec_push(&names, retort__strdup(de->d_name));
	}
	closedir(d);
	/* Sorted so errors (e.g. which duplicate is "first") do not depend on readdir. */
	retort_vec_sort(&names, cmp_str);

	for (size_t i = 0; i < names.len && !error; i++) {
		const char *name = names.items[i];
		char *path = retort__path_join(dir, name);
		bool want = is_revision_file(name);
		bool is_dir = false;

		if (recursive || want) {
			struct stat st;
			if (stat(path, &st) == 0)
				is_dir = S_ISDIR(st.st_mode);
		}
		if (is_dir) {
			if (recursive)
				error = scan_dir(scripts, path, true);
		} else if (want) {
			retort_script *s = NULL;
			if ((error = retort_script_load(&s, path)) == 0)
				retort_vec_push(scripts, s);
		}
		free(path);
	}
	retort_vec_dispose(&names, true);
	return error;
}

int retort_graph_load(retort_graph **out, const retort_config *cfg)
{
	retort_vec scripts = RETORT_VEC_INIT;
	int error = 0;

	*out = NULL;
	for (size_t i = 0; i < cfg->version_locations.len && !error; i++) {
		const char *dir = cfg->version_locations.items[i];
		if (!retort__path_is_dir(dir))
			error = retort__error_code(RETORT_ENOTFOUND, RETORT_ERROR_CONFIG,
				"version location '%s' is not a directory", dir);
		else
			error = scan_dir(&scripts, dir, cfg->recursive_version_locations);
	}
	if (error < 0) {
		for (size_t i = 0; i < scripts.len; i++)
			retort_script_free(scripts.items[i]);
		retort_vec_dispose(&scripts, false);
		return error;
	}
	return retort_graph_build(out, &scripts);
}
