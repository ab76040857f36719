/* test_internal_input.c -- unit tests of the input layer (src/parse/input.c) and
 * of the stream glue (src/parse/stream.c)
 *
 * An internal test in part: besides the public API it checks the
 * compressed offset, c837_input_raw_offset, which only the private
 * src/parse/input_int.h declares.
 *
 * Files are written to a private temporary directory: plain text, gzip
 * (written with zlib), two gzip members concatenated, gzip cut short and
 * gzip with a corrupted check value.  Each is read back through
 * c837_input_read in small and large pieces and compared byte for byte
 * with what was written; a file cut short while it is read must fail
 * with EIO.  Standard input is exercised by putting a pipe
 * (and a regular file) on descriptor 0.  The stream tests run whole files
 * through c837_stream_run and check counts, errors and that every byte of
 * an unparseable input reaches the raw callback.  The gzip worker thread
 * has its own tests (test_internal_gzip_thread.c); the helpers are in testgz.h.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "cart837.h"
#include "base/limits.h"
#include "parse/input_int.h"
#include "testgz.h"

/* ------------------------------------------------------------------ */

static void test_plain_file(void **state)
{
  size_t n, got_len;
  char *text = sample_text(300000, &n), *got, path[400];
  c837_error err;
  c837_input *in;
  size_t caps[] = {1, 7, 4096, C837_READ_CHUNK};
  size_t k;
  (void)state;
  write_file("plain.837", text, n);
  path_of(path, sizeof path, "plain.837");
  for (k = 0; k < sizeof caps / sizeof caps[0]; k++) {
    if (caps[k] == 1 && k == 0) {
      /* one byte at a time over a short prefix only (speed) */
      char b;
      in = c837_input_open(path, &err);
      assert_non_null(in);
      assert_int_equal(c837_input_read(in, &b, 1, &err), 1);
      assert_int_equal(b, text[0]);
      assert_int_equal(c837_input_read(in, &b, 1, &err), 1);
      assert_int_equal(b, text[1]);
      c837_input_close(in);
      continue;
    }
    in = c837_input_open(path, &err);
    assert_non_null(in);
    assert_int_equal(err.code, C837_OK);
    assert_int_equal(read_all(in, caps[k], &got, &got_len, &err), 0);
    assert_int_equal(got_len, n);
    assert_memory_equal(got, text, n);
    assert_int_equal(c837_input_is_gzip(in), 0);
    assert_int_equal(c837_input_raw_offset(in), n);
    /* reading past the end stays at 0 */
    assert_int_equal(c837_input_read(in, got, 10, &err), 0);
    c837_input_close(in);
    free(got);
  }
  free(text);
}

static void test_empty_file(void **state)
{
  char path[400], b[16];
  c837_error err;
  c837_input *in;
  (void)state;
  write_file("empty.837", "", 0);
  path_of(path, sizeof path, "empty.837");
  in = c837_input_open(path, &err);
  assert_non_null(in);
  assert_int_equal(c837_input_read(in, b, sizeof b, &err), 0);
  assert_int_equal(c837_input_is_gzip(in), 0);
  c837_input_close(in);
  c837_input_close(NULL);
}

static void test_missing_file(void **state)
{
  char path[400], want[600];
  c837_error err;
  (void)state;
  path_of(path, sizeof path, "no-such-file.837");
  assert_null(c837_input_open(path, &err));
  assert_int_equal(err.code, C837_EIO);
  snprintf(want, sizeof want, "cannot open %s: No such file or directory",
           path);
  assert_string_equal(err.msg, want);
}

static void test_gzip_file(void **state)
{
  size_t n, zn, got_len;
  char *text = sample_text(1000000, &n), *got, path[400];
  unsigned char *z = gzip_mem(text, n, &zn);
  c837_error err;
  c837_input *in;
  (void)state;
  write_file("one.837.gz", z, zn);
  path_of(path, sizeof path, "one.837.gz");
  in = c837_input_open(path, &err);
  assert_non_null(in);
  assert_int_equal(c837_input_is_gzip(in), 1); /* before any read */
  assert_int_equal(read_all(in, 5000, &got, &got_len, &err), 0);
  assert_int_equal(got_len, n);
  assert_memory_equal(got, text, n);
  assert_int_equal(c837_input_is_gzip(in), 1);
  assert_int_equal(c837_input_raw_offset(in), zn);
  c837_input_close(in);
  free(got);
  free(z);
  free(text);
}

