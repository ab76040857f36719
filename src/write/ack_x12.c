/* ack_x12.c -- what both acknowledgments share (ack_int.h): segments
 * written with the input's delimiters, the envelope of an
 * acknowledgment interchange (ISA, GS, GE, IEA) with its addresses, date
 * and control number, values made safe to echo, and reading the input's
 * ISA / GS / ST into the field structs of ack.h.
 */
#include "write/ack_int.h"

#include "base/util.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char ack_end_mark[] = "";

/* ---- segments ------------------------------------------------------- */

/* Bytes into o (o->failed when the buffer cannot grow). */
static void put(ack_out *o, const char *p, size_t n)
{
  if (!o->failed && c837_buf_put(o->b, p, n) != 0)
    o->failed = 1;
}

/* One byte into o (o->failed when the buffer cannot grow). */
static void putc1(ack_out *o, char c)
{
  if (!o->failed && c837_buf_putc(o->b, c) != 0)
    o->failed = 1;
}

void ack_seg(ack_out *o, const char *tag, ...)
{
  va_list ap;
  const char *v;
  size_t owed = 0; /* element separators of empty elements not yet put */
  put(o, tag, strlen(tag));
  va_start(ap, tag);
  while ((v = va_arg(ap, const char *)) != ACK_END) {
    owed++;
    if (v && *v) {
      for (; owed; owed--)
        putc1(o, o->d.element);
      put(o, v, strlen(v));
    }
  }
  va_end(ap);
  putc1(o, o->d.segment);
  put(o, o->eol, strlen(o->eol));
  o->nseg++;
}

char *ack_comp(const ack_out *o, char *dst, size_t sz, int n, ...)
{
  va_list ap;
  size_t len = 0, owed = 0;
  int i;
  dst[0] = '\0';
  va_start(ap, n);
  for (i = 0; i < n; i++) {
    const char *v = va_arg(ap, const char *);
    size_t vl;
    if (i > 0)
      owed++;
    if (!v || !*v)
      continue;
    vl = strlen(v);
    if (len + owed + vl >= sz)
      break;
    for (; owed; owed--)
      dst[len++] = o->d.component;
    memcpy(dst + len, v, vl);
    len += vl;
    dst[len] = '\0';
  }
  va_end(ap);
  return dst;
}

/* 1 when c is one of the output's delimiters. */
static int is_delim(char c, const c837_delims *d)
{
  return c == d->element || c == d->component || c == d->segment ||
         (d->repetition && c == d->repetition);
}

char *ack_clean(char *dst, size_t sz, const char *src, size_t max,
                const c837_delims *d)
{
  size_t n = 0;
  if (sz == 0)
    return dst;
  for (; src && *src && n < max && n + 1 < sz; src++) {
    unsigned char c = (unsigned char)*src;
    if (c < 0x20 || c == 0x7f || is_delim((char)c, d))
      continue;
    dst[n++] = (char)c;
  }
  dst[n] = '\0';
  return dst;
}

int ack_echoable(const char *s, size_t max, const c837_delims *d)
{
  size_t n = 0;
  for (; *s; s++, n++) {
    unsigned char c = (unsigned char)*s;
    if (n >= max || c < 0x20 || c > 0x7e || is_delim((char)c, d))
      return 0;
  }
  return 1;
}

/* ---- validity -------------------------------------------------------- */

int ack_digits_ok(const char *s, size_t max)
{
  size_t n = strlen(s), i;
  if (n == 0 || n > max)
    return 0;
  for (i = 0; i < n; i++)
    if (s[i] < '0' || s[i] > '9')
      return 0;
  return 1;
}

const char *ack_gs06(const char *gs06)
{
  return ack_digits_ok(gs06, 9) ? gs06 : "0";
}

const char *ack_st02(const char *st02, const c837_delims *d)
{
  size_t n = strlen(st02);
  return n <= 9 && c837_x12_string_ok(st02, n, 4, 9, d) ? st02 : "0000";
}

const char *ack_isa13(const char *isa13)
{
  return strlen(isa13) == 9 && ack_digits_ok(isa13, 9) ? isa13 : "000000000";
}

int ack_date8_ok(const char *s)
{
  int32_t ymd;
  c837_span sp = {s, strlen(s)};
  return c837_parse_date(sp, &ymd) == 0;
}

int ack_date6_ok(const char *s)
{
  char d8[9];
  if (strlen(s) != 6)
    return 0;
  memcpy(d8, "20", 2);
  memcpy(d8 + 2, s, 7);
  return ack_date8_ok(d8);
}

int ack_time4_ok(const char *s)
{
  if (strlen(s) != 4 || !ack_digits_ok(s, 4))
    return 0;
  return (s[0] - '0') * 10 + (s[1] - '0') < 24 && s[2] < '6';
}

void ack_fmt_date8(char *dst, int32_t ymd)
{
  char t[24];
  snprintf(t, sizeof t, "%08ld", (long)ymd);
  c837_str_append(dst, 9, 0, t);
}

/* ---- the acknowledgment's envelope ---------------------------------- */

