/* run_file.c -- one input of a run: stream -> engine -> writer -> reports
 *
 *   input -> tokenizer -> assembler -+-> segments ----------> writer
 *                                    +-> claims -> engine -+-> writer
 *                                    |                     +-> report
 *                                    +-> problems ---------> report
 *
 * The writer's corrected and held outputs, and the unparsed rest of
 * input that cannot be read twice, go to temporary files (sink.c) that
 * are renamed only when the file is settled; the report rows, the
 * engine's memory and the chart's dates of the file can be taken back
 * until then.
 *
 * Whatever goes wrong while a file is read is noted in ONE outcome slot
 * (c837_file_note: the failure of the highest rank explains the file; of
 * equal rank, the first).  Once reading is over, ONE settle step
 * (run_settle.c) turns the outcome into the file's ending.
 */
#include "run/run_file.h"
#include "run/ahead.h"
#include "run/audit.h"
#include "run/claim_copy.h"
#include "edit/engine_hist.h"
#include "parse/stream_int.h"
#include "base/buf.h"
#include "base/err.h"
#include "base/limits.h"
#include "base/util.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* The outcome slot: keeps e when it outranks what is there. */
void c837_file_note(file_ctx *f, rank k, const c837_error *e)
{
  if (k > f->rank) {
    f->rank = k;
    f->end = *e;
    if (f->end.code == C837_OK)
      f->end.code = C837_EIO;
  }
}

/* The same with a new error (code and message, no position). */
static void note_new(file_ctx *f, rank k, c837_status code, const char *msg)
{
  c837_error e;
  c837_error_set(&e, code, 0, 0, "%s", msg);
  c837_file_note(f, k, &e);
}

static int rest_write(void *ud, const void *p, size_t n);

/* 1 when reading is to stop: the run is cancelled (on the run's
 * thread), or the read-ahead stops (on a worker, ahead.c). */
static int stopped(const file_ctx *f)
{
  if (f->ahead)
    return atomic_load_explicit(f->ahead_stop, memory_order_relaxed) != 0;
  return c837_run_is_cancelled(f->run);
}

/* ---- the corrected output to standard output -------------------------
 * In the filter mode the corrected bytes are held back (f->gate) until
 * the writer is given a claim it keeps, so that nothing goes out when
 * every claim is held (settled by file_read); past C837_MAX_HELD_BACK
 * they go out anyway.  A file keeps its temporary output instead, which
 * the settle step does not publish then.  A file read ahead holds its
 * corrected bytes back the same way, until it is read to its end: a
 * file left to the run's thread then leaves no temporary file behind. */
int c837_file_gate_open(file_ctx *f)
{
  int rc = 0;
  if (!f->gating)
    return 0;
  f->gating = 0;
  if (f->gate.len)
    rc = c837_out_write(&f->out, f->gate.p, f->gate.len);
  c837_buf_free(&f->gate);
  return rc;
}

static int out_write(void *ud, const void *p, size_t n)
{
  file_ctx *f = ud;
  if (f->gating) {
    if (f->gate.len + n <= (f->ahead ? C837_AHEAD_HELD_BACK
                                     : C837_MAX_HELD_BACK) &&
        c837_buf_put(&f->gate, p, n) == 0)
      return 0;
    if (c837_file_gate_open(f) != 0)
      return -1;
  }
  return c837_out_write(&f->out, p, n);
}

/* ---- refusals -----------------------------------------------------
 * The writer refuses a claim or segment it cannot write (C837_ECLAIM: a
 * claim to hold outside an ISA / GS / ST envelope, HL nesting too deep
 * to rewrite; C837_EINVAL: a fix that does not fit its claim) and stays
 * as it was before the call.  Input that cannot be read twice, with 837
 * output, then ends where it was refused: what came before goes out
 * whole, the refused claim or segment and the rest of the input are its
 * unparsed rest.  A regular file (held whole then) or a report-only run
 * keeps no rest: there the refusal is a failure of the writer. */
static int writer_refused(file_ctx *f, const c837_claim *c)
{
  size_t i;
  c837_status code = c837_writer_error(f->w, &f->refusal);
  if (!f->keep_rest || (code != C837_ECLAIM && code != C837_EINVAL)) {
    f->writer_failed = 1;
    return -1;
  }
  f->refused = c ? 2 : 1;
  c837_file_note(f, R_REFUSED, &f->refusal);
  /* the claim's bytes start the unparsed rest (the stream passes on the
   * rest of the input after it; a refused segment is passed on too) */
  for (i = 0; c && i < c->n_segs; i++)
    if (rest_write(f, c->segs[i].raw, c->segs[i].raw_len) != 0)
      break;
  return -1;
}

