/* engine_int.h -- private state shared by the engine's files
 *
 * The edit engine is split by concern, and the calls between its files
 * run one way:
 *
 *   engine.c  (public claim API, working lines, disposition: orchestrates)
 *     -> edit_line.c, edit_seq.c  (the edits)
 *          -> verdict.c      (findings and fixes of the claim judged)
 *          -> engine_hist.c  (the remembered history)
 *               -> hist_gather.c (the lines one claim is judged against)
 *               -> hist_index.c  (the indexes over the records)
 *                    -> hist_rec.c (the compact records' strings)
 *
 * engine.c also calls engine_hist.c (cancel, record), hist_gather.c
 * and verdict.c; engine_hist.c and hist_gather.c call hist_index.c (and
 * hist_gather.c engine_hist.c's exclusion rule); engine_hist.c and
 * hist_index.c call hist_rec.c; hist_rec.c and verdict.c call no file
 * of the engine.
 * The engine's state is one struct of four named parts: the history
 * (records, indexes and run numbers, engine_hist.c), its checkpoint, the
 * claim being judged (working lines and events), and the verdict being
 * built (verdict.c).  Nothing here is part of the public interface.  The
 * rules themselves are specified in specs/edits.md.
 */
#ifndef CART837_ENGINE_INT_H
#define CART837_ENGINE_INT_H

#include "cart837.h"
#include "base/limits.h"
#include "base/map.h"
#include "edit/engine_hist.h"

#include <stdlib.h>
#include <string.h>

/* Micro-units in one unit. */
#define C837_UNIT 1000000

/* ------------------------------------------------------------------ */
/* The claim being judged                                              */
/* ------------------------------------------------------------------ */

/* Working state of one service line while a claim is evaluated: the
 * values after the fixes decided so far. */
typedef struct c837_eline {
  const c837_line *src;
  const c837_code *row;          /* row of the effective code, or NULL */
  char code[C837_CODE_MAX];      /* effective code (after a crosswalk) */
  char revenue[C837_CODE_MAX];   /* effective revenue code, normalised */
  int fam;                       /* c837_family of row, NONE if no row */
  int64_t units;                 /* effective units (micro) */
  int units_valid;               /* 1 when units are usable for counting */
  int32_t from, to;              /* CCYYMMDD, to >= from; 0 when no date */
  int32_t dfrom, dto;            /* the same as day numbers */
  int tracked;                   /* c837_codetable_tracks said so */
  int removed;                   /* 1 when a fix removes the line */
  int split;                     /* 1 when a fix splits the line per day */
  const c837_code *row2;         /* the code from day dswitch on (a split
                                    line whose code ends in its range) */
  int32_t dswitch;               /* day number; 0 when the code is one */
  /* What the line bills (edit_ctx.c): pfam is its family, or for an
   * unclassified (NOC) code with the NDC of a known cell or gene product
   * in its drug loop that product's family; product the product's
   * generic name (the code row's, or the NDC's), NULL when not known;
   * ndc the row of the line's first NDC that the list knows (NULL);
   * has_ndc 1 when the line carries an NDC (LIN N4) at all. */
  int pfam;
  const char *product;
  const c837_ndc *ndc;
  int has_ndc;
} c837_eline;

/* One line of the patient as seen by the sequencing edits: either a
 * remembered history line or a line of the current claim. */
typedef struct c837_event {
  const char *code;     /* after crosswalk */
  const char *code2;    /* the code from day dswitch on, or NULL */
  int32_t dswitch;      /* day number; 0 when the line has one code */
  const c837_code *row; /* NULL when the code left the table */
  int fam;
  int step;
  int32_t from, to;     /* CCYYMMDD */
  int32_t dfrom, dto;   /* day numbers */
  int64_t units;
  const char *provider;
  const char *claim_id;
  size_t line;          /* index in the current claim, or C837_NO_INDEX
                           for a history line */
  const char *product;  /* generic name of the product, NULL when not
                           known (steps, watch codes, history lines of
                           unclassified codes) */
} c837_event;

/* What the edits of issue 12 read of the claim as a whole (edit_ctx.c),
 * built once per claim judged. */
