/* payers.c -- payer classes and what differs per payer
 *
 * Three CSV lists (reflist.c, the one loader), described in
 * specs/payers.md:
 *   classes    SBR09 claim filing indicator -> payer class
 *              (specs/payer_classes.csv, built in);
 *   options    per payer class, and optionally per payer id, the
 *              settings the edits read: REPEAT_ADMINISTRATION window,
 *              NDC required, KX / JZ windows, payment window days,
 *              STEP_OUT_OF_ORDER episode window, clinical trial coding
 *              (specs/payers.csv built in; --payers FILE over it);
 *   providers  billing providers by NPI whose payment window differs
 *              (non-IPPS hospitals, exempt critical access hospitals;
 *              none built in; --providers FILE).
 * The settings of a claim are Medicare's defaults (below), under its
 * class's row, under its payer id's row: a column a row leaves empty
 * keeps the value under it.
 */
#include "cart837.h"
#include "edit/reflist.h"
#include "base/limits.h"
#include "base/csvschema.h"
#include "base/err.h"

#include <stdlib.h>
#include <string.h>

extern const char c837_builtin_payers_csv[], c837_builtin_payer_classes_csv[];
extern const unsigned long c837_builtin_payers_csv_len,
    c837_builtin_payer_classes_csv_len;

/* Medicare's values: the settings of a class without a row and of every
 * column a row leaves empty (specs/payers.md gives the source of each). */
static const c837_payer_settings medicare = {
    C837_PAYER_UNKNOWN,
    365,                        /* repeat_window */
    0,                          /* ndc_required */
    {1, 20190807, 20250625},    /* kx_required */
    {0, 0, 0},                  /* jz_required: never */
    3,                          /* payment_window_days */
    1,                          /* payment_window_days_non_ipps */
    180,                        /* step_window_days */
    1                           /* trial_coding */
};

/* An optional setting in an option row: 0 when the file leaves it
 * empty, else the value + 1 (so that a row the file lacks a column for
 * keeps every value of the layer under it). */
typedef int opt;

/* A window setting in an option row. */
typedef struct optwin {
  int set;
  c837_window w;
} optwin;

/* One row of the option file. */
typedef struct prow {
  int cls;                    /* c837_payer_class + 1, 0 none */
  char payer_id[C837_ID_MAX];
  opt repeat;                 /* 1 lifetime, days + 1 */
  opt ndc, pw, pw_non, step, trial;
  optwin kx, jz;
  char note[C837_LIST_TEXT_MAX];
} prow;

/* One row of the class list. */
typedef struct crow {
  char sbr09[3];
  c837_payer_class cls;
  char meaning[C837_LIST_TEXT_MAX];
  char source[C837_SOURCE_MAX];
} crow;

/* One row of the providers file. */
typedef struct vrow {
  char npi[11];
  c837_provider_type type;
  char name[C837_LIST_TEXT_MAX];
  char note[C837_LIST_TEXT_MAX];
} vrow;

struct c837_payers {
  c837_rlist options, classes, providers;
  c837_payer_settings base;   /* Medicare's values, or what
                                 c837_payers_set_defaults put there */
};

/* ------------------------------------------------------------------ */
/* Columns                                                             */
/* ------------------------------------------------------------------ */

#define C837_XX(id, name) name,
static const char *const class_names[C837_PAYER_CLASS_COUNT] = {
    C837_PAYER_CLASS_MAP(C837_XX)};
static const char *const opt_class_names[C837_PAYER_CLASS_COUNT + 1] = {
    "", C837_PAYER_CLASS_MAP(C837_XX)};
#undef C837_XX
static const char *const provider_names[3] = {"ipps", "non_ipps", "exempt"};

static int *opt_at(const c837_csvfield *f)
{
  return (int *)((char *)f->row + f->col->offset);
}

/* Digits without sign, at most 9 of them, into *v: 0 or -1. */
static int small_uint(const char *s, size_t len, int *v)
{
  size_t i;
  *v = 0;
  if (len == 0 || len > 9)
    return -1;
  for (i = 0; i < len; i++) {
    if (s[i] < '0' || s[i] > '9')
      return -1;
    *v = *v * 10 + (s[i] - '0');
  }
  return 0;
}

