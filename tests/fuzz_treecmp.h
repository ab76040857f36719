/* fuzz_treecmp.h -- two directory trees compared byte for byte, for the
 * fuzz harnesses (tests/fuzz_pipeline.c, check 9: the fast path against
 * --no-fast-path)
 *
 * fuzz_tree_diff(a, b, why, whysz) walks both trees in sorted order and
 * returns 0 when they hold the same names (files and directories alike)
 * and every file has the same bytes, else 1 with the first difference
 * in why: "NAME: only in A", "NAME: sizes 10 and 11", "NAME: byte 7
 * differs", "NAME: a file and a directory".  Symbolic links, devices and
 * other special files are not expected in a run's output and count as a
 * difference.  Out of memory or an unreadable entry abort()s: a harness
 * failure, not a finding.  Header-only (static functions), like
 * tests/testgz.h.
 */
#ifndef CART837_FUZZ_TREECMP_H
#define CART837_FUZZ_TREECMP_H

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int fuzz_tree_by_name(const void *a, const void *b)
{
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The sorted names of directory path (not "." and ".."), NULL-ended;
 * NULL when path is no directory. */
static char **fuzz_tree_names(const char *path, size_t *n)
{
  DIR *d = opendir(path);
  struct dirent *e;
  char **v = NULL, **nv;
  size_t cap = 0;
  *n = 0;
  if (!d)
    return NULL;
  while ((e = readdir(d)) != NULL) {
    if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
      continue;
    if (*n + 2 > cap) {
      cap = cap ? cap * 2 : 16;
      if (!(nv = realloc(v, cap * sizeof *v)))
        abort();
      v = nv;
    }
    if (!(v[(*n)++] = strdup(e->d_name)))
      abort();
  }
  closedir(d);
  if (!v && !(v = calloc(1, sizeof *v)))
    abort();
  v[*n] = NULL;
  qsort(v, *n, sizeof *v, fuzz_tree_by_name);
  return v;
}

static void fuzz_tree_free(char **v)
{
  size_t i;
  for (i = 0; v && v[i]; i++)
    free(v[i]);
  free(v);
}

/* 0 when the regular files a and b have the same bytes. */
static int fuzz_file_diff(const char *a, const char *b, const char *name,
                          char *why, size_t whysz)
{
  FILE *fa = fopen(a, "rb"), *fb = fopen(b, "rb");
  char ba[8192], bb[8192];
  size_t na, nb, i, off = 0;
  int rc = 0;
  if (!fa || !fb)
    abort();
  do {
    na = fread(ba, 1, sizeof ba, fa);
    nb = fread(bb, 1, sizeof bb, fb);
    for (i = 0; i < na && i < nb && ba[i] == bb[i]; i++)
      ;
    if (i < na || i < nb) {
      snprintf(why, whysz, "%s: byte %zu differs%s", name, off + i,
               i == na || i == nb ? " (one ends there)" : "");
      rc = 1;
      break;
    }
    off += na;
  } while (na > 0);
  if (ferror(fa) || ferror(fb))
    abort();
  fclose(fa);
  fclose(fb);
  return rc;
}

/* The trees under a and b, rel naming where we are ("" at the top). */
static int fuzz_tree_diff_at(const char *a, const char *b, const char *rel,
                             char *why, size_t whysz)
{
  size_t na, nb, i, j;
  char **va = fuzz_tree_names(a, &na), **vb = fuzz_tree_names(b, &nb);
  int rc = 0;
  if (!va || !vb)
    abort();
  for (i = j = 0; !rc && (i < na || j < nb);) {
    int c = i == na ? 1 : j == nb ? -1 : strcmp(va[i], vb[j]);
    char pa[1024], pb[1024], sub[1024];
    struct stat sa, sb;
    if (c != 0) {
      snprintf(why, whysz, "%s%s: only in %s", rel, c < 0 ? va[i] : vb[j],
               c < 0 ? a : b);
      rc = 1;
      break;
    }
    snprintf(pa, sizeof pa, "%s/%s", a, va[i]);
    snprintf(pb, sizeof pb, "%s/%s", b, vb[j]);
    snprintf(sub, sizeof sub, "%s%s", rel, va[i]);
    if (lstat(pa, &sa) != 0 || lstat(pb, &sb) != 0)
      abort();
    if (S_ISDIR(sa.st_mode) && S_ISDIR(sb.st_mode)) {
      strncat(sub, "/", sizeof sub - strlen(sub) - 1);
      rc = fuzz_tree_diff_at(pa, pb, sub, why, whysz);
    } else if (!S_ISREG(sa.st_mode) || !S_ISREG(sb.st_mode)) {
      snprintf(why, whysz, "%s: not two regular files", sub);
      rc = 1;
    } else if (sa.st_size != sb.st_size) {
      snprintf(why, whysz, "%s: sizes %lld and %lld", sub,
               (long long)sa.st_size, (long long)sb.st_size);
      rc = 1;
    } else {
      rc = fuzz_file_diff(pa, pb, sub, why, whysz);
    }
    i++;
    j++;
  }
  fuzz_tree_free(va);
  fuzz_tree_free(vb);
  return rc;
}

/* See the file's comment. */
static int fuzz_tree_diff(const char *a, const char *b, char *why,
                          size_t whysz)
{
  return fuzz_tree_diff_at(a, b, "", why, whysz);
}

#endif
