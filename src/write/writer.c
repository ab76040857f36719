/* writer.c -- corrected and held 837 output in one streaming pass
 *
 * The writer receives what the assembler hands out (every non-claim
 * segment with its role, every claim with the engine's verdict) and
 * writes two outputs ("views"):
 *
 *   corrected  the input byte for byte, except the claims that were held
 *              (left out), the claims that were fixed (rewritten by
 *              writer_claim.c) and the counts and ids those changes force;
 *   held       each held claim exactly as it came in, under copies of its
 *              ISA, GS, ST (with header segments) and HL loops, with SE,
 *              GE and IEA built with the right counts and HL ids 1, 2, 3.
 *
 * Memory is bounded by one claim (the assembler's) plus the open
 * "nodes": a stack ISA > GS > ST > HL > HL ... whose raw bytes are kept
 * while they are open.  Each node is written to a view only when
 * something below it needs it there: a kept claim (corrected) or a held
 * claim (held).  A node closed without ever being needed is dropped from
 * the corrected view only when claims below it were held (an HL loop, a
 * transaction or a group left empty by holds); a node that never had
 * claims at all is written as it came, so a file without fixed or held
 * claims comes out byte-identical.
 *
 * A held envelope starts with a copy of the claim's ISA, so that ISA
 * must read back in the held output as it was read in the input
 * (isa_copyable); a claim to hold under one that would not fails with
 * C837_ECLAIM, like a claim outside any ISA / GS / ST.
 *
 * HL ids in the corrected view: new id = old id - HLs dropped before it
 * in the transaction (so untouched loops keep their bytes); parents are
 * mapped through the stack.  In the held view ids are counted 1, 2, 3 as
 * loops are written.  HL04 (child code): when an HL with HL04=1 must be
 * written because a claim directly under it is kept, whether a child HL
 * will follow is not known yet; the HL segment is then held back and
 * everything written after it goes to a bounded defer buffer
 * (C837_MAX_HL_DEFER) until a child HL is written (HL04 stays 1) or the
 * HL closes without one (HL04 becomes 0 when its children were dropped).
 *
 * Counts: each view counts the segments of its open transaction, the
 * transactions of its open group and the groups of its open interchange.
 * A corrected SE / GE / IEA keeps its raw bytes unless something inside
 * changed ("dirty": a transaction rewritten or dropped makes its GE and
 * IEA dirty too); then its count and control number are set where they
 * differ.
 *
 * An SE the input lacked is never added, with one exception: when a
 * transaction written to the corrected view was ended by the segment
 * that opened the next GS or ST (no SE: the input's own ending), and
 * that group or transaction is then dropped because its claims were all
 * held, nothing would end the transaction any more -- the segments after
 * it would fall into it, and an output that ends there reads as cut
 * short.  The writer then owes that transaction an SE (built with its
 * count and ST02, like the held view's): it is written before whatever
 * the corrected view gets next unless that is an ISA, GS or ST (which
 * ends it, as in the input) or an SE, GE or IEA (ditto), and at the end
 * of the output.  An ST the input left open at its very end owes
 * nothing.
 *
 * The stack is W_MAX_NODES deep.  A transaction whose HLs nest deeper
 * than C837_MAX_HL_DEPTH is not rewritten (go_deep): when it is clean,
 * what is pending goes out as it came and the rest of it is copied
 * through; a fixed or held claim in it is refused with C837_ECLAIM.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "write/writer_int.h"
#include "base/limits.h"

enum { WN_ISA, WN_GS, WN_ST, WN_HL };

/* Why a node is written: a claim right under it, a descendant being
 * written, or closing a node that never had claims (pass-through). */
enum { EM_PASS, EM_ANCESTOR, EM_DIRECT };

#define W_MAX_NODES (C837_MAX_HL_DEPTH + 3)
#define W_ID_MAX 24
#define W_NONE ((size_t)-1)

/* State of one node in one view. */
typedef struct wnview {
  int emitted;       /* written to this view */
  int removed;       /* corrected: a claim below it was held */
  int child_emitted; /* HL: a child HL was written */
  int child_dropped; /* HL, corrected: a child HL was dropped */
  char id[W_ID_MAX]; /* HL: HL01 in this view (corrected: only when
                        renumbered; else HL01 as it came) */
} wnview;

/* One open envelope or HL loop. */
typedef struct wnode {
  int type;
  c837_buf bytes;   /* raw bytes: the node's own segment, then the
                        header / loop segments that followed it */
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
  size_t parent; /* stack index of the parent HL, W_NONE */
  wnview v[C837_WV_N];
} wnode;

/* One output. */
typedef struct wview {
  c837_sink sink;
  int has_sink;
  int defer_on;      /* an HL segment is held back (HL04 undecided) */
  size_t defer_idx;  /* its stack index */
  c837_buf defer;   /* bytes written after it */
  uint64_t tx_segs;  /* segments of the open transaction, ST included */
  uint64_t grp_sts;  /* transactions of the open group */
  uint64_t ic_groups; /* groups of the open interchange */
  int tx_dirty, grp_dirty, ic_dirty;
  uint64_t hl_dropped; /* corrected: HLs dropped in the transaction */
  uint64_t hl_seq;     /* held: HLs written in the transaction */
  int term;            /* segment terminator of the last ISA written
                          (-1: none yet) */
} wview;

