/* engine.c -- the edit engine: public API, history and disposition
 *
 * c837_engine_claim evaluates one claim at a time, in input order.  It
 * builds the working state of every service line (c837_eline), gathers
 * the patient's remembered CAR-T and watch-code lines (c837_hist) into
 * events, runs the line edits (edit_line.c) and the sequencing edits
 * (edit_seq.c), then decides the claim's disposition: held when a
 * holding finding remains (and options.hold is on), fixed when a fix is
 * applied, else passed.  Claims that are not held have their CAR-T lines
 * remembered, per patient, so that later claims -- in this run, or in a
 * later run through the ledger -- are counted against them.  Voids
 * (CLM05-3 = 8) and replacements (7) remove the lines of the claim they
 * cancel (same CLM01 and billing provider).
 *
 * The history is an array in a stable order (append, replace in place,
 * compact after removals) plus an open-addressing hash index from the
 * patient key to that patient's records, so that memory grows only with
 * the number of CAR-T lines and a claim costs time proportional to its
 * patient's lines.  Next to the lines it keeps tombstones (lines removed
 * by voids and replacements, so that merged ledgers cannot bring them
 * back) and interchange markers, and every record carries the number of
 * the run that first remembered it; a second hash index from the
 * interchange (ISA06|ISA13|) to the runs that read it lets a re-run hide
 * the ledger lines of the run it repeats.  A checkpoint keeps the old
 * value of every record changed after it, so that a rollback (a file
 * that failed half-way) restores the history exactly.  The
 * specification of every edit is specs/edits.md.
 */
#include "engine_int.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ------------------------------------------------------------------ */
/* Names                                                               */
/* ------------------------------------------------------------------ */

static const char *const edit_names[] = {
#define C837_XX(name) #name,
    C837_EDIT_MAP(C837_XX)
#undef C837_XX
};

const char *c837_edit_name(c837_edit e)
{
  if ((int)e < 0 || e >= C837_EDIT_COUNT)
    return "";
  return edit_names[e];
}

const char *c837_action_name(c837_action a)
{
  switch (a) {
  case C837_ACT_FLAGGED: return "flagged";
  case C837_ACT_FIXED: return "fixed";
  case C837_ACT_HELD: return "held";
  }
  return "";
}

const char *c837_disposition_name(c837_disposition d)
{
  switch (d) {
  case C837_DISP_PASSED: return "passed";
  case C837_DISP_FIXED: return "fixed";
  case C837_DISP_HELD: return "held";
  }
  return "";
}

void c837_edit_options_default(c837_edit_options *o)
{
  if (!o)
    return;
  memset(o, 0, sizeof *o);
  o->infusion_min_days = 14;
  o->repeat_window_days = 365;
  o->hold = 1;
  o->run_date = 0;
}

/* The claim adjustment reason code (CARC) and remittance advice remark
 * code (RARC) a payer would most likely answer each edit with; the
 * reasoning is in specs/edits.md. */
static const struct {
  const char *carc, *rarc;
} edit_codes[C837_EDIT_COUNT] = {
    [C837_EDIT_UNITS_OVER_DAILY_MAX] = {"151", "N362"},
    [C837_EDIT_DUPLICATE_DAY] = {"18", "M86"},
    [C837_EDIT_RANGE_SPANS_DAYS] = {"16", "M59"},
    [C837_EDIT_UNITS_INVALID] = {"16", "M53"},
    [C837_EDIT_UNIT_BASIS_INVALID] = {"16", "M53"},
    [C837_EDIT_CODE_DELETED] = {"181", "M51"},
    [C837_EDIT_CODE_NOT_EFFECTIVE] = {"181", "M51"},
    [C837_EDIT_REVENUE_CODE_MISMATCH] = {"199", "M50"},
    [C837_EDIT_STEP_OUT_OF_ORDER] = {"16", "M52"},
    [C837_EDIT_PRIOR_STEP_MISSING] = {"107", ""},
    [C837_EDIT_ADMIN_WITHOUT_PRODUCT] = {"107", ""},
    [C837_EDIT_PRODUCT_WITHOUT_ADMIN] = {"107", ""},
    [C837_EDIT_INFUSION_TOO_SOON] = {"", ""},
    [C837_EDIT_REPEAT_ADMINISTRATION] = {"119", "M86"},
    [C837_EDIT_HPC_CODE_WITH_CART] = {"97", "M15"},
    [C837_EDIT_INPATIENT_PROCEDURE_LINE] = {"97", "M2"},
    [C837_EDIT_PREP_CHARGES_DOUBLE_BILLED] = {"97", "M15"},
    [C837_EDIT_ENVELOPE_INVALID] = {"16", "MA130"},
};

