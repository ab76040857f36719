/* test_internal_failclosed.c -- unit tests of the engine's fail-closed rules
 * (issue 11): no tracked line passes unchecked, no deleted code goes out
 * "fixed", splits stay within the loop limits, the ledger tells a
 * resend from a reused control number, and the per-patient work is
 * bounded with a clear finding.
 *
 * An internal test: it includes the engine's private headers (through
 * engine_fx.h, the claim builder shared with test_internal_engine.c).  Most tests
 * build claims as structs; the ones about the corrected output run text
 * through the tokenizer, assembler, engine and writer into memory.
 * Nothing here measures time: the big-patient tests assert the edits'
 * results only (scripts/bench.sh measures speed).
 */
#include "engine_fx.h"
#include "base/limits.h"
#include "testbuf.h"

/* ------------------------------------------------------------------ */
/* Helpers                                                             */
/* ------------------------------------------------------------------ */

/* An envelope whose ISA hashed to isa_hash (0: a hand-made envelope
 * without one, the form ledgers had before the hash). */
static void env_hash(tb *b, const char *isa06, const char *isa13,
                     uint64_t isa_hash)
{
  tb_env(b, isa06, isa13);
  b->env.isa_hash = isa_hash;
}

/* A one-line 837P claim of patient PAT, provider 111. */
static tb *claim1(const char *id, const char *code, const char *units,
                  int32_t from, int32_t to)
{
  tb *b = tb_new(C837_KIND_P, id, "PAT", "111");
  tb_line(b, code, units, from, to, "");
  return b;
}

/* Evaluates b, frees it, returns the verdict (its arrays are the
 * engine's until the next call). */
static c837_verdict run_free(fx *f, tb *b)
{
  c837_verdict v = run(f, b);
  free(b);
  return v;
}

/* ------------------------------------------------------------------ */
/* 5. Dates                                                            */
/* ------------------------------------------------------------------ */

/* A tracked line with no date of its own and none on the claim holds the
 * claim, with the claim and the line in the finding; with a date (its
 * own or the claim's, which the assembler gives it) it passes. */
static void test_service_date_missing(void **state)
{
  fx *f = fx_new(NULL);
  tb *b = claim1("ND1", "38225", "1", 0, 0);
  c837_verdict v;
  const c837_finding *x;
  (void)state;
  b->lines[0].date_to = 0;
  b->lines[0].date_source = 0;
  v = run(f, b);
  x = only(&v, C837_EDIT_SERVICE_DATE_MISSING);
  assert_int_equal(x->line, 0);
  assert_int_equal(x->severity, C837_SEV_ERROR);
  assert_int_equal(x->action, C837_ACT_HELD);
  assert_string_equal(x->carc, "16");
  assert_string_equal(x->rarc, "M52");
  assert_string_equal(x->detail,
                      "38225 has no date of service: it has no DTP*472, and "
                      "the claim has no DTP*472 or DTP*434 date to fall back "
                      "on; the date-based edits cannot judge it");
  assert_int_equal(v.disposition, C837_DISP_HELD);
  assert_int_equal(c837_engine_history_count(f->e), 0);
  /* its DTP*472 was there but not a date */
  b->lines[0].seg_dtp = 3;
  v = run_free(f, b);
  assert_string_equal(only(&v, C837_EDIT_SERVICE_DATE_MISSING)->detail,
                      "38225 has no date of service: its DTP*472 is not a "
                      "valid date, and the claim has no DTP*472 or DTP*434 "
                      "date to fall back on; the date-based edits cannot "
                      "judge it");
  /* an 837I line tracked by its revenue code alone */
  b = tb_new(C837_KIND_I, "ND2", "PAT", "111");
  tb_line(b, "", "1", 0, 0, "0871");
  b->lines[0].date_to = 0;
  v = run_free(f, b);
  assert_string_equal(only(&v, C837_EDIT_SERVICE_DATE_MISSING)->detail,
                      "revenue 0871 has no date of service: it has no "
                      "DTP*472, and the claim has no DTP*472 or DTP*434 date "
                      "to fall back on; the date-based edits cannot judge "
                      "it");
  assert_int_equal(v.disposition, C837_DISP_HELD);
  /* dated (by the claim: date_source 'C'): checked and passed */
  b = claim1("ND3", "38225", "1", 20250304, 0);
  b->lines[0].date_source = 'C';
  v = run_free(f, b);
  assert_int_equal(v.n_findings, 0);
  /* a line that is not tracked needs no date */
  b = claim1("ND4", "99213", "1", 0, 0);
  b->lines[0].date_to = 0;
  v = run_free(f, b);
  assert_int_equal(v.n_findings, 0);
  assert_int_equal(v.disposition, C837_DISP_PASSED);
  fx_free(f);
}

/* A per-day line over a range that runs past its code's last valid date
 * is split per day, the days after under the successor: 0537T on
 * 2024-12-30 .. 2025-01-02 goes out as 0537T, 0537T, 38225, 38225.  The
 * remembered line counts per code per day. */
