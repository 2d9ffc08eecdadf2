/*
 * wire.c - the messages between a C revision's child and retort (see
 * wire.h): integers and strings in and out of a buffer, and whole
 * messages over a socket with a deadline.
 */
#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "base/common.h"
#include "run/wire.h"

/* --- encoding -------------------------------------------------------------- */

void retort__wire_put_u32(retort_buf *b, uint32_t v)
{
	retort_buf_put(b, &v, sizeof(v));
}

void retort__wire_put_str(retort_buf *b, const char *s)
{
	if (!s) {
		retort__wire_put_u32(b, RETORT__WIRE_NULL);
		return;
	}
	retort__wire_put_u32(b, (uint32_t)strlen(s));
	retort_buf_put(b, s, strlen(s) + 1);
}

/* A NULL-terminated array of strings (NULL itself allowed). */
void retort__wire_put_strv(retort_buf *b, const char *const *v)
{
	uint32_t n = 0;

	if (!v) {
		retort__wire_put_u32(b, RETORT__WIRE_NULL);
		return;
	}
	while (v[n])
		n++;
	retort__wire_put_u32(b, n);
	for (uint32_t i = 0; i < n; i++)
		retort__wire_put_str(b, v[i]);
}

/* `n` strings, any of them NULL. */
void retort__wire_put_params(retort_buf *b, size_t n, const char *const *v)
{
	retort__wire_put_u32(b, (uint32_t)n);
	for (size_t i = 0; i < n; i++)
		retort__wire_put_str(b, v ? v[i] : NULL);
}

void retort__wire_put_column(retort_buf *b, const retort_column *c)
{
	retort__wire_put_str(b, c->name);
	retort__wire_put_str(b, c->type);
	retort__wire_put_u32(b, c->flags);
	retort__wire_put_str(b, c->default_sql);
	retort__wire_put_str(b, c->ref_table);
	retort__wire_put_str(b, c->ref_column);
	retort__wire_put_str(b, c->on_delete);
}

void retort__wire_put_columns(retort_buf *b, const retort_column *cols)
{
	uint32_t n = 0;

	if (!cols) {
		retort__wire_put_u32(b, RETORT__WIRE_NULL);
		return;
	}
	while (cols[n].name)
		n++;
	retort__wire_put_u32(b, n);
	for (uint32_t i = 0; i < n; i++)
		retort__wire_put_column(b, &cols[i]);
}

/* --- decoding (the parent trusts nothing it reads) --------------------------- */

uint32_t retort__wire_get_u32(retort__wire_reader *r)
{
	uint32_t v = 0;

	if (r->bad || r->len - r->at < sizeof(v)) {
		r->bad = true;
		return 0;
	}
	memcpy(&v, r->p + r->at, sizeof(v));
	r->at += sizeof(v);
	return v;
}

const char *retort__wire_get_str(retort__wire_reader *r)
{
	uint32_t n = retort__wire_get_u32(r);
	const char *s;

	if (r->bad || n == RETORT__WIRE_NULL)
		return NULL;
	if (r->len - r->at < (size_t)n + 1 || r->p[r->at + n] != '\0') {
		r->bad = true;
		return NULL;
	}
	s = r->p + r->at;
	r->at += (size_t)n + 1;
	return s;
}

static void *r_alloc(retort__wire_reader *r, size_t n, size_t size)
{
	void *p = retort__calloc(n + 1, size);

	retort_vec_push(&r->allocs, p);
	return p;
}

/* Counts are bounded by what is left of the message, so a lie cannot allocate much. */
static bool count_ok(retort__wire_reader *r, uint32_t n, size_t min_each)
{
	if (r->bad || n == RETORT__WIRE_NULL || (size_t)n > (r->len - r->at) / min_each) {
		if (n != RETORT__WIRE_NULL)
			r->bad = true;
		return false;
	}
	return true;
}

