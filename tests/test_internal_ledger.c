/* test_internal_ledger.c -- unit tests of the ledger (src/run/ledger.c),
 * an internal test (private header run/ledger.h)
 *
 * Load and save round trips compared byte for byte, the save order and
 * the one-row-per-line rule, damaged ledgers rejected with the exact
 * FILE:LINE:COLUMN message and nothing loaded, the merge rules (later
 * run wins, a tombstone beats a line of its run, then the later
 * run_date, then the later file; nothing written on error), tombstones
 * and interchange markers loaded and saved, and
 * the lock (a second taker without waiting gets C837_ELOCK).
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

#include "run/ledger.h"

#define HDR                                                              \
  "\"source\",\"claim_id\",\"lx\",\"patient\",\"provider\",\"code\","    \
  "\"billed\",\"family\",\"step\",\"date_from\",\"date_to\",\"units\","  \
  "\"freq\",\"run_date\",\"run\"\n"

/* Plain (unquoted) header, as a person or another tool might write it. */
#define HDR_PLAIN                                                        \
  "source,claim_id,lx,patient,provider,code,billed,family,step,"         \
  "date_from,date_to,units,freq,run_date,run\n"

typedef struct fx {
  char dir[64];
  char path[128];
  c837_codetable *t;
  c837_engine *e;
} fx;

static int setup(void **state)
{
  fx *f = calloc(1, sizeof *f);
  c837_error err;
  c837_edit_options o;
  if (!f)
    return -1;
  snprintf(f->dir, sizeof f->dir, "/tmp/test_ledger.XXXXXX");
  if (!mkdtemp(f->dir))
    return -1;
  snprintf(f->path, sizeof f->path, "%s/ledger.csv", f->dir);
  f->t = c837_codetable_builtin(&err);
  if (!f->t)
    return -1;
  c837_edit_options_default(&o);
  o.run_date = 20250601;
  f->e = c837_engine_new(f->t, &o);
  if (!f->e)
    return -1;
  *state = f;
  return 0;
}

static int teardown(void **state)
{
  fx *f = *state;
  char cmd[128];
  c837_engine_free(f->e);
  c837_codetable_free(f->t);
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
  if (system(cmd) != 0)
    return -1;
  free(f);
  return 0;
}

static void put(const char *path, const char *text)
{
  FILE *fp = fopen(path, "wb");
  assert_non_null(fp);
  assert_int_equal(fwrite(text, 1, strlen(text), fp), strlen(text));
  assert_int_equal(fclose(fp), 0);
}

static char *slurp(const char *path)
{
  FILE *fp = fopen(path, "rb");
  char *buf;
  long n;
  assert_non_null(fp);
  assert_int_equal(fseek(fp, 0, SEEK_END), 0);
  n = ftell(fp);
  assert_true(n >= 0);
  rewind(fp);
  buf = malloc((size_t)n + 1);
  assert_non_null(buf);
  assert_int_equal(fread(buf, 1, (size_t)n, fp), (size_t)n);
  buf[n] = '\0';
  fclose(fp);
  return buf;
}

static void sub(fx *f, char *out, size_t sz, const char *name)
{
  snprintf(out, sz, "%s/%s", f->dir, name);
}

/* A canonical ledger: sorted by source, claim_id, lx (lx as a number),
 * every field quoted, a comma and a doubled quote inside the patient key,
 * fractional units, an empty date_to and an empty billed code. */
