/*
 * test_rules.c - the statement rules on real parse trees (libpg_query for
 * PostgreSQL, sql.h's lexer for SQLite): for each rule a statement that
 * trips it (with its lock and line), one that does not, and the same
 * tripping statement silenced by `-- retort:nolint`; then the locks of
 * statements that trip nothing, binary-compatible type changes, where a
 * nolint comment counts, and retort.ini's lint_error / lint_ignore.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/common.h"
#include "config/config.h"
#include "harness/suites.h"
#include "rules/rules.h"

#define PG RETORT_DIALECT_POSTGRES
#define LITE RETORT_DIALECT_SQLITE

/* Check `sql` (line 1 on) after learning `prev` as an earlier revision. */
static retort_rules_result *check_with(retort_rules *r, const char *prev, const char *sql, bool tx)
{
	retort_rules_result *res = NULL;
	int rc;

	if (prev)
		ck_assert_int_eq(retort_rules_check(NULL, r, prev, 1, true), 0);
	rc = retort_rules_check(&res, r, sql, 1, tx);
	ck_assert_msg(rc == 0, "check '%s': %s", sql, rc ? retort_error_last()->message : "");
	return res;
}

static retort_rules_result *check(retort_dialect_id d, const char *prev, const char *sql, bool tx)
{
	retort_rules *r = NULL;
	retort_rules_result *res;

	ck_assert_int_eq(retort_rules_new(&r, d, NULL, NULL), 0);
	res = check_with(r, prev, sql, tx);
	retort_rules_free(r);
	return res;
}

static const retort_rules_finding *find(const retort_rules_result *res, const char *code)
{
	for (size_t i = 0; i < res->nfindings; i++)
		if (!strcmp(res->findings[i].rule->code, code))
			return &res->findings[i];
	return NULL;
}

static unsigned last_line(const char *sql)
{
	unsigned n = 1;

	for (const char *p = sql; *p && p[1]; p++)
		n += *p == '\n';
	return n;
}

typedef struct rule_case {
	const char *code;
	retort_dialect_id dialect;
	bool tx;                  /* the revision's Transactional header */
	const char *prev;         /* an earlier revision: what exists */
	const char *pos;          /* trips the rule on its last line */
	retort_lock lock;         /* what the finding says is locked */
	const char *neg;          /* does not */
	const char *nolint;       /* pos, silenced */
} rule_case;

#define T "CREATE TABLE t (a int, v varchar(10), n numeric(10,2));\n" \
	"CREATE TABLE p (id int PRIMARY KEY);\nCREATE INDEX t_a_idx ON t (a);"

