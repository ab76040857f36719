/* test_internal_claimcopy.c -- unit tests of the claim copy of the
 * read-ahead (src/run/claim_copy.c)
 *
 * Every claim of the samples (837P and 837I: diagnoses, procedures with
 * dates, condition and value codes, notes, drug loops, lines pointing at
 * their drugs, segments) is read with the real parser and copied while
 * the parser's buffers still hold it; the copy is then compared, field
 * by field, with a deep snapshot taken at the same moment, AFTER the
 * parser has moved on (so a pointer left into its buffers would read
 * other bytes, and under valgrind or ASan freed ones), and every pointer
 * of the copy must point into its own block.  A segment whose element
 * lies outside its bytes is refused (NULL).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cart837.h"
#include "run/claim_copy.h"

#ifndef SAMPLES
#define SAMPLES "samples"
#endif

/* A copy and the snapshot it is checked against. */
typedef struct kept {
  c837_claim *copy;
  size_t size;
  c837_claim snap;         /* scalar fields */
  c837_envelope env;
  char *seg_bytes;         /* every segment's raw bytes, one after another */
  size_t seg_len;
  char *el_text;           /* every element's text, NUL after each */
  size_t el_len;
  size_t n_drugs_at[64];   /* each line's drug index, or SIZE_MAX */
} kept;

typedef struct run {
  kept k[256];
  size_t n;
  size_t with_px, with_drugs, with_segs;
} run;

static void append(char **p, size_t *len, const char *s, size_t n)
{
  *p = realloc(*p, *len + n + 1);
  assert_non_null(*p);
  memcpy(*p + *len, s, n);
  *len += n;
  (*p)[*len] = '\0';
}

static int on_claim(void *ud, const c837_claim *c)
{
  run *r = ud;
  kept *k;
  size_t i, j;
  if (r->n == sizeof r->k / sizeof r->k[0])
    return 0;
  k = &r->k[r->n++];
  memset(k, 0, sizeof *k);
  k->copy = c837_claim_copy(c, &k->size);
  assert_non_null(k->copy);
  k->snap = *c;
  if (c->env)
    k->env = *c->env;
  for (i = 0; i < c->n_segs; i++) {
    append(&k->seg_bytes, &k->seg_len, c->segs[i].raw, c->segs[i].raw_len);
    for (j = 0; j < c->segs[i].n_el; j++) {
      append(&k->el_text, &k->el_len, c->segs[i].el[j].p,
             c->segs[i].el[j].len);
      append(&k->el_text, &k->el_len, "|", 1);
    }
  }
  assert_true(c->n_lines <= 64);
  for (i = 0; i < c->n_lines; i++)
    k->n_drugs_at[i] =
        c->lines[i].drugs ? (size_t)(c->lines[i].drugs - c->drugs) : SIZE_MAX;
  r->with_px += c->n_px > 0;
  r->with_drugs += c->n_drugs > 0;
  r->with_segs += c->n_segs > 0;
  return 0;
}

static int on_segment(void *ud, const c837_segment *s, c837_role role,
                      const c837_envelope *env)
{
  (void)ud, (void)s, (void)role, (void)env;
  return 0;
}

/* 1 when p .. p + n lies in the copy's block. */
static int inside(const kept *k, const void *p, size_t n)
{
  const char *b = (const char *)k->copy, *q = p;
  return n == 0 || (q >= b && q + n <= b + k->size);
}

