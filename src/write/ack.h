/* ack.h -- X12 acknowledgments of the 837 input: the 999 implementation
 * acknowledgment (005010X231A1) and the 277CA claim acknowledgment
 * (005010X214).  Private to the library (the run layer writes them to
 * OUT/ack/NAME.999 and OUT/ack/NAME.277); specs/acks.md describes what
 * is written, every code value with its source, and which choices are
 * ours.
 *
 * Three pieces, each usable alone:
 *
 *  - the 999 builder (ack999.c) is fed the input's envelopes as they are
 *    read -- begin_interchange / begin_group / begin_set, the errors
 *    found, end_set / end_group / end_interchange -- and writes one 999
 *    interchange per input interchange (a TA1 when the interchange itself
 *    has a fault, one 999 set per input group, one AK2 per input set).
 *    cart837's problem ids map to 999 and TA1 codes through ONE table
 *    (c837_ack999_problem);
 *  - the 277CA builder (ack277.c) is fed each input 837 set's header and
 *    its claims with their dispositions, and writes one 277CA interchange
 *    per input file, one 277CA set per input 837 set; edit ids map to
 *    claim status codes through one table;
 *  - the feed (ack_feed.c) turns what the assembler reports (segments
 *    with their roles, problems, claims with the engine's verdict) into
 *    those calls, so that the run layer plugs both builders into its
 *    c837_handler with three calls.
 *
 * Bytes out: every builder writes to a c837_sink given at creation
 * (c837_ack_buf_sink collects them in a c837_buf).  A 999 interchange is
 * written when its input interchange ends (its TA1, first in the
 * interchange, is known only then); a 277CA set when its input set ends
 * (its totals come before its claims).  Memory is one such unit: about 40
 * bytes per input set plus its errors (at most C837_ACK_MAX_SEGMENT_ERRORS
 * per set) for the 999, about 200 bytes per claim (at most
 * C837_ACK_MAX_SET_CLAIMS per 277CA set) for the 277CA.
 *
 * Determinism: control numbers come from a counter the caller owns
 * (--ack-control N), dates and times from the options or the input
 * (never the clock: a caller that wants the clock passes it as an
 * option), everything else from the input.  Errors stick: after the
 * first (C837_ENOMEM, C837_EIO from the sink, C837_EINVAL for a call out
 * of order or a malformed code), every call returns it and writes
 * nothing more.
 */
#ifndef CART837_ACK_H
#define CART837_ACK_H

#include "cart837.h"
#include "base/buf.h"

/* ------------------------------------------------------------------ */
/* Options and input fields, shared by both acknowledgments            */
/* ------------------------------------------------------------------ */

/* What the caller decides.  A struct set to {0} is valid: addresses,
 * dates and usage from the input, control numbers from the builder's own
 * counter starting at 1. */
typedef struct c837_ack_options {
  /* ISA05/ISA06 and GS02 of the acknowledgment (its sender).  NULL: the
   * input's receiver (ISA07/ISA08, GS03).  The qualifier defaults to ZZ
   * when only the id is given. */
  const char *sender_qual, *sender_id;
  /* ISA07/ISA08 and GS03 (its receiver).  NULL: the input's sender. */
  const char *receiver_qual, *receiver_id;
  /* The run's control-number counter (--ack-control N): each
   * acknowledgment interchange takes *control as its ISA13 (GS06 is the
   * same number) and advances it, 999999999 wrapping to 1; 0 counts as
   * 1.  Shared by every builder of a run so that no two interchanges of
   * a run share a number.  NULL: a counter of the builder's own, from 1.
   * Borrowed: must outlive the builder. */
  uint64_t *control;
  /* Date (CCYYMMDD) and time (HHMM) of the acknowledgment: ISA09/ISA10,
   * GS04/GS05, the 277CA's BHT04/BHT05, DTP*009 and STC02.  date 0: both
   * from the input (GS04/GS05 of its first group, else ISA09/ISA10, else
   * 2000-01-01 00:00), never from the clock. */
  int32_t date;
  int time;
  /* ISA15: 'P' or 'T'; anything else: as the input (P when the input's
   * is neither). */
  char usage;
} c837_ack_options;

/* The input ISA fields an acknowledgment needs, as sent (trimmed of the
 * padding blanks; cut to fit, which the validity checks then see). */
