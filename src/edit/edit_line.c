/* edit_line.c -- the edits that judge one service line at a time
 *
 * For each line of the claim, in order: a tracked line without a date
 * of service (SERVICE_DATE_MISSING), code validity on the date of
 * service (CODE_DELETED, CODE_NOT_EFFECTIVE, with the crosswalk fix),
 * unit basis and units (UNIT_BASIS_INVALID, UNITS_INVALID), the 837I
 * revenue pairing (REVENUE_CODE_MISMATCH), a step on an inpatient bill
 * (INPATIENT_PROCEDURE_LINE), units against cap x days
 * (UNITS_OVER_DAILY_MAX), a per-day code over a date range
 * (RANGE_SPANS_DAYS, within the claim's loop 2400 limit), a range that
 * runs past its code's last valid date (CODE_DELETED again: the days
 * after go out under the successor, or the claim is held), and finally
 * the per-day sum over this claim's earlier lines and the patient's
 * remembered lines, per code of each day (DUPLICATE_DAY).
 * Every edit sees the values left by the fixes before it: a crosswalked
 * code is the code the later edits check.  The order is the table
 * line_edits at the end; findings and fixes go to verdict.c.
 * Specification: specs/edits.md.
 */
#include "edit/engine_int.h"
#include "base/limits.h"
#include "base/buf.h"
#include "base/util.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* snprintf without the compiler's truncation guesses: every buffer here
 * is a report field where a cut is acceptable. */
