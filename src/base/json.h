/* json.h -- a small JSON writer (RFC 8259) into a c837_buf
 *
 * For summary.json and any other machine-read output: objects, arrays,
 * strings, integers, booleans and null, written in call order with the
 * nesting checked (a key only inside an object and before its value, a
 * value everywhere else, every object and array closed), in the manner
 * of yajl's generator.  No floating point: the library's quantities are
 * integers (counts, cents, micro-units).  Private to the library.
 *
 * Strings are bytes, expected to be UTF-8, and come out as follows:
 *  - '"' and '\' as \" and \\; the control characters U+0000..U+001F as
 *    \b \f \n \r \t or \u00XX (lower-case hex), and DEL (0x7f) as \u007f
 *    (RFC 8259 allows it raw; escaped, no terminal takes it in);
 *  - well-formed UTF-8 as it is ('/' and every other character too);
 *  - bytes that are not well-formed UTF-8 (Unicode 15, table 3-7: a
 *    stray continuation byte, C0, C1, F5..FF, an overlong form, a
 *    surrogate, a code point past U+10FFFF, a sequence cut short) are
 *    replaced by U+FFFD, written \ufffd: one for each maximal subpart of
 *    an ill-formed sequence (Unicode's recommended practice, the same as
 *    Python's bytes.decode("utf-8", "replace")), decoding going on at the
 *    first byte that did not fit.  So the output is always valid UTF-8
 *    and valid JSON, and a reader can tell that something was replaced.
 *
 * Errors stick: the first one (out of memory, the buffer's limit, a call
 * out of order, nesting past C837_JSON_MAX_DEPTH) is returned by that
 * call and every later one, which write nothing.
 */
#ifndef CART837_JSON_H
#define CART837_JSON_H

#include "base/buf.h"
#include "base/limits.h"

#include <stddef.h>
#include <stdint.h>

/* Errors: the buffer's (C837_BUF_NOMEM, C837_BUF_LIMIT) and these. */
enum {
  C837_JSON_EDEPTH = -3, /* nesting past C837_JSON_MAX_DEPTH */
  C837_JSON_ESTATE = -4  /* a call out of order (a value where a key is
                            due, a key outside an object, a close that
                            does not match, anything after the end) */
};

typedef struct c837_json {
  c837_buf *out;
  int err;     /* sticky: 0 or a negative code above */
  int indent;  /* spaces per level; 0: compact, on one line */
  int depth;   /* open objects and arrays */
  int done;    /* the top-level value is complete */
  int want_value; /* a key was written: its value is due */
  unsigned char in_object[C837_JSON_MAX_DEPTH]; /* per level: 1 object */
  unsigned char count[C837_JSON_MAX_DEPTH];     /* per level: members
                                                   written (0, 1: more) */
} c837_json;

/* Starts a document written to out (borrowed; appended to).  indent: 0
 * for compact output, n for n spaces per level and a newline after the
 * document (json.dumps(..., indent=n) separators). */
void c837_json_init(c837_json *j, c837_buf *out, int indent);
/* Opens / closes an object or an array.  0 or the sticky error. */
int c837_json_object(c837_json *j);
int c837_json_object_end(c837_json *j);
int c837_json_array(c837_json *j);
int c837_json_array_end(c837_json *j);
/* A member's key (inside an object, before each value). */
int c837_json_key(c837_json *j, const char *key);
/* Values.  string: s NUL-terminated (NULL writes null); string_n: n
 * bytes, NUL bytes included. */
int c837_json_string(c837_json *j, const char *s);
int c837_json_string_n(c837_json *j, const char *s, size_t n);
int c837_json_int(c837_json *j, int64_t v);
int c837_json_uint(c837_json *j, uint64_t v);
int c837_json_bool(c837_json *j, int v);
int c837_json_null(c837_json *j);
/* Ends the document: 0 when exactly one complete value was written,
 * else the sticky error or C837_JSON_ESTATE. */
int c837_json_finish(c837_json *j);

/* Appends s[0..n) to out as a JSON string (quotes and escapes as
 * above), outside any document.  0 or the buffer's error. */
int c837_json_put_string(c837_buf *out, const char *s, size_t n);

#endif
