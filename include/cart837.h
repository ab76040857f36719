/* cart837.h -- public interface of libcart837
 *
 * libcart837 reads X12 837 health-care claim files (837P 005010X222A1,
 * 837I 005010X223A2, and their 4010 predecessors) in one streaming pass,
 * finds the CAR-T service lines, applies the per-day unit and sequencing
 * edits of a code table, and writes annotated reports and corrected 837
 * files.  This is the only public header; everything in src/ that is not
 * declared here is private.
 *
 * The pipeline, stage by stage (each stage is a push API: the caller
 * feeds it, it calls back):
 *
 *   bytes --input--> bytes --tokenizer--> segments --assembler--> claims
 *         --engine (edits)--> verdicts --writer--> corrected / held 837
 *                                      --report--> findings.csv, lines.csv
 *
 * Conventions
 *   - Every name is prefixed c837_ / C837_.
 *   - Functions returning c837_status return C837_OK (0) on success.
 *   - Borrowed pointers handed to a callback are valid only during that
 *     callback unless the contract says otherwise.
 *   - No function keeps global mutable state; every object is independent.
 *   - Dates are int32 CCYYMMDD (20250314); 0 means "absent".
 *   - Money is int64 cents; quantities are int64 millionths (micro-units).
 */
#ifndef CART837_H
#define CART837_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

#define CART837_VERSION "0.1.0"

/* ------------------------------------------------------------------ */
/* Sizes of the public structs' text fields (NUL included).  The       */
/* library's internal limits are private (src/base/limits.h).          */
/* ------------------------------------------------------------------ */

/* Identifier and name fields copied into the claim model (longer ones
 * are truncated, and the truncation is reported). */
#define C837_ID_MAX 81

/* Size of a code (CPT/HCPCS/revenue) field in the model, NUL included. */
#define C837_CODE_MAX 17

/* Size of the units text of a line as written (SV104 / SV205), NUL
 * included.  Real units are a few digits; this keeps hostile values (40
 * digits, long exponents) whole in messages and the reports. */
#define C837_UNITS_MAX 64

/* Text fields of a code-table row, NUL included: descriptor, the
 * '|'-separated revenue code list, and the history note.  A longer value
 * in a table file is an error, not a truncation. */
#define C837_DESCRIPTOR_MAX 200
#define C837_REVENUE_LIST_MAX 64
#define C837_HISTORY_MAX 400

/* ------------------------------------------------------------------ */
/* Status codes and error positions                                    */
/* ------------------------------------------------------------------ */

/* Every status: its number, name, class (c837_status_class) and
 * sentence (c837_strerror).  The sentences name no internal limit: the
 * message of each error (c837_error.msg) gives the value. */
#define C837_STATUS_MAP(XX)                                              \
  XX(0, OK, OK, "no error")                                              \
  XX(1, ENOMEM, MEMORY, "out of memory")                                 \
  XX(2, ENOISA, PARSE, "input does not start with an ISA segment")       \
  XX(3, EISA, PARSE, "malformed ISA segment")                            \
  XX(4, ETOOLONG, PARSE, "segment longer than the segment limit")        \
  XX(5, ETOOMANY, PARSE, "segment has more elements than the limit")     \
  XX(6, ETRUNC, PARSE, "input ends inside a segment")                    \
  XX(7, ECALLBACK, STOPPED, "stopped by a callback")                     \
  XX(8, EIO, IO, "I/O error")                                            \
  XX(9, EGZIP, IO, "corrupt or truncated gzip stream")                   \
  XX(10, ECLAIM, PARSE,                                                  \
     "a claim over a claim limit, or one that cannot be checked or "     \
     "rewritten safely")                                                 \
  XX(11, ECSV, DATA, "malformed CSV")                                    \
  XX(12, EINVAL, USAGE, "invalid argument")                              \
  XX(13, ECONSERVE, INTERNAL, "claims in and claims out do not match")   \
  XX(14, ELOCK, BUSY, "ledger is locked by another run")                 \
  XX(15, EINTR, STOPPED, "interrupted by a signal")

typedef enum c837_status {
#define C837_XX(n, name, cls, s) C837_##name = n,
  C837_STATUS_MAP(C837_XX)
#undef C837_XX
} c837_status;

/* Human sentence for a status; never NULL, static storage. */
const char *c837_strerror(c837_status st);
/* Short name ("ETOOLONG") for a status; never NULL, static storage. */
const char *c837_status_name(c837_status st);

/* Classes of status, for a caller that acts on what went wrong rather
 * than on each code (which status has which class: C837_STATUS_MAP):
 *   OK        no error
 *   MEMORY    memory ran out
 *   PARSE     the input cannot be read to its end as X12: not X12, a
 *             malformed ISA, cut short, or past one of the library's
 *             limits on a segment or a claim (what a payer would not
 *             accept either); the same input fails the same way again
 *   IO        reading or writing failed, a gzip stream included
 *   DATA      a code table or ledger file is malformed
 *   USAGE     the caller asked for something the library refuses
 *   BUSY      the ledger is locked by another run
 *   STOPPED   a callback or a signal stopped the work
 *   INTERNAL  a check of the library's own bookkeeping failed */
#define C837_STATUS_CLASS_MAP(XX)                                        \
  XX(OK) XX(MEMORY) XX(PARSE) XX(IO) XX(DATA) XX(USAGE) XX(BUSY)         \
  XX(STOPPED) XX(INTERNAL)

typedef enum c837_class {
#define C837_XX(name) C837_CLASS_##name,
  C837_STATUS_CLASS_MAP(C837_XX)
#undef C837_XX
  C837_CLASS_COUNT
} c837_class;

/* The class of a status (C837_CLASS_INTERNAL for a value that is not a
 * status). */
c837_class c837_status_class(c837_status st);
/* "PARSE", "IO", ...; "" for a value that is not a class. */
const char *c837_class_name(c837_class c);

/* Where something happened in an input stream.  offset counts bytes of
 * the decompressed stream from 0; segment counts segments from 1 (0 when
 * the problem lies before the first segment). */
typedef struct c837_error {
  c837_status code;
  uint64_t offset;
  uint64_t segment;
  char msg[512]; /* what was expected and what was found */
} c837_error;

/* ------------------------------------------------------------------ */
/* Small value helpers (util.c)                                        */
/* ------------------------------------------------------------------ */

/* A borrowed byte range.  Not NUL-terminated. */
typedef struct c837_span {
  const char *p;
  size_t len;
} c837_span;

/* 1 when span equals the NUL-terminated string s. */
int c837_span_eq(c837_span a, const char *s);
/* Copies span into dst (size dstsz, NUL-terminated, truncated to fit).
 * Returns 1 when it fit, 0 when truncated. */
int c837_span_copy(char *dst, size_t dstsz, c837_span a);

/* Parses an X12 decimal ("12.25", ".5", "-3", "1.000") scaled by
 * 10^scale (scale 2 = cents, 6 = micro-units).  Digits beyond scale must
 * be zeros.  Returns 0 and stores *out on success, -1 when the text is
 * empty, not a number, has more fractional digits than scale allows, or
 * overflows. */
int c837_parse_decimal(c837_span s, int scale, int64_t *out);
/* Formats v / 10^scale the X12 way: no trailing fractional zeros, no
 * leading "0" dropped ("0.1", "12.25", "3").  Returns chars written
 * (buf always NUL-terminated; bufsz >= 32 always suffices). */
int c837_format_decimal(char *buf, size_t bufsz, int64_t v, int scale);

