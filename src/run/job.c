/* job.c -- a run: inputs through engine, writer and reports
 *
 * One run reads its inputs in the order given, each in one streaming pass:
 *
 *   input -> tokenizer -> assembler -+-> segments ----------> writer
 *                                    +-> claims -> engine -+-> writer
 *                                    |                     +-> report
 *                                    +-> problems ---------> report
 *
 * Each input F gets OUT/F (corrected) and, when a claim is held,
 * OUT/held/F, both written through temporary files that are renamed only
 * when the file is complete and the writer has checked that every claim
 * that came in went out (corrected or held).  A file that fails keeps
 * nothing under a final name.  The engine's memory of CAR-T lines runs
 * across files, so day totals and sequencing span the whole run (and,
 * with a ledger, earlier runs).
 */
#include "run/job_int.h"
#include "base/limits.h"
#include "base/buf.h"
#include "base/util.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>


void c837_job_options_default(c837_job_options *o)
{
  memset(o, 0, sizeof *o);
  o->out_dir = "cart837-out";
  o->gzip = -1;
  c837_edit_options_default(&o->edit);
  o->lock_wait = 1;
}

static FILE *log_fp(const c837_job *j)
{
  return j->o.log ? j->o.log : stderr;
}

c837_job *c837_job_new(const c837_job_options *o, c837_error *err)
{
  c837_job *j = calloc(1, sizeof *j);
  memset(err, 0, sizeof *err);
  if (!j) {
    err->code = C837_ENOMEM;
    snprintf(err->msg, sizeof err->msg, "out of memory");
    return NULL;
  }
  j->o = *o;
  j->lock_fd = -1;
  if (!j->o.out_dir || !*j->o.out_dir)
    j->o.out_dir = "cart837-out";
  if (strlen(j->o.out_dir) >= sizeof j->out_dir) {
    err->code = C837_EINVAL;
    snprintf(err->msg, sizeof err->msg, "output directory name too long");
    free(j);
    return NULL;
  }
  snprintf(j->out_dir, sizeof j->out_dir, "%s", j->o.out_dir);
  j->o.out_dir = j->out_dir;
  j->table = c837_codetable_builtin(err);
  if (!j->table)
    goto fail;
  if (o->codes_path &&
      c837_codetable_load(j->table, o->codes_path, 0, err) != C837_OK)
    goto fail;
  {
    /* the run's date stamps the ledger rows this run writes */
    c837_edit_options eo = o->edit;
    if (o->run_date)
      eo.run_date = o->run_date;
    j->engine = c837_engine_new(j->table, &eo);
  }
  if (!j->engine) {
    err->code = C837_ENOMEM;
    snprintf(err->msg, sizeof err->msg, "out of memory");
    goto fail;
  }
  if (o->state_path) {
    if (!o->state_readonly &&
        c837_ledger_lock(o->state_path, o->lock_wait, &j->lock_fd, err) !=
            C837_OK)
      goto fail;
    if (c837_ledger_load(j->engine, o->state_path, err) != C837_OK)
      goto fail;
  }
  if (c837_mkdirs(j->out_dir, err) != C837_OK)
    goto fail;
  {
    struct stat sb;
    if (stat(j->out_dir, &sb) == 0) {
      j->out_dev = sb.st_dev;
      j->out_ino = sb.st_ino;
    }
  }
  j->report = c837_report_open(j->out_dir, err);
  if (!j->report)
    goto fail;
  return j;
fail:
  c837_job_free(j);
  return NULL;
}

void c837_job_free(c837_job *j)
{
  size_t i;
  if (!j)
    return;
  c837_report_abort(j->report);
  c837_engine_free(j->engine);
  c837_codetable_free(j->table);
  c837_ledger_unlock(j->lock_fd);
  for (i = 0; i < j->n_files; i++) {
    free(j->files[i].name);
    free(j->files[i].reason);
  }
  free(j->files);
  free(j->names);
  free(j->days);
  free(j);
}

const c837_totals *c837_job_totals(const c837_job *j)
{
  return &j->total;
}

int c837_job_has_finding(const c837_job *j, c837_severity sev)
{
  int s;
  for (s = (int)sev; s <= (int)C837_SEV_ERROR; s++)
    if (j->total.by_severity[s])
      return 1;
  return 0;
}

