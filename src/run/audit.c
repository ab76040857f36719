/* audit.c -- gathering what report.html and episodes.csv show (audit.h)
 *
 * report.c calls in for every claim it reports (c837_audit_claim: the
 * claim record and its CAR-T step records) and every finding row
 * (c837_audit_finding: the row as findings.csv has it, with its money),
 * and with its mark and rollback.  The writer's tap fills a->tap with a
 * fixed claim's bytes as they go out; the claim record takes them, cut
 * at C837_HTML_CLAIM_BYTES, while the run's budget of spooled segments
 * (C837_HTML_SEGMENT_BYTES) lasts.  Memory: the current claim's bytes
 * and a few scratch buffers; everything else is in the spool.
 */
#include "run/audit_int.h"
#include "write/writer_tap.h"
#include "edit/engine_hist.h"
#include "base/err.h"
#include "base/limits.h"

#include <stdlib.h>
#include <string.h>

/* Out of memory while recording: the file being read fails (its records
 * are taken back by c837_audit_rollback, which ends this state) and the
 * run may go on. */
static int fail_nomem(c837_audit *a)
{
  if (!a->failed) {
    c837_error_set(&a->err, C837_ENOMEM, 0, 0, "out of memory");
    a->failed = 2;
  }
  return -1;
}

/* The spool failed: for good, or (a failed write) until the rollback of
 * the file, as fail_nomem. */
static int fail_spool(c837_audit *a)
{
  if (!a->failed) {
    c837_error_set(&a->err, C837_EIO, 0, 0, "%s", a->sp.why);
    a->failed = a->sp.failed == 2 ? 2 : 1;
  }
  return -1;
}

static int flush_run(c837_audit *a);

/* The writer tap: the fixed claim's bytes, kept up to the limit. */
static int tap_write(void *ud, const void *p, size_t n)
{
  c837_audit *a = ud;
  size_t room = C837_HTML_CLAIM_BYTES - a->tap.len;
  a->tap_total += n;
  if (n > room)
    n = room;
  if (n && c837_buf_put(&a->tap, p, n) != 0)
    a->tap_lost = 1; /* c837_audit_claim fails the file: out of memory */
  return 0;
}

c837_audit *c837_audit_open(const char *dir, const c837_engine *engine,
                            const c837_codetable *t,
                            const c837_payers *payers, c837_error *err)
{
  c837_audit *a = calloc(1, sizeof *a);
  size_t i, n;
  if (!a) {
    c837_error_set(err, C837_ENOMEM, 0, 0, "out of memory");
    return NULL;
  }
  a->t = t;
  a->payers = payers;
  if (!payers) {
    a->own_payers = c837_payers_builtin(err);
    if (!a->own_payers) {
      free(a);
      return NULL;
    }
    a->payers = a->own_payers;
  }
  a->tap.limit = C837_HTML_CLAIM_BYTES;
  a->rd.limit = C837_AUDIT_MAX_RECORD;
  c837_out_init(&a->episodes, NULL, 0);
  if (c837_spool_open(&a->sp, dir, err) != C837_OK) {
    c837_payers_free(a->own_payers);
    free(a);
    return NULL;
  }
  snprintf(a->dir, sizeof a->dir, "%s", dir);
  /* this run's ledger rows get one more than the largest run loaded */
  n = engine ? c837_engine_history_count(engine) : 0;
  for (i = 0; i < n; i++) {
    c837_hist_key k;
    if (c837_engine_history_key(engine, i, &k) && k.run > a->last_run)
      a->last_run = k.run;
  }
  return a;
}

void c837_audit_free(c837_audit *a)
{
  if (!a)
    return;
  c837_spool_close(&a->sp);
  c837_out_abort(&a->episodes);
  c837_payers_free(a->own_payers);
  c837_map_free(&a->files);
  c837_buf_free(&a->tap);
  c837_buf_free(&a->in);
  c837_buf_free(&a->scratch);
  c837_buf_free(&a->ids);
  c837_buf_free(&a->rd);
  c837_buf_free(&a->w.b);
  c837_buf_free(&a->wr.b);
  c837_buf_free(&a->run_who);
  c837_buf_free(&a->last_name);
  c837_audit_model_free(&a->m);
  free(a);
}

void c837_audit_tap(c837_audit *a, c837_writer *w)
{
  c837_sink s = {tap_write, a};
  if (!w)
    return;
  a->tap_armed = 1;
  c837_writer_tap(w, &s);
}

