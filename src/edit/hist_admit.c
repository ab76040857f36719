/* hist_admit.c -- the remembered inpatient admissions (PAYMENT_WINDOW)
 *
 * PAYMENT_WINDOW compares an outpatient CAR-T line with the inpatient
 * admissions (837I, type of bill 11x, DTP*435) of the same patient at
 * the same billing provider, across claims, files and runs.  The engine
 * remembers those admissions here, as c837_hist records of kind
 * C837_HIST_ADMISSION, apart from the remembered lines of
 * engine_hist.c: they take part in no edit of the lines, and the lines'
 * indexes stay as they are.  They live the lines' life all the same:
 * the ledger saves them (one row each, family column "admission"), a
 * re-run takes over its own loaded admission in place and keeps its run
 * number, a void or replacement removes the admission of the claim it
 * cancels and leaves a tombstone (lx and code empty), a re-run hides the loaded
 * admissions of the run it repeats and of later runs, and a checkpoint
 * rolls them back with the rest.
 *
 * Which admissions are remembered is engine.c's choice (specs/edits.md,
 * PAYMENT_WINDOW): those of CAR-T patients, so that memory stays bounded
 * by the CAR-T patients, not by every inpatient stay of a batch.
 */
#include "edit/engine_int.h"
#include "base/buf.h"
#include "base/map.h"

#include <stdlib.h>
#include <string.h>

/* The patient's list, created when asked; NULL when unknown or on
 * ENOMEM. */
static c837_ilist *pat_list(c837_admits *a, const char *patient, int create)
{
  size_t len = strlen(patient), id = c837_map_find(&a->keys, patient, len);
  if (id != C837_MAP_NONE)
    return &a->lists[id];
  if (!create ||
      c837_vec_reserve(&a->lists, &a->caplists, c837_map_count(&a->keys) + 1,
                       sizeof *a->lists, 16, 0) != 0 ||
      c837_map_intern(&a->keys, patient, len, &id) < 0)
    return NULL;
  memset(&a->lists[id], 0, sizeof a->lists[id]);
  return &a->lists[id];
}

static const c837_ilist *pat_list_c(const c837_admits *a,
                                    const char *patient)
{
  size_t id = c837_map_find(&a->keys, patient, strlen(patient));
  return id == C837_MAP_NONE ? NULL : &a->lists[id];
}

/* Appends record h (kind ADMISSION or TOMBSTONE) and files it under its
 * patient.  0 or -1 (ENOMEM, nothing appended). */
static int append(c837_admits *a, const c837_hist *h, int loaded)
{
  c837_ilist *l = pat_list(a, h->patient, 1);
  if (!l ||
      c837_vec_reserve(&l->idx, &l->cap, l->n + 1, sizeof *l->idx, 4, 0) ||
      c837_vec_reserve(&a->r, &a->cap, a->n + 1, sizeof *a->r, 16, 0))
    return -1;
  l->idx[l->n++] = a->n;
  a->r[a->n].h = *h;
  a->r[a->n].loaded = loaded;
  a->r[a->n].dead = 0;
  a->n++;
  return 0;
}

/* Remembers record i's old value while a checkpoint is open.  0 or -1
 * (ENOMEM: the caller must not change it). */
static int touch(c837_admits *a, size_t i)
{
  c837_aundo *u;
  if (!a->open || i >= a->saved_n)
    return 0;
  if (c837_vec_reserve(&a->undo, &a->capundo, a->nundo + 1, sizeof *a->undo,
                       16, 0) != 0)
    return -1;
  u = &a->undo[a->nundo++];
  u->idx = i;
  u->old = a->r[i];
  return 0;
}

/* Files every record again under its patient (after a rollback or a
 * compaction).  Never allocates: each list held its records before. */
static void reindex(c837_admits *a)
{
  size_t i;
  for (i = 0; i < c837_map_count(&a->keys); i++)
    a->lists[i].n = 0;
  for (i = 0; i < a->n; i++) {
    size_t id = c837_map_find(&a->keys, a->r[i].h.patient,
                              strlen(a->r[i].h.patient));
    c837_ilist *l = id == C837_MAP_NONE ? NULL : &a->lists[id];
    if (l && l->n < l->cap)
      l->idx[l->n++] = i;
  }
}

