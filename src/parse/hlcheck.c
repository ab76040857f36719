/* hlcheck.c -- the one definition of a sound HL link (hlcheck.h)
 *
 * A stack of the HL01s of the open loops of one transaction set, and
 * the highest HL01 seen, for the assembler's problems and the writer's
 * refusals; the rule is in hlcheck.h.  Constant memory per transaction
 * set (C837_MAX_HL_DEPTH loops).  Every HL01 the rule accepts is digits
 * only, so the loops are kept as numbers with their length, and an
 * HL02 names one exactly when it has the same digits.
 */
#include "parse/hlcheck.h"
#include "base/util.h"

#include <string.h>

void c837_hlcheck_reset(c837_hlcheck *h)
{
  h->last = 0;
  h->have_last = 0;
  h->deep = 0;
  h->depth = 0;
}

/* An HL01 or HL02 as a number: 0 and *v, or -1 when it is not digits
 * only (at most C837_HL_ID_DIGITS of them). */
static int hl_number(c837_span s, uint64_t *v)
{
  return c837_span_digits(s, C837_HL_ID_DIGITS, v);
}

/* The depth (1-based) of the open loop whose HL01 is the number v
 * written in len digits (the same text: digits only on both sides), or
 * 0 when none. */
static size_t parent_depth(const c837_hlcheck *h, uint64_t v, size_t len)
{
  size_t k = h->depth;
  for (; k > 0; k--)
    if (h->val[k - 1] == v && h->len[k - 1] == len)
      return k;
  return 0;
}

/* The test of c837_hlcheck_test; *id and *numeric: HL01 as a number,
 * *pd: the depth of the parent HL02 names (0: none, or top-level). */
static unsigned test(const c837_hlcheck *h, c837_span hl01, c837_span hl02,
                     uint64_t *id, int *numeric, size_t *pd)
{
  unsigned bad = 0;
  uint64_t par = 0;
  int par_numeric;
  *id = 0;
  *numeric = hl_number(hl01, id) == 0;
  *pd = 0;
  if (!*numeric)
    bad |= C837_HL_BAD_ID | C837_HL_NOT_NUMBER;
  else if (h->have_last && *id <= h->last)
    bad |= C837_HL_BAD_ID;
  if (hl02.len == 0)
    return bad;
  if (hl02.len == hl01.len && memcmp(hl02.p, hl01.p, hl01.len) == 0)
    return bad | C837_HL_BAD_PARENT | C837_HL_SELF;
  par_numeric = hl_number(hl02, &par) == 0;
  if (par_numeric && (*pd = parent_depth(h, par, hl02.len)) != 0)
    return bad;
  bad |= C837_HL_BAD_PARENT;
  if (*numeric && par_numeric && par > *id)
    bad |= C837_HL_LATER;
  return bad;
}

/* Takes the HL in, given what test found. */
static void push(c837_hlcheck *h, c837_span hl01, uint64_t id, int numeric,
                 size_t pd)
{
  size_t k;
  if (numeric && (!h->have_last || id > h->last)) {
    h->last = id;
    h->have_last = 1;
  }
  /* the loops this HL is not nested in are closed; a parent that is not
   * open (or none) makes it top-level */
  h->depth = pd;
  if (h->depth == C837_MAX_HL_DEPTH) {
    h->deep = 1;
    return;
  }
  k = h->depth++;
  h->val[k] = id;
  h->len[k] = (unsigned char)(numeric ? hl01.len : 0);
}

unsigned c837_hlcheck_test(const c837_hlcheck *h, c837_span hl01,
                           c837_span hl02)
{
  uint64_t id;
  int numeric;
  size_t pd;
  return h->deep ? 0 : test(h, hl01, hl02, &id, &numeric, &pd);
}

unsigned c837_hlcheck_take(c837_hlcheck *h, c837_span hl01, c837_span hl02)
{
  uint64_t id;
  int numeric;
  size_t pd;
  unsigned bad;
  if (h->deep)
    return 0;
  bad = test(h, hl01, hl02, &id, &numeric, &pd);
  push(h, hl01, id, numeric, pd);
  return bad;
}

void c837_hlcheck_push(c837_hlcheck *h, c837_span hl01, c837_span hl02)
{
  (void)c837_hlcheck_take(h, hl01, hl02);
}
