/* test_internal_scale.c -- unit tests of the scale-out's files
 * (src/run/scale.c)
 *
 * An internal test: it includes the run layer's private header
 * (run/scale.h).
 *
 * gather's concatenation: the header once, every data row in order, the
 * id column numbered again across the files, every field written back
 * as the reports write it (quoted, quotes doubled, a line break inside a
 * field kept, CR LF after each record), byte for byte; a file with
 * another header, a record with another number of fields, a missing id
 * column and a missing file are refused with the file and line, and
 * nothing is written.  The manifests: rows written and read back the
 * same, names with commas, quotes and line breaks included; a damaged
 * one is refused with its line and column, a missing one as such.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <unistd.h>

#include "cart837.h"
#include "run/scale.h"

static char dir[] = "/tmp/c837-scale-XXXXXX";

static int setup(void **state)
{
  (void)state;
  return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
  char cmd[200];
  (void)state;
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  return system(cmd) == 0 ? 0 : -1;
}

/* dir/name with text as its content; returns the path (static slot k). */
static const char *put_file(int k, const char *name, const char *text)
{
  static char paths[4][300];
  FILE *fp;
  snprintf(paths[k], sizeof paths[k], "%s/%s", dir, name);
  fp = fopen(paths[k], "wb");
  assert_non_null(fp);
  assert_int_equal(fputs(text, fp) >= 0, 1);
  assert_int_equal(fclose(fp), 0);
  return paths[k];
}

/* The content of path (malloc'ed), or NULL when it cannot be read. */
static char *slurp(const char *path)
{
  FILE *fp = fopen(path, "rb");
  char *s = calloc(1, 65536);
  size_t n;
  if (!fp) {
    free(s);
    return NULL;
  }
  n = fread(s, 1, 65535, fp);
  s[n] = '\0';
  fclose(fp);
  return s;
}

static void concat_numbers_ids_again(void **state)
{
  const char *in[2];
  char out[300], *got;
  c837_error err;
  (void)state;
  in[0] = put_file(0, "a.csv",
                   "\"file\",\"id\",\"detail\"\r\n"
                   "\"a.837\",\"1\",\"x, \"\"quoted\"\"\"\r\n"
                   "\"a.837\",\"2\",\"two\nlines\"\r\n");
  in[1] = put_file(1, "b.csv",
                   "\"file\",\"id\",\"detail\"\r\n"
                   "\"b.837\",\"1\",\"'=formula kept\"\r\n"
                   "\"b.837\",\"2\",\"\"\r\n");
  snprintf(out, sizeof out, "%s/g/findings.csv", dir);
  assert_int_equal(c837_scale_concat_csv(in, 2, "id", "\r\n", out, &err),
                   C837_OK);
  got = slurp(out);
  assert_non_null(got);
  assert_string_equal(got, "\"file\",\"id\",\"detail\"\r\n"
                           "\"a.837\",\"1\",\"x, \"\"quoted\"\"\"\r\n"
                           "\"a.837\",\"2\",\"two\nlines\"\r\n"
                           "\"b.837\",\"3\",\"'=formula kept\"\r\n"
                           "\"b.837\",\"4\",\"\"\r\n");
  free(got);
  /* one file, no id column named: the same bytes */
  snprintf(out, sizeof out, "%s/g/one.csv", dir);
  assert_int_equal(c837_scale_concat_csv(in, 1, NULL, "\r\n", out, &err),
                   C837_OK);
  got = slurp(out);
  assert_non_null(got);
  assert_string_equal(got, "\"file\",\"id\",\"detail\"\r\n"
                           "\"a.837\",\"1\",\"x, \"\"quoted\"\"\"\r\n"
                           "\"a.837\",\"2\",\"two\nlines\"\r\n");
  free(got);
}

