/* map.h -- the one string hash and the one hash map
 *
 * c837_hash is the library's string hash (FNV-1a, 64 bits).  c837_map
 * interns strings: each distinct key gets a dense id 0, 1, 2 ... in the
 * order keys were first added, and the map keeps one copy of every key.
 * Callers keep what they know about a key in their own arrays indexed by
 * id (the engine's patient, claim and interchange indexes, the walk's
 * output-name set).  Open addressing with linear probing, at most half
 * full; keys are never removed.  Private to the library.
 */
#ifndef CART837_MAP_H
#define CART837_MAP_H

#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"

/* FNV-1a (64 bits) of p[0 .. len). */
uint64_t c837_hash(const void *p, size_t len);
/* The same of the NUL-terminated string s. */
uint64_t c837_hash_str(const char *s);

#define C837_MAP_NONE ((size_t)-1)

/* Set to {0} for an empty map. */
typedef struct c837_map {
  uint32_t *slots; /* 0: empty; else id + 1 */
  size_t nslots;   /* a power of two, or 0 */
  uint32_t *off;   /* id -> offset of the key in keys (keys hold less
                      than 4 GB in all) */
  uint32_t *hash;  /* id -> the low 32 bits of the key's hash (the slot
                      table has at most 2^32 slots) */
  size_t n, cap;   /* ids given; entries allocated in off and hash */
  c837_buf keys;   /* every key with its NUL, back to back */
} c837_map;

/* The id of key p[0 .. len), or C837_MAP_NONE. */
size_t c837_map_find(const c837_map *m, const char *p, size_t len);
/* The id of key p[0 .. len) in *id, adding the key when it is new.
 * Returns 1 when added, 0 when it was there, -1 when out of memory (the
 * map is then unchanged).  A key may hold any bytes; it is stored with a
 * NUL after it. */
int c837_map_intern(c837_map *m, const char *p, size_t len, size_t *id);
/* The key of id (NUL-terminated; borrowed, valid until the next
 * c837_map_intern or c837_map_free).  id must be < c837_map_count. */
const char *c837_map_key(const c837_map *m, size_t id);
/* Length of the key of id. */
size_t c837_map_key_len(const c837_map *m, size_t id);
/* Number of keys. */
static inline size_t c837_map_count(const c837_map *m) { return m->n; }
/* Forgets every key (ids start again at 0), keeping the memory of a
 * small map for the keys to come (a map that grew large is freed).
 * For a map refilled again and again (one per envelope scope). */
void c837_map_clear(c837_map *m);
/* Releases the memory; the map is empty afterwards. */
void c837_map_free(c837_map *m);

#endif
