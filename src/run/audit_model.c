/* audit_model.c -- reading the spool back into the model (audit.h)
 *
 * c837_audit_finish reads every record once, in run order: a claim
 * record adds its figures and money to the run, its payer class, its
 * file, its provider and its edits; a finding record adds its date of
 * service to the time axis and, while there is room
 * (C837_HTML_MAX_FINDINGS), its place to the index of listed findings;
 * a step record becomes a step of an episode (episodes.c does the
 * rest).  Envelope rows count for their edit and file.  The index is
 * then sorted by edit, file and id: the order the page lists them in.
 */
#include "run/audit_int.h"
#include "base/err.h"
#include "base/limits.h"
#include "base/sort.h"

#include <stdlib.h>
#include <string.h>

static void money_claim(c837_money *m, const c837_aclaim *c)
{
  uint32_t k;
  m->claims += c->count;
  m->cart_lines += c->n_cart;
  m->findings += c->findings;
  if (c->outcome < C837_AT_N) {
    m->claims_at[c->outcome]++;
    m->charges_at[c->outcome] += c->charge;
  }
  for (k = 0; k < C837_AT_N; k++) {
    m->lines_at[k] += c->lines_at[k];
    m->line_charges_at[k] += c->line_charges_at[k];
  }
}

/* The provider entry of NPI npi (added when new, with its name); NULL
 * when out of memory. */
static c837_money *provider(c837_audit_model *m, const char *npi,
                            const char *name)
{
  size_t id, name_id, cap = m->cap_prov;
  int rc = c837_map_intern(&m->providers, npi, strlen(npi), &id);
  if (rc < 0)
    return NULL;
  if (rc == 1) {
    if (c837_vec_reserve(&m->prov, &m->cap_prov, id + 1, sizeof *m->prov,
                         16, 0) != 0 ||
        c837_vec_reserve(&m->prov_name, &cap, id + 1, sizeof *m->prov_name,
                         16, 0) != 0 ||
        c837_map_intern(&m->strs, name, strlen(name), &name_id) < 0)
      return NULL;
    memset(&m->prov[id], 0, sizeof m->prov[id]);
    m->prov_name[id] = (uint32_t)name_id;
  }
  return &m->prov[id];
}

static int add_claim(c837_audit_model *m, const c837_aclaim *c)
{
  c837_money *p;
  uint32_t k;
  money_claim(&m->total, c);
  money_claim(&m->payer[c->payer_class], c);
  if (c->file < m->n_file)
    money_claim(&m->file[c->file], c);
  if (!(p = provider(m, c->provider, c->provider_name)))
    return -1;
  money_claim(p, c);
  for (k = 0; k < c->n_edits; k++) {
    c837_edit_money *e = &m->edit[c->edits[k].edit];
    e->findings += c->edits[k].findings;
    e->claims++;
    e->claim_charges += c->charge;
    e->lines += c->edits[k].lines;
    e->line_charges += c->edits[k].line_charges;
  }
  if (c->kept && c->outcome < C837_AT_N)
    m->claims_shown++;
  return 0;
}

/* The time axis: one more finding on date (and, the first time its
 * line is seen, the line's charge). */
static int add_day(c837_audit_model *m, int32_t date, int64_t charge,
                   size_t *cap)
{
  size_t lo = 0, hi = m->n_days;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    if (m->days[mid].date < date)
      lo = mid + 1;
    else
      hi = mid;
  }
  if (lo == m->n_days || m->days[lo].date != date) {
    if (c837_vec_reserve(&m->days, cap, m->n_days + 1, sizeof *m->days, 64,
                         0) != 0)
      return -1;
    memmove(&m->days[lo + 1], &m->days[lo],
            (m->n_days - lo) * sizeof *m->days);
    memset(&m->days[lo], 0, sizeof m->days[lo]);
    m->days[lo].date = date;
    m->n_days++;
  }
  m->days[lo].findings++;
  m->days[lo].line_charges += charge;
  return 0;
}

/* The reading state: the last line seen (a line's findings come one
 * after the other), the capacities of the growing arrays. */
typedef struct reader {
  uint64_t last_seq;
  char last_line[16];
  size_t cap_days, cap_listed, cap_steps;
} reader;

