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

/* ---- edits, actions, dispositions, code families ------------------- */

/* The facts and names of C837_EDIT_MAP, C837_ACTION_MAP,
 * C837_DISPOSITION_MAP and C837_FAMILY_MAP, generated from the maps. */

static const c837_edit_def edit_defs[C837_EDIT_COUNT] = {
#define C837_XX(id, sev, act, carc, rarc)                                \
  {C837_EDIT_##id, #id, C837_SEV_##sev, C837_ACT_##act, carc, rarc},
    C837_EDIT_MAP(C837_XX)
#undef C837_XX
};

const c837_edit_def *c837_edit_info(c837_edit e)
{
  if ((int)e < 0 || e >= C837_EDIT_COUNT)
    return NULL;
  return &edit_defs[e];
}

const char *c837_edit_name(c837_edit e)
{
  const c837_edit_def *d = c837_edit_info(e);
  return d ? d->name : "";
}

/* names[v], or "" when v is not one of the n values. */
static const char *name_of(const char *const *names, int n, int v)
{
  return v >= 0 && v < n ? names[v] : "";
}

#define C837_XX(id, name) name,
static const char *const action_names[] = {C837_ACTION_MAP(C837_XX)};
static const char *const disposition_names[] = {
    C837_DISPOSITION_MAP(C837_XX)};
static const char *const family_names[] = {C837_FAMILY_MAP(C837_XX)};
#undef C837_XX

const char *c837_action_name(c837_action a)
{
  return name_of(action_names, C837_ACT_COUNT, (int)a);
}

const char *c837_disposition_name(c837_disposition d)
{
  return name_of(disposition_names, C837_DISP_COUNT, (int)d);
}

const char *c837_family_name(c837_family f)
{
  return name_of(family_names, C837_FAM_COUNT, (int)f);
}
