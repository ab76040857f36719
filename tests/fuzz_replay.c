/* fuzz_replay.c -- replays inputs through a libFuzzer harness, as a
 * cmocka test built with the normal compiler
 *
 * Linked with one harness (tests/fuzz_tokenizer.c or
 * tests/fuzz_pipeline.c: the Makefile builds fuzz_replay_tokenizer and
 * fuzz_replay_pipeline), it calls LLVMFuzzerTestOneInput on every file
 * of
 *   - tests/fuzz-regress/ (every input a fuzzer ever crashed on; files
 *     named README* are documentation, not inputs),
 *   - samples/ (the seeds: the harness must pass on real files),
 *   - ../shared/corpus/ (skipped with a message when absent),
 * directories walked recursively in sorted order.  The harness abort()s
 * when one of its checks fails, which fails the test run.  Run from the
 * repository root; a path given on the command line replaces the three
 * (a file or a directory; e.g. build-fuzz/artifacts/pipeline/crash-...).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <dirent.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char **g_paths; /* from the command line, or NULL */
static int g_npaths;
static int g_verbose;  /* FUZZ_VERBOSE: name every file */
static char g_current[1024]; /* the file being replayed */

/* A harness check that fails abort()s: name the input first. */
static void on_fatal(int sig)
{
  static const char msg[] = "fuzz_replay: failed on input ";
  (void)!write(2, msg, sizeof msg - 1);
  (void)!write(2, g_current, strlen(g_current));
  (void)!write(2, "\n", 1);
  signal(sig, SIG_DFL);
  raise(sig);
}

/* Reads a whole file into memory. */
static uint8_t *slurp(const char *path, size_t *size)
{
  FILE *fp = fopen(path, "rb");
  uint8_t *p = NULL;
  size_t cap = 0, n = 0, got;
  assert_non_null(fp);
  do {
    if (n == cap) {
      cap = cap ? cap * 2 : 65536;
      p = realloc(p, cap);
      assert_non_null(p);
    }
    got = fread(p + n, 1, cap - n, fp);
    n += got;
  } while (got > 0);
  assert_false(ferror(fp));
  fclose(fp);
  *size = n;
  return p;
}

static int by_name(const void *a, const void *b)
{
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Replays path (a file, or a directory recursively); returns the number
 * of files replayed. */
static size_t replay(const char *path)
{
  struct stat sb;
  size_t count = 0;
  assert_int_equal(stat(path, &sb), 0);
  if (S_ISDIR(sb.st_mode)) {
    DIR *d = opendir(path);
    struct dirent *e;
    char **names = NULL;
    size_t n = 0, cap = 0, i;
    assert_non_null(d);
    while ((e = readdir(d)) != NULL) {
      if (e->d_name[0] == '.' || strncmp(e->d_name, "README", 6) == 0)
        continue;
      if (n == cap) {
        cap = cap ? cap * 2 : 64;
        names = realloc(names, cap * sizeof *names);
        assert_non_null(names);
      }
      names[n] = malloc(strlen(path) + strlen(e->d_name) + 2);
      assert_non_null(names[n]);
      sprintf(names[n], "%s/%s", path, e->d_name);
      n++;
    }
    closedir(d);
    if (n)
      qsort(names, n, sizeof *names, by_name);
    for (i = 0; i < n; i++) {
      count += replay(names[i]);
      free(names[i]);
    }
    free(names);
  } else if (S_ISREG(sb.st_mode)) {
    size_t size;
    uint8_t *data = slurp(path, &size);
    snprintf(g_current, sizeof g_current, "%s", path);
    if (g_verbose)
      fprintf(stderr, "replay %s (%zu bytes)\n", path, size);
    assert_int_equal(LLVMFuzzerTestOneInput(data, size), 0);
    free(data);
    count = 1;
  }
  return count;
}

/* Replays directory dir, which must hold at least one input. */
static void replay_dir(const char *dir, const char *what)
{
  size_t n = replay(dir);
  printf("replayed %zu %s\n", n, what);
  assert_true(n > 0);
}

static void test_regressions(void **state)
{
  (void)state;
  replay_dir("tests/fuzz-regress", "regression inputs");
}

static void test_samples(void **state)
{
  (void)state;
  replay_dir("samples", "sample files");
}

static void test_corpus(void **state)
{
  struct stat sb;
  (void)state;
  if (stat("../shared/corpus", &sb) != 0) {
    printf("SKIP: ../shared/corpus not found\n");
    skip();
  }
  replay_dir("../shared/corpus", "corpus files");
}

static void test_given(void **state)
{
  int i;
  (void)state;
  for (i = 0; i < g_npaths; i++)
    assert_true(replay(g_paths[i]) > 0);
}

int main(int argc, char **argv)
{
  const struct CMUnitTest all[] = {
      cmocka_unit_test(test_regressions),
      cmocka_unit_test(test_samples),
      cmocka_unit_test(test_corpus),
  };
  const struct CMUnitTest given[] = {
      cmocka_unit_test(test_given),
  };
  g_verbose = getenv("FUZZ_VERBOSE") != NULL;
  signal(SIGABRT, on_fatal);
  signal(SIGSEGV, on_fatal);
  if (argc > 1) {
    g_paths = argv + 1;
    g_npaths = argc - 1;
    return cmocka_run_group_tests(given, NULL, NULL);
  }
  return cmocka_run_group_tests(all, NULL, NULL);
}
