/* envelope.c -- the assembler's envelope levels: ISA > GS > ST
 *
 * An interchange (ISA .. IEA) holds functional groups (GS .. GE), which
 * hold transaction sets (ST .. SE).  Each level is open or not; a header
 * closes its own level and every level inside it first, a trailer the
 * levels inside its own, and each level closed that way is *_MISSING.
 * The levels are not always nested in the input (a GS after an IEA is
 * GS_OUTSIDE_ISA and opens a group all the same), so each keeps its own
 * open flag (for ST: the assembler's state, see assembler_int.h).
 *
 * The three trailers are checked by one routine driven by the table
 * below: the count (IEA01 groups, GE01 transaction sets, SE01 segments
 * ST..SE), the control number against the header's (ISA13, GS06, ST02),
 * or *_OUTSIDE_* when nothing is open to close.  The headers are checked
 * as they come: the ISA's 16 elements and fixed width (106 bytes), ISA09
 * and GS04 dates, ISA13 as a number (9 digits), GS06 as a number (1 to 9
 * digits), ST02 as a string (4 to 9 characters), GS outside an
 * interchange, ST outside a group.
 */
#include "parse/assembler_int.h"
#include "base/map.h"
#include "base/limits.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What a level's header and trailer check, and the words of their
 * problems. */
typedef struct level_rule {
  const char *header;   /* "ISA" */
  const char *trailer;  /* "IEA" */
  const char *control;  /* "ISA13": the header's control number ... */
  size_t control_at;    /* ... kept at this offset of c837_envelope */
  const char *name;     /* "interchange": "... has no IEA trailer" */
  const char *member;   /* "interchange": "IEA01=2 but interchange ..." */
  const char *counted;  /* "groups": "... has 1 groups" */
  int numeric;          /* control numbers compare as numbers */
  c837_role role;       /* of the trailer */
  c837_problem_id missing, outside, count, mismatch;
  c837_problem_id stray; /* a header outside the level around it ... */
  const char *within;    /* ... "a functional group" (ISA: none) */
  const char *began;     /* why a header closes levels: "a new GS began" */
  const char *first;     /* why a trailer closes levels: "GE came first" */
  size_t control_el;     /* the header's control number: element 13 ... */
  c837_problem_id duplicate; /* ... used twice in `scope` */
  const char *scope;     /* "input", "interchange", "group" */
} level_rule;

static const level_rule RULES[LV_COUNT] = {
    [LV_ISA] = {.header = "ISA", .trailer = "IEA", .control = "ISA13",
                .control_at = offsetof(c837_envelope, isa13),
                .name = "interchange", .member = "interchange",
                .counted = "groups", .numeric = 1, .role = C837_ROLE_IEA,
                .missing = C837_PROB_IEA_MISSING,
                .outside = C837_PROB_IEA_OUTSIDE_ISA,
                .count = C837_PROB_IEA01_COUNT,
                .mismatch = C837_PROB_IEA02_CONTROL,
                .stray = C837_PROB_COUNT, .within = NULL,
                .began = "a new ISA began", .first = "IEA came first",
                .control_el = 13, .duplicate = C837_PROB_ISA13_DUPLICATE,
                .scope = "input"},
    [LV_GS] = {.header = "GS", .trailer = "GE", .control = "GS06",
               .control_at = offsetof(c837_envelope, gs06),
               .name = "functional group", .member = "group",
               .counted = "transaction sets", .numeric = 1,
               .role = C837_ROLE_GE, .missing = C837_PROB_GE_MISSING,
               .outside = C837_PROB_GE_OUTSIDE_GS,
               .count = C837_PROB_GE01_COUNT,
               .mismatch = C837_PROB_GE02_CONTROL,
               .stray = C837_PROB_GS_OUTSIDE_ISA, .within = "an interchange",
               .began = "a new GS began", .first = "GE came first",
               .control_el = 6, .duplicate = C837_PROB_GS06_DUPLICATE,
               .scope = "interchange"},
    [LV_ST] = {.header = "ST", .trailer = "SE", .control = "ST02",
               .control_at = offsetof(c837_envelope, st02),
               .name = "transaction set", .member = "transaction set",
               .counted = "segments from ST to SE", .numeric = 0,
               .role = C837_ROLE_SE, .missing = C837_PROB_SE_MISSING,
               .outside = C837_PROB_SE_OUTSIDE_ST,
               .count = C837_PROB_SE01_COUNT,
               .mismatch = C837_PROB_SE02_CONTROL,
               .stray = C837_PROB_ST_OUTSIDE_GS,
               .within = "a functional group", .began = "a new ST began",
               .first = NULL /* nothing inside a transaction set */,
               .control_el = 2, .duplicate = C837_PROB_ST02_DUPLICATE,
               .scope = "group"},
};

