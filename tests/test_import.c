/* test_import.c -- unit tests of `codes --import` (src/edit/import.c,
 * import_text.c, import_ncci.c)
 *
 * Every format is fed a small excerpt written here for the test in the
 * documented layout (specs/codes.md, "Imports"; no CMS data file is
 * copied): the HCPCS fixed-width records are built field by field at
 * their positions, the MUE and Addendum B excerpts carry the notice rows
 * and headers the real files have, the PTP excerpt its preamble and
 * multi-line header.  Each test asserts the exact rows the import leaves
 * in the table or list, its counts, and the exact message of each kind
 * of fault, after which the table must be as it was.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "cart837.h"
#include "testtable.h"


/* The code table and its lists as CSV, to compare before and after. */
static char *dump(const c837_codetable *t)
{
  char *out = NULL;
  size_t len = 0;
  FILE *fp = open_memstream(&out, &len);
  int l;
  assert_non_null(fp);
  assert_int_equal(c837_codetable_write_csv(t, fp, NULL), C837_OK);
  for (l = 0; l < C837_LIST_COUNT; l++)
    assert_int_equal(c837_codetable_write_list(t, (c837_list)l, fp),
                     C837_OK);
  fclose(fp);
  return out;
}

typedef struct result {
  c837_status st;
  c837_import_stats n;
  char msg[600]; /* the path replaced by "F" */
} result;

static result import(c837_codetable *t, c837_import_kind k, const char *text,
                     size_t len, int all, int32_t valid_from)
{
  char *path = tmp_file(text, len);
  c837_import_options o = {all, valid_from};
  c837_error err;
  result r;
  size_t n = strlen(path);
  r.st = c837_codetable_import(t, k, path, &o, &r.n, &err);
  snprintf(r.msg, sizeof r.msg, "%s%s",
           strncmp(err.msg, path, n) == 0 ? "F" : "",
           strncmp(err.msg, path, n) == 0 ? err.msg + n : err.msg);
  unlink(path);
  free(path);
  return r;
}

/* Imports text expecting the fault msg, and the table unchanged. */
static void expect_fault(c837_import_kind k, const char *text, size_t len,
                         const char *msg)
{
  c837_codetable *t = builtin();
  char *before = dump(t), *after;
  result r = import(t, k, text, len, 1, 0);
  assert_int_equal(r.st, C837_ECSV);
  assert_string_equal(r.msg, msg);
  after = dump(t);
  assert_string_equal(after, before);
  free(before);
  free(after);
  c837_codetable_free(t);
}

/* ------------------------------------------------------------------ */
/* HCPCS                                                               */
/* ------------------------------------------------------------------ */

/* One record of the CMS HCPCS fixed-width layout, CRLF-ended, trailing
 * blanks cut as some copies have them (the reader pads). */
static void hrec(char *out, size_t outsz, const char *code,
                 const char *seq, char recid, const char *longd,
                 const char *xref, const char *add, const char *term,
                 char action)
{
  char l[321];
  size_t n;
  memset(l, ' ', 320);
  l[320] = '\0';
#define PUT(pos, s) memcpy(l + (pos) - 1, s, strlen(s))
  PUT(1, code);
  PUT(6, seq);
  l[10] = recid;
  PUT(12, longd);
  PUT(205, xref);
  PUT(269, add);
  PUT(277, add);
  PUT(285, term);
  l[292] = action;
#undef PUT
  for (n = 320; n > 0 && l[n - 1] == ' '; n--)
    ;
  l[n] = '\0';
  n = strlen(out);
  snprintf(out + n, outsz - n, "%s\r\n", l);
}

