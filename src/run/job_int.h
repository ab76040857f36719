/* job_int.h -- private pieces of a run: atomic output files and reports
 *
 * Shared by job.c, report.c, outfile.c (and the batch files that extend a
 * run).  Not part of the public interface.
 */
#ifndef CART837_JOB_INT_H
#define CART837_JOB_INT_H

#include "cart837.h"
#include "edit/engine_hist.h" /* c837_hist, the engine's history API */

/* ---- outfile.c: files that appear under their final name only when
 * complete (temporary file in the same directory, flushed, fsync'd,
 * renamed) ---- */

typedef struct c837_outfile c837_outfile;

/* Creates the parent directories of path and a hidden temporary file
 * beside it; gzip != 0 compresses.  NULL with *err on failure. */
c837_outfile *c837_outfile_open(const char *path, int gzip, c837_error *err);
/* The file will not be fsync'd when closed (the caller syncs the file
 * system later, with c837_outfile_syncfs). */
void c837_outfile_nosync(c837_outfile *of);
/* Flushes the file system holding dir to disk (syncfs).  Returns C837_OK
 * or C837_EIO with *err filled. */
c837_status c837_outfile_syncfs(const char *dir, c837_error *err);
/* c837_sink.write shape; 0 or -1 (the error is kept for commit). */
int c837_outfile_write(void *of, const void *p, size_t n);
/* Flushes, syncs and renames to the final name; frees of.  On failure
 * the temporary file is removed and *err filled.  Same as close, then
 * publish. */
c837_status c837_outfile_commit(c837_outfile *of, c837_error *err);
/* First half of a commit: flushes, fsyncs and closes the temporary file,
 * which keeps its temporary name.  On failure *err is filled and the
 * file can only be aborted.  Lets a caller get several files onto disk
 * before it renames any of them. */
c837_status c837_outfile_close(c837_outfile *of, c837_error *err);
/* Second half: renames the closed temporary file to its final name;
 * frees of (also on failure, after removing the temporary file). */
c837_status c837_outfile_publish(c837_outfile *of, c837_error *err);
/* The final name of of. */
const char *c837_outfile_path(const c837_outfile *of);
/* Removes the temporary file; frees of.  NULL is a no-op. */
void c837_outfile_abort(c837_outfile *of);
/* FILE* of a plain (not gzip) outfile, for libcsv's csv_fwrite. */
FILE *c837_outfile_fp(c837_outfile *of);
/* mkdir -p. */
c837_status c837_mkdirs(const char *dir, c837_error *err);

/* ---- report.c: findings.csv, lines.csv ---- */

typedef struct c837_report c837_report;

/* Opens findings.csv and lines.csv (temporary until commit) in dir and
 * writes their header rows. */
c837_report *c837_report_open(const char *dir, c837_error *err);
/* One claim's findings and its CAR-T / watch-code lines.  t classifies
 * lines.  Returns the number of CAR-T lines written to lines.csv, or -1
 * on a write error. */
long c837_report_claim(c837_report *r, const char *file,
                       const c837_claim *c, const c837_verdict *v,
                       const c837_codetable *t);
/* An envelope problem as an ENVELOPE_INVALID finding. */
int c837_report_problem(c837_report *r, const char *file,
                        const c837_envelope *env, const c837_problem *p);
/* A file that could not be read to the end, as an ENVELOPE_INVALID
 * finding naming the error. */
int c837_report_file_error(c837_report *r, const char *file,
                           const c837_error *e);
/* Remembers where the reports end now (one mark at a time), so that the
 * rows of a file that fails can be taken back.  0 or -1 (I/O). */
int c837_report_mark(c837_report *r);
/* Truncates both reports back to the mark.  0 or -1 (I/O). */
int c837_report_rollback(c837_report *r);
/* After a call above returned -1: fills *err with C837_EIO and the first
 * failure ("cannot write DIR/findings.csv: No space left on device"). */
void c837_report_error(const c837_report *r, c837_error *err);
c837_status c837_report_commit(c837_report *r, c837_error *err);
void c837_report_abort(c837_report *r);

/* 1 when the line is tracked, as c837_codetable_tracks decides (the one
 * definition); *code_row is set to the table row or NULL. */
int c837_line_is_tracked(const c837_codetable *t, const c837_line *ln,
                         const c837_code **code_row);

#endif

