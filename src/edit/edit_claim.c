/* edit_claim.c -- the edits that judge a claim as a whole (issue 12)
 *
 * They run after the sequencing edits, on the claim's context
 * (edit_ctx.c: payer settings, inpatient or outpatient bill, the CAR-T
 * PCS code, the clinical trial marks) and the lines as the fixes before
 * left them:
 *   IP_CART_CLAIM_INTEGRITY  an inpatient (11x) CAR-T claim: product
 *                            charge above the $1.00 token, or a trial /
 *                            expanded access mark, with its note; a PCS
 *                            code for every product line;
 *   CLINICAL_TRIAL_CODING    part of the clinical trial set but not all
 *                            of it (Medicare's by default);
 *   PAYMENT_WINDOW           an outpatient CAR-T line on or within 3 days
 *                            (1 for a non-IPPS hospital) before an
 *                            inpatient admission of the same patient at
 *                            the same billing provider, across claims,
 *                            files and runs (hist_admit.c remembers the
 *                            admissions); on the inpatient claim, the
 *                            outpatient lines read before it.
 * The edits of the claim's products are in edit_product.c; the table
 * claim_edits at the end runs them all, in this order.  Specification:
 * specs/edits.md.
 */
#include "edit/engine_int.h"

#include <stdio.h>
#include <string.h>

/* The $1.00 token charge of a free (trial) product: NGS "line-item
 * covered charges greater than a token charge of $1.00". */
#define TOKEN_CENTS 100

/* 1 for Medicare fee for service and an unknown payer (which gets
 * Medicare's settings): where the edit's error holds the claim. */
static int medicare_like(const c837_cctx *cx)
{
  return c837_payer_is_medicare_ffs(cx->ps.cls) ||
         cx->ps.cls == C837_PAYER_UNKNOWN;
}

/* The largest covered charge (SV203 - SV207) of a line on revenue code
 * 0891 or 0892, in cents (0 when none). */
static int64_t product_charge(const c837_engine *e)
{
  int64_t best = 0;
  size_t i;
  for (i = 0; i < e->cl.c->n_lines; i++) {
    const c837_eline *x = &e->cl.el[i];
    int64_t cov;
    if (x->removed || !x->src->charge_ok ||
        (strcmp(x->revenue, "0891") != 0 && strcmp(x->revenue, "0892") != 0))
      continue;
    cov = x->src->charge - x->src->noncovered;
    if (cov > best)
      best = cov;
  }
  return best;
}

/* 1 when some HI procedure code of the claim proves the administration
 * of product line x's product. */
static int pcs_proves_line(const c837_engine *e, const c837_eline *x)
{
  const c837_claim *c = e->cl.c;
  c837_code probe;
  size_t i;
  memset(&probe, 0, sizeof probe);
  probe.family = (c837_family)x->pfam;
  if (x->product)
    c837_eng_copy(probe.product, sizeof probe.product, x->product);
  for (i = 0; i < c->n_px; i++) {
    const c837_pcs *p =
        c837_codetable_pcs(e->t, c->px[i].code, e->cl.cx.discharge);
    if (p && p->cart_admin && c837_pcs_proves(p, &probe))
      return 1;
  }
  return 0;
}

/* IP_CART_CLAIM_INTEGRITY, case (d): each CAR-T product line needs a PCS
 * code of its administration. */
static void ip_product_lines(c837_engine *e, c837_severity sev,
                             c837_action act)
{
  const c837_cctx *cx = &e->cl.cx;
  char dd[16];
  size_t i;
  c837_eng_date(dd, cx->discharge);
  for (i = 0; i < e->cl.c->n_lines; i++) {
    const c837_eline *x = &e->cl.el[i];
    if (!c837_ctx_is(x, C837_FAM_PRODUCT))
      continue;
    if (!cx->pcs)
      c837_eng_finding_by_claim(
          e, C837_EDIT_IP_CART_CLAIM_INTEGRITY, sev, act, i,
          "product %s is billed on an inpatient bill with no CAR-T "
          "administration ICD-10-PCS code in HI (none valid on the "
          "discharge date %s): the stay cannot group to MS-DRG 018",
          x->code, dd[0] ? dd : "(none)");
    else if (!pcs_proves_line(e, x))
      c837_eng_finding_by_claim(
          e, C837_EDIT_IP_CART_CLAIM_INTEGRITY, sev, act, i,
          "product %s (%s) is billed on an inpatient bill whose CAR-T "
          "ICD-10-PCS code %s is for another product",
          x->code, x->product ? x->product : "product unknown",
          cx->pcs_code);
  }
}

