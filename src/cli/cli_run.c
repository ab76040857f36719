/* cli_run.c -- `cart837 [run] [OPTIONS] INPUT...`: the main job
 *
 * Parses the options of a run, installs the SIGINT/SIGTERM handlers that
 * stop it cleanly (and ignores SIGPIPE: a closed standard output is a
 * write error like any other), hands every input to the library's job
 * (files, directories, "-" for stdin), prints the progress line on a
 * terminal and the short summary, and turns the outcome into an exit
 * code.
 */
#include "cli/cli.h"

#include <getopt.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t g_signal; /* the CLI's, not the library's */
static volatile sig_atomic_t g_cancel;

static void on_signal(int sig)
{
  g_signal = sig;
  g_cancel = 1;
}

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
      "      --state FILE.csv    ledger of CAR-T lines across runs\n"
      "      --state-readonly    read the ledger, never write it\n"
      "      --no-wait           fail at once if the ledger is locked\n"
      "      --report-only       reports only, no 837 output (audit mode)\n"
      "      --hold MODE         held (default): held claims go to\n"
      "                          OUT/held/; none: keep them, only flag\n"
      "      --gzip, --no-gzip   compress outputs (default: as the input)\n"
      "      --sync-each         fsync every output file before its rename\n"
      "                          (default: one syncfs at the end of the run)\n"
      "      --fail-on LEVEL     error (default), warning or never: exit 1\n"
      "                          when a finding reaches LEVEL\n"
      "      --infusion-days N   INFUSION_TOO_SOON threshold (default 14)\n"
      "      --repeat-days N     REPEAT_ADMINISTRATION window (default 365)\n"
      "      --run-date DATE     date stamped on new ledger rows\n"
      "                          (CCYY-MM-DD; default today)\n"
      "  -q, --quiet             no per-file messages and no summary\n"
      "      --progress          progress line even when stderr is not a\n"
      "                          terminal; --no-progress never\n"
      "  -h, --help              this text\n"
      "\n"
      "Exit status: 0 no finding reached --fail-on; 1 one did; 2 usage;\n"
      "3 invalid input; 4 I/O error or output refused; 5 inputs skipped;\n"
      "6 ledger locked by another run; 130/143 interrupted.\n",
      fp);
}

/* What the progress line knows before the run: its start and, when every
 * input is a plain file named on the command line, how many files and
 * bytes there are (directories, stdin and gzip make the total unknown:
 * gzip because progress counts decompressed bytes). */
typedef struct progress_ctx {
  time_t start;
  uint64_t files_total; /* 0 = unknown */
  uint64_t bytes_total; /* 0 = unknown */
} progress_ctx;

static void progress_totals(progress_ctx *pc, int argc, char **argv)
{
  int i;
  pc->files_total = pc->bytes_total = 0;
  for (i = 0; i < argc; i++) {
    struct stat sb;
    unsigned char m[2] = {0, 0};
    FILE *fp;
    if (strcmp(argv[i], "-") == 0 || stat(argv[i], &sb) != 0 ||
        !S_ISREG(sb.st_mode))
      goto unknown;
    fp = fopen(argv[i], "rb");
    if (fp) {
      size_t n = fread(m, 1, 2, fp);
      fclose(fp);
      if (n == 2 && m[0] == 0x1f && m[1] == 0x8b)
        goto unknown;
    }
    pc->files_total++;
    pc->bytes_total += (uint64_t)sb.st_size;
  }
  return;
unknown:
  pc->files_total = pc->bytes_total = 0;
}

