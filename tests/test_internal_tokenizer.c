/* test_internal_tokenizer.c -- unit tests of the X12 tokenizer (src/parse/tokenizer.c)
 *
 * Every case is written as an input and the exact event log it must
 * produce: one line per segment with its ordinal, offset, lead bytes, tag,
 * element count, delimiters, flags, every element and the raw bytes
 * (llhttp-style vectors).  Each case is then re-run with the input fed in
 * chunks of 1, 2, 3 ... 64 bytes and must give the identical log, and the
 * raw bytes of all segments must concatenate back to the input.  Error
 * cases check the exact code, offset, segment number and message, that
 * errors stick, and that the bytes a caller can still reach (emitted raw +
 * c837_tokenizer_unemitted + the part of the input past
 * c837_tokenizer_consumed) reproduce the input byte for byte.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cart837.h"
#include "base/limits.h"
#include "testbuf.h"

/* A limit's value as text ("65536"), for the messages that give it. */
#define STR_(x) #x
#define STR(x) STR_(x)

/* Escaped bytes: \r \n \t \0 \\ \" and \xHH for other non-printables. */
static void buf_esc(buf *b, const char *p, size_t n)
{
  size_t i;
  for (i = 0; i < n; i++) {
    unsigned char c = (unsigned char)p[i];
    if (c == '\r')
      buf_str(b, "\\r");
    else if (c == '\n')
      buf_str(b, "\\n");
    else if (c == '\t')
      buf_str(b, "\\t");
    else if (c == 0)
      buf_str(b, "\\0");
    else if (c == '\\' || c == '"')
      buf_fmt(b, "\\%c", c);
    else if (c < 0x20 || c >= 0x7f)
      buf_fmt(b, "\\x%02x", c);
    else
      buf_add(b, &c, 1);
  }
}

/* ------------------------------------------------------------------ */
/* Running the tokenizer                                               */
/* ------------------------------------------------------------------ */

typedef struct run {
  buf log;       /* one line per segment */
  buf raw;       /* raw bytes of every segment, concatenated */
  size_t nseg;
  size_t stop_at; /* the callback returns 1 on this segment (0: never) */
  int raw_only;   /* log only ordinals (for huge segments) */
} run;

/* Checks the segment's internal consistency and logs it. */
static int on_seg(void *ud, const c837_segment *s)
{
  run *r = ud;
  size_t i;
  char d[4];

  /* ordinals and offsets follow from the segments before */
  assert_int_equal(s->number, r->nseg + 1);
  assert_int_equal(s->offset, r->raw.len);
  /* the tag starts after the lead; body and elements lie inside raw */
  assert_ptr_equal(s->tag.p, s->raw + s->lead);
  assert_true(s->lead + s->body_len <= s->raw_len);
  for (i = 0; i < s->n_el; i++) {
    assert_true(s->el[i].p >= s->raw + s->lead + s->tag.len);
    assert_true(s->el[i].p + s->el[i].len <= s->raw + s->lead + s->body_len);
  }
  assert_true(c837_seg_el(s, 0).len == 0);
  assert_true(c837_seg_el(s, s->n_el + 1).len == 0);

  r->nseg++;
  buf_add(&r->raw, s->raw, s->raw_len);
  d[0] = s->delims.element;
  d[1] = s->delims.repetition;
  d[2] = s->delims.component;
  d[3] = s->delims.segment;
  buf_fmt(&r->log, "%llu@%llu L%zu ", (unsigned long long)s->number,
          (unsigned long long)s->offset, s->lead);
  buf_esc(&r->log, s->tag.p, s->tag.len);
  buf_fmt(&r->log, " n%zu d", s->n_el);
  buf_esc(&r->log, d, 4);
  buf_fmt(&r->log, " f%u b%zu ", s->flags, s->body_len);
  if (!r->raw_only) {
    for (i = 0; i < s->n_el; i++) {
      buf_str(&r->log, "[");
      buf_esc(&r->log, s->el[i].p, s->el[i].len);
      buf_str(&r->log, "]");
    }
    buf_str(&r->log, " \"");
    buf_esc(&r->log, s->raw, s->raw_len);
    buf_str(&r->log, "\"");
  }
  buf_str(&r->log, "\n");
  return r->stop_at && r->nseg == r->stop_at;
}

typedef struct result {
  c837_status st;
  c837_error err;
  int fed_all; /* 1 when every feed returned OK */
} result;

static void run_free(run *r)
{
  free(r->log.p);
  free(r->raw.p);
  memset(r, 0, sizeof *r);
}

/* Tokenizes in[0..n) in chunks of `chunk` bytes (0: all at once), then
 * finishes.  Checks the byte-for-byte invariant: emitted raw + unemitted
 * + the rest of the input past consumed == input. */
static result tokenize(const char *in, size_t n, size_t chunk, run *r)
{
  c837_tokenizer *t = c837_tokenizer_new(on_seg, r);
  result res;
  size_t off = 0;
  const char *un;
  size_t un_len;
  buf all = {0, 0, 0};

  assert_non_null(t);
  memset(&res, 0, sizeof res);
  res.fed_all = 1;
  if (chunk == 0)
    chunk = n ? n : 1;
  while (off < n) {
    size_t k = n - off < chunk ? n - off : chunk;
    res.st = c837_tokenizer_feed(t, in + off, k);
    if (res.st != C837_OK) {
      res.fed_all = 0;
      break;
    }
    off += k;
  }
  if (res.st == C837_OK) {
    assert_int_equal(c837_tokenizer_consumed(t), n);
    res.st = c837_tokenizer_finish(t);
  }
  res.err = *c837_tokenizer_error(t);
  assert_int_equal(res.err.code, res.st);

  /* every byte is still reachable, in order */
  c837_tokenizer_unemitted(t, &un, &un_len);
  if (res.st != C837_ECALLBACK) {
    uint64_t used = c837_tokenizer_consumed(t);
    assert_true(used <= n);
    buf_add(&all, r->raw.p, r->raw.len);
    buf_add(&all, un, un_len);
    buf_add(&all, in + used, n - (size_t)used);
    assert_int_equal(all.len, n);
    assert_memory_equal(all.p, in, n);
    free(all.p);
  }
  if (res.st == C837_OK) {
    assert_int_equal(r->raw.len, n);
    assert_memory_equal(r->raw.p, in, n);
    assert_int_equal(un_len, 0);
  }
  c837_tokenizer_free(t);
  return res;
}