struct c837_writer {
  wview v[C837_WV_N];
  wnode nodes[W_MAX_NODES];
  size_t depth;
  int deep;      /* the open transaction nests HLs deeper than
                    C837_MAX_HL_DEPTH: copied through as it came */
  c837_error err;
  c837_writer_stats st;
  char ws[64];   /* whitespace after the last segment terminator */
  size_t ws_len;
  int se_due;     /* corrected: se_owed must be written (see above) */
  int ending;     /* finish / raw: what closes now owes no SE */
  c837_buf se_owed; /* the SE the corrected view owes, built */
  c837_buf sbuf; /* segments built by this file */
  c837_buf scratch[4];
};

/* ------------------------------------------------------------------ */
/* Errors and raw output                                               */
/* ------------------------------------------------------------------ */

int c837_w_fail(c837_writer *w, c837_status code, uint64_t offset,
                uint64_t segment, const char *fmt, ...)
{
  va_list ap;
  if (w->err.code != C837_OK)
    return -1;
  w->err.code = code;
  w->err.offset = offset;
  w->err.segment = segment;
  va_start(ap, fmt);
  vsnprintf(w->err.msg, sizeof w->err.msg, fmt, ap);
  va_end(ap);
  return -1;
}

c837_buf *c837_w_scratch(c837_writer *w, int which)
{
  return &w->scratch[which];
}

static int sink_out(c837_writer *w, int vi, const void *p, size_t n)
{
  wview *v = &w->v[vi];
  if (n == 0 || !v->has_sink)
    return 0;
  if (v->sink.write(v->sink.ud, p, n) != 0)
    return c837_w_fail(w, C837_EIO, 0, 0, "cannot write the %s 837 output",
                       vi == C837_WV_OUT ? "corrected" : "held");
  return 0;
}

static int span_is(c837_span s, const char *t)
{
  size_t n = strlen(t);
  return s.len == n && memcmp(s.p, t, n) == 0;
}

static int same_span(c837_span a, c837_span b)
{
  return a.len == b.len && (a.len == 0 || memcmp(a.p, b.p, a.len) == 0);
}

/* ------------------------------------------------------------------ */
/* HL segments and the HL04 defer buffer                               */
/* ------------------------------------------------------------------ */

/* Element i (1-4) of HL node nd, as it came (whole, however long). */
static c837_span hl_el(const wnode *nd, size_t i)
{
  c837_span s;
  s.p = nd->bytes.p + nd->el_off[i - 1];
  s.len = nd->el_len[i - 1];
  return s;
}

/* HL01 of node nd in view vi. */
static c837_span view_id(const wnode *nd, int vi)
{
  c837_span s;
  if (vi == C837_WV_OUT && !nd->renumbered)
    return hl_el(nd, 1);
  s.p = nd->v[vi].id;
  s.len = strlen(nd->v[vi].id);
  return s;
}

/* Writes node nd's HL segment to view vi with the view's id, parent id
 * and child code hl04 (NULL = as it came).  count: segments to count. */
static int put_hl(c837_writer *w, int vi, const wnode *nd, const char *hl04,
                  size_t count)
{
  c837_wsegref r;
  c837_span el[4], id, pid;
  c837_wrep reps[3];
  size_t i, n = 0;
  int rc;

  for (i = 0; i < 4; i++)
    el[i] = hl_el(nd, i + 1);
  r.raw = nd->bytes.p;
  r.raw_len = nd->first_len;
  r.body_end = nd->body_end;
  r.n_el = nd->n_el;
  r.el = el;
  r.elsep = nd->elsep;
  id = view_id(nd, vi);
  if (nd->parent != W_NONE) {
    pid = view_id(&w->nodes[nd->parent], vi);
  } else if (vi == C837_WV_HELD) {
    pid.p = "";
    pid.len = 0;
  } else {
    pid = el[1];
  }
  reps[n].idx = 1;
  reps[n].p = id.p;
  reps[n++].n = id.len;
  reps[n].idx = 2;
  reps[n].p = pid.p;
  reps[n++].n = pid.len;
  if (hl04 != NULL) {
    reps[n].idx = 4;
    reps[n].p = hl04;
    reps[n++].n = strlen(hl04);
  }
  rc = c837_w_splice(&w->sbuf, &r, reps, n);
  if (rc < 0)
    return c837_w_fail(w, C837_ENOMEM, 0, 0, "out of memory");
  if (rc == 0)
    return c837_w_write(w, vi, nd->bytes.p, nd->first_len, count);
  return c837_w_write(w, vi, w->sbuf.p, w->sbuf.len, count);
}

/* Ends the defer of view vi: writes the held-back HL with child code
 * hl04 (NULL: as it came), then everything written since. */
