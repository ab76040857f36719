/* input.c -- reading claim files: plain or gzip, file or stdin
 *
 * The input layer hides compression from the tokenizer.  gzip is detected
 * by content (the magic bytes 1f 8b at the start), never by file name, and
 * decompressed with zlib's inflate, member after member, so that
 * concatenated members (as `cat a.gz b.gz` makes) read as one stream.
 * What zlib's gz* functions would silently drop is an error here
 * (C837_EGZIP, with the compressed offset): a stream cut short, corrupt
 * data, and bytes after the last member that are not another member.
 * Plain input is passed through unchanged.  A regular file that ends
 * before the size it had when it was opened was cut short while being
 * read (truncated, or rewritten in place): what was read is not the file,
 * so that is an I/O error (C837_EIO), never a shorter input that may
 * happen to parse.
 *
 * gzip input is inflated in a worker thread (inflate_thread.c) from the
 * second read on, so that inflating and parsing use two cores; a caller
 * that reads a few bytes and closes (the directory walk's sniff) never
 * starts one.  The worker runs the same read_gzip as the caller's thread
 * would, one C837_READ_CHUNK at a time, so the bytes, the errors and
 * their offsets are the same either way; an error comes out after every
 * byte inflated before it.  Once the worker runs, the decoder's state
 * (fd, zs, buf, have, raw_off, eof, in_member, fd_bytes, self, pending)
 * is its own until c837_input_close has joined it; the caller's thread
 * keeps worker, handover and the fields set at open.  Plain input is read
 * in the caller's thread (it is at memory speed already).
 */
#include "cart837.h"
#include "base/err.h"
#include "base/limits.h"
#include "base/util.h"
#include "parse/inflate_thread.h"
#include "parse/input_int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

enum { MODE_UNKNOWN, MODE_PLAIN, MODE_GZIP };

struct c837_input {
  int fd;
  int is_stdin;
  int mode;
  int eof;             /* read() returned 0 */
  int in_member;       /* inflate is inside a gzip member */
  int z_ready;         /* inflateInit2 done */
  z_stream zs;
  unsigned char *buf;  /* compressed (or first plain) bytes */
  size_t have;         /* bytes in buf not yet consumed (from zs.next_in) */
  uint64_t raw_off;    /* compressed bytes consumed */
  uint64_t fd_bytes;   /* bytes read from fd */
  int64_t size0;       /* size of a regular file when opened; -1 if none */
  int pending;         /* an error found behind bytes handed out first */
  c837_error pend_err; /* ... which every later read returns */
  c837_inflate_thread *self;   /* in the worker: the thread running it */
  c837_inflate_thread *worker; /* the caller's: the worker, once started */
  int handover;        /* 0: the first gzip read is to come; 1: the next
                          one starts the worker; -1: no worker */
  int past_buf;        /* bytes were read past buf's first fill
                          (c837_input_rewind cannot go back then) */
  char path[1024]; /* for messages: escaped (c837_excerpt) */
};

static int detect(c837_input *in, c837_error *err);
static long fail(c837_input *in, c837_error *err, c837_status code,
                 const char *what);
static long fail_sys(c837_input *in, uint64_t off, c837_error *err, int e);

/* zlib allocates through these rather than its own defaults, so that the
 * allocation test (tests/test_internal_alloc.c) sees inflate's memory
 * too. */
static voidpf z_alloc(voidpf opaque, uInt items, uInt size)
{
  (void)opaque;
  return calloc(items, size);
}

static void z_free(voidpf opaque, voidpf p)
{
  (void)opaque;
  free(p);
}

