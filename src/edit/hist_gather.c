/* hist_gather.c -- the remembered lines one claim is judged against
 *
 * Before the edits of a claim run, c837_hist_gather turns the patient's
 * remembered lines that can matter to it into events (c837_event), in
 * history order: the lines within a window of dates around the claim's
 * own, per class of line (class_window: overlapping dates for most
 * edits, the INFUSION_TOO_SOON days before an administration, the
 * REPEAT_ADMINISTRATION window around it), and the earliest line of each
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

/* The event of remembered record r. */
static void hist_event(const c837_engine *e, const c837_hrec *r,
                       c837_event *v)
{
  const c837_code *next;
  memset(v, 0, sizeof *v);
  v->code = r->h.code;
  v->row = c837_codetable_find(e->t, r->h.code);
  v->fam = (int)r->h.family;
  v->step = r->h.step;
  v->from = r->h.date_from;
  v->to = r->h.date_to && r->h.date_to >= r->h.date_from ? r->h.date_to
                                                         : r->h.date_from;
  v->dfrom = c837_date_to_days(v->from);
  v->dto = c837_date_to_days(v->to);
  v->dswitch = c837_eng_code_switch(e->t, v->row, v->from, v->to, &next);
  v->code2 = next ? next->code : NULL;
  v->units = r->h.units;
  v->provider = r->h.provider;
  v->claim_id = r->h.claim_id;
  v->line = C837_NO_INDEX;
}

/* The claim's dated CAR-T and watch lines: their first and last day
 * numbers, and whether one is an administration (step 4).  Returns how
 * many there are. */
static size_t claim_span(const c837_engine *e, int32_t *lo, int32_t *hi,
                         int *admin)
{
  size_t i, own = 0;
  *lo = *hi = 0;
  *admin = 0;
  for (i = 0; i < e->cl.c->n_lines; i++) {
    const c837_eline *x = &e->cl.el[i];
    if (!x->row || x->fam == C837_FAM_NONE || !x->from)
      continue;
    if (!own++ || x->dfrom < *lo)
      *lo = x->dfrom;
    if (own == 1 || x->dto > *hi)
      *hi = x->dto;
    if (x->fam == C837_FAM_STEP && x->row->step == 4)
      *admin = 1;
  }
  return own;
}

/* The days [*a, *b] of remembered lines of class cls the edits of this
 * claim (dated lo..hi, with an administration or not) can look at: the
 * lines that overlap the claim's dates (pairing, HPC_CODE_WITH_CART,
 * DUPLICATE_DAY); for a claim with an administration also the
 * collections of the INFUSION_TOO_SOON days before it, and the
 * administrations and products of the REPEAT_ADMINISTRATION window
 * around it (a repeat, and the split-dose products on the dates of
 * either, whose ranges may reach maxspan days further). */
static void class_window(const c837_engine *e, int cls, int32_t lo,
                         int32_t hi, int admin, int32_t maxspan, int32_t *a,
                         int32_t *b)
{
  int32_t w = e->o.repeat_window_days + 1;
  *a = lo;
  *b = hi;
  if (!admin)
    return;
  if (cls == 1)
    *a = lo - e->o.infusion_min_days - 1;
  else if (cls == 4) {
    *a = lo - w;
    *b = hi + w;
  } else if (cls == 0) {
    *a = lo - w;
    *b = hi + w + maxspan;
  }
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
  size_t own, n = 0, k, end, at, uniq = 0;
  int32_t lo, hi;
  int cls, admin;
  e->cl.nev = 0;
  e->cl.nev_hist = 0;
  own = claim_span(e, &lo, &hi, &admin);
  *count = own;
  if (own > C837_MAX_PATIENT_EVENTS)
    return 1;
  if (!own || !e->cl.c->patient_key[0])
    return 0; /* our choice: no patient, no cross-claim counting */
  if (c837_hix_pat(hs, e->cl.c->patient_key, &p) != 0) {
    e->oom = 1;
    return -1;
  }
  if (!p)
    return 0;
  for (cls = 0; cls < C837_HIX_CLASSES; cls++) {
    int32_t a, b, ya, yb;
    class_window(e, cls, lo, hi, admin, p->maxspan, &a, &b);
    ya = c837_days_to_date(a);
    yb = c837_days_to_date(b);
    at = c837_hix_lower(hs, p, cls, c837_days_to_date(a - p->maxspan), &end);
    for (; at < end; at++) {
      const c837_hrec *r = &hs->h[p->idx[at]];
      int32_t to = r->h.date_to > r->h.date_from ? r->h.date_to
                                                  : r->h.date_from;
      if (r->h.date_from > yb)
        break;
      if (to < ya || c837_hist_excluded(e, r))
        continue;
      if (n + own >= C837_MAX_PATIENT_EVENTS) {
        *count = n + own + 1;
        return 1;
      }
      if (pick(e, &n, p->idx[at]) != 0)
        return -1;
    }
  }
  for (cls = 1; cls <= 4; cls++) {
    for (at = c837_hix_lower(hs, p, cls, 0, &end); at < end; at++) {
      if (c837_hist_excluded(e, &hs->h[p->idx[at]]))
        continue;
      if (pick(e, &n, p->idx[at]) != 0)
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
  *count = uniq + own;
  if (*count > C837_MAX_PATIENT_EVENTS) {
    e->cl.nev = e->cl.nev_hist = 0;
    return 1;
  }
  return 0;
}