static const char canonical[] =
    HDR
    "\"S|1|1|0001\",\"C1\",\"2\",\"M1|DOE, \"\"JJ\"\"|19800101\","
    "\"1111111111\",\"38226\",\"38226\",\"step\",\"2\",\"2025-03-04\","
    "\"2025-03-04\",\"1\",\"1\",\"2025-05-01\",\"1\"\n"
    "\"S|1|1|0001\",\"C1\",\"10\",\"M1|DOE, \"\"JJ\"\"|19800101\","
    "\"1111111111\",\"Q2058\",\"Q2058\",\"product\",\"0\",\"2025-03-20\","
    "\"\",\"0.5\",\"1\",\"2025-05-01\",\"2\"\n"
    "\"S|1|1|0001\",\"C2\",\"1\",\"M2\",\"1111111111\",\"38225\",\"0537T\","
    "\"step\",\"1\",\"2025-01-02\",\"2025-01-02\",\"1\",\"7\","
    "\"2025-05-02\",\"3\"\n"
    "\"S|2|1|0001\",\"A\",\"1\",\"M3\",\"2222222222\",\"38205\",\"\","
    "\"watch\",\"0\",\"2025-02-28\",\"2025-02-28\",\"0.000001\",\"1\","
    "\"2025-05-02\",\"4294967295\"\n";

static void test_round_trip_exact_bytes(void **state)
{
  fx *f = *state;
  c837_error err;
  char out[160];
  char *got;
  const c837_hist *h;

  put(f->path, canonical);
  assert_int_equal(c837_ledger_load(f->e, f->path, &err), C837_OK);
  assert_int_equal(c837_engine_history_count(f->e), 4);
  h = c837_engine_history_at(f->e, 1, &(c837_hist){0});
  assert_string_equal(h->lx, "10");
  assert_string_equal(h->patient, "M1|DOE, \"JJ\"|19800101");
  assert_int_equal(h->family, C837_FAM_PRODUCT);
  assert_int_equal(h->units, 500000);
  assert_int_equal(h->date_from, 20250320);
  assert_int_equal(h->date_to, 0);
  assert_int_equal(h->run_date, 20250501);
  assert_int_equal(h->run, 2);
  h = c837_engine_history_at(f->e, 2, &(c837_hist){0});
  assert_string_equal(h->billed, "0537T");
  assert_string_equal(h->freq, "7");
  assert_int_equal(h->step, 1);
  h = c837_engine_history_at(f->e, 3, &(c837_hist){0});
  assert_int_equal(h->units, 1);
  assert_string_equal(h->billed, "");
  assert_int_equal(h->run, 4294967295u);

  sub(f, out, sizeof out, "saved.csv");
  assert_int_equal(c837_ledger_save(f->e, out, &err), C837_OK);
  got = slurp(out);
  assert_string_equal(got, canonical);
  free(got);
}

static void test_plain_header_and_crlf_accepted(void **state)
{
  fx *f = *state;
  c837_error err;
  put(f->path, "source,claim_id,lx,patient,provider,code,billed,family,"
               "step,date_from,date_to,units,freq,run_date,run\r\n"
               "S,C,1,P,N,38225,38225,step,1,2025-01-02,,1.000,1,,7\r\n");
  assert_int_equal(c837_ledger_load(f->e, f->path, &err), C837_OK);
  assert_int_equal(c837_engine_history_count(f->e), 1);
  assert_int_equal(c837_engine_history_at(f->e, 0, &(c837_hist){0})->units, 1000000);
  assert_int_equal(c837_engine_history_at(f->e, 0, &(c837_hist){0})->run_date, 0);
  assert_int_equal(c837_engine_history_at(f->e, 0, &(c837_hist){0})->run, 7);
}

static c837_hist mk(const char *source, const char *claim, const char *lx,
                    const char *code, int32_t from, int32_t run)
{
  c837_hist h;
  memset(&h, 0, sizeof h);
  snprintf(h.source, sizeof h.source, "%s", source);
  snprintf(h.claim_id, sizeof h.claim_id, "%s", claim);
  snprintf(h.lx, sizeof h.lx, "%s", lx);
  snprintf(h.patient, sizeof h.patient, "P");
  snprintf(h.provider, sizeof h.provider, "N");
  snprintf(h.code, sizeof h.code, "%s", code);
  snprintf(h.billed, sizeof h.billed, "%s", code);
  h.family = C837_FAM_STEP;
  h.step = 1;
  h.date_from = h.date_to = from;
  h.units = 1000000;
  snprintf(h.freq, sizeof h.freq, "1");
  h.run_date = run;
  h.run = 1;
  return h;
}

