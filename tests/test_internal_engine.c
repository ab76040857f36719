/* test_internal_engine.c -- unit tests of the edit engine (src/edit/: engine.c,
 * edit_line.c, edit_seq.c, verdict.c, engine_hist.c)
 *
 * An internal test: besides cart837.h it includes the engine's private
 * headers (edit/engine_int.h for the arithmetic helpers, and through it
 * edit/engine_hist.h, the history interface of the ledger).
 *
 * Claims are built directly as c837_claim / c837_line structs (the engine
 * reads only parsed fields, never the segments) and evaluated against the
 * built-in code table.  Every edit is tested firing and not firing, with
 * the boundaries of specs/edits.md: a date exactly on a valid-to date,
 * units exactly at the cap, fractional product units summed over claims,
 * voids, replacements, --hold none and history re-runs; the findings
 * cap (a holding finding beyond it still holds); checked cap x days
 * arithmetic; re-runs of several related interchanges over their own
 * history; tombstones; checkpoint, rollback and commit; the kind of
 * every remembered record; the edit table against specs/edits.md.
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
#include "base/limits.h"
#include "edit/engine_int.h"
#include "engine_fx.h"

/* ------------------------------------------------------------------ */
/* Names and options                                                   */
/* ------------------------------------------------------------------ */

static void test_names(void **state)
{
  c837_edit_options o;
  (void)state;
  assert_string_equal(c837_edit_name(C837_EDIT_UNITS_OVER_DAILY_MAX),
                      "UNITS_OVER_DAILY_MAX");
  assert_string_equal(c837_edit_name(C837_EDIT_PREP_CHARGES_DOUBLE_BILLED),
                      "PREP_CHARGES_DOUBLE_BILLED");
  assert_string_equal(c837_edit_name(C837_EDIT_ENVELOPE_INVALID),
                      "ENVELOPE_INVALID");
  assert_string_equal(c837_edit_name(C837_EDIT_COUNT), "");
  assert_string_equal(c837_edit_name((c837_edit)-1), "");
  assert_string_equal(c837_action_name(C837_ACT_FLAGGED), "flagged");
  assert_string_equal(c837_action_name(C837_ACT_FIXED), "fixed");
  assert_string_equal(c837_action_name(C837_ACT_HELD), "held");
  assert_string_equal(c837_disposition_name(C837_DISP_PASSED), "passed");
  assert_string_equal(c837_disposition_name(C837_DISP_FIXED), "fixed");
  assert_string_equal(c837_disposition_name(C837_DISP_HELD), "held");
  memset(&o, 0x55, sizeof o);
  c837_edit_options_default(&o);
  assert_int_equal(o.infusion_min_days, 14);
  assert_int_equal(o.repeat_window_days, 365);
  assert_int_equal(o.hold, 1);
  assert_int_equal(o.run_date, 0);
}

static void test_non_837_kinds_get_empty_verdict(void **state)
{
  fx *f = fx_new(NULL);
  tb *b = tb_new(C837_KIND_D, "D1", "PAT", "111");
  c837_verdict v;
  (void)state;
  tb_line(b, "38228", "5", 20250304, 0, "");
  v = run(f, b);
  assert_int_equal(v.n_findings, 0);
  assert_int_equal(v.n_fixes, 0);
  assert_int_equal(v.disposition, C837_DISP_PASSED);
  assert_int_equal(c837_engine_history_count(f->e), 0);
  free(b);
  fx_free(f);
}

/* ------------------------------------------------------------------ */
/* Units                                                               */
/* ------------------------------------------------------------------ */

static void test_units_at_cap_passes(void **state)
{
  fx *f = fx_new(NULL);
  tb *b = tb_new(C837_KIND_P, "C1", "PAT", "111");
  c837_verdict v;
  (void)state;
  tb_line(b, "38225", "1", 20250304, 0, "");
  v = run(f, b);
  assert_int_equal(v.n_findings, 0);
  assert_int_equal(v.disposition, C837_DISP_PASSED);
  assert_int_equal(c837_engine_history_count(f->e), 1);
  free(b);
  fx_free(f);
}

static void test_units_over_cap_fixed(void **state)
{
  fx *f = fx_new(NULL);
  tb *b = tb_new(C837_KIND_P, "C1", "PAT", "111");
  c837_verdict v;
  const c837_finding *x;
  (void)state;
  tb_line(b, "38225", "2", 20250304, 0, "");
  v = run(f, b);
  assert_int_equal(v.n_findings, 1);
  x = only(&v, C837_EDIT_UNITS_OVER_DAILY_MAX);
  assert_int_equal(x->severity, C837_SEV_ERROR);
  assert_int_equal(x->action, C837_ACT_FIXED);
  assert_int_equal(x->line, 0);
  assert_string_equal(x->carc, "151");
  assert_string_equal(x->rarc, "N362");
  assert_string_equal(x->before, "2");
  assert_string_equal(x->after, "1");
  assert_string_equal(x->detail, "38225 billed 2 units on 2025-03-04; the "
                                 "cap is 1 per day (fixed: units 2 -> 1)");
  assert_int_equal(v.disposition, C837_DISP_FIXED);
  assert_int_equal(v.n_fixes, 1);
  assert_int_equal(v.fixes[0].kind, C837_FIX_UNITS);
  assert_int_equal(v.fixes[0].line, 0);
  assert_string_equal(v.fixes[0].value, "1");
  /* the fixed units are remembered */
  assert_int_equal(c837_engine_history_at(f->e, 0, &(c837_hist){0})->units, 1000000);
  free(b);
  fx_free(f);
}

static void test_range_three_days(void **state)
{
  fx *f = fx_new(NULL);
  tb *b = tb_new(C837_KIND_P, "C1", "PAT", "111");
  c837_verdict v;
  const c837_finding *x;
  (void)state;
  /* 3 units over 3 days: split */
  tb_line(b, "38225", "3", 20250304, 20250306, "");
  v = run(f, b);
  assert_int_equal(v.n_findings, 1);
  x = only(&v, C837_EDIT_RANGE_SPANS_DAYS);
  assert_int_equal(x->severity, C837_SEV_WARNING);
  assert_int_equal(x->action, C837_ACT_FIXED);
  assert_string_equal(x->before, "2025-03-04 to 2025-03-06");
  assert_string_equal(x->after, "3 lines of 1");
  assert_int_equal(v.n_fixes, 1);
  assert_int_equal(v.fixes[0].kind, C837_FIX_SPLIT);
  assert_string_equal(v.fixes[0].value, "1");
  assert_int_equal(v.disposition, C837_DISP_FIXED);
  free(b);

  /* 2 units over 3 days: flagged, not split */
  b = tb_new(C837_KIND_P, "C2", "PAT2", "111");
  tb_line(b, "38225", "2", 20250304, 20250306, "");
  v = run(f, b);
  assert_int_equal(v.n_findings, 1);
  x = only(&v, C837_EDIT_RANGE_SPANS_DAYS);
  assert_int_equal(x->action, C837_ACT_FLAGGED);
  assert_string_equal(x->detail,
                      "38225 is billed per day but one line covers "
                      "2025-03-04 to 2025-03-06 (3 days) with 2 units, not "
                      "1 per day, so it cannot be split");
  assert_int_equal(v.n_fixes, 0);
  assert_int_equal(v.disposition, C837_DISP_PASSED);
  free(b);

  /* 5 units over 3 days: units fixed to 3 first, then split */
  b = tb_new(C837_KIND_P, "C3", "PAT3", "111");
  tb_line(b, "38225", "5", 20250304, 20250306, "");
  v = run(f, b);
  assert_int_equal(v.n_findings, 2);
  assert_int_equal(v.findings[0].edit, C837_EDIT_UNITS_OVER_DAILY_MAX);
  assert_string_equal(v.findings[0].after, "3");
  assert_int_equal(v.findings[1].edit, C837_EDIT_RANGE_SPANS_DAYS);
  assert_int_equal(v.findings[1].action, C837_ACT_FIXED);
  assert_int_equal(v.n_fixes, 2);
  assert_int_equal(v.fixes[0].kind, C837_FIX_UNITS);
  assert_string_equal(v.fixes[0].value, "3");
  assert_int_equal(v.fixes[1].kind, C837_FIX_SPLIT);
  assert_string_equal(v.fixes[1].value, "1");
  free(b);

  /* a single day is no range */
  b = tb_new(C837_KIND_P, "C4", "PAT4", "111");
  tb_line(b, "38225", "1", 20250304, 20250304, "");
  v = run(f, b);
  assert_int_equal(v.n_findings, 0);
  free(b);
  fx_free(f);
}

static void test_range_too_long_flagged(void **state)
{
  fx *f = fx_new(NULL);
  tb *b = tb_new(C837_KIND_P, "C1", "PAT", "111");
  c837_verdict v;
  (void)state;
  /* 32 days, 32 units: exact per day, but beyond C837_MAX_SPLIT_DAYS */
  tb_line(b, "38225", "32", 20250301, 20250401, "");
  v = run(f, b);
  assert_int_equal(only(&v, C837_EDIT_RANGE_SPANS_DAYS)->action,
                   C837_ACT_FLAGGED);
  assert_int_equal(v.n_fixes, 0);
  free(b);
  /* 31 days: split */
  b = tb_new(C837_KIND_P, "C2", "PAT2", "111");
  tb_line(b, "38225", "31", 20250301, 20250331, "");
  v = run(f, b);
  assert_int_equal(only(&v, C837_EDIT_RANGE_SPANS_DAYS)->action,
                   C837_ACT_FIXED);
  assert_int_equal(v.n_fixes, 1);
  free(b);
  /* a charge that cannot be divided: flagged */
  b = tb_new(C837_KIND_P, "C3", "PAT3", "111");
  tb_line(b, "38225", "2", 20250301, 20250302, "")->charge_ok = 0;
  v = run(f, b);
  assert_string_equal(only(&v, C837_EDIT_RANGE_SPANS_DAYS)->detail,
                      "38225 is billed per day but one line covers "
                      "2025-03-01 to 2025-03-02 (2 days); its charge cannot "
                      "be read, so it cannot be split");
  assert_int_equal(v.n_fixes, 0);
  free(b);
  fx_free(f);
}

/* Only HC (or an empty qualifier) on an SV1 / SV2 line is a CAR-T code. */
static void test_not_a_cart_line(void **state)
{
  fx *f = fx_new(NULL);
  tb *b = tb_new(C837_KIND_P, "C1", "PAT", "111");
  c837_verdict v;
  c837_line *l;
  (void)state;
  l = tb_line(b, "38225", "5", 20250301, 0, "");
  snprintf(l->qualifier, sizeof l->qualifier, "WK");
  l = tb_line(b, "38225", "5", 20250301, 0, "");
  l->sv = '3';
  l = tb_line(b, "38225", "5", 20250301, 0, "");
  l->qualifier[0] = 0;
  v = run(f, b);
  assert_int_equal(v.n_findings, 1);
  assert_int_equal(only(&v, C837_EDIT_UNITS_OVER_DAILY_MAX)->line, 2);
  assert_int_equal(c837_engine_history_count(f->e), 1);
  free(b);
  fx_free(f);
}

static void test_units_invalid(void **state)
{
  /* what a hostile or broken sender writes: exponents, hex, NaN and
   * infinities, a negative zero, more digits than int64 micro-units
   * hold (40: the assembler keeps up to C837_UNITS_MAX - 1 characters of
   * the raw text) */
  static const char *bad[] = {"0",   "-1",   "abc", "",        "1.5",
                              "1e9999", "1e3", "0x10", "NaN", "Inf",
                              "-0",
                              "9999999999999999999999999999999999999999"};
  fx *f = fx_new(NULL);
  c837_verdict v;
  size_t i;
  char id[8];
  (void)state;
  for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    tb *b;
    const c837_finding *x;
    snprintf(id, sizeof id, "C%zu", i);
    b = tb_new(C837_KIND_P, id, id, "111");
    tb_line(b, "38225", bad[i], 20250304, 0, "");
    v = run(f, b);
    assert_int_equal(v.n_findings, 1);
    x = only(&v, C837_EDIT_UNITS_INVALID);
    if (strlen(bad[i]) == 40) /* quoted whole */
      assert_string_equal(x->detail,
                          "38225 has units "
                          "'9999999999999999999999999999999999999999' in "
                          "SV104, which is not a number");
    assert_int_equal(x->severity, C837_SEV_ERROR);
    assert_int_equal(x->action, C837_ACT_HELD);
    assert_string_equal(x->carc, "16");
    assert_string_equal(x->rarc, "M53");
    assert_int_equal(v.disposition, C837_DISP_HELD);
    free(b);
  }
  /* held claims are not remembered */
  assert_int_equal(c837_engine_history_count(f->e), 0);
  {
    tb *b = tb_new(C837_KIND_P, "CX", "PATX", "111");
    tb_line(b, "38225", "1.5", 20250304, 0, "");
    v = run(f, b);
    assert_string_equal(only(&v, C837_EDIT_UNITS_INVALID)->detail,
                        "38225 has units '1.5' in SV104; this code is "
                        "billed in whole units only");
    free(b);
  }
  {
    tb *b = tb_new(C837_KIND_P, "CE", "PATE", "111");
    tb_line(b, "38225", "1e9999", 20250304, 0, "");
    tb_line(b, "38225", "-1", 20250305, 0, "");
    v = run(f, b);
    assert_int_equal(v.n_findings, 2);
    assert_string_equal(v.findings[0].detail,
                        "38225 has units '1e9999' in SV104, which is not a "
                        "number");
    assert_string_equal(v.findings[1].detail,
                        "38225 has units '-1' in SV104; units must be more "
                        "than 0");
    assert_int_equal(v.disposition, C837_DISP_HELD);
    free(b);
  }
  /* a newline inside an element does not reach the detail */
  {
    tb *b = tb_new(C837_KIND_P, "CZ", "PATZ", "111");
    tb_line(b, "38225", "1\n2", 20250304, 0, "");
    v = run(f, b);
    assert_string_equal(only(&v, C837_EDIT_UNITS_INVALID)->detail,
                        "38225 has units '1 2' in SV104, which is not a "
                        "number");
    free(b);
  }
  /* fractional units on a product are fine */
  {
    tb *b = tb_new(C837_KIND_P, "CY", "PATY", "111");
    tb_line(b, "Q2041", "0.5", 20250304, 0, "");
    tb_line(b, "38228", "1", 20250304, 0, "");
    v = run(f, b);
    assert_int_equal(count_edit(&v, C837_EDIT_UNITS_INVALID), 0);
    assert_int_equal(v.disposition, C837_DISP_PASSED);
    free(b);
  }
  fx_free(f);
}

