/* ledger.c -- the CSV ledger of CAR-T lines across runs (--state FILE)
 *
 * The ledger is what lets tonight's run see last month's collection: one
 * CSV row per line the engine remembers (c837_hist), read before the run
 * and written after it.  Both directions go through one table of columns
 * (c837_ledger_schema below; csvschema.c over libcsv).  The columns, in
 * this fixed order, are
 *
 *   source,claim_id,lx,patient,provider,code,billed,family,step,
 *   date_from,date_to,units,freq,run_date,run
 *
 * with dates as CCYY-MM-DD (empty when absent), units as a decimal
 * (c837_format_decimal, scale 6), family as c837_family_name gives it and
 * run the number of the run that first remembered the line (1, 2, ...).
 * Rows of family "admission" are inpatient admissions (PAYMENT_WINDOW,
 * lx and code empty).  Rows with an empty family are bookkeeping (see
 * c837_hist): tombstones of lines removed by a void or replacement
 * (claim_id and lx set; of an admission, lx and code empty), and
 * interchange markers (claim_id and lx empty); only they may leave
 * patient and code empty.  (source, claim_id, lx) identifies a row: the
 * ledger holds each identity once, and rows are written sorted by it (lx
 * compared as a number), so that identical runs give byte-identical
 * ledgers and a merge of per-run ledgers is independent of the order the
 * runs finished in.  Of rows of one identity, the one of the later run
 * stays; a tombstone beats a line of the same run (a line removed in the
 * run that recorded it, or in a parallel run from the same ledger); then
 * the later run_date, then the later file.
 *
 * Loading never half-succeeds: the whole file is checked first, and only
 * a file without fault is handed to the engine.  A fault is C837_ECSV
 * with "FILE:LINE:COLUMN: NAME: expected ..., found ..." (csvpos.c feeds
 * libcsv, counts the lines and formats the message).  Saving goes
 * through sink.c (temporary file, fsync, rename).  Two runs on one
 * ledger are kept apart by an flock on "FILE.lock", which is left in
 * place (removing a lock file races with the next run taking it).
 */
#include "run/ledger.h"
#include "base/limits.h"
#include "run/sink.h"
#include "base/buf.h"
#include "base/err.h"
#include "base/util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

/* The ledger's columns, in file order, over c837_hist (csvschema.c
 * parses, checks and writes them).  Identifiers are bytes (any byte, at
 * most the member's size); patient and code are required only on a row
 * with a family, which on_row checks.  family_names follows
 * C837_FAMILY_MAP ("" is C837_FAM_NONE: a bookkeeping row); the family
 * column also says "admission" for an inpatient admission (kind
 * C837_HIST_ADMISSION, family NONE: parse_family / format_family). */
#define C837_XX(id, name) name,
static const char *const family_names[] = {C837_FAMILY_MAP(C837_XX)};
#undef C837_XX

/* The family column's word for an admission row. */
#define ADMISSION_WORD "admission"

/* The family column: a family name, or "admission" (the row's kind). */
static int parse_family(const c837_csvfield *f)
{
  c837_hist *h = f->row;
  char what[200];
  size_t i, n = 0;
  h->kind = C837_HIST_LINE; /* c837_hist_kind_of tells the rest */
  for (i = 0; i < C837_FAM_COUNT; i++)
    if (strlen(family_names[i]) == f->len &&
        memcmp(family_names[i], f->s, f->len) == 0) {
      h->family = (c837_family)i;
      return 0;
    }
  if (f->len == strlen(ADMISSION_WORD) &&
      memcmp(f->s, ADMISSION_WORD, f->len) == 0) {
    h->family = C837_FAM_NONE;
    h->kind = C837_HIST_ADMISSION;
    return 0;
  }
  what[0] = '\0';
  for (i = 0; i < C837_FAM_COUNT; i++) {
    if (!family_names[i][0])
      continue;
    n = c837_str_append(what, sizeof what, n, family_names[i]);
    n = c837_str_append(what, sizeof what, n, ", ");
  }
  (void)c837_str_append(what, sizeof what, n, ADMISSION_WORD " or nothing");
  return c837_csvfield_expected(f, what);
}

static const char *format_family(const c837_csvcol *col, const void *row,
                                 char *buf, size_t bufsz)
{
  const c837_hist *h = row;
  (void)col;
  (void)buf;
  (void)bufsz;
  if (h->kind == C837_HIST_ADMISSION)
    return ADMISSION_WORD;
  return (int)h->family >= 0 && (int)h->family < (int)C837_FAM_COUNT
             ? family_names[h->family]
             : "";
}

