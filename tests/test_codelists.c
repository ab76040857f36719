/* test_codelists.c -- unit tests of the reference lists beside the code
 * table (src/edit/codelists.c, loaded by src/edit/reflist.c)
 *
 * Each built-in list prints back byte for byte as its file in specs/ and
 * holds the sourced values the edits rely on; a list file merges or
 * replaces, and a malformed one is rejected with FILE:LINE:COLUMN and
 * leaves the list as it was; every look-up the edits use (revenue code
 * fit, PCS code by discharge date, NDC, indication, PTP pair) answers as
 * specified in specs/codes.md, "Reference lists".
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

extern const char c837_builtin_revenue_csv[], c837_builtin_pcs_csv[],
    c837_builtin_ndc_csv[], c837_builtin_indications_csv[],
    c837_builtin_ptp_csv[];
extern const unsigned long c837_builtin_revenue_csv_len,
    c837_builtin_pcs_csv_len, c837_builtin_ndc_csv_len,
    c837_builtin_indications_csv_len, c837_builtin_ptp_csv_len;


/* List l written as CSV, malloc'd. */
static char *list_csv(const c837_codetable *t, c837_list l)
{
  char *out = NULL;
  size_t len = 0;
  FILE *fp = open_memstream(&out, &len);
  assert_non_null(fp);
  assert_int_equal(c837_codetable_write_list(t, l, fp), C837_OK);
  fclose(fp);
  return out;
}

/* Loads text as list l into t; returns the status, *msg the message
 * with the temporary file's name replaced by "F". */
static c837_status load(c837_codetable *t, c837_list l, const char *text,
                        int replace_all, char *msg, size_t msgsz)
{
  char *path = tmp_file(text, strlen(text));
  c837_error err;
  c837_status st = c837_codetable_load_list(t, l, path, replace_all, &err);
  size_t n = strlen(path);
  if (msg) {
    if (strncmp(err.msg, path, n) == 0)
      snprintf(msg, msgsz, "F%s", err.msg + n);
    else
      snprintf(msg, msgsz, "%s", err.msg);
  }
  unlink(path);
  free(path);
  return st;
}

/* ------------------------------------------------------------------ */
/* Built-in lists                                                      */
/* ------------------------------------------------------------------ */

static void test_builtin_lists_print_back(void **state)
{
  static const struct {
    c837_list l;
    const char *text;
    const unsigned long *len;
    size_t rows;
  } want[] = {
      {C837_LIST_REVENUE, c837_builtin_revenue_csv,
       &c837_builtin_revenue_csv_len, 11},
      {C837_LIST_PCS, c837_builtin_pcs_csv, &c837_builtin_pcs_csv_len, 24},
      {C837_LIST_NDC, c837_builtin_ndc_csv, &c837_builtin_ndc_csv_len, 28},
      {C837_LIST_INDICATION, c837_builtin_indications_csv,
       &c837_builtin_indications_csv_len, 21},
      {C837_LIST_PTP, c837_builtin_ptp_csv, &c837_builtin_ptp_csv_len, 0},
  };
  c837_codetable *t = builtin();
  size_t i;
  (void)state;
  assert_int_equal(C837_LIST_COUNT, 5);
  for (i = 0; i < sizeof want / sizeof want[0]; i++) {
    char *out = list_csv(t, want[i].l);
    assert_int_equal(strlen(out), *want[i].len);
    assert_memory_equal(out, want[i].text, *want[i].len);
    assert_int_equal(c837_codetable_list_count(t, want[i].l), want[i].rows);
    free(out);
  }
  assert_string_equal(c837_list_name(C837_LIST_PCS), "pcs");
  assert_int_equal(c837_list_from_name("indication"), C837_LIST_INDICATION);
  assert_int_equal(c837_list_from_name("codes"), -1);
  assert_int_equal(c837_codetable_write_list(t, C837_LIST_COUNT, stdout),
                   C837_EINVAL);
  c837_codetable_free(t);
}

