/* run_exit.c -- how a run ends, in words, for summary.json (cli.h)
 *
 * The exit code is the command's (exit.c's table, cmd_run.c's choice);
 * here it gets its name and a sentence saying why -- which error of the
 * run's end, which inputs, which findings -- and goes to the run layer,
 * which writes summary.json with it (c837_run_write_json).  So the
 * library never decides an exit code, and summary.json never disagrees
 * with the process's exit status (bar a failure to write summary.json
 * itself, which leaves none and exits 4).
 */
#include "cli/cli.h"

#include <string.h>

/* What each exit code means (README.md, "Exit status"). */
static const char *meaning(int rc)
{
  switch (rc) {
  case CLI_OK: return "no finding reached --fail-on";
  case CLI_FINDINGS: return "a finding reached --fail-on";
  case CLI_USAGE: return "usage error";
  case CLI_INVALID: return "invalid input";
  case CLI_IO: return "I/O error, or an output refused";
  case CLI_SKIPPED: return "some inputs were skipped";
  case CLI_LOCKED: return "the ledger is locked by another run";
  case CLI_LIMIT: return "the run's limit of remembered lines (--max-lines)";
  case CLI_SCALE: return "the parts of a scale-out do not fit together";
  default: return "stopped";
  }
}

/* The inputs whose exit code is rc (skipped ones for CLI_SKIPPED):
 * "N file(s); the first: NAME: STATUS: reason". */
static void files_why(const c837_run *r, int rc, char *buf, size_t sz)
{
  size_t i, n = c837_run_record_count(r), count = 0;
  const c837_file_rec *first = NULL;
  for (i = 0; i < n; i++) {
    const c837_file_rec *f = c837_run_record(r, i);
    int code = f->skipped ? CLI_SKIPPED : cli_exit_of(f->status);
    if (code != rc)
      continue;
    if (!first)
      first = f;
    count++;
  }
  if (!first) {
    snprintf(buf, sz, "%s", meaning(rc));
    return;
  }
  snprintf(buf, sz, "%s: %zu %s; the first: %s: %s%s%s", meaning(rc), count,
           count == 1 ? "input" : "inputs", first->name,
           first->skipped ? "skipped" : c837_status_name(first->status),
           first->reason ? ": " : "", first->reason ? first->reason : "");
}

/* Findings against --fail-on: "--fail-on LEVEL: E error, W warning, I
 * info findings". */
static void findings_why(const c837_run *r, const cli_run_opts *o, int rc,
                         char *buf, size_t sz)
{
  const c837_totals *t = c837_run_totals(r);
  snprintf(buf, sz, "%s (--fail-on %s): %llu error, %llu warning, %llu "
                    "info findings",
           rc == CLI_OK && o->fail_never ? "findings do not set the exit "
                                           "status"
                                         : meaning(rc),
           o->fail_never ? "never" : c837_severity_name(o->fail_on),
           (unsigned long long)t->by_severity[C837_SEV_ERROR],
           (unsigned long long)t->by_severity[C837_SEV_WARNING],
           (unsigned long long)t->by_severity[C837_SEV_INFO]);
}

/* Why the run exits rc. */
static void exit_why(const c837_run *r, const cli_run_opts *o, int rc,
                     const c837_error *finish_err, char *buf, size_t sz)
{
  if (finish_err && cli_exit_of(finish_err->code) == rc)
    snprintf(buf, sz, "%s: %s", meaning(rc), finish_err->msg);
  else if (rc == CLI_OK || rc == CLI_FINDINGS)
    findings_why(r, o, rc, buf, sz);
  else
    files_why(r, rc, buf, sz);
}

int cli_run_json(const c837_run *r, const cli_run_opts *o, int rc,
                 const c837_error *finish_err)
{
  char why[1024];
  c837_run_exit x;
  c837_error err;
  if (!c837_run_summary_written(r))
    return rc;
  exit_why(r, o, rc, finish_err, why, sizeof why);
  x.status = rc;
  x.name = cli_exit_name(rc);
  x.why = why;
  if (c837_run_write_json(r, &x, &err) != C837_OK) {
    fprintf(stderr, "cart837: %s\n", err.msg);
    return cli_worse(rc, CLI_IO);
  }
  return rc;
}
