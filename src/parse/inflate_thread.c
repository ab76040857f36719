/* inflate_thread.c -- gzip inflate in a worker thread, ahead of the reader
 *
 * A gzip input costs two passes over its bytes: inflate, then the
 * tokenizer and assembler.  On two cores they can overlap: a worker
 * thread inflates into a small ring of buffers while the caller's thread
 * parses what was inflated before.  input.c decides when to use it and
 * supplies the inflating (produce); this file only runs it and hands the
 * bytes over.
 *
 * Handoff protocol.  One producer (the worker) and one consumer (the
 * caller's thread, in c837_inflate_thread_read) share a ring of
 * C837_INFLATE_SLOTS slots of C837_READ_CHUNK bytes and two counting
 * semaphores:
 *   - `empty` counts the slots the worker may fill (first: all of them),
 *   - `full` counts the slots filled and not yet taken (first: none).
 * The worker waits on `empty`, fills slot w (bytes and the compressed
 * offset behind them, or the end, or an error), posts `full` and moves to
 * w + 1; after a slot that ends the stream (the end or an error) it
 * exits.  The reader waits on `full`, copies slot r out over as many
 * calls as the caller's buffers need, posts `empty` once the slot is used
 * up and moves to r + 1.  A slot belongs to one thread at a time: to the
 * worker from its wait on `empty` to its post of `full`, to the reader
 * from its wait on `full` to its post of `empty`; sem_post and sem_wait
 * order the memory.  So bytes come out in the order made, and an end or
 * error comes out only after every byte made before it.  A slot that ends
 * the stream is never given back: every later read answers it again.
 *
 * Stopping (c837_inflate_thread_stop, e.g. when the caller closes an
 * input it did not read to its end): sets `stop`, posts `empty` (the
 * worker may be waiting there for room) and writes a byte to the `wake`
 * pipe, which the worker polls next to its input (it may be waiting for a
 * pipe or FIFO to bring data), then joins the worker.  The worker looks
 * at `stop` after each wait and after each slot, so it stops within one
 * slot of work.
 *
 * Signals.  The worker blocks the asynchronous ones, so a SIGINT or
 * SIGTERM (how a run is stopped) reaches the caller's thread as it did
 * before there was a worker; its wait on `full`, like the read(2) it
 * replaces, returns EINTR when a handler without SA_RESTART ran.
 */
#include "parse/inflate_thread.h"
#include "base/limits.h"
#include "base/thread.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct slot {
  char *data;       /* C837_READ_CHUNK bytes */
  long status;      /* what produce returned: > 0 bytes, 0 end, -1 error */
  uint64_t raw_off; /* compressed offset behind these bytes */
  c837_error err;   /* when status is -1 */
} slot;

struct c837_inflate_thread {
  c837_produce_fn produce;
  void *ud;
  pthread_t tid;
  sem_t empty, full;
  int wake[2];      /* pipe: stop writes [1], the worker polls [0] */
  atomic_int stop;
  slot ring[C837_INFLATE_SLOTS];
  /* the reader's own */
  unsigned r;       /* slot being read */
  int taken;        /* slot r was taken from `full` */
  size_t pos;       /* bytes of slot r handed out */
  uint64_t raw_off; /* of the last slot taken */
};

static void *work(void *arg)
{
  c837_inflate_thread *t = arg;
  unsigned w = 0;
  for (;;) {
    slot *s = &t->ring[w];
    while (sem_wait(&t->empty) != 0 && errno == EINTR)
      ;
    if (atomic_load(&t->stop))
      break;
    s->status = t->produce(t->ud, t, s->data, C837_READ_CHUNK, &s->err,
                           &s->raw_off);
    if (atomic_load(&t->stop))
      break;
    sem_post(&t->full);
    if (s->status <= 0)
      break;
    w = (w + 1) % C837_INFLATE_SLOTS;
  }
  return NULL;
}

