/* run_ack.c -- the acknowledgments of one input of a run (run_ack.h):
 * the builders of src/write/ack.h behind the run's outputs
 *
 * Both builders write through c837_out_write into their output, which
 * opens (under a temporary name) on the first byte: a builder with
 * nothing to say leaves no file.  Every failure -- of an output, of a
 * builder (out of memory) -- is kept once in a->st / a->err and stops
 * the file (run_file.c notes it as a failed output).
 */
#include "run/run_ack.h"
#include "run/run_int.h"
#include "base/err.h"

#include <limits.h>
#include <string.h>

/* Keeps the first failure: the output's own message when an output
 * failed (it names the file and why), else the builder's. */
static int fail(c837_run_ack *a, c837_status st, const c837_error *e)
{
  if (a->st != C837_OK)
    return -1;
  if (a->o999.failed)
    a->err = a->o999.err;
  else if (a->o277.failed)
    a->err = a->o277.err;
  else if (e && e->code != C837_OK)
    a->err = *e;
  else
    c837_error_set(&a->err, st, 0, 0, "acknowledgment: %s",
                   c837_strerror(st));
  a->st = a->err.code != C837_OK ? a->err.code : st;
  return -1;
}

/* OUT/ack/NAME.EXT into o (plain, never gzip: a partner's software reads
 * it).  0, or -1 when the path does not fit. */
static int ack_path(c837_out *o, const c837_run *r, const char *name,
                    const char *ext)
{
  char path[PATH_MAX];
  while (name[0] == '/')
    name++;
  if (snprintf(path, sizeof path, "%s/ack/%s.%s", r->out_dir, name, ext) >=
      (int)sizeof path) {
    c837_out_init(o, "", 0);
    return -1;
  }
  c837_out_init(o, path, 0);
  o->nosync = !r->o.sync_each;
  return 0;
}

c837_status c837_run_ack_start(c837_run_ack *a, c837_run *r,
                               const char *name, c837_error *err)
{
  c837_sink s999 = {c837_out_write, &a->o999};
  c837_sink s277 = {c837_out_write, &a->o277};
  c837_ack_options o;
  memset(a, 0, sizeof *a);
  if (!r->o.ack)
    return C837_OK;
  a->on = 1;
  a->control = &r->ack_control;
  a->control0 = r->ack_control;
  if (ack_path(&a->o999, r, name, "999") != 0 ||
      ack_path(&a->o277, r, name, "277") != 0) {
    c837_error_set(&a->err, C837_EIO, 0, 0,
                   "acknowledgment name too long: ack/%.200s.999", name);
    a->st = C837_EIO;
    *err = a->err;
    return a->st;
  }
  memset(&o, 0, sizeof o);
  o.control = &r->ack_control;
  o.date = r->o.ack_date;
  o.time = r->o.ack_date ? r->o.ack_time : 0;
  /* the 277CA first: it takes its control number now, the 999's
   * interchanges theirs as they end (specs/acks.md, Determinism) */
  if (r->o.ack & C837_RUN_ACK_277)
    a->a7 = c837_ack277_new(&o, &s277);
  if (r->o.ack & C837_RUN_ACK_999)
    a->a9 = c837_ack999_new(&o, &s999);
  if (((r->o.ack & C837_RUN_ACK_277) && !a->a7) ||
      ((r->o.ack & C837_RUN_ACK_999) && !a->a9) ||
      !(a->feed = c837_ack_feed_new(a->a9, a->a7))) {
    fail(a, C837_ENOMEM, NULL);
    *err = a->err;
    return a->st;
  }
  return C837_OK;
}

int c837_run_ack_segment(c837_run_ack *a, const c837_segment *seg,
                         c837_role role)
{
  c837_status st;
  if (!a->on || a->st)
    return a->st ? -1 : 0;
  st = c837_ack_feed_segment(a->feed, seg, role);
  return st == C837_OK ? 0 : fail(a, st, NULL);
}