/* gzip is detected by content, not by name. */
static void test_gzip_without_gz_name(void **state)
{
  static const char text[] = "ISA*00~\nIEA*1*1~\n";
  size_t zn, got_len;
  unsigned char *z = gzip_mem(text, sizeof text - 1, &zn);
  char path[400], *got;
  c837_error err;
  c837_input *in;
  (void)state;
  write_file("disguised.txt", z, zn);
  path_of(path, sizeof path, "disguised.txt");
  in = c837_input_open(path, &err);
  assert_non_null(in);
  assert_int_equal(read_all(in, 100, &got, &got_len, &err), 0);
  assert_int_equal(got_len, sizeof text - 1);
  assert_memory_equal(got, text, got_len);
  assert_int_equal(c837_input_is_gzip(in), 1);
  c837_input_close(in);
  free(got);
  free(z);
}

/* `cat a.gz b.gz > ab.gz`: both members are read. */
static void test_gzip_concatenated_members(void **state)
{
  static const char a[] = "ISA*first member~\n";
  size_t nb, za, zb, got_len;
  char *b = sample_text(200000, &nb), *both, *got, path[400];
  unsigned char *ga = gzip_mem(a, sizeof a - 1, &za);
  unsigned char *gb = gzip_mem(b, nb, &zb);
  unsigned char *cat = malloc(za + zb + za);
  c837_error err;
  c837_input *in;
  (void)state;
  assert_non_null(cat);
  memcpy(cat, ga, za);
  memcpy(cat + za, gb, zb);
  memcpy(cat + za + zb, ga, za); /* and a third */
  write_file("three.gz", cat, za + zb + za);
  both = malloc(sizeof a - 1 + nb + sizeof a - 1);
  assert_non_null(both);
  memcpy(both, a, sizeof a - 1);
  memcpy(both + sizeof a - 1, b, nb);
  memcpy(both + sizeof a - 1 + nb, a, sizeof a - 1);
  path_of(path, sizeof path, "three.gz");
  in = c837_input_open(path, &err);
  assert_non_null(in);
  assert_int_equal(read_all(in, 3000, &got, &got_len, &err), 0);
  assert_int_equal(got_len, 2 * (sizeof a - 1) + nb);
  assert_memory_equal(got, both, got_len);
  c837_input_close(in);
  free(got);
  free(both);
  free(cat);
  free(ga);
  free(gb);
  free(b);
}

/* A gzip file cut short is EGZIP with a message, never a short read
 * that looks like a clean end. */
static void test_gzip_truncated(void **state)
{
  size_t n, zn, got_len;
  char *text = sample_text(100000, &n), *got, path[400], want[600];
  unsigned char *z = gzip_mem(text, n, &zn);
  size_t cuts[3];
  size_t k;
  c837_error err;
  c837_input *in;
  (void)state;
  cuts[0] = zn - 4;  /* inside the trailer (length) */
  cuts[1] = zn - 8;  /* the whole trailer missing */
  cuts[2] = zn / 2;  /* in the middle of the deflate data */
  for (k = 0; k < 3; k++) {
    write_file("cut.gz", z, cuts[k]);
    path_of(path, sizeof path, "cut.gz");
    in = c837_input_open(path, &err);
    assert_non_null(in);
    memset(&err, 0, sizeof err);
    assert_int_equal(read_all(in, 4096, &got, &got_len, &err), -1);
    assert_int_equal(err.code, C837_EGZIP);
    assert_true(got_len <= n);
    assert_memory_equal(got, text, got_len);
    snprintf(want, sizeof want,
             "%s: gzip stream is truncated: unexpected end of file "
             "(compressed offset %llu)",
             path, (unsigned long long)cuts[k]);
    assert_string_equal(err.msg, want);
    assert_int_equal(err.offset, cuts[k]);
    c837_input_close(in);
    free(got);
  }
  free(z);
  free(text);
}

/* A corrupted CRC: every byte first (inflate made them all in the call
 * that found the bad check), then EGZIP with zlib's reason. */
