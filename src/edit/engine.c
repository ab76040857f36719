/* engine.c -- the edit engine: public API; orchestrates one claim
 *
 * c837_engine_claim evaluates one claim at a time, in input order.  It
 * builds the working state of every service line (c837_eline), reports
 * an interchange an earlier run read (INTERCHANGE_REPEATED), checks the
 * limits on remembered lines (a claim past one is held unchecked:
 * PATIENT_LINES_LIMIT, RUN_LINES_LIMIT), gathers the patient's
 * remembered CAR-T and watch-code lines near the claim's dates
 * (c837_hist) into events (hist_gather.c), runs the line edits
 * (edit_line.c) and the sequencing edits (edit_seq.c), then has
 * verdict.c decide the claim's disposition: held when a holding finding
 * remains (and options.hold is on), fixed when a fix is applied, else
 * passed.  Claims that are not
 * held have their CAR-T lines remembered, per patient, so that later
 * claims -- in this run, or in a later run through the ledger -- are
 * counted against them.  Voids (CLM05-3 = 8) and replacements (7) remove
 * the lines of the claim they cancel (same CLM01 and billing provider).
 * The remembered history, its indexes and checkpoints are
 * engine_hist.c's; the specification of every edit is specs/edits.md.
 */
#include "edit/engine_int.h"
#include "base/limits.h"
#include "base/buf.h"
#include "base/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

void c837_edit_options_default(c837_edit_options *o)
{
  if (!o)
    return;
  memset(o, 0, sizeof *o);
  o->infusion_min_days = 14;
  o->repeat_window_days = 365;
  o->hold = 1;
  o->run_date = 0;
}

/* ------------------------------------------------------------------ */
/* Engine life cycle                                                   */
/* ------------------------------------------------------------------ */

static int32_t today(void)
{
  time_t now = time(NULL);
  struct tm tmv;
  if (now == (time_t)-1 || !localtime_r(&now, &tmv))
    return 0;
  return (int32_t)((tmv.tm_year + 1900) * 10000 + (tmv.tm_mon + 1) * 100 +
                   tmv.tm_mday);
}

c837_engine *c837_engine_new(const c837_codetable *t,
                             const c837_edit_options *o)
{
  c837_engine *e;
  if (!t)
    return NULL;
  e = calloc(1, sizeof *e);
  if (!e)
    return NULL;
  e->t = t;
  if (o)
    e->o = *o;
  else
    c837_edit_options_default(&e->o);
  if (e->o.infusion_min_days < 0)
    e->o.infusion_min_days = 0;
  if (e->o.repeat_window_days < 0)
    e->o.repeat_window_days = 0;
  e->payers = e->o.payers;
  if (!e->payers) {
    c837_payer_settings d;
    e->own_payers = c837_payers_builtin(NULL);
    if (!e->own_payers) {
      c837_engine_free(e);
      return NULL;
    }
    c837_payers_defaults(e->own_payers, &d);
    d.repeat_window_days = e->o.repeat_window_days;
    c837_payers_set_defaults(e->own_payers, &d);
    e->payers = e->own_payers;
  }
  e->run_date = e->o.run_date ? e->o.run_date : today();
  e->max_lines = e->o.max_lines ? e->o.max_lines : C837_MAX_REMEMBERED_LINES;
  e->vb.pf = calloc(C837_MAX_FINDINGS, sizeof *e->vb.pf);
  e->vb.out_f = calloc(C837_MAX_FINDINGS, sizeof *e->vb.out_f);
  if (!e->vb.pf || !e->vb.out_f) {
    c837_engine_free(e);
    return NULL;
  }
  return e;
}

void c837_engine_free(c837_engine *e)
{
  if (!e)
    return;
  c837_hist_release(e);
  c837_payers_free(e->own_payers);
  free(e->cl.el);
  free(e->cl.ev);
  free(e->cl.cand);
  free(e->cl.pick);
  free(e->vb.pf);
  free(e->vb.out_f);
  free(e->vb.fx);
  free(e);
}

