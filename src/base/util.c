/* util.c -- spans, X12 decimals, calendar dates, message excerpts
 *
 * Small value helpers shared by every stage: comparing and copying the
 * borrowed byte ranges the tokenizer hands out, reading X12 decimals into
 * scaled integers (money in cents, quantities in micro-units; never
 * floating point), writing them back the X12 way, and CCYYMMDD dates with
 * day arithmetic (days since 1970-01-01, proleptic Gregorian), and
 * printable excerpts of input bytes for messages.
 */
#include "cart837.h"
#include "base/buf.h"
#include "base/util.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int c837_span_eq(c837_span a, const char *s)
{
  return c837_span_lit(a, s);
}

int c837_span_copy(char *dst, size_t dstsz, c837_span a)
{
  size_t n = a.len;
  int fit = 1;
  if (dstsz == 0)
    return 0;
  if (n >= dstsz) {
    n = dstsz - 1;
    fit = 0;
  }
  if (n)
    memcpy(dst, a.p, n);
  dst[n] = '\0';
  return fit;
}

int c837_parse_decimal(c837_span s, int scale, int64_t *out)
{
  const char *p = s.p, *e = s.p + s.len;
  int neg = 0, digits = 0, frac = 0, seen_point = 0;
  int64_t v = 0;
  const int64_t lim = INT64_MAX / 10 - 9;

  if (scale < 0 || scale > 9)
    return -1;
  if (p < e && (*p == '-' || *p == '+')) {
    neg = (*p == '-');
    p++;
  }
  for (; p < e; p++) {
    if (*p == '.') {
      if (seen_point)
        return -1;
      seen_point = 1;
      continue;
    }
    if (*p < '0' || *p > '9')
      return -1;
    digits++;
    if (seen_point) {
      if (frac == scale) {
        if (*p != '0')
          return -1; /* more precision than the scale can hold */
        continue;
      }
      frac++;
    }
    if (v > lim)
      return -1;
    v = v * 10 + (*p - '0');
  }
  if (digits == 0)
    return -1;
  for (; frac < scale; frac++) {
    if (v > lim)
      return -1;
    v *= 10;
  }
  *out = neg ? -v : v;
  return 0;
}

int c837_format_decimal(char *buf, size_t bufsz, int64_t v, int scale)
{
  char tmp[48];
  int n = 0, i;
  uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
  int neg = v < 0;
  size_t len;

  /* digits, least significant first */
  do {
    tmp[n++] = (char)('0' + (int)(u % 10));
    u /= 10;
  } while (u || n <= scale);
  /* drop trailing fractional zeros */
  i = 0;
  while (i < scale && tmp[i] == '0')
    i++;
  {
    char out[48];
    size_t o = 0;
    int k;
    if (neg)
      out[o++] = '-';
    for (k = n - 1; k >= scale; k--)
      out[o++] = tmp[k];
    if (i < scale) {
      out[o++] = '.';
      for (k = scale - 1; k >= i; k--)
        out[o++] = tmp[k];
    }
    out[o] = '\0';
    len = o;
    if (bufsz == 0)
      return 0;
    if (len >= bufsz)
      len = bufsz - 1;
    memcpy(buf, out, len);
    buf[len] = '\0';
  }
  return (int)len;
}

static int is_leap(int y)
{
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int y, int m)
{
  static const int dim[12] = {31, 28, 31, 30, 31, 30,
                              31, 31, 30, 31, 30, 31};
  return m == 2 && is_leap(y) ? 29 : dim[m - 1];
}

int c837_parse_date(c837_span s, int32_t *ymd)
{
  int32_t v = 0;
  int y, m, d;
  size_t i;
  if (s.len != 8)
    return -1;
  for (i = 0; i < 8; i++) {
    if (s.p[i] < '0' || s.p[i] > '9')
      return -1;
    v = v * 10 + (s.p[i] - '0');
  }
  y = v / 10000;
  m = (v / 100) % 100;
  d = v % 100;
  if (y < 1800 || m < 1 || m > 12 || d < 1 || d > days_in_month(y, m))
    return -1;
  *ymd = v;
  return 0;
}

int c837_parse_iso_date(c837_span s, int32_t *ymd)
{
  char d8[8];
  c837_span sp;
  if (s.len != 10 || s.p[4] != '-' || s.p[7] != '-')
    return -1;
  memcpy(d8, s.p, 4);
  memcpy(d8 + 4, s.p + 5, 2);
  memcpy(d8 + 6, s.p + 8, 2);
  sp.p = d8;
  sp.len = 8;
  return c837_parse_date(sp, ymd);
}