/* ---- while reading -------------------------------------------------- */

/* The outputs compress as the input does (gzip -1), which is known from
 * the first read on: before any callback. */
static void know_gzip(file_ctx *f)
{
  if (f->gzip_unknown) {
    f->out.gzip = f->held.gzip = f->rest.gzip = c837_input_is_gzip(f->in);
    f->gzip_unknown = 0;
  }
}

/* 1 when the file fails anyway: nothing more is worth reading. */
static int doomed(const file_ctx *f)
{
  return stopped(f) || f->report_failed || f->nomem ||
         f->writer_failed || f->out.failed || f->held.failed ||
         f->rest.failed || f->ack.st;
}

/* The c837_raw_cb of input that cannot be read twice: the unparsed
 * rest goes to OUT/held/NAME.unparsed, up to f->rest_max bytes
 * (C837_MAX_UNPARSED_NOISA when the input is not X12 there).  Refuses
 * (-1: nothing more is read) past the limit, and when the file fails
 * anyway. */
static int rest_write(void *ud, const void *p, size_t n)
{
  file_ctx *f = ud;
  uint64_t max = f->rest_max;
  know_gzip(f);
  if (doomed(f))
    return -1;
  /* f->serr is set before the stream's first call, so the lower limit
   * applies from the first byte */
  if (f->serr.code == C837_ENOISA && max > C837_MAX_UNPARSED_NOISA)
    max = C837_MAX_UNPARSED_NOISA;
  if (n > max - f->rest_bytes) { /* rest_bytes <= max: see below */
    size_t room = (size_t)(max - f->rest_bytes);
    f->rest_dropped += n - room;
    if (room && c837_out_write(&f->rest, p, room) == 0)
      f->rest_bytes += room;
    return -1;
  }
  if (c837_out_write(&f->rest, p, n) != 0)
    return -1;
  f->rest_bytes += n;
  return 0;
}

void c837_file_progress(file_ctx *f, uint64_t offset)
{
  c837_run *r = f->run;
  c837_progress p = {.file = f->name,
                     .bytes = r->bytes_before + offset,
                     .files_done = r->n_files ? r->n_files - 1 : 0,
                     .claims = r->claims_seen};
  c837_run_event ev = {.kind = C837_RUN_PROGRESS, .file = f->name,
                       .progress = &p};
  c837_run_emit(r, &ev);
  f->next_progress = offset + C837_PROGRESS_STEP;
}

/* ---- pass-through of an unchanged gzip input (sink.h) ---------------
 * A regular gzip file whose corrected output is gzip may go out as its
 * own compressed bytes: the output compares what the writer gives it
 * with the input's bytes, fed here segment by segment before the writer
 * sees them (a segment or claim not fed leaves a gap: then the output is
 * compressed, as any other). */
static void pass_start(file_ctx *f)
{
  if (!f->rereadable || !f->write_837)
    return;
  know_gzip(f);
  if (f->out.gzip && c837_input_is_gzip(f->in))
    (void)c837_out_pass(&f->out, f->path);
}

static void pass_feed_claim(file_ctx *f, const c837_claim *c)
{
  size_t i;
  for (i = 0; f->out.pass && i < c->n_segs; i++)
    c837_out_pass_feed(&f->out, c->segs[i].raw, c->segs[i].raw_len,
                       c->segs[i].offset);
}

static int on_segment(void *ud, const c837_segment *s, c837_role role,
                      const c837_envelope *env)
{
  file_ctx *f = ud;
  know_gzip(f);
  if (stopped(f))
    return -1;
  if (!f->ahead && s->offset >= f->next_progress && f->run->o.on_event)
    c837_file_progress(f, s->offset);
  if (f->out.pass)
    c837_out_pass_feed(&f->out, s->raw, s->raw_len, s->offset);
  if (c837_writer_segment(f->w, s, role, env) != 0)
    return writer_refused(f, NULL);
  return c837_run_ack_segment(&f->ack, s, role);
}

