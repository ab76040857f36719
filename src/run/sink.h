/* sink.h -- where a run's bytes go: output files that appear only when
 * complete, and standard output (sink.c)
 *
 * One c837_out is one output of a run: a corrected or held 837, an
 * unparsed rest, a report, the ledger -- or standard output in the filter
 * mode.  A file is written to a hidden temporary file in the directory of
 * its final name and renamed when complete, so that a run that fails or
 * is killed never leaves a half-written file under a final name.  Closing
 * (flush, fsync, close) and publishing (rename) are two steps, so that a
 * caller can get several files onto disk before it renames any of them
 * (c837_out_commit_all).  Files are created with the mode 0666 less the
 * process's umask (the outputs hold patient data: a umask of 077 keeps
 * them private), directories 0777 less the umask; no symbolic link below
 * the directory a caller names is followed, and the temporary file is
 * created exclusively, so that a run never writes through a link it did
 * not make.  gzip output is deflated by a worker thread
 * (deflate_thread.h) onto the same descriptor (standard output: a
 * duplicate of it).  A gzip file output made from a gzip input file can
 * go out as that input's own compressed bytes when the writer wrote it
 * back byte for byte (c837_out_pass: checked byte by byte, never
 * guessed); it is compressed only from the first byte that differs.
 * An output is
 * opened by its first write, so that one nothing is written to is never
 * created, or explicitly with c837_out_open.  The first failure sticks:
 * later writes fail at once and close, commit and publish report it.
 * Private to the run layer.
 */
#ifndef CART837_RUN_SINK_H
#define CART837_RUN_SINK_H

#include "cart837.h"

#include "run/deflate_thread.h"

#include <limits.h>
#include <stdint.h>
#include <stdio.h>

/* The zlib level of gzip outputs unless the run says otherwise (gzip's
 * own default; --gzip-level). */
#define C837_GZIP_LEVEL_DEFAULT 6

/* The pass-through state of an output (sink.c). */
typedef struct c837_pass c837_pass;

typedef struct c837_out {
  char path[PATH_MAX]; /* final name; "" for standard output */
  char tmp[PATH_MAX];  /* the temporary file, once opened */
  /* path[0 .. root_len) is the directory the caller named: symbolic
   * links in it are followed.  Below it, a directory that is a symbolic
   * link is never written through (see c837_out_init_under). */
  size_t root_len;
  int to_stdout;
  int gzip;            /* 1: compress; set before the first write */
  int level;           /* zlib level 0..9 when gzip (init: the default) */
  int nosync;          /* closing does not fsync: the run syncs the file
                          system once, at its end (c837_syncfs) */
  int sync_dir;        /* publishing fsyncs the directory after the
                          rename, so that the new name is on disk */
  int mode;            /* -1 (default): created 0666 less the umask;
                          else set to exactly these permission bits */
  int fd;              /* the temporary file's, -1 when none */
  int dirfd;           /* its directory's, -1 when none */
  FILE *fp;            /* plain output (standard output: not owned) */
  char *iobuf;         /* fp's buffer, C837_OUT_BUFFER bytes, or NULL */
  c837_deflater *dz;   /* gzip output: its deflater, once started */
  int dz_fd;           /* standard output: the duplicate it writes to */
  c837_pass *pass;     /* not NULL while the output may still go out as
                          its input's own bytes (c837_out_pass) */
  int passed;          /* it went out as them */
  int opened, closed, published, failed;
  size_t unkicked;     /* bytes written since the last write-back start */
  c837_error err;      /* the first failure */
} c837_out;

/* Sets up *o (no I/O yet): path is the final name, NULL for standard
 * output; gzip 1 compresses.  The directory of path is the caller's
 * (links in it are followed).  Returns 0, or -1 when path does not fit
 * (o is then an output that has failed with C837_EIO). */
int c837_out_init(c837_out *o, const char *path, int gzip);
/* The same for the file rel under the directory root (root/rel): root
 * is the caller's and may contain symbolic links; each directory of rel
 * is made when missing and must not be a symbolic link ("cannot create
 * directory D: a symbolic link is there, not followed"). */
int c837_out_init_under(c837_out *o, const char *root, const char *rel,
                        int gzip);
