/* engine_fx.h -- claim builder and fixture of the engine's unit tests
 *
 * Shared by tests/test_internal_engine.c and tests/test_internal_failclosed.c (both
 * internal tests: they include the engine's private headers).  Claims
 * are built directly as c837_claim / c837_line structs (the engine reads
 * only parsed fields, never the segments) and evaluated against the
 * built-in code table; the look-ups count and find findings and
 * remembered records.  Every function is static inline, so that a test
 * program that does not use one gets no warning.
 */
#ifndef CART837_TESTS_ENGINE_FX_H
#define CART837_TESTS_ENGINE_FX_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cart837.h"
#include "edit/engine_int.h"

/* ------------------------------------------------------------------ */
/* Claim builder                                                       */
/* ------------------------------------------------------------------ */

#define TB_LINES 1024

typedef struct tb {
  c837_claim c;
  c837_line lines[TB_LINES];
  c837_envelope env;
} tb;

/* A claim of kind k, id, patient key and billing NPI; freq "1", TOB 131
 * on 837I, no envelope. */
static inline tb *tb_new(c837_kind k, const char *id, const char *patient,
                  const char *npi)
{
  tb *b = calloc(1, sizeof *b);
  assert_non_null(b);
  b->c.kind = k;
  snprintf(b->c.id, sizeof b->c.id, "%s", id);
  snprintf(b->c.patient_key, sizeof b->c.patient_key, "%s", patient);
  snprintf(b->c.billing.id, sizeof b->c.billing.id, "%s", npi);
  snprintf(b->c.freq, sizeof b->c.freq, "1");
  if (k == C837_KIND_I)
    snprintf(b->c.tob, sizeof b->c.tob, "131");
  b->c.lines = b->lines;
  return b;
}

static inline void tb_env(tb *b, const char *isa06, const char *isa13)
{
  snprintf(b->env.isa06, sizeof b->env.isa06, "%s", isa06);
  snprintf(b->env.isa13, sizeof b->env.isa13, "%s", isa13);
  snprintf(b->env.gs06, sizeof b->env.gs06, "1");
  snprintf(b->env.st02, sizeof b->env.st02, "0001");
  b->c.env = &b->env;
}

/* Adds a line: code, units as written, date range (to 0 = one day),
 * revenue ("" on 837P).  Charge 1000.00, basis UN, qualifier HC. */
static inline c837_line *tb_line(tb *b, const char *code, const char *units,
                          int32_t from, int32_t to, const char *revenue)
{
  c837_line *l;
  c837_span s;
  assert_true(b->c.n_lines < TB_LINES);
  l = &b->lines[b->c.n_lines++];
  memset(l, 0, sizeof *l);
  snprintf(l->lx, sizeof l->lx, "%zu", b->c.n_lines);
  l->sv = b->c.kind == C837_KIND_I ? '2' : '1';
  snprintf(l->qualifier, sizeof l->qualifier, "%s", code[0] ? "HC" : "");
  snprintf(l->code, sizeof l->code, "%s", code);
  snprintf(l->revenue, sizeof l->revenue, "%s", revenue);
  l->charge = 100000;
  l->charge_ok = 1;
  snprintf(l->unit_basis, sizeof l->unit_basis, "UN");
  snprintf(l->units_raw, sizeof l->units_raw, "%s", units);
  s.p = units;
  s.len = strlen(units);
  l->units_ok = c837_parse_decimal(s, 6, &l->units) == 0;
  if (!l->units_ok)
    l->units = 0;
  l->date_from = from;
  l->date_to = to ? to : from;
  l->date_source = 'L';
  l->seg_sv = l->seg_dtp = l->seg_first = l->seg_last = C837_NO_INDEX;
  return l;
}

/* ------------------------------------------------------------------ */
/* Fixture and look-ups                                                */
/* ------------------------------------------------------------------ */

typedef struct fx {
  c837_codetable *t;
  c837_engine *e;
  c837_edit_options o;
} fx;

static inline fx *fx_new(const c837_edit_options *o)
{
  fx *f = calloc(1, sizeof *f);
  c837_error err;
  assert_non_null(f);
  memset(&err, 0, sizeof err);
  f->t = c837_codetable_builtin(&err);
  assert_non_null(f->t);
  if (o)
    f->o = *o;
  else
    c837_edit_options_default(&f->o);
  f->o.run_date = 20250601;
  f->e = c837_engine_new(f->t, &f->o);
  assert_non_null(f->e);
  return f;
}

static inline void fx_free(fx *f)
{
  c837_engine_free(f->e);
  c837_codetable_free(f->t);
  free(f);
}

static inline c837_verdict run(fx *f, tb *b)
{
  c837_verdict v;
  assert_int_equal(c837_engine_claim(f->e, &b->c, &v), C837_OK);
  return v;
}

