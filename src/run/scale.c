/* scale.c -- exact scale-out of one run over machines (scale.h)
 *
 * The manifests of extract and decide (part,file,outcome: csvschema over
 * libcsv), the copies decide makes of the extracts, the byte comparison
 * apply makes of its ledger with decide's, and gather's concatenation of
 * the parts' reports (libcsv: every field read by csvpos, written back
 * through csv_fwrite as the reports write it, so that one part's file
 * comes out byte for byte as it went in).
 */
#include "run/scale.h"
#include "run/sink.h"
#include "base/buf.h"
#include "base/csvpos.h"
#include "base/csvschema.h"
#include "base/err.h"
#include "base/limits.h"

#include <csv.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static const char *const outcome_names[] = {"none", "claims", "whole",
                                            "skipped", "failed", "broken"};

/* A row as the schema reads and writes it (a name of PATH_MAX bytes); the
 * callers' rows keep the name on the heap (c837_part_row). */
typedef struct csv_row {
  int part;
  char file[PATH_MAX];
  int outcome;
} csv_row;

static const c837_csvcol part_cols[] = {
    {.name = "part", .type = C837_COL_INT, C837_COL_AT(csv_row, part),
     .flags = C837_COL_REQUIRED, .min = 0, .max = INT32_MAX,
     .expect = "a part number"},
    {.name = "file", .type = C837_COL_BYTES, C837_COL_AT(csv_row, file),
     .flags = C837_COL_REQUIRED},
    {.name = "outcome", .type = C837_COL_ENUM,
     C837_COL_AT(csv_row, outcome), .flags = C837_COL_REQUIRED,
     .names = outcome_names,
     .n_names = sizeof outcome_names / sizeof outcome_names[0]},
};

static const c837_csvschema part_schema = {
    part_cols, sizeof part_cols / sizeof part_cols[0], sizeof(csv_row), 0,
    "nothing", NULL};

int c837_part_has_held(int outcome)
{
  return outcome == C837_PART_CLAIMS || outcome == C837_PART_WHOLE;
}

/* ---- writing -------------------------------------------------------- */

/* Opens o for path (its directory made); C837_OK or the error. */
static c837_status open_out(c837_out *o, const char *path, c837_error *err)
{
  if (c837_mkdirs_for(path, err) != C837_OK)
    return err->code;
  c837_out_init(o, path, 0);
  return c837_out_open(o, err);
}

/* Ends o: flushed (a write error named), then committed. */
static c837_status close_out(c837_out *o, int werr, const char *path,
                             c837_error *err)
{
  if (werr || fflush(c837_out_fp(o)) != 0) {
    c837_error_set(err, C837_EIO, 0, 0, "cannot write %.200s: %s", path,
                   strerror(errno ? errno : EIO));
    c837_out_abort(o);
    return C837_EIO;
  }
  return c837_out_commit(o, err);
}

/* Writes the n rows that row(ud, i, &r) gives (0, or -1 for a name too
 * long) to path, atomically. */
static c837_status write_manifest(size_t n,
                                  int (*row)(void *, size_t, csv_row *),
                                  void *ud, const char *path, c837_error *err)
{
  c837_out o;
  csv_row *r = malloc(sizeof *r);
  size_t i;
  int werr;
  if (!r)
    return c837_error_set(err, C837_ENOMEM, 0, 0, "out of memory");
  if (open_out(&o, path, err) != C837_OK) {
    free(r);
    return err->code;
  }
  werr = c837_csvschema_write_header(&part_schema, c837_out_fp(&o), "\n");
  for (i = 0; i < n && !werr; i++) {
    if (row(ud, i, r) != 0) {
      free(r);
      c837_out_abort(&o);
      return c837_error_set(err, C837_EINVAL, 0, 0,
                            "an input name too long for %.200s", path);
    }
    werr = c837_csvschema_write_row(&part_schema, r, c837_out_fp(&o), "\n");
  }
  free(r);
  return close_out(&o, werr, path, err);
}