/* Every product code of the table has the product its NDCs, PCS codes
 * and indications name, so that the lists join on it. */
static void test_lists_join_on_product(void **state)
{
  c837_codetable *t = builtin();
  size_t i;
  const c837_indication *ind;
  (void)state;
  for (i = 0; i < c837_codetable_count(t); i++) {
    const c837_code *c = c837_codetable_at(t, i);
    c837_indication_check chk;
    if (!c837_family_is_product(c->family))
      continue;
    assert_true(c->product[0] != '\0');
    c837_codetable_indication(t, c->product, NULL, 0, 0, 0, &chk);
    if (chk.rows == 0)
      fail_msg("%s (%s) has no indication", c->code, c->product);
  }
  for (i = 0; (ind = c837_codetable_indication_at(t, i)) != NULL; i++)
    assert_true(ind->source[0] != '\0');
  c837_codetable_free(t);
}

/* ------------------------------------------------------------------ */
/* Revenue codes                                                       */
/* ------------------------------------------------------------------ */

static void test_revenue_rows(void **state)
{
  c837_codetable *t = builtin();
  const c837_revenue *r;
  (void)state;
  r = c837_codetable_revenue(t, "0875", C837_FAM_NONE);
  assert_non_null(r);
  assert_string_equal(r->meaning, "cell/gene therapy: injection of modified "
                                  "cells");
  assert_int_equal(r->valid_from, 20190401);
  assert_non_null(strstr(r->source, "bcbsndreimbursementpolicy.com"));
  /* 875 without its leading zero is the same code */
  assert_ptr_equal(c837_codetable_revenue(t, "875", C837_FAM_STEP), r);
  /* 0892: its own row for a CAR-T product (inpatient bills), the general
   * row for other families */
  r = c837_codetable_revenue(t, "0892", C837_FAM_PRODUCT);
  assert_string_equal(r->settings, "11X");
  assert_int_equal(r->family, C837_FAM_PRODUCT);
  r = c837_codetable_revenue(t, "0892", C837_FAM_HSC_GENE);
  assert_string_equal(r->settings, "");
  assert_int_equal(r->family, C837_FAM_NONE);
  assert_null(c837_codetable_revenue(t, "0636", C837_FAM_NONE));
  assert_null(c837_codetable_revenue(NULL, "0891", C837_FAM_NONE));
  c837_codetable_free(t);
}

