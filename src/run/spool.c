/* spool.c -- the run's scratch file of report records (spool.h)
 *
 * The file is made with mkstemp in the output directory (the reports'
 * file system, not /tmp, which may be small) and unlinked at once: it
 * lives as long as its descriptor.  Writes go through stdio; a mark is
 * an offset, a rollback an ftruncate, as report.c does for findings.csv.
 * Reads are preads through a buffer of the spool's own (spool.h), after
 * the stream is flushed: the stream stays at the end of the file.
 */
#include "run/spool.h"
#include "base/err.h"
#include "base/limits.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Marks s failed with the system's reason (the first failure stays). */
static int fail(c837_spool *s, const char *what)
{
  if (!s->failed)
    snprintf(s->why, sizeof s->why, "cannot %s the report spool: %.100s",
             what, strerror(errno ? errno : EIO));
  s->failed = 1;
  return -1;
}

c837_status c837_spool_open(c837_spool *s, const char *dir, c837_error *err)
{
  char path[PATH_MAX];
  int fd;
  memset(s, 0, sizeof *s);
  if (snprintf(path, sizeof path, "%s/.cart837-spool-XXXXXX", dir) >=
      (int)sizeof path)
    return c837_error_set(err, C837_EIO, 0, 0,
                          "output directory name too long: %.200s", dir);
  fd = mkstemp(path);
  if (fd < 0)
    return c837_error_set(err, C837_EIO, 0, 0, "cannot create %.200s: %s",
                          path, strerror(errno));
  (void)unlink(path);
  s->fp = fdopen(fd, "w+");
  if (!s->fp) {
    close(fd);
    return c837_error_set(err, C837_ENOMEM, 0, 0, "out of memory");
  }
  return C837_OK;
}

int c837_spool_put(c837_spool *s, int type, const void *p, size_t n)
{
  unsigned char t = (unsigned char)type;
  uint32_t len = (uint32_t)n;
  if (s->failed)
    return -1;
  if (n > UINT32_MAX)
    return fail(s, "write a record too large for");
  if (fwrite(&t, 1, 1, s->fp) != 1 || fwrite(&len, 4, 1, s->fp) != 1 ||
      (n && fwrite(p, 1, n, s->fp) != n)) {
    fail(s, "write");
    s->failed = 2; /* a full disk, a file size limit: c837_spool_rollback
                      takes the file's records back and goes on */
    return -1;
  }
  s->pos += (off_t)(5 + n);
  return 0;
}

/* After a failed write: a new stream on the same file, without the bytes
 * the old one could not write, cut back to the mark.  0 or -1. */
static int renew(c837_spool *s)
{
  int fd = dup(fileno(s->fp));
  FILE *fp;
  if (fd < 0)
    return -1;
  (void)fclose(s->fp); /* its buffer cannot be written: dropped */
  s->fp = NULL;
  if (ftruncate(fd, s->mark) != 0 || !(fp = fdopen(fd, "w+"))) {
    close(fd);
    return -1;
  }
  s->fp = fp;
  if (fseeko(fp, s->mark, SEEK_SET) != 0)
    return -1;
  s->pos = s->mark;
  s->failed = 0;
  s->why[0] = '\0';
  return 0;
}

int c837_spool_mark(c837_spool *s)
{
  if (s->failed)
    return -1;
  if (fflush(s->fp) != 0)
    return fail(s, "write");
  s->mark = s->pos;
  return 0;
}

int c837_spool_rollback(c837_spool *s)
{
  s->rlen = 0; /* what was read of the cut records is gone */
  if (s->failed == 2 && renew(s) != 0) {
    s->failed = 1;
    return -1;
  }
  if (s->failed)
    return -1;
  if (fflush(s->fp) != 0 || ftruncate(fileno(s->fp), s->mark) != 0 ||
      fseeko(s->fp, s->mark, SEEK_SET) != 0)
    return fail(s, "cut back");
  s->pos = s->mark;
  return 0;
}

int c837_spool_start(c837_spool *s)
{
  if (s->failed)
    return -1;
  if (fflush(s->fp) != 0)
    return fail(s, "read");
  s->cur = 0;
  return 0;
}

/* Copies n bytes of the file at off into dst, through rbuf: what is not
 * there is read from off, `chunk` bytes at a time (a part larger than
 * rbuf straight into dst).  0, or -1 (errno set; 0 when the file ends
 * first). */
static int fetch(c837_spool *s, off_t off, void *dst, size_t n,
                 size_t chunk)
{
  char *d = dst;
  while (n > 0) {
    ssize_t got;
    if (s->rlen && off >= s->rpos && off < s->rpos + (off_t)s->rlen) {
      size_t at = (size_t)(off - s->rpos), k = s->rlen - at;
      if (k > n)
        k = n;
      memcpy(d, s->rbuf + at, k);
      d += k;
      off += (off_t)k;
      n -= k;
      continue;
    }
    if (n >= C837_SPOOL_READ_BUFFER) {
      got = pread(fileno(s->fp), d, n, off);
      if (got > 0) {
        d += got;
        off += got;
        n -= (size_t)got;
      }
    } else {
      s->rlen = 0;
      got = pread(fileno(s->fp), s->rbuf, chunk, off);
      if (got > 0) {
        s->rpos = off;
        s->rlen = (size_t)got;
      }
    }
    if (got < 0 && errno == EINTR)
      continue;
    if (got <= 0) {
      if (got == 0)
        errno = 0;
      return -1;
    }
  }
  return 0;
}

