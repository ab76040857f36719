/* test_internal_ack.c -- unit tests of the acknowledgment builders
 * (999, 277CA: src/write/ack*.c)
 *
 * An internal test: it includes the private header src/write/ack.h.
 * Every output is compared byte for byte.  With ACK_DUMP_DIR set, each
 * output is also written to ACK_DUMP_DIR/NAME.x12, for tests/e2e_ack.sh
 * to run the independent checker tests/x12ack.py over them.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/limits.h"
#include "write/ack.h"
#include "testbuf.h"

/* ---- fixture ---------------------------------------------------------- */

typedef struct fx {
  c837_buf out;
  c837_sink sink;
  c837_ack_options o;
  uint64_t control;
} fx;

static void fx_init(fx *f, uint64_t control)
{
  memset(f, 0, sizeof *f);
  f->sink.write = c837_ack_buf_sink;
  f->sink.ud = &f->out;
  f->control = control;
  f->o.control = &f->control;
}

/* Writes an output to ACK_DUMP_DIR/name.x12 when the variable is set. */
static void dump(const char *name, const char *p, size_t n)
{
  const char *dir = getenv("ACK_DUMP_DIR");
  char path[512];
  FILE *fp;
  if (!dir || !*dir)
    return;
  snprintf(path, sizeof path, "%s/%s.x12", dir, name);
  fp = fopen(path, "wb");
  assert_non_null(fp);
  assert_int_equal(fwrite(p, 1, n, fp), n);
  assert_int_equal(fclose(fp), 0);
}

/* The buffer's text, NUL-terminated (the NUL is not counted in len). */
static const char *text_of(c837_buf *b)
{
  assert_int_equal(c837_buf_putc(b, '\0'), 0);
  b->len--;
  return b->p;
}

/* The buffer holds exactly want (printed both ways when not). */
static void expect_bytes(const c837_buf *b, const char *want,
                         const char *name)
{
  size_t n = strlen(want);
  if (b->len != n || (n && memcmp(b->p, want, n) != 0)) {
    fprintf(stderr, "== %s: got %zu bytes:\n%.*s\n== wanted %zu:\n%s\n",
            name, b->len, (int)b->len, b->p ? b->p : "", n, want);
    fail();
  }
  dump(name, b->p, b->len);
}

static c837_ack_isa isa_std(const char *control)
{
  c837_ack_isa i;
  memset(&i, 0, sizeof i);
  i.delims.element = '*';
  i.delims.component = ':';
  i.delims.repetition = '^';
  i.delims.segment = '~';
  strcpy(i.eol, "\n");
  strcpy(i.sender_qual, "ZZ");
  strcpy(i.sender_id, "CART837SAMPLE");
  strcpy(i.receiver_qual, "ZZ");
  strcpy(i.receiver_id, "NWCH00042");
  strcpy(i.date, "250820");
  strcpy(i.time, "2310");
  strcpy(i.control, control);
  i.ack_requested = '0';
  i.usage = 'T';
  return i;
}

static c837_ack_gs gs_std(const char *control)
{
  c837_ack_gs g;
  memset(&g, 0, sizeof g);
  strcpy(g.func, "HC");
  strcpy(g.sender, "CART837SAMPLE");
  strcpy(g.receiver, "NWCH00042");
  strcpy(g.date, "20250820");
  strcpy(g.time, "2310");
  strcpy(g.control, control);
  strcpy(g.version, "005010X222A1");
  return g;
}

static c837_ack_st st_std(const char *control)
{
  c837_ack_st s;
  memset(&s, 0, sizeof s);
  strcpy(s.id, "837");
  strcpy(s.control, control);
  strcpy(s.convention, "005010X222A1");
  return s;
}

/* The 999's ISA with the defaults (addresses swapped, the input's date
 * and usage) and control number ctl (9 digits). */
#define ISA999(ctl)                                                         \
  "ISA*00*          *00*          *ZZ*NWCH00042      *ZZ*CART837SAMPLE  *" \
  "250820*2310*^*00501*" ctl "*0*T*:~\n"
#define GS999(ctl)                                                          \
  "GS*FA*NWCH00042*CART837SAMPLE*20250820*2310*" ctl "*X*005010X231A1~\n"

/* Begins an interchange, a group and a set. */
static void begin3(c837_ack999 *a, const c837_ack_isa *i,
                   const c837_ack_gs *g, const c837_ack_st *s)
{
  assert_int_equal(c837_ack999_begin_interchange(a, i), C837_OK);
  assert_int_equal(c837_ack999_begin_group(a, g), C837_OK);
  assert_int_equal(c837_ack999_begin_set(a, s), C837_OK);
}

/* One interchange, one group, one set, with the calls in between done
 * by `between` (NULL: none). */
static void one_set(c837_ack999 *a, void (*between)(c837_ack999 *),
                    const char *ge01)
{
  c837_ack_isa i = isa_std("000000104");
  c837_ack_gs g = gs_std("104");
  c837_ack_st s = st_std("0001");
  begin3(a, &i, &g, &s);
  if (between)
    between(a);
  assert_int_equal(c837_ack999_end_set(a, 0), C837_OK);
  assert_int_equal(c837_ack999_end_group(a, ge01), C837_OK);
  assert_int_equal(c837_ack999_end_interchange(a), C837_OK);
}

/* ---- 999 ----------------------------------------------------------------- */

static void test_999_clean(void **state)
{
  fx f;
  c837_ack999 *a;
  c837_ack999_stats st;
  (void)state;
  fx_init(&f, 0); /* 0 counts as 1 */
  a = c837_ack999_new(&f.o, &f.sink);
  assert_non_null(a);
  one_set(a, NULL, "1");
  assert_int_equal(c837_ack999_finish(a, &st, NULL), C837_OK);
  expect_bytes(&f.out,
               ISA999("000000001") GS999("1")
               "ST*999*0001*005010X231A1~\n"
               "AK1*HC*104*005010X222A1~\n"
               "AK2*837*0001*005010X222A1~\n"
               "IK5*A~\n"
               "AK9*A*1*1*1~\n"
               "SE*6*0001~\n"
               "GE*1*1~\n"
               "IEA*1*000000001~\n",
               "999-clean");
  assert_int_equal(f.control, 2);
  assert_int_equal(st.interchanges, 1);
  assert_int_equal(st.sets, 1);
  assert_int_equal(st.sets_accepted, 1);
  assert_int_equal(st.ta1, 0);
  c837_ack999_free(a);
  c837_buf_free(&f.out);
}

static void se01_problem(c837_ack999 *a)
{
  assert_int_equal(c837_ack999_problem(a, "SE01_COUNT", NULL), C837_OK);
}

static void test_999_se01_count(void **state)
{
  fx f;
  c837_ack999 *a;
  c837_ack_isa i = isa_std("000000104");
  c837_ack_gs g = gs_std("104");
  c837_ack_st s1 = st_std("0001"), s2 = st_std("0002");
  (void)state;
  fx_init(&f, 7);
  a = c837_ack999_new(&f.o, &f.sink);
  begin3(a, &i, &g, &s1);
  se01_problem(a);
  assert_int_equal(c837_ack999_end_set(a, 0), C837_OK);
  assert_int_equal(c837_ack999_begin_set(a, &s2), C837_OK);
  assert_int_equal(c837_ack999_end_set(a, 0), C837_OK);
  assert_int_equal(c837_ack999_end_group(a, "2"), C837_OK);
  assert_int_equal(c837_ack999_end_interchange(a), C837_OK);
  assert_int_equal(c837_ack999_finish(a, NULL, NULL), C837_OK);
  expect_bytes(&f.out,
               ISA999("000000007") GS999("7")
               "ST*999*0001*005010X231A1~\n"
               "AK1*HC*104*005010X222A1~\n"
               "AK2*837*0001*005010X222A1~\n"
               "IK5*E*4~\n"
               "AK2*837*0002*005010X222A1~\n"
               "IK5*A~\n"
               "AK9*E*2*2*2~\n"
               "SE*8*0001~\n"
               "GE*1*7~\n"
               "IEA*1*000000007~\n",
               "999-se01");
  c837_ack999_free(a);
  c837_buf_free(&f.out);
}