c837_delims ack_delims(c837_delims in)
{
  static const char pick[] = "^{}!|~`";
  const char *p;
  c837_delims d = in;
  if (d.repetition && d.repetition != d.element &&
      d.repetition != d.component && d.repetition != d.segment)
    return d;
  for (p = pick; *p; p++)
    if (*p != d.element && *p != d.component && *p != d.segment)
      break;
  d.repetition = *p ? *p : '^';
  return d;
}

/* ISA05 / ISA07 codes (X12 element I05, the 5010 list). */
static int qual_ok(const char *q)
{
  static const char *const ok[] = {"01", "14", "20", "27", "28",
                                   "29", "30", "33", "ZZ"};
  size_t i;
  for (i = 0; i < sizeof ok / sizeof ok[0]; i++)
    if (strcmp(q, ok[i]) == 0)
      return 1;
  return 0;
}

/* One address of the envelope: the option's, else the input's. */
static void address(const ack_env *e, char *qual, char *id, char *gs,
                    const char *o_qual, const char *o_id,
                    const char *in_qual, const char *in_id,
                    const char *in_gs)
{
  const char *q = o_id ? (o_qual ? o_qual : "ZZ") : in_qual;
  ack_clean(qual, 4, qual_ok(q) ? q : "ZZ", 2, &e->d);
  ack_clean(id, 16, o_id ? o_id : in_id, 15, &e->d);
  ack_clean(gs, 16, o_id ? o_id : (in_gs && *in_gs ? in_gs : in_id), 15,
            &e->d);
  if (strlen(gs) < 2) /* GS02 / GS03 have at least 2 characters */
    strcat(gs, strlen(gs) ? " " : "  ");
}

/* Date and time from the input: its first GS04/GS05, else its
 * ISA09/ISA10, else 2000-01-01 00:00. */
static void input_when(ack_env *e, const c837_ack_isa *isa,
                       const c837_ack_gs *gs)
{
  char d8[9], t4[5];
  if (gs && ack_date8_ok(gs->date)) {
    e->date = (int32_t)strtol(gs->date, NULL, 10);
    c837_str_append(t4, sizeof t4, 0, gs->time);
    e->time = ack_time4_ok(t4) ? (int)strtol(t4, NULL, 10) : 0;
  } else if (isa && ack_date6_ok(isa->date)) {
    c837_str_append(d8, sizeof d8, c837_str_append(d8, sizeof d8, 0, "20"),
                    isa->date);
    e->date = (int32_t)strtol(d8, NULL, 10);
    e->time = ack_time4_ok(isa->time) ? (int)strtol(isa->time, NULL, 10) : 0;
  } else {
    e->date = 20000101;
    e->time = 0;
  }
}

void ack_env_make(ack_env *e, const c837_ack_options *o,
                  const c837_ack_isa *isa, const c837_ack_gs *gs)
{
  static const c837_ack_options none;
  if (!o)
    o = &none;
  memset(e, 0, sizeof *e);
  e->d = ack_delims(isa->delims);
  memcpy(e->eol, isa->eol, sizeof e->eol);
  /* the acknowledgment goes back: its sender is the input's receiver */
  address(e, e->sender_qual, e->sender_id, e->gs_sender, o->sender_qual,
          o->sender_id, isa->receiver_qual, isa->receiver_id,
          gs ? gs->receiver : NULL);
  address(e, e->receiver_qual, e->receiver_id, e->gs_receiver,
          o->receiver_qual, o->receiver_id, isa->sender_qual,
          isa->sender_id, gs ? gs->sender : NULL);
  if (o->date) {
    e->date = o->date;
    e->time = o->time;
  } else {
    input_when(e, isa, gs);
  }
  if (o->usage == 'T' || o->usage == 'P')
    e->usage = o->usage;
  else
    e->usage = isa->usage == 'T' ? 'T' : 'P';
}

uint32_t ack_take_control(uint64_t *counter)
{
  uint64_t n = *counter;
  if (n == 0 || n > 999999999u)
    n = 1;
  *counter = n == 999999999u ? 1 : n + 1;
  return (uint32_t)n;
}

void ack_isa(ack_out *o, const ack_env *e, uint32_t control)
{
  char s[128];
  const char E = o->d.element;
  int n = snprintf(s, sizeof s,
                   "ISA%c00%c%-10s%c00%c%-10s%c%-2s%c%-15s%c%-2s%c%-15s%c"
                   "%06ld%c%04d%c%c%c00501%c%09lu%c0%c%c%c%c",
                   E, E, "", E, E, "", E, e->sender_qual, E, e->sender_id, E,
                   e->receiver_qual, E, e->receiver_id, E,
                   (long)(e->date % 1000000), E, e->time, E, o->d.repetition,
                   E, E, (unsigned long)control, E, E, e->usage, E,
                   o->d.component);
  put(o, s, (size_t)n);
  putc1(o, o->d.segment);
  put(o, o->eol, strlen(o->eol));
  o->nseg++;
}