const char *c837_edit_carc(c837_edit e)
{
  if ((int)e < 0 || e >= C837_EDIT_COUNT || !edit_codes[e].carc)
    return "";
  return edit_codes[e].carc;
}

const char *c837_edit_rarc(c837_edit e)
{
  if ((int)e < 0 || e >= C837_EDIT_COUNT || !edit_codes[e].rarc)
    return "";
  return edit_codes[e].rarc;
}

/* ------------------------------------------------------------------ */
/* Small helpers shared with the edit files                            */
/* ------------------------------------------------------------------ */

void c837_eng_copy(char *dst, size_t dstsz, const char *src)
{
  size_t n = strlen(src);
  if (dstsz == 0)
    return;
  if (n >= dstsz)
    n = dstsz - 1;
  memcpy(dst, src, n);
  dst[n] = 0;
}

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

c837_pfinding *c837_eng_finding(c837_engine *e, c837_edit edit,
                                c837_severity sev, c837_action action,
                                size_t line, const char *fmt, ...)
{
  c837_pfinding *p;
  va_list ap;
  if (action == C837_ACT_HELD)
    e->any_held = 1;
  if (e->npf >= C837_MAX_FINDINGS) {
    e->dropped++;
    if ((int)edit >= 0 && edit < C837_EDIT_COUNT)
      e->drop_edit[edit]++;
    if ((int)sev >= 0 && (int)sev < 3)
      e->drop_sev[sev]++;
    return NULL;
  }
  p = &e->pf[e->npf++];
  memset(p, 0, sizeof *p);
  p->f.edit = edit;
  p->f.severity = sev;
  p->f.action = action;
  p->f.line = line;
  p->f.carc = c837_edit_carc(edit);
  p->f.rarc = c837_edit_rarc(edit);
  p->fixable = action == C837_ACT_FIXED;
  va_start(ap, fmt);
  vsnprintf(p->f.detail, sizeof p->f.detail, fmt, ap);
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

void c837_eng_fix(c837_engine *e, c837_fix_kind kind, size_t line,
                  const char *value)
{
  c837_fix *f;
  if (e->nfx == e->capfx) {
    size_t nc = e->capfx ? 2 * e->capfx : 16;
    c837_fix *nf = realloc(e->fx, nc * sizeof *nf);
    if (!nf) {
      e->oom = 1;
      return;
    }
    e->fx = nf;
    e->capfx = nc;
  }
  f = &e->fx[e->nfx++];
  memset(f, 0, sizeof *f);
  f->kind = kind;
  f->line = line;
  c837_eng_copy(f->value, sizeof f->value, value ? value : "");
}

void c837_eng_drop_fixes(c837_engine *e, size_t line)
{
  size_t i, j = 0;
  for (i = 0; i < e->nfx; i++)
    if (e->fx[i].line != line)
      e->fx[j++] = e->fx[i];
  e->nfx = j;
}

/* ------------------------------------------------------------------ */
/* Patient index                                                       */
/* ------------------------------------------------------------------ */

/* FNV-1a. */
static uint64_t hash_str(const char *s)
{
  uint64_t h = 1469598103934665603ull;
  for (; *s; s++) {
    h ^= (unsigned char)*s;
    h *= 1099511628211ull;
  }
  return h;
}

static int index_grow(c837_engine *e)
{
  size_t ns = e->nslots ? 2 * e->nslots : 64, i;
  size_t *slots = calloc(ns, sizeof *slots);
  if (!slots)
    return -1;
  for (i = 0; i < e->npats; i++) {
    size_t s = (size_t)(hash_str(e->pats[i].key) & (ns - 1));
    while (slots[s])
      s = (s + 1) & (ns - 1);
    slots[s] = i + 1;
  }
  free(e->slots);
  e->slots = slots;
  e->nslots = ns;
  return 0;
}

/* The patient's entry, or NULL when unknown (create = 0) or out of
 * memory (create = 1). */
static c837_pat *patient(c837_engine *e, const char *key, int create)
{
  size_t s;
  if (e->nslots) {
    s = (size_t)(hash_str(key) & (e->nslots - 1));
    while (e->slots[s]) {
      c837_pat *p = &e->pats[e->slots[s] - 1];
      if (strcmp(p->key, key) == 0)
        return p;
      s = (s + 1) & (e->nslots - 1);
    }
  }
  if (!create)
    return NULL;
  if ((e->npats + 1) * 2 > e->nslots && index_grow(e) != 0)
    return NULL;
  if (e->npats == e->cappats) {
    size_t nc = e->cappats ? 2 * e->cappats : 64;
    c837_pat *np = realloc(e->pats, nc * sizeof *np);
    if (!np)
      return NULL;
    e->pats = np;
    e->cappats = nc;
  }
  {
    c837_pat *p = &e->pats[e->npats];
    size_t len = strlen(key);
    memset(p, 0, sizeof *p);
    p->key = malloc(len + 1);
    if (!p->key)
      return NULL;
    memcpy(p->key, key, len + 1);
    s = (size_t)(hash_str(key) & (e->nslots - 1));
    while (e->slots[s])
      s = (s + 1) & (e->nslots - 1);
    e->slots[s] = ++e->npats;
    return p;
  }
}

static int pat_push(c837_pat *p, size_t idx)
{
  if (p->n == p->cap) {
    size_t nc = p->cap ? 2 * p->cap : 4;
    size_t *ni = realloc(p->idx, nc * sizeof *ni);
    if (!ni)
      return -1;
    p->idx = ni;
    p->cap = nc;
  }
  p->idx[p->n++] = idx;
  return 0;
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
  if (e->nundo == e->capundo) {
    size_t nc = e->capundo ? 2 * e->capundo : 64;
    c837_undo *nu = realloc(e->undo, nc * sizeof *nu);
    if (!nu) {
      e->oom = 1;
      return -1;
    }
    e->undo = nu;
    e->capundo = nc;
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
  uint64_t hv = 1469598103934665603ull;
  size_t k;
  if (!e->nixslots)
    return NULL;
  for (k = 0; k < len; k++) {
    hv ^= (unsigned char)key[k];
    hv *= 1099511628211ull;
  }
  s = (size_t)(hv & (e->nixslots - 1));
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
  size_t s = (size_t)(hash_str(key) & (ns - 1));
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
  if (e->nix == e->capix) {
    size_t nc = e->capix ? 2 * e->capix : 64;
    c837_ixc *ni = realloc(e->ix, nc * sizeof *ni);
    if (!ni)
      return NULL;
    e->ix = ni;
    e->capix = nc;
  }
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

/* ---- records ---- */

/* Appends a line or tombstone and indexes it.  0 or -1 (ENOMEM). */
static int hist_append(c837_engine *e, const c837_hist *h, int loaded)
{
  c837_pat *p = patient(e, h->patient, 1);
  if (!p)
    return -1;
  if (e->nh == e->caph) {
    size_t nc = e->caph ? 2 * e->caph : 64;
    c837_hrec *nr = realloc(e->h, nc * sizeof *nr);
    if (!nr)
      return -1;
    e->h = nr;
    e->caph = nc;
  }
  if (pat_push(p, e->nh) != 0)
    return -1;
  e->h[e->nh].h = *h;
  e->h[e->nh].loaded = loaded;
  e->h[e->nh].dead = 0;
  e->nh++;
  return 0;
}

/* Appends a marker.  0 or -1 (ENOMEM). */
static int mk_append(c837_engine *e, const c837_hist *h, int loaded)
{
  if (e->nmk == e->capmk) {
    size_t nc = e->capmk ? 2 * e->capmk : 16;
    c837_hrec *nr = realloc(e->mk, nc * sizeof *nr);
    if (!nr)
      return -1;
    e->mk = nr;
    e->capmk = nc;
  }
  e->mk[e->nmk].h = *h;
  e->mk[e->nmk].loaded = loaded;
  e->mk[e->nmk].dead = 0;
  e->nmk++;
  return 0;
}

/* Rebuilds every patient's list of record indexes.  Each list ends no
 * longer than it was, so nothing is allocated. */
static void reindex(c837_engine *e)
{
  size_t i;
  for (i = 0; i < e->npats; i++)
    e->pats[i].n = 0;
  for (i = 0; i < e->nh; i++) {
    c837_pat *p = patient(e, e->h[i].h.patient, 0);
    if (p)
      p->idx[p->n++] = i;
  }
}

/* Removes dead records, keeping the order.  Not while a checkpoint is
 * open (its undo records hold indexes): commit compacts. */
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

/* ------------------------------------------------------------------ */
/* Engine life cycle and history API                                   */
/* ------------------------------------------------------------------ */

static int32_t today(void)
{
  time_t now = time(NULL);
  struct tm tmv;
  if (now == (time_t)-1 || !localtime_r(&now, &tmv))
    return 0;
  return (int32_t)((tmv.tm_year + 1900) * 10000 + (tmv.tm_mon + 1) * 100 +
                   tmv.tm_mday);
}

c837_engine *c837_engine_new(const c837_codetable *t,
                             const c837_edit_options *o)
{
  c837_engine *e;
  if (!t)
    return NULL;
  e = calloc(1, sizeof *e);
  if (!e)
    return NULL;
  e->t = t;
  if (o)
    e->o = *o;
  else
    c837_edit_options_default(&e->o);
  if (e->o.infusion_min_days < 0)
    e->o.infusion_min_days = 0;
  if (e->o.repeat_window_days < 0)
    e->o.repeat_window_days = 0;
  e->run_date = e->o.run_date ? e->o.run_date : today();
  e->pf = calloc(C837_MAX_FINDINGS, sizeof *e->pf);
  e->out_f = calloc(C837_MAX_FINDINGS, sizeof *e->out_f);
  if (!e->pf || !e->out_f) {
    c837_engine_free(e);
    return NULL;
  }
  return e;
}

void c837_engine_free(c837_engine *e)
{
  size_t i;
  if (!e)
    return;
  for (i = 0; i < e->npats; i++) {
    free(e->pats[i].key);
    free(e->pats[i].idx);
  }
  ix_clear(e);
  free(e->ix);
  free(e->ixslots);
  free(e->pats);
  free(e->slots);
  free(e->h);
  free(e->mk);
  free(e->undo);
  free(e->el);
  free(e->ev);
  free(e->cand);
  free(e->pf);
  free(e->out_f);
  free(e->fx);
  free(e);
}

/* The run number of the lines this run remembers first. */
static uint32_t run_now(const c837_engine *e)
{
  return e->max_run == UINT32_MAX ? UINT32_MAX : e->max_run + 1;
}

c837_status c837_engine_add_history(c837_engine *e, const c837_hist *h)
{
  c837_pat *p;
  size_t k;
  int killed = 0;
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
  p = patient(e, h->patient, 0);
  for (k = 0; p && k < p->n; k++) {
    size_t i = p->idx[k];
    c837_hrec *r = &e->h[i];
    if (r->dead || !r->loaded || !same_identity(&r->h, h))
      continue;
    if (is_bookkeeping(h) && !is_bookkeeping(&r->h) && r->h.run <= h->run) {
      if (kill_rec(e, i) != 0)
        return C837_ENOMEM;
      killed = 1;
    } else if (!is_bookkeeping(h) && is_bookkeeping(&r->h) &&
               h->run <= r->h.run) {
      return C837_OK; /* removed by a void or replacement */
    }
  }
  if (hist_append(e, h, 1) != 0)
    return C837_ENOMEM;
  if (killed)
    hist_compact(e); /* rare: a saved ledger holds no such pair */
  return C837_OK;
}

size_t c837_engine_history_count(const c837_engine *e)
{
  return e ? e->nh + e->nmk : 0;
}

const c837_hist *c837_engine_history_at(const c837_engine *e, size_t i)
{
  if (!e)
    return NULL;
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
  hist_compact(e);
}

c837_status c837_engine_checkpoint(c837_engine *e)
{
  if (!e)
    return C837_EINVAL;
  c837_engine_commit(e);
  hist_compact(e);
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
  hist_compact(e);
}

/* ------------------------------------------------------------------ */
/* One claim                                                           */
/* ------------------------------------------------------------------ */

static int freq_of(const c837_claim *c)
{
  return atoi(c->freq);
}

/* Copies a revenue code, left-padding a numeric code shorter than four
 * digits with zeros ("871" -> "0871"). */
static void norm_revenue(char *dst, size_t dstsz, const char *src)
{
  size_t n = strlen(src), i;
  int digits = n > 0 && n < 4;
  for (i = 0; i < n && digits; i++)
    if (src[i] < '0' || src[i] > '9')
      digits = 0;
  if (digits && dstsz > 4) {
    memset(dst, '0', 4 - n);
    memcpy(dst + 4 - n, src, n + 1);
  } else {
    c837_eng_copy(dst, dstsz, src);
  }
}

/* 1 when the procedure qualifier names CPT / HCPCS (HC, or left empty). */
static int qualifier_ok(const char *q)
{
  return q[0] == 0 || strcmp(q, "HC") == 0;
}

static int build_lines(c837_engine *e)
{
  const c837_claim *c = e->c;
  size_t i;
  if (c->n_lines > e->capel) {
    c837_eline *ne = realloc(e->el, c->n_lines * sizeof *ne);
    if (!ne)
      return -1;
    e->el = ne;
    e->capel = c->n_lines;
  }
  for (i = 0; i < c->n_lines; i++) {
    const c837_line *l = &c->lines[i];
    c837_eline *x = &e->el[i];
    memset(x, 0, sizeof *x);
    x->src = l;
    c837_eng_copy(x->code, sizeof x->code, l->code);
    norm_revenue(x->revenue, sizeof x->revenue, l->revenue);
    /* only SV1 / SV2 lines: a fix rewrites those segments */
    if (l->code[0] && (l->sv == '1' || l->sv == '2') &&
        qualifier_ok(l->qualifier))
      x->row = c837_codetable_find(e->t, l->code);
    x->fam = x->row ? (int)x->row->family : C837_FAM_NONE;
    x->units = l->units;
    x->units_valid = l->units_ok && l->units > 0;
    x->from = l->date_from;
    x->to = l->date_to;
    if (x->from && (!x->to || x->to < x->from))
      x->to = x->from; /* our choice: a backwards range is its first day */
    if (!x->from)
      x->to = 0;
    if (x->from) {
      x->dfrom = c837_date_to_days(x->from);
      x->dto = c837_date_to_days(x->to);
    }
  }
  return 0;
}

static int ev_push(c837_engine *e, const c837_event *v)
{
  if (e->nev == e->capev) {
    size_t nc = e->capev ? 2 * e->capev : 32;
    c837_event *ne = realloc(e->ev, nc * sizeof *ne);
    if (!ne) {
      e->oom = 1;
      return -1;
    }
    e->ev = ne;
    e->capev = nc;
  }
  e->ev[e->nev++] = *v;
  return 0;
}

/* 1 when history record r stands for this very claim or for lines this
 * claim cancels, so that the claim must not be counted against it:
 * - a loaded line of an earlier run that this run is repeating (see
 *   hide_interchange: its run is hidden);
 * - with no envelope known, a loaded line of the same source and claim;
 * - any line of the same CLM01 and provider when this claim is a
 *   replacement (it replaces them);
 * - a replacement's line of the same CLM01 and provider when this claim
 *   is the original it replaced (a re-run reading the original again). */
static int excluded(const c837_engine *e, const c837_hrec *r)
{
  const c837_claim *c = e->c;
  int f = freq_of(c);
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
 * every loaded record of it -- and of any later run -- is hidden from
 * the edits from now on.  The lines of the repeated run that came before
 * this interchange were read again by this run and stand in for
 * themselves; those that came after must not be seen early.  Hiding
 * only grows during a run.  See specs/edits.md. */
static void hide_interchange(c837_engine *e)
{
  const c837_ixc *x;
  if (!e->isa_len)
    return;
  x = ix_find(e, e->source, e->isa_len);
  if (!x || !x->has_loaded)
    return;
  if (!e->hiding || x->min_run < e->hide_min) {
    e->hiding = 1;
    e->hide_min = x->min_run;
  }
}

/* Records (or takes over from the ledger) the marker of the claim's
 * interchange, when the claim has CAR-T or watch lines.  0 or -1. */
static int mark_interchange(c837_engine *e)
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
  h.run = run_now(e);
  if (mk_append(e, &h, 0) != 0)
    return -1;
  x->mk = e->nmk - 1;
  return 0;
}

/* Events of the patient's remembered lines, in history order. */
static void gather_history(c837_engine *e)
{
  const c837_pat *p;
  size_t i;
  e->nev = 0;
  e->nev_hist = 0;
  if (!e->c->patient_key[0])
    return; /* our choice: no patient, no cross-claim counting */
  p = patient(e, e->c->patient_key, 0);
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
    if (ev_push(e, &v) != 0)
      return;
  }
  e->nev_hist = e->nev;
}

/* Removes every line of claim id + provider (void / replacement),
 * leaving a tombstone for each so that ledgers merged or loaded later
 * cannot bring it back.  A replacement with a known envelope leaves the
 * lines of its own source and claim alone: that is the same replacement
 * read again, and record_lines takes them over.  0 or -1 (ENOMEM). */
static int cancel_claim(c837_engine *e)
{
  const c837_claim *c = e->c;
  size_t i, n = e->nh;
  int f = freq_of(c);
  for (i = 0; i < n; i++) {
    c837_hist t;
    if (e->h[i].dead || is_bookkeeping(&e->h[i].h) ||
        strcmp(e->h[i].h.claim_id, c->id) != 0 ||
        strcmp(e->h[i].h.provider, c->billing.id) != 0)
      continue;
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
static int record_lines(c837_engine *e)
{
  const c837_claim *c = e->c;
  size_t i, k;
  if (!c->patient_key[0])
    return 0;
  for (i = 0; i < c->n_lines; i++) {
    const c837_eline *x = &e->el[i];
    c837_hist h;
    c837_pat *p;
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
    h.run = run_now(e);
    p = patient(e, c->patient_key, 0);
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

/* Stable order of findings: by line (claim-level last), then edit id. */
static int finding_before(const c837_pfinding *a, const c837_pfinding *b)
{
  if (a->f.line != b->f.line)
    return a->f.line < b->f.line;
  return a->f.edit < b->f.edit;
}

static void sort_findings(c837_engine *e)
{
  size_t i, j;
  for (i = 1; i < e->npf; i++) {
    c837_pfinding tmp = e->pf[i];
    j = i;
    while (j > 0 && finding_before(&tmp, &e->pf[j - 1])) {
      e->pf[j] = e->pf[j - 1];
      j--;
    }
    e->pf[j] = tmp;
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

static void finish(c837_engine *e, c837_verdict *out)
{
  size_t i;
  int held = 0;
  char buf[200];
  sort_findings(e);
  /* every finding counts, kept or dropped beyond C837_MAX_FINDINGS */
  held = e->any_held;
  if (held && !e->o.hold)
    held = 0;
  for (i = 0; i < e->npf; i++) {
    c837_pfinding *p = &e->pf[i];
    if (p->f.action == C837_ACT_HELD && !e->o.hold) {
      p->f.action = C837_ACT_FLAGGED;
      detail_append(&p->f, " (not held: --hold none)");
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
    e->out_f[i] = p->f;
  }
  if (held)
    e->nfx = 0;
  out->disposition = held ? C837_DISP_HELD
                          : e->nfx ? C837_DISP_FIXED : C837_DISP_PASSED;
  out->n_findings = e->npf;
  out->findings = e->out_f;
  out->findings_dropped = e->dropped;
  memcpy(out->dropped_by_edit, e->drop_edit, sizeof out->dropped_by_edit);
  memcpy(out->dropped_by_severity, e->drop_sev,
         sizeof out->dropped_by_severity);
  out->n_fixes = e->nfx;
  out->fixes = e->fx;
}

c837_status c837_engine_claim(c837_engine *e, const c837_claim *c,
                              c837_verdict *out)
{
  int f;
  if (!e || !c || !out)
    return C837_EINVAL;
  memset(out, 0, sizeof *out);
  out->findings = e->out_f;
  out->fixes = e->fx;
  e->npf = 0;
  e->nfx = 0;
  e->dropped = 0;
  e->any_held = 0;
  memset(e->drop_edit, 0, sizeof e->drop_edit);
  memset(e->drop_sev, 0, sizeof e->drop_sev);
  e->oom = 0;
  e->nev = e->nev_hist = 0;
  e->c = c;
  if (c->kind != C837_KIND_P && c->kind != C837_KIND_I)
    return C837_OK;
  e->isa_len = 0;
  if (c->env) {
    int n = snprintf(e->source, sizeof e->source, "%s|%s|", c->env->isa06,
                     c->env->isa13);
    e->isa_len = n > 0 && (size_t)n < sizeof e->source ? (size_t)n : 0;
    snprintf(e->source, sizeof e->source, "%s|%s|%s|%s", c->env->isa06,
             c->env->isa13, c->env->gs06, c->env->st02);
  } else {
    e->source[0] = 0;
  }
  hide_interchange(e);
  f = freq_of(c);
  if (f == 8) {
    /* A void cancels the claim it names and is not evaluated itself. */
    if (cancel_claim(e) != 0)
      return C837_ENOMEM;
    hist_compact(e);
    return C837_OK;
  }
  if (build_lines(e) != 0)
    return C837_ENOMEM;
  gather_history(e);
  c837_edits_line(e);
  c837_edits_seq(e);
  if (e->oom)
    return C837_ENOMEM;
  finish(e, out);
  if (mark_interchange(e) != 0)
    return C837_ENOMEM;
  if (out->disposition != C837_DISP_HELD) {
    if (f == 7 && cancel_claim(e) != 0)
      return C837_ENOMEM;
    hist_compact(e);
    if (record_lines(e) != 0)
      return C837_ENOMEM;
  }
  return C837_OK;
}