int c837_run_ack_problem(c837_run_ack *a, const c837_problem *p)
{
  c837_status st;
  if (!a->on || a->st)
    return a->st ? -1 : 0;
  st = c837_ack_feed_problem(a->feed, p);
  return st == C837_OK ? 0 : fail(a, st, NULL);
}

int c837_run_ack_claim(c837_run_ack *a, const c837_claim *c,
                       const c837_verdict *v, c837_disposition d)
{
  c837_status st;
  if (!a->on || a->st)
    return a->st ? -1 : 0;
  st = c837_ack_feed_claim(a->feed, c, v, d);
  return st == C837_OK ? 0 : fail(a, st, NULL);
}

/* Takes back what o holds and starts it again, never opened, under the
 * same name. */
static void restart(c837_out *o)
{
  char path[PATH_MAX];
  int nosync = o->nosync;
  memcpy(path, o->path, sizeof path);
  c837_out_abort(o);
  c837_out_init(o, path, 0);
  o->nosync = nosync;
}

/* A file held whole: what the 999 builder wrote is void, its output
 * starts again with one TA1 R per input interchange; no 277CA. */
static c837_status reject_whole(c837_run_ack *a, c837_status why)
{
  c837_sink s999 = {c837_out_write, &a->o999};
  c837_ack277_free(a->a7);
  a->a7 = NULL;
  restart(&a->o277);
  if (!a->a9)
    return C837_OK;
  restart(&a->o999);
  return c837_ack999_reject_file(a->a9, why, &s999);
}

c837_status c837_run_ack_end(c837_run_ack *a, c837_run_ack_how how,
                             c837_status why, c837_error *err)
{
  c837_error e;
  c837_status st;
  if (!a->on)
    return C837_OK;
  if (a->st == C837_OK) {
    if (how == C837_RUN_ACK_HELD_WHOLE)
      st = reject_whole(a, why);
    else if (how == C837_RUN_ACK_CUT)
      st = c837_ack_feed_cut(a->feed, why);
    else
      st = c837_ack_feed_end(a->feed);
    if (st != C837_OK)
      fail(a, st, NULL);
  }
  c837_error_clear(&e);
  if (a->st == C837_OK && a->a9 &&
      (st = c837_ack999_finish(a->a9, NULL, &e)) != C837_OK)
    fail(a, st, &e);
  if (a->st == C837_OK && a->a7 &&
      (st = c837_ack277_finish(a->a7, NULL, &e)) != C837_OK)
    fail(a, st, &e);
  if (a->st != C837_OK)
    *err = a->err;
  return a->st;
}

c837_status c837_run_ack_publish(c837_run_ack *a, c837_out *const *v,
                                 const int *force, size_t n,
                                 c837_error *err)
{
  c837_out *all[5];
  int fall[5] = {0};
  size_t k;
  if (n > 3)
    return c837_error_set(err, C837_EINVAL, 0, 0, "too many outputs");
  for (k = 0; k < n; k++) {
    all[k] = v[k];
    fall[k] = force[k];
  }
  if (a->on) {
    all[n++] = &a->o999;
    all[n++] = &a->o277;
  }
  c837_status st = n ? c837_out_commit_all(all, fall, n, err) : C837_OK;
  if (st != C837_OK)
    return st;
  a->control = NULL; /* published: the numbers are the file's */
  return C837_OK;
}

void c837_run_ack_abort(c837_run_ack *a)
{
  c837_out_abort(&a->o999);
  c837_out_abort(&a->o277);
  if (a->control) {
    *a->control = a->control0;
    a->control = NULL;
  }
}

void c837_run_ack_free(c837_run_ack *a)
{
  c837_ack_feed_free(a->feed);
  c837_ack999_free(a->a9);
  c837_ack277_free(a->a7);
  a->feed = NULL;
  a->a9 = NULL;
  a->a7 = NULL;
}
