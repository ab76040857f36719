/* test_codetable.c -- unit tests of the code table (src/edit/codetable.c)
 *
 * The built-in table is checked row by row against the values that
 * specs/codes.csv promises (and that the engine relies on); writing it
 * must give back specs/codes.csv byte for byte and load back field for
 * field; override files change what they name and nothing else; every
 * kind of malformed file is rejected with its exact message and leaves
 * the table as it was; the one definition of a tracked line.
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

extern const char c837_builtin_codes_csv[];
extern const unsigned long c837_builtin_codes_csv_len;

#include "testtable.h" /* HDR, tmp_file, builtin, load_ok, expect_reject */

/* ------------------------------------------------------------------ */
/* Helpers                                                             */
/* ------------------------------------------------------------------ */

/* Writes t (or only one row) into *out (malloc'd, NUL-terminated). */
static void capture_csv(const c837_codetable *t, const char *only,
                        c837_status *st, char **out, size_t *len)
{
  FILE *fp;
  *out = NULL;
  fp = open_memstream(out, len);
  assert_non_null(fp);
  *st = c837_codetable_write_csv(t, fp, only);
  fclose(fp);
}

/* ------------------------------------------------------------------ */
/* The built-in table                                                  */
/* ------------------------------------------------------------------ */

static void test_builtin_codes_in_order(void **state)
{
  static const char *const want[] = {
      "38225", "38226", "38227", "38228", "0537T", "0538T", "0539T",
      "0540T", "Q2041", "Q2042", "Q2053", "Q2054", "Q2055", "Q2056",
      "Q2058", "C9076", "Q2040", "38205", "38206", "38207", "38208",
      "38209", "38210", "38211", "38212", "38213", "38214", "38215",
      "36511", "36512", "36513", "36514", "36515", "36516", "C9073",
      "C9081", "C9098", "C9301", "Q2057", "J3391", "J3392", "J3393",
      "J3394", "Q2043", "C9399", "J9999", "J3590", "J3490"};
  c837_codetable *t = builtin();
  size_t i, n = sizeof want / sizeof want[0];
  (void)state;

  assert_int_equal(c837_codetable_count(t), n);
  for (i = 0; i < n; i++) {
    const c837_code *c = c837_codetable_at(t, i);
    assert_string_equal(c->code, want[i]);
    assert_ptr_equal(c837_codetable_find(t, want[i]), c);
    assert_true(c->descriptor[0] != '\0');
    assert_true(c->history[0] != '\0');
  }
  assert_null(c837_codetable_at(t, n));
  c837_codetable_free(t);
}

static void test_builtin_step_codes(void **state)
{
  static const char *const cat1[] = {"38225", "38226", "38227", "38228"};
  static const char *const cat3[] = {"0537T", "0538T", "0539T", "0540T"};
  static const char *const rev[] = {"0871", "0872", "0873", "0874"};
  c837_codetable *t = builtin();
  int i;
  (void)state;

  for (i = 0; i < 4; i++) {
    const c837_code *n = c837_codetable_find(t, cat1[i]);
    const c837_code *o = c837_codetable_find(t, cat3[i]);
    assert_non_null(n);
    assert_non_null(o);
    assert_int_equal(n->family, C837_FAM_STEP);
    assert_int_equal(n->step, i + 1);
    assert_int_equal(n->cap, 1000000);
    assert_int_equal(n->fractional, 0);
    assert_int_equal(n->valid_from, 20250101);
    assert_int_equal(n->valid_to, 0);
    assert_string_equal(n->crosswalk, cat3[i]);
    assert_string_equal(n->revenue, rev[i]);
    assert_int_equal(n->split_dose, 0);

    assert_int_equal(o->family, C837_FAM_STEP);
    assert_int_equal(o->step, i + 1);
    assert_int_equal(o->cap, 1000000);
    assert_int_equal(o->fractional, 0);
    assert_int_equal(o->valid_from, 20190101);
    assert_int_equal(o->valid_to, 20241231);
    assert_string_equal(o->crosswalk, cat1[i]);
    assert_string_equal(o->revenue, rev[i]);
    assert_int_equal(o->split_dose, 0);
  }
  c837_codetable_free(t);
}

/* The products with their dates and crosswalks as specs/codes.md
 * sources them (CMS HCPCS files: ADD_DT, TERM_DT, XREF1). */