/* IP_CART_CLAIM_INTEGRITY (837I, type of bill 11x). */
static void ip_integrity(c837_engine *e)
{
  const c837_cctx *cx = &e->cl.cx;
  int64_t chg;
  size_t i;
  int any = 0, med = medicare_like(cx);
  c837_severity sev = med ? C837_SEV_ERROR : C837_SEV_WARNING;
  c837_action act = med ? C837_ACT_HELD : C837_ACT_FLAGGED;
  char amt[32];
  if (!cx->inpatient)
    return;
  for (i = 0; i < e->cl.c->n_lines && !any; i++)
    any = c837_ctx_is(&e->cl.el[i], C837_FAM_PRODUCT);
  if (!cx->pcs && !any)
    return; /* not a CAR-T stay (a gene therapy on 0892 is not judged) */
  chg = product_charge(e);
  c837_format_decimal(amt, sizeof amt, chg, 2);
  if (chg <= TOKEN_CENTS && !cx->z006 && !cx->cc90)
    c837_eng_finding_by_claim(
        e, C837_EDIT_IP_CART_CLAIM_INTEGRITY, sev, act, C837_NO_INDEX,
        "inpatient CAR-T claim (%s%s) has no revenue 0891/0892 line with a "
        "covered charge above the $1.00 token (largest %s) and neither "
        "diagnosis Z00.6 (clinical trial) nor condition code 90 (expanded "
        "access): the product charge is missing",
        cx->pcs ? "PCS " : "product line",
        cx->pcs ? cx->pcs_code : "", amt);
  if (cx->z006 && chg > TOKEN_CENTS && !cx->note_dpct)
    c837_eng_finding_by_claim(
        e, C837_EDIT_IP_CART_CLAIM_INTEGRITY, C837_SEV_WARNING,
        C837_ACT_FLAGGED, C837_NO_INDEX,
        "diagnosis Z00.6 (clinical trial) with a product charge of %s and "
        "no note 'Diff Prod Clin Trial': a product bought in the usual way "
        "for a trial of another product needs that note, else the stay is "
        "paid as if the product were free",
        amt);
  if (cx->cc90 && !cx->note_eau)
    c837_eng_finding_by_claim(
        e, C837_EDIT_IP_CART_CLAIM_INTEGRITY, C837_SEV_WARNING,
        C837_ACT_FLAGGED, C837_NO_INDEX,
        "condition code 90 (expanded access) without the note 'Expand Acc "
        "Use'");
  else if (!cx->cc90 && cx->note_eau)
    c837_eng_finding_by_claim(
        e, C837_EDIT_IP_CART_CLAIM_INTEGRITY, C837_SEV_WARNING,
        C837_ACT_FLAGGED, C837_NO_INDEX,
        "the note 'Expand Acc Use' without condition code 90 (expanded "
        "access)");
  ip_product_lines(e, sev, act);
}

/* 1 when s is a clinical trial number as CMS asks for it: 8 digits (the
 * NCT number without "NCT"; 99999999 when not known). */
static int nct_ok(const char *s)
{
  size_t i, n = strlen(s);
  if (n > 3 && strcmp(s + n - 3, ".00") == 0)
    n -= 3; /* an amount field may be written with cents */
  if (n != 8)
    return 0;
  for (i = 0; i < n; i++)
    if (s[i] < '0' || s[i] > '9')
      return 0;
  return 1;
}

/* 1 when the claim is a CAR-T claim: a CAR-T step or product line, or a
 * CAR-T PCS code. */
