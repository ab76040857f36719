/* test_payers.c -- unit tests of the payer classes and the payer option
 * file (src/edit/payers.c; format in specs/payers.md)
 *
 * The built-in class list and option rows print back byte for byte as
 * specs/payer_classes.csv and specs/payers.csv; SBR09 and payer id give
 * the class; the settings of a claim are Medicare's defaults under its
 * class's row under its payer id's row; the providers file sets the
 * payment window of a billing provider; a malformed file is rejected
 * with FILE:LINE:COLUMN and changes nothing.
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

extern const char c837_builtin_payers_csv[], c837_builtin_payer_classes_csv[];
extern const unsigned long c837_builtin_payers_csv_len,
    c837_builtin_payer_classes_csv_len;

static c837_payers *payers_builtin(void)
{
  c837_error err;
  c837_payers *p = c837_payers_builtin(&err);
  if (p == NULL)
    fail_msg("built-in payers: %s", err.msg);
  return p;
}

static char *csv_of(const c837_payers *p, c837_payers_file which)
{
  char *out = NULL;
  size_t len = 0;
  FILE *fp = open_memstream(&out, &len);
  assert_non_null(fp);
  assert_int_equal(c837_payers_write_csv(p, which, fp), C837_OK);
  fclose(fp);
  return out;
}

/* Loads text with fn; the status, and the message with the temporary
 * file's name replaced by "F". */
static c837_status load(c837_payers *p,
                        c837_status (*fn)(c837_payers *, const char *,
                                          c837_error *),
                        const char *text, char *msg, size_t msgsz)
{
  char *path = tmp_file(text, strlen(text));
  c837_error err;
  c837_status st;
  size_t n = strlen(path);
  assert_true(msgsz == 0 || msgsz > sizeof err.msg);
  st = fn(p, path, &err);
  if (msg)
    snprintf(msg, msgsz, "%s%s", strncmp(err.msg, path, n) == 0 ? "F" : "",
             strncmp(err.msg, path, n) == 0 ? err.msg + n : err.msg);
  unlink(path);
  free(path);
  return st;
}

static c837_payer_settings settings(const c837_payers *p, const char *sbr09,
                                    const char *payer_id)
{
  c837_payer_settings s;
  c837_payers_settings(p, sbr09, payer_id, &s);
  return s;
}

static void test_builtin_prints_back(void **state)
{
  c837_payers *p = payers_builtin();
  char *a = csv_of(p, C837_PAYERS_OPTIONS);
  char *b = csv_of(p, C837_PAYERS_CLASSES);
  char *c = csv_of(p, C837_PAYERS_PROVIDERS);
  (void)state;
  assert_int_equal(strlen(a), c837_builtin_payers_csv_len);
  assert_memory_equal(a, c837_builtin_payers_csv, strlen(a));
  assert_int_equal(strlen(b), c837_builtin_payer_classes_csv_len);
  assert_memory_equal(b, c837_builtin_payer_classes_csv, strlen(b));
  assert_string_equal(c, "\"npi\",\"type\",\"name\",\"note\"\n");
  assert_int_equal(c837_payers_write_csv(p, (c837_payers_file)7, stdout),
                   C837_EINVAL);
  free(a);
  free(b);
  free(c);
  c837_payers_free(p);
}