/* An optional whole number min .. max. */
static int opt_parse(const c837_csvfield *f)
{
  int v;
  if (f->len == 0) {
    *opt_at(f) = 0;
    return 0;
  }
  if (small_uint(f->s, f->len, &v) != 0 || v < f->col->min ||
      v > f->col->max)
    return c837_csvfield_expected(f, f->col->expect);
  *opt_at(f) = v + 1;
  return 0;
}

static const char *opt_format(const c837_csvcol *col, const void *row,
                              char *buf, size_t bufsz)
{
  int v;
  memcpy(&v, (const char *)row + col->offset, sizeof v);
  buf[0] = '\0';
  if (v > 0)
    snprintf(buf, bufsz, "%d", v - 1);
  return buf;
}

/* "lifetime" or a number of days. */
static int repeat_parse(const c837_csvfield *f)
{
  if (f->len == 8 && memcmp(f->s, "lifetime", 8) == 0) {
    *opt_at(f) = 1;
    return 0;
  }
  return opt_parse(f);
}

static const char *repeat_format(const c837_csvcol *col, const void *row,
                                 char *buf, size_t bufsz)
{
  int v;
  memcpy(&v, (const char *)row + col->offset, sizeof v);
  if (v == 1) {
    snprintf(buf, bufsz, "lifetime");
    return buf;
  }
  return opt_format(col, row, buf, bufsz);
}

/* "never", "always", or FROM..TO with either date empty. */
static int window_parse(const c837_csvfield *f)
{
  optwin w;
  const char *dots = NULL;
  size_t i;
  memset(&w, 0, sizeof w);
  if (f->len > 0) {
    w.set = 1;
    if (f->len == 6 && memcmp(f->s, "always", 6) == 0) {
      w.w.on = 1;
    } else if (!(f->len == 5 && memcmp(f->s, "never", 5) == 0)) {
      for (i = 0; i + 1 < f->len && !dots; i++)
        if (f->s[i] == '.' && f->s[i + 1] == '.')
          dots = f->s + i;
      if (!dots ||
          (dots > f->s &&
           c837_parse_iso_date((c837_span){f->s, (size_t)(dots - f->s)},
                               &w.w.from) != 0) ||
          (dots + 2 < f->s + f->len &&
           c837_parse_iso_date(
               (c837_span){dots + 2, (size_t)(f->s + f->len - dots - 2)},
               &w.w.to) != 0) ||
          (w.w.from && w.w.to && w.w.to < w.w.from))
        return c837_csvfield_expected(f, "never, always, or dates FROM..TO "
                              "(CCYY-MM-DD, either may be empty) or empty");
      w.w.on = 1;
    }
  }
  memcpy((char *)f->row + f->col->offset, &w, sizeof w);
  return 0;
}

static const char *window_format(const c837_csvcol *col, const void *row,
                                 char *buf, size_t bufsz)
{
  optwin w;
  char a[16], b[16];
  memcpy(&w, (const char *)row + col->offset, sizeof w);
  buf[0] = '\0';
  if (!w.set)
    return buf;
  if (!w.w.on)
    return "never";
  if (!w.w.from && !w.w.to)
    return "always";
  c837_format_iso_date(a, sizeof a, w.w.from);
  c837_format_iso_date(b, sizeof b, w.w.to);
  snprintf(buf, bufsz, "%s..%s", a, b);
  return buf;
}

static int npi_check(const c837_csvfield *f)
{
  size_t i;
  int ok = f->len == 10;
  for (i = 0; ok && i < 10; i++)
    ok = f->s[i] >= '0' && f->s[i] <= '9';
  return ok ? 0 : c837_csvfield_expected(f, "an NPI of 10 digits");
}

#define OPT_COL(nm, m, mn, mx, ex)                                       \
  {.name = nm, .type = C837_COL_CUSTOM, C837_COL_AT(prow, m), .min = mn, \
   .max = mx, .expect = ex, .parse = opt_parse, .format = opt_format}
