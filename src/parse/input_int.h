/* input_int.h -- private: what input.c shows the run layer and its
 * internal tests
 *
 * Not part of the public interface (include/cart837.h): no stage of the
 * library needs the compressed offset (errors carry it in their message
 * and offset), but tests/test_internal_input.c and tests/test_internal_gzip_thread.c check
 * with it that the gzip worker hands over buffers and offsets in order.
 * The run's directory walk rewinds the input it sniffed and hands it to
 * the run, so that a small file is opened and read once.
 */
#ifndef CART837_INPUT_INT_H
#define CART837_INPUT_INT_H

#include "cart837.h"

#include <stdint.h>

/* Compressed bytes read so far (equals decompressed bytes for plain;
 * with a gzip worker, the bytes behind the last buffer it handed over). */
uint64_t c837_input_raw_offset(const c837_input *in);

/* Brings in back to its first byte without reading the file again, when
 * every byte handed out so far came from its buffer's first fill: a
 * regular file, plain or gzip (inflated on the caller's thread, no
 * worker started yet: then inflated again from the stream's start),
 * read no further than its first C837_READ_CHUNK of file bytes (the
 * directory walk's sniff, whose input the run then reads).  0, or -1
 * when it cannot (standard input, read past the buffer, a gzip worker
 * started, an error kept): in is unchanged then, and the caller opens
 * the file again. */
int c837_input_rewind(c837_input *in);

#endif
