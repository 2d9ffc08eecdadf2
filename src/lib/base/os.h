/*
 * os.h - what retort asks of the operating system besides files: running
 * another program, splitting a configured command line into its words,
 * and random bytes.  The one way each is done in retort: the compiler of a
 * C revision, post_write_hook and `retort edit`'s editor all go through
 * retort__words_split and retort__spawn.
 *
 * A program runs from an argument vector with posix_spawnp, never through
 * a shell.  A command line from the configuration or the environment is
 * split into words by the rules of a POSIX shell's word expansion, done by
 * wordexp(3) with command substitution refused:
 *   - words are separated by spaces and tabs; '...' and "..." quote, a
 *     backslash escapes one character: `code --wait`, `"/opt/my editor"`;
 *   - $VAR, ${VAR} and a leading ~ are expanded, and an unquoted glob
 *     pattern that matches files becomes their names;
 *   - $(...) and `...` are an error, and so is an unquoted | & ; < > ( )
 *     { } or newline: a command line is one program and its arguments.
 * This module does not know what it runs; callers word their own errors.
 */
#ifndef RETORT_OS_H
#define RETORT_OS_H

#include <stddef.h>

#include "base/buf.h"
#include "base/vec.h"

/*
 * Append the words of `line` to `out` (char *, owned by the vec).  `what`
 * names the line in an error, as the user wrote it ("post_write_hook
 * 'fmt {file}'", "$EDITOR 'code --wait'"): a class CONFIG error,
 * "<what>: <problem>".  A line of blanks adds nothing.
 */
int retort__words_split(retort_vec *out, const char *line, const char *what);

/*
 * Run argv[0] (looked up in PATH unless it has a '/') with the arguments
 * argv (a vec of char *, without the terminating NULL) and wait for it.
 * With `output` non-NULL, stdin reads /dev/null and what the program
 * writes to stdout and stderr is appended there; otherwise it shares
 * retort's.  *status is its exit status, or 128 + the signal that ended
 * it.  Returns 0 when the program ran (whatever its status),
 * RETORT_ENOTFOUND when no such program exists (class OS, "<argv[0]>:
 * command not found"), another negative value when it could not be
 * started.
 */
int retort__spawn(int *status, const retort_vec *argv, retort_buf *output);

/* Fill `buf` with `len` random bytes from the kernel (getrandom). */
int retort__random_bytes(void *buf, size_t len);

#endif
