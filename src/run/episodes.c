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
 *
 * The ledger's lines are not copied (a million of them cost more than
 * the engine's records did, specs/performance.md): a step is a
 * reference (c837_sref: this run's step, or a record of the engine's
 * history, read again when a report needs it), 16 bytes while the steps
 * are sorted.  The episodes are cut from the sorted steps patient by
 * patient and written to episodes.csv as they are cut; the model keeps
 * the first C837_HTML_MAX_EPISODES of them, the ones the page draws.
 */
#include "run/audit_int.h"
#include "edit/engine_hist.h"
#include "base/csvschema.h"
#include "base/err.h"
#include "base/limits.h"
#include "base/sort.h"

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
static int live(const c837_estep *s)
{
  return s->state != C837_ES_REMOVED && s->state != C837_ES_VOID &&
         s->state != C837_ES_REPLACED;
}

/* ---- voids and replacements within the run ------------------------ */

/* A CLM01 and billing NPI (claim and provider ids of model->strs) with
 * the last claim of the run that voids or replaces it (qsort has no
 * context, so the keys travel with the entry). */
typedef struct rkey {
  uint32_t a, b;
  uint64_t last;
} rkey;

static int by_claim(const void *pa, const void *pb)
{
  const rkey *x = pa, *y = pb;
  if (x->a != y->a)
    return x->a < y->a ? -1 : 1;
  return x->b < y->b ? -1 : x->b > y->b;
}

/* A void or a forwarded replacement replaces the run's earlier lines of
 * the same CLM01 and billing NPI.  Only the replacing steps (few) are
 * sorted, by key, then every step is looked up (memory: 16 bytes per
 * replacing step, none per step).  0, or -1 out of memory (nothing
 * marked). */
