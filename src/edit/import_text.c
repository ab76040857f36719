/* import_text.c -- the line-oriented CMS files: the HCPCS quarterly file
 * (fixed width) and the MS-DRG 018 ICD-10-PCS list
 *
 * HCPCS (specs/codes.md, "Imports"; CMS HCPCS record layout): every
 * record line has the code in positions 1-5, a sequence number in 6-10
 * and a record id in 11 (3 the first line of a procedure, 4 its
 * continuation lines, 7 / 8 a modifier); the free-text disclaimer before
 * the first record is skipped.  A procedure's first line gives the long
 * descriptor's first 80 characters (12-91), the cross-reference XREF1
 * (205-209), the date added ADD_DT (269-276) and the termination date
 * TERM_DT (285-292); continuation lines add to the long descriptor.  For
 * a code the table has, the import sets valid_from (ADD_DT), valid_to
 * (TERM_DT; blank: still valid), the crosswalk (XREF1, when the table has
 * that code), and the unit when the long descriptor ends "per infusion",
 * "per therapeutic dose" / "per dose" or "per treatment".  With o->all,
 * codes the table lacks are added with no family and the long descriptor.
 *
 * DRG 018: one ICD-10-PCS code per line (the rest of the line its title),
 * or the CMS ICD-10-PCS order file layout (order number 1-5, code 7-13,
 * header flag 15, short title 17-76, long title from 78).  A code the
 * PCS list lacks is added when its title names a product of the code
 * table (its `product`, any case): that product and its family; with
 * o->all, every other code too, with no product.
 */
#include "edit/import_int.h"
#include "base/util.h"

#include <ctype.h>
#include <string.h>

/* ------------------------------------------------------------------ */
/* HCPCS                                                               */
/* ------------------------------------------------------------------ */

/* Positions (1-based) and lengths of the fields read. */
#define H_CODE 1, 5
#define H_SEQ 6, 5
#define H_RECID 11, 1
#define H_LONG 12, 80
#define H_XREF1 205, 5
#define H_ADD 269, 8
#define H_TERM 285, 8

/* The field at 1-based position pos of n bytes, clipped to the line (a
 * line cut short has blanks there). */
static const char *fld(const c837_import *im, size_t pos, size_t n,
                       size_t *len)
{
  if (im->len < pos) {
    *len = 0;
    return "";
  }
  *len = im->len - (pos - 1) < n ? im->len - (pos - 1) : n;
  return im->line + pos - 1;
}

/* 1 when the line is a record: code, 5-digit sequence, record id. */
static int is_record(const c837_import *im)
{
  size_t i;
  if (im->len < 11 || !c837_is_alnum((unsigned char)im->line[0]))
    return 0;
  for (i = 5; i < 10; i++)
    if (im->line[i] < '0' || im->line[i] > '9')
      return 0;
  return strchr("3478", im->line[10]) != NULL && im->line[10] != '\0';
}

/* The procedure being read (its first line and continuations). */
typedef struct hproc {
  int open;
  char code[C837_CODE_MAX];
  char xref[C837_CODE_MAX];
  int32_t add, term;
  char desc[4 * C837_DESCRIPTOR_MAX]; /* long descriptor, Latin-1 */
  size_t dlen;
  unsigned long line;
} hproc;

/* What one unit is, from the end of a long descriptor. */
static c837_per unit_of(const char *desc)
{
  static const struct {
    const char *tail;
    c837_per per;
  } tails[] = {{"per infusion", C837_PER_INFUSION},
               {"per therapeutic dose", C837_PER_DOSE},
               {"per dose", C837_PER_DOSE},
               {"per treatment", C837_PER_TREATMENT}};
  size_t n = strlen(desc), i;
  while (n > 0 && (desc[n - 1] == ' ' || desc[n - 1] == '.'))
    n--;
  for (i = 0; i < sizeof tails / sizeof tails[0]; i++) {
    size_t k = strlen(tails[i].tail), j;
    if (n < k)
      continue;
    for (j = 0; j < k; j++)
      if (tolower((unsigned char)desc[n - k + j]) != tails[i].tail[j])
        break;
    if (j == k)
      return tails[i].per;
  }
  return C837_PER_NONE;
}