static int resolve(c837_writer *w, int vi, const char *hl04)
{
  wview *v = &w->v[vi];
  const wnode *nd = &w->nodes[v->defer_idx];
  int rc;
  v->defer_on = 0;
  if (put_hl(w, vi, nd, hl04, 0) != 0)
    return -1;
  rc = sink_out(w, vi, v->defer.p, v->defer.len);
  v->defer.len = 0;
  if (v->defer.cap > C837_MAX_HL_DEFER / 4)
    c837_buf_free(&v->defer); /* rare case: give the memory back */
  return rc;
}

static int view_out(c837_writer *w, int vi, const void *p, size_t n)
{
  wview *v = &w->v[vi];
  if (!v->defer_on)
    return sink_out(w, vi, p, n);
  switch (c837_buf_put(&v->defer, p, n)) { /* limit C837_MAX_HL_DEFER */
  case 0:
    return 0;
  case C837_BUF_LIMIT: /* the HL goes out with HL04 unverified, then p */
    w->st.hl04_unverified++;
    if (resolve(w, vi, vi == C837_WV_OUT ? NULL : "1") != 0)
      return -1;
    return sink_out(w, vi, p, n);
  default:
    return c837_w_fail(w, C837_ENOMEM, 0, 0, "out of memory");
  }
}

/* Writes the SE the corrected view owes, if any (see the top comment);
 * every write to the corrected view but an envelope segment that ends
 * the transaction itself comes through here first. */
static int pay_se(c837_writer *w)
{
  if (!w->se_due)
    return 0;
  w->se_due = 0;
  return view_out(w, C837_WV_OUT, w->se_owed.p, w->se_owed.len);
}

int c837_w_write(c837_writer *w, int vi, const void *p, size_t n,
                 size_t nsegs)
{
  if (w->err.code != C837_OK)
    return -1;
  if (vi == C837_WV_OUT && pay_se(w) != 0)
    return -1;
  w->v[vi].tx_segs += nsegs;
  return view_out(w, vi, p, n);
}

/* ------------------------------------------------------------------ */
/* Writing nodes                                                       */
/* ------------------------------------------------------------------ */

static int emit_hl(c837_writer *w, int vi, size_t i, int mode)
{
  wnode *nd = &w->nodes[i];
  wview *v = &w->v[vi];
  const char *hl04 = NULL;
  int orig1 = span_is(hl_el(nd, 4), "1"), defer = 0;

  if (vi == C837_WV_HELD)
    snprintf(nd->v[vi].id, sizeof nd->v[vi].id, "%llu",
             (unsigned long long)++v->hl_seq);
  if (nd->parent != W_NONE)
    w->nodes[nd->parent].v[vi].child_emitted = 1;
  if (vi == C837_WV_OUT) {
    defer = mode == EM_DIRECT && orig1;
  } else if (mode == EM_ANCESTOR) {
    hl04 = "1";
  } else if (orig1) {
    defer = 1;
  } else if (nd->n_el >= 4) {
    hl04 = "0";
  }
  if (defer) {
    v->tx_segs++;
    v->defer_on = 1;
    v->defer_idx = i;
    v->defer.len = 0;
  } else if (put_hl(w, vi, nd, hl04, 1) != 0) {
    return -1;
  }
  return c837_w_write(w, vi, nd->bytes.p + nd->first_len,
                      nd->bytes.len - nd->first_len, nd->nsegs - 1);
}

static int emit_node(c837_writer *w, int vi, size_t i, int mode)
{
  wnode *nd = &w->nodes[i];
  wview *v = &w->v[vi];
  /* every node above a deferred HL is one of its descendants */
  if (v->defer_on && resolve(w, vi, "1") != 0)
    return -1;
  nd->v[vi].emitted = 1;
  if (vi == C837_WV_OUT && nd->type != WN_HL)
    w->se_due = 0; /* an ISA, GS or ST ends it, as in the input */
  switch (nd->type) {
  case WN_ISA:
    v->ic_groups = 0;
    v->term = (unsigned char)nd->segterm;
    break;
  case WN_GS:
    v->ic_groups++;
    v->grp_sts = 0;
    break;
  case WN_ST:
    v->grp_sts++;
    v->tx_segs = 0;
    break;
  default:
    return emit_hl(w, vi, i, mode);
  }
  return c837_w_write(w, vi, nd->bytes.p, nd->bytes.len, nd->nsegs);
}

/* Writes every node up to stack index upto that view vi lacks. */
static int emit_chain(c837_writer *w, int vi, size_t upto, int mode)
{
  size_t j;
  for (j = 0; j <= upto; j++)
    if (!w->nodes[j].v[vi].emitted &&
        emit_node(w, vi, j, j == upto ? mode : EM_ANCESTOR) != 0)
      return -1;
  return 0;
}

/* ------------------------------------------------------------------ */
/* Closing segments                                                    */
/* ------------------------------------------------------------------ */

/* Whitespace to put after a built segment's terminator: the closer's
 * own when it has a terminator, else the last seen. */
