/* test_internal_writer.c -- unit tests of the corrected / held 837 writer
 *
 * X12 text goes through the real tokenizer and assembler into the writer;
 * verdicts are made by hand per claim id (disposition and fixes), outputs
 * go to memory sinks, and every test asserts the EXACT bytes of both
 * outputs.  Expected outputs are spelled out with the same building
 * blocks as the input (macros below), so each test shows what changed:
 * a held claim's HL loop gone and later HL ids shifted, an SE01 recount,
 * an LX renumbered, a CLM02 re-summed.  When python3 is present, the
 * outputs are also re-checked by tests/x12check.py, which shares no code
 * with the writer (one x12check.py --batch per test: $PYTHON, else
 * python3).
 *
 * Partly an internal test: it includes src/write/writer_int.h for
 * c837_w_raw (the unparsed tail after a parse error, as stream.c would
 * hand it on), which is not in the public header.
 */
#include <ctype.h>
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
#include "base/limits.h"
#include "write/writer_int.h" /* c837_w_raw */

/* ------------------------------------------------------------------ */
/* Inputs                                                              */
/* ------------------------------------------------------------------ */

/* 106 bytes with its terminator: element '*', repetition '^',
 * component ':', segment '~'. */
#define ISA_P                                                              \
  "ISA*00*          *00*          *ZZ*SENDER         *ZZ*RECEIVER       " \
  "*250101*1200*^*00501*000000001*0*P*:~\n"
#define IEA_1 "IEA*1*000000001~\n"

/* 837P: billing provider HL 1, three subscribers with one claim each. */
#define P_GS "GS*HC*SENDER*RECEIVER*20250101*1200*1*X*005010X222A1~\n"
#define P_ST                                                               \
  "ST*837*0001*005010X222A1~\n"                                            \
  "BHT*0019*00*0123*20250101*1200*CH~\n"                                   \
  "NM1*41*2*SUBMITTER*****46*S1~\n"                                        \
  "NM1*40*2*RECEIVER*****46*R1~\n"
/* a second transaction of the group, ST02 0002 */
#define P_ST2                                                              \
  "ST*837*0002*005010X222A1~\n"                                            \
  "BHT*0019*00*0124*20250101*1200*CH~\n"                                   \
  "NM1*41*2*SUBMITTER*****46*S1~\n"                                        \
  "NM1*40*2*RECEIVER*****46*R1~\n"
#define P_HL1 "HL*1**20*1~\n" "NM1*85*2*CLINIC*****XX*1234567893~\n"
#define P_SUB1(id)                                                         \
  "HL*" id "*1*22*0~\n" "SBR*P*18*******CI~\n"                             \
  "NM1*IL*1*DOE*JANE****MI*M1~\n" "NM1*PR*2*PAYER*****PI*P1~\n"
#define P_SUB2(id)                                                         \
  "HL*" id "*1*22*0~\n" "SBR*P*18*******CI~\n"                             \
  "NM1*IL*1*ROE*RICH****MI*M2~\n" "NM1*PR*2*PAYER*****PI*P1~\n"
#define P_SUB3(id)                                                         \
  "HL*" id "*1*22*0~\n" "SBR*P*18*******CI~\n"                             \
  "NM1*IL*1*POE*ANN****MI*M3~\n" "NM1*PR*2*PAYER*****PI*P1~\n"
#define P_C1                                                               \
  "CLM*C1*100***11:B:1*Y*A*Y*Y~\n" "LX*1~\n"                               \
  "SV1*HC:99213*100*UN*1***1~\n" "DTP*472*D8*20250110~\n"
#define P_C1B                                                              \
  "CLM*C1B*80***11:B:1*Y*A*Y*Y~\n" "LX*1~\n"                               \
  "SV1*HC:99212*80*UN*1***1~\n" "DTP*472*D8*20250112~\n"
#define P_C2_CLM(total) "CLM*C2*" total "***11:B:1*Y*A*Y*Y~\n"
#define P_C2_L1(lx, sv1) "LX*" lx "~\n" sv1 "DTP*472*D8*20250110~\n"
#define P_C2_L1_RAW "SV1*HC:Q2041*1000*UN*1***1~\n"
#define P_C2_L2(lx) "LX*" lx "~\n" "SV1*HC:38228*2000*UN*2***1~\n"       \
  "DTP*472*D8*20250110~\n"
#define P_C2 P_C2_CLM("3000") P_C2_L1("1", P_C2_L1_RAW) P_C2_L2("2")
#define P_C3_SV "SV1*HC:99212*50*UN*1***1~\n"
#define P_C3_(sv)                                                          \
  "CLM*C3*50***11:B:1*Y*A*Y*Y~\n" "LX*1~\n" sv "DTP*472*D8*20250111~\n"
#define P_C3 P_C3_(P_C3_SV)
#define P_END(n) "SE*" n "*0001~\n" "GE*1*1~\n" IEA_1

static const char P3[] = ISA_P P_GS P_ST P_HL1 P_SUB1("2") P_C1 P_SUB2("3")
    P_C2 P_SUB3("4") P_C3 P_END("34");

/* 837I: subscriber HL 2 (HL04 from the caller), patient HL 3 with claim
 * P1 whose first line spans three days (RD8). */
#define I_GS "GS*HC*SENDER*RECEIVER*20250101*1200*7*X*005010X223A2~\n"
#define I_ST                                                               \
  "ST*837*0007*005010X223A2~\n"                                            \
  "BHT*0019*00*0123*20250101*1200*CH~\n"                                   \
  "NM1*41*2*SUBMITTER*****46*S1~\n"                                        \
  "NM1*40*2*RECEIVER*****46*R1~\n"
#define I_HL1 "HL*1**20*1~\n" "NM1*85*2*HOSPITAL*****XX*1234567893~\n"
#define I_SUB(hl04)                                                        \
  "HL*2*1*22*" hl04 "~\n" "SBR*P*18*******MB~\n"                           \
  "NM1*IL*1*DOE*JOHN****MI*M9~\n" "NM1*PR*2*MEDICARE*****PI*P9~\n"
#define I_S1                                                               \
  "CLM*S1*100***13:A:1**A*Y*Y~\n" "LX*1~\n"                                \
  "SV2*0450*HC:99283*100*UN*1~\n" "DTP*472*D8*20250101~\n"
#define I_PAT "HL*3*2*23*0~\n" "PAT*19~\n" "NM1*QC*1*DOE*JUNIOR~\n"
#define I_P1_HEAD                                                          \
  "CLM*P1*5000.01***13:A:1**A*Y*Y~\n" "DTP*434*RD8*20250101-20250103~\n"
#define I_P1_L1                                                            \
  "LX*1~\n" "SV2*0874*HC:38228*3000.01*UN*1~\n"                            \
  "DTP*472*RD8*20250101-20250103~\n"
#define I_P1_L2(lx, rev)                                                   \
  "LX*" lx "~\n" "SV2*" rev "*HC:Q2041*2000*UN*1~\n"                       \
  "DTP*472*D8*20250102~\n"
#define I_P1 I_P1_HEAD I_P1_L1 I_P1_L2("2", "0891")
#define I_END(n) "SE*" n "*0007~\n" "GE*1*7~\n" IEA_1

static const char I1[] =
    ISA_P I_GS I_ST I_HL1 I_SUB("1") I_PAT I_P1 I_END("22");
static const char I2[] =
    ISA_P I_GS I_ST I_HL1 I_SUB("1") I_S1 I_PAT I_P1 I_END("26");

/* ------------------------------------------------------------------ */
/* Harness                                                             */
/* ------------------------------------------------------------------ */

typedef struct membuf {
  char *p;
  size_t len, cap;
  int calls;
} membuf;

static int mem_write(void *ud, const void *p, size_t n)
{
  membuf *m = ud;
  m->calls++;
  if (m->len + n + 1 > m->cap) {
    size_t cap = (m->len + n + 1) * 2;
    char *np = realloc(m->p, cap);
    if (np == NULL)
      return -1;
    m->p = np;
    m->cap = cap;
  }
  memcpy(m->p + m->len, p, n);
  m->len += n;
  m->p[m->len] = '\0';
  return 0;
}

static int fail_write(void *ud, const void *p, size_t n)
{
  (void)ud;
  (void)p;
  (void)n;
  return -1;
}

/* What the test decides for one claim. */
typedef struct plan {
  const char *id;
  c837_disposition disp;
  size_t n_fixes;
  c837_fix fixes[4];
} plan;

#define MAX_REFUSED 16

typedef struct result {
  membuf out, held;
  c837_writer_stats st;
  c837_status rc;  /* the first error: of a call, else of the finish */
  c837_error err;
  c837_status fin; /* what c837_writer_finish returned */
  size_t refused[MAX_REFUSED]; /* calls refused (go_on), in order */
  size_t n_refused;
  char disp[MAX_REFUSED + 1]; /* c837_writer_disposition of each claim
                                 taken, in order: 'P', 'F', 'H' */
} result;

typedef struct run_ctx {
  c837_writer *w;
  const plan *plans;
  size_t n_plans;
  result *res;
  int go_on;          /* a refused call is noted, and the run goes on */
  const size_t *skip; /* calls not to make (ascending ordinals) */
  size_t n_skip;
  size_t calls;       /* writer calls made or skipped so far */
} run_ctx;

/* 1 when the next writer call is one not to make; *k is its ordinal. */
static int skip_call(run_ctx *r, size_t *k)
{
  size_t i;
  *k = r->calls++;
  for (i = 0; i < r->n_skip; i++)
    if (r->skip[i] == *k)
      return 1;
  return 0;
}

/* Writer call k returned rc: the first error is kept in the result; a
 * refusal is noted and passed over when the run goes on. */
static int after_call(run_ctx *r, size_t k, int rc)
{
  c837_error e;
  c837_status code = c837_writer_error(r->w, &e);
  if (rc == 0) {
    assert_int_equal(code, C837_OK);
    return 0;
  }
  assert_int_not_equal(code, C837_OK);
  assert_int_equal(e.code, code);
  if (r->res->rc == C837_OK) {
    r->res->rc = code;
    r->res->err = e;
  }
  if (r->go_on && (code == C837_ECLAIM || code == C837_EINVAL)) {
    assert_true(r->res->n_refused < MAX_REFUSED);
    r->res->refused[r->res->n_refused++] = k;
    return 0;
  }
  return -1;
}

static int h_segment(void *ud, const c837_segment *s, c837_role role,
                     const c837_envelope *env)
{
  run_ctx *r = ud;
  size_t k;
  if (skip_call(r, &k))
    return 0;
  return after_call(r, k, c837_writer_segment(r->w, s, role, env));
}

/* Notes what the writer did with the claim it took (rc 0). */
static int note_disp(run_ctx *r, int rc)
{
  size_t n = strlen(r->res->disp);
  if (rc == 0 && n < MAX_REFUSED)
    r->res->disp[n] = "PFH"[c837_writer_disposition(r->w)];
  return rc;
}

static int h_claim(void *ud, const c837_claim *c)
{
  run_ctx *r = ud;
  size_t i, k;
  if (skip_call(r, &k))
    return 0;
  for (i = 0; i < r->n_plans; i++) {
    if (strcmp(r->plans[i].id, c->id) == 0) {
      c837_verdict v;
      memset(&v, 0, sizeof v);
      v.disposition = r->plans[i].disp;
      v.n_fixes = r->plans[i].n_fixes;
      v.fixes = r->plans[i].fixes;
      return after_call(r, k, note_disp(r, c837_writer_claim(r->w, c, &v)));
    }
  }
  return after_call(r, k, note_disp(r, c837_writer_claim(r->w, c, NULL)));
}

/* Runs in[0..len) fed in chunks of `chunk` bytes (0 = whole); go_on,
 * skip[0..n_skip): see run_ctx. */
static void run_opts(const char *in, size_t len, const plan *plans,
                     size_t n_plans, size_t chunk, int go_on,
                     const size_t *skip, size_t n_skip, result *res)
{
  c837_sink so = {mem_write, &res->out}, sh = {mem_write, &res->held};
  run_ctx r;
  c837_handler h;
  c837_assembler *a;
  c837_tokenizer *t;
  c837_status st = C837_OK;
  c837_error ferr;
  size_t off;

  memset(res, 0, sizeof *res);
  memset(&r, 0, sizeof r);
  r.w = c837_writer_new(&so, &sh);
  r.plans = plans;
  r.n_plans = n_plans;
  r.res = res;
  r.go_on = go_on;
  r.skip = skip;
  r.n_skip = n_skip;
  assert_non_null(r.w);
  memset(&h, 0, sizeof h);
  h.segment = h_segment;
  h.claim = h_claim;
  h.ud = &r;
  a = c837_assembler_new(&h);
  assert_non_null(a);
  t = c837_tokenizer_new(c837_assembler_segment, a);
  assert_non_null(t);
  if (chunk == 0)
    chunk = len ? len : 1;
  for (off = 0; off < len && st == C837_OK; off += chunk)
    st = c837_tokenizer_feed(t, in + off, len - off < chunk ? len - off
                                                             : chunk);
  if (st == C837_OK)
    st = c837_tokenizer_finish(t);
  if (st == C837_OK) {
    (void)c837_assembler_finish(a);
  } else if (st != C837_ECALLBACK) {
    /* as stream.c does: what the tokenizer holds, then the input it
     * did not accept */
    const char *p;
    size_t n;
    uint64_t taken = c837_tokenizer_consumed(t);
    (void)c837_assembler_finish(a);
    c837_tokenizer_unemitted(t, &p, &n);
    if (n)
      c837_w_raw(r.w, p, n);
    if (taken < len)
      c837_w_raw(r.w, in + taken, len - (size_t)taken);
  }
  res->fin = c837_writer_finish(r.w, &res->st, &ferr);
  if (res->rc == C837_OK) {
    res->rc = res->fin;
    res->err = ferr;
  }
  c837_tokenizer_free(t);
  c837_assembler_free(a);
  c837_writer_free(r.w);
}

