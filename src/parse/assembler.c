/* assembler.c -- 837 claim assembler and envelope checker (segments in,
 * claims out)
 *
 * Takes the tokenizer's segments one at a time, keeps track of where it is
 * in the X12 envelope and the 837 hierarchy, and hands out each claim with
 * its service lines as soon as the claim is complete.  Loops have no end
 * markers, so the position is inferred from the segment just seen:
 *
 *   interchange  ISA  group*  IEA
 *   group        GS   transaction*  GE
 *   transaction  ST   header  hl-loop*  SE        (ST01 = 837)
 *   header       BHT, 1000A NM1*41 (+PER), 1000B NM1*40
 *   hl-loop      HL  loop-segment*  claim*
 *                  HL03 20: 2000A billing provider; NM1*85 = 2010AA
 *                  HL03 22: 2000B subscriber; SBR, NM1*IL = 2010BA (+DMG),
 *                           NM1*PR = 2010BB payer
 *                  HL03 23: 2000C patient; PAT, NM1*QC = 2010CA (+DMG)
 *   claim        CLM  claim-segment*  line*       (ends at HL, CLM, SE)
 *   line         LX  SV1|SV2|SV3  line-segment*  (ends at LX or claim end)
 *
 * Inside a claim, NM1*IL / NM1*PR belong to other payers (2320/2330) and
 * are not the claim's subscriber or payer; a DTP after SVD belongs to the
 * 2430 adjudication loop and is not the line's date of service.  Those
 * segments are kept as raw bytes but not read into the model.
 *
 * Envelope checks: ISA13/IEA02, IEA01 = groups, GS06/GE02, GE01 =
 * transactions, ST02/SE02, SE01 = segments ST..SE, and trailers missing or
 * out of place; the ISA's fixed width (106 bytes), ISA09 and GS04 dates,
 * claim and line dates; on every segment, a NUL byte (binary data) and a
 * tag that is not a segment id (a separator changed mid-file).  Each is
 * reported as a c837_problem with the offset and ordinal of the segment
 * at fault; assembling goes on.
 *
 * Memory: one claim's raw bytes (arena), its segment records and lines,
 * reused from claim to claim and capped by the claim limits.
 */
#include "cart837.h"
#include "base/limits.h"
#include "base/util.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* The segment tags the assembler acts on, classified once per segment so
 * that dispatch is a switch and not a string comparison per rule. */
enum tag {
  T_OTHER, T_ISA, T_GS, T_ST, T_SE, T_GE, T_IEA, T_HL, T_CLM, T_LX,
  T_SV1, T_SV2, T_SV3, T_SVD, T_DTP, T_REF, T_NM1, T_DMG
};

#define TAG3(a, b, c) (((unsigned)(a) << 16) | ((unsigned)(b) << 8) | (c))

/* Where the next segment of an 837 transaction goes. */
enum phase { PH_NONE, PH_HEADER, PH_LOOP, PH_CLAIM, PH_FOREIGN };

/* A segment of the claim being built: offsets into the arena. */
typedef struct seg_rec {
  size_t raw_off, raw_len, lead, body_len;
  size_t tag_len;
  size_t el_first, n_el; /* into spans_off */
  uint64_t offset, number;
  c837_delims delims;
} seg_rec;

typedef struct span_off {
  size_t off, len;
} span_off;

struct c837_assembler {
  c837_handler h;
  c837_error err;
  c837_counts counts;
  c837_envelope env;
  enum tag tag;        /* tag of the segment being handled */
  uint64_t end_offset; /* input offset after the last segment seen */

  /* envelope state */
  int in_isa, in_gs, in_st;
  uint64_t isa_groups, gs_sets, st_segs;
  uint64_t st_claims; /* claims begun in the open transaction */
  enum phase phase;
  int is_837;

  /* hierarchy context */
  c837_party billing, subscriber, payer, patient;
  int has_patient;
  c837_party *last_party;
  char hl_id[16];
  int hl_level; /* 20, 22, 23, or 0 */

  /* the claim being built */
  int in_claim;
  int in_2430; /* current line is past its SVD */
  c837_claim claim;
  char *arena;
  size_t arena_len, arena_cap;
  seg_rec *recs;
  size_t n_recs, recs_cap;
  span_off *spans_off;
  size_t n_spans, spans_cap;
  c837_line *lines;
  size_t n_lines, lines_cap;
  /* views built when the claim is handed out */
  c837_segment *views;
  size_t views_cap;
  c837_span *spans;
  size_t spans_view_cap;
};

c837_assembler *c837_assembler_new(const c837_handler *h)
{
  c837_assembler *a = calloc(1, sizeof *a);
  if (!a)
    return NULL;
  a->h = *h;
  return a;
}

void c837_assembler_free(c837_assembler *a)
{
  if (!a)
    return;
  free(a->arena);
  free(a->recs);
  free(a->spans_off);
  free(a->lines);
  free(a->views);
  free(a->spans);
  free(a);
}

const c837_error *c837_assembler_error(const c837_assembler *a)
{
  return &a->err;
}

void c837_assembler_pending(const c837_assembler *a, const char **p,
                            size_t *len)
{
  *p = a->arena;
  *len = a->in_claim ? a->arena_len : 0;
}

const c837_counts *c837_assembler_counts(const c837_assembler *a)
{
  return &a->counts;
}

