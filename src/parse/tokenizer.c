/* tokenizer.c -- X12 segment tokenizer (bytes in, segments out)
 *
 * A push tokenizer in the style of expat and libcsv: the caller feeds
 * bytes in chunks of any size, the tokenizer keeps its state across calls
 * and calls back once per complete segment.  Delimiters are read from each
 * ISA: the element separator is the byte after "ISA", the component
 * separator is ISA16 and the segment terminator the byte right after it.
 * ISA16 is found by counting element separators rather than by fixed
 * offsets, so an ISA whose fixed-width fields were padded or trimmed
 * wrongly still reads (a correct ISA gives the same answer either way).
 *
 * States (one byte at a time, the current one kept in t->state):
 *
 *   PREAMBLE  before an ISA: a UTF-8 byte-order mark, CR, LF, blanks.
 *             Anything else that is not "ISA" is C837_ENOISA.
 *   ISA       inside an ISA, counting element separators up to ISA16.
 *   BODY      inside any other segment, up to the segment terminator.
 *   TRAIL     after a terminator: CR, LF, blanks (and repeated
 *             terminators) are kept as the segment's trailing bytes; the
 *             first other byte hands the segment out and starts the next.
 *
 * A segment is handed out only when the byte after its trailing
 * whitespace arrives (or at finish), so that its raw bytes include that
 * whitespace and concatenating every raw reproduces the input exactly.
 * The segment being read sits in one buffer (base/buf.h) capped at
 * C837_MAX_SEGMENT: memory does not grow with the input.  Errors stick
 * (llhttp): after one, feed and finish return it again and read nothing.
 */
#include "cart837.h"
#include "base/buf.h"
#include "base/err.h"
#include "base/limits.h"
#include "base/util.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

enum tok_state { ST_PREAMBLE, ST_ISA, ST_BODY, ST_TRAIL };

struct c837_tokenizer {
  c837_segment_cb cb;
  void *ud;
  enum tok_state state;
  c837_delims delims;
  int have_delims;    /* an ISA has been read */
  /* brk[c]: byte c inside a segment's body is a line break
   * (C837_SEG_LINEBREAK): CR and LF when the terminator is neither and
   * they are no separator; any_brk: brk has one */
  unsigned char brk[256];
  int any_brk;
  c837_buf b;         /* raw bytes of the segment being read, capped at
                         C837_MAX_SEGMENT */
  size_t lead;        /* bytes before the tag */
  size_t body_end;    /* body length + lead, fixed at the terminator */
  int isa_seps;       /* element separators seen inside the ISA */
  int isa_stage;      /* 0 counting, 1 next byte is ISA16, 2 terminator */
  int bom_pos;        /* bytes of a byte-order mark matched so far */
  int after_iea;      /* the segment in TRAIL is an IEA */
  unsigned flags;     /* C837_SEG_* of the segment being read */
  int chunk_nul;      /* the chunk being fed holds a NUL byte */
  int chunk_brk;      /* ... a CR or LF byte */
  uint64_t consumed;  /* bytes accepted */
  uint64_t seg_start; /* input offset of b.p[0] */
  uint64_t segments;  /* segments handed out */
  c837_span el[C837_MAX_ELEMENTS];
  c837_error err;
};

static const unsigned char BOM[3] = {0xEF, 0xBB, 0xBF};

c837_tokenizer *c837_tokenizer_new(c837_segment_cb cb, void *ud)
{
  c837_tokenizer *t = calloc(1, sizeof *t);
  if (!t)
    return NULL;
  t->b.limit = C837_MAX_SEGMENT;
  /* room for the first byte of a segment from the start (begin_segment) */
  if (c837_buf_reserve(&t->b, 1024) != 0) {
    free(t);
    return NULL;
  }
  t->cb = cb;
  t->ud = ud;
  t->state = ST_PREAMBLE;
  return t;
}

void c837_tokenizer_free(c837_tokenizer *t)
{
  if (!t)
    return;
  c837_buf_free(&t->b);
  free(t);
}

const c837_error *c837_tokenizer_error(const c837_tokenizer *t)
{
  return &t->err;
}