#define ROW(src, claim, lx, code, from, run)                             \
  "\"" src "\",\"" claim "\",\"" lx "\",\"P\",\"N\",\"" code "\",\"" code \
  "\",\"step\",\"1\",\"" from "\",\"" from "\",\"1\",\"1\",\"" run     \
  "\",\"1\"\n"

static void test_save_sorted_one_row_per_line(void **state)
{
  fx *f = *state;
  c837_error err;
  c837_hist h;
  char *got;

  /* scrambled order; B|1 lx 01 and lx 1 are different lines */
  h = mk("B", "1", "2", "38225", 20250102, 20250601);
  assert_int_equal(c837_engine_add_history(f->e, &h), C837_OK);
  h = mk("A", "9", "1", "38225", 20250103, 20250601);
  assert_int_equal(c837_engine_add_history(f->e, &h), C837_OK);
  h = mk("B", "1", "10", "38225", 20250104, 20250601);
  assert_int_equal(c837_engine_add_history(f->e, &h), C837_OK);
  h = mk("B", "1", "01", "38225", 20250105, 20250601);
  assert_int_equal(c837_engine_add_history(f->e, &h), C837_OK);
  h = mk("B", "1", "1", "38225", 20250106, 20250601);
  assert_int_equal(c837_engine_add_history(f->e, &h), C837_OK);
  /* the same line again: the later one stays */
  h = mk("A", "9", "1", "38226", 20250107, 20250601);
  assert_int_equal(c837_engine_add_history(f->e, &h), C837_OK);

  assert_int_equal(c837_ledger_save(f->e, f->path, &err), C837_OK);
  got = slurp(f->path);
  assert_string_equal(got,
                      HDR ROW("A", "9", "1", "38226", "2025-01-07",
                              "2025-06-01")
                          ROW("B", "1", "01", "38225", "2025-01-05",
                              "2025-06-01")
                              ROW("B", "1", "1", "38225", "2025-01-06",
                                  "2025-06-01")
                                  ROW("B", "1", "2", "38225", "2025-01-02",
                                      "2025-06-01")
                                      ROW("B", "1", "10", "38225",
                                          "2025-01-04", "2025-06-01"));
  free(got);
}

static void test_save_empty_and_missing_file(void **state)
{
  fx *f = *state;
  c837_error err;
  char *got;
  char other[160];
  sub(f, other, sizeof other, "nope.csv");
  assert_int_equal(c837_ledger_load(f->e, other, &err), C837_OK);
  assert_int_equal(c837_engine_history_count(f->e), 0);
  assert_int_equal(c837_ledger_save(f->e, f->path, &err), C837_OK);
  got = slurp(f->path);
  assert_string_equal(got, HDR);
  free(got);
  /* a header-only ledger loads as empty */
  assert_int_equal(c837_ledger_load(f->e, f->path, &err), C837_OK);
  assert_int_equal(c837_engine_history_count(f->e), 0);
}

/* Loads text and expects C837_ECSV with msg exactly "PATH:" + want, and
 * nothing added to the engine. */
static void damaged(fx *f, const char *text, const char *want)
{
  c837_error err;
  char msg[600];
  put(f->path, text);
  assert_int_equal(c837_ledger_load(f->e, f->path, &err), C837_ECSV);
  assert_int_equal(err.code, C837_ECSV);
  snprintf(msg, sizeof msg, "%s:%s", f->path, want);
  assert_string_equal(err.msg, msg);
  assert_int_equal(c837_engine_history_count(f->e), 0);
}

#define GOOD ROW("S", "C", "1", "38225", "2025-01-02", "2025-06-01")

static void test_damaged_header(void **state)
{
  fx *f = *state;
  damaged(f,
          "source,claim_id,lxx,patient,provider,code,billed,family,step,"
          "date_from,date_to,units,freq,run_date,run\n" GOOD,
          "1:3: header: expected column lx, found 'lxx'");
  damaged(f, "source,claim_id,lx\n" GOOD,
          "1:4: header: expected 15 fields as in the header, found 3");
  damaged(f, "", "1:1: header: expected the header row, found an empty file");
}

