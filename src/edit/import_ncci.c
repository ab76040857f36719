/* import_ncci.c -- the NCCI tables and OPPS Addendum B
 *
 * MUE (CSV): notice rows, then the header "HCPCS/CPT Code", "...
 * Services MUE Values", "MUE Adjudication Indicator", "MUE Rationale";
 * then one row per code.  For a code the table has, cap_per_day := the
 * MUE value (a value of 0 is skipped: a cap is positive).
 *
 * OPPS Addendum B (CSV): title rows, then a header naming "HCPCS Code"
 * and "SI" among other columns (matched by name, any case); rows whose
 * code cell is not a code (notes) are ignored.  For a code the table
 * has, opps_si := SI.
 *
 * PTP (tab-delimited text): preamble lines, a header starting "Column 1"
 * (possibly over several lines), then: column 1 code, column 2 code,
 * "*" when in existence before 1996, effective date CCYYMMDD, deletion
 * date CCYYMMDD or "*", modifier indicator 0 / 1 / 9, rationale.  Pairs
 * of two codes of the table (o->all: one is enough) go to the PTP list,
 * valid from the effective date to the day before the deletion date.
 *
 * Layouts and sources: specs/codes.md, "Imports".
 */
#include "edit/import_int.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* 1 when s (NUL-terminated), blanks and line ends squeezed, starts with
 * / contains want, ignoring case. */
static int header_is(const char *s, const char *want, int prefix)
{
  char n[128];
  size_t o = 0, i;
  int blank = 1;
  for (i = 0; s[i] && o + 1 < sizeof n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
      if (!blank)
        n[o++] = ' ';
      blank = 1;
    } else {
      n[o++] = (char)tolower(c);
      blank = 0;
    }
  }
  while (o > 0 && n[o - 1] == ' ')
    o--;
  n[o] = '\0';
  {
    char w[64];
    for (i = 0; want[i] && i + 1 < sizeof w; i++)
      w[i] = (char)tolower((unsigned char)want[i]);
    w[i] = '\0';
    return prefix ? strncmp(n, w, strlen(w)) == 0 : strstr(n, w) != NULL;
  }
}

/* The trimmed field i of the record as a code (1 .. 16 letters or
 * digits): 1 and the code in out, else 0. */
static int code_field(const c837_import *im, size_t i,
                      char out[C837_CODE_MAX])
{
  size_t n, k;
  const char *s = c837_import_field(im, i, &n);
  while (n > 0 && (*s == ' ' || *s == '\t'))
    s++, n--;
  while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
    n--;
  if (n == 0 || n >= C837_CODE_MAX)
    return 0;
  for (k = 0; k < n; k++)
    if (!c837_is_alnum((unsigned char)s[k]))
      return 0;
  memcpy(out, s, n);
  out[n] = '\0';
  return 1;
}

/* Records "expected WHAT, found 'field'" for field i of the record. */
static void field_fail(c837_import *im, size_t i, const char *name,
                       const char *what)
{
  size_t n;
  const char *s = c837_import_field(im, i, &n);
  im->lineno = im->rec_line;
  c837_import_fail(im, i + 1, name, what, s, n);
}

/* ------------------------------------------------------------------ */
/* MUE                                                                 */
/* ------------------------------------------------------------------ */

enum { M_VALUE, M_MAI };

