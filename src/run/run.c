/* run.c -- a run's lifecycle and records (run.h)
 *
 * c837_run_new loads the code table (built-in, plus a --codes file and
 * --list-file lists), the payers (built-in, plus --payers and
 * --providers files), the engine, the ledger (locked for the run, then read), creates the output
 * directory and opens the reports; c837_run_input hands each input to
 * the walk (walk.c), which hands its files to c837_run_file (run_file.c);
 * c837_run_finish syncs the outputs, commits findings.csv and lines.csv,
 * reads the audit back (audit.h) into episodes.csv, writes summary.txt
 * and report.html and saves the ledger, in that order,
 * so that the ledger never says more than the outputs on disk.  Here too
 * live the records of the inputs (one per input, in run order), the
 * run's totals and its findings per date of service, which the summaries
 * read through the accessors.
 */
#include "run/run_int.h"
#include "run/ahead.h"
#include "run/audit.h"
#include "run/ledger.h"
#include "run/sink.h"
#include "run/summary.h"
#include "base/buf.h"
#include "base/err.h"
#include "base/limits.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <string.h>

void c837_run_options_default(c837_run_options *o)
{
  memset(o, 0, sizeof *o);
  o->out_dir = "cart837-out";
  o->gzip = -1;
  o->gzip_level = C837_GZIP_LEVEL_DEFAULT;
  c837_edit_options_default(&o->edit);
  o->lock_wait = 1;
}

/* ---- the walk's callbacks ---- */

static c837_status walk_file(void *ud, const char *path, const char *name)
{
  return c837_run_file(ud, path, name);
}

static void walk_skip(void *ud, const char *name, const char *reason)
{
  c837_run_skip(ud, name, reason);
}

static c837_status walk_fail(void *ud, const char *name,
                             const c837_error *err)
{
  return c837_run_fail_input(ud, name, err);
}

static int walk_cancelled(void *ud)
{
  return c837_run_is_cancelled(ud);
}

static int walk_known(void *ud, const char *path, const char *name)
{
  c837_run *r = ud;
  return r->ahead && !r->ghosting && c837_ahead_ready(r->ahead, path, name);
}

/* ---- lifecycle ---- */

/* The ledger's path resolved once into buf (every link on the way): the
 * file a link names is the one locked, read and replaced, the link
 * stays.  A ledger not there yet: its directory resolved, its name as
 * given.  Returns buf, or path itself when it cannot be resolved. */
static const char *ledger_path(const char *path, char *buf, size_t sz)
{
  char dir[PATH_MAX], real[PATH_MAX];
  const char *slash = strrchr(path, '/'), *base = slash ? slash + 1 : path;
  if (realpath(path, real) && strlen(real) < sz) {
    snprintf(buf, sz, "%s", real);
    return buf;
  }
  if (!slash)
    snprintf(dir, sizeof dir, ".");
  else
    snprintf(dir, sizeof dir, "%.*s", (int)(slash - path + (slash == path)),
             path);
  if (*base && realpath(dir, real) &&
      snprintf(buf, sz, "%s%s%s", real, strcmp(real, "/") ? "/" : "", base) <
          (int)sz)
    return buf;
  return path;
}

c837_status c837_run_load_list(c837_codetable *t, const char *spec,
                               c837_error *err)
{
  const char *eq = spec ? strchr(spec, '=') : NULL;
  char name[32];
  int l;
  c837_error_clear(err);
  if (!eq || eq == spec || !eq[1] || (size_t)(eq - spec) >= sizeof name)
    return c837_error_set(err, C837_EINVAL, 0, 0,
                          "a list is given as NAME=FILE (NAME one of "
                          "revenue, pcs, ndc, indication, ptp), not '%.200s'",
                          spec ? spec : "");
  memcpy(name, spec, (size_t)(eq - spec));
  name[eq - spec] = '\0';
  l = c837_list_from_name(name);
  if (l < 0)
    return c837_error_set(err, C837_EINVAL, 0, 0,
                          "no list is named '%s' (revenue, pcs, ndc, "
                          "indication, ptp)",
                          name);
  return c837_codetable_load_list(t, (c837_list)l, eq + 1, 0, err);
}

/* The payers of the run: the built-in ones, the option and provider
 * files over them, and the --repeat-days window as Medicare's default. */