/* Runs `in` whole, checks its log against `expect` (NULL: not checked)
 * and status, then at chunk sizes 1..64 checks the identical log and
 * identical error (code, offset, segment, message). */
static void check_case(const char *in, size_t n, const char *expect,
                       c837_status want)
{
  run whole;
  result rw;
  size_t chunk;

  memset(&whole, 0, sizeof whole);
  rw = tokenize(in, n, 0, &whole);
  if (expect && (!whole.log.p || strcmp(whole.log.p, expect) != 0)) {
    fprintf(stderr, "--- expected\n%s--- got\n%s---\n", expect,
            whole.log.p ? whole.log.p : "");
    fail_msg("event log differs");
  }
  assert_int_equal(rw.st, want);
  for (chunk = 1; chunk <= 64; chunk++) {
    run r;
    result rc;
    memset(&r, 0, sizeof r);
    rc = tokenize(in, n, chunk, &r);
    if (strcmp(r.log.p ? r.log.p : "", whole.log.p ? whole.log.p : "") !=
        0) {
      fprintf(stderr, "chunk %zu:\n%s--- whole:\n%s", chunk,
              r.log.p ? r.log.p : "", whole.log.p ? whole.log.p : "");
      fail_msg("log at chunk size %zu differs", chunk);
    }
    assert_int_equal(rc.st, rw.st);
    assert_int_equal(rc.err.offset, rw.err.offset);
    assert_int_equal(rc.err.segment, rw.err.segment);
    assert_string_equal(rc.err.msg, rw.err.msg);
    run_free(&r);
  }
  run_free(&whole);
}

#define CHECK(in, expect) check_case(in, sizeof(in) - 1, expect, C837_OK)

/* ------------------------------------------------------------------ */
/* ISA builders                                                        */
/* ------------------------------------------------------------------ */

/* A 105-byte ISA without its terminator: element separator E,
 * repetition R (ISA11), component C (ISA16). */
#define ISA_V(E, R, V, C)                                                   \
  "ISA" E "00" E "          " E "00" E "          " E "ZZ" E                \
  "SENDER         " E "ZZ" E "RECEIVER       " E "250101" E "1200" E R E  \
  V E "000000001" E "0" E "P" E C
#define ISA(E, R, C) ISA_V(E, R, "00501", C)
/* Its 16 elements as logged. */
#define ISA_ELS_V(R, V, C)                                                  \
  "[00][          ][00][          ][ZZ][SENDER         ][ZZ]"              \
  "[RECEIVER       ][250101][1200][" R "][" V "][000000001][0][P][" C "]"
#define ISA_ELS(R, C) ISA_ELS_V(R, "00501", C)
/* The ISA's raw bytes as logged (E and C as they appear escaped). */
#define ISA_RAW(E, R, C) ISA(E, R, C)

/* ------------------------------------------------------------------ */
/* Delimiter sets and layouts                                          */
/* ------------------------------------------------------------------ */

static void test_5010_tilde_star_colon_caret_crlf(void **state)
{
  static const char in[] =
      ISA("*", "^", ":") "~\r\n"
      "GS*HC*S*R*20250101*1200*1*X*005010X222A1~\r\n"
      "ST*837*0001*005010X222A1~\r\n"
      "SV1*HC:99213:25:59*100*UN*1***1:2^3~\r\n"
      "SE*4*0001~\r\n"
      "GE*1*1~\r\n"
      "IEA*1*000000001~\r\n";
  static const char expect[] =
      "1@0 L0 ISA n16 d*^:~ f0 b105 " ISA_ELS("^", ":") " \"" ISA_RAW(
          "*", "^", ":") "~\\r\\n\"\n"
      "2@108 L0 GS n8 d*^:~ f0 b40 [HC][S][R][20250101][1200][1][X]"
      "[005010X222A1] \"GS*HC*S*R*20250101*1200*1*X*005010X222A1~\\r\\n\"\n"
      "3@151 L0 ST n3 d*^:~ f0 b24 [837][0001][005010X222A1] "
      "\"ST*837*0001*005010X222A1~\\r\\n\"\n"
      "4@178 L0 SV1 n7 d*^:~ f0 b35 [HC:99213:25:59][100][UN][1][][]"
      "[1:2^3] \"SV1*HC:99213:25:59*100*UN*1***1:2^3~\\r\\n\"\n"
      "5@216 L0 SE n2 d*^:~ f0 b9 [4][0001] \"SE*4*0001~\\r\\n\"\n"
      "6@228 L0 GE n2 d*^:~ f0 b6 [1][1] \"GE*1*1~\\r\\n\"\n"
      "7@237 L0 IEA n2 d*^:~ f0 b15 [1][000000001] "
      "\"IEA*1*000000001~\\r\\n\"\n";
  (void)state;
  CHECK(in, expect);
}

static void test_tilde_star_gt_pipe_lf(void **state)
{
  static const char in[] =
      ISA("*", "|", ">") "~\n"
      "GS*HC*S*R*20250101*1200*1*X*005010X222A1~\n"
      "SV1*HC>38225>GT*100*UN*1***1>2|3~\n"
      "IEA*1*000000001~\n";
  static const char expect[] =
      "1@0 L0 ISA n16 d*|>~ f0 b105 " ISA_ELS("|", ">") " \"" ISA_RAW(
          "*", "|", ">") "~\\n\"\n"
      "2@107 L0 GS n8 d*|>~ f0 b40 [HC][S][R][20250101][1200][1][X]"
      "[005010X222A1] \"GS*HC*S*R*20250101*1200*1*X*005010X222A1~\\n\"\n"
      "3@149 L0 SV1 n7 d*|>~ f0 b32 [HC>38225>GT][100][UN][1][][][1>2|3] "
      "\"SV1*HC>38225>GT*100*UN*1***1>2|3~\\n\"\n"
      "4@183 L0 IEA n2 d*|>~ f0 b15 [1][000000001] "
      "\"IEA*1*000000001~\\n\"\n";
  (void)state;
  CHECK(in, expect);
}