#define WIN_COL(nm, m)                                                   \
  {.name = nm, .type = C837_COL_CUSTOM, C837_COL_AT(prow, m),           \
   .parse = window_parse, .format = window_format}

enum { PO_CLASS, PO_PAYER, PO_REPEAT, PO_NDC, PO_KX, PO_JZ, PO_PW,
       PO_PW_NON, PO_STEP, PO_TRIAL, PO_NOTE, PO_COUNT };
static const c837_csvcol option_cols[PO_COUNT] = {
    {.name = "class", .type = C837_COL_ENUM, C837_COL_AT(prow, cls),
     .names = opt_class_names, .n_names = C837_PAYER_CLASS_COUNT + 1},
    {.name = "payer_id", .type = C837_COL_BYTES, C837_COL_AT(prow, payer_id)},
    {.name = "repeat_window", .type = C837_COL_CUSTOM,
     C837_COL_AT(prow, repeat), .min = 1, .max = 36500,
     .expect = "lifetime, a number of days 1 to 36500, or empty",
     .parse = repeat_parse, .format = repeat_format},
    OPT_COL("ndc_required", ndc, 0, 1, "0, 1 or empty"),
    WIN_COL("kx_required", kx),
    WIN_COL("jz_required", jz),
    OPT_COL("payment_window_days", pw, 0, 30, "a number of days 0 to 30 or "
                                              "empty"),
    OPT_COL("payment_window_days_non_ipps", pw_non, 0, 30,
            "a number of days 0 to 30 or empty"),
    OPT_COL("step_window_days", step, 1, 36500, "a number of days 1 to "
                                                "36500 or empty"),
    OPT_COL("trial_coding", trial, 0, 1, "0, 1 or empty"),
    {.name = "note", .type = C837_COL_TEXT, C837_COL_AT(prow, note)},
};

enum { PC_SBR09, PC_CLASS, PC_MEANING, PC_SOURCE, PC_COUNT };
static const c837_csvcol class_cols[PC_COUNT] = {
    {.name = "sbr09", .type = C837_COL_CODE, C837_COL_AT(crow, sbr09),
     .flags = C837_COL_REQUIRED | C837_COL_IN_HEADER},
    {.name = "class", .type = C837_COL_ENUM, C837_COL_AT(crow, cls),
     .flags = C837_COL_REQUIRED | C837_COL_IN_HEADER, .names = class_names,
     .n_names = C837_PAYER_CLASS_COUNT},
    {.name = "meaning", .type = C837_COL_TEXT, C837_COL_AT(crow, meaning)},
    {.name = "source", .type = C837_COL_TEXT, C837_COL_AT(crow, source)},
};

enum { PV_NPI, PV_TYPE, PV_NAME, PV_NOTE, PV_COUNT };
static const c837_csvcol provider_cols[PV_COUNT] = {
    {.name = "npi", .type = C837_COL_CODE, C837_COL_AT(vrow, npi),
     .flags = C837_COL_REQUIRED | C837_COL_IN_HEADER, .check = npi_check},
    {.name = "type", .type = C837_COL_ENUM, C837_COL_AT(vrow, type),
     .flags = C837_COL_REQUIRED | C837_COL_IN_HEADER,
     .names = provider_names, .n_names = 3},
    {.name = "name", .type = C837_COL_TEXT, C837_COL_AT(vrow, name)},
    {.name = "note", .type = C837_COL_TEXT, C837_COL_AT(vrow, note)},
};

static const c837_csvschema option_schema = {
    option_cols, PO_COUNT, sizeof(prow), C837_CSV_TRIM | C837_CSV_BY_NAME,
    "empty", "a column name of specs/payers.csv"};
static const c837_csvschema class_schema = {
    class_cols, PC_COUNT, sizeof(crow), C837_CSV_TRIM | C837_CSV_BY_NAME,
    "empty", "a column name of specs/payer_classes.csv"};