void ack_gs(ack_out *o, const ack_env *e, const char *gs_func,
            uint32_t control, const char *version)
{
  char d8[9], t4[5], ctl[16];
  ack_fmt_date8(d8, e->date);
  snprintf(t4, sizeof t4, "%04d", e->time);
  snprintf(ctl, sizeof ctl, "%lu", (unsigned long)control);
  ack_seg(o, "GS", gs_func, e->gs_sender, e->gs_receiver, d8, t4, ctl, "X",
          version, ACK_END);
}

void ack_ge(ack_out *o, uint64_t sets, uint32_t control)
{
  char n[24], ctl[16];
  snprintf(n, sizeof n, "%llu", (unsigned long long)sets);
  snprintf(ctl, sizeof ctl, "%lu", (unsigned long)control);
  ack_seg(o, "GE", n, ctl, ACK_END);
}

void ack_iea(ack_out *o, uint64_t groups, uint32_t control)
{
  char n[24], ctl[16];
  snprintf(n, sizeof n, "%llu", (unsigned long long)groups);
  snprintf(ctl, sizeof ctl, "%09lu", (unsigned long)control);
  ack_seg(o, "IEA", n, ctl, ACK_END);
}

int ack_flush(const c837_sink *s, c837_buf *b)
{
  int r = 0;
  if (b->len && s->write(s->ud, b->p, b->len) != 0)
    r = -1;
  c837_buf_clear(b);
  return r;
}

int c837_ack_buf_sink(void *ud, const void *p, size_t n)
{
  return c837_buf_put(ud, p, n) == 0 ? 0 : -1;
}

/* ---- reading the input's envelope ----------------------------------- */

/* Element i of seg into dst (size sz), cut to fit, blanks trimmed. */
static void field(char *dst, size_t sz, const c837_segment *seg, size_t i)
{
  c837_span v = c837_el(seg, i);
  while (v.len && v.p[0] == ' ') {
    v.p++;
    v.len--;
  }
  while (v.len && v.p[v.len - 1] == ' ')
    v.len--;
  c837_span_copy(dst, sz, v);
}

void c837_ack_isa_read(const c837_segment *isa, c837_ack_isa *out)
{
  c837_span ctl;
  char v[4];
  size_t i, n = 0;
  memset(out, 0, sizeof *out);
  out->delims = isa->delims;
  /* what follows the terminator: the line ending to write after ours */
  for (i = isa->lead + isa->body_len + 1; i < isa->raw_len && n < 2; i++)
    if (isa->raw[i] == '\r' || isa->raw[i] == '\n')
      out->eol[n++] = isa->raw[i];
  field(out->sender_qual, sizeof out->sender_qual, isa, 5);
  field(out->sender_id, sizeof out->sender_id, isa, 6);
  field(out->receiver_qual, sizeof out->receiver_qual, isa, 7);
  field(out->receiver_id, sizeof out->receiver_id, isa, 8);
  field(out->date, sizeof out->date, isa, 9);
  field(out->time, sizeof out->time, isa, 10);
  field(out->control, sizeof out->control, isa, 13);
  /* the copy would end at a NUL ("00000<NUL>101" reads "00000") */
  ctl = c837_el(isa, 13);
  if (ctl.len && memchr(ctl.p, '\0', ctl.len))
    out->control[0] = '\0';
  field(v, sizeof v, isa, 14);
  out->ack_requested = v[0];
  field(v, sizeof v, isa, 15);
  out->usage = v[0];
}

void c837_ack_gs_read(const c837_segment *gs, c837_ack_gs *out)
{
  c837_span ctl = c837_el(gs, 6);
  memset(out, 0, sizeof *out);
  field(out->func, sizeof out->func, gs, 1);
  field(out->sender, sizeof out->sender, gs, 2);
  field(out->receiver, sizeof out->receiver, gs, 3);
  field(out->date, sizeof out->date, gs, 4);
  field(out->time, sizeof out->time, gs, 5);
  field(out->control, sizeof out->control, gs, 6);
  field(out->version, sizeof out->version, gs, 8);
  /* GS06 only when its bytes (blanks around them trimmed) are 1 to 9
   * digits; the copy would end at a NUL ("1<NUL>2" reads "1") */
  if (!ack_digits_ok(out->control, 9) ||
      (ctl.len && memchr(ctl.p, '\0', ctl.len)))
    out->control[0] = '\0';
}

void c837_ack_st_read(const c837_segment *st, c837_ack_st *out)
{
  c837_span ctl = c837_el(st, 2);
  memset(out, 0, sizeof *out);
  field(out->id, sizeof out->id, st, 1);
  field(out->convention, sizeof out->convention, st, 3);
  /* ST02 (AN 4/9) as sent when X12 allows it, else "" (nothing an
   * acknowledgment may echo): leading blanks are significant, trailing
   * ones are left out but where the 4 characters need them (X12.6's
   * rule for a string); "0001 " and "300145997 " read "0001" and
   * "300145997", "1   " stays */
  if (!c837_x12_string_ok(ctl.p, ctl.len, 4, 9, &st->delims))
    return;
  while (ctl.len > 4 && ctl.p[ctl.len - 1] == ' ')
    ctl.len--;
  c837_span_copy(out->control, sizeof out->control, ctl);
}