typedef struct c837_ack_isa {
  c837_delims delims; /* the acknowledgment is written with these */
  char eol[3];        /* CR / LF written after each terminator in the
                         input ("", "\n" or "\r\n"): the same after ours */
  char sender_qual[4], sender_id[16];     /* ISA05, ISA06 */
  char receiver_qual[4], receiver_id[16]; /* ISA07, ISA08 */
  char date[16], time[16];                /* ISA09 YYMMDD, ISA10 HHMM */
  char control[16];                       /* ISA13 */
  char ack_requested;                     /* ISA14 ('1': a TA1 is asked) */
  char usage;                             /* ISA15 */
} c837_ack_isa;

/* The input GS fields (cut to fit). */
typedef struct c837_ack_gs {
  char func[8];                 /* GS01 ("HC") */
  char sender[16], receiver[16]; /* GS02, GS03 */
  char date[16], time[16];      /* GS04 CCYYMMDD, GS05 HHMM[SS[dd]] */
  char control[16];             /* GS06 when it is 1 to 9 digits (blanks
                                   around it trimmed), else "": no group
                                   control number an acknowledgment may
                                   echo (specs/acks.md) */
  char version[16];             /* GS08 */
} c837_ack_gs;

/* The input ST fields (cut to fit). */
typedef struct c837_ack_st {
  char id[8];          /* ST01 ("837") */
  char control[16];    /* ST02 */
  char convention[40]; /* ST03 */
} c837_ack_st;

/* Fill the structs above from the tokenizer's segments (any segment
 * shape: missing elements are empty). */
void c837_ack_isa_read(const c837_segment *isa, c837_ack_isa *out);
void c837_ack_gs_read(const c837_segment *gs, c837_ack_gs *out);
void c837_ack_st_read(const c837_segment *st, c837_ack_st *out);

/* A c837_sink write function that appends to the c837_buf ud.  0, or -1
 * when the buffer cannot grow. */
int c837_ack_buf_sink(void *ud, const void *p, size_t n);

/* ------------------------------------------------------------------ */
/* 999 implementation acknowledgment (ack999.c)                        */
/* ------------------------------------------------------------------ */

typedef struct c837_ack999 c837_ack999;

/* One segment in error (loop 2100: IK3 and its CTX). */
typedef struct c837_ack_segerr {
  const char *segment_id; /* IK301: 2 or 3 upper-case letters or digits;
                             anything else is written as its leading such
                             characters, or "UNK" without any */
  uint64_t position;      /* IK302: position in the set, ST = 1 */
  const char *loop;       /* IK303 (e.g. "2400"); NULL, "" or longer
                             than its 4 characters ("2010BA"): none */
  const char *code;       /* IK304, code list 620 */
  const char *claim_id;   /* CTX*CLM01:<id> (first 35 characters); NULL
                             or "": no CTX */
} c837_ack_segerr;

/* One element in error of the last segment error (loop 2110: IK4). */
typedef struct c837_ack_elemerr {
  int element;        /* IK401-1, 1.. */
  int component;      /* IK401-2, 0: none */
  int reference;      /* IK402, data element reference number; 0: none */
  const char *code;   /* IK403, code list 621 */
  const char *value;  /* IK404, the bad value; NULL: none.  Left out when
                         it is longer than 99 bytes or holds a delimiter,
                         a control character or a byte over 0x7e */
} c837_ack_elemerr;

/* Where a problem was found, for c837_ack999_problem.  Zero / NULL
 * fields are unknown. */
typedef struct c837_ack_where {
  const char *segment_id; /* the segment's tag as read */
  uint64_t position;      /* in its set (ST = 1); 0: not in a set */
  const char *loop;       /* the segment's loop, for rules that name it */
  int element;            /* the element at fault: the ISA field of
                             ISA_LENGTH, the element with the NUL byte */
  const char *value;      /* the bad value (DATE_INVALID: DTP03) */
  const char *claim_id;   /* CLM01 of the claim the segment is in */
} c837_ack_where;

/* How the table acknowledges one problem id. */
typedef enum c837_ack_level {
  C837_ACK_NONE = 0, /* nothing to name it with: a finding only */
  C837_ACK_TA1,      /* TA105 of the interchange (code list I18) */
  C837_ACK_GROUP,    /* AK905-AK909 of the group (code list 716) */
  C837_ACK_SET,      /* IK502-IK506 of the set (code list 618) */
  C837_ACK_SEGMENT   /* IK3 (620), with an IK4 (621) when el_code */
} c837_ack_level;

/* Rule flags. */
#define C837_ACK_NOW 1u   /* a trailer was missing: applies to what is
                             open now, not to the segment it names */
#define C837_ACK_CLAIM 2u /* CTX*CLM01 of the claim the segment is in */

