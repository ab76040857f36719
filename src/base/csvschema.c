/* csvschema.c -- CSV columns described by a table: parse, check, format
 *
 * One switch on the column type parses a field, one formats it back;
 * the reader below drives csvpos.c with them (header, field counts,
 * records).  The messages and the contracts are in csvschema.h.
 */
#include "base/csvschema.h"
#include "base/limits.h"
#include "base/util.h"

#include <csv.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ */
/* Small checks                                                        */
/* ------------------------------------------------------------------ */

static int is_blank(char c)
{
  return c == ' ' || c == '\t';
}

/* Trims blanks around [*s, *s + *len). */
static void trim(const char **s, size_t *len)
{
  while (*len > 0 && is_blank((*s)[0])) {
    (*s)++;
    (*len)--;
  }
  while (*len > 0 && is_blank((*s)[*len - 1]))
    (*len)--;
}

/* 1 when s is 1 .. max letters or digits. */
static int is_code(const char *s, size_t len, size_t max)
{
  size_t i;
  if (len == 0 || len > max)
    return 0;
  for (i = 0; i < len; i++)
    if (!c837_is_alnum((unsigned char)s[i]))
      return 0;
  return 1;
}

/* 1 when s is one or more 4-digit revenue codes separated by '|'. */
static int is_revenue_list(const char *s, size_t len)
{
  size_t i = 0;
  for (;;) {
    size_t k;
    for (k = 0; k < 4; k++)
      if (i + k >= len || s[i + k] < '0' || s[i + k] > '9')
        return 0;
    i += 4;
    if (i == len)
      return 1;
    if (s[i] != '|')
      return 0;
    i++;
  }
}

/* Digits without sign or leading zero ("0" itself is fine), at most
 * 19 of them.  0 and *v, or -1. */
static int parse_uint(const char *s, size_t len, int64_t *v)
{
  size_t i;
  int64_t x = 0;
  if (len == 0 || len > 19 || (s[0] == '0' && len > 1))
    return -1;
  for (i = 0; i < len; i++) {
    if (s[i] < '0' || s[i] > '9')
      return -1;
    x = x * 10 + (s[i] - '0');
  }
  *v = x;
  return 0;
}

/* ------------------------------------------------------------------ */
/* Values in the row                                                   */
/* ------------------------------------------------------------------ */

static void *at(void *row, const c837_csvcol *col)
{
  return (char *)row + col->offset;
}

static const void *cat(const void *row, const c837_csvcol *col)
{
  return (const char *)row + col->offset;
}

/* Stores v in an integer member of 4 (int32_t / uint32_t, which hold a
 * value in their common range alike) or 8 bytes. */
static void store_int(void *dst, size_t size, int64_t v)
{
  if (size == 8) {
    memcpy(dst, &v, 8);
  } else if (v < 0) {
    int32_t x = (int32_t)v;
    memcpy(dst, &x, 4);
  } else {
    uint32_t x = (uint32_t)v;
    memcpy(dst, &x, 4);
  }
}

static int64_t load_int(const void *src, size_t size, int is_signed)
{
  if (size == 8) {
    int64_t v;
    memcpy(&v, src, 8);
    return v;
  }
  if (is_signed) {
    int32_t v;
    memcpy(&v, src, 4);
    return v;
  }
  {
    uint32_t v;
    memcpy(&v, src, 4);
    return v;
  }
}

static void store_text(void *dst, const char *s, size_t len)
{
  memcpy(dst, s, len);
  ((char *)dst)[len] = '\0';
}

/* ------------------------------------------------------------------ */
/* Messages                                                            */
/* ------------------------------------------------------------------ */

void c837_csvfield_fail(const c837_csvfield *f, const char *fmt, ...)
{
  char what[256];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(what, sizeof what, fmt, ap);
  va_end(ap);
  c837_csvpos_fail(f->pos, C837_ECSV, f->pos->field_line, f->idx, NULL,
                   "%s", what);
}

const char *c837_csvfield_show(const c837_csvfield *f, char *buf,
                               size_t bufsz)
{
  return c837_csvpos_show(f->pos, buf, bufsz, f->s, f->len);
}

/* " or EMPTY_WORD" when the column takes an empty field, else "". */
static void or_empty(char *buf, size_t bufsz, const c837_csvcol *col,
                     const char *empty_word)
{
  if (col->flags & C837_COL_REQUIRED)
    buf[0] = '\0';
  else
    snprintf(buf, bufsz, " or %s", empty_word ? empty_word : "empty");
}

