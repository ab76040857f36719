/* claimedits_fx.h -- the claim builder and fixture of the unit tests of
 * the edits of issue 12 (test_internal_claimedits.c,
 * test_internal_productedits.c)
 *
 * Internal: includes the engine's private header (edit/engine_int.h) and
 * the run layer's ledger (run/ledger.h).  Claims are built as c837_claim
 * structs with the claim model of issue 12 (type of bill, SBR09,
 * admission date, HI codes, notes, modifiers, place of service, NDCs,
 * SV1 / SV2 descriptions) and judged against the built-in code table and
 * payers.
 */
#ifndef CART837_TESTS_CLAIMEDITS_FX_H
#define CART837_TESTS_CLAIMEDITS_FX_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "cart837.h"
#include "edit/engine_int.h"
#include "run/ledger.h"

/* ------------------------------------------------------------------ */
/* Claim builder                                                       */
/* ------------------------------------------------------------------ */

#define CB_LINES 16
#define CB_DRUGS 4 /* per line */

typedef struct cb {
  c837_claim c;
  c837_line lines[CB_LINES];
  c837_drug drugs[CB_LINES][CB_DRUGS];
  c837_hi_code dx[8], px[4], cond[8], value[4];
  c837_note notes[4];
  c837_envelope env;
  /* SV1 / SV2 segments of the lines given a description (cb_desc) */
  c837_segment segs[CB_LINES];
  c837_span els[CB_LINES][2];
  char svtext[CB_LINES][96];
} cb;

/* A claim: kind k, CLM01 id, patient key, billing NPI, SBR09 filing;
 * 837I type of bill tob ("131"), 837P place of service "11"; an
 * envelope ISA13 "1"; diagnosis C83.30 (large B-cell lymphoma); the
 * patient born 1960-05-05. */
static inline cb *cb_new(c837_kind k, const char *id, const char *patient,
                  const char *npi, const char *filing, const char *tob)
{
  cb *b = calloc(1, sizeof *b);
  assert_non_null(b);
  b->c.kind = k;
  snprintf(b->c.id, sizeof b->c.id, "%s", id);
  snprintf(b->c.patient_key, sizeof b->c.patient_key, "%s", patient);
  snprintf(b->c.billing.id, sizeof b->c.billing.id, "%s", npi);
  snprintf(b->c.filing, sizeof b->c.filing, "%s", filing);
  snprintf(b->c.freq, sizeof b->c.freq, "1");
  if (k == C837_KIND_I) {
    snprintf(b->c.tob, sizeof b->c.tob, "%s", tob);
    snprintf(b->c.facility, sizeof b->c.facility, "%.2s", tob);
  } else {
    snprintf(b->c.pos, sizeof b->c.pos, "11");
  }
  snprintf(b->env.isa06, sizeof b->env.isa06, "SENDER");
  snprintf(b->env.isa13, sizeof b->env.isa13, "1");
  snprintf(b->env.gs06, sizeof b->env.gs06, "1");
  snprintf(b->env.st02, sizeof b->env.st02, "0001");
  b->c.env = &b->env;
  b->c.lines = b->lines;
  b->c.dx = b->dx;
  b->c.px = b->px;
  b->c.cond = b->cond;
  b->c.value = b->value;
  b->c.notes = b->notes;
  b->c.patient_dob = 19600505;
  snprintf(b->dx[0].qual, sizeof b->dx[0].qual, "ABK");
  snprintf(b->dx[0].code, sizeof b->dx[0].code, "C8330");
  b->c.n_dx = 1;
  return b;
}

/* An inpatient claim (837I, 111) of the stay from..to, admitted on from. */
static inline cb *cb_inpatient(const char *id, const char *patient, const char *npi,
                        const char *filing, int32_t from, int32_t to)
{
  cb *b = cb_new(C837_KIND_I, id, patient, npi, filing, "111");
  b->c.stmt_from = from;
  b->c.stmt_to = to;
  b->c.admit_date = from;
  return b;
}

/* Adds a line: code (qualifier HC when not empty), units as written,
 * date (0: the claim's date, as the assembler gives a line without
 * DTP*472: the statement period on 837I), revenue ("" on 837P), charge
 * in cents. */
static inline c837_line *cb_line(cb *b, const char *code, const char *units,
                          int32_t date, const char *rev, int64_t charge)
{
  c837_line *l;
  c837_span s;
  assert_true(b->c.n_lines < CB_LINES);
  l = &b->lines[b->c.n_lines++];
  memset(l, 0, sizeof *l);
  snprintf(l->lx, sizeof l->lx, "%zu", b->c.n_lines);
  l->sv = b->c.kind == C837_KIND_I ? '2' : '1';
  snprintf(l->qualifier, sizeof l->qualifier, "%s", code[0] ? "HC" : "");
  snprintf(l->code, sizeof l->code, "%s", code);
  snprintf(l->revenue, sizeof l->revenue, "%s", rev);
  l->charge = charge;
  l->charge_ok = 1;
  snprintf(l->unit_basis, sizeof l->unit_basis, "UN");
  snprintf(l->units_raw, sizeof l->units_raw, "%s", units);
  s.p = units;
  s.len = strlen(units);
  l->units_ok = c837_parse_decimal(s, 6, &l->units) == 0;
  if (date) {
    l->date_from = l->date_to = date;
    l->date_source = 'L';
  } else {
    l->date_from = b->c.stmt_from;
    l->date_to = b->c.stmt_to;
    l->date_source = 'C';
  }
  if (b->c.kind == C837_KIND_P) {
    snprintf(l->pos, sizeof l->pos, "%s", b->c.pos);
    l->pos_source = 'C';
  }
  l->seg_sv = l->seg_dtp = l->seg_first = l->seg_last = C837_NO_INDEX;
  l->drugs = b->drugs[b->c.n_lines - 1];
  return l;
}

