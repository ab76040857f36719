/* ack_driver.c -- writes the 999 and 277CA of one 837 input, for
 * tests/e2e_ack.sh (an internal test program: it includes the private
 * header src/write/ack.h).
 *
 * A run layer in miniature: the input goes through the library's stream
 * (tokenizer and assembler) and the edit engine with the built-in code
 * table; segments, problems and claims with their verdicts go to the
 * acknowledgment feed, whose builders write into memory; the files are
 * written at the end.
 *
 *   ack_driver [OPTIONS] INPUT OUT.999 OUT.277
 *     --control N      first control number (--ack-control; default 1)
 *     --date CCYYMMDD  acknowledgment date, --time HHMM its time
 *                      (default: from the input)
 *     --sender ID, --receiver ID   our ISA06 / ISA08 (default: the
 *                      input's ISA08 / ISA06)
 *     --rest           input that cannot be read to its end is cut there
 *                      (as stdin's unparsed rest); default: held whole
 *   A file with nothing to say is not written (a held-whole file has no
 *   277CA; an input whose reading fails, corrupt gzip say, has neither,
 *   as it has no output at all in a run).  Exit 0; 1 with a message when
 *   the builders fail; 3 when the input could not be parsed to its end;
 *   4 when reading it failed.
 *
 *   ack_driver --rule ID   exit 0 when the 999 table has a row for ID
 *   ack_driver --problems  prints every problem id of C837_PROBLEM_MAP
 *   ack_driver --json DIR  writes DIR/indented.json and DIR/compact.json:
 *                          a document of every string escape, each case's
 *                          input bytes in hex beside it, and the other
 *                          value types, for a JSON parser to check
 */
#include "cart837.h"
#include "base/json.h"
#include "write/ack.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct run {
  c837_engine *engine;
  c837_ack_feed *feed;
  c837_status st;
} run;

/* The handler: segments, problems and claims (with the engine's
 * verdict) to the feed; a feed error stops the stream. */
static int on_segment(void *ud, const c837_segment *seg, c837_role role,
                      const c837_envelope *env)
{
  run *r = ud;
  (void)env;
  r->st = c837_ack_feed_segment(r->feed, seg, role);
  return r->st != C837_OK;
}

static int on_problem(void *ud, const c837_problem *p)
{
  run *r = ud;
  r->st = c837_ack_feed_problem(r->feed, p);
  return r->st != C837_OK;
}

static int on_claim(void *ud, const c837_claim *c)
{
  run *r = ud;
  c837_verdict v;
  if (c837_engine_claim(r->engine, c, &v) != C837_OK) {
    r->st = C837_ENOMEM;
    return 1;
  }
  r->st = c837_ack_feed_claim(r->feed, c, &v, v.disposition);
  return r->st != C837_OK;
}

/* raw_cb for --rest: the unparsed rest is not kept here. */
static int discard(void *ud, const void *p, size_t n)
{
  (void)ud, (void)p, (void)n;
  return 0;
}

/* Writes b to path; nothing (no file) when b is empty. */
static int write_file(const char *path, const c837_buf *b)
{
  FILE *fp;
  if (b->len == 0)
    return 0;
  fp = fopen(path, "wb");
  if (!fp || fwrite(b->p, 1, b->len, fp) != b->len || fclose(fp) != 0) {
    perror(path);
    return -1;
  }
  return 0;
}

/* One case of the JSON document: its bytes in hex and as a string. */
static void json_case(c837_json *j, const char *s, size_t n)
{
  char hex[256];
  size_t i;
  for (i = 0; i < n && 2 * i + 2 < sizeof hex; i++)
    snprintf(hex + 2 * i, 3, "%02x", (unsigned char)s[i]);
  hex[2 * i] = '\0';
  c837_json_object(j);
  c837_json_key(j, "hex");
  c837_json_string(j, hex);
  c837_json_key(j, "text");
  c837_json_string_n(j, s, n);
  c837_json_object_end(j);
}

/* The document of --json, indented by `indent`, into path. */
static int json_doc(const char *path, int indent)
{
  static const struct { const char *s; size_t n; } cases[] = {
#define C(lit) {lit, sizeof lit - 1}
      C("plain ascii / slash"), C("\"quote\" and \\backslash\\"),
      C("\b\f\n\r\t"), C("\x01\x02\x1e\x1f\x7f"), C("nul\0inside"),
      C("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"), C("\x80"),
      C("\xc0\xaf"), C("\xe2\x82"), C("\xe2\x82x"), C("\xed\xa0\x80"),
      C("\xf4\x90\x80\x80"), C("\xf0\x9f\x98"), C("\xf8\x88\x80\x80\x80"),
      C("ok\xff\xfeok"), C("\xef\xbb\xbf" "bom"),
#undef C
  };
  c837_buf b = {0};
  c837_json j;
  size_t i;
  int r;
  c837_json_init(&j, &b, indent);
  c837_json_object(&j);
  c837_json_key(&j, "cases");
  c837_json_array(&j);
  for (i = 0; i < sizeof cases / sizeof cases[0]; i++)
    json_case(&j, cases[i].s, cases[i].n);
  c837_json_array_end(&j);
  c837_json_key(&j, "int_min");
  c837_json_int(&j, INT64_MIN);
  c837_json_key(&j, "uint_max");
  c837_json_uint(&j, UINT64_MAX);
  c837_json_key(&j, "flags");
  c837_json_array(&j);
  c837_json_bool(&j, 1);
  c837_json_bool(&j, 0);
  c837_json_null(&j);
  c837_json_array_end(&j);
  c837_json_key(&j, "empty");
  c837_json_object(&j);
  c837_json_object_end(&j);
  c837_json_object_end(&j);
  r = c837_json_finish(&j);
  if (r == 0)
    r = write_file(path, &b);
  c837_buf_free(&b);
  return r == 0 ? 0 : 1;
}

