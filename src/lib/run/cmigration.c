/*
 * cmigration.c - compiling, caching and loading C revisions, and calling
 * them with a context (see cmigration.h for the contract).
 *
 * The compiler runs from an argument vector (base/os.h: `cc` and `cflags`
 * split into words as that header says): nothing from the configuration or
 * the file name ever passes through a shell.  Objects
 * land in the cache under a name derived from everything that affects the
 * build, through a mkstemp() file renamed into place, so two retorts
 * compiling the same revision at once both end up loading a complete file.
 * The object is loaded and called in a child process (isolate.h), never
 * in retort's own.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "run/cmigration.h"
#include "base/common.h"
#include "base/os.h"
#include "run/ctx.h"
#include "run/isolate.h"
#include "graph/script.h"
#include "base/vec.h"

#ifndef RETORT_INSTALL_INCLUDEDIR
#define RETORT_INSTALL_INCLUDEDIR "/usr/local/include"
#endif

/* Where <retort/migration.h> is: $RETORT_INCLUDE_DIR, installed, or this source tree. */
static int include_dir(const char **out)
{
	static const char *const candidates[] = {
		RETORT_INSTALL_INCLUDEDIR,
#ifdef RETORT_SOURCE_INCLUDEDIR
		RETORT_SOURCE_INCLUDEDIR,
#endif
	};
	const char *env = getenv("RETORT_INCLUDE_DIR");

	if (env && *env) {
		*out = env;
		return 0;
	}
	for (size_t i = 0; i < RETORT_ARRAY_SIZE(candidates); i++) {
		char *h = retort__path_join(candidates[i], "retort/migration.h");
		bool ok = retort__path_exists(h);
		free(h);
		if (ok) {
			*out = candidates[i];
			return 0;
		}
	}
	return retort__error_set(RETORT_ERROR_CONFIG,
		"cannot find <retort/migration.h> (looked in '%s'); set RETORT_INCLUDE_DIR",
		RETORT_INSTALL_INCLUDEDIR);
}

static int cache_dir(char **out, const retort_cmigration_opts *opts)
{
	*out = opts && opts->cache_dir ? retort__strdup(opts->cache_dir) : retort__cache_dir();
	if (!*out)
		return retort__error_set(RETORT_ERROR_CONFIG,
			"no cache directory for compiled C revisions: set XDG_CACHE_HOME or HOME");
	return 0;
}

static const char *compiler(const retort_cmigration_opts *opts)
{
	const char *cc = opts && opts->cc && *opts->cc ? opts->cc : getenv("CC");

	return cc && *cc ? cc : "cc";
}

/*
 * A private copy of the source bytes the cache key was computed from, for
 * the compiler: compiling `path` itself would read the file a second time,
 * and an edit in between would put other code under this key.  A #line
 * directive keeps the compiler's messages naming the revision file.
 */
static int source_copy(char **out, const char *object, const char *path, const char *source, size_t len)
{
	retort_buf text = RETORT_BUF_INIT;
	char *tmp = retort__sprintf("%s.XXXXXX.c", object);
	int fd, error = 0;

	*out = NULL;
	retort_buf_puts(&text, "#line 1 \"");
	for (const char *p = path; *p; p++) {
		if (*p == '"' || *p == '\\')
			retort_buf_putc(&text, '\\');
		retort_buf_putc(&text, *p == '\n' ? ' ' : *p);
	}
	retort_buf_puts(&text, "\"\n");
	retort_buf_put(&text, source, len);
	if ((fd = mkstemps(tmp, 2)) < 0) {
		error = retort__error_os("cannot create '%s'", tmp);
		goto done;
	}
	if (!retort__write_all(fd, text.ptr, text.size))
		error = retort__error_os("cannot write '%s'", tmp);
	if (close(fd) < 0 && !error)
		error = retort__error_os("cannot write '%s'", tmp);
	if (error < 0) {
		unlink(tmp);
	} else {
		*out = tmp;
		tmp = NULL;
	}
done:
	free(tmp);
	retort_buf_dispose(&text);
	return error;
}

/*
 * Compile the revision read from `path` (its bytes, `source`) into
 * `object`, through temporary files in the same directory.
 */