void c837_audit_facts(const c837_audit *a, const c837_claim *c,
                      const c837_verdict *v, c837_payer_class *cls,
                      c837_disposition *disp)
{
  *cls = c837_payers_class(a->payers, c->filing, c->payer.id);
  *disp = v->disposition;
  /* a fixed claim writes at least its CLM through the tap; nothing
   * came: the writer held it as it came (its amounts overflow) */
  if (*disp == C837_DISP_FIXED && v->n_fixes && a->tap_armed &&
      a->tap_total == 0)
    *disp = C837_DISP_HELD;
}

int c837_audit_mark(c837_audit *a)
{
  if (a->failed || flush_run(a) != 0)
    return -1;
  a->mark_seq = a->seq;
  a->mark_kept = a->kept;
  c837_buf_clear(&a->tap);
  a->tap_total = 0;
  a->tap_lost = 0;
  return c837_spool_mark(&a->sp) == 0 ? 0 : fail_spool(a);
}

int c837_audit_rollback(c837_audit *a)
{
  if (a->failed == 2) /* fail_nomem: what failed is taken back now */
    a->failed = 0;
  if (a->failed)
    return -1;
  a->run_n = 0; /* the file's: not spooled, taken back with the rest */
  a->seq = a->mark_seq;
  a->kept = a->mark_kept;
  c837_buf_clear(&a->tap);
  a->tap_total = 0;
  a->tap_lost = 0;
  return c837_spool_rollback(&a->sp) == 0 ? 0 : fail_spool(a);
}

int c837_audit_file_failed(const c837_audit *a)
{
  return a && a->failed == 2;
}

void c837_audit_error(const c837_audit *a, c837_error *err)
{
  if (a && a->failed)
    *err = a->err;
  else
    c837_error_set(err, C837_EIO, 0, 0, "cannot write the report spool");
}

/* The id of file name, added when new; UINT32_MAX when out of memory. */
static uint32_t file_id(c837_audit *a, const char *name)
{
  size_t id;
  if (c837_map_intern(&a->files, name, strlen(name), &id) < 0)
    return UINT32_MAX;
  return (uint32_t)id;
}

uint32_t c837_audit_file_id(const c837_audit *a, const char *name)
{
  size_t id = c837_map_find(&a->files, name, strlen(name));
  return id == C837_MAP_NONE ? UINT32_MAX : (uint32_t)id;
}

const char *c837_audit_file_name(const c837_audit *a, uint32_t i)
{
  return i < c837_map_count(&a->files) ? c837_map_key(&a->files, i) : "";
}

/* Writes the passed claims not yet spooled as their one record.  0 or
 * -1. */
static int flush_run(c837_audit *a)
{
  c837_aclaim ac;
  if (!a->run_n)
    return 0;
  memset(&ac, 0, sizeof ac);
  ac.file = a->run_file;
  ac.provider = a->run_who.p;
  ac.provider_name = a->run_who.p + a->run_name;
  ac.payer_class = a->run_cls;
  ac.count = a->run_n;
  a->run_n = 0;
  c837_recw_clear(&a->wr);
  c837_arec_put_passed(&a->wr, &ac);
  if (a->wr.failed)
    return fail_nomem(a);
  if (c837_spool_put(&a->sp, C837_REC_PASSED, a->wr.b.p, a->wr.b.len) != 0)
    return fail_spool(a);
  return 0;
}

/* Appends the record built in a->w, after the passed claims before it.
 * 0 or -1. */
static int put_record(c837_audit *a, int type)
{
  if (flush_run(a) != 0)
    return -1;
  if (a->w.failed)
    return fail_nomem(a);
  if (c837_spool_put(&a->sp, type, a->w.b.p, a->w.b.len) != 0)
    return fail_spool(a);
  return 0;
}

int c837_audit_flush(c837_audit *a)
{
  if (a->failed)
    return -1;
  return flush_run(a);
}

int c837_audit_finding(c837_audit *a, const char *file,
                       c837_afinding *f)
{
  if (a->failed)
    return -1;
  f->file = file_id(a, file);
  if (f->file == UINT32_MAX)
    return fail_nomem(a);
  c837_recw_clear(&a->w);
  c837_arec_put_finding(&a->w, f);
  return put_record(a, C837_REC_FINDING);
}

/* The outcome money of a line with findings is counted under. */
static uint32_t line_outcome(const c837_verdict *v, c837_disposition disp,
                             size_t li)
{
  size_t k;
  if (disp == C837_DISP_HELD)
    return C837_AT_HELD;
  for (k = 0; k < v->n_fixes; k++)
    if (v->fixes[k].line == li)
      return C837_AT_FIXED;
  return C837_AT_FLAGGED;
}

