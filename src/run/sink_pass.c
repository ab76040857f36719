/* sink_pass.c -- a gzip output that goes out as its gzip input file's own
 * bytes when it is that input, decompressed (sink.h: c837_out_pass)
 *
 * A corrected output of a gzip input file in which nothing changed is
 * the input decompressed, byte for byte; recompressing it would cost
 * more than parsing it.  So such
 * an output starts without a deflater, and every byte written to it is
 * compared with the input's byte at the same place (the input's bytes
 * come from the run layer, fed segment by segment as they are parsed,
 * and are kept only until the writer has written them).  The output is
 * the input's own compressed bytes only when, at close, every byte
 * written matched, every input byte was fed (no gap) and written, and
 * the input was read whole: then the input file is copied.  Anything
 * else -- one byte that differs, a gap, the lag past
 * C837_MAX_VERBATIM_LAG, no c837_out_pass_end -- ends the pass and
 * the bytes that matched are read again from the input file and
 * compressed: a changed output can never go out as the input.
 */
#define _GNU_SOURCE /* copy_file_range */
#include "run/sink_int.h"
#include "base/buf.h"
#include "base/limits.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef FICLONE
#define FICLONE _IOW(0x94, 9, int) /* linux/fs.h */
#endif

/* The pass-through state (sink.h: c837_out_pass). */
struct c837_pass {
  int fd;           /* the input file, open since c837_out_pass */
  struct stat sb;   /* the input as it was then */
  char path[PATH_MAX];
  c837_buf win;     /* input bytes fed, not written yet: [head, len) */
  size_t head;
  uint64_t fed;     /* input offset after the last byte fed */
  uint64_t matched; /* bytes written: each the input's byte there */
  int dead;         /* a gap in what was fed, the lag past its limit */
  int ended;        /* read whole, and every byte fed */
};

void c837_out_pass_free(c837_out *o)
{
  if (!o->pass)
    return;
  if (o->pass->fd >= 0)
    close(o->pass->fd);
  c837_buf_free(&o->pass->win);
  free(o->pass);
  o->pass = NULL;
}

int c837_out_pass(c837_out *o, const char *path)
{
  c837_pass *ps;
  if (o->to_stdout || !o->gzip || o->opened || o->failed || o->pass ||
      strlen(path) >= sizeof ps->path || !(ps = calloc(1, sizeof *ps)))
    return -1;
  ps->fd = open(path, O_RDONLY | O_CLOEXEC);
  if (ps->fd < 0 || fstat(ps->fd, &ps->sb) != 0 || !S_ISREG(ps->sb.st_mode)) {
    if (ps->fd >= 0)
      close(ps->fd);
    free(ps);
    return -1;
  }
  memcpy(ps->path, path, strlen(path) + 1);
  o->pass = ps;
  return 0;
}

void c837_out_pass_feed(c837_out *o, const void *p, size_t n, uint64_t off)
{
  c837_pass *ps = o->pass;
  size_t lag;
  if (!ps || ps->dead)
    return;
  lag = ps->win.len - ps->head;
  if (off != ps->fed || n > C837_MAX_VERBATIM_LAG - lag) {
    ps->dead = 1; /* a gap, or too far behind: compressed */
    return;
  }
  if (ps->head && ps->head >= lag) { /* what was written goes */
    memmove(ps->win.p, ps->win.p + ps->head, lag);
    ps->win.len = lag;
    ps->head = 0;
  }
  if (c837_buf_put(&ps->win, p, n) != 0) {
    ps->dead = 1;
    return;
  }
  ps->fed += n;
}

void c837_out_pass_end(c837_out *o, uint64_t bytes, int complete)
{
  if (o->pass)
    o->pass->ended = complete && !o->pass->dead && bytes == o->pass->fed;
}

/* 1 when the input file is still what it was when the pass began. */
static int same_input(const c837_pass *ps, const struct stat *now)
{
  return now->st_dev == ps->sb.st_dev && now->st_ino == ps->sb.st_ino &&
         now->st_size == ps->sb.st_size &&
         now->st_mtim.tv_sec == ps->sb.st_mtim.tv_sec &&
         now->st_mtim.tv_nsec == ps->sb.st_mtim.tv_nsec;
}

/* The input's first `want` bytes, read again from its file, to the
 * deflater.  0, or -1 (o failed). */
