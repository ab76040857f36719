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
 * (note(): the failure of the highest rank explains the file; of equal
 * rank, the first).  Once reading is over, ONE settle step turns the
 * outcome into one of four endings:
 *
 *   COMMIT           all went well: outputs renamed, rows and memory kept;
 *   COMMIT_WITH_REST input that cannot be read twice stopped at a parse
 *                    error or at a claim or segment the writer refused:
 *                    what came before goes out, the rest is kept as it
 *                    came in OUT/held/NAME.unparsed, one error row;
 *   HOLD_WHOLE       a regular file that cannot be read to its end: nothing
 *                    of it is forwarded or kept in the reports but one
 *                    error row; it is copied whole to OUT/held/NAME;
 *   DISCARD          the file failed (I/O, memory, conservation, an output
 *                    name refused, interruption): nothing of it is kept but
 *                    its error row.
 *
 * A commit or a hold that fails in its turn ends as DISCARD.
 */
#include "run/run_int.h"
#include "run/audit.h"
#include "run/run_ack.h"
#include "run/sink.h"
#include "edit/engine_hist.h"
#include "base/buf.h"
#include "base/err.h"
#include "base/limits.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* What can go wrong with a file, lowest rank first.  An interruption
 * outranks what it caused; a failed output explains a stop better than
 * the stop itself; a regular file that cannot be read to its end is held
 * whole whatever its writer thought of it, but the writer's failure to
 * finish what it had outranks the parse error of input read once. */
typedef enum rank {
  R_NONE = 0,
  R_REST,    /* input read once: a parse error (what came before goes out) */
  R_FINISH,  /* the writer failed when ending its outputs */
  R_INPUT,   /* the file could not be started or read (EIO, EGZIP,
                ENOMEM), or a regular file could not be parsed to its end */
  R_NOMEM,   /* the engine or the chart ran out of memory */
  R_REFUSED, /* input read once: the writer refused a claim or segment */
  R_WRITER,  /* the writer failed while the file was read */
  R_REPORT,  /* the reports could not be written */
  R_OUTPUT,  /* an output could not be written */
  R_CANCEL   /* interrupted */
} rank;

typedef enum ending { COMMIT, COMMIT_WITH_REST, HOLD_WHOLE, DISCARD } ending;

typedef struct file_ctx {
  c837_run *run;
  c837_file_rec *rec;
  const char *path, *name;
  int rereadable;        /* a regular file: can be read again (held whole) */
  int write_837;         /* not report-only */
  int keep_rest;         /* an unparsed rest goes to OUT/held/NAME.unparsed */
  int gzip_unknown;      /* outputs compress as the input, not known yet */
  c837_input *in;
  c837_writer *w;
  c837_out out, held, rest;
  c837_run_ack ack;      /* OUT/ack/NAME.999, .277 (run_ack.h) */
  c837_counts counts;
  c837_error serr;       /* the stream's error, set before the rest */
  uint64_t rest_max;     /* bytes the unparsed rest may take */
  uint64_t rest_bytes;   /* bytes it took */
  uint64_t rest_dropped; /* bytes refused at the limit (then no more is
                            read) */
  uint64_t next_progress;
  /* failures met while reading, noted when reading is over */
  int nomem, writer_failed, report_failed;
  int marked;            /* the report rows of the file can be taken back */
  int rolled_back;
  int row;               /* a DISCARD writes the error row */
  /* the outcome slot */
  rank rank;
  c837_error end;
  int32_t *days;         /* dates of the file's findings, counted on commit */
  size_t n_days, cap_days;
  /* a refusal of the writer (see writer_refused) */
  int refused;           /* 2: it refused a claim, 1: a segment */
  c837_error refusal;
} file_ctx;

/* The outcome slot: keeps e when it outranks what is there. */
static void note(file_ctx *f, rank k, const c837_error *e)
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
  note(f, k, &e);
}

static int is_parse_error(c837_status st)
{
  return c837_status_class(st) == C837_CLASS_PARSE;
}

static int rest_write(void *ud, const void *p, size_t n);

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
  note(f, R_REFUSED, &f->refusal);
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
  return c837_run_is_cancelled(f->run) || f->report_failed || f->nomem ||
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

static void progress(file_ctx *f, uint64_t offset)
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

static int on_segment(void *ud, const c837_segment *s, c837_role role,
                      const c837_envelope *env)
{
  file_ctx *f = ud;
  know_gzip(f);
  if (c837_run_is_cancelled(f->run))
    return -1;
  if (s->offset >= f->next_progress && f->run->o.on_event)
    progress(f, s->offset);
  if (c837_writer_segment(f->w, s, role, env) != 0)
    return writer_refused(f, NULL);
  return c837_run_ack_segment(&f->ack, s, role);
}

