/* buf.h -- the one growable buffer and the one growable array
 *
 * Every buffer and array of the library that grows goes through these
 * two: a byte buffer with an optional cap (c837_buf, in the manner of
 * curl's dynbuf) and a reserve for arrays of any element type
 * (c837_vec_reserve).  Both double their allocation, check the size
 * arithmetic for overflow, and leave the buffer unchanged and valid when
 * they fail.  They return 0, C837_BUF_NOMEM (-1) when memory runs out or
 * the size would overflow, or C837_BUF_LIMIT (-2) when the cap would be
 * passed, so that a caller can tell "too big for the rules" from "out of
 * memory".  Private to the library.
 */
#ifndef CART837_BUF_H
#define CART837_BUF_H

#include <stddef.h>

enum { C837_BUF_NOMEM = -1, C837_BUF_LIMIT = -2 };

/* A growable byte buffer.  p[0 .. len) is the content; cap the bytes
 * allocated; limit the most len may ever be (0: no limit).  A buffer set
 * to {0} (or C837_BUF_INIT(limit)) is empty and valid. */
typedef struct c837_buf {
  char *p;
  size_t len, cap;
  size_t limit;
} c837_buf;

#define C837_BUF_INIT(lim) {NULL, 0, 0, (lim)}

/* Makes room for `total` bytes in all (len unchanged).  The memory is
 * suitably aligned for any type (malloc's), so a buffer may hold an
 * array.  0, C837_BUF_NOMEM or C837_BUF_LIMIT (total > limit). */
int c837_buf_reserve(c837_buf *b, size_t total);
/* Appends n bytes.  0, C837_BUF_NOMEM or C837_BUF_LIMIT; on failure the
 * buffer is unchanged. */
int c837_buf_put(c837_buf *b, const void *p, size_t n);
/* Appends the NUL-terminated string s (without its NUL). */
int c837_buf_puts(c837_buf *b, const char *s);
/* Appends one byte (the common case without a call). */
static inline int c837_buf_putc(c837_buf *b, char c)
{
  if (b->len < b->cap) {
    b->p[b->len++] = c;
    return 0;
  }
  return c837_buf_put(b, &c, 1);
}
/* Empties the buffer, keeping its memory. */
static inline void c837_buf_clear(c837_buf *b) { b->len = 0; }
/* Releases the memory; the buffer is empty (same limit) afterwards. */
void c837_buf_free(c837_buf *b);

/* Makes room for `need` elements of elsz bytes in the array *pp (any
 * element type; pp is the address of the array pointer), of which *cap
 * are allocated.  Nothing happens when need <= *cap; otherwise the
 * allocation doubles (to at least `first` elements) until it holds
 * need, but never past `limit` elements (0: no limit).  0,
 * C837_BUF_NOMEM, or C837_BUF_LIMIT (need > limit); on failure the array
 * is unchanged and still valid. */
int c837_vec_reserve(void *pp, size_t *cap, size_t need, size_t elsz,
                     size_t first, size_t limit);

#endif
