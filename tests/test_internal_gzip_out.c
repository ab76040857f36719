/* test_internal_gzip_out.c -- unit tests of the gzip outputs: the
 * deflate worker thread (src/run/deflate_thread.c) and the pass-through
 * of an unchanged gzip input (src/run/sink.c)
 *
 * An internal test: it includes the run layer's private headers
 * (run/sink.h, run/deflate_thread.h).
 *
 * The deflater: whatever the sizes of the caller's writes, the gzip
 * bytes are exactly those of one deflate of the same bytes at the same
 * level in one thread (deterministic); a write error of the worker
 * (ENOSPC on /dev/full) comes back to the caller, on a later write and
 * on finish; a signal handler interrupts a caller waiting for a worker
 * stalled on a pipe (EINTR); aborting halfway returns.
 *
 * The pass-through: an output whose every byte equals the input's
 * (single member or two members, compressed at another level than the
 * output's, so that a recompression could not come out equal) is the
 * input file's own bytes; one byte changed after megabytes of equal
 * ones (or the first), a gap in what was fed, fed bytes whose offset
 * does not follow, fewer bytes written than the input has, no end or
 * an incomplete end give the
 * bytes written, compressed at the output's level -- exactly one
 * deflate of them --, and an input file changed under the run fails the
 * output with the reason instead of compressing what it now holds.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "cart837.h"
#include "base/limits.h"
#include "run/deflate_thread.h"
#include "run/sink.h"
#include "testgz.h"

/* The whole file at path (NULL when it does not exist). */
static unsigned char *slurp(const char *path, size_t *len)
{
  FILE *fp = fopen(path, "rb");
  unsigned char *p;
  long n;
  if (!fp)
    return NULL;
  assert_int_equal(fseek(fp, 0, SEEK_END), 0);
  n = ftell(fp);
  assert_true(n >= 0);
  rewind(fp);
  p = malloc((size_t)n + 1);
  assert_non_null(p);
  assert_int_equal(fread(p, 1, (size_t)n, fp), (size_t)n);
  fclose(fp);
  *len = (size_t)n;
  return p;
}

static void assert_file_is(const char *path, const void *p, size_t n)
{
  size_t len;
  unsigned char *got = slurp(path, &len);
  assert_non_null(got);
  assert_int_equal(len, n);
  assert_memory_equal(got, p, n);
  free(got);
}

/* ---- the deflater ----------------------------------------------------- */

/* Writes text to a deflater on a new file in pieces of `piece` bytes
 * and returns the file's bytes. */
static unsigned char *deflate_pieces(const char *text, size_t n,
                                     size_t piece, int level, size_t *len)
{
  char path[400];
  int fd;
  size_t i;
  c837_deflater *d;
  path_of(path, sizeof path, "d.gz");
  fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
  assert_true(fd >= 0);
  d = c837_deflater_start(fd, level);
  assert_non_null(d);
  for (i = 0; i < n; i += piece)
    assert_int_equal(
        c837_deflater_write(d, text + i, n - i < piece ? n - i : piece), 0);
  assert_int_equal(c837_deflater_finish(d), 0);
  assert_int_equal(close(fd), 0);
  return slurp(path, len);
}

/* The deflater's bytes for text in pieces of `piece` are one deflate's. */
static void check_one_deflate(const char *text, size_t n, size_t piece,
                              int level)
{
  size_t want_len, len;
  unsigned char *want = gzip_mem_level(text, n, level, &want_len);
  unsigned char *got = deflate_pieces(text, n, piece, level, &len);
  assert_int_equal(len, want_len);
  assert_memory_equal(got, want, len);
  free(got);
  free(want);
}

static void deflater_is_one_deflate(void **state)
{
  static const size_t pieces[] = {4099, C837_READ_CHUNK,
                                  C837_READ_CHUNK + 7, 64u << 20};
  size_t n, i;
  char *text = sample_text(3u << 20, &n);
  int level;
  (void)state;
  for (level = 1; level <= 9; level += 5)
    for (i = 0; i < sizeof pieces / sizeof pieces[0]; i++)
      check_one_deflate(text, n, pieces[i], level);
  free(text);
  /* one byte at a time, a smaller text */
  text = sample_text(600u * 1024u, &n);
  check_one_deflate(text, n, 1, 6);
  free(text);
}

/* A full disk: the worker's write fails; a later write and finish say
 * ENOSPC. */
