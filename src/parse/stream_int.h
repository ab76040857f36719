/* stream_int.h -- private: c837_stream_run with the caller's read buffer
 *
 * Not part of the public interface (include/cart837.h): the run, which
 * reads many inputs one after the other, lends one buffer to all of
 * them instead of c837_stream_run allocating and freeing one per input.
 */
#ifndef CART837_STREAM_INT_H
#define CART837_STREAM_INT_H

#include "cart837.h"

/* c837_stream_run, reading into chunk (C837_READ_CHUNK bytes, the
 * caller's, left as scratch), or into a buffer of its own when chunk is
 * NULL.  Same contract otherwise. */
c837_status c837_stream_run_buf(c837_input *in, const c837_handler *h,
                                c837_raw_cb raw_cb, void *raw_ud,
                                c837_counts *counts, c837_error *err,
                                char *chunk);

#endif
