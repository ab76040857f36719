/* cmd_scale.c -- `cart837 extract | decide | apply | gather`: exact
 * scale-out of one run over machines (run/scale.h says how)
 *
 * extract [OPTIONS] -o EXT INPUT...
 *     a run with c837_run_options.extract over one part, then
 *     EXT/extract.csv;
 * decide [OPTIONS] -o DEC EXT1 EXT2...
 *     one run, report-only, over the starting ledger (--state, read and
 *     never written) that reads every extract's files as ghosts, part
 *     after part, and writes DEC/ledger.K.csv after part K,
 *     DEC/ledger.0.csv (the starting ledger as it was), DEC/part.K/
 *     (the extracts' files), DEC/decide.csv (every part's inputs);
 * apply --decided DEC --part K [OPTIONS] -o OUT INPUT...
 *     a run over DEC/ledger.0.csv (read-only) that reads the ghosts of
 *     parts 1..K-1 first, then its inputs -- which must be part K's, in
 *     its order -- and whose ledger must then be DEC/ledger.K.csv;
 * gather -o OUT OUT1 OUT2...
 *     OUT/findings.csv (ids numbered again) and OUT/lines.csv of the
 *     parts, in order.
 * Every mismatch between the parts is exit CLI_SCALE with its reason.
 */
#include "cli/cli.h"
#include "run/scale.h"
#include "base/util.h" /* c837_path_climbs */

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <string.h>
#include <unistd.h>

/* ---- shared --------------------------------------------------------- */

/* Options a step of the scale-out cannot take: 0, or a message and 1. */
static int refused(const cli_run_opts *o, const char *cmd, int state_ok)
{
  const char *why = NULL;
  int i;
  if (o->run.ack)
    why = "--ack (acknowledgments are numbered across the whole batch: "
          "run it in one piece)";
  else if (o->run.report_only)
    why = "--report-only";
  else if (o->run.state_path && !state_ok)
    why = "--state (apply reads the ledger decide kept)";
  for (i = 0; !why && i < o->n_inputs; i++)
    if (strcmp(o->inputs[i], "-") == 0)
      why = "standard input (a part is a list of files)";
  if (!why)
    return 0;
  fprintf(stderr, "cart837 %s: cannot take %s\n", cmd, why);
  return 1;
}

/* dir/name into buf; 0, or -1 (with a message) when it does not fit. */
static int join(char *buf, size_t sz, const char *dir, const char *name)
{
  if (snprintf(buf, sz, "%s/%s", dir, name) >= (int)sz) {
    fprintf(stderr, "cart837: path too long: %.200s/%.200s\n", dir, name);
    return -1;
  }
  return 0;
}

/* DEC/part.K/held/NAME into buf; 0 or -1 (said why). */
static int ghost_path(char *buf, size_t sz, const char *dec, int part,
                      const char *name)
{
  char dir[PATH_MAX];
  if (!*name || *name == '/' || c837_path_climbs(name)) {
    fprintf(stderr, "cart837: part %d: input name %.200s climbs out of "
                    "its directory: not a manifest cart837 wrote\n",
            part, name);
    return -1;
  }
  snprintf(dir, sizeof dir, "%s/part.%d/held", dec, part);
  return join(buf, sz, dir, name);
}

/* DEC/ledger.K.csv into buf. */
static void ledger_of(char *buf, size_t sz, const char *dec, int part)
{
  snprintf(buf, sz, "%s/ledger.%d.csv", dec, part);
}

/* Reads the ghosts of the rows of parts [from, to) (rows in part order)
 * into r; after each part with save, its ledger DEC/ledger.K.csv.
 * CLI_OK or CLI_SCALE (said why). */
static int read_ghosts(c837_run *r, const char *dec, const c837_part_row *rows,
                       size_t n, int to, int save)
{
  char path[PATH_MAX];
  c837_error err;
  size_t i = 0;
  int part;
  for (part = 1; part < to; part++) {
    for (; i < n && rows[i].part == part; i++) {
      c837_status st;
      if (!c837_part_has_held(rows[i].outcome))
        continue;
      if (ghost_path(path, sizeof path, dec, part, rows[i].file) != 0)
        return CLI_SCALE;
      if ((st = c837_run_ghost(r, path, rows[i].file)) != C837_OK) {
        fprintf(stderr,
                "cart837: part %d, %s: its extract (%s) could not be read "
                "again (%s): the parts cannot be put together\n",
                part, rows[i].file, path, c837_status_name(st));
        return CLI_SCALE;
      }
    }
    ledger_of(path, sizeof path, dec, part);
    if (save && c837_run_save_ledger(r, path, &err) != C837_OK) {
      fprintf(stderr, "cart837: %s\n", err.msg);
      return CLI_SCALE;
    }
  }
  return CLI_OK;
}