c837_input *c837_input_open(const char *path, c837_error *err)
{
  c837_input *in = calloc(1, sizeof *in);
  char name[400]; /* the path for messages, escaped (c837_excerpt) */

  c837_error_clear(err);
  c837_excerpt(name, sizeof name, path, strlen(path));
  if (!in || !(in->buf = malloc(C837_READ_CHUNK))) {
    free(in);
    c837_error_set(err, C837_ENOMEM, 0, 0, "out of memory opening %.180s",
                   name);
    return NULL;
  }
  c837_excerpt(in->path, sizeof in->path, path, strlen(path));
  in->size0 = -1;
  if (strcmp(path, "-") == 0) {
    in->fd = STDIN_FILENO;
    in->is_stdin = 1;
  } else {
    in->fd = open(path, O_RDONLY);
    if (in->fd < 0) {
      c837_error_set(err, C837_EIO, 0, 0, "cannot open %.180s: %.60s", name,
                     strerror(errno));
      free(in->buf);
      free(in);
      return NULL;
    }
    {
      struct stat sb;
      if (fstat(in->fd, &sb) == 0 && S_ISREG(sb.st_mode))
        in->size0 = (int64_t)sb.st_size;
    }
    /* a file is looked at now, so that c837_input_is_gzip answers before
     * the first read; stdin is looked at by the first read */
    if (detect(in, err) != 0) {
      c837_input_close(in);
      return NULL;
    }
  }
  return in;
}

/* Bookkeeping of one read() from the descriptor: n bytes, or the end
 * of the file (n = 0).  -1 with *err filled when a regular file ends
 * before the size it had when it was opened. */
static int account(c837_input *in, ssize_t n, c837_error *err)
{
  char what[160];
  if (n > 0) {
    in->fd_bytes += (uint64_t)n;
    return 0;
  }
  in->eof = 1;
  if (in->size0 < 0 || in->fd_bytes >= (uint64_t)in->size0)
    return 0;
  snprintf(what, sizeof what,
           "the file shrank while it was being read (%lld bytes when "
           "opened, end of file after %llu): truncated or rewritten",
           (long long)in->size0, (unsigned long long)in->fd_bytes);
  return (int)fail(in, err, C837_EIO, what);
}

/* Reads more compressed bytes behind what is left in buf.  0 at end of
 * file, -1 on error (*err filled), else bytes added. */
static long fill(c837_input *in, c837_error *err)
{
  ssize_t n;
  /* buf no longer holds the file from its first byte only: rewinding a
   * gzip input is then refused (c837_input_rewind) */
  if (in->fd_bytes)
    in->past_buf = 1;
  if (in->have && in->zs.next_in != in->buf)
    memmove(in->buf, in->zs.next_in, in->have);
  in->zs.next_in = in->buf;
  /* in the worker, a pipe may keep read(2) waiting: wait where a stop
   * request is seen too (what is returned then is dropped) */
  if (in->self && !c837_inflate_thread_wait_input(in->self, in->fd))
    return fail_sys(in, in->raw_off, err, ECANCELED);
  /* no retry on EINTR: a signal is how a run is stopped */
  n = read(in->fd, in->buf + in->have, C837_READ_CHUNK - in->have);
  if (n < 0)
    return fail_sys(in, in->raw_off, err, errno);
  if (account(in, n, err) != 0)
    return -1;
  in->have += (size_t)n;
  return (long)n;
}

/* Fills *err for a failure at offset off of the input as read (the
 * compressed stream for gzip); returns -1. */
static long fail_at(const c837_input *in, uint64_t off, c837_error *err,
                    c837_status code, const char *what)
{
  c837_error_set(err, code, off, 0, "%.150s: %.200s (%s %llu)", in->path,
                 what, in->mode == MODE_GZIP ? "compressed offset" : "byte",
                 (unsigned long long)off);
  return -1;
}

static long fail(c837_input *in, c837_error *err, c837_status code,
                 const char *what)
{
  return fail_at(in, in->raw_off, err, code, what);
}

/* C837_EIO with the system's reason for errno e (strerror_r: the worker
 * thread may be the one failing). */
static long fail_sys(c837_input *in, uint64_t off, c837_error *err, int e)
{
  char why[128];
  if (strerror_r(e, why, sizeof why) != 0)
    snprintf(why, sizeof why, "error %d", e);
  return fail_at(in, off, err, C837_EIO, why);
}