/* Keeps the date of a finding for the chart.  0, or -1 when out of
 * memory (f->nomem set). */
static int note_day(file_ctx *f, int32_t date)
{
  if (c837_day_add(&f->days, &f->n_days, &f->cap_days, date, 1) != 0) {
    f->nomem = 1;
    return -1;
  }
  return 0;
}

/* The claim's figures in the file's record and its findings' dates.
 * 0, or -1 when out of memory. */
static int count_claim(file_ctx *f, const c837_claim *c,
                       const c837_verdict *v)
{
  c837_totals *t = &f->rec->t;
  size_t i;
  t->claims++;
  t->lines += c->n_lines;
  if (!f->ahead)
    f->run->claims_seen++; /* running count for progress */
  switch (v->disposition) {
  case C837_DISP_PASSED:
    t->claims_passed++;
    break;
  case C837_DISP_FIXED:
    t->claims_fixed++;
    break;
  case C837_DISP_HELD:
    t->claims_held++;
    break;
  }
  /* findings past C837_MAX_FINDINGS on one claim have no row, but count */
  for (i = 0; i < C837_EDIT_COUNT; i++)
    t->findings[i] += v->dropped_by_edit[i];
  for (i = 0; i < 3; i++)
    t->by_severity[i] += v->dropped_by_severity[i];
  for (i = 0; i < v->n_findings; i++) {
    const c837_finding *fd = &v->findings[i];
    int32_t day = 0;
    t->findings[fd->edit]++;
    t->by_severity[fd->severity]++;
    if (fd->line != C837_NO_INDEX && fd->line < c->n_lines)
      day = c->lines[fd->line].date_from;
    else if (c->n_lines)
      day = c->lines[0].date_from;
    if (note_day(f, day) != 0)
      return -1;
  }
  return 0;
}

/* What the reports keep of a claim a worker passed (c837_file_adopt
 * replays it): a byte, its payer class, with C837_FACT_SAME set when its
 * billing provider is the previous claim's; else the provider's id and
 * name follow, each with its NUL.  0, or -1 past C837_AHEAD_MAX_FACTS
 * or out of memory: the file is then left to the run's thread. */
static long ahead_fact(file_ctx *f, const c837_claim *c,
                       const c837_verdict *v)
{
  c837_payer_class cls = C837_PAYER_UNKNOWN;
  c837_disposition disp;
  size_t a = strlen(c->billing.id) + 1, b = strlen(c->billing.last) + 1;
  int same = f->facts.len && f->fact_last + a + b <= f->facts.len &&
             memcmp(f->facts.p + f->fact_last, c->billing.id, a) == 0 &&
             memcmp(f->facts.p + f->fact_last + a, c->billing.last, b) == 0;
  unsigned char k;
  size_t need = same ? 1 : 1 + a + b;
  if (f->run->audit)
    c837_audit_facts(f->run->audit, c, v, &cls, &disp);
  k = (unsigned char)cls | (same ? C837_FACT_SAME : 0u);
  if (f->ahead_bytes + need > C837_AHEAD_MAX_FACTS ||
      c837_buf_put(&f->facts, &k, 1) != 0 ||
      (!same && (c837_buf_put(&f->facts, c->billing.id, a) != 0 ||
                 c837_buf_put(&f->facts, c->billing.last, b) != 0))) {
    f->ahead_miss = 1;
    return -1;
  }
  if (!same)
    f->fact_last = f->facts.len - a - b;
  f->ahead_bytes += need;
  return 0;
}

/* A void or replacement a worker reads (c837_engine_defers): copied for
 * the engine in the run's thread, passed here as the engine will pass
 * it (c837_file_adopt checks that it does).  1, or 0 when it cannot be
 * kept (past C837_AHEAD_MAX_FACTS, out of memory). */
static int ahead_defer(file_ctx *f, const c837_claim *c)
{
  size_t size = 0;
  c837_claim *d;
  if (c837_vec_reserve(&f->deferred, &f->cap_deferred, f->n_deferred + 1,
                       sizeof *f->deferred, 16, 0) != 0 ||
      !(d = c837_claim_copy(c, &size)))
    return 0;
  f->deferred[f->n_deferred++] = d;
  f->ahead_bytes += size;
  return f->ahead_bytes <= C837_AHEAD_MAX_FACTS;
}

