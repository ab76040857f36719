/* test_internal_base.c -- unit tests of the ground floor (src/base: buf, map,
 * err, sort, the text escaping of util)
 *
 * An internal test: it includes private headers of src/base, which are
 * not part of the public interface.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/buf.h"
#include "base/err.h"
#include "base/limits.h"
#include "base/map.h"
#include "base/sort.h"
#include "base/util.h"

static void test_buf_put_and_limit(void **state)
{
  c837_buf b = C837_BUF_INIT(10);
  (void)state;
  assert_int_equal(c837_buf_puts(&b, "abcd"), 0);
  assert_int_equal(c837_buf_putc(&b, 'e'), 0);
  assert_int_equal(b.len, 5);
  assert_memory_equal(b.p, "abcde", 5);
  /* 6 more would pass the limit of 10: refused, buffer unchanged */
  assert_int_equal(c837_buf_put(&b, "123456", 6), C837_BUF_LIMIT);
  assert_int_equal(b.len, 5);
  assert_int_equal(c837_buf_put(&b, "12345", 5), 0);
  assert_int_equal(b.len, 10);
  assert_memory_equal(b.p, "abcde12345", 10);
  assert_int_equal(c837_buf_putc(&b, 'x'), C837_BUF_LIMIT);
  assert_true(b.cap <= 10);
  c837_buf_clear(&b);
  assert_int_equal(b.len, 0);
  assert_int_equal(c837_buf_put(&b, "", 0), 0);
  c837_buf_free(&b);
  assert_null(b.p);
  assert_int_equal(b.limit, 10);
}

static void test_buf_unlimited_grows(void **state)
{
  c837_buf b = {0};
  size_t i;
  (void)state;
  for (i = 0; i < 100000; i++)
    assert_int_equal(c837_buf_putc(&b, (char)('a' + i % 26)), 0);
  assert_int_equal(b.len, 100000);
  assert_int_equal(b.p[99999], 'a' + 99999 % 26);
  assert_int_equal(c837_buf_reserve(&b, 50), 0); /* no shrink */
  assert_true(b.cap >= 100000);
  c837_buf_free(&b);
}

static void test_vec_reserve(void **state)
{
  int *a = NULL;
  size_t cap = 0, i;
  (void)state;
  assert_int_equal(c837_vec_reserve(&a, &cap, 0, sizeof *a, 4, 0), 0);
  assert_null(a);
  assert_int_equal(c837_vec_reserve(&a, &cap, 1, sizeof *a, 4, 0), 0);
  assert_int_equal(cap, 4);
  assert_int_equal(c837_vec_reserve(&a, &cap, 5, sizeof *a, 4, 0), 0);
  assert_int_equal(cap, 8);
  for (i = 0; i < 8; i++)
    a[i] = (int)i;
  /* a limit of 10 elements: 9 fit (the allocation stops at 10), 11 not */
  assert_int_equal(c837_vec_reserve(&a, &cap, 9, sizeof *a, 4, 10), 0);
  assert_int_equal(cap, 10);
  assert_int_equal(a[7], 7);
  assert_int_equal(c837_vec_reserve(&a, &cap, 11, sizeof *a, 4, 10),
                   C837_BUF_LIMIT);
  assert_int_equal(cap, 10);
  /* overflow of the size arithmetic is "no memory", array unchanged */
  assert_int_equal(
      c837_vec_reserve(&a, &cap, SIZE_MAX / 2, sizeof *a, 4, 0),
      C837_BUF_NOMEM);
  assert_int_equal(cap, 10);
  free(a);
}

static void test_hash(void **state)
{
  (void)state;
  /* FNV-1a 64 test vectors */
  assert_true(c837_hash("", 0) == 0xcbf29ce484222325ull);
  assert_true(c837_hash("a", 1) == 0xaf63dc4c8601ec8cull);
  assert_true(c837_hash_str("foobar") == 0x85944171f73967e8ull);
  assert_true(c837_hash("a\0b", 3) != c837_hash("a", 1));
}

