/* names.c -- names and sentences for the library's enumerations
 *
 * Status codes and their classes, claim kinds, severities, the
 * assembler's problem ids, edits, actions, dispositions, code families
 * and payer classes are generated from the X-macros of cart837.h (as http-parser does with HTTP_ERRNO_MAP), so the names and
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

/* ---- edits, actions, dispositions, code table ----------------------- */

/* The facts and names of C837_EDIT_MAP, C837_ACTION_MAP,
 * C837_DISPOSITION_MAP, and of the code table's C837_FAMILY_MAP,
 * C837_PER_MAP, C837_LIST_MAP, C837_IMPORT_MAP and
 * C837_PAYER_CLASS_MAP, generated from the maps. */

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
static const char *const per_names[] = {C837_PER_MAP(C837_XX)};
static const char *const import_names[] = {C837_IMPORT_MAP(C837_XX)};
static const char *const payer_class_names[] = {
    C837_PAYER_CLASS_MAP(C837_XX)};
#undef C837_XX
#define C837_XX(id, name, file) name,
static const char *const list_names[] = {C837_LIST_MAP(C837_XX)};
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

const char *c837_per_name(c837_per p)
{
  return name_of(per_names, C837_PER_COUNT, (int)p);
}

const char *c837_list_name(c837_list l)
{
  return name_of(list_names, C837_LIST_COUNT, (int)l);
}

const char *c837_import_name(c837_import_kind k)
{
  return name_of(import_names, C837_IMPORT_COUNT, (int)k);
}

const char *c837_payer_class_name(c837_payer_class c)
{
  return name_of(payer_class_names, C837_PAYER_CLASS_COUNT, (int)c);
}