static void run_chunked(const char *in, size_t len, const plan *plans,
                        size_t n_plans, size_t chunk, result *res)
{
  run_opts(in, len, plans, n_plans, chunk, 0, NULL, 0, res);
}

static void run(const char *in, const plan *plans, size_t n_plans,
                result *res)
{
  run_chunked(in, strlen(in), plans, n_plans, 0, res);
}

static void result_free(result *res)
{
  free(res->out.p);
  free(res->held.p);
}

/* Exact comparison with a readable failure. */
static void check_bytes(const char *what, const membuf *got, const char *want)
{
  size_t wl = strlen(want), i;
  if (got->len == wl && (wl == 0 || memcmp(got->p, want, wl) == 0))
    return;
  for (i = 0; i < got->len && i < wl && got->p[i] == want[i]; i++)
    ;
  print_error("%s differs at byte %zu (got %zu bytes, want %zu)\n"
              "--- got:\n%.*s\n--- want:\n%s\n",
              what, i, got->len, wl, (int)got->len,
              got->p ? got->p : "", want);
  fail();
}

/* The claim counts of a run (a refused claim is in none of them). */
static void check_counts(const result *r, uint64_t in, uint64_t out,
                         uint64_t fixed, uint64_t held)
{
  assert_int_equal(r->st.claims_in, in);
  assert_int_equal(r->st.claims_out, out);
  assert_int_equal(r->st.claims_fixed, fixed);
  assert_int_equal(r->st.claims_held, held);
  assert_int_equal(r->st.claims_in, r->st.claims_out + r->st.claims_held);
}

/* A run without error, and its claim counts. */
static void check_stats(const result *r, uint64_t in, uint64_t out,
                        uint64_t fixed, uint64_t held)
{
  assert_int_equal(r->rc, C837_OK);
  check_counts(r, in, out, fixed, held);
}

/* The writer's contract for a refused claim or segment: it leaves the
 * writer as it was.  in[0..len) is fed twice: once going on after every
 * refused call (*a), once never making the calls refused the first
 * time.  Both writers must write exactly the same bytes, count the same
 * and finish without error; the first refusal of *a must be `want` with
 * msg in its text, and *a must have had n_refusals of them. */
static void check_refusal(const char *in, size_t len, const plan *plans,
                          size_t n_plans, c837_status want, const char *msg,
                          size_t n_refusals, result *a)
{
  result b;
  run_opts(in, len, plans, n_plans, 0, 1, NULL, 0, a);
  assert_int_equal(a->rc, want);
  if (strstr(a->err.msg, msg) == NULL)
    fail_msg("refusal \"%s\" lacks \"%s\"", a->err.msg, msg);
  assert_int_equal(a->n_refused, n_refusals);
  assert_int_equal(a->fin, C837_OK);
  run_opts(in, len, plans, n_plans, 0, 0, a->refused, a->n_refused, &b);
  assert_int_equal(b.rc, C837_OK);
  check_bytes("corrected, refused vs never seen", &a->out,
              b.out.p ? b.out.p : "");
  check_bytes("held, refused vs never seen", &a->held,
              b.held.p ? b.held.p : "");
  assert_memory_equal(&a->st, &b.st, sizeof a->st);
  result_free(&b);
}

static plan fix1(const char *id, c837_fix_kind k, size_t line,
                 const char *value)
{
  plan p;
  memset(&p, 0, sizeof p);
  p.id = id;
  p.disp = C837_DISP_FIXED;
  p.n_fixes = 1;
  p.fixes[0].kind = k;
  p.fixes[0].line = line;
  snprintf(p.fixes[0].value, sizeof p.fixes[0].value, "%s", value);
  return p;
}

static plan hold(const char *id)
{
  plan p;
  memset(&p, 0, sizeof p);
  p.id = id;
  p.disp = C837_DISP_HELD;
  return p;
}

/* ------------------------------------------------------------------ */
/* Untouched input                                                     */
/* ------------------------------------------------------------------ */

static void test_untouched_identical(void **state)
{
  result r;
  size_t chunk;
  plan passed;
  (void)state;
  memset(&passed, 0, sizeof passed);
  passed.id = "C2";
  passed.disp = C837_DISP_PASSED; /* a verdict with no fixes */
  for (chunk = 0; chunk <= 7; chunk++) {
    run_chunked(P3, strlen(P3), &passed, 1, chunk, &r);
    check_bytes("corrected", &r.out, P3);
    assert_int_equal(r.held.len, 0);
    assert_int_equal(r.held.calls, 0); /* no held claim: nothing at all */
    check_stats(&r, 3, 3, 0, 0);
    assert_int_equal(r.st.transactions_rewritten, 0);
    assert_string_equal(r.disp, "PPP");
    result_free(&r);
  }
}

/* Wrong SE01, CRLF line ends and a byte-order mark: passed through as
 * they came (the tool does not rewrite a transaction it need not). */
static void test_untouched_bad_se_crlf_bom(void **state)
{
  static const char in[] =
      "\xEF\xBB\xBF"
      "ISA*00*          *00*          *ZZ*SENDER         *ZZ*RECEIVER       "
      "*250101*1200*^*00501*000000001*0*P*:~\r\n"
      "GS*HC*SENDER*RECEIVER*20250101*1200*1*X*005010X222A1~\r\n"
      "ST*837*0001*005010X222A1~\r\n"
      "BHT*0019*00*0123*20250101*1200*CH~\r\n"
      "HL*1**20*1~\r\n"
      "NM1*85*2*CLINIC*****XX*1234567893~\r\n"
      "HL*2*1*22*0~\r\n"
      "NM1*IL*1*DOE*JANE****MI*M1~\r\n"
      "CLM*C1*100***11:B:1*Y*A*Y*Y~\r\n"
      "LX*1~\r\n"
      "SV1*HC:99213*100*UN*1***1~\r\n"
      "SE*99*0001~\r\n"
      "GE*1*1~\r\n"
      "IEA*1*000000001~\r\n";
  result r;
  (void)state;
  run(in, NULL, 0, &r);
  check_bytes("corrected", &r.out, in);
  assert_int_equal(r.held.calls, 0);
  check_stats(&r, 1, 1, 0, 0);
  result_free(&r);
}

/* An empty 837 transaction and a non-837 set pass through too. */
static void test_untouched_no_claims(void **state)
{
  static const char in[] =
      ISA_P P_GS P_ST P_HL1 "SE*7*0001~\n"
      "ST*999*0002~\n" "AK1*HC*1~\n" "AK9*A*1*1*1~\n" "SE*4*0002~\n"
      "GE*2*1~\n" IEA_1;
  result r;
  (void)state;
  run(in, NULL, 0, &r);
  check_bytes("corrected", &r.out, in);
  assert_int_equal(r.held.calls, 0);
  check_stats(&r, 0, 0, 0, 0);
  result_free(&r);
}

/* ------------------------------------------------------------------ */
/* Fixes                                                               */
/* ------------------------------------------------------------------ */

/* A units fix.  The same input with counts that are not numbers
 * (SE01 / GE01 / IEA01 = "X1") passes through untouched, but once a fix
 * rewrites the transaction, its SE and the GE and IEA around it get
 * their real counts: a wrong GE01 must not survive a rewrite. */
static void test_fix_units(void **state)
{
  static const char x1[] = ISA_P P_GS P_ST P_HL1 P_SUB1("2") P_C1
      P_SUB2("3") P_C2 P_SUB3("4") P_C3
      "SE*X1*0001~\n" "GE*X1*1~\n" "IEA*X1*000000001~\n";
  static const char want[] = ISA_P P_GS P_ST P_HL1 P_SUB1("2") P_C1
      P_SUB2("3") P_C2_CLM("3000")
      P_C2_L1("1", "SV1*HC:Q2041*1000*UN*0.5***1~\n") P_C2_L2("2")
      P_SUB3("4") P_C3 P_END("34");
  const char *const in[2] = {P3, x1};
  plan p = fix1("C2", C837_FIX_UNITS, 0, "0.5");
  result r;
  size_t k;
  (void)state;
  for (k = 0; k < 2; k++) {
    run(in[k], &p, 1, &r);
    check_bytes("corrected", &r.out, want);
    assert_int_equal(r.held.calls, 0);
    check_stats(&r, 3, 3, 1, 0);
    assert_int_equal(r.st.transactions_rewritten, 1);
    result_free(&r);
  }
  run(x1, NULL, 0, &r);
  check_bytes("corrected, untouched", &r.out, x1);
  check_stats(&r, 3, 3, 0, 0);
  result_free(&r);
}

/* Code fix keeps qualifier and modifiers; a units fix on the same line
 * applies too. */
static void test_fix_code_with_modifier(void **state)
{
#define L2MOD(code, units) "LX*2~\n" "SV1*HC:" code ":GA:JW*2000*UN*" units \
  "***1~\n" "DTP*472*D8*20250110~\n"
  static const char in[] = ISA_P P_GS P_ST P_HL1 P_SUB2("2")
      P_C2_CLM("3000") P_C2_L1("1", P_C2_L1_RAW) L2MOD("38228", "2")
      P_END("18");
  static const char want[] = ISA_P P_GS P_ST P_HL1 P_SUB2("2")
      P_C2_CLM("3000") P_C2_L1("1", P_C2_L1_RAW) L2MOD("0540T", "1")
      P_END("18");
#undef L2MOD
  plan p = fix1("C2", C837_FIX_CODE, 1, "0540T");
  result r;
  (void)state;
  p.n_fixes = 2;
  p.fixes[1].kind = C837_FIX_UNITS;
  p.fixes[1].line = 1;
  snprintf(p.fixes[1].value, sizeof p.fixes[1].value, "1");
  run(in, &p, 1, &r);
  check_bytes("corrected", &r.out, want);
  check_stats(&r, 1, 1, 1, 0);
  result_free(&r);
}

static void test_fix_revenue(void **state)
{
  static const char want[] = ISA_P I_GS I_ST I_HL1 I_SUB("1") I_PAT
      I_P1_HEAD I_P1_L1 I_P1_L2("2", "0892") I_END("22");
  plan p = fix1("P1", C837_FIX_REVENUE, 1, "0892");
  result r;
  (void)state;
  run(I1, &p, 1, &r);
  check_bytes("corrected", &r.out, want);
  check_stats(&r, 1, 1, 1, 0);
  result_free(&r);
}

/* Removing a line: LX renumbered, CLM02 re-summed, SE01 recounted. */
static void test_fix_remove_line(void **state)
{
  static const char want[] = ISA_P P_GS P_ST P_HL1 P_SUB1("2") P_C1
      P_SUB2("3") P_C2_CLM("2000") P_C2_L2("1") P_SUB3("4") P_C3
      P_END("31");
  plan p = fix1("C2", C837_FIX_REMOVE, 0, "");
  result r;
  (void)state;
  run(P3, &p, 1, &r);
  check_bytes("corrected", &r.out, want);
  check_stats(&r, 3, 3, 1, 0);
  result_free(&r);
}

/* An RD8 line over three days becomes three D8 lines; the odd cent goes
 * to the first; later lines are renumbered; CLM02 stays the sum. */
static void test_fix_split_rd8(void **state)
{
  static const char want[] = ISA_P I_GS I_ST I_HL1 I_SUB("1") I_PAT
      I_P1_HEAD
      "LX*1~\n" "SV2*0874*HC:38228*1000.01*UN*1~\n" "DTP*472*D8*20250101~\n"
      "LX*2~\n" "SV2*0874*HC:38228*1000*UN*1~\n" "DTP*472*D8*20250102~\n"
      "LX*3~\n" "SV2*0874*HC:38228*1000*UN*1~\n" "DTP*472*D8*20250103~\n"
      I_P1_L2("4", "0891") I_END("28");
  plan p = fix1("P1", C837_FIX_SPLIT, 0, "1");
  result r;
  (void)state;
  run(I1, &p, 1, &r);
  check_bytes("corrected", &r.out, want);
  check_stats(&r, 1, 1, 1, 0);
  result_free(&r);
}

/* A line without its own DTP*472 takes the claim's statement period; a
 * split adds a DTP*472*D8 after the SV2 of each new line. */
