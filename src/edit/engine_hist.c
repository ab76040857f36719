/* engine_hist.c -- the edit engine's memory: remembered lines and indexes
 *
 * The engine remembers the CAR-T and watch-code lines of the claims it
 * did not hold (c837_hist records), across claims, files and runs.  The
 * records live in one array in a stable order (append; replace in place;
 * drop dead records, keeping the order) next to three hash indexes:
 * - patient key -> the patient's records, so that a claim's edits cost
 *   time proportional to its own patient's lines;
 * - CLM01 + billing provider -> the lines of that claim, so that a void
 *   (CLM05-3 = 8) or replacement (7) touches only the lines it cancels;
 * - interchange (ISA06|ISA13|) -> the runs that read it, so that a re-run
 *   hides the ledger lines of the run it repeats.
 * Next to the lines it keeps tombstones (lines removed by voids and
 * replacements, so that merged ledgers cannot bring them back) and
 * interchange markers; every record carries the number of the run that
 * first remembered it.
 *
 * Removed records are only marked dead at first.  They are dropped
 * lazily, once they make up more than half of the array (so dropping
 * costs amortised O(1) per removal), or when the history is read
 * through c837_engine_history_count / _at -- never while a checkpoint is
 * open, because the undo log of a checkpoint holds record indexes.  A
 * checkpoint keeps the old value of every record changed after it, so
 * that a rollback (a file that failed half-way) restores the history
 * exactly.  The rules are specified in specs/edits.md, "Ledger, re-runs
 * and merges".
 */
#include "edit/engine_int.h"
#include "base/buf.h"
#include "base/map.h"
#include "base/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ */
/* String -> record list indexes                                       */
/* ------------------------------------------------------------------ */

static int imap_grow(c837_imap *m)
{
  size_t ns = m->nslots ? 2 * m->nslots : 64, i;
  size_t *slots = calloc(ns, sizeof *slots);
  if (!slots)
    return -1;
  for (i = 0; i < m->n; i++) {
    size_t s = (size_t)(c837_hash_str(m->ents[i].key) & (ns - 1));
    while (slots[s])
      s = (s + 1) & (ns - 1);
    slots[s] = i + 1;
  }
  free(m->slots);
  m->slots = slots;
  m->nslots = ns;
  return 0;
}

/* The list of key, or NULL when unknown (create = 0) or out of memory
 * (create = 1). */
static c837_ilist *imap_get(c837_imap *m, const char *key, int create)
{
  size_t s;
  c837_ilist *p;
  size_t len;
  if (m->nslots) {
    s = (size_t)(c837_hash_str(key) & (m->nslots - 1));
    while (m->slots[s]) {
      p = &m->ents[m->slots[s] - 1];
      if (strcmp(p->key, key) == 0)
        return p;
      s = (s + 1) & (m->nslots - 1);
    }
  }
  if (!create)
    return NULL;
  if ((m->n + 1) * 2 > m->nslots && imap_grow(m) != 0)
    return NULL;
  if (c837_vec_reserve(&m->ents, &m->cap, m->n + 1, sizeof *m->ents, 64, 0) != 0)
    return NULL;
  p = &m->ents[m->n];
  len = strlen(key);
  memset(p, 0, sizeof *p);
  p->key = malloc(len + 1);
  if (!p->key)
    return NULL;
  memcpy(p->key, key, len + 1);
  s = (size_t)(c837_hash_str(key) & (m->nslots - 1));
  while (m->slots[s])
    s = (s + 1) & (m->nslots - 1);
  m->slots[s] = ++m->n;
  return p;
}

/* Makes room for one more index in l.  0 or -1 (ENOMEM). */
static int ilist_reserve(c837_ilist *l)
{
  if (c837_vec_reserve(&l->idx, &l->cap, l->n + 1, sizeof *l->idx, 4, 0) != 0)
    return -1;
  return 0;
}

/* Files idx in l, keeping l sorted; nothing when it is there already.
 * 0 or -1 (ENOMEM). */
