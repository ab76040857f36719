/* run.h -- a run over many inputs: the application layer of cart837
 *
 * A run reads its inputs in the order given, each in one streaming pass
 * (input -> tokenizer -> assembler -> engine -> writer and reports), and
 * writes for each input F the corrected OUT/F and, when a claim is held,
 * OUT/held/F; at its end findings.csv, lines.csv, episodes.csv,
 * summary.txt, report.html and the ledger.  The engine's memory of CAR-T lines runs
 * across files, so day totals and sequencing span the whole run (and,
 * with a ledger, earlier runs).
 *
 * The run does not print, exit or look at signals.  What a person should
 * hear of -- an input skipped, an envelope problem, a file that failed,
 * was held whole or kept an unparsed rest, progress -- is an event handed
 * to options.on_event; whether to stop is asked of options.cancelled.
 * The command line (src/cli/) formats the events and chooses the exit
 * code.
 *
 * Private to cart837, not installed: the CLI and the tests use it; a
 * library user has include/cart837.h.
 */
#ifndef CART837_RUN_H
#define CART837_RUN_H

#include "cart837.h"

/* Figures of a file (and, summed, of the run). */
typedef struct c837_totals {
  uint64_t files, files_failed, files_skipped;
  uint64_t bytes;          /* decompressed input bytes */
  uint64_t claims, lines, cart_lines;
  uint64_t claims_passed, claims_fixed, claims_held;
  uint64_t problems;       /* envelope problems (ENVELOPE_INVALID) */
  uint64_t findings[C837_EDIT_COUNT];
  uint64_t by_severity[3]; /* findings per c837_severity */
} c837_totals;

/* Progress of a run, for a progress line. */
typedef struct c837_progress {
  const char *file;        /* file being read */
  uint64_t bytes;          /* input bytes read so far, all files */
  uint64_t bytes_total;    /* sum of input sizes when known, else 0 */
  uint64_t files_done, files_total;
  uint64_t claims;
} c837_progress;

/* What the run knows of one input (skipped, failed or read). */
typedef struct c837_file_rec {
  char *name;             /* as in the reports */
  char *reason;           /* why skipped or failed, NULL when fine */
  int skipped;
  c837_status status;
  c837_totals t;
  /* A file that could not be read to its end: its claims are not
   * counted in t (uncounted), only those read before the error are
   * known (claims_before_error); held_whole when OUT/held/NAME is the
   * file as it came. */
  int uncounted, held_whole;
  uint64_t claims_before_error;
  /* Every claim of the file is held: no corrected output was written
   * (1), or nothing went to standard output (2). */
  int no_corrected;
  /* Input that cannot be read twice: bytes of OUT/held/NAME.unparsed,
   * not read as claims; cut when the rest went past its limit. */
  uint64_t unparsed_bytes;
  int unparsed_cut;
} c837_file_rec;

/* Findings per date of service (the chart of report.html). */
typedef struct c837_day_count {
  int32_t date;
  uint64_t count;
} c837_day_count;

/* Events of a run, in the order they happen. */
typedef enum c837_run_ev {
  C837_RUN_SKIPPED,       /* file, reason: an input not taken */
  C837_RUN_PROBLEM,       /* file, problem: an envelope problem (reading
                             goes on; an ENVELOPE_INVALID row) */
  C837_RUN_CLAIM,         /* file, claim, verdict: a claim as it went to
                             the writer and the reports (taken back with
                             the rest of the file if it then fails or is
                             held whole) */
  C837_RUN_FILE_FAILED,   /* file, err: nothing of the file is kept but
                             its error row */
  C837_RUN_HELD_WHOLE,    /* file, err (the parse error, with offset and
                             segment), held: the file could not be read
                             to its end and is held whole -- held is 1
                             when OUT/held/NAME was written (0 in
                             report-only runs) */
  C837_RUN_UNPARSED_REST, /* file, err: input that cannot be read twice
                             stopped at err (a parse error, or a claim or
                             segment the writer refused); what came
                             before went out, err->msg says where the
                             rest is */
  C837_RUN_NO_CORRECTED,  /* file, held (2: the output was standard
                             output): every claim of the file is held, no
                             corrected output is written (an interchange
                             without a claim is not forwarded) */
  C837_RUN_PROGRESS       /* progress: every C837_PROGRESS_STEP bytes */
} c837_run_ev;

/* One event; the fields its kind does not name are NULL / 0.  Borrowed:
 * valid during the callback only. */
typedef struct c837_run_event {
  c837_run_ev kind;
  const char *file;
  const char *reason;
  const c837_error *err;
  const c837_problem *problem;
  const c837_claim *claim;
  const c837_verdict *verdict;
  const c837_progress *progress;
  int held;
} c837_run_event;