static c837_status load_payers(c837_run *r, c837_error *err)
{
  c837_payer_settings d;
  r->payers = c837_payers_builtin(err);
  if (!r->payers)
    return err->code;
  if (r->o.payers_path &&
      c837_payers_load(r->payers, r->o.payers_path, err) != C837_OK)
    return err->code;
  if (r->o.providers_path &&
      c837_payers_load_providers(r->payers, r->o.providers_path, err) !=
          C837_OK)
    return err->code;
  c837_payers_defaults(r->payers, &d);
  d.repeat_window_days = r->o.edit.repeat_window_days;
  c837_payers_set_defaults(r->payers, &d);
  return C837_OK;
}

/* The code table, the payers and the engine of the run. */
static c837_status load_edits(c837_run *r, c837_error *err)
{
  c837_edit_options eo = r->o.edit;
  size_t i;
  if (r->o.table) {
    r->table = r->o.table;
  } else {
    r->table = r->own_table = c837_codetable_builtin(err);
    if (!r->own_table)
      return err->code;
    if (r->o.codes_path && c837_codetable_load(r->own_table,
                                               r->o.codes_path, 0,
                                               err) != C837_OK)
      return err->code;
    for (i = 0; i < r->o.n_list_files; i++)
      if (c837_run_load_list(r->own_table, r->o.list_files[i], err) !=
          C837_OK)
        return err->code;
  }
  if (!eo.payers) {
    if (load_payers(r, err) != C837_OK)
      return err->code;
    eo.payers = r->payers;
  }
  /* the run's date stamps the ledger rows this run writes */
  if (r->o.run_date)
    eo.run_date = r->o.run_date;
  r->engine = c837_engine_new(r->table, &eo);
  if (!r->engine)
    return c837_error_set(err, C837_ENOMEM, 0, 0, "out of memory");
  return C837_OK;
}

c837_run *c837_run_new(const c837_run_options *o, c837_error *err)
{
  c837_run *r = calloc(1, sizeof *r);
  c837_walk_cb cb = {walk_file, walk_skip, walk_fail, walk_cancelled,
                     walk_known, NULL};
  c837_error_clear(err);
  if (!r) {
    c837_error_set(err, C837_ENOMEM, 0, 0, "out of memory");
    return NULL;
  }
  r->o = *o;
  r->lock_fd = -1;
  r->ack_control = o->ack_control ? o->ack_control : 1;
  if (!r->o.out_dir || !*r->o.out_dir)
    r->o.out_dir = "cart837-out";
  if (strlen(r->o.out_dir) >= sizeof r->out_dir) {
    c837_error_set(err, C837_EINVAL, 0, 0, "output directory name too long");
    free(r);
    return NULL;
  }
  snprintf(r->out_dir, sizeof r->out_dir, "%s", r->o.out_dir);
  r->o.out_dir = r->out_dir;
  if (load_edits(r, err) != C837_OK)
    goto fail;
  if (o->state_path) {
    r->o.state_path =
        ledger_path(o->state_path, r->state_path, sizeof r->state_path);
    if (!o->state_readonly &&
        c837_ledger_lock(r->o.state_path, o->lock_wait, &r->lock_fd, err) !=
            C837_OK)
      goto fail;
    if (c837_ledger_load(r->engine, r->o.state_path, err) != C837_OK) {
      if (err->code == C837_ELIMIT)
        c837_error_set(err, C837_ELIMIT, 0, 0,
                       "ledger %.200s holds more lines than the run may "
                       "remember: line %llu is past the run's limit of "
                       "remembered lines (%llu; --max-lines sets it): "
                       "nothing was processed",
                       r->o.state_path, (unsigned long long)err->segment,
                       (unsigned long long)(o->edit.max_lines
                                                ? o->edit.max_lines
                                                : C837_MAX_REMEMBERED_LINES));
      goto fail;
    }
  }
  /* one mkdir: made now (out_made), there already, or its parents are
   * missing (c837_mkdirs makes them and it: made, too) */
  if (mkdir(r->out_dir, 0777) == 0)
    r->out_made = 1;
  else if (errno != EEXIST) {
    if (c837_mkdirs(r->out_dir, err) != C837_OK)
      goto fail;
    r->out_made = 1;
  }
  c837_summary_json_forget(r->out_dir);
  cb.ud = r;
  c837_walk_init(&r->walk, &cb, r->out_dir);
  c837_walk_set_ledger(&r->walk, r->out_dir, r->o.state_path);
  r->walk.follow_links = o->follow_symlinks;
  r->walk.ack_names = r->o.ack != 0;
  r->report = c837_report_open(r->out_dir, err);
  if (!r->report)
    goto fail;
  /* after the ledger: the audit numbers this run after the ledger's */
  r->audit = c837_audit_open(r->out_dir, r->engine, r->table, NULL, err);
  if (!r->audit)
    goto fail;
  c837_report_set_audit(r->report, r->audit);
  return r;
fail:
  c837_run_free(r);
  return NULL;
}

