/* testbuf.h -- a growing text buffer for the cmocka tests
 *
 * Shared by the test programs that build inputs and expected event logs
 * as text.  Allocation failures fail the test (assert_non_null).
 */
#ifndef CART837_TESTBUF_H
#define CART837_TESTBUF_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct buf {
  char *p;
  size_t len, cap;
} buf;

/* Appends n bytes; the text stays NUL-terminated. */
static inline void buf_add(buf *b, const void *p, size_t n)
{
  if (b->len + n + 1 > b->cap) {
    size_t ncap = b->cap ? b->cap : 256;
    while (ncap < b->len + n + 1)
      ncap *= 2;
    b->p = realloc(b->p, ncap);
    assert_non_null(b->p);
    b->cap = ncap;
  }
  if (n)
    memcpy(b->p + b->len, p, n);
  b->len += n;
  b->p[b->len] = '\0';
}

static inline void buf_str(buf *b, const char *s)
{
  buf_add(b, s, strlen(s));
}

/* Appends printf-style text (at most 2047 bytes per call). */
static inline void buf_fmt(buf *b, const char *fmt, ...)
{
  char tmp[2048];
  va_list ap;
  int n;
  va_start(ap, fmt);
  n = vsnprintf(tmp, sizeof tmp, fmt, ap);
  va_end(ap);
  assert_true(n >= 0 && (size_t)n < sizeof tmp);
  buf_add(b, tmp, (size_t)n);
}

#endif