static void test_tilde_star_pipe_caret_one_line(void **state)
{
  static const char in[] =
      ISA("*", "^", "|") "~"
      "GS*HC*S*R~"
      "SV1*HC|0537T*5*UN*1~"
      "IEA*1*000000001~";
  static const char expect[] =
      "1@0 L0 ISA n16 d*^|~ f0 b105 " ISA_ELS("^", "|") " \"" ISA_RAW(
          "*", "^", "|") "~\"\n"
      "2@106 L0 GS n3 d*^|~ f0 b9 [HC][S][R] \"GS*HC*S*R~\"\n"
      "3@116 L0 SV1 n4 d*^|~ f0 b19 [HC|0537T][5][UN][1] "
      "\"SV1*HC|0537T*5*UN*1~\"\n"
      "4@136 L0 IEA n2 d*^|~ f0 b15 [1][000000001] \"IEA*1*000000001~\"\n";
  (void)state;
  CHECK(in, expect);
}

/* Newline as the segment terminator; a CR before it stays out of the
 * body; an empty line is trailing bytes of the segment before it. */
static void test_newline_terminator(void **state)
{
  static const char in[] =
      ISA("*", "^", ":") "\n"
      "GS*HC*S*R\r\n"
      "ST*837*0001\n\n"
      "SE*2*0001\n"
      "IEA*1*000000001\n";
  static const char expect[] =
      "1@0 L0 ISA n16 d*^:\\n f0 b105 " ISA_ELS("^", ":") " \"" ISA_RAW(
          "*", "^", ":") "\\n\"\n"
      "2@106 L0 GS n3 d*^:\\n f0 b9 [HC][S][R] \"GS*HC*S*R\\r\\n\"\n"
      "3@117 L0 ST n2 d*^:\\n f0 b11 [837][0001] \"ST*837*0001\\n\\n\"\n"
      "4@130 L0 SE n2 d*^:\\n f0 b9 [2][0001] \"SE*2*0001\\n\"\n"
      "5@140 L0 IEA n2 d*^:\\n f0 b15 [1][000000001] "
      "\"IEA*1*000000001\\n\"\n";
  (void)state;
  CHECK(in, expect);
}

/* A byte-order mark and a blank line before the ISA are its lead. */
static void test_bom_before_isa(void **state)
{
  static const char in[] =
      "\xEF\xBB\xBF\r\n" ISA("*", "^", ":") "~\n"
      "IEA*1*000000001~\n";
  static const char expect[] =
      "1@0 L5 ISA n16 d*^:~ f0 b105 " ISA_ELS("^", ":") " "
      "\"\\xef\\xbb\\xbf\\r\\n" ISA_RAW("*", "^", ":") "~\\n\"\n"
      "2@112 L0 IEA n2 d*^:~ f0 b15 [1][000000001] \"IEA*1*000000001~\\n\"\n";
  (void)state;
  CHECK(in, expect);
}

/* Blanks and tabs after line ends (indented files) trail the segment. */
static void test_indentation(void **state)
{
  static const char in[] =
      ISA("*", "^", ":") "~\n  "
      "GS*HC~\n\t"
      "ST*837~ \r\n    "
      "IEA*1*000000001~";
  static const char expect[] =
      "1@0 L0 ISA n16 d*^:~ f0 b105 " ISA_ELS("^", ":") " \"" ISA_RAW(
          "*", "^", ":") "~\\n  \"\n"
      "2@109 L0 GS n1 d*^:~ f0 b5 [HC] \"GS*HC~\\n\\t\"\n"
      "3@117 L0 ST n1 d*^:~ f0 b6 [837] \"ST*837~ \\r\\n    \"\n"
      "4@131 L0 IEA n2 d*^:~ f0 b15 [1][000000001] \"IEA*1*000000001~\"\n";
  (void)state;
  CHECK(in, expect);
}

/* ISA02 with 9 blanks instead of 10: the ISA is one byte short, and its
 * delimiters are still found by counting separators. */
static void test_isa_short_field(void **state)
{
  static const char in[] =
      "ISA*00*         *00*          *ZZ*SENDER         *ZZ*RECEIVER       "
      "*250101*1200*^*00501*000000001*0*P*:~\n"
      "IEA*1*000000001~\n";
  static const char expect[] =
      "1@0 L0 ISA n16 d*^:~ f0 b104 [00][         ][00][          ][ZZ]"
      "[SENDER         ][ZZ][RECEIVER       ][250101][1200][^][00501]"
      "[000000001][0][P][:] \"ISA*00*         *00*          *ZZ*SENDER"
      "         *ZZ*RECEIVER       *250101*1200*^*00501*000000001*0*P*:~"
      "\\n\"\n"
      "2@106 L0 IEA n2 d*^:~ f0 b15 [1][000000001] \"IEA*1*000000001~\\n\"\n";
  (void)state;
  CHECK(in, expect);
}

/* Three interchanges, each with its own delimiters; the third starts
 * with a byte-order mark and uses newline as its terminator. */
