/* ack_feed.c -- the assembler's events into the two acknowledgment
 * builders (ack.h): segments with their roles open and close the 999's
 * interchanges, groups and sets and the 277CA's sets; problems become
 * 999 errors once their segment comes by (so that its tag, position in
 * the set, loop, bad value and claim are known); claims with their
 * verdicts become 277CA claims.
 *
 * Order of events, from the assembler: a problem is reported while its
 * segment is read, before the segment is handed on (as a segment, or
 * inside its claim, which is handed on before the segment that ends it);
 * a missing trailer is reported when the next header (or the end)
 * shows it, and applies at once to what is open.
 */
#include "write/ack_int.h"

#include "base/buf.h"
#include "base/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A problem waiting for its segment. */
typedef struct pending {
  char problem[40];
  uint64_t segment;
} pending;

struct c837_ack_feed {
  c837_ack999 *a9;
  c837_ack277 *a7;
  c837_status st; /* first error of either builder */
  pending *q;
  size_t nq, capq;
  int in_isa, in_gs, in_st, is_837, set_begun;
  c837_ack_isa isa;
  c837_ack_gs gs;
  int have_gs;
  uint64_t st_number; /* segment ordinal of the open ST */
  uint64_t st_claims; /* claims of the open set handed on */
  c837_ack277_set hdr;
  c837_ack_finding *fnd;
  size_t capf;
};

c837_ack_feed *c837_ack_feed_new(c837_ack999 *a999, c837_ack277 *a277)
{
  c837_ack_feed *f = calloc(1, sizeof *f);
  if (!f)
    return NULL;
  f->a9 = a999;
  f->a7 = a277;
  return f;
}

void c837_ack_feed_free(c837_ack_feed *f)
{
  if (!f)
    return;
  free(f->q);
  free(f->fnd);
  free(f);
}

/* Keeps the first error of a builder call. */
static c837_status keep(c837_ack_feed *f, c837_status s)
{
  if (f->st == C837_OK)
    f->st = s;
  return f->st;
}

/* ---- where a problem is ------------------------------------------------ */

/* The first ISA field (1..16) of the wrong width, 0 when all are right
 * (X12: the ISA's fields are fixed-width, 106 bytes in all). */
static int isa_field(const c837_segment *s)
{
  static const unsigned char width[16] = {2, 10, 2, 10, 2, 15, 2, 15,
                                          6, 4,  1, 5, 9,  1, 1, 1};
  size_t i;
  for (i = 0; i < 16 && i < s->n_el; i++)
    if (s->el[i].len != width[i])
      return (int)i + 1;
  return 0;
}

/* The element (1..) holding a NUL byte; 0 when it is in the tag. */
static int nul_element(const c837_segment *s)
{
  size_t i;
  for (i = 0; i < s->n_el; i++)
    if (s->el[i].len && memchr(s->el[i].p, '\0', s->el[i].len))
      return (int)i + 1;
  return 0;
}

/* The loop of a segment inside a claim (k: its index in the claim's
 * segments): 2300 before the first LX, 2400 from it on.  (The loop ids
 * of the rest of an 837, 1000A .. 2010BB, do not fit IK303's 4
 * characters, except 2000, which does not say which.) */
static const char *loop_of(const c837_claim *c, size_t k)
{
  if (!c)
    return NULL;
  return c->n_lines && k >= c->lines[0].seg_first ? "2400" : "2300";
}

/* Acknowledges problem id p of segment s (NULL: not at hand; c and k:
 * the claim it is in, and its index there). */