static void test_fix_split_claim_dates(void **state)
{
  static const char in[] = ISA_P I_GS I_ST I_HL1 I_SUB("0")
      "CLM*S9*90***13:A:1**A*Y*Y~\n" "DTP*434*RD8*20250227-20250301~\n"
      "LX*1~\n" "SV2*0874*HC:38228*90*UN*3~\n" I_END("15");
  static const char want[] = ISA_P I_GS I_ST I_HL1 I_SUB("0")
      "CLM*S9*90***13:A:1**A*Y*Y~\n" "DTP*434*RD8*20250227-20250301~\n"
      "LX*1~\n" "SV2*0874*HC:38228*30*UN*1~\n" "DTP*472*D8*20250227~\n"
      "LX*2~\n" "SV2*0874*HC:38228*30*UN*1~\n" "DTP*472*D8*20250228~\n"
      "LX*3~\n" "SV2*0874*HC:38228*30*UN*1~\n" "DTP*472*D8*20250301~\n"
      I_END("22");
  plan p = fix1("S9", C837_FIX_SPLIT, 0, "1");
  result r;
  (void)state;
  run(in, &p, 1, &r);
  check_bytes("corrected", &r.out, want);
  check_stats(&r, 1, 1, 1, 0);
  result_free(&r);
}

/* A fix naming a line the claim does not have is an error, not a
 * silent pass. */
static void test_fix_bad_line(void **state)
{
  plan p = fix1("C1", C837_FIX_UNITS, 5, "1");
  result r;
  (void)state;
  run(P3, &p, 1, &r);
  assert_int_equal(r.rc, C837_EINVAL);
  assert_non_null(strstr(r.err.msg, "C1"));
  result_free(&r);
}


/* A claim whose fixes do not fit it is refused (C837_EINVAL) before
 * anything of it is written or counted, whichever fix is wrong: the
 * writer goes on with the next claims (C2 held, C3 fixed) exactly as if
 * it had never been handed over. */
static void test_refuse_fix_not_fitting(void **state)
{
  static const char want_out[] = ISA_P P_GS P_ST P_HL1 P_SUB1("2")
      P_SUB3("3") P_C3_("SV1*HC:99212*50*UN*2***1~\n") P_END("19");
  static const char want_held[] = ISA_P P_GS P_ST P_HL1 P_SUB2("2") P_C2
      P_END("18");
  static const struct {
    c837_fix_kind kind;
    size_t line;
    const char *msg;
  } bad[] = {
      {C837_FIX_UNITS, 5, "claim C1: fix for line index 5, but the claim "
                          "has 1 lines"},
      {C837_FIX_REVENUE, 0, "claim C1 line 1: fix does not fit a line "
                            "without the SV2 segment"},
      {(c837_fix_kind)99, 0, "claim C1: unknown fix kind 99"},
  };
  plan p[3];
  result r;
  size_t i;
  (void)state;
  p[1] = hold("C2");
  p[2] = fix1("C3", C837_FIX_UNITS, 0, "2");
  for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    p[0] = fix1("C1", bad[i].kind, bad[i].line, "0450");
    check_refusal(P3, strlen(P3), p, 3, C837_EINVAL, bad[i].msg, 1, &r);
    /* HL 2 lost its only claim to the refusal, not to a hold: it stays,
     * as in a file that never had C1 */
    check_bytes("corrected", &r.out, want_out);
    check_bytes("held", &r.held, want_held);
    check_counts(&r, 2, 1, 1, 1);
    /* C1 refused is not taken; C2 held, C3 fixed */
    assert_string_equal(r.disp, "HF");
    result_free(&r);
  }
  /* a good fix before the bad one: still nothing written of C1 */
  p[0].n_fixes = 2;
  p[0].fixes[0].kind = C837_FIX_UNITS;
  p[0].fixes[0].line = 0;
  p[0].fixes[1].kind = C837_FIX_UNITS;
  p[0].fixes[1].line = 1;
  check_refusal(P3, strlen(P3), p, 3, C837_EINVAL, "line index 1", 1, &r);
  check_bytes("corrected", &r.out, want_out);
  result_free(&r);
}

/* A split over more than C837_MAX_SPLIT_DAYS days is refused the same
 * way; the subscriber's claim S1, held before it, stays held. */
static void test_refuse_split_too_long(void **state)
{
  static const char in[] = ISA_P I_GS I_ST I_HL1 I_SUB("1") I_S1 I_PAT
      I_P1_HEAD "LX*1~\n" "SV2*0874*HC:38228*3000.01*UN*1~\n"
      "DTP*472*RD8*20250101-20250301~\n" I_P1_L2("2", "0891") I_END("26");
  plan p[2];
  result r;
  (void)state;
  p[0] = hold("S1");
  p[1] = fix1("P1", C837_FIX_SPLIT, 0, "1");
  check_refusal(in, strlen(in), p, 2, C837_EINVAL,
                "claim P1 line 1: cannot split (dates 20250101-20250301", 1,
                &r);
  check_counts(&r, 1, 0, 0, 1);
  result_free(&r);
}

/* A claim to hold in a transaction outside any ISA / GS (after an IEA)
 * has no envelope to copy: refused (C837_ECLAIM) before anything
 * changes, and the holds before and after it (C1, C3) come out as if it
 * had never been handed over.  So does an unfixable claim there (its
 * CLM02 after the fix, 11 x 9e15, overflows int64 cents: it would be
 * held): claims_unfixable is not counted. */
static void test_refuse_hold_outside_envelope(void **state)
{
#define LOOSE(clm)                                                         \
  "ST*837*0009*005010X222A1~\n" P_HL1 P_SUB2("2") clm "SE*9*0009~\n"
#define OV_L(n) "LX*" n "~\n" "SV1*HC:99213*9000000000000000*UN*1***1~\n"
#define OV "CLM*C2*1***11:B:1*Y*A*Y*Y~\n" OV_L("1") OV_L("2") OV_L("3")     \
  OV_L("4") OV_L("5") OV_L("6") OV_L("7") OV_L("8") OV_L("9") OV_L("10")   \
  OV_L("11")
  static const char in[] = ISA_P P_GS P_ST P_HL1 P_SUB1("2") P_C1
      P_END("15") LOOSE(P_C2) ISA_P P_GS P_ST P_HL1 P_SUB3("2") P_C3
      P_END("15");
  static const char in_ov[] = ISA_P P_GS P_ST P_HL1 P_SUB1("2") P_C1
      P_END("15") LOOSE(OV) ISA_P P_GS P_ST P_HL1 P_SUB3("2") P_C3
      P_END("15");
  static const char want_held[] = ISA_P P_GS P_ST P_HL1 P_SUB1("2") P_C1
      P_END("15") ISA_P P_GS P_ST P_HL1 P_SUB3("2") P_C3 P_END("15");
  plan p[3];
  result r;
  (void)state;
  p[0] = hold("C1");
  p[1] = hold("C2");
  p[2] = hold("C3");
  check_refusal(in, strlen(in), p, 3, C837_ECLAIM,
                "claim C2 is not inside an ISA / GS / ST envelope", 1, &r);
  check_bytes("held", &r.held, want_held);
  check_counts(&r, 2, 0, 0, 2);
  result_free(&r);

  p[1] = fix1("C2", C837_FIX_UNITS, 1, "2");
  check_refusal(in_ov, strlen(in_ov), p, 3, C837_ECLAIM,
                "claim C2 is not inside an ISA / GS / ST envelope", 1, &r);
  check_bytes("held", &r.held, want_held);
  check_counts(&r, 2, 0, 0, 2);
  assert_int_equal(r.st.claims_unfixable, 0);
  result_free(&r);
#undef OV
#undef OV_L
#undef LOOSE
}

/* Text built piece by piece (printf style) into a membuf. */
static void app(membuf *m, const char *fmt, ...)
{
  char tmp[512];
  va_list ap;
  int n;
  va_start(ap, fmt);
  n = vsnprintf(tmp, sizeof tmp, fmt, ap);
  va_end(ap);
  assert_true(n >= 0 && (size_t)n < sizeof tmp);
  assert_int_equal(mem_write(m, tmp, (size_t)n), 0);
}

/* An HL loop kept back while its claims are undecided may hold at most
 * C837_MAX_PENDING_BYTES: the segment that would pass the limit is
 * refused (C837_ECLAIM) and not kept; a smaller one after it that fits
 * exactly is, and the claim under the loop is held with it. */
static void test_refuse_header_too_long(void **state)
{
  static const char hl2[] = "HL*2*1*22*0~\n";
  membuf in;
  plan p = hold("C2");
  result r;
  size_t fill = C837_MAX_PENDING_BYTES - 6 - (sizeof hl2 - 1), k;
  char seg[1001];
  (void)state;
  memset(&in, 0, sizeof in);
  app(&in, "%s%s", ISA_P P_GS P_ST P_HL1, hl2);
  while (fill > 0) { /* NTE segments of at most 1000 bytes */
    k = fill < 1000 ? fill : 1000;
    memset(seg, 'X', k);
    memcpy(seg, "NTE*ADD*", 8);
    memcpy(seg + k - 2, "~\n", 2);
    assert_int_equal(mem_write(&in, seg, k), 0);
    fill -= k;
  }
  app(&in, "%s", "N3*ABCDEF~\n" "N3*A~\n" P_C2 P_SUB3("3") P_C3
                 P_END("9"));
  check_refusal(in.p, in.len, &p, 1, C837_ECLAIM,
                "envelope or HL loop header longer than 4194304 bytes", 1,
                &r);
  check_counts(&r, 2, 1, 0, 1);
  assert_null(strstr(r.held.p, "N3*ABCDEF~"));
  assert_non_null(strstr(r.held.p, "N3*A~\n" P_C2));
  assert_true(r.held.len > C837_MAX_PENDING_BYTES);
  result_free(&r);
  free(in.p);
}

/* One 837P with claim "OV" (CLM02 clm02) whose lines charge
 * charges[0..n) (each "LX, SV1, DTP"; the first with units units1),
 * under P_HL1 / P_SUB1. */
static void build_big_claim(membuf *m, const char *clm02, const char *units1,
                            const char *const *charges, size_t n)
{
  size_t i;
  memset(m, 0, sizeof *m);
  app(m, "%s", ISA_P P_GS P_ST P_HL1 P_SUB1("2"));
  app(m, "CLM*OV*%s***11:B:1*Y*A*Y*Y~\n", clm02);
  for (i = 0; i < n; i++)
    app(m, "LX*%zu~\nSV1*HC:99213*%s*UN*%s***1~\nDTP*472*D8*20250110~\n",
        i + 1, charges[i], i == 0 ? units1 : "1");
  app(m, "SE*%zu*0001~\nGE*1*1~\n%s", 12 + 3 * n, IEA_1);
}

/* The largest CLM02 there is: ten lines of 9e15 and one of the rest add
 * up to INT64_MAX cents exactly, and the fix goes through. */
static void test_fix_sum_at_int64_max(void **state)
{
  const char *ch[11];
  membuf in, want;
  plan p = fix1("OV", C837_FIX_UNITS, 0, "2");
  result r;
  size_t i;
  (void)state;
  for (i = 0; i < 10; i++)
    ch[i] = "9000000000000000";
  ch[10] = "2233720368547758.07";
  build_big_claim(&in, "1", "1", ch, 11);
  build_big_claim(&want, "92233720368547758.07", "2", ch, 11);
  run(in.p, &p, 1, &r);
  check_bytes("corrected", &r.out, want.p);
  assert_int_equal(r.held.calls, 0);
  check_stats(&r, 1, 1, 1, 0);
  assert_int_equal(r.st.claims_unfixable, 0);
  assert_string_equal(r.disp, "F");
  result_free(&r);
  free(in.p);
  free(want.p);
}

/* One cent more (or the same below zero) does not fit int64 cents: the
 * writer must not write a wrapped CLM02.  The claim is held as it came;
 * the corrected output is empty (an interchange with no group left is
 * dropped whole). */
static void test_fix_sum_overflow_held(void **state)
{
  const char *ch[11];
  membuf in;
  plan p = fix1("OV", C837_FIX_UNITS, 0, "2");
  result r;
  size_t i;
  int neg;
  (void)state;
  for (neg = 0; neg <= 1; neg++) {
    for (i = 0; i < 10; i++)
      ch[i] = neg ? "-9000000000000000" : "9000000000000000";
    ch[10] = neg ? "-2233720368547758.09" : "2233720368547758.08";
    build_big_claim(&in, "1", "1", ch, 11);
    run(in.p, &p, 1, &r);
    check_bytes("corrected", &r.out, "");
    check_bytes("held", &r.held, in.p);
    check_stats(&r, 1, 0, 0, 1);
    assert_int_equal(r.st.claims_unfixable, 1);
    /* the verdict fixed it; the writer held it: what the 277CA says */
    assert_string_equal(r.disp, "H");
    assert_int_equal(r.st.interchanges_dropped, 1);
    assert_int_equal(r.st.bytes_out, 0);
    result_free(&r);
    free(in.p);
  }
  /* a REMOVE that brings the sum back in range is fine */
  for (i = 0; i < 10; i++)
    ch[i] = "9000000000000000";
  ch[10] = "2233720368547758.08";
  build_big_claim(&in, "1", "1", ch, 11);
  p = fix1("OV", C837_FIX_REMOVE, 10, "");
  run(in.p, &p, 1, &r);
  assert_int_equal(r.rc, C837_OK);
  assert_non_null(strstr(r.out.p, "CLM*OV*90000000000000000*"));
  assert_null(strstr(r.out.p, "2233720368547758"));
  check_stats(&r, 1, 1, 1, 0);
  assert_int_equal(r.st.claims_unfixable, 0);
  result_free(&r);
  free(in.p);
}