static void test_several_interchanges_different_delims(void **state)
{
  static const char in[] =
      ISA("*", "^", ":") "~\n"
      "GS*HC*S*R~\n"
      "IEA*1*000000001~\n"
      ISA("|", "{", "}") "'\n"
      "GS|HC|S|R}X'\n"
      "IEA|1|000000001'\n"
      "\xEF\xBB\xBF" ISA("!", "^", ">") "\n"
      "GS!HC!S>1^2\n"
      "IEA!1!000000001\n";
  static const char expect[] =
      "1@0 L0 ISA n16 d*^:~ f0 b105 " ISA_ELS("^", ":") " \"" ISA_RAW(
          "*", "^", ":") "~\\n\"\n"
      "2@107 L0 GS n3 d*^:~ f0 b9 [HC][S][R] \"GS*HC*S*R~\\n\"\n"
      "3@118 L0 IEA n2 d*^:~ f0 b15 [1][000000001] \"IEA*1*000000001~\\n\"\n"
      "4@135 L0 ISA n16 d|{}' f0 b105 " ISA_ELS("{", "}") " \"" ISA_RAW(
          "|", "{", "}") "'\\n\"\n"
      "5@242 L0 GS n3 d|{}' f0 b11 [HC][S][R}X] \"GS|HC|S|R}X'\\n\"\n"
      "6@255 L0 IEA n2 d|{}' f0 b15 [1][000000001] "
      "\"IEA|1|000000001'\\n\"\n"
      "7@272 L3 ISA n16 d!^>\\n f0 b105 " ISA_ELS("^", ">") " "
      "\"\\xef\\xbb\\xbf" ISA_RAW("!", "^", ">") "\\n\"\n"
      "8@381 L0 GS n2 d!^>\\n f0 b11 [HC][S>1^2] \"GS!HC!S>1^2\\n\"\n"
      "9@393 L0 IEA n2 d!^>\\n f0 b15 [1][000000001] "
      "\"IEA!1!000000001\\n\"\n";
  (void)state;
  CHECK(in, expect);
}

/* 4010: ISA11 is the standards id "U", there is no repetition
 * separator, and '^' is an ordinary character. */
static void test_4010_isa(void **state)
{
  static const char in[] =
      ISA_V("*", "U", "00401", ":") "~\n"
      "SV1*HC:99213*10*UN*1^2~\n"
      "IEA*1*000000001~\n";
  static const char expect[] =
      "1@0 L0 ISA n16 d*\\0:~ f0 b105 " ISA_ELS_V("U", "00401", ":") " \"" ISA_V(
          "*", "U", "00401", ":") "~\\n\"\n"
      "2@107 L0 SV1 n4 d*\\0:~ f0 b22 [HC:99213][10][UN][1^2] "
      "\"SV1*HC:99213*10*UN*1^2~\\n\"\n"
      "3@131 L0 IEA n2 d*\\0:~ f0 b15 [1][000000001] "
      "\"IEA*1*000000001~\\n\"\n";
  (void)state;
  CHECK(in, expect);
}

/* A 5010 ISA with ISA11 = U (as some senders write): a letter is never a
 * separator, so there is none. */
static void test_5010_isa11_letter(void **state)
{
  static const char in[] = ISA("*", "U", ":") "~IEA*1*000000001~";
  static const char expect[] =
      "1@0 L0 ISA n16 d*\\0:~ f0 b105 " ISA_ELS("U", ":") " \"" ISA_RAW(
          "*", "U", ":") "~\"\n"
      "2@106 L0 IEA n2 d*\\0:~ f0 b15 [1][000000001] \"IEA*1*000000001~\"\n";
  (void)state;
  CHECK(in, expect);
}

/* The last segment without its terminator is accepted and flagged. */
static void test_last_segment_unterminated(void **state)
{
  static const char in[] = ISA("*", "^", ":") "~\n"
                           "IEA*1*000000001";
  static const char expect[] =
      "1@0 L0 ISA n16 d*^:~ f0 b105 " ISA_ELS("^", ":") " \"" ISA_RAW(
          "*", "^", ":") "~\\n\"\n"
      "2@107 L0 IEA n2 d*^:~ f1 b15 [1][000000001] \"IEA*1*000000001\"\n";
  (void)state;
  CHECK(in, expect);
}

/* Empty elements, a segment with only a tag, and a repeated terminator
 * (an empty segment) that trails the segment before it. */
static void test_empty_elements_and_bare_tag(void **state)
{
  static const char in[] = ISA("*", "^", ":") "~"
                           "NM1*IL*1****~~"
                           "LX~"
                           "IEA*1*000000001~";
  static const char expect[] =
      "1@0 L0 ISA n16 d*^:~ f0 b105 " ISA_ELS("^", ":") " \"" ISA_RAW(
          "*", "^", ":") "~\"\n"
      "2@106 L0 NM1 n6 d*^:~ f0 b12 [IL][1][][][][] \"NM1*IL*1****~~\"\n"
      "3@120 L0 LX n0 d*^:~ f0 b2  \"LX~\"\n"
      "4@123 L0 IEA n2 d*^:~ f0 b15 [1][000000001] \"IEA*1*000000001~\"\n";
  (void)state;
  CHECK(in, expect);
}

/* ------------------------------------------------------------------ */
/* Accessors                                                           */
/* ------------------------------------------------------------------ */

typedef struct grab {
  int found;
  c837_span comp[6];
  c837_span el9, el0;
  int is_sv1, is_sv;
} grab;

static int on_grab(void *ud, const c837_segment *s)
{
  grab *g = ud;
  size_t j;
  if (!c837_seg_is(s, "SV1"))
    return 0;
  g->found++;
  for (j = 0; j < 6; j++)
    g->comp[j] = c837_seg_comp(s, 1, j + 1);
  g->el9 = c837_seg_el(s, 9);
  g->el0 = c837_seg_comp(s, 1, 0);
  g->is_sv1 = c837_seg_is(s, "SV1");
  g->is_sv = c837_seg_is(s, "SV");
  return 0;
}

static void test_accessors(void **state)
{
  static const char in[] = ISA("*", "^", ">") "~SV1*HC>38225>GT>>59*1~";
  grab g;
  c837_tokenizer *t = c837_tokenizer_new(on_grab, &g);
  (void)state;
  memset(&g, 0, sizeof g);
  assert_int_equal(c837_tokenizer_feed(t, in, sizeof in - 1), C837_OK);
  assert_int_equal(c837_tokenizer_finish(t), C837_OK);
  assert_int_equal(g.found, 1);
  assert_true(c837_span_eq(g.comp[0], "HC"));
  assert_true(c837_span_eq(g.comp[1], "38225"));
  assert_true(c837_span_eq(g.comp[2], "GT"));
  assert_true(c837_span_eq(g.comp[3], ""));
  assert_true(c837_span_eq(g.comp[4], "59"));
  assert_true(c837_span_eq(g.comp[5], ""));
  assert_int_equal(g.el9.len, 0);
  assert_int_equal(g.el0.len, 0);
  assert_int_equal(g.is_sv1, 1);
  assert_int_equal(g.is_sv, 0);
  c837_tokenizer_free(t);
}

