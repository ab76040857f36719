/* walk.c -- turning command-line inputs into files of a run (walk.h)
 *
 * A run takes files, directories and "-".  Directories are walked
 * recursively in sorted path order (strcmp, never the locale, so that the
 * order -- and therefore every report -- is the same on every machine).
 * A file in a directory is taken only when its content is an X12
 * interchange: it starts with "ISA", a UTF-8 byte-order mark and "ISA", or
 * gzip whose decompressed content starts so.  Everything else is handed
 * to the skip callback with its reason, as are unreadable files, symlink
 * loops and two inputs that would write the same output name; the walk
 * goes on.  Running out of memory while listing a directory or looking
 * at a file says nothing about the input: that input fails (C837_ENOMEM)
 * instead of being skipped.  The output names handed out are kept in a
 * c837_map; the walk knows nothing else of the run.
 */
#include "run/walk.h"
#include "base/err.h"
#include "base/limits.h"
#include "base/util.h"
#include "parse/input_int.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

/* Directories on the current walk path, to stop symlink loops. */
typedef struct dir_id {
  dev_t dev;
  ino_t ino;
} dir_id;

void c837_walk_init(c837_walk *w, const c837_walk_cb *cb,
                    const char *own_dir)
{
  struct stat sb;
  memset(w, 0, sizeof *w);
  w->cb = *cb;
  if (own_dir && stat(own_dir, &sb) == 0) {
    w->has_own = 1;
    w->own_dev = sb.st_dev;
    w->own_ino = sb.st_ino;
  }
}

void c837_walk_free(c837_walk *w)
{
  c837_input_close(w->sniffed);
  w->sniffed = NULL;
  c837_map_free(&w->names);
}

void c837_walk_set_ledger(c837_walk *w, const char *out_dir,
                          const char *ledger)
{
  char o[PATH_MAX], l[PATH_MAX], dir[PATH_MAX];
  const char *base;
  size_t n;
  w->ledger_rel[0] = '\0';
  if (!ledger || snprintf(dir, sizeof dir, "%s", ledger) >= (int)sizeof dir)
    return;
  base = strrchr(ledger, '/');
  if (base) {
    dir[base - ledger + (base == ledger)] = '\0';
    base++;
  } else {
    snprintf(dir, sizeof dir, ".");
    base = ledger;
  }
  if (!realpath(out_dir, o) || !realpath(dir, l))
    return;
  n = strlen(o);
  if (strcmp(l, o) == 0)
    snprintf(w->ledger_rel, sizeof w->ledger_rel, "%s", base);
  else if (strncmp(l, o, n) == 0 && l[n] == '/')
    snprintf(w->ledger_rel, sizeof w->ledger_rel, "%s/%s", l + n + 1, base);
}

/* The names the run's own outputs take (case-insensitively: a file
 * system may ignore case), as the first component of an output name. */
static const char *const own_names[] = {
    "findings.csv", "lines.csv", "summary.txt", "report.html",
    "summary.json", "episodes.csv", "held", "ack"};

static const char own_why[] =
    "its output name is taken by the run's own reports and folders "
    "(findings.csv, lines.csv, summary.txt, report.html, summary.json, "
    "episodes.csv, held/, ack/): rename it to process it";

/* 1 when base looks like a temporary file of a run: .NAME.tmp-XXXXXX */
static int like_tmp(const char *base)
{
  size_t n = strlen(base), i;
  if (base[0] != '.' || n < 12 || memcmp(base + n - 11, ".tmp-", 5) != 0)
    return 0;
  for (i = n - 6; i < n; i++)
    if (!isalnum((unsigned char)base[i]))
      return 0;
  return 1;
}

/* Why output name `name` cannot be handed out because the run's own
 * outputs take it (NULL when it can).  Its output, its held/ and
 * .unparsed names are under the output directory as it is. */