/* "step, product, watch" + " or EMPTY" / "step, product or watch". */
static void enum_words(char *buf, size_t bufsz, const c837_csvcol *col,
                       const char *empty_word)
{
  size_t i, o = 0, n = 0, last = 0;
  int takes_empty = !(col->flags & C837_COL_REQUIRED);
  for (i = 0; i < col->n_names; i++) {
    if (col->names[i][0]) {
      n++;
      last = i;
    } else {
      takes_empty = 1;
    }
  }
  buf[0] = '\0';
  for (i = 0; i < col->n_names && o < bufsz; i++) {
    const char *sep = o == 0 ? "" : (i == last && !takes_empty) ? " or "
                                                                 : ", ";
    if (!col->names[i][0])
      continue;
    o += (size_t)snprintf(buf + o, bufsz - o, "%s%s", sep, col->names[i]);
  }
  if (takes_empty && o < bufsz)
    snprintf(buf + o, bufsz - o, "%s%s", n ? " or " : "",
             empty_word ? empty_word : "empty");
}

int c837_csvfield_expected(const c837_csvfield *f, const char *what)
{
  char sh[C837_CSVPOS_SHOW_SIZE];
  c837_csvfield_fail(f, "expected %s, found %s", what,
                     c837_csvfield_show(f, sh, sizeof sh));
  return -1;
}

/* ------------------------------------------------------------------ */
/* Parsing, one function per family of types                          */
/* ------------------------------------------------------------------ */

static int parse_text(const c837_csvfield *f)
{
  const c837_csvcol *col = f->col;
  size_t i;
  if (f->len >= col->size) {
    char sh[C837_CSVPOS_SHOW_SIZE];
    if (col->type == C837_COL_TEXT)
      c837_csvfield_fail(f, "expected at most %lu characters, found %lu",
                         (unsigned long)(col->size - 1),
                         (unsigned long)f->len);
    else
      c837_csvfield_fail(f, "expected at most %lu bytes, found %lu (%s)",
                         (unsigned long)(col->size - 1),
                         (unsigned long)f->len,
                         c837_csvfield_show(f, sh, sizeof sh));
    return -1;
  }
  if ((col->flags & C837_COL_REQUIRED) && f->len == 0) {
    c837_csvfield_fail(f, "expected a value, found none");
    return -1;
  }
  for (i = 0; col->type == C837_COL_TEXT && i < f->len; i++) {
    unsigned char c = (unsigned char)f->s[i];
    if (c < 0x20 || c == 0x7f) {
      c837_csvfield_fail(f,
                         "expected text without control characters, found "
                         "byte 0x%02X at character %lu",
                         (unsigned)c, (unsigned long)i + 1);
      return -1;
    }
  }
  store_text(at(f->row, col), f->s, f->len);
  return 0;
}

/* CODE and REVENUE: char[size] of a checked form. */
static int parse_coded(const c837_csvfield *f, const char *empty_word)
{
  const c837_csvcol *col = f->col;
  char what[160], oe[32];
  int ok;
  or_empty(oe, sizeof oe, col, empty_word);
  if (col->type == C837_COL_CODE) {
    ok = is_code(f->s, f->len, col->size - 1);
    snprintf(what, sizeof what, "a code of 1 to %lu letters or digits%s",
             (unsigned long)(col->size - 1), oe);
  } else {
    ok = is_revenue_list(f->s, f->len) && f->len < col->size;
    snprintf(what, sizeof what,
             "4-digit revenue codes separated by '|' (at most %lu "
             "characters)%s",
             (unsigned long)(col->size - 1), oe);
  }
  if (!ok)
    return c837_csvfield_expected(f, what);
  store_text(at(f->row, col), f->s, f->len);
  return 0;
}

static int parse_enum(const c837_csvfield *f, const char *empty_word)
{
  const c837_csvcol *col = f->col;
  char what[160];
  size_t i;
  for (i = 0; i < col->n_names; i++)
    if (strlen(col->names[i]) == f->len &&
        memcmp(col->names[i], f->s, f->len) == 0) {
      int v = (int)i;
      memcpy(at(f->row, col), &v, sizeof v);
      return 0;
    }
  enum_words(what, sizeof what, col, empty_word);
  return c837_csvfield_expected(f, what);
}

/* INT, DECIMAL, DATE, FLAG: a number; an empty field is zero unless
 * the column is required. */
