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

/* Size of a claim note's text (NTE02, X12 allows 80 characters), NUL
 * included.  A longer note is cut and the cut reported
 * (CLAIM_MODEL_LIMIT). */
#define C837_NOTE_MAX 81

/* Size of an amount as written in an HI value code (C022-5, an X12 R
 * of at most 18 digits, a sign and a point), NUL included. */
#define C837_AMOUNT_MAX 24

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
  XX(15, EINTR, STOPPED, "interrupted by a signal")                     \
  XX(16, ELIMIT, MEMORY, "more remembered lines than the run's limit")

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
  uint64_t isa_hash;       /* 64-bit hash (FNV-1a, low bit set) of the ISA's
                              bytes (tag and elements), never 0 once an
                              ISA is read: the same ISA (sender, date,
                              time, control number) is the same
                              interchange, read again */
  c837_kind declared;      /* kind from GS08/ST03, before looking at lines */
  int version;             /* 5010, 4010, or 0 when unknown */
} c837_envelope;

/* A person or organisation of the claim's hierarchy. */
typedef struct c837_party {
  char id[C837_ID_MAX];   /* NM109: NPI, member id, payer id */
  char last[C837_ID_MAX]; /* NM103 (organisation name or last name) */
  char first[C837_ID_MAX];
  int32_t dob;            /* DMG02, CCYYMMDD, 0 when absent */
  char gender[4];         /* DMG03: F, M, U; "" when absent */
} c837_party;

#define C837_NO_INDEX ((size_t)-1)

/* The HI qualifiers (code list qualifier, C022-1) the claim model reads,
 * and which list of the claim each goes to:
 *   DX     claim->dx: diagnoses (ICD-10-CM; BK/BF/BJ/PR are ICD-9-CM)
 *   PX     claim->px: ICD-10-PCS procedures with their D8 date (BR/BQ
 *          ICD-9-CM volume 3)
 *   COND   claim->cond: condition codes (NUBC)
 *   VALUE  claim->value: value codes (NUBC) with their amount
 * Qualifiers of 005010X222A1 / X223A2 2300 HI (and 4010's).  Other
 * qualifiers (BH occurrence, BI occurrence span, DR DRG, ABN external
 * cause, TC treatment, BP anesthesia) are passed through, not read. */
#define C837_HI_MAP(XX)                                                  \
  XX("ABK", DX, "principal diagnosis (ICD-10-CM)")                       \
  XX("ABF", DX, "other diagnosis (ICD-10-CM)")                           \
  XX("ABJ", DX, "admitting diagnosis (ICD-10-CM)")                       \
  XX("APR", DX, "patient's reason for visit (ICD-10-CM)")                \
  XX("BK", DX, "principal diagnosis (ICD-9-CM)")                         \
  XX("BF", DX, "other diagnosis (ICD-9-CM)")                             \
  XX("BJ", DX, "admitting diagnosis (ICD-9-CM)")                         \
  XX("PR", DX, "patient's reason for visit (ICD-9-CM)")                  \
  XX("BBR", PX, "principal procedure (ICD-10-PCS)")                      \
  XX("BBQ", PX, "other procedure (ICD-10-PCS)")                          \
  XX("BR", PX, "principal procedure (ICD-9-CM)")                         \
  XX("BQ", PX, "other procedure (ICD-9-CM)")                             \
  XX("BG", COND, "condition code")                                       \
  XX("BE", VALUE, "value code")

/* One code of the claim's HI segments (2300 health care code
 * information, composite C022), as written.  An ICD-10 code is kept as
 * sent: without its dot. */
typedef struct c837_hi_code {
  char qual[4];                 /* C022-1: ABK, ABF, BBR, BG, BE ... */
  char code[C837_CODE_MAX];     /* C022-2 */
  int32_t date;                 /* C022-4 when C022-3 is D8 (procedures);
                                   0 when absent or not a valid date
                                   (DATE_INVALID) */
  int64_t amount;               /* C022-5 in cents (value codes); 0 when
                                   absent or not a decimal */
  int amount_ok;                /* 1 when C022-5 is a decimal */
  char amount_raw[C837_AMOUNT_MAX]; /* C022-5 as written ("" if absent):
                                   value code D4 carries the clinical
                                   trial number here */
  char poa[4];                  /* C022-9 present on admission (837I
                                   diagnoses: Y N U W 1), "" if absent */
  size_t seg;                   /* index of its HI in claim->segs */
  size_t el;                    /* its element in that HI (1..12) */
} c837_hi_code;

/* One claim note (2300 NTE). */
typedef struct c837_note {
  char qual[4];                 /* NTE01: 837I ADD (billing note) or a
                                   claim note ALG..UPI; 837P ADD, CER,
                                   DCP, DGN, TPO */
  char text[C837_NOTE_MAX];     /* NTE02 as written, trimmed */
  size_t seg;                   /* index of the NTE in claim->segs */
} c837_note;

