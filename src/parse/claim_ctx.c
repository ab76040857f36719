/* claim_ctx.c -- the claim's context in the claim model: HI code lists,
 * notes, drug loops, and what is settled when the claim ends
 *
 * claim.c reads the claim's identity, lines, units and dates; this file
 * reads what the edits need to judge them in context:
 *
 *   2300 HI    every composite (C022) whose qualifier C837_HI_MAP knows,
 *              into its list: dx (diagnoses), px (procedures), cond
 *              (condition codes), value (value codes); the code as
 *              written, a D8 date (C022-3/-4, the procedures'), an amount
 *              (C022-5, the value codes': cents, and as written) and
 *              present on admission (C022-9).  HI segments repeat, each
 *              with up to 12 composites; the lists keep input order.
 *   2300 NTE   qualifier and text.
 *   2410 LIN   a drug loop of the line it follows: LIN02 qualifier,
 *              LIN03 id (N4: the NDC); its CTP: quantity (CTP04) and
 *              unit (CTP05-1).
 *
 * claim.c hands over only the segments of the claim's own loops: never
 * the other payers' 2320/2330 loops (AS_COB) nor a line's 2430 (after
 * SVD).  When the claim ends, c837_ctx_settle points the claim at the
 * lists, gives each line its drugs (the drugs are stored line by line, so
 * each line's are a slice), the place of service (837P: CLM05-1, which a
 * line's SV105 overrides) and the patient's birth date and gender
 * (2010CA when there is a patient loop, else 2010BA).
 *
 * Bounds: the HI lists and the notes are arrays of the assembler
 * (C837_MAX_CLAIM_HI_CODES, C837_MAX_CLAIM_NOTES), the drugs a vector of
 * at most C837_MAX_LINE_DRUGS a line (base/limits.h).  A segment with
 * something past a bound is reported (CLAIM_MODEL_LIMIT, naming how
 * much), and what is past it is passed through unread: never a crash,
 * never a silent drop.  Nothing here changes a byte of the claim.
 */
#include "parse/assembler_int.h"
#include "base/util.h"

#include <stdlib.h>
#include <string.h>

/* The fields settled with a plain memcpy have the same size. */
_Static_assert(sizeof((c837_claim *)0)->pos ==
                       sizeof((c837_claim *)0)->facility &&
                   sizeof((c837_line *)0)->pos ==
                       sizeof((c837_claim *)0)->pos &&
                   sizeof((c837_claim *)0)->patient_gender ==
                       sizeof((c837_party *)0)->gender,
               "settled fields differ in size");
_Static_assert(sizeof((c837_assembler *)0)->sbr09 ==
                       sizeof((c837_claim *)0)->filing &&
                   sizeof((c837_assembler *)0)->sbr01 ==
                       sizeof((c837_claim *)0)->payer_resp,
               "SBR fields differ in size");

/* The lists of C837_HI_MAP, in the order of a->hi[]. */
enum hi_list { LIST_DX, LIST_PX, LIST_COND, LIST_VALUE, LIST_COUNT };

static const char *const list_what[LIST_COUNT] = {
    "diagnosis codes", "procedure codes", "condition codes", "value codes"};

static const struct {
  char qual[4];
  size_t len;
  enum hi_list list;
} hi_quals[] = {
#define C837_XX(q, list, s) {q, sizeof q - 1, LIST_##list},
    C837_HI_MAP(C837_XX)
#undef C837_XX
};

/* The list of the HI composite e by its qualifier (the component
 * before the first sep), or -1 when the model does not read it: a few
 * byte compares, since this is the parse path. */
static int hi_list_of(c837_span e, char sep)
{
  size_t i, n;
  for (i = 0; i < sizeof hi_quals / sizeof hi_quals[0]; i++) {
    n = hi_quals[i].len;
    if (e.len >= n && (e.len == n || e.p[n] == sep) &&
        e.p[0] == hi_quals[i].qual[0] && e.p[1] == hi_quals[i].qual[1] &&
        (n == 2 || e.p[2] == hi_quals[i].qual[2]))
      return (int)hi_quals[i].list;
  }
  return -1;
}

/* c837_span_copy for the small fields of the lists, inline: the source
 * fits nearly always.  1 when it fit. */
static inline int copy_small(char *dst, size_t sz, c837_span v)
{
  size_t n = v.len < sz ? v.len : sz - 1;
  if (n)
    memcpy(dst, v.p, n);
  dst[n] = '\0';
  return n == v.len;
}

/* Splits element e on the component separator sep into out[0 .. n)
 * (components 1..n, trimmed), in one pass.  Returns how many it found:
 * out[] past them is not written (see comp_at). */
