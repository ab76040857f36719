/* cmd_codes.c -- `cart837 codes`: the code table, its reference lists,
 * and imports of public CMS files
 *
 *   cart837 codes [--codes FILE] [--list-file NAME=FILE]... [CODE...]
 *   cart837 codes [...] --list NAME
 *   cart837 codes [...] --import KIND FILE [--import-all]
 *                       [--valid-from CCYY-MM-DD]
 *
 * Without a code, prints the code table in force (the built-in one, or
 * it merged with --codes FILE) as CSV, in the columns of specs/codes.csv,
 * so that the output can be edited and given back with --codes.  With
 * codes, prints each one's row as "field: value" lines.  --list prints a
 * reference list (specs/codes.md) as CSV, given back with --list-file.
 * --import reads a public CMS file into the table in force (specs/codes.md,
 * "Imports"), prints its counts on stderr and the result on stdout: the
 * code table (hcpcs, mue, opps) or the list it changed (ptp, drg018 ->
 * pcs).
 */
#include "cli/cli.h"

#include <stdlib.h>
#include <string.h>

static const char usage_text[] =
    "usage: cart837 codes [--codes FILE.csv] [--list-file NAME=FILE]...\n"
    "                     [CODE... | --list NAME |\n"
    "                      --import KIND FILE [--import-all]\n"
    "                      [--valid-from CCYY-MM-DD]]\n"
    "Prints the code table as CSV, or the rows of the given codes; --list\n"
    "prints a reference list (revenue, pcs, ndc, indication, ptp);\n"
    "--import reads a CMS file (hcpcs, mue, ptp, opps, drg018) into the\n"
    "table in force and prints the table or the list it changed.\n";

/* What the command line of `codes` asks for. */
typedef struct codes_opts {
  const char *list;        /* --list NAME */
  const char *import_kind; /* --import KIND FILE */
  const char *import_file;
  c837_import_options io;
  int ncodes;
} codes_opts;

/* Prints the message and returns the exit code of a bad command line. */
static int bad(const char *what, const char *arg)
{
  fprintf(stderr, "cart837 codes: %s%s%s%s\n", what, arg ? " '" : "",
          arg ? arg : "", arg ? "'" : "");
  return CLI_USAGE;
}

/* Reads the options (loading --codes and --list-file into t as they come):
 * -1 to go on, else the exit code. */
static int parse(int argc, char **argv, c837_codetable *t, codes_opts *o)
{
  c837_error err;
  int i;
  memset(o, 0, sizeof *o);
  for (i = 0; i < argc; i++) {
    const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
    if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
      fputs(usage_text, stdout);
      return CLI_OK;
    }
    if (strncmp(a, "--codes=", 8) == 0 || strcmp(a, "--codes") == 0) {
      const char *path = a[7] == '=' ? a + 8 : v;
      if (!path)
        return bad("--codes needs a file", NULL);
      if (a[7] != '=')
        i++;
      if (c837_codetable_load(t, path, 0, &err) != C837_OK) {
        fprintf(stderr, "cart837: %s\n", err.msg);
        return cli_exit_of(err.code);
      }
    } else if (strcmp(a, "--list-file") == 0) {
      if (!v)
        return bad("--list-file needs NAME=FILE", NULL);
      i++;
      if (c837_run_load_list(t, v, &err) != C837_OK) {
        fprintf(stderr, "cart837: %s\n", err.msg);
        return cli_exit_of(err.code);
      }
    } else if (strcmp(a, "--list") == 0) {
      if (!v || c837_list_from_name(v) < 0)
        return bad("--list takes revenue, pcs, ndc, indication or ptp, not",
                   v ? v : "");
      o->list = v;
      i++;
    } else if (strcmp(a, "--import") == 0) {
      if (!v || i + 2 >= argc || c837_import_from_name(v) < 0)
        return bad("--import takes KIND FILE (KIND hcpcs, mue, ptp, opps "
                   "or drg018), not",
                   v ? v : "");
      o->import_kind = v;
      o->import_file = argv[i + 2];
      i += 2;
    } else if (strcmp(a, "--import-all") == 0) {
      o->io.all = 1;
    } else if (strcmp(a, "--valid-from") == 0) {
      if (!v || c837_parse_iso_date((c837_span){v, strlen(v)},
                                    &o->io.valid_from) != 0)
        return bad("--valid-from takes a date CCYY-MM-DD, not", v ? v : "");
      i++;
    } else if (a[0] == '-') {
      return bad("unknown option", a);
    } else {
      o->ncodes++;
    }
  }
  if ((o->list != NULL) + (o->import_kind != NULL) + (o->ncodes > 0) > 1)
    return bad("give codes, --list or --import, one of them", NULL);
  if ((o->io.all || o->io.valid_from) && !o->import_kind)
    return bad("--import-all and --valid-from go with --import", NULL);
  return -1;
}