/* One drug identification loop (2410: LIN, then its CTP) of a line. */
typedef struct c837_drug {
  char qualifier[4];            /* LIN02: N4 = NDC (11 digits, 5-4-2) */
  char id[C837_ID_MAX];         /* LIN03 as written */
  char quantity_raw[C837_UNITS_MAX]; /* CTP04 as written, "" without CTP */
  int64_t quantity;             /* CTP04, micro-units; 0 unless
                                   quantity_ok */
  int quantity_ok;              /* 1 when CTP04 is a decimal */
  char unit[4];                 /* CTP05-1: UN, ML, GR, F2, ME */
  size_t seg_lin;               /* index of LIN in claim->segs */
  size_t seg_ctp;               /* index of its CTP, C837_NO_INDEX if none */
} c837_drug;

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
  char pos[4];                   /* 837P place of service: SV105, else
                                    the claim's (claim->pos); "" on 837I */
  char pos_source;               /* 'L' SV105, 'C' the claim's, 0 none */
  size_t n_drugs;                /* its 2410 loops, in input order */
  const c837_drug *drugs;        /* into claim->drugs; NULL when none */
} c837_line;

/* One claim (loop 2300 and everything below it).  Handed to the claim
 * callback; everything in it is borrowed and valid only during the call.
 *
 * segs[] are the claim's segments exactly as read (CLM first), so a later
 * stage can rewrite one element and copy the rest byte for byte.
 *
 * What is read, and from where: the claim's own loops only.  The other
 * payers' loops of coordination of benefits (2320 SBR and what follows
 * it up to the first LX: 2330A NM1*IL, 2330B NM1*PR and REF, ...) and a
 * line's 2430 adjudication (after SVD) are kept as raw segments but not
 * read.  The lists (dx, px, cond, value, notes, drugs) are in input
 * order and bounded (src/base/limits.h); a claim with more than a list
 * keeps is reported (CLAIM_MODEL_LIMIT) and the rest is passed through
 * unread, never silently. */
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
  char pos[4];                    /* 837P place of service, CLM05-1; ""
                                     on 837I (CLM05-1 is the facility
                                     type there: facility, tob) */
  char filing[4];                 /* SBR09 claim filing indicator of the
                                     2000B SBR the claim is under (never a
                                     2320 SBR); its payer class comes from
                                     the payer table: c837_payers_class */
  char payer_resp[4];             /* SBR01 of that SBR: P primary, S
                                     secondary, T tertiary, ... */
  int32_t admit_date;             /* DTP*435 admission (D8, or DT: date
                                     and time); 0 when absent or bad */
  char admit_time[5];             /* HHMM of a DT admission, else "" */
  int admit_bad;                  /* 1 when a DTP*435 is there but not a
                                     valid D8 or DT date (not a problem:
                                     files carry masked ones; an edit
                                     that needs the date reports it) */
  char trial_ref[C837_ID_MAX];    /* REF*P4 (2300) demonstration project
                                     id: an 837P's clinical trial number */
  int32_t patient_dob;            /* the patient's DMG02: patient.dob when
                                     has_patient, else subscriber.dob */
  char patient_gender[4];         /* the patient's DMG03, likewise */
  c837_party billing;             /* 2010AA NM1*85, id = NPI */
  c837_party subscriber;          /* 2010BA NM1*IL, id = member id */
  c837_party payer;               /* 2010BB NM1*PR, id = payer id */
  c837_party patient;             /* 2010CA NM1*QC when has_patient */
  int has_patient;
  char patient_key[4 * C837_ID_MAX]; /* member id [+ name + DOB] */
  char hl_id[16];                 /* HL01 of the loop the claim is under */
  size_t n_dx;                    /* HI diagnoses (C837_HI_MAP DX) */
  const c837_hi_code *dx;
  size_t n_px;                    /* HI procedures with dates (PX) */
  const c837_hi_code *px;
  size_t n_cond;                  /* HI condition codes (COND) */
  const c837_hi_code *cond;
  size_t n_value;                 /* HI value codes with amounts (VALUE) */
  const c837_hi_code *value;
  size_t n_notes;                 /* 2300 NTE */
  const c837_note *notes;
  size_t n_drugs;                 /* every line's 2410 loops, line by
                                     line (each line points at its own) */
  const c837_drug *drugs;
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
  XX(DATE_INVALID, ERROR, "a claim or line date that is not valid")          \
  XX(CLAIM_MODEL_LIMIT, ERROR,                                                \
     "more codes, notes or drug loops than the claim model keeps")            \
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
                            "the group")                                      \
  XX(GS06_INVALID, ERROR, "a GS06 that is not a group control number (1 to "  \
                          "9 digits)")                                        \
  XX(ST02_INVALID, ERROR, "an ST02 that is not a transaction set control "    \
                          "number (4 to 9 characters)")                       \
  XX(ISA13_INVALID, ERROR, "an ISA13 that is not an interchange control "     \
                           "number (9 digits)")

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
/* Code table and reference lists (src/edit/codetable.c, codelists.c,  */
/* payers.c, import*.c; sources of truth: specs/codes.csv and the data */
/* lists of specs/, built into the binary; specs/codes.md)             */
/* ------------------------------------------------------------------ */

/* The families of the code table: id and name (in the CSV files and
 * the reports).  New families are added at the end so that the values
 * of the first four never change. */