/* Remembered records of kind k.  Every record's kind is the one its
 * ledger row gives back (c837_hist_kind_of), so that a save and a load
 * keep it; and every record's key (what the ledger sorts by) is that of
 * its copy. */
static inline size_t n_kind(const c837_engine *e, c837_hist_kind k)
{
  size_t i, n = 0;
  for (i = 0; i < c837_engine_history_count(e); i++) {
    c837_hist hb;
    const c837_hist *h = c837_engine_history_at(e, i, &hb);
    c837_hist_kind kk = c837_hist_kind_of(h);
    c837_hist_key key;
    assert_ptr_equal(h, &hb);
    assert_int_equal(h->kind, kk);
    assert_true((h->kind == C837_HIST_LINE) == (h->family != C837_FAM_NONE));
    assert_int_equal(c837_engine_history_key(e, i, &key), 1);
    assert_string_equal(key.source, h->source);
    assert_string_equal(key.claim_id, h->claim_id);
    assert_string_equal(key.lx, h->lx);
    assert_int_equal(key.run, h->run);
    assert_int_equal(key.run_date, h->run_date);
    assert_int_equal(key.bookkeeping, kk == C837_HIST_TOMBSTONE ||
                                          kk == C837_HIST_MARKER);
    n += h->kind == k;
  }
  assert_null(c837_engine_history_at(e, i, &(c837_hist){0}));
  assert_int_equal(c837_engine_history_key(e, i, &(c837_hist_key){0}), 0);
  return n;
}

/* Remembered lines, tombstones, markers. */
static inline size_t n_lines(const c837_engine *e)
{
  return n_kind(e, C837_HIST_LINE);
}

static inline size_t n_tombs(const c837_engine *e)
{
  return n_kind(e, C837_HIST_TOMBSTONE);
}

static inline size_t n_markers(const c837_engine *e)
{
  return n_kind(e, C837_HIST_MARKER);
}

/* A ledger row of run 1: line 1 of claim C1 of patient PAT, 1 unit of
 * 38225 on 2025-03-01, from source, billed by provider. */
static inline c837_hist hist_38225(const char *source, const char *provider)
{
  c837_hist h;
  memset(&h, 0, sizeof h);
  snprintf(h.source, sizeof h.source, "%s", source);
  snprintf(h.claim_id, sizeof h.claim_id, "C1");
  snprintf(h.lx, sizeof h.lx, "1");
  snprintf(h.patient, sizeof h.patient, "PAT");
  snprintf(h.provider, sizeof h.provider, "%s", provider);
  snprintf(h.code, sizeof h.code, "38225");
  snprintf(h.billed, sizeof h.billed, "38225");
  h.family = C837_FAM_STEP;
  h.step = 1;
  h.date_from = h.date_to = 20250301;
  h.units = 1000000;
  snprintf(h.freq, sizeof h.freq, "1");
  h.run = 1;
  return h;
}

/* The k-th remembered line (skipping tombstones and markers): a copy,
 * valid until the next call. */
static inline const c837_hist *line_at(const c837_engine *e, size_t k)
{
  static c837_hist copy;
  c837_hist h;
  size_t i;
  for (i = 0; i < c837_engine_history_count(e); i++) {
    c837_engine_history_at(e, i, &h);
    if (h.kind == C837_HIST_LINE && k-- == 0) {
      copy = h;
      return &copy;
    }
  }
  return NULL;
}

static inline size_t count_edit(const c837_verdict *v, c837_edit ed)
{
  size_t i, n = 0;
  for (i = 0; i < v->n_findings; i++)
    if (v->findings[i].edit == ed)
      n++;
  return n;
}

static inline const c837_finding *find_edit(const c837_verdict *v, c837_edit ed,
                                     size_t line)
{
  size_t i;
  for (i = 0; i < v->n_findings; i++)
    if (v->findings[i].edit == ed && v->findings[i].line == line)
      return &v->findings[i];
  return NULL;
}

/* The only finding of edit ed: asserts there is exactly one. */
static inline const c837_finding *only(const c837_verdict *v, c837_edit ed)
{
  size_t i;
  assert_int_equal(count_edit(v, ed), 1);
  for (i = 0; i < v->n_findings; i++)
    if (v->findings[i].edit == ed)
      return &v->findings[i];
  return NULL;
}

/* The history as saved (a copy of every record, in history order). */
static inline c837_hist *save_history(const fx *f, size_t *n)
{
  size_t i;
  c837_hist *a;
  *n = c837_engine_history_count(f->e);
  a = calloc(*n ? *n : 1, sizeof *a);
  assert_non_null(a);
  for (i = 0; i < *n; i++)
    a[i] = *c837_engine_history_at(f->e, i, &(c837_hist){0});
  return a;
}

#endif
