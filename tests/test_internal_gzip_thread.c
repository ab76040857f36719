/* test_internal_gzip_thread.c -- unit tests of gzip input inflated in a worker
 * thread (src/parse/input.c with src/parse/inflate_thread.c)
 *
 * An internal test in part: it checks the compressed offset the worker
 * hands over, c837_input_raw_offset, which only the private
 * src/parse/input_int.h declares.
 *
 * From its second read on, a gzip input is inflated by a worker thread
 * into a ring of C837_INFLATE_SLOTS buffers.  These tests read inputs
 * large enough to go round the ring many times and check that the caller
 * sees exactly what one thread would show: every byte in order whatever
 * the size of the caller's buffers (1 byte to 64 MB), concatenated members
 * and zero padding, an error after megabytes of good data delivered only
 * after all of that data, with its exact compressed offset and message,
 * and the same error again on every later read.  Closing an input early
 * -- the worker still inflating, waiting for room, or waiting on a pipe
 * that brings nothing -- returns (no hang; make asan checks for leaks),
 * and a signal handler interrupts a read that waits for the worker the
 * way it interrupted read(2) before: C837_EIO "Interrupted system call",
 * after which reading goes on.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <signal.h>
#include <sys/time.h>
#include <unistd.h>
#include <zlib.h>

#include "cart837.h"
#include "base/limits.h"
#include "parse/input_int.h"
#include "testgz.h"

/* The caller buffer sizes every reading test goes through. */
static const size_t CAPS[] = {1,
                              3,
                              4096,
                              C837_READ_CHUNK - 1,
                              C837_READ_CHUNK,
                              C837_READ_CHUNK + 1,
                              64u * 1024u * 1024u};
#define N_CAPS (sizeof CAPS / sizeof CAPS[0])

/* Stored deflate blocks carry at most this many bytes. */
#define STORED_MAX 65535u

static void put_le32(unsigned char *o, uint32_t v)
{
  o[0] = (unsigned char)v;
  o[1] = (unsigned char)(v >> 8);
  o[2] = (unsigned char)(v >> 16);
  o[3] = (unsigned char)(v >> 24);
}

/* A gzip member built by hand from stored deflate blocks, so that the
 * offset of every byte in it is known.  With bad_tail the member never
 * ends: after the n bytes of data comes, at *bad_off, a block whose NLEN
 * is not the complement of its LEN.  zlib reads that block's header byte
 * and its four length bytes, then stops: "invalid stored block lengths"
 * at compressed offset *bad_off + 5. */
static unsigned char *gzip_stored(const char *p, size_t n, int bad_tail,
                                  size_t *out_len, size_t *bad_off)
{
  static const unsigned char hdr[10] = {0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3};
  size_t blocks = (n + STORED_MAX - 1) / STORED_MAX;
  unsigned char *z = malloc(10 + blocks * 5 + n + 5 + 8);
  size_t o = 10, i = 0;
  assert_non_null(z);
  assert_true(n > 0);
  memcpy(z, hdr, 10);
  while (i < n) {
    size_t k = n - i < STORED_MAX ? n - i : STORED_MAX;
    z[o++] = !bad_tail && i + k == n; /* BFINAL on the last, BTYPE 00 */
    z[o++] = (unsigned char)k;
    z[o++] = (unsigned char)(k >> 8);
    z[o++] = (unsigned char)~k;
    z[o++] = (unsigned char)(~k >> 8);
    memcpy(z + o, p + i, k);
    o += k;
    i += k;
  }
  if (bad_tail) {
    static const unsigned char bad[5] = {1, 5, 0, 5, 0};
    *bad_off = o;
    memcpy(z + o, bad, 5);
    o += 5;
  } else {
    put_le32(z + o, (uint32_t)crc32(0, (const Bytef *)p, (uInt)n));
    put_le32(z + o + 4, (uint32_t)n);
    o += 8;
  }
  *out_len = o;
  return z;
}

/* Opens path, reads it to its end in pieces of cap, checks that the
 * bytes are want[0 .. want_len) and that the last read returned want_rc
 * (0: a clean end, -1: an error, then left in *err); reads once more
 * and checks that the same end or error comes back.  Returns the
 * compressed offset reached. */