#define C837_FAMILY_MAP(XX)                                              \
  XX(NONE, "")           /* no family (ledger bookkeeping rows) */      \
  XX(STEP, "step")       /* 38225-38228 and 0537T-0540T */              \
  XX(PRODUCT, "product") /* CAR-T products: Q2041 ... Q2058, C-codes */ \
  XX(WATCH, "watch")     /* 38205-38215, 36511-36516 */                 \
  XX(TCR, "tcr")         /* TCR-T products: Q2057 */                    \
  XX(TIL, "til")         /* tumour-infiltrating lymphocytes */          \
  XX(HSC_GENE, "hsc_gene") /* stem-cell gene therapies: J3391-J3394 */  \
  XX(CELL_OTHER, "cell_other") /* other autologous cells: Q2043 */      \
  XX(NOC, "noc")         /* not otherwise classified: C9399, J9999 ... */

typedef enum c837_family {
#define C837_XX(id, name) C837_FAM_##id,
  C837_FAMILY_MAP(C837_XX)
#undef C837_XX
} c837_family;
/* The number of values. */
#define C837_XX(...) +1
enum { C837_FAM_COUNT = 0 C837_FAMILY_MAP(C837_XX) };
#undef C837_XX

/* "", "step", "product", "watch", "tcr" ...; "" for an out-of-range
 * value. */
const char *c837_family_name(c837_family f);
/* The family named s[0 .. len) ("" is C837_FAM_NONE), or -1 when s names
 * none: the one parse of a family name (the ledger's included). */
int c837_family_from_name(const char *s, size_t len);
/* 1 for the families of cell and gene therapy products (PRODUCT, TCR,
 * TIL, HSC_GENE, CELL_OTHER), 0 for the others (STEP, WATCH, NOC,
 * NONE). */
int c837_family_is_product(c837_family f);

/* What one unit of a code is (column `unit`): id and name. */
#define C837_PER_MAP(XX)                                                 \
  XX(NONE, "")            /* not stated (steps, watch and NOC codes) */  \
  XX(DOSE, "dose")        /* one therapeutic dose */                     \
  XX(INFUSION, "infusion") /* one infusion (Q2058: two per course) */    \
  XX(TREATMENT, "treatment") /* one treatment (J3391-J3394) */

typedef enum c837_per {
#define C837_XX(id, name) C837_PER_##id,
  C837_PER_MAP(C837_XX)
#undef C837_XX
} c837_per;
#define C837_XX(...) +1
enum { C837_PER_COUNT = 0 C837_PER_MAP(C837_XX) };
#undef C837_XX

/* "", "dose", "infusion", "treatment"; "" for an out-of-range value. */
const char *c837_per_name(c837_per p);

/* Whether a code is separately payable on the Medicare physician fee
 * schedule (column `pfs_payable`): unknown (""), "no", "yes". */
typedef enum c837_payable {
  C837_PAYABLE_UNKNOWN,
  C837_PAYABLE_NO,
  C837_PAYABLE_YES
} c837_payable;

/* Sizes of the text columns the new families brought, NUL included:
 * `settings` ("12X|13X"), `product` (the generic name, "tisagenlecleucel"),
 * `opps_si` ("B", "J1"). */
#define C837_SETTINGS_MAX 48
#define C837_PRODUCT_MAX 48
#define C837_SI_MAX 3

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
  /* Where the code may be billed: "" everywhere, else '|'-separated
   * "837P", "837I" and type-of-bill classes "13X" (c837_code_setting). */
  char settings[C837_SETTINGS_MAX];
  c837_per unit;              /* what one unit is */
  char product[C837_PRODUCT_MAX]; /* generic name of the product the code
                                 bills ("tisagenlecleucel"); the key of
                                 the NDC, PCS and indication lists */
  c837_payable pfs_payable;   /* Medicare physician fee schedule */
  char opps_si[C837_SI_MAX];  /* OPPS status indicator, "" unknown */
} c837_code;

typedef struct c837_codetable c837_codetable;

/* The table compiled into the binary (from specs/codes.csv) with the
 * reference lists of specs/ (c837_list).  Returns a new table owned by
 * the caller, or NULL with *err filled. */
c837_codetable *c837_codetable_builtin(c837_error *err);
/* Reads a CSV with the same columns (header row required) from path and
 * replaces rows with the same code / adds new ones (replace_all = 1
 * drops every built-in row first).  Columns are matched by header name
 * and may come in any order; only `code` is required (a file written
 * before a column existed loads as it did).  A row for a code already
 * in the table changes only the columns the file has; a new code takes
 * defaults (empty / 0) for the columns it lacks.  Overridden rows keep
 * their place, new rows are appended in file order.
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
 * none, is in the table (of any family), and for an SV2 (837I) line
 * whose revenue code, normalised, is one the table pairs a code with
 * (its revenue_codes; built in: 0871-0874, 0891, 0892) whatever its
 * procedure code; else 0.
 * *row (row may be NULL) is the procedure code's row, NULL when that
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

/* Whether a code may be billed on a claim (column `settings`). */
typedef enum c837_fit {
  C837_FIT_UNKNOWN = -1, /* the claim's setting is not known: kind not
                            837P / 837I, or an 837I without a type of
                            bill, while the code lists settings */
  C837_FIT_NO = 0,       /* the code's settings exclude the claim */
  C837_FIT_YES = 1       /* no settings (everywhere), or one fits */
} c837_fit;
/* Whether code row c may be billed on a claim of kind `kind` whose type
 * of bill is tob (837I: CLM05-1 followed by CLM05-3, "131"; only its
 * first two characters count; NULL or "" when not known).  A setting
 * "837P" fits every 837P claim, "837I" every 837I claim, "13X" an 837I
 * claim whose type of bill starts with 13.  The engine's crosswalk fix
 * (CODE_DELETED, CODE_NOT_EFFECTIVE) only moves a line to a code that
 * is C837_FIT_YES on its claim. */