/* ---- extract -------------------------------------------------------- */

static int extract_after(c837_run *r, void *ud)
{
  char path[PATH_MAX];
  c837_error err;
  (void)ud;
  if (join(path, sizeof path, c837_run_out_dir(r), "extract.csv") != 0)
    return CLI_IO;
  if (c837_scale_write_extract(r, path, &err) != C837_OK) {
    fprintf(stderr, "cart837: %s\n", err.msg);
    return cli_exit_of(err.code);
  }
  return CLI_OK;
}

int cmd_extract(int argc, char **argv)
{
  cli_run_opts o;
  cli_run_hooks h = {NULL, extract_after, NULL};
  int rc = cli_run_parse(argc, argv, &o);
  if (rc < 0 && refused(&o, "extract", 0))
    rc = CLI_USAGE;
  if (rc < 0) {
    o.run.extract = 1;
    rc = cli_run_all(&o, &h);
  }
  cli_run_opts_free(&o);
  return rc;
}

/* ---- decide --------------------------------------------------------- */

typedef struct decide_ctx {
  const char *dec;
  c837_part_row *rows; /* every part's inputs, in part order (owned) */
  size_t n, cap;
  int parts;
} decide_ctx;

/* Moves rows[0..n) of part `part` to the end of d->rows (their names
 * too; rows itself is freed).  0, or -1 when out of memory (rows
 * freed). */
static int add_rows(decide_ctx *d, c837_part_row *rows, size_t n, int part)
{
  size_t i;
  if (d->n + n > d->cap) {
    size_t cap = d->cap ? d->cap : 64;
    c837_part_row *m;
    while (cap < d->n + n)
      cap *= 2;
    if (!(m = realloc(d->rows, cap * sizeof *m))) {
      c837_scale_free(rows, n);
      return -1;
    }
    d->rows = m;
    d->cap = cap;
  }
  for (i = 0; i < n; i++) {
    rows[i].part = part;
    d->rows[d->n++] = rows[i];
  }
  free(rows);
  return 0;
}

static int by_name(const void *a, const void *b)
{
  return strcmp((*(const c837_part_row *const *)a)->file,
                (*(const c837_part_row *const *)b)->file);
}

/* Refuses extracts that failed, and a name two parts read (one run would
 * have skipped the second: "another input already writes this output
 * name"); a skipped input takes no name.  CLI_OK or CLI_SCALE. */
static int check_rows(const decide_ctx *d)
{
  const c837_part_row **v = malloc((d->n ? d->n : 1) * sizeof *v);
  size_t i, m = 0;
  int rc = CLI_OK;
  if (!v) {
    fprintf(stderr, "cart837: out of memory\n");
    return CLI_IO;
  }
  for (i = 0; i < d->n; i++) {
    if (d->rows[i].outcome != C837_PART_SKIPPED)
      v[m++] = &d->rows[i];
    if (d->rows[i].outcome == C837_PART_FAILED && rc == CLI_OK) {
      fprintf(stderr, "cart837: part %d, %s: its extract failed (see that "
                      "extract's summary): extract the part again\n",
              d->rows[i].part, d->rows[i].file);
      rc = CLI_SCALE;
    }
  }
  qsort(v, m, sizeof *v, by_name);
  for (i = 1; i < m && rc == CLI_OK; i++)
    if (strcmp(v[i - 1]->file, v[i]->file) == 0) {
      fprintf(stderr, "cart837: input %s is in parts %d and %d: one run "
                      "would skip the second (give the parts distinct "
                      "names)\n",
              v[i]->file, v[i - 1]->part < v[i]->part ? v[i - 1]->part
                                                      : v[i]->part,
              v[i - 1]->part < v[i]->part ? v[i]->part : v[i - 1]->part);
      rc = CLI_SCALE;
    }
  free(v);
  return rc;
}

/* Reads EXT/extract.csv of every extract into d (part k = the k-th) and
 * copies their held files to DEC/part.K/held/.  CLI_OK or an exit code
 * (said why). */