static void test_hcpcs(void **state)
{
  char f[8192] = "This excerpt was written for cart837's tests in the layout "
                 "of the CMS HCPCS file.\r\n\r\n";
  c837_codetable *t = builtin();
  const c837_code *c;
  result r;
  (void)state;
  hrec(f, sizeof f, "C9073", "00100", '3',
       "Brexucabtagene autoleucel, a test descriptor cut over two", "Q2053",
       "20210101", "20210331", 'D');
  hrec(f, sizeof f, "C9073", "00200", '4', "lines, per therapeutic dose", "",
       "", "", ' ');
  /* Q2058 added a month later than the table says, per infusion */
  hrec(f, sizeof f, "Q2058", "00100", '3',
       "Obecabtagene autoleucel, test text, per infusion", "", "20250801",
       "", 'A');
  /* Q2040 with its termination date and successor */
  hrec(f, sizeof f, "Q2040", "00100", '3',
       "Tisagenlecleucel, test text, per infusion", "Q2042", "20180101",
       "20181231", 'N');
  /* a code the table does not have, and a modifier */
  hrec(f, sizeof f, "Z9991", "00100", '3', "A made-up code \xae, per dose",
       "", "20200101", "", 'N');
  hrec(f, sizeof f, "LT", "00100", '7', "Left side", "", "19920101", "",
       'N');
  r = import(t, C837_IMPORT_HCPCS, f, strlen(f), 0, 0);
  assert_int_equal(r.st, C837_OK);
  assert_string_equal(r.msg, "");
  assert_int_equal(r.n.records, 6);
  assert_int_equal(r.n.matched, 3);
  assert_int_equal(r.n.changed, 1); /* Q2058 */
  assert_int_equal(r.n.added, 0);
  c = c837_codetable_find(t, "Q2058");
  assert_int_equal(c->valid_from, 20250801);
  assert_int_equal(c->unit, C837_PER_INFUSION);
  /* our own descriptor stays */
  assert_non_null(strstr(c->descriptor, "one unit is one infusion"));
  c = c837_codetable_find(t, "C9073");
  assert_int_equal(c->valid_from, 20210101);
  assert_int_equal(c->valid_to, 20210331);
  assert_string_equal(c->crosswalk, "Q2053");
  assert_int_equal(c->unit, C837_PER_DOSE); /* from the 2nd line */
  assert_null(c837_codetable_find(t, "Z9991"));
  c837_codetable_free(t);

  /* every code: Z9991 added with the file's descriptor (Latin-1 read) */
  t = builtin();
  r = import(t, C837_IMPORT_HCPCS, f, strlen(f), 1, 0);
  assert_int_equal(r.st, C837_OK);
  assert_int_equal(r.n.added, 1);
  c = c837_codetable_find(t, "Z9991");
  assert_non_null(c);
  assert_int_equal(c->family, C837_FAM_NONE);
  assert_string_equal(c->descriptor, "A made-up code \xc2\xae, per dose");
  assert_int_equal(c->valid_from, 20200101);
  assert_int_equal(c->unit, C837_PER_DOSE);
  assert_ptr_equal(c837_codetable_at(t, c837_codetable_count(t) - 1), c);
  c837_codetable_free(t);
}