/* Keeps the date of a finding for the chart.  0, or -1 when out of
 * memory (f->nomem set). */
static int note_day(file_ctx *f, int32_t date)
{
  if (date <= 0)
    return 0;
  if (c837_vec_reserve(&f->days, &f->cap_days, f->n_days + 1,
                       sizeof *f->days, 64, 0) != 0) {
    f->nomem = 1;
    return -1;
  }
  f->days[f->n_days++] = date;
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

static int on_claim(void *ud, const c837_claim *c)
{
  file_ctx *f = ud;
  c837_run *r = f->run;
  c837_verdict v;
  c837_run_event ev = {.kind = C837_RUN_CLAIM, .file = f->name,
                       .claim = c, .verdict = &v};
  long n;
  know_gzip(f);
  if (c837_run_is_cancelled(r))
    return -1;
  if (c837_engine_claim(r->engine, c, &v) != C837_OK) {
    f->nomem = 1; /* its only error with a claim and a verdict */
    return -1;
  }
  /* the writer first: a claim it refuses has no rows and no count */
  if (c837_writer_claim(f->w, c, &v) != 0)
    return writer_refused(f, c);
  /* acknowledged as the writer disposed of it */
  if (c837_run_ack_claim(&f->ack, c, &v, c837_writer_disposition(f->w)))
    return -1;
  n = c837_report_claim(r->report, f->name, c, &v, r->table);
  if (n < 0) {
    f->report_failed = 1;
    return -1;
  }
  f->rec->t.cart_lines += (uint64_t)n;
  if (count_claim(f, c, &v) != 0)
    return -1;
  c837_run_emit(r, &ev);
  return 0;
}

static int on_problem(void *ud, const c837_problem *p)
{
  file_ctx *f = ud;
  c837_run_event ev = {.kind = C837_RUN_PROBLEM, .file = f->name,
                       .problem = p};
  f->rec->t.problems++;
  f->rec->t.findings[C837_EDIT_ENVELOPE_INVALID]++;
  f->rec->t.by_severity[C837_SEV_ERROR]++;
  c837_run_emit(f->run, &ev);
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
  if (strcmp(name, "..") == 0 || strncmp(name, "../", 3) == 0 ||
      strstr(name, "/../") ||
      (strlen(name) >= 3 && strcmp(name + strlen(name) - 3, "/..") == 0))
    return -1;
  if (snprintf(buf, sz, "%s/%s%s%s", dir, sub, *sub ? "/" : "", name) >=
      (int)sz)
    return -1;
  return 0;
}

/* 1 when the output path names the input file itself. */
static int same_file(const char *a, const char *b)
{
  struct stat sa, sb;
  return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
         sa.st_ino == sb.st_ino;
}

/* Starts f with the record of input `name`.  C837_OK or C837_ENOMEM
 * (the input is lost). */
static c837_status file_start(c837_run *r, file_ctx *f, const char *path,
                              const char *name)
{
  int is_stdin = strcmp(path, "-") == 0;
  struct stat sb;
  memset(f, 0, sizeof *f);
  f->run = r;
  f->path = path;
  f->name = name;
  f->row = 1;
  f->rec = c837_run_add_record(r, name);
  if (!f->rec)
    return c837_run_lose_input(r, name);
  r->total.files++;
  /* only a regular file can be read a second time (to hold it whole);
   * stdin, a FIFO or a process substitution get the stdin policy */
  f->rereadable = !is_stdin && stat(path, &sb) == 0 && S_ISREG(sb.st_mode);
  f->write_837 = !r->o.report_only;
  f->keep_rest = !f->rereadable && f->write_837;
  f->rest_max = r->o.max_unparsed ? r->o.max_unparsed : C837_MAX_UNPARSED;
  return C837_OK;
}

/* The three outputs of f: OUT/NAME (or standard output in the filter
 * mode), OUT/held/NAME, OUT/held/NAME.unparsed.  0, or -1 with the
 * outcome noted (the name is refused). */
static int set_outputs(file_ctx *f)
{
  c837_run *r = f->run;
  char po[PATH_MAX], ph[PATH_MAX], pr[PATH_MAX + 16];
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
      ((!to_stdout && same_file(f->path, po)) || same_file(f->path, ph))) {
    note_new(f, R_INPUT, C837_EINVAL,
             "an output of this run would overwrite this input (choose "
             "another output directory)");
    return -1;
  }
  /* gzip -1 (as the input) is settled by know_gzip before any write */
  c837_out_init(&f->out, to_stdout ? NULL : po, r->o.gzip > 0);
  c837_out_init(&f->held, ph, r->o.gzip > 0);
  c837_out_init(&f->rest, pr, r->o.gzip > 0);
  f->out.nosync = f->held.nosync = f->rest.nosync = !r->o.sync_each;
  f->out.level = f->held.level = f->rest.level = r->o.gzip_level;
  f->gzip_unknown = r->o.gzip < 0;
  return 0;
}

