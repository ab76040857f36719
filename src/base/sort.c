/* sort.c -- an in-place heapsort that allocates nothing (sort.h) */
#include "base/sort.h"
#include "base/limits.h"

#include <stdlib.h>
#include <string.h>

static void swap(unsigned char *a, unsigned char *b, size_t size)
{
  unsigned char t[C837_SORT_MAX_ELEM];
  memcpy(t, a, size);
  memcpy(a, b, size);
  memcpy(b, t, size);
}

/* Moves element i down the max-heap of the first n elements. */
static void sift(unsigned char *p, size_t i, size_t n, size_t size,
                 int (*cmp)(const void *, const void *))
{
  for (;;) {
    size_t c = 2 * i + 1, big = i;
    if (c < n && cmp(p + c * size, p + big * size) > 0)
      big = c;
    if (c + 1 < n && cmp(p + (c + 1) * size, p + big * size) > 0)
      big = c + 1;
    if (big == i)
      return;
    swap(p + i * size, p + big * size, size);
    i = big;
  }
}

void c837_sort(void *base, size_t n, size_t size,
               int (*cmp)(const void *, const void *))
{
  unsigned char *p = base;
  size_t i;
  if (n < 2 || size == 0)
    return;
  if (size > C837_SORT_MAX_ELEM) {
    qsort(base, n, size, cmp);
    return;
  }
  for (i = n / 2; i-- > 0;)
    sift(p, i, n, size, cmp);
  for (i = n - 1; i > 0; i--) {
    swap(p, p + i * size, size);
    sift(p, 0, i, size, cmp);
  }
}
