/* opts.c -- the command line of a run: getopt_long table -> run options
 *
 * `cart837 [run] [OPTIONS] INPUT...`: every option of README.md's table,
 * checked here; a bad one is one message ("cart837: --hold takes ...")
 * and exit 2, through the single error exit of cli_run_parse.
 */
#include "cli/cli.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void run_usage(FILE *fp)
{
  fputs(
      "usage: cart837 [run] [OPTIONS] INPUT...\n"
      "INPUT is a file (plain or gzip), a directory (walked recursively in\n"
      "sorted order) or '-' for standard input (then the corrected 837 goes\n"
      "to standard output).\n"
      "\n"
      "  -o, --out DIR           output directory (default ./cart837-out)\n"
      "      --codes FILE.csv    extend or override the built-in code table\n"
      "      --list-file NAME=FILE  load reference list NAME (revenue, pcs,\n"
      "                          ndc, indication, ptp) from FILE over the\n"
      "                          built-in one (repeatable)\n"
      "      --payers FILE.csv   payer options per class or payer id\n"
      "                          (specs/payers.md) over the built-in ones\n"
      "      --providers FILE.csv  billing providers of the payment window\n"
      "                          (non_ipps: 1 day, exempt: none)\n"
      "      --state FILE.csv    ledger of CAR-T lines across runs\n"
      "      --state-readonly    read the ledger, never write it\n"
      "      --no-wait           fail at once if the ledger is locked\n"
      "      --report-only       reports only, no 837 output (audit mode)\n"
      "      --hold MODE         held (default): held claims go to\n"
      "                          OUT/held/; none: keep them, only flag\n"
      "      --gzip, --no-gzip   compress outputs (default: as the input)\n"
      "      --follow-symlinks   follow symbolic links in an input directory\n"
      "                          that point out of it (default: skipped)\n"
      "      --gzip-level N      0 (stored) .. 9 (smallest) for gzip outputs\n"
      "                          (default 6)\n"
      "  -j, --jobs N            threads that read files ahead (default: the\n"
      "                          cores; 1: none; the same outputs)\n"
      "      --no-fast-path      model and check every claim in full (the\n"
      "                          same outputs, slower; for comparisons)\n"
      "      --sync-each         fsync every output file before its rename\n"
      "                          (default: one syncfs at the end of the run)\n"
      "      --fail-on LEVEL     error (default), warning or never: exit 1\n"
      "                          when a finding reaches LEVEL\n"
      "      --infusion-days N   INFUSION_TOO_SOON threshold (default 14)\n"
      "      --repeat-days N     REPEAT_ADMINISTRATION window of Medicare and\n"
      "                          of payer classes without their own\n"
      "                          (default 365; commercial and Medicaid:\n"
      "                          lifetime, set with --payers)\n"
      "      --max-lines N       the most CAR-T lines a run remembers (ledger\n"
      "                          and new); past it claims are held, exit 7\n"
      "      --run-date DATE     date stamped on new ledger rows\n"
      "                          (CCYY-MM-DD; default today)\n"
      "  -q, --quiet             no per-file messages and no summary\n"
      "      --progress          progress line even when stderr is not a\n"
      "                          terminal; --no-progress never\n"
      "  -h, --help              this text\n",
      fp);
  fputs(cli_ack_usage, fp);
  fputs(
      "\n"
      "Exit status: 0 no finding reached --fail-on; 1 one did; 2 usage;\n"
      "3 invalid input; 4 I/O error or output refused; 5 inputs skipped;\n"
      "6 ledger locked by another run; 7 the limit of remembered lines\n"
      "(--max-lines); 130/143/129 interrupted.\n",
      fp);
}

enum {
  O_CODES = 256, O_STATE, O_STATE_RO, O_NO_WAIT, O_REPORT_ONLY, O_HOLD,
  O_GZIP, O_NO_GZIP, O_FAIL_ON, O_INFUSION, O_REPEAT, O_RUN_DATE,
  O_PROGRESS, O_NO_PROGRESS, O_SYNC_EACH, O_FOLLOW, O_MAX_LINES,
  O_LIST_FILE, O_PAYERS, O_PROVIDERS, O_GZIP_LEVEL, O_NO_FAST
};

