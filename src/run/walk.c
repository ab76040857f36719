/* walk.c -- turning command-line inputs into files of a run
 *
 * A run takes files, directories and "-".  Directories are walked
 * recursively in sorted path order (strcmp, never the locale, so that the
 * order -- and therefore every report -- is the same on every machine).
 * A file in a directory is taken only when its content is an X12
 * interchange: it starts with "ISA", a UTF-8 byte-order mark and "ISA", or
 * gzip whose decompressed content starts so.  Everything else is recorded
 * as skipped with its reason, as are unreadable files, symlink loops and
 * two inputs that would write the same output name; the run goes on.
 * Running out of memory while listing a directory or looking at a file
 * says nothing about the input: that input fails (C837_ENOMEM, an error
 * row) instead of being skipped.
 */
#include "run/job_int.h"
#include "base/limits.h"
#include "base/map.h"
#include "base/util.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Directories on the current walk path, to stop symlink loops. */
typedef struct dir_id {
  dev_t dev;
  ino_t ino;
} dir_id;


/* 1 when a and b would write the same output: the same name, or one is
 * "held/" + the other (its corrected output is the other's held one). */

/* 1 when a file not skipped is named exactly name. */
static int name_in(const c837_job *j, const char *name)
{
  size_t mask = j->names_cap - 1, k;
  if (!j->names_cap)
    return 0;
  for (k = (size_t)c837_hash_str(name) & mask; j->names[k];
       k = (k + 1) & mask)
    if (strcmp(j->files[j->names[k] - 1].name, name) == 0)
      return 1;
  return 0;
}

/* Adds the files recorded since the last call to the name hash.  Returns
 * -1 when out of memory. */
static int index_names(c837_job *j)
{
  for (; j->n_named < j->n_files; j->n_named++) {
    size_t mask, k;
    if (j->files[j->n_named].skipped)
      continue;
    if (2 * (j->names_used + 1) > j->names_cap) {
      size_t cap = j->names_cap ? 2 * j->names_cap : 64, i;
      size_t *t = calloc(cap, sizeof *t);
      if (!t)
        return -1;
      for (i = 0; i < j->names_cap; i++) {
        if (!j->names[i])
          continue;
        k = (size_t)c837_hash_str(j->files[j->names[i] - 1].name) &
            (cap - 1);
        while (t[k])
          k = (k + 1) & (cap - 1);
        t[k] = j->names[i];
      }
      free(j->names);
      j->names = t;
      j->names_cap = cap;
    }
    mask = j->names_cap - 1;
    for (k = (size_t)c837_hash_str(j->files[j->n_named].name) & mask;
         j->names[k];
         k = (k + 1) & mask)
      ;
    j->names[k] = j->n_named + 1;
    j->names_used++;
  }
  return 0;
}

/* The input `name` fails because the name hash could not grow. */
static c837_status fail_oom(c837_job *j, const char *name)
{
  c837_error err;
  memset(&err, 0, sizeof err);
  err.code = C837_ENOMEM;
  snprintf(err.msg, sizeof err.msg, "out of memory");
  return c837_job_fail_input(j, name, &err);
}

/* 1 when an input already processed writes the output name (or its
 * held/ name), -1 when out of memory. */
static int name_taken(c837_job *j, const char *name)
{
  char held[PATH_MAX + 8];
  if (index_names(j) != 0)
    return -1;
  if (name_in(j, name))
    return 1;
  if (strncmp(name, "held/", 5) == 0 && name_in(j, name + 5))
    return 1;
  if (snprintf(held, sizeof held, "held/%s", name) < (int)sizeof held &&
      name_in(j, held))
    return 1;
  return 0;
}

/* 1 when the content is an X12 interchange, 0 when not (*why says what
 * it starts with), -1 when it cannot be read (*why says why, *err the
 * error: C837_ENOMEM is not a property of the file).  Accepts what the
 * tokenizer accepts before the first ISA: a byte-order mark, then CR, LF,
 * blanks and tabs. */
static int sniff(const char *path, char *why, size_t whysz, c837_error *err)
{
  c837_input *in = c837_input_open(path, err);
  unsigned char b[C837_SNIFF_BYTES];
  long n = 0, got = 0, k = 0;
  if (!in) {
    snprintf(why, whysz, "unreadable: %s", err->msg);
    return -1;
  }
  while (got < (long)sizeof b &&
         (n = c837_input_read(in, b + got, sizeof b - (size_t)got, err)) > 0)
    got += n;
  c837_input_close(in);
  if (got < 0 || n < 0) {
    snprintf(why, whysz, "unreadable: %s", err->msg);
    return -1;
  }
  if (got >= 3 && memcmp(b, "\xEF\xBB\xBF", 3) == 0)
    k = 3;
  while (k < got && (b[k] == '\r' || b[k] == '\n' || b[k] == ' ' ||
                     b[k] == '\t'))
    k++;
  if (got - k >= 3 && memcmp(b + k, "ISA", 3) == 0)
    return 1;
  if (k == got && got == (long)sizeof b)
    return 1; /* a long run of blank lines: the parser judges the rest */
  if (got == 0) {
    snprintf(why, whysz, "not an X12 interchange: empty file");
  } else {
    char ex[40];
    c837_excerpt(ex, sizeof ex, (const char *)b,
                 got < 8 ? (size_t)got : 8);
    snprintf(why, whysz, "not an X12 interchange: starts with '%s'", ex);
  }
  return 0;
}