c837_fit c837_code_setting(const c837_code *c, c837_kind kind,
                           const char *tob);

/* ------------------------------------------------------------------ */
/* Reference lists (codelists.c): dated data beside the code table,    */
/* one built-in CSV in specs/ each, overridable                        */
/* ------------------------------------------------------------------ */

/* The lists: id, name (the CLI's and the messages'), built-in file. */
#define C837_LIST_MAP(XX)                                                \
  XX(REVENUE, "revenue", "specs/revenue.csv")   /* 087X / 089X codes */  \
  XX(PCS, "pcs", "specs/pcs.csv")       /* CAR-T ICD-10-PCS codes */      \
  XX(NDC, "ndc", "specs/ndc.csv")       /* NDC -> product */              \
  XX(INDICATION, "indication", "specs/indications.csv") /* labels */     \
  XX(PTP, "ptp", "specs/ptp.csv")       /* NCCI code pairs (imported) */

typedef enum c837_list {
#define C837_XX(id, name, file) C837_LIST_##id,
  C837_LIST_MAP(C837_XX)
#undef C837_XX
  C837_LIST_COUNT
} c837_list;

/* "revenue", "pcs", ...; "" for an out-of-range value. */
const char *c837_list_name(c837_list l);
/* The list named s ("pcs"), or -1. */
int c837_list_from_name(const char *s);

/* Reads list `l` from the CSV file at path (header row required, columns
 * by name in any order, only the key columns required; format in
 * specs/codes.md, "Reference lists").  replace_all = 0: a row whose key
 * (C837_LIST_MAP's key columns, specs/codes.md) is already in the list
 * changes only the columns the file has, a new key is appended;
 * replace_all = 1: the file's rows replace the list.  Errors as
 * c837_codetable_load (C837_ECSV "FILE:LINE:COLUMN: NAME: expected ...,
 * found ...", C837_EIO, C837_ENOMEM); the list is then unchanged. */
c837_status c837_codetable_load_list(c837_codetable *t, c837_list l,
                                     const char *path, int replace_all,
                                     c837_error *err);
/* Writes list l as CSV in the form of its built-in file (the built-in
 * list comes out byte for byte as that file).  C837_OK, C837_EINVAL for
 * a list that is not one, C837_EIO. */
c837_status c837_codetable_write_list(const c837_codetable *t, c837_list l,
                                      FILE *fp);
/* Number of rows of list l (0 for a list that is not one). */
size_t c837_codetable_list_count(const c837_codetable *t, c837_list l);

/* Text sizes of the list rows, NUL included. */
#define C837_LIST_TEXT_MAX 160
#define C837_SOURCE_MAX 600
#define C837_DX_LIST_MAX 160

/* A revenue code (specs/revenue.csv).  A code may have one row for any
 * family (family NONE) and rows for given families, which take
 * precedence for codes of that family. */
typedef struct c837_revenue {
  char revenue[C837_CODE_MAX];     /* "0891" */
  c837_family family;              /* NONE: any family */
  char settings[C837_SETTINGS_MAX]; /* where it is accepted ("" all) */
  int32_t valid_from, valid_to;    /* 0 = open */
  char meaning[C837_LIST_TEXT_MAX];
  char source[C837_SOURCE_MAX];
} c837_revenue;

/* The row of revenue code rev (normalised or not) for a code of family
 * fam (its own row, else the row for any family), or NULL when the list
 * does not know rev.  Borrowed while t lives unchanged. */
const c837_revenue *c837_codetable_revenue(const c837_codetable *t,
                                           const char *rev, c837_family fam);

/* How a revenue code fits a code row on a claim. */
typedef enum c837_revfit {
  C837_REVFIT_OK,         /* listed for the code, exists on the date,
                             accepted in the claim's setting */
  C837_REVFIT_NO_PAIRING, /* no pairing applies: the code lists no
                             revenue code, or none it lists exists yet on
                             the date (087X / 089X before 2019-04-01) */
  C837_REVFIT_UNLISTED,   /* rev is not one the code is paired with */
  C837_REVFIT_NOT_VALID,  /* listed, but rev itself is not valid on the
                             date */
  C837_REVFIT_SETTING     /* listed, but for the code's family not
                             accepted on this kind of bill (0892 with a
                             CAR-T product on an outpatient bill) */
} c837_revfit;
/* How revenue code rev (normalised by the caller: c837_revenue_normalize)
 * fits code row c on a claim of kind `kind` and type of bill tob (as
 * c837_code_setting) on date (CCYYMMDD; 0 = unknown: dates not checked).
 * A revenue code the list does not know is valid on every date and in
 * every setting.  A setting that cannot be told (C837_FIT_UNKNOWN) is
 * not a misfit. */
c837_revfit c837_codetable_revenue_fit(const c837_codetable *t,
                                       const c837_code *c, const char *rev,
                                       int32_t date, c837_kind kind,
                                       const char *tob);

/* A CAR-T (or other cell therapy) ICD-10-PCS procedure code
 * (specs/pcs.csv): what an inpatient claim carries in HI BBR/BBQ. */