static void test_hcpcs_faults(void **state)
{
  char f[4096];
  (void)state;
  f[0] = '\0';
  hrec(f, sizeof f, "Q2058", "00100", '3', "x", "", "2025071", "", 'N');
  expect_fault(C837_IMPORT_HCPCS, f, strlen(f),
               "F:1:269: ADD_DT: expected a date CCYYMMDD or blanks, found "
               "\"2025071 \"");
  f[0] = '\0';
  hrec(f, sizeof f, "Q2058", "00100", '3', "x", "", "20250701", "20250230",
       'N');
  expect_fault(C837_IMPORT_HCPCS, f, strlen(f),
               "F:1:285: TERM_DT: expected a date CCYYMMDD or blanks, found "
               "\"20250230\"");
  /* a termination before the date added: the table's own rule */
  f[0] = '\0';
  hrec(f, sizeof f, "Q2058", "00100", '3', "x", "", "20250701", "20250630",
       'N');
  expect_fault(C837_IMPORT_HCPCS, f, strlen(f),
               "F:1:285: valid_to: expected valid_to on or after valid_from "
               "2025-07-01, found 2025-06-30");
  f[0] = '\0';
  hrec(f, sizeof f, "Q2058", "00100", '3', "x", "", "20250701", "", 'N');
  hrec(f, sizeof f, "Q2057", "00200", '4', "y", "", "", "", ' ');
  expect_fault(C837_IMPORT_HCPCS, f, strlen(f),
               "F:2:1: HCPC: expected the code of the procedure line before "
               "it, found \"Q2057\"");
  f[0] = '\0';
  hrec(f, sizeof f, "Q2058", "00100", '3', "x", "", "20250701", "", 'N');
  strcat(f, "End of file\r\n");
  expect_fault(C837_IMPORT_HCPCS, f, strlen(f),
               "F:2:1: HCPC: expected a record (code, 5-digit sequence "
               "number, record id 3, 4, 7 or 8 in position 11), found \"End "
               "of file\"");
  expect_fault(C837_IMPORT_HCPCS, "code,family\n38225,step\n", 23,
               "F:2:1: HCPC: expected HCPCS records (the CMS fixed-width "
               "layout), found none");
  expect_fault(C837_IMPORT_HCPCS, "Q2058001003x\0y\n", 15,
               "F:1:13: line: expected text, found a NUL byte");
  {
    char *big = malloc(9000);
    memset(big, 'x', 8999);
    big[8999] = '\0';
    expect_fault(C837_IMPORT_HCPCS, big, 8999,
                 "F:1:8193: line: expected a line of at most 8192 bytes, "
                 "found more");
    free(big);
  }
}

/* ------------------------------------------------------------------ */
/* MUE                                                                 */
/* ------------------------------------------------------------------ */

static const char mue_head[] =
    "\"This excerpt was written for cart837's tests.\nIt stands for the "
    "notice rows of the MUE table.\",,,\n"
    "\"HCPCS/\nCPT Code\",\"Practitioner Services MUE Values\",\"MUE "
    "Adjudication Indicator\",\"MUE Rationale\"\n";

static void test_mue(void **state)
{
  char f[1024];
  c837_codetable *t = builtin();
  result r;
  (void)state;
  snprintf(f, sizeof f,
           "%s38225,1,\"3 Date of Service Edit: Clinical\",\"Clinical\"\n"
           "38228,2,\"2 Date of Service Edit: Policy\",\"CMS Policy\"\n"
           "99213,3,\"2 Date of Service Edit: Policy\",\"x\"\n"
           "Q2041,0,\"3 Date of Service Edit: Clinical\",\"x\"\n"
           ",,,\n",
           mue_head);
  r = import(t, C837_IMPORT_MUE, f, strlen(f), 0, 0);
  assert_int_equal(r.st, C837_OK);
  assert_int_equal(r.n.records, 4);
  assert_int_equal(r.n.matched, 3);
  assert_int_equal(r.n.changed, 1);
  assert_int_equal(r.n.skipped, 1); /* a zero MUE is no cap */
  assert_int_equal(c837_codetable_find(t, "38228")->cap, 2000000);
  assert_int_equal(c837_codetable_find(t, "38225")->cap, 1000000);
  assert_int_equal(c837_codetable_find(t, "Q2041")->cap, 1000000);
  assert_null(c837_codetable_find(t, "99213"));
  c837_codetable_free(t);

  snprintf(f, sizeof f, "%s38228,two,\"2\",\"x\"\n", mue_head);
  expect_fault(C837_IMPORT_MUE, f, strlen(f),
               "F:5:2: MUE Values: expected a number of units, found "
               "\"two\"");
  snprintf(f, sizeof f, "%s38-228,2,\"2\",\"x\"\n", mue_head);
  expect_fault(C837_IMPORT_MUE, f, strlen(f),
               "F:5:1: HCPCS/CPT Code: expected a HCPCS or CPT code, found "
               "\"38-228\"");
  snprintf(f, sizeof f, "%s38228,2,\"2\",\"x\"\n38228,3,\"2\",\"x\"\n",
           mue_head);
  expect_fault(C837_IMPORT_MUE, f, strlen(f),
               "F:6:1: code: expected each code once in the file, found "
               "\"38228\" again (first on line 5)");
  expect_fault(C837_IMPORT_MUE, "a,b\n1,2\n", 8,
               "F:2:1: header: expected the MUE (HCPCS/CPT Code, ... MUE "
               "Values, MUE Adjudication Indicator, MUE Rationale) header "
               "row, found none");
  expect_fault(C837_IMPORT_MUE, "\"HCPCS/CPT Code\",\"x\"y\n", 22,
               "F:1:2: header: expected a comma or line end after a closing "
               "quote, found \"y\"");
}