static inline void cb_mod(c837_line *l, const char *m)
{
  int k;
  for (k = 0; k < 4 && l->mod[k][0]; k++)
    ;
  assert_true(k < 4);
  snprintf(l->mod[k], sizeof l->mod[k], "%s", m);
}

static inline void cb_ndc(c837_line *l, const char *ndc)
{
  c837_drug *d = (c837_drug *)&l->drugs[l->n_drugs++];
  assert_true(l->n_drugs <= CB_DRUGS);
  memset(d, 0, sizeof *d);
  snprintf(d->qualifier, sizeof d->qualifier, "N4");
  snprintf(d->id, sizeof d->id, "%s", ndc);
}

/* Gives line l (of claim b) an SV1 / SV2 segment whose procedure
 * composite carries description text in its 7th component. */
static inline void cb_desc(cb *b, c837_line *l, const char *text)
{
  size_t i = (size_t)(l - b->lines);
  c837_segment *sg = &b->segs[i];
  int n = snprintf(b->svtext[i], sizeof b->svtext[i], "HC:%s:::::%s",
                   l->code, text);
  memset(sg, 0, sizeof *sg);
  sg->delims.component = ':';
  if (l->sv == '2') {
    b->els[i][0].p = l->revenue;
    b->els[i][0].len = strlen(l->revenue);
  }
  b->els[i][l->sv == '2'].p = b->svtext[i];
  b->els[i][l->sv == '2'].len = (size_t)n;
  sg->el = b->els[i];
  sg->n_el = l->sv == '2' ? 2 : 1;
  l->seg_sv = i;
  b->c.segs = b->segs;
  b->c.n_segs = CB_LINES;
}

static inline void cb_dx(cb *b, const char *code)
{
  c837_hi_code *h = &b->dx[b->c.n_dx++];
  snprintf(h->qual, sizeof h->qual, "ABF");
  snprintf(h->code, sizeof h->code, "%s", code);
}

static inline void cb_px(cb *b, const char *code, int32_t date)
{
  c837_hi_code *h = &b->px[b->c.n_px++];
  snprintf(h->qual, sizeof h->qual, b->c.n_px == 1 ? "BBR" : "BBQ");
  snprintf(h->code, sizeof h->code, "%s", code);
  h->date = date;
}

static inline void cb_cond(cb *b, const char *code)
{
  c837_hi_code *h = &b->cond[b->c.n_cond++];
  snprintf(h->qual, sizeof h->qual, "BG");
  snprintf(h->code, sizeof h->code, "%s", code);
}

static inline void cb_value(cb *b, const char *code, const char *raw)
{
  c837_hi_code *h = &b->value[b->c.n_value++];
  snprintf(h->qual, sizeof h->qual, "BE");
  snprintf(h->code, sizeof h->code, "%s", code);
  snprintf(h->amount_raw, sizeof h->amount_raw, "%s", raw);
}

static inline void cb_note(cb *b, const char *text)
{
  c837_note *n = &b->notes[b->c.n_notes++];
  snprintf(n->qual, sizeof n->qual, "ADD");
  snprintf(n->text, sizeof n->text, "%s", text);
}

/* ------------------------------------------------------------------ */
/* Fixture and look-ups                                                */
/* ------------------------------------------------------------------ */

typedef struct fx {
  c837_codetable *t;
  c837_payers *p;
  c837_engine *e;
} fx;

/* An engine over the built-in table and payers; providers (a CSV text
 * of the providers file) loaded when not NULL. */
static inline fx *fx_new_with(const char *providers)
{
  fx *f = calloc(1, sizeof *f);
  c837_edit_options o;
  c837_error err;
  assert_non_null(f);
  f->t = c837_codetable_builtin(&err);
  assert_non_null(f->t);
  f->p = c837_payers_builtin(&err);
  assert_non_null(f->p);
  if (providers) {
    char path[] = "/tmp/c837provXXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, providers, strlen(providers)),
                     (ssize_t)strlen(providers));
    close(fd);
    assert_int_equal(c837_payers_load_providers(f->p, path, &err), C837_OK);
    unlink(path);
  }
  c837_edit_options_default(&o);
  o.run_date = 20250801;
  o.payers = f->p;
  f->e = c837_engine_new(f->t, &o);
  assert_non_null(f->e);
  return f;
}

