/* edit_product.c -- the edits of a claim's product lines (issue 12)
 *
 * Run by edit_claim.c's table after the sequencing edits, each over the
 * claim's lines as the fixes before left them:
 *   PRODUCT_IN_FACILITY_POS   an 837P CAR-T product line in a hospital
 *                             place of service (19, 21, 22, 23), where
 *                             the hospital bills the product;
 *   PARTB_FRACTIONAL_PRODUCT  Medicare Part B's way of billing a product
 *                             over several claims: LU on fractions, 76
 *                             on the later claims of a date, the
 *                             $99,999.99 line limit, KX while required;
 *   NOC_PRODUCT_CODE          an unclassified code for a product whose own
 *                             code is valid, or without NDC or
 *                             description;
 *   PRODUCT_NDC               a product line without the NDC its payer
 *                             requires, or with another product's NDC;
 *   PRODUCT_INDICATION        no diagnosis of the product's label, or a
 *                             patient outside its age;
 *   STEP_NOT_PAYABLE          Medicare: covered charges on the steps
 *                             38225-38227 (0537T-0539T), which Medicare
 *                             does not pay separately.
 * Specification: specs/edits.md.
 */
#include "edit/engine_int.h"
#include "base/limits.h"

#include <stdio.h>
#include <string.h>

/* The Medicare Part B (MCS) limit of a line charge: $99,999.99. */
#define PARTB_LINE_MAX_CENTS 9999999

static int medicare_like(const c837_cctx *cx)
{
  return c837_payer_is_medicare_ffs(cx->ps.cls) ||
         cx->ps.cls == C837_PAYER_UNKNOWN;
}

/* 1 for a line of a CAR-T, TCR-T or TIL product (by code or NDC). */
static int cell_product(const c837_eline *x)
{
  return c837_ctx_is(x, C837_FAM_PRODUCT) || c837_ctx_is(x, C837_FAM_TCR) ||
         c837_ctx_is(x, C837_FAM_TIL);
}

static void append(char *buf, size_t sz, const char *what)
{
  size_t n = strlen(buf);
  snprintf(buf + n, sz - n, "%s%s", n ? "; " : "", what);
}

void c837_edit_product_pos(c837_engine *e)
{
  const c837_claim *c = e->cl.c;
  int med = medicare_like(&e->cl.cx);
  size_t i;
  if (c->kind != C837_KIND_P)
    return;
  for (i = 0; i < c->n_lines; i++) {
    const c837_eline *x = &e->cl.el[i];
    const char *pos = x->src->pos;
    if (!cell_product(x) ||
        (strcmp(pos, "19") != 0 && strcmp(pos, "21") != 0 &&
         strcmp(pos, "22") != 0 && strcmp(pos, "23") != 0))
      continue;
    c837_eng_finding_by_claim(
        e, C837_EDIT_PRODUCT_IN_FACILITY_POS,
        med ? C837_SEV_ERROR : C837_SEV_WARNING, C837_ACT_FLAGGED, i,
        "product %s is billed on a professional claim in place of service "
        "%s (a hospital): the hospital buys and bills the product; the "
        "physician bills the administration only",
        x->code, pos);
  }
}

/* 1 when the patient's product line of the same code, provider and date
 * came on an earlier claim (a history event). */
static int earlier_claim_same_date(const c837_engine *e, const c837_eline *x)
{
  size_t k;
  for (k = 0; k < e->cl.nev_hist; k++) {
    const c837_event *v = &e->cl.ev[k];
    if (strcmp(v->code, x->code) == 0 &&
        strcmp(v->provider, e->cl.c->billing.id) == 0 &&
        c837_eng_overlap(v->dfrom, v->dto, x->dfrom, x->dto))
      return 1;
  }
  return 0;
}

void c837_edit_partb(c837_engine *e)
{
  const c837_claim *c = e->cl.c;
  const c837_cctx *cx = &e->cl.cx;
  size_t i;
  if (c->kind != C837_KIND_P || !c837_payer_is_medicare_ffs(cx->ps.cls))
    return;
  for (i = 0; i < c->n_lines; i++) {
    const c837_eline *x = &e->cl.el[i];
    const c837_line *l = x->src;
    char why[400], d[16], w[96];
    if (!cell_product(x))
      continue;
    why[0] = 0;
    c837_eng_date(d, x->from);
    if (x->units_valid && x->units % C837_UNIT != 0 &&
        !c837_ctx_has_mod(l, "LU"))
      append(why, sizeof why,
             "fractional units without modifier LU (fractionated payment)");
    if (x->from && earlier_claim_same_date(e, x) &&
        !c837_ctx_has_mod(l, "76"))
      append(why, sizeof why,
             "a later claim for the same product and date without "
             "modifier 76");
    if (l->charge_ok && l->charge > PARTB_LINE_MAX_CENTS)
      append(why, sizeof why,
             "a line charge over $99,999.99, the most a Part B line may "
             "carry: bill the dose in fractions (LU) over several claims");
    if (c837_window_has(&cx->ps.kx_required, x->from) &&
        !c837_ctx_has_mod(l, "KX")) {
      snprintf(w, sizeof w, "no modifier KX, required on %s", d);
      append(why, sizeof why, w);
    }
    if (why[0])
      c837_eng_finding(e, C837_EDIT_PARTB_FRACTIONAL_PRODUCT, i,
                       "Medicare Part B product %s on %s: %s", x->code, d,
                       why);
  }
}

