/* edit_seq.c -- the edits that compare a line with the patient's others
 *
 * After the line edits have settled each line's code, units and whether
 * it stays, this file adds the claim's remaining CAR-T and watch-code
 * lines to the patient's events (the remembered lines gathered by
 * engine_hist.c come first) and runs, per line: STEP_OUT_OF_ORDER,
 * PRIOR_STEP_MISSING, ADMIN_WITHOUT_PRODUCT, PRODUCT_WITHOUT_ADMIN,
 * INFUSION_TOO_SOON, REPEAT_ADMINISTRATION (edit_repeat.c),
 * HPC_CODE_WITH_CART; then the claim-wide PREP_CHARGES_DOUBLE_BILLED.
 * A line of an unclassified code with a product's NDC is an event of
 * that product (its pfam, edit_ctx.c).  "Read before" means a
 * remembered line, or a line of this claim with a lower index.  The
 * order is the table seq_edits at the end; findings and fixes go to
 * verdict.c.  Specification: specs/edits.md.
 */
#include "edit/engine_int.h"

#include <stdlib.h>
#include <string.h>

static const char *step_name(int s)
{
  switch (s) {
  case 1: return "collect";
  case 2: return "ship";
  case 3: return "receive";
  case 4: return "administer";
  }
  return "?";
}

/* The event index of line i of the claim, or -1. */
static long event_of(const c837_engine *e, size_t i)
{
  size_t k;
  for (k = e->cl.nev_hist; k < e->cl.nev; k++)
    if (e->cl.ev[k].line == i)
      return (long)k;
  return -1;
}

/* 1 when event v was read before line i. */
static int read_before(const c837_event *v, size_t i)
{
  return v->line == C837_NO_INDEX || v->line < i;
}

static int is_step(const c837_event *v, int step)
{
  return v->fam == C837_FAM_STEP && (step == 0 || v->step == step);
}

static void add_claim_events(c837_engine *e)
{
  size_t i;
  for (i = 0; i < e->cl.c->n_lines; i++) {
    const c837_eline *x = &e->cl.el[i];
    c837_event v;
    if (x->removed || !x->row || x->fam == C837_FAM_NONE || !x->from)
      continue;
    memset(&v, 0, sizeof v);
    v.code = x->code;
    v.code2 = x->dswitch ? x->row2->code : NULL;
    v.dswitch = x->dswitch;
    v.row = x->row;
    v.fam = x->pfam;
    v.product = x->product;
    v.step = x->row->step;
    v.from = x->from;
    v.to = x->to;
    v.dfrom = x->dfrom;
    v.dto = x->dto;
    v.units = x->units_valid ? x->units : 0;
    v.provider = e->cl.c->billing.id;
    v.claim_id = e->cl.c->id;
    v.line = i;
    if (c837_hist_ev_push(e, &v) != 0)
      return; /* e->oom is set */
  }
}

/* STEP_OUT_OF_ORDER: bounded to the episode window of the claim's payer
 * settings (step_window_days, default 180): steps further apart belong
 * to another course, or to a ledger that starts mid-history. */
static void edit_step_order(c837_engine *e, const c837_event *me)
{
  const c837_event *min[5] = {NULL, NULL, NULL, NULL, NULL};
  size_t k;
  int t, s = me->step;
  long w = e->cl.cx.ps.step_window_days;
  char d[16], d2[16];
  if (me->fam != C837_FAM_STEP || s < 1 || s > 4)
    return;
  for (k = 0; k < e->cl.nev; k++) {
    const c837_event *v = &e->cl.ev[k];
    long gap = (long)v->dfrom - me->dfrom;
    if (v == me || !read_before(v, me->line) || !is_step(v, 0) ||
        v->step < 1 || v->step > 4 || gap > w || gap < -w)
      continue;
    if (!min[v->step] || v->dfrom < min[v->step]->dfrom)
      min[v->step] = v;
  }
  c837_eng_date(d, me->from);
  for (t = 1; t < s; t++) {
    if (min[t] && me->dfrom < min[t]->dfrom) {
      c837_eng_date(d2, min[t]->from);
      c837_eng_finding(e, C837_EDIT_STEP_OUT_OF_ORDER, me->line,
                       "%s (step %d, %s) on %s is dated before the "
                       "patient's earliest %s (step %d, %s) on %s",
                       me->code, s, step_name(s), d, min[t]->code, t,
                       step_name(t), d2);
      return;
    }
  }
  if (min[s] && me->dfrom >= min[s]->dfrom)
    return; /* not the earliest of its step: nothing new */
  for (t = s + 1; t <= 4; t++) {
    if (min[t] && min[t]->dfrom < me->dfrom) {
      c837_eng_date(d2, min[t]->from);
      c837_eng_finding(e, C837_EDIT_STEP_OUT_OF_ORDER, me->line,
                       "%s (step %d, %s) on %s is the patient's earliest "
                       "step %d, yet a later step, %s (step %d, %s), is "
                       "dated %s",
                       me->code, s, step_name(s), d, s, min[t]->code, t,
                       step_name(t), d2);
      return;
    }
  }
}

