/*
 * fk_off.h - the `Foreign Keys: off` header on SQLite: a revision that
 * must rebuild or drop a table that others reference (with an ON DELETE
 * action SQLite would otherwise run, or while its rows are away) asks for
 * SQLite's documented procedure, and the runner follows it around that
 * revision's transaction:
 *
 *     PRAGMA foreign_keys = OFF;         before BEGIN: SQLite ignores it inside one
 *     BEGIN;
 *     <snapshot of the violations already there>
 *     <the revision>
 *     <fail unless PRAGMA foreign_key_check finds nothing new>
 *     <the version table>
 *     COMMIT;
 *     PRAGMA foreign_keys = <as it was>;  also after a rollback
 *
 * The snapshot and the check are plain SQL (a TEMP table and a CHECK that
 * fails the statement), so the same text runs online and is printed by
 * `--sql`; a violation that predates the revision is left alone, as the
 * generated rebuilds do.  PostgreSQL ignores the header: its DDL never
 * fires ON DELETE actions.  This module renders and runs those pieces; the
 * order of transactions is migrate.c's and migrate_offline.c's.
 */
#ifndef RETORT_RUN_FK_OFF_H
#define RETORT_RUN_FK_OFF_H

#include <stdbool.h>

#include "base/buf.h"
#include "dialect/db.h"
#include "graph/script.h"

/* Does `script` ask for foreign keys off on dialect `d` (SQLite only)? */
bool retort__fk_off_applies(const retort_dialect *d, const retort_script *script);

/* Offline text: the statements (each ending ";\n") for each place above. */
void retort__fk_off_render_switch(retort_buf *out, bool on);
void retort__fk_off_render_snapshot(retort_buf *out);
void retort__fk_off_render_check(retort_buf *out);

/* Online: remember the connection's setting in *was_on and switch it off (outside a transaction). */
int retort__fk_off_switch(retort_db *db, bool *was_on);
/* Put the setting back; keeps the thread's error (restoring is cleanup). */
void retort__fk_off_restore(retort_db *db, bool was_on);
/* Online, inside the revision's transaction: the snapshot, and the check naming the first new violation. */
int retort__fk_off_snapshot(retort_db *db);
int retort__fk_off_check(retort_db *db);

#endif