typedef struct c837_cctx {
  c837_payer_settings ps; /* the claim's payer class and settings */
  int inpatient;        /* 837I, type of bill 11x */
  int outpatient;       /* 837I, type of bill 12x or 13x */
  int32_t discharge;    /* 11x: the end of the statement period (else its
                           start), the date PCS codes are valid on */
  const c837_pcs *pcs;  /* the first HI procedure code that proves a CAR-T
                           administration (specs/pcs.csv, cart_admin 1,
                           valid on the discharge date), or NULL */
  const char *pcs_code; /* its code as written */
  int32_t pcs_date;     /* its HI date (D8), 0 when none */
  int z006;             /* diagnosis Z00.6 (clinical research) */
  int cc30, cc51, cc90; /* condition codes 30, 51, 90 */
  const c837_hi_code *d4; /* value code D4 (trial number), or NULL */
  int note_eau;         /* a note "Expand Acc Use" */
  int note_dpct;        /* a note "Diff Prod Clin Trial" */
  int q0q1;             /* a line modifier Q0 or Q1 */
  int trial;            /* any clinical trial or expanded access mark:
                           Z00.6, CC 30, VC D4, Q0/Q1, CC 90, either note */
} c837_cctx;

/* Everything about the claim being judged; rebuilt for every claim, the
 * arrays kept for the next. */
typedef struct c837_claimwork {
  const c837_claim *c;
  char source[4 * C837_ID_MAX + 8]; /* "ISA06|ISA13#FP|GS06|ST02" (FP:
                           the ISA's hash in 16 hex digits; without
                           "#FP" when the envelope has no isa_hash) */
  size_t isa_len;       /* length of "ISA06|ISA13#FP|" at the start of
                           source, 0 when the claim has no envelope */
  char legacy[4 * C837_ID_MAX + 8]; /* source without "#FP": how ledgers
                           written before the hash name it ("" when the
                           source has no hash) */
  size_t nout;          /* service lines the claim will have after the
                           fixes decided so far (loop 2400 limit) */
  size_t *pick;         /* gather: record indexes of the events */
  size_t cappick;
  c837_eline *el;       /* el[0 .. c->n_lines) */
  size_t capel;
  c837_event *ev;       /* the patient's events: ev[0 .. nev_hist) from
                           history, then the claim's own lines */
  size_t nev, capev;
  size_t nev_hist;
  int32_t *cand;        /* DUPLICATE_DAY: candidate days */
  size_t capcand;
  c837_cctx cx;         /* the claim's context (edit_ctx.c) */
} c837_claimwork;

/* ------------------------------------------------------------------ */
/* The verdict being built (verdict.c)                                 */
/* ------------------------------------------------------------------ */

/* A finding while it is built, with the words describing its fix. */
typedef struct c837_pfinding {
  c837_finding f;
  int fixable;          /* 1 when the finding carries a fix */
  char fixdesc[128];    /* "units 3 -> 1", "" when no fix */
} c837_pfinding;

typedef struct c837_verdictbuf {
  c837_pfinding *pf;    /* C837_MAX_FINDINGS, the kept findings */
  size_t npf;
  uint64_t dropped;     /* findings beyond C837_MAX_FINDINGS */
  uint64_t drop_edit[C837_EDIT_COUNT];
  uint64_t drop_sev[3];
  int any_held;         /* a finding with action HELD, kept or dropped */
  c837_finding *out_f;  /* C837_MAX_FINDINGS, handed out */
  c837_fix *fx;
  size_t nfx, capfx;
} c837_verdictbuf;

/* ------------------------------------------------------------------ */
/* The remembered history (engine_hist.c)                              */
/* ------------------------------------------------------------------ */

/* A remembered line or tombstone, compact: its strings are ids into the
 * history's interning maps (c837_hist_encode / c837_hist_decode), so
 * that a million remembered lines fit in about 150 MB with their
 * indexes (specs/performance.md).  Dates stay CCYYMMDD as in c837_hist.
 * The fields mean what c837_hist's of the same name mean. */
typedef struct c837_hrec {
  uint32_t source;      /* id in hs->srcs */
  uint32_t claim_id;    /* id in hs->cids: the claim chain it is on */
  uint32_t patient;     /* id in hs->patkeys: pats[patient] */
  uint32_t lx, provider, code, billed; /* ids in hs->strs */
  uint32_t next;        /* the next line on its claim chain (lines only;
                           C837_HNONE at the end): see c837_histstore */
  int64_t units;
  int32_t date_from, date_to;
  uint32_t meta;        /* id in hs->metas: run, run_date and freq
                           (c837_hmeta; few distinct, one a run or so) */
  int8_t step;          /* 0 .. 4 (the ledger and code table's range) */
  uint8_t family;       /* c837_family */
  uint8_t kind;         /* C837_HIST_LINE or C837_HIST_TOMBSTONE */
  uint8_t flags;        /* C837_HR_LOADED, C837_HR_DEAD */
} c837_hrec;

/* What records share: the run that first remembered them, its date, and
 * the claim frequency (c837_hrec.meta: the bytes of one, zero-padded,
 * are its key in hs->metas). */
typedef struct c837_hmeta {
  uint32_t run;
  int32_t run_date;
  char freq[4];
} c837_hmeta;