static int add_finding(c837_audit_model *m, reader *rd,
                       const c837_afinding *f, off_t off)
{
  int new_line;
  m->rows++;
  if (f->seq == 0) { /* an envelope row: counted here, not by a claim */
    m->total.findings++;
    m->edit[f->edit].findings++;
    if (f->file < m->n_file)
      m->file[f->file].findings++;
  }
  new_line = f->line[0] && (f->seq != rd->last_seq ||
                            strcmp(f->line, rd->last_line) != 0);
  rd->last_seq = f->seq;
  snprintf(rd->last_line, sizeof rd->last_line, "%s", f->line);
  if (!f->date_from)
    m->undated++;
  else if (add_day(m, f->date_from,
                   new_line && f->line_charge_ok ? f->line_charge : 0,
                   &rd->cap_days) != 0)
    return -1;
  if (m->n_listed >= C837_HTML_MAX_FINDINGS)
    return 0;
  if (c837_vec_reserve(&m->listed, &rd->cap_listed, m->n_listed + 1,
                       sizeof *m->listed, 256, 0) != 0)
    return -1;
  m->listed[m->n_listed].off = off;
  m->listed[m->n_listed].file = f->file;
  m->listed[m->n_listed].edit = f->edit;
  m->n_listed++;
  return 0;
}

/* s's string as an id of m->strs; -1 when out of memory. */
static int str_id(c837_audit_model *m, const char *s, uint32_t *id)
{
  size_t v;
  if (c837_map_intern(&m->strs, s, strlen(s), &v) < 0)
    return -1;
  *id = (uint32_t)v;
  return 0;
}

/* The finding ids and edits of s, appended to the model's arrays for
 * ms.  0 or -1 (out of memory). */
static int add_ids(c837_audit_model *m, const c837_astep *s, c837_mstep *ms)
{
  uint32_t i;
  size_t cap = m->cap_ids;
  if (c837_vec_reserve(&m->ids, &m->cap_ids, m->n_ids + s->n_ids,
                       sizeof *m->ids, 256, 0) != 0 ||
      c837_vec_reserve(&m->id_edits, &cap, m->n_ids + s->n_ids,
                       sizeof *m->id_edits, 256, 0) != 0)
    return -1;
  ms->ids_at = (uint32_t)m->n_ids;
  ms->n_ids = (uint16_t)s->n_ids; /* checked by c837_arec_get_step */
  for (i = 0; i < s->n_ids; i++) {
    m->ids[m->n_ids] = c837_astep_id(s, i);
    m->id_edits[m->n_ids++] = (unsigned char)s->edits[i];
  }
  return 0;
}

static int add_step(c837_audit_model *m, reader *rd, const c837_astep *s)
{
  c837_mstep *ms;
  if (c837_vec_reserve(&m->steps, &rd->cap_steps, m->n_steps + 1,
                       sizeof *m->steps, 64, 0) != 0)
    return -1;
  ms = &m->steps[m->n_steps];
  memset(ms, 0, sizeof *ms);
  ms->seq = s->seq;
  ms->file = s->file;
  /* kind, state and payer_class are checked by c837_arec_get_step */
  ms->kind = (uint8_t)s->kind;
  ms->state = (uint8_t)s->state;
  ms->pcs = s->pcs != 0;
  ms->payer_class = (uint8_t)s->payer_class;
  ms->replaces = s->replaces != 0;
  ms->window = s->window;
  ms->date_from = s->date_from;
  ms->date_to = s->date_to;
  ms->charge = s->charge_ok ? s->charge : 0;
  if (str_id(m, s->patient, &ms->patient) != 0 ||
      str_id(m, s->claim_id, &ms->claim_id) != 0 ||
      str_id(m, s->provider, &ms->provider) != 0 ||
      str_id(m, s->lx, &ms->lx) != 0 || str_id(m, s->code, &ms->code) != 0 ||
      str_id(m, s->product, &ms->product) != 0 ||
      str_id(m, s->units, &ms->units) != 0 ||
      add_ids(m, s, ms) != 0)
    return -1;
  m->n_steps++;
  return 0;
}

/* One record of the spool into the model.  0, -1 out of memory, -2 a
 * record that is not one. */
static int add_record(c837_audit_model *m, reader *rd, int type,
                      const c837_buf *b, off_t off)
{
  c837_recr r;
  c837_recr_init(&r, b);
  if (type == C837_REC_CLAIM) {
    c837_aclaim c;
    c837_arec_get_claim(&r, &c);
    return r.bad ? -2 : add_claim(m, &c);
  }
  if (type == C837_REC_PASSED) {
    c837_aclaim c;
    c837_arec_get_passed(&r, &c);
    return r.bad ? -2 : add_claim(m, &c);
  }
  if (type == C837_REC_FINDING) {
    c837_afinding f;
    c837_arec_get_finding(&r, &f);
    return r.bad ? -2 : add_finding(m, rd, &f, off);
  }
  if (type == C837_REC_STEP) {
    c837_astep s;
    c837_arec_get_step(&r, &s);
    return r.bad ? -2 : add_step(m, rd, &s);
  }
  return -2;
}