static void test_damaged_field_count(void **state)
{
  fx *f = *state;
  /* good rows first: still nothing may be loaded */
  damaged(f, HDR GOOD GOOD "\"S\",\"C\",\"2\"\n" GOOD,
          "4:4: patient: expected 15 fields as in the header, found 3");
  damaged(f, HDR GOOD "S,C,3,P,N,38225,38225,step,1,,,1,1,,1,extra\n",
          "3:16: (beyond the header): expected 15 fields as in the "
          "header, found more");
}

static void test_damaged_values(void **state)
{
  fx *f = *state;
  damaged(f, HDR GOOD "S,C,2,P,N,38225,38225,step,1,2025-02-30,,1,1,,1\n",
          "3:10: date_from: expected a date CCYY-MM-DD or nothing, found "
          "'2025-02-30'");
  damaged(f, HDR "S,C,2,P,N,38225,38225,step,1,20250102,,1,1,,1\n",
          "2:10: date_from: expected a date CCYY-MM-DD or nothing, found "
          "'20250102'");
  damaged(f, HDR GOOD "S,C,2,P,N,38225,38225,step,1,,,1.0000001,1,,1\n",
          "3:12: units: expected a decimal number of units (at most 6 "
          "decimals), found '1.0000001'");
  damaged(f, HDR "S,C,2,P,N,38225,38225,step,1,,,one,1,,1\n",
          "2:12: units: expected a decimal number of units (at most 6 "
          "decimals), found 'one'");
  damaged(f, HDR "S,C,2,P,N,38225,38225,stp,1,,,1,1,,1\n",
          "2:8: family: expected step, product, watch, tcr, til, "
          "hsc_gene, cell_other, noc, admission or nothing, found "
          "'stp'");
  damaged(f, HDR "S,C,2,P,N,38225,38225,step,5,,,1,1,,1\n",
          "2:9: step: expected a step number 0 to 4, found '5'");
  damaged(f, HDR "S,C,2,,N,38225,38225,step,1,,,1,1,,1\n",
          "2:4: patient: expected a value, found none");
  damaged(f, HDR "S,C,2,P,N,38225,38225,step,1,,,1,12345,,1\n",
          "2:13: freq: expected at most 3 bytes, found 5 ('12345')");
}

static void test_damaged_quotes(void **state)
{
  fx *f = *state;
  /* unterminated quote: the field started on line 3 */
  damaged(f,
          HDR GOOD "\"S,C,2,P,N,38225,38225,step,1,,,1,1,,1\n"
                   "S,C,3,P,N,38225,38225,step,1,,,1,1,,1\n",
          "3:1: source: expected a closing quote, found the end of the "
          "file");
  damaged(f, HDR "S,C\"x,2,P,N,38225,38225,step,1,,,1,1,,1\n",
          "2:2: claim_id: expected no quote inside an unquoted field, "
          "found '\"'");
  damaged(f, HDR "S,\"C\"x,2,P,N,38225,38225,step,1,,,1,1,,1\n",
          "2:2: claim_id: expected a comma or line end after a closing "
          "quote, found 'x'");
}

static void test_damaged_keeps_history(void **state)
{
  fx *f = *state;
  c837_error err;
  c837_hist h = mk("X", "1", "1", "38225", 20250101, 20250601);
  assert_int_equal(c837_engine_add_history(f->e, &h), C837_OK);
  put(f->path, HDR GOOD "S,C\n");
  assert_int_equal(c837_ledger_load(f->e, f->path, &err), C837_ECSV);
  assert_int_equal(c837_engine_history_count(f->e), 1);
  assert_string_equal(c837_engine_history_at(f->e, 0, &(c837_hist){0})->source, "X");
}

/* Runs the merge into a file and returns its bytes. */
static char *merge(fx *f, const char *const *paths, size_t n,
                   c837_status want, c837_error *err)
{
  char out[160];
  FILE *fp;
  sub(f, out, sizeof out, "merged.csv");
  fp = fopen(out, "wb");
  assert_non_null(fp);
  assert_int_equal(c837_ledger_merge(paths, n, fp, err), want);
  assert_int_equal(fclose(fp), 0);
  return slurp(out);
}

