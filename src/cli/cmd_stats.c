/* cmd_stats.c -- `cart837 stats FILE...`: envelope and claim counts
 *
 * Reads each input through the streaming engine and prints, per file, the
 * interchanges, groups, transactions, claims and service lines, followed
 * by every envelope problem with its byte offset and segment number.
 */
#include "cli/cli.h"

#include <string.h>

typedef struct stats_ctx {
  const char *file;
  FILE *out;
  uint64_t problems;
} stats_ctx;

static int on_problem(void *ud, const c837_problem *p)
{
  stats_ctx *c = ud;
  c->problems++;
  fprintf(c->out, "  %s: byte %llu, segment %llu: %s: %s\n", c->file,
          (unsigned long long)p->offset, (unsigned long long)p->segment,
          p->code, p->msg);
  return 0;
}

int cmd_stats(int argc, char **argv)
{
  int i, rc = CLI_OK;
  argc--; /* argv[0]: "stats" */
  argv++;
  if (argc < 1) {
    fprintf(stderr, "cart837 stats: no input (try 'cart837 stats FILE...', "
                    "'-' for stdin)\n");
    return CLI_USAGE;
  }
  for (i = 0; i < argc; i++) {
    c837_error err;
    c837_counts n;
    stats_ctx ctx = {argv[i], stdout, 0};
    c837_handler h = {NULL, NULL, on_problem, &ctx};
    c837_input *in = c837_input_open(argv[i], &err);
    c837_status st;
    if (!in) {
      fprintf(stderr, "cart837: %s\n", err.msg);
      rc = cli_worse(rc, cli_exit_of(err.code));
      continue;
    }
    st = c837_stream_run(in, &h, NULL, NULL, &n, &err);
    c837_input_close(in);
    printf("%s: interchanges=%llu groups=%llu transactions=%llu "
           "claims=%llu lines=%llu 837P=%llu 837I=%llu 837D=%llu "
           "envelope_errors=%llu%s\n",
           argv[i], (unsigned long long)n.interchanges,
           (unsigned long long)n.groups, (unsigned long long)n.transactions,
           (unsigned long long)n.claims, (unsigned long long)n.lines,
           (unsigned long long)n.claims_p, (unsigned long long)n.claims_i,
           (unsigned long long)n.claims_d, (unsigned long long)ctx.problems,
           st == C837_OK ? "" : " (read stopped: see below)");
    if (st != C837_OK) {
      fprintf(stdout, "  %s: byte %llu, segment %llu: %s: %s\n", argv[i],
              (unsigned long long)err.offset,
              (unsigned long long)err.segment, c837_status_name(st),
              err.msg);
      rc = cli_worse(rc, cli_exit_of(st));
    } else if (ctx.problems) {
      rc = cli_worse(rc, CLI_INVALID);
    }
  }
  if (fflush(stdout) != 0 || ferror(stdout)) {
    fprintf(stderr, "cart837 stats: cannot write standard output\n");
    rc = cli_worse(rc, CLI_IO);
  }
  return rc;
}