static const c837_csvschema provider_schema = {
    provider_cols, PV_COUNT, sizeof(vrow), C837_CSV_TRIM | C837_CSV_BY_NAME,
    "empty", "a column name of a providers file (specs/payers.md)"};

_Static_assert(sizeof(c837_payer_class) == sizeof(int) &&
                   sizeof(c837_provider_type) == sizeof(int),
               "enums are read as an int (C837_COL_ENUM)");

/* A row names a class or a payer id (or both). */
static void check_option(const c837_rlist_chk *k, const void *row)
{
  const prow *r = row;
  if (r->cls == 0 && r->payer_id[0] == '\0')
    c837_rlist_fail(k, PO_CLASS, PO_PAYER,
                    "expected a class or a payer_id, found neither");
}

static const c837_rlist_def option_def = {
    "class and payer_id", "list", &option_schema, PO_PAYER,
    {PO_CLASS, PO_PAYER}, 2, C837_LIST_MAX_ROWS, check_option};
static const c837_rlist_def class_def = {
    "sbr09", "list", &class_schema, PC_SBR09, {PC_SBR09}, 1,
    C837_LIST_MAX_ROWS, NULL};
static const c837_rlist_def provider_def = {
    "npi", "list", &provider_schema, PV_NPI, {PV_NPI}, 1,
    C837_LIST_MAX_ROWS, NULL};

/* ------------------------------------------------------------------ */
/* Public API                                                          */
/* ------------------------------------------------------------------ */

c837_payers *c837_payers_builtin(c837_error *err)
{
  c837_error local;
  c837_payers *p;
  if (err == NULL)
    err = &local;
  c837_error_clear(err);
  p = calloc(1, sizeof *p);
  if (p == NULL) {
    c837_error_set(err, C837_ENOMEM, 0, 0, "%s", c837_strerror(C837_ENOMEM));
    return NULL;
  }
  p->base = medicare;
  c837_rlist_init(&p->options, &option_def);
  c837_rlist_init(&p->classes, &class_def);
  c837_rlist_init(&p->providers, &provider_def);
  if (c837_rlist_load(&p->classes, "<built-in specs/payer_classes.csv>",
                      c837_builtin_payer_classes_csv,
                      (size_t)c837_builtin_payer_classes_csv_len, 1, p,
                      err) != C837_OK ||
      c837_rlist_load(&p->options, "<built-in specs/payers.csv>",
                      c837_builtin_payers_csv,
                      (size_t)c837_builtin_payers_csv_len, 1, p,
                      err) != C837_OK) {
    c837_payers_free(p);
    return NULL;
  }
  return p;
}

static c837_status load(c837_payers *p, c837_rlist *L, const char *path,
                        c837_error *err)
{
  c837_error local;
  if (err == NULL)
    err = &local;
  c837_error_clear(err);
  if (p == NULL || path == NULL)
    return c837_error_set(err, C837_EINVAL, 0, 0, "payers or path missing");
  return c837_rlist_load_file(L, path, 0, p, err);
}

c837_status c837_payers_load(c837_payers *p, const char *path,
                             c837_error *err)
{
  return load(p, p ? &p->options : NULL, path, err);
}

c837_status c837_payers_load_classes(c837_payers *p, const char *path,
                                     c837_error *err)
{
  return load(p, p ? &p->classes : NULL, path, err);
}

c837_status c837_payers_load_providers(c837_payers *p, const char *path,
                                       c837_error *err)
{
  return load(p, p ? &p->providers : NULL, path, err);
}

/* The option row of payer id id ("" for the class rows' group) and class
 * cls + 1 (0: any class), or NULL. */
static const prow *option_row(const c837_payers *p, const char *id, int cls)
{
  const prow *r;
  size_t it;
  for (r = c837_rlist_first(&p->options, id, strlen(id), &it); r;
       r = c837_rlist_next(&p->options, &it))
    if (cls == 0 || r->cls == cls)
      return r;
  return NULL;
}

