/* writer_node.c -- the writer's stack of open envelope and HL nodes
 *
 * Every non-claim segment lands here (c837_w_segment): an ISA, GS, ST or
 * HL opens a node (closing what it ends), header and loop segments are
 * kept with the node above them, SE / GE / IEA close one.  A node is
 * written to a view only when something below it needs it there
 * (c837_w_emit_chain, from writer.c for a kept or held claim), or when
 * it closes without ever having had claims (pass-through).  Closing a
 * node decides what the corrected view does with it (dropped when claims
 * below it were held, its SE / GE / IEA recounted when dirty) and ends
 * an undecided HL04 (writer.c's design comment has the rules).  Writes
 * go through writer_view.c; segments are rebuilt with writer_edit.c.
 */
#include <stdio.h>
#include <string.h>

#include "write/writer_int.h"

static int same_span(c837_span a, c837_span b)
{
  return a.len == b.len && (a.len == 0 || memcmp(a.p, b.p, a.len) == 0);
}

/* ------------------------------------------------------------------ */
/* Writing nodes                                                       */
/* ------------------------------------------------------------------ */

/* Writes HL node i to view vi and decides its HL04 there: the held view
 * sets 1 above a held claim's loop and 0 below it; an HL that came with
 * HL04=1 and is written for a claim of its own waits (c837_w_defer) for
 * a child HL or its close. */
static int emit_hl(c837_writer *w, int vi, size_t i, int mode)
{
  c837_wnode *nd = &w->nodes[i];
  c837_wview *v = &w->v[vi];
  const char *hl04 = NULL;
  c837_span hl04_in = c837_w_hl_el(nd, 4);
  int orig1 = hl04_in.len == 1 && hl04_in.p[0] == '1', defer = 0;

  if (vi == C837_WV_HELD)
    snprintf(nd->v[vi].id, sizeof nd->v[vi].id, "%llu",
             (unsigned long long)++v->hl_seq);
  if (nd->parent != C837_W_NONE)
    w->nodes[nd->parent].v[vi].child_emitted = 1;
  if (vi == C837_WV_OUT) {
    defer = mode == C837_EM_DIRECT && orig1;
  } else if (mode == C837_EM_ANCESTOR) {
    hl04 = "1";
  } else if (orig1) {
    defer = 1;
  } else if (nd->n_el >= 4) {
    hl04 = "0";
  }
  if (defer)
    c837_w_defer(w, vi, i);
  else if (c837_w_put_hl(w, vi, nd, hl04, 1) != 0)
    return -1;
  return c837_w_write(w, vi, nd->bytes.p + nd->first_len,
                      nd->bytes.len - nd->first_len, nd->nsegs - 1);
}

static int emit_node(c837_writer *w, int vi, size_t i, int mode)
{
  c837_wnode *nd = &w->nodes[i];
  c837_wview *v = &w->v[vi];
  /* every node above a deferred HL is one of its descendants */
  if (v->defer_on && c837_w_resolve(w, vi, "1") != 0)
    return -1;
  nd->v[vi].emitted = 1;
  /* an ST ends an owed SE, a GS an owed SE and GE, an ISA everything
   * owed, as in the input */
  if (vi == C837_WV_OUT && nd->type != C837_WN_HL)
    c837_w_clear_owed(w, nd->type == C837_WN_ST   ? C837_WO_SE
                         : nd->type == C837_WN_GS ? C837_WO_GE
                                                  : C837_WO_IEA);
  switch (nd->type) {
  case C837_WN_ISA:
    v->ic_groups = 0;
    v->term = (unsigned char)nd->segterm;
    break;
  case C837_WN_GS:
    v->ic_groups++;
    v->grp_sts = 0;
    break;
  case C837_WN_ST:
    v->grp_sts++;
    v->tx_segs = 0;
    break;
  default:
    return emit_hl(w, vi, i, mode);
  }
  return c837_w_write(w, vi, nd->bytes.p, nd->bytes.len, nd->nsegs);
}