static int json_demo(const char *dir)
{
  char p1[512], p2[512];
  snprintf(p1, sizeof p1, "%s/indented.json", dir);
  snprintf(p2, sizeof p2, "%s/compact.json", dir);
  return json_doc(p1, 2) || json_doc(p2, 0);
}

static int usage(void)
{
  fprintf(stderr, "usage: ack_driver [--control N] [--date CCYYMMDD] "
                  "[--time HHMM] [--sender ID] [--receiver ID] [--rest] "
                  "INPUT OUT.999 OUT.277\n"
                  "       ack_driver --rule ID | --json DIR\n");
  return 2;
}

/* Runs the input through stream, engine and feed; fills the buffers. */
static c837_status run_input(const char *path, const c837_ack_options *o,
                             int rest, c837_buf *b999, c837_buf *b277)
{
  c837_sink s999 = {c837_ack_buf_sink, b999}, s277 = {c837_ack_buf_sink, b277};
  c837_error err = {0};
  c837_codetable *t = c837_codetable_builtin(&err);
  c837_ack999 *a9 = c837_ack999_new(o, &s999);
  c837_ack277 *a7 = c837_ack277_new(o, &s277);
  run r = {0};
  c837_input *in;
  c837_status st = C837_ENOMEM, ast;
  r.feed = a9 && a7 ? c837_ack_feed_new(a9, a7) : NULL;
  r.engine = t ? c837_engine_new(t, NULL) : NULL;
  in = r.feed && r.engine ? c837_input_open(path, &err) : NULL;
  if (in) {
    c837_handler h = {on_segment, on_claim, on_problem, &r};
    st = c837_stream_run(in, &h, rest ? discard : NULL, NULL, NULL, &err);
    c837_input_close(in);
  }
  if (st == C837_OK)
    ast = c837_ack_feed_end(r.feed);
  else if (st != C837_ENOMEM && st != C837_EIO && st != C837_EGZIP &&
           st != C837_ECALLBACK && rest)
    ast = c837_ack_feed_cut(r.feed, st);
  else if (st != C837_ENOMEM && st != C837_EIO && st != C837_EGZIP &&
           st != C837_ECALLBACK) { /* held whole: no 277CA, a TA1 R */
    c837_buf_clear(b999);
    ast = c837_ack999_reject_file(a9, st, &s999);
    c837_ack277_free(a7);
    a7 = NULL;
  } else { /* reading failed: no acknowledgment, as no output at all */
    ast = r.st != C837_OK ? r.st : st;
    c837_buf_clear(b999);
    c837_buf_clear(b277);
  }
  if (ast == C837_OK)
    ast = c837_ack999_finish(a9, NULL, &err);
  if (ast == C837_OK && a7)
    ast = c837_ack277_finish(a7, NULL, &err);
  if (a7 == NULL)
    c837_buf_clear(b277);
  if (ast != C837_OK || st != C837_OK)
    fprintf(stderr, "ack_driver: %s: %s%s%s\n", path, c837_status_name(
            ast != C837_OK ? ast : st), err.msg[0] ? ": " : "", err.msg);
  c837_ack_feed_free(r.feed);
  c837_ack999_free(a9);
  c837_ack277_free(a7);
  c837_engine_free(r.engine);
  c837_codetable_free(t);
  return ast != C837_OK ? ast : st;
}

int main(int argc, char **argv)
{
  c837_ack_options o;
  uint64_t control = 1;
  c837_buf b999 = {0}, b277 = {0};
  int i, rest = 0, rc;
  c837_status st;
  memset(&o, 0, sizeof o);
  o.control = &control;
  if (argc == 3 && strcmp(argv[1], "--rule") == 0)
    return c837_ack999_rule(argv[2], 0) ? 0 : 1;
  if (argc == 2 && strcmp(argv[1], "--problems") == 0) {
    int p;
    for (p = 0; p < (int)C837_PROB_COUNT; p++)
      printf("%s\n", c837_problem_name((c837_problem_id)p));
    return 0;
  }
  if (argc == 3 && strcmp(argv[1], "--json") == 0)
    return json_demo(argv[2]);
  for (i = 1; i < argc && strncmp(argv[i], "--", 2) == 0; i++) {
    const char *v = i + 1 < argc ? argv[i + 1] : NULL;
    if (strcmp(argv[i], "--rest") == 0) {
      rest = 1;
      continue;
    }
    if (!v)
      return usage();
    if (strcmp(argv[i], "--control") == 0)
      control = strtoull(v, NULL, 10);
    else if (strcmp(argv[i], "--date") == 0)
      o.date = (int32_t)strtol(v, NULL, 10);
    else if (strcmp(argv[i], "--time") == 0)
      o.time = (int)strtol(v, NULL, 10);
    else if (strcmp(argv[i], "--sender") == 0)
      o.sender_id = v;
    else if (strcmp(argv[i], "--receiver") == 0)
      o.receiver_id = v;
    else
      return usage();
    i++;
  }
  if (argc - i != 3)
    return usage();
  st = run_input(argv[i], &o, rest, &b999, &b277);
  if (st == C837_OK)
    rc = 0;
  else if (st == C837_EIO || st == C837_EGZIP)
    rc = 4;
  else if (st == C837_ENOMEM || st == C837_EINVAL || st == C837_ECALLBACK)
    rc = 1;
  else
    rc = 3;
  if (write_file(argv[i + 1], &b999) || write_file(argv[i + 2], &b277))
    rc = 1;
  c837_buf_free(&b999);
  c837_buf_free(&b277);
  return rc;
}