/* Turns the finished procedure into a row to merge. */
static void hcpcs_finish(c837_import *im, hproc *h)
{
  const c837_code *old;
  c837_code row;
  uint32_t mask = 1u << C837_CC_CODE;
  unsigned long at = im->lineno;
  c837_per unit;

  if (!h->open)
    return;
  h->open = 0;
  old = c837_import_code(im, h->code, strlen(h->code));
  if (!old && !im->o->all)
    return;
  if (old) {
    row = *old;
  } else {
    memset(&row, 0, sizeof row);
    snprintf(row.code, sizeof row.code, "%s", h->code);
    c837_import_text(row.descriptor, sizeof row.descriptor, h->desc,
                     h->dlen);
    mask |= 1u << C837_CC_DESCRIPTOR;
  }
  if (h->add) {
    row.valid_from = h->add;
    mask |= 1u << C837_CC_VALID_FROM;
  }
  row.valid_to = h->term; /* blank: still valid */
  mask |= 1u << C837_CC_VALID_TO;
  if (h->xref[0] && strcmp(h->xref, h->code) != 0 &&
      c837_import_code(im, h->xref, strlen(h->xref))) {
    snprintf(row.crosswalk, sizeof row.crosswalk, "%s", h->xref);
    mask |= 1u << C837_CC_CROSSWALK;
  }
  h->desc[h->dlen] = '\0';
  unit = unit_of(h->desc);
  if (unit != C837_PER_NONE) {
    row.unit = unit;
    mask |= 1u << C837_CC_UNIT;
  }
  im->lineno = h->line; /* the row comes from the procedure's first line */
  c837_import_keep(im, &row, mask);
  im->lineno = at;
}

/* Reads the first line of a procedure into h. */
static int hcpcs_first(c837_import *im, hproc *h)
{
  size_t n;
  const char *s;
  memset(h, 0, sizeof *h);
  h->open = 1;
  h->line = im->lineno;
  s = fld(im, H_CODE, &n);
  while (n > 0 && s[n - 1] == ' ')
    n--;
  memcpy(h->code, s, n);
  s = fld(im, H_XREF1, &n);
  while (n > 0 && s[n - 1] == ' ')
    n--;
  while (n > 0 && s[0] == ' ')
    s++, n--;
  if (n > 0 && n < C837_CODE_MAX)
    memcpy(h->xref, s, n);
  s = fld(im, H_ADD, &n);
  if (c837_import_date(s, n, &h->add) != 0) {
    c837_import_fail(im, 269, "ADD_DT", "a date CCYYMMDD or blanks", s, n);
    return -1;
  }
  s = fld(im, H_TERM, &n);
  if (c837_import_date(s, n, &h->term) != 0) {
    c837_import_fail(im, 285, "TERM_DT", "a date CCYYMMDD or blanks", s, n);
    return -1;
  }
  s = fld(im, H_LONG, &n);
  memcpy(h->desc, s, n);
  h->dlen = n;
  return 0;
}

/* Adds a continuation line's part of the long descriptor. */
static void hcpcs_more(c837_import *im, hproc *h)
{
  size_t n, i;
  const char *s = fld(im, H_LONG, &n);
  while (h->dlen > 0 && h->desc[h->dlen - 1] == ' ')
    h->dlen--;
  if (h->dlen + 1 + n < sizeof h->desc) {
    h->desc[h->dlen++] = ' ';
    for (i = 0; i < n; i++)
      h->desc[h->dlen++] = s[i];
  }
}

void c837_import_hcpcs(c837_import *im)
{
  hproc h;
  int started = 0, rc;
  memset(&h, 0, sizeof h);
  im->col_of[C837_CC_CODE] = 0;
  im->col_of[C837_CC_DESCRIPTOR] = 11;
  im->col_of[C837_CC_CROSSWALK] = 204;
  im->col_of[C837_CC_VALID_FROM] = 268;
  im->col_of[C837_CC_VALID_TO] = 284;
  im->col_of[C837_CC_UNIT] = 11;
  while ((rc = c837_import_getline(im)) > 0) {
    size_t n;
    const char *s;
    if (!is_record(im)) {
      int blank = 1;
      for (n = 0; n < im->len && blank; n++)
        blank = im->line[n] == ' ' || im->line[n] == '\t';
      if (started && !blank) {
        c837_import_fail(im, 1, "HCPC",
                         "a record (code, 5-digit sequence number, record "
                         "id 3, 4, 7 or 8 in position 11)",
                         im->line, im->len);
        return;
      }
      continue; /* the disclaimer before the first record */
    }
    started = 1;
    im->st->records++;
    s = fld(im, H_RECID, &n);
    if (s[0] == '3') {
      hcpcs_finish(im, &h);
      if (hcpcs_first(im, &h) != 0)
        return;
    } else if (s[0] == '4' && h.open) {
      const char *c = fld(im, H_CODE, &n);
      while (n > 0 && c[n - 1] == ' ')
        n--;
      if (n != strlen(h.code) || memcmp(c, h.code, n) != 0) {
        c837_import_fail(im, 1, "HCPC",
                         "the code of the procedure line before it", c, n);
        return;
      }
      hcpcs_more(im, &h);
    } else {
      hcpcs_finish(im, &h); /* a modifier: 7 or 8 */
    }
    if (im->pos.st != C837_OK)
      return;
  }
  if (rc == 0) {
    hcpcs_finish(im, &h);
    if (!started && im->pos.st == C837_OK)
      c837_csvpos_fail(&im->pos, C837_ECSV, im->lineno ? im->lineno : 1, 0,
                       "HCPC",
                       "expected HCPCS records (the CMS fixed-width "
                       "layout), found none");
  }
}

