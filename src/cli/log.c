/* log.c -- what a person sees of a run on stderr
 *
 * The run layer reports events (run.h); this file alone words them:
 * "cart837: NAME: byte N, segment M: ..." per problem, failed file, file
 * held whole or unparsed rest, "cart837: skipped NAME: why", the
 * progress line on a terminal, and the short summary at the end.  -q
 * keeps the per-file lines and the summary off stderr (the progress line
 * has its own switch).
 */
#include "cli/cli.h"
#include "base/util.h"

#include <stdarg.h>
#include <string.h>
#include <sys/stat.h>

/* One line on stderr: "cart837: " and the formatted text with every
 * control byte and every byte that is not UTF-8 escaped
 * (c837_fputs_text), so that no file name, claim value or message from
 * the input moves the cursor or ends the line; then the newline. */
static void say(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...)
{
  va_list ap;
  fputs("cart837: ", stderr);
  va_start(ap, fmt);
  c837_vfprintf_text(stderr, fmt, ap);
  va_end(ap);
  fputc('\n', stderr);
}

/* The totals the progress line can know before the run: when every
 * input is a plain file named on the command line, how many files and
 * bytes there are (directories, stdin and gzip make the total unknown:
 * gzip because progress counts decompressed bytes). */
static void progress_totals(cli_log *l, char *const *inputs, int n)
{
  int i;
  l->files_total = l->bytes_total = 0;
  for (i = 0; i < n; i++) {
    struct stat sb;
    unsigned char m[2] = {0, 0};
    FILE *fp;
    if (strcmp(inputs[i], "-") == 0 || stat(inputs[i], &sb) != 0 ||
        !S_ISREG(sb.st_mode))
      goto unknown;
    fp = fopen(inputs[i], "rb");
    if (fp) {
      size_t got = fread(m, 1, 2, fp);
      fclose(fp);
      if (got == 2 && m[0] == 0x1f && m[1] == 0x8b)
        goto unknown;
    }
    l->files_total++;
    l->bytes_total += (uint64_t)sb.st_size;
  }
  return;
unknown:
  l->files_total = l->bytes_total = 0;
}

void cli_log_start(cli_log *l, int quiet, int progress, char *const *inputs,
                   int n_inputs)
{
  memset(l, 0, sizeof *l);
  l->quiet = quiet;
  l->progress = progress;
  if (progress) {
    l->start = time(NULL);
    progress_totals(l, inputs, n_inputs);
  }
}

static void progress_line(const cli_log *l, const c837_progress *p)
{
  double secs = difftime(time(NULL), l->start);
  double mb = (double)p->bytes / 1048576.0;
  uint64_t bytes_total = p->bytes_total ? p->bytes_total : l->bytes_total;
  uint64_t files_total = p->files_total ? p->files_total : l->files_total;
  char eta[32] = "", files[48];
  if (bytes_total > p->bytes && p->bytes && secs > 0) {
    double rest = (double)(bytes_total - p->bytes) / ((double)p->bytes / secs);
    snprintf(eta, sizeof eta, " ETA %.0fs", rest);
  }
  if (files_total)
    snprintf(files, sizeof files, "%llu/%llu files",
             (unsigned long long)p->files_done,
             (unsigned long long)files_total);
  else
    snprintf(files, sizeof files, "%llu files",
             (unsigned long long)p->files_done);
  fprintf(stderr, "\r%s  %.1f MB  %llu claims  %.1f MB/s%s  ", files, mb,
          (unsigned long long)p->claims, secs > 0 ? mb / secs : 0.0, eta);
  c837_fputs_text(stderr, p->file ? p->file : "");
  fputs("\033[K", stderr);
  fflush(stderr);
}

static unsigned long long u(uint64_t v)
{
  return (unsigned long long)v;
}

void cli_log_event(void *ud, const c837_run_event *ev)
{
  const cli_log *l = ud;
  if (ev->kind == C837_RUN_PROGRESS) {
    if (l->progress)
      progress_line(l, ev->progress);
    return;
  }
  if (l->quiet)
    return;
  switch (ev->kind) {
  case C837_RUN_SKIPPED:
    say("skipped %s: %s", ev->file, ev->reason);
    break;
  case C837_RUN_PROBLEM:
    say("%s: byte %llu, segment %llu: %s: %s", ev->file,
        u(ev->problem->offset), u(ev->problem->segment), ev->problem->code,
        ev->problem->msg);
    break;
  case C837_RUN_FILE_FAILED:
    say("%s: %s", ev->file, ev->err->msg);
    break;
  case C837_RUN_HELD_WHOLE:
    say("%s: byte %llu, segment %llu: %s; the file is held whole%s",
        ev->file, u(ev->err->offset), u(ev->err->segment), ev->err->msg,
        ev->held ? " (OUT/held/)" : "");
    break;
  case C837_RUN_NO_CORRECTED:
    say("%s: every claim is held: %s (an interchange without a claim is "
        "not forwarded)",
        ev->file, ev->held == 2 ? "nothing goes to standard output"
                                : "no corrected file is written");
    break;
  case C837_RUN_UNPARSED_REST:
    say("%s: byte %llu, segment %llu: %s", ev->file, u(ev->err->offset),
        u(ev->err->segment), ev->err->msg);
    break;
  default: /* claims, progress */
    break;
  }
}

void cli_log_end(const cli_log *l)
{
  if (l->progress)
    fputs("\r\033[K", stderr);
}

void cli_log_summary(const c837_run *r, FILE *fp)
{
  const c837_totals *t = c837_run_totals(r);
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
  if ((t->files_failed || t->files_skipped) && c837_run_summary_written(r))
    fprintf(fp,
            "cart837: %llu file(s) failed, %llu skipped (see "
            "%s/summary.txt)\n",
            (unsigned long long)t->files_failed,
            (unsigned long long)t->files_skipped, c837_run_out_dir(r));
  else if (t->files_failed || t->files_skipped)
    fprintf(fp,
            "cart837: %llu file(s) failed, %llu skipped (no summary.txt "
            "was written)\n",
            (unsigned long long)t->files_failed,
            (unsigned long long)t->files_skipped);
}
