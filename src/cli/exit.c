/* exit.c -- the one table from status to exit code (cli.h)
 *
 * Every sub-command turns the library's statuses into exit codes here,
 * and when several apply the most serious wins, in the order README.md
 * gives: interrupted (143/130/129), usage (2), locked (6), the limit of
 * remembered lines (7), I/O (4), invalid
 * input (3), skipped (5), findings (1), ok (0).
 */
#include "cli/cli.h"

#include <signal.h>

int cli_exit_of(c837_status st)
{
  if (st == C837_ELIMIT) /* the run's limit of remembered lines */
    return CLI_LIMIT;
  switch (c837_status_class(st)) {
  case C837_CLASS_OK:
    return CLI_OK;
  case C837_CLASS_MEMORY:   /* ENOMEM */
  case C837_CLASS_IO:       /* EIO, EGZIP */
  case C837_CLASS_INTERNAL: /* ECONSERVE: an output refused */
    return CLI_IO;
  case C837_CLASS_USAGE:    /* EINVAL */
    return CLI_USAGE;
  case C837_CLASS_BUSY:     /* ELOCK */
    return CLI_LOCKED;
  case C837_CLASS_STOPPED:  /* EINTR; ECALLBACK is invalid input */
    return st == C837_EINTR ? CLI_INTERRUPTED : CLI_INVALID;
  case C837_CLASS_PARSE:
  case C837_CLASS_DATA:     /* ECSV */
  default:
    return CLI_INVALID;
  }
}

int cli_exit_signal(int sig)
{
  if (sig == SIGHUP)
    return CLI_HANGUP;
  return sig == SIGTERM ? CLI_TERMINATED : CLI_INTERRUPTED;
}

int cli_worse(int a, int b)
{
  static const int rank[] = {CLI_OK,     CLI_FINDINGS, CLI_SKIPPED,
                             CLI_INVALID, CLI_IO,      CLI_LIMIT,
                             CLI_LOCKED,  CLI_SCALE,
                             CLI_USAGE,  CLI_HANGUP, CLI_INTERRUPTED,
                             CLI_TERMINATED};
  int ra = 0, rb = 0, i;
  for (i = 0; i < (int)(sizeof rank / sizeof rank[0]); i++) {
    if (rank[i] == a)
      ra = i;
    if (rank[i] == b)
      rb = i;
  }
  return rb > ra ? b : a;
}

const char *cli_exit_name(int code)
{
  switch (code) {
  case CLI_OK: return "ok";
  case CLI_FINDINGS: return "findings";
  case CLI_USAGE: return "usage";
  case CLI_INVALID: return "invalid_input";
  case CLI_IO: return "io_error";
  case CLI_SKIPPED: return "skipped";
  case CLI_LOCKED: return "locked";
  case CLI_LIMIT: return "lines_limit";
  case CLI_SCALE: return "scale_out_mismatch";
  case CLI_HANGUP: return "hangup";
  case CLI_INTERRUPTED: return "interrupted";
  case CLI_TERMINATED: return "terminated";
  default: return "unknown";
  }
}
