/* run_ack.h -- the acknowledgments of one input of a run (run_ack.c):
 * OUT/ack/NAME.999 (X12 999, 005010X231A1) and OUT/ack/NAME.277 (277CA,
 * 005010X214), asked for with the run option `ack` (--ack 999,277)
 *
 * The builders of src/write/ack.h are fed from run_file.c's handlers --
 * each segment and problem the writer took, each claim with the
 * disposition the WRITER gave it (c837_writer_disposition: a claim whose
 * fixes could not be applied is held, and rejected) -- and write through
 * sink.c into two outputs that, like every output of a file, appear only
 * when the file is settled, together with its 837 outputs (all or
 * none), and are never created when a builder has nothing to say.  How
 * the file ends decides how they end (specs/acks.md):
 *
 *   read to its end                    DONE: what is open is ended;
 *   input read once, stopped early     CUT: the claims read before went
 *   (its unparsed rest kept)           out and are acknowledged, the cut
 *                                      set and its envelope get codes;
 *   a file held whole                  HELD_WHOLE: the 999 is one TA1 R
 *                                      per input interchange begun, and
 *                                      there is no 277CA;
 *   a file that failed                 nothing (c837_run_ack_abort).
 *
 * Control numbers come from the run's counter (c837_run.ack_control,
 * from --ack-control): this file's 277CA takes one when the file starts,
 * each 999 interchange one when its input interchange ends; a file that
 * fails gives them back.  Dates from
 * the options, else the input; never the clock.  Private to the run
 * layer.
 */
#ifndef CART837_RUN_ACK_H
#define CART837_RUN_ACK_H

#include "run/sink.h"
#include "write/ack.h"

struct c837_run;

typedef struct c837_run_ack {
  int on;              /* acknowledgments asked for this file */
  c837_out o999, o277; /* OUT/ack/NAME.999, OUT/ack/NAME.277 */
  c837_ack999 *a9;     /* NULL when the 999 is not asked */
  c837_ack277 *a7;     /* NULL when the 277CA is not asked (or the file
                          was held whole) */
  c837_ack_feed *feed;
  c837_status st;      /* the first failure, sticky */
  c837_error err;      /* its message */
  uint64_t *control;   /* the run's counter, and its value when the file */
  uint64_t control0;   /* started (a file that fails gives its numbers
                          back: c837_run_ack_abort) */
} c837_run_ack;

/* How the file ended, for c837_run_ack_end. */
typedef enum c837_run_ack_how {
  C837_RUN_ACK_DONE,      /* read to its end: committed */
  C837_RUN_ACK_CUT,       /* input read once, its rest kept unparsed */
  C837_RUN_ACK_HELD_WHOLE /* held whole: nothing of it forwarded */
} c837_run_ack_how;

/* Sets up *a for input `name` of run r (a relative name, already checked
 * not to climb out of the output directory): nothing when r's options
 * ask for no acknowledgment (a->on 0); else the outputs and the
 * builders, the 277CA taking its control number now.  C837_OK, or
 * C837_ENOMEM / C837_EIO (path too long) with *err; *a can then be
 * aborted and freed. */
c837_status c837_run_ack_start(c837_run_ack *a, struct c837_run *r,
                               const char *name, c837_error *err);
/* The handler's events, in input order: a segment the writer took, a
 * problem, a claim the writer took with the disposition it gave it.
 * 0, or -1 once the acknowledgments have failed (a->st, a->err: an
 * output could not be written, out of memory): the file fails.  No-ops
 * (0) when a->on is 0. */
int c837_run_ack_segment(c837_run_ack *a, const c837_segment *seg,
                         c837_role role);
int c837_run_ack_problem(c837_run_ack *a, const c837_problem *p);
int c837_run_ack_claim(c837_run_ack *a, const c837_claim *c,
                       const c837_verdict *v, c837_disposition d);
/* Ends the builders as the file ends (why: the parse error or refusal
 * that stopped a CUT or a HELD_WHOLE file: C837_ETRUNC gives the TA1
 * note 023, anything else 024); everything is then written to the
 * outputs, which wait to be published (c837_run_ack_outputs).  C837_OK
 * or the first failure (also in *err). */
c837_status c837_run_ack_end(c837_run_ack *a, c837_run_ack_how how,
                             c837_status why, c837_error *err);
/* Publishes the file's outputs v[0..n) (n <= 3; force as for
 * c837_out_commit_all) and the acknowledgments together, all or none
 * (an acknowledgment never written is not created).  C837_OK or the
 * first error (also in *err). */
c837_status c837_run_ack_publish(c837_run_ack *a, c837_out *const *v,
                                 const int *force, size_t n,
                                 c837_error *err);
/* Takes the outputs back (a file that failed) and gives the control
 * numbers the file took back to the run, so that the numbers of the
 * files after it are those of a run without it.  Idempotent; safe on a
 * zeroed *a. */
void c837_run_ack_abort(c837_run_ack *a);
/* Frees the builders (not the outputs: abort or publish them first).
 * Safe on a zeroed *a. */
void c837_run_ack_free(c837_run_ack *a);

#endif
