/* import.c -- `codes --import`: the driver and the readers the importers
 * share
 *
 * c837_codetable_import opens the file, runs the importer of its kind
 * (import_text.c, import_ncci.c) over it, and merges the rows it kept
 * into the code table or one of its lists through reflist.c, as a
 * --codes file is merged: every cross-field rule checked, and nothing
 * changed unless everything is right.  The readers here give the
 * importers lines (the fixed-width and tab-delimited formats) or CSV
 * records (libcsv through csvpos.c), and one way to report a fault.
 * Contracts in import_int.h and cart837.h.
 */
#include "edit/import_int.h"
#include "base/err.h"
#include "base/util.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ */
/* Readers                                                             */
/* ------------------------------------------------------------------ */

int c837_import_getline(c837_import *im)
{
  int c;
  im->len = 0;
  if (im->pos.st != C837_OK)
    return -1;
  for (;;) {
    c = getc(im->fp);
    if (c == EOF)
      break;
    if (c == '\n')
      break;
    if (c == '\r') {
      int d = getc(im->fp);
      if (d != '\n' && d != EOF)
        ungetc(d, im->fp);
      break;
    }
    if (c == '\0') {
      im->line[im->len] = '\0';
      c837_csvpos_fail(&im->pos, C837_ECSV, im->lineno + 1, im->len, "line",
                       "expected text, found a NUL byte");
      return -1;
    }
    if (im->len == C837_IMPORT_MAX_LINE) {
      c837_csvpos_fail(&im->pos, C837_ECSV, im->lineno + 1, im->len, "line",
                       "expected a line of at most %d bytes, found more",
                       C837_IMPORT_MAX_LINE);
      return -1;
    }
    im->line[im->len++] = (char)c;
  }
  im->line[im->len] = '\0';
  if (ferror(im->fp)) {
    c837_csvpos_fail(&im->pos, C837_EIO, im->lineno + 1, 0, "line",
                     "read error: %s", strerror(errno));
    return -1;
  }
  if (c == EOF && im->len == 0)
    return 0;
  im->lineno++;
  return 1;
}

/* csvpos callbacks: collect the fields of a record, hand it on. */
static void rec_field(void *ud, size_t idx, const char *s, size_t len,
                      unsigned long line, unsigned long record_line)
{
  c837_import *im = ud;
  (void)line;
  if (idx == 0) {
    c837_buf_clear(&im->rec);
    im->nf = 0;
    im->rec_line = record_line;
  }
  if (idx >= C837_IMPORT_MAX_FIELDS)
    return;
  im->off[idx] = im->rec.len;
  if (c837_buf_put(&im->rec, s, len) != 0 ||
      c837_buf_putc(&im->rec, '\0') != 0) {
    c837_csvpos_fail(&im->pos, C837_ENOMEM, record_line, idx, "record",
                     "out of memory (or a record over %d bytes)",
                     C837_IMPORT_MAX_LINE);
    return;
  }
  im->nf = idx + 1;
}

static void rec_record(void *ud, size_t n_fields, unsigned long record_line)
{
  c837_import *im = ud;
  (void)record_line;
  if (n_fields == 0)
    return;
  im->on_rec(im);
}

void c837_import_feed_csv(c837_import *im, void (*on_rec)(c837_import *im),
                          const char *header)
{
  char chunk[16384];
  size_t got;
  im->on_rec = on_rec;
  while (im->pos.st == C837_OK &&
         (got = fread(chunk, 1, sizeof chunk, im->fp)) > 0)
    c837_csvpos_feed(&im->pos, chunk, got);
  if (im->pos.st == C837_OK && ferror(im->fp))
    c837_csvpos_fail(&im->pos, C837_EIO, im->pos.field_line, 0, "record",
                     "read error: %s", strerror(errno));
  c837_csvpos_finish(&im->pos);
  im->fed = 1;
  if (im->pos.st == C837_OK && !im->header)
    c837_csvpos_fail(&im->pos, C837_ECSV, im->pos.record_line, 0, "header",
                     "expected the %s header row, found none", header);
}

