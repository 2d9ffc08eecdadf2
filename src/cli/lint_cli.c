/*
 * lint_cli.c - a lint report as people and CI systems read it: coloured
 * text, JSON, GitHub workflow annotations and SARIF 2.1.0 (see
 * lint_cli.h).  What is reported, and its level, is the library's; this
 * file only chooses the words and the shapes.
 */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "lint_cli.h"

#define SARIF_SCHEMA "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"

static void summary(const retort_lint_report *r, char *out, size_t cap)
{
	snprintf(out, cap, "%zu error(s), %zu warning(s), %zu advice", r->errors, r->warnings, r->advice);
}

void lint_cli_print(const cli_global *g, const retort_lint_report *r, const char *scope)
{
	char counts[128];

	for (size_t i = 0; i < r->findings.len; i++) {
		const retort_lint_finding *f = r->findings.items[i];
		const char *color = f->level == RETORT_LINT_ERROR ? "\033[31m"
			: f->level == RETORT_LINT_WARNING ? "\033[33m" : "\033[36m";

		printf("%s%s%s: ", cli_color_on(g, color), retort_lint_level_name(f->level), cli_color_off(g));
		if (*f->path && f->line)
			printf("%s:%u: ", f->path, f->line);
		else if (*f->path)
			printf("%s: ", f->path);
		printf("%s%s %s%s: %s", cli_color_on(g, "\033[1m"), f->rule->code, f->rule->name,
			cli_color_off(g), f->message);
		if (f->lock != RETORT_LOCK_NONE)
			printf(" [%s lock%s%s: %s]", retort_lock_name(f->lock), f->table ? " on " : "",
				f->table ? f->table : "", retort_lock_blocks(f->lock));
		putchar('\n');
		/* Revision-level findings explain themselves; statement rules say why and what instead. */
		if (g->verbosity >= 0 && f->rule->dialects)
			printf("    why: %s\n    instead: %s\n", f->rule->why, f->rule->instead);
	}
	summary(r, counts, sizeof(counts));
	if (g->verbosity < 0)
		return;
	if (r->base_id)
		printf("lint: %zu new revision(s) since %s (%.12s): %s\n", r->new_revisions, r->base_name,
			r->base_id, counts);
	else
		printf("lint: %zu %s: %s\n", r->new_revisions, scope, counts);
}

static json_t *finding_json(const retort_lint_finding *f)
{
	json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s}",
		"level", retort_lint_level_name(f->level), "code", f->rule->code, "rule", f->rule->name,
		"path", f->path, "message", f->message);

	json_object_set_new(o, "line", f->line ? json_integer(f->line) : json_null());
	json_object_set_new(o, "revision", f->revision ? json_string(f->revision) : json_null());
	json_object_set_new(o, "lock", f->lock ? json_string(retort_lock_name(f->lock)) : json_null());
	json_object_set_new(o, "table", f->table ? json_string(f->table) : json_null());
	json_object_set_new(o, "estimated_rows", f->rows >= 0 ? json_real(f->rows) : json_null());
	json_object_set_new(o, "why", json_string(f->rule->why));
	json_object_set_new(o, "instead", json_string(f->rule->instead));
	return o;
}

json_t *lint_cli_json(const retort_lint_report *r)
{
	json_t *findings = json_array(), *base = json_null();

	for (size_t i = 0; i < r->findings.len; i++)
		json_array_append_new(findings, finding_json(r->findings.items[i]));
	if (r->base_id)
		base = json_pack("{s:s, s:s, s:I, s:I}", "name", r->base_name, "commit", r->base_id,
			"revisions", (json_int_t)r->base_revisions, "heads", (json_int_t)r->base_heads);
	return json_pack("{s:o, s:I, s:I, s:I, s:I, s:I, s:I, s:o}",
		"base", base,
		"revisions", (json_int_t)r->revisions, "new_revisions", (json_int_t)r->new_revisions,
		"heads", (json_int_t)r->heads, "errors", (json_int_t)r->errors,
		"warnings", (json_int_t)r->warnings, "advice", (json_int_t)r->advice, "findings", findings);
}