static void test_unit_basis(void **state)
{
  fx *f = fx_new(NULL);
  tb *b = tb_new(C837_KIND_I, "C1", "PAT", "111");
  c837_verdict v;
  c837_line *l;
  (void)state;
  tb_line(b, "Q2041", "1", 20250304, 0, "0891");
  l = tb_line(b, "38228", "1", 20250304, 0, "0874");
  snprintf(l->unit_basis, sizeof l->unit_basis, "DA");
  v = run(f, b);
  assert_string_equal(only(&v, C837_EDIT_UNIT_BASIS_INVALID)->detail,
                      "38228 has unit basis 'DA' in SV204; a CAR-T line is "
                      "billed in units (UN)");
  assert_int_equal(find_edit(&v, C837_EDIT_UNIT_BASIS_INVALID, 1)->line, 1);
  assert_int_equal(v.disposition, C837_DISP_HELD);
  free(b);
  /* UN passes */
  b = tb_new(C837_KIND_I, "C2", "PAT2", "111");
  tb_line(b, "Q2041", "1", 20250304, 0, "0891");
  tb_line(b, "38228", "1", 20250304, 0, "0874");
  v = run(f, b);
  assert_int_equal(count_edit(&v, C837_EDIT_UNIT_BASIS_INVALID), 0);
  assert_int_equal(v.disposition, C837_DISP_PASSED);
  free(b);
  fx_free(f);
}

/* ------------------------------------------------------------------ */
/* Code validity                                                       */
/* ------------------------------------------------------------------ */

static void test_code_deleted_boundary(void **state)
{
  fx *f = fx_new(NULL);
  tb *b;
  c837_verdict v;
  const c837_finding *x;
  (void)state;
  /* on the valid-to date: fine */
  b = tb_new(C837_KIND_P, "C1", "PAT1", "111");
  tb_line(b, "Q2041", "1", 20241231, 0, "");
  tb_line(b, "0540T", "1", 20241231, 0, "");
  v = run(f, b);
  assert_int_equal(count_edit(&v, C837_EDIT_CODE_DELETED), 0);
  assert_int_equal(v.n_fixes, 0);
  free(b);
  /* the day after: crosswalked to 38228 */
  b = tb_new(C837_KIND_P, "C2", "PAT2", "111");
  tb_line(b, "Q2041", "1", 20250101, 0, "");
  tb_line(b, "0540T", "1", 20250101, 0, "");
  v = run(f, b);
  x = only(&v, C837_EDIT_CODE_DELETED);
  assert_int_equal(x->line, 1);
  assert_int_equal(x->action, C837_ACT_FIXED);
  assert_string_equal(x->carc, "181");
  assert_string_equal(x->rarc, "M51");
  assert_string_equal(x->before, "0540T");
  assert_string_equal(x->after, "38228");
  assert_string_equal(x->detail,
                      "0540T is not valid on 2025-01-01: its last valid date "
                      "of service is 2024-12-31, and 38228 replaces it "
                      "(fixed: code 0540T -> 38228)");
  assert_int_equal(v.n_fixes, 1);
  assert_int_equal(v.fixes[0].kind, C837_FIX_CODE);
  assert_int_equal(v.fixes[0].line, 1);
  assert_string_equal(v.fixes[0].value, "38228");
  assert_int_equal(v.disposition, C837_DISP_FIXED);
  /* remembered after the crosswalk, with the billed code kept */
  {
    const c837_hist *h = c837_engine_history_at(f->e, 3, &(c837_hist){0});
    assert_non_null(h);
    assert_string_equal(h->code, "38228");
    assert_string_equal(h->billed, "0540T");
    assert_int_equal(h->step, 4);
    assert_int_equal(h->run_date, 20250601);
  }
  free(b);
  /* C9076 after 2021-09-30 -> Q2054 */
  b = tb_new(C837_KIND_P, "C3", "PAT3", "111");
  tb_line(b, "C9076", "1", 20211001, 0, "");
  tb_line(b, "0540T", "1", 20211001, 0, "");
  v = run(f, b);
  assert_string_equal(only(&v, C837_EDIT_CODE_DELETED)->after, "Q2054");
  free(b);
  fx_free(f);
}

static void test_code_not_effective(void **state)
{
  fx *f = fx_new(NULL);
  tb *b;
  c837_verdict v;
  const c837_finding *x;
  (void)state;
  b = tb_new(C837_KIND_P, "C1", "PAT1", "111");
  tb_line(b, "Q2041", "1", 20241231, 0, "");
  tb_line(b, "38228", "1", 20241231, 0, "");
  v = run(f, b);
  x = only(&v, C837_EDIT_CODE_NOT_EFFECTIVE);
  assert_int_equal(x->action, C837_ACT_FIXED);
  assert_string_equal(x->after, "0540T");
  assert_string_equal(x->detail,
                      "38228 is not valid on 2024-12-31: it is valid from "
                      "2025-01-01, and 0540T was the code for that date "
                      "(fixed: code 38228 -> 0540T)");
  assert_int_equal(v.fixes[0].kind, C837_FIX_CODE);
  assert_string_equal(v.fixes[0].value, "0540T");
  free(b);
  /* on the valid-from date: fine */
  b = tb_new(C837_KIND_P, "C2", "PAT2", "111");
  tb_line(b, "Q2041", "1", 20250101, 0, "");
  tb_line(b, "38228", "1", 20250101, 0, "");
  v = run(f, b);
  assert_int_equal(count_edit(&v, C837_EDIT_CODE_NOT_EFFECTIVE), 0);
  free(b);
  /* Q2054 before C9076 existed: no predecessor valid, held */
  b = tb_new(C837_KIND_P, "C3", "PAT3", "111");
  tb_line(b, "Q2054", "1", 20210630, 0, "");
  tb_line(b, "0540T", "1", 20210630, 0, "");
  v = run(f, b);
  x = only(&v, C837_EDIT_CODE_NOT_EFFECTIVE);
  assert_int_equal(x->action, C837_ACT_HELD);
  assert_int_equal(v.disposition, C837_DISP_HELD);
  free(b);
  /* Q2054 in C9076's time on an outpatient bill: fixed to C9076 */
  b = tb_new(C837_KIND_I, "C4", "PAT4", "111");
  tb_line(b, "Q2054", "1", 20210901, 0, "0891");
  tb_line(b, "0540T", "1", 20210901, 0, "0874");
  v = run(f, b);
  assert_string_equal(only(&v, C837_EDIT_CODE_NOT_EFFECTIVE)->after, "C9076");
  free(b);
  /* ... but never on an 837P: C9076 is a hospital outpatient code
   * (settings 12X|13X), so the line is held with the reason */
  b = tb_new(C837_KIND_P, "C5", "PAT5", "111");
  tb_line(b, "Q2054", "1", 20210901, 0, "");
  tb_line(b, "0540T", "1", 20210901, 0, "");
  v = run(f, b);
  x = only(&v, C837_EDIT_CODE_NOT_EFFECTIVE);
  assert_int_equal(x->action, C837_ACT_HELD);
  assert_string_equal(x->after, "");
  assert_string_equal(x->detail,
                      "Q2054 is not valid on 2021-09-01: it is valid from "
                      "2021-10-01, and its predecessor C9076 is not billed "
                      "on this claim (only on 12X|13X)");
  assert_int_equal(v.n_fixes, 0);
  free(b);
  fx_free(f);
}

/* 0537T on a 2025 date is crosswalked to 38225 first; the revenue and
 * duplicate checks then judge 38225. */
static void test_later_edits_see_crosswalk(void **state)
{
  fx *f = fx_new(NULL);
  tb *b = tb_new(C837_KIND_I, "C1", "PAT", "111");
  c837_verdict v;
  (void)state;
  tb_line(b, "38225", "1", 20250304, 0, "0871");
  tb_line(b, "0537T", "1", 20250304, 0, "0871");
  v = run(f, b);
  assert_int_equal(v.n_findings, 2);
  assert_int_equal(v.findings[0].edit, C837_EDIT_DUPLICATE_DAY);
  assert_int_equal(v.findings[0].line, 1);
  assert_int_equal(v.findings[0].action, C837_ACT_FIXED);
  assert_int_equal(v.findings[1].edit, C837_EDIT_CODE_DELETED);
  assert_int_equal(count_edit(&v, C837_EDIT_REVENUE_CODE_MISMATCH), 0);
  /* the removal supersedes the code fix */
  assert_int_equal(v.n_fixes, 1);
  assert_int_equal(v.fixes[0].kind, C837_FIX_REMOVE);
  assert_int_equal(v.fixes[0].line, 1);
  free(b);
  fx_free(f);
}

/* ------------------------------------------------------------------ */
/* Revenue codes, inpatient, preparation charges (837I)                */
/* ------------------------------------------------------------------ */

static void test_revenue_mismatch(void **state)
{
  fx *f = fx_new(NULL);
  tb *b;
  c837_verdict v;
  const c837_finding *x;
  (void)state;
  /* step on the wrong revenue code: fixed from the table */
  b = tb_new(C837_KIND_I, "C1", "PAT1", "111");
  tb_line(b, "Q2041", "1", 20250304, 0, "0891");
  tb_line(b, "38228", "1", 20250304, 0, "0250");
  v = run(f, b);
  x = only(&v, C837_EDIT_REVENUE_CODE_MISMATCH);
  assert_int_equal(x->line, 1);
  assert_int_equal(x->action, C837_ACT_FIXED);
  assert_string_equal(x->carc, "199");
  assert_string_equal(x->before, "0250");
  assert_string_equal(x->after, "0874");
  assert_int_equal(v.fixes[0].kind, C837_FIX_REVENUE);
  assert_string_equal(v.fixes[0].value, "0874");
  free(b);
  /* product on a step revenue code: held */
  b = tb_new(C837_KIND_I, "C2", "PAT2", "111");
  tb_line(b, "Q2041", "1", 20250304, 0, "0874");
  tb_line(b, "38228", "1", 20250304, 0, "0874");
  v = run(f, b);
  x = only(&v, C837_EDIT_REVENUE_CODE_MISMATCH);
  assert_int_equal(x->line, 0);
  assert_int_equal(x->action, C837_ACT_HELD);
  assert_string_equal(x->detail, "Q2041 is billed on revenue code '0874'; the "
                                 "table pairs it with 0891|0892");
  free(b);
  /* 0871 without HCPCS on an outpatient bill: held; 0872 with a watch
   * code (a stem-cell collection: 087X is cell and gene therapy): no
   * finding (issue 12) */
  b = tb_new(C837_KIND_I, "C3", "PAT3", "111");
  tb_line(b, "", "1", 20250304, 0, "0871");
  tb_line(b, "36511", "1", 20250304, 0, "0872");
  v = run(f, b);
  assert_int_equal(count_edit(&v, C837_EDIT_REVENUE_CODE_MISMATCH), 1);
  assert_string_equal(
      find_edit(&v, C837_EDIT_REVENUE_CODE_MISMATCH, 0)->detail,
      "revenue code 0871 is for a CAR-T step but the line has no HCPCS code");
  assert_null(find_edit(&v, C837_EDIT_REVENUE_CODE_MISMATCH, 1));
  assert_int_equal(v.disposition, C837_DISP_HELD);
  free(b);
  /* a three-digit revenue code is read as four digits; 837P is not
   * checked */
  b = tb_new(C837_KIND_I, "C4", "PAT4", "111");
  tb_line(b, "Q2041", "1", 20250304, 0, "891");
  tb_line(b, "38228", "1", 20250304, 0, "874");
  v = run(f, b);
  assert_int_equal(count_edit(&v, C837_EDIT_REVENUE_CODE_MISMATCH), 0);
  assert_int_equal(v.disposition, C837_DISP_PASSED);
  free(b);
  b = tb_new(C837_KIND_P, "C5", "PAT5", "111");
  tb_line(b, "Q2041", "1", 20250304, 0, "");
  tb_line(b, "38228", "1", 20250304, 0, "");
  v = run(f, b);
  assert_int_equal(count_edit(&v, C837_EDIT_REVENUE_CODE_MISMATCH), 0);
  free(b);
  fx_free(f);
}

