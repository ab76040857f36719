/* csvpos.c -- CSV reading with libcsv that knows the line of every field
 *
 * libcsv reports fields and records but not where they are, so the bytes
 * are fed to csv_parse one at a time while lines are counted here: LF,
 * CRLF and a lone CR each end a line, also inside a quoted field.  A
 * field starts at its first byte that is not a line end (nor, with
 * C837_CSVPOS_SKIP_BLANKS, a blank before a record's first field, which
 * libcsv skips); an empty field that libcsv reports before any such byte
 * came starts where the parse is, and a record starts with its first
 * field.  Blank lines between records are skipped by libcsv and so only
 * move the line count on.
 *
 * The callers (codetable.c, ledger.c) check the fields in their
 * callbacks and report faults through c837_csvpos_fail, so that every
 * message has the one form "FILE:LINE:COLUMN: NAME: expected ..., found
 * ...", with the found value quoted by c837_csvpos_show.  Contracts are
 * in csvpos.h.
 */
#include "base/csvpos.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* Bytes of a found value c837_csvpos_show quotes before it cuts. */
#define SHOW_MAX 40

int c837_csvpos_init(c837_csvpos *P, const char *name, int name_max,
                     int flags, c837_error *err,
                     c837_csvpos_field_fn on_field,
                     c837_csvpos_record_fn on_record, void *ud)
{
  memset(P, 0, sizeof *P);
  P->st = C837_OK;
  P->name = name;
  P->name_max = name_max;
  P->flags = flags;
  P->err = err;
  P->on_field = on_field;
  P->on_record = on_record;
  P->ud = ud;
  P->line = P->field_line = P->record_line = 1;
  P->need_start = 1;
  if (csv_init(&P->parser, CSV_STRICT | CSV_STRICT_FINI) != 0)
    return -1;
  /* libcsv grows and frees its buffer through realloc and free called
   * from here rather than from libcsv itself, so that the allocation
   * test (tests/test_internal_alloc.c) sees these allocations and can
   * fail them */
  csv_set_realloc_func(&P->parser, realloc);
  csv_set_free_func(&P->parser, free);
  return 0;
}

void c837_csvpos_fail(c837_csvpos *P, c837_status st, unsigned long line,
                      size_t idx, const char *label, const char *fmt, ...)
{
  char what[256];
  size_t name_len = strlen(P->name);
  va_list ap;

  if (P->st != C837_OK)
    return;
  va_start(ap, fmt);
  vsnprintf(what, sizeof what, fmt, ap);
  va_end(ap);
  if (P->name_max >= 0 && name_len > (size_t)P->name_max)
    name_len = (size_t)P->name_max;
  P->st = st;
  P->err->code = st;
  snprintf(P->err->msg, sizeof P->err->msg, "%.*s:%lu:%lu: %s: %s",
           (int)name_len, P->name, line, (unsigned long)idx + 1,
           label != NULL ? label : c837_csvpos_label(P, idx), what);
}

const char *c837_csvpos_label(const c837_csvpos *P, size_t idx)
{
  if (!P->header_done)
    return "header";
  if (idx < P->n_labels)
    return P->labels[idx];
  return "(beyond the header)";
}

const char *c837_csvpos_show(const c837_csvpos *P, char *buf, size_t bufsz,
                             const char *s, size_t len)
{
  int ascii = (P->flags & C837_CSVPOS_SHOW_ASCII) != 0;
  char quote = ascii ? '\'' : '"';
  size_t i, o = 0;

  if (bufsz < C837_CSVPOS_SHOW_SIZE)
    return "";
  buf[o++] = quote;
  for (i = 0; i < len && i < SHOW_MAX; i++) {
    unsigned char c = (unsigned char)s[i];
    buf[o++] = (c < 0x20 || c == 0x7f || (ascii && c > 0x7f)) ? '?' : (char)c;
  }
  if (len > SHOW_MAX && !ascii) {
    memcpy(buf + o, "...", 3);
    o += 3;
  }
  buf[o++] = quote;
  if (len > SHOW_MAX && ascii) {
    memcpy(buf + o, "...", 3);
    o += 3;
  }
  buf[o] = '\0';
  return buf;
}

/* libcsv's field callback: places the field, hands it on. */
static void cb_field(void *field, size_t len, void *ud)
{
  c837_csvpos *P = ud;
  /* libcsv's buffer may not exist yet for an empty field. */
  const char *s = field ? (const char *)field : "";

  if (P->st != C837_OK)
    return;
  if (P->need_start)
    P->field_line = P->line; /* an empty field ends where it began */
  if (P->field_no == 0)
    P->record_line = P->field_line;
  P->on_field(P->ud, P->field_no, s, len, P->field_line, P->record_line);
  P->field_no++;
  P->need_start = 1;
}

/* libcsv's record callback. */
static void cb_record(int term, void *ud)
{
  c837_csvpos *P = ud;
  (void)term;

  if (P->st != C837_OK)
    return;
  P->on_record(P->ud, P->field_no, P->record_line);
  P->field_no = 0;
  P->need_start = 1;
}

void c837_csvpos_feed(c837_csvpos *P, const char *buf, size_t len)
{
  size_t i;

  for (i = 0; i < len && P->st == C837_OK; i++) {
    char b = buf[i];
    if (P->prev == '\r' && b != '\n')
      P->line++; /* a lone CR ended the previous line */
    if (P->need_start && b != '\r' && b != '\n' &&
        !((P->flags & C837_CSVPOS_SKIP_BLANKS) && P->field_no == 0 &&
          (b == ' ' || b == '\t'))) {
      P->field_line = P->line;
      P->need_start = 0;
    }
    if (csv_parse(&P->parser, &b, 1, cb_field, cb_record, P) != 1 &&
        P->st == C837_OK) {
      char sh[C837_CSVPOS_SHOW_SIZE];
      if (csv_error(&P->parser) == CSV_EPARSE)
        c837_csvpos_fail(P, C837_ECSV, P->line, P->field_no, NULL,
                         b == '"' ? "expected no quote inside an unquoted "
                                    "field, found %s"
                                  : "expected a comma or line end after a "
                                    "closing quote, found %s",
                         c837_csvpos_show(P, sh, sizeof sh, &b, 1));
      else
        c837_csvpos_fail(P, C837_ENOMEM, P->line, P->field_no, NULL, "%s",
                         csv_strerror(csv_error(&P->parser)));
    }
    if (b == '\n')
      P->line++;
    P->prev = b;
  }
}

c837_status c837_csvpos_finish(c837_csvpos *P)
{
  if (P->st == C837_OK &&
      csv_fini(&P->parser, cb_field, cb_record, P) != 0 &&
      P->st == C837_OK) {
    if (csv_error(&P->parser) == CSV_EPARSE)
      c837_csvpos_fail(P, C837_ECSV, P->field_line, P->field_no, NULL,
                       "expected a closing quote, found the end of the "
                       "file");
    else
      c837_csvpos_fail(P, C837_ENOMEM, P->line, P->field_no, NULL, "%s",
                       csv_strerror(csv_error(&P->parser)));
  }
  csv_free(&P->parser);
  return P->st;
}