static const struct option longopts[] = {
    {"out", required_argument, NULL, 'o'},
    {"jobs", required_argument, NULL, 'j'},
    {"codes", required_argument, NULL, O_CODES},
    {"list-file", required_argument, NULL, O_LIST_FILE},
    {"payers", required_argument, NULL, O_PAYERS},
    {"providers", required_argument, NULL, O_PROVIDERS},
    {"state", required_argument, NULL, O_STATE},
    {"state-readonly", no_argument, NULL, O_STATE_RO},
    {"no-wait", no_argument, NULL, O_NO_WAIT},
    {"report-only", no_argument, NULL, O_REPORT_ONLY},
    {"hold", required_argument, NULL, O_HOLD},
    {"gzip", no_argument, NULL, O_GZIP},
    {"no-gzip", no_argument, NULL, O_NO_GZIP},
    {"gzip-level", required_argument, NULL, O_GZIP_LEVEL},
    {"sync-each", no_argument, NULL, O_SYNC_EACH},
    {"no-fast-path", no_argument, NULL, O_NO_FAST},
    {"follow-symlinks", no_argument, NULL, O_FOLLOW},
    {"max-lines", required_argument, NULL, O_MAX_LINES},
    {"fail-on", required_argument, NULL, O_FAIL_ON},
    {"infusion-days", required_argument, NULL, O_INFUSION},
    {"repeat-days", required_argument, NULL, O_REPEAT},
    {"run-date", required_argument, NULL, O_RUN_DATE},
    {"quiet", no_argument, NULL, 'q'},
    {"progress", no_argument, NULL, O_PROGRESS},
    {"no-progress", no_argument, NULL, O_NO_PROGRESS},
    {"help", no_argument, NULL, 'h'},
    CLI_ACK_LONGOPTS,
    {NULL, 0, NULL, 0}};

/* The most -j takes (the library's C837_MAX_JOBS may be larger). */
#define C837_CLI_MAX_JOBS 64

/* -j's default: the cores online, at most C837_CLI_MAX_JOBS. */
static int default_jobs(void)
{
  long n = sysconf(_SC_NPROCESSORS_ONLN);
  return n < 1 ? 1 : n > C837_CLI_MAX_JOBS ? C837_CLI_MAX_JOBS : (int)n;
}

static int parse_int(const char *s, int lo, int hi, int *out)
{
  char *end;
  long v = strtol(s, &end, 10);
  if (*s == '\0' || *end != '\0' || v < lo || v > hi)
    return -1;
  *out = (int)v;
  return 0;
}

/* "OPT takes WHAT, not 'ARG'" in why; returns -1. */
static int bad_value(char *why, size_t whysz, const char *opt,
                     const char *takes, const char *arg)
{
  snprintf(why, whysz, "%s takes %s, not '%s'", opt, takes, arg);
  return -1;
}

/* Options with a value that must be checked: 0, -1 with the reason in
 * why, or -2 for an option that is not one. */
static int set_valued(cli_run_opts *o, int c, const char *arg, char *why,
                      size_t whysz)
{
  c837_edit_options *e = &o->run.edit;
  switch (c) {
  case O_HOLD:
    if (strcmp(arg, "none") == 0)
      e->hold = 0;
    else if (strcmp(arg, "held") == 0 || strcmp(arg, "claims") == 0)
      e->hold = 1;
    else
      return bad_value(why, whysz, "--hold", "'held' or 'none'", arg);
    return 0;
  case O_FAIL_ON:
    if (strcmp(arg, "error") == 0)
      o->fail_on = C837_SEV_ERROR;
    else if (strcmp(arg, "warning") == 0)
      o->fail_on = C837_SEV_WARNING;
    else if (strcmp(arg, "never") == 0)
      o->fail_never = 1;
    else
      return bad_value(why, whysz, "--fail-on", "error, warning or never",
                       arg);
    return 0;
  case O_INFUSION:
    if (parse_int(arg, 0, 3650, &e->infusion_min_days) != 0)
      return bad_value(why, whysz, "--infusion-days", "0..3650", arg);
    return 0;
  case O_REPEAT:
    if (parse_int(arg, 0, 36500, &e->repeat_window_days) != 0)
      return bad_value(why, whysz, "--repeat-days", "0..36500", arg);
    return 0;
  case O_MAX_LINES: {
    char *end;
    unsigned long long v;
    if (arg[0] < '0' || arg[0] > '9')
      return bad_value(why, whysz, "--max-lines", "1..4294967295", arg);
    v = strtoull(arg, &end, 10);
    if (*end != '\0' || v < 1 || v > 4294967295ull)
      return bad_value(why, whysz, "--max-lines", "1..4294967295", arg);
    e->max_lines = v;
    return 0;
  }
  case 'j':
    if (parse_int(arg, 1, C837_CLI_MAX_JOBS, &o->run.jobs) != 0)
      return bad_value(why, whysz, "--jobs", "1..64", arg);
    return 0;
  case O_GZIP_LEVEL:
    if (parse_int(arg, 0, 9, &o->run.gzip_level) != 0)
      return bad_value(why, whysz, "--gzip-level", "0..9", arg);
    return 0;
  case O_RUN_DATE:
    if (c837_parse_iso_date((c837_span){arg, strlen(arg)},
                            &o->run.run_date) != 0)
      return bad_value(why, whysz, "--run-date", "CCYY-MM-DD", arg);
    return 0;
  default:
    return cli_ack_option(o, c, arg, why, whysz);
  }
}

