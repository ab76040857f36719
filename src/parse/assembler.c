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
 *                  HL03 22: 2000B subscriber; SBR (SBR01, SBR09), NM1*IL
 *                           = 2010BA (+DMG), NM1*PR = 2010BB payer
 *                  HL03 23: 2000C patient; PAT, NM1*QC = 2010CA (+DMG)
 *   claim        CLM  claim-segment*  line*       (ends at HL, CLM, SE)
 *   line         LX  SV1|SV2|SV3  line-segment*  (ends at LX or claim end)
 *
 * Inside a claim, SBR, NM1*IL / NM1*PR belong to other payers (2320/2330)
 * and are not the claim's filing indicator, subscriber or payer; a DTP
 * after SVD belongs to the 2430 adjudication loop and is not the line's
 * date of service.  Those segments are kept as raw bytes but not read
 * into the model.
 *
 * Where the assembler is in that grammar is one state (enum asm_state,
 * each state explained in assembler_int.h); the envelope levels around
 * it are envelope.c's, the claim being built claim.c's.  Dispatch is a
 * switch on the segment's tag, classified once (tag_of): the envelope's
 * headers and trailers go to envelope.c, HL and CLM move the state, and
 * every other segment goes where the state says.
 *
 * Envelope checks: ISA13/IEA02, IEA01 = groups, GS06/GE02, GE01 =
 * transactions, ST02/SE02, SE01 = segments ST..SE, and trailers missing or
 * out of place; the ISA's fixed width (106 bytes), ISA09 and GS04 dates,
 * claim and line dates; on every segment, a NUL byte (binary data) and a
 * tag that is not a segment id (a separator changed mid-file).  Each is
 * reported as a c837_problem (C837_PROBLEM_MAP) with the offset and
 * ordinal of the segment at fault; assembling goes on.
 *
 * Memory: one claim's raw bytes (arena), its segment records and lines,
 * reused from claim to claim and capped by the claim limits.
 */
#include "parse/assembler_int.h"
#include "base/err.h"
#include "base/limits.h"
#include "base/util.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TAG3(a, b, c) (((unsigned)(a) << 16) | ((unsigned)(b) << 8) | (c))

c837_assembler *c837_assembler_new(const c837_handler *h)
{
  c837_assembler *a = calloc(1, sizeof *a);
  if (!a)
    return NULL;
  a->h = *h;
  a->state = AS_OUTSIDE;
  a->arena.limit = C837_MAX_CLAIM_BYTES;
  return a;
}

void c837_assembler_free(c837_assembler *a)
{
  if (!a)
    return;
  c837_asm_claim_free(a);
  c837_asm_envelope_free(a);
  free(a);
}

const c837_error *c837_assembler_error(const c837_assembler *a)
{
  return &a->err;
}

void c837_assembler_pending(const c837_assembler *a, const char **p,
                            size_t *len)
{
  *p = a->arena.p;
  *len = in_claim(a) ? a->arena.len : 0;
}

const c837_counts *c837_assembler_counts(const c837_assembler *a)
{
  return &a->counts;
}

/* ---- problems, errors, segments handed out -------------------------- */

int c837_asm_fail(c837_assembler *a, c837_status code, const c837_segment *s,
                  const char *msg)
{
  c837_error_first(&a->err, code, s ? s->offset : 0, s ? s->number : 0, "%s",
                   msg);
  return -1;
}

int c837_asm_problem(c837_assembler *a, const c837_segment *s,
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
    return c837_asm_fail(a, C837_ECALLBACK, s,
                         "a problem callback asked to stop");
  return 0;
}

int c837_asm_emit(c837_assembler *a, const c837_segment *s, c837_role role)
{
  if (a->h.segment && a->h.segment(a->h.ud, s, role, &a->env) != 0)
    return c837_asm_fail(a, C837_ECALLBACK, s,
                         "a segment callback asked to stop");
  return 0;
}

/* ---- hierarchy context ---------------------------------------------- */

static void reset_party(c837_party *p)
{
  memset(p, 0, sizeof *p);
}

/* Forgets the subscriber level: its SBR, subscriber, payer, patient. */
static void reset_subscriber(c837_assembler *a)
{
  reset_party(&a->subscriber);
  reset_party(&a->payer);
  reset_party(&a->patient);
  a->has_patient = 0;
  a->sbr01[0] = a->sbr09[0] = '\0';
}

void c837_asm_reset_hierarchy(c837_assembler *a)
{
  reset_party(&a->billing);
  reset_subscriber(a);
  a->last_party = NULL;
  a->hl_id[0] = '\0';
  c837_hlcheck_reset(&a->hl);
}

