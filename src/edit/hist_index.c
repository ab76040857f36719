/* hist_index.c -- the indexes over the engine's remembered records
 *
 * engine_hist.c keeps the remembered records (c837_hrec: lines,
 * tombstones) in one array, in a stable order; this file keeps two
 * indexes over that array, so that no claim costs time in proportion to
 * everything remembered (specs/edits.md, "Cost"):
 *
 * - identity (source, CLM01, LX) -> records, an open-addressing table of
 *   record indexes by the hash of the identity's string ids (c837_idtab;
 *   4 bytes a slot, the hash computed again from the record when the
 *   table grows), so that a line read again or a tombstone loaded finds
 *   its record at once;
 * - patient key -> the patient's live dated lines (c837_pat), ordered by
 *   class (c837_hix_class: product, steps 1 to 4, another step, watch,
 *   tcr, til, hsc_gene, the other families), then date_from,
 *   then record index, so that a claim reaches the lines near its dates,
 *   and the earliest line of each step, by binary search.  A patient's
 *   list is kept ordered by insertion (memmove, bounded by
 *   C837_MAX_PATIENT_LINES); lines loaded from a ledger are appended and
 *   the list sorted once, when it is first read.
 *
 * (The third, CLM01 -> the claim's lines for voids and replacements, is
 * a chain through the records: hist_rec.c.)  c837_hix_rebuild rebuilds
 * both and the claim chains from the records after a rollback or a
 * compaction without allocating: each index already held every record
 * it gets back.  This file calls hist_rec.c only.
 */
#include "edit/engine_int.h"
#include "base/buf.h"
#include "base/map.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ */
/* Identity table                                                      */
/* ------------------------------------------------------------------ */

uint64_t c837_hix_id_hash(const c837_hid *k)
{
  uint32_t v[3];
  v[0] = k->source;
  v[1] = k->claim_id;
  v[2] = k->lx;
  return c837_hash(v, sizeof v);
}

static uint64_t rec_hash(const c837_hrec *r)
{
  c837_hid k;
  k.source = r->source;
  k.claim_id = r->claim_id;
  k.lx = r->lx;
  return c837_hix_id_hash(&k);
}

/* Puts record idx under hash h; the table has room. */
static void id_put(c837_idtab *t, uint64_t h, size_t idx)
{
  size_t mask = t->nslots - 1, k = (size_t)h & mask;
  while (t->slot[k])
    k = (k + 1) & mask;
  t->slot[k] = (uint32_t)(idx + 1);
  t->n++;
}

/* Makes room for one more entry (load at most one half).  0 or -1. */
static int id_reserve(c837_histstore *hs)
{
  c837_idtab *t = &hs->ids, nt;
  size_t i, want = t->nslots ? t->nslots : 64;
  if ((t->n + 1) * 2 <= t->nslots)
    return 0;
  if (hs->m.nh >= C837_HNONE - 1)
    return -1; /* record indexes are 32 bits */
  while ((t->n + 1) * 2 > want)
    want *= 2;
  nt.slot = calloc(want, sizeof *nt.slot);
  if (!nt.slot)
    return -1;
  nt.nslots = want;
  nt.n = 0;
  for (i = 0; i < t->nslots; i++)
    if (t->slot[i])
      id_put(&nt, rec_hash(&hs->h[t->slot[i] - 1]), t->slot[i] - 1);
  free(t->slot);
  *t = nt;
  return 0;
}

int c837_hix_id_add(c837_histstore *hs, size_t i)
{
  if (id_reserve(hs) != 0)
    return -1;
  id_put(&hs->ids, rec_hash(&hs->h[i]), i);
  return 0;
}

size_t c837_hix_id_next(const c837_histstore *hs, const c837_hid *id,
                        size_t *pos)
{
  const c837_idtab *t = &hs->ids;
  size_t mask, k;
  if (!t->nslots)
    return C837_NO_INDEX;
  mask = t->nslots - 1;
  k = *pos == (size_t)-1 ? (size_t)c837_hix_id_hash(id) & mask
                         : (*pos + 1) & mask;
  for (; t->slot[k]; k = (k + 1) & mask) {
    const c837_hrec *r = &hs->h[t->slot[k] - 1];
    if (r->source == id->source && r->claim_id == id->claim_id &&
        r->lx == id->lx) {
      *pos = k;
      return t->slot[k] - 1;
    }
  }
  return C837_NO_INDEX;
}

/* ------------------------------------------------------------------ */
/* Patient index                                                       */
/* ------------------------------------------------------------------ */

int c837_hix_class(const c837_hrec *r)
{
  switch ((c837_family)r->family) {
  case C837_FAM_PRODUCT:
    return C837_HIX_PRODUCT;
  case C837_FAM_STEP:
    return r->step >= 1 && r->step <= 4 ? r->step : C837_HIX_STEP_OTHER;
  case C837_FAM_WATCH:
    return C837_HIX_WATCH;
  case C837_FAM_TCR:
    return C837_HIX_TCR;
  case C837_FAM_TIL:
    return C837_HIX_TIL;
  case C837_FAM_HSC_GENE:
    return C837_HIX_HSC_GENE;
  default:
    return C837_HIX_OTHER; /* cell_other, noc */
  }
}

