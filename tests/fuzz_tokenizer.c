/* fuzz_tokenizer.c -- libFuzzer harness for the tokenizer and assembler
 *
 * Built only by `make fuzz` (clang -fsanitize=fuzzer,address,undefined);
 * not part of the unit tests.  Each input is read three ways: whole, in
 * chunks of a size taken from its first byte, and one byte at a time.
 * The harness checks what must hold for any input, valid or not:
 *   - no crash, leak or undefined behaviour (the sanitizers);
 *   - the three runs end with the same status, error offset, segment
 *     number, and the same segments, claims and problem counts;
 *   - every byte is accounted for: the raw bytes handed out (segments and
 *     claims) followed by c837_assembler_pending (a claim kept back from
 *     a truncated transaction), c837_tokenizer_unemitted and the input
 *     past c837_tokenizer_consumed reproduce the input exactly, and on
 *     success the handed-out bytes alone do.
 * `make fuzz` runs it (scripts/fuzz.sh: seeds from samples/ and
 * ../shared/corpus/, working corpus build-fuzz/corpus/tokenizer); `make
 * test` replays tests/fuzz-regress/ through it (tests/fuzz_replay.c).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cart837.h"

typedef struct acc {
  unsigned char *out; /* raw bytes handed out, in order */
  size_t len, cap;
  uint64_t hash;      /* of segment tags, roles and claim fields */
  size_t claims, problems;
} acc;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void put(acc *a, const void *p, size_t n)
{
  if (a->len + n > a->cap) {
    size_t c = (a->len + n) * 2;
    unsigned char *q = realloc(a->out, c);
    if (!q)
      abort();
    a->out = q;
    a->cap = c;
  }
  if (n)
    memcpy(a->out + a->len, p, n);
  a->len += n;
}

static void mix(acc *a, const void *p, size_t n)
{
  const unsigned char *b = p;
  size_t i;
  for (i = 0; i < n; i++)
    a->hash = (a->hash ^ b[i]) * 1099511628211ULL;
}

static int on_segment(void *ud, const c837_segment *s, c837_role role,
                      const c837_envelope *env)
{
  acc *a = ud;
  (void)env;
  put(a, s->raw, s->raw_len);
  mix(a, s->tag.p, s->tag.len);
  mix(a, &role, sizeof role);
  return 0;
}

static int on_claim(void *ud, const c837_claim *c)
{
  acc *a = ud;
  size_t i;
  a->claims++;
  for (i = 0; i < c->n_segs; i++)
    put(a, c->segs[i].raw, c->segs[i].raw_len);
  mix(a, c->id, strlen(c->id));
  mix(a, &c->kind, sizeof c->kind);
  mix(a, &c->total, sizeof c->total);
  mix(a, c->patient_key, strlen(c->patient_key));
  for (i = 0; i < c->n_lines; i++) {
    const c837_line *l = &c->lines[i];
    mix(a, l->code, strlen(l->code));
    mix(a, &l->units, sizeof l->units);
    mix(a, &l->charge, sizeof l->charge);
    mix(a, &l->date_from, sizeof l->date_from);
    mix(a, &l->date_to, sizeof l->date_to);
  }
  return 0;
}

static int on_problem(void *ud, const c837_problem *p)
{
  acc *a = ud;
  a->problems++;
  mix(a, p->code, strlen(p->code));
  mix(a, &p->offset, sizeof p->offset);
  return 0;
}

typedef struct outcome {
  c837_status st;
  c837_error err;
  c837_counts counts;
  acc a;
} outcome;

/* Reads data in chunks of `step` bytes through tokenizer and assembler. */
static void run(const uint8_t *data, size_t size, size_t step, outcome *o)
{
  c837_handler h;
  c837_assembler *as;
  c837_tokenizer *t;
  size_t off = 0;
  const char *un;
  size_t un_len;

  memset(o, 0, sizeof *o);
  h.segment = on_segment;
  h.claim = on_claim;
  h.problem = on_problem;
  h.ud = &o->a;
  as = c837_assembler_new(&h);
  t = as ? c837_tokenizer_new(c837_assembler_segment, as) : NULL;
  if (!t)
    abort();
  while (off < size && o->st == C837_OK) {
    size_t k = size - off < step ? size - off : step;
    o->st = c837_tokenizer_feed(t, data + off, k);
    off += k;
  }
  if (o->st == C837_OK)
    o->st = c837_tokenizer_finish(t);
  if (o->st == C837_OK)
    o->st = c837_assembler_finish(as);
  else if (o->st != C837_ECALLBACK)
    (void)c837_assembler_finish(as);
  o->err = *c837_tokenizer_error(t);
  o->counts = *c837_assembler_counts(as);

  /* byte accounting (claims not yet handed out at an ECALLBACK stop are
   * the assembler's: only checked for tokenizer errors) */
  if (o->st == C837_OK) {
    if (o->a.len != size || (size && memcmp(o->a.out, data, size) != 0))
      abort();
  } else if (o->st != C837_ECALLBACK) {
    /* handed out, then the claim the assembler kept back (cut short),
     * then the tokenizer's unfinished segment, then what it never took */
    uint64_t used = c837_tokenizer_consumed(t);
    const char *pend;
    size_t pend_len, at;
    c837_assembler_pending(as, &pend, &pend_len);
    c837_tokenizer_unemitted(t, &un, &un_len);
    if (used > size)
      abort();
    if (o->a.len + pend_len + un_len + (size - used) != size)
      abort();
    at = o->a.len + pend_len;
    if ((o->a.len && memcmp(o->a.out, data, o->a.len) != 0) ||
        (pend_len && memcmp(pend, data + o->a.len, pend_len) != 0) ||
        (un_len && memcmp(un, data + at, un_len) != 0) ||
        (size > used &&
         memcmp(data + used, data + at + un_len, size - used) != 0))
      abort();
  }
  c837_tokenizer_free(t);
  c837_assembler_free(as);
}

static void same(const outcome *x, const outcome *y)
{
  if (x->st != y->st || x->err.code != y->err.code ||
      x->err.offset != y->err.offset || x->err.segment != y->err.segment ||
      x->a.hash != y->a.hash || x->a.claims != y->a.claims ||
      x->a.problems != y->a.problems ||
      x->counts.segments != y->counts.segments ||
      x->counts.lines != y->counts.lines)
    abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  outcome whole, split, bytes;
  size_t cut = size ? (size_t)data[0] % size + 1 : 1;
  run(data, size, size ? size : 1, &whole);
  run(data, size, cut, &split);
  same(&whole, &split);
  if (size <= 4096) { /* byte by byte is slow on big inputs */
    run(data, size, 1, &bytes);
    same(&whole, &bytes);
    free(bytes.a.out);
  }
  free(whole.a.out);
  free(split.a.out);
  return 0;
}
