/* test_internal_gather.c -- the windows of hist_gather.c agree with a
 * comparison against the whole history
 *
 * Internal (includes edit/engine_int.h through claimedits_fx.h): two
 * engines judge the same claims, one gathering the remembered lines of
 * the windows of hist_gather.c, the other (engine field gather_all,
 * tests only) every remembered line of the patient, the exhaustive
 * evaluation.  Their findings must be the same, detail for detail, in
 * the same order: a line outside the windows can change no finding.  The
 * claims are drawn from a fixed seed over a few patients and several
 * years: steps, CAR-T products (the split dose of Q2058 among them),
 * TCR-T, TIL and stem-cell gene therapy products by code or by the NDC
 * of an unclassified code, watch codes, inpatient stays with and
 * without lines (PAYMENT_WINDOW), voids, and payer classes whose
 * REPEAT_ADMINISTRATION window is 365 days or lifetime.
 */
#include "claimedits_fx.h"

/* A small deterministic generator (xorshift32): the same claims on every
 * run. */
static uint32_t rnd_state;

static uint32_t rnd(uint32_t n)
{
  rnd_state ^= rnd_state << 13;
  rnd_state ^= rnd_state >> 17;
  rnd_state ^= rnd_state << 5;
  return rnd_state % n;
}

/* A day of 2024-01-01 .. about 2026-12 as CCYYMMDD. */
static int32_t rnd_date(void)
{
  return c837_days_to_date(c837_date_to_days(20240101) + (int32_t)rnd(1000));
}

/* Codes drawn for the lines, with an NDC for the unclassified ones. */
static const struct {
  const char *code, *ndc, *rev;
} pool[] = {
    {"38225", "", "0871"}, {"38226", "", "0872"}, {"38227", "", "0873"},
    {"38228", "", "0874"}, {"0540T", "", "0874"}, {"Q2041", "", "0891"},
    {"Q2058", "", "0891"}, {"Q2058", "", "0891"}, {"Q2057", "", "0891"},
    {"J3392", "", "0891"}, {"J3590", "73776000112", "0891"},
    {"J3590", "71287011902", "0891"}, {"J3590", "", "0636"},
    {"Q2043", "", "0891"}, {"38206", "", "0819"}, {"36511", "", "0819"},
};

static const char *const filings[] = {"MA", "MB", "CI", "MC", "BL"};
static const char *const patients[] = {"P1", "P2", "P3"};
static const char *const npis[] = {"1234567893", "1111111112"};

/* A random claim number k. */
static cb *random_claim(unsigned k)
{
  char id[16];
  const char *pat = patients[rnd(3)], *npi = npis[rnd(2)];
  const char *filing = filings[rnd(5)];
  unsigned kind = rnd(10), n, i;
  int32_t day = rnd_date();
  cb *b;
  snprintf(id, sizeof id, "C%u", k);
  if (kind < 2) {
    /* an inpatient stay, a line or none */
    int32_t to = c837_days_to_date(c837_date_to_days(day) + (int32_t)rnd(6));
    b = cb_inpatient(id, pat, npi, filing, day, to);
    if (rnd(2))
      cb_px(b, "XW033H7", day);
    n = rnd(2);
  } else {
    b = cb_new(kind < 7 ? C837_KIND_I : C837_KIND_P, id, pat, npi, filing,
               rnd(3) ? "131" : "121");
    n = 1 + rnd(3);
  }
  for (i = 0; i < n; i++) {
    unsigned c = rnd(sizeof pool / sizeof pool[0]);
    int32_t d = c837_days_to_date(c837_date_to_days(day) + (int32_t)rnd(15));
    c837_line *l = cb_line(b, pool[c].code, "1", d,
                           b->c.kind == C837_KIND_I ? pool[c].rev : "",
                           100000);
    if (pool[c].ndc[0])
      cb_ndc(l, pool[c].ndc);
  }
  return b;
}

/* The findings of one claim in both engines: the same ones, in the same
 * order. */
static void same_verdict(const c837_verdict *a, const c837_verdict *b,
                         const char *id)
{
  size_t i;
  if (a->n_findings != b->n_findings)
    fprintf(stderr, "claim %s: %zu findings windowed, %zu exhaustive\n", id,
            a->n_findings, b->n_findings);
  assert_int_equal(a->n_findings, b->n_findings);
  for (i = 0; i < a->n_findings; i++) {
    assert_int_equal(a->findings[i].edit, b->findings[i].edit);
    assert_int_equal(a->findings[i].line, b->findings[i].line);
    assert_string_equal(a->findings[i].detail, b->findings[i].detail);
  }
  assert_int_equal(a->disposition, b->disposition);
}

/* Claims of seed s through both engines; returns how many findings the
 * edits that read remembered lines made, so that the test proves it
 * compared something. */
static size_t run_seed(uint32_t s, unsigned n_claims)
{
  fx *w = fx_new(), *x = fx_new();
  size_t hist_findings = 0, i;
  unsigned k;
  x->e->gather_all = 1;
  rnd_state = s;
  for (k = 0; k < n_claims; k++) {
    cb *b = random_claim(k);
    c837_verdict va, vb;
    if (k > 10 && rnd(25) == 0) {
      /* a void of an earlier claim */
      snprintf(b->c.freq, sizeof b->c.freq, "8");
      snprintf(b->c.id, sizeof b->c.id, "C%u", rnd(k));
    }
    va = run(w, b);
    vb = run(x, b);
    same_verdict(&va, &vb, b->c.id);
    for (i = 0; i < va.n_findings; i++) {
      c837_edit ed = va.findings[i].edit;
      hist_findings += ed == C837_EDIT_REPEAT_ADMINISTRATION ||
                       ed == C837_EDIT_STEP_OUT_OF_ORDER ||
                       ed == C837_EDIT_PAYMENT_WINDOW ||
                       ed == C837_EDIT_PRIOR_STEP_MISSING ||
                       ed == C837_EDIT_INFUSION_TOO_SOON;
    }
    free(b);
  }
  fx_free(w);
  fx_free(x);
  return hist_findings;
}

static void test_windows_match_whole_history(void **state)
{
  uint32_t s;
  size_t n = 0;
  (void)state;
  for (s = 1; s <= 6; s++)
    n += run_seed(s * 2654435761u, 400);
  /* the claims make the edits that read the history fire */
  assert_true(n > 100);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_windows_match_whole_history),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
