/* audit_int.h -- the state of the audit, shared by audit.c (collecting)
 * and audit_model.c (reading back); nothing else sees struct c837_audit.
 */
#ifndef CART837_RUN_AUDIT_INT_H
#define CART837_RUN_AUDIT_INT_H

#include "run/audit.h"

#include <limits.h>

struct c837_audit {
  c837_spool sp;
  char dir[PATH_MAX / 2];  /* the output directory (episodes.csv) */
  const c837_codetable *t;
  const c837_payers *payers;
  c837_payers *own_payers;  /* the built-in ones, when none were given */
  uint32_t last_run;        /* the largest run of the ledger loaded */
  c837_map files;           /* input names -> file ids */
  uint64_t seq, mark_seq;   /* claims recorded */
  uint64_t kept, mark_kept; /* segment bytes spooled (C837_HTML_SEGMENT_BYTES) */
  c837_buf tap;             /* the fixed claim as it went out (cut) */
  uint64_t tap_total;       /* its bytes, cut or not */
  int tap_armed;            /* a writer taps into a */
  int tap_lost;             /* out of memory in the tap: not kept */
  c837_buf in;              /* the claim as it came (cut) */
  c837_buf scratch;         /* a mark per line */
  c837_buf ids;             /* the finding ids of a step */
  c837_buf rd;              /* the record read back */
  c837_recw w;              /* the record being built */
  /* the passed claims not yet spooled (c837_audit_passed): run_n in a
   * row of file run_file, payer class run_cls and the provider in
   * run_who (id, NUL, name, NUL; the name at run_name), written as one
   * C837_REC_PASSED record (built in wr) before any other record, at a
   * mark and before the spool is read */
  uint64_t run_n;
  uint32_t run_file, run_cls;
  c837_buf run_who;
  size_t run_name;
  c837_recw wr;
  /* the input name of file id last_id (file ids looked up by name once
   * a file, not once a claim) */
  c837_buf last_name;
  uint32_t last_id;
  int failed;               /* 1: for good; 2: out of memory, until the
                               rollback of the file (fail_nomem) */
  c837_error err;           /* the first failure */
  int built;                /* c837_audit_finish has read the spool */
  c837_audit_model m;
  c837_out episodes;        /* OUT/episodes.csv */
};

/* Writes the passed claims not yet spooled (audit.c), before the spool
 * is read.  0 or -1 (the audit failed). */
int c837_audit_flush(c837_audit *a);

#endif