const char **retort__wire_get_strv(retort__wire_reader *r)
{
	uint32_t n = retort__wire_get_u32(r);
	const char **v;

	if (!count_ok(r, n, 4))
		return NULL;
	v = r_alloc(r, n, sizeof(*v));
	for (uint32_t i = 0; i < n; i++)
		if (!(v[i] = retort__wire_get_str(r)))
			r->bad = true;
	return v;
}

const char **retort__wire_get_params(retort__wire_reader *r, size_t *n)
{
	uint32_t count = retort__wire_get_u32(r);
	const char **v;

	*n = 0;
	if (count == RETORT__WIRE_NULL) {
		r->bad = true;
		return NULL;
	}
	if (!count_ok(r, count, 4))
		return NULL;
	v = r_alloc(r, count, sizeof(*v));
	for (uint32_t i = 0; i < count; i++)
		v[i] = retort__wire_get_str(r);
	*n = count;
	return v;
}

void retort__wire_get_column(retort__wire_reader *r, retort_column *c)
{
	c->name = retort__wire_get_str(r);
	c->type = retort__wire_get_str(r);
	c->flags = retort__wire_get_u32(r);
	c->default_sql = retort__wire_get_str(r);
	c->ref_table = retort__wire_get_str(r);
	c->ref_column = retort__wire_get_str(r);
	c->on_delete = retort__wire_get_str(r);
}

retort_column *retort__wire_get_columns(retort__wire_reader *r)
{
	uint32_t n = retort__wire_get_u32(r);
	retort_column *cols;

	if (!count_ok(r, n, 28))
		return NULL;
	cols = r_alloc(r, n, sizeof(*cols)); /* the extra entry is the { 0 } end */
	for (uint32_t i = 0; i < n; i++) {
		retort__wire_get_column(r, &cols[i]);
		if (!cols[i].name)
			r->bad = true;
	}
	return cols;
}

/* --- the socket ---------------------------------------------------------------- */

double retort__wire_now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/*
 * Wait until `fd` is ready for `events`; deadline 0 = none.  0 ready, 1
 * timed out, -1 failed.
 */
static int wait_fd(int fd, short events, double deadline)
{
	for (;;) {
		struct pollfd p = { fd, events, 0 };
		int ms = -1, n;
		if (deadline > 0) {
			double left = deadline - retort__wire_now_s();
			if (left <= 0)
				return 1;
			ms = left > 3600 ? 3600000 : (int)(left * 1000) + 1;
		}
		n = poll(&p, 1, ms);
		if (n > 0)
			return 0;
		if (n < 0 && errno != EINTR)
			return -1;
	}
}

/* 0 sent, 1 timed out, -1 the other side is gone. */
static int send_all(int fd, const void *data, size_t len, double deadline)
{
	const char *p = data;

	while (len > 0) {
		ssize_t n;
		int w = wait_fd(fd, POLLOUT, deadline);
		if (w != 0)
			return w;
		n = send(fd, p, len, MSG_NOSIGNAL);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* 0 read, 1 timed out, -1 end of file or failure. */
static int recv_all(int fd, void *data, size_t len, double deadline)
{
	char *p = data;

	while (len > 0) {
		ssize_t n;
		int w = wait_fd(fd, POLLIN, deadline);
		if (w != 0)
			return w;
		n = recv(fd, p, len, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int retort__wire_send_message(int fd, const retort_buf *body, double deadline)
{
	uint32_t len = (uint32_t)body->size;
	int rc = send_all(fd, &len, sizeof(len), deadline);

	return rc ? rc : send_all(fd, body->ptr, body->size, deadline);
}

/* Read one message into *out (malloc'd); 0, 1 timed out, -1 EOF/failure, -2 too large. */
int retort__wire_recv_message(int fd, char **out, size_t *len, double deadline)
{
	uint32_t n;
	int rc;

	*out = NULL;
	if ((rc = recv_all(fd, &n, sizeof(n), deadline)) != 0)
		return rc;
	if (n > RETORT__WIRE_MAX)
		return -2;
	*out = retort__malloc((size_t)n + 1);
	*len = n;
	if ((rc = recv_all(fd, *out, n, deadline)) != 0) {
		free(*out);
		*out = NULL;
	}
	return rc;
}