/* Everything reading needs: the outputs' names, the input, a mark in
 * the reports, the writer, a checkpoint of the engine.  0, or -1 with
 * the outcome noted. */
static int file_prepare(file_ctx *f)
{
  c837_run *r = f->run;
  c837_sink out_sink = {c837_out_write, &f->out};
  c837_sink held_sink = {c837_out_write, &f->held};
  c837_error err;
  if (c837_run_is_cancelled(r)) {
    note_new(f, R_CANCEL, C837_EINTR, "interrupted");
    return -1;
  }
  f->row = 0; /* a name refused, or broken reports: no row */
  if (set_outputs(f) != 0)
    return -1;
  f->row = 1;
  if (c837_run_ack_start(&f->ack, r, f->name, &err) != C837_OK) {
    note(f, R_OUTPUT, &err);
    return -1;
  }
  f->in = c837_input_open(f->path, &err);
  if (!f->in) {
    note(f, R_INPUT, &err);
    return -1;
  }
  if (c837_report_mark(r->report) != 0) {
    /* the reports failed with an earlier file: this one cannot have its
     * rows, so it is not processed */
    c837_report_error(r->report, &err);
    note(f, R_INPUT, &err);
    f->row = 0;
    return -1;
  }
  f->marked = 1;
  f->w = c837_writer_new(f->write_837 ? &out_sink : NULL,
                         f->write_837 ? &held_sink : NULL);
  c837_audit_tap(r->audit, f->w); /* fixed claims as they went out */
  if (!f->w || c837_engine_checkpoint(r->engine) != C837_OK) {
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
    note(f, R_INPUT, &e);
  } else if (st != C837_OK) {
    note(f, is_parse_error(st) && !f->rereadable ? R_REST : R_INPUT,
         &f->serr);
  }
  if (wst != C837_OK)
    note(f, f->writer_failed ? R_WRITER : R_FINISH, werr);
  if (f->nomem) {
    /* where reading stopped */
    c837_error_set(&e, C837_ENOMEM, f->serr.offset, f->serr.segment,
                   "out of memory");
    note(f, R_NOMEM, &e);
  }
  if (f->report_failed) { /* the audit's ENOMEM fails the file alone */
    c837_report_error(f->run->report, &e);
    note(f, e.code == C837_ENOMEM ? R_NOMEM : R_REPORT, &e);
  }
  for (i = 0; i < 3; i++)
    if (outs[i]->failed)
      note(f, R_OUTPUT, &outs[i]->err);
  if (f->ack.st)
    note(f, R_OUTPUT, &f->ack.err);
  if (c837_run_is_cancelled(f->run))
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
  st = c837_stream_run(f->in, &h, f->keep_rest ? rest_write : NULL, f,
                       &f->counts, &f->serr);
  know_gzip(f);
  f->rec->t.bytes = f->counts.bytes;
  r->bytes_before += f->counts.bytes;
  c837_input_close(f->in);
  f->in = NULL;
  memset(&ws, 0, sizeof ws);
  wst = c837_writer_finish(f->w, &ws, &werr);
  if (wst == C837_OK && f->writer_failed) /* a refusal: not sticky */
    wst = c837_writer_error(f->w, &werr);
  c837_writer_free(f->w);
  f->w = NULL;
  /* a fix the writer could not apply (a CLM02 past int64 cents) sent the
   * claim to the held file instead */
  if (ws.claims_unfixable <= f->rec->t.claims_fixed) {
    f->rec->t.claims_fixed -= ws.claims_unfixable;
    f->rec->t.claims_held += ws.claims_unfixable;
  }
  note_reading(f, st, wst, &werr);
}

/* ---- settling ------------------------------------------------------- */

static ending ending_of(const file_ctx *f)
{
  if (f->rank == R_NONE)
    return COMMIT;
  if (f->end.code == C837_EINTR)
    return DISCARD;
  if (is_parse_error(f->end.code) || f->rank == R_REFUSED)
    return f->rereadable ? HOLD_WHOLE : COMMIT_WITH_REST;
  return DISCARD;
}