/* Row i of a c837_part_row array. */
static int array_row(void *ud, size_t i, csv_row *r)
{
  const c837_part_row *x = (const c837_part_row *)ud + i;
  r->part = x->part;
  r->outcome = x->outcome;
  return snprintf(r->file, sizeof r->file, "%s", x->file) <
                 (int)sizeof r->file
             ? 0
             : -1;
}

c837_status c837_scale_write_rows(const c837_part_row *rows, size_t n,
                                  const char *path, c837_error *err)
{
  return write_manifest(n, array_row, (void *)rows, path, err);
}

int c837_part_outcome_of(const c837_file_rec *f)
{
  if (f->skipped)
    return C837_PART_SKIPPED;
  if (f->held_whole)
    return C837_PART_WHOLE;
  if (f->status == C837_EGZIP)
    return C837_PART_BROKEN; /* the input's bytes, not the machine */
  if (f->status != C837_OK)
    return C837_PART_FAILED;
  return f->t.claims_held ? C837_PART_CLAIMS : C837_PART_NONE;
}

/* Row i of a run's records (part 0). */
static int record_row(void *ud, size_t i, csv_row *r)
{
  const c837_file_rec *f = c837_run_record(ud, i);
  r->part = 0;
  r->outcome = c837_part_outcome_of(f);
  return snprintf(r->file, sizeof r->file, "%s", f->name) <
                 (int)sizeof r->file
             ? 0
             : -1;
}

c837_status c837_scale_write_extract(const c837_run *r, const char *path,
                                     c837_error *err)
{
  return write_manifest(c837_run_record_count(r), record_row, (void *)r,
                        path, err);
}

/* ---- reading -------------------------------------------------------- */

typedef struct mread {
  c837_csvread R;
  csv_row cur;
  c837_part_row *rows;
  size_t n, cap;
} mread;

static void on_row(void *ud, void *row, unsigned long record_line)
{
  mread *M = ud;
  const csv_row *r = row;
  char *name;
  if (c837_vec_reserve(&M->rows, &M->cap, M->n + 1, sizeof *M->rows, 64,
                       0) != 0 ||
      !(name = strdup(r->file))) {
    c837_csvpos_fail(&M->R.pos, C837_ENOMEM, record_line, 0, NULL,
                     "out of memory");
    return;
  }
  M->rows[M->n].part = r->part;
  M->rows[M->n].outcome = r->outcome;
  M->rows[M->n++].file = name;
}

void c837_scale_free(c837_part_row *rows, size_t n)
{
  size_t i;
  for (i = 0; rows && i < n; i++)
    free(rows[i].file);
  free(rows);
}

/* Feeds the whole of the file at path to P; C837_OK, or C837_EIO when it
 * cannot be opened or read (then in P->st too: the parse is over). */
static c837_status feed_file(const char *path, c837_csvpos *P,
                             c837_error *err)
{
  char buf[16384];
  size_t got;
  FILE *fp = fopen(path, "rb");
  if (!fp)
    return P->st = c837_error_set(err, C837_EIO, 0, 0,
                                  "cannot open %.200s: %s", path,
                                  strerror(errno));
  while (P->st == C837_OK && (got = fread(buf, 1, sizeof buf, fp)) > 0)
    c837_csvpos_feed(P, buf, got);
  if (P->st == C837_OK && ferror(fp))
    P->st = c837_error_set(err, C837_EIO, 0, 0, "cannot read %.200s: %s",
                           path, strerror(errno));
  fclose(fp);
  return P->st;
}

