/* audit.h -- what report.html and episodes.csv show, gathered during a
 * run and read back at its end (audit.c, audit_rec.c, audit_model.c,
 * episodes.c)
 *
 * During the run the reports (report.c) hand every claim with its
 * verdict and every envelope row to the audit, which appends records to
 * the run's spool (spool.h): one per claim ('C': its figures, its money
 * and, for a fixed or held claim, its segments as they came in and as
 * they went out), one per finding ('F', the same row as findings.csv
 * plus the charges) and one per CAR-T step or product line ('S', for the
 * episodes).  A file that fails is taken back with the reports' mark and
 * rollback.  Memory stays bounded: only the current claim's bytes are
 * held (the writer's tap, writer_tap.h), at most C837_HTML_CLAIM_BYTES
 * each way, and no more than C837_HTML_SEGMENT_BYTES of segments are
 * spooled in all.
 *
 * At the end, c837_audit_finish reads the spool once into the model
 * below (sums per edit, provider, payer class, file and date of
 * service; the index of the findings the page lists; the steps, joined
 * with the ledger's lines of earlier runs into episodes) and writes
 * episodes.csv; report.html then reads the model (html*.c).  What the
 * figures mean is specified in specs/reports.md.
 * Private to the run layer.
 */
#ifndef CART837_RUN_AUDIT_H
#define CART837_RUN_AUDIT_H

#include "cart837.h"
#include "base/map.h"
#include "edit/engine_hist.h"
#include "run/sink.h"
#include "run/spool.h"

/* Outcomes money is counted under: a claim held, fixed, or passed with
 * findings (flagged); a line with findings on a held claim, fixed or
 * removed, or neither (flagged). */
enum { C837_AT_HELD, C837_AT_FIXED, C837_AT_FLAGGED, C837_AT_N };

/* The steps of a CAR-T course an episode shows, in course order. */
typedef enum c837_estep_kind {
  C837_EP_COLLECT = 1, /* step 1: 38225, 0537T */
  C837_EP_SHIP,        /* step 2: 38226, 0538T */
  C837_EP_RECEIVE,     /* step 3: 38227, 0539T */
  C837_EP_ADMIN,       /* step 4: 38228, 0540T, or an ICD-10-PCS
                          administration on an inpatient claim */
  C837_EP_PRODUCT,     /* a product line (c837_family_is_product) */
  C837_EP_KINDS
} c837_estep_kind;

/* What became of a step's line. */
typedef enum c837_estep_state {
  C837_ES_PASSED,
  C837_ES_FIXED,
  C837_ES_REMOVED,  /* a duplicate line taken out */
  C837_ES_HELD,     /* its claim is held */
  C837_ES_VOID,     /* its claim is a void (CLM05-3 = 8) */
  C837_ES_REPLACED, /* a later claim of the run voids or replaces it */
  C837_ES_LEDGER,   /* a line of an earlier run, from the ledger */
  C837_ES_COUNT
} c837_estep_state;

/* ---- the records (audit_rec.c) ------------------------------------ */

/* One edit's part of a claim. */
typedef struct c837_aedit {
  uint32_t edit;             /* c837_edit */
  uint64_t findings;         /* rows and findings past C837_MAX_FINDINGS */
  uint32_t lines;            /* distinct lines with a finding of it */
  int64_t line_charges;      /* their charges */
} c837_aedit;

/* A claim (record 'C').  Strings are borrowed from the record. */
typedef struct c837_aclaim {
  uint64_t seq;              /* 1, 2 ... in run order */
  uint32_t file;             /* file id (c837_audit_file_name) */
  const char *id, *patient, *provider, *provider_name, *kind, *tob;
  uint32_t payer_class, disp, outcome; /* outcome C837_AT_*, or
                                          C837_AT_N: no finding */
  int64_t charge;            /* CLM02, cents (0 when not a decimal) */
  uint32_t charge_ok, n_lines, n_cart;
  uint64_t count;            /* claims of the record: 1, or a passed run */
  uint64_t findings;         /* every finding of the claim */
  uint64_t first_id;         /* its finding rows: first_id .. + n_rows - 1 */
  uint32_t n_rows;
  uint32_t lines_at[C837_AT_N];    /* lines with findings, per outcome */
  int64_t line_charges_at[C837_AT_N];
  uint32_t n_edits;
  c837_aedit edits[C837_EDIT_COUNT];
  uint64_t offset, segment;  /* of its CLM in the input */
  uint32_t term;             /* segment terminator */
  uint32_t kept;             /* 1: in / out below were spooled */
  const char *in, *out;      /* as it came; as it went out (fixed) */
  size_t in_len, out_len;    /* at most C837_HTML_CLAIM_BYTES each */
  uint64_t in_total, out_total; /* the whole claim's bytes */
} c837_aclaim;