static int on_claim(void *ud, const c837_claim *c)
{
  file_ctx *f = ud;
  c837_run *r = f->run;
  c837_verdict v;
  c837_run_event ev = {.kind = C837_RUN_CLAIM, .file = f->name,
                       .claim = c, .verdict = &v};
  long n;
  int fast;
  know_gzip(f);
  if (stopped(f))
    return -1;
  /* the fast path: a claim no edit can look at is not judged, and has
   * no row but its audit record (--no-fast-path: every claim judged) */
  if (f->ahead) {
    /* a worker reads on while the fast path passes every claim; one it
     * does not pass, or one with procedure codes (audit steps), needs
     * the run's thread: the file is left to it */
    if (c->n_px || !(c837_engine_passes(r->engine, c) ||
                     (c837_engine_defers(r->engine, c) &&
                      ahead_defer(f, c)))) {
      f->ahead_miss = 1;
      return -1;
    }
    memset(&v, 0, sizeof v); /* passed, no finding: c837_engine_pass's */
    fast = 1;
  } else if (f->extract) {
    /* the extract: what the fast path would not pass is held, unjudged;
     * the rest goes nowhere */
    fast = c837_engine_pass(r->engine, c, &v);
    if (!fast) {
      memset(&v, 0, sizeof v);
      v.disposition = C837_DISP_HELD;
    }
  } else {
    fast = !r->o.no_fast_path && c837_engine_pass(r->engine, c, &v);
    if (!fast && c837_engine_claim(r->engine, c, &v) != C837_OK) {
      f->nomem = 1; /* its only error with a claim and a verdict */
      return -1;
    }
  }
  /* the writer first: a claim it refuses has no rows and no count */
  pass_feed_claim(f, c);
  if (c837_writer_claim(f->w, c, &v) != 0)
    return writer_refused(f, c);
  /* acknowledged as the writer disposed of it */
  if (c837_run_ack_claim(&f->ack, c, &v, c837_writer_disposition(f->w)))
    return -1;
  if (v.disposition != C837_DISP_HELD && !f->ahead &&
      c837_file_gate_open(f) != 0)
    return -1; /* f->out.failed: noted when reading is over */
  if (f->ghost || f->extract) /* no row: a ghost counts by the edits'
                                 memory it leaves, an extract by its
                                 held claims */
    n = 0;
  else if (f->ahead)
    n = ahead_fact(f, c, &v);
  else
    n = fast ? c837_report_clean_claim(r->report, f->name, c, &v)
             : c837_report_claim(r->report, f->name, c, &v, r->table);
  if (n < 0) {
    f->report_failed = !f->ahead;
    return -1;
  }
  f->rec->t.cart_lines += (uint64_t)n;
  if (count_claim(f, c, &v) != 0)
    return -1;
  if (!f->ahead)
    c837_run_emit(r, &ev);
  return 0;
}

static int on_problem(void *ud, const c837_problem *p)
{
  file_ctx *f = ud;
  c837_run_event ev = {.kind = C837_RUN_PROBLEM, .file = f->name,
                       .problem = p};
  if (f->ahead) { /* its row and event are the run's thread's to write */
    f->ahead_miss = 1;
    return -1;
  }
  f->rec->t.problems++;
  f->rec->t.findings[C837_EDIT_ENVELOPE_INVALID]++;
  f->rec->t.by_severity[p->severity]++; /* its own: LX_MISSING a warning */
  c837_run_emit(f->run, &ev);
  if (f->ghost)
    return 0;
  if (c837_report_problem(f->run->report, f->name, NULL, p) != 0) {
    f->report_failed = 1;
    return -1;
  }
  return c837_run_ack_problem(&f->ack, p);
}

/* ---- starting ------------------------------------------------------- */

/* Joins dir and a relative name, refusing names that climb out. */
static int out_path(char *buf, size_t sz, const char *dir, const char *sub,
                    const char *name)
{
  while (name[0] == '/')
    name++;
  if (c837_path_climbs(name))
    return -1;
  if (snprintf(buf, sz, "%s/%s%s%s", dir, sub, *sub ? "/" : "", name) >=
      (int)sz)
    return -1;
  return 0;
}

/* 1 when the output path names the input file itself (the input as
 * file_start found it: stat once per file).  Under an output directory
 * the run made, every file is one of its outputs, written after the
 * inputs it came from were opened: no stat. */
