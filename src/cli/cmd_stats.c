/* cmd_stats.c -- `cart837 stats FILE...`: envelope and claim counts
 *
 * Reads each input through the streaming engine and prints, per file, the
 * interchanges, groups, transactions, claims and service lines, followed
 * by every envelope problem with its byte offset and segment number.  A
 * directory is walked as a run walks it (src/run/walk.c: sorted, X12
 * files only, the others skipped with the reason, exit 5).
 */
#include "cli/cli.h"

#include "run/walk.h"

#include <string.h>
#include <sys/stat.h>

typedef struct stats_ctx {
  const char *file;
  FILE *out;
  uint64_t problems;
  uint64_t errors; /* of those, of severity error */
} stats_ctx;

static int on_problem(void *ud, const c837_problem *p)
{
  stats_ctx *c = ud;
  c->problems++;
  c->errors += p->severity == C837_SEV_ERROR;
  fprintf(c->out, "  %s: byte %llu, segment %llu: %s: %s\n", c->file,
          (unsigned long long)p->offset, (unsigned long long)p->segment,
          p->code, p->msg);
  return 0;
}

/* Counts one input (path; "-" is standard input) and prints its line
 * and problems.  Returns its exit code. */
static int stats_one(const char *path)
{
  c837_error err;
  c837_counts n;
  stats_ctx ctx = {path, stdout, 0, 0};
  c837_handler h = {NULL, NULL, on_problem, &ctx};
  c837_input *in = c837_input_open(path, &err);
  c837_status st;
  if (!in) {
    fprintf(stderr, "cart837: %s\n", err.msg);
    return cli_exit_of(err.code);
  }
  st = c837_stream_run(in, &h, NULL, NULL, &n, &err);
  c837_input_close(in);
  printf("%s: interchanges=%llu groups=%llu transactions=%llu "
         "claims=%llu lines=%llu 837P=%llu 837I=%llu 837D=%llu "
         "envelope_errors=%llu%s\n",
         path, (unsigned long long)n.interchanges,
         (unsigned long long)n.groups, (unsigned long long)n.transactions,
         (unsigned long long)n.claims, (unsigned long long)n.lines,
         (unsigned long long)n.claims_p, (unsigned long long)n.claims_i,
         (unsigned long long)n.claims_d, (unsigned long long)ctx.problems,
         st == C837_OK ? "" : " (read stopped: see below)");
  if (st != C837_OK) {
    fprintf(stdout, "  %s: byte %llu, segment %llu: %s: %s\n", path,
            (unsigned long long)err.offset, (unsigned long long)err.segment,
            c837_status_name(st), err.msg);
    return cli_exit_of(st);
  }
  /* a warning (LX_MISSING) is printed, but the input is valid */
  return ctx.errors ? CLI_INVALID : CLI_OK;
}

/* The walk's callbacks (src/run/walk.h): a directory is walked as a run
 * walks it; *ud is the exit code so far. */
static c837_status walk_file(void *ud, const char *path, const char *name)
{
  int *rc = ud;
  (void)name;
  *rc = cli_worse(*rc, stats_one(path));
  return C837_OK;
}

static void walk_skip(void *ud, const char *name, const char *reason)
{
  int *rc = ud;
  fprintf(stderr, "cart837: skipped %s: %s\n", name, reason);
  *rc = cli_worse(*rc, CLI_SKIPPED);
}

static c837_status walk_fail(void *ud, const char *name,
                             const c837_error *err)
{
  int *rc = ud;
  fprintf(stderr, "cart837: %s: %s\n", name, err->msg);
  *rc = cli_worse(*rc, cli_exit_of(err->code));
  return err->code;
}

static int walk_cancelled(void *ud)
{
  (void)ud;
  return 0;
}

int cmd_stats(int argc, char **argv)
{
  int i, rc = CLI_OK;
  c837_walk_cb cb = {walk_file, walk_skip, walk_fail, walk_cancelled, NULL,
                     &rc};
  c837_walk w;
  argc--; /* argv[0]: "stats" */
  argv++;
  if (argc < 1) {
    fprintf(stderr, "cart837 stats: no input (try 'cart837 stats FILE...', "
                    "'-' for stdin)\n");
    return CLI_USAGE;
  }
  for (i = 0; i < argc; i++) {
    struct stat sb;
    if (strcmp(argv[i], "-") == 0 || stat(argv[i], &sb) != 0 ||
        !S_ISDIR(sb.st_mode)) {
      rc = cli_worse(rc, stats_one(argv[i]));
      continue;
    }
    c837_walk_init(&w, &cb, NULL);
    w.read_only = 1; /* no output names: every X12 file is counted */
    c837_walk_input(&w, argv[i]);
    c837_walk_free(&w);
  }
  if (fflush(stdout) != 0 || ferror(stdout)) {
    fprintf(stderr, "cart837 stats: cannot write standard output\n");
    rc = cli_worse(rc, CLI_IO);
  }
  return rc;
}
