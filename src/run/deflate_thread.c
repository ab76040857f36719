/* deflate_thread.c -- a gzip output compressed on a worker thread
 * (deflate_thread.h)
 *
 * The input side's model (src/parse/inflate_thread.c) turned around: the
 * caller's thread (the one that parses) is the producer, a worker thread
 * the consumer.  They share a ring of C837_DEFLATE_SLOTS slots of
 * C837_READ_CHUNK bytes and two counting semaphores:
 *   - `empty` counts the slots the caller may fill (first: all of them),
 *   - `full` counts the slots filled and not yet compressed (first: none).
 * The caller waits on `empty`, copies bytes into slot w until it is full
 * (or the stream ends: the slot is marked `last`), posts `full` and moves
 * to w + 1.  The worker waits on `full`, deflates slot r and writes what
 * zlib made to the descriptor, posts `empty` and moves to r + 1; after
 * the `last` slot (deflated with Z_FINISH: the gzip trailer) it exits.
 * A slot belongs to one thread at a time (sem_post and sem_wait order
 * the memory), so zlib sees the bytes in the order given and cut at the
 * same places whatever the timing: the output bytes are deterministic
 * (and equal to the same bytes deflated in one thread).
 *
 * Errors: the first failure of the worker (write(2): ENOSPC, EFBIG, EIO;
 * zlib: EIO) is kept in `err`; from then on the worker only gives slots
 * back without compressing them, so the caller never waits forever, and
 * the caller's next write, or finish, returns it.  Aborting sets `stop`
 * (the worker compresses nothing more) and ends the ring with a `last`
 * slot, then joins.
 *
 * The worker starts when the first slot is handed over full: an output
 * smaller than one slot (C837_READ_CHUNK) is deflated in the caller's
 * thread at finish, without a thread (many small files).  When no thread
 * can be had (pthread_create fails), the caller's thread deflates each
 * slot as it hands it over: the same bytes, one core.
 */
#include "run/deflate_thread.h"
#include "base/limits.h"
#include "base/thread.h"

#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

/* zlib's output buffer of the worker */
#define OBUF_SIZE (64u * 1024u)

typedef struct slot {
  char *data; /* C837_READ_CHUNK bytes */
  size_t len;
  int last;   /* the stream ends after these bytes */
} slot;

struct c837_deflater {
  int fd;
  int threaded;       /* a worker runs; else the caller deflates */
  int tried;          /* the worker was started, or could not be */
  pthread_t tid;
  sem_t empty, full;
  atomic_int err;     /* errno of the first failure, 0 while none */
  atomic_int stop;    /* abort: compress nothing more */
  slot ring[C837_DEFLATE_SLOTS];
  /* the caller's own */
  unsigned w;         /* slot being filled */
  int have;           /* slot w was taken from `empty` */
  /* the worker's own (the caller's when not threaded) */
  unsigned r;
  z_stream z;
  unsigned char obuf[OBUF_SIZE];
};

/* Keeps e as the failure unless one is there. */
static void set_err(c837_deflater *d, int e)
{
  int zero = 0;
  atomic_compare_exchange_strong(&d->err, &zero, e ? e : EIO);
}

/* Writes p[0 .. n) to d->fd whole.  0 or -1 (failure kept). */
static int write_all(c837_deflater *d, const unsigned char *p, size_t n)
{
  while (n) {
    ssize_t k = write(d->fd, p, n);
    if (k < 0 && errno == EINTR)
      continue;
    if (k <= 0) {
      set_err(d, k < 0 ? errno : EIO);
      return -1;
    }
    p += k;
    n -= (size_t)k;
  }
  return 0;
}

/* Deflates slot s and writes what zlib made (with Z_FINISH for the last
 * slot: the end of the stream and its trailer). */
static void do_slot(c837_deflater *d, slot *s)
{
  int flush = s->last ? Z_FINISH : Z_NO_FLUSH, rc;
  if (atomic_load(&d->err) || atomic_load(&d->stop))
    return;
  d->z.next_in = (Bytef *)s->data;
  d->z.avail_in = (uInt)s->len;
  do {
    d->z.next_out = d->obuf;
    d->z.avail_out = OBUF_SIZE;
    rc = deflate(&d->z, flush);
    if (rc == Z_STREAM_ERROR) {
      set_err(d, EIO);
      return;
    }
    if (write_all(d, d->obuf, OBUF_SIZE - d->z.avail_out) != 0)
      return;
  } while (d->z.avail_out == 0 || (flush == Z_FINISH && rc != Z_STREAM_END));
}

