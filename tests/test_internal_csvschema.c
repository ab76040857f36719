/* test_internal_csvschema.c -- unit tests of the table-driven CSV columns
 * (src/base/csvschema.c)
 *
 * An internal test: it includes private headers of src/base and
 * src/run.  The code table's columns are tested through its loader
 * (test_codetable.c); here the module is tested on the shapes of the
 * other two users:
 *   - the ledger: run/ledger.c's own schema (c837_ledger_schema), a
 *     header of every column in order, identifiers as bytes, required
 *     numbers, "or nothing".  Every message below is the one the ledger
 *     gave before it moved onto this module (its hand-written parser),
 *     so that the move changed nothing a user could see;
 *   - the reports (run/report.c): rows of string pointers written with
 *     CRLF, a column computed by a hook, and formula-safe text fields
 *     (C837_CSV_FORMULA_SAFE).
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
#include "base/csvschema.h"
#include "run/ledger.h" /* c837_ledger_schema, over c837_hist */

/* ------------------------------------------------------------------ */
/* The ledger's columns: run/ledger.c's schema over c837_hist          */
/* ------------------------------------------------------------------ */

#define HEADER                                                           \
  "source,claim_id,lx,patient,provider,code,billed,family,step,"        \
  "date_from,date_to,units,freq,run_date,run\n"
#define GOOD "S,C1,1,P,N,38225,38225,step,1,2025-01-01,2025-01-01,1,1," \
             "2026-01-01,1\n"

typedef struct rows {
  c837_hist h[4];
  size_t n;
} rows;

static void keep_row(void *ud, void *row, unsigned long line)
{
  rows *r = ud;
  (void)line;
  if (r->n < 4)
    r->h[r->n++] = *(const c837_hist *)row;
}

/* Reads text as the ledger "L" would: 0 and the rows, or the status and
 * the message in msg. */
static c837_status read_ledger(const char *text, rows *out, char *msg,
                               size_t msgsz)
{
  c837_csvread R;
  c837_hist cur;
  c837_error err;
  c837_status st;
  memset(&err, 0, sizeof err);
  memset(out, 0, sizeof *out);
  assert_int_equal(c837_csvread_init(&R, &c837_ledger_schema, &cur, "L", 200,
                                     C837_CSVPOS_SHOW_ASCII |
                                         C837_CSVPOS_SKIP_BLANKS,
                                     &err, keep_row, out),
                   0);
  c837_csvpos_feed(&R.pos, text, strlen(text));
  st = c837_csvpos_finish(&R.pos);
  snprintf(msg, msgsz, "%s", st == C837_OK ? "" : err.msg);
  return st;
}

static void expect_ledger_fault(const char *text, const char *want)
{
  rows r;
  char msg[512];
  assert_int_equal(read_ledger(text, &r, msg, sizeof msg), C837_ECSV);
  assert_string_equal(msg, want);
}

static void test_ledger_row_round_trip(void **state)
{
  rows r;
  char msg[512], *buf = NULL;
  size_t len = 0;
  FILE *fp;
  const c837_csvschema *S = &c837_ledger_schema;
  (void)state;
  assert_int_equal(read_ledger(HEADER GOOD "X,,,,,,,,0,,,-1.5,,,7\n"
                                      "A,C9,,P,N,,,admission,0,2025-02-01,"
                                      "2025-02-05,0,1,2026-01-01,3\n",
                               &r, msg, sizeof msg),
                   C837_OK);
  assert_int_equal(r.n, 3);
  assert_string_equal(r.h[0].source, "S");
  assert_string_equal(r.h[0].code, "38225");
  assert_int_equal(r.h[0].family, C837_FAM_STEP);
  assert_int_equal(r.h[0].step, 1);
  assert_int_equal(r.h[0].date_from, 20250101);
  assert_int_equal(r.h[0].units, 1000000);
  assert_int_equal(r.h[0].run_date, 20260101);
  assert_int_equal(r.h[0].run, 1);
  assert_int_equal(r.h[1].family, C837_FAM_NONE);
  assert_int_equal(r.h[1].date_from, 0);
  assert_int_equal(r.h[1].units, -1500000);
  assert_int_equal(r.h[1].run, 7);
  /* an admission row (hist_admit.c): kind ADMISSION, family NONE */
  assert_int_equal(r.h[1].kind, C837_HIST_LINE);
  assert_int_equal(r.h[2].kind, C837_HIST_ADMISSION);
  assert_int_equal(r.h[2].family, C837_FAM_NONE);
  assert_int_equal(r.h[2].date_to, 20250205);
  /* written back as the ledger writes it */
  fp = open_memstream(&buf, &len);
  assert_non_null(fp);
  assert_int_equal(c837_csvschema_write_header(S, fp, "\n"), 0);
  assert_int_equal(c837_csvschema_write_row(S, &r.h[0], fp, "\n"), 0);
  assert_int_equal(c837_csvschema_write_row(S, &r.h[1], fp, "\n"), 0);
  assert_int_equal(c837_csvschema_write_row(S, &r.h[2], fp, "\n"), 0);
  fclose(fp);
  assert_string_equal(
      buf, "\"source\",\"claim_id\",\"lx\",\"patient\",\"provider\",\"code\","
           "\"billed\",\"family\",\"step\",\"date_from\",\"date_to\","
           "\"units\",\"freq\",\"run_date\",\"run\"\n"
           "\"S\",\"C1\",\"1\",\"P\",\"N\",\"38225\",\"38225\",\"step\","
           "\"1\",\"2025-01-01\",\"2025-01-01\",\"1\",\"1\",\"2026-01-01\","
           "\"1\"\n"
           "\"X\",\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"0\",\"\",\"\","
           "\"-1.5\",\"\",\"\",\"7\"\n"
           "\"A\",\"C9\",\"\",\"P\",\"N\",\"\",\"\",\"admission\","
           "\"0\",\"2025-02-01\",\"2025-02-05\",\"0\",\"1\","
           "\"2026-01-01\",\"3\"\n");
  free(buf);
}