int c837_hix_fileable(const c837_hrec *r)
{
  return !c837_hr_dead(r) && r->kind == C837_HIST_LINE && r->date_from != 0;
}

/* Order of the patient index: class, date_from, record index. */
static int before(const c837_hrec *h, size_t a, size_t b)
{
  int ca = c837_hix_class(&h[a]), cb = c837_hix_class(&h[b]);
  if (ca != cb)
    return ca < cb;
  if (h[a].date_from != h[b].date_from)
    return h[a].date_from < h[b].date_from;
  return a < b;
}

/* The first position of p whose entry does not come before record i. */
static size_t pat_lower(const c837_hrec *h, const c837_pat *p, size_t i)
{
  size_t lo = 0, hi = p->n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (before(h, c837_pat_cidx(p)[mid], i))
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo;
}

/* qsort over a patient's list needs the records: sorted by a merge sort
 * of our own (stable, no allocation beyond the scratch it is given). */
static void merge_sort(const c837_hrec *h, uint32_t *a, uint32_t *tmp,
                       size_t n)
{
  size_t mid, i, j, k;
  if (n < 2)
    return;
  mid = n / 2;
  merge_sort(h, a, tmp, mid);
  merge_sort(h, a + mid, tmp, n - mid);
  for (i = 0, j = mid, k = 0; i < mid || j < n;)
    tmp[k++] = j >= n || (i < mid && !before(h, a[j], a[i])) ? a[i++]
                                                            : a[j++];
  memcpy(a, tmp, n * sizeof *a);
}

/* Sorts p when it was appended to unordered.  -1 on ENOMEM (p unsorted,
 * unchanged). */
static int pat_sort(const c837_histstore *hs, c837_pat *p)
{
  uint32_t *tmp;
  if (!p->unsorted)
    return 0;
  tmp = p->n ? malloc(p->n * sizeof *tmp) : NULL;
  if (p->n && !tmp)
    return -1;
  merge_sort(hs->h, c837_pat_idx(p), tmp, p->n);
  free(tmp);
  p->unsorted = 0;
  return 0;
}

static int32_t span_of(const c837_hrec *r)
{
  if (!r->date_to || r->date_to <= r->date_from)
    return 0;
  return c837_date_to_days(r->date_to) - c837_date_to_days(r->date_from);
}

/* The patient entry of key, NULL when unknown. */
static c837_pat *pat_find(const c837_histstore *hs, const char *key)
{
  size_t id = c837_map_find(&hs->patkeys, key, strlen(key));
  return id == C837_MAP_NONE ? NULL : &hs->pats[id];
}

/* Makes room for one more entry in p: in place up to C837_PAT_INLINE,
 * then in an array of its own.  0 or -1 (ENOMEM, p unchanged). */
static int pat_reserve(c837_pat *p)
{
  uint32_t *a = p->capl ? p->u.p : NULL;
  size_t cap = p->capl ? (size_t)2 << p->capl : 0, l = 1;
  if (!p->capl && p->n + 1 <= C837_PAT_INLINE)
    return 0;
  if ((size_t)p->n + 1 > C837_PAT_MAX ||
      c837_vec_reserve(&a, &cap, (size_t)p->n + 1, sizeof *a, 4, 0) != 0)
    return -1;
  while (((size_t)2 << l) < cap)
    l++;
  if (!p->capl)
    memcpy(a, p->u.in, p->n * sizeof *a);
  p->u.p = a;
  p->capl = l;
  return 0;
}

/* The entries p can hold without allocating. */
static size_t pat_room(const c837_pat *p)
{
  return p->capl ? (size_t)2 << p->capl : C837_PAT_INLINE;
}

int c837_hix_file(c837_histstore *hs, size_t i, int append)
{
  c837_pat *p = &hs->pats[hs->h[i].patient];
  int32_t sp = span_of(&hs->h[i]);
  uint32_t *idx;
  size_t at;
  if (pat_reserve(p) != 0)
    return -1;
  /* an unsorted list is sorted when first read */
  if (append && p->n)
    p->unsorted = 1;
  at = p->unsorted ? p->n : pat_lower(hs->h, p, i);
  idx = c837_pat_idx(p);
  memmove(idx + at + 1, idx + at, (p->n - at) * sizeof *idx);
  idx[at] = (uint32_t)i;
  p->n++;
  if (sp > p->maxspan)
    p->maxspan = sp;
  return 0;
}

void c837_hix_unfile(c837_histstore *hs, size_t i)
{
  c837_pat *p = &hs->pats[hs->h[i].patient];
  uint32_t *idx = c837_pat_idx(p);
  size_t at;
  if (!p->n)
    return;
  if (p->unsorted) {
    for (at = 0; at < p->n && idx[at] != i; at++)
      ;
  } else {
    at = pat_lower(hs->h, p, i);
  }
  if (at >= p->n || idx[at] != i)
    return;
  memmove(idx + at, idx + at + 1, (p->n - at - 1) * sizeof *idx);
  p->n--;
}