/* No revenue pairing before the 087X / 089X revenue codes existed
 * (2019-04-01, specs/revenue.csv): Q2041 on the pharmacy code 0636 in
 * 2018 is how it was billed; from 2019-04-01 the product goes on 0891. */
static void test_revenue_pairing_from_2019_04(void **state)
{
  fx *f = fx_new(NULL);
  tb *b;
  c837_verdict v;
  (void)state;
  b = tb_new(C837_KIND_I, "R1", "PATR", "111");
  tb_line(b, "Q2041", "1", 20190331, 0, "0636");
  v = run(f, b);
  assert_int_equal(count_edit(&v, C837_EDIT_REVENUE_CODE_MISMATCH), 0);
  free(b);
  b = tb_new(C837_KIND_I, "R2", "PATS", "111");
  tb_line(b, "Q2041", "1", 20190401, 0, "0636");
  v = run(f, b);
  assert_int_equal(only(&v, C837_EDIT_REVENUE_CODE_MISMATCH)->action,
                   C837_ACT_HELD);
  free(b);
  fx_free(f);
}

/* A line is judged when c837_codetable_tracks says it is tracked, the
 * definition lines.csv uses too: a revenue code written without its
 * leading zero ("874") is a cell-therapy revenue code, 0875 is not. */
static void test_tracked_revenue_without_zero(void **state)
{
  fx *f = fx_new(NULL);
  tb *b = tb_new(C837_KIND_I, "T1", "PATT", "111");
  c837_line *l = tb_line(b, "99213", "1", 20250304, 0, "874");
  const c837_code *row = (const c837_code *)1;
  c837_verdict v;
  const c837_finding *x;
  (void)state;
  assert_int_equal(c837_codetable_tracks(f->t, l, &row), 1);
  assert_null(row);
  v = run(f, b);
  x = only(&v, C837_EDIT_REVENUE_CODE_MISMATCH);
  /* a non-CAR-T code on 087X is at most a warning (issue 12) */
  assert_int_equal(x->action, C837_ACT_FLAGGED);
  assert_int_equal(x->severity, C837_SEV_WARNING);
  assert_string_equal(x->detail, "revenue code 0874 (cell and gene therapy) "
                                 "carries 99213, which is not a CAR-T step "
                                 "code nor a code of another cell or gene "
                                 "therapy");
  assert_int_equal(v.disposition, C837_DISP_PASSED);
  free(b);
  b = tb_new(C837_KIND_I, "T2", "PATT", "111");
  l = tb_line(b, "99213", "1", 20250304, 0, "875");
  assert_int_equal(c837_codetable_tracks(f->t, l, NULL), 0);
  v = run(f, b);
  assert_int_equal(v.n_findings, 0);
  assert_int_equal(v.disposition, C837_DISP_PASSED);
  free(b);
  fx_free(f);
}

/* An SV1 line on an 837I claim (a claim with SV1 and SV2 lines is read
 * as 837I) has no SV201 to fix: the claim is held, not given a REVENUE
 * fix the writer cannot apply (found by tests/fuzz_pipeline.c). */
static void test_revenue_fix_on_sv1_line_holds(void **state)
{
  fx *f = fx_new(NULL);
  tb *b = tb_new(C837_KIND_I, "C1", "PAT1", "111");
  c837_verdict v;
  const c837_finding *x;
  c837_line *l;
  (void)state;
  l = tb_line(b, "38225", "1", 20250304, 0, "");
  l->sv = '1';
  v = run(f, b);
  x = only(&v, C837_EDIT_REVENUE_CODE_MISMATCH);
  assert_int_equal(x->action, C837_ACT_HELD);
  assert_string_equal(x->detail,
                      "38225 is billed on revenue code ''; the table pairs "
                      "it with 0871 (not fixed: the line has no SV2 segment "
                      "to carry a revenue code; the claim is held)");
  assert_int_equal(v.disposition, C837_DISP_HELD);
  assert_int_equal(v.n_fixes, 0);
  free(b);
  fx_free(f);
}

static void test_inpatient_procedure_line(void **state)
{
  fx *f = fx_new(NULL);
  tb *b = tb_new(C837_KIND_I, "C1", "PAT1", "111");
  c837_verdict v;
  const c837_finding *x;
  static const c837_hi_code px = {"BBR", "XW033H7", 20250304, 0, 0, "",
                                  "", 0, 0};
  (void)state;
  snprintf(b->c.tob, sizeof b->c.tob, "111");
  /* the administration's PCS code (Yescarta), else the stay would be
   * IP_CART_CLAIM_INTEGRITY's */
  b->c.px = &px;
  b->c.n_px = 1;
  tb_line(b, "Q2041", "1", 20250304, 0, "0891");
  tb_line(b, "38228", "1", 20250304, 0, "0874");
  v = run(f, b);
  x = only(&v, C837_EDIT_INPATIENT_PROCEDURE_LINE);
  assert_int_equal(x->line, 1);
  assert_int_equal(x->severity, C837_SEV_WARNING);
  assert_int_equal(x->action, C837_ACT_FLAGGED);
  assert_string_equal(x->rarc, "M2");
  assert_int_equal(v.disposition, C837_DISP_PASSED);
  free(b);
  b = tb_new(C837_KIND_I, "C2", "PAT2", "111");
  snprintf(b->c.tob, sizeof b->c.tob, "121");
  tb_line(b, "Q2041", "1", 20250304, 0, "0891");
  tb_line(b, "38228", "1", 20250304, 0, "0874");
  v = run(f, b);
  assert_int_equal(count_edit(&v, C837_EDIT_INPATIENT_PROCEDURE_LINE), 0);
  free(b);
  fx_free(f);
}

static void test_prep_charges(void **state)
{
  fx *f = fx_new(NULL);
  tb *b = tb_new(C837_KIND_I, "C1", "PAT1", "111");
  c837_verdict v;
  c837_line *l;
  const c837_finding *x;
  (void)state;
  tb_line(b, "38225", "1", 20250301, 0, "0871");
  tb_line(b, "Q2041", "1", 20250320, 0, "0891");
  tb_line(b, "38228", "1", 20250320, 0, "0874");
  b->lines[0].charge = 150000;
  v = run(f, b);
  x = only(&v, C837_EDIT_PREP_CHARGES_DOUBLE_BILLED);
  assert_int_equal(x->line, 0);
  assert_int_equal(x->severity, C837_SEV_WARNING);
  assert_int_equal(x->action, C837_ACT_FLAGGED);
  assert_string_equal(x->detail,
                      "revenue 0871 line 38225 has covered charges of 1500 "
                      "while product Q2041 is billed on revenue 0891; "
                      "preparation costs belong in the product charge or on "
                      "non-covered tracking lines, not both");
  free(b);
  /* the same with the tracking line all non-covered */
  b = tb_new(C837_KIND_I, "C2", "PAT2", "111");
  l = tb_line(b, "38225", "1", 20250301, 0, "0871");
  l->noncovered = l->charge;
  tb_line(b, "Q2041", "1", 20250320, 0, "0891");
  tb_line(b, "38228", "1", 20250320, 0, "0874");
  v = run(f, b);
  assert_int_equal(count_edit(&v, C837_EDIT_PREP_CHARGES_DOUBLE_BILLED), 0);
  free(b);
  fx_free(f);
}

/* ------------------------------------------------------------------ */
/* DUPLICATE_DAY                                                       */
/* ------------------------------------------------------------------ */

static void test_duplicate_same_claim_removed(void **state)
{
  fx *f = fx_new(NULL);
  tb *b = tb_new(C837_KIND_P, "C1", "PAT", "111");
  c837_verdict v;
  const c837_finding *x;
  (void)state;
  tb_line(b, "Q2041", "1", 20250304, 0, "");
  tb_line(b, "38228", "1", 20250304, 0, "");
  tb_line(b, "38228", "1", 20250304, 0, "");
  v = run(f, b);
  /* + PRIOR_STEP_MISSING on line 1 (info) */
  assert_int_equal(v.n_findings, 2);
  x = only(&v, C837_EDIT_DUPLICATE_DAY);
  assert_int_equal(x->line, 2);
  assert_int_equal(x->action, C837_ACT_FIXED);
  assert_string_equal(x->carc, "18");
  assert_string_equal(x->rarc, "M86");
  assert_string_equal(x->detail,
                      "38228 on 2025-03-04: 1 on this line plus 1 on earlier "
                      "lines of this claim for the same patient and provider "
                      "exceed the cap of 1 per day (fixed: line removed)");
  assert_int_equal(v.n_fixes, 1);
  assert_int_equal(v.fixes[0].kind, C837_FIX_REMOVE);
  assert_int_equal(v.fixes[0].line, 2);
  assert_int_equal(v.disposition, C837_DISP_FIXED);
  /* the removed line is not remembered */
  assert_int_equal(c837_engine_history_count(f->e), 2);
  free(b);
  fx_free(f);
}

static void test_duplicate_across_claims_held(void **state)
{
  fx *f = fx_new(NULL);
  tb *b1 = tb_new(C837_KIND_P, "C1", "PAT", "111");
  tb *b2 = tb_new(C837_KIND_P, "C2", "PAT", "111");
  tb *b3 = tb_new(C837_KIND_P, "C3", "PAT", "222");
  tb *b4 = tb_new(C837_KIND_P, "C4", "OTHER", "111");
  tb *b5 = tb_new(C837_KIND_P, "C5", "PAT", "111");
  c837_verdict v;
  const c837_finding *x;
  (void)state;
  tb_line(b1, "38225", "1", 20250304, 0, "");
  v = run(f, b1);
  assert_int_equal(v.n_findings, 0);
  tb_line(b2, "38225", "1", 20250304, 0, "");
  v = run(f, b2);
  x = only(&v, C837_EDIT_DUPLICATE_DAY);
  assert_int_equal(x->action, C837_ACT_HELD);
  assert_string_equal(x->detail,
                      "38225 on 2025-03-04: 1 on this line plus 1 already "
                      "billed that day for the same patient and provider (0 "
                      "on this claim, 1 on earlier claims, first C1) exceed "
                      "the cap of 1 per day");
  assert_int_equal(v.disposition, C837_DISP_HELD);
  assert_int_equal(v.n_fixes, 0);
  /* another provider, another patient, another day: no duplicate */
  tb_line(b3, "38225", "1", 20250304, 0, "");
  v = run(f, b3);
  assert_int_equal(count_edit(&v, C837_EDIT_DUPLICATE_DAY), 0);
  tb_line(b4, "38225", "1", 20250304, 0, "");
  v = run(f, b4);
  assert_int_equal(count_edit(&v, C837_EDIT_DUPLICATE_DAY), 0);
  tb_line(b5, "38225", "1", 20250305, 0, "");
  v = run(f, b5);
  assert_int_equal(count_edit(&v, C837_EDIT_DUPLICATE_DAY), 0);
  /* C2 was held, so not remembered: C1, C3, C4, C5 */
  assert_int_equal(c837_engine_history_count(f->e), 4);
  free(b1);
  free(b2);
  free(b3);
  free(b4);
  free(b5);
  fx_free(f);
}

/* Part B: 0.1 dose on each of ten claims for one day sums to 1.0 (the
 * cap); an eleventh 0.1 goes over. */
static void test_fractional_product_ten_claims(void **state)
{
  fx *f = fx_new(NULL);
  c837_verdict v;
  int i;
  char id[16];
  (void)state;
  for (i = 0; i < 11; i++) {
    tb *b;
    snprintf(id, sizeof id, "P%d", i);
    b = tb_new(C837_KIND_P, id, "PAT", "111");
    tb_line(b, "Q2041", "0.1", 20250304, 0, "");
    if (i == 0)
      tb_line(b, "38228", "1", 20250304, 0, "");
    v = run(f, b);
    if (i < 10) {
      assert_int_equal(count_edit(&v, C837_EDIT_DUPLICATE_DAY), 0);
      assert_int_equal(v.disposition, C837_DISP_PASSED);
    } else {
      const c837_finding *x = only(&v, C837_EDIT_DUPLICATE_DAY);
      assert_int_equal(x->action, C837_ACT_HELD);
      assert_string_equal(x->detail,
                          "Q2041 on 2025-03-04: 0.1 on this line plus 1 "
                          "already billed that day for the same patient and "
                          "provider (0 on this claim, 1 on earlier claims, "
                          "first P0) exceed the cap of 1 per day");
      assert_int_equal(v.disposition, C837_DISP_HELD);
    }
    /* the product on an 837P with the administration on the first claim
     * of the same provider is paired */
    assert_int_equal(count_edit(&v, C837_EDIT_PRODUCT_WITHOUT_ADMIN), 0);
    free(b);
  }
  fx_free(f);
}

/* A line over a range counts units / days on each day (split lines: the
 * cap on each day). */
static void test_duplicate_with_range(void **state)
{
  fx *f = fx_new(NULL);
  tb *b1 = tb_new(C837_KIND_P, "C1", "PAT", "111");
  tb *b2 = tb_new(C837_KIND_P, "C2", "PAT", "111");
  tb *b3 = tb_new(C837_KIND_P, "C3", "PAT", "111");
  c837_verdict v;
  (void)state;
  tb_line(b1, "38225", "3", 20250304, 20250306, "");
  v = run(f, b1);
  assert_int_equal(v.disposition, C837_DISP_FIXED); /* split */
  tb_line(b2, "38225", "1", 20250307, 0, "");
  v = run(f, b2);
  assert_int_equal(count_edit(&v, C837_EDIT_DUPLICATE_DAY), 0);
  tb_line(b3, "38225", "1", 20250306, 0, "");
  v = run(f, b3);
  assert_int_equal(count_edit(&v, C837_EDIT_DUPLICATE_DAY), 1);
  free(b1);
  free(b2);
  free(b3);
  fx_free(f);
}

