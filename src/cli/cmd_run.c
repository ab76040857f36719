/* cmd_run.c -- `cart837 [run] [OPTIONS] INPUT...`: a run
 *
 * Installs the SIGINT/SIGTERM/SIGHUP handlers that stop a run cleanly
 * (and ignores SIGPIPE and SIGXFSZ: a closed standard output or a file
 * past the size limit is a write error like any other), hands every input to the run (files, directories, "-" for
 * stdin) with log.c listening to its events, prints the short summary
 * and turns the outcome into an exit code.
 */
#include "cli/cli.h"

#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t g_signal; /* the signal that stops the run */

static void on_signal(int sig)
{
  g_signal = sig;
}

/* c837_run_options.cancelled */
static int cancelled(void *ud)
{
  (void)ud;
  return g_signal != 0;
}

static void set_signals(void)
{
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_signal; /* no SA_RESTART: a wait for the ledger
                                lock or a stalled pipe is interrupted */
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, NULL);
  sigaction(SIGTERM, &sa, NULL);
  sigaction(SIGHUP, &sa, NULL); /* the terminal of a run went away */
  /* a reader of standard output that goes away (`cart837 - | head`)
   * makes the write fail with EPIPE -- an I/O error of that file, exit 4,
   * its temporary files removed -- instead of SIGPIPE killing the run
   * with temporary files left behind */
  sa.sa_handler = SIG_IGN;
  sigaction(SIGPIPE, &sa, NULL);
  /* a write past the file size limit (ulimit -f) fails with EFBIG -- an
   * I/O error of that file, exit 4, its temporary file removed -- instead
   * of SIGXFSZ killing the run with temporary files left behind */
  sigaction(SIGXFSZ, &sa, NULL);
}

/* 1 when the run reported a finding of severity sev or worse. */
static int has_finding(const c837_run *r, c837_severity sev)
{
  const c837_totals *t = c837_run_totals(r);
  int s;
  for (s = (int)sev; s <= (int)C837_SEV_ERROR; s++)
    if (t->by_severity[s])
      return 1;
  return 0;
}

/* 1 (with the message on stderr) when an input is the output directory
 * or inside it: the run's outputs could overwrite it before it is read
 * (`-o out drop/ out/held/`).  An output directory that does not exist
 * yet holds no input. */
static int input_inside_out(const cli_run_opts *o)
{
  char out[PATH_MAX], in[PATH_MAX];
  const char *dir = o->run.out_dir ? o->run.out_dir : "cart837-out";
  size_t n;
  int i;
  if (!realpath(dir, out))
    return 0;
  n = strlen(out);
  for (i = 0; i < o->n_inputs; i++) {
    if (strcmp(o->inputs[i], "-") == 0 || !realpath(o->inputs[i], in))
      continue;
    if (strcmp(in, out) == 0 ||
        (strncmp(in, out, n) == 0 && (in[n] == '/' || n == 1))) {
      fprintf(stderr,
              "cart837: input %s is inside the output directory %s: the "
              "run's outputs could overwrite it before it is read (move it "
              "out, or choose another output directory)\n",
              o->inputs[i], dir);
      return 1;
    }
  }
  return 0;
}

/* Files read ahead on o->run.jobs threads (the same outputs); without
 * them when the threads cannot be had. */
static void plan(c837_run *run, const cli_run_opts *o)
{
  c837_error err;
  if (c837_run_plan(run, (const char *const *)o->inputs, (size_t)o->n_inputs,
                    &err) != C837_OK)
    fprintf(stderr, "cart837: %s; going on without reading ahead\n",
            err.msg);
}

/* CART837_AHEAD_COUNTS set (tests/e2e_jobs.sh: did -j read ahead?):
 * how many files workers read ahead, on stderr. */
static void ahead_counts(const c837_run *run)
{
  uint64_t taken, again;
  if (!getenv("CART837_AHEAD_COUNTS"))
    return;
  c837_run_ahead_counts(run, &taken, &again);
  fprintf(stderr, "cart837: read ahead: %llu file(s) taken, %llu read again\n",
          (unsigned long long)taken, (unsigned long long)again);
}

int cli_run_all(cli_run_opts *op, const cli_run_hooks *hk)
{
  cli_run_opts o = *op;
  cli_log log;
  c837_run *run;
  c837_error err;
  int i, finish_failed = 0, rc;

  /* tests: every file read ahead with a void or replacement is read
   * again (tests/e2e_jobs.sh) */
  o.run.ahead_distrust = getenv("CART837_AHEAD_AGAIN") != NULL;
  if (input_inside_out(&o))
    return CLI_USAGE;
  rc = CLI_OK;
  cli_log_start(&log, o.quiet,
                o.progress == 1 ||
                    (o.progress == -1 && !o.quiet && isatty(STDERR_FILENO)),
                o.inputs, o.n_inputs);
  o.run.on_event = cli_log_event;
  o.run.cancelled = cancelled;
  o.run.ud = &log;
  set_signals();

  run = c837_run_new(&o.run, &err);
  if (!run) {
    fprintf(stderr, "cart837: %s\n", err.msg);
    if (err.code == C837_EINTR) /* stopped waiting for the ledger lock */
      return cli_exit_signal(g_signal);
    return cli_exit_of(err.code);
  }
  if (hk && hk->before && !g_signal)
    rc = cli_worse(rc, hk->before(run, hk->ud));
  if (!g_signal && rc != CLI_SCALE)
    plan(run, &o);
  for (i = 0; i < o.n_inputs && !g_signal && rc != CLI_SCALE; i++)
    rc = cli_worse(rc, cli_exit_of(c837_run_input(run, o.inputs[i])));
  cli_log_end(&log);
  ahead_counts(run);
  if (g_signal) {
    c837_run_free(run);
    fprintf(stderr, "cart837: stopped by signal %d; no output, report or "
                    "ledger change was kept for unfinished work\n",
            (int)g_signal);
    return cli_exit_signal(g_signal);
  }
  if (rc == CLI_SCALE) {
    /* the before hook said why: nothing of this run may stand */
    c837_run_free(run);
    return rc;
  }
  if (c837_run_finish(run, &err) != C837_OK) {
    fprintf(stderr, "cart837: %s\n", err.msg);
    rc = cli_worse(rc, cli_exit_of(err.code));
    finish_failed = 1;
  }
  if (!finish_failed && hk && hk->after)
    rc = cli_worse(rc, hk->after(run, hk->ud));
  if (!o.quiet)
    cli_log_summary(run, stderr);
  if (c837_run_totals(run)->files_skipped)
    rc = cli_worse(rc, CLI_SKIPPED);
  if (!o.fail_never && has_finding(run, o.fail_on))
    rc = cli_worse(rc, CLI_FINDINGS);
  /* claims held unchecked at the limit of remembered lines: whatever
   * --fail-on says */
  if (c837_run_totals(run)->findings[C837_EDIT_RUN_LINES_LIMIT])
    rc = cli_worse(rc, CLI_LIMIT);
  /* last: summary.json says how the run ends */
  rc = cli_run_json(run, &o, rc, finish_failed ? &err : NULL);
  c837_run_free(run);
  return rc;
}

int cmd_run(int argc, char **argv)
{
  cli_run_opts o;
  int rc = cli_run_parse(argc, argv, &o);
  if (rc < 0)
    rc = cli_run_all(&o, NULL);
  cli_run_opts_free(&o);
  return rc;
}