static void test_range_past_valid_to_split(void **state)
{
  fx *f = fx_new(NULL);
  tb *b = claim1("X1", "0537T", "4", 20241230, 20250102);
  c837_verdict v;
  const c837_finding *x;
  (void)state;
  v = run_free(f, b);
  assert_int_equal(v.disposition, C837_DISP_FIXED);
  assert_int_equal(v.n_findings, 2);
  assert_int_equal(only(&v, C837_EDIT_RANGE_SPANS_DAYS)->action,
                   C837_ACT_FIXED);
  x = only(&v, C837_EDIT_CODE_DELETED);
  assert_int_equal(x->action, C837_ACT_FIXED);
  assert_string_equal(x->before, "0537T");
  assert_string_equal(x->after, "38225");
  assert_string_equal(x->detail,
                      "0537T is billed for 2024-12-30 to 2025-01-02, past "
                      "2024-12-31, its last valid date of service, and 38225 "
                      "replaces it from 2025-01-01 (fixed: the lines of the "
                      "split dated 2025-01-01 on carry 38225)");
  assert_int_equal(v.n_fixes, 2);
  assert_int_equal(v.fixes[0].kind, C837_FIX_SPLIT);
  assert_string_equal(v.fixes[0].value, "1");
  assert_int_equal(v.fixes[1].kind, C837_FIX_CODE_FROM);
  assert_string_equal(v.fixes[1].value, "38225");
  assert_int_equal(v.fixes[1].date, 20250101);
  /* a later claim: 38225 on 2025-01-02 is a duplicate of the split's
   * last day, 0537T on 2024-12-31 of its second */
  v = run_free(f, claim1("X2", "38225", "1", 20250102, 0));
  x = only(&v, C837_EDIT_DUPLICATE_DAY);
  assert_int_equal(x->action, C837_ACT_HELD);
  assert_string_equal(x->detail,
                      "38225 on 2025-01-02: 1 on this line plus 1 already "
                      "billed that day for the same patient and provider (0 "
                      "on this claim, 1 on earlier claims, first X1) exceed "
                      "the cap of 1 per day");
  v = run_free(f, claim1("X3", "0537T", "1", 20241231, 0));
  assert_int_equal(only(&v, C837_EDIT_DUPLICATE_DAY)->action, C837_ACT_HELD);
  /* a day after the range is no duplicate */
  v = run_free(f, claim1("X4", "38225", "1", 20250103, 0));
  assert_int_equal(count_edit(&v, C837_EDIT_DUPLICATE_DAY), 0);
  fx_free(f);
}

/* Billed under the successor from the first day: 38225 over the same
 * range is first fixed to 0537T (the code of its first day), then split,
 * the days from 2025-01-01 back under 38225. */
static void test_range_past_valid_to_successor_billed(void **state)
{
  fx *f = fx_new(NULL);
  c837_verdict v;
  (void)state;
  v = run_free(f, claim1("Y1", "38225", "4", 20241230, 20250102));
  assert_int_equal(v.disposition, C837_DISP_FIXED);
  assert_int_equal(count_edit(&v, C837_EDIT_CODE_NOT_EFFECTIVE), 1);
  assert_int_equal(count_edit(&v, C837_EDIT_CODE_DELETED), 1);
  assert_int_equal(v.n_fixes, 3);
  assert_int_equal(v.fixes[0].kind, C837_FIX_CODE);
  assert_string_equal(v.fixes[0].value, "0537T");
  assert_int_equal(v.fixes[1].kind, C837_FIX_SPLIT);
  assert_int_equal(v.fixes[2].kind, C837_FIX_CODE_FROM);
  assert_string_equal(v.fixes[2].value, "38225");
  assert_int_equal(v.fixes[2].date, 20250101);
  fx_free(f);
}

/* Not split (the units are not one per day), the line would go out with
 * a deleted code for the days after its valid-to date: held.  Within the
 * code's dates nothing changes (the boundary itself). */
static void test_range_past_valid_to_not_split_held(void **state)
{
  fx *f = fx_new(NULL);
  c837_verdict v;
  const c837_finding *x;
  (void)state;
  v = run_free(f, claim1("Z1", "0537T", "1", 20241230, 20250102));
  assert_int_equal(v.disposition, C837_DISP_HELD);
  assert_int_equal(only(&v, C837_EDIT_RANGE_SPANS_DAYS)->action,
                   C837_ACT_FLAGGED);
  x = only(&v, C837_EDIT_CODE_DELETED);
  assert_int_equal(x->action, C837_ACT_HELD);
  assert_string_equal(x->detail,
                      "0537T is billed for 2024-12-30 to 2025-01-02, past "
                      "2024-12-31, its last valid date of service, and the "
                      "line is not split per day (see RANGE_SPANS_DAYS): the "
                      "days from then on would go out under a deleted code");
  assert_int_equal(c837_engine_history_count(f->e), 0);
  /* ends exactly on the valid-to date: split, one code */
  v = run_free(f, claim1("Z2", "0537T", "2", 20241230, 20241231));
  assert_int_equal(v.disposition, C837_DISP_FIXED);
  assert_int_equal(count_edit(&v, C837_EDIT_CODE_DELETED), 0);
  assert_int_equal(v.n_fixes, 1);
  /* C9076 past 2021-09-30: Q2054 is its successor */
  v = run_free(f, claim1("Z3", "C9076", "3", 20210929, 20211001));
  assert_int_equal(v.n_fixes, 2);
  assert_int_equal(v.fixes[1].kind, C837_FIX_CODE_FROM);
  assert_string_equal(v.fixes[1].value, "Q2054");
  assert_int_equal(v.fixes[1].date, 20211001);
  fx_free(f);
}

