/* spool.h -- the run's scratch file of report records (spool.c)
 *
 * report.html and episodes.csv are written when the run ends, but what
 * they show -- every finding, the claims fixed and held with their
 * segments, the CAR-T steps -- arrives claim by claim.  Instead of
 * holding it in memory, the run appends it to a spool: a temporary file
 * in the output directory, removed from the directory as soon as it is
 * opened (nothing is ever left behind, whatever ends the run), read back
 * at the end.  Like findings.csv, its records of a file that fails are
 * taken back (mark, rollback).
 *
 * A record is a type byte, a 32-bit length and that many bytes of
 * payload, built with the c837_recw writers and read with the c837_recr
 * cursor: fixed-size numbers in the machine's byte order (the file never
 * leaves the process), strings as a 32-bit length, the bytes and a NUL.
 * Private to the run layer.
 */
#ifndef CART837_RUN_SPOOL_H
#define CART837_RUN_SPOOL_H

#include "cart837.h"
#include "base/buf.h"

#include <stdio.h>
#include <sys/types.h>

typedef struct c837_spool {
  FILE *fp;
  off_t mark;           /* c837_spool_mark */
  off_t pos;            /* bytes the records written so far take: the
                           mark without asking the stream (a syscall) */
  int failed;           /* 1: for good; 2: a write failed, until the
                           rollback (c837_spool_put) */
  /* reading back (c837_spool_start): pread through a buffer of its own,
   * so that a pass over the records costs a read per
   * C837_SPOOL_READ_BUFFER bytes and a record read at an offset one
   * pread, and the write stream's position is never moved */
  char *rbuf;           /* NULL until the first read */
  off_t rpos;           /* file offset of rbuf[0] */
  size_t rlen;          /* bytes of the file in rbuf */
  off_t cur;            /* the next record of c837_spool_read(-1) */
  char why[300];        /* the first failure */
} c837_spool;

/* Opens a spool in dir (created and at once unlinked).  C837_OK, or
 * C837_EIO / C837_ENOMEM with *err filled. */
c837_status c837_spool_open(c837_spool *s, const char *dir,
                            c837_error *err);
/* Appends one record.  0, or -1 (the spool has failed; why says so).
 * A failed write (ENOSPC, EFBIG) fails the spool until the next
 * c837_spool_rollback, which drops what could not be written. */
int c837_spool_put(c837_spool *s, int type, const void *p, size_t n);
/* Remembers the end (one mark at a time); 0 or -1. */
int c837_spool_mark(c837_spool *s);
/* Cuts the spool back to the mark; 0 or -1. */
int c837_spool_rollback(c837_spool *s);
/* Reads the record at offset `at` (-1: the one after the last read;
 * c837_spool_start first) into buf (its content replaced; at most
 * `limit` bytes): its type in *type and its offset in *pos (NULL: not
 * wanted).  1, 0 at the end, -1 on a read error or a record that is not
 * one, -2 when buf cannot hold the record (out of memory; the spool is
 * not failed; so too when the spool's own read buffer cannot be had). */
int c837_spool_read(c837_spool *s, off_t at, int *type, c837_buf *buf,
                    off_t *pos);
/* Makes the next c837_spool_read(-1) read the first record; 0 or -1. */
int c837_spool_start(c837_spool *s);
/* Closes the file (already unlinked); idempotent. */
void c837_spool_close(c837_spool *s);

/* ---- building a payload ------------------------------------------- */

/* A payload being built: the first failure sticks (out of memory). */
typedef struct c837_recw {
  c837_buf b;
  int failed;
} c837_recw;

/* Empties w for a new record. */
void c837_recw_clear(c837_recw *w);
/* Appends one number or a string (NULL: ""); a string is cut at
 * 65535 bytes. */
void c837_recw_u8(c837_recw *w, unsigned v);
void c837_recw_u32(c837_recw *w, uint32_t v);
void c837_recw_u64(c837_recw *w, uint64_t v);
void c837_recw_i64(c837_recw *w, int64_t v);
void c837_recw_str(c837_recw *w, const char *s);
/* Appends a string of n bytes (any bytes). */
void c837_recw_bytes(c837_recw *w, const void *p, size_t n);

/* ---- reading a payload -------------------------------------------- */

/* A cursor over a payload; reading past its end sets bad (and gives 0 or
 * ""), so that a caller checks once, at the end. */
typedef struct c837_recr {
  const char *p;
  size_t n, at;
  int bad;
} c837_recr;

/* A cursor at the start of buf's content. */
void c837_recr_init(c837_recr *r, const c837_buf *buf);
unsigned c837_recr_u8(c837_recr *r);
uint32_t c837_recr_u32(c837_recr *r);
uint64_t c837_recr_u64(c837_recr *r);
int64_t c837_recr_i64(c837_recr *r);
/* A string (NUL-terminated, borrowed from the payload); *len its length
 * (len may be NULL). */
const char *c837_recr_str(c837_recr *r, size_t *len);

#endif