static const char *own_name_why(const c837_walk *w, const char *name)
{
  const char *slash = strchr(name, '/'), *base = strrchr(name, '/');
  size_t first = slash ? (size_t)(slash - name) : strlen(name), k, n;
  for (k = 0; k < sizeof own_names / sizeof own_names[0]; k++)
    if (strlen(own_names[k]) == first &&
        strncasecmp(name, own_names[k], first) == 0)
      return own_why;
  if (like_tmp(base ? base + 1 : name))
    return "its output name looks like one of the run's temporary files "
           "(.NAME.tmp-XXXXXX): rename it to process it";
  n = strlen(w->ledger_rel);
  if (n && strncmp(name, w->ledger_rel, n) == 0 &&
      (name[n] == '\0' || strcmp(name + n, ".lock") == 0))
    return "an output of it would replace the ledger (or its lock) in the "
           "output directory: rename it, or keep the ledger elsewhere";
  return NULL;
}

static int has_name(const c837_walk *w, const char *name)
{
  return c837_map_find(&w->names, name, strlen(name)) != C837_MAP_NONE;
}

/* 1 when, with acknowledgments, the output name is an input's ack/
 * name (ack/M.999 or ack/M.277 of an input M), or its own ack/ names are
 * those of an input already handed out. */
static int ack_taken(const c837_walk *w, const char *name)
{
  char ack[PATH_MAX + 16];
  size_t n = strlen(name);
  if (!w->ack_names)
    return 0;
  if (n > 8 && strncmp(name, "ack/", 4) == 0 &&
      (strcmp(name + n - 4, ".999") == 0 ||
       strcmp(name + n - 4, ".277") == 0) &&
      c837_map_find(&w->names, name + 4, n - 8) != C837_MAP_NONE)
    return 1;
  return (snprintf(ack, sizeof ack, "ack/%s.999", name) < (int)sizeof ack &&
          has_name(w, ack)) ||
         (snprintf(ack, sizeof ack, "ack/%s.277", name) < (int)sizeof ack &&
          has_name(w, ack));
}

/* 1 when an input already handed out writes the output name, or its
 * held/ name (its corrected output is the other's held one, or the
 * reverse), or its ack/ names (ack_taken). */
static int name_taken(const c837_walk *w, const char *name)
{
  char held[PATH_MAX + 8];
  if (has_name(w, name) || ack_taken(w, name))
    return 1;
  if (strncmp(name, "held/", 5) == 0 && has_name(w, name + 5))
    return 1;
  return snprintf(held, sizeof held, "held/%s", name) < (int)sizeof held &&
         has_name(w, held);
}

/* Records the output name; -1 when out of memory. */
static int take_name(c837_walk *w, const char *name)
{
  size_t id;
  return c837_map_intern(&w->names, name, strlen(name), &id) < 0 ? -1 : 0;
}

/* The input `name` fails: the name set could not grow. */
static c837_status fail_oom(c837_walk *w, const char *name)
{
  c837_error err;
  c837_error_set(&err, C837_ENOMEM, 0, 0, "out of memory");
  (void)take_name(w, name);
  return w->cb.fail(w->cb.ud, name, &err);
}

/* Hands out the file at path named name, unless another input writes
 * that name; `why` is the skip reason then. */
static c837_status take_file(c837_walk *w, const char *path,
                             const char *name, const char *skip_as,
                             const char *why)
{
  const char *own;
  if (w->read_only)
    return w->cb.file(w->cb.ud, path, name);
  if (name_taken(w, name)) {
    w->cb.skip(w->cb.ud, skip_as, why);
    return C837_OK;
  }
  if (w->ack_names && strcmp(name, "ack") == 0) {
    w->cb.skip(w->cb.ud, skip_as,
               "the output name 'ack' is the acknowledgments' directory "
               "(--ack)");
    return C837_OK;
  }
  if ((own = own_name_why(w, name)) != NULL) {
    w->cb.skip(w->cb.ud, skip_as, own);
    return C837_OK;
  }
  if (take_name(w, name) != 0)
    return fail_oom(w, skip_as);
  return w->cb.file(w->cb.ud, path, name);
}

/* 1 when the content is an X12 interchange, 0 when not (*why says what
 * it starts with), -1 when it cannot be read (*why says why, *err the
 * error: C837_ENOMEM is not a property of the file).  Accepts what the
 * tokenizer accepts before the first ISA: a byte-order mark, then CR, LF,
 * blanks and tabs. */
