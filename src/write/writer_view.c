/* writer_view.c -- the two output views of the 837 writer
 *
 * A view (corrected or held, writer_int.h) is where the writer's bytes
 * go: its sink, the segment counts of its open transaction / group /
 * interchange, and, while the child code (HL04) of an HL segment is
 * undecided, the defer buffer that holds everything written after that
 * segment (writer.c's design comment says when; writer_node.c decides).
 * The corrected view may also owe an SE and a GE (writer.c's comment):
 * every write to it pays them first.  This file knows the node stack only
 * as data (an HL node's bytes and ids); it calls down to writer_edit.c
 * only.
 */
#include <string.h>

#include "write/writer_int.h"

static int sink_out(c837_writer *w, int vi, const void *p, size_t n)
{
  c837_wview *v = &w->v[vi];
  if (vi == C837_WV_OUT)
    w->st.bytes_out += n;
  if (n == 0 || !v->has_sink)
    return 0;
  if (v->sink.write(v->sink.ud, p, n) != 0)
    return c837_w_fail(w, C837_EIO, 0, 0, "cannot write the %s 837 output",
                       vi == C837_WV_OUT ? "corrected" : "held");
  return 0;
}

/* HL01 of node nd in view vi. */
static c837_span view_id(const c837_wnode *nd, int vi)
{
  c837_span s;
  if (vi == C837_WV_OUT && !nd->renumbered)
    return c837_w_hl_el(nd, 1);
  s.p = nd->v[vi].id;
  s.len = strlen(nd->v[vi].id);
  return s;
}

int c837_w_put_hl(c837_writer *w, int vi, const c837_wnode *nd,
                  const char *hl04, size_t count)
{
  c837_wsegref r;
  c837_span el[4], id, pid;
  c837_wrep reps[3];
  size_t i, n = 0;
  int rc;

  for (i = 0; i < 4; i++)
    el[i] = c837_w_hl_el(nd, i + 1);
  r.raw = nd->bytes.p;
  r.raw_len = nd->first_len;
  r.body_end = nd->body_end;
  r.n_el = nd->n_el;
  r.el = el;
  r.elsep = nd->elsep;
  id = view_id(nd, vi);
  if (nd->parent != C837_W_NONE) {
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

void c837_w_defer(c837_writer *w, int vi, size_t i)
{
  c837_wview *v = &w->v[vi];
  v->tx_segs++;
  v->defer_on = 1;
  v->defer_idx = i;
  v->defer.len = 0;
}

int c837_w_resolve(c837_writer *w, int vi, const char *hl04)
{
  c837_wview *v = &w->v[vi];
  const c837_wnode *nd = &w->nodes[v->defer_idx];
  int rc;
  v->defer_on = 0;
  if (c837_w_put_hl(w, vi, nd, hl04, 0) != 0)
    return -1;
  rc = sink_out(w, vi, v->defer.p, v->defer.len);
  v->defer.len = 0;
  if (v->defer.cap > C837_MAX_HL_DEFER / 4)
    c837_buf_free(&v->defer); /* rare case: give the memory back */
  return rc;
}

static int view_out(c837_writer *w, int vi, const void *p, size_t n)
{
  c837_wview *v = &w->v[vi];
  if (!v->defer_on)
    return sink_out(w, vi, p, n);
  switch (c837_buf_put(&v->defer, p, n)) { /* limit C837_MAX_HL_DEFER */
  case 0:
    return 0;
  case C837_BUF_LIMIT: /* the HL goes out with HL04 unverified, then p */
    w->st.hl04_unverified++;
    if (c837_w_resolve(w, vi, vi == C837_WV_OUT ? NULL : "1") != 0)
      return -1;
    return sink_out(w, vi, p, n);
  default:
    return c837_w_fail(w, C837_ENOMEM, 0, 0, "out of memory");
  }
}

/* Every write to the corrected view but an envelope segment that ends
 * what is owed itself comes through here first. */
int c837_w_pay_owed(c837_writer *w, int at_end)
{
  int k;
  for (k = C837_WO_SE; k <= C837_WO_IEA; k++) {
    if (!w->owed_due[k])
      continue;
    w->owed_due[k] = 0;
    if (at_end && w->owed_weak[k])
      continue;
    if (view_out(w, C837_WV_OUT, w->owed[k].p, w->owed[k].len) != 0)
      return -1;
  }
  return 0;
}

void c837_w_clear_owed(c837_writer *w, int upto)
{
  int k;
  for (k = C837_WO_SE; k <= upto; k++)
    w->owed_due[k] = 0;
}

int c837_w_write(c837_writer *w, int vi, const void *p, size_t n,
                 size_t nsegs)
{
  if (w->err.code != C837_OK)
    return -1;
  if (vi == C837_WV_OUT && c837_w_pay_owed(w, 0) != 0)
    return -1;
  w->v[vi].tx_segs += nsegs;
  if (w->tap_on && vi == C837_WV_OUT)
    (void)w->tap.write(w->tap.ud, p, n); /* writer_tap.h */
  return view_out(w, vi, p, n);
}
