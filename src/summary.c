/* summary.c -- summary.txt and the short summary on stderr
 *
 * Plain text, deterministic (no clock, no host name), so that re-running
 * the same inputs gives the same bytes: per file and in total, claims
 * read, CAR-T lines, claims passed / fixed / held, and findings per edit
 * id.
 */
#include "job_int.h"

static void totals(FILE *fp, const char *indent, const c837_totals *t)
{
  int k;
  fprintf(fp, "%sclaims read: %llu\n", indent, (unsigned long long)t->claims);
  fprintf(fp, "%sservice lines: %llu\n", indent,
          (unsigned long long)t->lines);
  fprintf(fp, "%sCAR-T lines: %llu\n", indent,
          (unsigned long long)t->cart_lines);
  fprintf(fp, "%sclaims passed: %llu\n", indent,
          (unsigned long long)t->claims_passed);
  fprintf(fp, "%sclaims fixed: %llu\n", indent,
          (unsigned long long)t->claims_fixed);
  fprintf(fp, "%sclaims held: %llu\n", indent,
          (unsigned long long)t->claims_held);
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

void c837_summary_write(const c837_job *j, FILE *fp)
{
  size_t i;
  fprintf(fp, "cart837 %s summary\n\n", CART837_VERSION);
  for (i = 0; i < j->n_files; i++) {
    const c837_file_rec *f = &j->files[i];
    fprintf(fp, "file: %s\n", f->name);
    if (f->skipped) {
      fprintf(fp, "  skipped: %s\n\n", f->reason ? f->reason : "");
      continue;
    }
    if (f->status != C837_OK)
      fprintf(fp, "  status: %s: %s\n", c837_status_name(f->status),
              f->reason ? f->reason : "");
    totals(fp, "  ", &f->t);
    fputc('\n', fp);
  }
  fprintf(fp, "total: %llu files (%llu failed, %llu skipped)\n",
          (unsigned long long)j->total.files,
          (unsigned long long)j->total.files_failed,
          (unsigned long long)j->total.files_skipped);
  totals(fp, "  ", &j->total);
}

void c837_job_print_summary(const c837_job *j, FILE *fp)
{
  const c837_totals *t = &j->total;
  int k, first = 1;
  fprintf(fp,
          "cart837: %llu file(s), %llu claims (%llu passed, %llu fixed, "
          "%llu held), %llu CAR-T lines, %llu findings",
          (unsigned long long)t->files, (unsigned long long)t->claims,
          (unsigned long long)t->claims_passed,
          (unsigned long long)t->claims_fixed,
          (unsigned long long)t->claims_held,
          (unsigned long long)t->cart_lines,
          (unsigned long long)(t->by_severity[0] + t->by_severity[1] +
                               t->by_severity[2]));
  for (k = 0; k < C837_EDIT_COUNT; k++) {
    if (!t->findings[k])
      continue;
    fprintf(fp, "%s%s %llu", first ? ": " : ", ",
            c837_edit_name((c837_edit)k), (unsigned long long)t->findings[k]);
    first = 0;
  }
  fputc('\n', fp);
  if ((t->files_failed || t->files_skipped) && j->summary_written)
    fprintf(fp, "cart837: %llu file(s) failed, %llu skipped (see %s/summary.txt)\n",
            (unsigned long long)t->files_failed,
            (unsigned long long)t->files_skipped, j->out_dir);
  else if (t->files_failed || t->files_skipped)
    fprintf(fp, "cart837: %llu file(s) failed, %llu skipped (no summary.txt "
                "was written)\n",
            (unsigned long long)t->files_failed,
            (unsigned long long)t->files_skipped);
}
