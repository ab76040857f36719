/* err.h -- the one way to fill a c837_error
 *
 * Every error the library reports is a c837_error (code, byte offset,
 * segment number, message; see cart837.h).  c837_error_set fills one in
 * a single call, so that no place builds the struct by hand.  Private to
 * the library.
 */
#ifndef CART837_ERR_H
#define CART837_ERR_H

#include "cart837.h"

/* Fills *err: code, offset, segment, and msg from fmt and its arguments
 * (printf style, cut to fit).  err may be NULL (nothing is written).
 * Returns code, so that a caller can write
 * `return c837_error_set(err, C837_EIO, 0, 0, "%s: %s", path, why);`. */
c837_status c837_error_set(c837_error *err, c837_status code,
                           uint64_t offset, uint64_t segment,
                           const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* The same, only when *err holds no error yet (the first error wins,
 * as sticky errors do).  Returns err's code afterwards. */
c837_status c837_error_first(c837_error *err, c837_status code,
                             uint64_t offset, uint64_t segment,
                             const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* Clears *err (code C837_OK, empty message). */
void c837_error_clear(c837_error *err);

#endif
