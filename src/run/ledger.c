/* ledger.c -- the CSV ledger of CAR-T lines across runs (--state FILE)
 *
 * The ledger is what lets tonight's run see last month's collection: one
 * CSV row per line the engine remembers (c837_hist), read before the run
 * and written after it.  Both directions go through libcsv.  The columns,
 * in this fixed order, are
 *
 *   source,claim_id,lx,patient,provider,code,billed,family,step,
 *   date_from,date_to,units,freq,run_date,run
 *
 * with dates as CCYY-MM-DD (empty when absent), units as a decimal
 * (c837_format_decimal, scale 6), family as c837_family_name gives it and
 * run the number of the run that first remembered the line (1, 2, ...).
 * Rows of family "admission" are inpatient admissions (PAYMENT_WINDOW,
 * lx and code empty).  Rows with an empty family are bookkeeping (see
 * c837_hist): tombstones
 * of lines removed by a void or replacement (claim_id and lx set), and
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
#include "base/csvpos.h"
#include "base/limits.h"
#include "run/ledger.h"
#include "run/sink.h"
#include "base/buf.h"
#include "base/err.h"
#include "base/util.h"

#include <csv.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

/* Columns of the ledger, in file order. */
enum {
  L_SOURCE,
  L_CLAIM_ID,
  L_LX,
  L_PATIENT,
  L_PROVIDER,
  L_CODE,
  L_BILLED,
  L_FAMILY,
  L_STEP,
  L_DATE_FROM,
  L_DATE_TO,
  L_UNITS,
  L_FREQ,
  L_RUN_DATE,
  L_RUN,
  L_NCOLS
};

