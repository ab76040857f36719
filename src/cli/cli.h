/* cli.h -- private declarations shared by the cart837 command's files
 *
 * The command is a thin layer over the library (include/cart837.h) and
 * its run layer (src/run/run.h): main.c dispatches to a sub-command
 * (cmd_*.c); opts.c turns the command line of a run into run options;
 * log.c formats the run's events as "cart837: ..." lines, the progress
 * line and the short summary; exit.c holds the one table from status to
 * exit code.  Only these files print to the terminal or choose exit
 * codes.
 */
#ifndef CART837_CLI_H
#define CART837_CLI_H

#include "cart837.h"
#include "run/run.h"

#include <stdio.h>
#include <time.h>

/* Exit codes, documented in README.md and cart837.1. */
enum {
  CLI_OK = 0,       /* no finding reached --fail-on */
  CLI_FINDINGS = 1, /* a finding reached --fail-on */
  CLI_USAGE = 2,    /* bad command line */
  CLI_INVALID = 3,  /* invalid input: unparseable or envelope errors */
  CLI_IO = 4,       /* I/O error, or an output could not be completed */
  CLI_SKIPPED = 5,  /* some inputs were skipped (not 837, unreadable) */
  CLI_LOCKED = 6,   /* the ledger is locked by another run */
  CLI_SCALE = 8,    /* exact scale-out (cmd_scale.c): the parts do not
                       fit together (extracts that failed, an input name
                       in two parts, apply's inputs not its part's, or
                       one failing in apply that read in its extract), or
                       the edits' memory after a part is not what decide
                       computed from its extract: not one run's outputs */
  CLI_LIMIT = 7,    /* the run's limit of remembered lines (--max-lines):
                       a ledger over it, or claims held at it */
  CLI_HANGUP = 129,      /* stopped by SIGHUP */
  CLI_INTERRUPTED = 130, /* stopped by SIGINT */
  CLI_TERMINATED = 143   /* stopped by SIGTERM */
};

/* ---- exit.c ---- */

/* The exit code of a status (of a run, a file, a command). */
int cli_exit_of(c837_status st);
/* The exit code of a run stopped by signal sig. */
int cli_exit_signal(int sig);
/* The more serious of two exit codes: 143/130/129, 2, 6, 7, 4, 3, 5, 1,
 * 0. */
int cli_worse(int a, int b);
/* A short stable name for an exit code ("ok", "findings", "usage",
 * "invalid_input", "io_error", "skipped", "locked", "interrupted",
 * "terminated"; "unknown" for another value), for summary.json. */
const char *cli_exit_name(int code);

/* ---- sub-commands; argv[0] is the sub-command's name ---- */

/* `cart837 [run] [OPTIONS] INPUT...` (cmd_run.c): a run over the
 * inputs, stopped cleanly by SIGINT/SIGTERM; its events worded by log.c,
 * failures on stderr.  Returns the exit code (CLI_*). */
int cmd_run(int argc, char **argv);
/* `cart837 extract | decide | apply | gather` (cmd_scale.c): exact
 * scale-out of one run over machines (README "Batch operation"). */
int cmd_extract(int argc, char **argv);
int cmd_decide(int argc, char **argv);
int cmd_apply(int argc, char **argv);
int cmd_gather(int argc, char **argv);
/* `cart837 stats FILE...` (cmd_stats.c): per input one line of counts
 * and its envelope problems on stdout; an input that cannot be opened on
 * stderr; a directory walked as a run walks it (skips on stderr, exit
 * 5).  Returns the worst exit code of the inputs (CLI_USAGE without
 * one). */
int cmd_stats(int argc, char **argv);
/* `cart837 codes [--codes FILE] [CODE...]` (cmd_codes.c): the code
 * table in force as CSV, or the rows of the codes named.  Returns the
 * exit code (CLI_INVALID for a damaged --codes file or a code not in the
 * table). */
int cmd_codes(int argc, char **argv);
/* `cart837 state merge|check|show` (cmd_state.c): the ledger tools.
 * Returns the exit code (CLI_INVALID for a damaged ledger, CLI_IO when
 * one cannot be read or the output written). */
int cmd_state(int argc, char **argv);

/* ---- opts.c ---- */

