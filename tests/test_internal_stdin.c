/* test_internal_stdin.c -- unit tests of a run over input that cannot be
 * read twice (an internal test: the run layer, run/run.h)
 *
 * c837_run_file on standard input (a pipe put on descriptor 0, fed by a
 * child process) with the corrected 837 written to OUT/stdin.837 (not
 * the filter mode, so that every output is a file to compare), and on a
 * regular file where the summary is concerned:
 *   - a claim or segment the writer refuses (a claim to hold outside an
 *     ISA / GS / ST envelope; HL nesting deeper than C837_MAX_HL_DEPTH in
 *     a transaction with a held claim): every input byte is in exactly
 *     one of OUT/stdin.837, OUT/held/stdin.837, OUT/held/stdin.837.unparsed,
 *     the refused part and what follows in the last, as they came;
 *   - the limit on the unparsed rest (c837_run_options.max_unparsed, and
 *     C837_MAX_UNPARSED_NOISA for input that is not X12): exactly that
 *     many bytes are kept, the rest is not read, and the message and
 *     the summary say so; a rest exactly at the limit is not cut;
 *   - summary.txt of a file held whole does not count its claims, and
 *     says so, and the totals stay claims in = corrected + held;
 *   - the events of those runs, as a person would hear of them.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cart837.h"
#include "base/limits.h"
#include "run/run.h" /* the file records: unparsed_bytes, uncounted */
#include "testbuf.h"

static char g_dir[256];
static int g_run; /* output directories out1, out2, ... */

static int setup(void **state)
{
  (void)state;
  snprintf(g_dir, sizeof g_dir, "/tmp/c837_test_stdin.XXXXXX");
  signal(SIGPIPE, SIG_IGN); /* the run stops reading: the feeder sees EPIPE */
  return mkdtemp(g_dir) ? 0 : -1;
}

static int teardown(void **state)
{
  char cmd[300];
  (void)state;
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", g_dir);
  return system(cmd) == 0 ? 0 : -1;
}

/* The whole file at path (NUL-terminated); len 0 and p NULL when it does
 * not exist. */
static buf slurp(const char *path)
{
  buf b = {NULL, 0, 0};
  FILE *fp = fopen(path, "rb");
  char tmp[65536];
  size_t n;
  if (!fp)
    return b;
  buf_add(&b, "", 0);
  while ((n = fread(tmp, 1, sizeof tmp, fp)) > 0)
    buf_add(&b, tmp, n);
  fclose(fp);
  return b;
}

static int exists(const char *path)
{
  struct stat sb;
  return stat(path, &sb) == 0;
}

/* One run over one input; out is its output directory. */
typedef struct run {
  char out[300];
  c837_status st;      /* of c837_run_file */
  c837_file_rec rec;   /* copy; reason points into reason[] */
  char reason[600];
  buf summary;
  buf events;          /* the run's events, one line each (on_event) */
} run;

/* The run's events as text: the kind, then what a message would say. */
static void on_event(void *ud, const c837_run_event *ev)
{
  run *r = ud;
  switch (ev->kind) {
  case C837_RUN_SKIPPED:
    buf_fmt(&r->events, "skipped %s: %s\n", ev->file, ev->reason);
    break;
  case C837_RUN_PROBLEM:
    buf_fmt(&r->events, "problem %s: %s\n", ev->file, ev->problem->code);
    break;
  case C837_RUN_CLAIM:
    buf_fmt(&r->events, "claim %s: %s (%s)\n", ev->file, ev->claim->id,
            c837_disposition_name(ev->verdict->disposition));
    break;
  case C837_RUN_FILE_FAILED:
    buf_fmt(&r->events, "failed %s: %s\n", ev->file, ev->err->msg);
    break;
  case C837_RUN_HELD_WHOLE:
    buf_fmt(&r->events, "held whole %s (%d): byte %llu, segment %llu: %s\n",
            ev->file, ev->held, (unsigned long long)ev->err->offset,
            (unsigned long long)ev->err->segment, ev->err->msg);
    break;
  case C837_RUN_UNPARSED_REST:
    buf_fmt(&r->events, "rest %s: byte %llu, segment %llu: %s\n", ev->file,
            (unsigned long long)ev->err->offset,
            (unsigned long long)ev->err->segment, ev->err->msg);
    break;
  case C837_RUN_NO_CORRECTED:
    buf_fmt(&r->events, "no corrected %s (%d)\n", ev->file, ev->held);
    break;
  case C837_RUN_PROGRESS:
    break;
  }
}