/* The header's control number of level L, as stored. */
static const char *control_of(const c837_assembler *a, enum level L)
{
  return (const char *)&a->env + RULES[L].control_at;
}

static int is_open(const c837_assembler *a, enum level L)
{
  return L == LV_ST ? a->state != AS_OUTSIDE : a->open[L];
}

static void set_closed(c837_assembler *a, enum level L)
{
  if (L == LV_ST)
    a->state = AS_OUTSIDE;
  else
    a->open[L] = 0;
}

/* Opens level L (for ST the caller sets the state) and counts it in the
 * level around it and in the totals. */
static void open_level(c837_assembler *a, enum level L)
{
  if (L != LV_ST)
    a->open[L] = 1;
  a->count[L] = L == LV_ST ? 1 : 0; /* ST is one of its segments */
  if (L != LV_ISA)
    a->count[L - 1]++;
  if (L == LV_ISA)
    a->counts.interchanges++;
  else if (L == LV_GS)
    a->counts.groups++;
  else
    a->counts.transactions++;
}

/* v without blanks at either end, as a number of at most 18 digits: 0
 * and *out, or -1. */
static int span_to_u64(c837_span v, uint64_t *out)
{
  return c837_span_digits(trimmed(v), 18, out);
}

/* ---- control numbers used twice ------------------------------------ */

/* A numeric control number and the segment of its first use, each
 * plus one (0: an empty slot). */
struct ctl_slot {
  uint32_t key1, seg1;
};

void c837_asm_envelope_free(c837_assembler *a)
{
  int L;
  for (L = 0; L < LV_COUNT; L++) {
    c837_map_free(&a->seen[L]);
    free(a->seen_seg[L]);
    a->seen_seg[L] = NULL;
    a->seen_cap[L] = 0;
    free(a->num[L]);
    a->num[L] = NULL;
    a->num_cap[L] = a->num_n[L] = 0;
  }
}

/* Forgets the control numbers of level L: a new scope begins (GS06 per
 * interchange, ST02 per group). */
static void forget_controls(c837_assembler *a, enum level L)
{
  c837_map_clear(&a->seen[L]);
  if (a->num_cap[L] > 4096) { /* a large scope before: not cleared scope
                                 after scope, made again as needed */
    free(a->num[L]);
    a->num[L] = NULL;
    a->num_cap[L] = 0;
  } else if (a->num_n[L]) {
    memset(a->num[L], 0, a->num_cap[L] * sizeof *a->num[L]);
  }
  a->num_n[L] = 0;
}

/* The slot of key1 in the numeric table of level L (cap > 0, a power of
 * two): where it is, or the empty slot where it goes. */
static struct ctl_slot *num_find(c837_assembler *a, enum level L,
                                 uint32_t key1)
{
  size_t mask = a->num_cap[L] - 1;
  size_t i = (size_t)((key1 * UINT64_C(0x9E3779B97F4A7C15)) >> 32) & mask;
  while (a->num[L][i].key1 && a->num[L][i].key1 != key1)
    i = (i + 1) & mask;
  return &a->num[L][i];
}

/* Room for one more number in the table of level L (rehashed when 3/4
 * full).  0 or -1 (out of memory). */
