/* hist_gather.c -- the remembered lines one claim is judged against
 *
 * Before the edits of a claim run, c837_hist_gather turns the patient's
 * remembered lines that can matter to it into events (c837_event), in
 * history order: the lines within a window of dates around the claim's
 * own, per class of line (class_window: overlapping dates for most
 * edits, the INFUSION_TOO_SOON days before an administration, the
 * payer's STEP_OUT_OF_ORDER episode window and REPEAT_ADMINISTRATION
 * window around it, every course of a class when that window is
 * lifetime, the PAYMENT_WINDOW days before an inpatient admission, even
 * for a claim without lines of its own), and the earliest line of each
 * step.  The patient index of hist_index.c finds them by binary search,
 * so a claim costs time in proportion to the lines near its dates, not
 * to everything the patient ever had; and the number of lines one claim
 * is compared with is bounded (C837_MAX_PATIENT_EVENTS: past it the
 * claim is held unchecked, PATIENT_LINES_LIMIT).  Which remembered lines
 * a claim must not count (its own, read again; a re-run's later lines)
 * is engine_hist.c's c837_hist_excluded.  Specification: specs/edits.md,
 * "Ledger, re-runs and merges" and "Cost and limits".
 */
#include "edit/engine_int.h"
#include "base/buf.h"

#include <stdlib.h>
#include <string.h>

/* Record indexes in increasing order (qsort). */
static int cmp_index(const void *a, const void *b)
{
  size_t x = *(const size_t *)a, y = *(const size_t *)b;
  return x < y ? -1 : x > y;
}

/* Adds record index i to the claim's picks.  0 or -1 (e->oom set). */
static int pick(c837_engine *e, size_t *n, size_t i)
{
  if (c837_vec_reserve(&e->cl.pick, &e->cl.cappick, *n + 1,
                       sizeof *e->cl.pick, 64, 0) != 0) {
    e->oom = 1;
    return -1;
  }
  e->cl.pick[(*n)++] = i;
  return 0;
}

/* The event of remembered record r (its strings borrowed from the
 * history's maps: no string is interned while the edits run). */
static void hist_event(const c837_engine *e, const c837_hrec *r,
                       c837_event *v)
{
  const c837_histstore *hs = &e->hist;
  const c837_code *next;
  memset(v, 0, sizeof *v);
  v->code = c837_hr_code(hs, r);
  v->row = c837_codetable_find(e->t, v->code);
  v->product = v->row && v->row->product[0] ? v->row->product : NULL;
  v->fam = (int)r->family;
  v->step = r->step;
  v->from = r->date_from;
  v->to = r->date_to && r->date_to >= r->date_from ? r->date_to
                                                   : r->date_from;
  v->dfrom = c837_date_to_days(v->from);
  v->dto = c837_date_to_days(v->to);
  v->dswitch = c837_eng_code_switch(e->t, v->row, v->from, v->to, &next);
  v->code2 = next ? next->code : NULL;
  v->units = r->units;
  v->provider = c837_hr_provider(hs, r);
  v->claim_id = c837_hr_claim_id(hs, r);
  v->line = C837_NO_INDEX;
}

/* What the edits of one claim can look at in the patient's history
 * (claim_span). */
typedef struct span {
  size_t own;      /* the claim's dated lines with a family */
  int32_t lo, hi;  /* their first and last day numbers */
  int admin;       /* one is an administration (step 4) */
  int steps;       /* one is of steps 1 to 4 (STEP_OUT_OF_ORDER) */
  int course;      /* one is a course (REPEAT_ADMINISTRATION:
                      administration, CAR-T, TCR-T, TIL or stem-cell gene
                      therapy product, by code or NDC) */
  int32_t ad;      /* PAYMENT_WINDOW on an inpatient claim: its admission
                      day number, 0 when the edit does not look back */
  int32_t ad_days; /* and the window's days before it */
} span;

/* 1 when pfam is a family of REPEAT_ADMINISTRATION's courses. */
static int course_family(int pfam, int step)
{
  return (pfam == C837_FAM_STEP && step == 4) || pfam == C837_FAM_PRODUCT ||
         pfam == C837_FAM_TCR || pfam == C837_FAM_TIL ||
         pfam == C837_FAM_HSC_GENE;
}

/* The claim's dated lines with a family (the claim's own events, as
 * edit_seq.c's add_claim_events takes them; by the family they bill,
 * pfam), and the inpatient side of PAYMENT_WINDOW (edit_claim.c: an 11x
 * claim with an admission date looks at the lines of the window before
 * it, whether it has lines of its own or not). */
static void claim_span(const c837_engine *e, span *s)
{
  const c837_claim *c = e->cl.c;
  size_t i;
  memset(s, 0, sizeof *s);
  for (i = 0; i < c->n_lines; i++) {
    const c837_eline *x = &e->cl.el[i];
    if (!x->row || x->fam == C837_FAM_NONE || !x->from)
      continue;
    if (!s->own++ || x->dfrom < s->lo)
      s->lo = x->dfrom;
    if (s->own == 1 || x->dto > s->hi)
      s->hi = x->dto;
    if (x->pfam == C837_FAM_STEP && x->row->step == 4)
      s->admin = 1;
    if (x->pfam == C837_FAM_STEP && x->row->step >= 1 && x->row->step <= 4)
      s->steps = 1;
    if (course_family(x->pfam, x->row->step))
      s->course = 1;
  }
  if (e->cl.cx.inpatient && c->admit_date && c->patient_key[0]) {
    int d = c837_payers_window_days(e->payers, &e->cl.cx.ps, c->billing.id);
    if (d > 0) {
      s->ad = c837_date_to_days(c->admit_date);
      s->ad_days = d;
    }
  }
}

