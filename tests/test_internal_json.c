/* test_internal_json.c -- unit tests of the JSON writer (src/base/json.c)
 *
 * An internal test: it includes the private header src/base/json.h.
 * Every escape and every shape of output is compared byte for byte; the
 * invalid UTF-8 cases expect what Python's bytes.decode("utf-8",
 * "replace") gives.  tests/e2e_ack.sh has the writer's documents read by
 * python3 -m json.tool and Python's json module.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/json.h"
#include "base/limits.h"

/* ---- JSON ---------------------------------------------------------------- */

/* One string value, written alone, is exactly want. */
static void json_str(const char *s, size_t n, const char *want)
{
  c837_buf b = {0};
  c837_json j;
  c837_json_init(&j, &b, 0);
  assert_int_equal(c837_json_string_n(&j, s, n), 0);
  assert_int_equal(c837_json_finish(&j), 0);
  assert_int_equal(c837_buf_putc(&b, '\0'), 0);
  assert_string_equal(b.p, want);
  c837_buf_free(&b);
}

#define JS(lit, want) json_str(lit, sizeof lit - 1, want)

static void test_json_escapes(void **state)
{
  (void)state;
  JS("", "\"\"");
  JS("plain / text", "\"plain / text\"");
  JS("\"", "\"\\\"\"");
  JS("\\", "\"\\\\\"");
  JS("\b\f\n\r\t", "\"\\b\\f\\n\\r\\t\"");
  JS("\x01\x02\x0b\x1e\x1f", "\"\\u0001\\u0002\\u000b\\u001e\\u001f\"");
  JS("a\0b", "\"a\\u0000b\"");
  JS("\x7f", "\"\\u007f\"");
  JS(" ~", "\" ~\"");
  /* well-formed UTF-8 as it is: 2, 3, 4 bytes, a BOM, U+10FFFF */
  JS("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80 \xef\xbb\xbf \xf4\x8f\xbf\xbf",
     "\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80 \xef\xbb\xbf "
     "\xf4\x8f\xbf\xbf\"");
  /* ill-formed: one U+FFFD per maximal subpart (as Python's
   * decode("utf-8", "replace")) */
  JS("\x80", "\"\\ufffd\"");
  JS("\xc0\xaf", "\"\\ufffd\\ufffd\"");
  JS("\xc3", "\"\\ufffd\"");
  JS("\xe2\x82", "\"\\ufffd\"");
  JS("\xe2\x82x", "\"\\ufffdx\"");
  JS("\xe0\x80\xaf", "\"\\ufffd\\ufffd\\ufffd\"");
  JS("\xed\xa0\x80", "\"\\ufffd\\ufffd\\ufffd\"");
  JS("\xf4\x90\x80\x80", "\"\\ufffd\\ufffd\\ufffd\\ufffd\"");
  JS("\xf0\x9f\x98", "\"\\ufffd\"");
  JS("\xf8\x88\x80\x80\x80",
     "\"\\ufffd\\ufffd\\ufffd\\ufffd\\ufffd\"");
  JS("ok\xff\xfeok\"", "\"ok\\ufffd\\ufffdok\\\"\"");
}