static c837_file_rec *add_file(c837_job *j, const char *name)
{
  c837_file_rec *f;
  if (c837_vec_reserve(&j->files, &j->cap_files, j->n_files + 1, sizeof *j->files, 16, 0) != 0)
    return NULL;
  f = &j->files[j->n_files];
  memset(f, 0, sizeof *f);
  f->name = strdup(name);
  if (!f->name)
    return NULL;
  j->n_files++;
  return f;
}

static void set_reason(c837_job *j, c837_file_rec *f, const char *why)
{
  free(f->reason);
  f->reason = strdup(why);
  if (!f->reason)
    j->lost = 1;
}

void c837_job_skip(c837_job *j, const char *name, const char *reason)
{
  c837_file_rec *f = add_file(j, name);
  if (f) {
    f->skipped = 1;
    set_reason(j, f, reason);
  } else {
    j->lost = 1;
  }
  j->total.files_skipped++;
  if (!j->o.quiet)
    fprintf(log_fp(j), "cart837: skipped %s: %s\n", name, reason);
}

static void count_day(c837_job *j, int32_t date)
{
  size_t lo = 0, hi = j->n_days;
  if (date <= 0)
    return;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    if (j->days[mid].date < date)
      lo = mid + 1;
    else
      hi = mid;
  }
  if (lo < j->n_days && j->days[lo].date == date) {
    j->days[lo].count++;
    return;
  }
  if (c837_vec_reserve(&j->days, &j->cap_days, j->n_days + 1, sizeof *j->days, 64, 0) != 0)
    return;
  memmove(&j->days[lo + 1], &j->days[lo],
          (j->n_days - lo) * sizeof *j->days);
  j->days[lo].date = date;
  j->days[lo].count = 1;
  j->n_days++;
}

/* ---- output sinks opened on first write ----------------------------- */

typedef struct lazy_out {
  char path[PATH_MAX];
  int gzip;            /* -1: as the input */
  int in_gzip;         /* the input was gzip (known after the first read) */
  c837_input *in;      /* asked while open; NULL once closed */
  c837_outfile *of;
  /* stdout (filter mode) */
  int to_stdout;
  gzFile gz;
  int failed;
  int nosync;          /* no fsync per file: the job syncs at its end */
  c837_error err;
} lazy_out;

static int lazy_gzip(const lazy_out *l)
{
  int in_gz = l->in ? c837_input_is_gzip(l->in) : l->in_gzip;
  return l->gzip == -1 ? in_gz : l->gzip;
}

static void lazy_fail(lazy_out *l, c837_status code, const char *what)
{
  l->failed = 1;
  if (l->err.code == C837_OK) {
    l->err.code = code;
    snprintf(l->err.msg, sizeof l->err.msg, "cannot write %.200s: %.80s",
             l->to_stdout ? "standard output" : l->path, what);
  }
}

static int lazy_write(void *ud, const void *p, size_t n)
{
  lazy_out *l = ud;
  if (l->failed)
    return -1;
  if (l->to_stdout) {
    if (!l->gz && lazy_gzip(l)) {
      int fd = dup(STDOUT_FILENO);
      l->gz = fd >= 0 ? gzdopen(fd, "wb6") : NULL;
      if (!l->gz) {
        if (fd >= 0)
          close(fd);
        lazy_fail(l, fd >= 0 ? C837_ENOMEM : C837_EIO,
                  "zlib could not start");
        return -1;
      }
    }
    if (l->gz) {
      if (n && gzwrite(l->gz, p, (unsigned)n) != (int)n)
        lazy_fail(l, C837_EIO, strerror(errno ? errno : EIO));
    } else if (n && fwrite(p, 1, n, stdout) != n) {
      lazy_fail(l, C837_EIO, strerror(errno ? errno : EIO));
    }
    return l->failed ? -1 : 0;
  }
  if (!l->of) {
    l->of = c837_outfile_open(l->path, lazy_gzip(l), &l->err);
    if (!l->of) {
      l->failed = 1;
      return -1;
    }
    if (l->nosync)
      c837_outfile_nosync(l->of);
  }
  if (c837_outfile_write(l->of, p, n) != 0) {
    lazy_fail(l, C837_EIO, strerror(errno ? errno : EIO));
    return -1;
  }
  return 0;
}

static void lazy_abort(lazy_out *l)
{
  c837_outfile_abort(l->of);
  l->of = NULL;
  if (l->gz) {
    gzclose_w(l->gz);
    l->gz = NULL;
  }
}

/* First half of completing an output: stdout is flushed (for good), a
 * file is flushed, fsync'd and closed under its temporary name (force:
 * even when nothing was written, as an empty file). */