static void test_gzip_corrupt(void **state)
{
  size_t n, zn, got_len;
  char *text = sample_text(10000, &n), *got, path[400];
  unsigned char *z = gzip_mem(text, n, &zn);
  c837_error err;
  c837_input *in;
  (void)state;
  z[zn - 8] ^= 0xff; /* first byte of the CRC-32 */
  write_file("crc.gz", z, zn);
  path_of(path, sizeof path, "crc.gz");
  in = c837_input_open(path, &err);
  assert_non_null(in);
  assert_int_equal(read_all(in, 4096, &got, &got_len, &err), -1);
  assert_int_equal(got_len, n);
  assert_memory_equal(got, text, n);
  assert_int_equal(err.code, C837_EGZIP);
  assert_non_null(strstr(err.msg, "incorrect data check"));
  assert_non_null(strstr(err.msg, path));
  c837_input_close(in);
  free(got);
  free(z);
  free(text);
}

/* Runs fn with descriptor 0 replaced by fd; restores it after. */
static void with_stdin(int fd, void (*fn)(void *), void *arg)
{
  int saved = dup(0);
  assert_true(saved >= 0);
  assert_int_equal(dup2(fd, 0), 0);
  close(fd);
  fn(arg);
  assert_int_equal(dup2(saved, 0), 0);
  close(saved);
}

typedef struct stdin_case {
  const char *want;
  size_t want_len;
  int gzip;
} stdin_case;

static void read_stdin(void *arg)
{
  stdin_case *c = arg;
  c837_error err;
  c837_input *in = c837_input_open("-", &err);
  char *got;
  size_t got_len;
  assert_non_null(in);
  assert_int_equal(read_all(in, 1000, &got, &got_len, &err), 0);
  assert_int_equal(got_len, c->want_len);
  assert_memory_equal(got, c->want, got_len);
  assert_int_equal(c837_input_is_gzip(in), c->gzip);
  c837_input_close(in);
  /* stdin itself stays open */
  assert_true(fcntl(0, F_GETFD) != -1);
  free(got);
}

/* Bytes that deflate cannot shrink much (so that a gzip file spans
 * several reads). */
static char *noise(size_t n)
{
  char *p = malloc(n);
  uint32_t x = 837;
  size_t i;
  assert_non_null(p);
  for (i = 0; i < n; i++) {
    x = x * 1103515245u + 12345u;
    p[i] = (char)(x >> 24);
  }
  return p;
}

/* Reads the first n bytes of in (the walk's sniff) into a buffer. */
static void read_head(c837_input *in, char *b, size_t n)
{
  size_t got = 0;
  c837_error err;
  while (got < n) {
    long k = c837_input_read(in, b + got, n - got, &err);
    assert_true(k > 0);
    got += (size_t)k;
  }
}

/* c837_input_rewind (the walk's sniff reads the first bytes, the run
 * reads the file from its start without opening it again): a plain file
 * and a gzip file (one member, three members, one of noise that spans
 * several reads), each read as the sniff does and then whole, byte for
 * byte; refused once a gzip worker started (then reading goes on
 * unchanged); test_rewind_refused: past the buffer's first fill. */
static void rewind_case(const char *name, const void *file, size_t fn,
                        const char *text, size_t tn, size_t head,
                        int want_rewind)
{
  char path[400], *got, *b = malloc(head);
  size_t got_len;
  c837_error err;
  c837_input *in;
  assert_non_null(b);
  write_file(name, file, fn);
  path_of(path, sizeof path, name);
  in = c837_input_open(path, &err);
  assert_non_null(in);
  read_head(in, b, head);
  assert_memory_equal(b, text, head);
  assert_int_equal(c837_input_rewind(in), want_rewind ? 0 : -1);
  assert_int_equal(read_all(in, 4096, &got, &got_len, &err), 0);
  if (want_rewind) {
    assert_int_equal(got_len, tn);
    assert_memory_equal(got, text, tn);
  } else { /* refused: the rest, as if nothing had been asked */
    assert_int_equal(got_len, tn - head);
    assert_memory_equal(got, text + head, tn - head);
  }
  assert_int_equal(c837_input_raw_offset(in), fn);
  c837_input_close(in);
  free(got);
  free(b);
}

