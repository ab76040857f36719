/* names.c -- names and sentences for the library's enumerations
 *
 * Status codes and their classes, claim kinds, severities, the
 * assembler's problem ids and payer classes (with the one SBR09 -> payer
 * class lookup, C837_SBR09_MAP) are generated from the X-macros of
 * cart837.h (as http-parser does with HTTP_ERRNO_MAP), so the names and
 * the enums can never drift apart.  Also the one mapping from a failed system
 * call's errno to a status (util.h).
 */
#include "cart837.h"
#include "base/util.h"

#include <errno.h>
#include <string.h>

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

const char *c837_payer_class_name(c837_payer_class c)
{
  switch (c) {
#define C837_XX(n, name, s)                                              \
  case C837_PAYER_##name:                                                \
    return s;
    C837_PAYER_CLASS_MAP(C837_XX)
#undef C837_XX
  case C837_PAYER_CLASS_COUNT:
    break;
  }
  return "";
}

int c837_payer_class_parse(const char *name, c837_payer_class *out)
{
  int c;
  for (c = 0; name && c < C837_PAYER_CLASS_COUNT; c++)
    if (strcmp(name, c837_payer_class_name((c837_payer_class)c)) == 0) {
      *out = (c837_payer_class)c;
      return 0;
    }
  return -1;
}

c837_payer_class c837_payer_class_of(const char *sbr09)
{
  static const struct {
    const char *code;
    c837_payer_class cls;
  } map[] = {
#define C837_XX(code, cls, s) {code, C837_PAYER_##cls},
      C837_SBR09_MAP(C837_XX)
#undef C837_XX
  };
  size_t i;
  for (i = 0; sbr09 && i < sizeof map / sizeof map[0]; i++)
    if (strcmp(sbr09, map[i].code) == 0)
      return map[i].cls;
  return C837_PAYER_UNKNOWN;
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
