/* buf.c -- the one growable buffer and the one growable array (buf.h) */
#include "base/buf.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int c837_vec_reserve(void *pp, size_t *cap, size_t need, size_t elsz,
                     size_t first, size_t limit)
{
  void *p, *np;
  size_t nc;
  if (need <= *cap)
    return 0;
  if (limit != 0 && need > limit)
    return C837_BUF_LIMIT;
  nc = *cap ? *cap : (first ? first : 8);
  while (nc < need) {
    if (nc > SIZE_MAX / 2)
      return C837_BUF_NOMEM;
    nc *= 2;
  }
  if (limit != 0 && nc > limit)
    nc = limit;
  if (elsz == 0 || nc > SIZE_MAX / elsz)
    return C837_BUF_NOMEM;
  memcpy(&p, pp, sizeof p);
  np = realloc(p, nc * elsz);
  if (!np)
    return C837_BUF_NOMEM;
  memcpy(pp, &np, sizeof np);
  *cap = nc;
  return 0;
}

int c837_buf_reserve(c837_buf *b, size_t total)
{
  return c837_vec_reserve(&b->p, &b->cap, total, 1, 256, b->limit);
}

int c837_buf_put(c837_buf *b, const void *p, size_t n)
{
  int r;
  if (n == 0)
    return 0;
  if (b->len + n < b->len)
    return C837_BUF_NOMEM;
  if ((r = c837_buf_reserve(b, b->len + n)) != 0)
    return r;
  memcpy(b->p + b->len, p, n);
  b->len += n;
  return 0;
}

int c837_buf_puts(c837_buf *b, const char *s)
{
  return c837_buf_put(b, s, strlen(s));
}

void c837_buf_free(c837_buf *b)
{
  free(b->p);
  b->p = NULL;
  b->len = b->cap = 0;
}