/* ------------------------------------------------------------------ */
/* 16. Loop limits                                                     */
/* ------------------------------------------------------------------ */

/* A claim of n one-day 38225 lines on distinct days (from 2025-01-01),
 * then a 5-day range of 5 units: split only when the claim stays within
 * its loop 2400 limit. */
static c837_verdict range_after(fx *f, c837_kind k, size_t n)
{
  tb *b = tb_new(k, "L1", "PAT", "111");
  int32_t d0 = c837_date_to_days(20250101);
  size_t i;
  for (i = 0; i < n; i++)
    tb_line(b, "38225", "1", c837_days_to_date(d0 + (int32_t)i), 0,
            k == C837_KIND_I ? "0871" : "");
  tb_line(b, "0537T", "5", 20230301, 20230305,
          k == C837_KIND_I ? "0871" : "");
  return run_free(f, b);
}

static void test_split_within_loop_limit(void **state)
{
  fx *f;
  c837_verdict v;
  const c837_finding *x;
  (void)state;
  /* 837P: 45 + 5 = 50 lines, the limit: split */
  f = fx_new(NULL);
  v = range_after(f, C837_KIND_P, 45);
  x = only(&v, C837_EDIT_RANGE_SPANS_DAYS);
  assert_int_equal(x->action, C837_ACT_FIXED);
  assert_int_equal(v.n_fixes, 1);
  fx_free(f);
  /* 46 + 5 = 51: flagged, not split */
  f = fx_new(NULL);
  v = range_after(f, C837_KIND_P, 46);
  x = only(&v, C837_EDIT_RANGE_SPANS_DAYS);
  assert_int_equal(x->action, C837_ACT_FLAGGED);
  assert_string_equal(x->detail,
                      "0537T is billed per day but one line covers "
                      "2023-03-01 to 2023-03-05 (5 days); split per day, the "
                      "claim would have 51 service lines, more than the 50 "
                      "loop 2400 allows on an 837P claim, so it is not "
                      "split");
  assert_int_equal(v.n_fixes, 0);
  assert_int_equal(v.disposition, C837_DISP_PASSED);
  fx_free(f);
  /* 837I: 994 + 5 = 999 split, 995 + 5 = 1000 not */
  f = fx_new(NULL);
  v = range_after(f, C837_KIND_I, 994);
  assert_int_equal(only(&v, C837_EDIT_RANGE_SPANS_DAYS)->action,
                   C837_ACT_FIXED);
  fx_free(f);
  f = fx_new(NULL);
  v = range_after(f, C837_KIND_I, 995);
  assert_int_equal(only(&v, C837_EDIT_RANGE_SPANS_DAYS)->action,
                   C837_ACT_FLAGGED);
  fx_free(f);
}

/* A line removed as a duplicate makes room: 47 one-day lines, a
 * duplicate of the first (removed) and a 3-day range: 49 lines, 48 once
 * the duplicate goes, 50 with the split. */
static void test_split_limit_counts_removed_lines(void **state)
{
  fx *f = fx_new(NULL);
  tb *b = tb_new(C837_KIND_P, "L2", "PAT", "111");
  int32_t d0 = c837_date_to_days(20250101);
  c837_verdict v;
  size_t i;
  (void)state;
  for (i = 0; i < 47; i++)
    tb_line(b, "38225", "1", c837_days_to_date(d0 + (int32_t)i), 0, "");
  tb_line(b, "38225", "1", 20250101, 0, ""); /* a duplicate: removed */
  tb_line(b, "38226", "3", 20250301, 20250303, "");
  v = run_free(f, b);
  assert_int_equal(only(&v, C837_EDIT_DUPLICATE_DAY)->action,
                   C837_ACT_FIXED);
  assert_int_equal(only(&v, C837_EDIT_RANGE_SPANS_DAYS)->action,
                   C837_ACT_FIXED);
  fx_free(f);
}

/* ------------------------------------------------------------------ */
/* 3 and 4. Re-runs, resends and reused control numbers                */
/* ------------------------------------------------------------------ */

/* The history of a run over one claim C1 (38225 on 2025-03-01) read from
 * an interchange whose ISA hashed to h. */