/* ------------------------------------------------------------------ */
/* MS-DRG 018 list                                                     */
/* ------------------------------------------------------------------ */

/* The code table row whose product the title names (the longest name
 * wins), or NULL. */
static const c837_code *product_named(const c837_import *im,
                                      const char *title)
{
  const c837_code *best = NULL;
  size_t i;
  for (i = 0; i < im->t->codes.n; i++) {
    const c837_code *c = c837_rlist_at(&im->t->codes, i);
    if (c->product[0] && c837_str_contains_nocase(title, c->product) &&
        (!best || strlen(c->product) > strlen(best->product)))
      best = c;
  }
  return best;
}

/* Splits the line into code (7 characters) and title: 0, 1 for a line
 * to skip (blank, or an order-file header), -1 when it is neither
 * layout. */
static int drg_line(const c837_import *im, const char **code,
                    const char **title, size_t *tlen)
{
  const char *s = im->line;
  size_t n = im->len, i;
  while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
    n--;
  if (n == 0)
    return 1;
  if (n >= 13 && s[5] == ' ') { /* the order file layout? */
    for (i = 0; i < 5 && s[i] >= '0' && s[i] <= '9'; i++)
      ;
    if (i == 5) {
      *code = s + 6;
      if (n > 14 && s[14] == '0')
        return 1; /* a header: not a code to bill */
      /* the long title from 78, else the short one from 17 */
      *title = n > 77 ? s + 77 : n > 16 ? s + 16 : s + n;
      *tlen = (size_t)(s + n - *title);
      return 0;
    }
  }
  while (*s == ' ' || *s == '\t')
    s++, n--;
  *code = s;
  for (i = 0; i < n && s[i] != ' ' && s[i] != '\t'; i++)
    ;
  if (i != 7)
    return -1;
  *title = s + 7;
  *tlen = n - 7;
  return 0;
}

void c837_import_drg018(c837_import *im)
{
  int rc;
  im->col_of[PC_CODE] = 0;
  im->col_of[PC_DESC] = 8;
  while ((rc = c837_import_getline(im)) > 0) {
    const char *code = NULL, *title = NULL;
    size_t tlen = 0, i;
    c837_pcs row;
    const c837_code *prod;
    int k = drg_line(im, &code, &title, &tlen);
    if (k == 1)
      continue;
    for (i = 0; k == 0 && i < 7; i++)
      if (!c837_is_alnum((unsigned char)code[i]))
        k = -1;
    if (k != 0) {
      c837_import_fail(im, 1, "code",
                       "an ICD-10-PCS code of 7 letters or digits, one per "
                       "line (or the CMS order file layout)",
                       im->line, im->len);
      return;
    }
    im->st->records++;
    memset(&row, 0, sizeof row);
    memcpy(row.code, code, 7);
    if (c837_codetable_pcs(im->t, row.code, 0) != NULL) {
      im->st->matched++; /* known already: the list keeps its row */
      continue;
    }
    c837_import_text(row.description, sizeof row.description, title, tlen);
    prod = product_named(im, row.description);
    if (!prod && !im->o->all) {
      im->st->skipped++;
      continue;
    }
    if (prod) {
      snprintf(row.product, sizeof row.product, "%s", prod->product);
      row.family = prod->family;
      row.cart_admin = prod->family == C837_FAM_PRODUCT;
    }
    row.valid_from = im->o->valid_from;
    snprintf(row.source, sizeof row.source,
             "MS-DRG 018 list import (%s line %lu)%s", im->path, im->lineno,
             prod ? ": the title names the product" : ": no product named");
    if (c837_import_keep(im, &row, 0xFFFFFFFFu) != 0)
      return;
  }
}