static void deflater_error_comes_back(void **state)
{
  size_t n, total = 0;
  char *text = sample_text(1u << 20, &n);
  int fd = open("/dev/full", O_WRONLY);
  c837_deflater *d;
  int rc = 0;
  (void)state;
  if (fd < 0) {
    free(text);
    skip();
  }
  d = c837_deflater_start(fd, 0); /* stored: every byte reaches write(2) */
  assert_non_null(d);
  while (rc == 0 && total < (256u << 20)) {
    rc = c837_deflater_write(d, text, n);
    total += n;
  }
  assert_int_equal(rc, -1);
  assert_int_equal(c837_deflater_errno(d), ENOSPC);
  assert_int_equal(c837_deflater_write(d, text, 10), -1);
  assert_int_equal(c837_deflater_finish(d), ENOSPC);
  close(fd);
  free(text);
}

/* Finishing with nothing written to a full disk fails too (the header
 * and trailer are written then). */
static void deflater_error_at_finish(void **state)
{
  int fd = open("/dev/full", O_WRONLY);
  c837_deflater *d;
  (void)state;
  if (fd < 0)
    skip();
  d = c837_deflater_start(fd, 6);
  assert_non_null(d);
  assert_int_equal(c837_deflater_write(d, "ISA~", 4), 0);
  assert_int_equal(c837_deflater_finish(d), ENOSPC);
  close(fd);
}

static void on_alarm(int sig)
{
  (void)sig;
}

/* The worker stalls on a pipe nobody reads; a signal handler (installed
 * without SA_RESTART, as the run's) interrupts the caller's wait for a
 * buffer: the write fails with EINTR instead of waiting on.  Closing
 * the pipe then lets abort join the worker. */
static void deflater_wait_interrupted(void **state)
{
  struct sigaction sa, old_alrm, old_pipe;
  size_t n;
  char *text = sample_text(1u << 20, &n);
  int p[2], rc = 0, i;
  c837_deflater *d;
  (void)state;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_alarm;
  sigaction(SIGALRM, &sa, &old_alrm);
  sa.sa_handler = SIG_IGN;
  sigaction(SIGPIPE, &sa, &old_pipe);
  assert_int_equal(pipe(p), 0);
  d = c837_deflater_start(p[1], 0); /* stored: the pipe fills at once */
  assert_non_null(d);
  alarm(1);
  for (i = 0; rc == 0 && i < 64; i++)
    rc = c837_deflater_write(d, text, n);
  alarm(0);
  assert_int_equal(rc, -1);
  assert_int_equal(c837_deflater_errno(d), EINTR);
  close(p[0]); /* the worker's write fails (EPIPE): it can be joined */
  c837_deflater_abort(d);
  close(p[1]);
  sigaction(SIGALRM, &old_alrm, NULL);
  sigaction(SIGPIPE, &old_pipe, NULL);
  free(text);
}

static void deflater_abort_returns(void **state)
{
  char path[400];
  size_t n, i;
  char *text = sample_text(2u << 20, &n);
  int fd;
  (void)state;
  path_of(path, sizeof path, "abort.gz");
  fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
  assert_true(fd >= 0);
  for (i = 0; i < 3; i++) {
    c837_deflater *d = c837_deflater_start(fd, 6);
    assert_non_null(d);
    assert_int_equal(c837_deflater_write(d, text, i ? n : 10), 0);
    c837_deflater_abort(d);
  }
  c837_deflater_abort(NULL);
  close(fd);
  free(text);
}

/* ---- the pass-through ------------------------------------------------- */

/* Writes text[at .. at + m) to o, with byte k flipped when it is in
 * there. */
static void write_piece(c837_out *o, const char *text, size_t at, size_t m,
                        size_t k)
{
  char *w = malloc(m);
  assert_non_null(w);
  memcpy(w, text + at, m);
  if (k >= at && k < at + m)
    w[k - at] ^= 1;
  assert_int_equal(c837_out_write(o, w, m), 0);
  free(w);
}

/* The output "out.gz" of the input file "in.gz" (bytes gz): the input
 * text is fed in pieces of `piece` bytes, each written one piece later
 * (the writer lags), with write[k] in place of text[k] when k < n (a
 * changed byte), the piece at `gap` not fed (gap < n), and the end as
 * given (end: 0 none, 1 complete, 2 incomplete).  Returns the commit's
 * status; *o is the committed output. */