/* ---- small helpers -------------------------------------------------- */

static enum tag tag_of(c837_span t)
{
  unsigned k;
  if (t.len == 2)
    k = TAG3(0, t.p[0], t.p[1]);
  else if (t.len == 3)
    k = TAG3(t.p[0], t.p[1], t.p[2]);
  else
    return T_OTHER;
  switch (k) {
  case TAG3('I', 'S', 'A'): return T_ISA;
  case TAG3(0, 'G', 'S'): return T_GS;
  case TAG3(0, 'S', 'T'): return T_ST;
  case TAG3(0, 'S', 'E'): return T_SE;
  case TAG3(0, 'G', 'E'): return T_GE;
  case TAG3('I', 'E', 'A'): return T_IEA;
  case TAG3(0, 'H', 'L'): return T_HL;
  case TAG3('C', 'L', 'M'): return T_CLM;
  case TAG3(0, 'L', 'X'): return T_LX;
  case TAG3('S', 'V', '1'): return T_SV1;
  case TAG3('S', 'V', '2'): return T_SV2;
  case TAG3('S', 'V', '3'): return T_SV3;
  case TAG3('S', 'V', 'D'): return T_SVD;
  case TAG3('D', 'T', 'P'): return T_DTP;
  case TAG3('R', 'E', 'F'): return T_REF;
  case TAG3('N', 'M', '1'): return T_NM1;
  case TAG3('D', 'M', 'G'): return T_DMG;
  default: return T_OTHER;
  }
}

static int set_error(c837_assembler *a, c837_status code,
                     const c837_segment *s, const char *msg)
{
  if (a->err.code == C837_OK) {
    a->err.code = code;
    a->err.offset = s ? s->offset : 0;
    a->err.segment = s ? s->number : 0;
    snprintf(a->err.msg, sizeof a->err.msg, "%s", msg);
  }
  return -1;
}

