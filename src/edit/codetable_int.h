/* codetable_int.h -- private: the code table object and what its files
 * share (codetable.c: the codes; codelists.c: the reference lists;
 * import*.c: the CMS file imports)
 */
#ifndef CART837_CODETABLE_INT_H
#define CART837_CODETABLE_INT_H

#include "cart837.h"
#include "edit/reflist.h"
#include "base/limits.h"

#include <stdint.h>

/* Words of the bitmap of 4-digit revenue codes 0000-9999. */
#define C837_REVENUE_BITS_WORDS ((10000 + 63) / 64)

struct c837_codetable {
  c837_rlist codes;                  /* c837_code rows, table order */
  c837_rlist list[C837_LIST_COUNT];  /* the reference lists */
  /* Bit v: revenue code v (0000-9999) is one a code of the table is
   * paired with (revenue_codes), i.e. an SV2 line on it is tracked
   * (c837_codetable_tracks). */
  uint64_t revenue_bits[C837_REVENUE_BITS_WORDS];
  /* One bit per code hash (c837_codetable_bloom_bit): almost every code
   * on a claim is not in the table, and a clear bit says so without the
   * map look-up. */
  uint64_t bloom[C837_CODE_BLOOM_WORDS];
};

/* The bloom bit of code[0 .. len) (FNV-1a, 32 bits, folded). */
static inline unsigned c837_codetable_bloom_bit(const char *code, size_t len)
{
  uint32_t h = 2166136261u;
  size_t i;
  for (i = 0; i < len; i++)
    h = (h ^ (unsigned char)code[i]) * 16777619u;
  return (unsigned)(h ^ (h >> 15)) % (C837_CODE_BLOOM_WORDS * 64);
}

/* Columns of the code table (codetable.c), in the order of specs/codes.csv: the twelve columns of the
 * first table, then those the new families brought (so that a file of
 * the first twelve loads as it always did). */
enum {
  C837_CC_CODE,
  C837_CC_FAMILY,
  C837_CC_STEP,
  C837_CC_DESCRIPTOR,
  C837_CC_CAP,
  C837_CC_FRACTIONAL,
  C837_CC_VALID_FROM,
  C837_CC_VALID_TO,
  C837_CC_CROSSWALK,
  C837_CC_REVENUE,
  C837_CC_SPLIT,
  C837_CC_HISTORY,
  C837_CC_SETTINGS,
  C837_CC_UNIT,
  C837_CC_PRODUCT,
  C837_CC_PFS_PAYABLE,
  C837_CC_OPPS_SI,
  C837_CC_COUNT
};

/* Columns of the PCS and PTP lists (codelists.c), for the importers. */
enum { PC_CODE, PC_PRODUCT, PC_FAMILY, PC_ADMIN, PC_FROM, PC_TO, PC_DESC,
       PC_SOURCE, PC_COUNT };
enum { PT_COL1, PT_COL2, PT_FROM, PT_TO, PT_MOD, PT_RATIONALE, PT_SOURCE,
       PT_COUNT };

/* The code table's own list. */
extern const c837_rlist_def c837_codes_def;
/* The definition of reference list l (NULL for one that is not). */
const c837_rlist_def *c837_list_def(c837_list l);
/* The file of list l in specs/ ("specs/pcs.csv"). */
const char *c837_list_file(c837_list l);
/* The built-in CSV text of list l and its length. */
const char *c837_list_builtin(c837_list l, size_t *len);
/* Rebuilds what t derives from its codes (revenue_bits, bloom); called
 * after every change of the codes. */
void c837_codetable_derive(c837_codetable *t);

/* The column check of a `settings` field (codes and revenue lists): ""
 * or '|'-separated 837P, 837I and NNX (a type-of-bill class, two digits
 * and X). */
int c837_settings_check(const c837_csvfield *f);
/* How a settings text fits a claim (c837_code_setting). */
c837_fit c837_settings_fit(const char *settings, c837_kind kind,
                           const char *tob);

/* The names of c837_family / c837_per / c837_payable by value, for ENUM
 * columns. */
extern const char *const c837_family_names[C837_FAM_COUNT];
extern const char *const c837_per_names[C837_PER_COUNT];
extern const char *const c837_payable_names[3];

#endif
