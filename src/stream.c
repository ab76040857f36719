/* stream.c -- one input through tokenizer and assembler
 *
 * Glue for the common case: read an input in C837_READ_CHUNK pieces, feed
 * the tokenizer, whose segments go to an assembler, whose claims and
 * segments go to the caller's handler.  When the input cannot be parsed
 * (no ISA, a segment past its limit, a truncated file), everything that
 * was not handed out as a segment -- the failing segment and the rest of
 * the input -- goes to raw_cb unchanged, so that a pass-through writer
 * still loses no byte.
 */
#include "cart837.h"

#include <stdlib.h>
#include <string.h>

/* Copies the rest of the input to raw_cb after a fatal parse error. */
static c837_status drain(c837_input *in, const c837_assembler *a,
                         c837_tokenizer *t, const char *chunk,
                         size_t chunk_len, uint64_t chunk_start,
                         c837_raw_cb raw_cb, void *raw_ud, char *buf,
                         c837_error *err)
{
  const char *p;
  size_t n;
  long got;
  uint64_t taken;
  if (!raw_cb)
    return C837_OK;
  /* a claim the assembler stopped in (a claim limit) comes first */
  c837_assembler_pending(a, &p, &n);
  if (n && raw_cb(raw_ud, p, n) != 0)
    return C837_ECALLBACK;
  c837_tokenizer_unemitted(t, &p, &n);
  if (n && raw_cb(raw_ud, p, n) != 0)
    return C837_ECALLBACK;
  taken = c837_tokenizer_consumed(t) - chunk_start;
  if (chunk && taken < chunk_len &&
      raw_cb(raw_ud, chunk + taken, chunk_len - (size_t)taken) != 0)
    return C837_ECALLBACK;
  while ((got = c837_input_read(in, buf, C837_READ_CHUNK, err)) > 0)
    if (raw_cb(raw_ud, buf, (size_t)got) != 0)
      return C837_ECALLBACK;
  return got < 0 ? err->code : C837_OK;
}

c837_status c837_stream_run(c837_input *in, const c837_handler *h,
                            c837_raw_cb raw_cb, void *raw_ud,
                            c837_counts *counts, c837_error *err)
{
  c837_assembler *a = c837_assembler_new(h);
  c837_tokenizer *t = a ? c837_tokenizer_new(c837_assembler_segment, a)
                        : NULL;
  char *buf = malloc(C837_READ_CHUNK);
  c837_status st = C837_OK;
  c837_error ioerr;
  long got;

  memset(err, 0, sizeof *err);
  if (!a || !t || !buf) {
    st = err->code = C837_ENOMEM;
    snprintf(err->msg, sizeof err->msg, "out of memory");
    goto out;
  }
  for (;;) {
    uint64_t start = c837_tokenizer_consumed(t);
    got = c837_input_read(in, buf, C837_READ_CHUNK, &ioerr);
    if (got < 0) {
      *err = ioerr;
      st = ioerr.code;
      /* what was read stays; the unread rest cannot be copied */
      if (raw_cb) {
        const char *p;
        size_t n;
        c837_tokenizer_unemitted(t, &p, &n);
        if (n)
          raw_cb(raw_ud, p, n);
      }
      goto out;
    }
    if (got == 0) {
      st = c837_tokenizer_finish(t);
      if (st == C837_OK)
        st = c837_assembler_finish(a);
      else if (st != C837_ECALLBACK)
        (void)c837_assembler_finish(a);
      /* a claim the assembler kept back (a truncated transaction) and
       * what the tokenizer could not finish go through; the input is at
       * its end, so drain reads nothing more */
      if (st != C837_OK && st != C837_ECALLBACK &&
          drain(in, a, t, NULL, 0, 0, raw_cb, raw_ud, buf, &ioerr) ==
              C837_ECALLBACK)
        st = C837_ECALLBACK;
      break;
    }
    st = c837_tokenizer_feed(t, buf, (size_t)got);
    if (st != C837_OK) {
      c837_status d = C837_OK;
      c837_status ae = c837_assembler_error(a)->code;
      /* a parse error, or the assembler stopped on a limit: the partial
       * claim, the segment at fault and the rest of the input go
       * through (a callback that asked to stop gets nothing more) */
      if (st != C837_ECALLBACK || (ae != C837_OK && ae != C837_ECALLBACK)) {
        if (st != C837_ECALLBACK)
          (void)c837_assembler_finish(a);
        d = drain(in, a, t, buf, (size_t)got, start, raw_cb, raw_ud, buf,
                  &ioerr);
      }
      if (d != C837_OK && d != C837_ECALLBACK) {
        *err = ioerr;
        st = d;
        goto out;
      }
      break;
    }
  }
  if (st == C837_ECALLBACK && c837_assembler_error(a)->code != C837_OK &&
      c837_assembler_error(a)->code != C837_ECALLBACK) {
    *err = *c837_assembler_error(a);
    st = err->code;
  } else if (st == C837_ECALLBACK &&
             c837_assembler_error(a)->code == C837_ECALLBACK) {
    *err = *c837_assembler_error(a);
  } else if (st != C837_OK) {
    *err = *c837_tokenizer_error(t);
    if (err->code == C837_OK)
      *err = *c837_assembler_error(a);
  }
out:
  if (counts && a) {
    *counts = *c837_assembler_counts(a);
    counts->bytes = t ? c837_tokenizer_consumed(t) : 0;
  }
  c837_tokenizer_free(t);
  c837_assembler_free(a);
  free(buf);
  return st;
}
