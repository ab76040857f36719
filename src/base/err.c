/* err.c -- the one way to fill a c837_error (err.h) */
#include "base/err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static void vset(c837_error *err, c837_status code, uint64_t offset,
                 uint64_t segment, const char *fmt, va_list ap)
{
  err->code = code;
  err->offset = offset;
  err->segment = segment;
  vsnprintf(err->msg, sizeof err->msg, fmt, ap);
}

c837_status c837_error_set(c837_error *err, c837_status code,
                           uint64_t offset, uint64_t segment,
                           const char *fmt, ...)
{
  va_list ap;
  if (!err)
    return code;
  va_start(ap, fmt);
  vset(err, code, offset, segment, fmt, ap);
  va_end(ap);
  return code;
}

c837_status c837_error_first(c837_error *err, c837_status code,
                             uint64_t offset, uint64_t segment,
                             const char *fmt, ...)
{
  va_list ap;
  if (!err)
    return code;
  if (err->code != C837_OK)
    return err->code;
  va_start(ap, fmt);
  vset(err, code, offset, segment, fmt, ap);
  va_end(ap);
  return code;
}

void c837_error_clear(c837_error *err)
{
  memset(err, 0, sizeof *err);
}