static int pass_reread(c837_out *o, const c837_pass *ps, uint64_t want)
{
  struct stat now;
  c837_error err;
  c837_input *in;
  char *buf;
  long got = 0;
  if (stat(ps->path, &now) != 0 || !same_input(ps, &now))
    return c837_out_fail(o, C837_EIO, "its input changed while it was read"), -1;
  in = c837_input_open(ps->path, &err);
  if (!in)
    return c837_out_fail(o, err.code, err.msg), -1;
  buf = malloc(C837_READ_CHUNK);
  if (!buf) {
    c837_input_close(in);
    return c837_out_fail(o, C837_ENOMEM, "out of memory"), -1;
  }
  while (want > 0) {
    size_t cap = want < C837_READ_CHUNK ? (size_t)want : C837_READ_CHUNK;
    got = c837_input_read(in, buf, cap, &err);
    if (got <= 0 || c837_out_dz_write(o, buf, (size_t)got) != 0)
      break;
    want -= (uint64_t)got;
  }
  free(buf);
  c837_input_close(in);
  if (want > 0 && !o->failed)
    c837_out_fail(o, got < 0 ? err.code : C837_EIO,
         got < 0 ? err.msg : "its input changed while it was read");
  return want > 0 ? -1 : 0;
}

/* Ends the pass: o gets a deflater, and the input's bytes that matched
 * (all o got so far) are compressed.  0, or -1 (o failed). */
static int pass_break(c837_out *o)
{
  c837_pass *ps = o->pass;
  int rc;
  o->pass = NULL;
  rc = o->opened ? c837_out_start_dz(o, o->fd) : 0;
  if (rc == 0 && ps->matched > 0)
    rc = pass_reread(o, ps, ps->matched);
  o->pass = ps;
  c837_out_pass_free(o);
  return rc;
}

int c837_out_pass_write(c837_out *o, const void *p, size_t n)
{
  c837_pass *ps = o->pass;
  if (!ps->dead && n <= ps->win.len - ps->head &&
      memcmp(ps->win.p + ps->head, p, n) == 0) {
    ps->head += n;
    ps->matched += n;
    if (ps->head == ps->win.len)
      ps->head = ps->win.len = 0;
    return 0;
  }
  if (pass_break(o) != 0)
    return -1;
  return c837_out_dz_write(o, p, n);
}

/* Copies the input file into o's temporary file: a reflink (FICLONE)
 * where the file system shares blocks, else copy_file_range, else
 * read/write.  0, or -1 (o failed). */
static int pass_copy(c837_out *o, c837_pass *ps)
{
  off_t size = ps->sb.st_size, at = 0;
  char *buf;
  if (ioctl(o->fd, FICLONE, ps->fd) == 0)
    return 0;
  while (at < size) {
    ssize_t k = copy_file_range(ps->fd, &at, o->fd, NULL, (size_t)(size - at),
                                0);
    if (k > 0)
      continue;
    if (k == 0)
      return c837_out_fail(o, C837_EIO, "its input changed while it was read"), -1;
    if (errno != EXDEV && errno != ENOSYS && errno != EINVAL &&
        errno != EOPNOTSUPP && errno != EBADF)
      return c837_out_fail(o, C837_EIO, strerror(errno)), -1;
    break; /* not between these files: read and write */
  }
  if (at >= size)
    return 0;
  if (!(buf = malloc(C837_READ_CHUNK)))
    return c837_out_fail(o, C837_ENOMEM, "out of memory"), -1;
  while (at < size) {
    ssize_t k = pread(ps->fd, buf, C837_READ_CHUNK, at), w = 0;
    if (k < 0 && errno == EINTR)
      continue;
    if (k <= 0) {
      c837_out_fail(o, C837_EIO, k < 0 ? strerror(errno)
                              : "its input changed while it was read");
      break;
    }
    while (w < k) {
      ssize_t m = write(o->fd, buf + w, (size_t)(k - w));
      if (m < 0 && errno == EINTR)
        continue;
      if (m <= 0) {
        c837_out_fail(o, C837_EIO, strerror(m < 0 ? errno : EIO));
        break;
      }
      w += m;
    }
    if (w < k)
      break;
    at += k;
  }
  free(buf);
  return at >= size ? 0 : -1;
}

int c837_out_pass_close(c837_out *o)
{
  c837_pass *ps = o->pass;
  struct stat now;
  if (ps->ended && !ps->dead && ps->head == ps->win.len &&
      ps->matched == ps->fed && fstat(ps->fd, &now) == 0 &&
      same_input(ps, &now)) {
    int rc = pass_copy(o, ps);
    o->passed = rc == 0;
    c837_out_pass_free(o);
    return rc;
  }
  return pass_break(o);
}