#define BYTES(n, m)                                                      \
  {.name = n, .type = C837_COL_BYTES, C837_COL_AT(c837_hist, m)}
#define DATE(n, m) {.name = n, .type = C837_COL_DATE, C837_COL_AT(c837_hist, m)}

static const c837_csvcol ledger_cols[] = {
    BYTES("source", source),
    BYTES("claim_id", claim_id),
    BYTES("lx", lx),
    BYTES("patient", patient),
    BYTES("provider", provider),
    BYTES("code", code),
    BYTES("billed", billed),
    {.name = "family", .type = C837_COL_CUSTOM,
     C837_COL_AT(c837_hist, family), .parse = parse_family,
     .format = format_family},
    {.name = "step", .type = C837_COL_INT, C837_COL_AT(c837_hist, step),
     .flags = C837_COL_REQUIRED, .min = 0, .max = 4,
     .expect = "a step number 0 to 4"},
    DATE("date_from", date_from),
    DATE("date_to", date_to),
    {.name = "units", .type = C837_COL_DECIMAL, C837_COL_AT(c837_hist, units),
     .flags = C837_COL_REQUIRED, .scale = 6, .min = INT64_MIN,
     .max = INT64_MAX,
     .expect = "a decimal number of units (at most 6 decimals)"},
    BYTES("freq", freq),
    DATE("run_date", run_date),
    {.name = "run", .type = C837_COL_INT, C837_COL_AT(c837_hist, run),
     .flags = C837_COL_REQUIRED, .min = 1, .max = UINT32_MAX,
     .expect = "a run number 1 to 4294967295"},
};

#undef BYTES
#undef DATE

const c837_csvschema c837_ledger_schema = {
    ledger_cols, sizeof ledger_cols / sizeof ledger_cols[0],
    sizeof(c837_hist), 0, "nothing", NULL};

/* ------------------------------------------------------------------ */
/* Lock                                                                */
/* ------------------------------------------------------------------ */

c837_status c837_ledger_lock(const char *path, int wait, int *fd,
                             c837_error *err)
{
  char lp[PATH_MAX];
  int f;
  *fd = -1;
  if (snprintf(lp, sizeof lp, "%s.lock", path) >= (int)sizeof lp) {
    return c837_error_set(err, C837_EIO, 0, 0,
                          "ledger path too long: %.200s", path);
  }
  /* a first run may name a ledger in a directory not made yet */
  if (c837_mkdirs_for(path, err) != C837_OK)
    return err->code;
  /* 0666 less the umask; a link planted at the lock's name is not
   * followed (the lock would not be the one other runs take) */
  f = open(lp, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0666);
  if (f < 0) {
    return c837_error_set(err, C837_EIO, 0, 0,
                          "cannot open ledger lock %.200s: %s", lp,
                          strerror(errno));
  }
  if (flock(f, LOCK_EX | (wait ? 0 : LOCK_NB)) != 0) {
    int e = errno;
    close(f);
    if (e == EWOULDBLOCK)
      return c837_error_set(err, C837_ELOCK, 0, 0,
                            "ledger %.200s is locked by another run", path);
    if (e == EINTR)
      return c837_error_set(
          err, C837_EINTR, 0, 0,
          "interrupted while waiting for the lock of ledger %.200s", path);
    return c837_error_set(err, C837_EIO, 0, 0,
                          "cannot lock ledger %.200s: %s", path,
                          strerror(e));
  }
  *fd = f;
  return C837_OK;
}

void c837_ledger_unlock(int fd)
{
  if (fd < 0)
    return;
  flock(fd, LOCK_UN);
  close(fd);
}

/* ------------------------------------------------------------------ */
/* Reading                                                             */
/* ------------------------------------------------------------------ */

/* Called for every good row; non-zero stops the parse (ENOMEM). */
typedef int (*row_fn)(void *ud, const c837_hist *h);

/* One read of a ledger file. */
typedef struct lread {
  c837_csvread R;            /* the parse, its position and first error */
  c837_hist cur;             /* the row being read */
  row_fn row;                /* NULL: check only */
  void *row_ud;
  size_t rows;
} lread;

/* A row whose every field parsed: the ledger's own record check (patient
 * and code are required on a row with a family, patient on an
 * admission), then the row's kind as
 * c837_hist_kind_of tells it, and the caller's row_fn. */
