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
#include "job_int.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

/* How often (in input bytes) the progress callback is called. */
#define C837_PROGRESS_STEP (4u * 1024u * 1024u)

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
  if (j->n_files == j->cap_files) {
    size_t nc = j->cap_files ? j->cap_files * 2 : 16;
    c837_file_rec *nf = realloc(j->files, nc * sizeof *nf);
    if (!nf)
      return NULL;
    j->files = nf;
    j->cap_files = nc;
  }
  f = &j->files[j->n_files];
  memset(f, 0, sizeof *f);
  f->name = strdup(name);
  if (!f->name)
    return NULL;
  j->n_files++;
  return f;
}

static void set_reason(c837_file_rec *f, const char *why)
{
  free(f->reason);
  f->reason = strdup(why);
}

void c837_job_skip(c837_job *j, const char *name, const char *reason)
{
  c837_file_rec *f = add_file(j, name);
  if (f) {
    f->skipped = 1;
    set_reason(f, reason);
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
  if (j->n_days == j->cap_days) {
    size_t nc = j->cap_days ? j->cap_days * 2 : 64;
    c837_day_count *nd = realloc(j->days, nc * sizeof *nd);
    if (!nd)
      return;
    j->days = nd;
    j->cap_days = nc;
  }
  memmove(&j->days[lo + 1], &j->days[lo],
          (j->n_days - lo) * sizeof *j->days);
  j->days[lo].date = date;
  j->days[lo].count = 1;
  j->n_days++;
}

/* ---- output sinks opened on first write ----------------------------- */

typedef struct lazy_out {
  c837_job *job;
  char path[PATH_MAX];
  int gzip;            /* -1: as the input */
  c837_input *in;      /* to ask whether the input was gzip */
  c837_outfile *of;
  /* stdout (filter mode) */
  int to_stdout;
  gzFile gz;
  int failed;
  c837_error err;
} lazy_out;

static int lazy_write(void *ud, const void *p, size_t n)
{
  lazy_out *l = ud;
  if (l->failed)
    return -1;
  if (l->to_stdout) {
    if (!l->gz && (l->gzip == 1 || (l->gzip == -1 && c837_input_is_gzip(l->in)))) {
      int fd = dup(STDOUT_FILENO);
      l->gz = fd >= 0 ? gzdopen(fd, "wb6") : NULL;
      if (!l->gz) {
        l->failed = 1;
        return -1;
      }
    }
    if (l->gz) {
      if (n && gzwrite(l->gz, p, (unsigned)n) != (int)n)
        l->failed = 1;
    } else if (n && fwrite(p, 1, n, stdout) != n) {
      l->failed = 1;
    }
    return l->failed ? -1 : 0;
  }
  if (!l->of) {
    int gz = l->gzip == -1 ? c837_input_is_gzip(l->in) : l->gzip;
    l->of = c837_outfile_open(l->path, gz, &l->err);
    if (!l->of) {
      l->failed = 1;
      return -1;
    }
  }
  if (c837_outfile_write(l->of, p, n) != 0) {
    l->failed = 1;
    return -1;
  }
  return 0;
}

static c837_status lazy_commit(lazy_out *l, int force, c837_error *err)
{
  if (l->failed) {
    c837_outfile_abort(l->of);
    l->of = NULL;
    *err = l->err;
    if (err->code == C837_OK) {
      err->code = C837_EIO;
      snprintf(err->msg, sizeof err->msg, "cannot write %.200s",
               l->to_stdout ? "standard output" : l->path);
    }
    return C837_EIO;
  }
  if (l->to_stdout) {
    int bad = 0;
    if (l->gz)
      bad = gzclose_w(l->gz) != Z_OK;
    else
      bad = fflush(stdout) != 0;
    l->gz = NULL;
    if (bad) {
      err->code = C837_EIO;
      snprintf(err->msg, sizeof err->msg, "cannot write standard output: %s",
               strerror(errno));
      return C837_EIO;
    }
    return C837_OK;
  }
  if (!l->of && force && lazy_write(l, "", 0) != 0)
    return lazy_commit(l, 0, err);
  if (!l->of)
    return C837_OK;
  {
    c837_outfile *of = l->of;
    l->of = NULL;
    return c837_outfile_commit(of, err);
  }
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

/* ---- one file ------------------------------------------------------- */

typedef struct file_ctx {
  c837_job *job;
  c837_file_rec *rec;
  const char *name;
  c837_writer *w;
  uint64_t next_progress;
  int report_failed;
} file_ctx;

static int cancelled(const c837_job *j)
{
  return j->o.cancel && *j->o.cancel;
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
  return c837_writer_segment(f->w, s, role, env);
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

static int on_claim(void *ud, const c837_claim *c)
{
  file_ctx *f = ud;
  c837_job *j = f->job;
  c837_verdict v;
  size_t i;
  long n;
  if (cancelled(j))
    return -1;
  if (c837_engine_claim(j->engine, c, &v) != C837_OK)
    return -1;
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
  for (i = 0; i < v.n_findings; i++) {
    const c837_finding *fd = &v.findings[i];
    f->rec->t.findings[fd->edit]++;
    f->rec->t.by_severity[fd->severity]++;
    if (fd->line != C837_NO_INDEX && fd->line < c->n_lines)
      count_day(j, c->lines[fd->line].date_from);
    else if (c->n_lines)
      count_day(j, c->lines[0].date_from);
  }
  return c837_writer_claim(f->w, c, &v);
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

c837_status c837_job_file(c837_job *j, const char *path, const char *name)
{
  file_ctx f;
  lazy_out out, held;
  c837_input *in;
  c837_error err, werr;
  c837_counts counts;
  c837_writer_stats ws;
  c837_status st, wst, cst = C837_OK;
  c837_sink out_sink = {lazy_write, &out}, held_sink = {lazy_write, &held};
  int to_stdout = strcmp(path, "-") == 0 && j->o.stdout_filter;

  memset(&f, 0, sizeof f);
  memset(&out, 0, sizeof out);
  memset(&held, 0, sizeof held);
  f.job = j;
  f.name = name;
  f.rec = add_file(j, name);
  if (!f.rec)
    return C837_ENOMEM;
  j->total.files++;
  if (cancelled(j)) {
    f.rec->status = C837_EINTR;
    return C837_EINTR;
  }

  in = c837_input_open(path, &err);
  if (!in) {
    f.rec->status = err.code;
    set_reason(f.rec, err.msg);
    j->total.files_failed++;
    if (!j->o.quiet)
      fprintf(log_fp(j), "cart837: %s\n", err.msg);
    return err.code;
  }
  out.job = held.job = j;
  out.in = held.in = in;
  out.gzip = held.gzip = j->o.gzip;
  out.to_stdout = to_stdout;
  if (out_path(out.path, sizeof out.path, j->out_dir, "", name) != 0 ||
      out_path(held.path, sizeof held.path, j->out_dir, "held", name) != 0) {
    c837_input_close(in);
    f.rec->status = C837_EINVAL;
    set_reason(f.rec, "output name climbs out of the output directory");
    j->total.files_failed++;
    return C837_EINVAL;
  }
  f.w = c837_writer_new(j->o.report_only && !to_stdout ? NULL : &out_sink,
                        j->o.report_only ? NULL : &held_sink);
  if (!f.w) {
    c837_input_close(in);
    return C837_ENOMEM;
  }
  {
    c837_handler h = {on_segment, on_claim, on_problem, &f};
    st = c837_stream_run(in, &h, c837_writer_raw, f.w, &counts, &err);
  }
  f.rec->t.bytes = counts.bytes;
  j->bytes_before += counts.bytes;
  c837_input_close(in);
  if (cancelled(j))
    st = C837_EINTR;

  wst = c837_writer_finish(f.w, &ws, &werr);
  c837_writer_free(f.w);

  if (st == C837_EINTR || st == C837_ECALLBACK || st == C837_EIO ||
      st == C837_EGZIP || st == C837_ENOMEM || wst != C837_OK ||
      f.report_failed) {
    /* nothing of this file under a final name */
    lazy_abort(&out);
    lazy_abort(&held);
    if (st == C837_EINTR) {
      j->cancelled = 1;
      f.rec->status = C837_EINTR;
      set_reason(f.rec, "interrupted");
      add_totals(&j->total, &f.rec->t);
      return C837_EINTR;
    }
    if (wst != C837_OK && st == C837_OK) {
      st = wst;
      err = werr;
    }
    if (st == C837_ECALLBACK && err.code == C837_ECALLBACK)
      snprintf(err.msg, sizeof err.msg, "processing stopped");
    f.rec->status = st;
    set_reason(f.rec, err.msg);
    j->total.files_failed++;
    if (!j->o.quiet)
      fprintf(log_fp(j), "cart837: %s: %s; no output written for it\n", name,
              err.msg);
    add_totals(&j->total, &f.rec->t);
    return st;
  }
  if (st != C837_OK) {
    /* invalid input: what was read is processed, the rest copied */
    f.rec->status = st;
    set_reason(f.rec, err.msg);
    f.rec->t.findings[C837_EDIT_ENVELOPE_INVALID]++;
    f.rec->t.by_severity[C837_SEV_ERROR]++;
    j->total.files_failed++;
    c837_report_file_error(j->report, name, &err);
    if (!j->o.quiet)
      fprintf(log_fp(j), "cart837: %s: byte %llu, segment %llu: %s\n", name,
              (unsigned long long)err.offset,
              (unsigned long long)err.segment, err.msg);
  }
  if (!j->o.report_only || to_stdout)
    cst = lazy_commit(&out, 1, &werr);
  if (cst == C837_OK && !j->o.report_only)
    cst = lazy_commit(&held, 0, &werr);
  else
    lazy_abort(&held);
  if (cst != C837_OK) {
    f.rec->status = cst;
    set_reason(f.rec, werr.msg);
    j->total.files_failed++;
    if (!j->o.quiet)
      fprintf(log_fp(j), "cart837: %s\n", werr.msg);
    st = cst;
  }
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
  snprintf(path, sizeof path, "%s/report.html", j->out_dir);
  if ((st = c837_html_write(j, path, err)) != C837_OK)
    return st;
  if (j->o.state_path && !j->o.state_readonly)
    st = c837_ledger_save(j->engine, j->o.state_path, err);
  return st;
}