/* Parses CCYYMMDD into *ymd after checking it is a real calendar date.
 * Returns 0 or -1. */
int c837_parse_date(c837_span s, int32_t *ymd);
/* Parses CCYY-MM-DD (the form c837_format_iso_date writes) into *ymd
 * after checking it is a real calendar date.  Returns 0 or -1. */
int c837_parse_iso_date(c837_span s, int32_t *ymd);
/* Days since 1970-01-01 of a valid CCYYMMDD date. */
int32_t c837_date_to_days(int32_t ymd);
/* Inverse of c837_date_to_days. */
int32_t c837_days_to_date(int32_t days);
/* Writes CCYY-MM-DD (11 bytes with NUL) or "" when ymd is 0. */
void c837_format_iso_date(char *buf, size_t bufsz, int32_t ymd);

/* ------------------------------------------------------------------ */
/* Tokenizer: bytes -> segments (tokenizer.c)                          */
/* ------------------------------------------------------------------ */

/* Delimiters of one interchange, read from its ISA. */
typedef struct c837_delims {
  char element;    /* ISA byte 3 */
  char repetition; /* ISA11 in 5010; 0 when the interchange has none */
  char component;  /* ISA16 */
  char segment;    /* the byte right after ISA16 */
} c837_delims;

/* One segment, as the tokenizer hands it out.  All pointers are borrowed:
 * valid only during the callback that receives the segment.
 *
 * raw[0 .. raw_len) are the input bytes exactly: `lead` bytes that came
 * before the tag (a byte-order mark or blank lines before an ISA), the
 * body (tag and elements), the terminator, and any CR / LF / blanks after
 * the terminator.  Concatenating raw of every segment reproduces the input
 * byte for byte. */
typedef struct c837_segment {
  const char *raw;
  size_t raw_len;
  size_t lead;     /* bytes before the tag */
  size_t body_len; /* tag + elements, without terminator */
  c837_span tag;   /* "ISA", "CLM", ... */
  size_t n_el;     /* elements after the tag */
  const c837_span *el; /* el[0] is element 01 */
  c837_delims delims;
  uint64_t offset; /* offset of raw[0] in the input */
  uint64_t number; /* 1-based ordinal of the segment in the input */
  unsigned flags;  /* C837_SEG_* */
} c837_segment;

/* The last segment of the input had no terminator (accepted, reported
 * by the assembler as a problem). */
#define C837_SEG_UNTERMINATED 1u
/* The segment's body (tag and elements) holds a NUL byte.  The tokenizer
 * looks for NUL once per chunk fed, so that the common case costs
 * nothing per segment. */
#define C837_SEG_NUL 2u
/* The segment's body holds a CR or LF byte while the segment terminator
 * is neither (and neither is a separator): a file folded at a fixed
 * width, or damaged.  X12 data never holds them; the assembler stops
 * there (C837_ECLAIM), since a break can hide a code or a tag. */
#define C837_SEG_LINEBREAK 4u

/* Element i (1-based: ISA01 is 1); empty span when absent. */
c837_span c837_seg_el(const c837_segment *s, size_t i);
/* Component j (1-based) of element i, split on the component separator;
 * empty span when absent. */
c837_span c837_seg_comp(const c837_segment *s, size_t i, size_t j);
/* 1 when the segment tag equals tag. */
int c837_seg_is(const c837_segment *s, const char *tag);

/* Segment callback.  Return 0 to go on, non-zero to stop the tokenizer
 * with C837_ECALLBACK. */
typedef int (*c837_segment_cb)(void *ud, const c837_segment *seg);

typedef struct c837_tokenizer c837_tokenizer;

/* Creates a tokenizer that calls cb(ud, seg) for every complete segment.
 * Returns NULL when out of memory.  Free with c837_tokenizer_free. */
c837_tokenizer *c837_tokenizer_new(c837_segment_cb cb, void *ud);
/* Feeds len bytes (any chunking; state is kept across calls).  Returns
 * C837_OK or the first error, which sticks: every later feed and finish
 * returns it again without reading.  On error, every byte fed so far
 * that was not handed out in a segment is available through
 * c837_tokenizer_unemitted, so a caller can still copy the input through
 * byte for byte. */
c837_status c837_tokenizer_feed(c837_tokenizer *t, const void *buf,
                                size_t len);
/* Signals end of input: hands out a segment still waiting for trailing
 * whitespace, and fails with C837_ETRUNC when the input ends inside a
 * segment, or C837_ENOISA when it held no ISA at all or ends with bytes
 * after an IEA that are not a terminated segment (text, NUL padding, a
 * DOS end-of-file byte: only an ISA may follow an IEA). */
c837_status c837_tokenizer_finish(c837_tokenizer *t);
/* Error details (code C837_OK when none).  Borrowed; lives as long as t. */
const c837_error *c837_tokenizer_error(const c837_tokenizer *t);
/* Bytes accepted by feed so far that were not handed out in a segment
 * (a partial segment, or the bytes where an error was found).  After
 * C837_ECALLBACK they are the segment whose callback stopped the
 * tokenizer (handed out, but refused).  After an error, the bytes of the
 * failing feed call past c837_tokenizer_consumed were not accepted.
 * Borrowed; valid until the next feed/finish/free. */
void c837_tokenizer_unemitted(const c837_tokenizer *t, const char **p,
                              size_t *len);
/* Total bytes accepted by feed so far. */
uint64_t c837_tokenizer_consumed(const c837_tokenizer *t);
/* Frees t and everything it owns; NULL is a no-op. */
void c837_tokenizer_free(c837_tokenizer *t);

/* ------------------------------------------------------------------ */
/* Claim model and assembler: segments -> claims (assembler.c)         */
/* ------------------------------------------------------------------ */

/* Kinds of claim (and of transaction set): value, name, c837_kind_name.
 *   UNKNOWN  not known (no lines, and GS08/ST03 name no 837 guide)
 *   P        professional, SV1 lines
 *   I        institutional, SV2 lines
 *   D        dental, SV3 lines: recognised, passed through
 *   OTHER    a transaction set that is not an 837 */
#define C837_KIND_MAP(XX)                                                \
  XX(0, UNKNOWN, "unknown")                                              \
  XX(1, P, "837P")                                                       \
  XX(2, I, "837I")                                                       \
  XX(3, D, "837D")                                                       \
  XX(4, OTHER, "other")

typedef enum c837_kind {
#define C837_XX(n, name, s) C837_KIND_##name = n,
  C837_KIND_MAP(C837_XX)
#undef C837_XX
} c837_kind;

/* "837P", "837I", "837D", "other", "unknown" (also for a value that is
 * not a kind). */
const char *c837_kind_name(c837_kind k);

/* Envelope of the transaction being read. */
typedef struct c837_envelope {
  c837_delims delims;
  char isa06[C837_ID_MAX]; /* interchange sender id, trimmed */
  char isa13[16];          /* interchange control number */
  char gs06[16];           /* group control number */
  char gs08[C837_ID_MAX];  /* version / release / industry id */
  char st01[8];            /* transaction set id ("837") */
  char st02[16];           /* transaction set control number */
  char st03[C837_ID_MAX];  /* implementation convention reference */
  c837_kind declared;      /* kind from GS08/ST03, before looking at lines */
  int version;             /* 5010, 4010, or 0 when unknown */
} c837_envelope;

/* A person or organisation of the claim's hierarchy. */
typedef struct c837_party {
  char id[C837_ID_MAX];   /* NM109: NPI, member id, payer id */
  char last[C837_ID_MAX]; /* NM103 (organisation name or last name) */
  char first[C837_ID_MAX];
  int32_t dob;            /* DMG02, CCYYMMDD, 0 when absent */
} c837_party;