static uint64_t read_check(const char *path, size_t cap, const char *want,
                           size_t want_len, long want_rc, c837_error *err)
{
  c837_input *in = c837_input_open(path, err);
  c837_error again;
  char *got, one;
  size_t got_len;
  uint64_t raw;
  assert_non_null(in);
  memset(err, 0, sizeof *err);
  assert_int_equal(read_all(in, cap, &got, &got_len, err), want_rc);
  assert_int_equal(got_len, want_len);
  assert_memory_equal(got, want, want_len);
  memset(&again, 0, sizeof again);
  assert_int_equal(c837_input_read(in, &one, 1, &again), want_rc);
  if (want_rc < 0) {
    assert_int_equal(again.code, err->code);
    assert_int_equal(again.offset, err->offset);
    assert_string_equal(again.msg, err->msg);
  }
  raw = c837_input_raw_offset(in);
  c837_input_close(in);
  free(got);
  return raw;
}

/* Writes z[0 .. zn) to the file `name` and reads it through every size
 * of CAPS: each time exactly want[0 .. want_len), then either a clean end
 * with the whole file read (code C837_OK), or the error code with
 * message "PATH: WHAT (compressed offset OFF)" and offset off. */
static void expect_every_cap(const char *name, const void *z, size_t zn,
                             const char *want, size_t want_len,
                             c837_status code, const char *what,
                             uint64_t off)
{
  char path[400], msg[700];
  c837_error err;
  size_t k;
  write_file(name, z, zn);
  path_of(path, sizeof path, name);
  if (what)
    snprintf(msg, sizeof msg, "%s: %s (compressed offset %llu)", path,
             what, (unsigned long long)off);
  for (k = 0; k < N_CAPS; k++) {
    uint64_t raw = read_check(path, CAPS[k], want, want_len,
                              code == C837_OK ? 0 : -1, &err);
    if (code == C837_OK) {
      assert_int_equal(raw, zn);
      continue;
    }
    assert_int_equal(err.code, code);
    assert_int_equal(err.offset, off);
    assert_string_equal(err.msg, msg);
  }
}

/* ------------------------------------------------------------------ */

/* 3 MB through buffers of 1 byte to 64 MB: the same bytes every time. */
static void test_tiny_and_huge_buffers(void **state)
{
  size_t n, zn;
  char *text = sample_text(3u * 1024u * 1024u, &n);
  unsigned char *z = gzip_mem(text, n, &zn);
  (void)state;
  expect_every_cap("big.gz", z, zn, text, n, C837_OK, NULL, 0);
  free(z);
  free(text);
}

/* Forty members of sizes from 0 bytes to several ring slots, then zero
 * padding: one stream, whatever the buffer size. */
static void test_many_members(void **state)
{
  static const size_t sizes[] = {0,
                                 1,
                                 1000,
                                 C837_READ_CHUNK - 5,
                                 C837_READ_CHUNK,
                                 3 * C837_READ_CHUNK + 17,
                                 70000,
                                 2};
  size_t n, i, zlen = 0, tlen = 0;
  char *text = sample_text(C837_INFLATE_SLOTS * 4u * C837_READ_CHUNK, &n);
  char *want = malloc(40 * (3 * C837_READ_CHUNK + 17));
  unsigned char *all = malloc(40 * (3 * C837_READ_CHUNK + 17) + 1000);
  (void)state;
  assert_non_null(want);
  assert_non_null(all);
  for (i = 0; i < 40; i++) {
    size_t len = sizes[i % (sizeof sizes / sizeof sizes[0])], zn;
    const char *from = text + (i * 7919) % (n - 3 * C837_READ_CHUNK - 17);
    unsigned char *z = gzip_mem(from, len, &zn);
    memcpy(all + zlen, z, zn);
    zlen += zn;
    memcpy(want + tlen, from, len);
    tlen += len;
    free(z);
  }
  memset(all + zlen, 0, 1000); /* zero padding after the last member */
  zlen += 1000;
  expect_every_cap("members.gz", all, zlen, want, tlen, C837_OK, NULL, 0);
  free(all);
  free(want);
  free(text);
}

/* A corrupt block after 3 MB of good ones: all 3 MB first, then EGZIP at
 * the offset where zlib stopped, as the single-thread code reported it
 * (it dropped what inflate had made in the failing call, though). */
static void test_error_after_good_data(void **state)
{
  size_t n, zn, bad_off;
  char *text = sample_text(3u * 1024u * 1024u, &n);
  unsigned char *z = gzip_stored(text, n, 1, &zn, &bad_off);
  (void)state;
  expect_every_cap("bad.gz", z, zn, text, n, C837_EGZIP,
                   "invalid stored block lengths", bad_off + 5);
  free(z);
  free(text);
}

/* The same member whole but followed by bytes that are not gzip, or cut
 * short: data first, then the error at the member's end or the file's. */