void c837_tokenizer_unemitted(const c837_tokenizer *t, const char **p,
                              size_t *len)
{
  *p = t->b.p;
  *len = t->b.len;
}

uint64_t c837_tokenizer_consumed(const c837_tokenizer *t)
{
  return t->consumed;
}

/* Records the sticky error at input offset `at` (in the segment after
 * the last one handed out); returns code. */
#define fail(t, code, at, ...)                                             \
  c837_error_set(&(t)->err, (code), (at), (t)->segments + 1, __VA_ARGS__)

/* Appends one byte to the segment being read: 0, C837_BUF_LIMIT (the
 * segment would pass C837_MAX_SEGMENT) or C837_BUF_NOMEM. */
static inline int push(c837_tokenizer *t, unsigned char c)
{
  return c837_buf_putc(&t->b, (char)c);
}

/* The error of a push or push_n that failed with r, the byte at input
 * offset `at` not accepted. */
static c837_status overflow(c837_tokenizer *t, int r, uint64_t at)
{
  t->consumed = at;
  if (r == C837_BUF_NOMEM)
    return fail(t, C837_ENOMEM, at, "out of memory while reading a segment");
  return fail(t, C837_ETOOLONG, t->seg_start,
              "segment longer than %lu bytes: missing segment terminator?",
              (unsigned long)C837_MAX_SEGMENT);
}

/* Whitespace that may follow a terminator: CR, LF, blank, tab, and the
 * terminator itself (blank segments), unless it is a delimiter. */
static int is_trail(const c837_tokenizer *t, unsigned char c)
{
  if (c == (unsigned char)t->delims.segment)
    return 1;
  if (c != '\r' && c != '\n' && c != ' ' && c != '\t')
    return 0;
  return c != (unsigned char)t->delims.element &&
         c != (unsigned char)t->delims.component &&
         (t->delims.repetition == 0 ||
          c != (unsigned char)t->delims.repetition);
}

/* Reads the delimiters out of the ISA now complete in b. */
static c837_status finish_isa(c837_tokenizer *t)
{
  const char *b = t->b.p + t->lead;
  size_t n = t->b.len - t->lead; /* through the terminator */
  c837_delims d;
  size_t i, el = 0, start = 4;
  c837_span isa11 = {0, 0}, isa12 = {0, 0};

  d.element = b[3];
  d.component = b[n - 2];
  d.segment = b[n - 1];
  d.repetition = 0;
  if (d.component == d.element || d.segment == d.element ||
      d.segment == d.component || c837_is_alnum((unsigned char)d.segment) ||
      d.segment == ' ') {
    char ex[64];
    c837_excerpt(ex, sizeof ex, b + n - 2, 2);
    return fail(t, C837_EISA, t->seg_start + t->lead + n - 2,
                "ISA: component separator and segment terminator must "
                "differ from each other and from the element separator; "
                "found '%s'",
                ex);
  }
  /* ISA11 (repetition separator in 5010, a standards id in 4010) */
  for (i = 4; i < n - 2; i++) {
    if (b[i] == d.element) {
      el++;
      if (el == 11)
        isa11 = (c837_span){b + start, i - start};
      else if (el == 12)
        isa12 = (c837_span){b + start, i - start};
      start = i + 1;
    }
  }
  if (isa11.len == 1 && !c837_is_alnum((unsigned char)isa11.p[0]) &&
      isa11.p[0] != ' ' && isa12.len == 5 &&
      memcmp(isa12.p, "00402", 5) >= 0 && isa11.p[0] != d.element &&
      isa11.p[0] != d.component && isa11.p[0] != d.segment)
    d.repetition = isa11.p[0];
  t->delims = d;
  t->have_delims = 1;
  memset(t->brk, 0, sizeof t->brk);
  t->any_brk = d.segment != '\r' && d.segment != '\n';
  if (t->any_brk) {
    t->brk['\r'] = t->brk['\n'] = 1;
    t->brk[(unsigned char)d.element] = 0;
    t->brk[(unsigned char)d.component] = 0;
    if (d.repetition)
      t->brk[(unsigned char)d.repetition] = 0;
  }
  return C837_OK;
}