/* ------------------------------------------------------------------ */
/* OPPS Addendum B                                                     */
/* ------------------------------------------------------------------ */

static void test_opps(void **state)
{
  static const char f[] =
      "Addendum B - an excerpt written for cart837's tests\n"
      ",,,,,\n"
      "HCPCS Code,Short Descriptor,SI,APC,Relative Weight,Payment Rate,"
      "* Indicates a Change\n"
      "0537T,Car-t harvest,B,,,,\n"
      "38228,Car-t admin,S,5694,37.1000,\"$3,456.78\",*\n"
      "99213,Office visit,V,5012,1.0000,$100.00,\n"
      "\"Note: rates are for the test.\",,,,,,\n";
  c837_codetable *t = builtin();
  result r;
  char bad[512];
  (void)state;
  r = import(t, C837_IMPORT_OPPS, f, strlen(f), 0, 0);
  assert_int_equal(r.st, C837_OK);
  assert_int_equal(r.n.records, 3);
  assert_int_equal(r.n.matched, 2);
  assert_int_equal(r.n.changed, 1);
  assert_string_equal(c837_codetable_find(t, "38228")->opps_si, "S");
  assert_string_equal(c837_codetable_find(t, "0537T")->opps_si, "B");
  c837_codetable_free(t);
  snprintf(bad, sizeof bad,
           "HCPCS Code,Short Descriptor,SI\n38228,Car-t admin,S1X\n");
  expect_fault(C837_IMPORT_OPPS, bad, strlen(bad),
               "F:2:3: SI: expected a status indicator of 1 or 2 letters or "
               "digits, found \"S1X\"");
  expect_fault(C837_IMPORT_OPPS, "Code,SI\nQ2041,K\n", 16,
               "F:2:1: header: expected the Addendum B (HCPCS Code, Short "
               "Descriptor, SI, APC, ...) header row, found none");
}

/* ------------------------------------------------------------------ */
/* PTP                                                                 */
/* ------------------------------------------------------------------ */

static const char ptp_head[] =
    "An excerpt written for cart837's tests in the PTP layout\n"
    "Column 1\tColumn 2\t*=in existence prior to 1996\tEffective Date\t"
    "Deletion Date *=no data\tModifier\tPTP Edit Rationale\n"
    "\t\t\t\t\t0=not allowed 1=allowed 9=not applicable\t\n";

