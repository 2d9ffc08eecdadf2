/*
 * wire.h - the messages between a C revision's child process and retort
 * (isolate.h), and nothing about what they mean.
 *
 * A message is a 4-byte length and a body; bodies are built from 32-bit
 * integers and strings (a length, the bytes and a NUL, or the length
 * NULL_LEN for NULL), so a reader finds strings in place.  Readers trust
 * nothing: every length is checked against what is left, a bad one marks
 * the reader `bad` and every later read returns 0 or NULL.  Sockets are
 * written with MSG_NOSIGNAL: a peer that died must not raise SIGPIPE.
 */
#ifndef RETORT_WIRE_H
#define RETORT_WIRE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/vec.h"
#include <retort/migration.h>

#define RETORT__WIRE_MAX (256u << 20) /* a message larger than this is refused */
#define RETORT__WIRE_NULL 0xffffffffu

/* --- writing a body ------------------------------------------------------- */
void retort__wire_put_u32(retort_buf *b, uint32_t v);
void retort__wire_put_str(retort_buf *b, const char *s);
/* A NULL-terminated array of strings (NULL itself allowed). */
void retort__wire_put_strv(retort_buf *b, const char *const *v);
/* `n` strings, any of them NULL. */
void retort__wire_put_params(retort_buf *b, size_t n, const char *const *v);
void retort__wire_put_column(retort_buf *b, const retort_column *c);
/* An array of columns ending with a NULL name (NULL itself allowed). */
void retort__wire_put_columns(retort_buf *b, const retort_column *cols);

/* --- reading a body -------------------------------------------------------- */
typedef struct retort__wire_reader {
	char *p;            /* the body (owned by whoever read it) */
	size_t len, at;
	bool bad;
	retort_vec allocs;  /* arrays built while decoding, freed with the message */
} retort__wire_reader;

uint32_t retort__wire_get_u32(retort__wire_reader *r);
/* Points into the body; NULL for NULL or when bad. */
const char *retort__wire_get_str(retort__wire_reader *r);
/* Arrays live in r->allocs; NULL-terminated (strv) or *n long (params). */
const char **retort__wire_get_strv(retort__wire_reader *r);
const char **retort__wire_get_params(retort__wire_reader *r, size_t *n);
void retort__wire_get_column(retort__wire_reader *r, retort_column *c);
retort_column *retort__wire_get_columns(retort__wire_reader *r);

/* --- a socket -------------------------------------------------------------- */
/* Monotonic seconds, for deadlines. */
double retort__wire_now_s(void);
/* deadline 0 = none.  0 sent, 1 timed out, -1 the peer is gone. */
int retort__wire_send_message(int fd, const retort_buf *body, double deadline);
/* One message into *out (malloc'd); 0, 1 timed out, -1 end of file or failure, -2 too large. */
int retort__wire_recv_message(int fd, char **out, size_t *len, double deadline);

#endif