static c837_hist *first_night(uint64_t h, size_t *n)
{
  fx *f = fx_new(NULL);
  tb *b = claim1("C1", "38225", "1", 20250301, 0);
  c837_hist *saved;
  env_hash(b, "SUBMITTER", "000000001", h);
  run_free(f, b);
  saved = save_history(f, n);
  fx_free(f);
  return saved;
}

static fx *second_night(const c837_hist *saved, size_t n)
{
  fx *f = fx_new(NULL);
  size_t i;
  for (i = 0; i < n; i++)
    assert_int_equal(c837_engine_add_history(f->e, &saved[i]), C837_OK);
  return f;
}

/* A new interchange that reuses ISA13 (another ISA: another date) is no
 * re-run: its claims see the ledger, and a duplicate day is held, also
 * when it reuses the CLM01 too (the same identity in numbers). */
static void test_reused_isa13_sees_ledger(void **state)
{
  size_t n;
  c837_hist *saved = first_night(0x1111, &n);
  fx *f;
  tb *b;
  c837_verdict v;
  (void)state;
  assert_int_equal(n, 2);
  assert_string_equal(saved[0].source,
                      "SUBMITTER|000000001#0000000000001111|1|0001");
  assert_string_equal(saved[1].source, "SUBMITTER|000000001#0000000000001111|");
  /* other claim id */
  f = second_night(saved, n);
  b = claim1("C2", "38225", "1", 20250301, 0);
  env_hash(b, "SUBMITTER", "000000001", 0x2223);
  v = run_free(f, b);
  assert_int_equal(only(&v, C837_EDIT_DUPLICATE_DAY)->action, C837_ACT_HELD);
  assert_int_equal(count_edit(&v, C837_EDIT_INTERCHANGE_REPEATED), 0);
  fx_free(f);
  /* the same CLM01: still another claim; a later day passes and both
   * lines are remembered */
  f = second_night(saved, n);
  b = claim1("C1", "38225", "1", 20250301, 0);
  env_hash(b, "SUBMITTER", "000000001", 0x2223);
  v = run_free(f, b);
  assert_int_equal(only(&v, C837_EDIT_DUPLICATE_DAY)->action, C837_ACT_HELD);
  b = claim1("C1", "38225", "1", 20250302, 0);
  env_hash(b, "SUBMITTER", "000000001", 0x2223);
  v = run_free(f, b);
  assert_int_equal(v.n_findings, 0);
  assert_int_equal(n_lines(f->e), 2);
  fx_free(f);
  free(saved);
}

/* The same interchange again (the same ISA): a resend or a re-run.  Its
 * claim is judged as the first time (its own line hidden), the history
 * stays the same, and INTERCHANGE_REPEATED names the earlier run, once
 * per interchange, on its first claim with CAR-T lines. */
static void test_resend_reported_once(void **state)
{
  size_t n, n2;
  c837_hist *saved = first_night(0x1111, &n), *again;
  fx *f = second_night(saved, n);
  tb *b;
  c837_verdict v;
  const c837_finding *x;
  (void)state;
  b = claim1("C1", "38225", "1", 20250301, 0);
  env_hash(b, "SUBMITTER", "000000001", 0x1111);
  v = run_free(f, b);
  assert_int_equal(v.n_findings, 1);
  x = only(&v, C837_EDIT_INTERCHANGE_REPEATED);
  assert_int_equal(x->line, C837_NO_INDEX);
  assert_int_equal(x->severity, C837_SEV_WARNING);
  assert_int_equal(x->action, C837_ACT_FLAGGED);
  assert_string_equal(x->carc, "18");
  assert_string_equal(x->detail,
                      "interchange 000000001 of sender SUBMITTER was read "
                      "before, by run 1 on 2025-06-01, with the same ISA "
                      "segment (sender, date, time, control number): a "
                      "resend or a re-run; its claims go out again");
  assert_int_equal(v.disposition, C837_DISP_PASSED);
  /* the next claim of the same interchange: not again */
  b = claim1("C9", "38226", "1", 20250302, 0);
  env_hash(b, "SUBMITTER", "000000001", 0x1111);
  v = run_free(f, b);
  assert_int_equal(count_edit(&v, C837_EDIT_INTERCHANGE_REPEATED), 0);
  again = save_history(f, &n2);
  assert_int_equal(n2, 3); /* C1 taken over, C9 new, the marker */
  assert_int_equal(again[0].run, 1);
  assert_int_equal(again[1].run, 2);
  free(again);
  fx_free(f);
  free(saved);
}

/* A rollback (a file that failed) takes the report back with the rest:
 * the interchange read again after it is reported again. */
