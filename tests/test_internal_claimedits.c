/* test_internal_claimedits.c -- unit tests of the edits of issue 12
 *
 * An internal test: besides cart837.h it includes the engine's private
 * header (edit/engine_int.h, for the history records) and the run
 * layer's ledger (run/ledger.h, for the admissions across runs).
 *
 * Claims are built as c837_claim structs with the claim model of issue 12
 * (type of bill, SBR09, admission date, HI diagnoses, procedures,
 * condition and value codes, notes, modifiers, place of service, NDCs)
 * and judged against the built-in code table and payers.  Every edit is
 * tested firing and not firing, at its boundaries: IP_CART_CLAIM_INTEGRITY,
 * CLINICAL_TRIAL_CODING, PAYMENT_WINDOW (across claims, through a void,
 * through the ledger), PRODUCT_IN_FACILITY_POS, PARTB_FRACTIONAL_PRODUCT,
 * NOC_PRODUCT_CODE, PRODUCT_NDC, PRODUCT_INDICATION, STEP_NOT_PAYABLE,
 * REPEAT_ADMINISTRATION by course class, payer window and split dose;
 * and the false holds of issue 12 section 2 that must not come back
 * (inpatient lines, 087X cell families, trials, NOC products, 837P in a
 * facility, STEP_OUT_OF_ORDER's episode window).
 */
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
static cb *cb_new(c837_kind k, const char *id, const char *patient,
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
static cb *cb_inpatient(const char *id, const char *patient, const char *npi,
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
static c837_line *cb_line(cb *b, const char *code, const char *units,
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

static void cb_mod(c837_line *l, const char *m)
{
  int k;
  for (k = 0; k < 4 && l->mod[k][0]; k++)
    ;
  assert_true(k < 4);
  snprintf(l->mod[k], sizeof l->mod[k], "%s", m);
}

static void cb_ndc(c837_line *l, const char *ndc)
{
  c837_drug *d = (c837_drug *)&l->drugs[l->n_drugs++];
  assert_true(l->n_drugs <= CB_DRUGS);
  memset(d, 0, sizeof *d);
  snprintf(d->qualifier, sizeof d->qualifier, "N4");
  snprintf(d->id, sizeof d->id, "%s", ndc);
}

/* Gives line l (of claim b) an SV1 / SV2 segment whose procedure
 * composite carries description text in its 7th component. */
static void cb_desc(cb *b, c837_line *l, const char *text)
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

static void cb_dx(cb *b, const char *code)
{
  c837_hi_code *h = &b->dx[b->c.n_dx++];
  snprintf(h->qual, sizeof h->qual, "ABF");
  snprintf(h->code, sizeof h->code, "%s", code);
}

static void cb_px(cb *b, const char *code, int32_t date)
{
  c837_hi_code *h = &b->px[b->c.n_px++];
  snprintf(h->qual, sizeof h->qual, b->c.n_px == 1 ? "BBR" : "BBQ");
  snprintf(h->code, sizeof h->code, "%s", code);
  h->date = date;
}

static void cb_cond(cb *b, const char *code)
{
  c837_hi_code *h = &b->cond[b->c.n_cond++];
  snprintf(h->qual, sizeof h->qual, "BG");
  snprintf(h->code, sizeof h->code, "%s", code);
}

static void cb_value(cb *b, const char *code, const char *raw)
{
  c837_hi_code *h = &b->value[b->c.n_value++];
  snprintf(h->qual, sizeof h->qual, "BE");
  snprintf(h->code, sizeof h->code, "%s", code);
  snprintf(h->amount_raw, sizeof h->amount_raw, "%s", raw);
}

static void cb_note(cb *b, const char *text)
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
static fx *fx_new_with(const char *providers)
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

static fx *fx_new(void)
{
  return fx_new_with(NULL);
}

static void fx_free(fx *f)
{
  c837_engine_free(f->e);
  c837_payers_free(f->p);
  c837_codetable_free(f->t);
  free(f);
}

static c837_verdict run(fx *f, cb *b)
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

static size_t count_edit(const c837_verdict *v, c837_edit ed)
{
  size_t i, n = 0;
  for (i = 0; i < v->n_findings; i++)
    n += v->findings[i].edit == ed;
  return n;
}

/* The only finding of edit ed. */
static const c837_finding *only(const c837_verdict *v, c837_edit ed)
{
  size_t i;
  assert_int_equal(count_edit(v, ed), 1);
  for (i = 0; i < v->n_findings; i++)
    if (v->findings[i].edit == ed)
      return &v->findings[i];
  return NULL;
}

/* The k-th finding of edit ed (NULL past the last). */
static const c837_finding *nth(const c837_verdict *v, c837_edit ed, size_t k)
{
  size_t i;
  for (i = 0; i < v->n_findings; i++)
    if (v->findings[i].edit == ed && k-- == 0)
      return &v->findings[i];
  return NULL;
}

/* Asserts a verdict with no error-level finding and no hold. */
static void assert_clean(const c837_verdict *v)
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
static void assert_none(const c837_verdict *v)
{
  size_t i;
  for (i = 0; i < v->n_findings; i++)
    if (v->findings[i].edit != C837_EDIT_PRIOR_STEP_MISSING)
      fail_msg("unexpected %s finding: %s",
               c837_edit_name(v->findings[i].edit), v->findings[i].detail);
  assert_int_equal(v->disposition, C837_DISP_PASSED);
}

/* The remembered line of claim id, lx (NULL when none). */
static const c837_hist *remembered(const c837_engine *e, const char *id,
                                   const char *lx)
{
  size_t i;
  for (i = 0; i < c837_engine_history_count(e); i++) {
    const c837_hist *h = c837_engine_history_at(e, i);
    if (h->kind == C837_HIST_LINE && strcmp(h->claim_id, id) == 0 &&
        strcmp(h->lx, lx) == 0)
      return h;
  }
  return NULL;
}

/* Remembered records of kind k. */
static size_t n_kind(const c837_engine *e, c837_hist_kind k)
{
  size_t i, n = 0;
  for (i = 0; i < c837_engine_history_count(e); i++)
    n += c837_engine_history_at(e, i)->kind == k;
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
static cb *correct_stay(const char *id, const char *patient)
{
  cb *b = cb_inpatient(id, patient, NPI, "MA", 20250715, 20250720);
  cb_px(b, "XW033H7", 20250716);
  cb_line(b, "", "5", 0, "0120", 1200000);
  cb_line(b, "Q2041", "1", 0, "0891", 46200000);
  cb_line(b, "", "1", 0, "0874", 300000);
  return b;
}

/* ------------------------------------------------------------------ */
/* Inpatient (section 2): no false hold, dates from the PCS code        */
/* ------------------------------------------------------------------ */

static void test_inpatient_correct_stay(void **state)
{
  fx *f = fx_new();
  cb *b = correct_stay("IP1", "PAT1");
  c837_verdict v;
  const c837_hist *h;
  (void)state;
  v = run(f, b);
  assert_none(&v);
  assert_int_equal(v.disposition, C837_DISP_PASSED);
  /* the product is dated on the PCS code's date, not over the stay */
  h = remembered(f->e, "IP1", "2");
  assert_non_null(h);
  assert_int_equal(h->date_from, 20250716);
  assert_int_equal(h->date_to, 20250716);
  /* and the admission is remembered */
  assert_int_equal(n_kind(f->e, C837_HIST_ADMISSION), 1);
  free(b);
  /* a split-worthy range on 11x: never split (no DTP*472 on an
   * inpatient line), whatever the units */
  b = cb_inpatient("IP2", "PAT2", NPI, "MA", 20250715, 20250720);
  cb_px(b, "XW033H7", 20250716);
  cb_line(b, "38228", "6", 0, "0874", 300000);
  cb_line(b, "Q2041", "1", 0, "0891", 46200000);
  b->lines[0].date_from = 20250715;
  b->lines[0].date_to = 20250720;
  b->lines[0].date_source = 'L';
  v = run(f, b);
  assert_int_equal(count_edit(&v, C837_EDIT_RANGE_SPANS_DAYS), 0);
  assert_int_equal(v.n_fixes, 0);
  free(b);
  fx_free(f);
}

/* 087X without HCPCS: held on an outpatient bill, nothing inpatient. */
static void test_inpatient_087x_without_hcpcs(void **state)
{
  fx *f = fx_new();
  cb *b = correct_stay("IP1", "PAT1");
  c837_verdict v;
  (void)state;
  cb_line(b, "", "1", 0, "0871", 150000);
  v = run(f, b);
  assert_int_equal(count_edit(&v, C837_EDIT_REVENUE_CODE_MISMATCH), 0);
  assert_clean(&v);
  free(b);
  b = cb_new(C837_KIND_I, "OP1", "PAT2", NPI, "MA", "131");
  cb_line(b, "", "1", 20250301, "0871", 150000);
  v = run(f, b);
  assert_int_equal(only(&v, C837_EDIT_REVENUE_CODE_MISMATCH)->action,
                   C837_ACT_HELD);
  free(b);
  fx_free(f);
}

/* 087X is cell and gene therapy: a stem-cell collection for a gene
 * therapy, a TCR-T administration or an unclassified product are not
 * CAR-T miscodings; another code is a warning. */
static void test_087x_cell_families(void **state)
{
  fx *f = fx_new();
  cb *b;
  c837_verdict v;
  const c837_finding *x;
  (void)state;
  b = cb_new(C837_KIND_I, "G1", "PATG", NPI, "MC", "131");
  cb_dx(b, "D5700");
  cb_line(b, "38206", "1", 20250310, "0871", 210000);
  v = run(f, b);
  assert_int_equal(count_edit(&v, C837_EDIT_REVENUE_CODE_MISMATCH), 0);
  assert_clean(&v);
  free(b);
  b = cb_new(C837_KIND_I, "T1", "PATT", NPI, "CI", "131");
  cb_line(b, "Q2057", "1", 20250601, "0874", 300000);
  v = run(f, b);
  assert_int_equal(count_edit(&v, C837_EDIT_REVENUE_CODE_MISMATCH), 0);
  free(b);
  b = cb_new(C837_KIND_I, "O1", "PATO", NPI, "CI", "131");
  cb_line(b, "96413", "1", 20250601, "0874", 41000);
  v = run(f, b);
  x = only(&v, C837_EDIT_REVENUE_CODE_MISMATCH);
  assert_int_equal(x->severity, C837_SEV_WARNING);
  assert_int_equal(x->action, C837_ACT_FLAGGED);
  assert_int_equal(v.disposition, C837_DISP_PASSED);
  free(b);
  /* 0892 with a CAR-T product on an outpatient bill: a warning; on an
   * inpatient bill: accepted */
  b = cb_new(C837_KIND_I, "R1", "PATR", NPI, "MA", "131");
  cb_line(b, "38228", "1", 20250601, "0874", 300000);
  cb_line(b, "Q2041", "1", 20250601, "0892", 46200000);
  v = run(f, b);
  x = only(&v, C837_EDIT_REVENUE_CODE_MISMATCH);
  assert_int_equal(x->line, 1);
  assert_int_equal(x->severity, C837_SEV_WARNING);
  free(b);
  fx_free(f);
}

/* ------------------------------------------------------------------ */
/* IP_CART_CLAIM_INTEGRITY                                             */
/* ------------------------------------------------------------------ */

static void test_ip_integrity_product_charge(void **state)
{
  fx *f = fx_new();
  cb *b;
  c837_verdict v;
  const c837_finding *x;
  (void)state;
  /* (a) a PCS code and no product line: held */
  b = cb_inpatient("A1", "PA1", NPI, "MA", 20250715, 20250720);
  cb_px(b, "XW033H7", 20250716);
  cb_line(b, "", "5", 0, "0120", 1200000);
  v = run(f, b);
  x = only(&v, C837_EDIT_IP_CART_CLAIM_INTEGRITY);
  assert_int_equal(x->line, C837_NO_INDEX);
  assert_int_equal(x->severity, C837_SEV_ERROR);
  assert_int_equal(x->action, C837_ACT_HELD);
  assert_string_equal(x->carc, "16");
  assert_string_equal(x->rarc, "MA130");
  assert_int_equal(v.disposition, C837_DISP_HELD);
  free(b);
  /* (a) boundary: $1.00 is the token (fires), $1.01 is not */
  b = cb_inpatient("A2", "PA2", NPI, "MA", 20250715, 20250720);
  cb_px(b, "XW033H7", 20250716);
  cb_line(b, "Q2041", "1", 0, "0891", 100);
  v = run(f, b);
  assert_int_equal(count_edit(&v, C837_EDIT_IP_CART_CLAIM_INTEGRITY), 1);
  free(b);
  b = cb_inpatient("A3", "PA3", NPI, "MA", 20250715, 20250720);
  cb_px(b, "XW033H7", 20250716);
  cb_line(b, "Q2041", "1", 0, "0891", 101);
  v = run(f, b);
  assert_int_equal(count_edit(&v, C837_EDIT_IP_CART_CLAIM_INTEGRITY), 0);
  free(b);
  /* (a) the covered charge counts: all of it non-covered fires */
  b = cb_inpatient("A4", "PA4", NPI, "MA", 20250715, 20250720);
  cb_px(b, "XW033H7", 20250716);
  cb_line(b, "Q2041", "1", 0, "0891", 46200000)->noncovered = 46200000;
  v = run(f, b);
  assert_int_equal(count_edit(&v, C837_EDIT_IP_CART_CLAIM_INTEGRITY), 1);
  free(b);
  /* (a) a commercial payer: a warning that does not hold */
  b = cb_inpatient("A5", "PA5", NPI, "CI", 20250715, 20250720);
  cb_px(b, "XW033H7", 20250716);
  v = run(f, b);
  x = only(&v, C837_EDIT_IP_CART_CLAIM_INTEGRITY);
  assert_int_equal(x->severity, C837_SEV_WARNING);
  assert_int_equal(x->action, C837_ACT_FLAGGED);
  free(b);
  /* a trial (Z00.6 with its set) or expanded access (CC 90 + note): no
   * product charge is right */
  b = cb_inpatient("A6", "PA6", NPI, "MA", 20250715, 20250720);
  cb_px(b, "XW033H7", 20250716);
  cb_dx(b, "Z006");
  cb_cond(b, "30");
  cb_value(b, "D4", "12345678");
  cb_line(b, "Q2041", "1", 0, "0891", 100);
  v = run(f, b);
  assert_none(&v);
  free(b);
  b = cb_inpatient("A7", "PA7", NPI, "MA", 20250715, 20250720);
  cb_px(b, "XW033H7", 20250716);
  cb_cond(b, "90");
  cb_note(b, "Expand Acc Use");
  v = run(f, b);
  assert_none(&v);
  free(b);
  fx_free(f);
}

static void test_ip_integrity_notes(void **state)
{
  fx *f = fx_new();
  cb *b;
  c837_verdict v;
  const c837_finding *x;
  (void)state;
  /* (b) Z00.6 with a product bought for another trial: needs the note */
  b = correct_stay("B1", "PB1");
  cb_dx(b, "Z006");
  cb_cond(b, "30");
  cb_value(b, "D4", "12345678");
  v = run(f, b);
  x = only(&v, C837_EDIT_IP_CART_CLAIM_INTEGRITY);
  assert_int_equal(x->severity, C837_SEV_WARNING);
  assert_int_equal(x->action, C837_ACT_FLAGGED);
  assert_non_null(strstr(x->detail, "Diff Prod Clin Trial"));
  free(b);
  b = correct_stay("B2", "PB2");
  cb_dx(b, "Z006");
  cb_cond(b, "30");
  cb_value(b, "D4", "12345678");
  cb_note(b, "DIFF PROD CLIN TRIAL");
  v = run(f, b);
  assert_none(&v);
  free(b);
  /* (c) CC 90 without the note, and the note without CC 90 */
  b = correct_stay("C1", "PC1");
  cb_cond(b, "90");
  v = run(f, b);
  assert_string_equal(only(&v, C837_EDIT_IP_CART_CLAIM_INTEGRITY)->detail,
                      "condition code 90 (expanded access) without the note "
                      "'Expand Acc Use'");
  free(b);
  b = correct_stay("C2", "PC2");
  cb_note(b, "Expand Acc Use");
  v = run(f, b);
  assert_int_equal(only(&v, C837_EDIT_IP_CART_CLAIM_INTEGRITY)->severity,
                   C837_SEV_WARNING);
  free(b);
  fx_free(f);
}

static void test_ip_integrity_pcs(void **state)
{
  fx *f = fx_new();
  cb *b;
  c837_verdict v;
  const c837_finding *x;
  (void)state;
  /* (d) a product line without a CAR-T PCS code */
  b = cb_inpatient("D1", "PD1", NPI, "MA", 20250715, 20250720);
  cb_px(b, "5A1955Z", 20250716);
  cb_line(b, "Q2041", "1", 0, "0891", 46200000);
  v = run(f, b);
  x = only(&v, C837_EDIT_IP_CART_CLAIM_INTEGRITY);
  assert_int_equal(x->line, 0);
  assert_int_equal(x->action, C837_ACT_HELD);
  free(b);
  /* (d) the PCS code of another product (Kymriah for Yescarta) */
  b = cb_inpatient("D2", "PD2", NPI, "MA", 20250715, 20250720);
  cb_px(b, "XW033J7", 20250716);
  cb_line(b, "Q2041", "1", 0, "0891", 46200000);
  v = run(f, b);
  assert_string_equal(only(&v, C837_EDIT_IP_CART_CLAIM_INTEGRITY)->detail,
                      "product Q2041 (axicabtagene ciloleucel) is billed on "
                      "an inpatient bill whose CAR-T ICD-10-PCS code XW033J7 "
                      "is for another product");
  free(b);
  /* the code valid before FY2022, by discharge date: 2021-09-30 yes,
   * 2021-10-01 no */
  b = cb_inpatient("D3", "PD3", NPI, "MA", 20210925, 20210930);
  cb_px(b, "XW033C3", 20210926);
  cb_line(b, "Q2041", "1", 0, "0891", 40000000);
  v = run(f, b);
  assert_int_equal(count_edit(&v, C837_EDIT_IP_CART_CLAIM_INTEGRITY), 0);
  free(b);
  b = cb_inpatient("D4", "PD4", NPI, "MA", 20210926, 20211001);
  cb_px(b, "XW033C3", 20210926);
  cb_line(b, "Q2041", "1", 0, "0891", 40000000);
  v = run(f, b);
  assert_int_equal(count_edit(&v, C837_EDIT_IP_CART_CLAIM_INTEGRITY), 1);
  free(b);
  /* a stem-cell gene therapy on 0892 without a CAR-T PCS code: not this
   * edit's */
  b = cb_inpatient("D5", "PD5", NPI, "MC", 20250715, 20250720);
  cb_dx(b, "D5700");
  cb_line(b, "J3392", "1", 0, "0892", 220000000);
  v = run(f, b);
  assert_int_equal(count_edit(&v, C837_EDIT_IP_CART_CLAIM_INTEGRITY), 0);
  free(b);
  /* a CAR-T NDC on an unclassified code is a CAR-T product line too */
  b = cb_inpatient("D6", "PD6", NPI, "MA", 20250715, 20250720);
  cb_ndc(cb_line(b, "J9999", "1", 0, "0891", 46200000), YESCARTA_NDC);
  v = run(f, b);
  assert_int_equal(only(&v, C837_EDIT_IP_CART_CLAIM_INTEGRITY)->line, 0);
  free(b);
  fx_free(f);
}

/* ------------------------------------------------------------------ */
/* Pairing: trials, NOC products, 837P in a facility                   */
/* ------------------------------------------------------------------ */

static void test_pairing_trial_and_noc(void **state)
{
  fx *f = fx_new();
  cb *b;
  c837_verdict v;
  const c837_finding *x;
  (void)state;
  /* 38228 alone on 13x: held ... */
  b = cb_new(C837_KIND_I, "P1", "PP1", NPI, "CI", "131");
  cb_line(b, "38228", "1", 20250601, "0874", 300000);
  v = run(f, b);
  assert_int_equal(only(&v, C837_EDIT_ADMIN_WITHOUT_PRODUCT)->action,
                   C837_ACT_HELD);
  free(b);
  /* ... not in a clinical trial (Z00.6), nor with expanded access */
  b = cb_new(C837_KIND_I, "P2", "PP2", NPI, "CI", "131");
  cb_dx(b, "Z006");
  cb_line(b, "38228", "1", 20250601, "0874", 300000);
  v = run(f, b);
  assert_int_equal(count_edit(&v, C837_EDIT_ADMIN_WITHOUT_PRODUCT), 0);
  assert_clean(&v);
  free(b);
  b = cb_new(C837_KIND_I, "P3", "PP3", NPI, "CI", "131");
  cb_cond(b, "90");
  cb_note(b, "expand acc use");
  cb_line(b, "38228", "1", 20250601, "0874", 300000);
  v = run(f, b);
  assert_int_equal(count_edit(&v, C837_EDIT_ADMIN_WITHOUT_PRODUCT), 0);
  free(b);
  /* a product alone on a trial claim: a warning, not held */
  b = cb_new(C837_KIND_I, "P4", "PP4", NPI, "CI", "131");
  cb_mod(cb_line(b, "Q2041", "1", 20250601, "0891", 100), "Q0");
  v = run(f, b);
  x = only(&v, C837_EDIT_PRODUCT_WITHOUT_ADMIN);
  assert_int_equal(x->severity, C837_SEV_WARNING);
  assert_int_equal(x->action, C837_ACT_FLAGGED);
  free(b);
  /* a product before its Q-code: J9999 with Breyanzi's NDC pairs */
  b = cb_new(C837_KIND_I, "P5", "PP5", NPI, "CI", "131");
  cb_line(b, "0540T", "1", 20210601, "0874", 300000);
  cb_ndc(cb_line(b, "J9999", "1", 20210601, "0891", 41000000), BREYANZI_NDC);
  cb_desc(b, &b->lines[1], "BREYANZI 1 DOSE");
  v = run(f, b);
  assert_none(&v);
  free(b);
  /* ... without an NDC it does not */
  b = cb_new(C837_KIND_I, "P6", "PP6", NPI, "CI", "131");
  cb_line(b, "0540T", "1", 20210601, "0874", 300000);
  cb_line(b, "J9999", "1", 20210601, "0891", 41000000);
  v = run(f, b);
  assert_int_equal(count_edit(&v, C837_EDIT_ADMIN_WITHOUT_PRODUCT), 1);
  free(b);
  /* a TCR-T product pairs with the administration */
  b = cb_new(C837_KIND_I, "P7", "PP7", NPI, "CI", "131");
  cb_dx(b, "C4920");
  cb_line(b, "38228", "1", 20250601, "0874", 300000);
  cb_line(b, "Q2057", "1", 20250601, "0891", 72700000);
  v = run(f, b);
  assert_none(&v);
  free(b);
  fx_free(f);
}

static void test_pairing_837p_pos(void **state)
{
  fx *f = fx_new();
  cb *b;
  c837_verdict v;
  const char *pos[] = {"19", "21", "22", "23"};
  size_t k;
  (void)state;
  for (k = 0; k < 4; k++) {
    char id[8];
    snprintf(id, sizeof id, "F%zu", k);
    b = cb_new(C837_KIND_P, id, id, NPI, "MB", "");
    snprintf(b->c.pos, sizeof b->c.pos, "%s", pos[k]);
    cb_line(b, "38228", "1", 20250601, "", 30000);
    v = run(f, b);
    assert_int_equal(count_edit(&v, C837_EDIT_ADMIN_WITHOUT_PRODUCT), 0);
    assert_clean(&v);
    free(b);
  }
  b = cb_new(C837_KIND_P, "O1", "PO1", NPI, "MB", "");
  cb_line(b, "38228", "1", 20250601, "", 30000);
  v = run(f, b);
  assert_int_equal(only(&v, C837_EDIT_ADMIN_WITHOUT_PRODUCT)->severity,
                   C837_SEV_WARNING);
  free(b);
  fx_free(f);
}

/* ------------------------------------------------------------------ */
/* REPEAT_ADMINISTRATION and STEP_OUT_OF_ORDER                         */
/* ------------------------------------------------------------------ */

/* Q2058 (split dose) on day 1, then an infusion `days` after it: the
 * number of REPEAT_ADMINISTRATION findings of the second. */
static size_t split_case(int days, int third)
{
  fx *f = fx_new();
  cb *b1 = cb_new(C837_KIND_I, "S1", "PS", NPI, "MA", "131");
  cb *b2 = cb_new(C837_KIND_I, "S2", "PS", NPI, "MA", "131");
  cb *b3 = cb_new(C837_KIND_I, "S3", "PS", NPI, "MA", "131");
  int32_t d1 = 20250801;
  int32_t d2 = c837_days_to_date(c837_date_to_days(d1) + days);
  c837_verdict v;
  size_t n;
  cb_line(b1, "38228", "1", d1, "0874", 300000);
  cb_line(b1, "Q2058", "1", d1, "0891", 26000000);
  v = run(f, b1);
  assert_int_equal(count_edit(&v, C837_EDIT_REPEAT_ADMINISTRATION), 0);
  cb_line(b2, "38228", "1", d2, "0874", 300000);
  cb_line(b2, "Q2058", "1", d2, "0891", 26000000);
  v = run(f, b2);
  n = count_edit(&v, C837_EDIT_REPEAT_ADMINISTRATION);
  if (third) {
    cb_line(b3, "38228", "1",
            c837_days_to_date(c837_date_to_days(d2) + 9), "0874", 300000);
    v = run(f, b3);
    n = count_edit(&v, C837_EDIT_REPEAT_ADMINISTRATION);
  }
  free(b1);
  free(b2);
  free(b3);
  fx_free(f);
  return n;
}

static void test_repeat_split_dose(void **state)
{
  (void)state;
  /* day 10 +/- 2, the first infusion day 1: 7 to 11 days after it */
  assert_int_equal(split_case(6, 0), 1);
  assert_int_equal(split_case(7, 0), 0);
  assert_int_equal(split_case(9, 0), 0);
  assert_int_equal(split_case(11, 0), 0);
  assert_int_equal(split_case(12, 0), 1);
  /* a third infusion: a repeat */
  assert_int_equal(split_case(9, 1), 1);
}

static void test_repeat_payer_window_and_class(void **state)
{
  fx *f;
  cb *b;
  c837_verdict v;
  const c837_finding *x;
  (void)state;
  /* commercial: lifetime; five years later still a repeat */
  f = fx_new();
  b = cb_new(C837_KIND_P, "L1", "PL", NPI, "CI", "");
  cb_line(b, "38228", "1", 20200115, "", 30000);
  run(f, b);
  free(b);
  b = cb_new(C837_KIND_P, "L2", "PL", NPI, "CI", "");
  cb_line(b, "38228", "1", 20250601, "", 30000);
  v = run(f, b);
  x = only(&v, C837_EDIT_REPEAT_ADMINISTRATION);
  assert_non_null(strstr(x->detail, "window lifetime, payer class "
                                    "commercial"));
  free(b);
  /* Medicare: 365 days */
  b = cb_new(C837_KIND_P, "M1", "PM", NPI, "MB", "");
  cb_line(b, "38228", "1", 20200115, "", 30000);
  run(f, b);
  free(b);
  b = cb_new(C837_KIND_P, "M2", "PM", NPI, "MB", "");
  cb_line(b, "38228", "1", 20250601, "", 30000);
  v = run(f, b);
  assert_int_equal(count_edit(&v, C837_EDIT_REPEAT_ADMINISTRATION), 0);
  free(b);
  /* product lines alone (Part B fractions, inpatient): a CAR-T after a
   * CAR-T of another product is a repeat; a TCR-T after a CAR-T is not
   * of its class */
  b = cb_new(C837_KIND_I, "Q1", "PQ", NPI, "MC", "111");
  b->c.stmt_from = 20240301;
  b->c.stmt_to = 20240310;
  cb_px(b, "XW033H7", 20240302);
  cb_line(b, "Q2041", "1", 0, "0891", 46200000);
  run(f, b);
  free(b);
  b = cb_new(C837_KIND_I, "Q2", "PQ", NPI, "MC", "131");
  cb_dx(b, "C4920");
  cb_line(b, "Q2057", "1", 20250601, "0891", 72700000);
  cb_ndc(&b->lines[0], "83205000102");
  v = run(f, b);
  assert_int_equal(count_edit(&v, C837_EDIT_REPEAT_ADMINISTRATION), 0);
  free(b);
  b = cb_new(C837_KIND_I, "Q3", "PQ", NPI, "MC", "131");
  cb_dx(b, "C9000");
  cb_ndc(cb_line(b, "Q2056", "1", 20250701, "0891", 46500000),
         CARVYKTI_NDC);
  v = run(f, b);
  x = only(&v, C837_EDIT_REPEAT_ADMINISTRATION);
  assert_int_equal(x->line, 0);
  assert_non_null(strstr(x->detail, "product Q2056 on 2025-07-01 is a "
                                    "second course for this patient: "
                                    "Q2041 is dated 2024-03-02"));
  free(b);
  /* sipuleucel-T, three infusions a course: not judged */
  b = cb_new(C837_KIND_P, "V1", "PV", NPI, "CI", "");
  cb_dx(b, "C61");
  cb_line(b, "Q2043", "1", 20250101, "", 100000);
  run(f, b);
  free(b);
  b = cb_new(C837_KIND_P, "V2", "PV", NPI, "CI", "");
  cb_dx(b, "C61");
  cb_line(b, "Q2043", "1", 20250115, "", 100000);
  v = run(f, b);
  assert_int_equal(count_edit(&v, C837_EDIT_REPEAT_ADMINISTRATION), 0);
  free(b);
  fx_free(f);
}

static void test_step_order_window(void **state)
{
  fx *f = fx_new();
  cb *b;
  c837_verdict v;
  (void)state;
  /* a collection on 2025-03-10, administrations dated before it: within
   * 180 days a warning, further apart none (another course, or a ledger
   * that starts mid-history) */
  b = cb_new(C837_KIND_P, "W1", "PW", NPI, "CI", "");
  cb_line(b, "38225", "1", 20250310, "", 25000);
  run(f, b);
  free(b);
  b = cb_new(C837_KIND_P, "W2", "PW", NPI, "CI", "");
  cb_line(b, "38226", "1", 20240911, "", 18000); /* 180 days before */
  v = run(f, b);
  assert_int_equal(only(&v, C837_EDIT_STEP_OUT_OF_ORDER)->severity,
                   C837_SEV_WARNING);
  free(b);
  b = cb_new(C837_KIND_P, "W3", "PW2", NPI, "CI", "");
  cb_line(b, "38225", "1", 20250310, "", 25000);
  run(f, b);
  free(b);
  b = cb_new(C837_KIND_P, "W4", "PW2", NPI, "CI", "");
  cb_line(b, "38226", "1", 20240910, "", 18000); /* 181 days before */
  v = run(f, b);
  assert_int_equal(count_edit(&v, C837_EDIT_STEP_OUT_OF_ORDER), 0);
  free(b);
  fx_free(f);
}

/* ------------------------------------------------------------------ */
/* PAYMENT_WINDOW                                                      */
/* ------------------------------------------------------------------ */

/* An outpatient claim of patient pat at npi with 38228 + Q2041 on date. */
static cb *outpatient(const char *id, const char *pat, const char *npi,
                      const char *filing, int32_t date)
{
  cb *b = cb_new(C837_KIND_I, id, pat, npi, filing, "131");
  cb_line(b, "38228", "1", date, "0874", 300000);
  cb_line(b, "Q2041", "1", date, "0891", 46200000);
  return b;
}

static void test_payment_window_admission_first(void **state)
{
  fx *f = fx_new();
  cb *ip = correct_stay("IP", "PW");
  cb *b;
  c837_verdict v;
  const c837_finding *x;
  (void)state;
  run(f, ip);
  /* 3 days before the admission of 2025-07-15: held */
  b = outpatient("O1", "PW", NPI, "MA", 20250712);
  v = run(f, b);
  assert_int_equal(count_edit(&v, C837_EDIT_PAYMENT_WINDOW), 2);
  x = nth(&v, C837_EDIT_PAYMENT_WINDOW, 0);
  assert_int_equal(x->line, 0);
  assert_int_equal(x->action, C837_ACT_HELD);
  assert_string_equal(x->carc, "97");
  assert_string_equal(x->rarc, "M2");
  assert_string_equal(x->detail,
                      "38228 on 2025-07-12 is an outpatient service on or "
                      "within 3 days before the patient's inpatient "
                      "admission of 2025-07-15 at this hospital (claim IP): "
                      "it belongs on the inpatient claim (or condition code "
                      "51 attests it is unrelated)");
  assert_int_equal(v.disposition, C837_DISP_HELD);
  free(b);
  /* the day of admission counts; 4 days before does not */
  b = outpatient("O2", "PW", NPI, "MA", 20250715);
  v = run(f, b);
  assert_int_equal(count_edit(&v, C837_EDIT_PAYMENT_WINDOW), 2);
  free(b);
  b = outpatient("O3", "PW", NPI, "MA", 20250711);
  v = run(f, b);
  assert_int_equal(count_edit(&v, C837_EDIT_PAYMENT_WINDOW), 0);
  free(b);
  /* condition code 51, another hospital, a commercial payer: none */
  b = outpatient("O4", "PW", NPI, "MA", 20250713);
  cb_cond(b, "51");
  v = run(f, b);
  assert_int_equal(count_edit(&v, C837_EDIT_PAYMENT_WINDOW), 0);
  free(b);
  b = outpatient("O5", "PW", NPI2, "MA", 20250713);
  v = run(f, b);
  assert_int_equal(count_edit(&v, C837_EDIT_PAYMENT_WINDOW), 0);
  free(b);
  b = outpatient("O6", "PW", NPI, "CI", 20250713);
  v = run(f, b);
  assert_int_equal(count_edit(&v, C837_EDIT_PAYMENT_WINDOW), 0);
  free(b);
  /* a void of the inpatient claim takes the admission away */
  snprintf(ip->c.freq, sizeof ip->c.freq, "8");
  run(f, ip);
  assert_int_equal(n_kind(f->e, C837_HIST_ADMISSION), 0);
  b = outpatient("O7", "PW", NPI, "MA", 20250713);
  v = run(f, b);
  assert_int_equal(count_edit(&v, C837_EDIT_PAYMENT_WINDOW), 0);
  free(b);
  free(ip);
  fx_free(f);
}

static void test_payment_window_non_ipps(void **state)
{
  fx *f = fx_new_with("npi,type,name,note\n" NPI
                      ",non_ipps,Cancer Hospital,cancer hospital\n");
  cb *ip = correct_stay("IP", "PN");
  cb *b;
  c837_verdict v;
  (void)state;
  run(f, ip);
  b = outpatient("O1", "PN", NPI, "MA", 20250714);
  v = run(f, b);
  assert_int_equal(count_edit(&v, C837_EDIT_PAYMENT_WINDOW), 2);
  free(b);
  b = outpatient("O2", "PN", NPI, "MA", 20250713);
  v = run(f, b);
  assert_int_equal(count_edit(&v, C837_EDIT_PAYMENT_WINDOW), 0);
  free(b);
  free(ip);
  fx_free(f);
}

static void test_payment_window_outpatient_first(void **state)
{
  fx *f = fx_new();
  cb *b = outpatient("O1", "PW", NPI, "MA", 20250713);
  cb *ip;
  c837_verdict v;
  const c837_finding *x;
  (void)state;
  v = run(f, b);
  assert_int_equal(count_edit(&v, C837_EDIT_PAYMENT_WINDOW), 0);
  /* the inpatient claim read after it: a warning on it */
  ip = cb_inpatient("IP", "PW", NPI, "MA", 20250715, 20250720);
  cb_line(ip, "", "5", 0, "0120", 1200000);
  v = run(f, ip);
  x = only(&v, C837_EDIT_PAYMENT_WINDOW);
  assert_int_equal(x->line, C837_NO_INDEX);
  assert_int_equal(x->severity, C837_SEV_WARNING);
  assert_int_equal(x->action, C837_ACT_FLAGGED);
  assert_string_equal(x->detail,
                      "38228 of claim O1 on 2025-07-13, at this hospital, is "
                      "on or within 3 days before this admission of "
                      "2025-07-15: it belongs on this inpatient claim (unless "
                      "condition code 51 on it attests it is unrelated)");
  free(ip);
  free(b);
  fx_free(f);
}

/* The admissions survive the ledger: saved, loaded by a new engine (a
 * later run), they still set the window; a re-run of the inpatient
 * claim keeps its row. */
static void test_payment_window_ledger(void **state)
{
  fx *f = fx_new(), *g;
  cb *ip = correct_stay("IP", "PL");
  cb *b;
  c837_verdict v;
  char dir[] = "/tmp/c837admXXXXXX", path[64], path2[64];
  c837_error err;
  FILE *fp;
  char line[512];
  int found = 0;
  (void)state;
  assert_non_null(mkdtemp(dir));
  snprintf(path, sizeof path, "%s/ledger.csv", dir);
  snprintf(path2, sizeof path2, "%s/ledger2.csv", dir);
  run(f, ip);
  assert_int_equal(c837_ledger_save(f->e, path, &err), C837_OK);
  fp = fopen(path, "r");
  assert_non_null(fp);
  while (fgets(line, sizeof line, fp))
    found += strstr(line, "\"admission\"") != NULL &&
             strstr(line, "\"2025-07-15\",\"2025-07-20\"") != NULL;
  fclose(fp);
  assert_int_equal(found, 1);
  g = fx_new();
  assert_int_equal(c837_ledger_load(g->e, path, &err), C837_OK);
  assert_int_equal(n_kind(g->e, C837_HIST_ADMISSION), 1);
  b = outpatient("O1", "PL", NPI, "MA", 20250714);
  snprintf(b->env.isa13, sizeof b->env.isa13, "2"); /* a new interchange */
  v = run(g, b);
  assert_int_equal(count_edit(&v, C837_EDIT_PAYMENT_WINDOW), 2);
  free(b);
  /* the inpatient claim read again: the same one admission */
  run(g, ip);
  assert_int_equal(n_kind(g->e, C837_HIST_ADMISSION), 1);
  assert_int_equal(c837_ledger_save(g->e, path2, &err), C837_OK);
  fx_free(g);
  /* merged, the ledgers keep it once */
  fp = tmpfile();
  assert_non_null(fp);
  {
    const char *paths[2] = {path, path2};
    assert_int_equal(c837_ledger_merge(paths, 2, fp, &err), C837_OK);
  }
  rewind(fp);
  found = 0;
  while (fgets(line, sizeof line, fp))
    found += strstr(line, "\"admission\"") != NULL;
  fclose(fp);
  assert_int_equal(found, 1);
  unlink(path);
  unlink(path2);
  rmdir(dir);
  free(ip);
  fx_free(f);
}

/* Lines of the families added in issue 12 are remembered (the ledger
 * reads every family back) and their ledger rows load. */
static void test_new_families_remembered(void **state)
{
  fx *f = fx_new(), *g;
  cb *b = cb_new(C837_KIND_I, "T1", "PT", NPI, "CI", "131");
  char dir[] = "/tmp/c837famXXXXXX", path[64];
  c837_error err;
  const c837_hist *h;
  (void)state;
  cb_dx(b, "C4920");
  cb_line(b, "38228", "1", 20250601, "0874", 300000);
  cb_line(b, "Q2057", "1", 20250601, "0891", 72700000);
  cb_line(b, "J3490", "1", 20250601, "0250", 1000); /* no NDC: not kept */
  run(f, b);
  h = remembered(f->e, "T1", "2");
  assert_non_null(h);
  assert_int_equal(h->family, C837_FAM_TCR);
  assert_null(remembered(f->e, "T1", "3"));
  assert_non_null(mkdtemp(dir));
  snprintf(path, sizeof path, "%s/ledger.csv", dir);
  assert_int_equal(c837_ledger_save(f->e, path, &err), C837_OK);
  g = fx_new();
  assert_int_equal(c837_ledger_load(g->e, path, &err), C837_OK);
  h = remembered(g->e, "T1", "2");
  assert_non_null(h);
  assert_int_equal(h->family, C837_FAM_TCR);
  unlink(path);
  rmdir(dir);
  fx_free(g);
  free(b);
  fx_free(f);
}

/* ------------------------------------------------------------------ */
/* CLINICAL_TRIAL_CODING                                               */
/* ------------------------------------------------------------------ */

static void test_trial_coding(void **state)
{
  fx *f = fx_new();
  cb *b;
  c837_verdict v;
  const c837_finding *x;
  (void)state;
  /* complete outpatient set: Z00.6, CC 30, VC D4, Q1 */
  b = outpatient("T1", "PT1", NPI, "MA", 20250601);
  cb_dx(b, "Z006");
  cb_cond(b, "30");
  cb_value(b, "D4", "99999999");
  cb_mod(&b->lines[0], "Q1");
  v = run(f, b);
  assert_none(&v);
  free(b);
  /* D4 with the NCT prefix, no Q0/Q1 */
  b = outpatient("T2", "PT2", NPI, "MA", 20250601);
  cb_dx(b, "Z006");
  cb_cond(b, "30");
  cb_value(b, "D4", "NCT01234567");
  v = run(f, b);
  x = only(&v, C837_EDIT_CLINICAL_TRIAL_CODING);
  assert_int_equal(x->severity, C837_SEV_ERROR);
  assert_int_equal(x->action, C837_ACT_FLAGGED);
  assert_string_equal(x->carc, "16");
  assert_string_equal(x->rarc, "MA50");
  assert_string_equal(x->detail,
                      "clinical trial claim (payer class medicare_a, "
                      "outpatient bill) is incomplete: value code D4 is not "
                      "an 8-digit NCT number ('NCT01234567'); no modifier Q0 "
                      "or Q1 on its service lines");
  free(b);
  /* inpatient: Q0/Q1 do not belong */
  b = correct_stay("T3", "PT3");
  cb_dx(b, "Z006");
  cb_cond(b, "30");
  cb_value(b, "D4", "12345678");
  cb_note(b, "Diff Prod Clin Trial");
  cb_mod(&b->lines[1], "Q0");
  v = run(f, b);
  assert_non_null(
      strstr(only(&v, C837_EDIT_CLINICAL_TRIAL_CODING)->detail,
             "modifier Q0 or Q1 on an inpatient bill"));
  free(b);
  /* 837P: Z00.6, REF*P4 and Q0/Q1 */
  b = cb_new(C837_KIND_P, "T4", "PT4", NPI, "MB", "");
  snprintf(b->c.pos, sizeof b->c.pos, "22");
  cb_dx(b, "Z006");
  cb_mod(cb_line(b, "38228", "1", 20250601, "", 30000), "Q1");
  v = run(f, b);
  assert_non_null(strstr(only(&v, C837_EDIT_CLINICAL_TRIAL_CODING)->detail,
                         "no REF*P4 with the 8-digit NCT number"));
  free(b);
  b = cb_new(C837_KIND_P, "T5", "PT5", NPI, "MB", "");
  snprintf(b->c.pos, sizeof b->c.pos, "22");
  snprintf(b->c.trial_ref, sizeof b->c.trial_ref, "12345678");
  cb_dx(b, "Z006");
  cb_mod(cb_line(b, "38228", "1", 20250601, "", 30000), "Q1");
  v = run(f, b);
  assert_none(&v);
  free(b);
  /* a commercial payer does not ask for the Medicare set */
  b = outpatient("T6", "PT6", NPI, "CI", 20250601);
  cb_dx(b, "Z006");
  v = run(f, b);
  assert_int_equal(count_edit(&v, C837_EDIT_CLINICAL_TRIAL_CODING), 0);
  free(b);
  fx_free(f);
}

/* ------------------------------------------------------------------ */
/* The product edits                                                   */
/* ------------------------------------------------------------------ */

static void test_product_in_facility_pos(void **state)
{
  fx *f = fx_new();
  cb *b;
  c837_verdict v;
  const c837_finding *x;
  (void)state;
  b = cb_new(C837_KIND_P, "F1", "PF1", NPI, "MB", "");
  snprintf(b->c.pos, sizeof b->c.pos, "22");
  cb_mod(cb_line(b, "Q2041", "1", 20250601, "", 9999999), "LU");
  v = run(f, b);
  x = only(&v, C837_EDIT_PRODUCT_IN_FACILITY_POS);
  assert_int_equal(x->severity, C837_SEV_ERROR);
  assert_int_equal(x->action, C837_ACT_FLAGGED);
  assert_string_equal(x->carc, "5");
  assert_string_equal(x->rarc, "M77");
  free(b);
  b = cb_new(C837_KIND_P, "F2", "PF2", NPI, "CI", "");
  snprintf(b->c.pos, sizeof b->c.pos, "21");
  cb_line(b, "Q2041", "1", 20250601, "", 46200000);
  v = run(f, b);
  assert_int_equal(only(&v, C837_EDIT_PRODUCT_IN_FACILITY_POS)->severity,
                   C837_SEV_WARNING);
  free(b);
  /* the office, and a stem-cell gene therapy carved out to an 837P */
  b = cb_new(C837_KIND_P, "F3", "PF3", NPI, "CI", "");
  cb_line(b, "Q2041", "1", 20250601, "", 46200000);
  v = run(f, b);
  assert_int_equal(count_edit(&v, C837_EDIT_PRODUCT_IN_FACILITY_POS), 0);
  free(b);
  b = cb_new(C837_KIND_P, "F4", "PF4", NPI, "MC", "");
  snprintf(b->c.pos, sizeof b->c.pos, "22");
  cb_dx(b, "D5700");
  cb_ndc(cb_line(b, "J3392", "1", 20250601, "", 220000000), "51167029009");
  v = run(f, b);
  assert_int_equal(count_edit(&v, C837_EDIT_PRODUCT_IN_FACILITY_POS), 0);
  free(b);
  fx_free(f);
}

/* A Medicare Part B office claim for 0.5 of Q2041 on date, charge
 * cents, with modifiers mods (NULL-terminated). */
static cb *partb(const char *id, int32_t date, int64_t charge,
                 const char *const *mods)
{
  cb *b = cb_new(C837_KIND_P, id, "PB", NPI, "MB", "");
  c837_line *l = cb_line(b, "Q2041", "0.5", date, "", charge);
  for (; mods && *mods; mods++)
    cb_mod(l, *mods);
  return b;
}

static void test_partb_fractional(void **state)
{
  static const char *const lu_kx[] = {"LU", "KX", NULL};
  static const char *const lu_76_kx[] = {"LU", "76", "KX", NULL};
  static const char *const kx[] = {"KX", NULL};
  static const char *const lu[] = {"LU", NULL};
  fx *f = fx_new();
  cb *b;
  c837_verdict v;
  const c837_finding *x;
  (void)state;
  b = partb("B1", 20250601, 9999999, lu_kx);
  v = run(f, b);
  assert_clean(&v);
  assert_int_equal(count_edit(&v, C837_EDIT_PARTB_FRACTIONAL_PRODUCT), 0);
  free(b);
  /* the second claim of the date: 76; without it, held */
  b = partb("B2", 20250601, 9999999, lu_kx);
  v = run(f, b);
  x = only(&v, C837_EDIT_PARTB_FRACTIONAL_PRODUCT);
  assert_int_equal(x->action, C837_ACT_HELD);
  assert_string_equal(x->carc, "4");
  assert_string_equal(x->detail,
                      "Medicare Part B product Q2041 on 2025-06-01: a later "
                      "claim for the same product and date without modifier "
                      "76");
  free(b);
  b = partb("B3", 20250601, 9999999, lu_76_kx);
  v = run(f, b);
  assert_int_equal(count_edit(&v, C837_EDIT_PARTB_FRACTIONAL_PRODUCT), 0);
  free(b);
  /* fractions without LU; a charge over $99,999.99 */
  b = partb("B4", 20250602, 9999999, kx);
  v = run(f, b);
  assert_non_null(strstr(only(&v, C837_EDIT_PARTB_FRACTIONAL_PRODUCT)->detail,
                         "fractional units without modifier LU"));
  free(b);
  b = partb("B5", 20250603, 10000000, lu_kx);
  v = run(f, b);
  assert_non_null(strstr(only(&v, C837_EDIT_PARTB_FRACTIONAL_PRODUCT)->detail,
                         "over $99,999.99"));
  free(b);
  /* KX: required to 2025-06-25, not from 2025-06-26 */
  b = partb("B6", 20250625, 9999999, lu);
  v = run(f, b);
  assert_non_null(strstr(only(&v, C837_EDIT_PARTB_FRACTIONAL_PRODUCT)->detail,
                         "no modifier KX, required on 2025-06-25"));
  free(b);
  b = partb("B7", 20250626, 9999999, lu);
  v = run(f, b);
  assert_int_equal(count_edit(&v, C837_EDIT_PARTB_FRACTIONAL_PRODUCT), 0);
  free(b);
  /* not Medicare: not judged */
  b = partb("B8", 20250604, 10000000, NULL);
  snprintf(b->c.filing, sizeof b->c.filing, "CI");
  v = run(f, b);
  assert_int_equal(count_edit(&v, C837_EDIT_PARTB_FRACTIONAL_PRODUCT), 0);
  free(b);
  fx_free(f);
}

static void test_noc_product_code(void **state)
{
  fx *f = fx_new();
  cb *b;
  c837_verdict v;
  const c837_finding *x;
  (void)state;
  /* J9999 with Breyanzi's NDC once Q2054 is valid (2021-10-01): held */
  b = cb_new(C837_KIND_P, "N1", "PN1", NPI, "CI", "");
  cb_ndc(cb_line(b, "J9999", "1", 20211001, "", 41000000), BREYANZI_NDC);
  v = run(f, b);
  x = only(&v, C837_EDIT_NOC_PRODUCT_CODE);
  assert_int_equal(x->action, C837_ACT_HELD);
  assert_string_equal(x->carc, "189");
  assert_string_equal(x->detail,
                      "unclassified code J9999 carries the NDC of "
                      "lisocabtagene maraleucel (Breyanzi (kit 73153-900-01)), "
                      "whose own code Q2054 is valid on 2021-10-01: bill "
                      "Q2054");
  free(b);
  /* the day before: no code of its own on an 837P (C9076 is a hospital
   * outpatient code) */
  b = cb_new(C837_KIND_P, "N2", "PN2", NPI, "CI", "");
  cb_ndc(cb_line(b, "J9999", "1", 20210930, "", 41000000), BREYANZI_NDC);
  cb_desc(b, &b->lines[0], "BREYANZI 1 DOSE");
  v = run(f, b);
  assert_int_equal(count_edit(&v, C837_EDIT_NOC_PRODUCT_CODE), 0);
  free(b);
  /* on an outpatient bill C9076 was valid from 2021-07-01 */
  b = cb_new(C837_KIND_I, "N3", "PN3", NPI, "CI", "131");
  cb_line(b, "38228", "1", 20210715, "0874", 300000);
  cb_ndc(cb_line(b, "C9399", "1", 20210715, "0891", 41000000), BREYANZI_NDC);
  v = run(f, b);
  assert_non_null(strstr(only(&v, C837_EDIT_NOC_PRODUCT_CODE)->detail,
                         "whose own code C9076 is valid on 2021-07-15"));
  free(b);
  /* no NDC and no description next to a CAR-T administration: a
   * warning; an unclassified drug on an ordinary claim: nothing */
  b = cb_new(C837_KIND_I, "N4", "PN4", NPI, "CI", "131");
  cb_line(b, "38228", "1", 20210615, "0874", 300000);
  cb_line(b, "C9399", "1", 20210615, "0891", 41000000);
  v = run(f, b);
  x = only(&v, C837_EDIT_NOC_PRODUCT_CODE);
  assert_int_equal(x->severity, C837_SEV_WARNING);
  assert_int_equal(x->action, C837_ACT_FLAGGED);
  assert_string_equal(x->detail,
                      "unclassified code C9399 on 2021-06-15 has no NDC "
                      "(LIN*N4) and no description (SV202-7): payers need "
                      "both to tell which product it bills");
  free(b);
  b = cb_new(C837_KIND_P, "N5", "PN5", NPI, "CI", "");
  cb_line(b, "J3490", "1", 20250601, "", 5000);
  v = run(f, b);
  assert_none(&v);
  free(b);
  fx_free(f);
}

static void test_product_ndc(void **state)
{
  fx *f = fx_new();
  cb *b;
  c837_verdict v;
  const c837_finding *x;
  (void)state;
  /* Medicaid needs the NDC */
  b = outpatient("D1", "PD1", NPI, "MC", 20250601);
  v = run(f, b);
  x = only(&v, C837_EDIT_PRODUCT_NDC);
  assert_int_equal(x->line, 1);
  assert_int_equal(x->action, C837_ACT_HELD);
  assert_string_equal(x->rarc, "M119");
  free(b);
  b = outpatient("D2", "PD2", NPI, "MC", 20250601);
  cb_ndc(&b->lines[1], "71287-0119-02"); /* 5-4-2 with hyphens */
  v = run(f, b);
  assert_int_equal(count_edit(&v, C837_EDIT_PRODUCT_NDC), 0);
  free(b);
  b = outpatient("D3", "PD3", NPI, "MC", 20250601);
  cb_ndc(&b->lines[1], CARVYKTI_NDC);
  v = run(f, b);
  assert_string_equal(only(&v, C837_EDIT_PRODUCT_NDC)->detail,
                      "product Q2041 (axicabtagene ciloleucel) carries the "
                      "NDC 57894011101 of another product, ciltacabtagene "
                      "autoleucel (Carvykti (bag 57894-111-01))");
  free(b);
  /* commercial: no NDC is fine, another product's a warning */
  b = outpatient("D4", "PD4", NPI, "CI", 20250601);
  v = run(f, b);
  assert_int_equal(count_edit(&v, C837_EDIT_PRODUCT_NDC), 0);
  free(b);
  b = outpatient("D5", "PD5", NPI, "CI", 20250601);
  cb_ndc(&b->lines[1], CARVYKTI_NDC);
  v = run(f, b);
  assert_int_equal(only(&v, C837_EDIT_PRODUCT_NDC)->action, C837_ACT_FLAGGED);
  free(b);
  /* inpatient (DRG): not asked */
  b = correct_stay("D6", "PD6");
  snprintf(b->c.filing, sizeof b->c.filing, "MC");
  v = run(f, b);
  assert_int_equal(count_edit(&v, C837_EDIT_PRODUCT_NDC), 0);
  free(b);
  fx_free(f);
}

static void test_product_indication(void **state)
{
  fx *f = fx_new();
  cb *b;
  c837_verdict v;
  const c837_finding *x;
  (void)state;
  /* Abecma is for multiple myeloma, not lymphoma */
  b = cb_new(C837_KIND_P, "I1", "PI1", NPI, "CI", "");
  cb_line(b, "Q2055", "1", 20250601, "", 41900000);
  v = run(f, b);
  x = only(&v, C837_EDIT_PRODUCT_INDICATION);
  assert_int_equal(x->severity, C837_SEV_WARNING);
  assert_int_equal(x->action, C837_ACT_FLAGGED);
  assert_string_equal(x->carc, "11");
  free(b);
  b = cb_new(C837_KIND_P, "I2", "PI2", NPI, "CI", "");
  cb_dx(b, "C9002");
  cb_line(b, "Q2055", "1", 20250601, "", 41900000);
  v = run(f, b);
  assert_int_equal(count_edit(&v, C837_EDIT_PRODUCT_INDICATION), 0);
  free(b);
  /* Kymriah for ALL up to 25 years: 25 yes, 26 no (CARC 6) */
  b = cb_new(C837_KIND_P, "I3", "PI3", NPI, "CI", "");
  b->dx[0].code[0] = 0;
  snprintf(b->dx[0].code, sizeof b->dx[0].code, "C9100");
  b->c.patient_dob = 20000601;
  cb_line(b, "Q2042", "1", 20250601, "", 47500000);
  v = run(f, b);
  assert_int_equal(count_edit(&v, C837_EDIT_PRODUCT_INDICATION), 0);
  free(b);
  b = cb_new(C837_KIND_P, "I4", "PI4", NPI, "CI", "");
  snprintf(b->dx[0].code, sizeof b->dx[0].code, "C9100");
  b->c.patient_dob = 19990601;
  cb_line(b, "Q2042", "1", 20250601, "", 47500000);
  v = run(f, b);
  x = only(&v, C837_EDIT_PRODUCT_INDICATION);
  assert_string_equal(x->carc, "6");
  assert_non_null(strstr(x->detail, "26 years old"));
  free(b);
  fx_free(f);
}

static void test_step_not_payable(void **state)
{
  fx *f = fx_new();
  cb *b;
  c837_verdict v;
  const c837_finding *x;
  c837_line *l;
  (void)state;
  /* Medicare 837P: 38225 bundled */
  b = cb_new(C837_KIND_P, "S1", "PS1", NPI, "MB", "");
  cb_line(b, "38225", "1", 20250301, "", 250000);
  v = run(f, b);
  x = only(&v, C837_EDIT_STEP_NOT_PAYABLE);
  assert_int_equal(x->severity, C837_SEV_WARNING);
  assert_string_equal(x->carc, "97");
  free(b);
  /* 38228 is paid; a commercial payer: not judged */
  b = cb_new(C837_KIND_P, "S2", "PS2", NPI, "MB", "");
  cb_line(b, "38228", "1", 20250301, "", 30000);
  v = run(f, b);
  assert_int_equal(count_edit(&v, C837_EDIT_STEP_NOT_PAYABLE), 0);
  free(b);
  b = cb_new(C837_KIND_P, "S3", "PS3", NPI, "CI", "");
  cb_line(b, "38225", "1", 20250301, "", 250000);
  v = run(f, b);
  assert_int_equal(count_edit(&v, C837_EDIT_STEP_NOT_PAYABLE), 0);
  free(b);
  /* Medicare outpatient: covered charges fire, non-covered do not */
  b = cb_new(C837_KIND_I, "S4", "PS4", NPI, "MA", "131");
  cb_line(b, "0537T", "1", 20240301, "0871", 250000);
  v = run(f, b);
  assert_int_equal(count_edit(&v, C837_EDIT_STEP_NOT_PAYABLE), 1);
  free(b);
  b = cb_new(C837_KIND_I, "S5", "PS5", NPI, "MA", "131");
  l = cb_line(b, "38225", "1", 20250301, "0871", 250000);
  l->noncovered = 250000;
  v = run(f, b);
  assert_int_equal(count_edit(&v, C837_EDIT_STEP_NOT_PAYABLE), 0);
  free(b);
  fx_free(f);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_inpatient_correct_stay),
      cmocka_unit_test(test_inpatient_087x_without_hcpcs),
      cmocka_unit_test(test_087x_cell_families),
      cmocka_unit_test(test_ip_integrity_product_charge),
      cmocka_unit_test(test_ip_integrity_notes),
      cmocka_unit_test(test_ip_integrity_pcs),
      cmocka_unit_test(test_pairing_trial_and_noc),
      cmocka_unit_test(test_pairing_837p_pos),
      cmocka_unit_test(test_repeat_split_dose),
      cmocka_unit_test(test_repeat_payer_window_and_class),
      cmocka_unit_test(test_step_order_window),
      cmocka_unit_test(test_payment_window_admission_first),
      cmocka_unit_test(test_payment_window_non_ipps),
      cmocka_unit_test(test_payment_window_outpatient_first),
      cmocka_unit_test(test_payment_window_ledger),
      cmocka_unit_test(test_new_families_remembered),
      cmocka_unit_test(test_trial_coding),
      cmocka_unit_test(test_product_in_facility_pos),
      cmocka_unit_test(test_partb_fractional),
      cmocka_unit_test(test_noc_product_code),
      cmocka_unit_test(test_product_ndc),
      cmocka_unit_test(test_product_indication),
      cmocka_unit_test(test_step_not_payable),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
