/* test_codefamilies.c -- unit tests of the code table's families and
 * columns added by issue 12 (src/edit/codetable.c)
 *
 * The rows of the families beyond CAR-T steps, products and watch codes
 * with their sourced dates (specs/codes.md); the names of the families
 * and their parse; a table file written before the new columns existed
 * loads as it did, and a file of only new columns changes only those;
 * malformed values of the new columns are rejected with their exact
 * message; where a code may be billed (c837_code_setting).
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
#include "testtable.h"

/* The families beyond CAR-T steps, products and watch codes. */
static void test_builtin_new_families(void **state)
{
  static const struct {
    const char *code;
    c837_family fam;
    const char *from, *revenue, *settings;
    c837_per unit;
  } want[] = {
      {"Q2057", C837_FAM_TCR, "2025-04-01", "0891|0892", "", C837_PER_DOSE},
      {"J3391", C837_FAM_HSC_GENE, "2025-07-01", "0892", "",
       C837_PER_TREATMENT},
      {"J3392", C837_FAM_HSC_GENE, "2025-01-01", "0892", "",
       C837_PER_TREATMENT},
      {"J3393", C837_FAM_HSC_GENE, "2024-07-01", "0892", "",
       C837_PER_TREATMENT},
      {"J3394", C837_FAM_HSC_GENE, "2024-07-01", "0892", "",
       C837_PER_TREATMENT},
      {"Q2043", C837_FAM_CELL_OTHER, "2011-07-01", "", "", C837_PER_INFUSION},
      {"C9399", C837_FAM_NOC, "2004-01-01", "", "12X|13X", C837_PER_NONE},
      {"J9999", C837_FAM_NOC, "1986-01-01", "", "", C837_PER_NONE},
      {"J3590", C837_FAM_NOC, "2003-01-01", "", "", C837_PER_NONE},
      {"J3490", C837_FAM_NOC, "1986-01-01", "", "", C837_PER_NONE},
  };
  c837_codetable *t = builtin();
  size_t i;
  (void)state;
  for (i = 0; i < sizeof want / sizeof want[0]; i++) {
    const c837_code *c = c837_codetable_find(t, want[i].code);
    char d[16];
    assert_non_null(c);
    assert_int_equal(c->family, want[i].fam);
    assert_int_equal(c->step, 0);
    c837_format_iso_date(d, sizeof d, c->valid_from);
    assert_string_equal(d, want[i].from);
    assert_int_equal(c->valid_to, 0);
    assert_string_equal(c->crosswalk, "");
    assert_string_equal(c->revenue, want[i].revenue);
    assert_string_equal(c->settings, want[i].settings);
    assert_int_equal(c->unit, want[i].unit);
    assert_int_equal(c->split_dose, 0);
    /* NOC codes bill any unclassified drug: no cap, no product */
    assert_int_equal(c->cap, want[i].fam == C837_FAM_NOC ? 0 : 1000000);
    assert_int_equal(c->product[0] == '\0', want[i].fam == C837_FAM_NOC);
    assert_int_equal(c837_family_is_product(c->family),
                     want[i].fam != C837_FAM_NOC);
  }
  /* payment columns where a source gives them (specs/codes.md) */
  assert_int_equal(c837_codetable_find(t, "38225")->pfs_payable,
                   C837_PAYABLE_NO);
  assert_int_equal(c837_codetable_find(t, "38227")->pfs_payable,
                   C837_PAYABLE_NO);
  assert_int_equal(c837_codetable_find(t, "38228")->pfs_payable,
                   C837_PAYABLE_YES);
  assert_int_equal(c837_codetable_find(t, "0537T")->pfs_payable,
                   C837_PAYABLE_UNKNOWN);
  assert_string_equal(c837_codetable_find(t, "0537T")->opps_si, "B");
  assert_string_equal(c837_codetable_find(t, "0540T")->opps_si, "S");
  assert_string_equal(c837_codetable_find(t, "38228")->opps_si, "");
  /* 36515: its deletion is not confirmed, so it stays open and says so */
  assert_int_equal(c837_codetable_find(t, "36515")->valid_to, 0);
  assert_non_null(strstr(c837_codetable_find(t, "36515")->history,
                         "not confirmed"));
  c837_codetable_free(t);
}