static void read_nm1(c837_party *p, const c837_segment *s)
{
  reset_party(p);
  copy_el(p->last, sizeof p->last, s, 3);
  copy_el(p->first, sizeof p->first, s, 4);
  copy_el(p->id, sizeof p->id, s, 9);
}

/* HL01_ORDER and HL02_PARENT for the HL s (the rule is hlcheck.h's,
 * the one the writer follows), then the HL taken in.  0 or -1. */
static int check_hl(c837_assembler *a, const c837_segment *s)
{
  c837_span id = c837_el(s, 1), par = c837_el(s, 2);
  const unsigned long long last = (unsigned long long)a->hl.last;
  unsigned bad = c837_hlcheck_take(&a->hl, id, par);
  char v[68], p[68];
  if (!bad)
    return 0;
  c837_excerpt(v, sizeof v, id.p, id.len);
  c837_excerpt(p, sizeof p, par.p, par.len);
  if ((bad & C837_HL_NOT_NUMBER) &&
      c837_asm_problem(a, s, C837_PROB_HL01_ORDER,
                       "HL01=%s is not a number (1 to %d digits): the HL "
                       "hierarchy cannot be rewritten",
                       v, C837_HL_ID_DIGITS))
    return -1;
  if ((bad & (C837_HL_BAD_ID | C837_HL_NOT_NUMBER)) == C837_HL_BAD_ID &&
      c837_asm_problem(a, s, C837_PROB_HL01_ORDER,
                       "HL01=%s is not above %llu, the highest HL01 before "
                       "it in the transaction set (a repeated or out of "
                       "order HL id): the HL hierarchy cannot be rewritten",
                       v, last))
    return -1;
  if (bad & C837_HL_BAD_PARENT)
    return c837_asm_problem(
        a, s, C837_PROB_HL02_PARENT,
        "HL*%s: HL02=%s names %s: the HL hierarchy cannot be rewritten", v,
        p,
        (bad & C837_HL_SELF)    ? "the HL itself"
        : (bad & C837_HL_LATER) ? "a later HL, not a loop open above it"
                                : "no HL loop open above it");
  return 0;
}

/* An HL: the loop it opens (HL03) forgets the parties at and below its
 * level, and sets the state. */
static void read_hl(c837_assembler *a, const c837_segment *s)
{
  c837_span lvl = trimmed(c837_el(s, 3));
  copy_el(a->hl_id, sizeof a->hl_id, s, 1);
  a->last_party = NULL;
  a->state = AS_LOOP;
  if (c837_span_lit(lvl, "20")) {
    reset_party(&a->billing);
    reset_subscriber(a);
  } else if (c837_span_lit(lvl, "22")) {
    a->state = AS_SUBSCRIBER;
    reset_subscriber(a);
  } else if (c837_span_lit(lvl, "23")) {
    reset_party(&a->patient);
    a->has_patient = 0;
  }
}

/* A segment of an HL loop before its claims (AS_LOOP, AS_SUBSCRIBER):
 * NM1 of a party of the hierarchy, DMG of the party just read, the
 * subscriber loop's SBR (payer responsibility, claim filing indicator). */
static void loop_segment(c837_assembler *a, const c837_segment *s)
{
  const int subscriber_loop = a->state == AS_SUBSCRIBER;
  if (a->tag == T_NM1) {
    c837_span q = trimmed(c837_el(s, 1));
    a->last_party = NULL;
    if (c837_span_lit(q, "85")) {
      read_nm1(&a->billing, s);
      a->last_party = &a->billing;
    } else if (c837_span_lit(q, "IL") && subscriber_loop) {
      read_nm1(&a->subscriber, s);
      a->last_party = &a->subscriber;
    } else if (c837_span_lit(q, "PR") && subscriber_loop) {
      read_nm1(&a->payer, s);
      a->last_party = &a->payer;
    } else if (c837_span_lit(q, "QC")) {
      read_nm1(&a->patient, s);
      a->has_patient = 1;
      a->last_party = &a->patient;
    }
  } else if (a->tag == T_DMG && a->last_party &&
             (a->last_party == &a->subscriber ||
              a->last_party == &a->patient)) {
    int32_t d;
    if (c837_span_lit(c837_el(s, 1), "D8") &&
        c837_parse_date(trimmed(c837_el(s, 2)), &d) == 0)
      a->last_party->dob = d;
    copy_el(a->last_party->gender, sizeof a->last_party->gender, s, 3);
  } else if (a->tag == T_SBR && subscriber_loop) {
    copy_el(a->sbr01, sizeof a->sbr01, s, 1);
    copy_el(a->sbr09, sizeof a->sbr09, s, 9);
  }
}