/* A finding row (record 'F'), as findings.csv has it plus money. */
typedef struct c837_afinding {
  uint64_t id;
  uint64_t seq;              /* the claim's; 0 for an envelope row */
  uint32_t file, edit, severity, action;
  uint32_t outcome;          /* C837_AT_* of its line (or claim) */
  uint32_t payer_class, disp;
  int32_t date_from, date_to;
  int64_t line_charge, claim_charge;
  uint32_t line_charge_ok, claim_charge_ok, has_pos;
  const char *claim_id, *patient, *provider, *line, *code, *units,
      *before, *after, *detail, *interchange, *group, *transaction;
  uint64_t segment, offset;
} c837_afinding;

/* A CAR-T step or product line (record 'S'). */
typedef struct c837_astep {
  uint64_t seq;              /* the claim's */
  uint32_t file, kind, state, family, pcs, payer_class, replaces;
  int32_t window;            /* the payer's episode window, days */
  int32_t date_from, date_to;
  int64_t charge;
  uint32_t charge_ok;
  const char *patient, *claim_id, *provider, *lx, *code, *product, *units;
  uint32_t n_ids;            /* findings on the line */
  const char *ids;           /* their ids: n_ids uint64_t, unaligned */
  const char *edits;         /* their edits: n_ids bytes (c837_edit) */
} c837_astep;

/* Record types.  A claim passed without a finding (nearly every claim)
 * is a C837_REC_PASSED record: only what the model counts of it (its
 * file, provider, payer class and CAR-T lines), the rest of its
 * c837_aclaim zero; consecutive ones of the same file, provider and
 * payer class without CAR-T lines share one record (count). */
enum {
  C837_REC_CLAIM = 'C', C837_REC_FINDING = 'F', C837_REC_STEP = 'S',
  C837_REC_PASSED = 'P'
};

/* Appends a record's payload to w. */
void c837_arec_put_claim(c837_recw *w, const c837_aclaim *c);
/* A C837_REC_PASSED record: c's file, provider, provider_name,
 * payer_class, n_cart and count (the claims it stands for); read back
 * with every other field zero. */
void c837_arec_put_passed(c837_recw *w, const c837_aclaim *c);
void c837_arec_get_passed(c837_recr *r, c837_aclaim *c);
void c837_arec_put_finding(c837_recw *w, const c837_afinding *f);
void c837_arec_put_step(c837_recw *w, const c837_astep *s);
/* Reads one from r (borrowing its strings); r->bad when it is not one. */
void c837_arec_get_claim(c837_recr *r, c837_aclaim *c);
void c837_arec_get_finding(c837_recr *r, c837_afinding *f);
void c837_arec_get_step(c837_recr *r, c837_astep *s);
/* The i-th finding id of s. */
uint64_t c837_astep_id(const c837_astep *s, uint32_t i);

/* ---- collecting (audit.c) ----------------------------------------- */

typedef struct c837_audit c837_audit;

/* Opens the audit of a run writing to dir: its spool, the payer classes
 * (payers, borrowed; NULL: the built-in ones), the code table t
 * (borrowed) and the run number of this run's ledger rows (one more
 * than the largest in engine's history: call it after the ledger is
 * loaded).  NULL with *err (C837_EIO, C837_ENOMEM). */
c837_audit *c837_audit_open(const char *dir, const c837_engine *engine,
                            const c837_codetable *t,
                            const c837_payers *payers, c837_error *err);
/* Frees a (its spool goes with it); NULL is a no-op. */
void c837_audit_free(c837_audit *a);
/* Taps writer w (writer_tap.h) for a: a fixed claim's bytes as they go
 * out, for the next c837_audit_claim.  w is borrowed; NULL is a no-op. */
