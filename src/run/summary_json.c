/* summary_json.c -- summary.json: the figures of summary.txt for
 * programs (run.h, c837_run_write_json)
 *
 * The same numbers as summary.txt (summary.c), read through the same
 * accessors, in the shape README.md documents ("summary.json"): a
 * document {format, version, cart837, files, total, exit}; every file
 * object has every key (null where summary.txt says "not counted"), and
 * findings_by_edit names every edit id of C837_EDIT_MAP, zero or not,
 * so that a reader never meets a missing key.  The key set is that of
 * "version": 1; a change of it is a new version.  The exit status is
 * the command's (src/cli/exit.c): the library writes what it is given.
 *
 * Written with base/json.h (RFC 8259 escaping; bytes that are not UTF-8
 * become U+FFFD) into a buffer drained to the output after each file, so
 * that memory does not grow with the number of files; through sink.c,
 * so that it appears whole or not at all.  Deterministic: no clock, no
 * host, no path but the input names.
 */
#include "run/run_int.h"
#include "run/sink.h"
#include "run/summary.h"
#include "base/err.h"
#include "base/json.h"

#include <string.h>
#include <unistd.h>

#define JSON_FORMAT "cart837-summary"
#define JSON_VERSION 1

/* A figure, or null when it is not counted. */
static void count_or_null(c837_json *j, const char *key, uint64_t v,
                          int uncounted)
{
  c837_json_key(j, key);
  if (uncounted)
    c837_json_null(j);
  else
    c837_json_uint(j, v);
}

static void key_uint(c837_json *j, const char *key, uint64_t v)
{
  c837_json_key(j, key);
  c837_json_uint(j, v);
}

/* The figures of t (as summary.c's totals()): claims, lines, findings
 * per severity and per edit id.  uncounted: a file whose claims are not
 * counted. */
static void figures(c837_json *j, const c837_totals *t, int uncounted)
{
  int k;
  c837_json_key(j, "claims");
  c837_json_object(j);
  count_or_null(j, "read", t->claims, uncounted);
  key_uint(j, "passed", t->claims_passed);
  key_uint(j, "fixed", t->claims_fixed);
  count_or_null(j, "held", t->claims_held, uncounted);
  c837_json_object_end(j);
  count_or_null(j, "service_lines", t->lines, uncounted);
  count_or_null(j, "cart_lines", t->cart_lines, uncounted);
  c837_json_key(j, "findings");
  c837_json_object(j);
  key_uint(j, "error", t->by_severity[C837_SEV_ERROR]);
  key_uint(j, "warning", t->by_severity[C837_SEV_WARNING]);
  key_uint(j, "info", t->by_severity[C837_SEV_INFO]);
  c837_json_object_end(j);
  c837_json_key(j, "findings_by_edit");
  c837_json_object(j);
  for (k = 0; k < C837_EDIT_COUNT; k++)
    key_uint(j, c837_edit_name((c837_edit)k), t->findings[k]);
  c837_json_object_end(j);
}

/* One element of "files". */
static void file_obj(c837_json *j, const c837_file_rec *f)
{
  int unc = f->uncounted != 0;
  c837_json_object(j);
  c837_json_key(j, "name");
  c837_json_string(j, f->name);
  c837_json_key(j, "skipped");
  c837_json_bool(j, f->skipped);
  c837_json_key(j, "status"); /* null: skipped, never read */
  c837_json_string(j, f->skipped ? NULL : c837_status_name(f->status));
  c837_json_key(j, "reason");
  c837_json_string(j, f->reason); /* NULL: null */
  c837_json_key(j, "counted");
  c837_json_bool(j, !unc);
  c837_json_key(j, "held_whole");
  c837_json_bool(j, unc && f->held_whole);
  count_or_null(j, "claims_before_error", f->claims_before_error, !unc);
  key_uint(j, "unparsed_bytes", f->unparsed_bytes);
  c837_json_key(j, "unparsed_cut");
  c837_json_bool(j, f->unparsed_cut);
  figures(j, &f->t, unc);
  c837_json_object_end(j);
}