static int problem(c837_assembler *a, const c837_segment *s,
                   c837_problem_id id, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int problem(c837_assembler *a, const c837_segment *s,
                   c837_problem_id id, const char *fmt, ...)
{
  c837_problem p;
  va_list ap;
  memset(&p, 0, sizeof p);
  p.code = c837_problem_name(id);
  p.id = id;
  p.severity = c837_problem_severity(id);
  p.offset = s ? s->offset + s->lead : a->end_offset;
  p.segment = s ? s->number : a->counts.segments;
  va_start(ap, fmt);
  vsnprintf(p.msg, sizeof p.msg, fmt, ap);
  va_end(ap);
  a->counts.problems++;
  if (a->h.problem && a->h.problem(a->h.ud, &p) != 0)
    return set_error(a, C837_ECALLBACK, s, "a problem callback asked to stop");
  return 0;
}

/* Element i trimmed of blanks on both ends (ISA fields are padded). */
static c837_span trimmed(c837_span v)
{
  while (v.len && v.p[0] == ' ') {
    v.p++;
    v.len--;
  }
  while (v.len && v.p[v.len - 1] == ' ')
    v.len--;
  return v;
}

static void copy_el(char *dst, size_t sz, const c837_segment *s, size_t i)
{
  c837_span_copy(dst, sz, trimmed(c837_seg_el(s, i)));
}

static int el_is(const c837_segment *s, size_t i, const char *v)
{
  return c837_span_eq(trimmed(c837_seg_el(s, i)), v);
}

/* Decimal text of a span (for messages). */
static void span_text(char *dst, size_t sz, c837_span v)
{
  c837_span_copy(dst, sz, trimmed(v));
}

static int span_to_u64(c837_span v, uint64_t *out)
{
  uint64_t x = 0;
  size_t i;
  v = trimmed(v);
  if (v.len == 0 || v.len > 18)
    return -1;
  for (i = 0; i < v.len; i++) {
    if (v.p[i] < '0' || v.p[i] > '9')
      return -1;
    x = x * 10 + (uint64_t)(v.p[i] - '0');
  }
  *out = x;
  return 0;
}

/* Control numbers compare as numbers when both are numeric (ISA13
 * 000000905 and IEA02 905 agree), as text otherwise. */
/* 1 when the trailer's control number a is the header's b, as stored:
 * b is a copy cut to the envelope's field size, so a is cut the same way
 * before the comparison (an over-long control number in both is not a
 * mismatch). */
static int control_is(c837_span a, const char *b)
{
  char t[sizeof ((c837_envelope *)0)->st02];
  c837_span_copy(t, sizeof t, trimmed(a));
  return strcmp(t, b) == 0;
}

static int same_control(c837_span a, const char *b)
{
  uint64_t x, y;
  c837_span bs = {b, strlen(b)};
  if (span_to_u64(a, &x) == 0 && span_to_u64(bs, &y) == 0)
    return x == y;
  return control_is(a, b);
}

static c837_kind kind_of_version(const char *v, int *version)
{
  if (strncmp(v, "00501", 5) == 0)
    *version = 5010;
  else if (strncmp(v, "00401", 5) == 0)
    *version = 4010;
  if (strstr(v, "X222") || strstr(v, "X098"))
    return C837_KIND_P;
  if (strstr(v, "X223") || strstr(v, "X096"))
    return C837_KIND_I;
  if (strstr(v, "X224") || strstr(v, "X097"))
    return C837_KIND_D;
  return C837_KIND_UNKNOWN;
}

/* D8 or RD8 date(s) of a DTP segment into from/to; 0 on success. */
static int parse_dtp(const c837_segment *s, int32_t *from, int32_t *to)
{
  c837_span fmt = c837_seg_el(s, 2), v = trimmed(c837_seg_el(s, 3));
  if (c837_span_eq(fmt, "D8")) {
    if (c837_parse_date(v, from) != 0)
      return -1;
    *to = *from;
    return 0;
  }
  if (c837_span_eq(fmt, "RD8") && v.len == 17 && v.p[8] == '-') {
    c837_span x = {v.p, 8}, y = {v.p + 9, 8};
    if (c837_parse_date(x, from) != 0 || c837_parse_date(y, to) != 0)
      return -1;
    if (*to < *from)
      return -1;
    return 0;
  }
  return -1;
}

/* ---- hierarchy context --------------------------------------------- */

static void reset_party(c837_party *p)
{
  memset(p, 0, sizeof *p);
}

static void read_nm1(c837_party *p, const c837_segment *s)
{
  reset_party(p);
  copy_el(p->last, sizeof p->last, s, 3);
  copy_el(p->first, sizeof p->first, s, 4);
  copy_el(p->id, sizeof p->id, s, 9);
}

static void loop_segment(c837_assembler *a, const c837_segment *s)
{
  if (a->tag == T_NM1) {
    c837_span q = trimmed(c837_seg_el(s, 1));
    a->last_party = NULL;
    if (c837_span_eq(q, "85")) {
      read_nm1(&a->billing, s);
      a->last_party = &a->billing;
    } else if (c837_span_eq(q, "IL") && a->hl_level == 22) {
      read_nm1(&a->subscriber, s);
      a->last_party = &a->subscriber;
    } else if (c837_span_eq(q, "PR") && a->hl_level == 22) {
      read_nm1(&a->payer, s);
      a->last_party = &a->payer;
    } else if (c837_span_eq(q, "QC")) {
      read_nm1(&a->patient, s);
      a->has_patient = 1;
      a->last_party = &a->patient;
    }
  } else if (a->tag == T_DMG && a->last_party &&
             (a->last_party == &a->subscriber ||
              a->last_party == &a->patient)) {
    int32_t d;
    if (c837_span_eq(c837_seg_el(s, 1), "D8") &&
        c837_parse_date(trimmed(c837_seg_el(s, 2)), &d) == 0)
      a->last_party->dob = d;
  }
}

static void read_hl(c837_assembler *a, const c837_segment *s)
{
  c837_span lvl = trimmed(c837_seg_el(s, 3));
  copy_el(a->hl_id, sizeof a->hl_id, s, 1);
  a->last_party = NULL;
  if (c837_span_eq(lvl, "20")) {
    a->hl_level = 20;
    reset_party(&a->billing);
    reset_party(&a->subscriber);
    reset_party(&a->payer);
    reset_party(&a->patient);
    a->has_patient = 0;
  } else if (c837_span_eq(lvl, "22")) {
    a->hl_level = 22;
    reset_party(&a->subscriber);
    reset_party(&a->payer);
    reset_party(&a->patient);
    a->has_patient = 0;
  } else if (c837_span_eq(lvl, "23")) {
    a->hl_level = 23;
    reset_party(&a->patient);
    a->has_patient = 0;
  } else {
    a->hl_level = 0;
  }
}

/* ---- building a claim ----------------------------------------------- */

static int grow(void **p, size_t *cap, size_t need, size_t elsz,
                size_t limit)
{
  size_t ncap;
  void *np;
  if (need <= *cap)
    return 0;
  if (need > limit)
    return -1;
  ncap = *cap ? *cap : 16;
  while (ncap < need)
    ncap *= 2;
  if (ncap > limit)
    ncap = limit;
  np = realloc(*p, ncap * elsz);
  if (!np)
    return -2;
  *p = np;
  *cap = ncap;
  return 0;
}

static int claim_limit(c837_assembler *a, const c837_segment *s, int r,
                       unsigned long limit, const char *what)
{
  char msg[200];
  if (r == -2)
    return set_error(a, C837_ENOMEM, s, "out of memory while reading a claim");
  snprintf(msg, sizeof msg,
           "claim '%s' has more than %lu %s; not an 837 a payer would "
           "accept",
           a->claim.id, limit, what);
  return set_error(a, C837_ECLAIM, s, msg);
}

/* Copies a segment into the claim's arena. */
static int add_claim_segment(c837_assembler *a, const c837_segment *s)
{
  seg_rec *r;
  size_t i;
  int e;
  if ((e = grow((void **)&a->arena, &a->arena_cap, a->arena_len + s->raw_len,
                1, C837_MAX_CLAIM_BYTES)) != 0)
    return claim_limit(a, s, e, C837_MAX_CLAIM_BYTES, "bytes");
  if ((e = grow((void **)&a->recs, &a->recs_cap, a->n_recs + 1,
                sizeof *a->recs, C837_MAX_CLAIM_SEGMENTS)) != 0)
    return claim_limit(a, s, e, C837_MAX_CLAIM_SEGMENTS, "segments");
  if ((e = grow((void **)&a->spans_off, &a->spans_cap,
                a->n_spans + s->n_el, sizeof *a->spans_off,
                C837_MAX_CLAIM_ELEMENTS)) != 0)
    return claim_limit(a, s, e, C837_MAX_CLAIM_ELEMENTS, "elements");
  r = &a->recs[a->n_recs++];
  r->raw_off = a->arena_len;
  r->raw_len = s->raw_len;
  r->lead = s->lead;
  r->body_len = s->body_len;
  r->tag_len = s->tag.len;
  r->el_first = a->n_spans;
  r->n_el = s->n_el;
  r->offset = s->offset;
  r->number = s->number;
  r->delims = s->delims;
  memcpy(a->arena + a->arena_len, s->raw, s->raw_len);
  for (i = 0; i < s->n_el; i++) {
    a->spans_off[a->n_spans].off =
        r->raw_off + (size_t)(s->el[i].p - s->raw);
    a->spans_off[a->n_spans].len = s->el[i].len;
    a->n_spans++;
  }
  a->arena_len += s->raw_len;
  return 0;
}

static void read_composite_code(c837_line *ln, const c837_segment *s,
                                size_t el)
{
  /* components 1 (qualifier), 2 (code), 3-6 (modifiers), in one pass */
  c837_span e = c837_seg_el(s, el);
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

static void read_service(c837_line *ln, const c837_segment *s,
                         enum tag tag)
{
  int64_t v;
  if (tag == T_SV1) {
    ln->sv = '1';
    read_composite_code(ln, s, 1);
    ln->charge_ok = c837_parse_decimal(trimmed(c837_seg_el(s, 2)), 2, &v) == 0;
    ln->charge = ln->charge_ok ? v : 0;
    read_units(ln, c837_seg_el(s, 3), c837_seg_el(s, 4));
  } else if (tag == T_SV2) {
    ln->sv = '2';
    c837_span_copy(ln->revenue, sizeof ln->revenue,
                   trimmed(c837_seg_el(s, 1)));
    read_composite_code(ln, s, 2);
    ln->charge_ok = c837_parse_decimal(trimmed(c837_seg_el(s, 3)), 2, &v) == 0;
    ln->charge = ln->charge_ok ? v : 0;
    read_units(ln, c837_seg_el(s, 4), c837_seg_el(s, 5));
    if (c837_parse_decimal(trimmed(c837_seg_el(s, 7)), 2, &v) == 0)
      ln->noncovered = v;
  } else { /* SV3, dental */
    ln->sv = '3';
    read_composite_code(ln, s, 1);
    ln->charge_ok = c837_parse_decimal(trimmed(c837_seg_el(s, 2)), 2, &v) == 0;
    ln->charge = ln->charge_ok ? v : 0;
    read_units(ln, (c837_span){"", 0}, c837_seg_el(s, 6));
  }
}

static void start_claim(c837_assembler *a, const c837_segment *s)
{
  c837_claim *c = &a->claim;
  int64_t v;
  memset(c, 0, sizeof *c);
  a->arena_len = 0;
  a->n_recs = 0;
  a->n_spans = 0;
  a->n_lines = 0;
  a->in_2430 = 0;
  a->in_claim = 1;
  c->env = &a->env;
  copy_el(c->id, sizeof c->id, s, 1);
  c->total_ok = c837_parse_decimal(trimmed(c837_seg_el(s, 2)), 2, &v) == 0;
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

/* Reads one segment of the open claim into the model. */
static int claim_segment(c837_assembler *a, const c837_segment *s)
{
  c837_claim *c = &a->claim;
  int e;
  /* room for a new line first, so that a segment over a limit is never
   * half stored (it stays with the tokenizer's unemitted bytes) */
  if (a->tag == T_LX &&
      (e = grow((void **)&a->lines, &a->lines_cap, a->n_lines + 1,
                sizeof *a->lines, C837_MAX_LINES)) != 0)
    return claim_limit(a, s, e, C837_MAX_LINES, "service lines");
  if (add_claim_segment(a, s) != 0)
    return -1;
  if (a->tag == T_LX) {
    c837_line *ln = &a->lines[a->n_lines++];
    memset(ln, 0, sizeof *ln);
    copy_el(ln->lx, sizeof ln->lx, s, 1);
    ln->seg_first = ln->seg_last = a->n_recs - 1;
    ln->seg_sv = ln->seg_dtp = C837_NO_INDEX;
    a->in_2430 = 0;
    return 0;
  }
  if (a->n_lines > 0) {
    c837_line *ln = &a->lines[a->n_lines - 1];
    ln->seg_last = a->n_recs - 1;
    if (ln->seg_sv == C837_NO_INDEX &&
        (a->tag == T_SV1 || a->tag == T_SV2 ||
         a->tag == T_SV3)) {
      ln->seg_sv = a->n_recs - 1;
      read_service(ln, s, a->tag);
    } else if (a->tag == T_SVD) {
      a->in_2430 = 1;
    } else if (a->tag == T_DTP && !a->in_2430 &&
               ln->seg_dtp == C837_NO_INDEX && el_is(s, 1, "472")) {
      int32_t f, t;
      if (parse_dtp(s, &f, &t) == 0) {
        ln->seg_dtp = a->n_recs - 1;
        ln->date_from = f;
        ln->date_to = t;
        ln->date_source = 'L';
      } else {
        char v[40];
        span_text(v, sizeof v, c837_seg_el(s, 3));
        ln->seg_dtp = a->n_recs - 1;
        return problem(a, s, C837_PROB_DATE_INVALID,
                       "claim %s line %s: DTP*472 date '%s' is not a valid "
                       "D8 or RD8 date",
                       c->id, ln->lx, v);
      }
    }
    return 0;
  }
  /* claim level (2300), before the first line */
  if (a->tag == T_DTP) {
    int32_t f, t;
    const int stmt = el_is(s, 1, "434");
    if (!stmt && !el_is(s, 1, "472"))
      return 0;
    if (parse_dtp(s, &f, &t) != 0) {
      char v[40];
      span_text(v, sizeof v, c837_seg_el(s, 3));
      return problem(a, s, C837_PROB_DATE_INVALID,
                     "claim %s: DTP*%s date '%s' is not a valid D8 or RD8 "
                     "date",
                     c->id, stmt ? "434" : "472", v);
    }
    if (stmt) {
      c->stmt_from = f;
      c->stmt_to = t;
    } else {
      c->svc_from = f;
      c->svc_to = t;
    }
  } else if (a->tag == T_REF && el_is(s, 1, "F8") && !c->orig_ref[0]) {
    copy_el(c->orig_ref, sizeof c->orig_ref, s, 2);
  }
  return 0;
}

/* Finishes the claim being built and hands it out. */
static int end_claim(c837_assembler *a)
{
  c837_claim *c = &a->claim;
  size_t i, n_sv[4] = {0, 0, 0, 0};
  int rc = 0;
  if (!a->in_claim)
    return 0;
  a->in_claim = 0;

  /* views with real pointers: the arena no longer moves */
  if (grow((void **)&a->views, &a->views_cap, a->n_recs, sizeof *a->views,
           C837_MAX_CLAIM_SEGMENTS) != 0 ||
      grow((void **)&a->spans, &a->spans_view_cap, a->n_spans ? a->n_spans : 1,
           sizeof *a->spans, C837_MAX_CLAIM_ELEMENTS) != 0)
    return set_error(a, C837_ENOMEM, NULL,
                     "out of memory while handing out a claim");
  for (i = 0; i < a->n_spans; i++) {
    a->spans[i].p = a->arena + a->spans_off[i].off;
    a->spans[i].len = a->spans_off[i].len;
  }
  for (i = 0; i < a->n_recs; i++) {
    const seg_rec *r = &a->recs[i];
    c837_segment *v = &a->views[i];
    v->raw = a->arena + r->raw_off;
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
  }
  c->segs = a->views;
  c->n_segs = a->n_recs;
  c->lines = a->lines;
  c->n_lines = a->n_lines;

  /* dates: a line without DTP*472 takes the claim's dates */
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
  /* kind: from the lines, else from GS08/ST03 */
  if (n_sv[2] && n_sv[2] >= n_sv[1] && n_sv[2] >= n_sv[3])
    c->kind = C837_KIND_I;
  else if (n_sv[1] && n_sv[1] >= n_sv[3])
    c->kind = C837_KIND_P;
  else if (n_sv[3])
    c->kind = C837_KIND_D;
  else
    c->kind = a->env.declared;
  if (c->kind == C837_KIND_I)
    c837_str_append(c->tob, sizeof c->tob,
                    c837_str_append(c->tob, sizeof c->tob, 0, c->facility),
                    c->freq);
  {
    char *k = c->patient_key;
    const size_t ksz = sizeof c->patient_key;
    size_t o = c837_str_append(k, ksz, 0, c->subscriber.id);
    if (c->has_patient) {
      o = c837_str_append(k, ksz, o, "|");
      o = c837_str_append(k, ksz, o, c->patient.last);
      o = c837_str_append(k, ksz, o, "|");
      o = c837_str_append(k, ksz, o, c->patient.first);
      o = c837_str_append(k, ksz, o, "|");
      (void)c837_str_append_long(k, ksz, o, (long)c->patient.dob);
    }
  }

  a->counts.claims++;
  a->counts.lines += a->n_lines;
  if (c->kind == C837_KIND_P)
    a->counts.claims_p++;
  else if (c->kind == C837_KIND_I)
    a->counts.claims_i++;
  else if (c->kind == C837_KIND_D)
    a->counts.claims_d++;
  if (a->h.claim && a->h.claim(a->h.ud, c) != 0)
    rc = set_error(a, C837_ECALLBACK, NULL, "a claim callback asked to stop");
  return rc;
}

/* ---- envelope ------------------------------------------------------- */

static int emit(c837_assembler *a, const c837_segment *s, c837_role role)
{
  if (a->h.segment && a->h.segment(a->h.ud, s, role, &a->env) != 0)
    return set_error(a, C837_ECALLBACK, s, "a segment callback asked to stop");
  return 0;
}

static int close_st(c837_assembler *a, const c837_segment *s, const char *why)
{
  if (!a->in_st)
    return 0;
  a->in_st = 0;
  a->phase = PH_NONE;
  return problem(a, s, C837_PROB_SE_MISSING,
                 "transaction set ST02=%s has no SE trailer (%s)",
                 a->env.st02, why);
}

static int close_gs(c837_assembler *a, const c837_segment *s, const char *why)
{
  if (!a->in_gs)
    return 0;
  a->in_gs = 0;
  return problem(a, s, C837_PROB_GE_MISSING,
                 "functional group GS06=%s has no GE trailer (%s)",
                 a->env.gs06, why);
}

static int close_isa(c837_assembler *a, const c837_segment *s,
                     const char *why)
{
  if (!a->in_isa)
    return 0;
  a->in_isa = 0;
  return problem(a, s, C837_PROB_IEA_MISSING,
                 "interchange ISA13=%s has no IEA trailer (%s)", a->env.isa13,
                 why);
}

/* Widths of ISA01 .. ISA16, fixed by the standard (106 bytes in all with
 * the tag, the separators and the terminator). */
static const unsigned char ISA_WIDTH[16] = {2, 10, 2, 10, 2, 15, 2, 15,
                                            6, 4,  1, 5, 9,  1, 1, 1};

/* ISA_LENGTH (an ISA that is not 106 bytes, naming the first field of
 * the wrong width) and ISA09_DATE (YYMMDD, read as 20YY). */
static int check_isa(c837_assembler *a, const c837_segment *s)
{
  c837_span d = c837_seg_el(s, 9);
  char d8[8], v[40];
  int32_t ymd;
  if (s->body_len + 1 != 106) {
    size_t i = 0;
    int r;
    while (i < s->n_el && i < 16 && s->el[i].len == ISA_WIDTH[i])
      i++;
    if (i < s->n_el && i < 16)
      r = problem(a, s, C837_PROB_ISA_LENGTH,
                  "ISA is %zu bytes, not 106 (fixed-width fields): ISA%02zu "
                  "has %zu characters, not %u",
                  s->body_len + 1, i + 1, s->el[i].len,
                  (unsigned)ISA_WIDTH[i]);
    else /* every field right: elements missing (ISA_ELEMENTS said so) */
      r = problem(a, s, C837_PROB_ISA_LENGTH,
                  "ISA is %zu bytes, not 106 (fixed-width fields)",
                  s->body_len + 1);
    if (r)
      return -1;
  }
  if (d.len == 6) {
    memcpy(d8, "20", 2);
    memcpy(d8 + 2, d.p, 6);
  }
  if (d.len != 6 || c837_parse_date((c837_span){d8, 8}, &ymd) != 0) {
    span_text(v, sizeof v, d);
    return problem(a, s, C837_PROB_ISA09_DATE, "ISA09=%s is not a valid YYMMDD date",
                   v);
  }
  return 0;
}

static int on_isa(c837_assembler *a, const c837_segment *s)
{
  if (close_st(a, s, "a new ISA began") || close_gs(a, s, "a new ISA began") ||
      close_isa(a, s, "a new ISA began"))
    return -1;
  memset(&a->env, 0, sizeof a->env);
  a->env.delims = s->delims;
  copy_el(a->env.isa06, sizeof a->env.isa06, s, 6);
  copy_el(a->env.isa13, sizeof a->env.isa13, s, 13);
  a->in_isa = 1;
  a->isa_groups = 0;
  a->counts.interchanges++;
  if (s->n_el != 16)
    if (problem(a, s, C837_PROB_ISA_ELEMENTS,
                "ISA has %lu elements; an ISA has 16",
                (unsigned long)s->n_el))
      return -1;
  if (check_isa(a, s) != 0)
    return -1;
  return emit(a, s, C837_ROLE_ISA);
}

static int on_gs(c837_assembler *a, const c837_segment *s)
{
  if (close_st(a, s, "a new GS began") || close_gs(a, s, "a new GS began"))
    return -1;
  if (!a->in_isa &&
      problem(a, s, C837_PROB_GS_OUTSIDE_ISA, "GS segment outside an interchange"))
    return -1;
  {
    int32_t ymd;
    char v[40];
    if (c837_parse_date(c837_seg_el(s, 4), &ymd) != 0) {
      span_text(v, sizeof v, c837_seg_el(s, 4));
      if (problem(a, s, C837_PROB_GS04_DATE, "GS04=%s is not a valid CCYYMMDD date",
                  v))
        return -1;
    }
  }
  copy_el(a->env.gs06, sizeof a->env.gs06, s, 6);
  copy_el(a->env.gs08, sizeof a->env.gs08, s, 8);
  a->in_gs = 1;
  a->gs_sets = 0;
  a->isa_groups++;
  a->counts.groups++;
  return emit(a, s, C837_ROLE_GS);
}

static int on_st(c837_assembler *a, const c837_segment *s)
{
  int version = 0;
  if (close_st(a, s, "a new ST began"))
    return -1;
  if (!a->in_gs &&
      problem(a, s, C837_PROB_ST_OUTSIDE_GS, "ST segment outside a functional group"))
    return -1;
  copy_el(a->env.st01, sizeof a->env.st01, s, 1);
  copy_el(a->env.st02, sizeof a->env.st02, s, 2);
  copy_el(a->env.st03, sizeof a->env.st03, s, 3);
  a->env.declared = kind_of_version(a->env.st03[0] ? a->env.st03
                                                   : a->env.gs08,
                                    &version);
  if (a->env.declared == C837_KIND_UNKNOWN)
    a->env.declared = kind_of_version(a->env.gs08, &version);
  else if (!version)
    (void)kind_of_version(a->env.gs08, &version);
  a->env.version = version;
  a->is_837 = strcmp(a->env.st01, "837") == 0;
  if (!a->is_837)
    a->env.declared = C837_KIND_OTHER;
  a->in_st = 1;
  a->st_segs = 1;
  a->st_claims = 0;
  a->gs_sets++;
  a->counts.transactions++;
  a->phase = a->is_837 ? PH_HEADER : PH_FOREIGN;
  reset_party(&a->billing);
  reset_party(&a->subscriber);
  reset_party(&a->payer);
  reset_party(&a->patient);
  a->has_patient = 0;
  a->hl_id[0] = '\0';
  a->hl_level = 0;
  return emit(a, s, C837_ROLE_ST);
}

static int on_se(c837_assembler *a, const c837_segment *s)
{
  uint64_t n;
  char v[40];
  if (!a->in_st) {
    if (problem(a, s, C837_PROB_SE_OUTSIDE_ST, "SE segment without an open ST"))
      return -1;
    return emit(a, s, C837_ROLE_SE);
  }
  a->st_segs++;
  if (span_to_u64(c837_seg_el(s, 1), &n) != 0 || n != a->st_segs) {
    span_text(v, sizeof v, c837_seg_el(s, 1));
    if (problem(a, s, C837_PROB_SE01_COUNT,
                "SE01=%s but transaction set ST02=%s has %llu segments "
                "from ST to SE",
                v, a->env.st02, (unsigned long long)a->st_segs))
      return -1;
  }
  if (!control_is(c837_seg_el(s, 2), a->env.st02)) {
    span_text(v, sizeof v, c837_seg_el(s, 2));
    if (problem(a, s, C837_PROB_SE02_CONTROL, "SE02=%s does not match ST02=%s", v,
                a->env.st02))
      return -1;
  }
  a->in_st = 0;
  a->phase = PH_NONE;
  return emit(a, s, C837_ROLE_SE);
}

static int on_ge(c837_assembler *a, const c837_segment *s)
{
  uint64_t n;
  char v[40];
  if (close_st(a, s, "GE came first"))
    return -1;
  if (!a->in_gs) {
    if (problem(a, s, C837_PROB_GE_OUTSIDE_GS, "GE segment without an open GS"))
      return -1;
    return emit(a, s, C837_ROLE_GE);
  }
  if (span_to_u64(c837_seg_el(s, 1), &n) != 0 || n != a->gs_sets) {
    span_text(v, sizeof v, c837_seg_el(s, 1));
    if (problem(a, s, C837_PROB_GE01_COUNT,
                "GE01=%s but group GS06=%s has %llu transaction sets", v,
                a->env.gs06, (unsigned long long)a->gs_sets))
      return -1;
  }
  if (!same_control(c837_seg_el(s, 2), a->env.gs06)) {
    span_text(v, sizeof v, c837_seg_el(s, 2));
    if (problem(a, s, C837_PROB_GE02_CONTROL, "GE02=%s does not match GS06=%s", v,
                a->env.gs06))
      return -1;
  }
  a->in_gs = 0;
  return emit(a, s, C837_ROLE_GE);
}

static int on_iea(c837_assembler *a, const c837_segment *s)
{
  uint64_t n;
  char v[40];
  if (close_st(a, s, "IEA came first") || close_gs(a, s, "IEA came first"))
    return -1;
  if (!a->in_isa) {
    if (problem(a, s, C837_PROB_IEA_OUTSIDE_ISA, "IEA segment without an open ISA"))
      return -1;
    return emit(a, s, C837_ROLE_IEA);
  }
  if (span_to_u64(c837_seg_el(s, 1), &n) != 0 || n != a->isa_groups) {
    span_text(v, sizeof v, c837_seg_el(s, 1));
    if (problem(a, s, C837_PROB_IEA01_COUNT,
                "IEA01=%s but interchange ISA13=%s has %llu groups", v,
                a->env.isa13, (unsigned long long)a->isa_groups))
      return -1;
  }
  if (!same_control(c837_seg_el(s, 2), a->env.isa13)) {
    span_text(v, sizeof v, c837_seg_el(s, 2));
    if (problem(a, s, C837_PROB_IEA02_CONTROL, "IEA02=%s does not match ISA13=%s", v,
                a->env.isa13))
      return -1;
  }
  a->in_isa = 0;
  return emit(a, s, C837_ROLE_IEA);
}

/* 1 when c is an upper-case letter or a digit. */
static int is_id_char(char c)
{
  return (unsigned)(c - 'A') < 26u || (unsigned)(c - '0') < 10u;
}

/* 1 when the tag is a segment id: 2 or 3 upper-case letters or digits. */
static int is_segment_id(c837_span t)
{
  return (t.len == 2 || t.len == 3) && is_id_char(t.p[0]) &&
         is_id_char(t.p[1]) && (t.len == 2 || is_id_char(t.p[2]));
}

/* SEGMENT_NUL_BYTE (binary data in the body, unless a delimiter is NUL)
 * or else SEGMENT_ID_INVALID (a tag that is not a segment id, as when the
 * element separator changed).  Cheap on every segment: the tokenizer
 * flags a body with a NUL byte (C837_SEG_NUL), and a tag the switch of
 * tag_of knew is a valid id. */
static int check_bytes(c837_assembler *a, const c837_segment *s)
{
  const char *b = s->raw + s->lead;
  const char *z =
      (s->flags & C837_SEG_NUL) ? memchr(b, '\0', s->body_len) : NULL;
  char ex[68], sep[8];
  if (z && s->delims.element && s->delims.component && s->delims.segment) {
    c837_excerpt(ex, sizeof ex, s->tag.p, s->tag.len < 8 ? s->tag.len : 8);
    return problem(a, s, C837_PROB_SEGMENT_NUL_BYTE,
                   "segment '%s' has a NUL byte (0x00) at byte %llu: binary "
                   "data, not X12 text",
                   ex, (unsigned long long)(s->offset + s->lead +
                                            (uint64_t)(z - b)));
  }
  if (a->tag != T_OTHER || is_segment_id(s->tag))
    return 0;
  c837_excerpt(ex, sizeof ex, b, s->body_len < 16 ? s->body_len : 16);
  c837_excerpt(sep, sizeof sep, &s->delims.element, 1);
  return problem(a, s, C837_PROB_SEGMENT_ID_INVALID,
                 "segment '%s' does not start with a segment id (2 or 3 "
                 "letters or digits, then '%s')",
                 ex, sep);
}

int c837_assembler_segment(void *ud, const c837_segment *s)
{
  c837_assembler *a = ud;
  int ends_claim;

  if (a->err.code != C837_OK)
    return -1;
  a->counts.segments++;
  a->end_offset = s->offset + s->raw_len;
  a->tag = tag_of(s->tag);
  if ((s->flags & C837_SEG_UNTERMINATED) &&
      problem(a, s, C837_PROB_SEGMENT_UNTERMINATED,
              "the last segment has no segment terminator (0x%02x)",
              (unsigned)(unsigned char)s->delims.segment))
    return -1;
  ends_claim = a->tag == T_HL || a->tag == T_CLM || a->tag == T_SE ||
               a->tag == T_ST || a->tag == T_GE || a->tag == T_GS ||
               a->tag == T_IEA || a->tag == T_ISA;
  if (a->in_claim && ends_claim && end_claim(a) != 0)
    return -1;
  if (check_bytes(a, s) != 0)
    return -1;

  if (a->tag == T_ISA)
    return on_isa(a, s);
  if (a->tag == T_GS)
    return on_gs(a, s);
  if (a->tag == T_ST)
    return on_st(a, s);
  if (a->tag == T_SE)
    return on_se(a, s);
  if (a->tag == T_GE)
    return on_ge(a, s);
  if (a->tag == T_IEA)
    return on_iea(a, s);

  if (!a->in_st) {
    char tag[16];
    c837_span_copy(tag, sizeof tag, s->tag);
    if (problem(a, s, C837_PROB_SEGMENT_OUTSIDE_ST,
                "segment '%s' outside a transaction set", tag))
      return -1;
    return emit(a, s, C837_ROLE_OTHER);
  }
  a->st_segs++;
  if (a->phase == PH_FOREIGN)
    return emit(a, s, C837_ROLE_OTHER);

  if (a->tag == T_HL) {
    read_hl(a, s);
    a->phase = PH_LOOP;
    return emit(a, s, C837_ROLE_HL);
  }
  if (a->tag == T_CLM) {
    if (a->phase == PH_HEADER &&
        problem(a, s, C837_PROB_CLM_WITHOUT_HL,
                "claim before any HL segment: no billing provider or "
                "subscriber"))
      return -1;
    start_claim(a, s);
    a->st_claims++;
    a->phase = PH_CLAIM;
    return claim_segment(a, s);
  }
  if (a->in_claim)
    return claim_segment(a, s);
  if (a->phase == PH_HEADER)
    return emit(a, s, C837_ROLE_HEADER);
  if (a->tag == T_LX || a->tag == T_SV1 ||
      a->tag == T_SV2 || a->tag == T_SV3) {
    char tag[16];
    c837_span_copy(tag, sizeof tag, s->tag);
    if (problem(a, s, C837_PROB_SEGMENT_OUT_OF_PLACE,
                "service line segment '%s' outside a claim", tag))
      return -1;
    return emit(a, s, C837_ROLE_OTHER);
  }
  loop_segment(a, s);
  return emit(a, s, C837_ROLE_LOOP);
}

c837_status c837_assembler_finish(c837_assembler *a)
{
  if (a->err.code != C837_OK)
    return a->err.code;
  if (a->in_st && a->is_837 && (a->in_claim || a->st_claims)) {
    /* the input stops inside a transaction set that holds claims: the
     * last claim may be cut short, so the claim being read is not handed
     * out (c837_assembler_pending still has its bytes) */
    char msg[200];
    snprintf(msg, sizeof msg,
             "input ends inside transaction set ST02=%s after %llu "
             "claim(s), with no SE: the file is truncated",
             a->env.st02, (unsigned long long)a->st_claims);
    a->err.code = C837_ETRUNC;
    a->err.offset = a->end_offset;
    a->err.segment = a->counts.segments;
    snprintf(a->err.msg, sizeof a->err.msg, "%s", msg);
    return C837_ETRUNC;
  }
  if (a->in_claim && end_claim(a) != 0)
    return a->err.code;
  if (close_st(a, NULL, "input ended") || close_gs(a, NULL, "input ended") ||
      close_isa(a, NULL, "input ended"))
    return a->err.code;
  return C837_OK;
}
