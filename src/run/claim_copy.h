/* claim_copy.h -- a claim model copied whole into one block (claim_copy.c)
 *
 * The read-ahead (ahead.c) keeps a copy of the voids and replacements it
 * reads, so that the run's thread can hand them to the engine in their
 * turn after the worker's buffers are gone.  Private to the run layer.
 */
#ifndef CART837_RUN_CLAIM_COPY_H
#define CART837_RUN_CLAIM_COPY_H

#include "cart837.h"

/* A copy of claim c in one heap block (free() it): the claim, its
 * envelope, its codes, notes, drugs, lines and segments with their bytes,
 * every pointer into the copy.  *size gets the block's size.  NULL when
 * out of memory, or when a span of a segment is not within the
 * segment's bytes (not a model this parser makes). */
c837_claim *c837_claim_copy(const c837_claim *c, size_t *size);

#endif