uint32_t c837_audit_outcome(const c837_verdict *v, c837_disposition disp,
                            size_t li)
{
  return line_outcome(v, disp, li);
}

/* The claim's money: lines with findings per outcome, and per edit its
 * findings, distinct lines and their charges.  a->scratch holds a mark
 * per line.  0 or -1 (out of memory). */
static int claim_money(c837_audit *a, const c837_claim *c,
                       const c837_verdict *v, c837_disposition disp,
                       c837_aclaim *ac)
{
  unsigned char *mark;
  size_t k;
  int e;
  if (v->n_findings == 0 && v->findings_dropped == 0)
    return 0; /* nearly every claim: nothing at any outcome, no edit */
  if (c837_buf_reserve(&a->scratch, c->n_lines + 1) != 0)
    return -1;
  mark = (unsigned char *)a->scratch.p;
  memset(mark, 0, c->n_lines + 1);
  for (k = 0; k < v->n_findings; k++) {
    size_t li = v->findings[k].line;
    if (li < c->n_lines && !mark[li]) {
      const c837_line *ln = &c->lines[li];
      uint32_t o = line_outcome(v, disp, li);
      mark[li] = 1;
      ac->lines_at[o]++;
      ac->line_charges_at[o] += ln->charge_ok ? ln->charge : 0;
    }
  }
  for (e = 0; e < C837_EDIT_COUNT; e++) {
    c837_aedit *ae = &ac->edits[ac->n_edits];
    memset(ae, 0, sizeof *ae);
    ae->edit = (uint32_t)e;
    ae->findings = v->dropped_by_edit[e];
    memset(mark, 0, c->n_lines + 1);
    for (k = 0; k < v->n_findings; k++) {
      size_t li = v->findings[k].line;
      if (v->findings[k].edit != (c837_edit)e)
        continue;
      ae->findings++;
      if (li < c->n_lines && !mark[li]) {
        mark[li] = 1;
        ae->lines++;
        ae->line_charges +=
            c->lines[li].charge_ok ? c->lines[li].charge : 0;
      }
    }
    if (ae->findings)
      ac->n_edits++;
  }
  return 0;
}

/* The claim's segments as they came, cut at the limit, into a->in. */
static int claim_bytes(c837_audit *a, const c837_claim *c, uint64_t *total)
{
  size_t i;
  c837_buf_clear(&a->in);
  *total = 0;
  for (i = 0; i < c->n_segs; i++) {
    size_t n = c->segs[i].raw_len, room = C837_HTML_CLAIM_BYTES - a->in.len;
    *total += n;
    if (n > room)
      n = room;
    if (n && c837_buf_put(&a->in, c->segs[i].raw, n) != 0)
      return -1;
  }
  return 0;
}

/* ---- the steps of a claim ----------------------------------------- */

/* The step kind of code row cr (0: not a step of an episode). */
static uint32_t kind_of(const c837_code *cr)
{
  if (!cr)
    return 0;
  if (cr->family == C837_FAM_STEP && cr->step >= 1 && cr->step <= 4)
    return (uint32_t)(C837_EP_COLLECT + cr->step - 1);
  return c837_family_is_product(cr->family) ? C837_EP_PRODUCT : 0;
}

/* What became of line li. */
static uint32_t step_state(const c837_claim *c, const c837_verdict *v,
                           c837_disposition disp, size_t li)
{
  size_t k;
  uint32_t st = C837_ES_PASSED;
  if (strcmp(c->freq, "8") == 0)
    return C837_ES_VOID;
  if (disp == C837_DISP_HELD)
    return C837_ES_HELD;
  for (k = 0; k < v->n_fixes; k++)
    if (v->fixes[k].line == li) {
      if (v->fixes[k].kind == C837_FIX_REMOVE)
        return C837_ES_REMOVED;
      st = C837_ES_FIXED;
    }
  return st;
}

/* The ids of the findings on line li into a->ids, their edits into
 * a->scratch; their count, or -1 (out of memory). */
static int64_t line_ids(c837_audit *a, const c837_verdict *v, size_t li,
                        uint64_t first_id)
{
  size_t k;
  int64_t n = 0;
  c837_buf_clear(&a->ids);
  c837_buf_clear(&a->scratch);
  for (k = 0; k < v->n_findings; k++) {
    uint64_t id = first_id + k;
    if (v->findings[k].line != li)
      continue;
    if (c837_buf_put(&a->ids, &id, sizeof id) != 0 ||
        c837_buf_putc(&a->scratch, (char)v->findings[k].edit) != 0)
      return -1;
    n++;
  }
  return n;
}