static void test_resend_report_rolled_back(void **state)
{
  size_t n;
  c837_hist *saved = first_night(0x1111, &n);
  fx *f = second_night(saved, n);
  int round;
  (void)state;
  for (round = 0; round < 2; round++) {
    tb *b = claim1("C1", "38225", "1", 20250301, 0);
    c837_verdict v;
    env_hash(b, "SUBMITTER", "000000001", 0x1111);
    assert_int_equal(c837_engine_checkpoint(f->e), C837_OK);
    v = run_free(f, b);
    assert_int_equal(count_edit(&v, C837_EDIT_INTERCHANGE_REPEATED), 1);
    c837_engine_rollback(f->e);
  }
  fx_free(f);
  free(saved);
}

/* A ledger written before sources carried the ISA's hash: its lines are
 * recognised as the same lines read again when their control numbers,
 * CLM01, LX, code as billed and dates match (no duplicate of itself;
 * taken over and rewritten with the hash, run kept); a line that only
 * shares the numbers is another line. */
static void test_legacy_ledger_rows(void **state)
{
  fx *f = fx_new(NULL);
  c837_hist h = hist_38225("SUBMITTER|000000001|1|0001", "111");
  tb *b;
  c837_verdict v;
  (void)state;
  h.run = 4;
  assert_int_equal(c837_engine_add_history(f->e, &h), C837_OK);
  b = claim1("C1", "38225", "1", 20250301, 0);
  env_hash(b, "SUBMITTER", "000000001", 0x1111);
  v = run_free(f, b);
  assert_int_equal(v.n_findings, 0);
  assert_int_equal(n_lines(f->e), 1);
  assert_string_equal(line_at(f->e, 0)->source,
                      "SUBMITTER|000000001#0000000000001111|1|0001");
  assert_int_equal(line_at(f->e, 0)->run, 4);
  fx_free(f);
  /* the same numbers, another day: not the same line; both counted */
  f = fx_new(NULL);
  assert_int_equal(c837_engine_add_history(f->e, &h), C837_OK);
  b = claim1("C1", "38225", "1", 20250302, 0);
  env_hash(b, "SUBMITTER", "000000001", 0x1111);
  tb_line(b, "38225", "1", 20250301, 0, "");
  v = run_free(f, b);
  assert_int_equal(only(&v, C837_EDIT_DUPLICATE_DAY)->line, 1);
  fx_free(f);
}

/* ------------------------------------------------------------------ */
/* 14. Bounded per patient                                             */
/* ------------------------------------------------------------------ */

/* One patient with 12000 claims, one line each, a collection or an
 * apheresis (watch code) every day:
 * every claim is judged against the right remembered lines (a duplicate
 * of the first day is found at the end, an administration after the
 * last collection sees it, and the earliest collection counts for
 * PRIOR_STEP_MISSING / STEP_OUT_OF_ORDER), whatever the size. */
static void test_big_patient_results(void **state)
{
  fx *f = fx_new(NULL);
  int32_t d0 = c837_date_to_days(20250101);
  c837_verdict v;
  char id[16];
  int i;
  (void)state;
  for (i = 0; i < 12000; i++) {
    snprintf(id, sizeof id, "B%d", i);
    v = run_free(f, claim1(id, i % 2 ? "36511" : "38225", "1",
                           c837_days_to_date(d0 + i), 0));
    assert_int_equal(v.n_findings, 0);
  }
  assert_int_equal(n_lines(f->e), 12000);
  /* a duplicate of the first day, read last */
  v = run_free(f, claim1("DUP", "38225", "1", 20250101, 0));
  assert_string_equal(only(&v, C837_EDIT_DUPLICATE_DAY)->detail,
                      "38225 on 2025-01-01: 1 on this line plus 1 already "
                      "billed that day for the same patient and provider (0 "
                      "on this claim, 1 on earlier claims, first B0) exceed "
                      "the cap of 1 per day");
  /* a receipt dated before the earliest collection: out of order */
  v = run_free(f, claim1("EARLY", "0539T", "1", 20241231, 0));
  assert_int_equal(count_edit(&v, C837_EDIT_STEP_OUT_OF_ORDER), 1);
  assert_int_equal(count_edit(&v, C837_EDIT_PRIOR_STEP_MISSING), 0);
  /* an administration 20 days after the last collection */
  v = run_free(f, claim1("ADM", "38228", "1",
                         c837_days_to_date(d0 + 11998 + 20), 0));
  assert_int_equal(count_edit(&v, C837_EDIT_INFUSION_TOO_SOON), 0);
  assert_int_equal(count_edit(&v, C837_EDIT_PRIOR_STEP_MISSING), 0);
  v = run_free(f, claim1("ADM2", "38228", "1",
                         c837_days_to_date(d0 + 11998 + 5), 0));
  assert_string_equal(only(&v, C837_EDIT_INFUSION_TOO_SOON)->detail,
                      "administration 38228 on 2057-11-12 is 5 days after "
                      "the patient's latest collection (38225 on "
                      "2057-11-07); at least 14 days are expected");
  assert_string_equal(only(&v, C837_EDIT_REPEAT_ADMINISTRATION)->detail,
                      "administration 38228 on 2057-11-12 is a second "
                      "course for this patient: 38228 is dated 2057-11-27 "
                      "(15 days apart, window 365 days, payer class "
                      "unknown)");
  fx_free(f);
}

