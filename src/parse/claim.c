/* claim.c -- the assembler's claim being built (claim model extraction)
 *
 * From its CLM to the segment that ends it (HL, CLM, SE or any envelope
 * segment), every segment of a claim is copied into one arena with a
 * record of where its tag and elements are, so that the claim can be
 * handed out with its segments exactly as read (c837_claim.segs) once
 * the arena no longer moves.  While copying, the segments are read into
 * the claim model (c837_claim, c837_line):
 *
 *   2300 claim      CLM01 id, CLM02 total, CLM05-1/-3 facility (837P:
 *                   place of service) and frequency; DTP*472 service
 *                   dates, DTP*434 statement dates, DTP*435 admission
 *                   (D8, or DT with its time); REF*F8 the original
 *                   claim's reference, REF*P4 the trial number; HI and
 *                   NTE (claim_ctx.c)
 *   2320/2330       from a claim's SBR (other payers: coordination of
 *                   benefits) to its first LX nothing is read
 *   2400 line       LX01; SV1 (837P, with SV105 place of service), SV2
 *                   (837I, with its revenue code and SV207) or SV3
 *                   (837D): procedure code and modifiers, charge, unit
 *                   basis and units; DTP*472 the date of service.
 *                   An SV with no LX before it (at the claim level, in
 *                   the other payers' loops, or a second SV in a line)
 *                   starts a line of its own, numbered by its position
 *                   (LX_MISSING, a warning)
 *   2410            LIN and CTP, the line's drug loops (claim_ctx.c)
 *   2430            after an SVD (another payer's adjudication of the
 *                   line) nothing more is read into the line
 *
 * When the claim ends: views with real pointers, line dates falling back
 * to the claim's, the kind from the lines (else from GS08/ST03), the
 * 837I type of bill and the patient key, the context (claim_ctx.c); then
 * the claim callback.
 *
 * Memory: the arena, the records and the lines are kept from claim to
 * claim (base/buf.h), each capped by a claim limit (base/limits.h): a
 * claim over one is C837_ECLAIM, the segment that crossed it not stored.
 */
#include "parse/assembler_int.h"
#include "base/limits.h"
#include "base/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* C837_ECLAIM for a claim over `limit` what (or C837_ENOMEM when r says
 * memory ran out); -1. */
static int claim_limit(c837_assembler *a, const c837_segment *s, int r,
                       unsigned long limit, const char *what)
{
  char msg[300], id[96];
  if (r == C837_BUF_NOMEM)
    return c837_asm_fail(a, C837_ENOMEM, s,
                         "out of memory while reading a claim");
  str_text(id, sizeof id, a->claim.id);
  snprintf(msg, sizeof msg,
           "claim '%s' has more than %lu %s; not an 837 a payer would "
           "accept",
           id, limit, what);
  return c837_asm_fail(a, C837_ECLAIM, s, msg);
}

/* c837_vec_reserve behind a check inline: on nearly every segment there
 * is room already, and this is the parse path. */
static inline int reserve(void *pp, size_t *cap, size_t need, size_t elsz,
                          size_t limit)
{
  return need <= *cap ? 0 : c837_vec_reserve(pp, cap, need, elsz, 16, limit);
}

/* Copies a segment into the claim's arena, with its record.  Room is
 * made for everything before anything is stored, so that a segment over
 * a limit is not half kept (it stays with the tokenizer's bytes). */
