/* map.c -- the one string hash and the one hash map (map.h) */
#include "base/map.h"

#include <stdlib.h>
#include <string.h>

uint64_t c837_hash(const void *p, size_t len)
{
  const unsigned char *s = p;
  uint64_t h = 14695981039346656037ull;
  size_t i;
  for (i = 0; i < len; i++) {
    h ^= s[i];
    h *= 1099511628211ull;
  }
  return h;
}

uint64_t c837_hash_str(const char *s)
{
  return c837_hash(s, strlen(s));
}

static size_t probe(const c837_map *m, uint64_t h, const char *p,
                    size_t len)
{
  size_t mask = m->nslots - 1, s = (size_t)h & mask;
  while (m->slots[s]) {
    size_t id = m->slots[s] - 1;
    if (m->hash[id] == (uint32_t)h && c837_map_key_len(m, id) == len &&
        memcmp(m->keys.p + m->off[id], p, len) == 0)
      return s;
    s = (s + 1) & mask;
  }
  return s;
}

size_t c837_map_find(const c837_map *m, const char *p, size_t len)
{
  size_t s;
  if (!m->nslots)
    return C837_MAP_NONE;
  s = probe(m, c837_hash(p, len), p, len);
  return m->slots[s] ? m->slots[s] - 1 : C837_MAP_NONE;
}

/* Doubles the slot table and files every id again. */
static int rehash(c837_map *m)
{
  size_t ns = m->nslots ? 2 * m->nslots : 64, i;
  uint32_t *slots;
  if (ns > SIZE_MAX / sizeof *slots || ns - 1 > UINT32_MAX ||
      m->n >= UINT32_MAX)
    return -1; /* (the stored hashes have 32 bits) */
  slots = calloc(ns, sizeof *slots);
  if (!slots)
    return -1;
  for (i = 0; i < m->n; i++) {
    size_t s = (size_t)m->hash[i] & (ns - 1);
    while (slots[s])
      s = (s + 1) & (ns - 1);
    slots[s] = (uint32_t)(i + 1);
  }
  free(m->slots);
  m->slots = slots;
  m->nslots = ns;
  return 0;
}

int c837_map_intern(c837_map *m, const char *p, size_t len, size_t *id)
{
  uint64_t h = c837_hash(p, len);
  size_t s, at = m->keys.len, cap_off = m->cap, cap_hash = m->cap;
  if (m->nslots) {
    s = probe(m, h, p, len);
    if (m->slots[s]) {
      *id = m->slots[s] - 1;
      return 0;
    }
  }
  if ((m->n + 1) * 2 > m->nslots && rehash(m) != 0)
    return -1;
  if (c837_vec_reserve(&m->off, &cap_off, m->n + 1, sizeof *m->off, 64,
                       0) != 0 ||
      c837_vec_reserve(&m->hash, &cap_hash, m->n + 1, sizeof *m->hash, 64,
                       0) != 0)
    return -1;
  m->cap = cap_off < cap_hash ? cap_off : cap_hash;
  if (len >= UINT32_MAX - at ||
      c837_buf_put(&m->keys, p, len) != 0 ||
      c837_buf_putc(&m->keys, '\0') != 0) {
    m->keys.len = at;
    return -1;
  }
  m->off[m->n] = (uint32_t)at;
  m->hash[m->n] = (uint32_t)h;
  s = probe(m, h, p, len);
  m->slots[s] = (uint32_t)(m->n + 1);
  *id = m->n++;
  return 1;
}

const char *c837_map_key(const c837_map *m, size_t id)
{
  return m->keys.p + m->off[id];
}

size_t c837_map_key_len(const c837_map *m, size_t id)
{
  size_t end = id + 1 < m->n ? m->off[id + 1] : m->keys.len;
  return end - m->off[id] - 1;
}

void c837_map_clear(c837_map *m)
{
  if (m->nslots > 1024) {
    c837_map_free(m);
    return;
  }
  if (m->nslots)
    memset(m->slots, 0, m->nslots * sizeof *m->slots);
  m->n = 0;
  m->keys.len = 0;
}

void c837_map_free(c837_map *m)
{
  free(m->slots);
  free(m->off);
  free(m->hash);
  c837_buf_free(&m->keys);
  memset(m, 0, sizeof *m);
}