c837_payer_class c837_payers_class(const c837_payers *p, const char *sbr09,
                                   const char *payer_id)
{
  const prow *r;
  const crow *c;
  size_t it;
  if (p == NULL)
    return C837_PAYER_UNKNOWN;
  if (payer_id && payer_id[0] && (r = option_row(p, payer_id, 0)) &&
      r->cls > 0)
    return (c837_payer_class)(r->cls - 1);
  if (sbr09 && sbr09[0] &&
      (c = c837_rlist_first(&p->classes, sbr09, strlen(sbr09), &it)))
    return c->cls;
  return C837_PAYER_UNKNOWN;
}

/* Lays the values row r sets over *s. */
static void apply(c837_payer_settings *s, const prow *r)
{
  if (r->repeat)
    s->repeat_window_days = r->repeat == 1 ? 0 : r->repeat - 1;
  if (r->ndc)
    s->ndc_required = r->ndc - 1;
  if (r->kx.set)
    s->kx_required = r->kx.w;
  if (r->jz.set)
    s->jz_required = r->jz.w;
  if (r->pw)
    s->payment_window_days = r->pw - 1;
  if (r->pw_non)
    s->payment_window_days_non_ipps = r->pw_non - 1;
  if (r->step)
    s->step_window_days = r->step - 1;
  if (r->trial)
    s->trial_coding = r->trial - 1;
}

void c837_payers_settings(const c837_payers *p, const char *sbr09,
                          const char *payer_id, c837_payer_settings *out)
{
  const prow *r;
  *out = medicare;
  if (p == NULL)
    return;
  *out = p->base;
  out->cls = c837_payers_class(p, sbr09, payer_id);
  if ((r = option_row(p, "", (int)out->cls + 1)) != NULL)
    apply(out, r);
  if (payer_id && payer_id[0] && (r = option_row(p, payer_id, 0)) != NULL)
    apply(out, r);
}

void c837_payers_defaults(const c837_payers *p, c837_payer_settings *out)
{
  if (out)
    *out = p ? p->base : medicare;
}

void c837_payers_set_defaults(c837_payers *p, const c837_payer_settings *s)
{
  if (p == NULL || s == NULL)
    return;
  p->base = *s;
  p->base.cls = C837_PAYER_UNKNOWN;
}

c837_provider_type c837_payers_provider(const c837_payers *p,
                                        const char *npi)
{
  const vrow *v;
  size_t it;
  if (p == NULL || npi == NULL ||
      !(v = c837_rlist_first(&p->providers, npi, strlen(npi), &it)))
    return C837_PROVIDER_IPPS;
  return v->type;
}

int c837_payers_window_days(const c837_payers *p,
                            const c837_payer_settings *s, const char *npi)
{
  switch (c837_payers_provider(p, npi)) {
  case C837_PROVIDER_NON_IPPS:
    return s->payment_window_days_non_ipps;
  case C837_PROVIDER_EXEMPT:
    return 0;
  default:
    return s->payment_window_days;
  }
}

int c837_payer_is_medicare_ffs(c837_payer_class c)
{
  return c == C837_PAYER_MEDICARE_A || c == C837_PAYER_MEDICARE_B;
}

int c837_window_has(const c837_window *w, int32_t date)
{
  return w && w->on && date > 0 && (!w->from || date >= w->from) &&
         (!w->to || date <= w->to);
}

c837_status c837_payers_write_csv(const c837_payers *p,
                                  c837_payers_file which, FILE *fp)
{
  const c837_rlist *L;
  if (p == NULL || fp == NULL)
    return C837_EINVAL;
  switch (which) {
  case C837_PAYERS_OPTIONS:
    L = &p->options;
    break;
  case C837_PAYERS_CLASSES:
    L = &p->classes;
    break;
  case C837_PAYERS_PROVIDERS:
    L = &p->providers;
    break;
  default:
    return C837_EINVAL;
  }
  if (c837_rlist_write(L, fp) != 0 || fflush(fp) != 0 || ferror(fp))
    return C837_EIO;
  return C837_OK;
}

void c837_payers_free(c837_payers *p)
{
  if (p == NULL)
    return;
  c837_rlist_free(&p->options);
  c837_rlist_free(&p->classes);
  c837_rlist_free(&p->providers);
  free(p);
}
