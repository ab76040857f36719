/* public_api.c -- the library through its public header alone
 *
 * Built with -Iinclude and nothing else of the source tree (no -Isrc):
 * it proves that include/cart837.h is enough to use libcart837, as a
 * program outside this repository would (tests/e2e_install.sh builds it
 * again against an installed copy, through pkg-config).  It does what a
 * run does to the 837 outputs, with the stages of the public API only:
 *
 *   input -> stream (tokenizer, assembler) -> engine -> writer (memory)
 *
 * over the six sample files, in the order a run over samples/ takes
 * them, with one engine across the files; then checks that every claim
 * came out (claims in = corrected + held), that both outputs read back
 * with the library's own tokenizer and assembler, and that they are byte
 * for byte the corrected and held files a run writes
 * (tests/expected/samples/out/).  Prints one line per file; exits 0
 * when all holds, 1 otherwise.
 *
 *   public_api [ROOT]    ROOT: the repository (default ".")
 */
#include <cart837.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A byte buffer that grows; out of memory ends the program. */
typedef struct bytes {
  char *p;
  size_t len, cap;
} bytes;

static int put(void *ud, const void *p, size_t n)
{
  bytes *b = ud;
  if (b->len + n > b->cap) {
    size_t cap = b->cap ? b->cap : 65536;
    while (cap < b->len + n)
      cap *= 2;
    b->p = realloc(b->p, cap);
    if (!b->p) {
      fputs("public_api: out of memory\n", stderr);
      exit(1);
    }
    b->cap = cap;
  }
  if (n)
    memcpy(b->p + b->len, p, n);
  b->len += n;
  return 0;
}

/* What the stream hands out goes to the engine and the writer. */
typedef struct pass {
  c837_engine *engine;
  c837_writer *writer;
  unsigned long claims, passed, fixed, held, findings;
  int failed;
} pass;

static int on_segment(void *ud, const c837_segment *s, c837_role role,
                      const c837_envelope *env)
{
  pass *p = ud;
  return c837_writer_segment(p->writer, s, role, env);
}

static int on_claim(void *ud, const c837_claim *c)
{
  pass *p = ud;
  c837_verdict v;
  if (c837_engine_claim(p->engine, c, &v) != C837_OK) {
    p->failed = 1;
    return -1;
  }
  p->claims++;
  p->passed += v.disposition == C837_DISP_PASSED;
  p->fixed += v.disposition == C837_DISP_FIXED;
  p->held += v.disposition == C837_DISP_HELD;
  p->findings += v.n_findings;
  return c837_writer_claim(p->writer, c, &v);
}

static int count_claim(void *ud, const c837_claim *c)
{
  (void)c;
  ++*(unsigned long *)ud;
  return 0;
}

/* Reads b back: C837_OK when it parses to its end; *claims counted. */
static c837_status read_back(const bytes *b, unsigned long *claims)
{
  c837_handler h = {NULL, count_claim, NULL, claims};
  c837_assembler *a = c837_assembler_new(&h);
  c837_tokenizer *t = a ? c837_tokenizer_new(c837_assembler_segment, a)
                        : NULL;
  c837_status st = t ? C837_OK : C837_ENOMEM;
  *claims = 0;
  if (st == C837_OK && b->len)
    st = c837_tokenizer_feed(t, b->p, b->len);
  if (st == C837_OK && b->len)
    st = c837_tokenizer_finish(t);
  if (st == C837_OK)
    st = c837_assembler_finish(a);
  c837_tokenizer_free(t);
  c837_assembler_free(a);
  return st;
}

/* 1 when b is the file at path byte for byte (a missing file: b empty). */
static int same_as_file(const bytes *b, const char *path)
{
  bytes f = {NULL, 0, 0};
  char chunk[65536];
  size_t n;
  int same;
  FILE *fp = fopen(path, "rb");
  if (!fp)
    return b->len == 0;
  while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0)
    put(&f, chunk, n);
  fclose(fp);
  same = f.len == b->len && (f.len == 0 || memcmp(f.p, b->p, f.len) == 0);
  free(f.p);
  return same;
}