/* ------------------------------------------------------------------ */
/* HL nesting deeper than C837_MAX_HL_DEPTH                            */
/* ------------------------------------------------------------------ */

/* One transaction (ST02 ctl) whose HLs nest `depth` deep: HL 1 (20),
 * then HL k with parent k-1 for k = 2..depth, each with an SBR; claim
 * D<ctl> under the deepest.  With shallow, a subscriber HL 2 with claim
 * S<ctl> comes first (the chain then starts at HL 3). */
static void build_deep_tx(membuf *m, const char *ctl, int depth, int shallow)
{
  int k, first = shallow ? 3 : 2, segs = 4 + 2;
  app(m, "ST*837*%s*005010X222A1~\n", ctl);
  app(m, "BHT*0019*00*0123*20250101*1200*CH~\n"
         "NM1*41*2*SUBMITTER*****46*S1~\n" "NM1*40*2*RECEIVER*****46*R1~\n");
  app(m, "%s", P_HL1);
  if (shallow) {
    app(m, "HL*2*1*22*0~\nSBR*P*18*******CI~\n");
    app(m, "CLM*S%s*50***11:B:1*Y*A*Y*Y~\nLX*1~\n"
           "SV1*HC:99212*50*UN*1***1~\n", ctl);
    segs += 5;
  }
  for (k = first; k < first + depth - 1; k++) {
    app(m, "HL*%d*%d*22*%d~\nSBR*P*18*******CI~\n", k,
        k == first && shallow ? 1 : k - 1, k + 1 < first + depth - 1);
    segs += 2;
  }
  app(m, "CLM*D%s*100***11:B:1*Y*A*Y*Y~\nLX*1~\n"
         "SV1*HC:99213*100*UN*1***1~\n", ctl);
  segs += 3;
  app(m, "SE*%d*%s~\n", segs + 1, ctl);
}

/* A whole file around build_deep_tx transactions. */
static void build_deep(membuf *m, int depth, int shallow, int second)
{
  memset(m, 0, sizeof *m);
  app(m, "%s", ISA_P P_GS);
  build_deep_tx(m, "0001", depth, shallow);
  if (second)
    build_deep_tx(m, "0002", 3, 0);
  app(m, "GE*%d*1~\n%s", second ? 2 : 1, IEA_1);
}

/* At the limit everything works as usual: holding the only claim moves
 * the whole transaction, byte for byte, to the held output (and leaves
 * nothing in the corrected one). */
static void test_deep_hl_at_limit(void **state)
{
  membuf in;
  plan p = hold("D0001");
  result r;
  (void)state;
  build_deep(&in, C837_MAX_HL_DEPTH, 0, 0);
  run(in.p, &p, 1, &r);
  check_bytes("corrected", &r.out, "");
  check_bytes("held", &r.held, in.p);
  check_stats(&r, 1, 0, 0, 1);
  assert_int_equal(r.st.transactions_too_deep, 0);
  result_free(&r);
  free(in.p);
}

/* One level deeper with nothing to rewrite: byte-identical, and a later
 * transaction is rewritten as usual. */
static void test_deep_hl_untouched(void **state)
{
  membuf in, tx2, want;
  plan p = hold("D0002");
  result r;
  const char *t2;
  (void)state;
  build_deep(&in, C837_MAX_HL_DEPTH + 1, 1, 0);
  run(in.p, NULL, 0, &r);
  check_bytes("corrected", &r.out, in.p);
  assert_int_equal(r.held.calls, 0);
  check_stats(&r, 2, 2, 0, 0);
  assert_int_equal(r.st.transactions_too_deep, 1);
  result_free(&r);
  free(in.p);

  build_deep(&in, C837_MAX_HL_DEPTH + 5, 0, 1);
  t2 = strstr(in.p, "ST*837*0002*");
  assert_non_null(t2);
  memset(&tx2, 0, sizeof tx2);
  build_deep_tx(&tx2, "0002", 3, 0);
  memset(&want, 0, sizeof want);
  assert_int_equal(mem_write(&want, in.p, (size_t)(t2 - in.p)), 0);
  app(&want, "GE*1*1~\n%s", IEA_1);
  run(in.p, &p, 1, &r);
  check_bytes("corrected", &r.out, want.p);
  {
    membuf wh;
    memset(&wh, 0, sizeof wh);
    app(&wh, "%s", ISA_P P_GS);
    assert_int_equal(mem_write(&wh, tx2.p, tx2.len), 0);
    app(&wh, "GE*1*1~\n%s", IEA_1);
    check_bytes("held", &r.held, wh.p);
    free(wh.p);
  }
  check_stats(&r, 2, 1, 0, 1);
  assert_int_equal(r.st.transactions_too_deep, 1);
  result_free(&r);
  free(in.p);
  free(tx2.p);
  free(want.p);
}

/* One level deeper with a claim to hold or fix, after or before the HL
 * that goes too deep: the writer refuses (C837_ECLAIM) instead of
 * writing a broken hierarchy. */
static void test_deep_hl_refused(void **state)
{
  membuf in;
  plan p;
  result r;
  (void)state;
  build_deep(&in, C837_MAX_HL_DEPTH + 1, 1, 0);

  p = hold("D0001"); /* under the too-deep HL */
  run(in.p, &p, 1, &r);
  assert_int_equal(r.rc, C837_ECLAIM);
  assert_non_null(strstr(r.err.msg, "D0001"));
  assert_non_null(strstr(r.err.msg, "HL nesting"));
  result_free(&r);

  p = fix1("D0001", C837_FIX_UNITS, 0, "2");
  run(in.p, &p, 1, &r);
  assert_int_equal(r.rc, C837_ECLAIM);
  result_free(&r);

  p = hold("S0001"); /* held before the HL that goes too deep */
  run(in.p, &p, 1, &r);
  assert_int_equal(r.rc, C837_ECLAIM);
  assert_non_null(strstr(r.err.msg, "HL nesting"));
  result_free(&r);

  p = fix1("S0001", C837_FIX_UNITS, 0, "2");
  run(in.p, &p, 1, &r);
  assert_int_equal(r.rc, C837_ECLAIM);
  result_free(&r);
  free(in.p);
}

/* The refusals of test_deep_hl_refused leave the writer as it was: going
 * on after them, a hold in the next transaction (D0002) comes out as if
 * the refused claim or HL had never been handed over. */
static void test_deep_hl_refusal_goes_on(void **state)
{
  membuf in;
  plan p[2];
  result r;
  (void)state;
  build_deep(&in, C837_MAX_HL_DEPTH + 1, 1, 1);
  p[1] = hold("D0002");

  /* the claim under the too-deep HL */
  p[0] = hold("D0001");
  check_refusal(in.p, in.len, p, 2, C837_ECLAIM,
                "claim D0001: HL nesting deeper than 64 levels: cannot hold",
                1, &r);
  check_counts(&r, 2, 1, 0, 1);
  assert_int_equal(r.st.transactions_too_deep, 1);
  result_free(&r);
  p[0] = fix1("D0001", C837_FIX_UNITS, 0, "2");
  check_refusal(in.p, in.len, p, 2, C837_ECLAIM, "cannot fix", 1, &r);
  check_counts(&r, 2, 1, 0, 1);
  result_free(&r);

  /* the HL that would go too deep after S0001 was held or fixed: the
   * HL is refused, not the claims (D0001 is kept) */
  p[0] = hold("S0001");
  check_refusal(in.p, in.len, p, 2, C837_ECLAIM,
                "HL nesting deeper than 64 levels in a transaction with a "
                "fixed or held claim",
                1, &r);
  check_counts(&r, 3, 1, 0, 2);
  assert_int_equal(r.st.transactions_too_deep, 0);
  result_free(&r);
  p[0] = fix1("S0001", C837_FIX_UNITS, 0, "2");
  check_refusal(in.p, in.len, p, 2, C837_ECLAIM, "cannot rewrite it", 1,
                &r);
  check_counts(&r, 3, 2, 1, 1);
  result_free(&r);

  /* the input ends with that HL, its terminator followed by CR LF: the
   * SE, GE and IEA the held view builds at the end take the whitespace
   * of the last segment the writer took, not of the refused one */
  {
    char *hl = strstr(in.p, "HL*66*65*");
    assert_non_null(hl);
    hl = strchr(hl, '~');
    memcpy(hl + 1, "\r\n", 2);
    in.len = (size_t)(hl + 3 - in.p);
    in.p[in.len] = '\0';
  }
  p[0] = hold("S0001");
  check_refusal(in.p, in.len, p, 1, C837_ECLAIM, "cannot rewrite it", 1,
                &r);
  assert_non_null(
      strstr(r.held.p, "SE*12*0001~\nGE*1*1~\nIEA*1*000000001~\n"));
  result_free(&r);
  free(in.p);
}

/* ------------------------------------------------------------------ */
/* Holds                                                               */
/* ------------------------------------------------------------------ */

/* C2 held: its subscriber loop (HL 3) goes, HL 4 becomes 3; the held file
 * has C2 under copies of HL 1 and its subscriber loop, renumbered. */
static void test_hold_one_of_three(void **state)
{
  static const char want[] = ISA_P P_GS P_ST P_HL1 P_SUB1("2") P_C1
      P_SUB3("3") P_C3 P_END("23");
  static const char want_held[] = ISA_P P_GS P_ST P_HL1 P_SUB2("2") P_C2
      P_END("18");
  plan p = hold("C2");
  result r;
  size_t chunk;
  (void)state;
  for (chunk = 0; chunk <= 5; chunk++) {
    run_chunked(P3, strlen(P3), &p, 1, chunk, &r);
    check_bytes("corrected", &r.out, want);
    check_bytes("held", &r.held, want_held);
    check_stats(&r, 3, 2, 0, 1);
    assert_int_equal(r.st.hl_dropped, 1);
    result_free(&r);
  }
}

/* Both claims of the first subscriber held: its loop goes and every
 * later HL id shifts down by one. */
static void test_hold_all_of_subscriber(void **state)
{
  static const char in[] = ISA_P P_GS P_ST P_HL1 P_SUB1("2") P_C1 P_C1B
      P_SUB2("3") P_C2 P_SUB3("4") P_C3 P_END("38");
  static const char want[] = ISA_P P_GS P_ST P_HL1 P_SUB2("2") P_C2
      P_SUB3("3") P_C3 P_END("26");
  static const char want_held[] = ISA_P P_GS P_ST P_HL1 P_SUB1("2") P_C1
      P_C1B P_END("19");
  plan p[2];
  result r;
  (void)state;
  p[0] = hold("C1");
  p[1] = hold("C1B");
  run(in, p, 2, &r);
  check_bytes("corrected", &r.out, want);
  check_bytes("held", &r.held, want_held);
  check_stats(&r, 4, 2, 0, 2);
  result_free(&r);
}

/* Every claim held: the transaction, its group and its interchange
 * leave the corrected file, which is empty (an ISA / IEA with no group
 * is no interchange a receiver takes: issue 11); the held file is the
 * input.  bytes_out = 0 with claims in tells the caller there is no
 * corrected 837 to write. */
static void test_hold_all(void **state)
{
  plan p[3];
  result r;
  (void)state;
  p[0] = hold("C1");
  p[1] = hold("C2");
  p[2] = hold("C3");
  run(P3, p, 3, &r);
  check_bytes("corrected", &r.out, "");
  check_bytes("held", &r.held, P3);
  check_stats(&r, 3, 0, 0, 3);
  assert_int_equal(r.st.transactions_dropped, 1);
  assert_int_equal(r.st.groups_dropped, 1);
  assert_int_equal(r.st.interchanges_dropped, 1);
  assert_int_equal(r.st.bytes_out, 0);
  result_free(&r);
}

/* 2000B with a claim of its own and a 2000C child: when the child's only
 * claim is held, the subscriber's HL04 must become 0. */
static void test_hold_hl04_child_held(void **state)
{
  static const char want[] = ISA_P I_GS I_ST I_HL1 I_SUB("0") I_S1
      I_END("15");
  plan p = hold("P1");
  result r;
  size_t chunk;
  (void)state;
  for (chunk = 0; chunk <= 3; chunk++) {
    run_chunked(I2, strlen(I2), &p, 1, chunk, &r);
    check_bytes("corrected", &r.out, want);
    check_bytes("held", &r.held, I1); /* S1 not there: I1 exactly */
    check_stats(&r, 2, 1, 0, 1);
    result_free(&r);
  }
}

/* The other way round: the subscriber's own claim held, the patient's
 * kept.  Corrected keeps HL04=1; held has HL04=0 (no child held). */