static void test_merge_rules(void **state)
{
  fx *f = *state;
  c837_error err;
  char a[160], b[160];
  const char *paths[2];
  char *got;
  sub(f, a, sizeof a, "a.csv");
  sub(f, b, sizeof b, "b.csv");
  paths[0] = a;
  paths[1] = b;
  /* S|1 lx1: A has the later run_date -> A's row (code 38226) stays
   * although A is the earlier file.  S|1 lx2: same run_date -> the later
   * file's row (B, 38228).  Unsorted input comes out sorted. */
  put(a, HDR_PLAIN
      "T,9,1,P,N,38225,38225,step,1,2025-01-09,2025-01-09,1,1,2025-06-01,1\n"
      "S,1,2,P,N,38227,38227,step,1,2025-01-02,2025-01-02,1,1,2025-06-01,1\n"
      "S,1,1,P,N,38226,38226,step,1,2025-01-01,2025-01-01,1,1,2025-06-02,1\n");
  put(b, HDR
      ROW("S", "1", "1", "38225", "2025-01-01", "2025-06-01")
      ROW("S", "1", "2", "38228", "2025-01-02", "2025-06-01")
      ROW("R", "5", "1", "38225", "2025-01-05", "2025-06-01"));
  got = merge(f, paths, 2, C837_OK, &err);
  assert_string_equal(got,
                      HDR ROW("R", "5", "1", "38225", "2025-01-05",
                              "2025-06-01")
                          ROW("S", "1", "1", "38226", "2025-01-01",
                              "2025-06-02")
                              ROW("S", "1", "2", "38228", "2025-01-02",
                                  "2025-06-01")
                                  ROW("T", "9", "1", "38225",
                                      "2025-01-09", "2025-06-01"));
  free(got);
  /* the other argument order: lx1 still A's (run_date), lx2 now A's */
  paths[0] = b;
  paths[1] = a;
  got = merge(f, paths, 2, C837_OK, &err);
  assert_non_null(strstr(got, ROW("S", "1", "1", "38226", "2025-01-01",
                                  "2025-06-02")));
  assert_non_null(strstr(got, ROW("S", "1", "2", "38227", "2025-01-02",
                                  "2025-06-01")));
  free(got);
}

static void test_merge_of_one_is_save_form(void **state)
{
  fx *f = *state;
  c837_error err;
  const char *paths[1];
  char *got;
  paths[0] = f->path;
  put(f->path, canonical);
  got = merge(f, paths, 1, C837_OK, &err);
  assert_string_equal(got, canonical);
  free(got);
}

static void test_merge_errors_write_nothing(void **state)
{
  fx *f = *state;
  c837_error err;
  char a[160], b[160], msg[400];
  const char *paths[2];
  char *got;
  sub(f, a, sizeof a, "a.csv");
  sub(f, b, sizeof b, "b.csv");
  paths[0] = a;
  paths[1] = b;
  put(a, canonical);
  put(b, HDR GOOD "S,C,2,P,N,38225,38225,step,1,,,x,1,,1\n");
  got = merge(f, paths, 2, C837_ECSV, &err);
  assert_string_equal(got, "");
  snprintf(msg, sizeof msg,
           "%s:3:12: units: expected a decimal number of units (at most 6 "
           "decimals), found 'x'",
           b);
  assert_string_equal(err.msg, msg);
  free(got);
  unlink(b);
  got = merge(f, paths, 2, C837_EIO, &err);
  assert_string_equal(got, "");
  snprintf(msg, sizeof msg,
           "cannot open ledger %s: No such file or directory", b);
  assert_string_equal(err.msg, msg);
  free(got);
}