/* c837_hrec.flags: LOADED: from c837_engine_add_history and not yet
 * replaced by a line of this run; DEAD: removed by a void / replacement
 * (dropped at the next compaction). */
#define C837_HR_LOADED 1u
#define C837_HR_DEAD 2u
/* The end of a claim chain. */
#define C837_HNONE UINT32_MAX

/* 1 when r is C837_HR_LOADED. */
static inline int c837_hr_loaded(const c837_hrec *r)
{
  return (r->flags & C837_HR_LOADED) != 0;
}
/* 1 when r is C837_HR_DEAD. */
static inline int c837_hr_dead(const c837_hrec *r)
{
  return (r->flags & C837_HR_DEAD) != 0;
}

/* An admission (few: one per CAR-T patient's stay): kept whole.  The
 * markers, one per interchange with remembered lines (as many as a big
 * drop has interchanges), are kept compact as the lines are (a
 * c837_hrec in hs->mk, its flags LOADED and DEAD). */
typedef struct c837_arec {
  c837_hist h;
  int loaded;           /* as C837_HR_LOADED */
  int dead;             /* as C837_HR_DEAD */
} c837_arec;

/* The lines of one patient, for the edits (hist_index.c): record indexes
 * of the patient's live dated lines, ordered by class (c837_hix_class),
 * date_from and record index; the first C837_PAT_INLINE of them held
 * in place (most patients have a line or two: no allocation of their
 * own), more in an allocated array.  Read them through c837_pat_idx. */
#define C837_PAT_INLINE 2
typedef struct c837_pat {
  union {
    uint32_t *p;        /* capl > 0 */
    uint32_t in[C837_PAT_INLINE]; /* capl == 0 */
  } u;
  unsigned int n : 26;  /* entries (C837_PAT_MAX at most) */
  unsigned int capl : 5; /* 0: in place; else the array holds 2^(capl + 1)
                            (c837_vec_reserve doubles from 4) */
  unsigned int unsorted : 1; /* the entries appended in record order, to
                                be sorted before they are read (after a
                                load or a rebuild) */
  int32_t maxspan;      /* the largest date_to - date_from (days) filed
                           since the last rebuild */
} c837_pat;
/* The most entries of one patient's list (a ledger may hold more lines
 * of one patient than C837_MAX_PATIENT_LINES lets a run add: loading
 * more than this fails as out of memory). */
#define C837_PAT_MAX ((1u << 26) - 1)

/* The record indexes of p, p->n of them. */
static inline uint32_t *c837_pat_idx(c837_pat *p)
{
  return p->capl ? p->u.p : p->u.in;
}
/* The same, read-only. */
static inline const uint32_t *c837_pat_cidx(const c837_pat *p)
{
  return p->capl ? p->u.p : p->u.in;
}

/* Identity (source, CLM01, LX) -> records: open addressing, record
 * index + 1 per slot (0 empty); the hash of a slot's identity is
 * computed again from its record's ids (c837_hix_id_hash). */
typedef struct c837_idtab {
  uint32_t *slot;
  size_t nslots, n;     /* nslots a power of two (or 0), n entries */
} c837_idtab;

/* What an interchange index entry ("ISA06|ISA13|", the key in its map)
 * knows: the smallest run of the loaded records read from it, and its
 * marker. */
typedef struct c837_ixc {
  uint32_t min_run;     /* valid when has_loaded */
  int has_loaded;
  size_t mk;            /* index into markers, C837_NO_INDEX when none */
} c837_ixc;

/* Record indexes in increasing record order (the admissions' patient
 * lists). */
typedef struct c837_ilist {
  size_t *idx;
  size_t n, cap;
} c837_ilist;

/* What a checkpoint saves and a rollback restores in one assignment:
 * the lengths of the record arrays and the run numbers. */
typedef struct c837_hmarks {
  size_t nh;            /* records in h[] */
  size_t nmk;           /* markers in mk[] */
  size_t ndead;         /* records of h[] marked dead */
  uint32_t max_run;     /* this run's lines get max_run + 1 */
  int hiding;           /* loaded records with run >= hide_min are */
  uint32_t hide_min;    /* hidden from the edits (c837_hist_hide) */
} c837_hmarks;