static void on_row(void *ud, void *row, unsigned long record_line)
{
  lread *L = ud;
  c837_hist *h = row;
  const char *missing = NULL;
  int st = 0;
  if (h->family != C837_FAM_NONE)
    missing = !h->patient[0] ? "patient" : !h->code[0] ? "code" : NULL;
  else if (h->kind == C837_HIST_ADMISSION && !h->patient[0])
    missing = "patient"; /* an admission has no code */
  if (missing) {
    c837_csvpos_fail(&L->R.pos, C837_ECSV, record_line,
                     c837_csvschema_find(&c837_ledger_schema, missing,
                                         strlen(missing)),
                     NULL, "expected a value, found none");
    return;
  }
  h->kind = c837_hist_kind_of(h);
  L->rows++;
  if (L->row && (st = L->row(L->row_ud, h)) == C837_ELIMIT) {
    /* the run's limit of remembered lines: err->segment is the line */
    c837_csvpos_fail(&L->R.pos, C837_ELIMIT, record_line, 0, NULL,
                     "past the run's limit of remembered lines");
    L->R.pos.err->segment = record_line;
  } else if (st != 0) {
    c837_csvpos_fail(&L->R.pos, C837_ENOMEM, record_line, 0, NULL,
                     "out of memory");
  }
}

/* Parses the whole of fp (named name), calling row (NULL: none) for
 * every row; *rows (NULL: not wanted) receives their number. */
static c837_status parse_file(FILE *fp, const char *name, row_fn row,
                              void *row_ud, size_t *rows, c837_error *err)
{
  lread L;
  char *buf;
  size_t n, skip = 3;

  memset(&L, 0, sizeof L);
  L.row = row;
  L.row_ud = row_ud;
  buf = malloc(C837_LEDGER_READ_CHUNK);
  if (!buf ||
      c837_csvread_init(&L.R, &c837_ledger_schema, &L.cur, name, 200,
                        C837_CSVPOS_SHOW_ASCII | C837_CSVPOS_SKIP_BLANKS,
                        err, on_row, &L) != 0) {
    free(buf);
    return c837_error_set(err, C837_ENOMEM, 0, 0, "out of memory");
  }
  while (L.R.pos.st == C837_OK &&
         (n = fread(buf, 1, C837_LEDGER_READ_CHUNK, fp)) > 0) {
    /* a UTF-8 byte-order mark, as spreadsheet programs save CSV, is
     * not part of the header (fread fills the chunk: it is whole) */
    if (skip && n >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0) {
      c837_csvpos_feed(&L.R.pos, buf + 3, n - 3);
      skip = 0;
      continue;
    }
    skip = 0;
    c837_csvpos_feed(&L.R.pos, buf, n);
  }
  if (L.R.pos.st == C837_OK && ferror(fp)) {
    L.R.pos.st = c837_error_set(err, C837_EIO, 0, 0,
                                "cannot read ledger %.200s: %s", name,
                                strerror(errno));
  }
  c837_csvpos_finish(&L.R.pos);
  free(buf);
  if (L.R.pos.st == C837_OK && !L.R.pos.header_done)
    c837_csvpos_fail(&L.R.pos, C837_ECSV, 1, 0, NULL,
                     "expected the header row, found an empty file");
  if (rows)
    *rows = L.rows;
  return L.R.pos.st;
}

/* 0, C837_ELIMIT (the run's limit of remembered lines), or -1. */
static int add_to_engine(void *ud, const c837_hist *h)
{
  c837_status st = c837_engine_add_history(ud, h);
  return st == C837_OK ? 0 : st == C837_ELIMIT ? C837_ELIMIT : -1;
}

c837_status c837_ledger_load(c837_engine *e, const char *path,
                             c837_error *err)
{
  FILE *fp;
  c837_status st;

  memset(err, 0, sizeof *err);
  fp = fopen(path, "rb");
  if (!fp) {
    if (errno == ENOENT)
      return C837_OK; /* a first run: empty ledger */
    return c837_error_set(err, c837_errno_status(errno), 0, 0,
                          "cannot open ledger %.200s: %s", path,
                          strerror(errno));
  }
  /* Pass 1 checks every row; pass 2 (same open file, so the same
   * content even if a run renames a new ledger in meanwhile) loads. */
  st = parse_file(fp, path, NULL, NULL, NULL, err);
  if (st == C837_OK) {
    rewind(fp);
    st = parse_file(fp, path, add_to_engine, e, NULL, err);
  }
  fclose(fp);
  return st;
}

/* ------------------------------------------------------------------ */
/* Order and writing                                                   */
/* ------------------------------------------------------------------ */

