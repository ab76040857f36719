/* thread.h -- starting a worker thread that leaves signals to the caller
 * (thread.c)
 *
 * The gzip workers (parse/inflate_thread.c, run/deflate_thread.c) start
 * with every asynchronous signal blocked, so that a SIGINT or SIGTERM
 * meant to stop a run reaches the caller's thread, as it did before there
 * were workers.  Private to the library.
 */
#ifndef CART837_BASE_THREAD_H
#define CART837_BASE_THREAD_H

#include <pthread.h>

/* pthread_create(tid, NULL, fn, arg) with every asynchronous signal
 * blocked in the new thread (SIGSEGV, SIGBUS, SIGFPE and SIGILL are not:
 * a fault is still reported in the thread that made it); the caller's
 * signal mask is as it was.  0, or pthread_create's error. */
int c837_thread_start(pthread_t *tid, void *(*fn)(void *), void *arg);

#endif