/* ------------------------------------------------------------------ */
/* Sequencing                                                          */
/* ------------------------------------------------------------------ */

static void test_step_out_of_order(void **state)
{
  fx *f = fx_new(NULL);
  tb *b1 = tb_new(C837_KIND_P, "C1", "PAT", "111");
  tb *b2 = tb_new(C837_KIND_P, "C2", "PAT", "111");
  tb *b3 = tb_new(C837_KIND_P, "C3", "PAT", "111");
  c837_verdict v;
  const c837_finding *x;
  (void)state;
  tb_line(b1, "38225", "1", 20250310, 0, "");
  v = run(f, b1);
  assert_int_equal(v.n_findings, 0);
  /* administration before the earliest collection: a warning (issue 12:
   * no payer runs it) */
  tb_line(b2, "Q2041", "1", 20250305, 0, "");
  tb_line(b2, "38228", "1", 20250305, 0, "");
  v = run(f, b2);
  x = only(&v, C837_EDIT_STEP_OUT_OF_ORDER);
  assert_int_equal(x->line, 1);
  assert_int_equal(x->severity, C837_SEV_WARNING);
  assert_int_equal(x->action, C837_ACT_FLAGGED);
  assert_string_equal(x->detail,
                      "38228 (step 4, administer) on 2025-03-05 is dated "
                      "before the patient's earliest 38225 (step 1, collect) "
                      "on 2025-03-10");
  assert_int_equal(v.disposition, C837_DISP_PASSED);
  /* on the same day as the collection: in order */
  tb_line(b3, "Q2041", "1", 20250310, 0, "");
  tb_line(b3, "38228", "1", 20250310, 0, "");
  v = run(f, b3);
  assert_int_equal(count_edit(&v, C837_EDIT_STEP_OUT_OF_ORDER), 0);
  free(b1);
  free(b2);
  free(b3);
  fx_free(f);
}

static void test_step_out_of_order_reverse(void **state)
{
  fx *f = fx_new(NULL);
  tb *b1 = tb_new(C837_KIND_P, "C1", "PAT", "111");
  tb *b2 = tb_new(C837_KIND_P, "C2", "PAT", "111");
  tb *b3 = tb_new(C837_KIND_P, "C3", "PAT", "111");
  c837_verdict v;
  const c837_finding *x;
  (void)state;
  tb_line(b1, "Q2041", "1", 20250201, 0, "");
  tb_line(b1, "38228", "1", 20250201, 0, "");
  v = run(f, b1);
  assert_int_equal(count_edit(&v, C837_EDIT_STEP_OUT_OF_ORDER), 0);
  tb_line(b2, "38225", "1", 20250205, 0, "");
  v = run(f, b2);
  x = only(&v, C837_EDIT_STEP_OUT_OF_ORDER);
  assert_int_equal(x->line, 0);
  assert_string_equal(x->detail,
                      "38225 (step 1, collect) on 2025-02-05 is the "
                      "patient's earliest step 1, yet a later step, 38228 "
                      "(step 4, administer), is dated 2025-02-01");
  /* a collection before the administration is fine */
  tb_line(b3, "38225", "1", 20250115, 0, "");
  v = run(f, b3);
  assert_int_equal(count_edit(&v, C837_EDIT_STEP_OUT_OF_ORDER), 0);
  free(b1);
  free(b2);
  free(b3);
  fx_free(f);
}

static void test_prior_step_missing(void **state)
{
  fx *f = fx_new(NULL);
  tb *b1 = tb_new(C837_KIND_P, "C1", "PAT", "111");
  tb *b2 = tb_new(C837_KIND_P, "C2", "PAT2", "111");
  tb *b3 = tb_new(C837_KIND_P, "C3", "PAT2", "111");
  c837_verdict v;
  const c837_finding *x;
  (void)state;
  tb_line(b1, "Q2041", "1", 20250301, 0, "");
  tb_line(b1, "38228", "1", 20250301, 0, "");
  v = run(f, b1);
  x = only(&v, C837_EDIT_PRIOR_STEP_MISSING);
  assert_int_equal(x->severity, C837_SEV_INFO);
  assert_int_equal(x->action, C837_ACT_FLAGGED);
  assert_string_equal(x->detail,
                      "38228 (step 4, administer) on 2025-03-01 has no "
                      "earlier CAR-T step (steps 1-3) for this patient in "
                      "this run or the ledger");
  assert_int_equal(v.disposition, C837_DISP_PASSED);
  /* step 1 never has a prior step missing */
  tb_line(b2, "38225", "1", 20250201, 0, "");
  v = run(f, b2);
  assert_int_equal(v.n_findings, 0);
  /* a collection seen before: no finding */
  tb_line(b3, "Q2041", "1", 20250301, 0, "");
  tb_line(b3, "38228", "1", 20250301, 0, "");
  v = run(f, b3);
  assert_int_equal(count_edit(&v, C837_EDIT_PRIOR_STEP_MISSING), 0);
  free(b1);
  free(b2);
  free(b3);
  fx_free(f);
}

static void test_admin_product_pairing(void **state)
{
  fx *f = fx_new(NULL);
  tb *b;
  c837_verdict v;
  const c837_finding *x;
  (void)state;
  /* 837I outpatient: error, held */
  b = tb_new(C837_KIND_I, "C1", "PAT1", "111");
  tb_line(b, "38228", "1", 20250301, 0, "0874");
  v = run(f, b);
  x = only(&v, C837_EDIT_ADMIN_WITHOUT_PRODUCT);
  assert_int_equal(x->severity, C837_SEV_ERROR);
  assert_int_equal(x->action, C837_ACT_HELD);
  assert_string_equal(x->detail, "administration 38228 on 2025-03-01 has no "
                                 "CAR-T product line on the same claim and "
                                 "date");
  assert_int_equal(v.disposition, C837_DISP_HELD);
  free(b);
  b = tb_new(C837_KIND_I, "C2", "PAT2", "111");
  tb_line(b, "Q2041", "1", 20250301, 0, "0891");
  v = run(f, b);
  x = only(&v, C837_EDIT_PRODUCT_WITHOUT_ADMIN);
  assert_int_equal(x->severity, C837_SEV_ERROR);
  assert_int_equal(x->action, C837_ACT_HELD);
  free(b);
  /* product on another date of the claim does not pair */
  b = tb_new(C837_KIND_I, "C3", "PAT3", "111");
  tb_line(b, "Q2041", "1", 20250302, 0, "0891");
  tb_line(b, "38228", "1", 20250301, 0, "0874");
  v = run(f, b);
  assert_int_equal(count_edit(&v, C837_EDIT_ADMIN_WITHOUT_PRODUCT), 1);
  assert_int_equal(count_edit(&v, C837_EDIT_PRODUCT_WITHOUT_ADMIN), 1);
  free(b);
  /* 837P in the office (POS 11): warning, flagged */
  b = tb_new(C837_KIND_P, "C4", "PAT4", "111");
  snprintf(tb_line(b, "38228", "1", 20250301, 0, "")->pos, 4, "11");
  v = run(f, b);
  x = only(&v, C837_EDIT_ADMIN_WITHOUT_PRODUCT);
  assert_int_equal(x->severity, C837_SEV_WARNING);
  assert_int_equal(x->action, C837_ACT_FLAGGED);
  assert_int_equal(v.disposition, C837_DISP_PASSED);
  free(b);
  /* 837I inpatient (11x): not judged here (the administration is a
   * PCS code there: IP_CART_CLAIM_INTEGRITY) */
  b = tb_new(C837_KIND_I, "C5", "PAT5", "111");
  snprintf(b->c.tob, sizeof b->c.tob, "111");
  tb_line(b, "Q2041", "1", 20250301, 0, "0891");
  v = run(f, b);
  assert_int_equal(count_edit(&v, C837_EDIT_PRODUCT_WITHOUT_ADMIN), 0);
  assert_int_equal(only(&v, C837_EDIT_IP_CART_CLAIM_INTEGRITY)->line, 0);
  free(b);
  /* paired: nothing */
  b = tb_new(C837_KIND_I, "C6", "PAT6", "111");
  tb_line(b, "Q2041", "1", 20250301, 0, "0891");
  tb_line(b, "38228", "1", 20250301, 0, "0874");
  v = run(f, b);
  assert_int_equal(count_edit(&v, C837_EDIT_ADMIN_WITHOUT_PRODUCT), 0);
  assert_int_equal(count_edit(&v, C837_EDIT_PRODUCT_WITHOUT_ADMIN), 0);
  free(b);
  fx_free(f);
}

static void test_infusion_too_soon(void **state)
{
  fx *f = fx_new(NULL);
  tb *b1 = tb_new(C837_KIND_P, "C1", "PAT", "111");
  tb *b2 = tb_new(C837_KIND_P, "C2", "PAT", "111");
  tb *b3 = tb_new(C837_KIND_P, "C3", "PB", "111");
  tb *b4 = tb_new(C837_KIND_P, "C4", "PB", "111");
  c837_verdict v;
  const c837_finding *x;
  (void)state;
  tb_line(b1, "38225", "1", 20250301, 0, "");
  run(f, b1);
  /* 13 days: too soon */
  tb_line(b2, "Q2041", "1", 20250314, 0, "");
  tb_line(b2, "38228", "1", 20250314, 0, "");
  v = run(f, b2);
  x = only(&v, C837_EDIT_INFUSION_TOO_SOON);
  assert_int_equal(x->line, 1);
  assert_int_equal(x->severity, C837_SEV_WARNING);
  assert_int_equal(x->action, C837_ACT_FLAGGED);
  assert_string_equal(x->carc, "");
  assert_string_equal(x->detail,
                      "administration 38228 on 2025-03-14 is 13 days after "
                      "the patient's latest collection (38225 on "
                      "2025-03-01); at least 14 days are expected");
  /* 14 days: fine */
  tb_line(b3, "38225", "1", 20250301, 0, "");
  run(f, b3);
  tb_line(b4, "Q2041", "1", 20250315, 0, "");
  tb_line(b4, "38228", "1", 20250315, 0, "");
  v = run(f, b4);
  assert_int_equal(count_edit(&v, C837_EDIT_INFUSION_TOO_SOON), 0);
  free(b1);
  free(b2);
  free(b3);
  free(b4);
  fx_free(f);
}

static void test_infusion_option(void **state)
{
  c837_edit_options o;
  fx *f;
  tb *b = tb_new(C837_KIND_P, "C1", "PAT", "111");
  c837_verdict v;
  (void)state;
  c837_edit_options_default(&o);
  o.infusion_min_days = 10;
  f = fx_new(&o);
  tb_line(b, "38225", "1", 20250301, 0, "");
  tb_line(b, "Q2041", "1", 20250311, 0, "");
  tb_line(b, "38228", "1", 20250311, 0, "");
  v = run(f, b);
  assert_int_equal(count_edit(&v, C837_EDIT_INFUSION_TOO_SOON), 0);
  free(b);
  b = tb_new(C837_KIND_P, "C2", "PB", "111");
  tb_line(b, "38225", "1", 20250301, 0, "");
  tb_line(b, "Q2041", "1", 20250310, 0, "");
  tb_line(b, "38228", "1", 20250310, 0, "");
  v = run(f, b);
  assert_int_equal(count_edit(&v, C837_EDIT_INFUSION_TOO_SOON), 1);
  free(b);
  fx_free(f);
}

/* Two administrations ten days apart: a warning with Q2041, none with
 * the split-dose Q2058. */
static void repeat_case(const char *product, int32_t second, size_t expect)
{
  fx *f = fx_new(NULL);
  tb *b1 = tb_new(C837_KIND_P, "C1", "PAT", "111");
  tb *b2 = tb_new(C837_KIND_P, "C2", "PAT", "111");
  c837_verdict v;
  tb_line(b1, "38225", "1", 20250101, 0, "");
  tb_line(b1, product, "1", 20250301, 0, "");
  tb_line(b1, "38228", "1", 20250301, 0, "");
  v = run(f, b1);
  assert_int_equal(count_edit(&v, C837_EDIT_REPEAT_ADMINISTRATION), 0);
  tb_line(b2, "38228", "1", second, 0, "");
  v = run(f, b2);
  assert_int_equal(count_edit(&v, C837_EDIT_REPEAT_ADMINISTRATION), expect);
  if (expect)
    assert_int_equal(
        find_edit(&v, C837_EDIT_REPEAT_ADMINISTRATION, 0)->action,
        C837_ACT_FLAGGED);
  free(b1);
  free(b2);
  fx_free(f);
}