static int same_file(const file_ctx *f, const char *out)
{
  struct stat sb;
  return f->in_known && !f->run->out_made && stat(out, &sb) == 0 &&
         f->in_dev == sb.st_dev && f->in_ino == sb.st_ino;
}

/* Sets up f for input `name` at path (walked: the walk's stat of it, or
 * NULL), without its record. */
static void file_init(c837_run *r, file_ctx *f, const char *path,
                      const char *name, const struct stat *walked,
                      int ghost)
{
  int is_stdin = strcmp(path, "-") == 0;
  struct stat sb;
  memset(f, 0, sizeof *f);
  f->run = r;
  f->path = path;
  f->name = name;
  f->row = 1;
  /* only a regular file can be read a second time (to hold it whole);
   * stdin, a FIFO or a process substitution get the stdin policy */
  if (walked) /* the walk's stat of it, a moment ago */
    sb = *walked;
  f->in_known = !is_stdin && (walked || stat(path, &sb) == 0);
  f->rereadable = f->in_known && S_ISREG(sb.st_mode);
  if (f->in_known) {
    f->in_dev = sb.st_dev;
    f->in_ino = sb.st_ino;
  }
  f->ghost = ghost;
  f->extract = r->o.extract && !f->ghost;
  f->write_837 = !r->o.report_only && !f->ghost;
  f->keep_rest = !f->rereadable && f->write_837;
  f->rest_max = r->o.max_unparsed ? r->o.max_unparsed : C837_MAX_UNPARSED;
}

/* Starts f with the record of input `name`.  C837_OK or C837_ENOMEM
 * (the input is lost). */
static c837_status file_start(c837_run *r, file_ctx *f, const char *path,
                              const char *name)
{
  file_init(r, f, path, name, c837_walk_stat(&r->walk, path), r->ghosting);
  f->rec = c837_run_add_record(r, name);
  if (!f->rec)
    return c837_run_lose_input(r, name);
  r->total.files++;
  return C837_OK;
}

/* The three outputs of f: OUT/NAME (or standard output in the filter
 * mode), OUT/held/NAME, OUT/held/NAME.unparsed.  0, or -1 with the
 * outcome noted (the name is refused). */
static int set_outputs(file_ctx *f)
{
  c837_run *r = f->run;
  char po[PATH_MAX], ph[PATH_MAX], pr[PATH_MAX + 16];
  const char *rel;
  int to_stdout = strcmp(f->path, "-") == 0 && r->o.stdout_filter &&
                  f->write_837;
  if (out_path(po, sizeof po, r->out_dir, "", f->name) != 0 ||
      out_path(ph, sizeof ph, r->out_dir, "held", f->name) != 0 ||
      snprintf(pr, sizeof pr, "%s.unparsed", ph) >= PATH_MAX) {
    note_new(f, R_INPUT, C837_EINVAL,
             "output name climbs out of the output directory or is too "
             "long");
    return -1;
  }
  if (strcmp(f->path, "-") != 0 && f->write_837 &&
      ((!to_stdout && same_file(f, po)) || same_file(f, ph))) {
    note_new(f, R_INPUT, C837_EINVAL,
             "an output of this run would overwrite this input (choose "
             "another output directory)");
    return -1;
  }
  /* below the output directory no symbolic link is followed; gzip -1
   * (as the input) is settled by know_gzip before any write */
  rel = po + strlen(r->out_dir) + 1;
  if (to_stdout)
    c837_out_init(&f->out, NULL, r->o.gzip > 0);
  else
    c837_out_init_under(&f->out, r->out_dir, rel, r->o.gzip > 0);
  c837_out_init_under(&f->held, r->out_dir, ph + (rel - po), r->o.gzip > 0);
  c837_out_init_under(&f->rest, r->out_dir, pr + (rel - po), r->o.gzip > 0);
  f->out.nosync = f->held.nosync = f->rest.nosync = !r->o.sync_each;
  f->out.level = f->held.level = f->rest.level = r->o.gzip_level;
  f->gzip_unknown = r->o.gzip < 0;
  f->gating = to_stdout || f->ahead;
  return 0;
}

/* Everything reading needs: the outputs' names, the input, a mark in
 * the reports, the writer, a checkpoint of the engine.  0, or -1 with
 * the outcome noted. */