/* ---- job.c: the state of a run, visible to the files that extend it
 * (ledger.c, html.c, walk.c) ---- */

#include <limits.h>
#include <sys/types.h>

/* Figures of one input file. */
typedef struct c837_file_rec {
  char *name;             /* as in the reports (owned) */
  char *reason;           /* why skipped or failed, NULL when fine */
  int skipped;
  c837_status status;
  c837_totals t;
  /* A file that could not be read to its end and is read again to be
   * held whole: its claims are not counted in t (uncounted), only those
   * read before the error are known (claims_before_error); held_whole
   * when OUT/held/NAME is the file as it came. */
  int uncounted, held_whole;
  uint64_t claims_before_error;
  /* Input that cannot be read twice: bytes of OUT/held/NAME.unparsed,
   * not read as claims; cut when the rest went past its limit. */
  uint64_t unparsed_bytes;
  int unparsed_cut;
} c837_file_rec;

/* Findings per date of service (for the HTML chart). */
typedef struct c837_day_count {
  int32_t date;
  uint64_t count;
} c837_day_count;

struct c837_job {
  c837_job_options o;
  char out_dir[PATH_MAX / 2];
  c837_codetable *table;
  c837_engine *engine;
  c837_report *report;
  c837_totals total;
  c837_file_rec *files;
  size_t n_files, cap_files;
  /* Output names already taken (walk.c): an open-addressing hash of the
   * indexes + 1 of the files not skipped among files[0 .. n_named). */
  size_t *names;
  size_t names_cap, names_used, n_named;
  c837_day_count *days;
  size_t n_days, cap_days;
  int cancelled;
  int lost;               /* out of memory, a file's record or reason
                             could not be kept: the reports would be
                             incomplete, so c837_job_finish fails */
  int lock_fd;            /* ledger lock, -1 when none */
  uint64_t bytes_before;  /* input bytes of the files already done */
  uint64_t claims_seen;   /* claims read so far, for progress */
  dev_t out_dev;          /* the output directory, which a directory */
  ino_t out_ino;          /* walk must not read back as input */
  int summary_written;    /* OUT/summary.txt is in place */
};

/* Records an input that failed before it could be read (walk.c: a
 * directory or file it could not look at for lack of memory): status
 * e->code, reason e->msg, one ENVELOPE_INVALID row.  Returns e->code. */
c837_status c837_job_fail_input(c837_job *j, const char *name,
                                const c837_error *e);

/* ---- ledger.c: the CSV ledger of CAR-T lines across runs ---- */

/* Takes an exclusive lock on PATH.lock (created if needed); wait = 1
 * blocks until the other run ends, 0 fails at once with C837_ELOCK.
 * *fd receives the lock's descriptor. */
c837_status c837_ledger_lock(const char *path, int wait, int *fd,
                             c837_error *err);
/* Releases a lock taken by c837_ledger_lock; fd < 0 is a no-op. */
void c837_ledger_unlock(int fd);
/* Loads the ledger at path into e (c837_engine_add_history); a missing
 * file is an empty ledger.  A damaged one is C837_ECSV with the CSV line
 * and column in *err, and e unchanged. */
c837_status c837_ledger_load(c837_engine *e, const char *path,
                             c837_error *err);
/* Writes every line the engine remembers to path, atomically. */
c837_status c837_ledger_save(const c837_engine *e, const char *path,
                             c837_error *err);
/* Reads the ledgers paths[0..n) (each must exist and be valid: C837_ECSV
 * with FILE:LINE:COLUMN otherwise, C837_EIO when one cannot be read) and
 * writes their union to out in the order c837_ledger_save uses.  Of rows
 * with the same (source, claim_id, lx), the one with the later run_date
 * stays, then the one of the later file.  Nothing is written on error. */
c837_status c837_ledger_merge(const char *const *paths, size_t n,
                              FILE *out, c837_error *err);
/* Checks the ledger at path (which must exist) and counts its rows. */
c837_status c837_ledger_check(const char *path, size_t *rows,
                              c837_error *err);

/* ---- html.c: the self-contained HTML summary ---- */

/* Writes OUT/report.html from the job's figures, atomically. */
c837_status c837_html_write(const c837_job *j, const char *path,
                            c837_error *err);

/* ---- summary.c: summary.txt and the short summary on the log ---- */

/* Writes the summary text of the run to fp. */
void c837_summary_write(const c837_job *j, FILE *fp);
