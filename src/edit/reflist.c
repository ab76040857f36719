/* reflist.c -- a list of fixed-size rows read from CSV, with a key index
 *
 * The loader of the code table and of every reference list: parse
 * (csvread), duplicate keys, merge into a copy, index, checks, install.
 * The steps and contracts are in reflist.h.
 */
#include "edit/reflist.h"
#include "base/buf.h"
#include "base/err.h"
#include "base/limits.h"
#include "base/util.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* The separator of the columns of a composite key (not a byte any
 * checked column can hold). */
#define KEY_SEP '\x1f'

void c837_rlist_init(c837_rlist *L, const c837_rlist_def *def)
{
  memset(L, 0, sizeof *L);
  L->def = def;
}

void c837_rlist_free(c837_rlist *L)
{
  free(L->rows);
  free(L->head);
  free(L->next);
  c837_map_free(&L->keys);
  L->rows = NULL;
  L->head = L->next = NULL;
  L->n = 0;
}

static size_t row_size(const c837_rlist_def *def)
{
  return def->schema->row_size;
}

/* The text of column k of row, as written (a buffer of
 * C837_CSV_FORMAT_SIZE bytes for numbers). */
static const char *col_text(const c837_rlist_def *def, int k,
                            const void *row, char *buf)
{
  return c837_csvschema_format(def->schema, (size_t)k, row, buf,
                               C837_CSV_FORMAT_SIZE);
}

/* The unique key of row into b (cleared first): its columns' text
 * joined by KEY_SEP.  0 or -1 (memory). */
static int uniq_key(const c837_rlist_def *def, const void *row, c837_buf *b)
{
  char buf[C837_CSV_FORMAT_SIZE];
  int i;
  c837_buf_clear(b);
  for (i = 0; i < def->n_uniq; i++) {
    if (i > 0 && c837_buf_putc(b, KEY_SEP) != 0)
      return -1;
    if (c837_buf_puts(b, col_text(def, def->uniq[i], row, buf)) != 0)
      return -1;
  }
  return 0;
}

/* ------------------------------------------------------------------ */
/* Look-ups                                                            */
/* ------------------------------------------------------------------ */

const void *c837_rlist_first(const c837_rlist *L, const char *key,
                             size_t len, size_t *it)
{
  size_t id;
  if (L->n == 0)
    return NULL;
  id = c837_map_find(&L->keys, key, len);
  if (id == C837_MAP_NONE)
    return NULL;
  *it = L->head[id];
  return c837_rlist_at(L, *it);
}

const void *c837_rlist_next(const c837_rlist *L, size_t *it)
{
  if (*it >= L->n || L->next[*it] == C837_NO_INDEX)
    return NULL;
  *it = L->next[*it];
  return c837_rlist_at(L, *it);
}

/* Builds the look-up index of rows[0 .. n) into *L (rows not owned by
 * it yet).  0 or -1 (memory; L's index is then freed). */
static int build_index(c837_rlist *L)
{
  size_t i, *tail = NULL;
  char buf[C837_CSV_FORMAT_SIZE];
  L->head = malloc((L->n ? L->n : 1) * sizeof *L->head);
  L->next = malloc((L->n ? L->n : 1) * sizeof *L->next);
  tail = malloc((L->n ? L->n : 1) * sizeof *tail);
  if (L->head == NULL || L->next == NULL || tail == NULL)
    goto fail;
  for (i = 0; i < L->n; i++) {
    const char *k = col_text(L->def, L->def->key, c837_rlist_at(L, i), buf);
    size_t id;
    int added = c837_map_intern(&L->keys, k, strlen(k), &id);
    if (added < 0)
      goto fail;
    L->next[i] = C837_NO_INDEX;
    if (added) {
      L->head[id] = i;
    } else {
      L->next[tail[id]] = i;
    }
    tail[id] = i;
  }
  free(tail);
  return 0;
fail:
  free(tail);
  free(L->head);
  free(L->next);
  L->head = L->next = NULL;
  c837_map_free(&L->keys);
  return -1;
}

/* ------------------------------------------------------------------ */
/* Edits: rows to merge                                                */
/* ------------------------------------------------------------------ */