static int all_digits(const char *s)
{
  if (!*s)
    return 0;
  for (; *s; s++)
    if (*s < '0' || *s > '9')
      return 0;
  return 1;
}

/* LX01 values compare as numbers when both are digits ("2" < "10"). */
static int cmp_lx(const char *a, const char *b)
{
  if (all_digits(a) && all_digits(b)) {
    const char *x = a, *y = b;
    size_t lx, ly;
    int c;
    while (*x == '0' && x[1])
      x++;
    while (*y == '0' && y[1])
      y++;
    lx = strlen(x);
    ly = strlen(y);
    if (lx != ly)
      return lx < ly ? -1 : 1;
    c = strcmp(x, y);
    if (c)
      return c;
  }
  return strcmp(a, b); /* "01" and "1" are different lines */
}

/* A row's place in the ledger's order (its identity and rank, borrowed
 * from the engine's records or the merge's rows) and where it came from,
 * so that ties resolve the same way on every machine (qsort is not
 * stable). */
typedef struct ranked {
  const char *source, *claim_id, *lx;
  uint32_t run;
  int32_t run_date;
  uint32_t file;        /* merge: argument index */
  uint32_t seq;         /* position in the engine's history / the merge's
                           rows */
  int bookkeeping;      /* a tombstone or a marker */
} ranked;

/* Identity order: source, claim_id, lx. */
static int cmp_identity(const ranked *a, const ranked *b)
{
  int c = strcmp(a->source, b->source);
  if (c)
    return c;
  c = strcmp(a->claim_id, b->claim_id);
  if (c)
    return c;
  return cmp_lx(a->lx, b->lx);
}

/* Identity, then run, then tombstone over line, then run_date, then
 * file, then position: the last row of an identity group is the one that
 * stays. */
static int cmp_ranked(const void *pa, const void *pb)
{
  const ranked *a = pa, *b = pb;
  int c = cmp_identity(a, b);
  if (c)
    return c;
  if (a->run != b->run)
    return a->run < b->run ? -1 : 1;
  if (a->bookkeeping != b->bookkeeping)
    return a->bookkeeping < b->bookkeeping ? -1 : 1;
  if (a->run_date != b->run_date)
    return a->run_date < b->run_date ? -1 : 1;
  if (a->file != b->file)
    return a->file < b->file ? -1 : 1;
  return a->seq < b->seq ? -1 : a->seq > b->seq;
}

/* The row at position seq of the rows ranked, copied into *buf or
 * borrowed; NULL on failure. */
typedef const c837_hist *(*row_at_fn)(const void *ud, size_t seq,
                                      c837_hist *buf);

/* Sorts r[0..n) and writes the last row of every identity group. */
static int write_ranked(FILE *fp, ranked *r, size_t n, row_at_fn row_at,
                        const void *ud)
{
  size_t i;
  c837_hist buf;
  if (n)
    qsort(r, n, sizeof *r, cmp_ranked);
  if (c837_csvschema_write_header(&c837_ledger_schema, fp, "\n") != 0)
    return -1;
  for (i = 0; i < n; i++) {
    const c837_hist *h;
    if (i + 1 < n && cmp_identity(&r[i], &r[i + 1]) == 0)
      continue; /* a later row of the same line follows */
    h = row_at(ud, r[i].seq, &buf);
    if (!h ||
        c837_csvschema_write_row(&c837_ledger_schema, h, fp, "\n") != 0)
      return -1;
  }
  return 0;
}

static const c837_hist *engine_row(const void *ud, size_t seq,
                                   c837_hist *buf)
{
  return c837_engine_history_at(ud, seq, buf);
}

c837_status c837_ledger_save(const c837_engine *e, const char *path,
                             c837_error *err)
{
  size_t i, n = c837_engine_history_count(e);
  ranked *r = n && n < UINT32_MAX ? calloc(n, sizeof *r) : NULL;
  c837_out of;
  struct stat sb;

  c837_error_clear(err);
  if (n && !r)
    return c837_error_set(err, C837_ENOMEM, 0, 0, "out of memory");
  for (i = 0; i < n; i++) {
    c837_hist_key k;
    if (!c837_engine_history_key(e, i, &k))
      break; /* cannot be: i < n */
    r[i].source = k.source;
    r[i].claim_id = k.claim_id;
    r[i].lx = k.lx;
    r[i].run = k.run;
    r[i].run_date = k.run_date;
    r[i].bookkeeping = k.bookkeeping;
    r[i].seq = (uint32_t)i;
  }
  c837_out_init(&of, path, 0);
  /* the new ledger keeps the mode of the one it replaces (never wider
   * than its owner made it); a first one is 0666 less the umask.  The
   * rename is synced with its directory. */
  if (stat(path, &sb) == 0 && S_ISREG(sb.st_mode))
    of.mode = (int)(sb.st_mode & 0777);
  of.sync_dir = 1;
  if (c837_out_open(&of, err) != C837_OK) {
    free(r);
    return err->code;
  }
  /* flushed here, so that a full disk is told as the ledger's whatever
   * the size of the output's buffer */
  if (write_ranked(c837_out_fp(&of), r, n, engine_row, e) != 0 ||
      fflush(c837_out_fp(&of)) != 0) {
    c837_error_set(err, C837_EIO, 0, 0, "cannot write ledger %.200s: %s",
                   path, strerror(errno));
    c837_out_abort(&of);
    free(r);
    return C837_EIO;
  }
  free(r);
  return c837_out_commit(&of, err);
}