void c837_audit_tap(c837_audit *a, c837_writer *w);
/* The payer class of claim c (SBR09 and payer id) and its disposition
 * as it went: the verdict's, except a fixed claim the writer held as it
 * came (its fixes could not be represented: nothing went through the
 * tap).  For findings.csv, before c837_audit_claim. */
void c837_audit_facts(const c837_audit *a, const c837_claim *c,
                      const c837_verdict *v, c837_payer_class *cls,
                      c837_disposition *disp);
/* The number the next claim recorded gets (its finding rows name it). */
uint64_t c837_audit_next_seq(const c837_audit *a);
/* Records one finding row of `file` (f->file is set here; f->seq is
 * c837_audit_next_seq for a claim's row, 0 for an envelope row).  0, or
 * -1 (c837_audit_error says why). */
int c837_audit_finding(c837_audit *a, const char *file, c837_afinding *f);
/* The outcome (C837_AT_*) money of line li (C837_NO_INDEX: the claim)
 * of a claim with verdict v and disposition disp is counted under. */
uint32_t c837_audit_outcome(const c837_verdict *v, c837_disposition disp,
                            size_t li);
/* Records claim c of input `file` with verdict v, after its finding rows:
 * they have the ids first_id, first_id + 1, ... (findings.csv); cls and
 * disp are c837_audit_facts's, n_cart its tracked lines.  0, or -1
 * (c837_audit_error says why). */
int c837_audit_claim(c837_audit *a, const char *file, const c837_claim *c,
                     const c837_verdict *v, uint64_t first_id,
                     c837_payer_class cls, c837_disposition disp,
                     size_t n_cart);
/* Records a claim of input `file` passed without a finding, with no
 * tracked line and no procedure code (what c837_audit_claim records of
 * it): its billing provider's id and name and its payer class (cls, of
 * c837_audit_facts).  The claims a worker read ahead (ahead.c) are
 * recorded so, in input order, by the run's thread.  0, or -1
 * (c837_audit_error says why). */
int c837_audit_passed(c837_audit *a, const char *file, const char *provider,
                      const char *provider_name, c837_payer_class cls);
/* Records an ENVELOPE_INVALID row of `file` (no claim): its id, detail,
 * envelope (NULL: none) and place.  0 or -1. */
int c837_audit_envelope(c837_audit *a, const char *file, uint64_t id,
                        const c837_envelope *env, const char *detail,
                        uint64_t segment, uint64_t offset);
/* Mark and rollback, with the reports'.  0 or -1. */
int c837_audit_mark(c837_audit *a);
int c837_audit_rollback(c837_audit *a);
/* 1 when the failure fails the file being read only (out of memory, a
 * write of the spool that failed): c837_audit_rollback ends it. */
int c837_audit_file_failed(const c837_audit *a);
/* After a -1: the first failure in *err (C837_EIO or C837_ENOMEM). */
void c837_audit_error(const c837_audit *a, c837_error *err);

/* ---- the model (audit_model.c, episodes.c) ------------------------ */

/* Money and counts of a provider, a payer class, a file or the run. */
typedef struct c837_money {
  uint64_t claims, cart_lines, findings;
  uint64_t claims_at[C837_AT_N];
  int64_t charges_at[C837_AT_N];
  uint64_t lines_at[C837_AT_N];
  int64_t line_charges_at[C837_AT_N];
} c837_money;

/* Findings and money of one edit. */
typedef struct c837_edit_money {
  uint64_t findings, claims, lines;
  int64_t claim_charges, line_charges;
} c837_edit_money;

/* Findings on one date of service (findings.csv's date_from). */
typedef struct c837_day_money {
  int32_t date;
  uint64_t findings;
  int64_t line_charges;
} c837_day_money;

/* A finding the page lists: where its record is. */
typedef struct c837_listed {
  off_t off;
  uint32_t file, edit;
} c837_listed;

/* A step of this run, in memory (strings interned in model->strs), 72
 * bytes: one per CAR-T line read, so kept small (specs/performance.md,
 * "Memory per CAR-T line").  Its index in model->steps is its input
 * order (for ties).  The ledger's steps are not copied: the engine's
 * history holds them. */
