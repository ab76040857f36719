/* csvschema.h -- CSV columns described by a table: parse, check, format
 *
 * A CSV file of the library (the code table, the ledger, the reports) is
 * a table of columns, each one field of a C row struct.  A column is
 * described once, as data: its header name, its type, where it lives in
 * the row (offset and size), its flags and, for some types, a range, a
 * scale, a list of names or the words of its message.  From that one
 * description this module
 *   - parses and checks a field into the row (c837_csvschema_parse),
 *     reporting a fault as "FILE:LINE:COLUMN: NAME: expected ..., found
 *     ..." through csvpos.c;
 *   - reads a whole file on top of csvpos (c837_csvread): the header row
 *     (the columns in their order, or any subset in any order, by name),
 *     the field counts, every field into the row, one call per record;
 *   - formats a row back (c837_csvschema_format, _write_row), so that
 *     what is written loads back the same.
 * A new column is one line in its file's table.  Private to the library.
 *
 * Messages.  Most types word their own "expected ...": a code "a code of
 * 1 to 16 letters or digits", a date "a date CCYY-MM-DD", an enum its
 * names ("step, product, watch"), a flag "0, 1", a revenue list "4-digit
 * revenue codes separated by '|' (at most N characters)"; when an empty
 * field is allowed they add " or " and the schema's empty_word ("empty",
 * "nothing").  INT, DECIMAL and CUSTOM columns carry their own words in
 * `expect`.  Text columns say "expected at most N characters, found M"
 * (TEXT, text for people: no control characters either) or "expected at
 * most N bytes, found M ('value')" (BYTES: identifiers, any byte).  A
 * required text column that is empty says "expected a value, found
 * none".  The found value is quoted by c837_csvpos_show in the style of
 * the csvpos flags.
 */
#ifndef CART837_CSVSCHEMA_H
#define CART837_CSVSCHEMA_H

#include "base/csvpos.h"
#include "base/limits.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* What a column holds, and in which C type at row + offset. */
typedef enum c837_coltype {
  C837_COL_TEXT,    /* char[size]: text for people, at most size - 1
                       characters, no control characters */
  C837_COL_BYTES,   /* char[size]: any bytes, at most size - 1 */
  C837_COL_CODE,    /* char[size]: 1 .. size - 1 letters or digits */
  C837_COL_ENUM,    /* int (an enum): the index of the field in names */
  C837_COL_INT,     /* int32_t / int, or uint32_t when max > INT32_MAX,
                       or int64_t (size 8): digits without leading zero,
                       a '-' before them only when min < 0, min .. max */
  C837_COL_DECIMAL, /* int64_t: a decimal with at most `scale` decimals,
                       stored times 10^scale (c837_parse_decimal), min ..
                       max in stored units */
  C837_COL_DATE,    /* int32_t CCYYMMDD, written CCYY-MM-DD */
  C837_COL_FLAG,    /* int: 0 or 1 */
  C837_COL_REVENUE, /* char[size]: 4-digit codes joined by '|' */
  C837_COL_CUSTOM,  /* parsed and formatted by the column's hooks */
  C837_COL_CSTR     /* const char *: written only (reports); NULL is "" */
} c837_coltype;

/* Column flags. */
enum {
  /* An empty field is a fault.  Without it an empty field stores zero
   * ("" for text). */
  C837_COL_REQUIRED = 1,
  /* A header that names columns (C837_CSV_BY_NAME) must name this one. */
  C837_COL_IN_HEADER = 2,
  /* Zero is written as an empty field (an optional number). */
  C837_COL_ZERO_EMPTY = 4
};

