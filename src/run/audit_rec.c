/* audit_rec.c -- the audit's spool records, written and read (audit.h)
 *
 * Each record has one writer and one reader here, field for field in
 * the same order, so that the two cannot drift apart: a claim ('C'), a
 * finding row ('F'), a CAR-T step line ('S').  Numbers that fit take 32
 * bits, counts and money 64.
 */
#include "run/audit.h"
#include "base/limits.h"

#include <string.h>

void c837_arec_put_claim(c837_recw *w, const c837_aclaim *c)
{
  uint32_t k;
  c837_recw_u64(w, c->seq);
  c837_recw_u32(w, c->file);
  c837_recw_str(w, c->id);
  c837_recw_str(w, c->patient);
  c837_recw_str(w, c->provider);
  c837_recw_str(w, c->provider_name);
  c837_recw_str(w, c->kind);
  c837_recw_str(w, c->tob);
  c837_recw_u32(w, c->payer_class);
  c837_recw_u32(w, c->disp);
  c837_recw_u32(w, c->outcome);
  c837_recw_i64(w, c->charge);
  c837_recw_u32(w, c->charge_ok);
  c837_recw_u32(w, c->n_lines);
  c837_recw_u32(w, c->n_cart);
  c837_recw_u64(w, c->findings);
  c837_recw_u64(w, c->first_id);
  c837_recw_u32(w, c->n_rows);
  for (k = 0; k < C837_AT_N; k++) {
    c837_recw_u32(w, c->lines_at[k]);
    c837_recw_i64(w, c->line_charges_at[k]);
  }
  c837_recw_u32(w, c->n_edits);
  for (k = 0; k < c->n_edits; k++) {
    c837_recw_u32(w, c->edits[k].edit);
    c837_recw_u64(w, c->edits[k].findings);
    c837_recw_u32(w, c->edits[k].lines);
    c837_recw_i64(w, c->edits[k].line_charges);
  }
  c837_recw_u64(w, c->offset);
  c837_recw_u64(w, c->segment);
  c837_recw_u32(w, c->term);
  c837_recw_u32(w, c->kept);
  c837_recw_bytes(w, c->in, c->in_len);
  c837_recw_u64(w, c->in_total);
  c837_recw_bytes(w, c->out, c->out_len);
  c837_recw_u64(w, c->out_total);
}

void c837_arec_put_passed(c837_recw *w, const c837_aclaim *c)
{
  c837_recw_u32(w, c->file);
  c837_recw_str(w, c->provider);
  c837_recw_str(w, c->provider_name);
  c837_recw_u32(w, c->payer_class);
  c837_recw_u32(w, c->n_cart);
  c837_recw_u64(w, c->count);
}

void c837_arec_get_passed(c837_recr *r, c837_aclaim *c)
{
  memset(c, 0, sizeof *c);
  c->file = c837_recr_u32(r);
  c->provider = c837_recr_str(r, NULL);
  c->provider_name = c837_recr_str(r, NULL);
  c->payer_class = c837_recr_u32(r);
  c->n_cart = c837_recr_u32(r);
  c->count = c837_recr_u64(r);
  c->id = c->patient = c->kind = c->tob = "";
  c->disp = C837_DISP_PASSED;
  c->outcome = C837_AT_N;
  if (c->payer_class >= C837_PAYER_CLASS_COUNT)
    r->bad = 1;
}