#define C837_NO_INDEX ((size_t)-1)

/* One service line (loop 2400). */
typedef struct c837_line {
  char lx[16];            /* LX01 as written */
  size_t seg_first;       /* index of LX in claim->segs */
  size_t seg_last;        /* index of the line's last segment */
  size_t seg_sv;          /* index of SV1/SV2/SV3, C837_NO_INDEX if none */
  size_t seg_dtp;         /* index of its DTP*472, C837_NO_INDEX if none */
  char sv;                /* '1', '2', '3', or 0 when the line has none */
  char revenue[C837_CODE_MAX];   /* SV201 (837I) */
  char qualifier[4];             /* HC, HP, IV, ER, WK, AD ... */
  char code[C837_CODE_MAX];      /* procedure code, as written */
  char mod[4][4];                /* modifiers 1-4, "" when absent */
  int64_t charge;                /* SV102 / SV203, cents */
  int charge_ok;                 /* 1 when the charge parsed */
  char unit_basis[4];            /* SV103 / SV204 */
  char units_raw[C837_UNITS_MAX]; /* SV104 / SV205 as written */
  int64_t units;                 /* micro-units */
  int units_ok;                  /* 1 when units_raw parsed */
  int64_t noncovered;            /* SV207 (837I), cents, 0 when absent */
  int32_t date_from, date_to;    /* line date, else the claim's; 0 if none */
  char date_source;              /* 'L' line DTP*472, 'C' claim date, 0 */
} c837_line;

/* One claim (loop 2300 and everything below it).  Handed to the claim
 * callback; everything in it is borrowed and valid only during the call.
 *
 * segs[] are the claim's segments exactly as read (CLM first), so a later
 * stage can rewrite one element and copy the rest byte for byte. */
typedef struct c837_claim {
  const c837_envelope *env;
  c837_kind kind;                 /* from the lines, else from env */
  char id[C837_ID_MAX];           /* CLM01 */
  int64_t total;                  /* CLM02, cents */
  int total_ok;
  char facility[4];               /* CLM05-1 */
  char freq[4];                   /* CLM05-3: 1 original, 7, 8 ... */
  char tob[8];                    /* 837I: facility + frequency ("131") */
  int32_t stmt_from, stmt_to;     /* DTP*434 (837I statement period) */
  int32_t svc_from, svc_to;       /* claim-level DTP*472 */
  char orig_ref[C837_ID_MAX];     /* REF*F8 payer claim control number */
  c837_party billing;             /* 2010AA NM1*85, id = NPI */
  c837_party subscriber;          /* 2010BA NM1*IL, id = member id */
  c837_party payer;               /* 2010BB NM1*PR, id = payer id */
  c837_party patient;             /* 2010CA NM1*QC when has_patient */
  int has_patient;
  char patient_key[4 * C837_ID_MAX]; /* member id [+ name + DOB] */
  char hl_id[16];                 /* HL01 of the loop the claim is under */
  size_t n_segs;
  const c837_segment *segs;
  size_t n_lines;
  const c837_line *lines;
  uint64_t offset;                /* of the CLM segment */
  uint64_t number;                /* segment ordinal of CLM */
} c837_claim;

/* What a non-claim segment is, for writers that rebuild envelopes. */
typedef enum c837_role {
  C837_ROLE_ISA,
  C837_ROLE_GS,
  C837_ROLE_ST,
  C837_ROLE_HEADER, /* in an 837, between ST and the first HL */
  C837_ROLE_HL,     /* an HL segment of an 837 */
  C837_ROLE_LOOP,   /* a segment of an HL loop, before its claims */
  C837_ROLE_SE,
  C837_ROLE_GE,
  C837_ROLE_IEA,
  C837_ROLE_OTHER   /* not an 837 claim set, or out of place */
} c837_role;

/* Severities of findings and problems: value, name (c837_severity_name). */
#define C837_SEVERITY_MAP(XX)                                            \
  XX(0, INFO, "info")                                                    \
  XX(1, WARNING, "warning")                                              \
  XX(2, ERROR, "error")

typedef enum c837_severity {
#define C837_XX(n, name, s) C837_SEV_##name = n,
  C837_SEVERITY_MAP(C837_XX)
#undef C837_XX
} c837_severity;

/* "info", "warning", "error"; "" for a value that is not a severity. */
const char *c837_severity_name(c837_severity s);

/* The structural problems the assembler reports: stable id, default
 * severity, meaning (specs/edits.md, "ENVELOPE_INVALID", has examples of
 * each message).  Every one is a finding, never a reason to stop: the
 * segments are passed on as they came.  What no edit could see stops
 * the assembler instead, with C837_ECLAIM (c837_assembler_segment): a
 * CLM outside an 837 transaction set, an SV1 / SV2 outside a claim, a
 * segment of a claim with a NUL byte or a tag that is no segment id
 * (SEGMENT_NUL_BYTE, SEGMENT_ID_INVALID are for the others), a segment
 * flagged C837_SEG_LINEBREAK. */
#define C837_PROBLEM_MAP(XX)                                                  \
  XX(ISA_ELEMENTS, ERROR, "the ISA does not have 16 elements")                \
  XX(ISA_LENGTH, ERROR, "the ISA is not 106 bytes (fixed-width fields)")      \
  XX(ISA09_DATE, ERROR, "ISA09 is not a real YYMMDD date")                    \
  XX(GS04_DATE, ERROR, "GS04 is not a real CCYYMMDD date")                    \
  XX(GS_OUTSIDE_ISA, ERROR, "a GS outside an interchange")                    \
  XX(ST_OUTSIDE_GS, ERROR, "an ST outside a functional group")                \
  XX(SE01_COUNT, ERROR, "SE01 is not the number of segments ST..SE")          \
  XX(GE01_COUNT, ERROR, "GE01 is not the number of transaction sets")         \
  XX(IEA01_COUNT, ERROR, "IEA01 is not the number of functional groups")      \
  XX(SE02_CONTROL, ERROR, "SE02 does not match ST02")                         \
  XX(GE02_CONTROL, ERROR, "GE02 does not match GS06")                         \
  XX(IEA02_CONTROL, ERROR, "IEA02 does not match ISA13")                      \
  XX(SE_MISSING, ERROR, "a transaction set left open (no SE)")                \
  XX(GE_MISSING, ERROR, "a functional group left open (no GE)")               \
  XX(IEA_MISSING, ERROR, "an interchange left open (no IEA)")                 \
  XX(SE_OUTSIDE_ST, ERROR, "an SE with no transaction set open")              \
  XX(GE_OUTSIDE_GS, ERROR, "a GE with no functional group open")              \
  XX(IEA_OUTSIDE_ISA, ERROR, "an IEA with no interchange open")               \
  XX(SEGMENT_OUTSIDE_ST, ERROR, "a segment outside a transaction set")        \
  XX(SEGMENT_OUT_OF_PLACE, ERROR, "LX, SV1, SV2 or SV3 outside a claim")      \
  XX(CLM_WITHOUT_HL, ERROR, "a claim before any HL of its transaction set")   \
  XX(SEGMENT_UNTERMINATED, ERROR, "the last segment has no terminator")       \
  XX(SEGMENT_NUL_BYTE, ERROR, "a segment holds a NUL byte (binary data)")     \
  XX(SEGMENT_ID_INVALID, ERROR, "a tag that is not a segment id")             \
  XX(DATE_INVALID, ERROR, "a DTP*472 or DTP*434 date that is not valid")     \
  XX(LX_MISSING, WARNING, "a service line (SV1, SV2, SV3) with no LX: read "  \
                          "as a line, numbered by its position")              \
  XX(HL01_ORDER, ERROR, "an HL01 that is not a number above every HL01 "      \
                        "before it in the transaction set (repeated)")        \
  XX(HL02_PARENT, ERROR, "an HL02 that names no HL loop open above it")       \
  XX(ISA13_DUPLICATE, ERROR, "an ISA13 used by an earlier interchange of "    \
                             "the input")                                     \
  XX(GS06_DUPLICATE, ERROR, "a GS06 used by an earlier group of the "         \
                            "interchange")                                    \
  XX(ST02_DUPLICATE, ERROR, "an ST02 used by an earlier transaction set of "  \
                            "the group")