static int cmp_names(const struct dirent **a, const struct dirent **b)
{
  return strcmp((*a)->d_name, (*b)->d_name);
}

static c837_status worse(c837_status a, c837_status b)
{
  /* I/O and interruption outrank invalid input */
  if (a == C837_EINTR || b == C837_EINTR)
    return C837_EINTR;
  if (a == C837_OK)
    return b;
  if (b == C837_EIO || b == C837_EGZIP || b == C837_ECONSERVE ||
      b == C837_ENOMEM)
    return b;
  return a;
}

static c837_status walk_dir(c837_job *j, const char *dir, const char *rel,
                            dir_id *stack, int depth)
{
  struct dirent **ents = NULL;
  int n, i, r;
  c837_status st = C837_OK;
  char path[PATH_MAX], name[PATH_MAX];

  n = scandir(dir, &ents, NULL, cmp_names);
  if (n < 0 && errno == ENOMEM) {
    c837_error err;
    memset(&err, 0, sizeof err);
    err.code = C837_ENOMEM;
    snprintf(err.msg, sizeof err.msg, "cannot list directory %.200s: %s",
             dir, strerror(ENOMEM));
    return c837_job_fail_input(j, *rel ? rel : dir, &err);
  }
  if (n < 0) {
    char why[PATH_MAX + 64];
    snprintf(why, sizeof why, "unreadable directory: %s", strerror(errno));
    c837_job_skip(j, *rel ? rel : dir, why);
    return C837_OK;
  }
  for (i = 0; i < n; i++) {
    const char *e = ents[i]->d_name;
    struct stat sb;
    if (strcmp(e, ".") == 0 || strcmp(e, "..") == 0 ||
        (j->o.cancel && *j->o.cancel))
      continue;
    if (snprintf(path, sizeof path, "%s/%s", dir, e) >= (int)sizeof path ||
        snprintf(name, sizeof name, "%s%s%s", rel, *rel ? "/" : "", e) >=
            (int)sizeof name) {
      c837_job_skip(j, e, "path too long");
      continue;
    }
    if (stat(path, &sb) != 0) {
      char why[128];
      snprintf(why, sizeof why, "%s: %s",
               errno == ELOOP ? "symlink loop" : "cannot stat",
               strerror(errno));
      c837_job_skip(j, name, why);
      continue;
    }
    if (S_ISDIR(sb.st_mode) && sb.st_dev == j->out_dev &&
        sb.st_ino == j->out_ino)
      continue; /* this run's own output directory is not an input */
    if (S_ISDIR(sb.st_mode)) {
      int k, loop = 0;
      for (k = 0; k < depth; k++)
        if (stack[k].dev == sb.st_dev && stack[k].ino == sb.st_ino)
          loop = 1;
      if (loop) {
        c837_job_skip(j, name, "symlink loop: directory already on the walk");
        continue;
      }
      if (depth + 1 >= C837_MAX_WALK_DEPTH) {
        c837_job_skip(j, name, "directory nested deeper than "
                               "C837_MAX_WALK_DEPTH");
        continue;
      }
      stack[depth].dev = sb.st_dev;
      stack[depth].ino = sb.st_ino;
      st = worse(st, walk_dir(j, path, name, stack, depth + 1));
      continue;
    }
    if (!S_ISREG(sb.st_mode)) {
      c837_job_skip(j, name, "not a regular file");
      continue;
    }
    {
      char why[PATH_MAX + 128];
      c837_error err;
      r = sniff(path, why, sizeof why, &err);
      if (r < 0 && err.code == C837_ENOMEM) {
        /* not a property of the file: a failure, not a skip */
        st = worse(st, c837_job_fail_input(j, name, &err));
        continue;
      }
      if (r != 1) {
        c837_job_skip(j, name, why);
        continue;
      }
    }
    if ((r = name_taken(j, name)) < 0) {
      st = worse(st, fail_oom(j, name));
      continue;
    }
    if (r) {
      c837_job_skip(j, name, "another input already writes this output "
                             "name (or its held/ name)");
      continue;
    }
    st = worse(st, c837_job_file(j, path, name));
  }
  for (i = 0; i < n; i++)
    free(ents[i]);
  free(ents);
  return st;
}

c837_status c837_job_input(c837_job *j, const char *path)
{
  struct stat sb;
  const char *base;
  int r;
  if (strcmp(path, "-") == 0)
    return c837_job_file(j, "-", "stdin.837");
  if (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode)) {
    dir_id stack[C837_MAX_WALK_DEPTH];
    stack[0].dev = sb.st_dev;
    stack[0].ino = sb.st_ino;
    return walk_dir(j, path, "", stack, 1);
  }
  base = strrchr(path, '/');
  base = base ? base + 1 : path;
  if (!*base)
    base = path;
  if ((r = name_taken(j, base)) < 0)
    return fail_oom(j, path);
  if (r) {
    c837_job_skip(j, path, "another input already writes this output name");
    return C837_OK;
  }
  /* named explicitly: processed even when it is not an interchange, so
   * that the error says what is wrong with it */
  return c837_job_file(j, path, base);
}