static int add_claim_segment(c837_assembler *a, const c837_segment *s)
{
  seg_rec *r;
  size_t i;
  int e;
  if (a->arena.len + s->raw_len > a->arena.cap &&
      (e = c837_buf_reserve(&a->arena, a->arena.len + s->raw_len)) != 0)
    return claim_limit(a, s, e, C837_MAX_CLAIM_BYTES, "bytes");
  if ((e = reserve(&a->recs, &a->recs_cap, a->n_recs + 1, sizeof *a->recs,
                   C837_MAX_CLAIM_SEGMENTS)) != 0)
    return claim_limit(a, s, e, C837_MAX_CLAIM_SEGMENTS, "segments");
  if ((e = reserve(&a->spans_off, &a->spans_cap, a->n_spans + s->n_el,
                   sizeof *a->spans_off, C837_MAX_CLAIM_ELEMENTS)) != 0)
    return claim_limit(a, s, e, C837_MAX_CLAIM_ELEMENTS, "elements");
  r = &a->recs[a->n_recs++];
  r->raw_off = a->arena.len;
  r->raw_len = s->raw_len;
  r->lead = s->lead;
  r->body_len = s->body_len;
  r->tag_len = s->tag.len;
  r->el_first = a->n_spans;
  r->n_el = s->n_el;
  r->offset = s->offset;
  r->number = s->number;
  r->delims = s->delims;
  r->flags = s->flags;
  memcpy(a->arena.p + a->arena.len, s->raw, s->raw_len);
  for (i = 0; i < s->n_el; i++) {
    a->spans_off[a->n_spans].off =
        r->raw_off + (size_t)(s->el[i].p - s->raw);
    a->spans_off[a->n_spans].len = s->el[i].len;
    a->n_spans++;
  }
  a->arena.len += s->raw_len;
  return 0;
}

/* D8 or RD8 date(s) of a DTP segment into from/to; 0 on success, 1 for
 * an RD8 range that ends before it starts (read as its first day: to :=
 * from), -1 when not a date. */
static int parse_dtp(const c837_segment *s, int32_t *from, int32_t *to)
{
  c837_span fmt = c837_el(s, 2), v = trimmed(c837_el(s, 3));
  if (c837_span_lit(fmt, "D8")) {
    if (c837_parse_date(v, from) != 0)
      return -1;
    *to = *from;
    return 0;
  }
  if (c837_span_lit(fmt, "RD8") && v.len == 17 && v.p[8] == '-') {
    c837_span x = {v.p, 8}, y = {v.p + 9, 8};
    if (c837_parse_date(x, from) != 0 || c837_parse_date(y, to) != 0)
      return -1;
    if (*to < *from) {
      *to = *from;
      return 1;
    }
    return 0;
  }
  return -1;
}

static void read_composite_code(c837_line *ln, const c837_segment *s,
                                size_t el)
{
  /* components 1 (qualifier), 2 (code), 3-6 (modifiers), in one pass */
  c837_span e = c837_el(s, el);
  const char *p = e.p, *end = e.p + e.len;
  const char sep = s->delims.component;
  size_t k;
  ln->qualifier[0] = ln->code[0] = '\0';
  ln->mod[0][0] = ln->mod[1][0] = ln->mod[2][0] = ln->mod[3][0] = '\0';
  for (k = 0; k < 6; k++) {
    const char *q = p;
    c837_span c;
    while (q < end && *q != sep)
      q++;
    c = trimmed((c837_span){p, (size_t)(q - p)});
    if (k == 0)
      c837_span_copy(ln->qualifier, sizeof ln->qualifier, c);
    else if (k == 1)
      c837_span_copy(ln->code, sizeof ln->code, c);
    else
      c837_span_copy(ln->mod[k - 2], sizeof ln->mod[k - 2], c);
    if (q == end)
      break;
    p = q + 1;
  }
}

static void read_units(c837_line *ln, c837_span basis, c837_span units)
{
  c837_span_copy(ln->unit_basis, sizeof ln->unit_basis, trimmed(basis));
  c837_span_copy(ln->units_raw, sizeof ln->units_raw, trimmed(units));
  ln->units_ok = c837_parse_decimal(trimmed(units), 6, &ln->units) == 0;
  if (!ln->units_ok)
    ln->units = 0;
}

