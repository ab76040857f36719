/* engine.c -- the edit engine: public API, claim state and disposition
 *
 * c837_engine_claim evaluates one claim at a time, in input order.  It
 * builds the working state of every service line (c837_eline), gathers
 * the patient's remembered CAR-T and watch-code lines (c837_hist) into
 * events, runs the line edits (edit_line.c) and the sequencing edits
 * (edit_seq.c), then decides the claim's disposition: held when a
 * holding finding remains (and options.hold is on), fixed when a fix is
 * applied, else passed.  Claims that are not held have their CAR-T lines
 * remembered, per patient, so that later claims -- in this run, or in a
 * later run through the ledger -- are counted against them.  Voids
 * (CLM05-3 = 8) and replacements (7) remove the lines of the claim they
 * cancel (same CLM01 and billing provider).  The remembered history, its
 * indexes and checkpoints are engine_hist.c's; the specification of
 * every edit is specs/edits.md.
 */
#include "edit/engine_int.h"
#include "base/limits.h"
#include "base/buf.h"
#include "base/util.h"

#include <stdarg.h>
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
/* Small helpers shared with the edit files                            */
/* ------------------------------------------------------------------ */

void c837_eng_copy(char *dst, size_t dstsz, const char *src)
{
  size_t n = strlen(src);
  if (dstsz == 0)
    return;
  if (n >= dstsz)
    n = dstsz - 1;
  memcpy(dst, src, n);
  dst[n] = 0;
}

void c837_eng_date(char buf[16], int32_t ymd)
{
  c837_format_iso_date(buf, 16, ymd);
}

void c837_eng_units(char buf[32], int64_t micro)
{
  c837_format_decimal(buf, 32, micro, 6);
}

void c837_eng_range(char buf[40], int32_t from, int32_t to)
{
  char a[16], b[16];
  c837_eng_date(a, from);
  if (to && to != from) {
    c837_eng_date(b, to);
    snprintf(buf, 40, "%s to %s", a, b);
  } else {
    snprintf(buf, 40, "%s", a[0] ? a : "no date");
  }
}

int c837_eng_overlap(int32_t a1, int32_t a2, int32_t b1, int32_t b2)
{
  return a1 <= b2 && b1 <= a2;
}

int64_t c837_eng_day_share(int64_t units, int32_t dfrom, int32_t dto,
                           int32_t d)
{
  int64_t n, base;
  if (d < dfrom || d > dto)
    return 0;
  n = (int64_t)dto - dfrom + 1;
  base = units / n;
  return d == dfrom ? base + units % n : base;
}

int c837_eng_cap_days(int64_t cap, int64_t days, int64_t *out)
{
  if (cap < 0 || days < 0 || __builtin_mul_overflow(cap, days, out)) {
    *out = INT64_MAX;
    return -1;
  }
  return 0;
}

int64_t c837_eng_sat_add(int64_t a, int64_t b)
{
  int64_t r;
  if (__builtin_add_overflow(a, b, &r))
    return b > 0 ? INT64_MAX : INT64_MIN;
  return r;
}

int c837_eng_revenue_listed(const c837_code *row, const char *rev)
{
  const char *p = row->revenue;
  size_t n = strlen(rev);
  if (n == 0)
    return 0;
  while (*p) {
    const char *bar = strchr(p, '|');
    size_t len = bar ? (size_t)(bar - p) : strlen(p);
    if (len == n && memcmp(p, rev, n) == 0)
      return 1;
    if (!bar)
      break;
    p = bar + 1;
  }
  return 0;
}