typedef struct c837_histstore {
  c837_hmarks m;
  /* history, in a stable order: lines and tombstones in h[], markers in
   * mk[] (history_at lists h then mk) */
  c837_hrec *h;
  size_t caph;
  c837_hrec *mk;
  size_t capmk;
  size_t nlive;         /* live lines in h[] (the run's limit counts them) */
  /* the strings of the records, each kept once: sources; CLM01s (chead[id]
   * the last line of that CLM01, its chain running back through
   * c837_hrec.next, so that a void or replacement touches only the lines
   * of its CLM01); LX, provider, code as billed and after crosswalk */
  c837_map srcs;
  c837_map cids;
  uint32_t *chead;
  size_t capchead;
  c837_map strs;
  c837_map metas;       /* c837_hmeta */
  /* patient key -> pats[id], the patient's dated lines by class and date */
  c837_map patkeys;
  c837_pat *pats;
  size_t cappats;
  /* identity -> records (lines and tombstones) */
  c837_idtab ids;
  /* a void's or replacement's lines, gathered from its claim chain */
  size_t *scratch;
  size_t capscratch;
  /* interchange "ISA06|ISA13|" -> ix[id] */
  c837_map ixkeys;
  c837_ixc *ix;
  size_t capix;
} c837_histstore;

/* A change to a record that existed at the checkpoint: its old value. */
typedef struct c837_undo {
  size_t idx;
  c837_hrec old;
} c837_undo;

/* The same for an admission. */
typedef struct c837_aundo {
  size_t idx;
  c837_arec old;
} c837_aundo;

/* The open checkpoint (c837_engine_checkpoint): what it saw, and the old
 * values of the records changed since. */
typedef struct c837_checkpoint {
  int open;
  c837_hmarks saved;
  size_t nix;           /* interchange ids at the checkpoint */
  c837_undo *undo;
  size_t nundo, capundo;
  c837_undo *mkundo;    /* markers */
  size_t nmkundo, capmkundo;
} c837_checkpoint;

/* The remembered inpatient admissions (hist_admit.c): records of kind
 * ADMISSION, and the tombstones of those a void or replacement removed,
 * kept apart from the lines (PAYMENT_WINDOW is their only reader). */
typedef struct c837_admits {
  c837_arec *r;         /* in a stable order (append, replace in place) */
  size_t n, cap;
  size_t ndead;
  c837_map keys;        /* patient key -> lists[id] */
  c837_ilist *lists;    /* per patient: indexes into r, increasing */
  size_t caplists;
  int open;             /* a checkpoint is open */
  size_t saved_n, saved_ndead;
  c837_aundo *undo;     /* old values of records changed since it */
  size_t nundo, capundo;
} c837_admits;

/* ------------------------------------------------------------------ */
/* The engine                                                          */
/* ------------------------------------------------------------------ */

struct c837_engine {
  const c837_codetable *t;
  const c837_payers *payers; /* options.payers, or own_payers */
  c837_payers *own_payers;   /* the built-in ones, when options had none */
  c837_admits adm;           /* hist_admit.c */
  c837_edit_options o;
  int32_t run_date;
  uint64_t max_lines;   /* remembered lines at most (options.max_lines) */
  int oom;              /* an allocation failed during this call */
  int gather_all;       /* tests only (test_internal_gather.c): every
                           remembered line of the patient is an event, the
                           exhaustive evaluation the windows of
                           hist_gather.c must agree with; 0 otherwise */
  c837_histstore hist;  /* engine_hist.c */
  c837_checkpoint cp;   /* engine_hist.c */
  c837_claimwork cl;    /* the claim being judged */
  c837_verdictbuf vb;   /* verdict.c */
};

/* ---- small helpers (inline: no call edge between the files) ---- */

/* Copies src into dst (size dstsz), truncating, always NUL-terminated. */
static inline void c837_eng_copy(char *dst, size_t dstsz, const char *src)
{
  size_t n = strlen(src);
  if (dstsz == 0)
    return;
  if (n >= dstsz)
    n = dstsz - 1;
  memcpy(dst, src, n);
  dst[n] = 0;
}

/* The claim frequency code (CLM05-3) as a number, 0 when absent. */
static inline int c837_eng_freq(const c837_claim *c)
{
  return atoi(c->freq);
}

/* ---- verdict.c: findings, fixes, and the words they use ---- */

/* Empties the verdict being built (a new claim). */
void c837_vb_reset(c837_verdictbuf *vb);
/* Ends the verdict: orders the findings (by line, claim-level last, then
 * edit id), decides the disposition -- held when a finding holds the
 * claim and hold is set (then no fix is applied), fixed when a fix is
 * left, else passed -- and adds to each finding's detail what became of
 * its fix (or, with hold 0, that it did not hold the claim).  Fills
 * *out; its arrays are vb's. */
void c837_vb_finish(c837_verdictbuf *vb, int hold, c837_verdict *out);
/* Adds a finding of edit for line (C837_NO_INDEX = claim) with the
 * edit's default severity and action (C837_EDIT_MAP) and returns it for
 * the caller to fill before/after; detail is printf-formatted.  Returns
 * NULL when C837_MAX_FINDINGS are kept already (the finding is counted
 * in dropped, per edit and severity, and a HELD action still holds the
 * claim).  edit must be a valid id. */