typedef enum c837_problem_id {
#define C837_XX(name, sev, s) C837_PROB_##name,
  C837_PROBLEM_MAP(C837_XX)
#undef C837_XX
  C837_PROB_COUNT
} c837_problem_id;

/* "SE01_COUNT" ...; "" for a value that is not a problem id. */
const char *c837_problem_name(c837_problem_id id);
/* The meaning column of C837_PROBLEM_MAP; "" for a value that is not a
 * problem id. */
const char *c837_problem_meaning(c837_problem_id id);
/* The default severity of a problem (C837_SEV_ERROR for a value that is
 * not a problem id). */
c837_severity c837_problem_severity(c837_problem_id id);

/* A structural problem found while assembling (envelope counts and
 * control numbers, segments out of place, truncated fields).  Processing
 * goes on after a problem. */
typedef struct c837_problem {
  const char *code;      /* c837_problem_name(id), e.g. "SE01_COUNT" */
  c837_problem_id id;
  c837_severity severity; /* c837_problem_severity(id) */
  uint64_t offset;       /* of the segment at fault */
  uint64_t segment;      /* its ordinal */
  char msg[320];
} c837_problem;

typedef struct c837_handler {
  /* Every segment that is not part of a claim, in input order. */
  int (*segment)(void *ud, const c837_segment *seg, c837_role role,
                 const c837_envelope *env);
  /* Every complete claim, in input order, before the segment that ended
   * it. */
  int (*claim)(void *ud, const c837_claim *claim);
  /* Every problem.  May be NULL. */
  int (*problem)(void *ud, const c837_problem *p);
  void *ud;
} c837_handler;

/* Counts kept by the assembler. */
typedef struct c837_counts {
  uint64_t bytes; /* input bytes read (filled by c837_stream_run) */
  uint64_t segments, interchanges, groups, transactions;
  uint64_t claims, lines, problems;
  uint64_t claims_p, claims_i, claims_d;
} c837_counts;

typedef struct c837_assembler c837_assembler;

/* Creates an assembler that reports to *h (copied).  NULL on ENOMEM. */
c837_assembler *c837_assembler_new(const c837_handler *h);
/* Takes one segment; has the c837_segment_cb shape so that it plugs
 * straight into a tokenizer (pass the assembler as ud).  Returns non-zero
 * when a handler callback returned non-zero, a claim limit was hit, or
 * a claim or service line cannot be read safely (C837_ECLAIM: see
 * C837_PROBLEM_MAP; the claim being read is kept back, see
 * c837_assembler_pending) -- c837_assembler_error says which. */
int c837_assembler_segment(void *assembler, const c837_segment *seg);
/* End of input: hands out a claim still open, reports envelopes left
 * open.  Returns C837_OK or the sticky error. */
c837_status c837_assembler_finish(c837_assembler *a);
/* Sticky error (code C837_OK when none).  Borrowed. */
const c837_error *c837_assembler_error(const c837_assembler *a);
/* Raw bytes of the claim being assembled and not yet handed out (after a
 * claim limit stopped the assembler, they are the claim's segments read
 * so far, exactly as in the input).  Borrowed; valid until the next call
 * into a. */
void c837_assembler_pending(const c837_assembler *a, const char **p,
                            size_t *len);
/* Running counts.  Borrowed. */
const c837_counts *c837_assembler_counts(const c837_assembler *a);
/* Frees a; NULL is a no-op. */
void c837_assembler_free(c837_assembler *a);

/* ------------------------------------------------------------------ */
/* Input: files or stdin, plain or gzip (input.c)                      */
/* ------------------------------------------------------------------ */

typedef struct c837_input c837_input;

/* Opens path ("-" = stdin) for reading.  gzip is detected by content
 * (magic 1f 8b), concatenated members included.  On failure returns NULL
 * and fills *err (C837_EIO with the system's reason). */
c837_input *c837_input_open(const char *path, c837_error *err);
/* Reads up to cap bytes of decompressed data.  Returns bytes read, 0 at
 * end, -1 on error (then *err is filled: C837_EIO or C837_EGZIP, with the
 * offset of the compressed stream where it failed when known; every byte
 * decompressed before the failure is handed out first, and every later
 * gzip read fails again).  A regular file that ends before the size it had
 * when it was opened was cut short while being read: C837_EIO, not an
 * end.  gzip is inflated in a worker thread from the second read on, up
 * to C837_INFLATE_SLOTS buffers ahead; the bytes, errors and offsets do
 * not depend on it, nor on cap.  One thread at a time may use an input.
 * A signal handler without SA_RESTART that runs while the read waits
 * (for data or for the worker) makes it fail with C837_EIO "Interrupted
 * system call"; reading again goes on. */
long c837_input_read(c837_input *in, void *buf, size_t cap,
                     c837_error *err);
/* 1 when the input is gzip.  Known from c837_input_open for files, and
 * from the first read for stdin. */
int c837_input_is_gzip(const c837_input *in);
/* Closes in (stdin is not closed), first stopping and joining its gzip
 * worker wherever it is, even waiting on a pipe; NULL is a no-op. */
void c837_input_close(c837_input *in);

/* ------------------------------------------------------------------ */
/* Stream: input -> tokenizer -> assembler in one call (stream.c)      */
/* ------------------------------------------------------------------ */

/* Extra hook for callers that copy input they could not parse or did
 * not accept: called, in input order, with the bytes that follow the
 * point where reading stopped (see c837_stream_run), exactly as read.
 * Returns 0 to go on, non-zero to refuse: nothing more is read or passed
 * on.  May be NULL. */
typedef int (*c837_raw_cb)(void *ud, const void *p, size_t n);

/* Reads the whole input through a tokenizer and an assembler that report
 * to *h.  When reading stops early, every byte that was not handed out
 * and accepted goes to raw_cb (when not NULL), then the rest of the
 * input, so that nothing is lost:
 *  - on a fatal parse error: the claim being read, the segment at fault
 *    and the rest;
 *  - when a segment callback asked to stop: the segment it refused and
 *    the rest;
 *  - when a claim callback asked to stop: the segment that ended the
 *    claim and the rest.  The claim itself was handed out: a callback
 *    that refuses a claim it wants kept passes its segments on itself
 *    (they are the bytes just before) before it returns.
 * *err holds the error (code, offset, segment, message) before raw_cb is
 * first called, so that raw_cb can decide how much to keep; when raw_cb
 * refuses, reading stops and the status stays that error.  Fills *counts
 * (may be NULL; bytes: what the tokenizer took) and *err.  Returns
 * C837_OK, the parse error (ENOISA, EISA, ETOOLONG, ETOOMANY, ETRUNC,
 * ECLAIM), EIO/EGZIP (also when the rest could not be read), or
 * ECALLBACK. */