void c837_run_free(c837_run *r)
{
  size_t i;
  if (!r)
    return;
  c837_ahead_stop(r->ahead); /* before what its workers read */
  c837_report_abort(r->report);
  c837_audit_free(r->audit);
  c837_engine_free(r->engine);
  c837_codetable_free(r->own_table);
  c837_payers_free(r->payers);
  c837_ledger_unlock(r->lock_fd);
  c837_walk_free(&r->walk);
  for (i = 0; i < r->n_files; i++) {
    free(r->files[i].name);
    free(r->files[i].reason);
  }
  free(r->files);
  free(r->days);
  free(r->read_buf);
  free(r);
}

c837_status c837_run_plan(c837_run *r, const char *const *inputs,
                          size_t n_inputs, c837_error *err)
{
  c837_error_clear(err);
  if (!r || r->ahead || r->o.jobs < 2 || r->o.extract ||
      r->o.no_fast_path || r->o.ack || n_inputs == 0)
    return C837_OK;
  r->ahead = c837_ahead_start(r, inputs, n_inputs, r->o.jobs, err);
  return r->ahead ? C837_OK : err->code;
}

void c837_run_ahead_counts(const c837_run *r, uint64_t *taken,
                           uint64_t *again)
{
  *taken = r->ahead_taken;
  *again = r->ahead_again;
}

c837_status c837_run_input(c837_run *r, const char *path)
{
  return c837_walk_input(&r->walk, path);
}

/* summary.txt, atomically. */
static c837_status write_summary(c837_run *r, c837_error *err)
{
  char path[PATH_MAX];
  c837_out of;
  c837_status st;
  snprintf(path, sizeof path, "%s/summary.txt", r->out_dir);
  c837_out_init(&of, path, 0);
  if ((st = c837_out_open(&of, err)) != C837_OK)
    return st;
  c837_summary_write(r, c837_out_fp(&of));
  return c837_out_commit(&of, err);
}

/* episodes.csv, from the audit read back (which report.html shows). */
static c837_status write_episodes(c837_run *r, c837_error *err)
{
  c837_status st = c837_audit_finish(r->audit, r->engine, err);
  if (st != C837_OK)
    return st;
  return c837_out_publish(c837_audit_episodes_out(r->audit), err);
}

c837_status c837_run_finish(c837_run *r, c837_error *err)
{
  c837_status st;
  char path[PATH_MAX];
  c837_error_clear(err);
  /* no file is read any more: the workers end (the files read ahead and
   * not taken leave nothing), the buffer is not kept through the
   * reports' peak */
  c837_ahead_stop(r->ahead);
  r->ahead = NULL;
  free(r->read_buf);
  r->read_buf = NULL;
  if (r->cancelled)
    return c837_error_set(err, C837_EINTR, 0, 0,
                          "interrupted: no report or ledger written");
  if (r->lost)
    return c837_error_set(err, C837_ENOMEM, 0, 0,
                          "out of memory: the record of an input was lost, "
                          "so no report or ledger is written");
  /* the 837 outputs renamed without an fsync reach the disk before
   * the reports and the ledger say they were written */
  if (!r->o.sync_each && !r->o.report_only &&
      (st = c837_syncfs(r->out_dir, err)) != C837_OK)
    return st;
  st = c837_report_commit(r->report, err);
  r->report = NULL;
  if (st != C837_OK)
    return st;
  if ((st = write_episodes(r, err)) != C837_OK)
    return st;
  if ((st = write_summary(r, err)) != C837_OK)
    return st;
  r->summary_written = 1;
  snprintf(path, sizeof path, "%s/report.html", r->out_dir);
  if ((st = c837_html_write(r, path, err)) != C837_OK)
    return st;
  if (r->o.state_path && !r->o.state_readonly &&
      (st = c837_ledger_save(r->engine, r->o.state_path, err)) != C837_OK) {
    /* the outputs are in place and the ledger is as it was: summary.txt
     * is written again to say so (a failure of that is the ledger's
     * error's to report) */
    c837_error e2;
    snprintf(r->ledger_failed, sizeof r->ledger_failed, "%s", err->msg);
    (void)write_summary(r, &e2);
  }
  return st;
}

/* ---- records and events ---- */

void c837_run_emit(const c837_run *r, const c837_run_event *ev)
{
  if (r->o.on_event && !r->ghosting)
    r->o.on_event(r->o.ud, ev);
}

