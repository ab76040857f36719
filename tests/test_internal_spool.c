/* test_internal_spool.c -- unit tests of the report spool (src/run/spool.c)
 *
 * An internal test: it includes the run layer's private header
 * (run/spool.h).
 *
 * The spool is read back through a buffer of its own (preads): every
 * record put comes back, in order, with its type, payload and offset,
 * whatever its size against the read buffer (empty, a few bytes, across
 * the buffer's end, larger than the buffer); a record read at an offset
 * is the one put there, in any order, between reads of a pass; records
 * put after reading started are read too; a rollback cuts the records
 * after the mark, also those a read had already buffered; a record
 * larger than the reader's limit fails the spool.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <unistd.h>

#include "cart837.h"
#include "base/buf.h"
#include "base/limits.h"
#include "run/spool.h"

static char dir[] = "/tmp/c837-spool-XXXXXX";

static int setup(void **state)
{
  (void)state;
  return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
  (void)state;
  return rmdir(dir);
}

/* The payload of record i: n(i) bytes, each a function of i and its
 * place, so that a record read at the wrong offset cannot compare
 * equal. */
static size_t size_of(int i)
{
  static const size_t sizes[] = {0, 1, 7, 300, C837_SPOOL_READ_AT - 5,
                                 C837_SPOOL_READ_AT + 1,
                                 C837_SPOOL_READ_BUFFER - 3,
                                 C837_SPOOL_READ_BUFFER,
                                 3 * C837_SPOOL_READ_BUFFER + 11, 42};
  return sizes[(size_t)i % (sizeof sizes / sizeof *sizes)];
}

static void fill(unsigned char *p, int i, size_t n)
{
  size_t k;
  for (k = 0; k < n; k++)
    p[k] = (unsigned char)(i * 31 + k * 7 + (k >> 8));
}

/* Puts records first .. last-1; their offsets into at[]. */
static void put_records(c837_spool *s, int first, int last, off_t *at)
{
  unsigned char *p = malloc(4 * C837_SPOOL_READ_BUFFER);
  int i;
  assert_non_null(p);
  for (i = first; i < last; i++) {
    at[i] = s->pos;
    fill(p, i, size_of(i));
    assert_int_equal(c837_spool_put(s, 10 + i, p, size_of(i)), 0);
  }
  free(p);
}

/* Reads one record (at: -1 the next) and checks it is record i. */
static void expect_record(c837_spool *s, c837_buf *b, off_t at, int i,
                          off_t want_at)
{
  unsigned char *p = malloc(4 * C837_SPOOL_READ_BUFFER);
  int type = -1;
  off_t pos = -1;
  assert_non_null(p);
  assert_int_equal(c837_spool_read(s, at, &type, b, &pos), 1);
  assert_int_equal(type, 10 + i);
  assert_int_equal((long long)pos, (long long)want_at);
  assert_int_equal(b->len, size_of(i));
  fill(p, i, size_of(i));
  assert_memory_equal(b->p ? b->p : (char *)p, p, size_of(i));
  free(p);
}

static void open_spool(c837_spool *s, c837_buf *b)
{
  c837_error err;
  assert_int_equal(c837_spool_open(s, dir, &err), C837_OK);
  c837_buf init = C837_BUF_INIT(8 * C837_SPOOL_READ_BUFFER);
  *b = init;
}

static void every_record_comes_back(void **state)
{
  c837_spool s;
  c837_buf b;
  off_t at[40];
  int i, type;
  (void)state;
  open_spool(&s, &b);
  put_records(&s, 0, 30, at);
  assert_int_equal(c837_spool_start(&s), 0);
  for (i = 0; i < 30; i++)
    expect_record(&s, &b, -1, i, at[i]);
  assert_int_equal(c837_spool_read(&s, -1, &type, &b, NULL), 0);
  /* at offsets, backwards, then the pass goes on from the last one */
  for (i = 29; i >= 0; i -= 3)
    expect_record(&s, &b, at[i], i, at[i]);
  expect_record(&s, &b, -1, 3, at[3]);
  /* put after reading started: read too, at the end of a new pass */
  put_records(&s, 30, 33, at);
  assert_int_equal(c837_spool_start(&s), 0);
  for (i = 0; i < 33; i++)
    expect_record(&s, &b, -1, i, at[i]);
  assert_int_equal(c837_spool_read(&s, -1, &type, &b, NULL), 0);
  c837_buf_free(&b);
  c837_spool_close(&s);
}

static void rollback_cuts_what_was_read(void **state)
{
  c837_spool s;
  c837_buf b;
  off_t at[40];
  int type;
  (void)state;
  open_spool(&s, &b);
  put_records(&s, 0, 3, at);
  assert_int_equal(c837_spool_mark(&s), 0);
  put_records(&s, 3, 6, at);
  /* read, so that the records after the mark are in the read buffer */
  expect_record(&s, &b, at[4], 4, at[4]);
  assert_int_equal(c837_spool_rollback(&s), 0);
  /* records of 1, 7, 300 and 4091 bytes: the last starts where the
   * read buffer held record 4 */
  put_records(&s, 11, 15, at);
  assert_int_equal((long long)at[11], (long long)at[3]);
  assert_true(at[14] > at[4] && at[14] < at[4] + (off_t)C837_SPOOL_READ_AT);
  expect_record(&s, &b, at[14], 14, at[14]);
  assert_int_equal(c837_spool_start(&s), 0);
  expect_record(&s, &b, -1, 0, at[0]);
  expect_record(&s, &b, -1, 1, at[1]);
  expect_record(&s, &b, -1, 2, at[2]);
  expect_record(&s, &b, -1, 11, at[11]);
  expect_record(&s, &b, -1, 12, at[12]);
  expect_record(&s, &b, -1, 13, at[13]);
  expect_record(&s, &b, -1, 14, at[14]);
  assert_int_equal(c837_spool_read(&s, -1, &type, &b, NULL), 0);
  c837_buf_free(&b);
  c837_spool_close(&s);
}

static void record_over_the_limit_fails(void **state)
{
  c837_spool s;
  c837_buf b;
  off_t at[10];
  int type;
  (void)state;
  open_spool(&s, &b);
  b.limit = 100;
  put_records(&s, 3, 4, at); /* 300 bytes */
  assert_int_equal(c837_spool_start(&s), 0);
  assert_int_equal(c837_spool_read(&s, -1, &type, &b, NULL), -1);
  assert_int_equal(s.failed, 1);
  assert_non_null(strstr(s.why, "cannot read the report spool"));
  c837_buf_free(&b);
  c837_spool_close(&s);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(every_record_comes_back),
      cmocka_unit_test(rollback_cuts_what_was_read),
      cmocka_unit_test(record_over_the_limit_fails),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