typedef struct c837_mstep {
  uint64_t seq;              /* its claim */
  int64_t charge;
  uint32_t file;             /* file id */
  uint32_t patient, claim_id, provider, lx, code, product, units;
  int32_t window, date_from, date_to;
  uint32_t ids_at;           /* into model->ids and model->id_edits */
  uint16_t n_ids;            /* <= C837_MAX_FINDINGS (c837_arec_get_step) */
  uint8_t kind, state;       /* c837_estep_kind, c837_estep_state */
  uint8_t payer_class;       /* c837_payer_class */
  uint8_t pcs, replaces;     /* 0 or 1 */
} c837_mstep;

/* A step of an episode, by reference: ref < model->n_steps is this run's
 * steps[ref], else the engine's history record ref - n_steps; dk is its
 * date of service (CCYYMMDD) times 8 plus its kind; patient its
 * patient's key while the episodes are built (borrowed, not kept). */
typedef struct c837_sref {
  const char *patient;
  uint32_t dk, ref;
} c837_sref;

/* A step as the reports show it (c837_episodes_step): strings borrowed
 * from the model, the engine or the view itself. */
typedef struct c837_estep {
  uint64_t seq;              /* claim (0: ledger) */
  uint32_t file;             /* this run: file id; ledger: none */
  const char *patient, *claim_id, *provider, *lx, *code, *product, *units;
  uint32_t kind, state, pcs, payer_class;
  int32_t window, date_from, date_to, run_date; /* run_date: ledger */
  int64_t charge;
  const uint64_t *ids;       /* its finding ids (n_ids) */
  const unsigned char *id_edits; /* and their edits */
  uint32_t n_ids;
  char units_buf[32];        /* a ledger line's units */
  c837_hist h;               /* a ledger line's record */
} c837_estep;

/* An episode: order_of[first .. first + n).  88 bytes (up to
 * C837_HTML_MAX_EPISODES are kept): the counts are of its steps, whose
 * references are uint32_t (c837_sref), so they fit in 32 bits too. */
typedef struct c837_episode {
  int64_t charges, charges_held;
  uint32_t patient;
  uint32_t first, n;
  int32_t window;
  uint32_t payer_class;      /* of its first line of this run, else
                                C837_PAYER_UNKNOWN */
  int32_t first_date, last_date;
  int32_t date[C837_EP_KINDS]; /* earliest date per kind (0: none) */
  uint32_t lines, lines_ledger, lines_held, procedures;
} c837_episode;

/* An episode the page draws, 12 bytes: its steps order_of[first ..
 * first + n) and its patient (an id of model->strs); its figures are
 * computed again from its steps (c837_episodes_at) rather than kept. */
typedef struct c837_kept {
  uint32_t first, n, patient;
} c837_kept;

typedef struct c837_audit_model {
  c837_money total;
  c837_money payer[C837_PAYER_CLASS_COUNT];
  c837_edit_money edit[C837_EDIT_COUNT];
  c837_map providers;        /* NPI -> index into prov */
  c837_money *prov;
  size_t cap_prov;
  uint32_t *prov_name;       /* strs id of its first name seen */
  c837_money *file;          /* per file id */
  size_t n_file;
  c837_day_money *days;      /* sorted by date */
  size_t n_days;
  uint64_t undated;          /* findings without a date of service */
  c837_listed *listed;       /* the findings the page lists, by edit,
                                file, id */
  size_t n_listed;
  uint64_t rows;             /* finding rows in all */
  uint64_t claims_shown;     /* fixed and held claims with segments */
  c837_mstep *steps;         /* this run's steps */
  size_t n_steps;
  c837_sref *order_of;       /* the steps of the episodes kept, by
                                patient, date, kind, order */
  size_t n_order;
  uint64_t *ids;             /* finding ids of the steps */
  unsigned char *id_edits;   /* and their edits */
  size_t n_ids, cap_ids;
  c837_kept *episodes;       /* the first C837_HTML_MAX_EPISODES
                                episodes (the page draws them; their
                                figures: c837_episodes_at) */
  size_t n_kept;
  size_t n_episodes;         /* all of them (rows of episodes.csv) */
  size_t n_patients;         /* the patients of all of them */
  const c837_engine *engine; /* the ledger's steps, until it changes */
  const c837_codetable *t;   /* their products */
  int32_t ledger_window;     /* their episode window */
  c837_map strs;             /* the steps' strings and provider names */
} c837_audit_model;

