/* util.h -- small private helpers: text appends, excerpts for messages,
 * errno to status (util.c)
 *
 * Not part of the public interface (include/cart837.h).
 */
#ifndef CART837_UTIL_H
#define CART837_UTIL_H

#include "cart837.h"

#include <stddef.h>
#include <stdint.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* c837_span_eq (cart837.h), inline for the parse's hot paths (every
 * segment's tag and qualifiers are compared with literals): the length
 * of a literal s is then known where it is called. */
static inline int c837_span_lit(c837_span a, const char *s)
{
  size_t n = strlen(s);
  return a.len == n && (n == 0 || memcmp(a.p, s, n) == 0);
}

/* c837_seg_el (cart837.h), inline for the same paths: element i
 * (1-based) of s, an empty span when absent. */
static inline c837_span c837_el(const c837_segment *s, size_t i)
{
  if (i == 0 || i > s->n_el) {
    c837_span none = {"", 0};
    return none;
  }
  return s->el[i - 1];
}

/* Appends the string src to dst, whose first `at` bytes (at < sz) are
 * already written, truncating so that dst (sz bytes) stays
 * NUL-terminated.  Returns the new length.  A snprintf("%s%s...") for the
 * per-claim paths, without the format parsing. */
size_t c837_str_append(char *dst, size_t sz, size_t at, const char *src);
/* The same for the decimal text of v. */
size_t c837_str_append_long(char *dst, size_t sz, size_t at, long v);
/* Printable excerpt of the n bytes at p, for messages: printable ASCII
 * as it is, any other byte and the quote ' as \xNN.  Stops at the last
 * whole byte that fits dst (dstsz bytes, always NUL-terminated when
 * dstsz > 0); 4 * n + 1 bytes always suffice.  Returns the length. */
size_t c837_excerpt(char *dst, size_t dstsz, const char *p, size_t n);
/* Length of the well-formed UTF-8 sequence at s[0..n) (n >= 1; Unicode
 * table 3-7: no overlong form, no surrogate, at most U+10FFFF; 1 for an
 * ASCII byte), or 0 when it is ill-formed; then *bad is the length of
 * its maximal subpart (at least 1: the bytes one U+FFFD replaces). */
size_t c837_utf8_len(const unsigned char *s, size_t n, size_t *bad);
/* Writes the string s (NULL: nothing) to fp for a person to read on a
 * terminal or in a text file: printable ASCII and valid UTF-8 as they
 * are; every control character -- C0 (CR, LF, TAB, ESC ...), DEL, and
 * C1 written as UTF-8 (U+0080..U+009F) -- and every byte that is not
 * part of valid UTF-8 (a raw 0x9B is a CSI to some terminals) as \xNN,
 * so that no file name or claim value can move the cursor, retitle the
 * window or end a line.  0, or EOF on a write error. */
int c837_fputs_text(FILE *fp, const char *s);
/* The text fmt and ap make (at most 8 KiB of it), written to fp through
 * c837_fputs_text: for lines that mix our words with names and messages
 * from the input.  0, or EOF on a write error. */
int c837_vfprintf_text(FILE *fp, const char *fmt, va_list ap);
/* Reads s as a number written in digits only: 0 and *out, or -1 when s
 * is empty, longer than max_digits (at most 19, so that it fits), or
 * holds anything but 0-9 (blanks included).  The one digit reader of
 * control numbers, counts and HL ids (inline: HL ids are on the parse
 * path). */
static inline int c837_span_digits(c837_span s, size_t max_digits,
                                   uint64_t *out)
{
  uint64_t x = 0;
  size_t i;
  if (s.len == 0 || s.len > max_digits || s.len > 19)
    return -1;
  for (i = 0; i < s.len; i++) {
    if (s.p[i] < '0' || s.p[i] > '9')
      return -1;
    x = x * 10 + (uint64_t)(s.p[i] - '0');
  }
  *out = x;
  return 0;
}
/* 1 when the n bytes at p are a value X12 allows in a string (AN)
 * element of min to max characters (X12.6: letters, digits, blanks and
 * special characters, at least one of them not a blank; leading blanks
 * are significant, trailing ones are padding to suppress, which counts
 * only where the minimum needs it): min <= n, at most max bytes before
 * the trailing blanks, not all blanks, no control character (0x00-0x1f,
 * 0x7f: X12's character sets are graphic ones) and none of d's
 * delimiters (d NULL: none checked; X12.6 3.4).  A byte over 0x7e is
 * allowed (a select language character, by the partners' agreement) and
 * counts as one character.  The check of ST02 (element 329, AN 4/9) in
 * the assembler and in the acknowledgments. */
int c837_x12_string_ok(const char *p, size_t n, size_t min, size_t max,
                       const c837_delims *d);
/* 1 when c is an ASCII letter or digit (locale-free, unlike isalnum). */
static inline int c837_is_alnum(unsigned char c)
{
  return (unsigned)(c - '0') < 10u || (unsigned)((c | 0x20) - 'a') < 26u;
}
/* 1 when hay contains needle, ASCII letters compared without their case
 * (locale-free); 0 for an empty needle. */
int c837_str_contains_nocase(const char *hay, const char *needle);
/* 1 when the relative path name has a ".." component ("..", "../x",
 * "x/../y", "x/.."): joined under a directory it would climb out. */
int c837_path_climbs(const char *name);
/* The status of a system call that failed with errno e: C837_ENOMEM for
 * ENOMEM (fopen, fdopen and the like allocate), else C837_EIO. */
c837_status c837_errno_status(int e);

#endif