/* One row of the problem table (ack999.c).  Static storage. */
typedef struct c837_ack_rule {
  const char *problem;    /* cart837's problem id */
  int field;              /* ISA_LENGTH rows: the ISA field; 0 else */
  c837_ack_level level;
  const char *code;       /* TA105, AK905, IK502 or IK304 */
  const char *segment_id; /* IK301 when fixed ("LX"); NULL: the tag */
  const char *loop;       /* IK303: NULL none, "=" the where's, else it */
  int el_pos;             /* IK401: 0 no IK4, -1 the where's element */
  int el_ref;             /* IK402, 0 none */
  const char *el_code;    /* IK403 */
  int el_value;           /* 1: IK404 = the where's value */
  unsigned flags;         /* C837_ACK_NOW, C837_ACK_CLAIM */
} c837_ack_rule;

/* The rule for a problem id (field: the ISA field for ISA_LENGTH, else
 * 0), or NULL when the table has none.  A problem id with rows for
 * several fields and none for this one gets its field-0 row. */
const c837_ack_rule *c837_ack999_rule(const char *problem, int field);

typedef struct c837_ack999_stats {
  uint64_t interchanges;   /* 999 interchanges written */
  uint64_t ta1;            /* of which with a TA1 */
  uint64_t sets;           /* input sets acknowledged (AK2) */
  uint64_t sets_accepted;  /* IK501 A */
  uint64_t sets_errors;    /* IK501 E */
  uint64_t sets_rejected;  /* IK501 R */
  uint64_t segment_errors; /* IK3 written */
  uint64_t errors_dropped; /* IK3 over C837_ACK_MAX_SEGMENT_ERRORS */
  uint64_t unacknowledged; /* problems with no place: an unknown id, a
                              set outside a group, a TA1 whose ISA13,
                              ISA09 or ISA10 cannot be echoed */
} c837_ack999_stats;

/* Creates a builder writing to out (copied; its ud must outlive the
 * builder).  o is copied (NULL: all defaults; its control pointer is
 * borrowed).  NULL when out of memory. */
c837_ack999 *c837_ack999_new(const c837_ack_options *o, const c837_sink *out);

/* An input interchange begins.  One still open is ended first (as if its
 * IEA were missing; the caller reports IEA_MISSING itself).  Returns
 * C837_OK or the sticky error. */
c837_status c837_ack999_begin_interchange(c837_ack999 *a,
                                          const c837_ack_isa *isa);
/* An input group begins (one still open is ended without a GE).  A
 * group outside any interchange is not acknowledged (nothing names it):
 * its sets are counted in stats.unacknowledged and every call up to its
 * end is accepted and ignored.  C837_OK or the sticky error. */
c837_status c837_ack999_begin_group(c837_ack999 *a, const c837_ack_gs *gs);
/* An input set begins (one still open is ended as accepted so far).  An
 * ST02 used before in the group gives IK5 code 23.  A set outside a
 * group is not acknowledged (a TA1 024 names it, see the table).
 * C837_OK or the sticky error. */
c837_status c837_ack999_begin_set(c837_ack999 *a, const c837_ack_st *st);
/* A segment of the open set is in error: one IK3 (+ CTX), in the order
 * given (the caller gives them in segment order).  Beyond
 * C837_ACK_MAX_SEGMENT_ERRORS per set the IK3 is counted, not written.
 * The set's IK5 gets 5 (or I5 for an I code).  C837_EINVAL without an
 * open set or with an empty code; else C837_OK or the sticky error. */
c837_status c837_ack999_segment_error(c837_ack999 *a,
                                      const c837_ack_segerr *e);
/* An element of the last segment error is in error: one IK4 under it.
 * C837_EINVAL without a segment error in the open set. */
c837_status c837_ack999_element_error(c837_ack999 *a,
                                      const c837_ack_elemerr *e);
/* A code (618) for the open set's IK5, a code (716) for the open group's
 * AK9, a code (I18) for the open interchange's TA1.  Distinct codes are
 * kept (at most 5 for IK5 and AK9, written in code order; the first for
 * TA1).  Without the level open: counted in stats.unacknowledged.
 * C837_EINVAL for a code that is not 1-3 letters or digits. */
c837_status c837_ack999_set_code(c837_ack999 *a, const char *code);
c837_status c837_ack999_group_code(c837_ack999 *a, const char *code);
c837_status c837_ack999_interchange_code(c837_ack999 *a, const char *code);
/* Acknowledges a cart837 problem through the table: its codes go where
 * the table says (segment errors need an open set; one outside a set is
 * acknowledged as TA1 024).  Returns C837_OK (also for an id the table
 * does not know, counted in stats.unacknowledged) or the sticky error. */
