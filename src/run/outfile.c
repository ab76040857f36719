/* outfile.c -- output files that appear only when complete
 *
 * Every file a run writes (corrected and held 837s, reports, the ledger)
 * goes through here: it is written to a hidden temporary file in the
 * directory of its final name, then flushed, fsync'd and renamed, so a run
 * that fails or is killed never leaves a half-written file under a final
 * name (rename is atomic within one file system).  The job may skip the
 * per-file fsync (c837_outfile_nosync) and sync the whole file system
 * once instead (c837_outfile_syncfs) before it commits its reports and
 * ledger.  gzip output goes through zlib's gzdopen on the same
 * descriptor.
 */
#define _GNU_SOURCE /* syncfs */
#include "run/job_int.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

struct c837_outfile {
  char path[PATH_MAX];
  char tmp[PATH_MAX];
  int fd;
  FILE *fp;   /* plain output */
  gzFile gz;  /* gzip output */
  int failed; /* a write failed; errno kept in err_no */
  int err_no;
  int closed; /* flushed, synced and closed; only the rename is left */
  int nosync; /* closing does not fsync (c837_outfile_nosync) */
};

c837_status c837_mkdirs(const char *dir, c837_error *err)
{
  char buf[PATH_MAX];
  size_t i, n = strlen(dir);
  if (n == 0)
    return C837_OK;
  if (n >= sizeof buf) {
    err->code = C837_EIO;
    snprintf(err->msg, sizeof err->msg, "path too long: %.200s", dir);
    return C837_EIO;
  }
  memcpy(buf, dir, n + 1);
  for (i = 1; i <= n; i++) {
    if (buf[i] == '/' || buf[i] == '\0') {
      char c = buf[i];
      buf[i] = '\0';
      if (mkdir(buf, 0777) != 0 && errno != EEXIST) {
        err->code = C837_EIO;
        snprintf(err->msg, sizeof err->msg, "cannot create directory "
                 "%.180s: %.60s", buf, strerror(errno));
        return C837_EIO;
      }
      buf[i] = c;
    }
  }
  return C837_OK;
}

c837_outfile *c837_outfile_open(const char *path, int gzip, c837_error *err)
{
  c837_outfile *of = calloc(1, sizeof *of);
  char dir[PATH_MAX];
  const char *slash;
  size_t dl;

  memset(err, 0, sizeof *err);
  if (!of) {
    err->code = C837_ENOMEM;
    snprintf(err->msg, sizeof err->msg, "out of memory");
    return NULL;
  }
  if (strlen(path) + 32 >= sizeof of->path) {
    err->code = C837_EIO;
    snprintf(err->msg, sizeof err->msg, "path too long: %.200s", path);
    free(of);
    return NULL;
  }
  memcpy(of->path, path, strlen(path) + 1); /* length checked above */
  slash = strrchr(path, '/');
  dl = slash ? (size_t)(slash - path) : 0;
  memcpy(dir, path, dl);
  dir[dl] = '\0';
  if (dl && c837_mkdirs(dir, err) != C837_OK) {
    free(of);
    return NULL;
  }
  snprintf(of->tmp, sizeof of->tmp, "%.*s%s.%s.tmp-XXXXXX", (int)dl, path,
           dl ? "/" : "", slash ? slash + 1 : path);
  of->fd = mkstemp(of->tmp);
  if (of->fd < 0) {
    err->code = C837_EIO;
    snprintf(err->msg, sizeof err->msg, "cannot create %.180s: %.60s",
             of->tmp, strerror(errno));
    free(of);
    return NULL;
  }
  (void)fchmod(of->fd, 0644 & ~0u);
  if (gzip) {
    of->gz = gzdopen(of->fd, "wb6");
  } else {
    of->fp = fdopen(of->fd, "wb");
  }
  if (!of->gz && !of->fp) {
    err->code = C837_ENOMEM;
    snprintf(err->msg, sizeof err->msg, "cannot start writing %.200s",
             path);
    close(of->fd);
    unlink(of->tmp);
    free(of);
    return NULL;
  }
  return of;
}

