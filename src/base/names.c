/* names.c -- names and sentences for the library's enumerations
 *
 * Status codes and their classes, claim kinds, severities and the
 * assembler's problem ids are generated from the X-macros of cart837.h
 * (as http-parser does with HTTP_ERRNO_MAP), so the names and the enums
 * can never drift apart.  Also the one mapping from a failed system
 * call's errno to a status (util.h).
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
#define C837_XX(n, name, cls, s)                                         \
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
#define C837_XX(n, name, cls, s)                                         \
  case C837_##name:                                                      \
    return #name;
    C837_STATUS_MAP(C837_XX)
#undef C837_XX
  }
  return "EUNKNOWN";
}

c837_class c837_status_class(c837_status st)
{
  switch (st) {
#define C837_XX(n, name, cls, s)                                         \
  case C837_##name:                                                      \
    return C837_CLASS_##cls;
    C837_STATUS_MAP(C837_XX)
#undef C837_XX
  }
  return C837_CLASS_INTERNAL;
}

const char *c837_class_name(c837_class c)
{
  switch (c) {
#define C837_XX(name)                                                    \
  case C837_CLASS_##name:                                                \
    return #name;
    C837_STATUS_CLASS_MAP(C837_XX)
#undef C837_XX
  case C837_CLASS_COUNT:
    break;
  }
  return "";
}

const char *c837_severity_name(c837_severity sev)
{
  switch (sev) {
#define C837_XX(n, name, s)                                              \
  case C837_SEV_##name:                                                  \
    return s;
    C837_SEVERITY_MAP(C837_XX)
#undef C837_XX
  }
  return "";
}

const char *c837_kind_name(c837_kind k)
{
  switch (k) {
#define C837_XX(n, name, s)                                              \
  case C837_KIND_##name:                                                 \
    return s;
    C837_KIND_MAP(C837_XX)
#undef C837_XX
  }
  return "unknown";
}

const char *c837_problem_name(c837_problem_id id)
{
  switch (id) {
#define C837_XX(name, sev, s)                                            \
  case C837_PROB_##name:                                                 \
    return #name;
    C837_PROBLEM_MAP(C837_XX)
#undef C837_XX
  case C837_PROB_COUNT:
    break;
  }
  return "";
}

const char *c837_problem_meaning(c837_problem_id id)
{
  switch (id) {
#define C837_XX(name, sev, s)                                            \
  case C837_PROB_##name:                                                 \
    return s;
    C837_PROBLEM_MAP(C837_XX)
#undef C837_XX
  case C837_PROB_COUNT:
    break;
  }
  return "";
}

c837_severity c837_problem_severity(c837_problem_id id)
{
  switch (id) {
#define C837_XX(name, sev, s)                                            \
  case C837_PROB_##name:                                                 \
    return C837_SEV_##sev;
    C837_PROBLEM_MAP(C837_XX)
#undef C837_XX
  case C837_PROB_COUNT:
    break;
  }
  return C837_SEV_ERROR;
}
