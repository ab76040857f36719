/* test_internal_fastpath.c -- unit tests of the fast path's test,
 * c837_engine_pass (src/edit/engine.c)
 *
 * An internal test (it builds claims with tests/engine_fx.h, which
 * includes the engine's private headers).  c837_engine_pass must say 1
 * only for a claim c837_engine_claim would pass untouched (no finding,
 * no fix, nothing remembered or cancelled), and then give the very
 * verdict c837_engine_claim gives; for every other claim it must say 0
 * and leave the verdict alone.  Each case is tested alone, then a
 * random mix of claims is judged by two engines side by side -- one
 * asking c837_engine_pass first, one judging every claim in full -- and
 * every verdict and the remembered history must agree claim by claim.
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
#include "engine_fx.h"

/* c837_engine_pass on b: its answer; when 1, the verdict must be the
 * passed, empty one. */
static int pass(fx *f, tb *b, c837_verdict *v)
{
  int r;
  memset(v, 0x5a, sizeof *v);
  r = c837_engine_pass(f->e, &b->c, v);
  if (r) {
    assert_int_equal(v->n_findings, 0);
    assert_int_equal(v->n_fixes, 0);
    assert_int_equal(v->findings_dropped, 0);
    assert_int_equal(v->disposition, C837_DISP_PASSED);
  } else {
    unsigned char *p = (unsigned char *)v;
    size_t i;
    for (i = 0; i < sizeof *v; i++)
      assert_int_equal(p[i], 0x5a); /* untouched */
  }
  return r;
}

static void test_clean_professional_claim_passes(void **state)
{
  fx *f = fx_new(NULL);
  tb *b = tb_new(C837_KIND_P, "C1", "PAT1", "1111111111");
  c837_verdict v;
  (void)state;
  tb_line(b, "99213", "1", 20250304, 0, "");
  tb_line(b, "85025", "2", 20250304, 0, "");
  assert_int_equal(pass(f, b, &v), 1);
  assert_int_equal(c837_engine_history_count(f->e), 0);
  free(b);
  fx_free(f);
}

static void test_tracked_lines_do_not_pass(void **state)
{
  fx *f = fx_new(NULL);
  tb *b = tb_new(C837_KIND_P, "C2", "PAT2", "1111111111");
  tb *i = tb_new(C837_KIND_I, "C3", "PAT3", "2222222222");
  tb *r = tb_new(C837_KIND_I, "C4", "PAT4", "2222222222");
  c837_verdict v;
  (void)state;
  tb_line(b, "99213", "1", 20250304, 0, "");
  tb_line(b, "38228", "1", 20250304, 0, ""); /* a CAR-T code */
  assert_int_equal(pass(f, b, &v), 0);
  tb_line(i, "Q2041", "1", 20250304, 0, "0891"); /* a product */
  assert_int_equal(pass(f, i, &v), 0);
  tb_line(r, "", "1", 20250304, 0, "0891"); /* a revenue code alone */
  assert_int_equal(pass(f, r, &v), 0);
  free(b);
  free(i);
  free(r);
  fx_free(f);
}

static void test_voids_replacements_inpatient_do_not_pass(void **state)
{
  fx *f = fx_new(NULL);
  tb *b = tb_new(C837_KIND_P, "C5", "PAT5", "1111111111");
  tb *ip = tb_new(C837_KIND_I, "C6", "PAT6", "2222222222");
  c837_verdict v;
  (void)state;
  tb_line(b, "99213", "1", 20250304, 0, "");
  snprintf(b->c.freq, sizeof b->c.freq, "8");
  assert_int_equal(pass(f, b, &v), 0);
  snprintf(b->c.freq, sizeof b->c.freq, "7");
  assert_int_equal(pass(f, b, &v), 0);
  snprintf(b->c.freq, sizeof b->c.freq, "1");
  assert_int_equal(pass(f, b, &v), 1);
  tb_line(ip, "", "1", 20250304, 0, "0120");
  snprintf(ip->c.tob, sizeof ip->c.tob, "111");
  assert_int_equal(pass(f, ip, &v), 0); /* inpatient: judged in full */
  snprintf(ip->c.tob, sizeof ip->c.tob, "131");
  assert_int_equal(pass(f, ip, &v), 1);
  free(b);
  free(ip);
  fx_free(f);
}

/* A claim that is neither 837P nor 837I is judged by no edit: it takes
 * the fast path with an empty verdict -- unless it has a tracked line,
 * which lines.csv, the audit and the episodes show whatever the kind
 * (an 837D with a Q2041 line took the fast path and lost its row: found
 * by the pipeline fuzzer's check 9). */