static void test_rewind(void **state)
{
  size_t n, zn, z1, zr, nn;
  char *text = sample_text(300000, &n), *three;
  char *nz = noise(3 * C837_READ_CHUNK);
  unsigned char *z = gzip_mem(text, n, &zn);
  unsigned char *g1 = gzip_mem(text, 1000, &z1), *gcat;
  unsigned char *gn = gzip_mem(nz, 3 * C837_READ_CHUNK, &zr);
  (void)state;
  nn = 3 * C837_READ_CHUNK;
  rewind_case("r-plain.837", text, n, text, n, C837_SNIFF_BYTES, 1);
  rewind_case("r-one.837.gz", z, zn, text, n, C837_SNIFF_BYTES, 1);
  /* three members, read from the start again */
  gcat = malloc(3 * z1);
  three = malloc(3000);
  assert_non_null(gcat);
  assert_non_null(three);
  memcpy(gcat, g1, z1);
  memcpy(gcat + z1, g1, z1);
  memcpy(gcat + 2 * z1, g1, z1);
  memcpy(three, text, 1000);
  memcpy(three + 1000, text, 1000);
  memcpy(three + 2000, text, 1000);
  rewind_case("r-three.gz", gcat, 3 * z1, three, 3000, C837_SNIFF_BYTES, 1);
  /* the first member ends inside what the sniff reads: its second read
   * starts the gzip worker, and the input cannot go back (the run opens
   * the file again); reading goes on unchanged */
  rewind_case("r-members.gz", gcat, 3 * z1, three, 3000, 1000 + 24, 0);
  /* noise: the sniff's bytes come from the first fill, the rest of the
   * file is read later */
  assert_true(zr > C837_READ_CHUNK);
  rewind_case("r-noise.gz", gn, zr, nz, nn, C837_SNIFF_BYTES, 1);
  free(gcat);
  free(three);
  free(gn);
  free(g1);
  free(z);
  free(nz);
  free(text);
}

/* Past the first fill, or with the gzip worker running, the input
 * cannot go back: c837_input_rewind says so and changes nothing. */
static void test_rewind_refused(void **state)
{
  size_t zr, nn = 3 * C837_READ_CHUNK;
  char *nz = noise(nn);
  unsigned char *gn = gzip_mem(nz, nn, &zr);
  (void)state;
  /* plain: read past the buffer; gzip: two reads (the second starts
   * the worker), and past the first fill of compressed bytes */
  rewind_case("rr-plain", nz, nn, nz, nn, C837_READ_CHUNK + 1, 0);
  rewind_case("rr-noise.gz", gn, zr, nz, nn, C837_READ_CHUNK + 1, 0);
  free(gn);
  free(nz);
}

/* A regular file cut short while it is being read (truncated, or
 * rewritten in place by its sender) is an I/O error naming both sizes,
 * not a shorter input: cut at a segment or interchange boundary, the
 * rest would otherwise parse and its missing claims would go unnoticed.
 * A file that grows while it is read is read to its new end. */
static void test_file_shrinks_while_read(void **state)
{
  const size_t chunk = C837_READ_CHUNK;
  size_t n, zn, got_len, k;
  char *text = sample_text(3 * chunk, &n), *got, path[400], want[600];
  char *rnd = noise(3 * chunk);
  unsigned char *z = gzip_mem(rnd, 3 * chunk, &zn);
  const size_t cuts[2] = {chunk + 1000, chunk};
  c837_error err;
  c837_input *in;
  (void)state;
  path_of(path, sizeof path, "shrinks.837");
  for (k = 0; k < 2; k++) {
    write_file("shrinks.837", text, n);
    in = c837_input_open(path, &err); /* reads its first chunk */
    assert_non_null(in);
    assert_int_equal(truncate(path, (off_t)cuts[k]), 0);
    memset(&err, 0, sizeof err);
    assert_int_equal(read_all(in, 4096, &got, &got_len, &err), -1);
    assert_int_equal(err.code, C837_EIO);
    assert_int_equal(got_len, cuts[k]);
    assert_memory_equal(got, text, got_len);
    snprintf(want, sizeof want,
             "%s: the file shrank while it was being read (%zu bytes when "
             "opened, end of file after %zu): truncated or rewritten "
             "(byte %zu)",
             path, n, cuts[k], cuts[k]);
    assert_string_equal(err.msg, want);
    c837_input_close(in);
    free(got);
  }

  /* gzip: the same error, before zlib sees a stream cut short */
  assert_true(zn > 2 * chunk);
  path_of(path, sizeof path, "shrinks.gz");
  write_file("shrinks.gz", z, zn);
  in = c837_input_open(path, &err);
  assert_non_null(in);
  assert_int_equal(truncate(path, (off_t)(chunk + 1000)), 0);
  memset(&err, 0, sizeof err);
  assert_int_equal(read_all(in, 4096, &got, &got_len, &err), -1);
  assert_int_equal(err.code, C837_EIO);
  snprintf(want, sizeof want,
           "%s: the file shrank while it was being read (%zu bytes when "
           "opened, end of file after %zu): truncated or rewritten "
           "(compressed offset ",
           path, zn, chunk + 1000);
  assert_true(strncmp(err.msg, want, strlen(want)) == 0);
  c837_input_close(in);
  free(got);

  /* growing is not shrinking: the appended bytes are read too */
  path_of(path, sizeof path, "grows.837");
  write_file("grows.837", text, chunk + 10);
  in = c837_input_open(path, &err);
  assert_non_null(in);
  {
    FILE *fp = fopen(path, "ab");
    assert_non_null(fp);
    assert_int_equal(fwrite(text + chunk + 10, 1, n - chunk - 10, fp),
                     n - chunk - 10);
    assert_int_equal(fclose(fp), 0);
  }
  assert_int_equal(read_all(in, 4096, &got, &got_len, &err), 0);
  assert_int_equal(got_len, n);
  assert_memory_equal(got, text, n);
  c837_input_close(in);
  free(got);
  free(z);
  free(rnd);
  free(text);
}