/* ------------------------------------------------------------------ */
/* Errors                                                              */
/* ------------------------------------------------------------------ */

/* Runs in whole and at every chunk size; every run must end with the
 * same code, offset and segment (and message unless msg_prefix_only),
 * and after `segments` segments. */
static void check_error(const char *in, size_t n, c837_status code,
                        uint64_t offset, uint64_t segment, const char *msg,
                        size_t segments, int msg_prefix_only)
{
  size_t chunk;
  for (chunk = 0; chunk <= 64; chunk++) {
    run r;
    result res;
    memset(&r, 0, sizeof r);
    r.raw_only = n > 4096;
    res = tokenize(in, n, chunk, &r);
    if (res.st != code || res.err.offset != offset ||
        res.err.segment != segment)
      fail_msg("chunk %zu: got %s offset %llu segment %llu (%s)", chunk,
               c837_status_name(res.st),
               (unsigned long long)res.err.offset,
               (unsigned long long)res.err.segment, res.err.msg);
    if (chunk == 0 || !msg_prefix_only) {
      assert_string_equal(res.err.msg, msg);
    } else {
      /* up to and including the first quote: the excerpt after it is
       * taken from the current chunk only (see test_no_isa) */
      const char *q = strchr(msg, '\'');
      size_t k = q ? (size_t)(q - msg) + 1 : strlen(msg);
      assert_memory_equal(res.err.msg, msg, k);
    }
    assert_int_equal(r.nseg, segments);
    run_free(&r);
  }
}

static void test_no_isa(void **state)
{
  static const char gs[] = "GS*HC*SENDER*RECEIVER*20250101*1200*1*X*"
                           "005010X222A1~\nST*837*0001~\n";
  static const char bom_st[] = "\xEF\xBB\xBF\nST*837*0001~\n";
  size_t chunk;
  (void)state;
  /* whole input: the message shows what was found */
  check_error(gs, sizeof gs - 1, C837_ENOISA, 0, 1,
              "expected an ISA segment, found 'GS*HC*SENDER'", 0, 1);
  check_error(bom_st, sizeof bom_st - 1, C837_ENOISA, 4, 1,
              "expected an ISA segment, found 'ST*837*0001~'", 0, 1);
  /* A lone 'IS' is not an ISA either */
  check_error("ISX*", 4, C837_ENOISA, 2, 1, "expected an ISA segment, found "
              "'X*'", 0, 1);
  /* whatever the chunking, the message starts the same way */
  for (chunk = 1; chunk <= 64; chunk++) {
    run r;
    result res;
    memset(&r, 0, sizeof r);
    res = tokenize(gs, sizeof gs - 1, chunk, &r);
    assert_int_equal(res.st, C837_ENOISA);
    assert_int_equal(res.err.offset, 0);
    assert_memory_equal(res.err.msg, "expected an ISA segment, found 'G",
                        strlen("expected an ISA segment, found 'G"));
    run_free(&r);
  }
}

static void test_no_isa_at_all(void **state)
{
  (void)state;
  check_error("", 0, C837_ENOISA, 0, 1, "input ends before any ISA segment",
              0, 0);
  check_error("\r\n\r\n  \n", 7, C837_ENOISA, 7, 1,
              "input ends before any ISA segment", 0, 0);
  check_error("\xEF\xBB\xBF", 3, C837_ENOISA, 3, 1,
              "input ends before any ISA segment", 0, 0);
}

/* Blank lines before the ISA beyond C837_MAX_PREAMBLE are not a
 * preamble. */
static void test_preamble_limit(void **state)
{
  size_t n = C837_MAX_PREAMBLE + 200;
  char *in = malloc(n);
  (void)state;
  assert_non_null(in);
  memset(in, '\n', C837_MAX_PREAMBLE);
  memcpy(in + C837_MAX_PREAMBLE, ISA("*", "^", ":") "~", 106);
  /* exactly C837_MAX_PREAMBLE blank bytes are fine */
  check_error(in, C837_MAX_PREAMBLE + 106, C837_OK, 0, 0, "", 1, 0);
  memmove(in + 1, in, C837_MAX_PREAMBLE + 106);
  in[0] = '\n';
  check_error(in, C837_MAX_PREAMBLE + 107, C837_ENOISA, C837_MAX_PREAMBLE,
              1, "expected an ISA segment, found '\\x0aISA*00*    '", 0, 1);
  free(in);
}

static void test_bad_isa(void **state)
{
  /* a letter where the element separator belongs */
  static const char noSep[] = "ISA00*          *00~";
  /* ISA16 equal to the element separator */
  static const char same[] =
      "ISA*00*          *00*          *ZZ*SENDER         *ZZ*RECEIVER       "
      "*250101*1200*^*00501*000000001*0*P**~GS*HC~";
  /* a segment terminator that is a letter */
  static const char alnum[] =
      "ISA*00*          *00*          *ZZ*SENDER         *ZZ*RECEIVER       "
      "*250101*1200*^*00501*000000001*0*P*:XGS*HC~";
  (void)state;
  check_error(noSep, sizeof noSep - 1, C837_EISA, 3, 1,
              "ISA: expected an element separator after 'ISA', found a "
              "letter or digit",
              0, 0);
  check_error("ISA\r\n", 5, C837_EISA, 3, 1,
              "ISA: expected an element separator after 'ISA', found white "
              "space",
              0, 0);
  check_error(same, sizeof same - 1, C837_EISA, 104, 1,
              "ISA: component separator and segment terminator must differ "
              "from each other and from the element separator; found '*~'",
              0, 0);
  check_error(alnum, sizeof alnum - 1, C837_EISA, 104, 1,
              "ISA: component separator and segment terminator must differ "
              "from each other and from the element separator; found ':X'",
              0, 0);
}

