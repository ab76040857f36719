/* inflate_thread.h -- private: gzip inflate in a worker thread
 *
 * Not part of the public interface (include/cart837.h).  input.c uses it
 * to inflate a gzip input on a second core while the caller's thread
 * parses; src/parse/inflate_thread.c explains the handoff protocol.
 */
#ifndef CART837_INFLATE_THREAD_H
#define CART837_INFLATE_THREAD_H

#include "cart837.h"
#include "base/limits.h"

#include <stddef.h>
#include <stdint.h>

typedef struct c837_inflate_thread c837_inflate_thread;

/* The work the thread does: fills out[0 .. cap) with the next bytes of
 * the stream the way c837_input_read does (bytes made, 0 at the end, -1
 * after filling *err), and stores in *raw_off the compressed bytes
 * consumed so far.  self is the thread running it (for
 * c837_inflate_thread_wait_input).  Runs in the worker thread only. */
typedef long (*c837_produce_fn)(void *ud, c837_inflate_thread *self,
                                void *out, size_t cap, c837_error *err,
                                uint64_t *raw_off);

/* Starts a worker that calls produce(ud, ...) into a ring of
 * C837_INFLATE_SLOTS buffers of C837_READ_CHUNK bytes, ahead of the
 * reader.  raw_off is the compressed offset reached so far (what
 * c837_inflate_thread_raw_offset answers until the first buffer is
 * taken).  The worker blocks every asynchronous signal, so a signal meant
 * to stop a run reaches the caller's thread, as it did without a worker.
 * Returns NULL when no thread can be had (out of memory or threads):
 * the caller then produces in its own thread. */
c837_inflate_thread *c837_inflate_thread_start(c837_produce_fn produce,
                                               void *ud, uint64_t raw_off);
/* Copies up to cap bytes of what the worker made into buf, in order.
 * Returns bytes copied (> 0), 0 at the end of the stream (again on every
 * later call), -1 at the worker's error, after every byte made before it
 * was handed out (*err filled; again on every later call), or -2 when a
 * signal handler interrupted the wait for the worker (nothing consumed,
 * errno EINTR; calling again goes on where it stopped). */
long c837_inflate_thread_read(c837_inflate_thread *t, void *buf, size_t cap,
                              c837_error *err);
/* Compressed bytes behind what was handed out: the offset the producer
 * reported with the last buffer taken by c837_inflate_thread_read. */
uint64_t c837_inflate_thread_raw_offset(const c837_inflate_thread *t);
/* For produce, in the worker thread, before a read(2) that may block
 * (a pipe, a FIFO, a terminal): waits until fd is readable (or at its
 * end, or failed).  Returns 1 when read(2) may be called, 0 when
 * c837_inflate_thread_stop asks the worker to stop (produce should then
 * fail at once; what it returns is dropped). */
int c837_inflate_thread_wait_input(c837_inflate_thread *t, int fd);
/* Stops the worker wherever it is (waiting for room, waiting for input,
 * or producing: then at the end of the current buffer), joins it and
 * frees t.  What the worker made and nobody read is dropped.  NULL is a
 * no-op. */
void c837_inflate_thread_stop(c837_inflate_thread *t);

#endif