static void test_999_ge01_count(void **state)
{
  fx f;
  c837_ack999 *a;
  c837_ack_isa i = isa_std("000000104");
  c837_ack_gs g = gs_std("104");
  c837_ack_st s = st_std("0001");
  (void)state;
  fx_init(&f, 1);
  a = c837_ack999_new(&f.o, &f.sink);
  /* GE01 says 3, one set came: AK902 3, AK903 1, AK905 5 (the problem
   * and the count agree; the code is written once) */
  begin3(a, &i, &g, &s);
  assert_int_equal(c837_ack999_end_set(a, 0), C837_OK);
  assert_int_equal(c837_ack999_problem(a, "GE01_COUNT", NULL), C837_OK);
  assert_int_equal(c837_ack999_end_group(a, "3"), C837_OK);
  /* a GE01 that is not a number: AK902 0; a missing GE: AK902 = AK903
   * and code 3 */
  assert_int_equal(c837_ack999_begin_group(a, &g), C837_OK);
  assert_int_equal(c837_ack999_begin_set(a, &s), C837_OK);
  assert_int_equal(c837_ack999_end_group(a, "X1"), C837_OK);
  assert_int_equal(c837_ack999_begin_group(a, &g), C837_OK);
  assert_int_equal(c837_ack999_begin_set(a, &s), C837_OK);
  assert_int_equal(c837_ack999_problem(a, "GE_MISSING", NULL), C837_OK);
  assert_int_equal(c837_ack999_end_interchange(a), C837_OK);
  assert_int_equal(c837_ack999_finish(a, NULL, NULL), C837_OK);
  expect_bytes(&f.out,
               ISA999("000000001") GS999("1")
               "ST*999*0001*005010X231A1~\n"
               "AK1*HC*104*005010X222A1~\n"
               "AK2*837*0001*005010X222A1~\n"
               "IK5*A~\n"
               "AK9*E*3*1*1*5~\n"
               "SE*6*0001~\n"
               "ST*999*0002*005010X231A1~\n"
               "AK1*HC*104*005010X222A1~\n"
               "AK2*837*0001*005010X222A1~\n"
               "IK5*A~\n"
               "AK9*E*0*1*1*5~\n"
               "SE*6*0002~\n"
               "ST*999*0003*005010X231A1~\n"
               "AK1*HC*104*005010X222A1~\n"
               "AK2*837*0001*005010X222A1~\n"
               "IK5*A~\n"
               "AK9*E*1*1*1*3~\n"
               "SE*6*0003~\n"
               "GE*3*1~\n"
               "IEA*1*000000001~\n",
               "999-ge01");
  c837_ack999_free(a);
  c837_buf_free(&f.out);
}

/* The segment and element errors of test_999_element_errors, through
 * the table. */
static void table_errors(c837_ack999 *a)
{
  c837_ack_where w;
  memset(&w, 0, sizeof w);
  w.segment_id = "DTP";
  w.position = 27;
  w.loop = "2400";
  w.value = "20250230";
  w.claim_id = "DATE-BAD-1";
  assert_int_equal(c837_ack999_problem(a, "DATE_INVALID", &w), C837_OK);
  /* a value holding a delimiter is not echoed */
  w.position = 31;
  w.value = "2025*0230";
  assert_int_equal(c837_ack999_problem(a, "DATE_INVALID", &w), C837_OK);
  memset(&w, 0, sizeof w);
  w.segment_id = "SV1";
  w.position = 40;
  w.element = 2;
  w.claim_id = "C1";
  assert_int_equal(c837_ack999_problem(a, "SEGMENT_NUL_BYTE", &w), C837_OK);
  w.element = 0; /* the NUL in the tag */
  w.segment_id = "S";
  assert_int_equal(c837_ack999_problem(a, "SEGMENT_NUL_BYTE", &w), C837_OK);
  memset(&w, 0, sizeof w);
  w.segment_id = "CLM|H1|100";
  w.position = 44;
  assert_int_equal(c837_ack999_problem(a, "SEGMENT_ID_INVALID", &w),
                   C837_OK);
  w.segment_id = "HL";
  w.position = 45;
  w.loop = "2000B";
  assert_int_equal(c837_ack999_problem(a, "HL01_ORDER", &w), C837_OK);
  w.segment_id = "SV1";
  w.position = 52;
  w.loop = NULL;
  w.claim_id = "C9";
  assert_int_equal(c837_ack999_problem(a, "LX_MISSING", &w), C837_OK);
}

static void explicit_errors(c837_ack999 *a)
{
  c837_ack_segerr se = {"DTP", 27, "2400", "8", "DATE-BAD-1"};
  c837_ack_elemerr ee = {3, 0, 1251, "8", "20250230"};
  c837_ack_segerr se2 = {"NM1", 9, NULL, "8", NULL};
  c837_ack_elemerr ee2 = {1, 2, 0, "7", "ZZ"};
  assert_int_equal(c837_ack999_segment_error(a, &se), C837_OK);
  assert_int_equal(c837_ack999_element_error(a, &ee), C837_OK);
  assert_int_equal(c837_ack999_segment_error(a, &se2), C837_OK);
  assert_int_equal(c837_ack999_element_error(a, &ee2), C837_OK);
}

static void test_999_element_errors(void **state)
{
  fx f, g;
  c837_ack999 *a, *b;
  (void)state;
  fx_init(&f, 5);
  a = c837_ack999_new(&f.o, &f.sink);
  one_set(a, table_errors, "1");
  assert_int_equal(c837_ack999_finish(a, NULL, NULL), C837_OK);
  expect_bytes(&f.out,
               ISA999("000000005") GS999("5")
               "ST*999*0001*005010X231A1~\n"
               "AK1*HC*104*005010X222A1~\n"
               "AK2*837*0001*005010X222A1~\n"
               "IK3*DTP*27*2400*8~\n"
               "CTX*CLM01:DATE-BAD-1~\n"
               "IK4*3*1251*8*20250230~\n"
               "IK3*DTP*31*2400*8~\n"
               "CTX*CLM01:DATE-BAD-1~\n"
               "IK4*3*1251*8~\n"
               "IK3*SV1*40**8~\n"
               "CTX*CLM01:C1~\n"
               "IK4*2**6~\n"
               "IK3*UNK*40**1~\n"
               "CTX*CLM01:C1~\n"
               "IK3*CLM*44**1~\n"
               "IK3*HL*45**8~\n"
               "IK4*1*628*I12~\n"
               "IK3*LX*52*2400*3~\n"
               "CTX*CLM01:C9~\n"
               "IK5*E*5*I5~\n"
               "AK9*E*1*1*1~\n"
               "SE*22*0001~\n"
               "GE*1*5~\n"
               "IEA*1*000000005~\n",
               "999-elements");
  /* the explicit calls give the same bytes as the table */
  fx_init(&g, 5);
  b = c837_ack999_new(&g.o, &g.sink);
  one_set(b, explicit_errors, "1");
  assert_int_equal(c837_ack999_finish(b, NULL, NULL), C837_OK);
  expect_bytes(&g.out,
               ISA999("000000005") GS999("5")
               "ST*999*0001*005010X231A1~\n"
               "AK1*HC*104*005010X222A1~\n"
               "AK2*837*0001*005010X222A1~\n"
               "IK3*DTP*27*2400*8~\n"
               "CTX*CLM01:DATE-BAD-1~\n"
               "IK4*3*1251*8*20250230~\n"
               "IK3*NM1*9**8~\n"
               "IK4*1:2**7*ZZ~\n"
               "IK5*E*5~\n"
               "AK9*E*1*1*1~\n"
               "SE*11*0001~\n"
               "GE*1*5~\n"
               "IEA*1*000000005~\n",
               "999-elements-explicit");
  c837_ack999_free(a);
  c837_ack999_free(b);
  c837_buf_free(&f.out);
  c837_buf_free(&g.out);
}