static void test_builtin_products(void **state)
{
  static const struct {
    const char *code, *from, *to, *xwalk, *product;
    c837_per unit;
    int split;
  } want[] = {
      {"Q2041", "2018-04-01", "", "", "axicabtagene ciloleucel",
       C837_PER_DOSE, 0},
      {"Q2042", "2019-01-01", "", "Q2040", "tisagenlecleucel", C837_PER_DOSE,
       0},
      {"Q2053", "2021-04-01", "", "C9073", "brexucabtagene autoleucel",
       C837_PER_DOSE, 0},
      {"Q2054", "2021-10-01", "", "C9076", "lisocabtagene maraleucel",
       C837_PER_DOSE, 0},
      {"Q2055", "2022-01-01", "", "C9081", "idecabtagene vicleucel",
       C837_PER_DOSE, 0},
      {"Q2056", "2022-10-01", "", "C9098", "ciltacabtagene autoleucel",
       C837_PER_DOSE, 0},
      {"Q2058", "2025-07-01", "", "C9301", "obecabtagene autoleucel",
       C837_PER_INFUSION, 1},
      {"Q2040", "2018-01-01", "2018-12-31", "Q2042", "tisagenlecleucel",
       C837_PER_INFUSION, 0},
      {"C9073", "2021-01-01", "2021-03-31", "Q2053",
       "brexucabtagene autoleucel", C837_PER_DOSE, 0},
      {"C9076", "2021-07-01", "2021-09-30", "Q2054",
       "lisocabtagene maraleucel", C837_PER_DOSE, 0},
      {"C9081", "2021-10-01", "2021-12-31", "Q2055", "idecabtagene vicleucel",
       C837_PER_DOSE, 0},
      {"C9098", "2022-07-01", "2022-09-30", "Q2056",
       "ciltacabtagene autoleucel", C837_PER_DOSE, 0},
      {"C9301", "2025-04-01", "2025-06-30", "Q2058", "obecabtagene autoleucel",
       C837_PER_DOSE, 1},
  };
  c837_codetable *t = builtin();
  size_t i;
  (void)state;

  for (i = 0; i < sizeof want / sizeof want[0]; i++) {
    const c837_code *c = c837_codetable_find(t, want[i].code);
    char d[16];
    assert_non_null(c);
    assert_int_equal(c->family, C837_FAM_PRODUCT);
    assert_int_equal(c->step, 0);
    assert_int_equal(c->cap, 1000000);
    assert_int_equal(c->fractional, 1);
    c837_format_iso_date(d, sizeof d, c->valid_from);
    assert_string_equal(d, want[i].from);
    c837_format_iso_date(d, sizeof d, c->valid_to);
    assert_string_equal(d, want[i].to);
    assert_string_equal(c->crosswalk, want[i].xwalk);
    assert_string_equal(c->product, want[i].product);
    assert_int_equal(c->unit, want[i].unit);
    assert_int_equal(c->split_dose, want[i].split);
    /* Q2040 ended before the 089X revenue codes began (2019-04-01) */
    assert_string_equal(c->revenue,
                        strcmp(c->code, "Q2040") == 0 ? "" : "0891|0892");
    /* C-codes: hospital outpatient bills only */
    assert_string_equal(c->settings, c->code[0] == 'C' ? "12X|13X" : "");
    assert_non_null(strstr(c->history, want[i].from));
  }
  c837_codetable_free(t);
}

static void test_builtin_watch_codes(void **state)
{
  c837_codetable *t = builtin();
  int n = 0;
  size_t i;
  (void)state;

  for (i = 0; i < c837_codetable_count(t); i++) {
    const c837_code *c = c837_codetable_at(t, i);
    long v = strtol(c->code, NULL, 10);
    int watch = (v >= 38205 && v <= 38215) || (v >= 36511 && v <= 36516);
    assert_int_equal(c->family == C837_FAM_WATCH, watch);
    if (!watch)
      continue;
    n++;
    assert_int_equal(c->step, 0);
    assert_int_equal(c->cap, 0);
    assert_int_equal(c->fractional, 0);
    assert_int_equal(c->valid_from, 0);
    assert_int_equal(c->valid_to, 0);
    assert_string_equal(c->crosswalk, "");
    assert_string_equal(c->revenue, "");
    assert_int_equal(c->split_dose, 0);
  }
  assert_int_equal(n, 17);
  c837_codetable_free(t);
}

static void test_builtin_crosswalks_pair_up(void **state)
{
  c837_codetable *t = builtin();
  size_t i, n = 0;
  (void)state;

  for (i = 0; i < c837_codetable_count(t); i++) {
    const c837_code *c = c837_codetable_at(t, i), *x;
    if (c->crosswalk[0] == '\0')
      continue;
    n++;
    x = c837_codetable_find(t, c->crosswalk);
    assert_non_null(x);
    assert_string_equal(x->crosswalk, c->code);
    assert_int_equal(x->family, c->family);
    assert_int_equal(x->step, c->step);
  }
  /* 8 step codes, Q2042/Q2040 and the five Q-codes with their C-codes */
  assert_int_equal(n, 20);
  c837_codetable_free(t);
}

static void test_find(void **state)
{
  c837_codetable *t = builtin();
  (void)state;

  assert_string_equal(c837_codetable_find(t, " 38225\t")->code, "38225");
  assert_null(c837_codetable_find(t, "q2058")); /* case-sensitive */
  assert_null(c837_codetable_find(t, "38225x"));
  assert_null(c837_codetable_find(t, ""));
  assert_null(c837_codetable_find(t, "   "));
  assert_null(c837_codetable_find(t, "12345678901234567890"));
  assert_null(c837_codetable_find(t, NULL));
  assert_null(c837_codetable_find(NULL, "38225"));
  assert_int_equal(c837_codetable_count(NULL), 0);
  assert_null(c837_codetable_at(NULL, 0));
  c837_codetable_free(t);
  c837_codetable_free(NULL);
}

