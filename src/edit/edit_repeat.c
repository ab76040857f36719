/* edit_repeat.c -- REPEAT_ADMINISTRATION: a second course of a cell
 * therapy for the same patient
 *
 * A sequencing edit (edit_seq.c's table runs it on every event of the
 * claim).  A course is an administration (38228 / 0540T) or a product
 * line of a cell or gene therapy (by its code, or an unclassified code by
 * its NDC); two courses of one patient on different dates, within the
 * window of the claim's payer class (365 days for Medicare, lifetime for
 * commercial and Medicaid by default: specs/payers.md), are a repeat
 * when they are of the same class: an administration and the CAR-T
 * products are one class (any CAR-T after any CAR-T, whatever its target
 * antigen), a TCR-T, a TIL and a stem-cell gene therapy product each
 * theirs.  Sipuleucel-T (three infusions a course) is not judged.  The
 * split dose of Q2058 is exempt only for its second infusion, 7 to 11
 * days after the first (day 10 +/- 2, the first being day 1); a third
 * infusion, or a second one outside that window, is a repeat.  A product
 * line next to an administration of its claim and date is judged through
 * the administration.  Specification: specs/edits.md,
 * REPEAT_ADMINISTRATION.
 */
#include "edit/engine_int.h"

#include <stdio.h>
#include <string.h>

/* The split dose's second infusion: 7 to 11 days after the first. */
#define SPLIT_MIN_DAYS 7
#define SPLIT_MAX_DAYS 11

/* The class of a course event: C837_FAM_PRODUCT for a CAR-T
 * administration or product, the family for a TCR-T, TIL or stem-cell
 * gene therapy product, or -1 for an event that is no course. */
static int course_class(const c837_event *v)
{
  if (v->fam == C837_FAM_STEP)
    return v->step == 4 ? C837_FAM_PRODUCT : -1;
  if (v->fam == C837_FAM_PRODUCT || v->fam == C837_FAM_TCR ||
      v->fam == C837_FAM_TIL || v->fam == C837_FAM_HSC_GENE)
    return v->fam;
  return -1;
}

static int is_split(const c837_event *v)
{
  return v->fam == C837_FAM_PRODUCT && v->row && v->row->split_dose;
}

/* 1 when the patient has a split-dose product event on a day of the
 * event's dates. */
static int split_on(const c837_engine *e, const c837_event *me)
{
  size_t k;
  for (k = 0; k < e->cl.nev; k++) {
    const c837_event *v = &e->cl.ev[k];
    if (is_split(v) && c837_eng_overlap(v->dfrom, v->dto, me->dfrom, me->dto))
      return 1;
  }
  return 0;
}

/* 1 when product event me shares its claim and a date with an
 * administration line (that line is judged instead). */
static int next_to_admin(const c837_engine *e, const c837_event *me)
{
  size_t k;
  if (me->fam == C837_FAM_STEP)
    return 0;
  for (k = e->cl.nev_hist; k < e->cl.nev; k++) {
    const c837_event *v = &e->cl.ev[k];
    if (v->fam == C837_FAM_STEP && v->step == 4 &&
        c837_eng_overlap(v->dfrom, v->dto, me->dfrom, me->dto))
      return 1;
  }
  return 0;
}

/* The earlier courses of me's class in the window: the nearest (*best,
 * its distance *gap), and whether they all fall on one date (*one_date:
 * that day number), the first infusion of a split dose then. */
static int earlier(const c837_engine *e, const c837_event *me, int w,
                   const c837_event **best, long *gap, int32_t *day,
                   int *one_date)
{
  size_t k;
  int n = 0, cls = course_class(me);
  *best = NULL;
  *one_date = 1;
  for (k = 0; k < e->cl.nev; k++) {
    const c837_event *v = &e->cl.ev[k];
    long g;
    if (v == me || (v->line != C837_NO_INDEX && v->line >= me->line) ||
        course_class(v) != cls || v->dfrom == me->dfrom)
      continue;
    g = (long)me->dfrom - v->dfrom;
    if (w && (g > w || g < -w))
      continue;
    if (n++ == 0)
      *day = v->dfrom;
    else if (v->dfrom != *day)
      *one_date = 0;
    if (g < 0)
      g = -g;
    /* the nearest; of two as near, an administration before a product */
    if (!*best || g < *gap ||
        (g == *gap && v->fam == C837_FAM_STEP &&
         (*best)->fam != C837_FAM_STEP)) {
      *best = v;
      *gap = g;
    }
  }
  return n;
}

void c837_edit_repeat(c837_engine *e, const c837_event *me)
{
  const c837_event *best;
  long gap = 0;
  int32_t first = 0;
  int one, w = e->cl.cx.ps.repeat_window_days;
  char d[16], d2[16], win[32];
  if (course_class(me) < 0 || next_to_admin(e, me))
    return;
  if (!earlier(e, me, w, &best, &gap, &first, &one))
    return;
  /* the second infusion of a split dose, day 10 +/- 2 after a first
   * infusion with the split-dose product (the second is judged as an
   * administration or as the product of that date) */
  if (one && me->dfrom - first >= SPLIT_MIN_DAYS &&
      me->dfrom - first <= SPLIT_MAX_DAYS) {
    c837_event f = *me;
    f.dfrom = f.dto = first;
    if (split_on(e, &f))
      return;
  }
  c837_eng_date(d, me->from);
  c837_eng_date(d2, best->from);
  if (w)
    snprintf(win, sizeof win, "window %d days", w);
  else
    snprintf(win, sizeof win, "window lifetime");
  c837_eng_finding(e, C837_EDIT_REPEAT_ADMINISTRATION, me->line,
                   "%s %s on %s is a second course for this patient: %s is "
                   "dated %s (%ld days apart, %s, payer class %s)%s",
                   me->fam == C837_FAM_STEP ? "administration" : "product",
                   me->code, d, best->code, d2, gap, win,
                   c837_payer_class_name(e->cl.cx.ps.cls),
                   split_on(e, me) || split_on(e, best)
                       ? "; a split dose's second infusion comes 7 to 11 "
                         "days after the first, once"
                       : "");
}
