/* main.c -- entry point of the cart837 command
 *
 * Dispatches to a sub-command (stats, codes, state, run); with no
 * sub-command name, the arguments are those of `run`.  Everything else
 * lives in the cli_*.c files and in the library.
 */
#include "cli/cli.h"

#include <string.h>

static void usage(FILE *fp)
{
  fputs(
      "usage: cart837 [run] [OPTIONS] INPUT...   process 837 files\n"
      "       cart837 stats INPUT...             envelope and claim counts\n"
      "       cart837 codes [CODE]               the built-in code table\n"
      "       cart837 state merge A.csv B.csv    merge ledgers to stdout\n"
      "       cart837 state check FILE.csv       validate a ledger\n"
      "       cart837 state show FILE.csv        print a ledger\n"
      "       cart837 --help | --version\n"
      "Run 'cart837 run --help' for the options of a run.\n",
      fp);
}

int cli_worse(int a, int b)
{
  static const int rank[] = {CLI_OK,  CLI_FINDINGS, CLI_SKIPPED,
                             CLI_INVALID, CLI_IO, CLI_LOCKED,
                             CLI_USAGE, CLI_INTERRUPTED};
  int ra = 0, rb = 0, i;
  for (i = 0; i < (int)(sizeof rank / sizeof rank[0]); i++) {
    if (rank[i] == a)
      ra = i;
    if (rank[i] == b)
      rb = i;
  }
  return rb > ra ? b : a;
}

int main(int argc, char **argv)
{
  if (argc >= 2 && (strcmp(argv[1], "--help") == 0 ||
                    strcmp(argv[1], "-h") == 0)) {
    usage(stdout);
    return CLI_OK;
  }
  if (argc >= 2 && strcmp(argv[1], "--version") == 0) {
    printf("cart837 %s\n", CART837_VERSION);
    return CLI_OK;
  }
  if (argc < 2) {
    usage(stderr);
    return CLI_USAGE;
  }
  if (strcmp(argv[1], "stats") == 0)
    return cli_stats(argc - 2, argv + 2);
  if (strcmp(argv[1], "codes") == 0)
    return cli_codes(argc - 2, argv + 2);
  if (strcmp(argv[1], "state") == 0)
    return cli_state(argc - 2, argv + 2);
  if (strcmp(argv[1], "run") == 0)
    return cli_run(argc - 2, argv + 2);
  return cli_run(argc - 1, argv + 1);
}