static c837_status lazy_close(lazy_out *l, int force, c837_error *err)
{
  if (!l->failed && l->to_stdout) {
    if (l->gz) {
      if (gzclose_w(l->gz) != Z_OK)
        lazy_fail(l, C837_EIO, "gzip stream could not be closed");
      l->gz = NULL;
    } else if (fflush(stdout) != 0) {
      lazy_fail(l, C837_EIO, strerror(errno));
    }
  } else if (!l->failed && !l->of && force) {
    (void)lazy_write(l, "", 0);
  }
  if (!l->failed && l->of && c837_outfile_close(l->of, &l->err) != C837_OK)
    l->failed = 1;
  if (l->failed) {
    lazy_abort(l);
    *err = l->err;
    return l->err.code != C837_OK ? l->err.code : C837_EIO;
  }
  return C837_OK;
}

/* Second half: the closed file takes its final name.  *published is set
 * when it did (so that a later failure can take it back). */
static c837_status lazy_publish(lazy_out *l, int *published, c837_error *err)
{
  c837_outfile *of = l->of;
  *published = 0;
  if (!of)
    return C837_OK;
  l->of = NULL;
  if (c837_outfile_publish(of, err) != C837_OK)
    return C837_EIO;
  *published = 1;
  return C837_OK;
}

static c837_status lazy_commit(lazy_out *l, int force, c837_error *err)
{
  int pub;
  c837_status st = lazy_close(l, force, err);
  return st != C837_OK ? st : lazy_publish(l, &pub, err);
}

/* Completes the outputs of one file together: every one is on disk
 * before any takes its final name, and if a rename fails the ones
 * already renamed are removed again, so that a file's claims are never
 * half published (a corrected file without its held file). */
static c837_status commit_outputs(lazy_out **ls, const int *force, size_t n,
                                  c837_error *err)
{
  size_t i, k;
  int done[4] = {0, 0, 0, 0};
  c837_status st = C837_OK;
  for (i = 0; i < n && st == C837_OK; i++)
    st = lazy_close(ls[i], force[i], err);
  for (k = 0; k < n && st == C837_OK; k++)
    st = lazy_publish(ls[k], &done[k], err);
  if (st != C837_OK) {
    for (i = 0; i < n; i++) {
      if (done[i])
        unlink(ls[i]->path);
      lazy_abort(ls[i]);
    }
  }
  return st;
}

/* Copies the whole input at path to l, unchanged (a file that cannot be
 * parsed is held whole). */
static c837_status copy_whole(const char *path, lazy_out *l, c837_error *err)
{
  c837_input *in = c837_input_open(path, err);
  char *buf;
  long n;
  if (!in)
    return err->code;
  buf = malloc(C837_READ_CHUNK);
  if (!buf) {
    c837_input_close(in);
    err->code = C837_ENOMEM;
    snprintf(err->msg, sizeof err->msg, "out of memory");
    return C837_ENOMEM;
  }
  l->in = in;
  while ((n = c837_input_read(in, buf, C837_READ_CHUNK, err)) > 0)
    if (lazy_write(l, buf, (size_t)n) != 0)
      break;
  l->in_gzip = c837_input_is_gzip(in);
  l->in = NULL;
  c837_input_close(in);
  free(buf);
  if (n < 0)
    return err->code;
  return lazy_commit(l, 1, err);
}

/* ---- one file ------------------------------------------------------- */

typedef struct file_ctx {
  c837_job *job;
  c837_file_rec *rec;
  const char *name;
  c837_writer *w;
  /* Input that cannot be read twice (stdin, a FIFO) with 837 output: a
   * second writer without sinks sees every segment and claim first, so
   * that one the writer refuses (C837_ECLAIM: a claim to hold outside an
   * envelope, HL nesting too deep to rewrite; C837_EINVAL) never reaches
   * w, which stays sound and finishes what it has; the refused claim or
   * segment goes, with the rest of the input, to the unparsed rest. */
  c837_writer *probe;
  int refused;          /* the probe refused: refusal says why; 2 when
                           it was a claim, 1 a segment */
  c837_error refusal;
  /* the unparsed rest (OUT/held/NAME.unparsed) and what stops it */
  lazy_out *rest, *out, *held;
  const c837_error *stop; /* the stream's error, set before the rest */
  uint64_t rest_max;    /* bytes it may take */
  uint64_t rest_bytes;  /* bytes it took */
  uint64_t rest_dropped; /* bytes refused at the limit (then no more is
                            read) */
  uint64_t next_progress;
  int report_failed;
  int writer_failed;    /* c837_writer_claim / _segment returned an error */
  int nomem;            /* the engine or the chart ran out of memory */
  int32_t *days;        /* dates of this file's findings, counted on commit */
  size_t n_days, cap_days;
} file_ctx;