static void test_classes(void **state)
{
  static const struct {
    const char *sbr09, *payer_id;
    c837_payer_class cls;
  } want[] = {
      {"MA", NULL, C837_PAYER_MEDICARE_A},
      {"MB", "", C837_PAYER_MEDICARE_B},
      {"16", NULL, C837_PAYER_MEDICARE_ADVANTAGE},
      {"MC", NULL, C837_PAYER_MEDICAID},
      {"TV", NULL, C837_PAYER_MEDICAID},
      {"CI", NULL, C837_PAYER_COMMERCIAL},
      {"BL", NULL, C837_PAYER_COMMERCIAL},
      {"HM", NULL, C837_PAYER_COMMERCIAL},
      {"11", NULL, C837_PAYER_COMMERCIAL},
      {"12", NULL, C837_PAYER_COMMERCIAL},
      {"13", NULL, C837_PAYER_COMMERCIAL},
      {"14", NULL, C837_PAYER_COMMERCIAL},
      {"15", NULL, C837_PAYER_COMMERCIAL},
      {"FI", NULL, C837_PAYER_COMMERCIAL},
      {"CH", NULL, C837_PAYER_FEDERAL_OTHER},
      {"VA", NULL, C837_PAYER_FEDERAL_OTHER},
      {"OF", NULL, C837_PAYER_FEDERAL_OTHER},
      {"17", NULL, C837_PAYER_OTHER},
      {"WC", NULL, C837_PAYER_OTHER},
      {"AM", NULL, C837_PAYER_OTHER},
      {"LM", NULL, C837_PAYER_OTHER},
      {"DS", NULL, C837_PAYER_OTHER},
      {"09", NULL, C837_PAYER_UNKNOWN},
      {"MAX", NULL, C837_PAYER_UNKNOWN},
      {"M", NULL, C837_PAYER_UNKNOWN},
      {"ZZ", NULL, C837_PAYER_UNKNOWN},
      {"", NULL, C837_PAYER_UNKNOWN},
      {NULL, NULL, C837_PAYER_UNKNOWN},
      {"Q9", NULL, C837_PAYER_UNKNOWN},
      {"ma", NULL, C837_PAYER_UNKNOWN},
  };
  c837_payers *p = payers_builtin();
  size_t i;
  (void)state;
  for (i = 0; i < sizeof want / sizeof want[0]; i++)
    assert_int_equal(c837_payers_class(p, want[i].sbr09, want[i].payer_id),
                     want[i].cls);
  assert_string_equal(c837_payer_class_name(C837_PAYER_MEDICARE_ADVANTAGE),
                      "medicare_advantage");
  assert_string_equal(c837_payer_class_name(C837_PAYER_CLASS_COUNT), "");
  assert_true(c837_payer_is_medicare_ffs(C837_PAYER_MEDICARE_A));
  assert_true(c837_payer_is_medicare_ffs(C837_PAYER_MEDICARE_B));
  assert_false(c837_payer_is_medicare_ffs(C837_PAYER_MEDICARE_ADVANTAGE));
  assert_int_equal(c837_payers_class(NULL, "MA", NULL), C837_PAYER_UNKNOWN);
  c837_payers_free(p);
}

/* The defaults are Medicare's; the built-in rows change what the
 * brief and specs/payers.md say for the other classes. */
static void test_builtin_settings(void **state)
{
  c837_payers *p = payers_builtin();
  c837_payer_settings s;
  (void)state;
  s = settings(p, "MB", NULL);
  assert_int_equal(s.cls, C837_PAYER_MEDICARE_B);
  assert_int_equal(s.repeat_window_days, 365);
  assert_int_equal(s.ndc_required, 0);
  assert_int_equal(s.kx_required.on, 1);
  assert_int_equal(s.kx_required.from, 20190807);
  assert_int_equal(s.kx_required.to, 20250625);
  assert_int_equal(s.jz_required.on, 0);
  assert_int_equal(s.payment_window_days, 3);
  assert_int_equal(s.payment_window_days_non_ipps, 1);
  assert_int_equal(s.step_window_days, 180);
  assert_int_equal(s.trial_coding, 1);
  assert_true(c837_window_has(&s.kx_required, 20190807));
  assert_true(c837_window_has(&s.kx_required, 20250625));
  assert_false(c837_window_has(&s.kx_required, 20250626));
  assert_false(c837_window_has(&s.kx_required, 20190806));
  assert_false(c837_window_has(&s.jz_required, 20240101));
  /* a claim without SBR09: Medicare's defaults */
  s = settings(p, NULL, NULL);
  assert_int_equal(s.cls, C837_PAYER_UNKNOWN);
  assert_int_equal(s.repeat_window_days, 365);
  assert_int_equal(s.kx_required.on, 1);
  s = settings(p, "MC", NULL);
  assert_int_equal(s.repeat_window_days, 0); /* lifetime */
  assert_int_equal(s.ndc_required, 1);
  assert_int_equal(s.kx_required.on, 0);
  assert_int_equal(s.payment_window_days, 0);
  assert_int_equal(s.trial_coding, 0);
  assert_int_equal(s.step_window_days, 180);
  s = settings(p, "CI", NULL);
  assert_int_equal(s.repeat_window_days, 0);
  assert_int_equal(s.ndc_required, 0);
  s = settings(p, "16", NULL);
  assert_int_equal(s.repeat_window_days, 365);
  assert_int_equal(s.payment_window_days, 0);
  c837_payers_settings(NULL, "MB", NULL, &s);
  assert_int_equal(s.repeat_window_days, 365);
  c837_payers_free(p);
}