static c837_run *start_run(run *r, uint64_t max_unparsed)
{
  c837_run_options o;
  c837_error err;
  c837_run *j;
  snprintf(r->out, sizeof r->out, "%s/out%d", g_dir, ++g_run);
  c837_run_options_default(&o);
  o.out_dir = r->out;
  o.run_date = 20250601;
  o.max_unparsed = max_unparsed;
  o.on_event = on_event;
  o.ud = r;
  j = c837_run_new(&o, &err);
  assert_non_null(j);
  return j;
}

static void end_run(run *r, c837_run *j)
{
  c837_error err;
  char path[400];
  assert_int_equal(c837_run_record_count(j), 1);
  r->rec = *c837_run_record(j, 0);
  snprintf(r->reason, sizeof r->reason, "%s",
           r->rec.reason ? r->rec.reason : "");
  r->rec.name = r->rec.reason = NULL;
  assert_int_equal(c837_run_finish(j, &err), C837_OK);
  c837_run_free(j);
  snprintf(path, sizeof path, "%s/summary.txt", r->out);
  r->summary = slurp(path);
  assert_non_null(r->summary.p);
}

/* A run over data[0..n) read from a pipe on standard input (fed by
 * a child process, which may be left with bytes the run never reads). */
static void run_stdin(run *r, const void *data, size_t n,
                      uint64_t max_unparsed)
{
  int p[2], saved, status;
  pid_t pid;
  c837_run *j = start_run(r, max_unparsed);
  assert_int_equal(pipe(p), 0);
  pid = fork();
  assert_true(pid >= 0);
  if (pid == 0) {
    const char *q = data;
    close(p[0]);
    while (n > 0) {
      ssize_t w = write(p[1], q, n);
      if (w <= 0)
        _exit(0);
      q += w;
      n -= (size_t)w;
    }
    _exit(0);
  }
  close(p[1]);
  saved = dup(0);
  assert_true(saved >= 0);
  assert_int_equal(dup2(p[0], 0), 0);
  close(p[0]);
  r->st = c837_run_file(j, "-", "stdin.837");
  assert_int_equal(dup2(saved, 0), 0); /* the pipe's last reader goes */
  close(saved);
  assert_int_equal(waitpid(pid, &status, 0), pid);
  end_run(r, j);
}

/* The output file OUT/sub of run r. */
static buf out_file(const run *r, const char *sub)
{
  char path[400];
  snprintf(path, sizeof path, "%s/%s", r->out, sub);
  return slurp(path);
}

/* The three outputs of stdin.837 in run r (p NULL: not written). */
static void outputs(const run *r, buf *o, buf *h, buf *u)
{
  *o = out_file(r, "stdin.837");
  *h = out_file(r, "held/stdin.837");
  *u = out_file(r, "held/stdin.837.unparsed");
}

/* The lines of summary.txt from "file: NAME" to the blank line after. */
static void assert_file_block(const run *r, const char *want)
{
  const char *p = strstr(r->summary.p, "file: ");
  const char *e;
  assert_non_null(p);
  e = strstr(p, "\n\n");
  assert_non_null(e);
  assert_int_equal((size_t)(e + 1 - p), strlen(want));
  assert_memory_equal(p, want, strlen(want));
}

#define ISA_P                                                              \
  "ISA*00*          *00*          *ZZ*SENDER         *ZZ*RECEIVER       " \
  "*250101*1200*^*00501*000000001*0*P*:~\n"
#define GS_ST                                                              \
  "GS*HC*S*R*20250101*1200*1*X*005010X222A1~\n"                          \
  "ST*837*0001*005010X222A1~\n"                                          \
  "BHT*0019*00*1*20250101*1200*CH~\n"