static void test_repeat_administration(void **state)
{
  fx *f;
  tb *b1, *b2;
  c837_verdict v;
  (void)state;
  repeat_case("Q2041", 20250311, 1);
  repeat_case("Q2058", 20250311, 0);
  /* 2025-03-01 + 365 days = 2026-03-01: inside; a day later: outside */
  repeat_case("Q2041", 20260301, 1);
  repeat_case("Q2041", 20260302, 0);
  /* the detail names both dates */
  f = fx_new(NULL);
  b1 = tb_new(C837_KIND_P, "C1", "PAT", "111");
  b2 = tb_new(C837_KIND_P, "C2", "PAT", "111");
  tb_line(b1, "38225", "1", 20250101, 0, "");
  tb_line(b1, "Q2041", "1", 20250301, 0, "");
  tb_line(b1, "38228", "1", 20250301, 0, "");
  run(f, b1);
  tb_line(b2, "Q2041", "1", 20250311, 0, "");
  tb_line(b2, "38228", "1", 20250311, 0, "");
  v = run(f, b2);
  assert_string_equal(only(&v, C837_EDIT_REPEAT_ADMINISTRATION)->detail,
                      "administration 38228 on 2025-03-11 is a second "
                      "course for this patient: 38228 is dated 2025-03-01 "
                      "(10 days apart, window 365 days, payer class "
                      "unknown)");
  free(b1);
  free(b2);
  fx_free(f);
}

static void test_hpc_code_with_cart(void **state)
{
  fx *f = fx_new(NULL);
  tb *b;
  c837_verdict v;
  const c837_finding *x;
  (void)state;
  b = tb_new(C837_KIND_P, "C1", "PAT1", "111");
  tb_line(b, "38225", "1", 20250301, 0, "");
  tb_line(b, "38206", "1", 20250301, 0, "");
  v = run(f, b);
  x = only(&v, C837_EDIT_HPC_CODE_WITH_CART);
  assert_int_equal(x->line, 1);
  assert_int_equal(x->severity, C837_SEV_WARNING);
  assert_string_equal(x->detail,
                      "watch code 38206 is billed for the same patient on "
                      "2025-03-01 as CAR-T step 38225; the step may have "
                      "been coded as a stem-cell or apheresis service");
  free(b);
  /* another date: nothing */
  b = tb_new(C837_KIND_P, "C2", "PAT2", "111");
  tb_line(b, "38225", "1", 20250301, 0, "");
  tb_line(b, "38206", "1", 20250302, 0, "");
  v = run(f, b);
  assert_int_equal(count_edit(&v, C837_EDIT_HPC_CODE_WITH_CART), 0);
  free(b);
  /* the watch code on an earlier claim: reported on the step line */
  b = tb_new(C837_KIND_P, "C3", "PAT3", "111");
  tb_line(b, "36511", "1", 20250301, 0, "");
  v = run(f, b);
  assert_int_equal(v.n_findings, 0);
  free(b);
  b = tb_new(C837_KIND_P, "C4", "PAT3", "222");
  tb_line(b, "38225", "1", 20250301, 0, "");
  v = run(f, b);
  x = only(&v, C837_EDIT_HPC_CODE_WITH_CART);
  assert_int_equal(x->line, 0);
  free(b);
  fx_free(f);
}

/* ------------------------------------------------------------------ */
/* Disposition and --hold none                                         */
/* ------------------------------------------------------------------ */

static void test_held_claim_reports_fixes_as_held(void **state)
{
  fx *f = fx_new(NULL);
  tb *b = tb_new(C837_KIND_P, "C1", "PAT", "111");
  c837_verdict v;
  const c837_finding *x;
  (void)state;
  tb_line(b, "38225", "2", 20250301, 0, "");
  tb_line(b, "38226", "abc", 20250302, 0, "");
  v = run(f, b);
  assert_int_equal(v.disposition, C837_DISP_HELD);
  assert_int_equal(v.n_fixes, 0);
  x = only(&v, C837_EDIT_UNITS_OVER_DAILY_MAX);
  assert_int_equal(x->action, C837_ACT_HELD);
  assert_string_equal(x->detail,
                      "38225 billed 2 units on 2025-03-01; the cap is 1 per "
                      "day (not fixed because the claim is held; the fix "
                      "would have been: units 2 -> 1)");
  assert_int_equal(only(&v, C837_EDIT_UNITS_INVALID)->action, C837_ACT_HELD);
  assert_int_equal(c837_engine_history_count(f->e), 0);
  free(b);
  fx_free(f);
}

static void test_hold_none(void **state)
{
  c837_edit_options o;
  fx *f;
  tb *b = tb_new(C837_KIND_P, "C1", "PAT", "111");
  c837_verdict v;
  const c837_finding *x;
  (void)state;
  c837_edit_options_default(&o);
  o.hold = 0;
  f = fx_new(&o);
  tb_line(b, "38225", "2", 20250301, 0, "");
  tb_line(b, "38226", "abc", 20250302, 0, "");
  v = run(f, b);
  assert_int_equal(v.disposition, C837_DISP_FIXED);
  assert_int_equal(v.n_fixes, 1);
  assert_int_equal(v.fixes[0].kind, C837_FIX_UNITS);
  x = only(&v, C837_EDIT_UNITS_INVALID);
  assert_int_equal(x->action, C837_ACT_FLAGGED);
  assert_int_equal(x->severity, C837_SEV_ERROR);
  assert_string_equal(x->detail, "38226 has units 'abc' in SV104, which is "
                                 "not a number (not held: holding is off "
                                 "for this run)");
  assert_int_equal(only(&v, C837_EDIT_UNITS_OVER_DAILY_MAX)->action,
                   C837_ACT_FIXED);
  /* the claim is remembered: a later duplicate is flagged, not held */
  assert_int_equal(c837_engine_history_count(f->e), 2);
  free(b);
  b = tb_new(C837_KIND_P, "C2", "PAT", "111");
  tb_line(b, "38225", "1", 20250301, 0, "");
  v = run(f, b);
  assert_int_equal(only(&v, C837_EDIT_DUPLICATE_DAY)->action,
                   C837_ACT_FLAGGED);
  assert_int_equal(v.disposition, C837_DISP_PASSED);
  assert_int_equal(c837_engine_history_count(f->e), 3);
  free(b);
  fx_free(f);
}

static void test_findings_sorted(void **state)
{
  fx *f = fx_new(NULL);
  tb *b = tb_new(C837_KIND_I, "C1", "PAT", "111");
  c837_verdict v;
  size_t i;
  (void)state;
  tb_line(b, "0540T", "2", 20250301, 0, "0250");
  tb_line(b, "38206", "1", 20250301, 0, "");
  v = run(f, b);
  for (i = 1; i < v.n_findings; i++) {
    assert_true(v.findings[i - 1].line <= v.findings[i].line);
    if (v.findings[i - 1].line == v.findings[i].line)
      assert_true(v.findings[i - 1].edit < v.findings[i].edit);
  }
  /* line 0: UNITS_OVER, CODE_DELETED, REVENUE, ADMIN_WITHOUT_PRODUCT,
   * PRIOR_STEP_MISSING; line 1: HPC */
  assert_int_equal(v.n_findings, 6);
  assert_int_equal(v.findings[0].edit, C837_EDIT_UNITS_OVER_DAILY_MAX);
  assert_int_equal(v.findings[1].edit, C837_EDIT_CODE_DELETED);
  assert_int_equal(v.findings[2].edit, C837_EDIT_REVENUE_CODE_MISMATCH);
  assert_int_equal(v.findings[2].action, C837_ACT_HELD); /* claim held */
  assert_int_equal(v.findings[3].edit, C837_EDIT_PRIOR_STEP_MISSING);
  assert_int_equal(v.findings[4].edit, C837_EDIT_ADMIN_WITHOUT_PRODUCT);
  assert_int_equal(v.findings[5].edit, C837_EDIT_HPC_CODE_WITH_CART);
  assert_int_equal(v.findings[5].line, 1);
  free(b);
  fx_free(f);
}

/* ------------------------------------------------------------------ */
/* Voids, replacements, history                                        */
/* ------------------------------------------------------------------ */

static void test_void_then_corrected(void **state)
{
  fx *f = fx_new(NULL);
  tb *b1 = tb_new(C837_KIND_P, "C1", "PAT", "111");
  tb *b2 = tb_new(C837_KIND_P, "C1", "PAT", "111");
  tb *b3 = tb_new(C837_KIND_P, "C2", "PAT", "111");
  c837_verdict v;
  (void)state;
  tb_line(b1, "Q2041", "1", 20250301, 0, "");
  tb_line(b1, "38228", "1", 20250301, 0, "");
  run(f, b1);
  assert_int_equal(c837_engine_history_count(f->e), 2);
  /* the void: removes C1's lines, is not evaluated itself */
  snprintf(b2->c.freq, sizeof b2->c.freq, "8");
  tb_line(b2, "Q2041", "1", 20250301, 0, "");
  tb_line(b2, "38228", "1", 20250301, 0, "");
  v = run(f, b2);
  assert_int_equal(v.n_findings, 0);
  assert_int_equal(v.disposition, C837_DISP_PASSED);
  assert_int_equal(n_lines(f->e), 0);
  /* what is left are the tombstones of the two lines, for the ledger */
  assert_int_equal(c837_engine_history_count(f->e), 2);
  assert_int_equal(n_tombs(f->e), 2);
  assert_string_equal(c837_engine_history_at(f->e, 0, &(c837_hist){0})->freq, "8");
  assert_string_equal(c837_engine_history_at(f->e, 0, &(c837_hist){0})->code, "Q2041");
  /* corrected resubmission under a new claim id: no duplicate */
  tb_line(b3, "Q2041", "1", 20250301, 0, "");
  tb_line(b3, "38228", "1", 20250301, 0, "");
  v = run(f, b3);
  assert_int_equal(count_edit(&v, C837_EDIT_DUPLICATE_DAY), 0);
  assert_int_equal(count_edit(&v, C837_EDIT_REPEAT_ADMINISTRATION), 0);
  assert_int_equal(n_lines(f->e), 2);
  assert_int_equal(c837_engine_history_count(f->e), 4);
  free(b1);
  free(b2);
  free(b3);
  fx_free(f);
}

static void test_void_other_provider_keeps_lines(void **state)
{
  fx *f = fx_new(NULL);
  tb *b1 = tb_new(C837_KIND_P, "C1", "PAT", "111");
  tb *b2 = tb_new(C837_KIND_P, "C1", "PAT", "999");
  (void)state;
  tb_line(b1, "38225", "1", 20250301, 0, "");
  run(f, b1);
  snprintf(b2->c.freq, sizeof b2->c.freq, "8");
  run(f, b2);
  assert_int_equal(c837_engine_history_count(f->e), 1);
  free(b1);
  free(b2);
  fx_free(f);
}

/* The patient's dated lines in its index (hist_index.c), in order:
 * their date_from values into d[0..n), n returned. */
static size_t pat_dates(const fx *f, const char *patient, int32_t *d,
                        size_t max)
{
  c837_pat *p;
  size_t k;
  assert_int_equal(c837_hix_pat(&f->e->hist, patient, &p), 0);
  if (!p)
    return 0;
  assert_true(p->n <= max);
  for (k = 0; k < p->n; k++)
    d[k] = f->e->hist.h[c837_pat_idx(p)[k]].date_from;
  return p->n;
}

/* A patient's index holds its first lines in place, then an array that
 * grows; lines filed out of date order come out sorted; a void takes its
 * line out, a rollback puts it back; a void of another provider's claim
 * of the same CLM01 takes nothing (the claim chain is per CLM01, its
 * lines filtered by provider). */
static void test_patient_index_grows_and_shrinks(void **state)
{
  fx *f = fx_new(NULL);
  int32_t d[16];
  char id[8];
  size_t k;
  tb *b;
  (void)state;
  for (k = 6; k >= 1; k--) { /* dates descending: each filed in front */
    snprintf(id, sizeof id, "C%zu", k);
    b = tb_new(C837_KIND_P, id, "PAT", "111");
    tb_line(b, "38225", "1", 20250100 + (int32_t)k * 2, 0, "");
    run(f, b);
    free(b);
  }
  assert_int_equal(c837_hix_pat_count(&f->e->hist, "PAT"), 6);
  assert_int_equal(pat_dates(f, "PAT", d, 16), 6);
  for (k = 0; k < 6; k++)
    assert_int_equal(d[k], 20250102 + (int32_t)k * 2);
  /* another provider's void of C3: nothing removed */
  b = tb_new(C837_KIND_P, "C3", "PAT", "999");
  snprintf(b->c.freq, sizeof b->c.freq, "8");
  run(f, b);
  free(b);
  assert_int_equal(n_lines(f->e), 6);
  assert_int_equal(n_tombs(f->e), 0);
  /* a void of C3 under a checkpoint, rolled back */
  assert_int_equal(c837_engine_checkpoint(f->e), C837_OK);
  b = tb_new(C837_KIND_P, "C3", "PAT", "111");
  snprintf(b->c.freq, sizeof b->c.freq, "8");
  run(f, b);
  assert_int_equal(c837_hix_pat_count(&f->e->hist, "PAT"), 5);
  c837_engine_rollback(f->e);
  assert_int_equal(pat_dates(f, "PAT", d, 16), 6);
  for (k = 0; k < 6; k++)
    assert_int_equal(d[k], 20250102 + (int32_t)k * 2);
  /* the same void kept, and one of C1: two tombstones, four lines */
  run(f, b);
  snprintf(b->c.id, sizeof b->c.id, "C1");
  run(f, b);
  free(b);
  assert_int_equal(n_lines(f->e), 4);
  assert_int_equal(n_tombs(f->e), 2);
  assert_int_equal(pat_dates(f, "PAT", d, 16), 4);
  assert_int_equal(d[0], 20250104);
  assert_int_equal(d[1], 20250108);
  assert_int_equal(d[2], 20250110);
  assert_int_equal(d[3], 20250112);
  fx_free(f);
}