const char *c837_import_field(const c837_import *im, size_t i, size_t *len)
{
  const char *s;
  if (i >= im->nf) {
    *len = 0;
    return "";
  }
  s = im->rec.p + im->off[i];
  *len = strlen(s);
  return s;
}

/* ------------------------------------------------------------------ */
/* Helpers                                                             */
/* ------------------------------------------------------------------ */

void c837_import_fail(c837_import *im, size_t col, const char *name,
                      const char *what, const char *text, size_t len)
{
  char sh[C837_CSVPOS_SHOW_SIZE];
  c837_csvpos_fail(&im->pos, C837_ECSV, im->lineno, col ? col - 1 : 0, name,
                   "expected %s, found %s", what,
                   c837_csvpos_show(&im->pos, sh, sizeof sh, text, len));
}

static void trim(const char **s, size_t *len)
{
  while (*len > 0 && ((*s)[0] == ' ' || (*s)[0] == '\t')) {
    (*s)++;
    (*len)--;
  }
  while (*len > 0 && ((*s)[*len - 1] == ' ' || (*s)[*len - 1] == '\t'))
    (*len)--;
}

const c837_code *c837_import_code(const c837_import *im, const char *s,
                                  size_t len)
{
  size_t it;
  trim(&s, &len);
  if (len == 0 || len >= C837_CODE_MAX)
    return NULL;
  return c837_rlist_first(&im->t->codes, s, len, &it);
}

void c837_import_text(char *dst, size_t dstsz, const char *s, size_t len)
{
  size_t i, o = 0;
  trim(&s, &len);
  for (i = 0; i < len; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c >= 0x80) {
      if (o + 2 >= dstsz)
        break;
      dst[o++] = (char)(0xC0 | (c >> 6));
      dst[o++] = (char)(0x80 | (c & 0x3F));
    } else {
      if (o + 1 >= dstsz)
        break;
      dst[o++] = c < 0x20 || c == 0x7f ? ' ' : (char)c;
    }
  }
  dst[o] = '\0';
}

int c837_import_date(const char *s, size_t len, int32_t *d)
{
  size_t i;
  *d = 0;
  for (i = 0; i < len && s[i] == ' '; i++)
    ;
  if (i == len)
    return 0;
  return c837_parse_date((c837_span){s, len}, d);
}

int c837_import_keep(c837_import *im, const void *row, uint32_t mask)
{
  const c837_rlist_def *def = im->target->def;
  const c837_csvschema *S = def->schema;
  char a[C837_CSV_FORMAT_SIZE], b[C837_CSV_FORMAT_SIZE];
  char kb[C837_CSV_FORMAT_SIZE];
  const void *old = NULL;
  size_t k, it;
  int rc;

  /* the existing row of the same unique key, to count a change */
  const char *key = c837_csvschema_format(S, (size_t)def->key, row, kb,
                                          sizeof kb);
  for (old = c837_rlist_first(im->target, key, strlen(key), &it); old;
       old = c837_rlist_next(im->target, &it)) {
    int same = 1, u;
    for (u = 0; u < def->n_uniq && same; u++)
      same = strcmp(c837_csvschema_format(S, (size_t)def->uniq[u], old, a,
                                          sizeof a),
                    c837_csvschema_format(S, (size_t)def->uniq[u], row, b,
                                          sizeof b)) == 0;
    if (same)
      break;
  }
  im->st->matched++;
  if (old) {
    for (k = 0; k < S->n_cols; k++)
      if ((mask & (1u << k)) &&
          strcmp(c837_csvschema_format(S, k, old, a, sizeof a),
                 c837_csvschema_format(S, k, row, b, sizeof b)) != 0) {
        im->st->changed++;
        break;
      }
  }
  rc = c837_rlist_edit_add(&im->edit, def, row, mask, im->lineno);
  if (rc == 0)
    return 0;
  c837_csvpos_fail(&im->pos, rc == C837_BUF_LIMIT ? C837_ECSV : C837_ENOMEM,
                   im->lineno, 0, S->cols[def->uniq[0]].name,
                   rc == C837_BUF_LIMIT ? "expected at most %lu rows to "
                                          "import, found more"
                                        : "out of memory (%lu rows)",
                   (unsigned long)def->max_rows);
  return -1;
}

