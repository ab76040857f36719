/* csvpos.h -- private: reading CSV with libcsv while knowing where each
 * field starts, and the error messages that say so
 *
 * Shared by codetable.c (--codes files, the built-in table) and ledger.c
 * (--state files).  Both parse strictly with libcsv, hand every field and
 * record to their own checks, and report the first fault as
 * "FILE:LINE:COLUMN: NAME: expected ..., found ...".  libcsv does not
 * count lines, so this module feeds it one byte at a time and keeps the
 * 1-based CSV line where every field and record starts, through blank
 * lines, CRLF, lone CR and quoted fields that span lines.
 * Nothing here is part of the public interface.
 */
#ifndef C837_CSVPOS_H
#define C837_CSVPOS_H

#include "cart837.h"

#include <csv.h>

/* Smallest buffer c837_csvpos_show accepts: a quote, 40 bytes, a quote,
 * "..." and the NUL. */
#define C837_CSVPOS_SHOW_SIZE 48

/* Flags for c837_csvpos_init; the two readers differ in these details. */
enum {
  /* A space or tab before a record's first field does not start that
   * field (libcsv skips it), so a record after a line of blanks starts
   * on its own line (codetable.c). */
  C837_CSVPOS_SKIP_BLANKS = 1,
  /* c837_csvpos_show writes 'text'... (single quotes, "..." after the
   * closing one) and shows every byte outside printable ASCII as '?'
   * (ledger.c).  Without it: "text..." (double quotes around the "...")
   * with only control bytes as '?'. */
  C837_CSVPOS_SHOW_ASCII = 2
};

/* Called for every field: idx is its 0-based number in the record, s the
 * text (never NULL; not NUL-terminated), line the CSV line the field
 * starts on, record_line the line its record starts on. */
typedef void (*c837_csvpos_field_fn)(void *ud, size_t idx, const char *s,
                                     size_t len, unsigned long line,
                                     unsigned long record_line);
/* Called at the end of every record with its number of fields. */
typedef void (*c837_csvpos_record_fn)(void *ud, size_t n_fields,
                                      unsigned long record_line);

/* One parse.  Lives wherever the caller likes (usually inside its own
 * parse state, which is then the callbacks' ud); no heap of its own but
 * libcsv's, released by c837_csvpos_finish. */
typedef struct c837_csvpos {
  /* Read and written by the caller. */
  c837_status st;            /* first error, C837_OK while none; a caller
                                may set it, after filling *err itself, to
                                stop the parse */
  int header_done;           /* set by the caller once the header row is
                                read; until then every label is "header" */
  const char *const *labels; /* labels[i]: header name of field i, for */
  size_t n_labels;           /* i < n_labels (NULL and 0 after init) */
  /* Read-only for the caller; valid during the callbacks. */
  unsigned long field_line;  /* line the current field starts on */
  unsigned long record_line; /* line the current record starts on */

  /* Private. */
  const char *name;
  int name_max;
  int flags;
  c837_error *err;
  c837_csvpos_field_fn on_field;
  c837_csvpos_record_fn on_record;
  void *ud;
  unsigned long line;  /* line of the byte being parsed */
  size_t field_no;     /* 0-based number of the current field */
  int need_start;      /* the next field has not started yet */
  char prev;           /* the byte fed before */
  struct csv_parser parser;
} c837_csvpos;

/* Prepares P to parse a file called name (shown in messages, at most
 * name_max bytes of it, all of it when name_max < 0; borrowed) with
 * libcsv in CSV_STRICT | CSV_STRICT_FINI mode; flags are C837_CSVPOS_*.
 * Errors go to *err (borrowed; err->code and err->msg are set on the
 * first fault only).  Returns 0, or -1 when libcsv has no memory: then P
 * may still be given to c837_csvpos_fail, but not fed nor finished. */
int c837_csvpos_init(c837_csvpos *P, const char *name, int name_max,
                     int flags, c837_error *err,
                     c837_csvpos_field_fn on_field,
                     c837_csvpos_record_fn on_record, void *ud);

/* Parses buf[0..len), which continues what was fed before, calling the
 * callbacks.  Stops at the first error (a byte libcsv rejects is
 * C837_ECSV at its line; libcsv out of memory is C837_ENOMEM).  Does
 * nothing once P->st is not C837_OK. */
void c837_csvpos_feed(c837_csvpos *P, const char *buf, size_t len);

/* Ends the parse: unless an error came first, flushes libcsv (the last
 * record's callbacks; an open quote is C837_ECSV).  Always releases
 * libcsv's memory; P may still be given to c837_csvpos_fail (for checks
 * that span records) and its fields read.  Returns P->st. */
c837_status c837_csvpos_finish(c837_csvpos *P);

/* Records the first error, st, as "NAME:LINE:COLUMN: LABEL: what" in
 * *err (COLUMN is idx + 1; LABEL NULL means c837_csvpos_label(P, idx);
 * what is fmt with its arguments).  Does nothing once P->st is not
 * C837_OK. */
void c837_csvpos_fail(c837_csvpos *P, c837_status st, unsigned long line,
                      size_t idx, const char *label, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

/* Header name of field idx for messages: "header" until the header row
 * is done, then labels[idx], or "(beyond the header)". */
const char *c837_csvpos_label(const c837_csvpos *P, size_t idx);

/* Quotes a found value s[0..len) for a message into buf (bufsz at least
 * C837_CSVPOS_SHOW_SIZE, else "" is returned): at most 40 bytes, then
 * "..." when cut, in the style P's flags choose.  Returns buf. */
const char *c837_csvpos_show(const c837_csvpos *P, char *buf, size_t bufsz,
                             const char *s, size_t len);

#endif
