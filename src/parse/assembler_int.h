/* assembler_int.h -- private: what the three files of the assembler share
 *
 * The assembler (c837_assembler in cart837.h) is one object in three
 * files, by concern:
 *   assembler.c  dispatch on the segment tag, the state, the HL hierarchy
 *                (the parties each claim copies), problems and errors;
 *   envelope.c   the ISA > GS > ST levels: open and close, counts,
 *                control numbers, the trailers' checks as one table;
 *   claim.c      the claim being built: its raw bytes, segment records
 *                and lines, read into the claim model (CLM, LX, SV1-3,
 *                DTP, REF) and handed out;
 *   claim_ctx.c  the claim's context in the model: HI code lists, notes
 *                (NTE), drug loops (LIN, CTP), and what is settled when
 *                the claim ends (place of service, the patient's DMG).
 * Not part of the public interface.
 */
#ifndef CART837_ASSEMBLER_INT_H
#define CART837_ASSEMBLER_INT_H

#include "cart837.h"
#include "base/buf.h"
#include "base/limits.h"
#include "base/map.h"
#include "base/util.h"
#include "parse/hlcheck.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* The segment tags the assembler acts on, classified once per segment
 * (assembler.c, tag_of) so that dispatch is a switch and not a string
 * comparison per rule. */
enum tag {
  T_OTHER, T_ISA, T_GS, T_ST, T_SE, T_GE, T_IEA, T_HL, T_CLM, T_LX,
  T_SV1, T_SV2, T_SV3, /* together: claim.c tests the range */
  T_SVD, T_DTP, T_REF, T_NM1, T_DMG,
  T_SBR, T_HI, T_NTE, T_LIN, T_CTP
};

/* Where the assembler is in a transaction set: the one variable that
 * says where the next segment goes (a->state).  A transaction set is
 * open exactly when the state is not AS_OUTSIDE.  The envelope levels
 * around it (ISA, GS) are kept by envelope.c.  In input order:
 *
 *   AS_OUTSIDE     no transaction set open: before the first ST, after
 *                  an SE, or after a header or trailer that closed one.
 *                  A segment here is SEGMENT_OUTSIDE_ST.
 *   AS_FOREIGN     in a transaction set that is not an 837 (ST01 is not
 *                  837): every segment is passed on as C837_ROLE_OTHER,
 *                  but a CLM, or an SV1 / SV2 outside a 278, stops the
 *                  reading (unreadable_claim in assembler.c).
 *   AS_HEADER      in an 837 between ST and its first HL: BHT, 1000A
 *                  submitter, 1000B receiver (C837_ROLE_HEADER).  A CLM
 *                  here is CLM_WITHOUT_HL.
 *   AS_LOOP        in an HL loop before its claims: 2000A billing
 *                  provider (HL03 20), 2000C patient (23), or an HL03 not
 *                  known.  NM1*85 is the billing provider, NM1*QC the
 *                  patient, a DMG after them their birth date.
 *   AS_SUBSCRIBER  in a 2000B subscriber loop (HL03 22) before its
 *                  claims: as AS_LOOP, and SBR is the claim filing
 *                  indicator's, NM1*IL / NM1*PR are the subscriber and
 *                  the payer.
 *   AS_CLAIM       in a claim (2300), before its first LX: DTP*472,
 *                  DTP*434 and DTP*435 are the claim's dates, REF*F8 its
 *                  original reference, REF*P4 its trial number, HI its
 *                  codes, NTE its notes.
 *   AS_COB         in a claim's other-payer loops (2320 from its SBR,
 *                  2330A-I), before the first LX: nothing is read (their
 *                  NM1*IL, NM1*PR, REF*F8 and DTP are another payer's).
 *   AS_LINE        in a service line (2400): SV1/SV2/SV3 is the line's
 *                  service, DTP*472 its date of service.
 *   AS_LINE_ADJ    in a service line past its SVD (2430, another payer's
 *                  adjudication): its DTPs are not the line's.
 *
 * Transitions: ST -> HEADER or FOREIGN; HL -> LOOP or SUBSCRIBER; CLM ->
 * CLAIM; SBR in CLAIM -> COB; LX -> LINE; SVD in a line -> LINE_ADJ;
 * HL, CLM, SE and any envelope segment end a claim (claim.c sets
 * AS_LOOP, and the segment moves the state on at once); SE, or a header
 * or trailer that closes the transaction set -> OUTSIDE.  The claim
 * states come last, so that in_claim() is one comparison. */