static int parse_number(const c837_csvfield *f, const char *empty_word)
{
  const c837_csvcol *col = f->col;
  char what[96], oe[32];
  int64_t v = 0;
  int32_t d = 0;
  int ok = 1;
  if (f->len == 0 && !(col->flags & C837_COL_REQUIRED)) {
    store_int(at(f->row, col), col->size, 0);
    return 0;
  }
  switch (col->type) {
  case C837_COL_INT:
    if (col->min < 0 && f->len > 1 && f->s[0] == '-' && f->s[1] != '0') {
      ok = parse_uint(f->s + 1, f->len - 1, &v) == 0;
      v = -v;
    } else {
      ok = parse_uint(f->s, f->len, &v) == 0;
    }
    ok = ok && v >= col->min && v <= col->max;
    break;
  case C837_COL_DECIMAL:
    ok = c837_parse_decimal((c837_span){f->s, f->len}, col->scale, &v) == 0 &&
         v >= col->min && v <= col->max;
    break;
  case C837_COL_DATE:
    ok = c837_parse_iso_date((c837_span){f->s, f->len}, &d) == 0;
    v = d;
    break;
  default: /* C837_COL_FLAG */
    ok = f->len == 1 && (f->s[0] == '0' || f->s[0] == '1');
    v = ok ? f->s[0] - '0' : 0;
    break;
  }
  if (!ok) {
    or_empty(oe, sizeof oe, col, empty_word);
    if (col->type == C837_COL_DATE)
      snprintf(what, sizeof what, "a date CCYY-MM-DD%s", oe);
    else if (col->type == C837_COL_FLAG)
      snprintf(what, sizeof what, "%s%s", oe[0] ? "0, 1" : "0 or 1", oe);
    else if (col->expect)
      return c837_csvfield_expected(f, col->expect);
    else
      snprintf(what, sizeof what, "a number %lld to %lld%s",
               (long long)col->min, (long long)col->max, oe);
    return c837_csvfield_expected(f, what);
  }
  store_int(at(f->row, col), col->size, v);
  return 0;
}

int c837_csvschema_parse(const c837_csvschema *S, size_t k, c837_csvpos *P,
                         size_t idx, const char *s, size_t len, void *row)
{
  c837_csvfield f;
  int rc;
  if (S->flags & C837_CSV_TRIM)
    trim(&s, &len);
  f.pos = P;
  f.col = &S->cols[k];
  f.idx = idx;
  f.s = s;
  f.len = len;
  f.row = row;
  switch (f.col->type) {
  case C837_COL_TEXT:
  case C837_COL_BYTES:
    rc = parse_text(&f);
    break;
  case C837_COL_CODE:
  case C837_COL_REVENUE:
    if (len == 0 && !(f.col->flags & C837_COL_REQUIRED)) {
      store_text(at(row, f.col), "", 0);
      rc = 0;
    } else {
      rc = parse_coded(&f, S->empty_word);
    }
    break;
  case C837_COL_ENUM:
    rc = parse_enum(&f, S->empty_word);
    break;
  case C837_COL_CUSTOM:
    rc = f.col->parse(&f);
    break;
  case C837_COL_CSTR:
    return 0; /* written only */
  default:
    rc = parse_number(&f, S->empty_word);
    break;
  }
  if (rc == 0 && f.col->check)
    rc = f.col->check(&f);
  return rc;
}

/* ------------------------------------------------------------------ */
/* Formatting and writing                                              */
/* ------------------------------------------------------------------ */

const char *c837_csvschema_format(const c837_csvschema *S, size_t k,
                                  const void *row, char *buf, size_t bufsz)
{
  const c837_csvcol *col = &S->cols[k];
  const void *p = cat(row, col);
  int iv;
  int64_t v;
  buf[0] = '\0';
  switch (col->type) {
  case C837_COL_TEXT:
  case C837_COL_BYTES:
  case C837_COL_CODE:
  case C837_COL_REVENUE:
    return (const char *)p;
  case C837_COL_CSTR: {
    const char *s;
    memcpy(&s, p, sizeof s);
    return s ? s : "";
  }
  case C837_COL_CUSTOM:
    return col->format(col, row, buf, bufsz);
  case C837_COL_ENUM:
  case C837_COL_FLAG:
    memcpy(&iv, p, sizeof iv);
    if (col->type == C837_COL_FLAG)
      return iv ? "1" : "0";
    return iv >= 0 && (size_t)iv < col->n_names ? col->names[iv] : "";
  case C837_COL_DATE:
    c837_format_iso_date(buf, bufsz, (int32_t)load_int(p, 4, 1));
    return buf;
  case C837_COL_INT:
    v = load_int(p, col->size, col->min < 0);
    if (v != 0 || !(col->flags & C837_COL_ZERO_EMPTY))
      snprintf(buf, bufsz, "%lld", (long long)v);
    return buf;
  case C837_COL_DECIMAL:
    v = load_int(p, col->size, 1);
    if (v != 0 || !(col->flags & C837_COL_ZERO_EMPTY))
      c837_format_decimal(buf, bufsz, v, col->scale);
    return buf;
  }
  return buf;
}

