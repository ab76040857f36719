/* hist_rec.c -- the compact remembered records and their strings
 *
 * A remembered line or tombstone (c837_hrec) keeps no string of its own:
 * each of its strings is an id into one of the history's interning maps
 * (base/map.h), where every distinct string is kept once -- sources,
 * CLM01s, patient keys, and the short strings (LX, provider, codes) --
 * so that a million remembered lines cost about a tenth of what records
 * holding every string at its largest size did (specs/performance.md).
 * c837_hist_encode interns a c837_hist (the ledger's row) into a record,
 * c837_hist_decode gives it back, byte for byte.  The maps keep their
 * keys for the engine's life (a rolled-back record's strings stay, as
 * unused keys), and the ids index the arrays kept beside two of them:
 * the patient index (pats[], hist_index.c) and the claim chains
 * (chead[]).  This file calls no other file of the engine.
 */
#include "edit/engine_int.h"
#include "base/buf.h"
#include "base/map.h"

#include <stdlib.h>
#include <string.h>

/* The id of s in m, interned when new; -1 on ENOMEM. */
static int intern(c837_map *m, const char *s, uint32_t *id)
{
  size_t k;
  if (c837_map_intern(m, s, strlen(s), &k) < 0 || k >= C837_HNONE)
    return -1;
  *id = (uint32_t)k;
  return 0;
}

/* Makes room in a per-id array of elsz-byte entries (the patient index,
 * the claim heads) for every id of m; *cap through a size_t. */
static int per_id_reserve(void *pp, size_t *cap, const c837_map *m,
                          size_t elsz)
{
  return c837_vec_reserve(pp, cap, c837_map_count(m) + 1, elsz, 64, 0);
}

/* The id of meta m in hs->metas, interned when new; -1 on ENOMEM. */
static int intern_meta(c837_histstore *hs, const c837_hmeta *m, uint32_t *id)
{
  size_t k;
  if (c837_map_intern(&hs->metas, (const char *)m, sizeof *m, &k) < 0 ||
      k >= C837_HNONE)
    return -1;
  *id = (uint32_t)k;
  return 0;
}

int c837_hist_set_freq(c837_histstore *hs, c837_hrec *r, const char *freq)
{
  c837_hmeta m = c837_hr_meta(hs, r);
  memset(m.freq, 0, sizeof m.freq);
  c837_eng_copy(m.freq, sizeof m.freq, freq);
  return intern_meta(hs, &m, &r->meta);
}

int c837_hist_encode(c837_histstore *hs, const c837_hist *h, c837_hrec *r)
{
  size_t np = c837_map_count(&hs->patkeys), nc = c837_map_count(&hs->cids);
  c837_hmeta m;
  memset(r, 0, sizeof *r);
  /* room first for a new patient and a new CLM01, whose entries are set
   * as soon as they are interned */
  if (per_id_reserve(&hs->pats, &hs->cappats, &hs->patkeys,
                     sizeof *hs->pats) != 0 ||
      per_id_reserve(&hs->chead, &hs->capchead, &hs->cids,
                     sizeof *hs->chead) != 0 ||
      intern(&hs->patkeys, h->patient, &r->patient) != 0)
    return -1;
  if (c837_map_count(&hs->patkeys) > np)
    memset(&hs->pats[np], 0, sizeof hs->pats[np]);
  if (intern(&hs->cids, h->claim_id, &r->claim_id) != 0)
    return -1;
  if (c837_map_count(&hs->cids) > nc)
    hs->chead[nc] = C837_HNONE;
  if (intern(&hs->srcs, h->source, &r->source) != 0 ||
      intern(&hs->strs, h->lx, &r->lx) != 0 ||
      intern(&hs->strs, h->provider, &r->provider) != 0 ||
      intern(&hs->strs, h->code, &r->code) != 0 ||
      intern(&hs->strs, h->billed, &r->billed) != 0)
    return -1;
  memset(&m, 0, sizeof m);
  m.run = h->run;
  m.run_date = h->run_date;
  memcpy(m.freq, h->freq, sizeof m.freq);
  m.freq[sizeof m.freq - 1] = 0;
  if (intern_meta(hs, &m, &r->meta) != 0)
    return -1;
  r->next = C837_HNONE;
  r->date_from = h->date_from;
  r->date_to = h->date_to;
  r->units = h->units;
  r->step = (int8_t)h->step;
  r->family = (uint8_t)h->family;
  r->kind = (uint8_t)h->kind;
  return 0;
}

void c837_hist_decode(const c837_histstore *hs, const c837_hrec *r,
                      c837_hist *h)
{
  c837_hmeta m = c837_hr_meta(hs, r);
  memset(h, 0, sizeof *h);
  h->kind = (c837_hist_kind)r->kind;
  c837_eng_copy(h->source, sizeof h->source, c837_hr_source(hs, r));
  c837_eng_copy(h->claim_id, sizeof h->claim_id, c837_hr_claim_id(hs, r));
  c837_eng_copy(h->lx, sizeof h->lx, c837_hr_lx(hs, r));
  c837_eng_copy(h->patient, sizeof h->patient, c837_hr_patient(hs, r));
  c837_eng_copy(h->provider, sizeof h->provider, c837_hr_provider(hs, r));
  c837_eng_copy(h->code, sizeof h->code, c837_hr_code(hs, r));
  c837_eng_copy(h->billed, sizeof h->billed, c837_hr_billed(hs, r));
  h->family = (c837_family)r->family;
  h->step = r->step;
  h->date_from = r->date_from;
  h->date_to = r->date_to;
  h->units = r->units;
  memcpy(h->freq, m.freq, sizeof h->freq);
  h->run_date = m.run_date;
  h->run = m.run;
}

/* The id of s in m, or C837_HNONE. */
static uint32_t find(const c837_map *m, const char *s)
{
  size_t k = c837_map_find(m, s, strlen(s));
  return k == C837_MAP_NONE ? C837_HNONE : (uint32_t)k;
}

int c837_hist_find_identity(const c837_histstore *hs, const char *source,
                            const char *claim_id, const char *lx,
                            c837_hid *id)
{
  id->source = find(&hs->srcs, source);
  id->claim_id = find(&hs->cids, claim_id);
  id->lx = find(&hs->strs, lx);
  return id->source != C837_HNONE && id->claim_id != C837_HNONE &&
         id->lx != C837_HNONE;
}

uint32_t c837_hist_chain(const c837_histstore *hs, const char *claim_id)
{
  uint32_t c = find(&hs->cids, claim_id);
  return c == C837_HNONE ? C837_HNONE : hs->chead[c];
}

void c837_hist_chain_link(c837_histstore *hs, size_t i)
{
  c837_hrec *r = &hs->h[i];
  r->next = hs->chead[r->claim_id];
  hs->chead[r->claim_id] = (uint32_t)i;
}

void c837_hist_chain_clear(c837_histstore *hs)
{
  size_t i;
  for (i = 0; i < c837_map_count(&hs->cids); i++)
    hs->chead[i] = C837_HNONE;
}

void c837_hist_strings_free(c837_histstore *hs)
{
  c837_map_free(&hs->srcs);
  c837_map_free(&hs->cids);
  c837_map_free(&hs->strs);
  c837_map_free(&hs->metas);
  free(hs->chead);
  hs->chead = NULL;
  hs->capchead = 0;
  free(hs->scratch);
  hs->scratch = NULL;
  hs->capscratch = 0;
}