static void test_option_file(void **state)
{
  c837_payers *p = payers_builtin();
  c837_payer_settings s;
  char msg[600];
  (void)state;
  assert_int_equal(
      load(p, c837_payers_load,
           "class,payer_id,repeat_window,ndc_required,kx_required,"
           "jz_required,step_window_days,note\n"
           "commercial,,730,,,,,a payer's two-year window\n"
           ",MCO77,,,,,90,\n"
           "medicaid,HMOX1,,,,2023-07-01..,,Medicaid MCO arriving as HM\n"
           "medicare_b,,,,never,always,,\n",
           msg, sizeof msg),
      C837_OK);
  s = settings(p, "CI", NULL);
  assert_int_equal(s.repeat_window_days, 730);
  assert_int_equal(s.ndc_required, 0);
  /* kx_required given empty: Medicare's window again (specs/payers.md) */
  assert_int_equal(s.kx_required.on, 1);
  assert_int_equal(s.payment_window_days, 0); /* not in the file: kept */
  /* a payer id row without a class: SBR09's class, its own values */
  s = settings(p, "BL", "MCO77");
  assert_int_equal(s.cls, C837_PAYER_COMMERCIAL);
  assert_int_equal(s.repeat_window_days, 730);
  assert_int_equal(s.step_window_days, 90);
  /* a payer id row with a class: that class, under its own values */
  assert_int_equal(c837_payers_class(p, "HM", "HMOX1"), C837_PAYER_MEDICAID);
  s = settings(p, "HM", "HMOX1");
  assert_int_equal(s.cls, C837_PAYER_MEDICAID);
  assert_int_equal(s.ndc_required, 1);
  assert_int_equal(s.repeat_window_days, 0);
  assert_true(c837_window_has(&s.jz_required, 20230701));
  assert_false(c837_window_has(&s.jz_required, 20230630));
  assert_true(c837_window_has(&s.jz_required, 29991231));
  s = settings(p, "HM", "OTHER");
  assert_int_equal(s.cls, C837_PAYER_COMMERCIAL);
  s = settings(p, "MB", NULL);
  assert_int_equal(s.kx_required.on, 0);
  assert_int_equal(s.jz_required.on, 1);
  assert_true(c837_window_has(&s.jz_required, 19000101));
  /* what the file changed prints back */
  {
    char *a = csv_of(p, C837_PAYERS_OPTIONS);
    /* the columns the file has replace the row's, empty ones too */
    assert_non_null(strstr(a, "\"commercial\",\"\",\"730\",\"\",\"\","
                              "\"\",\"0\",\"0\",\"\",\"0\",\"a payer's "
                              "two-year window\"\n"));
    assert_non_null(strstr(a, "\"medicaid\",\"HMOX1\",\"\",\"\",\"\","
                              "\"2023-07-01..\",\"\",\"\",\"\",\"\","
                              "\"Medicaid MCO arriving as HM\"\n"));
    assert_non_null(strstr(a, "\"medicare_b\",\"\",\"\",\"\",\"never\","
                              "\"always\","));
    free(a);
  }
  c837_payers_free(p);
}

static void test_providers(void **state)
{
  c837_payers *p = payers_builtin();
  c837_payer_settings s;
  (void)state;
  assert_int_equal(load(p, c837_payers_load_providers,
                        "npi,type,name\n"
                        "1234567893,non_ipps,A cancer hospital\n"
                        "1999999992,exempt,A critical access hospital\n",
                        NULL, 0),
                   C837_OK);
  s = settings(p, "MA", NULL);
  assert_int_equal(c837_payers_provider(p, "1234567893"),
                   C837_PROVIDER_NON_IPPS);
  assert_int_equal(c837_payers_window_days(p, &s, "1234567893"), 1);
  assert_int_equal(c837_payers_window_days(p, &s, "1999999992"), 0);
  assert_int_equal(c837_payers_window_days(p, &s, "1111111111"), 3);
  assert_int_equal(c837_payers_provider(p, NULL), C837_PROVIDER_IPPS);
  s = settings(p, "CI", NULL);
  assert_int_equal(c837_payers_window_days(p, &s, "1111111111"), 0);
  c837_payers_free(p);
}