void c837_arec_get_claim(c837_recr *r, c837_aclaim *c)
{
  uint32_t k;
  c->count = 1;
  c->seq = c837_recr_u64(r);
  c->file = c837_recr_u32(r);
  c->id = c837_recr_str(r, NULL);
  c->patient = c837_recr_str(r, NULL);
  c->provider = c837_recr_str(r, NULL);
  c->provider_name = c837_recr_str(r, NULL);
  c->kind = c837_recr_str(r, NULL);
  c->tob = c837_recr_str(r, NULL);
  c->payer_class = c837_recr_u32(r);
  c->disp = c837_recr_u32(r);
  c->outcome = c837_recr_u32(r);
  c->charge = c837_recr_i64(r);
  c->charge_ok = c837_recr_u32(r);
  c->n_lines = c837_recr_u32(r);
  c->n_cart = c837_recr_u32(r);
  c->findings = c837_recr_u64(r);
  c->first_id = c837_recr_u64(r);
  c->n_rows = c837_recr_u32(r);
  for (k = 0; k < C837_AT_N; k++) {
    c->lines_at[k] = c837_recr_u32(r);
    c->line_charges_at[k] = c837_recr_i64(r);
  }
  c->n_edits = c837_recr_u32(r);
  if (c->n_edits > C837_EDIT_COUNT) {
    r->bad = 1;
    c->n_edits = 0;
  }
  for (k = 0; k < c->n_edits; k++) {
    c->edits[k].edit = c837_recr_u32(r);
    c->edits[k].findings = c837_recr_u64(r);
    c->edits[k].lines = c837_recr_u32(r);
    c->edits[k].line_charges = c837_recr_i64(r);
    if (c->edits[k].edit >= C837_EDIT_COUNT)
      r->bad = 1;
  }
  c->offset = c837_recr_u64(r);
  c->segment = c837_recr_u64(r);
  c->term = c837_recr_u32(r);
  c->kept = c837_recr_u32(r);
  c->in = c837_recr_str(r, &c->in_len);
  c->in_total = c837_recr_u64(r);
  c->out = c837_recr_str(r, &c->out_len);
  c->out_total = c837_recr_u64(r);
  if (c->payer_class >= C837_PAYER_CLASS_COUNT || c->outcome > C837_AT_N ||
      c->disp >= C837_DISP_COUNT)
    r->bad = 1;
}

void c837_arec_put_finding(c837_recw *w, const c837_afinding *f)
{
  c837_recw_u64(w, f->id);
  c837_recw_u64(w, f->seq);
  c837_recw_u32(w, f->file);
  c837_recw_u32(w, f->edit);
  c837_recw_u32(w, f->severity);
  c837_recw_u32(w, f->action);
  c837_recw_u32(w, f->outcome);
  c837_recw_u32(w, f->payer_class);
  c837_recw_u32(w, f->disp);
  c837_recw_u32(w, (uint32_t)f->date_from);
  c837_recw_u32(w, (uint32_t)f->date_to);
  c837_recw_i64(w, f->line_charge);
  c837_recw_i64(w, f->claim_charge);
  c837_recw_u32(w, f->line_charge_ok);
  c837_recw_u32(w, f->claim_charge_ok);
  c837_recw_u32(w, f->has_pos);
  c837_recw_str(w, f->claim_id);
  c837_recw_str(w, f->patient);
  c837_recw_str(w, f->provider);
  c837_recw_str(w, f->line);
  c837_recw_str(w, f->code);
  c837_recw_str(w, f->units);
  c837_recw_str(w, f->before);
  c837_recw_str(w, f->after);
  c837_recw_str(w, f->detail);
  c837_recw_str(w, f->interchange);
  c837_recw_str(w, f->group);
  c837_recw_str(w, f->transaction);
  c837_recw_u64(w, f->segment);
  c837_recw_u64(w, f->offset);
}

