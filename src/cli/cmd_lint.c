/*
 * cmd_lint.c - `retort lint [--base REF | --all | FILE...]`: review
 * revisions the way CI should before a merge.  By default the revisions
 * added since a git base (and the history's own consistency); with --all
 * every revision, with FILE arguments those files, neither needing git.
 * Errors exit 1; warnings and advice alone exit 0.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "dialect/db.h"
#include "git/lint.h"
#include "lint_cli.h"

/* The configuration, or none when linting files without one (*cfg NULL, 0 returned). */
static int load_config(cli_global *g, retort_config **cfg, bool optional)
{
	retort_config_opts opts;
	int rc;

	cli_config_opts(&opts, g);
	if ((rc = retort_config_load(cfg, &opts)) == RETORT_ENOTFOUND && optional && !g->config_path)
		return 0;
	return rc < 0 ? cli_fail(rc) : 0;
}

static int open_db(retort_db **db, const retort_config *cfg, const cli_global *g)
{
	retort_url *url = NULL;
	int rc;

	if (cfg)
		rc = retort_url_from_config(&url, cfg);
	else if (g->url)
		rc = retort_url_parse(&url, g->url);
	else
		rc = retort__error_set(RETORT_ERROR_USAGE, "--db needs a database: --url URL or a retort.ini with a url");
	/* Only PostgreSQL's catalog has anything to say; opening a SQLite file could create it. */
	if (rc == 0 && url->dialect == RETORT_DIALECT_POSTGRES)
		rc = retort_db_open(db, url);
	retort_url_free(url);
	return rc;
}

static int parse_dialect(retort_dialect_id *out, const char *name)
{
	*out = 0;
	if (!name)
		return 0;
	if (!strcmp(name, "postgresql") || !strcmp(name, "postgres"))
		*out = RETORT_DIALECT_POSTGRES;
	else if (!strcmp(name, "sqlite"))
		*out = RETORT_DIALECT_SQLITE;
	else
		return -1;
	return 0;
}

/* --rules: the catalog, as the README's table has it. */
static int print_rules(const cli_global *g)
{
	size_t n;
	const retort_rule *all = retort_rules_all(&n);
	json_t *list = json_array();

	for (size_t i = 0; i < n; i++) {
		const retort_rule *r = &all[i];
		if (g->json) {
			json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:b}", "code", r->code, "name", r->name,
				"level", retort_lint_level_name(r->level), "why", r->why, "instead", r->instead,
				"size_matters", r->size_matters);
			json_object_set_new(o, "lock", r->lock ? json_string(retort_lock_name(r->lock)) : json_null());
			json_object_set_new(o, "dialects", json_pack("[]"));
			if (r->dialects & RETORT_RULE_PG)
				json_array_append_new(json_object_get(o, "dialects"), json_string("postgresql"));
			if (r->dialects & RETORT_RULE_SQLITE)
				json_array_append_new(json_object_get(o, "dialects"), json_string("sqlite"));
			json_array_append_new(list, o);
		} else {
			printf("%s %-28s %-7s %-22s %s\n      instead: %s\n", r->code, r->name, retort_lint_level_name(r->level),
				r->lock ? retort_lock_name(r->lock) : "-", r->why, r->instead);
		}
	}
	if (g->json)
		return cli_json_print(list);
	json_decref(list);
	return CLI_EXIT_OK;
}

