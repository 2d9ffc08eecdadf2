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

#include "vec.h"

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
	char *message;              /* first comment line, may be "" */
	char *create_date;          /* may be NULL */
	bool transactional;         /* Transactional: yes (default) / no */
	unsigned header_line;       /* line of "Revision ID:" */

	/* SQL scripts: section bodies and the 1-based line each body starts on. */
	char *upgrade_sql;          /* "" when the section is empty; never NULL for SQL */
	unsigned upgrade_line;
	char *downgrade_sql;        /* NULL: no retort:downgrade section = irreversible */
	unsigned downgrade_line;

	char checksum[65];          /* hex SHA-256 of the whole file */
} retort_script;

int retort_script_parse(retort_script **out, const char *path, const char *text, size_t len);
int retort_script_load(retort_script **out, const char *path);
void retort_script_free(retort_script *script);

#endif
