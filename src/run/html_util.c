/* html_util.c -- escaping, money and dates for report.html
 * (html_util.h)
 *
 * Every text that comes from the input (names, ids, details, segments)
 * goes through c837_html_esc or c837_html_esc_bytes, so that nothing a
 * file holds can become markup or script.
 */
#include "run/html_util.h"

#include <string.h>

void c837_html_esc(FILE *fp, const char *s)
{
  for (; s && *s; s++) {
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
    default:
      if ((unsigned char)*s < 0x20 && *s != '\t')
        fputc('?', fp);
      else
        fputc(*s, fp);
    }
  }
}

void c837_html_esc_bytes(FILE *fp, const char *p, size_t n)
{
  size_t i;
  for (i = 0; i < n; i++) {
    unsigned char c = (unsigned char)p[i];
    if (c < 0x20 || c >= 0x7f)
      fprintf(fp, "<span class=\"x\">\\x%02X</span>", c);
    else if (c == '&')
      fputs("&amp;", fp);
    else if (c == '<')
      fputs("&lt;", fp);
    else if (c == '>')
      fputs("&gt;", fp);
    else
      fputc(c, fp);
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