static const rule_case cases[] = {
	{ "R008", PG, true, NULL, "SELECT 1;\nSELECT * FROM;", RETORT_LOCK_NONE,
	  "SELECT 1;\nSELECT * FROM t;", "SELECT 1;\nSELECT * FROM; -- retort:nolint R008" },
	{ "R009", PG, true, NULL, "SELECT 1; -- retort:nolint R999", RETORT_LOCK_NONE,
	  "SELECT 1; -- retort:nolint R101", "SELECT 1; -- retort:nolint R009, R999" },
	{ "R101", PG, true, T, "SELECT 1;\nCREATE INDEX t_v ON t (v);", RETORT_LOCK_SHARE,
	  "CREATE TABLE u (a int);\nCREATE INDEX u_a ON u (a);",
	  "SELECT 1;\nCREATE INDEX t_v ON t (v); -- retort:nolint R101" },
	{ "R101", PG, true, T, "REINDEX TABLE t;", RETORT_LOCK_SHARE,
	  "REINDEX TABLE CONCURRENTLY t;", "REINDEX TABLE t; -- retort:nolint index-not-concurrent" },
	{ "R102", PG, true, T, "DROP INDEX t_a_idx;", RETORT_LOCK_ACCESS_EXCLUSIVE,
	  "CREATE INDEX t_v ON t (v) WHERE false; -- retort:nolint R101\nDROP INDEX t_v;",
	  "-- retort:nolint R102\nDROP INDEX t_a_idx;" },
	{ "R103", PG, true, T, "CREATE INDEX CONCURRENTLY t_v ON t (v);", RETORT_LOCK_SHARE_UPDATE_EXCLUSIVE,
	  "SELECT 1;", "CREATE INDEX CONCURRENTLY t_v ON t (v); /* retort:nolint R103 */" },
	{ "R103", PG, true, T, "VACUUM t;", RETORT_LOCK_NONE, "ANALYZE t;", "VACUUM t; -- retort:nolint R103" },
	{ "R104", PG, true, T, "ALTER TABLE t ADD COLUMN at timestamptz DEFAULT clock_timestamp();",
	  RETORT_LOCK_ACCESS_EXCLUSIVE, "ALTER TABLE t ADD COLUMN at timestamptz DEFAULT now();",
	  "ALTER TABLE t ADD COLUMN at timestamptz DEFAULT clock_timestamp(); -- retort:nolint R104" },
	{ "R104", PG, true, T, "ALTER TABLE t ADD COLUMN seq bigserial;", RETORT_LOCK_ACCESS_EXCLUSIVE,
	  "ALTER TABLE t ADD COLUMN seq bigint DEFAULT 0;", "ALTER TABLE t ADD COLUMN seq bigserial; -- retort:nolint R104" },
	{ "R105", PG, true, T, "ALTER TABLE t ADD COLUMN b int NOT NULL;", RETORT_LOCK_ACCESS_EXCLUSIVE,
	  "ALTER TABLE t ADD COLUMN b int NOT NULL DEFAULT 0;", "ALTER TABLE t ADD COLUMN b int NOT NULL; -- retort:nolint R105" },
	{ "R106", PG, true, T, "ALTER TABLE t ALTER COLUMN a SET NOT NULL;", RETORT_LOCK_ACCESS_EXCLUSIVE,
	  "ALTER TABLE t ADD CONSTRAINT a_nn CHECK (a IS NOT NULL) NOT VALID;\n"
	  "ALTER TABLE t VALIDATE CONSTRAINT a_nn;\nALTER TABLE t ALTER COLUMN a SET NOT NULL;",
	  "ALTER TABLE t ALTER COLUMN a SET NOT NULL; -- retort:nolint set-not-null" },
	{ "R107", PG, true, T, "ALTER TABLE t ADD CONSTRAINT t_fk FOREIGN KEY (a) REFERENCES p (id);",
	  RETORT_LOCK_SHARE_ROW_EXCLUSIVE, "ALTER TABLE t ADD CONSTRAINT t_fk FOREIGN KEY (a) REFERENCES p (id) NOT VALID;",
	  "ALTER TABLE t ADD CONSTRAINT t_fk FOREIGN KEY (a) REFERENCES p (id); -- retort:nolint R107" },
	{ "R108", PG, true, T, "ALTER TABLE t ADD CONSTRAINT a_pos CHECK (a > 0);", RETORT_LOCK_ACCESS_EXCLUSIVE,
	  "ALTER TABLE t ADD CONSTRAINT a_pos CHECK (a > 0) NOT VALID;",
	  "ALTER TABLE t ADD CONSTRAINT a_pos CHECK (a > 0); -- retort:nolint R108" },
	{ "R109", PG, true, T, "ALTER TABLE t ALTER COLUMN a TYPE bigint;", RETORT_LOCK_ACCESS_EXCLUSIVE,
	  "ALTER TABLE t ALTER COLUMN v TYPE varchar(20);", "ALTER TABLE t ALTER COLUMN a TYPE bigint; -- retort:nolint R109" },
	{ "R110", PG, true, T, "ALTER TABLE t DROP COLUMN v;", RETORT_LOCK_ACCESS_EXCLUSIVE,
	  "CREATE TABLE u (a int, b int);\nALTER TABLE u DROP COLUMN b;", "ALTER TABLE t DROP COLUMN v; -- retort:nolint R110" },
	{ "R111", PG, true, T, "DROP TABLE t;", RETORT_LOCK_ACCESS_EXCLUSIVE,
	  "CREATE TABLE u (a int);\nDROP TABLE u;", "DROP TABLE t; -- retort:nolint drop-table" },
	{ "R111", PG, true, T, "DROP SCHEMA app CASCADE;", RETORT_LOCK_ACCESS_EXCLUSIVE,
	  "DROP VIEW app_v;", "DROP SCHEMA app CASCADE; -- retort:nolint R111" },
	{ "R112", PG, true, T, "ALTER TABLE t RENAME COLUMN v TO w;", RETORT_LOCK_ACCESS_EXCLUSIVE,
	  "CREATE TABLE u (a int);\nALTER TABLE u RENAME COLUMN a TO b;", "ALTER TABLE t RENAME COLUMN v TO w; -- retort:nolint R112" },
	{ "R113", PG, true, T, "ALTER TABLE t RENAME TO t2;", RETORT_LOCK_ACCESS_EXCLUSIVE,
	  "CREATE TABLE u (a int);\nALTER TABLE u RENAME TO u2;", "ALTER TABLE t RENAME TO t2; -- retort:nolint R113" },
	{ "R114", PG, true, T, "ALTER TABLE t ADD CONSTRAINT t_a_key UNIQUE (a);", RETORT_LOCK_ACCESS_EXCLUSIVE,
	  "ALTER TABLE t ADD CONSTRAINT t_a_key UNIQUE USING INDEX t_a_idx;",
	  "ALTER TABLE t ADD CONSTRAINT t_a_key UNIQUE (a); -- retort:nolint R114" },
	{ "R115", PG, true, NULL, "CREATE TABLE u (id serial PRIMARY KEY);", RETORT_LOCK_NONE,
	  "CREATE TABLE u (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY);",
	  "CREATE TABLE u (id serial PRIMARY KEY); -- retort:nolint R115" },
	{ "R115", PG, true, NULL, "CREATE TABLE u (id int, PRIMARY KEY (id));", RETORT_LOCK_NONE,
	  "CREATE TABLE u (id int8, PRIMARY KEY (id));", "CREATE TABLE u (id int, PRIMARY KEY (id)); -- retort:nolint R115" },
	{ "R116", PG, true, NULL, "CREATE TABLE u (at timestamp);", RETORT_LOCK_NONE,
	  "CREATE TABLE u (at timestamptz);", "CREATE TABLE u (at timestamp); -- retort:nolint R116" },
	{ "R117", PG, true, NULL, "CREATE TABLE u (c char(2));", RETORT_LOCK_NONE,
	  "CREATE TABLE u (c varchar(2));", "CREATE TABLE u (c char(2)); -- retort:nolint R117" },
	{ "R118", PG, true, NULL, "SELECT 1;\nCOMMIT;", RETORT_LOCK_NONE,
	  "SAVEPOINT s;\nRELEASE SAVEPOINT s;", "SELECT 1;\nCOMMIT; -- retort:nolint R118" },
	{ "R119", PG, true, T, "ALTER TABLE t ADD COLUMN b int;\nUPDATE t SET b = 0;", RETORT_LOCK_ROW_EXCLUSIVE,
	  "ALTER TABLE t ADD COLUMN b int;\nUPDATE t SET b = 0 WHERE a < 100;",
	  "ALTER TABLE t ADD COLUMN b int;\nUPDATE t SET b = 0; -- retort:nolint R119" },
	{ "R119", PG, true, T, "CREATE INDEX CONCURRENTLY x ON t (a);\nDELETE FROM t;", RETORT_LOCK_ROW_EXCLUSIVE,
	  "DELETE FROM t;", "CREATE INDEX CONCURRENTLY x ON t (a);\nDELETE FROM t; -- retort:nolint R119" },
	{ "R120", PG, true, T, "TRUNCATE t;", RETORT_LOCK_ACCESS_EXCLUSIVE,
	  "CREATE TABLE u (a int);\nTRUNCATE u;", "TRUNCATE t; -- retort:nolint R120" },
	{ "R121", PG, true, T, "ALTER TABLE t SET TABLESPACE fast;", RETORT_LOCK_ACCESS_EXCLUSIVE,
	  "ALTER TABLE t SET (fillfactor = 70);", "ALTER TABLE t SET TABLESPACE fast; -- retort:nolint R121" },
	{ "R121", PG, false, T, "VACUUM FULL t;", RETORT_LOCK_ACCESS_EXCLUSIVE,
	  "VACUUM t;", "VACUUM FULL t; -- retort:nolint R121" },

	{ "R103", LITE, true, "CREATE TABLE t (a);", "VACUUM;", RETORT_LOCK_SQLITE_WRITE,
	  "ANALYZE;", "VACUUM; -- retort:nolint R103" },
	{ "R103", LITE, true, "CREATE TABLE t (a);", "PRAGMA main.foreign_keys = off;", RETORT_LOCK_NONE,
	  "PRAGMA user_version = 3;", "PRAGMA main.foreign_keys = off; -- retort:nolint R103" },
	{ "R110", LITE, true, "CREATE TABLE t (a, b);", "ALTER TABLE t DROP COLUMN b;", RETORT_LOCK_SQLITE_WRITE,
	  "CREATE TABLE u (a, b);\nALTER TABLE u DROP COLUMN b;", "ALTER TABLE t DROP COLUMN b; -- retort:nolint R110" },
	{ "R111", LITE, true, "CREATE TABLE t (a, b);", "DROP TABLE IF EXISTS \"t\";", RETORT_LOCK_SQLITE_WRITE,
	  "CREATE TABLE u (a);\nDROP TABLE u;", "DROP TABLE IF EXISTS \"t\"; -- retort:nolint R111" },
	{ "R112", LITE, true, "CREATE TABLE t (a, b);", "ALTER TABLE t RENAME COLUMN a TO c;", RETORT_LOCK_SQLITE_WRITE,
	  "ALTER TABLE t ADD COLUMN c;", "ALTER TABLE t RENAME COLUMN a TO c; -- retort:nolint R112" },
	{ "R113", LITE, true, "CREATE TABLE t (a, b);", "ALTER TABLE [t] RENAME TO t2;", RETORT_LOCK_SQLITE_WRITE,
	  "CREATE TABLE u (a);\nALTER TABLE u RENAME TO u2;", "ALTER TABLE [t] RENAME TO t2; -- retort:nolint R113" },
	{ "R118", LITE, true, NULL, "SELECT 1;\nEND;", RETORT_LOCK_NONE,
	  "SAVEPOINT s;\nRELEASE s;", "SELECT 1;\nEND; -- retort:nolint R118" },
	{ "R119", LITE, true, "CREATE TABLE t (a, b);", "CREATE INDEX ti ON t (a);\nDELETE FROM t;", RETORT_LOCK_SQLITE_WRITE,
	  "CREATE INDEX ti ON t (a);\nDELETE FROM t WHERE a IN (SELECT a FROM t);",
	  "CREATE INDEX ti ON t (a);\nDELETE FROM t; -- retort:nolint R119" },
	{ "R201", LITE, true, "CREATE TABLE t (a, b);",
	  "CREATE TABLE t_new (a);\nINSERT INTO t_new SELECT a FROM t;\nDROP TABLE t;\nALTER TABLE t_new RENAME TO t;",
	  RETORT_LOCK_SQLITE_WRITE, "DROP TABLE t;\nCREATE TABLE t (a);",
	  "CREATE TABLE t_new (a);\nINSERT INTO t_new SELECT a FROM t;\nDROP TABLE t;\n"
	  "ALTER TABLE t_new RENAME TO t; -- retort:nolint R201" },
};