static int sniff(c837_walk *w, const char *path, const struct stat *sb,
                 char *why, size_t whysz, c837_error *err)
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
  if (got < 0 || n < 0) {
    c837_input_close(in);
    snprintf(why, whysz, "unreadable: %s", err->msg);
    return -1;
  }
  if (got >= 3 && memcmp(b, "\xEF\xBB\xBF", 3) == 0)
    k = 3;
  while (k < got && (b[k] == '\r' || b[k] == '\n' || b[k] == ' ' ||
                     b[k] == '\t'))
    k++;
  if ((got - k >= 3 && memcmp(b + k, "ISA", 3) == 0) ||
      (k == got && got == (long)sizeof b)) {
    /* taken (a long run of blank lines too: the parser judges the
     * rest); the run reads it from its first byte without opening it
     * again, when the input can go back there */
    if (c837_input_rewind(in) == 0) {
      w->sniffed = in;
      w->sniffed_path = path;
      w->sniffed_sb = *sb;
    } else {
      c837_input_close(in);
    }
    return 1;
  }
  c837_input_close(in);
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

static c837_status walk_dir(c837_walk *w, const char *dir, const char *rel,
                            dir_id *stack, int depth);

/* A subdirectory found in a walk: walked unless it is the run's own
 * output directory, on the walk path already, or too deep. */
static c837_status walk_sub(c837_walk *w, const char *path, const char *name,
                            const struct stat *sb, dir_id *stack, int depth)
{
  int k;
  if (w->has_own && sb->st_dev == w->own_dev && sb->st_ino == w->own_ino)
    return C837_OK; /* this run's own output directory is not an input */
  for (k = 0; k < depth; k++)
    if (stack[k].dev == sb->st_dev && stack[k].ino == sb->st_ino) {
      w->cb.skip(w->cb.ud, name,
                 "symlink loop: directory already on the walk");
      return C837_OK;
    }
  if (depth + 1 >= C837_MAX_WALK_DEPTH) {
    char why[64];
    snprintf(why, sizeof why, "directory nested deeper than %d levels",
             C837_MAX_WALK_DEPTH);
    w->cb.skip(w->cb.ud, name, why);
    return C837_OK;
  }
  stack[depth].dev = sb->st_dev;
  stack[depth].ino = sb->st_ino;
  return walk_dir(w, path, name, stack, depth + 1);
}

/* A regular file found in a walk: taken when its content is X12. */
static c837_status walk_file(c837_walk *w, const char *path,
                             const char *name, const struct stat *sb)
{
  static const char taken[] =
      "another input already writes this output name (or its held/ name, "
      "or its ack/ names)";
  char why[PATH_MAX + 128];
  c837_error err;
  c837_status st;
  int r;
  if (!w->read_only && own_name_why(w, name)) /* not even read */
    return take_file(w, path, name, name, taken);
  if (w->list_only || (w->cb.known && w->cb.known(w->cb.ud, path, name)))
    return take_file(w, path, name, name, taken);
  r = sniff(w, path, sb, why, sizeof why, &err);
  if (r < 0 && err.code == C837_ENOMEM) {
    /* not a property of the file: a failure, not a skip */
    (void)take_name(w, name);
    return w->cb.fail(w->cb.ud, name, &err);
  }
  if (r != 1) {
    w->cb.skip(w->cb.ud, name, why);
    return C837_OK;
  }
  st = take_file(w, path, name, name, taken);
  c837_input_close(c837_walk_take_input(w, path)); /* not taken: closed */
  return st;
}

const struct stat *c837_walk_stat(const c837_walk *w, const char *path)
{
  return w->sniffed && path && path == w->sniffed_path ? &w->sniffed_sb
                                                      : NULL;
}

c837_input *c837_walk_take_input(c837_walk *w, const char *path)
{
  c837_input *in = w->sniffed;
  if (!in || !path || path != w->sniffed_path)
    return NULL;
  w->sniffed = NULL;
  w->sniffed_path = NULL;
  return in;
}

/* 1 when the symbolic link at path is not to be followed: its target
 * (resolved: every link on the way) is outside the input directory. */