/* 1 when the n bytes at b hold a line break (t->brk).  Bodies are short
 * and nearly never hold a control byte: four or eight bytes at a time
 * are tested for a byte below 0x0e (CR is 0x0d) first ("hasless" from
 * Sean Anderson's Bit Twiddling Hacks, exact for a limit <= 128; the
 * last word overlaps the one before), and only a body with one is
 * looked at byte by byte. */
static inline int has_break(const c837_tokenizer *t, const char *b,
                            size_t n)
{
  const uint64_t k8 = 0x0e0e0e0e0e0e0e0eull, h8 = 0x8080808080808080ull;
  const uint32_t k4 = 0x0e0e0e0eu, h4 = 0x80808080u;
  size_t i;
  if (n >= 8) {
    uint64_t x, acc;
    memcpy(&x, b + n - 8, 8);
    acc = (x - k8) & ~x;
    for (i = 0; i + 8 < n; i += 8) {
      memcpy(&x, b + i, 8);
      acc |= (x - k8) & ~x;
    }
    if (!(acc & h8))
      return 0;
  } else if (n >= 4) {
    uint32_t x, y;
    memcpy(&x, b, 4);
    memcpy(&y, b + n - 4, 4);
    if (!((((x - k4) & ~x) | ((y - k4) & ~y)) & h4))
      return 0;
  }
  for (i = 0; i < n; i++)
    if (t->brk[(unsigned char)b[i]])
      return 1;
  return 0;
}

/* Splits the segment raw[0 .. raw_len) (tag at raw + lead, body ending
 * at raw + body_end) into elements and hands it out.  raw is either the
 * tokenizer's own buffer or, on the fast path, the caller's chunk. */
/* The element split: the body's tag and element spans, cut at every
 * element separator, in one pass. */
typedef struct splitter {
  const char *b;
  c837_span *el;
  size_t n;         /* elements opened */
  size_t start;     /* where the open element (or the tag) starts */
  size_t tag_len;
  int in_tag;
} splitter;

/* The separator at q: closes the tag or the open element, opens the
 * next.  -1 when that would be more than C837_MAX_ELEMENTS elements. */
static inline int split_at(splitter *x, size_t q)
{
  if (x->in_tag) {
    x->tag_len = q;
    x->in_tag = 0;
  } else {
    x->el[x->n - 1].len = q - x->start;
  }
  if (x->n == C837_MAX_ELEMENTS)
    return -1;
  x->start = q + 1;
  x->el[x->n].p = x->b + x->start;
  x->n++;
  return 0;
}

/* Splits b[0 .. blen) at sep into x (x->el: room for C837_MAX_ELEMENTS);
 * b[0 .. avail) may be read (avail >= blen).  With SSE2 (every x86-64),
 * sixteen bytes are compared at a time and only the separators found
 * are visited, the last bytes too when sixteen can be read there (the
 * bytes past blen masked off); else one byte at a time.  0, or -1 past
 * the element limit. */
static int split_body(splitter *x, size_t blen, size_t avail, char sep)
{
  const char *b = x->b;
  size_t i = 0;
#if defined(__SSE2__)
  const __m128i v = _mm_set1_epi8(sep);
  for (; i + 16 <= blen; i += 16) {
    unsigned m = (unsigned)_mm_movemask_epi8(
        _mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)(b + i)), v));
    while (m) {
      if (split_at(x, i + (size_t)__builtin_ctz(m)) != 0)
        return -1;
      m &= m - 1;
    }
  }
  if (i < blen && i + 16 <= avail) {
    unsigned m = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(
                     _mm_loadu_si128((const __m128i *)(b + i)), v)) &
                 ((1u << (blen - i)) - 1u);
    while (m) {
      if (split_at(x, i + (size_t)__builtin_ctz(m)) != 0)
        return -1;
      m &= m - 1;
    }
    i = blen;
  }
#else
  (void)avail;
#endif
  for (; i < blen; i++)
    if (b[i] == sep && split_at(x, i) != 0)
      return -1;
  if (x->in_tag)
    x->tag_len = blen;
  else
    x->el[x->n - 1].len = blen - x->start;
  return 0;
}

