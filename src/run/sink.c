/* sink.c -- a run's outputs: files that appear only when complete, and
 * standard output (sink.h)
 *
 * Every byte a run writes goes through here: the corrected and held 837s
 * and unparsed rests (opened by their first write), the reports and the
 * ledger (opened at once), and standard output in the filter mode.  A
 * file is written to ".NAME.tmp-XXXXXX" beside its final name, then
 * flushed, fsync'd (unless the run syncs the whole file system once at
 * its end) and renamed, which is atomic within one file system.  gzip
 * output is deflated by a worker thread (deflate_thread.c) onto the same
 * descriptor; for standard output, onto a duplicate of it, so that
 * ending the gzip stream leaves standard output open.  Every failure is
 * one message, "cannot write PATH: why" (PATH "standard output" for it),
 * kept as the output's first error.
 *
 * Pass-through (c837_out_pass, sink.h): sink_pass.c; an output whose
 * pass is on has no deflater and writes nothing until the pass ends.
 */
#define _GNU_SOURCE /* syncfs, copy_file_range, sync_file_range */
#include "run/sink_int.h"
#include "base/err.h"
#include "base/limits.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>



/* The output's name in messages. */
static const char *out_name(const c837_out *o)
{
  return o->to_stdout ? "standard output" : o->path;
}

c837_status c837_out_fail(c837_out *o, c837_status code, const char *why)
{
  o->failed = 1;
  return c837_error_first(&o->err, code, 0, 0, "cannot write %.200s: %.80s",
                          out_name(o), why);
}

/* Where the name under the caller's directory starts: after the last
 * '/' of path (0 when there is none). */
static size_t dir_len(const char *path)
{
  const char *slash = strrchr(path, '/');
  if (!slash)
    return 0;
  return slash == path ? 1 : (size_t)(slash - path);
}

int c837_out_init(c837_out *o, const char *path, int gzip)
{
  memset(o, 0, sizeof *o);
  o->fd = o->dirfd = o->dz_fd = -1;
  o->mode = -1;
  o->gzip = gzip;
  o->level = C837_GZIP_LEVEL_DEFAULT;
  if (!path) {
    o->to_stdout = 1;
    return 0;
  }
  if (strlen(path) >= sizeof o->path) {
    o->failed = 1;
    c837_error_set(&o->err, C837_EIO, 0, 0, "path too long: %.200s", path);
    return -1;
  }
  memcpy(o->path, path, strlen(path) + 1);
  o->root_len = dir_len(o->path);
  return 0;
}

int c837_out_init_under(c837_out *o, const char *root, const char *rel,
                        int gzip)
{
  char path[PATH_MAX];
  while (*rel == '/')
    rel++;
  if (snprintf(path, sizeof path, "%s/%s", root, rel) >= (int)sizeof path) {
    c837_out_init(o, NULL, gzip);
    o->to_stdout = 0;
    o->failed = 1;
    c837_error_set(&o->err, C837_EIO, 0, 0, "path too long: %.200s/%.100s",
                   root, rel);
    return -1;
  }
  c837_out_init(o, path, gzip);
  o->root_len = strlen(root);
  return 0;
}

c837_status c837_mkdirs_for(const char *path, c837_error *err)
{
  char dir[PATH_MAX];
  const char *slash = strrchr(path, '/');
  if (!slash || slash == path)
    return C837_OK;
  snprintf(dir, sizeof dir, "%.*s", (int)(slash - path), path);
  return c837_mkdirs(dir, err);
}

c837_status c837_mkdirs(const char *dir, c837_error *err)
{
  char buf[PATH_MAX];
  size_t i, n = strlen(dir);
  if (n == 0)
    return C837_OK;
  /* the common case, one call: it is there (or its parent is) */
  if (mkdir(dir, 0777) == 0 || errno == EEXIST)
    return C837_OK;
  if (n >= sizeof buf)
    return c837_error_set(err, C837_EIO, 0, 0, "path too long: %.200s",
                          dir);
  memcpy(buf, dir, n + 1);
  for (i = 1; i <= n; i++) {
    if (buf[i] == '/' || buf[i] == '\0') {
      char c = buf[i];
      buf[i] = '\0';
      if (mkdir(buf, 0777) != 0 && errno != EEXIST)
        return c837_error_set(err, C837_EIO, 0, 0,
                              "cannot create directory %.180s: %.60s", buf,
                              strerror(errno));
      buf[i] = c;
    }
  }
  return C837_OK;
}