/* The messages run/ledger.c gives for the same files. */
static void test_ledger_messages(void **state)
{
  (void)state;
  expect_ledger_fault("source,claim,lx\n",
                      "L:1:2: header: expected column claim_id, found "
                      "'claim'");
  expect_ledger_fault("source,claim_id,lx\n",
                      "L:1:4: header: expected 15 fields as in the header, "
                      "found 3");
  expect_ledger_fault(
      "source,claim_id,lx,patient,provider,code,billed,family,step,"
      "date_from,date_to,units,freq,run_date,run,x\n",
      "L:1:16: header: expected 15 fields as in the header, found more");
  expect_ledger_fault(HEADER "S,C1,1,P,N,38225,38225,step,1,2025-13-01,"
                             "2025-01-01,1,1,2026-01-01,1\n",
                      "L:2:10: date_from: expected a date CCYY-MM-DD or "
                      "nothing, found '2025-13-01'");
  expect_ledger_fault(HEADER "S,C1,1,P,N,38225,38225,foo,1,2025-01-01,"
                             "2025-01-01,1,1,2026-01-01,1\n",
                      "L:2:8: family: expected step, product, watch, tcr, til, "
                      "hsc_gene, cell_other, noc, admission or nothing, found 'foo'");
  expect_ledger_fault(HEADER "S,C1,1,P,N,38225,38225,\xc3\xa9,1,2025-01-01,"
                             "2025-01-01,1,1,2026-01-01,1\n",
                      "L:2:8: family: expected step, product, watch, tcr, til, "
                      "hsc_gene, cell_other, noc, admission or nothing, found '?\?'");
  expect_ledger_fault(HEADER "S,C1,1,P,N,38225,38225,step,1,2025-01-01,"
                             "2025-01-01,1,1,2026-01-01\n",
                      "L:2:15: run: expected 15 fields as in the header, "
                      "found 14");
  expect_ledger_fault(HEADER "S,C1,1,P,N,38225,38225,step,1,2025-01-01,"
                             "2025-01-01,1,1,2026-01-01,1,z\n",
                      "L:2:16: (beyond the header): expected 15 fields as "
                      "in the header, found more");
  expect_ledger_fault(HEADER "S,C1,12345678901234567890,P,N,38225,38225,step,"
                             "1,2025-01-01,2025-01-01,1,1,2026-01-01,1\n",
                      "L:2:3: lx: expected at most 15 bytes, found 20 "
                      "('12345678901234567890')");
}