static void fmt(char *buf, size_t n, const char *f, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
static void fmt(char *buf, size_t n, const char *f, ...)
{
  va_list ap;
  va_start(ap, f);
  vsnprintf(buf, n, f, ap);
  va_end(ap);
}

static int is_cart(const c837_eline *x)
{
  return x->fam == C837_FAM_STEP || x->fam == C837_FAM_PRODUCT;
}

/* A CAR-T line with a per-day cap: the unit edits apply. */
static int capped(const c837_eline *x)
{
  return is_cart(x) && x->row->cap > 0;
}

static int valid_on(const c837_code *r, int32_t d)
{
  return (!r->valid_from || d >= r->valid_from) &&
         (!r->valid_to || d <= r->valid_to);
}

static const char *basis_el(const c837_engine *e)
{
  return e->cl.c->kind == C837_KIND_I ? "SV204" : "SV103";
}

static const char *units_el(const c837_engine *e)
{
  return e->cl.c->kind == C837_KIND_I ? "SV205" : "SV104";
}

static const char *unit_word(int64_t micro)
{
  return micro == C837_UNIT ? "unit" : "units";
}

/* SERVICE_DATE_MISSING: a tracked line with no date of service, its
 * own or the claim's: no date-based edit can judge it. */
static void edit_date_missing(c837_engine *e, size_t i)
{
  const c837_eline *x = &e->cl.el[i];
  const c837_line *l = x->src;
  if (!x->tracked || x->from)
    return;
  c837_eng_finding(e, C837_EDIT_SERVICE_DATE_MISSING, i,
                   "%s%s has no date of service: %s, and the claim has no "
                   "DTP*472 or DTP*434 date to fall back on; the date-based "
                   "edits cannot judge it",
                   x->code[0] ? x->code : "revenue ",
                   x->code[0] ? "" : x->revenue,
                   l->seg_dtp != C837_NO_INDEX
                       ? "its DTP*472 is not a valid date"
                       : "it has no DTP*472");
}

/* CODE_DELETED and CODE_NOT_EFFECTIVE. */
static void edit_validity(c837_engine *e, size_t i)
{
  c837_eline *x = &e->cl.el[i];
  const c837_code *r = x->row, *to = NULL, *elsewhere = NULL;
  char d[16], lim[16];
  c837_pfinding *p;
  int deleted;
  if (!is_cart(x) || !x->from)
    return;
  if (r->valid_to && x->from > r->valid_to)
    deleted = 1;
  else if (r->valid_from && x->from < r->valid_from)
    deleted = 0;
  else
    return;
  if (r->crosswalk[0])
    to = c837_codetable_find(e->t, r->crosswalk);
  if (to && (to->family != r->family || !valid_on(to, x->from)))
    to = NULL;
  /* a code billed only elsewhere (a C-code off an outpatient bill) is no
   * fix: specs/codes.md, "settings" */
  if (to && c837_code_setting(to, e->cl.c->kind, e->cl.c->tob) !=
                C837_FIT_YES) {
    elsewhere = to;
    to = NULL;
  }
  c837_eng_date(d, x->from);
  c837_eng_date(lim, deleted ? r->valid_to : r->valid_from);
  if (to) {
    p = c837_eng_finding(
        e, deleted ? C837_EDIT_CODE_DELETED : C837_EDIT_CODE_NOT_EFFECTIVE, i,
        deleted ? "%s is not valid on %s: its last valid date of service "
                  "is %s, and %s replaces it"
                : "%s is not valid on %s: it is valid from %s, and %s was "
                  "the code for that date",
        x->code, d, lim, to->code);
    if (p) {
      c837_eng_copy(p->f.before, sizeof p->f.before, x->code);
      c837_eng_copy(p->f.after, sizeof p->f.after, to->code);
      c837_eng_fixdesc(p, "code %s -> %s", x->code, to->code);
    }
    c837_eng_fix(e, C837_FIX_CODE, i, to->code);
    c837_eng_copy(x->code, sizeof x->code, to->code);
    x->row = to;
    x->fam = (int)to->family;
  } else if (elsewhere) {
    c837_eng_finding_as(
        e, deleted ? C837_EDIT_CODE_DELETED : C837_EDIT_CODE_NOT_EFFECTIVE,
        C837_ACT_HELD, i,
        deleted ? "%s is not valid on %s: its last valid date of service "
                  "is %s, and its successor %s is not billed on this claim "
                  "(only on %s)"
                : "%s is not valid on %s: it is valid from %s, and its "
                  "predecessor %s is not billed on this claim (only on %s)",
        x->code, d, lim, elsewhere->code, elsewhere->settings);
  } else {
    c837_eng_finding_as(
        e, deleted ? C837_EDIT_CODE_DELETED : C837_EDIT_CODE_NOT_EFFECTIVE,
        C837_ACT_HELD, i,
        deleted ? "%s is not valid on %s: its last valid date of service "
                  "is %s, and the table has no successor valid then"
                : "%s is not valid on %s: it is valid from %s, and the "
                  "table has no predecessor valid then",
        x->code, d, lim);
  }
}

/* UNIT_BASIS_INVALID and UNITS_INVALID. */
static void edit_units_valid(c837_engine *e, size_t i)
{
  c837_eline *x = &e->cl.el[i];
  const c837_line *l = x->src;
  if (!is_cart(x))
    return;
  if (strcmp(l->unit_basis, "UN") != 0)
    c837_eng_finding(e, C837_EDIT_UNIT_BASIS_INVALID, i,
                     "%s has unit basis '%s' in %s; a CAR-T line is billed "
                     "in units (UN)",
                     x->code, l->unit_basis, basis_el(e));
  if (!l->units_ok) {
    x->units_valid = 0;
    c837_eng_finding(e, C837_EDIT_UNITS_INVALID, i,
                     l->units_raw[0] ? "%s has units '%s' in %s, which is "
                                       "not a number"
                                     : "%s has no units in %s%s",
                     x->code, l->units_raw[0] ? l->units_raw : units_el(e),
                     l->units_raw[0] ? units_el(e) : "");
  } else if (l->units <= 0) {
    x->units_valid = 0;
    c837_eng_finding(e, C837_EDIT_UNITS_INVALID, i,
                     "%s has units '%s' in %s; units must be more than 0",
                     x->code, l->units_raw, units_el(e));
  } else if (!x->row->fractional && l->units % C837_UNIT != 0) {
    x->units_valid = 0;
    c837_eng_finding(e, C837_EDIT_UNITS_INVALID, i,
                     "%s has units '%s' in %s; this code is billed in whole "
                     "units only",
                     x->code, l->units_raw, units_el(e));
  }
}

static int car_t_revenue(const char *rev)
{
  return strcmp(rev, "0871") == 0 || strcmp(rev, "0872") == 0 ||
         strcmp(rev, "0873") == 0 || strcmp(rev, "0874") == 0;
}

/* 1 when a code of family fam on 087X is not a CAR-T miscoding: 087X is
 * cell and gene therapy (NUBC), so a TCR-T, TIL, stem-cell gene therapy
 * or other cell product, an unclassified drug, and a stem-cell collection
 * (watch codes: 38206 for a gene therapy) belong there (specs/edits.md,
 * REVENUE_CODE_MISMATCH). */
static int cell_family(int fam)
{
  return fam == C837_FAM_WATCH || fam == C837_FAM_NOC ||
         (fam != C837_FAM_PRODUCT && c837_family_is_product(fam));
}

/* REVENUE_CODE_MISMATCH (837I). */
static void edit_revenue(c837_engine *e, size_t i)
{
  c837_eline *x = &e->cl.el[i];
  c837_pfinding *p;
  c837_revfit fit;
  if (e->cl.c->kind != C837_KIND_I)
    return;
  /* no pairing before the revenue codes existed (087X / 089X from
   * 2019-04-01: specs/revenue.csv) */
  fit = is_cart(x) ? c837_codetable_revenue_fit(e->t, x->row, x->revenue,
                                                 x->from, e->cl.c->kind,
                                                 e->cl.c->tob)
                   : C837_REVFIT_NO_PAIRING;
  if (fit == C837_REVFIT_SETTING) {
    /* 0892 with a CAR-T product off an inpatient bill: a warning */
    c837_eng_finding_by_claim(
        e, C837_EDIT_REVENUE_CODE_MISMATCH, C837_SEV_WARNING,
        C837_ACT_FLAGGED, i,
        "%s is billed on revenue code '%s', which is accepted for it on "
        "inpatient bills only; on type of bill %s it belongs on 0891",
        x->code, x->revenue, e->cl.c->tob);
    return;
  }
  if (fit == C837_REVFIT_UNLISTED) {
    char want[C837_CODE_MAX];
    const char *bar = strchr(x->row->revenue, '|');
    size_t n = bar ? (size_t)(bar - x->row->revenue) : strlen(x->row->revenue);
    if (n >= sizeof want)
      n = sizeof want - 1;
    memcpy(want, x->row->revenue, n);
    want[n] = 0;
    if (x->fam == C837_FAM_STEP) {
      p = c837_eng_finding(e, C837_EDIT_REVENUE_CODE_MISMATCH, i,
                           "%s is billed on revenue code '%s'; the table "
                           "pairs it with %s",
                           x->code, x->revenue, x->row->revenue);
      if (p) {
        c837_eng_copy(p->f.before, sizeof p->f.before, x->revenue);
        c837_eng_copy(p->f.after, sizeof p->f.after, want);
        c837_eng_fixdesc(p, "revenue code %s -> %s", x->revenue, want);
      }
      c837_eng_fix(e, C837_FIX_REVENUE, i, want);
      c837_eng_copy(x->revenue, sizeof x->revenue, want);
    } else {
      c837_eng_finding_as(e, C837_EDIT_REVENUE_CODE_MISMATCH, C837_ACT_HELD, i,
                          "%s is billed on revenue code '%s'; the table pairs "
                          "it with %s",
                          x->code, x->revenue, x->row->revenue);
    }
    return;
  }
  /* case (b): not on an inpatient bill, whose 087X lines carry no
   * HCPCS (the 837I guide: SV202 only for drugs and HIPPS codes) */
  if (car_t_revenue(x->revenue) && x->fam != C837_FAM_STEP &&
      !e->cl.cx.inpatient) {
    if (x->code[0] && cell_family(x->fam))
      return;
    if (x->code[0])
      c837_eng_finding_by_claim(
          e, C837_EDIT_REVENUE_CODE_MISMATCH, C837_SEV_WARNING,
          C837_ACT_FLAGGED, i,
          "revenue code %s (cell and gene therapy) carries %s, which is "
          "not a CAR-T step code nor a code of another cell or gene "
          "therapy",
          x->revenue, x->code);
    else
      c837_eng_finding_as(e, C837_EDIT_REVENUE_CODE_MISMATCH, C837_ACT_HELD, i,
                       "revenue code %s is for a CAR-T step but the line "
                       "has no HCPCS code",
                       x->revenue);
  }
}

/* UNITS_OVER_DAILY_MAX. */
static void edit_units_over(c837_engine *e, size_t i)
{
  c837_eline *x = &e->cl.el[i];
  int64_t days = x->from ? (int64_t)x->dto - x->dfrom + 1 : 1;
  int64_t max;
  char u[32], cap[32], m[32], r[40];
  c837_pfinding *p;
  if (!capped(x) || !x->units_valid)
    return;
  /* cap x days beyond int64 micro-units: no billed quantity can exceed
   * it (the code table bounds caps, so only a damaged row gets here) */
  if (c837_eng_cap_days(x->row->cap, days, &max) != 0 || x->units <= max)
    return;
  c837_eng_units(u, x->units);
  c837_eng_units(cap, x->row->cap);
  c837_eng_units(m, max);
  c837_eng_range(r, x->from, x->to);
  if (days == 1)
    p = c837_eng_finding(e, C837_EDIT_UNITS_OVER_DAILY_MAX, i,
                         "%s billed %s %s on %s; the cap is %s per day",
                         x->code, u, unit_word(x->units), r, cap);
  else
    p = c837_eng_finding(e, C837_EDIT_UNITS_OVER_DAILY_MAX, i,
                         "%s billed %s %s for %s (%lld days); the cap is %s "
                         "per day, %s for the range",
                         x->code, u, unit_word(x->units), r, (long long)days,
                         cap, m);
  if (p) {
    c837_eng_copy(p->f.before, sizeof p->f.before, u);
    c837_eng_copy(p->f.after, sizeof p->f.after, m);
    c837_eng_fixdesc(p, "units %s -> %s", u, m);
  }
  c837_eng_fix(e, C837_FIX_UNITS, i, m);
  x->units = max;
}

/* The most service lines a claim of this kind may have (loop 2400's
 * repeat in its implementation guide). */
static size_t loop_limit(const c837_engine *e)
{
  return e->cl.c->kind == C837_KIND_I ? C837_MAX_LINES_837I
                                      : C837_MAX_LINES_837P;
}

/* RANGE_SPANS_DAYS. */
static void edit_range(c837_engine *e, size_t i)
{
  c837_eline *x = &e->cl.el[i];
  int64_t days = (int64_t)x->dto - x->dfrom + 1;
  int64_t whole = 0;
  int per_day, fits;
  char u[C837_UNITS_MAX], cap[32], r[40];
  c837_pfinding *p;
  /* never on an inpatient bill: its lines carry no DTP*472 to split */
  if (!capped(x) || !x->from || x->dto <= x->dfrom || e->cl.cx.inpatient)
    return;
  /* 1 when the claim stays within its loop 2400 limit once split */
  fits = e->cl.nout + (size_t)(days - 1) <= loop_limit(e) &&
         days <= C837_MAX_SPLIT_DAYS;
  /* 1 when the line carries exactly cap units for every day */
  per_day = x->units_valid &&
            c837_eng_cap_days(x->row->cap, days, &whole) == 0 &&
            x->units == whole;
  c837_eng_range(r, x->from, x->to);
  c837_eng_units(cap, x->row->cap);
  if (x->units_valid)
    c837_eng_units(u, x->units);
  else
    c837_eng_copy(u, sizeof u, x->src->units_raw);
  if (per_day && fits && x->src->charge_ok) {
    p = c837_eng_finding(e, C837_EDIT_RANGE_SPANS_DAYS, i,
                         "%s is billed per day but one line covers %s (%lld "
                         "days) with %s units",
                         x->code, r, (long long)days, u);
    if (p) {
      c837_eng_copy(p->f.before, sizeof p->f.before, r);
      fmt(p->f.after, sizeof p->f.after, "%lld lines of %s", (long long)days,
          cap);
      c837_eng_fixdesc(p, "split into %lld lines of %s %s, one per date",
                       (long long)days, cap, unit_word(x->row->cap));
    }
    c837_eng_fix(e, C837_FIX_SPLIT, i, cap);
    x->split = 1;
    e->cl.nout += (size_t)(days - 1);
  } else if (days > C837_MAX_SPLIT_DAYS) {
    c837_eng_finding_as(e, C837_EDIT_RANGE_SPANS_DAYS, C837_ACT_FLAGGED, i,
                        "%s is billed per day but one line covers %s (%lld "
                        "days), more than the %d days a line may be split into",
                        x->code, r, (long long)days, C837_MAX_SPLIT_DAYS);
  } else if (per_day && !fits) {
    c837_eng_finding_as(e, C837_EDIT_RANGE_SPANS_DAYS, C837_ACT_FLAGGED, i,
                        "%s is billed per day but one line covers %s (%lld "
                        "days); split per day, the claim would have %lu "
                        "service lines, more than the %lu loop 2400 allows "
                        "on an %s claim, so it is not split",
                        x->code, r, (long long)days,
                        (unsigned long)(e->cl.nout + (size_t)(days - 1)),
                        (unsigned long)loop_limit(e),
                        c837_kind_name(e->cl.c->kind));
  } else if (per_day) {
    c837_eng_finding_as(e, C837_EDIT_RANGE_SPANS_DAYS, C837_ACT_FLAGGED, i,
                     "%s is billed per day but one line covers %s (%lld "
                     "days); its charge cannot be read, so it cannot be "
                     "split",
                     x->code, r, (long long)days);
  } else {
    c837_eng_finding_as(e, C837_EDIT_RANGE_SPANS_DAYS, C837_ACT_FLAGGED, i,
                     "%s is billed per day but one line covers %s (%lld "
                     "days) with %s units, not %s per day, so it cannot be "
                     "split",
                     x->code, r, (long long)days, u, cap);
  }
}

/* CODE_DELETED over a range: a line whose first day its code is valid
 * on (or fixed for) but whose range runs past the code's last valid
 * date.  Split per day (RANGE_SPANS_DAYS), the days after go out under
 * the successor (a CODE_FROM fix); otherwise the line would go out with
 * a deleted code for those days, and the claim is held. */
static void edit_validity_span(c837_engine *e, size_t i)
{
  c837_eline *x = &e->cl.el[i];
  const c837_code *to = NULL;
  int32_t sw;
  char r[40], last[16], first[16];
  c837_pfinding *p;
  if (!is_cart(x) || !x->from || x->dto <= x->dfrom)
    return;
  sw = c837_eng_code_switch(e->t, x->row, x->from, x->to, &to);
  if (!sw)
    return;
  c837_eng_range(r, x->from, x->to);
  c837_eng_date(last, x->row->valid_to);
  c837_eng_date(first, c837_days_to_date(sw));
  if (to && x->split) {
    c837_fix *fx;
    p = c837_eng_finding(e, C837_EDIT_CODE_DELETED, i,
                         "%s is billed for %s, past %s, its last valid date "
                         "of service, and %s replaces it from %s",
                         x->code, r, last, to->code, first);
    if (p) {
      c837_eng_copy(p->f.before, sizeof p->f.before, x->code);
      c837_eng_copy(p->f.after, sizeof p->f.after, to->code);
      c837_eng_fixdesc(p, "the lines of the split dated %s on carry %s",
                       first, to->code);
    }
    fx = c837_eng_fix(e, C837_FIX_CODE_FROM, i, to->code);
    if (fx)
      fx->date = c837_days_to_date(sw);
    x->row2 = to;
    x->dswitch = sw;
    return;
  }
  c837_eng_finding_as(e, C837_EDIT_CODE_DELETED, C837_ACT_HELD, i,
                      "%s is billed for %s, past %s, its last valid date of "
                      "service, %s",
                      x->code, r, last,
                      to ? "and the line is not split per day (see "
                           "RANGE_SPANS_DAYS): the days from then on would "
                           "go out under a deleted code"
                         : "and the table has no successor valid for the "
                           "days after");
}

/* The code of claim line y on day number d (a split line whose code
 * ends inside its range changes code; specs/edits.md, CODE_DELETED). */
static const char *code_on(const c837_eline *y, int32_t d)
{
  return y->dswitch && d >= y->dswitch ? y->row2->code : y->code;
}

/* The same for an event. */
static const char *ev_code_on(const c837_event *v, int32_t d)
{
  return v->dswitch && v->code2 && d >= v->dswitch ? v->code2 : v->code;
}

/* The per-day cap of line x on day d. */
static int64_t cap_on(const c837_eline *x, int32_t d)
{
  return x->dswitch && d >= x->dswitch ? x->row2->cap : x->row->cap;
}

/* 1 when code a (a2 from a switch day on, or NULL) and code b (b2) can
 * be the same code on some day. */
static int may_match(const char *a, const char *a2, const char *b,
                     const char *b2)
{
  return strcmp(a, b) == 0 || (a2 && strcmp(a2, b) == 0) ||
         (b2 && strcmp(a, b2) == 0) || (a2 && b2 && strcmp(a2, b2) == 0);
}

static const char *code2_of(const c837_eline *y)
{
  return y->dswitch ? y->row2->code : NULL;
}

/* Units counted on day d for the same code, patient and provider as
 * line i: *same from this claim's earlier lines, *other from remembered
 * lines; *who = the first earlier claim contributing.  "The same code"
 * is the code each line carries on day d. */
static void dup_sum(const c837_engine *e, size_t i, int32_t d, int64_t *same,
                    int64_t *other, const char **who)
{
  const c837_eline *x = &e->cl.el[i];
  const char *xc = code_on(x, d);
  size_t j;
  *same = *other = 0;
  *who = NULL;
  for (j = 0; j < i; j++) {
    const c837_eline *y = &e->cl.el[j];
    if (y->removed || !y->units_valid || !y->from || !is_cart(y) ||
        strcmp(code_on(y, d), xc) != 0)
      continue;
    *same = c837_eng_sat_add(*same,
                             c837_eng_day_share(y->units, y->dfrom, y->dto, d));
  }
  for (j = 0; j < e->cl.nev_hist; j++) {
    const c837_event *v = &e->cl.ev[j];
    int64_t s;
    if (strcmp(ev_code_on(v, d), xc) != 0 ||
        strcmp(v->provider, e->cl.c->billing.id) != 0)
      continue;
    s = c837_eng_day_share(v->units, v->dfrom, v->dto, d);
    if (s > 0 && !*who)
      *who = v->claim_id;
    *other = c837_eng_sat_add(*other, s);
  }
}

/* Day numbers in increasing order (qsort). */
static int cmp_day(const void *a, const void *b)
{
  int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
  return x < y ? -1 : x > y;
}

/* Adds day d to the candidate days of e; sets e->oom on failure. */
static void add_cand(c837_engine *e, size_t *n, int32_t d)
{
  if (c837_vec_reserve(&e->cl.cand, &e->cl.capcand, *n + 1, sizeof *e->cl.cand,
                       64, 0) != 0) {
    e->oom = 1;
    return;
  }
  e->cl.cand[(*n)++] = d;
}

/* DUPLICATE_DAY: the days where line i's daily sum may change, in
 * e->cl.cand (returns how many; e->oom set on ENOMEM).  The daily sum is
 * constant between breakpoints: the first day of a line (it carries the
 * remainder of an uneven spread), the day after, and the day after its
 * last.  Only those days, within this line's range, need a look. */
static size_t dup_candidates(c837_engine *e, size_t i)
{
  const c837_eline *x = &e->cl.el[i];
  const char *x2 = code2_of(x);
  size_t j, n = 0, n_src = i + e->cl.nev_hist;
  for (j = 0; j <= n_src; j++) {
    int32_t a, b, sw = 0;
    if (j == n_src) {
      a = x->dfrom;
      b = x->dto;
      sw = x->dswitch;
    } else if (j < i) {
      const c837_eline *y = &e->cl.el[j];
      if (y->removed || !y->from || !y->units_valid ||
          !may_match(y->code, code2_of(y), x->code, x2))
        continue;
      a = y->dfrom;
      b = y->dto;
      sw = y->dswitch;
    } else {
      const c837_event *v = &e->cl.ev[j - i];
      if (!may_match(v->code, v->code2, x->code, x2) ||
          strcmp(v->provider, e->cl.c->billing.id) != 0)
        continue;
      a = v->dfrom;
      b = v->dto;
      sw = v->dswitch;
    }
    if (!c837_eng_overlap(a, b, x->dfrom, x->dto))
      continue;
    a = a < x->dfrom ? x->dfrom : a;
    add_cand(e, &n, a);
    if (a + 1 <= x->dto)
      add_cand(e, &n, a + 1);
    if (b + 1 <= x->dto)
      add_cand(e, &n, b + 1);
    if (sw > x->dfrom && sw <= x->dto)
      add_cand(e, &n, sw); /* the line's code changes that day */
  }
  return n;
}

/* The first day of a line over its cap, and what made it so. */
typedef struct dup_hit {
  int32_t day;          /* day number */
  int64_t same, other;  /* units of this claim's earlier lines, of
                           remembered lines */
  int64_t own;          /* units of the line that day */
  const char *who;      /* the first earlier claim contributing */
  int earlier_claim;    /* on some day over the cap, earlier claims count */
} dup_hit;

/* 1 and *hit when some day of line i is over the cap; each candidate
 * day is looked at once. */
static int dup_find(c837_engine *e, size_t i, dup_hit *hit)
{
  const c837_eline *x = &e->cl.el[i];
  size_t k, n = dup_candidates(e, i);
  int fired = 0;
  if (e->oom)
    return 0;
  memset(hit, 0, sizeof *hit);
  qsort(e->cl.cand, n, sizeof *e->cl.cand, cmp_day);
  for (k = 0; k < n; k++) {
    int32_t d = e->cl.cand[k];
    int64_t same, other, own;
    const char *who;
    if (k > 0 && d == e->cl.cand[k - 1])
      continue;
    own = c837_eng_day_share(x->units, x->dfrom, x->dto, d);
    dup_sum(e, i, d, &same, &other, &who);
    if (c837_eng_sat_add(c837_eng_sat_add(same, other), own) <= cap_on(x, d))
      continue;
    if (other > 0)
      hit->earlier_claim = 1;
    if (!fired) {
      fired = 1;
      hit->day = d;
      hit->same = same;
      hit->other = other;
      hit->own = own;
      hit->who = who;
    }
  }
  return fired;
}

/* The DUPLICATE_DAY finding of line i: held when earlier claims count
 * (this claim cannot undo them), else the line is removed. */
static void dup_report(c837_engine *e, size_t i, const dup_hit *h)
{
  c837_eline *x = &e->cl.el[i];
  char dd[16], own[32], prior[32], s1[32], s2[32], capb[32];
  c837_pfinding *p;
  c837_eng_date(dd, c837_days_to_date(h->day));
  c837_eng_units(own, h->own);
  c837_eng_units(prior, h->same + h->other);
  c837_eng_units(s1, h->same);
  c837_eng_units(s2, h->other);
  c837_eng_units(capb, cap_on(x, h->day));
  if (h->earlier_claim) {
    c837_eng_finding_as(e, C837_EDIT_DUPLICATE_DAY, C837_ACT_HELD, i,
                        "%s on %s: %s on this line plus %s already billed "
                        "that day for the same patient and provider (%s on "
                        "this claim, %s on earlier claims, first %s) exceed "
                        "the cap of %s per day",
                        code_on(x, h->day), dd, own, prior, s1, s2,
                        h->who ? h->who : "?", capb);
    return;
  }
  p = c837_eng_finding(e, C837_EDIT_DUPLICATE_DAY, i,
                       "%s on %s: %s on this line plus %s on earlier lines "
                       "of this claim for the same patient and provider "
                       "exceed the cap of %s per day",
                       code_on(x, h->day), dd, own, s1, capb);
  if (p) {
    c837_eng_units(s1, x->units);
    c837_eng_copy(p->f.before, sizeof p->f.before, s1);
    snprintf(p->f.after, sizeof p->f.after, "removed");
    c837_eng_fixdesc(p, "line removed");
  }
  c837_eng_drop_fixes(e, i);
  c837_eng_fix(e, C837_FIX_REMOVE, i, "");
  x->removed = 1;
  e->cl.nout -= x->split ? (size_t)(x->dto - x->dfrom + 1) : 1;
}

/* DUPLICATE_DAY. */
static void edit_duplicate(c837_engine *e, size_t i)
{
  const c837_eline *x = &e->cl.el[i];
  dup_hit hit;
  if (!capped(x) || !x->units_valid || !x->from)
    return;
  if (dup_find(e, i, &hit))
    dup_report(e, i, &hit);
}

/* INPATIENT_PROCEDURE_LINE (837I). */
static void edit_inpatient(c837_engine *e, size_t i)
{
  const c837_eline *x = &e->cl.el[i];
  const c837_claim *c = e->cl.c;
  if (c->kind != C837_KIND_I || !is_cart(x) || x->fam != C837_FAM_STEP ||
      strncmp(c->tob, "11", 2) != 0)
    return;
  c837_eng_finding(e, C837_EDIT_INPATIENT_PROCEDURE_LINE, i,
                   "%s is a CAR-T step on an inpatient bill (type of bill "
                   "%s); inpatient CAR-T is reported with an ICD-10-PCS "
                   "procedure code, not a service line",
                   x->code, c->tob);
}

/* The per-line edits, in the order they run on each line (specs/edits.md,
 * "Evaluation", 2): each sees the values the fixes before it left, and
 * each decides itself whether the line is one it judges. */
static void (*const line_edits[])(c837_engine *e, size_t i) = {
    edit_date_missing, /* SERVICE_DATE_MISSING */
    edit_validity,   /* CODE_DELETED, CODE_NOT_EFFECTIVE */
    edit_units_valid, /* UNIT_BASIS_INVALID, UNITS_INVALID */
    edit_revenue,    /* REVENUE_CODE_MISMATCH */
    edit_inpatient,  /* INPATIENT_PROCEDURE_LINE */
    edit_units_over, /* UNITS_OVER_DAILY_MAX */
    edit_range,      /* RANGE_SPANS_DAYS */
    edit_validity_span, /* CODE_DELETED: a range past the code's end */
    edit_duplicate,  /* DUPLICATE_DAY */
};

void c837_edits_line(c837_engine *e)
{
  size_t i, k;
  for (i = 0; i < e->cl.c->n_lines; i++)
    for (k = 0; k < sizeof line_edits / sizeof line_edits[0]; k++)
      line_edits[k](e, i);
}
