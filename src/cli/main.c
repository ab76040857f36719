/* main.c -- entry point of the cart837 command
 *
 * Dispatches to a sub-command (stats, codes, state, run); with no
 * sub-command name, the arguments are those of `run`.  Everything else
 * lives in the cmd_*.c files (and opts.c, log.c, exit.c) and in the
 * library.
 */
#include "cli/cli.h"

#include <string.h>

static void usage(FILE *fp)
{
  fputs(
      "usage: cart837 [run] [OPTIONS] INPUT...   process 837 files\n"
      "       cart837 stats INPUT...             envelope and claim counts\n"
      "       cart837 codes [CODE...]            the code table (CSV), or codes\n"
      "       cart837 codes --list NAME          a reference list (CSV)\n"
      "       cart837 codes --import KIND FILE   a CMS file into the table\n"
      "       cart837 state merge A.csv B.csv    merge ledgers to stdout\n"
      "       cart837 state check FILE.csv       validate a ledger\n"
      "       cart837 state show FILE.csv        print a ledger\n"
      "       cart837 extract [OPTIONS] -o EXT INPUT...   a part's extract\n"
      "       cart837 decide [OPTIONS] -o DEC EXT...      the parts' memory\n"
      "       cart837 apply --decided DEC --part K [OPTIONS] -o OUT INPUT...\n"
      "       cart837 gather -o OUT OUT1 OUT2...           the parts' reports\n"
      "       cart837 --help | --version\n"
      "Run 'cart837 run --help' for the options of a run.\n",
      fp);
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
  /* each sub-command gets its own argv, argv[0] its name */
  if (strcmp(argv[1], "stats") == 0)
    return cmd_stats(argc - 1, argv + 1);
  if (strcmp(argv[1], "codes") == 0)
    return cmd_codes(argc - 1, argv + 1);
  if (strcmp(argv[1], "state") == 0)
    return cmd_state(argc - 1, argv + 1);
  if (strcmp(argv[1], "extract") == 0)
    return cmd_extract(argc - 1, argv + 1);
  if (strcmp(argv[1], "decide") == 0)
    return cmd_decide(argc - 1, argv + 1);
  if (strcmp(argv[1], "apply") == 0)
    return cmd_apply(argc - 1, argv + 1);
  if (strcmp(argv[1], "gather") == 0)
    return cmd_gather(argc - 1, argv + 1);
  if (strcmp(argv[1], "run") == 0)
    return cmd_run(argc - 1, argv + 1);
  return cmd_run(argc, argv); /* no sub-command: a run */
}
