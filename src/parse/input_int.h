/* input_int.h -- private: what input.c shows its internal tests
 *
 * Not part of the public interface (include/cart837.h): no stage of the
 * library needs the compressed offset (errors carry it in their message
 * and offset), but tests/test_internal_input.c and tests/test_internal_gzip_thread.c check
 * with it that the gzip worker hands over buffers and offsets in order.
 */
#ifndef CART837_INPUT_INT_H
#define CART837_INPUT_INT_H

#include "cart837.h"

#include <stdint.h>

/* Compressed bytes read so far (equals decompressed bytes for plain;
 * with a gzip worker, the bytes behind the last buffer it handed over). */
uint64_t c837_input_raw_offset(const c837_input *in);

#endif
