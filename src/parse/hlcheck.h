/* hlcheck.h -- private: the one definition of a sound HL link
 *
 * The HL segments of an 837 transaction set build its hierarchy: HL01
 * numbers each loop, HL02 names the loop it is nested in (empty for a
 * top-level loop).  The 837 guides number the loops 1, 2, 3 ... in each
 * transaction set and put every loop right after its parent or a
 * sibling, so that the parent an HL02 names is always a loop still open
 * above it.  Two stages depend on that, and both ask this file:
 *   - the assembler (assembler.c) reports an HL that breaks it
 *     (HL01_ORDER, HL02_PARENT);
 *   - the writer (src/write/writer_node.c) renumbers HL01 (new id = old
 *     id less the loops dropped before it) and finds each HL's parent
 *     on its stack of open loops: it refuses to rewrite a transaction
 *     set whose links break it (C837_ECLAIM) and copies a clean one
 *     through as it came.
 * The rule, checked HL by HL in input order:
 *   - HL01 is a number (digits only, at most 18) above the HL01 of the
 *     HL before it in the transaction set (a repeated HL01 is not);
 *   - HL02 is empty, or exactly (byte for byte, as the writer compares
 *     it) the HL01 of a loop open above this one: not the HL itself, not
 *     a later HL, not a loop a sibling has closed.
 * A transaction set whose HLs nest deeper than C837_MAX_HL_DEPTH is not
 * checked past that depth (the writer copies such a set through).
 * Not part of the public interface.
 */
#ifndef CART837_HLCHECK_H
#define CART837_HLCHECK_H

#include "cart837.h"
#include "base/limits.h"

#include <stddef.h>
#include <stdint.h>

/* HL01 digits kept per open loop: a longer HL01 is not a number the
 * rule accepts. */
#define C837_HL_ID_DIGITS 18

/* What is wrong with one HL (c837_hlcheck_test): a set of these bits,
 * 0 when the link is sound. */
enum {
  C837_HL_BAD_ID = 1,     /* HL01 not a number above the HL01 before */
  C837_HL_NOT_NUMBER = 2, /* ... HL01 is not a number at all */
  C837_HL_BAD_PARENT = 4, /* HL02 names no loop open above the HL */
  C837_HL_SELF = 8,       /* ... it names the HL itself */
  C837_HL_LATER = 16      /* ... it names a number above HL01 */
};

/* The open loops of one transaction set.  Set to {0} (or reset) for a
 * new transaction set. */
typedef struct c837_hlcheck {
  uint64_t last;     /* HL01 of the last HL, as a number */
  int have_last;     /* an HL with a numeric HL01 was seen */
  int deep;          /* nesting passed C837_MAX_HL_DEPTH: not checked */
  size_t depth;      /* open loops */
  /* HL01 of each open loop: its value and length when it is a number
   * (digits only, as the rule wants), else len 0 and no HL02 names it */
  uint64_t val[C837_MAX_HL_DEPTH];
  unsigned char len[C837_MAX_HL_DEPTH];
} c837_hlcheck;

/* Forgets every loop: a new transaction set. */
void c837_hlcheck_reset(c837_hlcheck *h);
/* What is wrong with the HL whose HL01 and HL02 are hl01 and hl02 (the
 * elements as written, untrimmed), given the loops open before it: 0 or
 * a set of C837_HL_* bits.  Changes nothing. */
unsigned c837_hlcheck_test(const c837_hlcheck *h, c837_span hl01,
                           c837_span hl02);
/* c837_hlcheck_test, then c837_hlcheck_push, in one pass (the
 * assembler's).  Returns what c837_hlcheck_test returns. */
unsigned c837_hlcheck_take(c837_hlcheck *h, c837_span hl01, c837_span hl02);
/* Takes the HL in: closes the loops it is not nested in and opens its
 * own.  After a bad link the HL is taken as it can be, so that the HLs
 * after it are judged on their own: a bad parent makes it top-level,
 * and the number HL01 must pass stays the highest HL01 seen (every HL01
 * at or below it is a repeat or out of order). */
void c837_hlcheck_push(c837_hlcheck *h, c837_span hl01, c837_span hl02);

#endif