static void test_other_kinds_pass_with_empty_verdict(void **state)
{
  fx *f = fx_new(NULL);
  tb *b = tb_new(C837_KIND_D, "D1", "PAT", "111");
  tb *t = tb_new(C837_KIND_D, "D2", "PAT", "111");
  tb *u = tb_new(C837_KIND_UNKNOWN, "U1", "PAT", "111");
  c837_verdict v;
  (void)state;
  tb_line(b, "D0120", "1", 20250304, 0, "");
  assert_int_equal(pass(f, b, &v), 1); /* c837_engine_claim: empty too */
  assert_int_equal(v.n_findings, 0);
  tb_line(t, "Q2041", "1", 20250304, 0, "");
  assert_int_equal(pass(f, t, &v), 0); /* its line has its rows */
  tb_line(u, "38228", "1", 20250304, 0, "");
  assert_int_equal(pass(f, u, &v), 0);
  free(b);
  free(t);
  free(u);
  fx_free(f);
}

/* A small deterministic generator (the test must not depend on rand). */
static uint32_t next(uint32_t *s)
{
  *s = *s * 1103515245u + 12345u;
  return (*s >> 16) & 0x7fffu;
}

/* A random claim: kind, frequency, type of bill, 1-4 lines of codes
 * tracked and not, dates in a few weeks, patients that repeat. */
static tb *random_claim(uint32_t *s, int k)
{
  static const char *codes[] = {"99213", "85025", "38225", "99214",
                                "80053", "38228", "Q2041", "0537T",
                                "J9999", "96413", "36511", ""};
  static const char *revs[] = {"", "0300", "0891", "0874", "0871", "0450"};
  static const char *freqs[] = {"1", "1", "1", "1", "7", "8"};
  static const char *tobs[] = {"131", "131", "111", "121", "851"};
  char id[16], pat[16];
  c837_kind kind = next(s) % 5 == 0 ? C837_KIND_I : C837_KIND_P;
  tb *b;
  size_t n, j;
  snprintf(id, sizeof id, "R%d", k % 40);
  snprintf(pat, sizeof pat, "P%u", next(s) % 6);
  b = tb_new(kind, id, pat, next(s) % 2 ? "1111111111" : "2222222222");
  snprintf(b->c.freq, sizeof b->c.freq, "%s", freqs[next(s) % 6]);
  if (kind == C837_KIND_I)
    snprintf(b->c.tob, sizeof b->c.tob, "%.2s%s", tobs[next(s) % 5],
             b->c.freq);
  n = 1 + next(s) % 3;
  for (j = 0; j < n; j++) {
    const char *code = next(s) % 2 ? "99213" : codes[next(s) % 12];
    const char *rev = kind == C837_KIND_I ? revs[next(s) % 6] : "";
    if (!code[0] && !rev[0])
      code = "99213";
    tb_line(b, code, next(s) % 3 ? "1" : "2",
            20250301 + (int32_t)(next(s) % 25), 0, rev);
  }
  return b;
}

static void test_random_claims_agree_with_the_full_path(void **state)
{
  fx *fast = fx_new(NULL), *full = fx_new(NULL);
  uint32_t seed = 837;
  int k, passed = 0, judged = 0;
  (void)state;
  for (k = 0; k < 3000; k++) {
    tb *b = random_claim(&seed, k);
    c837_verdict a, w;
    size_t i;
    if (c837_engine_pass(fast->e, &b->c, &a)) {
      passed++;
    } else {
      judged++;
      assert_int_equal(c837_engine_claim(fast->e, &b->c, &a), C837_OK);
    }
    assert_int_equal(c837_engine_claim(full->e, &b->c, &w), C837_OK);
    assert_int_equal(a.disposition, w.disposition);
    assert_int_equal(a.n_findings, w.n_findings);
    assert_int_equal(a.n_fixes, w.n_fixes);
    assert_int_equal(a.findings_dropped, w.findings_dropped);
    for (i = 0; i < a.n_findings; i++) {
      assert_int_equal(a.findings[i].edit, w.findings[i].edit);
      assert_int_equal(a.findings[i].line, w.findings[i].line);
      assert_string_equal(a.findings[i].detail, w.findings[i].detail);
    }
    assert_int_equal(c837_engine_history_count(fast->e),
                     c837_engine_history_count(full->e));
    free(b);
  }
  print_message("fast path %d, full path %d\n", passed, judged);
  /* both paths were taken, many times */
  assert_true(passed > 500);
  assert_true(judged > 500);
  fx_free(fast);
  fx_free(full);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_clean_professional_claim_passes),
      cmocka_unit_test(test_tracked_lines_do_not_pass),
      cmocka_unit_test(test_voids_replacements_inpatient_do_not_pass),
      cmocka_unit_test(test_other_kinds_pass_with_empty_verdict),
      cmocka_unit_test(test_random_claims_agree_with_the_full_path),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