/* ------------------------------------------------------------------ */
/* Merge                                                               */
/* ------------------------------------------------------------------ */

typedef struct row_list {
  c837_hist *h;
  size_t *file;
  size_t n, cap_h, cap_file;
  size_t cur_file;
} row_list;

static const c837_hist *list_row(const void *ud, size_t seq, c837_hist *buf)
{
  (void)buf;
  return &((const row_list *)ud)->h[seq];
}

/* 1 for a tombstone or a marker (not a line, not an admission). */
static int is_bookkeeping(const c837_hist *h)
{
  c837_hist_kind k = c837_hist_kind_of(h);
  return k == C837_HIST_TOMBSTONE || k == C837_HIST_MARKER;
}

static int push_row(void *ud, const c837_hist *h)
{
  row_list *l = ud;
  if (c837_vec_reserve(&l->h, &l->cap_h, l->n + 1, sizeof *l->h, 256,
                       0) != 0 ||
      c837_vec_reserve(&l->file, &l->cap_file, l->n + 1, sizeof *l->file,
                       256, 0) != 0)
    return -1;
  l->h[l->n] = *h;
  l->file[l->n] = l->cur_file;
  l->n++;
  return 0;
}

c837_status c837_ledger_merge(const char *const *paths, size_t n_paths,
                              FILE *out, c837_error *err)
{
  row_list l;
  ranked *r = NULL;
  size_t i;
  c837_status st = C837_OK;

  memset(err, 0, sizeof *err);
  memset(&l, 0, sizeof l);
  for (i = 0; i < n_paths && st == C837_OK; i++) {
    FILE *fp = fopen(paths[i], "rb");
    if (!fp) {
      st = c837_error_set(err, c837_errno_status(errno), 0, 0,
                          "cannot open ledger %.200s: %s", paths[i],
                          strerror(errno));
      break;
    }
    l.cur_file = i;
    st = parse_file(fp, paths[i], push_row, &l, NULL, err);
    fclose(fp);
  }
  if (st == C837_OK && l.n &&
      (l.n >= UINT32_MAX || !(r = calloc(l.n, sizeof *r))))
    st = c837_error_set(err, C837_ENOMEM, 0, 0, "out of memory");
  if (st == C837_OK) {
    for (i = 0; i < l.n; i++) {
      const c837_hist *h = &l.h[i];
      r[i].source = h->source;
      r[i].claim_id = h->claim_id;
      r[i].lx = h->lx;
      r[i].run = h->run;
      r[i].run_date = h->run_date;
      r[i].bookkeeping = is_bookkeeping(h);
      r[i].file = (uint32_t)l.file[i];
      r[i].seq = (uint32_t)i;
    }
    if (write_ranked(out, r, l.n, list_row, &l) != 0 || fflush(out) != 0 ||
        ferror(out))
      st = c837_error_set(err, C837_EIO, 0, 0,
                          "cannot write the merged ledger: %s",
                          strerror(errno));
  }
  free(r);
  free(l.h);
  free(l.file);
  return st;
}

c837_status c837_ledger_check(const char *path, size_t *rows,
                              c837_error *err)
{
  FILE *fp;
  c837_status st;
  size_t n = 0;
  memset(err, 0, sizeof *err);
  *rows = 0;
  fp = fopen(path, "rb");
  if (!fp) {
    return c837_error_set(err, c837_errno_status(errno), 0, 0,
                          "cannot open ledger %.200s: %s", path,
                          strerror(errno));
  }
  st = parse_file(fp, path, NULL, NULL, &n, err);
  fclose(fp);
  if (st == C837_OK)
    *rows = n;
  return st;
}