/* A code of the table for product of family fam, billed on this claim and
 * valid on date, or NULL. */
static const c837_code *own_code(const c837_engine *e, const char *product,
                                 int fam, int32_t date)
{
  size_t i, n = c837_codetable_count(e->t);
  for (i = 0; i < n; i++) {
    const c837_code *r = c837_codetable_at(e->t, i);
    if ((int)r->family != fam || strcmp(r->product, product) != 0 ||
        (r->valid_from && date < r->valid_from) ||
        (r->valid_to && date > r->valid_to) ||
        c837_code_setting(r, e->cl.c->kind, e->cl.c->tob) != C837_FIT_YES)
      continue;
    return r;
  }
  return NULL;
}

/* 1 when line l has a description of its drug: SV101-7 (837P) or
 * SV202-7 (837I). */
static int has_description(const c837_claim *c, const c837_line *l)
{
  const c837_segment *s;
  if (!c->segs || l->seg_sv == C837_NO_INDEX || l->seg_sv >= c->n_segs)
    return 0;
  s = &c->segs[l->seg_sv];
  return c837_seg_comp(s, l->sv == '2' ? 2 : 1, 7).len > 0;
}

/* 1 when the claim is about a cell therapy: a CAR-T step or product line,
 * a CAR-T PCS code; or line x is on revenue 0891 / 0892. */
static int cell_context(const c837_engine *e, const c837_eline *x)
{
  size_t i;
  if (e->cl.cx.pcs || strcmp(x->revenue, "0891") == 0 ||
      strcmp(x->revenue, "0892") == 0)
    return 1;
  for (i = 0; i < e->cl.c->n_lines; i++)
    if (c837_ctx_is(&e->cl.el[i], C837_FAM_STEP) ||
        cell_product(&e->cl.el[i]))
      return 1;
  return 0;
}

void c837_edit_noc(c837_engine *e)
{
  const c837_claim *c = e->cl.c;
  size_t i;
  for (i = 0; i < c->n_lines; i++) {
    const c837_eline *x = &e->cl.el[i];
    const c837_code *own;
    char d[16];
    int desc;
    if (x->removed || !x->row || x->fam != C837_FAM_NOC)
      continue;
    c837_eng_date(d, x->from);
    if (x->pfam != C837_FAM_NOC && x->product && x->from &&
        (own = own_code(e, x->product, x->pfam, x->from)) != NULL) {
      c837_eng_finding(e, C837_EDIT_NOC_PRODUCT_CODE, i,
                       "unclassified code %s carries the NDC of %s (%s), "
                       "whose own code %s is valid on %s: bill %s",
                       x->code, x->product, x->ndc->brand, own->code, d,
                       own->code);
      continue;
    }
    desc = has_description(c, x->src);
    if ((x->has_ndc && desc) || !cell_context(e, x))
      continue;
    c837_eng_finding_by_claim(
        e, C837_EDIT_NOC_PRODUCT_CODE, C837_SEV_WARNING, C837_ACT_FLAGGED, i,
        "unclassified code %s on %s has no %s%s%s: payers need both to "
        "tell which product it bills",
        x->code, d, x->has_ndc ? "" : "NDC (LIN*N4)",
        !x->has_ndc && !desc ? " and no " : "",
        desc ? "" : (c->kind == C837_KIND_I ? "description (SV202-7)"
                                            : "description (SV101-7)"));
  }
}