static int ilist_insert(c837_ilist *l, size_t idx)
{
  size_t lo = 0, hi = l->n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (l->idx[mid] < idx)
      lo = mid + 1;
    else
      hi = mid;
  }
  if (lo < l->n && l->idx[lo] == idx)
    return 0;
  if (ilist_reserve(l) != 0)
    return -1;
  memmove(l->idx + lo + 1, l->idx + lo, (l->n - lo) * sizeof *l->idx);
  l->idx[lo] = idx;
  l->n++;
  return 0;
}

static void imap_free(c837_imap *m)
{
  size_t i;
  for (i = 0; i < m->n; i++) {
    free(m->ents[i].key);
    free(m->ents[i].idx);
  }
  free(m->ents);
  free(m->slots);
  memset(m, 0, sizeof *m);
}

/* The key of a claim in e->claims: "CLM01 US provider". */
#define CLAIM_KEY_MAX (2 * C837_ID_MAX + 2)

static void claim_key(char buf[CLAIM_KEY_MAX], const char *claim_id,
                      const char *provider)
{
  snprintf(buf, CLAIM_KEY_MAX, "%s\x1f%s", claim_id, provider);
}
/* Kinds of record (see c837_hist). */
static int is_bookkeeping(const c837_hist *h)
{
  return h->family == C837_FAM_NONE;
}

static int is_marker(const c837_hist *h)
{
  return is_bookkeeping(h) && !h->claim_id[0] && !h->lx[0];
}

static int same_identity(const c837_hist *a, const c837_hist *b)
{
  return strcmp(a->source, b->source) == 0 &&
         strcmp(a->claim_id, b->claim_id) == 0 && strcmp(a->lx, b->lx) == 0;
}

/* Length of the interchange key "ISA06|ISA13|" at the start of source,
 * 0 when source has no two '|'. */
static size_t ix_key_len(const char *source)
{
  const char *bar = strchr(source, '|');
  if (!bar || !(bar = strchr(bar + 1, '|')))
    return 0;
  return (size_t)(bar - source) + 1;
}

/* Remembers the record's old value before a change, while a checkpoint
 * is open and the record existed at it.  -1 (e->oom set) on ENOMEM: the
 * caller must not change the record then. */
static int touch(c837_engine *e, size_t idx, int is_mk)
{
  c837_undo *u;
  if (!e->cp || idx >= (is_mk ? e->cp_nmk : e->cp_nh))
    return 0;
  if (c837_vec_reserve(&e->undo, &e->capundo, e->nundo + 1, sizeof *e->undo, 64, 0) != 0) {
    e->oom = 1;
    return -1;
  }
  u = &e->undo[e->nundo++];
  u->idx = idx;
  u->is_mk = is_mk;
  u->old = is_mk ? e->mk[idx] : e->h[idx];
  return 0;
}

/* Marks record i dead.  0, or -1 on ENOMEM (nothing changed). */
static int kill_rec(c837_engine *e, size_t i)
{
  if (touch(e, i, 0) != 0)
    return -1;
  e->h[i].dead = 1;
  e->ndead++;
  return 0;
}

/* ---- interchange index ---- */

static c837_ixc *ix_find(const c837_engine *e, const char *key, size_t len)
{
  size_t s;
  if (!e->nixslots)
    return NULL;
  s = (size_t)(c837_hash(key, len) & (e->nixslots - 1));
  while (e->ixslots[s]) {
    c837_ixc *x = &e->ix[e->ixslots[s] - 1];
    if (strlen(x->key) == len && memcmp(x->key, key, len) == 0)
      return x;
    s = (s + 1) & (e->nixslots - 1);
  }
  return NULL;
}

static void ix_slot(size_t *slots, size_t ns, const char *key, size_t idx)
{
  size_t s = (size_t)(c837_hash_str(key) & (ns - 1));
  while (slots[s])
    s = (s + 1) & (ns - 1);
  slots[s] = idx + 1;
}

/* The entry of interchange key[0..len), created when missing; NULL on
 * ENOMEM. */
