/* html_util.c -- escaping, money and dates for report.html
 * (html_util.h)
 *
 * Every text that comes from the input (names, ids, details, segments)
 * goes through c837_html_esc or c837_html_esc_bytes, so that nothing a
 * file holds can become markup or script.
 */
#include "run/html_util.h"

#include <string.h>

/* 1 when c goes out as it is in c837_html_esc. */
static int esc_plain(unsigned char c)
{
  return (c >= 0x20 || c == '\t') && c != '&' && c != '<' && c != '>' &&
         c != '"' && c != '\'';
}

void c837_html_esc(FILE *fp, const char *s)
{
  while (s && *s) {
    size_t n = 0;
    while (s[n] && esc_plain((unsigned char)s[n]))
      n++;
    if (n) { /* a run of plain bytes: one write */
      fwrite(s, 1, n, fp);
      s += n;
      continue;
    }
    switch (*s) {
    case '&':
      fputs("&amp;", fp);
      break;
    case '<':
      fputs("&lt;", fp);
      break;
    case '>':
      fputs("&gt;", fp);
      break;
    case '"':
      fputs("&quot;", fp);
      break;
    case '\'':
      fputs("&#39;", fp);
      break;
    default: /* a control byte */
      fputc('?', fp);
    }
    s++;
  }
}

void c837_html_esc_bytes(FILE *fp, const char *p, size_t n)
{
  size_t i = 0;
  while (i < n) {
    size_t k = i;
    unsigned char c;
    while (k < n && (unsigned char)p[k] >= 0x20 &&
           (unsigned char)p[k] < 0x7f && p[k] != '&' && p[k] != '<' &&
           p[k] != '>')
      k++;
    if (k > i) { /* a run of plain bytes: one write */
      fwrite(p + i, 1, k - i, fp);
      i = k;
      continue;
    }
    c = (unsigned char)p[i++];
    if (c < 0x20 || c >= 0x7f)
      fprintf(fp, "<span class=\"x\">\\x%02X</span>", c);
    else if (c == '&')
      fputs("&amp;", fp);
    else if (c == '<')
      fputs("&lt;", fp);
    else
      fputs("&gt;", fp);
  }
}

void c837_html_money(FILE *fp, int64_t cents)
{
  uint64_t v = cents < 0 ? (uint64_t)0 - (uint64_t)cents : (uint64_t)cents;
  uint64_t units = v / 100;
  char digits[32], grouped[48];
  size_t n, i, o = 0;
  n = (size_t)snprintf(digits, sizeof digits, "%llu",
                       (unsigned long long)units);
  for (i = 0; i < n; i++) {
    if (i && (n - i) % 3 == 0)
      grouped[o++] = ',';
    grouped[o++] = digits[i];
  }
  grouped[o] = '\0';
  fprintf(fp, " data-v=\"%s%llu.%02u\">%s$%s.%02u", cents < 0 ? "-" : "",
          (unsigned long long)units, (unsigned)(v % 100),
          cents < 0 ? "-" : "", grouped, (unsigned)(v % 100));
}

void c837_html_money_td(FILE *fp, const char *key, int64_t cents)
{
  fputs("<td class=\"n\"", fp);
  if (key) {
    fputs(" data-k=\"", fp);
    c837_html_esc(fp, key);
    fputc('"', fp);
  }
  c837_html_money(fp, cents);
  fputs("</td>", fp);
}

void c837_html_count_td(FILE *fp, const char *key, uint64_t n)
{
  fputs("<td class=\"n\"", fp);
  if (key) {
    fputs(" data-k=\"", fp);
    c837_html_esc(fp, key);
    fputc('"', fp);
  }
  fprintf(fp, ">%llu</td>", (unsigned long long)n);
}

void c837_html_date(FILE *fp, int32_t ymd)
{
  char d[16];
  c837_format_iso_date(d, sizeof d, ymd);
  fputs(d, fp);
}

int64_t c837_html_sum3(const int64_t *v)
{
  return v[0] + v[1] + v[2];
}

uint64_t c837_html_usum3(const uint64_t *v)
{
  return v[0] + v[1] + v[2];
}