static void concat_refuses(void **state)
{
  const char *in[2];
  char out[300], *got;
  c837_error err;
  (void)state;
  snprintf(out, sizeof out, "%s/r/out.csv", dir);
  in[0] = put_file(0, "h1.csv", "\"file\",\"id\"\r\n\"a\",\"1\"\r\n");
  in[1] = put_file(1, "h2.csv", "\"file\",\"idx\"\r\n\"b\",\"1\"\r\n");
  assert_int_equal(c837_scale_concat_csv(in, 2, "id", "\r\n", out, &err),
                   C837_ECSV);
  assert_non_null(strstr(err.msg, "h2.csv:1:2: header: expected the header "
                                  "of the first file, found another"));
  in[1] = put_file(1, "f3.csv", "\"file\",\"id\"\r\n\"b\",\"1\",\"x\"\r\n");
  assert_int_equal(c837_scale_concat_csv(in, 2, "id", "\r\n", out, &err),
                   C837_ECSV);
  assert_non_null(strstr(err.msg, "f3.csv:2:1: file: "));
  assert_non_null(strstr(err.msg, "expected 2 fields as in the header, "
                                  "found 3"));
  assert_int_equal(c837_scale_concat_csv(in, 1, "nope", "\r\n", out, &err),
                   C837_ECSV);
  assert_non_null(strstr(err.msg, "expected a column named nope"));
  in[1] = "/nonexistent/c837/x.csv";
  assert_int_equal(c837_scale_concat_csv(in, 2, "id", "\r\n", out, &err),
                   C837_EIO);
  assert_non_null(strstr(err.msg, "cannot open /nonexistent/c837/x.csv"));
  got = slurp(out);
  assert_null(got); /* nothing under the final name */
}

static void manifest_round_trip(void **state)
{
  char path[300], *text;
  c837_part_row rows[3], *back = NULL;
  size_t n = 0;
  c837_error err;
  (void)state;
  rows[0] = (c837_part_row){1, "a.837", C837_PART_CLAIMS};
  rows[1] = (c837_part_row){1, "sub/b, \"odd\"\nname.837", C837_PART_NONE};
  rows[2] = (c837_part_row){2, "c.837.gz", C837_PART_WHOLE};
  snprintf(path, sizeof path, "%s/m/decide.csv", dir);
  assert_int_equal(c837_scale_write_rows(rows, 3, path, &err), C837_OK);
  text = slurp(path);
  assert_non_null(text);
  assert_string_equal(text, "\"part\",\"file\",\"outcome\"\n"
                            "\"1\",\"a.837\",\"claims\"\n"
                            "\"1\",\"sub/b, \"\"odd\"\"\nname.837\",\"none\"\n"
                            "\"2\",\"c.837.gz\",\"whole\"\n");
  free(text);
  assert_int_equal(c837_scale_read(path, &back, &n, &err), C837_OK);
  assert_int_equal(n, 3);
  assert_int_equal(back[1].part, 1);
  assert_string_equal(back[1].file, rows[1].file);
  assert_int_equal(back[1].outcome, C837_PART_NONE);
  assert_int_equal(back[2].outcome, C837_PART_WHOLE);
  c837_scale_free(back, n);
  put_file(0, "bad.csv", "\"part\",\"file\",\"outcome\"\n"
                         "\"1\",\"a.837\",\"maybe\"\n");
  snprintf(path, sizeof path, "%s/bad.csv", dir);
  assert_int_equal(c837_scale_read(path, &back, &n, &err), C837_ECSV);
  assert_non_null(strstr(err.msg, "bad.csv:2:3: outcome: expected none, "
                                  "claims, whole, skipped, failed or "
                                  "broken, found 'maybe'"));
  assert_null(back);
  assert_int_equal(c837_scale_read("/nonexistent/c837/decide.csv", &back, &n,
                                   &err),
                   C837_EIO);
  assert_non_null(strstr(err.msg, "cannot open /nonexistent/c837/decide.csv"));
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(concat_numbers_ids_again),
      cmocka_unit_test(concat_refuses),
      cmocka_unit_test(manifest_round_trip),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