/* an interchange up to its billing provider HL */
#define HEAD_837 ISA_P GS_ST "HL*1**20*1~\nNM1*85*2*C*****XX*1234567893~\n"

/* tests/fuzz-regress/writer-hold-outside-isa.x12: a claim to hold in an
 * ST that is in no ISA or GS.  The writer cannot give it an envelope of
 * its own, so it refuses the claim; what came before goes out (ISA, IEA
 * and the ST, which the writer had kept back), the claim and the rest of
 * the input are kept as they came. */
static void test_refused_claim_outside_envelope(void **state)
{
  static const char in[] =
      "ISA****************:~IEA~ST*837~CLM~LX~SV1*:38227~GE~";
  run r;
  buf o, h, u;
  (void)state;
  memset(&r, 0, sizeof r);
  run_stdin(&r, in, sizeof in - 1, 0);
  assert_int_equal(r.st, C837_ECLAIM);
  outputs(&r, &o, &h, &u);
  assert_null(h.p);
  assert_non_null(o.p);
  assert_non_null(u.p);
  assert_string_equal(o.p, "ISA****************:~IEA~ST*837~");
  assert_string_equal(u.p, "CLM~LX~SV1*:38227~GE~");
  assert_string_equal(r.reason,
                      "claim  is not inside an ISA / GS / ST envelope: it "
                      "cannot be held in an envelope of its own; that claim "
                      "and the rest of the input (21 bytes) are kept as "
                      "they came in held/stdin.837.unparsed");
  assert_int_equal(r.rec.unparsed_bytes, 21);
  assert_false(r.rec.unparsed_cut);
  /* the events a person hears of (no claim event: the one claim was
   * refused); the ISA has no ISA13, the ST no ST02 */
  assert_string_equal(
      r.events.p,
      "problem stdin.837: ISA_LENGTH\n"
      "problem stdin.837: ISA09_DATE\n"
      "problem stdin.837: ISA13_INVALID\n"
      "problem stdin.837: IEA01_COUNT\n"
      "problem stdin.837: ST_OUTSIDE_GS\n"
      "problem stdin.837: ST02_INVALID\n"
      "problem stdin.837: CLM_WITHOUT_HL\n"
      "rest stdin.837: byte 32, segment 4: claim  is not inside an ISA / "
      "GS / ST envelope: it cannot be held in an envelope of its own; that "
      "claim and the rest of the input (21 bytes) are kept as they came "
      "in held/stdin.837.unparsed\n");
  /* the refused claim is not counted: it is in the unparsed rest */
  assert_file_block(
      &r, "file: stdin.837\n"
          "  status: ECLAIM: claim  is not inside an ISA / GS / ST "
          "envelope: it cannot be held in an envelope of its own; that "
          "claim and the rest of the input (21 bytes) are kept as they "
          "came in held/stdin.837.unparsed\n"
          "  unparsed rest: 21 bytes in held/stdin.837.unparsed, not read "
          "as claims\n"
          "  claims read: 0\n"
          "  service lines: 0\n"
          "  CAR-T lines: 0\n"
          "  claims passed: 0\n"
          "  claims fixed: 0\n"
          "  claims held: 0\n"
          "  claims in = corrected + held: 0 = 0 + 0\n"
          "  findings: 8 error, 0 warning, 0 info\n"
          "    ENVELOPE_INVALID: 8\n");
  assert_non_null(strstr(r.summary.p,
                         "  not counted below: the claims in 1 unparsed "
                         "rest(s) (see the files above)\n"));
  free(o.p);
  free(u.p);
  free(r.summary.p);
  free(r.events.p);
}

/* A transaction whose HLs nest one level deeper than the writer tracks,
 * after a claim in it was held: the writer cannot rewrite it and refuses
 * the HL that goes too deep.  The corrected output is the input up to
 * that HL without the held claim (nothing else changes: no HL is left
 * empty), closed with the SE, GE and IEA it now lacks (what is
 * rewritten is closed: issue 11), the held claim is in the held output
 * (which reads back), and that HL and the rest of the input are the
 * unparsed rest. */