static int cart_claim(const c837_engine *e)
{
  size_t i;
  if (e->cl.cx.pcs)
    return 1;
  for (i = 0; i < e->cl.c->n_lines; i++)
    if (c837_ctx_is(&e->cl.el[i], C837_FAM_STEP) ||
        c837_ctx_is(&e->cl.el[i], C837_FAM_PRODUCT))
      return 1;
  return 0;
}

/* Appends "; what" (or "what" first) to buf. */
static void add_missing(char *buf, size_t sz, const char *what)
{
  size_t n = strlen(buf);
  snprintf(buf + n, sz - n, "%s%s", n ? "; " : "", what);
}

/* CLINICAL_TRIAL_CODING. */
static void trial_coding(c837_engine *e)
{
  const c837_cctx *cx = &e->cl.cx;
  const c837_claim *c = e->cl.c;
  char miss[320], what[120];
  int inst = c->kind == C837_KIND_I;
  miss[0] = 0;
  if (!cx->ps.trial_coding || !cart_claim(e))
    return;
  if (!cx->z006 && !cx->cc30 && !cx->d4 && !cx->q0q1 && !c->trial_ref[0])
    return; /* not a trial claim */
  if (!cx->z006)
    add_missing(miss, sizeof miss, "no diagnosis Z00.6");
  if (inst && !cx->cc30)
    add_missing(miss, sizeof miss, "no condition code 30");
  if (inst && !cx->d4)
    add_missing(miss, sizeof miss,
                "no value code D4 with the 8-digit trial (NCT) number");
  else if (inst && !nct_ok(cx->d4->amount_raw)) {
    snprintf(what, sizeof what,
             "value code D4 is not an 8-digit NCT number ('%.40s')",
             cx->d4->amount_raw);
    add_missing(miss, sizeof miss, what);
  }
  if (!inst && !c->trial_ref[0])
    add_missing(miss, sizeof miss, "no REF*P4 with the 8-digit NCT number");
  else if (!inst && !nct_ok(c->trial_ref)) {
    snprintf(what, sizeof what,
             "REF*P4 is not an 8-digit NCT number ('%.40s')", c->trial_ref);
    add_missing(miss, sizeof miss, what);
  }
  if (cx->inpatient && cx->q0q1)
    add_missing(miss, sizeof miss,
                "modifier Q0 or Q1 on an inpatient bill (they are for "
                "outpatient and professional lines)");
  else if (!cx->inpatient && !cx->q0q1)
    add_missing(miss, sizeof miss,
                "no modifier Q0 or Q1 on its service lines");
  if (!miss[0])
    return;
  c837_eng_finding(e, C837_EDIT_CLINICAL_TRIAL_CODING, C837_NO_INDEX,
                   "clinical trial claim (payer class %s, %s) is incomplete: "
                   "%s",
                   c837_payer_class_name(cx->ps.cls),
                   inst ? (cx->inpatient ? "inpatient bill"
                                         : "outpatient bill")
                        : "professional claim",
                   miss);
}

/* 1 when working line x is a CAR-T or other cell therapy line the
 * payment window bundles: a step or a product. */
static int window_line(const c837_eline *x)
{
  return !x->removed && x->row && x->from &&
         (x->pfam == C837_FAM_STEP || c837_family_is_product(x->pfam));
}

/* PAYMENT_WINDOW on an outpatient claim: its lines against the
 * admissions remembered. */
static void window_outpatient(c837_engine *e, int days)
{
  const c837_claim *c = e->cl.c;
  size_t i;
  for (i = 0; i < c->n_lines; i++) {
    const c837_eline *x = &e->cl.el[i];
    const c837_hist *a, *hit = NULL;
    size_t pos = 0;
    char d[16], ad[16];
    if (!window_line(x))
      continue;
    while ((a = c837_admit_next(e, c->patient_key, &pos)) != NULL) {
      int32_t ad_day;
      if (strcmp(a->provider, c->billing.id) != 0 ||
          strcmp(a->claim_id, c->id) == 0)
        continue;
      ad_day = c837_date_to_days(a->date_from);
      if (c837_eng_overlap(x->dfrom, x->dto, ad_day - days, ad_day) &&
          (!hit || a->date_from < hit->date_from))
        hit = a;
    }
    if (!hit)
      continue;
    c837_eng_date(d, x->from);
    c837_eng_date(ad, hit->date_from);
    c837_eng_finding(e, C837_EDIT_PAYMENT_WINDOW, i,
                     "%s on %s is an outpatient service on or within %d "
                     "day%s before the patient's inpatient admission of %s "
                     "at this hospital (claim %s): it belongs on the "
                     "inpatient claim (or condition code 51 attests it is "
                     "unrelated)",
                     x->code, d, days, days == 1 ? "" : "s", ad,
                     hit->claim_id);
  }
}