static void test_family_parse(void **state)
{
  static const char *const names[] = {"",    "step",     "product",
                                      "watch", "tcr",     "til",
                                      "hsc_gene", "cell_other", "noc"};
  int f;
  (void)state;
  assert_int_equal(C837_FAM_COUNT, 9);
  for (f = 0; f < C837_FAM_COUNT; f++) {
    assert_string_equal(c837_family_name((c837_family)f), names[f]);
    assert_int_equal(c837_family_from_name(names[f], strlen(names[f])), f);
  }
  assert_int_equal(c837_family_from_name("Step", 4), -1);
  assert_int_equal(c837_family_from_name("stepx", 5), -1);
  assert_int_equal(c837_family_from_name("step", 3), -1);
  assert_true(c837_family_is_product(C837_FAM_PRODUCT));
  assert_true(c837_family_is_product(C837_FAM_TCR));
  assert_true(c837_family_is_product(C837_FAM_TIL));
  assert_true(c837_family_is_product(C837_FAM_HSC_GENE));
  assert_true(c837_family_is_product(C837_FAM_CELL_OTHER));
  assert_false(c837_family_is_product(C837_FAM_STEP));
  assert_false(c837_family_is_product(C837_FAM_WATCH));
  assert_false(c837_family_is_product(C837_FAM_NOC));
  assert_false(c837_family_is_product(C837_FAM_NONE));
  assert_string_equal(c837_per_name(C837_PER_INFUSION), "infusion");
  assert_string_equal(c837_per_name((c837_per)9), "");
}

/* A table file written before the new columns existed loads as it did:
 * its rows take the defaults of the columns it lacks; and a file of
 * only new columns changes only those. */
static void test_old_and_partial_files(void **state)
{
  c837_codetable *ref = builtin(), *t;
  c837_code want;
  const c837_code *c;
  (void)state;

  t = load_ok(HDR "38228,step,4,Give the cells,1,0,,,,0874,0,\n"
                  "Q7777,product,0,A product,1,1,,,,0891,0,\n",
              0);
  c = c837_codetable_find(t, "38228");
  want = *c837_codetable_find(ref, "38228");
  snprintf(want.descriptor, sizeof want.descriptor, "Give the cells");
  want.valid_from = 0;
  want.crosswalk[0] = '\0';
  want.history[0] = '\0';
  assert_same_row(c, &want);
  assert_int_equal(c->pfs_payable, C837_PAYABLE_YES); /* kept */
  c = c837_codetable_find(t, "Q7777");
  assert_string_equal(c->settings, "");
  assert_int_equal(c->unit, C837_PER_NONE);
  assert_string_equal(c->product, "");
  assert_int_equal(c->pfs_payable, C837_PAYABLE_UNKNOWN);
  assert_string_equal(c->opps_si, "");
  c837_codetable_free(t);

  t = load_ok("code,settings,unit,product,pfs_payable,opps_si\n"
              "Q2041,837I,infusion,Axi-cel,no,K\n",
              0);
  c = c837_codetable_find(t, "Q2041");
  want = *c837_codetable_find(ref, "Q2041");
  snprintf(want.settings, sizeof want.settings, "837I");
  want.unit = C837_PER_INFUSION;
  snprintf(want.product, sizeof want.product, "Axi-cel");
  want.pfs_payable = C837_PAYABLE_NO;
  snprintf(want.opps_si, sizeof want.opps_si, "K");
  assert_same_row(c, &want);
  assert_string_equal(c->settings, "837I");
  assert_int_equal(c->unit, C837_PER_INFUSION);
  assert_string_equal(c->product, "Axi-cel");
  assert_int_equal(c->pfs_payable, C837_PAYABLE_NO);
  assert_string_equal(c->opps_si, "K");
  c837_codetable_free(t);
  c837_codetable_free(ref);
}