static void mue_record(c837_import *im)
{
  char code[C837_CODE_MAX];
  const c837_code *old;
  c837_code row;
  size_t i, n;
  const char *v;
  int64_t units = 0;

  if (!im->header) {
    if (!header_is(c837_import_field(im, 0, &n), "HCPCS", 1))
      return;
    im->fcol[M_VALUE] = -1;
    for (i = 1; i < im->nf; i++)
      if (header_is(c837_import_field(im, i, &n), "MUE Values", 0))
        im->fcol[M_VALUE] = (int)i;
    if (im->fcol[M_VALUE] < 0)
      return;
    im->header = 1;
    im->col_of[C837_CC_CODE] = 0;
    im->col_of[C837_CC_CAP] = im->fcol[M_VALUE];
    return;
  }
  v = c837_import_field(im, 0, &n);
  if (n == 0 && im->nf <= 1)
    return;
  if (!code_field(im, 0, code)) {
    int blank = 1;
    for (i = 0; i < im->nf && blank; i++)
      blank = c837_import_field(im, i, &n)[0] == '\0';
    if (!blank)
      field_fail(im, 0, "HCPCS/CPT Code", "a HCPCS or CPT code");
    return;
  }
  im->st->records++;
  v = c837_import_field(im, (size_t)im->fcol[M_VALUE], &n);
  if (c837_parse_decimal((c837_span){v, n}, 6, &units) != 0 || units < 0 ||
      units > (int64_t)C837_MAX_CAP_UNITS * 1000000) {
    field_fail(im, (size_t)im->fcol[M_VALUE], "MUE Values",
               "a number of units");
    return;
  }
  old = c837_import_code(im, code, strlen(code));
  if (!old)
    return;
  if (units == 0) {
    im->st->matched++;
    im->st->skipped++;
    return;
  }
  row = *old;
  row.cap = units;
  im->lineno = im->rec_line;
  c837_import_keep(im, &row, 1u << C837_CC_CAP);
}

void c837_import_mue(c837_import *im)
{
  c837_import_feed_csv(im, mue_record,
                       "MUE (HCPCS/CPT Code, ... MUE Values, MUE "
                       "Adjudication Indicator, MUE Rationale)");
}

/* ------------------------------------------------------------------ */
/* OPPS Addendum B                                                     */
/* ------------------------------------------------------------------ */

enum { O_CODE, O_SI };

static void opps_record(c837_import *im)
{
  char code[C837_CODE_MAX];
  const c837_code *old;
  c837_code row;
  size_t i, n;
  const char *si;

  if (!im->header) {
    im->fcol[O_CODE] = im->fcol[O_SI] = -1;
    for (i = 0; i < im->nf; i++) {
      const char *f = c837_import_field(im, i, &n);
      if (header_is(f, "HCPCS Code", 1) && strlen(f) <= 12)
        im->fcol[O_CODE] = (int)i;
      else if (header_is(f, "SI", 1) && n <= 3)
        im->fcol[O_SI] = (int)i;
    }
    if (im->fcol[O_CODE] >= 0 && im->fcol[O_SI] >= 0) {
      im->header = 1;
      im->col_of[C837_CC_CODE] = im->fcol[O_CODE];
      im->col_of[C837_CC_OPPS_SI] = im->fcol[O_SI];
    }
    return;
  }
  if (!code_field(im, (size_t)im->fcol[O_CODE], code))
    return; /* a note or a blank row */
  im->st->records++;
  old = c837_import_code(im, code, strlen(code));
  if (!old)
    return;
  si = c837_import_field(im, (size_t)im->fcol[O_SI], &n);
  while (n > 0 && si[n - 1] == ' ')
    n--;
  while (n > 0 && *si == ' ')
    si++, n--;
  for (i = 0; i < n; i++)
    if (!c837_is_alnum((unsigned char)si[i]))
      break;
  if (n == 0 || n >= C837_SI_MAX || i < n) {
    field_fail(im, (size_t)im->fcol[O_SI], "SI",
               "a status indicator of 1 or 2 letters or digits");
    return;
  }
  row = *old;
  memcpy(row.opps_si, si, n);
  row.opps_si[n] = '\0';
  im->lineno = im->rec_line;
  c837_import_keep(im, &row, 1u << C837_CC_OPPS_SI);
}

void c837_import_opps(c837_import *im)
{
  c837_import_feed_csv(im, opps_record,
                       "Addendum B (HCPCS Code, Short Descriptor, SI, APC, "
                       "...)");
}

/* ------------------------------------------------------------------ */
/* PTP                                                                 */
/* ------------------------------------------------------------------ */

/* Splits im->line at tabs: field starts and lengths (at most max);
 * returns the number of fields. */
static size_t split_tabs(const c837_import *im, const char **f, size_t *len,
                         size_t max)
{
  size_t n = 0;
  const char *s = im->line, *end = im->line + im->len;
  while (n < max) {
    const char *tab = memchr(s, '\t', (size_t)(end - s));
    f[n] = s;
    len[n] = tab ? (size_t)(tab - s) : (size_t)(end - s);
    while (len[n] > 0 && f[n][len[n] - 1] == ' ')
      len[n]--;
    while (len[n] > 0 && f[n][0] == ' ')
      f[n]++, len[n]--;
    n++;
    if (!tab)
      break;
    s = tab + 1;
  }
  return n;
}

