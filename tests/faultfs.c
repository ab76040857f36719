/* faultfs.c -- file-system faults on demand, for tests/e2e_hostile.sh
 *
 * Not part of cart837.  tests/e2e_hostile.sh builds this file into a
 * shared object and preloads it (LD_PRELOAD) into the cart837 binary, so
 * that a fault a real disk cannot be asked for -- a file removed between
 * the directory walk and its reading, a file cut short while it is being
 * read, an fsync or a rename that fails -- happens at one exact point of
 * a run, every time.  It wraps open, read, fsync, rename and renameat of
 * the C library; glibc's own calls from inside stdio do not come through here,
 * only cart837's direct calls (input.c reads with read(), sink.c
 * syncs with fsync() and renames with renameat()).
 *
 * Each fault is chosen by an environment variable:
 *
 *   FAULTFS_UNLINK=TRIGGER:N:VICTIM  once, right after the N-th
 *                        successful open() of a file whose base name is
 *                        TRIGGER, the file VICTIM (a path) is removed
 *   FAULTFS_TRUNCATE=NAME:N:SIZE  once, right after the first read()
 *                        that returns data from the N-th open() of a
 *                        file whose base name is NAME, that file is
 *                        truncated to SIZE bytes
 *   FAULTFS_FSYNC=TEXT   every fsync() of a file whose path contains TEXT
 *                        fails with ENOSPC (as on a full disk whose
 *                        blocks are allocated at write-back)
 *   FAULTFS_FSYNC_DIR=TEXT  every fsync() of a directory whose path ends
 *                        with TEXT fails with EIO (the sync of a rename)
 *   FAULTFS_RENAME=TEXT  every rename() or renameat() to a path containing
 *                        TEXT fails with EIO (renameat's target is taken
 *                        as its directory's path, '/', the name)
 *
 * Each fault that happens is logged on stderr as "faultfs: ..." so that
 * a test can check it did.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

static int unlink_done, unlink_seen, truncate_seen, truncate_fd = -1;

static const char *base_name(const char *p)
{
  const char *s = strrchr(p, '/');
  return s ? s + 1 : p;
}

/* The path an open descriptor names, or "" when unknown. */
static void fd_path(int fd, char *buf, size_t sz)
{
  char link[64];
  ssize_t n;
  snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
  n = readlink(link, buf, sz - 1);
  buf[n > 0 ? n : 0] = '\0';
}

/* Splits "A:REST" at its first ':': A into a (size sz); returns REST,
 * or NULL when there is no ':' or A does not fit. */
static const char *split(const char *s, char *a, size_t sz)
{
  const char *c = strchr(s, ':');
  if (!c || (size_t)(c - s) >= sz)
    return NULL;
  memcpy(a, s, (size_t)(c - s));
  a[c - s] = '\0';
  return c + 1;
}

/* After open() of path gave fd: arms the truncate fault on the N-th open
 * of its file, fires the unlink fault after the N-th open of its
 * trigger. */
static void after_open(const char *path, int fd)
{
  const char *spec = getenv("FAULTFS_TRUNCATE"), *rest, *victim;
  char trigger[256], nth[32];
  if (fd >= 0 && spec && (rest = split(spec, trigger, sizeof trigger)) &&
      split(rest, nth, sizeof nth) &&
      strcmp(base_name(path), trigger) == 0 && ++truncate_seen == atoi(nth))
    truncate_fd = fd;
  spec = getenv("FAULTFS_UNLINK");
  if (fd < 0 || !spec || unlink_done)
    return;
  if (!(rest = split(spec, trigger, sizeof trigger)) ||
      !(victim = split(rest, nth, sizeof nth)))
    return;
  if (strcmp(base_name(path), trigger) != 0 || ++unlink_seen != atoi(nth))
    return;
  unlink_done = 1;
  if (unlink(victim) == 0)
    fprintf(stderr, "faultfs: removed %s after open #%d of %s\n", victim,
            unlink_seen, trigger);
  else
    fprintf(stderr, "faultfs: could not remove %s: %s\n", victim,
            strerror(errno));
}