static void test_rejects(void **state)
{
  static const struct {
    int which; /* 0 options, 1 classes, 2 providers */
    const char *text, *msg;
  } cases[] = {
      {0, "class,repeat_window\ncommercial,forever\n",
       "F:2:2: repeat_window: expected lifetime, a number of days 1 to 36500, "
       "or empty, found \"forever\""},
      {0, "class,repeat_window\ncommercial,0\n",
       "F:2:2: repeat_window: expected lifetime, a number of days 1 to 36500, "
       "or empty, found \"0\""},
      {0, "class\nmedicare\n",
       "F:2:1: class: expected unknown, medicare_a, medicare_b, "
       "medicare_advantage, medicaid, commercial, federal_other, other or "
       "empty, found \"medicare\""},
      {0, "class,payer_id,note\n,,x\n",
       "F:2:1: class: expected a class or a payer_id, found neither"},
      {0, "class,kx_required\nmedicaid,2019-08-07-2025-06-25\n",
       "F:2:2: kx_required: expected never, always, or dates FROM..TO "
       "(CCYY-MM-DD, either may be empty) or empty, found "
       "\"2019-08-07-2025-06-25\""},
      {0, "class,kx_required\nmedicaid,2025-06-25..2019-08-07\n",
       "F:2:2: kx_required: expected never, always, or dates FROM..TO "
       "(CCYY-MM-DD, either may be empty) or empty, found "
       "\"2025-06-25..2019-08-07\""},
      {0, "class,payment_window_days\nmedicaid,31\n",
       "F:2:2: payment_window_days: expected a number of days 0 to 30 or "
       "empty, found \"31\""},
      {0, "class,ndc_required\nmedicaid,yes\n",
       "F:2:2: ndc_required: expected 0, 1 or empty, found \"yes\""},
      {0, "class\nmedicaid\nmedicaid\n",
       "F:3:1: class: expected each class and payer_id once in the file, "
       "found \"medicaid/\" again (first on line 2)"},
      {1, "sbr09,class\nMC,state\n",
       "F:2:2: class: expected unknown, medicare_a, medicare_b, "
       "medicare_advantage, medicaid, commercial, federal_other or other, "
       "found \"state\""},
      {2, "npi,type\n123456789,ipps\n",
       "F:2:1: npi: expected an NPI of 10 digits, found \"123456789\""},
      {2, "npi,type\n1234567893,cah\n",
       "F:2:2: type: expected ipps, non_ipps or exempt, found \"cah\""},
  };
  size_t i;
  (void)state;
  for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    c837_payers *p = payers_builtin();
    c837_status (*fn)(c837_payers *, const char *, c837_error *) =
        cases[i].which == 0   ? c837_payers_load
        : cases[i].which == 1 ? c837_payers_load_classes
                              : c837_payers_load_providers;
    c837_payers_file f = cases[i].which == 0   ? C837_PAYERS_OPTIONS
                         : cases[i].which == 1 ? C837_PAYERS_CLASSES
                                               : C837_PAYERS_PROVIDERS;
    char msg[600], *before = csv_of(p, f), *after;
    assert_int_equal(load(p, fn, cases[i].text, msg, sizeof msg), C837_ECSV);
    assert_string_equal(msg, cases[i].msg);
    after = csv_of(p, f);
    assert_string_equal(after, before);
    free(before);
    free(after);
    c837_payers_free(p);
  }
  {
    c837_payers *p = payers_builtin();
    c837_error err;
    assert_int_equal(c837_payers_load(p, "/nonexistent/p.csv", &err),
                     C837_EIO);
    assert_int_equal(c837_payers_load(NULL, "x", &err), C837_EINVAL);
    c837_payers_free(p);
    c837_payers_free(NULL);
  }
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_builtin_prints_back),
      cmocka_unit_test(test_classes),
      cmocka_unit_test(test_builtin_settings),
      cmocka_unit_test(test_option_file),
      cmocka_unit_test(test_providers),
      cmocka_unit_test(test_rejects),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
