/*
 * cmd_edit.c - `retort edit REV`: open the revision's file in $VISUAL or
 * $EDITOR (else `editor`, else vi, as git does).  The editor variable may
 * carry arguments ("code --wait", "'/opt/my editor/ed'"): it is split into
 * words as a shell would split them (base/os.h) and run without a shell.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/os.h"
#include "graph_cli.h"

static int run_editor(const char *editor, const char *path)
{
	retort_vec argv = RETORT_VEC_INIT;
	char *what = retort__sprintf("editor '%s'", editor);
	int status = 0, rc = 0;

	if ((rc = retort__words_split(&argv, editor, what)) < 0) {
		rc = cli_fail(rc);
		goto done;
	}
	retort_vec_push(&argv, retort__strdup(path));
	fflush(stdout);
	if ((rc = retort__spawn(&status, &argv, NULL)) < 0) {
		retort__error_prefix("cannot start editor '%s'", editor);
		rc = cli_fail(RETORT_ERROR);
		goto done;
	}
	if (status != 0) {
		cli_error("editor '%s' failed on '%s'", editor, path);
		rc = CLI_EXIT_FAIL;
	}
done:
	retort_vec_dispose(&argv, true);
	free(what);
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