static int compile(const char *path, const char *source, size_t len, const char *object,
	const retort_cmigration_opts *opts)
{
	retort_vec argv = RETORT_VEC_INIT, flags = RETORT_VEC_INIT;
	retort_buf output = RETORT_BUF_INIT;
	char *tmp = retort__sprintf("%s.XXXXXX", object), *src = NULL, *srcdir = retort__path_dirname(path);
	char *what = NULL;
	const char *inc = NULL, *cc = compiler(opts);
	int fd, status, error;

	/* `cc` may carry words of its own: "ccache gcc", "gcc -m32" */
	what = retort__sprintf("cc '%s'", cc);
	if ((error = retort__words_split(&argv, cc, what)) < 0)
		goto done;
	free(what);
	what = retort__sprintf("cflags '%s'", opts && opts->cflags ? opts->cflags : "");
	if ((error = retort__words_split(&flags, opts ? opts->cflags : NULL, what)) < 0)
		goto done;
	if ((error = include_dir(&inc)) < 0 || (error = source_copy(&src, object, path, source, len)) < 0)
		goto done;
	if ((fd = mkstemp(tmp)) < 0) {
		error = retort__error_os("cannot create '%s'", tmp);
		goto done;
	}
	close(fd);
	retort_vec_push(&argv, retort__strdup("-shared"));
	retort_vec_push(&argv, retort__strdup("-fPIC"));
	retort_vec_push(&argv, retort__sprintf("-I%s", inc));
	/* #include "x.h" beside the revision still works from the copy */
	retort_vec_push(&argv, retort__strdup("-iquote"));
	retort_vec_push(&argv, retort__strdup(srcdir));
	retort_vec_push(&argv, retort__strdup("-o"));
	retort_vec_push(&argv, retort__strdup(tmp));
	retort_vec_push(&argv, retort__strdup(src));
	/* After the source, so a -lfoo in cflags links (linkers read left to right). */
	for (size_t i = 0; i < flags.len; i++)
		retort_vec_push(&argv, flags.items[i]);
	flags.len = 0;
	if ((error = retort__spawn(&status, &argv, &output)) < 0) {
		unlink(tmp);
		retort__error_prefix("cannot compile '%s'", path);
		goto done;
	}
	retort_buf_rtrim(&output);
	if (status != 0) {
		unlink(tmp);
		error = retort__error_set(RETORT_ERROR_SCRIPT, "cannot compile '%s' with '%s' (exit status %d):\n%s",
			path, cc, status, output.size ? output.ptr : "(no output)");
		goto done;
	}
	/* The linker creates the file under the umask; ours alone, so check_owner() accepts it. */
	if (chmod(tmp, 0700) < 0) {
		error = retort__error_os("cannot chmod '%s'", tmp);
		unlink(tmp);
		goto done;
	}
	if (rename(tmp, object) < 0) {
		error = retort__error_os("cannot move '%s' to '%s'", tmp, object);
		unlink(tmp);
		goto done;
	}
	error = 0;
done:
	if (src)
		unlink(src);
	free(src);
	free(srcdir);
	retort_vec_dispose(&argv, true);
	retort_vec_dispose(&flags, true);
	retort_buf_dispose(&output);
	free(what);
	free(tmp);
	return error;
}

/*
 * dlopen runs code: refuse an object someone else could have planted in a
 * shared cache directory (owned by another user, or writable by others).
 */
static int check_owner(const char *object)
{
	struct stat st;

	if (stat(object, &st) < 0)
		return retort__error_os("cannot stat '%s'", object);
	if (st.st_uid != geteuid() || (st.st_mode & (S_IWGRP | S_IWOTH)))
		return retort__error_set(RETORT_ERROR_SCRIPT,
			"refusing to load '%s': not owned by this user or writable by others", object);
	return 0;
}

/*
 * The cache directory itself must be ours and closed to others: in a
 * directory someone else can write, they could swap an object between the
 * check above and dlopen.  lstat, so a symlink planted there is refused.
 */
static int check_cache_dir(const char *dir)
{
	if (!retort__dir_is_private(dir))
		return retort__error_set(RETORT_ERROR_SCRIPT,
			"refusing to use cache directory '%s' for compiled revisions: it must be a "
			"directory owned by this user and writable by no one else "
			"(or set XDG_CACHE_HOME to a private directory)", dir);
	return 0;
}

/* The cache key: everything that changes the object, not only the source. */
static void cache_key(char out[65], const char *source, size_t len, const retort_cmigration_opts *opts)
{
	retort_buf b = RETORT_BUF_INIT;

	retort_buf_printf(&b, "retort-c-revision abi=%d\ncc=%s\ncflags=%s\n", RETORT_MIGRATION_ABI,
		compiler(opts), opts && opts->cflags ? opts->cflags : "");
	retort_buf_put(&b, source, len);
	retort_script_sha256(out, b.ptr, b.size);
	retort_buf_dispose(&b);
}