/* c837_run_options.ack: which acknowledgments to write. */
enum { C837_RUN_ACK_999 = 1u, C837_RUN_ACK_277 = 2u };

typedef struct c837_run_options {
  const char *out_dir;     /* reports and outputs; default "cart837-out" */
  int report_only;         /* 1: no 837 output (auditors' mode) */
  int gzip;                /* -1 (default) as the input, 0 never, 1 always */
  int gzip_level;          /* zlib level of gzip outputs, 0 (stored) to 9;
                              default C837_GZIP_LEVEL_DEFAULT */
  int stdout_filter;       /* 1: input "-" writes its corrected 837 to
                              standard output */
  c837_edit_options edit;
  /* The code table: NULL (default) for the built-in one, extended or
   * overridden by codes_path; else this table (borrowed: it must outlive
   * the run; codes_path is not read), so that many runs can share one. */
  const c837_codetable *table;
  const char *codes_path;  /* extends/overrides the built-in table */
  /* Reference lists to load over the built-in ones of the run's own
   * table (not read when table is given): n_list_files specs "NAME=FILE"
   * (c837_run_load_list), in order. */
  const char *const *list_files;
  size_t n_list_files;
  /* Payer option and provider files over the built-in payers
   * (specs/payers.md): NULL for none.  The run's payers also take
   * edit.repeat_window_days as Medicare's default window. */
  const char *payers_path;
  const char *providers_path;
  const char *state_path;  /* the ledger, NULL for none */
  int state_readonly;      /* read the ledger, never write it */
  int lock_wait;           /* 1: wait for the ledger lock, 0: fail */
  int32_t run_date;        /* CCYYMMDD stamped on new ledger rows (0 =
                              the edit options' run_date) */
  /* Durability of the 837 outputs.  0 (default): each output is renamed
   * to its final name when complete, and the output file system is
   * synced once (syncfs) before the reports are committed and the
   * ledger is saved, so everything is on disk when the run succeeds.
   * 1: every output file is also fsync'd before its rename: slower (one
   * fsync per file dominates a batch of many small files), but each
   * file is durable as soon as it appears. */
  int sync_each;
  /* 1: every claim goes through the full path (claim model, edits,
   * writer, reports); 0 (default): a claim that no edit can look at
   * (src/run/fastpath.c says which) is counted and copied through
   * without them.  The outputs are the same byte for byte either way
   * (tests/e2e_fastpath_diff.sh). */
  int no_fast_path;
  /* 1: the extract of a part of a batch (`cart837 extract`, exact
   * scale-out): no edit is run; every claim an edit could look at (the
   * claims the fast path would not pass) is held, as it came, under
   * copies of its loops and its own ISA, GS and ST, in OUT/held/NAME,
   * and the other claims go nowhere (no corrected output); a file that
   * cannot be read to its end is copied whole, as in any run.  Replayed
   * by c837_run_ghost, these files move the edits' memory exactly as
   * their inputs do. */
  int extract;
  /* Worker threads that read files ahead (-j N), 0 or 1 (default):
   * none.  Used only after c837_run_plan, which says which files come;
   * see there. */
  int jobs;
  /* Tests only: 1 takes every void and replacement a worker read as
   * judged otherwise than it assumed, so that its file is read again by
   * the run's thread (c837_run_ahead_counts: again); the outputs are the
   * same. */
  int ahead_distrust;
  /* 1: symbolic links in an input directory are followed wherever they
   * point; 0 (default): only those whose target is inside that input
   * directory (the others are skipped, their target not read). */
  int follow_symlinks;
  /* Bytes of an unparsed rest kept from input that cannot be read twice
   * (see c837_run_file); 0 (default) = C837_MAX_UNPARSED. */
  uint64_t max_unparsed;
  /* Acknowledgments of each input F (run_ack.h, specs/acks.md):
   * C837_RUN_ACK_999 writes OUT/ack/F.999, C837_RUN_ACK_277
   * OUT/ack/F.277; 0 (default) none.  ack_control is the first control
   * number (0 = 1); ack_date (CCYYMMDD) and ack_time (HHMM) stamp them,
   * 0: the input's dates (never the clock). */
  unsigned ack;
  uint64_t ack_control;
  int32_t ack_date;
  int ack_time;
  /* Receives every event (NULL: none is wanted). */
  void (*on_event)(void *ud, const c837_run_event *ev);
  /* Asked now and then (between segments, files, directory entries):
   * non-zero stops the run cleanly (NULL: never). */
  int (*cancelled)(void *ud);
  void *ud;                /* for on_event and cancelled */
} c837_run_options;

