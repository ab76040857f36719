/* summary.h -- the run's summaries for people: summary.txt (summary.c)
 * and report.html (html.c)
 *
 * Both read the run through the accessors of run.h, carry no clock, host
 * or path of the run (the same run gives the same bytes) and say what
 * they do not count (the claims of a file held whole, an unparsed rest).
 * Private to the run layer.
 */
#ifndef CART837_RUN_SUMMARY_H
#define CART837_RUN_SUMMARY_H

#include "run/run.h"

#include <stdio.h>

/* Writes the summary text of the run (per file, then the totals) to fp;
 * a write error is the caller's to find (ferror). */
void c837_summary_write(const c837_run *r, FILE *fp);
/* Writes report.html of the run to path, atomically.  C837_OK, or the
 * error of the output (C837_EIO, C837_ENOMEM; also in *err). */
c837_status c837_html_write(const c837_run *r, const char *path,
                            c837_error *err);

/* Removes OUT/summary.json of an earlier run (summary_json.c), so that
 * one present is the last run's and says how it ended. */
void c837_summary_json_forget(const char *out_dir);

#endif
