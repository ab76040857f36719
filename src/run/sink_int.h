/* sink_int.h -- private: what sink.c and sink_pass.c share
 *
 * sink.c is every output; sink_pass.c the pass-through of an unchanged
 * gzip input (sink.h: c837_out_pass).  Nothing here leaves the two.
 */
#ifndef CART837_RUN_SINK_INT_H
#define CART837_RUN_SINK_INT_H

#include "run/sink.h"

/* Marks o failed: the first failure keeps its code and its message
 * "cannot write PATH: why".  Returns o's error code. */
c837_status c837_out_fail(c837_out *o, c837_status code, const char *why);
/* Starts o's deflater on fd at o's level.  0, or -1 (o failed). */
int c837_out_start_dz(c837_out *o, int fd);
/* n bytes to o's deflater.  0, or -1 (o failed with the reason). */
int c837_out_dz_write(c837_out *o, const void *p, size_t n);

/* sink_pass.c.  Bytes written to o while its pass is on: they match the
 * input's next bytes fed, or the pass ends here (the bytes that matched
 * compressed, then these).  0, or -1 (o failed). */
int c837_out_pass_write(c837_out *o, const void *p, size_t n);
/* Closing o with its pass on: the input file's own bytes when everything
 * written was the whole input, else what was written, compressed (the
 * deflater then still to finish).  0, or -1 (o failed). */
int c837_out_pass_close(c837_out *o);
/* Frees o's pass (none: nothing happens). */
void c837_out_pass_free(c837_out *o);

#endif