c837_status c837_scale_read(const char *path, c837_part_row **rows,
                            size_t *n, c837_error *err)
{
  mread *M = calloc(1, sizeof *M);
  c837_status st;
  *rows = NULL;
  *n = 0;
  if (!M || c837_csvread_init(&M->R, &part_schema, &M->cur, path, 200,
                              C837_CSVPOS_SHOW_ASCII, err, on_row, M) != 0) {
    free(M);
    return c837_error_set(err, C837_ENOMEM, 0, 0, "out of memory");
  }
  st = feed_file(path, &M->R.pos, err);
  if (c837_csvpos_finish(&M->R.pos) == C837_OK && !M->R.pos.header_done)
    c837_csvpos_fail(&M->R.pos, C837_ECSV, 1, 0, NULL,
                     "expected the header row, found an empty file");
  st = M->R.pos.st != C837_OK ? M->R.pos.st : st;
  if (st == C837_OK) {
    *rows = M->rows;
    *n = M->n;
  } else {
    c837_scale_free(M->rows, M->n);
  }
  free(M);
  return st;
}

/* ---- files ---------------------------------------------------------- */

c837_status c837_scale_copy(const char *src, const char *dst,
                            c837_error *err)
{
  char buf[65536];
  size_t got;
  int werr = 0;
  c837_out o;
  FILE *in = fopen(src, "rb");
  if (!in)
    return c837_error_set(err, C837_EIO, 0, 0, "cannot open %.200s: %s",
                          src, strerror(errno));
  if (open_out(&o, dst, err) != C837_OK) {
    fclose(in);
    return err->code;
  }
  while (!werr && (got = fread(buf, 1, sizeof buf, in)) > 0)
    werr = fwrite(buf, 1, got, c837_out_fp(&o)) != got;
  if (!werr && ferror(in)) {
    c837_error_set(err, C837_EIO, 0, 0, "cannot read %.200s: %s", src,
                   strerror(errno));
    fclose(in);
    c837_out_abort(&o);
    return C837_EIO;
  }
  fclose(in);
  return close_out(&o, werr, dst, err);
}

int c837_scale_same_file(const char *a, const char *b)
{
  char x[16384], y[16384];
  size_t n, m;
  int same = 1;
  FILE *fa = fopen(a, "rb"), *fb = fopen(b, "rb");
  if (!fa || !fb) {
    same = 0;
  } else {
    do {
      n = fread(x, 1, sizeof x, fa);
      m = fread(y, 1, sizeof y, fb);
      if (n != m || memcmp(x, y, n) != 0)
        same = 0;
    } while (same && n > 0);
    if (ferror(fa) || ferror(fb))
      same = 0;
  }
  if (fa)
    fclose(fa);
  if (fb)
    fclose(fb);
  return same;
}

/* ---- gather --------------------------------------------------------- */

typedef struct cat {
  c837_csvpos P;
  FILE *out;
  int first_file;   /* the header is written from the first file */
  int in_header;    /* the record being read is its file's header */
  char **hdr;       /* the first file's header names */
  size_t n_hdr, cap_hdr;
  const char *id_col; /* its name (NULL: none) */
  const char *eol;
  size_t id_idx;    /* the renumbered column, or SIZE_MAX */
  uint64_t next_id; /* the last id given */
  int werr;
  int nomem;
} cat;

static void put_field(cat *c, size_t idx, const char *s, size_t len)
{
  if (idx && putc(',', c->out) == EOF)
    c->werr = 1;
  if (csv_fwrite(c->out, s, len) != 0)
    c->werr = 1;
}

static void header_field(cat *c, size_t idx, const char *s, size_t len)
{
  if (c->first_file) {
    char *copy;
    if (c837_vec_reserve(&c->hdr, &c->cap_hdr, idx + 1, sizeof *c->hdr, 32,
                         0) != 0 ||
        !(copy = malloc(len + 1))) {
      c->nomem = 1;
      return;
    }
    memcpy(copy, s, len);
    copy[len] = '\0';
    c->hdr[idx] = copy;
    c->n_hdr = idx + 1;
    put_field(c, idx, s, len);
  } else if (idx >= c->n_hdr || strlen(c->hdr[idx]) != len ||
             memcmp(c->hdr[idx], s, len) != 0) {
    c837_csvpos_fail(&c->P, C837_ECSV, c->P.field_line, idx, "header",
                     "expected the header of the first file, found "
                     "another");
  }
}