/* Decides plain or gzip from the first two bytes. */
static int detect(c837_input *in, c837_error *err)
{
  while (in->have < 2 && !in->eof)
    if (fill(in, err) < 0)
      return -1;
  if (in->have >= 2 && in->buf[0] == 0x1f && in->buf[1] == 0x8b) {
    in->mode = MODE_GZIP;
    in->zs.zalloc = z_alloc;
    in->zs.zfree = z_free;
    in->zs.opaque = Z_NULL;
    if (inflateInit2(&in->zs, 15 + 16) != Z_OK)
      return (int)fail(in, err, C837_ENOMEM, "zlib could not start");
    in->z_ready = 1;
    in->in_member = 1;
  } else {
    in->mode = MODE_PLAIN;
  }
  in->zs.next_in = in->buf;
  return 0;
}

static long read_plain(c837_input *in, void *out, size_t cap,
                       c837_error *err)
{
  ssize_t n;
  if (in->have) {
    size_t k = in->have < cap ? in->have : cap;
    memcpy(out, in->zs.next_in, k);
    in->zs.next_in += k;
    in->have -= k;
    in->raw_off += k;
    return (long)k;
  }
  if (in->eof)
    return 0;
  in->past_buf = 1;
  n = read(in->fd, out, cap);
  if (n < 0)
    return fail_sys(in, in->raw_off, err, errno);
  if (account(in, n, err) != 0)
    return -1;
  in->raw_off += (uint64_t)n;
  return (long)n;
}

/* Between gzip members: starts the next member (1), or finds the end
 * of the stream (0: nothing more, or only zero padding), or fails (-1,
 * *err filled). */
static long next_member(c837_input *in, c837_error *err)
{
  while (in->have < 2 && !in->eof)
    if (fill(in, err) < 0)
      return -1;
  if (in->have == 0)
    return 0;
  if (in->zs.next_in[0] == 0) {
    /* zero padding after the last member (tape and transfer tools add
     * it): accepted when nothing but zeros follows */
    for (;;) {
      size_t z = 0;
      while (z < in->have && in->zs.next_in[z] == 0)
        z++;
      in->zs.next_in += z;
      in->have -= z;
      in->raw_off += z;
      if (in->have)
        return fail(in, err, C837_EGZIP,
                    "data after the zero padding that follows the last "
                    "gzip member");
      if (in->eof)
        return 0;
      if (fill(in, err) < 0)
        return -1;
      if (in->have == 0)
        return 0;
    }
  }
  if (in->have < 2 || in->zs.next_in[0] != 0x1f || in->zs.next_in[1] != 0x8b)
    return fail(in, err, C837_EGZIP,
                "data after the end of a gzip member is not another gzip "
                "member");
  inflateReset(&in->zs);
  in->in_member = 1;
  return 1;
}

/* Inflates up to cap bytes: returns as soon as some came out (bytes
 * made), 0 at the end, -1 on error.  Runs in the worker once started. */
static long read_gzip(c837_input *in, void *out, size_t cap,
                      c837_error *err)
{
  if (in->pending) {
    *err = in->pend_err;
    return -1;
  }
  in->zs.next_out = out;
  in->zs.avail_out = (uInt)cap;
  while (in->zs.avail_out == cap) {
    int r;
    size_t before;
    long m;
    if (!in->in_member && (m = next_member(in, err)) <= 0)
      return m;
    if (in->have == 0) {
      if (in->eof)
        return fail(in, err, C837_EGZIP,
                    "gzip stream is truncated: unexpected end of file");
      if (fill(in, err) < 0)
        return -1;
      continue;
    }
    in->zs.avail_in = (uInt)in->have;
    before = in->have;
    r = inflate(&in->zs, Z_NO_FLUSH);
    in->have = in->zs.avail_in;
    in->raw_off += before - in->have;
    if (r == Z_STREAM_END) {
      in->in_member = 0;
    } else if (r == Z_BUF_ERROR) {
      /* needs more input (output space is never the problem here) */
      if (in->eof)
        return fail(in, err, C837_EGZIP,
                    "gzip stream is truncated: unexpected end of file");
      if (fill(in, err) < 0)
        return -1;
    } else if (r != Z_OK) {
      fail(in, &in->pend_err, r == Z_MEM_ERROR ? C837_ENOMEM : C837_EGZIP,
           in->zs.msg ? in->zs.msg : "corrupt gzip data");
      in->pending = 1;
      /* what inflate made before the bad spot goes out first */
      if (in->zs.avail_out != cap)
        break;
      *err = in->pend_err;
      return -1;
    }
    if (in->zs.avail_out != cap)
      break;
    if (!in->in_member && in->have == 0 && in->eof)
      return 0;
  }
  return (long)(cap - in->zs.avail_out);
}