/* One field and what follows it: ',' or eol.  libcsv quotes it into a
 * buffer (csv_write), which goes out in one fwrite: csv_fwrite would
 * write it a byte at a time; a field too long for the buffer is written
 * by csv_fwrite, the same bytes. */
static int put(FILE *fp, const char *s, int last, const char *eol)
{
  char q[C837_CSV_FIELD_BUF];
  size_t n = strlen(s), m = n < sizeof q ? csv_write(q, sizeof q, s, n) : 0;
  if (m && m <= sizeof q) {
    if (fwrite(q, 1, m, fp) != m)
      return -1;
  } else if (csv_fwrite(fp, s, n) != 0) {
    return -1;
  }
  return fputs(last ? eol : ",", fp) == EOF ? -1 : 0;
}

int c837_csvschema_write_header(const c837_csvschema *S, FILE *fp,
                                const char *eol)
{
  size_t k;
  for (k = 0; k < S->n_cols; k++)
    if (put(fp, S->cols[k].name, k + 1 == S->n_cols, eol) != 0)
      return -1;
  return 0;
}

/* 1 when s is a plain decimal number: an optional sign, digits, an
 * optional point and digits ("-3", "+1.5", "-.5"). */
static int is_number(const char *s)
{
  int digits = 0, point = 0;
  if (*s == '-' || *s == '+')
    s++;
  for (; *s; s++) {
    if (*s >= '0' && *s <= '9')
      digits = 1;
    else if (*s == '.' && !point)
      point = 1;
    else
      return 0;
  }
  return digits;
}

int c837_csv_formula_unsafe(const char *s)
{
  switch (s[0]) {
  case '=':
  case '@':
  case '\t':
  case '\r':
  case '\'':
    return 1;
  case '+':
  case '-':
    return !is_number(s);
  default:
    return 0;
  }
}

/* One text field of a C837_CSV_FORMULA_SAFE schema: "'" before a field
 * that a spreadsheet would take for a formula. */
static int put_text(FILE *fp, const char *s, int last, const char *eol)
{
  char small[256], *buf = small;
  size_t n = strlen(s);
  int rc;
  if (!c837_csv_formula_unsafe(s))
    return put(fp, s, last, eol);
  if (n + 2 > sizeof small && !(buf = malloc(n + 2))) {
    errno = ENOMEM;
    return -1;
  }
  buf[0] = '\'';
  memcpy(buf + 1, s, n + 1);
  rc = put(fp, buf, last, eol);
  if (buf != small)
    free(buf);
  return rc;
}

int c837_csvschema_write_row(const c837_csvschema *S, const void *row,
                             FILE *fp, const char *eol)
{
  char buf[C837_CSV_FORMAT_SIZE];
  size_t k;
  for (k = 0; k < S->n_cols; k++) {
    c837_coltype t = S->cols[k].type;
    const char *s = c837_csvschema_format(S, k, row, buf, sizeof buf);
    int last = k + 1 == S->n_cols;
    if ((S->flags & C837_CSV_FORMULA_SAFE) &&
        (t == C837_COL_TEXT || t == C837_COL_BYTES || t == C837_COL_CSTR)
            ? put_text(fp, s, last, eol) != 0
            : put(fp, s, last, eol) != 0)
      return -1;
  }
  return 0;
}

void c837_csvschema_copy(const c837_csvschema *S, size_t k, void *dst,
                         const void *src)
{
  const c837_csvcol *col = &S->cols[k];
  memcpy(at(dst, col), cat(src, col), col->size);
}

size_t c837_csvschema_find(const c837_csvschema *S, const char *name,
                           size_t len)
{
  size_t k;
  for (k = 0; k < S->n_cols; k++)
    if (strlen(S->cols[k].name) == len &&
        memcmp(S->cols[k].name, name, len) == 0)
      return k;
  return S->n_cols;
}

/* ------------------------------------------------------------------ */
/* Reading a whole file                                                */
/* ------------------------------------------------------------------ */

