/*
 * catalog.c - the rules themselves as data (see rules.h): codes, names,
 * levels, locks, why and what instead; and the names of lock modes.
 *
 * Lock levels are PostgreSQL's documented ones (the "Explicit Locking"
 * chapter and each command's page).  A code is never reused for another
 * rule: retort.ini files and `-- retort:nolint` comments name them.
 * R0xx judge a revision as a whole (lint.c), R1xx statements on
 * PostgreSQL (some on SQLite too), R2xx SQLite only.  This file does not
 * decide when a rule applies: pg.c and sqlite.c do.
 */
#include <string.h>

#include "base/common.h"
#include "rules/rules.h"

#define PG RETORT_RULE_PG
#define LITE RETORT_RULE_SQLITE
#define E RETORT_LINT_ERROR
#define W RETORT_LINT_WARNING
#define A RETORT_LINT_ADVICE

static const retort_rule rules[] = {
	{ "R001", "edited-revision", E, 0, RETORT_LOCK_NONE, false,
	  "a revision that exists at the base was edited: databases that applied it will not see the change",
	  "leave applied revisions alone and write a new revision" },
	{ "R002", "deleted-revision", E, 0, RETORT_LOCK_NONE, false,
	  "a revision that exists at the base was deleted: databases that applied it would be stranded",
	  "restore the file; undo its effect in a new revision" },
	{ "R003", "extra-heads", E, 0, RETORT_LOCK_NONE, false,
	  "the new revisions leave more heads than the base had: `upgrade head` becomes ambiguous",
	  "put the branch's revisions on the base's head with `retort rebase`, or join the heads with `retort merge -m MSG heads`" },
	{ "R004", "unknown-parent", E, 0, RETORT_LOCK_NONE, false,
	  "a new revision revises an id no script defines",
	  "fix its Revises: header" },
	{ "R005", "unreadable-history", E, 0, RETORT_LOCK_NONE, false,
	  "a revision file cannot be read, or the scripts do not form a graph",
	  "fix the file the message names" },
	{ "R006", "irreversible", W, 0, RETORT_LOCK_NONE, false,
	  "a new revision has no downgrade: it cannot be reverted",
	  "add a `-- retort:downgrade` section (SQL) or a downgrade() function (C)" },
	{ "R007", "destructive-c-revision", W, 0, RETORT_LOCK_NONE, false,
	  "a C revision's upgrade() drops or deletes something the running application may still use",
	  "deploy code that no longer uses it first, then drop it in a later release" },
	{ "R008", "unparsed-statement", W, PG, RETORT_LOCK_NONE, false,
	  "the statement does not parse with PostgreSQL's grammar, so no rule could check it",
	  "fix the syntax (or, for syntax newer than the parser, `-- retort:nolint R008`)" },
	{ "R009", "unknown-nolint", W, PG | LITE, RETORT_LOCK_NONE, false,
	  "a `-- retort:nolint` comment names no known rule, so it silences nothing",
	  "name rules by code (R101) or name (index-not-concurrent)" },
	{ "R010", "empty-downgrade", W, 0, RETORT_LOCK_NONE, false,
	  "a new revision's `-- retort:downgrade` section holds only whitespace and comments (as the template leaves it): a downgrade through it silently does nothing",
	  "write the downgrade, or remove the section to mark the revision irreversible" },
	{ "R011", "pruned-revision", W, 0, RETORT_LOCK_NONE, false,
	  "revisions a baseline replaces were pruned since the base: a database still inside that range can no longer be upgraded",
	  "run `retort current -v` on each database before `retort squash --prune`; restore the files from git for one that needs them" },
	{ "R012", "stranded-branch", E, 0, RETORT_LOCK_NONE, false,
	  "a revision on another branch revises one inside the range a new baseline replaces: after the squash it has no parent",
	  "squash a shorter range, or have that branch run `retort rebase` once it has the squash" },
	{ "R013", "behind-base", E, 0, RETORT_LOCK_NONE, false,
	  "the base has revisions this branch forked before: merged as it is, the branch leaves another head",
	  "`retort rebase --base REF` puts the branch on the base's head; then merge the base" },

	{ "R101", "index-not-concurrent", W, PG, RETORT_LOCK_SHARE, true,
	  "CREATE INDEX or REINDEX without CONCURRENTLY blocks writes to the table until the index is built",
	  "CREATE INDEX CONCURRENTLY (REINDEX ... CONCURRENTLY) in a `Transactional: no` revision" },
	{ "R102", "drop-index-not-concurrent", W, PG, RETORT_LOCK_ACCESS_EXCLUSIVE, false,
	  "DROP INDEX without CONCURRENTLY locks the table: it waits for every running query and blocks all others meanwhile",
	  "DROP INDEX CONCURRENTLY in a `Transactional: no` revision" },
	{ "R103", "not-in-transaction", E, PG | LITE, RETORT_LOCK_NONE, false,
	  "the statement cannot work inside a transaction: PostgreSQL refuses CONCURRENTLY, VACUUM and "
	  "CREATE DATABASE there, SQLite refuses VACUUM and ignores PRAGMA foreign_keys",
	  "move it to a revision with `Transactional: no`" },
	{ "R104", "add-column-rewrite", W, PG, RETORT_LOCK_ACCESS_EXCLUSIVE, true,
	  "ADD COLUMN with a volatile default (random(), clock_timestamp(), serial, identity) or a stored "
	  "generated column rewrites the whole table under ACCESS EXCLUSIVE",
	  "add the column without that default (a constant one is free), then fill it in batches" },
	{ "R105", "add-column-not-null", W, PG, RETORT_LOCK_ACCESS_EXCLUSIVE, true,
	  "ADD COLUMN ... NOT NULL without a default fails on a table that has rows",
	  "give it a constant DEFAULT, or add it nullable, backfill, then SET NOT NULL behind a validated CHECK" },
	{ "R106", "set-not-null", W, PG, RETORT_LOCK_ACCESS_EXCLUSIVE, true,
	  "SET NOT NULL scans the whole table under ACCESS EXCLUSIVE unless a validated CHECK (col IS NOT NULL) proves it",
	  "ADD CONSTRAINT c CHECK (col IS NOT NULL) NOT VALID, VALIDATE CONSTRAINT c in a later revision, "
	  "then SET NOT NULL (no scan) and drop c" },
	{ "R107", "add-foreign-key", W, PG, RETORT_LOCK_SHARE_ROW_EXCLUSIVE, true,
	  "ADD FOREIGN KEY checks every row while blocking writes to both tables",
	  "ADD ... FOREIGN KEY ... NOT VALID, then VALIDATE CONSTRAINT in a later revision (writes go on meanwhile)" },
	{ "R108", "add-check", W, PG, RETORT_LOCK_ACCESS_EXCLUSIVE, true,
	  "ADD CHECK scans every row under ACCESS EXCLUSIVE",
	  "ADD CONSTRAINT ... CHECK (...) NOT VALID, then VALIDATE CONSTRAINT in a later revision" },
	{ "R109", "alter-column-type", W, PG, RETORT_LOCK_ACCESS_EXCLUSIVE, true,
	  "ALTER COLUMN TYPE rewrites the table and its indexes under ACCESS EXCLUSIVE, unless the change "
	  "is binary-compatible (varchar widening, varchar to text, a larger numeric precision)",
	  "add a column of the new type, backfill it in batches, move the application over, drop the old one" },
	{ "R110", "drop-column", W, PG | LITE, RETORT_LOCK_ACCESS_EXCLUSIVE, false,
	  "the running application may still read or write the column: its queries fail once it is gone",
	  "deploy code that no longer uses the column first, drop it in a later release" },
	{ "R111", "drop-table", W, PG | LITE, RETORT_LOCK_ACCESS_EXCLUSIVE, false,
	  "the running application may still use the table: its queries fail once it is gone",
	  "deploy code that no longer uses the table first, drop it in a later release" },
	{ "R112", "rename-column", W, PG | LITE, RETORT_LOCK_ACCESS_EXCLUSIVE, false,
	  "the running application still uses the old name: its queries fail until it is redeployed",
	  "add the new column, write both, backfill, move reads, then drop the old one" },
	{ "R113", "rename-table", W, PG | LITE, RETORT_LOCK_ACCESS_EXCLUSIVE, false,
	  "the running application still uses the old name: its queries fail until it is redeployed",
	  "create the new table (or a view with the new name) and move the application over first" },
	{ "R114", "add-unique-constraint", W, PG, RETORT_LOCK_ACCESS_EXCLUSIVE, true,
	  "ADD UNIQUE, PRIMARY KEY or EXCLUDE builds an index while holding ACCESS EXCLUSIVE",
	  "CREATE UNIQUE INDEX CONCURRENTLY first, then ADD CONSTRAINT ... UNIQUE (or PRIMARY KEY) USING INDEX" },
	{ "R115", "int-primary-key", A, PG, RETORT_LOCK_NONE, false,
	  "a 32-bit (int, serial) primary key runs out at 2,147,483,647, and widening it later rewrites the table",
	  "bigint GENERATED ALWAYS AS IDENTITY" },
	{ "R116", "timestamp-without-time-zone", A, PG, RETORT_LOCK_NONE, false,
	  "timestamp without time zone stores a wall-clock time whose meaning depends on the TimeZone of whoever wrote it",
	  "timestamptz" },
	{ "R117", "char-n", A, PG, RETORT_LOCK_NONE, false,
	  "char(n) pads values with spaces and is no faster than text",
	  "text, or varchar(n) when a limit is really wanted" },
	{ "R118", "transaction-control", E, PG | LITE, RETORT_LOCK_NONE, false,
	  "BEGIN, COMMIT or ROLLBACK in a transactional revision ends retort's transaction: the schema and "
	  "the version table no longer change together",
	  "remove it, or set `Transactional: no` and manage transactions yourself" },
	{ "R119", "whole-table-dml", W, PG | LITE, RETORT_LOCK_ROW_EXCLUSIVE, true,
	  "UPDATE or DELETE without WHERE in a schema revision writes every row inside the DDL's transaction, "
	  "holding its locks for as long",
	  "backfill in batches in a separate data revision" },
	{ "R120", "truncate", W, PG, RETORT_LOCK_ACCESS_EXCLUSIVE, false,
	  "TRUNCATE deletes every row and locks the table against all access",
	  "make sure the data is really disposable; delete in batches if others use the table" },
	{ "R121", "table-rewrite", W, PG, RETORT_LOCK_ACCESS_EXCLUSIVE, true,
	  "VACUUM FULL, CLUSTER, SET TABLESPACE, SET LOGGED/UNLOGGED and SET ACCESS METHOD rewrite the table "
	  "under ACCESS EXCLUSIVE",
	  "run it in a maintenance window, or use an online tool such as pg_repack" },

	{ "R201", "sqlite-table-rebuild", W, LITE, RETORT_LOCK_SQLITE_WRITE, true,
	  "rebuilding a table (create, copy, drop, rename) copies every row while holding the database's write lock",
	  "keep the rebuild in a revision of its own and run it when writes are few" },
};