int c837_w_emit_chain(c837_writer *w, int vi, size_t upto, int mode)
{
  size_t j;
  /* nodes are written from the bottom of the stack up: when upto is
   * written, so is everything below it */
  if (w->nodes[upto].v[vi].emitted)
    return 0;
  for (j = 0; j <= upto; j++)
    if (!w->nodes[j].v[vi].emitted &&
        emit_node(w, vi, j, j == upto ? mode : C837_EM_ANCESTOR) != 0)
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
static c837_span node_ctl(const c837_wnode *nd)
{
  c837_span s;
  s.p = nd->bytes.p + nd->ctl_off;
  s.len = nd->ctl_len;
  return s;
}

/* Remembers where element i of s (the node's own segment, at the start
 * of its bytes) is: the control number the node's SE / GE / IEA repeats,
 * without blanks at either end -- the value the reader compares
 * (envelope.c), and the one a trailer is written with ("ST*837*0001 ~"
 * is closed by "SE*n*0001~": a blank would put SE02 over its length). */
static void set_ctl(c837_wnode *nd, const c837_segment *s, size_t i)
{
  c837_span v = c837_el(s, i);
  while (v.len && v.p[0] == ' ') {
    v.p++;
    v.len--;
  }
  while (v.len && v.p[v.len - 1] == ' ')
    v.len--;
  nd->ctl_off = v.len ? (size_t)(v.p - s->raw) : 0;
  nd->ctl_len = v.len;
}

/* Builds "TAG*count*ctl~ws" into b (cleared first).  0 or -1 (ENOMEM,
 * recorded). */
static int build_closer(c837_writer *w, c837_buf *b, const char *tag,
                        uint64_t count, const c837_wnode *nd,
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
                     uint64_t count, const c837_wnode *nd,
                     const c837_segment *closer, size_t nsegs)
{
  if (build_closer(w, &w->sbuf, tag, count, nd, closer) != 0)
    return -1;
  return c837_w_write(w, vi, w->sbuf.p, w->sbuf.len, nsegs);
}

/* A transaction, group or interchange (k = C837_WO_SE, _GE, _IEA)
 * written to the corrected view and passed through as it came closes
 * without its trailer: the view owes it one, built now, written only
 * when what ends it in the input does not follow (writer.c's comment).
 * 0 or -1. */
static int owe(c837_writer *w, int k, const char *tag, uint64_t count,
               const c837_wnode *nd)
{
  if (build_closer(w, &w->owed[k], tag, count, nd, NULL) != 0)
    return -1;
  w->owed_due[k] = 1;
  w->owed_weak[k] = w->ending;
  return 0;
}

/* Writes a corrected SE / GE / IEA: raw when clean, else with its count
 * and control number set (only where they differ). */
static int put_closer_out(c837_writer *w, const c837_segment *closer,
                          uint64_t count, const c837_wnode *nd, int dirty,
                          size_t nsegs)
{
  c837_wsegref r;
  c837_wrep reps[2];
  char cnt[32];
  uint64_t have;
  int rc;
  if (!dirty) {
    /* an SE, GE or IEA ends what was open, as in the input; a dirty one
     * is rewritten, and what it closes is closed first (c837_w_write
     * pays what is owed) */
    c837_w_clear_owed(w, C837_WO_IEA);
    return c837_w_write(w, C837_WV_OUT, closer->raw, closer->raw_len, nsegs);
  }
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

/* ------------------------------------------------------------------ */
/* Closing nodes                                                       */
/* ------------------------------------------------------------------ */

/* Closes HL node i: ends an HL04 left undecided (0 when its child HLs
 * were dropped in the corrected view, when none was held in the held
 * view), drops it from the corrected view when claims below it were held
 * and nothing of it was written, else writes it as it came. */
static int close_hl(c837_writer *w, size_t i)
{
  c837_wnode *nd = &w->nodes[i];
  c837_wview *o = &w->v[C837_WV_OUT], *h = &w->v[C837_WV_HELD];
  int rc = 0;
  if (nd->v[C837_WV_OUT].emitted) {
    if (o->defer_on && o->defer_idx == i)
      rc = c837_w_resolve(w, C837_WV_OUT,
                          nd->v[C837_WV_OUT].child_dropped ? "0" : NULL);
  } else if (nd->v[C837_WV_OUT].removed) {
    o->hl_dropped++;
    o->tx_dirty = 1;
    w->st.hl_dropped++;
    if (nd->parent != C837_W_NONE)
      w->nodes[nd->parent].v[C837_WV_OUT].child_dropped = 1;
  } else {
    rc = c837_w_emit_chain(w, C837_WV_OUT, i, C837_EM_PASS);
  }
  if (rc == 0 && nd->v[C837_WV_HELD].emitted && h->defer_on &&
      h->defer_idx == i)
    rc = c837_w_resolve(w, C837_WV_HELD, "0");
  return rc;
}

/* ST or GS node i closes: when the corrected view has not written it,
 * it is dropped if a claim below it was held (the trailer of what
 * encloses it becomes dirty, *dropped counts it), else written as it
 * came.  0 or -1. */
static int drop_or_pass(c837_writer *w, size_t i, int *enclosing_dirty,
                        uint64_t *dropped)
{
  const c837_wnview *o = &w->nodes[i].v[C837_WV_OUT];
  if (o->emitted)
    return 0;
  if (o->removed) {
    *enclosing_dirty = 1;
    (*dropped)++;
    return 0;
  }
  return c837_w_emit_chain(w, C837_WV_OUT, i, C837_EM_PASS);
}

/* Closes ST node i with its SE closer (NULL: the input has none there:
 * a rewritten transaction gets one built, a transaction passed through
 * as it came owes one unless the output ends). */
static int close_st(c837_writer *w, size_t i, const c837_segment *closer)
{
  c837_wnode *nd = &w->nodes[i];
  c837_wview *o = &w->v[C837_WV_OUT], *h = &w->v[C837_WV_HELD];
  int rc;
  w->deep = C837_WD_NO;
  rc = drop_or_pass(w, i, &o->grp_dirty, &w->st.transactions_dropped);
  if (rc == 0 && nd->v[C837_WV_OUT].emitted) {
    if (o->tx_dirty) {
      w->st.transactions_rewritten++;
      o->grp_dirty = 1; /* its GE is checked too (a wrong GE01) */
    }
    if (closer != NULL)
      rc = put_closer_out(w, closer, o->tx_segs + 1, nd, o->tx_dirty, 1);
    else if (o->tx_dirty) /* close what is rewritten */
      rc = put_built(w, C837_WV_OUT, "SE", o->tx_segs + 1, nd, NULL, 1);
    else
      rc = owe(w, C837_WO_SE, "SE", o->tx_segs + 1, nd);
  }
  if (rc == 0 && nd->v[C837_WV_HELD].emitted)
    rc = put_built(w, C837_WV_HELD, "SE", h->tx_segs + 1, nd, closer, 1);
  return rc;
}

/* Closes GS node i with its GE closer (NULL: none in the input). */
static int close_gs(c837_writer *w, size_t i, const c837_segment *closer)
{
  c837_wnode *nd = &w->nodes[i];
  c837_wview *o = &w->v[C837_WV_OUT], *h = &w->v[C837_WV_HELD];
  int rc = drop_or_pass(w, i, &o->ic_dirty, &w->st.groups_dropped);
  if (rc == 0 && nd->v[C837_WV_OUT].emitted && closer != NULL)
    rc = put_closer_out(w, closer, o->grp_sts, nd, o->grp_dirty, 0);
  else if (rc == 0 && nd->v[C837_WV_OUT].emitted && o->grp_dirty)
    rc = put_built(w, C837_WV_OUT, "GE", o->grp_sts, nd, NULL, 0);
  else if (rc == 0 && nd->v[C837_WV_OUT].emitted)
    rc = owe(w, C837_WO_GE, "GE", o->grp_sts, nd);
  if (o->grp_dirty)
    o->ic_dirty = 1; /* and so is its IEA */
  if (rc == 0 && nd->v[C837_WV_HELD].emitted)
    rc = put_built(w, C837_WV_HELD, "GE", h->grp_sts, nd, closer, 0);
  return rc;
}

/* Closes ISA node i with its IEA closer (NULL: none in the input).  The
 * corrected view drops an interchange none of whose groups it wrote
 * when claims below it were held (an ISA / IEA with no group is no
 * interchange a receiver takes), else writes it as it came. */
static int close_isa(c837_writer *w, size_t i, const c837_segment *closer)
{
  c837_wnode *nd = &w->nodes[i];
  c837_wview *o = &w->v[C837_WV_OUT], *h = &w->v[C837_WV_HELD];
  int rc = 0;
  if (!nd->v[C837_WV_OUT].emitted) {
    if (nd->v[C837_WV_OUT].removed)
      w->st.interchanges_dropped++;
    else
      rc = c837_w_emit_chain(w, C837_WV_OUT, i, C837_EM_PASS);
  }
  if (rc == 0 && nd->v[C837_WV_OUT].emitted && closer != NULL)
    rc = put_closer_out(w, closer, o->ic_groups, nd, o->ic_dirty, 0);
  else if (rc == 0 && nd->v[C837_WV_OUT].emitted && o->ic_dirty)
    rc = put_built(w, C837_WV_OUT, "IEA", o->ic_groups, nd, NULL, 0);
  else if (rc == 0 && nd->v[C837_WV_OUT].emitted)
    rc = owe(w, C837_WO_IEA, "IEA", o->ic_groups, nd);
  if (rc == 0 && nd->v[C837_WV_HELD].emitted)
    rc = put_built(w, C837_WV_HELD, "IEA", h->ic_groups, nd, closer, 0);
  return rc;
}

/* Closes the top node; closer is its SE / GE / IEA, or NULL when the
 * input did not close it. */
static int close_top(c837_writer *w, const c837_segment *closer)
{
  size_t i = w->depth - 1;
  int rc;
  switch (w->nodes[i].type) {
  case C837_WN_HL:
    rc = close_hl(w, i);
    break;
  case C837_WN_ST:
    rc = close_st(w, i, closer);
    break;
  case C837_WN_GS:
    rc = close_gs(w, i, closer);
    break;
  default:
    rc = close_isa(w, i, closer);
    break;
  }
  w->nodes[i].bytes.len = 0;
  w->depth--;
  return rc;
}

int c837_w_close_all(c837_writer *w)
{
  while (w->depth > 0)
    if (close_top(w, NULL) != 0)
      return -1;
  return 0;
}

/* ------------------------------------------------------------------ */
/* Opening nodes                                                       */
/* ------------------------------------------------------------------ */

static c837_wnode *push_node(c837_writer *w, int type, const c837_segment *s)
{
  c837_wnode *nd = &w->nodes[w->depth];
  c837_buf keep = nd->bytes;
  memset(nd, 0, sizeof *nd);
  nd->bytes = keep;
  nd->bytes.len = 0;
  nd->type = type;
  nd->parent = C837_W_NONE;
  if (c837_buf_put(&nd->bytes, s->raw, s->raw_len) != 0) {
    (void)c837_w_fail(w, C837_ENOMEM, s->offset, s->number,
                      "out of memory");
    return NULL;
  }
  nd->nsegs = 1;
  nd->first_len = s->raw_len;
  nd->elsep = s->delims.element;
  nd->segterm = s->delims.segment;
  w->depth++;
  return nd;
}

/* A segment that belongs to no claim and no node: everything open is
 * written, then the segment. */
static int content(c837_writer *w, const c837_segment *s)
{
  if (w->depth > 0 &&
      c837_w_emit_chain(w, C837_WV_OUT, w->depth - 1, C837_EM_PASS))
    return -1;
  return c837_w_write(w, C837_WV_OUT, s->raw, s->raw_len, 1);
}

/* Adds a header / loop segment to the top node (kept for views that have
 * not written the node yet, written to the corrected view if it has). */
static int append_top(c837_writer *w, const c837_segment *s)
{
  c837_wnode *nd;
  if (w->depth == 0)
    return content(w, s);
  nd = &w->nodes[w->depth - 1];
  if (!nd->v[C837_WV_OUT].emitted || !nd->v[C837_WV_HELD].emitted) {
    /* within C837_MAX_PENDING_BYTES: segment_refused */
    if (c837_buf_put(&nd->bytes, s->raw, s->raw_len) != 0)
      return c837_w_fail(w, C837_ENOMEM, s->offset, s->number,
                         "out of memory");
    nd->nsegs++;
  }
  if (nd->v[C837_WV_OUT].emitted)
    return c837_w_write(w, C837_WV_OUT, s->raw, s->raw_len, 1);
  return 0;
}

/* An SE, GE or IEA with no node of its own to close: it ends what the
 * corrected view may owe a trailer, as it did in the input (the
 * assembler reads it so), so that trailer is not written. */
static int stray_trailer(c837_writer *w, const c837_segment *s)
{
  c837_w_clear_owed(w, C837_WO_IEA);
  return content(w, s);
}

static int top_is(const c837_writer *w, int type)
{
  return w->depth > 0 && w->nodes[w->depth - 1].type == type;
}

/* 1 when a segment of role OTHER belongs to the top node's loop or
 * header (an HL, or an 837 ST), 0 when it is content of its own. */
static int other_appends(const c837_writer *w)
{
  return top_is(w, C837_WN_HL) ||
         (top_is(w, C837_WN_ST) && w->nodes[w->depth - 1].is837);
}

/* 1 when the open transaction has a fixed or held claim: rewritten in
 * the corrected view or copied to the held one. */
static int tx_rewritten(const c837_writer *w)
{
  size_t st;
  for (st = 0; st < w->depth && w->nodes[st].type != C837_WN_ST; st++)
    ;
  return w->v[C837_WV_OUT].tx_dirty ||
         (st < w->depth && w->nodes[st].v[C837_WV_HELD].emitted);
}

static int on_isa(c837_writer *w, const c837_segment *s)
{
  c837_wnode *nd;
  int vi;
  if (c837_w_close_all(w) != 0 ||
      (nd = push_node(w, C837_WN_ISA, s)) == NULL)
    return -1;
  set_ctl(nd, s, 13);
  nd->isa_sep = s->body_len > 3 ? (unsigned char)s->raw[s->lead + 3] : -1;
  nd->isa_own = nd->isa_sep == (unsigned char)s->delims.element;
  for (vi = 0; vi < C837_WV_N; vi++) {
    w->v[vi].ic_dirty = 0;
    w->v[vi].ic_groups = 0;
  }
  /* written when something below it is (an interchange whose groups
   * are all dropped is dropped whole: close_isa) */
  return 0;
}

static int on_gs(c837_writer *w, const c837_segment *s)
{
  c837_wnode *nd;
  int vi;
  while (w->depth > 0 && !top_is(w, C837_WN_ISA))
    if (close_top(w, NULL) != 0)
      return -1;
  if ((nd = push_node(w, C837_WN_GS, s)) == NULL)
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
  c837_wnode *nd;
  int vi;
  while (top_is(w, C837_WN_ST) || top_is(w, C837_WN_HL))
    if (close_top(w, NULL) != 0)
      return -1;
  if ((nd = push_node(w, C837_WN_ST, s)) == NULL)
    return -1;
  set_ctl(nd, s, 2);
  nd->is837 = c837_span_eq(c837_el(s, 1), "837");
  for (vi = 0; vi < C837_WV_N; vi++) {
    w->v[vi].tx_dirty = 0;
    w->v[vi].tx_segs = 0;
    w->v[vi].hl_dropped = 0;
    w->v[vi].hl_seq = 0;
  }
  c837_hlcheck_reset(&w->hl);
  return 0;
}

/* The HL s would nest deeper than C837_MAX_HL_DEPTH (why =
 * C837_WD_DEPTH), or its link breaks parse/hlcheck.h's rule (why =
 * C837_WD_LINKS).  The writer cannot rewrite such a transaction: as
 * nothing in it was rewritten so far (else segment_refused refused s),
 * everything still pending is written as it came and the rest of the
 * transaction is copied through (w->deep, until its ST closes). */
static int go_raw(c837_writer *w, const c837_segment *s, int why)
{
  c837_wview *o = &w->v[C837_WV_OUT];
  /* nothing was dropped or renumbered: the pending HLs go out as they
   * came, and so does an HL04 that was held back */
  if (o->defer_on && c837_w_resolve(w, C837_WV_OUT, NULL) != 0)
    return -1;
  if (w->depth > 0 &&
      c837_w_emit_chain(w, C837_WV_OUT, w->depth - 1, C837_EM_PASS) != 0)
    return -1;
  w->deep = why;
  if (why == C837_WD_DEPTH)
    w->st.transactions_too_deep++;
  else
    w->st.transactions_hl_invalid++;
  return c837_w_write(w, C837_WV_OUT, s->raw, s->raw_len, 1);
}

static int on_hl(c837_writer *w, const c837_segment *s)
{
  c837_span id = c837_el(s, 1), par = c837_el(s, 2);
  c837_wnode *nd;
  size_t parent = C837_W_NONE, i;
  c837_wview *o = &w->v[C837_WV_OUT];
  uint64_t old;

  /* close the loops this HL is not nested in */
  while (top_is(w, C837_WN_HL) &&
         !same_span(par, c837_w_hl_el(&w->nodes[w->depth - 1], 1)))
    if (close_top(w, NULL) != 0)
      return -1;
  if (w->depth == C837_W_MAX_NODES)
    return go_raw(w, s, C837_WD_DEPTH);
  if (top_is(w, C837_WN_HL) &&
      same_span(par, c837_w_hl_el(&w->nodes[w->depth - 1], 1)))
    parent = w->depth - 1;
  if ((nd = push_node(w, C837_WN_HL, s)) == NULL)
    return -1;
  nd->parent = parent;
  nd->body_end = s->lead + s->body_len;
  nd->n_el = s->n_el;
  for (i = 0; i < 4 && i < s->n_el; i++) {
    nd->el_off[i] = (size_t)(s->el[i].p - s->raw);
    nd->el_len[i] = s->el[i].len;
  }
  /* HL01 and HL02 are copied from the segment itself when they stay as
   * they came: an id longer than C837_W_ID_MAX is never cut short */
  if (o->hl_dropped > 0 && c837_w_span_u64(id, &old) && old > o->hl_dropped) {
    snprintf(nd->v[C837_WV_OUT].id, sizeof nd->v[C837_WV_OUT].id, "%llu",
             (unsigned long long)(old - o->hl_dropped));
    nd->renumbered = 1;
  }
  return 0;
}

/* The refusals of a segment (c837_w_segment's contract), checked
 * before anything changes.  0, or -1 with the refusal recorded. */
static int segment_refused(c837_writer *w, const c837_segment *s,
                           c837_role role)
{
  const c837_wnode *top = w->depth ? &w->nodes[w->depth - 1] : NULL;
  switch (role) {
  case C837_ROLE_HL:
    if (c837_hlcheck_test(&w->hl, c837_el(s, 1), c837_el(s, 2)) &&
        tx_rewritten(w))
      return c837_w_refuse(w, C837_ECLAIM, s->offset, s->number,
                           "HL*%s*%s names no HL loop open above it or "
                           "repeats an HL01 (HL02_PARENT, HL01_ORDER), in "
                           "a transaction with a fixed or held claim: "
                           "cannot rewrite it",
                           c837_w_text_span(c837_el(s, 1)).s,
                           c837_w_text_span(c837_el(s, 2)).s);
    /* on_hl closes no loop before it goes deep: the stack is full only
     * when the top is not a loop this HL ends, so this state is the one
     * go_raw would see */
    if (w->depth == C837_W_MAX_NODES &&
        !(top->type == C837_WN_HL &&
          !same_span(c837_el(s, 2), c837_w_hl_el(top, 1))) &&
        tx_rewritten(w))
      return c837_w_refuse(w, C837_ECLAIM, s->offset, s->number,
                           "HL nesting deeper than %d levels in a "
                           "transaction with a fixed or held claim: cannot "
                           "rewrite it",
                           C837_MAX_HL_DEPTH);
    return 0;
  case C837_ROLE_OTHER:
    if (!other_appends(w))
      return 0;
    /* else kept with the top node, as a loop segment is */
    /* fall through */
  case C837_ROLE_HEADER:
  case C837_ROLE_LOOP:
    /* append_top keeps it while a view has not written the node */
    if (top != NULL &&
        (!top->v[C837_WV_OUT].emitted || !top->v[C837_WV_HELD].emitted) &&
        s->raw_len > C837_MAX_PENDING_BYTES - top->bytes.len)
      return c837_w_refuse(w, C837_ECLAIM, s->offset, s->number,
                           "envelope or HL loop header longer than %lu "
                           "bytes",
                           (unsigned long)C837_MAX_PENDING_BYTES);
    return 0;
  default:
    return 0;
  }
}

/* Remembers the whitespace after s's terminator, for the segments built
 * later (closer_ws). */
static void note_ws(c837_writer *w, const c837_segment *s)
{
  size_t be = s->lead + s->body_len, n;
  if (s->raw_len > be) {
    n = s->raw_len - be - 1;
    if (n > sizeof w->ws)
      n = sizeof w->ws;
    memcpy(w->ws, s->raw + be + 1, n);
    w->ws_len = n;
  }
}

int c837_w_segment(c837_writer *w, const c837_segment *s, c837_role role)
{
  if (w->deep && (role == C837_ROLE_HL || role == C837_ROLE_HEADER ||
                  role == C837_ROLE_LOOP || role == C837_ROLE_OTHER)) {
    note_ws(w, s); /* the transaction is copied through */
    return c837_w_write(w, C837_WV_OUT, s->raw, s->raw_len, 1);
  }
  if (segment_refused(w, s, role) != 0)
    return -1;
  note_ws(w, s);
  switch (role) {
  case C837_ROLE_ISA:
    return on_isa(w, s);
  case C837_ROLE_GS:
    return on_gs(w, s);
  case C837_ROLE_ST:
    return on_st(w, s);
  case C837_ROLE_HL:
    /* an HL whose link breaks the rule (hlcheck.h): the transaction is
     * copied through as it came; else it is taken in */
    if (c837_hlcheck_take(&w->hl, c837_el(s, 1), c837_el(s, 2)))
      return go_raw(w, s, C837_WD_LINKS);
    return on_hl(w, s);
  case C837_ROLE_HEADER:
  case C837_ROLE_LOOP:
    return append_top(w, s);
  case C837_ROLE_SE:
    while (top_is(w, C837_WN_HL))
      if (close_top(w, NULL) != 0)
        return -1;
    return top_is(w, C837_WN_ST) ? close_top(w, s) : stray_trailer(w, s);
  case C837_ROLE_GE:
    while (top_is(w, C837_WN_HL) || top_is(w, C837_WN_ST))
      if (close_top(w, NULL) != 0)
        return -1;
    return top_is(w, C837_WN_GS) ? close_top(w, s) : stray_trailer(w, s);
  case C837_ROLE_IEA:
    while (w->depth > 0 && !top_is(w, C837_WN_ISA))
      if (close_top(w, NULL) != 0)
        return -1;
    return top_is(w, C837_WN_ISA) ? close_top(w, s) : stray_trailer(w, s);
  default: /* C837_ROLE_OTHER */
    return other_appends(w) ? append_top(w, s) : content(w, s);
  }
}