typedef struct c837_pcs {
  char code[8];                    /* "XW033H7" */
  char product[C837_PRODUCT_MAX];  /* generic name; "" for a code that
                                      covers any product of its family */
  c837_family family;              /* PRODUCT (CAR-T), TIL ... */
  int cart_admin;                  /* 1: proves an autologous CAR-T
                                      administration (NCD 110.24) */
  int32_t valid_from, valid_to;    /* by DISCHARGE date; 0 = open */
  char description[C837_LIST_TEXT_MAX];
  char source[C837_SOURCE_MAX];
} c837_pcs;

/* The row of PCS code `code` valid on date (the discharge date; 0 = any
 * date), or NULL.  Borrowed. */
const c837_pcs *c837_codetable_pcs(const c837_codetable *t,
                                   const char *code, int32_t date);
/* 1 when PCS row p proves the administration of a product of code row c:
 * p names c's product, or p names no product and is of c's family; 0
 * otherwise (NULL p or c: 0). */
int c837_pcs_proves(const c837_pcs *p, const c837_code *c);

/* An NDC of a product (specs/ndc.csv). */
typedef struct c837_ndc {
  char ndc[12];                    /* 11 digits, 5-4-2, no hyphens */
  char product[C837_PRODUCT_MAX];  /* generic name */
  char brand[C837_LIST_TEXT_MAX];
  c837_family family;
  char source[C837_SOURCE_MAX];
} c837_ndc;

/* An NDC as LIN03 carries it (N4: 11 digits, 5-4-2), from the forms
 * people write: 11 digits as they are; hyphenated 4-4-2, 5-3-2, 5-4-1
 * and 5-4-2 padded to 5-4-2 ("0078-0846-19" -> "00078084619").  Returns
 * 0, or -1 (dst "") when src is none of these. */
int c837_ndc_normalize(char dst[12], const char *src);
/* The row of NDC ndc (normalised here), or NULL.  Borrowed. */
const c837_ndc *c837_codetable_ndc(const c837_codetable *t,
                                   const char *ndc);

/* A labelled indication of a product (specs/indications.csv). */
typedef struct c837_indication {
  char product[C837_PRODUCT_MAX];  /* generic name */
  char indication[C837_LIST_TEXT_MAX];
  char dx_prefixes[C837_DX_LIST_MAX]; /* ICD-10-CM prefixes separated by
                                      blanks; dots do not count */
  int min_age, max_age;            /* whole years on the date of service,
                                      inclusive; 0 = no limit */
  int32_t valid_from, valid_to;    /* 0 = open */
  char source[C837_SOURCE_MAX];
} c837_indication;

/* What c837_codetable_indication found. */
typedef struct c837_indication_check {
  size_t rows;       /* rows of the product valid on the date; 0: the list
                        has none, so there is nothing to check */
  int dx_match;      /* 1 when a diagnosis starts with a prefix of a row */
  int age_ok;        /* 1 inside the limits of a matching row (of any row
                        when none matches), 0 outside, -1 unknown (no date
                        of birth or date of service) */
  const c837_indication *row; /* the row that matched best, or NULL */
} c837_indication_check;
/* Checks the claim's diagnoses dx[0 .. n_dx) (ICD-10-CM as HI carries
 * them, with or without the dot) and the patient's age (dob, CCYYMMDD,
 * 0 = unknown) on date against the indications of product (a generic
 * name: c837_code.product or c837_ndc.product). */
void c837_codetable_indication(const c837_codetable *t, const char *product,
                               const char *const *dx, size_t n_dx,
                               int32_t dob, int32_t date,
                               c837_indication_check *out);
/* Row i of the indications (table order), or NULL past the end. */
const c837_indication *c837_codetable_indication_at(const c837_codetable *t,
                                                    size_t i);
/* Whole years from dob to date (both CCYYMMDD), or -1 when either is 0
 * or date is before dob. */
int c837_age_years(int32_t dob, int32_t date);

/* An NCCI procedure-to-procedure edit (specs/ptp.csv; empty built in:
 * filled by `codes --import ptp`). */
typedef struct c837_ptp {
  char col1[C837_CODE_MAX], col2[C837_CODE_MAX];
  int32_t valid_from, valid_to;    /* effective, deletion date - 1 day */
  int modifier;                    /* 0 not allowed, 1 allowed, 9 n/a */
  char rationale[C837_LIST_TEXT_MAX];
  char source[C837_SOURCE_MAX];
} c837_ptp;
/* The PTP edit between codes a and b (either order) in force on date
 * (0 = any), or NULL.  Borrowed. */
const c837_ptp *c837_codetable_ptp(const c837_codetable *t, const char *a,
                                   const char *b, int32_t date);

/* ------------------------------------------------------------------ */
/* Import of public CMS files into the table (import*.c)               */
/* ------------------------------------------------------------------ */

/* The formats `cart837 codes --import KIND FILE` reads (layouts in
 * specs/codes.md, "Imports"). */
#define C837_IMPORT_MAP(XX)                                              \
  XX(HCPCS, "hcpcs")   /* HCPCS quarterly file, fixed width -> dates,   \
                          crosswalk, unit, (descriptor of new rows) */  \
  XX(MUE, "mue")       /* NCCI MUE table CSV -> cap_per_day */          \
  XX(PTP, "ptp")       /* NCCI PTP tab-delimited -> the PTP list */     \
  XX(OPPS, "opps")     /* OPPS Addendum B CSV -> opps_si */             \
  XX(DRG018, "drg018") /* MS-DRG 018 ICD-10-PCS list -> the PCS list */

