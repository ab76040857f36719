/* ledger.h -- the CSV ledger of CAR-T lines across runs (ledger.c)
 *
 * Read into the engine before a run, written from it after, locked for
 * the run; merged and checked by `cart837 state`.  Private to the run
 * layer and the CLI.
 */
#ifndef CART837_RUN_LEDGER_H
#define CART837_RUN_LEDGER_H

#include "cart837.h"
#include "base/csvschema.h"
#include "edit/engine_hist.h" /* c837_hist, the engine's history API */

#include <stdio.h>

/* The ledger's 15 columns over c837_hist, in file order: what load,
 * merge and check read (header in this order, flags 0, "or nothing")
 * and save and merge write ("\n" rows).  Read-only; the tests read and
 * write ledger rows through it. */
extern const c837_csvschema c837_ledger_schema;

/* Takes an exclusive lock on PATH.lock (created, with its directory, if
 * needed); wait = 1 blocks until the other run ends, 0 fails at once
 * with C837_ELOCK.  A signal while waiting: C837_EINTR.  *fd receives
 * the lock's descriptor (-1 on failure). */
c837_status c837_ledger_lock(const char *path, int wait, int *fd,
                             c837_error *err);
/* Releases a lock taken by c837_ledger_lock; fd < 0 is a no-op. */
void c837_ledger_unlock(int fd);
/* Loads the ledger at path into e (c837_engine_add_history); a missing
 * file is an empty ledger.  A damaged one is C837_ECSV with the CSV line
 * and column in *err, and e unchanged. */
c837_status c837_ledger_load(c837_engine *e, const char *path,
                             c837_error *err);
/* Writes every line the engine remembers to path, atomically. */
c837_status c837_ledger_save(const c837_engine *e, const char *path,
                             c837_error *err);
/* Reads the ledgers paths[0..n) (each must exist and be valid: C837_ECSV
 * with FILE:LINE:COLUMN otherwise, C837_EIO when one cannot be read) and
 * writes their union to out in the order c837_ledger_save uses.  Of rows
 * with the same (source, claim_id, lx), the one with the later run_date
 * stays, then the one of the later file.  Nothing is written on error. */
c837_status c837_ledger_merge(const char *const *paths, size_t n,
                              FILE *out, c837_error *err);
/* Checks the ledger at path (which must exist) and counts its rows. */
c837_status c837_ledger_check(const char *path, size_t *rows,
                              c837_error *err);

#endif