static int take_extracts(decide_ctx *d, char *const *ext, int n_ext)
{
  char dir[PATH_MAX], src[PATH_MAX], dst[PATH_MAX];
  c837_error err;
  int k;
  for (k = 0; k < n_ext; k++) {
    c837_part_row *rows;
    size_t n, i, first = d->n;
    if (join(src, sizeof src, ext[k], "extract.csv") != 0)
      return CLI_USAGE;
    if (c837_scale_read(src, &rows, &n, &err) != C837_OK) {
      fprintf(stderr, "cart837: %s\n", err.msg);
      return cli_exit_of(err.code);
    }
    if (add_rows(d, rows, n, k + 1) != 0) {
      fprintf(stderr, "cart837: out of memory\n");
      return CLI_IO;
    }
    for (i = first; i < d->n; i++) {
      const char *name = d->rows[i].file;
      if (!c837_part_has_held(d->rows[i].outcome))
        continue;
      if (join(dir, sizeof dir, ext[k], "held") != 0 ||
          join(src, sizeof src, dir, name) != 0 ||
          ghost_path(dst, sizeof dst, d->dec, k + 1, name) != 0)
        return CLI_SCALE;
      if (c837_scale_copy(src, dst, &err) != C837_OK) {
        fprintf(stderr, "cart837: part %d: %s\n", k + 1, err.msg);
        return CLI_SCALE;
      }
    }
  }
  d->parts = n_ext;
  return check_rows(d);
}

static int decide_before(c837_run *r, void *ud)
{
  decide_ctx *d = ud;
  return read_ghosts(r, d->dec, d->rows, d->n, d->parts + 1, 1);
}

/* DEC/ledger.0.csv: the starting ledger as it was (none: none). */
static int keep_start(const char *dec, const char *state)
{
  char path[PATH_MAX];
  c837_error err;
  ledger_of(path, sizeof path, dec, 0);
  if (!state || access(state, F_OK) != 0) {
    unlink(path);
    return CLI_OK;
  }
  if (c837_scale_copy(state, path, &err) != C837_OK) {
    fprintf(stderr, "cart837: %s\n", err.msg);
    return CLI_IO;
  }
  return CLI_OK;
}

/* decide once its command line is parsed: the exit code. */
static int decide(cli_run_opts *o, decide_ctx *d)
{
  cli_run_hooks h = {decide_before, NULL, d};
  char path[PATH_MAX], run_dir[PATH_MAX];
  c837_error err;
  int rc;
  if (refused(o, "decide", 1))
    return CLI_USAGE;
  d->dec = o->run.out_dir ? o->run.out_dir : "cart837-out";
  if (mkdir(d->dec, 0777) != 0 && errno != EEXIST) {
    fprintf(stderr, "cart837: cannot create %s: %s\n", d->dec,
            strerror(errno));
    return CLI_IO;
  }
  if ((rc = take_extracts(d, o->inputs, o->n_inputs)) != CLI_OK ||
      (rc = keep_start(d->dec, o->run.state_path)) != CLI_OK)
    return rc;
  if (join(path, sizeof path, d->dec, "decide.csv") != 0)
    return CLI_USAGE;
  if (c837_scale_write_rows(d->rows, d->n, path, &err) != C837_OK) {
    fprintf(stderr, "cart837: %s\n", err.msg);
    return cli_exit_of(err.code);
  }
  /* the ghosts' run over the starting ledger (never written); its
   * reports, of nothing, in DEC/run */
  ledger_of(path, sizeof path, d->dec, 0);
  snprintf(run_dir, sizeof run_dir, "%s/run", d->dec);
  o->run.state_path = path;
  o->run.state_readonly = 1;
  o->run.report_only = 1;
  o->run.out_dir = run_dir;
  o->n_inputs = 0;
  return cli_run_all(o, &h);
}

int cmd_decide(int argc, char **argv)
{
  cli_run_opts o;
  decide_ctx d;
  int rc = cli_run_parse(argc, argv, &o);
  memset(&d, 0, sizeof d);
  if (rc < 0)
    rc = decide(&o, &d);
  c837_scale_free(d.rows, d.n);
  cli_run_opts_free(&o);
  return rc;
}

/* ---- apply ---------------------------------------------------------- */

typedef struct apply_ctx {
  const char *dec;
  int part;
  c837_part_row *rows; /* DEC/decide.csv */
  size_t n;
} apply_ctx;

static int apply_before(c837_run *r, void *ud)
{
  apply_ctx *a = ud;
  return read_ghosts(r, a->dec, a->rows, a->n, a->part, 0);
}

/* The run's record k (from *k on) that was read, not skipped, or NULL;
 * *k is left past it. */