int c837_out_start_dz(c837_out *o, int fd)
{
  int l = o->level >= 0 && o->level <= 9 ? o->level : C837_GZIP_LEVEL_DEFAULT;
  o->dz = c837_deflater_start(fd, l);
  if (!o->dz) {
    c837_out_fail(o, C837_ENOMEM, "zlib could not start");
    return -1;
  }
  return 0;
}

/* Standard output: plain bytes go to stdout, gzip through a duplicate of
 * its descriptor. */
static c837_status open_stdout(c837_out *o)
{
  if (!o->gzip) {
    o->fp = stdout;
    return C837_OK;
  }
  o->dz_fd = dup(STDOUT_FILENO);
  if (o->dz_fd < 0)
    return c837_out_fail(o, C837_EIO, strerror(errno));
  if (c837_out_start_dz(o, o->dz_fd) != 0) {
    close(o->dz_fd);
    o->dz_fd = -1;
    return o->err.code;
  }
  return C837_OK;
}

/* Opens the directory the caller named (made when missing; links in it
 * are followed), then each directory below it down to the final name's,
 * made when missing and never through a symbolic link.  The descriptor
 * of the last, or -1 with o->err set; *base is the final name's last
 * component. */
static int open_parent(c837_out *o, const char **base)
{
  char dir[PATH_MAX];
  const char *rel = o->path + o->root_len, *slash;
  int fd, nfd;
  if (o->root_len == 0)
    snprintf(dir, sizeof dir, ".");
  else
    snprintf(dir, sizeof dir, "%.*s", (int)o->root_len, o->path);
  /* the directory is there but for the first output (one call, not a
   * mkdir that fails with EEXIST first): made only when missing */
  fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0 && errno == ENOENT) {
    if (c837_mkdirs(dir, &o->err) != C837_OK)
      return -1;
    fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  }
  if (fd < 0) {
    c837_error_first(&o->err, C837_EIO, 0, 0, "cannot open directory %.180s: "
                     "%.60s", dir, strerror(errno));
    return -1;
  }
  while (*rel == '/')
    rel++;
  for (; (slash = strchr(rel, '/')) != NULL; rel = slash + 1) {
    struct stat sb;
    size_t n = (size_t)(slash - rel), at = (size_t)(slash - o->path);
    int e;
    if (n == 0)
      continue;
    snprintf(dir, sizeof dir, "%.*s", (int)n, rel);
    if (mkdirat(fd, dir, 0777) != 0 && errno != EEXIST) {
      e = errno;
      close(fd);
      c837_error_first(&o->err, C837_EIO, 0, 0,
                       "cannot create directory %.*s: %.60s", (int)at,
                       o->path, strerror(e));
      return -1;
    }
    nfd = openat(fd, dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    e = errno;
    if (nfd < 0) {
      int link = fstatat(fd, dir, &sb, AT_SYMLINK_NOFOLLOW) == 0 &&
                 S_ISLNK(sb.st_mode);
      close(fd);
      c837_error_first(&o->err, C837_EIO, 0, 0,
                       "cannot create directory %.*s: %.60s", (int)at,
                       o->path,
                       link ? "a symbolic link is there, not followed"
                            : strerror(e));
      return -1;
    }
    close(fd);
    fd = nfd;
  }
  *base = rel;
  return fd;
}

/* Six letters or digits for a temporary name, from the clock (read
 * without a system call), the output's address and the try: a name taken
 * (another run's, or planted) is met by O_EXCL and the next try, so the
 * name need not be unpredictable, only seldom the same -- one system call
 * a file less than getrandom. */