/* Opens o now: a file gets its directories and its temporary file; a
 * gzip standard output its compressor.  C837_OK, or the error (also in
 * *err): C837_EIO ("path too long", "cannot create DIR: why"),
 * C837_ENOMEM (zlib or stdio could not start). */
c837_status c837_out_open(c837_out *o, c837_error *err);
/* c837_sink.write shape (ud is the c837_out): opens o on the first call,
 * then writes n bytes.  0, or -1 after a failure (kept in o->err:
 * "cannot write PATH: why", or the error of the open). */
int c837_out_write(void *o, const void *p, size_t n);
/* The stdio stream of an open, plain file output (libcsv's csv_fwrite
 * writes through it); a write error on it is found by close. */
FILE *c837_out_fp(c837_out *o);
/* First half of completing o: standard output is flushed (a gzip stream
 * ended); a file is flushed, fsync'd (unless nosync) and closed under its
 * temporary name -- with force, created first when nothing was written
 * (an empty file, or an empty gzip stream).  On failure the temporary
 * file is removed and the error returned (also in *err). */
c837_status c837_out_close(c837_out *o, int force, c837_error *err);
/* Second half: the closed temporary file takes its final name (nothing
 * happens for standard output or a file never opened); with sync_dir,
 * the directory is fsync'd then (a failure there leaves the file
 * published and returns the error).  On failure the temporary file is
 * removed and the error returned (also in *err). */
c837_status c837_out_publish(c837_out *o, c837_error *err);
/* Pass-through.  Lets o (a gzip file output, before its first write)
 * go out as the compressed bytes of the gzip input file `path` when
 * what is written to it turns out to be exactly that input
 * decompressed.  While it may, o keeps the input's bytes that
 * c837_out_pass_feed gave and the writer has not written yet (at most
 * C837_MAX_VERBATIM_LAG) and compares every byte written with them:
 * nothing is compressed.  The first byte that differs (or a gap in what
 * was fed, or the lag past its limit) ends it: the input's first bytes
 * that matched are read again from path and compressed, and o goes on
 * as any gzip output.  Closing with the pass still on copies (reflink
 * or copy_file_range, else read/write) the input file, unchanged since
 * this call, into o -- only when c837_out_pass_end said the input was
 * read whole and every byte of it was fed and written; else it is
 * compressed.  0, or -1 when the pass could not start (out of memory,
 * the input cannot be opened): o is then an ordinary output. */
int c837_out_pass(c837_out *o, const char *path);
/* The input's next n bytes as read, starting at input offset off (the
 * raw bytes of each segment, in input order).  A no-op once the pass is
 * over. */
void c837_out_pass_feed(c837_out *o, const void *p, size_t n, uint64_t off);
/* Reading is over: the input held `bytes` bytes; complete 1 when it was
 * read to its end without an error.  Without this call an output is
 * never passed through. */
void c837_out_pass_end(c837_out *o, uint64_t bytes, int complete);

/* c837_out_close with force, then c837_out_publish. */
c837_status c837_out_commit(c837_out *o, c837_error *err);
/* Completes several outputs together: every one is closed (force[i]) and
 * on disk before any takes its final name, and when one fails the ones
 * already renamed are removed again and the others aborted, so that
 * outputs that belong together are never half published.  C837_OK or
 * the first error (also in *err). */
c837_status c837_out_commit_all(c837_out *const *v, const int *force,
                                size_t n, c837_error *err);
/* Takes o back: an unfinished file is closed and its temporary file
 * removed; a gzip standard output is ended (what was written to standard
 * output cannot be taken back).  A published file stays.  Idempotent. */
void c837_out_abort(c837_out *o);

/* mkdir -p of the directory path is in (nothing for a name without a
 * '/').  C837_OK or as c837_mkdirs. */
c837_status c837_mkdirs_for(const char *path, c837_error *err);
/* mkdir -p (one call when dir or its parent exists).  C837_OK or C837_EIO
 * ("cannot create directory D: why", D the first that could not be
 * made). */
c837_status c837_mkdirs(const char *dir, c837_error *err);
/* Flushes the file system holding dir to disk (syncfs).  C837_OK or
 * C837_EIO ("cannot sync DIR to disk: why"). */
c837_status c837_syncfs(const char *dir, c837_error *err);

#endif
