/* episodes_csv.c -- OUT/episodes.csv: one row per CAR-T episode
 * (audit.h; columns in README.md and specs/reports.md)
 *
 * The same conventions as findings.csv: a header row, every field quoted
 * by libcsv (csvschema.c), rows ended by CRLF, dates CCYY-MM-DD, money
 * as a decimal of at most 2 places.  Lists (codes, providers, claim ids,
 * finding ids, edits) are separated by one space, each value once, in
 * the order of the episode's steps (finding ids ascending), so that a
 * spreadsheet can split or search them.
 */
#include "run/audit_int.h"
#include "base/csvschema.h"
#include "base/err.h"

#include <stdlib.h>
#include <string.h>

/* One row of episodes.csv. */
typedef struct ep_row {
  int64_t episode;
  const char *patient, *payer_class;
  int64_t window;
  int32_t first_date, last_date, date[C837_EP_KINDS];
  const char *product_codes, *products, *providers, *claim_ids;
  int64_t lines, lines_ledger, lines_held, procedures;
  int64_t charges, charges_held;
  const char *findings, *edits;
} ep_row;

#define STR(n, m) {.name = n, .type = C837_COL_CSTR, C837_COL_AT(ep_row, m)}
#define DATE(n, m) {.name = n, .type = C837_COL_DATE, C837_COL_AT(ep_row, m)}
#define NUM(n, m)                                                        \
  {.name = n, .type = C837_COL_INT, C837_COL_AT(ep_row, m), .min = 0,     \
   .max = INT64_MAX}
#define MONEY(n, m)                                                      \
  {.name = n, .type = C837_COL_DECIMAL, C837_COL_AT(ep_row, m),           \
   .scale = 2, .min = INT64_MIN, .max = INT64_MAX}

static const c837_csvcol ep_cols[] = {
    NUM("episode", episode),
    STR("patient", patient),
    STR("payer_class", payer_class),
    NUM("window_days", window),
    DATE("first_date", first_date),
    DATE("last_date", last_date),
    DATE("collect_date", date[C837_EP_COLLECT]),
    DATE("ship_date", date[C837_EP_SHIP]),
    DATE("receive_date", date[C837_EP_RECEIVE]),
    DATE("administer_date", date[C837_EP_ADMIN]),
    DATE("product_date", date[C837_EP_PRODUCT]),
    STR("product_codes", product_codes),
    STR("products", products),
    STR("providers", providers),
    STR("claim_ids", claim_ids),
    NUM("lines", lines),
    NUM("lines_ledger", lines_ledger),
    NUM("lines_held", lines_held),
    NUM("procedures", procedures),
    MONEY("charges", charges),
    MONEY("charges_held", charges_held),
    STR("findings", findings),
    STR("edits", edits),
};

#undef STR
#undef DATE
#undef NUM
#undef MONEY

static const c837_csvschema ep_schema = {
    ep_cols, sizeof ep_cols / sizeof ep_cols[0], sizeof(ep_row), 0, "empty",
    NULL};

/* A list of distinct values joined by spaces. */
typedef struct list {
  c837_map seen;
  c837_buf text;
} list;

static void list_clear(list *l)
{
  c837_map_clear(&l->seen);
  c837_buf_clear(&l->text);
}

/* Adds s once (nothing for "").  0 or -1 (out of memory). */
static int list_add(list *l, const char *s)
{
  size_t id;
  int rc;
  if (!*s)
    return 0;
  rc = c837_map_intern(&l->seen, s, strlen(s), &id);
  if (rc <= 0)
    return rc;
  if ((l->text.len && c837_buf_putc(&l->text, ' ') != 0) ||
      c837_buf_puts(&l->text, s) != 0)
    return -1;
  return 0;
}

/* NUL-terminates the list and returns its text. */
static const char *list_text(list *l)
{
  if (c837_buf_putc(&l->text, '\0') != 0)
    return NULL;
  l->text.len--;
  return l->text.p;
}

static void list_free(list *l)
{
  c837_map_free(&l->seen);
  c837_buf_free(&l->text);
}

enum { L_CODES, L_PRODUCTS, L_PROVIDERS, L_CLAIMS, L_FINDINGS, L_EDITS,
       L_N };

static int by_u64(const void *pa, const void *pb)
{
  uint64_t a = *(const uint64_t *)pa, b = *(const uint64_t *)pb;
  return a < b ? -1 : a > b;
}

/* The writer's scratch: the lists of a row and the finding ids. */
struct c837_epcsv {
  list l[L_N];
  c837_buf ids;
  c837_estep sb;
};

c837_epcsv *c837_epcsv_new(void)
{
  return calloc(1, sizeof(c837_epcsv));
}