static void progress_line(void *ud, const c837_progress *p)
{
  const progress_ctx *pc = ud;
  double secs = difftime(time(NULL), pc->start);
  double mb = (double)p->bytes / 1048576.0;
  uint64_t bytes_total = p->bytes_total ? p->bytes_total : pc->bytes_total;
  uint64_t files_total = p->files_total ? p->files_total : pc->files_total;
  char eta[32] = "", files[48];
  if (bytes_total > p->bytes && p->bytes && secs > 0) {
    double rest = (double)(bytes_total - p->bytes) / ((double)p->bytes / secs);
    snprintf(eta, sizeof eta, " ETA %.0fs", rest);
  }
  if (files_total)
    snprintf(files, sizeof files, "%llu/%llu files",
             (unsigned long long)p->files_done,
             (unsigned long long)files_total);
  else
    snprintf(files, sizeof files, "%llu files",
             (unsigned long long)p->files_done);
  fprintf(stderr, "\r%s  %.1f MB  %llu claims  %.1f MB/s%s  %s\033[K",
          files, mb, (unsigned long long)p->claims,
          secs > 0 ? mb / secs : 0.0, eta, p->file ? p->file : "");
  fflush(stderr);
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


static int status_exit(c837_status st)
{
  switch (st) {
  case C837_OK:
    return CLI_OK;
  case C837_EIO:
  case C837_EGZIP:
  case C837_ECONSERVE:
  case C837_ENOMEM:
    return CLI_IO;
  case C837_ELOCK:
    return CLI_LOCKED;
  case C837_EINTR:
    return CLI_INTERRUPTED;
  case C837_EINVAL:
    return CLI_USAGE;
  default:
    return CLI_INVALID;
  }
}

int cli_run(int argc, char **argv)
{
  enum {
    O_CODES = 256, O_STATE, O_STATE_RO, O_NO_WAIT, O_REPORT_ONLY, O_HOLD,
    O_GZIP, O_NO_GZIP, O_FAIL_ON, O_INFUSION, O_REPEAT, O_RUN_DATE,
    O_PROGRESS, O_NO_PROGRESS, O_SYNC_EACH
  };
  static const struct option longopts[] = {
      {"out", required_argument, NULL, 'o'},
      {"codes", required_argument, NULL, O_CODES},
      {"state", required_argument, NULL, O_STATE},
      {"state-readonly", no_argument, NULL, O_STATE_RO},
      {"no-wait", no_argument, NULL, O_NO_WAIT},
      {"report-only", no_argument, NULL, O_REPORT_ONLY},
      {"hold", required_argument, NULL, O_HOLD},
      {"gzip", no_argument, NULL, O_GZIP},
      {"no-gzip", no_argument, NULL, O_NO_GZIP},
      {"sync-each", no_argument, NULL, O_SYNC_EACH},
      {"fail-on", required_argument, NULL, O_FAIL_ON},
      {"infusion-days", required_argument, NULL, O_INFUSION},
      {"repeat-days", required_argument, NULL, O_REPEAT},
      {"run-date", required_argument, NULL, O_RUN_DATE},
      {"quiet", no_argument, NULL, 'q'},
      {"progress", no_argument, NULL, O_PROGRESS},
      {"no-progress", no_argument, NULL, O_NO_PROGRESS},
      {"help", no_argument, NULL, 'h'},
      {NULL, 0, NULL, 0}};
  c837_job_options o;
  c837_job *job;
  c837_error err;
  c837_severity fail_on = C837_SEV_ERROR;
  int fail_never = 0, progress = -1, c, i, rc = CLI_OK, stdin_seen = 0;
  progress_ctx pc;
  struct sigaction sa;

  c837_job_options_default(&o);
  optind = 0; /* argv[0] is the first option here */
  opterr = 0;
  {
    /* getopt wants a program name in argv[0] */
    char **av = malloc((size_t)(argc + 2) * sizeof *av);
    if (!av)
      return CLI_IO;
    av[0] = "cart837";
    for (i = 0; i < argc; i++)
      av[i + 1] = argv[i];
    av[argc + 1] = NULL;
    argv = av;
    argc++;
  }
  optind = 1;
  while ((c = getopt_long(argc, argv, "o:qh", longopts, NULL)) != -1) {
    switch (c) {
    case 'o':
      o.out_dir = optarg;
      break;
    case O_CODES:
      o.codes_path = optarg;
      break;
    case O_STATE:
      o.state_path = optarg;
      break;
    case O_STATE_RO:
      o.state_readonly = 1;
      break;
    case O_NO_WAIT:
      o.lock_wait = 0;
      break;
    case O_REPORT_ONLY:
      o.report_only = 1;
      break;
    case O_HOLD:
      if (strcmp(optarg, "none") == 0)
        o.edit.hold = 0;
      else if (strcmp(optarg, "held") == 0 || strcmp(optarg, "claims") == 0)
        o.edit.hold = 1;
      else {
        fprintf(stderr, "cart837: --hold takes 'held' or 'none', not '%s'\n",
                optarg);
        free(argv);
        return CLI_USAGE;
      }
      break;
    case O_GZIP:
      o.gzip = 1;
      break;
    case O_NO_GZIP:
      o.gzip = 0;
      break;
    case O_SYNC_EACH:
      o.sync_each = 1;
      break;
    case O_FAIL_ON:
      if (strcmp(optarg, "error") == 0)
        fail_on = C837_SEV_ERROR;
      else if (strcmp(optarg, "warning") == 0)
        fail_on = C837_SEV_WARNING;
      else if (strcmp(optarg, "never") == 0)
        fail_never = 1;
      else {
        fprintf(stderr, "cart837: --fail-on takes error, warning or never, "
                        "not '%s'\n", optarg);
        free(argv);
        return CLI_USAGE;
      }
      break;
    case O_INFUSION:
      if (parse_int(optarg, 0, 3650, &o.edit.infusion_min_days) != 0) {
        fprintf(stderr, "cart837: --infusion-days takes 0..3650, not '%s'\n",
                optarg);
        free(argv);
        return CLI_USAGE;
      }
      break;
    case O_REPEAT:
      if (parse_int(optarg, 0, 36500, &o.edit.repeat_window_days) != 0) {
        fprintf(stderr, "cart837: --repeat-days takes 0..36500, not '%s'\n",
                optarg);
        free(argv);
        return CLI_USAGE;
      }
      break;
    case O_RUN_DATE:
      if (c837_parse_iso_date((c837_span){optarg, strlen(optarg)},
                              &o.run_date) != 0) {
        fprintf(stderr, "cart837: --run-date takes CCYY-MM-DD, not '%s'\n",
                optarg);
        free(argv);
        return CLI_USAGE;
      }
      break;
    case 'q':
      o.quiet = 1;
      break;
    case O_PROGRESS:
      progress = 1;
      break;
    case O_NO_PROGRESS:
      progress = 0;
      break;
    case 'h':
      run_usage(stdout);
      free(argv);
      return CLI_OK;
    default:
      fprintf(stderr, "cart837: unknown or incomplete option '%s'\n",
              argv[optind - 1]);
      run_usage(stderr);
      free(argv);
      return CLI_USAGE;
    }
  }
  if (optind >= argc) {
    fprintf(stderr, "cart837: no input (give files, directories or '-')\n");
    run_usage(stderr);
    free(argv);
    return CLI_USAGE;
  }
  for (i = optind; i < argc; i++)
    if (strcmp(argv[i], "-") == 0 && stdin_seen++) {
      fprintf(stderr, "cart837: '-' (standard input) given twice\n");
      free(argv);
      return CLI_USAGE;
    }
  if (o.state_readonly && !o.state_path) {
    fprintf(stderr, "cart837: --state-readonly needs --state FILE\n");
    free(argv);
    return CLI_USAGE;
  }
  if (!o.run_date) {
    time_t now = time(NULL);
    struct tm tmv;
    if (gmtime_r(&now, &tmv))
      o.run_date = (tmv.tm_year + 1900) * 10000 + (tmv.tm_mon + 1) * 100 +
                   tmv.tm_mday;
  }
  o.stdout_filter = 1;
  o.cancel = &g_cancel;
  if (progress == 1 || (progress == -1 && !o.quiet && isatty(STDERR_FILENO))) {
    pc.start = time(NULL);
    progress_totals(&pc, argc - optind, argv + optind);
    o.progress = progress_line;
    o.progress_ud = &pc;
  }

  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, NULL);
  sigaction(SIGTERM, &sa, NULL);
  /* a reader of standard output that goes away (`cart837 - | head`)
   * makes the write fail with EPIPE -- an I/O error of that file, exit 4,
   * its temporary files removed -- instead of SIGPIPE killing the run
   * with temporary files left behind */
  sa.sa_handler = SIG_IGN;
  sigaction(SIGPIPE, &sa, NULL);

  job = c837_job_new(&o, &err);
  if (!job) {
    fprintf(stderr, "cart837: %s\n", err.msg);
    free(argv);
    if (err.code == C837_EINTR && g_signal == SIGTERM)
      return 143; /* stopped while waiting for the ledger lock */
    return status_exit(err.code);
  }
  for (i = optind; i < argc && !g_cancel; i++) {
    c837_status st = c837_job_input(job, argv[i]);
    if (st != C837_OK)
      rc = cli_worse(rc, status_exit(st));
  }
  if (o.progress)
    fputs("\r\033[K", stderr);
  if (g_cancel) {
    c837_job_free(job);
    fprintf(stderr, "cart837: stopped by signal %d; no output, report or "
                    "ledger change was kept for unfinished work\n",
            (int)g_signal);
    free(argv);
    return g_signal == SIGTERM ? 143 : CLI_INTERRUPTED;
  }
  if (c837_job_finish(job, &err) != C837_OK) {
    fprintf(stderr, "cart837: %s\n", err.msg);
    rc = cli_worse(rc, status_exit(err.code));
  }
  if (!o.quiet)
    c837_job_print_summary(job, stderr);
  if (c837_job_totals(job)->files_skipped)
    rc = cli_worse(rc, CLI_SKIPPED);
  if (!fail_never && c837_job_has_finding(job, fail_on))
    rc = cli_worse(rc, CLI_FINDINGS);
  c837_job_free(job);
  free(argv);
  return rc;
}
