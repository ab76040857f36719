/* fuzz_pipeline.c -- libFuzzer harness of the whole pipeline, through
 * the run layer
 *
 * Each input is one 837 file (plain or gzip).  It goes through
 * c837_run_file (src/run/run_file.c) exactly as a file read from
 * standard input does: fed through a pipe on descriptor 0 by a thread,
 * into a run whose outputs (never compressed) and reports go to a
 * private directory (c837_fuzz.PID/out, one per process, reused; in
 * $FUZZ_TMPDIR, else /dev/shm when writable, else $TMPDIR or /tmp; the
 * directories of processes that are gone are swept at start).  The run
 * is new for every input (so a crash never depends on earlier inputs),
 * and finished, so that findings.csv, lines.csv, summary.txt and
 * report.html are written too.  The harness listens to the run's events
 * (each claim with its verdict as it went to the writer, each envelope
 * problem, the unparsed rest), reads the outputs back, and reads the
 * input a second time on its own (c837_stream_run on the file) to have
 * every byte and claim of it.
 *
 * What must hold for any input (abort() otherwise, so that libFuzzer
 * records a crash; the sanitizers check memory and undefined behaviour):
 *   1. Verdicts are consistent (held claims carry no fixes; fixed ones
 *      do), and the writer never refuses a fix as not fitting its claim
 *      (C837_EINVAL); C837_ECONSERVE never happens: the file ends
 *      C837_OK, or with a parse error or a refusal (C837_ECLAIM) and its
 *      unparsed rest.
 *   2. Conservation: claims in == claims corrected + claims held, as the
 *      run counts them and as the outputs re-parse.
 *   3. Every byte is accounted for: the unparsed rest is the tail of the
 *      input (decompressed), the claims the run handed to the writer are
 *      those of the input before it, byte for byte and in order, and a
 *      plain input is what the second reading saw; a file with no fixed
 *      and no held claim comes out byte for byte (corrected output and
 *      rest are the input).
 *   4. The outputs re-parse with the library's own tokenizer and
 *      assembler: the held output always (it is complete even when the
 *      input was cut short), the corrected output when the input parsed
 *      to its end.  When the input had no envelope problem at all
 *      (counts, control numbers, trailers, segments out of place), the
 *      outputs have none either: SE01/GE01/IEA01 and the control numbers
 *      are right.  This is conditional on purpose: a transaction the
 *      writer does not rewrite keeps its bytes, wrong counts included.
 *   5. HL structure: when the input's HLs are numbered 1, 2, 3 ... in
 *      each transaction, each HL02 names an HL open above it and HL04
 *      says truly whether a child follows, the same holds in both
 *      outputs (drops, renumbering and the HL04 decision included).
 *   6. Every input claim is in exactly one output, in input order: held
 *      claims (and fixed claims whose amounts cannot be represented)
 *      byte-identical in the held output, passed claims byte-identical
 *      in the corrected output, fixed claims in the corrected output with
 *      the same CLM01, the claim-level segments unchanged, every line
 *      rewritten as its fixes say (units, code, revenue code, removed,
 *      split one per day with the charges divided), LX01 1, 2, 3 ... and
 *      CLM02 the sum of the line charges where it was re-summed.
 *   7. The reports are valid CSV (libcsv) with one row per finding and
 *      per envelope problem (findings.csv) and per CAR-T or watch-code
 *      line (lines.csv), in order, naming the right claim, edit and
 *      detail (with the "'" of C837_CSV_FORMULA_SAFE before a value a
 *      spreadsheet would read as a formula), and findings.csv ends with
 *      the row naming the file's error when it has one.
 *   8. No tracked line is forwarded unseen: a raw scan of the outputs
 *      (its own segmentation on the ISA's separators, line breaks
 *      inside segments dropped; no tokenizer) finds every tracked
 *      SV1/SV2 of the corrected output inside a claim that the run
 *      handed to its edits, with as many tracked lines as the edits saw
 *      when the claim was copied (so each has its lines.csv row, check
 *      7), and none outside a claim (but in a 278, whose service lines
 *      are no claim and pass on by design); it finds as many claims in the
 *      held output as the run held (conservation, counted without the
 *      library's parser).
 *   9. The fast path changes nothing (issue 14): checks 1 to 8 are made
 *      on a run with c837_run_options.no_fast_path = 1 (every claim
 *      through the full path, with its claim event); the same input then
 *      runs again with the default, the claim-level fast path on
 *      (src/run/fastpath.c), and must end with the same status, the same
 *      file record (figures, reason, held whole, unparsed rest), the same
 *      events other than claims and progress (kind, file, reason, error,
 *      problem, in order: what the command prints) and an output
 *      directory identical byte for byte to the first run's (corrected,
 *      held and unparsed outputs, findings.csv, lines.csv, episodes.csv,
 *      summary.txt, summary.json, report.html).  As checks 1 to 8 hold for
 *      the first run's outputs, they hold for the fast path's.  When the
 *      input did not read to its end, the pair is run once more on the
 *      input as a regular file (c837_run_file on its path: held whole,
 *      where standard input keeps an unparsed rest); when it is gzip, once
 *      more as a file with its outputs compressed as it is (the command's
 *      default: an unchanged gzip file goes out as its own bytes, a
 *      changed one through the deflate worker).  A difference leaves
 *      both trees in the private directory (ref/ and out/) and names the
 *      first differing file and byte.
 *  10. An extract moves the edits' memory as its input does (issue 14,
 *      exact scale-out): the input as a file, run with a ledger, saves
 *      a ledger; its extract (c837_run_options.extract) read as a ghost
 *      (c837_run_ghost) by a run over an empty ledger must save the same
 *      bytes -- also when the input is held whole (both empty) -- and
 *      the ghost must read (C837_OK).  An extract that leaves out a claim
 *      an edit looks at, or a ghost that reads a claim differently,
 *      shows here.
 *
 * Built by `make fuzz` with clang -fsanitize=fuzzer,address,undefined,
 * and by `make test` with the normal compiler and tests/fuzz_replay.c,
 * which replays tests/fuzz-regress/ (every crash found) and the samples.
 * An internal harness: it uses the run layer (run/run.h), the report's
 * line classification (run/report.h) and the writer's plan of a fixed
 * claim (write/writer_int.h).
 */