static void test_999_held_whole(void **state)
{
  fx f;
  c837_buf again = {0};
  c837_sink s2 = {c837_ack_buf_sink, &again};
  c837_ack999 *a;
  c837_ack999_stats st;
  c837_ack_isa i2 = isa_std("000000105"), i3 = isa_std("ABC");
  c837_ack_gs g = gs_std("105");
  c837_ack_st s = st_std("0001");
  (void)state;
  fx_init(&f, 1);
  a = c837_ack999_new(&f.o, &f.sink);
  /* a whole interchange (written: control 1), one cut inside its set
   * (ended by the next ISA: control 2), then one whose ISA13 cannot be
   * echoed: the file is held whole, its interchanges get TA1s with new
   * numbers (3, 4), the third none */
  one_set(a, NULL, "1");
  begin3(a, &i2, &g, &s);
  assert_int_equal(c837_ack999_begin_interchange(a, &i3), C837_OK);
  assert_true(f.out.len > 0); /* written, and now void */
  assert_int_equal(c837_ack999_reject_file(a, C837_ETRUNC, &s2), C837_OK);
  assert_int_equal(c837_ack999_finish(a, &st, NULL), C837_OK);
  expect_bytes(&again,
               ISA999("000000003")
               "TA1*000000104*250820*2310*R*023~\n"
               "IEA*0*000000003~\n"
               ISA999("000000004")
               "TA1*000000105*250820*2310*R*023~\n"
               "IEA*0*000000004~\n",
               "999-held-whole");
  assert_int_equal(st.unacknowledged, 1); /* the ISA13 "ABC" */
  c837_ack999_free(a);
  /* no interchange begun (ENOISA): nothing */
  c837_buf_clear(&again);
  a = c837_ack999_new(&f.o, &f.sink);
  assert_int_equal(c837_ack999_reject_file(a, C837_ENOISA, &s2), C837_OK);
  assert_int_equal(again.len, 0);
  c837_ack999_free(a);
  c837_buf_free(&again);
  c837_buf_free(&f.out);
}

static void test_999_groups_interchanges(void **state)
{
  fx f;
  c837_ack999 *a;
  c837_ack_isa i1 = isa_std("000000104"), i2 = isa_std("000000106");
  c837_ack_gs g1 = gs_std("104"), g2 = gs_std("105"), g3 = gs_std("106");
  c837_ack_st s1 = st_std("0001"), s2 = st_std("0002");
  (void)state;
  fx_init(&f, 901);
  f.o.date = 20250821;
  f.o.time = 600;
  i2.ack_requested = '1'; /* a TA1 is asked for: A 000 */
  strcpy(g2.version, "005010X223A2");
  a = c837_ack999_new(&f.o, &f.sink);
  begin3(a, &i1, &g1, &s1);
  assert_int_equal(c837_ack999_begin_set(a, &s2), C837_OK); /* ends s1 */
  assert_int_equal(c837_ack999_begin_group(a, &g2), C837_OK); /* ends g1 */
  assert_int_equal(c837_ack999_begin_set(a, &s1), C837_OK);
  begin3(a, &i2, &g3, &s1);
  assert_int_equal(c837_ack999_finish(a, NULL, NULL), C837_OK);
#define ISA901(ctl)                                                         \
  "ISA*00*          *00*          *ZZ*NWCH00042      *ZZ*CART837SAMPLE  *" \
  "250821*0600*^*00501*" ctl "*0*T*:~\n"
  expect_bytes(&f.out,
               ISA901("000000901")
               "GS*FA*NWCH00042*CART837SAMPLE*20250821*0600*901*X*"
               "005010X231A1~\n"
               "ST*999*0001*005010X231A1~\n"
               "AK1*HC*104*005010X222A1~\n"
               "AK2*837*0001*005010X222A1~\n"
               "IK5*A~\n"
               "AK2*837*0002*005010X222A1~\n"
               "IK5*A~\n"
               "AK9*A*2*2*2~\n"
               "SE*8*0001~\n"
               "ST*999*0002*005010X231A1~\n"
               "AK1*HC*105*005010X223A2~\n"
               "AK2*837*0001*005010X222A1~\n"
               "IK5*A~\n"
               "AK9*A*1*1*1~\n"
               "SE*6*0002~\n"
               "GE*2*901~\n"
               "IEA*1*000000901~\n"
               ISA901("000000902")
               "TA1*000000106*250820*2310*A*000~\n"
               "GS*FA*NWCH00042*CART837SAMPLE*20250821*0600*902*X*"
               "005010X231A1~\n"
               "ST*999*0001*005010X231A1~\n"
               "AK1*HC*106*005010X222A1~\n"
               "AK2*837*0001*005010X222A1~\n"
               "IK5*A~\n"
               "AK9*A*1*1*1~\n"
               "SE*6*0001~\n"
               "GE*1*902~\n"
               "IEA*1*000000902~\n",
               "999-groups");
  assert_int_equal(f.control, 903);
  c837_ack999_free(a);
  c837_buf_free(&f.out);
}

static void test_999_delimiters(void **state)
{
  fx f;
  c837_ack999 *a;
  c837_ack_isa i = isa_std("000000104");
  c837_ack_gs g = gs_std("104");
  c837_ack_st s = st_std("0001");
  c837_ack_where w;
  c837_ack_elemerr ee = {2, 1, 0, "7", "A|B"};
  (void)state;
  fx_init(&f, 42);
  i.delims.element = '|';
  i.delims.component = '>';
  i.delims.repetition = '^';
  i.delims.segment = '~';
  a = c837_ack999_new(&f.o, &f.sink);
  begin3(a, &i, &g, &s);
  memset(&w, 0, sizeof w);
  w.segment_id = "DTP";
  w.position = 6;
  w.loop = "2300";
  w.value = "2025>0230";
  w.claim_id = "A|B>C";
  assert_int_equal(c837_ack999_problem(a, "DATE_INVALID", &w), C837_OK);
  assert_int_equal(c837_ack999_element_error(a, &ee), C837_OK);
  assert_int_equal(c837_ack999_problem(a, "SE02_CONTROL", NULL), C837_OK);
  assert_int_equal(c837_ack999_end_set(a, 0), C837_OK);
  assert_int_equal(c837_ack999_end_group(a, "1"), C837_OK);
  assert_int_equal(c837_ack999_problem(a, "IEA01_COUNT", NULL), C837_OK);
  assert_int_equal(c837_ack999_problem(a, "IEA02_CONTROL", NULL), C837_OK);
  assert_int_equal(c837_ack999_end_interchange(a), C837_OK);
  assert_int_equal(c837_ack999_finish(a, NULL, NULL), C837_OK);
  /* the input's delimiters and its newline; values stripped of them;
   * the first interchange problem names the TA1 */
  expect_bytes(&f.out,
               "ISA|00|          |00|          |ZZ|NWCH00042      |ZZ|"
               "CART837SAMPLE  |250820|2310|^|00501|000000042|0|T|>~\n"
               "TA1|000000104|250820|2310|E|021~\n"
               "GS|FA|NWCH00042|CART837SAMPLE|20250820|2310|42|X|"
               "005010X231A1~\n"
               "ST|999|0001|005010X231A1~\n"
               "AK1|HC|104|005010X222A1~\n"
               "AK2|837|0001|005010X222A1~\n"
               "IK3|DTP|6|2300|8~\n"
               "CTX|CLM01>ABC~\n"
               "IK4|3|1251|8~\n"
               "IK4|2>1||7~\n"
               "IK5|E|3|5~\n"
               "AK9|E|1|1|1~\n"
               "SE|10|0001~\n"
               "GE|1|42~\n"
               "IEA|1|000000042~\n",
               "999-delims");
  c837_ack999_free(a);
  c837_buf_free(&f.out);
  /* an input without a repetition separator (4010 "U"), CR LF: ISA11
   * becomes '^' */
  fx_init(&f, 1);
  i = isa_std("000000104");
  i.delims.repetition = 0;
  strcpy(i.eol, "\r\n");
  i.ack_requested = '1';
  a = c837_ack999_new(&f.o, &f.sink);
  assert_int_equal(c837_ack999_begin_interchange(a, &i), C837_OK);
  assert_int_equal(c837_ack999_end_interchange(a), C837_OK);
  assert_int_equal(c837_ack999_finish(a, NULL, NULL), C837_OK);
  expect_bytes(&f.out,
               "ISA*00*          *00*          *ZZ*NWCH00042      *ZZ*"
               "CART837SAMPLE  *250820*2310*^*00501*000000001*0*T*:~\r\n"
               "TA1*000000104*250820*2310*A*000~\r\n"
               "IEA*0*000000001~\r\n",
               "999-crlf");
  c837_ack999_free(a);
  c837_buf_free(&f.out);
}

