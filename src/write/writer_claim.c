/* writer_claim.c -- applies a verdict's fixes to one claim
 *
 * A fixed claim is written segment by segment from its raw input bytes.
 * Only the elements a fix changes are replaced (writer_edit.c splices
 * them in); everything else is copied through:
 *
 *   UNITS    SV104 (837P) / SV205 (837I) := value
 *   CODE     SV101-2 / SV202-2 := value (qualifier, modifiers kept)
 *   REVENUE  SV201 := value
 *   REMOVE   the line's segments (LX through its last one) are left out
 *   SPLIT    the line is written once per date of its range: quantity :=
 *            value, DTP*472*RD8 -> D8 with that date (a DTP*472*D8 is
 *            added after the SV segment when the line had none), the
 *            charge (and SV207) divided evenly, leftover cents first
 *   CODE_FROM with a SPLIT: the copies dated from its date on get code
 *            := value (a code that ends inside the range)
 *
 * Fixes apply in array order; a later fix to the same field wins.  After
 * the fixes LX01 runs 1, 2, 3 ... and CLM02 is the sum of the line
 * charges (each rewritten only where its value changes).  A line that
 * came without an LX (the assembler's LX_MISSING: it starts at its SV
 * segment) gets one built, with its number, before each copy of it.
 *
 * Work is in two steps so that nothing is written for a claim the
 * writer cannot fix: c837_w_claim_plan checks the fixes and computes,
 * with checked int64 arithmetic, the new CLM02 and every split share;
 * when one of them cannot be represented it says so (the caller then
 * holds the claim as it came), and only then c837_w_claim_fixed writes.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "write/writer_int.h"

/* What the fixes do to one line.  Strings point into the verdict. */
typedef struct wline {
  const char *units, *code, *revenue;
  int removed, split;
  const char *code_from; /* CODE_FROM: the code of the copies ... */
  int32_t from_day;      /* ... dated from this day number on */
} wline;

/* Writes a segment built from body (without terminator) after segment
 * sv of the claim: sv's terminator, and the whitespace after it. */
static int write_built(c837_writer *w, const c837_segment *sv,
                       const char *body, int n)
{
  c837_buf *b = &w->scratch[C837_WS_SEG];
  size_t be = sv->lead + sv->body_len;
  b->len = 0;
  if (n < 0 || c837_buf_put(b, body, (size_t)n) != 0 ||
      c837_buf_put(b, &sv->delims.segment, 1) != 0 ||
      (sv->raw_len > be &&
       c837_buf_put(b, sv->raw + be + 1, sv->raw_len - be - 1) != 0))
    return c837_w_fail(w, C837_ENOMEM, sv->offset, sv->number,
                       "out of memory");
  return c837_w_write(w, C837_WV_OUT, b->p, b->len, 1);
}

/* DTP*472*D8*date after the SV segment sv of a split line that had no
 * DTP*472. */
static int write_built_dtp(c837_writer *w, const c837_segment *sv,
                           const char *date)
{
  char body[64];
  char e = sv->delims.element;
  return write_built(w, sv, body,
                     snprintf(body, sizeof body, "DTP%c472%cD8%c%s", e, e, e,
                              date));
}

/* LX*lx before the first segment s of a line that came without an LX
 * (LX_MISSING): a rewritten claim numbers every line, so the line gets
 * the LX the guide requires. */
static int write_built_lx(c837_writer *w, const c837_segment *s, size_t lx)
{
  char body[40];
  return write_built(w, s, body,
                     snprintf(body, sizeof body, "LX%c%zu",
                              s->delims.element, lx));
}

static void add_rep(c837_wrep *reps, size_t *n, size_t idx, const char *p,
                    size_t len)
{
  reps[*n].idx = idx;
  reps[*n].p = p;
  reps[*n].n = len;
  (*n)++;
}

/* Writes segment j of line L (one copy of it: lx is its LX01, date its
 * D8 date or "" when not split, charge/nonc its charges when
 * has_charge). */