/* PRIOR_STEP_MISSING. */
static void edit_prior_missing(c837_engine *e, const c837_event *me)
{
  size_t k;
  char d[16];
  if (me->fam != C837_FAM_STEP || me->step <= 1)
    return;
  for (k = 0; k < e->cl.nev; k++) {
    const c837_event *v = &e->cl.ev[k];
    if (v != me && is_step(v, 0) && v->step >= 1 && v->step < me->step)
      return;
  }
  c837_eng_date(d, me->from);
  c837_eng_finding(e, C837_EDIT_PRIOR_STEP_MISSING, me->line,
                   "%s (step %d, %s) on %s has no earlier CAR-T step (steps "
                   "1-%d) for this patient in this run or the ledger",
                   me->code, me->step, step_name(me->step), d, me->step - 1);
}

/* 1 when event v is a product an administration (38228) pairs with: a
 * CAR-T, TCR-T or TIL product, by its code or (an unclassified code) by
 * its NDC. */
static int pairs_product(const c837_event *v)
{
  return v->fam == C837_FAM_PRODUCT || v->fam == C837_FAM_TCR ||
         v->fam == C837_FAM_TIL;
}

/* ADMIN_WITHOUT_PRODUCT (want = product) and PRODUCT_WITHOUT_ADMIN
 * (want = step 4).  837I: the partner must be on the same claim; 837P
 * also accepts it on an earlier claim of the same provider (Part B
 * spreads the product over several claims).  Not on an inpatient bill
 * (IP_CART_CLAIM_INTEGRITY judges it: the administration is a PCS code
 * there); on a clinical trial or expanded access claim the product may
 * rightly be missing (no ADMIN_WITHOUT_PRODUCT) and nothing is held; on
 * an 837P, ADMIN_WITHOUT_PRODUCT only in the office (POS 11): in a
 * facility the hospital bills the product. */
static void edit_pairing(c837_engine *e, const c837_event *me)
{
  int want_product = me->fam == C837_FAM_STEP;
  c837_edit edit = want_product ? C837_EDIT_ADMIN_WITHOUT_PRODUCT
                                : C837_EDIT_PRODUCT_WITHOUT_ADMIN;
  int inst13 = e->cl.c->kind == C837_KIND_I &&
               strncmp(e->cl.c->tob, "13", 2) == 0 && !e->cl.cx.trial;
  size_t k;
  char r[40];
  if (!is_step(me, 4) && me->fam != C837_FAM_PRODUCT)
    return;
  if (e->cl.cx.inpatient || (want_product && e->cl.cx.trial))
    return;
  if (want_product && e->cl.c->kind == C837_KIND_P &&
      strcmp(e->cl.c->lines[me->line].pos, "11") != 0)
    return;
  for (k = 0; k < e->cl.nev; k++) {
    const c837_event *v = &e->cl.ev[k];
    int partner = want_product ? pairs_product(v) : is_step(v, 4);
    if (!partner || !c837_eng_overlap(v->dfrom, v->dto, me->dfrom, me->dto))
      continue;
    if (v->line != C837_NO_INDEX)
      return;
    if (e->cl.c->kind == C837_KIND_P &&
        strcmp(v->provider, e->cl.c->billing.id) == 0)
      return;
  }
  c837_eng_range(r, me->from, me->to);
  /* An 837I outpatient bill (TOB 13x) is not paid without its partner
   * line on the same claim: there the finding is an error that holds the
   * claim; elsewhere the edit's defaults (a warning that flags it). */
  c837_eng_finding_by_claim(
      e, edit, inst13 ? C837_SEV_ERROR : c837_edit_info(edit)->severity,
      inst13 ? C837_ACT_HELD : c837_edit_info(edit)->action, me->line,
      want_product ? "administration %s on %s has no CAR-T product line on "
                     "the same claim and date%s"
                   : "product %s on %s has no CAR-T administration line "
                     "(38228 / 0540T) on the same claim and date%s",
      me->code, r,
      e->cl.c->kind == C837_KIND_P ? " (nor on an earlier claim of this "
                                  "provider)"
                                : "");
}

/* INFUSION_TOO_SOON. */
static void edit_too_soon(c837_engine *e, const c837_event *me)
{
  const c837_event *best = NULL;
  int32_t best_day = 0;
  size_t k;
  if (!is_step(me, 4))
    return;
  for (k = 0; k < e->cl.nev; k++) {
    const c837_event *v = &e->cl.ev[k];
    int32_t last;
    if (v == me || !is_step(v, 1) || v->dfrom > me->dfrom)
      continue;
    last = v->dto < me->dfrom ? v->dto : me->dfrom;
    if (!best || last > best_day) {
      best = v;
      best_day = last;
    }
  }
  if (best && me->dfrom - best_day < e->o.infusion_min_days) {
    char d[16], d2[16];
    c837_eng_date(d, me->from);
    c837_eng_date(d2, c837_days_to_date(best_day));
    c837_eng_finding(e, C837_EDIT_INFUSION_TOO_SOON, me->line,
                     "administration %s on %s is %ld days after the "
                     "patient's latest collection (%s on %s); at least %d "
                     "days are expected",
                     me->code, d, (long)(me->dfrom - best_day), best->code, d2,
                     e->o.infusion_min_days);
  }
}