/* The command line of a run. */
typedef struct cli_run_opts {
  c837_run_options run;
  c837_severity fail_on; /* exit 1 at a finding of this severity... */
  int fail_never;        /* ...unless never */
  int quiet;             /* no per-file messages, no summary */
  int progress;          /* -1: when stderr is a terminal; 0 never, 1 */
  unsigned ack_given;    /* CLI_ACK_GIVEN_* (opts_ack.c) */
  char **inputs;         /* files, directories, "-" */
  int n_inputs;
  const char **lists;    /* --list-file NAME=FILE, in order (owned:
                            cli_run_opts_free) */
} cli_run_opts;

/* Parses the options of `cart837 [run] OPTIONS INPUT...` (argv[0] is the
 * command's name) into *o.  Returns -1 when the run is to go ahead, else
 * the exit code: CLI_OK after --help, CLI_USAGE after a message on
 * stderr. */
int cli_run_parse(int argc, char **argv, cli_run_opts *o);

/* What a command built on a run does around it (cmd_scale.c): before
 * is called once the run is made, before the inputs (a non-zero code
 * counts; CLI_SCALE stops the run with nothing kept, no report); after
 * once it has finished well, before summary.json.  Each returns an exit
 * code, its messages on stderr. */
typedef struct cli_run_hooks {
  int (*before)(c837_run *r, void *ud);
  int (*after)(c837_run *r, void *ud);
  void *ud;
} cli_run_hooks;
/* The run of the parsed command line o (cmd_run.c), with hooks (NULL:
 * none): its exit code. */
int cli_run_all(cli_run_opts *o, const cli_run_hooks *hooks);
/* Frees what cli_run_parse allocated in *o. */
void cli_run_opts_free(cli_run_opts *o);

/* ---- opts_ack.c: --ack, --ack-control, --ack-date, --ack-time ---- */

/* Their getopt_long values (past opts.c's) and table rows. */
enum { CLI_O_ACK = 512, CLI_O_ACK_CONTROL, CLI_O_ACK_DATE, CLI_O_ACK_TIME };
#define CLI_ACK_LONGOPTS                                                 \
  {"ack", required_argument, NULL, CLI_O_ACK},                           \
      {"ack-control", required_argument, NULL, CLI_O_ACK_CONTROL},       \
      {"ack-date", required_argument, NULL, CLI_O_ACK_DATE},             \
      {"ack-time", required_argument, NULL, CLI_O_ACK_TIME}
/* Which of them were given (cli_run_opts.ack_given). */
enum {
  CLI_ACK_GIVEN_CONTROL = 1u, CLI_ACK_GIVEN_DATE = 2u,
  CLI_ACK_GIVEN_TIME = 4u, CLI_ACK_GIVEN_NOW = 8u
};
/* Their lines of `run --help`. */
extern const char cli_ack_usage[];
/* Sets option c: 0, -1 with the reason in why, -2 when c is not one of
 * them. */
int cli_ack_option(cli_run_opts *o, int c, const char *arg, char *why,
                   size_t whysz);
/* Once every option is read: checks how they go together and settles
 * `--ack-date now` (the clock, UTC).  0, or -1 with the reason. */
int cli_ack_finish(cli_run_opts *o, char *why, size_t whysz);

/* ---- run_exit.c: how a run ends, for summary.json ---- */

/* Writes OUT/summary.json with exit code rc, its name and why (from the
 * run's records, finish_err: the error of c837_run_finish, NULL when it
 * succeeded), when summary.txt was written.  Returns rc, or the worse
 * CLI_IO after a message on stderr when summary.json cannot be
 * written. */
int cli_run_json(const c837_run *r, const cli_run_opts *o, int rc,
                 const c837_error *finish_err);

/* ---- log.c ---- */

typedef struct cli_log {
  int quiet;              /* no per-file messages */
  int progress;           /* draw the progress line */
  time_t start;           /* of the run, for the rate */
  uint64_t files_total;   /* 0 = unknown */
  uint64_t bytes_total;   /* 0 = unknown */
} cli_log;

/* Sets up *l; with progress, works out the totals of the inputs when
 * every one is a plain file named on the command line. */
void cli_log_start(cli_log *l, int quiet, int progress, char *const *inputs,
                   int n_inputs);
/* c837_run_options.on_event: writes the event to stderr (ud: cli_log). */
void cli_log_event(void *ud, const c837_run_event *ev);
/* Clears the progress line, if one is drawn. */
void cli_log_end(const cli_log *l);
/* The short end-of-run summary (a few lines) to fp. */
void cli_log_summary(const c837_run *r, FILE *fp);

#endif