static c837_ixc *ix_get(c837_engine *e, const char *key, size_t len)
{
  c837_ixc *x = ix_find(e, key, len);
  if (x)
    return x;
  if ((e->nix + 1) * 2 > e->nixslots) {
    size_t ns = e->nixslots ? 2 * e->nixslots : 64, i;
    size_t *slots = calloc(ns, sizeof *slots);
    if (!slots)
      return NULL;
    for (i = 0; i < e->nix; i++)
      ix_slot(slots, ns, e->ix[i].key, i);
    free(e->ixslots);
    e->ixslots = slots;
    e->nixslots = ns;
  }
  if (c837_vec_reserve(&e->ix, &e->capix, e->nix + 1, sizeof *e->ix, 64, 0) != 0)
    return NULL;
  x = &e->ix[e->nix];
  x->key = malloc(len + 1);
  if (!x->key)
    return NULL;
  memcpy(x->key, key, len);
  x->key[len] = 0;
  x->min_run = 0;
  x->has_loaded = 0;
  x->mk = C837_NO_INDEX;
  ix_slot(e->ixslots, e->nixslots, x->key, e->nix);
  e->nix++;
  return x;
}

/* Notes a loaded record of h's interchange.  0 or -1 (ENOMEM). */
static int ix_note_loaded(c837_engine *e, const c837_hist *h)
{
  size_t len = ix_key_len(h->source);
  c837_ixc *x;
  if (!len)
    return 0;
  x = ix_get(e, h->source, len);
  if (!x)
    return -1;
  if (!x->has_loaded || h->run < x->min_run)
    x->min_run = h->run;
  x->has_loaded = 1;
  return 0;
}

static void ix_clear(c837_engine *e)
{
  size_t i;
  for (i = 0; i < e->nix; i++)
    free(e->ix[i].key);
  e->nix = 0;
}

/* Returns the interchange index to its state at the checkpoint:
 * entries made since go, markers made since are forgotten.  (The
 * smallest loaded run of an interchange is kept as lowered by
 * c837_engine_add_history calls made after the checkpoint, if any.) */
static void ix_rollback(c837_engine *e)
{
  size_t i;
  for (i = e->cp_nix; i < e->nix; i++)
    free(e->ix[i].key);
  e->nix = e->cp_nix;
  if (e->ixslots)
    memset(e->ixslots, 0, e->nixslots * sizeof *e->ixslots);
  for (i = 0; i < e->nix; i++) {
    if (e->ix[i].mk != C837_NO_INDEX && e->ix[i].mk >= e->nmk)
      e->ix[i].mk = C837_NO_INDEX;
    ix_slot(e->ixslots, e->nixslots, e->ix[i].key, i);
  }
}

/* ------------------------------------------------------------------ */
/* Records                                                             */
/* ------------------------------------------------------------------ */

/* Appends a line or tombstone and indexes it (a line also under its
 * claim).  0 or -1 (ENOMEM; nothing changed but empty index entries). */
static int hist_append(c837_engine *e, const c837_hist *h, int loaded)
{
  c837_ilist *p = imap_get(&e->pats, h->patient, 1), *cl = NULL;
  if (!p || ilist_reserve(p) != 0)
    return -1;
  if (!is_bookkeeping(h)) {
    char key[CLAIM_KEY_MAX];
    claim_key(key, h->claim_id, h->provider);
    cl = imap_get(&e->claims, key, 1);
    if (!cl || ilist_reserve(cl) != 0)
      return -1;
  }
  if (c837_vec_reserve(&e->h, &e->caph, e->nh + 1, sizeof *e->h, 64, 0) != 0)
    return -1;
  p->idx[p->n++] = e->nh;
  if (cl)
    cl->idx[cl->n++] = e->nh;
  e->h[e->nh].h = *h;
  e->h[e->nh].loaded = loaded;
  e->h[e->nh].dead = 0;
  e->nh++;
  return 0;
}

/* Appends a marker.  0 or -1 (ENOMEM). */
static int mk_append(c837_engine *e, const c837_hist *h, int loaded)
{
  if (c837_vec_reserve(&e->mk, &e->capmk, e->nmk + 1, sizeof *e->mk, 16, 0) != 0)
    return -1;
  e->mk[e->nmk].h = *h;
  e->mk[e->nmk].loaded = loaded;
  e->mk[e->nmk].dead = 0;
  e->nmk++;
  return 0;
}

