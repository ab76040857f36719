/* writer_tap.h -- a tap on the claims the writer rewrites (writer.c)
 *
 * report.html shows each fixed claim as it came in and as it went out.
 * What went out is what writer_claim.c wrote for it: the claim's
 * segments with the fixes applied (CLM first, its lines renumbered,
 * split, recoded).  The tap receives exactly those bytes, as they are
 * written, also when the corrected output has no sink (--report-only).
 * Private to the library (the run layer's reports use it); not in
 * include/cart837.h.
 */
#ifndef CART837_WRITER_TAP_H
#define CART837_WRITER_TAP_H

#include "cart837.h"

/* From now on, the bytes of every claim w rewrites with its fixes go to
 * tap as well, one write per piece, between the claim's first and last
 * segment (nothing of the envelope or HL loops around it, nothing of a
 * claim copied as it came or held).  tap is copied; NULL (or a NULL
 * write) turns the tap off.  What the tap's write returns is ignored: a
 * report that cannot keep the bytes does not stop the 837 output. */
void c837_writer_tap(c837_writer *w, const c837_sink *tap);

#endif