/* SV1 (837P), SV2 (837I) or SV3 (837D) into the line. */
static void read_service(c837_line *ln, const c837_segment *s, enum tag tag)
{
  int64_t v;
  if (tag == T_SV1) {
    ln->sv = '1';
    read_composite_code(ln, s, 1);
    ln->charge_ok = c837_parse_decimal(trimmed(c837_el(s, 2)), 2, &v) == 0;
    ln->charge = ln->charge_ok ? v : 0;
    read_units(ln, c837_el(s, 3), c837_el(s, 4));
    copy_el(ln->pos, sizeof ln->pos, s, 5);
    ln->pos_source = ln->pos[0] ? 'L' : 0;
  } else if (tag == T_SV2) {
    ln->sv = '2';
    c837_span_copy(ln->revenue, sizeof ln->revenue,
                   trimmed(c837_el(s, 1)));
    read_composite_code(ln, s, 2);
    ln->charge_ok = c837_parse_decimal(trimmed(c837_el(s, 3)), 2, &v) == 0;
    ln->charge = ln->charge_ok ? v : 0;
    read_units(ln, c837_el(s, 4), c837_el(s, 5));
    if (c837_parse_decimal(trimmed(c837_el(s, 7)), 2, &v) == 0)
      ln->noncovered = v;
  } else { /* SV3, dental */
    ln->sv = '3';
    read_composite_code(ln, s, 1);
    ln->charge_ok = c837_parse_decimal(trimmed(c837_el(s, 2)), 2, &v) == 0;
    ln->charge = ln->charge_ok ? v : 0;
    read_units(ln, (c837_span){"", 0}, c837_el(s, 6));
  }
}

void c837_asm_start_claim(c837_assembler *a, const c837_segment *s)
{
  c837_claim *c = &a->claim;
  int64_t v;
  memset(c, 0, sizeof *c);
  c837_ctx_start(a);
  c837_buf_clear(&a->arena);
  a->n_recs = 0;
  a->n_spans = 0;
  a->n_lines = 0;
  a->state = AS_CLAIM;
  c->env = &a->env;
  copy_el(c->id, sizeof c->id, s, 1);
  c->total_ok = c837_parse_decimal(trimmed(c837_el(s, 2)), 2, &v) == 0;
  c->total = c->total_ok ? v : 0;
  c837_span_copy(c->facility, sizeof c->facility,
                 trimmed(c837_seg_comp(s, 5, 1)));
  c837_span_copy(c->freq, sizeof c->freq, trimmed(c837_seg_comp(s, 5, 3)));
  c->billing = a->billing;
  c->subscriber = a->subscriber;
  c->payer = a->payer;
  c->patient = a->patient;
  c->has_patient = a->has_patient;
  c837_str_append(c->hl_id, sizeof c->hl_id, 0, a->hl_id);
  c->offset = s->offset + s->lead;
  c->number = s->number;
}

/* A segment of the current line (AS_LINE, AS_LINE_ADJ), now stored as
 * the claim's last record: its service, SVD, its date of service. */
static int line_segment(c837_assembler *a, const c837_segment *s)
{
  c837_line *ln = &a->lines[a->n_lines - 1];
  const size_t at = a->n_recs - 1;
  int32_t f, t;
  int r;
  char v[40], id[96], lx[64];
  ln->seg_last = at;
  if (ln->seg_sv == C837_NO_INDEX &&
      (a->tag == T_SV1 || a->tag == T_SV2 || a->tag == T_SV3)) {
    ln->seg_sv = at;
    read_service(ln, s, a->tag);
    return 0;
  }
  if (a->tag == T_SVD) {
    a->state = AS_LINE_ADJ;
    return 0;
  }
  if ((a->tag == T_LIN || a->tag == T_CTP) && a->state == AS_LINE)
    return c837_ctx_line_segment(a, ln, s);
  if (a->tag != T_DTP || a->state != AS_LINE ||
      ln->seg_dtp != C837_NO_INDEX || !el_is(s, 1, "472"))
    return 0;
  ln->seg_dtp = at;
  if ((r = parse_dtp(s, &f, &t)) >= 0) {
    ln->date_from = f;
    ln->date_to = t;
    ln->date_source = 'L';
    if (r == 0)
      return 0;
  }
  span_text(v, sizeof v, c837_el(s, 3));
  str_text(id, sizeof id, a->claim.id);
  str_text(lx, sizeof lx, ln->lx);
  if (r > 0)
    return c837_asm_problem(a, s, C837_PROB_DATE_INVALID,
                            "claim %s line %s: DTP*472 range '%s' ends "
                            "before it starts; read as its first day",
                            id, lx, v);
  return c837_asm_problem(a, s, C837_PROB_DATE_INVALID,
                          "claim %s line %s: DTP*472 date '%s' is not a "
                          "valid D8 or RD8 date",
                          id, lx, v);
}