/* GitHub's escaping: %, CR and LF in data; also ':' and ',' in properties. */
static void gh_escaped(const char *s, bool property)
{
	for (; *s; s++) {
		if (*s == '%')
			fputs("%25", stdout);
		else if (*s == '\r')
			fputs("%0D", stdout);
		else if (*s == '\n')
			fputs("%0A", stdout);
		else if (property && *s == ':')
			fputs("%3A", stdout);
		else if (property && *s == ',')
			fputs("%2C", stdout);
		else
			putchar(*s);
	}
}

void lint_cli_github(const retort_lint_report *r)
{
	for (size_t i = 0; i < r->findings.len; i++) {
		const retort_lint_finding *f = r->findings.items[i];
		const char *cmd = f->level == RETORT_LINT_ERROR ? "error"
			: f->level == RETORT_LINT_WARNING ? "warning" : "notice";
		char title[96];

		printf("::%s ", cmd);
		if (*f->path) {
			fputs("file=", stdout);
			gh_escaped(f->path, true);
			if (f->line)
				printf(",line=%u", f->line);
			putchar(',');
		}
		snprintf(title, sizeof(title), "%s %s", f->rule->code, f->rule->name);
		fputs("title=", stdout);
		gh_escaped(title, true);
		fputs("::", stdout);
		gh_escaped(f->message, false);
		if (f->lock != RETORT_LOCK_NONE)
			printf(" (%s lock: %s)", retort_lock_name(f->lock), retort_lock_blocks(f->lock));
		if (f->rule->dialects) {
			fputs(". Instead: ", stdout);
			gh_escaped(f->rule->instead, false);
		}
		putchar('\n');
	}
}

static const char *sarif_level(retort_lint_level level)
{
	return level == RETORT_LINT_ERROR ? "error" : level == RETORT_LINT_WARNING ? "warning" : "note";
}

json_t *lint_cli_sarif(const retort_lint_report *r)
{
	json_t *rules = json_array(), *results = json_array(), *driver;
	size_t n;
	const retort_rule *all = retort_rules_all(&n);

	for (size_t i = 0; i < n; i++) {
		json_t *rule = json_pack("{s:s, s:s, s:{s:s}, s:{s:s}, s:{s:s}}",
			"id", all[i].code, "name", all[i].name,
			"shortDescription", "text", all[i].why,
			"help", "text", all[i].instead,
			"defaultConfiguration", "level", sarif_level(all[i].level));
		if (all[i].lock != RETORT_LOCK_NONE)
			json_object_set_new(rule, "properties", json_pack("{s:s}", "lock", retort_lock_name(all[i].lock)));
		json_array_append_new(rules, rule);
	}
	for (size_t i = 0; i < r->findings.len; i++) {
		const retort_lint_finding *f = r->findings.items[i];
		json_t *res = json_pack("{s:s, s:I, s:s, s:{s:s}}",
			"ruleId", f->rule->code, "ruleIndex", (json_int_t)(f->rule - all),
			"level", sarif_level(f->level), "message", "text", f->message);
		json_t *props = json_object();
		if (*f->path) {
			json_t *phys = json_pack("{s:{s:s}}", "artifactLocation", "uri", f->path);
			if (f->line)
				json_object_set_new(phys, "region", json_pack("{s:I}", "startLine", (json_int_t)f->line));
			json_object_set_new(res, "locations", json_pack("[{s:o}]", "physicalLocation", phys));
		}
		if (f->lock != RETORT_LOCK_NONE)
			json_object_set_new(props, "lock", json_string(retort_lock_name(f->lock)));
		if (f->table)
			json_object_set_new(props, "table", json_string(f->table));
		if (f->rows >= 0)
			json_object_set_new(props, "estimatedRows", json_real(f->rows));
		if (f->revision)
			json_object_set_new(props, "revision", json_string(f->revision));
		if (json_object_size(props))
			json_object_set_new(res, "properties", props);
		else
			json_decref(props);
		json_array_append_new(results, res);
	}
	driver = json_pack("{s:s, s:s, s:o}", "name", "retort", "version", RETORT_VERSION_STRING, "rules", rules);
	return json_pack("{s:s, s:s, s:[{s:{s:o}, s:o}]}", "$schema", SARIF_SCHEMA, "version", "2.1.0",
		"runs", "tool", "driver", driver, "results", results);
}