static void test_trailing_data_and_truncation(void **state)
{
  size_t n, zn;
  char *text = sample_text(2u * 1024u * 1024u, &n);
  unsigned char *z = gzip_stored(text, n, 0, &zn, NULL);
  unsigned char *zz = malloc(zn + 6);
  (void)state;
  assert_non_null(zz);
  memcpy(zz, z, zn);
  memcpy(zz + zn, "ISA*00", 6);
  expect_every_cap("trail.gz", zz, zn + 6, text, n, C837_EGZIP,
                   "data after the end of a gzip member is not another "
                   "gzip member",
                   zn);
  /* cut 3 bytes into the trailer: every data byte came, the check did
   * not */
  expect_every_cap("cut.gz", z, zn - 5, text, n, C837_EGZIP,
                   "gzip stream is truncated: unexpected end of file",
                   zn - 5);
  free(zz);
  free(z);
  free(text);
}

/* A byte flipped inside compressed data: whatever zlib makes of it (an
 * invalid code at once, or wrong bytes caught by the check at the end),
 * every buffer size sees the same bytes and the same error, code, offset
 * and message. */
static void test_corrupt_same_for_every_buffer(void **state)
{
  size_t n, zn, k, first_len = 0;
  char *text = sample_text(4u * 1024u * 1024u, &n), path[400];
  unsigned char *z = gzip_mem(text, n, &zn);
  char *first_data = NULL;
  c837_error first;
  (void)state;
  z[zn / 2] ^= 0x55;
  write_file("flip.gz", z, zn);
  path_of(path, sizeof path, "flip.gz");
  memset(&first, 0, sizeof first);
  for (k = 0; k < N_CAPS; k++) {
    c837_error err;
    c837_input *in = c837_input_open(path, &err);
    char *got;
    size_t got_len;
    assert_non_null(in);
    memset(&err, 0, sizeof err);
    assert_int_equal(read_all(in, CAPS[k], &got, &got_len, &err), -1);
    assert_int_equal(err.code, C837_EGZIP);
    assert_true(got_len > C837_READ_CHUNK); /* the worker was running */
    if (k == 0) {
      first = err;
      first_len = got_len;
      first_data = got;
      got = NULL;
    }
    assert_int_equal(got_len, first_len);
    assert_memory_equal(got ? got : first_data, first_data, got_len);
    assert_int_equal(err.offset, first.offset);
    assert_string_equal(err.msg, first.msg);
    c837_input_close(in);
    free(got);
  }
  free(first_data);
  free(z);
  free(text);
}

/* Closing before the end: right after open, after the first read (no
 * worker yet), with the worker just started, with the ring full and the
 * worker waiting for room, in the middle of the stream. */
static void test_early_close(void **state)
{
  size_t n, zn, reads;
  char *text = sample_text(8u * 1024u * 1024u, &n), path[400];
  unsigned char *z = gzip_mem(text, n, &zn);
  char *buf = malloc(C837_READ_CHUNK);
  (void)state;
  assert_non_null(buf);
  write_file("close.gz", z, zn);
  path_of(path, sizeof path, "close.gz");
  for (reads = 0; reads <= 12; reads++) {
    c837_error err;
    c837_input *in = c837_input_open(path, &err);
    size_t i, off = 0;
    assert_non_null(in);
    for (i = 0; i < reads; i++) {
      size_t cap = reads % 2 ? 4096 : C837_READ_CHUNK;
      long got = c837_input_read(in, buf, cap, &err);
      assert_true(got > 0);
      assert_memory_equal(buf, text + off, (size_t)got);
      off += (size_t)got;
    }
    c837_input_close(in);
  }
  free(buf);
  free(z);
  free(text);
}

/* ------------------------------------------------------------------ */
/* A worker waiting on a pipe that brings nothing                      */
/* ------------------------------------------------------------------ */

static void on_alarm(int sig)
{
  (void)sig;
}

/* SIGALRM every 5 ms to a handler without SA_RESTART (as the CLI's
 * SIGINT handler), or back to nothing. */
static void alarm_every_5ms(int on)
{
  struct sigaction sa;
  struct itimerval it;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on ? on_alarm : SIG_DFL;
  sigemptyset(&sa.sa_mask);
  memset(&it, 0, sizeof it);
  it.it_interval.tv_usec = on ? 5000 : 0;
  it.it_value.tv_usec = on ? 5000 : 0;
  if (on)
    assert_int_equal(sigaction(SIGALRM, &sa, NULL), 0);
  assert_int_equal(setitimer(ITIMER_REAL, &it, NULL), 0);
  if (!on)
    assert_int_equal(sigaction(SIGALRM, &sa, NULL), 0);
}