static void test_family_names(void **state)
{
  (void)state;
  assert_string_equal(c837_family_name(C837_FAM_STEP), "step");
  assert_string_equal(c837_family_name(C837_FAM_PRODUCT), "product");
  assert_string_equal(c837_family_name(C837_FAM_WATCH), "watch");
  assert_string_equal(c837_family_name(C837_FAM_NONE), "");
  assert_string_equal(c837_family_name((c837_family)42), "");
}

/* ------------------------------------------------------------------ */
/* Writing                                                             */
/* ------------------------------------------------------------------ */

static void test_write_is_spec_file(void **state)
{
  c837_codetable *t = builtin();
  c837_status st;
  size_t len;
  char *out;
  capture_csv(t, NULL, &st, &out, &len);
  (void)state;

  assert_int_equal(st, C837_OK);
  assert_int_equal(len, c837_builtin_codes_csv_len);
  assert_memory_equal(out, c837_builtin_codes_csv, len);
  free(out);
  c837_codetable_free(t);
}

static void test_write_round_trip(void **state)
{
  c837_codetable *t = builtin(), *back = builtin();
  c837_status st;
  c837_error err;
  size_t len;
  char *out;
  capture_csv(t, NULL, &st, &out, &len);
  char *path = tmp_file(out, len);
  (void)state;

  assert_int_equal(st, C837_OK);
  assert_int_equal(c837_codetable_load(back, path, 1, &err), C837_OK);
  assert_int_equal(err.code, C837_OK);
  assert_string_equal(err.msg, "");
  assert_same_table(back, t);
  unlink(path);
  free(path);
  free(out);
  c837_codetable_free(t);
  c837_codetable_free(back);
}

static void test_write_one(void **state)
{
  c837_codetable *t = builtin();
  c837_status st;
  size_t len;
  char *out;
  (void)state;

  capture_csv(t, "Q2058", &st, &out, &len);
  assert_int_equal(st, C837_OK);
  assert_string_equal(
      out,
      "\"code\",\"family\",\"step\",\"descriptor\",\"cap_per_day\","
      "\"fractional\",\"valid_from\",\"valid_to\",\"crosswalk\","
      "\"revenue_codes\",\"split_dose\",\"history\",\"settings\","
      "\"unit\",\"product\",\"pfs_payable\",\"opps_si\"\n"
      "\"Q2058\",\"product\",\"0\",\"CAR-T product obecabtagene "
      "autoleucel (Aucatzyl); one unit is one infusion: the dose is split "
      "over two infusions about ten days apart, one unit on each infusion "
      "date\",\"1\",\"1\",\"2025-07-01\",\"\",\"C9301\",\"0891|0892\","
      "\"1\",\"2025-07-01 added (HCPCS ADD_DT), per infusion, replacing "
      "C9301 (2025-04-01 .. 2025-06-30, per therapeutic dose); split dose: "
      "both infusions belong to one course\",\"\",\"infusion\","
      "\"obecabtagene autoleucel\",\"\",\"\"\n");
  free(out);

  capture_csv(t, "NOPE", &st, &out, &len);
  assert_int_equal(st, C837_EINVAL);
  assert_int_equal(len, 0);
  free(out);
  c837_codetable_free(t);
}

static void test_write_fractional_cap_and_quotes(void **state)
{
  c837_codetable *t = load_ok(
      HDR "Q9999,product,0,\"Has \"\"quotes\"\", commas\",0.1,1,2024-02-29,"
          "2024-03-01,,0891,0,\"a, b\"\n",
      1);
  c837_status st;
  size_t len;
  char *out;
  capture_csv(t, NULL, &st, &out, &len);
  const c837_code *c = c837_codetable_find(t, "Q9999");
  (void)state;

  assert_int_equal(st, C837_OK);
  assert_int_equal(c->cap, 100000);
  assert_string_equal(c->descriptor, "Has \"quotes\", commas");
  assert_string_equal(
      strchr(out, '\n') + 1,
      "\"Q9999\",\"product\",\"0\",\"Has \"\"quotes\"\", commas\",\"0.1\","
      "\"1\",\"2024-02-29\",\"2024-03-01\",\"\",\"0891\",\"0\",\"a, b\","
      "\"\",\"\",\"\",\"\",\"\"\n");
  free(out);
  c837_codetable_free(t);
}