static void test_replacement(void **state)
{
  fx *f = fx_new(NULL);
  tb *b1 = tb_new(C837_KIND_P, "C1", "PAT", "111");
  tb *b2 = tb_new(C837_KIND_P, "C1", "PAT", "111");
  c837_verdict v;
  const c837_hist *h;
  (void)state;
  tb_line(b1, "38225", "1", 20250301, 0, "");
  tb_line(b1, "38226", "1", 20250302, 0, "");
  run(f, b1);
  assert_int_equal(c837_engine_history_count(f->e), 2);
  /* the replacement bills the collection again on the same date: it
   * replaces, so no duplicate */
  snprintf(b2->c.freq, sizeof b2->c.freq, "7");
  tb_line(b2, "38225", "1", 20250301, 0, "");
  v = run(f, b2);
  assert_int_equal(v.n_findings, 0);
  assert_int_equal(n_lines(f->e), 1);
  h = line_at(f->e, 0);
  assert_string_equal(h->code, "38225");
  assert_string_equal(h->freq, "7");
  assert_null(line_at(f->e, 1));
  /* the replaced lines leave tombstones marked "7" */
  assert_int_equal(n_tombs(f->e), 2);
  assert_int_equal(c837_engine_history_count(f->e), 3);
  assert_string_equal(c837_engine_history_at(f->e, 0, &(c837_hist){0})->freq, "7");
  assert_int_equal(c837_engine_history_at(f->e, 0, &(c837_hist){0})->family, C837_FAM_NONE);
  free(b1);
  free(b2);
  fx_free(f);
}

static void test_held_replacement_keeps_original(void **state)
{
  fx *f = fx_new(NULL);
  tb *b1 = tb_new(C837_KIND_P, "C1", "PAT", "111");
  tb *b2 = tb_new(C837_KIND_P, "C1", "PAT", "111");
  c837_verdict v;
  (void)state;
  tb_line(b1, "38225", "1", 20250301, 0, "");
  run(f, b1);
  snprintf(b2->c.freq, sizeof b2->c.freq, "7");
  tb_line(b2, "38225", "0", 20250301, 0, "");
  v = run(f, b2);
  assert_int_equal(v.disposition, C837_DISP_HELD);
  assert_int_equal(c837_engine_history_count(f->e), 1);
  assert_string_equal(c837_engine_history_at(f->e, 0, &(c837_hist){0})->freq, "1");
  free(b1);
  free(b2);
  fx_free(f);
}

/* Saves the history of f into a new array (the ledger's part). */
static int cmp_hist(const void *pa, const void *pb)
{
  const c837_hist *a = pa, *b = pb;
  int c = strcmp(a->source, b->source);
  if (!c)
    c = strcmp(a->claim_id, b->claim_id);
  if (!c)
    c = strcmp(a->lx, b->lx);
  if (!c)
    c = (int)a->family - (int)b->family;
  return c;
}

/* save_history in identity order (the ledger's order: the engine's own
 * order of records may change when a re-run takes lines over). */
static c837_hist *sorted_history(const fx *f, size_t *n)
{
  c837_hist *a = save_history(f, n);
  qsort(a, *n, sizeof *a, cmp_hist);
  return a;
}

static void run_input(fx *f, int expect_dup)
{
  tb *b1 = tb_new(C837_KIND_P, "C1", "PAT", "111");
  tb *b2 = tb_new(C837_KIND_P, "C2", "PAT", "111");
  c837_verdict v;
  tb_env(b1, "SENDER", "000000001");
  tb_env(b2, "SENDER", "000000001");
  tb_line(b1, "38225", "1", 20250301, 0, "");
  v = run(f, b1);
  assert_int_equal(count_edit(&v, C837_EDIT_DUPLICATE_DAY), expect_dup);
  tb_line(b2, "Q2041", "0.5", 20250320, 0, "");
  tb_line(b2, "38228", "1", 20250320, 0, "");
  v = run(f, b2);
  assert_int_equal(count_edit(&v, C837_EDIT_DUPLICATE_DAY), expect_dup);
  free(b1);
  free(b2);
}

static void test_history_rerun_idempotent(void **state)
{
  fx *f1 = fx_new(NULL), *f2, *f3;
  c837_hist *saved, *again;
  size_t n, n2, i;
  (void)state;
  run_input(f1, 0);
  saved = save_history(f1, &n);
  assert_int_equal(n, 4); /* three lines and the interchange's marker */
  assert_int_equal(n_markers(f1->e), 1);
  assert_string_equal(saved[3].source, "SENDER|000000001|");
  assert_int_equal(saved[3].run, 1);
  assert_int_equal(saved[0].run, 1);
  assert_string_equal(saved[0].source, "SENDER|000000001|1|0001");
  assert_string_equal(saved[0].claim_id, "C1");
  assert_string_equal(saved[0].lx, "1");
  assert_string_equal(saved[0].patient, "PAT");
  assert_string_equal(saved[0].provider, "111");
  assert_int_equal(saved[0].family, C837_FAM_STEP);
  assert_int_equal(saved[1].units, 500000);
  /* the same input again over the saved ledger: no duplicate, the same
   * history */
  f2 = fx_new(NULL);
  for (i = 0; i < n; i++)
    assert_int_equal(c837_engine_add_history(f2->e, &saved[i]), C837_OK);
  assert_int_equal(c837_engine_history_count(f2->e), 4);
  run_input(f2, 0);
  again = save_history(f2, &n2);
  assert_int_equal(n2, n);
  assert_memory_equal(again, saved, n * sizeof *saved);
  free(again);
  /* the same claims from another interchange are duplicates */
  f3 = fx_new(NULL);
  for (i = 0; i < n; i++)
    c837_engine_add_history(f3->e, &saved[i]);
  {
    tb *b = tb_new(C837_KIND_P, "C1", "PAT", "111");
    c837_verdict v;
    tb_env(b, "SENDER", "000000002");
    tb_line(b, "38225", "1", 20250301, 0, "");
    v = run(f3, b);
    assert_int_equal(only(&v, C837_EDIT_DUPLICATE_DAY)->action,
                     C837_ACT_HELD);
    free(b);
  }
  assert_int_equal(c837_engine_add_history(f3->e, NULL), C837_EINVAL);
  free(saved);
  fx_free(f1);
  fx_free(f2);
  fx_free(f3);
}

/* Re-running an original and its replacement over the ledger of the
 * first run gives the same verdicts and history. */
static void test_history_rerun_with_replacement(void **state)
{
  fx *f1 = fx_new(NULL), *f2 = NULL;
  c837_hist *saved = NULL, *again;
  size_t n = 0, n2, i, round;
  (void)state;
  for (round = 0; round < 2; round++) {
    fx *f = round == 0 ? f1 : NULL;
    tb *b1 = tb_new(C837_KIND_P, "C1", "PAT", "111");
    tb *b2 = tb_new(C837_KIND_P, "C1", "PAT", "111");
    c837_verdict v;
    if (round == 1) {
      f2 = fx_new(NULL);
      for (i = 0; i < n; i++)
        c837_engine_add_history(f2->e, &saved[i]);
      f = f2;
    }
    tb_env(b1, "S", "1");
    tb_env(b2, "S", "2");
    tb_line(b1, "38225", "1", 20250301, 0, "");
    v = run(f, b1);
    assert_int_equal(v.n_findings, 0);
    snprintf(b2->c.freq, sizeof b2->c.freq, "7");
    tb_line(b2, "38225", "1", 20250301, 0, "");
    v = run(f, b2);
    assert_int_equal(v.n_findings, 0);
    if (round == 0) {
      saved = sorted_history(f1, &n);
      /* the replacement's line, the original's tombstone, two markers */
      assert_int_equal(n, 4);
      assert_int_equal(n_lines(f1->e), 1);
    } else {
      again = sorted_history(f2, &n2);
      assert_int_equal(n2, n);
      assert_memory_equal(again, saved, n * sizeof *saved);
      free(again);
    }
    free(b1);
    free(b2);
  }
  free(saved);
  fx_free(f1);
  fx_free(f2);
}

/* One interchange: an original in one transaction set, its void and a
 * corrected claim under a new id in the next.  Re-running it over the
 * ledger of the first run gives the same verdicts and ledger. */
static void rerun_void_input(fx *f)
{
  tb *b1 = tb_new(C837_KIND_P, "V1", "PAT", "111");
  tb *b2 = tb_new(C837_KIND_P, "V1", "PAT", "111");
  tb *b3 = tb_new(C837_KIND_P, "V1-C", "PAT", "111");
  c837_verdict v;
  tb_env(b1, "S", "104");
  tb_env(b2, "S", "104");
  tb_env(b3, "S", "104");
  snprintf(b2->env.st02, sizeof b2->env.st02, "0002");
  snprintf(b3->env.st02, sizeof b3->env.st02, "0002");
  tb_line(b1, "38225", "1", 20250407, 0, "");
  v = run(f, b1);
  assert_int_equal(v.n_findings, 0);
  snprintf(b2->c.freq, sizeof b2->c.freq, "8");
  tb_line(b2, "38225", "1", 20250407, 0, "");
  v = run(f, b2);
  assert_int_equal(v.n_findings, 0);
  tb_line(b3, "38225", "1", 20250407, 0, "");
  v = run(f, b3);
  assert_int_equal(v.n_findings, 0);
  free(b1);
  free(b2);
  free(b3);
}

static void test_history_rerun_void_interchange(void **state)
{
  fx *f1 = fx_new(NULL), *f2 = fx_new(NULL);
  c837_hist *saved, *again;
  size_t n, n2, i;
  (void)state;
  rerun_void_input(f1);
  saved = sorted_history(f1, &n);
  /* the marker, V1's tombstone, V1-C's line */
  assert_int_equal(n, 3);
  assert_string_equal(saved[0].source, "S|104|");
  assert_string_equal(saved[1].claim_id, "V1");
  assert_int_equal(saved[1].family, C837_FAM_NONE);
  assert_string_equal(saved[2].claim_id, "V1-C");
  for (i = 0; i < n; i++)
    c837_engine_add_history(f2->e, &saved[i]);
  rerun_void_input(f2);
  again = sorted_history(f2, &n2);
  assert_int_equal(n2, 3);
  assert_memory_equal(again, saved, n * sizeof *saved);
  free(saved);
  free(again);
  fx_free(f1);
  fx_free(f2);
}

/* A big claim of one patient and date stays fast: 1001 lines of 0.001
 * dose; the thousandth reaches the cap, the last goes over. */
static void test_big_claim(void **state)
{
  fx *f = fx_new(NULL);
  tb *b = tb_new(C837_KIND_P, "BIG", "PAT", "111");
  c837_verdict v;
  int i;
  (void)state;
  for (i = 0; i < 1001; i++)
    tb_line(b, "Q2041", "0.001", 20250304, 0, "");
  v = run(f, b);
  assert_int_equal(count_edit(&v, C837_EDIT_DUPLICATE_DAY), 1);
  assert_non_null(find_edit(&v, C837_EDIT_DUPLICATE_DAY, 1000));
  assert_int_equal(v.n_fixes, 1);
  assert_int_equal(v.fixes[0].kind, C837_FIX_REMOVE);
  assert_int_equal(v.fixes[0].line, 1000);
  /* 1 DUPLICATE_DAY + 1000 PRODUCT_WITHOUT_ADMIN (not on the removed
   * line): 512 kept, the rest counted */
  assert_int_equal(v.n_findings, C837_MAX_FINDINGS);
  assert_int_equal(v.findings_dropped, 1001 - C837_MAX_FINDINGS);
  free(b);
  fx_free(f);
}

/* Many patients stay fast and separate. */
static void test_many_patients(void **state)
{
  fx *f = fx_new(NULL);
  int i;
  char id[16], pat[16];
  c837_verdict v;
  (void)state;
  for (i = 0; i < 20000; i++) {
    tb *b;
    snprintf(id, sizeof id, "C%d", i);
    snprintf(pat, sizeof pat, "P%d", i % 5000);
    b = tb_new(C837_KIND_P, id, pat, "111");
    tb_line(b, "38225", "1", 20250101 + (i / 5000), 0, "");
    v = run(f, b);
    assert_int_equal(count_edit(&v, C837_EDIT_DUPLICATE_DAY), 0);
    free(b);
  }
  assert_int_equal(c837_engine_history_count(f->e), 20000);
  /* and a duplicate among them is still found */
  {
    tb *b = tb_new(C837_KIND_P, "CX", "P4321", "111");
    tb_line(b, "38225", "1", 20250103, 0, "");
    v = run(f, b);
    assert_int_equal(count_edit(&v, C837_EDIT_DUPLICATE_DAY), 1);
    free(b);
  }
  fx_free(f);
}


/* Thousands of voids: each touches only its own claim's lines, and the
 * history keeps its order (survivors and tombstones in the order they
 * were remembered), with and without a checkpoint open. */