typedef enum c837_import_kind {
#define C837_XX(id, name) C837_IMPORT_##id,
  C837_IMPORT_MAP(C837_XX)
#undef C837_XX
  C837_IMPORT_COUNT
} c837_import_kind;

/* "hcpcs", "mue" ...; "" for an out-of-range value. */
const char *c837_import_name(c837_import_kind k);
/* The kind named s, or -1. */
int c837_import_from_name(const char *s);

typedef struct c837_import_options {
  /* 0 (default): only rows for codes the table (or, for drg018, the
   * products the table) knows; 1: every code of the file (hcpcs: new
   * rows of no family; ptp: pairs with one code in the table; drg018:
   * PCS codes of no product). */
  int all;
  /* drg018: first date of the fiscal year the list is for (20251001),
   * the valid_from of the rows it adds; 0 = open. */
  int32_t valid_from;
} c837_import_options;

typedef struct c837_import_stats {
  uint64_t records;  /* data records read */
  uint64_t matched;  /* records for codes the import keeps */
  uint64_t changed;  /* existing rows whose values changed */
  uint64_t added;    /* rows added */
  uint64_t skipped;  /* kept records that could not be used (a zero MUE,
                        a crosswalk to a code outside the table ...) */
} c837_import_stats;

/* Reads the public file at path in format `kind` into t (the code table
 * or, for ptp and drg018, its list).  o NULL = defaults; *st (may be
 * NULL) gets the counts.  The file is read streaming, whatever its size;
 * any error leaves t unchanged: C837_ECSV "FILE:LINE[:COLUMN]: what was
 * expected, found ..." for a file that is not in the format, C837_EIO,
 * C837_ENOMEM. */
c837_status c837_codetable_import(c837_codetable *t, c837_import_kind kind,
                                  const char *path,
                                  const c837_import_options *o,
                                  c837_import_stats *st, c837_error *err);

/* ------------------------------------------------------------------ */
/* Payers (payers.c): classes by SBR09, and what differs per class      */
/* ------------------------------------------------------------------ */

/* Payer classes: id and name (specs/payer_classes.csv maps SBR09 to
 * them; specs/payers.md). */
#define C837_PAYER_CLASS_MAP(XX)                                         \
  XX(UNKNOWN, "unknown")          /* no SBR09, ZZ, or not in the list */ \
  XX(MEDICARE_A, "medicare_a")    /* SBR09 MA */                         \
  XX(MEDICARE_B, "medicare_b")    /* SBR09 MB */                         \
  XX(MEDICARE_ADVANTAGE, "medicare_advantage") /* SBR09 16 */            \
  XX(MEDICAID, "medicaid")        /* MC, TV */                           \
  XX(COMMERCIAL, "commercial")    /* CI, BL, HM, 11-15, FI */            \
  XX(FEDERAL_OTHER, "federal_other") /* CH, VA, OF */                    \
  XX(OTHER, "other")              /* WC, AM, LM, DS, 17 */

typedef enum c837_payer_class {
#define C837_XX(id, name) C837_PAYER_##id,
  C837_PAYER_CLASS_MAP(C837_XX)
#undef C837_XX
  C837_PAYER_CLASS_COUNT
} c837_payer_class;

/* "unknown", "medicare_a" ...; "" for an out-of-range value. */
const char *c837_payer_class_name(c837_payer_class c);
/* 1 for MEDICARE_A and MEDICARE_B (fee for service). */
int c837_payer_is_medicare_ffs(c837_payer_class c);

/* A window of dates during which a rule applies: on = 0 never; else
 * from .. to, each 0 = open (on = 1, 0, 0: always). */
typedef struct c837_window {
  int on;
  int32_t from, to;
} c837_window;
/* 1 when date (CCYYMMDD) is inside w. */
int c837_window_has(const c837_window *w, int32_t date);

/* Type of a billing provider for the payment window (the providers file). */
typedef enum c837_provider_type {
  C837_PROVIDER_IPPS,     /* default: a hospital paid under IPPS: 3 days */
  C837_PROVIDER_NON_IPPS, /* psychiatric, IRF, LTCH, children's, cancer
                             hospitals: 1 day */
  C837_PROVIDER_EXEMPT    /* critical access hospitals: no window */
} c837_provider_type;

/* What differs per payer (specs/payers.md): the settings in force for a
 * claim.  Columns a row leaves empty keep the value below it: payer id
 * row <- class row <- Medicare's defaults. */
typedef struct c837_payer_settings {
  c837_payer_class cls;       /* the claim's class */
  int repeat_window_days;     /* REPEAT_ADMINISTRATION look-back; 0 =
                                 lifetime */
  int ndc_required;           /* PRODUCT_NDC: 1 = error without an NDC */
  c837_window kx_required;    /* PARTB_FRACTIONAL_PRODUCT: KX on these
                                 dates of service */
  c837_window jz_required;    /* JZ modifier on these dates */
  int payment_window_days;    /* PAYMENT_WINDOW, IPPS hospitals (0 off) */
  int payment_window_days_non_ipps; /* the same, non-IPPS hospitals */
  int step_window_days;       /* STEP_OUT_OF_ORDER episode window */
  int trial_coding;           /* CLINICAL_TRIAL_CODING applies */
} c837_payer_settings;