static const char *const col_name[L_NCOLS] = {
    "source", "claim_id", "lx",      "patient", "provider",
    "code",   "billed",   "family",  "step",    "date_from",
    "date_to", "units",   "freq",    "run_date", "run"};


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
  {
    /* a first run may name a ledger in a directory not made yet */
    char dir[PATH_MAX];
    const char *slash = strrchr(path, '/');
    if (slash && slash != path) {
      snprintf(dir, sizeof dir, "%.*s", (int)(slash - path), path);
      if (c837_mkdirs(dir, err) != C837_OK)
        return err->code;
    }
  }
  f = open(lp, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
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

typedef struct lparser {
  c837_csvpos pos;           /* the parse, its position and first error */
  c837_hist cur;
  row_fn row;                /* NULL: check only */
  void *row_ud;
  size_t rows;
} lparser;

static int copy_text(lparser *L, size_t idx, char *dst, size_t dstsz,
                     const char *s, size_t len, int required)
{
  char sh[64];
  if (len >= dstsz) {
    c837_csvpos_fail(&L->pos, C837_ECSV, L->pos.field_line, idx, NULL,
                     "expected at most %lu bytes, found %lu (%s)",
                     (unsigned long)dstsz - 1, (unsigned long)len,
                     c837_csvpos_show(&L->pos, sh, sizeof sh, s, len));
    return -1;
  }
  if (required && len == 0) {
    c837_csvpos_fail(&L->pos, C837_ECSV, L->pos.field_line, idx, NULL,
                     "expected a value, found none");
    return -1;
  }
  memcpy(dst, s, len);
  dst[len] = '\0';
  return 0;
}

/* CCYY-MM-DD, or empty for "no date" (0). */
static int parse_iso(const char *s, size_t len, int32_t *ymd)
{
  if (len == 0) {
    *ymd = 0;
    return 0;
  }
  return c837_parse_iso_date((c837_span){s, len}, ymd);
}

static void set_field(lparser *L, size_t idx, const char *s, size_t len)
{
  c837_hist *h = &L->cur;
  char sh[64];
  c837_span sp;
  unsigned long ln = L->pos.field_line;
  sp.p = s;
  sp.len = len;
  switch (idx) {
  case L_SOURCE:
    copy_text(L, idx, h->source, sizeof h->source, s, len, 0);
    break;
  case L_CLAIM_ID:
    copy_text(L, idx, h->claim_id, sizeof h->claim_id, s, len, 0);
    break;
  case L_LX:
    copy_text(L, idx, h->lx, sizeof h->lx, s, len, 0);
    break;
  case L_PATIENT: /* required unless bookkeeping: checked in on_record */
    copy_text(L, idx, h->patient, sizeof h->patient, s, len, 0);
    break;
  case L_PROVIDER:
    copy_text(L, idx, h->provider, sizeof h->provider, s, len, 0);
    break;
  case L_CODE: /* as patient */
    copy_text(L, idx, h->code, sizeof h->code, s, len, 0);
    break;
  case L_BILLED:
    copy_text(L, idx, h->billed, sizeof h->billed, s, len, 0);
    break;
  case L_FAMILY: {
    int f = c837_family_from_name(s, len);
    if (f < 0 && c837_span_eq(sp, "admission")) {
      h->kind = C837_HIST_ADMISSION; /* family NONE */
    } else if (f < 0) {
      char names[160];
      size_t n = 0;
      names[0] = '\0';
      for (f = C837_FAM_NONE + 1; f < C837_FAM_COUNT; f++) {
        n = c837_str_append(names, sizeof names, n,
                            c837_family_name((c837_family)f));
        n = c837_str_append(names, sizeof names, n, ", ");
      }
      c837_csvpos_fail(&L->pos, C837_ECSV, ln, idx, NULL,
                       "expected %sadmission or nothing, found %s", names,
                       c837_csvpos_show(&L->pos, sh, sizeof sh, s, len));
    } else
      h->family = (c837_family)f;
    break;
  }
  case L_STEP:
    if (len != 1 || s[0] < '0' || s[0] > '4')
      c837_csvpos_fail(&L->pos, C837_ECSV, ln, idx, NULL,
                       "expected a step number 0 to 4, found %s",
                       c837_csvpos_show(&L->pos, sh, sizeof sh, s, len));
    else
      h->step = s[0] - '0';
    break;
  case L_DATE_FROM:
  case L_DATE_TO:
  case L_RUN_DATE: {
    int32_t v;
    if (parse_iso(s, len, &v) != 0)
      c837_csvpos_fail(&L->pos, C837_ECSV, ln, idx, NULL,
                       "expected a date CCYY-MM-DD or nothing, found %s",
                       c837_csvpos_show(&L->pos, sh, sizeof sh, s, len));
    else if (idx == L_DATE_FROM)
      h->date_from = v;
    else if (idx == L_DATE_TO)
      h->date_to = v;
    else
      h->run_date = v;
    break;
  }
  case L_UNITS:
    if (c837_parse_decimal(sp, 6, &h->units) != 0)
      c837_csvpos_fail(
          &L->pos, C837_ECSV, ln, idx, NULL,
          "expected a decimal number of units (at most 6 decimals), "
          "found %s",
          c837_csvpos_show(&L->pos, sh, sizeof sh, s, len));
    break;
  case L_FREQ:
    copy_text(L, idx, h->freq, sizeof h->freq, s, len, 0);
    break;
  case L_RUN: {
    uint32_t v = 0;
    size_t k;
    int ok = len > 0 && len <= 10 && s[0] != '0';
    for (k = 0; ok && k < len; k++) {
      if (s[k] < '0' || s[k] > '9' ||
          v > (UINT32_MAX - (uint32_t)(s[k] - '0')) / 10)
        ok = 0;
      else
        v = v * 10 + (uint32_t)(s[k] - '0');
    }
    if (!ok)
      c837_csvpos_fail(&L->pos, C837_ECSV, ln, idx, NULL,
                       "expected a run number 1 to 4294967295, found %s",
                       c837_csvpos_show(&L->pos, sh, sizeof sh, s, len));
    else
      h->run = v;
    break;
  }
  default:
    break;
  }
}

static void on_field(void *ud, size_t idx, const char *s, size_t len,
                     unsigned long line, unsigned long record_line)
{
  lparser *L = ud;
  char sh[64];
  (void)record_line;
  if (idx >= L_NCOLS) {
    c837_csvpos_fail(&L->pos, C837_ECSV, line, idx, NULL,
                     "expected %d fields as in the header, found more",
                     L_NCOLS);
  } else if (!L->pos.header_done) {
    if (!c837_span_eq((c837_span){s, len}, col_name[idx]))
      c837_csvpos_fail(&L->pos, C837_ECSV, line, idx, NULL,
                       "expected column %s, found %s", col_name[idx],
                       c837_csvpos_show(&L->pos, sh, sizeof sh, s, len));
  } else {
    set_field(L, idx, s, len);
  }
}

static void on_record(void *ud, size_t n_fields, unsigned long record_line)
{
  lparser *L = ud;
  if (n_fields < L_NCOLS) {
    c837_csvpos_fail(&L->pos, C837_ECSV, record_line, n_fields, NULL,
                     "expected %d fields as in the header, found %lu", L_NCOLS,
                     (unsigned long)n_fields);
    return;
  }
  if (!L->pos.header_done) {
    L->pos.header_done = 1;
  } else {
    if ((L->cur.family != C837_FAM_NONE ||
         L->cur.kind == C837_HIST_ADMISSION) &&
        !L->cur.patient[0])
      c837_csvpos_fail(&L->pos, C837_ECSV, record_line, L_PATIENT, NULL,
                       "expected a value, found none");
    else if (L->cur.family != C837_FAM_NONE && !L->cur.code[0])
      c837_csvpos_fail(&L->pos, C837_ECSV, record_line, L_CODE, NULL,
                       "expected a value, found none");
    if (L->pos.st != C837_OK)
      return;
    L->rows++;
    if (L->row && L->row(L->row_ud, &L->cur) != 0) {
      c837_csvpos_fail(&L->pos, C837_ENOMEM, record_line, 0, NULL,
                       "out of memory");
      return;
    }
  }
  memset(&L->cur, 0, sizeof L->cur);
}

/* Parses the whole of fp (named name) through L.  The caller set row. */
static c837_status parse_file(lparser *L, FILE *fp, const char *name,
                              c837_error *err)
{
  char *buf;
  size_t n;
  row_fn row = L->row;
  void *row_ud = L->row_ud;

  memset(L, 0, sizeof *L);
  L->row = row;
  L->row_ud = row_ud;
  buf = malloc(C837_LEDGER_READ_CHUNK);
  if (!buf || c837_csvpos_init(&L->pos, name, 200,
                              C837_CSVPOS_SHOW_ASCII | C837_CSVPOS_SKIP_BLANKS,
                               err, on_field, on_record, L) != 0) {
    free(buf);
    return c837_error_set(err, C837_ENOMEM, 0, 0, "out of memory");
  }
  L->pos.labels = col_name;
  L->pos.n_labels = L_NCOLS;
  while (L->pos.st == C837_OK &&
         (n = fread(buf, 1, C837_LEDGER_READ_CHUNK, fp)) > 0)
    c837_csvpos_feed(&L->pos, buf, n);
  if (L->pos.st == C837_OK && ferror(fp)) {
    L->pos.st = c837_error_set(err, C837_EIO, 0, 0,
                               "cannot read ledger %.200s: %s", name,
                               strerror(errno));
  }
  c837_csvpos_finish(&L->pos);
  free(buf);
  if (L->pos.st == C837_OK && !L->pos.header_done)
    c837_csvpos_fail(&L->pos, C837_ECSV, 1, 0, NULL,
                     "expected the header row, found an empty file");
  return L->pos.st;
}

static int add_to_engine(void *ud, const c837_hist *h)
{
  return c837_engine_add_history(ud, h) == C837_OK ? 0 : -1;
}

c837_status c837_ledger_load(c837_engine *e, const char *path,
                             c837_error *err)
{
  lparser L;
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
  L.row = NULL;
  L.row_ud = NULL;
  st = parse_file(&L, fp, path, err);
  if (st == C837_OK) {
    rewind(fp);
    L.row = add_to_engine;
    L.row_ud = e;
    st = parse_file(&L, fp, path, err);
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

/* Identity order: source, claim_id, lx. */
static int cmp_identity(const c837_hist *a, const c837_hist *b)
{
  int c = strcmp(a->source, b->source);
  if (c)
    return c;
  c = strcmp(a->claim_id, b->claim_id);
  if (c)
    return c;
  return cmp_lx(a->lx, b->lx);
}

/* A row and where it came from, so that ties resolve the same way on
 * every machine (qsort is not stable). */
typedef struct ranked {
  const c837_hist *h;
  size_t file; /* merge: argument index */
  size_t seq;  /* position in its file / in the engine's history */
} ranked;

/* Identity, then run, then tombstone over line, then run_date, then
 * file, then position: the last row of an identity group is the one that
 * stays. */
static int cmp_ranked(const void *pa, const void *pb)
{
  const ranked *a = pa, *b = pb;
  int c = cmp_identity(a->h, b->h);
  int ta = a->h->family == C837_FAM_NONE && a->h->kind != C837_HIST_ADMISSION;
  int tb = b->h->family == C837_FAM_NONE && b->h->kind != C837_HIST_ADMISSION;
  if (c)
    return c;
  if (a->h->run != b->h->run)
    return a->h->run < b->h->run ? -1 : 1;
  if (ta != tb)
    return ta < tb ? -1 : 1;
  if (a->h->run_date != b->h->run_date)
    return a->h->run_date < b->h->run_date ? -1 : 1;
  if (a->file != b->file)
    return a->file < b->file ? -1 : 1;
  return a->seq < b->seq ? -1 : a->seq > b->seq;
}

static int put_field(FILE *fp, const char *s, int last)
{
  if (csv_fwrite(fp, s, strlen(s)) != 0)
    return -1;
  return fputc(last ? '\n' : ',', fp) == EOF ? -1 : 0;
}

static int write_header(FILE *fp)
{
  int k;
  for (k = 0; k < L_NCOLS; k++)
    if (put_field(fp, col_name[k], k == L_NCOLS - 1) != 0)
      return -1;
  return 0;
}

static int write_row(FILE *fp, const c837_hist *h)
{
  char step[8], from[16], to[16], units[40], rdate[16], run[16];
  const char *v[L_NCOLS];
  int k;
  snprintf(step, sizeof step, "%d", h->step);
  c837_format_iso_date(from, sizeof from, h->date_from);
  c837_format_iso_date(to, sizeof to, h->date_to);
  c837_format_decimal(units, sizeof units, h->units, 6);
  c837_format_iso_date(rdate, sizeof rdate, h->run_date);
  snprintf(run, sizeof run, "%lu", (unsigned long)h->run);
  v[L_SOURCE] = h->source;
  v[L_CLAIM_ID] = h->claim_id;
  v[L_LX] = h->lx;
  v[L_PATIENT] = h->patient;
  v[L_PROVIDER] = h->provider;
  v[L_CODE] = h->code;
  v[L_BILLED] = h->billed;
  v[L_FAMILY] = h->kind == C837_HIST_ADMISSION ? "admission"
                                                : c837_family_name(h->family);
  v[L_STEP] = step;
  v[L_DATE_FROM] = from;
  v[L_DATE_TO] = to;
  v[L_UNITS] = units;
  v[L_FREQ] = h->freq;
  v[L_RUN_DATE] = rdate;
  v[L_RUN] = run;
  for (k = 0; k < L_NCOLS; k++)
    if (put_field(fp, v[k], k == L_NCOLS - 1) != 0)
      return -1;
  return 0;
}

/* Sorts r[0..n) and writes the last row of every identity group. */
static int write_ranked(FILE *fp, ranked *r, size_t n)
{
  size_t i;
  if (n)
    qsort(r, n, sizeof *r, cmp_ranked);
  if (write_header(fp) != 0)
    return -1;
  for (i = 0; i < n; i++) {
    if (i + 1 < n && cmp_identity(r[i].h, r[i + 1].h) == 0)
      continue; /* a later row of the same line follows */
    if (write_row(fp, r[i].h) != 0)
      return -1;
  }
  return 0;
}

c837_status c837_ledger_save(const c837_engine *e, const char *path,
                             c837_error *err)
{
  size_t i, n = c837_engine_history_count(e);
  ranked *r = n ? calloc(n, sizeof *r) : NULL;
  c837_out of;

  c837_error_clear(err);
  if (n && !r)
    return c837_error_set(err, C837_ENOMEM, 0, 0, "out of memory");
  for (i = 0; i < n; i++) {
    r[i].h = c837_engine_history_at(e, i);
    r[i].seq = i;
  }
  c837_out_init(&of, path, 0);
  if (c837_out_open(&of, err) != C837_OK) {
    free(r);
    return err->code;
  }
  if (write_ranked(c837_out_fp(&of), r, n) != 0) {
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
    lparser L;
    FILE *fp = fopen(paths[i], "rb");
    if (!fp) {
      st = c837_error_set(err, c837_errno_status(errno), 0, 0,
                          "cannot open ledger %.200s: %s", paths[i],
                          strerror(errno));
      break;
    }
    l.cur_file = i;
    L.row = push_row;
    L.row_ud = &l;
    st = parse_file(&L, fp, paths[i], err);
    fclose(fp);
  }
  if (st == C837_OK && l.n && !(r = calloc(l.n, sizeof *r)))
    st = c837_error_set(err, C837_ENOMEM, 0, 0, "out of memory");
  if (st == C837_OK) {
    for (i = 0; i < l.n; i++) {
      r[i].h = &l.h[i];
      r[i].file = l.file[i];
      r[i].seq = i;
    }
    if (write_ranked(out, r, l.n) != 0 || fflush(out) != 0 || ferror(out))
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
  lparser L;
  FILE *fp;
  c837_status st;
  memset(err, 0, sizeof *err);
  *rows = 0;
  fp = fopen(path, "rb");
  if (!fp) {
    return c837_error_set(err, c837_errno_status(errno), 0, 0,
                          "cannot open ledger %.200s: %s", path,
                          strerror(errno));
  }
  L.row = NULL;
  L.row_ud = NULL;
  st = parse_file(&L, fp, path, err);
  fclose(fp);
  if (st == C837_OK)
    *rows = L.rows;
  return st;
}