/* Howard Hinnant's days_from_civil. */
int32_t c837_date_to_days(int32_t ymd)
{
  int y = ymd / 10000, m = (ymd / 100) % 100, d = ymd % 100;
  int era, yoe, doy, doe;
  y -= m <= 2;
  era = (y >= 0 ? y : y - 399) / 400;
  yoe = y - era * 400;
  doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

int32_t c837_days_to_date(int32_t days)
{
  int32_t z = days + 719468;
  int32_t era = (z >= 0 ? z : z - 146096) / 146097;
  int32_t doe = z - era * 146097;
  int32_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int32_t y = yoe + era * 400;
  int32_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int32_t mp = (5 * doy + 2) / 153;
  int32_t d = doy - (153 * mp + 2) / 5 + 1;
  int32_t m = mp + (mp < 10 ? 3 : -9);
  y += m <= 2;
  return y * 10000 + m * 100 + d;
}

void c837_format_iso_date(char *buf, size_t bufsz, int32_t ymd)
{
  if (bufsz == 0)
    return;
  if (ymd <= 0) {
    buf[0] = '\0';
    return;
  }
  snprintf(buf, bufsz, "%04d-%02d-%02d", (int)(ymd / 10000),
           (int)((ymd / 100) % 100), (int)(ymd % 100));
}

size_t c837_str_append(char *dst, size_t sz, size_t at, const char *src)
{
  size_t n = strlen(src);
  if (at >= sz)
    return at;
  if (n > sz - 1 - at)
    n = sz - 1 - at;
  memcpy(dst + at, src, n);
  dst[at + n] = '\0';
  return at + n;
}

size_t c837_str_append_long(char *dst, size_t sz, size_t at, long v)
{
  char tmp[24];
  size_t i = sizeof tmp - 1;
  unsigned long u = v < 0 ? 0ul - (unsigned long)v : (unsigned long)v;
  tmp[i] = '\0';
  do {
    tmp[--i] = (char)('0' + u % 10);
    u /= 10;
  } while (u);
  if (v < 0)
    tmp[--i] = '-';
  return c837_str_append(dst, sz, at, tmp + i);
}

size_t c837_excerpt(char *dst, size_t dstsz, const char *p, size_t n)
{
  static const char hex[] = "0123456789abcdef";
  size_t i, o = 0;
  if (dstsz == 0)
    return 0;
  for (i = 0; i < n; i++) {
    unsigned char c = (unsigned char)p[i];
    int plain = c >= 0x20 && c < 0x7f && c != '\'';
    if (o + (plain ? 1 : 4) >= dstsz)
      break;
    if (plain) {
      dst[o++] = (char)c;
    } else {
      dst[o++] = '\\';
      dst[o++] = 'x';
      dst[o++] = hex[c >> 4];
      dst[o++] = hex[c & 15];
    }
  }
  dst[o] = '\0';
  return o;
}


size_t c837_utf8_len(const unsigned char *s, size_t n, size_t *bad)
{
  unsigned char c = s[0], lo = 0x80, hi = 0xbf;
  size_t need, i;
  if (c < 0x80)
    return 1;
  if (c >= 0xc2 && c <= 0xdf)
    need = 2;
  else if (c >= 0xe0 && c <= 0xef)
    need = 3;
  else if (c >= 0xf0 && c <= 0xf4)
    need = 4;
  else {
    *bad = 1;
    return 0;
  }
  /* the second byte's range depends on the first */
  if (c == 0xe0)
    lo = 0xa0;
  else if (c == 0xed)
    hi = 0x9f;
  else if (c == 0xf0)
    lo = 0x90;
  else if (c == 0xf4)
    hi = 0x8f;
  for (i = 1; i < need; i++) {
    if (i >= n || s[i] < lo || s[i] > hi) {
      *bad = i;
      return 0;
    }
    lo = 0x80;
    hi = 0xbf;
  }
  return need;
}

int c837_vfprintf_text(FILE *fp, const char *fmt, va_list ap)
{
  char buf[8192];
  vsnprintf(buf, sizeof buf, fmt, ap);
  return c837_fputs_text(fp, buf);
}

int c837_fputs_text(FILE *fp, const char *s)
{
  static const char hex[] = "0123456789abcdef";
  const unsigned char *p = (const unsigned char *)(s ? s : "");
  size_t n = strlen((const char *)p), i = 0, bad;
  while (i < n) {
    size_t run = i, k;
    /* printable ASCII and valid UTF-8 but for the C1 controls, as is */
    while (run < n) {
      if (p[run] >= 0x20 && p[run] < 0x7f) {
        run++;
        continue;
      }
      k = p[run] >= 0x80 ? c837_utf8_len(p + run, n - run, &bad) : 0;
      if (k == 0 || (k == 2 && p[run] == 0xC2 && p[run + 1] < 0xA0))
        break;
      run += k;
    }
    if (run > i && fwrite(p + i, 1, run - i, fp) != run - i)
      return EOF;
    i = run;
    if (i < n) {
      k = p[i] == 0xC2 && i + 1 < n && p[i + 1] >= 0x80 && p[i + 1] < 0xA0
              ? 2
              : 1;
      for (; k > 0; k--, i++)
        if (fprintf(fp, "\\x%c%c", hex[p[i] >> 4], hex[p[i] & 15]) < 0)
          return EOF;
    }
  }
  return 0;
}

int c837_x12_string_ok(const char *p, size_t n, size_t min, size_t max,
                       const c837_delims *d)
{
  size_t i, end = n;
  int text = 0;
  while (end && p[end - 1] == ' ')
    end--;
  if (n < min || end > max)
    return 0;
  for (i = 0; i < n; i++) {
    unsigned char c = (unsigned char)p[i];
    if (c < 0x20 || c == 0x7f)
      return 0;
    if (d && (c == (unsigned char)d->element ||
              c == (unsigned char)d->component ||
              c == (unsigned char)d->segment ||
              (d->repetition && c == (unsigned char)d->repetition)))
      return 0;
    text |= c != ' ';
  }
  return text;
}

int c837_str_contains_nocase(const char *hay, const char *needle)
{
  size_t n = strlen(needle), i, j;
  if (n == 0)
    return 0;
  for (i = 0; hay[i]; i++) {
    for (j = 0; j < n && hay[i + j]; j++)
      if (tolower((unsigned char)hay[i + j]) !=
          tolower((unsigned char)needle[j]))
        break;
    if (j == n)
      return 1;
  }
  return 0;
}

int c837_path_climbs(const char *name)
{
  const char *p = name;
  while (p) {
    if (p[0] == '.' && p[1] == '.' && (p[2] == '/' || p[2] == '\0'))
      return 1;
    p = strchr(p, '/');
    if (p)
      p++;
  }
  return 0;
}