static void test_ptp(void **state)
{
  char f[1024];
  c837_codetable *t = builtin();
  const c837_ptp *p;
  result r;
  (void)state;
  snprintf(f, sizeof f,
           "%s38228\t38206\t\t20250101\t*\t1\tMutually exclusive\n"
           "0537T\t36511\t\t20190101\t20200101\t0\tMisuse of column two "
           "code\n"
           "99213\t38228\t\t20250101\t*\t1\tStandards of practice\n",
           ptp_head);
  r = import(t, C837_IMPORT_PTP, f, strlen(f), 0, 0);
  assert_int_equal(r.st, C837_OK);
  assert_int_equal(r.n.records, 3);
  assert_int_equal(r.n.matched, 2);
  assert_int_equal(r.n.added, 2);
  assert_int_equal(c837_codetable_list_count(t, C837_LIST_PTP), 2);
  p = c837_codetable_ptp(t, "38206", "38228", 20250301);
  assert_non_null(p);
  assert_int_equal(p->modifier, 1);
  assert_string_equal(p->rationale, "Mutually exclusive");
  p = c837_codetable_ptp(t, "0537T", "36511", 20191231);
  assert_non_null(p);
  assert_int_equal(p->valid_to, 20191231); /* the day before deletion */
  assert_null(c837_codetable_ptp(t, "0537T", "36511", 20200101));
  assert_null(c837_codetable_ptp(t, "99213", "38228", 20250301));
  /* again: the same pairs are the same rows (their source names the
   * file, another temporary file here: changed) */
  r = import(t, C837_IMPORT_PTP, f, strlen(f), 0, 0);
  assert_int_equal(r.st, C837_OK);
  assert_int_equal(r.n.added, 0);
  assert_int_equal(r.n.changed, 2);
  assert_int_equal(c837_codetable_list_count(t, C837_LIST_PTP), 2);
  /* every pair with one code of the table */
  r = import(t, C837_IMPORT_PTP, f, strlen(f), 1, 0);
  assert_int_equal(r.n.added, 1);
  assert_non_null(c837_codetable_ptp(t, "99213", "38228", 20250301));
  c837_codetable_free(t);

  snprintf(f, sizeof f, "%s38228\t38206\t\t20250101\t*\t2\tx\n", ptp_head);
  expect_fault(C837_IMPORT_PTP, f, strlen(f),
               "F:4:25: Modifier: expected 0, 1 or 9, found \"2\"");
  snprintf(f, sizeof f, "%s38228\t38206\t\t2025-01-01\t*\t1\tx\n", ptp_head);
  expect_fault(C837_IMPORT_PTP, f, strlen(f),
               "F:4:14: Effective Date: expected a date CCYYMMDD, found "
               "\"2025-01-01\"");
  snprintf(f, sizeof f, "%s38228\t38206\t\t20250101\t20240101\t1\tx\n",
           ptp_head);
  expect_fault(C837_IMPORT_PTP, f, strlen(f),
               "F:4:23: Deletion Date: expected a date CCYYMMDD after the "
               "effective date, or *, found \"20240101\"");
  snprintf(f, sizeof f, "%s38228\t38206\n", ptp_head);
  expect_fault(C837_IMPORT_PTP, f, strlen(f),
               "F:4:1: Column 1: expected 7 tab-separated fields (column 1, "
               "column 2, prior to 1996, effective date, deletion date, "
               "modifier, rationale), found \"38228?38206\"");
  snprintf(f, sizeof f,
           "%s38228\t38206\t\t20250101\t*\t1\tx\nEnd of file\t\n",
           ptp_head);
  expect_fault(C837_IMPORT_PTP, f, strlen(f),
               "F:5:1: Column 1: expected a code, found \"End of file\"");
  expect_fault(C837_IMPORT_PTP, "38228\t38206\n", 12,
               "F:1:1: header: expected the PTP header line (Column 1, "
               "Column 2, ...), found none");
}

/* ------------------------------------------------------------------ */
/* MS-DRG 018 list                                                     */
/* ------------------------------------------------------------------ */