static int file_prepare(file_ctx *f)
{
  c837_run *r = f->run;
  c837_sink out_sink = {out_write, f};
  c837_sink held_sink = {c837_out_write, &f->held};
  c837_error err;
  if (stopped(f)) {
    note_new(f, R_CANCEL, C837_EINTR, "interrupted");
    return -1;
  }
  f->row = 0; /* a name refused, or broken reports: no row */
  if (set_outputs(f) != 0)
    return -1;
  f->row = !f->ghost;
  if (!f->ghost && !f->ahead &&
      c837_run_ack_start(&f->ack, r, f->name, &err) != C837_OK) {
    c837_file_note(f, R_OUTPUT, &err);
    return -1;
  }
  /* the walk's sniff has it open at its first byte, or it is opened */
  f->in = f->ahead ? NULL : c837_walk_take_input(&r->walk, f->path);
  if (!f->in)
    f->in = c837_input_open(f->path, &err);
  if (!f->in) {
    c837_file_note(f, R_INPUT, &err);
    return -1;
  }
  /* a ghost has no rows, so no mark to take them back to; a file read
   * ahead is marked when the run's thread takes it */
  if (!f->ghost && !f->ahead && c837_report_mark(r->report) != 0) {
    /* the reports failed with an earlier file: this one cannot have its
     * rows, so it is not processed */
    c837_report_error(r->report, &err);
    c837_file_note(f, R_INPUT, &err);
    f->row = 0;
    return -1;
  }
  f->marked = !f->ghost && !f->ahead;
  pass_start(f);
  if (f->out.pass) /* compared with the input as it is fed: not held */
    f->gating = 0;
  f->w = c837_writer_new(f->write_837 && !f->extract ? &out_sink : NULL,
                         f->write_837 ? &held_sink : NULL);
  if (!f->ghost && !f->ahead)
    c837_audit_tap(r->audit, f->w); /* fixed claims as they went out */
  if (!f->w ||
      (!f->ahead && c837_engine_checkpoint(r->engine) != C837_OK)) {
    note_new(f, R_INPUT, C837_ENOMEM, "out of memory");
    return -1;
  }
  return 0;
}

/* ---- reading -------------------------------------------------------- */

/* Notes what reading ended with: the stream's status, the writer's, the
 * failures the callbacks met, the outputs', an interruption. */
static void note_reading(file_ctx *f, c837_status st, c837_status wst,
                         const c837_error *werr)
{
  c837_out *outs[3] = {&f->out, &f->held, &f->rest};
  c837_error e;
  size_t i;
  if (st == C837_ECALLBACK) {
    e = f->serr; /* stopped by a callback: its reason is noted below */
    c837_error_set(&e, C837_ECALLBACK, e.offset, e.segment,
                   "processing stopped");
    c837_file_note(f, R_INPUT, &e);
  } else if (st != C837_OK) {
    c837_file_note(f, is_parse_error(st) && !f->rereadable ? R_REST : R_INPUT,
         &f->serr);
  }
  if (wst != C837_OK)
    c837_file_note(f, f->writer_failed ? R_WRITER : R_FINISH, werr);
  if (f->nomem) {
    /* where reading stopped */
    c837_error_set(&e, C837_ENOMEM, f->serr.offset, f->serr.segment,
                   "out of memory");
    c837_file_note(f, R_NOMEM, &e);
  }
  if (f->report_failed) { /* the audit's ENOMEM fails the file alone */
    c837_report_error(f->run->report, &e);
    c837_file_note(f, e.code == C837_ENOMEM ? R_NOMEM : R_REPORT, &e);
  }
  for (i = 0; i < 3; i++)
    if (outs[i]->failed)
      c837_file_note(f, R_OUTPUT, &outs[i]->err);
  if (f->ack.st)
    c837_file_note(f, R_OUTPUT, &f->ack.err);
  if (stopped(f))
    note_new(f, R_CANCEL, C837_EINTR, "interrupted");
}