/* Rebuilds every index list from the records.  Every record is already
 * in the list of its patient and (a line) of its claim, and each list is
 * rebuilt from a subset of its entries, so each ends no longer than it
 * was and nothing is allocated. */
static void reindex(c837_engine *e)
{
  size_t i;
  char key[CLAIM_KEY_MAX];
  for (i = 0; i < e->pats.n; i++)
    e->pats.ents[i].n = 0;
  for (i = 0; i < e->claims.n; i++)
    e->claims.ents[i].n = 0;
  for (i = 0; i < e->nh; i++) {
    const c837_hist *h = &e->h[i].h;
    c837_ilist *l = imap_get(&e->pats, h->patient, 0);
    if (l && l->n < l->cap)
      l->idx[l->n++] = i;
    if (e->h[i].dead || is_bookkeeping(h))
      continue;
    claim_key(key, h->claim_id, h->provider);
    l = imap_get(&e->claims, key, 0);
    if (l && l->n < l->cap)
      l->idx[l->n++] = i;
  }
}

/* Removes dead records, keeping the order.  Not while a checkpoint is
 * open (its undo records hold indexes). */
static void hist_compact(c837_engine *e)
{
  size_t i, j = 0;
  if (!e->ndead || e->cp)
    return;
  for (i = 0; i < e->nh; i++)
    if (!e->h[i].dead)
      e->h[j++] = e->h[i];
  e->nh = j;
  e->ndead = 0;
  reindex(e);
}

void c837_hist_settle(c837_engine *e)
{
  if (e->ndead && !e->cp && e->ndead > e->nh / 2)
    hist_compact(e);
}

void c837_hist_release(c837_engine *e)
{
  imap_free(&e->pats);
  imap_free(&e->claims);
  ix_clear(e);
  free(e->ix);
  free(e->ixslots);
  free(e->h);
  free(e->mk);
  free(e->undo);
  e->ix = NULL;
  e->ixslots = NULL;
  e->h = e->mk = NULL;
  e->undo = NULL;
}

/* ------------------------------------------------------------------ */
/* History API                                                         */
/* ------------------------------------------------------------------ */

uint32_t c837_hist_run_now(const c837_engine *e)
{
  return e->max_run == UINT32_MAX ? UINT32_MAX : e->max_run + 1;
}

c837_status c837_engine_add_history(c837_engine *e, const c837_hist *h)
{
  c837_ilist *p;
  size_t k;
  if (!e || !h)
    return C837_EINVAL;
  e->oom = 0;
  if (h->run > e->max_run)
    e->max_run = h->run;
  if (ix_note_loaded(e, h) != 0)
    return C837_ENOMEM;
  if (is_marker(h)) {
    size_t len = ix_key_len(h->source);
    c837_ixc *x = len ? ix_find(e, h->source, len) : NULL;
    if (x && x->mk != C837_NO_INDEX) {
      /* the same marker twice: the later run's stays */
      if (h->run >= e->mk[x->mk].h.run) {
        if (touch(e, x->mk, 1) != 0)
          return C837_ENOMEM;
        e->mk[x->mk].h = *h;
        e->mk[x->mk].loaded = 1;
      }
      return C837_OK;
    }
    if (mk_append(e, h, 1) != 0)
      return C837_ENOMEM;
    if (x)
      x->mk = e->nmk - 1;
    return C837_OK;
  }
  /* tombstones against rows, in both orders of loading */
  p = imap_get(&e->pats, h->patient, 0);
  for (k = 0; p && k < p->n; k++) {
    size_t i = p->idx[k];
    c837_hrec *r = &e->h[i];
    if (r->dead || !r->loaded || !same_identity(&r->h, h))
      continue;
    if (is_bookkeeping(h) && !is_bookkeeping(&r->h) && r->h.run <= h->run) {
      if (kill_rec(e, i) != 0)
        return C837_ENOMEM;
    } else if (!is_bookkeeping(h) && is_bookkeeping(&r->h) &&
               h->run <= r->h.run) {
      return C837_OK; /* removed by a void or replacement */
    }
  }
  if (hist_append(e, h, 1) != 0)
    return C837_ENOMEM;
  c837_hist_settle(e); /* rare: a saved ledger holds no such pair */
  return C837_OK;
}

