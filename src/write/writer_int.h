/* writer_int.h -- private interface shared by the writer's files
 *
 * The writer is split by concern; calls go one way, down this list:
 *   writer.c        the public API: feeding segments and claims, holding
 *                   a claim, finishing; the design comment of the whole;
 *   writer_node.c   the stack of open envelope / HL nodes: opening and
 *                   closing them, writing them to a view when something
 *                   below needs them, HL renumbering, the HL04 decision,
 *                   SE / GE / IEA recounts;
 *   writer_claim.c  applying a verdict's fixes to one claim;
 *   writer_view.c   the two output views (corrected, held): sinks,
 *                   segment counts, the HL04 defer buffer, the owed SE;
 *   writer_edit.c   splicing new element values into a segment while
 *                   every other byte is copied through.
 * The types below are shared by all of them.  Nothing here is public;
 * names carry the c837_w prefix.
 */
#ifndef C837_WRITER_INT_H
#define C837_WRITER_INT_H

#include "cart837.h"
#include "base/buf.h"
#include "base/err.h"
#include "base/limits.h"
#include "base/util.h"
#include "parse/hlcheck.h"

#include <string.h>

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

/* An input value (a claim id, LX01) for a message, escaped. */
typedef struct c837_wtext {
  char s[96];
} c837_wtext;

/* v escaped as every input value in a message is (c837_excerpt), cut to
 * fit.  Used inline: c837_w_text(c->id).s lives until the end of the full
 * expression. */
static inline c837_wtext c837_w_text(const char *v)
{
  c837_wtext t;
  c837_excerpt(t.s, sizeof t.s, v, strlen(v));
  return t;
}

/* The same for an element as it came. */
static inline c837_wtext c837_w_text_span(c837_span v)
{
  c837_wtext t;
  c837_excerpt(t.s, sizeof t.s, v.p, v.len);
  return t;
}

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

/* ------------------------------------------------------------------ */
/* The writer's state                                                  */
/* ------------------------------------------------------------------ */

/* The two output views. */
enum { C837_WV_OUT = 0, C837_WV_HELD = 1, C837_WV_N = 2 };

/* Kinds of open node. */
enum { C837_WN_ISA, C837_WN_GS, C837_WN_ST, C837_WN_HL };

/* Why a node is written: a claim right under it, a descendant being
 * written, or closing a node that never had claims (pass-through). */
enum { C837_EM_PASS, C837_EM_ANCESTOR, C837_EM_DIRECT };

#define C837_W_MAX_NODES (C837_MAX_HL_DEPTH + 3)
#define C837_W_ID_MAX 24
#define C837_W_NONE ((size_t)-1)

/* State of one node in one view. */
typedef struct c837_wnview {
  int emitted;       /* written to this view */
  int removed;       /* corrected: a claim below it was held */
  int child_emitted; /* HL: a child HL was written */
  int child_dropped; /* HL, corrected: a child HL was dropped */
  char id[C837_W_ID_MAX]; /* HL: HL01 in this view (corrected: only when
                             renumbered; else HL01 as it came) */
} c837_wnview;

/* One open envelope or HL loop. */
typedef struct c837_wnode {
  int type;          /* C837_WN_* */
  c837_buf bytes;    /* raw bytes: the node's own segment, then the
                        header / loop segments that followed it (limit
                        C837_MAX_PENDING_BYTES) */
  size_t nsegs;      /* segments in bytes */
  size_t first_len;  /* bytes of the node's own segment */
  char elsep, segterm;
  size_t ctl_off, ctl_len; /* ISA13 / GS06 / ST02 inside bytes */
  int is837;          /* ST: ST01 is 837 */
  int isa_sep;        /* ISA: the byte after "ISA" (-1: none) */
  int isa_own;        /* ISA: it set the delimiters it was read with */
  /* HL only: where its elements are inside bytes */
  size_t body_end, n_el;
  size_t el_off[4], el_len[4];
  int renumbered; /* corrected: HL01 is v[C837_WV_OUT].id, not as it came */
  size_t parent;  /* stack index of the parent HL, C837_W_NONE */
  c837_wnview v[C837_WV_N];
} c837_wnode;