/* An ISA that never reaches its 16th separator. */
static void test_isa_too_long(void **state)
{
  char in[C837_MAX_ISA + 64];
  (void)state;
  memset(in, 'A', sizeof in);
  memcpy(in, "ISA*00*", 7);
  check_error(in, sizeof in, C837_EISA, 0, 1,
              "ISA: no segment terminator within " STR(C837_MAX_ISA)
              " bytes (an ISA "
              "has 16 elements and is 106 bytes long)",
              0, 0);
}

/* A segment of exactly C837_MAX_SEGMENT raw bytes is fine; one more byte
 * is ETOOLONG at the offset of the segment, and the error sticks. */
static void test_segment_too_long(void **state)
{
  static const char head[] = ISA("*", "^", ":") "~"; /* 106 bytes */
  size_t body = C837_MAX_SEGMENT - 1;                 /* + terminator */
  size_t n = 106 + body + 1 + 16;
  char *in = malloc(n + 1);
  (void)state;
  assert_non_null(in);
  memcpy(in, head, 106);
  memcpy(in + 106, "REF*", 4);
  memset(in + 110, 'x', body - 4);
  in[106 + body] = '~';
  memcpy(in + 106 + body + 1, "IEA*1*000000001~", 16);
  check_error(in, n, C837_OK, 0, 0, "", 3, 0);

  /* one byte more */
  in = realloc(in, n + 2);
  assert_non_null(in);
  memmove(in + 111, in + 110, n - 110);
  in[110] = 'x';
  check_error(in, n + 1, C837_ETOOLONG, 106, 2,
              "segment longer than " STR(C837_MAX_SEGMENT)
              " bytes: missing segment "
              "terminator?",
              1, 0);
  free(in);
}

/* Trailing CR/LF count toward the segment's limit too. */
static void test_segment_too_long_by_trailing_bytes(void **state)
{
  static const char head[] = ISA("*", "^", ":") "~"; /* 106 bytes */
  size_t n = 106 + C837_MAX_SEGMENT + 1 + 3;
  char *in = malloc(n);
  (void)state;
  assert_non_null(in);
  memcpy(in, head, 106);
  memcpy(in + 106, "REF*~", 5);
  memset(in + 111, '\n', C837_MAX_SEGMENT + 1 - 5);
  memcpy(in + 106 + C837_MAX_SEGMENT + 1, "LX~", 3);
  check_error(in, n, C837_ETOOLONG, 106, 2,
              "segment longer than " STR(C837_MAX_SEGMENT)
              " bytes: missing segment "
              "terminator?",
              1, 0);
  free(in);
}

/* C837_MAX_ELEMENTS elements are fine, one more is ETOOMANY. */
static void test_too_many_elements(void **state)
{
  static const char head[] = ISA("*", "^", ":") "~";
  buf ok = {0, 0, 0}, bad = {0, 0, 0};
  size_t i;
  (void)state;
  buf_str(&ok, head);
  buf_str(&ok, "REF");
  for (i = 0; i < C837_MAX_ELEMENTS; i++)
    buf_str(&ok, "*x");
  buf_str(&ok, "~\nIEA*1*000000001~");
  check_error(ok.p, ok.len, C837_OK, 0, 0, "", 3, 0);

  buf_str(&bad, head);
  buf_str(&bad, "REF");
  for (i = 0; i < C837_MAX_ELEMENTS + 1; i++)
    buf_str(&bad, "*x");
  buf_str(&bad, "~\nIEA*1*000000001~");
  check_error(bad.p, bad.len, C837_ETOOMANY, 106, 2,
              "segment 'REF' has more than " STR(C837_MAX_ELEMENTS)
              " elements", 1, 0);
  /* the same as the last segment (raised by finish) */
  bad.len -= strlen("IEA*1*000000001~");
  check_error(bad.p, bad.len, C837_ETOOMANY, 106, 2,
              "segment 'REF' has more than " STR(C837_MAX_ELEMENTS)
              " elements", 1, 0);
  free(ok.p);
  free(bad.p);
}

static void test_truncated(void **state)
{
  static const char in_isa[] = "ISA*00*          *00*";
  static const char in_seg[] = ISA("*", "^", ":") "~\nGS";
  static const char in_seg2[] = ISA("*", "^", ":") "~\nNM1";
  (void)state;
  check_error(in_isa, sizeof in_isa - 1, C837_ETRUNC, 21, 1,
              "input ends inside an ISA segment", 0, 0);
  check_error(in_seg, sizeof in_seg - 1, C837_ETRUNC, 107, 2,
              "input ends inside segment 'GS' (no segment terminator)", 1,
              0);
  check_error(in_seg2, sizeof in_seg2 - 1, C837_ETRUNC, 107, 2,
              "input ends inside segment 'NM1' (no segment terminator)", 1,
              0);
  /* an ISA cut right before its terminator */
  check_error(ISA("*", "^", ":"), 105, C837_ETRUNC, 105, 1,
              "input ends inside an ISA segment", 0, 0);
}

/* Bytes after an IEA that end without a terminator (text, NUL padding,
 * a DOS end-of-file byte, even a trailer) are not a segment cut off but
 * something that is not X12: ENOISA at the first of them, since only an
 * ISA may follow an IEA.  After a complete segment that is not an IEA,
 * the same bytes are a truncated segment again, at every chunking (the
 * fast path, which hands out whole segments from the caller's chunk,
 * must forget the IEA as the byte-at-a-time path does). */
