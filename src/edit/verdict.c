/* verdict.c -- the verdict of the claim being judged: findings and fixes
 *
 * The edits add findings and fixes here as they go (c837_eng_finding and
 * its two variants, c837_eng_fix); each finding takes the CARC and RARC
 * of its edit from C837_EDIT_MAP, and its severity and action too unless
 * the edit says otherwise.  Once the edits are done, c837_vb_finish
 * decides the disposition (held when a holding finding remains and
 * holding is on, fixed when a fix is applied, else passed), words what
 * became of each fix, and hands the verdict out.  Also the small
 * helpers the edits word their findings with, and the day a code ends
 * inside a range (c837_eng_code_switch).  Calls no other file of
 * the engine (engine_int.h).
 */
#include "edit/engine_int.h"
#include "base/buf.h"
#include "base/util.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* ------------------------------------------------------------------ */
/* Words and numbers                                                   */
/* ------------------------------------------------------------------ */

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

/* ------------------------------------------------------------------ */
/* Findings and fixes                                                  */
/* ------------------------------------------------------------------ */

void c837_vb_reset(c837_verdictbuf *vb)
{
  vb->npf = 0;
  vb->nfx = 0;
  vb->dropped = 0;
  vb->any_held = 0;
  memset(vb->drop_edit, 0, sizeof vb->drop_edit);
  memset(vb->drop_sev, 0, sizeof vb->drop_sev);
}

/* Adds a finding of edit with severity sev and action action. */
static c837_pfinding *vfinding(c837_engine *e, c837_edit edit,
                               c837_severity sev, c837_action action,
                               size_t line, const char *fmt, va_list ap)
{
  const c837_edit_def *d = c837_edit_info(edit);
  c837_verdictbuf *vb = &e->vb;
  c837_pfinding *p;
  if (action == C837_ACT_HELD)
    vb->any_held = 1;
  if (vb->npf >= C837_MAX_FINDINGS) {
    vb->dropped++;
    if (d)
      vb->drop_edit[edit]++;
    if ((int)sev >= 0 && (int)sev < 3)
      vb->drop_sev[sev]++;
    return NULL;
  }
  p = &vb->pf[vb->npf++];
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

/* A fix line cannot carry: the claim is held instead, and the last
 * finding that asked for a fix of line says why. */
static void hold_unfixable(c837_verdictbuf *vb, c837_fix_kind kind,
                           size_t line)
{
  size_t i = vb->npf;
  vb->any_held = 1;
  while (i > 0 && !(vb->pf[i - 1].f.line == line && vb->pf[i - 1].fixable))
    i--;
  if (i > 0) {
    c837_finding *fd = &vb->pf[i - 1].f;
    size_t n = strlen(fd->detail);
    vb->pf[i - 1].fixable = 0;
    fd->action = C837_ACT_HELD;
    c837_eng_copy(fd->detail + n, sizeof fd->detail - n,
                  kind == C837_FIX_REVENUE
                      ? " (not fixed: the line has no SV2 segment to "
                        "carry a revenue code; the claim is held)"
                      : " (not fixed: the line has no SV1 or SV2 "
                        "segment; the claim is held)");
  }
}

c837_fix *c837_eng_fix(c837_engine *e, c837_fix_kind kind, size_t line,
                       const char *value)
{
  c837_verdictbuf *vb = &e->vb;
  c837_fix *f;
  if (line < e->cl.c->n_lines && !fix_fits(&e->cl.c->lines[line], kind)) {
    /* a line without the segment the fix changes (an SV1 line on an
     * 837I claim, an SV3 line) */
    hold_unfixable(vb, kind, line);
    return NULL;
  }
  if (c837_vec_reserve(&vb->fx, &vb->capfx, vb->nfx + 1, sizeof *vb->fx, 16,
                       0) != 0) {
    e->oom = 1;
    return NULL;
  }
  f = &vb->fx[vb->nfx++];
  memset(f, 0, sizeof *f);
  f->kind = kind;
  f->line = line;
  c837_eng_copy(f->value, sizeof f->value, value ? value : "");
  return f;
}

void c837_eng_drop_fixes(c837_engine *e, size_t line)
{
  c837_verdictbuf *vb = &e->vb;
  size_t i, j = 0;
  for (i = 0; i < vb->nfx; i++)
    if (vb->fx[i].line != line)
      vb->fx[j++] = vb->fx[i];
  vb->nfx = j;
}

/* ------------------------------------------------------------------ */
/* The verdict                                                         */
/* ------------------------------------------------------------------ */

/* Stable order of findings: by line (claim-level last), then edit id. */
static int finding_before(const c837_pfinding *a, const c837_pfinding *b)
{
  if (a->f.line != b->f.line)
    return a->f.line < b->f.line;
  return a->f.edit < b->f.edit;
}

static void sort_findings(c837_verdictbuf *vb)
{
  size_t i, j;
  for (i = 1; i < vb->npf; i++) {
    c837_pfinding tmp = vb->pf[i];
    j = i;
    while (j > 0 && finding_before(&tmp, &vb->pf[j - 1])) {
      vb->pf[j] = vb->pf[j - 1];
      j--;
    }
    vb->pf[j] = tmp;
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

void c837_vb_finish(c837_verdictbuf *vb, int hold, c837_verdict *out)
{
  size_t i;
  /* every finding counts, kept or dropped beyond C837_MAX_FINDINGS */
  int held = vb->any_held && hold;
  char buf[200];
  sort_findings(vb);
  for (i = 0; i < vb->npf; i++) {
    c837_pfinding *p = &vb->pf[i];
    if (p->f.action == C837_ACT_HELD && !hold) {
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
    vb->out_f[i] = p->f;
  }
  if (held)
    vb->nfx = 0;
  out->disposition = held ? C837_DISP_HELD
                          : vb->nfx ? C837_DISP_FIXED : C837_DISP_PASSED;
  out->n_findings = vb->npf;
  out->findings = vb->out_f;
  out->findings_dropped = vb->dropped;
  memcpy(out->dropped_by_edit, vb->drop_edit, sizeof out->dropped_by_edit);
  memcpy(out->dropped_by_severity, vb->drop_sev,
         sizeof out->dropped_by_severity);
  out->n_fixes = vb->nfx;
  out->fixes = vb->fx;
}


int32_t c837_eng_code_switch(const c837_codetable *t, const c837_code *row,
                             int32_t from, int32_t to,
                             const c837_code **next)
{
  const c837_code *n;
  int32_t sw;
  *next = NULL;
  if (!row || !from || !row->valid_to || to <= row->valid_to ||
      from > row->valid_to)
    return 0;
  sw = c837_date_to_days(row->valid_to) + 1;
  n = row->crosswalk[0] ? c837_codetable_find(t, row->crosswalk) : NULL;
  if (n && n->family == row->family &&
      (!n->valid_from || n->valid_from <= c837_days_to_date(sw)) &&
      (!n->valid_to || to <= n->valid_to))
    *next = n;
  return sw;
}