static void closer_ws(const c837_writer *w, const c837_segment *closer,
                      const char **p, size_t *n)
{
  size_t be;
  if (closer != NULL) {
    be = closer->lead + closer->body_len;
    if (closer->raw_len > be) {
      *p = closer->raw + be + 1;
      *n = closer->raw_len - be - 1;
      return;
    }
  }
  *p = w->ws;
  *n = w->ws_len;
}

/* The control number of an ISA / GS / ST node, as it came. */
static c837_span node_ctl(const wnode *nd)
{
  c837_span s;
  s.p = nd->bytes.p + nd->ctl_off;
  s.len = nd->ctl_len;
  return s;
}

/* Remembers where element i of s (the node's own segment, at the start
 * of its bytes) is. */
static void set_ctl(wnode *nd, const c837_segment *s, size_t i)
{
  c837_span v = c837_seg_el(s, i);
  nd->ctl_off = v.len ? (size_t)(v.p - s->raw) : 0;
  nd->ctl_len = v.len;
}

/* Builds "TAG*count*ctl~ws" into b (cleared first).  0 or -1 (ENOMEM,
 * recorded). */
static int build_closer(c837_writer *w, c837_buf *b, const char *tag,
                        uint64_t count, const wnode *nd,
                        const c837_segment *closer)
{
  char head[64];
  c837_span ctl = node_ctl(nd);
  const char *ws;
  size_t wsn;
  int len;
  len = snprintf(head, sizeof head, "%s%c%llu%c", tag, nd->elsep,
                 (unsigned long long)count, nd->elsep);
  closer_ws(w, closer, &ws, &wsn);
  b->len = 0;
  if (c837_buf_put(b, head, (size_t)len) != 0 ||
      c837_buf_put(b, ctl.p, ctl.len) != 0 ||
      c837_buf_put(b, &nd->segterm, 1) != 0 ||
      c837_buf_put(b, ws, wsn) != 0)
    return c837_w_fail(w, C837_ENOMEM, 0, 0, "out of memory");
  return 0;
}

/* Builds "TAG*count*ctl~ws" and writes it to view vi. */
static int put_built(c837_writer *w, int vi, const char *tag,
                     uint64_t count, const wnode *nd,
                     const c837_segment *closer, size_t nsegs)
{
  if (build_closer(w, &w->sbuf, tag, count, nd, closer) != 0)
    return -1;
  return c837_w_write(w, vi, w->sbuf.p, w->sbuf.len, nsegs);
}

/* Writes a corrected SE / GE / IEA: raw when clean, else with its count
 * and control number set (only where they differ). */
static int put_closer_out(c837_writer *w, const c837_segment *closer,
                          uint64_t count, const wnode *nd, int dirty,
                          size_t nsegs)
{
  c837_wsegref r;
  c837_wrep reps[2];
  char cnt[32];
  uint64_t have;
  int rc;
  w->se_due = 0; /* an SE, GE or IEA ends the transaction, as in the input */
  if (!dirty)
    return c837_w_write(w, C837_WV_OUT, closer->raw, closer->raw_len, nsegs);
  c837_w_segref(&r, closer);
  snprintf(cnt, sizeof cnt, "%llu", (unsigned long long)count);
  reps[0].idx = 1;
  if (closer->n_el >= 1 && c837_w_span_u64(closer->el[0], &have) &&
      have == count) {
    reps[0].p = closer->el[0].p; /* same number, maybe zero-padded */
    reps[0].n = closer->el[0].len;
  } else {
    reps[0].p = cnt;
    reps[0].n = strlen(cnt);
  }
  reps[1].idx = 2;
  reps[1].p = node_ctl(nd).p;
  reps[1].n = nd->ctl_len;
  rc = c837_w_splice(&w->sbuf, &r, reps, 2);
  if (rc < 0)
    return c837_w_fail(w, C837_ENOMEM, 0, 0, "out of memory");
  if (rc == 0)
    return c837_w_write(w, C837_WV_OUT, closer->raw, closer->raw_len, nsegs);
  return c837_w_write(w, C837_WV_OUT, w->sbuf.p, w->sbuf.len, nsegs);
}

/* Closes the top node; closer is its SE / GE / IEA, or NULL when the
 * input did not close it. */