c837_status c837_stream_run(c837_input *in, const c837_handler *h,
                            c837_raw_cb raw_cb, void *raw_ud,
                            c837_counts *counts, c837_error *err);


/* ------------------------------------------------------------------ */
/* Code table (codetable.c; source of truth: specs/codes.csv, built    */
/* into the binary)                                                    */
/* ------------------------------------------------------------------ */

/* The families of the code table: id and name (in the CSV files and
 * the reports). */
#define C837_FAMILY_MAP(XX)                                              \
  XX(NONE, "")           /* no family (ledger bookkeeping rows) */      \
  XX(STEP, "step")       /* 38225-38228 and 0537T-0540T */              \
  XX(PRODUCT, "product") /* Q2041 ... Q2058, C9076, Q2040 */            \
  XX(WATCH, "watch")     /* 38205-38215, 36511-36516 */

typedef enum c837_family {
#define C837_XX(id, name) C837_FAM_##id,
  C837_FAMILY_MAP(C837_XX)
#undef C837_XX
} c837_family;
/* The number of values. */
#define C837_XX(...) +1
enum { C837_FAM_COUNT = 0 C837_FAMILY_MAP(C837_XX) };
#undef C837_XX

/* "", "step", "product", "watch"; "" for an out-of-range value. */
const char *c837_family_name(c837_family f);

/* One row of the code table.  Strings are NUL-terminated. */
typedef struct c837_code {
  char code[C837_CODE_MAX];   /* "38225" */
  c837_family family;
  int step;                   /* 1 collect .. 4 administer; 0 otherwise */
  char descriptor[C837_DESCRIPTOR_MAX]; /* our own words */
  int64_t cap;                /* per-day cap, micro-units; 0 = none */
  int fractional;             /* 1 when fractional units are allowed */
  int32_t valid_from;         /* first valid date of service, 0 = open */
  int32_t valid_to;           /* last valid date of service, 0 = open */
  char crosswalk[C837_CODE_MAX]; /* successor / predecessor, "" if none */
  char revenue[C837_REVENUE_LIST_MAX]; /* 837I revenue codes, '|'-separated */
  int split_dose;             /* 1 when given in two infusions */
  char history[C837_HISTORY_MAX]; /* dated changes, free text */
} c837_code;

typedef struct c837_codetable c837_codetable;

/* The table compiled into the binary (from specs/codes.csv).  Returns a
 * new table owned by the caller, or NULL with *err filled. */
c837_codetable *c837_codetable_builtin(c837_error *err);
/* Reads a CSV with the same columns (header row required) from path and
 * replaces rows with the same code / adds new ones (replace_all = 1
 * drops every built-in row first).  Columns are matched by header name
 * and may come in any order; only `code` is required.  A row for a code
 * already in the table changes only the columns the file has; a new code
 * takes defaults (empty / 0) for the columns it lacks.  Overridden rows
 * keep their place, new rows are appended in file order.
 * A malformed file leaves t unchanged and fills *err: C837_ECSV with msg
 * "FILE:LINE:COLUMN: NAME: expected ..., found ..." (LINE 1-based CSV
 * line, COLUMN 1-based field number, NAME its header name); C837_EIO when
 * the file cannot be read; C837_ENOMEM. */
c837_status c837_codetable_load(c837_codetable *t, const char *path,
                                int replace_all, c837_error *err);
/* Row for code (blanks around it ignored, case-sensitive), or NULL.
 * Borrowed; valid while t lives unchanged. */
const c837_code *c837_codetable_find(const c837_codetable *t,
                                     const char *code);
/* A revenue code (SV201) as the table and the edits compare it: a code
 * of 1 to 3 digits is left-padded with zeros to 4 ("874" -> "0874", as
 * senders that drop the leading zero write it); any other is copied as
 * it is (cut to C837_CODE_MAX - 1 bytes). */
void c837_revenue_normalize(char dst[C837_CODE_MAX], const char *src);
/* Whether service line ln is tracked -- the one definition the engine's
 * edits, lines.csv and the fast path all use (specs/edits.md, "Terms"):
 * 1 for an SV1 or SV2 line whose procedure code, under qualifier HC or
 * none, is in the table (a CAR-T step or product, or a watch code), and
 * for an SV2 (837I) line whose revenue code, normalised, is a cell-therapy
 * revenue code (0871-0874, 0891, 0892) whatever its procedure code; else
 * 0.  *row (row may be NULL) is the procedure code's row, NULL when that
 * code does not count. */
int c837_codetable_tracks(const c837_codetable *t, const c837_line *ln,
                          const c837_code **row);
size_t c837_codetable_count(const c837_codetable *t);
/* Row i in table order (the order of the CSV), or NULL past the end. */
const c837_code *c837_codetable_at(const c837_codetable *t, size_t i);
/* Writes the table (or only the row of `only`, when not NULL) as CSV with
 * its header row, every field quoted by csv_fwrite, in the format of
 * specs/codes.csv (the built-in table comes out byte for byte as that
 * file).  Returns C837_OK, C837_EINVAL when `only` is unknown (nothing is
 * written), C837_EIO on a write error. */
c837_status c837_codetable_write_csv(const c837_codetable *t, FILE *fp,
                                     const char *only);
/* Writes one row for people: one "field: value" line per column, in CSV
 * column order, history included.  Returns C837_OK or C837_EIO. */
c837_status c837_code_describe(const c837_code *c, FILE *fp);
/* Frees t; NULL is a no-op. */
void c837_codetable_free(c837_codetable *t);

/* ------------------------------------------------------------------ */
/* Edit engine (engine.c and edit_*.c; specification: specs/edits.md)  */
/* ------------------------------------------------------------------ */

/* Every edit, in report order (findings of a line are sorted by this
 * order): its stable id, its default severity and action, and the claim
 * adjustment reason code (CARC) and remittance advice remark code (RARC)
 * a payer would most likely answer it with ("" when none).  The default
 * action is what the edit does when it fires; specs/edits.md, "Severity,
 * action and remittance codes", says when an edit does otherwise (held
 * when its fix cannot be made, error and held on an 837I outpatient bill
 * for the pairing edits).  ENVELOPE_INVALID is raised by the run layer
 * for the assembler's problems, not by the engine.
 * Adding an edit: one line here, its function in the evaluation table of
 * src/edit/edit_line.c or edit_seq.c, its row in specs/edits.md, its
 * tests. */
#define C837_EDIT_MAP(XX)                                                \
  XX(UNITS_OVER_DAILY_MAX, ERROR, FIXED, "151", "N362")                 \
  XX(DUPLICATE_DAY, ERROR, FIXED, "18", "M86")                          \
  XX(RANGE_SPANS_DAYS, WARNING, FIXED, "16", "M59")                     \
  XX(UNITS_INVALID, ERROR, HELD, "16", "M53")                           \
  XX(UNIT_BASIS_INVALID, ERROR, HELD, "16", "M53")                      \
  XX(CODE_DELETED, ERROR, FIXED, "181", "M51")                          \
  XX(CODE_NOT_EFFECTIVE, ERROR, FIXED, "181", "M51")                    \
  XX(REVENUE_CODE_MISMATCH, ERROR, FIXED, "199", "M50")                 \
  XX(STEP_OUT_OF_ORDER, ERROR, HELD, "16", "M52")                       \
  XX(PRIOR_STEP_MISSING, INFO, FLAGGED, "107", "")                      \
  XX(ADMIN_WITHOUT_PRODUCT, WARNING, FLAGGED, "107", "")                \
  XX(PRODUCT_WITHOUT_ADMIN, WARNING, FLAGGED, "107", "")                \
  XX(INFUSION_TOO_SOON, WARNING, FLAGGED, "", "")                       \
  XX(REPEAT_ADMINISTRATION, WARNING, FLAGGED, "119", "M86")             \
  XX(HPC_CODE_WITH_CART, WARNING, FLAGGED, "97", "M15")                 \
  XX(INPATIENT_PROCEDURE_LINE, WARNING, FLAGGED, "97", "M2")            \
  XX(PREP_CHARGES_DOUBLE_BILLED, WARNING, FLAGGED, "97", "M15")         \
  XX(ENVELOPE_INVALID, ERROR, FLAGGED, "16", "MA130")

