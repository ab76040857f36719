/* reflist.h -- private: a list of fixed-size rows read from CSV, with a
 * key index: the one loader of the code table and of every reference
 * list (revenue codes, PCS codes, NDCs, indications, PTP pairs, payer
 * classes and options)
 *
 * A list is described once (c837_rlist_def): its columns (csvschema.h),
 * the columns that together name one row (its unique key), the column
 * look-ups use, and the rules that span fields or rows.  Loading a file
 * goes in the steps codetable.c always had:
 *   1. libcsv through c837_csvread: header by name, every field checked
 *      as it arrives, the row kept as pending with the columns it has;
 *   2. the unique key must not repeat within the file;
 *   3. pending rows are merged into a copy of the list (an existing key
 *      takes the columns the file has; a new key is appended; or, with
 *      replace_all, the file's rows are the list), the look-up index of
 *      the copy is built, and the def's check runs on every row the file
 *      touched;
 *   4. only then does the copy replace the list.
 * Any error leaves the list as it was.  The importers (import*.c) use
 * steps 2-4 with rows they built themselves (c837_rlist_edit).  Private
 * to the library.
 */
#ifndef CART837_REFLIST_H
#define CART837_REFLIST_H

#include "cart837.h"
#include "base/csvschema.h"
#include "base/map.h"

#include <stddef.h>
#include <stdint.h>

typedef struct c837_rlist c837_rlist;

/* What the def's check sees for one touched row. */
typedef struct c837_rlist_chk {
  c837_csvpos *pos;          /* where faults go */
  unsigned long line;        /* line of the row in its file */
  const int *col_of;         /* file field of each column, -1 absent */
  const c837_rlist *list;    /* the merged list: look-ups work on it */
  void *ud;                  /* the caller's (c837_rlist_load's ud) */
} c837_rlist_chk;

typedef struct c837_rlist_def {
  const char *what;          /* "code": "expected each code once ..." */
  const char *unit;          /* "table", "list": "... rows in the list" */
  const c837_csvschema *schema;
  int key;                   /* the column c837_rlist_first looks up */
  int uniq[3];               /* the columns that name a row ... */
  int n_uniq;                /* ... (1 to 3 of them) */
  size_t max_rows;
  /* Rules across fields or rows for a row the load touched (NULL:
   * none); reports with c837_rlist_fail. */
  void (*check)(const c837_rlist_chk *k, const void *row);
} c837_rlist_def;

struct c837_rlist {
  const c837_rlist_def *def;
  char *rows;                /* n rows of def->schema->row_size bytes, in
                                file order */
  size_t n;
  c837_map keys;             /* look-up key -> id */
  size_t *head;              /* key id -> its first row */
  size_t *next;              /* row -> the next row of its key, or
                                C837_NO_INDEX */
};

/* An empty list of def. */
void c837_rlist_init(c837_rlist *L, const c837_rlist_def *def);
/* Releases L's memory; L is an empty list afterwards. */
void c837_rlist_free(c837_rlist *L);

/* Loads the CSV text buf[0 .. len) of the file called name into L as the
 * steps above (a UTF-8 byte-order mark is skipped).  ud goes to the
 * check.  C837_OK, or C837_ECSV / C837_ENOMEM with *err filled and L
 * unchanged. */
c837_status c837_rlist_load(c837_rlist *L, const char *name,
                            const char *buf, size_t len, int replace_all,
                            void *ud, c837_error *err);
/* The same from the file at path, of at most C837_CODETABLE_MAX_BYTES
 * (C837_EIO when it cannot be read). */
c837_status c837_rlist_load_file(c837_rlist *L, const char *path,
                                 int replace_all, void *ud,
                                 c837_error *err);

/* Row i (file order), or NULL past the end. */
static inline const void *c837_rlist_at(const c837_rlist *L, size_t i)
{
  return i < L->n ? L->rows + i * L->def->schema->row_size : NULL;
}
/* The first row whose key column is key[0 .. len) (its index in *it), or
 * NULL. */
const void *c837_rlist_first(const c837_rlist *L, const char *key,
                             size_t len, size_t *it);
/* The next row of the same key after *it, or NULL. */
const void *c837_rlist_next(const c837_rlist *L, size_t *it);

/* Writes the header row and every row as CSV (csvschema).  0 or -1. */
int c837_rlist_write(const c837_rlist *L, FILE *fp);

/* Rows built by a caller, to merge as a file's would be. */
typedef struct c837_rlist_edit {
  char *rows;                /* n rows of the list's row size */
  unsigned long *line;       /* the line each came from */
  uint32_t *mask;            /* bit k: the row sets column k */
  size_t n, cap_rows, cap_line, cap_mask;
} c837_rlist_edit;

/* Appends a row to E.  0, C837_BUF_NOMEM, or C837_BUF_LIMIT (more than
 * the list's max_rows). */
int c837_rlist_edit_add(c837_rlist_edit *E, const c837_rlist_def *def,
                        const void *row, uint32_t mask, unsigned long line);
void c837_rlist_edit_free(c837_rlist_edit *E);
/* Steps 2-4 for E's rows: faults go to P (its name, E's lines, the file
 * field col_of[k] of column k, -1 when the file has none); L changes
 * only when P->st stays C837_OK. */
void c837_rlist_apply(c837_rlist *L, const c837_rlist_edit *E,
                      int replace_all, c837_csvpos *P, const int *col_of,
                      void *ud);

/* For checks: records "what" (fmt) at column k of the checked row, or at
 * column alt when the file lacks k (alt < 0: the first unique column),
 * labelled with that column's name. */
void c837_rlist_fail(const c837_rlist_chk *k, int col, int alt,
                     const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Reads the file at path, of at most C837_CODETABLE_MAX_BYTES bytes, into
 * *out (the caller frees out->p).  C837_OK, C837_EIO, C837_ECSV (too
 * big), C837_ENOMEM with *err filled. */
c837_status c837_read_small_file(const char *path, c837_buf *out,
                                 c837_error *err);

#endif
