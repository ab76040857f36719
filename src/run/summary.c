/* summary.c -- summary.txt (summary.h)
 *
 * Plain text, deterministic (no clock, no host name), so that re-running
 * the same inputs gives the same bytes: per file and in total, claims
 * read, CAR-T lines, claims passed / fixed / held, and findings per edit
 * id.  What is not known is not counted and said so: the claims of a
 * file held whole (it could not be read to its end), the unparsed rest
 * of input that cannot be read twice.
 */
#include "run/summary.h"
#include "base/util.h"

#include <stdarg.h>

/* One line of text that carries names or messages from the input: the
 * formatted text with control bytes and bytes that are not UTF-8
 * escaped (c837_fputs_text), then the newline. */
static void line(FILE *fp, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void line(FILE *fp, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  c837_vfprintf_text(fp, fmt, ap);
  va_end(ap);
  fputc('\n', fp);
}

/* One "NAME: N" line, or "NAME: not counted" for a file whose claims
 * were not counted (see c837_file_rec.uncounted). */
static void count_line(FILE *fp, const char *indent, const char *name,
                       uint64_t v, int uncounted)
{
  if (uncounted)
    fprintf(fp, "%s%s: not counted\n", indent, name);
  else
    fprintf(fp, "%s%s: %llu\n", indent, name, (unsigned long long)v);
}

/* The figures of t; uncounted: those of a file held whole (or, in
 * --report-only, not read to its end), whose claims are not counted. */
static void totals(FILE *fp, const char *indent, const c837_totals *t,
                   int uncounted)
{
  int k;
  count_line(fp, indent, "claims read", t->claims, uncounted);
  count_line(fp, indent, "service lines", t->lines, uncounted);
  count_line(fp, indent, "CAR-T lines", t->cart_lines, uncounted);
  fprintf(fp, "%sclaims passed: %llu\n", indent,
          (unsigned long long)t->claims_passed);
  fprintf(fp, "%sclaims fixed: %llu\n", indent,
          (unsigned long long)t->claims_fixed);
  count_line(fp, indent, "claims held", t->claims_held, uncounted);
  if (uncounted)
    fprintf(fp, "%sclaims in = corrected + held: not counted\n", indent);
  else
    fprintf(fp, "%sclaims in = corrected + held: %llu = %llu + %llu\n",
            indent, (unsigned long long)t->claims,
            (unsigned long long)(t->claims_passed + t->claims_fixed),
            (unsigned long long)t->claims_held);
  fprintf(fp, "%sfindings: %llu error, %llu warning, %llu info\n", indent,
          (unsigned long long)t->by_severity[C837_SEV_ERROR],
          (unsigned long long)t->by_severity[C837_SEV_WARNING],
          (unsigned long long)t->by_severity[C837_SEV_INFO]);
  for (k = 0; k < C837_EDIT_COUNT; k++)
    if (t->findings[k])
      fprintf(fp, "%s  %s: %llu\n", indent, c837_edit_name((c837_edit)k),
              (unsigned long long)t->findings[k]);
}

/* What of file f is not in its figures: the claims of a file held whole,
 * the unparsed rest of input that cannot be read twice. */
static void not_counted(FILE *fp, const c837_file_rec *f)
{
  if (f->uncounted && f->held_whole)
    line(fp,
         "  held whole: held/%s is the file as it came; its claims are "
         "not counted (%llu complete claim(s) were read before the error)",
         f->name, (unsigned long long)f->claims_before_error);
  else if (f->uncounted)
    fprintf(fp,
            "  not read to its end: its claims are not counted (%llu were "
            "read before the error)\n",
            (unsigned long long)f->claims_before_error);
  if (f->no_corrected == 1)
    line(fp,
         "  corrected: none written: every claim is held (held/%s); an "
         "interchange without a claim is not forwarded",
         f->name);
  else if (f->no_corrected)
    line(fp,
         "  corrected: nothing went to standard output: every claim is "
         "held (held/%s); an interchange without a claim is not "
         "forwarded",
         f->name);
  if (f->unparsed_bytes || f->unparsed_cut)
    line(fp,
         "  unparsed rest: %llu bytes in held/%s.unparsed, not read as "
         "claims%s",
         (unsigned long long)f->unparsed_bytes, f->name,
         f->unparsed_cut ? "; cut at its limit: the rest of the input "
                           "was not read"
                         : "");
}

void c837_summary_write(const c837_run *r, FILE *fp)
{
  const c837_totals *total = c837_run_totals(r);
  size_t i, n = c837_run_record_count(r), whole = 0, rests = 0;
  fprintf(fp, "cart837 %s summary\n\n", CART837_VERSION);
  for (i = 0; i < n; i++) {
    const c837_file_rec *f = c837_run_record(r, i);
    line(fp, "file: %s", f->name);
    if (f->skipped) {
      line(fp, "  skipped: %s", f->reason ? f->reason : "");
      fputc('\n', fp);
      continue;
    }
    if (f->status != C837_OK)
      line(fp, "  status: %s: %s", c837_status_name(f->status),
           f->reason ? f->reason : "");
    not_counted(fp, f);
    whole += f->uncounted != 0;
    rests += f->unparsed_bytes != 0;
    totals(fp, "  ", &f->t, f->uncounted);
    fputc('\n', fp);
  }
  fprintf(fp, "total: %llu files (%llu failed, %llu skipped)\n",
          (unsigned long long)total->files,
          (unsigned long long)total->files_failed,
          (unsigned long long)total->files_skipped);
  if (whole)
    fprintf(fp,
            "  not counted below: the claims of %lu file(s) that could not "
            "be read to their end (see the files above)\n",
            (unsigned long)whole);
  if (rests)
    fprintf(fp,
            "  not counted below: the claims in %lu unparsed rest(s) "
            "(see the files above)\n",
            (unsigned long)rests);
  totals(fp, "  ", total, 0);
  if (c837_run_ledger_failed(r)) {
    fputc('\n', fp);
    line(fp,
         "ledger: NOT saved: %s; the outputs and reports above are in "
         "place, the ledger is as it was before this run (run again with "
         "the same inputs once the cause is fixed)",
         c837_run_ledger_failed(r));
  }
}
