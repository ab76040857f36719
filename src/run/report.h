/* report.h -- findings.csv and lines.csv, the annotated reports of a run
 * (report.c)
 *
 * Both files are written to temporary files (sink.h) and appear under
 * their names only when the run commits them.  The rows of a file that
 * fails can be taken back (mark, rollback).  Private to the run layer.
 */
#ifndef CART837_RUN_REPORT_H
#define CART837_RUN_REPORT_H

#include "cart837.h"

typedef struct c837_report c837_report;
struct c837_audit; /* audit.h */

/* Opens findings.csv and lines.csv (temporary until commit) in dir and
 * writes their header rows.  NULL with *err on failure (C837_ENOMEM,
 * C837_EIO). */
c837_report *c837_report_open(const char *dir, c837_error *err);
/* From now on every row and claim is also handed to audit a (borrowed:
 * it must outlive r), and a follows r's mark and rollback; a failure of
 * a fails the reports (c837_report_error says why), except for lack of
 * memory or a failed write of its spool, which fail the file being read
 * only. */
void c837_report_set_audit(c837_report *r, struct c837_audit *a);
/* One claim's findings and its CAR-T / watch-code lines.  t classifies
 * lines.  Returns the number of CAR-T lines written to lines.csv, or -1
 * on a write error. */
/* c837_report_claim for a claim known to have no finding and no CAR-T or
 * watch-code line (the fast path: c837_engine_pass said so): no row,
 * only its audit record, exactly as c837_report_claim would make it.
 * Returns 0, or -1 on a write error. */
long c837_report_clean_claim(c837_report *r, const char *file,
                             const c837_claim *c, const c837_verdict *v);
/* c837_report_clean_claim for a claim of `file` a worker read ahead
 * (ahead.c), from what it kept of it: its billing provider's id and
 * name, and its payer class.  Returns 0, or -1 on a write error. */
long c837_report_passed(c837_report *r, const char *file,
                        const char *provider, const char *provider_name,
                        c837_payer_class cls);
long c837_report_claim(c837_report *r, const char *file,
                       const c837_claim *c, const c837_verdict *v,
                       const c837_codetable *t);
/* An envelope problem as an ENVELOPE_INVALID finding.  0 or -1. */
int c837_report_problem(c837_report *r, const char *file,
                        const c837_envelope *env, const c837_problem *p);
/* A file that could not be read to the end, as an ENVELOPE_INVALID
 * finding naming the error.  0 or -1. */
int c837_report_file_error(c837_report *r, const char *file,
                           const c837_error *e);
/* Remembers where the reports end now (one mark at a time), so that the
 * rows of a file that fails can be taken back.  0 or -1 (I/O). */
int c837_report_mark(c837_report *r);
/* Truncates both reports back to the mark.  0 or -1 (I/O). */
int c837_report_rollback(c837_report *r);
/* After a call above returned -1: fills *err with C837_EIO and the first
 * failure ("cannot write DIR/findings.csv: No space left on device"), or
 * with the audit's error when it failed for the file since the last mark
 * only (C837_ENOMEM, or C837_EIO: a write of its spool; that file fails,
 * and after its rollback the reports go on). */
void c837_report_error(const c837_report *r, c837_error *err);
/* Renames both files to their names and frees r (also on failure, when
 * the temporary files are removed).  C837_OK or C837_EIO. */
c837_status c837_report_commit(c837_report *r, c837_error *err);
/* Removes the temporary files and frees r; NULL is a no-op. */
void c837_report_abort(c837_report *r);


#endif