int cmd_lint(int argc, char **argv, cli_global *g)
{
	const char *base = NULL, *format = NULL, *dialect_name = NULL;
	bool all = false, use_db = false, rules = false;
	const cli_option opts[] = {
		{ CLI_OPT_STRING, 0, "base", &base, "GITREF", "compare with this commit (default: the merge base with the upstream branch, main or master)" },
		{ CLI_OPT_FLAG, 0, "all", &all, NULL, "check every revision, without git" },
		{ CLI_OPT_STRING, 0, "format", &format, "FORMAT", "human (default), json, github or sarif" },
		{ CLI_OPT_FLAG, 0, "db", &use_db, NULL, "read table sizes and column types from the database (url, PostgreSQL); implied by --url" },
		{ CLI_OPT_STRING, 0, "dialect", &dialect_name, "NAME", "read FILEs as postgresql or sqlite (default: the url's, else postgresql)" },
		{ CLI_OPT_FLAG, 0, "rules", &rules, NULL, "list the rules: code, name, level, lock, why, instead" },
		CLI_OPT_END_MARKER,
	};
	const cli_usage usage = { "lint", "[--base GITREF | --all | FILE...] [--format FORMAT] [--db]",
		"review new revisions: git history checks and lock-aware statement rules",
		"Without --all or FILEs, reads the scripts at the git base and compares them\n"
		"with the working tree: a revision of the base edited or deleted, more heads\n"
		"than the base had (with the 'retort rebase' that joins them), an unknown\n"
		"parent, a base revision this branch forked before, another branch built\n"
		"inside a range a new squash replaces are errors; pruned revisions warn.\n"
		"The new revisions (every\n"
		"revision with --all; the FILEs given) are checked by the statement rules:\n"
		"locks, rewrites, scans, breaking changes (README: lint rules).  Errors exit\n"
		"1; warnings and advice alone exit 0.  retort.ini's lint_error, lint_ignore\n"
		"and lint_large_table tune the levels; `-- retort:nolint CODE` silences one\n"
		"statement." };
	retort_vec args = RETORT_VEC_INIT;
	retort_config *cfg = NULL;
	retort_lint_report *report = NULL;
	retort_db *db = NULL;
	retort_dialect_id dialect;
	const char *scope = "revision(s)";
	int rc;

	if ((rc = cli_begin(argc, argv, opts, &usage, g, &args, 0, (size_t)-1)) != CLI_CONTINUE)
		goto done;
	if (rules) {
		rc = print_rules(g);
		goto done;
	}
	if (!format)
		format = g->json ? "json" : "human";
	if (strcmp(format, "human") && strcmp(format, "json") && strcmp(format, "github") && strcmp(format, "sarif")) {
		cli_error("--format must be human, json, github or sarif, not '%s'", format);
		rc = CLI_EXIT_USAGE;
		goto done;
	}
	if (parse_dialect(&dialect, dialect_name) < 0) {
		cli_error("--dialect must be postgresql or sqlite, not '%s'", dialect_name);
		rc = CLI_EXIT_USAGE;
		goto done;
	}
	if ((all || args.len) && base) {
		cli_error("--base compares with git; it cannot be combined with --all or FILEs");
		rc = CLI_EXIT_USAGE;
		goto done;
	}
	if (all && args.len) {
		cli_error("--all and FILEs cannot be combined");
		rc = CLI_EXIT_USAGE;
		goto done;
	}
	if ((rc = load_config(g, &cfg, args.len > 0)) != 0)
		goto done;
	if ((use_db || g->url) && (rc = open_db(&db, cfg, g)) < 0) {
		rc = cli_fail(rc);
		goto done;
	}
	if (args.len) {
		scope = "file(s)";
		rc = retort_lint_files(&report, cfg, dialect, (const char *const *)args.items, args.len, db);
	} else if (all) {
		rc = retort_lint_all(&report, cfg, db);
	} else {
		rc = retort_lint_run(&report, cfg, base, db);
	}
	if (rc < 0) {
		rc = cli_fail(rc);
		goto done;
	}
	if (!report->base_id) {
		char cwd[4096];
		if (getcwd(cwd, sizeof(cwd)))
			retort_lint_report_relativize(report, cwd);
	}
	if (!strcmp(format, "json"))
		cli_json_print(lint_cli_json(report));
	else if (!strcmp(format, "sarif"))
		cli_json_print(lint_cli_sarif(report));
	else if (!strcmp(format, "github"))
		lint_cli_github(report);
	else
		lint_cli_print(g, report, scope);
	rc = report->errors ? CLI_EXIT_FAIL : CLI_EXIT_OK;
done:
	retort_lint_report_free(report);
	retort_db_free(db);
	retort_config_free(cfg);
	retort_vec_dispose(&args, false);
	return rc;
}