typedef enum c837_edit {
#define C837_XX(id, sev, act, carc, rarc) C837_EDIT_##id,
  C837_EDIT_MAP(C837_XX)
#undef C837_XX
  C837_EDIT_COUNT
} c837_edit;

/* What a finding did about the claim: id and name. */
#define C837_ACTION_MAP(XX)                                              \
  XX(FLAGGED, "flagged")                                                 \
  XX(FIXED, "fixed")                                                     \
  XX(HELD, "held")

typedef enum c837_action {
#define C837_XX(id, name) C837_ACT_##id,
  C837_ACTION_MAP(C837_XX)
#undef C837_XX
} c837_action;
/* The number of values. */
#define C837_XX(...) +1
enum { C837_ACT_COUNT = 0 C837_ACTION_MAP(C837_XX) };
#undef C837_XX

/* What happened to a claim: id and name. */
#define C837_DISPOSITION_MAP(XX)                                         \
  XX(PASSED, "passed")                                                   \
  XX(FIXED, "fixed")                                                     \
  XX(HELD, "held")

typedef enum c837_disposition {
#define C837_XX(id, name) C837_DISP_##id,
  C837_DISPOSITION_MAP(C837_XX)
#undef C837_XX
} c837_disposition;
/* The number of values. */
#define C837_XX(...) +1
enum { C837_DISP_COUNT = 0 C837_DISPOSITION_MAP(C837_XX) };
#undef C837_XX

/* The fixed facts of an edit (one line of C837_EDIT_MAP). */
typedef struct c837_edit_def {
  c837_edit edit;
  const char *name;         /* "UNITS_OVER_DAILY_MAX" */
  c837_severity severity;   /* default severity */
  c837_action action;       /* default action */
  const char *carc, *rarc;  /* "" when none; static storage */
} c837_edit_def;

/* The facts of edit e (static storage), or NULL when e is out of
 * range. */
const c837_edit_def *c837_edit_info(c837_edit e);
/* "UNITS_OVER_DAILY_MAX" ...; "" for an out-of-range value. */
const char *c837_edit_name(c837_edit e);
/* "flagged", "fixed", "held"; "" for an out-of-range value. */
const char *c837_action_name(c837_action a);
/* "passed", "fixed", "held"; "" for an out-of-range value. */
const char *c837_disposition_name(c837_disposition d);

typedef struct c837_finding {
  c837_edit edit;
  c837_severity severity;
  c837_action action;
  size_t line;          /* index into claim->lines; C837_NO_INDEX = claim */
  const char *carc;     /* claim adjustment reason code a payer would use,
                           "" when none; static storage */
  const char *rarc;     /* remittance advice remark code, "" when none */
  char before[48];      /* value before a fix, "" when none */
  char after[48];       /* value after a fix, "" when none */
  char detail[400];     /* one sentence naming the values involved */
} c837_finding;

/* A change to one service line, applied by the writer in array order. */
typedef enum c837_fix_kind {
  C837_FIX_UNITS,   /* quantity (SV104 / SV205) := value, a decimal */
  C837_FIX_CODE,    /* procedure code (SV101-2 / SV202-2) := value;
                       qualifier and modifiers kept */
  C837_FIX_REVENUE, /* revenue code (SV201) := value */
  C837_FIX_REMOVE,  /* the line goes (LX through its last segment) */
  C837_FIX_SPLIT    /* one line per date of its RD8 range, each with
                       quantity := value and DTP*472*D8; the charge is
                       divided evenly, leftover cents on the first line */
} c837_fix_kind;

typedef struct c837_fix {
  c837_fix_kind kind;
  size_t line;                      /* index into claim->lines */
  char value[C837_CODE_MAX + 16];
} c837_fix;

/* What the engine decided for one claim.  Arrays are owned by the
 * engine and valid until its next call. */
typedef struct c837_verdict {
  c837_disposition disposition;
  size_t n_findings;
  const c837_finding *findings;
  uint64_t findings_dropped;        /* beyond C837_MAX_FINDINGS */
  /* The dropped findings, per edit and per c837_severity (the kept ones
   * are in findings[]); the disposition accounts for every finding,
   * kept or dropped. */
  uint64_t dropped_by_edit[C837_EDIT_COUNT];
  uint64_t dropped_by_severity[3];
  size_t n_fixes;
  const c837_fix *fixes;
} c837_verdict;

typedef struct c837_edit_options {
  int infusion_min_days;  /* INFUSION_TOO_SOON threshold (default 14) */
  int repeat_window_days; /* REPEAT_ADMINISTRATION window (default 365) */
  int hold;               /* 1 (default): holding findings hold the claim;
                             0: they only flag it */
  int32_t run_date;       /* CCYYMMDD stamped on the lines the engine
                             remembers (the ledger's run_date); 0
                             (default) = today */
} c837_edit_options;

/* Fills *o with the defaults. */
void c837_edit_options_default(c837_edit_options *o);

typedef struct c837_engine c837_engine;

/* Creates an engine over table t (borrowed: must outlive the engine) with
 * options o (copied; NULL = defaults).  NULL on ENOMEM. */
c837_engine *c837_engine_new(const c837_codetable *t,
                             const c837_edit_options *o);
/* Evaluates one claim against the table and everything seen before (this
 * run and the history loaded from a ledger: src/edit/engine_hist.h, the
 * engine's private history interface), records the claim's CAR-T
 * lines when the claim is not held, applies voids (CLM05-3 = 8) and
 * replacements (7), and fills *out.  Claims that are not 837P/837I get
 * an empty verdict.  Returns C837_OK or C837_ENOMEM. */
c837_status c837_engine_claim(c837_engine *e, const c837_claim *c,
                              c837_verdict *out);
void c837_engine_free(c837_engine *e);

/* ------------------------------------------------------------------ */
/* Writer: corrected and held 837 (writer.c)                           */
/* ------------------------------------------------------------------ */

/* Where output bytes go.  write returns 0 on success, -1 on failure. */
typedef struct c837_sink {
  int (*write)(void *ud, const void *p, size_t n);
  void *ud;
} c837_sink;