static inline fx *fx_new(void)
{
  return fx_new_with(NULL);
}

static inline void fx_free(fx *f)
{
  c837_engine_free(f->e);
  c837_payers_free(f->p);
  c837_codetable_free(f->t);
  free(f);
}

static inline c837_verdict run(fx *f, cb *b)
{
  c837_verdict v;
  size_t i;
  assert_int_equal(c837_engine_claim(f->e, &b->c, &v), C837_OK);
  if (getenv("CLAIMEDITS_TRACE"))
    for (i = 0; i < v.n_findings; i++)
      fprintf(stderr, "%s %s %zu: %s\n", b->c.id,
              c837_edit_name(v.findings[i].edit), v.findings[i].line,
              v.findings[i].detail);
  return v;
}

static inline size_t count_edit(const c837_verdict *v, c837_edit ed)
{
  size_t i, n = 0;
  for (i = 0; i < v->n_findings; i++)
    n += v->findings[i].edit == ed;
  return n;
}

/* The only finding of edit ed. */
static inline const c837_finding *only(const c837_verdict *v, c837_edit ed)
{
  size_t i;
  assert_int_equal(count_edit(v, ed), 1);
  for (i = 0; i < v->n_findings; i++)
    if (v->findings[i].edit == ed)
      return &v->findings[i];
  return NULL;
}

/* The k-th finding of edit ed (NULL past the last). */
static inline const c837_finding *nth(const c837_verdict *v, c837_edit ed, size_t k)
{
  size_t i;
  for (i = 0; i < v->n_findings; i++)
    if (v->findings[i].edit == ed && k-- == 0)
      return &v->findings[i];
  return NULL;
}

/* Asserts a verdict with no error-level finding and no hold. */
static inline void assert_clean(const c837_verdict *v)
{
  size_t i;
  for (i = 0; i < v->n_findings; i++)
    if (v->findings[i].severity == C837_SEV_ERROR ||
        v->findings[i].action == C837_ACT_HELD)
      fail_msg("unexpected %s finding: %s",
               c837_edit_name(v->findings[i].edit), v->findings[i].detail);
  assert_int_not_equal(v->disposition, C837_DISP_HELD);
}

/* Asserts a verdict with no finding but PRIOR_STEP_MISSING (the info
 * every administration without its earlier steps gets). */
static inline void assert_none(const c837_verdict *v)
{
  size_t i;
  for (i = 0; i < v->n_findings; i++)
    if (v->findings[i].edit != C837_EDIT_PRIOR_STEP_MISSING)
      fail_msg("unexpected %s finding: %s",
               c837_edit_name(v->findings[i].edit), v->findings[i].detail);
  assert_int_equal(v->disposition, C837_DISP_PASSED);
}

/* The remembered line of claim id, lx (NULL when none): a copy, valid
 * until the next call. */
static inline const c837_hist *remembered(const c837_engine *e, const char *id,
                                   const char *lx)
{
  static c837_hist copy;
  c837_hist h;
  size_t i;
  for (i = 0; i < c837_engine_history_count(e); i++) {
    c837_engine_history_at(e, i, &h);
    if (h.kind == C837_HIST_LINE && strcmp(h.claim_id, id) == 0 &&
        strcmp(h.lx, lx) == 0) {
      copy = h;
      return &copy;
    }
  }
  return NULL;
}

/* Remembered records of kind k. */
static inline size_t n_kind(const c837_engine *e, c837_hist_kind k)
{
  size_t i, n = 0;
  for (i = 0; i < c837_engine_history_count(e); i++)
    n += c837_engine_history_at(e, i, &(c837_hist){0})->kind == k;
  return n;
}

#define NPI "1234567893"
#define NPI2 "1987654325"
#define YESCARTA_NDC "71287011902"
#define CARVYKTI_NDC "57894011101"
#define BREYANZI_NDC "73153090001"

/* A correct inpatient CAR-T stay: Medicare Part A, 2025-07-15 to
 * 2025-07-20, Yescarta infused 2025-07-16 (PCS XW033H7), the product on
 * 0891 at $462,000 without a line date, an 0874 line without HCPCS. */
static inline cb *correct_stay(const char *id, const char *patient)
{
  cb *b = cb_inpatient(id, patient, NPI, "MA", 20250715, 20250720);
  cb_px(b, "XW033H7", 20250716);
  cb_line(b, "", "5", 0, "0120", 1200000);
  cb_line(b, "Q2041", "1", 0, "0891", 46200000);
  cb_line(b, "", "1", 0, "0874", 300000);
  return b;
}

/* An outpatient claim of patient pat at npi with 38228 + Q2041 on date. */
static inline cb *outpatient(const char *id, const char *pat, const char *npi,
                      const char *filing, int32_t date)
{
  cb *b = cb_new(C837_KIND_I, id, pat, npi, filing, "131");
  cb_line(b, "38228", "1", date, "0874", 300000);
  cb_line(b, "Q2041", "1", date, "0891", 46200000);
  return b;
}

#endif
