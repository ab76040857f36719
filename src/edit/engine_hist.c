/* engine_hist.c -- the edit engine's memory: remembered lines and indexes
 *
 * The engine remembers the CAR-T and watch-code lines of the claims it
 * did not hold (c837_hist records), across claims, files and runs.  The
 * records live in one array in a stable order (append; replace in place;
 * drop dead records, keeping the order) next to three indexes, each a
 * c837_map (base/map.h) from a key to per-key data:
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
 * checkpoint saves the array lengths and run numbers (c837_hmarks, one
 * struct copy) and the old value of every record changed after it, so
 * that a rollback (a file that failed half-way) restores the history
 * exactly.  This file calls no other file of the engine (engine_int.h).
 * The rules are specified in specs/edits.md, "Ledger, re-runs and
 * merges".
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

/* The list of key[0..len), or NULL when unknown (create = 0) or out of
 * memory (create = 1). */
static c837_ilist *index_get(c837_index *x, const char *key, size_t len,
                             int create)
{
  size_t id = c837_map_find(&x->keys, key, len);
  if (id != C837_MAP_NONE)
    return &x->lists[id];
  if (!create ||
      c837_vec_reserve(&x->lists, &x->cap, c837_map_count(&x->keys) + 1,
                       sizeof *x->lists, 64, 0) != 0 ||
      c837_map_intern(&x->keys, key, len, &id) < 0)
    return NULL;
  memset(&x->lists[id], 0, sizeof x->lists[id]);
  return &x->lists[id];
}

static c837_ilist *index_get_str(c837_index *x, const char *key, int create)
{
  return index_get(x, key, strlen(key), create);
}