static int write_line_seg(c837_writer *w, const c837_claim *c,
                          const c837_line *L, const wline *ls, size_t j,
                          size_t lx, const char *date, int has_charge,
                          int64_t charge, int64_t nonc)
{
  const c837_segment *s = &c->segs[j];
  c837_buf *out = &w->scratch[C837_WS_SEG], *el = &w->scratch[C837_WS_EL];
  c837_wrep reps[6];
  size_t n = 0;
  char lxs[32], chs[32], ncs[32];
  c837_wsegref r;
  int rc;

  if (j == L->seg_first && !c837_seg_is(s, "LX") &&
      write_built_lx(w, s, lx) != 0)
    return -1;
  if (j == L->seg_first && c837_seg_is(s, "LX")) {
    snprintf(lxs, sizeof lxs, "%zu", lx);
    add_rep(reps, &n, 1, lxs, strlen(lxs));
  } else if (j == L->seg_sv && (L->sv == '1' || L->sv == '2')) {
    int p = L->sv == '1';
    size_t code_el = p ? 1 : 2, charge_el = p ? 2 : 3, units_el = p ? 4 : 5;
    if (has_charge)
      c837_format_decimal(chs, sizeof chs, charge, 2);
    if (!p && ls->revenue != NULL)
      add_rep(reps, &n, 1, ls->revenue, strlen(ls->revenue));
    if (ls->code != NULL) {
      if (c837_w_comp_replace(el, c837_el(s, code_el),
                              s->delims.component, 2, ls->code,
                              strlen(ls->code), "HC") != 0)
        return c837_w_fail(w, C837_ENOMEM, s->offset, s->number,
                           "out of memory");
      add_rep(reps, &n, code_el, el->p, el->len);
    }
    if (has_charge)
      add_rep(reps, &n, charge_el, chs, strlen(chs));
    if (ls->units != NULL)
      add_rep(reps, &n, units_el, ls->units, strlen(ls->units));
    if (!p && has_charge && L->noncovered != 0) {
      c837_format_decimal(ncs, sizeof ncs, nonc, 2);
      add_rep(reps, &n, 7, ncs, strlen(ncs));
    }
  } else if (j == L->seg_dtp && date[0] != '\0') {
    add_rep(reps, &n, 2, "D8", 2);
    add_rep(reps, &n, 3, date, strlen(date));
  }
  c837_w_segref(&r, s);
  rc = c837_w_splice(out, &r, reps, n);
  if (rc < 0)
    return c837_w_fail(w, C837_ENOMEM, s->offset, s->number,
                       "out of memory");
  if (c837_w_write(w, C837_WV_OUT, rc ? out->p : s->raw,
                   rc ? out->len : s->raw_len, 1) != 0)
    return -1;
  if (j == L->seg_sv && date[0] != '\0' && L->seg_dtp == C837_NO_INDEX)
    return write_built_dtp(w, s, date);
  return 0;
}

/* Checks the fixes against the claim and fills ls[]. */
static int apply_fixes(c837_writer *w, const c837_claim *c,
                       const c837_verdict *v, wline *ls)
{
  size_t i;
  int32_t day;
  memset(ls, 0, c->n_lines * sizeof *ls);
  for (i = 0; i < v->n_fixes; i++) {
    const c837_fix *f = &v->fixes[i];
    const c837_line *L;
    if (f->line >= c->n_lines)
      return c837_w_refuse(w, C837_EINVAL, c->offset, c->number,
                           "claim %s: fix for line index %zu, but the claim "
                           "has %zu lines",
                           c837_w_text(c->id).s, f->line, c->n_lines);
    L = &c->lines[f->line];
    if (f->kind != C837_FIX_REMOVE &&
        (L->seg_sv == C837_NO_INDEX || (L->sv != '1' && L->sv != '2') ||
         (f->kind == C837_FIX_REVENUE && L->sv != '2')))
      return c837_w_refuse(w, C837_EINVAL, c->offset, c->number,
                           "claim %s line %s: fix does not fit a line "
                           "without the SV%s segment it changes",
                           c837_w_text(c->id).s, c837_w_text(L->lx).s,
                           f->kind == C837_FIX_REVENUE ? "2" : "1/SV2");
    switch (f->kind) {
    case C837_FIX_UNITS:
      ls[f->line].units = f->value;
      break;
    case C837_FIX_CODE:
      ls[f->line].code = f->value;
      break;
    case C837_FIX_REVENUE:
      ls[f->line].revenue = f->value;
      break;
    case C837_FIX_REMOVE:
      ls[f->line].removed = 1;
      break;
    case C837_FIX_CODE_FROM:
      day = f->date > 0 ? c837_date_to_days(f->date) : 0;
      if (f->date <= 0 || c837_days_to_date(day) != f->date)
        return c837_w_refuse(w, C837_EINVAL, c->offset, c->number,
                             "claim %s line %s: code change on a date that "
                             "is not one (%ld)",
                             c->id, L->lx, (long)f->date);
      ls[f->line].code_from = f->value;
      ls[f->line].from_day = day;
      break;
    case C837_FIX_SPLIT:
      ls[f->line].split = 1;
      ls[f->line].units = f->value;
      if (L->date_from == 0 || L->date_to < L->date_from ||
          c837_date_to_days(L->date_to) - c837_date_to_days(L->date_from) >=
              C837_MAX_SPLIT_DAYS ||
          !L->charge_ok)
        return c837_w_refuse(w, C837_EINVAL, c->offset, c->number,
                             "claim %s line %s: cannot split (dates %d-%d, "
                             "charge %s)",
                             c837_w_text(c->id).s, c837_w_text(L->lx).s,
                             (int)L->date_from, (int)L->date_to,
                             L->charge_ok ? "ok" : "unreadable");
      break;
    default:
      return c837_w_refuse(w, C837_EINVAL, c->offset, c->number,
                           "claim %s: unknown fix kind %d",
                           c837_w_text(c->id).s, (int)f->kind);
    }
  }
  for (i = 0; i < c->n_lines; i++)
    if (ls[i].code_from && !ls[i].split)
      return c837_w_refuse(w, C837_EINVAL, c->offset, c->number,
                           "claim %s line %s: a code change from a date "
                           "on a line that is not split",
                           c->id, c->lines[i].lx);
  return 0;
}

