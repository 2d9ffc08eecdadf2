/*
 * retort.h - libretort, the library behind the retort command: schema
 * migrations for SQLite and PostgreSQL from a program, as `retort upgrade
 * head` does them from a shell (see libretort(3)).
 *
 *     retort_project *p = NULL;
 *     if (retort_project_open(&p, "retort.ini", NULL) < 0 ||
 *         retort_project_upgrade(p, "head", NULL) < 0)
 *             fprintf(stderr, "%s\n", retort_error_last()->message);
 *     retort_project_free(p);
 *
 * This umbrella header includes the whole API.  It does not declare the
 * migration-script API: C revisions include <retort/migration.h> instead.
 *
 * Conventions (shared by every retort_* function):
 *   - Names are retort_<noun>_<verb>; types retort_<noun>; macros RETORT_*.
 *   - 0 (RETORT_OK) is success; a negative value is failure, and
 *     retort_error_last() then describes it (per thread).
 *   - An out-parameter comes first and is named `out`; whatever it returns
 *     is owned by the caller and released with the matching _free() (for
 *     handles) or _dispose() (for a retort_buffer or retort_strarray the
 *     caller declared), which accept NULL and empty values.
 *   - Options are structs whose first member is `version`: declare them
 *     with RETORT_<X>_OPTIONS_INIT (or retort_<x>_options_init()), so a
 *     program built against these headers keeps working with a later
 *     library that has added members.  NULL options mean the defaults.
 *   - Getters return borrowed pointers that live as long as their owner.
 */
#ifndef RETORT_RETORT_H
#define RETORT_RETORT_H

#include <retort/common.h>
#include <retort/project.h>
#include <retort/run.h>
#include <retort/status.h>
#include <retort/changeset.h>

#endif
