/* ahead.c -- worker threads that read the files of a run ahead (ahead.h)
 *
 * The ring.  The walker lists the files in the order the run's walk will
 * hand them out, numbered 0, 1, ...; file k lives in slot k % size.
 * `at` is the first file the run's thread has neither taken nor passed
 * over.  The walker waits while `listed - at` is the ring's size, or
 * while the slot it needs next is still in use (a worker reading a file
 * passed over).  Workers take the first listed file from `at` on.  A
 * slot is:
 *
 *   FREE     unused
 *   LISTED   listed, no one reads it
 *   READING  a worker reads it
 *   READ     read ahead: f waits for the run's thread
 *   MISSED   a worker could not read it ahead: the run's thread will
 *   PASSED   passed over while a worker read it: the worker drops it
 *
 * One mutex guards the ring, with a condition for each who waits: the
 * workers (a file listed), the walker (a slot freed) and the run's
 * thread (a file listed or read).  A worker's file, its record and its
 * read buffer are its own while it reads; f goes to the run's thread
 * under the mutex.
 */
#include "run/ahead.h"
#include "base/err.h"
#include "base/limits.h"
#include "base/thread.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

typedef enum slot_state {
  S_FREE, S_LISTED, S_READING, S_READ, S_MISSED, S_PASSED
} slot_state;

typedef struct slot {
  slot_state state;
  char *path, *name;
  file_ctx *f;           /* READ: the file (an ahead_file) */
} slot;

/* A file read ahead with the record its figures go to (f first: the
 * taker frees it as a file_ctx). */
typedef struct ahead_file {
  file_ctx f;
  c837_file_rec rec;
} ahead_file;

struct c837_ahead {
  c837_run *run;
  const char *const *inputs;
  size_t n_inputs;
  pthread_mutex_t mu;
  pthread_cond_t to_work, to_walk, to_run;
  slot *ring;
  uint64_t size, listed, at;
  int walked;            /* the walker listed every input */
  atomic_int stop;
  c837_walk walk;        /* the walker's own */
  pthread_t walker, workers[C837_MAX_JOBS];
  int walker_started, n_workers;
};

static slot *slot_of(c837_ahead *a, uint64_t k)
{
  return &a->ring[k % a->size];
}

static void slot_free(slot *s)
{
  free(s->path);
  free(s->name);
  memset(s, 0, sizeof *s);
}

/* Waits on the condition for a moment at most (the run's thread asks
 * its cancelled callback in between). */
static void wait_a_moment(c837_ahead *a)
{
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  ts.tv_nsec += 50 * 1000 * 1000;
  if (ts.tv_nsec >= 1000000000L) {
    ts.tv_sec++;
    ts.tv_nsec -= 1000000000L;
  }
  (void)pthread_cond_timedwait(&a->to_run, &a->mu, &ts);
}

static int stopping(c837_ahead *a)
{
  return atomic_load(&a->stop) != 0;
}

/* ---- the walker ------------------------------------------------------ */

static c837_status list_file(void *ud, const char *path, const char *name)
{
  c837_ahead *a = ud;
  char *p, *n;
  slot *s;
  if (strcmp(path, "-") == 0) /* read once, by the run's thread */
    return C837_OK;
  p = strdup(path);
  n = strdup(name);
  if (!p || !n) { /* not listed: the run's thread reads it */
    free(p);
    free(n);
    return C837_ENOMEM;
  }
  pthread_mutex_lock(&a->mu);
  while (!stopping(a) && (a->listed - a->at >= a->size ||
                          slot_of(a, a->listed)->state != S_FREE))
    pthread_cond_wait(&a->to_walk, &a->mu);
  if (stopping(a)) {
    pthread_mutex_unlock(&a->mu);
    free(p);
    free(n);
    return C837_EINTR;
  }
  s = slot_of(a, a->listed++);
  s->path = p;
  s->name = n;
  s->state = S_LISTED;
  pthread_cond_signal(&a->to_work);
  pthread_cond_signal(&a->to_run);
  pthread_mutex_unlock(&a->mu);
  return C837_OK;
}

static void list_skip(void *ud, const char *name, const char *reason)
{
  (void)ud, (void)name, (void)reason; /* the run's walk reports it */
}