static void test_json_documents(void **state)
{
  c837_buf b = {0};
  c837_json j;
  (void)state;
  c837_json_init(&j, &b, 0);
  assert_int_equal(c837_json_object(&j), 0);
  assert_int_equal(c837_json_key(&j, "a"), 0);
  assert_int_equal(c837_json_int(&j, 1), 0);
  assert_int_equal(c837_json_key(&j, "b\n"), 0);
  assert_int_equal(c837_json_array(&j), 0);
  assert_int_equal(c837_json_bool(&j, 1), 0);
  assert_int_equal(c837_json_bool(&j, 0), 0);
  assert_int_equal(c837_json_null(&j), 0);
  assert_int_equal(c837_json_string(&j, NULL), 0);
  assert_int_equal(c837_json_array_end(&j), 0);
  assert_int_equal(c837_json_key(&j, "c"), 0);
  assert_int_equal(c837_json_object(&j), 0);
  assert_int_equal(c837_json_object_end(&j), 0);
  assert_int_equal(c837_json_key(&j, "d"), 0);
  assert_int_equal(c837_json_array(&j), 0);
  assert_int_equal(c837_json_array_end(&j), 0);
  assert_int_equal(c837_json_key(&j, "min"), 0);
  assert_int_equal(c837_json_int(&j, INT64_MIN), 0);
  assert_int_equal(c837_json_key(&j, "max"), 0);
  assert_int_equal(c837_json_uint(&j, UINT64_MAX), 0);
  assert_int_equal(c837_json_object_end(&j), 0);
  assert_int_equal(c837_json_finish(&j), 0);
  assert_int_equal(c837_buf_putc(&b, '\0'), 0);
  assert_string_equal(b.p, "{\"a\":1,\"b\\n\":[true,false,null,null],"
                           "\"c\":{},\"d\":[],"
                           "\"min\":-9223372036854775808,"
                           "\"max\":18446744073709551615}");
  /* indented as json.dumps(indent=2) */
  c837_buf_clear(&b);
  c837_json_init(&j, &b, 2);
  c837_json_object(&j);
  c837_json_key(&j, "files");
  c837_json_array(&j);
  c837_json_object(&j);
  c837_json_key(&j, "name");
  c837_json_string(&j, "a.837");
  c837_json_key(&j, "claims");
  c837_json_uint(&j, 7);
  c837_json_object_end(&j);
  c837_json_array_end(&j);
  c837_json_key(&j, "empty");
  c837_json_array(&j);
  c837_json_array_end(&j);
  c837_json_object_end(&j);
  assert_int_equal(c837_json_finish(&j), 0);
  assert_int_equal(c837_buf_putc(&b, '\0'), 0);
  assert_string_equal(b.p, "{\n"
                           "  \"files\": [\n"
                           "    {\n"
                           "      \"name\": \"a.837\",\n"
                           "      \"claims\": 7\n"
                           "    }\n"
                           "  ],\n"
                           "  \"empty\": []\n"
                           "}\n");
  /* a scalar alone is a document */
  c837_buf_clear(&b);
  c837_json_init(&j, &b, 0);
  assert_int_equal(c837_json_uint(&j, 5), 0);
  assert_int_equal(c837_json_finish(&j), 0);
  assert_int_equal(b.len, 1);
  c837_buf_free(&b);
}

static void test_json_errors_stick(void **state)
{
  c837_buf b = {0}, small = C837_BUF_INIT(8);
  c837_json j;
  int k;
  (void)state;
  /* a key in an array */
  c837_json_init(&j, &b, 0);
  c837_json_array(&j);
  assert_int_equal(c837_json_key(&j, "k"), C837_JSON_ESTATE);
  assert_int_equal(c837_json_null(&j), C837_JSON_ESTATE);
  assert_int_equal(c837_json_finish(&j), C837_JSON_ESTATE);
  assert_int_equal(b.len, 1); /* "[" and nothing after the error */
  /* a value where a key is due; a close that does not match */
  c837_buf_clear(&b);
  c837_json_init(&j, &b, 0);
  c837_json_object(&j);
  assert_int_equal(c837_json_int(&j, 1), C837_JSON_ESTATE);
  c837_json_init(&j, &b, 0);
  c837_json_object(&j);
  assert_int_equal(c837_json_array_end(&j), C837_JSON_ESTATE);
  c837_json_init(&j, &b, 0);
  c837_json_object(&j);
  c837_json_key(&j, "k");
  assert_int_equal(c837_json_object_end(&j), C837_JSON_ESTATE);
  /* nothing after the document; nothing before it is no document */
  c837_json_init(&j, &b, 0);
  assert_int_equal(c837_json_finish(&j), C837_JSON_ESTATE);
  c837_json_init(&j, &b, 0);
  c837_json_null(&j);
  assert_int_equal(c837_json_null(&j), C837_JSON_ESTATE);
  assert_int_equal(c837_json_array_end(&j), C837_JSON_ESTATE);
  /* nesting past the limit */
  c837_buf_clear(&b);
  c837_json_init(&j, &b, 0);
  for (k = 0; k < C837_JSON_MAX_DEPTH; k++)
    assert_int_equal(c837_json_array(&j), 0);
  assert_int_equal(c837_json_array(&j), C837_JSON_EDEPTH);
  assert_int_equal(c837_json_array_end(&j), C837_JSON_EDEPTH);
  /* the buffer's limit */
  c837_json_init(&j, &small, 0);
  c837_json_array(&j);
  assert_int_equal(c837_json_string(&j, "0123456789"), C837_BUF_LIMIT);
  assert_int_equal(c837_json_array_end(&j), C837_BUF_LIMIT);
  assert_int_equal(c837_json_finish(&j), C837_BUF_LIMIT);
  c837_buf_free(&small);
  c837_buf_free(&b);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_json_escapes),
      cmocka_unit_test(test_json_documents),
      cmocka_unit_test(test_json_errors_stick),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