static int num_room(c837_assembler *a, enum level L)
{
  struct ctl_slot *old = a->num[L];
  size_t cap = a->num_cap[L], i;
  if ((a->num_n[L] + 1) * 4 <= cap * 3)
    return 0;
  a->num[L] = calloc(cap ? cap * 2 : 64, sizeof *old);
  if (!a->num[L]) {
    a->num[L] = old;
    return -1;
  }
  a->num_cap[L] = cap ? cap * 2 : 64;
  for (i = 0; i < cap; i++)
    if (old[i].key1)
      *num_find(a, L, old[i].key1) = old[i];
  free(old);
  return 0;
}

/* The numeric control number n (below 2^32 - 1) of segment s at level L:
 * 1 and *first (the segment of its first use) when it was used before,
 * 0 when it was not and is now remembered (s->number below 2^32 - 1),
 * 2 when it was not and is to be kept in the map instead, -1 when out of
 * memory. */
static int num_check(c837_assembler *a, const c837_segment *s, enum level L,
                     uint64_t n, uint64_t *first)
{
  struct ctl_slot *slot;
  if (a->num_cap[L]) {
    slot = num_find(a, L, (uint32_t)n + 1);
    if (slot->key1) {
      *first = (uint64_t)slot->seg1 - 1;
      return 1;
    }
  }
  if (s->number >= UINT32_MAX)
    return 2;
  if (num_room(a, L) != 0)
    return -1;
  slot = num_find(a, L, (uint32_t)n + 1);
  slot->key1 = (uint32_t)n + 1;
  slot->seg1 = (uint32_t)s->number + 1;
  a->num_n[L]++;
  return 0;
}

/* *_DUPLICATE when the control number of header s (level L) was used
 * before in its scope, then remembers it.  Control numbers are keyed as
 * they compare (same_control): ISA13 and GS06 as numbers when they are
 * (000000905 = 905), ST02 as trimmed text.  Past C837_MAX_CONTROL_SEEN
 * in one scope the check stops there (bounded memory).  0 or -1. */
static int check_duplicate(c837_assembler *a, const c837_segment *s,
                           enum level L)
{
  const level_rule *r = &RULES[L];
  c837_span v = trimmed(c837_el(s, r->control_el));
  char key[1 + sizeof(uint64_t)], ex[68];
  const char *k = v.p;
  size_t klen = v.len, id;
  uint64_t n, first = 0;
  int added, num = 2;
  if (v.len == 0 ||
      c837_map_count(&a->seen[L]) + a->num_n[L] >= C837_MAX_CONTROL_SEEN)
    return 0;
  if (r->numeric && span_to_u64(v, &n) == 0) {
    /* a number: its value (the text of a key never starts with 0x01);
     * below 2^32 - 1 (every ISA13 and GS06 of 9 digits) in the compact
     * table first */
    if (n < UINT32_MAX && (num = num_check(a, s, L, n, &first)) < 0)
      return c837_asm_fail(a, C837_ENOMEM, s,
                           "out of memory while checking control numbers");
    key[0] = '\x01';
    memcpy(key + 1, &n, sizeof n);
    k = key;
    klen = sizeof key;
  }
  if (num == 0)
    return 0;
  if (num == 2) {
    added = c837_map_intern(&a->seen[L], k, klen, &id);
    if (added == 1 &&
        c837_vec_reserve(&a->seen_seg[L], &a->seen_cap[L], id + 1,
                         sizeof *a->seen_seg[L], 16, 0) == 0) {
      a->seen_seg[L][id] = s->number;
      return 0;
    }
    if (added != 0)
      return c837_asm_fail(a, C837_ENOMEM, s,
                           "out of memory while checking control numbers");
    first = a->seen_seg[L][id];
  }
  c837_excerpt(ex, sizeof ex, v.p, v.len < 16 ? v.len : 16);
  return c837_asm_problem(a, s, r->duplicate,
                          "%s=%s was already used by the %s at segment %llu "
                          "of this %s: each %s needs its own control number",
                          r->control, ex, r->name, (unsigned long long)first,
                          r->scope, r->name);
}