static size_t split_comps(c837_span e, char sep, c837_span *out, size_t n)
{
  const char *p = e.p, *end = e.p + e.len;
  size_t k = 0;
  while (k < n && e.len) {
    const char *q = p;
    while (q < end && *q != sep)
      q++;
    out[k++] = trimmed((c837_span){p, (size_t)(q - p)});
    if (q == end)
      break;
    p = q + 1;
  }
  return k;
}

/* Component k (0-based) of the nc that split_comps found; empty past
 * them. */
static inline c837_span comp_at(const c837_span *comp, size_t nc, size_t k)
{
  return k < nc ? comp[k] : (c837_span){"", 0};
}

void c837_ctx_start(c837_assembler *a)
{
  c837_claim *c = &a->claim;
  memset(a->n_hi, 0, sizeof a->n_hi);
  a->n_notes = 0;
  a->n_drugs = 0;
  a->drug_open = 0;
  memcpy(c->filing, a->sbr09, sizeof c->filing);
  memcpy(c->payer_resp, a->sbr01, sizeof c->payer_resp);
}

/* Composite el of HI s (the nc components comp[] of its 9) into h. */
static int read_hi_code(c837_assembler *a, const c837_segment *s, size_t el,
                        const c837_span *comp, size_t nc, c837_hi_code *h)
{
  const c837_span fmt = comp_at(comp, nc, 2), amount = comp_at(comp, nc, 4);
  h->seg = a->n_recs - 1;
  h->el = el;
  h->date = 0;
  h->amount = 0;
  h->amount_ok = 0;
  copy_small(h->qual, sizeof h->qual, comp[0]);
  copy_small(h->code, sizeof h->code, comp_at(comp, nc, 1));
  copy_small(h->amount_raw, sizeof h->amount_raw, amount);
  copy_small(h->poa, sizeof h->poa, comp_at(comp, nc, 8));
  if (amount.len) {
    h->amount_ok = c837_parse_decimal(amount, 2, &h->amount) == 0;
    if (!h->amount_ok)
      h->amount = 0;
  }
  if (fmt.len == 2 && fmt.p[0] == 'D' && fmt.p[1] == '8' &&
      c837_parse_date(comp_at(comp, nc, 3), &h->date) != 0) {
    char v[40];
    h->date = 0;
    span_text(v, sizeof v, comp_at(comp, nc, 3));
    return c837_asm_problem(a, s, C837_PROB_DATE_INVALID,
                            "claim %s: HI %s %s date '%s' is not a valid "
                            "D8 date",
                            a->claim.id, h->qual, h->code, v);
  }
  return 0;
}

/* An HI: its composites into their lists; what is past a list's bound
 * is reported, one problem per list. */
static int read_hi(c837_assembler *a, const c837_segment *s)
{
  size_t el, past[LIST_COUNT] = {0, 0, 0, 0};
  int k;
  for (el = 1; el <= s->n_el; el++) {
    const c837_span e = s->el[el - 1];
    c837_span comp[9];
    size_t nc;
    int list = hi_list_of(e, s->delims.component);
    if (list < 0)
      continue;
    if (a->n_hi[list] == C837_MAX_CLAIM_HI_CODES) {
      past[list]++;
      continue;
    }
    nc = split_comps(e, s->delims.component, comp, 9);
    if (read_hi_code(a, s, el, comp, nc,
                     &a->hi[list][a->n_hi[list]++]) != 0)
      return -1;
  }
  for (k = 0; k < LIST_COUNT; k++)
    if (past[k] &&
        c837_asm_problem(a, s, C837_PROB_CLAIM_MODEL_LIMIT,
                         "claim %s: %zu %s of this HI are past the %u the "
                         "claim model keeps; passed through, not read",
                         a->claim.id, past[k], list_what[k],
                         (unsigned)C837_MAX_CLAIM_HI_CODES) != 0)
      return -1;
  return 0;
}

/* An NTE of the claim level: a note. */
static int read_nte(c837_assembler *a, const c837_segment *s)
{
  c837_note *n;
  c837_span text = trimmed(c837_el(s, 2));
  if (a->n_notes == C837_MAX_CLAIM_NOTES)
    return c837_asm_problem(a, s, C837_PROB_CLAIM_MODEL_LIMIT,
                            "claim %s has more than %u notes (NTE); this "
                            "one is passed through, not read",
                            a->claim.id, (unsigned)C837_MAX_CLAIM_NOTES);
  n = &a->notes[a->n_notes++];
  n->seg = a->n_recs - 1;
  copy_el(n->qual, sizeof n->qual, s, 1);
  if (!c837_span_copy(n->text, sizeof n->text, text))
    return c837_asm_problem(a, s, C837_PROB_CLAIM_MODEL_LIMIT,
                            "claim %s: NTE text of %zu characters; the "
                            "claim model keeps the first %u",
                            a->claim.id, text.len,
                            (unsigned)(C837_NOTE_MAX - 1));
  return 0;
}