static void test_hold_hl04_parent_claim_held(void **state)
{
  static const char want_held[] = ISA_P I_GS I_ST I_HL1 I_SUB("0") I_S1
      I_END("15");
  plan p = hold("S1");
  result r;
  (void)state;
  run(I2, &p, 1, &r);
  check_bytes("corrected", &r.out, I1);
  check_bytes("held", &r.held, want_held);
  check_stats(&r, 2, 1, 0, 1);
  result_free(&r);
}

/* The subscriber's own claims run past C837_MAX_HL_DEFER before its
 * child HL comes: the writer cannot hold its HL segment back any longer
 * and writes it with HL04 as it came (1, unverified), then what followed;
 * the child's claim held, HL04 stays 1 where it would have become 0. */
static void test_hold_hl04_defer_overflow(void **state)
{
  membuf in, want;
  plan p = hold("P1");
  result r;
  size_t n = C837_MAX_HL_DEFER / (sizeof I_S1 - 1) + 2, i;
  (void)state;
  memset(&in, 0, sizeof in);
  memset(&want, 0, sizeof want);
  app(&in, "%s", ISA_P I_GS I_ST I_HL1 I_SUB("1"));
  app(&want, "%s", ISA_P I_GS I_ST I_HL1 I_SUB("1"));
  for (i = 0; i < n; i++) {
    assert_int_equal(mem_write(&in, I_S1, sizeof I_S1 - 1), 0);
    assert_int_equal(mem_write(&want, I_S1, sizeof I_S1 - 1), 0);
  }
  app(&in, "%s%s", I_PAT I_P1, I_END("0"));
  app(&want, "SE*%zu*0007~\nGE*1*7~\n%s", 11 + 4 * n, IEA_1);
  run_chunked(in.p, in.len, &p, 1, 0, &r);
  check_bytes("corrected", &r.out, want.p);
  check_bytes("held", &r.held, I1);
  check_stats(&r, n + 1, n, 0, 1);
  assert_int_equal(r.st.hl04_unverified, 1);
  result_free(&r);
  free(in.p);
  free(want.p);
}

/* Two transactions: the first loses all its claims and disappears, GE01
 * is recounted, the second passes byte for byte. */
static void test_hold_drops_transaction(void **state)
{
  static const char in[] = ISA_P P_GS P_ST P_HL1 P_SUB1("2") P_C1
      "SE*15*0001~\n" P_ST2 P_HL1 P_SUB3("2") P_C3 "SE*15*0002~\n"
      "GE*2*1~\n" IEA_1;
  static const char want[] = ISA_P P_GS P_ST2 P_HL1 P_SUB3("2") P_C3
      "SE*15*0002~\n" "GE*1*1~\n" IEA_1;
  static const char want_held[] = ISA_P P_GS P_ST P_HL1 P_SUB1("2") P_C1
      P_END("15");
  plan p = hold("C1");
  result r;
  (void)state;
  run(in, &p, 1, &r);
  check_bytes("corrected", &r.out, want);
  check_bytes("held", &r.held, want_held);
  check_stats(&r, 2, 1, 0, 1);
  assert_int_equal(r.st.transactions_dropped, 1);
  assert_int_equal(r.st.groups_dropped, 0);
  result_free(&r);
}

/* Two groups: the first emptied by holds disappears, IEA01 recounted. */
static void test_hold_drops_group(void **state)
{
#define GS2 "GS*HC*SENDER*RECEIVER*20250101*1200*2*X*005010X222A1~\n"
  static const char in[] = ISA_P P_GS P_ST P_HL1 P_SUB1("2") P_C1
      "SE*15*0001~\n" "GE*1*1~\n" GS2 P_ST P_HL1 P_SUB3("2") P_C3
      "SE*15*0001~\n" "GE*1*2~\n" "IEA*2*000000001~\n";
  static const char want[] = ISA_P GS2 P_ST P_HL1 P_SUB3("2") P_C3
      "SE*15*0001~\n" "GE*1*2~\n" IEA_1;
  static const char want_held[] = ISA_P P_GS P_ST P_HL1 P_SUB1("2") P_C1
      P_END("15");
#undef GS2
  plan p = hold("C1");
  result r;
  (void)state;
  run(in, &p, 1, &r);
  check_bytes("corrected", &r.out, want);
  check_bytes("held", &r.held, want_held);
  check_stats(&r, 2, 1, 0, 1);
  assert_int_equal(r.st.groups_dropped, 1);
  result_free(&r);
}

/* Held claims from two interchanges: one held envelope for each; the
 * second interchange, left with no group, is dropped whole from the
 * corrected output. */
static void test_hold_two_interchanges(void **state)
{
#define ISA2                                                               \
  "ISA*00*          *00*          *ZZ*SENDER         *ZZ*RECEIVER       " \
  "*250101*1200*^*00501*000000002*0*P*:~\n"
  static const char in[] = ISA_P P_GS P_ST P_HL1 P_SUB1("2") P_C1
      P_SUB2("3") P_C2 "SE*26*0001~\n" "GE*1*1~\n" IEA_1
      ISA2 P_GS P_ST P_HL1 P_SUB3("2") P_C3 "SE*15*0001~\n" "GE*1*1~\n"
      "IEA*1*000000002~\n";
  static const char want[] = ISA_P P_GS P_ST P_HL1 P_SUB2("2") P_C2
      "SE*18*0001~\n" "GE*1*1~\n" IEA_1;
  static const char want_held[] = ISA_P P_GS P_ST P_HL1 P_SUB1("2") P_C1
      P_END("15") ISA2 P_GS P_ST P_HL1 P_SUB3("2") P_C3 "SE*15*0001~\n"
      "GE*1*1~\n" "IEA*1*000000002~\n";
#undef ISA2
  plan p[2];
  result r;
  (void)state;
  p[0] = hold("C1");
  p[1] = hold("C3");
  run(in, p, 2, &r);
  check_bytes("corrected", &r.out, want);
  check_bytes("held", &r.held, want_held);
  check_stats(&r, 3, 1, 0, 2);
  assert_int_equal(r.st.interchanges_dropped, 1);
  assert_int_equal(r.st.bytes_out, strlen(want));
  result_free(&r);
}

/* Status of reading b back with the library's tokenizer and assembler
 * (C837_OK: it reads to its end; problems are allowed). */
static c837_status reparse_status(const membuf *b)
{
  c837_handler h;
  c837_assembler *a;
  c837_tokenizer *t;
  c837_status st;
  memset(&h, 0, sizeof h);
  a = c837_assembler_new(&h);
  assert_non_null(a);
  t = c837_tokenizer_new(c837_assembler_segment, a);
  assert_non_null(t);
  st = c837_tokenizer_feed(t, b->p ? b->p : "", b->len);
  if (st == C837_OK)
    st = c837_tokenizer_finish(t);
  if (st == C837_OK)
    st = c837_assembler_finish(a);
  c837_tokenizer_free(t);
  c837_assembler_free(a);
  return st;
}

/* A transaction with no SE and a group with no GE, both ended by the
 * next GS (as the assembler reads it: SE_MISSING, GE_MISSING), whose
 * group is then dropped because its only claim is held, in an
 * interchange the input ends without IEA (found by fuzz_pipeline,
 * tests/fuzz-regress/writer-st-ended-by-held-gs.x12).  Dropping the
 * group as when the trailers are there leaves nothing to end the first
 * transaction and group: the corrected output would end inside them,
 * which reads as cut short (ETRUNC).  The writer owes them the SE and GE
 * the GS stood for (counts and control numbers built), and writes them
 * before the next thing the corrected output gets or at its end -- unless
 * that is an ISA, GS or ST, or an SE, GE or IEA as it came, which ends
 * them itself as in the input.  The interchange, rewritten (a group
 * dropped), is closed with its IEA (issue 11: what is rewritten is
 * closed), the trailers owed before it. */
static void test_hold_drops_what_ended_open_st(void **state)
{
#define GS2 "GS*HC*SENDER*RECEIVER*20250101*1200*2*X*005010X222A1~\n"
#define T1 ISA_P P_GS P_ST P_HL1 P_SUB1("2") P_C1
#define CLOSED "SE*15*0001~\n" "GE*1*1~\n" "IEA*1*000000001~\n"
#define G2 GS2 P_ST P_HL1 P_SUB3("2") P_C3 "SE*15*0001~\n" "GE*1*2~\n"
  static const char in[] = T1 G2;
  static const char in_iea[] = T1 G2 "IEA*2*000000001~\n";
  static const char in_cut[] = T1 G2 "ISA*00*BROKEN~\n"; /* EISA */
  static const char in_ge[] = T1 G2 "GE*1*9~\n"; /* GE outside a GS */
  static const char want_held[] = ISA_P GS2 P_ST P_HL1 P_SUB3("2") P_C3
      "SE*15*0001~\n" "GE*1*2~\n" IEA_1;
  plan p = hold("C3");
  result r;
  size_t chunk;
  (void)state;
  for (chunk = 0; chunk <= 5; chunk++) {
    run_chunked(in, strlen(in), &p, 1, chunk, &r);
    check_bytes("corrected", &r.out, T1 CLOSED);
    check_bytes("held", &r.held, want_held);
    check_stats(&r, 2, 1, 0, 1);
    assert_int_equal(r.st.transactions_dropped, 1);
    assert_int_equal(r.st.groups_dropped, 1);
    assert_int_equal(reparse_status(&r.out), C837_OK);
    result_free(&r);
  }
  /* the IEA, rewritten (IEA01 recounted), is written after what is owed */
  run(in_iea, &p, 1, &r);
  check_bytes("corrected, IEA", &r.out, T1 CLOSED);
  check_bytes("held, IEA", &r.held, want_held);
  check_stats(&r, 2, 1, 0, 1);
  assert_int_equal(reparse_status(&r.out), C837_OK);
  result_free(&r);
  /* a stray GE ends them, as in the input: copied as it came, no SE,
   * and the IEA built */
  run(in_ge, &p, 1, &r);
  check_bytes("corrected, stray GE", &r.out,
              T1 "GE*1*9~\n" "IEA*1*000000001~\n");
  check_stats(&r, 2, 1, 0, 1);
  assert_int_equal(reparse_status(&r.out), C837_OK);
  result_free(&r);
  /* an unparsed tail (c837_w_raw) comes after what is closed */
  run(in_cut, &p, 1, &r);
  check_bytes("corrected, cut", &r.out, T1 CLOSED "ISA*00*BROKEN~\n");
  check_bytes("held, cut", &r.held, want_held);
  check_stats(&r, 2, 1, 0, 1);
  result_free(&r);
  /* nothing held: the GS stays and ends the transaction, as it came */
  run(in, NULL, 0, &r);
  check_bytes("corrected, nothing held", &r.out, in);
  assert_int_equal(r.held.calls, 0);
  check_stats(&r, 2, 2, 0, 0);
  result_free(&r);
#undef G2
#undef CLOSED
#undef T1
#undef GS2
}

/* The same ending by an ST of the same group: the SE owed goes before a
 * stray segment (else it would fall into the first transaction, as the
 * minimised fuzz input's CLM did) and the GE is recounted. */
static void test_hold_drops_st_that_ended_open_st(void **state)
{
  static const char in[] = ISA_P P_GS P_ST P_HL1 P_SUB1("2") P_C1
      P_ST2 P_HL1 P_SUB3("2") P_C3 "SE*15*0002~\n" "NTE*ADD*STRAY~\n"
      "GE*2*1~\n" IEA_1;
  static const char want[] = ISA_P P_GS P_ST P_HL1 P_SUB1("2") P_C1
      "SE*15*0001~\n" "NTE*ADD*STRAY~\n" "GE*1*1~\n" IEA_1;
  static const char want_held[] = ISA_P P_GS P_ST2 P_HL1 P_SUB3("2") P_C3
      "SE*15*0002~\n" "GE*1*1~\n" IEA_1;
  plan p = hold("C3");
  result r;
  (void)state;
  run(in, &p, 1, &r);
  check_bytes("corrected", &r.out, want);
  check_bytes("held", &r.held, want_held);
  check_stats(&r, 2, 1, 0, 1);
  assert_int_equal(r.st.transactions_dropped, 1);
  assert_int_equal(r.st.groups_dropped, 0);
  assert_int_equal(reparse_status(&r.out), C837_OK);
  result_free(&r);
}

/* A transaction the input itself leaves open at its end owes nothing
 * while nothing around it is rewritten; here the 837 set before it is
 * dropped (its only claim held), so its group and interchange are
 * rewritten and closed (issue 11), and so is the 999 set left open
 * inside them: SE, GE and IEA built, read to the end or cut short (an
 * unparsed tail comes after what is closed). */