typedef struct c837_writer_stats {
  uint64_t claims_in;      /* claims handed to the writer */
  uint64_t claims_out;     /* claims written to the corrected output */
  uint64_t claims_fixed;   /* of those, claims with at least one fix */
  uint64_t claims_held;    /* claims written to the held output */
  uint64_t transactions_rewritten; /* written with a rebuilt count/ids */
  uint64_t transactions_dropped;   /* every claim held: not written */
  uint64_t groups_dropped;         /* every transaction dropped */
  uint64_t hl_dropped;             /* HL loops left without claims */
  uint64_t hl04_unverified;        /* HL04 written before it was known
                                      (C837_MAX_HL_DEFER exceeded) */
  uint64_t claims_unfixable;       /* claims with fixes held as they came
                                      instead (counted in claims_held):
                                      CLM02 or a split charge after the
                                      fixes does not fit int64 cents */
  uint64_t transactions_too_deep;  /* HL nesting deeper than
                                      C837_MAX_HL_DEPTH: copied through
                                      as they came */
  uint64_t transactions_hl_invalid; /* an HL link the writer cannot
                                      follow (the assembler's HL01_ORDER,
                                      HL02_PARENT): copied through as
                                      they came */
  uint64_t interchanges_dropped;   /* every group dropped: left out of
                                      the corrected output whole, ISA and
                                      IEA too */
  uint64_t bytes_out;              /* bytes of the corrected output (also
                                      counted without a sink); 0 with
                                      claims_in > 0: every claim held and
                                      nothing else in the input, so there
                                      is no corrected 837 to write */
} c837_writer_stats;

typedef struct c837_writer c837_writer;

/* The writer (writer.c, writer_claim.c, writer_edit.c) works in one
 * streaming pass; memory is bounded by the open envelope and HL loop
 * headers (C837_MAX_PENDING_BYTES each) plus, in the rare case of an HL
 * with HL04=1 that has claims of its own, C837_MAX_HL_DEFER bytes.
 *
 * Corrected output: every byte of the input in order, except held claims
 * (left out), fixed claims (only the changed elements replaced, LX01
 * renumbered 1.., an LX built before a line that came without one,
 * CLM02 re-summed where it changes), and what those force: an HL loop
 * left without claims is dropped and later HL ids shift down (parents
 * and HL04 follow), a transaction / group / interchange left without
 * claims is dropped (an ISA / IEA with no group is no interchange), and
 * SE01/SE02, GE01/GE02, IEA01/IEA02 of what changed are recounted
 * (control numbers without blanks at either end).  A transaction with no
 * fixed or held claim keeps every byte, even a wrong SE01.  What is
 * rewritten is closed: a transaction, group or interchange with a fixed
 * or held claim (or a transaction or group dropped) that the input left
 * without its SE / GE / IEA gets one built, after any left open inside
 * it.  Otherwise no SE/GE/IEA the input lacked is added, except where
 * what ended it in the input is dropped: a transaction (group,
 * interchange) with no trailer that the input ended by opening the next
 * ST or GS (GS, ISA) owes its trailer when that is dropped and nothing
 * else ends it before the next segment or the end of the output.  A
 * transaction whose HL links break parse/hlcheck.h's rule (the
 * assembler's HL01_ORDER, HL02_PARENT) is copied through as it came
 * (transactions_hl_invalid).  Held output: each held claim as it came in, under
 * copies of its ISA, GS, ST (+ header segments) and HL loops, HL ids
 * 1, 2, 3 ... per transaction, SE/GE/IEA built; nothing at all is written
 * to it when no claim is held.  Built segments use the input's delimiters
 * and the whitespace seen after its terminators.
 *
 * Limits, chosen so that no wrong or invalid output is ever written:
 * - A FIXED claim whose CLM02 after the fixes (sum of the line charges,
 *   or CLM02 less removed charges) or whose split shares cannot be
 *   represented in int64 cents is not rewritten: it goes to the held
 *   output exactly as it came (stats: claims_held and claims_unfixable;
 *   the job's report still shows the engine's verdict).
 * - A transaction whose HL nesting goes deeper than C837_MAX_HL_DEPTH,
 *   or whose HL links break the rule of parse/hlcheck.h (an HL01
 *   repeated or out of order, an HL02 naming no loop open above it),
 *   cannot be rewritten.  When none of its claims is fixed or held, it
 *   is copied to the corrected output byte for byte (stats:
 *   transactions_too_deep, transactions_hl_invalid).  When one is --
 *   before or after the HL that goes too deep or breaks the rule -- the
 *   writer refuses that claim or HL with C837_ECLAIM (streaming has
 *   written part of the transaction already, so it can neither be held
 *   whole nor rewritten).
 *
 * Errors: a claim or segment refused with C837_ECLAIM or C837_EINVAL
 * leaves the writer unchanged -- nothing written, nothing counted, not
 * sticky: the next call goes on as if the refused one had not been made
 * (c837_writer_error says why); the caller may stop, or pass what it
 * refused elsewhere and go on.  Every other error (C837_EIO from a sink,
 * C837_ENOMEM, C837_ECONSERVE) is sticky: every later call fails with it
 * and c837_writer_finish returns it. */

/* Creates a writer.  out receives the corrected 837 (NULL: discard, e.g.
 * --report-only); held receives the held claims in their own envelopes
 * (NULL: held claims go nowhere, which only --report-only may use).
 * Sinks are copied; their ud must outlive the writer.  NULL on ENOMEM. */
c837_writer *c837_writer_new(const c837_sink *out, const c837_sink *held);
/* The c837_handler.segment shape: feeds one non-claim segment, in input
 * order.  Returns 0, or -1 (c837_writer_error says why): refused with
 * C837_ECLAIM when an envelope or HL loop header would exceed
 * C837_MAX_PENDING_BYTES, or when an HL goes deeper than
 * C837_MAX_HL_DEPTH or breaks the HL link rule in a transaction with a
 * fixed or held claim (the writer unchanged); sticky C837_EIO when a
 * sink fails, C837_ENOMEM. */
int c837_writer_segment(void *w, const c837_segment *seg, c837_role role,
                        const c837_envelope *env);
/* Feeds one claim (before the segment that ended it) with the engine's
 * verdict (borrowed for the call).  NULL, or no fixes and not HELD:
 * copied as it is.  HELD: to the held output only.  Otherwise the fixes
 * are applied in array order (see c837_fix_kind), unless the amounts
 * they need overflow int64 cents: then the claim is held as it came
 * (claims_unfixable, see above).  837D claims and claims of non-837 sets
 * are always copied as they are.  Returns 0 or -1 (c837_writer_error
 * says why): a sticky error as above, or a refusal that leaves the
 * writer unchanged: C837_EINVAL for a fix that does not fit the claim (a
 * line index out of range, a REVENUE fix on an 837P line, a SPLIT of a
 * line without a date range or readable charge, or of more than
 * C837_MAX_SPLIT_DAYS days); C837_ECLAIM for a claim to fix or hold in a
 * transaction whose HL nesting exceeds C837_MAX_HL_DEPTH or whose HL
 * links break the rule (see above), or for a claim
 * to hold that is not inside an ISA, a GS and an ST to copy for its held
 * envelope, or whose ISA would not read back as one there: an "ISA" the
 * tokenizer cut at the previous interchange's terminator, or one whose
 * element separator is CR, LF or the terminator of the interchange held
 * before it). */
int c837_writer_claim(c837_writer *w, const c837_claim *c,
                      const c837_verdict *v);
/* Why the last call of c837_writer_segment / _claim returned -1: fills
 * *err (may be NULL) and returns its code.  C837_ECLAIM or C837_EINVAL:
 * that call was refused and the writer is as it was before it; any other
 * code: the sticky error.  C837_OK when the last call did not fail. */
c837_status c837_writer_error(const c837_writer *w, c837_error *err);
/* Ends the output: closes envelopes still open (the held output gets its
 * SE/GE/IEA; the corrected output those of what it rewrote, and those
 * it owes, above), checks
 * that claims_in == claims_out + claims_held (C837_ECONSERVE otherwise),
 * fills *st and *err (either may be NULL).  Returns C837_OK or the
 * sticky error of the writer (a refusal is none: what the writer took is
 * whole). */