enum asm_state {
  AS_OUTSIDE,
  AS_FOREIGN,
  AS_HEADER,
  AS_LOOP,
  AS_SUBSCRIBER,
  AS_CLAIM,
  AS_COB,
  AS_LINE,
  AS_LINE_ADJ
};

/* The envelope levels, outermost first (envelope.c). */
enum level { LV_ISA, LV_GS, LV_ST, LV_COUNT };

/* A segment of the claim being built: offsets into the arena. */
typedef struct seg_rec {
  size_t raw_off, raw_len, lead, body_len;
  size_t tag_len;
  size_t el_first, n_el; /* into spans_off */
  uint64_t offset, number;
  c837_delims delims;
  unsigned flags; /* C837_SEG_* */
} seg_rec;

typedef struct span_off {
  size_t off, len;
} span_off;

struct c837_assembler {
  c837_handler h;
  c837_error err;      /* sticky, first error wins */
  c837_counts counts;
  c837_envelope env;
  enum tag tag;        /* tag of the segment being handled */
  uint64_t end_offset; /* input offset after the last segment seen */
  enum asm_state state;

  /* envelope levels (envelope.c) */
  int open[LV_ST];           /* ISA, GS open (ST: state != AS_OUTSIDE) */
  uint64_t count[LV_COUNT];  /* what each trailer counts: groups in the
                                ISA, sets in the GS, segments ST..SE */
  uint64_t st_claims;        /* claims begun in the open transaction */
  int st_278;                /* ST01 is exactly 278 (services review),
                                byte for byte: a NUL or other byte after
                                it makes it no 278 */
  /* control numbers used so far (duplicates: ISA13 in the file, GS06 in
   * the interchange, ST02 in the group), keyed as they compare; the
   * segment number of each first use, by map id */
  c837_map seen[LV_COUNT];
  uint64_t *seen_seg[LV_COUNT];
  size_t seen_cap[LV_COUNT];
  /* the numeric ones below 2^32 first used at a segment below 2^32 (all
   * of them in real files): 8 bytes a slot, open addressing, at most 3/4
   * full (envelope.c, num_find), instead of about 60 in seen */
  struct ctl_slot *num[LV_COUNT];
  size_t num_cap[LV_COUNT], num_n[LV_COUNT];

  /* hierarchy context (assembler.c) */
  c837_party billing, subscriber, payer, patient;
  int has_patient;
  c837_party *last_party; /* the party a DMG belongs to, or NULL */
  char hl_id[16];
  char sbr01[4], sbr09[4]; /* SBR of the 2000B subscriber loop */
  c837_hlcheck hl;        /* the open HL loops (HL01_ORDER, HL02_PARENT) */

  /* the claim being built (claim.c) */
  c837_claim claim;
  c837_buf arena; /* raw bytes of its segments (limit
                     C837_MAX_CLAIM_BYTES, set by c837_assembler_new) */
  seg_rec *recs;
  size_t n_recs, recs_cap;
  span_off *spans_off;
  size_t n_spans, spans_cap;
  c837_line *lines;
  size_t n_lines, lines_cap;
  /* the claim's context lists (claim_ctx.c), by C837_HI_MAP list */
  c837_hi_code hi[4][C837_MAX_CLAIM_HI_CODES];
  size_t n_hi[4];
  c837_note notes[C837_MAX_CLAIM_NOTES];
  size_t n_notes;
  unsigned over;      /* lists already reported over their limit (bits) */
  c837_drug *drugs;   /* line by line, in input order */
  size_t n_drugs, drugs_cap;
  int drug_open;      /* 1 while the last LIN stored may take a CTP */
  /* views built when the claim is handed out */
  c837_segment *views;
  size_t views_cap;
  c837_span *spans;
  size_t spans_view_cap;
};

/* 1 while a claim is being built. */
static inline int in_claim(const c837_assembler *a)
{
  return a->state >= AS_CLAIM;
}

/* v without blanks on either end (ISA fields are padded). */
static inline c837_span trimmed(c837_span v)
{
  while (v.len && v.p[0] == ' ') {
    v.p++;
    v.len--;
  }
  while (v.len && v.p[v.len - 1] == ' ')
    v.len--;
  return v;
}

/* Element i of s, trimmed, into dst (sz bytes, cut to fit). */
static inline void copy_el(char *dst, size_t sz, const c837_segment *s,
                           size_t i)
{
  c837_span_copy(dst, sz, trimmed(c837_el(s, i)));
}