#include <csv.h>
#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cart837.h"
#include "base/buf.h"         /* c837_vec_reserve */
#include "base/csvschema.h"   /* c837_csv_formula_unsafe */
#include "base/limits.h"
#include "run/report.h"
#include "run/run.h"
#include "run/scale.h"    /* c837_scale_same_file */
#include "write/writer_int.h" /* c837_w_claim_plan: fixed or unfixable */
#include "fuzz_treecmp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                      \
  do {                                                                   \
    if (!(cond))                                                         \
      check_failed(#cond, __LINE__);                                     \
  } while (0)

static void dump_run(void);
static int is_parse_error(c837_status st);

static void check_failed(const char *what, int line)
{
  fprintf(stderr, "fuzz_pipeline.c:%d: check failed: %s\n", line, what);
  dump_run();
  abort();
}

/* Growing arrays; out of memory is a harness failure. */
#define PUSH(arr, n, cap)                                                \
  do {                                                                   \
    if (c837_vec_reserve(&(arr), &(cap), (n) + 1, sizeof *(arr), 16,     \
                         0) != 0)                                        \
      abort();                                                           \
  } while (0)

typedef struct bytes {
  char *p;
  size_t len, cap;
} bytes;

static void put(bytes *b, const void *p, size_t n)
{
  while (b->len + n + 1 > b->cap)
    if (c837_vec_reserve(&b->p, &b->cap, b->cap + 1, 1, 4096, 0) != 0)
      abort();
  if (n)
    memcpy(b->p + b->len, p, n);
  b->len += n;
  b->p[b->len] = '\0';
}

/* ------------------------------------------------------------------ */
/* HL structure (check 5)                                              */
/* ------------------------------------------------------------------ */

typedef struct hlcheck {
  int ok;
  uint64_t n;               /* HLs in the open transaction */
  char ids[C837_MAX_HL_DEPTH][24]; /* ids of the open HLs */
  size_t depth;
  int prev_hl04;            /* of the previous HL: 1, 0, -1 other/none */
} hlcheck;

/* 1 when s is a decimal number without leading zeros equal to v. */
static int is_number(c837_span s, uint64_t v)
{
  char buf[24];
  snprintf(buf, sizeof buf, "%llu", (unsigned long long)v);
  return c837_span_eq(s, buf);
}

static void hl_end_tx(hlcheck *h)
{
  if (h->prev_hl04 == 1)
    h->ok = 0; /* said it has children, none followed */
  h->n = 0;
  h->depth = 0;
  h->prev_hl04 = -1;
}

static void hl_segment(hlcheck *h, const c837_segment *s, c837_role role)
{
  c837_span id, par, hl04;
  size_t k;
  int child_of_prev;
  if (role == C837_ROLE_ST || role == C837_ROLE_SE || role == C837_ROLE_GE ||
      role == C837_ROLE_IEA || role == C837_ROLE_ISA ||
      role == C837_ROLE_GS) {
    hl_end_tx(h);
    return;
  }
  if (role != C837_ROLE_HL)
    return;
  id = c837_seg_el(s, 1);
  par = c837_seg_el(s, 2);
  hl04 = c837_seg_el(s, 4);
  h->n++;
  if (!is_number(id, h->n) || id.len >= sizeof h->ids[0]) {
    h->ok = 0;
    return;
  }
  child_of_prev = 0;
  if (par.len == 0) {
    h->depth = 0;
  } else {
    for (k = h->depth; k > 0 && !c837_span_eq(par, h->ids[k - 1]); k--)
      ;
    if (k == 0) {
      h->ok = 0;
      return;
    }
    child_of_prev = k == h->depth;
    h->depth = k;
  }
  if ((h->prev_hl04 == 1 && !child_of_prev) ||
      (h->prev_hl04 == 0 && child_of_prev) ||
      h->depth == C837_MAX_HL_DEPTH) {
    h->ok = 0;
    return;
  }
  c837_span_copy(h->ids[h->depth], sizeof h->ids[0], id);
  h->depth++;
  h->prev_hl04 = c837_span_eq(hl04, "1")   ? 1
                 : c837_span_eq(hl04, "0") ? 0
                                           : -1;
}

/* ------------------------------------------------------------------ */
/* Claims as read (input and re-parsed outputs)                        */
/* ------------------------------------------------------------------ */

enum dest { D_COPY, D_HELD, D_FIXED };

typedef struct pclaim {
  size_t off, len;       /* raw bytes in parsed.raw */
  size_t clm_len;        /* bytes of the CLM segment */
  size_t pre_len;        /* bytes before the first LX (all if none) */
  char id[C837_ID_MAX];
  int64_t total;
  int total_ok;
  size_t line0, n_lines; /* into parsed.lines */
  size_t fix0, n_fixes;  /* input only: into parsed.fixes */
  int dest;              /* input only */
  size_t n_tracked;      /* input only: its tracked lines */
} pclaim;

typedef struct parsed {
  c837_status st;
  uint64_t problems;
  int whole;             /* raw keeps every byte (segments, rest too), so
                            that a claim's off is its input offset */
  bytes raw;             /* claims' raw bytes (whole: the input's) */
  pclaim *c;
  size_t n, cap;
  c837_line *lines;
  size_t n_lines, cap_lines;
  c837_fix *fixes;
  size_t n_fixes, cap_fixes;
  hlcheck hl;
} parsed;

static pclaim *add_claim(parsed *p, const c837_claim *c)
{
  pclaim *pc;
  size_t i;
  PUSH(p->c, p->n, p->cap);
  pc = &p->c[p->n++];
  memset(pc, 0, sizeof *pc);
  pc->off = p->raw.len;
  for (i = 0; i < c->n_segs; i++) {
    if (c->n_lines && i == c->lines[0].seg_first)
      pc->pre_len = p->raw.len - pc->off;
    put(&p->raw, c->segs[i].raw, c->segs[i].raw_len);
  }
  pc->len = p->raw.len - pc->off;
  if (!c->n_lines)
    pc->pre_len = pc->len;
  pc->clm_len = c->n_segs ? c->segs[0].raw_len : 0;
  memcpy(pc->id, c->id, sizeof pc->id);
  pc->total = c->total;
  pc->total_ok = c->total_ok;
  pc->line0 = p->n_lines;
  pc->n_lines = c->n_lines;
  for (i = 0; i < c->n_lines; i++) {
    PUSH(p->lines, p->n_lines, p->cap_lines);
    p->lines[p->n_lines++] = c->lines[i];
  }
  return pc;
}

static void free_parsed(parsed *p)
{
  free(p->raw.p);
  free(p->c);
  free(p->lines);
  free(p->fixes);
}

static int rp_segment(void *ud, const c837_segment *s, c837_role role,
                      const c837_envelope *env)
{
  parsed *p = ud;
  (void)env;
  hl_segment(&p->hl, s, role);
  if (p->whole)
    put(&p->raw, s->raw, s->raw_len);
  return 0;
}

static int rp_claim(void *ud, const c837_claim *c)
{
  add_claim(ud, c);
  return 0;
}

static int rp_problem(void *ud, const c837_problem *pr)
{
  parsed *p = ud;
  (void)pr;
  p->problems++;
  return 0;
}

/* Re-parses an output in memory with the library's tokenizer and
 * assembler. */
static void reparse(const bytes *b, parsed *p)
{
  c837_handler h = {rp_segment, rp_claim, rp_problem, p};
  c837_assembler *a;
  c837_tokenizer *t;
  memset(p, 0, sizeof *p);
  p->hl.ok = 1;
  p->hl.prev_hl04 = -1;
  a = c837_assembler_new(&h);
  t = a ? c837_tokenizer_new(c837_assembler_segment, a) : NULL;
  if (!t)
    abort();
  p->st = c837_tokenizer_feed(t, b->p ? b->p : "", b->len);
  if (p->st == C837_OK)
    p->st = c837_tokenizer_finish(t);
  if (p->st == C837_OK)
    p->st = c837_assembler_finish(a);
  hl_end_tx(&p->hl);
  c837_tokenizer_free(t);
  c837_assembler_free(a);
}

/* The second, independent reading of the input: every byte (raw is
 * the decompressed input), its claims at their input offsets, its HLs
 * and problems. */
static int whole_rest(void *ud, const void *p, size_t n)
{
  put(&((parsed *)ud)->raw, p, n);
  return 0;
}

/* ------------------------------------------------------------------ */
/* Process-wide state: the private directory, standard input           */
/* ------------------------------------------------------------------ */

static struct {
  int ready;
  int verbose;          /* FUZZ_VERBOSE set: one line per input */
  c837_codetable *table;
  c837_writer *scratch; /* plans fixed claims; never written to */
  int stdin_fd;         /* the process's standard input, kept aside */
  char dir[256];
  char out[300];        /* the runs' output directory */
  char ref[300];        /* check 9: the full path's output, kept */
  char in_path[300];    /* the input as a file, for the second reading */
} G;

/* Removes path and, when it is a directory, everything under it. */
static void remove_tree(const char *path)
{
  DIR *d = opendir(path);
  struct dirent *e;
  char sub[700];
  if (!d) {
    unlink(path);
    return;
  }
  while ((e = readdir(d)) != NULL) {
    if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
      continue;
    snprintf(sub, sizeof sub, "%s/%s", path, e->d_name);
    remove_tree(sub);
  }
  closedir(d);
  rmdir(path);
}

/* Removes the directories of harness processes that are gone (a crash,
 * a timeout or libFuzzer's own exit skip atexit): they are named
 * c837_fuzz.PID. */
static void sweep(const char *base)
{
  DIR *d = opendir(base);
  struct dirent *e;
  char path[600], *end;
  long pid;
  if (!d)
    return;
  while ((e = readdir(d)) != NULL) {
    if (strncmp(e->d_name, "c837_fuzz.", 10) != 0)
      continue;
    pid = strtol(e->d_name + 10, &end, 10);
    if (*end || pid <= 0 ||
        (pid != (long)getpid() && !(kill((pid_t)pid, 0) != 0 &&
                                    errno == ESRCH)))
      continue;
    snprintf(path, sizeof path, "%s/%s", base, e->d_name);
    remove_tree(path);
  }
  closedir(d);
}

static void cleanup(void)
{
  remove_tree(G.dir);
  c837_codetable_free(G.table);
  c837_writer_free(G.scratch);
}

static void init(void)
{
  c837_error err;
  struct stat sb;
  const char *base = getenv("FUZZ_TMPDIR");
  if (!base && stat("/dev/shm", &sb) == 0 && S_ISDIR(sb.st_mode) &&
      access("/dev/shm", W_OK) == 0)
    base = "/dev/shm"; /* fsync and rename cost nothing there */
  if (!base)
    base = getenv("TMPDIR");
  if (!base)
    base = "/tmp";
  sweep(base);
  snprintf(G.dir, sizeof G.dir, "%s/c837_fuzz.%ld", base, (long)getpid());
  if (mkdir(G.dir, 0700) != 0) {
    perror(G.dir);
    abort();
  }
  snprintf(G.in_path, sizeof G.in_path, "%s/in.837", G.dir);
  snprintf(G.out, sizeof G.out, "%s/out", G.dir);
  snprintf(G.ref, sizeof G.ref, "%s/ref", G.dir);
  G.table = c837_codetable_builtin(&err);
  G.scratch = c837_writer_new(NULL, NULL);
  G.stdin_fd = dup(STDIN_FILENO);
  if (!G.table || !G.scratch || G.stdin_fd < 0)
    abort();
  /* the run may stop reading before the feeding thread is done */
  signal(SIGPIPE, SIG_IGN);
  atexit(cleanup);
  G.verbose = getenv("FUZZ_VERBOSE") != NULL;
  G.ready = 1;
}

/* ------------------------------------------------------------------ */
/* One run                                                             */
/* ------------------------------------------------------------------ */

/* A report row the run must have written. */
typedef struct erow {
  char claim_id[C837_ID_MAX];
  const char *edit;     /* findings: the edit's name */
  char text[400];       /* findings: detail; lines: LX01 */
} erow;

typedef struct run {
  c837_status st;        /* of c837_run_file */
  c837_file_rec rec;     /* the file's record (copy; no strings) */
  bytes out, held, rest; /* the outputs, read back */
  parsed in;             /* the claims handed to the writer, with their
                            fate (from the run's claim events) */
  parsed whole;          /* the second reading of the input */
  erow *fr, *lr;         /* expected findings.csv / lines.csv rows */
  size_t n_fr, cap_fr, n_lr, cap_lr;
  uint64_t unfixable;    /* fixed claims the plan refused */
  uint64_t n_fixed, n_held; /* claims whose dest is fixed / held */
  int rest_event;        /* the run said it kept an unparsed rest */
  int twin;              /* check 9's second run: events hashed only */
  uint64_t ev_hash;      /* of the events but claims and progress */
  char reason[512];      /* rec.reason, kept */
} run;

/* The run under way, for dump_run. */
static run *g_run;

/* With FUZZ_DUMP=DIR, a failed check leaves the run's buffers in DIR:
 * out (corrected), held, rest (unparsed tail), input (decompressed). */
static void dump_run(void)
{
  const char *dir = getenv("FUZZ_DUMP");
  const char *names[] = {"out", "held", "rest", "input"};
  const bytes *b[4];
  char path[400];
  size_t i;
  FILE *fp;
  if (!dir || !g_run)
    return;
  b[0] = &g_run->out;
  b[1] = &g_run->held;
  b[2] = &g_run->rest;
  b[3] = &g_run->whole.raw;
  for (i = 0; i < 4; i++) {
    snprintf(path, sizeof path, "%s/%s", dir, names[i]);
    if ((fp = fopen(path, "wb")) != NULL) {
      fwrite(b[i]->p ? b[i]->p : "", 1, b[i]->len, fp);
      fclose(fp);
    }
  }
  fprintf(stderr, "fuzz_pipeline: buffers written to %s/\n", dir);
}

/* Where the writer must put claim c with verdict v (check 6). */
static int claim_dest(run *r, const c837_claim *c, const c837_verdict *v)
{
  int untouchable = c->kind == C837_KIND_D || c->kind == C837_KIND_OTHER;
  c837_wplan plan;
  int rc;
  if (untouchable)
    return D_COPY;
  if (v->disposition == C837_DISP_HELD)
    return D_HELD;
  if (v->n_fixes == 0)
    return D_COPY;
  rc = c837_w_claim_plan(G.scratch, c, v, &plan);
  if (rc < 0) {
    c837_error err;
    (void)c837_writer_error(G.scratch, &err);
    fprintf(stderr, "fuzz_pipeline: the engine's fixes do not fit claim "
                    "%s: %s: %s\n",
            c->id, c837_status_name(err.code), err.msg);
    abort();
  }
  if (rc > 0) {
    r->unfixable++;
    return D_HELD;
  }
  return D_FIXED;
}

static void check_verdict(const c837_verdict *v, const c837_claim *c)
{
  size_t i;
  int any_held = 0;
  CHECK(v->disposition == C837_DISP_PASSED ||
        v->disposition == C837_DISP_FIXED ||
        v->disposition == C837_DISP_HELD);
  CHECK((v->disposition == C837_DISP_FIXED) == (v->n_fixes > 0));
  CHECK(v->n_findings <= C837_MAX_FINDINGS);
  for (i = 0; i < v->n_findings; i++) {
    const c837_finding *f = &v->findings[i];
    CHECK((int)f->edit >= 0 && f->edit < C837_EDIT_COUNT);
    CHECK(f->line == C837_NO_INDEX || f->line < c->n_lines);
    CHECK(memchr(f->detail, '\0', sizeof f->detail) != NULL);
    if (f->action == C837_ACT_HELD)
      any_held = 1;
  }
  if (!v->findings_dropped)
    CHECK(any_held == (v->disposition == C837_DISP_HELD));
  for (i = 0; i < v->n_fixes; i++)
    CHECK(v->fixes[i].line < c->n_lines);
}

/* An expected findings.csv row. */
static void expect_finding(run *r, const char *claim_id, const char *edit,
                           const char *text)
{
  erow *e;
  PUSH(r->fr, r->n_fr, r->cap_fr);
  e = &r->fr[r->n_fr++];
  snprintf(e->claim_id, sizeof e->claim_id, "%s", claim_id);
  e->edit = edit;
  snprintf(e->text, sizeof e->text, "%s", text);
}

/* A claim as it went to the writer: its verdict checked, its rows and
 * its place in the outputs expected. */
static void on_claim(run *r, const c837_claim *c, const c837_verdict *v)
{
  pclaim *pc;
  size_t i;
  check_verdict(v, c);
  for (i = 0; i < v->n_findings; i++)
    expect_finding(r, c->id, c837_edit_name(v->findings[i].edit),
                   v->findings[i].detail);
  for (i = 0; i < c->n_lines; i++) {
    const c837_code *row;
    erow *e;
    if (!c837_codetable_tracks(G.table, &c->lines[i], &row))
      continue;
    PUSH(r->lr, r->n_lr, r->cap_lr);
    e = &r->lr[r->n_lr++];
    memcpy(e->claim_id, c->id, sizeof e->claim_id);
    e->edit = NULL;
    snprintf(e->text, sizeof e->text, "%s", c->lines[i].lx);
  }
  pc = add_claim(&r->in, c);
  for (i = 0; i < c->n_lines; i++)
    pc->n_tracked += c837_codetable_tracks(G.table, &c->lines[i], NULL);
  pc->dest = claim_dest(r, c, v);
  r->n_fixed += pc->dest == D_FIXED;
  r->n_held += pc->dest == D_HELD;
  pc->fix0 = r->in.n_fixes;
  pc->n_fixes = pc->dest == D_FIXED ? v->n_fixes : 0;
  for (i = 0; i < pc->n_fixes; i++) {
    PUSH(r->in.fixes, r->in.n_fixes, r->in.cap_fixes);
    r->in.fixes[r->in.n_fixes++] = v->fixes[i];
  }
}

/* FNV-1a of n bytes into *h. */
static void hash_bytes(uint64_t *h, const void *p, size_t n)
{
  const unsigned char *b = p;
  size_t i;
  for (i = 0; i < n; i++)
    *h = (*h ^ b[i]) * 1099511628211ull;
}

static void hash_str(uint64_t *h, const char *s)
{
  hash_bytes(h, s ? s : "(null)", strlen(s ? s : "(null)") + 1);
}

static void hash_err(uint64_t *h, const c837_error *e)
{
  if (!e)
    return;
  hash_bytes(h, &e->code, sizeof e->code);
  hash_bytes(h, &e->offset, sizeof e->offset);
  hash_bytes(h, &e->segment, sizeof e->segment);
  hash_str(h, e->msg);
}

/* Check 9: the events the command prints (all but claims and
 * progress), hashed in order. */
static void hash_event(run *r, const c837_run_event *ev)
{
  uint64_t *h = &r->ev_hash;
  if (ev->kind == C837_RUN_CLAIM || ev->kind == C837_RUN_PROGRESS)
    return;
  if (!*h)
    *h = 14695981039346656037ull;
  hash_bytes(h, &ev->kind, sizeof ev->kind);
  hash_bytes(h, &ev->held, sizeof ev->held);
  hash_str(h, ev->file);
  hash_str(h, ev->reason);
  hash_err(h, ev->err);
  if (ev->problem) {
    hash_bytes(h, &ev->problem->offset, sizeof ev->problem->offset);
    hash_bytes(h, &ev->problem->segment, sizeof ev->problem->segment);
    hash_str(h, ev->problem->code);
    hash_str(h, ev->problem->msg);
  }
}

static void on_event(void *ud, const c837_run_event *ev)
{
  run *r = ud;
  char text[400];
  hash_event(r, ev);
  if (r->twin)
    return;
  switch (ev->kind) {
  case C837_RUN_CLAIM:
    on_claim(r, ev->claim, ev->verdict);
    break;
  case C837_RUN_PROBLEM:
    r->in.problems++;
    snprintf(text, sizeof text, "%s: %s", ev->problem->code,
             ev->problem->msg);
    expect_finding(r, "", c837_edit_name(C837_EDIT_ENVELOPE_INVALID), text);
    break;
  case C837_RUN_UNPARSED_REST:
    r->rest_event = 1;
    snprintf(text, sizeof text, "%s: %.360s",
             c837_status_name(ev->err->code), ev->err->msg);
    expect_finding(r, "", c837_edit_name(C837_EDIT_ENVELOPE_INVALID), text);
    break;
  default:
    break;
  }
}

/* ------------------------------------------------------------------ */
/* Check 6: every claim in exactly one output                          */
/* ------------------------------------------------------------------ */

static int same_bytes(const parsed *a, const pclaim *x, const parsed *b,
                      const pclaim *y)
{
  return x->len == y->len && memcmp(a->raw.p + x->off, b->raw.p + y->off,
                                    x->len) == 0;
}

static void str_eq_trunc(const char *got, size_t gotsz, const char *want)
{
  char w[64];
  c837_span s = {want, strlen(want)};
  CHECK(gotsz <= sizeof w);
  c837_span_copy(w, gotsz, s);
  CHECK(strcmp(got, w) == 0);
}

/* What the fixes of a claim do to one of its lines. */
typedef struct lfix {
  const char *units, *code, *rev, *code_from;
  int removed, split;
  int32_t from_day;
} lfix;

/* The line sums of a fixed claim's output lines (for CLM02). */
typedef struct lsum {
  size_t k;             /* output lines checked so far */
  uint64_t sum;         /* their charges */
  int all_ok;           /* every one readable */
} lsum;

/* Input line L with its fixes lf, as the output lines from y's line k
 * on have it: one line, or one per day of a split. */
static void check_fixed_line(const c837_line *L, const lfix *lf,
                             const parsed *out, const pclaim *y, lsum *ls)
{
  int32_t d0 = 0, days = 1, d;
  int64_t base = 0, nbase = 0;
  if (lf->split) {
    CHECK(L->date_from && L->date_to >= L->date_from && L->charge_ok);
    d0 = c837_date_to_days(L->date_from);
    days = c837_date_to_days(L->date_to) - d0 + 1;
    base = L->charge / days;
    nbase = L->noncovered / days;
  }
  for (d = 0; d < days; d++) {
    const c837_line *M;
    char lx[24];
    size_t m;
    CHECK(ls->k < y->n_lines);
    M = &out->lines[y->line0 + ls->k++];
    snprintf(lx, sizeof lx, "%zu", ls->k);
    CHECK(strcmp(M->lx, lx) == 0);
    CHECK(M->sv == L->sv);
    CHECK(!lf->code_from || lf->split);
    str_eq_trunc(M->code, sizeof M->code,
                 lf->code_from && d0 + d >= lf->from_day
                     ? lf->code_from
                     : lf->code ? lf->code : L->code);
    str_eq_trunc(M->units_raw, sizeof M->units_raw,
                 lf->units ? lf->units : L->units_raw);
    str_eq_trunc(M->revenue, sizeof M->revenue,
                 lf->rev ? lf->rev : L->revenue);
    CHECK(strcmp(M->unit_basis, L->unit_basis) == 0);
    for (m = 0; m < 4; m++)
      CHECK(strcmp(M->mod[m], L->mod[m]) == 0);
    if (lf->split) {
      int32_t day = c837_days_to_date(d0 + d);
      CHECK(M->date_from == day && M->date_to == day);
      CHECK(M->charge_ok);
      CHECK(M->charge ==
            (d ? base : L->charge - base * (int64_t)(days - 1)));
      CHECK(M->noncovered ==
            (d ? nbase : L->noncovered - nbase * (int64_t)(days - 1)));
    } else {
      CHECK(M->date_from == L->date_from && M->date_to == L->date_to);
      CHECK(M->charge_ok == L->charge_ok && M->charge == L->charge);
      CHECK(M->noncovered == L->noncovered);
    }
    if (!M->charge_ok)
      ls->all_ok = 0;
    ls->sum += (uint64_t)M->charge;
  }
}

/* The fixed claim x of the input, as the corrected output has it (y). */
static void check_fixed(const parsed *in, const pclaim *x, const parsed *out,
                        const pclaim *y)
{
  lfix *lf = calloc(x->n_lines + 1, sizeof *lf);
  lsum ls = {0, 0, 1};
  size_t i;
  uint64_t removed_sum = 0;
  int removed_ok = 1;

  CHECK(strcmp(x->id, y->id) == 0);
  /* the claim-level segments are copied, CLM02 aside */
  CHECK(x->pre_len - x->clm_len == y->pre_len - y->clm_len);
  CHECK(memcmp(in->raw.p + x->off + x->clm_len,
               out->raw.p + y->off + y->clm_len,
               x->pre_len - x->clm_len) == 0);
  CHECK(lf != NULL);
  for (i = 0; i < x->n_fixes; i++) {
    const c837_fix *f = &in->fixes[x->fix0 + i];
    CHECK(f->line < x->n_lines);
    switch (f->kind) {
    case C837_FIX_UNITS: lf[f->line].units = f->value; break;
    case C837_FIX_CODE: lf[f->line].code = f->value; break;
    case C837_FIX_REVENUE: lf[f->line].rev = f->value; break;
    case C837_FIX_REMOVE: lf[f->line].removed = 1; break;
    case C837_FIX_SPLIT:
      lf[f->line].split = 1;
      lf[f->line].units = f->value;
      break;
    case C837_FIX_CODE_FROM:
      lf[f->line].code_from = f->value;
      lf[f->line].from_day = c837_date_to_days(f->date);
      break;
    default: CHECK(!"unknown fix kind");
    }
  }
  for (i = 0; i < x->n_lines; i++) {
    const c837_line *L = &in->lines[x->line0 + i];
    if (lf[i].removed) {
      if (!L->charge_ok)
        removed_ok = 0;
      removed_sum += (uint64_t)L->charge;
    } else {
      check_fixed_line(L, &lf[i], out, y, &ls);
    }
  }
  CHECK(ls.k == y->n_lines);
  free(lf);
  /* CLM02: the sum of the line charges when every one is readable;
   * else the old total less the removed lines; else as it was */
  if (ls.all_ok) {
    CHECK(y->total_ok && (uint64_t)y->total == ls.sum);
  } else if (x->total_ok && removed_ok) {
    CHECK(y->total_ok && (uint64_t)y->total ==
                             (uint64_t)x->total - removed_sum);
  } else {
    CHECK(y->total_ok == x->total_ok && y->total == x->total);
    CHECK(x->clm_len == y->clm_len &&
          memcmp(in->raw.p + x->off, out->raw.p + y->off, x->clm_len) == 0);
  }
}

/* Walks the input's claims in order against the held output (always)
 * and the corrected output (when out is not NULL). */
static void match_claims(const parsed *in, const parsed *out,
                         const parsed *held)
{
  size_t i, c = 0, h = 0;
  for (i = 0; i < in->n; i++) {
    const pclaim *x = &in->c[i];
    if (x->dest == D_HELD) {
      CHECK(h < held->n);
      CHECK(same_bytes(in, x, held, &held->c[h]));
      h++;
      continue;
    }
    if (!out)
      continue;
    CHECK(c < out->n);
    if (x->dest == D_COPY)
      CHECK(same_bytes(in, x, out, &out->c[c]));
    else
      check_fixed(in, x, out, &out->c[c]);
    c++;
  }
  CHECK(h == held->n);
  if (out)
    CHECK(c == out->n);
}

/* ------------------------------------------------------------------ */
/* Check 8: no tracked line forwarded unseen (a raw scan)              */
/* ------------------------------------------------------------------ */

/* One claim of an output as the raw scan sees it: from a CLM to the
 * next CLM, HL or envelope segment. */
typedef struct rclaim {
  char id[C837_ID_MAX];
  size_t n_tracked;
} rclaim;

typedef struct rawscan {
  rclaim *c;
  size_t n, cap;
  size_t orphans;        /* tracked SV1/SV2 outside any claim */
  int in_claim;
  int in_278;            /* in a transaction set whose ST01 is 278 */
} rawscan;

/* Element i (0 = tag) of the segment body b (CR/LF removed), split on
 * sep, trimmed of blanks as the library trims. */
static c837_span raw_el(const char *b, size_t len, char sep, size_t i)
{
  const char *p = b, *end = b + len, *q;
  c837_span v;
  for (; i > 0; i--) {
    while (p < end && *p != sep)
      p++;
    if (p == end)
      return (c837_span){"", 0};
    p++;
  }
  for (q = p; q < end && *q != sep; q++)
    ;
  v.p = p;
  v.len = (size_t)(q - p);
  while (v.len && v.p[0] == ' ') {
    v.p++;
    v.len--;
  }
  while (v.len && v.p[v.len - 1] == ' ')
    v.len--;
  return v;
}

/* Component j (1-based) of the element e, trimmed. */
static c837_span raw_comp(c837_span e, char sep, size_t j)
{
  return raw_el(e.p, e.len, sep, j - 1);
}

/* One segment's body (without terminator, CR/LF removed). */
static void raw_segment(rawscan *rs, const char *b, size_t len, char el,
                        char comp)
{
  c837_span tag = raw_el(b, len, el, 0);
  c837_line ln;
  c837_span e;
  if (c837_span_eq(tag, "CLM")) {
    PUSH(rs->c, rs->n, rs->cap);
    memset(&rs->c[rs->n], 0, sizeof rs->c[0]);
    c837_span_copy(rs->c[rs->n].id, sizeof rs->c[0].id, raw_el(b, len, el, 1));
    rs->n++;
    rs->in_claim = 1;
    return;
  }
  if (c837_span_eq(tag, "HL") || c837_span_eq(tag, "ST") ||
      c837_span_eq(tag, "SE") || c837_span_eq(tag, "GS") ||
      c837_span_eq(tag, "GE") || c837_span_eq(tag, "IEA")) {
    rs->in_claim = 0;
    if (!c837_span_eq(tag, "HL"))
      rs->in_278 = c837_span_eq(tag, "ST") &&
                   c837_span_eq(raw_el(b, len, el, 1), "278");
    return;
  }
  /* a 278 (services review): its 2000F service level is made of SV1 /
   * SV2 and is no claim; the assembler passes it on (assembler.c,
   * transaction_segment), as an 837 file may carry one.  Only an ST01
   * that is exactly 278 counts. */
  if ((!c837_span_eq(tag, "SV1") && !c837_span_eq(tag, "SV2")) ||
      rs->in_278)
    return;
  memset(&ln, 0, sizeof ln);
  ln.sv = tag.p[2];
  if (ln.sv == '2')
    c837_span_copy(ln.revenue, sizeof ln.revenue, raw_el(b, len, el, 1));
  e = raw_el(b, len, el, ln.sv == '1' ? 1 : 2);
  c837_span_copy(ln.qualifier, sizeof ln.qualifier, raw_comp(e, comp, 1));
  c837_span_copy(ln.code, sizeof ln.code, raw_comp(e, comp, 2));
  if (!c837_codetable_tracks(G.table, &ln, NULL))
    return;
  if (rs->in_claim)
    rs->c[rs->n - 1].n_tracked++;
  else
    rs->orphans++;
}

/* 1 when p (4 bytes at least) starts an ISA: "ISA" and an element
 * separator, which is never a letter or digit ("ISAREF*" is a segment
 * with a bad id, not an interchange). */
static int raw_isa(const char *p)
{
  unsigned char c = (unsigned char)p[3];
  return memcmp(p, "ISA", 3) == 0 &&
         !((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') ||
           (c >= 'a' && c <= 'z'));
}

/* Scans b segment by segment on its own: the separators from each ISA
 * (the byte after "ISA", ISA16 after the 16th of them, the terminator
 * right after it), line breaks inside a segment dropped (unless the
 * terminator is one), no tokenizer or assembler of the library. */
static void raw_scan(const bytes *b, rawscan *rs)
{
  char el = 0, comp = 0, term = 0;
  size_t i = 0, j, k;
  bytes seg = {NULL, 0, 0};
  memset(rs, 0, sizeof *rs);
  while (i < b->len) {
    while (i < b->len && (b->p[i] == '\r' || b->p[i] == '\n' ||
                          b->p[i] == ' ' || b->p[i] == '\t'))
      i++;
    if (!term) { /* before the first ISA (a byte-order mark ...) */
      while (i + 4 <= b->len && !raw_isa(b->p + i))
        i++;
      if (i + 4 > b->len)
        break;
    }
    if (i + 4 <= b->len && raw_isa(b->p + i)) {
      /* ISA16 after the 16th element separator, the terminator next */
      size_t n = 0;
      el = b->p[i + 3];
      for (j = i + 3; j < b->len && n < 16; j++)
        n += b->p[j] == el;
      if (n < 16 || j + 2 > b->len)
        break; /* a cut ISA: nothing more is readable */
      comp = b->p[j];
      term = b->p[j + 1];
      rs->in_claim = rs->in_278 = 0;
      i = j + 2;
      continue;
    }
    if (!term || i >= b->len)
      break; /* no interchange header: nothing readable */
    for (j = i; j < b->len && b->p[j] != term; j++)
      ;
    seg.len = 0;
    put(&seg, "", 0);
    for (k = i; k < j; k++)
      if ((b->p[k] != '\r' && b->p[k] != '\n') || term == '\r' ||
          term == '\n')
        put(&seg, b->p + k, 1);
    raw_segment(rs, seg.p, seg.len, el, comp);
    i = j + 1;
  }
  free(seg.p);
}

/* Check 8: every tracked SV1/SV2 of the corrected output is inside a
 * claim the run handed to its edits (and so has its lines.csv row,
 * check 7): no tracked line outside a claim, the output's claims are
 * the passed and fixed claims of the run in order (all of them when
 * the input parsed to its end), a copied claim has the tracked lines
 * the edits saw, a fixed one has tracked lines only when the edits saw
 * some; the held output has the held claims, counted the same way. */
static void check_unseen(const run *r)
{
  rawscan ro, rh;
  size_t i, k = 0;
  raw_scan(&r->out, &ro);
  raw_scan(&r->held, &rh);
  CHECK(ro.orphans == 0);
  for (i = 0; i < r->in.n && k < ro.n; i++) {
    const pclaim *x = &r->in.c[i];
    if (x->dest == D_HELD)
      continue;
    CHECK(strcmp(ro.c[k].id, x->id) == 0);
    if (x->dest == D_COPY)
      CHECK(ro.c[k].n_tracked == x->n_tracked);
    else
      CHECK(ro.c[k].n_tracked == 0 || x->n_tracked > 0);
    k++;
  }
  CHECK(k == ro.n);
  if (r->st == C837_OK) {
    CHECK(ro.n == r->rec.t.claims_passed + r->rec.t.claims_fixed);
    CHECK(rh.n == r->rec.t.claims_held);
  }
  free(ro.c);
  free(rh.c);
}

/* ------------------------------------------------------------------ */
/* Check 7: the reports                                                */
/* ------------------------------------------------------------------ */

typedef struct csvread {
  const erow *rows;
  size_t n_rows, row, field, ncols;
  int lines; /* lines.csv: claim_id and LX01; else findings */
} csvread;

/* 1 when the cell s[0..len) is want as the reports write it: with a
 * "'" before a value a spreadsheet would take for a formula
 * (C837_CSV_FORMULA_SAFE). */
static int same_cell(const char *s, size_t len, const char *want)
{
  size_t n = strlen(want);
  if (c837_csv_formula_unsafe(want)) {
    if (len == 0 || s[0] != '\'')
      return 0;
    s++;
    len--;
  }
  return len == n && memcmp(s, want, n) == 0;
}

static void csv_field(void *s, size_t len, void *ud)
{
  csvread *cr = ud;
  const erow *e;
  CHECK(cr->field < cr->ncols);
  if (cr->row > 0) {
    CHECK(cr->row - 1 < cr->n_rows);
    e = &cr->rows[cr->row - 1];
    if (cr->field == 1)
      CHECK(same_cell(s, len, e->claim_id));
    if (cr->lines && cr->field == 2)
      CHECK(same_cell(s, len, e->text));
    if (!cr->lines && cr->field == 7)
      CHECK(same_cell(s, len, e->edit));
    if (!cr->lines && cr->field == 10)
      CHECK(same_cell(s, len, e->text));
  }
  cr->field++;
}

static void csv_row(int c, void *ud)
{
  csvread *cr = ud;
  (void)c;
  CHECK(cr->field == cr->ncols);
  cr->field = 0;
  cr->row++;
}

static void check_csv(const char *name, size_t ncols, const erow *rows,
                      size_t n_rows, int lines)
{
  char path[400], buf[4096];
  struct csv_parser p;
  csvread cr;
  FILE *fp;
  size_t n;
  memset(&cr, 0, sizeof cr);
  cr.rows = rows;
  cr.n_rows = n_rows;
  cr.ncols = ncols;
  cr.lines = lines;
  snprintf(path, sizeof path, "%s/%s", G.out, name);
  fp = fopen(path, "rb");
  CHECK(fp != NULL);
  CHECK(csv_init(&p, CSV_STRICT | CSV_STRICT_FINI) == 0);
  while ((n = fread(buf, 1, sizeof buf, fp)) > 0)
    CHECK(csv_parse(&p, buf, n, csv_field, csv_row, &cr) == n);
  CHECK(!ferror(fp));
  fclose(fp);
  CHECK(csv_fini(&p, csv_field, csv_row, &cr) == 0);
  csv_free(&p);
  CHECK(cr.field == 0);
  CHECK(cr.row == n_rows + 1); /* header row first */
}

/* ------------------------------------------------------------------ */
/* The harness                                                         */
/* ------------------------------------------------------------------ */

static void write_input(const uint8_t *data, size_t size)
{
  FILE *fp = fopen(G.in_path, "wb");
  CHECK(fp != NULL);
  CHECK(fwrite(data, 1, size, fp) == size);
  CHECK(fclose(fp) == 0);
}

/* The whole file OUT/sub into *b (empty when there is none). */
static void read_output(const char *sub, bytes *b)
{
  char path[400], chunk[65536];
  size_t n;
  FILE *fp;
  snprintf(path, sizeof path, "%s/%s", G.out, sub);
  put(b, "", 0);
  if (!(fp = fopen(path, "rb")))
    return;
  while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0)
    put(b, chunk, n);
  CHECK(!ferror(fp));
  fclose(fp);
}

/* Writes the input into a pipe, as another process would. */
typedef struct feed {
  const uint8_t *p;
  size_t n;
  int fd;
} feed;

static void *feeder(void *ud)
{
  feed *f = ud;
  while (f->n > 0) {
    ssize_t w = write(f->fd, f->p, f->n);
    if (w < 0 && errno == EINTR)
      continue;
    if (w <= 0)
      break; /* the run stopped reading (EPIPE) */
    f->p += w;
    f->n -= (size_t)w;
  }
  close(f->fd);
  return NULL;
}

/* How check 9 runs an input: on standard input, as the file G.in_path
 * by its name, or so with outputs compressed as the input (the default
 * of the command: an unchanged gzip file goes out as its own bytes). */
enum { VIA_STDIN, VIA_FILE, VIA_FILE_GZ };

/* The run: data on standard input through a pipe, as `cart837 -` reads
 * it (or, how: VIA_FILE / VIA_FILE_GZ, the input file G.in_path by its
 * name); r->st, r->rec and the outputs read back.  fast: the fast path
 * on (the default), else no_fast_path = 1.  The run writes the 999 and 277CA
 * too (their date and time fixed), so that check 9 compares them.  0, or
 * -1 for a stop that is no bug (out of memory, a gzip input that is not
 * gzip), or -2 when a signal interrupted the read (libFuzzer's SIGALRM
 * for -timeout has no SA_RESTART, and the input layer takes EINTR as a
 * stop, as a signal is how a run is stopped): the caller runs the input
 * again. */
static int run_input(run *r, const uint8_t *data, size_t size, int fast,
                     int how)
{
  c837_run_options o;
  c837_error err;
  c837_run *cr;
  pthread_t th;
  feed fd = {data, size, -1};
  int p[2], interrupted;

  remove_tree(G.out);
  c837_run_options_default(&o);
  o.out_dir = G.out;
  o.table = G.table;        /* the built-in table, loaded once */
  o.gzip = how == VIA_FILE_GZ ? -1 : 0; /* else as they are, to read back */
  o.run_date = 20250601;    /* never today: the same input, the same run */
  o.no_fast_path = !fast;
  o.ack = C837_RUN_ACK_999 | C837_RUN_ACK_277;
  o.ack_date = 20250602;
  o.ack_time = 1230;
  o.on_event = on_event;
  o.ud = r;
  cr = c837_run_new(&o, &err);
  CHECK(cr != NULL);
  if (how != VIA_STDIN) {
    r->st = c837_run_file(cr, G.in_path, "in.837");
  } else {
    CHECK(pipe(p) == 0);
    fd.fd = p[1];
    CHECK(dup2(p[0], STDIN_FILENO) == STDIN_FILENO);
    close(p[0]);
    CHECK(pthread_create(&th, NULL, feeder, &fd) == 0);
    r->st = c837_run_file(cr, "-", "in.837");
    /* the pipe's last reader goes: a feeder still writing sees EPIPE */
    CHECK(dup2(G.stdin_fd, STDIN_FILENO) == STDIN_FILENO);
    CHECK(pthread_join(th, NULL) == 0);
  }
  CHECK(c837_run_record_count(cr) == 1);
  r->rec = *c837_run_record(cr, 0);
  interrupted = r->st == C837_EIO && r->rec.reason &&
                strstr(r->rec.reason, strerror(EINTR)) != NULL;
  if (r->st != C837_OK && !is_parse_error(r->st) && r->rec.reason &&
      r->st != C837_EGZIP)
    fprintf(stderr, "fuzz_pipeline: the run's reason: %s\n", r->rec.reason);
  snprintf(r->reason, sizeof r->reason, "%s",
           r->rec.reason ? r->rec.reason : "");
  r->rec.name = r->rec.reason = NULL;
  if (r->st == C837_ENOMEM || r->st == C837_EGZIP || interrupted) {
    c837_run_free(cr);
    return interrupted ? -2 : -1;
  }
  CHECK(c837_run_finish(cr, &err) == C837_OK);
  c837_run_free(cr);
  read_output("in.837", &r->out);
  read_output("held/in.837", &r->held);
  read_output("held/in.837.unparsed", &r->rest);
  return 0;
}

/* The second reading: the input file through the library's stream. */
static void read_whole(parsed *w)
{
  c837_handler h = {rp_segment, rp_claim, rp_problem, NULL};
  c837_input *in;
  c837_error err;
  c837_counts counts;
  memset(w, 0, sizeof *w);
  w->whole = 1;
  w->hl.ok = 1;
  w->hl.prev_hl04 = -1;
  h.ud = w;
  in = c837_input_open(G.in_path, &err);
  CHECK(in != NULL);
  w->st = c837_stream_run(in, &h, whole_rest, w, &counts, &err);
  c837_input_close(in);
  hl_end_tx(&w->hl);
  put(&w->raw, "", 0);
}

static void free_run(run *r)
{
  free(r->out.p);
  free(r->held.p);
  free(r->rest.p);
  free(r->fr);
  free(r->lr);
  free_parsed(&r->in);
  free_parsed(&r->whole);
}

static int is_parse_error(c837_status st)
{
  return st == C837_ENOISA || st == C837_EISA || st == C837_ETOOLONG ||
         st == C837_ETOOMANY || st == C837_ETRUNC || st == C837_ECLAIM;
}

/* Check 3: the rest is the input's tail; before it, the claims the run
 * handed to the writer are the input's, byte for byte. */
static void check_bytes(const run *r, const uint8_t *data, size_t size,
                        int plain)
{
  const parsed *w = &r->whole;
  size_t cut, i;
  if (plain)
    CHECK(w->raw.len == size &&
          (size == 0 || memcmp(w->raw.p, data, size) == 0));
  if (r->rec.unparsed_cut)
    return; /* the rest stopped at its limit: not the whole tail */
  CHECK(r->rest.len <= w->raw.len);
  cut = w->raw.len - r->rest.len;
  CHECK(memcmp(w->raw.p + cut, r->rest.p, r->rest.len) == 0);
  CHECK(r->in.n <= w->n);
  for (i = 0; i < r->in.n; i++) {
    CHECK(w->c[i].off + w->c[i].len <= cut);
    CHECK(same_bytes(&r->in, &r->in.c[i], w, &w->c[i]));
  }
  /* the claim after them, if any, is (in) the rest */
  if (i < w->n)
    CHECK(w->c[i].off + w->c[i].len > cut);
  if (r->st == C837_OK)
    CHECK(r->rest.len == 0 && r->in.n == w->n);
  if (r->rec.t.claims_fixed == 0 && r->rec.t.claims_held == 0) {
    CHECK(r->held.len == 0);
    CHECK(r->out.len == cut && memcmp(r->out.p, w->raw.p, cut) == 0);
  }
  if (r->rec.t.claims_held == 0)
    CHECK(r->held.len == 0);
}

/* Checks 4 to 6: the outputs read back, HLs, every claim in one. */
static void check_outputs(run *r)
{
  parsed pout, pheld;
  reparse(&r->held, &pheld);
  CHECK(pheld.st == C837_OK || r->held.len == 0);
  CHECK(pheld.n == r->rec.t.claims_held);
  if (r->st == C837_OK) {
    reparse(&r->out, &pout);
    CHECK(pout.st == C837_OK || r->out.len == 0);
    CHECK(pout.n == r->rec.t.claims_passed + r->rec.t.claims_fixed);
    CHECK(r->whole.problems == r->in.problems);
    if (r->in.problems == 0)
      CHECK(pout.problems == 0 && pheld.problems == 0);
    if (r->whole.hl.ok)
      CHECK(pout.hl.ok && pheld.hl.ok);
    match_claims(&r->in, &pout, &pheld);
    free_parsed(&pout);
  } else {
    if (r->in.problems == 0)
      CHECK(pheld.problems == 0);
    match_claims(&r->in, NULL, &pheld);
  }
  free_parsed(&pheld);
}

/* run_input, run again (at most 3 times) when a signal interrupted it;
 * r is new (twin: check 9's second run, events hashed only). */
static int run_retry(run *r, const uint8_t *data, size_t size, int fast,
                     int how)
{
  int tries, rc, twin = r->twin;
  for (tries = 0;
       (rc = run_input(r, data, size, fast, how)) == -2 && tries < 3;
       tries++) {
    free_run(r); /* interrupted: the same input again */
    memset(r, 0, sizeof *r);
    r->twin = twin;
  }
  return rc;
}

/* Check 9, one pair: ref ran with no_fast_path = 1 into G.out; the same
 * input (the same way: how) with the fast path must give the same
 * status, record, events and output tree. */
static void fast_same(const run *ref, const uint8_t *data, size_t size,
                      int how)
{
  static const char *const hows[] = {"stdin", "file", "file, gzip out"};
  run t;
  char why[1400];
  const c837_file_rec *a = &ref->rec, *b = &t.rec;
  remove_tree(G.ref);
  CHECK(rename(G.out, G.ref) == 0);
  memset(&t, 0, sizeof t);
  t.twin = 1;
  CHECK(run_retry(&t, data, size, 1, how) == 0);
  if (t.st != ref->st || strcmp(t.reason, ref->reason) != 0)
    fprintf(stderr, "fuzz_pipeline: check 9 (%s): --no-fast-path ended %s "
                    "(%s), the fast path %s (%s)\n",
            hows[how], c837_status_name(ref->st),
            ref->reason, c837_status_name(t.st), t.reason);
  CHECK(t.st == ref->st);
  CHECK(strcmp(t.reason, ref->reason) == 0);
  CHECK(b->status == a->status && b->skipped == a->skipped);
  CHECK(memcmp(&b->t, &a->t, sizeof a->t) == 0);
  CHECK(b->uncounted == a->uncounted && b->held_whole == a->held_whole);
  CHECK(b->claims_before_error == a->claims_before_error);
  CHECK(b->no_corrected == a->no_corrected);
  CHECK(b->unparsed_bytes == a->unparsed_bytes &&
        b->unparsed_cut == a->unparsed_cut);
  CHECK(t.ev_hash == ref->ev_hash);
  if (fuzz_tree_diff(G.ref, G.out, why, sizeof why)) {
    fprintf(stderr, "fuzz_pipeline: check 9 (%s): the fast path's output "
                    "differs from --no-fast-path's: %s (trees %s, %s)\n",
            hows[how], why, G.ref, G.out);
    abort();
  }
  free_run(&t);
}

/* Check 9, a pair of its own: the full path, then the fast path. */
static void fast_pair(const uint8_t *data, size_t size, int how)
{
  run f;
  memset(&f, 0, sizeof f);
  f.twin = 1;
  if (run_retry(&f, data, size, 0, how) == 0)
    fast_same(&f, data, size, how);
  free_run(&f);
}

/* A run of check 10 over the input file, out to G.out: with ledger
 * (saved at its end; NULL: none), extract, or a ghost of `ghost` first
 * (and then no input).  Returns the file's status (the ghost's). */
static c837_status ledger_run(const char *ledger, int extract,
                              const char *ghost)
{
  c837_run_options o;
  c837_error err;
  c837_run *cr;
  c837_status st = C837_OK;
  remove_tree(G.out);
  c837_run_options_default(&o);
  o.out_dir = G.out;
  o.table = G.table;
  o.gzip = 0;
  o.run_date = 20250601;
  o.state_path = ledger;
  o.extract = extract;
  o.report_only = ghost != NULL;
  cr = c837_run_new(&o, &err);
  CHECK(cr != NULL);
  if (ghost)
    st = access(ghost, F_OK) == 0 ? c837_run_ghost(cr, ghost, "in.837")
                                  : C837_OK;
  else
    st = c837_run_file(cr, G.in_path, "in.837");
  CHECK(c837_run_finish(cr, &err) == C837_OK);
  c837_run_free(cr);
  return st;
}

/* Check 10: the ledger of the input = the ledger of its extract read as
 * a ghost. */
static void check_extract(void)
{
  char la[320], lg[320], ext[320], held[340];
  c837_status st;
  snprintf(la, sizeof la, "%s/ledger.in.csv", G.dir);
  snprintf(lg, sizeof lg, "%s/ledger.ghost.csv", G.dir);
  snprintf(ext, sizeof ext, "%s/ext", G.dir);
  snprintf(held, sizeof held, "%s/held/in.837", ext);
  unlink(la);
  unlink(lg);
  st = ledger_run(la, 0, NULL);
  if (st != C837_OK && !is_parse_error(st))
    return; /* out of memory, a corrupt gzip: no ledger to compare */
  remove_tree(ext);
  st = ledger_run(NULL, 1, NULL);
  if (st != C837_OK && !is_parse_error(st))
    return;
  CHECK(rename(G.out, ext) == 0);
  st = ledger_run(lg, 0, held);
  if (st != C837_OK)
    fprintf(stderr, "fuzz_pipeline: check 10: the extract's ghost ended "
                    "%s\n", c837_status_name(st));
  CHECK(st == C837_OK);
  if (!c837_scale_same_file(la, lg)) {
    fprintf(stderr, "fuzz_pipeline: check 10: the input's ledger %s and "
                    "its extract's %s differ (extract in %s)\n",
            la, lg, ext);
    abort();
  }
}

/* Check 9: the fast path against the full path, on standard input (r,
 * checked by 1 to 8); when the input did not read to its end, as a
 * regular file too (held whole); when it is gzip, as a file with its
 * outputs compressed as it is (the pass-through of an unchanged file). */
static void check_fast_path(const run *r, const uint8_t *data, size_t size,
                            int plain)
{
  fast_same(r, data, size, VIA_STDIN);
  if (r->st != C837_OK)
    fast_pair(data, size, VIA_FILE);
  if (!plain)
    fast_pair(data, size, VIA_FILE_GZ);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  run r;
  int plain = !(size >= 2 && data[0] == 0x1f && data[1] == 0x8b);
  int rc;

  if (!G.ready)
    init();
  memset(&r, 0, sizeof r);
  g_run = &r;
  write_input(data, size);
  rc = run_retry(&r, data, size, 0, VIA_STDIN);
  if (rc != 0) {
    free_run(&r);
    g_run = NULL;
    return 0;
  }
  read_whole(&r.whole);

  /* check 1 */
  if (r.st != C837_OK && !is_parse_error(r.st))
    fprintf(stderr, "fuzz_pipeline: the run ended %s (file status %s)\n",
            c837_status_name(r.st), c837_status_name(r.rec.status));
  CHECK(r.st == C837_OK || is_parse_error(r.st));
  CHECK(r.rest_event == (r.st != C837_OK));
  CHECK(r.rec.status == r.st);
  /* check 2, as the run counts */
  CHECK(r.rec.t.claims == r.in.n);
  CHECK(r.rec.t.claims == r.rec.t.claims_passed + r.rec.t.claims_fixed +
                              r.rec.t.claims_held);
  CHECK(r.rec.t.claims_fixed == r.n_fixed);
  CHECK(r.rec.t.claims_held == r.n_held);
  CHECK(r.rec.t.problems == r.in.problems);
  /* checks 3 to 6 */
  check_bytes(&r, data, size, plain);
  check_outputs(&r);
  /* check 7 */
  check_csv("findings.csv", 29, r.fr, r.n_fr, 0);
  check_csv("lines.csv", 23, r.lr, r.n_lr, 1);
  /* check 8 */
  check_unseen(&r);
  /* check 9 */
  check_fast_path(&r, data, size, plain);
  /* check 10 */
  check_extract();
  if (G.verbose)
    fprintf(stderr,
            "fuzz_pipeline: %s; claims %zu: passed %llu, fixed %llu, held "
            "%llu (unfixable %llu); problems %llu; HL checked %d; rest %zu "
            "bytes; findings rows %zu, lines rows %zu; fast path same "
            "(%s)\n",
            c837_status_name(r.st), r.in.n,
            (unsigned long long)r.rec.t.claims_passed,
            (unsigned long long)r.rec.t.claims_fixed,
            (unsigned long long)r.rec.t.claims_held,
            (unsigned long long)r.unfixable,
            (unsigned long long)r.in.problems, r.whole.hl.ok, r.rest.len,
            r.n_fr, r.n_lr,
            r.st == C837_OK ? (plain ? "stdin" : "stdin, gzip file")
                            : (plain ? "stdin, file" : "stdin, file, gzip file"));
  free_run(&r);
  g_run = NULL;
  return 0;
}