static void *work(void *arg)
{
  c837_deflater *d = arg;
  for (;;) {
    slot *s = &d->ring[d->r];
    int last;
    while (sem_wait(&d->full) != 0 && errno == EINTR)
      ;
    last = s->last;
    do_slot(d, s);
    sem_post(&d->empty);
    if (last)
      break;
    d->r = (d->r + 1) % C837_DEFLATE_SLOTS;
  }
  return NULL;
}

static void free_deflater(c837_deflater *d)
{
  size_t i;
  for (i = 0; i < C837_DEFLATE_SLOTS; i++)
    free(d->ring[i].data);
  free(d);
}

/* Starts the worker (asynchronous signals blocked: base/thread.h) at
 * slot d->w, which the caller holds.  1 when it runs. */
static int start_worker(c837_deflater *d)
{
  int rc;
  d->r = d->w;
  if (sem_init(&d->empty, 0, C837_DEFLATE_SLOTS - 1) != 0)
    return 0;
  if (sem_init(&d->full, 0, 0) != 0) {
    sem_destroy(&d->empty);
    return 0;
  }
  rc = c837_thread_start(&d->tid, work, d);
  if (rc != 0) {
    sem_destroy(&d->full);
    sem_destroy(&d->empty);
    return 0;
  }
  return 1;
}

c837_deflater *c837_deflater_start(int fd, int level)
{
  c837_deflater *d = calloc(1, sizeof *d);
  size_t i;
  if (!d)
    return NULL;
  for (i = 0; i < C837_DEFLATE_SLOTS; i++)
    if (!(d->ring[i].data = malloc(C837_READ_CHUNK))) {
      free_deflater(d);
      return NULL;
    }
  if (level < 0 || level > 9)
    level = Z_DEFAULT_COMPRESSION;
  /* 15 + 16: zlib writes the gzip header and trailer (as gzdopen does) */
  if (deflateInit2(&d->z, level, Z_DEFLATED, 15 + 16, 8,
                   Z_DEFAULT_STRATEGY) != Z_OK) {
    free_deflater(d);
    return NULL;
  }
  d->fd = fd;
  atomic_init(&d->err, 0);
  atomic_init(&d->stop, 0);
  return d;
}

/* The caller takes slot w to fill.  With `interruptible`, a signal
 * handler that interrupts the wait for the worker (a run being stopped
 * while the worker waits on a stalled pipe) fails the stream with EINTR,
 * as it failed the write(2) it replaces: 0, or -1 then. */
static int take(c837_deflater *d, int interruptible)
{
  if (d->threaded)
    while (sem_wait(&d->empty) != 0)
      if (errno == EINTR && interruptible) {
        set_err(d, EINTR);
        return -1;
      }
  d->ring[d->w].len = 0;
  d->ring[d->w].last = 0;
  d->have = 1;
  return 0;
}

/* The caller hands slot w over (to the worker, or deflates it now).
 * The first full slot starts the worker. */
static void hand(c837_deflater *d)
{
  if (!d->tried && !d->ring[d->w].last) {
    d->tried = 1;
    d->threaded = start_worker(d);
  }
  if (d->threaded)
    sem_post(&d->full);
  else
    do_slot(d, &d->ring[d->w]);
  d->have = 0;
  d->w = (d->w + 1) % C837_DEFLATE_SLOTS;
}

int c837_deflater_write(c837_deflater *d, const void *p, size_t n)
{
  const char *q = p;
  while (n) {
    slot *s;
    size_t k;
    if (atomic_load(&d->err))
      return -1;
    if (!d->have && take(d, 1) != 0)
      return -1;
    s = &d->ring[d->w];
    k = C837_READ_CHUNK - s->len;
    if (k > n)
      k = n;
    memcpy(s->data + s->len, q, k);
    s->len += k;
    q += k;
    n -= k;
    if (s->len == C837_READ_CHUNK)
      hand(d);
  }
  return atomic_load(&d->err) ? -1 : 0;
}

int c837_deflater_errno(const c837_deflater *d)
{
  return atomic_load(&d->err);
}

/* Hands over a last slot, joins the worker, frees d; returns the
 * failure (errno value) or 0. */
static int end(c837_deflater *d)
{
  int e;
  if (!d->have)
    (void)take(d, 0);
  d->ring[d->w].last = 1;
  hand(d);
  if (d->threaded) {
    pthread_join(d->tid, NULL);
    sem_destroy(&d->full);
    sem_destroy(&d->empty);
  }
  deflateEnd(&d->z);
  e = atomic_load(&d->err);
  free_deflater(d);
  return e;
}

int c837_deflater_finish(c837_deflater *d)
{
  return end(d);
}

void c837_deflater_abort(c837_deflater *d)
{
  if (!d)
    return;
  atomic_store(&d->stop, 1);
  (void)end(d);
}