static void test_revenue_fit(void **state)
{
  c837_codetable *t = builtin();
  const c837_code *q2041 = c837_codetable_find(t, "Q2041");
  const c837_code *j3392 = c837_codetable_find(t, "J3392");
  const c837_code *q2040 = c837_codetable_find(t, "Q2040");
  const c837_code *s38228 = c837_codetable_find(t, "38228");
  (void)state;
  /* outpatient: 0891 fits, 0892 is listed but for a CAR-T product only
   * on inpatient bills */
  assert_int_equal(c837_codetable_revenue_fit(t, q2041, "0891", 20250304,
                                              C837_KIND_I, "131"),
                   C837_REVFIT_OK);
  assert_int_equal(c837_codetable_revenue_fit(t, q2041, "0892", 20250304,
                                              C837_KIND_I, "131"),
                   C837_REVFIT_SETTING);
  assert_int_equal(c837_codetable_revenue_fit(t, q2041, "0892", 20250304,
                                              C837_KIND_I, "111"),
                   C837_REVFIT_OK);
  /* a bill whose type is not known is no misfit */
  assert_int_equal(c837_codetable_revenue_fit(t, q2041, "0892", 20250304,
                                              C837_KIND_I, ""),
                   C837_REVFIT_OK);
  /* a gene therapy on 0892 fits everywhere */
  assert_int_equal(c837_codetable_revenue_fit(t, j3392, "0892", 20250304,
                                              C837_KIND_I, "131"),
                   C837_REVFIT_OK);
  assert_int_equal(c837_codetable_revenue_fit(t, q2041, "0636", 20250304,
                                              C837_KIND_I, "131"),
                   C837_REVFIT_UNLISTED);
  /* before 2019-04-01 no pairing applies */
  assert_int_equal(c837_codetable_revenue_fit(t, q2041, "0636", 20190331,
                                              C837_KIND_I, "131"),
                   C837_REVFIT_NO_PAIRING);
  assert_int_equal(c837_codetable_revenue_fit(t, q2041, "0891", 20190331,
                                              C837_KIND_I, "131"),
                   C837_REVFIT_NO_PAIRING);
  assert_int_equal(c837_codetable_revenue_fit(t, s38228, "0874", 20190401,
                                              C837_KIND_I, "131"),
                   C837_REVFIT_OK);
  assert_int_equal(c837_codetable_revenue_fit(t, s38228, "0250", 20190331,
                                              C837_KIND_I, "131"),
                   C837_REVFIT_NO_PAIRING);
  /* no date: the dates are not checked */
  assert_int_equal(c837_codetable_revenue_fit(t, s38228, "0250", 0,
                                              C837_KIND_I, "131"),
                   C837_REVFIT_UNLISTED);
  /* Q2040 pairs with nothing */
  assert_int_equal(c837_codetable_revenue_fit(t, q2040, "0891", 20180601,
                                              C837_KIND_I, "131"),
                   C837_REVFIT_NO_PAIRING);
  assert_int_equal(c837_codetable_revenue_fit(t, NULL, "0891", 20250101,
                                              C837_KIND_I, "131"),
                   C837_REVFIT_NO_PAIRING);
  c837_codetable_free(t);
}

/* A revenue code listed for a code but valid later than another listed
 * one: the pairing applies, the later code is not valid yet. */
static void test_revenue_fit_not_valid(void **state)
{
  c837_codetable *t = builtin();
  char msg[512];
  (void)state;
  assert_int_equal(load(t, C837_LIST_REVENUE,
                        "revenue,family,valid_from\n0892,,2020-01-01\n", 0,
                        msg, sizeof msg),
                   C837_OK);
  assert_int_equal(
      c837_codetable_revenue_fit(t, c837_codetable_find(t, "J3392"), "0892",
                                 20191231, C837_KIND_I, "131"),
      C837_REVFIT_NO_PAIRING);
  assert_int_equal(
      c837_codetable_revenue_fit(t, c837_codetable_find(t, "Q2057"), "0892",
                                 20191231, C837_KIND_I, "111"),
      C837_REVFIT_OK); /* tcr has its own 0892 row, still from 2019-04 */
  assert_int_equal(
      c837_codetable_revenue_fit(t, c837_codetable_find(t, "C9399"), "0892",
                                 20191231, C837_KIND_I, "131"),
      C837_REVFIT_NO_PAIRING); /* C9399 pairs with nothing */
  assert_int_equal(load(t, C837_LIST_REVENUE,
                        "revenue,valid_from\n0892,2020-01-01\n", 0, msg,
                        sizeof msg),
                   C837_OK);
  {
    c837_codetable *u = builtin();
    /* a made-up code on 0891|0892 before 0892 began: NOT_VALID */
    static const char z[] = "code,family,revenue_codes\n"
                            "Z0001,hsc_gene,0891|0892\n";
    char *path = tmp_file(z, sizeof z - 1);
    c837_error err;
    assert_int_equal(c837_codetable_load(u, path, 0, &err), C837_OK);
    assert_int_equal(load(u, C837_LIST_REVENUE,
                          "revenue,family,valid_from\n0892,,2020-01-01\n", 0,
                          NULL, 0),
                     C837_OK);
    assert_int_equal(
        c837_codetable_revenue_fit(u, c837_codetable_find(u, "Z0001"), "0892",
                                   20191231, C837_KIND_I, "131"),
        C837_REVFIT_NOT_VALID);
    unlink(path);
    free(path);
    c837_codetable_free(u);
  }
  c837_codetable_free(t);
}

