/* episodes.c -- a patient's CAR-T course: steps grouped into episodes,
 * and episodes.csv (audit.h; the definition is specs/reports.md,
 * "Episodes")
 *
 * The steps are the run's step and product lines (and ICD-10-PCS
 * administrations of inpatient claims), read back from the spool, plus
 * the ledger's step and product lines of earlier runs (the engine's
 * history after the run: voids and replacements applied).  A line of the
 * ledger that this run read again (same patient, claim, LX and provider)
 * is shown once, as this run's.  Within the run, a void or a forwarded
 * replacement marks the earlier lines of its claim (same CLM01 and
 * billing NPI) replaced.
 *
 * Per patient, in date order (same day: collect, ship, receive,
 * administer, product), an episode starts at the first step, and a new
 * one when a step is dated more than W days after the episode's first
 * (W: the episode window of the first step's payer, step_window_days,
 * 180 by default), or when a collection follows an administration or a
 * product of the episode dated before it.  Steps without a date of
 * service are in no episode.
 */
#include "run/audit_int.h"
#include "edit/engine_hist.h"
#include "base/csvschema.h"
#include "base/err.h"

#include <stdlib.h>
#include <string.h>

static const char *const kind_names[C837_EP_KINDS] = {
    "", "collect", "ship", "receive", "administer", "product"};
static const char *const state_names[C837_ES_COUNT] = {
    "passed", "fixed", "removed", "held", "void", "replaced", "ledger"};

const char *c837_estep_kind_name(uint32_t k)
{
  return k < C837_EP_KINDS ? kind_names[k] : "";
}

const char *c837_estep_state_name(uint32_t s)
{
  return s < C837_ES_COUNT ? state_names[s] : "";
}

/* 1 when a step counts for the episode's dates and charges: it went
 * out, is held, or is of an earlier run (not removed, void, replaced). */
static int live(const c837_mstep *s)
{
  return s->state != C837_ES_REMOVED && s->state != C837_ES_VOID &&
         s->state != C837_ES_REPLACED;
}

/* ---- voids and replacements within the run ------------------------ */

/* A step's place in a sort (qsort has no context, so the keys travel
 * with the index). */
typedef struct skey {
  const char *patient;       /* grouping: the patient's key */
  uint32_t a, b;             /* claim and provider ids; or date, kind */
  uint64_t order;
  size_t idx;
} skey;

static int by_claim(const void *pa, const void *pb)
{
  const skey *x = pa, *y = pb;
  if (x->a != y->a)
    return x->a < y->a ? -1 : 1;
  if (x->b != y->b)
    return x->b < y->b ? -1 : 1;
  return x->order < y->order ? -1 : x->order > y->order;
}

/* A void or a forwarded replacement replaces the run's earlier lines of
 * the same CLM01 and billing NPI.  k: n_steps scratch entries. */
static void mark_replaced(c837_audit_model *m, skey *k)
{
  size_t i, j, q;
  for (i = 0; i < m->n_steps; i++) {
    k[i].a = m->steps[i].claim_id;
    k[i].b = m->steps[i].provider;
    k[i].order = m->steps[i].order;
    k[i].idx = i;
  }
  qsort(k, m->n_steps, sizeof *k, by_claim);
  for (i = 0; i < m->n_steps; i = j) {
    uint64_t last = 0; /* the last claim of the group that replaces */
    for (j = i; j < m->n_steps && k[j].a == k[i].a && k[j].b == k[i].b; j++)
      if (m->steps[k[j].idx].replaces && m->steps[k[j].idx].seq > last)
        last = m->steps[k[j].idx].seq;
    for (q = i; q < j; q++) {
      c837_mstep *s = &m->steps[k[q].idx];
      if (s->seq < last && s->state != C837_ES_VOID)
        s->state = C837_ES_REPLACED;
    }
  }
}

/* ---- the ledger's lines ------------------------------------------- */

/* The identity of a line, "patient|claim|lx|provider" with unit
 * separators, into b.  0 or -1. */
static int identity(c837_buf *b, const char *patient, const char *claim,
                    const char *lx, const char *provider)
{
  c837_buf_clear(b);
  return c837_buf_puts(b, patient) || c837_buf_putc(b, '\x1f') ||
                 c837_buf_puts(b, claim) || c837_buf_putc(b, '\x1f') ||
                 c837_buf_puts(b, lx) || c837_buf_putc(b, '\x1f') ||
                 c837_buf_puts(b, provider)
             ? -1
             : 0;
}