static void test_map_intern(void **state)
{
  c837_map m = {0};
  size_t id, i;
  char key[32];
  (void)state;
  assert_int_equal(c837_map_find(&m, "x", 1), C837_MAP_NONE);
  assert_int_equal(c837_map_intern(&m, "alpha", 5, &id), 1);
  assert_int_equal(id, 0);
  assert_int_equal(c837_map_intern(&m, "beta", 4, &id), 1);
  assert_int_equal(id, 1);
  assert_int_equal(c837_map_intern(&m, "alpha", 5, &id), 0);
  assert_int_equal(id, 0);
  /* keys are bytes: a prefix, an embedded NUL and the empty key differ */
  assert_int_equal(c837_map_intern(&m, "alp", 3, &id), 1);
  assert_int_equal(id, 2);
  assert_int_equal(c837_map_intern(&m, "al\0pha", 6, &id), 1);
  assert_int_equal(id, 3);
  assert_int_equal(c837_map_intern(&m, "", 0, &id), 1);
  assert_int_equal(id, 4);
  assert_string_equal(c837_map_key(&m, 1), "beta");
  assert_int_equal(c837_map_key_len(&m, 3), 6);
  assert_int_equal(c837_map_key_len(&m, 4), 0);
  /* many keys: ids stay dense and in order through every rehash */
  for (i = 0; i < 5000; i++) {
    int n = snprintf(key, sizeof key, "k%zu", i);
    assert_int_equal(c837_map_intern(&m, key, (size_t)n, &id), 1);
    assert_int_equal(id, 5 + i);
  }
  assert_int_equal(c837_map_count(&m), 5005);
  for (i = 0; i < 5000; i += 7) {
    int n = snprintf(key, sizeof key, "k%zu", i);
    assert_int_equal(c837_map_find(&m, key, (size_t)n), 5 + i);
    assert_string_equal(c837_map_key(&m, 5 + i), key);
  }
  assert_int_equal(c837_map_find(&m, "k5000", 5), C837_MAP_NONE);
  assert_int_equal(c837_map_find(&m, "alpha", 5), 0);
  assert_true(m.nslots >= 2 * c837_map_count(&m));
  c837_map_free(&m);
  assert_int_equal(c837_map_count(&m), 0);
}