static int close_top(c837_writer *w, const c837_segment *closer)
{
  size_t i = w->depth - 1;
  wnode *nd = &w->nodes[i];
  wview *o = &w->v[C837_WV_OUT], *h = &w->v[C837_WV_HELD];
  int rc = 0;

  switch (nd->type) {
  case WN_HL:
    if (nd->v[C837_WV_OUT].emitted) {
      if (o->defer_on && o->defer_idx == i)
        rc = resolve(w, C837_WV_OUT,
                     nd->v[C837_WV_OUT].child_dropped ? "0" : NULL);
    } else if (nd->v[C837_WV_OUT].removed) {
      o->hl_dropped++;
      o->tx_dirty = 1;
      w->st.hl_dropped++;
      if (nd->parent != W_NONE)
        w->nodes[nd->parent].v[C837_WV_OUT].child_dropped = 1;
    } else {
      rc = emit_chain(w, C837_WV_OUT, i, EM_PASS);
    }
    if (rc == 0 && nd->v[C837_WV_HELD].emitted && h->defer_on &&
        h->defer_idx == i)
      rc = resolve(w, C837_WV_HELD, "0");
    break;
  case WN_ST:
    w->deep = 0;
    if (!nd->v[C837_WV_OUT].emitted) {
      if (nd->v[C837_WV_OUT].removed) {
        o->grp_dirty = 1;
        w->st.transactions_dropped++;
      } else {
        rc = emit_chain(w, C837_WV_OUT, i, EM_PASS);
      }
    }
    if (rc == 0 && nd->v[C837_WV_OUT].emitted) {
      if (o->tx_dirty) {
        w->st.transactions_rewritten++;
        o->grp_dirty = 1; /* its GE is checked too (a wrong GE01) */
      }
      if (closer != NULL)
        rc = put_closer_out(w, closer, o->tx_segs + 1, nd, o->tx_dirty, 1);
      else if (!w->ending &&
               (rc = build_closer(w, &w->se_owed, "SE", o->tx_segs + 1, nd,
                                  NULL)) == 0)
        w->se_due = 1; /* ended by the next GS / ST: paid if that goes */
    }
    if (rc == 0 && nd->v[C837_WV_HELD].emitted)
      rc = put_built(w, C837_WV_HELD, "SE", h->tx_segs + 1, nd, closer, 1);
    break;
  case WN_GS:
    if (!nd->v[C837_WV_OUT].emitted) {
      if (nd->v[C837_WV_OUT].removed) {
        o->ic_dirty = 1;
        w->st.groups_dropped++;
      } else {
        rc = emit_chain(w, C837_WV_OUT, i, EM_PASS);
      }
    }
    if (rc == 0 && nd->v[C837_WV_OUT].emitted && closer != NULL)
      rc = put_closer_out(w, closer, o->grp_sts, nd, o->grp_dirty, 0);
    if (o->grp_dirty)
      o->ic_dirty = 1; /* and so is its IEA */
    if (rc == 0 && nd->v[C837_WV_HELD].emitted)
      rc = put_built(w, C837_WV_HELD, "GE", h->grp_sts, nd, closer, 0);
    break;
  default: /* WN_ISA: always written to the corrected view */
    if (closer != NULL)
      rc = put_closer_out(w, closer, o->ic_groups, nd, o->ic_dirty, 0);
    if (rc == 0 && nd->v[C837_WV_HELD].emitted)
      rc = put_built(w, C837_WV_HELD, "IEA", h->ic_groups, nd, closer, 0);
    break;
  }
  nd->bytes.len = 0;
  w->depth--;
  return rc;
}

static int close_all(c837_writer *w)
{
  while (w->depth > 0)
    if (close_top(w, NULL) != 0)
      return -1;
  return 0;
}

/* ------------------------------------------------------------------ */
/* Opening nodes                                                       */
/* ------------------------------------------------------------------ */

static wnode *push_node(c837_writer *w, int type, const c837_segment *s)
{
  wnode *nd = &w->nodes[w->depth];
  c837_buf keep = nd->bytes;
  memset(nd, 0, sizeof *nd);
  nd->bytes = keep;
  nd->bytes.len = 0;
  nd->type = type;
  nd->parent = W_NONE;
  if (c837_buf_put(&nd->bytes, s->raw, s->raw_len) != 0) {
    c837_w_fail(w, C837_ENOMEM, s->offset, s->number, "out of memory");
    return NULL;
  }
  nd->nsegs = 1;
  nd->first_len = s->raw_len;
  nd->elsep = s->delims.element;
  nd->segterm = s->delims.segment;
  w->depth++;
  return nd;
}

static int content(c837_writer *w, const c837_segment *s);

/* Adds a header / loop segment to the top node (kept for views that have
 * not written the node yet, written to the corrected view if it has). */
static int append_top(c837_writer *w, const c837_segment *s)
{
  wnode *nd;
  if (w->depth == 0)
    return content(w, s);
  nd = &w->nodes[w->depth - 1];
  if (!nd->v[C837_WV_OUT].emitted || !nd->v[C837_WV_HELD].emitted) {
    if (c837_buf_put(&nd->bytes, s->raw, s->raw_len) != 0)
      return c837_w_fail(w, C837_ECLAIM, s->offset, s->number,
                         "envelope or HL loop header longer than %lu bytes",
                         (unsigned long)C837_MAX_PENDING_BYTES);
    nd->nsegs++;
  }
  if (nd->v[C837_WV_OUT].emitted)
    return c837_w_write(w, C837_WV_OUT, s->raw, s->raw_len, 1);
  return 0;
}

/* A segment that belongs to no claim and no node: everything open is
 * written, then the segment. */
