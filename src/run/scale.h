/* scale.h -- exact scale-out of one run over machines (scale.c)
 *
 * One run over a batch equals, byte for byte in its findings.csv,
 * lines.csv, corrected and held 837s and ledger, these steps over the
 * same batch cut into consecutive parts (README "Batch operation"):
 *
 *   extract  each part on its own machine: a run with
 *            c837_run_options.extract, whose OUT/held/ keeps the claims
 *            an edit could look at (and the files that could not be
 *            read, whole), and whose OUT/extract.csv lists every input
 *            of the part in run order with its outcome;
 *   decide   the extracts of all parts, in order, read as ghosts
 *            (c837_run_ghost) by one run over the starting ledger: the
 *            ledger after each part (DEC/ledger.K.csv), the extracts
 *            copied (DEC/part.K/), the parts' list (DEC/decide.csv);
 *   apply    each part on its own machine: a run over the starting
 *            ledger that first reads the extracts of the parts before it
 *            as ghosts -- so that its edits remember what one run's would
 *            at that point -- then its own inputs as usual; its ledger
 *            must then be decide's ledger after that part, or the part
 *            is refused (CLI_SCALE);
 *   gather   the parts' findings.csv (ids numbered again across them) and
 *            lines.csv, concatenated in part order.
 *
 * Manifests are CSV (libcsv through csvschema): part,file,outcome.
 * Private to the run layer and the CLI.
 */
#ifndef CART837_RUN_SCALE_H
#define CART837_RUN_SCALE_H

#include "run/run.h"

#include <limits.h>

/* What an extract did with one input of its part. */
typedef enum c837_part_outcome {
  C837_PART_NONE,    /* read: no claim an edit could look at */
  C837_PART_CLAIMS,  /* read: its claims an edit could look at are in
                        held/NAME */
  C837_PART_WHOLE,   /* could not be read to its end: held/NAME is the
                        file as it came */
  C837_PART_SKIPPED, /* not taken (not an 837, a name taken, ...) */
  C837_PART_FAILED,  /* failed (I/O, memory): the extract is not usable */
  C837_PART_BROKEN   /* its gzip is corrupt: every run fails it alike,
                        with nothing of it kept but its error row */
} c837_part_outcome;

/* One row of a manifest. */
typedef struct c837_part_row {
  int part;            /* 1.. in decide.csv; 0 in extract.csv */
  char *file;          /* the input's name, as the reports give it */
  int outcome;         /* c837_part_outcome */
} c837_part_row;

/* The outcome of a run's record f (an extract's input): skipped, held
 * whole, broken (EGZIP), failed, or read (claims when it held any). */
int c837_part_outcome_of(const c837_file_rec *f);
/* 1 when an input of this outcome has an OUT/held/NAME to read as a
 * ghost. */
int c837_part_has_held(int outcome);

/* Writes the manifest of the extract run r (c837_run_finish done) to
 * path, atomically: one row per record, in run order, part 0.  C837_OK
 * or the error (also in *err). */
c837_status c837_scale_write_extract(const c837_run *r, const char *path,
                                     c837_error *err);
/* Writes rows[0..n) to path, atomically.  C837_OK or the error (a name
 * of PATH_MAX bytes or more: C837_EINVAL). */
c837_status c837_scale_write_rows(const c837_part_row *rows, size_t n,
                                  const char *path, c837_error *err);
/* Reads the manifest at path: *rows and *n (c837_scale_free releases
 * them).  C837_OK; C837_ECSV with FILE:LINE:COLUMN for a damaged one;
 * C837_EIO when it cannot be read; C837_ENOMEM. */
c837_status c837_scale_read(const char *path, c837_part_row **rows,
                            size_t *n, c837_error *err);
/* Releases rows[0..n) of c837_scale_read (their names too); NULL: none. */
void c837_scale_free(c837_part_row *rows, size_t n);
/* Copies the file src to dst (made with its directories), atomically.
 * C837_OK or C837_EIO with the reason. */
c837_status c837_scale_copy(const char *src, const char *dst,
                            c837_error *err);
/* 1 when the files at a and b hold the same bytes (both readable); 0
 * when they differ or either cannot be read (errno says). */
int c837_scale_same_file(const char *a, const char *b);
/* Writes to out (atomically) the CSV files in[0..n) with the header of
 * the first once and the data rows of every one in order, each record
 * ended by eol (the reports': "\r\n"); the column named id_col (NULL:
 * none) is numbered again 1, 2, ... across them.
 * Every file must have the same header.  C837_OK, C837_ECSV (a damaged
 * file or another header, with FILE:LINE), C837_EIO, C837_ENOMEM. */
c837_status c837_scale_concat_csv(const char *const *in, size_t n,
                                  const char *id_col, const char *eol,
                                  const char *out,
                                  c837_error *err);

#endif