/* ------------------------------------------------------------------ */
/* PCS codes                                                           */
/* ------------------------------------------------------------------ */

static void test_pcs_by_discharge_date(void **state)
{
  c837_codetable *t = builtin();
  const c837_code *yescarta = c837_codetable_find(t, "Q2041");
  const c837_code *abecma = c837_codetable_find(t, "Q2055");
  const c837_code *tecelra = c837_codetable_find(t, "Q2057");
  const c837_pcs *p;
  (void)state;
  /* the generic group-3 code until FY2022, for any CAR-T product */
  p = c837_codetable_pcs(t, "XW033C3", 20210930);
  assert_non_null(p);
  assert_int_equal(p->cart_admin, 1);
  assert_true(c837_pcs_proves(p, yescarta));
  assert_true(c837_pcs_proves(p, abecma));
  assert_false(c837_pcs_proves(p, tecelra)); /* a TCR-T product */
  assert_null(c837_codetable_pcs(t, "XW033C3", 20211001));
  /* the product codes from 2021-10-01 */
  assert_null(c837_codetable_pcs(t, "XW033H7", 20210930));
  p = c837_codetable_pcs(t, "XW033H7", 20211001);
  assert_non_null(p);
  assert_string_equal(p->product, "axicabtagene ciloleucel");
  assert_true(c837_pcs_proves(p, yescarta));
  assert_false(c837_pcs_proves(p, abecma));
  assert_non_null(strstr(p->source, "medicare.fcso.com"));
  /* Carvykti's from 2022-02-28 */
  assert_null(c837_codetable_pcs(t, "XW043A7", 20220227));
  assert_non_null(c837_codetable_pcs(t, "XW043A7", 20220228));
  /* allogeneic: listed, but no autologous CAR-T administration */
  p = c837_codetable_pcs(t, "XW033G7", 20250101);
  assert_non_null(p);
  assert_int_equal(p->cart_admin, 0);
  /* lifileucel is TIL */
  p = c837_codetable_pcs(t, "XW043L7", 20250101);
  assert_int_equal(p->family, C837_FAM_TIL);
  assert_string_equal(p->product, "lifileucel");
  assert_null(c837_codetable_pcs(t, "XW033Z9", 20250101));
  assert_null(c837_codetable_pcs(t, NULL, 0));
  assert_false(c837_pcs_proves(NULL, yescarta));
  c837_codetable_free(t);
}

/* ------------------------------------------------------------------ */
/* NDCs                                                                */
/* ------------------------------------------------------------------ */

static void test_ndc_normalize(void **state)
{
  static const char *const ok[][2] = {
      {"0078-0846-19", "00078084619"},  /* 4-4-2 */
      {"71287-119-02", "71287011902"},  /* 5-3-2 */
      {"83205-0001-2", "83205000102"},  /* 5-4-1 */
      {"59572-0515-01", "59572051501"}, /* 5-4-2 */
      {"00078084619", "00078084619"},   /* already 11 digits */
  };
  static const char *const bad[] = {"0078084619", "78-0846-19",
                                    "0078-0846-1", "00078-0846-19x",
                                    "0078--084619", "", "a0078084619",
                                    "00078-00846-19"};
  size_t i;
  char out[12];
  (void)state;
  for (i = 0; i < sizeof ok / sizeof ok[0]; i++) {
    assert_int_equal(c837_ndc_normalize(out, ok[i][0]), 0);
    assert_string_equal(out, ok[i][1]);
  }
  for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    assert_int_equal(c837_ndc_normalize(out, bad[i]), -1);
    assert_string_equal(out, "");
  }
  assert_int_equal(c837_ndc_normalize(out, NULL), -1);
}

