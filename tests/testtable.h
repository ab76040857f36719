/* testtable.h -- helpers of the code table tests: temporary files, the
 * built-in table, row and table comparisons, loading a table file that
 * must load or must be rejected with its exact message
 *
 * Shared by tests/test_codetable.c, test_codefamilies.c,
 * test_codelists.c, test_payers.c and test_import.c.  Failures fail the
 * test (cmocka); include after <cmocka.h> and "cart837.h".
 */
#ifndef CART837_TESTTABLE_H
#define CART837_TESTTABLE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The header row of a table file with the twelve columns of the first
 * table (columns 13-17 came later: specs/codes.md). */
#define HDR                                                                \
  "code,family,step,descriptor,cap_per_day,fractional,valid_from,"         \
  "valid_to,crosswalk,revenue_codes,split_dose,history\n"

/* Writes text to a new temporary file; returns its path (malloc'd). */
static inline char *tmp_file(const char *text, size_t len)
{
  char *path = strdup("/tmp/test_cart837_XXXXXX");
  int fd;
  assert_non_null(path);
  fd = mkstemp(path);
  assert_true(fd >= 0);
  assert_int_equal(write(fd, text, len), (ssize_t)len);
  close(fd);
  return path;
}

static inline c837_codetable *builtin(void)
{
  c837_error err;
  c837_codetable *t = c837_codetable_builtin(&err);
  if (t == NULL)
    fail_msg("builtin table: %s", err.msg);
  return t;
}

static inline void assert_same_row(const c837_code *a, const c837_code *b)
{
  assert_string_equal(a->code, b->code);
  assert_int_equal(a->family, b->family);
  assert_int_equal(a->step, b->step);
  assert_string_equal(a->descriptor, b->descriptor);
  assert_int_equal(a->cap, b->cap);
  assert_int_equal(a->fractional, b->fractional);
  assert_int_equal(a->valid_from, b->valid_from);
  assert_int_equal(a->valid_to, b->valid_to);
  assert_string_equal(a->crosswalk, b->crosswalk);
  assert_string_equal(a->revenue, b->revenue);
  assert_int_equal(a->split_dose, b->split_dose);
  assert_string_equal(a->history, b->history);
  assert_string_equal(a->settings, b->settings);
  assert_int_equal(a->unit, b->unit);
  assert_string_equal(a->product, b->product);
  assert_int_equal(a->pfs_payable, b->pfs_payable);
  assert_string_equal(a->opps_si, b->opps_si);
}

static inline void assert_same_table(const c837_codetable *a,
                              const c837_codetable *b)
{
  size_t i;
  assert_int_equal(c837_codetable_count(a), c837_codetable_count(b));
  for (i = 0; i < c837_codetable_count(a); i++)
    assert_same_row(c837_codetable_at(a, i), c837_codetable_at(b, i));
}

/* Loads text as a table file into a fresh built-in table and expects
 * the error message "PATH:" + want_tail, and the table unchanged. */
static inline void expect_reject(const char *text, const char *want_tail)
{
  c837_codetable *t = builtin(), *ref = builtin();
  c837_error err;
  char *path = tmp_file(text, strlen(text));
  char want[512];
  c837_status st;

  memset(&err, 0, sizeof err);
  st = c837_codetable_load(t, path, 0, &err);
  snprintf(want, sizeof want, "%s:%s", path, want_tail);
  assert_int_equal(st, C837_ECSV);
  assert_int_equal(err.code, C837_ECSV);
  assert_string_equal(err.msg, want);
  assert_same_table(t, ref);
  /* replace_all must not drop anything on failure either (a few
   * partial files are valid on an empty table, hence the test). */
  st = c837_codetable_load(t, path, 1, &err);
  if (st != C837_OK) {
    assert_int_equal(st, C837_ECSV);
    assert_same_table(t, ref);
  }
  unlink(path);
  free(path);
  c837_codetable_free(t);
  c837_codetable_free(ref);
}

/* Loads text into a fresh built-in table, expecting success. */
static inline c837_codetable *load_ok(const char *text, int replace_all)
{
  c837_codetable *t = builtin();
  c837_error err;
  char *path = tmp_file(text, strlen(text));
  c837_status st = c837_codetable_load(t, path, replace_all, &err);
  if (st != C837_OK)
    fail_msg("load failed: %s", err.msg);
  unlink(path);
  free(path);
  return t;
}

#endif
