/* ack_int.h -- what the acknowledgment builders share (ack_x12.c):
 * writing X12 segments with the input's delimiters, the ISA / GS / GE /
 * IEA envelope, the acknowledgment's addresses, date and control
 * numbers, and making input values safe to echo.  Private to
 * src/write/ack*.c.
 */
#ifndef CART837_ACK_INT_H
#define CART837_ACK_INT_H

#include "write/ack.h"

#include <stdint.h>

/* Ends the element list of ack_seg (NULL there is an empty element). */
extern const char ack_end_mark[];
#define ACK_END ack_end_mark

/* Where segments go: a buffer, the delimiters, what follows each
 * terminator, and a segment count (for SE01). */
typedef struct ack_out {
  c837_buf *b;
  c837_delims d;
  char eol[3];
  uint64_t nseg;  /* segments written since the caller last reset it */
  int failed;     /* the buffer could not grow: the output is not whole */
} ack_out;

/* The acknowledgment's own envelope, resolved from the options and the
 * input (ack_env_make). */
typedef struct ack_env {
  c837_delims d;
  char eol[3];
  char sender_qual[4], sender_id[16];     /* ISA05, ISA06 */
  char receiver_qual[4], receiver_id[16]; /* ISA07, ISA08 */
  char gs_sender[16], gs_receiver[16];    /* GS02, GS03 */
  int32_t date;                           /* CCYYMMDD */
  int time;                               /* HHMM */
  char usage;                             /* ISA15 */
} ack_env;

/* Writes one segment: tag, then the elements up to ACK_END (each a
 * const char *; "" or a null const char * is an empty element; trailing
 * empty elements are left out), the
 * terminator and eol.  Values are written as given: callers pass codes,
 * numbers, or values made safe with ack_clean.  Counts it in o->nseg;
 * sets o->failed when the buffer cannot grow. */
void ack_seg(ack_out *o, const char *tag, ...);
/* Joins up to n components with the component separator into dst (size
 * sz), leaving out trailing empty ones (NULL is empty).  Returns dst. */
char *ack_comp(const ack_out *o, char *dst, size_t sz, int n, ...);
/* Copies src into dst (size sz) without the bytes that may not appear
 * in an element of the output (its four delimiters, control characters,
 * DEL), at most max bytes.  Returns dst. */
char *ack_clean(char *dst, size_t sz, const char *src, size_t max,
                const c837_delims *d);
/* 1 when s may be echoed whole into an element of the output: at most
 * max bytes, none a delimiter, a control character or over 0x7e. */
int ack_echoable(const char *s, size_t max, const c837_delims *d);

/* The delimiters of the output from the input's: the same, with a
 * repetition separator chosen when the input has none (a 4010 ISA11 of
 * "U") or one equal to another delimiter. */
c837_delims ack_delims(c837_delims in);
/* Fills *e from the options, the input ISA and (may be NULL) the first
 * input GS of what is acknowledged. */
void ack_env_make(ack_env *e, const c837_ack_options *o,
                  const c837_ack_isa *isa, const c837_ack_gs *gs);
/* The next control number of *counter (1 .. 999999999, then 1 again). */
uint32_t ack_take_control(uint64_t *counter);

/* ISA (106 bytes) and GS of an acknowledgment interchange / group;
 * GE and IEA.  gs_func: "FA" or "HN"; version: GS08. */
void ack_isa(ack_out *o, const ack_env *e, uint32_t control);
void ack_gs(ack_out *o, const ack_env *e, const char *gs_func,
            uint32_t control, const char *version);
void ack_ge(ack_out *o, uint64_t sets, uint32_t control);
void ack_iea(ack_out *o, uint64_t groups, uint32_t control);

/* Validity of input values to echo: CCYYMMDD, YYMMDD (read as 20YY),
 * HHMM; digits only of 1..max. */
int ack_date8_ok(const char *s);
int ack_date6_ok(const char *s);
int ack_time4_ok(const char *s);
int ack_digits_ok(const char *s, size_t max);
/* How an acknowledgment names an input group: its GS06 when that is 1
 * to 9 digits, else "0" (AK102 and the 277CA's traces; X12 type N0 1/9:
 * a GS06 that is not one is never echoed, specs/acks.md). */
const char *ack_gs06(const char *gs06);
/* The same for a set, by its ST02: the value when X12 allows it in
 * AK202 as it is (AN 4/9: c837_x12_string_ok with d, the output's
 * delimiters, and 9 bytes at most), else "0000" (IK5 code 7 then says
 * why; c837_ack_st_read leaves out the trailing blanks past 4); and for an interchange, by
 * its ISA13: the value when it is 9 digits, else "000000000" (the
 * 277CA's 2200A TRN02; no TA1 is written for it, ta1_echoable). */
const char *ack_st02(const char *st02, const c837_delims *d);
const char *ack_isa13(const char *isa13);
/* CCYYMMDD as text into dst (9 bytes). */
void ack_fmt_date8(char *dst, int32_t ymd);

/* Appends the bytes of b to the sink and empties b.  0, or -1 when the
 * sink fails. */
int ack_flush(const c837_sink *s, c837_buf *b);

#endif