/* Fills *o with the defaults. */
void c837_run_options_default(c837_run_options *o);
/* Loads the reference list a spec "NAME=FILE" names (NAME a
 * c837_list_name: revenue, pcs, ndc, indication, ptp) from FILE over t's
 * (c837_codetable_load_list, rows merged).  C837_EINVAL with a message
 * for a spec that is not NAME=FILE or names no list; else as
 * c837_codetable_load_list. */
c837_status c837_run_load_list(c837_codetable *t, const char *spec,
                               c837_error *err);

typedef struct c837_run c837_run;

/* Starts a run: loads the code table (built-in plus codes_path), the
 * ledger (its path resolved once: a ledger named through a symbolic
 * link is the link's file, locked, read and saved in place; locked for
 * the run unless state_readonly), creates out_dir and
 * opens the reports.  NULL with *err on failure (C837_ECSV for a bad
 * table or ledger with line and column, C837_ELOCK, C837_EINTR while
 * waiting for the lock, C837_EIO, C837_ENOMEM, C837_EINVAL for an
 * output directory name too long). */
c837_run *c837_run_new(const c837_run_options *o, c837_error *err);
/* Processes one command-line input: a file, "-" or a directory (see
 * c837_walk_input in walk.h: what is taken, skipped, and how outputs are
 * named).  Returns the worst status of the files processed (C837_OK
 * when all were fine; skips alone are not an error: see the totals). */
c837_status c837_run_input(c837_run *r, const char *path);
/* Announces the command-line inputs that c837_run_input will be given,
 * in that order, so that options.jobs worker threads (at most
 * C837_MAX_JOBS) read their files ahead of the run's thread: a worker
 * reads a regular file (up to C837_AHEAD_MAX_BYTES) into its temporary
 * outputs as c837_run_file would, as long as every claim is one the
 * fast path passes and nothing else of the run is needed (no envelope
 * problem, no error, no procedure code); the run's thread then takes
 * the file in its turn, records its claims in the reports, in order,
 * and settles it.  Any other file is read by the run's thread as
 * without workers.  So the outputs, reports and ledger are those of a
 * run without workers, byte for byte (tests/e2e_jobs.sh); a file read
 * ahead sends no C837_RUN_CLAIM event and one progress event.  A
 * second walk on its own thread lists the files, at most
 * C837_AHEAD_PER_JOB per worker ahead of the run's thread.  Nothing is
 * started (C837_OK) when jobs < 2, and for an extract, a run without
 * the fast path, with acknowledgments, or with a c837_run_ghost to come
 * (call it after the ghosts).  C837_OK, or C837_ENOMEM / C837_EIO (a
 * thread could not start: the run goes on without workers). */
c837_status c837_run_plan(c837_run *r, const char *const *inputs,
                          size_t n_inputs, c837_error *err);
/* How many files workers read ahead and the run's thread took (*taken),
 * and how many of them it read again because the engine judged a void
 * or replacement otherwise than the worker had assumed (*again), so
 * far.  For tests and diagnostics: the outputs do not depend on them. */
void c837_run_ahead_counts(const c837_run *r, uint64_t *taken,
                           uint64_t *again);
/* Processes one input.  path is what is opened ("-" = stdin); name is
 * how reports name it and where its outputs go under out_dir (a relative
 * path; for stdin "stdin.837").  Every claim comes out in exactly one of
 * OUT/name (corrected; standard output in the filter mode) and
 * OUT/held/name (held), or the file fails and nothing of it is kept.
 * Returns C837_OK or:
 *  - a parse error (ENOISA, EISA, ETOOLONG, ETOOMANY, ETRUNC, ECLAIM):
 *    a file that cannot be read to its end is not forwarded: it is copied
 *    whole, unchanged, to OUT/held/name, and what it did to the reports
 *    and the engine's memory is taken back (one ENVELOPE_INVALID row names
 *    the error; the file's claims are not counted in its figures, which
 *    say so).  Input that cannot be read twice (stdin, a FIFO, a device)
 *    is not held whole: the claims read before the error are processed
 *    as usual and the unparsed rest -- the claim being read included --
 *    is kept as it came in OUT/held/name.unparsed, so that every input
 *    byte is in exactly one of OUT/name (or stdout), OUT/held/name (a
 *    held claim) and that file.  The same when the writer refuses a
 *    claim or segment of such input (C837_ECLAIM: a claim to hold
 *    outside an ISA / GS / ST envelope, HL nesting deeper than
 *    C837_MAX_HL_DEPTH in a transaction to rewrite; C837_EINVAL): what
 *    came before it goes out, it and the rest are the unparsed rest; a
 *    refused claim is not counted and has no findings rows (but the
 *    engine has evaluated it: a refused claim with fixes stays in its
 *    memory of lines).  The unparsed rest keeps at most max_unparsed
 *    bytes (C837_MAX_UNPARSED), C837_MAX_UNPARSED_NOISA after
 *    C837_ENOISA; past that, reading stops and the error row says how
 *    much was dropped;
 *  - C837_EIO / C837_EGZIP / C837_ENOMEM (reading or writing failed),
 *    C837_ECONSERVE: no output of the file is kept, its effects are taken
 *    back;
 *  - C837_EINVAL: an output would overwrite the input, or the name
 *    climbs out of out_dir;
 *  - C837_EINTR (cancelled): as for EIO, without an error row; the run
 *    is over (c837_run_finish refuses to write reports).
 * The run goes on with the next file after any of them but EINTR. */