static c837_status run_pass(c837_out *o, const unsigned char *gz,
                            size_t gz_len, const char *text, size_t n,
                            size_t piece, size_t k, size_t gap, int end,
                            int level)
{
  char in[400], out[400];
  size_t i, prev = 0;
  c837_error err;
  write_file("in.gz", gz, gz_len);
  path_of(in, sizeof in, "in.gz");
  path_of(out, sizeof out, "out.gz");
  unlink(out);
  assert_int_equal(c837_out_init(o, out, 1), 0);
  o->level = level;
  assert_int_equal(c837_out_pass(o, in), 0);
  for (i = 0; i < n; i += piece) {
    size_t m = n - i < piece ? n - i : piece;
    if (i != gap)
      c837_out_pass_feed(o, text + i, m, i);
    if (i > 0)
      write_piece(o, text, i - prev, prev, k);
    prev = m;
  }
  if (end)
    c837_out_pass_end(o, n, end == 1);
  if (prev)
    write_piece(o, text, n - prev, prev, k);
  return c837_out_commit(o, &err);
}

static void pass_unchanged(void **state)
{
  size_t n, gz_len;
  char *text = sample_text(3u << 20, &n);
  unsigned char *gz = gzip_mem_level(text, n, 1, &gz_len);
  char out[400];
  c837_out o;
  (void)state;
  path_of(out, sizeof out, "out.gz");
  assert_int_equal(run_pass(&o, gz, gz_len, text, n, 10007, SIZE_MAX,
                            SIZE_MAX, 1, 6),
                   C837_OK);
  assert_int_equal(o.passed, 1);
  assert_file_is(out, gz, gz_len); /* not the level-6 recompression */
  free(gz);
  free(text);
}

static void pass_two_members(void **state)
{
  size_t n, a_len, b_len;
  char *text = sample_text(1u << 20, &n);
  unsigned char *a = gzip_mem_level(text, n / 3, 6, &a_len);
  unsigned char *b = gzip_mem_level(text + n / 3, n - n / 3, 9, &b_len);
  unsigned char *gz = malloc(a_len + b_len);
  char out[400];
  c837_out o;
  (void)state;
  assert_non_null(gz);
  memcpy(gz, a, a_len);
  memcpy(gz + a_len, b, b_len);
  path_of(out, sizeof out, "out.gz");
  assert_int_equal(run_pass(&o, gz, a_len + b_len, text, n, 4096,
                            SIZE_MAX, SIZE_MAX, 1, 6),
                   C837_OK);
  assert_int_equal(o.passed, 1);
  assert_file_is(out, gz, a_len + b_len);
  free(a);
  free(b);
  free(gz);
  free(text);
}

/* The output is compressed: exactly one deflate of `want` at level. */
static void assert_compressed(const c837_out *o, const char *want,
                              size_t n, int level)
{
  char out[400];
  size_t z_len;
  unsigned char *z = gzip_mem_level(want, n, level, &z_len);
  path_of(out, sizeof out, "out.gz");
  assert_int_equal(o->passed, 0);
  assert_file_is(out, z, z_len);
  free(z);
}

static void pass_one_byte_changed_late(void **state)
{
  size_t n, gz_len, k;
  char *text = sample_text(3u << 20, &n);
  unsigned char *gz = gzip_mem_level(text, n, 1, &gz_len);
  c837_out o;
  int level;
  (void)state;
  k = n - 1000; /* megabytes of equal bytes read again, then compressed */
  for (level = 1; level <= 9; level += 8) {
    assert_int_equal(run_pass(&o, gz, gz_len, text, n, 65536, k, SIZE_MAX,
                              1, level),
                     C837_OK);
    text[k] ^= 1;
    assert_compressed(&o, text, n, level);
    text[k] ^= 1;
  }
  /* the first byte */
  assert_int_equal(
      run_pass(&o, gz, gz_len, text, n, 65536, 0, SIZE_MAX, 1, 6), C837_OK);
  text[0] ^= 1;
  assert_compressed(&o, text, n, 6);
  free(gz);
  free(text);
}