int c837_rlist_edit_add(c837_rlist_edit *E, const c837_rlist_def *def,
                        const void *row, uint32_t mask, unsigned long line)
{
  size_t rs = row_size(def);
  int rc = c837_vec_reserve(&E->rows, &E->cap_rows, E->n + 1, rs, 16,
                            def->max_rows);
  if (rc == 0)
    rc = c837_vec_reserve(&E->line, &E->cap_line, E->n + 1, sizeof *E->line,
                          16, 0);
  if (rc == 0)
    rc = c837_vec_reserve(&E->mask, &E->cap_mask, E->n + 1, sizeof *E->mask,
                          16, 0);
  if (rc != 0)
    return rc;
  memcpy(E->rows + E->n * rs, row, rs);
  E->line[E->n] = line;
  E->mask[E->n] = mask;
  E->n++;
  return 0;
}

void c837_rlist_edit_free(c837_rlist_edit *E)
{
  free(E->rows);
  free(E->line);
  free(E->mask);
  memset(E, 0, sizeof *E);
}

static const void *edit_row(const c837_rlist_def *def,
                            const c837_rlist_edit *E, size_t i)
{
  return E->rows + i * row_size(def);
}

/* Field of column k for messages: col_of[k], else that of the first
 * unique column, else 0. */
static size_t field_of(const c837_rlist_def *def, const int *col_of, int k)
{
  if (k >= 0 && col_of[k] >= 0)
    return (size_t)col_of[k];
  if (col_of[def->uniq[0]] >= 0)
    return (size_t)col_of[def->uniq[0]];
  return 0;
}

/* Fails on the earliest row whose key came before in E (step 2). */
static void check_duplicates(const c837_rlist_def *def,
                             const c837_rlist_edit *E, c837_csvpos *P,
                             const int *col_of)
{
  c837_map seen = {0};
  c837_buf key = C837_BUF_INIT(0);
  size_t i, id, *first = malloc((E->n ? E->n : 1) * sizeof *first);
  for (i = 0; i < E->n && P->st == C837_OK; i++) {
    int added = -1;
    if (first == NULL || uniq_key(def, edit_row(def, E, i), &key) != 0 ||
        (added = c837_map_intern(&seen, key.p, key.len, &id)) < 0) {
      c837_csvpos_fail(P, C837_ENOMEM, E->line[i], 0, NULL,
                       "out of memory");
      break;
    }
    if (added) {
      first[id] = i; /* ids are dense, in the order keys came */
    } else {
      char sh[C837_CSVPOS_SHOW_SIZE];
      size_t j;
      for (j = 0; j < key.len; j++)
        if (key.p[j] == KEY_SEP)
          key.p[j] = '/';
      c837_csvpos_fail(
          P, C837_ECSV, E->line[i], field_of(def, col_of, def->uniq[0]),
          def->schema->cols[def->uniq[0]].name,
          "expected each %s once in the file, found %s again (first on "
          "line %lu)",
          def->what, c837_csvpos_show(P, sh, sizeof sh, key.p, key.len),
          E->line[first[id]]);
    }
  }
  free(first);
  c837_map_free(&seen);
  c837_buf_free(&key);
}

/* Merges E into a copy of L (step 3): the copy in *out, the row each of
 * E's rows went to in where[]. */
