/* test_internal_productedits.c -- unit tests of the product edits of
 * issue 12
 *
 * An internal test (tests/claimedits_fx.h includes the engine's private
 * header).  Each edit firing and not firing, at its boundaries:
 * PRODUCT_IN_FACILITY_POS, PARTB_FRACTIONAL_PRODUCT (LU, 76, the
 * $99,999.99 line limit, KX to 2025-06-25), NOC_PRODUCT_CODE (the
 * product's own code valid by date and setting; no NDC or description),
 * PRODUCT_NDC (by payer class), PRODUCT_INDICATION (diagnosis; age at
 * the label's limit), STEP_NOT_PAYABLE (837P and outpatient bills).
 */
#include "claimedits_fx.h"

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
      cmocka_unit_test(test_product_in_facility_pos),
      cmocka_unit_test(test_partb_fractional),
      cmocka_unit_test(test_noc_product_code),
      cmocka_unit_test(test_product_ndc),
      cmocka_unit_test(test_product_indication),
      cmocka_unit_test(test_step_not_payable),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