/*
 * Compile `path` if its cached object is missing; *object is the path of
 * the object to load.  The object is loaded only in the child that runs
 * it (isolate.h): its constructors are revision code too.
 */
static int prepare(char **object, const char *path, const retort_cmigration_opts *opts)
{
	char *source = NULL, *dir = NULL, *obj = NULL, *name = NULL, key[65];
	size_t len;
	int error;

	*object = NULL;
	if ((error = retort__file_read(&source, &len, path)) < 0)
		goto done;
	if (opts && opts->expect_sha256) {
		char sum[65];
		retort_script_sha256(sum, source, len);
		if (strcmp(sum, opts->expect_sha256) != 0) {
			error = retort__error_set(RETORT_ERROR_SCRIPT,
				"%s: the file changed while retort was running; run the command again", path);
			goto done;
		}
	}
	if ((error = cache_dir(&dir, opts)) < 0)
		goto done;
	if ((error = retort__mkdir_p_own(dir, 0700)) < 0 || (error = check_cache_dir(dir)) < 0)
		goto done;
	cache_key(key, source, len, opts);
	name = retort__sprintf("%s.so", key);
	obj = retort__path_join(dir, name);
	if (!retort__path_exists(obj) && (error = compile(path, source, len, obj, opts)) < 0)
		goto done;
	if ((error = check_owner(obj)) < 0)
		goto done;
	*object = obj;
	obj = NULL;
done:
	free(obj);
	free(name);
	free(source);
	free(dir);
	return error;
}

/*
 * Run the entry point in its child and turn how it ended, what it
 * returned and the context's memory of failures into one status.
 */
static int call(const char *object, const char *path, retort__ctx *ctx, bool up,
	const retort_cmigration_opts *opts)
{
	const char *fn = up ? "upgrade" : "downgrade";
	int rc, error;

	retort__ctx_set_xargs(ctx, opts ? opts->xargs : NULL);
	if ((error = retort__isolate_run(&rc, ctx, object, path, up, opts ? opts->timeout_s : 0)) < 0) {
		/* A call that failed before the code gave up is the likelier cause: say both. */
		if (retort__ctx_failed(ctx) && !retort__ctx_refused(ctx)) {
			char *why = retort__strdup(retort__ctx_error(ctx));
			const retort_error *e = retort_error_last();
			char *msg = retort__strdup(e ? e->message : "");
			error = retort__error_set(RETORT_ERROR_SCRIPT, "%s (after a failed call at line %d: %s)",
				msg, retort__ctx_error_line(ctx), why);
			free(msg);
			free(why);
		}
		return error;
	}
	if (retort__ctx_failed(ctx)) {
		/* The first failure is the cause; later ones are usually its consequences. */
		int line = retort__ctx_error_line(ctx);
		if (retort__ctx_refused(ctx))
			return line > 0
				? retort__error_set(RETORT_ERROR_SCRIPT, "%s (line %d)", retort__ctx_error(ctx), line)
				: retort__error_set(RETORT_ERROR_SCRIPT, "%s", retort__ctx_error(ctx));
		if (line > 0)
			return retort__error_set(RETORT_ERROR_DATABASE, "%s:%d: %s() failed: %s", path, line,
				fn, retort__ctx_error(ctx));
		return retort__error_set(RETORT_ERROR_DATABASE, "%s: %s() failed: %s", path, fn,
			retort__ctx_error(ctx));
	}
	/* Only 0 is success: a positive value is no less a failure than a negative one. */
	if (rc != 0)
		return retort__error_set(RETORT_ERROR_SCRIPT, "%s: %s() returned %d (0 means success); "
			"the revision was rolled back", path, fn, rc);
	return 0;
}

int retort_cmigration_run(retort_db *db, const char *path, bool upgrade, const retort_cmigration_opts *opts)
{
	char *object = NULL;
	int error;

	if ((error = prepare(&object, path, opts)) == 0) {
		retort__ctx *ctx = retort__ctx_live(db, path);
		error = call(object, path, ctx, upgrade, opts);
		retort__ctx_free(ctx);
	}
	free(object);
	return error;
}

int retort_cmigration_render(retort_buf *out, const retort_dialect *d, const char *path,
	bool upgrade, const retort_cmigration_opts *opts)
{
	char *object = NULL;
	int error;

	if ((error = prepare(&object, path, opts)) == 0) {
		retort__ctx *ctx = retort__ctx_recording(d, out, path);
		error = call(object, path, ctx, upgrade, opts);
		retort__ctx_free(ctx);
	}
	free(object);
	return error;
}