static void merge(const c837_rlist *L, const c837_rlist_edit *E,
                  int replace_all, c837_csvpos *P, const int *col_of,
                  c837_rlist *out, size_t *where)
{
  const c837_rlist_def *def = L->def;
  size_t rs = row_size(def), base = replace_all ? 0 : L->n, i, k, id;
  size_t total = base + E->n ? base + E->n : 1;
  c837_map U = {0};
  c837_buf key = C837_BUF_INIT(0);
  size_t n = 0, *rowof = malloc(total * sizeof *rowof); /* key id -> row */

  c837_rlist_init(out, def);
  out->rows = malloc(total * rs);
  if (out->rows == NULL || rowof == NULL)
    goto nomem;
  for (i = 0; i < base + E->n; i++) {
    const void *src = i < base ? c837_rlist_at(L, i)
                               : edit_row(def, E, i - base);
    int added;
    if (uniq_key(def, src, &key) != 0 ||
        (added = c837_map_intern(&U, key.p, key.len, &id)) < 0)
      goto nomem;
    if (added) {
      if (n + 1 > def->max_rows) {
        c837_csvpos_fail(P, C837_ECSV, i < base ? 1 : E->line[i - base],
                         field_of(def, col_of, def->uniq[0]),
                         def->schema->cols[def->uniq[0]].name,
                         "expected at most %lu rows in the %s, found more",
                         (unsigned long)def->max_rows, def->unit);
        goto out;
      }
      memcpy(out->rows + n * rs, src, rs);
      rowof[id] = n++;
    } else { /* an existing row takes the columns the edit sets */
      for (k = 0; k < def->schema->n_cols; k++)
        if (i >= base && (E->mask[i - base] & (1u << k)))
          c837_csvschema_copy(def->schema, k, out->rows + rowof[id] * rs,
                              src);
    }
    if (i >= base)
      where[i - base] = rowof[id];
  }
  out->n = n;
  if (build_index(out) != 0)
    goto nomem;
  goto out;
nomem:
  c837_csvpos_fail(P, C837_ENOMEM, E->n ? E->line[0] : 1, 0, NULL,
                   "out of memory");
out:
  free(rowof);
  c837_map_free(&U);
  c837_buf_free(&key);
}

void c837_rlist_apply(c837_rlist *L, const c837_rlist_edit *E,
                      int replace_all, c837_csvpos *P, const int *col_of,
                      void *ud)
{
  c837_rlist copy;
  size_t *where, i;

  check_duplicates(L->def, E, P, col_of);
  if (P->st != C837_OK)
    return;
  where = malloc((E->n ? E->n : 1) * sizeof *where);
  if (where == NULL) {
    c837_csvpos_fail(P, C837_ENOMEM, 1, 0, NULL, "out of memory");
    return;
  }
  merge(L, E, replace_all, P, col_of, &copy, where);
  for (i = 0; i < E->n && P->st == C837_OK && L->def->check; i++) {
    c837_rlist_chk k = {P, E->line[i], col_of, &copy, ud};
    L->def->check(&k, c837_rlist_at(&copy, where[i]));
  }
  free(where);
  if (P->st != C837_OK) {
    c837_rlist_free(&copy);
    return;
  }
  c837_rlist_free(L);
  *L = copy;
}

void c837_rlist_fail(const c837_rlist_chk *k, int col, int alt,
                     const char *fmt, ...)
{
  const c837_rlist_def *def = k->list->def;
  char what[256];
  int c = col >= 0 && k->col_of[col] >= 0 ? col
          : alt >= 0 && k->col_of[alt] >= 0 ? alt
                                             : def->uniq[0];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(what, sizeof what, fmt, ap);
  va_end(ap);
  c837_csvpos_fail(k->pos, C837_ECSV, k->line, field_of(def, k->col_of, c),
                   def->schema->cols[c].name, "%s", what);
}

/* ------------------------------------------------------------------ */
/* Loading a file                                                      */
/* ------------------------------------------------------------------ */

/* State of one load: the parse and its pending rows. */
typedef struct loader {
  c837_csvread R;
  const c837_rlist_def *def;
  c837_rlist_edit E;
  uint32_t mask;             /* the columns the header names */
  void *cur;                 /* the record being read */
} loader;

/* A data record, checked field by field: kept as pending (step 1). */
static void on_row(void *ud, void *row, unsigned long record_line)
{
  loader *Ld = ud;
  int rc = c837_rlist_edit_add(&Ld->E, Ld->def, row, Ld->mask, record_line);
  const char *kname = Ld->def->schema->cols[Ld->def->uniq[0]].name;
  if (rc == C837_BUF_LIMIT)
    c837_csvpos_fail(&Ld->R.pos, C837_ECSV, record_line, 0, kname,
                     "expected at most %lu rows, found more",
                     (unsigned long)Ld->def->max_rows);
  else if (rc != 0)
    c837_csvpos_fail(&Ld->R.pos, C837_ENOMEM, record_line, 0, kname,
                     "out of memory");
}