/* HPC_CODE_WITH_CART: on the watch-code line; on the step line when the
 * watch code was on an earlier claim. */
static void edit_hpc(c837_engine *e, const c837_event *me)
{
  size_t k;
  char d[16];
  if (me->fam != C837_FAM_STEP && me->fam != C837_FAM_WATCH)
    return;
  for (k = 0; k < e->cl.nev; k++) {
    const c837_event *v = &e->cl.ev[k];
    int hit;
    if (v == me || !c837_eng_overlap(v->dfrom, v->dto, me->dfrom, me->dto))
      continue;
    if (me->fam == C837_FAM_WATCH)
      hit = is_step(v, 0);
    else
      hit = v->fam == C837_FAM_WATCH && v->line == C837_NO_INDEX;
    if (!hit)
      continue;
    c837_eng_date(d, me->from > v->from ? me->from : v->from);
    if (me->fam == C837_FAM_WATCH)
      c837_eng_finding(e, C837_EDIT_HPC_CODE_WITH_CART, me->line,
                       "watch code %s is billed for the same patient on %s "
                       "as CAR-T step %s; the step may have been coded as a "
                       "stem-cell or apheresis service",
                       me->code, d, v->code);
    else
      c837_eng_finding(e, C837_EDIT_HPC_CODE_WITH_CART, me->line,
                       "CAR-T step %s is billed for the same patient on %s "
                       "as watch code %s on earlier claim %s; the step may "
                       "also have been coded as a stem-cell or apheresis "
                       "service",
                       me->code, d, v->code, v->claim_id);
    return;
  }
}

/* PREP_CHARGES_DOUBLE_BILLED (837I). */
static void edit_prep(c837_engine *e)
{
  const c837_eline *prod = NULL;
  size_t i;
  if (e->cl.c->kind != C837_KIND_I)
    return;
  for (i = 0; i < e->cl.c->n_lines && !prod; i++) {
    const c837_eline *x = &e->cl.el[i];
    if (!x->removed && x->fam == C837_FAM_PRODUCT &&
        (strcmp(x->revenue, "0891") == 0 || strcmp(x->revenue, "0892") == 0))
      prod = x;
  }
  if (!prod)
    return;
  for (i = 0; i < e->cl.c->n_lines; i++) {
    const c837_eline *x = &e->cl.el[i];
    int64_t covered;
    char amt[32];
    if (x->removed || !x->src->charge_ok ||
        (strcmp(x->revenue, "0871") != 0 && strcmp(x->revenue, "0872") != 0 &&
         strcmp(x->revenue, "0873") != 0))
      continue;
    covered = x->src->charge - x->src->noncovered;
    if (covered <= 0)
      continue;
    c837_format_decimal(amt, sizeof amt, covered, 2);
    c837_eng_finding(e, C837_EDIT_PREP_CHARGES_DOUBLE_BILLED, i,
                     "revenue %s line%s%s has covered charges of %s while "
                     "product %s is billed on revenue %s; preparation costs "
                     "belong in the product charge or on non-covered "
                     "tracking lines, not both",
                     x->revenue, x->code[0] ? " " : "", x->code, amt,
                     prod->code, prod->revenue);
  }
}

/* The sequencing edits, in the order they run on each of the claim's
 * lines (specs/edits.md, "Evaluation", 3); each decides itself whether
 * the line is one it judges.  PREP_CHARGES_DOUBLE_BILLED, which judges
 * the claim as a whole, runs after them. */
static void (*const seq_edits[])(c837_engine *e, const c837_event *me) = {
    edit_step_order,    /* STEP_OUT_OF_ORDER */
    edit_prior_missing, /* PRIOR_STEP_MISSING */
    edit_pairing,       /* ADMIN_WITHOUT_PRODUCT, PRODUCT_WITHOUT_ADMIN */
    edit_too_soon,      /* INFUSION_TOO_SOON */
    c837_edit_repeat,   /* REPEAT_ADMINISTRATION (edit_repeat.c) */
    edit_hpc,           /* HPC_CODE_WITH_CART */
};

void c837_edits_seq(c837_engine *e)
{
  size_t i, k;
  add_claim_events(e);
  if (e->oom)
    return;
  for (i = 0; i < e->cl.c->n_lines; i++) {
    long ev = event_of(e, i);
    if (ev < 0)
      continue;
    for (k = 0; k < sizeof seq_edits / sizeof seq_edits[0]; k++)
      seq_edits[k](e, &e->cl.ev[ev]);
  }
  edit_prep(e);
}