static void test_many_voids(void **state)
{
  int pass;
  (void)state;
  for (pass = 0; pass < 2; pass++) {
    fx *f = fx_new(NULL);
    int i, n = 6000;
    char id[16], pat[16];
    int32_t d0 = c837_date_to_days(20250101);
    size_t k;
    if (pass == 1)
      assert_int_equal(c837_engine_checkpoint(f->e), C837_OK);
    for (i = 0; i < n; i++) {
      tb *b;
      c837_verdict v;
      snprintf(id, sizeof id, "C%d", i);
      snprintf(pat, sizeof pat, "P%d", i % 700);
      b = tb_new(C837_KIND_P, id, pat, "111");
      tb_line(b, "38225", "1", c837_days_to_date(d0 + i), 0, "");
      v = run(f, b);
      assert_int_equal(v.disposition, C837_DISP_PASSED);
      free(b);
      if (i % 2 == 1) { /* void the claim before */
        snprintf(id, sizeof id, "C%d", i - 1);
        b = tb_new(C837_KIND_P, id, pat, "111");
        snprintf(b->c.freq, sizeof b->c.freq, "8");
        run(f, b);
        free(b);
      }
    }
    if (pass == 1)
      c837_engine_commit(f->e);
    assert_int_equal(c837_engine_history_count(f->e), (size_t)n);
    assert_int_equal(n_lines(f->e), (size_t)n / 2);
    assert_int_equal(n_tombs(f->e), (size_t)n / 2);
    for (k = 0; k < (size_t)n / 2; k++) {
      const c837_hist *l = c837_engine_history_at(f->e, 2 * k, &(c837_hist){0});
      const c837_hist *t = c837_engine_history_at(f->e, 2 * k + 1, &(c837_hist){0});
      snprintf(id, sizeof id, "C%zu", 2 * k + 1);
      assert_string_equal(l->claim_id, id);
      assert_int_equal(l->family, C837_FAM_STEP);
      snprintf(id, sizeof id, "C%zu", 2 * k);
      assert_string_equal(t->claim_id, id);
      assert_int_equal(t->family, C837_FAM_NONE);
      assert_string_equal(t->freq, "8");
      assert_int_equal(t->date_from, c837_days_to_date(d0 + (int32_t)(2 * k)));
    }
    fx_free(f);
  }
}

/* A loaded line read again under another billing provider is refiled:
 * a void by the new provider removes it, one by the old does not. */
static void test_void_after_provider_change(void **state)
{
  fx *f = fx_new(NULL);
  tb *b = tb_new(C837_KIND_P, "C1", "PAT", "222");
  tb *v1 = tb_new(C837_KIND_P, "C1", "PAT", "111");
  tb *v2 = tb_new(C837_KIND_P, "C1", "PAT", "222");
  c837_hist h;
  (void)state;
  h = hist_38225("S|1|1|0001", "111");
  assert_int_equal(c837_engine_add_history(f->e, &h), C837_OK);
  tb_env(b, "S", "1");
  tb_line(b, "38225", "1", 20250301, 0, "");
  run(f, b);
  assert_int_equal(n_lines(f->e), 1);
  assert_string_equal(line_at(f->e, 0)->provider, "222");
  assert_int_equal(line_at(f->e, 0)->run, 1);
  tb_env(v1, "S", "2");
  snprintf(v1->c.freq, sizeof v1->c.freq, "8");
  run(f, v1);
  assert_int_equal(n_lines(f->e), 1);
  assert_int_equal(n_tombs(f->e), 0);
  tb_env(v2, "S", "3");
  snprintf(v2->c.freq, sizeof v2->c.freq, "8");
  run(f, v2);
  assert_int_equal(n_lines(f->e), 0);
  assert_int_equal(n_tombs(f->e), 1);
  free(b);
  free(v1);
  free(v2);
  fx_free(f);
}


/* ------------------------------------------------------------------ */
/* Findings cap, overflow, re-runs of several interchanges, rollback   */
/* ------------------------------------------------------------------ */

/* 600 lines over the cap (fixes) then one line with 0 units (holds):
 * the holding finding is beyond C837_MAX_FINDINGS but the claim is held
 * all the same, no fix applied, and the dropped ones are counted. */
static void test_findings_cap_still_holds(void **state)
{
  fx *f = fx_new(NULL);
  tb *b = tb_new(C837_KIND_P, "MAXF", "PAT", "111");
  c837_verdict v;
  size_t i, kept_units_over = 0;
  uint64_t sev = 0;
  int32_t d0 = c837_date_to_days(20250101);
  (void)state;
  for (i = 0; i < 600; i++)
    tb_line(b, "38225", "2", c837_days_to_date(d0 + (int32_t)i), 0, "");
  tb_line(b, "38225", "0", 20250101, 0, "");
  v = run(f, b);
  assert_int_equal(v.disposition, C837_DISP_HELD);
  assert_int_equal(v.n_fixes, 0);
  assert_int_equal(v.n_findings, C837_MAX_FINDINGS);
  /* every line over the cap, and the invalid units on line 600 */
  assert_int_equal(v.findings_dropped, 601 - C837_MAX_FINDINGS);
  assert_int_equal(v.dropped_by_edit[C837_EDIT_UNITS_INVALID], 1);
  assert_int_equal(v.dropped_by_edit[C837_EDIT_UNITS_OVER_DAILY_MAX],
                   600 - C837_MAX_FINDINGS);
  for (i = 0; i < 3; i++)
    sev += v.dropped_by_severity[i];
  assert_int_equal(sev, v.findings_dropped);
  assert_int_equal(v.dropped_by_severity[C837_SEV_ERROR],
                   v.findings_dropped);
  for (i = 0; i < v.n_findings; i++) {
    assert_int_equal(v.findings[i].edit, C837_EDIT_UNITS_OVER_DAILY_MAX);
    assert_int_equal(v.findings[i].action, C837_ACT_HELD);
    kept_units_over++;
  }
  assert_int_equal(kept_units_over, C837_MAX_FINDINGS);
  /* held: nothing remembered */
  assert_int_equal(c837_engine_history_count(f->e), 0);
  free(b);
  fx_free(f);
}

/* With --hold none the same claim is fixed, and the dropped holding
 * finding does not hold it. */
static void test_findings_cap_hold_none(void **state)
{
  c837_edit_options o;
  fx *f;
  tb *b = tb_new(C837_KIND_P, "MAXF", "PAT", "111");
  c837_verdict v;
  size_t i;
  int32_t d0 = c837_date_to_days(20250101);
  (void)state;
  c837_edit_options_default(&o);
  o.hold = 0;
  f = fx_new(&o);
  for (i = 0; i < 600; i++)
    tb_line(b, "38225", "2", c837_days_to_date(d0 + (int32_t)i), 0, "");
  tb_line(b, "38225", "0", 20250101, 0, "");
  v = run(f, b);
  assert_int_equal(v.disposition, C837_DISP_FIXED);
  assert_int_equal(v.n_fixes, 600);
  free(b);
  fx_free(f);
}

static void test_cap_days_checked(void **state)
{
  int64_t r = 0;
  (void)state;
  assert_int_equal(c837_eng_cap_days(1000000, 31, &r), 0);
  assert_int_equal(r, 31000000);
  /* the largest cap a table may give times every day of 0001..9999 */
  assert_int_equal(c837_eng_cap_days((int64_t)C837_MAX_CAP_UNITS * 1000000,
                                     3652059, &r),
                   0);
  assert_true(r > 0);
  assert_int_equal(c837_eng_cap_days(900000000000000000, 31, &r), -1);
  assert_true(r == INT64_MAX);
  assert_int_equal(c837_eng_cap_days(INT64_MAX, 2, &r), -1);
  assert_int_equal(c837_eng_cap_days(-1, 2, &r), -1);
  assert_true(c837_eng_sat_add(INT64_MAX, 1) == INT64_MAX);
  assert_true(c837_eng_sat_add(INT64_MAX - 1, 1) == INT64_MAX);
  assert_true(c837_eng_sat_add(INT64_MIN, -1) == INT64_MIN);
  assert_int_equal(c837_eng_sat_add(2, 3), 5);
}

/* Two related interchanges: a collection and administration for the
 * patient in interchange A (ISA13 2), another administration in B
 * (ISA13 1) the next day.  Fills counts[claim] with the findings. */
static void two_interchanges(fx *f, size_t counts[2], int b_only)
{
  tb *a = tb_new(C837_KIND_I, "CLA", "M1", "1549302689");
  tb *b = tb_new(C837_KIND_I, "CLB", "M1", "1549302689");
  c837_verdict v;
  tb_env(a, "SUBMITTER", "000000002");
  tb_env(b, "SUBMITTER", "000000001");
  tb_line(a, "38228", "1", 20250409, 0, "0874");
  tb_line(a, "Q2041", "1", 20250409, 0, "0891");
  tb_line(b, "38228", "1", 20250410, 0, "0874");
  tb_line(b, "Q2041", "1", 20250410, 0, "0891");
  counts[0] = counts[1] = 0;
  if (!b_only) {
    v = run(f, a);
    counts[0] = v.n_findings;
  }
  v = run(f, b);
  counts[1] = v.n_findings;
  assert_int_equal(count_edit(&v, C837_EDIT_REPEAT_ADMINISTRATION),
                   b_only ? 0 : 1);
  free(a);
  free(b);
}

static void test_rerun_two_interchanges(void **state)
{
  fx *f1 = fx_new(NULL), *f2 = fx_new(NULL), *f3 = fx_new(NULL);
  c837_hist *saved, *again, *third;
  size_t n, n2, n3, i, c1[2], c2[2], c3[2];
  (void)state;
  two_interchanges(f1, c1, 0);
  /* A: PRIOR_STEP_MISSING; B: that and REPEAT_ADMINISTRATION */
  assert_int_equal(c1[0], 1);
  assert_int_equal(c1[1], 2);
  saved = sorted_history(f1, &n);
  assert_int_equal(n, 6); /* 4 lines, 2 markers */
  for (i = 0; i < n; i++) {
    assert_int_equal(saved[i].run, 1);
    assert_int_equal(c837_engine_add_history(f2->e, &saved[i]), C837_OK);
  }
  /* the re-run: A must not see B's lines, which came after it */
  two_interchanges(f2, c2, 0);
  assert_int_equal(c2[0], c1[0]);
  assert_int_equal(c2[1], c1[1]);
  again = sorted_history(f2, &n2);
  assert_int_equal(n2, n);
  assert_memory_equal(again, saved, n * sizeof *saved);
  /* and again over that */
  for (i = 0; i < n2; i++)
    c837_engine_add_history(f3->e, &again[i]);
  two_interchanges(f3, c3, 0);
  assert_int_equal(c3[0], c1[0]);
  assert_int_equal(c3[1], c1[1]);
  third = sorted_history(f3, &n3);
  assert_int_equal(n3, n);
  assert_memory_equal(third, saved, n * sizeof *saved);
  free(saved);
  free(again);
  free(third);
  fx_free(f1);
  fx_free(f2);
  fx_free(f3);
}

/* New lines of a later run get the next run number; loaded lines of a
 * run that is not being repeated stay visible. */
static void test_run_numbers(void **state)
{
  fx *f1 = fx_new(NULL), *f2 = fx_new(NULL);
  c837_hist *saved;
  size_t n, i;
  tb *c = tb_new(C837_KIND_I, "CLC", "M1", "1549302689");
  c837_verdict v;
  (void)state;
  {
    tb *a = tb_new(C837_KIND_I, "CLA", "M1", "1549302689");
    tb_env(a, "SUBMITTER", "000000002");
    tb_line(a, "38228", "1", 20250409, 0, "0874");
    tb_line(a, "Q2041", "1", 20250409, 0, "0891");
    run(f1, a);
    free(a);
  }
  saved = save_history(f1, &n);
  for (i = 0; i < n; i++) {
    saved[i].run = 7;
    c837_engine_add_history(f2->e, &saved[i]);
  }
  tb_env(c, "OTHER", "000000009");
  tb_line(c, "38228", "1", 20250410, 0, "0874");
  tb_line(c, "Q2041", "1", 20250410, 0, "0891");
  v = run(f2, c);
  assert_int_equal(count_edit(&v, C837_EDIT_REPEAT_ADMINISTRATION), 1);
  for (i = 0; i < c837_engine_history_count(f2->e); i++) {
    const c837_hist *h = c837_engine_history_at(f2->e, i, &(c837_hist){0});
    if (strcmp(h->claim_id, "CLC") == 0 ||
        strcmp(h->source, "OTHER|000000009|") == 0)
      assert_int_equal(h->run, 8);
    else
      assert_int_equal(h->run, 7);
  }
  free(saved);
  free(c);
  fx_free(f1);
  fx_free(f2);
}

/* A void recorded in one engine leaves tombstones; loaded into another
 * engine that still has the voided lines, they go. */
static void test_tombstone_applied_on_load(void **state)
{
  fx *f1 = fx_new(NULL), *f2 = fx_new(NULL);
  tb *x = tb_new(C837_KIND_P, "X1", "PAT", "111");
  tb *vd = tb_new(C837_KIND_P, "X1", "PAT", "111");
  c837_hist *before, *after;
  size_t nb, na, i;
  (void)state;
  tb_env(x, "S", "1");
  tb_env(vd, "S", "2");
  tb_line(x, "38225", "1", 20250301, 0, "");
  run(f1, x);
  before = save_history(f1, &nb); /* the base ledger: line + marker */
  assert_int_equal(nb, 2);
  snprintf(vd->c.freq, sizeof vd->c.freq, "8");
  run(f1, vd);
  after = save_history(f1, &na);
  assert_int_equal(n_lines(f1->e), 0);
  assert_int_equal(n_tombs(f1->e), 1);
  /* base rows first, then the part's tombstone: the line goes */
  for (i = 0; i < nb; i++)
    c837_engine_add_history(f2->e, &before[i]);
  for (i = 0; i < na; i++)
    if (after[i].family == C837_FAM_NONE && after[i].claim_id[0])
      c837_engine_add_history(f2->e, &after[i]);
  assert_int_equal(n_lines(f2->e), 0);
  assert_int_equal(n_tombs(f2->e), 1);
  free(before);
  free(after);
  free(x);
  free(vd);
  fx_free(f1);
  fx_free(f2);
}