/* Splits the segment raw[0 .. raw_len) (tag at raw + lead, body ending
 * at raw + body_end) into elements and hands it out.  raw is either the
 * tokenizer's own buffer or, on the fast path, the caller's chunk;
 * raw[0 .. avail) may be read (the rest of the chunk). */
static c837_status emit_raw(c837_tokenizer *t, const char *raw,
                            size_t raw_len, size_t avail, size_t lead,
                            size_t body_end)
{
  c837_segment s;
  const char *b = raw + lead;
  const size_t blen = body_end - lead;
  splitter x = {b, t->el, 0, 0, 0, 1};

  if (split_body(&x, blen, avail - lead, t->delims.element) != 0) {
    char ex[24];
    c837_excerpt(ex, sizeof ex, b, x.tag_len < 8 ? x.tag_len : 8);
    return fail(t, C837_ETOOMANY, t->seg_start,
                "segment '%s' has more than %lu elements", ex,
                (unsigned long)C837_MAX_ELEMENTS);
  }
  s.tag.p = b;
  s.tag.len = x.tag_len;
  s.raw = raw;
  s.raw_len = raw_len;
  s.lead = lead;
  s.body_len = blen;
  s.n_el = x.n;
  s.el = t->el;
  s.delims = t->delims;
  s.offset = t->seg_start;
  s.number = ++t->segments;
  s.flags = t->flags;
  t->flags = 0;
  /* segments from the tokenizer's buffer may hold bytes of earlier
   * chunks: those are always looked at */
  if ((t->chunk_nul || raw == t->b.p) && blen && memchr(b, '\0', blen))
    s.flags |= C837_SEG_NUL;
  if (t->any_brk && (t->chunk_brk || raw == t->b.p) && has_break(t, b, blen))
    s.flags |= C837_SEG_LINEBREAK;
  if (t->cb && t->cb(t->ud, &s) != 0)
    return fail(t, C837_ECALLBACK, t->seg_start + raw_len,
                "a segment callback asked to stop");
  t->seg_start += raw_len;
  return C837_OK;
}

/* Hands out the segment waiting in b. */
static c837_status emit(c837_tokenizer *t)
{
  c837_status st =
      emit_raw(t, t->b.p, t->b.len, t->b.len, t->lead, t->body_end);
  if (st != C837_OK)
    return st;
  c837_buf_clear(&t->b);
  t->lead = 0;
  t->body_end = 0;
  return C837_OK;
}

/* Starts reading a new segment whose first byte is c (b always has room
 * for one byte: its first allocation). */
static void begin_segment(c837_tokenizer *t, char c)
{
  t->b.p[0] = c;
  t->b.len = 1;
  t->lead = 0;
  t->state = ST_BODY;
}

/* The fast path: hands out, straight from the caller's chunk and without
 * copying, every complete segment that starts at p.  A segment counts as
 * complete when its terminator, its trailing whitespace and the first
 * byte after that are all in the chunk.  ISA and IEA segments (new
 * delimiters, a byte-order mark after an interchange) and anything cut
 * off by the end of the chunk are left to the byte-at-a-time path.
 * Returns where that path goes on: the first byte of the segment left
 * alone (always before end).  On error returns NULL with *st set and
 * *stop just past the failing segment, whose bytes are copied into b
 * as the slow path would have them (c837_tokenizer_unemitted). */
static const unsigned char *fast_segments(c837_tokenizer *t,
                                          const unsigned char *p,
                                          const unsigned char *end,
                                          const unsigned char **stop,
                                          c837_status *st)
{
  const int term = (unsigned char)t->delims.segment;
  for (;;) {
    const unsigned char *z, *w;
    size_t room = (size_t)(end - p), body;
    if (room < 4 ||
        (p[0] == 'I' && p[2] == 'A' && (p[1] == 'S' || p[1] == 'E')))
      return p;
    z = memchr(p, term, room < C837_MAX_SEGMENT ? room : C837_MAX_SEGMENT);
    if (!z)
      return p;
    w = z + 1;
    while (w < end && is_trail(t, *w))
      w++;
    if (w == end || (size_t)(w - p) > C837_MAX_SEGMENT)
      return p;
    body = (size_t)(z - p);
    if (*z == '\n' && body > 0 && p[body - 1] == '\r')
      body--; /* CRLF with LF as the terminator */
    *st = emit_raw(t, (const char *)p, (size_t)(w - p),
                   (size_t)(end - p), 0, body);
    if (*st != C837_OK) {
      t->lead = 0;
      c837_buf_clear(&t->b);
      if (c837_buf_put(&t->b, p, (size_t)(w - p)) == 0)
        t->body_end = body;
      *stop = w;
      return NULL;
    }
    p = w;
  }
}