/* One option c (argument arg): 0, 1 for --help, -1 with the reason in
 * why, or -2 for an unknown or incomplete option. */
static int set_option(cli_run_opts *o, int c, const char *arg, char *why,
                      size_t whysz)
{
  switch (c) {
  case 'o': o->run.out_dir = arg; return 0;
  case O_CODES: o->run.codes_path = arg; return 0;
  case O_LIST_FILE: o->lists[o->run.n_list_files++] = arg; return 0;
  case O_PAYERS: o->run.payers_path = arg; return 0;
  case O_PROVIDERS: o->run.providers_path = arg; return 0;
  case O_STATE: o->run.state_path = arg; return 0;
  case O_STATE_RO: o->run.state_readonly = 1; return 0;
  case O_NO_WAIT: o->run.lock_wait = 0; return 0;
  case O_REPORT_ONLY: o->run.report_only = 1; return 0;
  case O_GZIP: o->run.gzip = 1; return 0;
  case O_NO_GZIP: o->run.gzip = 0; return 0;
  case O_SYNC_EACH: o->run.sync_each = 1; return 0;
  case O_FOLLOW: o->run.follow_symlinks = 1; return 0;
  case O_NO_FAST: o->run.no_fast_path = 1; return 0;
  case 'q': o->quiet = 1; return 0;
  case O_PROGRESS: o->progress = 1; return 0;
  case O_NO_PROGRESS: o->progress = 0; return 0;
  case 'h': return 1;
  default: return set_valued(o, c, arg, why, whysz);
  }
}

/* Today (UTC) as CCYYMMDD, or 0. */
static int32_t today(void)
{
  time_t now = time(NULL);
  struct tm tmv;
  if (!gmtime_r(&now, &tmv))
    return 0;
  return (tmv.tm_year + 1900) * 10000 + (tmv.tm_mon + 1) * 100 +
         tmv.tm_mday;
}

void cli_run_opts_free(cli_run_opts *o)
{
  free(o->lists);
  o->lists = NULL;
  o->run.list_files = NULL;
  o->run.n_list_files = 0;
}

int cli_run_parse(int argc, char **argv, cli_run_opts *o)
{
  char why[300];
  int c, i, r, stdin_seen = 0, usage = 0;

  memset(o, 0, sizeof *o);
  c837_run_options_default(&o->run);
  /* at most one list spec per argument */
  o->lists = calloc((size_t)argc + 1, sizeof *o->lists);
  if (!o->lists) {
    fprintf(stderr, "cart837: out of memory\n");
    return CLI_IO;
  }
  o->run.list_files = o->lists;
  o->run.stdout_filter = 1;
  o->fail_on = C837_SEV_ERROR;
  o->progress = -1;
  o->run.jobs = default_jobs();
  optind = 1;
  opterr = 0;
  while ((c = getopt_long(argc, argv, "o:qhj:", longopts, NULL)) != -1) {
    r = set_option(o, c, optarg, why, sizeof why);
    if (r == 1) {
      run_usage(stdout);
      return CLI_OK;
    }
    if (r == -2) {
      snprintf(why, sizeof why, "unknown or incomplete option '%s'",
               argv[optind - 1]);
      usage = 1;
    }
    if (r < 0)
      goto bad;
  }
  o->inputs = argv + optind;
  o->n_inputs = argc - optind;
  if (o->n_inputs < 1) {
    snprintf(why, sizeof why, "no input (give files, directories or '-')");
    usage = 1;
    goto bad;
  }
  for (i = 0; i < o->n_inputs; i++)
    if (strcmp(o->inputs[i], "-") == 0 && stdin_seen++) {
      snprintf(why, sizeof why, "'-' (standard input) given twice");
      goto bad;
    }
  if (o->run.state_readonly && !o->run.state_path) {
    snprintf(why, sizeof why, "--state-readonly needs --state FILE");
    goto bad;
  }
  if (cli_ack_finish(o, why, sizeof why) != 0)
    goto bad;
  if (!o->run.run_date)
    o->run.run_date = today();
  return -1;
bad:
  fprintf(stderr, "cart837: %s\n", why);
  if (usage)
    run_usage(stderr);
  return CLI_USAGE;
}