const retort_rule *retort_rules_all(size_t *n)
{
	*n = RETORT_ARRAY_SIZE(rules);
	return rules;
}

const retort_rule *retort_rule_find(const char *code_or_name)
{
	for (size_t i = 0; i < RETORT_ARRAY_SIZE(rules); i++)
		if (!retort__strcasecmp(rules[i].code, code_or_name) ||
		    !retort__strcasecmp(rules[i].name, code_or_name))
			return &rules[i];
	return NULL;
}

const char *retort_lock_name(retort_lock lock)
{
	static const char *const names[] = {
		"", "ACCESS SHARE", "ROW SHARE", "ROW EXCLUSIVE", "SHARE UPDATE EXCLUSIVE", "SHARE",
		"SHARE ROW EXCLUSIVE", "EXCLUSIVE", "ACCESS EXCLUSIVE", "read", "write",
	};

	return (size_t)lock < RETORT_ARRAY_SIZE(names) ? names[lock] : "";
}

const char *retort_lock_blocks(retort_lock lock)
{
	switch (lock) {
	case RETORT_LOCK_ACCESS_SHARE:
		return "blocks only ACCESS EXCLUSIVE";
	case RETORT_LOCK_ROW_SHARE:
	case RETORT_LOCK_ROW_EXCLUSIVE:
		return "blocks table-level DDL, not reads or writes";
	case RETORT_LOCK_SHARE_UPDATE_EXCLUSIVE:
		return "blocks other DDL and VACUUM, not reads or writes";
	case RETORT_LOCK_SHARE:
	case RETORT_LOCK_SHARE_ROW_EXCLUSIVE:
		return "blocks writes";
	case RETORT_LOCK_EXCLUSIVE:
		return "blocks writes and locking reads";
	case RETORT_LOCK_ACCESS_EXCLUSIVE:
		return "blocks reads and writes";
	case RETORT_LOCK_SQLITE_READ:
		return "blocks nothing but a rollback journal's commit";
	case RETORT_LOCK_SQLITE_WRITE:
		return "blocks other writers";
	default:
		return "";
	}
}

const char *retort_lint_level_name(retort_lint_level level)
{
	return level == RETORT_LINT_ERROR ? "error" : level == RETORT_LINT_WARNING ? "warning" : "advice";
}