/* The byte at p cannot begin (or go on with) an ISA: C837_ENOISA, the
 * byte kept with the unemitted ones.  at is its input offset; p + 12 at
 * most, up to end, are quoted. */
static c837_status no_isa(c837_tokenizer *t, const unsigned char *p,
                          const unsigned char *end, uint64_t at)
{
  char ex[64];
  size_t k = (size_t)(end - p) < 12 ? (size_t)(end - p) : 12;
  int r = push(t, *p);
  if (r != 0)
    return overflow(t, r, at);
  t->consumed = at + 1;
  c837_excerpt(ex, sizeof ex, (const char *)p, k);
  return fail(t, C837_ENOISA, t->seg_start + t->b.len - 1,
              "expected an ISA segment, found '%s'", ex);
}

/* One byte (at p, input offset at) in state PREAMBLE: a byte-order mark,
 * blank lines, then "ISA".  C837_OK or the error (t->consumed set). */
static c837_status preamble_byte(c837_tokenizer *t, const unsigned char *p,
                                 const unsigned char *end, uint64_t at)
{
  const unsigned char c = *p;
  const size_t got = t->b.len - t->lead; /* bytes of "ISA" matched */
  int r;
  if (got == 0) {
    if (t->bom_pos < 3 && c == BOM[t->bom_pos] &&
        (t->bom_pos > 0 || t->b.len == 0)) {
      t->bom_pos++;
      t->lead++;
      return (r = push(t, c)) != 0 ? overflow(t, r, at) : C837_OK;
    }
    if (t->bom_pos != 0 && t->bom_pos != 3)
      return no_isa(t, p, end, at);
    if (c == '\r' || c == '\n' || c == ' ' || c == '\t') {
      if (t->lead >= C837_MAX_PREAMBLE)
        return no_isa(t, p, end, at);
      t->lead++;
      return (r = push(t, c)) != 0 ? overflow(t, r, at) : C837_OK;
    }
  }
  if (c != (unsigned char)"ISA"[got])
    return no_isa(t, p, end, at);
  if ((r = push(t, c)) != 0)
    return overflow(t, r, at);
  if (got + 1 == 3) {
    t->state = ST_ISA;
    t->isa_seps = 0;
    t->isa_stage = 0;
  }
  return C837_OK;
}

/* One byte c (input offset at) in state ISA: counts element separators
 * up to ISA16; after the terminator, reads the delimiters and goes to
 * TRAIL.  C837_OK or the error (t->consumed set). */
static c837_status isa_byte(c837_tokenizer *t, unsigned char c, uint64_t at)
{
  const size_t got = t->b.len + 1 - t->lead; /* ISA bytes, c included */
  c837_status st;
  int r;
  if ((r = push(t, c)) != 0)
    return overflow(t, r, at);
  if (got == 4) {
    if (c837_is_alnum(c) || c == ' ' || c == '\r' || c == '\n') {
      t->consumed = at + 1;
      return fail(t, C837_EISA, t->seg_start + t->b.len - 1,
                  "ISA: expected an element separator after 'ISA', "
                  "found %s",
                  c837_is_alnum(c) ? "a letter or digit" : "white space");
    }
    t->isa_seps = 1; /* this separator opens ISA01 */
    return C837_OK;
  }
  if (got > C837_MAX_ISA) {
    t->consumed = at + 1;
    return fail(t, C837_EISA, t->seg_start,
                "ISA: no segment terminator within %lu bytes (an ISA "
                "has 16 elements and is 106 bytes long)",
                (unsigned long)C837_MAX_ISA);
  }
  if (t->isa_stage == 0) {
    if ((char)c == t->b.p[t->lead + 3] && ++t->isa_seps == 16)
      t->isa_stage = 1;
  } else if (t->isa_stage == 1) {
    t->isa_stage = 2; /* ISA16, the component separator */
  } else {
    /* the segment terminator */
    t->body_end = t->b.len - 1;
    if ((st = finish_isa(t)) != C837_OK) {
      t->consumed = at + 1;
      return st;
    }
    t->after_iea = 0;
    t->state = ST_TRAIL;
  }
  return C837_OK;
}