static int cancelled(const c837_job *j)
{
  return j->o.cancel && *j->o.cancel;
}

/* The c837_raw_cb of input that cannot be read twice: the unparsed
 * rest goes to OUT/held/NAME.unparsed, up to f->rest_max bytes
 * (C837_MAX_UNPARSED_NOISA when the input is not X12 there).  Refuses
 * (-1: nothing more is read) past the limit, and when the file fails
 * anyway: cancelled, an output or the reports failed, out of memory. */
static int rest_write(void *ud, const void *p, size_t n)
{
  file_ctx *f = ud;
  uint64_t max = f->rest_max;
  if (cancelled(f->job) || f->report_failed || f->nomem ||
      f->writer_failed || f->out->failed || f->held->failed ||
      f->rest->failed)
    return -1;
  /* *f->stop is set before the stream's first call, so the lower
   * limit applies from the first byte */
  if (f->stop->code == C837_ENOISA && max > C837_MAX_UNPARSED_NOISA)
    max = C837_MAX_UNPARSED_NOISA;
  if (n > max - f->rest_bytes) { /* rest_bytes <= max: see below */
    size_t room = (size_t)(max - f->rest_bytes);
    f->rest_dropped += n - room;
    if (room && lazy_write(f->rest, p, room) == 0)
      f->rest_bytes += room;
    return -1;
  }
  if (lazy_write(f->rest, p, n) != 0)
    return -1;
  f->rest_bytes += n;
  return 0;
}

/* The probe refused the claim c (NULL: the segment being handed out):
 * the claim's bytes start the unparsed rest (the stream passes on the
 * rest of the input after it).  Returns -1 (stop). */
static int refuse(file_ctx *f, const c837_claim *c)
{
  size_t i;
  (void)c837_writer_error(f->probe, &f->refusal);
  if (f->refusal.code == C837_ENOMEM) {
    f->nomem = 1;
    return -1;
  }
  f->refused = c ? 2 : 1;
  for (i = 0; c && i < c->n_segs; i++)
    if (rest_write(f, c->segs[i].raw, c->segs[i].raw_len) != 0)
      break;
  return -1;
}

static int on_segment(void *ud, const c837_segment *s, c837_role role,
                      const c837_envelope *env)
{
  file_ctx *f = ud;
  c837_job *j = f->job;
  if (cancelled(j))
    return -1;
  if (j->o.progress && s->offset >= f->next_progress) {
    c837_progress p;
    memset(&p, 0, sizeof p);
    p.file = f->name;
    p.bytes = j->bytes_before + s->offset;
    p.files_done = j->n_files ? j->n_files - 1 : 0;
    p.claims = j->claims_seen;
    j->o.progress(j->o.progress_ud, &p);
    f->next_progress = s->offset + C837_PROGRESS_STEP;
  }
  if (f->probe && c837_writer_segment(f->probe, s, role, env) != 0)
    return refuse(f, NULL);
  if (c837_writer_segment(f->w, s, role, env) != 0) {
    f->writer_failed = 1;
    return -1;
  }
  return 0;
}

static void add_totals(c837_totals *a, const c837_totals *b)
{
  size_t k;
  a->claims += b->claims;
  a->lines += b->lines;
  a->cart_lines += b->cart_lines;
  a->claims_passed += b->claims_passed;
  a->claims_fixed += b->claims_fixed;
  a->claims_held += b->claims_held;
  a->problems += b->problems;
  a->bytes += b->bytes;
  for (k = 0; k < C837_EDIT_COUNT; k++)
    a->findings[k] += b->findings[k];
  for (k = 0; k < 3; k++)
    a->by_severity[k] += b->by_severity[k];
}

/* Keeps the date of a finding for the chart.  0, or -1 when out of
 * memory (f->nomem set). */
static int note_day(file_ctx *f, int32_t date)
{
  if (date <= 0)
    return 0;
  if (c837_vec_reserve(&f->days, &f->cap_days, f->n_days + 1, sizeof *f->days, 64, 0) != 0) {
    f->nomem = 1;
    return -1;
  }
  f->days[f->n_days++] = date;
  return 0;
}

