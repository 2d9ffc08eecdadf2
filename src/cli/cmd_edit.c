/*
 * cmd_edit.c - `retort edit REV`: open the revision's file in $VISUAL or
 * $EDITOR (else `editor`, else vi, as git does).  The editor variable may
 * carry arguments ("code --wait"); it is split on whitespace and run with
 * execvp, never through a shell.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "graph_cli.h"

static int run_editor(const char *editor, const char *path)
{
	retort_vec argv = RETORT_VEC_INIT;
	char *copy = retort__strdup(editor), *save = NULL;
	int status = 0, rc = 0;
	pid_t pid;

	for (char *w = strtok_r(copy, " \t", &save); w; w = strtok_r(NULL, " \t", &save))
		retort_vec_push(&argv, w);
	retort_vec_push(&argv, (void *)path);
	retort_vec_push(&argv, NULL);
	fflush(stdout);
	if ((pid = fork()) < 0) {
		cli_error("cannot start editor '%s': %s", editor, strerror(errno));
		rc = CLI_EXIT_FAIL;
		goto done;
	}
	if (pid == 0) {
		execvp(argv.items[0], (char *const *)argv.items);
		fprintf(stderr, "retort: error: cannot run editor '%s': %s\n", editor, strerror(errno));
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		cli_error("editor '%s' failed on '%s'", editor, path);
		rc = CLI_EXIT_FAIL;
	}
done:
	retort_vec_dispose(&argv, false);
	free(copy);
	return rc;
}

/*
 * $VISUAL, then $EDITOR, then what git falls back to: `editor` (Debian's
 * alternative) when it is on PATH, else vi.
 */
static const char *pick_editor(void)
{
	const char *e = getenv("VISUAL");
	const char *path;

	if (!e || !*e)
		e = getenv("EDITOR");
	if (e && *e)
		return e;
	if ((path = getenv("PATH")) != NULL) {
		char *copy = retort__strdup(path), *save = NULL;
		bool found = false;
		for (char *d = strtok_r(copy, ":", &save); d && !found; d = strtok_r(NULL, ":", &save)) {
			char *p = retort__path_join(*d ? d : ".", "editor");
			found = access(p, X_OK) == 0;
			free(p);
		}
		free(copy);
		if (found)
			return "editor";
	}
	return "vi";
}

int cmd_edit(int argc, char **argv, cli_global *g)
{
	const cli_option opts[] = { CLI_OPT_END_MARKER };
	const cli_usage usage = { "edit", "[options] REV", "open a revision in $EDITOR",
		"REV is any identifier, or current (the database's revisions; each is opened\n"
		"in turn).  The editor is $VISUAL, else $EDITOR, else editor, else vi." };
	retort_vec args = RETORT_VEC_INIT, revs = RETORT_VEC_INIT;
	retort_config *cfg = NULL;
	retort_graph *graph = NULL;
	const char *editor = pick_editor();
	int rc;

	if ((rc = cli_begin(argc, argv, opts, &usage, g, &args, 1, 1)) != CLI_CONTINUE)
		goto done;
	if ((rc = graph_cli_open_revs(g, &cfg, &graph, &revs, args.items[0])) != 0)
		goto done;
	if (revs.len == 0) {
		cli_error("'%s' names no revision file%s", (const char *)args.items[0],
			strcmp(args.items[0], "current") == 0 ? ": the database is at base" : "");
		rc = CLI_EXIT_FAIL;
		goto done;
	}
	for (size_t i = 0; i < revs.len && rc == 0; i++)
		rc = run_editor(editor, ((retort_revision *)revs.items[i])->script->path);
done:
	retort_vec_dispose(&revs, false);
	retort_vec_dispose(&args, false);
	retort_graph_free(graph);
	retort_config_free(cfg);
	return rc;
}
