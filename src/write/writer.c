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
 * transaction, a group or an interchange left empty by holds: an ISA /
 * IEA with no group is no interchange a receiver takes); a node that
 * never had claims at all is written as it came, so a file without
 * fixed or held claims comes out byte-identical.  The ISA too is
 * written only when something below it is, so that an interchange all
 * of whose claims are held leaves nothing (stats: interchanges_dropped;
 * bytes_out 0 when nothing at all is left).
 *
 * A held envelope starts with a copy of the claim's ISA, so that ISA
 * must read back in the held output as it was read in the input
 * (isa_copyable); a claim to hold under one that would not is refused
 * with C837_ECLAIM, like a claim outside any ISA / GS / ST.
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
 * Trailers the input lacked (issue 11: what is rewritten is closed).  A
 * transaction, group or interchange written to the corrected view and
 * closed without its SE, GE or IEA gets one built (count and control
 * number, like the held view's) when it is dirty -- rewritten, or a
 * transaction or group in it dropped.  A clean one keeps its bytes, but
 * the view owes it the trailer (writer_node.c's owe, c837_writer.owed):
 * when what ended it in the input goes -- the next ST, GS or ISA
 * dropped because its claims were all held -- nothing would end it any
 * more, the segments after it would fall into it, and an output that
 * ends there reads as cut short.  An owed trailer is written before
 * whatever the corrected view gets next (SE, then GE, then IEA), unless
 * that ends it itself as in the input: an ISA, GS or ST written (the
 * ones each ends), or an SE, GE or IEA as it came; a dirty trailer pays
 * it first (it closes what is inside).  Owed at the input's very end
 * (the input left it open there), a trailer is "weak": written when a
 * dirty trailer follows, not for the end of the output alone -- a clean
 * file left open at its end stays as it came.
 *
 * The stack is C837_W_MAX_NODES deep.  A transaction whose HLs nest
 * deeper than C837_MAX_HL_DEPTH, or whose HL links break the rule of
 * parse/hlcheck.h (c837_writer.hl: the one definition, the assembler's
 * HL01_ORDER / HL02_PARENT), is not rewritten (go_raw): when it is
 * clean, what is pending goes out as it came and the rest of it is
 * copied through; a fixed or held claim in it is refused with
 * C837_ECLAIM, and so is the HL that would go too deep or break the
 * rule after one.
 *
 * Errors come in two kinds.  A refusal (C837_ECLAIM, C837_EINVAL: a
 * claim or segment this writer cannot represent, listed in cart837.h)
 * is decided by checks made before the call changes anything
 * (writer_node.c's segment_refused; at the top of c837_writer_claim,
 * the copied-through-transaction check, c837_w_claim_plan and
 * hold_check).  It
 * records why (c837_w_refuse, read by c837_writer_error) and leaves the
 * writer exactly as it was, so the caller may go on.  Anything else (a
 * sink that fails, out of memory, the conservation check) is sticky
 * (c837_w_fail): the output is no longer whole and every later call
 * fails.  A new refusal must be checked up front like the others, never
 * after a write or a count.
 *
 * The files (writer_int.h has the list): this one is the public API and
 * decides where a claim goes; writer_node.c keeps the node stack and
 * decides HL04 and recounts; writer_claim.c applies fixes; writer_view.c
 * is the two views; writer_edit.c splices elements.
 */
#include <stdlib.h>

#include "write/writer_int.h"
#include "write/writer_tap.h"

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
  for (i = 0; i < C837_W_MAX_NODES; i++)
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
  (void)env;
  if (w->err.code != C837_OK)
    return -1;
  w->refusal.code = C837_OK;
  return c837_w_segment(w, seg, role);
}

/* 1 when the ISA of node nd, copied to the held view now, reads back
 * there as the ISA it was in the input (tokenizer.c's rules): it set the
 * delimiters it was read with (an "ISA" cut at the previous
 * interchange's terminator did not, and has no elements), its element
 * separator is not CR or LF (refused at the start of a file), and it is
 * not the terminator of the interchange the held view wrote last (which
 * would cut it there). */
static int isa_copyable(const c837_writer *w, const c837_wnode *nd)
{
  return nd->isa_own && nd->isa_sep != '\r' && nd->isa_sep != '\n' &&
         nd->isa_sep != w->v[C837_WV_HELD].term;
}

/* Whether claim c can be held: its held envelope copies the open ISA,
 * GS and ST, and that ISA must read back there.  0, or -1 with the
 * refusal recorded (C837_ECLAIM). */
static int hold_check(c837_writer *w, const c837_claim *c)
{
  if (w->depth < 3 || w->nodes[0].type != C837_WN_ISA ||
      w->nodes[1].type != C837_WN_GS || w->nodes[2].type != C837_WN_ST)
    return c837_w_refuse(w, C837_ECLAIM, c->offset, c->number,
                         "claim %s is not inside an ISA / GS / ST envelope: "
                         "it cannot be held in an envelope of its own",
                         c837_w_text(c->id).s);
  if (!w->nodes[0].v[C837_WV_HELD].emitted && !isa_copyable(w, &w->nodes[0]))
    return c837_w_refuse(w, C837_ECLAIM, c->offset, c->number,
                         "claim %s: the ISA of its interchange was not read "
                         "as a whole ISA (%s): a held envelope copied from "
                         "it could not be read back",
                         c837_w_text(c->id).s,
                         w->nodes[0].isa_own
                             ? "its element separator would end it"
                             : "cut at the previous terminator");
  return 0;
}

/* Writes claim c, as it came, to the held view under copies of what is
 * open (hold_check passed), and leaves it out of the corrected view. */
static int hold_claim(c837_writer *w, const c837_claim *c)
{
  size_t j;
  for (j = 0; j < w->depth; j++)
    w->nodes[j].v[C837_WV_OUT].removed = 1;
  w->v[C837_WV_OUT].tx_dirty = 1;
  if (w->depth > 0 &&
      c837_w_emit_chain(w, C837_WV_HELD, w->depth - 1, C837_EM_DIRECT) != 0)
    return -1;
  for (j = 0; j < c->n_segs; j++)
    if (c837_w_write(w, C837_WV_HELD, c->segs[j].raw, c->segs[j].raw_len,
                     1) != 0)
      return -1;
  w->st.claims_held++;
  return 0;
}

/* Writes claim c to the corrected view: with the fixes of plan, or
 * (plan NULL) as it came. */
static int keep_claim(c837_writer *w, const c837_claim *c,
                      const c837_wplan *plan)
{
  size_t j;
  if (!w->deep && w->depth > 0 &&
      c837_w_emit_chain(w, C837_WV_OUT, w->depth - 1, C837_EM_DIRECT) != 0)
    return -1;
  if (plan != NULL) {
    int rc;
    w->tap_on = w->tap.write != NULL;
    rc = c837_w_claim_fixed(w, c, plan);
    w->tap_on = 0;
    if (rc != 0)
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

int c837_writer_claim(c837_writer *w, const c837_claim *c,
                      const c837_verdict *v)
{
  int untouchable = c->kind == C837_KIND_D || c->kind == C837_KIND_OTHER;
  int held = v != NULL && v->disposition == C837_DISP_HELD && !untouchable;
  int fixed = !held && v != NULL && v->n_fixes > 0 && !untouchable;
  int unfixable = 0;
  c837_wplan plan;
  if (w->err.code != C837_OK)
    return -1;
  w->refusal.code = C837_OK;
  /* every refusal is decided here, before anything changes */
  if (w->deep == C837_WD_DEPTH && (held || fixed))
    return c837_w_refuse(w, C837_ECLAIM, c->offset, c->number,
                         "claim %s: HL nesting deeper than %d levels: "
                         "cannot %s a claim of this transaction",
                         c837_w_text(c->id).s, C837_MAX_HL_DEPTH,
                         held ? "hold" : "fix");
  if (w->deep == C837_WD_LINKS && (held || fixed))
    return c837_w_refuse(w, C837_ECLAIM, c->offset, c->number,
                         "claim %s: an HL of its transaction set names no "
                         "HL loop open above it or repeats an HL01 "
                         "(HL02_PARENT, HL01_ORDER): cannot %s a claim of "
                         "this transaction, whose loops could not be "
                         "rebuilt",
                         c837_w_text(c->id).s, held ? "hold" : "fix");
  if (fixed) {
    int rc = c837_w_claim_plan(w, c, v, &plan);
    if (rc < 0)
      return -1;
    /* never a wrong CLM02: a claim whose amounts overflow is held as it
     * came */
    unfixable = rc > 0;
  }
  if ((held || unfixable) && hold_check(w, c) != 0)
    return -1;
  w->st.claims_in++;
  if (unfixable)
    w->st.claims_unfixable++;
  w->last = held || unfixable ? C837_DISP_HELD
            : fixed           ? C837_DISP_FIXED
                              : C837_DISP_PASSED;
  if (held || unfixable)
    return hold_claim(w, c);
  return keep_claim(w, c, fixed ? &plan : NULL);
}

void c837_writer_tap(c837_writer *w, const c837_sink *tap)
{
  if (tap != NULL && tap->write != NULL)
    w->tap = *tap;
  else
    w->tap.write = NULL;
}

int c837_w_raw(void *ud, const void *p, size_t n)
{
  c837_writer *w = ud;
  w->refusal.code = C837_OK;
  w->ending = 1;
  /* the tail ends the output as read: only what is owed to the output
   * before it is written (c837_writer_finish's rule) */
  if (w->err.code != C837_OK || c837_w_close_all(w) != 0 ||
      c837_w_pay_owed(w, 1) != 0)
    return -1;
  return c837_w_write(w, C837_WV_OUT, p, n, 0);
}

c837_status c837_writer_finish(c837_writer *w, c837_writer_stats *st,
                               c837_error *err)
{
  w->ending = 1;
  if (w->err.code == C837_OK && c837_w_close_all(w) == 0 &&
      c837_w_pay_owed(w, 1) == 0 &&
      w->st.claims_in != w->st.claims_out + w->st.claims_held)
    (void)c837_w_fail(w, C837_ECONSERVE, 0, 0,
                      "claims in %llu != claims corrected %llu + claims "
                      "held %llu",
                      (unsigned long long)w->st.claims_in,
                      (unsigned long long)w->st.claims_out,
                      (unsigned long long)w->st.claims_held);
  if (st != NULL)
    *st = w->st;
  if (err != NULL)
    *err = w->err;
  return w->err.code;
}

c837_status c837_writer_error(const c837_writer *w, c837_error *err)
{
  const c837_error *e = w->err.code != C837_OK ? &w->err : &w->refusal;
  if (err != NULL) {
    if (e->code != C837_OK)
      *err = *e;
    else
      c837_error_clear(err);
  }
  return e->code;
}

c837_disposition c837_writer_disposition(const c837_writer *w)
{
  return w->last;
}

void c837_writer_free(c837_writer *w)
{
  size_t i;
  int vi;
  if (w == NULL)
    return;
  for (i = 0; i < C837_W_MAX_NODES; i++)
    c837_buf_free(&w->nodes[i].bytes);
  for (vi = 0; vi < C837_WV_N; vi++)
    c837_buf_free(&w->v[vi].defer);
  for (i = 0; i < sizeof w->scratch / sizeof w->scratch[0]; i++)
    c837_buf_free(&w->scratch[i]);
  c837_buf_free(&w->sbuf);
  for (i = 0; i < sizeof w->owed / sizeof w->owed[0]; i++)
    c837_buf_free(&w->owed[i]);
  free(w);
}