static int str_id(c837_audit_model *m, const char *s, uint32_t *id)
{
  size_t v;
  if (c837_map_intern(&m->strs, s, strlen(s), &v) < 0)
    return -1;
  *id = (uint32_t)v;
  return 0;
}

/* The step kind of a ledger line (0: none). */
static uint32_t hist_kind(const c837_hist *h)
{
  if (h->kind != C837_HIST_LINE)
    return 0;
  if (h->family == C837_FAM_STEP && h->step >= 1 && h->step <= 4)
    return (uint32_t)(C837_EP_COLLECT + h->step - 1);
  return c837_family_is_product(h->family) ? C837_EP_PRODUCT : 0;
}

/* One ledger line as a step.  0 or -1. */
static int ledger_step(c837_audit_model *m, const c837_hist *h,
                       uint32_t kind, const c837_codetable *t,
                       int32_t window, size_t *cap)
{
  const c837_code *row = c837_codetable_find(t, h->code);
  char units[32];
  c837_mstep *s;
  if (c837_vec_reserve(&m->steps, cap, m->n_steps + 1, sizeof *m->steps,
                       64, 0) != 0)
    return -1;
  s = &m->steps[m->n_steps];
  memset(s, 0, sizeof *s);
  c837_format_decimal(units, sizeof units, h->units, 6);
  s->kind = kind;
  s->state = C837_ES_LEDGER;
  s->payer_class = C837_PAYER_UNKNOWN;
  s->window = window;
  s->date_from = h->date_from;
  s->date_to = h->date_to;
  s->run_date = h->run_date;
  s->order = m->n_steps;
  s->ids_at = (uint32_t)m->n_ids;
  if (str_id(m, h->patient, &s->patient) != 0 ||
      str_id(m, h->claim_id, &s->claim_id) != 0 ||
      str_id(m, h->provider, &s->provider) != 0 ||
      str_id(m, h->lx, &s->lx) != 0 ||
      str_id(m, h->billed[0] ? h->billed : h->code, &s->code) != 0 ||
      str_id(m, row ? row->product : "", &s->product) != 0 ||
      str_id(m, units, &s->units) != 0)
    return -1;
  m->n_steps++;
  return 0;
}

/* Adds the ledger's step and product lines of runs before this_run that
 * this run did not read again.  0 or -1 (out of memory). */
static int add_ledger(c837_audit_model *m, const c837_engine *engine,
                      const c837_codetable *t, uint32_t this_run,
                      int32_t window)
{
  c837_map seen = {0};
  c837_buf key = {0};
  size_t i, n = engine ? c837_engine_history_count(engine) : 0;
  size_t cap = m->n_steps, ours = m->n_steps, id;
  int rc = 0;
  for (i = 0; i < ours && rc == 0; i++) {
    const c837_mstep *s = &m->steps[i];
    if (s->pcs)
      continue;
    rc = identity(&key, c837_map_key(&m->strs, s->patient),
                  c837_map_key(&m->strs, s->claim_id),
                  c837_map_key(&m->strs, s->lx),
                  c837_map_key(&m->strs, s->provider)) ||
                 c837_map_intern(&seen, key.p, key.len, &id) < 0
             ? -1
             : 0;
  }
  for (i = 0; i < n && rc == 0; i++) {
    c837_hist hb;
    const c837_hist *h = c837_engine_history_at(engine, i, &hb);
    uint32_t kind = hist_kind(h);
    if (!kind || h->run >= this_run)
      continue;
    if (identity(&key, h->patient, h->claim_id, h->lx, h->provider) != 0) {
      rc = -1;
      break;
    }
    if (c837_map_find(&seen, key.p, key.len) != C837_MAP_NONE)
      continue;
    rc = ledger_step(m, h, kind, t, window, &cap);
  }
  c837_map_free(&seen);
  c837_buf_free(&key);
  return rc;
}

/* ---- grouping ----------------------------------------------------- */

static int by_patient_date(const void *pa, const void *pb)
{
  const skey *x = pa, *y = pb;
  int c;
  if (x->patient != y->patient && (c = strcmp(x->patient, y->patient)) != 0)
    return c;
  if (x->a != y->a)
    return x->a < y->a ? -1 : 1;
  if (x->b != y->b)
    return x->b < y->b ? -1 : 1;
  return x->order < y->order ? -1 : x->order > y->order;
}