/* Drops dead records, keeping the order; not while a checkpoint is
 * open. */
static void compact(c837_admits *a)
{
  size_t i, j = 0;
  if (!a->ndead || a->open)
    return;
  for (i = 0; i < a->n; i++)
    if (!a->r[i].dead)
      a->r[j++] = a->r[i];
  a->n = j;
  a->ndead = 0;
  reindex(a);
}

static int same_identity(const c837_hist *x, const c837_hist *y)
{
  return strcmp(x->source, y->source) == 0 &&
         strcmp(x->claim_id, y->claim_id) == 0 && strcmp(x->lx, y->lx) == 0;
}

/* The live record (admission or tombstone) of h's identity, or
 * C837_NO_INDEX. */
static size_t find_identity(const c837_admits *a, const c837_hist *h)
{
  const c837_ilist *l = pat_list_c(a, h->patient);
  size_t k;
  for (k = 0; l && k < l->n; k++) {
    const c837_arec *r = &a->r[l->idx[k]];
    if (!r->dead && same_identity(&r->h, h))
      return l->idx[k];
  }
  return C837_NO_INDEX;
}

/* Marks record i dead.  0 or -1 (ENOMEM, nothing changed). */
static int kill(c837_admits *a, size_t i)
{
  if (touch(a, i) != 0)
    return -1;
  a->r[i].dead = 1;
  a->ndead++;
  return 0;
}

c837_status c837_admit_load(c837_engine *e, const c837_hist *h)
{
  c837_admits *a = &e->adm;
  size_t i = find_identity(a, h);
  if (i != C837_NO_INDEX) {
    /* the same identity twice (ledgers loaded one over another): the
     * later run's row stays, a tombstone over an admission of its run */
    const c837_hist *o = &a->r[i].h;
    if (h->run < o->run ||
        (h->run == o->run && h->kind == C837_HIST_ADMISSION &&
         o->kind == C837_HIST_TOMBSTONE))
      return C837_OK;
    if (kill(a, i) != 0)
      return C837_ENOMEM;
  }
  return append(a, h, 1) == 0 ? C837_OK : C837_ENOMEM;
}

/* 1 when loaded record r is hidden from the current claim: a re-run of
 * the interchange that run r->h.run (or an earlier one) read (the rule
 * of the lines, specs/edits.md "Ledger, re-runs and merges"). */
static int hidden(const c837_engine *e, const c837_arec *r)
{
  return r->loaded && e->hist.m.hiding && r->h.run >= e->hist.m.hide_min;
}

const c837_hist *c837_admit_next(const c837_engine *e, const char *patient,
                                 size_t *pos)
{
  const c837_ilist *l = pat_list_c(&e->adm, patient);
  while (l && *pos < l->n) {
    const c837_arec *r = &e->adm.r[l->idx[(*pos)++]];
    if (!r->dead && r->h.kind == C837_HIST_ADMISSION && !hidden(e, r))
      return &r->h;
  }
  return NULL;
}

/* The run number of records this run remembers first (engine_hist.c's
 * rule: 1 + the largest run loaded). */
static uint32_t run_now(const c837_engine *e)
{
  uint32_t m = e->hist.m.max_run;
  return m == UINT32_MAX ? UINT32_MAX : m + 1;
}

