/* util_int.h -- private helpers shared by the library's files
 *
 * Not part of the public interface (include/cart837.h).
 */
#ifndef CART837_UTIL_INT_H
#define CART837_UTIL_INT_H

#include "cart837.h"

#include <stddef.h>
#include <stdint.h>

/* Makes room for element n of a growable array: pp is the address of the
 * array pointer (any element type), *cap the elements allocated, elsz
 * the size of one.  When n < *cap nothing happens; otherwise the
 * allocation doubles (to `first` elements when empty).  Returns 0, or -1
 * when out of memory (the array is then unchanged and still valid). */
int c837_grow(void *pp, size_t n, size_t *cap, size_t elsz, size_t first);

/* Appends the string src to dst, whose first `at` bytes (at < sz) are
 * already written, truncating so that dst (sz bytes) stays
 * NUL-terminated.  Returns the new length.  A snprintf("%s%s...") for the
 * per-claim paths, without the format parsing. */
size_t c837_str_append(char *dst, size_t sz, size_t at, const char *src);
/* The same for the decimal text of v. */
size_t c837_str_append_long(char *dst, size_t sz, size_t at, long v);
/* FNV-1a hash (64 bits) of the string s, for the hash tables of the
 * engine's indexes and of the directory walk's output names. */
uint64_t c837_hash_str(const char *s);
/* Printable excerpt of the n bytes at p, for messages: printable ASCII
 * as it is, any other byte and the quote ' as \xNN.  Stops at the last
 * whole byte that fits dst (dstsz bytes, always NUL-terminated when
 * dstsz > 0); 4 * n + 1 bytes always suffice.  Returns the length. */
size_t c837_excerpt(char *dst, size_t dstsz, const char *p, size_t n);
/* The status of a system call that failed with errno e: C837_ENOMEM for
 * ENOMEM (fopen, fdopen and the like allocate), else C837_EIO. */
c837_status c837_errno_status(int e);

#endif