static void test_garbage_after_iea(void **state)
{
#define HEAD ISA("*", "^", ":") "~IEA*1*000000001~"
  static const char text[] = HEAD "\nTHIS IS NOT X12\n";
  static const char nul[] = HEAD "\n\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0";
  static const char dos[] = HEAD "\x1a";
  static const char ge[] = HEAD "GE*1*1";
  static const char junk[] = HEAD "\nJUNK*1~\nXYZ";
#undef HEAD
  (void)state;
  check_error(text, sizeof text - 1, C837_ENOISA, 123, 3,
              "expected an ISA segment after the IEA, found 'THIS IS NOT '",
              2, 0);
  check_error(nul, sizeof nul - 1, C837_ENOISA, 123, 3,
              "expected an ISA segment after the IEA, found "
              "'\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00"
              "\\x00'",
              2, 0);
  check_error(dos, sizeof dos - 1, C837_ENOISA, 122, 3,
              "expected an ISA segment after the IEA, found '\\x1a'", 2, 0);
  check_error(ge, sizeof ge - 1, C837_ENOISA, 122, 3,
              "expected an ISA segment after the IEA, found 'GE*1*1'", 2, 0);
  check_error(junk, sizeof junk - 1, C837_ETRUNC, 131, 4,
              "input ends inside segment 'XYZ' (no segment terminator)", 3,
              0);
}

/* After an error, feed and finish return it again, read nothing and call
 * back no more. */
static void test_errors_stick(void **state)
{
  static const char bad[] = "GS*HC~";
  static const char good[] = ISA("*", "^", ":") "~IEA*1*000000001~";
  run r;
  c837_tokenizer *t;
  (void)state;
  memset(&r, 0, sizeof r);
  t = c837_tokenizer_new(on_seg, &r);
  assert_int_equal(c837_tokenizer_feed(t, bad, sizeof bad - 1), C837_ENOISA);
  assert_int_equal(c837_tokenizer_consumed(t), 1);
  assert_int_equal(c837_tokenizer_feed(t, good, sizeof good - 1),
                   C837_ENOISA);
  assert_int_equal(c837_tokenizer_consumed(t), 1);
  assert_int_equal(c837_tokenizer_finish(t), C837_ENOISA);
  assert_int_equal(c837_tokenizer_error(t)->code, C837_ENOISA);
  assert_string_equal(c837_tokenizer_error(t)->msg,
                      "expected an ISA segment, found 'GS*HC~'");
  assert_int_equal(r.nseg, 0);
  c837_tokenizer_free(t);
  run_free(&r);

  /* finish's error sticks too */
  memset(&r, 0, sizeof r);
  t = c837_tokenizer_new(on_seg, &r);
  assert_int_equal(c837_tokenizer_feed(t, good, 107), C837_OK);
  assert_int_equal(c837_tokenizer_finish(t), C837_ETRUNC);
  assert_int_equal(c837_tokenizer_feed(t, "EA*1*1~", 7), C837_ETRUNC);
  assert_int_equal(c837_tokenizer_finish(t), C837_ETRUNC);
  assert_int_equal(r.nseg, 1);
  c837_tokenizer_free(t);
  run_free(&r);
}

/* A callback that returns non-zero stops the tokenizer with ECALLBACK;
 * the stop sticks. */
static void test_callback_stops(void **state)
{
  static const char in[] = ISA("*", "^", ":") "~GS*HC~ST*837~IEA*1*1~";
  run r;
  c837_tokenizer *t;
  (void)state;
  memset(&r, 0, sizeof r);
  r.stop_at = 2;
  t = c837_tokenizer_new(on_seg, &r);
  assert_int_equal(c837_tokenizer_feed(t, in, sizeof in - 1),
                   C837_ECALLBACK);
  assert_int_equal(r.nseg, 2);
  assert_int_equal(c837_tokenizer_error(t)->code, C837_ECALLBACK);
  assert_int_equal(c837_tokenizer_feed(t, in, 1), C837_ECALLBACK);
  assert_int_equal(c837_tokenizer_finish(t), C837_ECALLBACK);
  assert_int_equal(r.nseg, 2);
  c837_tokenizer_free(t);
  run_free(&r);
}

/* A tokenizer without a callback still reads (counting only). */
static void test_null_callback(void **state)
{
  static const char in[] = ISA("*", "^", ":") "~IEA*1*1~";
  c837_tokenizer *t = c837_tokenizer_new(NULL, NULL);
  (void)state;
  assert_int_equal(c837_tokenizer_feed(t, in, sizeof in - 1), C837_OK);
  assert_int_equal(c837_tokenizer_finish(t), C837_OK);
  assert_int_equal(c837_tokenizer_consumed(t), sizeof in - 1);
  c837_tokenizer_free(t);
  c837_tokenizer_free(NULL);
}

/* Zero-length feeds change nothing. */
static void test_empty_feeds(void **state)
{
  static const char in[] = ISA("*", "^", ":") "~IEA*1*1~";
  run r;
  c837_tokenizer *t;
  size_t i;
  (void)state;
  memset(&r, 0, sizeof r);
  t = c837_tokenizer_new(on_seg, &r);
  for (i = 0; i < sizeof in - 1; i++) {
    assert_int_equal(c837_tokenizer_feed(t, in + i, 0), C837_OK);
    assert_int_equal(c837_tokenizer_feed(t, in + i, 1), C837_OK);
  }
  assert_int_equal(c837_tokenizer_finish(t), C837_OK);
  assert_int_equal(r.nseg, 2);
  c837_tokenizer_free(t);
  run_free(&r);
}

/* Status names and sentences. */
/* The flags of every segment of in[0..n), whole: "0 4 0 ...". */
static void flags_of(const char *in, size_t n, buf *out)
{
  run r;
  const char *p;
  memset(&r, 0, sizeof r);
  assert_int_equal(tokenize(in, n, 0, &r).st, C837_OK);
  for (p = r.log.p; p && (p = strstr(p, " f")) != NULL; p += 2) {
    unsigned f;
    if (sscanf(p, " f%u b", &f) == 1)
      buf_fmt(out, "%s%u", out->len ? " " : "", f);
  }
  run_free(&r);
}