c837_pfinding *c837_eng_finding(c837_engine *e, c837_edit edit, size_t line,
                                const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* The same with another action than the edit's default: the edit fixes
 * by default but this fix cannot be made (HELD, FLAGGED), or it holds
 * the claim in a case the default does not. */
c837_pfinding *c837_eng_finding_as(c837_engine *e, c837_edit edit,
                                   c837_action action, size_t line,
                                   const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/* The same for an edit whose severity depends on the claim: severity and
 * action as given, not the edit's defaults (ADMIN_WITHOUT_PRODUCT and
 * PRODUCT_WITHOUT_ADMIN: an error that holds an 837I outpatient claim,
 * TOB 13x). */
c837_pfinding *c837_eng_finding_by_claim(c837_engine *e, c837_edit edit,
                                         c837_severity sev,
                                         c837_action action, size_t line,
                                         const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));
/* Records a fix of line of the claim being judged (e->cl.c) and returns
 * it (for a CODE_FROM's date).  A fix the line cannot carry (no SV1 /
 * SV2 segment, a revenue fix without SV2) holds the claim instead and
 * says so in the finding that asked for it: NULL then, and on
 * allocation failure (e->oom set). */
c837_fix *c837_eng_fix(c837_engine *e, c837_fix_kind kind, size_t line,
                       const char *value);
/* Drops every fix recorded so far for line (before a REMOVE). */
void c837_eng_drop_fixes(c837_engine *e, size_t line);
/* Sets a finding's fix description (printf-formatted); p may be NULL. */
void c837_eng_fixdesc(c837_pfinding *p, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Formatting helpers: ISO date ("" for 0), decimal units. */
void c837_eng_date(char buf[16], int32_t ymd);
void c837_eng_units(char buf[32], int64_t micro);
/* "2025-03-04" or "2025-03-04 to 2025-03-06". */
void c837_eng_range(char buf[40], int32_t from, int32_t to);

/* 1 when ranges [a1,a2] and [b1,b2] (day numbers) share a day. */
int c837_eng_overlap(int32_t a1, int32_t a2, int32_t b1, int32_t b2);
/* Units of a line on day d: units spread evenly over the range, the
 * remainder on the first day. */
int64_t c837_eng_day_share(int64_t units, int32_t dfrom, int32_t dto,
                           int32_t d);
/* *out = cap x days; returns -1 (and *out = INT64_MAX) when the product
 * leaves int64 or an argument is negative, else 0. */
int c837_eng_cap_days(int64_t cap, int64_t days, int64_t *out);
/* a + b, saturated at INT64_MAX / INT64_MIN instead of overflowing. */
int64_t c837_eng_sat_add(int64_t a, int64_t b);
/* 1 when revenue code rev (normalised) is in the table's '|' list. */
int c837_eng_revenue_listed(const c837_code *row, const char *rev);

/* The day number from which a line of code row, dated from..to
 * (CCYYMMDD), is billed under another code because row's code ends
 * inside the range (its valid_to is before to): the day after valid_to,
 * with *next the successor (row's crosswalk, of its family and valid
 * from that day to `to`), or NULL when there is none.  0 (and *next
 * NULL) when row's code is valid on `to`, or from is past its valid_to
 * already (a line CODE_DELETED judges as a whole). */
int32_t c837_eng_code_switch(const c837_codetable *t, const c837_code *row,
                             int32_t from, int32_t to,
                             const c837_code **next);

/* ---- hist_rec.c: the compact records and their strings ---- */

/* A record's identity as ids (source in srcs, CLM01 in cids, LX in
 * strs). */
typedef struct c837_hid {
  uint32_t source, claim_id, lx;
} c837_hid;

/* The strings of record r (borrowed from the history's maps: valid
 * until the next record is encoded). */
static inline const char *c837_hr_source(const c837_histstore *hs,
                                         const c837_hrec *r)
{
  return c837_map_key(&hs->srcs, r->source);
}
static inline const char *c837_hr_claim_id(const c837_histstore *hs,
                                           const c837_hrec *r)
{
  return c837_map_key(&hs->cids, r->claim_id);
}
static inline const char *c837_hr_patient(const c837_histstore *hs,
                                          const c837_hrec *r)
{
  return c837_map_key(&hs->patkeys, r->patient);
}
static inline const char *c837_hr_lx(const c837_histstore *hs,
                                     const c837_hrec *r)
{
  return c837_map_key(&hs->strs, r->lx);
}
static inline const char *c837_hr_provider(const c837_histstore *hs,
                                           const c837_hrec *r)
{
  return c837_map_key(&hs->strs, r->provider);
}
static inline const char *c837_hr_code(const c837_histstore *hs,
                                       const c837_hrec *r)
{
  return c837_map_key(&hs->strs, r->code);
}
static inline const char *c837_hr_billed(const c837_histstore *hs,
                                         const c837_hrec *r)
{
  return c837_map_key(&hs->strs, r->billed);
}
/* The run, run date and frequency of record r. */
static inline c837_hmeta c837_hr_meta(const c837_histstore *hs,
                                      const c837_hrec *r)
{
  c837_hmeta m;
  memcpy(&m, c837_map_key(&hs->metas, r->meta), sizeof m);
  return m;
}
/* The run of record r. */
static inline uint32_t c837_hr_run(const c837_histstore *hs,
                                   const c837_hrec *r)
{
  return c837_hr_meta(hs, r).run;
}
/* 1 when records a and b have the same identity (source, CLM01, LX). */
static inline int c837_hr_same_identity(const c837_hrec *a,
                                        const c837_hrec *b)
{
  return a->source == b->source && a->claim_id == b->claim_id &&
         a->lx == b->lx;
}

/* Fills *r from h (kind LINE or TOMBSTONE), interning its strings and
 * making room for a new patient's and a new CLM01's entries (pats[],
 * chead[]); r->flags 0, r->next C837_HNONE.  0, or -1 on ENOMEM (some
 * strings may stay interned: unused keys, harmless). */
int c837_hist_encode(c837_histstore *hs, const c837_hist *h, c837_hrec *r);
/* Sets record r's frequency to freq (a tombstone gets its void's or
 * replacement's).  0, or -1 on ENOMEM (r unchanged). */
int c837_hist_set_freq(c837_histstore *hs, c837_hrec *r, const char *freq);
/* The c837_hist that r was encoded from (every field, kind included). */
void c837_hist_decode(const c837_histstore *hs, const c837_hrec *r,
                      c837_hist *h);
/* The ids of identity (source, claim_id, lx) in *id, without interning:
 * 1, or 0 when one of them is unknown (then no record has it). */
int c837_hist_find_identity(const c837_histstore *hs, const char *source,
                            const char *claim_id, const char *lx,
                            c837_hid *id);
/* The last line on the claim chain of CLM01 claim_id (earlier ones
 * follow through c837_hrec.next), C837_HNONE when none.  The chain
 * holds the lines appended or loaded under that CLM01, of any provider,
 * dead ones among them (readers skip them). */
uint32_t c837_hist_chain(const c837_histstore *hs, const char *claim_id);
/* Puts line record i at the head of its CLM01's chain. */
void c837_hist_chain_link(c837_histstore *hs, size_t i);
/* Empties every claim chain (before a rebuild). */
void c837_hist_chain_clear(c837_histstore *hs);
/* Frees the string maps, the claim heads and the scratch list. */
void c837_hist_strings_free(c837_histstore *hs);

/* ---- hist_index.c: the indexes over the records ---- */

/* The identity hash of ids k. */
uint64_t c837_hix_id_hash(const c837_hid *k);
/* Files record i (its identity) in the identity table.  0 or -1
 * (ENOMEM, nothing changed). */
int c837_hix_id_add(c837_histstore *hs, size_t i);
/* The records of identity k: start with *pos = (size_t)-1; each call
 * returns the next record index filed under k whose identity is k
 * (C837_NO_INDEX at the end; a record may come twice). */
size_t c837_hix_id_next(const c837_histstore *hs, const c837_hid *k,
                        size_t *pos);
/* 1 when record r is filed in its patient's index: a live line with a
 * date. */
int c837_hix_fileable(const c837_hrec *r);
/* Files record i (a fileable line) in its patient's index: in its
 * place, or (append, for a ledger's many rows) at the end, the list then
 * sorted when it is first read.  0 or -1 (ENOMEM, nothing changed). */
int c837_hix_file(c837_histstore *hs, size_t i, int append);
/* Takes record i out of its patient's index (a no-op when it is not
 * there).  Never allocates. */
void c837_hix_unfile(c837_histstore *hs, size_t i);
/* *out = the index of patient key, sorted first when it needs it, or
 * NULL when the patient has no filed line.  0, or -1 on ENOMEM. */
int c837_hix_pat(c837_histstore *hs, const char *patient, c837_pat **out);
/* The number of lines filed for patient key (no sorting). */
size_t c837_hix_pat_count(const c837_histstore *hs, const char *patient);
/* Makes room for encoded record r in the identity table and (a dated
 * line) its patient's index, so that c837_hix_id_add and c837_hix_file
 * of it cannot fail.  0 or -1 (ENOMEM). */
int c837_hix_reserve(c837_histstore *hs, const c837_hrec *r);
/* The classes of the patient index, in its order: one per family the
 * gather looks up apart (REPEAT_ADMINISTRATION's course classes among
 * them), the steps 1 to 4 each their own. */
enum {
  C837_HIX_PRODUCT = 0,    /* CAR-T products */
  /* 1 .. 4: steps 1 to 4 */
  C837_HIX_STEP_OTHER = 5, /* a step line of another step number */
  C837_HIX_WATCH,
  C837_HIX_TCR,
  C837_HIX_TIL,
  C837_HIX_HSC_GENE,
  C837_HIX_OTHER,          /* cell_other, noc */
  C837_HIX_CLASSES
};
/* The class of a record in the patient index (C837_HIX_*, or 1 to 4 for
 * the steps). */
int c837_hix_class(const c837_hrec *r);
/* The first position in p->idx of class cls whose record's date_from is
 * at least ymd_lo, and in *end the first position past the class. */
size_t c837_hix_lower(const c837_histstore *hs, const c837_pat *p, int cls,
                      int32_t ymd_lo, size_t *end);
/* Length of the interchange key "ISA06|ISA13|" (or "ISA06|ISA13#FP|") at
 * the start of source, 0 when source has no two '|'. */
size_t c837_hix_ix_key_len(const char *source);
/* The interchange entry of key[0..len), or NULL. */
c837_ixc *c837_hix_ix_find(const c837_histstore *hs, const char *key,
                           size_t len);
/* The same, created when missing; NULL on ENOMEM. */
c837_ixc *c837_hix_ix_get(c837_histstore *hs, const char *key, size_t len);
/* Notes a loaded record of h's interchange (its smallest run).  0 or -1
 * (ENOMEM). */
int c837_hix_ix_note_loaded(c837_histstore *hs, const c837_hist *h);
/* Returns the interchange index to its state at a checkpoint that saw
 * nix entries (see hist_index.c). */
void c837_hix_ix_rollback(c837_histstore *hs, size_t nix);
/* Rebuilds the identity table, the patient index and the claim chains
 * from the records (after a rollback or a compaction).  Never allocates:
 * every index already held every record it gets back. */
void c837_hix_rebuild(c837_histstore *hs);
/* Frees the identity table and the patient index. */
void c837_hix_free(c837_histstore *hs);

/* ---- engine_hist.c: the remembered history ---- */

/* Hides the loaded records of an earlier run that the current claim's
 * interchange shows is being repeated (see engine_hist.c). */
void c837_hist_hide(c837_engine *e);
/* When the claim has CAR-T or watch lines and is the first of its
 * interchange this run reads, and an earlier run read that interchange
 * (the same ISA: its marker is in the ledger loaded), 1 and *prev the
 * run and run date of that marker; else 0. */
int c837_hist_repeated(const c837_engine *e, c837_hmeta *prev);
/* 1 when remembered record r must not be counted against the current
 * claim: its own line read again, a line it replaces, a line of a run
 * that a re-run hides (see engine_hist.c). */
int c837_hist_excluded(const c837_engine *e, const c837_hrec *r);
/* 1 when loaded record r, of a ledger written before sources carried
 * the ISA's hash, is a line of the current claim read again (the same
 * numbers, CLM01, LX, code as billed and dates). */
int c837_hist_legacy_own(const c837_engine *e, const c837_hrec *r);
/* How many of the current claim's CAR-T and watch lines c837_hist_record
 * would add (not lines read again, which replace themselves). */
size_t c837_hist_new_lines(c837_engine *e);
/* Appends a line event of the current claim to e->cl.ev.  0, or -1 with
 * e->oom set. */
int c837_hist_ev_push(c837_engine *e, const c837_event *v);
/* hist_gather.c: fills e->cl.ev[0..nev_hist) with the events of the
 * current claim's patient's remembered lines that the edits may need -- those near the
 * claim's dates and the earliest line of each step -- in history order.
 * Returns 0; 1 (no event filled) when they and the claim's own CAR-T and
 * watch lines are more than C837_MAX_PATIENT_EVENTS, *n their number
 * (counted up to one past it); -1 on ENOMEM (e->oom set). */
int c837_hist_gather(c837_engine *e, size_t *n);

/* Removes the lines the current claim (a void or replacement) cancels,
 * leaving tombstones.  0 or -1 (ENOMEM, e->oom set). */
int c837_hist_cancel(c837_engine *e);
/* Records the interchange marker of the current claim when it has CAR-T
 * or watch lines.  0 or -1 (ENOMEM). */
int c837_hist_mark(c837_engine *e);
/* Remembers the current claim's CAR-T and watch lines that stay.  0 or
 * -1 (ENOMEM). */
int c837_hist_record(c837_engine *e);
/* Drops dead records when they make up more than half of the history
 * (amortised O(1) per removal); never while a checkpoint is open. */
void c837_hist_settle(c837_engine *e);
/* Frees the history, its indexes and the checkpoint's undo log (not e
 * itself). */
void c837_hist_release(c837_engine *e);

/* ---- hist_admit.c: the remembered inpatient admissions ---- */

/* Adds an admission from a ledger (c837_engine_add_history).  C837_OK,
 * C837_ENOMEM. */
c837_status c837_admit_load(c837_engine *e, const c837_hist *h);
/* Remembers the current claim's admission (an 11x claim with an
 * admission date and a patient): a loaded one of the same identity is
 * taken over in place, keeping its run.  0 or -1 (ENOMEM). */
int c837_admit_record(c837_engine *e);
/* Removes the admissions the current claim (a void or replacement)
 * cancels (same CLM01 and billing provider), leaving tombstones; a
 * replacement read again leaves its own alone.  0 or -1 (ENOMEM). */
int c837_admit_cancel(c837_engine *e);
/* The patient's live admissions that count for the current claim (not
 * hidden by a re-run): start with *pos = 0; each call returns the next,
 * NULL at the end. */
const c837_hist *c837_admit_next(const c837_engine *e, const char *patient,
                                 size_t *pos);
/* Records in the list the ledger saves (admissions and their
 * tombstones), dead ones dropped first when no checkpoint is open. */
size_t c837_admit_count(const c837_engine *e);
const c837_hist *c837_admit_at(const c837_engine *e, size_t i);
/* Checkpoint, rollback, commit and free of the admissions, called by
 * engine_hist.c's of the whole history. */
void c837_admit_checkpoint(c837_engine *e);
void c837_admit_rollback(c837_engine *e);
void c837_admit_commit(c837_engine *e);
void c837_admit_free(c837_engine *e);
/* 1 when the history has live dated lines of patient (the patient index
 * of hist_index.c; a patient whose lines were all voided is unknown). */
int c837_hist_patient_known(const c837_engine *e, const char *patient);

/* ---- edit_ctx.c: the claim's context ---- */

/* 1 when a claim without a tracked line must still be judged: an
 * inpatient claim (837I, 11x) with a CAR-T administration PCS code, or
 * with an admission date and a patient the history knows (PAYMENT_WINDOW
 * and the admission to remember). */
int c837_ctx_wanted(const c837_engine *e);
/* 0 when c837_ctx_wanted is 0 for claim c whatever the history holds
 * (it is not an inpatient 11x bill); 1 when it may be 1. */
int c837_ctx_may_want(const c837_claim *c);
/* Fills e->cl.cx and each working line's pfam, product, ndc and
 * has_ndc; on an inpatient claim dates every line that has no DTP*472
 * of its own on the date of the CAR-T PCS code (when it has one). */
void c837_ctx_build(c837_engine *e);
/* 1 when working line x bills a cell or gene therapy product of family
 * fam (pfam == fam; for PRODUCT: a CAR-T product, by code or NDC). */
int c837_ctx_is(const c837_eline *x, c837_family fam);
/* 1 when the text of a claim note contains needle (ASCII case
 * ignored). */
int c837_ctx_note(const c837_claim *c, const char *needle);
/* 1 when line l carries modifier m. */
int c837_ctx_has_mod(const c837_line *l, const char *m);

/* ---- the edits ---- */

/* edit_line.c: per-line edits over e->cl.el[0 .. c->n_lines), in order;
 * DUPLICATE_DAY reads the patient's history events
 * e->cl.ev[0..nev_hist). */
void c837_edits_line(c837_engine *e);
/* edit_seq.c: sequencing edits; expects e->cl.ev filled with the history
 * events; appends the claim's own events itself. */
void c837_edits_seq(c837_engine *e);
/* edit_repeat.c: REPEAT_ADMINISTRATION on event me (a sequencing edit of
 * edit_seq.c's table). */
void c837_edit_repeat(c837_engine *e, const c837_event *me);
/* edit_claim.c: the edits of the claim as a whole and its products
 * (issue 12), after the sequencing edits: IP_CART_CLAIM_INTEGRITY,
 * CLINICAL_TRIAL_CODING, PAYMENT_WINDOW (edit_claim.c),
 * PRODUCT_IN_FACILITY_POS, PARTB_FRACTIONAL_PRODUCT, NOC_PRODUCT_CODE,
 * PRODUCT_NDC, PRODUCT_INDICATION, STEP_NOT_PAYABLE (edit_product.c). */
void c837_edits_claim(c837_engine *e);
void c837_edit_product_pos(c837_engine *e);
void c837_edit_partb(c837_engine *e);
void c837_edit_noc(c837_engine *e);
void c837_edit_ndc(c837_engine *e);
void c837_edit_indication(c837_engine *e);
void c837_edit_step_payable(c837_engine *e);

#endif /* CART837_ENGINE_INT_H */