static void test_999_cut(void **state)
{
  fx f;
  c837_ack999 *a;
  c837_ack_isa i = isa_std("000000104");
  c837_ack_gs g = gs_std("104");
  c837_ack_st s1 = st_std("0001"), s2 = st_std("0002");
  (void)state;
  fx_init(&f, 1);
  a = c837_ack999_new(&f.o, &f.sink);
  begin3(a, &i, &g, &s1);
  assert_int_equal(c837_ack999_begin_set(a, &s2), C837_OK);
  assert_int_equal(c837_ack999_cut(a, C837_ETRUNC), C837_OK);
  /* nothing is open any more: cutting again changes nothing */
  assert_int_equal(c837_ack999_cut(a, C837_ETRUNC), C837_OK);
  assert_int_equal(c837_ack999_finish(a, NULL, NULL), C837_OK);
  expect_bytes(&f.out,
               ISA999("000000001")
               "TA1*000000104*250820*2310*E*023~\n"
               GS999("1")
               "ST*999*0001*005010X231A1~\n"
               "AK1*HC*104*005010X222A1~\n"
               "AK2*837*0001*005010X222A1~\n"
               "IK5*A~\n"
               "AK2*837*0002*005010X222A1~\n"
               "IK5*R*2~\n"
               "AK9*P*2*2*1*3~\n"
               "SE*8*0001~\n"
               "GE*1*1~\n"
               "IEA*1*000000001~\n",
               "999-cut");
  c837_ack999_free(a);
  c837_buf_free(&f.out);
  /* a cut before any set was accepted rejects the interchange */
  fx_init(&f, 1);
  a = c837_ack999_new(&f.o, &f.sink);
  assert_int_equal(c837_ack999_begin_interchange(a, &i), C837_OK);
  assert_int_equal(c837_ack999_cut(a, C837_ETOOLONG), C837_OK);
  assert_int_equal(c837_ack999_finish(a, NULL, NULL), C837_OK);
  expect_bytes(&f.out,
               ISA999("000000001")
               "TA1*000000104*250820*2310*R*024~\n"
               "IEA*0*000000001~\n",
               "999-cut-early");
  c837_ack999_free(a);
  c837_buf_free(&f.out);
}

static void many_codes(c837_ack999 *a)
{
  static const char *const ids[] = {"SE02_CONTROL", "HL01_ORDER",
                                    "SE01_COUNT", "SE_MISSING",
                                    "ST02_DUPLICATE", "DATE_INVALID"};
  size_t k;
  for (k = 0; k < sizeof ids / sizeof ids[0]; k++)
    assert_int_equal(c837_ack999_problem(a, ids[k], NULL), C837_OK);
}

static void test_999_codes_and_table(void **state)
{
  fx f;
  c837_ack999 *a;
  c837_ack999_stats st;
  const c837_ack_rule *r;
  (void)state;
  /* ISA_LENGTH by the field named; any other field: 022 */
  r = c837_ack999_rule("ISA_LENGTH", 6);
  assert_non_null(r);
  assert_string_equal(r->code, "006");
  assert_string_equal(c837_ack999_rule("ISA_LENGTH", 0)->code, "022");
  assert_string_equal(c837_ack999_rule("ISA_LENGTH", 40)->code, "022");
  assert_string_equal(c837_ack999_rule("ISA_LENGTH", 16)->code, "027");
  assert_int_equal(c837_ack999_rule("GE_MISSING", 0)->level, C837_ACK_GROUP);
  assert_true(c837_ack999_rule("SE_MISSING", 0)->flags & C837_ACK_NOW);
  assert_int_equal(c837_ack999_rule("GS_OUTSIDE_ISA", 0)->level,
                   C837_ACK_NONE);
  assert_null(c837_ack999_rule("NO_SUCH_PROBLEM", 0));
  /* IK5 codes in code order, distinct, at most five */
  fx_init(&f, 1);
  a = c837_ack999_new(&f.o, &f.sink);
  one_set(a, many_codes, "1");
  assert_int_equal(c837_ack999_problem(a, "NO_SUCH_PROBLEM", NULL), C837_OK);
  assert_int_equal(c837_ack999_finish(a, &st, NULL), C837_OK);
  assert_non_null(strstr(text_of(&f.out), "\nIK5*E*2*3*4*5*23~\n"));
  assert_int_equal(st.unacknowledged, 1);
  assert_int_equal(st.sets_errors, 1);
  c837_ack999_free(a);
  c837_buf_free(&f.out);
}

static void test_999_repeated_st02(void **state)
{
  fx f;
  c837_ack999 *a;
  c837_ack_isa i = isa_std("000000104");
  c837_ack_gs g = gs_std("104");
  c837_ack_st s = st_std("0001");
  (void)state;
  fx_init(&f, 1);
  a = c837_ack999_new(&f.o, &f.sink);
  /* the same ST02 twice in a group: the second gets 23 (also when the
   * parser reports ST02_DUPLICATE: one code); a new group starts over */
  begin3(a, &i, &g, &s);
  assert_int_equal(c837_ack999_begin_set(a, &s), C837_OK);
  assert_int_equal(c837_ack999_problem(a, "ST02_DUPLICATE", NULL), C837_OK);
  assert_int_equal(c837_ack999_begin_group(a, &g), C837_OK);
  assert_int_equal(c837_ack999_begin_set(a, &s), C837_OK);
  assert_int_equal(c837_ack999_finish(a, NULL, NULL), C837_OK);
  expect_bytes(&f.out,
               ISA999("000000001") GS999("1")
               "ST*999*0001*005010X231A1~\n"
               "AK1*HC*104*005010X222A1~\n"
               "AK2*837*0001*005010X222A1~\n"
               "IK5*A~\n"
               "AK2*837*0001*005010X222A1~\n"
               "IK5*E*23~\n"
               "AK9*E*2*2*2~\n"
               "SE*8*0001~\n"
               "ST*999*0002*005010X231A1~\n"
               "AK1*HC*104*005010X222A1~\n"
               "AK2*837*0001*005010X222A1~\n"
               "IK5*A~\n"
               "AK9*A*1*1*1~\n"
               "SE*6*0002~\n"
               "GE*2*1~\n"
               "IEA*1*000000001~\n",
               "999-st02-repeated");
  c837_ack999_free(a);
  c837_buf_free(&f.out);
}

static void many_errors(c837_ack999 *a)
{
  c837_ack_segerr se = {"SV1", 0, "2400", "8", NULL};
  c837_ack_elemerr ee = {4, 0, 380, "6", NULL};
  int k;
  for (k = 0; k <= C837_ACK_MAX_SEGMENT_ERRORS; k++) {
    se.position = (uint64_t)k + 2;
    assert_int_equal(c837_ack999_segment_error(a, &se), C837_OK);
    assert_int_equal(c837_ack999_element_error(a, &ee), C837_OK);
  }
}

/* A GS06 that is not 1 to 9 digits (X12 type N0 1/9) is never echoed:
 * AK102 is 0, with AK905 6 (group control number violates syntax),
 * whether the assembler's GS06_INVALID came or not (the builder sees it
 * itself); a GS06 the reader trimmed to digits (" 105") is echoed, the
 * problem still gives 6.  Before: AK1*HC*1A2B, which x12ack.py
 * rejects. */