static void test_open_at_end_closed_when_rewritten(void **state)
{
#define HEAD ISA_P P_GS P_ST P_HL1 P_SUB1("2") P_C1 "SE*15*0001~\n" \
  "ST*999*0002~\n" "AK1*HC*1~\n"
  static const char in[] = HEAD;
  static const char in_cut[] = HEAD "AK9*A";
  static const char want_held[] = ISA_P P_GS P_ST P_HL1 P_SUB1("2") P_C1
      "SE*15*0001~\n" "GE*1*1~\n" IEA_1;
  plan p = hold("C1");
  result r;
  (void)state;
  run(in, &p, 1, &r);
  check_bytes("corrected", &r.out, ISA_P P_GS "ST*999*0002~\n"
              "AK1*HC*1~\n" "SE*3*0002~\n" "GE*1*1~\n" IEA_1);
  check_bytes("held", &r.held, want_held);
  check_stats(&r, 1, 0, 0, 1);
  assert_int_equal(reparse_status(&r.out), C837_OK);
  result_free(&r);
  run(in_cut, &p, 1, &r);
  check_bytes("corrected, cut", &r.out,
              ISA_P P_GS "ST*999*0002~\n" "AK1*HC*1~\n" "SE*3*0002~\n"
              "GE*1*1~\n" IEA_1 "AK9*A");
  check_bytes("held, cut", &r.held, want_held);
  check_stats(&r, 1, 0, 0, 1);
  result_free(&r);
#undef HEAD
}

/* ------------------------------------------------------------------ */
/* Issue 11: LX-less lines, HL links, trailers, control numbers        */
/* ------------------------------------------------------------------ */

/* A line without an LX (the assembler's LX_MISSING: it starts at its SV)
 * gets an LX built, numbered with the others, before each copy of it in
 * a rewritten claim: units fixed, a line with LX removed before it, a
 * split into two days. */
static void test_fix_line_without_lx(void **state)
{
#define HEAD ISA_P P_GS P_ST P_HL1 P_SUB1("2")
#define SV1_ "SV1*HC:38225*300*UN*"
  static const char in_a[] = HEAD "CLM*N1*300***11:B:1*Y*A*Y*Y~\n"
      SV1_ "3***1~\n" "DTP*472*D8*20250110~\n" P_END("14");
  static const char want_a[] = HEAD "CLM*N1*300***11:B:1*Y*A*Y*Y~\n"
      "LX*1~\n" SV1_ "1***1~\n" "DTP*472*D8*20250110~\n" P_END("15");
  static const char in_b[] = HEAD "CLM*N2*400***11:B:1*Y*A*Y*Y~\n"
      "LX*1~\n" "SV1*HC:99213*100*UN*1***1~\n" "DTP*472*D8*20250110~\n"
      SV1_ "3***1~\n" "DTP*472*D8*20250110~\n" P_END("17");
  static const char want_b[] = HEAD "CLM*N2*300***11:B:1*Y*A*Y*Y~\n"
      "LX*1~\n" SV1_ "3***1~\n" "DTP*472*D8*20250110~\n" P_END("15");
  static const char in_c[] = HEAD "CLM*N3*300***11:B:1*Y*A*Y*Y~\n"
      SV1_ "2***1~\n" "DTP*472*RD8*20250110-20250111~\n" P_END("14");
  static const char want_c[] = HEAD "CLM*N3*300***11:B:1*Y*A*Y*Y~\n"
      "LX*1~\n" "SV1*HC:38225*150*UN*1***1~\n" "DTP*472*D8*20250110~\n"
      "LX*2~\n" "SV1*HC:38225*150*UN*1***1~\n" "DTP*472*D8*20250111~\n"
      P_END("18");
#undef SV1_
#undef HEAD
  plan p;
  result r;
  (void)state;
  p = fix1("N1", C837_FIX_UNITS, 0, "1");
  run(in_a, &p, 1, &r);
  check_bytes("corrected, units", &r.out, want_a);
  check_stats(&r, 1, 1, 1, 0);
  assert_int_equal(reparse_status(&r.out), C837_OK);
  result_free(&r);
  p = fix1("N2", C837_FIX_REMOVE, 0, "");
  run(in_b, &p, 1, &r);
  check_bytes("corrected, remove", &r.out, want_b);
  check_stats(&r, 1, 1, 1, 0);
  result_free(&r);
  p = fix1("N3", C837_FIX_SPLIT, 0, "1");
  run(in_c, &p, 1, &r);
  check_bytes("corrected, split", &r.out, want_c);
  check_stats(&r, 1, 1, 1, 0);
  result_free(&r);
  /* held: as it came, no LX built */
  p = hold("N1");
  run(in_a, &p, 1, &r);
  check_bytes("held", &r.held, in_a);
  check_stats(&r, 1, 0, 0, 1);
  result_free(&r);
}

/* A transaction whose HL02 names no loop open above it (here the second
 * subscriber repeats HL01 2 and names HL 3, which never comes, as the
 * imsweb corpus files do) cannot be rewritten (parse/hlcheck.h): with
 * nothing to fix or hold in it, it is copied through as it came
 * (transactions_hl_invalid), and the next transaction is rewritten as
 * usual. */
#define BAD_HL_TX                                                          \
  P_ST P_HL1 P_SUB1("2") P_C1 "HL*2*3*22*0~\n" "SBR*P*18*******CI~\n"      \
  "NM1*IL*1*ROE*RICH****MI*M2~\n" "NM1*PR*2*PAYER*****PI*P1~\n" P_C2       \
  "SE*26*0001~\n"
#define BAD_HL_IN                                                          \
  ISA_P P_GS BAD_HL_TX P_ST2 P_HL1 P_SUB3("2") P_C3 "SE*15*0002~\n"        \
  "GE*2*1~\n" IEA_1
static void test_hl_links_copied_through(void **state)
{
  static const char in[] = BAD_HL_IN;
  static const char want[] = ISA_P P_GS BAD_HL_TX "GE*1*1~\n" IEA_1;
  plan p = hold("C3");
  result r;
  (void)state;
  run(in, NULL, 0, &r);
  check_bytes("corrected, untouched", &r.out, in);
  check_stats(&r, 3, 3, 0, 0);
  assert_int_equal(r.st.transactions_hl_invalid, 1);
  result_free(&r);
  run(in, &p, 1, &r);
  check_bytes("corrected", &r.out, want);
  check_stats(&r, 3, 2, 0, 1);
  assert_int_equal(r.st.transactions_hl_invalid, 1);
  assert_int_equal(r.st.transactions_dropped, 1);
  result_free(&r);
}

/* A claim to hold or fix there is refused with C837_ECLAIM (the job
 * holds the file whole): before the bad HL, the HL is refused; after
 * it, the claim.  Either refusal leaves the writer as it was. */
static void test_hl_links_refused(void **state)
{
  static const char in[] = BAD_HL_IN;
  plan p;
  result r;
  (void)state;
  p = hold("C1");
  check_refusal(in, strlen(in), &p, 1, C837_ECLAIM,
                "HL*2*3 names no HL loop open above it or repeats an HL01 "
                "(HL02_PARENT, HL01_ORDER), in a transaction with a fixed "
                "or held claim: cannot rewrite it",
                1, &r);
  result_free(&r);
  p = fix1("C2", C837_FIX_UNITS, 0, "0.5");
  check_refusal(in, strlen(in), &p, 1, C837_ECLAIM,
                "claim C2: an HL of its transaction set names no HL loop "
                "open above it or repeats an HL01 (HL02_PARENT, "
                "HL01_ORDER): cannot fix a claim of this transaction",
                1, &r);
  result_free(&r);
}
#undef BAD_HL_IN
#undef BAD_HL_TX

/* What is rewritten is closed (issue 11): a transaction the input left
 * without SE (ended by its GE) with a fixed claim gets its SE; a group
 * left without GE (ended by the next GS) with a held claim gets its GE;
 * an interchange left without IEA (ended by the next ISA) with a fixed
 * claim gets its IEA.  Each output reads back whole. */
static void test_close_what_is_rewritten(void **state)
{
#define GS2 "GS*HC*SENDER*RECEIVER*20250101*1200*2*X*005010X222A1~\n"
#define ISA2                                                               \
  "ISA*00*          *00*          *ZZ*SENDER         *ZZ*RECEIVER       " \
  "*250101*1200*^*00501*000000002*0*P*:~\n"
#define C2_FIXED                                                           \
  P_C2_CLM("3000") P_C2_L1("1", "SV1*HC:Q2041*1000*UN*0.5***1~\n")         \
      P_C2_L2("2")
#define T2 P_ST2 P_HL1 P_SUB3("2") P_C3 "SE*15*0002~\n"
  static const char in_se[] = ISA_P P_GS P_ST P_HL1 P_SUB2("2") P_C2
      "GE*1*1~\n" IEA_1;
  static const char want_se[] = ISA_P P_GS P_ST P_HL1 P_SUB2("2") C2_FIXED
      "SE*18*0001~\n" "GE*1*1~\n" IEA_1;
  static const char in_ge[] = ISA_P P_GS P_ST P_HL1 P_SUB1("2") P_C1
      P_SUB2("3") P_C2 "SE*26*0001~\n" GS2 T2 "GE*1*2~\n"
      "IEA*2*000000001~\n";
  static const char want_ge[] = ISA_P P_GS P_ST P_HL1 P_SUB2("2") P_C2
      "SE*18*0001~\n" "GE*1*1~\n" GS2 T2 "GE*1*2~\n" "IEA*2*000000001~\n";
  static const char in_iea[] = ISA_P P_GS P_ST P_HL1 P_SUB2("2") P_C2
      "SE*18*0001~\n" "GE*1*1~\n" ISA2 P_GS T2 "GE*1*1~\n"
      "IEA*1*000000002~\n";
  static const char want_iea[] = ISA_P P_GS P_ST P_HL1 P_SUB2("2") C2_FIXED
      "SE*18*0001~\n" "GE*1*1~\n" IEA_1 ISA2 P_GS T2 "GE*1*1~\n"
      "IEA*1*000000002~\n";
#undef T2
#undef C2_FIXED
#undef ISA2
#undef GS2
  plan fix = fix1("C2", C837_FIX_UNITS, 0, "0.5"), held = hold("C1");
  result r;
  (void)state;
  run(in_se, &fix, 1, &r);
  check_bytes("corrected, no SE", &r.out, want_se);
  check_stats(&r, 1, 1, 1, 0);
  assert_int_equal(reparse_status(&r.out), C837_OK);
  result_free(&r);
  run(in_ge, &held, 1, &r);
  check_bytes("corrected, no GE", &r.out, want_ge);
  check_stats(&r, 3, 2, 0, 1);
  assert_int_equal(reparse_status(&r.out), C837_OK);
  result_free(&r);
  run(in_iea, &fix, 1, &r);
  check_bytes("corrected, no IEA", &r.out, want_iea);
  check_stats(&r, 2, 2, 1, 0);
  assert_int_equal(reparse_status(&r.out), C837_OK);
  result_free(&r);
}

/* A control number with blanks ("ST*837*0001 *"): the reader compares it
 * without them (no SE02_CONTROL for SE02 0001), and so does the writer:
 * a rewritten SE and the held envelope's SE carry 0001, within SE02's
 * length, never the blank. */
static void test_control_number_trimmed(void **state)
{
#define ST_B                                                               \
  "ST*837*0001 *005010X222A1~\n" "BHT*0019*00*0123*20250101*1200*CH~\n"    \
  "NM1*41*2*SUBMITTER*****46*S1~\n" "NM1*40*2*RECEIVER*****46*R1~\n"
  static const char in[] = ISA_P P_GS ST_B P_HL1 P_SUB2("2") P_C2
      "SE*18*0001 ~\n" "GE*1*1~\n" IEA_1;
  static const char want[] = ISA_P P_GS ST_B P_HL1 P_SUB2("2")
      P_C2_CLM("3000") P_C2_L1("1", "SV1*HC:Q2041*1000*UN*0.5***1~\n")
      P_C2_L2("2") "SE*18*0001~\n" "GE*1*1~\n" IEA_1;
  static const char want_held[] = ISA_P P_GS ST_B P_HL1 P_SUB2("2") P_C2
      "SE*18*0001~\n" "GE*1*1~\n" IEA_1;
#undef ST_B
  plan p = fix1("C2", C837_FIX_UNITS, 0, "0.5");
  result r;
  (void)state;
  run(in, &p, 1, &r);
  check_bytes("corrected", &r.out, want);
  check_stats(&r, 1, 1, 1, 0);
  result_free(&r);
  p = hold("C2");
  run(in, &p, 1, &r);
  check_bytes("held", &r.held, want_held);
  check_bytes("corrected", &r.out, "");
  check_stats(&r, 1, 0, 0, 1);
  result_free(&r);
}

/* ------------------------------------------------------------------ */
/* Delimiters, raw tail, errors                                        */
/* ------------------------------------------------------------------ */

/* Rewrites text of the '*' ':' "~\n" family to '|' '>' '~' (no line
 * breaks).  Caller frees. */
static char *redelimit(const char *s)
{
  char *o = malloc(strlen(s) + 1), *q = o;
  assert_non_null(o);
  for (; *s; s++) {
    if (*s == '*')
      *q++ = '|';
    else if (*s == ':')
      *q++ = '>';
    else if (*s != '\n')
      *q++ = *s;
  }
  *q = '\0';
  return o;
}