static void acknowledge(c837_ack_feed *f, const char *p,
                        const c837_segment *s, const c837_claim *c, size_t k)
{
  c837_ack_where w;
  const c837_ack_rule *r = c837_ack999_rule(p, 0);
  char tag[8], value[128];
  memset(&w, 0, sizeof w);
  if (s) {
    c837_span_copy(tag, sizeof tag, s->tag);
    w.segment_id = tag;
    w.position = f->in_st && s->number >= f->st_number
                     ? s->number - f->st_number + 1
                     : 0;
    w.loop = loop_of(c, k);
    if (c837_seg_is(s, "ISA"))
      w.element = isa_field(s);
    else if (r && r->el_pos < 0)
      w.element = nul_element(s);
    if (r && r->el_value && r->el_pos > 0) {
      c837_span_copy(value, sizeof value, c837_el(s, (size_t)r->el_pos));
      w.value = value;
    }
    w.claim_id = c ? c->id : NULL;
  }
  keep(f, c837_ack999_problem(f->a9, p, &w));
}

/* Acknowledges the waiting problems of segments up to number `upto`:
 * those of s (or of the claim's segments) with it, earlier ones (whose
 * segment never came by) without. */
static void apply(c837_ack_feed *f, const c837_segment *s,
                  const c837_claim *c, uint64_t upto)
{
  size_t i, kept = 0;
  for (i = 0; i < f->nq; i++) {
    pending *e = &f->q[i];
    const c837_segment *at = NULL;
    size_t k = 0;
    if (e->segment > upto) {
      f->q[kept++] = *e;
      continue;
    }
    if (s && s->number == e->segment)
      at = s;
    while (c && !at && k < c->n_segs) {
      if (c->segs[k].number == e->segment)
        at = &c->segs[k];
      else
        k++;
    }
    acknowledge(f, e->problem, at, at && at != s ? c : NULL, k);
  }
  f->nq = kept;
}

c837_status c837_ack_feed_problem(c837_ack_feed *f, const c837_problem *p)
{
  const c837_ack_rule *r;
  pending *e;
  if (f->st || !f->a9)
    return f->st;
  r = c837_ack999_rule(p->code, 0);
  if (r && (r->flags & C837_ACK_NOW)) {
    acknowledge(f, p->code, NULL, NULL, 0);
    return f->st;
  }
  if (c837_vec_reserve(&f->q, &f->capq, f->nq + 1, sizeof *f->q, 8, 0))
    return keep(f, C837_ENOMEM);
  e = &f->q[f->nq++];
  memset(e, 0, sizeof *e);
  strncpy(e->problem, p->code, sizeof e->problem - 1);
  e->segment = p->segment;
  return f->st;
}

/* ---- envelopes --------------------------------------------------------- */

/* The 277CA set of the open 837 set begins (once its header is read). */
static void begin_277(c837_ack_feed *f)
{
  if (!f->a7 || !f->in_st || !f->is_837 || f->set_begun)
    return;
  f->set_begun = 1;
  keep(f, c837_ack277_begin_set(f->a7, &f->isa, f->have_gs ? &f->gs : NULL,
                                &f->hdr));
}

/* The open set ends in both builders (the 277CA's begun first if its
 * header never ended, so that every 837 set is acknowledged). */
static void close_st(c837_ack_feed *f)
{
  if (!f->in_st)
    return;
  begin_277(f);
  if (f->a7 && f->set_begun)
    keep(f, c837_ack277_end_set(f->a7));
  if (f->a9)
    keep(f, c837_ack999_end_set(f->a9, 0));
  f->in_st = f->set_begun = 0;
}

/* The open group ends (ge01: its GE01, NULL without a GE). */
static void close_gs(c837_ack_feed *f, const char *ge01)
{
  close_st(f);
  if (f->in_gs && f->a9)
    keep(f, c837_ack999_end_group(f->a9, ge01));
  f->in_gs = 0;
}

/* The open interchange ends (and what it holds). */
static void close_isa(c837_ack_feed *f)
{
  close_gs(f, NULL);
  if (f->in_isa && f->a9)
    keep(f, c837_ack999_end_interchange(f->a9));
  f->in_isa = 0;
}