/* 1 when the trailer's control number a is the header's b, as stored:
 * b is a copy cut to the envelope's field size, so a is cut the same way
 * before the comparison (an over-long control number in both is not a
 * mismatch).  With `numeric`, control numbers compare as numbers when
 * both are numeric (ISA13 000000905 and IEA02 905 agree), as text
 * otherwise. */
static int same_control(c837_span a, const char *b, int numeric)
{
  char t[sizeof ((c837_envelope *)0)->st02];
  uint64_t x, y;
  if (numeric && span_to_u64(a, &x) == 0 &&
      span_to_u64((c837_span){b, strlen(b)}, &y) == 0)
    return x == y;
  c837_span_copy(t, sizeof t, trimmed(a));
  return strcmp(t, b) == 0;
}

int c837_asm_close_levels(c837_assembler *a, const c837_segment *s,
                          enum level outer, const char *why)
{
  int L;
  for (L = LV_ST; L >= (int)outer; L--) {
    const level_rule *r = &RULES[L];
    char ctl[68];
    if (!is_open(a, (enum level)L))
      continue;
    set_closed(a, (enum level)L);
    str_text(ctl, sizeof ctl, control_of(a, (enum level)L));
    if (c837_asm_problem(a, s, r->missing, "%s %s=%s has no %s trailer (%s)",
                         r->name, r->control, ctl, r->trailer, why))
      return -1;
  }
  return 0;
}

/* The header of level L (ISA, GS, ST): closes L and the levels inside
 * it, then reports a header outside the level that should hold it.  0
 * or -1. */
static int begin_level(c837_assembler *a, const c837_segment *s,
                       enum level L)
{
  const level_rule *r = &RULES[L];
  if (c837_asm_close_levels(a, s, L, r->began))
    return -1;
  if (L != LV_ISA && !is_open(a, (enum level)(L - 1)) &&
      c837_asm_problem(a, s, r->stray, "%s segment outside %s", r->header,
                       r->within))
    return -1;
  return 0;
}

int c837_asm_on_trailer(c837_assembler *a, const c837_segment *s,
                        enum level L)
{
  const level_rule *r = &RULES[L];
  char v[40], ctl[68];
  uint64_t n;
  str_text(ctl, sizeof ctl, control_of(a, L));
  if (L != LV_ST &&
      c837_asm_close_levels(a, s, (enum level)(L + 1), r->first))
    return -1;
  if (!is_open(a, L)) {
    if (c837_asm_problem(a, s, r->outside, "%s segment without an open %s",
                         r->trailer, r->header))
      return -1;
    return c837_asm_emit(a, s, r->role);
  }
  if (L == LV_ST)
    a->count[L]++; /* SE is one of the segments SE01 counts */
  if (span_to_u64(c837_el(s, 1), &n) != 0 || n != a->count[L]) {
    span_text(v, sizeof v, c837_el(s, 1));
    if (c837_asm_problem(a, s, r->count, "%s01=%s but %s %s=%s has %llu %s",
                         r->trailer, v, r->member, r->control, ctl,
                         (unsigned long long)a->count[L], r->counted))
      return -1;
  }
  if (!same_control(c837_el(s, 2), control_of(a, L), r->numeric)) {
    span_text(v, sizeof v, c837_el(s, 2));
    if (c837_asm_problem(a, s, r->mismatch, "%s02=%s does not match %s=%s",
                         r->trailer, v, r->control, ctl))
      return -1;
  }
  set_closed(a, L);
  return c837_asm_emit(a, s, r->role);
}

/* Widths of ISA01 .. ISA16, fixed by the standard (106 bytes in all with
 * the tag, the separators and the terminator). */
static const unsigned char ISA_WIDTH[16] = {2, 10, 2, 10, 2, 15, 2, 15,
                                            6, 4,  1, 5, 9,  1, 1, 1};

/* ISA_LENGTH (an ISA that is not 106 bytes, naming the first field of
 * the wrong width) and ISA09_DATE (YYMMDD, read as 20YY). */