typedef struct c837_payers c837_payers;

/* The built-in payer classes (specs/payer_classes.csv) and per-class
 * settings (specs/payers.csv).  NULL with *err filled on failure. */
c837_payers *c837_payers_builtin(c837_error *err);
/* Reads a payer option file (specs/payers.md: columns class, payer_id,
 * repeat_window, ndc_required, kx_required, jz_required,
 * payment_window_days, payment_window_days_non_ipps, step_window_days,
 * trial_coding, note; by name, any order, class or payer_id required on
 * each row) over the settings in force: a row for a class or payer id
 * already there changes the columns the file has.  Errors as
 * c837_codetable_load; p is then unchanged. */
c837_status c837_payers_load(c837_payers *p, const char *path,
                             c837_error *err);
/* Reads a payer class list (columns sbr09, class, meaning, source) over
 * the built-in one, in the same way. */
c837_status c837_payers_load_classes(c837_payers *p, const char *path,
                                     c837_error *err);
/* Reads a providers file (columns npi, type, name, note) over the
 * providers in force (none built in). */
c837_status c837_payers_load_providers(c837_payers *p, const char *path,
                                       c837_error *err);
/* The class of a claim: payer id's own class when a payer option row
 * gives one, else SBR09's (sbr09, payer_id NULL or "" when absent). */
c837_payer_class c837_payers_class(const c837_payers *p, const char *sbr09,
                                   const char *payer_id);
/* The settings for a claim with SBR09 sbr09 and payer id payer_id. */
void c837_payers_settings(const c837_payers *p, const char *sbr09,
                          const char *payer_id, c837_payer_settings *out);
/* Medicare's values, which a payer class without an option row, and
 * every column a row leaves empty, takes (specs/payers.md): *out gets
 * p's (NULL p: the built-in ones). */
void c837_payers_defaults(const c837_payers *p, c837_payer_settings *out);
/* Replaces those defaults in p (s->cls is not read), e.g. the
 * REPEAT_ADMINISTRATION window of `--repeat-days`.  NULL p or s: no-op. */
void c837_payers_set_defaults(c837_payers *p, const c837_payer_settings *s);
/* The type of billing provider npi (C837_PROVIDER_IPPS when not listed). */
c837_provider_type c837_payers_provider(const c837_payers *p,
                                        const char *npi);
/* The payment window in days for a claim with settings s at billing
 * provider npi: s's IPPS or non-IPPS days, 0 for an exempt provider. */
int c837_payers_window_days(const c837_payers *p,
                            const c837_payer_settings *s, const char *npi);
/* The three files of the payers: option rows, class list, providers. */
typedef enum c837_payers_file {
  C837_PAYERS_OPTIONS,   /* specs/payers.csv, --payers FILE */
  C837_PAYERS_CLASSES,   /* specs/payer_classes.csv */
  C837_PAYERS_PROVIDERS  /* none built in, --providers FILE */
} c837_payers_file;
/* Writes one of them as CSV; the built-in ones come out byte for byte as
 * their files in specs/.  C837_OK, C837_EINVAL, C837_EIO. */
c837_status c837_payers_write_csv(const c837_payers *p,
                                  c837_payers_file which, FILE *fp);
/* Frees p; NULL is a no-op. */
void c837_payers_free(c837_payers *p);

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
 * src/edit/edit_line.c, edit_seq.c or edit_claim.c, its row in
 * specs/edits.md, its tests. */