static void pass_gap_or_no_end(void **state)
{
  size_t n, gz_len;
  char *text = sample_text(1u << 20, &n);
  unsigned char *gz = gzip_mem_level(text, n, 1, &gz_len);
  c837_out o;
  (void)state;
  /* a piece not fed: every byte written still equals the input's, but
   * nothing proves it for those bytes */
  assert_int_equal(run_pass(&o, gz, gz_len, text, n, 8192, SIZE_MAX,
                            8192 * 5, 1, 6),
                   C837_OK);
  assert_compressed(&o, text, n, 6);
  /* no c837_out_pass_end */
  assert_int_equal(run_pass(&o, gz, gz_len, text, n, 8192, SIZE_MAX,
                            SIZE_MAX, 0, 6),
                   C837_OK);
  assert_compressed(&o, text, n, 6);
  /* the input not read whole */
  assert_int_equal(run_pass(&o, gz, gz_len, text, n, 8192, SIZE_MAX,
                            SIZE_MAX, 2, 6),
                   C837_OK);
  assert_compressed(&o, text, n, 6);
  free(gz);
  free(text);
}

/* A 100,000-byte text (*text, *n), its gzip at level 1 as "in.gz", and
 * *o the output "out.gz" (removed) with its pass on "in.gz".  Returns
 * the gzip bytes (*gz_len). */
static unsigned char *small_pass(c837_out *o, char **text, size_t *n,
                                 size_t *gz_len)
{
  char in[400], out[400];
  unsigned char *gz;
  *text = sample_text(100000, n);
  gz = gzip_mem_level(*text, *n, 1, gz_len);
  write_file("in.gz", gz, *gz_len);
  path_of(in, sizeof in, "in.gz");
  path_of(out, sizeof out, "out.gz");
  unlink(out);
  assert_int_equal(c837_out_init(o, out, 1), 0);
  assert_int_equal(c837_out_pass(o, in), 0);
  return gz;
}

/* Fewer bytes written than the input has: compressed. */
static void pass_short_output(void **state)
{
  size_t n, gz_len;
  char *text;
  c837_out o;
  c837_error err;
  unsigned char *gz = small_pass(&o, &text, &n, &gz_len);
  (void)state;
  c837_out_pass_feed(&o, text, n, 0);
  assert_int_equal(c837_out_write(&o, text, n - 1), 0);
  c837_out_pass_end(&o, n, 1);
  assert_int_equal(c837_out_commit(&o, &err), C837_OK);
  assert_compressed(&o, text, n - 1, 6);
  free(gz);
  free(text);
}

/* Bytes fed at an offset that does not follow the last ones (the
 * feeder skipped or repeated something): compressed, even though every
 * byte written matches what was fed. */
static void pass_offset_gap(void **state)
{
  size_t n, gz_len;
  char *text;
  c837_out o;
  c837_error err;
  unsigned char *gz = small_pass(&o, &text, &n, &gz_len);
  (void)state;
  c837_out_pass_feed(&o, text, 5000, 0);
  c837_out_pass_feed(&o, text + 5000, n - 5000, 5001);
  assert_int_equal(c837_out_write(&o, text, n), 0);
  c837_out_pass_end(&o, n, 1);
  assert_int_equal(c837_out_commit(&o, &err), C837_OK);
  assert_compressed(&o, text, n, 6);
  free(gz);
  free(text);
}

/* The input file replaced while it was read: the output fails rather
 * than compress what the file holds now. */
static void pass_input_changed(void **state)
{
  char out[400];
  size_t n, gz_len, o_len;
  char *text;
  c837_out o;
  c837_error err;
  unsigned char *gz = small_pass(&o, &text, &n, &gz_len);
  unsigned char *gone;
  (void)state;
  path_of(out, sizeof out, "out.gz");
  c837_out_pass_feed(&o, text, n, 0);
  assert_int_equal(c837_out_write(&o, text, 5000), 0);
  write_file("in.gz", gz, gz_len - 1); /* another file now */
  assert_int_equal(c837_out_write(&o, "X", 1), -1);
  assert_int_equal(c837_out_commit(&o, &err), C837_EIO);
  assert_non_null(strstr(err.msg, "its input changed while it was read"));
  gone = slurp(out, &o_len);
  assert_null(gone);
  free(gz);
  free(text);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(deflater_is_one_deflate),
      cmocka_unit_test(deflater_error_comes_back),
      cmocka_unit_test(deflater_error_at_finish),
      cmocka_unit_test(deflater_wait_interrupted),
      cmocka_unit_test(deflater_abort_returns),
      cmocka_unit_test(pass_unchanged),
      cmocka_unit_test(pass_two_members),
      cmocka_unit_test(pass_one_byte_changed_late),
      cmocka_unit_test(pass_gap_or_no_end),
      cmocka_unit_test(pass_short_output),
      cmocka_unit_test(pass_offset_gap),
      cmocka_unit_test(pass_input_changed),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
