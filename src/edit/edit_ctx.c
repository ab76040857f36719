/* edit_ctx.c -- what the edits read of a claim as a whole (issue 12)
 *
 * Before the edits of a claim run, c837_ctx_build works out, once, what
 * several of them need besides the lines: the claim's payer class and
 * settings (payers.c, specs/payers.md), whether it is an inpatient (11x)
 * or outpatient (12x / 13x) bill, the CAR-T ICD-10-PCS code that proves
 * the administration on an inpatient bill (specs/pcs.csv, valid on the
 * discharge date) and its date, the clinical trial and expanded access
 * marks (Z00.6, condition codes 30 and 90, value code D4, modifiers
 * Q0 / Q1, the notes "Expand Acc Use" and "Diff Prod Clin Trial"), and
 * for each line the product it bills: the code's, or for an unclassified
 * (NOC) code the product of the NDC in its drug loop (specs/ndc.csv).
 * On an inpatient bill the lines carry no date of their own (the 837I
 * guide allows DTP*472 on outpatient lines only), so a line without one
 * is dated on the administration date of the PCS code, never over the
 * statement period.  Specification: specs/edits.md ("Terms", "Claim
 * context").
 */
#include "edit/engine_int.h"
#include "base/util.h"

#include <string.h>

int c837_ctx_has_mod(const c837_line *l, const char *m)
{
  int k;
  for (k = 0; k < 4; k++)
    if (strcmp(l->mod[k], m) == 0)
      return 1;
  return 0;
}

int c837_ctx_note(const c837_claim *c, const char *needle)
{
  size_t i;
  for (i = 0; i < c->n_notes; i++)
    if (c837_str_contains_nocase(c->notes[i].text, needle))
      return 1;
  return 0;
}

int c837_ctx_is(const c837_eline *x, c837_family fam)
{
  return !x->removed && x->row && x->pfam == (int)fam;
}

/* 1 when the two first characters of the claim's type of bill are tob2. */
static int tob_is(const c837_claim *c, const char *tob2)
{
  return c->kind == C837_KIND_I && strncmp(c->tob, tob2, 2) == 0;
}

/* The date PCS codes of the claim are valid on: its discharge date. */
static int32_t discharge_of(const c837_claim *c)
{
  return c->stmt_to ? c->stmt_to : c->stmt_from;
}

/* The first HI procedure code that proves a CAR-T administration, or
 * NULL (*at its index). */
static const c837_pcs *proving_pcs(const c837_engine *e, size_t *at)
{
  const c837_claim *c = e->cl.c;
  int32_t d = discharge_of(c);
  size_t i;
  for (i = 0; i < c->n_px; i++) {
    const c837_pcs *p = c837_codetable_pcs(e->t, c->px[i].code, d);
    if (p && p->cart_admin) {
      *at = i;
      return p;
    }
  }
  return NULL;
}

int c837_ctx_may_want(const c837_claim *c)
{
  return tob_is(c, "11");
}

int c837_ctx_wanted(const c837_engine *e)
{
  const c837_claim *c = e->cl.c;
  size_t at;
  if (!tob_is(c, "11"))
    return 0;
  if (proving_pcs(e, &at))
    return 1;
  return c->admit_date && c->patient_key[0] &&
         c837_hist_patient_known(e, c->patient_key);
}

/* The claim-wide marks of a clinical trial or expanded access. */
static void trial_marks(c837_cctx *cx, const c837_claim *c)
{
  size_t i;
  for (i = 0; i < c->n_dx; i++)
    if (strncmp(c->dx[i].code, "Z006", 4) == 0 ||
        strncmp(c->dx[i].code, "Z00.6", 5) == 0)
      cx->z006 = 1;
  for (i = 0; i < c->n_cond; i++) {
    if (strcmp(c->cond[i].code, "30") == 0)
      cx->cc30 = 1;
    else if (strcmp(c->cond[i].code, "51") == 0)
      cx->cc51 = 1;
    else if (strcmp(c->cond[i].code, "90") == 0)
      cx->cc90 = 1;
  }
  for (i = 0; i < c->n_value && !cx->d4; i++)
    if (strcmp(c->value[i].code, "D4") == 0)
      cx->d4 = &c->value[i];
  for (i = 0; i < c->n_lines; i++)
    if (c837_ctx_has_mod(&c->lines[i], "Q0") ||
        c837_ctx_has_mod(&c->lines[i], "Q1"))
      cx->q0q1 = 1;
  cx->note_eau = c837_ctx_note(c, "Expand Acc Use");
  cx->note_dpct = c837_ctx_note(c, "Diff Prod Clin Trial");
  cx->trial = cx->z006 || cx->cc30 || cx->d4 || cx->q0q1 || cx->cc90 ||
              cx->note_eau || cx->note_dpct;
}

/* The product a working line bills: its code's, or its NDC's. */
static void line_product(const c837_engine *e, c837_eline *x)
{
  const c837_line *l = x->src;
  size_t k;
  x->pfam = x->fam;
  x->product = x->row && x->row->product[0] ? x->row->product : NULL;
  x->ndc = NULL;
  x->has_ndc = 0;
  for (k = 0; k < l->n_drugs; k++) {
    const c837_ndc *n;
    if (strcmp(l->drugs[k].qualifier, "N4") != 0 || !l->drugs[k].id[0])
      continue;
    x->has_ndc = 1;
    n = c837_codetable_ndc(e->t, l->drugs[k].id);
    if (n && !x->ndc)
      x->ndc = n;
  }
  if (x->fam == C837_FAM_NOC && x->ndc &&
      c837_family_is_product(x->ndc->family)) {
    x->pfam = (int)x->ndc->family;
    x->product = x->ndc->product;
  }
}

void c837_ctx_build(c837_engine *e)
{
  const c837_claim *c = e->cl.c;
  c837_cctx *cx = &e->cl.cx;
  size_t i, at = 0;
  memset(cx, 0, sizeof *cx);
  c837_payers_settings(e->payers, c->filing, c->payer.id, &cx->ps);
  cx->inpatient = tob_is(c, "11");
  cx->outpatient = tob_is(c, "12") || tob_is(c, "13");
  if (cx->inpatient) {
    cx->discharge = discharge_of(c);
    cx->pcs = proving_pcs(e, &at);
    if (cx->pcs) {
      cx->pcs_code = c->px[at].code;
      cx->pcs_date = c->px[at].date;
    }
  }
  trial_marks(cx, c);
  for (i = 0; i < c->n_lines; i++) {
    c837_eline *x = &e->cl.el[i];
    line_product(e, x);
    /* inpatient: the line's date is the administration's, not the stay */
    if (cx->pcs_date && x->src->date_source != 'L') {
      x->from = x->to = cx->pcs_date;
      x->dfrom = x->dto = c837_date_to_days(cx->pcs_date);
    }
  }
}