START_TEST(test_rules__each_rule)
{
	const rule_case *c = &cases[_i];
	retort_rules_result *res;
	const retort_rules_finding *f;

	res = check(c->dialect, c->prev, c->pos, c->tx);
	f = find(res, c->code);
	ck_assert_msg(f != NULL, "%s: '%s' should trip it (%zu findings)", c->code, c->pos, res->nfindings);
	ck_assert_msg(f->line == last_line(c->pos), "%s: on line %u, expected %u", c->code, f->line, last_line(c->pos));
	ck_assert_msg(c->lock == RETORT_LOCK_NONE || f->lock == c->lock, "%s: lock %s, expected %s",
		c->code, retort_lock_name(f->lock), retort_lock_name(c->lock));
	ck_assert_msg(f->level == f->rule->level, "%s: no retort.ini, no database: the rule's own level", c->code);
	ck_assert_msg(*f->message, "%s: a message", c->code);
	retort_rules_result_free(res);

	res = check(c->dialect, c->prev, c->neg, c->tx);
	ck_assert_msg(!find(res, c->code), "%s: '%s' should not trip it: %s", c->code, c->neg,
		find(res, c->code) ? find(res, c->code)->message : "");
	retort_rules_result_free(res);

	res = check(c->dialect, c->prev, c->nolint, c->tx);
	ck_assert_msg(!find(res, c->code), "%s: silenced by nolint in '%s'", c->code, c->nolint);
	ck_assert_msg(!find(res, "R009"), "%s: the nolint names a rule", c->code);
	retort_rules_result_free(res);
}
END_TEST