static c837_status list_fail(void *ud, const char *name,
                             const c837_error *err)
{
  (void)ud, (void)name;
  return err->code;
}

static int list_cancelled(void *ud)
{
  return stopping(ud);
}

static void *walker_main(void *arg)
{
  c837_ahead *a = arg;
  size_t i;
  for (i = 0; i < a->n_inputs && !stopping(a); i++)
    (void)c837_walk_input(&a->walk, a->inputs[i]);
  pthread_mutex_lock(&a->mu);
  a->walked = 1;
  pthread_cond_signal(&a->to_run);
  pthread_mutex_unlock(&a->mu);
  return NULL;
}

/* ---- the workers ----------------------------------------------------- */

/* Reads the file of slot s ahead: the file, or NULL when it is not read
 * ahead (not a regular file, too large, a claim the fast path does not
 * pass, an error: the run's thread reads it). */
static file_ctx *read_one(c837_ahead *a, slot *s, char *buf)
{
  struct stat sb;
  ahead_file *af;
  if (!buf || stat(s->path, &sb) != 0 || !S_ISREG(sb.st_mode) ||
      (uint64_t)sb.st_size > C837_AHEAD_MAX_BYTES)
    return NULL;
  if (!(af = calloc(1, sizeof *af)))
    return NULL;
  if (c837_file_read_ahead(a->run, &af->f, s->path, s->name, &af->rec, buf,
                           &a->stop))
    return &af->f;
  free(af);
  return NULL;
}

static void *worker_main(void *arg)
{
  c837_ahead *a = arg;
  char *buf = malloc(C837_READ_CHUNK);
  pthread_mutex_lock(&a->mu);
  while (!stopping(a)) {
    slot *s = NULL;
    file_ctx *f, *drop = NULL;
    uint64_t k;
    for (k = a->at; k < a->listed && !s; k++)
      if (slot_of(a, k)->state == S_LISTED)
        s = slot_of(a, k);
    if (!s) {
      pthread_cond_wait(&a->to_work, &a->mu);
      continue;
    }
    s->state = S_READING;
    pthread_mutex_unlock(&a->mu);
    f = read_one(a, s, buf);
    pthread_mutex_lock(&a->mu);
    if (s->state == S_PASSED) {
      drop = f;
      slot_free(s);
      pthread_cond_signal(&a->to_walk);
    } else {
      s->f = f;
      s->state = f ? S_READ : S_MISSED;
      pthread_cond_signal(&a->to_run);
    }
    if (drop) {
      pthread_mutex_unlock(&a->mu);
      c837_file_drop_ahead(drop);
      free(drop);
      pthread_mutex_lock(&a->mu);
    }
  }
  pthread_mutex_unlock(&a->mu);
  free(buf);
  return NULL;
}

/* ---- the run's thread ------------------------------------------------ */

c837_ahead *c837_ahead_start(c837_run *r, const char *const *inputs,
                             size_t n_inputs, int workers, c837_error *err)
{
  c837_walk_cb cb = {list_file, list_skip, list_fail, list_cancelled, NULL,
                     NULL};
  c837_ahead *a = calloc(1, sizeof *a);
  int i, e = 0;
  if (workers > C837_MAX_JOBS)
    workers = C837_MAX_JOBS;
  if (!a || !(a->ring = calloc((size_t)workers * C837_AHEAD_PER_JOB,
                               sizeof *a->ring))) {
    free(a);
    c837_error_set(err, C837_ENOMEM, 0, 0, "out of memory");
    return NULL;
  }
  a->run = r;
  a->inputs = inputs;
  a->n_inputs = n_inputs;
  a->size = (uint64_t)workers * C837_AHEAD_PER_JOB;
  atomic_init(&a->stop, 0);
  pthread_mutex_init(&a->mu, NULL);
  pthread_cond_init(&a->to_work, NULL);
  pthread_cond_init(&a->to_walk, NULL);
  pthread_cond_init(&a->to_run, NULL);
  /* the walk of run.c, listing only */
  cb.ud = a;
  c837_walk_init(&a->walk, &cb, r->out_dir);
  c837_walk_set_ledger(&a->walk, r->out_dir, r->o.state_path);
  a->walk.follow_links = r->o.follow_symlinks;
  a->walk.ack_names = r->o.ack != 0;
  a->walk.list_only = 1;
  e = c837_thread_start(&a->walker, walker_main, a);
  a->walker_started = e == 0;
  for (i = 0; e == 0 && i < workers; i++)
    if ((e = c837_thread_start(&a->workers[i], worker_main, a)) == 0)
      a->n_workers++;
  if (e != 0) {
    c837_ahead_stop(a);
    c837_error_set(err, C837_EIO, 0, 0,
                   "cannot start a thread to read files ahead: %s",
                   strerror(e));
    return NULL;
  }
  return a;
}