static int content(c837_writer *w, const c837_segment *s)
{
  if (w->depth > 0 && emit_chain(w, C837_WV_OUT, w->depth - 1, EM_PASS))
    return -1;
  return c837_w_write(w, C837_WV_OUT, s->raw, s->raw_len, 1);
}

/* An SE, GE or IEA with no node of its own to close: it ends the
 * transaction the corrected view may owe an SE, as it did in the input
 * (the assembler reads it so), so that SE is not written. */
static int stray_trailer(c837_writer *w, const c837_segment *s)
{
  w->se_due = 0;
  return content(w, s);
}

static int top_is(const c837_writer *w, int type)
{
  return w->depth > 0 && w->nodes[w->depth - 1].type == type;
}

static int on_isa(c837_writer *w, const c837_segment *s)
{
  wnode *nd;
  int vi;
  if (close_all(w) != 0 || (nd = push_node(w, WN_ISA, s)) == NULL)
    return -1;
  set_ctl(nd, s, 13);
  nd->isa_sep = s->body_len > 3 ? (unsigned char)s->raw[s->lead + 3] : -1;
  nd->isa_own = nd->isa_sep == (unsigned char)s->delims.element;
  for (vi = 0; vi < C837_WV_N; vi++) {
    w->v[vi].ic_dirty = 0;
    w->v[vi].ic_groups = 0;
  }
  return emit_node(w, C837_WV_OUT, w->depth - 1, EM_PASS);
}

static int on_gs(c837_writer *w, const c837_segment *s)
{
  wnode *nd;
  int vi;
  while (w->depth > 0 && !top_is(w, WN_ISA))
    if (close_top(w, NULL) != 0)
      return -1;
  if ((nd = push_node(w, WN_GS, s)) == NULL)
    return -1;
  set_ctl(nd, s, 6);
  for (vi = 0; vi < C837_WV_N; vi++) {
    w->v[vi].grp_dirty = 0;
    w->v[vi].grp_sts = 0;
  }
  return 0;
}

static int on_st(c837_writer *w, const c837_segment *s)
{
  wnode *nd;
  int vi;
  while (top_is(w, WN_ST) || top_is(w, WN_HL))
    if (close_top(w, NULL) != 0)
      return -1;
  if ((nd = push_node(w, WN_ST, s)) == NULL)
    return -1;
  set_ctl(nd, s, 2);
  nd->is837 = span_is(c837_seg_el(s, 1), "837");
  for (vi = 0; vi < C837_WV_N; vi++) {
    w->v[vi].tx_dirty = 0;
    w->v[vi].tx_segs = 0;
    w->v[vi].hl_dropped = 0;
    w->v[vi].hl_seq = 0;
  }
  return 0;
}

/* The HL s would nest deeper than C837_MAX_HL_DEPTH.  The writer cannot
 * rewrite such a transaction: when nothing in it was rewritten so far,
 * everything still pending is written as it came and the rest of the
 * transaction is copied through (w->deep, until its ST closes); when a
 * claim in it was already fixed or held, it fails with C837_ECLAIM. */
static int go_deep(c837_writer *w, const c837_segment *s)
{
  wview *o = &w->v[C837_WV_OUT];
  size_t st;
  for (st = 0; st < w->depth && w->nodes[st].type != WN_ST; st++)
    ;
  if (o->tx_dirty ||
      (st < w->depth && w->nodes[st].v[C837_WV_HELD].emitted))
    return c837_w_fail(w, C837_ECLAIM, s->offset, s->number,
                       "HL nesting deeper than %d levels in a transaction "
                       "with a fixed or held claim: cannot rewrite it",
                       C837_MAX_HL_DEPTH);
  /* nothing was dropped or renumbered: the pending HLs go out as they
   * came, and so does an HL04 that was held back */
  if (o->defer_on &&
      resolve(w, C837_WV_OUT, NULL) != 0)
    return -1;
  if (emit_chain(w, C837_WV_OUT, w->depth - 1, EM_PASS) != 0)
    return -1;
  w->deep = 1;
  w->st.transactions_too_deep++;
  return c837_w_write(w, C837_WV_OUT, s->raw, s->raw_len, 1);
}

static int on_hl(c837_writer *w, const c837_segment *s)
{
  c837_span id = c837_seg_el(s, 1), par = c837_seg_el(s, 2);
  wnode *nd;
  size_t parent = W_NONE, i;
  wview *o = &w->v[C837_WV_OUT];
  uint64_t old;

  /* close the loops this HL is not nested in */
  while (top_is(w, WN_HL) &&
         !same_span(par, hl_el(&w->nodes[w->depth - 1], 1)))
    if (close_top(w, NULL) != 0)
      return -1;
  if (w->depth == W_MAX_NODES)
    return go_deep(w, s);
  if (top_is(w, WN_HL) &&
      same_span(par, hl_el(&w->nodes[w->depth - 1], 1)))
    parent = w->depth - 1;
  if ((nd = push_node(w, WN_HL, s)) == NULL)
    return -1;
  nd->parent = parent;
  nd->body_end = s->lead + s->body_len;
  nd->n_el = s->n_el;
  for (i = 0; i < 4 && i < s->n_el; i++) {
    nd->el_off[i] = (size_t)(s->el[i].p - s->raw);
    nd->el_len[i] = s->el[i].len;
  }
  /* HL01 and HL02 are copied from the segment itself when they stay as
   * they came: an id longer than W_ID_MAX is never cut short */
  if (o->hl_dropped > 0 && c837_w_span_u64(id, &old) && old > o->hl_dropped) {
    snprintf(nd->v[C837_WV_OUT].id, sizeof nd->v[C837_WV_OUT].id, "%llu",
             (unsigned long long)(old - o->hl_dropped));
    nd->renumbered = 1;
  }
  return 0;
}