/* Every statement rule has a case above; every rule says why and what instead. */
START_TEST(test_rules__catalog)
{
	size_t n;
	const retort_rule *all = retort_rules_all(&n);

	for (size_t i = 0; i < n; i++) {
		bool tested = false;
		ck_assert_msg(*all[i].why && *all[i].instead, "%s explains itself", all[i].code);
		ck_assert_ptr_eq(retort_rule_find(all[i].name), &all[i]);
		ck_assert_ptr_eq(retort_rule_find(all[i].code), &all[i]);
		for (size_t k = 0; k < RETORT_ARRAY_SIZE(cases); k++)
			tested = tested || !strcmp(cases[k].code, all[i].code);
		ck_assert_msg(tested || !all[i].dialects, "statement rule %s has a case", all[i].code);
		for (size_t j = 0; j < i; j++)
			ck_assert_msg(strcmp(all[i].code, all[j].code) && strcmp(all[i].name, all[j].name),
				"%s is unique", all[i].code);
	}
	ck_assert_ptr_null(retort_rule_find("R999"));
	ck_assert_str_eq(retort_lock_name(RETORT_LOCK_SHARE_UPDATE_EXCLUSIVE), "SHARE UPDATE EXCLUSIVE");
}
END_TEST

/* Locks as PostgreSQL documents them, for statements that trip nothing too. */
START_TEST(test_rules__locks)
{
	static const struct { const char *sql; retort_lock lock; const char *table; } want[] = {
		{ "SELECT * FROM t", RETORT_LOCK_ACCESS_SHARE, NULL },
		{ "SELECT * FROM t FOR UPDATE", RETORT_LOCK_ROW_SHARE, NULL },
		{ "INSERT INTO t (a) VALUES (1)", RETORT_LOCK_ROW_EXCLUSIVE, "t" },
		{ "ALTER TABLE t VALIDATE CONSTRAINT c", RETORT_LOCK_SHARE_UPDATE_EXCLUSIVE, "t" },
		{ "CREATE INDEX CONCURRENTLY ON t (a)", RETORT_LOCK_SHARE_UPDATE_EXCLUSIVE, "t" },
		{ "CREATE INDEX ON t (v)", RETORT_LOCK_SHARE, "t" },
		{ "CREATE TRIGGER tr AFTER INSERT ON t FOR EACH ROW EXECUTE FUNCTION f()", RETORT_LOCK_SHARE_ROW_EXCLUSIVE, "t" },
		{ "ALTER TABLE t ADD CONSTRAINT f FOREIGN KEY (a) REFERENCES p (id) NOT VALID", RETORT_LOCK_SHARE_ROW_EXCLUSIVE, "t" },
		{ "REFRESH MATERIALIZED VIEW CONCURRENTLY mv", RETORT_LOCK_EXCLUSIVE, "mv" },
		{ "ALTER TABLE t ALTER COLUMN a SET DEFAULT 0", RETORT_LOCK_ACCESS_EXCLUSIVE, "t" },
		{ "ALTER TABLE t ALTER COLUMN a SET STATISTICS 100", RETORT_LOCK_SHARE_UPDATE_EXCLUSIVE, "t" },
		{ "ALTER TABLE t ALTER COLUMN a SET STATISTICS 100, ALTER COLUMN a DROP DEFAULT", RETORT_LOCK_ACCESS_EXCLUSIVE, "t" },
		{ "LOCK TABLE t IN SHARE ROW EXCLUSIVE MODE", RETORT_LOCK_SHARE_ROW_EXCLUSIVE, "t" },
		{ "CREATE TABLE c PARTITION OF t FOR VALUES IN (1)", RETORT_LOCK_ACCESS_EXCLUSIVE, "t" },
		{ "CREATE TABLE u (a int REFERENCES p (id))", RETORT_LOCK_SHARE_ROW_EXCLUSIVE, "p" },
		{ "CREATE VIEW w AS SELECT 1", RETORT_LOCK_NONE, NULL },
	};

	for (size_t i = 0; i < RETORT_ARRAY_SIZE(want); i++) {
		retort_rules_result *res = check(PG, T, want[i].sql, false);
		ck_assert_uint_eq(res->nstmts, 1);
		ck_assert_msg(res->stmts[0].lock == want[i].lock, "'%s' takes %s, not %s", want[i].sql,
			retort_lock_name(want[i].lock), retort_lock_name(res->stmts[0].lock));
		if (want[i].table)
			ck_assert_msg(res->stmts[0].table && !strcmp(res->stmts[0].table, want[i].table),
				"'%s' locks %s", want[i].sql, want[i].table);
		retort_rules_result_free(res);
	}
}
END_TEST