static void test_ledger_numbers(void **state)
{
  static const struct {
    const char *step, *units, *run, *want;
  } cases[] = {
      {"5", "1", "1", "L:2:9: step: expected a step number 0 to 4, found '5'"},
      {"", "1", "1", "L:2:9: step: expected a step number 0 to 4, found ''"},
      {"04", "1", "1",
       "L:2:9: step: expected a step number 0 to 4, found '04'"},
      {"1", "x", "1",
       "L:2:12: units: expected a decimal number of units (at most 6 "
       "decimals), found 'x'"},
      {"1", "", "1",
       "L:2:12: units: expected a decimal number of units (at most 6 "
       "decimals), found ''"},
      {"1", "1", "0",
       "L:2:15: run: expected a run number 1 to 4294967295, found '0'"},
      {"1", "1", "01",
       "L:2:15: run: expected a run number 1 to 4294967295, found '01'"},
      {"1", "1", "4294967296",
       "L:2:15: run: expected a run number 1 to 4294967295, found "
       "'4294967296'"},
      {"1", "1", "4294967295", ""},
  };
  size_t i;
  (void)state;
  for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    char text[512], msg[512];
    rows r;
    snprintf(text, sizeof text,
             HEADER "S,C1,1,P,N,38225,38225,step,%s,2025-01-01,2025-01-01,"
                    "%s,1,2026-01-01,%s\n",
             cases[i].step, cases[i].units, cases[i].run);
    (void)read_ledger(text, &r, msg, sizeof msg);
    assert_string_equal(msg, cases[i].want);
  }
}

/* ------------------------------------------------------------------ */
/* The reports' shape: string pointers, CRLF, a computed column        */
/* ------------------------------------------------------------------ */

typedef struct line_row {
  const char *file, *code;
  int64_t charge; /* cents */
  int held;
} line_row;

static const char *fmt_disposition(const c837_csvcol *col, const void *row,
                                   char *buf, size_t bufsz)
{
  (void)col;
  (void)buf;
  (void)bufsz;
  return ((const line_row *)row)->held ? "held" : "passed";
}

static const c837_csvcol line_cols[] = {
    {.name = "file", .type = C837_COL_CSTR, C837_COL_AT(line_row, file)},
    {.name = "code", .type = C837_COL_CSTR, C837_COL_AT(line_row, code)},
    {.name = "charge", .type = C837_COL_DECIMAL,
     C837_COL_AT(line_row, charge), .scale = 2,
     .flags = C837_COL_ZERO_EMPTY},
    {.name = "disposition", .type = C837_COL_CUSTOM,
     C837_COL_AT(line_row, held), .format = fmt_disposition},
};

static const c837_csvschema line_schema = {
    line_cols, 4, sizeof(line_row), 0, "empty", NULL};

static void test_report_rows(void **state)
{
  line_row a = {"in \"1\".837", "38225", 150050, 1};
  line_row b = {"x", NULL, 0, 0};
  char *buf = NULL;
  size_t len = 0;
  FILE *fp = open_memstream(&buf, &len);
  (void)state;
  assert_non_null(fp);
  assert_int_equal(c837_csvschema_write_header(&line_schema, fp, "\r\n"), 0);
  assert_int_equal(c837_csvschema_write_row(&line_schema, &a, fp, "\r\n"), 0);
  assert_int_equal(c837_csvschema_write_row(&line_schema, &b, fp, "\r\n"), 0);
  fclose(fp);
  assert_string_equal(buf, "\"file\",\"code\",\"charge\",\"disposition\"\r\n"
                           "\"in \"\"1\"\".837\",\"38225\",\"1500.5\","
                           "\"held\"\r\n"
                           "\"x\",\"\",\"\",\"passed\"\r\n");
  free(buf);
  assert_int_equal(c837_csvschema_find(&line_schema, "charge", 6), 2);
  assert_int_equal(c837_csvschema_find(&line_schema, "charg", 5), 4);
}

/* C837_CSV_FORMULA_SAFE (the reports): a text field a spreadsheet would
 * take for a formula gets a "'" before it (OWASP, "CSV Injection": = + -
 * @ TAB CR), and so does one that starts with "'", so that removing one
 * leading "'" gives every value back; plain numbers, signed or not, and
 * the columns the schema formats itself stay as they are. */
static const c837_csvschema safe_schema = {
    line_cols, 4, sizeof(line_row), C837_CSV_FORMULA_SAFE, "empty", NULL};

