/* import_int.h -- private: what the importers of public CMS files share
 * (import.c: the driver, the line and record readers; import_text.c: the
 * HCPCS fixed-width file and the MS-DRG 018 list; import_ncci.c: the
 * NCCI MUE and PTP tables and OPPS Addendum B)
 *
 * An importer reads its file streaming (any size), keeps the records for
 * the codes the table knows (or every code, o->all), and turns each into
 * a row to merge: a c837_rlist_edit of the code table or of a list, with
 * the columns it sets.  The driver then merges them the way a --codes
 * file is merged (reflist.c: duplicates, cross-field checks, all or
 * nothing).  Faults are reported through a csvpos (c837_csvpos_fail), so
 * that every message reads "FILE:LINE:COLUMN: NAME: expected ..., found
 * ...", COLUMN being the character position of a fixed-width field or
 * the field number of a delimited one.
 */
#ifndef CART837_IMPORT_INT_H
#define CART837_IMPORT_INT_H

#include "edit/codetable_int.h"
#include "base/buf.h"
#include "base/limits.h"
#include "base/util.h"

#include <stdio.h>

/* One import. */
typedef struct c837_import {
  c837_codetable *t;
  const c837_import_options *o;
  c837_import_stats *st;
  const char *path;
  FILE *fp;
  c837_csvpos pos;           /* messages (and the CSV formats' parse) */
  c837_rlist *target;        /* the list the rows go to */
  c837_rlist_edit edit;      /* the rows to merge */
  int col_of[C837_CSV_MAX_COLS]; /* column -> position / field, messages */
  /* The line reader (the text formats). */
  char line[C837_IMPORT_MAX_LINE + 1];
  size_t len;
  unsigned long lineno;
  /* The record reader (the CSV formats): the fields of the record being
   * read, back to back with their NULs, and where each starts. */
  c837_buf rec;
  size_t off[C837_IMPORT_MAX_FIELDS];
  size_t nf;                 /* fields kept (at most the limit) */
  unsigned long rec_line;    /* line the record starts on */
  void (*on_rec)(struct c837_import *im);
  int fed;                   /* the CSV parse was finished */
  /* The importer's own: whether its header was seen, and where its
   * columns are. */
  int header;
  int fcol[8];
} c837_import;

/* Reads im->fp as CSV to its end (libcsv strict, through im->pos),
 * calling on_rec at the end of every record with its fields
 * (c837_import_field); when on_rec never set im->header, fails "expected
 * the HEADER header row, found none". */
void c837_import_feed_csv(c837_import *im, void (*on_rec)(c837_import *im),
                          const char *header);
/* Field i of the record being read (NUL-terminated, *len its length;
 * "" beyond the record's fields). */
const char *c837_import_field(const c837_import *im, size_t i, size_t *len);

/* Reads the next line into im->line (NUL-terminated, without its CR / LF)
 * and im->len.  1 a line, 0 the end, -1 a fault (recorded: a NUL byte, a
 * line longer than C837_IMPORT_MAX_LINE, a read error). */
int c837_import_getline(c837_import *im);

/* Records "expected WHAT, found 'text'" at line im->lineno, 1-based
 * column col, labelled name (the field's name in the CMS layout). */
void c837_import_fail(c837_import *im, size_t col, const char *name,
                      const char *what, const char *text, size_t len);

/* Adds a row to merge into im->target, setting the columns of mask;
 * counts it as matched, and as changed when an existing row of the same
 * key differs in those columns.  0, or -1 (recorded: memory, too many
 * rows). */
int c837_import_keep(c837_import *im, const void *row, uint32_t mask);

/* The code table's row of code (a NUL-terminated copy of s[0 .. len),
 * blanks around it dropped), or NULL. */
const c837_code *c837_import_code(const c837_import *im, const char *s,
                                  size_t len);

/* Copies s[0 .. len) (blanks around it dropped) into dst (dstsz bytes),
 * bytes 0x80-0xFF taken as Latin-1 (the CMS files' encoding) and written
 * as UTF-8, control bytes as blanks, cut at a whole character to fit. */
void c837_import_text(char *dst, size_t dstsz, const char *s, size_t len);

/* A date CCYYMMDD in s[0 .. len) (blanks: 0) into *d: 0, or -1. */
int c837_import_date(const char *s, size_t len, int32_t *d);

/* The importers: each reads im->fp to its end, filling im->edit, or
 * records a fault in im->pos. */
void c837_import_hcpcs(c837_import *im);
void c837_import_drg018(c837_import *im);
void c837_import_mue(c837_import *im);
void c837_import_opps(c837_import *im);
void c837_import_ptp(c837_import *im);

#endif
