/* engine_hist.c -- the edit engine's memory: remembered lines
 *
 * The engine remembers the CAR-T and watch-code lines of the claims it
 * did not hold, across claims, files and runs, as compact records
 * (c837_hrec: their strings interned, hist_rec.c; the ledger reads and
 * writes them as c837_hist rows).  The records live in one array in a
 * stable order (append; replace in place; drop dead records, keeping the
 * order); hist_index.c keeps the indexes over it: identity -> records,
 * patient -> the patient's lines by class and date; hist_rec.c the
 * claim chains, CLM01 -> the claim's lines.  Next to them
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

static int rec_bookkeeping(const c837_hrec *r)
{
  return r->kind != C837_HIST_LINE;
}

c837_hist_kind c837_hist_kind_of(const c837_hist *h)
{
  if (h->kind == C837_HIST_ADMISSION)
    return C837_HIST_ADMISSION;
  if (h->family != C837_FAM_NONE)
    return C837_HIST_LINE;
  return h->claim_id[0] || h->lx[0] ? C837_HIST_TOMBSTONE : C837_HIST_MARKER;
}

/* Remembers record idx's old value before a change, while a checkpoint
 * is open and the record existed at it.  -1 (e->oom set) on ENOMEM: the
 * caller must not change the record then. */
static int touch(c837_engine *e, size_t idx)
{
  c837_checkpoint *cp = &e->cp;
  c837_undo *u;
  if (!cp->open || idx >= cp->saved.nh)
    return 0;
  if (c837_vec_reserve(&cp->undo, &cp->capundo, cp->nundo + 1,
                       sizeof *cp->undo, 64, 0) != 0) {
    e->oom = 1;
    return -1;
  }
  u = &cp->undo[cp->nundo++];
  u->idx = idx;
  u->old = e->hist.h[idx];
  return 0;
}

/* The same for marker idx. */
static int touch_mk(c837_engine *e, size_t idx)
{
  c837_checkpoint *cp = &e->cp;
  c837_undo *u;
  if (!cp->open || idx >= cp->saved.nmk)
    return 0;
  if (c837_vec_reserve(&cp->mkundo, &cp->capmkundo, cp->nmkundo + 1,
                       sizeof *cp->mkundo, 16, 0) != 0) {
    e->oom = 1;
    return -1;
  }
  u = &cp->mkundo[cp->nmkundo++];
  u->idx = idx;
  u->old = e->hist.mk[idx];
  return 0;
}

/* Marks record i dead (a line leaves its patient's index).  0, or -1 on
 * ENOMEM (nothing changed). */
static int kill_rec(c837_engine *e, size_t i)
{
  c837_hrec *r = &e->hist.h[i];
  if (touch(e, i) != 0)
    return -1;
  if (!c837_hr_dead(r) && r->kind == C837_HIST_LINE) {
    c837_hix_unfile(&e->hist, i);
    e->hist.nlive--;
  }
  r->flags |= C837_HR_DEAD;
  e->hist.m.ndead++;
  return 0;
}

/* ------------------------------------------------------------------ */
/* Records                                                             */
/* ------------------------------------------------------------------ */

/* Appends encoded record rec (a line or tombstone) and indexes it (a
 * line also on its claim chain and under its patient; one loaded from a
 * ledger goes to the end of its patient's list, sorted when first read).
 * 0 or -1 (ENOMEM; nothing changed but room). */
static int hist_append(c837_engine *e, const c837_hrec *rec, int loaded)
{
  c837_histstore *hs = &e->hist;
  c837_hrec *r;
  size_t i = hs->m.nh;
  if (c837_vec_reserve(&hs->h, &hs->caph, hs->m.nh + 1, sizeof *hs->h, 64,
                       0) != 0 ||
      c837_hix_reserve(hs, rec) != 0)
    return -1;
  r = &hs->h[hs->m.nh++];
  *r = *rec;
  r->flags = loaded ? C837_HR_LOADED : 0;
  /* room was made: neither fails */
  (void)c837_hix_id_add(hs, i);
  if (c837_hix_fileable(r))
    (void)c837_hix_file(hs, i, loaded);
  if (!rec_bookkeeping(r)) {
    c837_hist_chain_link(hs, i);
    hs->nlive++;
  }
  return 0;
}

/* Encodes h and appends it.  0 or -1 (ENOMEM). */
static int hist_add(c837_engine *e, const c837_hist *h, int loaded)
{
  c837_hrec rec;
  return c837_hist_encode(&e->hist, h, &rec) == 0 &&
                 hist_append(e, &rec, loaded) == 0
             ? 0
             : -1;
}