c837_status c837_writer_finish(c837_writer *w, c837_writer_stats *st,
                               c837_error *err);
/* Frees w and its buffers; NULL is a no-op.  Does not touch the sinks. */
void c837_writer_free(c837_writer *w);

/* ------------------------------------------------------------------ */
/* Job: a whole run over many inputs (job.c, report.c, outfile.c)      */
/* ------------------------------------------------------------------ */

/* Per-file (and total) figures of a run. */
typedef struct c837_totals {
  uint64_t files, files_failed, files_skipped;
  uint64_t bytes;          /* decompressed input bytes */
  uint64_t claims, lines, cart_lines;
  uint64_t claims_passed, claims_fixed, claims_held;
  uint64_t problems;       /* envelope problems (ENVELOPE_INVALID) */
  uint64_t findings[C837_EDIT_COUNT];
  uint64_t by_severity[3]; /* findings per c837_severity */
} c837_totals;

/* Progress of a run, for a terminal progress line. */
typedef struct c837_progress {
  const char *file;        /* file being read */
  uint64_t bytes;          /* input bytes read so far, all files */
  uint64_t bytes_total;    /* sum of input sizes when known, else 0 */
  uint64_t files_done, files_total;
  uint64_t claims;
} c837_progress;

typedef struct c837_job_options {
  const char *out_dir;     /* reports and outputs; default "cart837-out" */
  int report_only;         /* 1: no 837 output (auditors' mode) */
  int gzip;                /* -1 (default) as the input, 0 never, 1 always */
  int stdout_filter;       /* 1: input "-" writes its corrected 837 to
                              stdout (the filter mode) */
  c837_edit_options edit;
  const char *codes_path;  /* --codes: extends/overrides the table */
  const char *state_path;  /* --state ledger, NULL for none */
  int state_readonly;      /* read the ledger, never write it */
  int lock_wait;           /* 1: wait for the ledger lock, 0: fail */
  int32_t run_date;        /* CCYYMMDD stamped on new ledger rows (0 =
                              the date of the latest service date seen,
                              so that re-runs stay byte-identical) */
  /* Set to non-zero (from a signal handler) to stop the run cleanly. */
  volatile const sig_atomic_t *cancel;
  /* Called now and then while reading (NULL: never). */
  void (*progress)(void *ud, const c837_progress *p);
  void *progress_ud;
  FILE *log;               /* per-file messages; NULL = stderr */
  int quiet;               /* no per-file messages on log */
  /* Durability of the 837 outputs.  0 (default): each output is renamed
   * to its final name when complete, and the output file system is
   * synced once (syncfs) before the reports are committed and the
   * ledger is saved, so everything is on disk when the job succeeds.
   * 1 (--sync-each): every output file is also fsync'd before its
   * rename: slower (one fsync per file dominates a batch of many small
   * files), but each file is durable as soon as it appears. */
  int sync_each;
  /* Bytes of an unparsed rest kept from input that cannot be read twice
   * (see c837_job_file); 0 (default) = C837_MAX_UNPARSED. */
  uint64_t max_unparsed;
} c837_job_options;

/* Fills *o with the defaults. */
void c837_job_options_default(c837_job_options *o);

typedef struct c837_job c837_job;

/* Starts a run: loads the code table (built-in plus codes_path), the
 * ledger (locked for the run unless state_readonly), creates out_dir.
 * Returns NULL and fills *err on failure (C837_ECSV for a bad table or
 * ledger with line and column, C837_ELOCK, C837_EIO). */
c837_job *c837_job_new(const c837_job_options *o, c837_error *err);
/* Processes one input.  path is what is opened ("-" = stdin); name is
 * how reports name it and where its outputs go under out_dir (a relative
 * path; for stdin "stdin.837").  Every claim comes out in exactly one of
 * OUT/name (corrected) and OUT/held/name (held), or the file fails and
 * nothing of it is kept.  Returns C837_OK or:
 *  - a parse error (ENOISA, EISA, ETOOLONG, ETOOMANY, ETRUNC, ECLAIM):
 *    a file that cannot be read to its end is not forwarded: it is copied
 *    whole, unchanged, to OUT/held/name, and what it did to the reports
 *    and the engine's memory is taken back (one ENVELOPE_INVALID row names
 *    the error; the file's claims are not counted in its figures, which
 *    say so).  Input that cannot be read twice (stdin, a FIFO, a device)
 *    is not held whole: the claims read before the error are processed
 *    as usual and the unparsed rest -- the claim being read included --
 *    is kept as it came in OUT/held/name.unparsed, so that every input
 *    byte is in exactly one of OUT/name (or stdout), OUT/held/name (a
 *    held claim) and that file.  The same when the writer refuses a
 *    claim or segment of such input (C837_ECLAIM: a claim to hold
 *    outside an ISA / GS / ST envelope, HL nesting deeper than
 *    C837_MAX_HL_DEPTH in a transaction to rewrite; C837_EINVAL): what
 *    came before it goes out, it and the rest are the unparsed rest; a
 *    refused claim is not counted and has no findings rows (but the
 *    engine has evaluated it: a refused claim with fixes stays in its
 *    memory of lines).  The
 *    unparsed rest keeps at most max_unparsed bytes (C837_MAX_UNPARSED),
 *    C837_MAX_UNPARSED_NOISA after C837_ENOISA; past that, reading stops
 *    and the error row says how much was dropped;
 *  - C837_EIO / C837_EGZIP / C837_ENOMEM (reading or writing failed),
 *    C837_ECONSERVE: no output of the file is kept, its effects are taken
 *    back;
 *  - C837_EINVAL: an output would overwrite the input, or the name
 *    climbs out of out_dir;
 *  - C837_EINTR (cancelled): as for EIO; the job stops.
 * The job goes on with the next file after any of them but EINTR. */
c837_status c837_job_file(c837_job *j, const char *path, const char *name);
/* Processes one command-line input: a file (its outputs are named after
 * its base name), "-" (standard input, named "stdin.837"), or a directory,
 * walked recursively in sorted path order (byte order, not locale), whose
 * files keep their path relative to the directory.  In a directory, only
 * files whose content starts with ISA, a byte-order mark and ISA, or gzip
 * over such content are taken; others are recorded as skipped with the
 * reason, as are unreadable files, symlink loops and output-name
 * collisions (a directory or file that cannot be looked at for lack of
 * memory is not skipped: it fails with C837_ENOMEM).  Returns the worst
 * status of the files processed (C837_OK when all were fine; skips alone
 * are not an error: see totals). */
c837_status c837_job_input(c837_job *j, const char *path);
/* Writes the short end-of-run summary (a few lines) to fp. */
void c837_job_print_summary(const c837_job *j, FILE *fp);
/* Records an input that was not processed (not an 837, unreadable). */
void c837_job_skip(c837_job *j, const char *name, const char *reason);
/* Ends the run: writes findings.csv, lines.csv, summary.txt (atomically)
 * and, unless cancelled or read-only, the ledger.  Returns C837_OK or the
 * first error; C837_ENOMEM without writing anything when memory ran out
 * while recording an input (the reports would miss it). */
c837_status c837_job_finish(c837_job *j, c837_error *err);
/* Totals of the run so far (all files).  Borrowed. */
const c837_totals *c837_job_totals(const c837_job *j);
/* 1 when a finding of severity >= sev was reported. */
int c837_job_has_finding(const c837_job *j, c837_severity sev);
void c837_job_free(c837_job *j);

#ifdef __cplusplus
}
#endif
#endif /* CART837_H */