static int on_claim(void *ud, const c837_claim *c)
{
  file_ctx *f = ud;
  c837_job *j = f->job;
  c837_verdict v;
  size_t i;
  long n;
  if (cancelled(j))
    return -1;
  if (c837_engine_claim(j->engine, c, &v) != C837_OK) {
    f->nomem = 1; /* its only error with a claim and a verdict */
    return -1;
  }
  if (f->probe && c837_writer_claim(f->probe, c, &v) != 0)
    return refuse(f, c);
  n = c837_report_claim(j->report, f->name, c, &v, j->table);
  if (n < 0) {
    f->report_failed = 1;
    return -1;
  }
  f->rec->t.cart_lines += (uint64_t)n;
  f->rec->t.claims++;
  f->rec->t.lines += c->n_lines;
  j->claims_seen++; /* running count for progress */
  switch (v.disposition) {
  case C837_DISP_PASSED:
    f->rec->t.claims_passed++;
    break;
  case C837_DISP_FIXED:
    f->rec->t.claims_fixed++;
    break;
  case C837_DISP_HELD:
    f->rec->t.claims_held++;
    break;
  }
  /* findings past C837_MAX_FINDINGS on one claim have no row, but count */
  for (i = 0; i < C837_EDIT_COUNT; i++)
    f->rec->t.findings[i] += v.dropped_by_edit[i];
  for (i = 0; i < 3; i++)
    f->rec->t.by_severity[i] += v.dropped_by_severity[i];
  for (i = 0; i < v.n_findings; i++) {
    const c837_finding *fd = &v.findings[i];
    int32_t day = 0;
    f->rec->t.findings[fd->edit]++;
    f->rec->t.by_severity[fd->severity]++;
    if (fd->line != C837_NO_INDEX && fd->line < c->n_lines)
      day = c->lines[fd->line].date_from;
    else if (c->n_lines)
      day = c->lines[0].date_from;
    if (note_day(f, day) != 0)
      return -1;
  }
  if (c837_writer_claim(f->w, c, &v) != 0) {
    f->writer_failed = 1;
    return -1;
  }
  return 0;
}

static int on_problem(void *ud, const c837_problem *p)
{
  file_ctx *f = ud;
  c837_job *j = f->job;
  f->rec->t.problems++;
  f->rec->t.findings[C837_EDIT_ENVELOPE_INVALID]++;
  f->rec->t.by_severity[C837_SEV_ERROR]++;
  if (!j->o.quiet)
    fprintf(log_fp(j), "cart837: %s: byte %llu, segment %llu: %s: %s\n",
            f->name, (unsigned long long)p->offset,
            (unsigned long long)p->segment, p->code, p->msg);
  if (c837_report_problem(j->report, f->name, NULL, p) != 0) {
    f->report_failed = 1;
    return -1;
  }
  return 0;
}

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

static int is_parse_error(c837_status st)
{
  return st == C837_ENOISA || st == C837_EISA || st == C837_ETOOLONG ||
         st == C837_ETOOMANY || st == C837_ETRUNC || st == C837_ECLAIM;
}

/* Takes back what a failed file did: report rows, engine memory, day
 * counts; its figures keep only what the summary should say. */
static void roll_back(c837_job *j, file_ctx *f)
{
  c837_engine_rollback(j->engine);
  if (c837_report_rollback(j->report) != 0)
    f->report_failed = 1;
  f->n_days = 0;
  memset(&f->rec->t, 0, sizeof f->rec->t);
}

/* One ENVELOPE_INVALID row naming a file-level error, counted. */
static void report_file_error(c837_job *j, file_ctx *f, const c837_error *e)
{
  if (c837_report_file_error(j->report, f->name, e) != 0)
    f->report_failed = 1;
  f->rec->t.findings[C837_EDIT_ENVELOPE_INVALID]++;
  f->rec->t.by_severity[C837_SEV_ERROR]++;
}

static c837_status file_failed(c837_job *j, file_ctx *f, c837_status st,
                               const char *msg)
{
  f->rec->status = st;
  set_reason(j, f->rec, msg);
  j->total.files_failed++;
  if (!j->o.quiet)
    fprintf(log_fp(j), "cart837: %s: %s\n", f->name, msg);
  return st;
}

/* Input that cannot be read twice, stopped by a parse error or a
 * refusal: records the unparsed rest in the file's figures and says in
 * e->msg where it went (relative to the output directory, so that the
 * reports do not depend on -o) and whether it was cut at its limit. */
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

