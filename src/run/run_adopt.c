/* run_adopt.c -- the run's thread takes a file a worker read ahead
 * (run_file.h: c837_file_adopt; the workers are in ahead.c)
 *
 * In the file's turn: its voids and replacements go through the engine,
 * in order, and must get the verdict the worker assumed; then its
 * record, its claims' audit records (what on_claim's report call would
 * have made of each), its figures and the settle step, as
 * c837_run_file would have done.  What the worker kept of the claims
 * (ahead_fact in run_file.c): a byte, the payer class with C837_FACT_SAME
 * when the billing provider is the previous claim's, else the
 * provider's id and name.
 */
#include "run/run_file.h"
#include "run/report.h"
#include "edit/engine_hist.h"

#include <stdlib.h>
#include <string.h>

/* 1 when v is the verdict a worker gave a claim: passed, no finding, no
 * fix. */
static int verdict_empty(const c837_verdict *v)
{
  return v->disposition == C837_DISP_PASSED && v->n_findings == 0 &&
         v->findings_dropped == 0 && v->n_fixes == 0;
}

/* The voids and replacements of f through the engine, in order, under a
 * checkpoint: 0 when each got the empty verdict; else -1 with the
 * engine's memory taken back. */
static int adopt_deferred(c837_run *r, file_ctx *f)
{
  size_t i;
  c837_verdict v;
  if (c837_engine_checkpoint(r->engine) != C837_OK)
    return -1;
  for (i = 0; i < f->n_deferred; i++)
    if (c837_engine_claim(r->engine, f->deferred[i], &v) != C837_OK ||
        !verdict_empty(&v) || r->o.ahead_distrust) {
      c837_engine_rollback(r->engine);
      return -1;
    }
  return 0;
}

int c837_file_adopt(c837_run *r, file_ctx *f, const char *path,
                    const char *name, c837_status *st)
{
  c837_totals t = f->rec->t;
  const char *p = f->facts.p, *end = p + f->facts.len, *id = NULL,
             *nm = NULL;
  c837_error err;
  if (adopt_deferred(r, f) != 0) {
    c837_file_drop_ahead(f);
    r->ahead_again++;
    return 0;
  }
  f->run = r;
  f->path = path;
  f->name = name;
  f->ahead = 0;
  f->read_buf = NULL;
  f->rec = c837_run_add_record(r, name);
  if (!f->rec) {
    c837_engine_rollback(r->engine);
    c837_file_drop_ahead(f);
    *st = c837_run_lose_input(r, name);
    return 1;
  }
  r->total.files++;
  f->rec->t = t;
  if (r->o.on_event)
    c837_file_progress(f, 0);
  /* as file_prepare: the mark (the engine's checkpoint is taken) */
  if (c837_report_mark(r->report) != 0) {
    c837_report_error(r->report, &err);
    c837_file_note(f, R_INPUT, &err);
    f->row = 0;
  } else {
    f->marked = 1;
  }
  /* the claims' audit records, in order, as on_claim makes them */
  while (f->rank == R_NONE && p < end) {
    unsigned char k = (unsigned char)*p++;
    c837_payer_class cls = (c837_payer_class)(k & ~C837_FACT_SAME);
    if (!(k & C837_FACT_SAME)) { /* a provider, else the previous one's */
      id = p;
      nm = id + strlen(id) + 1;
      p = nm + strlen(nm) + 1;
    }
    if (!id || c837_report_passed(r->report, name, id, nm, cls) != 0) {
      f->report_failed = 1;
      c837_report_error(r->report, &err);
      c837_file_note(f, err.code == C837_ENOMEM ? R_NOMEM : R_REPORT, &err);
      break;
    }
    r->claims_seen++;
  }
  r->bytes_before += f->counts.bytes;
  if (c837_file_gate_open(f) != 0) /* the corrected bytes held back */
    c837_file_note(f, R_OUTPUT, &f->out.err);
  f->gating = 0;
  *st = c837_file_settle(f);
  c837_file_ahead_free(f);
  r->ahead_taken++;
  return 1;
}