/* A party of the 837 header (NM1*41 submitter, NM1*40 receiver). */
static void read_party(c837_ack_party *p, const c837_segment *s)
{
  char type[2];
  memset(p, 0, sizeof *p);
  c837_span_copy(type, sizeof type, c837_el(s, 2));
  p->type = type[0];
  c837_span_copy(p->last, sizeof p->last, c837_el(s, 3));
  c837_span_copy(p->first, sizeof p->first, c837_el(s, 4));
  c837_span_copy(p->middle, sizeof p->middle, c837_el(s, 5));
  c837_span_copy(p->id, sizeof p->id, c837_el(s, 9));
}

/* An ST: the 999's set begins; the 277CA's header starts collecting. */
static void open_st(c837_ack_feed *f, const c837_segment *s)
{
  c837_ack_st st;
  close_st(f);
  c837_ack_st_read(s, &st);
  f->in_st = 1;
  f->st_number = s->number;
  f->st_claims = 0;
  f->is_837 = strcmp(st.id, "837") == 0;
  memset(&f->hdr, 0, sizeof f->hdr);
  memcpy(f->hdr.isa13, f->isa.control, sizeof f->hdr.isa13);
  if (f->have_gs) {
    memcpy(f->hdr.gs06, f->gs.control, sizeof f->hdr.gs06);
    memcpy(f->hdr.received, f->gs.date, sizeof f->hdr.received);
  }
  memcpy(f->hdr.st02, st.control, sizeof f->hdr.st02);
  if (f->a9)
    keep(f, c837_ack999_begin_set(f->a9, &st));
}

c837_status c837_ack_feed_segment(c837_ack_feed *f, const c837_segment *s,
                                  c837_role role)
{
  if (f->st)
    return f->st;
  switch (role) {
  case C837_ROLE_ISA:
    close_isa(f);
    c837_ack_isa_read(s, &f->isa);
    f->in_isa = 1;
    f->have_gs = 0;
    if (f->a9)
      keep(f, c837_ack999_begin_interchange(f->a9, &f->isa));
    break;
  case C837_ROLE_GS:
    close_gs(f, NULL);
    c837_ack_gs_read(s, &f->gs);
    f->in_gs = f->have_gs = 1;
    if (f->a9)
      keep(f, c837_ack999_begin_group(f->a9, &f->gs));
    break;
  case C837_ROLE_ST:
    open_st(f, s);
    break;
  case C837_ROLE_HEADER:
    if (c837_seg_is(s, "BHT"))
      c837_span_copy(f->hdr.bht03, sizeof f->hdr.bht03, c837_el(s, 3));
    else if (c837_seg_is(s, "NM1") && c837_span_eq(c837_el(s, 1), "41"))
      read_party(&f->hdr.submitter, s);
    else if (c837_seg_is(s, "NM1") && c837_span_eq(c837_el(s, 1), "40"))
      read_party(&f->hdr.receiver, s);
    break;
  case C837_ROLE_HL:
    begin_277(f);
    break;
  default:
    break;
  }
  /* a header's problems apply to what it opened, a trailer's to what it
   * closes */
  apply(f, s, NULL, s->number);
  if (role == C837_ROLE_SE)
    close_st(f);
  else if (role == C837_ROLE_GE && f->in_gs) {
    char ge01[16];
    c837_span_copy(ge01, sizeof ge01, c837_el(s, 1));
    close_gs(f, ge01);
  } else if (role == C837_ROLE_IEA)
    close_isa(f);
  return f->st;
}

/* ---- claims -------------------------------------------------------------- */

/* A party of the claim model. */
static void model_party(c837_ack_party *p, const c837_party *m,
                        const char *id)
{
  memset(p, 0, sizeof *p);
  c837_str_append(p->last, sizeof p->last, 0, m->last);
  c837_str_append(p->first, sizeof p->first, 0, m->first);
  c837_str_append(p->id, sizeof p->id, 0, id);
}

/* Service dates of a claim: the 837I statement period, else the claim's
 * DTP*472, else its lines' first and last dates. */