/* Makes room for one more index in l.  0 or -1 (ENOMEM). */
static int ilist_reserve(c837_ilist *l)
{
  return c837_vec_reserve(&l->idx, &l->cap, l->n + 1, sizeof *l->idx, 4, 0)
             ? -1
             : 0;
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

/* Empties every list of x (keeping the keys and the memory). */
static void index_clear_lists(c837_index *x)
{
  size_t i;
  for (i = 0; i < c837_map_count(&x->keys); i++)
    x->lists[i].n = 0;
}

static void index_free(c837_index *x)
{
  size_t i;
  for (i = 0; i < c837_map_count(&x->keys); i++)
    free(x->lists[i].idx);
  free(x->lists);
  c837_map_free(&x->keys);
  memset(x, 0, sizeof *x);
}

/* The list of the claim claim_id + provider in the claim index:
 * "CLM01 US provider". */
static c837_ilist *claim_list(c837_histstore *hs, const char *claim_id,
                              const char *provider, int create)
{
  char key[2 * C837_ID_MAX + 2];
  int n = snprintf(key, sizeof key, "%s\x1f%s", claim_id, provider);
  return index_get(&hs->claims, key,
                   n < (int)sizeof key ? (size_t)n : sizeof key - 1, create);
}

/* Kinds of record (see c837_hist_kind): tombstones and markers are
 * bookkeeping, in no edit. */
static int is_bookkeeping(const c837_hist *h)
{
  return h->kind != C837_HIST_LINE;
}

c837_hist_kind c837_hist_kind_of(const c837_hist *h)
{
  if (h->kind == C837_HIST_ADMISSION)
    return C837_HIST_ADMISSION;
  if (h->family != C837_FAM_NONE)
    return C837_HIST_LINE;
  return h->claim_id[0] || h->lx[0] ? C837_HIST_TOMBSTONE : C837_HIST_MARKER;
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
  c837_checkpoint *cp = &e->cp;
  c837_undo *u;
  if (!cp->open || idx >= (is_mk ? cp->saved.nmk : cp->saved.nh))
    return 0;
  if (c837_vec_reserve(&cp->undo, &cp->capundo, cp->nundo + 1,
                       sizeof *cp->undo, 64, 0) != 0) {
    e->oom = 1;
    return -1;
  }
  u = &cp->undo[cp->nundo++];
  u->idx = idx;
  u->is_mk = is_mk;
  u->old = is_mk ? e->hist.mk[idx] : e->hist.h[idx];
  return 0;
}

/* Marks record i dead.  0, or -1 on ENOMEM (nothing changed). */
static int kill_rec(c837_engine *e, size_t i)
{
  if (touch(e, i, 0) != 0)
    return -1;
  e->hist.h[i].dead = 1;
  e->hist.m.ndead++;
  return 0;
}

/* ---- interchange index ---- */

static c837_ixc *ix_find(const c837_histstore *hs, const char *key,
                         size_t len)
{
  size_t id = c837_map_find(&hs->ixkeys, key, len);
  return id == C837_MAP_NONE ? NULL : &hs->ix[id];
}

/* The entry of interchange key[0..len), created when missing; NULL on
 * ENOMEM. */
static c837_ixc *ix_get(c837_histstore *hs, const char *key, size_t len)
{
  size_t id = c837_map_find(&hs->ixkeys, key, len);
  if (id != C837_MAP_NONE)
    return &hs->ix[id];
  if (c837_vec_reserve(&hs->ix, &hs->capix, c837_map_count(&hs->ixkeys) + 1,
                       sizeof *hs->ix, 64, 0) != 0 ||
      c837_map_intern(&hs->ixkeys, key, len, &id) < 0)
    return NULL;
  hs->ix[id].min_run = 0;
  hs->ix[id].has_loaded = 0;
  hs->ix[id].mk = C837_NO_INDEX;
  return &hs->ix[id];
}

/* Notes a loaded record of h's interchange.  0 or -1 (ENOMEM). */
static int ix_note_loaded(c837_histstore *hs, const c837_hist *h)
{
  size_t len = ix_key_len(h->source);
  c837_ixc *x;
  if (!len)
    return 0;
  x = ix_get(hs, h->source, len);
  if (!x)
    return -1;
  if (!x->has_loaded || h->run < x->min_run)
    x->min_run = h->run;
  x->has_loaded = 1;
  return 0;
}

/* Returns the interchange index to its state at the checkpoint: entries
 * made since (ids from nix on; the map keeps their keys) know nothing
 * again, as if they were new, and markers made since are forgotten.
 * (The smallest loaded run of an interchange is kept as lowered by
 * c837_engine_add_history calls made after the checkpoint, if any.) */
static void ix_rollback(c837_histstore *hs, size_t nix)
{
  size_t i;
  for (i = 0; i < c837_map_count(&hs->ixkeys); i++) {
    c837_ixc *x = &hs->ix[i];
    if (i >= nix) {
      x->min_run = 0;
      x->has_loaded = 0;
      x->mk = C837_NO_INDEX;
    } else if (x->mk != C837_NO_INDEX && x->mk >= hs->m.nmk) {
      x->mk = C837_NO_INDEX;
    }
  }
}

/* ------------------------------------------------------------------ */
/* Records                                                             */
/* ------------------------------------------------------------------ */

/* Appends a line or tombstone and indexes it (a line also under its
 * claim).  0 or -1 (ENOMEM; nothing changed but empty index entries). */
static int hist_append(c837_engine *e, const c837_hist *h, int loaded)
{
  c837_histstore *hs = &e->hist;
  c837_ilist *p = index_get_str(&hs->pats, h->patient, 1), *cl = NULL;
  c837_hrec *r;
  if (!p || ilist_reserve(p) != 0)
    return -1;
  if (!is_bookkeeping(h)) {
    cl = claim_list(hs, h->claim_id, h->provider, 1);
    if (!cl || ilist_reserve(cl) != 0)
      return -1;
  }
  if (c837_vec_reserve(&hs->h, &hs->caph, hs->m.nh + 1, sizeof *hs->h, 64,
                       0) != 0)
    return -1;
  p->idx[p->n++] = hs->m.nh;
  if (cl)
    cl->idx[cl->n++] = hs->m.nh;
  r = &hs->h[hs->m.nh++];
  r->h = *h;
  r->loaded = loaded;
  r->dead = 0;
  return 0;
}

/* Appends a marker.  0 or -1 (ENOMEM). */
static int mk_append(c837_histstore *hs, const c837_hist *h, int loaded)
{
  c837_hrec *r;
  if (c837_vec_reserve(&hs->mk, &hs->capmk, hs->m.nmk + 1, sizeof *hs->mk,
                       16, 0) != 0)
    return -1;
  r = &hs->mk[hs->m.nmk++];
  r->h = *h;
  r->loaded = loaded;
  r->dead = 0;
  return 0;
}

/* Rebuilds every index list from the records.  Every record is already
 * in the list of its patient and (a line) of its claim, and each list is
 * rebuilt from a subset of its entries, so each ends no longer than it
 * was and nothing is allocated. */
static void reindex(c837_histstore *hs)
{
  size_t i;
  index_clear_lists(&hs->pats);
  index_clear_lists(&hs->claims);
  for (i = 0; i < hs->m.nh; i++) {
    const c837_hist *h = &hs->h[i].h;
    c837_ilist *l = index_get_str(&hs->pats, h->patient, 0);
    if (l && l->n < l->cap)
      l->idx[l->n++] = i;
    if (hs->h[i].dead || is_bookkeeping(h))
      continue;
    l = claim_list(hs, h->claim_id, h->provider, 0);
    if (l && l->n < l->cap)
      l->idx[l->n++] = i;
  }
}

/* Removes dead records, keeping the order.  Not while a checkpoint is
 * open (its undo records hold indexes). */
static void hist_compact(c837_engine *e)
{
  c837_histstore *hs = &e->hist;
  size_t i, j = 0;
  if (!hs->m.ndead || e->cp.open)
    return;
  for (i = 0; i < hs->m.nh; i++)
    if (!hs->h[i].dead)
      hs->h[j++] = hs->h[i];
  hs->m.nh = j;
  hs->m.ndead = 0;
  reindex(hs);
}

void c837_hist_settle(c837_engine *e)
{
  if (e->hist.m.ndead && !e->cp.open && e->hist.m.ndead > e->hist.m.nh / 2)
    hist_compact(e);
}

void c837_hist_release(c837_engine *e)
{
  c837_histstore *hs = &e->hist;
  index_free(&hs->pats);
  index_free(&hs->claims);
  c837_map_free(&hs->ixkeys);
  free(hs->ix);
  free(hs->h);
  free(hs->mk);
  free(e->cp.undo);
  memset(hs, 0, sizeof *hs);
  memset(&e->cp, 0, sizeof e->cp);
  c837_admit_free(e);
}

int c837_hist_patient_known(const c837_engine *e, const char *patient)
{
  const c837_ilist *p =
      index_get_str((c837_index *)&e->hist.pats, patient, 0);
  return p && p->n > 0;
}

/* The run number of the lines this run remembers first. */
static uint32_t run_now(const c837_histstore *hs)
{
  return hs->m.max_run == UINT32_MAX ? UINT32_MAX : hs->m.max_run + 1;
}

/* ------------------------------------------------------------------ */
/* History API                                                         */
/* ------------------------------------------------------------------ */

c837_status c837_engine_add_history(c837_engine *e, const c837_hist *row)
{
  c837_hist copy, *h = &copy;
  c837_ilist *p;
  size_t k;
  if (!e || !row)
    return C837_EINVAL;
  copy = *row;
  copy.kind = c837_hist_kind_of(row); /* as the ledger row tells it */
  e->oom = 0;
  if (h->run > e->hist.m.max_run)
    e->hist.m.max_run = h->run;
  if (ix_note_loaded(&e->hist, h) != 0)
    return C837_ENOMEM;
  /* admissions and their tombstones (lx empty): hist_admit.c */
  if (h->kind == C837_HIST_ADMISSION ||
      (h->kind == C837_HIST_TOMBSTONE && h->claim_id[0] && !h->lx[0]))
    return c837_admit_load(e, h);
  if (h->kind == C837_HIST_MARKER) {
    size_t len = ix_key_len(h->source);
    c837_ixc *x = len ? ix_find(&e->hist, h->source, len) : NULL;
    if (x && x->mk != C837_NO_INDEX) {
      /* the same marker twice: the later run's stays */
      if (h->run >= e->hist.mk[x->mk].h.run) {
        if (touch(e, x->mk, 1) != 0)
          return C837_ENOMEM;
        e->hist.mk[x->mk].h = *h;
        e->hist.mk[x->mk].loaded = 1;
      }
      return C837_OK;
    }
    if (mk_append(&e->hist, h, 1) != 0)
      return C837_ENOMEM;
    if (x)
      x->mk = e->hist.m.nmk - 1;
    return C837_OK;
  }
  /* tombstones against rows, in both orders of loading */
  p = index_get_str(&e->hist.pats, h->patient, 0);
  for (k = 0; p && k < p->n; k++) {
    size_t i = p->idx[k];
    c837_hrec *r = &e->hist.h[i];
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
  if (e->hist.m.ndead && !e->cp.open)
    hist_compact(e);
}

size_t c837_engine_history_count(const c837_engine *e)
{
  if (!e)
    return 0;
  settle_for_reading(e);
  return e->hist.m.nh + e->hist.m.nmk + c837_admit_count(e);
}

const c837_hist *c837_engine_history_at(const c837_engine *e, size_t i)
{
  if (!e)
    return NULL;
  settle_for_reading(e);
  if (i < e->hist.m.nh)
    return &e->hist.h[i].h;
  if (i - e->hist.m.nh < e->hist.m.nmk)
    return &e->hist.mk[i - e->hist.m.nh].h;
  return c837_admit_at(e, i - e->hist.m.nh - e->hist.m.nmk);
}

void c837_engine_commit(c837_engine *e)
{
  if (!e || !e->cp.open)
    return;
  e->cp.open = 0;
  e->cp.nundo = 0;
  c837_admit_commit(e);
  c837_hist_settle(e);
}

c837_status c837_engine_checkpoint(c837_engine *e)
{
  if (!e)
    return C837_EINVAL;
  c837_engine_commit(e);
  c837_hist_settle(e);
  e->cp.open = 1;
  e->cp.saved = e->hist.m;
  e->cp.nix = c837_map_count(&e->hist.ixkeys);
  e->cp.nundo = 0;
  c837_admit_checkpoint(e);
  return C837_OK;
}

void c837_engine_rollback(c837_engine *e)
{
  size_t i;
  if (!e || !e->cp.open)
    return;
  for (i = e->cp.nundo; i-- > 0;) {
    const c837_undo *u = &e->cp.undo[i];
    if (u->is_mk)
      e->hist.mk[u->idx] = u->old;
    else
      e->hist.h[u->idx] = u->old;
  }
  e->hist.m = e->cp.saved;
  e->cp.open = 0;
  e->cp.nundo = 0;
  reindex(&e->hist);
  ix_rollback(&e->hist, e->cp.nix);
  c837_admit_rollback(e);
  c837_hist_settle(e);
}

/* ------------------------------------------------------------------ */
/* The history and one claim                                           */
/* ------------------------------------------------------------------ */

int c837_hist_ev_push(c837_engine *e, const c837_event *v)
{
  if (c837_vec_reserve(&e->cl.ev, &e->cl.capev, e->cl.nev + 1, sizeof *e->cl.ev,
                       32, 0) != 0) {
    e->oom = 1;
    return -1;
  }
  e->cl.ev[e->cl.nev++] = *v;
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
  const c837_claim *c = e->cl.c;
  int f = c837_eng_freq(c);
  if (r->loaded && e->hist.m.hiding && r->h.run >= e->hist.m.hide_min)
    return 1;
  if (strcmp(r->h.claim_id, c->id) != 0)
    return 0;
  if (r->loaded && strcmp(r->h.source, e->cl.source) == 0)
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
  e->hist.m.hiding = 0;
  if (!e->cl.isa_len)
    return;
  x = ix_find(&e->hist, e->cl.source, e->cl.isa_len);
  if (!x || !x->has_loaded)
    return;
  e->hist.m.hiding = 1;
  e->hist.m.hide_min = x->min_run;
}

/* 1 when working line x is of a family the history remembers: any
 * family of the code table, but an unclassified (NOC) code only with the
 * NDC of a cell or gene product (the other NOC lines bill ordinary
 * drugs). */
static int worth_remembering(const c837_eline *x)
{
  return x->row && x->fam != C837_FAM_NONE &&
         (x->fam != C837_FAM_NOC || x->pfam != C837_FAM_NOC);
}

/* Records (or takes over from the ledger) the marker of the claim's
 * interchange, when the claim has lines the history remembers.  0 or
 * -1. */
int c837_hist_mark(c837_engine *e)
{
  const c837_claim *c = e->cl.c;
  c837_ixc *x;
  c837_hist h;
  size_t i;
  int any = 0;
  if (!e->cl.isa_len)
    return 0;
  for (i = 0; i < c->n_lines && !any; i++)
    any = worth_remembering(&e->cl.el[i]);
  if (!any)
    return 0;
  x = ix_get(&e->hist, e->cl.source, e->cl.isa_len);
  if (!x)
    return -1;
  if (x->mk != C837_NO_INDEX) {
    c837_hrec *m = &e->hist.mk[x->mk];
    if (m->loaded) {
      if (touch(e, x->mk, 1) != 0)
        return -1;
      m->loaded = 0; /* kept as it was: this run read it again */
    }
    return 0;
  }
  memset(&h, 0, sizeof h);
  memcpy(h.source, e->cl.source, e->cl.isa_len);
  h.source[e->cl.isa_len] = 0;
  h.kind = C837_HIST_MARKER;
  h.family = C837_FAM_NONE;
  h.run_date = e->run_date;
  h.run = run_now(&e->hist);
  if (mk_append(&e->hist, &h, 0) != 0)
    return -1;
  x->mk = e->hist.m.nmk - 1;
  return 0;
}

/* Events of the patient's remembered lines, in history order. */
void c837_hist_gather(c837_engine *e)
{
  const c837_ilist *p;
  size_t i;
  e->cl.nev = 0;
  e->cl.nev_hist = 0;
  if (!e->cl.c->patient_key[0])
    return; /* our choice: no patient, no cross-claim counting */
  p = index_get_str(&e->hist.pats, e->cl.c->patient_key, 0);
  if (!p)
    return;
  for (i = 0; i < p->n; i++) {
    const c837_hrec *r = &e->hist.h[p->idx[i]];
    c837_event v;
    if (r->dead || is_bookkeeping(&r->h) || excluded(e, r))
      continue;
    memset(&v, 0, sizeof v);
    v.code = r->h.code;
    v.row = c837_codetable_find(e->t, r->h.code);
    v.product = v.row && v.row->product[0] ? v.row->product : NULL;
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
  e->cl.nev_hist = e->cl.nev;
}

/* Removes every line of claim id + provider (void / replacement),
 * leaving a tombstone for each so that ledgers merged or loaded later
 * cannot bring it back.  A replacement with a known envelope leaves the
 * lines of its own source and claim alone: that is the same replacement
 * read again, and c837_hist_record takes them over.  Only the claim's
 * own list in the claim index is walked, in record order (the tombstones come
 * out in the order a walk of the whole history would give). */
int c837_hist_cancel(c837_engine *e)
{
  const c837_claim *c = e->cl.c;
  const c837_ilist *l;
  size_t k, n;
  int f = c837_eng_freq(c);
  l = claim_list(&e->hist, c->id, c->billing.id, 0);
  if (!l)
    return 0;
  /* tombstones are not filed under claims: l stays as it is */
  n = l->n;
  for (k = 0; k < n; k++) {
    size_t i = l->idx[k];
    const c837_hrec *r = &e->hist.h[i]; /* until hist_append below */
    c837_hist t;
    if (r->dead || is_bookkeeping(&r->h) ||
        strcmp(r->h.claim_id, c->id) != 0 ||
        strcmp(r->h.provider, c->billing.id) != 0)
      continue; /* a stale entry */
    if (f == 7 && e->cl.isa_len && strcmp(r->h.source, e->cl.source) == 0)
      continue;
    t = r->h;
    t.kind = C837_HIST_TOMBSTONE;
    t.family = C837_FAM_NONE; /* as a tombstone's ledger row has it */
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
  const c837_claim *c = e->cl.c;
  size_t i, k;
  if (!c->patient_key[0])
    return 0;
  for (i = 0; i < c->n_lines; i++) {
    const c837_eline *x = &e->cl.el[i];
    c837_hist h;
    c837_ilist *p;
    int replaced = 0;
    if (x->removed || !worth_remembering(x))
      continue;
    memset(&h, 0, sizeof h);
    h.kind = C837_HIST_LINE;
    c837_eng_copy(h.source, sizeof h.source, e->cl.source);
    c837_eng_copy(h.claim_id, sizeof h.claim_id, c->id);
    c837_eng_copy(h.lx, sizeof h.lx, x->src->lx);
    c837_eng_copy(h.patient, sizeof h.patient, c->patient_key);
    c837_eng_copy(h.provider, sizeof h.provider, c->billing.id);
    c837_eng_copy(h.code, sizeof h.code, x->code);
    c837_eng_copy(h.billed, sizeof h.billed, x->src->code);
    /* an unclassified code with a product's NDC is that product's line
     * (edit_ctx.c: pfam) */
    h.family = (c837_family)x->pfam;
    h.step = x->row->step;
    h.date_from = x->from;
    h.date_to = x->to;
    h.units = x->units_valid ? x->units : 0;
    c837_eng_copy(h.freq, sizeof h.freq, c->freq);
    h.run_date = e->run_date;
    h.run = run_now(&e->hist);
    p = index_get_str(&e->hist.pats, c->patient_key, 0);
    for (k = 0; p && k < p->n; k++) {
      size_t ri = p->idx[k];
      c837_hrec *r = &e->hist.h[ri];
      if (!r->loaded || r->dead || !same_identity(&r->h, &h))
        continue;
      if (touch(e, ri, 0) != 0)
        return -1;
      h.run = r->h.run;
      if (is_bookkeeping(&r->h)) {
        r->dead = 1;
        e->hist.m.ndead++;
        continue; /* the line itself is appended below */
      }
      if (strcmp(r->h.provider, h.provider) != 0) {
        /* the same line billed under another provider: refile it
         * (its old claim list keeps a stale entry) */
        c837_ilist *cl = claim_list(&e->hist, h.claim_id, h.provider, 1);
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