/* produce of the worker thread (inflate_thread.h). */
static long produce(void *ud, c837_inflate_thread *self, void *out,
                    size_t cap, c837_error *err, uint64_t *raw_off)
{
  c837_input *in = ud;
  long n;
  in->self = self;
  n = read_gzip(in, out, cap, err);
  *raw_off = in->raw_off;
  return n;
}

static long read_worker(c837_input *in, void *buf, size_t cap,
                        c837_error *err)
{
  long n = c837_inflate_thread_read(in->worker, buf, cap, err);
  if (n == -2) /* a signal interrupted the wait, as it would read(2) */
    return fail_sys(in, c837_inflate_thread_raw_offset(in->worker), err,
                    EINTR);
  return n;
}

long c837_input_read(c837_input *in, void *buf, size_t cap, c837_error *err)
{
  long n;
  if (cap == 0)
    return 0;
  if (cap > (size_t)1 << 30)
    cap = (size_t)1 << 30;
  if (in->mode == MODE_UNKNOWN && detect(in, err) != 0)
    return -1;
  if (in->mode == MODE_PLAIN)
    return read_plain(in, buf, cap, err);
  if (in->worker)
    return read_worker(in, buf, cap, err);
  /* the first read inflates here; the worker takes over from the second
   * (when none can be started, this thread goes on) */
  if (in->handover == 1) {
    in->handover = -1;
    in->worker = c837_inflate_thread_start(produce, in, in->raw_off);
    if (in->worker)
      return read_worker(in, buf, cap, err);
  }
  n = read_gzip(in, buf, cap, err);
  /* at the end or after an error there is nothing left to overlap */
  in->handover = in->handover == 0 && n > 0 ? 1 : -1;
  return n;
}

int c837_input_rewind(c837_input *in)
{
  /* what was handed out so far all comes from buf's first fill, which
   * starts at byte 0 of the file: plain bytes, or for gzip the compressed
   * bytes inflated on this thread (no worker yet), inflated again from
   * the start of the stream */
  if (in->is_stdin || in->past_buf || in->pending || in->worker ||
      in->mode == MODE_UNKNOWN)
    return -1;
  if (in->mode == MODE_GZIP) {
    if (inflateReset(&in->zs) != Z_OK)
      return -1;
    in->in_member = 1;
    if (in->handover == 1)
      in->handover = 0; /* the worker starts as for a file just opened */
  }
  in->zs.next_in = in->buf;
  in->have += (size_t)in->raw_off;
  in->raw_off = 0;
  return 0;
}

int c837_input_is_gzip(const c837_input *in)
{
  return in->mode == MODE_GZIP;
}

uint64_t c837_input_raw_offset(const c837_input *in)
{
  return in->worker ? c837_inflate_thread_raw_offset(in->worker)
                    : in->raw_off;
}

void c837_input_close(c837_input *in)
{
  if (!in)
    return;
  c837_inflate_thread_stop(in->worker); /* joined: its state is ours */
  if (in->z_ready)
    inflateEnd(&in->zs);
  if (!in->is_stdin)
    close(in->fd);
  free(in->buf);
  free(in);
}