static void test_other_delimiters(void **state)
{
  static const char want[] = ISA_P P_GS P_ST P_HL1 P_SUB1("2") P_C1
      P_SUB3("3") P_C3_("SV1*HC:99212*50*UN*2***1~\n") P_END("23");
  static const char want_held[] = ISA_P P_GS P_ST P_HL1 P_SUB2("2") P_C2
      P_END("18");
  char *in = redelimit(P3), *w = redelimit(want), *wh = redelimit(want_held);
  plan p[2];
  result r;
  (void)state;
  assert_non_null(strstr(in, "SV1|HC>99212|50|UN|1|||1~DTP"));
  p[0] = hold("C2");
  p[1] = fix1("C3", C837_FIX_UNITS, 0, "2");
  run(in, p, 2, &r);
  check_bytes("corrected", &r.out, w);
  check_bytes("held", &r.held, wh);
  check_stats(&r, 3, 2, 1, 1);
  result_free(&r);
  free(in);
  free(w);
  free(wh);
}

/* Rewrites text of the '*' ':' '~' family to el, comp, term (line
 * breaks kept).  Caller frees. */
static char *redelim3(const char *s, char el, char comp, char term)
{
  char *o = malloc(strlen(s) + 1), *q = o;
  assert_non_null(o);
  for (; *s; s++)
    *q++ = *s == '*' ? el : *s == ':' ? comp : *s == '~' ? term : *s;
  *q = '\0';
  return o;
}

/* a + b + c, malloc'd. */
static char *cat3(const char *a, const char *b, const char *c)
{
  size_t na = strlen(a), nb = strlen(b), nc = strlen(c);
  char *o = malloc(na + nb + nc + 1);
  assert_non_null(o);
  memcpy(o, a, na);
  memcpy(o + na, b, nb);
  memcpy(o + na + nb, c, nc + 1);
  return o;
}

#define ISA_N(n)                                                           \
  "ISA*00*          *00*          *ZZ*SENDER         *ZZ*RECEIVER       " \
  "*250101*1200*^*00501*00000000" n "*0*P*:~\n"

/* An "ISA" whose element separator is the terminator of the interchange
 * before it is cut there by the tokenizer: a segment "ISA" with no
 * elements, which opens an interchange without setting its delimiters.
 * A held envelope copied from it could not be read back (found by
 * fuzz_pipeline, tests/fuzz-regress/writer-hold-under-cut-isa.x12), so
 * holding a claim under it fails with ECLAIM (the job then holds the file
 * whole, as for a claim outside any ISA); a file that holds nothing
 * there passes through as it came. */
static void test_hold_under_cut_isa(void **state)
{
#define A ISA_P P_GS P_ST P_HL1 P_SUB1("2") P_C1 "SE*15*0001~\n" \
  "GE*1*1~\n" IEA_1
#define B "ISA~\n" P_GS P_ST P_HL1 P_SUB3("2") P_C3 "SE*15*0001~\n" \
  "GE*1*1~\n" "IEA*1*000000002~\n"
  static const char in[] = A B;
  static const char want_held[] = ISA_P P_GS P_ST P_HL1 P_SUB1("2") P_C1
      P_END("15");
  plan p[2];
  result r;
  (void)state;
  p[0] = hold("C1");
  p[1] = hold("C3");
  run(in, &p[1], 1, &r);
  assert_int_equal(r.rc, C837_ECLAIM);
  assert_non_null(strstr(r.err.msg, "claim C3: the ISA of its interchange "
                                    "was not read as a whole ISA (cut at "
                                    "the previous terminator)"));
  assert_int_equal(r.held.len, 0);
  result_free(&r);
  run(in, &p[0], 1, &r);
  check_bytes("corrected", &r.out, B);
  check_bytes("held", &r.held, want_held);
  check_stats(&r, 2, 1, 0, 1);
  result_free(&r);
  /* holding C1 and C3: C3 is refused and is in neither output, as if
   * it had never been handed over (its loop stays, as it came) */
  check_refusal(in, strlen(in), p, 2, C837_ECLAIM,
                "claim C3: the ISA of its interchange was not read", 1, &r);
  check_bytes("corrected", &r.out,
              "ISA~\n" P_GS P_ST P_HL1 P_SUB3("2") "SE*15*0001~\n"
              "GE*1*1~\n" "IEA*1*000000002~\n");
  check_bytes("held", &r.held, want_held);
  check_counts(&r, 1, 0, 0, 1);
  result_free(&r);
#undef B
#undef A
}

/* A whole ISA whose element separator is the terminator of the
 * interchange the held output wrote last (not the one before it in the
 * input) would be cut there in the held output: refused the same way.
 * Interchanges: A '*' ':' '~', B '|' '>' '!', C '~' ':' '\''. */
static void test_hold_isa_sep_is_held_term(void **state)
{
  char *b = redelim3(ISA_N("2") P_GS P_ST P_HL1 P_SUB2("2") P_C1B
                     "SE*15*0001~\n" "GE*1*1~\n" "IEA*1*000000002~\n",
                     '|', '>', '!');
  char *c = redelim3(ISA_N("3") P_GS P_ST P_HL1 P_SUB3("2") P_C3
                     "SE*15*0001~\n" "GE*1*1~\n" "IEA*1*000000003~\n",
                     '~', ':', '\'');
  char *in = cat3(ISA_P P_GS P_ST P_HL1 P_SUB1("2") P_C1 P_END("15"), b, c);
  char *want_held = cat3(b, c, "");
  membuf inb;
  plan p[3];
  result r;
  (void)state;
  inb.p = in;
  inb.len = strlen(in);
  assert_int_equal(reparse_status(&inb), C837_OK);
  p[0] = hold("C1");
  p[1] = hold("C3");
  run(in, p, 2, &r);
  assert_int_equal(r.rc, C837_ECLAIM);
  assert_non_null(strstr(r.err.msg, "claim C3: the ISA of its interchange "
                                    "was not read as a whole ISA (its "
                                    "element separator would end it)"));
  check_bytes("held, A then C", &r.held,
              ISA_P P_GS P_ST P_HL1 P_SUB1("2") P_C1 P_END("15"));
  result_free(&r);
  /* C3 refused changes nothing: the held output stays A's, and C's
   * interchange passes (its claim not counted) */
  check_refusal(in, strlen(in), p, 2, C837_ECLAIM,
                "(its element separator would end it)", 1, &r);
  check_bytes("held, A then C", &r.held,
              ISA_P P_GS P_ST P_HL1 P_SUB1("2") P_C1 P_END("15"));
  check_counts(&r, 2, 1, 0, 1);
  result_free(&r);
  /* after B's terminator '!' the same ISA reads back whole */
  p[0] = hold("C1B");
  run(in, p, 2, &r);
  check_bytes("held, B then C", &r.held, want_held);
  check_stats(&r, 3, 1, 0, 2);
  assert_int_equal(reparse_status(&r.held), C837_OK);
  result_free(&r);
  free(b);
  free(c);
  free(in);
  free(want_held);
}

/* Input cut inside its last segment: the tokenizer fails at the end and
 * the unparsed tail goes through c837_w_raw: output == input. */
static void test_raw_tail(void **state)
{
  static const char in[] = ISA_P P_GS P_ST P_HL1 P_SUB1("2") P_C1
      P_SUB2("3") P_C2 P_SUB3("4") P_C3 "SE*34*0001~\n" "GE*1*1~\n"
      "IEA*1*0000";
  result r;
  (void)state;
  run(in, NULL, 0, &r);
  check_bytes("corrected", &r.out, in);
  check_stats(&r, 3, 3, 0, 0);
  result_free(&r);
}

/* A failing sink is an I/O error; stats still account for every claim
 * handed over up to the failure. */
static void test_sink_failure(void **state)
{
  c837_sink so = {fail_write, NULL};
  c837_writer *w = c837_writer_new(&so, NULL);
  c837_writer_stats st;
  c837_error err;
  static const char junk[] = "x";
  (void)state;
  assert_non_null(w);
  assert_int_not_equal(c837_w_raw(w, junk, 1), 0);
  assert_int_equal(c837_writer_finish(w, &st, &err), C837_EIO);
  assert_int_equal(err.code, C837_EIO);
  assert_int_equal(st.claims_in, 0);
  c837_writer_free(w);
}

/* NULL sinks (--report-only): nothing written, claims still counted and
 * conserved. */
static void test_null_sinks(void **state)
{
  c837_writer *w = c837_writer_new(NULL, NULL);
  c837_writer_stats st;
  c837_error err;
  (void)state;
  assert_non_null(w);
  assert_int_equal(c837_w_raw(w, "abc", 3), 0);
  assert_int_equal(c837_writer_finish(w, &st, &err), C837_OK);
  assert_int_equal(st.claims_in, 0);
  assert_int_equal(st.claims_out + st.claims_held, 0);
  c837_writer_free(w);
}

/* ------------------------------------------------------------------ */
/* Independent re-check with tests/x12check.py                         */
/* ------------------------------------------------------------------ */

static int write_file(const char *path, const membuf *m)
{
  FILE *fp = fopen(path, "wb");
  if (fp == NULL)
    return -1;
  if (m->len && fwrite(m->p, 1, m->len, fp) != m->len) {
    fclose(fp);
    return -1;
  }
  return fclose(fp);
}

/* The Python that runs tests/x12check.py: $PYTHON (make sets it to the
 * real interpreter, which starts faster than a pyenv shim), else python3. */
static const char *python(void)
{
  const char *p = getenv("PYTHON");
  return p != NULL && *p != '\0' ? p : "python3";
}

/* tests/x12check.py is here and Python starts (asked once). */
static int have_x12check(void)
{
  static int have = -1;
  char cmd[512];
  if (have < 0) {
    snprintf(cmd, sizeof cmd, "%s -c pass >/dev/null 2>&1", python());
    have = access("tests/x12check.py", R_OK) == 0 && system(cmd) == 0;
  }
  return have;
}

/* x12check.py --batch LIST (lines "LABEL<TAB>ARGS...", see
 * tests/batchrun.py), its report in REPORT: one Python for many checks.
 * Returns the batch's exit status. */
static int x12check_batch(const char *list, const char *report)
{
  char cmd[1024];
  snprintf(cmd, sizeof cmd, "%s tests/x12check.py --batch %s >%s 2>&1",
           python(), list, report);
  return system(cmd);
}

/* What REPORT says of LABEL: 1 "LABEL: ok", 0 "LABEL: FAIL ...", -1
 * neither (the batch did not get to it). */
static int x12check_said(const char *report, const char *label)
{
  FILE *fp = fopen(report, "r");
  char line[2048];
  size_t n = strlen(label);
  int said = -1;
  if (fp == NULL)
    return -1;
  while (said < 0 && fgets(line, sizeof line, fp) != NULL) {
    if (strncmp(line, label, n) != 0 || strncmp(line + n, ": ", 2) != 0)
      continue;
    if (strcmp(line + n + 2, "ok\n") == 0)
      said = 1;
    else if (strncmp(line + n + 2, "FAIL (exit ", 11) == 0)
      said = 0;
  }
  fclose(fp);
  return said;
}

static void print_file(const char *path)
{
  FILE *fp = fopen(path, "r");
  char line[2048];
  if (fp == NULL)
    return;
  while (fgets(line, sizeof line, fp) != NULL)
    print_error("  %s", line);
  fclose(fp);
}

static void test_x12check(void **state)
{
  struct {
    const char *in;
    plan p[3];
    size_t n;
  } cases[4];
  char dir[] = "/tmp/test_writer_XXXXXX", a[64], b[64], c[64];
  char list[64], report[64], label[32];
  FILE *lf;
  size_t i;
  (void)state;
  if (!have_x12check()) {
    print_message("x12check: python3 or tests/x12check.py not found, "
                  "skipped\n");
    skip();
  }
  assert_non_null(mkdtemp(dir));
  snprintf(list, sizeof list, "%s/list", dir);
  snprintf(report, sizeof report, "%s/report", dir);
  lf = fopen(list, "w");
  assert_non_null(lf);
  memset(cases, 0, sizeof cases);
  cases[0].in = P3;
  cases[0].p[0] = hold("C2");
  cases[0].p[1] = fix1("C3", C837_FIX_UNITS, 0, "2");
  cases[0].p[2] = fix1("C1", C837_FIX_REMOVE, 0, "");
  cases[0].n = 3;
  cases[1].in = I2;
  cases[1].p[0] = hold("P1");
  cases[1].n = 1;
  cases[2].in = I2;
  cases[2].p[0] = hold("S1");
  cases[2].p[1] = fix1("P1", C837_FIX_SPLIT, 0, "1");
  cases[2].n = 2;
  cases[3].in = P3;
  cases[3].p[0] = hold("C1");
  cases[3].p[1] = hold("C3");
  cases[3].n = 2;
  for (i = 0; i < 4; i++) {
    result r;
    membuf inb;
    run(cases[i].in, cases[i].p, cases[i].n, &r);
    assert_int_equal(r.rc, C837_OK);
    inb.p = (char *)cases[i].in;
    inb.len = strlen(cases[i].in);
    snprintf(a, sizeof a, "%s/in%zu.x12", dir, i);
    snprintf(b, sizeof b, "%s/out%zu.x12", dir, i);
    snprintf(c, sizeof c, "%s/held%zu.x12", dir, i);
    assert_int_equal(write_file(a, &inb), 0);
    assert_int_equal(write_file(b, &r.out), 0);
    assert_int_equal(write_file(c, &r.held), 0);
    fprintf(lf, "valid%zu\t%s\t%s\nconserved%zu\t--conserve\t%s\t%s\t%s\n",
            i, b, c, i, a, b, c);
    result_free(&r);
  }
  assert_int_equal(fclose(lf), 0);
  if (x12check_batch(list, report) != 0) {
    for (i = 0; i < 4; i++) {
      snprintf(label, sizeof label, "valid%zu", i);
      if (x12check_said(report, label) == 1) {
        snprintf(label, sizeof label, "conserved%zu", i);
        if (x12check_said(report, label) == 1)
          continue;
      }
      print_error("x12check failed on case %zu (files in %s)\n", i, dir);
    }
    print_file(report);
    fail();
  }
  for (i = 0; i < 4; i++) {
    snprintf(a, sizeof a, "%s/in%zu.x12", dir, i);
    snprintf(b, sizeof b, "%s/out%zu.x12", dir, i);
    snprintf(c, sizeof c, "%s/held%zu.x12", dir, i);
    remove(a);
    remove(b);
    remove(c);
  }
  remove(list);
  remove(report);
  rmdir(dir);
}