/* gzip and plain through a pipe on stdin (no seeking possible). */
static void test_stdin_pipe(void **state)
{
  size_t n, zn;
  char *text = sample_text(20000, &n);
  unsigned char *z = gzip_mem(text, n, &zn);
  int p[2];
  stdin_case c;
  (void)state;
  assert_true(zn < 60000); /* fits the pipe buffer: no writer needed */

  assert_int_equal(pipe(p), 0);
  assert_int_equal(write(p[1], z, zn), (ssize_t)zn);
  close(p[1]);
  c.want = text;
  c.want_len = n;
  c.gzip = 1;
  with_stdin(p[0], read_stdin, &c);

  assert_int_equal(pipe(p), 0);
  assert_int_equal(write(p[1], text, 30000 < n ? 30000 : n),
                   (ssize_t)(30000 < n ? 30000 : n));
  close(p[1]);
  c.want_len = 30000 < n ? 30000 : n;
  c.gzip = 0;
  with_stdin(p[0], read_stdin, &c);
  free(z);
  free(text);
}

/* A regular gzip file redirected to stdin (`cart837 stats - < f.gz`). */
static void test_stdin_file(void **state)
{
  size_t n, zn;
  char *text = sample_text(50000, &n), path[400];
  unsigned char *z = gzip_mem(text, n, &zn);
  stdin_case c;
  int fd;
  (void)state;
  write_file("stdin.gz", z, zn);
  path_of(path, sizeof path, "stdin.gz");
  fd = open(path, O_RDONLY);
  assert_true(fd >= 0);
  c.want = text;
  c.want_len = n;
  c.gzip = 1;
  with_stdin(fd, read_stdin, &c);
  free(z);
  free(text);
}

/* ------------------------------------------------------------------ */
/* Stream                                                              */
/* ------------------------------------------------------------------ */

#define ISA5                                                               \
  "ISA*00*          *00*          *ZZ*SENDER         *ZZ*RECEIVER       " \
  "*250101*1200*^*00501*000000001*0*P*:~\n"

static const char VALID837[] =
    ISA5 "GS*HC*S*R*20250101*1200*1*X*005010X222A1~\n"
         "ST*837*0001*005010X222A1~\n"
         "HL*1**20*1~\n"
         "NM1*85*2*C*****XX*1234567893~\n"
         "HL*2*1*22*0~\n"
         "NM1*IL*1*DOE*JANE****MI*M1~\n"
         "CLM*A*10***11:B:1~\n"
         "LX*1~\n"
         "SV1*HC:99213*10*UN*1~\n"
         "LX*2~\n"
         "SV1*HC:99213*10*UN*1~\n"
         "CLM*B*10***11:B:1~\n"
         "LX*1~\n"
         "SV1*HC:99213*10*UN*1~\n"
         "SE*14*0001~\n"
         "GE*1*1~\n"
         "IEA*1*000000001~\n";

typedef struct sink {
  char *p;
  size_t len, cap;
  size_t claims, segments;
  /* stop tests: refuse the stop_seg-th non-claim segment, or the
   * stop_claim-th claim (after keeping its bytes, as a callback that
   * stops on a claim it wants kept does); 0 = never */
  size_t stop_seg, stop_claim;
  /* limited_raw: keep at most raw_max bytes, then refuse; the error the
   * stream had set when the raw callback was first called */
  size_t raw_max;
  const c837_error *err;
  c837_error err_at_raw;
  int raw_calls;
} sink;

