/* run_file.h -- one input of a run, shared by run_file.c (starting and
 * reading it) and run_settle.c (settling it)
 *
 * A file_ctx is everything the run knows of the input being read: its
 * record, its outputs, its writer, the failures met while reading and
 * the ONE outcome slot (rank and error) that the settle step turns into
 * one of four endings (see run_settle.c).  Private to those two files.
 */
#ifndef CART837_RUN_FILE_H
#define CART837_RUN_FILE_H

#include "run/run_int.h"
#include "run/run_ack.h"
#include "run/sink.h"
#include "base/buf.h"

#include <stdatomic.h>

/* What can go wrong with a file, lowest rank first.  An interruption
 * outranks what it caused; a failed output explains a stop better than
 * the stop itself; a regular file that cannot be read to its end is held
 * whole whatever its writer thought of it, but the writer's failure to
 * finish what it had outranks the parse error of input read once. */
typedef enum rank {
  R_NONE = 0,
  R_REST,    /* input read once: a parse error (what came before goes out) */
  R_FINISH,  /* the writer failed when ending its outputs */
  R_INPUT,   /* the file could not be started or read (EIO, EGZIP,
                ENOMEM), or a regular file could not be parsed to its end */
  R_NOMEM,   /* the engine or the chart ran out of memory */
  R_REFUSED, /* input read once: the writer refused a claim or segment */
  R_WRITER,  /* the writer failed while the file was read */
  R_REPORT,  /* the reports could not be written */
  R_OUTPUT,  /* an output could not be written */
  R_CANCEL   /* interrupted */
} rank;

typedef struct file_ctx {
  c837_run *run;
  c837_file_rec *rec;
  const char *path, *name;
  int rereadable;        /* a regular file: can be read again (held whole) */
  int write_837;         /* not report-only, not a ghost */
  int ghost;             /* read by c837_run_ghost (run_settle.c) */
  int extract;           /* c837_run_options.extract: claims an edit could
                            look at held, no corrected output */
  int keep_rest;         /* an unparsed rest goes to OUT/held/NAME.unparsed */
  int gzip_unknown;      /* outputs compress as the input, not known yet */
  int in_known;          /* the input's stat (file_start): in_dev, in_ino */
  dev_t in_dev;
  ino_t in_ino;
  c837_input *in;
  c837_writer *w;
  c837_out out, held, rest;
  c837_run_ack ack;      /* OUT/ack/NAME.999, .277 (run_ack.h) */
  /* standard output: the corrected bytes held back until a claim is kept
   * (C837_MAX_HELD_BACK), dropped when every claim is held */
  int gating;
  c837_buf gate;
  int all_held;          /* claims came and every one was held */
  c837_counts counts;
  c837_error serr;       /* the stream's error, set before the rest */
  uint64_t rest_max;     /* bytes the unparsed rest may take */
  uint64_t rest_bytes;   /* bytes it took */
  uint64_t rest_dropped; /* bytes refused at the limit (then no more is
                            read) */
  uint64_t next_progress;
  /* failures met while reading, noted when reading is over */
  int nomem, writer_failed, report_failed;
  int marked;            /* the report rows of the file can be taken back */
  int rolled_back;
  int row;               /* a DISCARD writes the error row */
  /* the outcome slot */
  rank rank;
  c837_error end;
  c837_day_count *days;  /* the file's findings per date (one entry per
                            date, c837_day_add), counted on commit */
  size_t n_days, cap_days;
  /* read ahead on a worker thread (ahead.c): nothing of the run but its
   * options, tables and output directory is touched; what a claim would
   * leave in the reports is kept in facts (see ahead_fact), and a claim
   * or problem that needs more sets ahead_miss and stops reading */
  int ahead, ahead_miss;
  const atomic_int *ahead_stop; /* non-zero: the read-ahead stops */
  char *read_buf;         /* the worker's (NULL: the run's) */
  c837_buf facts;
  /* ahead: copies of the voids and replacements read (c837_engine_defers),
   * for the engine in the run's thread; the bytes kept of the file */
  c837_claim **deferred;
  size_t n_deferred, cap_deferred;
  size_t ahead_bytes;
  size_t fact_last;       /* where the last provider in facts starts */
  /* a refusal of the writer (see writer_refused) */
  int refused;           /* 2: it refused a claim, 1: a segment */
  c837_error refusal;
} file_ctx;

/* 1 when st is a parse error (the input cannot be read to its end). */
static inline int is_parse_error(c837_status st)
{
  return c837_status_class(st) == C837_CLASS_PARSE;
}

/* Turns the outcome of f, once reading is over, into its ending (commit,
 * commit with an unparsed rest, hold whole, discard) and carries it out:
 * outputs published or removed, rows and memory kept or taken back, the
 * record, the totals and the events.  Returns the file's status. */
c837_status c837_file_settle(file_ctx *f);
/* Reads the file at path (named name) ahead, on a worker thread, into
 * *f (zeroed by the caller), its figures in *rec: 1 when the run's
 * thread can take it (c837_file_adopt): read to its end without an
 * error, every claim passed by the fast path, its outputs still
 * temporary; else 0, with its outputs removed and *f freed of all it
 * held.  *stop non-zero stops reading (0 then). */
int c837_file_read_ahead(c837_run *r, file_ctx *f, const char *path,
                         const char *name, c837_file_rec *rec, char *buf,
                         const atomic_int *stop);
/* The run's thread takes file f read ahead, in its turn (f from
 * c837_file_read_ahead, path and name as the walk hands them out): its
 * voids and replacements through the engine, in order, each of which
 * must get the verdict the worker gave it (passed, no finding); then
 * its record, its claims' audit records in order, its figures and the
 * settle step, as c837_run_file would have done.  Returns 1 with the
 * file's status in *st; or 0 when a verdict differs (the engine's
 * memory taken back, f's outputs removed): the file is to be read by
 * the run's thread.  Frees what f holds (not f) either way. */
int c837_file_adopt(c837_run *r, file_ctx *f, const char *path,
                    const char *name, c837_status *st);
/* In what a worker keeps of a passed claim (ahead_fact): the billing
 * provider is the previous claim's. */
#define C837_FACT_SAME 0x80u
/* Shared by run_file.c and run_adopt.c: the outcome slot (keeps e when
 * it outranks what is there), the corrected bytes held back written
 * (0, or -1 with f->out failed), a progress event at offset, and the
 * freeing of what a file read ahead keeps (its facts, copies of claims,
 * held back bytes, dates). */
void c837_file_note(file_ctx *f, rank k, const c837_error *e);
int c837_file_gate_open(file_ctx *f);
void c837_file_progress(file_ctx *f, uint64_t offset);
void c837_file_ahead_free(file_ctx *f);
/* Removes the temporary outputs of f read ahead and frees what it
 * holds (not f): a file the run's thread did not take. */
void c837_file_drop_ahead(file_ctx *f);
/* The DISCARD ending alone: nothing of the file is kept but its error
 * row (f->row) and its record.  Returns f->end.code. */
c837_status c837_file_discard(file_ctx *f);

#endif