/* Drops the dead records before the history is read, when no
 * checkpoint is open.  The engine is logically const here: the records
 * listed stay the same, only the dead ones (never listed) go.  (The
 * engine is always allocated by c837_engine_new, never a const object.) */
static void settle_for_reading(const c837_engine *ce)
{
  c837_engine *e = (c837_engine *)ce;
  if (e->ndead && !e->cp)
    hist_compact(e);
}

size_t c837_engine_history_count(const c837_engine *e)
{
  if (!e)
    return 0;
  settle_for_reading(e);
  return e->nh + e->nmk;
}

const c837_hist *c837_engine_history_at(const c837_engine *e, size_t i)
{
  if (!e)
    return NULL;
  settle_for_reading(e);
  if (i < e->nh)
    return &e->h[i].h;
  if (i - e->nh < e->nmk)
    return &e->mk[i - e->nh].h;
  return NULL;
}

void c837_engine_commit(c837_engine *e)
{
  if (!e || !e->cp)
    return;
  e->cp = 0;
  e->nundo = 0;
  c837_hist_settle(e);
}

c837_status c837_engine_checkpoint(c837_engine *e)
{
  if (!e)
    return C837_EINVAL;
  c837_engine_commit(e);
  c837_hist_settle(e);
  e->cp = 1;
  e->cp_nh = e->nh;
  e->cp_nmk = e->nmk;
  e->cp_nix = e->nix;
  e->cp_ndead = e->ndead;
  e->cp_max_run = e->max_run;
  e->cp_hiding = e->hiding;
  e->cp_hide_min = e->hide_min;
  e->nundo = 0;
  return C837_OK;
}

void c837_engine_rollback(c837_engine *e)
{
  size_t i;
  if (!e || !e->cp)
    return;
  for (i = e->nundo; i-- > 0;) {
    const c837_undo *u = &e->undo[i];
    if (u->is_mk)
      e->mk[u->idx] = u->old;
    else
      e->h[u->idx] = u->old;
  }
  e->nh = e->cp_nh;
  e->nmk = e->cp_nmk;
  e->ndead = e->cp_ndead;
  e->max_run = e->cp_max_run;
  e->hiding = e->cp_hiding;
  e->hide_min = e->cp_hide_min;
  e->cp = 0;
  e->nundo = 0;
  reindex(e);
  ix_rollback(e);
  c837_hist_settle(e);
}

/* ------------------------------------------------------------------ */
/* The history and one claim                                           */
/* ------------------------------------------------------------------ */

int c837_hist_ev_push(c837_engine *e, const c837_event *v)
{
  if (c837_vec_reserve(&e->ev, &e->capev, e->nev + 1, sizeof *e->ev, 32, 0) != 0) {
    e->oom = 1;
    return -1;
  }
  e->ev[e->nev++] = *v;
  return 0;
}

/* 1 when history record r stands for this very claim or for lines this
 * claim cancels, so that the claim must not be counted against it:
 * - a loaded line of an earlier run that this run is repeating (see
 *   c837_hist_hide: its run is hidden);
 * - with no envelope known, a loaded line of the same source and claim;
 * - any line of the same CLM01 and provider when this claim is a
 *   replacement (it replaces them);
 * - a replacement's line of the same CLM01 and provider when this claim
 *   is the original it replaced (a re-run reading the original again). */
static int excluded(const c837_engine *e, const c837_hrec *r)
{
  const c837_claim *c = e->c;
  int f = c837_eng_freq(c);
  if (r->loaded && e->hiding && r->h.run >= e->hide_min)
    return 1;
  if (strcmp(r->h.claim_id, c->id) != 0)
    return 0;
  if (r->loaded && strcmp(r->h.source, e->source) == 0)
    return 1;
  if (strcmp(r->h.provider, c->billing.id) != 0)
    return 0;
  if (f == 7)
    return 1;
  return atoi(r->h.freq) == 7;
}