/* DT date and time (CCYYMMDDHHMM) into *ymd and hhmm[5]; 0 on success. */
static int parse_dt(c837_span v, int32_t *ymd, char *hhmm)
{
  size_t i;
  if (v.len != 12 || c837_parse_date((c837_span){v.p, 8}, ymd) != 0)
    return -1;
  for (i = 8; i < 12; i++)
    if ((unsigned)(v.p[i] - '0') > 9u)
      return -1;
  if (v.p[8] > '2' || (v.p[8] == '2' && v.p[9] > '3') || v.p[10] > '5')
    return -1;
  memcpy(hhmm, v.p + 8, 4);
  hhmm[4] = '\0';
  return 0;
}

/* A claim-level DTP: 472 service dates, 434 statement period, 435
 * admission (D8, or DT with a time).  Others are not read.  An admission
 * date that is not a date is not a problem but admit_bad: real files
 * carry masked ones (DT 999999999999), and no edit reads it yet (an edit
 * that does reports it). */
static int claim_dtp(c837_assembler *a, const c837_segment *s)
{
  c837_claim *c = &a->claim;
  c837_span e = trimmed(c837_el(s, 1));
  const char *q = e.len != 3               ? NULL
                  : !memcmp(e.p, "434", 3) ? "434"
                  : !memcmp(e.p, "472", 3) ? "472"
                  : !memcmp(e.p, "435", 3) ? "435"
                                           : NULL;
  int32_t f, t;
  int r;
  char v[40], id[96];
  if (!q)
    return 0;
  if (q[2] == '5') {
    c837_span val = trimmed(c837_el(s, 3));
    c->admit_time[0] = '\0';
    c->admit_bad =
        !(c837_span_lit(c837_el(s, 2), "DT")
              ? parse_dt(val, &c->admit_date, c->admit_time) == 0
              : c837_span_lit(c837_el(s, 2), "D8") &&
                    c837_parse_date(val, &c->admit_date) == 0);
    if (c->admit_bad)
      c->admit_date = 0;
    return 0;
  }
  r = parse_dtp(s, &f, &t);
  if (r != 0) {
    span_text(v, sizeof v, c837_el(s, 3));
    str_text(id, sizeof id, c->id);
    if (r < 0)
      return c837_asm_problem(a, s, C837_PROB_DATE_INVALID,
                              "claim %s: DTP*%s date '%s' is not a valid "
                              "D8 or RD8 date",
                              id, q, v);
    if (c837_asm_problem(a, s, C837_PROB_DATE_INVALID,
                         "claim %s: DTP*%s range '%s' ends before it "
                         "starts; read as its first day",
                         id, q, v))
      return -1;
  }
  if (q[2] == '4') {
    c->stmt_from = f;
    c->stmt_to = t;
  } else {
    c->svc_from = f;
    c->svc_to = t;
  }
  return 0;
}

/* A segment of the claim level (2300, AS_CLAIM): its dates, REF*F8 and
 * REF*P4, HI and NTE (claim_ctx.c); an SBR begins the other payers'
 * loops (AS_COB). */
static int claim_level_segment(c837_assembler *a, const c837_segment *s)
{
  c837_claim *c = &a->claim;
  switch (a->tag) {
  case T_DTP:
    return claim_dtp(a, s);
  case T_REF:
    if (el_is(s, 1, "F8") && !c->orig_ref[0])
      copy_el(c->orig_ref, sizeof c->orig_ref, s, 2);
    else if (el_is(s, 1, "P4") && !c->trial_ref[0])
      copy_el(c->trial_ref, sizeof c->trial_ref, s, 2);
    return 0;
  case T_SBR:
    a->state = AS_COB;
    return 0;
  case T_HI:
  case T_NTE:
    return c837_ctx_claim_segment(a, s);
  default:
    return 0;
  }
}

