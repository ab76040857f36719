/* cmd_codes.c -- `cart837 codes [--codes FILE] [CODE...]`
 *
 * Without a code, prints the code table in force (the built-in one, or it
 * merged with --codes FILE) as CSV, in the columns of specs/codes.csv, so
 * that the output can be edited and given back with --codes.  With codes,
 * prints each one's row as "field: value" lines.
 */
#include "cli/cli.h"

#include <string.h>

int cmd_codes(int argc, char **argv)
{
  c837_error err;
  c837_codetable *t = c837_codetable_builtin(&err);
  int i, rc = CLI_OK, ncodes = 0;
  argc--; /* argv[0]: "codes" */
  argv++;
  if (!t) {
    fprintf(stderr, "cart837: built-in code table: %s\n", err.msg);
    return CLI_IO;
  }
  for (i = 0; i < argc; i++) {
    if (strcmp(argv[i], "--codes") == 0 && i + 1 < argc) {
      if (c837_codetable_load(t, argv[++i], 0, &err) != C837_OK) {
        fprintf(stderr, "cart837: %s\n", err.msg);
        c837_codetable_free(t);
        return CLI_INVALID;
      }
    } else if (strncmp(argv[i], "--codes=", 8) == 0) {
      if (c837_codetable_load(t, argv[i] + 8, 0, &err) != C837_OK) {
        fprintf(stderr, "cart837: %s\n", err.msg);
        c837_codetable_free(t);
        return CLI_INVALID;
      }
    } else if (strcmp(argv[i], "--help") == 0) {
      puts("usage: cart837 codes [--codes FILE.csv] [CODE...]\n"
           "Prints the code table as CSV, or the rows of the given codes.");
      c837_codetable_free(t);
      return CLI_OK;
    } else if (argv[i][0] == '-') {
      fprintf(stderr, "cart837 codes: unknown option '%s'\n", argv[i]);
      c837_codetable_free(t);
      return CLI_USAGE;
    }
  }
  for (i = 0; i < argc; i++) {
    const c837_code *c;
    if (strcmp(argv[i], "--codes") == 0) {
      i++;
      continue;
    }
    if (argv[i][0] == '-')
      continue;
    ncodes++;
    c = c837_codetable_find(t, argv[i]);
    if (!c) {
      fprintf(stderr, "cart837 codes: %s is not in the code table\n",
              argv[i]);
      rc = cli_worse(rc, CLI_INVALID);
      continue;
    }
    if (ncodes > 1)
      putchar('\n');
    if (c837_code_describe(c, stdout) != C837_OK)
      rc = cli_worse(rc, CLI_IO);
  }
  if (ncodes == 0 && c837_codetable_write_csv(t, stdout, NULL) != C837_OK)
    rc = CLI_IO;
  if (fflush(stdout) != 0)
    rc = CLI_IO;
  c837_codetable_free(t);
  return rc;
}