static int sink_raw(void *ud, const void *p, size_t n)
{
  sink *s = ud;
  if (s->len + n > s->cap) {
    s->cap = (s->len + n) * 2;
    s->p = realloc(s->p, s->cap);
    assert_non_null(s->p);
  }
  memcpy(s->p + s->len, p, n);
  s->len += n;
  return 0;
}

static int sink_seg(void *ud, const c837_segment *seg, c837_role role,
                    const c837_envelope *env)
{
  sink *s = ud;
  (void)role;
  (void)env;
  if (++s->segments == s->stop_seg)
    return -1; /* refused: the stream passes it on to the raw callback */
  return sink_raw(ud, seg->raw, seg->raw_len);
}

static int sink_claim(void *ud, const c837_claim *c)
{
  sink *s = ud;
  size_t i;
  s->claims++;
  for (i = 0; i < c->n_segs; i++)
    sink_raw(ud, c->segs[i].raw, c->segs[i].raw_len);
  return s->claims == s->stop_claim ? -1 : 0;
}

/* A raw callback that keeps raw_max bytes at most, then refuses. */
static int limited_raw(void *ud, const void *p, size_t n)
{
  sink *s = ud;
  if (s->raw_calls++ == 0)
    s->err_at_raw = *s->err;
  if (s->len + n > s->raw_max) {
    sink_raw(ud, p, s->raw_max - s->len);
    return -1;
  }
  return sink_raw(ud, p, n);
}

static c837_status stream_file(const char *name, const void *data, size_t n,
                               int gz, sink *s, c837_counts *counts,
                               c837_error *err)
{
  char path[400];
  c837_input *in;
  c837_handler h = {sink_seg, sink_claim, NULL, NULL};
  c837_status st;
  if (gz) {
    size_t zn;
    unsigned char *z = gzip_mem(data, n, &zn);
    write_file(name, z, zn);
    free(z);
  } else {
    write_file(name, data, n);
  }
  path_of(path, sizeof path, name);
  in = c837_input_open(path, err);
  assert_non_null(in);
  h.ud = s;
  st = c837_stream_run(in, &h, sink_raw, s, counts, err);
  c837_input_close(in);
  return st;
}

static void test_stream_counts(void **state)
{
  int gz;
  (void)state;
  for (gz = 0; gz <= 1; gz++) {
    sink s;
    c837_counts n;
    c837_error err;
    memset(&s, 0, sizeof s);
    assert_int_equal(stream_file(gz ? "v.gz" : "v.837", VALID837,
                                 sizeof VALID837 - 1, gz, &s, &n, &err),
                     C837_OK);
    assert_int_equal(err.code, C837_OK);
    assert_int_equal(n.bytes, sizeof VALID837 - 1);
    assert_int_equal(n.segments, 18);
    assert_int_equal(n.interchanges, 1);
    assert_int_equal(n.groups, 1);
    assert_int_equal(n.transactions, 1);
    assert_int_equal(n.claims, 2);
    assert_int_equal(n.lines, 3);
    assert_int_equal(n.problems, 0);
    assert_int_equal(s.claims, 2);
    /* every byte came back out once, in order */
    assert_int_equal(s.len, sizeof VALID837 - 1);
    assert_memory_equal(s.p, VALID837, s.len);
    free(s.p);
  }
}

/* Unparseable input: every byte goes to the raw callback. */
static void test_stream_enoisa_passes_bytes(void **state)
{
  size_t n;
  char *text = sample_text(700000, &n); /* several read chunks */
  sink s;
  c837_counts cnt;
  c837_error err;
  (void)state;
  memset(&s, 0, sizeof s);
  assert_int_equal(stream_file("junk.837", text, n, 0, &s, &cnt, &err),
                   C837_ENOISA);
  assert_int_equal(err.code, C837_ENOISA);
  assert_int_equal(err.offset, 0);
  assert_int_equal(err.segment, 1);
  assert_string_equal(err.msg, "expected an ISA segment, found 'CLM*C0*100**'");
  assert_int_equal(s.len, n);
  assert_memory_equal(s.p, text, n);
  assert_int_equal(cnt.claims, 0);
  free(s.p);
  free(text);
}

/* A segment too long in the middle of a large file: what was parsed
 * came out as segments and claims, the rest through raw, nothing lost. */