/* A row of family f ("" = bookkeeping), freq q and run r. */
#define XROW(src, claim, lx, pat, code, fam, freq, run)                  \
  "\"" src "\",\"" claim "\",\"" lx "\",\"" pat "\",\"N\",\"" code "\",\"" \
  code "\",\"" fam "\",\"1\",\"2025-01-01\",\"2025-01-01\",\"1\",\"" freq   \
  "\",\"2025-06-01\",\"" run "\"\n"
#define MARK(src, run)                                                   \
  "\"" src "\",\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"0\",\"\",\"\",\"0\",\"\","         \
  "\"2025-06-01\",\"" run "\"\n"

static void test_run_column_values(void **state)
{
  fx *f = *state;
  damaged(f, HDR "S,C,2,P,N,38225,38225,step,1,,,1,1,,\n",
          "2:15: run: expected a run number 1 to 4294967295, found "
          "''");
  damaged(f, HDR "S,C,2,P,N,38225,38225,step,1,,,1,1,,0\n",
          "2:15: run: expected a run number 1 to 4294967295, found '0'");
  damaged(f, HDR "S,C,2,P,N,38225,38225,step,1,,,1,1,,4294967296\n",
          "2:15: run: expected a run number 1 to 4294967295, found "
          "'4294967296'");
  damaged(f, HDR "S,C,2,P,N,38225,38225,step,1,,,1,1,,01\n",
          "2:15: run: expected a run number 1 to 4294967295, found '01'");
  /* only bookkeeping rows (empty family) may leave patient and code */
  damaged(f, HDR "S,C,2,P,N,,,step,1,,,1,1,,1\n",
          "2:6: code: expected a value, found none");
}

/* Tombstones and markers: loaded, applied to the rows they name, saved
 * back in their place. */
static void test_tombstones_load_and_save(void **state)
{
  fx *f = *state;
  c837_error err;
  char out[160];
  char *got;
  /* S|1 lx1 is removed by the tombstone of run 2 (the row is of run 1,
   * listed after it); S|1 lx2 of run 3 is later than its tombstone of
   * run 2 and stays; both kinds of row with an empty patient and code */
  put(f->path,
      HDR MARK("S|", "1")
      XROW("S|1|1|0001", "C", "1", "P", "38225", "", "8", "2")
      XROW("S|1|1|0001", "C", "1", "P", "38225", "step", "1", "1")
      XROW("S|1|1|0001", "C", "2", "P", "38225", "", "8", "2")
      XROW("S|1|1|0001", "C", "2", "P", "38225", "step", "1", "3"));
  assert_int_equal(c837_ledger_load(f->e, f->path, &err), C837_OK);
  /* marker, two tombstones, one line */
  assert_int_equal(c837_engine_history_count(f->e), 4);
  sub(f, out, sizeof out, "saved.csv");
  assert_int_equal(c837_ledger_save(f->e, out, &err), C837_OK);
  got = slurp(out);
  /* one row per identity: lx2's line of run 3 outranks its tombstone */
  assert_string_equal(
      got, HDR MARK("S|", "1")
      XROW("S|1|1|0001", "C", "1", "P", "38225", "", "8", "2")
      XROW("S|1|1|0001", "C", "2", "P", "38225", "step", "1", "3"));
  free(got);
}

/* The tombstone of a line whose LX01 was empty (lx empty, code kept)
 * removes that line when loaded; only a tombstone without lx and code is
 * an admission's (hist_admit.c). */
static void test_tombstone_of_line_without_lx(void **state)
{
  fx *f = *state;
  c837_error err;
  size_t i, lines = 0;
  put(f->path,
      HDR MARK("S|", "1")
      XROW("S|1|1|0001", "C", "", "P", "38225", "step", "1", "1")
      XROW("S|1|1|0001", "C", "", "P", "38225", "", "8", "2"));
  assert_int_equal(c837_ledger_load(f->e, f->path, &err), C837_OK);
  /* the marker and the tombstone; the line is gone */
  assert_int_equal(c837_engine_history_count(f->e), 2);
  for (i = 0; i < c837_engine_history_count(f->e); i++)
    lines += c837_engine_history_at(f->e, i, &(c837_hist){0})->kind == C837_HIST_LINE;
  assert_int_equal(lines, 0);
}