/* Adds a finding of edit with severity sev and action action. */
static c837_pfinding *vfinding(c837_engine *e, c837_edit edit,
                               c837_severity sev, c837_action action,
                               size_t line, const char *fmt, va_list ap)
{
  const c837_edit_def *d = c837_edit_info(edit);
  c837_pfinding *p;
  if (action == C837_ACT_HELD)
    e->any_held = 1;
  if (e->npf >= C837_MAX_FINDINGS) {
    e->dropped++;
    if (d)
      e->drop_edit[edit]++;
    if ((int)sev >= 0 && (int)sev < 3)
      e->drop_sev[sev]++;
    return NULL;
  }
  p = &e->pf[e->npf++];
  memset(p, 0, sizeof *p);
  p->f.edit = edit;
  p->f.severity = sev;
  p->f.action = action;
  p->f.line = line;
  p->f.carc = d ? d->carc : "";
  p->f.rarc = d ? d->rarc : "";
  p->fixable = action == C837_ACT_FIXED;
  vsnprintf(p->f.detail, sizeof p->f.detail, fmt, ap);
  return p;
}

c837_pfinding *c837_eng_finding(c837_engine *e, c837_edit edit, size_t line,
                                const char *fmt, ...)
{
  const c837_edit_def *d = c837_edit_info(edit);
  c837_pfinding *p;
  va_list ap;
  va_start(ap, fmt);
  p = vfinding(e, edit, d->severity, d->action, line, fmt, ap);
  va_end(ap);
  return p;
}

c837_pfinding *c837_eng_finding_as(c837_engine *e, c837_edit edit,
                                   c837_action action, size_t line,
                                   const char *fmt, ...)
{
  c837_pfinding *p;
  va_list ap;
  va_start(ap, fmt);
  p = vfinding(e, edit, c837_edit_info(edit)->severity, action, line, fmt,
               ap);
  va_end(ap);
  return p;
}

c837_pfinding *c837_eng_finding_by_claim(c837_engine *e, c837_edit edit,
                                         c837_severity sev,
                                         c837_action action, size_t line,
                                         const char *fmt, ...)
{
  c837_pfinding *p;
  va_list ap;
  va_start(ap, fmt);
  p = vfinding(e, edit, sev, action, line, fmt, ap);
  va_end(ap);
  return p;
}

void c837_eng_fixdesc(c837_pfinding *p, const char *fmt, ...)
{
  va_list ap;
  if (!p)
    return;
  va_start(ap, fmt);
  vsnprintf(p->fixdesc, sizeof p->fixdesc, fmt, ap);
  va_end(ap);
}

/* 1 when the writer can apply a fix of this kind to line l: every fix
 * but REMOVE rewrites its SV1 / SV2 segment, REVENUE its SV201. */
static int fix_fits(const c837_line *l, c837_fix_kind kind)
{
  if (kind == C837_FIX_REMOVE)
    return 1;
  if (kind == C837_FIX_REVENUE)
    return l->sv == '2';
  return l->sv == '1' || l->sv == '2';
}

void c837_eng_fix(c837_engine *e, c837_fix_kind kind, size_t line,
                  const char *value)
{
  c837_fix *f;
  if (line < e->c->n_lines && !fix_fits(&e->c->lines[line], kind)) {
    /* a line without the segment the fix changes (an SV1 line on an
     * 837I claim, an SV3 line): the claim is held instead, the finding
     * that asked for the fix says why */
    size_t i = e->npf;
    e->any_held = 1;
    while (i > 0 && !(e->pf[i - 1].f.line == line && e->pf[i - 1].fixable))
      i--;
    if (i > 0) {
      c837_finding *fd = &e->pf[i - 1].f;
      size_t n = strlen(fd->detail);
      e->pf[i - 1].fixable = 0;
      fd->action = C837_ACT_HELD;
      c837_eng_copy(fd->detail + n, sizeof fd->detail - n,
                    kind == C837_FIX_REVENUE
                        ? " (not fixed: the line has no SV2 segment to "
                          "carry a revenue code; the claim is held)"
                        : " (not fixed: the line has no SV1 or SV2 "
                          "segment; the claim is held)");
    }
    return;
  }
  if (c837_vec_reserve(&e->fx, &e->capfx, e->nfx + 1, sizeof *e->fx, 16, 0) != 0) {
    e->oom = 1;
    return;
  }
  f = &e->fx[e->nfx++];
  memset(f, 0, sizeof *f);
  f->kind = kind;
  f->line = line;
  c837_eng_copy(f->value, sizeof f->value, value ? value : "");
}