static void test_ndc_lookup(void **state)
{
  c837_codetable *t = builtin();
  const c837_ndc *n;
  (void)state;
  n = c837_codetable_ndc(t, "0078-0846-19");
  assert_non_null(n);
  assert_string_equal(n->product, "tisagenlecleucel");
  assert_int_equal(n->family, C837_FAM_PRODUCT);
  /* the product of the NDC is the product of its code */
  assert_string_equal(n->product, c837_codetable_find(t, "Q2042")->product);
  n = c837_codetable_ndc(t, "73776000112");
  assert_string_equal(n->product, "lifileucel");
  assert_int_equal(n->family, C837_FAM_TIL);
  assert_int_equal(c837_codetable_ndc(t, "83205000102")->family,
                   C837_FAM_TCR);
  assert_null(c837_codetable_ndc(t, "00000000000"));
  assert_null(c837_codetable_ndc(t, "junk"));
  c837_codetable_free(t);
}

/* ------------------------------------------------------------------ */
/* Indications                                                         */
/* ------------------------------------------------------------------ */

static void test_age_years(void **state)
{
  (void)state;
  assert_int_equal(c837_age_years(20000315, 20250314), 24);
  assert_int_equal(c837_age_years(20000315, 20250315), 25);
  assert_int_equal(c837_age_years(20000229, 20250228), 24);
  assert_int_equal(c837_age_years(20000229, 20250301), 25);
  assert_int_equal(c837_age_years(20250101, 20250101), 0);
  assert_int_equal(c837_age_years(20250102, 20250101), -1);
  assert_int_equal(c837_age_years(0, 20250101), -1);
  assert_int_equal(c837_age_years(20000101, 0), -1);
}

static void test_indication(void **state)
{
  c837_codetable *t = builtin();
  c837_indication_check k;
  const char *all[] = {"C9100", "Z006"};
  const char *lbcl[] = {"Z006", "C83.38"};
  const char *mm[] = {"C9000"};
  (void)state;
  /* Kymriah: ALL up to 25 (inclusive), LBCL from 18 */
  c837_codetable_indication(t, "tisagenlecleucel", all, 2, 20000315,
                            20250315, &k);
  assert_int_equal(k.rows, 3);
  assert_int_equal(k.dx_match, 1);
  assert_int_equal(k.age_ok, 1);
  assert_non_null(strstr(k.row->indication, "ALL"));
  c837_codetable_indication(t, "tisagenlecleucel", all, 2, 19990315,
                            20250315, &k);
  assert_int_equal(k.dx_match, 1);
  assert_int_equal(k.age_ok, 0); /* 26 */
  c837_codetable_indication(t, "tisagenlecleucel", lbcl, 2, 19600101,
                            20250315, &k);
  assert_int_equal(k.dx_match, 1);
  assert_int_equal(k.age_ok, 1);
  assert_non_null(strstr(k.row->indication, "large B-cell"));
  /* a diagnosis outside the label; age judged against any row */
  c837_codetable_indication(t, "tisagenlecleucel", mm, 1, 19600101, 20250315,
                            &k);
  assert_int_equal(k.dx_match, 0);
  assert_int_equal(k.age_ok, 1);
  assert_non_null(k.row);
  /* no date of birth: age unknown */
  c837_codetable_indication(t, "idecabtagene vicleucel", mm, 1, 0, 20250315,
                            &k);
  assert_int_equal(k.dx_match, 1);
  assert_int_equal(k.age_ok, -1);
  /* Casgevy from 12 years */
  {
    const char *scd[] = {"D5701"};
    c837_codetable_indication(t, "exagamglogene autotemcel", scd, 1,
                              20150101, 20250101, &k);
    assert_int_equal(k.dx_match, 1);
    assert_int_equal(k.age_ok, 0); /* 10 */
  }
  /* a product without rows: nothing to check */
  c837_codetable_indication(t, "no such product", all, 2, 20000101,
                            20250101, &k);
  assert_int_equal(k.rows, 0);
  assert_null(k.row);
  c837_codetable_indication(t, "", all, 2, 20000101, 20250101, &k);
  assert_int_equal(k.rows, 0);
  c837_codetable_free(t);
}