/* More lines to compare one claim with than C837_MAX_PATIENT_EVENTS:
 * held unchecked, nothing remembered; at the limit, checked. */
static void test_patient_events_limit(void **state)
{
  int over;
  (void)state;
  for (over = 0; over < 2; over++) {
    fx *f = fx_new(NULL);
    c837_hist h = hist_38225("S|1|1|0001", "111");
    c837_verdict v;
    int i, n = C837_MAX_PATIENT_EVENTS - 1 + over;
    snprintf(h.code, sizeof h.code, "36511");
    snprintf(h.billed, sizeof h.billed, "36511");
    h.family = C837_FAM_WATCH;
    h.step = 0;
    for (i = 0; i < n; i++) {
      snprintf(h.claim_id, sizeof h.claim_id, "W%d", i);
      assert_int_equal(c837_engine_add_history(f->e, &h), C837_OK);
    }
    v = run_free(f, claim1("P1", "38225", "1", 20250301, 0));
    if (over) {
      const c837_finding *x = only(&v, C837_EDIT_PATIENT_LINES_LIMIT);
      assert_int_equal(v.n_findings, 1);
      assert_int_equal(x->line, C837_NO_INDEX);
      assert_int_equal(x->action, C837_ACT_HELD);
      assert_string_equal(x->detail,
                          "this claim's CAR-T and watch-code lines and the "
                          "patient's remembered lines near their dates are "
                          "more than the 2000 lines the edits compare one "
                          "claim with; held unchecked");
      assert_int_equal(v.disposition, C837_DISP_HELD);
      assert_int_equal(n_lines(f->e), (size_t)n);
    } else {
      /* checked: the step meets the first watch code of the day */
      assert_int_equal(only(&v, C837_EDIT_HPC_CODE_WITH_CART)->action,
                       C837_ACT_FLAGGED);
      assert_int_equal(n_lines(f->e), (size_t)n + 1);
    }
    /* a patient whose lines are far from the claim's dates is not */
    v = run_free(f, claim1("P2", "38225", "1", 20300301, 0));
    assert_int_equal(count_edit(&v, C837_EDIT_PATIENT_LINES_LIMIT), 0);
    fx_free(f);
  }
}

/* A patient with C837_MAX_PATIENT_LINES remembered lines: a claim that
 * adds one more is held unchecked; one that only reads its own lines
 * again is not. */
static void test_patient_lines_limit(void **state)
{
  fx *f = fx_new(NULL);
  c837_hist h = hist_38225("S|1|1|0001", "111");
  int32_t d0 = c837_date_to_days(20190101); /* Q2041 is valid from 2018-04-01 */
  c837_verdict v;
  tb *b;
  int i;
  (void)state;
  snprintf(h.code, sizeof h.code, "Q2041");
  snprintf(h.billed, sizeof h.billed, "Q2041");
  h.family = C837_FAM_PRODUCT;
  h.step = 0;
  for (i = 0; i < C837_MAX_PATIENT_LINES; i++) {
    snprintf(h.claim_id, sizeof h.claim_id, "H%d", i);
    h.date_from = h.date_to = c837_days_to_date(d0 + i);
    assert_int_equal(c837_engine_add_history(f->e, &h), C837_OK);
  }
  v = run_free(f, claim1("NEW", "Q2041", "1", 20990101, 0));
  assert_string_equal(only(&v, C837_EDIT_PATIENT_LINES_LIMIT)->detail,
                      "the patient has 20000 remembered CAR-T and watch-code "
                      "lines and this claim would add 1: more than the 20000 "
                      "kept for one patient; held unchecked");
  assert_int_equal(v.disposition, C837_DISP_HELD);
  /* H5 read again (the same source, claim, line): not a new line */
  b = claim1("H5", "Q2041", "1", c837_days_to_date(d0 + 5), 0);
  tb_env(b, "S", "1");
  v = run_free(f, b);
  assert_int_equal(count_edit(&v, C837_EDIT_PATIENT_LINES_LIMIT), 0);
  assert_int_equal(v.disposition, C837_DISP_PASSED);
  assert_int_equal(n_lines(f->e), (size_t)C837_MAX_PATIENT_LINES);
  fx_free(f);
}

/* The run's limit on remembered lines (options.max_lines): a claim whose
 * new lines would pass it is held unchecked with RUN_LINES_LIMIT, a
 * ledger that holds more is refused with C837_ELIMIT. */