static void test_error_set(void **state)
{
  c837_error e;
  (void)state;
  c837_error_clear(&e);
  assert_int_equal(e.code, C837_OK);
  assert_string_equal(e.msg, "");
  assert_int_equal(c837_error_set(&e, C837_EIO, 12, 3, "%s: %d", "f", 7),
                   C837_EIO);
  assert_int_equal(e.offset, 12);
  assert_int_equal(e.segment, 3);
  assert_string_equal(e.msg, "f: 7");
  /* the first error wins */
  assert_int_equal(c837_error_first(&e, C837_ECSV, 1, 1, "later"),
                   C837_EIO);
  assert_string_equal(e.msg, "f: 7");
  c837_error_clear(&e);
  assert_int_equal(c837_error_first(&e, C837_ECSV, 1, 2, "now"), C837_ECSV);
  assert_string_equal(e.msg, "now");
  assert_int_equal(e.segment, 2);
  /* NULL: nothing written, the code still returned */
  assert_int_equal(c837_error_set(NULL, C837_ENOMEM, 0, 0, "x"),
                   C837_ENOMEM);
  /* a long message is cut to fit, NUL-terminated */
  {
    char big[2000];
    memset(big, 'z', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    c837_error_set(&e, C837_EIO, 0, 0, "%s", big);
    assert_int_equal(strlen(e.msg), sizeof e.msg - 1);
  }
}

/* c837_fputs_text: what a person reads never carries a control byte. */
static void expect_text(const char *in, const char *want)
{
  char *buf = NULL;
  size_t len = 0;
  FILE *fp = open_memstream(&buf, &len);
  assert_non_null(fp);
  assert_int_equal(c837_fputs_text(fp, in), 0);
  fclose(fp);
  assert_string_equal(buf, want);
  free(buf);
}

static void test_fputs_text(void **state)
{
  (void)state;
  expect_text("plain.837", "plain.837");
  expect_text(NULL, "");
  /* C0, DEL: an escape sequence, a window title, a line break */
  expect_text("e\033]0;pwned\007.837", "e\\x1b]0;pwned\\x07.837");
  expect_text("a\r\nb\tc\177", "a\\x0d\\x0ab\\x09c\\x7f");
  /* valid UTF-8 as it is (2, 3 and 4 bytes) */
  expect_text("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80",
              "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80");
  /* C1 controls written as UTF-8 (U+009B is CSI), and raw */
  expect_text("x\xc2\x9b" "2Jy", "x\\xc2\\x9b2Jy");
  expect_text("x\x9b" "2J", "x\\x9b2J");
  /* U+00A0 is not a control */
  expect_text("\xc2\xa0", "\xc2\xa0");
  /* invalid UTF-8: overlong, surrogate, cut short, past U+10FFFF */
  expect_text("\xc0\xaf", "\\xc0\\xaf");
  expect_text("\xed\xa0\x80", "\\xed\\xa0\\x80");
  expect_text("\xe2\x82", "\\xe2\\x82");
  expect_text("\xf4\x90\x80\x80", "\\xf4\\x90\\x80\\x80");
}

/* Elements as the report model sorts them: a key with ties, and a
 * unique one that breaks them (a total order). */
typedef struct skv {
  uint32_t key, uniq;
  uint64_t pad;
} skv;

static int by_skv(const void *pa, const void *pb)
{
  const skv *a = pa, *b = pb;
  if (a->key != b->key)
    return a->key < b->key ? -1 : 1;
  return a->uniq < b->uniq ? -1 : a->uniq > b->uniq;
}

/* Bigger than C837_SORT_MAX_ELEM: qsort's. */
typedef struct big {
  uint32_t key;
  char fill[C837_SORT_MAX_ELEM];
} big;

static int by_big(const void *pa, const void *pb)
{
  const big *a = pa, *b = pb;
  return a->key < b->key ? -1 : a->key > b->key;
}

/* c837_path_climbs: a ".." component anywhere, not ".." inside a name */
static void test_path_climbs(void **state)
{
  static const char *const up[] = {"..", "../x", "a/../b", "a/..", "a//..",
                                   "../"};
  static const char *const down[] = {"x", "a/b", "..x", "a/..b", "x..",
                                     "a/b../c", ".", "./a", ""};
  size_t i;
  (void)state;
  for (i = 0; i < sizeof up / sizeof *up; i++)
    assert_int_equal(c837_path_climbs(up[i]), 1);
  for (i = 0; i < sizeof down / sizeof *down; i++)
    assert_int_equal(c837_path_climbs(down[i]), 0);
}

static void test_sort_as_qsort(void **state)
{
  static const size_t sizes[] = {0, 1, 2, 3, 7, 64, 1000, 4097};
  uint32_t x = 12345;
  size_t k, i;
  big b[50];
  (void)state;
  for (k = 0; k < sizeof sizes / sizeof *sizes; k++) {
    size_t n = sizes[k];
    skv *v = calloc(n ? n : 1, sizeof *v), *w = calloc(n ? n : 1, sizeof *w);
    assert_non_null(v);
    assert_non_null(w);
    for (i = 0; i < n; i++) {
      x = x * 1103515245u + 12345u;
      v[i].key = (x >> 16) % 17; /* many ties */
      v[i].uniq = (uint32_t)(n - i);
      v[i].pad = i;
    }
    memcpy(w, v, n * sizeof *v);
    qsort(w, n, sizeof *w, by_skv);
    c837_sort(v, n, sizeof *v, by_skv);
    assert_memory_equal(v, w, n * sizeof *v);
    free(v);
    free(w);
  }
  for (i = 0; i < 50; i++) {
    memset(&b[i], 0, sizeof b[i]);
    b[i].key = (uint32_t)((i * 37) % 50);
  }
  c837_sort(b, 50, sizeof *b, by_big);
  for (i = 0; i < 50; i++)
    assert_int_equal(b[i].key, i);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_buf_put_and_limit),
      cmocka_unit_test(test_buf_unlimited_grows),
      cmocka_unit_test(test_vec_reserve),
      cmocka_unit_test(test_hash),
      cmocka_unit_test(test_map_intern),
      cmocka_unit_test(test_error_set),
      cmocka_unit_test(test_fputs_text),
      cmocka_unit_test(test_sort_as_qsort),
      cmocka_unit_test(test_path_climbs),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