/* A re-run: when the claim's interchange was read by an earlier run
 * (some loaded record comes from it), that run is being repeated, and
 * while this claim is judged every loaded record of that run -- and of
 * any later run -- is hidden from the edits.  The lines of the repeated
 * run that came before this interchange were read again by this run and
 * stand in for themselves; those that came after must not be seen early.
 * A claim of an interchange the ledger does not know (a new one, even
 * next to a re-sent one) sees every loaded record.  See specs/edits.md. */
void c837_hist_hide(c837_engine *e)
{
  const c837_ixc *x;
  e->hiding = 0;
  if (!e->isa_len)
    return;
  x = ix_find(e, e->source, e->isa_len);
  if (!x || !x->has_loaded)
    return;
  e->hiding = 1;
  e->hide_min = x->min_run;
}

/* Records (or takes over from the ledger) the marker of the claim's
 * interchange, when the claim has CAR-T or watch lines.  0 or -1. */
int c837_hist_mark(c837_engine *e)
{
  const c837_claim *c = e->c;
  c837_ixc *x;
  c837_hist h;
  size_t i;
  int any = 0;
  if (!e->isa_len)
    return 0;
  for (i = 0; i < c->n_lines && !any; i++)
    any = e->el[i].row && e->el[i].fam != C837_FAM_NONE;
  if (!any)
    return 0;
  x = ix_get(e, e->source, e->isa_len);
  if (!x)
    return -1;
  if (x->mk != C837_NO_INDEX) {
    c837_hrec *m = &e->mk[x->mk];
    if (m->loaded) {
      if (touch(e, x->mk, 1) != 0)
        return -1;
      m->loaded = 0; /* kept as it was: this run read it again */
    }
    return 0;
  }
  memset(&h, 0, sizeof h);
  memcpy(h.source, e->source, e->isa_len);
  h.source[e->isa_len] = 0;
  h.family = C837_FAM_NONE;
  h.run_date = e->run_date;
  h.run = c837_hist_run_now(e);
  if (mk_append(e, &h, 0) != 0)
    return -1;
  x->mk = e->nmk - 1;
  return 0;
}

/* Events of the patient's remembered lines, in history order. */
void c837_hist_gather(c837_engine *e)
{
  const c837_ilist *p;
  size_t i;
  e->nev = 0;
  e->nev_hist = 0;
  if (!e->c->patient_key[0])
    return; /* our choice: no patient, no cross-claim counting */
  p = imap_get(&e->pats, e->c->patient_key, 0);
  if (!p)
    return;
  for (i = 0; i < p->n; i++) {
    const c837_hrec *r = &e->h[p->idx[i]];
    c837_event v;
    if (r->dead || is_bookkeeping(&r->h) || excluded(e, r))
      continue;
    memset(&v, 0, sizeof v);
    v.code = r->h.code;
    v.row = c837_codetable_find(e->t, r->h.code);
    v.fam = (int)r->h.family;
    v.step = r->h.step;
    v.from = r->h.date_from;
    v.to = r->h.date_to && r->h.date_to >= r->h.date_from ? r->h.date_to
                                                          : r->h.date_from;
    if (!v.from)
      continue; /* undated lines take part in no dated edit */
    v.dfrom = c837_date_to_days(v.from);
    v.dto = c837_date_to_days(v.to);
    v.units = r->h.units;
    v.provider = r->h.provider;
    v.claim_id = r->h.claim_id;
    v.line = C837_NO_INDEX;
    if (c837_hist_ev_push(e, &v) != 0)
      return;
  }
  e->nev_hist = e->nev;
}

/* Removes every line of claim id + provider (void / replacement),
 * leaving a tombstone for each so that ledgers merged or loaded later
 * cannot bring it back.  A replacement with a known envelope leaves the
 * lines of its own source and claim alone: that is the same replacement
 * read again, and c837_hist_record takes them over.  Only the claim's
 * own list in e->claims is walked, in record order (the tombstones come
 * out in the order a walk of the whole history would give). */