/* An input without a record (out of memory): counted and logged; the
 * reports would miss it, so the run cannot finish. */
static c837_status lose_input(c837_job *j, const char *name)
{
  j->lost = 1;
  j->total.files++;
  j->total.files_failed++;
  if (!j->o.quiet)
    fprintf(log_fp(j), "cart837: %s: out of memory\n", name);
  return C837_ENOMEM;
}

/* A file that failed before any of it was read: its error row, counts,
 * status and reason. */
static c837_status failed_early(c837_job *j, file_ctx *f,
                                const c837_error *e)
{
  report_file_error(j, f, e);
  add_totals(&j->total, &f->rec->t);
  return file_failed(j, f, e->code, e->msg);
}

/* Starts f, with the record of input `name`.  C837_OK or C837_ENOMEM
 * (the input is lost: see lose_input). */
static c837_status start_file(c837_job *j, file_ctx *f, const char *name)
{
  memset(f, 0, sizeof *f);
  f->job = j;
  f->name = name;
  f->rec = add_file(j, name);
  if (!f->rec)
    return lose_input(j, name);
  j->total.files++;
  return C837_OK;
}

c837_status c837_job_fail_input(c837_job *j, const char *name,
                                const c837_error *e)
{
  file_ctx f;
  if (start_file(j, &f, name) != C837_OK)
    return C837_ENOMEM;
  return failed_early(j, &f, e);
}