int c837_outfile_write(void *ud, const void *p, size_t n)
{
  c837_outfile *of = ud;
  if (of->failed)
    return -1;
  if (n == 0)
    return 0;
  if (of->gz) {
    while (n) {
      unsigned k = n > (1u << 30) ? (1u << 30) : (unsigned)n;
      if (gzwrite(of->gz, p, k) != (int)k) {
        of->failed = 1;
        of->err_no = errno ? errno : EIO;
        return -1;
      }
      p = (const char *)p + k;
      n -= k;
    }
    return 0;
  }
  if (fwrite(p, 1, n, of->fp) != n) {
    of->failed = 1;
    of->err_no = errno ? errno : EIO;
    return -1;
  }
  return 0;
}

FILE *c837_outfile_fp(c837_outfile *of)
{
  return of->fp;
}

void c837_outfile_nosync(c837_outfile *of)
{
  of->nosync = 1;
}

c837_status c837_outfile_syncfs(const char *dir, c837_error *err)
{
  int fd = open(dir, O_RDONLY | O_DIRECTORY);
  int bad = fd < 0 || syncfs(fd) != 0;
  int e = errno;
  if (fd >= 0)
    close(fd);
  if (bad) {
    err->code = C837_EIO;
    snprintf(err->msg, sizeof err->msg, "cannot sync %.180s to disk: %.60s",
             dir, strerror(e));
    return C837_EIO;
  }
  return C837_OK;
}

c837_status c837_outfile_close(c837_outfile *of, c837_error *err)
{
  int bad = of->failed, e = of->err_no;
  if (of->closed)
    return C837_OK;
  if (!bad && of->fp) {
    if (fflush(of->fp) != 0 || ferror(of->fp) ||
        (!of->nosync && fsync(of->fd) != 0)) {
      bad = 1;
      e = errno;
    }
  } else if (!bad && of->gz) {
    /* gzflush then fsync before gzclose releases the descriptor */
    if (gzflush(of->gz, Z_FINISH) != Z_OK ||
        (!of->nosync && fsync(of->fd) != 0)) {
      bad = 1;
      e = errno ? errno : EIO;
    }
  }
  if (of->fp) {
    if (fclose(of->fp) != 0 && !bad) {
      bad = 1;
      e = errno;
    }
  } else if (of->gz) {
    if (gzclose_w(of->gz) != Z_OK && !bad) {
      bad = 1;
      e = EIO;
    }
  }
  of->fp = NULL;
  of->gz = NULL;
  of->closed = 1;
  if (bad) {
    of->failed = 1;
    err->code = C837_EIO;
    snprintf(err->msg, sizeof err->msg, "cannot write %.180s: %.60s",
             of->path, strerror(e ? e : EIO));
    return C837_EIO;
  }
  return C837_OK;
}

c837_status c837_outfile_publish(c837_outfile *of, c837_error *err)
{
  c837_status st = of->closed ? C837_OK : c837_outfile_close(of, err);
  if (st == C837_OK && !of->failed && rename(of->tmp, of->path) != 0) {
    err->code = st = C837_EIO;
    snprintf(err->msg, sizeof err->msg, "cannot write %.180s: %.60s",
             of->path, strerror(errno));
  }
  if (st != C837_OK || of->failed)
    unlink(of->tmp);
  free(of);
  return st != C837_OK ? st : C837_OK;
}

const char *c837_outfile_path(const c837_outfile *of)
{
  return of->path;
}

c837_status c837_outfile_commit(c837_outfile *of, c837_error *err)
{
  if (c837_outfile_close(of, err) != C837_OK) {
    c837_outfile_abort(of);
    return C837_EIO;
  }
  return c837_outfile_publish(of, err);
}

void c837_outfile_abort(c837_outfile *of)
{
  if (!of)
    return;
  if (of->fp)
    fclose(of->fp);
  else if (of->gz)
    gzclose_w(of->gz);
  of->fp = NULL;
  of->gz = NULL;
  unlink(of->tmp);
  free(of);
}