/* The real open or open64 (sym), then the unlink / truncate bookkeeping. */
static int open_as(const char *sym, const char *path, int flags, mode_t mode)
{
  int (*real)(const char *, int, ...);
  int fd;
  *(void **)&real = dlsym(RTLD_NEXT, sym);
  fd = real(path, flags, mode);
  after_open(path, fd);
  return fd;
}

/* open(), and open64() which a build with _FILE_OFFSET_BITS=64 calls. */
#define FAULTFS_OPEN(name)                                                \
  int name(const char *path, int flags, ...)                              \
  {                                                                       \
    mode_t mode = 0;                                                      \
    va_list ap;                                                           \
    va_start(ap, flags);                                                  \
    if (flags & (O_CREAT | O_TMPFILE))                                    \
      mode = (mode_t)va_arg(ap, int);                                     \
    va_end(ap);                                                           \
    return open_as(#name, path, flags, mode);                             \
  }
FAULTFS_OPEN(open)
FAULTFS_OPEN(open64)

ssize_t read(int fd, void *buf, size_t n)
{
  static ssize_t (*real)(int, void *, size_t);
  const char *spec = getenv("FAULTFS_TRUNCATE");
  ssize_t got;
  if (!real)
    *(void **)&real = dlsym(RTLD_NEXT, "read");
  got = real(fd, buf, n);
  if (got > 0 && spec && fd == truncate_fd) {
    char name[256], nth[32], path[4096];
    const char *rest = split(spec, name, sizeof name);
    const char *size = rest ? split(rest, nth, sizeof nth) : NULL;
    truncate_fd = -1;
    fd_path(fd, path, sizeof path);
    if (size && truncate(path, (off_t)atoll(size)) == 0)
      fprintf(stderr, "faultfs: truncated %s to %s bytes\n", path, size);
    else
      fprintf(stderr, "faultfs: could not truncate %s: %s\n", path,
              strerror(errno));
  }
  return got;
}

int fsync(int fd)
{
  static int (*real)(int);
  const char *spec = getenv("FAULTFS_FSYNC");
  const char *dspec = getenv("FAULTFS_FSYNC_DIR");
  char path[4096];
  struct stat sb;
  if (!real)
    *(void **)&real = dlsym(RTLD_NEXT, "fsync");
  if (spec && *spec) {
    fd_path(fd, path, sizeof path);
    if (strstr(path, spec)) {
      fprintf(stderr, "faultfs: fsync of %s fails (ENOSPC)\n", path);
      errno = ENOSPC;
      return -1;
    }
  }
  if (dspec && *dspec && fstat(fd, &sb) == 0 && S_ISDIR(sb.st_mode)) {
    size_t n, m = strlen(dspec);
    fd_path(fd, path, sizeof path);
    n = strlen(path);
    if (n >= m && strcmp(path + n - m, dspec) == 0) {
      fprintf(stderr, "faultfs: fsync of directory %s fails (EIO)\n", path);
      errno = EIO;
      return -1;
    }
  }
  return real(fd);
}

/* 1 (and the message) when a rename to `to` must fail. */
static int rename_fails(const char *to)
{
  const char *spec = getenv("FAULTFS_RENAME");
  if (spec && *spec && strstr(to, spec)) {
    fprintf(stderr, "faultfs: rename to %s fails (EIO)\n", to);
    errno = EIO;
    return 1;
  }
  return 0;
}

int rename(const char *from, const char *to)
{
  static int (*real)(const char *, const char *);
  if (!real)
    *(void **)&real = dlsym(RTLD_NEXT, "rename");
  if (rename_fails(to))
    return -1;
  return real(from, to);
}

int renameat(int fromfd, const char *from, int tofd, const char *to)
{
  static int (*real)(int, const char *, int, const char *);
  char path[4096];
  if (!real)
    *(void **)&real = dlsym(RTLD_NEXT, "renameat");
  if (to[0] == '/' || tofd == AT_FDCWD) {
    snprintf(path, sizeof path, "%s", to);
  } else {
    size_t n;
    fd_path(tofd, path, sizeof path);
    n = strlen(path);
    snprintf(path + n, sizeof path - n, "/%s", to);
  }
  if (rename_fails(path))
    return -1;
  return real(fromfd, from, tofd, to);
}