int c837_spool_read(c837_spool *s, off_t at, int *type, c837_buf *buf,
                    off_t *pos)
{
  unsigned char hdr[5];
  uint32_t len;
  off_t off = at >= 0 ? at : s->cur, end;
  size_t chunk = at >= 0 ? C837_SPOOL_READ_AT : C837_SPOOL_READ_BUFFER;
  if (s->failed)
    return -1;
  /* records put after c837_spool_start are still in the stream */
  if (fflush(s->fp) != 0)
    return fail(s, "read");
  if (!s->rbuf && !(s->rbuf = malloc(C837_SPOOL_READ_BUFFER)))
    return -2; /* out of memory, as for buf */
  end = s->pos; /* the stream flushed: the file's size */
  if (off >= end)
    return 0;
  if (fetch(s, off, hdr, sizeof hdr, chunk) != 0)
    return fail(s, "read");
  memcpy(&len, hdr + 1, 4);
  if (len > buf->limit)
    return fail(s, "read");
  buf->len = 0;
  if (c837_buf_reserve(buf, len ? len : 1) != 0)
    return -2;
  if (len && fetch(s, off + 5, buf->p, len, chunk) != 0)
    return fail(s, "read");
  buf->len = len;
  *type = hdr[0];
  if (pos)
    *pos = off;
  s->cur = off + 5 + (off_t)len;
  return 1;
}

void c837_spool_close(c837_spool *s)
{
  if (s->fp)
    fclose(s->fp);
  s->fp = NULL;
  free(s->rbuf);
  s->rbuf = NULL;
  s->rlen = 0;
}

/* ---- payloads ----------------------------------------------------- */

void c837_recw_clear(c837_recw *w)
{
  c837_buf_clear(&w->b);
  w->failed = 0;
}

static inline void put(c837_recw *w, const void *p, size_t n)
{
  /* a record is built field by field: room is nearly always there */
  if (w->b.p && n <= w->b.cap - w->b.len) {
    memcpy(w->b.p + w->b.len, p, n);
    w->b.len += n;
  } else if (!w->failed && c837_buf_put(&w->b, p, n) != 0) {
    w->failed = 1;
  }
}

void c837_recw_u8(c837_recw *w, unsigned v)
{
  unsigned char c = (unsigned char)v;
  put(w, &c, 1);
}

void c837_recw_u32(c837_recw *w, uint32_t v)
{
  put(w, &v, sizeof v);
}

void c837_recw_u64(c837_recw *w, uint64_t v)
{
  put(w, &v, sizeof v);
}

void c837_recw_i64(c837_recw *w, int64_t v)
{
  put(w, &v, sizeof v);
}

void c837_recw_bytes(c837_recw *w, const void *p, size_t n)
{
  c837_recw_u32(w, (uint32_t)n);
  if (n)
    put(w, p, n);
  put(w, "", 1);
}

void c837_recw_str(c837_recw *w, const char *s)
{
  size_t n = s ? strlen(s) : 0;
  c837_recw_bytes(w, s ? s : "", n > 65535 ? 65535 : n);
}

void c837_recr_init(c837_recr *r, const c837_buf *buf)
{
  r->p = buf->p;
  r->n = buf->len;
  r->at = 0;
  r->bad = 0;
}

/* The next n bytes, or NULL (bad set) when the payload has fewer. */
static const char *take(c837_recr *r, size_t n)
{
  const char *p;
  if (r->bad || n > r->n - r->at) {
    r->bad = 1;
    return NULL;
  }
  p = r->p + r->at;
  r->at += n;
  return p;
}

unsigned c837_recr_u8(c837_recr *r)
{
  const char *p = take(r, 1);
  return p ? (unsigned char)*p : 0;
}

uint32_t c837_recr_u32(c837_recr *r)
{
  uint32_t v = 0;
  const char *p = take(r, sizeof v);
  if (p)
    memcpy(&v, p, sizeof v);
  return v;
}

uint64_t c837_recr_u64(c837_recr *r)
{
  uint64_t v = 0;
  const char *p = take(r, sizeof v);
  if (p)
    memcpy(&v, p, sizeof v);
  return v;
}

int64_t c837_recr_i64(c837_recr *r)
{
  int64_t v = 0;
  const char *p = take(r, sizeof v);
  if (p)
    memcpy(&v, p, sizeof v);
  return v;
}

const char *c837_recr_str(c837_recr *r, size_t *len)
{
  uint32_t n = c837_recr_u32(r);
  const char *p = take(r, (size_t)n + 1);
  if (!p || p[n] != '\0') {
    r->bad = 1;
    p = NULL;
  }
  if (len)
    *len = p ? n : 0;
  return p ? p : "";
}
