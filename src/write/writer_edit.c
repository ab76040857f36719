/* writer_edit.c -- element splicing for the 837 writer
 *
 * The writer changes as few bytes as it can: a rewritten segment is its
 * raw input bytes with only the changed elements replaced.  Everything
 * else -- leading bytes, untouched elements (even trailing empty ones),
 * the terminator and the CR/LF after it -- is copied through.  This file
 * holds that splicing and the composite-component replacement used for
 * procedure codes, both built on base/buf.h's c837_buf.
 */
#include <string.h>

#include "write/writer_int.h"

void c837_w_segref(c837_wsegref *r, const c837_segment *s)
{
  r->raw = s->raw;
  r->raw_len = s->raw_len;
  r->body_end = s->lead + s->body_len;
  r->n_el = s->n_el;
  r->el = s->el;
  r->elsep = s->delims.element;
}

int c837_w_splice(c837_buf *out, const c837_wsegref *s,
                  const c837_wrep *reps, size_t n)
{
  size_t i, pos = 0, cur, changed = 0;
  out->len = 0;
  /* in-place replacements, left to right */
  for (i = 0; i < n && reps[i].idx <= s->n_el; i++) {
    const c837_span *e = &s->el[reps[i].idx - 1];
    size_t off = (size_t)(e->p - s->raw);
    if (e->len == reps[i].n &&
        (reps[i].n == 0 || memcmp(e->p, reps[i].p, reps[i].n) == 0))
      continue;
    if (c837_buf_put(out, s->raw + pos, off - pos) != 0 ||
        c837_buf_put(out, reps[i].p, reps[i].n) != 0)
      return -1;
    pos = off + e->len;
    changed++;
  }
  if (c837_buf_put(out, s->raw + pos, s->body_end - pos) != 0)
    return -1;
  /* elements beyond the last one present: appended to the body */
  for (cur = s->n_el; i < n; i++) {
    if (reps[i].n == 0)
      continue; /* an absent element is already empty */
    while (cur < reps[i].idx) {
      if (c837_buf_put(out, &s->elsep, 1) != 0)
        return -1;
      cur++;
    }
    if (c837_buf_put(out, reps[i].p, reps[i].n) != 0)
      return -1;
    changed++;
  }
  if (c837_buf_put(out, s->raw + s->body_end, s->raw_len - s->body_end) != 0)
    return -1;
  return (int)changed;
}

int c837_w_comp_replace(c837_buf *out, c837_span el, char sep, size_t j,
                        const char *v, size_t n, const char *dflt1)
{
  size_t k = 1, i = 0, start = 0;
  out->len = 0;
  if (el.len == 0) {
    if (dflt1 != NULL && c837_buf_put(out, dflt1, strlen(dflt1)) != 0)
      return -1;
    for (k = 1; k < j; k++)
      if (c837_buf_put(out, &sep, 1) != 0)
        return -1;
    return c837_buf_put(out, v, n);
  }
  /* find component j: [start, i) */
  while (k < j) {
    while (i < el.len && el.p[i] != sep)
      i++;
    if (i == el.len)
      break;
    i++; /* past the separator */
    k++;
  }
  if (k < j) {
    /* fewer components than j: pad */
    if (c837_buf_put(out, el.p, el.len) != 0)
      return -1;
    for (; k < j; k++)
      if (c837_buf_put(out, &sep, 1) != 0)
        return -1;
    return c837_buf_put(out, v, n);
  }
  start = i;
  while (i < el.len && el.p[i] != sep)
    i++;
  if (c837_buf_put(out, el.p, start) != 0 ||
      c837_buf_put(out, v, n) != 0 ||
      c837_buf_put(out, el.p + i, el.len - i) != 0)
    return -1;
  return 0;
}

int c837_w_span_u64(c837_span s, uint64_t *out)
{
  return c837_span_digits(s, 19, out) == 0;
}