int c837_hix_pat(c837_histstore *hs, const char *patient, c837_pat **out)
{
  c837_pat *p = pat_find(hs, patient);
  *out = NULL;
  if (!p || !p->n)
    return 0;
  if (pat_sort(hs, p) != 0)
    return -1;
  *out = p;
  return 0;
}

size_t c837_hix_pat_count(const c837_histstore *hs, const char *patient)
{
  const c837_pat *p = pat_find(hs, patient);
  return p ? p->n : 0;
}

int c837_hix_reserve(c837_histstore *hs, const c837_hrec *r)
{
  if (id_reserve(hs) != 0)
    return -1;
  if (r->kind != C837_HIST_LINE || !r->date_from)
    return 0;
  return pat_reserve(&hs->pats[r->patient]);
}

size_t c837_hix_lower(const c837_histstore *hs, const c837_pat *p, int cls,
                      int32_t ymd_lo, size_t *end)
{
  size_t lo = 0, hi = p->n, first;
  /* the class's first entry */
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (c837_hix_class(&hs->h[c837_pat_cidx(p)[mid]]) < cls)
      lo = mid + 1;
    else
      hi = mid;
  }
  first = lo;
  hi = p->n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (c837_hix_class(&hs->h[c837_pat_cidx(p)[mid]]) <= cls)
      lo = mid + 1;
    else
      hi = mid;
  }
  *end = lo;
  lo = first;
  hi = *end;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (hs->h[c837_pat_cidx(p)[mid]].date_from < ymd_lo)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo;
}

/* ------------------------------------------------------------------ */
/* Interchange index                                   */
/* ------------------------------------------------------------------ */

/* Length of the interchange key "ISA06|ISA13|" at the start of source,
 * 0 when source has no two '|'. */
size_t c837_hix_ix_key_len(const char *source)
{
  const char *bar = strchr(source, '|');
  if (!bar || !(bar = strchr(bar + 1, '|')))
    return 0;
  return (size_t)(bar - source) + 1;
}

/* ---- interchange index ---- */

c837_ixc *c837_hix_ix_find(const c837_histstore *hs, const char *key,
                         size_t len)
{
  size_t id = c837_map_find(&hs->ixkeys, key, len);
  return id == C837_MAP_NONE ? NULL : &hs->ix[id];
}

/* The entry of interchange key[0..len), created when missing; NULL on
 * ENOMEM. */
c837_ixc *c837_hix_ix_get(c837_histstore *hs, const char *key, size_t len)
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
int c837_hix_ix_note_loaded(c837_histstore *hs, const c837_hist *h)
{
  size_t len = c837_hix_ix_key_len(h->source);
  c837_ixc *x;
  if (!len)
    return 0;
  x = c837_hix_ix_get(hs, h->source, len);
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
void c837_hix_ix_rollback(c837_histstore *hs, size_t nix)
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
/* Rebuild                                                             */
/* ------------------------------------------------------------------ */

void c837_hix_rebuild(c837_histstore *hs)
{
  size_t i;
  /* identity table: the same number of slots, refilled */
  if (hs->ids.nslots)
    memset(hs->ids.slot, 0, hs->ids.nslots * sizeof *hs->ids.slot);
  hs->ids.n = 0;
  for (i = 0; i < c837_map_count(&hs->patkeys); i++) {
    hs->pats[i].n = 0;
    hs->pats[i].maxspan = 0;
    hs->pats[i].unsorted = 0;
  }
  c837_hist_chain_clear(hs);
  hs->nlive = 0;
  for (i = 0; i < hs->m.nh; i++) {
    const c837_hrec *r = &hs->h[i];
    c837_pat *p = &hs->pats[r->patient];
    if (hs->ids.nslots && (hs->ids.n + 1) * 2 <= hs->ids.nslots)
      id_put(&hs->ids, rec_hash(r), i);
    if (c837_hr_dead(r) || r->kind != C837_HIST_LINE)
      continue;
    hs->nlive++;
    c837_hist_chain_link(hs, i);
    if (c837_hix_fileable(r) && p->n < pat_room(p)) {
      c837_pat_idx(p)[p->n++] = (uint32_t)i;
      p->unsorted = p->n > 1;
      if (span_of(r) > p->maxspan)
        p->maxspan = span_of(r);
    }
  }
}

void c837_hix_free(c837_histstore *hs)
{
  size_t i;
  free(hs->ids.slot);
  memset(&hs->ids, 0, sizeof hs->ids);
  for (i = 0; i < c837_map_count(&hs->patkeys); i++)
    if (hs->pats[i].capl)
      free(hs->pats[i].u.p);
  free(hs->pats);
  hs->pats = NULL;
  hs->cappats = 0;
  c837_map_free(&hs->patkeys);
}