static void test_reject_new_columns(void **state)
{
  (void)state;
  expect_reject("code,settings\nQ2041,13x\n",
                "2:2: settings: expected 837P, 837I or type-of-bill classes "
                "such as 13X, separated by '|', or empty, found \"13x\"");
  expect_reject("code,settings\nQ2041,12X|\n",
                "2:2: settings: expected 837P, 837I or type-of-bill classes "
                "such as 13X, separated by '|', or empty, found \"12X|\"");
  expect_reject("code,settings\nQ2041,837P||837I\n",
                "2:2: settings: expected 837P, 837I or type-of-bill classes "
                "such as 13X, separated by '|', or empty, found "
                "\"837P||837I\"");
  expect_reject("code,settings\nQ2041,OPPS\n",
                "2:2: settings: expected 837P, 837I or type-of-bill classes "
                "such as 13X, separated by '|', or empty, found \"OPPS\"");
  expect_reject("code,unit\nQ2041,vial\n",
                "2:2: unit: expected dose, infusion, treatment or empty, "
                "found \"vial\"");
  expect_reject("code,pfs_payable\nQ2041,0\n",
                "2:2: pfs_payable: expected no, yes or empty, found \"0\"");
  expect_reject("code,opps_si\nQ2041,J1X\n",
                "2:2: opps_si: expected a code of 1 to 2 letters or digits "
                "or empty, found \"J1X\"");
}

/* Where a code may be billed (c837_code_setting). */
static void test_settings_fit(void **state)
{
  c837_codetable *t = load_ok("code,settings\n"
                              "A0001,\n"
                              "A0002,12X|13X\n"
                              "A0003,837P\n"
                              "A0004,837I\n"
                              "A0005,837P|11X\n",
                              1);
  const c837_code *any = c837_codetable_find(t, "A0001");
  const c837_code *opps = c837_codetable_find(t, "A0002");
  const c837_code *prof = c837_codetable_find(t, "A0003");
  const c837_code *inst = c837_codetable_find(t, "A0004");
  const c837_code *mix = c837_codetable_find(t, "A0005");
  (void)state;

  assert_int_equal(c837_code_setting(any, C837_KIND_P, ""), C837_FIT_YES);
  assert_int_equal(c837_code_setting(any, C837_KIND_UNKNOWN, NULL),
                   C837_FIT_YES);
  assert_int_equal(c837_code_setting(opps, C837_KIND_I, "131"), C837_FIT_YES);
  assert_int_equal(c837_code_setting(opps, C837_KIND_I, "121"), C837_FIT_YES);
  assert_int_equal(c837_code_setting(opps, C837_KIND_I, "0137"),
                   C837_FIT_YES);
  assert_int_equal(c837_code_setting(opps, C837_KIND_I, "111"), C837_FIT_NO);
  assert_int_equal(c837_code_setting(opps, C837_KIND_I, "851"), C837_FIT_NO);
  assert_int_equal(c837_code_setting(opps, C837_KIND_P, ""), C837_FIT_NO);
  assert_int_equal(c837_code_setting(opps, C837_KIND_I, ""),
                   C837_FIT_UNKNOWN);
  assert_int_equal(c837_code_setting(opps, C837_KIND_I, NULL),
                   C837_FIT_UNKNOWN);
  assert_int_equal(c837_code_setting(opps, C837_KIND_D, "131"),
                   C837_FIT_UNKNOWN);
  assert_int_equal(c837_code_setting(prof, C837_KIND_P, NULL), C837_FIT_YES);
  assert_int_equal(c837_code_setting(prof, C837_KIND_I, "131"), C837_FIT_NO);
  assert_int_equal(c837_code_setting(prof, C837_KIND_I, ""), C837_FIT_NO);
  assert_int_equal(c837_code_setting(inst, C837_KIND_I, ""), C837_FIT_YES);
  assert_int_equal(c837_code_setting(inst, C837_KIND_P, ""), C837_FIT_NO);
  assert_int_equal(c837_code_setting(mix, C837_KIND_P, ""), C837_FIT_YES);
  assert_int_equal(c837_code_setting(mix, C837_KIND_I, "111"), C837_FIT_YES);
  assert_int_equal(c837_code_setting(mix, C837_KIND_I, "131"), C837_FIT_NO);
  assert_int_equal(c837_code_setting(NULL, C837_KIND_P, ""),
                   C837_FIT_UNKNOWN);
  c837_codetable_free(t);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_builtin_new_families),
      cmocka_unit_test(test_family_parse),
      cmocka_unit_test(test_old_and_partial_files),
      cmocka_unit_test(test_reject_new_columns),
      cmocka_unit_test(test_settings_fit),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