/* The merge applies tombstones across its inputs: a line removed by a
 * void in one part does not come back from another part that still
 * carries it from the common base ledger. */
static void test_merge_tombstones(void **state)
{
  fx *f = *state;
  c837_error err;
  char a[160], b[160];
  const char *paths[2];
  char *got;
  const char *want =
      HDR XROW("S|1|1|0001", "C", "1", "P", "38225", "", "8", "1")
      XROW("S|1|1|0001", "C", "2", "P", "38225", "step", "1", "2")
      XROW("T|1|1|0001", "D", "1", "P", "38225", "step", "1", "2");
  sub(f, a, sizeof a, "a.csv");
  sub(f, b, sizeof b, "b.csv");
  /* part a voided C lx1 and lx2 (runs 1), and a later run (2) read lx2
   * again; part b still has both rows of run 1 and a line of its own */
  put(a, HDR XROW("S|1|1|0001", "C", "1", "P", "38225", "", "8", "1")
      XROW("S|1|1|0001", "C", "2", "P", "38225", "step", "1", "2"));
  put(b, HDR XROW("S|1|1|0001", "C", "1", "P", "38225", "step", "1", "1")
      XROW("S|1|1|0001", "C", "2", "P", "38225", "step", "1", "1")
      XROW("T|1|1|0001", "D", "1", "P", "38225", "step", "1", "2"));
  paths[0] = a;
  paths[1] = b;
  got = merge(f, paths, 2, C837_OK, &err);
  assert_string_equal(got, want);
  free(got);
  paths[0] = b;
  paths[1] = a;
  got = merge(f, paths, 2, C837_OK, &err);
  assert_string_equal(got, want);
  free(got);
  /* loading the merged ledger keeps the tombstone, not the line */
  put(f->path, want);
  assert_int_equal(c837_ledger_load(f->e, f->path, &err), C837_OK);
  assert_int_equal(c837_engine_history_count(f->e), 3);
  assert_int_equal(c837_engine_history_at(f->e, 0, &(c837_hist){0})->family, C837_FAM_NONE);
}

static void test_lock(void **state)
{
  fx *f = *state;
  c837_error err;
  int fd1 = -1, fd2 = -1;
  char msg[300];
  assert_int_equal(c837_ledger_lock(f->path, 0, &fd1, &err), C837_OK);
  assert_true(fd1 >= 0);
  assert_int_equal(c837_ledger_lock(f->path, 0, &fd2, &err), C837_ELOCK);
  assert_int_equal(fd2, -1);
  snprintf(msg, sizeof msg, "ledger %s is locked by another run", f->path);
  assert_string_equal(err.msg, msg);
  c837_ledger_unlock(fd1);
  assert_int_equal(c837_ledger_lock(f->path, 0, &fd2, &err), C837_OK);
  c837_ledger_unlock(fd2);
  c837_ledger_unlock(-1);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_round_trip_exact_bytes, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(test_plain_header_and_crlf_accepted,
                                      setup, teardown),
      cmocka_unit_test_setup_teardown(test_save_sorted_one_row_per_line,
                                      setup, teardown),
      cmocka_unit_test_setup_teardown(test_save_empty_and_missing_file,
                                      setup, teardown),
      cmocka_unit_test_setup_teardown(test_damaged_header, setup, teardown),
      cmocka_unit_test_setup_teardown(test_damaged_field_count, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(test_damaged_values, setup, teardown),
      cmocka_unit_test_setup_teardown(test_damaged_quotes, setup, teardown),
      cmocka_unit_test_setup_teardown(test_damaged_keeps_history, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(test_merge_rules, setup, teardown),
      cmocka_unit_test_setup_teardown(test_merge_of_one_is_save_form, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(test_merge_errors_write_nothing, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(test_run_column_values, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(test_tombstones_load_and_save, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(test_tombstone_of_line_without_lx,
                                      setup, teardown),
      cmocka_unit_test_setup_teardown(test_merge_tombstones, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(test_lock, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