static void test_999_gs06_invalid(void **state)
{
  static const char *const bad[] = {"1A2B", "", "1234567890", "+101",
                                    "-1", "1 2"};
  fx f;
  c837_ack999 *a;
  c837_ack_isa i = isa_std("000000104");
  c837_ack_gs g;
  c837_ack_st s = st_std("0001");
  buf want = {0, 0, 0};
  size_t k;
  (void)state;
  fx_init(&f, 31);
  a = c837_ack999_new(&f.o, &f.sink);
  assert_int_equal(c837_ack999_begin_interchange(a, &i), C837_OK);
  for (k = 0; k < 8; k++) {
    g = gs_std(k < 6 ? bad[k] : k == 6 ? "105" : "000000106");
    assert_int_equal(c837_ack999_begin_group(a, &g), C837_OK);
    /* the assembler's problem for the first and for " 105" */
    if (k == 0 || k == 6)
      assert_int_equal(c837_ack999_problem(a, "GS06_INVALID", NULL),
                       C837_OK);
    assert_int_equal(c837_ack999_begin_set(a, &s), C837_OK);
    assert_int_equal(c837_ack999_end_set(a, 0), C837_OK);
    assert_int_equal(c837_ack999_end_group(a, "1"), C837_OK);
  }
  assert_int_equal(c837_ack999_end_interchange(a), C837_OK);
  assert_int_equal(c837_ack999_finish(a, NULL, NULL), C837_OK);
  buf_fmt(&want, ISA999("000000031") GS999("31"));
  for (k = 0; k < 8; k++)
    buf_fmt(&want,
            "ST*999*%04zu*005010X231A1~\n"
            "AK1*HC*%s*005010X222A1~\n"
            "AK2*837*0001*005010X222A1~\n"
            "IK5*A~\n"
            "AK9*%s~\n"
            "SE*6*%04zu~\n",
            k + 1, k < 6 ? "0" : k == 6 ? "105" : "000000106",
            k < 7 ? "E*1*1*1*6" : "A*1*1*1", k + 1);
  buf_fmt(&want, "GE*8*31~\nIEA*1*000000031~\n");
  expect_bytes(&f.out, want.p, "999-gs06-invalid");
  c837_ack999_free(a);
  c837_buf_free(&f.out);
  free(want.p);
}

/* An ST02 that X12 does not allow in AK202 (AN 4/9: 1 or 3 characters,
 * 10, empty, all blanks, a delimiter of the output) is never echoed:
 * AK202 is 0000, with IK5 code 7 (missing or invalid transaction set
 * control number), whether the assembler's ST02_INVALID came or not;
 * such sets are not compared for a repeat (the second 0000 gets no 23),
 * but a repeat the assembler saw still gives 23.  Legal values are
 * echoed as they are: letters, blanks that make up the 4 characters.
 * Before: AK2*837*1*..., which x12ack.py rejects. */
static void test_999_st02_invalid(void **state)
{
  static const struct {
    const char *st02, *problem, *ak202, *ik5;
  } sets[] = {{"1", "ST02_INVALID", "0000", "E*7"},
              {"", NULL, "0000", "E*7"},
              {"123", NULL, "0000", "E*7"},
              {"1234567890", NULL, "0000", "E*7"},
              {"    ", NULL, "0000", "E*7"},
              {"12:4", NULL, "0000", "E*7"},
              {"12^4", NULL, "0000", "E*7"},
              {"12*4", NULL, "0000", "E*7"},
              {"12~4", NULL, "0000", "E*7"},
              {"0001", NULL, "0001", "A"},
              {"1   ", NULL, "1   ", "A"},
              {"  01", NULL, "  01", "A"},
              {"A1b2", NULL, "A1b2", "A"},
              /* 10 bytes as given: the reader leaves the blank out */
              {"123456789 ", NULL, "0000", "E*7"},
              {"1", "ST02_DUPLICATE", "0000", "E*7*23"}};
  enum { N = sizeof sets / sizeof sets[0] };
  fx f;
  c837_ack999 *a;
  c837_ack_isa i = isa_std("000000104");
  c837_ack_gs g = gs_std("104");
  c837_ack_st st;
  buf want = {0, 0, 0};
  size_t k;
  (void)state;
  fx_init(&f, 32);
  a = c837_ack999_new(&f.o, &f.sink);
  assert_int_equal(c837_ack999_begin_interchange(a, &i), C837_OK);
  assert_int_equal(c837_ack999_begin_group(a, &g), C837_OK);
  buf_fmt(&want, ISA999("000000032") GS999("32")
                 "ST*999*0001*005010X231A1~\n"
                 "AK1*HC*104*005010X222A1~\n");
  for (k = 0; k < N; k++) {
    st = st_std(sets[k].st02);
    assert_int_equal(c837_ack999_begin_set(a, &st), C837_OK);
    if (sets[k].problem)
      assert_int_equal(c837_ack999_problem(a, sets[k].problem, NULL),
                       C837_OK);
    assert_int_equal(c837_ack999_end_set(a, 0), C837_OK);
    buf_fmt(&want, "AK2*837*%s*005010X222A1~\nIK5*%s~\n", sets[k].ak202,
            sets[k].ik5);
  }
  assert_int_equal(c837_ack999_end_group(a, "15"), C837_OK);
  assert_int_equal(c837_ack999_end_interchange(a), C837_OK);
  assert_int_equal(c837_ack999_finish(a, NULL, NULL), C837_OK);
  buf_fmt(&want, "AK9*E*15*15*15~\nSE*%d*0001~\nGE*1*32~\n"
                 "IEA*1*000000032~\n",
          2 * N + 4);
  expect_bytes(&f.out, want.p, "999-st02-invalid");
  c837_ack999_free(a);
  c837_buf_free(&f.out);
  free(want.p);
}

static void test_999_error_cap(void **state)
{
  fx f;
  c837_ack999 *a;
  c837_ack999_stats st;
  const char *p;
  size_t ik3 = 0, ik4 = 0;
  (void)state;
  fx_init(&f, 1);
  a = c837_ack999_new(&f.o, &f.sink);
  one_set(a, many_errors, "1");
  assert_int_equal(c837_ack999_finish(a, &st, NULL), C837_OK);
  for (p = text_of(&f.out); (p = strstr(p, "\nIK3*")) != NULL; p++)
    ik3++;
  for (p = f.out.p; (p = strstr(p, "\nIK4*")) != NULL; p++)
    ik4++;
  assert_int_equal(ik3, C837_ACK_MAX_SEGMENT_ERRORS);
  assert_int_equal(ik4, C837_ACK_MAX_SEGMENT_ERRORS);
  assert_int_equal(st.segment_errors, C837_ACK_MAX_SEGMENT_ERRORS);
  assert_int_equal(st.errors_dropped, 1);
  assert_non_null(strstr(f.out.p, "\nIK5*E*5~\nAK9*E*1*1*1~\n"));
  dump("999-cap", f.out.p, f.out.len);
  c837_ack999_free(a);
  c837_buf_free(&f.out);
}

static int failing_sink(void *ud, const void *p, size_t n)
{
  (void)ud, (void)p, (void)n;
  return -1;
}