static void file_read(file_ctx *f)
{
  c837_run *r = f->run;
  c837_handler h = {on_segment, on_claim, on_problem, NULL};
  c837_writer_stats ws;
  c837_error werr;
  c837_status st, wst;
  h.ud = f;
  /* input that cannot be read twice: its unparsed tail is kept as it
   * came in OUT/held/NAME.unparsed; a file is held whole instead */
  st = c837_stream_run_buf(f->in, &h, f->keep_rest ? rest_write : NULL, f,
                           &f->counts, &f->serr,
                           f->read_buf ? f->read_buf : c837_run_read_buf(r));
  know_gzip(f);
  c837_out_pass_end(&f->out, f->counts.bytes, st == C837_OK);
  f->rec->t.bytes = f->counts.bytes;
  if (!f->ahead)
    r->bytes_before += f->counts.bytes;
  c837_input_close(f->in);
  f->in = NULL;
  memset(&ws, 0, sizeof ws);
  wst = c837_writer_finish(f->w, &ws, &werr);
  if (wst == C837_OK && f->writer_failed) /* a refusal: not sticky */
    wst = c837_writer_error(f->w, &werr);
  c837_writer_free(f->w);
  f->w = NULL;
  /* every claim held: no corrected output (its envelopes alone are no
   * interchange a receiver takes); else what was held back goes out */
  f->all_held = st == C837_OK && wst == C837_OK && f->write_837 &&
                !f->refused && ws.claims_in > 0 && ws.claims_out == 0;
  if (f->all_held ||
      (f->ahead && (st != C837_OK || wst != C837_OK || f->ahead_miss)))
    c837_buf_free(&f->gate); /* read ahead: left to the run's thread */
  else if (!f->ahead)
    c837_file_gate_open(f);
  /* read ahead: what is held back is written by the run's thread, which
   * makes the file's names (c837_file_adopt) */
  f->gating = f->ahead && f->gate.len;
  /* a fix the writer could not apply (a CLM02 past int64 cents) sent the
   * claim to the held file instead */
  if (ws.claims_unfixable <= f->rec->t.claims_fixed) {
    f->rec->t.claims_fixed -= ws.claims_unfixable;
    f->rec->t.claims_held += ws.claims_unfixable;
  }
  note_reading(f, st, wst, &werr);
}


/* ---- reading ahead (ahead.c) ----------------------------------------- */

int c837_file_read_ahead(c837_run *r, file_ctx *f, const char *path,
                         const char *name, c837_file_rec *rec, char *buf,
                         const atomic_int *stop)
{
  file_init(r, f, path, name, NULL, 0);
  f->rec = rec;
  f->ahead = 1;
  f->ahead_stop = stop;
  f->read_buf = buf;
  if (file_prepare(f) == 0)
    file_read(f);
  c837_input_close(f->in);
  f->in = NULL;
  c837_writer_free(f->w);
  f->w = NULL;
  if (f->rank == R_NONE && !f->ahead_miss && !f->all_held)
    return 1;
  c837_file_drop_ahead(f);
  return 0;
}

void c837_file_ahead_free(file_ctx *f)
{
  size_t i;
  for (i = 0; i < f->n_deferred; i++)
    free(f->deferred[i]);
  free(f->deferred);
  f->deferred = NULL;
  f->n_deferred = f->cap_deferred = 0;
  c837_buf_free(&f->facts);
  c837_buf_free(&f->gate);
  free(f->days);
  f->days = NULL;
}

void c837_file_drop_ahead(file_ctx *f)
{
  c837_out_abort(&f->out);
  c837_out_abort(&f->held);
  c837_out_abort(&f->rest);
  c837_file_ahead_free(f);
}

c837_status c837_run_file(c837_run *r, const char *path, const char *name)
{
  file_ctx f, *af;
  c837_status st;
  /* a file a worker read ahead: taken in its turn */
  if (r->ahead && !r->ghosting &&
      (af = c837_ahead_take(r->ahead, path, name)) != NULL) {
    int taken = c837_file_adopt(r, af, path, name, &st);
    free(af);
    if (taken)
      return st;
  }
  if (file_start(r, &f, path, name) != C837_OK)
    return C837_ENOMEM;
  if (file_prepare(&f) == 0)
    file_read(&f);
  c837_input_close(f.in);
  c837_writer_free(f.w);
  c837_buf_free(&f.gate);
  st = c837_file_settle(&f);
  c837_run_ack_free(&f.ack);
  free(f.days);
  return st;
}

c837_status c837_run_fail_input(c837_run *r, const char *name,
                                const c837_error *e)
{
  file_ctx f;
  c837_status st;
  if (file_start(r, &f, "", name) != C837_OK)
    return C837_ENOMEM;
  c837_file_note(&f, R_INPUT, e);
  st = c837_file_discard(&f);
  return st;
}
