/* input.c -- reading claim files: plain or gzip, file or stdin
 *
 * The input layer hides compression from the tokenizer.  gzip is detected
 * by content (the magic bytes 1f 8b), never by file name, and read
 * through zlib's gz* functions, which also read concatenated gzip members
 * (as `cat a.gz b.gz` produces) and pass plain input through unchanged.
 * A truncated or corrupt gzip stream is an error (C837_EGZIP), never a
 * silent short read.
 */
#include "cart837.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

struct c837_input {
  gzFile gz;
  int fd;
  int is_stdin;
  int is_gzip;
  char path[1024];
};

c837_input *c837_input_open(const char *path, c837_error *err)
{
  c837_input *in = calloc(1, sizeof *in);
  unsigned char magic[2];
  ssize_t n;
  int fd, dupfd;

  memset(err, 0, sizeof *err);
  if (!in) {
    err->code = C837_ENOMEM;
    snprintf(err->msg, sizeof err->msg, "out of memory opening %.180s", path);
    return NULL;
  }
  snprintf(in->path, sizeof in->path, "%s", path);
  if (strcmp(path, "-") == 0) {
    fd = STDIN_FILENO;
    in->is_stdin = 1;
  } else {
    fd = open(path, O_RDONLY);
    if (fd < 0) {
      err->code = C837_EIO;
      snprintf(err->msg, sizeof err->msg, "cannot open %.180s: %.60s", path,
               strerror(errno));
      free(in);
      return NULL;
    }
  }
  /* Peek at the magic without consuming it where we can (regular files);
   * for pipes, gzread's own detection does the same job. */
  if (lseek(fd, 0, SEEK_CUR) >= 0) {
    n = pread(fd, magic, 2, lseek(fd, 0, SEEK_CUR));
    in->is_gzip = n == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
  }
  /* gzdopen takes ownership of the descriptor; keep stdin open. */
  dupfd = in->is_stdin ? dup(fd) : fd;
  if (dupfd < 0 || !(in->gz = gzdopen(dupfd, "rb"))) {
    err->code = dupfd < 0 ? C837_EIO : C837_ENOMEM;
    snprintf(err->msg, sizeof err->msg, "cannot read %.180s: %.60s", path,
             dupfd < 0 ? strerror(errno) : "zlib could not start");
    if (dupfd >= 0)
      close(dupfd);
    free(in);
    return NULL;
  }
  gzbuffer(in->gz, C837_READ_CHUNK);
  in->fd = dupfd;
  return in;
}

long c837_input_read(c837_input *in, void *buf, size_t cap, c837_error *err)
{
  int n, zerr;
  const char *msg;
  if (cap > (size_t)1 << 30)
    cap = (size_t)1 << 30;
  n = gzread(in->gz, buf, (unsigned)cap);
  if (!gzdirect(in->gz))
    in->is_gzip = 1;
  if (n >= 0) {
    if (n == 0) {
      /* zlib reports a truncated member as a read of 0 plus an error */
      msg = gzerror(in->gz, &zerr);
      if (zerr != Z_OK && zerr != Z_STREAM_END)
        goto fail;
    }
    return n;
  }
  msg = gzerror(in->gz, &zerr);
fail:
  memset(err, 0, sizeof *err);
  err->code = zerr == Z_ERRNO ? C837_EIO : C837_EGZIP;
  err->offset = (uint64_t)gzoffset(in->gz);
  snprintf(err->msg, sizeof err->msg, "%.150s: %.70s (compressed offset %llu)",
           in->path,
           zerr == Z_ERRNO ? strerror(errno)
           : zerr == Z_BUF_ERROR
               ? "gzip stream is truncated: unexpected end of file"
               : msg,
           (unsigned long long)err->offset);
  return -1;
}

int c837_input_is_gzip(const c837_input *in)
{
  return in->is_gzip;
}

uint64_t c837_input_raw_offset(const c837_input *in)
{
  z_off_t o = gzoffset(in->gz);
  return o < 0 ? 0 : (uint64_t)o;
}

void c837_input_close(c837_input *in)
{
  if (!in)
    return;
  gzclose_r(in->gz);
  free(in);
}
