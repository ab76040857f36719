/* stream.c -- one input through tokenizer and assembler
 *
 * Glue for the common case: read an input in C837_READ_CHUNK pieces, feed
 * the tokenizer, whose segments go to an assembler, whose claims and
 * segments go to the caller's handler.  When reading stops early --
 * the input cannot be parsed (no ISA, a segment past its limit, a
 * truncated file) or a callback asked to stop -- everything that was
 * not handed out and accepted (the claim being read, the segment at
 * fault or refused, and the rest of the input) goes to raw_cb
 * unchanged, so that a pass-through writer still loses no byte.  raw_cb
 * can refuse (return non-zero): then nothing more is read.
 */
#include "cart837.h"
#include "base/err.h"
#include "base/limits.h"
#include "parse/stream_int.h"

#include <stdlib.h>

/* Copies what was not handed out, then the rest of the input, to raw_cb
 * after reading stopped early.  chunk[0 .. chunk_len) is the buffer of
 * the feed call that stopped (NULL at the end of the input), chunk_start
 * the tokenizer's count of bytes consumed before it.  Returns C837_OK,
 * C837_ECALLBACK when raw_cb refused, or the read error (*err filled). */
/* Passes to raw_cb what was read and not handed out: the claim the
 * assembler was reading (or stopped in, at a claim limit), then what the
 * tokenizer holds.  0, or -1 when raw_cb refused. */
static int pass_held(const c837_assembler *a, c837_tokenizer *t,
                     c837_raw_cb raw_cb, void *raw_ud)
{
  const char *p;
  size_t n;
  c837_assembler_pending(a, &p, &n);
  if (n && raw_cb(raw_ud, p, n) != 0)
    return -1;
  c837_tokenizer_unemitted(t, &p, &n);
  if (n && raw_cb(raw_ud, p, n) != 0)
    return -1;
  return 0;
}

static c837_status drain(c837_input *in, const c837_assembler *a,
                         c837_tokenizer *t, const char *chunk,
                         size_t chunk_len, uint64_t chunk_start,
                         c837_raw_cb raw_cb, void *raw_ud, char *buf,
                         c837_error *err)
{
  long got;
  uint64_t taken;
  if (!raw_cb)
    return C837_OK;
  /* a claim the assembler stopped in (a claim limit) comes first */
  if (pass_held(a, t, raw_cb, raw_ud) != 0)
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

/* The error that stopped reading (st from the tokenizer), into *err;
 * returns the status c837_stream_run reports for it. */
static c837_status stop_error(const c837_assembler *a,
                              const c837_tokenizer *t, c837_status st,
                              c837_error *err)
{
  c837_status ae = c837_assembler_error(a)->code;
  if (st == C837_ECALLBACK && ae != C837_OK) {
    /* the assembler stopped: a claim limit, or a handler callback */
    *err = *c837_assembler_error(a);
    return ae;
  }
  *err = *c837_tokenizer_error(t);
  if (err->code == C837_OK)
    *err = *c837_assembler_error(a);
  return st;
}

c837_status c837_stream_run(c837_input *in, const c837_handler *h,
                            c837_raw_cb raw_cb, void *raw_ud,
                            c837_counts *counts, c837_error *err)
{
  return c837_stream_run_buf(in, h, raw_cb, raw_ud, counts, err, NULL);
}

c837_status c837_stream_run_buf(c837_input *in, const c837_handler *h,
                                c837_raw_cb raw_cb, void *raw_ud,
                                c837_counts *counts, c837_error *err,
                                char *chunk)
{
  c837_assembler *a = c837_assembler_new(h);
  c837_tokenizer *t = a ? c837_tokenizer_new(c837_assembler_segment, a)
                        : NULL;
  char *buf = chunk ? chunk : malloc(C837_READ_CHUNK);
  c837_status st = C837_OK, d = C837_OK;
  c837_error ioerr;
  long got;

  c837_error_clear(err);
  if (!a || !t || !buf) {
    st = c837_error_set(err, C837_ENOMEM, 0, 0, "out of memory");
    goto out;
  }
  for (;;) {
    uint64_t start = c837_tokenizer_consumed(t);
    got = c837_input_read(in, buf, C837_READ_CHUNK, &ioerr);
    if (got < 0) {
      *err = ioerr;
      st = ioerr.code;
      /* what was read stays; the unread rest cannot be copied */
      if (raw_cb)
        (void)pass_held(a, t, raw_cb, raw_ud);
      goto out;
    }
    if (got == 0) {
      st = c837_tokenizer_finish(t);
      if (st == C837_OK)
        st = c837_assembler_finish(a);
      else if (st != C837_ECALLBACK)
        (void)c837_assembler_finish(a);
      /* a claim the assembler kept back (a truncated transaction), what
       * the tokenizer could not finish or a callback refused go through;
       * the input is at its end, so drain reads nothing more */
      if (st != C837_OK) {
        st = stop_error(a, t, st, err);
        d = drain(in, a, t, NULL, 0, 0, raw_cb, raw_ud, buf, &ioerr);
      }
      break;
    }
    st = c837_tokenizer_feed(t, buf, (size_t)got);
    if (st != C837_OK) {
      /* a parse error, or the assembler stopped on a limit: the partial
       * claim, the segment at fault and the rest of the input go
       * through; a callback that asked to stop: the segment it refused
       * (for a claim callback, the segment that ended the claim -- the
       * claim itself is the callback's to keep) and the rest.  *err is
       * set first, so that raw_cb can tell why it is called. */
      if (st != C837_ECALLBACK)
        (void)c837_assembler_finish(a);
      st = stop_error(a, t, st, err);
      d = drain(in, a, t, buf, (size_t)got, start, raw_cb, raw_ud, buf,
                &ioerr);
      break;
    }
  }
  if (d != C837_OK && d != C837_ECALLBACK) {
    *err = ioerr; /* the rest could not be read */
    st = d;
  }
out:
  if (counts && a) {
    *counts = *c837_assembler_counts(a);
    counts->bytes = t ? c837_tokenizer_consumed(t) : 0;
  }
  c837_tokenizer_free(t);
  c837_assembler_free(a);
  if (buf != chunk)
    free(buf);
  return st;
}