/* ------------------------------------------------------------------ */
/* Public API                                                          */
/* ------------------------------------------------------------------ */

c837_writer *c837_writer_new(const c837_sink *out, const c837_sink *held)
{
  c837_writer *w = calloc(1, sizeof *w);
  size_t i;
  int vi;
  if (w == NULL)
    return NULL;
  if (out != NULL && out->write != NULL) {
    w->v[C837_WV_OUT].sink = *out;
    w->v[C837_WV_OUT].has_sink = 1;
  }
  if (held != NULL && held->write != NULL) {
    w->v[C837_WV_HELD].sink = *held;
    w->v[C837_WV_HELD].has_sink = 1;
  }
  for (i = 0; i < W_MAX_NODES; i++)
    w->nodes[i].bytes.limit = C837_MAX_PENDING_BYTES;
  for (vi = 0; vi < C837_WV_N; vi++) {
    w->v[vi].defer.limit = C837_MAX_HL_DEFER;
    w->v[vi].term = -1;
  }
  return w;
}

int c837_writer_segment(void *ud, const c837_segment *seg, c837_role role,
                        const c837_envelope *env)
{
  c837_writer *w = ud;
  size_t be = seg->lead + seg->body_len;
  (void)env;
  if (w->err.code != C837_OK)
    return -1;
  if (seg->raw_len > be) {
    size_t n = seg->raw_len - be - 1;
    if (n > sizeof w->ws)
      n = sizeof w->ws;
    memcpy(w->ws, seg->raw + be + 1, n);
    w->ws_len = n;
  }
  if (w->deep && (role == C837_ROLE_HL || role == C837_ROLE_HEADER ||
                  role == C837_ROLE_LOOP || role == C837_ROLE_OTHER))
    return c837_w_write(w, C837_WV_OUT, seg->raw, seg->raw_len, 1);
  switch (role) {
  case C837_ROLE_ISA:
    return on_isa(w, seg);
  case C837_ROLE_GS:
    return on_gs(w, seg);
  case C837_ROLE_ST:
    return on_st(w, seg);
  case C837_ROLE_HL:
    return on_hl(w, seg);
  case C837_ROLE_HEADER:
  case C837_ROLE_LOOP:
    return append_top(w, seg);
  case C837_ROLE_SE:
    while (top_is(w, WN_HL))
      if (close_top(w, NULL) != 0)
        return -1;
    return top_is(w, WN_ST) ? close_top(w, seg) : stray_trailer(w, seg);
  case C837_ROLE_GE:
    while (top_is(w, WN_HL) || top_is(w, WN_ST))
      if (close_top(w, NULL) != 0)
        return -1;
    return top_is(w, WN_GS) ? close_top(w, seg) : stray_trailer(w, seg);
  case C837_ROLE_IEA:
    while (w->depth > 0 && !top_is(w, WN_ISA))
      if (close_top(w, NULL) != 0)
        return -1;
    return top_is(w, WN_ISA) ? close_top(w, seg) : stray_trailer(w, seg);
  default: /* C837_ROLE_OTHER */
    if (top_is(w, WN_HL) ||
        (top_is(w, WN_ST) && w->nodes[w->depth - 1].is837))
      return append_top(w, seg);
    return content(w, seg);
  }
}

/* 1 when the ISA of node nd, copied to the held view now, reads back
 * there as the ISA it was in the input (tokenizer.c's rules): it set the
 * delimiters it was read with (an "ISA" cut at the previous
 * interchange's terminator did not, and has no elements), its element
 * separator is not CR or LF (refused at the start of a file), and it is
 * not the terminator of the interchange the held view wrote last (which
 * would cut it there). */
static int isa_copyable(const c837_writer *w, const wnode *nd)
{
  return nd->isa_own && nd->isa_sep != '\r' && nd->isa_sep != '\n' &&
         nd->isa_sep != w->v[C837_WV_HELD].term;
}

/* Writes claim c, as it came, to the held view under copies of what is
 * open, and leaves it out of the corrected view. */
