/*
 * secret.h - strings that must never appear in a message.
 *
 * Whoever finds a secret (the URL parser finds passwords) registers it here;
 * the error module scrubs every registered secret from every message before
 * storing it.  The registry is process-wide and only grows: a password seen
 * once stays masked for the rest of the run.
 */
#ifndef RETORT_SECRET_H
#define RETORT_SECRET_H

#include "base/buf.h"

/* Register a string that must never appear in an error message. */
void retort__secret_register(const char *secret);
/* Replace every registered secret in `buf` by "***". */
void retort__secret_scrub(retort_buf *buf);

#endif