static void tmp_suffix(char *s, unsigned try_no, const void *salt)
{
  static const char al[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  struct timespec ts;
  uint64_t x;
  int i;
  clock_gettime(CLOCK_REALTIME, &ts);
  x = (uint64_t)ts.tv_nsec ^ ((uint64_t)ts.tv_sec << 30) ^
      (uint64_t)(uintptr_t)salt ^ (uint64_t)try_no * 0x9e3779b97f4a7c15u;
  x *= 0xff51afd7ed558ccdu; /* mixed, so that near clocks give far names */
  x ^= x >> 33;
  for (i = 0; i < 6; i++, x /= 62)
    s[i] = al[x % 62];
  s[6] = '\0';
}

/* Creates the temporary file ".BASE.tmp-XXXXXX" in directory dfd
 * (exclusively: an existing name, a link included, is never opened) with
 * o's mode.  0, or -1 with o->err set. */
static int create_tmp(c837_out *o, int dfd, const char *base)
{
  size_t dl = (size_t)(base - o->path);
  unsigned k;
  char sfx[7];
  for (k = 0; k < 100; k++) {
    int n;
    tmp_suffix(sfx, k, o);
    n = snprintf(o->tmp, sizeof o->tmp, "%.*s.%s.tmp-%s", (int)dl, o->path,
                 base, sfx);
    if (n < 0 || (size_t)n >= sizeof o->tmp) {
      c837_error_first(&o->err, C837_EIO, 0, 0, "path too long: %.200s",
                       o->path);
      o->tmp[0] = '\0';
      return -1;
    }
    o->fd = openat(dfd, o->tmp + dl,
                   O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
    if (o->fd >= 0 || errno != EEXIST)
      break;
  }
  if (o->fd < 0) {
    c837_error_first(&o->err, C837_EIO, 0, 0, "cannot create %.180s: %.60s",
                     o->tmp, strerror(errno));
    o->tmp[0] = '\0';
    return -1;
  }
  if (o->mode >= 0 && fchmod(o->fd, (mode_t)o->mode) != 0) {
    c837_error_first(&o->err, C837_EIO, 0, 0,
                     "cannot set the mode of %.180s: %.60s", o->tmp,
                     strerror(errno));
    close(o->fd);
    o->fd = -1;
    unlinkat(dfd, o->tmp + dl, 0);
    o->tmp[0] = '\0';
    return -1;
  }
  return 0;
}

/* The last component of the temporary file's name (in o->dirfd). */
static const char *tmp_base(const c837_out *o)
{
  const char *slash = strrchr(o->tmp, '/');
  return slash ? slash + 1 : o->tmp;
}

/* A file: its directories, then its temporary file beside the final
 * name. */
static c837_status open_file(c837_out *o)
{
  const char *base = NULL;

  o->failed = 1; /* until it is open */
  if (strlen(o->path) + 32 >= sizeof o->path)
    return c837_error_first(&o->err, C837_EIO, 0, 0,
                            "path too long: %.200s", o->path);
  o->dirfd = open_parent(o, &base);
  if (o->dirfd < 0)
    return o->err.code;
  if (create_tmp(o, o->dirfd, base) != 0) {
    close(o->dirfd);
    o->dirfd = -1;
    return o->err.code;
  }
  /* a gzip output that may pass its input through starts no deflater */
  if (o->gzip && !o->pass)
    o->dz = c837_deflater_start(o->fd, o->level >= 0 && o->level <= 9
                                           ? o->level
                                           : C837_GZIP_LEVEL_DEFAULT);
  else if (!o->gzip && (o->fp = fdopen(o->fd, "wb")) != NULL) {
    /* one write per C837_OUT_BUFFER bytes, not per 4 KB (st_blksize):
     * a small file is one write; no fstat to size stdio's own buffer */
    o->iobuf = malloc(C837_OUT_BUFFER);
    if (o->iobuf)
      (void)setvbuf(o->fp, o->iobuf, _IOFBF, C837_OUT_BUFFER);
  }
  if (!o->dz && !o->fp && !o->pass) {
    close(o->fd);
    o->fd = -1;
    unlinkat(o->dirfd, tmp_base(o), 0);
    close(o->dirfd);
    o->dirfd = -1;
    o->tmp[0] = '\0';
    return c837_error_first(&o->err, C837_ENOMEM, 0, 0,
                            "cannot start writing %.200s", o->path);
  }
  o->failed = 0;
  return C837_OK;
}

/* Opens o unless it is open or has failed; 0 or -1 (o->err). */
static int open_out(c837_out *o)
{
  if (!o->failed && !o->opened)
    o->opened = (o->to_stdout ? open_stdout(o) : open_file(o)) == C837_OK;
  return o->failed ? -1 : 0;
}

c837_status c837_out_open(c837_out *o, c837_error *err)
{
  if (open_out(o) == 0)
    return C837_OK;
  *err = o->err;
  return o->err.code != C837_OK ? o->err.code : C837_EIO;
}

/* ---- gzip: the deflater ------------------------------------------- */

int c837_out_dz_write(c837_out *o, const void *p, size_t n)
{
  if (c837_deflater_write(o->dz, p, n) != 0) {
    c837_out_fail(o, C837_EIO, strerror(c837_deflater_errno(o->dz)));
    return -1;
  }
  return 0;
}

/* Every C837_WRITEBACK_STEP bytes: the kernel is asked to start writing
 * the file's dirty pages out now (it does not wait for them), so that
 * the syncfs or fsync at the end finds little left to write.  Only a
 * hint: its failure changes nothing (the final sync reports errors). */
static void kick(c837_out *o, size_t n)
{
  o->unkicked += n;
  if (o->unkicked < C837_WRITEBACK_STEP || o->fd < 0)
    return;
  o->unkicked = 0;
#ifdef SYNC_FILE_RANGE_WRITE
  (void)sync_file_range(o->fd, 0, 0, SYNC_FILE_RANGE_WRITE);
#endif
}

int c837_out_write(void *ud, const void *p, size_t n)
{
  c837_out *o = ud;
  if (o->failed)
    return -1;
  if (open_out(o) != 0)
    return -1;
  if (n == 0)
    return 0;
  kick(o, n);
  if (o->pass)
    return c837_out_pass_write(o, p, n);
  if (o->dz)
    return c837_out_dz_write(o, p, n);
  if (fwrite(p, 1, n, o->fp) != n) {
    c837_out_fail(o, C837_EIO, strerror(errno ? errno : EIO));
    return -1;
  }
  return 0;
}

FILE *c837_out_fp(c837_out *o)
{
  return o->fp;
}

/* Flushes, syncs and closes the temporary file, which keeps its name. */
static void close_file(c837_out *o)
{
  int bad = 0, e = 0;
  if (o->fp) {
    if (fflush(o->fp) != 0 || ferror(o->fp) ||
        (!o->nosync && fsync(o->fd) != 0)) {
      bad = 1;
      e = errno;
    }
    if (fclose(o->fp) != 0 && !bad) {
      bad = 1;
      e = errno;
    }
    free(o->iobuf);
    o->iobuf = NULL;
  } else if (o->gzip) {
    /* the input's own bytes, or the deflater's stream ended */
    if (o->pass && c837_out_pass_close(o) != 0)
      return; /* o failed (and was aborted) */
    if (o->dz) {
      e = c837_deflater_finish(o->dz);
      o->dz = NULL;
      bad = e != 0;
    }
    if (!bad && !o->nosync && fsync(o->fd) != 0) {
      bad = 1;
      e = errno;
    }
    if (close(o->fd) != 0 && !bad) {
      bad = 1;
      e = errno;
    }
  }
  o->fp = NULL;
  o->fd = -1;
  o->closed = 1;
  if (bad)
    c837_out_fail(o, C837_EIO, strerror(e ? e : EIO));
}

/* Ends standard output: the gzip stream's trailer, or a flush. */
static void close_stdout(c837_out *o)
{
  if (o->dz) {
    int e = c837_deflater_finish(o->dz);
    o->dz = NULL;
    if (close(o->dz_fd) != 0 && !e)
      e = errno;
    o->dz_fd = -1;
    if (e)
      c837_out_fail(o, C837_EIO, strerror(e));
  } else if (fflush(stdout) != 0) {
    c837_out_fail(o, C837_EIO, strerror(errno));
  }
  o->closed = 1;
}

c837_status c837_out_close(c837_out *o, int force, c837_error *err)
{
  if (!o->failed && !o->closed) {
    if (o->to_stdout)
      close_stdout(o);
    else if (o->opened || (force && open_out(o) == 0))
      close_file(o);
  }
  if (o->failed) {
    c837_out_abort(o);
    *err = o->err;
    return o->err.code != C837_OK ? o->err.code : C837_EIO;
  }
  return C837_OK;
}

/* Closes the directory of a file output, once it is no longer needed
 * (only an output that was opened has one: a c837_out merely cleared
 * to zero has never been given descriptor 0). */
static void close_dir(c837_out *o)
{
  if (o->opened && o->dirfd >= 0)
    close(o->dirfd);
  o->dirfd = -1;
}

c837_status c837_out_publish(c837_out *o, c837_error *err)
{
  c837_status st;
  const char *base;
  if (o->to_stdout || !o->opened || o->published)
    return C837_OK;
  if ((st = c837_out_close(o, 0, err)) != C837_OK)
    return st;
  base = o->path + dir_len(o->path);
  base += *base == '/';
  if (renameat(o->dirfd, tmp_base(o), o->dirfd, base) != 0) {
    c837_out_fail(o, C837_EIO, strerror(errno));
    c837_out_abort(o);
    *err = o->err;
    return C837_EIO;
  }
  o->published = 1;
  if (o->sync_dir && fsync(o->dirfd) != 0) {
    /* the file has its name, but the name may not be on disk yet */
    c837_error_first(&o->err, C837_EIO, 0, 0,
                     "cannot sync the directory of %.200s to disk: %.60s",
                     o->path, strerror(errno));
    o->failed = 1;
    close_dir(o);
    *err = o->err;
    return C837_EIO;
  }
  close_dir(o);
  return C837_OK;
}

c837_status c837_out_commit(c837_out *o, c837_error *err)
{
  c837_status st = c837_out_close(o, 1, err);
  return st != C837_OK ? st : c837_out_publish(o, err);
}

c837_status c837_out_commit_all(c837_out *const *v, const int *force,
                                size_t n, c837_error *err)
{
  size_t i;
  c837_status st = C837_OK;
  for (i = 0; i < n && st == C837_OK; i++)
    st = c837_out_close(v[i], force[i], err);
  for (i = 0; i < n && st == C837_OK; i++)
    st = c837_out_publish(v[i], err);
  if (st != C837_OK) {
    for (i = 0; i < n; i++) {
      if (v[i]->published) {
        unlink(v[i]->path);
        v[i]->published = 0;
      }
      c837_out_abort(v[i]);
    }
  }
  return st;
}

void c837_out_abort(c837_out *o)
{
  c837_out_pass_free(o);
  if (o->dz && o->to_stdout) {
    /* what went out cannot be taken back: the stream is ended */
    (void)c837_deflater_finish(o->dz);
    close(o->dz_fd);
    o->dz_fd = -1;
  } else if (o->dz) {
    c837_deflater_abort(o->dz);
  }
  if (o->fp && !o->to_stdout) {
    fclose(o->fp);
    free(o->iobuf);
    o->iobuf = NULL;
  } else if (o->gzip && o->opened && !o->to_stdout && o->fd >= 0)
    close(o->fd);
  o->dz = NULL;
  o->fp = NULL;
  o->fd = -1;
  if (!o->to_stdout && o->opened && !o->published && o->tmp[0] &&
      o->dirfd >= 0)
    unlinkat(o->dirfd, tmp_base(o), 0);
  close_dir(o);
  o->tmp[0] = '\0';
  o->closed = 1;
}

c837_status c837_syncfs(const char *dir, c837_error *err)
{
  int fd = open(dir, O_RDONLY | O_DIRECTORY);
  int bad = fd < 0 || syncfs(fd) != 0;
  int e = errno;
  if (fd >= 0)
    close(fd);
  if (bad)
    return c837_error_set(err, C837_EIO, 0, 0,
                          "cannot sync %.180s to disk: %.60s", dir,
                          strerror(e));
  return C837_OK;
}