static int check_isa(c837_assembler *a, const c837_segment *s)
{
  c837_span d = c837_el(s, 9);
  char d8[8], v[40];
  int32_t ymd;
  if (s->body_len + 1 != 106) {
    size_t i = 0;
    int r;
    while (i < s->n_el && i < 16 && s->el[i].len == ISA_WIDTH[i])
      i++;
    if (i < s->n_el && i < 16)
      r = c837_asm_problem(a, s, C837_PROB_ISA_LENGTH,
                           "ISA is %zu bytes, not 106 (fixed-width fields): "
                           "ISA%02zu has %zu characters, not %u",
                           s->body_len + 1, i + 1, s->el[i].len,
                           (unsigned)ISA_WIDTH[i]);
    else /* every field right: elements missing (ISA_ELEMENTS said so) */
      r = c837_asm_problem(a, s, C837_PROB_ISA_LENGTH,
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
    if (c837_asm_problem(a, s, C837_PROB_ISA09_DATE,
                         "ISA09=%s is not a valid YYMMDD date", v))
      return -1;
  }
  return 0;
}

/* A control number's bytes as they came, quoted for a message: the
 * value whole between quotes, its first 16 bytes when longer (other
 * bytes as \xNN), into ex (68 bytes); the words after the quote into
 * *cut. */
static void control_text(char ex[68], const char **cut, c837_span v)
{
  c837_excerpt(ex, 68, v.p, v.len < 16 ? v.len : 16);
  *cut = v.len > 16 ? " (first 16 bytes)" : "";
}

/* The problem `id` unless element el of s (named `name`) is min to 9
 * digits, on the element's bytes as they came: "NAME='value' is not
 * WHAT, with no sign, blank or other character" (the value quoted and
 * cut by control_text).  0, or -1 when the problem callback stopped. */
static int check_number(c837_assembler *a, const c837_segment *s, size_t el,
                        size_t min, c837_problem_id id, const char *name,
                        const char *what)
{
  c837_span v = c837_el(s, el);
  uint64_t n;
  char ex[68];
  const char *cut;
  if (v.len >= min && c837_span_digits(v, 9, &n) == 0)
    return 0;
  control_text(ex, &cut, v);
  return c837_asm_problem(a, s, id,
                          "%s='%s'%s is not %s, with no sign, blank or "
                          "other character",
                          name, ex, cut, what);
}

/* ISA13_INVALID: ISA13 (X12 data element I12, type N0, exactly 9
 * characters) is not 9 digits, on the element's bytes as they came (a
 * blank, a sign, a letter, a NUL, 8 or 10 digits; with ISA_LENGTH too
 * when the width is wrong, as ISA09_DATE). */
static int check_isa13(c837_assembler *a, const c837_segment *s)
{
  return check_number(a, s, 13, 9, C837_PROB_ISA13_INVALID, "ISA13",
                      "an interchange control number: 9 digits");
}

int c837_asm_on_isa(c837_assembler *a, const c837_segment *s)
{
  if (begin_level(a, s, LV_ISA))
    return -1;
  memset(&a->env, 0, sizeof a->env);
  a->env.delims = s->delims;
  copy_el(a->env.isa06, sizeof a->env.isa06, s, 6);
  copy_el(a->env.isa13, sizeof a->env.isa13, s, 13);
  a->env.isa_hash = c837_hash(s->raw + s->lead, s->body_len) | 1u;
  open_level(a, LV_ISA);
  forget_controls(a, LV_GS);
  forget_controls(a, LV_ST);
  if (check_duplicate(a, s, LV_ISA) != 0)
    return -1;
  if (s->n_el != 16 &&
      c837_asm_problem(a, s, C837_PROB_ISA_ELEMENTS,
                       "ISA has %lu elements; an ISA has 16",
                       (unsigned long)s->n_el))
    return -1;
  if (check_isa(a, s) != 0 || check_isa13(a, s) != 0)
    return -1;
  return c837_asm_emit(a, s, C837_ROLE_ISA);
}

/* GS06_INVALID: GS06 (X12 data element 28, type N0, 1 to 9 characters)
 * is not 1 to 9 digits, on the element's bytes as they came: empty, 10
 * digits or more, a sign, a blank, a letter, a NUL.  The value is quoted
 * whole in the message (blanks included; other bytes as \xNN). */
static int check_gs06(c837_assembler *a, const c837_segment *s)
{
  return check_number(a, s, 6, 1, C837_PROB_GS06_INVALID, "GS06",
                      "a group control number: 1 to 9 digits");
}

/* ST02_INVALID: ST02 (X12 data element 329, type AN, 4 to 9 characters)
 * is not a string X12 allows there, on the element's bytes as they came
 * (c837_x12_string_ok: blanks count as X12 counts them, trailing ones
 * only towards the minimum): fewer than 4 or more than 9 characters,
 * empty or all blanks, a control character (a NUL ...), the component
 * or repetition separator.  Letters and
 * other characters of X12's sets are allowed. */
static int check_st02(c837_assembler *a, const c837_segment *s)
{
  c837_span v = c837_el(s, 2);
  char ex[68];
  const char *cut;
  if (c837_x12_string_ok(v.p, v.len, 4, 9, &s->delims))
    return 0;
  control_text(ex, &cut, v);
  return c837_asm_problem(a, s, C837_PROB_ST02_INVALID,
                          "ST02='%s'%s is not a transaction set control "
                          "number: 4 to 9 characters, not all blanks, with "
                          "no control character or delimiter",
                          ex, cut);
}

int c837_asm_on_gs(c837_assembler *a, const c837_segment *s)
{
  int32_t ymd;
  char v[40];
  if (begin_level(a, s, LV_GS))
    return -1;
  if (c837_parse_date(c837_el(s, 4), &ymd) != 0) {
    span_text(v, sizeof v, c837_el(s, 4));
    if (c837_asm_problem(a, s, C837_PROB_GS04_DATE,
                         "GS04=%s is not a valid CCYYMMDD date", v))
      return -1;
  }
  if (check_gs06(a, s) != 0)
    return -1;
  copy_el(a->env.gs06, sizeof a->env.gs06, s, 6);
  copy_el(a->env.gs08, sizeof a->env.gs08, s, 8);
  open_level(a, LV_GS);
  forget_controls(a, LV_ST);
  if (check_duplicate(a, s, LV_GS) != 0)
    return -1;
  return c837_asm_emit(a, s, C837_ROLE_GS);
}

/* The kind an implementation guide id names (GS08 or ST03: "X222" is
 * 837P ...), and its version into *version when it says (00501, 00401). */
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

int c837_asm_on_st(c837_assembler *a, const c837_segment *s)
{
  int version = 0, is_837;
  c837_envelope *e = &a->env;
  if (begin_level(a, s, LV_ST) || check_st02(a, s) != 0)
    return -1;
  copy_el(e->st01, sizeof e->st01, s, 1);
  copy_el(e->st02, sizeof e->st02, s, 2);
  copy_el(e->st03, sizeof e->st03, s, 3);
  e->declared = kind_of_version(e->st03[0] ? e->st03 : e->gs08, &version);
  if (e->declared == C837_KIND_UNKNOWN)
    e->declared = kind_of_version(e->gs08, &version);
  else if (!version)
    (void)kind_of_version(e->gs08, &version);
  e->version = version;
  /* compared on the element's bytes, not on the copy (a NUL in the
   * element would end the copy early: "278<NUL>x" is no 278) */
  is_837 = el_is(s, 1, "837");
  a->st_278 = el_is(s, 1, "278");
  if (!is_837)
    e->declared = C837_KIND_OTHER;
  open_level(a, LV_ST);
  if (check_duplicate(a, s, LV_ST) != 0)
    return -1;
  a->st_claims = 0;
  a->state = is_837 ? AS_HEADER : AS_FOREIGN;
  c837_asm_reset_hierarchy(a);
  return c837_asm_emit(a, s, C837_ROLE_ST);
}