static void check(const kept *k)
{
  const c837_claim *d = k->copy, *s = &k->snap;
  char *bytes = NULL, *text = NULL;
  size_t blen = 0, tlen = 0, i, j;
  /* the scalar fields, as read */
  assert_string_equal(d->id, s->id);
  assert_string_equal(d->freq, s->freq);
  assert_string_equal(d->tob, s->tob);
  assert_string_equal(d->patient_key, s->patient_key);
  assert_string_equal(d->billing.id, s->billing.id);
  assert_int_equal(d->total, s->total);
  assert_int_equal(d->kind, s->kind);
  assert_int_equal(d->offset, s->offset);
  assert_int_equal(d->number, s->number);
  assert_int_equal(d->n_lines, s->n_lines);
  assert_int_equal(d->n_segs, s->n_segs);
  assert_int_equal(d->n_dx, s->n_dx);
  assert_int_equal(d->n_px, s->n_px);
  assert_int_equal(d->n_drugs, s->n_drugs);
  /* the envelope, copied */
  assert_true(s->env == NULL || inside(k, d->env, sizeof *d->env));
  if (s->env)
    assert_memory_equal(d->env, &k->env, sizeof k->env);
  /* arrays in the block */
  assert_true(inside(k, d->dx, d->n_dx * sizeof *d->dx));
  assert_true(inside(k, d->px, d->n_px * sizeof *d->px));
  assert_true(inside(k, d->cond, d->n_cond * sizeof *d->cond));
  assert_true(inside(k, d->value, d->n_value * sizeof *d->value));
  assert_true(inside(k, d->notes, d->n_notes * sizeof *d->notes));
  assert_true(inside(k, d->drugs, d->n_drugs * sizeof *d->drugs));
  assert_true(inside(k, d->lines, d->n_lines * sizeof *d->lines));
  assert_true(inside(k, d->segs, d->n_segs * sizeof *d->segs));
  for (i = 0; i < d->n_lines; i++) {
    if (k->n_drugs_at[i] == SIZE_MAX) {
      assert_null(d->lines[i].drugs);
    } else {
      assert_ptr_equal(d->lines[i].drugs, d->drugs + k->n_drugs_at[i]);
    }
  }
  /* the segments: their bytes and elements, from the copy alone */
  for (i = 0; i < d->n_segs; i++) {
    const c837_segment *g = &d->segs[i];
    assert_true(inside(k, g->raw, g->raw_len));
    assert_true(inside(k, g->el, g->n_el * sizeof *g->el));
    assert_true(inside(k, g->tag.p, g->tag.len));
    append(&bytes, &blen, g->raw, g->raw_len);
    for (j = 0; j < g->n_el; j++) {
      assert_true(inside(k, g->el[j].p, g->el[j].len));
      append(&text, &tlen, g->el[j].p, g->el[j].len);
      append(&text, &tlen, "|", 1);
    }
  }
  assert_int_equal(blen, k->seg_len);
  if (blen)
    assert_memory_equal(bytes, k->seg_bytes, blen);
  assert_int_equal(tlen, k->el_len);
  if (tlen)
    assert_memory_equal(text, k->el_text, tlen);
  free(bytes);
  free(text);
}

static void read_sample(run *r, const char *name)
{
  char path[512];
  c837_error err;
  c837_input *in;
  c837_handler h = {on_segment, on_claim, NULL, NULL};
  h.ud = r;
  snprintf(path, sizeof path, "%s/%s", SAMPLES, name);
  in = c837_input_open(path, &err);
  assert_non_null(in);
  assert_int_equal(c837_stream_run(in, &h, NULL, NULL, NULL, &err), C837_OK);
  c837_input_close(in);
}

static void test_samples(void **state)
{
  run *r = calloc(1, sizeof *r);
  size_t i;
  (void)state;
  assert_non_null(r);
  read_sample(r, "cart_inst.837");
  read_sample(r, "cart_prof.837");
  read_sample(r, "cart_realworld.837");
  read_sample(r, "cart_rules.837");
  /* the parser is done: every copy stands alone */
  assert_true(r->n > 10);
  assert_true(r->with_px > 0);
  assert_true(r->with_drugs > 0);
  assert_true(r->with_segs == r->n);
  for (i = 0; i < r->n; i++) {
    check(&r->k[i]);
    free(r->k[i].copy);
    free(r->k[i].seg_bytes);
    free(r->k[i].el_text);
  }
  free(r);
}

/* A span outside its segment's bytes: not a model the parser makes,
 * refused; a claim without segments or lines copies. */
static void test_refused_and_empty(void **state)
{
  static const char raw[] = "CLM*X1*10~";
  c837_span el[2] = {{raw + 4, 2}, {"10", 2}};
  c837_segment seg;
  c837_claim c;
  c837_claim *d;
  size_t size = 0;
  (void)state;
  memset(&seg, 0, sizeof seg);
  seg.raw = raw;
  seg.raw_len = sizeof raw - 1;
  seg.tag.p = raw;
  seg.tag.len = 3;
  seg.n_el = 2;
  seg.el = el;
  memset(&c, 0, sizeof c);
  snprintf(c.id, sizeof c.id, "X1");
  c.n_segs = 1;
  c.segs = &seg;
  assert_null(c837_claim_copy(&c, &size));
  el[1].p = raw + 7; /* inside now */
  d = c837_claim_copy(&c, &size);
  assert_non_null(d);
  assert_int_equal(d->segs[0].el[1].p - d->segs[0].raw, 7);
  assert_memory_equal(d->segs[0].raw, raw, sizeof raw - 1);
  free(d);
  c.n_segs = 0;
  c.segs = NULL;
  d = c837_claim_copy(&c, &size);
  assert_non_null(d);
  assert_string_equal(d->id, "X1");
  assert_null(d->segs);
  assert_null(d->lines);
  assert_null(d->env);
  free(d);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_samples),
      cmocka_unit_test(test_refused_and_empty),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