/* ------------------------------------------------------------------ */
/* One claim                                                           */
/* ------------------------------------------------------------------ */

/* Writes "ISA06|ISA13FP|GS06|ST02" into d (size sz); returns the length
 * of its "ISA06|ISA13FP|" part, 0 when that was cut off. */
static size_t make_source(char *d, size_t sz, const c837_envelope *env,
                          const char *fp)
{
  size_t n, isa;
  n = c837_str_append(d, sz, 0, env->isa06);
  n = c837_str_append(d, sz, n, "|");
  n = c837_str_append(d, sz, n, env->isa13);
  n = c837_str_append(d, sz, n, fp);
  n = c837_str_append(d, sz, n, "|");
  isa = n < sz - 1 ? n : 0; /* not cut off */
  n = c837_str_append(d, sz, n, env->gs06);
  n = c837_str_append(d, sz, n, "|");
  (void)c837_str_append(d, sz, n, env->st02);
  return isa;
}

/* The claim's source "ISA06|ISA13#FP|GS06|ST02" (FP the ISA's hash in
 * 16 hex digits: specs/edits.md, "Ledger, re-runs and merges"), the
 * length of its interchange part, and the same without "#FP" as a
 * ledger of an earlier version has it ("" and 0 without an envelope; a
 * hand-made envelope without isa_hash gets the form without "#FP"). */
static void set_source(c837_claimwork *cl)
{
  const c837_envelope *env = cl->c->env;
  char fp[24];
  cl->isa_len = 0;
  cl->source[0] = cl->legacy[0] = 0;
  if (!env)
    return;
  fp[0] = 0;
  if (env->isa_hash) {
    snprintf(fp, sizeof fp, "#%016llx", (unsigned long long)env->isa_hash);
    (void)make_source(cl->legacy, sizeof cl->legacy, env, "");
  }
  cl->isa_len = make_source(cl->source, sizeof cl->source, env, fp);
}

static int build_lines(c837_engine *e, int *tracked)
{
  const c837_claim *c = e->cl.c;
  size_t i;
  *tracked = 0;
  e->cl.nout = c->n_lines;
  if (c837_vec_reserve(&e->cl.el, &e->cl.capel, c->n_lines, sizeof *e->cl.el,
                       16, 0) != 0)
    return -1;
  for (i = 0; i < c->n_lines; i++) {
    const c837_line *l = &c->lines[i];
    c837_eline *x = &e->cl.el[i];
    memset(x, 0, sizeof *x);
    x->src = l;
    c837_eng_copy(x->code, sizeof x->code, l->code);
    c837_revenue_normalize(x->revenue, l->revenue);
    x->tracked = c837_codetable_tracks(e->t, l, &x->row);
    if (x->tracked)
      *tracked = 1;
    x->fam = x->row ? (int)x->row->family : C837_FAM_NONE;
    x->pfam = x->fam; /* c837_ctx_build tells more */
    x->units = l->units;
    x->units_valid = l->units_ok && l->units > 0;
    x->from = l->date_from;
    x->to = l->date_to;
    if (x->from && (!x->to || x->to < x->from))
      x->to = x->from; /* our choice: a backwards range is its first day */
    if (!x->from)
      x->to = 0;
    if (x->from) {
      x->dfrom = c837_date_to_days(x->from);
      x->dto = c837_date_to_days(x->to);
    }
  }
  return 0;
}

/* INTERCHANGE_REPEATED, on the first claim with CAR-T or watch lines
 * that this run reads of an interchange an earlier run read. */