/* Schema flags. */
enum {
  /* Blanks (space, tab) around a field or header name are not data. */
  C837_CSV_TRIM = 1,
  /* The header row names the columns, in any order and any subset
   * (each at most once); columns it lacks keep zero.  Without it the
   * header row is every column, in table order, spelled exactly. */
  C837_CSV_BY_NAME = 2,
  /* Written for people who open the file in a spreadsheet (the reports):
   * a text field (TEXT, BYTES, CSTR) that c837_csv_formula_unsafe finds
   * unsafe is written with a "'" before it, as OWASP's "CSV Injection"
   * page recommends, so that no claim value or file name becomes a
   * formula.  Numbers the schema formats itself (INT, DECIMAL, DATE,
   * CUSTOM) are written as they are. */
  C837_CSV_FORMULA_SAFE = 4
};

/* 1 when a spreadsheet could read the field s as a formula: it starts
 * with '=', '@', a tab or a carriage return, or with '+' or '-' and is
 * not a plain decimal number ("-3", "+1.5" stay data); and when it starts
 * with "'", so that the rule can be undone: a reader removes one leading
 * "'" from any field that has one and gets the value back. */
int c837_csv_formula_unsafe(const char *s);

typedef struct c837_csvcol c837_csvcol;

/* One field being parsed, as the hooks see it. */
typedef struct c837_csvfield {
  c837_csvpos *pos;         /* the parse (line, labels, first error) */
  const c837_csvcol *col;
  size_t idx;               /* 0-based field number in the record */
  const char *s;            /* the text (trimmed when the schema trims) */
  size_t len;
  void *row;                /* the row; the value is at row + col->offset */
} c837_csvfield;

struct c837_csvcol {
  const char *name;         /* header name */
  c837_coltype type;
  size_t offset, size;      /* of the member in the row: C837_COL_AT */
  int flags;                /* C837_COL_* */
  const char *expect;       /* INT, DECIMAL, CUSTOM: "expected EXPECT,
                               found VALUE" on a fault */
  int64_t min, max;         /* INT, DECIMAL */
  int scale;                /* DECIMAL */
  const char *const *names; /* ENUM: names[v] is the text of value v */
  size_t n_names;           /* ("" among them: the empty field's value) */
  /* Called after the type's own checks passed and the value is stored
   * (NULL: none): 0, or -1 after c837_csvfield_fail. */
  int (*check)(const c837_csvfield *f);
  /* CUSTOM: parses f into f->row: 0, or -1 after c837_csvfield_fail. */
  int (*parse)(const c837_csvfield *f);
  /* CUSTOM: the text of the column of row (the row's own storage, or
   * buf of bufsz >= C837_CSV_FORMAT_SIZE bytes). */
  const char *(*format)(const c837_csvcol *col, const void *row,
                        char *buf, size_t bufsz);
};

/* The offset and size of member m of row type T, for a c837_csvcol
 * initialiser: {.name = "code", .type = C837_COL_CODE,
 * C837_COL_AT(c837_code, code)}. */
#define C837_COL_AT(T, m) .offset = offsetof(T, m), .size = sizeof(((T *)0)->m)

/* A file's columns. */
typedef struct c837_csvschema {
  const c837_csvcol *cols;  /* table order: the order rows are written */
  size_t n_cols;            /* at most C837_CSV_MAX_COLS */
  size_t row_size;          /* bytes of the row struct */
  int flags;                /* C837_CSV_* */
  const char *empty_word;   /* "empty", "nothing": in " or EMPTY_WORD" */
  const char *header_expect; /* C837_CSV_BY_NAME: what an unknown header
                               name should have been ("a column name of
                               specs/codes.csv") */
} c837_csvschema;

/* Size of the buffer c837_csvschema_format needs. */
#define C837_CSV_FORMAT_SIZE 48

/* Parses and checks field text s[0..len) (trimmed here when the schema
 * trims) as column k into row, reporting a fault at the current field
 * line of P, field number idx.  Returns 0, or -1 after the fault was
 * recorded in P (P->st is then not C837_OK). */
int c837_csvschema_parse(const c837_csvschema *S, size_t k, c837_csvpos *P,
                         size_t idx, const char *s, size_t len, void *row);

/* The text of column k of row, as written: the row's own string, or buf
 * (bufsz >= C837_CSV_FORMAT_SIZE).  Never NULL. */