c837_status c837_job_file(c837_job *j, const char *path, const char *name)
{
  file_ctx f;
  lazy_out out, held, rest;
  c837_input *in;
  c837_error err, werr;
  c837_counts counts;
  c837_writer_stats ws;
  c837_status st, wst;

  c837_sink out_sink = {lazy_write, &out}, held_sink = {lazy_write, &held};
  int is_stdin = strcmp(path, "-") == 0;
  struct stat in_sb;
  /* only a regular file can be read a second time (to hold it whole);
   * stdin, a FIFO or a process substitution get the stdin policy */
  int rereadable =
      !is_stdin && stat(path, &in_sb) == 0 && S_ISREG(in_sb.st_mode);
  int to_stdout = is_stdin && j->o.stdout_filter && !j->o.report_only;
  int write_837 = !j->o.report_only;
  int keep_rest = !rereadable && write_837; /* OUT/held/NAME.unparsed */
  size_t k;

  memset(&out, 0, sizeof out);
  memset(&held, 0, sizeof held);
  memset(&rest, 0, sizeof rest);
  memset(&counts, 0, sizeof counts);
  memset(&ws, 0, sizeof ws);
  if (start_file(j, &f, name) != C837_OK)
    return C837_ENOMEM;
  if (cancelled(j)) {
    f.rec->status = C837_EINTR;
    return C837_EINTR;
  }
  out.gzip = held.gzip = rest.gzip = j->o.gzip;
  out.nosync = held.nosync = rest.nosync = !j->o.sync_each;
  out.to_stdout = to_stdout;
  if (out_path(out.path, sizeof out.path, j->out_dir, "", name) != 0 ||
      out_path(held.path, sizeof held.path, j->out_dir, "held", name) != 0 ||
      snprintf(rest.path, sizeof rest.path, "%s.unparsed", held.path) >=
          (int)sizeof rest.path)
    return file_failed(j, &f, C837_EINVAL,
                       "output name climbs out of the output directory or "
                       "is too long");
  if (!is_stdin && write_837 &&
      ((!to_stdout && same_file(path, out.path)) ||
       same_file(path, held.path)))
    return file_failed(j, &f, C837_EINVAL,
                       "an output of this run would overwrite this input "
                       "(choose another -o)");

  in = c837_input_open(path, &err);
  if (!in) {
    f.rec->status = err.code;
    set_reason(j, f.rec, err.msg);
    j->total.files_failed++;
    report_file_error(j, &f, &err);
    add_totals(&j->total, &f.rec->t);
    if (!j->o.quiet)
      fprintf(log_fp(j), "cart837: %s: %s\n", name, err.msg);
    return err.code;
  }
  out.in = held.in = rest.in = in;
  if (c837_report_mark(j->report) != 0) {
    /* the reports failed with an earlier file: this one cannot have its
     * rows, so it is not processed */
    c837_input_close(in);
    c837_report_error(j->report, &err);
    return file_failed(j, &f, C837_EIO, err.msg);
  }
  f.w = c837_writer_new(write_837 ? &out_sink : NULL,
                        write_837 ? &held_sink : NULL);
  if (f.w && keep_rest)
    f.probe = c837_writer_new(NULL, NULL);
  memset(&err, 0, sizeof err);
  if (!f.w || (keep_rest && !f.probe)) {
    err.code = C837_ENOMEM;
    snprintf(err.msg, sizeof err.msg, "out of memory");
  } else if (c837_engine_checkpoint(j->engine) != C837_OK) {
    err.code = C837_ENOMEM;
    snprintf(err.msg, sizeof err.msg, "out of memory");
  }
  if (err.code != C837_OK) {
    c837_writer_free(f.w);
    c837_writer_free(f.probe);
    c837_input_close(in);
    return failed_early(j, &f, &err);
  }
  f.out = &out;
  f.held = &held;
  f.rest = &rest;
  f.stop = &err;
  f.rest_max = j->o.max_unparsed ? j->o.max_unparsed : C837_MAX_UNPARSED;
  {
    c837_handler h = {on_segment, on_claim, on_problem, &f};
    /* stdin cannot be read twice: its unparsed tail is kept as it came
     * in OUT/held/NAME.unparsed; a file is held whole instead */
    st = c837_stream_run(in, &h, keep_rest ? rest_write : NULL, &f, &counts,
                         &err);
  }
  f.rec->t.bytes = counts.bytes;
  j->bytes_before += counts.bytes;
  out.in_gzip = held.in_gzip = rest.in_gzip = c837_input_is_gzip(in);
  out.in = held.in = rest.in = NULL;
  c837_input_close(in);
  c837_writer_free(f.probe);
  wst = c837_writer_finish(f.w, &ws, &werr);
  if (wst == C837_OK && f.writer_failed) /* a refusal: not sticky */
    wst = c837_writer_error(f.w, &werr);
  c837_writer_free(f.w);
  /* a fix the writer could not apply (a CLM02 past int64 cents) sent the
   * claim to the held file instead */
  if (ws.claims_unfixable <= f.rec->t.claims_fixed) {
    f.rec->t.claims_fixed -= ws.claims_unfixable;
    f.rec->t.claims_held += ws.claims_unfixable;
  }

  /* an output that failed explains a stop better than the stop itself */
  if (out.failed || held.failed || rest.failed) {
    err = out.failed ? out.err : held.failed ? held.err : rest.err;
    st = err.code != C837_OK ? err.code : C837_EIO;
  } else if (f.report_failed) {
    st = C837_EIO;
    c837_report_error(j->report, &err);
  } else if (wst != C837_OK &&
             (st == C837_OK || (!rereadable && is_parse_error(st)))) {
    st = wst; /* the output the writer finished is not whole */
    err = werr;
  } else if (st == C837_ECALLBACK && f.writer_failed) {
    st = wst != C837_OK ? wst : C837_EIO;
    err = wst != C837_OK ? werr : err;
  } else if (st == C837_ECALLBACK && f.refused) {
    st = f.refusal.code; /* the claim or segment the writer refused */
    err = f.refusal;
  } else if (st == C837_ECALLBACK && f.nomem) {
    st = err.code = C837_ENOMEM; /* offset and segment: where it stopped */
    snprintf(err.msg, sizeof err.msg, "out of memory");
  }
  if (cancelled(j))
    st = C837_EINTR; /* a signal outranks what it caused */

  if (st == C837_EINTR) {
    lazy_abort(&out);
    lazy_abort(&held);
    lazy_abort(&rest);
    roll_back(j, &f);
    j->cancelled = 1;
    f.rec->status = C837_EINTR;
    set_reason(j, f.rec, "interrupted");
    free(f.days);
    return C837_EINTR;
  }
  if (st != C837_OK && !(!rereadable && (is_parse_error(st) || f.refused))) {
    c837_status hst = C837_OK;
    lazy_abort(&out);
    lazy_abort(&held);
    lazy_abort(&rest);
    roll_back(j, &f);
    free(f.days);
    if (st == C837_ECALLBACK)
      snprintf(err.msg, sizeof err.msg, "processing stopped");
    if (is_parse_error(st)) {
      /* nothing of a file that cannot be read to its end is forwarded:
       * it is held whole, exactly as it came */
      f.rec->uncounted = 1;
      f.rec->claims_before_error = counts.claims;
      if (write_837) {
        c837_error herr;
        memset(&herr, 0, sizeof herr);
        held.failed = 0;
        hst = copy_whole(path, &held, &herr);
        if (hst != C837_OK) {
          /* it cannot be held either (gone, unreadable, disk full):
           * nothing of it is kept; the parse error has its row, and a
           * second row (below) says why it is not held */
          report_file_error(j, &f, &err);
          st = hst;
          err = herr;
          f.rec->uncounted = 0;
        } else {
          f.rec->held_whole = 1;
        }
      }
      if (!j->o.quiet && hst == C837_OK)
        fprintf(log_fp(j),
                "cart837: %s: byte %llu, segment %llu: %s; the file is "
                "held whole%s\n",
                name, (unsigned long long)err.offset,
                (unsigned long long)err.segment, err.msg,
                write_837 ? " (OUT/held/)" : "");
    }
    /* the row names the parse error, or why the file could not be held */
    report_file_error(j, &f, &err);
    add_totals(&j->total, &f.rec->t);
    if (is_parse_error(st)) {
      f.rec->status = st;
      set_reason(j, f.rec, err.msg);
      j->total.files_failed++;
      return st;
    }
    return file_failed(j, &f, st, err.msg);
  }
  /* room for the file's dates in the chart before anything is published,
   * so that count_day below cannot fail */
  wst = C837_OK;
  if (f.n_days && c837_vec_reserve(&j->days, &j->cap_days, j->n_days + f.n_days, sizeof *j->days, 64, 0) != 0) {
    lazy_abort(&out);
    lazy_abort(&held);
    lazy_abort(&rest);
    memset(&werr, 0, sizeof werr);
    wst = werr.code = C837_ENOMEM;
    snprintf(werr.msg, sizeof werr.msg, "out of memory");
  } else if (write_837) {
    lazy_out *ls[3] = {&out, &held, &rest};
    static const int force[3] = {1, 0, 0};
    wst = commit_outputs(ls, force, 3, &werr);
  }
  if (wst != C837_OK) {
    roll_back(j, &f);
    free(f.days);
    report_file_error(j, &f, &werr);
    add_totals(&j->total, &f.rec->t);
    return file_failed(j, &f, wst, werr.msg);
  }
  if (st != C837_OK) {
    /* stdin with a parse error, or a claim or segment the writer
     * refused: what was read went out; the tail is kept in
     * OUT/held/NAME.unparsed */
    note_rest(&f, &err);
    f.rec->status = st;
    set_reason(j, f.rec, err.msg);
    j->total.files_failed++;
    report_file_error(j, &f, &err);
    if (!j->o.quiet)
      fprintf(log_fp(j), "cart837: %s: byte %llu, segment %llu: %s\n", name,
              (unsigned long long)err.offset,
              (unsigned long long)err.segment, err.msg);
  }
  c837_engine_commit(j->engine);
  for (k = 0; k < f.n_days; k++)
    count_day(j, f.days[k]);
  free(f.days);
  add_totals(&j->total, &f.rec->t);
  return st;
}

