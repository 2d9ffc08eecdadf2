/*
 * script.h - one revision file: its header and, for SQL scripts, its
 * upgrade and downgrade sections.
 *
 * Parsing reads text only; nothing is executed or compiled.  The header is
 * the leading comment block ("-- Key: value" lines for .sql, the first
 * comment for .c); keys are case-insensitive.  Unknown keys are errors so a
 * typo cannot silently drop a dependency.
 */
#ifndef RETORT_SCRIPT_H
#define RETORT_SCRIPT_H

#include <stdbool.h>
#include <stddef.h>

#include "base/vec.h"

typedef enum retort_script_format {
	RETORT_SCRIPT_SQL = 1,
	RETORT_SCRIPT_C = 2,
} retort_script_format;

typedef struct retort_script {
	char *path;                 /* as read */
	retort_script_format format;
	char *revision;             /* Revision ID */
	retort_vec revises;         /* char *: down revisions, empty for a base */
	retort_vec branch_labels;   /* char * */
	retort_vec depends_on;      /* char *: as written (ids, prefixes or labels) */
	/*
	 * char *: a baseline's `Replaces:` ids, in upgrade order, the last one
	 * being the tip later revisions may revise; empty for other revisions.
	 */
	retort_vec replaces;
	char *message;              /* first comment line, may be "" */
	char *create_date;          /* may be NULL */
	bool transactional;         /* Transactional: yes (default) / no */
	/*
	 * Foreign Keys: off - on SQLite the runner switches foreign keys off
	 * before the revision's BEGIN, checks them before its COMMIT and puts
	 * the setting back after (see migrate.c); PostgreSQL ignores it.
	 */
	bool foreign_keys_off;
	/*
	 * Lock Timeout: / Statement Timeout: (PostgreSQL's lock_timeout and
	 * statement_timeout for this revision's statements, overriding
	 * ddl_lock_timeout / ddl_statement_timeout), in ms when has_... is
	 * set.  Like the SQL bodies they belong to what runs: a script from
	 * the header cache has them only after retort_script_read_sql().
	 */
	bool has_lock_timeout, has_statement_timeout;
	long lock_timeout_ms, statement_timeout_ms;
	unsigned header_line;       /* line of "Revision ID:" */

	/*
	 * SQL scripts: section bodies and the 1-based line each body starts on.
	 * A script loaded from a version location has no bodies until
	 * retort_script_read_sql() (those from the header cache have none at
	 * all; a fresh parse's are not trusted to be what the file holds when
	 * it runs); everything above is always there.
	 */
	char *upgrade_sql;          /* "" when the section is empty; never NULL once read */
	unsigned upgrade_line;
	char *downgrade_sql;        /* NULL: no retort:downgrade section = irreversible */
	unsigned downgrade_line;

	/* private: hex SHA-256 of the whole file, "" until retort_script_checksum() */
	char checksum_[65];

	/*
	 * Whether a downgrade exists: for SQL, a retort:downgrade section; for
	 * C, a definition of downgrade() in the source (the compiler has the
	 * final word, but a plan must refuse before anything runs).
	 */
	bool has_downgrade;

	char *arena_;               /* private: holds the strings above (not path) */
	char *sql_arena_;           /* private: the bodies read later, if they were */
	bool sql_read_;             /* private: the SQL bodies are present */
	bool cached_;               /* private: the header came from the header cache */
} retort_script;

/*
 * Parse `text` (the file's bytes, `len` of them) read from `path`; the
 * format follows the extension (".c" = C, anything else SQL).  Errors are
 * class SCRIPT and start with "path:line: ".
 */
int retort_script_parse(retort_script **out, const char *path, const char *text, size_t len);
/*
 * The same, taking ownership of `path` (malloc'd) whatever the outcome,
 * for a file in a version location: the checksum is left to be computed
 * from the file when first asked for (loading a graph must not hash
 * thousands of scripts that heads, history and current never compare),
 * and the SQL bodies to retort_script_read_sql(), which reads the file
 * again when the script is about to run.
 */
int retort__script_parse_take(retort_script **out, char *path, const char *text, size_t len);
/*
 * The script's hex SHA-256.  retort_script_parse() computes it from the
 * text it was given; a script loaded from a version location is hashed by
 * reading its file on the first call (cached after).  NULL, with the error
 * set, when that file can no longer be read.  The string lives as long as
 * the script.
 */
const char *retort_script_checksum(const retort_script *script);
/*
 * Read a version location's script for running it: the SQL bodies
 * (upgrade_sql, downgrade_sql and their lines) and the checksum, both
 * from one read of the file, so the history records exactly what ran.  A
 * file whose header no longer matches what the graph was built from is an
 * error (it changed while retort was running, or the header cache was
 * wrong, in which case the cache is dropped), as is a checksum that
 * differs from one already handed out.  C scripts get the header check and
 * the checksum.  Once read, later calls do nothing.
 */
int retort_script_read_sql(const retort_script *script);
/* Whether a directory entry is a revision script: *.sql or *.c, not hidden. */
bool retort_script_is_revision_file(const char *name);
/*
 * Which parser this is: retort's version and a hash of the parser's
 * source ("0.1.0 9f2c..."), computed by make (graph.am), so the same
 * source always gives the same key and any change to it a new one.  The
 * header cache trusts only entries written by the same parser.
 */
extern const char retort__script_parser_key[];

/*
 * Make the revision file at `path` revise `ids` (n of them): its Revises
 * value changes and no other byte; the result is parsed back (same id,
 * same header otherwise) and written to a temporary file beside it that is
 * renamed over it, with the file's mode (script_edit.c).
 */
int retort_script_set_revises(const char *path, const char *const *ids, size_t n);

/* Lowercase hex SHA-256 of `len` bytes into out[65]. */
void retort_script_sha256(char out[65], const void *data, size_t len);
/* The most characters a revision id may have: the version table's VARCHAR(32). */
#define RETORT_REVISION_ID_MAX 32
/*
 * What is wrong with `id` as a revision id, or NULL when nothing is: 1-32
 * characters of valid UTF-8, letters, digits, '_' and '.' (and printing
 * characters beyond ASCII), not one of the reserved words head, heads,
 * base, current (in any case).  A static string, for "invalid revision id
 * 'x': <problem>".
 */
const char *retort_script_id_problem(const char *id);
/* The same for a branch label: also '-' (not first), no length limit. */
const char *retort_script_label_problem(const char *label);
bool retort_script_id_valid(const char *id);
void retort_script_free(retort_script *script);

#endif