const char *c837_csvschema_format(const c837_csvschema *S, size_t k,
                                  const void *row, char *buf, size_t bufsz);

/* Writes the header row (every column name), or one row, as CSV: every
 * field through csv_fwrite (quoted), separated by ',', the row ended by
 * eol ("\n", "\r\n").  0, or -1 on a write error (errno as stdio left
 * it). */
int c837_csvschema_write_header(const c837_csvschema *S, FILE *fp,
                                const char *eol);
int c837_csvschema_write_row(const c837_csvschema *S, const void *row,
                             FILE *fp, const char *eol);

/* Copies column k's value from row src to row dst (the bytes of its
 * member), e.g. to merge only the columns a file has. */
void c837_csvschema_copy(const c837_csvschema *S, size_t k, void *dst,
                         const void *src);

/* The column named name[0..len), or S->n_cols. */
size_t c837_csvschema_find(const c837_csvschema *S, const char *name,
                           size_t len);

/* For hooks: records the fault "expected ..." (fmt and its arguments) at
 * f's field, unless an error came first. */
void c837_csvfield_fail(const c837_csvfield *f, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* For hooks: records "expected WHAT, found 'text'" at f's field (the
 * text quoted by c837_csvfield_show).  Returns -1. */
int c837_csvfield_expected(const c837_csvfield *f, const char *what);
/* For hooks: f's text quoted for a message (buf of at least
 * C837_CSVPOS_SHOW_SIZE bytes).  Returns buf. */
const char *c837_csvfield_show(const c837_csvfield *f, char *buf,
                               size_t bufsz);

/* ------------------------------------------------------------------ */
/* Reading a whole file                                                */
/* ------------------------------------------------------------------ */

/* Called at the end of every data record whose fields all parsed, with
 * the row filled (columns the header lacks are zero) and the line the
 * record starts on.  It may keep a copy; the row is cleared afterwards.
 * It may record a fault with c837_csvpos_fail(&R->pos, ...) to stop. */
typedef void (*c837_csvread_row_fn)(void *ud, void *row,
                                    unsigned long record_line);

/* One read.  Lives wherever the caller likes; no heap but csvpos's. */
typedef struct c837_csvread {
  /* The parse, its position and first error; feed it with
   * c837_csvpos_feed(&R->pos, ...) and end it with
   * c837_csvpos_finish(&R->pos).  pos.header_done says whether the
   * header row was read (an empty file leaves it 0). */
  c837_csvpos pos;
  /* Read-only for the caller: column k is field col_of[k] of every
   * record, -1 when the header lacks it. */
  int col_of[C837_CSV_MAX_COLS];

  /* Private. */
  const c837_csvschema *S;
  void *row;
  c837_csvread_row_fn on_row;
  void *ud;
  int field_col[C837_CSV_MAX_COLS];        /* field number -> column */
  const char *label_of[C837_CSV_MAX_COLS]; /* field number -> name */
} c837_csvread;

/* Prepares R to read the file called name (name, name_max and flags as
 * for c837_csvpos_init) into row (S->row_size bytes, the caller's,
 * cleared here and after every record), calling on_row (NULL: none, a
 * check only) for every data record.  Faults of the header row:
 *   by name: "header: expected HEADER_EXPECT, found 'x'", "header:
 *     expected each column once, found 'x' again (first in column N)",
 *     and, when the row ends, "header: expected a column named NAME,
 *     found none" for an C837_COL_IN_HEADER column it lacks;
 *   in order: "header: expected column NAME, found 'x'".
 * Records with more or fewer fields than the header: "expected N fields
 * as in the header, found more" / "found M".  Returns 0, or -1 when
 * libcsv has no memory (as c837_csvpos_init). */
int c837_csvread_init(c837_csvread *R, const c837_csvschema *S, void *row,
                      const char *name, int name_max, int flags,
                      c837_error *err, c837_csvread_row_fn on_row,
                      void *ud);

#endif
