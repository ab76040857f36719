/* memchr_baseline.c -- the bench's ceiling for a one-pass reader.
 *
 * Reads each file named on the command line (standard input when there is
 * none, or for "-") with read() in 1 MB chunks and counts the '~' bytes
 * (the usual X12 segment terminator) with memchr.  This is the least any
 * streaming tokenizer must do: touch every byte once, from the page cache,
 * with no per-segment work.  scripts/bench.sh builds it with cc -O2 and
 * measures cart837 against it ("x memchr").
 *
 * Prints "BYTES TILDES" (totals over all files) on standard output; exits
 * 0, or 1 with a message naming the file when one cannot be read.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CHUNK (1024 * 1024)

/* Adds the size and the number of '~' of descriptor fd (named name, for
 * messages) to *bytes and *tildes, reading it in chunks of CHUNK bytes
 * into buf.  Returns 0, or -1 after printing why the read failed. */
static int count_fd(int fd, const char *name, char *buf,
                    unsigned long long *bytes, unsigned long long *tildes) {
  for (;;) {
    ssize_t n = read(fd, buf, CHUNK);
    const char *p, *end;
    if (n < 0) {
      if (errno == EINTR)
        continue;
      fprintf(stderr, "memchr_baseline: %s: %s\n", name, strerror(errno));
      return -1;
    }
    if (n == 0)
      return 0;
    *bytes += (unsigned long long)n;
    p = buf;
    end = buf + n;
    while ((p = memchr(p, '~', (size_t)(end - p))) != NULL) {
      ++*tildes;
      ++p;
    }
  }
}

int main(int argc, char **argv) {
  unsigned long long bytes = 0, tildes = 0;
  char *buf = malloc(CHUNK);
  int i, rc = 0;
  if (!buf) {
    fprintf(stderr, "memchr_baseline: out of memory\n");
    return 1;
  }
  if (argc < 2 && count_fd(STDIN_FILENO, "-", buf, &bytes, &tildes) != 0)
    rc = 1;
  for (i = 1; i < argc; i++) {
    int fd = strcmp(argv[i], "-") == 0 ? STDIN_FILENO
                                       : open(argv[i], O_RDONLY);
    if (fd < 0) {
      fprintf(stderr, "memchr_baseline: %s: %s\n", argv[i], strerror(errno));
      rc = 1;
      continue;
    }
    if (count_fd(fd, argv[i], buf, &bytes, &tildes) != 0)
      rc = 1;
    if (fd != STDIN_FILENO)
      close(fd);
  }
  free(buf);
  printf("%llu %llu\n", bytes, tildes);
  return rc;
}