static void test_999_misuse_and_failures(void **state)
{
  fx f;
  c837_ack999 *a;
  c837_ack_isa i = isa_std("000000104");
  c837_ack_gs g = gs_std("104");
  c837_ack_st s = st_std("0001");
  c837_ack_segerr se = {"DTP", 3, NULL, "8", NULL};
  c837_sink bad = {failing_sink, NULL};
  c837_error err;
  c837_ack999_stats st;
  (void)state;
  fx_init(&f, 1);
  /* a set outside a group is not acknowledged; its ST_OUTSIDE_GS gives
   * the TA1 */
  a = c837_ack999_new(&f.o, &f.sink);
  assert_int_equal(c837_ack999_begin_interchange(a, &i), C837_OK);
  assert_int_equal(c837_ack999_begin_set(a, &s), C837_OK);
  assert_int_equal(c837_ack999_problem(a, "ST_OUTSIDE_GS", NULL), C837_OK);
  assert_int_equal(c837_ack999_segment_error(a, &se), C837_OK);
  assert_int_equal(c837_ack999_finish(a, &st, NULL), C837_OK);
  expect_bytes(&f.out,
               ISA999("000000001")
               "TA1*000000104*250820*2310*E*024~\n"
               "IEA*0*000000001~\n",
               "999-outside");
  assert_int_equal(st.unacknowledged, 2);
  c837_ack999_free(a);
  /* a segment error without a set: EINVAL, and it sticks */
  a = c837_ack999_new(&f.o, &f.sink);
  assert_int_equal(c837_ack999_begin_interchange(a, &i), C837_OK);
  assert_int_equal(c837_ack999_segment_error(a, &se), C837_EINVAL);
  assert_int_equal(c837_ack999_begin_group(a, &g), C837_EINVAL);
  assert_int_equal(c837_ack999_finish(a, NULL, &err), C837_EINVAL);
  assert_non_null(strstr(err.msg, "999: segment error outside a set"));
  c837_ack999_free(a);
  /* a bad code */
  a = c837_ack999_new(&f.o, &f.sink);
  assert_int_equal(c837_ack999_begin_interchange(a, &i), C837_OK);
  assert_int_equal(c837_ack999_interchange_code(a, "0*1"), C837_EINVAL);
  c837_ack999_free(a);
  /* a sink that fails: EIO at the end of the interchange */
  a = c837_ack999_new(&f.o, &bad);
  assert_int_equal(c837_ack999_begin_interchange(a, &i), C837_OK);
  assert_int_equal(c837_ack999_begin_group(a, &g), C837_OK);
  assert_int_equal(c837_ack999_end_interchange(a), C837_EIO);
  assert_int_equal(c837_ack999_begin_interchange(a, &i), C837_EIO);
  c837_ack999_free(a);
  c837_buf_free(&f.out);
}

/* ---- 277CA ------------------------------------------------------------- */

static c837_ack_party party(const char *last, const char *first,
                            const char *mid, const char *id)
{
  c837_ack_party p;
  memset(&p, 0, sizeof p);
  strcpy(p.last, last);
  strcpy(p.first, first);
  strcpy(p.middle, mid);
  strcpy(p.id, id);
  return p;
}

static c837_ack277_set set_std(void)
{
  c837_ack277_set s;
  memset(&s, 0, sizeof s);
  strcpy(s.isa13, "000000104");
  strcpy(s.gs06, "104");
  strcpy(s.st02, "0001");
  strcpy(s.bht03, "B1040001");
  strcpy(s.received, "20250820");
  s.submitter = party("CART837 SAMPLE BILLING SERVICE", "", "", "S837TEST01");
  s.submitter.type = '2';
  s.receiver = party("NORTHWIND CLEARING HOUSE", "", "", "NWCH00042");
  return s;
}

/* A claim with n findings f. */
static c837_ack_claim claim(const char *id, int64_t charge, int32_t from,
                            int32_t to, const c837_ack_party *prov,
                            const c837_ack_party *pat, c837_disposition d,
                            size_t n, const c837_ack_finding *f)
{
  c837_ack_claim c;
  memset(&c, 0, sizeof c);
  c.id = id;
  c.charge = charge;
  c.date_from = from;
  c.date_to = to;
  c.provider = prov;
  c.patient = pat;
  c.disposition = d;
  c.n_findings = n;
  c.findings = f;
  return c;
}

static void test_277_claims(void **state)
{
  fx f;
  c837_ack277 *b;
  c837_ack277_stats st;
  c837_ack_isa i = isa_std("000000104");
  c837_ack_gs g = gs_std("104");
  c837_ack277_set s = set_std();
  c837_ack_party river = party("RIVERBEND ONCOLOGY ASSOCIATES", "", "",
                               "1648203770"),
                 lake = party("LAKESHORE REGIONAL MEDICAL CENTER", "", "",
                              "1549302689"),
                 alder = party("ALDERTON", "AVERY", "", "CP10000"),
                 bris = party("BRISCOE", "HARPER", "", "CP10037"),
                 call = party("CALLOWAY", "MORGAN", "Q", "CP20001");
  const c837_ack_finding pass_f[] = {
      {C837_EDIT_INFUSION_TOO_SOON, C837_ACT_FLAGGED, "1"}};
  const c837_ack_finding fix_f[] = {
      {C837_EDIT_UNITS_OVER_DAILY_MAX, C837_ACT_FIXED, "1"},
      {C837_EDIT_PRIOR_STEP_MISSING, C837_ACT_FLAGGED, NULL}};
  const c837_ack_finding step_f[] = {
      {C837_EDIT_STEP_OUT_OF_ORDER, C837_ACT_HELD, "2"},
      {C837_EDIT_DUPLICATE_DAY, C837_ACT_HELD, "1"},
      {C837_EDIT_DUPLICATE_DAY, C837_ACT_HELD, "3"},
      {C837_EDIT_STEP_OUT_OF_ORDER, C837_ACT_HELD, "2"}};
  const c837_ack_finding admin_f[] = {
      {C837_EDIT_ADMIN_WITHOUT_PRODUCT, C837_ACT_HELD, "1"}};
  const c837_ack_finding unfix_f[] = {
      {C837_EDIT_CODE_DELETED, C837_ACT_FIXED, "1"}};
  const c837_ack_finding future_f[] = {
      {C837_EDIT_HPC_CODE_WITH_CART, C837_ACT_HELD, "2"}};
  c837_ack_claim c[6];
  size_t k;
  (void)state;
  fx_init(&f, 903);
  f.o.date = 20250821;
  f.o.time = 600;
  c[0] = claim("PASS-1", 2500, 20250303, 20250303, &river, &alder,
               C837_DISP_PASSED, 1, pass_f);
  c[1] = claim("FIX-UNITS-1", 5012, 20250304, 0, &river, &alder,
               C837_DISP_FIXED, 2, fix_f);
  c[2] = claim("HOLD-STEP-1", 375000, 20250305, 20250310, &river, &bris,
               C837_DISP_HELD, 4, step_f);
  c[3] = claim("INST-ADMIN-ONLY", 5000, 20250301, 20250301, &lake, &call,
               C837_DISP_HELD, 1, admin_f);
  c[3].tob = "131";
  c[3].trace = "TRACE-77";
  c[4] = claim("HELD-NOFIND", 1200, 20250301, 20250301, &lake, &call,
               C837_DISP_HELD, 1, unfix_f);
  c[5] = claim("HELD-FUTURE", 800, 0, 0, &lake, &call, C837_DISP_HELD, 1,
               future_f);
  b = c837_ack277_new(&f.o, &f.sink);
  assert_non_null(b);
  assert_int_equal(f.control, 904); /* taken at creation */
  assert_int_equal(c837_ack277_begin_set(b, &i, &g, &s), C837_OK);
  for (k = 0; k < 6; k++)
    assert_int_equal(c837_ack277_claim(b, &c[k]), C837_OK);
  assert_int_equal(c837_ack277_finish(b, &st, NULL), C837_OK);
  expect_bytes(
      &f.out,
      "ISA*00*          *00*          *ZZ*NWCH00042      *ZZ*CART837SAMPLE  "
      "*250821*0600*^*00501*000000903*0*T*:~\n"
      "GS*HN*NWCH00042*CART837SAMPLE*20250821*0600*903*X*005010X214~\n"
      "ST*277*0001*005010X214~\n"
      "BHT*0085*08*104-0001*20250821*0600*TH~\n"
      "HL*1**20*1~\n"
      "NM1*AY*2*NORTHWIND CLEARING HOUSE*****46*NWCH00042~\n"
      "TRN*1*000000104-104-0001~\n"
      "DTP*050*D8*20250820~\n"
      "DTP*009*D8*20250821~\n"
      "HL*2*1*21*1~\n"
      "NM1*41*2*CART837 SAMPLE BILLING SERVICE*****46*S837TEST01~\n"
      "TRN*2*B1040001~\n"
      "STC*A1:19:AY*20250821*WQ*3895.12~\n"
      "QTY*90*2~\n"
      "QTY*AA*4~\n"
      "AMT*YU*75.12~\n"
      "AMT*YY*3820~\n"
      "HL*3*2*19*1~\n"
      "NM1*85*2*RIVERBEND ONCOLOGY ASSOCIATES*****XX*1648203770~\n"
      "TRN*1*1~\n"
      "QTY*QA*2~\n"
      "QTY*QC*1~\n"
      "AMT*YU*75.12~\n"
      "AMT*YY*3750~\n"
      "HL*4*3*PT~\n"
      "NM1*QC*1*ALDERTON*AVERY****MI*CP10000~\n"
      "TRN*2*PASS-1~\n"
      "STC*A1:20*20250821*WQ*25~\n"
      "DTP*472*D8*20250303~\n"
      "TRN*2*FIX-UNITS-1~\n"
      "STC*A1:20*20250821*WQ*50.12********FIXED UNITS_OVER_DAILY_MAX LX1~\n"
      "DTP*472*D8*20250304~\n"
      "HL*5*3*PT~\n"
      "NM1*QC*1*BRISCOE*HARPER****MI*CP10037~\n"
      "TRN*2*HOLD-STEP-1~\n"
      "STC*A8:732*20250821*U*3750******A8:187**HELD STEP_OUT_OF_ORDER LX2~\n"
      "STC*A3:54*20250821*U*3750********HELD DUPLICATE_DAY LX1,3~\n"
      "DTP*472*RD8*20250305-20250310~\n"
      "HL*6*2*19*1~\n"
      "NM1*85*2*LAKESHORE REGIONAL MEDICAL CENTER*****XX*1549302689~\n"
      "TRN*1*2~\n"
      "QTY*QC*3~\n"
      "AMT*YY*70~\n"
      "HL*7*6*PT~\n"
      "NM1*QC*1*CALLOWAY*MORGAN*Q***MI*CP20001~\n"
      "TRN*2*INST-ADMIN-ONLY~\n"
      "STC*A6:736*20250821*U*50********HELD ADMIN_WITHOUT_PRODUCT LX1~\n"
      "REF*D9*TRACE-77~\n"
      "REF*BLT*131~\n"
      "DTP*472*D8*20250301~\n"
      "TRN*2*HELD-NOFIND~\n"
      "STC*A7:21*20250821*U*12******A7:247**HELD CODE_DELETED~\n"
      "DTP*472*D8*20250301~\n"
      "TRN*2*HELD-FUTURE~\n"
      "STC*A7:21*20250821*U*8******A7:247**HELD HPC_CODE_WITH_CART LX2~\n"
      "DTP*472*D8*20250820~\n"
      "SE*55*0001~\n"
      "GE*1*903~\n"
      "IEA*1*000000903~\n",
      "277-claims");
  assert_int_equal(st.sets, 1);
  assert_int_equal(st.claims_accepted, 2);
  assert_int_equal(st.claims_rejected, 4);
  assert_int_equal(st.amount_accepted, 7512);
  assert_int_equal(st.amount_rejected, 382000);
  c837_ack277_free(b);
  c837_buf_free(&f.out);
}