c837_status c837_run_file(c837_run *r, const char *path, const char *name);
/* Reads the file at path (an extract's OUT/held/NAME, or its input
 * copied whole) as input `name` of an earlier part of the same batch:
 * its claims go through the edits and stay in the engine's memory (the
 * ledger saved at the end has them) as that part's did, but it writes no
 * output, no report row, no acknowledgment and no record, and sends no
 * event.  C837_OK, also when it is held whole (its memory taken back,
 * as its input's was); else the error of the file (I/O, memory,
 * interruption), which leaves the run's memory without it: the caller
 * must not go on as if it had been read. */
c837_status c837_run_ghost(c837_run *r, const char *path, const char *name);
/* Writes the ledger of everything the engine remembers now (the ledger
 * loaded and what the run read so far) to path, atomically, whatever
 * state_path and state_readonly say.  C837_OK or the error. */
c837_status c837_run_save_ledger(const c837_run *r, const char *path,
                                 c837_error *err);
/* Records an input that was not processed (not an 837, unreadable). */
void c837_run_skip(c837_run *r, const char *name, const char *reason);
/* Ends the run: writes findings.csv, lines.csv, episodes.csv,
 * summary.txt, report.html (atomically) and, unless read-only, the
 * ledger.  Returns C837_OK or
 * the first error: C837_EINTR when cancelled, C837_ENOMEM without
 * writing anything when memory ran out while recording an input (the
 * reports would miss it), C837_EIO. */
c837_status c837_run_finish(c837_run *r, c837_error *err);
/* How the command that ran r ends, for summary.json: the exit status it
 * chose from its own table (src/cli/exit.c; the library has none), a
 * short stable name for it and why, in a sentence. */
typedef struct c837_run_exit {
  int status;
  const char *name;
  const char *why;
} c837_run_exit;
/* Writes OUT/summary.json (summary_json.c; its shape in README.md,
 * "summary.json"): the figures of summary.txt per file and in total, and
 * x (NULL: "exit" is null), atomically.  Call it last, after
 * c837_run_finish wrote summary.txt (C837_EINVAL before); a stale
 * summary.json of an earlier run in the output directory is removed by
 * c837_run_new, so that one present is this run's.  C837_OK, or
 * C837_EIO / C837_ENOMEM with *err. */
c837_status c837_run_write_json(const c837_run *r, const c837_run_exit *x,
                                c837_error *err);
/* Frees r (a run not finished leaves no report and no ledger change);
 * NULL is a no-op. */
void c837_run_free(c837_run *r);

/* Totals of the run so far (all files).  Borrowed. */
const c837_totals *c837_run_totals(const c837_run *r);
/* The records of the inputs so far, in run order: count, and record i
 * (borrowed; valid until the run's next call that records an input). */
size_t c837_run_record_count(const c837_run *r);
const c837_file_rec *c837_run_record(const c837_run *r, size_t i);
/* Findings per date of service, in date order (*n of them).  Borrowed. */
const c837_day_count *c837_run_days(const c837_run *r, size_t *n);
/* The output directory in use. */
const char *c837_run_out_dir(const c837_run *r);
/* 1 once OUT/summary.txt is in place (c837_run_finish got that far). */
int c837_run_summary_written(const c837_run *r);
/* Why the ledger could not be saved at the end of the run, or NULL
 * (saved, or not asked for).  Borrowed. */
const char *c837_run_ledger_failed(const c837_run *r);
/* The run's audit (run/audit.h): what report.html and episodes.csv
 * show; its model is there once c837_run_finish has read it back. */
struct c837_audit *c837_run_audit(const c837_run *r);

#endif
