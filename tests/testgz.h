/* testgz.h -- files, gzip and reading helpers for the input tests
 *
 * Shared by test_internal_input.c and test_internal_gzip_thread.c: a private temporary
 * directory per test program (setup / teardown), files written into it,
 * gzip made in memory with zlib, 837-looking sample text, and a loop that
 * reads an input to its end in pieces of a given size.  Failures fail the
 * test (cmocka asserts).
 */
#ifndef CART837_TESTGZ_H
#define CART837_TESTGZ_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "cart837.h"

/* The test program's own temporary directory (made by setup). */
static char g_dir[256];

static inline int setup(void **state)
{
  (void)state;
  snprintf(g_dir, sizeof g_dir, "/tmp/c837_test_input.XXXXXX");
  return mkdtemp(g_dir) ? 0 : -1;
}

static inline int teardown(void **state)
{
  char cmd[300];
  (void)state;
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", g_dir);
  return system(cmd) == 0 ? 0 : -1;
}

static inline void path_of(char *dst, size_t sz, const char *name)
{
  snprintf(dst, sz, "%s/%s", g_dir, name);
}

static inline void write_file(const char *name, const void *p, size_t n)
{
  char path[400];
  FILE *fp;
  path_of(path, sizeof path, name);
  fp = fopen(path, "wb");
  assert_non_null(fp);
  assert_int_equal(fwrite(p, 1, n, fp), n);
  assert_int_equal(fclose(fp), 0);
}

/* gzip of p[0..n) in memory (one member) at zlib level `level`, in one
 * deflate call. */
static inline unsigned char *gzip_mem_level(const void *p, size_t n,
                                            int level, size_t *out_len)
{
  z_stream z;
  size_t cap = n + n / 100 + 256;
  unsigned char *out = malloc(cap);
  assert_non_null(out);
  memset(&z, 0, sizeof z);
  assert_int_equal(deflateInit2(&z, level, Z_DEFLATED, 15 + 16, 8,
                                Z_DEFAULT_STRATEGY),
                   Z_OK);
  z.next_in = (unsigned char *)(uintptr_t)p;
  z.avail_in = (uInt)n;
  z.next_out = out;
  z.avail_out = (uInt)cap;
  assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
  *out_len = cap - z.avail_out;
  deflateEnd(&z);
  return out;
}

/* gzip of p[0..n) in memory (one member), via zlib's deflate, level 6. */
static inline unsigned char *gzip_mem(const void *p, size_t n,
                                      size_t *out_len)
{
  return gzip_mem_level(p, n, 6, out_len);
}

/* Reads everything from in, `cap` bytes at a time.  Returns the last
 * return value of c837_input_read (0 at a clean end, -1 on error). */
static inline long read_all(c837_input *in, size_t cap, char **data,
                            size_t *len, c837_error *err)
{
  char *buf = malloc(cap);
  size_t n = 0, bcap = 1024;
  char *out = malloc(bcap);
  long got;
  assert_non_null(buf);
  assert_non_null(out);
  while ((got = c837_input_read(in, buf, cap, err)) > 0) {
    assert_true((size_t)got <= cap);
    while (n + (size_t)got > bcap) {
      bcap *= 2;
      out = realloc(out, bcap);
      assert_non_null(out);
    }
    memcpy(out + n, buf, (size_t)got);
    n += (size_t)got;
  }
  free(buf);
  *data = out;
  *len = n;
  return got;
}

/* Some 837-looking text of about n bytes with a counter in it. */
static inline char *sample_text(size_t n, size_t *len)
{
  char *p = malloc(n + 64);
  size_t o = 0, i = 0;
  assert_non_null(p);
  while (o < n)
    o += (size_t)sprintf(p + o, "CLM*C%zu*100***11:B:1~\nLX*1~\n", i++);
  *len = o;
  return p;
}

#endif