static void test_refused_segment_too_deep(void **state)
{
  buf in = {NULL, 0, 0};
  size_t a_start, a_end, deep;
  int k;
  run r;
  buf o, h, u;
  (void)state;
  memset(&r, 0, sizeof r);
  buf_str(&in, HEAD_837 "HL*2*1*22*1~\nNM1*IL*1*DOE*JANE****MI*M1~\n");
  a_start = in.len;
  /* no units on a CAR-T line: UNITS_INVALID, the claim is held */
  buf_str(&in, "CLM*A*100***11:B:1~\nLX*1~\nSV1*HC:38228*100*UN~\n"
               "DTP*472*D8*20250601~\n");
  a_end = in.len;
  for (k = 3; k <= C837_MAX_HL_DEPTH; k++)
    buf_fmt(&in, "HL*%d*%d*23*1~\nNM1*QC*1*DOE*KID%d~\n", k, k - 1, k);
  deep = in.len;
  buf_fmt(&in, "HL*%d*%d*23*0~\nNM1*QC*1*DOE*KID~\n", C837_MAX_HL_DEPTH + 1,
          C837_MAX_HL_DEPTH);
  buf_str(&in, "CLM*B*10***11:B:1~\nLX*1~\nSV1*HC:99213*10*UN*1~\n"
               "SE*999*0001~\nGE*1*1~\nIEA*1*000000001~\n");
  run_stdin(&r, in.p, in.len, 0);
  assert_int_equal(r.st, C837_ECLAIM);
  outputs(&r, &o, &h, &u);
  assert_non_null(o.p);
  assert_non_null(h.p);
  assert_non_null(u.p);
  {
    size_t kept = a_start + deep - a_end, segs = 1, i;
    char tail[80];
    for (i = (size_t)(strstr(o.p, "ST*") - o.p); i < kept; i++)
      segs += o.p[i] == '~';
    snprintf(tail, sizeof tail, "SE*%zu*0001~\nGE*1*1~\nIEA*1*000000001~\n",
             segs);
    assert_int_equal(o.len, kept + strlen(tail));
    assert_memory_equal(o.p + kept, tail, strlen(tail));
  }
  assert_memory_equal(o.p, in.p, a_start);
  assert_memory_equal(o.p + a_start, in.p + a_end, deep - a_end);
  assert_int_equal(u.len, in.len - deep);
  assert_memory_equal(u.p, in.p + deep, u.len);
  {
    /* the held output reads back: one claim, claim A as it came */
    char path[400];
    c837_input *hin;
    c837_error err;
    c837_counts cnt;
    c837_handler nh = {NULL, NULL, NULL, NULL};
    snprintf(path, sizeof path, "%s/held/stdin.837", r.out);
    hin = c837_input_open(path, &err);
    assert_non_null(hin);
    assert_int_equal(c837_stream_run(hin, &nh, NULL, NULL, &cnt, &err),
                     C837_OK);
    c837_input_close(hin);
    assert_int_equal(cnt.claims, 1);
    assert_int_equal(cnt.problems, 0);
    assert_non_null(strstr(h.p, "\nCLM*A*100***11:B:1~\nLX*1~\nSV1*HC:"
                                "38228*100*UN~\nDTP*472*D8*20250601~\nSE*"));
  }
  assert_int_equal(r.rec.t.claims, 1);
  assert_int_equal(r.rec.t.claims_held, 1);
  assert_int_equal(r.rec.unparsed_bytes, in.len - deep);
  {
    char want[400];
    snprintf(want, sizeof want,
             "HL nesting deeper than %d levels in a transaction with a "
             "fixed or held claim: cannot rewrite it; that segment and the "
             "rest of the input (%zu bytes) are kept as they came in "
             "held/stdin.837.unparsed",
             C837_MAX_HL_DEPTH, in.len - deep);
    assert_string_equal(r.reason, want);
  }
  free(o.p);
  free(h.p);
  free(u.p);
  free(in.p);
  free(r.summary.p);
  free(r.events.p);
}

/* An input cut inside a transaction, read from a pipe, with its unparsed
 * rest of R bytes: max_unparsed R keeps it whole; R - 1 keeps R - 1
 * bytes, stops, and says so; the claims before the error are processed
 * either way. */