void c837_edit_ndc(c837_engine *e)
{
  const c837_claim *c = e->cl.c;
  const c837_cctx *cx = &e->cl.cx;
  size_t i;
  if (cx->inpatient)
    return; /* all-inclusive DRG payment: no NDC requirement */
  for (i = 0; i < c->n_lines; i++) {
    const c837_eline *x = &e->cl.el[i];
    if (x->removed || !x->row || x->fam == C837_FAM_NOC ||
        !c837_family_is_product(x->fam) || !x->product)
      continue;
    if (x->ndc && strcmp(x->ndc->product, x->product) != 0) {
      c837_eng_finding_by_claim(
          e, C837_EDIT_PRODUCT_NDC,
          cx->ps.ndc_required ? C837_SEV_ERROR : C837_SEV_WARNING,
          cx->ps.ndc_required ? C837_ACT_HELD : C837_ACT_FLAGGED, i,
          "product %s (%s) carries the NDC %s of another product, %s (%s)",
          x->code, x->product, x->ndc->ndc, x->ndc->product, x->ndc->brand);
    } else if (!x->has_ndc && cx->ps.ndc_required) {
      c837_eng_finding(e, C837_EDIT_PRODUCT_NDC, i,
                       "product %s has no NDC (LIN*N4), which payer class "
                       "%s requires on a physician-administered drug",
                       x->code, c837_payer_class_name(cx->ps.cls));
    }
  }
}

/* 1 when line i is the claim's first line of product x->product. */
static int first_of_product(const c837_engine *e, size_t i)
{
  size_t k;
  for (k = 0; k < i; k++) {
    const c837_eline *y = &e->cl.el[k];
    if (!y->removed && y->row && y->product &&
        strcmp(y->product, e->cl.el[i].product) == 0)
      return 0;
  }
  return 1;
}

void c837_edit_indication(c837_engine *e)
{
  const c837_claim *c = e->cl.c;
  const char *dx[C837_MAX_CLAIM_HI_CODES];
  size_t i, n = 0;
  for (i = 0; i < c->n_dx && n < C837_MAX_CLAIM_HI_CODES; i++)
    dx[n++] = c->dx[i].code;
  if (!n)
    return; /* no diagnosis read: nothing to compare (the 837 requires
               one) */
  for (i = 0; i < c->n_lines; i++) {
    const c837_eline *x = &e->cl.el[i];
    c837_indication_check ck;
    c837_pfinding *p;
    char d[16];
    if (x->removed || !x->row || !c837_family_is_product(x->pfam) ||
        !x->product || !first_of_product(e, i))
      continue;
    c837_codetable_indication(e->t, x->product, dx, n, c->patient_dob,
                              x->from, &ck);
    if (!ck.rows)
      continue;
    c837_eng_date(d, x->from);
    if (!ck.dx_match)
      c837_eng_finding(e, C837_EDIT_PRODUCT_INDICATION, i,
                       "product %s (%s) on %s: no diagnosis of the claim "
                       "is in its label's indications (%s ...)",
                       x->code, x->product, d,
                       ck.row ? ck.row->dx_prefixes : "");
    if (ck.age_ok == 0) {
      p = c837_eng_finding(e, C837_EDIT_PRODUCT_INDICATION, i,
                           "product %s (%s) on %s: the patient, %d years "
                           "old, is outside its label's ages (%s)",
                           x->code, x->product, d,
                           c837_age_years(c->patient_dob, x->from),
                           ck.row ? ck.row->indication : "");
      if (p)
        p->f.carc = "6"; /* age, not diagnosis: specs/edits.md */
    }
  }
}

void c837_edit_step_payable(c837_engine *e)
{
  const c837_claim *c = e->cl.c;
  const c837_cctx *cx = &e->cl.cx;
  size_t i;
  if (!c837_payer_is_medicare_ffs(cx->ps.cls))
    return;
  for (i = 0; i < c->n_lines; i++) {
    const c837_eline *x = &e->cl.el[i];
    const c837_line *l = x->src;
    char amt[32];
    if (!c837_ctx_is(x, C837_FAM_STEP) || x->row->step < 1 ||
        x->row->step > 3 || !l->charge_ok)
      continue;
    if (c->kind == C837_KIND_P && x->row->pfs_payable == C837_PAYABLE_NO &&
        l->charge > 0) {
      c837_format_decimal(amt, sizeof amt, l->charge, 2);
      c837_eng_finding(e, C837_EDIT_STEP_NOT_PAYABLE, i,
                       "%s (charge %s) is not paid separately on the "
                       "Medicare physician fee schedule: collection and "
                       "processing are bundled into the product",
                       x->code, amt);
    } else if (cx->outpatient && l->charge - l->noncovered > 0) {
      c837_format_decimal(amt, sizeof amt, l->charge - l->noncovered, 2);
      c837_eng_finding(e, C837_EDIT_STEP_NOT_PAYABLE, i,
                       "%s has covered charges of %s on an outpatient bill; "
                       "Medicare rejects these lines: report them as "
                       "non-covered (SV207 = SV203)",
                       x->code, amt);
    }
  }
}