static int by_edit_file(const void *pa, const void *pb)
{
  const c837_listed *a = pa, *b = pb;
  if (a->edit != b->edit)
    return a->edit < b->edit ? -1 : 1;
  if (a->file != b->file)
    return a->file < b->file ? -1 : 1;
  return a->off < b->off ? -1 : a->off > b->off;
}

/* Reads the spool into a->m.  C837_OK or the error. */
static c837_status read_spool(c837_audit *a, c837_error *err)
{
  c837_audit_model *m = &a->m;
  reader rd;
  off_t off;
  int type, rc;
  memset(&rd, 0, sizeof rd);
  m->n_file = c837_map_count(&a->files);
  m->file = calloc(m->n_file ? m->n_file : 1, sizeof *m->file);
  if (!m->file)
    return c837_error_set(err, C837_ENOMEM, 0, 0, "out of memory");
  if (c837_spool_start(&a->sp) != 0)
    return c837_error_set(err, C837_EIO, 0, 0, "%s", a->sp.why);
  while ((rc = c837_spool_read(&a->sp, -1, &type, &a->rd, &off)) == 1) {
    rc = add_record(m, &rd, type, &a->rd, off);
    if (rc == -1)
      return c837_error_set(err, C837_ENOMEM, 0, 0, "out of memory");
    if (rc == -2)
      return c837_error_set(err, C837_EIO, 0, 0,
                            "the report spool holds a record that is not "
                            "one (at byte %lld)",
                            (long long)off);
  }
  if (rc == -2)
    return c837_error_set(err, C837_ENOMEM, 0, 0, "out of memory");
  if (rc < 0)
    return c837_error_set(err, C837_EIO, 0, 0, "%s", a->sp.why);
  if (m->n_listed)
    c837_sort(m->listed, m->n_listed, sizeof *m->listed, by_edit_file);
  return C837_OK;
}

c837_status c837_audit_finish(c837_audit *a, const c837_engine *engine,
                              c837_error *err)
{
  char path[PATH_MAX];
  c837_status st;
  if (a->failed) {
    *err = a->err;
    return err->code;
  }
  if (c837_audit_flush(a) != 0) {
    *err = a->err;
    return err->code != C837_OK ? err->code : C837_EIO;
  }
  c837_audit_model_free(&a->m);
  a->built = 0;
  if ((st = read_spool(a, err)) != C837_OK)
    return st;
  snprintf(path, sizeof path, "%s/episodes.csv", a->dir);
  c837_out_abort(&a->episodes);
  c837_out_init(&a->episodes, path, 0);
  st = c837_episodes_build(&a->m, engine, a->t, a->last_run + 1, a->payers,
                           &a->episodes, err);
  if (st == C837_OK)
    a->built = 1;
  return st;
}

c837_out *c837_audit_episodes_out(c837_audit *a)
{
  return &a->episodes;
}

const c837_audit_model *c837_audit_model_of(const c837_audit *a)
{
  return a && a->built ? &a->m : NULL;
}

int c837_audit_spool_failed(const c837_audit *a)
{
  return a->sp.failed;
}

int c837_audit_read_finding(c837_audit *a, off_t off, c837_afinding *f)
{
  c837_recr r;
  int type, rc = c837_spool_read(&a->sp, off, &type, &a->rd, NULL);
  if (rc == -2)
    return -1; /* out of memory */
  if (rc == 1 && type == C837_REC_FINDING) {
    c837_recr_init(&r, &a->rd);
    c837_arec_get_finding(&r, f);
    if (!r.bad)
      return 0;
  }
  a->sp.failed = 1; /* not the record the index says: damaged */
  return -1;
}

int c837_audit_each_claim(c837_audit *a,
                          int (*fn)(void *ud, const c837_aclaim *c),
                          void *ud)
{
  int type, rc;
  if (c837_spool_start(&a->sp) != 0)
    return -1;
  while ((rc = c837_spool_read(&a->sp, -1, &type, &a->rd, NULL)) == 1) {
    c837_recr r;
    c837_aclaim c;
    if (type != C837_REC_CLAIM)
      continue;
    c837_recr_init(&r, &a->rd);
    c837_arec_get_claim(&r, &c);
    if (r.bad) {
      a->sp.failed = 1; /* damaged */
      return -1;
    }
    if (fn(ud, &c))
      break;
  }
  return rc < 0 ? -1 : 0;
}

void c837_audit_model_free(c837_audit_model *m)
{
  c837_map_free(&m->providers);
  c837_map_free(&m->strs);
  free(m->prov);
  free(m->prov_name);
  free(m->file);
  free(m->days);
  free(m->listed);
  free(m->steps);
  free(m->order_of);
  free(m->ids);
  free(m->id_edits);
  free(m->episodes);
  memset(m, 0, sizeof *m);
}