static void test_drg018(void **state)
{
  char f[2048];
  /* the CMS order file layout: order number 1-5, code 7-13, header flag
   * 15, short title 17-76, long title from 78 */
  snprintf(f, sizeof f,
           "XW033C3 Introduction of engineered autologous CAR-T, test "
           "title\n"
           "\n"
           "XW033Z9  Introduction of Obecabtagene Autoleucel into peripheral "
           "vein, test title\n"
           "XW033Y9 Introduction of some other immunotherapy, test title\n"
           "%05d %-7s %c %-60s %s\n%05d %-7s %c %-60s %s\n",
           1, "XW0", '0', "Introduction in Physiological Systems",
           "Introduction in Physiological Systems and Anatomical Regions", 2,
           "XW043Z9", '1', "Intro obe-cel central vein",
           "Introduction of obecabtagene autoleucel into central vein, test "
           "title");
  c837_codetable *t = builtin();
  const c837_pcs *p;
  size_t before = c837_codetable_list_count(t, C837_LIST_PCS);
  result r;
  (void)state;
  assert_int_equal(strlen(strrchr(f, '\n') - 1), 2); /* fits */
  r = import(t, C837_IMPORT_DRG018, f, strlen(f), 0, 20251001);
  assert_int_equal(r.st, C837_OK);
  assert_int_equal(r.n.records, 4);
  assert_int_equal(r.n.matched, 3); /* XW033C3 known, two added */
  assert_int_equal(r.n.added, 2);
  assert_int_equal(r.n.skipped, 1);
  assert_int_equal(c837_codetable_list_count(t, C837_LIST_PCS), before + 2);
  p = c837_codetable_pcs(t, "XW033Z9", 20251001);
  assert_non_null(p);
  assert_string_equal(p->product, "obecabtagene autoleucel");
  assert_int_equal(p->family, C837_FAM_PRODUCT);
  assert_int_equal(p->cart_admin, 1);
  assert_int_equal(p->valid_from, 20251001);
  assert_string_equal(p->description, "Introduction of Obecabtagene "
                                      "Autoleucel into peripheral vein, "
                                      "test title");
  assert_true(c837_pcs_proves(p, c837_codetable_find(t, "Q2058")));
  assert_null(c837_codetable_pcs(t, "XW033Z9", 20250930));
  p = c837_codetable_pcs(t, "XW043Z9", 20251001);
  assert_non_null(p);
  assert_string_equal(p->description, "Introduction of obecabtagene "
                                      "autoleucel into central vein, test "
                                      "title");
  assert_null(c837_codetable_pcs(t, "XW033Y9", 0));
  c837_codetable_free(t);

  t = builtin();
  r = import(t, C837_IMPORT_DRG018, f, strlen(f), 1, 0);
  assert_int_equal(r.n.added, 3);
  p = c837_codetable_pcs(t, "XW033Y9", 0);
  assert_non_null(p);
  assert_string_equal(p->product, "");
  assert_int_equal(p->family, C837_FAM_NONE);
  assert_int_equal(p->cart_admin, 0);
  c837_codetable_free(t);

  expect_fault(C837_IMPORT_DRG018, "XW033C3 ok\nDRG 018 list\n", 24,
               "F:2:1: code: expected an ICD-10-PCS code of 7 letters or "
               "digits, one per line (or the CMS order file layout), found "
               "\"DRG 018 list\"");
}

/* ------------------------------------------------------------------ */
/* The driver                                                          */
/* ------------------------------------------------------------------ */

static void test_driver(void **state)
{
  c837_codetable *t = builtin();
  c837_error err;
  c837_import_stats st;
  (void)state;
  assert_int_equal(c837_import_from_name("hcpcs"), C837_IMPORT_HCPCS);
  assert_int_equal(c837_import_from_name("drg018"), C837_IMPORT_DRG018);
  assert_int_equal(c837_import_from_name("HCPCS"), -1);
  assert_string_equal(c837_import_name(C837_IMPORT_OPPS), "opps");
  assert_string_equal(c837_import_name(C837_IMPORT_COUNT), "");
  assert_int_equal(c837_codetable_import(t, C837_IMPORT_MUE,
                                         "/nonexistent/mue.csv", NULL, &st,
                                         &err),
                   C837_EIO);
  assert_string_equal(err.msg, "/nonexistent/mue.csv: cannot open: No such "
                               "file or directory");
  assert_int_equal(c837_codetable_import(t, C837_IMPORT_COUNT, "x", NULL,
                                         NULL, &err),
                   C837_EINVAL);
  assert_int_equal(c837_codetable_import(NULL, C837_IMPORT_MUE, "x", NULL,
                                         NULL, NULL),
                   C837_EINVAL);
  c837_codetable_free(t);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_hcpcs),       cmocka_unit_test(test_hcpcs_faults),
      cmocka_unit_test(test_mue),         cmocka_unit_test(test_opps),
      cmocka_unit_test(test_ptp),         cmocka_unit_test(test_drg018),
      cmocka_unit_test(test_driver),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