static int mark_replaced(c837_audit_model *m)
{
  size_t i, j, n = 0;
  rkey *k;
  for (i = 0; i < m->n_steps; i++)
    n += m->steps[i].replaces;
  if (!n)
    return 0;
  if (!(k = malloc(n * sizeof *k)))
    return -1;
  for (i = 0, n = 0; i < m->n_steps; i++)
    if (m->steps[i].replaces) {
      k[n].a = m->steps[i].claim_id;
      k[n].b = m->steps[i].provider;
      k[n++].last = m->steps[i].seq;
    }
  qsort(k, n, sizeof *k, by_claim);
  for (i = 0, j = 0; i < n; i++) /* one entry per key: its last claim */
    if (j && by_claim(&k[j - 1], &k[i]) == 0) {
      if (k[i].last > k[j - 1].last)
        k[j - 1].last = k[i].last;
    } else {
      k[j++] = k[i];
    }
  for (i = 0; i < m->n_steps; i++) {
    c837_mstep *s = &m->steps[i];
    rkey key = {s->claim_id, s->provider, 0};
    const rkey *hit = bsearch(&key, k, j, sizeof *k, by_claim);
    if (hit && s->seq < hit->last && s->state != C837_ES_VOID)
      s->state = C837_ES_REPLACED;
  }
  free(k);
  return 0;
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

/* The step kind of a ledger line (0: none). */
static uint32_t hist_kind(const c837_hist *h)
{
  if (h->kind != C837_HIST_LINE)
    return 0;
  if (h->family == C837_FAM_STEP && h->step >= 1 && h->step <= 4)
    return (uint32_t)(C837_EP_COLLECT + h->step - 1);
  return c837_family_is_product(h->family) ? C837_EP_PRODUCT : 0;
}

static const char *str(const c837_audit_model *m, uint32_t id)
{
  return c837_map_key(&m->strs, id);
}

/* A ledger line as a step, into b. */
static void ledger_view(const c837_audit_model *m, uint32_t i, c837_estep *b)
{
  const c837_hist *h = c837_engine_history_at(m->engine, i, &b->h);
  const c837_code *row;
  if (!h) { /* not a record (the engine changed): an empty line */
    memset(&b->h, 0, sizeof b->h);
    h = &b->h;
  }
  row = c837_codetable_find(m->t, h->code);
  c837_format_decimal(b->units_buf, sizeof b->units_buf, h->units, 6);
  b->patient = h->patient;
  b->claim_id = h->claim_id;
  b->provider = h->provider;
  b->lx = h->lx;
  b->code = h->billed[0] ? h->billed : h->code;
  b->product = row ? row->product : "";
  b->units = b->units_buf;
  b->kind = hist_kind(h);
  b->state = C837_ES_LEDGER;
  b->payer_class = C837_PAYER_UNKNOWN;
  b->window = m->ledger_window;
  b->date_from = h->date_from;
  b->date_to = h->date_to;
  b->run_date = h->run_date;
}

const c837_estep *c837_episodes_step(const c837_audit_model *m,
                                     uint32_t ref, c837_estep *b)
{
  const c837_mstep *s;
  b->seq = 0;
  b->file = 0;
  b->pcs = 0;
  b->charge = 0;
  b->run_date = 0;
  b->ids = NULL;
  b->id_edits = NULL;
  b->n_ids = 0;
  if (ref >= m->n_steps) {
    ledger_view(m, ref - (uint32_t)m->n_steps, b);
    return b;
  }
  s = &m->steps[ref];
  b->seq = s->seq;
  b->file = s->file;
  b->patient = str(m, s->patient);
  b->claim_id = str(m, s->claim_id);
  b->provider = str(m, s->provider);
  b->lx = str(m, s->lx);
  b->code = str(m, s->code);
  b->product = str(m, s->product);
  b->units = str(m, s->units);
  b->kind = s->kind;
  b->state = s->state;
  b->pcs = s->pcs;
  b->payer_class = s->payer_class;
  b->window = s->window;
  b->date_from = s->date_from;
  b->date_to = s->date_to;
  b->charge = s->charge;
  if (s->n_ids) {
    b->ids = &m->ids[s->ids_at];
    b->id_edits = &m->id_edits[s->ids_at];
    b->n_ids = s->n_ids;
  }
  return b;
}

/* The sort key of a dated step: date (CCYYMMDD, below 2^29) and kind. */
static uint32_t date_kind(int32_t date, uint32_t kind)
{
  return ((uint32_t)date << 3) | (kind & 7u);
}

/* Appends a step reference to *k (n entries, *cap).  0 or -1. */
static int push_ref(c837_sref **k, size_t *n, size_t *cap,
                    const char *patient, int32_t date, uint32_t kind,
                    size_t ref)
{
  if (c837_vec_reserve(k, cap, *n + 1, sizeof **k, 256, 0) != 0)
    return -1;
  (*k)[*n].patient = patient;
  (*k)[*n].dk = date_kind(date, kind);
  (*k)[*n].ref = (uint32_t)ref;
  (*n)++;
  return 0;
}

/* The identities of this run's lines (not its procedures), for the
 * ledger's lines to be looked up in: a table of step indexes + 1 by the
 * hash of the identity (open addressing, at most half full), 4 bytes a
 * slot; a hit is compared with the identity built again from its step.
 * (A map of the identities themselves cost about 60 bytes per CAR-T line
 * at the run's peak, specs/performance.md.)  Built only when the ledger
 * has a line to look up. */
typedef struct idset {
  uint32_t *slot;  /* 0: empty; else step index + 1 */
  size_t mask;     /* slots - 1 */
  c837_buf key;    /* scratch: a step's identity */
} idset;

static int step_identity(const c837_audit_model *m, size_t i, c837_buf *b)
{
  const c837_mstep *s = &m->steps[i];
  return identity(b, str(m, s->patient), str(m, s->claim_id),
                  str(m, s->lx), str(m, s->provider));
}

/* Files this run's lines in st (empty).  0 or -1 (out of memory). */
static int idset_build(idset *st, const c837_audit_model *m)
{
  size_t i, ns = 64;
  if (m->n_steps > SIZE_MAX / (4 * sizeof *st->slot))
    return -1;
  while (ns < 2 * m->n_steps)
    ns *= 2;
  if (!(st->slot = calloc(ns, sizeof *st->slot)))
    return -1;
  st->mask = ns - 1;
  for (i = 0; i < m->n_steps; i++) {
    size_t h;
    if (m->steps[i].pcs)
      continue;
    if (step_identity(m, i, &st->key) != 0)
      return -1;
    h = (size_t)c837_hash(st->key.p, st->key.len) & st->mask;
    while (st->slot[h])
      h = (h + 1) & st->mask;
    st->slot[h] = (uint32_t)(i + 1); /* n_steps <= UINT32_MAX (collect) */
  }
  return 0;
}

/* 1 when identity id is one of this run's lines, 0 when not, -1 out of
 * memory. */
static int idset_has(idset *st, const c837_audit_model *m,
                     const c837_buf *id)
{
  size_t h = (size_t)c837_hash(id->p, id->len) & st->mask;
  for (; st->slot[h]; h = (h + 1) & st->mask) {
    if (step_identity(m, st->slot[h] - 1, &st->key) != 0)
      return -1;
    if (st->key.len == id->len && memcmp(st->key.p, id->p, id->len) == 0)
      return 1;
  }
  return 0;
}

/* The dated steps to sort into *k (*n of them): this run's, then the
 * ledger's step and product lines of runs before this_run that this run
 * did not read again, by reference.  0, -1 out of memory, -2 too many. */
static int collect(const c837_audit_model *m, uint32_t this_run,
                   c837_sref **k, size_t *n)
{
  idset seen;
  c837_buf key = {0};
  size_t i, cap = 0, nh = m->engine ? c837_engine_history_count(m->engine)
                                    : 0;
  c837_hist hb;
  int rc = 0, hit;
  *k = NULL;
  *n = 0;
  if (nh > UINT32_MAX - m->n_steps)
    return -2;
  memset(&seen, 0, sizeof seen);
  for (i = 0; i < m->n_steps && rc == 0; i++)
    if (m->steps[i].date_from)
      rc = push_ref(k, n, &cap, str(m, m->steps[i].patient),
                    m->steps[i].date_from, m->steps[i].kind, i);
  for (i = 0; i < nh && rc == 0; i++) {
    const c837_hist *h = c837_engine_history_at(m->engine, i, &hb);
    c837_hist_key hk;
    uint32_t kind = hist_kind(h);
    if (!kind || h->run >= this_run || !h->date_from)
      continue;
    if ((!seen.slot && idset_build(&seen, m) != 0) ||
        identity(&key, h->patient, h->claim_id, h->lx, h->provider) != 0 ||
        (hit = idset_has(&seen, m, &key)) < 0) {
      rc = -1;
      break;
    }
    if (hit || !c837_engine_history_key(m->engine, i, &hk))
      continue;
    rc = push_ref(k, n, &cap, hk.patient, h->date_from, kind,
                  m->n_steps + i);
  }
  free(seen.slot);
  c837_buf_free(&seen.key);
  c837_buf_free(&key);
  return rc;
}

/* ---- grouping ----------------------------------------------------- */

static int by_patient_date(const void *pa, const void *pb)
{
  const c837_sref *x = pa, *y = pb;
  int c;
  if (x->patient != y->patient && (c = strcmp(x->patient, y->patient)) != 0)
    return c;
  if (x->dk != y->dk)
    return x->dk < y->dk ? -1 : 1;
  return x->ref < y->ref ? -1 : x->ref > y->ref;
}

static int same_patient(const char *a, const char *b)
{
  return a == b || strcmp(a, b) == 0;
}

/* Adds step s to episode e. */
static void take(c837_episode *e, const c837_estep *s)
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
static int starts_new(const c837_episode *e, const c837_estep *s)
{
  int32_t d0 = c837_date_to_days(e->first_date);
  if (c837_date_to_days(s->date_from) - d0 > e->window)
    return 1;
  return s->kind == C837_EP_COLLECT &&
         ((e->date[C837_EP_ADMIN] && e->date[C837_EP_ADMIN] < s->date_from) ||
          (e->date[C837_EP_PRODUCT] &&
           e->date[C837_EP_PRODUCT] < s->date_from));
}

/* Cutting the sorted steps into episodes. */
typedef struct grouper {
  c837_audit_model *m;
  const c837_sref *k;
  FILE *fp;
  c837_epcsv *w;
  c837_episode cur;   /* the episode being cut */
  size_t cap_kept;
  c837_estep sb;
} grouper;

/* Writes g->cur's row and keeps it when the page draws it.  0, -1 out
 * of memory, -2 a write error. */
static int flush(grouper *g)
{
  c837_audit_model *m = g->m;
  int rc;
  m->n_episodes++;
  if ((rc = c837_epcsv_row(g->w, g->fp, m, &g->cur, g->k, m->n_episodes)))
    return rc;
  if (m->n_kept >= C837_HTML_MAX_EPISODES)
    return 0;
  if (c837_vec_reserve(&m->episodes, &g->cap_kept, m->n_kept + 1,
                       sizeof *m->episodes, 64, 0) != 0)
    return -1;
  m->episodes[m->n_kept].first = g->cur.first;
  m->episodes[m->n_kept].n = g->cur.n;
  m->episodes[m->n_kept++].patient = 0; /* kept_patients */
  return 0;
}

/* Cuts the n sorted steps g->k into episodes, writing each.  0, -1 or
 * -2 (as flush). */
static int group(grouper *g, size_t n)
{
  size_t i;
  int rc;
  for (i = 0; i < n; i++) {
    const c837_estep *s = c837_episodes_step(g->m, g->k[i].ref, &g->sb);
    c837_episode *e = &g->cur;
    if (i == 0 || !same_patient(g->k[e->first].patient, g->k[i].patient) ||
        starts_new(e, s)) {
      if (i > 0) {
        g->m->n_patients +=
            !same_patient(g->k[e->first].patient, g->k[i].patient);
        if ((rc = flush(g)) != 0)
          return rc;
      } else {
        g->m->n_patients = 1;
      }
      memset(e, 0, sizeof *e);
      e->first = (uint32_t)i; /* i < n <= UINT32_MAX (collect) */
      e->window = s->window;
      e->payer_class = C837_PAYER_UNKNOWN;
    }
    take(e, s);
  }
  return n ? flush(g) : 0;
}

void c837_episodes_at(const c837_audit_model *m, size_t i, c837_episode *e)
{
  const c837_kept *k = &m->episodes[i];
  c837_estep sb;
  uint32_t j;
  /* as group() cut it: the window of its first step, then each step */
  memset(e, 0, sizeof *e);
  e->first = k->first;
  e->patient = k->patient;
  e->payer_class = C837_PAYER_UNKNOWN;
  for (j = 0; j < k->n; j++) {
    const c837_estep *s =
        c837_episodes_step(m, m->order_of[k->first + j].ref, &sb);
    if (j == 0)
      e->window = s->window;
    take(e, s);
  }
}

/* The patients of the episodes kept, as ids of m->strs (after the cut:
 * interning moves the strings the keys borrow).  0 or -1. */
static int kept_patients(c837_audit_model *m)
{
  size_t i, id;
  for (i = 0; i < m->n_kept; i++) {
    c837_kept *e = &m->episodes[i];
    uint32_t ref = m->order_of[e->first].ref;
    const c837_estep *s;
    if (ref < m->n_steps) {
      e->patient = m->steps[ref].patient;
      continue;
    }
    s = c837_episodes_step(m, ref, &(c837_estep){0});
    if (c837_map_intern(&m->strs, s->patient, strlen(s->patient), &id) < 0)
      return -1;
    e->patient = (uint32_t)id;
  }
  return 0;
}

/* Sorts, cuts and writes; keeps the steps of the episodes kept in
 * m->order_of.  0, -1 out of memory, -2 a write error. */
static int cut(c837_audit_model *m, uint32_t this_run, FILE *fp)
{
  grouper g;
  size_t n;
  int rc = collect(m, this_run, &m->order_of, &n);
  if (rc != 0)
    return rc == -2 ? -1 : rc;
  if (n)
    c837_sort(m->order_of, n, sizeof *m->order_of, by_patient_date);
  memset(&g, 0, sizeof g);
  g.m = m;
  g.k = m->order_of;
  g.fp = fp;
  if (!(g.w = c837_epcsv_new()))
    return -1;
  rc = c837_epcsv_header(fp);
  if (rc == 0)
    rc = group(&g, n);
  c837_epcsv_free(g.w);
  if (rc != 0)
    return rc;
  if (m->n_kept) {
    const c837_kept *last = &m->episodes[m->n_kept - 1];
    m->n_order = last->first + last->n;
  }
  if (m->n_order < n) { /* the rest is in episodes.csv only */
    c837_sref *k = realloc(m->order_of,
                           (m->n_order ? m->n_order : 1) * sizeof *k);
    if (k)
      m->order_of = k;
  }
  return kept_patients(m);
}

c837_status c837_episodes_build(c837_audit_model *m,
                                const c837_engine *engine,
                                const c837_codetable *t,
                                uint32_t this_run, const c837_payers *p,
                                c837_out *out, c837_error *err)
{
  c837_payer_settings dflt;
  c837_status st;
  int rc;
  c837_payers_settings(p, NULL, NULL, &dflt);
  if (mark_replaced(m) != 0)
    return c837_error_set(err, C837_ENOMEM, 0, 0, "out of memory");
  m->engine = engine;
  m->t = t;
  m->ledger_window = dflt.step_window_days;
  if ((st = c837_out_open(out, err)) != C837_OK)
    return st;
  rc = cut(m, this_run, c837_out_fp(out));
  if (rc == -1) {
    c837_out_abort(out);
    return c837_error_set(err, C837_ENOMEM, 0, 0, "out of memory");
  }
  /* a write error is found by the close (ferror, fsync) */
  return c837_out_close(out, 1, err);
}