c837_status c837_ack999_problem(c837_ack999 *a, const char *problem,
                                const c837_ack_where *w);
/* The open set ends: IK5 A without errors, E with errors, R when
 * rejected (nothing of it forwarded; a code must have been given, else
 * 5 is written).  C837_OK or the sticky error. */
c837_status c837_ack999_end_set(c837_ack999 *a, int rejected);
/* The open group ends.  ge01: GE01 as sent (AK902; 0 when not a number
 * of at most 6 digits), NULL when the group had no GE (AK902 = the sets
 * received).  AK902 != AK903 adds AK905 code 5.  C837_OK or the error. */
c837_status c837_ack999_end_group(c837_ack999 *a, const char *ge01);
/* The open interchange ends: its 999 interchange is written (ISA, the
 * TA1 when a code was given or the input asked for one, one GS with one
 * 999 set per input group, IEA), unless it would be empty.  C837_OK or
 * the sticky error (C837_EIO when the sink fails). */
c837_status c837_ack999_end_interchange(c837_ack999 *a);
/* The input could not be read past this point and its rest is kept
 * unparsed (stdin, a FIFO): the open set is rejected (IK5 R 2), the open
 * group gets AK905 3, the open interchange TA105 023 (why ==
 * C837_ETRUNC) or 024, TA104 R when none of its sets was accepted; all
 * are ended.  C837_OK or the sticky error. */
c837_status c837_ack999_cut(c837_ack999 *a, c837_status why);
/* The file is held whole (it could not be read to its end; nothing of
 * it is forwarded): writes to out, in order, for each input interchange
 * begun, a 999 interchange holding only a TA1 R (023 when why ==
 * C837_ETRUNC, else 024), each with a new control number.  Nothing for
 * an interchange whose ISA13, ISA09 or ISA10 cannot be echoed, nothing
 * at all when no interchange began (C837_ENOISA).  What the builder
 * wrote to its own sink is void: the caller discards it with the file's
 * other outputs (out may be that sink, emptied).  Afterwards only
 * finish and free may be called.  C837_OK or the sticky error. */
c837_status c837_ack999_reject_file(c837_ack999 *a, c837_status why,
                                    const c837_sink *out);
/* Ends what is still open (as end_* would) and fills *st and *err
 * (either may be NULL).  Returns C837_OK or the first error. */
c837_status c837_ack999_finish(c837_ack999 *a, c837_ack999_stats *st,
                               c837_error *err);
/* Frees a; NULL is a no-op.  Does not touch the sink. */
void c837_ack999_free(c837_ack999 *a);

/* ------------------------------------------------------------------ */
/* 277CA claim acknowledgment (ack277.c)                               */
/* ------------------------------------------------------------------ */

typedef struct c837_ack277 c837_ack277;

/* A party of the 277CA (an NM1), from the 837's. */
typedef struct c837_ack_party {
  char type;          /* NM102 '1' person, '2' non-person; 0: '1' when a
                         first name is given, else '2' */
  char last[61];      /* NM103: last or organisation name */
  char first[36];     /* NM104 */
  char middle[26];    /* NM105 */
  char id[81];        /* NM109 */
} c837_ack_party;

/* An input 837 set, as the 277CA echoes it. */
typedef struct c837_ack277_set {
  char isa13[16], gs06[16], st02[16]; /* input control numbers: 2200A
                                         TRN02 and BHT03 (a GS06 that is
                                         not 1 to 9 digits written 0) */
  char bht03[64];           /* 837 BHT03: 2200B TRN02 (required) */
  char received[16];        /* input GS04 CCYYMMDD: DTP*050 (an invalid
                               one: the acknowledgment date) */
  c837_ack_party submitter; /* 837 1000A NM1*41: 2100B */
  c837_ack_party receiver;  /* 837 1000B NM1*40: 2100A (empty: the
                               acknowledgment's sender id) */
} c837_ack277_set;

/* A finding that the 277CA may name: its edit, action and the LX01 of
 * its line (NULL or "" for a claim-level finding). */
typedef struct c837_ack_finding {
  c837_edit edit;
  c837_action action;
  const char *lx;
} c837_ack_finding;

/* One claim with what became of it.  Pointers are borrowed for the
 * call. */