static void test_277_empty_and_delims(void **state)
{
  fx f;
  c837_ack277 *b;
  c837_ack_isa i = isa_std("000000104");
  c837_ack_gs g = gs_std("104");
  c837_ack277_set s = set_std();
  c837_ack_party prov = party("NORTH|GATE", "", "", "1304729589"),
                 pat = party("O>NEIL", "SAM", "", "MX1");
  c837_ack_claim c = claim("A|B>C", 1999, 20250601, 20250601, &prov, &pat,
                           C837_DISP_PASSED, 0, NULL);
  (void)state;
  /* no set at all: nothing written */
  fx_init(&f, 1);
  b = c837_ack277_new(&f.o, &f.sink);
  assert_int_equal(c837_ack277_finish(b, NULL, NULL), C837_OK);
  assert_int_equal(f.out.len, 0);
  c837_ack277_free(b);
  /* a set without claims (input dates: GS04/GS05 of the input) */
  fx_init(&f, 1);
  b = c837_ack277_new(&f.o, &f.sink);
  assert_int_equal(c837_ack277_begin_set(b, &i, &g, &s), C837_OK);
  assert_int_equal(c837_ack277_end_set(b), C837_OK);
  assert_int_equal(c837_ack277_finish(b, NULL, NULL), C837_OK);
  expect_bytes(
      &f.out,
      "ISA*00*          *00*          *ZZ*NWCH00042      *ZZ*CART837SAMPLE  "
      "*250820*2310*^*00501*000000001*0*T*:~\n"
      "GS*HN*NWCH00042*CART837SAMPLE*20250820*2310*1*X*005010X214~\n"
      "ST*277*0001*005010X214~\n"
      "BHT*0085*08*104-0001*20250820*2310*TH~\n"
      "HL*1**20*1~\n"
      "NM1*AY*2*NORTHWIND CLEARING HOUSE*****46*NWCH00042~\n"
      "TRN*1*000000104-104-0001~\n"
      "DTP*050*D8*20250820~\n"
      "DTP*009*D8*20250820~\n"
      "HL*2*1*21*0~\n"
      "NM1*41*2*CART837 SAMPLE BILLING SERVICE*****46*S837TEST01~\n"
      "TRN*2*B1040001~\n"
      "STC*A1:19:AY*20250820*WQ*0~\n"
      "SE*12*0001~\n"
      "GE*1*1~\n"
      "IEA*1*000000001~\n",
      "277-empty");
  c837_ack277_free(b);
  c837_buf_free(&f.out);
  /* | > ^ ~ with a newline; values stripped of the delimiters; our own
   * addresses */
  fx_init(&f, 12);
  f.o.sender_id = "CLEARINGHOUSE1";
  f.o.receiver_qual = "01";
  f.o.receiver_id = "SUBMITTER9";
  f.o.date = 20251231;
  f.o.time = 2359;
  f.o.usage = 'P';
  i.delims.element = '|';
  i.delims.component = '>';
  b = c837_ack277_new(&f.o, &f.sink);
  assert_int_equal(c837_ack277_begin_set(b, &i, &g, &s), C837_OK);
  assert_int_equal(c837_ack277_claim(b, &c), C837_OK);
  assert_int_equal(c837_ack277_finish(b, NULL, NULL), C837_OK);
  expect_bytes(
      &f.out,
      "ISA|00|          |00|          |ZZ|CLEARINGHOUSE1 |01|SUBMITTER9     "
      "|251231|2359|^|00501|000000012|0|P|>~\n"
      "GS|HN|CLEARINGHOUSE1|SUBMITTER9|20251231|2359|12|X|005010X214~\n"
      "ST|277|0001|005010X214~\n"
      "BHT|0085|08|104-0001|20251231|2359|TH~\n"
      "HL|1||20|1~\n"
      "NM1|AY|2|NORTHWIND CLEARING HOUSE|||||46|NWCH00042~\n"
      "TRN|1|000000104-104-0001~\n"
      "DTP|050|D8|20250820~\n"
      "DTP|009|D8|20251231~\n"
      "HL|2|1|21|1~\n"
      "NM1|41|2|CART837 SAMPLE BILLING SERVICE|||||46|S837TEST01~\n"
      "TRN|2|B1040001~\n"
      "STC|A1>19>AY|20251231|WQ|19.99~\n"
      "QTY|90|1~\n"
      "AMT|YU|19.99~\n"
      "HL|3|2|19|1~\n"
      "NM1|85|2|NORTHGATE|||||XX|1304729589~\n"
      "TRN|1|1~\n"
      "QTY|QA|1~\n"
      "AMT|YU|19.99~\n"
      "HL|4|3|PT~\n"
      "NM1|QC|1|ONEIL|SAM||||MI|MX1~\n"
      "TRN|2|ABC~\n"
      "STC|A1>20|20251231|WQ|19.99~\n"
      "DTP|472|D8|20250601~\n"
      "SE|24|0001~\n"
      "GE|1|12~\n"
      "IEA|1|000000012~\n",
      "277-delims");
  c837_ack277_free(b);
  c837_buf_free(&f.out);
}

/* The 277CA's traces name an input group, set and interchange whose
 * control numbers cannot be echoed as the 999 does: a GS06 that is not 1
 * to 9 digits as 0 (AK102), an ST02 that is not AN 4/9 as 0000 (AK202),
 * an ISA13 that is not 9 digits as 000000000 (the zero of N0 9/9; no TA1
 * names it), in BHT03 <GS06>-<ST02> and 2200A TRN02
 * <ISA13>-<GS06>-<ST02> (before: 1A2B-0001, 104-1, 00000010A-104-0001:
 * the garbled values echoed). */