/* Inpatient administrations: an ICD-10-PCS code of the claim's HI that
 * proves a CAR-T administration (specs/pcs.csv, cart_admin), on its
 * procedure date (else the statement's first day). */
static int pcs_steps(c837_audit *a, const c837_claim *c,
                     const c837_verdict *v, c837_disposition disp,
                     c837_astep *s)
{
  size_t i;
  for (i = 0; i < c->n_px; i++) {
    const c837_hi_code *px = &c->px[i];
    const c837_pcs *p = c837_codetable_pcs(a->t, px->code, c->stmt_to);
    if (!p || !p->cart_admin)
      continue;
    s->kind = C837_EP_ADMIN;
    s->pcs = 1;
    s->state = step_state(c, v, disp, C837_NO_INDEX);
    s->family = (uint32_t)p->family;
    s->date_from = s->date_to = px->date ? px->date : c->stmt_from;
    s->charge = 0;
    s->charge_ok = 0;
    s->lx = "";
    s->code = px->code;
    s->product = p->product;
    s->units = "";
    s->n_ids = 0;
    s->ids = s->edits = NULL;
    c837_recw_clear(&a->w);
    c837_arec_put_step(&a->w, s);
    if (put_record(a, C837_REC_STEP) != 0)
      return -1;
  }
  return 0;
}

/* The step records of claim c: its step and product lines, then its
 * ICD-10-PCS administrations.  0 or -1. */
static int claim_steps(c837_audit *a, uint32_t fid, const c837_claim *c,
                       const c837_verdict *v, uint64_t first_id,
                       c837_payer_class cls, c837_disposition disp,
                       uint64_t seq)
{
  c837_payer_settings ps;
  c837_astep s;
  size_t i;
  int64_t n_ids;
  c837_payers_settings(a->payers, c->filing, c->payer.id, &ps);
  memset(&s, 0, sizeof s);
  s.seq = seq;
  s.file = fid;
  s.payer_class = (uint32_t)cls;
  s.window = ps.step_window_days;
  s.patient = c->patient_key;
  s.claim_id = c->id;
  s.provider = c->billing.id;
  /* a replacement the run forwards (or a void) takes the place of the
   * earlier claim of the same CLM01 and provider */
  s.replaces = (strcmp(c->freq, "7") == 0 && disp != C837_DISP_HELD) ||
               strcmp(c->freq, "8") == 0;
  for (i = 0; i < c->n_lines; i++) {
    const c837_line *ln = &c->lines[i];
    const c837_code *cr = NULL;
    if (!c837_codetable_tracks(a->t, ln, &cr) || !(s.kind = kind_of(cr)))
      continue;
    s.state = step_state(c, v, disp, i);
    s.family = (uint32_t)cr->family;
    s.date_from = ln->date_from;
    s.date_to = ln->date_to;
    s.charge = ln->charge_ok ? ln->charge : 0;
    s.charge_ok = (uint32_t)ln->charge_ok;
    s.lx = ln->lx;
    s.code = ln->code;
    s.product = cr->product;
    s.units = ln->units_raw;
    if ((n_ids = line_ids(a, v, i, first_id)) < 0)
      return fail_nomem(a);
    s.n_ids = (uint32_t)n_ids;
    s.ids = a->ids.p;
    s.edits = a->scratch.p;
    c837_recw_clear(&a->w);
    c837_arec_put_step(&a->w, &s);
    if (put_record(a, C837_REC_STEP) != 0)
      return -1;
  }
  return pcs_steps(a, c, v, disp, &s);
}

uint64_t c837_audit_next_seq(const c837_audit *a)
{
  return a->seq + 1;
}