typedef struct c837_ack_claim {
  const char *id;                 /* CLM01: 2200D TRN02 */
  int64_t charge;                 /* CLM02 in cents: STC04 */
  int32_t date_from, date_to;     /* service dates (DTP*472; 0: none) */
  const char *tob;                /* 837I type of bill: REF*BLT */
  const char *trace;              /* 837 REF*D9: REF*D9 */
  const c837_ack_party *provider; /* billing provider: 2100C NM1*85 */
  const c837_ack_party *patient;  /* patient names, subscriber member id:
                                     2100D NM1*QC */
  c837_disposition disposition;   /* HELD: rejected; else accepted */
  size_t n_findings;
  const c837_ack_finding *findings;
} c837_ack_claim;

typedef struct c837_ack277_stats {
  uint64_t sets;               /* 277CA sets written */
  uint64_t claims_accepted, claims_rejected;
  int64_t amount_accepted, amount_rejected; /* cents */
} c837_ack277_stats;

/* Creates a builder writing to out (copied; ud must outlive it); o as for
 * the 999.  The 277CA interchange takes its control number now, so that
 * a run's numbers follow its files (this file's 277CA, then its 999
 * interchanges).  NULL when out of memory. */
c837_ack277 *c837_ack277_new(const c837_ack_options *o, const c837_sink *out);
/* An input 837 set begins; isa and gs are its envelope (gs NULL for a
 * set outside a group).  The first set fixes the 277CA interchange's
 * delimiters, addresses and default date (C837_EINVAL when it has no
 * isa; later sets' are not used).  One set still open is ended first.
 * C837_OK or the sticky error. */
c837_status c837_ack277_begin_set(c837_ack277 *b, const c837_ack_isa *isa,
                                  const c837_ack_gs *gs,
                                  const c837_ack277_set *s);
/* One claim of the open set, in input order: under a new 2000C when its
 * billing provider differs from the claim before, under a new 2000D when
 * its patient does.  Accepted (A1:20, WQ; a fixed claim also one STC
 * per fixed edit with "FIXED <EDIT> LX<n>") or rejected (one STC per
 * holding edit, codes from the table in ack277.c, U, "HELD <EDIT>
 * LX<n>").  C837_EINVAL without an open set. */
c837_status c837_ack277_claim(c837_ack277 *b, const c837_ack_claim *c);
/* The open set ends: its 277CA set is written (with the interchange's
 * ISA and GS before the first).  C837_OK or the sticky error. */
c837_status c837_ack277_end_set(c837_ack277 *b);
/* Ends the open set and the interchange (GE, IEA; nothing when no set
 * was written), fills *st and *err (either may be NULL).  C837_OK or the
 * first error. */
c837_status c837_ack277_finish(c837_ack277 *b, c837_ack277_stats *st,
                               c837_error *err);
void c837_ack277_free(c837_ack277 *b);

/* ------------------------------------------------------------------ */
/* Feed: the assembler's events -> both builders (ack_feed.c)          */
/* ------------------------------------------------------------------ */

typedef struct c837_ack_feed c837_ack_feed;

/* Creates a feed into a999 and a277 (borrowed; either may be NULL).
 * NULL when out of memory. */
c837_ack_feed *c837_ack_feed_new(c837_ack999 *a999, c837_ack277 *a277);
/* The c837_handler.segment events, in input order. */
c837_status c837_ack_feed_segment(c837_ack_feed *f, const c837_segment *seg,
                                  c837_role role);
/* The c837_handler.problem events.  A problem is acknowledged when its
 * segment comes by (as a segment or inside a claim), so that its tag,
 * position, loop, value and claim are known; a missing trailer at
 * once. */
c837_status c837_ack_feed_problem(c837_ack_feed *f, const c837_problem *p);
/* A claim with the engine's verdict and what became of it (d: the
 * writer may hold a claim the verdict fixed).  v may be NULL (no
 * findings). */
c837_status c837_ack_feed_claim(c837_ack_feed *f, const c837_claim *c,
                                const c837_verdict *v, c837_disposition d);
/* The input was read to its end: ends what is open. */
c837_status c837_ack_feed_end(c837_ack_feed *f);
/* The rest of the input is kept unparsed (see c837_ack999_cut).  The
 * open set gets IK5 code 2 and is accepted with errors when claims of it
 * were read before the cut (they are forwarded, and the 277CA, whose
 * open set ends here, accepts them), rejected when none was; its group
 * and interchange end as c837_ack999_cut says. */
c837_status c837_ack_feed_cut(c837_ack_feed *f, c837_status why);
void c837_ack_feed_free(c837_ack_feed *f);

#endif
