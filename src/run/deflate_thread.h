/* deflate_thread.h -- a gzip output compressed on a worker thread
 * (deflate_thread.c)
 *
 * sink.c hands the bytes of a gzip output to a deflater that compresses
 * them on a second core and writes the gzip stream (zlib's framing) to a
 * descriptor, while the parsing thread goes on.  Memory is bounded
 * (C837_DEFLATE_SLOTS buffers of C837_READ_CHUNK bytes), the bytes
 * written do not depend on the threads' timing, and a failure of the
 * worker (a full disk, a file too large) comes back to the caller.
 * Private to the run layer.
 */
#ifndef CART837_RUN_DEFLATE_THREAD_H
#define CART837_RUN_DEFLATE_THREAD_H

#include <stddef.h>

typedef struct c837_deflater c837_deflater;

/* Starts a gzip stream at zlib level `level` (0..9) written to fd, which
 * stays the caller's (never closed here).  The worker thread starts with
 * the first full buffer (a stream shorter than one buffer is compressed
 * in the caller's thread by finish) and blocks every asynchronous
 * signal, so that a signal meant to stop a run reaches the caller's
 * thread.  When no thread can be had, the caller's thread compresses
 * (the same bytes).  NULL when out of memory (zlib or the buffers). */
c837_deflater *c837_deflater_start(int fd, int level);
/* Gives the next n bytes of the stream.  0, or -1 once the stream has
 * failed (c837_deflater_errno tells why; every later call fails too).
 * Blocks only while every buffer is waiting for the worker. */
int c837_deflater_write(c837_deflater *d, const void *p, size_t n);
/* The errno value of the first failure (EIO for zlib's own), 0 while
 * none.  Read by the caller's thread after a write failed. */
int c837_deflater_errno(const c837_deflater *d);
/* Ends the stream: every byte given is compressed, the gzip trailer
 * written; joins the worker and frees d.  Returns 0, or the errno value
 * of the first failure (the stream is then not whole). */
int c837_deflater_finish(c837_deflater *d);
/* Stops the worker without ending the stream (what it wrote stays where
 * it is), joins it and frees d.  NULL is a no-op. */
void c837_deflater_abort(c837_deflater *d);

#endif
