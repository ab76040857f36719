/* cli.h -- private declarations shared by the cart837 command's files
 *
 * The command line tool is a thin layer over libcart837: main.c parses the
 * sub-command and dispatches; each cli_*.c file holds one sub-command.
 * Only these files print to the terminal or choose exit codes.
 */
#ifndef CART837_CLI_H
#define CART837_CLI_H

#include "cart837.h"

/* Exit codes, documented in README.md and cart837.1. */
enum {
  CLI_OK = 0,       /* no finding reached --fail-on */
  CLI_FINDINGS = 1, /* a finding reached --fail-on */
  CLI_USAGE = 2,    /* bad command line */
  CLI_INVALID = 3,  /* invalid input: unparseable or envelope errors */
  CLI_IO = 4,       /* I/O error, or an output could not be completed */
  CLI_SKIPPED = 5,  /* some inputs were skipped (not 837, unreadable) */
  CLI_LOCKED = 6,   /* the ledger is locked by another run */
  CLI_INTERRUPTED = 130
};

/* The more serious of two exit codes (I/O > invalid > skipped > findings). */
int cli_worse(int a, int b);

int cli_stats(int argc, char **argv);
int cli_codes(int argc, char **argv);
int cli_run(int argc, char **argv);
int cli_state(int argc, char **argv);

#endif