#define C837_EDIT_MAP(XX)                                                \
  XX(UNITS_OVER_DAILY_MAX, ERROR, FIXED, "151", "N362")                 \
  XX(DUPLICATE_DAY, ERROR, FIXED, "18", "M86")                          \
  XX(RANGE_SPANS_DAYS, WARNING, FIXED, "16", "M59")                     \
  XX(UNITS_INVALID, ERROR, HELD, "16", "M53")                           \
  XX(UNIT_BASIS_INVALID, ERROR, HELD, "16", "M53")                      \
  XX(CODE_DELETED, ERROR, FIXED, "181", "M51")                          \
  XX(CODE_NOT_EFFECTIVE, ERROR, FIXED, "181", "M51")                    \
  XX(REVENUE_CODE_MISMATCH, ERROR, FIXED, "199", "M50")                 \
  XX(STEP_OUT_OF_ORDER, WARNING, FLAGGED, "16", "M52")                  \
  XX(PRIOR_STEP_MISSING, INFO, FLAGGED, "107", "")                      \
  XX(ADMIN_WITHOUT_PRODUCT, WARNING, FLAGGED, "107", "")                \
  XX(PRODUCT_WITHOUT_ADMIN, WARNING, FLAGGED, "107", "")                \
  XX(INFUSION_TOO_SOON, WARNING, FLAGGED, "", "")                       \
  XX(REPEAT_ADMINISTRATION, WARNING, FLAGGED, "119", "M86")             \
  XX(HPC_CODE_WITH_CART, WARNING, FLAGGED, "97", "M15")                 \
  XX(INPATIENT_PROCEDURE_LINE, WARNING, FLAGGED, "97", "M2")            \
  XX(PREP_CHARGES_DOUBLE_BILLED, WARNING, FLAGGED, "97", "M15")         \
  XX(SERVICE_DATE_MISSING, ERROR, HELD, "16", "M52")                    \
  XX(INTERCHANGE_REPEATED, WARNING, FLAGGED, "18", "")                  \
  XX(PATIENT_LINES_LIMIT, ERROR, HELD, "", "")                          \
  XX(RUN_LINES_LIMIT, ERROR, HELD, "", "")                              \
  XX(IP_CART_CLAIM_INTEGRITY, ERROR, HELD, "16", "MA130")               \
  XX(CLINICAL_TRIAL_CODING, ERROR, FLAGGED, "16", "MA50")               \
  XX(PAYMENT_WINDOW, ERROR, HELD, "97", "M2")                           \
  XX(PRODUCT_IN_FACILITY_POS, WARNING, FLAGGED, "5", "M77")             \
  XX(PARTB_FRACTIONAL_PRODUCT, ERROR, HELD, "4", "")                    \
  XX(NOC_PRODUCT_CODE, ERROR, HELD, "189", "")                          \
  XX(PRODUCT_NDC, ERROR, HELD, "16", "M119")                            \
  XX(PRODUCT_INDICATION, WARNING, FLAGGED, "11", "")                    \
  XX(STEP_NOT_PAYABLE, WARNING, FLAGGED, "97", "M15")                   \
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
  C837_FIX_SPLIT,   /* one line per date of its RD8 range, each with
                       quantity := value and DTP*472*D8; the charge is
                       divided evenly, leftover cents on the first line */
  C837_FIX_CODE_FROM /* with a SPLIT of the same line (after it): the
                       lines of the split dated `date` or later get
                       procedure code := value (the code's successor
                       where the range runs past its last valid date) */
} c837_fix_kind;

typedef struct c837_fix {
  c837_fix_kind kind;
  size_t line;                      /* index into claim->lines */
  char value[C837_CODE_MAX + 16];
  int32_t date;                     /* CODE_FROM: CCYYMMDD; else 0 */
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
  int repeat_window_days; /* REPEAT_ADMINISTRATION window of the payer
                             classes that keep Medicare's (default 365;
                             0 = lifetime), when payers is NULL: the
                             engine's built-in payers take it as their
                             default (c837_payers_set_defaults); with
                             payers given, that object's defaults count
                             and this field is not read */
  int hold;               /* 1 (default): holding findings hold the claim;
                             0: they only flag it */
  int32_t run_date;       /* CCYYMMDD stamped on the lines the engine
                             remembers (the ledger's run_date); 0
                             (default) = today */
  uint64_t max_lines;     /* the most CAR-T and watch-code lines the
                             engine remembers, loaded from a ledger and
                             new (0 = C837_MAX_REMEMBERED_LINES); past it
                             claims are held (RUN_LINES_LIMIT) and a
                             ledger load fails with C837_ELIMIT */
  /* The payer classes and per-class settings the edits read
   * (specs/payers.md), borrowed: it must outlive the engine.  NULL
   * (default): the built-in ones (c837_payers_builtin). */
  const c837_payers *payers;
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
/* The fast path's test: 1 when no edit can look at claim c, judging it
 * would change nothing in the engine and no report has a row for it --
 * a claim with no tracked line (c837_codetable_tracks) that, when it is
 * an 837P / 837I claim, is not a void or a replacement and not an
 * inpatient 11x bill -- and then *out is the verdict c837_engine_claim
 * would give it (passed, no finding), without its cost.  0 otherwise
 * (*out untouched: call c837_engine_claim).  Never fails. */
int c837_engine_pass(c837_engine *e, const c837_claim *c, c837_verdict *out);
/* The same test alone, reading e without changing it (so that threads
 * may call it at once while no other call is made on e): 1 when
 * c837_engine_pass would pass c, whose verdict is then the empty one
 * (passed, no finding, no fix: all zero).  Never fails. */
int c837_engine_passes(const c837_engine *e, const c837_claim *c);
/* 1 when claim c is an 837P / 837I void or replacement (CLM05-3 8 or 7)
 * with no tracked line that is not an inpatient 11x bill: one whose
 * verdict is, as a rule, passed without a finding, but which must go
 * through c837_engine_claim in its turn for what it cancels.  Reads e
 * without changing it, like c837_engine_passes.  Never fails. */
int c837_engine_defers(const c837_engine *e, const c837_claim *c);
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
 * C837_MAX_SPLIT_DAYS days, a CODE_FROM on a line that is not split or
 * with a date that is not one); C837_ECLAIM for a claim to fix or hold in a
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
/* What became of the last claim c837_writer_claim took (returned 0 for):
 * C837_DISP_HELD when it went to the held output (its verdict held it,
 * or its fixes could not be applied: claims_unfixable), C837_DISP_FIXED
 * when it went to the corrected output with its fixes, C837_DISP_PASSED
 * when it went there as it came (also a claim of an 837D or non-837 set,
 * whatever its verdict).  What the acknowledgments report (a 277CA
 * rejects exactly the claims held).  C837_DISP_PASSED before any claim. */
c837_disposition c837_writer_disposition(const c837_writer *w);
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

#ifdef __cplusplus
}
#endif
#endif /* CART837_H */