static void test_describe(void **state)
{
  c837_codetable *t = builtin();
  char *buf = NULL, want[2048];
  size_t len = 0;
  FILE *fp;
  const c837_code *c = c837_codetable_find(t, "38225");
  (void)state;

  fp = open_memstream(&buf, &len);
  assert_int_equal(c837_code_describe(c, fp), C837_OK);
  fclose(fp);
  snprintf(want, sizeof want,
           "code: 38225\n"
           "family: step\n"
           "step: 1 (collect)\n"
           "descriptor: %s\n"
           "cap_per_day: 1 per date of service\n"
           "fractional: 0 (whole units only)\n"
           "valid_from: 2025-01-01\n"
           "valid_to: (open)\n"
           "crosswalk: 0537T (predecessor, before 2025-01-01)\n"
           "revenue_codes: 0871\n"
           "split_dose: 0\n"
           "history: %s\n"
           "settings: (everywhere)\n"
           "unit: (not stated)\n"
           "product: (none)\n"
           "pfs_payable: no\n"
           "opps_si: (not known)\n",
           c->descriptor, c->history);
  assert_string_equal(buf, want);
  free(buf);

  buf = NULL;
  fp = open_memstream(&buf, &len);
  assert_int_equal(c837_code_describe(c837_codetable_find(t, "C9076"), fp),
                   C837_OK);
  fclose(fp);
  assert_non_null(strstr(buf, "\nvalid_to: 2021-09-30\n"));
  assert_non_null(
      strstr(buf, "\ncrosswalk: Q2054 (replacement from 2021-10-01)\n"));
  assert_non_null(strstr(buf, "\nfractional: 1 (fractional units allowed)\n"));
  free(buf);

  buf = NULL;
  fp = open_memstream(&buf, &len);
  assert_int_equal(c837_code_describe(c837_codetable_find(t, "38211"), fp),
                   C837_OK);
  fclose(fp);
  assert_non_null(strstr(buf, "\nfamily: watch\n"));
  assert_non_null(strstr(buf, "\nstep: 0 (not a step code)\n"));
  assert_non_null(strstr(buf, "\ncap_per_day: (no cap)\n"));
  assert_non_null(strstr(buf, "\ncrosswalk: (none)\n"));
  assert_non_null(strstr(buf, "\nrevenue_codes: (none)\n"));
  assert_non_null(strstr(buf, "\nhistory: watch code"));
  free(buf);

  buf = NULL;
  fp = open_memstream(&buf, &len);
  assert_int_equal(c837_code_describe(c837_codetable_find(t, "Q2058"), fp),
                   C837_OK);
  fclose(fp);
  assert_non_null(
      strstr(buf, "\nsplit_dose: 1 (one dose given in two infusions)\n"));
  free(buf);

  assert_int_equal(c837_code_describe(NULL, stdout), C837_EINVAL);
  c837_codetable_free(t);
}

/* ------------------------------------------------------------------ */
/* Override files                                                      */
/* ------------------------------------------------------------------ */

static void test_override_cap_and_add_code(void **state)
{
  c837_codetable *ref = builtin();
  c837_codetable *t = load_ok(
      HDR "38226,step,2,Payer's own wording,2,0,2025-01-01,,0538T,0872,0,"
          "payer MUE 2\n"
          "Q9999,product,0,A new product,1,1,2026-01-01,,,0891,0,added\n",
      0);
  size_t i;
  const c837_code *c;
  (void)state;

  assert_int_equal(c837_codetable_count(t), c837_codetable_count(ref) + 1);
  for (i = 0; i < c837_codetable_count(ref); i++) {
    const c837_code *a = c837_codetable_at(t, i);
    const c837_code *b = c837_codetable_at(ref, i);
    if (strcmp(b->code, "38226") == 0)
      continue;
    assert_same_row(a, b);
  }
  c = c837_codetable_at(t, 1); /* overridden in place */
  assert_string_equal(c->code, "38226");
  assert_int_equal(c->cap, 2000000);
  assert_string_equal(c->descriptor, "Payer's own wording");
  assert_string_equal(c->history, "payer MUE 2");
  c = c837_codetable_at(t, c837_codetable_count(ref)); /* appended */
  assert_string_equal(c->code, "Q9999");
  assert_int_equal(c->family, C837_FAM_PRODUCT);
  assert_int_equal(c->valid_from, 20260101);
  assert_string_equal(c->revenue, "0891");
  assert_ptr_equal(c837_codetable_find(t, "Q9999"), c);
  c837_codetable_free(t);
  c837_codetable_free(ref);
}

static void test_override_partial_columns(void **state)
{
  /* Columns in another order, only two of them, CRLF, a BOM, blank
   * lines and blanks around values. */
  c837_codetable *ref = builtin();
  c837_codetable *t = load_ok("\xEF\xBB\xBF"
                              "cap_per_day , code\r\n"
                              "\r\n"
                              " 3 , 38228 \r\n"
                              "0.5,NEW01\r\n",
                              0);
  const c837_code *c;
  c837_code want;
  size_t n = c837_codetable_count(ref);
  (void)state;

  assert_int_equal(c837_codetable_count(t), n + 1);
  want = *c837_codetable_find(ref, "38228");
  want.cap = 3000000;
  assert_same_row(c837_codetable_find(t, "38228"), &want);
  c = c837_codetable_at(t, n);
  assert_string_equal(c->code, "NEW01");
  assert_int_equal(c->cap, 500000);
  assert_int_equal(c->family, C837_FAM_NONE);
  assert_int_equal(c->step, 0);
  assert_string_equal(c->descriptor, "");
  assert_int_equal(c->valid_from, 0);
  assert_string_equal(c->crosswalk, "");
  c837_codetable_free(t);
  c837_codetable_free(ref);
}