/* ALTER COLUMN TYPE: what rewrites and what does not, by the remembered type. */
START_TEST(test_rules__type_changes)
{
	static const struct { const char *col, *to; bool rewrites; } want[] = {
		{ "v", "varchar(10)", false }, { "v", "varchar(11)", false }, { "v", "varchar", false },
		{ "v", "text", false }, { "v", "varchar(9)", true }, { "v", "int", true },
		{ "n", "numeric(12,2)", false }, { "n", "numeric", false }, { "n", "numeric(12,3)", true },
		{ "n", "numeric(9,2)", true }, { "x", "varchar", false }, { "x", "varchar(5)", true },
		{ "a", "int4", false }, { "a", "bigint", true }, { "c", "inet", false },
	};
	const char *prev = "CREATE TABLE t (a int, v varchar(10), n numeric(10,2), x text, c cidr);";

	for (size_t i = 0; i < RETORT_ARRAY_SIZE(want); i++) {
		char sql[128];
		retort_rules_result *res;
		snprintf(sql, sizeof(sql), "ALTER TABLE t ALTER COLUMN %s TYPE %s;", want[i].col, want[i].to);
		res = check(PG, prev, sql, true);
		ck_assert_msg((find(res, "R109") != NULL) == want[i].rewrites, "%s: %s", sql,
			want[i].rewrites ? "rewrites" : "is binary-compatible");
		retort_rules_result_free(res);
	}
	/* USING always rewrites; an unknown column's type is reported as possibly rewriting */
	{
		retort_rules_result *res = check(PG, prev, "ALTER TABLE t ALTER COLUMN v TYPE text USING v || '';", true);
		ck_assert_ptr_nonnull(find(res, "R109"));
		retort_rules_result_free(res);
		res = check(PG, NULL, "ALTER TABLE q ALTER COLUMN v TYPE text;", true);
		ck_assert_ptr_nonnull(strstr(find(res, "R109")->message, "current type is unknown"));
		retort_rules_result_free(res);
	}
}
END_TEST