typedef struct stall_case {
  const char *text;
  size_t n;
  const unsigned char *z;
  size_t zn, first;   /* compressed bytes sent before the stall */
  int writer;         /* write end of the pipe on stdin */
  int resume;         /* 1: send the rest and read to the end */
} stall_case;

/* Interrupts without a byte in between after which the worker is taken
 * to wait on the pipe (at 5 ms each, a fifth of a second and more; were
 * it still inflating, the close and the resume are tested all the same). */
#define QUIET_INTERRUPTS 40

/* On stdin (a pipe): reads, going on after each interrupted wait, until
 * the worker has nothing more to give (the pipe stalls); then either
 * closes (the worker is waiting on the pipe) or sends the rest and reads
 * on to the end. */
static void read_stalled(void *arg)
{
  stall_case *c = arg;
  c837_error err;
  c837_input *in = c837_input_open("-", &err);
  char buf[1000], *more;
  size_t got_len = 0, more_len;
  int quiet = 0;
  long n;
  assert_non_null(in);
  alarm_every_5ms(1);
  while (quiet < QUIET_INTERRUPTS) {
    memset(&err, 0, sizeof err);
    n = c837_input_read(in, buf, sizeof buf, &err);
    if (n > 0) {
      assert_true(got_len + (size_t)n < c->n);
      assert_memory_equal(buf, c->text + got_len, (size_t)n);
      got_len += (size_t)n;
      quiet = 0;
      continue;
    }
    assert_int_equal(n, -1);
    assert_int_equal(err.code, C837_EIO);
    assert_non_null(strstr(err.msg, "-: Interrupted system call "
                                    "(compressed offset "));
    quiet++;
  }
  alarm_every_5ms(0);
  assert_true(got_len > C837_READ_CHUNK); /* the worker was running */
  if (c->resume) {
    assert_int_equal(write(c->writer, c->z + c->first, c->zn - c->first),
                     (ssize_t)(c->zn - c->first));
    close(c->writer);
    c->writer = -1;
    assert_int_equal(read_all(in, 1000, &more, &more_len, &err), 0);
    assert_int_equal(got_len + more_len, c->n);
    assert_memory_equal(more, c->text + got_len, more_len);
    assert_int_equal(c837_input_raw_offset(in), c->zn);
    free(more);
  }
  /* the worker may be waiting on the pipe: a close that hangs is killed
   * by SIGALRM (back to its default action) and the test fails */
  alarm(60);
  c837_input_close(in);
  alarm(0);
}

static void run_stalled(int resume)
{
  size_t n, zn;
  char *text = sample_text(1024u * 1024u, &n);
  unsigned char *z = gzip_mem(text, n, &zn);
  int p[2], saved;
  stall_case c;
  assert_true(zn < 120000); /* each half fits the pipe buffer */
  assert_int_equal(pipe(p), 0);
  c.text = text;
  c.n = n;
  c.z = z;
  c.zn = zn;
  c.first = zn / 2;
  c.writer = p[1];
  c.resume = resume;
  assert_int_equal(write(p[1], z, c.first), (ssize_t)c.first);
  saved = dup(0);
  assert_true(saved >= 0);
  assert_int_equal(dup2(p[0], 0), 0);
  close(p[0]);
  read_stalled(&c);
  assert_int_equal(dup2(saved, 0), 0);
  close(saved);
  if (c.writer >= 0)
    close(c.writer);
  free(z);
  free(text);
}

/* Closed while the worker waits for a pipe whose writer is silent: the
 * close returns (the SIGINT path of `cart837 -` on a stalled pipe). */
static void test_close_while_worker_waits_on_pipe(void **state)
{
  (void)state;
  run_stalled(0);
}

/* Interrupted, then the rest arrives: reading goes on to a clean end
 * with every byte. */
static void test_resume_after_interrupt(void **state)
{
  (void)state;
  run_stalled(1);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_tiny_and_huge_buffers),
      cmocka_unit_test(test_many_members),
      cmocka_unit_test(test_error_after_good_data),
      cmocka_unit_test(test_trailing_data_and_truncation),
      cmocka_unit_test(test_corrupt_same_for_every_buffer),
      cmocka_unit_test(test_early_close),
      cmocka_unit_test(test_close_while_worker_waits_on_pipe),
      cmocka_unit_test(test_resume_after_interrupt),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