static void test_replace_all(void **state)
{
  c837_codetable *t = load_ok(
      HDR "38228,step,4,Give the cells,1,0,,,,0874,0,\n"
          "Q2041,product,0,Product,1,1,,,,0891|0892,0,\n",
      1);
  (void)state;

  assert_int_equal(c837_codetable_count(t), 2);
  assert_string_equal(c837_codetable_at(t, 0)->code, "38228");
  assert_string_equal(c837_codetable_at(t, 1)->code, "Q2041");
  assert_null(c837_codetable_find(t, "38225"));
  assert_non_null(c837_codetable_find(t, "Q2041"));
  c837_codetable_free(t);
}

static void test_boundary_values_accepted(void **state)
{
  c837_codetable *t = load_ok(
      HDR "ABCDEFGHIJ123456,,,"
          "x,0.000001,0,2025-01-01,2025-01-01,,0871|0872|0873,0,\n",
      1);
  const c837_code *c = c837_codetable_find(t, "ABCDEFGHIJ123456");
  (void)state;

  assert_non_null(c);
  assert_int_equal(c->cap, 1);
  assert_int_equal(c->valid_from, 20250101);
  assert_int_equal(c->valid_to, 20250101);
  assert_string_equal(c->revenue, "0871|0872|0873");
  c837_codetable_free(t);
}

static void test_long_text_limits(void **state)
{
  char text[2048], d199[200], d200[201], want[128];
  (void)state;

  memset(d199, 'd', 199);
  d199[199] = '\0';
  memset(d200, 'd', 200);
  d200[200] = '\0';
  snprintf(text, sizeof text, HDR "X1,,0,%s,,0,,,,,0,\n", d199);
  c837_codetable_free(load_ok(text, 0));
  snprintf(text, sizeof text, HDR "X1,,0,%s,,0,,,,,0,\n", d200);
  snprintf(want, sizeof want,
           "2:4: descriptor: expected at most 199 characters, found 200");
  expect_reject(text, want);
}

/* ------------------------------------------------------------------ */
/* Malformed files                                                     */
/* ------------------------------------------------------------------ */

static void test_reject_bad_date(void **state)
{
  (void)state;
  expect_reject(HDR "38225,step,1,x,1,0,2025-01-01,,0537T,0871,0,h\n"
                    "38226,step,2,x,1,0,2025-02-30,,0538T,0872,0,h\n",
                "3:7: valid_from: expected a date CCYY-MM-DD or empty, "
                "found \"2025-02-30\"");
  expect_reject(HDR "38226,step,2,x,1,0,20250101,,0538T,0872,0,h\n",
                "2:7: valid_from: expected a date CCYY-MM-DD or empty, "
                "found \"20250101\"");
  expect_reject(HDR "38226,step,2,x,1,0,,2023-02-29,,0872,0,h\n",
                "2:8: valid_to: expected a date CCYY-MM-DD or empty, "
                "found \"2023-02-29\"");
}

static void test_reject_unknown_family(void **state)
{
  (void)state;
  expect_reject(HDR "Q9999,stem,0,x,1,0,,,,,0,h\n",
                "2:2: family: expected step, product, watch, tcr, til, "
                "hsc_gene, cell_other, noc or empty, found \"stem\"");
  expect_reject(HDR "Q9999,Step,1,x,1,0,,,,,0,h\n",
                "2:2: family: expected step, product, watch, tcr, til, "
                "hsc_gene, cell_other, noc or empty, found \"Step\"");
}

static void test_reject_bad_cap(void **state)
{
  (void)state;
  expect_reject(HDR "38225,step,1,x,one,0,,,,,0,h\n",
                "2:5: cap_per_day: expected a positive number of units (at "
                "most 6 decimals) or empty, found \"one\"");
  expect_reject(HDR "38225,step,1,x,0,0,,,,,0,h\n",
                "2:5: cap_per_day: expected a positive number of units (at "
                "most 6 decimals) or empty, found \"0\"");
  expect_reject(HDR "38225,step,1,x,-1,0,,,,,0,h\n",
                "2:5: cap_per_day: expected a positive number of units (at "
                "most 6 decimals) or empty, found \"-1\"");
  expect_reject(HDR "38225,step,1,x,0.0000001,0,,,,,0,h\n",
                "2:5: cap_per_day: expected a positive number of units (at "
                "most 6 decimals) or empty, found \"0.0000001\"");
  /* the cap is bounded so that cap x days stays far inside int64 */
  c837_codetable_free(load_ok(HDR "38225,step,1,x,1000000,0,,,,,0,h\n", 0));
  expect_reject(HDR "38225,step,1,x,1000000.000001,0,,,,,0,h\n",
                "2:5: cap_per_day: expected at most 1000000 units per day, "
                "found \"1000000.000001\"");
  expect_reject(HDR "38225,step,1,x,900000000000,0,,,,,0,h\n",
                "2:5: cap_per_day: expected at most 1000000 units per day, "
                "found \"900000000000\"");
}