/* ---- dispatch ------------------------------------------------------- */

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
  case TAG3('S', 'B', 'R'): return T_SBR;
  case TAG3(0, 'H', 'I'): return T_HI;
  case TAG3('N', 'T', 'E'): return T_NTE;
  case TAG3('L', 'I', 'N'): return T_LIN;
  case TAG3('C', 'T', 'P'): return T_CTP;
  default: return T_OTHER;
  }
}

/* 1 when a segment with this tag ends the claim being built. */
static int ends_claim(enum tag t)
{
  switch (t) {
  case T_HL: case T_CLM: case T_SE: case T_ST:
  case T_GE: case T_GS: case T_IEA: case T_ISA:
    return 1;
  default:
    return 0;
  }
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

/* A segment of a claim that cannot be read (binary data, a tag that is
 * not one): it may be the claim's service line, a code or a date that
 * no edit would then see, so reading stops here (C837_ECLAIM; the claim
 * goes with the unparsed rest).  what says why.  Returns -1. */
static int claim_unreadable(c837_assembler *a, const c837_segment *s,
                            const char *what)
{
  char id[96], msg[512];
  str_text(id, sizeof id, a->claim.id);
  snprintf(msg, sizeof msg,
           "%s, inside claim '%s': a service line, code or date of the "
           "claim could be hidden in it, so the claim is not passed on",
           what, id);
  return c837_asm_fail(a, C837_ECLAIM, s, msg);
}

/* 1 when the body of s, past its leading blanks, tabs and line breaks,
 * is a CLM (then its element separator or its end): a claim hidden from
 * the tokenizer when one of those bytes is a delimiter (a garbled ISA
 * made it so), which a receiver that skips them between segments would
 * read. */
static int hidden_clm(const c837_segment *s)
{
  const char *b = s->raw + s->lead, *e = b + s->body_len;
  while (b < e && (*b == ' ' || *b == '\t' || *b == '\r' || *b == '\n'))
    b++;
  return e - b >= 3 && memcmp(b, "CLM", 3) == 0 &&
         (e - b == 3 || b[3] == s->delims.element);
}

/* SEGMENT_NUL_BYTE (binary data in the body, unless a delimiter is NUL)
 * or else SEGMENT_ID_INVALID (a tag that is not a segment id, as when the
 * element separator changed) for segment s, which has one or the other;
 * inside a claim either stops the reading (claim_unreadable). */
static int bad_bytes(c837_assembler *a, const c837_segment *s)
{
  const char *b = s->raw + s->lead;
  const char *z =
      (s->flags & C837_SEG_NUL) ? memchr(b, '\0', s->body_len) : NULL;
  char ex[68], sep[8], what[200];
  c837_problem_id id;
  if (z && s->delims.element && s->delims.component && s->delims.segment) {
    c837_excerpt(ex, sizeof ex, s->tag.p, s->tag.len < 8 ? s->tag.len : 8);
    snprintf(what, sizeof what,
             "segment '%s' has a NUL byte (0x00) at byte %llu: binary data, "
             "not X12 text",
             ex, (unsigned long long)(s->offset + s->lead + (uint64_t)(z - b)));
    id = C837_PROB_SEGMENT_NUL_BYTE;
  } else if (a->tag != T_OTHER || is_segment_id(s->tag)) {
    return 0; /* a NUL that is a delimiter */
  } else {
    c837_excerpt(ex, sizeof ex, b, s->body_len < 16 ? s->body_len : 16);
    c837_excerpt(sep, sizeof sep, &s->delims.element, 1);
    snprintf(what, sizeof what,
             "segment '%s' does not start with a segment id (2 or 3 letters "
             "or digits, then '%s')",
             ex, sep);
    id = C837_PROB_SEGMENT_ID_INVALID;
  }
  if (in_claim(a))
    return claim_unreadable(a, s, what);
  if (id == C837_PROB_SEGMENT_ID_INVALID && hidden_clm(s)) {
    char msg[512];
    snprintf(msg, sizeof msg,
             "%s: a CLM behind blanks or line breaks that are delimiters "
             "here; a receiver that skips them would read a claim this run "
             "cannot read, so nothing is passed on from it",
             what);
    return c837_asm_fail(a, C837_ECLAIM, s, msg);
  }
  return c837_asm_problem(a, s, id, "%s", what);
}

/* bad_bytes for a segment with a NUL byte or a tag that is not a
 * segment id.  Cheap on every segment: the tokenizer flags a body with
 * a NUL byte (C837_SEG_NUL), and a tag the switch of tag_of knew is a
 * valid id. */
static inline int check_bytes(c837_assembler *a, const c837_segment *s)
{
  if (!(s->flags & C837_SEG_NUL) &&
      (a->tag != T_OTHER || is_segment_id(s->tag)))
    return 0;
  return bad_bytes(a, s);
}

/* A segment out of its place: `problem` with the segment's tag in the
 * message, then passed on as C837_ROLE_OTHER. */
static int out_of_place(c837_assembler *a, const c837_segment *s,
                        c837_problem_id id, const char *fmt)
{
  char tag[68];
  c837_excerpt(tag, sizeof tag, s->tag.p, s->tag.len < 16 ? s->tag.len : 16);
  if (c837_asm_problem(a, s, id, fmt, tag))
    return -1;
  return c837_asm_emit(a, s, C837_ROLE_OTHER);
}

/* A claim or a service line where no claim can be read: a CLM outside
 * an 837 transaction set (its ST missing, garbled, or not 837), or an
 * SV1 / SV2 outside a claim (its CLM missing or garbled, or in a
 * transaction set that is neither an 837 nor a 278).  Passed on, it
 * would go out unchecked, so reading stops here with C837_ECLAIM: the
 * caller holds the file whole, or keeps the rest as the unparsed rest.
 * Returns -1. */
static int unreadable_claim(c837_assembler *a, const c837_segment *s)
{
  char msg[400], tag[68], id[68], st01[68];
  c837_span v = trimmed(c837_el(s, 1));
  c837_excerpt(tag, sizeof tag, s->tag.p, s->tag.len);
  c837_excerpt(id, sizeof id, v.p, v.len < 30 ? v.len : 30);
  str_text(st01, sizeof st01, a->env.st01);
  if (a->tag == T_CLM)
    snprintf(msg, sizeof msg,
             "claim '%s' (CLM) is not inside an 837 transaction set (%s%s%s): "
             "no edit could check it, so it is not passed on",
             id,
             a->state == AS_OUTSIDE ? "no ST open: the ST is missing or "
                                      "garbled"
                                    : "it is in transaction set ST01=",
             a->state == AS_OUTSIDE ? "" : st01,
             a->state == AS_OUTSIDE ? "" : ", not 837");
  else
    snprintf(msg, sizeof msg,
             "service line segment '%s' is not inside a claim (%s): no edit "
             "could check it, so it is not passed on",
             tag,
             a->state == AS_OUTSIDE ? "no ST open: the ST is missing or "
                                      "garbled"
             : a->state == AS_FOREIGN
                 ? "it is in a transaction set whose ST01 is neither 837 "
                   "nor 278: the ST is garbled, or the CLM is"
                 : "no CLM before it: the CLM is missing or garbled");
  return c837_asm_fail(a, C837_ECLAIM, s, msg);
}

/* A segment that is not an envelope header or trailer: where it goes is
 * up to the state (and HL and CLM move the state). */
static int transaction_segment(c837_assembler *a, const c837_segment *s)
{
  if (a->tag == T_CLM && (a->state == AS_OUTSIDE || a->state == AS_FOREIGN))
    return unreadable_claim(a, s);
  /* SV1 / SV2 outside a claim, in an 837 or in a transaction set that
   * is not one (its ST01 garbled) -- but a 278 (services review), whose
   * 2000F service level is made of SV1 / SV2 and is no claim */
  if ((a->tag == T_SV1 || a->tag == T_SV2) && !in_claim(a) &&
      !(a->state == AS_FOREIGN && a->st_278))
    return unreadable_claim(a, s);
  if (a->state == AS_OUTSIDE)
    return out_of_place(a, s, C837_PROB_SEGMENT_OUTSIDE_ST,
                        "segment '%s' outside a transaction set");
  a->count[LV_ST]++;
  if (a->state == AS_FOREIGN)
    return c837_asm_emit(a, s, C837_ROLE_OTHER);
  switch (a->tag) {
  case T_HL:
    if (check_hl(a, s) != 0)
      return -1;
    read_hl(a, s);
    return c837_asm_emit(a, s, C837_ROLE_HL);
  case T_CLM:
    if (a->state == AS_HEADER &&
        c837_asm_problem(a, s, C837_PROB_CLM_WITHOUT_HL,
                         "claim before any HL segment: no billing provider "
                         "or subscriber"))
      return -1;
    c837_asm_start_claim(a, s);
    a->st_claims++;
    return c837_asm_claim_segment(a, s);
  default:
    break;
  }
  if (in_claim(a))
    return c837_asm_claim_segment(a, s);
  if (a->state == AS_HEADER)
    return c837_asm_emit(a, s, C837_ROLE_HEADER);
  switch (a->tag) {
  case T_LX: case T_SV3: /* SV1, SV2: unreadable_claim */
    return out_of_place(a, s, C837_PROB_SEGMENT_OUT_OF_PLACE,
                        "service line segment '%s' outside a claim");
  default:
    loop_segment(a, s);
    return c837_asm_emit(a, s, C837_ROLE_LOOP);
  }
}

/* A segment with CR or LF inside it while the terminator is neither
 * (C837_SEG_LINEBREAK): a file folded at a fixed width, or damaged.  A
 * break inside a tag or a code hides it from every edit ("382" LF "25"
 * is not 38225), so nothing is read past it (C837_ECLAIM, before the
 * segment ends the claim being read: that claim goes with the rest).
 * Returns -1. */
static int line_break(c837_assembler *a, const c837_segment *s)
{
  const char *b = s->raw + s->lead;
  size_t k = 0;
  char ex[68], term[8], msg[400];
  while (k < s->body_len && b[k] != '\r' && b[k] != '\n')
    k++;
  c837_excerpt(ex, sizeof ex, b, s->body_len < 12 ? s->body_len : 12);
  c837_excerpt(term, sizeof term, &s->delims.segment, 1);
  snprintf(msg, sizeof msg,
           "segment '%s' has a line break (0x%02x) inside it, at byte %llu, "
           "and the segment terminator is '%s': the file looks folded at a "
           "fixed width (or damaged), and a break can hide a code or a "
           "segment from the edits; it is not read (remove the line breaks "
           "inside segments and run it again)",
           ex, k < s->body_len ? (unsigned)(unsigned char)b[k] : 0u,
           (unsigned long long)(s->offset + s->lead + k), term);
  return c837_asm_fail(a, C837_ECLAIM, s, msg);
}

int c837_assembler_segment(void *ud, const c837_segment *s)
{
  c837_assembler *a = ud;

  if (a->err.code != C837_OK)
    return -1;
  a->counts.segments++;
  a->end_offset = s->offset + s->raw_len;
  a->tag = tag_of(s->tag);
  if (s->flags & C837_SEG_LINEBREAK)
    return line_break(a, s);
  if ((s->flags & C837_SEG_UNTERMINATED) &&
      c837_asm_problem(a, s, C837_PROB_SEGMENT_UNTERMINATED,
                       "the last segment has no segment terminator (0x%02x)",
                       (unsigned)(unsigned char)s->delims.segment))
    return -1;
  if (in_claim(a) && ends_claim(a->tag) && c837_asm_end_claim(a) != 0)
    return -1;
  if (check_bytes(a, s) != 0)
    return -1;
  switch (a->tag) {
  case T_ISA:
    return c837_asm_on_isa(a, s);
  case T_GS:
    return c837_asm_on_gs(a, s);
  case T_ST:
    return c837_asm_on_st(a, s);
  case T_SE:
    return c837_asm_on_trailer(a, s, LV_ST);
  case T_GE:
    return c837_asm_on_trailer(a, s, LV_GS);
  case T_IEA:
    return c837_asm_on_trailer(a, s, LV_ISA);
  default:
    return transaction_segment(a, s);
  }
}

c837_status c837_assembler_finish(c837_assembler *a)
{
  if (a->err.code != C837_OK)
    return a->err.code;
  if (a->state != AS_OUTSIDE && a->state != AS_FOREIGN &&
      (in_claim(a) || a->st_claims)) {
    /* the input stops inside a transaction set that holds claims: the
     * last claim may be cut short, so the claim being read is not handed
     * out (c837_assembler_pending still has its bytes) */
    /* the count is the file's complete claims, those handed out: the
     * figure the run's summary gives for a file held whole */
    char st02[68];
    str_text(st02, sizeof st02, a->env.st02);
    return c837_error_set(&a->err, C837_ETRUNC, a->end_offset,
                          a->counts.segments,
                          "input ends inside transaction set ST02=%s after "
                          "%llu complete claim(s)%s, with no SE: the file is "
                          "truncated",
                          st02, (unsigned long long)a->counts.claims,
                          in_claim(a) ? " and inside the next one" : "");
  }
  if (in_claim(a) && c837_asm_end_claim(a) != 0)
    return a->err.code;
  if (c837_asm_close_levels(a, NULL, LV_ISA, "input ended"))
    return a->err.code;
  return C837_OK;
}