/* 1 when element i of s, trimmed, is v. */
static inline int el_is(const c837_segment *s, size_t i, const char *v)
{
  return c837_span_lit(trimmed(c837_el(s, i)), v);
}

/* The text of v for a message: trimmed, escaped as every input value in
 * a message is (c837_excerpt: a byte that is not printable ASCII, and
 * the quote, as \xNN), cut to dst (sz bytes). */
static inline void span_text(char *dst, size_t sz, c837_span v)
{
  v = trimmed(v);
  c837_excerpt(dst, sz, v.p, v.len);
}

/* The same for a value already copied out of the input (a control
 * number, a claim id, LX01). */
static inline void str_text(char *dst, size_t sz, const char *s)
{
  c837_excerpt(dst, sz, s, strlen(s));
}

/* ---- assembler.c ---- */

/* Reports a problem at segment s (NULL: at the end of the input) to the
 * problem callback.  0, or -1 when the callback asked to stop (the
 * sticky error is then set). */
int c837_asm_problem(c837_assembler *a, const c837_segment *s,
                     c837_problem_id id, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Sets the sticky error (unless one is set) at segment s (NULL: no
 * position); returns -1. */
int c837_asm_fail(c837_assembler *a, c837_status code, const c837_segment *s,
                  const char *msg);
/* Hands a non-claim segment to the segment callback.  0 or -1. */
int c837_asm_emit(c837_assembler *a, const c837_segment *s, c837_role role);
/* Forgets the parties of the hierarchy (a new transaction set). */
void c837_asm_reset_hierarchy(c837_assembler *a);

/* ---- envelope.c ---- */

/* ISA, GS, ST: close what they close, check, open the level, emit.
 * 0 or -1 (sticky error set). */
int c837_asm_on_isa(c837_assembler *a, const c837_segment *s);
int c837_asm_on_gs(c837_assembler *a, const c837_segment *s);
int c837_asm_on_st(c837_assembler *a, const c837_segment *s);
/* IEA, GE, SE (the trailer of level L): closes the levels inside L,
 * checks the count and control number, closes L, emits.  0 or -1. */
int c837_asm_on_trailer(c837_assembler *a, const c837_segment *s,
                        enum level L);
/* Frees the control numbers remembered. */
void c837_asm_envelope_free(c837_assembler *a);
/* Closes every open level from the innermost out to `outer` (included),
 * each with its *_MISSING problem at s (NULL: the end of the input);
 * why says what closed it.  0 or -1. */
int c837_asm_close_levels(c837_assembler *a, const c837_segment *s,
                          enum level outer, const char *why);

/* ---- claim.c ---- */

/* Starts a claim at its CLM s (copying the hierarchy's parties); the
 * state becomes AS_CLAIM. */
void c837_asm_start_claim(c837_assembler *a, const c837_segment *s);
/* Stores one segment of the open claim (CLM included) and reads it into
 * the model.  0, or -1 on a claim limit (C837_ECLAIM, the segment not
 * stored), C837_ENOMEM, or a problem callback that stopped. */
int c837_asm_claim_segment(c837_assembler *a, const c837_segment *s);
/* Finishes the open claim and hands it to the claim callback; the state
 * becomes AS_LOOP.  0 or -1. */
int c837_asm_end_claim(c837_assembler *a);
/* Frees the claim's buffers. */
void c837_asm_claim_free(c837_assembler *a);

/* ---- claim_ctx.c ---- */

/* Empties the context lists for a new claim. */
void c837_ctx_start(c837_assembler *a);
/* HI (its codes into dx, px, cond, value) or NTE (a note) of the claim
 * level (AS_CLAIM).  0, or -1 when a problem callback stopped. */
int c837_ctx_claim_segment(c837_assembler *a, const c837_segment *s);
/* LIN (a drug loop of ln) or CTP (its quantity) of a line (AS_LINE),
 * stored as the claim's last record.  0, or -1 (C837_ENOMEM, or a
 * problem callback that stopped). */
int c837_ctx_line_segment(c837_assembler *a, c837_line *ln,
                          const c837_segment *s);
/* When the claim ends (its kind known): the lists into the claim, each
 * line's drugs, places of service, the patient's birth date and
 * gender. */
void c837_ctx_settle(c837_assembler *a);
/* Frees the context's buffers. */
void c837_ctx_free(c837_assembler *a);

#endif