static void test_formula_safe(void **state)
{
  static const struct {
    const char *in, *out;
  } cases[] = {
      {"=1+2", "'=1+2"},
      {"=HYPERLINK(\"http://x\",\"y\")", "'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")"},
      {"@SUM(A1)", "'@SUM(A1)"},
      {"+M4", "'+M4"},
      {"-2+3", "'-2+3"},
      {"-cmd|' /C calc'!A0", "'-cmd|' /C calc'!A0"},
      {"\tx", "'\tx"},
      {"\rx", "'\rx"},
      {"'quoted", "''quoted"},
      {"-3", "-3"},
      {"+3", "+3"},
      {"-1.50", "-1.50"},
      {"-.5", "-.5"},
      {"-", "'-"},
      {"-1.2.3", "'-1.2.3"},
      {"38225", "38225"},
      {"a=b", "a=b"},
      {"", ""},
  };
  size_t i;
  for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    line_row a = {cases[i].in, "=38225", -150050, 1};
    char *buf = NULL, want[256];
    size_t len = 0;
    FILE *fp = open_memstream(&buf, &len);
    (void)state;
    assert_non_null(fp);
    assert_int_equal(c837_csvschema_write_row(&safe_schema, &a, fp, "\n"), 0);
    fclose(fp);
    snprintf(want, sizeof want, "\"%s\",\"'=38225\",\"-1500.5\",\"held\"\n",
             cases[i].out);
    assert_string_equal(buf, want);
    free(buf);
  }
  /* a long field is written whole */
  {
    char big[3000];
    line_row a = {big, "x", 0, 0};
    char *buf = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&buf, &len);
    memset(big, 'A', sizeof big - 1);
    big[0] = '=';
    big[sizeof big - 1] = '\0';
    assert_int_equal(c837_csvschema_write_row(&safe_schema, &a, fp, "\n"), 0);
    fclose(fp);
    assert_int_equal(len, 1 + 1 + 2999 + 1 + strlen(",\"x\",\"\",\"passed\"\n"));
    assert_memory_equal(buf, "\"'=AAA", 6);
    free(buf);
  }
}

/* Generated words: an enum without an empty value, a required flag, a
 * number range without words of its own, a check hook. */
typedef struct misc_row {
  int color;
  int on;
  int32_t n;
} misc_row;

static const char *const colors[] = {"red", "green", "blue"};

static int n_even(const c837_csvfield *f)
{
  char sh[C837_CSVPOS_SHOW_SIZE];
  if (((const misc_row *)f->row)->n % 2 == 0)
    return 0;
  c837_csvfield_fail(f, "expected an even number, found %s",
                     c837_csvfield_show(f, sh, sizeof sh));
  return -1;
}

static const c837_csvcol misc_cols[] = {
    {.name = "color", .type = C837_COL_ENUM, C837_COL_AT(misc_row, color),
     .flags = C837_COL_REQUIRED, .names = colors, .n_names = 3},
    {.name = "on", .type = C837_COL_FLAG, C837_COL_AT(misc_row, on),
     .flags = C837_COL_REQUIRED},
    {.name = "n", .type = C837_COL_INT, C837_COL_AT(misc_row, n), .min = -4,
     .max = 40, .check = n_even},
};

static const c837_csvschema misc_schema = {
    misc_cols, 3, sizeof(misc_row), C837_CSV_TRIM, "empty", NULL};

static void expect_field(size_t k, const char *text, const char *want)
{
  c837_csvpos P;
  c837_error err;
  misc_row row;
  int rc;
  memset(&err, 0, sizeof err);
  memset(&row, 0, sizeof row);
  assert_int_equal(c837_csvpos_init(&P, "M", -1, 0, &err, NULL, NULL, NULL),
                   0);
  P.header_done = 1;
  P.labels = (const char *const[]){"color", "on", "n"};
  P.n_labels = 3;
  rc = c837_csvschema_parse(&misc_schema, k, &P, k, text, strlen(text), &row);
  c837_csvpos_finish(&P);
  assert_int_equal(rc, want[0] ? -1 : 0);
  assert_string_equal(want[0] ? err.msg : "", want);
}

static void test_generated_words(void **state)
{
  (void)state;
  expect_field(0, " green ", "");
  expect_field(0, "", "M:1:1: color: expected red, green or blue, found \"\"");
  expect_field(1, "2", "M:1:2: on: expected 0 or 1, found \"2\"");
  expect_field(2, "-2", "");
  expect_field(2, "-6", "M:1:3: n: expected a number -4 to 40 or empty, "
                        "found \"-6\"");
  expect_field(2, "-0", "M:1:3: n: expected a number -4 to 40 or empty, "
                        "found \"-0\"");
  expect_field(2, "41", "M:1:3: n: expected a number -4 to 40 or empty, "
                        "found \"41\"");
  expect_field(2, "-3", "M:1:3: n: expected an even number, found \"-3\"");
  expect_field(2, "", "");
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_ledger_row_round_trip),
      cmocka_unit_test(test_ledger_messages),
      cmocka_unit_test(test_ledger_numbers),
      cmocka_unit_test(test_report_rows),
      cmocka_unit_test(test_formula_safe),
      cmocka_unit_test(test_generated_words),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