/* The listed file at path named name, from `at` on: its number, or
 * a->listed when it is not listed. */
static uint64_t find(c837_ahead *a, const char *path, const char *name)
{
  uint64_t k;
  for (k = a->at; k < a->listed; k++) {
    slot *s = slot_of(a, k);
    if (strcmp(s->path, path) == 0 && strcmp(s->name, name) == 0)
      break;
  }
  return k;
}

/* Waits while a worker reads file k. */
static void wait_read(c837_ahead *a, uint64_t k)
{
  while (slot_of(a, k)->state == S_READING) {
    if (c837_run_is_cancelled(a->run))
      atomic_store(&a->stop, 1); /* the worker stops at its next segment */
    wait_a_moment(a);
  }
}

int c837_ahead_ready(c837_ahead *a, const char *path, const char *name)
{
  uint64_t k;
  int ready;
  pthread_mutex_lock(&a->mu);
  k = find(a, path, name);
  if (k < a->listed)
    wait_read(a, k);
  ready = k < a->listed && slot_of(a, k)->state == S_READ;
  pthread_mutex_unlock(&a->mu);
  return ready;
}

file_ctx *c837_ahead_take(c837_ahead *a, const char *path, const char *name)
{
  file_ctx *drop[C837_MAX_JOBS * C837_AHEAD_PER_JOB], *f = NULL;
  size_t n_drop = 0, i;
  uint64_t k;
  slot *s;
  pthread_mutex_lock(&a->mu);
  for (;;) {
    if ((k = find(a, path, name)) < a->listed)
      break;
    /* not listed (yet): wait for the walker while it can list it */
    if (a->walked || a->listed - a->at >= a->size || stopping(a) ||
        c837_run_is_cancelled(a->run)) {
      pthread_mutex_unlock(&a->mu);
      return NULL;
    }
    wait_a_moment(a);
  }
  /* the files before it are not handed out: passed over */
  for (; a->at < k; a->at++) {
    s = slot_of(a, a->at);
    if (s->state == S_READING) {
      s->state = S_PASSED;
      continue;
    }
    if (s->state == S_READ)
      drop[n_drop++] = s->f;
    slot_free(s);
  }
  s = slot_of(a, k);
  wait_read(a, k);
  if (s->state == S_READ)
    f = s->f;
  slot_free(s);
  a->at = k + 1;
  pthread_cond_signal(&a->to_walk);
  pthread_mutex_unlock(&a->mu);
  for (i = 0; i < n_drop; i++) {
    c837_file_drop_ahead(drop[i]);
    free(drop[i]);
  }
  return f;
}

void c837_ahead_stop(c837_ahead *a)
{
  uint64_t k;
  int i;
  if (!a)
    return;
  pthread_mutex_lock(&a->mu);
  atomic_store(&a->stop, 1);
  pthread_cond_broadcast(&a->to_work);
  pthread_cond_broadcast(&a->to_walk);
  pthread_cond_broadcast(&a->to_run);
  pthread_mutex_unlock(&a->mu);
  if (a->walker_started)
    pthread_join(a->walker, NULL);
  for (i = 0; i < a->n_workers; i++)
    pthread_join(a->workers[i], NULL);
  for (k = 0; k < a->size; k++) {
    slot *s = &a->ring[k];
    if (s->state == S_READ) {
      c837_file_drop_ahead(s->f);
      free(s->f);
    }
    slot_free(s);
  }
  c837_walk_free(&a->walk);
  pthread_cond_destroy(&a->to_work);
  pthread_cond_destroy(&a->to_walk);
  pthread_cond_destroy(&a->to_run);
  pthread_mutex_destroy(&a->mu);
  free(a->ring);
  free(a);
}