int c837_ctx_claim_segment(c837_assembler *a, const c837_segment *s)
{
  if (a->tag == T_HI)
    return read_hi(a, s);
  if (a->tag == T_NTE)
    return read_nte(a, s);
  return 0;
}

/* A LIN of line ln: a new drug loop (room for it was made before the
 * segment was stored, claim.c). */
static int read_lin(c837_assembler *a, c837_line *ln, const c837_segment *s)
{
  c837_drug *d;
  if (ln->n_drugs == C837_MAX_LINE_DRUGS) {
    a->drug_open = 0;
    return c837_asm_problem(a, s, C837_PROB_CLAIM_MODEL_LIMIT,
                            "claim %s line %s has more than %u drug loops "
                            "(LIN); this one is passed through, not read",
                            a->claim.id, ln->lx,
                            (unsigned)C837_MAX_LINE_DRUGS);
  }
  d = &a->drugs[a->n_drugs++];
  memset(d, 0, sizeof *d);
  copy_el(d->qualifier, sizeof d->qualifier, s, 2);
  copy_el(d->id, sizeof d->id, s, 3);
  d->seg_lin = a->n_recs - 1;
  d->seg_ctp = C837_NO_INDEX;
  ln->n_drugs++;
  a->drug_open = 1;
  return 0;
}

/* A CTP: the quantity of the line's last drug loop, when that LIN was
 * read and has no CTP yet. */
static void read_ctp(c837_assembler *a, const c837_line *ln,
                     const c837_segment *s)
{
  c837_drug *d;
  c837_span unit;
  if (!a->drug_open || ln->n_drugs == 0)
    return;
  a->drug_open = 0;
  d = &a->drugs[a->n_drugs - 1];
  d->seg_ctp = a->n_recs - 1;
  copy_el(d->quantity_raw, sizeof d->quantity_raw, s, 4);
  d->quantity_ok =
      c837_parse_decimal(trimmed(c837_el(s, 4)), 6, &d->quantity) == 0;
  if (!d->quantity_ok)
    d->quantity = 0;
  if (split_comps(c837_el(s, 5), s->delims.component, &unit, 1))
    c837_span_copy(d->unit, sizeof d->unit, unit);
}

int c837_ctx_line_segment(c837_assembler *a, c837_line *ln,
                          const c837_segment *s)
{
  if (a->tag == T_LIN)
    return read_lin(a, ln, s);
  if (a->tag == T_CTP)
    read_ctp(a, ln, s);
  return 0;
}

void c837_ctx_settle(c837_assembler *a)
{
  c837_claim *c = &a->claim;
  const c837_party *pt = c->has_patient ? &c->patient : &c->subscriber;
  size_t i, d = 0; /* an index: a->drugs is NULL when no line has one */
  c->dx = a->hi[LIST_DX];
  c->n_dx = a->n_hi[LIST_DX];
  c->px = a->hi[LIST_PX];
  c->n_px = a->n_hi[LIST_PX];
  c->cond = a->hi[LIST_COND];
  c->n_cond = a->n_hi[LIST_COND];
  c->value = a->hi[LIST_VALUE];
  c->n_value = a->n_hi[LIST_VALUE];
  c->notes = a->notes;
  c->n_notes = a->n_notes;
  c->drugs = a->n_drugs ? a->drugs : NULL;
  c->n_drugs = a->n_drugs;
  if (c->kind == C837_KIND_P)
    memcpy(c->pos, c->facility, sizeof c->pos);
  c->patient_dob = pt->dob;
  memcpy(c->patient_gender, pt->gender, sizeof c->patient_gender);
  for (i = 0; i < a->n_lines; i++) {
    c837_line *ln = &a->lines[i];
    ln->drugs = ln->n_drugs ? a->drugs + d : NULL;
    d += ln->n_drugs;
    if (!ln->pos_source && c->pos[0]) {
      memcpy(ln->pos, c->pos, sizeof ln->pos);
      ln->pos_source = 'C';
    }
  }
}

void c837_ctx_free(c837_assembler *a)
{
  free(a->drugs);
  a->drugs = NULL;
}