static int link_out(const c837_walk *w, const char *path)
{
  char tgt[PATH_MAX];
  size_t n = strlen(w->root);
  if (!realpath(path, tgt))
    return 0; /* a broken link or a loop: stat says so */
  return !(strncmp(tgt, w->root, n) == 0 &&
           (tgt[n] == '/' || tgt[n] == '\0' || n == 1));
}

/* One entry e of directory dir (rel: its path relative to the input). */
static c837_status walk_entry(c837_walk *w, const char *dir, const char *rel,
                              const char *e, dir_id *stack, int depth)
{
  char path[PATH_MAX], name[PATH_MAX];
  struct stat sb;
  int known = 0;
  if (snprintf(path, sizeof path, "%s/%s", dir, e) >= (int)sizeof path ||
      snprintf(name, sizeof name, "%s%s%s", rel, *rel ? "/" : "", e) >=
          (int)sizeof name) {
    w->cb.skip(w->cb.ud, e, "path too long");
    return C837_OK;
  }
  /* links are looked at unless followed: what is not a link, lstat
   * says as stat would (one call per entry) */
  if (!w->follow_links && w->root[0] && lstat(path, &sb) == 0) {
    if (!S_ISLNK(sb.st_mode))
      known = 1;
    else if (link_out(w, path)) {
      w->cb.skip(w->cb.ud, name,
                 "symbolic link out of the input directory: not followed "
                 "(--follow-symlinks follows it)");
      return C837_OK;
    }
  }
  if (!known && stat(path, &sb) != 0) {
    char why[128];
    snprintf(why, sizeof why, "%s: %s",
             errno == ELOOP ? "symlink loop" : "cannot stat",
             strerror(errno));
    w->cb.skip(w->cb.ud, name, why);
    return C837_OK;
  }
  if (S_ISDIR(sb.st_mode))
    return walk_sub(w, path, name, &sb, stack, depth);
  if (!S_ISREG(sb.st_mode)) {
    w->cb.skip(w->cb.ud, name, "not a regular file");
    return C837_OK;
  }
  return walk_file(w, path, name, &sb);
}

static c837_status walk_dir(c837_walk *w, const char *dir, const char *rel,
                            dir_id *stack, int depth)
{
  struct dirent **ents = NULL;
  int n, i;
  c837_status st = C837_OK;

  n = scandir(dir, &ents, NULL, cmp_names);
  if (n < 0 && errno == ENOMEM) {
    c837_error err;
    c837_error_set(&err, C837_ENOMEM, 0, 0,
                   "cannot list directory %.200s: %s", dir,
                   strerror(ENOMEM));
    return w->cb.fail(w->cb.ud, *rel ? rel : dir, &err);
  }
  if (n < 0) {
    char why[PATH_MAX + 64];
    snprintf(why, sizeof why, "unreadable directory: %s", strerror(errno));
    w->cb.skip(w->cb.ud, *rel ? rel : dir, why);
    return C837_OK;
  }
  for (i = 0; i < n; i++) {
    const char *e = ents[i]->d_name;
    if (strcmp(e, ".") == 0 || strcmp(e, "..") == 0 ||
        w->cb.cancelled(w->cb.ud))
      continue;
    st = worse(st, walk_entry(w, dir, rel, e, stack, depth));
  }
  for (i = 0; i < n; i++)
    free(ents[i]);
  free(ents);
  return st;
}

c837_status c837_walk_input(c837_walk *w, const char *path)
{
  struct stat sb;
  const char *base;
  if (strcmp(path, "-") == 0) {
    if (take_name(w, "stdin.837") != 0)
      return fail_oom(w, "stdin.837");
    return w->cb.file(w->cb.ud, "-", "stdin.837");
  }
  if (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode)) {
    dir_id stack[C837_MAX_WALK_DEPTH];
    if (!realpath(path, w->root))
      w->root[0] = '\0';
    stack[0].dev = sb.st_dev;
    stack[0].ino = sb.st_ino;
    return walk_dir(w, path, "", stack, 1);
  }
  base = strrchr(path, '/');
  base = base ? base + 1 : path;
  if (!*base)
    base = path;
  /* named explicitly: processed even when it is not an interchange, so
   * that the error says what is wrong with it */
  return take_file(w, path, base, path,
                   "another input already writes this output name");
}