/* One output. */
typedef struct c837_wview {
  c837_sink sink;
  int has_sink;
  int defer_on;       /* an HL segment is held back (HL04 undecided) */
  size_t defer_idx;   /* its stack index */
  c837_buf defer;     /* bytes written after it (limit C837_MAX_HL_DEFER) */
  uint64_t tx_segs;   /* segments of the open transaction, ST included */
  uint64_t grp_sts;   /* transactions of the open group */
  uint64_t ic_groups; /* groups of the open interchange */
  int tx_dirty, grp_dirty, ic_dirty;
  uint64_t hl_dropped; /* corrected: HLs dropped in the transaction */
  uint64_t hl_seq;     /* held: HLs written in the transaction */
  int term;            /* segment terminator of the last ISA written
                          (-1: none yet) */
} c837_wview;

/* The trailers the corrected view may owe (c837_writer.owed). */
enum { C837_WO_SE = 0, C837_WO_GE = 1, C837_WO_IEA = 2 };

/* Scratch buffers of writer_claim.c. */
enum { C837_WS_SEG, C837_WS_EL, C837_WS_LINES, C837_WS_MAP, C837_WS_N };

/* Why the open transaction is copied through as it came (w->deep). */
enum { C837_WD_NO = 0, C837_WD_DEPTH, C837_WD_LINKS };

struct c837_writer {
  c837_wview v[C837_WV_N];
  c837_wnode nodes[C837_W_MAX_NODES];
  size_t depth;
  int deep;      /* C837_WD_*: the open transaction cannot be rewritten
                    and is copied through as it came: its HLs nest
                    deeper than C837_MAX_HL_DEPTH, or an HL link breaks
                    parse/hlcheck.h's rule */
  c837_hlcheck hl; /* the HL links of the open transaction */
  c837_error err; /* the sticky error */
  c837_error refusal; /* why the current (or last) call was refused */
  c837_writer_stats st;
  c837_disposition last; /* of the last claim taken */
  char ws[64];   /* whitespace after the last segment terminator */
  size_t ws_len;
  /* corrected: the trailers the view owes (writer.c's comment): an SE,
   * a GE, an IEA (C837_WO_*), built when their transaction, group or
   * interchange was written and closed without one */
  c837_buf owed[3];
  int owed_due[3];  /* 1: written before what the view gets next */
  int owed_weak[3]; /* made at the input's very end: not written for
                       the end of the output alone */
  int ending;       /* finish / raw: what closes now is at the end */
  c837_buf sbuf;    /* segments built by writer_node.c / writer_view.c */
  c837_sink tap;    /* writer_tap.h: gets a rewritten claim's bytes */
  int tap_on;       /* 1 while a fixed claim is written */
  c837_buf scratch[C837_WS_N];
};

/* Errors (writer.c's design comment).  A refusal (C837_ECLAIM,
 * C837_EINVAL) is decided by a check made before the call changes
 * anything, and only records why; any other error is sticky. */

/* Records a sticky error in w (C837_EIO, C837_ENOMEM, C837_ECONSERVE;
 * the first one wins: every later call fails) and evaluates to -1. */
#define c837_w_fail(w, code, offset, segment, ...)                         \
  (c837_error_first(&(w)->err, (code), (offset), (segment), __VA_ARGS__), \
   -1)
/* Records why the current call is refused (C837_ECLAIM, C837_EINVAL) and
 * evaluates to -1.  Only before the call has changed anything: the
 * writer stays as it was. */
#define c837_w_refuse(w, code, offset, segment, ...)                       \
  (c837_error_set(&(w)->refusal, (code), (offset), (segment),             \
                  __VA_ARGS__),                                            \
   -1)

/* Element i (1-4) of HL node nd, as it came (whole, however long). */
static inline c837_span c837_w_hl_el(const c837_wnode *nd, size_t i)
{
  c837_span s;
  s.p = nd->bytes.p + nd->el_off[i - 1];
  s.len = nd->el_len[i - 1];
  return s;
}

/* ---- writer.c ------------------------------------------------------ */

