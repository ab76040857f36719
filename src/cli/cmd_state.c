/* cmd_state.c -- `cart837 state merge|check|show`: ledger tools
 *
 * A batch too large for one machine is split over several runs, each with
 * its own --state ledger; `state merge A.csv B.csv ... > C.csv` joins
 * their ledgers into one, as if one run had seen every file (see
 * c837_ledger_merge for the rules).  `state check FILE` validates a
 * ledger and counts its rows; `state show FILE` prints it in the order
 * and form a run writes.  The logic lives in the run layer's ledger.c.
 */
#include "cli/cli.h"
#include "run/ledger.h"

#include <string.h>

static void state_usage(FILE *fp)
{
  fputs("usage: cart837 state merge LEDGER.csv... > MERGED.csv\n"
        "       cart837 state check LEDGER.csv\n"
        "       cart837 state show LEDGER.csv\n"
        "merge: union of the ledgers; of rows for the same line (source,\n"
        "       claim_id, lx) the one of the later run stays; a tombstone\n"
        "       (a line removed by a void or replacement) wins over a line\n"
        "       of the same run; then the later run_date, then the later\n"
        "       file.  Written to standard output.\n"
        "check: exit 0 and print the row count when the ledger is valid.\n"
        "show:  print the ledger as a run would write it.\n"
        "Exit status: 0 ok; 2 usage; 3 damaged ledger (FILE:LINE:COLUMN);\n"
        "4 I/O error.\n",
        fp);
}

int cmd_state(int argc, char **argv)
{
  c837_error err;
  c837_status st;
  argc--; /* argv[0]: "state" */
  argv++;
  if (argc < 1) {
    state_usage(stderr);
    return CLI_USAGE;
  }
  if (strcmp(argv[0], "-h") == 0 || strcmp(argv[0], "--help") == 0) {
    state_usage(stdout);
    return CLI_OK;
  }
  if (strcmp(argv[0], "merge") == 0 || strcmp(argv[0], "show") == 0) {
    int show = strcmp(argv[0], "show") == 0;
    if (argc < 2 || (show && argc != 2)) {
      fprintf(stderr, "cart837: state %s: %s\n", argv[0],
              show ? "give one ledger file" : "give one or more ledger files");
      state_usage(stderr);
      return CLI_USAGE;
    }
    st = c837_ledger_merge((const char *const *)(argv + 1),
                           (size_t)(argc - 1), stdout, &err);
    if (st != C837_OK)
      fprintf(stderr, "cart837: %s\n", err.msg);
    return cli_exit_of(st);
  }
  if (strcmp(argv[0], "check") == 0) {
    size_t rows;
    if (argc != 2) {
      fprintf(stderr, "cart837: state check: give one ledger file\n");
      state_usage(stderr);
      return CLI_USAGE;
    }
    st = c837_ledger_check(argv[1], &rows, &err);
    if (st != C837_OK) {
      fprintf(stderr, "cart837: %s\n", err.msg);
      return cli_exit_of(st);
    }
    printf("%s: %lu rows, valid\n", argv[1], (unsigned long)rows);
    return CLI_OK;
  }
  fprintf(stderr, "cart837: state: unknown command '%s'\n", argv[0]);
  state_usage(stderr);
  return CLI_USAGE;
}