static void test_run_lines_limit(void **state)
{
  c837_edit_options o;
  fx *f;
  c837_hist h = hist_38225("S|1|1|0001", "111");
  c837_verdict v;
  tb *b;
  (void)state;
  c837_edit_options_default(&o);
  assert_int_equal(o.max_lines, 0);
  o.max_lines = 3;
  f = fx_new(&o);
  assert_int_equal(c837_engine_add_history(f->e, &h), C837_OK);
  b = claim1("R2", "38225", "1", 20250302, 0);
  tb_line(b, "38226", "1", 20250303, 0, "");
  v = run_free(f, b);
  assert_int_equal(v.n_findings, 0);
  assert_int_equal(n_lines(f->e), 3);
  v = run_free(f, claim1("R3", "38227", "1", 20250304, 0));
  assert_string_equal(only(&v, C837_EDIT_RUN_LINES_LIMIT)->detail,
                      "this run remembers at most 3 CAR-T and watch-code "
                      "lines (from the ledger and new), holds 3 and this "
                      "claim would add 1: they could not be remembered, so "
                      "later claims could not be checked against them; held "
                      "unchecked");
  assert_int_equal(v.disposition, C837_DISP_HELD);
  assert_int_equal(n_lines(f->e), 3);
  /* C1 of the ledger read again: no new line, checked */
  b = claim1("C1", "38225", "1", 20250301, 0);
  tb_env(b, "S", "1");
  v = run_free(f, b);
  assert_int_equal(v.n_findings, 0);
  /* a ledger with more lines than the limit */
  snprintf(h.claim_id, sizeof h.claim_id, "C4");
  assert_int_equal(c837_engine_add_history(f->e, &h), C837_ELIMIT);
  assert_string_equal(c837_status_name(C837_ELIMIT), "ELIMIT");
  assert_int_equal(c837_status_class(C837_ELIMIT), C837_CLASS_MEMORY);
  fx_free(f);
}

/* A rollback restores the indexes: lines remembered after the checkpoint
 * are gone from the patient's index, lines voided after it are back. */
static void test_rollback_restores_patient_index(void **state)
{
  fx *f = fx_new(NULL);
  c837_verdict v;
  tb *b;
  (void)state;
  v = run_free(f, claim1("K1", "38225", "1", 20250301, 0));
  assert_int_equal(c837_engine_checkpoint(f->e), C837_OK);
  v = run_free(f, claim1("K2", "38225", "1", 20250310, 0));
  b = claim1("K1", "38225", "1", 20250301, 0);
  snprintf(b->c.freq, sizeof b->c.freq, "8");
  run_free(f, b);
  c837_engine_rollback(f->e);
  /* K1 counts again, K2 does not */
  v = run_free(f, claim1("K3", "38225", "1", 20250301, 0));
  assert_int_equal(only(&v, C837_EDIT_DUPLICATE_DAY)->action, C837_ACT_HELD);
  v = run_free(f, claim1("K4", "38225", "1", 20250310, 0));
  assert_int_equal(count_edit(&v, C837_EDIT_DUPLICATE_DAY), 0);
  fx_free(f);
}

/* ------------------------------------------------------------------ */
/* The corrected output of a split past a code's valid-to date         */
/* ------------------------------------------------------------------ */

typedef struct pipe {
  c837_engine *e;
  c837_writer *w;
  const c837_verdict *force; /* when set, the verdict of every claim */
  int rc;                    /* the last c837_writer_claim's */
  c837_status st;            /* and c837_writer_error's after it */
  c837_error err;
} pipe_t;

static int p_segment(void *ud, const c837_segment *s, c837_role role,
                     const c837_envelope *env)
{
  pipe_t *p = ud;
  return c837_writer_segment(p->w, s, role, env);
}

static int p_claim(void *ud, const c837_claim *c)
{
  pipe_t *p = ud;
  c837_verdict v;
  if (p->force) {
    p->rc = c837_writer_claim(p->w, c, p->force);
    p->st = c837_writer_error(p->w, &p->err);
    return 0;
  }
  assert_int_equal(c837_engine_claim(p->e, c, &v), C837_OK);
  return p->rc = c837_writer_claim(p->w, c, &v);
}

static int mem_put(void *ud, const void *p, size_t n)
{
  buf_add(ud, p, n);
  return 0;
}

/* The 837P claim of test_split_output_codes: one line of 0537T, 4 units
 * over 2024-12-30 .. 2025-01-02. */
static const char SPLIT_IN[] =
    "ISA*00*          *00*          *ZZ*S              *ZZ*R              "
    "*250101*1200*^*00501*000000001*0*T*:~"
    "GS*HC*S*R*20250101*1200*1*X*005010X222A1~"
    "ST*837*0001*005010X222A1~"
    "HL*1**20*1~NM1*85*2*P*****XX*111~"
    "HL*2*1*22*0~NM1*IL*1*A*B****MI*M1~"
    "CLM*C1*400***11:B:1~"
    "LX*1~SV1*HC:0537T:GA*400*UN*4***1~DTP*472*RD8*20241230-20250102~"
    "SE*10*0001~GE*1*1~IEA*1*000000001~";

/* Runs in through the assembler, the engine (or p->force) and a writer
 * into out. */