/* Widens [*a, *b] (empty when *a > *b) to take in [x, y]. */
static void widen(int32_t *a, int32_t *b, int32_t x, int32_t y)
{
  if (*a > *b) {
    *a = x;
    *b = y;
    return;
  }
  if (x < *a)
    *a = x;
  if (y > *b)
    *b = y;
}

/* The dates [*ya, *yb] (CCYYMMDD; empty when *ya > *yb) of remembered
 * lines of class cls the edits of this claim can look at: the lines that
 * overlap the claim's dates (pairing, HPC_CODE_WITH_CART, DUPLICATE_DAY,
 * PARTB_FRACTIONAL_PRODUCT); for a claim with an administration also the
 * collections of the INFUSION_TOO_SOON days before it; for a claim with
 * a step 1 to 4 the steps 1 to 4 of the payer's episode window around it
 * (STEP_OUT_OF_ORDER); for a claim with a course the courses of its
 * class in the payer's REPEAT_ADMINISTRATION window around it, every one
 * when the window is lifetime (0), and the products on their dates (the
 * split dose); for an inpatient claim the steps and products of the
 * PAYMENT_WINDOW days before its admission.  The window is the hull of
 * these: a line in it that no edit needs changes no finding. */
static void class_window(const c837_engine *e, const span *s, int cls,
                         int32_t *ya, int32_t *yb)
{
  int32_t a = 1, b = 0, rw = e->cl.cx.ps.repeat_window_days + 1;
  int32_t sw = e->cl.cx.ps.step_window_days + 1;
  int course = cls == C837_HIX_PRODUCT || cls == 4 || cls == C837_HIX_TCR ||
               cls == C837_HIX_TIL || cls == C837_HIX_HSC_GENE;
  *ya = 1;
  *yb = 0;
  if (e->gather_all || (s->course && course && rw == 1)) {
    *ya = 0; /* every line of the class */
    *yb = INT32_MAX;
    return;
  }
  if (s->own) {
    widen(&a, &b, s->lo, s->hi);
    if (s->admin && cls == 1)
      widen(&a, &b, s->lo - e->o.infusion_min_days - 1, s->hi);
    if (s->steps && cls >= 1 && cls <= 4)
      widen(&a, &b, s->lo - sw, s->hi + sw);
    if (s->course && course)
      widen(&a, &b, s->lo - rw, s->hi + rw);
  }
  if (s->ad && cls != C837_HIX_WATCH)
    widen(&a, &b, s->ad - s->ad_days - 1, s->ad + 1);
  if (a > b)
    return;
  *ya = c837_days_to_date(a);
  *yb = c837_days_to_date(b);
}

/* Events of the patient's remembered lines that the edits of this claim
 * can need, in history order: every line within its class's window
 * (class_window) and the earliest line of each step (STEP_OUT_OF_ORDER
 * and PRIOR_STEP_MISSING look at the whole history through it).  A line
 * outside these can change no finding, so the events are those of a
 * scan of the whole history, less lines that cannot matter. */
int c837_hist_gather(c837_engine *e, size_t *count)
{
  c837_histstore *hs = &e->hist;
  c837_pat *p = NULL;
  size_t n = 0, k, end, at, uniq = 0;
  span s;
  int cls;
  e->cl.nev = 0;
  e->cl.nev_hist = 0;
  claim_span(e, &s);
  *count = s.own;
  if (s.own > C837_MAX_PATIENT_EVENTS)
    return 1;
  if ((!s.own && !s.ad) || !e->cl.c->patient_key[0])
    return 0; /* our choice: no patient, no cross-claim counting */
  if (c837_hix_pat(hs, e->cl.c->patient_key, &p) != 0) {
    e->oom = 1;
    return -1;
  }
  if (!p)
    return 0;
  for (cls = 0; cls < C837_HIX_CLASSES; cls++) {
    int32_t ya, yb, lo;
    class_window(e, &s, cls, &ya, &yb);
    if (ya > yb)
      continue;
    lo = ya ? c837_days_to_date(c837_date_to_days(ya) - p->maxspan) : 0;
    at = c837_hix_lower(hs, p, cls, lo, &end);
    for (; at < end; at++) {
      const c837_hrec *r = &hs->h[c837_pat_cidx(p)[at]];
      int32_t to = r->date_to > r->date_from ? r->date_to : r->date_from;
      if (r->date_from > yb)
        break;
      if (to < ya || c837_hist_excluded(e, r))
        continue;
      if (n + s.own >= C837_MAX_PATIENT_EVENTS) {
        *count = n + s.own + 1;
        return 1;
      }
      if (pick(e, &n, c837_pat_cidx(p)[at]) != 0)
        return -1;
    }
  }
  for (cls = 1; cls <= 4; cls++) {
    for (at = c837_hix_lower(hs, p, cls, 0, &end); at < end; at++) {
      if (c837_hist_excluded(e, &hs->h[c837_pat_cidx(p)[at]]))
        continue;
      if (pick(e, &n, c837_pat_cidx(p)[at]) != 0)
        return -1;
      break;
    }
  }
  if (n > 1)
    qsort(e->cl.pick, n, sizeof *e->cl.pick, cmp_index);
  for (k = 0; k < n; k++) {
    c837_event v;
    if (k > 0 && e->cl.pick[k] == e->cl.pick[k - 1])
      continue;
    uniq++;
    hist_event(e, &hs->h[e->cl.pick[k]], &v);
    if (c837_hist_ev_push(e, &v) != 0)
      return -1;
  }
  e->cl.nev_hist = e->cl.nev;
  *count = uniq + s.own;
  if (*count > C837_MAX_PATIENT_EVENTS) {
    e->cl.nev = e->cl.nev_hist = 0;
    return 1;
  }
  return 0;
}