/* --import: reads the file into t, prints the counts and the result. */
static int import(c837_codetable *t, const codes_opts *o)
{
  c837_import_kind k = (c837_import_kind)c837_import_from_name(o->import_kind);
  c837_import_stats st;
  c837_error err;
  c837_status s;
  if (c837_codetable_import(t, k, o->import_file, &o->io, &st, &err) !=
      C837_OK) {
    fprintf(stderr, "cart837: %s\n", err.msg);
    return cli_exit_of(err.code);
  }
  fprintf(stderr,
          "cart837 codes: %s %s: %llu records read, %llu matched, %llu rows "
          "changed, %llu added, %llu skipped\n",
          o->import_kind, o->import_file, (unsigned long long)st.records,
          (unsigned long long)st.matched, (unsigned long long)st.changed,
          (unsigned long long)st.added, (unsigned long long)st.skipped);
  if (k == C837_IMPORT_PTP)
    s = c837_codetable_write_list(t, C837_LIST_PTP, stdout);
  else if (k == C837_IMPORT_DRG018)
    s = c837_codetable_write_list(t, C837_LIST_PCS, stdout);
  else
    s = c837_codetable_write_csv(t, stdout, NULL);
  return s == C837_OK ? CLI_OK : CLI_IO;
}

/* The rows of the codes named in argv, as "field: value" lines. */
static int describe(const c837_codetable *t, int argc, char **argv)
{
  int i, rc = CLI_OK, n = 0;
  for (i = 0; i < argc; i++) {
    const c837_code *c;
    const char *a = argv[i];
    if (strcmp(a, "--codes") == 0 || strcmp(a, "--list-file") == 0 ||
        strcmp(a, "--list") == 0 || strcmp(a, "--valid-from") == 0) {
      i++;
      continue;
    }
    if (a[0] == '-')
      continue;
    c = c837_codetable_find(t, a);
    if (!c) {
      fprintf(stderr, "cart837 codes: %s is not in the code table\n", a);
      rc = cli_worse(rc, CLI_INVALID);
      continue;
    }
    if (n++ > 0)
      putchar('\n');
    if (c837_code_describe(c, stdout) != C837_OK)
      rc = cli_worse(rc, CLI_IO);
  }
  return rc;
}

int cmd_codes(int argc, char **argv)
{
  c837_error err;
  c837_codetable *t = c837_codetable_builtin(&err);
  codes_opts o;
  int rc;
  argc--; /* argv[0]: "codes" */
  argv++;
  if (!t) {
    fprintf(stderr, "cart837: built-in code table: %s\n", err.msg);
    return CLI_IO;
  }
  rc = parse(argc, argv, t, &o);
  if (rc < 0) {
    if (o.import_kind)
      rc = import(t, &o);
    else if (o.list)
      rc = c837_codetable_write_list(t, (c837_list)c837_list_from_name(
                                            o.list),
                                     stdout) == C837_OK
               ? CLI_OK
               : CLI_IO;
    else if (o.ncodes)
      rc = describe(t, argc, argv);
    else
      rc = c837_codetable_write_csv(t, stdout, NULL) == C837_OK ? CLI_OK
                                                                : CLI_IO;
  }
  if (fflush(stdout) != 0)
    rc = CLI_IO;
  c837_codetable_free(t);
  return rc;
}