static void pipe_run(pipe_t *p, const char *in, buf *out)
{
  c837_sink so = {mem_put, out};
  c837_codetable *t;
  c837_error err;
  c837_handler h;
  c837_assembler *a;
  c837_tokenizer *tk;
  memset(&err, 0, sizeof err);
  t = c837_codetable_builtin(&err);
  assert_non_null(t);
  p->e = c837_engine_new(t, NULL);
  p->w = c837_writer_new(&so, NULL);
  assert_non_null(p->e);
  assert_non_null(p->w);
  memset(&h, 0, sizeof h);
  h.segment = p_segment;
  h.claim = p_claim;
  h.ud = p;
  a = c837_assembler_new(&h);
  tk = c837_tokenizer_new(c837_assembler_segment, a);
  assert_int_equal(c837_tokenizer_feed(tk, in, strlen(in)), C837_OK);
  assert_int_equal(c837_tokenizer_finish(tk), C837_OK);
  assert_int_equal(c837_assembler_finish(a), C837_OK);
  c837_tokenizer_free(tk);
  c837_assembler_free(a);
  c837_engine_free(p->e);
  c837_codetable_free(t);
}

/* A CODE_FROM the writer cannot apply -- on a line that is not split, or
 * with a date that is not one -- is refused (C837_EINVAL), the writer
 * unchanged. */
static void test_code_from_refused(void **state)
{
  c837_fix fix[2];
  c837_verdict v;
  int k;
  (void)state;
  for (k = 0; k < 2; k++) {
    pipe_t p;
    buf out = {0, 0, 0};
    memset(&p, 0, sizeof p);
    memset(fix, 0, sizeof fix);
    memset(&v, 0, sizeof v);
    fix[0].kind = C837_FIX_SPLIT;
    snprintf(fix[0].value, sizeof fix[0].value, "1");
    fix[1].kind = C837_FIX_CODE_FROM;
    snprintf(fix[1].value, sizeof fix[1].value, "38225");
    fix[1].date = k ? 20250230 : 20250101;
    v.disposition = C837_DISP_FIXED;
    v.fixes = k ? fix : fix + 1;
    v.n_fixes = k ? 2 : 1;
    p.force = &v;
    pipe_run(&p, SPLIT_IN, &out);
    assert_int_equal(p.rc, -1);
    assert_int_equal(p.st, C837_EINVAL);
    assert_string_equal(p.err.msg,
                        k ? "claim C1 line 1: code change on a date that is "
                            "not one (20250230)"
                          : "claim C1 line 1: a code change from a date on a "
                            "line that is not split");
    c837_writer_free(p.w);
    free(out.p);
  }
}

static void test_split_output_codes(void **state)
{
  static const char want[] =
      "ISA*00*          *00*          *ZZ*S              *ZZ*R              "
      "*250101*1200*^*00501*000000001*0*T*:~"
      "GS*HC*S*R*20250101*1200*1*X*005010X222A1~"
      "ST*837*0001*005010X222A1~"
      "HL*1**20*1~NM1*85*2*P*****XX*111~"
      "HL*2*1*22*0~NM1*IL*1*A*B****MI*M1~"
      "CLM*C1*400***11:B:1~"
      "LX*1~SV1*HC:0537T:GA*100*UN*1***1~DTP*472*D8*20241230~"
      "LX*2~SV1*HC:0537T:GA*100*UN*1***1~DTP*472*D8*20241231~"
      "LX*3~SV1*HC:38225:GA*100*UN*1***1~DTP*472*D8*20250101~"
      "LX*4~SV1*HC:38225:GA*100*UN*1***1~DTP*472*D8*20250102~"
      "SE*19*0001~GE*1*1~IEA*1*000000001~";
  buf out = {0, 0, 0};
  pipe_t p;
  (void)state;
  memset(&p, 0, sizeof p);
  pipe_run(&p, SPLIT_IN, &out);
  assert_int_equal(p.rc, 0);
  assert_int_equal(c837_writer_finish(p.w, NULL, NULL), C837_OK);
  assert_string_equal(out.p, want);
  c837_writer_free(p.w);
  free(out.p);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_service_date_missing),
      cmocka_unit_test(test_range_past_valid_to_split),
      cmocka_unit_test(test_range_past_valid_to_successor_billed),
      cmocka_unit_test(test_range_past_valid_to_not_split_held),
      cmocka_unit_test(test_split_within_loop_limit),
      cmocka_unit_test(test_split_limit_counts_removed_lines),
      cmocka_unit_test(test_reused_isa13_sees_ledger),
      cmocka_unit_test(test_resend_reported_once),
      cmocka_unit_test(test_resend_report_rolled_back),
      cmocka_unit_test(test_legacy_ledger_rows),
      cmocka_unit_test(test_big_patient_results),
      cmocka_unit_test(test_patient_events_limit),
      cmocka_unit_test(test_patient_lines_limit),
      cmocka_unit_test(test_run_lines_limit),
      cmocka_unit_test(test_rollback_restores_patient_index),
      cmocka_unit_test(test_split_output_codes),
      cmocka_unit_test(test_code_from_refused),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