/* The column named name in the first file's header, or SIZE_MAX. */
static size_t column_of(const cat *c, const char *name)
{
  size_t i;
  for (i = 0; name && i < c->n_hdr; i++)
    if (strcmp(c->hdr[i], name) == 0)
      return i;
  return SIZE_MAX;
}

static void cat_field(void *ud, size_t idx, const char *s, size_t len,
                      unsigned long line, unsigned long record_line)
{
  cat *c = ud;
  char num[32];
  (void)line;
  (void)record_line;
  if (c->in_header) {
    header_field(c, idx, s, len);
  } else if (idx == c->id_idx) {
    int k = snprintf(num, sizeof num, "%llu",
                     (unsigned long long)(c->next_id + 1));
    put_field(c, idx, num, (size_t)k);
  } else {
    put_field(c, idx, s, len);
  }
}

static void cat_record(void *ud, size_t n_fields, unsigned long record_line)
{
  cat *c = ud;
  if (c->nomem) {
    c837_csvpos_fail(&c->P, C837_ENOMEM, record_line, 0, NULL,
                     "out of memory");
    return;
  }
  if (n_fields != c->n_hdr) {
    c837_csvpos_fail(&c->P, C837_ECSV, record_line, 0, NULL,
                     "expected %zu fields as in the header, found %zu",
                     c->n_hdr, n_fields);
    return;
  }
  if (!c->in_header || c->first_file)
    if (fputs(c->eol, c->out) == EOF)
      c->werr = 1;
  if (c->in_header && c->first_file)
    c->id_idx = column_of(c, c->id_col);
  if (c->in_header) { /* messages name the columns from now on */
    c->P.header_done = 1;
    c->P.labels = (const char *const *)c->hdr;
    c->P.n_labels = c->n_hdr;
  }
  if (!c->in_header)
    c->next_id++;
  c->in_header = 0;
  c->first_file = 0;
}

/* Appends the file at path to c->out. */
static c837_status cat_file(cat *c, const char *path, c837_error *err)
{
  c837_status st;
  c->in_header = 1;
  if (c837_csvpos_init(&c->P, path, 200, C837_CSVPOS_SHOW_ASCII, err,
                       cat_field, cat_record, c) != 0)
    return c837_error_set(err, C837_ENOMEM, 0, 0, "out of memory");
  st = feed_file(path, &c->P, err);
  if (c837_csvpos_finish(&c->P) == C837_OK && c->in_header)
    c837_csvpos_fail(&c->P, C837_ECSV, 1, 0, NULL,
                     "expected the header row, found an empty file");
  return c->P.st != C837_OK ? c->P.st : st;
}

c837_status c837_scale_concat_csv(const char *const *in, size_t n,
                                  const char *id_col, const char *eol,
                                  const char *out,
                                  c837_error *err)
{
  cat c;
  c837_out o;
  c837_status st = C837_OK;
  size_t i;
  memset(&c, 0, sizeof c);
  c.first_file = 1;
  c.id_idx = SIZE_MAX;
  c.id_col = id_col;
  c.eol = eol;
  if (open_out(&o, out, err) != C837_OK)
    return err->code;
  c.out = c837_out_fp(&o);
  for (i = 0; i < n && st == C837_OK; i++)
    st = cat_file(&c, in[i], err);
  if (st == C837_OK && id_col && c.id_idx == SIZE_MAX)
    st = c837_error_set(err, C837_ECSV, 0, 0,
                        "%.200s: expected a column named %s, found none",
                        n ? in[0] : out, id_col);
  for (i = 0; i < c.n_hdr; i++)
    free(c.hdr[i]);
  free(c.hdr);
  if (st != C837_OK) {
    c837_out_abort(&o);
    return st;
  }
  return close_out(&o, c.werr, out, err);
}