static void test_unparsed_limit(void **state)
{
  buf in = {NULL, 0, 0};
  size_t rest_at, rest;
  int cut;
  (void)state;
  buf_str(&in, HEAD_837 "HL*2*1*22*0~\nNM1*IL*1*DOE*JANE****MI*M1~\n"
               "CLM*A*10***11:B:1~\nLX*1~\nSV1*HC:99213*10*UN*1~\n");
  rest_at = in.len;
  /* the last claim: the input ends inside its transaction (ETRUNC), so
   * it is not handed out and starts the unparsed rest */
  buf_str(&in, "CLM*B*10***11:B:1~\n");
  while (in.len < rest_at + 5000)
    buf_str(&in, "LX*1~\nSV1*HC:99213*10*UN*1~\n");
  rest = in.len - rest_at;
  for (cut = 0; cut <= 1; cut++) {
    run r;
    buf o, h, u;
    char want[600];
    memset(&r, 0, sizeof r);
    run_stdin(&r, in.p, in.len, rest - (size_t)cut);
    assert_int_equal(r.st, C837_ETRUNC);
    outputs(&r, &o, &h, &u);
    assert_null(h.p);
    assert_non_null(o.p);
    assert_non_null(u.p);
    assert_int_equal(o.len, rest_at);
    assert_memory_equal(o.p, in.p, rest_at);
    assert_int_equal(u.len, rest - (size_t)cut);
    assert_memory_equal(u.p, in.p + rest_at, u.len);
    assert_int_equal(r.rec.t.claims, 1);
    assert_int_equal(r.rec.t.claims_passed, 1);
    assert_int_equal(r.rec.unparsed_bytes, u.len);
    assert_int_equal(r.rec.unparsed_cut, cut);
    if (cut)
      snprintf(want, sizeof want,
               "input ends inside transaction set ST02=0001 after 1 "
               "complete claim(s) and inside the next one, with no SE: the "
               "file is truncated; only the "
               "first %zu bytes of the unparsed rest are kept, as they "
               "came, in held/stdin.837.unparsed (the limit on an "
               "unparsed rest): reading stopped there, the 1 bytes read "
               "past them and the rest of the input were dropped",
               rest - 1);
    else
      snprintf(want, sizeof want,
               "input ends inside transaction set ST02=0001 after 1 "
               "complete claim(s) and inside the next one, with no SE: the "
               "file is truncated; the unparsed "
               "rest of the input (%zu bytes) is kept as it came in "
               "held/stdin.837.unparsed",
               rest);
    assert_string_equal(r.reason, want);
    snprintf(want, sizeof want,
             "  unparsed rest: %zu bytes in held/stdin.837.unparsed, not "
             "read as claims%s\n",
             u.len,
             cut ? "; cut at its limit: the rest of the input was not read"
                 : "");
    assert_non_null(strstr(r.summary.p, want));
    free(o.p);
    free(u.p);
    free(r.summary.p);
    free(r.events.p);
  }
  free(in.p);
}

/* Zeros on stdin (`cat /dev/zero | cart837 -` would never end): no ISA,
 * so only C837_MAX_UNPARSED_NOISA bytes are kept, whatever the run's
 * limit, and reading stops there. */
static void test_unparsed_noisa_limit(void **state)
{
  size_t n = 3 * C837_MAX_UNPARSED_NOISA;
  char *zeros = calloc(1, n);
  run r;
  buf u, o, h;
  size_t i;
  (void)state;
  assert_non_null(zeros);
  memset(&r, 0, sizeof r);
  run_stdin(&r, zeros, n, 0);
  assert_int_equal(r.st, C837_ENOISA);
  outputs(&r, &o, &h, &u);
  assert_null(h.p);
  assert_non_null(u.p);
  assert_int_equal(u.len, C837_MAX_UNPARSED_NOISA);
  for (i = 0; i < u.len && u.p[i] == 0; i++)
    ;
  assert_int_equal(i, u.len);
  assert_int_equal(o.len, 0); /* an empty corrected file: nothing parsed */
  assert_true(r.rec.unparsed_cut);
  assert_non_null(strstr(r.reason, "; only the first 1048576 bytes of the "
                                   "unparsed rest are kept, as they came, "
                                   "in held/stdin.837.unparsed (the limit "
                                   "for input that is not X12): reading "
                                   "stopped there, the "));
  free(u.p);
  free(o.p);
  free(zeros);
  free(r.summary.p);
  free(r.events.p);
}