static const c837_file_rec *next_read(const c837_run *r, size_t *k)
{
  size_t n = c837_run_record_count(r);
  while (*k < n) {
    const c837_file_rec *f = c837_run_record(r, (*k)++);
    if (!f->skipped)
      return f;
  }
  return NULL;
}

/* 1 when input f failed here as it did in its extract (row x): a
 * corrupt gzip fails every run alike; any other failure (I/O, memory)
 * is this machine's, and one run would not have had it (else a
 * message). */
static int same_fate(const c837_file_rec *f, const c837_part_row *x,
                     int part)
{
  int here = c837_part_outcome_of(f);
  int failed = here == C837_PART_FAILED || here == C837_PART_BROKEN;
  if (!failed && x->outcome != C837_PART_BROKEN)
    return 1;
  if (here == x->outcome)
    return 1;
  fprintf(stderr, "cart837: part %d, %s: %s here (%s), %s in its "
                  "extract: these outputs are not one run's (run the part "
                  "again)\n",
          part, f->name, failed ? "failed" : "read",
          f->reason ? f->reason : "no error",
          x->outcome == C837_PART_BROKEN ? "a corrupt gzip" : "read");
  return 0;
}

/* 1 when the inputs the run read are those part K read, in its order
 * (else a message).  Skipped inputs take no part: they are named by the
 * path given, which may differ from machine to machine. */
static int same_inputs(const c837_run *r, const apply_ctx *a)
{
  size_t i, k = 0, nth = 0;
  const c837_file_rec *f;
  for (i = 0; i < a->n; i++) {
    if (a->rows[i].part != a->part ||
        a->rows[i].outcome == C837_PART_SKIPPED)
      continue;
    nth++;
    f = next_read(r, &k);
    if (!f || strcmp(f->name, a->rows[i].file) != 0) {
      fprintf(stderr, "cart837: input %zu of part %d is %s, not %s as in "
                      "its extract (skipped inputs not counted): apply "
                      "takes the part's inputs in their order\n",
              nth, a->part, f ? f->name : "missing", a->rows[i].file);
      return 0;
    }
    if (!same_fate(f, &a->rows[i], a->part))
      return 0;
  }
  if ((f = next_read(r, &k)) != NULL) {
    fprintf(stderr, "cart837: part %d read %s, which its extract did not "
                    "read\n", a->part, f->name);
    return 0;
  }
  return 1;
}

static int apply_after(c837_run *r, void *ud)
{
  apply_ctx *a = ud;
  char tmp[PATH_MAX], check[PATH_MAX], want[PATH_MAX];
  c837_error err;
  int same;
  if (!same_inputs(r, a))
    return CLI_SCALE;
  /* the check's ledger in a directory of its own, made now: no output
   * of the run (whatever its input's name) can be there */
  if (join(tmp, sizeof tmp, c837_run_out_dir(r),
           ".cart837-check-XXXXXX") != 0)
    return CLI_SCALE;
  if (!mkdtemp(tmp)) {
    fprintf(stderr, "cart837: cannot create %s: %s\n", tmp,
            strerror(errno));
    return CLI_IO;
  }
  if (join(check, sizeof check, tmp, "ledger.csv") != 0) {
    rmdir(tmp);
    return CLI_SCALE;
  }
  if (c837_run_save_ledger(r, check, &err) != C837_OK) {
    fprintf(stderr, "cart837: %s\n", err.msg);
    unlink(check);
    rmdir(tmp);
    return CLI_IO;
  }
  ledger_of(want, sizeof want, a->dec, a->part);
  same = c837_scale_same_file(check, want);
  unlink(check);
  rmdir(tmp);
  if (same)
    return CLI_OK;
  fprintf(stderr,
          "cart837: part %d: the edits' memory after this part is not "
          "%s, which decide computed from its extract: these outputs are "
          "not those of one run over the batch (were the parts extracted, "
          "decided and applied with the same options, --run-date and code "
          "table?)\n",
          a->part, want);
  return CLI_SCALE;
}

/* Takes --decided DIR and --part K out of argv (*argc shortened). */
static int take_apply_args(int *argc, char **argv, apply_ctx *a)
{
  int i, j = 1, help = 0;
  for (i = 1; i < *argc; i++) {
    const char *v = NULL;
    if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
      help = 1;
    if (!strcmp(argv[i], "--decided") || !strcmp(argv[i], "--part")) {
      if (i + 1 >= *argc) {
        fprintf(stderr, "cart837 apply: %s needs a value\n", argv[i]);
        return -1;
      }
      v = argv[i + 1];
    } else if (!strncmp(argv[i], "--decided=", 10) ||
               !strncmp(argv[i], "--part=", 7)) {
      v = strchr(argv[i], '=') + 1;
    } else {
      argv[j++] = argv[i];
      continue;
    }
    if (argv[i][2] == 'd')
      a->dec = v;
    else
      a->part = atoi(v);
    if (v == argv[i + 1])
      i++;
  }
  *argc = j;
  argv[j] = NULL;
  if (!help && (!a->dec || a->part < 1)) {
    fprintf(stderr, "cart837 apply: needs --decided DIR and --part K "
                    "(1, 2, ...)\n");
    return -1;
  }
  return 0;
}