c837_status c837_run_ghost(c837_run *r, const char *path, const char *name)
{
  c837_status st;
  if (!r || !path || !name)
    return C837_EINVAL;
  r->ghosting = 1;
  st = c837_run_file(r, path, name);
  r->ghosting = 0;
  return st;
}

c837_status c837_run_save_ledger(const c837_run *r, const char *path,
                                 c837_error *err)
{
  return c837_ledger_save(r->engine, path, err);
}

c837_file_rec *c837_run_add_record(c837_run *r, const char *name)
{
  c837_file_rec *f;
  if (c837_vec_reserve(&r->files, &r->cap_files, r->n_files + 1,
                       sizeof *r->files, 16, 0) != 0)
    return NULL;
  f = &r->files[r->n_files];
  memset(f, 0, sizeof *f);
  f->name = strdup(name);
  if (!f->name)
    return NULL;
  r->n_files++;
  return f;
}

void c837_run_drop_record(c837_run *r)
{
  c837_file_rec *f;
  if (!r->n_files)
    return;
  f = &r->files[--r->n_files];
  free(f->name);
  free(f->reason);
  memset(f, 0, sizeof *f);
  r->total.files--;
}

void c837_run_set_reason(c837_run *r, c837_file_rec *f, const char *why)
{
  free(f->reason);
  f->reason = strdup(why);
  if (!f->reason)
    r->lost = 1;
}

void c837_run_skip(c837_run *r, const char *name, const char *reason)
{
  c837_file_rec *f = c837_run_add_record(r, name);
  c837_run_event ev = {.kind = C837_RUN_SKIPPED, .file = name,
                       .reason = reason};
  if (f) {
    f->skipped = 1;
    c837_run_set_reason(r, f, reason);
  } else {
    r->lost = 1;
  }
  r->total.files_skipped++;
  c837_run_emit(r, &ev);
}

c837_status c837_run_lose_input(c837_run *r, const char *name)
{
  c837_error err;
  c837_run_event ev = {.kind = C837_RUN_FILE_FAILED, .file = name,
                       .err = &err};
  r->lost = 1;
  r->total.files++;
  r->total.files_failed++;
  c837_error_set(&err, C837_ENOMEM, 0, 0, "out of memory");
  c837_run_emit(r, &ev);
  return C837_ENOMEM;
}

void c837_totals_add(c837_totals *a, const c837_totals *b)
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

int c837_run_reserve_days(c837_run *r, size_t n)
{
  return c837_vec_reserve(&r->days, &r->cap_days, r->n_days + n,
                          sizeof *r->days, 64, 0) != 0
             ? -1
             : 0;
}

int c837_day_add(c837_day_count **days, size_t *n, size_t *cap,
                 int32_t date, uint64_t count)
{
  size_t lo = 0, hi = *n;
  c837_day_count *d = *days;
  if (date <= 0)
    return 0;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    if (d[mid].date < date)
      lo = mid + 1;
    else
      hi = mid;
  }
  if (lo < *n && d[lo].date == date) {
    d[lo].count += count;
    return 0;
  }
  if (c837_vec_reserve(days, cap, *n + 1, sizeof **days, 64, 0) != 0)
    return -1;
  d = *days;
  memmove(&d[lo + 1], &d[lo], (*n - lo) * sizeof *d);
  d[lo].date = date;
  d[lo].count = count;
  (*n)++;
  return 0;
}

void c837_run_count_days(c837_run *r, int32_t date, uint64_t count)
{
  (void)c837_day_add(&r->days, &r->n_days, &r->cap_days, date, count);
}

char *c837_run_read_buf(c837_run *r)
{
  if (!r->read_buf)
    r->read_buf = malloc(C837_READ_CHUNK);
  return r->read_buf;
}

/* ---- accessors ---- */

const c837_totals *c837_run_totals(const c837_run *r)
{
  return &r->total;
}

size_t c837_run_record_count(const c837_run *r)
{
  return r->n_files;
}

const c837_file_rec *c837_run_record(const c837_run *r, size_t i)
{
  return i < r->n_files ? &r->files[i] : NULL;
}

const c837_day_count *c837_run_days(const c837_run *r, size_t *n)
{
  *n = r->n_days;
  return r->days;
}

const char *c837_run_out_dir(const c837_run *r)
{
  return r->out_dir;
}

int c837_run_summary_written(const c837_run *r)
{
  return r->summary_written;
}

const char *c837_run_ledger_failed(const c837_run *r)
{
  return r->ledger_failed[0] ? r->ledger_failed : NULL;
}

struct c837_audit *c837_run_audit(const c837_run *r)
{
  return r->audit;
}