/* Adds step s to episode e. */
static void take(c837_episode *e, const c837_mstep *s)
{
  if (!e->n || s->date_from < e->first_date)
    e->first_date = s->date_from;
  if (s->date_from > e->last_date)
    e->last_date = s->date_from;
  if (s->date_to > e->last_date)
    e->last_date = s->date_to;
  e->n++;
  if (s->pcs)
    e->procedures++;
  else
    e->lines++;
  if (s->state == C837_ES_LEDGER)
    e->lines_ledger++;
  if (s->state == C837_ES_HELD && !s->pcs)
    e->lines_held++;
  if (!live(s))
    return;
  if (!e->date[s->kind] || s->date_from < e->date[s->kind])
    e->date[s->kind] = s->date_from;
  if (s->state != C837_ES_LEDGER) {
    e->charges += s->charge;
    if (s->state == C837_ES_HELD)
      e->charges_held += s->charge;
    if (e->payer_class == C837_PAYER_UNKNOWN)
      e->payer_class = s->payer_class;
  }
}

/* 1 when step s starts a new episode after e (same patient). */
static int starts_new(const c837_episode *e, const c837_mstep *s)
{
  int32_t d0 = c837_date_to_days(e->first_date);
  if (c837_date_to_days(s->date_from) - d0 > e->window)
    return 1;
  return s->kind == C837_EP_COLLECT &&
         ((e->date[C837_EP_ADMIN] && e->date[C837_EP_ADMIN] < s->date_from) ||
          (e->date[C837_EP_PRODUCT] &&
           e->date[C837_EP_PRODUCT] < s->date_from));
}

/* Sorts the dated steps into m->order_of (k: n_steps scratch entries)
 * and cuts them into episodes.  0 or -1 (out of memory). */
static int group(c837_audit_model *m, skey *k)
{
  size_t i, n = 0, cap = 0;
  for (i = 0; i < m->n_steps; i++) {
    const c837_mstep *s = &m->steps[i];
    m->steps[i].episode = UINT32_MAX;
    if (!s->date_from)
      continue;
    k[n].patient = c837_map_key(&m->strs, s->patient);
    k[n].a = (uint32_t)s->date_from;
    k[n].b = s->kind;
    k[n].order = s->order;
    k[n++].idx = i;
  }
  qsort(k, n, sizeof *k, by_patient_date);
  m->order_of = malloc((n ? n : 1) * sizeof *m->order_of);
  if (!m->order_of)
    return -1;
  for (i = 0; i < n; i++) {
    c837_mstep *s = &m->steps[k[i].idx];
    c837_episode *e = m->n_episodes ? &m->episodes[m->n_episodes - 1] : NULL;
    m->order_of[i] = k[i].idx;
    if (!e || e->patient != s->patient || starts_new(e, s)) {
      if (c837_vec_reserve(&m->episodes, &cap, m->n_episodes + 1,
                           sizeof *m->episodes, 64, 0) != 0)
        return -1;
      e = &m->episodes[m->n_episodes++];
      memset(e, 0, sizeof *e);
      e->patient = s->patient;
      e->first = i;
      e->window = s->window;
      e->payer_class = C837_PAYER_UNKNOWN;
    }
    s->episode = (uint32_t)(m->n_episodes - 1);
    take(e, s);
  }
  return 0;
}

/* Scratch keys for n steps; NULL when out of memory. */
static skey *keys(size_t n)
{
  return malloc((n ? n : 1) * sizeof(skey));
}

c837_status c837_episodes_build(c837_audit_model *m,
                                const c837_engine *engine,
                                const c837_codetable *t,
                                uint32_t this_run, const c837_payers *p,
                                c837_out *out, c837_error *err)
{
  c837_payer_settings dflt;
  skey *k;
  int rc;
  c837_payers_settings(p, NULL, NULL, &dflt);
  if (!(k = keys(m->n_steps)))
    return c837_error_set(err, C837_ENOMEM, 0, 0, "out of memory");
  mark_replaced(m, k);
  free(k);
  if (add_ledger(m, engine, t, this_run, dflt.step_window_days) != 0 ||
      !(k = keys(m->n_steps)))
    return c837_error_set(err, C837_ENOMEM, 0, 0, "out of memory");
  rc = group(m, k);
  free(k);
  if (rc != 0)
    return c837_error_set(err, C837_ENOMEM, 0, 0, "out of memory");
  return c837_episodes_write(m, out, err);
}