/* "total": the run's figures and what they leave out. */
static void total_obj(c837_json *j, const c837_run *r)
{
  const c837_totals *t = c837_run_totals(r);
  size_t i, n = c837_run_record_count(r);
  uint64_t whole = 0, rests = 0;
  for (i = 0; i < n; i++) {
    const c837_file_rec *f = c837_run_record(r, i);
    if (f->skipped)
      continue;
    whole += f->uncounted != 0;
    rests += f->unparsed_bytes != 0;
  }
  c837_json_object(j);
  key_uint(j, "files", t->files);
  key_uint(j, "files_failed", t->files_failed);
  key_uint(j, "files_skipped", t->files_skipped);
  key_uint(j, "files_not_counted", whole);
  key_uint(j, "unparsed_rests", rests);
  figures(j, t, 0);
  c837_json_object_end(j);
}

static void exit_obj(c837_json *j, const c837_run_exit *x)
{
  if (!x) {
    c837_json_null(j);
    return;
  }
  c837_json_object(j);
  key_uint(j, "status", (uint64_t)(x->status < 0 ? 0 : x->status));
  c837_json_key(j, "name");
  c837_json_string(j, x->name);
  c837_json_key(j, "why");
  c837_json_string(j, x->why);
  c837_json_object_end(j);
}

/* Moves what the buffer holds to the output.  0 or -1. */
static int drain(c837_buf *b, c837_out *o)
{
  int rc = b->len ? c837_out_write(o, b->p, b->len) : 0;
  c837_buf_clear(b);
  return rc;
}

/* The document, file by file, into o.  0, -1 when the output failed, -2
 * when the JSON writer did (out of memory). */
static int write_doc(const c837_run *r, const c837_run_exit *x,
                     c837_out *o)
{
  c837_buf b = {0};
  c837_json j;
  size_t i, n = c837_run_record_count(r);
  int rc = 0;
  c837_json_init(&j, &b, 2);
  c837_json_object(&j);
  c837_json_key(&j, "format");
  c837_json_string(&j, JSON_FORMAT);
  key_uint(&j, "version", JSON_VERSION);
  c837_json_key(&j, "cart837");
  c837_json_string(&j, CART837_VERSION);
  c837_json_key(&j, "files");
  c837_json_array(&j);
  for (i = 0; i < n && rc == 0 && j.err == 0; i++) {
    file_obj(&j, c837_run_record(r, i));
    rc = drain(&b, o);
  }
  c837_json_array_end(&j);
  c837_json_key(&j, "total");
  total_obj(&j, r);
  c837_json_key(&j, "exit");
  exit_obj(&j, x);
  c837_json_object_end(&j);
  if (rc == 0 && c837_json_finish(&j) != 0)
    rc = -2;
  if (rc == 0)
    rc = drain(&b, o);
  c837_buf_free(&b);
  return rc;
}

/* OUT/summary.json into buf. */
static int json_path(char *buf, size_t sz, const char *out_dir)
{
  return snprintf(buf, sz, "%s/summary.json", out_dir) < (int)sz ? 0 : -1;
}

void c837_summary_json_forget(const char *out_dir)
{
  char path[PATH_MAX];
  if (json_path(path, sizeof path, out_dir) == 0)
    (void)unlink(path);
}

c837_status c837_run_write_json(const c837_run *r, const c837_run_exit *x,
                                c837_error *err)
{
  char path[PATH_MAX];
  c837_out of;
  c837_status st;
  int rc;
  if (!c837_run_summary_written(r))
    return c837_error_set(err, C837_EINVAL, 0, 0,
                          "summary.json follows summary.txt, which was not "
                          "written");
  if (json_path(path, sizeof path, c837_run_out_dir(r)) != 0)
    return c837_error_set(err, C837_EIO, 0, 0, "path too long");
  c837_out_init(&of, path, 0);
  if ((st = c837_out_open(&of, err)) != C837_OK)
    return st;
  rc = write_doc(r, x, &of);
  if (rc == -2) {
    c837_out_abort(&of);
    return c837_error_set(err, C837_ENOMEM, 0, 0,
                          "out of memory writing summary.json");
  }
  if (rc != 0) {
    *err = of.err;
    c837_out_abort(&of);
    return err->code != C837_OK ? err->code : C837_EIO;
  }
  return c837_out_commit(&of, err);
}