int c837_admit_record(c837_engine *e)
{
  const c837_claim *c = e->cl.c;
  c837_admits *a = &e->adm;
  c837_hist h;
  size_t i;
  if (!c->admit_date || !c->patient_key[0] || !e->cl.isa_len)
    return 0;
  memset(&h, 0, sizeof h);
  h.kind = C837_HIST_ADMISSION;
  c837_eng_copy(h.source, sizeof h.source, e->cl.source);
  c837_eng_copy(h.claim_id, sizeof h.claim_id, c->id);
  c837_eng_copy(h.patient, sizeof h.patient, c->patient_key);
  c837_eng_copy(h.provider, sizeof h.provider, c->billing.id);
  h.family = C837_FAM_NONE;
  h.date_from = c->admit_date;
  h.date_to = c->stmt_to >= c->admit_date ? c->stmt_to : c->admit_date;
  c837_eng_copy(h.freq, sizeof h.freq, c->freq);
  h.run_date = e->run_date;
  h.run = run_now(e);
  i = find_identity(a, &h);
  if (i != C837_NO_INDEX && a->r[i].h.kind == C837_HIST_ADMISSION) {
    /* read again (a re-run): takes the record over, keeps its run */
    if (touch(a, i) != 0)
      return -1;
    h.run = a->r[i].h.run;
    a->r[i].h = h;
    a->r[i].loaded = 0;
    return 0;
  }
  if (i != C837_NO_INDEX) {
    /* a tombstone of it (the voided claim read again): it gives way and
     * gives the admission its run */
    h.run = a->r[i].h.run;
    if (touch(a, i) != 0 || append(a, &h, 0) != 0)
      return -1;
    a->r[i].dead = 1;
    a->ndead++;
    return 0;
  }
  return append(a, &h, 0);
}

int c837_admit_cancel(c837_engine *e)
{
  const c837_claim *c = e->cl.c;
  c837_admits *a = &e->adm;
  size_t i, n = a->n;
  int f = c837_eng_freq(c);
  /* not many admissions (CAR-T patients only): a scan of them all */
  for (i = 0; i < n; i++) {
    c837_arec *r = &a->r[i];
    c837_hist t;
    if (r->dead || r->h.kind != C837_HIST_ADMISSION ||
        strcmp(r->h.claim_id, c->id) != 0 ||
        strcmp(r->h.provider, c->billing.id) != 0)
      continue;
    if (f == 7 && e->cl.isa_len && strcmp(r->h.source, e->cl.source) == 0)
      continue; /* the same replacement read again */
    t = r->h;
    t.kind = C837_HIST_TOMBSTONE;
    c837_eng_copy(t.freq, sizeof t.freq, c->freq);
    if (touch(a, i) != 0 || append(a, &t, 0) != 0)
      return -1; /* ENOMEM: the admission stays (as the lines' rule) */
    a->r[i].dead = 1;
    a->ndead++;
  }
  return 0;
}

size_t c837_admit_count(const c837_engine *e)
{
  c837_admits *a = (c837_admits *)&e->adm; /* logically const: see
                                             engine_hist.c */
  compact(a);
  return a->n - a->ndead;
}

const c837_hist *c837_admit_at(const c837_engine *e, size_t i)
{
  c837_admits *a = (c837_admits *)&e->adm;
  size_t k;
  compact(a);
  if (!a->ndead)
    return i < a->n ? &a->r[i].h : NULL;
  for (k = 0; k < a->n; k++) /* under a checkpoint: skip the dead */
    if (!a->r[k].dead && i-- == 0)
      return &a->r[k].h;
  return NULL;
}

void c837_admit_checkpoint(c837_engine *e)
{
  c837_admits *a = &e->adm;
  c837_admit_commit(e);
  compact(a);
  a->open = 1;
  a->saved_n = a->n;
  a->saved_ndead = a->ndead;
  a->nundo = 0;
}

void c837_admit_rollback(c837_engine *e)
{
  c837_admits *a = &e->adm;
  size_t i;
  if (!a->open)
    return;
  for (i = a->nundo; i-- > 0;)
    a->r[a->undo[i].idx] = a->undo[i].old;
  a->n = a->saved_n;
  a->ndead = a->saved_ndead;
  a->open = 0;
  a->nundo = 0;
  reindex(a);
}

void c837_admit_commit(c837_engine *e)
{
  c837_admits *a = &e->adm;
  a->open = 0;
  a->nundo = 0;
  if (a->ndead > a->n / 2)
    compact(a);
}

void c837_admit_free(c837_engine *e)
{
  c837_admits *a = &e->adm;
  size_t i;
  for (i = 0; i < c837_map_count(&a->keys); i++)
    free(a->lists[i].idx);
  free(a->lists);
  c837_map_free(&a->keys);
  free(a->r);
  free(a->undo);
  memset(a, 0, sizeof *a);
}