/* The state machine (see the states at the top of the file).  It stays
 * one function, longer than the others, as libcsv's csv_parse and zlib's
 * inflate do: BODY and TRAIL move the loop's position themselves (BODY
 * copies up to the terminator in one memchr, TRAIL hands every complete
 * segment of the chunk out through fast_segments and jumps past them,
 * or steps back to read a byte-order mark again as PREAMBLE), so they
 * belong with the loop.  PREAMBLE and ISA, which take one byte at a
 * time, are functions of their own. */
c837_status c837_tokenizer_feed(c837_tokenizer *t, const void *data,
                                size_t n)
{
  const unsigned char *const start = data, *p = start, *end = p + n;
  const uint64_t base = t->consumed;
  c837_status st;
  int r;

  if (t->err.code != C837_OK)
    return t->err.code;
  t->chunk_nul = n && memchr(data, '\0', n) != NULL;
  t->chunk_brk =
      n && (memchr(data, '\n', n) != NULL || memchr(data, '\r', n) != NULL);
/* Input offset of the byte at p. */
#define AT(p) (base + (uint64_t)((p) - start))
  for (; p < end; p++) {
    unsigned char c = *p;
    switch (t->state) {
    case ST_PREAMBLE:
      if ((st = preamble_byte(t, p, end, AT(p))) != C837_OK)
        return st;
      break;

    case ST_ISA:
      if ((st = isa_byte(t, c, AT(p))) != C837_OK)
        return st;
      break;

    case ST_BODY:
      if (t->b.len - t->lead >= 4) {
        /* fast path: copy up to the terminator in one go */
        const unsigned char *q = memchr(p, t->delims.segment,
                                        (size_t)(end - p));
        const unsigned char *stop = q ? q : end;
        if (stop > p) {
          if ((r = c837_buf_put(&t->b, p, (size_t)(stop - p))) != 0)
            return overflow(t, r, AT(p));
          p = stop;
          if (!q) {
            p--; /* the loop's p++ reaches end */
            break;
          }
        }
        c = *p;
      }
      if ((char)c == t->delims.segment) {
        t->body_end = t->b.len;
        if (c == '\n' && t->b.len > t->lead && t->b.p[t->b.len - 1] == '\r')
          t->body_end--; /* CRLF with LF as the terminator */
        if ((r = push(t, c)) != 0)
          return overflow(t, r, AT(p));
        t->after_iea = t->body_end - t->lead >= 3 &&
                       memcmp(t->b.p + t->lead, "IEA", 3) == 0 &&
                       (t->body_end - t->lead == 3 ||
                        t->b.p[t->lead + 3] == t->delims.element);
        t->state = ST_TRAIL;
        break;
      }
      if ((r = push(t, c)) != 0)
        return overflow(t, r, AT(p));
      /* a new interchange: re-read the delimiters from its ISA */
      if (t->b.len - t->lead == 4 &&
          memcmp(t->b.p + t->lead, "ISA", 3) == 0 && !c837_is_alnum(c) &&
          c != ' ') {
        t->state = ST_ISA;
        t->isa_seps = 1; /* the separator just read opens ISA01 */
        t->isa_stage = 0;
      }
      break;

    case ST_TRAIL:
      if (is_trail(t, c)) {
        if ((r = push(t, c)) != 0)
          return overflow(t, r, AT(p));
        break;
      }
      t->consumed = AT(p);
      if ((st = emit(t)) != C837_OK)
        return st;
      if (t->after_iea && c == BOM[0]) {
        /* a byte-order mark before the next interchange */
        t->state = ST_PREAMBLE;
        t->bom_pos = 0;
        t->lead = 0;
        p--; /* read c again as preamble */
        break;
      }
      {
        const unsigned char *stop, *q = fast_segments(t, p, end, &stop, &st);
        if (!q) {
          t->consumed = AT(stop);
          return st;
        }
        if (q != p)
          t->after_iea = 0; /* the fast path never hands out an IEA */
        p = q;
      }
      begin_segment(t, (char)*p);
      break;
    }
  }
#undef AT
  t->consumed = base + n;
  return C837_OK;
}

