/* engine_hist.c -- the edit engine's memory: remembered lines
 *
 * The engine remembers the CAR-T and watch-code lines of the claims it
 * did not hold (c837_hist records), across claims, files and runs.  The
 * records live in one array in a stable order (append; replace in place;
 * drop dead records, keeping the order); hist_index.c keeps the indexes
 * over it: identity -> records, patient -> the patient's lines by class
 * and date, CLM01 + billing provider -> the claim's lines.  Next to them
 * an interchange index (key "ISA06|ISA13#FP|", FP the ISA's hash) knows
 * the runs that read each interchange, so that a re-run or a resend (the
 * same ISA read again) hides the ledger lines of the run it repeats and
 * is reported (INTERCHANGE_REPEATED), while a new interchange that
 * reuses a control number is not taken for one.  Next to the lines the
 * records hold tombstones (lines removed by voids and replacements, so
 * that merged ledgers cannot bring them back) and interchange markers;
 * every record carries the number of the run that first remembered it.
 *
 * Removed records are only marked dead at first (and leave the patient
 * index at once).  They are dropped lazily, once they make up more than
 * half of the array (so dropping costs amortised O(1) per removal), or
 * when the history is read through c837_engine_history_count / _at --
 * never while a checkpoint is open, because the undo log of a checkpoint
 * holds record indexes.  A checkpoint saves the array lengths and run
 * numbers (c837_hmarks, one struct copy) and the old value of every
 * record changed after it, so that a rollback (a file that failed
 * half-way) restores the history exactly and rebuilds the indexes.  The
 * rules are specified in specs/edits.md, "Ledger, re-runs and merges".
 */
#include "edit/engine_int.h"
#include "base/buf.h"
#include "base/map.h"
#include "base/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* Marks record i dead (a line leaves its patient's index).  0, or -1 on
 * ENOMEM (nothing changed). */
static int kill_rec(c837_engine *e, size_t i)
{
  c837_hrec *r = &e->hist.h[i];
  if (touch(e, i, 0) != 0)
    return -1;
  if (!r->dead && r->h.kind == C837_HIST_LINE) {
    c837_hix_unfile(&e->hist, i);
    e->hist.nlive--;
  }
  r->dead = 1;
  e->hist.m.ndead++;
  return 0;
}

/* ------------------------------------------------------------------ */
/* Records                                                             */
/* ------------------------------------------------------------------ */

/* Appends a line or tombstone and indexes it (a line also under its
 * patient and its claim; one loaded from a ledger goes to the end of its
 * patient's list, sorted when first read).  0 or -1 (ENOMEM; nothing
 * changed but empty index entries and room). */
static int hist_append(c837_engine *e, const c837_hist *h, int loaded)
{
  c837_histstore *hs = &e->hist;
  c837_ilist *cl = NULL;
  c837_hrec *r;
  size_t i = hs->m.nh;
  if (!is_bookkeeping(h)) {
    cl = c837_hix_claim_list(hs, h->claim_id, h->provider, 1);
    if (!cl || c837_hix_ilist_reserve(cl) != 0)
      return -1;
  }
  if (c837_vec_reserve(&hs->h, &hs->caph, hs->m.nh + 1, sizeof *hs->h, 64,
                       0) != 0 ||
      c837_hix_reserve(hs, h) != 0)
    return -1;
  r = &hs->h[hs->m.nh++];
  r->h = *h;
  r->loaded = loaded;
  r->dead = 0;
  /* room was made: neither fails */
  (void)c837_hix_id_add(hs, i);
  if (c837_hix_fileable(r))
    (void)c837_hix_file(hs, i, loaded);
  if (cl) {
    cl->idx[cl->n++] = i;
    hs->nlive++;
  }
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
  c837_hix_rebuild(hs);
}

void c837_hist_settle(c837_engine *e)
{
  if (e->hist.m.ndead && !e->cp.open && e->hist.m.ndead > e->hist.m.nh / 2)
    hist_compact(e);
}