static void test_reject_bad_flags_and_codes(void **state)
{
  (void)state;
  expect_reject(HDR "38225,step,1,x,1,yes,,,,,0,h\n",
                "2:6: fractional: expected 0, 1 or empty, found \"yes\"");
  expect_reject(HDR "38225,step,1,x,1,0,,,,,2,h\n",
                "2:11: split_dose: expected 0, 1 or empty, found \"2\"");
  expect_reject(HDR "38225,step,5,x,1,0,,,,,0,h\n",
                "2:3: step: expected a step 1 to 4 (0 or empty for none), "
                "found \"5\"");
  expect_reject(HDR "ABCDEFGHIJ1234567,,0,x,,0,,,,,0,h\n",
                "2:1: code: expected a code of 1 to 16 letters or digits, "
                "found \"ABCDEFGHIJ1234567\"");
  expect_reject(HDR ",,0,x,,0,,,,,0,h\n",
                "2:1: code: expected a code of 1 to 16 letters or digits, "
                "found \"\"");
  expect_reject(HDR "38-225,,0,x,,0,,,,,0,h\n",
                "2:1: code: expected a code of 1 to 16 letters or digits, "
                "found \"38-225\"");
  expect_reject(HDR "38225,step,1,x,1,0,,,,0871|,0,h\n",
                "2:10: revenue_codes: expected 4-digit revenue codes "
                "separated by '|' (at most 63 characters) or empty, found "
                "\"0871|\"");
  expect_reject(HDR "38225,step,1,x,1,0,,,,871,0,h\n",
                "2:10: revenue_codes: expected 4-digit revenue codes "
                "separated by '|' (at most 63 characters) or empty, found "
                "\"871\"");
  expect_reject(HDR "38225,step,1,x,1,0,,,05 37T,0871,0,h\n",
                "2:9: crosswalk: expected a code of 1 to 16 letters or "
                "digits or empty, found \"05 37T\"");
}

static void test_reject_wrong_header(void **state)
{
  (void)state;
  expect_reject("kode,family,step\n38225,step,1\n",
                "1:1: header: expected a column name of specs/codes.csv, "
                "found \"kode\"");
  expect_reject("code,family,family\n38225,step,step\n",
                "1:3: header: expected each column once, found \"family\" "
                "again (first in column 2)");
  expect_reject("family,step\nstep,1\n",
                "1:1: header: expected a column named code, found none");
  expect_reject("", "1:1: header: expected a header row, found an empty "
                    "file");
  expect_reject("\n\n", "1:1: header: expected a header row, found an "
                        "empty file");
  expect_reject("code,,family\n", "1:2: header: expected a column name of "
                                  "specs/codes.csv, found \"\"");
}

static void test_reject_field_count(void **state)
{
  (void)state;
  expect_reject(HDR "38225,step,1,x,1,0,,,,,0\n",
                "2:12: history: expected 12 fields as in the header, found "
                "11");
  expect_reject(HDR "38225,step,1,x,1,0,,,,,0,h,extra\n",
                "2:13: (beyond the header): expected 12 fields as in the "
                "header, found more");
  expect_reject("code,cap_per_day\n38225\n",
                "2:2: cap_per_day: expected 2 fields as in the header, "
                "found 1");
}

static void test_reject_unterminated_quote(void **state)
{
  (void)state;
  expect_reject(HDR "38225,step,1,\"never closed,1,0,2025-01-01,,0537T,"
                    "0871,0,h\n"
                    "38226,step,2,x,1,0,2025-01-01,,0538T,0872,0,h\n",
                "2:4: descriptor: expected a closing quote, found the end "
                "of the file");
}

static void test_reject_strict_quotes(void **state)
{
  (void)state;
  expect_reject(HDR "38225,step,1,\"abc\"x,1,0,,,,,0,h\n",
                "2:4: descriptor: expected a comma or line end after a "
                "closing quote, found \"x\"");
  expect_reject(HDR "38225,st\"ep,1,x,1,0,,,,,0,h\n",
                "2:2: family: expected no quote inside an unquoted field, "
                "found \"\"\"");
}

static void test_reject_duplicate_code(void **state)
{
  (void)state;
  expect_reject(HDR "38225,step,1,x,1,0,,,,,0,h\n"
                    "38226,step,2,x,1,0,,,,,0,h\n"
                    "38225,step,1,y,1,0,,,,,0,h\n"
                    "38226,step,2,y,1,0,,,,,0,h\n",
                "4:1: code: expected each code once in the file, found "
                "\"38225\" again (first on line 2)");
}

static void test_reject_crosswalk(void **state)
{
  (void)state;
  expect_reject(HDR "Q9999,product,0,x,1,1,,,Z0000,0891,0,h\n",
                "2:9: crosswalk: expected a code that is in the table, "
                "found \"Z0000\"");
  expect_reject(HDR "Q9999,product,0,x,1,1,,,Q9999,0891,0,h\n",
                "2:9: crosswalk: expected a code other than the row's own, "
                "found \"Q9999\"");
}