/* Column of field i (0-based) for messages: its character position. */
static size_t col_at(const c837_import *im, const char *f)
{
  return (size_t)(f - im->line) + 1;
}

/* One data line of the PTP file into row: 0, or -1 (recorded). */
static int ptp_fields(c837_import *im, const char **f, const size_t *len,
                      size_t nf, c837_ptp *row)
{
  int32_t del = 0;
  if (nf < 6) {
    c837_import_fail(im, 1, "Column 1",
                     "7 tab-separated fields (column 1, column 2, prior to "
                     "1996, effective date, deletion date, modifier, "
                     "rationale)",
                     im->line, im->len);
    return -1;
  }
  if (len[1] == 0 || len[1] >= C837_CODE_MAX) {
    c837_import_fail(im, col_at(im, f[1]), "Column 2", "a code", f[1],
                     len[1]);
    return -1;
  }
  memcpy(row->col2, f[1], len[1]);
  if (len[3] != 8 || c837_import_date(f[3], 8, &row->valid_from) != 0 ||
      row->valid_from == 0) {
    c837_import_fail(im, col_at(im, f[3]), "Effective Date",
                     "a date CCYYMMDD", f[3], len[3]);
    return -1;
  }
  if (!(len[4] == 0 || (len[4] == 1 && f[4][0] == '*'))) {
    if (len[4] != 8 || c837_import_date(f[4], 8, &del) != 0 || del == 0 ||
        del <= row->valid_from) {
      c837_import_fail(im, col_at(im, f[4]), "Deletion Date",
                       "a date CCYYMMDD after the effective date, or *",
                       f[4], len[4]);
      return -1;
    }
    row->valid_to = c837_days_to_date(c837_date_to_days(del) - 1);
  }
  if (len[5] != 1 || !strchr("019", f[5][0])) {
    c837_import_fail(im, col_at(im, f[5]), "Modifier", "0, 1 or 9", f[5],
                     len[5]);
    return -1;
  }
  row->modifier = f[5][0] - '0';
  if (nf > 6)
    c837_import_text(row->rationale, sizeof row->rationale, f[6], len[6]);
  snprintf(row->source, sizeof row->source, "NCCI PTP import (%s line %lu)",
           im->path, im->lineno);
  return 0;
}

void c837_import_ptp(c837_import *im)
{
  const char *f[8];
  size_t len[8], nf, k;
  int rc, data = 0;
  im->col_of[PT_COL1] = 0;
  im->col_of[PT_FROM] = 0;
  im->col_of[PT_TO] = 0;
  while ((rc = c837_import_getline(im)) > 0) {
    c837_ptp row;
    int a, b;
    nf = split_tabs(im, f, len, 8);
    if (!im->header) {
      im->header = len[0] >= 8 && strncmp(f[0], "Column 1", 8) == 0;
      continue;
    }
    for (k = 0; k < len[0] && c837_is_alnum((unsigned char)f[0][k]); k++)
      ;
    if (len[0] == 0 || k < len[0] || len[0] >= C837_CODE_MAX) {
      if (data && (nf > 1 || len[0] > 0)) {
        c837_import_fail(im, 1, "Column 1", "a code", f[0], len[0]);
        return;
      }
      continue; /* the rest of the header */
    }
    data = 1;
    im->st->records++;
    memset(&row, 0, sizeof row);
    memcpy(row.col1, f[0], len[0]);
    if (ptp_fields(im, f, len, nf, &row) != 0)
      return;
    a = c837_import_code(im, row.col1, strlen(row.col1)) != NULL;
    b = c837_import_code(im, row.col2, strlen(row.col2)) != NULL;
    if (!(a && b) && !(im->o->all && (a || b)))
      continue;
    if (c837_import_keep(im, &row, 0xFFFFFFFFu) != 0)
      return;
  }
  if (rc == 0 && !im->header)
    c837_csvpos_fail(&im->pos, C837_ECSV, im->lineno ? im->lineno : 1, 0,
                     "header",
                     "expected the PTP header line (Column 1, Column 2, "
                     "...), found none");
}
