/* thread.c -- starting a worker thread that leaves signals to the caller
 * (thread.h) */
#include "base/thread.h"

#include <signal.h>

int c837_thread_start(pthread_t *tid, void *(*fn)(void *), void *arg)
{
  sigset_t all, old;
  int rc;
  sigfillset(&all);
  sigdelset(&all, SIGSEGV);
  sigdelset(&all, SIGBUS);
  sigdelset(&all, SIGFPE);
  sigdelset(&all, SIGILL);
  pthread_sigmask(SIG_SETMASK, &all, &old);
  rc = pthread_create(tid, NULL, fn, arg);
  pthread_sigmask(SIG_SETMASK, &old, NULL);
  return rc;
}