/* Ends the collection: reads the spool into the model, joins the
 * ledger's lines of earlier runs (engine's history) into the episodes,
 * and writes OUT/episodes.csv under a temporary name, closed (publish it
 * with c837_audit_episodes_out).  C837_OK, or C837_ENOMEM / C837_EIO
 * with *err. */
c837_status c837_audit_finish(c837_audit *a, const c837_engine *engine,
                              c837_error *err);
/* episodes.csv, closed by c837_audit_finish, for the run to publish with
 * its other reports (c837_out_publish or c837_out_commit_all). */
c837_out *c837_audit_episodes_out(c837_audit *a);
/* 1 when reading the spool back failed (I/O or a damaged record); a
 * reader's -1 without it was a lack of memory. */
int c837_audit_spool_failed(const c837_audit *a);
/* The model (NULL before c837_audit_finish). */
const c837_audit_model *c837_audit_model_of(const c837_audit *a);
/* The name of file id i ("" when none). */
const char *c837_audit_file_name(const c837_audit *a, uint32_t i);
/* The file id of name, or UINT32_MAX when the audit has none. */
uint32_t c837_audit_file_id(const c837_audit *a, const char *name);
/* Reads the record at off into *f (borrowing buf); 0 or -1. */
int c837_audit_read_finding(c837_audit *a, off_t off, c837_afinding *f);
/* Calls fn for every claim record, in run order (fn returns non-zero to
 * stop).  0, or -1 on a read error. */
int c837_audit_each_claim(c837_audit *a,
                          int (*fn)(void *ud, const c837_aclaim *c),
                          void *ud);

/* ---- model internals shared by audit_model.c and episodes.c ------- */

/* Builds the episodes of m from its steps plus the ledger lines of
 * engine (of runs before this_run; t gives their products, p the
 * default window), patient by patient, writing each to episodes.csv
 * (out: opened here, closed, not published) and keeping the first
 * C837_HTML_MAX_EPISODES in m (the ledger's steps by reference: engine
 * must not change while m is read).  C837_OK or the error (*err). */
c837_status c837_episodes_build(c837_audit_model *m,
                                const c837_engine *engine,
                                const c837_codetable *t,
                                uint32_t this_run, const c837_payers *p,
                                c837_out *out, c837_error *err);
/* Kept episode i (< m->n_kept) with its figures, into *e: the same as
 * its row of episodes.csv was written from (engine, as for
 * c837_episodes_step, unchanged since). */
void c837_episodes_at(const c837_audit_model *m, size_t i, c837_episode *e);
/* Step ref of m (c837_sref) as the reports show it, in *buf (returned);
 * its strings live as long as *buf and m (and m's engine, unchanged). */
const c837_estep *c837_episodes_step(const c837_audit_model *m,
                                     uint32_t ref, c837_estep *buf);

/* The writer of episodes.csv's rows (episodes_csv.c): its scratch. */
typedef struct c837_epcsv c837_epcsv;
/* A writer, or NULL when out of memory; free with c837_epcsv_free. */
c837_epcsv *c837_epcsv_new(void);
void c837_epcsv_free(c837_epcsv *w);
/* The header row to fp.  0, or -2 on a write error. */
int c837_epcsv_header(FILE *fp);
/* The row of episode e of m, number no, whose steps are
 * order[e->first .. e->first + e->n), to fp.  0, -1 out of memory, -2 a
 * write error. */
int c837_epcsv_row(c837_epcsv *w, FILE *fp, const c837_audit_model *m,
                   const c837_episode *e, const c837_sref *order, size_t no);
/* Frees what the model holds (not m itself). */
void c837_audit_model_free(c837_audit_model *m);

/* Names of c837_estep_kind ("collect" ...) and c837_estep_state. */
const char *c837_estep_kind_name(uint32_t k);
const char *c837_estep_state_name(uint32_t s);

#endif
