/* html_util.h -- the pieces every part of report.html is written with
 * (html_util.c): escaping, money and dates as the page shows them
 *
 * Private to the run layer (html.c, html_money.c, html_time.c,
 * html_findings.c, html_episodes.c).
 */
#ifndef CART837_RUN_HTML_UTIL_H
#define CART837_RUN_HTML_UTIL_H

#include "run/audit.h"
#include "run/run.h"

#include <stdio.h>

/* Writes s as HTML text or attribute value: & < > " ' escaped, control
 * characters but tab as '?'.  NULL writes nothing. */
void c837_html_esc(FILE *fp, const char *s);
/* The same for n bytes that may hold anything (segments as they came):
 * a control byte or one that is not ASCII is shown as \xNN in a span
 * of class "x". */
void c837_html_esc_bytes(FILE *fp, const char *p, size_t n);
/* A money cell's content: data-v="1234.50" (the exact amount, for
 * tests and sorting) and the text "$1,234.50".  cents may be negative. */
void c837_html_money(FILE *fp, int64_t cents);
/* <td class="n" data-k="KEY" data-v=...>$...</td>; key NULL: no data-k. */
void c837_html_money_td(FILE *fp, const char *key, int64_t cents);
/* <td class="n" data-k="KEY">N</td>; key NULL: no data-k. */
void c837_html_count_td(FILE *fp, const char *key, uint64_t n);
/* A date CCYYMMDD as CCYY-MM-DD ("" for 0). */
void c837_html_date(FILE *fp, int32_t ymd);
/* The sum of the three outcomes of an array of C837_AT_N amounts. */
int64_t c837_html_sum3(const int64_t *v);
uint64_t c837_html_usum3(const uint64_t *v);

#endif