static void free_thread(c837_inflate_thread *t)
{
  size_t i;
  if (t->wake[0] >= 0)
    close(t->wake[0]);
  if (t->wake[1] >= 0)
    close(t->wake[1]);
  for (i = 0; i < C837_INFLATE_SLOTS; i++)
    free(t->ring[i].data);
  free(t);
}

c837_inflate_thread *c837_inflate_thread_start(c837_produce_fn produce,
                                               void *ud, uint64_t raw_off)
{
  c837_inflate_thread *t = calloc(1, sizeof *t);
  size_t i;
  int rc;

  if (!t)
    return NULL;
  t->wake[0] = t->wake[1] = -1;
  for (i = 0; i < C837_INFLATE_SLOTS; i++)
    if (!(t->ring[i].data = malloc(C837_READ_CHUNK))) {
      free_thread(t);
      return NULL;
    }
  if (pipe(t->wake) != 0) {
    t->wake[0] = t->wake[1] = -1;
    free_thread(t);
    return NULL;
  }
  (void)fcntl(t->wake[0], F_SETFD, FD_CLOEXEC);
  (void)fcntl(t->wake[1], F_SETFD, FD_CLOEXEC);
  t->produce = produce;
  t->ud = ud;
  t->raw_off = raw_off;
  atomic_init(&t->stop, 0);
  if (sem_init(&t->empty, 0, C837_INFLATE_SLOTS) != 0) {
    free_thread(t);
    return NULL;
  }
  if (sem_init(&t->full, 0, 0) != 0) {
    sem_destroy(&t->empty);
    free_thread(t);
    return NULL;
  }
  /* the worker starts with every asynchronous signal blocked (a fault is
   * still reported in the thread that made it) */
  rc = c837_thread_start(&t->tid, work, t);
  if (rc != 0) {
    sem_destroy(&t->full);
    sem_destroy(&t->empty);
    free_thread(t);
    return NULL;
  }
  return t;
}

long c837_inflate_thread_read(c837_inflate_thread *t, void *buf, size_t cap,
                              c837_error *err)
{
  slot *s = &t->ring[t->r];
  size_t k;
  if (!t->taken) {
    if (sem_wait(&t->full) != 0)
      return -2; /* EINTR: a signal handler ran */
    t->taken = 1;
    t->pos = 0;
    t->raw_off = s->raw_off;
  }
  if (s->status == 0)
    return 0;
  if (s->status < 0) {
    *err = s->err;
    return -1;
  }
  k = (size_t)s->status - t->pos;
  if (k > cap)
    k = cap;
  memcpy(buf, s->data + t->pos, k);
  t->pos += k;
  if (t->pos == (size_t)s->status) {
    t->taken = 0;
    t->r = (t->r + 1) % C837_INFLATE_SLOTS;
    sem_post(&t->empty);
  }
  return (long)k;
}

uint64_t c837_inflate_thread_raw_offset(const c837_inflate_thread *t)
{
  return t->raw_off;
}

int c837_inflate_thread_wait_input(c837_inflate_thread *t, int fd)
{
  struct pollfd p[2];
  p[0].fd = fd;
  p[0].events = POLLIN;
  p[1].fd = t->wake[0];
  p[1].events = POLLIN;
  for (;;) {
    if (atomic_load(&t->stop))
      return 0;
    p[0].revents = p[1].revents = 0;
    if (poll(p, 2, -1) < 0) {
      if (errno == EINTR || errno == EAGAIN)
        continue;
      return 1; /* read(2) will tell what is wrong */
    }
    if (p[1].revents)
      return 0;
    if (p[0].revents)
      return 1; /* data, the end, or an error for read(2) to report */
  }
}

void c837_inflate_thread_stop(c837_inflate_thread *t)
{
  if (!t)
    return;
  atomic_store(&t->stop, 1);
  sem_post(&t->empty);
  if (write(t->wake[1], "", 1) < 0) {
    /* cannot happen with an empty pipe; the worker still sees `stop`
     * after its current wait or slot */
  }
  pthread_join(t->tid, NULL);
  sem_destroy(&t->full);
  sem_destroy(&t->empty);
  free_thread(t);
}