static void report_repeat(c837_engine *e)
{
  c837_hmeta m;
  char d[16];
  if (!c837_hist_repeated(e, &m))
    return;
  c837_eng_date(d, m.run_date);
  c837_eng_finding(e, C837_EDIT_INTERCHANGE_REPEATED, C837_NO_INDEX,
                   "interchange %s of sender %s was read before, by run %lu "
                   "on %s, with the same ISA segment (sender, date, time, "
                   "control number): a resend or a re-run; its claims go "
                   "out again",
                   e->cl.c->env->isa13, e->cl.c->env->isa06,
                   (unsigned long)m.run, d[0] ? d : "an unknown date");
}

/* The limits on remembered lines (base/limits.h), checked before the
 * edits: when remembering the claim's new lines would take the run past
 * its limit, or the patient past C837_MAX_PATIENT_LINES, or the claim
 * would be compared with more than C837_MAX_PATIENT_EVENTS lines, the
 * claim is held unchecked (RUN_LINES_LIMIT, PATIENT_LINES_LIMIT) and its
 * lines are not remembered.  Otherwise gathers the patient's events.
 * 1 when held unchecked (or out of memory: e->oom), else 0. */
static int over_limits(c837_engine *e)
{
  size_t fresh = c837_hist_new_lines(e), pat, n;
  int g;
  if (fresh && e->hist.nlive + fresh > e->max_lines) {
    c837_eng_finding(e, C837_EDIT_RUN_LINES_LIMIT, C837_NO_INDEX,
                     "this run remembers at most %llu CAR-T and watch-code "
                     "lines (from the ledger and new), holds %llu and this "
                     "claim would add %lu: they could not be remembered, so "
                     "later claims could not be checked against them; held "
                     "unchecked",
                     (unsigned long long)e->max_lines,
                     (unsigned long long)e->hist.nlive, (unsigned long)fresh);
    return 1;
  }
  pat = e->cl.c->patient_key[0]
            ? c837_hix_pat_count(&e->hist, e->cl.c->patient_key)
            : 0;
  if (fresh && pat + fresh > C837_MAX_PATIENT_LINES) {
    c837_eng_finding(e, C837_EDIT_PATIENT_LINES_LIMIT, C837_NO_INDEX,
                     "the patient has %lu remembered CAR-T and watch-code "
                     "lines and this claim would add %lu: more than the %d "
                     "kept for one patient; held unchecked",
                     (unsigned long)pat, (unsigned long)fresh,
                     C837_MAX_PATIENT_LINES);
    return 1;
  }
  g = c837_hist_gather(e, &n);
  if (g > 0)
    c837_eng_finding(e, C837_EDIT_PATIENT_LINES_LIMIT, C837_NO_INDEX,
                     "this claim's CAR-T and watch-code lines and the "
                     "patient's remembered lines near their dates are more "
                     "than the %d lines the edits compare one claim with; "
                     "held unchecked",
                     C837_MAX_PATIENT_EVENTS);
  return g != 0;
}

/* 1 when the current claim's admission is to be remembered: an
 * inpatient claim of a CAR-T patient (a CAR-T or other cell therapy
 * line, a CAR-T PCS code, or remembered lines of the patient), so that
 * the admissions kept grow with the CAR-T patients only. */
static int admission_wanted(const c837_engine *e)
{
  const c837_claim *c = e->cl.c;
  size_t i;
  if (!e->cl.cx.inpatient || !c->admit_date || !c->patient_key[0])
    return 0;
  if (e->cl.cx.pcs || c837_hist_patient_known(e, c->patient_key))
    return 1;
  for (i = 0; i < c->n_lines; i++)
    if (!e->cl.el[i].removed && (e->cl.el[i].pfam == C837_FAM_STEP ||
                                 c837_family_is_product(e->cl.el[i].pfam)))
      return 1;
  return 0;
}

/* An empty verdict in *out over the engine's finding buffers, emptied. */
static void start_verdict(c837_engine *e, c837_verdict *out)
{
  memset(out, 0, sizeof *out);
  out->findings = e->vb.out_f;
  out->fixes = e->vb.fx;
  c837_vb_reset(&e->vb);
}