/* 1 when the patient has a remembered admission of claim claim_id at
 * provider (its lines are inpatient lines). */
static int claim_admitted(const c837_engine *e, const char *claim_id,
                          const char *provider)
{
  const c837_hist *a;
  size_t pos = 0;
  while ((a = c837_admit_next(e, e->cl.c->patient_key, &pos)) != NULL)
    if (strcmp(a->claim_id, claim_id) == 0 &&
        strcmp(a->provider, provider) == 0)
      return 1;
  return 0;
}

/* PAYMENT_WINDOW on an inpatient claim: the outpatient lines of the same
 * patient and hospital read before it, in the window before its
 * admission (the outpatient claim has gone out already: a warning). */
static void window_inpatient(c837_engine *e, int days)
{
  const c837_claim *c = e->cl.c;
  int32_t ad = c837_date_to_days(c->admit_date);
  size_t k;
  for (k = 0; k < e->cl.nev_hist; k++) {
    const c837_event *v = &e->cl.ev[k];
    char d[16], a[16];
    if ((v->fam != C837_FAM_STEP && !c837_family_is_product(v->fam)) ||
        strcmp(v->provider, c->billing.id) != 0 ||
        strcmp(v->claim_id, c->id) == 0 ||
        !c837_eng_overlap(v->dfrom, v->dto, ad - days, ad) ||
        claim_admitted(e, v->claim_id, v->provider))
      continue;
    c837_eng_date(d, v->from);
    c837_eng_date(a, c->admit_date);
    c837_eng_finding_by_claim(
        e, C837_EDIT_PAYMENT_WINDOW, C837_SEV_WARNING, C837_ACT_FLAGGED,
        C837_NO_INDEX,
        "%s of claim %s on %s, at this hospital, is on or within %d day%s "
        "before this admission of %s: it belongs on this inpatient claim "
        "(unless condition code 51 on it attests it is unrelated)",
        v->code, v->claim_id, d, days, days == 1 ? "" : "s", a);
    return;
  }
}

/* PAYMENT_WINDOW. */
static void payment_window(c837_engine *e)
{
  const c837_cctx *cx = &e->cl.cx;
  const c837_claim *c = e->cl.c;
  int days;
  if (!c->patient_key[0])
    return;
  days = c837_payers_window_days(e->payers, &cx->ps, c->billing.id);
  if (days <= 0)
    return;
  if (cx->outpatient && !cx->cc51)
    window_outpatient(e, days);
  else if (cx->inpatient && c->admit_date)
    window_inpatient(e, days);
}

/* The edits of the claim as a whole, in the order they run. */
static void (*const claim_edits[])(c837_engine *e) = {
    ip_integrity,             /* IP_CART_CLAIM_INTEGRITY */
    trial_coding,             /* CLINICAL_TRIAL_CODING */
    payment_window,           /* PAYMENT_WINDOW */
    c837_edit_product_pos,    /* PRODUCT_IN_FACILITY_POS */
    c837_edit_partb,          /* PARTB_FRACTIONAL_PRODUCT */
    c837_edit_noc,            /* NOC_PRODUCT_CODE */
    c837_edit_ndc,            /* PRODUCT_NDC */
    c837_edit_indication,     /* PRODUCT_INDICATION */
    c837_edit_step_payable,   /* STEP_NOT_PAYABLE */
};

void c837_edits_claim(c837_engine *e)
{
  size_t k;
  for (k = 0; k < sizeof claim_edits / sizeof claim_edits[0]; k++)
    claim_edits[k](e);
}
