/* ahead.h -- worker threads that read the files of a run ahead (-j N)
 *
 * c837_run_plan (run.c) starts a read-ahead: one thread walks the run's
 * inputs as c837_run_input will (walk.c, listing only: no file is
 * opened), and options.jobs workers read the listed files, ahead of the
 * run's thread, into their temporary outputs (c837_file_read_ahead in
 * run_file.c), as long as nothing of the run but its options, tables
 * and output directory is needed.  When the walk of the run's thread
 * hands it a file, c837_run_file asks c837_ahead_take for it: a file
 * read ahead is taken (c837_file_adopt), any other is read by the run's
 * thread as without workers.  What a run writes is therefore the same
 * with or without workers.
 *
 * Threads: the run's thread calls every function here; the walker and
 * the workers touch only the read-ahead's ring of files (under its
 * mutex), the files they read and, read-only, the run's options,
 * tables, engine (c837_engine_passes) and audit (c837_audit_facts).
 * Private to the run layer.
 */
#ifndef CART837_RUN_AHEAD_H
#define CART837_RUN_AHEAD_H

#include "run/run_file.h"

typedef struct c837_ahead c837_ahead;

/* Starts a read-ahead of the n_inputs inputs (borrowed: they must
 * outlive it) of run r with `workers` worker threads (2 ..
 * C837_MAX_JOBS) and the walker.  NULL with *err when memory or a
 * thread cannot be had (nothing is left running). */
c837_ahead *c837_ahead_start(c837_run *r, const char *const *inputs,
                             size_t n_inputs, int workers, c837_error *err);
/* The file at path, named name, if a worker read it ahead: the listed
 * files before it (the run's walk skipped them) are dropped, the
 * workers move on past it; when a worker is reading it now, this waits
 * for it.  Returns the file (owned by the caller: c837_file_adopt, then
 * free), or NULL: the run's thread reads it. */
file_ctx *c837_ahead_take(c837_ahead *a, const char *path, const char *name);
/* 1 when the file at path, named name, was read ahead (waiting while a
 * worker reads it), so that the run's walk need not look into it: it is
 * an interchange; 0 otherwise. */
int c837_ahead_ready(c837_ahead *a, const char *path, const char *name);
/* Stops the walker and the workers, waits for them, removes the
 * temporary outputs of the files read ahead and not taken, and frees a.
 * NULL is a no-op. */
void c837_ahead_stop(c837_ahead *a);

#endif
