/*
 * app.c - a program that migrates its own database at startup with
 * libretort, before it does anything else.
 *
 *     app DATABASE_URL [SCRIPTS]
 *
 * SCRIPTS is the migrations directory shipped with the program (default:
 * migrations); its revisions are in SCRIPTS/versions.  The program brings
 * the database to head, says what it applied, and stops on the first
 * failure with the library's message; Ctrl-C asks the run to stop before
 * its next statement (the revision in progress rolls back).
 *
 * Build it against an installed retort:
 *
 *     cc -o app app.c $(pkg-config --cflags --libs retort)
 *
 * It is written in C99, with nothing but <retort/retort.h> from retort.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include <retort/retort.h>

static retort_project *project;

/* Async-signal-safe: retort_project_cancel only sets a flag. */
static void on_interrupt(int sig)
{
	(void)sig;
	retort_project_cancel(project);
}

static void on_event(const retort_event *ev, void *payload)
{
	unsigned *applied = payload;

	if (ev->kind == RETORT_EVENT_FINISHED) {
		printf("app: migrated %s -> %s, %s (%.0f ms)\n", ev->from[0] ? ev->from : "base", ev->to,
			ev->message, ev->duration_ms);
		(*applied)++;
	} else if (ev->kind == RETORT_EVENT_FAILED) {
		fprintf(stderr, "app: revision %s failed at %s:%u\n", ev->revision, ev->file, ev->line);
	}
}

static void on_log(retort_log_level level, const char *message, void *payload)
{
	(void)payload;
	fprintf(stderr, "app: %s%s\n", level == RETORT_LOG_WARNING ? "warning: " : "", message);
}

int main(int argc, char **argv)
{
	retort_project_options po = RETORT_PROJECT_OPTIONS_INIT;
	retort_run_options ro = RETORT_RUN_OPTIONS_INIT;
	retort_strarray heads = RETORT_STRARRAY_INIT;
	const char *scripts = argc > 2 ? argv[2] : "migrations";
	unsigned applied = 0;
	int rc;

	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: app DATABASE_URL [SCRIPTS]\n");
		return 2;
	}
	po.log_cb = on_log;
	ro.event_cb = on_event;
	ro.event_payload = &applied;
	ro.tag = "app startup";
	if ((rc = retort_project_new(&project, scripts, argv[1], &po)) < 0)
		goto done;
	signal(SIGINT, on_interrupt);
	if ((rc = retort_project_upgrade(project, "head", &ro)) < 0)
		goto done;
	signal(SIGINT, SIG_DFL);
	if ((rc = retort_project_heads(&heads, project)) < 0)
		goto done;
	printf("app: database at %s%s (%u revision%s applied now; library %s, headers %s)\n",
		heads.count ? heads.strings[0] : "base", heads.count > 1 ? " and others" : "", applied,
		applied == 1 ? "" : "s", retort_version(), RETORT_VERSION_STRING);
	/* ... the program's own work would start here ... */
done:
	if (rc < 0)
		fprintf(stderr, "app: cannot migrate the database: %s\n",
			retort_error_last() ? retort_error_last()->message : "unknown error");
	retort_strarray_dispose(&heads);
	retort_project_free(project);
	return rc < 0 ? 1 : 0;
}
