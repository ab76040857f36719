/* sort.h -- an in-place sort that allocates nothing (sort.c)
 *
 * qsort may allocate a copy of the whole array (glibc's merge sort
 * does), which at the end of a run doubles the biggest arrays of the
 * report model at its peak (specs/performance.md, "Memory per CAR-T
 * line").  c837_sort is a heapsort: O(n log n) comparisons, no
 * allocation, not stable -- callers give a total order (ties broken by a
 * unique key), so the result is the one qsort gives.  Private to the
 * library.
 */
#ifndef CART837_SORT_H
#define CART837_SORT_H

#include <stddef.h>

/* Sorts the n elements of size bytes at base in place by cmp (as qsort's
 * comparison: negative, zero, positive; a total order, or equal elements
 * may come in any order).  Elements larger than C837_SORT_MAX_ELEM
 * (base/limits.h) are sorted by qsort instead. */
void c837_sort(void *base, size_t n, size_t size,
               int (*cmp)(const void *, const void *));

#endif
