/* run_int.h -- the state of a run, shared by run.c (its lifecycle and
 * records) and run_file.c (one input)
 *
 * Nothing else sees struct c837_run: the reports read it through the
 * accessors of run.h, the walk through its callbacks.
 */
#ifndef CART837_RUN_INT_H
#define CART837_RUN_INT_H

#include "run/run.h"
#include "run/report.h"
#include "run/walk.h"

#include <limits.h>

struct c837_run {
  c837_run_options o;
  char out_dir[PATH_MAX / 2];
  int out_made;            /* out_dir was made by this run: nothing under
                              it but this run's outputs, so no output
                              name can be an input (run_file.c
                              same_file) */
  char state_path[PATH_MAX]; /* the ledger, resolved once (ledger_path) */
  const c837_codetable *table; /* the run's (own, or options.table) */
  c837_codetable *own_table;   /* loaded by the run, freed with it */
  c837_payers *payers;         /* built-in + payers_path, providers_path */
  c837_engine *engine;
  c837_report *report;
  struct c837_audit *audit; /* what report.html and episodes.csv show */
  c837_walk walk;          /* output names taken, directory walks */
  c837_totals total;
  c837_file_rec *files;    /* one record per input, in run order */
  size_t n_files, cap_files;
  c837_day_count *days;    /* findings per date of service, sorted */
  size_t n_days, cap_days;
  int cancelled;           /* a file was interrupted: the run is over */
  int ghosting;            /* c837_run_ghost is reading a file */
  int lost;                /* out of memory, a file's record or reason
                              could not be kept: the reports would be
                              incomplete, so c837_run_finish fails */
  int lock_fd;             /* ledger lock, -1 when none */
  uint64_t bytes_before;   /* input bytes of the files already done */
  uint64_t claims_seen;    /* claims read so far, for progress */
  int summary_written;     /* OUT/summary.txt is in place */
  char ledger_failed[sizeof ((c837_error *)0)->msg]; /* why the ledger was not
                              saved ("" when it was, or was not asked) */
  uint64_t ack_control;    /* the acknowledgments' next control number
                              (run_ack.c), shared by every file */
  char *read_buf;          /* C837_READ_CHUNK bytes every file is read
                              into (c837_run_read_buf), NULL until then */
  struct c837_ahead *ahead; /* the workers reading files ahead (ahead.c),
                              NULL without c837_run_plan */
  uint64_t ahead_taken;    /* files read ahead and taken (c837_file_adopt) */
  uint64_t ahead_again;    /* files read ahead, then read again by the
                              run's thread (a verdict differed) */
};

/* ---- run.c: records, events ---- */

/* A new record for input `name` (counted in total.files); NULL when out
 * of memory (the input is then lost: c837_run_lose_input). */
c837_file_rec *c837_run_add_record(c837_run *r, const char *name);
/* Takes back the last record and its count in total.files (a ghost
 * file's: c837_run_ghost). */
void c837_run_drop_record(c837_run *r);
/* Sets the record's reason (a copy); out of memory marks the run lost. */
void c837_run_set_reason(c837_run *r, c837_file_rec *f, const char *why);
/* An input without a record (out of memory): counted as failed, its
 * FILE_FAILED event sent, the run marked lost.  Returns C837_ENOMEM. */
c837_status c837_run_lose_input(c837_run *r, const char *name);
/* Hands ev to the run's on_event, if any. */
void c837_run_emit(const c837_run *r, const c837_run_event *ev);
/* 1 when the run's cancelled callback says to stop (asked for every
 * segment: inline). */
static inline int c837_run_is_cancelled(const c837_run *r)
{
  return r->o.cancelled && r->o.cancelled(r->o.ud);
}
/* a += b, figure by figure (files figures excepted). */
void c837_totals_add(c837_totals *a, const c837_totals *b);
/* Makes room for n more dates in the chart, so that c837_run_count_days
 * cannot fail; 0 or -1 (out of memory). */
int c837_run_reserve_days(c837_run *r, size_t n);
/* count findings on date (CCYYMMDD; 0 is not counted). */
void c837_run_count_days(c837_run *r, int32_t date, uint64_t count);
/* count findings on date in *days (*n dates in date order, one entry per
 * date, capacity *cap): the count of an entry there grows, or an entry
 * is inserted (date <= 0: nothing).  Memory is one entry per distinct
 * date, however many findings.  0, or -1 when out of memory (*days
 * unchanged). */
int c837_day_add(c837_day_count **days, size_t *n, size_t *cap,
                 int32_t date, uint64_t count);
/* The run's read buffer (C837_READ_CHUNK bytes), lent to every file's
 * stream; NULL when it cannot be had (the stream then allocates). */
char *c837_run_read_buf(c837_run *r);

/* ---- run_file.c ---- */

/* Records an input that failed before it could be read (the walk: a
 * directory or file it could not look at for lack of memory): status
 * e->code, reason e->msg, one ENVELOPE_INVALID row, a FILE_FAILED
 * event.  Returns e->code. */
c837_status c837_run_fail_input(c837_run *r, const char *name,
                                const c837_error *e);

#endif