/* apply once its command line is parsed: the exit code. */
static int apply(cli_run_opts *o, apply_ctx *a)
{
  cli_run_hooks h = {apply_before, apply_after, a};
  char path[PATH_MAX];
  c837_error err;
  size_t i;
  int parts = 0;
  if (refused(o, "apply", 0) || join(path, sizeof path, a->dec,
                                      "decide.csv") != 0)
    return CLI_USAGE;
  if (c837_scale_read(path, &a->rows, &a->n, &err) != C837_OK) {
    fprintf(stderr, "cart837: %s\n", err.msg);
    return cli_exit_of(err.code);
  }
  /* decide writes the parts in order, 1, 2, ... (a part may have no
   * input), and a ledger after each */
  for (i = 0; i < a->n; i++) {
    if (a->rows[i].part < (parts ? parts : 1) || a->rows[i].part < 1) {
      fprintf(stderr, "cart837 apply: %s/decide.csv: row %zu: part %d "
                      "out of order: not a list decide wrote\n",
              a->dec, i + 1, a->rows[i].part);
      return CLI_SCALE;
    }
    parts = a->rows[i].part;
  }
  ledger_of(path, sizeof path, a->dec, a->part);
  if (access(path, F_OK) != 0) {
    fprintf(stderr, "cart837 apply: --part %d: %s has no ledger after "
                    "that part (%s): decide did not reach it\n",
            a->part, a->dec, path);
    return CLI_SCALE;
  }
  ledger_of(path, sizeof path, a->dec, 0);
  o->run.state_path = path;
  o->run.state_readonly = 1;
  return cli_run_all(o, &h);
}

int cmd_apply(int argc, char **argv)
{
  cli_run_opts o;
  apply_ctx a;
  int rc;
  memset(&a, 0, sizeof a);
  if (take_apply_args(&argc, argv, &a) != 0)
    return CLI_USAGE;
  rc = cli_run_parse(argc, argv, &o);
  if (rc < 0)
    rc = apply(&o, &a);
  c837_scale_free(a.rows, a.n);
  cli_run_opts_free(&o);
  return rc;
}

/* ---- gather --------------------------------------------------------- */

int cmd_gather(int argc, char **argv)
{
  static const char *const files[] = {"findings.csv", "lines.csv"};
  static const char *const ids[] = {"id", NULL};
  const char *out = NULL;
  char **in = NULL, dst[PATH_MAX];
  c837_error err;
  int i, n = 0, rc = CLI_OK;
  size_t f;
  for (i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "-o") && i + 1 < argc)
      out = argv[++i];
    else if (!strncmp(argv[i], "--out=", 6))
      out = argv[i] + 6;
    else
      argv[1 + n++] = argv[i];
  }
  if (!out || n < 1) {
    fprintf(stderr, "usage: cart837 gather -o OUT OUT1 OUT2...\n");
    return CLI_USAGE;
  }
  in = argv + 1;
  for (f = 0; f < 2 && rc == CLI_OK; f++) {
    const char **paths = malloc((size_t)n * sizeof *paths);
    char (*buf)[PATH_MAX] = malloc((size_t)n * sizeof *buf);
    if (!paths || !buf) {
      fprintf(stderr, "cart837: out of memory\n");
      rc = CLI_IO;
    }
    for (i = 0; rc == CLI_OK && i < n; i++) {
      if (join(buf[i], sizeof buf[i], in[i], files[f]) != 0)
        rc = CLI_USAGE;
      paths[i] = buf[i];
    }
    if (rc == CLI_OK && join(dst, sizeof dst, out, files[f]) != 0)
      rc = CLI_USAGE;
    if (rc == CLI_OK && c837_scale_concat_csv(paths, (size_t)n, ids[f], "\r\n",
                                              dst, &err) != C837_OK) {
      fprintf(stderr, "cart837: %s\n", err.msg);
      rc = cli_exit_of(err.code);
    }
    free(paths);
    free(buf);
  }
  return rc;
}