/* 1 when segment s (tag a->tag) starts a service line without an LX:
 * an SV1, SV2 or SV3 at the claim level or in the other payers' loops
 * (before any LX), or after the service of the line being read (a line
 * has one; after an SVD there is none: 2430 holds no SV segment). */
static int starts_line_without_lx(const c837_assembler *a)
{
  if (a->tag < T_SV1 || a->tag > T_SV3) /* T_SV1, T_SV2, T_SV3 */
    return 0;
  return a->state == AS_CLAIM || a->state == AS_COB ||
         a->state == AS_LINE_ADJ ||
         a->lines[a->n_lines - 1].seg_sv != C837_NO_INDEX;
}

/* LX_MISSING for the line just opened at its service segment s. */
static int lx_missing(c837_assembler *a, const c837_segment *s)
{
  char id[96], tag[16];
  str_text(id, sizeof id, a->claim.id);
  c837_excerpt(tag, sizeof tag, s->tag.p, s->tag.len);
  return c837_asm_problem(a, s, C837_PROB_LX_MISSING,
                          "claim %s: service line segment '%s' has no LX "
                          "before it: read as line %zu, its position in "
                          "the claim",
                          id, tag, a->n_lines);
}

int c837_asm_claim_segment(c837_assembler *a, const c837_segment *s)
{
  const int no_lx = starts_line_without_lx(a);
  int e;
  /* room for a new line first, so that a segment over a limit is never
   * half stored (it stays with the tokenizer's unemitted bytes) */
  if ((a->tag == T_LX || no_lx) &&
      (e = reserve(&a->lines, &a->lines_cap, a->n_lines + 1,
                   sizeof *a->lines, C837_MAX_LINES)) != 0)
    return claim_limit(a, s, e, C837_MAX_LINES, "service lines");
  /* a drug loop is a segment: the segment limit bounds them */
  if (a->tag == T_LIN && a->state == AS_LINE &&
      (e = reserve(&a->drugs, &a->drugs_cap, a->n_drugs + 1,
                   sizeof *a->drugs, C837_MAX_CLAIM_SEGMENTS)) != 0)
    return claim_limit(a, s, e, C837_MAX_CLAIM_SEGMENTS, "segments");
  if (add_claim_segment(a, s) != 0)
    return -1;
  if (a->tag == T_LX || no_lx) {
    c837_line *ln = &a->lines[a->n_lines++];
    memset(ln, 0, sizeof *ln);
    ln->seg_first = ln->seg_last = a->n_recs - 1;
    ln->seg_sv = ln->seg_dtp = C837_NO_INDEX;
    a->state = AS_LINE;
    if (!no_lx) {
      copy_el(ln->lx, sizeof ln->lx, s, 1);
      return 0;
    }
    /* a line without LX (some generators write none): numbered by its
     * position, so that every edit sees it; its service is this SV,
     * read below as after an LX */
    (void)c837_str_append_long(ln->lx, sizeof ln->lx, 0, (long)a->n_lines);
  }
  if (a->state == AS_CLAIM)
    return claim_level_segment(a, s);
  if (a->state == AS_COB)
    return 0;
  if (line_segment(a, s) != 0)
    return -1;
  return no_lx ? lx_missing(a, s) : 0;
}

/* Points the views at the arena, which no longer moves: the claim's
 * segs[].  0 or -1 (C837_ENOMEM). */
static int build_views(c837_assembler *a)
{
  size_t i;
  if (reserve(&a->views, &a->views_cap, a->n_recs, sizeof *a->views,
              C837_MAX_CLAIM_SEGMENTS) != 0 ||
      reserve(&a->spans, &a->spans_view_cap, a->n_spans ? a->n_spans : 1,
              sizeof *a->spans, C837_MAX_CLAIM_ELEMENTS) != 0)
    return c837_asm_fail(a, C837_ENOMEM, NULL,
                         "out of memory while handing out a claim");
  for (i = 0; i < a->n_spans; i++) {
    a->spans[i].p = a->arena.p + a->spans_off[i].off;
    a->spans[i].len = a->spans_off[i].len;
  }
  for (i = 0; i < a->n_recs; i++) {
    const seg_rec *r = &a->recs[i];
    c837_segment *v = &a->views[i];
    v->raw = a->arena.p + r->raw_off;
    v->raw_len = r->raw_len;
    v->lead = r->lead;
    v->body_len = r->body_len;
    v->tag.p = v->raw + r->lead;
    v->tag.len = r->tag_len;
    v->n_el = r->n_el;
    v->el = a->spans + r->el_first;
    v->delims = r->delims;
    v->offset = r->offset;
    v->number = r->number;
    v->flags = r->flags;
  }
  return 0;
}