/* ------------------------------------------------------------------ */
/* Loading list files                                                  */
/* ------------------------------------------------------------------ */

static void test_list_merge_and_replace(void **state)
{
  c837_codetable *t = builtin();
  char msg[512];
  const c837_ndc *n;
  size_t before = c837_codetable_list_count(t, C837_LIST_NDC);
  (void)state;
  /* a new NDC appended, an existing one changed in the columns given */
  assert_int_equal(load(t, C837_LIST_NDC,
                        "ndc,brand\n"
                        "00078084619,Kymriah (payer's wording)\n"
                        "12345678901,New\n",
                        0, msg, sizeof msg),
                   C837_OK);
  assert_int_equal(c837_codetable_list_count(t, C837_LIST_NDC), before + 1);
  n = c837_codetable_ndc(t, "00078084619");
  assert_string_equal(n->brand, "Kymriah (payer's wording)");
  assert_string_equal(n->product, "tisagenlecleucel"); /* kept */
  n = c837_codetable_ndc(t, "12345678901");
  assert_string_equal(n->product, "");
  /* replace_all: the file is the list */
  assert_int_equal(load(t, C837_LIST_NDC, "ndc,product\n11111111111,x\n", 1,
                        msg, sizeof msg),
                   C837_OK);
  assert_int_equal(c837_codetable_list_count(t, C837_LIST_NDC), 1);
  assert_null(c837_codetable_ndc(t, "00078084619"));
  /* indications: one row of a product replaced by product + indication */
  assert_int_equal(load(t, C837_LIST_INDICATION,
                        "product,indication,max_age\n"
                        "tisagenlecleucel,\"Kymriah: B-cell precursor ALL, "
                        "patients up to 25 years\",26\n",
                        0, msg, sizeof msg),
                   C837_OK);
  {
    const char *all[] = {"C910"};
    c837_indication_check k;
    c837_codetable_indication(t, "tisagenlecleucel", all, 1, 19990315,
                              20250315, &k);
    assert_int_equal(k.age_ok, 1);
    assert_int_equal(k.rows, 3);
  }
  c837_codetable_free(t);
}