static void test_stream_etoolong_passes_rest(void **state)
{
  size_t head = sizeof VALID837 - 1 - strlen("SE*14*0001~\nGE*1*1~\n"
                                             "IEA*1*000000001~\n");
  size_t n = head + 4 + C837_MAX_SEGMENT + 300000;
  char *in = malloc(n);
  sink s;
  c837_counts cnt;
  c837_error err;
  (void)state;
  assert_non_null(in);
  memcpy(in, VALID837, head);
  memcpy(in + head, "NTE*", 4);
  memset(in + head + 4, 'x', n - head - 4);
  memset(&s, 0, sizeof s);
  assert_int_equal(stream_file("long.837", in, n, 1, &s, &cnt, &err),
                   C837_ETOOLONG);
  assert_int_equal(err.offset, head);
  assert_int_equal(err.segment, 16);
  assert_int_equal(s.len, n);
  assert_memory_equal(s.p, in, n);
  /* the claim open at the error is not handed out (its transaction is
   * cut off): its bytes went through with the raw tail checked above */
  assert_int_equal(s.claims, 1);
  free(s.p);
  free(in);
}

/* copies interchanges of VALID837, back to back (several read chunks) */
static char *valid_copies(size_t copies, size_t *len)
{
  size_t one = sizeof VALID837 - 1, i;
  char *p = malloc(copies * one);
  assert_non_null(p);
  for (i = 0; i < copies; i++)
    memcpy(p + i * one, VALID837, one);
  *len = copies * one;
  return p;
}

/* A segment callback that asks to stop, in the third read chunk: the
 * segment it refused and the rest of the input go to the raw callback,
 * so that what was handed out and accepted plus the raw bytes are the
 * input, byte for byte (plain and gzip). */
static void test_stream_segment_refused_passes_rest(void **state)
{
  size_t n, one = sizeof VALID837 - 1;
  char *in = valid_copies(2000, &n);
  int gz;
  (void)state;
  assert_true(1399 * one > 2 * C837_READ_CHUNK);
  for (gz = 0; gz <= 1; gz++) {
    sink s;
    c837_counts cnt;
    c837_error err;
    memset(&s, 0, sizeof s);
    /* 10 segments of each interchange are not in a claim: the 3rd of
     * copy 1400 is its ST */
    s.stop_seg = 1399 * 10 + 3;
    assert_int_equal(stream_file(gz ? "segstop.gz" : "segstop.837", in, n,
                                 gz, &s, &cnt, &err),
                     C837_ECALLBACK);
    assert_int_equal(err.code, C837_ECALLBACK);
    assert_string_equal(err.msg, "a segment callback asked to stop");
    assert_int_equal(s.claims, 1399 * 2);
    assert_int_equal(s.len, n);
    assert_memory_equal(s.p, in, n);
    free(s.p);
  }
  free(in);
}

/* A claim callback that asks to stop: the claim was handed out (the
 * callback keeps it); the segment that ended it and the rest of the
 * input go to the raw callback. */
static void test_stream_claim_refused_passes_rest(void **state)
{
  size_t n;
  char *in = valid_copies(2000, &n);
  size_t stops[2] = {1501, 1500}; /* ended by a CLM; ended by an SE */
  int k;
  (void)state;
  for (k = 0; k < 2; k++) {
    sink s;
    c837_counts cnt;
    c837_error err;
    memset(&s, 0, sizeof s);
    s.stop_claim = stops[k];
    assert_int_equal(stream_file("clmstop.837", in, n, k, &s, &cnt, &err),
                     C837_ECALLBACK);
    assert_int_equal(err.code, C837_ECALLBACK);
    assert_string_equal(err.msg, "a claim callback asked to stop");
    assert_int_equal(s.claims, stops[k]);
    assert_int_equal(s.len, n);
    assert_memory_equal(s.p, in, n);
    free(s.p);
  }
  free(in);
}

/* The raw callback knows why it is called (*err is set first) and can
 * refuse: then the stream reads no further and keeps its status. */