static void test_crosswalk_target_from_same_file(void **state)
{
  /* A crosswalk may name a code the same file adds, before or after. */
  c837_codetable *t =
      load_ok(HDR "A0001,product,0,x,1,1,,2020-12-31,A0002,,0,h\n"
                  "A0002,product,0,x,1,1,2021-01-01,,A0001,,0,h\n",
              1);
  (void)state;
  assert_int_equal(c837_codetable_count(t), 2);
  c837_codetable_free(t);
  /* replace_all drops the built-in rows, so 38225 is no target then. */
  {
    c837_codetable *b = builtin();
    c837_error err;
    const char *text = HDR "A0001,product,0,x,1,1,,,38225,,0,h\n";
    char *path = tmp_file(text, strlen(text));
    char want[512];
    assert_int_equal(c837_codetable_load(b, path, 0, &err), C837_OK);
    assert_int_equal(c837_codetable_load(b, path, 1, &err), C837_ECSV);
    snprintf(want, sizeof want,
             "%s:2:9: crosswalk: expected a code that is in the table, "
             "found \"38225\"",
             path);
    assert_string_equal(err.msg, want);
    unlink(path);
    free(path);
    c837_codetable_free(b);
  }
}

static void test_reject_cross_field(void **state)
{
  (void)state;
  expect_reject(HDR "38225,product,1,x,1,0,,,,,0,h\n",
                "2:3: step: expected step 0 or empty for a code of family "
                "\"product\", found 1");
  expect_reject(HDR "Q9999,step,0,x,1,0,,,,,0,h\n",
                "2:3: step: expected a step 1 to 4 for a code of family "
                "step, found 0");
  expect_reject(HDR "38225,step,1,x,1,0,2025-01-01,2024-12-31,,,0,h\n",
                "2:8: valid_to: expected valid_to on or after valid_from "
                "2025-01-01, found 2024-12-31");
  /* Partial file: the family change conflicts with the built-in step. */
  expect_reject("code,family\n38225,watch\n",
                "2:2: family: expected step 0 or empty for a code of "
                "family \"watch\", found 1");
  /* Partial file: a valid_to before the built-in valid_from. */
  expect_reject("code,valid_to\n38225,2024-06-30\n",
                "2:2: valid_to: expected valid_to on or after valid_from "
                "2025-01-01, found 2024-06-30");
}

static void test_reject_positions(void **state)
{
  (void)state;
  /* Blank lines and CRLF do not shift line numbers. */
  expect_reject("code,family\r\n\r\n\r\nQ9999,stem\r\n",
                "4:2: family: expected step, product, watch, tcr, til, "
                "hsc_gene, cell_other, noc or empty, found \"stem\"");
  /* A lone CR ends a line too. */
  expect_reject("code,family\rQ9999,stem\r",
                "2:2: family: expected step, product, watch, tcr, til, "
                "hsc_gene, cell_other, noc or empty, found \"stem\"");
  /* A quoted field over two lines: errors after it are on its end line,
   * errors in it on its first line. */
  expect_reject("code,history,family\n"
                "Q9999,\"one\ntwo\",stem\n",
                "2:2: history: expected text without control characters, "
                "found byte 0x0A at character 4");
  expect_reject("code,family,history\n"
                "Q9998,,\"one\"\n"
                "Q9999,\"\nstep\",x\n",
                "3:2: family: expected step, product, watch, tcr, til, "
                "hsc_gene, cell_other, noc or empty, found \"?step\"");
}

static void test_missing_file(void **state)
{
  c837_codetable *t = builtin(), *ref = builtin();
  c837_error err;
  (void)state;

  assert_int_equal(
      c837_codetable_load(t, "/nonexistent/dir/codes.csv", 0, &err),
      C837_EIO);
  assert_int_equal(err.code, C837_EIO);
  assert_string_equal(err.msg, "/nonexistent/dir/codes.csv: cannot open: "
                               "No such file or directory");
  assert_same_table(t, ref);
  assert_int_equal(c837_codetable_load(NULL, "x", 0, &err), C837_EINVAL);
  c837_codetable_free(t);
  c837_codetable_free(ref);
}

/* ------------------------------------------------------------------ */
/* Tracked lines                                                       */
/* ------------------------------------------------------------------ */

static c837_line line_of(char sv, const char *qual, const char *code,
                         const char *rev)
{
  c837_line l;
  memset(&l, 0, sizeof l);
  l.sv = sv;
  snprintf(l.qualifier, sizeof l.qualifier, "%s", qual);
  snprintf(l.code, sizeof l.code, "%s", code);
  snprintf(l.revenue, sizeof l.revenue, "%s", rev);
  return l;
}

static void test_revenue_normalize(void **state)
{
  static const char *const cases[][2] = {
      {"874", "0874"}, {"87", "0087"},  {"8", "0008"},   {"0874", "0874"},
      {"87A", "87A"},  {"", ""},        {" 874", " 874"}, {"08740", "08740"},
  };
  size_t i;
  (void)state;
  for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    char out[C837_CODE_MAX];
    c837_revenue_normalize(out, cases[i][0]);
    assert_string_equal(out, cases[i][1]);
  }
}