/* A CR or LF inside a segment's body while the terminator is neither is
 * flagged C837_SEG_LINEBREAK (4): a file folded at a fixed width.  In
 * the tag, an element, bodies of every length (the eight-byte, four-byte
 * and byte paths of the test), not after the terminator (trailing
 * bytes), not a TAB, not with a CR or LF terminator; the same at every
 * chunk size (the flag is in the log check_case compares). */
static void test_line_break_flag(void **state)
{
  static const char in[] =
      ISA("*", "^", ":") "~\n"                    /* 1 ISA: 0 */
      "GS*HC*S*R~\r\n"                           /* 2 trailing CRLF: 0 */
      "SV1*HC:382\n25*100*UN*1~\n"               /* 3 in a code: 4 */
      "S\nV1*HC:38225~"                           /* 4 in the tag: 4 */
      "NTE*ADD*ABCDEFGHIJKLMNOPQRSTUVWXYZ\r~"     /* 5 last byte: 4 */
      "NTE*A\tB*TAB ONLY~"                        /* 6 a TAB: 0 */
      "N\nT*1~"                                   /* 7 five bytes: 4 */
      "AB\r~"                                     /* 8 three bytes: 4 */
      "NTE*ADD*NO BREAK AT ALL HERE~\n"           /* 9 long, none: 0 */
      "IEA*1*000000001~\n"                        /* 10: 0 */
      ISA("*", "^", ":") "\n"                     /* 11 LF terminator */
      "NTE*A\rB\n"                               /* 12 CR with LF: 0 */
      "IEA*1*000000001\n";                        /* 13 */
  buf got = {0, 0, 0};
  (void)state;
  check_case(in, sizeof in - 1, NULL, C837_OK);
  flags_of(in, sizeof in - 1, &got);
  assert_string_equal(got.p, "0 0 4 4 4 0 4 4 0 0 0 0 0");
  free(got.p);
}

static void test_status_names(void **state)
{
  (void)state;
  assert_string_equal(c837_status_name(C837_ETOOLONG), "ETOOLONG");
  assert_string_equal(c837_status_name(C837_OK), "OK");
  assert_string_equal(c837_strerror(C837_ENOISA),
                      "input does not start with an ISA segment");
  assert_non_null(c837_strerror((c837_status)999));
  assert_non_null(c837_status_name((c837_status)999));
  /* sentences give no limit's macro name (the messages give its value) */
  assert_string_equal(c837_strerror(C837_ETOOLONG),
                      "segment longer than the segment limit");
  assert_string_equal(c837_strerror(C837_ETOOMANY),
                      "segment has more elements than the limit");
}

/* Status classes: what the job treats as "the file cannot be read to its
 * end" is exactly the PARSE class. */
static void test_status_classes(void **state)
{
  static const struct {
    c837_status st;
    c837_class cls;
  } want[] = {
      {C837_OK, C837_CLASS_OK},          {C837_ENOMEM, C837_CLASS_MEMORY},
      {C837_ENOISA, C837_CLASS_PARSE},   {C837_EISA, C837_CLASS_PARSE},
      {C837_ETOOLONG, C837_CLASS_PARSE}, {C837_ETOOMANY, C837_CLASS_PARSE},
      {C837_ETRUNC, C837_CLASS_PARSE},   {C837_ECALLBACK, C837_CLASS_STOPPED},
      {C837_EIO, C837_CLASS_IO},         {C837_EGZIP, C837_CLASS_IO},
      {C837_ECLAIM, C837_CLASS_PARSE},   {C837_ECSV, C837_CLASS_DATA},
      {C837_EINVAL, C837_CLASS_USAGE},   {C837_ECONSERVE, C837_CLASS_INTERNAL},
      {C837_ELOCK, C837_CLASS_BUSY},     {C837_EINTR, C837_CLASS_STOPPED},
  };
  size_t i;
  (void)state;
  for (i = 0; i < sizeof want / sizeof want[0]; i++) {
    assert_int_equal(want[i].st, (c837_status)i); /* every status, in order */
    assert_int_equal(c837_status_class(want[i].st), want[i].cls);
  }
  assert_int_equal(c837_status_class((c837_status)999), C837_CLASS_INTERNAL);
  assert_string_equal(c837_class_name(C837_CLASS_PARSE), "PARSE");
  assert_string_equal(c837_class_name(C837_CLASS_INTERNAL), "INTERNAL");
  assert_string_equal(c837_class_name(C837_CLASS_COUNT), "");
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_5010_tilde_star_colon_caret_crlf),
      cmocka_unit_test(test_tilde_star_gt_pipe_lf),
      cmocka_unit_test(test_tilde_star_pipe_caret_one_line),
      cmocka_unit_test(test_newline_terminator),
      cmocka_unit_test(test_bom_before_isa),
      cmocka_unit_test(test_indentation),
      cmocka_unit_test(test_isa_short_field),
      cmocka_unit_test(test_several_interchanges_different_delims),
      cmocka_unit_test(test_4010_isa),
      cmocka_unit_test(test_5010_isa11_letter),
      cmocka_unit_test(test_last_segment_unterminated),
      cmocka_unit_test(test_empty_elements_and_bare_tag),
      cmocka_unit_test(test_accessors),
      cmocka_unit_test(test_no_isa),
      cmocka_unit_test(test_no_isa_at_all),
      cmocka_unit_test(test_preamble_limit),
      cmocka_unit_test(test_bad_isa),
      cmocka_unit_test(test_isa_too_long),
      cmocka_unit_test(test_segment_too_long),
      cmocka_unit_test(test_segment_too_long_by_trailing_bytes),
      cmocka_unit_test(test_too_many_elements),
      cmocka_unit_test(test_truncated),
      cmocka_unit_test(test_garbage_after_iea),
      cmocka_unit_test(test_errors_stick),
      cmocka_unit_test(test_callback_stops),
      cmocka_unit_test(test_null_callback),
      cmocka_unit_test(test_empty_feeds),
      cmocka_unit_test(test_line_break_flag),
      cmocka_unit_test(test_status_names),
      cmocka_unit_test(test_status_classes),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