/* Writes the CLM segment with CLM02 := total when it differs. */
static int write_clm(c837_writer *w, const c837_claim *c, int64_t total)
{
  const c837_segment *s = &c->segs[0];
  c837_buf *out = &w->scratch[C837_WS_SEG];
  c837_wrep rep;
  c837_wsegref r;
  char buf[32];
  int rc;
  c837_format_decimal(buf, sizeof buf, total, 2);
  rep.idx = 2;
  rep.p = buf;
  rep.n = strlen(buf);
  c837_w_segref(&r, s);
  rc = c837_w_splice(out, &r, &rep, 1);
  if (rc < 0)
    return c837_w_fail(w, C837_ENOMEM, s->offset, s->number,
                       "out of memory");
  return c837_w_write(w, C837_WV_OUT, rc ? out->p : s->raw,
                      rc ? out->len : s->raw_len, 1);
}

/* Checked int64 arithmetic: 0 and *r set, or -1 when the exact result
 * does not fit (nothing stored). */
static int add64(int64_t a, int64_t b, int64_t *r)
{
  if ((b > 0 && a > INT64_MAX - b) || (b < 0 && a < INT64_MIN - b))
    return -1;
  *r = a + b;
  return 0;
}

static int sub64(int64_t a, int64_t b, int64_t *r)
{
  if ((b < 0 && a > INT64_MAX + b) || (b > 0 && a < INT64_MIN + b))
    return -1;
  *r = a - b;
  return 0;
}

static int mul64(int64_t a, int64_t b, int64_t *r)
{
  if (a != 0 && b != 0) {
    if (a > 0 ? (b > 0 ? a > INT64_MAX / b : b < INT64_MIN / a)
              : (b > 0 ? a < INT64_MIN / b : a < INT64_MAX / b))
      return -1;
  }
  *r = a * b;
  return 0;
}

/* The shares of amount over days (days >= 1): base for every day but
 * the first, which takes the leftover cents.  0, or -1 when a value
 * cannot be represented. */
static int split_shares(int64_t amount, int32_t days, int64_t *first,
                        int64_t *base)
{
  int64_t rest;
  if (days < 1)
    return -1;
  *base = amount / days;
  if (mul64(*base, (int64_t)days - 1, &rest) != 0 ||
      sub64(amount, rest, first) != 0)
    return -1;
  return 0;
}