/* A regular file that cannot be read to its end is held whole: its
 * claims are not counted (they are not known), the summary says so, and
 * the totals keep claims in = corrected + held for what was counted. */
static void test_summary_held_whole(void **state)
{
  buf in = {NULL, 0, 0};
  char path[400];
  c837_run *j;
  run r;
  buf h;
  (void)state;
  memset(&r, 0, sizeof r);
  buf_str(&in, HEAD_837 "HL*2*1*22*0~\nNM1*IL*1*DOE*JANE****MI*M1~\n"
               "CLM*A*10***11:B:1~\nLX*1~\nSV1*HC:99213*10*UN*1~\n"
               "CLM*B*10***11:B:1~\nLX*1~\nNTE*");
  /* a segment past C837_MAX_SEGMENT inside the second claim, then a
   * third claim */
  while (in.len < C837_MAX_SEGMENT + 1000)
    buf_str(&in, "xxxxxxxx");
  buf_str(&in, "~\nSV1*HC:99213*10*UN*1~\nCLM*C*10***11:B:1~\nLX*1~\n"
               "SV1*HC:99213*10*UN*1~\nSE*99*0001~\nGE*1*1~\n"
               "IEA*1*000000001~\n");
  snprintf(path, sizeof path, "%s/whole.837", g_dir);
  {
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    assert_int_equal(fwrite(in.p, 1, in.len, fp), in.len);
    assert_int_equal(fclose(fp), 0);
  }
  j = start_run(&r, 0);
  r.st = c837_run_file(j, path, "whole.837");
  end_run(&r, j);
  assert_int_equal(r.st, C837_ETOOLONG);
  h = out_file(&r, "held/whole.837");
  assert_int_equal(h.len, in.len);
  assert_memory_equal(h.p, in.p, in.len);
  {
    char o[400];
    snprintf(o, sizeof o, "%s/whole.837", r.out);
    assert_false(exists(o));
  }
  assert_true(r.rec.uncounted);
  assert_true(r.rec.held_whole);
  assert_int_equal(r.rec.claims_before_error, 1);
  /* the claim read before the error went by, then the file was held
   * whole (and the claim taken back) */
  assert_string_equal(r.events.p,
                      "claim whole.837: A (passed)\n"
                      "held whole whole.837 (1): byte 362, segment 14: "
                      "segment longer than 65536 bytes: missing segment "
                      "terminator?\n");
  assert_file_block(
      &r, "file: whole.837\n"
          "  status: ETOOLONG: segment longer than 65536 bytes: "
          "missing segment terminator?\n"
          "  held whole: held/whole.837 is the file as it came; its claims "
          "are not counted (1 complete claim(s) were read before the error)\n"
          "  claims read: not counted\n"
          "  service lines: not counted\n"
          "  CAR-T lines: not counted\n"
          "  claims passed: 0\n"
          "  claims fixed: 0\n"
          "  claims held: not counted\n"
          "  claims in = corrected + held: not counted\n"
          "  findings: 1 error, 0 warning, 0 info\n"
          "    ENVELOPE_INVALID: 1\n");
  assert_non_null(strstr(r.summary.p,
                         "total: 1 files (1 failed, 0 skipped)\n"
                         "  not counted below: the claims of 1 file(s) that "
                         "could not be read to their end (see the files "
                         "above)\n"
                         "  claims read: 0\n"));
  assert_non_null(strstr(r.summary.p,
                         "  claims in = corrected + held: 0 = 0 + 0\n"));
  free(h.p);
  free(in.p);
  free(r.summary.p);
  free(r.events.p);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_refused_claim_outside_envelope),
      cmocka_unit_test(test_refused_segment_too_deep),
      cmocka_unit_test(test_unparsed_limit),
      cmocka_unit_test(test_unparsed_noisa_limit),
      cmocka_unit_test(test_summary_held_whole),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