/* 1 when a line of c is tracked (c837_codetable_tracks). */
static int any_tracked(const c837_engine *e, const c837_claim *c)
{
  size_t i;
  for (i = 0; i < c->n_lines; i++)
    if (c837_codetable_tracks(e->t, &c->lines[i], NULL))
      return 1;
  return 0;
}

int c837_engine_passes(const c837_engine *e, const c837_claim *c)
{
  int f;
  if (!e || !c)
    return 0;
  if (c->kind == C837_KIND_P || c->kind == C837_KIND_I) {
    /* c837_engine_claim's early return, tested before anything is
     * built: not a void or a replacement, not a claim the context
     * wants (c837_ctx_may_want is its history-free half) */
    f = c837_eng_freq(c);
    if (f == 7 || f == 8 || c837_ctx_may_want(c))
      return 0;
  }
  /* and no tracked line, whatever the kind: a tracked line of a claim
   * no edit judges (837D, a kind not known) still has its row in
   * lines.csv, its audit step and its episode */
  return !any_tracked(e, c);
}

int c837_engine_defers(const c837_engine *e, const c837_claim *c)
{
  int f;
  if (!e || !c || (c->kind != C837_KIND_P && c->kind != C837_KIND_I))
    return 0;
  f = c837_eng_freq(c);
  if ((f != 7 && f != 8) || c837_ctx_may_want(c))
    return 0;
  return !any_tracked(e, c);
}

int c837_engine_pass(c837_engine *e, const c837_claim *c, c837_verdict *out)
{
  if (!out || !c837_engine_passes(e, c))
    return 0;
  start_verdict(e, out);
  if (c->kind == C837_KIND_P || c->kind == C837_KIND_I)
    c837_vb_finish(&e->vb, e->o.hold, out);
  return 1;
}

c837_status c837_engine_claim(c837_engine *e, const c837_claim *c,
                              c837_verdict *out)
{
  int f, tracked;
  if (!e || !c || !out)
    return C837_EINVAL;
  start_verdict(e, out);
  e->oom = 0;
  e->cl.nev = e->cl.nev_hist = 0;
  e->cl.c = c;
  if (c->kind != C837_KIND_P && c->kind != C837_KIND_I)
    return C837_OK;
  set_source(&e->cl);
  c837_hist_hide(e);
  f = c837_eng_freq(c);
  if (f == 8) {
    /* A void cancels the claim it names and is not evaluated itself. */
    if (c837_hist_cancel(e) != 0 || c837_admit_cancel(e) != 0)
      return C837_ENOMEM;
    c837_hist_settle(e);
    return C837_OK;
  }
  if (build_lines(e, &tracked) != 0)
    return C837_ENOMEM;
  if (f != 7 && !tracked && !c837_ctx_wanted(e)) {
    /* nearly every claim: no line any edit looks at, nothing to record,
     * nothing to replace */
    c837_vb_finish(&e->vb, e->o.hold, out);
    return C837_OK;
  }
  c837_ctx_build(e);
  report_repeat(e);
  if (!over_limits(e)) {
    c837_edits_line(e);
    c837_edits_seq(e);
    c837_edits_claim(e);
  }
  if (e->oom)
    return C837_ENOMEM;
  c837_vb_finish(&e->vb, e->o.hold, out);
  if (c837_hist_mark(e) != 0)
    return C837_ENOMEM;
  if (out->disposition != C837_DISP_HELD) {
    if (f == 7 && (c837_hist_cancel(e) != 0 || c837_admit_cancel(e) != 0))
      return C837_ENOMEM;
    c837_hist_settle(e);
    if (c837_hist_record(e) != 0)
      return C837_ENOMEM;
    if (admission_wanted(e) && c837_admit_record(e) != 0)
      return C837_ENOMEM;
  }
  return C837_OK;
}