static void outputs_abort(file_ctx *f)
{
  c837_out_abort(&f->out);
  c837_out_abort(&f->held);
  c837_out_abort(&f->rest);
}

/* Takes back what the file did to the reports, the engine's memory and
 * the chart; its figures keep only what the summary should say.  Once. */
static void roll_back(file_ctx *f)
{
  if (f->rolled_back)
    return;
  f->rolled_back = 1;
  c837_engine_rollback(f->run->engine);
  if (f->marked && c837_report_rollback(f->run->report) != 0)
    f->report_failed = 1;
  f->n_days = 0;
  memset(&f->rec->t, 0, sizeof f->rec->t);
}

/* One ENVELOPE_INVALID row naming a file-level error, counted. */
static void error_row(file_ctx *f, const c837_error *e)
{
  if (c837_report_file_error(f->run->report, f->name, e) != 0)
    f->report_failed = 1;
  f->rec->t.findings[C837_EDIT_ENVELOPE_INVALID]++;
  f->rec->t.by_severity[C837_SEV_ERROR]++;
}

/* The file's status and reason; counted failed. */
static void set_status(file_ctx *f, const c837_error *e)
{
  f->rec->status = e->code;
  c837_run_set_reason(f->run, f->rec, e->msg);
  f->run->total.files_failed++;
}

/* Sends an event about the file with its error. */
static void emit_file(file_ctx *f, c837_run_ev kind, const c837_error *e,
                      int held)
{
  c837_run_event ev = {.kind = kind, .file = f->name, .err = e,
                       .held = held};
  c837_run_emit(f->run, &ev);
}

static c837_status discard(file_ctx *f)
{
  c837_run *r = f->run;
  outputs_abort(f);
  c837_run_ack_abort(&f->ack);
  roll_back(f);
  if (f->end.code == C837_EINTR) {
    /* no row: the run is over, and writes no report */
    r->cancelled = 1;
    f->rec->status = C837_EINTR;
    c837_run_set_reason(r, f->rec, "interrupted");
    return C837_EINTR;
  }
  if (f->row)
    error_row(f, &f->end);
  c837_totals_add(&r->total, &f->rec->t);
  set_status(f, &f->end);
  emit_file(f, C837_RUN_FILE_FAILED, &f->end, 0);
  return f->end.code;
}

/* Copies the whole input to OUT/held/NAME, unchanged (published with the
 * acknowledgments). */
static c837_status copy_whole(file_ctx *f, c837_error *err)
{
  c837_input *in = c837_input_open(f->path, err);
  char path[PATH_MAX], *buf;
  c837_out *v[1] = {&f->held};
  static const int force[1] = {1};
  long n;
  if (!in)
    return err->code;
  buf = malloc(C837_READ_CHUNK);
  if (!buf) {
    c837_input_close(in);
    return c837_error_set(err, C837_ENOMEM, 0, 0, "out of memory");
  }
  memcpy(path, f->held.path, sizeof path);
  c837_out_init(&f->held, path,
                f->run->o.gzip < 0 ? c837_input_is_gzip(in)
                                   : f->run->o.gzip > 0);
  f->held.nosync = !f->run->o.sync_each;
  f->held.level = f->run->o.gzip_level;
  while ((n = c837_input_read(in, buf, C837_READ_CHUNK, err)) > 0)
    if (c837_out_write(&f->held, buf, (size_t)n) != 0)
      break;
  c837_input_close(in);
  free(buf);
  if (n < 0)
    return err->code;
  return c837_run_ack_publish(&f->ack, v, force, 1, err);
}

static c837_status hold_whole(file_ctx *f)
{
  c837_run *r = f->run;
  c837_error herr;
  outputs_abort(f);
  roll_back(f);
  f->rec->uncounted = 1;
  f->rec->claims_before_error = f->counts.claims;
  if (f->write_837 ? copy_whole(f, &herr) != C837_OK
                   : c837_run_ack_publish(&f->ack, NULL, NULL, 0, &herr)) {
    /* it cannot be held either (gone, unreadable, disk full): nothing
     * of it is kept; the parse error has its row, and a second row says
     * why it is not held */
    error_row(f, &f->end);
    f->rec->uncounted = 0;
    f->end = herr;
    f->row = 1;
    return discard(f);
  }
  f->rec->held_whole = f->write_837;
  emit_file(f, C837_RUN_HELD_WHOLE, &f->end, f->write_837);
  error_row(f, &f->end);
  c837_totals_add(&r->total, &f->rec->t);
  set_status(f, &f->end);
  return f->end.code;
}