static void test_277_controls_invalid(void **state)
{
  static const struct {
    const char *isa13, *gs06, *st02, *bht03, *trn02;
  } cases[] = {
      {"000000104", "1A2B", "0001", "0-0001", "000000104-0-0001"},
      {"000000104", "", "0001", "0-0001", "000000104-0-0001"},
      {"000000104", "1234567890", "0001", "0-0001", "000000104-0-0001"},
      {"000000104", "-1 2", "0001", "0-0001", "000000104-0-0001"},
      {"000000104", "104", "1", "104-0000", "000000104-104-0000"},
      {"000000104", "104", "", "104-0000", "000000104-104-0000"},
      {"000000104", "104", "12:4", "104-0000", "000000104-104-0000"},
      {"000000104", "104", "1234567890", "104-0000", "000000104-104-0000"},
      {"000000104", "104", "A1b2", "104-A1b2", "000000104-104-A1b2"},
      {"00000010A", "104", "0001", "104-0001", "000000000-104-0001"},
      {"", "104", "0001", "104-0001", "000000000-104-0001"},
      {"00000104", "1A", "123", "0-0000", "000000000-0-0000"}};
  fx f;
  c837_ack277 *b;
  c837_ack_isa i = isa_std("000000104");
  c837_ack_gs g = gs_std("104");
  c837_ack277_set s = set_std();
  buf want = {0, 0, 0};
  char name[40];
  size_t k;
  (void)state;
  for (k = 0; k < sizeof cases / sizeof cases[0]; k++) {
    fx_init(&f, 41);
    strcpy(s.isa13, cases[k].isa13);
    strcpy(s.gs06, cases[k].gs06);
    strcpy(s.st02, cases[k].st02);
    b = c837_ack277_new(&f.o, &f.sink);
    assert_int_equal(c837_ack277_begin_set(b, &i, &g, &s), C837_OK);
    assert_int_equal(c837_ack277_end_set(b), C837_OK);
    assert_int_equal(c837_ack277_finish(b, NULL, NULL), C837_OK);
    want.len = 0;
    buf_fmt(&want,
            "ISA*00*          *00*          *ZZ*NWCH00042      "
            "*ZZ*CART837SAMPLE  *250820*2310*^*00501*000000041*0*T*:~\n"
            "GS*HN*NWCH00042*CART837SAMPLE*20250820*2310*41*X*005010X214~\n"
            "ST*277*0001*005010X214~\n"
            "BHT*0085*08*%s*20250820*2310*TH~\n"
            "HL*1**20*1~\n"
            "NM1*AY*2*NORTHWIND CLEARING HOUSE*****46*NWCH00042~\n"
            "TRN*1*%s~\n"
            "DTP*050*D8*20250820~\n"
            "DTP*009*D8*20250820~\n"
            "HL*2*1*21*0~\n"
            "NM1*41*2*CART837 SAMPLE BILLING SERVICE*****46*S837TEST01~\n"
            "TRN*2*B1040001~\n"
            "STC*A1:19:AY*20250820*WQ*0~\n"
            "SE*12*0001~\n"
            "GE*1*41~\n"
            "IEA*1*000000041~\n",
            cases[k].bht03, cases[k].trn02);
    snprintf(name, sizeof name, "277-controls-invalid-%zu", k);
    expect_bytes(&f.out, want.p, name);
    c837_ack277_free(b);
    c837_buf_free(&f.out);
  }
  free(want.p);
}

static void test_277_missing_names(void **state)
{
  fx f;
  c837_ack277 *b;
  c837_ack_isa i = isa_std("000000104");
  c837_ack_gs g = gs_std("104");
  c837_ack277_set s = set_std();
  c837_ack_party none = party("", "", "", ""), one = party("X", "", "", "7");
  c837_ack_claim c = claim("C1", 100, 20250601, 20250601, &none, &one,
                           C837_DISP_PASSED, 0, NULL);
  const char *t;
  (void)state;
  /* an 837 without receiver, submitter, provider or member ids (it
   * requires them too): our ids, else UNKNOWN, never an empty NM103 or
   * NM109 */
  memset(&s.receiver, 0, sizeof s.receiver);
  memset(&s.submitter, 0, sizeof s.submitter);
  fx_init(&f, 1);
  b = c837_ack277_new(&f.o, &f.sink);
  assert_int_equal(c837_ack277_begin_set(b, &i, &g, &s), C837_OK);
  assert_int_equal(c837_ack277_claim(b, &c), C837_OK);
  assert_int_equal(c837_ack277_finish(b, NULL, NULL), C837_OK);
  t = text_of(&f.out);
  dump("277-missing-names", f.out.p, f.out.len);
  assert_non_null(strstr(t, "\nNM1*AY*2*NWCH00042*****46*NWCH00042~\n"));
  assert_non_null(
      strstr(t, "\nNM1*41*2*CART837SAMPLE*****46*CART837SAMPLE~\n"));
  assert_non_null(strstr(t, "\nNM1*85*2*UNKNOWN*****XX*UNKNOWN~\n"));
  assert_non_null(strstr(t, "\nNM1*QC*1*X*****MI*UNKNOWN~\n"));
  c837_ack277_free(b);
  c837_buf_free(&f.out);
}

static void test_277_split_sets(void **state)
{
  fx f;
  c837_ack277 *b;
  c837_ack277_stats st;
  c837_ack_isa i = isa_std("000000104");
  c837_ack_gs g = gs_std("104");
  c837_ack277_set s = set_std();
  c837_ack_party prov = party("P", "", "", "1304729589"),
                 pat = party("Q", "R", "", "MX1");
  c837_ack_claim c = claim("C", 100, 20250601, 20250601, &prov, &pat,
                           C837_DISP_PASSED, 0, NULL);
  const char *p;
  size_t sets = 0;
  int k;
  (void)state;
  fx_init(&f, 1);
  b = c837_ack277_new(&f.o, &f.sink);
  assert_int_equal(c837_ack277_begin_set(b, &i, &g, &s), C837_OK);
  for (k = 0; k <= C837_ACK_MAX_SET_CLAIMS; k++)
    assert_int_equal(c837_ack277_claim(b, &c), C837_OK);
  assert_int_equal(c837_ack277_finish(b, &st, NULL), C837_OK);
  for (p = text_of(&f.out); (p = strstr(p, "\nST*277*")) != NULL; p++)
    sets++;
  assert_int_equal(sets, 2);
  assert_int_equal(st.sets, 2);
  assert_int_equal(st.claims_accepted, C837_ACK_MAX_SET_CLAIMS + 1);
  assert_non_null(strstr(f.out.p, "\nQTY*90*5000~\n"));
  assert_non_null(strstr(f.out.p, "\nST*277*0002*005010X214~\n"));
  assert_non_null(strstr(f.out.p, "\nQTY*90*1~\n"));
  assert_non_null(strstr(f.out.p, "\nGE*2*1~\nIEA*1*000000001~\n"));
  dump("277-split", f.out.p, f.out.len);
  c837_ack277_free(b);
  c837_buf_free(&f.out);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_999_clean),
      cmocka_unit_test(test_999_se01_count),
      cmocka_unit_test(test_999_ge01_count),
      cmocka_unit_test(test_999_element_errors),
      cmocka_unit_test(test_999_held_whole),
      cmocka_unit_test(test_999_groups_interchanges),
      cmocka_unit_test(test_999_delimiters),
      cmocka_unit_test(test_999_cut),
      cmocka_unit_test(test_999_codes_and_table),
      cmocka_unit_test(test_999_repeated_st02),
      cmocka_unit_test(test_999_gs06_invalid),
      cmocka_unit_test(test_999_st02_invalid),
      cmocka_unit_test(test_999_error_cap),
      cmocka_unit_test(test_999_misuse_and_failures),
      cmocka_unit_test(test_277_claims),
      cmocka_unit_test(test_277_empty_and_delims),
      cmocka_unit_test(test_277_controls_invalid),
      cmocka_unit_test(test_277_missing_names),
      cmocka_unit_test(test_277_split_sets),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