/* A field of a header that names columns. */
static void header_by_name(c837_csvread *R, size_t idx, const char *s,
                           size_t len, unsigned long line)
{
  char sh[C837_CSVPOS_SHOW_SIZE];
  size_t k;
  if (R->S->flags & C837_CSV_TRIM)
    trim(&s, &len);
  k = c837_csvschema_find(R->S, s, len);
  if (k == R->S->n_cols) {
    c837_csvpos_fail(&R->pos, C837_ECSV, line, idx, "header",
                     "expected %s, found %s", R->S->header_expect,
                     c837_csvpos_show(&R->pos, sh, sizeof sh, s, len));
    return;
  }
  if (R->col_of[k] >= 0) {
    c837_csvpos_fail(
        &R->pos, C837_ECSV, line, idx, "header",
        "expected each column once, found %s again (first in column %d)",
        c837_csvpos_show(&R->pos, sh, sizeof sh, s, len), R->col_of[k] + 1);
    return;
  }
  /* names are distinct and known, so idx < n_cols here */
  R->col_of[k] = (int)idx;
  R->field_col[idx] = (int)k;
  R->label_of[idx] = R->S->cols[k].name;
  R->pos.n_labels = idx + 1;
}

/* A field of a header that lists every column in order. */
static void header_in_order(c837_csvread *R, size_t idx, const char *s,
                            size_t len, unsigned long line)
{
  char sh[C837_CSVPOS_SHOW_SIZE];
  const char *want;
  if (idx >= R->S->n_cols) {
    c837_csvpos_fail(&R->pos, C837_ECSV, line, idx, NULL,
                     "expected %lu fields as in the header, found more",
                     (unsigned long)R->S->n_cols);
    return;
  }
  if (R->S->flags & C837_CSV_TRIM)
    trim(&s, &len);
  want = R->S->cols[idx].name;
  if (strlen(want) != len || memcmp(want, s, len) != 0)
    c837_csvpos_fail(&R->pos, C837_ECSV, line, idx, NULL,
                     "expected column %s, found %s", want,
                     c837_csvpos_show(&R->pos, sh, sizeof sh, s, len));
}

static void on_field(void *ud, size_t idx, const char *s, size_t len,
                     unsigned long line, unsigned long record_line)
{
  c837_csvread *R = ud;
  (void)record_line;
  if (!R->pos.header_done) {
    if (R->S->flags & C837_CSV_BY_NAME)
      header_by_name(R, idx, s, len, line);
    else
      header_in_order(R, idx, s, len, line);
  } else if (idx >= R->pos.n_labels) {
    c837_csvpos_fail(&R->pos, C837_ECSV, line, idx, NULL,
                     "expected %lu fields as in the header, found more",
                     (unsigned long)R->pos.n_labels);
  } else {
    (void)c837_csvschema_parse(R->S, (size_t)R->field_col[idx], &R->pos,
                               idx, s, len, R->row);
  }
}

static void on_record(void *ud, size_t n_fields, unsigned long record_line)
{
  c837_csvread *R = ud;
  size_t k;
  if ((R->pos.header_done || !(R->S->flags & C837_CSV_BY_NAME)) &&
      n_fields < R->pos.n_labels) {
    c837_csvpos_fail(&R->pos, C837_ECSV, record_line, n_fields, NULL,
                     "expected %lu fields as in the header, found %lu",
                     (unsigned long)R->pos.n_labels,
                     (unsigned long)n_fields);
    return;
  }
  if (R->pos.header_done) {
    if (R->on_row)
      R->on_row(R->ud, R->row, record_line);
    memset(R->row, 0, R->S->row_size);
    return;
  }
  for (k = 0; k < R->S->n_cols; k++)
    if ((R->S->cols[k].flags & C837_COL_IN_HEADER) && R->col_of[k] < 0) {
      c837_csvpos_fail(&R->pos, C837_ECSV, record_line, 0, "header",
                       "expected a column named %s, found none",
                       R->S->cols[k].name);
      return;
    }
  R->pos.header_done = 1;
}

int c837_csvread_init(c837_csvread *R, const c837_csvschema *S, void *row,
                      const char *name, int name_max, int flags,
                      c837_error *err, c837_csvread_row_fn on_row,
                      void *ud)
{
  size_t k;
  int rc;
  memset(R, 0, sizeof *R);
  rc = c837_csvpos_init(&R->pos, name, name_max, flags, err, on_field,
                        on_record, R);
  R->S = S;
  R->row = row;
  R->on_row = on_row;
  R->ud = ud;
  memset(row, 0, S->row_size);
  for (k = 0; k < C837_CSV_MAX_COLS; k++)
    R->col_of[k] = -1;
  if (!(S->flags & C837_CSV_BY_NAME)) {
    for (k = 0; k < S->n_cols; k++) {
      R->col_of[k] = (int)k;
      R->field_col[k] = (int)k;
      R->label_of[k] = S->cols[k].name;
    }
    R->pos.n_labels = S->n_cols;
  }
  R->pos.labels = R->label_of;
  return rc;
}