/* ------------------------------------------------------------------ */
/* The driver                                                          */
/* ------------------------------------------------------------------ */

int c837_import_from_name(const char *s)
{
  int k;
  for (k = 0; s && k < C837_IMPORT_COUNT; k++)
    if (strcmp(s, c837_import_name((c837_import_kind)k)) == 0)
      return k;
  return -1;
}

c837_status c837_codetable_import(c837_codetable *t, c837_import_kind kind,
                                  const char *path,
                                  const c837_import_options *o,
                                  c837_import_stats *st, c837_error *err)
{
  static const c837_import_options defaults = {0, 0};
  static void (*const run[C837_IMPORT_COUNT])(c837_import *) = {
      [C837_IMPORT_HCPCS] = c837_import_hcpcs,
      [C837_IMPORT_MUE] = c837_import_mue,
      [C837_IMPORT_PTP] = c837_import_ptp,
      [C837_IMPORT_OPPS] = c837_import_opps,
      [C837_IMPORT_DRG018] = c837_import_drg018,
  };
  c837_error local;
  c837_import_stats local_st;
  c837_import *im;
  c837_status rc;
  size_t before, k;

  if (err == NULL)
    err = &local;
  if (st == NULL)
    st = &local_st;
  c837_error_clear(err);
  memset(st, 0, sizeof *st);
  if (t == NULL || path == NULL || (int)kind < 0 || kind >= C837_IMPORT_COUNT)
    return c837_error_set(err, C837_EINVAL, 0, 0,
                          "code table, import kind or path missing");
  im = calloc(1, sizeof *im);
  if (im == NULL)
    return c837_error_set(err, C837_ENOMEM, 0, 0, "%s: out of memory",
                          path);
  im->t = t;
  im->o = o ? o : &defaults;
  im->st = st;
  im->path = path;
  im->rec.limit = C837_IMPORT_MAX_LINE + C837_IMPORT_MAX_FIELDS;
  im->target = kind == C837_IMPORT_PTP      ? &t->list[C837_LIST_PTP]
               : kind == C837_IMPORT_DRG018 ? &t->list[C837_LIST_PCS]
                                            : &t->codes;
  for (k = 0; k < C837_CSV_MAX_COLS; k++)
    im->col_of[k] = -1;
  im->fp = fopen(path, "rb");
  if (im->fp == NULL) {
    int e = errno;
    free(im);
    return c837_error_set(err, c837_errno_status(e), 0, 0,
                          "%s: cannot open: %s", path, strerror(e));
  }
  if (c837_csvpos_init(&im->pos, path, -1, 0, err, rec_field, rec_record,
                       im) != 0)
    c837_csvpos_fail(&im->pos, C837_ENOMEM, 1, 0, "file", "out of memory");
  else
    run[kind](im);
  if (!im->fed)
    c837_csvpos_finish(&im->pos);
  before = im->target->n;
  if (im->pos.st == C837_OK)
    c837_rlist_apply(im->target, &im->edit, 0, &im->pos, im->col_of, t);
  rc = im->pos.st;
  if (rc == C837_OK) {
    st->added = im->target->n - before;
    c837_codetable_derive(t);
    c837_error_clear(err);
  } else {
    st->changed = st->added = 0;
  }
  fclose(im->fp);
  c837_rlist_edit_free(&im->edit);
  c837_buf_free(&im->rec);
  free(im);
  return rc;
}