c837_status c837_rlist_load(c837_rlist *L, const char *name,
                            const char *buf, size_t len, int replace_all,
                            void *ud, c837_error *err)
{
  loader Ld;
  c837_csvpos *P = &Ld.R.pos;
  size_t k;
  c837_status st;

  memset(&Ld, 0, sizeof Ld);
  Ld.def = L->def;
  Ld.cur = calloc(1, row_size(L->def));
  if (Ld.cur == NULL)
    return c837_error_set(err, C837_ENOMEM, 0, 0, "%s: out of memory", name);
  /* A UTF-8 byte-order mark, as spreadsheets write it, is not data. */
  if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0) {
    buf += 3;
    len -= 3;
  }
  if (c837_csvread_init(&Ld.R, L->def->schema, Ld.cur, name, -1,
                        C837_CSVPOS_SKIP_BLANKS, err, on_row, &Ld) != 0) {
    c837_csvpos_fail(P, C837_ENOMEM, 1, 0, "header", "out of memory");
  } else {
    c837_csvpos_feed(P, buf, len);
    if (c837_csvpos_finish(P) == C837_OK && !P->header_done)
      c837_csvpos_fail(P, C837_ECSV, 1, 0, "header",
                       "expected a header row, found an empty file");
  }
  for (k = 0; k < L->def->schema->n_cols; k++)
    if (Ld.R.col_of[k] >= 0)
      Ld.mask |= 1u << k;
  for (k = 0; k < Ld.E.n; k++)
    Ld.E.mask[k] = Ld.mask;
  if (P->st == C837_OK)
    c837_rlist_apply(L, &Ld.E, replace_all, P, Ld.R.col_of, ud);
  st = P->st;
  c837_rlist_edit_free(&Ld.E);
  free(Ld.cur);
  /* a fault was recorded in *err by csvpos (code and message) */
  if (st == C837_OK)
    c837_error_clear(err);
  return st;
}

c837_status c837_read_small_file(const char *path, c837_buf *out,
                                 c837_error *err)
{
  FILE *fp = fopen(path, "rb");
  char chunk[16384];
  size_t got;
  c837_status st = C837_OK;

  if (fp == NULL) {
    int e = errno;
    return c837_error_set(err, c837_errno_status(e), 0, 0,
                          "%s: cannot open: %s", path, strerror(e));
  }
  *out = (c837_buf)C837_BUF_INIT(C837_CODETABLE_MAX_BYTES);
  while (st == C837_OK && (got = fread(chunk, 1, sizeof chunk, fp)) > 0) {
    int rc = c837_buf_put(out, chunk, got);
    if (rc == C837_BUF_LIMIT)
      st = c837_error_set(err, C837_ECSV, 0, 0,
                          "%s: expected a table of at most %lu bytes, "
                          "found more",
                          path, (unsigned long)C837_CODETABLE_MAX_BYTES);
    else if (rc != 0)
      st = c837_error_set(err, C837_ENOMEM, 0, 0, "%s: out of memory",
                          path);
  }
  if (st == C837_OK && ferror(fp))
    st = c837_error_set(err, C837_EIO, 0, 0, "%s: read error: %s", path,
                        strerror(errno));
  fclose(fp);
  if (st != C837_OK)
    c837_buf_free(out);
  return st;
}

c837_status c837_rlist_load_file(c837_rlist *L, const char *path,
                                 int replace_all, void *ud, c837_error *err)
{
  c837_buf buf;
  c837_status st;
  c837_error_clear(err);
  st = c837_read_small_file(path, &buf, err);
  if (st != C837_OK)
    return st;
  st = c837_rlist_load(L, path, buf.p ? buf.p : "", buf.len, replace_all, ud,
                       err);
  c837_buf_free(&buf);
  return st;
}

int c837_rlist_write(const c837_rlist *L, FILE *fp)
{
  size_t i;
  if (c837_csvschema_write_header(L->def->schema, fp, "\n") != 0)
    return -1;
  for (i = 0; i < L->n; i++)
    if (c837_csvschema_write_row(L->def->schema, c837_rlist_at(L, i), fp,
                                 "\n") != 0)
      return -1;
  return 0;
}