/* The input ends inside a segment (state BODY): a last envelope trailer
 * without its terminator is handed out, anything else is an error. */
static c837_status finish_body(c837_tokenizer *t)
{
  const char *b = t->b.p + t->lead;
  const size_t blen = t->b.len - t->lead;
  char ex[64];
  c837_excerpt(ex, sizeof ex, b, blen < 12 ? blen : 12);
  /* Bytes after an interchange that end without a terminator are not
   * a cut-off segment but something that is not X12 (text, padding, a
   * DOS end-of-file byte): only an ISA may follow an IEA. */
  if (t->after_iea)
    return fail(t, C837_ENOISA, t->seg_start,
                "expected an ISA segment after the IEA, found '%s'", ex);
  /* A last segment without its terminator: accepted when it is an
   * envelope trailer (IEA, GE, SE: nothing of a claim can be cut off
   * in one), flagged for the assembler to report.  Any other segment
   * cut off at the end means a truncated file. */
  if (blen >= 4) {
    size_t k = 0;
    while (k < blen && c837_is_alnum((unsigned char)b[k]))
      k++;
    if (k >= 2 && k <= 3 && k < blen && b[k] == t->delims.element &&
        ((k == 3 && memcmp(b, "IEA", 3) == 0) ||
         (k == 2 && (memcmp(b, "GE", 2) == 0 || memcmp(b, "SE", 2) == 0)))) {
      /* trailing CR / LF / blanks stay in raw, not in the last element */
      size_t e = t->b.len;
      while (e > t->lead + k + 1 &&
             (t->b.p[e - 1] == '\r' || t->b.p[e - 1] == '\n' ||
              t->b.p[e - 1] == ' ' || t->b.p[e - 1] == '\t'))
        e--;
      t->body_end = e;
      t->flags = C837_SEG_UNTERMINATED;
      return emit(t);
    }
  }
  return fail(t, C837_ETRUNC, t->seg_start,
              "input ends inside segment '%s' (no segment terminator)", ex);
}

c837_status c837_tokenizer_finish(c837_tokenizer *t)
{
  if (t->err.code != C837_OK)
    return t->err.code;
  switch (t->state) {
  case ST_TRAIL:
    return emit(t);
  case ST_PREAMBLE:
    if (!t->have_delims)
      return fail(t, C837_ENOISA, t->consumed,
                  "input ends before any ISA segment");
    if (t->b.len == 0)
      return C837_OK;
    return fail(t, C837_ETRUNC, t->consumed,
                "input ends inside an ISA segment");
  case ST_ISA:
    return fail(t, C837_ETRUNC, t->consumed,
                "input ends inside an ISA segment");
  case ST_BODY:
    return finish_body(t);
  }
  return C837_OK;
}

/* ---- segment accessors ---------------------------------------------- */

c837_span c837_seg_el(const c837_segment *s, size_t i)
{
  return c837_el(s, i);
}

c837_span c837_seg_comp(const c837_segment *s, size_t i, size_t j)
{
  c837_span e = c837_el(s, i), none = {"", 0};
  const char sep = s->delims.component;
  const char *p = e.p, *end = e.p + e.len, *q;
  if (j == 0)
    return none;
  for (; j > 1; j--) { /* skip to component j */
    while (p < end && *p != sep)
      p++;
    if (p == end)
      return none;
    p++;
  }
  for (q = p; q < end && *q != sep; q++)
    ;
  {
    c837_span r = {p, (size_t)(q - p)};
    return r;
  }
}

int c837_seg_is(const c837_segment *s, const char *tag)
{
  return c837_span_lit(s->tag, tag);
}
