/* walk.h -- command-line inputs to the files of a run (walk.c)
 *
 * A walk turns each input the run is given -- a file, a directory, "-"
 * -- into files to process, skips and failures, handed to the callbacks
 * of its owner (the run, run.c); it knows nothing else of the run.  It
 * keeps the set of output names already handed out, so that two inputs
 * never write the same output.  Private to the run layer.
 */
#ifndef CART837_RUN_WALK_H
#define CART837_RUN_WALK_H

#include "cart837.h"
#include "base/map.h"

#include <sys/stat.h>
#include <sys/types.h>

typedef struct c837_walk_cb {
  /* Process the file at path, named name under the output directory;
   * returns the file's status. */
  c837_status (*file)(void *ud, const char *path, const char *name);
  /* An input not taken (not X12, unreadable, a symlink loop, an output
   * name taken), with the reason. */
  void (*skip)(void *ud, const char *name, const char *reason);
  /* An input that could not be looked at for lack of memory (*err says
   * so); returns err->code. */
  c837_status (*fail)(void *ud, const char *name, const c837_error *err);
  /* Non-zero: take no further file. */
  int (*cancelled)(void *ud);
  /* Non-zero: the file at path, named name, is known to be an
   * interchange (the run read it ahead): taken without a sniff.  NULL:
   * every file is sniffed. */
  int (*known)(void *ud, const char *path, const char *name);
  void *ud;
} c837_walk_cb;

typedef struct c837_walk {
  c837_walk_cb cb;
  c837_map names;   /* output names handed out (file and fail) */
  int ack_names;    /* the run writes ack/NAME.999 and ack/NAME.277
                       (--ack): "ack" and those names are taken too */
  int has_own;      /* own_dev/own_ino: a directory never read (the */
  dev_t own_dev;    /* run's output directory inside an input one) */
  ino_t own_ino;
  /* the ledger's path relative to the output directory when it is
   * inside it ("" otherwise): no input may write that name or its lock */
  char ledger_rel[4096];
  /* a symbolic link in an input directory is followed only when its
   * target is inside that directory (root, resolved), unless follow */
  int follow_links;
  char root[4096];
  /* 1: the files are only read (cart837 stats): no output name is
   * reserved or handed out */
  int read_only;
  /* 1: the files are only listed (the read-ahead's walk, ahead.c): names
   * are handed out as above, but no file is opened to sniff its content
   * (the file callback gets every regular file that is not skipped by
   * its name) */
  int list_only;
  /* the input the sniff of the file being handed out read, rewound to
   * its first byte (NULL when it could not be: gzip), until the file
   * callback takes it (c837_walk_take_input) or the walk closes it */
  c837_input *sniffed;
  const char *sniffed_path;
  struct stat sniffed_sb; /* stat() of sniffed_path, as the walk found it */
} c837_walk;

/* Sets up *w with the callbacks *cb (copied); own_dir, when not NULL,
 * is a directory a walk never descends into. */
void c837_walk_init(c837_walk *w, const c837_walk_cb *cb,
                    const char *own_dir);
/* Tells the walk where the ledger is (NULL: none), once the output
 * directory exists: an input whose output would be the ledger (or its
 * .lock) in the output directory is skipped. */
void c837_walk_set_ledger(c837_walk *w, const char *out_dir,
                          const char *ledger);
/* One command-line input: a file (named by its base name), "-" (standard
 * input, named "stdin.837"), or a directory walked recursively in sorted
 * path order (byte order, not locale), whose files keep their path
 * relative to it.  In a directory, only files whose content starts with
 * ISA, a byte-order mark and ISA, or gzip over such content are taken;
 * the others are skipped with the reason, as are unreadable files,
 * symlink loops, names another input already writes (or whose held/
 * name it writes), and names the run's own outputs take: a first
 * component that is one of the reports or folders (findings.csv,
 * lines.csv, summary.txt, report.html, summary.json, episodes.csv,
 * held, ack; in any case, for file systems that ignore it), a name like
 * a temporary file (.NAME.tmp-XXXXXX), the ledger; and, unless
 * follow_links, symbolic links whose target is outside the input
 * directory (not followed, the target not read).  A directory or file that cannot be looked at for
 * lack of memory fails (C837_ENOMEM) instead of being skipped.  Returns
 * the worst status of the files handed out (skips alone are C837_OK). */
c837_status c837_walk_input(c837_walk *w, const char *path);
/* The open input of the file at path the walk is handing out now (its
 * sniff read it; it is at its first byte), for the file callback to read
 * and close instead of opening path again; NULL when there is none
 * (then open path).  path is the pointer the callback was given. */
c837_input *c837_walk_take_input(c837_walk *w, const char *path);
/* What stat() said of that file when the walk found it, while its input
 * is held for the callback (c837_walk_take_input); NULL otherwise. */
const struct stat *c837_walk_stat(const c837_walk *w, const char *path);
/* Releases the name set. */
void c837_walk_free(c837_walk *w);

#endif
