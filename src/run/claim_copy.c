/* claim_copy.c -- a claim model copied whole into one block (claim_copy.h)
 *
 * The layout of the block: the claim, then its envelope, then each array
 * (diagnoses, procedures, conditions, values, notes, drugs, lines,
 * segments, every segment's element spans, every segment's bytes), each
 * at an offset rounded up to max_align_t.  A line's drugs and a span's
 * bytes point into the copy at the same distance as in the original.
 */
#include "run/claim_copy.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

static size_t up(size_t n)
{
  size_t a = _Alignof(max_align_t);
  return (n + a - 1) / a * a;
}

/* Where the next part of n bytes goes (at), moved past it. */
static size_t take(size_t *at, size_t n)
{
  size_t here = *at;
  *at = up(*at + n);
  return here;
}

/* 1 when span s lies within the bytes of segment g. */
static int within(const c837_segment *g, c837_span s)
{
  return s.len == 0 ||
         (s.p >= g->raw && s.p <= g->raw + g->raw_len &&
          s.len <= (size_t)(g->raw + g->raw_len - s.p));
}

/* Span s of segment g moved to bytes raw. */
static c837_span moved(const c837_segment *g, c837_span s, const char *raw)
{
  c837_span m = {s.len ? raw + (s.p - g->raw) : raw, s.len};
  return m;
}

/* The segments of c into block b: the array at o_segs, segment i's
 * element spans at o_el[i] and its bytes at o_raw[i]. */
static void copy_segments(const c837_claim *c, char *b, size_t o_segs,
                          const size_t *o_el, const size_t *o_raw)
{
  size_t i, k;
  for (i = 0; i < c->n_segs; i++) {
    const c837_segment *g = &c->segs[i];
    c837_segment *h = (c837_segment *)(b + o_segs) + i;
    c837_span *el = (c837_span *)(b + o_el[i]);
    char *raw = b + o_raw[i];
    memcpy(raw, g->raw, g->raw_len);
    for (k = 0; k < g->n_el; k++)
      el[k] = moved(g, g->el[k], raw);
    h->raw = raw;
    h->tag = moved(g, g->tag, raw);
    h->el = g->n_el ? el : NULL;
  }
}

c837_claim *c837_claim_copy(const c837_claim *c, size_t *size)
{
  size_t at = 0, o_env, o_dx, o_px, o_cond, o_val, o_notes, o_drugs,
         o_lines, o_segs, i, k;
  size_t *o_el = NULL, *o_raw = NULL;
  char *b;
  c837_claim *d;
  for (i = 0; i < c->n_lines; i++)
    if (c->lines[i].drugs &&
        !(c->drugs && c->lines[i].drugs >= c->drugs &&
          c->lines[i].drugs < c->drugs + c->n_drugs))
      return NULL;
  if (c->n_segs) {
    if (!(o_el = malloc(2 * c->n_segs * sizeof *o_el)))
      return NULL;
    o_raw = o_el + c->n_segs;
  }
  (void)take(&at, sizeof *c);
  o_env = take(&at, c->env ? sizeof *c->env : 0);
  o_dx = take(&at, c->n_dx * sizeof *c->dx);
  o_px = take(&at, c->n_px * sizeof *c->px);
  o_cond = take(&at, c->n_cond * sizeof *c->cond);
  o_val = take(&at, c->n_value * sizeof *c->value);
  o_notes = take(&at, c->n_notes * sizeof *c->notes);
  o_drugs = take(&at, c->n_drugs * sizeof *c->drugs);
  o_lines = take(&at, c->n_lines * sizeof *c->lines);
  o_segs = take(&at, c->n_segs * sizeof *c->segs);
  for (i = 0; i < c->n_segs; i++) {
    const c837_segment *g = &c->segs[i];
    if (!within(g, g->tag)) {
      free(o_el);
      return NULL;
    }
    for (k = 0; k < g->n_el; k++)
      if (!within(g, g->el[k])) {
        free(o_el);
        return NULL;
      }
    o_el[i] = take(&at, g->n_el * sizeof *g->el);
    o_raw[i] = take(&at, g->raw_len);
  }
  if (!(b = malloc(at))) {
    free(o_el);
    return NULL;
  }
  d = (c837_claim *)b;
  *d = *c;
#define COPY(field, n, off)                                                  \
  do {                                                                       \
    if (n)                                                                   \
      memcpy(b + (off), c->field, (n) * sizeof *c->field);                   \
    d->field = (n) ? (void *)(b + (off)) : NULL;                             \
  } while (0)
  COPY(dx, c->n_dx, o_dx);
  COPY(px, c->n_px, o_px);
  COPY(cond, c->n_cond, o_cond);
  COPY(value, c->n_value, o_val);
  COPY(notes, c->n_notes, o_notes);
  COPY(drugs, c->n_drugs, o_drugs);
  COPY(lines, c->n_lines, o_lines);
  COPY(segs, c->n_segs, o_segs);
#undef COPY
  if (c->env) {
    memcpy(b + o_env, c->env, sizeof *c->env);
    d->env = (const c837_envelope *)(b + o_env);
  }
  for (i = 0; i < c->n_lines; i++) {
    c837_line *ln = (c837_line *)(b + o_lines) + i;
    if (ln->drugs)
      ln->drugs = (const c837_drug *)(b + o_drugs) + (c->lines[i].drugs -
                                                      c->drugs);
  }
  copy_segments(c, b, o_segs, o_el, o_raw);
  free(o_el);
  if (size)
    *size = at;
  return d;
}