void c837_hist_release(c837_engine *e)
{
  c837_histstore *hs = &e->hist;
  c837_hix_free(hs);
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
  return c837_hix_pat_count(&e->hist, patient) > 0;
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
  size_t i, pos = (size_t)-1;
  uint64_t hh;
  if (!e || !row)
    return C837_EINVAL;
  copy = *row;
  copy.kind = c837_hist_kind_of(row); /* as the ledger row tells it */
  e->oom = 0;
  if (h->run > e->hist.m.max_run)
    e->hist.m.max_run = h->run;
  if (c837_hix_ix_note_loaded(&e->hist, h) != 0)
    return C837_ENOMEM;
  /* admissions and their tombstones (lx and code empty; a line's
   * tombstone keeps its code, even of a line whose LX01 was empty):
   * hist_admit.c */
  if (h->kind == C837_HIST_ADMISSION ||
      (h->kind == C837_HIST_TOMBSTONE && h->claim_id[0] && !h->lx[0] &&
       !h->code[0]))
    return c837_admit_load(e, h);
  if (h->kind == C837_HIST_MARKER) {
    size_t len = c837_hix_ix_key_len(h->source);
    c837_ixc *x = len ? c837_hix_ix_find(&e->hist, h->source, len) : NULL;
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
  /* tombstones against rows of their identity, in both orders of
   * loading */
  hh = c837_hix_id_hash(h->source, h->claim_id, h->lx);
  while ((i = c837_hix_id_next(&e->hist, hh, &pos)) != C837_NO_INDEX) {
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
  if (h->kind == C837_HIST_LINE && e->hist.nlive >= e->max_lines)
    return C837_ELIMIT; /* the run's limit of remembered lines */
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
  c837_hix_rebuild(&e->hist);
  c837_hix_ix_rollback(&e->hist, e->cp.nix);
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

/* 1 when loaded record h, of a ledger written before sources carried
 * the ISA's hash, is a line of this very claim read again: its source is
 * the claim's without the hash, and one of the claim's lines has its
 * CLM01, LX, code as billed and dates.  (Content, not only numbers: a
 * new claim that reuses the control numbers and the CLM01 of an old one
 * is not taken for it.) */
int c837_hist_legacy_own(const c837_engine *e, const c837_hist *h)
{
  const c837_claim *c = e->cl.c;
  size_t i;
  if (!e->cl.legacy[0] || strcmp(h->source, e->cl.legacy) != 0 ||
      strcmp(h->claim_id, c->id) != 0)
    return 0;
  for (i = 0; i < c->n_lines; i++) {
    const c837_eline *x = &e->cl.el[i];
    if (strcmp(x->src->lx, h->lx) == 0 && strcmp(x->src->code, h->billed) == 0 &&
        x->from == h->date_from && x->to == h->date_to)
      return 1;
  }
  return 0;
}

/* 1 when history record r stands for this very claim or for lines this
 * claim cancels, so that the claim must not be counted against it:
 * - a loaded line of an earlier run that this run is repeating (see
 *   c837_hist_hide: its run is hidden);
 * - a loaded line of the same source and claim (the claim read again;
 *   from an older ledger, see legacy_own_line);
 * - any line of the same CLM01 and provider when this claim is a
 *   replacement (it replaces them);
 * - a replacement's line of the same CLM01 and provider when this claim
 *   is the original it replaced (a re-run reading the original again). */
int c837_hist_excluded(const c837_engine *e, const c837_hrec *r)
{
  const c837_claim *c = e->cl.c;
  int f = c837_eng_freq(c);
  if (r->loaded && e->hist.m.hiding && r->h.run >= e->hist.m.hide_min)
    return 1;
  if (strcmp(r->h.claim_id, c->id) != 0)
    return 0;
  if (r->loaded && (strcmp(r->h.source, e->cl.source) == 0 ||
                    c837_hist_legacy_own(e, &r->h)))
    return 1;
  if (strcmp(r->h.provider, c->billing.id) != 0)
    return 0;
  if (f == 7)
    return 1;
  return atoi(r->h.freq) == 7;
}

/* A re-run: when the claim's interchange was read by an earlier run
 * (some loaded record comes from it: the same ISA06, ISA13 and, with
 * the hash in the key, the same whole ISA), that run is being repeated,
 * and while this claim is judged every loaded record of that run -- and
 * of any later run -- is hidden from the edits.  The lines of the
 * repeated run that came before this interchange were read again by this
 * run and stand in for themselves; those that came after must not be
 * seen early.  A claim of an interchange the ledger does not know (a new
 * one, even next to a re-sent one, even with a control number used
 * before) sees every loaded record.  See specs/edits.md. */
void c837_hist_hide(c837_engine *e)
{
  const c837_ixc *x;
  e->hist.m.hiding = 0;
  if (!e->cl.isa_len)
    return;
  x = c837_hix_ix_find(&e->hist, e->cl.source, e->cl.isa_len);
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

/* 1 when the claim has a line the history remembers (the claims whose
 * interchange is marked). */
static int has_remembered_line(const c837_engine *e)
{
  size_t i;
  for (i = 0; i < e->cl.c->n_lines; i++)
    if (worth_remembering(&e->cl.el[i]))
      return 1;
  return 0;
}

int c837_hist_repeated(const c837_engine *e, const c837_hist **prev)
{
  const c837_ixc *x;
  const c837_hrec *m;
  *prev = NULL;
  if (!e->cl.isa_len || !e->cl.legacy[0] || !has_remembered_line(e))
    return 0; /* no envelope, or no ISA hash to tell a resend by */
  x = c837_hix_ix_find(&e->hist, e->cl.source, e->cl.isa_len);
  if (!x || x->mk == C837_NO_INDEX)
    return 0;
  m = &e->hist.mk[x->mk];
  if (!m->loaded)
    return 0; /* new in this run, or read again already */
  *prev = &m->h;
  return 1;
}

/* Records (or takes over from the ledger) the marker of the claim's
 * interchange, when the claim has lines the history remembers.  0 or
 * -1. */
int c837_hist_mark(c837_engine *e)
{
  c837_ixc *x;
  c837_hist h;
  if (!e->cl.isa_len || !has_remembered_line(e))
    return 0;
  x = c837_hix_ix_get(&e->hist, e->cl.source, e->cl.isa_len);
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

/* Removes every line of claim id + provider (void / replacement),
 * leaving a tombstone for each so that ledgers merged or loaded later
 * cannot bring it back.  A replacement with a known envelope leaves the
 * lines of its own source and claim alone: that is the same replacement
 * read again, and c837_hist_record takes them over.  Only the claim's
 * own list in the claim index is walked, in record order (the tombstones
 * come out in the order a walk of the whole history would give). */
int c837_hist_cancel(c837_engine *e)
{
  const c837_claim *c = e->cl.c;
  const c837_ilist *l;
  size_t k, n;
  int f = c837_eng_freq(c);
  l = c837_hix_claim_list(&e->hist, c->id, c->billing.id, 0);
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
    if (f == 7 && e->cl.isa_len &&
        (strcmp(r->h.source, e->cl.source) == 0 ||
         (r->loaded && c837_hist_legacy_own(e, &r->h))))
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

/* The loaded record that line h of this claim reads again: the same
 * identity, or (a ledger written before sources carried the ISA's hash)
 * the same line under the source without the hash; C837_NO_INDEX when
 * none.  A tombstone found first is returned too (it gives way). */
static size_t read_again(const c837_engine *e, const c837_hist *h)
{
  const c837_histstore *hs = &e->hist;
  size_t i, pos = (size_t)-1;
  uint64_t hh = c837_hix_id_hash(h->source, h->claim_id, h->lx);
  while ((i = c837_hix_id_next(hs, hh, &pos)) != C837_NO_INDEX) {
    const c837_hrec *r = &hs->h[i];
    if (r->loaded && !r->dead && same_identity(&r->h, h))
      return i;
  }
  if (!e->cl.legacy[0])
    return C837_NO_INDEX;
  pos = (size_t)-1;
  hh = c837_hix_id_hash(e->cl.legacy, h->claim_id, h->lx);
  while ((i = c837_hix_id_next(hs, hh, &pos)) != C837_NO_INDEX) {
    const c837_hrec *r = &hs->h[i];
    if (r->loaded && !r->dead && !is_bookkeeping(&r->h) &&
        c837_hist_legacy_own(e, &r->h))
      return i;
  }
  return C837_NO_INDEX;
}

/* Takes loaded line record ri over for h (the same line read again):
 * refiled under h's claim, patient and identity, replaced in place.
 * 0 or -1 (ENOMEM). */
static int take_over(c837_engine *e, size_t ri, const c837_hist *h)
{
  c837_histstore *hs = &e->hist;
  c837_hrec *r = &hs->h[ri];
  if (strcmp(r->h.provider, h->provider) != 0 ||
      strcmp(r->h.claim_id, h->claim_id) != 0) {
    /* the same line billed under another provider: refile it (its old
     * claim list keeps a stale entry) */
    c837_ilist *cl = c837_hix_claim_list(hs, h->claim_id, h->provider, 1);
    if (!cl || c837_hix_ilist_insert(cl, ri) != 0)
      return -1;
  }
  if (c837_hix_reserve(hs, h) != 0)
    return -1;
  c837_hix_unfile(hs, ri);
  if (strcmp(r->h.source, h->source) != 0)
    (void)c837_hix_id_add(hs, ri); /* the old entry goes stale */
  r->h = *h;
  r->loaded = 0;
  if (c837_hix_fileable(r))
    (void)c837_hix_file(hs, ri, 0);
  return 0;
}

/* The identity of line x of the claim as c837_hist_record would
 * remember it (what read_again compares). */
static void line_identity(const c837_engine *e, const c837_eline *x,
                          c837_hist *h)
{
  memset(h, 0, sizeof *h);
  h->kind = C837_HIST_LINE;
  c837_eng_copy(h->source, sizeof h->source, e->cl.source);
  c837_eng_copy(h->claim_id, sizeof h->claim_id, e->cl.c->id);
  c837_eng_copy(h->lx, sizeof h->lx, x->src->lx);
  c837_eng_copy(h->billed, sizeof h->billed, x->src->code);
  h->date_from = x->from;
  h->date_to = x->to;
}

size_t c837_hist_new_lines(c837_engine *e)
{
  size_t i, n = 0;
  if (!e->cl.c->patient_key[0])
    return 0; /* nothing is remembered */
  for (i = 0; i < e->cl.c->n_lines; i++) {
    const c837_eline *x = &e->cl.el[i];
    c837_hist h;
    size_t ri;
    if (!worth_remembering(x))
      continue;
    line_identity(e, x, &h);
    ri = read_again(e, &h);
    n += ri == C837_NO_INDEX || e->hist.h[ri].h.kind != C837_HIST_LINE;
  }
  return n;
}

/* Remembers the claim's CAR-T and watch-code lines that stay.  A loaded
 * record with the same source, claim and LX is replaced in place and its
 * run kept; a loaded tombstone of it gives way (the line is read again)
 * and gives it its run. */
int c837_hist_record(c837_engine *e)
{
  const c837_claim *c = e->cl.c;
  size_t i;
  if (!c->patient_key[0])
    return 0;
  for (i = 0; i < c->n_lines; i++) {
    const c837_eline *x = &e->cl.el[i];
    c837_hist h;
    size_t ri;
    int replaced = 0;
    if (x->removed || !worth_remembering(x))
      continue;
    line_identity(e, x, &h);
    c837_eng_copy(h.patient, sizeof h.patient, c->patient_key);
    c837_eng_copy(h.provider, sizeof h.provider, c->billing.id);
    c837_eng_copy(h.code, sizeof h.code, x->code);
    /* an unclassified code with a product's NDC is that product's line
     * (edit_ctx.c: pfam) */
    h.family = (c837_family)x->pfam;
    h.step = x->row->step;
    h.units = x->units_valid ? x->units : 0;
    c837_eng_copy(h.freq, sizeof h.freq, c->freq);
    h.run_date = e->run_date;
    h.run = run_now(&e->hist);
    while (!replaced && (ri = read_again(e, &h)) != C837_NO_INDEX) {
      c837_hrec *r = &e->hist.h[ri];
      if (touch(e, ri, 0) != 0)
        return -1;
      h.run = r->h.run;
      if (is_bookkeeping(&r->h)) {
        r->dead = 1; /* a tombstone: in no patient index */
        e->hist.m.ndead++;
        continue; /* the line itself is appended below */
      }
      if (take_over(e, ri, &h) != 0)
        return -1;
      replaced = 1;
    }
    if (!replaced && hist_append(e, &h, 0) != 0)
      return -1;
  }
  return 0;
}