/* One sample through the stages; 0 when everything holds. */
static int one_file(const char *root, const char *name, c837_engine *e)
{
  bytes out = {NULL, 0, 0}, held = {NULL, 0, 0};
  c837_sink so = {put, &out}, sh = {put, &held};
  pass p = {e, c837_writer_new(&so, &sh), 0, 0, 0, 0, 0, 0};
  c837_handler h = {on_segment, on_claim, NULL, &p};
  c837_writer_stats ws;
  c837_error err;
  c837_counts counts;
  c837_input *in;
  c837_status st, wst;
  char path[1024], want[1100];
  unsigned long back_out = 0, back_held = 0;
  int bad = 0;

  snprintf(path, sizeof path, "%s/samples/%s", root, name);
  in = c837_input_open(path, &err);
  if (!in || !p.writer) {
    fprintf(stderr, "public_api: %s: %s\n", path, in ? "out of memory"
                                                     : err.msg);
    return 1;
  }
  st = c837_stream_run(in, &h, NULL, NULL, &counts, &err);
  c837_input_close(in);
  wst = c837_writer_finish(p.writer, &ws, &err);
  c837_writer_free(p.writer);
  if (st != C837_OK || wst != C837_OK || p.failed) {
    fprintf(stderr, "public_api: %s: %s: %s\n", name,
            c837_status_name(st != C837_OK ? st : wst), err.msg);
    bad = 1;
  }
  if (ws.claims_in != p.claims || ws.claims_in != ws.claims_out +
                                                       ws.claims_held) {
    fprintf(stderr, "public_api: %s: claims in != corrected + held\n", name);
    bad = 1;
  }
  if (read_back(&out, &back_out) != C837_OK || back_out != ws.claims_out ||
      read_back(&held, &back_held) != C837_OK ||
      back_held != ws.claims_held) {
    fprintf(stderr, "public_api: %s: an output does not read back\n", name);
    bad = 1;
  }
  /* the run's files: a gzip output is kept there decompressed, .txt */
  snprintf(want, sizeof want, "%s/tests/expected/samples/out/%s%s", root,
           name, strstr(name, ".gz") ? ".txt" : "");
  if (!same_as_file(&out, want)) {
    fprintf(stderr, "public_api: %s: corrected output differs from %s\n",
            name, want);
    bad = 1;
  }
  snprintf(want, sizeof want, "%s/tests/expected/samples/out/held/%s%s",
           root, name, strstr(name, ".gz") ? ".txt" : "");
  if (!same_as_file(&held, want)) {
    fprintf(stderr, "public_api: %s: held output differs from %s\n", name,
            want);
    bad = 1;
  }
  printf("%s: %lu claims (%lu passed, %lu fixed, %lu held), %lu findings, "
         "corrected %lu bytes, held %lu bytes%s\n",
         name, p.claims, p.passed, p.fixed, p.held, p.findings,
         (unsigned long)out.len, (unsigned long)held.len,
         bad ? "" : ": as a run writes them");
  free(out.p);
  free(held.p);
  return bad;
}

int main(int argc, char **argv)
{
  /* the order of a run over samples/ (tests/e2e_samples.sh) */
  static const char *const files[] = {
      "cart_batch.837.gz", "cart_inst.837",      "cart_prof.837",
      "cart_realworld.837", "cart_rules.837",    "inst_basic.837",
      "mixed_delims.837",  "prof_basic.837"};
  const char *root = argc > 1 ? argv[1] : ".";
  c837_error err;
  c837_codetable *t = c837_codetable_builtin(&err);
  c837_engine *e = t ? c837_engine_new(t, NULL) : NULL;
  size_t i;
  int bad = 0;
  if (!e) {
    fprintf(stderr, "public_api: %s\n", t ? "out of memory" : err.msg);
    return 1;
  }
  for (i = 0; i < sizeof files / sizeof files[0]; i++)
    bad |= one_file(root, files[i], e);
  c837_engine_free(e);
  c837_codetable_free(t);
  printf("public_api: %s\n", bad ? "FAILED" : "all outputs as expected");
  return bad;
}