/* --conserve also proves each held claim is an input claim byte for
 * byte: a held claim with one element changed is caught, a corrected
 * claim with the same change is not (corrected claims may be fixed). */
static void test_x12check_held_identical(void **state)
{
  static const char held_ok[] = ISA_P P_GS P_ST P_HL1 P_SUB2("2") P_C2
      P_END("18");
  static const char held_bad[] = ISA_P P_GS P_ST P_HL1 P_SUB2("2")
      P_C2_CLM("3000") P_C2_L1("1", "SV1*HC:Q2041*1000*UN*2***1~\n")
      P_C2_L2("2") P_END("18");
  static const char held_crlf[] = ISA_P P_GS P_ST P_HL1 P_SUB2("2")
      "CLM*C2*3000***11:B:1*Y*A*Y*Y~\r\n" "LX*1~\r\n"
      "SV1*HC:Q2041*1000*UN*1***1~  \r\n" "DTP*472*D8*20250110~\n"
      P_C2_L2("2") P_END("18");
  static const char out_ok[] = ISA_P P_GS P_ST P_HL1 P_SUB1("2") P_C1
      P_SUB3("3") P_C3 P_END("23");
  static const char out_fixed[] = ISA_P P_GS P_ST P_HL1 P_SUB1("2") P_C1
      P_SUB3("3") P_C3_("SV1*HC:99212*50*UN*9***1~\n") P_END("23");
  struct {
    const char *out, *held;
    int want;
  } cases[] = {{out_ok, held_ok, 0},
               {out_fixed, held_ok, 0},
               {out_ok, held_bad, 1},
               {out_ok, held_crlf, 0}};
  char dir[] = "/tmp/test_writer_XXXXXX", a[64], b[64], c[64];
  char list[64], report[64], label[32];
  enum { N = sizeof cases / sizeof cases[0] };
  FILE *lf;
  membuf m;
  size_t i;
  int bad = 0;
  (void)state;
  if (!have_x12check()) {
    print_message("x12check: python3 or tests/x12check.py not found, "
                  "skipped\n");
    skip();
  }
  assert_non_null(mkdtemp(dir));
  snprintf(a, sizeof a, "%s/in", dir);
  snprintf(list, sizeof list, "%s/list", dir);
  snprintf(report, sizeof report, "%s/report", dir);
  m.p = (char *)P3;
  m.len = strlen(P3);
  assert_int_equal(write_file(a, &m), 0);
  lf = fopen(list, "w");
  assert_non_null(lf);
  for (i = 0; i < N; i++) {
    snprintf(b, sizeof b, "%s/out%zu", dir, i);
    snprintf(c, sizeof c, "%s/held%zu", dir, i);
    m.p = (char *)cases[i].out;
    m.len = strlen(cases[i].out);
    assert_int_equal(write_file(b, &m), 0);
    m.p = (char *)cases[i].held;
    m.len = strlen(cases[i].held);
    assert_int_equal(write_file(c, &m), 0);
    fprintf(lf, "case%zu\t--conserve\t%s\t%s\t%s\n", i, a, b, c);
  }
  assert_int_equal(fclose(lf), 0);
  (void)x12check_batch(list, report); /* some cases must fail */
  for (i = 0; i < N; i++) {
    int said;
    snprintf(label, sizeof label, "case%zu", i);
    said = x12check_said(report, label);
    if (said < 0 || said == cases[i].want) {
      print_error("x12check --conserve case %zu: %s, want %s\n", i,
                  said < 0 ? "no answer" : said ? "success" : "failure",
                  cases[i].want ? "failure" : "success");
      bad = 1;
    }
    snprintf(b, sizeof b, "%s/out%zu", dir, i);
    snprintf(c, sizeof c, "%s/held%zu", dir, i);
    remove(b);
    remove(c);
  }
  if (bad) {
    print_file(report);
    fail();
  }
  remove(a);
  remove(list);
  remove(report);
  rmdir(dir);
}

/* ------------------------------------------------------------------ */
/* Public corpus (../shared/corpus/, when present)                     */
/* ------------------------------------------------------------------ */

static char *slurp(const char *path, size_t *len)
{
  FILE *fp = fopen(path, "rb");
  char *p = NULL;
  long n;
  if (fp == NULL)
    return NULL;
  if (fseek(fp, 0, SEEK_END) == 0 && (n = ftell(fp)) >= 0 &&
      fseek(fp, 0, SEEK_SET) == 0 && (p = malloc((size_t)n + 1)) != NULL) {
    *len = fread(p, 1, (size_t)n, fp);
    p[*len] = '\0';
  }
  fclose(fp);
  return p;
}

/* Every corpus file comes out byte-identical with no verdicts (valid or
 * not: wrong SE01 counts, odd HL numbering, 837D, 4010).  Then every
 * second claim is held: claims are conserved (stats, and x12check
 * --conserve when python3 is there) and nothing crashes -- except in
 * the files whose HL links break the rule (repeated HL01, HL02 naming
 * a later HL: HL01_ORDER, HL02_PARENT), where a claim to hold is
 * refused with C837_ECLAIM (the job holds such a file whole). */
static void test_corpus(void **state)
{
  static const char root[] = "../shared/corpus/";
  char path[1024], *line = NULL, dir[] = "/tmp/test_writer_XXXXXX";
  char a[96], b[96], c[96], cmd[1024];
  size_t line_cap = 0, files = 0, refused = 0, k;
  FILE *idx, *list = NULL;
  int py;
  (void)state;
  snprintf(path, sizeof path, "%sINDEX.tsv", root);
  idx = fopen(path, "r");
  if (idx == NULL) {
    print_message("corpus: %s not found, skipped\n", path);
    skip();
  }
  py = have_x12check();
  assert_non_null(mkdtemp(dir));
  if (py) {
    snprintf(a, sizeof a, "%s/list", dir);
    list = fopen(a, "w");
    assert_non_null(list);
  }
  while (getline(&line, &line_cap, idx) > 0) {
    char *tab = strchr(line, '\t'), *data;
    size_t len = 0, i, n_ids = 0;
    plan *plans;
    result r;
    if (tab == NULL || strncmp(line, "file\t", 5) == 0)
      continue;
    *tab = '\0';
    if (strlen(line) + sizeof root > sizeof path)
      continue;
    memcpy(path, root, sizeof root - 1);
    strcpy(path + sizeof root - 1, line);
    data = slurp(path, &len);
    assert_non_null(data);
    run_chunked(data, len, NULL, 0, 0, &r);
    if (r.out.len != len || memcmp(r.out.p, data, len) != 0) {
      print_error("corpus file %s is not byte-identical\n", path);
      fail();
    }
    assert_int_equal(r.held.calls, 0);
    assert_int_equal(r.st.claims_in, r.st.claims_out);
    /* hold every second claim: plans by CLM01, found by a plain scan */
    plans = calloc(r.st.claims_in + 1, sizeof *plans);
    assert_non_null(plans);
    for (i = 0; i + 4 < len && n_ids < r.st.claims_in; i++) {
      if ((i == 0 || strchr("~\n\r'", data[i - 1]) != NULL ||
           (unsigned char)data[i - 1] < 32) &&
          memcmp(data + i, "CLM", 3) == 0 &&
          !isalnum((unsigned char)data[i + 3])) {
        char sep = data[i + 3], *id;
        size_t m = 0;
        while (i + 4 + m < len && data[i + 4 + m] != sep && m < 80)
          m++;
        id = malloc(m + 1);
        assert_non_null(id);
        memcpy(id, data + i + 4, m);
        id[m] = '\0';
        if (n_ids % 2 == 0)
          plans[n_ids] = hold(id);
        else
          plans[n_ids].id = id; /* passed: no fixes */
        n_ids++;
      }
    }
    result_free(&r);
    run_chunked(data, len, plans, n_ids, 0, &r);
    if (r.rc == C837_ECLAIM &&
        strstr(r.err.msg, "(HL02_PARENT, HL01_ORDER)") != NULL) {
      refused++;
    } else {
      assert_int_equal(r.rc, C837_OK);
      assert_int_equal(r.st.claims_in, r.st.claims_out + r.st.claims_held);
    }
    if (list != NULL && r.rc == C837_OK) {
      snprintf(b, sizeof b, "%s/out%zu", dir, files);
      snprintf(c, sizeof c, "%s/held%zu", dir, files);
      assert_int_equal(write_file(b, &r.out), 0);
      assert_int_equal(write_file(c, &r.held), 0);
      fprintf(list, "%s\t%s\t%s\n", path, b, c);
    }
    for (i = 0; i < n_ids; i++)
      free((char *)plans[i].id);
    free(plans);
    result_free(&r);
    free(data);
    files++;
  }
  fclose(idx);
  free(line);
  if (list != NULL) {
    fclose(list);
    snprintf(cmd, sizeof cmd,
             "%s tests/x12check.py --conserve-list %s/list >/dev/null",
             python(), dir);
    if (system(cmd) != 0) {
      print_error("corpus: claims not conserved (see %s)\n", dir);
      fail();
    }
    for (k = 0; k < files; k++) {
      snprintf(b, sizeof b, "%s/out%zu", dir, k);
      snprintf(c, sizeof c, "%s/held%zu", dir, k);
      remove(b);
      remove(c);
    }
    remove(a);
  }
  rmdir(dir);
  print_message("corpus: %zu files (%zu refused for their HL links)\n",
                files, refused);
  assert_true(files > 0);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_untouched_identical),
      cmocka_unit_test(test_untouched_bad_se_crlf_bom),
      cmocka_unit_test(test_untouched_no_claims),
      cmocka_unit_test(test_fix_units),
      cmocka_unit_test(test_fix_code_with_modifier),
      cmocka_unit_test(test_fix_revenue),
      cmocka_unit_test(test_fix_remove_line),
      cmocka_unit_test(test_fix_split_rd8),
      cmocka_unit_test(test_fix_split_claim_dates),
      cmocka_unit_test(test_fix_bad_line),
      cmocka_unit_test(test_refuse_fix_not_fitting),
      cmocka_unit_test(test_refuse_split_too_long),
      cmocka_unit_test(test_refuse_hold_outside_envelope),
      cmocka_unit_test(test_refuse_header_too_long),
      cmocka_unit_test(test_fix_sum_at_int64_max),
      cmocka_unit_test(test_fix_sum_overflow_held),
      cmocka_unit_test(test_deep_hl_at_limit),
      cmocka_unit_test(test_deep_hl_untouched),
      cmocka_unit_test(test_deep_hl_refused),
      cmocka_unit_test(test_deep_hl_refusal_goes_on),
      cmocka_unit_test(test_hold_one_of_three),
      cmocka_unit_test(test_hold_all_of_subscriber),
      cmocka_unit_test(test_hold_all),
      cmocka_unit_test(test_hold_hl04_child_held),
      cmocka_unit_test(test_hold_hl04_parent_claim_held),
      cmocka_unit_test(test_hold_hl04_defer_overflow),
      cmocka_unit_test(test_hold_drops_transaction),
      cmocka_unit_test(test_hold_drops_group),
      cmocka_unit_test(test_hold_two_interchanges),
      cmocka_unit_test(test_hold_drops_what_ended_open_st),
      cmocka_unit_test(test_hold_drops_st_that_ended_open_st),
      cmocka_unit_test(test_open_at_end_closed_when_rewritten),
      cmocka_unit_test(test_fix_line_without_lx),
      cmocka_unit_test(test_hl_links_copied_through),
      cmocka_unit_test(test_hl_links_refused),
      cmocka_unit_test(test_close_what_is_rewritten),
      cmocka_unit_test(test_control_number_trimmed),
      cmocka_unit_test(test_other_delimiters),
      cmocka_unit_test(test_hold_under_cut_isa),
      cmocka_unit_test(test_hold_isa_sep_is_held_term),
      cmocka_unit_test(test_raw_tail),
      cmocka_unit_test(test_sink_failure),
      cmocka_unit_test(test_null_sinks),
      cmocka_unit_test(test_x12check),
      cmocka_unit_test(test_x12check_held_identical),
      cmocka_unit_test(test_corpus),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