static void test_list_rejects(void **state)
{
  static const struct {
    c837_list l;
    const char *text, *msg;
  } cases[] = {
      {C837_LIST_NDC, "ndc\n0078-0846-19\n",
       "F:2:1: ndc: expected an NDC of 11 digits (5-4-2, no hyphens), found "
       "\"0078-0846-19\""},
      {C837_LIST_NDC, "ndc,family\n00078084619,cart\n",
       "F:2:2: family: expected step, product, watch, tcr, til, hsc_gene, "
       "cell_other, noc or empty, found \"cart\""},
      {C837_LIST_NDC, "ndc\n00078084619\n00078084619\n",
       "F:3:1: ndc: expected each ndc once in the file, found \"00078084619\" "
       "again (first on line 2)"},
      {C837_LIST_NDC, "product\nx\n",
       "F:1:1: header: expected a column named ndc, found none"},
      {C837_LIST_REVENUE, "revenue,family\n0892,tcr\n0892,tcr\n",
       "F:3:1: revenue: expected each revenue code and family once in the "
       "file, found \"0892/tcr\" again (first on line 2)"},
      {C837_LIST_REVENUE, "revenue\n892\n",
       "F:2:1: revenue: expected a 4-digit revenue code, found \"892\""},
      {C837_LIST_REVENUE, "revenue,settings\n0892,inpatient\n",
       "F:2:2: settings: expected 837P, 837I or type-of-bill classes such as "
       "13X, separated by '|', or empty, found \"inpatient\""},
      {C837_LIST_PCS, "code,valid_from,valid_to\nXW099H7,2021-10-01,2021-09-30\n",
       "F:2:3: valid_to: expected valid_to on or after valid_from "
       "2021-10-01, found 2021-09-30"},
      {C837_LIST_PCS, "code\nXW033H\n",
       "F:2:1: code: expected an ICD-10-PCS code of 7 letters or digits, "
       "found \"XW033H\""},
      {C837_LIST_INDICATION, "product,indication,dx_prefixes\nx,y,c91.0\n",
       "F:2:3: dx_prefixes: expected ICD-10-CM prefixes (capital letters, "
       "digits, dots) separated by blanks, found \"c91.0\""},
      {C837_LIST_INDICATION, "product,indication,min_age,max_age\n"
                             "x,y,18,12\n",
       "F:2:4: max_age: expected max_age at least min_age 18, found 12"},
      {C837_LIST_INDICATION, "product,indication\n,y\n",
       "F:2:1: product: expected a value, found none"},
      {C837_LIST_PTP, "col1,col2,modifier\n38228,38206,2\n",
       "F:2:3: modifier: expected 0, 1 or 9, found \"2\""},
  };
  size_t i;
  (void)state;
  for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    c837_codetable *t = builtin();
    char msg[512], *before = list_csv(t, cases[i].l), *after;
    assert_int_equal(load(t, cases[i].l, cases[i].text, 0, msg, sizeof msg),
                     C837_ECSV);
    assert_string_equal(msg, cases[i].msg);
    after = list_csv(t, cases[i].l);
    assert_string_equal(after, before); /* unchanged */
    free(before);
    free(after);
    c837_codetable_free(t);
  }
  {
    c837_codetable *t = builtin();
    c837_error err;
    assert_int_equal(c837_codetable_load_list(t, C837_LIST_PCS,
                                              "/nonexistent/pcs.csv", 0,
                                              &err),
                     C837_EIO);
    assert_string_equal(err.msg, "/nonexistent/pcs.csv: cannot open: No such "
                                 "file or directory");
    assert_int_equal(c837_codetable_load_list(t, C837_LIST_COUNT, "x", 0,
                                              &err),
                     C837_EINVAL);
    c837_codetable_free(t);
  }
}

/* ------------------------------------------------------------------ */
/* PTP pairs                                                           */
/* ------------------------------------------------------------------ */

static void test_ptp_lookup(void **state)
{
  c837_codetable *t = builtin();
  const c837_ptp *p;
  (void)state;
  assert_null(c837_codetable_ptp(t, "38228", "38206", 20250101));
  assert_int_equal(load(t, C837_LIST_PTP,
                        "col1,col2,valid_from,valid_to,modifier\n"
                        "38228,38206,2025-01-01,,1\n"
                        "38225,36511,2019-01-01,2019-12-31,0\n",
                        0, NULL, 0),
                   C837_OK);
  p = c837_codetable_ptp(t, "38228", "38206", 20250101);
  assert_non_null(p);
  assert_int_equal(p->modifier, 1);
  assert_ptr_equal(c837_codetable_ptp(t, "38206", "38228", 20250101), p);
  assert_null(c837_codetable_ptp(t, "38228", "38206", 20241231));
  assert_non_null(c837_codetable_ptp(t, "36511", "38225", 20191231));
  assert_null(c837_codetable_ptp(t, "36511", "38225", 20200101));
  assert_non_null(c837_codetable_ptp(t, "36511", "38225", 0));
  assert_null(c837_codetable_ptp(t, "38228", "38225", 20250101));
  c837_codetable_free(t);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_builtin_lists_print_back),
      cmocka_unit_test(test_lists_join_on_product),
      cmocka_unit_test(test_revenue_rows),
      cmocka_unit_test(test_revenue_fit),
      cmocka_unit_test(test_revenue_fit_not_valid),
      cmocka_unit_test(test_pcs_by_discharge_date),
      cmocka_unit_test(test_ndc_normalize),
      cmocka_unit_test(test_ndc_lookup),
      cmocka_unit_test(test_age_years),
      cmocka_unit_test(test_indication),
      cmocka_unit_test(test_list_merge_and_replace),
      cmocka_unit_test(test_list_rejects),
      cmocka_unit_test(test_ptp_lookup),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