c837_status c837_job_finish(c837_job *j, c837_error *err)
{
  c837_status st = C837_OK;
  char path[PATH_MAX];
  c837_outfile *of;
  memset(err, 0, sizeof *err);
  if (j->cancelled) {
    err->code = C837_EINTR;
    snprintf(err->msg, sizeof err->msg,
             "interrupted: no report or ledger written");
    return C837_EINTR;
  }
  if (j->lost) {
    err->code = C837_ENOMEM;
    snprintf(err->msg, sizeof err->msg,
             "out of memory: the record of an input was lost, so no report "
             "or ledger is written");
    return C837_ENOMEM;
  }
  /* the 837 outputs renamed without an fsync reach the disk before
   * the reports and the ledger say they were written */
  if (!j->o.sync_each && !j->o.report_only &&
      (st = c837_outfile_syncfs(j->out_dir, err)) != C837_OK)
    return st;
  st = c837_report_commit(j->report, err);
  j->report = NULL;
  if (st != C837_OK)
    return st;
  snprintf(path, sizeof path, "%s/summary.txt", j->out_dir);
  of = c837_outfile_open(path, 0, err);
  if (!of)
    return err->code;
  c837_summary_write(j, c837_outfile_fp(of));
  if ((st = c837_outfile_commit(of, err)) != C837_OK)
    return st;
  j->summary_written = 1;
  snprintf(path, sizeof path, "%s/report.html", j->out_dir);
  if ((st = c837_html_write(j, path, err)) != C837_OK)
    return st;
  if (j->o.state_path && !j->o.state_readonly)
    st = c837_ledger_save(j->engine, j->o.state_path, err);
  return st;
}