/* Bytes the parser could not read (the tail after a fatal error): closes
 * whatever is open (writing what is still pending), then copies p to the
 * corrected output as it is.  May be called several times.  0 or -1
 * (sticky error).  The c837_raw_cb shape.  Used by tests/test_internal_writer.c
 * only: the run layer keeps an unparsed tail in a file of its own, and
 * a library user who wants it in the corrected output gets the same
 * bytes by writing it there after c837_writer_finish. */
int c837_w_raw(void *w, const void *p, size_t n);

/* ---- writer_view.c ------------------------------------------------- */

/* Writes n bytes (holding nsegs segments) to view vi: counted into the
 * open transaction, then to the sink or the HL04 defer buffer (the
 * corrected view pays the SE it owes first).  0 or -1 (error recorded:
 * EIO, ENOMEM). */
int c837_w_write(c837_writer *w, int vi, const void *p, size_t n,
                 size_t nsegs);
/* Writes HL node nd's segment to view vi with the view's id, parent id
 * and child code hl04 (NULL = as it came), counting `count` segments.
 * 0 or -1 (recorded). */
int c837_w_put_hl(c837_writer *w, int vi, const c837_wnode *nd,
                  const char *hl04, size_t count);
/* Holds back the segment of HL node i in view vi (HL04 undecided): it
 * is counted now, and what view vi gets next goes to the defer buffer
 * until c837_w_resolve. */
void c837_w_defer(c837_writer *w, int vi, size_t i);
/* Ends the defer of view vi: writes the held-back HL with child code
 * hl04 (NULL: as it came), then everything written since.  0 or -1. */
int c837_w_resolve(c837_writer *w, int vi, const char *hl04);
/* Writes the trailers the corrected view owes, SE, GE, IEA in that
 * order (writer.c's comment); at_end: for the end of the output (the
 * weak ones are dropped).  0 or -1. */
int c837_w_pay_owed(c837_writer *w, int at_end);
/* Forgets the owed trailers from SE up to `upto` (C837_WO_*): what
 * comes next ends them itself, as in the input. */
void c837_w_clear_owed(c837_writer *w, int upto);

/* ---- writer_node.c ------------------------------------------------- */

/* Feeds one non-claim segment to the node stack (c837_writer_segment
 * without its sticky-error check).  Its refusals are checked before
 * anything changes: an HL that would nest deeper than C837_MAX_HL_DEPTH
 * in a transaction with a fixed or held claim, a segment that would make
 * an envelope or HL loop header longer than C837_MAX_PENDING_BYTES (both
 * C837_ECLAIM).  0, or -1 with the refusal or the sticky error
 * recorded. */
int c837_w_segment(c837_writer *w, const c837_segment *s, c837_role role);
/* Writes every node up to stack index upto that view vi lacks; upto
 * itself for reason mode (C837_EM_*).  0 or -1. */
int c837_w_emit_chain(c837_writer *w, int vi, size_t upto, int mode);
/* Closes every open node.  0 or -1. */
int c837_w_close_all(c837_writer *w);

/* ---- writer_claim.c ------------------------------------------------ */

/* What c837_w_claim_plan found for one fixed claim. */
typedef struct c837_wplan {
  int64_t total;  /* CLM02 after the fixes (when new_total) */
  int new_total;  /* 1: CLM02 must be rewritten to total */
  char why[160];  /* plan returned 1: what cannot be represented */
} c837_wplan;

/* Checks the fixes of v against claim c and computes, with checked
 * arithmetic, CLM02 after them and the shares of every split.  Writes
 * nothing and changes nothing but w's scratch buffers.  Returns 0 (the
 * claim can be written: call c837_w_claim_fixed next, for the same
 * claim, before any other plan), 1 when a value the fixes need cannot be
 * represented in int64 cents (plan->why says which; no error is
 * recorded), or -1: a refusal (C837_EINVAL, a fix that does not fit the
 * claim) or a sticky C837_ENOMEM. */
int c837_w_claim_plan(c837_writer *w, const c837_claim *c,
                      const c837_verdict *v, c837_wplan *plan);

/* Writes claim c to the corrected view with the fixes planned by the
 * c837_w_claim_plan call that returned 0 just before.  0, or -1 with
 * the error recorded (ENOMEM, EIO). */
int c837_w_claim_fixed(c837_writer *w, const c837_claim *c,
                       const c837_wplan *plan);

#endif /* C837_WRITER_INT_H */
