/* test_internal_claimedits.c -- unit tests of the claim edits of issue 12
 *
 * An internal test (tests/claimedits_fx.h includes the engine's private
 * header and the run layer's ledger).  Every edit is tested firing and
 * not firing, at its boundaries: IP_CART_CLAIM_INTEGRITY,
 * CLINICAL_TRIAL_CODING, PAYMENT_WINDOW (across claims, through a void,
 * through the ledger), REPEAT_ADMINISTRATION by course class, payer
 * window and split dose; and the false holds of issue 12 section 2 that
 * must not come back (inpatient lines, 087X cell families, trials, NOC
 * products, 837P in a facility, STEP_OUT_OF_ORDER's episode window).  The
 * product edits are in test_internal_productedits.c.
 */
#include "claimedits_fx.h"

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

/* A checkpoint rolls the admissions back with the lines (a file that
 * fails half-way leaves no admission), and keeps them on commit; a
 * void's tombstone goes with its rollback too. */
static void test_admissions_checkpoint(void **state)
{
  fx *f = fx_new();
  cb *ip = correct_stay("IP", "PC");
  (void)state;
  assert_int_equal(c837_engine_checkpoint(f->e), C837_OK);
  run(f, ip);
  c837_engine_rollback(f->e);
  assert_int_equal(n_kind(f->e, C837_HIST_ADMISSION), 0);
  assert_int_equal(c837_engine_history_count(f->e), 0);
  assert_int_equal(c837_engine_checkpoint(f->e), C837_OK);
  run(f, ip);
  c837_engine_commit(f->e);
  assert_int_equal(n_kind(f->e, C837_HIST_ADMISSION), 1);
  /* a void under a checkpoint, rolled back: the admission stays */
  assert_int_equal(c837_engine_checkpoint(f->e), C837_OK);
  snprintf(ip->c.freq, sizeof ip->c.freq, "8");
  run(f, ip);
  c837_engine_rollback(f->e);
  assert_int_equal(n_kind(f->e, C837_HIST_ADMISSION), 1);
  assert_int_equal(n_kind(f->e, C837_HIST_TOMBSTONE), 0);
  /* committed, it leaves a tombstone of the admission (lx empty) */
  assert_int_equal(c837_engine_checkpoint(f->e), C837_OK);
  run(f, ip);
  c837_engine_commit(f->e);
  assert_int_equal(n_kind(f->e, C837_HIST_ADMISSION), 0);
  assert_int_equal(n_kind(f->e, C837_HIST_TOMBSTONE), 2); /* and line 2's */
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
      cmocka_unit_test(test_admissions_checkpoint),
      cmocka_unit_test(test_new_families_remembered),
      cmocka_unit_test(test_trial_coding),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