static int hold_claim(c837_writer *w, const c837_claim *c)
{
  size_t j;
  /* the held output needs an ISA, GS and ST to copy */
  if (w->depth < 3 || w->nodes[0].type != WN_ISA ||
      w->nodes[1].type != WN_GS || w->nodes[2].type != WN_ST)
    return c837_w_fail(w, C837_ECLAIM, c->offset, c->number,
                       "claim %s is not inside an ISA / GS / ST envelope: "
                       "it cannot be held in an envelope of its own",
                       c->id);
  if (!w->nodes[0].v[C837_WV_HELD].emitted && !isa_copyable(w, &w->nodes[0]))
    return c837_w_fail(w, C837_ECLAIM, c->offset, c->number,
                       "claim %s: the ISA of its interchange was not read "
                       "as a whole ISA (%s): a held envelope copied from it "
                       "could not be read back",
                       c->id, w->nodes[0].isa_own
                                  ? "its element separator would end it"
                                  : "cut at the previous terminator");
  for (j = 0; j < w->depth; j++)
    w->nodes[j].v[C837_WV_OUT].removed = 1;
  w->v[C837_WV_OUT].tx_dirty = 1;
  if (w->depth > 0 &&
      emit_chain(w, C837_WV_HELD, w->depth - 1, EM_DIRECT) != 0)
    return -1;
  for (j = 0; j < c->n_segs; j++)
    if (c837_w_write(w, C837_WV_HELD, c->segs[j].raw, c->segs[j].raw_len,
                     1) != 0)
      return -1;
  w->st.claims_held++;
  return 0;
}

int c837_writer_claim(c837_writer *w, const c837_claim *c,
                      const c837_verdict *v)
{
  size_t j;
  int untouchable = c->kind == C837_KIND_D || c->kind == C837_KIND_OTHER;
  int held = v != NULL && v->disposition == C837_DISP_HELD && !untouchable;
  int fixed = !held && v != NULL && v->n_fixes > 0 && !untouchable;
  c837_wplan plan;
  if (w->err.code != C837_OK)
    return -1;
  w->st.claims_in++;
  if (w->deep && (held || fixed))
    return c837_w_fail(w, C837_ECLAIM, c->offset, c->number,
                       "claim %s: HL nesting deeper than %d levels: cannot "
                       "%s a claim of this transaction",
                       c->id, C837_MAX_HL_DEPTH, held ? "hold" : "fix");
  if (fixed) {
    int rc = c837_w_claim_plan(w, c, v, &plan);
    if (rc < 0)
      return -1;
    if (rc > 0) {
      /* never a wrong CLM02: the claim is held as it came */
      w->st.claims_unfixable++;
      return hold_claim(w, c);
    }
  }
  if (held)
    return hold_claim(w, c);
  if (!w->deep && w->depth > 0 &&
      emit_chain(w, C837_WV_OUT, w->depth - 1, EM_DIRECT) != 0)
    return -1;
  if (fixed) {
    if (c837_w_claim_fixed(w, c, &plan) != 0)
      return -1;
    w->v[C837_WV_OUT].tx_dirty = 1;
    w->st.claims_fixed++;
  } else {
    /* the claim's segments lie back to back in the assembler's arena:
     * one write per contiguous run */
    for (j = 0; j < c->n_segs;) {
      const char *p = c->segs[j].raw;
      size_t n = c->segs[j].raw_len, k = j + 1;
      while (k < c->n_segs && c->segs[k].raw == p + n)
        n += c->segs[k++].raw_len;
      if (c837_w_write(w, C837_WV_OUT, p, n, k - j) != 0)
        return -1;
      j = k;
    }
  }
  w->st.claims_out++;
  return 0;
}

int c837_writer_raw(void *ud, const void *p, size_t n)
{
  c837_writer *w = ud;
  w->ending = 1;
  if (w->err.code != C837_OK || close_all(w) != 0)
    return -1;
  return c837_w_write(w, C837_WV_OUT, p, n, 0);
}

c837_status c837_writer_finish(c837_writer *w, c837_writer_stats *st,
                               c837_error *err)
{
  w->ending = 1;
  if (w->err.code == C837_OK && close_all(w) == 0 && pay_se(w) == 0 &&
      w->st.claims_in != w->st.claims_out + w->st.claims_held)
    c837_w_fail(w, C837_ECONSERVE, 0, 0,
                "claims in %llu != claims corrected %llu + claims held %llu",
                (unsigned long long)w->st.claims_in,
                (unsigned long long)w->st.claims_out,
                (unsigned long long)w->st.claims_held);
  if (st != NULL)
    *st = w->st;
  if (err != NULL)
    *err = w->err;
  return w->err.code;
}

void c837_writer_free(c837_writer *w)
{
  size_t i;
  int vi;
  if (w == NULL)
    return;
  for (i = 0; i < W_MAX_NODES; i++)
    c837_buf_free(&w->nodes[i].bytes);
  for (vi = 0; vi < C837_WV_N; vi++)
    c837_buf_free(&w->v[vi].defer);
  for (i = 0; i < sizeof w->scratch / sizeof w->scratch[0]; i++)
    c837_buf_free(&w->scratch[i]);
  c837_buf_free(&w->sbuf);
  c837_buf_free(&w->se_owed);
  free(w);
}