static void model_dates(const c837_claim *c, int32_t *from, int32_t *to)
{
  size_t i;
  *from = *to = 0;
  if (c->kind == C837_KIND_I && c->stmt_from) {
    *from = c->stmt_from;
    *to = c->stmt_to;
    return;
  }
  if (c->svc_from) {
    *from = c->svc_from;
    *to = c->svc_to;
    return;
  }
  for (i = 0; i < c->n_lines; i++) {
    const c837_line *l = &c->lines[i];
    if (l->date_from && (!*from || l->date_from < *from))
      *from = l->date_from;
    if (l->date_to && l->date_to > *to)
      *to = l->date_to;
  }
}

/* The claim-level REF*D9 (clearinghouse trace number) into dst. */
static void model_trace(const c837_claim *c, char *dst, size_t sz)
{
  size_t k, end = c->n_lines ? c->lines[0].seg_first : c->n_segs;
  dst[0] = '\0';
  for (k = 0; k < end && k < c->n_segs; k++)
    if (c837_seg_is(&c->segs[k], "REF") &&
        c837_span_eq(c837_el(&c->segs[k], 1), "D9")) {
      c837_span_copy(dst, sz, c837_el(&c->segs[k], 2));
      return;
    }
}

/* The 277CA claim of a model claim and its verdict. */
static c837_status claim_277(c837_ack_feed *f, const c837_claim *c,
                             const c837_verdict *v, c837_disposition d)
{
  c837_ack_claim a;
  c837_ack_party prov, pat;
  char trace[64];
  size_t i, n = v ? v->n_findings : 0;
  if (c837_vec_reserve(&f->fnd, &f->capf, n ? n : 1, sizeof *f->fnd, 16, 0))
    return keep(f, C837_ENOMEM);
  for (i = 0; i < n; i++) {
    const c837_finding *x = &v->findings[i];
    f->fnd[i].edit = x->edit;
    f->fnd[i].action = x->action;
    f->fnd[i].lx = x->line < c->n_lines ? c->lines[x->line].lx : NULL;
  }
  memset(&a, 0, sizeof a);
  model_party(&prov, &c->billing, c->billing.id);
  model_party(&pat, c->has_patient ? &c->patient : &c->subscriber,
              c->subscriber.id);
  model_trace(c, trace, sizeof trace);
  a.id = c->id;
  a.charge = c->total_ok ? c->total : 0;
  model_dates(c, &a.date_from, &a.date_to);
  a.tob = c->kind == C837_KIND_I ? c->tob : NULL;
  a.trace = trace;
  a.provider = &prov;
  a.patient = &pat;
  a.disposition = d;
  a.n_findings = n;
  a.findings = f->fnd;
  return keep(f, c837_ack277_claim(f->a7, &a));
}

c837_status c837_ack_feed_claim(c837_ack_feed *f, const c837_claim *c,
                                const c837_verdict *v, c837_disposition d)
{
  if (f->st)
    return f->st;
  if (c->n_segs)
    apply(f, NULL, c, c->segs[c->n_segs - 1].number);
  f->st_claims++;
  if (f->a7 && f->in_st && f->is_837) {
    begin_277(f);
    if (!f->st)
      claim_277(f, c, v, d);
  }
  return f->st;
}

c837_status c837_ack_feed_end(c837_ack_feed *f)
{
  if (f->st)
    return f->st;
  apply(f, NULL, NULL, UINT64_MAX);
  close_isa(f);
  return f->st;
}

c837_status c837_ack_feed_cut(c837_ack_feed *f, c837_status why)
{
  if (f->st)
    return f->st;
  apply(f, NULL, NULL, UINT64_MAX);
  if (f->in_st) {
    begin_277(f);
    if (f->a7 && f->set_begun)
      keep(f, c837_ack277_end_set(f->a7));
    /* the claims read before the cut are forwarded: the set is then
     * accepted with errors (its trailer missing), rejected only when
     * none was */
    if (f->a9 && !keep(f, c837_ack999_set_code(f->a9, "2")))
      keep(f, c837_ack999_end_set(f->a9, f->st_claims == 0));
  }
  if (f->a9)
    keep(f, c837_ack999_cut(f->a9, why));
  f->in_isa = f->in_gs = f->in_st = f->set_begun = 0;
  return f->st;
}