/* Input that cannot be read twice, stopped by a parse error or a
 * refusal: records the unparsed rest in the file's figures and says in
 * e->msg where it went (relative to the output directory, so that the
 * reports do not depend on where it is) and whether it was cut at its
 * limit. */
static void note_rest(file_ctx *f, c837_error *e)
{
  char tail[400];
  size_t len = strlen(e->msg);
  unsigned long long kept = f->rest_bytes;
  f->rec->unparsed_bytes = f->rest_bytes;
  f->rec->unparsed_cut = f->rest_dropped > 0;
  if (f->rest_dropped)
    snprintf(tail, sizeof tail,
             "; only the first %llu bytes of the unparsed rest are kept, as "
             "they came, in held/%.100s.unparsed (%s): reading stopped "
             "there, the %llu bytes read past them and the rest of the "
             "input were dropped",
             kept, f->name,
             e->code == C837_ENOISA ? "the limit for input that is not X12"
                                    : "the limit on an unparsed rest",
             (unsigned long long)f->rest_dropped);
  else if (kept && f->refused)
    snprintf(tail, sizeof tail,
             "; that %s and the rest of the input (%llu bytes) are kept as "
             "they came in held/%.100s.unparsed",
             f->refused == 2 ? "claim" : "segment", kept, f->name);
  else if (kept)
    snprintf(tail, sizeof tail,
             "; the unparsed rest of the input (%llu bytes) is kept as it "
             "came in held/%.100s.unparsed",
             kept, f->name);
  else
    return;
  snprintf(e->msg + len, sizeof e->msg - len, "%s", tail);
}

/* COMMIT and COMMIT_WITH_REST: the outputs take their final names (all
 * or none), the rows, the engine's memory and the dates stay. */
static c837_status commit(file_ctx *f, int with_rest)
{
  c837_run *r = f->run;
  c837_out *v[3] = {&f->out, &f->held, &f->rest};
  static const int force[3] = {1, 0, 0}; /* an empty corrected file too */
  c837_error err;
  c837_status st = C837_OK;
  size_t k;
  /* room for the file's dates in the chart before anything is
   * published, so that counting them below cannot fail */
  if (f->n_days && c837_run_reserve_days(r, f->n_days) != 0)
    st = c837_error_set(&err, C837_ENOMEM, 0, 0, "out of memory");
  else
    st = c837_run_ack_publish(&f->ack, v, force, f->write_837 ? 3 : 0,
                              &err);
  if (st != C837_OK) {
    f->end = err;
    f->row = 1;
    return discard(f);
  }
  if (with_rest) {
    /* what was read went out; the tail is in OUT/held/NAME.unparsed */
    note_rest(f, &f->end);
    set_status(f, &f->end);
    error_row(f, &f->end);
    emit_file(f, C837_RUN_UNPARSED_REST, &f->end, 0);
  }
  c837_engine_commit(r->engine);
  for (k = 0; k < f->n_days; k++)
    c837_run_count_day(r, f->days[k]);
  c837_totals_add(&r->total, &f->rec->t);
  return with_rest ? f->end.code : C837_OK;
}

static c837_status settle(file_ctx *f)
{
  static const c837_run_ack_how how[] = {
      [COMMIT] = C837_RUN_ACK_DONE, [COMMIT_WITH_REST] = C837_RUN_ACK_CUT,
      [HOLD_WHOLE] = C837_RUN_ACK_HELD_WHOLE};
  ending e = ending_of(f);
  c837_error err;
  /* the acknowledgments end as the file does; if they cannot, it fails */
  if (e != DISCARD &&
      c837_run_ack_end(&f->ack, how[e], f->end.code, &err) != C837_OK) {
    note(f, R_OUTPUT, &err);
    e = DISCARD;
  }
  switch (e) {
  case COMMIT:
    return commit(f, 0);
  case COMMIT_WITH_REST:
    return commit(f, 1);
  case HOLD_WHOLE:
    return hold_whole(f);
  case DISCARD:
  default:
    return discard(f);
  }
}

c837_status c837_run_file(c837_run *r, const char *path, const char *name)
{
  file_ctx f;
  c837_status st;
  if (file_start(r, &f, path, name) != C837_OK)
    return C837_ENOMEM;
  if (file_prepare(&f) == 0)
    file_read(&f);
  c837_input_close(f.in);
  c837_writer_free(f.w);
  st = settle(&f);
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
  note(&f, R_INPUT, e);
  st = discard(&f);
  return st;
}