int c837_audit_passed(c837_audit *a, const char *file, const char *provider,
                      const char *provider_name, c837_payer_class cls)
{
  size_t np = strlen(provider) + 1, nn = strlen(provider_name) + 1;
  uint32_t id;
  if (a->failed)
    return -1;
  if (a->tap_lost) /* the bytes that went out could not be kept */
    return fail_nomem(a);
  /* the file's id: looked up when the name changes */
  if (a->last_name.len && strcmp(a->last_name.p, file) == 0) {
    id = a->last_id;
  } else {
    id = file_id(a, file);
    c837_buf_clear(&a->last_name);
    if (id == UINT32_MAX ||
        c837_buf_put(&a->last_name, file, strlen(file) + 1) != 0) {
      c837_buf_clear(&a->last_name);
      return fail_nomem(a);
    }
    a->last_id = id;
  }
  ++a->seq;
  c837_buf_clear(&a->tap);
  a->tap_total = 0;
  a->tap_lost = 0;
  /* one more of the run, or a run of its own */
  if (a->run_n && a->run_file == id && a->run_cls == (uint32_t)cls &&
      a->run_who.len == np + nn &&
      memcmp(a->run_who.p, provider, np) == 0 &&
      memcmp(a->run_who.p + np, provider_name, nn) == 0) {
    a->run_n++;
    return 0;
  }
  if (flush_run(a) != 0)
    return -1;
  c837_buf_clear(&a->run_who);
  if (c837_buf_put(&a->run_who, provider, np) != 0 ||
      c837_buf_put(&a->run_who, provider_name, nn) != 0)
    return fail_nomem(a);
  a->run_name = np;
  a->run_file = id;
  a->run_cls = (uint32_t)cls;
  a->run_n = 1;
  return 0;
}

int c837_audit_claim(c837_audit *a, const char *file, const c837_claim *c,
                     const c837_verdict *v, uint64_t first_id,
                     c837_payer_class cls, c837_disposition disp,
                     size_t n_cart)
{
  c837_aclaim ac;
  uint64_t all = v->n_findings + v->findings_dropped;
  int rc;
  /* nearly every claim: passed, nothing found, no step to draw */
  if (!all && disp == C837_DISP_PASSED && !n_cart && !c->n_px)
    return c837_audit_passed(a, file, c->billing.id, c->billing.last, cls);
  if (a->failed)
    return -1;
  if (a->tap_lost) /* the bytes that went out could not be kept */
    return fail_nomem(a);
  memset(&ac, 0, sizeof ac);
  ac.file = file_id(a, file);
  if (ac.file == UINT32_MAX)
    return fail_nomem(a);
  ac.seq = ++a->seq;
  ac.count = 1;
  ac.id = c->id;
  ac.patient = c->patient_key;
  ac.provider = c->billing.id;
  ac.provider_name = c->billing.last;
  ac.kind = c837_kind_name(c->kind);
  ac.tob = c->tob;
  ac.payer_class = (uint32_t)cls;
  ac.disp = (uint32_t)disp;
  ac.outcome = !all                          ? C837_AT_N
               : disp == C837_DISP_HELD  ? C837_AT_HELD
               : disp == C837_DISP_FIXED ? C837_AT_FIXED
                                         : C837_AT_FLAGGED;
  ac.charge = c->total_ok ? c->total : 0;
  ac.charge_ok = (uint32_t)c->total_ok;
  ac.n_lines = (uint32_t)c->n_lines;
  ac.n_cart = (uint32_t)n_cart;
  ac.findings = all;
  ac.first_id = v->n_findings ? first_id : 0;
  ac.n_rows = (uint32_t)v->n_findings;
  ac.offset = c->offset;
  ac.segment = c->number;
  ac.term = c->n_segs ? (unsigned char)c->segs[0].delims.segment : '~';
  if (claim_money(a, c, v, disp, &ac) != 0)
    return fail_nomem(a);
  if (disp != C837_DISP_PASSED) {
    uint64_t need;
    if (claim_bytes(a, c, &ac.in_total) != 0)
      return fail_nomem(a);
    ac.out_total = disp == C837_DISP_FIXED ? a->tap_total : 0;
    need = a->in.len + (disp == C837_DISP_FIXED ? a->tap.len : 0);
    if (a->kept + need <= C837_HTML_SEGMENT_BYTES) {
      a->kept += need;
      ac.kept = 1;
      ac.in = a->in.p;
      ac.in_len = a->in.len;
      if (disp == C837_DISP_FIXED) {
        ac.out = a->tap.p;
        ac.out_len = a->tap.len;
      }
    }
  }
  c837_recw_clear(&a->w);
  if (!all && disp == C837_DISP_PASSED) {
    c837_arec_put_passed(&a->w, &ac); /* with its steps below */
    rc = put_record(a, C837_REC_PASSED);
  } else {
    c837_arec_put_claim(&a->w, &ac);
    rc = put_record(a, C837_REC_CLAIM);
  }
  c837_buf_clear(&a->tap);
  a->tap_total = 0;
  a->tap_lost = 0;
  /* steps come from CAR-T lines and PCS codes only */
  if (rc == 0 && (n_cart || c->n_px))
    rc = claim_steps(a, ac.file, c, v, first_id, cls, disp, ac.seq);
  return rc;
}