int c837_hist_cancel(c837_engine *e)
{
  const c837_claim *c = e->c;
  char key[CLAIM_KEY_MAX];
  const c837_ilist *l;
  size_t k, n;
  int f = c837_eng_freq(c);
  claim_key(key, c->id, c->billing.id);
  l = imap_get(&e->claims, key, 0);
  if (!l)
    return 0;
  /* tombstones are not filed under claims: l stays as it is */
  n = l->n;
  for (k = 0; k < n; k++) {
    size_t i = l->idx[k];
    c837_hist t;
    if (e->h[i].dead || is_bookkeeping(&e->h[i].h) ||
        strcmp(e->h[i].h.claim_id, c->id) != 0 ||
        strcmp(e->h[i].h.provider, c->billing.id) != 0)
      continue; /* a stale entry */
    if (f == 7 && e->isa_len && strcmp(e->h[i].h.source, e->source) == 0)
      continue;
    t = e->h[i].h;
    t.family = C837_FAM_NONE;
    c837_eng_copy(t.freq, sizeof t.freq, c->freq);
    if (kill_rec(e, i) != 0 || hist_append(e, &t, 0) != 0) {
      e->oom = 1;
      return -1;
    }
  }
  return 0;
}

/* Remembers the claim's CAR-T and watch-code lines that stay.  A loaded
 * record with the same source, claim and LX is replaced in place and its
 * run kept; a loaded tombstone of it gives way (the line is read again)
 * and gives it its run. */
int c837_hist_record(c837_engine *e)
{
  const c837_claim *c = e->c;
  size_t i, k;
  if (!c->patient_key[0])
    return 0;
  for (i = 0; i < c->n_lines; i++) {
    const c837_eline *x = &e->el[i];
    c837_hist h;
    c837_ilist *p;
    int replaced = 0;
    if (x->removed || !x->row || x->fam == C837_FAM_NONE)
      continue;
    memset(&h, 0, sizeof h);
    c837_eng_copy(h.source, sizeof h.source, e->source);
    c837_eng_copy(h.claim_id, sizeof h.claim_id, c->id);
    c837_eng_copy(h.lx, sizeof h.lx, x->src->lx);
    c837_eng_copy(h.patient, sizeof h.patient, c->patient_key);
    c837_eng_copy(h.provider, sizeof h.provider, c->billing.id);
    c837_eng_copy(h.code, sizeof h.code, x->code);
    c837_eng_copy(h.billed, sizeof h.billed, x->src->code);
    h.family = x->row->family;
    h.step = x->row->step;
    h.date_from = x->from;
    h.date_to = x->to;
    h.units = x->units_valid ? x->units : 0;
    c837_eng_copy(h.freq, sizeof h.freq, c->freq);
    h.run_date = e->run_date;
    h.run = c837_hist_run_now(e);
    p = imap_get(&e->pats, c->patient_key, 0);
    for (k = 0; p && k < p->n; k++) {
      size_t ri = p->idx[k];
      c837_hrec *r = &e->h[ri];
      if (!r->loaded || r->dead || !same_identity(&r->h, &h))
        continue;
      if (touch(e, ri, 0) != 0)
        return -1;
      h.run = r->h.run;
      if (is_bookkeeping(&r->h)) {
        r->dead = 1;
        e->ndead++;
        continue; /* the line itself is appended below */
      }
      if (strcmp(r->h.provider, h.provider) != 0) {
        /* the same line billed under another provider: refile it
         * (its old claim list keeps a stale entry) */
        char key[CLAIM_KEY_MAX];
        c837_ilist *cl;
        claim_key(key, h.claim_id, h.provider);
        cl = imap_get(&e->claims, key, 1);
        if (!cl || ilist_insert(cl, ri) != 0)
          return -1;
      }
      r->h = h;
      r->loaded = 0;
      replaced = 1;
      break;
    }
    if (!replaced && hist_append(e, &h, 0) != 0)
      return -1;
  }
  return 0;
}