int c837_w_claim_plan(c837_writer *w, const c837_claim *c,
                      const c837_verdict *v, c837_wplan *plan)
{
  c837_buf *lb = &w->scratch[C837_WS_LINES], *mb = &w->scratch[C837_WS_MAP];
  wline *ls;
  size_t l;
  int64_t sum = 0, removed_sum = 0, first, base;
  int all_ok = 1, rem_ok = 1;

  memset(plan, 0, sizeof *plan);
  if (c837_buf_reserve(lb, (c->n_lines + 1) * sizeof(wline)) != 0 ||
      c837_buf_reserve(mb, (c->n_segs + 1) * sizeof(size_t)) != 0)
    return c837_w_fail(w, C837_ENOMEM, c->offset, c->number,
                       "out of memory");
  ls = (wline *)(void *)lb->p;
  if (apply_fixes(w, c, v, ls) != 0)
    return -1;

  /* every split must divide its charges exactly as written below */
  for (l = 0; l < c->n_lines; l++) {
    const c837_line *L = &c->lines[l];
    int32_t days;
    if (ls[l].removed || !ls[l].split)
      continue;
    days = c837_date_to_days(L->date_to) - c837_date_to_days(L->date_from) +
           1;
    if (split_shares(L->charge, days, &first, &base) != 0 ||
        split_shares(L->noncovered, days, &first, &base) != 0) {
      snprintf(plan->why, sizeof plan->why,
               "line %s: its split charges cannot be represented",
               c837_w_text(L->lx).s);
      return 1;
    }
  }

  /* CLM02 after the fixes */
  for (l = 0; l < c->n_lines; l++) {
    const c837_line *L = &c->lines[l];
    if (ls[l].removed) {
      if (!L->charge_ok)
        rem_ok = 0;
      else if (add64(removed_sum, L->charge, &removed_sum) != 0)
        rem_ok = -1;
    } else if (!L->charge_ok) {
      all_ok = 0;
    } else if (add64(sum, L->charge, &sum) != 0) {
      all_ok = -1;
    }
  }
  if (all_ok < 0 || (all_ok == 0 && rem_ok < 0)) {
    snprintf(plan->why, sizeof plan->why,
             "the sum of its line charges cannot be represented");
    return 1;
  }
  if (all_ok) {
    plan->total = sum;
    plan->new_total = !c->total_ok || sum != c->total;
  } else if (c->total_ok && rem_ok) {
    if (sub64(c->total, removed_sum, &plan->total) != 0) {
      snprintf(plan->why, sizeof plan->why,
               "its total less the removed line charges cannot be "
               "represented");
      return 1;
    }
    plan->new_total = plan->total != c->total;
  }
  return 0;
}

int c837_w_claim_fixed(c837_writer *w, const c837_claim *c,
                       const c837_wplan *plan)
{
  c837_buf *lb = &w->scratch[C837_WS_LINES], *mb = &w->scratch[C837_WS_MAP];
  const wline *ls = (const wline *)(const void *)lb->p;
  size_t *map = (size_t *)(void *)mb->p, k, l, j, lx = 0;
  int64_t total = plan->total;
  int new_total = plan->new_total;

  /* which line each segment belongs to */
  for (k = 0; k < c->n_segs; k++)
    map[k] = C837_NO_INDEX;
  for (l = 0; l < c->n_lines; l++)
    for (j = c->lines[l].seg_first;
         j <= c->lines[l].seg_last && j < c->n_segs; j++)
      if (map[j] == C837_NO_INDEX)
        map[j] = l;

  for (k = 0; k < c->n_segs;) {
    size_t end;
    const c837_line *L;
    l = map[k];
    if (l == C837_NO_INDEX) {
      if (k == 0 && new_total && c837_seg_is(&c->segs[0], "CLM")) {
        if (write_clm(w, c, total) != 0)
          return -1;
      } else if (c837_w_write(w, C837_WV_OUT, c->segs[k].raw,
                              c->segs[k].raw_len, 1) != 0) {
        return -1;
      }
      k++;
      continue;
    }
    L = &c->lines[l];
    for (end = k; end + 1 < c->n_segs && map[end + 1] == l;)
      end++;
    if (!ls[l].removed) {
      int32_t d0 = 0, days = 1, r;
      int64_t base = 0, first = 0, nbase = 0, nfirst = 0;
      if (ls[l].split) {
        d0 = c837_date_to_days(L->date_from);
        days = c837_date_to_days(L->date_to) - d0 + 1;
        /* checked by c837_w_claim_plan */
        (void)split_shares(L->charge, days, &first, &base);
        (void)split_shares(L->noncovered, days, &nfirst, &nbase);
      }
      for (r = 0; r < days; r++) {
        char date[16] = "";
        wline one = ls[l];
        if (ls[l].split)
          snprintf(date, sizeof date, "%08ld",
                   (long)c837_days_to_date(d0 + r));
        if (one.code_from && d0 + r >= one.from_day)
          one.code = one.code_from;
        lx++;
        for (j = k; j <= end; j++)
          if (write_line_seg(w, c, L, &one, j, lx, date, ls[l].split,
                             r == 0 ? first : base,
                             r == 0 ? nfirst : nbase) != 0)
            return -1;
      }
    }
    k = end + 1;
  }
  return 0;
}