static void test_stream_raw_refuses(void **state)
{
  size_t n;
  char *text = sample_text(3 * C837_READ_CHUNK, &n), path[400];
  c837_handler h = {sink_seg, sink_claim, NULL, NULL};
  c837_input *in;
  c837_counts cnt;
  c837_error err;
  sink s;
  (void)state;
  write_file("refuse.837", text, n);
  path_of(path, sizeof path, "refuse.837");
  in = c837_input_open(path, &err);
  assert_non_null(in);
  memset(&s, 0, sizeof s);
  s.raw_max = 1000;
  s.err = &err;
  h.ud = &s;
  assert_int_equal(c837_stream_run(in, &h, limited_raw, &s, &cnt, &err),
                   C837_ENOISA);
  assert_int_equal(s.err_at_raw.code, C837_ENOISA);
  assert_int_equal(s.err_at_raw.offset, 0);
  assert_int_equal(s.err_at_raw.segment, 1);
  assert_int_equal(err.code, C837_ENOISA);
  /* a refusal is not an error of the stream's own */
  assert_string_equal(err.msg, "expected an ISA segment, found 'CLM*C0*100**'");
  assert_int_equal(s.raw_calls, 2); /* the byte at fault, the chunk */
  assert_int_equal(s.len, 1000);
  assert_memory_equal(s.p, text, 1000);
  /* nothing past the first chunk was read */
  assert_int_equal(c837_input_raw_offset(in), C837_READ_CHUNK);
  c837_input_close(in);
  free(s.p);
  free(text);
}

/* A truncated gzip: EGZIP from the stream, claims read so far kept. */
static void test_stream_truncated_gzip(void **state)
{
  size_t zn;
  unsigned char *z = gzip_mem(VALID837, sizeof VALID837 - 1, &zn);
  c837_counts cnt;
  c837_error err;
  sink s;
  (void)state;
  memset(&s, 0, sizeof s);
  assert_int_equal(stream_file("short.gz", z, zn - 6, 0, &s, &cnt, &err),
                   C837_EGZIP);
  assert_int_equal(err.code, C837_EGZIP);
  assert_non_null(strstr(err.msg, "gzip stream is truncated"));
  free(s.p);
  free(z);
}

/* A gzip stream that fails in the middle of a claim (cut short there,
 * stored blocks so that the cut falls where it is meant to): every byte
 * the input handed out before the error reaches the callbacks or the
 * raw callback -- the claim being read too (it was left out: found by
 * the pipeline fuzzer, a claim lost from the unparsed rest). */
static void test_stream_read_error_mid_claim(void **state)
{
  size_t zn, cut, want_len;
  unsigned char *z = gzip_mem_level(VALID837, sizeof VALID837 - 1, 0, &zn);
  const char *clm = strstr(VALID837, "CLM*B");
  char path[400], *want;
  c837_input *in;
  c837_counts cnt;
  c837_error err;
  sink s;
  (void)state;
  assert_non_null(clm);
  /* gzip header (10 bytes), one stored block's header (5), then the
   * text: cut inside claim B's first LX */
  cut = 10 + 5 + (size_t)(clm - VALID837) + 22;
  assert_true(cut < zn);
  write_file("midclaim.gz", z, cut);
  path_of(path, sizeof path, "midclaim.gz");
  in = c837_input_open(path, &err);
  assert_non_null(in);
  assert_int_equal(read_all(in, 4096, &want, &want_len, &err), -1);
  c837_input_close(in);
  assert_true(want_len > (size_t)(clm - VALID837) + 5);
  memset(&s, 0, sizeof s);
  assert_int_equal(stream_file("midclaim.gz", z, cut, 0, &s, &cnt, &err),
                   C837_EGZIP);
  assert_int_equal(s.claims, 1); /* A; B was being read */
  assert_int_equal(s.len, want_len);
  assert_memory_equal(s.p, want, want_len);
  free(s.p);
  free(want);
  free(z);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_plain_file),
      cmocka_unit_test(test_empty_file),
      cmocka_unit_test(test_missing_file),
      cmocka_unit_test(test_gzip_file),
      cmocka_unit_test(test_gzip_without_gz_name),
      cmocka_unit_test(test_gzip_concatenated_members),
      cmocka_unit_test(test_gzip_truncated),
      cmocka_unit_test(test_gzip_corrupt),
      cmocka_unit_test(test_rewind),
      cmocka_unit_test(test_rewind_refused),
      cmocka_unit_test(test_file_shrinks_while_read),
      cmocka_unit_test(test_stdin_pipe),
      cmocka_unit_test(test_stdin_file),
      cmocka_unit_test(test_stream_counts),
      cmocka_unit_test(test_stream_enoisa_passes_bytes),
      cmocka_unit_test(test_stream_etoolong_passes_rest),
      cmocka_unit_test(test_stream_segment_refused_passes_rest),
      cmocka_unit_test(test_stream_claim_refused_passes_rest),
      cmocka_unit_test(test_stream_raw_refuses),
      cmocka_unit_test(test_stream_truncated_gzip),
      cmocka_unit_test(test_stream_read_error_mid_claim),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
