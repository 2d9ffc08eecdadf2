/*
 * cmd_revision.c - `retort revision -m MSG [...]`: write a new revision
 * file and print its path.
 *
 * The parent is the single head unless --head says otherwise (an id,
 * LABEL@head, or base for a new root); a parent that is not a head needs
 * --splice.  With --autogenerate the bodies are the SQL the schema engine
 * finds between the migrations at head and target_schema (autogen.h); when
 * it finds nothing, no file is written ("No changes detected", exit 0).
 * The file is rendered from the migrations directory's template (or the
 * built-in one) and named by file_template.
 */
#include <stdlib.h>
#include <string.h>

#include "autogen/autogen.h"
#include "graph_cli.h"
#include "graph/revision_new.h"

int cmd_revision(int argc, char **argv, cli_global *g)
{
	const char *message = NULL, *format = NULL, *rev_id = NULL, *version_path = NULL;
	retort_vec heads = RETORT_VEC_INIT, labels = RETORT_VEC_INIT, depends = RETORT_VEC_INIT;
	retort_vec renames = RETORT_VEC_INIT;
	bool splice = false, autogenerate = false, from_db = false;
	const cli_option opts[] = {
		{ CLI_OPT_STRING, 'm', "message", &message, "MSG", "what the revision does" },
		{ CLI_OPT_FLAG, 0, "autogenerate", &autogenerate, NULL,
		  "fill the revision with the SQL that takes the migrations at head to target_schema" },
		{ CLI_OPT_FLAG, 0, "from-db", &from_db, NULL, "with --autogenerate: compare the live database (at head)" },
		{ CLI_OPT_LIST, 0, "rename", &renames, "TABLE.OLD=NEW", "with --autogenerate: emit a column rename" },
		{ CLI_OPT_STRING, 0, "format", &format, "sql|c", "script format (default: default_format)" },
		{ CLI_OPT_LIST, 0, "head", &heads, "REV", "parent revision (default: the head; base: a new root)" },
		{ CLI_OPT_FLAG, 0, "splice", &splice, NULL, "allow a parent that is not a head (start a branch)" },
		{ CLI_OPT_LIST, 0, "branch-label", &labels, "LABEL", "label the new branch" },
		{ CLI_OPT_LIST, 0, "depends-on", &depends, "REV", "a revision or label this one depends on" },
		{ CLI_OPT_STRING, 0, "rev-id", &rev_id, "ID", "use this id instead of a random one" },
		{ CLI_OPT_STRING, 0, "version-path", &version_path, "DIR", "which version location to write to" },
		CLI_OPT_END_MARKER
	};
	const cli_usage usage = { "revision", "[options]", "create a new revision file",
		"Writes <version location>/<file_template>.sql (or .c) and prints its path." };
	retort_revision_opts ro;
	retort_autogen_opts aopts = { .renames = &renames };
	retort_autogen *ag = NULL;
	retort_buf up = RETORT_BUF_INIT, down = RETORT_BUF_INIT;
	retort_vec args = RETORT_VEC_INIT;
	retort_config *cfg = NULL;
	retort_graph *graph = NULL;
	int rc;

	if ((rc = cli_begin(argc, argv, opts, &usage, g, &args, 0, 0)) != CLI_CONTINUE)
		goto done;
	if ((rc = graph_cli_open(g, &cfg, &graph, GRAPH_CLI_ACT)) != 0)
		goto done;
	memset(&ro, 0, sizeof(ro));
	if (!format)
		format = cfg->default_format ? cfg->default_format : "sql";
	if (strcmp(format, "sql") && strcmp(format, "c")) {
		cli_error("--format must be sql or c, not '%s'", format);
		rc = CLI_EXIT_USAGE;
		goto done;
	}
	ro.format = strcmp(format, "c") ? RETORT_SCRIPT_SQL : RETORT_SCRIPT_C;
	if ((from_db || renames.len) && !autogenerate) {
		cli_error("--from-db and --rename only make sense with --autogenerate");
		rc = CLI_EXIT_USAGE;
		goto done;
	}
	if (autogenerate) {
		if (ro.format != RETORT_SCRIPT_SQL) {
			cli_error("--autogenerate writes SQL revisions; drop --format c");
			rc = CLI_EXIT_USAGE;
			goto done;
		}
		aopts.from_db = from_db;
		if ((rc = retort_autogen_target(&ag, cfg, graph, &aopts)) < 0) {
			rc = cli_fail(rc);
			goto done;
		}
		if (!ag->up->ops.len && !ag->down->ops.len) {
			/* An empty revision would only add noise to the history. */
			cli_info(g, "No changes detected: the migrations at head match target_schema; no revision written.\n");
			rc = CLI_EXIT_OK;
			goto done;
		}
		retort_diff_render(&up, ag->up);
		retort_diff_render(&down, ag->down);
		retort_buf_rtrim(&up);
		retort_buf_rtrim(&down);
		ro.upgrades = up.ptr;
		ro.downgrades = down.ptr;
		/*
		 * Bodies that rebuild or drop a SQLite table with foreign keys off
		 * ask the runner for that around their transaction.
		 */
		ro.foreign_keys_off = retort_schema_sql_needs_fk_off(up.ptr) ||
			retort_schema_sql_needs_fk_off(down.ptr);
	}
	ro.message = message;
	ro.rev_id = rev_id;
	ro.heads = (const char *const *)heads.items;
	ro.nheads = heads.len;
	ro.splice = splice;
	ro.branch_labels = (const char *const *)labels.items;
	ro.nbranch_labels = labels.len;
	ro.depends_on = (const char *const *)depends.items;
	ro.ndepends_on = depends.len;
	ro.version_path = version_path;
	rc = graph_cli_create(g, cfg, graph, &ro);
done:
	retort_autogen_free(ag);
	retort_buf_dispose(&up);
	retort_buf_dispose(&down);
	retort_vec_dispose(&renames, false);
	retort_vec_dispose(&heads, false);
	retort_vec_dispose(&labels, false);
	retort_vec_dispose(&depends, false);
	retort_vec_dispose(&args, false);
	retort_graph_free(graph);
	retort_config_free(cfg);
	return rc;
}