/* Where a nolint comment counts, and the line a finding is on. */
START_TEST(test_rules__nolint_scope_and_lines)
{
	retort_rules_result *res;

	/* a trailing comment belongs to the statement its line ends, not to the next one */
	res = check(PG, T, "DROP TABLE t; -- retort:nolint R111\nDROP TABLE p;", true);
	ck_assert_uint_eq(res->nfindings, 1);
	ck_assert_uint_eq(res->findings[0].line, 2);
	retort_rules_result_free(res);
	/* a comment above a statement is its own; it says nothing about the one before */
	res = check(PG, T, "DROP TABLE t;\n-- retort:nolint drop-table: p is unused\nDROP TABLE p;", true);
	ck_assert_uint_eq(res->nfindings, 1);
	ck_assert_uint_eq(res->findings[0].line, 1);
	retort_rules_result_free(res);
	/* only the rules named are silenced */
	res = check(PG, T, "ALTER TABLE t DROP COLUMN v, ADD COLUMN b int NOT NULL; -- retort:nolint R110", true);
	ck_assert_ptr_null(find(res, "R110"));
	ck_assert_ptr_nonnull(find(res, "R105"));
	retort_rules_result_free(res);
	/* a subcommand's line comes from the parse tree; the section starts on line 7 */
	{
		retort_rules *r = NULL;
		ck_assert_int_eq(retort_rules_new(&r, PG, NULL, NULL), 0);
		ck_assert_int_eq(retort_rules_check(NULL, r, T, 1, true), 0);
		ck_assert_int_eq(retort_rules_check(&res, r, "\n-- add two\nALTER TABLE t\n  ADD COLUMN b int,\n"
			"  ADD COLUMN c int NOT NULL;", 7, true), 0);
		ck_assert_uint_eq(res->nstmts, 1);
		ck_assert_uint_eq(res->stmts[0].line, 9);
		ck_assert_uint_eq(find(res, "R105")->line, 11);
		retort_rules_result_free(res);
		retort_rules_free(r);
	}
	/* strings, comments and bodies are not statements */
	res = check(PG, T, "CREATE FUNCTION f() RETURNS void LANGUAGE plpgsql AS $$ BEGIN DROP TABLE t; END $$;\n"
		"SELECT 'DROP TABLE t; COMMIT;';", true);
	ck_assert_uint_eq(res->nfindings, 0);
	retort_rules_result_free(res);
}
END_TEST

