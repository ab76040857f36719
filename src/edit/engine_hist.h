/* engine_hist.h -- the engine's remembered lines: the interface of the
 * ledger (src/run/ledger.c) and of the tests
 *
 * The engine remembers CAR-T and watch-code lines across claims, files
 * and runs (engine_hist.c).  A run loads them from the ledger before its
 * first claim, saves them after its last, and keeps a checkpoint around
 * each file so that a file that fails leaves no trace.  These records
 * and calls are the ledger's business, not a library user's: private
 * (not in include/cart837.h).
 */
#ifndef CART837_ENGINE_HIST_H
#define CART837_ENGINE_HIST_H

#include "cart837.h"

/* The kinds of remembered record. */
typedef enum c837_hist_kind {
  /* a CAR-T or watch-code line: the only kind the edits count */
  C837_HIST_LINE = 0,
  /* the line of that identity (source, claim_id, lx) was removed by a
   * void or replacement (freq = the "8" or "7" that removed it); it
   * removes rows of the same identity whose run is not later than its
   * own when ledgers are loaded or merged */
  C837_HIST_TOMBSTONE,
  /* an interchange (source "ISA06|ISA13#FP|", claim_id and lx empty):
   * the run `run` read it on run_date and evaluated CAR-T lines in it */
  C837_HIST_MARKER,
  /* an inpatient admission (an 837I claim of type of bill 11x: source,
   * claim_id, lx empty, patient, provider, date_from = DTP*435, date_to =
   * the end of the statement period), for PAYMENT_WINDOW; family NONE,
   * its ledger row says "admission" in the family column.  Kept apart
   * from the lines (hist_admit.c); a void or replacement removes it,
   * leaving a tombstone (lx and code empty) */
  C837_HIST_ADMISSION
} c837_hist_kind;

/* A record the engine remembers across claims, files and runs, as the
 * ledger reads and writes it (one row each; the engine keeps lines and
 * tombstones compact, their strings interned, and gives them back in
 * this form: c837_engine_history_at).  Tombstones and markers have family
 * C837_FAM_NONE, as their ledger rows do; see specs/edits.md, "Ledger,
 * re-runs and merges". */
typedef struct c837_hist {
  c837_hist_kind kind;
  char source[4 * C837_ID_MAX + 8]; /* ISA06|ISA13#FP|GS06|ST02 (FP the
                                       ISA's hash, 16 hex digits; absent
                                       in ledgers of earlier versions):
                                       where the line was read; with
                                       claim_id and lx it identifies the
                                       line */
  char claim_id[C837_ID_MAX];
  char lx[16];
  char patient[4 * C837_ID_MAX];    /* claim patient_key */
  char provider[C837_ID_MAX];       /* billing provider NPI */
  char code[C837_CODE_MAX];         /* after crosswalk */
  char billed[C837_CODE_MAX];       /* as billed */
  c837_family family;
  int step;
  int32_t date_from, date_to;
  int64_t units;                    /* micro-units, after fixes */
  char freq[4];                     /* claim frequency */
  int32_t run_date;                 /* CCYYMMDD of the run that saw it */
  uint32_t run;                     /* number of the run that first
                                       remembered the line: 1 + the largest
                                       run of the history loaded before
                                       the run's first claim */
} c837_hist;

/* The kind of record h is, from its fields as a ledger row has them: an
 * ADMISSION when h->kind says so (its ledger row's family column); else a
 * record with a family is a LINE; without one, a TOMBSTONE when claim_id
 * or lx is set, else a MARKER. */
c837_hist_kind c837_hist_kind_of(const c837_hist *h);

/* Adds a line (or tombstone, marker, admission) from an earlier run;
 * call it before the first claim.  h->kind is read only for ADMISSION:
 * the kind is derived from the record as c837_hist_kind_of says, as a
 * ledger row (which has no kind column) tells it.  A later claim line with the same source,
 * claim_id and lx replaces it and keeps its run (re-runs are
 * idempotent).  A tombstone removes the loaded rows it names (run not
 * later than its own); a row named by a loaded tombstone of the same or
 * a later run is not added.  Returns C837_OK, C837_EINVAL, C837_ENOMEM,
 * or C837_ELIMIT for a line when the engine already remembers as many
 * lines as its limit (c837_edit_options.max_lines, default
 * C837_MAX_REMEMBERED_LINES): the ledger is larger than the run may
 * hold, and the caller should stop with a message that says so. */
c837_status c837_engine_add_history(c837_engine *e, const c837_hist *h);
/* Lines remembered now (history plus this run, tombstones and markers
 * included), in a stable order.  While a checkpoint is open the list may
 * still hold removed lines (marked nowhere; removed records are dropped
 * lazily, never under a checkpoint): read it after c837_engine_commit or
 * c837_engine_rollback.  Reading may drop them then (the engine is
 * logically unchanged).  The engine keeps the records compact (their
 * strings interned, engine_int.h): c837_engine_history_at copies record
 * i out whole into *out and returns out (NULL past the end); to sort or
 * scan many records without copying them, c837_engine_history_key gives
 * what the ledger's order needs, its strings borrowed from the engine
 * (valid until the engine's next call other than these three). */
size_t c837_engine_history_count(const c837_engine *e);
const c837_hist *c837_engine_history_at(const c837_engine *e, size_t i,
                                        c837_hist *out);

/* The identity and rank of a remembered record (the ledger's order:
 * specs/edits.md, "Ledger, re-runs and merges"). */
typedef struct c837_hist_key {
  const char *source, *claim_id, *lx;
  const char *patient;  /* the claim's patient_key (the episodes report
                           groups the lines by it) */
  uint32_t run;
  int32_t run_date;
  int bookkeeping;      /* 1: a tombstone or a marker, as
                           c837_hist_kind_of tells the record */
} c837_hist_key;

/* *k = the key of record i (see c837_engine_history_count): 1, or 0 past
 * the end. */
int c837_engine_history_key(const c837_engine *e, size_t i,
                            c837_hist_key *k);
/* Remembers the engine's cross-claim state (lines remembered, lines
 * removed by voids and replacements, loaded lines hidden by a re-run)
 * so that c837_engine_rollback can return to it, e.g. when a file fails
 * half-way and its claims must leave no trace.  One checkpoint at a
 * time: a new one commits the one open.  Returns C837_OK or C837_EINVAL
 * (e NULL). */
c837_status c837_engine_checkpoint(c837_engine *e);
/* Undoes every change to the remembered state since the checkpoint and
 * closes it; a no-op without one.  (After a C837_ENOMEM from
 * c837_engine_claim the changes made before the failure are undone.) */
void c837_engine_rollback(c837_engine *e);
/* Keeps the changes since the checkpoint and closes it; no-op without. */
void c837_engine_commit(c837_engine *e);
#endif
