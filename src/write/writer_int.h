/* writer_int.h -- private interface shared by the writer's files
 *
 * The writer is split by concern:
 *   writer.c        public API, the stack of open envelope / HL nodes,
 *                   the two output views (corrected and held), envelope
 *                   counts, HL renumbering and the HL04 decision;
 *   writer_claim.c  applying a verdict's fixes to one claim;
 *   writer_edit.c   splicing new element values into a segment while
 *                   every other byte is copied through.
 * Nothing here is public; names carry the c837_w prefix.
 */
#ifndef C837_WRITER_INT_H
#define C837_WRITER_INT_H

#include "cart837.h"
#include "base/buf.h"

/* One new element value for c837_w_splice: element idx (1-based) gets
 * p[0..n).  Elements at or below the segment's element count are
 * replaced in place; higher ones are added at the end of the body with
 * empty elements in between. */
typedef struct c837_wrep {
  size_t idx;
  const char *p;
  size_t n;
} c837_wrep;

/* A segment as the splicer sees it: raw bytes (lead, body, terminator,
 * trailing whitespace), where the body ends, and element spans that
 * point into raw (only spans of replaced elements are read). */
typedef struct c837_wsegref {
  const char *raw;
  size_t raw_len;
  size_t body_end; /* lead + body_len */
  size_t n_el;
  const c837_span *el;
  char elsep;
} c837_wsegref;

/* Fills r from a tokenizer segment. */
void c837_w_segref(c837_wsegref *r, const c837_segment *s);

/* Writes into out (cleared first) the segment with the replacements of
 * reps[0..n) applied (sorted by idx, no idx twice).  A replacement equal
 * to the element already there is no change.  Returns the number of
 * elements actually changed (0: out holds the raw bytes unchanged), or
 * -1 when out of memory. */
int c837_w_splice(c837_buf *out, const c837_wsegref *s,
                  const c837_wrep *reps, size_t n);

/* Writes into out (cleared first) the composite element el with its
 * component j (1-based) replaced by v[0..n); missing components are
 * added.  An empty element becomes dflt1 + sep + v (dflt1 is the first
 * component to use when the element was absent, e.g. "HC").  0 or -1. */
int c837_w_comp_replace(c837_buf *out, c837_span el, char sep, size_t j,
                        const char *v, size_t n, const char *dflt1);

/* 1 when span holds only digits 0-9 (at least one) and fits *out. */
int c837_w_span_u64(c837_span s, uint64_t *out);

/* The two output views. */
enum { C837_WV_OUT = 0, C837_WV_HELD = 1, C837_WV_N = 2 };

/* Writes n bytes (holding nsegs segments) to view vi: counted into the
 * open transaction, then to the sink or the HL04 defer buffer.  0 or -1
 * (error recorded in the writer). */
int c837_w_write(c837_writer *w, int vi, const void *p, size_t n,
                 size_t nsegs);
/* Records a sticky error (the first one wins) and returns -1. */
int c837_w_fail(c837_writer *w, c837_status code, uint64_t offset,
                uint64_t segment, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 5, 6)))
#endif
    ;
/* Scratch buffers owned by the writer, for writer_claim.c. */
c837_buf *c837_w_scratch(c837_writer *w, int which);

/* What c837_w_claim_plan found for one fixed claim. */
typedef struct c837_wplan {
  int64_t total;  /* CLM02 after the fixes (when new_total) */
  int new_total;  /* 1: CLM02 must be rewritten to total */
  char why[160];  /* plan returned 1: what cannot be represented */
} c837_wplan;

/* Checks the fixes of v against claim c and computes, with checked
 * arithmetic, CLM02 after them and the shares of every split.  Writes
 * nothing.  Returns 0 (the claim can be written: call c837_w_claim_fixed
 * next, for the same claim, before any other plan), 1 when a value the
 * fixes need cannot be represented in int64 cents (plan->why says which;
 * no error is recorded), or -1 with the error recorded (EINVAL for a fix
 * that does not fit the claim, ENOMEM). */
int c837_w_claim_plan(c837_writer *w, const c837_claim *c,
                      const c837_verdict *v, c837_wplan *plan);

/* Writes claim c to the corrected view with the fixes planned by the
 * c837_w_claim_plan call that returned 0 just before.  0, or -1 with
 * the error recorded (ENOMEM, EIO). */
int c837_w_claim_fixed(c837_writer *w, const c837_claim *c,
                       const c837_wplan *plan);

#endif /* C837_WRITER_INT_H */