void c837_eng_drop_fixes(c837_engine *e, size_t line)
{
  size_t i, j = 0;
  for (i = 0; i < e->nfx; i++)
    if (e->fx[i].line != line)
      e->fx[j++] = e->fx[i];
  e->nfx = j;
}

/* ------------------------------------------------------------------ */
/* Engine life cycle and history API                                   */
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
  e->run_date = e->o.run_date ? e->o.run_date : today();
  e->pf = calloc(C837_MAX_FINDINGS, sizeof *e->pf);
  e->out_f = calloc(C837_MAX_FINDINGS, sizeof *e->out_f);
  if (!e->pf || !e->out_f) {
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
  free(e->el);
  free(e->ev);
  free(e->cand);
  free(e->pf);
  free(e->out_f);
  free(e->fx);
  free(e);
}

/* ------------------------------------------------------------------ */
/* One claim                                                           */
/* ------------------------------------------------------------------ */

int c837_eng_freq(const c837_claim *c)
{
  return atoi(c->freq);
}

/* The working state of every line; *tracked = 1 when some line is
 * tracked (c837_codetable_tracks): the lines the edits look at.  0, or
 * -1 on ENOMEM. */
static int build_lines(c837_engine *e, int *tracked)
{
  const c837_claim *c = e->c;
  size_t i;
  *tracked = 0;
  if (c->n_lines > e->capel) {
    c837_eline *ne = realloc(e->el, c->n_lines * sizeof *ne);
    if (!ne)
      return -1;
    e->el = ne;
    e->capel = c->n_lines;
  }
  for (i = 0; i < c->n_lines; i++) {
    const c837_line *l = &c->lines[i];
    c837_eline *x = &e->el[i];
    memset(x, 0, sizeof *x);
    x->src = l;
    c837_eng_copy(x->code, sizeof x->code, l->code);
    c837_revenue_normalize(x->revenue, l->revenue);
    if (c837_codetable_tracks(e->t, l, &x->row))
      *tracked = 1;
    x->fam = x->row ? (int)x->row->family : C837_FAM_NONE;
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

/* Stable order of findings: by line (claim-level last), then edit id. */
static int finding_before(const c837_pfinding *a, const c837_pfinding *b)
{
  if (a->f.line != b->f.line)
    return a->f.line < b->f.line;
  return a->f.edit < b->f.edit;
}

static void sort_findings(c837_engine *e)
{
  size_t i, j;
  for (i = 1; i < e->npf; i++) {
    c837_pfinding tmp = e->pf[i];
    j = i;
    while (j > 0 && finding_before(&tmp, &e->pf[j - 1])) {
      e->pf[j] = e->pf[j - 1];
      j--;
    }
    e->pf[j] = tmp;
  }
}

/* Appends text to a finding's detail, keeping it one line. */
static void detail_append(c837_finding *f, const char *s)
{
  size_t n = strlen(f->detail);
  c837_eng_copy(f->detail + n, sizeof f->detail - n, s);
}

/* Replaces control characters (a CR or LF inside an element) with
 * blanks: report fields stay on one line. */
static void one_line(char *s)
{
  for (; *s; s++)
    if ((unsigned char)*s < 0x20 || *s == 0x7f)
      *s = ' ';
}

static void finish(c837_engine *e, c837_verdict *out)
{
  size_t i;
  int held = 0;
  char buf[200];
  sort_findings(e);
  /* every finding counts, kept or dropped beyond C837_MAX_FINDINGS */
  held = e->any_held;
  if (held && !e->o.hold)
    held = 0;
  for (i = 0; i < e->npf; i++) {
    c837_pfinding *p = &e->pf[i];
    if (p->f.action == C837_ACT_HELD && !e->o.hold) {
      p->f.action = C837_ACT_FLAGGED;
      detail_append(&p->f, " (not held: holding is off for this run)");
    } else if (p->fixable && held) {
      p->f.action = C837_ACT_HELD;
      snprintf(buf, sizeof buf,
               " (not fixed because the claim is held; the fix would "
               "have been: %s)",
               p->fixdesc);
      detail_append(&p->f, buf);
    } else if (p->fixable) {
      snprintf(buf, sizeof buf, " (fixed: %s)", p->fixdesc);
      detail_append(&p->f, buf);
    }
    one_line(p->f.detail);
    one_line(p->f.before);
    one_line(p->f.after);
    e->out_f[i] = p->f;
  }
  if (held)
    e->nfx = 0;
  out->disposition = held ? C837_DISP_HELD
                          : e->nfx ? C837_DISP_FIXED : C837_DISP_PASSED;
  out->n_findings = e->npf;
  out->findings = e->out_f;
  out->findings_dropped = e->dropped;
  memcpy(out->dropped_by_edit, e->drop_edit, sizeof out->dropped_by_edit);
  memcpy(out->dropped_by_severity, e->drop_sev,
         sizeof out->dropped_by_severity);
  out->n_fixes = e->nfx;
  out->fixes = e->fx;
}

c837_status c837_engine_claim(c837_engine *e, const c837_claim *c,
                              c837_verdict *out)
{
  int f, tracked;
  if (!e || !c || !out)
    return C837_EINVAL;
  memset(out, 0, sizeof *out);
  out->findings = e->out_f;
  out->fixes = e->fx;
  e->npf = 0;
  e->nfx = 0;
  e->dropped = 0;
  e->any_held = 0;
  memset(e->drop_edit, 0, sizeof e->drop_edit);
  memset(e->drop_sev, 0, sizeof e->drop_sev);
  e->oom = 0;
  e->nev = e->nev_hist = 0;
  e->c = c;
  if (c->kind != C837_KIND_P && c->kind != C837_KIND_I)
    return C837_OK;
  e->isa_len = 0;
  if (c->env) {
    char *d = e->source;
    const size_t sz = sizeof e->source;
    size_t n = c837_str_append(d, sz, 0, c->env->isa06);
    n = c837_str_append(d, sz, n, "|");
    n = c837_str_append(d, sz, n, c->env->isa13);
    n = c837_str_append(d, sz, n, "|");
    e->isa_len = n < sz - 1 ? n : 0; /* not cut off */
    n = c837_str_append(d, sz, n, c->env->gs06);
    n = c837_str_append(d, sz, n, "|");
    (void)c837_str_append(d, sz, n, c->env->st02);
  } else {
    e->source[0] = 0;
  }
  c837_hist_hide(e);
  f = c837_eng_freq(c);
  if (f == 8) {
    /* A void cancels the claim it names and is not evaluated itself. */
    if (c837_hist_cancel(e) != 0)
      return C837_ENOMEM;
    c837_hist_settle(e);
    return C837_OK;
  }
  if (build_lines(e, &tracked) != 0)
    return C837_ENOMEM;
  if (f != 7 && !tracked) {
    /* nearly every claim: no line any edit looks at, nothing to record,
     * nothing to replace */
    finish(e, out);
    return C837_OK;
  }
  c837_hist_gather(e);
  c837_edits_line(e);
  c837_edits_seq(e);
  if (e->oom)
    return C837_ENOMEM;
  finish(e, out);
  if (c837_hist_mark(e) != 0)
    return C837_ENOMEM;
  if (out->disposition != C837_DISP_HELD) {
    if (f == 7 && c837_hist_cancel(e) != 0)
      return C837_ENOMEM;
    c837_hist_settle(e);
    if (c837_hist_record(e) != 0)
      return C837_ENOMEM;
  }
  return C837_OK;
}