void c837_arec_get_finding(c837_recr *r, c837_afinding *f)
{
  f->id = c837_recr_u64(r);
  f->seq = c837_recr_u64(r);
  f->file = c837_recr_u32(r);
  f->edit = c837_recr_u32(r);
  f->severity = c837_recr_u32(r);
  f->action = c837_recr_u32(r);
  f->outcome = c837_recr_u32(r);
  f->payer_class = c837_recr_u32(r);
  f->disp = c837_recr_u32(r);
  f->date_from = (int32_t)c837_recr_u32(r);
  f->date_to = (int32_t)c837_recr_u32(r);
  f->line_charge = c837_recr_i64(r);
  f->claim_charge = c837_recr_i64(r);
  f->line_charge_ok = c837_recr_u32(r);
  f->claim_charge_ok = c837_recr_u32(r);
  f->has_pos = c837_recr_u32(r);
  f->claim_id = c837_recr_str(r, NULL);
  f->patient = c837_recr_str(r, NULL);
  f->provider = c837_recr_str(r, NULL);
  f->line = c837_recr_str(r, NULL);
  f->code = c837_recr_str(r, NULL);
  f->units = c837_recr_str(r, NULL);
  f->before = c837_recr_str(r, NULL);
  f->after = c837_recr_str(r, NULL);
  f->detail = c837_recr_str(r, NULL);
  f->interchange = c837_recr_str(r, NULL);
  f->group = c837_recr_str(r, NULL);
  f->transaction = c837_recr_str(r, NULL);
  f->segment = c837_recr_u64(r);
  f->offset = c837_recr_u64(r);
  if (f->edit >= C837_EDIT_COUNT || f->severity > 2 ||
      f->action >= C837_ACT_COUNT || f->outcome >= C837_AT_N ||
      f->payer_class >= C837_PAYER_CLASS_COUNT ||
      f->disp >= C837_DISP_COUNT)
    r->bad = 1;
}

void c837_arec_put_step(c837_recw *w, const c837_astep *s)
{
  c837_recw_u64(w, s->seq);
  c837_recw_u32(w, s->file);
  c837_recw_u32(w, s->kind);
  c837_recw_u32(w, s->state);
  c837_recw_u32(w, s->family);
  c837_recw_u32(w, s->pcs);
  c837_recw_u32(w, s->payer_class);
  c837_recw_u32(w, s->replaces);
  c837_recw_u32(w, (uint32_t)s->window);
  c837_recw_u32(w, (uint32_t)s->date_from);
  c837_recw_u32(w, (uint32_t)s->date_to);
  c837_recw_i64(w, s->charge);
  c837_recw_u32(w, s->charge_ok);
  c837_recw_str(w, s->patient);
  c837_recw_str(w, s->claim_id);
  c837_recw_str(w, s->provider);
  c837_recw_str(w, s->lx);
  c837_recw_str(w, s->code);
  c837_recw_str(w, s->product);
  c837_recw_str(w, s->units);
  c837_recw_bytes(w, s->ids, (size_t)s->n_ids * sizeof(uint64_t));
  c837_recw_bytes(w, s->edits, s->n_ids);
}

void c837_arec_get_step(c837_recr *r, c837_astep *s)
{
  size_t n, e;
  s->seq = c837_recr_u64(r);
  s->file = c837_recr_u32(r);
  s->kind = c837_recr_u32(r);
  s->state = c837_recr_u32(r);
  s->family = c837_recr_u32(r);
  s->pcs = c837_recr_u32(r);
  s->payer_class = c837_recr_u32(r);
  s->replaces = c837_recr_u32(r);
  s->window = (int32_t)c837_recr_u32(r);
  s->date_from = (int32_t)c837_recr_u32(r);
  s->date_to = (int32_t)c837_recr_u32(r);
  s->charge = c837_recr_i64(r);
  s->charge_ok = c837_recr_u32(r);
  s->patient = c837_recr_str(r, NULL);
  s->claim_id = c837_recr_str(r, NULL);
  s->provider = c837_recr_str(r, NULL);
  s->lx = c837_recr_str(r, NULL);
  s->code = c837_recr_str(r, NULL);
  s->product = c837_recr_str(r, NULL);
  s->units = c837_recr_str(r, NULL);
  s->ids = c837_recr_str(r, &n);
  s->n_ids = (uint32_t)(n / sizeof(uint64_t));
  s->edits = c837_recr_str(r, &e);
  /* a step's findings are those of one line of one claim */
  if (n % sizeof(uint64_t) || e != s->n_ids ||
      s->n_ids > C837_MAX_FINDINGS || s->kind < C837_EP_COLLECT ||
      s->kind >= C837_EP_KINDS || s->state >= C837_ES_COUNT ||
      s->payer_class >= C837_PAYER_CLASS_COUNT)
    r->bad = 1;
}

uint64_t c837_astep_id(const c837_astep *s, uint32_t i)
{
  uint64_t v;
  memcpy(&v, s->ids + (size_t)i * sizeof v, sizeof v);
  return v;
}