/* retort.ini: lint_error promotes, lint_ignore drops, unknown codes are named with their line. */
START_TEST(test_rules__levels_from_config)
{
	char dir[] = "/tmp/retort-rules-XXXXXX", path[64];
	retort_config *cfg = NULL;
	retort_config_opts opts = { 0 };
	retort_rules *r = NULL;
	retort_rules_result *res;
	FILE *f;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/retort.ini", dir);
	opts.path = path;
	ck_assert_ptr_nonnull(f = fopen(path, "w"));
	fputs("[retort]\nscript_location = m\nlint_error = drop-table, R117\nlint_ignore = R110\n", f);
	fclose(f);
	ck_assert_int_eq(retort_config_load(&cfg, &opts), 0);
	ck_assert_int_eq(retort_rules_new(&r, PG, cfg, NULL), 0);
	res = check_with(r, T, "ALTER TABLE t DROP COLUMN v;\nDROP TABLE p;\nCREATE TABLE u (c char(1));", true);
	ck_assert_ptr_null(find(res, "R110"));
	ck_assert_int_eq(find(res, "R111")->level, RETORT_LINT_ERROR);
	ck_assert_int_eq(find(res, "R117")->level, RETORT_LINT_ERROR);
	retort_rules_result_free(res);
	retort_rules_free(r);
	retort_config_free(cfg);

	ck_assert_ptr_nonnull(f = fopen(path, "w"));
	fputs("[retort]\nscript_location = m\n\nlint_ignore = R110 R1O1\n", f);
	fclose(f);
	ck_assert_int_eq(retort_config_load(&cfg, &opts), 0);
	ck_assert_int_eq(retort_rules_new(&r, PG, cfg, NULL), RETORT_EUSAGE);
	ck_assert_ptr_nonnull(strstr(retort_error_last()->message, "retort.ini:4: unknown lint rule 'R1O1' in lint_ignore"));
	retort_config_free(cfg);

	ck_assert_ptr_nonnull(f = fopen(path, "w"));
	fputs("[retort]\nscript_location = m\nlint_error = R110\nlint_ignore = drop-column\n", f);
	fclose(f);
	ck_assert_int_eq(retort_config_load(&cfg, &opts), 0);
	ck_assert_int_eq(retort_rules_new(&r, PG, cfg, NULL), RETORT_EUSAGE);
	ck_assert_ptr_nonnull(strstr(retort_error_last()->message, "R110 is in both lint_error and lint_ignore"));
	retort_config_free(cfg);
	unlink(path);
	rmdir(dir);
}
END_TEST

RETORT_SUITE(rules)

Suite *suite_rules(void)
{
	Suite *s = suite_create("rules");
	TCase *each = tcase_create("each rule");
	TCase *tc = tcase_create("retort_rules_check");

	tcase_add_loop_test(each, test_rules__each_rule, 0, (int)RETORT_ARRAY_SIZE(cases));
	tcase_add_test(tc, test_rules__catalog);
	tcase_add_test(tc, test_rules__locks);
	tcase_add_test(tc, test_rules__type_changes);
	tcase_add_test(tc, test_rules__nolint_scope_and_lines);
	tcase_add_test(tc, test_rules__levels_from_config);
	suite_add_tcase(s, each);
	suite_add_tcase(s, tc);
	return s;
}