static void test_checkpoint_rollback(void **state)
{
  fx *f = fx_new(NULL);
  tb *b1 = tb_new(C837_KIND_P, "C1", "PAT", "111");
  tb *b2 = tb_new(C837_KIND_P, "C2", "PAT", "111");
  tb *vd = tb_new(C837_KIND_P, "C1", "PAT", "111");
  tb *b3 = tb_new(C837_KIND_P, "C3", "PAT", "111");
  tb *rp = tb_new(C837_KIND_P, "C1", "PAT", "111");
  c837_hist *h0, *h1;
  size_t n0, n1;
  c837_verdict v;
  (void)state;
  tb_env(b1, "S", "1");
  tb_env(b2, "S", "2");
  tb_env(vd, "S", "2");
  tb_env(b3, "S", "3");
  tb_env(rp, "S", "2");
  tb_line(b1, "38225", "1", 20250301, 0, "");
  run(f, b1);
  h0 = save_history(f, &n0);
  c837_engine_rollback(f->e); /* no checkpoint: a no-op */
  c837_engine_commit(f->e);
  assert_int_equal(c837_engine_checkpoint(f->e), C837_OK);
  assert_int_equal(c837_engine_checkpoint(NULL), C837_EINVAL);
  /* a new claim, a void of C1 and a replacement of it */
  tb_line(b2, "38226", "1", 20250302, 0, "");
  run(f, b2);
  snprintf(vd->c.freq, sizeof vd->c.freq, "8");
  run(f, vd);
  snprintf(rp->c.freq, sizeof rp->c.freq, "7");
  tb_line(rp, "38225", "1", 20250305, 0, "");
  run(f, rp);
  assert_true(c837_engine_history_count(f->e) != n0);
  c837_engine_rollback(f->e);
  h1 = save_history(f, &n1);
  assert_int_equal(n1, n0);
  assert_memory_equal(h1, h0, n0 * sizeof *h0);
  free(h1);
  /* the void was undone: C1's collection counts again */
  tb_line(b3, "38225", "1", 20250301, 0, "");
  assert_int_equal(c837_engine_checkpoint(f->e), C837_OK);
  v = run(f, b3);
  assert_int_equal(count_edit(&v, C837_EDIT_DUPLICATE_DAY), 1);
  assert_int_equal(v.disposition, C837_DISP_HELD);
  /* commit keeps what came after the checkpoint */
  c837_engine_rollback(f->e);
  assert_int_equal(c837_engine_checkpoint(f->e), C837_OK);
  run(f, b2);
  c837_engine_commit(f->e);
  assert_int_equal(n_lines(f->e), 2);
  c837_engine_rollback(f->e); /* closed: nothing to undo */
  assert_int_equal(n_lines(f->e), 2);
  free(h0);
  free(b1);
  free(b2);
  free(vd);
  free(b3);
  free(rp);
  fx_free(f);
}

/* Rolling back a re-run's hiding: lines loaded from an interchange are
 * hidden once it is read again, and visible again after a rollback. */
static void test_rollback_unhides_loaded(void **state)
{
  fx *f1 = fx_new(NULL), *f2 = fx_new(NULL);
  c837_hist *saved;
  size_t n, i, c[2];
  tb *other = tb_new(C837_KIND_I, "CLZ", "M1", "1549302689");
  c837_verdict v;
  (void)state;
  two_interchanges(f1, c, 0);
  saved = save_history(f1, &n);
  for (i = 0; i < n; i++)
    c837_engine_add_history(f2->e, &saved[i]);
  assert_int_equal(c837_engine_checkpoint(f2->e), C837_OK);
  two_interchanges(f2, c, 1); /* reads B again: run 1 hidden */
  c837_engine_rollback(f2->e);
  assert_int_equal(c837_engine_history_count(f2->e), n);
  tb_env(other, "ELSE", "000000005");
  tb_line(other, "38228", "1", 20250411, 0, "0874");
  tb_line(other, "Q2041", "1", 20250411, 0, "0891");
  v = run(f2, other);
  /* it sees the earlier administrations again (had the hiding stayed,
   * it would see none: B's lines of the rolled-back part are gone) */
  assert_int_equal(count_edit(&v, C837_EDIT_REPEAT_ADMINISTRATION), 1);
  free(saved);
  free(other);
  fx_free(f1);
  fx_free(f2);
}

/* The kind of a loaded record comes from its fields, as a ledger row
 * (without a kind column) gives them; the kind handed in is not read. */
static void test_hist_kind_on_load(void **state)
{
  fx *f = fx_new(NULL);
  c837_hist h;
  (void)state;
  h = hist_38225("S|1|1|1", "111");
  assert_int_equal(c837_hist_kind_of(&h), C837_HIST_LINE);
  h.kind = C837_HIST_MARKER; /* not read */
  assert_int_equal(c837_engine_add_history(f->e, &h), C837_OK);
  assert_int_equal(c837_engine_history_at(f->e, 0, &(c837_hist){0})->kind, C837_HIST_LINE);
  /* no family, an identity: a tombstone (it removes the line) */
  h.family = C837_FAM_NONE;
  h.kind = C837_HIST_LINE;
  assert_int_equal(c837_hist_kind_of(&h), C837_HIST_TOMBSTONE);
  assert_int_equal(c837_engine_add_history(f->e, &h), C837_OK);
  assert_int_equal(n_lines(f->e), 0);
  assert_int_equal(n_tombs(f->e), 1);
  /* no family, only an lx: a tombstone still */
  h.claim_id[0] = 0;
  assert_int_equal(c837_hist_kind_of(&h), C837_HIST_TOMBSTONE);
  /* no family, no claim_id nor lx: a marker */
  h.lx[0] = 0;
  snprintf(h.source, sizeof h.source, "S|1|");
  assert_int_equal(c837_hist_kind_of(&h), C837_HIST_MARKER);
  assert_int_equal(c837_engine_add_history(f->e, &h), C837_OK);
  assert_int_equal(n_markers(f->e), 1);
  assert_int_equal(c837_engine_history_at(f->e, 1, &(c837_hist){0})->kind, C837_HIST_MARKER);
  fx_free(f);
}

/* ------------------------------------------------------------------ */
/* The edit table                                                      */
/* ------------------------------------------------------------------ */

/* Cell k (0-based) of a markdown table row "| a | b | c |", trimmed, into
 * buf; its first word (up to a blank, ';' or '(') into word. */
static void md_cell(const char *row, int k, char *buf, size_t bufsz,
                    char *word, size_t wordsz)
{
  const char *p = row, *end;
  size_t n, w = 0;
  int i;
  for (i = 0; i <= k; i++) {
    p = strchr(p, '|');
    assert_non_null(p);
    p++;
  }
  end = strchr(p, '|');
  assert_non_null(end);
  while (p < end && *p == ' ')
    p++;
  while (end > p && end[-1] == ' ')
    end--;
  n = (size_t)(end - p);
  assert_true(n < bufsz);
  memcpy(buf, p, n);
  buf[n] = 0;
  while (w < n && w + 1 < wordsz && buf[w] != ' ' && buf[w] != ';' &&
         buf[w] != '(')
    w++;
  memcpy(word, buf, w);
  word[w] = 0;
}

/* Every edit's facts (C837_EDIT_MAP) are the row of its name in the
 * table of specs/edits.md, "Severity, action and remittance codes", and
 * the table lists every edit, in report order. */
static void test_edit_table_matches_spec(void **state)
{
  FILE *fp = fopen("specs/edits.md", "r");
  char line[512], cell[256], word[64];
  int in_table = 0, k = 0;
  (void)state;
  assert_non_null(fp);
  while (fgets(line, sizeof line, fp)) {
    const c837_edit_def *d;
    if (strstr(line, "| edit | severity | action | CARC | RARC |"))
      in_table = 1;
    if (!in_table || line[0] != '|' || strncmp(line, "| edit", 6) == 0 ||
        strncmp(line, "|---", 4) == 0)
      continue;
    d = c837_edit_info((c837_edit)k);
    assert_non_null(d);
    assert_int_equal(d->edit, k);
    md_cell(line, 0, cell, sizeof cell, word, sizeof word);
    assert_string_equal(cell, d->name);
    assert_string_equal(d->name, c837_edit_name((c837_edit)k));
    md_cell(line, 1, cell, sizeof cell, word, sizeof word);
    assert_string_equal(word, c837_severity_name(d->severity));
    md_cell(line, 2, cell, sizeof cell, word, sizeof word);
    assert_string_equal(word, c837_action_name(d->action));
    md_cell(line, 3, cell, sizeof cell, word, sizeof word);
    assert_string_equal(cell, d->carc);
    md_cell(line, 4, cell, sizeof cell, word, sizeof word);
    assert_string_equal(cell, d->rarc);
    if (++k == C837_EDIT_COUNT)
      break;
  }
  fclose(fp);
  assert_int_equal(k, C837_EDIT_COUNT);
  assert_null(c837_edit_info(C837_EDIT_COUNT));
  assert_null(c837_edit_info((c837_edit)-1));
  assert_string_equal(c837_edit_name(C837_EDIT_COUNT), "");
  assert_string_equal(c837_action_name(C837_ACT_HELD), "held");
  assert_string_equal(c837_action_name((c837_action)3), "");
  assert_string_equal(c837_disposition_name(C837_DISP_PASSED), "passed");
  assert_string_equal(c837_disposition_name((c837_disposition)3), "");
  /* a finding carries its edit's codes */
  assert_string_equal(c837_edit_info(C837_EDIT_UNITS_OVER_DAILY_MAX)->carc,
                      "151");
  assert_string_equal(c837_edit_info(C837_EDIT_INFUSION_TOO_SOON)->rarc, "");
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_names),
      cmocka_unit_test(test_non_837_kinds_get_empty_verdict),
      cmocka_unit_test(test_units_at_cap_passes),
      cmocka_unit_test(test_units_over_cap_fixed),
      cmocka_unit_test(test_range_three_days),
      cmocka_unit_test(test_range_too_long_flagged),
      cmocka_unit_test(test_not_a_cart_line),
      cmocka_unit_test(test_units_invalid),
      cmocka_unit_test(test_unit_basis),
      cmocka_unit_test(test_code_deleted_boundary),
      cmocka_unit_test(test_code_not_effective),
      cmocka_unit_test(test_later_edits_see_crosswalk),
      cmocka_unit_test(test_revenue_mismatch),
      cmocka_unit_test(test_revenue_pairing_from_2019_04),
      cmocka_unit_test(test_revenue_fix_on_sv1_line_holds),
      cmocka_unit_test(test_tracked_revenue_without_zero),
      cmocka_unit_test(test_inpatient_procedure_line),
      cmocka_unit_test(test_prep_charges),
      cmocka_unit_test(test_duplicate_same_claim_removed),
      cmocka_unit_test(test_duplicate_across_claims_held),
      cmocka_unit_test(test_fractional_product_ten_claims),
      cmocka_unit_test(test_duplicate_with_range),
      cmocka_unit_test(test_step_out_of_order),
      cmocka_unit_test(test_step_out_of_order_reverse),
      cmocka_unit_test(test_prior_step_missing),
      cmocka_unit_test(test_admin_product_pairing),
      cmocka_unit_test(test_infusion_too_soon),
      cmocka_unit_test(test_infusion_option),
      cmocka_unit_test(test_repeat_administration),
      cmocka_unit_test(test_hpc_code_with_cart),
      cmocka_unit_test(test_held_claim_reports_fixes_as_held),
      cmocka_unit_test(test_hold_none),
      cmocka_unit_test(test_findings_sorted),
      cmocka_unit_test(test_void_then_corrected),
      cmocka_unit_test(test_void_other_provider_keeps_lines),
      cmocka_unit_test(test_replacement),
      cmocka_unit_test(test_held_replacement_keeps_original),
      cmocka_unit_test(test_history_rerun_idempotent),
      cmocka_unit_test(test_history_rerun_with_replacement),
      cmocka_unit_test(test_history_rerun_void_interchange),
      cmocka_unit_test(test_big_claim),
      cmocka_unit_test(test_many_patients),
      cmocka_unit_test(test_many_voids),
      cmocka_unit_test(test_void_after_provider_change),
      cmocka_unit_test(test_findings_cap_still_holds),
      cmocka_unit_test(test_findings_cap_hold_none),
      cmocka_unit_test(test_cap_days_checked),
      cmocka_unit_test(test_rerun_two_interchanges),
      cmocka_unit_test(test_run_numbers),
      cmocka_unit_test(test_tombstone_applied_on_load),
      cmocka_unit_test(test_checkpoint_rollback),
      cmocka_unit_test(test_rollback_unhides_loaded),
      cmocka_unit_test(test_edit_table_matches_spec),
      cmocka_unit_test(test_hist_kind_on_load),
      cmocka_unit_test(test_patient_index_grows_and_shrinks),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