/* The one definition of a tracked line (specs/edits.md, "Terms"). */
static void test_tracks(void **state)
{
  c837_codetable *t = builtin();
  const c837_code *row;
  c837_line l;
  size_t i;
  (void)state;
  /* a table code on an SV1 / SV2 line under HC or no qualifier */
  l = line_of('1', "HC", "38225", "");
  assert_int_equal(c837_codetable_tracks(t, &l, &row), 1);
  assert_string_equal(row->code, "38225");
  l = line_of('2', "", "36511", "0300");
  assert_int_equal(c837_codetable_tracks(t, &l, &row), 1);
  assert_string_equal(row->code, "36511");
  /* not under another qualifier, nor on an SV3 line */
  l = line_of('1', "WK", "38225", "");
  assert_int_equal(c837_codetable_tracks(t, &l, &row), 0);
  assert_null(row);
  l = line_of('3', "AD", "38225", "");
  assert_int_equal(c837_codetable_tracks(t, &l, &row), 0);
  /* a cell-therapy revenue code on an SV2 line, with or without its
   * leading zero, whatever the procedure code */
  l = line_of('2', "HC", "99213", "874");
  assert_int_equal(c837_codetable_tracks(t, &l, &row), 1);
  assert_null(row);
  l = line_of('2', "HC", "", "0891");
  assert_int_equal(c837_codetable_tracks(t, &l, NULL), 1);
  l = line_of('2', "WK", "38225", "0871");
  assert_int_equal(c837_codetable_tracks(t, &l, &row), 1);
  assert_null(row);
  l = line_of('1', "HC", "99213", "0874");
  assert_int_equal(c837_codetable_tracks(t, &l, NULL), 0);
  {
    static const char *const not_cart[] = {"0870", "0875", "0879", "0890",
                                           "0893", "0250", "87A", "08740"};
    for (i = 0; i < sizeof not_cart / sizeof not_cart[0]; i++) {
      l = line_of('2', "HC", "99213", not_cart[i]);
      assert_int_equal(c837_codetable_tracks(t, &l, NULL), 0);
    }
  }
  /* every revenue code the table pairs a code with is tracked, and every
   * tracked revenue code is one the table pairs */
  for (i = 0; i < c837_codetable_count(t); i++) {
    const char *p = c837_codetable_at(t, i)->revenue;
    while (*p) {
      char one[5];
      memcpy(one, p, 4);
      one[4] = 0;
      l = line_of('2', "HC", "99213", one);
      assert_int_equal(c837_codetable_tracks(t, &l, NULL), 1);
      p += p[4] == '|' ? 5 : 4;
    }
  }
  {
    static const char *const cart[] = {"0871", "0872", "0873",
                                       "0874", "0891", "0892"};
    for (i = 0; i < sizeof cart / sizeof cart[0]; i++) {
      size_t k;
      int paired = 0;
      for (k = 0; k < c837_codetable_count(t); k++)
        if (strstr(c837_codetable_at(t, k)->revenue, cart[i]))
          paired = 1;
      assert_true(paired);
    }
  }
  c837_codetable_free(t);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_builtin_codes_in_order),
      cmocka_unit_test(test_builtin_step_codes),
      cmocka_unit_test(test_builtin_products),
      cmocka_unit_test(test_builtin_watch_codes),
      cmocka_unit_test(test_builtin_crosswalks_pair_up),
      cmocka_unit_test(test_find),
      cmocka_unit_test(test_family_names),
      cmocka_unit_test(test_write_is_spec_file),
      cmocka_unit_test(test_write_round_trip),
      cmocka_unit_test(test_write_one),
      cmocka_unit_test(test_write_fractional_cap_and_quotes),
      cmocka_unit_test(test_describe),
      cmocka_unit_test(test_override_cap_and_add_code),
      cmocka_unit_test(test_override_partial_columns),
      cmocka_unit_test(test_replace_all),
      cmocka_unit_test(test_boundary_values_accepted),
      cmocka_unit_test(test_long_text_limits),
      cmocka_unit_test(test_reject_bad_date),
      cmocka_unit_test(test_reject_unknown_family),
      cmocka_unit_test(test_reject_bad_cap),
      cmocka_unit_test(test_reject_bad_flags_and_codes),
      cmocka_unit_test(test_reject_wrong_header),
      cmocka_unit_test(test_reject_field_count),
      cmocka_unit_test(test_reject_unterminated_quote),
      cmocka_unit_test(test_reject_strict_quotes),
      cmocka_unit_test(test_reject_duplicate_code),
      cmocka_unit_test(test_reject_crosswalk),
      cmocka_unit_test(test_crosswalk_target_from_same_file),
      cmocka_unit_test(test_reject_cross_field),
      cmocka_unit_test(test_reject_positions),
      cmocka_unit_test(test_missing_file),
      cmocka_unit_test(test_revenue_normalize),
      cmocka_unit_test(test_tracks),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