/* Appends marker h, compact (its strings interned).  0 or -1 (ENOMEM:
 * nothing appended). */
static int mk_append(c837_histstore *hs, const c837_hist *h, int loaded)
{
  c837_hrec r;
  if (c837_hist_encode(hs, h, &r) != 0 ||
      c837_vec_reserve(&hs->mk, &hs->capmk, hs->m.nmk + 1, sizeof *hs->mk,
                       16, 0) != 0)
    return -1;
  r.flags = loaded ? C837_HR_LOADED : 0;
  hs->mk[hs->m.nmk++] = r;
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
    if (!c837_hr_dead(&hs->h[i]))
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
  c837_hist_strings_free(hs);
  c837_map_free(&hs->ixkeys);
  free(hs->ix);
  free(hs->h);
  free(hs->mk);
  free(e->cp.undo);
  free(e->cp.mkundo);
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
  c837_hrec rec;
  c837_hid id;
  size_t i, pos = (size_t)-1;
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
      c837_hrec *m = &e->hist.mk[x->mk], r;
      if (h->run >= c837_hr_meta(&e->hist, m).run) {
        if (c837_hist_encode(&e->hist, h, &r) != 0 ||
            touch_mk(e, x->mk) != 0)
          return C837_ENOMEM;
        r.flags = (uint8_t)(C837_HR_LOADED | (m->flags & C837_HR_DEAD));
        *m = r;
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
  if (c837_hist_encode(&e->hist, h, &rec) != 0)
    return C837_ENOMEM;
  id.source = rec.source;
  id.claim_id = rec.claim_id;
  id.lx = rec.lx;
  while ((i = c837_hix_id_next(&e->hist, &id, &pos)) != C837_NO_INDEX) {
    c837_hrec *r = &e->hist.h[i];
    if (c837_hr_dead(r) || !c837_hr_loaded(r))
      continue;
    uint32_t run = c837_hr_run(&e->hist, r);
    if (is_bookkeeping(h) && !rec_bookkeeping(r) && run <= h->run) {
      if (kill_rec(e, i) != 0)
        return C837_ENOMEM;
    } else if (!is_bookkeeping(h) && rec_bookkeeping(r) &&
               h->run <= run) {
      return C837_OK; /* removed by a void or replacement */
    }
  }
  if (h->kind == C837_HIST_LINE && e->hist.nlive >= e->max_lines)
    return C837_ELIMIT; /* the run's limit of remembered lines */
  if (hist_append(e, &rec, 1) != 0)
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

/* Record i of the list history_count counts, as a stored c837_hist (an
 * admission) or NULL and *r the compact record (a line, tombstone or
 * marker); NULL and *r NULL past the end. */
static const c837_hist *history_rec(const c837_engine *e, size_t i,
                                    const c837_hrec **r)
{
  *r = NULL;
  if (!e)
    return NULL;
  settle_for_reading(e);
  if (i < e->hist.m.nh) {
    *r = &e->hist.h[i];
    return NULL;
  }
  if (i - e->hist.m.nh < e->hist.m.nmk) {
    *r = &e->hist.mk[i - e->hist.m.nh];
    return NULL;
  }
  return c837_admit_at(e, i - e->hist.m.nh - e->hist.m.nmk);
}

const c837_hist *c837_engine_history_at(const c837_engine *e, size_t i,
                                        c837_hist *out)
{
  const c837_hrec *r;
  const c837_hist *h = history_rec(e, i, &r);
  if (r)
    c837_hist_decode(&e->hist, r, out);
  else if (h)
    *out = *h;
  else
    return NULL;
  return out;
}

int c837_engine_history_key(const c837_engine *e, size_t i,
                            c837_hist_key *k)
{
  const c837_hrec *r;
  const c837_hist *h = history_rec(e, i, &r);
  if (r) {
    k->source = c837_hr_source(&e->hist, r);
    k->claim_id = c837_hr_claim_id(&e->hist, r);
    k->lx = c837_hr_lx(&e->hist, r);
    k->patient = c837_hr_patient(&e->hist, r);
    c837_hmeta m = c837_hr_meta(&e->hist, r);
    k->run = m.run;
    k->run_date = m.run_date;
    k->bookkeeping = r->family == C837_FAM_NONE;
    return 1;
  }
  if (!h)
    return 0;
  k->source = h->source;
  k->claim_id = h->claim_id;
  k->lx = h->lx;
  k->patient = h->patient;
  k->run = h->run;
  k->run_date = h->run_date;
  k->bookkeeping = h->kind != C837_HIST_ADMISSION && h->family == C837_FAM_NONE;
  return 1;
}

void c837_engine_commit(c837_engine *e)
{
  if (!e || !e->cp.open)
    return;
  e->cp.open = 0;
  e->cp.nundo = 0;
  e->cp.nmkundo = 0;
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
  e->cp.nmkundo = 0;
  c837_admit_checkpoint(e);
  return C837_OK;
}

void c837_engine_rollback(c837_engine *e)
{
  size_t i;
  if (!e || !e->cp.open)
    return;
  for (i = e->cp.nundo; i-- > 0;)
    e->hist.h[e->cp.undo[i].idx] = e->cp.undo[i].old;
  for (i = e->cp.nmkundo; i-- > 0;)
    e->hist.mk[e->cp.mkundo[i].idx] = e->cp.mkundo[i].old;
  e->hist.m = e->cp.saved;
  e->cp.open = 0;
  e->cp.nundo = 0;
  e->cp.nmkundo = 0;
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

/* 1 when loaded record r, of a ledger written before sources carried
 * the ISA's hash, is a line of this very claim read again: its source is
 * the claim's without the hash, and one of the claim's lines has its
 * CLM01, LX, code as billed and dates.  (Content, not only numbers: a
 * new claim that reuses the control numbers and the CLM01 of an old one
 * is not taken for it.) */
int c837_hist_legacy_own(const c837_engine *e, const c837_hrec *r)
{
  const c837_histstore *hs = &e->hist;
  const c837_claim *c = e->cl.c;
  size_t i;
  if (!e->cl.legacy[0] || strcmp(c837_hr_source(hs, r), e->cl.legacy) != 0 ||
      strcmp(c837_hr_claim_id(hs, r), c->id) != 0)
    return 0;
  for (i = 0; i < c->n_lines; i++) {
    const c837_eline *x = &e->cl.el[i];
    if (strcmp(x->src->lx, c837_hr_lx(hs, r)) == 0 &&
        strcmp(x->src->code, c837_hr_billed(hs, r)) == 0 &&
        x->from == r->date_from && x->to == r->date_to)
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
  const c837_histstore *hs = &e->hist;
  const c837_claim *c = e->cl.c;
  int f = c837_eng_freq(c), loaded = c837_hr_loaded(r);
  if (loaded && hs->m.hiding && c837_hr_run(hs, r) >= hs->m.hide_min)
    return 1;
  if (strcmp(c837_hr_claim_id(hs, r), c->id) != 0)
    return 0;
  if (loaded && (strcmp(c837_hr_source(hs, r), e->cl.source) == 0 ||
                 c837_hist_legacy_own(e, r)))
    return 1;
  if (strcmp(c837_hr_provider(hs, r), c->billing.id) != 0)
    return 0;
  if (f == 7)
    return 1;
  return atoi(c837_hr_meta(hs, r).freq) == 7;
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

int c837_hist_repeated(const c837_engine *e, c837_hmeta *prev)
{
  const c837_ixc *x;
  const c837_hrec *m;
  if (!e->cl.isa_len || !e->cl.legacy[0] || !has_remembered_line(e))
    return 0; /* no envelope, or no ISA hash to tell a resend by */
  x = c837_hix_ix_find(&e->hist, e->cl.source, e->cl.isa_len);
  if (!x || x->mk == C837_NO_INDEX)
    return 0;
  m = &e->hist.mk[x->mk];
  if (!c837_hr_loaded(m))
    return 0; /* new in this run, or read again already */
  *prev = c837_hr_meta(&e->hist, m);
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
    if (c837_hr_loaded(m)) {
      if (touch_mk(e, x->mk) != 0)
        return -1;
      m->flags &= (uint8_t)~C837_HR_LOADED; /* kept as it was: this run
                                               read it again */
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

/* Record indexes in increasing order (qsort). */
static int cmp_index(const void *a, const void *b)
{
  size_t x = *(const size_t *)a, y = *(const size_t *)b;
  return x < y ? -1 : x > y;
}

/* The live lines of CLM01 c->id and the claim's billing provider, from
 * the CLM01's chain, in record order, in hs->scratch; their number, or
 * (size_t)-1 on ENOMEM. */
static size_t claim_lines(c837_histstore *hs, const c837_claim *c)
{
  uint32_t i = c837_hist_chain(hs, c->id);
  size_t n = 0;
  for (; i != C837_HNONE; i = hs->h[i].next) {
    const c837_hrec *r = &hs->h[i];
    if (c837_hr_dead(r) || rec_bookkeeping(r) ||
        strcmp(c837_hr_provider(hs, r), c->billing.id) != 0)
      continue;
    if (c837_vec_reserve(&hs->scratch, &hs->capscratch, n + 1,
                         sizeof *hs->scratch, 16, 0) != 0)
      return (size_t)-1;
    hs->scratch[n++] = i;
  }
  if (n > 1)
    qsort(hs->scratch, n, sizeof *hs->scratch, cmp_index);
  return n;
}

/* Removes every line of claim id + provider (void / replacement),
 * leaving a tombstone for each so that ledgers merged or loaded later
 * cannot bring it back.  A replacement with a known envelope leaves the
 * lines of its own source and claim alone: that is the same replacement
 * read again, and c837_hist_record takes them over.  Only the lines on
 * the claim's chain are looked at, in record order (the tombstones come
 * out in the order a walk of the whole history would give). */
int c837_hist_cancel(c837_engine *e)
{
  c837_histstore *hs = &e->hist;
  const c837_claim *c = e->cl.c;
  size_t k, n;
  int f = c837_eng_freq(c);
  n = claim_lines(hs, c);
  if (n == (size_t)-1) {
    e->oom = 1;
    return -1;
  }
  /* tombstones go on no chain: the list stays as it is */
  for (k = 0; k < n; k++) {
    size_t i = hs->scratch[k];
    c837_hrec t = hs->h[i]; /* hs->h moves in hist_append below */
    if (f == 7 && e->cl.isa_len &&
        (strcmp(c837_hr_source(hs, &t), e->cl.source) == 0 ||
         (c837_hr_loaded(&t) && c837_hist_legacy_own(e, &t))))
      continue;
    t.kind = C837_HIST_TOMBSTONE;
    t.family = C837_FAM_NONE; /* as a tombstone's ledger row has it */
    t.next = C837_HNONE;
    if (c837_hist_set_freq(hs, &t, c->freq) != 0 || kill_rec(e, i) != 0 ||
        hist_append(e, &t, 0) != 0) {
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
  c837_hid id;
  if (c837_hist_find_identity(hs, h->source, h->claim_id, h->lx, &id))
    while ((i = c837_hix_id_next(hs, &id, &pos)) != C837_NO_INDEX) {
      const c837_hrec *r = &hs->h[i];
      if (c837_hr_loaded(r) && !c837_hr_dead(r))
        return i;
    }
  if (!e->cl.legacy[0] ||
      !c837_hist_find_identity(hs, e->cl.legacy, h->claim_id, h->lx, &id))
    return C837_NO_INDEX;
  pos = (size_t)-1;
  while ((i = c837_hix_id_next(hs, &id, &pos)) != C837_NO_INDEX) {
    const c837_hrec *r = &hs->h[i];
    if (c837_hr_loaded(r) && !c837_hr_dead(r) && !rec_bookkeeping(r) &&
        c837_hist_legacy_own(e, r))
      return i;
  }
  return C837_NO_INDEX;
}

/* Takes loaded line record ri over for rec (the same line read again,
 * of the same CLM01: on the same claim chain): refiled under its
 * patient and identity, replaced in place.  0 or -1 (ENOMEM). */
static int take_over(c837_engine *e, size_t ri, const c837_hrec *rec)
{
  c837_histstore *hs = &e->hist;
  c837_hrec *r = &hs->h[ri];
  uint32_t next = r->next;
  int moved = r->source != rec->source;
  if (c837_hix_reserve(hs, rec) != 0)
    return -1;
  c837_hix_unfile(hs, ri);
  *r = *rec;
  r->next = next;
  r->flags = 0;
  if (moved) /* filed under its new identity; the old entry goes stale */
    (void)c837_hix_id_add(hs, ri);
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
    n += ri == C837_NO_INDEX || e->hist.h[ri].kind != C837_HIST_LINE;
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
    c837_hrec rec;
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
      if (touch(e, ri) != 0)
        return -1;
      h.run = c837_hr_run(&e->hist, r);
      if (rec_bookkeeping(r)) {
        r->flags |= C837_HR_DEAD; /* a tombstone: in no patient index */
        e->hist.m.ndead++;
        continue; /* the line itself is appended below */
      }
      if (c837_hist_encode(&e->hist, &h, &rec) != 0 ||
          take_over(e, ri, &rec) != 0)
        return -1;
      replaced = 1;
    }
    if (!replaced && hist_add(e, &h, 0) != 0)
      return -1;
  }
  return 0;
}