/* Line dates (a line without DTP*472 takes the claim's dates) and the
 * claim's kind: from the lines, else from GS08/ST03. */
static void settle_lines(c837_assembler *a)
{
  c837_claim *c = &a->claim;
  size_t i, n_sv[4] = {0, 0, 0, 0};
  for (i = 0; i < a->n_lines; i++) {
    c837_line *ln = &a->lines[i];
    if (ln->sv >= '1' && ln->sv <= '3')
      n_sv[ln->sv - '0']++;
    if (ln->date_source)
      continue;
    if (c->svc_from) {
      ln->date_from = c->svc_from;
      ln->date_to = c->svc_to;
      ln->date_source = 'C';
    } else if (c->stmt_from) {
      ln->date_from = c->stmt_from;
      ln->date_to = c->stmt_to;
      ln->date_source = 'C';
    }
  }
  if (n_sv[2] && n_sv[2] >= n_sv[1] && n_sv[2] >= n_sv[3])
    c->kind = C837_KIND_I;
  else if (n_sv[1] && n_sv[1] >= n_sv[3])
    c->kind = C837_KIND_P;
  else if (n_sv[3])
    c->kind = C837_KIND_D;
  else
    c->kind = a->env.declared;
}

/* The 837I type of bill and the patient key (member id, and the
 * patient's name and birth date when the patient is not the subscriber). */
static void settle_keys(c837_claim *c)
{
  char *k = c->patient_key;
  const size_t ksz = sizeof c->patient_key;
  size_t o;
  if (c->kind == C837_KIND_I)
    c837_str_append(c->tob, sizeof c->tob,
                    c837_str_append(c->tob, sizeof c->tob, 0, c->facility),
                    c->freq);
  o = c837_str_append(k, ksz, 0, c->subscriber.id);
  if (c->has_patient) {
    o = c837_str_append(k, ksz, o, "|");
    o = c837_str_append(k, ksz, o, c->patient.last);
    o = c837_str_append(k, ksz, o, "|");
    o = c837_str_append(k, ksz, o, c->patient.first);
    o = c837_str_append(k, ksz, o, "|");
    (void)c837_str_append_long(k, ksz, o, (long)c->patient.dob);
  }
}

int c837_asm_end_claim(c837_assembler *a)
{
  c837_claim *c = &a->claim;
  if (!in_claim(a))
    return 0;
  /* back in the HL loop; the segment that ended the claim moves on */
  a->state = AS_LOOP;
  if (build_views(a) != 0)
    return -1;
  c->segs = a->views;
  c->n_segs = a->n_recs;
  c->lines = a->lines;
  c->n_lines = a->n_lines;
  settle_lines(a);
  settle_keys(c);
  c837_ctx_settle(a);
  a->counts.claims++;
  a->counts.lines += a->n_lines;
  if (c->kind == C837_KIND_P)
    a->counts.claims_p++;
  else if (c->kind == C837_KIND_I)
    a->counts.claims_i++;
  else if (c->kind == C837_KIND_D)
    a->counts.claims_d++;
  if (a->h.claim && a->h.claim(a->h.ud, c) != 0)
    return c837_asm_fail(a, C837_ECALLBACK, NULL,
                         "a claim callback asked to stop");
  return 0;
}

void c837_asm_claim_free(c837_assembler *a)
{
  c837_buf_free(&a->arena);
  free(a->recs);
  free(a->spans_off);
  free(a->lines);
  free(a->views);
  free(a->spans);
  c837_ctx_free(a);
}