void c837_epcsv_free(c837_epcsv *w)
{
  int k;
  if (!w)
    return;
  for (k = 0; k < L_N; k++)
    list_free(&w->l[k]);
  c837_buf_free(&w->ids);
  free(w);
}

/* The finding ids of episode e, ascending, into l[L_FINDINGS] and their
 * edits (in edit order) into l[L_EDITS].  0 or -1. */
static int episode_findings(c837_epcsv *w, const c837_audit_model *m,
                            const c837_episode *e, const c837_sref *order)
{
  size_t i, n;
  unsigned char edits[C837_EDIT_COUNT] = {0};
  uint64_t *v;
  int k;
  c837_buf_clear(&w->ids);
  for (i = e->first; i < e->first + e->n; i++) {
    const c837_mstep *s;
    uint32_t j;
    if (order[i].ref >= m->n_steps)
      continue; /* a ledger line: no finding of this run */
    s = &m->steps[order[i].ref];
    for (j = 0; j < s->n_ids; j++) {
      if (c837_buf_put(&w->ids, &m->ids[s->ids_at + j], sizeof(uint64_t)) !=
          0)
        return -1;
      edits[m->id_edits[s->ids_at + j] % C837_EDIT_COUNT] = 1;
    }
  }
  n = w->ids.len / sizeof(uint64_t);
  v = (uint64_t *)(void *)w->ids.p;
  if (n)
    qsort(v, n, sizeof *v, by_u64);
  for (i = 0; i < n; i++) {
    char num[24];
    snprintf(num, sizeof num, "%llu", (unsigned long long)v[i]);
    if (list_add(&w->l[L_FINDINGS], num) != 0)
      return -1;
  }
  for (k = 0; k < C837_EDIT_COUNT; k++)
    if (edits[k] &&
        list_add(&w->l[L_EDITS], c837_edit_name((c837_edit)k)) != 0)
      return -1;
  return 0;
}

/* The lists of episode e; *patient its patient's key.  0 or -1. */
static int episode_lists(c837_epcsv *w, const c837_audit_model *m,
                         const c837_episode *e, const c837_sref *order)
{
  size_t i;
  int k;
  for (k = 0; k < L_N; k++)
    list_clear(&w->l[k]);
  for (i = e->first; i < e->first + e->n; i++) {
    const c837_estep *s = c837_episodes_step(m, order[i].ref, &w->sb);
    if (s->kind == C837_EP_PRODUCT && list_add(&w->l[L_CODES], s->code) != 0)
      return -1;
    if (list_add(&w->l[L_PRODUCTS], s->product) != 0 ||
        list_add(&w->l[L_PROVIDERS], s->provider) != 0 ||
        list_add(&w->l[L_CLAIMS], s->claim_id) != 0)
      return -1;
  }
  return episode_findings(w, m, e, order);
}

/* Fills row from episode e (number no), its patient and its lists.  0
 * or -1. */
static int fill_row(const c837_episode *e, size_t no, const char *patient,
                    list *l, ep_row *row)
{
  const char *t[L_N];
  int k;
  for (k = 0; k < L_N; k++)
    if (!(t[k] = list_text(&l[k])))
      return -1;
  memset(row, 0, sizeof *row);
  row->episode = (int64_t)no;
  row->patient = patient;
  row->payer_class = c837_payer_class_name((c837_payer_class)e->payer_class);
  row->window = e->window;
  row->first_date = e->first_date;
  row->last_date = e->last_date;
  memcpy(row->date, e->date, sizeof row->date);
  row->product_codes = t[L_CODES];
  row->products = t[L_PRODUCTS];
  row->providers = t[L_PROVIDERS];
  row->claim_ids = t[L_CLAIMS];
  row->lines = (int64_t)e->lines;
  row->lines_ledger = (int64_t)e->lines_ledger;
  row->lines_held = (int64_t)e->lines_held;
  row->procedures = (int64_t)e->procedures;
  row->charges = e->charges;
  row->charges_held = e->charges_held;
  row->findings = t[L_FINDINGS];
  row->edits = t[L_EDITS];
  return 0;
}

int c837_epcsv_header(FILE *fp)
{
  return c837_csvschema_write_header(&ep_schema, fp, "\r\n") != 0 ? -2 : 0;
}

int c837_epcsv_row(c837_epcsv *w, FILE *fp, const c837_audit_model *m,
                   const c837_episode *e, const c837_sref *order, size_t no)
{
  const char *patient;
  ep_row row;
  if (episode_lists(w, m, e, order) != 0)
    return -1;
  /* the patient of the first step (the view is used up by the lists) */
  patient = c837_episodes_step(m, order[e->first].ref, &w->sb)->patient;
  if (fill_row(e, no, patient, w->l, &row) != 0)
    return -1;
  return c837_csvschema_write_row(&ep_schema, &row, fp, "\r\n") != 0 ? -2
                                                                      : 0;
}
