/* status.c -- names and sentences for the library's enumerations
 *
 * Status codes, severities and claim kinds are generated from the
 * X-macros of cart837.h (as http-parser does with HTTP_ERRNO_MAP), so the
 * names and the enum can never drift apart.  Also the one mapping from a
 * failed system call's errno to a status (util_int.h).
 */
#include "cart837.h"
#include "base/util.h"

#include <errno.h>

c837_status c837_errno_status(int e)
{
  return e == ENOMEM ? C837_ENOMEM : C837_EIO;
}

const char *c837_strerror(c837_status st)
{
  switch (st) {
#define C837_XX(n, name, s)                                              \
  case C837_##name:                                                      \
    return s;
    C837_STATUS_MAP(C837_XX)
#undef C837_XX
  }
  return "unknown status";
}

const char *c837_status_name(c837_status st)
{
  switch (st) {
#define C837_XX(n, name, s)                                              \
  case C837_##name:                                                      \
    return #name;
    C837_STATUS_MAP(C837_XX)
#undef C837_XX
  }
  return "EUNKNOWN";
}

const char *c837_severity_name(c837_severity s)
{
  switch (s) {
  case C837_SEV_INFO:
    return "info";
  case C837_SEV_WARNING:
    return "warning";
  case C837_SEV_ERROR:
    return "error";
  }
  return "";
}

const char *c837_kind_name(c837_kind k)
{
  switch (k) {
  case C837_KIND_P:
    return "837P";
  case C837_KIND_I:
    return "837I";
  case C837_KIND_D:
    return "837D";
  case C837_KIND_OTHER:
    return "other";
  case C837_KIND_UNKNOWN:
    break;
  }
  return "unknown";
}
