/* json.c -- the small JSON writer (json.h): nesting checks, RFC 8259
 * string escapes, and U+FFFD for bytes that are not UTF-8.
 */
#include "base/json.h"
#include "base/util.h"

#include <stdio.h>
#include <string.h>

/* ---- strings -------------------------------------------------------- */

int c837_json_put_string(c837_buf *out, const char *s, size_t n)
{
  static const char hex[] = "0123456789abcdef";
  const unsigned char *p = (const unsigned char *)s;
  size_t i = 0, run = 0; /* bytes p[i - run .. i) to copy as they are */
  int r = c837_buf_putc(out, '"');
  while (r == 0 && i < n) {
    unsigned char c = p[i];
    size_t len, bad = 0;
    char esc[8];
    const char *e = NULL;
    if (c >= 0x20 && c != '"' && c != '\\' && c < 0x7f) {
      i++, run++;
      continue;
    }
    len = c < 0x80 ? 1 : c837_utf8_len(p + i, n - i, &bad);
    if (c >= 0x80 && len) {
      i += len, run += len;
      continue;
    }
    if (run && (r = c837_buf_put(out, p + i - run, run)) != 0)
      break;
    run = 0;
    if (bad) {
      e = "\\ufffd";
      i += bad;
    } else {
      switch (c) {
      case '"': e = "\\\""; break;
      case '\\': e = "\\\\"; break;
      case '\b': e = "\\b"; break;
      case '\f': e = "\\f"; break;
      case '\n': e = "\\n"; break;
      case '\r': e = "\\r"; break;
      case '\t': e = "\\t"; break;
      default:
        memcpy(esc, "\\u00", 4);
        esc[4] = hex[c >> 4];
        esc[5] = hex[c & 15];
        esc[6] = '\0';
        e = esc;
      }
      i++;
    }
    r = c837_buf_puts(out, e);
  }
  if (r == 0 && run)
    r = c837_buf_put(out, p + i - run, run);
  return r ? r : c837_buf_putc(out, '"');
}

/* ---- structure ------------------------------------------------------ */

void c837_json_init(c837_json *j, c837_buf *out, int indent)
{
  memset(j, 0, sizeof *j);
  j->out = out;
  j->indent = indent > 0 ? indent : 0;
}

/* Keeps the first error and returns the sticky one. */
static int set_err(c837_json *j, int e)
{
  if (!j->err)
    j->err = e;
  return j->err;
}

/* A newline and the indentation of `level` (pretty output only). */
static int newline(c837_json *j, int level)
{
  int r, k;
  if (!j->indent)
    return 0;
  r = c837_buf_putc(j->out, '\n');
  for (k = 0; r == 0 && k < level * j->indent; k++)
    r = c837_buf_putc(j->out, ' ');
  return r;
}

/* What comes before a member (key) or an element: a comma after the
 * first, then the line break. */
static int separate(c837_json *j)
{
  int top = j->depth - 1, r = 0;
  if (j->count[top])
    r = c837_buf_putc(j->out, ',');
  j->count[top] = 1;
  return r ? r : newline(j, j->depth);
}

/* Checks that a value may come now and writes what precedes it. */
static int before_value(c837_json *j)
{
  if (j->err)
    return j->err;
  if (j->done)
    return set_err(j, C837_JSON_ESTATE);
  if (j->depth == 0)
    return 0;
  if (j->in_object[j->depth - 1]) {
    if (!j->want_value)
      return set_err(j, C837_JSON_ESTATE);
    j->want_value = 0;
    return 0;
  }
  return set_err(j, separate(j));
}

/* After a value: the document is complete when it was the top one. */
static int after_value(c837_json *j, int r)
{
  if (r)
    return set_err(j, r);
  if (j->depth == 0) {
    j->done = 1;
    if (j->indent)
      return set_err(j, c837_buf_putc(j->out, '\n'));
  }
  return 0;
}

/* Opens an object (object 1) or an array as a value. */
static int open_level(c837_json *j, int object)
{
  int r = before_value(j);
  if (r)
    return r;
  if (j->depth == C837_JSON_MAX_DEPTH)
    return set_err(j, C837_JSON_EDEPTH);
  if ((r = c837_buf_putc(j->out, object ? '{' : '[')) != 0)
    return set_err(j, r);
  j->in_object[j->depth] = (unsigned char)object;
  j->count[j->depth] = 0;
  j->depth++;
  return 0;
}

/* Closes the innermost object (object 1) or array, which must be one. */
static int close_level(c837_json *j, int object)
{
  int r = 0;
  if (j->err)
    return j->err;
  if (j->depth == 0 || j->in_object[j->depth - 1] != object ||
      j->want_value)
    return set_err(j, C837_JSON_ESTATE);
  j->depth--;
  if (j->count[j->depth])
    r = newline(j, j->depth);
  if (r == 0)
    r = c837_buf_putc(j->out, object ? '}' : ']');
  return after_value(j, r);
}

int c837_json_object(c837_json *j) { return open_level(j, 1); }
int c837_json_object_end(c837_json *j) { return close_level(j, 1); }
int c837_json_array(c837_json *j) { return open_level(j, 0); }
int c837_json_array_end(c837_json *j) { return close_level(j, 0); }

int c837_json_key(c837_json *j, const char *key)
{
  int r;
  if (j->err)
    return j->err;
  if (j->depth == 0 || !j->in_object[j->depth - 1] || j->want_value || !key)
    return set_err(j, C837_JSON_ESTATE);
  if ((r = separate(j)) != 0 ||
      (r = c837_json_put_string(j->out, key, strlen(key))) != 0 ||
      (r = c837_buf_puts(j->out, j->indent ? ": " : ":")) != 0)
    return set_err(j, r);
  j->want_value = 1;
  return 0;
}

/* A scalar value's text. */
static int scalar(c837_json *j, const char *text)
{
  int r = before_value(j);
  return r ? r : after_value(j, c837_buf_puts(j->out, text));
}

int c837_json_string_n(c837_json *j, const char *s, size_t n)
{
  int r = before_value(j);
  return r ? r : after_value(j, c837_json_put_string(j->out, s, n));
}

int c837_json_string(c837_json *j, const char *s)
{
  return s ? c837_json_string_n(j, s, strlen(s)) : c837_json_null(j);
}

int c837_json_int(c837_json *j, int64_t v)
{
  char t[24];
  snprintf(t, sizeof t, "%lld", (long long)v);
  return scalar(j, t);
}

int c837_json_uint(c837_json *j, uint64_t v)
{
  /* the digits by hand: summary.json has some 80 per input file, and
   * snprintf was most of its cost with many small files */
  char t[24], *p = t + sizeof t - 1;
  *p = '\0';
  do {
    *--p = (char)('0' + v % 10);
    v /= 10;
  } while (v);
  return scalar(j, p);
}

int c837_json_bool(c837_json *j, int v)
{
  return scalar(j, v ? "true" : "false");
}

int c837_json_null(c837_json *j) { return scalar(j, "null"); }

int c837_json_finish(c837_json *j)
{
  if (j->err)
    return j->err;
  return j->done ? 0 : set_err(j, C837_JSON_ESTATE);
}
